//! The built desktop app starts under Xvfb and renders the page: tauri-driver + WebKitWebDriver.

use std::process::{Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use integration_tests::{free_port, target_dir, WebDriver, Xvfb};
use serde_json::json;

/// The app binary built by scripts/test.sh (`cargo build --features custom-protocol`).
fn app_binary() -> std::path::PathBuf {
    std::env::var_os("GRAPH_SIGNIN_APP")
        .map(Into::into)
        .unwrap_or_else(|| target_dir().join("debug/graph-signin"))
}

#[tokio::test]
async fn desktop_window_shows_sign_in() -> integration_tests::Result<()> {
    let app = app_binary();
    assert!(
        app.exists(),
        "{} is missing: run scripts/test.sh, which builds it",
        app.display()
    );
    let xvfb = Xvfb::start()?;
    let home = tempfile::tempdir()?;
    let (port, native_port) = (free_port()?, free_port()?);
    let mut command = Command::new("tauri-driver");
    command
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", xvfb.display())
        // The app's store, config and caches land in a folder this test owns.
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let driver = WebDriver::start("tauri-driver", command, port).await?;

    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("wry"));
    capabilities.insert("tauri:options".into(), json!({ "application": app }));
    let client = ClientBuilder::native()
        .capabilities(capabilities)
        .connect(driver.url())
        .await?;

    let found = async {
        let button = client
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css("#signIn"))
            .await
            .map_err(|e| format!("#signIn did not appear within 60 s: {e}"))?;
        let brand = client
            .find(Locator::Css(".navbar-brand"))
            .await?
            .text()
            .await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((button.text().await?, brand))
    }
    .await;
    client.close().await?;
    let (button, brand) = found?;
    assert_eq!(button, "Sign In");
    assert_eq!(brand, "MS Identity Platform");
    Ok(())
}
