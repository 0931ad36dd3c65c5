use std::cell::RefCell;
use std::future::ready;

use crate::seams::{HttpRequest, HttpResponse};
use futures_executor::block_on;
use serde_json::json;

use super::*;
use crate::config::ClientType;
use crate::error::NetworkError;
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

/// An identity platform that signs in `uid` (named `username`) and hands out access tokens
/// `at-1`, `at-2`, … in turn; it records the grant types it was sent.
struct Platform {
    uid: RefCell<String>,
    username: RefCell<String>,
    nonce: RefCell<String>,
    issued: RefCell<u32>,
    grants: RefCell<Vec<String>>,
}

impl Platform {
    fn new() -> Self {
        Platform {
            uid: RefCell::new("uid".into()),
            username: RefCell::new("ada@contoso.com".into()),
            nonce: RefCell::new(String::new()),
            issued: RefCell::new(0),
            grants: RefCell::new(Vec::new()),
        }
    }

    fn answer(&self, request: &HttpRequest) -> HttpResponse {
        let body = match request.path() {
            "/common/discovery/v2.0/keys" => JWKS_KEY1.to_owned(),
            "/common/oauth2/v2.0/token" => {
                let form = String::from_utf8_lossy(&request.body).into_owned();
                let grant = form
                    .split('&')
                    .find_map(|p| p.strip_prefix("grant_type="))
                    .unwrap_or_default()
                    .to_owned();
                self.grants.borrow_mut().push(grant);
                *self.issued.borrow_mut() += 1;
                let mut claims = claims(&self.nonce.borrow(), NOW);
                claims["preferred_username"] = json!(*self.username.borrow());
                claims["oid"] = json!(*self.uid.borrow());
                json!({
                    "token_type": "Bearer", "scope": "User.Read openid profile",
                    "expires_in": 3600, "access_token": format!("at-{}", self.issued.borrow()),
                    "refresh_token": "rt", "id_token": sign(&header("key1"), &claims, KEY1),
                    "client_info": client_info(&self.uid.borrow(), "utid"),
                })
                .to_string()
            }
            other => panic!("unexpected {other}"),
        };
        HttpResponse::new(200, body.into_bytes())
    }
}

impl HttpClient for Platform {
    fn execute(
        &self,
        request: HttpRequest,
    ) -> impl std::future::Future<Output = Result<HttpResponse, NetworkError>> {
        ready(Ok(self.answer(&request)))
    }
}

/// Signs the platform's current user in through `app`.
fn sign_in(app: &mut ClientApplication, platform: &Platform, config: &Config) -> Account {
    let (_, pending) = app
        .begin_interaction(config, &["User.Read"], Interaction::SignIn)
        .unwrap();
    *platform.nonce.borrow_mut() = pending.nonce().to_owned();
    let redirect = format!("http://localhost:1420/?code=c&state={}", pending.state());
    block_on(app.redeem(platform, config, pending, &redirect, NOW)).unwrap()
}

#[test]
fn a_sign_in_replaces_the_previous_account_and_marks_the_cache_changed() {
    let (config, platform) = (config(), Platform::new());
    let mut app = ClientApplication::new(TokenCache::new());
    assert!(!app.take_changed());
    sign_in(&mut app, &platform, &config);
    assert!(app.take_changed());
    assert!(!app.take_changed(), "the flag resets once read");

    *platform.uid.borrow_mut() = "other".into();
    *platform.username.borrow_mut() = "grace@contoso.com".into();
    let account = sign_in(&mut app, &platform, &config);
    let accounts: Vec<&str> = app
        .cache()
        .accounts()
        .map(|a| a.username.as_str())
        .collect();
    assert_eq!(accounts, ["grace@contoso.com"]);
    assert_eq!(app.account(), Some(&account));
}

#[test]
fn sign_in_offers_the_picker_and_a_resource_interaction_names_the_account() {
    let (config, platform) = (config(), Platform::new());
    let mut app = ClientApplication::new(TokenCache::new());
    let options = app.authorize_options(&["User.Read"], Interaction::SignIn);
    assert_eq!(
        (options.prompt, options.login_hint),
        (Some(Prompt::SelectAccount), None)
    );

    sign_in(&mut app, &platform, &config);
    let reason = InteractionReason::ClaimsChallenge {
        claims: r#"{"access_token":{}}"#.into(),
    };
    let options = app.authorize_options(&["Mail.Read"], Interaction::after(&reason));
    assert_eq!(options.prompt, None);
    assert_eq!(options.login_hint.as_deref(), Some("ada@contoso.com"));
    assert_eq!(options.claims.as_deref(), Some(r#"{"access_token":{}}"#));
    assert_eq!(options.scopes, ["Mail.Read"]);
}

#[test]
fn a_refused_token_forces_one_refresh_unless_another_call_replaced_it() {
    let (config, platform) = (config(), Platform::new());
    let mut app = ClientApplication::new(TokenCache::new());
    sign_in(&mut app, &platform, &config);
    app.take_changed();
    let silent = |app: &mut ClientApplication, refused: Option<&str>| {
        block_on(app.acquire_token_silent(&platform, &config, &["User.Read"], refused, NOW + 60))
            .unwrap()
            .access_token
            .secret()
            .to_owned()
    };

    assert_eq!(silent(&mut app, None), "at-1", "a cache hit");
    assert!(!app.take_changed());
    assert_eq!(silent(&mut app, Some("at-1")), "at-2", "refused: refreshed");
    assert!(app.take_changed());
    assert_eq!(
        silent(&mut app, Some("at-1")),
        "at-2",
        "another call already replaced the refused token"
    );
    assert_eq!(
        *platform.grants.borrow(),
        ["authorization_code", "refresh_token"]
    );
}

#[test]
fn without_an_account_the_user_must_sign_in() {
    let app = &mut ClientApplication::new(TokenCache::new());
    let result =
        block_on(app.acquire_token_silent(&Platform::new(), &config(), &["User.Read"], None, NOW));
    assert!(matches!(
        result,
        Err(Error::InteractionRequired {
            reason: InteractionReason::NoAccount,
            ..
        })
    ));
}

#[test]
fn sign_out_empties_the_cache_and_the_end_session_url_carries_the_login_hint_claim() {
    let (config, platform) = (config(), Platform::new());
    let mut app = ClientApplication::new(TokenCache::new());
    sign_in(&mut app, &platform, &config);
    app.take_changed();
    let account = app.sign_out().unwrap();
    assert!(app.take_changed());
    assert_eq!(app.cache().accounts().count(), 0);
    assert_eq!(app.sign_out(), None);

    let url = ClientApplication::end_session_url(&config, Some(&account)).unwrap();
    let hint = url
        .query_pairs()
        .find(|(k, _)| k == "logout_hint")
        .map(|(_, v)| v.into_owned());
    assert_eq!(
        hint.as_deref(),
        Some("hint"),
        "the ID token's login_hint claim"
    );
    let url = ClientApplication::end_session_url(&config, None).unwrap();
    assert!(!url.query().unwrap_or("").contains("logout_hint"));
}

#[test]
fn users_are_told_a_declined_consent_apart_from_a_cancel_and_the_wait_of_a_throttle() {
    let server = crate::error::ServerError {
        code: "access_denied".into(),
        aadsts: Some(65004),
        description: Some("AADSTS65004: User declined to consent to access the app.".into()),
        ..Default::default()
    };
    let declined = UserError::from(&Error::from_server(server));
    assert_eq!(declined.code, "consent_denied");
    assert!(
        declined.message.contains("accept the permissions"),
        "{}",
        declined.message
    );

    let cancelled = UserError::from(&Error::UserCancelled { server: None });
    assert_eq!(cancelled.code, "user_cancelled");

    let throttled = UserError::from(&Error::Throttled {
        retry_at: NOW + 17,
        retry_after: 17,
    });
    assert_eq!(
        (throttled.code, throttled.retry_after),
        ("throttled", Some(17))
    );

    // Nobody signed in is the page's Sign In, not an interaction the app starts.
    let nobody = UserError::from(&Error::InteractionRequired {
        reason: InteractionReason::NoAccount,
        server: None,
    });
    assert_eq!(
        (nobody.code, nobody.message.as_str()),
        (
            "not_signed_in",
            "You are not signed in. Select Sign In first."
        )
    );
    let expired = UserError::from(&Error::InteractionRequired {
        reason: InteractionReason::LoginRequired,
        server: None,
    });
    assert_eq!(expired.code, "interaction_required");
}

/// A platform for the authority `{BASE}/contoso.com`, whose discovery document names the
/// tenant `TENANT_ID`, and whose token endpoint signs an ID token from `iss_tid`'s issuer.
fn domain_platform(
    iss_tid: &'static str,
    nonce: &'static RefCell<String>,
    discoveries: &'static RefCell<u32>,
) -> impl HttpClient {
    move |request: HttpRequest| {
        let body = match request.path() {
            "/contoso.com/v2.0/.well-known/openid-configuration" => {
                *discoveries.borrow_mut() += 1;
                json!({
                    "issuer": format!("{BASE}/{TENANT_ID}/v2.0"),
                    "authorization_endpoint": format!("{BASE}/{TENANT_ID}/oauth2/v2.0/authorize"),
                    "token_endpoint": format!("{BASE}/{TENANT_ID}/oauth2/v2.0/token"),
                    "jwks_uri": format!("{BASE}/{TENANT_ID}/discovery/v2.0/keys"),
                })
                .to_string()
            }
            p if p.ends_with("/discovery/v2.0/keys") => JWKS_KEY1.to_owned(),
            p if p.ends_with("/oauth2/v2.0/token") => {
                let mut claims = claims(&nonce.borrow(), NOW);
                claims["tid"] = json!(iss_tid);
                claims["iss"] = json!(format!("{BASE}/{iss_tid}/v2.0"));
                json!({
                    "token_type": "Bearer", "scope": "User.Read openid profile",
                    "expires_in": 3600, "access_token": "at", "refresh_token": "rt",
                    "id_token": sign(&header("key1"), &claims, KEY1),
                })
                .to_string()
            }
            other => panic!("unexpected {other}"),
        };
        ready(Ok(HttpResponse::new(200, body.into_bytes())))
    }
}

fn sign_in_at_domain(
    platform: &impl HttpClient,
    app: &mut ClientApplication,
    nonce: &RefCell<String>,
) -> Result<Account, Error> {
    let config = Config::new(
        CLIENT_ID,
        &format!("{BASE}/contoso.com"),
        "http://localhost:1420",
        ClientType::Desktop,
    )
    .unwrap();
    let (_, pending) = app
        .begin_interaction(&config, &["User.Read"], Interaction::SignIn)
        .unwrap();
    *nonce.borrow_mut() = pending.nonce().to_owned();
    let redirect = format!("http://localhost:1420/?code=c&state={}", pending.state());
    block_on(app.redeem(platform, &config, pending, &redirect, NOW))
}

#[test]
fn a_domain_authority_learns_its_tenant_by_discovery_and_refuses_other_tenants() {
    let nonce: &'static RefCell<String> = Box::leak(Box::default());
    let discoveries: &'static RefCell<u32> = Box::leak(Box::default());
    let own = domain_platform(TENANT_ID, nonce, discoveries);
    let mut app = ClientApplication::new(TokenCache::new());
    let account = sign_in_at_domain(&own, &mut app, nonce).unwrap();
    assert_eq!(account.tenant_id, TENANT_ID);
    sign_in_at_domain(&own, &mut app, nonce).unwrap();
    assert_eq!(*discoveries.borrow(), 1, "discovery is fetched once");

    // A token from another tenant, valid for common, is not one for contoso.com.
    let other = domain_platform("00000000-0000-0000-0000-0000000000aa", nonce, discoveries);
    let err = sign_in_at_domain(
        &other,
        &mut ClientApplication::new(TokenCache::new()),
        nonce,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::IdToken(crate::error::IdTokenError::IssuerMismatch { .. })
        ),
        "{err:?}"
    );
}

#[test]
fn a_generic_providers_client_forgets_accounts_of_another_issuer() {
    let (config, platform) = (config(), Platform::new());
    let mut app = ClientApplication::new(TokenCache::new());
    sign_in(&mut app, &platform, &config);
    let signed_in_by = format!("{BASE}/{TENANT_ID}/v2.0");
    app.take_changed();
    let oidc = |issuer: &str| {
        Config::from_raw(crate::config::RawConfig {
            client_id: CLIENT_ID.into(),
            authority: Some(issuer.into()),
            redirect_uri: "http://localhost:1420".into(),
            protocol_mode: crate::config::ProtocolMode::Oidc,
            ..Default::default()
        })
        .unwrap()
    };
    // The same host, its own issuer: kept. An AAD configuration never drops anything here.
    assert!(!app.keep_only_issuer(&oidc(&signed_in_by)));
    assert!(!app.keep_only_issuer(&config));
    assert!(app.account().is_some());
    assert!(!app.take_changed());
    // The same host, another realm: that account is not this issuer's to use.
    assert!(app.keep_only_issuer(&oidc(&format!("{BASE}/realms/other"))));
    assert!(app.account().is_none());
    assert!(app.cache().accounts().next().is_none());
    assert!(app.take_changed(), "the store must forget it too");
}
