//! `within`: the tests' guard against a hang. A test that awaits the learner's code must fail
//! with a message when that code never finishes, instead of sitting there until the runner
//! kills the whole binary and no test of it gets a verdict.

use std::future::Future;
use std::panic::Location;
use std::time::Duration;

/// How long `within` waits: far more than any exercise needs on a slow machine, far less than
/// the runner's timeout for a test binary (10 s or more), so the hang is reported by the test.
pub const DEFAULT_SECS: u64 = 5;

/// Runs `work`, failing the test instead of hanging if it takes more than 5 s. `what` names
/// the work in the failure: the function under test, usually.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let answer = testkit::within("the answer", async { 42 }).await;
/// assert_eq!(answer, 42);
/// # }
/// ```
///
/// It uses tokio's clock, so under `#[tokio::test(start_paused = true)]` a hang fails at once
/// rather than after 5 real seconds.
#[track_caller]
pub fn within<F: Future>(what: &str, work: F) -> impl Future<Output = F::Output> {
    within_secs(DEFAULT_SECS, what, work)
}

/// `within` with a limit of its own, for work that is slow by design (hundreds of requests,
/// a deliberate sleep).
#[track_caller]
pub fn within_secs<F: Future>(secs: u64, what: &str, work: F) -> impl Future<Output = F::Output> {
    // A panic inside a future is reported at the line in testkit that raised it, never at the
    // test's: `#[track_caller]` does not reach into `async` code. So the caller's line is
    // taken here, while it is still known, and written into the message.
    let caller = Location::caller();
    let what = what.to_string();
    async move {
        match tokio::time::timeout(Duration::from_secs(secs), work).await {
            Ok(output) => output,
            Err(_) => panic!("{}", hang_message(&what, secs, caller)),
        }
    }
}

fn hang_message(what: &str, secs: u64, caller: &Location<'_>) -> String {
    format!(
        "{what} did not finish within {secs} s (awaited at {}:{}); some .await in it waits for \
         what never happens: a reply never sent, a lock or connection never released, a channel \
         nobody sends on, a loop that never ends",
        caller.file(),
        caller.line()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_that_finishes_gives_its_output() {
        assert_eq!(within("adding", async { 2 + 2 }).await, 4);
    }

    #[tokio::test(start_paused = true)]
    async fn work_that_never_finishes_fails_naming_it_the_limit_and_the_line() {
        let line = line!() + 1;
        let hang = tokio::spawn(within_secs(3, "fetch_all", std::future::pending::<()>()));
        let panic = hang.await.expect_err("a hang must fail the test");
        let message = panic.into_panic();
        let message = message
            .downcast_ref::<String>()
            .expect("the panic carries a formatted message");
        assert_eq!(
            message,
            &format!(
                "fetch_all did not finish within 3 s (awaited at testkit/src/timeout.rs:{line}); \
                 some .await in it waits for what never happens: a reply never sent, a lock or \
                 connection never released, a channel nobody sends on, a loop that never ends"
            )
        );
    }
}
