//! # Exercise 16: two microservices behind a gateway — users and orders, over HTTP and events
//!
//! A monolith keeps users and orders in one process and one database: placing an order can
//! read the user's row and bump their order count in one transaction. Split into services,
//! each **owns its data** — the users service alone reads and writes users, the orders service
//! alone orders — and nobody reaches into another's store. Every question one service has for
//! another crosses the network, in one of two ways, and the whole art is choosing which and
//! handling its failures:
//!
//! - **A synchronous call (HTTP)** when the caller needs the answer *now* to decide: the orders
//!   service asks `GET /users/{id}` before it accepts an order. The price is coupling in time:
//!   if users is down, orders cannot decide. So the call has a **timeout** (a hung users
//!   service must not hang every order, and then the gateway, and then every client), and a
//!   failure of the *other* service is said as such: **503 Service Unavailable**, "try again
//!   later" — not a 500, which says "I am broken", and not a 422, which says "your request is
//!   wrong" (an unknown user is a 422; a users service that cannot tell is a 503).
//! - **An event (RabbitMQ)** when the other side only needs to *know*: once an order is taken,
//!   the orders service publishes `order.placed` on a topic exchange and moves on; the users
//!   service, whenever it gets to it, counts the order on the user. Nobody waits, and users
//!   may be down for an hour: its **durable queue** keeps the events until it is back. The
//!   price is **eventual consistency**: right after the 201 the count may still be the old
//!   one. And delivery is *at least once*: a consumer that dies before its ack gets the message
//!   again, a publisher that lost a confirm publishes again, so the consumer must be
//!   **idempotent** — it remembers which orders it counted and counts each once. The publisher
//!   waits for the broker's **confirm** before it answers 201: an event that RabbitMQ did not
//!   take is an error the client hears about (503), never a silent loss.
//!
//! In front stands the **gateway**, the one address clients know. It routes by path prefix —
//! `/api/users…` to users, `/api/orders…` to orders, with `/api` taken off — and does what
//! every service would otherwise repeat: it gives each request an `x-request-id` (keeping the
//! client's own) and passes it on, so one id follows a request through every service's logs
//! (the orders service passes it on to users, too); and it bounds every call by a timeout.
//! A service's own answers, errors included, pass through unchanged: a 404 from users *is*
//! the answer. Only the gateway's own failures are its own statuses: **502 Bad Gateway** when
//! the service cannot be reached, **504 Gateway Timeout** when it did not answer in time,
//! **404** for a path that belongs to no service.
//!
//! ```text
//! client ──▶ gateway ──/api/users/…──▶ users ◀── GET /users/{id} ──┐
//!                    └─/api/orders/…─▶ orders ─────────────────────┘
//! orders ── order.placed ──▶ exchange (topic) ──▶ users' own queue ──▶ users
//! ```
//!
//! - [`events`]: the contract between the two services, given: the event, its routing key,
//!   and the exchange's declaration.
//! - [`users`]: its store and HTTP API are given; you write how it consumes events.
//! - [`orders`]: its store and HTTP API are given; you write the call to users, the publish,
//!   and how failures become statuses.
//! - [`gateway`]: you write it: the route table, the forwarding, the request ids.
//!
//! In production each service is its own binary and deployment, its store a database of its
//! own; the gateway is Envoy, Kong, nginx or a cloud's API gateway; the request id is a W3C
//! `traceparent` that OpenTelemetry carries through HTTP headers *and* message headers; the
//! event contract lives in a shared schema (and contract tests); storing an order and
//! publishing its event become one transaction, the outbox of exercise 06; and calls get the
//! retries and circuit breaker of exercise 12. The shapes are the ones you write here.
//!
//! Read more:
//! - <https://microservices.io/patterns/data/database-per-service.html>,
//!   <https://microservices.io/patterns/apigateway.html>
//! - reqwest's client and its timeout: <https://docs.rs/reqwest/0.13.5/reqwest/struct.ClientBuilder.html#method.timeout>
//! - tower-http's request ids: <https://docs.rs/tower-http/0.7.1/tower_http/request_id/index.html>
//! - lapin: <https://docs.rs/lapin/4.12.3/lapin/struct.Channel.html> (`confirm_select`,
//!   `basic_publish`, `queue_bind`, `basic_consume`)
//! - axum's fallback: <https://docs.rs/axum/0.8.9/axum/struct.Router.html#method.fallback>
//! - RabbitMQ's reliability guide: <https://www.rabbitmq.com/docs/reliability>
//!
//! Your task, in the order the tests go: the gateway (its tests put small fake services behind
//! it), then the orders service (behind the gateway, with a fake users service), then the users
//! service's consumer; the last tests run the three together, on an exchange and queues of
//! their own, and talk to the gateway as a client would. Each `todo!` says what to write, each
//! `// TODO:` marks a place to edit.
//!
//! Run `cargo xtask check 16_microservices` to check your work; `cargo xtask hint
//! 16_microservices` gives a hint.

pub mod events;
pub mod gateway;
pub mod orders;
pub mod users;
