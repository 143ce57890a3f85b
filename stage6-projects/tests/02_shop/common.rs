//! What the milestones' tests share: the app served on a free port with a database of its
//! own, accounts, products, carts and orders made through the API, and the webhook's
//! signature as a payment provider makes it. No tests here.

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use testkit::http::{Client, RequestBuilder, Response};
use testkit::postgres::TestDatabase;

use crate::exercise;

/// The key of the app's tokens in the tests.
pub const JWT_SECRET: &str = "the-shop-tests-jwt-secret-not-for-production";
/// The key the tests' payment provider signs its webhooks with.
pub const WEBHOOK_SECRET: &str = "whsec_the-shop-tests-webhook-secret";
/// The admin's e-mail, given to `Config::with_admin`.
pub const ADMIN_EMAIL: &str = "admin@shop.test";

/// The app, served on a free port of 127.0.0.1, with a database of its own.
pub struct Shop {
    /// Joined to `http://127.0.0.1:<port>/api`.
    pub client: Client,
    /// Kept for the test's lifetime: the database is the test's while this lives.
    pub _db: TestDatabase,
}

/// An account a test registered.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub token: String,
}

/// `Authorization: Bearer <jwt>`.
pub trait By {
    fn by(self, user: &User) -> Self;
}

impl By for RequestBuilder {
    fn by(self, user: &User) -> Self {
        self.bearer(&user.token)
    }
}

/// Starts the app as the contract says: `app(pool, Config::new(..).with_admin(..))`, then
/// `axum::serve`.
pub async fn start() -> Shop {
    let db = testkit::postgres::database().await;
    let config = exercise::Config::new(JWT_SECRET, WEBHOOK_SECRET).with_admin(ADMIN_EMAIL);
    let router = exercise::app(db.pool().clone(), config)
        .await
        .unwrap_or_else(|e| {
            panic!("app() failed: its migrations did not run on an empty database: {e}")
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port on 127.0.0.1");
    let addr: SocketAddr = listener.local_addr().expect("the listener's address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    Shop {
        client: Client::new(format!("http://{addr}/api")),
        _db: db,
    }
}

/// Registers `email` through any clone of the app's client.
pub async fn register_on(client: &Client, email: &str) -> User {
    let response = client
        .post("/users")
        .json(&json!({ "email": email, "password": "correct horse battery" }))
        .send()
        .await;
    response.expect_status(201);
    let body: Value = response.expect_json();
    let (Some(token), Some(id)) = (body["token"].as_str(), body["user"]["id"].as_i64()) else {
        response.fail("expected `token` and `user.id` (given in the starter: auth.rs)")
    };
    User {
        id,
        token: token.to_string(),
    }
}

/// A product to create: what the tests send.
pub fn product(
    name: &str,
    description: &str,
    price_cents: i64,
    stock: i32,
    category: &str,
) -> Value {
    json!({
        "name": name,
        "description": description,
        "price_cents": price_cents,
        "stock": stock,
        "category": category,
    })
}

/// `input` as the app answers it, with `id`.
pub fn with_id(id: i64, input: &Value) -> Value {
    let mut product = input.clone();
    product["id"] = json!(id);
    product
}

/// A cart line as the contract says: `quantity` of `product` (an answered product).
pub fn line(product: &Value, quantity: i64) -> Value {
    let price = product["price_cents"]
        .as_i64()
        .expect("a product's price_cents");
    json!({
        "product_id": product["id"],
        "name": product["name"],
        "unit_price_cents": price,
        "quantity": quantity,
        "line_total_cents": price * quantity,
    })
}

/// A cart of `lines`, with its total.
pub fn cart(lines: &[Value]) -> Value {
    let total: i64 = lines
        .iter()
        .map(|line| line["line_total_cents"].as_i64().expect("a line total"))
        .sum();
    json!({ "items": lines, "total_cents": total })
}

impl Shop {
    /// The admin's account (registered by the first call).
    pub async fn admin(&self) -> User {
        let response = self
            .client
            .post("/users/login")
            .json(&json!({ "email": ADMIN_EMAIL, "password": "correct horse battery" }))
            .send()
            .await;
        if response.status() == 200 {
            let body: Value = response.expect_json();
            return User {
                id: body["user"]["id"].as_i64().expect("the admin's id"),
                token: body["token"]
                    .as_str()
                    .expect("the admin's token")
                    .to_string(),
            };
        }
        register_on(&self.client, ADMIN_EMAIL).await
    }

    /// A customer account, `<name>@example.com`.
    pub async fn customer(&self, name: &str) -> User {
        register_on(&self.client, &format!("{name}@example.com")).await
    }

    /// Creates `input` as `admin` (201) and gives the product as answered, after checking
    /// that it is `input` with a number `id`.
    pub async fn create_product(&self, admin: &User, input: &Value) -> Value {
        let response = self
            .client
            .post("/products")
            .by(admin)
            .json(input)
            .send()
            .await;
        response.expect_status(201);
        let body: Value = response.expect_json();
        let Some(id) = body["id"].as_i64() else {
            response.fail("expected the product's `id`, a number")
        };
        response.expect_json_eq(with_id(id, input));
        body
    }

    /// A product as `GET /api/products/{id}` answers it.
    pub async fn get_product(&self, id: &Value) -> Value {
        let response = self.client.get(&format!("/products/{id}")).send().await;
        response.expect_status(200);
        response.expect_json()
    }

    /// The stock of product `id` now.
    pub async fn stock(&self, id: &Value) -> i64 {
        self.get_product(id).await["stock"]
            .as_i64()
            .expect("a product's stock")
    }

    /// `user` sets `quantity` of `product` in their cart (200).
    pub async fn put_in_cart(&self, user: &User, product: &Value, quantity: i64) {
        self.client
            .put(&format!("/cart/items/{}", product["id"]))
            .by(user)
            .json(&json!({ "quantity": quantity }))
            .send()
            .await
            .expect_status(200);
    }

    /// `user`'s cart as answered.
    pub async fn cart(&self, user: &User) -> Value {
        let response = self.client.get("/cart").by(user).send().await;
        response.expect_status(200);
        response.expect_json()
    }

    /// `user` checks out with `key`, to `address`; the answer, unchecked.
    pub async fn checkout(&self, user: &User, key: &str, address: &str) -> Response {
        checkout_on(&self.client, user, key, address).await
    }

    /// `user` puts `quantity` of `product` in the cart and checks out (201): the order.
    pub async fn order(&self, user: &User, product: &Value, quantity: i64) -> Value {
        self.put_in_cart(user, product, quantity).await;
        let key = format!("order-{}-{}", user.id, next_number());
        let response = self.checkout(user, &key, "1 Main Street").await;
        response.expect_status(201);
        response.expect_json()
    }

    /// Order `id` as `user` sees it (200).
    pub async fn get_order(&self, user: &User, id: &Value) -> Value {
        let response = self
            .client
            .get(&format!("/orders/{id}"))
            .by(user)
            .send()
            .await;
        response.expect_status(200);
        response.expect_json()
    }

    /// Delivers `body` to the webhook with `signature` as its `Shop-Signature` (or none).
    pub async fn webhook(&self, body: &str, signature: Option<&str>) -> Response {
        let request = self
            .client
            .post("/webhooks/payments")
            .header("content-type", "application/json")
            .body(body.to_string());
        match signature {
            Some(signature) => request.header("shop-signature", signature),
            None => request,
        }
        .send()
        .await
    }

    /// The provider says that order `order_id` is paid, as event `event_id`, signed now.
    pub async fn pay(&self, event_id: &str, order_id: &Value) -> Response {
        let body = payment_event(event_id, order_id);
        self.webhook(&body, Some(&signature(WEBHOOK_SECRET, now(), &body)))
            .await
    }
}

/// [`Shop::checkout`] through any clone of the app's client (for tasks of their own).
pub async fn checkout_on(client: &Client, user: &User, key: &str, address: &str) -> Response {
    client
        .post("/checkout")
        .by(user)
        .header("idempotency-key", key)
        .json(&json!({ "address": address }))
        .send()
        .await
}

/// A number no other call in this process got: unique keys and event ids.
pub fn next_number() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Seconds since 1970, by this machine's clock.
pub fn now() -> i64 {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs();
    i64::try_from(seconds).expect("seconds fit an i64")
}

/// The body of a `payment.succeeded` event, as the provider sends it.
pub fn payment_event(event_id: &str, order_id: &Value) -> String {
    json!({ "id": event_id, "type": "payment.succeeded", "order_id": order_id }).to_string()
}

/// The hex HMAC-SHA256 of `"<timestamp>.<body>"` with `secret`.
pub fn hmac_hex(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `t=<timestamp>,v1=<hmac_hex>`: a `Shop-Signature` header as the provider makes it.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    format!("t={timestamp},v1={}", hmac_hex(secret, timestamp, body))
}
