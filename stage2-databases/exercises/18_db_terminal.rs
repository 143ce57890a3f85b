//! # Exercise 18: psql and redis-cli — the databases from the terminal
//!
//! Every database ships with a command-line client, and a backend engineer uses it daily: to
//! look at production data during an incident, to export a report someone asked for, to run
//! a migration by hand, to find and clean up keys in Redis. This exercise, like stage 1's
//! `13_terminal`, is done in the shell: each task below is a `pub const` holding one shell
//! command, and the tests run it as `sh -c '<your command>'` against a real PostgreSQL
//! database and a real Redis, with these environment variables set:
//!
//! - `DATABASE_URL`: the test's database, such as `postgres://postgres@127.0.0.1:5432/db`;
//! - `REDIS_URL`: the Redis server, such as `redis://127.0.0.1:6379`;
//! - `PREFIX`: the start of every Redis key of the test (such as `tk:1765432100:4242:0:`):
//!   other tests use the same server at the same time, so touch only keys that start with it;
//! - `SQL_FILE` and `USER_ID`, for the tasks that name them.
//!
//! The data is new on every run. A failure shows your command, its exit status and what it
//! printed. Write each command in a raw string, `r#"…"#`. The shell is `sh` (see stage 1's
//! lesson on quoting, pipes and exit statuses).
//!
//! **psql** takes a connection URL as its first argument: `psql "$DATABASE_URL"`. `-c 'SQL'`
//! runs one command and exits; `-f file` runs a file. By default it prints for a human: a
//! header, aligned columns with `|`, and a `(3 rows)` footer. For a script, `-t` (tuples
//! only) drops the header and footer, `-A` (unaligned) the padding, and `-F ' '` sets the
//! field separator (`|` by default); `--csv` prints CSV. `\copy (SELECT …) TO STDOUT WITH
//! (FORMAT csv, HEADER)` streams a query's result as CSV, quoting what needs quoting (a
//! value with a comma, a quote or a newline); it runs in psql, so the file lands on your
//! machine, where SQL's own `COPY … TO 'file'` writes on the database server. Interactively,
//! `\dt` lists the tables and `\d orders` describes one. `-X` ignores your `~/.psqlrc`.
//!
//! **psql keeps going after an error.** Running a file, it reports a failed statement on
//! stderr, runs the next ones, and exits with status 0: a deploy script that runs a broken
//! migration this way goes on as if all went well, with half the migration applied.
//! `-v ON_ERROR_STOP=1` stops at the first error and exits with status 3, and `-1`
//! (`--single-transaction`) wraps the whole file in one transaction, so a failure undoes the
//! statements before it too.
//!
//! **redis-cli** takes the server as `-u "$REDIS_URL"` and a command as its other
//! arguments: `redis-cli -u "$REDIS_URL" GET key`. When its output goes to a pipe it prints
//! raw values, one a line, ready for the next command. `KEYS pattern` lists matching keys,
//! but it walks the whole keyspace in one go and the server answers nobody else meanwhile:
//! on a production Redis with millions of keys, that is an outage. `--scan --pattern 'p*'`
//! walks it in small steps with SCAN instead. In a pattern, `*` matches any run of
//! characters (`?` one, `[ab]` a set). `xargs cmd` turns the lines on its stdin into
//! arguments of `cmd`: `… | xargs redis-cli -u "$REDIS_URL" DEL`.
//!
//! Docs: <https://www.postgresql.org/docs/15/app-psql.html>,
//! <https://redis.io/docs/latest/develop/tools/cli/>,
//! <https://redis.io/docs/latest/commands/scan/>, `man xargs`.
//!
//! The tests create these tables, and Redis keys such as `${PREFIX}session:42:k7f3x` (a
//! session of user 42) and `${PREFIX}cart:42`:
//!
//! ```sql
//! CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL);
//! CREATE TABLE orders (
//!     id          bigint PRIMARY KEY,
//!     customer_id bigint NOT NULL REFERENCES customers,
//!     status      text NOT NULL,
//!     total_cents bigint NOT NULL
//! );
//! ```
//!
//! Your task: the five commands below. This exercise needs `psql` (`apt install
//! postgresql-client`, `brew install libpq`) and `redis-cli` (`apt install redis-tools`,
//! `brew install redis`); the tests say so if one is missing.
//!
//! Run `cargo xtask check 18_db_terminal` to check your work; `cargo xtask hint
//! 18_db_terminal` gives a hint.

/// Prints, for each order status, the status and how many orders have it, separated by a
/// space, one status a line, in alphabetical order of status: `paid 12`. Nothing else: no
/// header, no footer, no padding.
// TODO: one psql query, and the flags that make its output plain.
pub const ORDERS_PER_STATUS: &str = r#""#;

/// Prints every customer as CSV, `id,name,email`, with that header line first, ordered by
/// id. Names may hold commas and quotes.
// TODO: a CSV that a spreadsheet reads back as it was stored.
pub const CUSTOMERS_CSV: &str = r#""#;

/// Runs the SQL file `$SQL_FILE` against the database, all or nothing: when a statement
/// fails, the command stops, exits with a status other than 0, and leaves the database as it
/// was before the file.
// TODO: psql with the options that make a failing file fail, and undo it.
pub const RUN_MIGRATION: &str = r#""#;

/// Prints how many session keys there are: the keys that start with `${PREFIX}session:`.
/// Without blocking the server.
// TODO: list the matching keys step by step, and count them.
pub const COUNT_SESSIONS: &str = r#""#;

/// Deletes every session of user `$USER_ID` (the keys `${PREFIX}session:$USER_ID:…`), and
/// nothing else: not the sessions of other users, not the user's other keys.
// TODO: find the user's session keys, and delete exactly those.
pub const END_USER_SESSIONS: &str = r#""#;
