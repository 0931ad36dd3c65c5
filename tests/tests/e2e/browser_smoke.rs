//! The trunk-built page renders in headless Chromium: chromedriver.

use std::process::{Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use integration_tests::{free_port, serve_dir, workspace_root, WebDriver};
use serde_json::json;

#[tokio::test]
async fn browser_page_shows_sign_in() -> integration_tests::Result<()> {
    let dist = workspace_root().join("frontend/dist");
    assert!(
        dist.join("index.html").exists(),
        "{} is missing: run scripts/test.sh, which builds it with trunk",
        dist.display()
    );
    let site = serve_dir(&dist).await?;
    let profile = tempfile::tempdir()?;
    let port = free_port()?;
    let mut command = Command::new("chromedriver");
    command
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let driver = WebDriver::start("chromedriver", command, port).await?;

    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    let client = ClientBuilder::native()
        .capabilities(capabilities)
        .connect(driver.url())
        .await?;

    let found = async {
        client.goto(&format!("{}/", site.url())).await?;
        let button = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("#signIn"))
            .await
            .map_err(|e| format!("#signIn did not appear within 30 s: {e}"))?;
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
