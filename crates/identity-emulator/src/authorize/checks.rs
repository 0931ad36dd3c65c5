//! The authorize request's checks, one small function each, as node-oidc-provider's
//! `actions/authorization/check_*.js`.

use url::Url;

use crate::error::OAuthError;
use crate::params::Params;
use crate::seed::{Client, RedirectKind, User, CONSUMERS_TENANT};
use crate::state::{EmulatorState, Prompt};

/// `login_hint` is a username, or the opaque `login_hint` claim of an ID token, which this
/// emulator makes as base64url JSON holding the `upn`.
/// <https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference#payload-claims>
pub fn resolve_login_hint(hint: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(hint)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|claim| claim["upn"].as_str().map(str::to_owned))
        .unwrap_or_else(|| hint.to_owned())
}

/// `{tenant}`: common, organizations, consumers, a tenant id or a verified domain (AADSTS90002).
pub fn check_tenant(state: &EmulatorState, tenant: &str) -> Result<(), OAuthError> {
    let alias = ["common", "organizations", "consumers"]
        .iter()
        .any(|a| a.eq_ignore_ascii_case(tenant));
    if alias || state.seed.tenant(tenant).is_some() {
        Ok(())
    } else {
        Err(OAuthError::new(
            "invalid_request",
            90002,
            format!("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."),
        ))
    }
}

/// Redirect URIs match exactly, except that for `http://localhost` and `http://127.0.0.1` the port
/// is ignored (RFC 8252 §7.3), while the path must still match.
/// <https://learn.microsoft.com/en-us/entra/identity-platform/reply-url#localhost-exceptions>
pub fn check_redirect_uri(client: &Client, redirect_uri: &str) -> Result<RedirectKind, OAuthError> {
    let mismatch = || OAuthError::redirect_mismatch(redirect_uri, &client.client_id);
    let asked = Url::parse(redirect_uri).map_err(|_| mismatch())?;
    let registered: Vec<(Url, RedirectKind)> = client
        .redirect_uris
        .iter()
        .filter_map(|r| Url::parse(&r.uri).ok().map(|u| (u, r.kind)))
        .collect();
    if let Some((_, kind)) = registered.iter().find(|(u, _)| *u == asked) {
        return Ok(*kind);
    }
    let loopback =
        |u: &Url| u.scheme() == "http" && matches!(u.host_str(), Some("localhost" | "127.0.0.1"));
    if !loopback(&asked) {
        return Err(mismatch());
    }
    let same_but_port = |u: &Url| {
        loopback(u)
            && u.host_str() == asked.host_str()
            && u.path() == asked.path()
            && u.query() == asked.query()
    };
    // A registration without a port ("any port") wins over one with another port.
    registered
        .iter()
        .filter(|(u, _)| same_but_port(u))
        .min_by_key(|(u, _)| u.port().is_some())
        .map(|(_, kind)| *kind)
        .ok_or_else(mismatch)
}

/// PKCE (RFC 7636 §4.3): S256, or plain (allowed, but logged). SPA clients must use it
/// (AADSTS9002325).
pub fn check_pkce(
    params: &Params,
    kind: RedirectKind,
) -> Result<Option<(String, String)>, OAuthError> {
    let Some(challenge) = params.get("code_challenge") else {
        if kind == RedirectKind::Spa {
            return Err(OAuthError::new(
                "invalid_request",
                9002325,
                "Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
            ));
        }
        return Ok(None);
    };
    let method = params.get("code_challenge_method").unwrap_or("plain");
    match method {
        "S256" => {}
        "plain" => tracing::warn!("a client used PKCE method 'plain'; use S256"),
        other => {
            return Err(OAuthError::new(
                "invalid_request",
                50148,
                format!("The code_challenge_method '{other}' is not supported. Use S256."),
            ))
        }
    }
    Ok(Some((challenge.to_owned(), method.to_owned())))
}

/// `prompt`: login, none, consent or select_account (AADSTS90023 otherwise).
pub fn check_prompt(params: &Params) -> Result<Option<Prompt>, OAuthError> {
    Ok(match params.get("prompt") {
        None => None,
        Some("login") => Some(Prompt::Login),
        Some("none") => Some(Prompt::None),
        Some("consent") => Some(Prompt::Consent),
        Some("select_account") => Some(Prompt::SelectAccount),
        Some(other) => {
            return Err(OAuthError::new(
                "invalid_request",
                90023,
                format!("Invalid prompt value '{other}'."),
            ))
        }
    })
}

/// Whether `user` may sign in through `tenant` (AADSTS50020 otherwise).
pub fn tenant_allows(state: &EmulatorState, tenant: &str, user: &User) -> bool {
    let consumer = user.tenant == CONSUMERS_TENANT;
    match tenant.to_ascii_lowercase().as_str() {
        "common" => true,
        "organizations" => !consumer,
        "consumers" => consumer,
        _ => state
            .seed
            .tenant(tenant)
            .is_some_and(|t| t.id == user.tenant),
    }
}
