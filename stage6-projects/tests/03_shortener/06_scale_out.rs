//! Milestone 6: scale out (`nginx.conf`). Two instances on one PostgreSQL and one Redis,
//! behind nginx: your `nginx.conf` (the tests fill `${LISTEN}`, `${APP_1}` and `${APP_2}`)
//! spreads the requests over both, passes the client's address on in `X-Forwarded-For`, and
//! retries on the other instance a request that one failed to answer. A bounded load run
//! (2 000 redirects, 16 at a time) must hold a p99 under 1 s, a limit with a wide margin for a
//! debug build on a busy machine (a release build on a quiet one does it in a few
//! milliseconds); a failure run kills one instance, server and worker, in the middle of the
//! load: no client may see a 5xx, and no click answered with a 302 may be lost.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream;
use testkit::http::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{
    Process, World, become_the_instance_in_a_child, clicks, create, wait_until_settled,
};
use crate::exercise::NGINX_CONF;

const CONCURRENCY: usize = 16;

async fn nginx(app_1: SocketAddr, app_2: SocketAddr) -> testkit::nginx::Nginx {
    testkit::nginx::site("nginx.conf", NGINX_CONF)
        .var("APP_1", app_1)
        .var("APP_2", app_2)
        .start()
        .await
}

/// `count` redirects of `codes` in turn through `client`, [`CONCURRENCY`] at a time; each
/// one's code, status and latency. `after_each` sees how many have been answered.
async fn load(
    client: &Client,
    codes: &[String],
    count: usize,
    after_each: impl Fn(usize) + Sync,
) -> Vec<(String, u16, Duration)> {
    let answered = AtomicUsize::new(0);
    let requests = (0..count).map(|i| {
        let code = codes[i % codes.len()].clone();
        let (answered, after_each) = (&answered, &after_each);
        async move {
            let start = Instant::now();
            let response = client.get(&format!("/{code}")).send().await;
            let status = response.status().as_u16();
            after_each(answered.fetch_add(1, Ordering::SeqCst) + 1);
            (code, status, start.elapsed())
        }
    });
    stream::iter(requests)
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_spreads_a_bounded_load_over_both_instances_within_the_stated_p99() {
    become_the_instance_in_a_child().await;
    let world = World::new().await;
    let test = "scale_out::nginx_spreads_a_bounded_load_over_both_instances_within_the_stated_p99";
    let a = Process::start(&world, test, 1_000_000, None).await;
    let b = Process::start(&world, test, 1_000_000, None).await;
    let nginx = nginx(a.addr, b.addr).await;
    let client = Client::new(nginx.addr());
    let mut codes = Vec::new();
    for i in 0..10 {
        codes.push(create(&client, &format!("https://example.com/{i}")).await);
    }

    let start = Instant::now();
    let results = testkit::within_secs(
        60,
        "2 000 redirects through nginx",
        load(&client, &codes, 2_000, |_| {}),
    )
    .await;
    let elapsed = start.elapsed();
    let failed: Vec<_> = results
        .iter()
        .filter(|(_, status, _)| *status != 302)
        .collect();
    assert!(
        failed.is_empty(),
        "{} of 2 000 redirects through nginx were not 302, such as {:?}\n{}",
        failed.len(),
        &failed[..failed.len().min(5)],
        nginx.logs()
    );
    let mut latencies: Vec<Duration> = results.iter().map(|(_, _, latency)| *latency).collect();
    latencies.sort();
    let (p50, p99) = (
        latencies[latencies.len() / 2],
        latencies[latencies.len() * 99 / 100],
    );
    println!(
        "2 000 redirects, {CONCURRENCY} at a time, through nginx to 2 instances: {:.1} s, \
         {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms",
        elapsed.as_secs_f64(),
        2_000.0 / elapsed.as_secs_f64(),
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0
    );
    assert!(
        p99 < Duration::from_secs(1),
        "the p99 of a redirect is {p99:?}: over 1 s, something waits (a query at every \
         redirect, a lock held across an .await, a blocking call)"
    );
    let log = nginx.access_log();
    let served = |addr: SocketAddr| {
        log.lines()
            .filter(|l| l.contains(&format!("upstream={addr}")))
            .count()
    };
    let (by_a, by_b) = (served(a.addr), served(b.addr));
    assert!(
        by_a >= 400 && by_b >= 400,
        "instance 1 answered {by_a} requests and instance 2 {by_b}: nginx's upstream must \
         name both instances, ${{APP_1}} and ${{APP_2}}, and share the load between them"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_an_instance_mid_load_costs_no_error_and_no_click() {
    become_the_instance_in_a_child().await;
    let world = World::new().await;
    let test = "scale_out::killing_an_instance_mid_load_costs_no_error_and_no_click";
    let a = Process::start(&world, test, 1_000_000, Some("worker-a")).await;
    let b = Process::start(&world, test, 1_000_000, Some("worker-b")).await;
    let a_addr = a.addr;
    let nginx = nginx(a.addr, b.addr).await;
    let client = Client::new(nginx.addr());
    let mut codes = Vec::new();
    for i in 0..8 {
        codes.push(create(&client, &format!("https://example.com/{i}")).await);
    }

    // Instance A, server and worker, dies after the 400th answer, with requests in flight.
    let a = Mutex::new(Some(a));
    let kill_at_400 = |answered: usize| {
        if answered == 400
            && let Some(mut a) = a.lock().expect("not poisoned").take()
        {
            a.kill();
        }
    };
    let results = testkit::within_secs(
        60,
        "1 200 redirects through nginx",
        load(&client, &codes, 1_200, kill_at_400),
    )
    .await;
    assert!(
        a.lock().expect("not poisoned").is_none(),
        "instance A was killed"
    );
    let failed: Vec<_> = results
        .iter()
        .filter(|(_, status, _)| *status != 302)
        .collect();
    assert!(
        failed.is_empty(),
        "{} of 1 200 redirects were not 302 when instance A was killed, such as {:?}: nginx \
         must try the other instance when one fails (proxy_next_upstream)\n{}",
        failed.len(),
        &failed[..failed.len().min(5)],
        nginx.logs()
    );
    assert!(
        nginx.access_log().contains(&format!("upstream={a_addr}")),
        "instance A answered nothing before it was killed\n{}",
        nginx.logs()
    );

    // Every 302 was a click in the stream; A's worker died with some of them pending.
    let mut answered: HashMap<&str, i64> = HashMap::new();
    for (code, _, _) in &results {
        *answered.entry(code.as_str()).or_default() += 1;
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let counted = loop {
        let mut counted: HashMap<&str, i64> = HashMap::new();
        for code in &codes {
            counted.insert(code.as_str(), clicks(&client, code).await);
        }
        if codes
            .iter()
            .all(|c| counted[c.as_str()] >= answered[c.as_str()])
        {
            break counted;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "20 s after the load, clicks counted {counted:?} of the 302s answered \
             {answered:?}: the clicks instance A's worker had taken must be claimed by B's \
             (XAUTOCLAIM after claim_idle)"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    wait_until_settled(&world.redis, &world.stream(), 10).await;
    let extra: i64 = codes
        .iter()
        .map(|c| counted[c.as_str()] - answered[c.as_str()])
        .sum();
    // A request A had recorded but not answered when it died was answered by B, and
    // recorded again: at most one a request in flight.
    assert!(
        extra <= CONCURRENCY as i64,
        "{extra} clicks more than the 302s answered ({counted:?} for {answered:?}): a click \
         delivered twice must be counted once"
    );
}

/// A `POST /api/links` sent from the loopback address `from` (127.0.0.2, …) to `to`: its
/// status.
async fn post_from(from: Ipv4Addr, to: SocketAddr) -> u16 {
    let exchange = async {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket
            .bind(SocketAddr::new(IpAddr::V4(from), 0))
            .unwrap_or_else(|e| {
                panic!(
                    "cannot send from {from} ({e}): Linux routes all of 127.0.0.0/8 to the \
                     loopback; macOS only 127.0.0.1 until told: `sudo ifconfig lo0 alias \
                     {from} up`"
                )
            });
        let mut stream = socket.connect(to).await.expect("connect to nginx");
        let body = r#"{"url":"https://example.com/"}"#;
        let request = format!(
            "POST /api/links HTTP/1.1\r\nHost: sho.rt\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.expect("send");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.expect("read");
        let answer = String::from_utf8_lossy(&answer).into_owned();
        answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"))
    };
    testkit::within("a POST through nginx", exchange).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_nginx_the_rate_limit_counts_each_client_not_nginx() {
    become_the_instance_in_a_child().await;
    let world = World::new().await;
    let test = "scale_out::behind_nginx_the_rate_limit_counts_each_client_not_nginx";
    let a = Process::start(&world, test, 2, None).await;
    let b = Process::start(&world, test, 2, None).await;
    let nginx = nginx(a.addr, b.addr).await;
    let (one, two) = (Ipv4Addr::new(127, 0, 0, 2), Ipv4Addr::new(127, 0, 0, 3));
    let mut statuses = Vec::new();
    for from in [one, one, one, two] {
        statuses.push(post_from(from, nginx.addr()).await);
    }
    assert_eq!(
        statuses,
        vec![201, 201, 429, 201],
        "two links allowed per client: three from 127.0.0.2, then one from 127.0.0.3. Every \
         request reaches the instances from nginx's address: nginx must pass the client's on \
         (proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for)\n{}",
        nginx.logs()
    );
}
