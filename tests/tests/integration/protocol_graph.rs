//! The emulator's Graph (`/v1.0/me`, `/v1.0/me/messages`), on a real socket: token checks,
//! paging, and the faults tests inject.
//! Each rule of docs/emulator.md has a test, the negative ones included.

use integration_tests::emulator::{Browser, Emulator, WORK_USER};
use integration_tests::Result;
use serde_json::{json, Value};

use crate::fixture::{desktop_tokens, refresh};

#[tokio::test]
async fn graph_checks_the_token_the_scope_and_the_clock() -> Result<()> {
    let emu = Emulator::start().await?;
    let client = reqwest::Client::new();
    let none = client.get(emu.at("/v1.0/me")).send().await?;
    assert_eq!(none.status(), 401);
    assert!(none.headers()["www-authenticate"]
        .to_str()?
        .starts_with("Bearer realm=\"\", authorization_uri="));
    let body: Value = none.json().await?;
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
    assert!(body["error"]["innerError"]["request-id"].is_string());

    let tokens = desktop_tokens(
        &emu,
        &Browser::new(),
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    let access = tokens["access_token"].as_str().unwrap();
    let me: Value = client
        .get(emu.at("/v1.0/me"))
        .bearer_auth(access)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(
        (me["displayName"].as_str(), me["jobTitle"].as_str()),
        (Some("Adele Vance"), Some("Retail Manager"))
    );
    assert_eq!(
        (me["mobilePhone"].as_str(), me["officeLocation"].as_str()),
        (Some("+1 425 555 0109"), Some("18/2111"))
    );
    let selected: Value = client
        .get(emu.at("/v1.0/me?$select=displayName,mail"))
        .bearer_auth(access)
        .send()
        .await?
        .json()
        .await?;
    assert!(selected.get("jobTitle").is_none() && selected["mail"] == WORK_USER);
    let forbidden = client
        .get(emu.at("/v1.0/me/messages"))
        .bearer_auth(access)
        .send()
        .await?;
    assert_eq!(forbidden.status(), 403);
    let body: Value = forbidden.json().await?;
    assert_eq!(body["error"]["code"], "ErrorAccessDenied");

    emu.control("clock", json!({ "seconds": 5401 })).await?;
    let expired = client
        .get(emu.at("/v1.0/me"))
        .bearer_auth(access)
        .send()
        .await?;
    assert_eq!(expired.status(), 401);
    let tampered = format!("{}x", &access[..access.len() - 1]);
    let bad = client
        .get(emu.at("/v1.0/me"))
        .bearer_auth(tampered)
        .send()
        .await?;
    assert_eq!(bad.status(), 401);
    Ok(())
}

#[tokio::test]
async fn messages_page_to_the_end_and_bound_top() -> Result<()> {
    let emu = Emulator::start().await?;
    let tokens = desktop_tokens(
        &emu,
        &Browser::new(),
        WORK_USER,
        "openid profile offline_access User.Read Mail.Read",
    )
    .await?;
    let access = tokens["access_token"].as_str().unwrap();
    let client = reqwest::Client::new();
    let mut url = emu.at("/v1.0/me/messages?$select=subject,from,bodyPreview");
    let mut pages = Vec::new();
    loop {
        let page: Value = client
            .get(&url)
            .bearer_auth(access)
            .send()
            .await?
            .json()
            .await?;
        pages.push(page["value"].as_array().unwrap().len());
        let first = &page["value"][0];
        assert!(
            first["subject"].is_string() && first["from"]["emailAddress"]["address"].is_string()
        );
        assert!(
            first.get("isRead").is_none(),
            "$select applies on every page"
        );
        match page["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(pages, vec![10, 10, 7]);
    for top in ["0", "1001", "x"] {
        let status = client
            .get(emu.at(&format!("/v1.0/me/messages?$top={top}")))
            .bearer_auth(access)
            .send()
            .await?
            .status();
        assert_eq!(status, 400, "$top={top}");
    }
    let all: Value = client
        .get(emu.at("/v1.0/me/messages?$top=1000"))
        .bearer_auth(access)
        .send()
        .await?
        .json()
        .await?;
    let xss = all["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["subject"] == "<img src=x onerror=alert(1)>")
        .expect("the XSS message");
    assert!(!xss["bodyPreview"].as_str().unwrap().contains("<script"));
    Ok(())
}

#[tokio::test]
async fn faults_throttle_graph_with_retry_after_and_claims_challenges_are_raised() -> Result<()> {
    let emu = Emulator::start().await?;
    let tokens = desktop_tokens(
        &emu,
        &Browser::new(),
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    let access = tokens["access_token"].as_str().unwrap();
    let client = reqwest::Client::new();
    emu.control(
        "faults",
        json!({ "path": "/v1.0/me", "status": 429, "retry_after": 2, "count": 1 }),
    )
    .await?;
    let throttled = client
        .get(emu.at("/v1.0/me"))
        .bearer_auth(access)
        .send()
        .await?;
    assert_eq!(throttled.status(), 429);
    assert_eq!(throttled.headers()["retry-after"], "2");
    let body: Value = throttled.json().await?;
    assert_eq!(body["error"]["code"], "TooManyRequests");
    assert_eq!(
        client
            .get(emu.at("/v1.0/me"))
            .bearer_auth(access)
            .send()
            .await?
            .status(),
        200
    );

    emu.control("claims-challenge", json!({ "username": WORK_USER }))
        .await?;
    let challenged = client
        .get(emu.at("/v1.0/me"))
        .bearer_auth(access)
        .send()
        .await?;
    assert_eq!(challenged.status(), 401);
    let header = challenged.headers()["www-authenticate"]
        .to_str()?
        .to_owned();
    assert!(
        header.contains("error=\"insufficient_claims\"") && header.contains("claims=\""),
        "{header}"
    );
    Ok(())
}

#[tokio::test]
async fn faults_can_delay_or_drop_and_expire_tokens_refuses_current_ones() -> Result<()> {
    let emu = Emulator::start().await?;
    let client = reqwest::Client::new();
    emu.control(
        "faults",
        json!({ "path": "/common/discovery/*", "status": 0, "delay_ms": 300 }),
    )
    .await?;
    let started = std::time::Instant::now();
    assert_eq!(
        client
            .get(emu.at("/common/discovery/v2.0/keys"))
            .send()
            .await?
            .status(),
        200
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    emu.control(
        "faults",
        json!({ "path": "/common/discovery/v2.0/keys", "drop": true }),
    )
    .await?;
    let dropped = async {
        client
            .get(emu.at("/common/discovery/v2.0/keys"))
            .send()
            .await?
            .bytes()
            .await
    }
    .await;
    assert!(dropped.is_err(), "the connection should break: {dropped:?}");
    assert_eq!(
        client
            .get(emu.at("/common/discovery/v2.0/keys"))
            .send()
            .await?
            .status(),
        200,
        "one request only"
    );

    let tokens = desktop_tokens(
        &emu,
        &Browser::new(),
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    let old = tokens["access_token"].as_str().unwrap();
    emu.control("expire-tokens", json!({ "username": WORK_USER }))
        .await?;
    assert_eq!(
        client
            .get(emu.at("/v1.0/me"))
            .bearer_auth(old)
            .send()
            .await?
            .status(),
        401
    );
    let (_, fresh) = refresh(
        &emu,
        tokens["refresh_token"].as_str().unwrap(),
        "openid profile offline_access User.Read",
        None,
    )
    .await?;
    let new = fresh["access_token"].as_str().unwrap();
    assert_eq!(
        client
            .get(emu.at("/v1.0/me"))
            .bearer_auth(new)
            .send()
            .await?
            .status(),
        200
    );
    Ok(())
}
