//! A generic provider on loopback for the unit tests: its configuration and its discovery
//! document, as oidc-provider serves them.

use serde_json::{json, Value};

use crate::config::{Config, ProtocolMode, RawConfig};

/// The provider's issuer.
pub(crate) const ISSUER: &str = "http://127.0.0.1:9000";

/// An OIDC-mode configuration for `client_id` at [`ISSUER`], not yet discovered; the other
/// fields are the defaults, to override with `..`.
pub(crate) fn raw(client_id: &str, redirect_uri: &str) -> RawConfig {
    RawConfig {
        client_id: client_id.into(),
        authority: Some(ISSUER.into()),
        redirect_uri: redirect_uri.into(),
        protocol_mode: ProtocolMode::Oidc,
        ..RawConfig::default()
    }
}

/// The provider's discovery document: its endpoints and PKCE S256, with `changes` applied.
pub(crate) fn document(changes: Value) -> Vec<u8> {
    let mut doc = json!({
        "issuer": ISSUER,
        "authorization_endpoint": format!("{ISSUER}/auth"),
        "token_endpoint": format!("{ISSUER}/token"),
        "jwks_uri": format!("{ISSUER}/jwks"),
        "code_challenge_methods_supported": ["S256"]
    });
    for (k, v) in changes.as_object().expect("an object of changes") {
        doc[k] = v.clone();
    }
    doc.to_string().into_bytes()
}

/// `raw` validated, with [`document`]`(changes)` adopted.
pub(crate) fn discovered(raw: RawConfig, changes: Value) -> Config {
    let config = Config::from_raw(raw).unwrap();
    let authority = config
        .authority()
        .clone()
        .with_oidc_discovery(&document(changes))
        .unwrap();
    config.with_authority(authority)
}
