//! # Exercise 05: HTTPS — axum over rustls, a redirect from HTTP, and HSTS
//!
//! Over plain HTTP every router between the browser and the server reads and may rewrite
//! every byte: the password of a login form, the session cookie, the page itself (an injected
//! script). TLS gives the connection three things: **confidentiality** (encrypted),
//! **integrity** (a changed byte breaks the connection) and **authentication** (the server
//! proves, with a certificate a trusted authority signed, that it is the name the browser
//! asked for). So a production service speaks only HTTPS, in four parts:
//!
//! 1. **A TLS configuration** from two PEM files: the certificate *chain* (the server's
//!    certificate first, then each intermediate authority's, up to but not including the root
//!    the clients already trust) and the private key. A server that sends its own certificate
//!    without the intermediate one works with a browser that happens to have it cached and
//!    fails everywhere else with "unknown issuer". Only TLS 1.2 and 1.3 (rustls has nothing
//!    older), and ALPN offering `h2` then `http/1.1`, so that browsers may speak HTTP/2.
//! 2. **An accept loop** that hands each TCP connection to a task of its own, which does the
//!    handshake (bounded by a timeout) and then serves HTTP on the encrypted stream. The
//!    handshake is the client's to finish: awaited in the loop itself, one client that
//!    connects and says nothing stops everyone else; and a failed handshake (a scanner, a
//!    plain-HTTP client, garbage) is that connection's end, never the loop's.
//! 3. **Port 80 redirects to HTTPS**: every request, whatever its method and path, is answered
//!    `308 Permanent Redirect` to `https://<public host><path>?<query>`. 308, not 301: a 301
//!    lets a browser turn a POST into a GET and drop its body; 308 keeps both. The host is the
//!    one *configured*, never the request's `Host` header, which the client chooses: a
//!    redirect built from it sends whoever follows a crafted link to `evil.example` (an open
//!    redirect), and poisons any cache in front of the server.
//! 4. **HSTS** on every HTTPS response, errors included:
//!    `Strict-Transport-Security: max-age=31536000; includeSubDomains` tells the browser to
//!    use only HTTPS for this host for a year, so the next visit never starts with a plain
//!    request an attacker could intercept. Never on plain HTTP: a browser must ignore it
//!    there (RFC 6797, 8.1) and a server must not send it (7.2).
//!
//! In production, TLS often ends at a load balancer or a reverse proxy (exercise 12), and
//! certificates come from an ACME authority such as Let's Encrypt (`rustls-acme`, certbot)
//! and are renewed without a restart (a `ResolvesServerCert` that swaps them). The crate
//! `axum-server` wraps what you write here. After the handshake, a server also bounds how
//! long a client may take to send its headers (hyper's `header_read_timeout`): the slowloris
//! attack is the same silence, one step later.
//!
//! - <https://docs.rs/rustls/0.23/rustls/server/struct.ServerConfig.html>,
//!   <https://docs.rs/rustls/0.23/rustls/pki_types/pem/trait.PemObject.html>
//! - <https://docs.rs/tokio-rustls/0.26/tokio_rustls/struct.TlsAcceptor.html>
//! - <https://docs.rs/hyper-util/0.1/hyper_util/server/conn/auto/struct.Builder.html>,
//!   <https://docs.rs/hyper-util/0.1/hyper_util/service/struct.TowerToHyperService.html>
//! - <https://docs.rs/tower-http/0.7/tower_http/set_header/struct.SetResponseHeaderLayer.html>
//! - <https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security>
//!
//! Your task: [`tls_config`], [`serve_https`] and [`redirect_to_https`].
//!
//! Run `cargo xtask check 05_https` to check your work; `cargo xtask hint 05_https` gives a hint.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{LOCATION, STRICT_TRANSPORT_SECURITY};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use rustls::ServerConfig;
use rustls::crypto::ring;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower_http::set_header::SetResponseHeaderLayer;

/// The HSTS header's value: HTTPS only, for a year, for every subdomain too.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Why a TLS configuration could not be made. No variant holds the key's bytes.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("the certificate chain is not valid PEM: {0}")]
    Certificates(pem::Error),
    #[error("no certificate in the chain's PEM: give the server's certificate, then its chain")]
    NoCertificate,
    #[error("no usable private key in the key's PEM (PKCS#8, PKCS#1 or SEC1): {0}")]
    Key(pem::Error),
    #[error("rustls refused the certificate and key (do they belong together?): {0}")]
    Rejected(#[from] rustls::Error),
}

/// A server configuration from PEM text: `cert_chain_pem` holds the server's certificate then
/// its intermediates, `key_pem` its private key. The ring provider, TLS 1.2 and 1.3, no client
/// certificates, ALPN `h2` then `http/1.1`. Bad or mismatched PEM is an error, never a panic.
pub fn tls_config(cert_chain_pem: &str, key_pem: &str) -> Result<Arc<ServerConfig>, TlsError> {
    // TODO: read EVERY certificate of the chain (`CertificateDer::pem_slice_iter`), an empty
    // chain being `TlsError::NoCertificate`; read the key (`PrivateKeyDer::from_pem_slice`).
    // TODO: `ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))`, TLS 1.3
    // and 1.2, no client auth, `with_single_cert` (it checks that the key fits the
    // certificate); then `alpn_protocols`. Map each failure to its `TlsError`, no `unwrap`.
    todo!("a rustls ServerConfig from the chain and key PEM")
}

/// Serves `app` over TLS on `listener`, with [`HSTS`] on every response. Each connection gets
/// a task of its own; its handshake must finish within `handshake_timeout`, or the connection
/// is dropped. A failed handshake or a failed accept never ends the loop: the future runs
/// until its task is dropped (its `io::Result` is `axum::serve`'s, for a caller's `?`).
pub async fn serve_https(
    listener: TcpListener,
    app: Router,
    config: Arc<ServerConfig>,
    handshake_timeout: Duration,
) -> io::Result<()> {
    // TODO: add HSTS around the whole app (`SetResponseHeaderLayer::overriding`).
    // TODO: loop: accept (an error is logged, then the loop goes on); spawn a task per
    // connection that does the handshake (`TlsAcceptor::accept` inside
    // `tokio::time::timeout(handshake_timeout, …)`) and then serves HTTP on the TLS stream:
    // `auto::Builder::new(TokioExecutor::new()).serve_connection_with_upgrades(
    // TokioIo::new(tls), TowerToHyperService::new(app))`. Nothing of one connection may end
    // the loop or make it wait.
    todo!(
        "accept TLS connections on {:?} and serve the app on each",
        listener.local_addr()
    )
}

/// The plain-HTTP app: every request, whatever its method and path, is answered `308
/// Permanent Redirect` to `https://{public_host}{path}?{query}` (`public_host` as configured,
/// port included when not 443, such as `localhost:8443`), with no HSTS header.
pub fn redirect_to_https(public_host: &str) -> Router {
    // TODO: a router whose fallback answers every request: 308 with `location` built from
    // `public_host` and the request's `uri().path_and_query()`. Never from its Host header.
    todo!("redirect every request to https://{public_host}")
}
