//! auth-core's side of a sign-in against the emulator, without a window (HTTP through
//! auth-core's `reqwest` feature, as the shell's): a desktop-client sign-in that yields the
//! cache the shell would restore from its store.

use auth_core::authorize::{begin, AuthorizeOptions};
use auth_core::config::{ClientType, Config};
use auth_core::flow::{self, KeyCache};
use auth_core::token_cache::TokenCache;

use crate::emulator::{Browser, Emulator, CLIENT_ID, PASSWORD, WORK_USER};
use crate::Result;

/// The seed's desktop client ("mobile and desktop" platform) on `emu`'s `/common` authority,
/// redirecting to a loopback port.
pub fn desktop_config(emu: &Emulator) -> Result<Config> {
    Ok(Config::new(
        CLIENT_ID,
        &format!("{}/common", emu.url),
        "http://localhost:5555",
        ClientType::Desktop,
    )?)
}

/// The seed's work user signed in for User.Read as the desktop client (typed on the
/// emulator's page over HTTP): the resulting cache, and the one access token the emulator
/// issued into it.
pub async fn work_user(emu: &Emulator) -> Result<(TokenCache, String)> {
    let config = desktop_config(emu)?;
    let options = AuthorizeOptions {
        scopes: vec!["User.Read".into()],
        ..Default::default()
    };
    let (url, pending) = begin(&config, &options)?;
    let redirect = Browser::new()
        .sign_in(url.as_str(), WORK_USER, PASSWORD)
        .await?;
    let mut cache = TokenCache::new();
    let now = emu.state.now() as u64;
    flow::redeem_code(
        &reqwest::Client::new(),
        &config,
        &mut KeyCache::new(),
        &mut cache,
        pending,
        &redirect,
        now,
    )
    .await?;
    let store = emu.state.store();
    let tokens: Vec<&String> = store.access_tokens.values().flatten().collect();
    match tokens.as_slice() {
        [token] => Ok((cache, (*token).clone())),
        other => Err(format!(
            "expected one access token, the emulator issued {}",
            other.len()
        )
        .into()),
    }
}
