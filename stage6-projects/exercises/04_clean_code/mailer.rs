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
    // TODO: what sending needs: the base URL, and one `reqwest::Client` built with a 3 s
    // timeout (a client keeps its connections: build it once, here, not per mail).
}

impl HttpMailer {
    pub fn new(base_url: impl Into<String>) -> HttpMailer {
        todo!("HttpMailer::new: keep the URL, build the client (milestone 4, pinned behaviour)")
    }
}

impl Mailer for HttpMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        // TODO: `POST {base_url}/v1/messages` with `mail` as JSON; a transport error or a
        // status that is not 2xx is a `MailError` saying which.
        todo!("HttpMailer::send: POST /v1/messages, Ok on 2xx (milestone 4, pinned behaviour)")
    }
}
