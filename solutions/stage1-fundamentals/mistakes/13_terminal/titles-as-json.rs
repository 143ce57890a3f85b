//! mistake: OPEN_TITLES without jq -r: titles are printed as JSON strings, in quotes
//! # Exercise 13: the terminal — curl, jq, grep and pipes (reference solution)
//!
//! The lesson is in `stage1-fundamentals/exercises/13_terminal.rs`.

/// Prints the HTTP status code of `GET $API/health`, and nothing else: `200` when the API is
/// up, `503` during maintenance.
// `-o /dev/null` drops the body; `-w` prints the status once the response is in.
pub const HEALTH_STATUS: &str = r#"curl -sS -o /dev/null -w '%{http_code}\n' "$API/health""#;

/// Creates a todo titled `$TITLE` (POST `$API/todos`, authenticated with `$API_TOKEN`) and
/// prints only the new todo's id. The title may hold any character, quotes included. When
/// the API refuses (a wrong token, say), the command prints nothing and exits with a status
/// other than 0.
// jq builds the body, escaping whatever the title holds; `--fail` makes curl exit 22 on a
// 4xx or 5xx; and the answer is kept in a variable, so that curl's status, not jq's, decides
// whether the command goes on (a pipeline's status is its last command's).
pub const CREATE_TODO: &str = r#"answer=$(jq -n --arg title "$TITLE" '{title: $title}' |
    curl -sS --fail -H "Authorization: Bearer $API_TOKEN" -H 'Content-Type: application/json' \
        --data-binary @- "$API/todos") &&
    printf '%s\n' "$answer" | jq -r '.id'"#;

/// Prints the title of each todo that is not done, from `GET $API/todos` (authenticated with
/// `$API_TOKEN`), one a line, in the API's order, as plain text.
pub const OPEN_TITLES: &str = r#"curl -sS --fail -H "Authorization: Bearer $API_TOKEN" "$API/todos" |
    jq '.items[] | select(.done | not) | .title'"#;

/// Prints how many requests in the access log `$LOG` were answered with a server error, a
/// status from 500 to 599: one number, `0` when there are none.
// The status is the ninth field; a pattern over the whole line would also count sizes and
// paths such as `/api/items/503`. `n + 0` prints 0, not an empty line, when none match.
pub const SERVER_ERRORS: &str =
    r#"awk '$9 >= 500 && $9 <= 599 { n++ } END { print n + 0 }' "$LOG""#;

/// Prints the three client IP addresses (the first field) with the most requests in the
/// access log `$LOG`, most first, one a line as `COUNT IP` (spaces around the count do not
/// matter).
// `uniq -c` counts runs of equal lines that follow each other, so the addresses are sorted
// first; then the counts are sorted as numbers, largest first.
pub const TOP_CLIENTS: &str = r#"cut -d' ' -f1 "$LOG" | sort | uniq -c | sort -rn | head -n 3"#;
