//! The built desktop app starts under Xvfb and renders the page: tauri-driver + WebKitWebDriver.
//! The main window is created hidden and shown once its page has loaded (src-tauri/src/lib.rs),
//! so the test also checks that it does become visible.
//!
//! With no configuration, the app signs in to its demo tenant, the emulator run in its own
//! process: these tests start no emulator.

use std::time::Duration;

use integration_tests::desktop::DesktopApp;
use integration_tests::emulator::WORK_USER;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn with_no_configuration_the_app_signs_in_to_its_demo_tenant() -> integration_tests::Result<()>
{
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
        app.wait_for_text(
            "#provider",
            "Signs in with: Demo tenant (local emulator)",
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
        // A sign-in through the login window, answered by the app's own emulator.
        app.sign_in_work_user().await?;
        app.click("#seeProfile").await?;
        app.wait_for_text("#profile-div", "Title: Retail Manager", WAIT)
            .await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((button, brand))
    }
    .await;
    let home = app.quit().await?;
    let (button, brand) = found?;
    assert_eq!(button, "Sign In");
    assert_eq!(brand, "MS Identity Platform");
    // The demo tenant's grants live in its memory: none is written to disk, and the next
    // launch (a new demo tenant) starts signed out.
    let store = home.path().join("data/dev.graphsignin.desktop/tokens.json");
    assert!(!store.exists(), "{} was written", store.display());
    // The log tells the sign-in, without the username (logPii is off by default).
    let logs = home.path().join("data/dev.graphsignin.desktop/logs");
    let mut log = String::new();
    for entry in std::fs::read_dir(&logs)? {
        log.push_str(&std::fs::read_to_string(entry?.path())?);
    }
    assert!(log.contains("signed in"), "{log}");
    assert!(!log.contains(WORK_USER), "{log}");
    let again = DesktopApp::launch(&[], Some(home)).await?;
    let signed_out = again.wait_for("#signIn", WAIT).await.map(drop);
    again.quit().await?;
    signed_out
}

#[tokio::test]
async fn the_emulator_port_setting_moves_the_demo_tenant_and_a_taken_port_is_explained(
) -> integration_tests::Result<()> {
    // The port the demo tenant is asked to use: sign-in goes there.
    let port = integration_tests::free_port()?;
    let env = [("GRAPH_SIGNIN_EMULATOR_PORT", port.to_string())];
    let app = DesktopApp::launch(&env, None).await?;
    let run = async {
        app.click("#signIn").await?;
        app.switch_to_login_window().await?;
        let client = &app.client;
        let url = integration_tests::wait_until("the sign-in page", WAIT, || async move {
            let url = client.current_url().await.ok()?;
            (url.path() != "blank").then_some(url)
        })
        .await?;
        assert_eq!(url.host_str(), Some("localhost"), "{url}");
        assert_eq!(url.port(), Some(port), "{url}");
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run?;

    // Taken by another program: the page says so, naming the port and the setting.
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    let port = taken.local_addr()?.port();
    let env = [("GRAPH_SIGNIN_EMULATOR_PORT", port.to_string())];
    let app = DesktopApp::launch(&env, None).await?;
    let banner = app
        .wait_for_text("#errorBanner", "emulatorPort", WAIT)
        .await;
    app.quit().await?;
    let banner = banner?;
    assert!(banner.contains(&format!("127.0.0.1:{port}")), "{banner}");
    Ok(())
}
