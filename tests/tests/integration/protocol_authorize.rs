//! The emulator's authorize endpoint and sign-in pages, on a real socket, driven the way a
//! browser would: redirect URI rules, prompts, the session cookie, response modes.
//! Each rule of docs/emulator.md has a test, the negative ones included.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use integration_tests::emulator::{
    redirect_params, Browser, Emulator, CLIENT_ID, PASSWORD, WORK_USER,
};
use integration_tests::Result;
use serde_json::{json, Value};

use crate::fixture::{
    authorize_url, claims, desktop_tokens, select_account, DESKTOP_REDIRECT, SPA_REDIRECT,
};

#[tokio::test]
async fn sign_in_through_the_pages_gives_a_valid_id_token_and_client_info() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let tokens = desktop_tokens(
        &emu,
        &browser,
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    assert_eq!(tokens["token_type"], "Bearer");
    let expires_in = tokens["expires_in"].as_i64().unwrap();
    assert!((3600..=5400).contains(&expires_in), "{expires_in}");
    assert!(tokens["refresh_token"].is_string());
    // The ID token verifies against the published JWKS, by kid.
    let id_token = tokens["id_token"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(id_token)?;
    let jwks: Value = reqwest::get(emu.at("/common/discovery/v2.0/keys"))
        .await?
        .json()
        .await?;
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == json!(header.kid))
        .expect("kid in JWKS");
    let key = jsonwebtoken::DecodingKey::from_rsa_components(
        jwk["n"].as_str().unwrap(),
        jwk["e"].as_str().unwrap(),
    )?;
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[CLIENT_ID]);
    validation.set_issuer(&[format!(
        "{}/a3d1c1a4-5b6e-4f1a-9c2b-7e8f90a1b2c3/v2.0",
        emu.url
    )]);
    let id = jsonwebtoken::decode::<Value>(id_token, &key, &validation)?.claims;
    assert_eq!(id["nonce"], "nonce-1");
    assert_eq!(id["preferred_username"], WORK_USER);
    assert_eq!(id["name"], "Adele Vance");
    assert_eq!(id["ver"], "2.0");
    let info: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(tokens["client_info"].as_str().unwrap())?)?;
    assert_eq!(info["uid"], id["oid"]);
    assert_eq!(info["utid"], id["tid"]);
    // The access token is for Graph, with the consented scope.
    let access = claims(tokens["access_token"].as_str().unwrap());
    assert_eq!(access["aud"], "00000003-0000-0000-c000-000000000000");
    assert_eq!(access["scp"], "User.Read");
    Ok(())
}

#[tokio::test]
async fn unknown_client_or_redirect_gets_an_error_page_not_a_redirect() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let url = authorize_url(&emu, DESKTOP_REDIRECT, "openid User.Read", &[])
        .replace(CLIENT_ID, "00000000-1111-2222-3333-444444444444");
    let page = browser.get(&url).await?;
    assert_eq!((page.status, page.location.as_deref()), (400, None));
    assert!(page.text("#errorCode").unwrap().starts_with("AADSTS700016"));
    let page = browser
        .get(&authorize_url(
            &emu,
            "https://evil.example/cb",
            "openid User.Read",
            &[],
        ))
        .await?;
    assert_eq!((page.status, page.location.as_deref()), (400, None));
    assert!(page.text("#errorCode").unwrap().starts_with("AADSTS50011"));
    Ok(())
}

#[tokio::test]
async fn loopback_redirects_ignore_the_port_but_not_the_path() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    for port in [
        "http://localhost:5555",
        "http://localhost:61234",
        "http://127.0.0.1:40000",
    ] {
        let page = browser
            .get(&authorize_url(&emu, port, "openid User.Read", &[]))
            .await?;
        assert!(
            page.has("#i0116"),
            "{port} should be accepted: {}",
            page.body
        );
    }
    let page = browser
        .get(&authorize_url(
            &emu,
            "http://localhost:5555/callback",
            "openid User.Read",
            &[],
        ))
        .await?;
    assert!(page.text("#errorCode").unwrap().starts_with("AADSTS50011"));
    Ok(())
}

#[tokio::test]
async fn prompt_none_without_a_session_redirects_login_required() -> Result<()> {
    let emu = Emulator::start().await?;
    let page = Browser::new()
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            "openid User.Read",
            &[("prompt", "none")],
        ))
        .await?;
    assert_eq!(page.status, 302);
    let params = redirect_params(page.location.as_deref().unwrap())?;
    assert_eq!(params["error"], "login_required");
    assert_eq!(params["error_codes"], "[50058]");
    assert_eq!(params["state"], "state-1");
    Ok(())
}

#[tokio::test]
async fn the_session_cookie_gives_sso_and_prompt_login_forces_the_password() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    desktop_tokens(
        &emu,
        &browser,
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    let again = browser
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            "openid profile offline_access User.Read",
            &[],
        ))
        .await?;
    assert_eq!(
        again.status, 302,
        "SSO should answer at once: {}",
        again.body
    );
    assert!(redirect_params(again.location.as_deref().unwrap())?.contains_key("code"));
    let forced = browser
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            "openid User.Read",
            &[("prompt", "login")],
        ))
        .await?;
    assert!(forced.has("#i0116"));
    let none = browser
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            "openid User.Read Mail.Read",
            &[("prompt", "none")],
        ))
        .await?;
    let params = redirect_params(none.location.as_deref().unwrap())?;
    assert_eq!(
        (params["error"].as_str(), params["error_codes"].as_str()),
        ("consent_required", "[65001]")
    );
    let picker = select_account(&emu, &browser, "openid User.Read").await?;
    assert!(picker.has(&format!("[data-test-id=\"{WORK_USER}\"]")));
    Ok(())
}

#[tokio::test]
async fn wrong_password_reshows_the_form_and_cancelled_consent_is_access_denied() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let page = browser
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            "openid User.Read",
            &[("login_hint", WORK_USER)],
        ))
        .await?;
    assert!(page.has("#i0118"), "login_hint skips the username page");
    let wrong = browser
        .submit(&page, &[("passwd", "nope")], Some("#idSIButton9"))
        .await?;
    assert!(wrong.has("#i0118") && wrong.has("#passwordError"));
    let kmsi = browser
        .submit(&wrong, &[("passwd", PASSWORD)], Some("#idSIButton9"))
        .await?;
    assert_eq!(kmsi.text("h1").as_deref(), Some("Stay signed in?"));
    let consent = browser.submit(&kmsi, &[], Some("#idSIButton9")).await?;
    assert_eq!(consent.text("h1").as_deref(), Some("Permissions requested"));
    let cancelled = browser.submit(&consent, &[], Some("#idBtn_Back")).await?;
    let params = redirect_params(cancelled.location.as_deref().unwrap())?;
    assert_eq!(params["error"], "access_denied");
    Ok(())
}

#[tokio::test]
async fn fragment_and_form_post_response_modes() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let scope = "openid profile offline_access User.Read";
    let location = browser
        .sign_in(
            &authorize_url(&emu, SPA_REDIRECT, scope, &[("response_mode", "fragment")]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    assert!(url::Url::parse(&location)?
        .fragment()
        .unwrap()
        .contains("code="));
    let page = browser
        .get(&authorize_url(
            &emu,
            SPA_REDIRECT,
            scope,
            &[("response_mode", "form_post")],
        ))
        .await?;
    assert_eq!(page.status, 200);
    let form_action = page.body.contains(&format!("action=\"{SPA_REDIRECT}\""));
    assert!(
        form_action && page.has("input[name=code]") && page.has("input[name=state]"),
        "{}",
        page.body
    );
    Ok(())
}
