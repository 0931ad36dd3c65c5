//! The reliability table's faults that need no window (docs/benchmarks.md, "Reliability"):
//! auth-core's client application and the shell's HTTP client and Graph client against the
//! emulator, with faults injected at its endpoints. Each test asserts what the user is told
//! (the `UserError` both sides show) and what is kept.

use std::time::Duration;

use auth_core::client::{ClientApplication, Interaction, UserError};
use auth_core::config::Config;
use auth_core::token_cache::TokenCache;
use graph_signin::graph_proxy::GraphClient;
use integration_tests::emulator::{Browser, Emulator, PASSWORD, WORK_USER};
use integration_tests::signed_in::{desktop_config, work_user};
use integration_tests::Result;
use serde_json::json;

const TOKEN: &str = "/common/oauth2/v2.0/token";

fn now(emu: &Emulator) -> u64 {
    emu.state.now() as u64
}

/// The work user signed in: the client application, its config, and the access token the
/// cache holds.
async fn signed_in(emu: &Emulator) -> Result<(ClientApplication, Config, String)> {
    let (cache, token) = work_user(emu).await?;
    Ok((ClientApplication::new(cache), desktop_config(emu)?, token))
}

/// A silent request that must reach the token endpoint: Graph refused `token`.
async fn refresh(
    app: &mut ClientApplication,
    http: &reqwest::Client,
    config: &Config,
    refused: &str,
    now: u64,
) -> std::result::Result<String, UserError> {
    app.acquire_token_silent(http, config, &["User.Read"], Some(refused), now)
        .await
        .map(|t| t.access_token.secret().to_owned())
        .map_err(|e| UserError::from(&e))
}

fn kept(app: &ClientApplication) -> bool {
    app.account().map(|a| a.username.as_str()) == Some(WORK_USER)
}

#[tokio::test]
async fn token_endpoint_500_is_a_server_error_and_the_account_is_kept() -> Result<()> {
    let emu = Emulator::start().await?;
    let (mut app, config, token) = signed_in(&emu).await?;
    emu.control(
        "faults",
        json!({ "path": TOKEN, "status": 500, "count": 1 }),
    )
    .await?;
    let http = graph_signin::http_client(Duration::from_secs(5))?;
    let error = refresh(&mut app, &http, &config, &token, now(&emu))
        .await
        .unwrap_err();
    assert_eq!(error.code, "server", "{error:?}");
    assert!(error.message.contains("AADSTS"), "{}", error.message);
    assert!(kept(&app));
    Ok(())
}

#[tokio::test]
async fn a_silent_token_endpoint_times_out_and_the_account_is_kept() -> Result<()> {
    let emu = Emulator::start().await?;
    let (mut app, config, token) = signed_in(&emu).await?;
    // The answer comes after 3 s; the client waits 1 s.
    emu.control(
        "faults",
        json!({ "path": TOKEN, "status": 0, "delay_ms": 3000, "count": 1 }),
    )
    .await?;
    let http = graph_signin::http_client(Duration::from_secs(1))?;
    let error = refresh(&mut app, &http, &config, &token, now(&emu))
        .await
        .unwrap_err();
    assert_eq!(error.code, "network", "{error:?}");
    // What was called, and that it did not answer.
    assert!(
        error
            .message
            .contains("/common/oauth2/v2.0/token did not answer in time"),
        "{}",
        error.message
    );
    assert!(kept(&app));
    // Once the server answers again, the same account refreshes.
    let http = graph_signin::http_client(Duration::from_secs(10))?;
    let fresh = refresh(&mut app, &http, &config, &token, now(&emu)).await;
    assert!(fresh.is_ok_and(|t| t != token));
    Ok(())
}

#[tokio::test]
async fn a_revoked_refresh_token_asks_for_the_user_and_keeps_the_account_for_its_hint() -> Result<()>
{
    let emu = Emulator::start().await?;
    let (mut app, config, token) = signed_in(&emu).await?;
    emu.control("revoke", json!({ "username": WORK_USER }))
        .await?;
    let http = graph_signin::http_client(Duration::from_secs(5))?;
    let error = refresh(&mut app, &http, &config, &token, now(&emu))
        .await
        .unwrap_err();
    assert_eq!(error.code, "interaction_required", "{error:?}");
    assert!(
        kept(&app),
        "the account stays, to name it in the next sign-in"
    );
    let options = app.authorize_options(&["User.Read"], Interaction::ForResource { claims: None });
    assert_eq!(options.login_hint.as_deref(), Some(WORK_USER));
    Ok(())
}

#[tokio::test]
async fn a_connection_dropped_mid_login_leaves_nothing_and_the_next_sign_in_works() -> Result<()> {
    let emu = Emulator::start().await?;
    let config = desktop_config(&emu)?;
    let http = graph_signin::http_client(Duration::from_secs(5))?;
    let mut app = ClientApplication::new(TokenCache::new());
    let (url, pending) = app.begin_interaction(&config, &["User.Read"], Interaction::SignIn)?;
    let redirect = Browser::new()
        .sign_in(url.as_str(), WORK_USER, PASSWORD)
        .await?;
    // The code redemption's connection breaks before an answer.
    emu.control("faults", json!({ "path": TOKEN, "drop": true, "count": 1 }))
        .await?;
    let error = app
        .redeem(&http, &config, pending, &redirect, now(&emu))
        .await
        .unwrap_err();
    let error = UserError::from(&error);
    assert_eq!(error.code, "network", "{error:?}");
    assert!(app.account().is_none());
    assert_eq!(app.cache().accounts().count(), 0, "nothing half-kept");
    let (url, pending) = app.begin_interaction(&config, &["User.Read"], Interaction::SignIn)?;
    let redirect = Browser::new()
        .sign_in(url.as_str(), WORK_USER, PASSWORD)
        .await?;
    app.redeem(&http, &config, pending, &redirect, now(&emu))
        .await?;
    assert!(kept(&app));
    Ok(())
}

/// Signs in with the emulator's clock `skew` seconds off this machine's.
async fn sign_in_with_skew(skew: i64) -> Result<std::result::Result<(), UserError>> {
    let emu = Emulator::start().await?;
    emu.control("clock", json!({ "seconds": skew })).await?;
    let config = desktop_config(&emu)?;
    let http = graph_signin::http_client(Duration::from_secs(5))?;
    let mut app = ClientApplication::new(TokenCache::new());
    let (url, pending) = app.begin_interaction(&config, &["User.Read"], Interaction::SignIn)?;
    let redirect = Browser::new()
        .sign_in(url.as_str(), WORK_USER, PASSWORD)
        .await?;
    let machine_now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let result = app
        .redeem(&http, &config, pending, &redirect, machine_now)
        .await;
    let outcome = result.map(drop).map_err(|e| UserError::from(&e));
    if outcome.is_err() {
        assert!(app.account().is_none(), "nothing kept from a refused token");
    }
    Ok(outcome)
}

#[tokio::test]
async fn a_clock_ten_minutes_behind_the_server_refuses_the_id_token_and_says_why() -> Result<()> {
    let error = sign_in_with_skew(600).await?.unwrap_err();
    assert_eq!(error.code, "id_token", "{error:?}");
    assert!(error.message.contains("clock"), "{}", error.message);
    Ok(())
}

#[tokio::test]
async fn a_clock_ten_minutes_ahead_of_the_server_signs_in() -> Result<()> {
    sign_in_with_skew(-600).await?.map_err(|e| e.message)?;
    Ok(())
}

/// Graph's 429 and 503, with and without `Retry-After`: the shell's Graph client waits (the
/// header's seconds, or 1-2-4 s without one) and the call succeeds.
#[tokio::test]
async fn graph_429_and_503_with_and_without_retry_after_are_waited_out() -> Result<()> {
    let emu = Emulator::start().await?;
    let (_, _, token) = signed_in(&emu).await?;
    let graph = GraphClient::new(
        graph_signin::http_client(Duration::from_secs(10))?,
        url::Url::parse(&emu.url)?,
    );
    for fault in [
        json!({ "path": "/v1.0/me", "status": 429, "retry_after": 1, "count": 1 }),
        json!({ "path": "/v1.0/me", "status": 429, "count": 1 }),
        json!({ "path": "/v1.0/me", "status": 503, "retry_after": 1, "count": 1 }),
        json!({ "path": "/v1.0/me", "status": 503, "count": 2 }),
    ] {
        emu.control("faults", fault.clone()).await?;
        let me = graph
            .me(&token)
            .await
            .map_err(|e| format!("{fault}: {e:?}"))?;
        assert_eq!(me.display_name.as_deref(), Some("Adele Vance"), "{fault}");
    }
    Ok(())
}
