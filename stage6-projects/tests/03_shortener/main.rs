//! The spec for project 03: the URL shortener, milestone by milestone. `cargo xtask check
//! 03_shortener` runs it. Do not edit these files: the runner checks that they are the
//! course's version.
//!
//! Each milestone is a module of its own, in the order you build them. Each test gets a
//! PostgreSQL database and a Redis key prefix of its own, runs [`exercise::migrate`] once,
//! then starts one or two instances: `AppState::connect`, then `app(state)` served on a free
//! port with the peer's address (`into_make_service_with_connect_info::<SocketAddr>()`), and
//! `clicks::run_worker` where a test needs clicks counted. A test about two instances runs
//! each in a process of its own (this test binary again, running only that test), since two
//! in one process would share its `static`s. What the tests hold you to is the contract in
//! `exercises/03_shortener/mod.rs`.

#[cfg(not(feature = "solution"))]
#[allow(unused_variables, unused_imports, dead_code)]
#[path = "../../exercises/03_shortener/mod.rs"]
mod exercise;
#[cfg(feature = "solution")]
#[path = "../../../solutions/stage6-projects/03_shortener/mod.rs"]
mod exercise;

/// What the milestones share; no tests.
mod common;

#[path = "03_cache.rs"]
mod cache;
#[path = "01_capacity.rs"]
mod capacity;
#[path = "04_clicks.rs"]
mod clicks;
#[path = "02_links.rs"]
mod links;
#[path = "05_rate_limit.rs"]
mod rate_limit;
#[path = "06_scale_out.rs"]
mod scale_out;
