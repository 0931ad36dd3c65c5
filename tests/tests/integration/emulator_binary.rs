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
