//! A PostgreSQL database of the test's own, clean, in about 50 ms.
//!
//! Creating and dropping a database per test would be the obvious isolation, but `DROP
//! DATABASE` takes about a second (it waits for a checkpoint), which would make every stage-2
//! check slow. Instead testkit keeps a small set of databases, `backendlings_test_0`, `_1`, …,
//! and hands each test one that no other test holds: the claim is a PostgreSQL advisory lock
//! held by a connection that lives as long as the [`TestDatabase`]. A claimed database is
//! wiped first (every schema dropped, an empty `public` created, leftover sessions ended), so
//! a test never sees another's tables, a second run starts clean, and a run that was killed
//! leaves nothing behind that matters: its locks die with its connections and the next test
//! to claim its database wipes it.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};

use crate::{Service, resolve};

/// Advisory locks are keyed by two integers; this one names testkit's claims.
const LOCK_CLASS: i32 = 0x6261_636b; // "back"
const PREFIX: &str = "backendlings_test_";
const TIMEOUT: Duration = Duration::from_secs(5);

/// A database that belongs to one test until it is dropped.
pub struct TestDatabase {
    pool: PgPool,
    url: String,
    name: String,
    // The claim: the advisory lock lives as long as this connection.
    _claim: PgConnection,
}

impl TestDatabase {
    /// A pool of connections to the test's database.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The database's URL, for code that connects by itself (an ORM, a second pool).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A new pool whose statements and rows are counted, for lessons about the number of
    /// queries (N+1). Every statement the server is asked to run counts as one, every row it
    /// sends back too (`QueryCounter::rows`).
    pub async fn counting_pool(&self) -> (PgPool, crate::postgres::QueryCounter) {
        let (url, counter) = crate::postgres::counting_proxy(&self.url).await;
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(TIMEOUT)
            .connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect through the counting proxy: {e}"));
        (pool, counter)
    }
}

/// A clean database of the test's own. Panics, with what to do, when PostgreSQL is missing.
pub async fn database() -> TestDatabase {
    match try_database().await {
        Ok(db) => db,
        Err(message) => panic!("{message}"),
    }
}

/// [`database`], returning the reason instead of panicking.
pub async fn try_database() -> Result<TestDatabase, String> {
    let server = resolve::find(Service::Postgres)?;
    claim(&server.url).await
}

async fn claim(server_url: &str) -> Result<TestDatabase, String> {
    let admin_url = with_database(server_url, "postgres");
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        format!("PostgreSQL at {}: {what}: {e}", redact(server_url))
    };
    let mut claim = tokio::time::timeout(TIMEOUT, PgConnection::connect(&admin_url))
        .await
        .map_err(|_| fail("connecting", &"no answer within 5 s"))?
        .map_err(|e| fail("connecting", &e))?;

    for n in 0..10_000 {
        let claimed: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
            .bind(LOCK_CLASS)
            .bind(n)
            .fetch_one(&mut claim)
            .await
            .map_err(|e| fail("claiming a test database", &e))?;
        if !claimed {
            continue;
        }
        let name = format!("{PREFIX}{n}");
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(&name)
                .fetch_one(&mut claim)
                .await
                .map_err(|e| fail("looking for a test database", &e))?;
        if !exists {
            // The lock makes this test the only one that may create database `n`.
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(&mut claim)
                .await
                .map_err(|e| fail("creating a test database", &e))?;
        }
        // Sessions that a finished or killed test left open must not hold locks on it.
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()")
            .bind(&name)
            .execute(&mut claim)
            .await
            .map_err(|e| fail("ending old sessions", &e))?;

        let url = with_database(server_url, &name);
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(TIMEOUT)
            .connect(&url)
            .await
            .map_err(|e| fail("connecting to the test database", &e))?;
        wipe(&pool)
            .await
            .map_err(|e| fail("wiping the test database", &e))?;
        return Ok(TestDatabase {
            pool,
            url,
            name,
            _claim: claim,
        });
    }
    Err(fail("claiming a test database", &"all 10000 are in use"))
}

/// Drops every schema a test may have made, then makes an empty `public`.
async fn wipe(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(
        "DO $$
         DECLARE s text;
         BEGIN
           FOR s IN SELECT nspname FROM pg_namespace
                    WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
           LOOP
             EXECUTE format('DROP SCHEMA %I CASCADE', s);
           END LOOP;
           CREATE SCHEMA public;
         END $$;",
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The same server URL with another database name.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}@{}", &url[..s + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

pub use proxy::{QueryCounter, counting_proxy};

mod proxy {
    //! A TCP proxy between a pool and PostgreSQL that counts the statements it forwards:
    //! each simple-protocol `Query` ('Q') and each extended-protocol `Execute` ('E') message.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    /// How many statements went through the proxy, and how many rows came back.
    #[derive(Clone, Default)]
    pub struct QueryCounter {
        statements: Arc<AtomicUsize>,
        rows: Arc<AtomicUsize>,
    }

    impl QueryCounter {
        /// The statements the server was asked to run.
        pub fn get(&self) -> usize {
            self.statements.load(Ordering::SeqCst)
        }

        /// The rows the server sent back (each `DataRow` message): counting statements alone
        /// misses a query without a WHERE that ships a whole table to be filtered in Rust.
        pub fn rows(&self) -> usize {
            self.rows.load(Ordering::SeqCst)
        }

        /// Starts both counts again from zero.
        pub fn reset(&self) {
            self.statements.store(0, Ordering::SeqCst);
            self.rows.store(0, Ordering::SeqCst);
        }
    }

    /// Starts a proxy to the database at `url`; returns the URL to connect through it.
    pub async fn counting_proxy(url: &str) -> (String, QueryCounter) {
        let (host, port) = services::host_port(url).expect("a PostgreSQL URL");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let local = listener.local_addr().expect("proxy address");
        let counter = QueryCounter::default();
        let count = counter.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = format!("{host}:{port}");
                let count = count.clone();
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        let _ = relay(client, server, count).await;
                    }
                });
            }
        });
        // Same credentials and database, through the proxy; TLS off, as it cannot be read.
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let (userinfo, after) = match rest.rsplit_once('@') {
            Some((u, a)) => (format!("{u}@"), a),
            None => (String::new(), rest),
        };
        let path = after.find(['/', '?']).map_or("", |i| &after[i..]);
        let sep = if path.contains('?') { '&' } else { '?' };
        (
            format!("postgres://{userinfo}{local}{path}{sep}sslmode=disable"),
            counter,
        )
    }

    async fn relay(
        mut client: TcpStream,
        mut server: TcpStream,
        count: QueryCounter,
    ) -> std::io::Result<()> {
        // Small messages must not wait for Nagle's algorithm: each costs ~40 ms otherwise.
        client.set_nodelay(true)?;
        server.set_nodelay(true)?;
        let (mut client_read, mut client_write) = client.split();
        let (mut server_read, mut server_write) = server.split();
        let upstream = async {
            // The startup message has no type byte: a length, then the rest.
            let len = client_read.read_i32().await?;
            let mut message = len.to_be_bytes().to_vec();
            message.resize((len as usize).max(4), 0);
            client_read.read_exact(&mut message[4..]).await?;
            server_write.write_all(&message).await?;
            loop {
                let kind = client_read.read_u8().await?;
                let len = client_read.read_i32().await?;
                let mut message = vec![kind];
                message.extend_from_slice(&len.to_be_bytes());
                message.resize(1 + (len as usize).max(4), 0);
                client_read.read_exact(&mut message[5..]).await?;
                if kind == b'Q' || kind == b'E' {
                    count.statements.fetch_add(1, Ordering::SeqCst);
                }
                server_write.write_all(&message).await?;
            }
            #[allow(unreachable_code)]
            Ok::<(), std::io::Error>(())
        };
        // Every message from the server is a type byte, a length that counts itself, a body.
        let downstream = async {
            loop {
                let kind = server_read.read_u8().await?;
                let len = server_read.read_i32().await?;
                let mut message = vec![kind];
                message.extend_from_slice(&len.to_be_bytes());
                message.resize(1 + (len as usize).max(4), 0);
                server_read.read_exact(&mut message[5..]).await?;
                if kind == b'D' {
                    count.rows.fetch_add(1, Ordering::SeqCst);
                }
                client_write.write_all(&message).await?;
            }
            #[allow(unreachable_code)]
            Ok::<(), std::io::Error>(())
        };
        tokio::select! {
            r = upstream => r,
            r = downstream => r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_another_database_and_keep_their_options() {
        assert_eq!(
            with_database("postgres://u@h:5432", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h:5432/app", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/app?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(
            redact("postgres://me:secret@h:1/db"),
            "postgres://me@h:1/db"
        );
        assert_eq!(redact("postgres://h:1/db"), "postgres://h:1/db");
    }
}
