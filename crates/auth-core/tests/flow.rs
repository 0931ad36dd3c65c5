//! The whole flow through the public API, as a shell runs it: build the authorize URL, keep
//! the attempt across a (serialized) redirect, accept the redirect, redeem the code with a mock
//! HTTP client, cache, save and reload, then decide silently. Uses no threads, sockets or clock,
//! so it can also run under wasm-bindgen-test.

mod support;

use std::future::ready;

use auth_core::authorize::{begin, AuthorizeOptions, PendingAuthorization};
use auth_core::config::{ClientType, Config};
use auth_core::error::NetworkError;
use auth_core::flow::{redeem_code, KeyCache};
use auth_core::silent::{decide, Decision, SilentRequest};
use auth_core::token_cache::TokenCache;
use auth_core::token_request::refresh_token_request;
use auth_core::token_response::parse_token_response;
use futures_executor::block_on;
use http::{Request, Response};
use serde_json::json;
use support::*;

#[test]
fn spa_sign_in_then_silent_then_refresh() {
    let config = Config::new(
        CLIENT_ID,
        &format!("{BASE}/common"),
        "http://localhost:8080/",
        ClientType::Spa,
    )
    .unwrap();
    let (url, pending) = begin(&config, &AuthorizeOptions::default()).unwrap();
    assert!(url.as_str().contains("response_mode=fragment"));

    // The browser keeps the attempt in sessionStorage across the redirect.
    let stored = serde_json::to_string(&pending).unwrap();
    let pending: PendingAuthorization = serde_json::from_str(&stored).unwrap();
    let id_token = sign(&header("key1"), &claims(pending.nonce(), NOW), KEY1);
    let redirect = format!(
        "http://localhost:8080/#code=the-code&client_info={}&state={}",
        client_info("uid", "utid"),
        pending.state()
    );

    let http = |req: Request<Vec<u8>>| {
        let response = match req.uri().path() {
            "/common/oauth2/v2.0/token" => {
                assert_eq!(req.headers()["origin"], "http://localhost:8080");
                let body = String::from_utf8(req.body().clone()).unwrap();
                assert!(body.contains("code=the-code"), "{body}");
                assert!(body.contains("code_verifier="), "{body}");
                json!({"token_type":"Bearer","scope":"User.Read openid profile","expires_in":3600,
                       "access_token":"at-1","refresh_token":"rt-1","refresh_token_expires_in":86400,
                       "id_token": id_token})
                .to_string()
            }
            "/common/discovery/v2.0/keys" => JWKS_BOTH.to_owned(),
            other => return ready(Err(NetworkError::new(format!("no route {other}")))),
        };
        ready(Ok(Response::builder()
            .status(200)
            .body(response.into_bytes())
            .unwrap()))
    };

    let mut cache = TokenCache::new();
    let account = block_on(redeem_code(
        &http,
        &config,
        &mut KeyCache::new(),
        &mut cache,
        pending,
        &redirect,
        NOW,
    ))
    .unwrap();
    assert_eq!(account.home_account_id, "uid.utid");
    assert_eq!(account.username, "ada@contoso.com");

    // Persist and restore, as on the next start.
    let mut cache = TokenCache::from_json(&cache.to_json().unwrap()).unwrap();

    let me = SilentRequest::new(&config, &account.home_account_id, &["User.Read"]);
    match decide(&cache, &me, NOW + 60) {
        Decision::CacheHit(t) => assert_eq!(t.access_token.secret(), "at-1"),
        other => panic!("{other:?}"),
    }
    let mail = SilentRequest::new(
        &config,
        &account.home_account_id,
        &["User.Read", "Mail.Read"],
    );
    let Decision::Refresh(refresh) = decide(&cache, &mail, NOW + 60) else {
        panic!("expected a refresh")
    };
    let request = refresh_token_request(&config, &refresh).unwrap();
    assert!(String::from_utf8(request.body().clone())
        .unwrap()
        .contains("refresh_token=rt-1"));
    let response = Response::builder()
        .status(200)
        .body(
            json!({"token_type":"Bearer","scope":"User.Read Mail.Read","expires_in":3600,
                   "access_token":"at-2","refresh_token":"rt-2"})
            .to_string()
            .into_bytes(),
        )
        .unwrap();
    let tokens = parse_token_response(&response, NOW + 60).unwrap();
    let ctx = auth_core::token_cache::MergeContext {
        environment: config.authority().environment(),
        client_id: config.client_id(),
        requested: mail.scopes(),
        client_info: None,
        known: Some(&account),
    };
    cache.merge(&tokens, &ctx, None, NOW + 60).unwrap();
    assert!(matches!(
        decide(&cache, &mail, NOW + 61),
        Decision::CacheHit(_)
    ));

    // After the SPA refresh token's 24 h, only interaction helps.
    let later = SilentRequest::new(&config, &account.home_account_id, &["Calendars.Read"]);
    assert!(matches!(
        decide(&cache, &later, NOW + 86_400 + 61),
        Decision::InteractionRequired(_)
    ));

    cache.remove_account(&account.home_account_id);
    assert!(matches!(
        decide(&cache, &me, NOW),
        Decision::InteractionRequired(_)
    ));
}
