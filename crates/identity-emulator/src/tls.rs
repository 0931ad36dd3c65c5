//! `--tls`: https with a self-signed certificate made at start.
//!
//! MSAL refuses http authorities (`authority_uri_insecure`), so Microsoft's own libraries need
//! this; the certificate's PEM is written to a file that clients can be told to trust.

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum_server::tls_rustls::RustlsConfig;

/// A certificate and its private key, PEM-encoded.
pub struct SelfSigned {
    /// The certificate, for clients to trust.
    pub cert_pem: String,
    /// The private key, for the server only.
    pub key_pem: String,
}

/// Makes a certificate for `localhost` and `127.0.0.1`.
pub fn self_signed() -> Result<SelfSigned, rcgen::Error> {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])?;
    Ok(SelfSigned {
        cert_pem: certified.cert.pem(),
        key_pem: certified.signing_key.serialize_pem(),
    })
}

/// Serves `router` over TLS on `listener` until `shutdown` completes.
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
