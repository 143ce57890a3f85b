//! Milestone 1: the catalog. Admins create and update products; anybody gets one or searches
//! the list, with PostgreSQL full-text search, filters, and pages.

use serde_json::{Value, json};

use crate::common::{By, Shop, product, start, with_id};

/// The shop's little catalog for the search tests, created in this order (so by id).
async fn seed(shop: &Shop) -> Vec<Value> {
    let admin = shop.admin().await;
    let inputs = [
        product(
            "Running Shoe",
            "Light and fast, for the road.",
            8900,
            10,
            "shoes",
        ),
        product(
            "Trail Shoe",
            "Grips mud and rock on mountain trails.",
            12000,
            5,
            "shoes",
        ),
        product(
            "Merino Wool Socks",
            "Warm socks that breathe; wear them inside any shoe.",
            1500,
            40,
            "socks",
        ),
        product("Cotton Socks", "Three pairs, everyday.", 900, 100, "socks"),
        product(
            "Rain Jacket",
            "Keeps you dry on a run in the rain.",
            15000,
            3,
            "jackets",
        ),
    ];
    let mut products = Vec::new();
    for input in &inputs {
        products.push(shop.create_product(&admin, input).await);
    }
    products
}

/// The names of a list's products, in order, after checking its shape.
async fn names(shop: &Shop, query: &str) -> Vec<String> {
    let response = shop.client.get(&format!("/products{query}")).send().await;
    response.expect_status(200);
    let body: Value = response.expect_json();
    let Some(products) = body["products"].as_array() else {
        response.fail("expected {\"products\": [...], \"total\": n}")
    };
    products
        .iter()
        .map(|p| p["name"].as_str().unwrap_or("(no name)").to_string())
        .collect()
}

#[tokio::test]
async fn an_admin_creates_a_product_and_anybody_gets_it() {
    let shop = start().await;
    let admin = shop.admin().await;
    let input = product("Running Shoe", "Light and fast.", 8900, 10, "shoes");
    let created = shop.create_product(&admin, &input).await;
    shop.client
        .get(&format!("/products/{}", created["id"]))
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(created);
}

#[tokio::test]
async fn an_unknown_product_is_a_404() {
    let shop = start().await;
    let response = shop.client.get("/products/424242").send().await;
    response.expect_status(404);
    let body: Value = response.expect_json();
    if !body["error"].is_string() {
        response.fail("expected the error as {\"error\": \"...\"}");
    }
}

#[tokio::test]
async fn only_an_admin_creates_or_updates_products() {
    let shop = start().await;
    let admin = shop.admin().await;
    let customer = shop.customer("ada").await;
    let input = product("Running Shoe", "Light and fast.", 8900, 10, "shoes");
    let created = shop.create_product(&admin, &input).await;
    let id = &created["id"];
    let cheap = product("Running Shoe", "Light and fast.", 1, 10, "shoes");

    shop.client
        .post("/products")
        .json(&input)
        .send()
        .await
        .expect_status(401);
    shop.client
        .post("/products")
        .by(&customer)
        .json(&input)
        .send()
        .await
        .expect_status(403);
    shop.client
        .put(&format!("/products/{id}"))
        .json(&cheap)
        .send()
        .await
        .expect_status(401);
    shop.client
        .put(&format!("/products/{id}"))
        .by(&customer)
        .json(&cheap)
        .send()
        .await
        .expect_status(403);

    shop.client
        .get("/products")
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "products": [created], "total": 1 }));
}

#[tokio::test]
async fn an_admin_updates_every_field_of_a_product() {
    let shop = start().await;
    let admin = shop.admin().await;
    let created = shop
        .create_product(
            &admin,
            &product("Running Shoe", "Light and fast.", 8900, 10, "shoes"),
        )
        .await;
    let id = created["id"].as_i64().expect("an id");
    let changed = product("Racing Flat", "Lighter, faster.", 9900, 4, "racing");
    shop.client
        .put(&format!("/products/{id}"))
        .by(&admin)
        .json(&changed)
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(with_id(id, &changed));
    assert_eq!(shop.get_product(&json!(id)).await, with_id(id, &changed));

    shop.client
        .put("/products/424242")
        .by(&admin)
        .json(&changed)
        .send()
        .await
        .expect_status(404);
}

#[tokio::test]
async fn an_invalid_product_is_a_422() {
    let shop = start().await;
    let admin = shop.admin().await;
    let invalid = [
        product("", "blank name", 100, 1, "shoes"),
        product("   ", "blank name", 100, 1, "shoes"),
        product("Shoe", "negative price", -1, 1, "shoes"),
        product("Shoe", "negative stock", 100, -1, "shoes"),
        product("Shoe", "blank category", 100, 1, " "),
        json!({ "name": "Shoe", "description": "no price", "stock": 1, "category": "shoes" }),
        json!({ "name": "Shoe", "description": "a price in euros", "price_cents": 9.99,
                "stock": 1, "category": "shoes" }),
    ];
    for input in &invalid {
        shop.client
            .post("/products")
            .by(&admin)
            .json(input)
            .send()
            .await
            .expect_status(422);
    }
    shop.client
        .get("/products")
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "products": [], "total": 0 }));
}

#[tokio::test]
async fn the_list_without_filters_is_every_product_by_id() {
    let shop = start().await;
    let products = seed(&shop).await;
    shop.client
        .get("/products")
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "products": products, "total": 5 }));
}

#[tokio::test]
async fn search_finds_words_by_their_stem_not_their_letters() {
    let shop = start().await;
    let products = seed(&shop).await;
    // "shoes" and "Shoe" are both the lexeme `shoe`; ILIKE '%shoes%' matches neither name.
    // The socks mention a shoe in their description, so they match too, after the names.
    shop.client
        .get("/products?q=shoes")
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({
            "products": [products[0], products[1], products[2]],
            "total": 3,
        }));
    // "running" and "run" are one lexeme too: the jacket's description says "a run".
    assert_eq!(
        names(&shop, "?q=running").await,
        ["Running Shoe", "Rain Jacket"],
        "q=running: the name's match first, then the description's `run`"
    );
    assert_eq!(names(&shop, "?q=sandals").await, Vec::<String>::new());
}

#[tokio::test]
async fn a_match_in_the_name_ranks_before_a_match_in_the_description() {
    let shop = start().await;
    let admin = shop.admin().await;
    // Created first, so a search that does not rank would list it first.
    shop.create_product(
        &admin,
        &product(
            "Shoe Horn",
            "Slides any boot on: boot care, boot fit, boot comfort.",
            700,
            9,
            "care",
        ),
    )
    .await;
    shop.create_product(
        &admin,
        &product("Hiking Boot", "Waterproof leather.", 16000, 2, "shoes"),
    )
    .await;
    assert_eq!(
        names(&shop, "?q=boot").await,
        ["Hiking Boot", "Shoe Horn"],
        "a product named `boot` is the best match, whatever another's description repeats"
    );
}

#[tokio::test]
async fn search_reads_what_people_type_in_a_search_box() {
    let shop = start().await;
    seed(&shop).await;
    assert_eq!(
        names(&shop, "?q=wool%20socks").await,
        ["Merino Wool Socks"],
        "two words: both must match"
    );
    assert_eq!(
        names(&shop, "?q=%22trail%20shoe%22").await,
        ["Trail Shoe"],
        "a quoted phrase: the words next to each other"
    );
    assert_eq!(
        names(&shop, "?q=shoe%20-trail").await,
        ["Running Shoe", "Merino Wool Socks"],
        "`-trail` excludes what mentions trail"
    );
    assert_eq!(
        names(&shop, "?q=jacket%20or%20cotton").await,
        ["Cotton Socks", "Rain Jacket"],
        "`or` between words: either, then by id as the ranks are equal"
    );
}

#[tokio::test]
async fn filters_combine_with_each_other_and_with_search() {
    let shop = start().await;
    seed(&shop).await;
    assert_eq!(
        names(&shop, "?category=socks").await,
        ["Merino Wool Socks", "Cotton Socks"]
    );
    assert_eq!(
        names(&shop, "?min_price=1500&max_price=12000").await,
        ["Running Shoe", "Trail Shoe", "Merino Wool Socks"],
        "min_price and max_price are inclusive"
    );
    assert_eq!(
        names(&shop, "?category=shoes&max_price=10000").await,
        ["Running Shoe"]
    );
    assert_eq!(
        names(&shop, "?q=shoe&category=socks").await,
        ["Merino Wool Socks"]
    );
    assert_eq!(names(&shop, "?q=shoe&min_price=9000").await, ["Trail Shoe"]);
    assert_eq!(
        names(&shop, "?q=shoe&category=jackets").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn limit_and_offset_page_the_list_and_total_counts_every_match() {
    let shop = start().await;
    let products = seed(&shop).await;
    shop.client
        .get("/products?limit=2&offset=2")
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "products": [products[2], products[3]], "total": 5 }));
    shop.client
        .get("/products?category=socks&limit=1")
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "products": [products[2]], "total": 2 }));
    shop.client
        .get("/products?offset=10")
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "products": [], "total": 5 }));
}

#[tokio::test]
async fn a_bad_limit_or_offset_is_a_422() {
    let shop = start().await;
    seed(&shop).await;
    for query in ["limit=0", "limit=101", "limit=-1", "offset=-1", "limit=ten"] {
        shop.client
            .get(&format!("/products?{query}"))
            .send()
            .await
            .expect_status(422);
    }
}
