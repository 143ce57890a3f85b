//! A Kafka-protocol broker with topics and consumer groups of the test's own; the topics are
//! deleted when the test ends.
//!
//! Every topic and group a test uses is named through [`TestKafka::topic`] or
//! [`TestKafka::group`], which put the test's prefix in front, so that tests run in parallel
//! on one broker and a second run never reads the first run's records. Topics of earlier runs
//! that a killed test left behind are deleted by the next run, once they are ten minutes old.
//!
//! The broker is whatever speaks Kafka's protocol at `KAFKA_BROKERS` (default
//! `127.0.0.1:9092`): Apache Kafka, Redpanda, or tansu, which the course's CI installs from
//! crates.io because it needs no JVM and no Docker.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::error::RDKafkaErrorCode;

use crate::{Service, resolve};

/// Topics of earlier runs older than this are deleted on a test process's first connection.
const STALE_AFTER: Duration = Duration::from_secs(600);

/// How long a broker may take to answer an admin request before the test fails.
const ANSWER_LIMIT: Duration = Duration::from_secs(10);

pub struct TestKafka {
    brokers: String,
    prefix: String,
    topics: Mutex<Vec<String>>,
}

impl TestKafka {
    /// The broker list, `host:port[,host:port]`, for `bootstrap.servers`.
    pub fn brokers(&self) -> &str {
        &self.brokers
    }

    /// The prefix of every name this test uses: `tk.<time>.<pid>.<n>.`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A client configuration with `bootstrap.servers` set, to add to and `create()`.
    pub fn config(&self) -> ClientConfig {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", &self.brokers);
        config
    }

    /// The name to use for topic `name` in this test; deleted afterwards.
    pub fn topic(&self, name: &str) -> String {
        let full = format!("{}{name}", self.prefix);
        self.topics.lock().expect("not poisoned").push(full.clone());
        full
    }

    /// The name to use for consumer group `name` in this test.
    pub fn group(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// Creates topic `name` (named through [`TestKafka::topic`]) with `partitions` partitions
    /// and returns its full name. Panics with the broker's answer when it refuses.
    pub async fn create_topic(&self, name: &str, partitions: i32) -> String {
        let topic = self.topic(name);
        let admin = admin(&self.brokers).unwrap_or_else(|e| panic!("{e}"));
        let new = NewTopic::new(&topic, partitions, TopicReplication::Fixed(1));
        let options = AdminOptions::new().operation_timeout(Some(ANSWER_LIMIT));
        let answer = tokio::time::timeout(ANSWER_LIMIT, admin.create_topics([&new], &options))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "Kafka at {}: no answer to CreateTopics within {} s",
                    self.brokers,
                    ANSWER_LIMIT.as_secs()
                )
            });
        match answer {
            Ok(results) => {
                for result in results {
                    if let Err((name, code)) = result
                        && code != RDKafkaErrorCode::TopicAlreadyExists
                    {
                        panic!(
                            "Kafka at {}: cannot create topic {name}: {code}",
                            self.brokers
                        );
                    }
                }
            }
            Err(e) => panic!(
                "Kafka at {}: cannot create topic {topic}: {e}",
                self.brokers
            ),
        }
        topic
    }
}

/// A broker and a name prefix of the test's own. Panics, with what to do, when no broker
/// answers.
pub async fn broker() -> TestKafka {
    match try_broker().await {
        Ok(kafka) => kafka,
        Err(message) => panic!("{message}"),
    }
}

pub async fn try_broker() -> Result<TestKafka, String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = resolve::find(Service::Kafka)?;
    let brokers = server.url;
    // A port that accepts connections is not yet a broker: ask it for its metadata.
    let names = topic_names(&brokers).await?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    if n == 0 {
        let stale = stale_topics(&names, now);
        if !stale.is_empty() {
            delete_topics(&brokers, stale);
        }
    }
    Ok(TestKafka {
        prefix: format!("tk.{now}.{}.{n}.", std::process::id()),
        brokers,
        topics: Mutex::default(),
    })
}

fn admin(brokers: &str) -> Result<AdminClient<DefaultClientContext>, String> {
    ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .create()
        .map_err(|e| format!("Kafka at {brokers}: cannot make a client: {e}"))
}

/// The names of the broker's topics; an error naming the broker when it does not answer.
async fn topic_names(brokers: &str) -> Result<Vec<String>, String> {
    let admin = admin(brokers)?;
    let brokers_for_error = brokers.to_string();
    // librdkafka's metadata call blocks: keep it off the test's runtime threads.
    tokio::task::spawn_blocking(move || {
        admin
            .inner()
            .fetch_metadata(None, Duration::from_secs(5))
            .map(|metadata| {
                metadata
                    .topics()
                    .iter()
                    .map(|t| t.name().to_string())
                    .collect()
            })
            .map_err(|e| {
                format!(
                    "Kafka at {brokers_for_error} accepts connections but did not answer a metadata \
                     request within 5 s ({e}); is it a Kafka broker? {}",
                    Service::Kafka.how_to_start()
                )
            })
    })
    .await
    .map_err(|e| format!("the metadata request panicked: {e}"))?
}

/// Topics named by testkit (`tk.<time>.…`) whose time is more than ten minutes ago.
fn stale_topics(names: &[String], now: u64) -> Vec<String> {
    names
        .iter()
        .filter(|name| {
            name.strip_prefix("tk.")
                .and_then(|rest| rest.split('.').next())
                .and_then(|time| time.parse::<u64>().ok())
                .is_some_and(|time| now.saturating_sub(time) > STALE_AFTER.as_secs())
        })
        .cloned()
        .collect()
}

/// Deletes `topics`, best effort, on a thread with a runtime of its own: Drop cannot await,
/// and the test's runtime may be shutting down.
fn delete_topics(brokers: &str, topics: Vec<String>) {
    let brokers = brokers.to_string();
    let cleanup = std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async move {
            let Ok(admin) = admin(&brokers) else {
                return;
            };
            let names: Vec<&str> = topics.iter().map(String::as_str).collect();
            let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(5)));
            let _ = tokio::time::timeout(
                Duration::from_secs(10),
                admin.delete_topics(&names, &options),
            )
            .await;
        });
    });
    let _ = cleanup.join();
}

impl Drop for TestKafka {
    fn drop(&mut self) {
        let topics = std::mem::take(&mut *self.topics.lock().expect("not poisoned"));
        if !topics.is_empty() {
            delete_topics(&self.brokers, topics);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use rdkafka::Message;
    use rdkafka::consumer::{Consumer, StreamConsumer};
    use rdkafka::producer::{FutureProducer, FutureRecord};

    #[test]
    fn only_testkits_topics_older_than_ten_minutes_are_stale() {
        let names: Vec<String> = [
            "tk.1000.42.0.orders",
            "tk.1500.42.0.orders",
            "tk.x.42.0.orders",
            "orders",
            "__consumer_offsets",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(stale_topics(&names, 1700), vec!["tk.1000.42.0.orders"]);
    }

    #[tokio::test]
    async fn a_record_produced_to_the_tests_topic_is_consumed_by_the_tests_group() {
        let kafka = broker().await;
        let topic = kafka.create_topic("greetings", 2).await;
        assert!(topic.starts_with(kafka.prefix()), "{topic}");
        let producer: FutureProducer = kafka.config().create().unwrap();
        producer
            .send(
                FutureRecord::to(&topic).key("k").payload("hello"),
                Duration::from_secs(5),
            )
            .await
            .unwrap();
        let consumer: StreamConsumer = kafka
            .config()
            .set("group.id", kafka.group("readers"))
            .set("auto.offset.reset", "earliest")
            .create()
            .unwrap();
        consumer.subscribe(&[&topic]).unwrap();
        let message = crate::within_secs(20, "the first record", consumer.recv())
            .await
            .unwrap();
        assert_eq!(message.payload(), Some(&b"hello"[..]));
    }

    #[tokio::test]
    async fn dropping_the_test_deletes_its_topics() {
        let kafka = broker().await;
        let brokers = kafka.brokers().to_string();
        let topic = kafka.create_topic("short-lived", 1).await;
        assert!(topic_names(&brokers).await.unwrap().contains(&topic));
        drop(kafka);
        assert!(!topic_names(&brokers).await.unwrap().contains(&topic));
    }
}
