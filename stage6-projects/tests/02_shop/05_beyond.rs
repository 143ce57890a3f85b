//! Milestone 5: beyond the API's core. Product images stored in an S3 bucket (the test's
//! own S3 server), order events on RabbitMQ read by a mailer, and the OpenAPI document.

use std::collections::BTreeSet;
use std::net::SocketAddr;

use serde_json::{Value, json};
use testkit::amqp::TestAmqp;
use testkit::http::{Client, Response};
use testkit::s3::S3Server;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use crate::common::{ADMIN_EMAIL, By, JWT_SECRET, Shop, User, WEBHOOK_SECRET, product};
use crate::exercise;
use crate::exercise::mailer::Email;

/// The configuration of `common::start`, for more to be added to it.
fn config() -> exercise::Config {
    exercise::Config::new(JWT_SECRET, WEBHOOK_SECRET).with_admin(ADMIN_EMAIL)
}

/// The app with `config`, served on a free port with a database of its own.
async fn start_with(config: exercise::Config) -> Shop {
    let db = testkit::postgres::database().await;
    let router = exercise::app(db.pool().clone(), config)
        .await
        .unwrap_or_else(|e| panic!("app() failed: {e}"));
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

// Product images.

/// The app with a bucket for images: `config().with_storage(..)` on the test's S3 server.
async fn start_with_storage() -> (Shop, S3Server) {
    let s3 = testkit::s3::server().await;
    let storage = exercise::Storage {
        endpoint: s3.endpoint().to_string(),
        region: s3.region().to_string(),
        bucket: s3.bucket().to_string(),
        access_key: s3.access_key().to_string(),
        secret_key: s3.secret_key().to_string(),
    };
    (start_with(config().with_storage(storage)).await, s3)
}

/// The largest image the app must accept: 1 MiB.
const MAX_IMAGE_BYTES: usize = 1024 * 1024;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0";
const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";

/// A file of `len` bytes starting with `magic`.
fn file(magic: &[u8], len: usize) -> Vec<u8> {
    let mut bytes = magic.to_vec();
    bytes.extend((0..len - magic.len()).map(|i| u8::try_from(i * 7 % 251).unwrap_or(0)));
    bytes
}

/// `PUT /products/{id}/image` by `user` (or nobody) with a `multipart/form-data` body: the
/// field `image`, declared as `declared`, holding `bytes`.
async fn put_image(
    shop: &Shop,
    id: &Value,
    user: Option<&User>,
    declared: &str,
    bytes: &[u8],
) -> Response {
    let boundary = "----shop-image-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; \
         filename=\"product\"\r\nContent-Type: {declared}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = shop
        .client
        .put(&format!("/products/{id}/image"))
        .header(
            "content-type",
            format_args!("multipart/form-data; boundary={boundary}"),
        )
        .body(body);
    match user {
        Some(user) => request.by(user),
        None => request,
    }
    .send()
    .await
}

/// Checks that `response` is `{"image_url": "<endpoint>/<bucket>/<key>"}` and that the
/// object `key` of the bucket holds exactly `bytes`; gives the URL.
fn expect_image(response: &Response, s3: &S3Server, bytes: &[u8]) -> String {
    response.expect_status(200);
    let body: Value = response.expect_json();
    let Some(url) = body["image_url"].as_str() else {
        response.fail("expected {\"image_url\": \"<the object's URL>\"}")
    };
    response.expect_json_eq(json!({ "image_url": url }));
    let prefix = format!("{}/{}/", s3.endpoint(), s3.bucket());
    let Some(key) = url.strip_prefix(&prefix) else {
        response.fail(format!(
            "expected image_url to be the object's URL in the bucket, {prefix}<key>"
        ))
    };
    match std::fs::read(s3.root().join(s3.bucket()).join(key)) {
        Ok(content) if content == bytes => {}
        Ok(content) => response.fail(format!(
            "the object {key} holds {} bytes, not the {} uploaded",
            content.len(),
            bytes.len()
        )),
        Err(_) => response.fail(format!("no object {key} in the bucket: {:?}", s3.objects())),
    }
    url.to_string()
}

#[tokio::test]
async fn an_admin_uploads_a_product_image_to_the_bucket() {
    let (shop, s3) = start_with_storage().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    shop.client
        .get(&format!("/products/{}/image", shoe["id"]))
        .send()
        .await
        .expect_status(404);

    let png = file(PNG, 5000);
    let url = expect_image(
        &put_image(&shop, &shoe["id"], Some(&admin), "image/png", &png).await,
        &s3,
        &png,
    );
    shop.client
        .get(&format!("/products/{}/image", shoe["id"]))
        .send()
        .await
        .expect_status(307)
        .expect_header("location", &url);
    assert_eq!(
        shop.get_product(&shoe["id"]).await,
        shoe,
        "the product's JSON is as milestone 1 made it"
    );
}

#[tokio::test]
async fn the_image_type_is_read_from_the_bytes_not_from_the_declared_type() {
    let (shop, s3) = start_with_storage().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    // A script declared as a PNG is not one.
    let script = b"<script>alert(document.cookie)</script>".to_vec();
    put_image(&shop, &shoe["id"], Some(&admin), "image/png", &script)
        .await
        .expect_status(422);
    assert_eq!(s3.objects(), Vec::new(), "nothing stored");
    // Real images declared vaguely, or wrongly, are what their bytes say.
    for (magic, declared) in [(WEBP, "application/octet-stream"), (JPEG, "image/png")] {
        let bytes = file(magic, 3000);
        expect_image(
            &put_image(&shop, &shoe["id"], Some(&admin), declared, &bytes).await,
            &s3,
            &bytes,
        );
    }
}

#[tokio::test]
async fn an_image_over_one_mebibyte_is_a_413_and_is_not_stored() {
    let (shop, s3) = start_with_storage().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    put_image(
        &shop,
        &shoe["id"],
        Some(&admin),
        "image/png",
        &file(PNG, MAX_IMAGE_BYTES + 1),
    )
    .await
    .expect_status(413);
    assert_eq!(s3.objects(), Vec::new(), "nothing stored");
    let largest = file(PNG, MAX_IMAGE_BYTES);
    expect_image(
        &put_image(&shop, &shoe["id"], Some(&admin), "image/png", &largest).await,
        &s3,
        &largest,
    );
}

#[tokio::test]
async fn only_an_admin_uploads_an_image_of_a_product_that_exists() {
    let (shop, s3) = start_with_storage().await;
    let admin = shop.admin().await;
    let ada = shop.customer("ada").await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    let png = file(PNG, 2000);
    put_image(&shop, &shoe["id"], None, "image/png", &png)
        .await
        .expect_status(401);
    put_image(&shop, &shoe["id"], Some(&ada), "image/png", &png)
        .await
        .expect_status(403);
    put_image(&shop, &json!(424242), Some(&admin), "image/png", &png)
        .await
        .expect_status(404);
    assert_eq!(s3.objects(), Vec::new(), "nothing stored");
}

// Order events and the mailer.

/// The app publishing its events to an exchange of the test's own, and the mailer running
/// on a queue of the test's own, its e-mails read from `outbox`.
struct WithMailer {
    shop: Shop,
    outbox: UnboundedReceiver<Email>,
    // Kept for the test's lifetime: its exchange and queue are deleted with it.
    _amqp: TestAmqp,
}

async fn start_with_mailer() -> WithMailer {
    let amqp = testkit::amqp::connection().await;
    let exchange = amqp.exchange("shop-events");
    let queue = amqp.queue("mailer");
    let shop = start_with(config().with_events(amqp.url(), &exchange)).await;
    let (sender, outbox) = unbounded_channel();
    testkit::within(
        "mailer::start",
        exercise::mailer::start(amqp.url(), &exchange, &queue, sender),
    )
    .await
    .unwrap_or_else(|e| panic!("mailer::start failed: {e}"));
    WithMailer {
        shop,
        outbox,
        _amqp: amqp,
    }
}

impl WithMailer {
    /// The next e-mail the mailer sends (at most 5 s from now).
    async fn next_email(&mut self) -> Email {
        testkit::within("the mailer's next e-mail", self.outbox.recv())
            .await
            .expect("the mailer stopped: its task ended, or dropped the outbox")
    }
}

fn email(to: &str, subject: String) -> Email {
    Email {
        to: to.to_string(),
        subject,
    }
}

#[tokio::test]
async fn a_checkout_and_a_payment_each_send_the_customer_one_email() {
    let mut app = start_with_mailer().await;
    let shop = &app.shop;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    let ada = shop.customer("ada").await;
    let bob = shop.customer("bob").await;

    shop.put_in_cart(&ada, &shoe, 1).await;
    let order = shop.checkout(&ada, "ada-1", "1 Main Street").await;
    order.expect_status(201);
    let order: Value = order.expect_json();
    // A retry of the checkout answers the first order and announces nothing.
    shop.checkout(&ada, "ada-1", "1 Main Street")
        .await
        .expect_status(201);
    shop.pay("evt_1", &order["id"]).await.expect_status(200);
    // A redelivered payment changes nothing, and sends nothing.
    shop.pay("evt_1", &order["id"]).await.expect_status(200);
    let bobs = shop.order(&bob, &shoe, 2).await;

    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(app.next_email().await);
    }
    assert_eq!(
        got,
        [
            email("ada@example.com", format!("Order {} received", order["id"])),
            email("ada@example.com", format!("Order {} is paid", order["id"])),
            email("bob@example.com", format!("Order {} received", bobs["id"])),
        ],
        "one e-mail per order placed and per order paid, in that order: no copy for a retried \
         checkout or a redelivered payment"
    );
}

#[tokio::test]
async fn a_refused_checkout_or_payment_sends_no_email() {
    let mut app = start_with_mailer().await;
    let shop = &app.shop;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 3, "shoes"))
        .await;
    let ada = shop.customer("ada").await;
    let bob = shop.customer("bob").await;

    // Not enough stock: rolled back, so no order to announce.
    shop.put_in_cart(&ada, &shoe, 5).await;
    shop.checkout(&ada, "ada-1", "1 Main Street")
        .await
        .expect_status(409);
    let adas = shop.order(&ada, &shoe, 1).await;
    let bobs = shop.order(&bob, &shoe, 1).await;
    // A payment for a cancelled order is refused: nothing to announce either.
    shop.client
        .post(&format!("/orders/{}/cancel", adas["id"]))
        .by(&ada)
        .send()
        .await
        .expect_status(200);
    shop.pay("evt_ada", &adas["id"]).await.expect_status(409);
    shop.pay("evt_bob", &bobs["id"]).await.expect_status(200);

    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(app.next_email().await);
    }
    assert_eq!(
        got,
        [
            email("ada@example.com", format!("Order {} received", adas["id"])),
            email("bob@example.com", format!("Order {} received", bobs["id"])),
            email("bob@example.com", format!("Order {} is paid", bobs["id"])),
        ],
        "events only for what was committed"
    );
}

// The OpenAPI document.

#[tokio::test]
async fn the_openapi_document_lists_every_operation_of_the_api() {
    let shop = crate::common::start().await;
    let response = shop.client.get("/openapi.json").send().await;
    response.expect_status(200);
    let document: Value = response.expect_json();
    if !document["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3."))
    {
        response.fail("expected an OpenAPI 3 document: {\"openapi\": \"3.1.0\", ...}");
    }
    assert_eq!(
        document["servers"],
        json!([{ "url": "/api" }]),
        "paths are relative to /api"
    );
    let Some(paths) = document["paths"].as_object() else {
        response.fail("expected `paths`")
    };
    let operations: BTreeSet<String> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flat_map(|methods| methods.keys())
                .filter(|method| {
                    ["get", "put", "post", "delete", "patch"].contains(&method.as_str())
                })
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    let expected: BTreeSet<String> = [
        "POST /users",
        "POST /users/login",
        "GET /products",
        "POST /products",
        "GET /products/{id}",
        "PUT /products/{id}",
        "GET /products/{id}/image",
        "PUT /products/{id}/image",
        "GET /cart",
        "PUT /cart/items/{product_id}",
        "DELETE /cart/items/{product_id}",
        "POST /checkout",
        "GET /orders",
        "GET /orders/{id}",
        "POST /orders/{id}/cancel",
        "POST /orders/{id}/ship",
        "POST /orders/{id}/deliver",
        "POST /webhooks/payments",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(operations, expected, "every route, and only routes");

    // The headers a client cannot guess are documented where they are required.
    for (path, header) in [
        ("/checkout", "Idempotency-Key"),
        ("/webhooks/payments", "Shop-Signature"),
    ] {
        let parameters = document["paths"][path]["post"]["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let documented = parameters.iter().any(|p| {
            p["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(header))
                && p["in"] == "header"
                && p["required"] == true
        });
        assert!(
            documented,
            "POST {path} documents its required header {header}: {parameters:?}"
        );
    }
}
