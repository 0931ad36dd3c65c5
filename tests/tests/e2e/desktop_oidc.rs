//! The desktop app signs in to a generic OpenID provider (`protocolMode` OIDC): panva's
//! oidc-provider, OpenID Certified, on loopback. Its login and consent pages are its own, not
//! Microsoft's, and are answered by their own form fields in the app's login window.

use std::time::Duration;

use integration_tests::desktop::DesktopApp;
use integration_tests::oidc_provider::{self, OidcProvider, DESKTOP_CLIENT_ID};
use integration_tests::Result;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn the_desktop_app_signs_in_to_a_generic_openid_provider_and_shows_userinfo() -> Result<()> {
    // Access tokens of 60 s, under the 5 minutes before expiry at which a cached token is
    // renewed: every See Profile refreshes.
    let provider = OidcProvider::start(&["--at-ttl=60"])?;
    let env = [
        ("GRAPH_SIGNIN_PROTOCOL_MODE", "OIDC".to_owned()),
        ("GRAPH_SIGNIN_AUTHORITY", provider.issuer.clone()),
        ("GRAPH_SIGNIN_CLIENT_ID", DESKTOP_CLIENT_ID.to_owned()),
        (
            "GRAPH_SIGNIN_SCOPES",
            "openid,profile,email,phone".to_owned(),
        ),
    ];
    let app = DesktopApp::launch(&env, None).await?;
    let result = async {
        let host = provider.issuer.trim_start_matches("http://");
        app.wait_for_text(
            "#provider",
            &format!("Signs in with: OpenID provider at {host}"),
            WAIT,
        )
        .await?;
        sign_in(&app, "alice").await?;

        // See Profile reads the provider's userinfo endpoint, with a refreshed token.
        app.click("#seeProfile").await?;
        let profile = app
            .wait_for_text("#profile-div", "Mail: alice@example.test", WAIT)
            .await?;
        assert!(profile.contains("Phone: +1 555 0100"), "{profile}");
        assert!(profile.contains("Title: not set"), "{profile}");
        provider.wait_count("grant refresh_token", 1).await?;

        // Read Mails says in the page that mail needs Graph: no banner, no request.
        app.click("#readMail").await?;
        app.wait_for_text("#mailNote", "Mail is read through Microsoft Graph", WAIT)
            .await?;
        let banners = app
            .client
            .find_all(fantoccini::Locator::Css("#errorBanner"))
            .await?;
        assert!(banners.is_empty(), "Read Mails showed an error banner");
        provider.wait_count("grant authorization_code", 1).await?;

        // Sign Out: the page is signed out at once; the provider's own page asks, in the login
        // window, and ends its session (RP-Initiated Logout).
        app.click("#signOut").await?;
        app.wait_for("#signIn", WAIT).await?;
        app.switch_to_login_window().await?;
        integration_tests::click_displayed(&app.client, "button[name=logout]", WAIT).await?;
        app.back_to_main_window().await?;
        provider.wait_count("end_session", 1).await?;
        Ok(())
    }
    .await;
    app.quit().await?;
    result
}

/// Sign In as `login` through the provider's own pages in the login window, until the page
/// welcomes them.
async fn sign_in(app: &DesktopApp, login: &str) -> Result<()> {
    app.click("#signIn").await?;
    app.switch_to_login_window().await?;
    oidc_provider::answer_pages(&app.client, login).await?;
    app.back_to_main_window().await?;
    let welcome = format!("Welcome Test User {login}");
    app.wait_for_text("#welcomeMessage", &welcome, WAIT)
        .await
        .map(drop)
}

/// The app configured for the provider at `issuer`.
fn oidc_env(issuer: &str) -> [(&'static str, String); 4] {
    [
        ("GRAPH_SIGNIN_PROTOCOL_MODE", "OIDC".to_owned()),
        ("GRAPH_SIGNIN_AUTHORITY", issuer.to_owned()),
        ("GRAPH_SIGNIN_CLIENT_ID", DESKTOP_CLIENT_ID.to_owned()),
        ("GRAPH_SIGNIN_SCOPES", "openid,profile".to_owned()),
    ]
}

#[tokio::test]
async fn without_an_end_session_endpoint_sign_out_says_only_the_app_signed_out() -> Result<()> {
    let provider = OidcProvider::start(&["--no-logout"])?;
    let app = DesktopApp::launch(&oidc_env(&provider.issuer), None).await?;
    let result = async {
        sign_in(&app, "carol").await?;
        app.click("#signOut").await?;
        app.wait_for("#signIn", WAIT).await?;
        let banner = app
            .wait_for_text("#errorBanner", "Signed out of this app only", WAIT)
            .await?;
        let host = provider.issuer.trim_start_matches("http://");
        assert!(banner.contains(host), "{banner}");
        // No window opened for a sign-out page that does not exist.
        let windows = app.client.windows().await?;
        assert_eq!(windows.len(), 1, "only the main window");
        Ok(())
    }
    .await;
    app.quit().await?;
    result
}

#[tokio::test]
async fn an_authority_that_is_not_the_issuer_is_explained_at_sign_in() -> Result<()> {
    let provider = OidcProvider::start(&[])?;
    // One trailing slash: OpenID Connect Discovery wants the issuer exactly.
    let app = DesktopApp::launch(&oidc_env(&format!("{}/", provider.issuer)), None).await?;
    let result = async {
        app.click("#signIn").await?;
        let banner = app
            .wait_for_text("#errorBanner", "does not match the authority", WAIT)
            .await?;
        assert!(
            banner.contains(&format!("`{}`", provider.issuer)),
            "{banner}"
        );
        app.wait_for("#signIn", WAIT).await?;
        assert_eq!(app.client.windows().await?.len(), 1, "no login window");
        Ok(())
    }
    .await;
    app.quit().await?;
    result
}

#[tokio::test]
async fn a_saved_sign_in_is_not_used_with_another_issuer() -> Result<()> {
    let first = OidcProvider::start(&[])?;
    let app = DesktopApp::launch(&oidc_env(&first.issuer), None).await?;
    let signed_in = sign_in(&app, "erin").await;
    let home = app.quit().await?;
    signed_in?;

    // The same saved sign-in, restored under the first issuer: still signed in.
    let app = DesktopApp::launch(&oidc_env(&first.issuer), Some(home)).await?;
    let restored = app
        .wait_for_text("#welcomeMessage", "Welcome Test User erin", WAIT)
        .await
        .map(drop);
    let home = app.quit().await?;
    restored?;

    // Another provider, whose users are not the first one's: signed out.
    let second = OidcProvider::start(&[])?;
    let app = DesktopApp::launch(&oidc_env(&second.issuer), Some(home)).await?;
    let result = async {
        app.wait_for("#signIn", WAIT).await?;
        let welcome = app
            .client
            .find_all(fantoccini::Locator::Css("#welcomeMessage"))
            .await?;
        for w in welcome {
            let text = w.text().await?;
            assert!(!text.contains("erin"), "{text}");
        }
        Ok(())
    }
    .await;
    app.quit().await?;
    result
}
