//! mistake: CUSTOMERS_CSV joins the fields with commas (psql -A -F ,), so a name with a comma splits
//! # Exercise 18: psql and redis-cli — the databases from the terminal (reference solution)
//!
//! The lesson is in `stage2-databases/exercises/18_db_terminal.rs`.

/// Prints, for each order status, the status and how many orders have it, separated by a
/// space, one status a line, in alphabetical order of status: `paid 12`. Nothing else: no
/// header, no footer, no padding.
// `-A` and `-t` drop the padding, header and footer; `-F ' '` puts a space between fields.
pub const ORDERS_PER_STATUS: &str = r#"psql "$DATABASE_URL" -X -At -F ' ' \
    -c 'SELECT status, count(*) FROM orders GROUP BY status ORDER BY status'"#;

/// Prints every customer as CSV, `id,name,email`, with that header line first, ordered by
/// id. Names may hold commas and quotes.
// `\copy` quotes a value with a comma or a quote, as CSV must.
pub const CUSTOMERS_CSV: &str = r#"psql "$DATABASE_URL" -X \
    -A -F , -P footer=off -c 'SELECT id, name, email FROM customers ORDER BY id'"#;

/// Runs the SQL file `$SQL_FILE` against the database, all or nothing: when a statement
/// fails, the command stops, exits with a status other than 0, and leaves the database as it
/// was before the file.
// Stop at the first error (exit status 3), and undo the whole file with it.
pub const RUN_MIGRATION: &str =
    r#"psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$SQL_FILE""#;

/// Prints how many session keys there are: the keys that start with `${PREFIX}session:`.
/// Without blocking the server.
// SCAN in small steps, never KEYS, which stops the server while it walks every key.
pub const COUNT_SESSIONS: &str =
    r#"redis-cli -u "$REDIS_URL" --scan --pattern "${PREFIX}session:*" | wc -l"#;

/// Deletes every session of user `$USER_ID` (the keys `${PREFIX}session:$USER_ID:…`), and
/// nothing else: not the sessions of other users, not the user's other keys.
// The `:` after the id, or user 4's pattern would match user 42's sessions too.
pub const END_USER_SESSIONS: &str = r#"redis-cli -u "$REDIS_URL" --scan --pattern "${PREFIX}session:${USER_ID}:*" |
    xargs redis-cli -u "$REDIS_URL" DEL"#;
