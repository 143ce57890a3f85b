//! A real S3 server inside the test's own process, with a bucket of the test's own.
//!
//! Storage lessons need an S3 endpoint that speaks the real protocol: signatures (SigV4, in
//! headers and in presigned URLs, expiry included), multipart uploads, object metadata. A
//! mock would accept whatever the learner's client sends; a shared MinIO would be one more
//! service to install. So [`server`] starts [s3s](https://docs.rs/s3s) with its file-system
//! backend ([s3s-fs](https://docs.rs/s3s-fs)) over a fresh temporary directory, on a free port
//! of `127.0.0.1`, on a thread of its own, and creates one bucket in it. Every request must be
//! signed with [`S3Server::access_key`] and [`S3Server::secret_key`]; one that is not, or whose
//! presigned URL has expired or was tampered with, gets `403 Forbidden` as from AWS.
//!
//! Each call is a server of its own, so tests never see each other's objects. Dropping the
//! [`S3Server`] stops it and removes its directory (`testkit-s3-<pid>-<n>` in the system's
//! temporary directory); the directories that a killed run left are removed by the next run.
//!
//! # Example
//!
//! ```no_run
//! # async fn example() {
//! let s3 = testkit::s3::server().await;
//!
//! // The learner's client (object_store here) is pointed at it like at any S3-compatible
//! // service, with path-style requests over plain HTTP:
//! //
//! // let store = object_store::aws::AmazonS3Builder::new()
//! //     .with_endpoint(s3.endpoint())        // "http://127.0.0.1:41517"
//! //     .with_allow_http(true)
//! //     .with_region(s3.region())
//! //     .with_bucket_name(s3.bucket())
//! //     .with_access_key_id(s3.access_key())
//! //     .with_secret_access_key(s3.secret_key())
//! //     .build()?;
//!
//! // ... the test runs the learner's code, then looks at what the server holds:
//! assert_eq!(s3.objects(), vec![("files/1".to_string(), 11)]); // keys and sizes
//! assert_eq!(s3.incomplete_uploads(), 0); // no multipart upload left open
//! # }
//! ```
//!
//! [`S3Server::received_bytes`] counts what the server has read from its sockets: a test can
//! compare it with what it has sent to the learner's server to prove that an upload is
//! streamed on to storage while it is still arriving, rather than held whole in memory.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::program::Scratch;

/// The access key every request must be signed with.
pub const ACCESS_KEY: &str = "backendlings";
/// The secret key that goes with [`ACCESS_KEY`].
pub const SECRET_KEY: &str = "backendlings-secret-key";
/// The region clients sign for. s3s-fs stores everything in one place whatever the region;
/// the name matters only because it is part of every signature.
pub const REGION: &str = "us-east-1";

/// An S3 server of the test's own; stopped, and its files removed, when dropped.
#[derive(Debug)]
pub struct S3Server {
    addr: SocketAddr,
    endpoint: String,
    bucket: String,
    received: Arc<AtomicU64>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    // Removed once the server's thread has ended: nothing writes into it any more.
    root: Scratch,
}

impl S3Server {
    /// The base URL for clients: `http://127.0.0.1:<port>`, plain HTTP, path-style requests
    /// (`http://127.0.0.1:<port>/<bucket>/<key>`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The server's address, for a raw socket or `testkit::http::Client`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bucket made for this test; it exists and is empty when [`server`] returns.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The access key id that requests must be signed with ([`ACCESS_KEY`]).
    pub fn access_key(&self) -> &str {
        ACCESS_KEY
    }

    /// The secret access key that requests must be signed with ([`SECRET_KEY`]).
    pub fn secret_key(&self) -> &str {
        SECRET_KEY
    }

    /// The region to sign for ([`REGION`]).
    pub fn region(&self) -> &str {
        REGION
    }

    /// The objects of the test's bucket, as (key, size in bytes), sorted by key, read from
    /// the server's directory: what is stored, whatever the client under test says.
    pub fn objects(&self) -> Vec<(String, u64)> {
        let mut objects = Vec::new();
        let bucket = self.root().join(&self.bucket);
        list_files(&bucket, &bucket, &mut objects)
            .unwrap_or_else(|e| panic!("cannot list the objects in {}: {e}", bucket.display()));
        objects.sort();
        objects
    }

    /// How many multipart uploads were started and neither completed nor aborted. Their parts
    /// stay on the server (and on AWS are billed) until someone aborts them, so code that
    /// gives up on an upload must abort it.
    pub fn incomplete_uploads(&self) -> usize {
        // s3s-fs keeps a file `.upload-<id>.json` for each open upload, removed when the
        // upload is completed or aborted (it implements no ListMultipartUploads to ask).
        let entries = std::fs::read_dir(self.root()).unwrap_or_else(|e| {
            panic!(
                "cannot read the S3 server's directory {}: {e}",
                self.root().display()
            )
        });
        entries
            .filter_map(Result::ok)
            .filter(|entry| {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                name.starts_with(".upload-") && name.ends_with(".json")
            })
            .count()
    }

    /// The bytes the server has read from its connections so far, requests' headers and
    /// bodies together.
    pub fn received_bytes(&self) -> u64 {
        self.received.load(Ordering::SeqCst)
    }

    /// The directory the server stores everything in (a bucket is a folder of it).
    pub fn root(&self) -> &Path {
        self.root.path()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // The server's thread ends within a second or two: waiting for it means no file is
        // being written while the directory is removed.
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        // The directory goes with the `root` field, dropped next.
    }
}

/// Starts an S3 server of the test's own with one empty bucket. Panics, saying why, when it
/// cannot (no temporary directory, no free port).
pub async fn server() -> S3Server {
    static SERVERS: AtomicUsize = AtomicUsize::new(0);
    let n = SERVERS.fetch_add(1, Ordering::SeqCst);
    let scratch = Scratch::new("s3").unwrap_or_else(|e| panic!("{e}"));
    let root = scratch.path().to_path_buf();
    // A bucket is a folder of the root: s3s-fs's CreateBucket does nothing more. Bucket names
    // are 3 to 63 lowercase letters, digits and hyphens.
    let bucket = format!("test-{}-{n}", std::process::id());
    std::fs::create_dir_all(root.join(&bucket)).unwrap_or_else(|e| {
        panic!(
            "cannot create the S3 server's directory {}: {e}",
            root.display()
        )
    });

    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.set_nonblocking(true).map(|()| listener))
        .unwrap_or_else(|e| panic!("cannot listen on 127.0.0.1 for the S3 server: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("the S3 server's listener has no address: {e}"));

    let fs = s3s_fs::FileSystem::new(&root).unwrap_or_else(|e| {
        panic!(
            "cannot open {} as the S3 server's storage: {e:?}",
            root.display()
        )
    });
    let mut builder = S3ServiceBuilder::new(fs);
    builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
    let service = builder.build();

    let received = Arc::new(AtomicU64::new(0));
    let (stop, stopped) = oneshot::channel();
    let counter = received.clone();
    // A thread and a runtime of its own: the server keeps answering whatever the test's
    // runtime does (a single thread busy with the learner's server, a blocked thread), and
    // one test's server outlives no test.
    let thread = std::thread::Builder::new()
        .name(format!("s3-server-{n}"))
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("cannot start the S3 server's runtime: {e}"));
            runtime.block_on(serve(listener, service, counter, stopped));
            runtime.shutdown_timeout(Duration::from_secs(2));
        })
        .unwrap_or_else(|e| panic!("cannot start the S3 server's thread: {e}"));

    S3Server {
        addr,
        endpoint: format!("http://{addr}"),
        bucket,
        received,
        stop: Some(stop),
        thread: Some(thread),
        root: scratch,
    }
}

/// Accepts connections until `stopped`, each served in a task of its own.
async fn serve(
    listener: std::net::TcpListener,
    service: s3s::service::S3Service,
    received: Arc<AtomicU64>,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(e) => panic!("cannot use the S3 server's listener: {e}"),
    };
    let http = ConnBuilder::new(TokioExecutor::new());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // A connection that failed before it was accepted concerns its client only.
                Err(_) => continue,
            },
            _ = &mut stopped => return,
        };
        let io = TokioIo::new(Counted {
            inner: stream,
            received: received.clone(),
        });
        let connection = http.serve_connection(io, service.clone()).into_owned();
        tokio::spawn(async move {
            // A client that goes away mid-request is the client's business, not a failure
            // of the server.
            let _ = connection.await;
        });
    }
}

/// A connection that counts the bytes read from it.
struct Counted {
    inner: TcpStream,
    received: Arc<AtomicU64>,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        self.received.fetch_add(read as u64, Ordering::SeqCst);
        polled
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Adds the files under `dir` to `out`, named by their path from `base` with `/` between
/// folders, as S3 keys are.
fn list_files(base: &Path, dir: &Path, out: &mut Vec<(String, u64)>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let meta = entry.metadata()?;
        if meta.is_dir() {
            list_files(base, &path, out)?;
        } else {
            let key = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((key, meta.len()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! The server against requests signed by hand (SigV4, as every S3 client signs them),
    //! sent over a raw socket: what the server accepts and refuses does not depend on one
    //! client's habits.

    use super::*;

    use std::time::{SystemTime, UNIX_EPOCH};

    use s3s::crypto::{Checksum, Sha256};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
        // HMAC (RFC 2104) over SHA-256, whose block is 64 bytes.
        let mut block = [0u8; 64];
        if key.len() > 64 {
            block[..32].copy_from_slice(&Sha256::checksum(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut inner = Sha256::new();
        inner.update(&block.map(|b| b ^ 0x36));
        inner.update(data);
        let mut outer = Sha256::new();
        outer.update(&block.map(|b| b ^ 0x5c));
        outer.update(&inner.finalize());
        outer.finalize()
    }

    /// Sends `method path` with `body`, signed with `secret` (SigV4, headers, unsigned
    /// payload), and returns the response's status code and body.
    async fn signed(
        s3: &S3Server,
        secret: &str,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> (u16, String) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        // The server refuses a request whose time is more than 15 minutes off its clock, so
        // the time must be now: days since 1970 to a civil date (Howard Hinnant's algorithm).
        let (days, secs) = ((now / 86_400) as i64, now % 86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let date = format!("{year:04}{month:02}{day:02}");
        let time = format!(
            "{date}T{:02}{:02}{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
        let host = s3.addr().to_string();
        // The canonical query is the parameters sorted, each `name=value` (`uploads=`).
        let (bare_path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut params: Vec<String> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                if p.contains('=') {
                    p.to_string()
                } else {
                    format!("{p}=")
                }
            })
            .collect();
        params.sort();
        let query = params.join("&");
        let scope = format!("{date}/{REGION}/s3/aws4_request");
        let canonical = format!(
            "{method}\n{bare_path}\n{query}\nhost:{host}\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n\
             x-amz-date:{time}\n\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"
        );
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{time}\n{scope}\n{}",
            hex(&Sha256::checksum(canonical.as_bytes()))
        );
        let mut key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
        for part in [REGION, "s3", "aws4_request"] {
            key = hmac(&key, part.as_bytes());
        }
        let signature = hex(&hmac(&key, to_sign.as_bytes()));

        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nhost: {host}\r\nx-amz-date: {time}\r\n\
             x-amz-content-sha256: UNSIGNED-PAYLOAD\r\nauthorization: AWS4-HMAC-SHA256 \
             Credential={ACCESS_KEY}/{scope}, SignedHeaders=host;x-amz-content-sha256;\
             x-amz-date, Signature={signature}\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        raw(s3, &request).await
    }

    /// Sends `request` as it is and returns the response's status code and body.
    async fn raw(s3: &S3Server, request: &[u8]) -> (u16, String) {
        crate::within("a request to the S3 server", async {
            let mut stream = TcpStream::connect(s3.addr()).await.unwrap();
            stream.write_all(request).await.unwrap();
            let mut response = Vec::new();
            stream.read_to_end(&mut response).await.unwrap();
            let response = String::from_utf8_lossy(&response).into_owned();
            let status = response[9..12].parse().unwrap();
            let body = response
                .split_once("\r\n\r\n")
                .map(|(_, body)| body.to_string())
                .unwrap_or_default();
            (status, body)
        })
        .await
    }

    #[tokio::test]
    async fn a_signed_put_is_stored_and_read_back_in_the_tests_own_bucket() {
        let s3 = server().await;
        let other = server().await;
        assert_ne!(s3.bucket(), other.bucket());
        assert_eq!(s3.objects(), vec![]);
        assert!(s3.endpoint().starts_with("http://127.0.0.1:"));

        let path = format!("/{}/notes/hello.txt", s3.bucket());
        let (status, body) = signed(&s3, SECRET_KEY, "PUT", &path, b"hello world").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(s3.objects(), vec![("notes/hello.txt".to_string(), 11)]);
        assert_eq!(other.objects(), vec![]);
        assert_eq!(
            signed(&s3, SECRET_KEY, "GET", &path, b"").await,
            (200, "hello world".to_string())
        );
        assert_eq!(s3.incomplete_uploads(), 0);
        assert!(s3.received_bytes() > 11);
    }

    #[tokio::test]
    async fn unsigned_and_wrongly_signed_requests_are_refused() {
        let s3 = server().await;
        let path = format!("/{}/x", s3.bucket());
        let (status, body) = signed(&s3, "not-the-secret", "PUT", &path, b"x").await;
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("SignatureDoesNotMatch"), "{body}");
        let request = format!(
            "PUT {path} HTTP/1.1\r\nhost: {}\r\ncontent-length: 1\r\nconnection: close\r\n\r\nx",
            s3.addr()
        );
        let (status, body) = raw(&s3, request.as_bytes()).await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(s3.objects(), vec![]);
    }

    #[tokio::test]
    async fn a_multipart_upload_left_open_is_counted_until_aborted() {
        let s3 = server().await;
        let path = format!("/{}/big", s3.bucket());
        let (status, body) = signed(&s3, SECRET_KEY, "POST", &format!("{path}?uploads"), b"").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(s3.incomplete_uploads(), 1);
        let id = body
            .split_once("<UploadId>")
            .and_then(|(_, rest)| rest.split_once("</UploadId>"))
            .map(|(id, _)| id.to_string())
            .unwrap_or_else(|| panic!("no UploadId in {body}"));
        let (status, body) = signed(
            &s3,
            SECRET_KEY,
            "DELETE",
            &format!("{path}?uploadId={id}"),
            b"",
        )
        .await;
        assert_eq!(status, 204, "{body}");
        assert_eq!(s3.incomplete_uploads(), 0);
        assert_eq!(s3.objects(), vec![]);
    }

    #[tokio::test]
    async fn dropping_the_server_removes_its_files() {
        let s3 = server().await;
        let root = s3.root().to_path_buf();
        assert!(root.join(s3.bucket()).is_dir());
        drop(s3);
        assert!(!root.exists());
    }
}
