//! The built desktop app starts under Xvfb and renders the page: tauri-driver + WebKitWebDriver.

use std::time::Duration;

use integration_tests::desktop::DesktopApp;

#[tokio::test]
async fn desktop_window_shows_sign_in() -> integration_tests::Result<()> {
    let app = DesktopApp::launch(&[], None).await?;
    let found = async {
        let button = app
            .wait_for("#signIn", Duration::from_secs(60))
            .await?
            .text()
            .await?;
        let brand = app
            .wait_for(".navbar-brand", Duration::from_secs(5))
            .await?
            .text()
            .await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((button, brand))
    }
    .await;
    app.quit().await?;
    let (button, brand) = found?;
    assert_eq!(button, "Sign In");
    assert_eq!(brand, "MS Identity Platform");
    Ok(())
}
