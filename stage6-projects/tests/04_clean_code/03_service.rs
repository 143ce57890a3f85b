//! Milestone 3, service: `OrderService::new(repository, mailer, clock)` keeps the legacy rules
//! (see `service.rs`), tested here with providers the legacy handler could not take: a clock
//! stopped where the test wants, a mailer that records or fails, the in-memory store and a
//! store that fails. No database, no mail server, no waiting for 17:00.

use crate::common::{FailingMailer, FailingRepository, FixedClock, RecordingMailer, at};
use crate::exercise::{
    InMemoryOrderRepository, Line, Mail, MailStatus, Order, OrderError, OrderService, PlaceOrder,
    Placed, Quote, StorageError,
};

fn request(email: &str, lines: Vec<Line>, coupon: Option<&str>) -> PlaceOrder {
    PlaceOrder {
        email: email.to_string(),
        lines,
        coupon: coupon.map(str::to_string),
    }
}

fn coffee_and_cake() -> Vec<Line> {
    vec![Line::new("coffee", 2, 350), Line::new("cake", 1, 400)]
}

async fn place<R, M, C>(
    service: &OrderService<R, M, C>,
    order: PlaceOrder,
) -> Result<Placed, OrderError>
where
    R: crate::exercise::OrderRepository,
    M: crate::exercise::Mailer,
    C: crate::exercise::Clock,
{
    testkit::within("OrderService::place", service.place(order)).await
}

#[tokio::test]
async fn an_order_is_priced_and_dated_by_the_clock_it_is_given() {
    let mut got = vec![];
    let mut mails = vec![];
    for instant in ["2026-12-03T17:59:59Z", "2026-12-03T18:00:00Z"] {
        let mailer = RecordingMailer::default();
        let service = OrderService::new(
            InMemoryOrderRepository::new(),
            mailer.clone(),
            FixedClock(at(instant)),
        );
        let placed = place(
            &service,
            request("  ada@example.com ", coffee_and_cake(), None),
        )
        .await;
        got.push(placed);
        mails.extend(mailer.mails().into_iter().map(|mail| mail.text));
    }
    let order = |quote: Quote, instant: &str| Placed {
        order: Order {
            id: 1,
            email: "ada@example.com".into(),
            lines: coffee_and_cake(),
            coupon: None,
            quote,
            created_at: at(instant),
        },
        mail: MailStatus::Sent,
    };
    assert_eq!(
        got,
        vec![
            // Happy hour: 10 % off 1100 before the tax.
            Ok(order(
                Quote {
                    subtotal_cents: 1100,
                    discount_cents: 110,
                    tax_cents: 198,
                    total_cents: 1188,
                },
                "2026-12-03T17:59:59Z",
            )),
            Ok(order(
                Quote {
                    subtotal_cents: 1100,
                    discount_cents: 0,
                    tax_cents: 220,
                    total_cents: 1320,
                },
                "2026-12-03T18:00:00Z",
            )),
        ],
        "the email trimmed, the prices at the clock's instant, which is also `created_at`"
    );
    assert_eq!(
        mails,
        vec![
            "Thank you for your order #1.\n\n2 x coffee at 3.50 EUR\n1 x cake at 4.00 EUR\n\n\
             Subtotal: 11.00 EUR\nDiscount: -1.10 EUR\nTax: 1.98 EUR\nTotal: 11.88 EUR\n",
            "Thank you for your order #1.\n\n2 x coffee at 3.50 EUR\n1 x cake at 4.00 EUR\n\n\
             Subtotal: 11.00 EUR\nTax: 2.20 EUR\nTotal: 13.20 EUR\n",
        ],
        "the legacy text; a `Discount` line only when there is a discount"
    );
}

#[tokio::test]
async fn the_order_is_saved_and_then_its_confirmation_mailed() {
    let store = InMemoryOrderRepository::new();
    let mailer = RecordingMailer::watching(store.clone());
    let service = OrderService::new(
        store,
        mailer.clone(),
        FixedClock(at("2026-12-03T09:30:00Z")),
    );
    let lines = vec![Line::new("mug", 12, 250), Line::new("spoon", 5, 99)];
    let placed = place(&service, request("ada@example.com", lines, Some("SAVE10"))).await;
    let placed = placed.unwrap_or_else(|e| panic!("expected the order placed, got {e:?}"));
    let stored = testkit::within("OrderService::get", service.get(placed.order.id)).await;
    assert_eq!(
        stored,
        Ok(placed.order.clone()),
        "get returns the order placed"
    );
    assert_eq!(
        (
            mailer.mails(),
            mailer.saved_when_sent.lock().unwrap().clone()
        ),
        (
            vec![Mail {
                to: "ada@example.com".into(),
                subject: "Your order #1".into(),
                text: "Thank you for your order #1.\n\n\
                       12 x mug at 2.50 EUR\n\
                       5 x spoon at 0.99 EUR\n\
                       \n\
                       Subtotal: 34.95 EUR\n\
                       Discount: -6.42 EUR\n\
                       Tax: 5.71 EUR\n\
                       Total: 34.24 EUR\n"
                    .into(),
            }],
            vec![true],
        ),
        "one mail, the legacy text, sent once the order was in the store (never a mail for an \
         order that may not exist)"
    );
}

#[tokio::test]
async fn a_mailer_that_fails_leaves_the_order_saved_and_its_mail_pending() {
    let mailer = FailingMailer::default();
    let service = OrderService::new(
        InMemoryOrderRepository::new(),
        mailer.clone(),
        FixedClock(at("2026-12-03T09:30:00Z")),
    );
    let placed = place(
        &service,
        request("ada@example.com", coffee_and_cake(), None),
    )
    .await;
    let stored = testkit::within("OrderService::get", service.get(1)).await;
    let placed = placed.unwrap_or_else(|e| {
        panic!("a mail that fails must not fail the order, which is saved: got {e:?}")
    });
    assert_eq!(
        (placed.mail, stored, *mailer.attempts.lock().unwrap()),
        (MailStatus::Pending, Ok(placed.order), 1)
    );
}

#[tokio::test]
async fn a_refused_order_is_neither_saved_nor_mailed() {
    let line = || Line::new("tea", 1, 250);
    let cases = vec![
        (
            request("ada.example.com", vec![line()], None),
            "email is not valid",
        ),
        (request("   ", vec![line()], None), "email is not valid"),
        // The email is checked first, then the lines, then the coupon.
        (
            request("nobody", vec![], Some("BOGUS")),
            "email is not valid",
        ),
        (
            request("ada@example.com", vec![], None),
            "an order needs at least one line",
        ),
        (
            request("ada@example.com", vec![line(); 101], None),
            "an order has at most 100 lines",
        ),
        (
            request(
                "ada@example.com",
                vec![line(), Line::new(" ", 1, 250)],
                None,
            ),
            "line 2: sku is empty",
        ),
        (
            request("ada@example.com", vec![Line::new("tea", 0, 250)], None),
            "line 1: quantity must be between 1 and 999",
        ),
        (
            request(
                "ada@example.com",
                vec![line(), line(), Line::new("tea", 1000, 1)],
                None,
            ),
            "line 3: quantity must be between 1 and 999",
        ),
        (
            request("ada@example.com", vec![Line::new("tea", 1, -1)], None),
            "line 1: unit price must be between 0 and 1000000 cents",
        ),
        (
            request(
                "ada@example.com",
                vec![Line::new("car", 1, 1_000_001)],
                None,
            ),
            "line 1: unit price must be between 0 and 1000000 cents",
        ),
        (
            request("ada@example.com", vec![Line::new("", 0, -1)], Some("BOGUS")),
            "line 1: sku is empty",
        ),
        (
            request("ada@example.com", vec![line()], Some("save10")),
            "unknown coupon: save10",
        ),
    ];
    let store = InMemoryOrderRepository::new();
    let mailer = RecordingMailer::default();
    let service = OrderService::new(
        store.clone(),
        mailer.clone(),
        FixedClock(at("2026-12-03T09:30:00Z")),
    );
    let mut got = vec![];
    let mut want = vec![];
    for (order, message) in cases {
        got.push(place(&service, order.clone()).await);
        want.push(Err(OrderError::Invalid(message.to_string())));
    }
    assert_eq!(got, want);
    let stored = testkit::within("OrderService::get", service.get(1)).await;
    assert_eq!(
        (stored, mailer.mails()),
        (Err(OrderError::NotFound(1)), vec![]),
        "nothing saved, nothing mailed"
    );
    // The limits themselves are allowed.
    let edges = vec![Line::new("tea", 1, 0), Line::new("tea", 999, 1_000_000)];
    let mut edge_lines = vec![Line::new("tea", 1, 1); 98];
    edge_lines.extend(edges);
    let placed = place(&service, request("a@b", edge_lines, Some("FIVEOFF"))).await;
    assert_eq!(placed.map(|p| p.order.id), Ok(1));
}

#[tokio::test]
async fn a_store_that_fails_is_an_error_and_nothing_is_mailed() {
    let mailer = RecordingMailer::default();
    let service = OrderService::new(
        FailingRepository,
        mailer.clone(),
        FixedClock(at("2026-12-03T09:30:00Z")),
    );
    let placed = place(
        &service,
        request("ada@example.com", coffee_and_cake(), None),
    )
    .await;
    let storage =
        || OrderError::Storage(StorageError("the database is down (a test's fake)".into()));
    assert_eq!(
        (placed, mailer.mails()),
        (Err(storage()), vec![]),
        "no mail confirms an order that was not saved"
    );
    let got = testkit::within("OrderService::get and list_for", async {
        (
            service.get(1).await,
            service.list_for("ada@example.com").await,
        )
    })
    .await;
    assert_eq!(got, (Err(storage()), Err(storage())));
}

#[tokio::test]
async fn orders_are_read_back_by_id_and_by_customer() {
    let store = InMemoryOrderRepository::new();
    let mut placed = vec![];
    for (email, instant) in [
        ("ada@example.com", "2026-12-03T09:00:00Z"),
        ("bob@example.com", "2026-12-03T09:01:00Z"),
        ("ada@example.com", "2026-12-03T09:02:00Z"),
    ] {
        let service = OrderService::new(
            store.clone(),
            RecordingMailer::default(),
            FixedClock(at(instant)),
        );
        let order = place(&service, request(email, coffee_and_cake(), None)).await;
        placed.push(order.expect("a valid order is placed").order);
    }
    let service = OrderService::new(
        store,
        RecordingMailer::default(),
        FixedClock(at("2026-12-03T10:00:00Z")),
    );
    let got = testkit::within("OrderService::get and list_for", async {
        (
            service.get(2).await,
            service.get(4).await,
            service.list_for(" ada@example.com ").await,
        )
    })
    .await;
    assert_eq!(
        got,
        (
            Ok(placed[1].clone()),
            Err(OrderError::NotFound(4)),
            Ok(vec![placed[2].clone(), placed[0].clone()]),
        ),
        "get by id, NotFound for an unknown one; a customer's orders (the email trimmed) \
         newest first"
    );
}
