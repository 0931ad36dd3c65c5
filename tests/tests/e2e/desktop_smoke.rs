//! The built desktop app starts under Xvfb and renders the page: tauri-driver + WebKitWebDriver.
//! The main window is created hidden and shown once its page has loaded (src-tauri/src/lib.rs),
//! so the test also checks that it does become visible.

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
        // The built-in configuration: the emulator that scripts/run.sh starts.
        app.wait_for_text(
            "#provider",
            "Signs in with: Demo tenant (local emulator at localhost:4123)",
            Duration::from_secs(10),
        )
        .await?;
        // WebKit reports a page in an unmapped window as hidden.
        let client = &app.client;
        integration_tests::wait_until(
            "the main window to be shown",
            Duration::from_secs(10),
            || async move {
                let state = client
                    .execute("return document.visibilityState", vec![])
                    .await
                    .ok()?;
                (state == "visible").then_some(())
            },
        )
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
