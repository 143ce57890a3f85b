//! Milestone 2: the cart. Each signed-in user has one; it shows today's prices and totals.

use serde_json::{Value, json};

use crate::common::{By, Shop, User, cart, line, product, start};

/// An admin, and two products: a shoe at 89.00 (stock 10) and socks at 15.00 (stock 40).
async fn stocked(shop: &Shop) -> (User, Value, Value) {
    let admin = shop.admin().await;
    let shoe = shop
        .create_product(
            &admin,
            &product("Running Shoe", "Light and fast.", 8900, 10, "shoes"),
        )
        .await;
    let socks = shop
        .create_product(&admin, &product("Wool Socks", "Warm.", 1500, 40, "socks"))
        .await;
    (admin, shoe, socks)
}

#[tokio::test]
async fn a_new_cart_is_empty_and_needs_an_account() {
    let shop = start().await;
    let ada = shop.customer("ada").await;
    shop.client
        .get("/cart")
        .by(&ada)
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "items": [], "total_cents": 0 }));
    shop.client.get("/cart").send().await.expect_status(401);
}

#[tokio::test]
async fn putting_items_in_the_cart_gives_lines_and_a_total_in_cents() {
    let shop = start().await;
    let (_, shoe, socks) = stocked(&shop).await;
    let ada = shop.customer("ada").await;
    // Socks first: the cart lists items by product id whatever the order they came in.
    shop.client
        .put(&format!("/cart/items/{}", socks["id"]))
        .by(&ada)
        .json(&json!({ "quantity": 3 }))
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(cart(&[line(&socks, 3)]));
    shop.client
        .put(&format!("/cart/items/{}", shoe["id"]))
        .by(&ada)
        .json(&json!({ "quantity": 2 }))
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({
            "items": [
                { "product_id": shoe["id"], "name": "Running Shoe", "unit_price_cents": 8900,
                  "quantity": 2, "line_total_cents": 17800 },
                { "product_id": socks["id"], "name": "Wool Socks", "unit_price_cents": 1500,
                  "quantity": 3, "line_total_cents": 4500 },
            ],
            "total_cents": 22300,
        }));
    assert_eq!(
        shop.cart(&ada).await,
        cart(&[line(&shoe, 2), line(&socks, 3)])
    );
}

#[tokio::test]
async fn putting_an_item_again_sets_its_quantity() {
    let shop = start().await;
    let (_, shoe, _) = stocked(&shop).await;
    let ada = shop.customer("ada").await;
    shop.put_in_cart(&ada, &shoe, 2).await;
    shop.put_in_cart(&ada, &shoe, 5).await;
    assert_eq!(
        shop.cart(&ada).await,
        cart(&[line(&shoe, 5)]),
        "PUT sets the quantity, it does not add to it"
    );
    shop.put_in_cart(&ada, &shoe, 1).await;
    assert_eq!(shop.cart(&ada).await, cart(&[line(&shoe, 1)]));
}

#[tokio::test]
async fn removing_an_item_takes_it_out_of_the_cart() {
    let shop = start().await;
    let (_, shoe, socks) = stocked(&shop).await;
    let ada = shop.customer("ada").await;
    shop.put_in_cart(&ada, &shoe, 2).await;
    shop.put_in_cart(&ada, &socks, 1).await;
    shop.client
        .delete(&format!("/cart/items/{}", shoe["id"]))
        .by(&ada)
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(cart(&[line(&socks, 1)]));
    // Again: nothing to remove, no error.
    shop.client
        .delete(&format!("/cart/items/{}", shoe["id"]))
        .by(&ada)
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(cart(&[line(&socks, 1)]));
    assert_eq!(shop.cart(&ada).await, cart(&[line(&socks, 1)]));
}

#[tokio::test]
async fn an_unknown_product_is_a_404_and_a_bad_quantity_a_422() {
    let shop = start().await;
    let (_, shoe, _) = stocked(&shop).await;
    let ada = shop.customer("ada").await;
    shop.client
        .put("/cart/items/424242")
        .by(&ada)
        .json(&json!({ "quantity": 1 }))
        .send()
        .await
        .expect_status(404);
    for quantity in [json!(0), json!(-1), json!(100), json!("two"), json!(1.5)] {
        shop.client
            .put(&format!("/cart/items/{}", shoe["id"]))
            .by(&ada)
            .json(&json!({ "quantity": quantity }))
            .send()
            .await
            .expect_status(422);
    }
    shop.client
        .put(&format!("/cart/items/{}", shoe["id"]))
        .json(&json!({ "quantity": 1 }))
        .send()
        .await
        .expect_status(401);
    assert_eq!(shop.cart(&ada).await, cart(&[]));
}

#[tokio::test]
async fn each_customer_sees_and_changes_only_their_own_cart() {
    let shop = start().await;
    let (_, shoe, socks) = stocked(&shop).await;
    let ada = shop.customer("ada").await;
    let bob = shop.customer("bob").await;
    shop.put_in_cart(&ada, &shoe, 2).await;
    shop.put_in_cart(&bob, &socks, 4).await;
    assert_eq!(shop.cart(&ada).await, cart(&[line(&shoe, 2)]));
    assert_eq!(shop.cart(&bob).await, cart(&[line(&socks, 4)]));
    // Bob removing the shoe from his cart leaves Ada's alone.
    shop.client
        .delete(&format!("/cart/items/{}", shoe["id"]))
        .by(&bob)
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(cart(&[line(&socks, 4)]));
    assert_eq!(shop.cart(&ada).await, cart(&[line(&shoe, 2)]));
}

#[tokio::test]
async fn the_cart_shows_todays_price() {
    let shop = start().await;
    let (admin, shoe, _) = stocked(&shop).await;
    let ada = shop.customer("ada").await;
    shop.put_in_cart(&ada, &shoe, 2).await;
    let sale = product("Running Shoe", "Light and fast.", 6900, 10, "shoes");
    shop.client
        .put(&format!("/products/{}", shoe["id"]))
        .by(&admin)
        .json(&sale)
        .send()
        .await
        .expect_status(200);
    let on_sale = shop.get_product(&shoe["id"]).await;
    assert_eq!(shop.cart(&ada).await, cart(&[line(&on_sale, 2)]));
}
