//! The authorization request: PKCE, state, nonce and the authorize URL.
//!
//! Parameters follow
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code>,
//! RFC 6749 §4.1.1, RFC 7636 §4.3 (PKCE S256) and OpenID Connect Core 1.0 §3.1.2.1 (nonce).

use crate::whatwg::Url;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use oauth2::{PkceCodeChallenge, PkceCodeVerifier};
use serde::{Deserialize, Serialize};

use crate::config::{Config, ProtocolMode};
use crate::placeholder::check_not_placeholder;
use crate::scopes::{oidc_sign_in_scopes, with_oidc_scopes};
use crate::secret::PkceVerifier;

/// How the identity platform returns the result to the redirect URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    /// In the redirect URI's query string (the desktop default).
    Query,
    /// In the fragment, never sent to a server (the SPA default, as in msal-browser).
    Fragment,
    /// As an HTML form POSTed to the redirect URI (OAuth 2.0 Form Post Response Mode).
    FormPost,
}

impl ResponseMode {
    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseMode::Query => "query",
            ResponseMode::Fragment => "fragment",
            ResponseMode::FormPost => "form_post",
        }
    }
}

/// The `prompt` parameter (OpenID Connect Core 1.0 §3.1.2.1; Entra supports these four).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prompt {
    /// Force credentials even with a session.
    Login,
    /// No UI: fail with `login_required` / `consent_required` / `interaction_required` instead.
    None,
    /// Show the consent page.
    Consent,
    /// Show the account picker.
    SelectAccount,
}

impl Prompt {
    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            Prompt::Login => "login",
            Prompt::None => "none",
            Prompt::Consent => "consent",
            Prompt::SelectAccount => "select_account",
        }
    }
}

/// Optional parts of one authorization request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizeOptions {
    /// Scopes to ask for; empty means the configuration's. `openid profile offline_access` are
    /// always added.
    pub scopes: Vec<String>,
    /// The response mode; `None` picks fragment for SPAs and query for desktop clients.
    pub response_mode: Option<ResponseMode>,
    /// `prompt`.
    pub prompt: Option<Prompt>,
    /// `login_hint`: the user's username, to prefill or pick the account.
    pub login_hint: Option<String>,
    /// `domain_hint`: `consumers`, `organizations` or a tenant domain.
    pub domain_hint: Option<String>,
    /// `claims`: a claims request JSON, e.g. from a claims challenge.
    pub claims: Option<String>,
    /// `client-request-id`; `None` makes a new one.
    pub correlation_id: Option<String>,
}

/// One authorization attempt: what the redirect and the code redemption need to match it.
///
/// Serializable because the browser keeps it in sessionStorage across the redirect. Consumed
/// (by value) when the redirect is accepted, so it is used once.
#[derive(Debug, Serialize, Deserialize)]
pub struct PendingAuthorization {
    pub(crate) state: String,
    pub(crate) nonce: String,
    pub(crate) verifier: PkceVerifier,
    pub(crate) redirect_uri: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) response_mode: ResponseMode,
    pub(crate) client_id: String,
    pub(crate) authority: String,
    pub(crate) correlation_id: String,
    /// A generic provider's issuer, which an `iss` in the response must equal (RFC 9207 §2.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) issuer: Option<String>,
    /// Whether the response must carry `iss`: the provider says it always sends one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) issuer_required: bool,
}

impl PendingAuthorization {
    /// The `state` sent (not secret, but single-use).
    pub fn state(&self) -> &str {
        &self.state
    }
    /// The `nonce` the ID token must carry.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }
    /// The redirect URI sent.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }
    /// The scopes asked for, OpenID scopes included.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
    /// The response mode asked for.
    pub fn response_mode(&self) -> ResponseMode {
        self.response_mode
    }
    /// The `client-request-id` sent.
    pub fn correlation_id(&self) -> &str {
        &self.correlation_id
    }
}

/// Starts an authorization: returns the authorize URL to open and the attempt to keep.
///
/// ```
/// # use auth_core::{config::{Config, ClientType}, authorize::{begin, AuthorizeOptions}};
/// let config = Config::new("client-id", "http://localhost:4123/common",
///     "http://localhost:1420", ClientType::Desktop)?;
/// let (url, pending) = begin(&config, &AuthorizeOptions::default())?;
/// assert!(url.as_str().starts_with("http://localhost:4123/common/oauth2/v2.0/authorize?"));
/// assert!(pending.scopes().iter().any(|s| s == "offline_access"));
/// # Ok::<(), auth_core::Error>(())
/// ```
pub fn begin(
    config: &Config,
    options: &AuthorizeOptions,
) -> Result<(Url, PendingAuthorization), crate::Error> {
    if let Some(c) = &options.claims {
        check_not_placeholder("claims", c)?;
    }
    let asked = if options.scopes.is_empty() {
        config.scopes()
    } else {
        &options.scopes
    };
    let mode = config.protocol_mode();
    let metadata = config.authority().metadata()?;
    let scopes = match mode {
        ProtocolMode::Aad => with_oidc_scopes(asked),
        ProtocolMode::Oidc => oidc_sign_in_scopes(asked, &metadata),
    };
    // RFC 7636 §4.1–4.2: a high-entropy verifier (32 random octets, base64url: 43 characters,
    // as oauth2-rs's `new_random_sha256` makes it) and its S256 challenge.
    let verifier = PkceCodeVerifier::new(random_base64url::<32>()?);
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
    // RFC 6749 §10.12 (state against CSRF) and OIDC Core §15.5.2 (nonce against replay): 16
    // random octets each, as oauth2-rs's `CsrfToken::new_random`.
    let state = random_base64url::<16>()?;
    let nonce = random_base64url::<16>()?;
    let correlation_id = options
        .correlation_id
        .clone()
        .unwrap_or_else(new_correlation_id);
    let response_mode = options.response_mode.unwrap_or(match config.client_type() {
        crate::config::ClientType::Spa => ResponseMode::Fragment,
        crate::config::ClientType::Desktop => ResponseMode::Query,
    });
    let mut url = crate::authority::parse_url("authority", &metadata.authorization_endpoint)?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("client_id", config.client_id())
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", config.redirect_uri())
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", challenge.as_str())
            .append_pair("code_challenge_method", challenge.method().as_str());
        if mode == ProtocolMode::Aad {
            // Entra: client_info=1 returns `client_info` ({uid, utid}) for the home account id.
            q.append_pair("client_info", "1");
        }
        q.append_pair("response_mode", response_mode.as_str());
        if let Some(p) = prompt_value(mode, options.prompt, &scopes) {
            q.append_pair("prompt", &p);
        }
        if let Some(h) = &options.login_hint {
            q.append_pair("login_hint", h);
        }
        if let Some(h) = &options.domain_hint {
            q.append_pair("domain_hint", h);
        }
        if let Some(c) = &options.claims {
            q.append_pair("claims", c);
        }
        if mode == ProtocolMode::Aad {
            q.append_pair("client-request-id", &correlation_id);
        }
    }
    let pending = PendingAuthorization {
        state,
        nonce,
        verifier: PkceVerifier::new(verifier.into_secret()),
        redirect_uri: config.redirect_uri().to_owned(),
        scopes,
        response_mode,
        client_id: config.client_id().to_owned(),
        authority: config.authority().url(),
        correlation_id,
        // Entra sends no `iss` here; a generic provider's is checked when sent (mix-up defense).
        issuer: (mode == ProtocolMode::Oidc).then(|| metadata.issuer.clone()),
        issuer_required: mode == ProtocolMode::Oidc
            && metadata.authorization_response_iss_parameter_supported,
    };
    Ok((url, pending))
}

/// The `prompt` to send. Entra takes the four values as they are. A generic provider need
/// not offer an account picker (OpenID Connect Core 1.0 §3.1.2.1 lists `select_account` as
/// optional, and oidc-provider refuses it), so Sign In asks for `login`, which shows its sign-in
/// page whatever session it holds. And §11 wants `consent` whenever `offline_access` is asked,
/// unless the provider has other grounds to issue a refresh token.
fn prompt_value(mode: ProtocolMode, prompt: Option<Prompt>, scopes: &[String]) -> Option<String> {
    if mode == ProtocolMode::Aad {
        return prompt.map(|p| p.as_str().to_owned());
    }
    let mut values: Vec<&str> = Vec::new();
    match prompt {
        Some(Prompt::None) => return Some(Prompt::None.as_str().to_owned()),
        Some(Prompt::Login | Prompt::SelectAccount) => values.push(Prompt::Login.as_str()),
        Some(Prompt::Consent) | None => {}
    }
    if prompt == Some(Prompt::Consent) || scopes.iter().any(|s| s == "offline_access") {
        values.push(Prompt::Consent.as_str());
    }
    (!values.is_empty()).then(|| values.join(" "))
}

/// The end-session URL: signs the user out at the identity platform after the local cache was
/// cleared (OpenID Connect RP-Initiated Logout 1.0 §2;
/// <https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#send-a-sign-out-request>).
/// `logout_hint` is [`Account::logout_hint`](crate::account::Account::logout_hint).
pub fn logout_url(config: &Config, logout_hint: Option<&str>) -> Result<Url, crate::Error> {
    let metadata = config.authority().metadata()?;
    let endpoint =
        metadata
            .end_session_endpoint
            .ok_or(crate::error::ResponseError::MissingField {
                what: "discovery",
                field: "end_session_endpoint",
            })?;
    let mut url = crate::authority::parse_url("authority", &endpoint)?;
    {
        let mut q = url.query_pairs_mut();
        if config.protocol_mode() == ProtocolMode::Oidc {
            // RP-Initiated Logout 1.0 §2: `client_id` lets the provider check the return URI
            // without `id_token_hint`, which this client never puts in a URL: the window that
            // opens it is a webview, and tokens stay out of webviews.
            q.append_pair("client_id", config.client_id());
        }
        if let Some(uri) = config.post_logout_redirect_uri() {
            q.append_pair("post_logout_redirect_uri", uri.as_str());
        }
        if let Some(hint) = logout_hint {
            q.append_pair("logout_hint", hint);
        }
        if config.protocol_mode() == ProtocolMode::Aad {
            q.append_pair("client-request-id", &new_correlation_id());
        }
    }
    Ok(url)
}

/// `N` octets from the operating system's CSPRNG (getrandom: the `getrandom` system call
/// natively, `crypto.getRandomValues` in a browser), base64url without padding.
///
/// getrandom directly rather than oauth2-rs's `new_random` helpers: those go through rand's
/// thread-local ChaCha generator, seeded from the same source, which is 7 KB of the browser
/// page's wasm, and they panic where this returns [`Error::Random`](crate::Error::Random).
fn random_base64url<const N: usize>() -> Result<String, crate::Error> {
    let mut octets = [0u8; N];
    getrandom::getrandom(&mut octets).map_err(|e| crate::Error::Random(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(octets))
}

/// A new `client-request-id`: a random (version 4) UUID, as MSAL sends.
///
/// The id only lets a request be found in the server's logs. Where the system has no random
/// source, the one place an id could not be made, it is the version 4 UUID of zero octets: sign-in
/// itself fails there ([`begin`] needs random state), and a token request is still sent.
pub fn new_correlation_id() -> String {
    let mut octets = [0u8; 16];
    let _ = getrandom::getrandom(&mut octets);
    uuid::Builder::from_random_bytes(octets)
        .into_uuid()
        .hyphenated()
        .to_string()
}

#[cfg(test)]
mod tests;
