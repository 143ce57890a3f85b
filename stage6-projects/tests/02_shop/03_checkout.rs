//! Milestone 3: checkout. The cart becomes an order in one transaction: no oversell when
//! many buy at once, and an `Idempotency-Key` that makes a retried request harmless.

use futures_util::future::join_all;
use futures_util::{StreamExt, stream};
use serde_json::{Value, json};

use crate::common::{By, User, cart, checkout_on, line, product, register_on, start};

/// The order the contract promises for `lines` shipped to `address`, with the `id` the app
/// answered (checked to be a number).
fn expected_order(answer: &Value, lines: &[Value], address: &str) -> Value {
    let id = answer["id"].as_i64().unwrap_or(-1);
    let total: i64 = lines
        .iter()
        .map(|line| line["line_total_cents"].as_i64().expect("a line total"))
        .sum();
    json!({
        "id": id,
        "status": "pending_payment",
        "address": address,
        "lines": lines,
        "total_cents": total,
    })
}

#[tokio::test]
async fn checkout_turns_the_cart_into_an_order_and_takes_the_stock() {
    let shop = start().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    let socks = shop
        .create_product(&admin, &product("Wool Socks", "Warm.", 1500, 40, "socks"))
        .await;
    let ada = shop.customer("ada").await;
    shop.put_in_cart(&ada, &socks, 3).await;
    shop.put_in_cart(&ada, &shoe, 2).await;

    let response = shop.checkout(&ada, "first-checkout", "1 Main Street").await;
    response.expect_status(201);
    let order: Value = response.expect_json();
    response.expect_json_eq(expected_order(
        &order,
        &[line(&shoe, 2), line(&socks, 3)],
        "1 Main Street",
    ));
    assert_eq!(shop.stock(&shoe["id"]).await, 8);
    assert_eq!(shop.stock(&socks["id"]).await, 37);
    assert_eq!(shop.cart(&ada).await, cart(&[]), "the cart is emptied");
}

#[tokio::test]
async fn checkout_needs_an_account_an_idempotency_key_and_an_address() {
    let shop = start().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    let ada = shop.customer("ada").await;
    shop.put_in_cart(&ada, &shoe, 1).await;
    shop.client
        .post("/checkout")
        .header("idempotency-key", "k1")
        .json(&json!({ "address": "1 Main Street" }))
        .send()
        .await
        .expect_status(401);
    shop.client
        .post("/checkout")
        .by(&ada)
        .json(&json!({ "address": "1 Main Street" }))
        .send()
        .await
        .expect_status(400);
    shop.checkout(&ada, "k1", "  ").await.expect_status(422);
    assert_eq!(shop.stock(&shoe["id"]).await, 10);
    assert_eq!(shop.cart(&ada).await, cart(&[line(&shoe, 1)]));
}

#[tokio::test]
async fn an_empty_cart_cannot_be_checked_out() {
    let shop = start().await;
    let ada = shop.customer("ada").await;
    shop.checkout(&ada, "k1", "1 Main Street")
        .await
        .expect_status(422);
}

#[tokio::test]
async fn not_enough_stock_is_a_409_and_changes_nothing() {
    let shop = start().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 5, "shoes"))
        .await;
    let jacket = shop
        .create_product(&admin, &product("Rain Jacket", "Dry.", 15000, 2, "jackets"))
        .await;
    let ada = shop.customer("ada").await;
    // The shoe (first by id) has enough, the jacket not: the shoe's stock must come back.
    shop.put_in_cart(&ada, &shoe, 2).await;
    shop.put_in_cart(&ada, &jacket, 3).await;
    shop.checkout(&ada, "k1", "1 Main Street")
        .await
        .expect_status(409);
    assert_eq!(
        shop.stock(&shoe["id"]).await,
        5,
        "a refused checkout takes no stock"
    );
    assert_eq!(shop.stock(&jacket["id"]).await, 2);
    assert_eq!(
        shop.cart(&ada).await,
        cart(&[line(&shoe, 2), line(&jacket, 3)]),
        "a refused checkout leaves the cart"
    );

    // A refused checkout is not remembered: with the cart fixed, the same key goes through.
    shop.put_in_cart(&ada, &jacket, 2).await;
    let response = shop.checkout(&ada, "k1", "1 Main Street").await;
    response.expect_status(201);
    let order: Value = response.expect_json();
    response.expect_json_eq(expected_order(
        &order,
        &[line(&shoe, 2), line(&jacket, 2)],
        "1 Main Street",
    ));
    assert_eq!(shop.stock(&jacket["id"]).await, 0);
}

#[tokio::test]
async fn a_retry_with_the_same_key_answers_the_first_answer_and_buys_nothing_more() {
    let shop = start().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    let ada = shop.customer("ada").await;
    shop.put_in_cart(&ada, &shoe, 2).await;
    let first = shop.checkout(&ada, "retry-me", "1 Main Street").await;
    first.expect_status(201);
    let order: Value = first.expect_json();

    // The client never saw that answer and sends the same request again, twice.
    for _ in 0..2 {
        shop.checkout(&ada, "retry-me", "1 Main Street")
            .await
            .expect_status(201)
            .expect_json_eq(order.clone());
    }
    assert_eq!(shop.stock(&shoe["id"]).await, 8);

    // Even with a new cart, the key's answer is the first order: a retry buys nothing.
    shop.put_in_cart(&ada, &shoe, 1).await;
    shop.checkout(&ada, "retry-me", "1 Main Street")
        .await
        .expect_status(201)
        .expect_json_eq(order.clone());
    assert_eq!(shop.stock(&shoe["id"]).await, 8);
    assert_eq!(shop.cart(&ada).await, cart(&[line(&shoe, 1)]));

    // A new key is a new checkout.
    let second = shop.checkout(&ada, "another-key", "1 Main Street").await;
    second.expect_status(201);
    let second: Value = second.expect_json();
    assert_ne!(second["id"], order["id"], "a new key makes a new order");
    assert_eq!(shop.stock(&shoe["id"]).await, 7);
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_a_422() {
    let shop = start().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    let ada = shop.customer("ada").await;
    shop.put_in_cart(&ada, &shoe, 1).await;
    shop.checkout(&ada, "k1", "1 Main Street")
        .await
        .expect_status(201);
    shop.put_in_cart(&ada, &shoe, 1).await;
    shop.checkout(&ada, "k1", "22 Other Road")
        .await
        .expect_status(422);
    assert_eq!(shop.stock(&shoe["id"]).await, 9);
    assert_eq!(shop.cart(&ada).await, cart(&[line(&shoe, 1)]));
}

#[tokio::test]
async fn idempotency_keys_are_each_customers_own() {
    let shop = start().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(&admin, &product("Running Shoe", "Fast.", 8900, 10, "shoes"))
        .await;
    let ada = shop.customer("ada").await;
    let bob = shop.customer("bob").await;
    shop.put_in_cart(&ada, &shoe, 1).await;
    shop.put_in_cart(&bob, &shoe, 2).await;
    let for_ada = shop.checkout(&ada, "order-1", "1 Main Street").await;
    for_ada.expect_status(201);
    // Bob's client happens to choose the same key: his checkout is his own.
    let for_bob = shop.checkout(&bob, "order-1", "1 Main Street").await;
    for_bob.expect_status(201);
    let order: Value = for_bob.expect_json();
    for_bob.expect_json_eq(expected_order(&order, &[line(&shoe, 2)], "1 Main Street"));
    assert_eq!(shop.stock(&shoe["id"]).await, 7);
}

#[tokio::test]
async fn fifty_customers_buying_the_last_ten_get_exactly_ten_orders() {
    let shop = start().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(
            &admin,
            &product("Last Shoe", "Almost gone.", 8900, 10, "shoes"),
        )
        .await;
    // Registered four at a time: each registration hashes a password with argon2, tens of
    // milliseconds of CPU on purpose, and fifty at once would starve the other tests.
    let customers: Vec<User> = testkit::within_secs(
        60,
        "registering 50 customers",
        stream::iter(0..50)
            .map(|n| {
                let client = shop.client.clone();
                async move { register_on(&client, &format!("buyer{n}@example.com")).await }
            })
            .buffer_unordered(4)
            .collect(),
    )
    .await;
    for customer in &customers {
        shop.put_in_cart(customer, &shoe, 1).await;
    }
    // All at once: each checkout is its own request on its own connection.
    let answers = testkit::within_secs(
        30,
        "50 checkouts at once",
        join_all(customers.iter().map(|customer| {
            let client = shop.client.clone();
            async move { checkout_on(&client, customer, "buy-now", "1 Main Street").await }
        })),
    )
    .await;
    let mut statuses: Vec<u16> = answers
        .iter()
        .map(|answer| answer.status().as_u16())
        .collect();
    statuses.sort_unstable();
    let mut expected = vec![201; 10];
    expected.extend([409; 40]);
    assert_eq!(
        statuses, expected,
        "10 in stock: exactly 10 checkouts succeed, the 40 others are 409s"
    );
    assert_eq!(shop.stock(&shoe["id"]).await, 0);
}

#[tokio::test]
async fn retries_racing_with_one_key_make_one_order_and_get_one_answer() {
    let shop = start().await;
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(
            &admin,
            &product("Running Shoe", "Fast.", 8900, 100, "shoes"),
        )
        .await;
    let ada = shop.customer("ada").await;
    shop.put_in_cart(&ada, &shoe, 1).await;
    let answers = testkit::within_secs(
        30,
        "20 retries at once",
        join_all((0..20).map(|_| {
            let client = shop.client.clone();
            let ada = ada.clone();
            async move { checkout_on(&client, &ada, "double-click", "1 Main Street").await }
        })),
    )
    .await;
    let first: Value = answers[0].expect_status(201).expect_json();
    for answer in &answers {
        answer.expect_status(201).expect_json_eq(first.clone());
    }
    assert_eq!(
        shop.stock(&shoe["id"]).await,
        99,
        "twenty requests with one key buy once"
    );
}
