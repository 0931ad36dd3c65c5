//! The browser page signs in to a generic OpenID provider (`"protocolMode": "OIDC"` in
//! config.json): panva's oidc-provider, OpenID Certified, on loopback, through its own login and
//! consent pages, in headless Chromium. Its ID tokens are ES256 here (RS256 in the desktop
//! test).

use std::time::Duration;

use fantoccini::Locator;
use integration_tests::chromium::{serve_page, Chromium};
use integration_tests::oidc_provider::{self, OidcProvider, SPA_CLIENT_ID};
use integration_tests::Result;
use integration_tests::{click_displayed, wait_displayed, wait_text, workspace_root};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(30);

/// The built browser page on a free port, and its provider.
struct Page {
    url: String,
    provider: OidcProvider,
    _server: tokio::task::JoinHandle<()>,
}

impl Page {
    /// Starts oidc-provider with `args`, its web client redirecting to the page (web clients
    /// match exactly), and serves the page with a config.json in OIDC mode for that client,
    /// plus `settings`.
    async fn serve(args: &[&str], settings: serde_json::Value) -> Result<Page> {
        let dist = workspace_root().join("frontend/dist-browser");
        if !dist.join("index.html").exists() {
            return Err(format!("{} is missing: run scripts/test.sh", dist.display()).into());
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://localhost:{}/", listener.local_addr()?.port());
        let redirect = format!("--spa-redirect={url}");
        let args: Vec<&str> = std::iter::once(redirect.as_str())
            .chain(args.iter().copied())
            .collect();
        let provider = OidcProvider::start(&args)?;
        let config = json!({
            "protocolMode": "OIDC",
            "clientId": SPA_CLIENT_ID,
            "authority": provider.issuer,
        });
        let server = serve_page(listener, &dist, config, &settings);
        Ok(Page {
            url,
            provider,
            _server: server,
        })
    }
}

#[tokio::test]
async fn the_page_signs_in_to_a_generic_openid_provider_refreshes_and_signs_out() -> Result<()> {
    // Access tokens of 60 s: every See Profile refreshes. ID tokens signed with ES256, checked
    // by the browser's Web Crypto.
    let page = Page::serve(
        &["--at-ttl=60", "--es256"],
        json!({ "scopes": ["openid", "profile", "email", "phone"] }),
    )
    .await?;
    let (url, provider) = (&page.url, &page.provider);
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let run = async {
        client.goto(url).await?;
        let host = provider.issuer.trim_start_matches("http://");
        wait_text(
            client,
            "#provider",
            &format!("Signs in with: OpenID provider at {host}"),
            WAIT,
        )
        .await?;

        // Sign In: the provider's own pages, then back on the page.
        click_displayed(client, "#signIn", WAIT).await?;
        oidc_provider::answer_pages(client, "bob").await?;
        wait_text(client, "#welcomeMessage", "Welcome Test User bob", WAIT).await?;
        let back = client.current_url().await?;
        assert!(
            back.query().is_none() && back.fragment().is_none(),
            "the answer is gone from the URL: {back}"
        );

        // See Profile: userinfo, after a silent refresh.
        click_displayed(client, "#seeProfile", WAIT).await?;
        let profile = wait_text(client, "#profile-div", "Mail: bob@example.test", WAIT).await?;
        assert!(profile.contains("Phone: +1 555 0100"), "{profile}");
        provider.wait_count("grant authorization_code", 1).await?;
        provider.wait_count("grant refresh_token", 1).await?;

        // Read Mails: a note in the page, not an error.
        click_displayed(client, "#readMail", WAIT).await?;
        wait_text(
            client,
            "#mailNote",
            "Mail is read through Microsoft Graph",
            WAIT,
        )
        .await?;
        assert!(client
            .find_all(Locator::Css("#errorBanner"))
            .await?
            .is_empty());

        // Sign Out: the provider's page asks, ends its session, and returns to the page.
        click_displayed(client, "#signOut", WAIT).await?;
        click_displayed(client, "button[name=logout]", WAIT).await?;
        wait_displayed(client, "#signIn", WAIT).await?;
        provider.wait_count("end_session", 1).await?;
        Ok(())
    }
    .await;
    browser.quit().await?;
    run
}

#[tokio::test]
async fn without_an_end_session_endpoint_the_page_says_only_it_signed_out() -> Result<()> {
    let page = Page::serve(&["--no-logout"], json!({})).await?;
    let (url, provider) = (&page.url, &page.provider);
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let run = async {
        client.goto(url).await?;
        click_displayed(client, "#signIn", WAIT).await?;
        oidc_provider::answer_pages(client, "dave").await?;
        wait_text(client, "#welcomeMessage", "Welcome Test User dave", WAIT).await?;
        click_displayed(client, "#signOut", WAIT).await?;
        wait_displayed(client, "#signIn", WAIT).await?;
        let banner = wait_text(client, "#errorBanner", "Signed out of this app only", WAIT).await?;
        assert!(
            banner.contains(provider.issuer.trim_start_matches("http://")),
            "{banner}"
        );
        let here = client.current_url().await?;
        assert_eq!(here.as_str(), url, "the page never left");
        Ok(())
    }
    .await;
    browser.quit().await?;
    run
}
