//! Milestone 4, pinned behaviour: your `app(service)` answers as the legacy app does. Each
//! test runs its requests against both, `Legacy` then `Refactored` (the log says which one a
//! failure is about), each on a database of its own with a mail API of its own, and checks
//! both against the same expectations: status, whole JSON bodies, the mails. These are
//! characterization tests: they were written by running the legacy code, and they hold the
//! refactoring to it, quirks included.
//!
//! The prices depend on the time of the request (happy hour), so the expected amounts are
//! chosen by the `created_at` of the answer, which is the instant the order was priced at.

use chrono::{DateTime, Timelike, Utc};
use serde_json::{Value, json};
use testkit::http::Response;

use crate::common::{
    FailingRepository, FixedClock, MailSink, RecordingMailer, Side, at, database, router, run,
    serve,
};
use crate::exercise::{InMemoryOrderRepository, OrderService, app};

const SIDES: [Side; 2] = [Side::Legacy, Side::Refactored];

fn coffee_and_cake(email: &str) -> Value {
    json!({
        "email": email,
        "lines": [
            { "sku": "coffee", "quantity": 2, "unit_price_cents": 350 },
            { "sku": "cake", "quantity": 1, "unit_price_cents": 400 },
        ],
    })
}

/// The body of `response` as JSON, its `created_at` checked and returned: UTC with
/// milliseconds, between `before` and now.
fn body_and_instant(response: &Response, before: DateTime<Utc>) -> (Value, DateTime<Utc>) {
    let body: Value = response.expect_json();
    let text = body["created_at"].as_str().unwrap_or_else(|| {
        response.fail("expected `created_at`, a string such as 2026-12-03T17:59:59.123Z")
    });
    let format_ok = text.len() == 24 && text.ends_with('Z') && text.as_bytes()[19] == b'.';
    let instant = DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc));
    let after = Utc::now();
    match instant {
        Ok(instant)
            if format_ok
                && instant >= before - chrono::Duration::milliseconds(1)
                && instant <= after =>
        {
            (body, instant)
        }
        _ => response.fail(format!(
            "expected `created_at` in UTC with milliseconds (2026-12-03T17:59:59.123Z), the \
             time of the request (between {before} and {after}), got {text:?}"
        )),
    }
}

/// The amounts of coffee and cake, with or without happy hour.
fn coffee_and_cake_amounts(happy: bool) -> (i64, i64, i64, i64) {
    if happy {
        (1100, 110, 198, 1188)
    } else {
        (1100, 0, 220, 1320)
    }
}

fn coffee_and_cake_json(id: i64, email: &str, created_at: DateTime<Utc>) -> Value {
    let (subtotal, discount, tax, total) = coffee_and_cake_amounts(created_at.hour() == 17);
    json!({
        "id": id,
        "email": email,
        "lines": [
            { "sku": "coffee", "quantity": 2, "unit_price_cents": 350 },
            { "sku": "cake", "quantity": 1, "unit_price_cents": 400 },
        ],
        "coupon": null,
        "subtotal_cents": subtotal,
        "discount_cents": discount,
        "tax_cents": tax,
        "total_cents": total,
        "created_at": created_at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    })
}

fn with_mail(mut order: Value, mail: &str) -> Value {
    order["mail"] = json!(mail);
    order
}

#[tokio::test]
async fn placing_an_order_answers_201_with_its_prices_and_mails_the_confirmation() {
    for side in SIDES {
        let app = run(side, 200).await;
        let before = Utc::now();
        let response = app
            .client
            .post("/api/orders")
            .json(&coffee_and_cake(" ada@example.com "))
            .send()
            .await;
        response.expect_status(201);
        let (body, instant) = body_and_instant(&response, before);
        let want = coffee_and_cake_json(1, "ada@example.com", instant);
        response.expect_json_eq(with_mail(want, "sent"));

        let text = if instant.hour() == 17 {
            "Thank you for your order #1.\n\n2 x coffee at 3.50 EUR\n1 x cake at 4.00 EUR\n\n\
             Subtotal: 11.00 EUR\nDiscount: -1.10 EUR\nTax: 1.98 EUR\nTotal: 11.88 EUR\n"
        } else {
            "Thank you for your order #1.\n\n2 x coffee at 3.50 EUR\n1 x cake at 4.00 EUR\n\n\
             Subtotal: 11.00 EUR\nTax: 2.20 EUR\nTotal: 13.20 EUR\n"
        };
        assert_eq!(
            app.sink.received(),
            vec![(
                "/v1/messages".to_string(),
                json!({ "to": "ada@example.com", "subject": "Your order #1", "text": text }),
            )],
            "{side:?}: one mail to the mail API, the legacy JSON and text (answer: {body})"
        );
    }
}

#[tokio::test]
async fn a_coupon_and_quantity_discounts_are_priced_and_mailed_as_before() {
    for side in SIDES {
        let app = run(side, 200).await;
        let before = Utc::now();
        let order = json!({
            "email": "ada@example.com",
            "lines": [
                { "sku": "mug", "quantity": 12, "unit_price_cents": 250 },
                { "sku": "spoon", "quantity": 5, "unit_price_cents": 99 },
            ],
            "coupon": "SAVE10",
            "gift_wrap": true,
        });
        let response = app.client.post("/api/orders").json(&order).send().await;
        response.expect_status(201);
        let (_, instant) = body_and_instant(&response, before);
        let happy = instant.hour() == 17;
        let (discount, tax, total) = if happy {
            (927, 514, 3082)
        } else {
            (642, 571, 3424)
        };
        response.expect_json_eq(json!({
            "id": 1,
            "email": "ada@example.com",
            "lines": [
                { "sku": "mug", "quantity": 12, "unit_price_cents": 250 },
                { "sku": "spoon", "quantity": 5, "unit_price_cents": 99 },
            ],
            "coupon": "SAVE10",
            "subtotal_cents": 3495,
            "discount_cents": discount,
            "tax_cents": tax,
            "total_cents": total,
            "created_at": instant.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            "mail": "sent",
        }));
        let money = |cents: i64| format!("{}.{:02} EUR", cents / 100, cents % 100);
        let text = format!(
            "Thank you for your order #1.\n\n12 x mug at 2.50 EUR\n5 x spoon at 0.99 EUR\n\n\
             Subtotal: 34.95 EUR\nDiscount: -{}\nTax: {}\nTotal: {}\n",
            money(discount),
            money(tax),
            money(total)
        );
        let mails: Vec<Value> = app.sink.received().into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            mails,
            vec![json!({ "to": "ada@example.com", "subject": "Your order #1", "text": text })],
            "{side:?}: the confirmation"
        );
    }
}

#[tokio::test]
async fn a_refused_order_is_422_with_the_legacy_message_and_nothing_is_saved_or_mailed() {
    let tea = json!({ "sku": "tea", "quantity": 1, "unit_price_cents": 250 });
    let cases = [
        (
            json!({ "email": "ada", "lines": [tea] }),
            "email is not valid",
        ),
        (
            json!({ "email": "ada@example.com", "lines": [] }),
            "an order needs at least one line",
        ),
        (
            json!({ "email": "ada@example.com", "lines": vec![tea.clone(); 101] }),
            "an order has at most 100 lines",
        ),
        (
            json!({ "email": "ada@example.com", "lines": [tea, { "sku": "", "quantity": 1, "unit_price_cents": 1 }] }),
            "line 2: sku is empty",
        ),
        (
            json!({ "email": "ada@example.com", "lines": [{ "sku": "tea", "quantity": 1000, "unit_price_cents": 1 }] }),
            "line 1: quantity must be between 1 and 999",
        ),
        (
            json!({ "email": "ada@example.com", "lines": [{ "sku": "tea", "quantity": 1, "unit_price_cents": -5 }] }),
            "line 1: unit price must be between 0 and 1000000 cents",
        ),
        (
            json!({ "email": "ada@example.com", "lines": [tea], "coupon": "FREE" }),
            "unknown coupon: FREE",
        ),
    ];
    for side in SIDES {
        let app = run(side, 200).await;
        for (order, message) in &cases {
            app.client
                .post("/api/orders")
                .json(order)
                .send()
                .await
                .expect_status(422)
                .expect_json_eq(json!({ "error": message }));
        }
        app.client
            .get("/api/orders?email=ada@example.com")
            .send()
            .await
            .expect_status(200)
            .expect_json_eq(json!({ "orders": [] }));
        assert_eq!(
            app.sink.received(),
            vec![],
            "{side:?}: no mail for a refused order"
        );
    }
}

#[tokio::test]
async fn a_body_that_is_not_an_order_is_400_whatever_its_content_type() {
    let bodies: [(&str, &str); 5] = [
        ("application/json", "this is not JSON"),
        ("application/json", r#"{"email": "ada@example.com"}"#),
        (
            "application/json",
            r#"{"email": "ada@example.com", "lines": [{"sku": "tea", "quantity": "2", "unit_price_cents": 250}]}"#,
        ),
        ("application/json", "[]"),
        (
            "text/plain",
            r#"{"email": "ada@example.com", "lines": [{"sku": "tea", "quantity": 2.5, "unit_price_cents": 250}]}"#,
        ),
    ];
    for side in SIDES {
        let app = run(side, 200).await;
        for (content_type, body) in bodies {
            app.client
                .post("/api/orders")
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .expect_status(400)
                .expect_json_eq(json!({ "error": "the body is not a valid order" }));
        }
        // A good order without a JSON content type is still an order (the legacy reads any).
        let order = coffee_and_cake("ada@example.com").to_string();
        app.client
            .post("/api/orders")
            .header("content-type", "text/plain")
            .body(order)
            .send()
            .await
            .expect_status(201);
    }
}

#[tokio::test]
async fn an_order_is_read_back_by_id_and_an_unknown_id_is_404() {
    for side in SIDES {
        let app = run(side, 200).await;
        let before = Utc::now();
        let response = app
            .client
            .post("/api/orders")
            .json(&coffee_and_cake("ada@example.com"))
            .send()
            .await;
        response.expect_status(201);
        let (_, instant) = body_and_instant(&response, before);
        app.client
            .get("/api/orders/1")
            .send()
            .await
            .expect_status(200)
            .expect_json_eq(coffee_and_cake_json(1, "ada@example.com", instant));
        for id in [2, 0, -1] {
            app.client
                .get(&format!("/api/orders/{id}"))
                .send()
                .await
                .expect_status(404)
                .expect_json_eq(json!({ "error": format!("order {id} not found") }));
        }
    }
}

#[tokio::test]
async fn a_customers_orders_are_listed_newest_first_and_only_theirs() {
    for side in SIDES {
        let app = run(side, 200).await;
        let mut created = vec![];
        for email in [
            "ada@example.com",
            "bob@example.com",
            "ada@example.com",
            "ada@example.com",
        ] {
            let before = Utc::now();
            let response = app
                .client
                .post("/api/orders")
                .json(&coffee_and_cake(email))
                .send()
                .await;
            response.expect_status(201);
            created.push(body_and_instant(&response, before).1);
        }
        let want: Vec<Value> = [4, 3, 1]
            .iter()
            .map(|&id| coffee_and_cake_json(id, "ada@example.com", created[id as usize - 1]))
            .collect();
        app.client
            .get("/api/orders?email=ada@example.com")
            .send()
            .await
            .expect_status(200)
            .expect_json_eq(json!({ "orders": want }));
        app.client
            .get("/api/orders?email=carol@example.com")
            .send()
            .await
            .expect_status(200)
            .expect_json_eq(json!({ "orders": [] }));
        app.client
            .get("/api/orders")
            .send()
            .await
            .expect_status(400)
            .expect_json_eq(json!({ "error": "give the customer's email: /api/orders?email=..." }));
    }
}

#[tokio::test]
async fn a_mail_api_that_fails_leaves_the_order_saved_and_the_answer_says_pending() {
    for side in SIDES {
        let app = run(side, 503).await;
        let before = Utc::now();
        let response = app
            .client
            .post("/api/orders")
            .json(&coffee_and_cake("ada@example.com"))
            .send()
            .await;
        response.expect_status(201);
        let (_, instant) = body_and_instant(&response, before);
        let order = coffee_and_cake_json(1, "ada@example.com", instant);
        response.expect_json_eq(with_mail(order.clone(), "pending"));
        app.client
            .get("/api/orders/1")
            .send()
            .await
            .expect_status(200)
            .expect_json_eq(order);
        assert_eq!(
            app.sink.received().len(),
            1,
            "{side:?}: one attempt to mail"
        );
    }
}

#[tokio::test]
async fn the_refactored_app_reads_the_orders_the_legacy_app_wrote_and_the_other_way_round() {
    // One database, both apps: the refactoring can be deployed over the legacy one's data,
    // and rolled back.
    let db = database().await;
    let sink = MailSink::start(200).await;
    let legacy = testkit::http::Client::new(format!(
        "http://{}",
        serve(router(Side::Legacy, &db, &sink)).await
    ));
    let refactored = testkit::http::Client::new(format!(
        "http://{}",
        serve(router(Side::Refactored, &db, &sink)).await
    ));
    let mut orders = vec![];
    for (client, email) in [
        (&legacy, "ada@example.com"),
        (&refactored, "ada@example.com"),
        (&legacy, "bob@example.com"),
    ] {
        let before = Utc::now();
        let response = client
            .post("/api/orders")
            .json(&coffee_and_cake(email))
            .send()
            .await;
        response.expect_status(201);
        let (_, instant) = body_and_instant(&response, before);
        orders.push(coffee_and_cake_json(
            orders.len() as i64 + 1,
            email,
            instant,
        ));
    }
    for client in [&legacy, &refactored] {
        for (id, order) in (1..).zip(&orders) {
            client
                .get(&format!("/api/orders/{id}"))
                .send()
                .await
                .expect_status(200)
                .expect_json_eq(order.clone());
        }
        client
            .get("/api/orders?email=ada@example.com")
            .send()
            .await
            .expect_status(200)
            .expect_json_eq(json!({ "orders": [orders[1], orders[0]] }));
    }
}

#[tokio::test]
async fn the_refactored_app_prices_at_the_instant_of_the_clock_it_is_given() {
    // What the legacy app cannot do: the same HTTP layer, on fakes. A handler that reads the
    // time itself, or prices the order itself, answers otherwise at one of these instants.
    for instant in ["2026-12-03T17:30:00Z", "2026-12-03T09:30:00Z"] {
        let mailer = RecordingMailer::default();
        let service = OrderService::new(
            InMemoryOrderRepository::new(),
            mailer.clone(),
            FixedClock(at(instant)),
        );
        let client = testkit::http::Client::new(format!("http://{}", serve(app(service)).await));
        let response = client
            .post("/api/orders")
            .json(&coffee_and_cake("ada@example.com"))
            .send()
            .await;
        response.expect_status(201).expect_json_eq(with_mail(
            coffee_and_cake_json(1, "ada@example.com", at(instant)),
            "sent",
        ));
        assert_eq!(
            mailer.mails().len(),
            1,
            "one confirmation, through the mailer given"
        );
    }
}

#[tokio::test]
async fn a_store_that_fails_is_a_500_that_says_nothing_of_the_database() {
    // The legacy answer to a database error is `500 {"error": "storage failed"}`, the details
    // going to the log only (they can name tables, hosts, users). Only a fake store can show
    // it without breaking a database.
    let mailer = RecordingMailer::default();
    let service = OrderService::new(
        FailingRepository,
        mailer.clone(),
        FixedClock(at("2026-12-03T09:30:00Z")),
    );
    let client = testkit::http::Client::new(format!("http://{}", serve(app(service)).await));
    let storage_failed = json!({ "error": "storage failed" });
    client
        .post("/api/orders")
        .json(&coffee_and_cake("ada@example.com"))
        .send()
        .await
        .expect_status(500)
        .expect_json_eq(storage_failed.clone());
    client
        .get("/api/orders/1")
        .send()
        .await
        .expect_status(500)
        .expect_json_eq(storage_failed.clone());
    client
        .get("/api/orders?email=ada@example.com")
        .send()
        .await
        .expect_status(500)
        .expect_json_eq(storage_failed);
    assert_eq!(
        mailer.mails(),
        vec![],
        "no mail for an order that was not saved"
    );
}
