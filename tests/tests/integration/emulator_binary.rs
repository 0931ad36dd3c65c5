//! The emulator library served on a real loopback socket, as `identity-emulator` serves it.

use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

#[tokio::test]
async fn emulator_serves_on_loopback_and_shuts_down() -> integration_tests::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(identity_emulator::run(listener, async {
        let _ = stopped.await;
    }));

    let body: serde_json::Value = reqwest::get(format!("http://{addr}/_emulator/health"))
        .await?
        .json()
        .await?;
    assert_eq!(body["status"], "ok");

    stop.send(())
        .map_err(|_| "the server stopped before it was told to")?;
    tokio::time::timeout(Duration::from_secs(10), server).await???;
    assert!(reqwest::get(format!("http://{addr}/_emulator/health"))
        .await
        .is_err());
    Ok(())
}

#[tokio::test]
async fn tls_mode_serves_https_with_its_self_signed_certificate() -> integration_tests::Result<()> {
    let certificate = identity_emulator::tls::self_signed()?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let state = std::sync::Arc::new(identity_emulator::EmulatorState::new(
        identity_emulator::Seed::default_seed(),
        true,
    ));
    let router = identity_emulator::app_with(state);
    let (stop, stopped) = oneshot::channel::<()>();
    let pem = certificate.cert_pem.clone();
    let server = tokio::spawn(async move {
        identity_emulator::tls::serve_tls(listener, router, &certificate, async {
            let _ = stopped.await;
        })
        .await
    });
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes())?)
        .build()?;
    let url = format!("https://localhost:{port}/common/v2.0/.well-known/openid-configuration");
    let discovery: serde_json::Value =
        integration_tests::wait_until("the TLS emulator", Duration::from_secs(10), || {
            let request = client.get(&url).send();
            async move { request.await.ok()?.json().await.ok() }
        })
        .await?;
    assert_eq!(
        discovery["issuer"],
        format!("https://localhost:{port}/{{tenantid}}/v2.0")
    );
    // Without the certificate, a client refuses the emulator.
    assert!(reqwest::get(&url).await.is_err());
    stop.send(()).map_err(|_| "the server stopped early")?;
    tokio::time::timeout(Duration::from_secs(10), server).await???;
    Ok(())
}
