//! Milestone 4: the signed payment webhook, and the order's states: pay, ship, deliver,
//! cancel, each only from the status it leaves, and each customer's orders their own.

use serde_json::{Value, json};

use crate::common::{
    By, Shop, User, WEBHOOK_SECRET, hmac_hex, line, now, payment_event, product, signature, start,
};

/// An admin, a customer, a shoe at 89.00 (stock 10), and the customer's order of 2 shoes.
async fn ordered(shop: &Shop) -> (User, User, Value, Value) {
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    let ada = shop.customer("ada").await;
    let order = shop.order(&ada, &shoe, 2).await;
    (admin, ada, shoe, order)
}

/// `order` (as answered at checkout) in `status`.
fn in_status(order: &Value, status: &str) -> Value {
    let mut order = order.clone();
    order["status"] = json!(status);
    order
}

/// `user` posts `/orders/{id}/{action}`; the answer.
async fn act(shop: &Shop, user: &User, order: &Value, action: &str) -> testkit::http::Response {
    shop.client
        .post(&format!("/orders/{}/{action}", order["id"]))
        .by(user)
        .send()
        .await
}

#[tokio::test]
async fn a_signed_payment_event_marks_the_order_paid() {
    let shop = start().await;
    let (_, ada, _, order) = ordered(&shop).await;
    assert_eq!(
        shop.get_order(&ada, &order["id"]).await,
        order,
        "GET /api/orders/{{id}} answers the order as checkout did"
    );
    // An event of a type the shop does not handle is acknowledged, and changes nothing.
    let other =
        json!({ "id": "evt_0", "type": "charge.updated", "order_id": order["id"] }).to_string();
    shop.webhook(&other, Some(&signature(WEBHOOK_SECRET, now(), &other)))
        .await
        .expect_status(200);
    assert_eq!(shop.get_order(&ada, &order["id"]).await, order);
    shop.pay("evt_1", &order["id"]).await.expect_status(200);
    assert_eq!(
        shop.get_order(&ada, &order["id"]).await,
        in_status(&order, "paid")
    );
}

#[tokio::test]
async fn a_missing_or_bad_signature_is_a_401_and_changes_nothing() {
    let shop = start().await;
    let (_, ada, _, order) = ordered(&shop).await;
    let body = payment_event("evt_1", &order["id"]);
    let t = now();
    let other_body = payment_event("evt_1", &json!(order["id"].as_i64().unwrap_or(0) + 1));
    let bad = [
        None,
        Some(String::new()),
        Some(format!("v1={}", hmac_hex(WEBHOOK_SECRET, t, &body))),
        Some(format!("t={t}")),
        Some(signature("whsec_somebody-elses-secret", t, &body)),
        Some(signature(WEBHOOK_SECRET, t, &other_body)),
        Some(format!("t={t},v1=not-hex")),
        Some(format!("t=soon,v1={}", hmac_hex(WEBHOOK_SECRET, t, &body))),
    ];
    for signature in &bad {
        shop.webhook(&body, signature.as_deref())
            .await
            .expect_status(401);
    }
    assert_eq!(shop.get_order(&ada, &order["id"]).await, order);
}

#[tokio::test]
async fn a_timestamp_more_than_five_minutes_away_is_refused() {
    let shop = start().await;
    let (_, ada, _, order) = ordered(&shop).await;
    let body = payment_event("evt_1", &order["id"]);
    for t in [now() - 400, now() + 400, 0] {
        shop.webhook(&body, Some(&signature(WEBHOOK_SECRET, t, &body)))
            .await
            .expect_status(401);
    }
    assert_eq!(shop.get_order(&ada, &order["id"]).await, order);
    // A delivery a minute late is fine: networks and queues take time.
    shop.webhook(&body, Some(&signature(WEBHOOK_SECRET, now() - 60, &body)))
        .await
        .expect_status(200);
    assert_eq!(
        shop.get_order(&ada, &order["id"]).await,
        in_status(&order, "paid")
    );
}

#[tokio::test]
async fn the_timestamp_is_part_of_what_is_signed() {
    let shop = start().await;
    let (_, ada, _, order) = ordered(&shop).await;
    let body = payment_event("evt_1", &order["id"]);
    // An attacker holds a delivery of an hour ago, and puts a fresh `t` in front of its MAC.
    let old_mac = hmac_hex(WEBHOOK_SECRET, now() - 3600, &body);
    shop.webhook(&body, Some(&format!("t={},v1={old_mac}", now())))
        .await
        .expect_status(401);
    assert_eq!(shop.get_order(&ada, &order["id"]).await, order);
}

#[tokio::test]
async fn one_valid_signature_among_several_is_enough() {
    let shop = start().await;
    let (_, ada, _, order) = ordered(&shop).await;
    let body = payment_event("evt_1", &order["id"]);
    let t = now();
    // During a rotation the provider signs with the old secret and the new one.
    let header = format!(
        "t={t},v1={},v1={}",
        hmac_hex("whsec_the-retired-secret", t, &body),
        hmac_hex(WEBHOOK_SECRET, t, &body)
    );
    shop.webhook(&body, Some(&header)).await.expect_status(200);
    assert_eq!(
        shop.get_order(&ada, &order["id"]).await,
        in_status(&order, "paid")
    );
}

#[tokio::test]
async fn a_redelivered_event_is_acknowledged_and_changes_nothing() {
    let shop = start().await;
    let (admin, ada, _, order) = ordered(&shop).await;
    shop.pay("evt_1", &order["id"]).await.expect_status(200);
    // Providers deliver at least once: the same event again is a success, not a 409.
    shop.pay("evt_1", &order["id"]).await.expect_status(200);
    act(&shop, &admin, &order, "ship").await.expect_status(200);
    shop.pay("evt_1", &order["id"]).await.expect_status(200);
    assert_eq!(
        shop.get_order(&ada, &order["id"]).await,
        in_status(&order, "shipped"),
        "a copy of the payment event does not move a shipped order back to paid"
    );
}

#[tokio::test]
async fn an_order_goes_from_paid_to_shipped_to_delivered_by_an_admin() {
    let shop = start().await;
    let (admin, ada, _, order) = ordered(&shop).await;
    shop.pay("evt_1", &order["id"]).await.expect_status(200);
    act(&shop, &ada, &order, "ship").await.expect_status(403);
    act(&shop, &admin, &order, "ship")
        .await
        .expect_status(200)
        .expect_json_eq(in_status(&order, "shipped"));
    act(&shop, &ada, &order, "deliver").await.expect_status(403);
    act(&shop, &admin, &order, "deliver")
        .await
        .expect_status(200)
        .expect_json_eq(in_status(&order, "delivered"));
    assert_eq!(
        shop.get_order(&ada, &order["id"]).await,
        in_status(&order, "delivered")
    );
}

#[tokio::test]
async fn every_move_the_state_machine_lacks_is_a_409() {
    let shop = start().await;
    let (admin, ada, _, order) = ordered(&shop).await;
    // pending_payment: not shipped, not delivered before it is paid.
    act(&shop, &admin, &order, "ship").await.expect_status(409);
    act(&shop, &admin, &order, "deliver")
        .await
        .expect_status(409);
    shop.pay("evt_1", &order["id"]).await.expect_status(200);
    // paid: not delivered before shipped, not paid again by another event.
    act(&shop, &admin, &order, "deliver")
        .await
        .expect_status(409);
    shop.pay("evt_2", &order["id"]).await.expect_status(409);
    act(&shop, &admin, &order, "ship").await.expect_status(200);
    // shipped: not shipped again, not cancelled.
    act(&shop, &admin, &order, "ship").await.expect_status(409);
    act(&shop, &ada, &order, "cancel").await.expect_status(409);
    act(&shop, &admin, &order, "deliver")
        .await
        .expect_status(200);
    // delivered: the end.
    for action in ["ship", "deliver"] {
        act(&shop, &admin, &order, action).await.expect_status(409);
    }
    act(&shop, &ada, &order, "cancel").await.expect_status(409);
    assert_eq!(
        shop.get_order(&ada, &order["id"]).await,
        in_status(&order, "delivered")
    );
    // An order that does not exist is a 404, not a 409.
    let ghost = json!({ "id": 424242 });
    act(&shop, &admin, &ghost, "ship").await.expect_status(404);
    shop.pay("evt_ghost", &ghost["id"]).await.expect_status(404);
}

#[tokio::test]
async fn a_customer_cancels_a_pending_order_and_the_stock_comes_back() {
    let shop = start().await;
    let (_, ada, shoe, order) = ordered(&shop).await;
    assert_eq!(shop.stock(&shoe["id"]).await, 8);
    act(&shop, &ada, &order, "cancel")
        .await
        .expect_status(200)
        .expect_json_eq(in_status(&order, "cancelled"));
    assert_eq!(
        shop.stock(&shoe["id"]).await,
        10,
        "the cancelled shoes are for sale again"
    );
    // Cancelled is the end: not cancelled twice (the stock would come back twice), not paid.
    act(&shop, &ada, &order, "cancel").await.expect_status(409);
    shop.pay("evt_1", &order["id"]).await.expect_status(409);
    assert_eq!(shop.stock(&shoe["id"]).await, 10);
    assert_eq!(
        shop.get_order(&ada, &order["id"]).await,
        in_status(&order, "cancelled")
    );
}

#[tokio::test]
async fn a_paid_order_cannot_be_cancelled() {
    let shop = start().await;
    let (_, ada, shoe, order) = ordered(&shop).await;
    shop.pay("evt_1", &order["id"]).await.expect_status(200);
    act(&shop, &ada, &order, "cancel").await.expect_status(409);
    assert_eq!(shop.stock(&shoe["id"]).await, 8);
    assert_eq!(
        shop.get_order(&ada, &order["id"]).await,
        in_status(&order, "paid")
    );
}

#[tokio::test]
async fn customers_see_and_cancel_only_their_own_orders() {
    let shop = start().await;
    let (admin, ada, shoe, order) = ordered(&shop).await;
    let bob = shop.customer("bob").await;
    let bobs = shop.order(&bob, &shoe, 1).await;
    shop.client
        .get("/orders")
        .by(&ada)
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "orders": [order] }));
    shop.client
        .get("/orders")
        .by(&bob)
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "orders": [bobs] }));
    // Another customer's order is as unknown as one that does not exist.
    shop.client
        .get(&format!("/orders/{}", order["id"]))
        .by(&bob)
        .send()
        .await
        .expect_status(404);
    act(&shop, &bob, &order, "cancel").await.expect_status(404);
    assert_eq!(shop.get_order(&ada, &order["id"]).await, order);
    assert_eq!(shop.stock(&shoe["id"]).await, 7);
    // The admin sees every order, newest first.
    assert_eq!(shop.get_order(&admin, &order["id"]).await, order);
    shop.client
        .get("/orders")
        .by(&admin)
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "orders": [bobs, order] }));
    shop.client.get("/orders").send().await.expect_status(401);
}

#[tokio::test]
async fn an_order_keeps_the_prices_and_names_of_checkout_time() {
    let shop = start().await;
    let (admin, ada, shoe, order) = ordered(&shop).await;
    assert_eq!(order["lines"], json!([line(&shoe, 2)]));
    shop.client
        .put(&format!("/products/{}", shoe["id"]))
        .by(&admin)
        .json(&product("Running Shoe II", "Faster.", 12900, 8, "shoes"))
        .send()
        .await
        .expect_status(200);
    assert_eq!(
        shop.get_order(&ada, &order["id"]).await,
        order,
        "what was bought at 89.00 stays bought at 89.00"
    );
    let newer = shop
        .order(&ada, &shop.get_product(&shoe["id"]).await, 1)
        .await;
    shop.client
        .get("/orders")
        .by(&ada)
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "orders": [newer, order] }));
}
