//! The emulator's token endpoint, on a real socket, driven the way a client would: PKCE, code
//! reuse, SPA and desktop rules, refresh tokens, and hostile requests.
//! Each rule of docs/emulator.md has a test, the negative ones included.

use integration_tests::emulator::{
    redirect_params, Browser, Emulator, CLIENT_ID, PASSWORD, PERSONAL_USER, WORK_USER,
};
use integration_tests::Result;
use serde_json::{json, Value};

use crate::fixture::{
    aadsts, authorize_url, desktop_tokens, redeem, refresh, DESKTOP_REDIRECT, SPA_ORIGIN,
    SPA_REDIRECT, VERIFIER,
};

#[tokio::test]
async fn pkce_mismatch_and_code_reuse_are_refused() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let scope = "openid profile offline_access User.Read";
    let location = browser
        .sign_in(
            &authorize_url(&emu, DESKTOP_REDIRECT, scope, &[]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    let code = redirect_params(&location)?.remove("code").unwrap();
    let (status, body) = redeem(
        &emu,
        &code,
        DESKTOP_REDIRECT,
        "a-different-verifier-of-enough-length-000000",
        None,
    )
    .await?;
    assert_eq!(
        (status, body["error"].as_str(), aadsts(&body)),
        (400, Some("invalid_grant"), 501481)
    );
    let (status, _) = redeem(&emu, &code, DESKTOP_REDIRECT, VERIFIER, None).await?;
    assert_eq!(status, 200);
    let (status, body) = redeem(&emu, &code, DESKTOP_REDIRECT, VERIFIER, None).await?;
    assert_eq!((status, aadsts(&body)), (400, 54005));
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .starts_with("AADSTS54005: "));
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("\r\nTrace ID: "));
    assert!(body["correlation_id"].is_string() && body["trace_id"].is_string());
    Ok(())
}

#[tokio::test]
async fn spa_codes_need_origin_and_desktop_codes_refuse_it() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let scope = "openid profile offline_access User.Read";
    let location = browser
        .sign_in(
            &authorize_url(&emu, SPA_REDIRECT, scope, &[]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    let code = redirect_params(&location)?.remove("code").unwrap();
    let (status, body) = redeem(&emu, &code, SPA_REDIRECT, VERIFIER, None).await?;
    assert_eq!((status, aadsts(&body)), (400, 9002327));
    let (status, body) = redeem(&emu, &code, SPA_REDIRECT, VERIFIER, Some(SPA_ORIGIN)).await?;
    assert_eq!(status, 200, "{body}");
    let spa_rt_life = body["refresh_token_expires_in"].as_i64().unwrap();
    assert!((86_390..=86_400).contains(&spa_rt_life), "{spa_rt_life}");

    let location = browser
        .sign_in(
            &authorize_url(&emu, DESKTOP_REDIRECT, scope, &[]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    let code = redirect_params(&location)?.remove("code").unwrap();
    let (status, body) = redeem(&emu, &code, DESKTOP_REDIRECT, VERIFIER, Some(SPA_ORIGIN)).await?;
    assert_eq!((status, aadsts(&body)), (400, 9002326));
    Ok(())
}

#[tokio::test]
async fn spa_token_responses_carry_cors_headers() -> Result<()> {
    let emu = Emulator::start().await?;
    let response = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            emu.at("/common/oauth2/v2.0/token"),
        )
        .header("Origin", SPA_ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type,client-request-id",
        )
        .send()
        .await?;
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        SPA_ORIGIN
    );
    Ok(())
}

#[tokio::test]
async fn refresh_rotates_keeps_the_old_token_and_refuses_unconsented_scopes() -> Result<()> {
    let emu = Emulator::start().await?;
    let tokens = desktop_tokens(
        &emu,
        &Browser::new(),
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    let first = tokens["refresh_token"].as_str().unwrap();
    let (status, body) =
        refresh(&emu, first, "openid profile offline_access User.Read", None).await?;
    assert_eq!(status, 200, "{body}");
    let second = body["refresh_token"].as_str().unwrap();
    assert_ne!(first, second);
    let (status, _) = refresh(&emu, first, "openid profile offline_access User.Read", None).await?;
    assert_eq!(status, 200, "the old refresh token still works");
    let (status, body) = refresh(
        &emu,
        second,
        "openid profile offline_access User.Read Mail.Read",
        None,
    )
    .await?;
    assert_eq!(
        (
            status,
            body["error"].as_str(),
            body["suberror"].as_str(),
            aadsts(&body)
        ),
        (400, Some("invalid_grant"), Some("consent_required"), 65001)
    );
    let counters = emu.counters().await?;
    assert_eq!(counters["token.refresh_token"], 3);
    assert_eq!(counters["token.authorization_code"], 1);
    Ok(())
}

#[tokio::test]
async fn spa_refresh_tokens_die_after_24_hours_and_revocation_kills_desktop_ones() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let scope = "openid profile offline_access User.Read";
    let location = browser
        .sign_in(
            &authorize_url(&emu, SPA_REDIRECT, scope, &[]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    let code = redirect_params(&location)?.remove("code").unwrap();
    let (_, spa) = redeem(&emu, &code, SPA_REDIRECT, VERIFIER, Some(SPA_ORIGIN)).await?;
    let (_, rotated) = refresh(
        &emu,
        spa["refresh_token"].as_str().unwrap(),
        scope,
        Some(SPA_ORIGIN),
    )
    .await?;
    assert!(rotated["refresh_token_expires_in"].as_i64().unwrap() <= 86_400);
    emu.control("clock", json!({ "seconds": 86_401 })).await?;
    let (status, body) = refresh(
        &emu,
        rotated["refresh_token"].as_str().unwrap(),
        scope,
        Some(SPA_ORIGIN),
    )
    .await?;
    assert_eq!((status, aadsts(&body)), (400, 700084));

    let desktop = desktop_tokens(&emu, &Browser::new(), PERSONAL_USER, scope).await?;
    emu.control("revoke", json!({ "username": PERSONAL_USER }))
        .await?;
    let (status, body) = refresh(
        &emu,
        desktop["refresh_token"].as_str().unwrap(),
        scope,
        None,
    )
    .await?;
    assert_eq!(
        (status, body["error"].as_str(), aadsts(&body)),
        (400, Some("invalid_grant"), 70008)
    );
    Ok(())
}

#[tokio::test]
async fn hostile_token_requests_get_entra_errors_never_a_500() -> Result<()> {
    let emu = Emulator::start().await?;
    let client = reqwest::Client::new();
    let token = emu.at("/common/oauth2/v2.0/token");
    let form = "application/x-www-form-urlencoded";
    let cases: Vec<(&str, String, u16, u64)> = vec![
        (form, "grant_type=refresh_token&grant_type=authorization_code&client_id=x".into(), 400, 9002313),
        (form, "client_id=%ZZ&grant_type".into(), 400, 900144),
        ("application/json", json!({ "grant_type": "authorization_code" }).to_string(), 400, 900144),
        (form, format!("grant_type=refresh_token&client_id={CLIENT_ID}"), 400, 900144),
        (form, format!("grant_type=password&client_id={CLIENT_ID}"), 400, 70003),
        (form, "grant_type=authorization_code&client_id=nope".into(), 400, 700016),
        (form, format!("grant_type=refresh_token&client_id={CLIENT_ID}&refresh_token=x&scope={}", "User.Read%20".repeat(1000)), 400, 70011),
        (form, format!("grant_type=authorization_code&client_id={CLIENT_ID}&code=forged&redirect_uri=http://localhost"), 400, 9002313),
        (form, "a=".to_owned() + &"x".repeat(70 * 1024), 413, 90015),
    ];
    for (content_type, body, status, code) in cases {
        let response = client
            .post(&token)
            .header("content-type", content_type)
            .body(body.clone())
            .send()
            .await?;
        let got = response.status().as_u16();
        let json: Value = response.json().await?;
        assert_eq!(
            (got, aadsts(&json)),
            (status, code),
            "body {}: {json}",
            &body[..body.len().min(80)]
        );
    }
    Ok(())
}
