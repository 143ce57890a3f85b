//! Milestone 4, the mail adapter: [`HttpMailer`] posts to the mail API the legacy handler
//! calls. (Another adapter, `LogMailer`, lives in `src/bin/clean_code.rs`: an adapter is
//! any type that implements the port, wherever it is written.)
//!
//! The mail API: `POST {base_url}/v1/messages` with the JSON `{"to", "subject", "text"}`
//! (`Mail` serializes to it); any 2xx is accepted, anything else (another status, no answer
//! within 3 s) is a `MailError`.

use std::time::Duration;

use super::error::MailError;
use super::model::Mail;
use super::ports::Mailer;

/// Sends mails through the HTTP mail API at `base_url` (`http://127.0.0.1:8025`).
#[derive(Debug, Clone)]
pub struct HttpMailer {
    base_url: String,
    client: reqwest::Client,
}

impl HttpMailer {
    pub fn new(base_url: impl Into<String>) -> HttpMailer {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(3))
            .build()
            .expect("a reqwest client with a timeout");
        HttpMailer {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            client,
        }
    }
}

impl Mailer for HttpMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let response = self
            .client
            .post(format!("{}/v1/messages", self.base_url))
            .json(&mail)
            .send()
            .await
            .map_err(|e| MailError(format!("the mail API did not answer: {e}")))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(MailError(format!(
                "the mail API answered {}",
                response.status()
            )))
        }
    }
}
