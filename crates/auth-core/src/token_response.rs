//! Token responses: Entra's success fields and its error JSON.
//!
//! RFC 6749 §5.1 / §5.2, with Entra's additions described in
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2>
//! and its error format in
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-response-1>.

use serde::Deserialize;

use crate::error::{aadsts_from_description, Error, ResponseError, ServerError};
use crate::seams::HttpResponse;
use crate::secret::{AccessToken, IdTokenSecret, RefreshToken};

/// A successful token response, with lifetimes turned into absolute unix seconds.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TokenResponse {
    /// `token_type`, normally `Bearer`.
    pub token_type: String,
    /// `scope`: the scopes granted, space-split (may differ from those asked).
    pub scopes: Vec<String>,
    /// `access_token`.
    pub access_token: AccessToken,
    /// `refresh_token` (sent when `offline_access` was asked).
    pub refresh_token: Option<RefreshToken>,
    /// `id_token` (sent when `openid` was asked).
    pub id_token: Option<IdTokenSecret>,
    /// `client_info` (sent when `client_info=1`): base64url `{uid, utid}`.
    pub client_info: Option<String>,
    /// When the access token expires: `now + expires_in`.
    pub expires_on: u64,
    /// `now + ext_expires_in` (Entra's outage resilience window), or `expires_on`.
    pub extended_expires_on: u64,
    /// `now + refresh_token_expires_in` (SPA refresh tokens), if sent.
    pub refresh_token_expires_on: Option<u64>,
}

/// Entra sends lifetimes as numbers; older endpoints sent strings.
enum Seconds {
    Number(u64),
    Text(String),
}

/// Either form, read directly: serde's untagged enums buffer the value first, and that
/// machinery is 3 KB of the browser page's wasm.
impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl serde::de::Visitor<'_> for Either {
            type Value = Seconds;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number of seconds, or one as a string")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Seconds, E> {
                Ok(Seconds::Number(n))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Seconds, E> {
                Ok(Seconds::Text(s.to_owned()))
            }
        }
        deserializer.deserialize_any(Either)
    }
}

impl Seconds {
    fn get(&self) -> Option<u64> {
        match self {
            Seconds::Number(n) => Some(*n),
            Seconds::Text(s) => s.trim().parse().ok(),
        }
    }
}

#[derive(Deserialize)]
struct RawSuccess {
    token_type: Option<String>,
    scope: Option<String>,
    expires_in: Option<Seconds>,
    ext_expires_in: Option<Seconds>,
    refresh_token_expires_in: Option<Seconds>,
    access_token: Option<AccessToken>,
    refresh_token: Option<RefreshToken>,
    id_token: Option<IdTokenSecret>,
    client_info: Option<String>,
}

#[derive(Deserialize)]
struct RawError {
    error: String,
    error_description: Option<String>,
    #[serde(default)]
    error_codes: Vec<u32>,
    suberror: Option<String>,
    timestamp: Option<String>,
    trace_id: Option<String>,
    correlation_id: Option<String>,
    error_uri: Option<String>,
}

/// Entra's default access-token lifetime when `expires_in` is absent (60–90 min; take the low end).
const DEFAULT_EXPIRES_IN: u64 = 3600;

/// Parses a token endpoint response. Errors become [`Error::UserCancelled`],
/// [`Error::InteractionRequired`] or [`Error::Server`] through [`Error::from_server`].
pub fn parse_token_response(response: &HttpResponse, now: u64) -> Result<TokenResponse, Error> {
    let status = response.status;
    if !response.is_success() {
        return Err(Error::from_server(server_error(status, &response.body)));
    }
    let raw: RawSuccess = serde_json::from_slice(&response.body)
        .map_err(|e| ResponseError::malformed("token", status, &e))?;
    let access_token = raw.access_token.ok_or(ResponseError::MissingField {
        what: "token",
        field: "access_token",
    })?;
    let expires_in = raw
        .expires_in
        .as_ref()
        .and_then(Seconds::get)
        .unwrap_or(DEFAULT_EXPIRES_IN);
    let expires_on = now.saturating_add(expires_in);
    Ok(TokenResponse {
        token_type: raw.token_type.unwrap_or_else(|| "Bearer".to_owned()),
        scopes: raw
            .scope
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        access_token,
        refresh_token: raw.refresh_token,
        id_token: raw.id_token,
        client_info: raw.client_info,
        expires_on,
        extended_expires_on: raw
            .ext_expires_in
            .as_ref()
            .and_then(Seconds::get)
            .map_or(expires_on, |s| now.saturating_add(s)),
        refresh_token_expires_on: raw
            .refresh_token_expires_in
            .as_ref()
            .and_then(Seconds::get)
            .map(|s| now.saturating_add(s)),
    })
}

/// Reads Entra's error JSON; a body that is not one (an HTML 502 page, say) still gives an
/// error carrying the status.
pub fn server_error(status: u16, body: &[u8]) -> ServerError {
    match serde_json::from_slice::<RawError>(body) {
        Ok(raw) => ServerError {
            status: Some(status),
            aadsts: raw.error_codes.first().copied().or_else(|| {
                raw.error_description
                    .as_deref()
                    .and_then(aadsts_from_description)
            }),
            code: raw.error,
            error_codes: raw.error_codes,
            suberror: raw.suberror.filter(|s| !s.is_empty()),
            description: raw.error_description,
            correlation_id: raw.correlation_id,
            trace_id: raw.trace_id,
            timestamp: raw.timestamp,
            error_uri: raw.error_uri,
        },
        Err(_) => ServerError {
            status: Some(status),
            code: format!("http_{status}"),
            ..ServerError::default()
        },
    }
}

#[cfg(test)]
mod tests;
