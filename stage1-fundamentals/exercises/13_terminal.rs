//! # Exercise 13: the terminal — curl, jq, grep and pipes
//!
//! Servers have no windows. When an API misbehaves at 3 a.m., a backend engineer opens a
//! terminal on a machine that has a shell, `curl` and a log file, and finds out: is it up?
//! what does it answer to this request, with this token? how many errors since the deploy,
//! from whom? The same commands become the lines of runbooks, CI jobs and deploy scripts.
//! This exercise is done in the shell, not in Rust: each task below is a `pub const` holding
//! one shell command, and the tests run it.
//!
//! **How the tests run your commands.** Each test starts a small todo API on `127.0.0.1` (or
//! writes an access log), then runs your command as `sh -c '<your command>'` with these
//! environment variables set: `API` (the API's base URL, such as `http://127.0.0.1:41234`),
//! `API_TOKEN`, `TITLE` and `LOG` (a log file's path), whichever the task needs. The inputs
//! are new on every run, so a command has to do the work to pass. A failure shows your
//! command, its exit status, what it printed, and every request the API received. Write
//! each command in a raw string, `r#"…"#`, so that `"` and `\` need no escaping in Rust. The
//! shell is `sh`: bash-only syntax such as `[[ ]]`, `<<<` or `set -o pipefail` may not exist
//! there (on Windows, run the course in WSL or Git Bash). To try a command yourself, set the
//! variables first: `API=http://127.0.0.1:8080 API_TOKEN=x sh -c '…'`, against any server
//! you have.
//!
//! **The shell.** `"$API/health"` puts a variable's value into a word; keep variables in
//! double quotes, so that a value with spaces stays one word. Single quotes take everything
//! literally: `'$API'` is the four characters. `a | b` feeds a's output to b. Every command
//! ends with an *exit status*, 0 for success; `a && b` runs b only if a succeeded, and
//! scripts (and CI) stop or go on according to it. A pipeline's status is its *last*
//! command's, whatever happened before. `x=$(a)` keeps a's output in a variable and takes
//! a's status, so `x=$(a) && b "$x"` stops when a fails.
//!
//! **curl** sends one HTTP request and prints the response body. `-s` hides the progress
//! meter, `-S` still shows errors; `-H 'Name: value'` adds a request header (repeat it for
//! more); `-d 'data'` (or `--data-binary @file`, `@-` for stdin) sends a body and makes the
//! request a POST, with `Content-Type: application/x-www-form-urlencoded` unless you say
//! otherwise; `-X DELETE` changes the method; `-i` prints the response's headers too, `-v`
//! the whole exchange; `-o FILE` writes the body to a file (`/dev/null` throws it away);
//! `-w '%{http_code}\n'` prints the status after the transfer. A 404 or a 500 is a response
//! like any other to curl: it exits 0, unless `-f` (`--fail`) turns a status of 400 or more
//! into exit status 22.
//!
//! **jq** reads JSON and prints parts of it: `jq .` pretty-prints; `.name` picks a field;
//! `.items[]` yields each element of an array; `a | b` inside jq feeds a's results to b;
//! `select(.age > 30)` keeps the values for which the condition holds; `-r` prints strings
//! raw, without their JSON quotes. `jq -n --arg name "$NAME" '{name: $name}'` builds JSON
//! from a shell value, escaping quotes and backslashes for you: pasting a value into
//! `"{\"name\": \"$NAME\"}"` breaks on the first value that contains a `"`.
//!
//! **Text tools** read files or stdin, a line at a time. `grep PATTERN file` prints the
//! lines that match a regular expression (`-c` counts them instead, `-v` inverts, `-E`
//! allows `+`, `?`, `{3}` and `|`); `awk '$9 == 404' file` keeps lines whose ninth
//! space-separated field is 404, `awk '{ print $1 }'` prints the first field; `cut -d' ' -f1`
//! does the same with one delimiter; `sort` orders lines (`-n` by number, `-r` reversed);
//! `uniq -c` prefixes each line with its number of repeats; `head -n 3` keeps the first
//! three lines; `wc -l` counts lines. An access log in nginx's "combined" format has one
//! request a line; its ninth field is the status:
//!
//! ```text
//! 203.0.113.7 - - [12/Mar/2026:10:15:32 +0000] "GET /api/items/503 HTTP/1.1" 200 5123 "-" "curl/8.5.0"
//! ```
//!
//! Docs: <https://curl.se/docs/manpage.html>, <https://jqlang.org/manual/>,
//! <https://www.gnu.org/software/grep/manual/grep.html>,
//! <https://github.com/jlevy/the-art-of-command-line>, and `man curl`, `man uniq`, ….
//!
//! The todo API: `GET $API/health` answers `{"status":"ok"}` (200) or, during maintenance,
//! `{"status":"maintenance"}` (503). `GET $API/todos` answers
//! `{"items":[{"id":1,"title":"…","done":false,"tags":[]},…],"total":3}`. `POST $API/todos`
//! with the JSON body `{"title":"…"}` creates a todo and answers it, as JSON, with status
//! 201. `/todos` needs the header `Authorization: Bearer <token>`, and a POST the header
//! `Content-Type: application/json`.
//!
//! The databases' own clients, `psql` and `redis-cli`, come in stage 2 (`18_db_terminal`),
//! where PostgreSQL and Redis run.
//!
//! Your task: the five commands below. This exercise needs `curl` and `jq` (`apt install curl
//! jq`, `brew install curl jq`); the tests say so if one is missing.
//!
//! Run `cargo xtask check 13_terminal` to check your work; `cargo xtask hint 13_terminal`
//! gives a hint.

/// Prints the HTTP status code of `GET $API/health`, and nothing else: `200` when the API is
/// up, `503` during maintenance.
// TODO: a curl command that prints only the status code of the response.
pub const HEALTH_STATUS: &str = r#""#;

/// Creates a todo titled `$TITLE` (POST `$API/todos`, authenticated with `$API_TOKEN`) and
/// prints only the new todo's id. The title may hold any character, quotes included. When
/// the API refuses (a wrong token, say), the command prints nothing and exits with a status
/// other than 0.
// TODO: build the JSON body from $TITLE, send it with the two headers the API needs, and
// print the id from the answer; a refused request must make the whole command fail.
pub const CREATE_TODO: &str = r#""#;

/// Prints the title of each todo that is not done, from `GET $API/todos` (authenticated with
/// `$API_TOKEN`), one a line, in the API's order, as plain text.
// TODO: fetch the todos and filter them with jq.
pub const OPEN_TITLES: &str = r#""#;

/// Prints how many requests in the access log `$LOG` were answered with a server error, a
/// status from 500 to 599: one number, `0` when there are none.
// TODO: count the lines whose status field is 5xx (and only that field).
pub const SERVER_ERRORS: &str = r#""#;

/// Prints the three client IP addresses (the first field) with the most requests in the
/// access log `$LOG`, most first, one a line as `COUNT IP` (spaces around the count do not
/// matter).
// TODO: take the first field of every line, count each address, keep the three largest.
pub const TOP_CLIENTS: &str = r#""#;
