//! What the integration tests of the emulator share: a client's constants and requests.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use integration_tests::emulator::{redirect_params, Browser, Emulator, Page, CLIENT_ID, PASSWORD};
use integration_tests::Result;
use serde_json::Value;

/// The PKCE verifier of every request here.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
/// A loopback redirect, registered as a desktop one ("any port").
pub const DESKTOP_REDIRECT: &str = "http://localhost:5555";
/// The single-page application redirect of the default seed.
pub const SPA_REDIRECT: &str = "http://localhost:1420/";
/// Its origin.
pub const SPA_ORIGIN: &str = "http://localhost:1420";

/// The S256 challenge (RFC 7636 §4.2), computed with `sha2`, independently of the emulator.
pub fn challenge(verifier: &str) -> String {
    use sha2::Digest as _;
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// An authorize URL of the default client at `/common`, with PKCE, state and nonce.
pub fn authorize_url(
    emu: &Emulator,
    redirect: &str,
    scope: &str,
    extra: &[(&str, &str)],
) -> String {
    let mut url = url::Url::parse(&emu.at("/common/oauth2/v2.0/authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", CLIENT_ID)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", redirect)
        .append_pair("scope", scope)
        .append_pair("state", "state-1")
        .append_pair("nonce", "nonce-1")
        .append_pair("code_challenge", &challenge(VERIFIER))
        .append_pair("code_challenge_method", "S256")
        .append_pair("client_info", "1")
        .extend_pairs(extra);
    url.to_string()
}

pub async fn redeem(
    emu: &Emulator,
    code: &str,
    redirect: &str,
    verifier: &str,
    origin: Option<&str>,
) -> Result<(u16, Value)> {
    let mut request = reqwest::Client::new()
        .post(emu.at("/common/oauth2/v2.0/token"))
        .form(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier),
            ("scope", "openid profile offline_access User.Read"),
        ]);
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    let response = request.send().await?;
    Ok((response.status().as_u16(), response.json().await?))
}

pub async fn refresh(
    emu: &Emulator,
    token: &str,
    scope: &str,
    origin: Option<&str>,
) -> Result<(u16, Value)> {
    let mut request = reqwest::Client::new()
        .post(emu.at("/common/oauth2/v2.0/token"))
        .form(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", token),
            ("scope", scope),
        ]);
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    let response = request.send().await?;
    Ok((response.status().as_u16(), response.json().await?))
}

/// Signs in on the desktop redirect and redeems the code.
pub async fn desktop_tokens(
    emu: &Emulator,
    browser: &Browser,
    user: &str,
    scope: &str,
) -> Result<Value> {
    let location = browser
        .sign_in(
            &authorize_url(emu, DESKTOP_REDIRECT, scope, &[]),
            user,
            PASSWORD,
        )
        .await?;
    let code = redirect_params(&location)?
        .remove("code")
        .ok_or("no code")?;
    let (status, body) = redeem(emu, &code, DESKTOP_REDIRECT, VERIFIER, None).await?;
    assert_eq!(status, 200, "{body}");
    Ok(body)
}

/// The first AADSTS code of an error body.
pub fn aadsts(body: &Value) -> u64 {
    body["error_codes"][0].as_u64().unwrap_or(0)
}

/// A JWT's claims, unverified.
pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

/// The account picker: an authorize request with `prompt=select_account`.
pub async fn select_account(emu: &Emulator, browser: &Browser, scope: &str) -> Result<Page> {
    browser
        .get(&authorize_url(
            emu,
            DESKTOP_REDIRECT,
            scope,
            &[("prompt", "select_account")],
        ))
        .await
}
