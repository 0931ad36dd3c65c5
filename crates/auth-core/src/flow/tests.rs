use std::cell::RefCell;
use std::future::ready;

use crate::seams::{HttpRequest, HttpResponse};
use futures_executor::block_on;
use serde_json::json;

use super::*;
use crate::authorize::{begin, AuthorizeOptions};
use crate::config::ClientType;
use crate::error::{InteractionReason, NetworkError};

use crate::test_support::*;

fn config() -> Config {
    Config::new(
        CLIENT_ID,
        &format!("{BASE}/common"),
        "http://localhost:1420",
        ClientType::Desktop,
    )
    .unwrap()
}

fn ok(body: String) -> HttpResponse {
    HttpResponse::new(200, body.into_bytes())
}

fn token_body(id_token: &str, rt: &str) -> String {
    json!({
        "token_type": "Bearer", "scope": "User.Read openid profile", "expires_in": 3600,
        "ext_expires_in": 3600, "access_token": "at-1", "refresh_token": rt,
        "id_token": id_token, "client_info": client_info("uid", "utid")
    })
    .to_string()
}

/// Records every request; answers through `answer`.
struct Mock<F: Fn(&HttpRequest) -> HttpResponse> {
    log: RefCell<Vec<(String, String, String)>>,
    answer: F,
}

impl<F: Fn(&HttpRequest) -> HttpResponse> HttpClient for Mock<F> {
    fn execute(
        &self,
        request: HttpRequest,
    ) -> impl std::future::Future<Output = Result<HttpResponse, NetworkError>> {
        self.log.borrow_mut().push((
            request.method.as_str().to_owned(),
            request.url.clone(),
            String::from_utf8_lossy(&request.body).into_owned(),
        ));
        ready(Ok((self.answer)(&request)))
    }
}

fn mock<F: Fn(&HttpRequest) -> HttpResponse>(answer: F) -> Mock<F> {
    Mock {
        log: RefCell::new(Vec::new()),
        answer,
    }
}

#[test]
fn redeem_code_fetches_keys_validates_and_caches() {
    let config = config();
    let (_, pending) = begin(&config, &AuthorizeOptions::default()).unwrap();
    let id_token = sign(&header("key1"), &claims(pending.nonce(), NOW), KEY1);
    let redirect = format!(
        "http://localhost:1420/?code=code-1&state={}",
        pending.state()
    );
    let http = mock(|req| match req.path() {
        "/common/discovery/v2.0/keys" => ok(JWKS_KEY1.into()),
        "/common/oauth2/v2.0/token" => {
            assert!(req.header("origin").is_none());
            ok(token_body(&id_token, "rt-1"))
        }
        other => panic!("unexpected {other}"),
    });
    let mut keys = KeyCache::new();
    let mut cache = TokenCache::new();
    let account = block_on(redeem_code(
        &http, &config, &mut keys, &mut cache, pending, &redirect, NOW,
    ))
    .unwrap();
    assert_eq!(account.home_account_id, "uid.utid");
    assert_eq!(account.environment, "localhost:4123");
    assert_eq!(account.tenant_id, TENANT_ID);
    let log = http.log.borrow();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].0.as_str(), log[0].1.as_str()),
        ("POST", "http://localhost:4123/common/oauth2/v2.0/token")
    );
    assert!(log[0]
        .2
        .contains("grant_type=authorization_code&code=code-1"));
    assert_eq!(
        (log[1].0.as_str(), log[1].1.as_str()),
        ("GET", "http://localhost:4123/common/discovery/v2.0/keys")
    );
    assert!(cache.id_token(&account, CLIENT_ID).is_some());
    let silent = SilentRequest::new(&config, "uid.utid", &["User.Read"]);
    assert!(matches!(
        decide(&cache, &silent, NOW + 60),
        Decision::CacheHit(_)
    ));
}

#[test]
fn rotated_keys_are_fetched_again_once() {
    let config = config();
    let fetches = RefCell::new(0);
    let http = mock(|_| {
        *fetches.borrow_mut() += 1;
        ok(JWKS_BOTH.into())
    });
    let mut keys = KeyCache::with(Jwks::from_json(JWKS_KEY1.as_bytes()).unwrap(), NOW);
    let token = sign(&header("key2"), &claims("n", NOW), KEY2);
    let expected = Expectations::new(&config, Some("n"));
    block_on(keys.validate(&http, &config, &token, &expected, NOW)).unwrap();
    assert_eq!(*fetches.borrow(), 1);
    // A kid absent even after the refetch fails without looping.
    let token = sign(&header("key3"), &claims("n", NOW), KEY2);
    let err = block_on(keys.validate(&http, &config, &token, &expected, NOW)).unwrap_err();
    assert!(matches!(err, Error::IdToken(e) if e.needs_jwks_refresh()));
    assert_eq!(*fetches.borrow(), 2);
}

#[test]
fn keys_older_than_a_day_are_fetched_again_and_a_withdrawn_key_is_refused() {
    let config = config();
    let fetches = RefCell::new(0);
    // The authority has withdrawn key1 and signs with key2 only.
    let http = mock(|_| {
        *fetches.borrow_mut() += 1;
        ok(JWKS_KEY2.into())
    });
    let mut keys = KeyCache::with(Jwks::from_json(JWKS_KEY1.as_bytes()).unwrap(), NOW);
    let expected = Expectations::new(&config, Some("n"));
    let later = NOW + MAX_KEY_AGE_SECS - 1;
    let old_key = sign(&header("key1"), &claims("n", later), KEY1);
    block_on(keys.validate(&http, &config, &old_key, &expected, later)).unwrap();
    assert_eq!(
        *fetches.borrow(),
        0,
        "keys under a day old are used as held"
    );

    let day_later = NOW + MAX_KEY_AGE_SECS;
    let old_key = sign(&header("key1"), &claims("n", day_later), KEY1);
    let err = block_on(keys.validate(&http, &config, &old_key, &expected, day_later)).unwrap_err();
    assert!(
        matches!(err, Error::IdToken(e) if e.needs_jwks_refresh()),
        "withdrawn key1 is refused"
    );
    assert_eq!(*fetches.borrow(), 1, "one fetch, not one per attempt");
    let new_key = sign(&header("key2"), &claims("n", day_later), KEY2);
    block_on(keys.validate(&http, &config, &new_key, &expected, day_later)).unwrap();
    assert_eq!(*fetches.borrow(), 1, "the fresh keys are held again");
}

fn signed_in_cache(config: &Config) -> TokenCache {
    let (_, pending) = begin(config, &AuthorizeOptions::default()).unwrap();
    let id_token = sign(&header("key1"), &claims(pending.nonce(), NOW), KEY1);
    let http = mock(|req| match req.path() {
        "/common/discovery/v2.0/keys" => ok(JWKS_KEY1.into()),
        _ => ok(token_body(&id_token, "rt-1")),
    });
    let redirect = format!("?code=c&state={}", pending.state());
    let mut cache = TokenCache::new();
    block_on(redeem_code(
        &http,
        config,
        &mut KeyCache::new(),
        &mut cache,
        pending,
        &redirect,
        NOW,
    ))
    .unwrap();
    cache
}

#[test]
fn a_refresh_whose_id_token_names_another_user_is_refused_and_changes_nothing() {
    let config = config();
    let mut cache = signed_in_cache(&config);
    let before = cache.to_json().unwrap();
    let mut keys = KeyCache::with(Jwks::from_json(JWKS_KEY1.as_bytes()).unwrap(), NOW);
    let request = SilentRequest::new(&config, "uid.utid", &["Mail.Read"]).force_refresh();
    let mut other = claims("n", NOW);
    other["sub"] = json!("another-user");
    other.as_object_mut().unwrap().remove("nonce");
    let other = sign(&header("key1"), &other, KEY1);
    let http = mock(|_| ok(token_body(&other, "rt-other")));
    let err = block_on(acquire_silent(
        &http,
        &config,
        &mut keys,
        &mut cache,
        &mut Throttle::new(),
        &request,
        NOW,
    ))
    .unwrap_err();
    assert!(
        matches!(err, Error::IdToken(crate::error::IdTokenError::UserChanged)),
        "{err:?}"
    );
    assert_eq!(cache.to_json().unwrap(), before, "the cache is as it was");

    // The same user again passes.
    let mut same = claims("n", NOW);
    same.as_object_mut().unwrap().remove("nonce");
    let same = sign(&header("key1"), &same, KEY1);
    let http = mock(|_| ok(token_body(&same, "rt-2")));
    block_on(acquire_silent(
        &http,
        &config,
        &mut keys,
        &mut cache,
        &mut Throttle::new(),
        &request,
        NOW,
    ))
    .unwrap();
}

#[test]
fn silent_refresh_merges_and_is_throttled_after_429() {
    let config = config();
    let mut cache = signed_in_cache(&config);
    let mut throttle = Throttle::new();
    let mut keys = KeyCache::with(Jwks::from_json(JWKS_KEY1.as_bytes()).unwrap(), NOW);
    let request = SilentRequest::new(&config, "uid.utid", &["Mail.Read"]);
    let http = mock(|req| {
        let body = String::from_utf8_lossy(&req.body).into_owned();
        assert!(body.starts_with(&format!("client_id={CLIENT_ID}&grant_type=refresh_token&refresh_token=rt-1&scope=Mail.Read+openid")), "{body}");
        ok(json!({"token_type":"Bearer","scope":"Mail.Read","expires_in":3600,"access_token":"at-mail","refresh_token":"rt-2"}).to_string())
    });
    let t = block_on(acquire_silent(
        &http,
        &config,
        &mut keys,
        &mut cache,
        &mut throttle,
        &request,
        NOW,
    ))
    .unwrap();
    assert_eq!(t.access_token.secret(), "at-mail");
    let account = cache.account("uid.utid", "localhost:4123").unwrap().clone();
    assert_eq!(
        cache
            .refresh_token(&account, CLIENT_ID)
            .unwrap()
            .secret
            .secret(),
        "rt-2"
    );
    // Both tokens now answer from the cache.
    let both = SilentRequest::new(&config, "uid.utid", &["User.Read"]);
    assert!(matches!(decide(&cache, &both, NOW), Decision::CacheHit(_)));

    let limited = mock(|_| HttpResponse::new(429, b"{}".to_vec()).with_header("retry-after", "30"));
    let calendars = SilentRequest::new(&config, "uid.utid", &["Calendars.Read"]);
    let first = block_on(acquire_silent(
        &limited,
        &config,
        &mut keys,
        &mut cache,
        &mut throttle,
        &calendars,
        NOW,
    ));
    assert!(matches!(first, Err(Error::Server(_))));
    let second = block_on(acquire_silent(
        &limited,
        &config,
        &mut keys,
        &mut cache,
        &mut throttle,
        &calendars,
        NOW + 10,
    ));
    assert!(matches!(second, Err(Error::Throttled { retry_at, .. }) if retry_at == NOW + 30));
    assert_eq!(
        limited.log.borrow().len(),
        1,
        "the throttled request was not sent"
    );
}

#[test]
fn revoked_refresh_token_requires_interaction() {
    let config = config();
    let mut cache = signed_in_cache(&config);
    let http = mock(|_| {
        HttpResponse::new(400, br#"{"error":"invalid_grant","error_description":"AADSTS70008: expired","error_codes":[70008]}"#.to_vec())
    });
    let request = SilentRequest::new(&config, "uid.utid", &["User.Read"]).force_refresh();
    let err = block_on(acquire_silent(
        &http,
        &config,
        &mut KeyCache::new(),
        &mut cache,
        &mut Throttle::new(),
        &request,
        NOW,
    ))
    .unwrap_err();
    assert!(matches!(
        err,
        Error::InteractionRequired {
            reason: InteractionReason::GrantExpiredOrRevoked,
            ..
        }
    ));
}

#[test]
fn closures_are_http_clients_and_network_errors_pass_through() {
    let config = config();
    let failing = |_req: HttpRequest| ready(Err(NetworkError::new("connection refused")));
    let err = block_on(fetch_jwks(&failing, &config)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Could not reach the identity platform: connection refused. Check the network connection and try again."
    );
}

#[test]
fn discovery_is_adopted_when_its_issuer_matches() {
    let config = config();
    let http = |req: HttpRequest| {
        assert_eq!(
            req.url,
            "http://localhost:4123/common/v2.0/.well-known/openid-configuration"
        );
        ready(Ok(ok(json!({
            "issuer": "http://localhost:4123/{tenantid}/v2.0",
            "authorization_endpoint": "http://localhost:4123/common/oauth2/v2.0/authorize",
            "token_endpoint": "http://localhost:4123/common/oauth2/v2.0/token",
            "jwks_uri": "http://localhost:4123/common/discovery/v2.0/keys"
        })
        .to_string())))
    };
    let discovered = block_on(discover(&http, &config)).unwrap();
    assert_eq!(
        discovered.authority().issuer(),
        "http://localhost:4123/{tenantid}/v2.0"
    );
}

#[test]
fn a_redirect_with_access_denied_is_a_cancel() {
    let config = config();
    let (_, pending) = begin(&config, &AuthorizeOptions::default()).unwrap();
    let redirect = format!(
        "http://localhost:1420?error=access_denied&state={}",
        pending.state()
    );
    let http = |_req: HttpRequest| ready(Ok(ok(String::new())));
    let err = block_on(redeem_code(
        &http,
        &config,
        &mut KeyCache::new(),
        &mut TokenCache::new(),
        pending,
        &redirect,
        NOW,
    ))
    .unwrap_err();
    assert!(matches!(err, Error::UserCancelled { .. }));
}
