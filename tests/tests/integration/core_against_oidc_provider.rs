//! auth-core against a generic OpenID provider it was not written with: panva's oidc-provider,
//! OpenID Certified, on loopback. Discovery, the sign-in through its own pages, the code and
//! refresh grants (with refresh-token rotation) and its userinfo endpoint, over real HTTP.

use std::time::{SystemTime, UNIX_EPOCH};

use auth_core::client::{ClientApplication, Interaction};
use auth_core::config::{ClientType, Config, ProtocolMode, RawConfig};
use auth_core::error::{Error, ResponseError};
use auth_core::token_cache::TokenCache;
use integration_tests::emulator::Browser;
use integration_tests::oidc_provider::{self, OidcProvider, DESKTOP_CLIENT_ID};
use integration_tests::Result;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs()
}

fn desktop_config(issuer: &str, scopes: &[&str]) -> Result<Config> {
    Ok(Config::from_raw(RawConfig {
        client_id: DESKTOP_CLIENT_ID.into(),
        authority: Some(issuer.into()),
        redirect_uri: "http://localhost:5555".into(),
        scopes: Some(scopes.iter().map(|s| (*s).to_owned()).collect()),
        client_type: ClientType::Desktop,
        protocol_mode: ProtocolMode::Oidc,
        ..RawConfig::default()
    })?)
}

#[tokio::test]
async fn the_desktop_client_signs_in_refreshes_and_reads_userinfo_at_oidc_provider() -> Result<()> {
    sign_in_refresh_and_userinfo(&[]).await
}

#[tokio::test]
async fn es256_id_tokens_sign_in_and_refresh_too() -> Result<()> {
    sign_in_refresh_and_userinfo(&["--es256"]).await
}

/// Discovery, the sign-in through the provider's pages, userinfo and two rotated refreshes,
/// with the provider started with `args`.
async fn sign_in_refresh_and_userinfo(args: &[&str]) -> Result<()> {
    let provider = OidcProvider::start(args)?;
    let http = reqwest::Client::new();
    let config = desktop_config(&provider.issuer, &["openid", "profile", "email"])?;
    let mut app = ClientApplication::new(TokenCache::new());

    // Sign In: discovery first, then the provider's login and consent pages.
    let resolved = app.resolved(&http, &config).await?;
    let (url, pending) = app.begin_interaction(&resolved, &[], Interaction::SignIn)?;
    assert!(
        url.as_str()
            .starts_with(&format!("{}/auth?", provider.issuer)),
        "{url}"
    );
    let redirect = oidc_provider::sign_in(&Browser::new(), url.as_str(), "alice").await?;
    let account = app
        .redeem(&http, &config, pending, &redirect, now())
        .await?;
    assert_eq!(account.username, "alice");
    assert_eq!(account.name.as_deref(), Some("Test User alice"));
    // MSAL's rule without client_info: the home account is the subject.
    assert_eq!(account.home_account_id, "alice");
    assert_eq!(
        account.environment,
        provider.issuer.trim_start_matches("http://")
    );
    provider.wait_count("grant authorization_code", 1).await?;

    // The access token reads the userinfo endpoint that discovery named.
    let token = app
        .acquire_token_silent(&http, &config, &[], None, now())
        .await?;
    let userinfo = resolved
        .authority()
        .metadata()?
        .userinfo_endpoint
        .ok_or("oidc-provider lists a userinfo_endpoint")?;
    let claims: serde_json::Value = http
        .get(&userinfo)
        .bearer_auth(token.access_token.secret())
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["email"], "alice@example.test");

    // A refused token is refreshed. oidc-provider rotates a public client's refresh token and
    // revokes the whole grant when a used one comes back, so the second refresh passes only
    // if the first one's new refresh token replaced the old one in the cache.
    let first = app
        .acquire_token_silent(
            &http,
            &config,
            &[],
            Some(token.access_token.secret()),
            now(),
        )
        .await?;
    assert_ne!(first.access_token.secret(), token.access_token.secret());
    let second = app
        .acquire_token_silent(
            &http,
            &config,
            &[],
            Some(first.access_token.secret()),
            now(),
        )
        .await?;
    assert_ne!(second.access_token.secret(), first.access_token.secret());
    provider.wait_count("grant refresh_token", 2).await?;
    assert_eq!(app.account().map(|a| a.username.as_str()), Some("alice"));
    Ok(())
}

#[tokio::test]
async fn an_issuer_that_differs_by_a_slash_is_refused_before_any_sign_in() -> Result<()> {
    let provider = OidcProvider::start(&[])?;
    let config = desktop_config(&format!("{}/", provider.issuer), &["openid"])?;
    let mut app = ClientApplication::new(TokenCache::new());
    let err = app
        .resolved(&reqwest::Client::new(), &config)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Response(ResponseError::IssuerMismatch { .. })),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&format!("`{}`", provider.issuer))
            && message.contains(&format!("`{}/`", provider.issuer)),
        "{message}"
    );

    // An issuer with a path the provider does not serve: its discovery URL answers 404.
    let config = desktop_config(&format!("{}/realms/demo", provider.issuer), &["openid"])?;
    let err = ClientApplication::new(TokenCache::new())
        .resolved(&reqwest::Client::new(), &config)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Response(ResponseError::DiscoveryUnavailable { status: 404, .. })
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("/realms/demo/.well-known/openid-configuration answered HTTP 404"),
        "{err}"
    );
    Ok(())
}
