//! Milestone 2, repository: one contract (`OrderRepository`'s documentation), two adapters.
//! Each test below is written once, generic over the store, and run against both: `in_postgres`
//! (a database of its own, with `schema::migrate`'s tables) and `in_memory`. An in-memory
//! store that behaves differently from the real one would make every service test built on it
//! a lie.

use chrono::Duration;

use crate::common::{at, database};
use crate::exercise::{
    InMemoryOrderRepository, Line, NewOrder, Order, OrderRepository, PgOrderRepository, Quote,
};

/// Runs the contract `$name` against both stores, as `$name::in_postgres` and `$name::in_memory`.
macro_rules! contract {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn in_postgres() {
                let db = crate::common::database().await;
                super::$name(crate::exercise::PgOrderRepository::new(db.pool().clone())).await;
            }

            #[tokio::test]
            async fn in_memory() {
                super::$name(crate::exercise::InMemoryOrderRepository::new()).await;
            }
        }
    };
}

fn new_order(email: &str, created_at: &str, lines: Vec<Line>) -> NewOrder {
    let subtotal = lines.iter().map(|l| l.quantity * l.unit_price_cents).sum();
    NewOrder {
        email: email.to_string(),
        lines,
        coupon: None,
        quote: Quote {
            subtotal_cents: subtotal,
            discount_cents: 0,
            tax_cents: subtotal / 5,
            total_cents: subtotal + subtotal / 5,
        },
        created_at: at(created_at),
    }
}

async fn insert(repo: &impl OrderRepository, order: NewOrder) -> Order {
    testkit::within("OrderRepository::insert", repo.insert(order.clone()))
        .await
        .unwrap_or_else(|e| panic!("insert failed: {e}"))
}

contract!(inserting_gives_ids_from_1_up_and_returns_the_order);
async fn inserting_gives_ids_from_1_up_and_returns_the_order(repo: impl OrderRepository) {
    let orders = [
        new_order(
            "ada@example.com",
            "2026-12-03T10:00:00Z",
            vec![Line::new("tea", 2, 250)],
        ),
        new_order(
            "bob@example.com",
            "2026-12-03T10:00:01Z",
            vec![Line::new("cake", 1, 400)],
        ),
        new_order(
            "ada@example.com",
            "2026-12-03T10:00:02Z",
            vec![Line::new("mug", 5, 900)],
        ),
    ];
    let mut got = vec![];
    for order in &orders {
        got.push(insert(&repo, order.clone()).await);
    }
    let want: Vec<Order> = (1..)
        .zip(orders)
        .map(|(id, order)| Order::from_new(id, order))
        .collect();
    assert_eq!(got, want, "a new store numbers its orders 1, 2, 3");
}

contract!(get_returns_the_order_as_it_was_inserted);
async fn get_returns_the_order_as_it_was_inserted(repo: impl OrderRepository) {
    let mut order = new_order(
        "ada@example.com",
        "2026-12-03T17:59:59.123Z",
        vec![
            Line::new("zebra plush", 1, 1999),
            Line::new("apple", 12, 45),
            Line::new("mango", 3, 0),
        ],
    );
    order.coupon = Some("SAVE10".into());
    order.quote = Quote {
        subtotal_cents: 2539,
        discount_cents: 308,
        tax_cents: 446,
        total_cents: 2677,
    };
    let inserted = insert(&repo, order.clone()).await;
    let plain = insert(
        &repo,
        new_order(
            "bob@example.com",
            "2026-12-03T18:00:00Z",
            vec![Line::new("tea", 1, 250)],
        ),
    )
    .await;
    let got = testkit::within("OrderRepository::get", async {
        (repo.get(1).await, repo.get(2).await)
    })
    .await;
    assert_eq!(got, (Ok(Some(inserted.clone())), Ok(Some(plain))));
    assert_eq!(
        inserted,
        Order::from_new(1, order),
        "the lines keep their order, the coupon and the amounts are kept, the instant too"
    );
}

contract!(get_of_an_unknown_id_is_none);
async fn get_of_an_unknown_id_is_none(repo: impl OrderRepository) {
    insert(
        &repo,
        new_order(
            "ada@example.com",
            "2026-12-03T10:00:00Z",
            vec![Line::new("tea", 1, 250)],
        ),
    )
    .await;
    let got = testkit::within("OrderRepository::get", async {
        vec![repo.get(0).await, repo.get(2).await, repo.get(-1).await]
    })
    .await;
    assert_eq!(got, vec![Ok(None), Ok(None), Ok(None)]);
}

contract!(a_customers_list_is_newest_first_and_only_theirs);
async fn a_customers_list_is_newest_first_and_only_theirs(repo: impl OrderRepository) {
    let t = at("2026-12-03T10:00:00Z");
    let instant = |seconds: i64| (t + Duration::seconds(seconds)).to_rfc3339();
    // Inserted out of time order (an order's instant is the clock's, and clocks differ between
    // servers), two at the same instant, and other customers' orders in between, one whose
    // email differs from Ada's only in case.
    let plan = [
        ("ada@example.com", 20),
        ("bob@example.com", 30),
        ("ada@example.com", 10),
        ("ada@example.com", 40),
        ("Ada@example.com", 50),
        ("ada@example.com", 40),
        ("ada@example.com", 0),
    ];
    let mut all = vec![];
    for (n, (email, seconds)) in plan.iter().enumerate() {
        let line = Line::new(&format!("item {n}"), 1, 100);
        all.push(insert(&repo, new_order(email, &instant(*seconds), vec![line])).await);
    }
    let got = testkit::within("OrderRepository::list_by_email", async {
        (
            repo.list_by_email("ada@example.com").await,
            repo.list_by_email("nobody@example.com").await,
        )
    })
    .await;
    let ids = |orders: &[Order]| orders.iter().map(|o| o.id).collect::<Vec<_>>();
    let want: Vec<Order> = [6, 4, 1, 3, 7]
        .iter()
        .map(|&id| all[id - 1].clone())
        .collect();
    assert_eq!(
        (got.0.as_deref().map(ids), got.1.as_deref().map(ids)),
        (Ok(ids(&want)), Ok(vec![])),
        "Ada's orders by `created_at`, newest first, of two at the same instant the later id first"
    );
    assert_eq!(got.0, Ok(want));
}

#[tokio::test]
async fn the_in_memory_store_is_shared_by_its_clones() {
    let repo = InMemoryOrderRepository::new();
    let clone = repo.clone();
    let order = insert(
        &clone,
        new_order(
            "ada@example.com",
            "2026-12-03T10:00:00Z",
            vec![Line::new("tea", 1, 250)],
        ),
    )
    .await;
    let got = testkit::within("OrderRepository::get", repo.get(1)).await;
    assert_eq!(
        got,
        Ok(Some(order)),
        "what one clone inserts, another reads"
    );
}

#[tokio::test]
async fn the_postgres_store_writes_through_to_the_database() {
    // Two repositories on one database, as two instances of a service: what one writes, the
    // other reads.
    let db = database().await;
    let writer = PgOrderRepository::new(db.pool().clone());
    let reader = PgOrderRepository::new(db.pool().clone());
    let order = insert(
        &writer,
        new_order(
            "ada@example.com",
            "2026-12-03T10:00:00Z",
            vec![Line::new("tea", 1, 250)],
        ),
    )
    .await;
    let got = testkit::within("OrderRepository::get", reader.get(1)).await;
    assert_eq!(got, Ok(Some(order)));
}
