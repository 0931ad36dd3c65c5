//! The trunk-built page renders in headless Chromium: chromedriver.

use std::time::Duration;

use fantoccini::Locator;
use integration_tests::chromium::Chromium;
use integration_tests::{serve_dir, wait_displayed, workspace_root};

#[tokio::test]
async fn browser_page_shows_sign_in() -> integration_tests::Result<()> {
    let dist = workspace_root().join("frontend/dist-browser");
    assert!(
        dist.join("index.html").exists(),
        "{} is missing: run scripts/test.sh, which builds it with trunk",
        dist.display()
    );
    let site = serve_dir(&dist).await?;
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let found = async {
        client.goto(&format!("{}/", site.url())).await?;
        let button = wait_displayed(client, "#signIn", Duration::from_secs(30))
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
    browser.quit().await?;
    let (button, brand) = found?;
    assert_eq!(button, "Sign In");
    assert_eq!(brand, "MS Identity Platform");
    Ok(())
}
