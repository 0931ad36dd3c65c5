//! Token requests: the authorization_code and refresh_token grants, as [`HttpRequest`]s.
//!
//! RFC 6749 §4.1.3 and §6, RFC 7636 §4.5 (`code_verifier`), and Entra's fields in
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token>
//! and `#refresh-the-access-token`.

use form_urlencoded::Serializer;
use serde::{Deserialize, Serialize};

use crate::config::{ClientType, Config, ProtocolMode};
use crate::error::Error;
use crate::redirect_response::CodeGrant;
use crate::scopes::with_oidc_scopes;
use crate::seams::HttpRequest;
use crate::secret::RefreshToken;

/// The header MSAL uses to correlate a request with the server's logs.
pub const CLIENT_REQUEST_ID: &str = "client-request-id";
/// Asks the server to echo [`CLIENT_REQUEST_ID`] back.
const RETURN_CLIENT_REQUEST_ID: &str = "return-client-request-id";

/// A refresh-token grant to send: what [`decide`](crate::silent::decide) returns when the
/// cache cannot answer but a refresh token can.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshRequest {
    /// The account's home id (`uid.utid`).
    pub home_account_id: String,
    /// The cache environment (authority host).
    pub environment: String,
    /// The tenant the token is for.
    pub realm: String,
    /// The client id.
    pub client_id: String,
    /// The refresh token to redeem.
    pub refresh_token: RefreshToken,
    /// The scopes asked for (without the OpenID ones, which the request adds).
    pub scopes: Vec<String>,
    /// A claims request to send along, if any.
    pub claims: Option<String>,
    /// `client-request-id`.
    pub correlation_id: String,
}

/// The token request redeeming an authorization code (RFC 6749 §4.1.3).
///
/// SPA clients send `Origin` (the redirect URI's origin), as a browser would on a cross-origin
/// fetch; desktop clients must not (Entra answers AADSTS9002326/9002327 otherwise).
pub fn authorization_code_request(
    config: &Config,
    grant: &CodeGrant,
) -> Result<HttpRequest, Error> {
    let mut form = Serializer::new(String::new());
    form.append_pair("client_id", config.client_id())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", grant.code.secret())
        .append_pair("redirect_uri", &grant.redirect_uri)
        .append_pair("code_verifier", grant.verifier.secret());
    // Entra's extensions. RFC 6749 §4.1.3 has no `scope` here: the code carries its grant.
    if config.protocol_mode() == ProtocolMode::Aad {
        form.append_pair("scope", &grant.scopes.join(" "))
            .append_pair("client_info", "1");
    }
    build(config, form.finish(), &grant.correlation_id)
}

/// The token request redeeming a refresh token (RFC 6749 §6). The refresh token is the
/// account's, not the scopes': any scope consented to may be asked for.
pub fn refresh_token_request(
    config: &Config,
    refresh: &RefreshRequest,
) -> Result<HttpRequest, Error> {
    let mut form = Serializer::new(String::new());
    form.append_pair("client_id", config.client_id())
        .append_pair("grant_type", "refresh_token")
        .append_pair("refresh_token", refresh.refresh_token.secret());
    // Entra takes any consented scope here. RFC 6749 §6 makes `scope` optional, meaning the
    // original grant, and a generic provider refuses a scope the grant does not hold
    // (oidc-provider answers invalid_scope for an `offline_access` its consent left out).
    if config.protocol_mode() == ProtocolMode::Aad {
        form.append_pair("scope", &with_oidc_scopes(&refresh.scopes).join(" "))
            .append_pair("client_info", "1");
    }
    if let Some(c) = &refresh.claims {
        form.append_pair("claims", c);
    }
    build(config, form.finish(), &refresh.correlation_id)
}

fn build(config: &Config, body: String, correlation_id: &str) -> Result<HttpRequest, Error> {
    let endpoint = config.authority().metadata()?.token_endpoint;
    // Sent as parsed: the WHATWG serialization, which the log's `called` reads too.
    let url = crate::whatwg::Url::parse(&endpoint).map_err(|e| {
        Error::Config(crate::config::ConfigError::Invalid {
            field: "authority",
            reason: format!("the token endpoint `{endpoint}` cannot be requested ({e})"),
        })
    })?;
    let mut req = HttpRequest::post(url.as_str(), body)
        .with_header(
            "content-type",
            "application/x-www-form-urlencoded;charset=utf-8",
        )
        .with_header("accept", "application/json");
    // MSAL's correlation headers are Entra's; elsewhere a custom header only makes the
    // browser's cross-origin request need a preflight, which a provider may refuse.
    if config.protocol_mode() == ProtocolMode::Aad {
        req = req
            .with_header(CLIENT_REQUEST_ID, correlation_id)
            .with_header(RETURN_CLIENT_REQUEST_ID, "true");
    }
    if config.client_type() == ClientType::Spa {
        req = req.with_header(
            "origin",
            config.redirect_url().origin().ascii_serialization(),
        );
    }
    Ok(req)
}

#[cfg(test)]
mod tests;
