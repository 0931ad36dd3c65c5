//! auth-core against the identity emulator on a real socket: the two independent ends of the
//! protocol must agree. Any misreading of the spec on one side shows up here.

use auth_core::authorize::{begin, AuthorizeOptions};
use auth_core::config::{ClientType, Config};
use auth_core::error::{Error, InteractionReason};
use auth_core::flow::{self, KeyCache};
use auth_core::silent::{decide, Decision, SilentRequest};
use auth_core::throttle::Throttle;
use auth_core::token_cache::TokenCache;
use integration_tests::emulator::{
    Browser, Emulator, CLIENT_ID, PASSWORD, PERSONAL_USER, WORK_USER,
};
use integration_tests::signed_in::desktop_config;
use integration_tests::Result;
use serde_json::json;

fn now(emu: &Emulator) -> u64 {
    emu.state.now() as u64
}

fn options(scopes: &[&str]) -> AuthorizeOptions {
    AuthorizeOptions {
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn desktop_sign_in_silent_refresh_and_consent_against_the_emulator() -> Result<()> {
    let emu = Emulator::start().await?;
    let config = desktop_config(&emu)?;
    let (mut keys, mut cache, mut throttle) =
        (KeyCache::new(), TokenCache::new(), Throttle::default());

    let (url, pending) = begin(&config, &options(&["User.Read"]))?;
    let redirect = Browser::new()
        .sign_in(url.as_str(), WORK_USER, PASSWORD)
        .await?;
    let account = flow::redeem_code(
        &reqwest::Client::new(),
        &config,
        &mut keys,
        &mut cache,
        pending,
        &redirect,
        now(&emu),
    )
    .await?;
    assert_eq!(account.username, WORK_USER);
    assert_eq!(account.name.as_deref(), Some("Adele Vance"));
    assert!(
        account
            .home_account_id
            .ends_with(".a3d1c1a4-5b6e-4f1a-9c2b-7e8f90a1b2c3"),
        "uid.utid from client_info"
    );

    // Silent: a cache hit, then, an hour and a half later, exactly one refresh.
    let user_read = SilentRequest::new(&config, &account.home_account_id, &["User.Read"]);
    assert!(matches!(
        decide(&cache, &user_read, now(&emu)),
        Decision::CacheHit(_)
    ));
    emu.control("clock", json!({ "seconds": 5400 })).await?;
    let token = flow::acquire_silent(
        &reqwest::Client::new(),
        &config,
        &mut keys,
        &mut cache,
        &mut throttle,
        &user_read,
        now(&emu),
    )
    .await?;
    let me = reqwest::Client::new()
        .get(emu.at("/v1.0/me"))
        .bearer_auth(token.access_token.secret())
        .send()
        .await?;
    assert_eq!(me.status(), 200);
    assert!(matches!(
        decide(&cache, &user_read, now(&emu)),
        Decision::CacheHit(_)
    ));
    assert_eq!(emu.counters().await?["token.refresh_token"], 1);

    // Mail.Read was never consented: the refresh is refused and interaction is required.
    let mail = SilentRequest::new(
        &config,
        &account.home_account_id,
        &["User.Read", "Mail.Read"],
    );
    let error = flow::acquire_silent(
        &reqwest::Client::new(),
        &config,
        &mut keys,
        &mut cache,
        &mut throttle,
        &mail,
        now(&emu),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InteractionRequired {
                reason: InteractionReason::ConsentRequired,
                ..
            }
        ),
        "{error:?}"
    );

    // After rotation the emulator signs with a key auth-core has not seen: it refetches the JWKS.
    emu.control("keys/rotate", json!({})).await?;
    let forced =
        SilentRequest::new(&config, &account.home_account_id, &["User.Read"]).force_refresh();
    flow::acquire_silent(
        &reqwest::Client::new(),
        &config,
        &mut keys,
        &mut cache,
        &mut throttle,
        &forced,
        now(&emu),
    )
    .await?;

    // A revoked grant: interaction required, and the account is still in the cache.
    emu.control("revoke", json!({ "username": WORK_USER }))
        .await?;
    let error = flow::acquire_silent(
        &reqwest::Client::new(),
        &config,
        &mut keys,
        &mut cache,
        &mut throttle,
        &forced,
        now(&emu),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(error, Error::InteractionRequired { .. }),
        "{error:?}"
    );
    assert_eq!(cache.accounts().count(), 1);
    Ok(())
}

#[tokio::test]
async fn spa_sign_in_sends_origin_and_the_personal_account_works() -> Result<()> {
    let emu = Emulator::start().await?;
    let config = Config::new(
        CLIENT_ID,
        &format!("{}/consumers", emu.url),
        "http://localhost:1420/",
        ClientType::Spa,
    )?;
    let (mut keys, mut cache) = (KeyCache::new(), TokenCache::new());
    let (url, pending) = begin(&config, &options(&["User.Read"]))?;
    let redirect = Browser::new()
        .sign_in(url.as_str(), PERSONAL_USER, PASSWORD)
        .await?;
    let account = flow::redeem_code(
        &reqwest::Client::new(),
        &config,
        &mut keys,
        &mut cache,
        pending,
        &redirect,
        now(&emu),
    )
    .await?;
    assert_eq!(account.username, PERSONAL_USER);
    assert_eq!(account.tenant_id, "9188040d-6c67-4c5b-b112-36a304b66dad");
    Ok(())
}

#[tokio::test]
async fn a_tampered_state_is_refused_before_any_request() -> Result<()> {
    let emu = Emulator::start().await?;
    let config = desktop_config(&emu)?;
    let (mut keys, mut cache) = (KeyCache::new(), TokenCache::new());
    let (url, pending) = begin(&config, &options(&["User.Read"]))?;
    let redirect = Browser::new()
        .sign_in(url.as_str(), WORK_USER, PASSWORD)
        .await?;
    let tampered = redirect.replace(&format!("state={}", pending.state()), "state=forged");
    let error = flow::redeem_code(
        &reqwest::Client::new(),
        &config,
        &mut keys,
        &mut cache,
        pending,
        &tampered,
        now(&emu),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, Error::StateMismatch), "{error:?}");
    assert_eq!(emu.counters().await?.get("token.authorization_code"), None);
    Ok(())
}

/// An authority named by the tenant's domain learns the tenant's issuer from the emulator's
/// discovery document (Entra names the tenant's GUID there), and signs in to it.
#[tokio::test]
async fn a_domain_authority_signs_in_through_discovery() -> Result<()> {
    use auth_core::client::{ClientApplication, Interaction};
    let emu = Emulator::start().await?;
    let config = Config::new(
        CLIENT_ID,
        &format!("{}/contoso.onmicrosoft.com", emu.url),
        "http://localhost:5555",
        ClientType::Desktop,
    )?;
    let mut app = ClientApplication::new(TokenCache::new());
    let (url, pending) = app.begin_interaction(&config, &["User.Read"], Interaction::SignIn)?;
    let redirect = Browser::new()
        .sign_in(url.as_str(), WORK_USER, PASSWORD)
        .await?;
    let account = app
        .redeem(
            &reqwest::Client::new(),
            &config,
            pending,
            &redirect,
            now(&emu),
        )
        .await?;
    assert_eq!(account.username, WORK_USER);
    assert_eq!(account.tenant_id, "a3d1c1a4-5b6e-4f1a-9c2b-7e8f90a1b2c3");
    Ok(())
}
