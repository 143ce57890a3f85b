//! testkit against a real RabbitMQ: names of the test's own, deleted afterwards.
#![cfg(feature = "amqp")]

use lapin::options::{
    BasicGetOptions, BasicPublishOptions, ExchangeDeclareOptions, QueueBindOptions,
    QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, ExchangeKind};

#[tokio::test]
async fn names_carry_the_test_prefix_and_differ_between_tests() {
    let a = testkit::amqp::connection().await;
    let b = testkit::amqp::connection().await;
    assert_ne!(a.prefix(), b.prefix());
    let queue = a.queue("jobs");
    assert!(
        queue.starts_with("tk.") && queue.ends_with(".jobs"),
        "{queue}"
    );
    assert_ne!(queue, b.queue("jobs"));
}

#[tokio::test]
async fn a_message_goes_through_the_tests_own_exchange_and_queue() {
    let amqp = testkit::amqp::connection().await;
    let (exchange, queue) = (amqp.exchange("events"), amqp.queue("inbox"));
    let channel = amqp.connection().create_channel().await.unwrap();
    channel
        .exchange_declare(
            exchange.as_str().into(),
            ExchangeKind::Topic,
            ExchangeDeclareOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
    channel
        .queue_declare(
            queue.as_str().into(),
            QueueDeclareOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
    channel
        .queue_bind(
            queue.as_str().into(),
            exchange.as_str().into(),
            "order.*".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
    channel
        .basic_publish(
            exchange.as_str().into(),
            "order.created".into(),
            BasicPublishOptions::default(),
            b"42",
            BasicProperties::default(),
        )
        .await
        .unwrap()
        .await
        .unwrap();

    let mut got = None;
    for _ in 0..50 {
        got = channel
            .basic_get(queue.as_str().into(), BasicGetOptions { no_ack: true })
            .await
            .unwrap();
        if got.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(got.map(|m| m.delivery.data), Some(b"42".to_vec()));
}

#[tokio::test]
async fn the_tests_queues_are_deleted_when_it_ends() {
    let amqp = testkit::amqp::connection().await;
    let queue = amqp.queue("short-lived");
    let channel = amqp.connection().create_channel().await.unwrap();
    channel
        .queue_declare(
            queue.as_str().into(),
            QueueDeclareOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
    drop(amqp);

    let other = testkit::amqp::connection().await;
    let channel = other.connection().create_channel().await.unwrap();
    // A passive declare asks "does it exist?" without creating it.
    let exists = channel
        .queue_declare(
            queue.as_str().into(),
            QueueDeclareOptions {
                passive: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .is_ok();
    assert!(!exists, "{queue} should have been deleted with its test");
}
