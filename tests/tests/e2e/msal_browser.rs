//! Microsoft's own msal-browser (npm, 5.29) against `identity-emulator --tls`, in headless
//! Chromium: a real client that was not written with the emulator in mind. MSAL refuses http
//! authorities, so the emulator serves https with its self-signed certificate; the page names
//! the emulator's host in `knownAuthorities`, as the README tells users of Microsoft's sample.
//!
//! Redirect sign-in of a personal account, typed on the emulator's pages across its origins, the account msal-browser builds from
//! `client_info` and the ID token, a silent token from its cache, a Graph call with it, and a
//! forced refresh through the token endpoint (the emulator's counters).

use std::time::Duration;

use fantoccini::{Client, Locator};
use integration_tests::chromium::{sign_in_on_emulator_page, Chromium};
use integration_tests::emulator::{Emulator, CLIENT_ID, PASSWORD, PERSONAL_USER};
use integration_tests::sign_in_pages::Step;
use integration_tests::{click_displayed, wait_text, workspace_root, Result};
use serde_json::json;
use tower_http::services::{ServeDir, ServeFile};

const WAIT: Duration = Duration::from_secs(30);

async fn click(client: &Client, css: &str) -> Result<()> {
    click_displayed(client, css, WAIT).await
}

#[tokio::test]
async fn microsofts_msal_browser_signs_in_and_refreshes_against_the_tls_emulator() -> Result<()> {
    let sample = workspace_root().join("tests/msal-browser");
    let library = sample.join("node_modules/@azure/msal-browser/lib/msal-browser.min.js");
    if !library.exists() {
        return Err(format!(
            "{} is missing: scripts/setup.sh installs it (npm ci in tests/msal-browser)",
            library.display()
        )
        .into());
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let page = format!("http://localhost:{}/", listener.local_addr()?.port());
    let emu = Emulator::start_tls_for_spa(&page).await?;
    let host = emu.url.trim_start_matches("https://").to_owned();
    let config = json!({
        "clientId": CLIENT_ID,
        "authority": format!("{}/common", emu.url),
        "knownAuthorities": [host],
        "redirectUri": page,
        "graphEndpoint": emu.url,
    });
    let app = axum::Router::new()
        .route(
            "/config.json",
            axum::routing::get(move || async move { axum::Json(config) }),
        )
        .route_service("/msal-browser.min.js", ServeFile::new(library))
        .fallback_service(ServeDir::new(&sample));
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    // This throwaway profile accepts the emulator's self-signed certificate.
    let browser = Chromium::start_with_args(&["--ignore-certificate-errors"]).await?;
    let client = &browser.client;
    let run = async {
        client.goto(&page).await?;
        wait_text(client, "#status", "ready", WAIT).await?;

        // Redirect sign-in on the emulator's pages, with the element ids of Microsoft's pages: a
        // personal account, which gives its password at the personal accounts origin and is
        // posted back to the authority.
        click(client, "#signIn").await?;
        let seen = sign_in_on_emulator_page(client, PERSONAL_USER, PASSWORD, "#status").await?;
        assert!(seen.contains(&Step::StaySignedIn), "{seen:?}");

        // msal-browser handled the answer: the account it built from the ID token.
        wait_text(client, "#account", PERSONAL_USER, WAIT).await?;
        wait_text(client, "#name", "Sam Rivera", WAIT).await?;
        let error = client.find(Locator::Css("#error")).await?.text().await?;
        assert_eq!(error, "", "msal-browser reported an error");

        // A silent token from its cache, used on Graph.
        click(client, "#seeProfile").await?;
        wait_text(client, "#displayName", "Sam Rivera", WAIT).await?;
        wait_text(client, "#tokenSource", "cache", WAIT).await?;

        // A forced refresh goes to the token endpoint with the refresh token.
        let refreshes = |c: &serde_json::Value| c["token.refresh_token"].as_u64().unwrap_or(0);
        let before = refreshes(&emu.counters().await?);
        click(client, "#refresh").await?;
        wait_text(client, "#tokenSource", "network", WAIT).await?;
        let error = client.find(Locator::Css("#error")).await?.text().await?;
        assert_eq!(error, "", "msal-browser reported an error");
        assert_eq!(refreshes(&emu.counters().await?), before + 1);
        let counters = emu.counters().await?;
        assert_eq!(counters["token.authorization_code"], 1, "{counters}");
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    let quit = browser.quit().await;
    server.abort();
    run?;
    quit
}
