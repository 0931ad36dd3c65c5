//! Browser mode against the emulator, in headless Chromium: redirect sign-in typed on the
//! emulator's page, profile, mails with consent and no second click, text-only rendering,
//! reload, refresh, tabs, sign-out, and a tampered return.

use std::time::Duration;

use fantoccini::{Client, Locator};
use integration_tests::chromium::{serve_page, sign_in_on_emulator_page, Chromium};
use integration_tests::emulator::{Emulator, PASSWORD, WORK_USER};
use integration_tests::{
    click_displayed, wait_displayed, wait_text, wait_until, workspace_root, Result,
};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(30);

/// The built page, served on a free port, with its emulator.
pub(crate) struct Page {
    pub(crate) url: String,
    pub(crate) emu: Emulator,
    _server: tokio::task::JoinHandle<()>,
}

/// The built page on a free port, with its own emulator, in `cache_location` mode.
pub(crate) async fn page(cache_location: &str) -> Result<Page> {
    serve(cache_location, json!({}), |_| ()).await
}

/// As [`page`], with more `config.json` settings.
pub(crate) async fn page_with(settings: serde_json::Value) -> Result<Page> {
    serve("sessionStorage", settings, |_| ()).await
}

/// As [`page`], with an app registration that lacks the `login_hint` optional claim.
pub(crate) async fn page_without_login_hint() -> Result<Page> {
    serve("sessionStorage", json!({}), |seed| {
        if let Some(client) = seed.clients.get_mut(integration_tests::emulator::CLIENT_ID) {
            client.optional_claims.clear();
        }
    })
    .await
}

async fn serve(
    cache_location: &str,
    settings: serde_json::Value,
    registration: impl FnOnce(&mut identity_emulator::Seed),
) -> Result<Page> {
    let dist = workspace_root().join("frontend/dist-browser");
    if !dist.join("index.html").exists() {
        return Err(format!(
            "{} is missing: run scripts/test.sh, which builds it",
            dist.display()
        )
        .into());
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://localhost:{}/", listener.local_addr()?.port());
    let emu = Emulator::start_for_spa_with(&url, |seed| {
        integration_tests::emulator::for_screenshots(seed);
        registration(seed)
    })
    .await?;
    let config = json!({
        "clientId": integration_tests::emulator::CLIENT_ID,
        "authority": format!("{}/common", emu.url),
        "graphEndpoint": emu.url,
        "cacheLocation": cache_location,
    });
    let server = serve_page(listener, &dist, config, &settings);
    Ok(Page {
        url,
        emu,
        _server: server,
    })
}

async fn displayed(client: &Client, css: &str) -> Result<fantoccini::elements::Element> {
    wait_displayed(client, css, WAIT).await
}

async fn text_of(client: &Client, css: &str, expected: &str) -> Result<String> {
    wait_text(client, css, expected, WAIT).await
}

async fn click(client: &Client, css: &str) -> Result<()> {
    click_displayed(client, css, WAIT).await
}

/// Sign In, then on the emulator's pages: username, password, and consent when it is asked
/// for; back on the page, its welcome.
async fn sign_in_on_the_emulator(client: &Client) -> Result<()> {
    click(client, "#signIn").await?;
    sign_in_on_emulator_page(client, WORK_USER, PASSWORD, "#welcomeMessage").await?;
    text_of(client, "#welcomeMessage", "Welcome Adele Vance")
        .await
        .map(drop)
}

#[tokio::test]
async fn redirect_sign_in_profile_mails_reload_refresh_tabs_and_sign_out() -> Result<()> {
    let page = page("sessionStorage").await?;
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let run = async {
        // 10. A tampered return: a message, signed out, and no loop.
        client
            .goto(&format!("{}?code=forged&state=forged", page.url))
            .await?;
        displayed(client, "#errorBanner").await?;
        displayed(client, "#signIn").await?;
        let url = client.current_url().await?;
        assert!(url.query().is_none(), "the URL is cleaned: {url}");
        assert_eq!(
            page.emu.counters().await?.get("authorize"),
            None,
            "no redirect loop"
        );
        click(client, "#errorBanner .btn-close").await?;

        // 1-2. Sign in by redirect, typing on the emulator's page.
        sign_in_on_the_emulator(client).await?;
        assert!(
            client.current_url().await?.query().is_none(),
            "the code is gone from the URL"
        );

        // 3. See Profile.
        click(client, "#seeProfile").await?;
        let profile = text_of(client, "#profile-div", "Retail Manager").await?;
        for line in [
            "Title: Retail Manager",
            "Mail: adele@contoso.onmicrosoft.com",
            "Phone: +1 425 555 0100",
            "Location: 18/2111",
        ] {
            assert!(profile.contains(line), "{line:?} in {profile:?}");
        }

        // 4. Read Mails: consent for Mail.Read, then the mails with no second click.
        click(client, "#readMail").await?;
        // The redirect to the consent page comes a moment after the click: wait for the page
        // itself, not for "the app or the consent page", which the app still satisfies.
        text_of(client, "h1", "Permissions requested").await?;
        click(client, "#idSIButton9").await?;
        displayed(client, "#list9list").await?;
        let tabs = client
            .find_all(Locator::Css("#list-tab [role=tab]"))
            .await?;
        assert_eq!(tabs.len(), 10);
        let seed = &page.emu.state.seed;
        let oid = &seed.user_by_name(WORK_USER).ok_or("no seed user")?.oid;
        for (i, message) in seed.mailboxes[oid].iter().take(10).enumerate() {
            let subject = client
                .find(Locator::Css(&format!("#list{i}list")))
                .await?
                .text()
                .await?;
            assert_eq!(subject.trim(), message.subject, "tab {i}");
        }
        let third = &seed.mailboxes[oid][2];
        click(client, "#list2list").await?;
        let pane = text_of(client, "#list2", &format!("from: {}", third.from_address)).await?;
        let preview: String = third.body.chars().take(30).collect();
        assert!(pane.contains(&preview), "{preview:?} in {pane}");
        integration_tests::screenshot(client, "browser-mail").await?;

        // 5. The XSS subject is text: no <img> in the list, and no alert.
        assert!(client
            .find_all(Locator::Css("#list-tab img"))
            .await?
            .is_empty());
        assert!(client.get_alert_text().await.is_err(), "no alert fired");

        // 6. A reload keeps the session.
        client.refresh().await?;
        text_of(client, "#welcomeMessage", "Welcome Adele Vance").await?;

        // 7. Graph finds the access token expired: exactly one refresh.
        let before = page.emu.counters().await?["token.refresh_token"]
            .as_u64()
            .unwrap_or(0);
        page.emu
            .control("expire-tokens", json!({ "username": WORK_USER }))
            .await?;
        click(client, "#seeProfile").await?;
        text_of(client, "#profile-div", "Retail Manager").await?;
        assert_eq!(
            page.emu.counters().await?["token.refresh_token"]
                .as_u64()
                .unwrap_or(0),
            before + 1
        );

        // 9. A new tab is signed out: the cache is in sessionStorage.
        let first = client.window().await?;
        let tab = client.new_window(true).await?;
        client.switch_to_window(tab.handle).await?;
        client.goto(&page.url).await?;
        displayed(client, "#signIn").await?;
        client.close_window().await?;
        client.switch_to_window(first).await?;

        // 8. Sign out: through the end-session endpoint and back to the page, signed out.
        click(client, "#signOut").await?;
        let emu = &page.emu;
        wait_until("the end-session request", WAIT, || async move {
            let counters = emu.counters().await.ok()?;
            (counters["logout"].as_u64() == Some(1)).then_some(())
        })
        .await?;
        displayed(client, "#signIn").await?;
        text_of(client, "#welcomeMessage", "Please sign-in").await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    browser.quit().await?;
    run
}

#[tokio::test]
async fn with_local_storage_tabs_share_sign_in_refreshes_and_sign_out() -> Result<()> {
    let page = page("localStorage").await?;
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let run = async {
        client.goto(&page.url).await?;
        sign_in_on_the_emulator(client).await?;
        let first = client.window().await?;
        let tab = client.new_window(true).await?;
        client.switch_to_window(tab.handle.clone()).await?;
        client.goto(&page.url).await?;
        text_of(client, "#welcomeMessage", "Welcome Adele Vance").await?;
        let second = tab.handle;

        // A refresh made in one tab is used by the other: Graph stops taking the current
        // access token, the first tab refreshes once, and the second one's call needs none.
        let refreshes = |c: &serde_json::Value| c["token.refresh_token"].as_u64().unwrap_or(0);
        page.emu
            .control("expire-tokens", json!({ "username": WORK_USER }))
            .await?;
        client.switch_to_window(first.clone()).await?;
        let before = refreshes(&page.emu.counters().await?);
        click(client, "#seeProfile").await?;
        text_of(client, "#profile-div", "Retail Manager").await?;
        assert_eq!(refreshes(&page.emu.counters().await?), before + 1, "one refresh");
        client.switch_to_window(second.clone()).await?;
        click(client, "#seeProfile").await?;
        text_of(client, "#profile-div", "Retail Manager").await?;
        assert_eq!(
            refreshes(&page.emu.counters().await?),
            before + 1,
            "the second tab used the first tab's refresh"
        );

        // A sign-out in one tab signs the other out, without a reload, and nothing of the
        // account comes back into storage when the other tab acts afterwards.
        client.switch_to_window(first.clone()).await?;
        click(client, "#signOut").await?;
        client.switch_to_window(second).await?;
        displayed(client, "#signIn").await?;
        let left = client
            .execute(
                "return Object.keys(localStorage).filter(k => k.startsWith('graphSignin.cache.') && k !== 'graphSignin.cache.version')",
                vec![],
            )
            .await?;
        assert_eq!(left, json!([]), "no account or token entry is left");
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    browser.quit().await?;
    run
}

/// The console lines the page's script wrote, one per line.
fn page_lines(console: Vec<String>) -> String {
    console
        .into_iter()
        .filter(|line| line.contains("/frontend-") && line.contains(".js "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_console_tells_the_flow_without_secrets_and_a_silent_server_times_out() -> Result<()> {
    let page = page_with(json!({ "httpTimeoutSecs": 2, "logLevel": "verbose" })).await?;
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let run = async {
        client.goto(&page.url).await?;
        sign_in_on_the_emulator(client).await?;
        click(client, "#seeProfile").await?;
        text_of(client, "#profile-div", "Retail Manager").await?;
        // The page's own lines: Chromium's messages name the page's address as their source,
        // and that address held the code until the page cleaned it.
        let log = page_lines(browser.console_log().await?);
        for step in [
            "leaving for the sign-in page at",
            "back from the sign-in page",
            "signed in; resuming",
            "a token for `User.Read`, silently",
            "Graph /v1.0/me: HTTP 200",
        ] {
            assert!(log.contains(step), "{step:?} in the console:\n{log}");
        }
        // Personal data only with logPii; never a token, code or verifier.
        assert!(!log.contains(WORK_USER), "{log}");
        let issued = page.emu.issued_secrets().await?;
        assert!(!issued.is_empty());
        for secret in &issued {
            assert!(
                !log.contains(secret.as_str()),
                "a secret in the console:\n{log}"
            );
        }

        // Graph answers after 5 s; the page waits 2, and says what it was calling.
        page.emu
            .control(
                "faults",
                json!({ "path": "/v1.0/me", "status": 0, "delay_ms": 5000, "count": 1 }),
            )
            .await?;
        click(client, "#seeProfile").await?;
        let banner = text_of(client, "#errorBanner", "no answer within 2 s").await?;
        assert!(banner.contains("/v1.0/me"), "{banner}");
        assert!(banner.contains("httpTimeoutSecs"), "{banner}");
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    browser.quit().await?;
    run?;

    // With logPii, the username is in the console.
    let page = page_with(json!({ "logPii": true })).await?;
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let run = async {
        client.goto(&page.url).await?;
        sign_in_on_the_emulator(client).await?;
        let log = page_lines(browser.console_log().await?);
        assert!(log.contains(&format!("signed in as {WORK_USER}")), "{log}");
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    browser.quit().await?;
    run
}
