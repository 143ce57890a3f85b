//! # Exercise 12: a reverse proxy — nginx in front of two instances of the app
//!
//! In production nobody talks to the app directly. A **reverse proxy** stands at the edge and
//! every request passes through it: it spreads the requests over several instances of the
//! app (so one can crash or be redeployed while the others answer), serves static files from
//! the disk without waking the app, refuses bodies too big before they tie up an instance,
//! and gives up on an instance that hangs. nginx is the classic one (HAProxy, Caddy, Envoy
//! and the load balancers of every cloud do the same jobs). This exercise is configuration,
//! not Rust: you write the site file [`nginx.conf`](NGINX_CONF) in this directory, and the
//! tests run it with the real `nginx` in front of two instances of an echo app.
//!
//! ## The file, and its placeholders
//!
//! The file holds the blocks of nginx's `http` context that a site adds (what goes in
//! `/etc/nginx/conf.d/`): an `upstream` and a `server`. The test wraps it in a main
//! configuration of its own and fills four placeholders, as the official nginx image fills
//! the `${VAR}`s of its `/etc/nginx/templates/*.template` files from the environment:
//!
//! | placeholder | what the test puts there |
//! |---|---|
//! | `${LISTEN}` | the address to `listen` on, `127.0.0.1:<port>` |
//! | `${APP_1}`, `${APP_2}` | the two instances, `127.0.0.1:<port>` each |
//! | `${STATIC_ROOT}` | the directory of the static files, without a final `/` |
//!
//! nginx's own variables (`$host`, `$remote_addr`) are lowercase and left alone.
//!
//! ## What the site must do
//!
//! 1. **Balance.** An `upstream app { server ${APP_1}; server ${APP_2}; }` and, in
//!    `location /`, `proxy_pass http://app;`. nginx takes turns (round robin) by default;
//!    `least_conn` picks the instance with the fewest requests in flight. (`ip_hash` pins each
//!    client to one instance: every request of the test comes from 127.0.0.1.)
//! 2. **Skip a dead instance.** When an instance refuses the connection, nginx tries the next
//!    one (`proxy_next_upstream error timeout`, the default) and leaves the failed one out for
//!    `fail_timeout` (10 s). A refused connection never sent the request, so even a POST is
//!    retried; a request that timed out *after* it was sent is retried only if it is
//!    idempotent (GET, HEAD...). With one instance stopped, every GET must still succeed.
//! 3. **Tell the app who asked.** The app sees a connection from nginx, not from the client,
//!    and `Host: app` (the upstream's name) unless told otherwise. Set, with
//!    `proxy_set_header`: `Host` to `$host` (the name the client asked for: links, redirects
//!    and virtual hosts depend on it), `X-Real-IP` and `X-Forwarded-For` to `$remote_addr`,
//!    `X-Forwarded-Proto` to `$scheme`. This nginx is the **edge**: whatever the client sent
//!    in those headers is a lie until proven otherwise (`X-Forwarded-For: 6.6.6.6` to dodge a
//!    rate limit or an IP allow-list, `X-Forwarded-Proto: https` to look secure), so it is
//!    overwritten. `$proxy_add_x_forwarded_for` *appends* the client's address to the list
//!    the client sent: right for a proxy behind a trusted one (a CDN), wrong at the edge, where
//!    the app would read the forged first entry. (RFC 7239's `Forwarded` header says the same
//!    in one header; the rule is the same: trust only what your own proxies wrote.)
//! 4. **Serve `/static/` from the disk**: `/static/app.css` is `${STATIC_ROOT}/app.css`,
//!    with its content type, and the app never sees those requests; a missing file is
//!    nginx's 404 (not a fallback to the app). `alias` replaces the matched prefix, `root`
//!    appends the whole path (`root ${STATIC_ROOT}` would look for
//!    `${STATIC_ROOT}/static/app.css`). Give the location and the alias the same final `/`:
//!    with `location /static { alias ${STATIC_ROOT}/; }`, the request `/static../secret.txt`
//!    matches and reads `${STATIC_ROOT}/../secret.txt`, a file outside the root (a real
//!    off-by-slash bug, found in many sites).
//! 5. **Limit bodies to 256 KiB** ([`MAX_BODY_BYTES`]): `client_max_body_size 256k;`. A
//!    bigger body is answered 413 by nginx and never reaches an instance. nginx's default is
//!    1 MiB: the app's API takes small JSON documents, so this site allows less.
//! 6. **Give up on a hung instance after a second** ([`READ_TIMEOUT`]):
//!    `proxy_read_timeout 1s;` (and `proxy_connect_timeout 1s;` for an instance that does not
//!    even answer the connection). nginx then tries the other instance (a GET is idempotent),
//!    and when that one hangs too, answers 504 Gateway Timeout: two seconds, instead of the
//!    default minute a client would wait. (502 Bad Gateway is for an instance that refused or
//!    broke the connection.) Production values are larger: the slowest honest request, plus
//!    a margin.
//!
//! ## The app behind it
//!
//! The tests start two instances, `app-1` and `app-2`, of a small echo app: every path
//! answers 200 with JSON saying which instance answered and what it received (method, path,
//! `Host`, `X-Forwarded-For`, `X-Real-IP`, `X-Forwarded-Proto`, the body's size), and
//! `/slow` never answers. The tests read those answers through nginx.
//!
//! ## Trying it by hand
//!
//! Replace the placeholders (`sed`, or `envsubst` with the four variables exported), put the
//! file in `/etc/nginx/conf.d/`, and run `nginx -t` to check it; `curl -v` shows the
//! exchange. The tests print nginx's error and access logs when a check fails, and nginx's
//! own message, with the line in this file, when it refuses the configuration.
//!
//! - <https://nginx.org/en/docs/http/ngx_http_upstream_module.html>
//! - <https://nginx.org/en/docs/http/ngx_http_proxy_module.html> (`proxy_pass`,
//!   `proxy_set_header`, `proxy_next_upstream`, `proxy_read_timeout`)
//! - <https://nginx.org/en/docs/http/ngx_http_core_module.html#alias>,
//!   [`client_max_body_size`](https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size)
//! - <https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Forwarded-For>
//!
//! Your task: the `TODO`s of `nginx.conf`. Run `cargo xtask check 12_reverse_proxy` to check
//! your work; `cargo xtask hint 12_reverse_proxy` gives a hint.

use std::time::Duration;

/// The site configuration you write, `nginx.conf` beside this file.
pub const NGINX_CONF: &str = include_str!("nginx.conf");

/// The largest body nginx lets through: 256 KiB (`client_max_body_size 256k`).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// How long nginx waits for an instance's answer before it gives up on it
/// (`proxy_read_timeout 1s`).
pub const READ_TIMEOUT: Duration = Duration::from_secs(1);
