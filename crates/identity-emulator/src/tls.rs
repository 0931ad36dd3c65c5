//! `--tls`: https with a self-signed certificate made at start.
//!
//! MSAL refuses http authorities (`authority_uri_insecure`), so Microsoft's own libraries need
//! this; the certificate's PEM is written to a file that clients can be told to trust
//! ([`write_certificate`]).

#[cfg(feature = "tls")]
use std::future::Future;
#[cfg(feature = "tls")]
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[cfg(feature = "tls")]
use axum::Router;
#[cfg(feature = "tls")]
use axum_server::tls_rustls::RustlsConfig;

/// A certificate and its private key, PEM-encoded.
pub struct SelfSigned {
    /// The certificate, for clients to trust.
    pub cert_pem: String,
    /// The private key, for the server only.
    pub key_pem: String,
}

/// Makes a certificate for `localhost` and `127.0.0.1`.
#[cfg(feature = "tls")]
pub fn self_signed() -> Result<SelfSigned, rcgen::Error> {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])?;
    Ok(SelfSigned {
        cert_pem: certified.cert.pem(),
        key_pem: certified.signing_key.serialize_pem(),
    })
}

/// The certificate's PEM, in a folder of its own that is removed when this is dropped (when the
/// emulator stops).
pub struct CertificateFile {
    dir: PathBuf,
    path: PathBuf,
}

impl CertificateFile {
    /// The PEM file, for clients to trust.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for CertificateFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes `cert_pem`, for the emulator listening on `port`, to
/// `<parent>/identity-emulator-<port>-<random>/cert.pem`, `parent` being the temp folder.
///
/// The temp folder is shared with every user of the machine, so a fixed name there can be taken
/// first, or be a symlink planted to make the write clobber another file. The folder is made
/// fresh instead, with a name from the CSPRNG, and private (0700 on unix; on Windows the temp
/// folder is the user's own); the file is created new inside it (0600), never opened through an
/// entry that was already there.
pub fn write_certificate(
    parent: &Path,
    port: u16,
    cert_pem: &str,
) -> std::io::Result<CertificateFile> {
    let dir = create_private_dir(parent, port)?;
    let path = dir.join("cert.pem");
    let file = CertificateFile { dir, path };
    write_file(&file.path, cert_pem)?;
    Ok(file)
}

/// Makes `<parent>/identity-emulator-<port>-<random>`, readable by this user only. mkdir fails
/// on any entry already there, a symlink included.
fn create_private_dir(parent: &Path, port: u16) -> std::io::Result<PathBuf> {
    use base64::Engine as _;
    for _ in 0..8 {
        let random = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(crate::keys::random_bytes::<12>());
        let dir = parent.join(format!("identity-emulator-{port}-{random}"));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "no fresh folder name for the certificate",
    ))
}

/// Creates `path` (O_CREAT | O_EXCL: an existing entry, a symlink included, is an error) with
/// mode 0600 on unix, and writes `contents` to it.
pub(crate) fn write_file(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

/// Serves `router` over TLS on `listener` until `shutdown` completes.
#[cfg(feature = "tls")]
pub async fn serve_tls(
    listener: std::net::TcpListener,
    router: Router,
    certificate: &SelfSigned,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let config = RustlsConfig::from_pem(
        certificate.cert_pem.clone().into_bytes(),
        certificate.key_pem.clone().into_bytes(),
    )
    .await?;
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
    });
    listener.set_nonblocking(true)?;
    axum_server::from_tcp_rustls(listener, config)?
        .handle(handle)
        .serve(router.into_make_service_with_connect_info::<SocketAddr>())
        .await
}
