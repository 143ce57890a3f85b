//! # Project 05: advanced Git — bisect, a changelog, a rebase, automated on real repositories
//!
//! Every team uses git a dozen times a day, and the commands beyond `add`, `commit` and `push`
//! are where it saves hours: `git bisect` finds the commit that broke a test among hundreds,
//! the commit messages become the release notes, and `git rebase` keeps a branch's history a
//! straight line that reviewers can read. This project drives the real `git` command from Rust
//! (`std::process::Command`, no git library) on repositories the tests build, and the tests
//! read the result with git. There is no server and no service to start: only `git` (2.x).
//!
//! ## What git is made of, in brief
//!
//! - **Objects**, named by the hash of their content: a *blob* is a file's bytes, a *tree* a
//!   directory (names → blobs and trees), a *commit* a tree plus its parent commits, author,
//!   committer and message. A commit never changes: "changing" one (a rebase, an amend) makes
//!   a new commit with a new sha. `git cat-file -p HEAD` shows one.
//! - **Refs** name commits: a branch (`refs/heads/main`) moves forward as you commit, a tag
//!   (`refs/tags/v1.0.0`) stays, `HEAD` says which branch is checked out (or, *detached*, which
//!   commit). `main~3` is three first-parents back; `a..b` is "the commits reachable from `b`
//!   but not from `a`" (`git log v1.0.0..v1.1.0` is what a release added).
//! - **The index** (the staging area) is the next commit's tree being built: `git add` puts a
//!   file there, and during a conflict it holds the three versions of the file (base, ours,
//!   theirs) until `git add` of the resolved file replaces them with one.
//!
//! ## How it goes: three milestones
//!
//! `cargo xtask check 05_advanced_git` reports them one at a time. Each has its own file:
//!
//! 1. **bisect** (`bisect.rs`): [`first_bad_commit`]`(repo, good, bad, check)`, the first
//!    commit at which a check script fails, found with `git bisect run`.
//! 2. **changelog** (`changelog.rs`): [`changelog`]`(repo)`, Markdown release notes from the
//!    Conventional Commits of the history, grouped by release tag.
//! 3. **rebase** (`rebase.rs`): [`rebase_and_resolve`]`(repo, branch, onto)`, the branch
//!    replayed on `onto`, each conflict resolved by a rule, until the rebase is done.
//!
//! Given: this file, and `git.rs`: [`git::git`] runs `git <args>` in a repository and gives
//! its stdout or an [`Error`] with what git said; [`git::git_output`] gives the whole output
//! for commands whose failure is an answer. Use them for every git command: they close stdin,
//! set `LC_ALL=C` and `GIT_EDITOR=true`, and ignore the machine's git configuration, so your
//! code sees the same git as the tests, and no command waits for an editor.
//!
//! ## 1. Bisect: a binary search over history
//!
//! A check (a test, a build, a script) passes at an old commit and fails today: which commit
//! broke it? Between them there are n commits, ordered; they are good up to some commit and
//! bad from it on. Checking the middle one halves the range, so ⌈log2(n)⌉ checks find it: 6
//! for 48 commits, 10 for 1000, where walking through them would check hundreds. `git bisect`
//! is that search, and `git bisect run <script>` runs it unattended: git checks out the middle
//! commit, runs the script, reads its exit status (0 good, 125 "cannot test this one: skip it",
//! any other 1–127 bad), marks the commit and goes on, until it prints
//! `<sha> is the first bad commit`. The contract of [`first_bad_commit`]:
//!
//! - `good` and `bad` are any revisions (a sha, `v1.0.0`, `main~4`); the answer is the full
//!   40-hex sha of the first bad commit. `git bisect start <bad> <good>`, then
//!   `git bisect run <check>` (git runs it in the repository's directory), then parse.
//! - Let git choose the commits: the tests count the check's runs, and more than 9 for 48
//!   commits fails (a walk is not a search). Nor can the answer be guessed: the last commit,
//!   HEAD, or the commit bisect last checked out (that one may be good) are not it.
//! - An untestable commit (exit 125) is skipped: neither good nor bad.
//! - [`Error::BadRange`] when `good` is not an ancestor of `bad` (`git merge-base
//!   --is-ancestor <good> <bad>` exits 1), and when the check does not pass at `good`: run it
//!   there once yourself (`git checkout --detach <good>` while bisecting, then `git bisect
//!   next` goes back to the search). `git bisect run` trusts the good commit and would blame
//!   the commit after it.
//! - **Always `git bisect reset`** at the end, after a success and after an error: it puts
//!   HEAD back on the branch it was on. A `?` between `start` and `reset` skips the reset:
//!   keep the search in a function of its own, take its result, reset, then return.
//!
//! In production: `git bisect run cargo test --test the_failing_one`; CI systems bisect a
//! failing nightly the same way, and `cargo bisect-rustc` bisects the compiler's own nightlies.
//!
//! ## 2. A changelog from Conventional Commits
//!
//! [Conventional Commits 1.0.0](https://www.conventionalcommits.org/en/v1.0.0/) gives commit
//! subjects a shape a program can read: `type(scope)!: description`. `feat` is a feature (a
//! minor version), `fix` a bug fix (a patch), `!` after the type or scope, or a
//! `BREAKING CHANGE: <text>` footer in the body, a breaking change (a major version); other
//! types (`chore`, `docs`, `ci`, `refactor`, ...) are allowed and do not make the notes.
//! Release tools read them: [release-please](https://github.com/googleapis/release-please)
//! opens the release's pull request with the notes and the next version,
//! [git-cliff](https://git-cliff.org/) renders a changelog from a template,
//! [semantic-release](https://semantic-release.gitbook.io/) publishes from CI, and
//! [commitlint](https://commitlint.js.org/) rejects a message of the wrong shape at commit
//! time. The contract of [`changelog`] (the tests compare whole strings):
//!
//! - The history is `HEAD`'s. A **release** is a tag named `vMAJOR.MINOR.PATCH` (digits only;
//!   other tags are ignored) that `HEAD` contains (`git tag --merged HEAD`). Releases are
//!   ordered by version, so `v0.10.0` comes after `v0.9.0` (as text it sorts before:
//!   `git tag --sort=v:refname` or your own parse; the tests make tags in history order). A
//!   release's commits are `<previous release>..<its tag>`, the first release's all that its
//!   tag reaches; **Unreleased** is `<newest release>..HEAD` (all of HEAD without tags).
//! - Merge commits are left out (`git log --no-merges`), and so are subjects that are not
//!   conventional. Types are read in any case (`Feat:` is `feat`); `BREAKING CHANGE:` and
//!   `BREAKING-CHANGE:` footers only in capitals, at the start of a body line, their text the
//!   rest of that line.
//! - The text, blocks separated by one blank line, ending with one newline:
//!   `# Changelog`; then `## Unreleased` if it has an entry; then each release newest first,
//!   `## v1.2.0`, even when it has no entry. Under a release, in this order and only when not
//!   empty: `### ⚠ BREAKING CHANGES`, `### Features` (`feat`), `### Bug Fixes` (`fix`), each a
//!   list of `- description` or, with a scope, `- **scope:** description`, newest commit
//!   first (`git log`'s order). A breaking commit is listed under BREAKING CHANGES with its
//!   footer's text (or its description when it has only the `!`) **and** also under its type's
//!   section if it is a `feat` or a `fix`, with its description.
//!
//! ```text
//! # Changelog
//!
//! ## v2.0.0
//!
//! ### ⚠ BREAKING CHANGES
//!
//! - **api:** the v1 routes are gone
//!
//! ### Features
//!
//! - **api:** serve v2 only
//! - dark mode
//!
//! ## v1.0.0
//!
//! ### Bug Fixes
//!
//! - handle an empty input
//! ```
//!
//! ## 3. Rebase and resolve a conflict
//!
//! A branch forked from `main` a while ago; `main` moved on. `git merge main` would tie them
//! with a merge commit; `git rebase main` instead replays the branch's commits, one by one, on
//! top of `main`'s tip: new commits (new shas, same messages and authors), a straight history,
//! the way many teams want a pull request before it lands (and never on a branch others have
//! built on: they would hold the old commits). When a replayed commit changes lines that `main`
//! changed too, the rebase stops: the file has conflict markers, `<<<<<<< HEAD` (here `HEAD` is
//! `main` plus the commits replayed so far: "ours" during a rebase is the branch you rebase
//! *onto*), `=======`, then the commit's lines up to `>>>>>>> <sha> (<subject>)`. You edit the
//! file, `git add` it, and `git rebase --continue` (the given helper sets `GIT_EDITOR=true`, so
//! it keeps the message), until the rebase is done; another commit may stop again.
//! `git diff --name-only --diff-filter=U` lists the conflicted files. The contract of
//! [`rebase_and_resolve`]:
//!
//! - It rebases `branch` onto `onto` (`git rebase <onto> <branch>` checks `branch` out first);
//!   every commit of the branch is kept, with its message and author; no merge commit.
//! - **The rule**: the tests' conflicts are lists both sides added to (a changelog, an
//!   authors file). Each conflicting hunk becomes `onto`'s lines, then the commit's lines, the
//!   markers gone (and the base's lines, if a `|||||||` section shows them, dropped). Not
//!   `-X ours` or `-X theirs`: each drops a side. (Git can apply this very rule by itself:
//!   `merge=union` in `.gitattributes`, which teams set on their CHANGELOG.)
//! - Each commit is resolved where it stops: `branch~2`'s files are that commit's, resolved.
//! - At the end: `branch` checked out at the rebased tip, no rebase in progress, a clean
//!   working tree, `onto` where it was. On an error, `git rebase --abort`, then the error.
//!
//! In production, `git rerere` (reuse recorded resolution, `git config rerere.enabled true`)
//! remembers how you resolved a conflict and applies it again the next time the same one
//! comes up (a long-lived branch rebased every week); `git rebase --interactive` reorders,
//! squashes and rewords before a review; `git push --force-with-lease` publishes a rebased
//! branch without overwriting a colleague's push.
//!
//! ## Run it
//!
//! `cargo xtask check 05_advanced_git`. To see what your code does, run the same commands in
//! a scratch repository: `git init /tmp/try && cd /tmp/try`, a few `git commit --allow-empty
//! -m 'feat: x'`, `git log --format='%s%n%b'`, `git bisect start HEAD HEAD~5`, ...

pub mod git;

mod bisect;
mod changelog;
mod rebase;

pub use bisect::first_bad_commit;
pub use changelog::changelog;
pub use git::Error;
pub use rebase::rebase_and_resolve;
