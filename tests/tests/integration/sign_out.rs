//! The end-session endpoint: `logout_hint` as Entra reads it, the sign-out picker, and the
//! post-logout redirect checked against the app's registered redirect URIs.

use integration_tests::emulator::{
    redirect_params, Browser, Emulator, CLIENT_ID, PASSWORD, PERSONAL_USER, WORK_USER,
};
use integration_tests::Result;

use crate::fixture::{
    authorize_url, claims, desktop_tokens, select_account, DESKTOP_REDIRECT, SPA_REDIRECT,
};

const SCOPE: &str = "openid profile offline_access User.Read";

fn logout_url(emu: &Emulator, params: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(&emu.at("/common/oauth2/v2.0/logout")).unwrap();
    url.query_pairs_mut().extend_pairs(params);
    url.to_string()
}

/// Whether `prompt=none` still signs in silently (the session is alive).
async fn session_alive(emu: &Emulator, browser: &Browser) -> Result<bool> {
    let none = browser
        .get(&authorize_url(
            emu,
            DESKTOP_REDIRECT,
            "openid User.Read",
            &[("prompt", "none")],
        ))
        .await?;
    Ok(redirect_params(none.location.as_deref().ok_or("no redirect")?)?.contains_key("code"))
}

#[tokio::test]
async fn the_login_hint_claim_signs_out_at_once_and_returns_to_the_registered_uri() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let tokens = desktop_tokens(&emu, &browser, WORK_USER, SCOPE).await?;
    let hint = claims(tokens["id_token"].as_str().unwrap())["login_hint"]
        .as_str()
        .ok_or("the default registration asks for the login_hint claim")?
        .to_owned();
    assert_ne!(hint, WORK_USER, "the claim is opaque, not the username");
    // A desktop app signs out to its loopback redirect, on any port.
    let out = browser
        .get(&logout_url(
            &emu,
            &[
                ("post_logout_redirect_uri", "http://localhost:6001/"),
                ("logout_hint", &hint),
                ("client_id", CLIENT_ID),
            ],
        ))
        .await?;
    assert_eq!(
        (out.status, out.location.as_deref()),
        (302, Some("http://localhost:6001/"))
    );
    assert!(!session_alive(&emu, &browser).await?);
    Ok(())
}

#[tokio::test]
async fn a_username_hint_gets_the_picker_which_signs_out_the_chosen_account() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    desktop_tokens(&emu, &browser, WORK_USER, SCOPE).await?;
    let picker = browser
        .get(&logout_url(
            &emu,
            &[
                ("post_logout_redirect_uri", SPA_REDIRECT),
                ("logout_hint", WORK_USER),
            ],
        ))
        .await?;
    assert_eq!(picker.status, 200, "no redirect: the user must pick");
    assert_eq!(
        picker.text("h1").as_deref(),
        Some("Pick an account to sign out of")
    );
    assert!(
        session_alive(&emu, &browser).await?,
        "nothing signed out yet"
    );
    let tile = format!("[data-test-id=\"{WORK_USER}\"]");
    let out = browser.submit(&picker, &[], Some(&tile)).await?;
    assert_eq!(
        (out.status, out.location.as_deref()),
        (302, Some(SPA_REDIRECT))
    );
    assert!(!session_alive(&emu, &browser).await?);
    Ok(())
}

#[tokio::test]
async fn no_hint_with_two_accounts_gets_the_picker_and_one_stays_signed_in() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    desktop_tokens(&emu, &browser, WORK_USER, SCOPE).await?;
    // A second account in the same browser, through "Use another account".
    let picker = select_account(&emu, &browser, SCOPE).await?;
    let other = browser.submit(&picker, &[], Some("#otherTile")).await?;
    let redirect = url::Url::parse(DESKTOP_REDIRECT)?;
    browser
        .walk(other, &redirect, PERSONAL_USER, PASSWORD)
        .await?;
    let picker = browser.get(&logout_url(&emu, &[])).await?;
    assert_eq!(
        picker.text("h1").as_deref(),
        Some("Pick an account to sign out of")
    );
    assert!(picker.has(&format!("[data-test-id=\"{WORK_USER}\"]")));
    assert!(picker.has(&format!("[data-test-id=\"{PERSONAL_USER}\"]")));
    let tile = format!("[data-test-id=\"{PERSONAL_USER}\"]");
    let out = browser.submit(&picker, &[], Some(&tile)).await?;
    assert_eq!(
        out.status, 200,
        "the signed-out page: no post-logout URI was asked for"
    );
    // The work account is still signed in: SSO picks it without a page.
    assert!(session_alive(&emu, &browser).await?);
    Ok(())
}

#[tokio::test]
async fn an_unregistered_post_logout_uri_gets_an_error_page_and_signs_nobody_out() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    desktop_tokens(&emu, &browser, WORK_USER, SCOPE).await?;
    for target in ["https://evil.example/", "http://localhost:1420/other"] {
        let bad = browser
            .get(&logout_url(&emu, &[("post_logout_redirect_uri", target)]))
            .await?;
        assert_eq!(
            (bad.status, bad.location.as_deref()),
            (400, None),
            "{target}"
        );
        assert!(bad
            .text("#errorCode")
            .unwrap_or_default()
            .contains("AADSTS50011"));
    }
    assert!(session_alive(&emu, &browser).await?);
    Ok(())
}

#[tokio::test]
async fn no_hint_with_one_account_still_asks_and_no_session_returns_at_once() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    // Nobody signed in: nothing to pick, straight back.
    let out = browser
        .get(&logout_url(
            &emu,
            &[("post_logout_redirect_uri", SPA_REDIRECT)],
        ))
        .await?;
    assert_eq!(
        (out.status, out.location.as_deref()),
        (302, Some(SPA_REDIRECT))
    );
    desktop_tokens(&emu, &browser, WORK_USER, SCOPE).await?;
    let picker = browser
        .get(&logout_url(
            &emu,
            &[("post_logout_redirect_uri", SPA_REDIRECT)],
        ))
        .await?;
    assert_eq!(picker.status, 200);
    assert_eq!(
        picker.text("h1").as_deref(),
        Some("Pick an account to sign out of")
    );
    assert!(session_alive(&emu, &browser).await?);
    Ok(())
}

#[tokio::test]
async fn without_the_optional_claim_the_id_token_has_no_login_hint() -> Result<()> {
    let mut seed = identity_emulator::Seed::default_seed();
    seed.clients
        .get_mut(CLIENT_ID)
        .ok_or("no client")?
        .optional_claims
        .clear();
    let emu = Emulator::start_with(seed).await?;
    let tokens = desktop_tokens(&emu, &Browser::new(), WORK_USER, SCOPE).await?;
    let claims = claims(tokens["id_token"].as_str().unwrap());
    assert!(claims.get("login_hint").is_none(), "{claims}");
    assert_eq!(claims["preferred_username"], WORK_USER);
    Ok(())
}
