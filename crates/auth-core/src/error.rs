//! Errors, split by who failed (the configuration, the server, the user, the network, the cache).
//!
//! Every variant's message says what to do next and never holds a token, a code or a verifier.

use std::fmt;

use thiserror::Error;

mod leaf;

pub use leaf::{CacheError, ConfigError, IdTokenError, CACHE_VERSION};

/// Everything that can go wrong in a sign-in or token acquisition.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration cannot be used; the message names the field.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The identity platform answered with an OAuth 2.0 error that no user action fixes.
    #[error(transparent)]
    Server(#[from] Box<ServerError>),
    /// The user must sign in interactively (again); a silent attempt cannot succeed.
    #[error("You need to sign in again ({reason}).")]
    InteractionRequired {
        /// Why interaction is needed.
        reason: InteractionReason,
        /// The server's error when the server asked for it.
        #[source]
        server: Option<Box<ServerError>>,
    },
    /// The user cancelled the sign-in (`access_denied`, or closed the window).
    #[error("The sign-in was cancelled. Select \"Sign in\" to try again.")]
    UserCancelled {
        /// The server's error when the cancel came from the identity platform.
        #[source]
        server: Option<Box<ServerError>>,
    },
    /// Another interactive sign-in is already running.
    #[error("A sign-in is already in progress. Finish or close it before starting another.")]
    InteractionInProgress,
    /// The redirect does not belong to the pending sign-in attempt (RFC 6749 §10.12).
    #[error("The sign-in response does not match this sign-in attempt (state mismatch). Start the sign-in again.")]
    StateMismatch,
    /// The request did not reach the server or no answer came back.
    #[error(transparent)]
    Network(#[from] NetworkError),
    /// The token cache could not be read or written.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// The same request failed recently with a throttling answer; it may be repeated at `retry_at`.
    #[error("The identity platform asked to wait before retrying: try again in {retry_after} s.")]
    Throttled {
        /// Unix seconds from which the request may be sent again.
        retry_at: u64,
        /// Seconds left to wait, counted from the `now` of the refused call.
        retry_after: u64,
    },
    /// The ID token failed validation.
    #[error(transparent)]
    IdToken(#[from] IdTokenError),
    /// A response could not be understood.
    #[error(transparent)]
    Response(#[from] ResponseError),
    /// The system's random number generator gave nothing, so no secret PKCE verifier, state or
    /// nonce could be made for a sign-in.
    #[error("The system's random number generator is unavailable ({0}), so sign-in cannot start safely. In a browser, use one with the Web Crypto API.")]
    Random(String),
}

impl From<ServerError> for Error {
    fn from(e: ServerError) -> Self {
        Error::Server(Box::new(e))
    }
}

/// An OAuth 2.0 error from the identity platform, as in Entra's error JSON or redirect
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes>).
#[derive(Debug, Clone, Default, PartialEq, Eq, Error)]
#[non_exhaustive]
pub struct ServerError {
    /// The HTTP status, when the error came in an HTTP response (not a redirect).
    pub status: Option<u16>,
    /// The OAuth 2.0 `error` code, e.g. `invalid_grant` (RFC 6749 §5.2).
    pub code: String,
    /// The first AADSTS number (`error_codes[0]`, or the `AADSTSnnnn:` prefix of the description).
    /// Unknown numbers are kept as they are.
    pub aadsts: Option<u32>,
    /// Every number in `error_codes`.
    pub error_codes: Vec<u32>,
    /// Entra's `suberror`, e.g. `bad_token` or `consent_required`.
    pub suberror: Option<String>,
    /// `error_description`, as sent.
    pub description: Option<String>,
    /// `correlation_id`, to quote to support.
    pub correlation_id: Option<String>,
    /// `trace_id`, to quote to support.
    pub trace_id: Option<String>,
    /// `timestamp`, as sent.
    pub timestamp: Option<String>,
    /// `error_uri`, as sent.
    pub error_uri: Option<String>,
}

impl ServerError {
    /// The description's first line: Entra appends trace, correlation id and timestamp after CRLF.
    pub fn summary(&self) -> Option<&str> {
        self.description
            .as_deref()
            .and_then(|d| d.lines().next())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The identity platform refused the request: {}",
            self.code
        )?;
        match (self.summary(), self.aadsts) {
            (Some(s), _) => write!(f, " ({s})")?,
            (None, Some(n)) => write!(f, " (AADSTS{n})")?,
            (None, None) => {}
        }
        if let Some(c) = &self.correlation_id {
            write!(f, ". Correlation ID: {c}")?;
        }
        if let Some(t) = &self.trace_id {
            write!(f, ", Trace ID: {t}")?;
        }
        f.write_str(". Look the code up in Microsoft's AADSTS error reference.")
    }
}

/// Why a silent acquisition cannot succeed without the user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InteractionReason {
    /// No signed-in account is known for the request.
    NoAccount,
    /// The account has no refresh token in the cache.
    NoRefreshToken,
    /// The cached refresh token has passed its own expiry (SPA refresh tokens live 24 h).
    RefreshTokenExpired,
    /// A resource asked for more claims (a CAE / conditional-access claims challenge); send them
    /// as the authorize request's `claims`.
    ClaimsChallenge {
        /// The decoded claims request JSON.
        claims: String,
    },
    /// `login_required`: there is no usable session.
    LoginRequired,
    /// `consent_required`: the user or an admin must consent to a scope.
    ConsentRequired,
    /// `interaction_required`: the server needs the user, e.g. for MFA.
    InteractionRequired,
    /// `invalid_grant` for an expired, revoked or already-used grant (AADSTS70008, 700082,
    /// 700084, 50173, 54005, …).
    GrantExpiredOrRevoked,
    /// A `suberror` that needs the user (`basic_action`, `additional_action`, `message_only`,
    /// `user_password_expired`, `bad_token`, …).
    Suberror(String),
}

impl fmt::Display for InteractionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoAccount => f.write_str("no account is signed in"),
            Self::NoRefreshToken => f.write_str("no refresh token is cached for this account"),
            Self::RefreshTokenExpired => f.write_str("the session has expired"),
            Self::ClaimsChallenge { .. } => f.write_str("the resource asked for additional claims"),
            Self::LoginRequired => f.write_str("the identity platform needs a fresh sign-in"),
            Self::ConsentRequired => f.write_str("consent to a permission is needed"),
            Self::InteractionRequired => {
                f.write_str("the identity platform needs you to complete a step")
            }
            Self::GrantExpiredOrRevoked => {
                f.write_str("the sign-in grant has expired or was revoked")
            }
            Self::Suberror(s) => write!(f, "the identity platform asked for `{s}`"),
        }
    }
}

/// A transport failure, reported by an [`HttpClient`](crate::seams::HttpClient).
#[derive(Debug, Error)]
#[error(
    "Could not reach the identity platform: {message}. Check the network connection and try again."
)]
pub struct NetworkError {
    /// What failed, without any secret.
    pub message: String,
    /// The underlying error, kept for logs.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl NetworkError {
    /// A transport failure described by a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// A transport failure with its cause.
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

/// A response (redirect, token, JWKS or discovery) that does not follow the protocol.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ResponseError {
    /// The redirect carried neither `code` nor `error` (RFC 6749 §4.1.2).
    #[error("The sign-in response has no authorization code. Start the sign-in again.")]
    MissingCode,
    /// The redirect carried no `state` (RFC 6749 §4.1.2).
    #[error("The sign-in response has no state parameter. Start the sign-in again.")]
    MissingState,
    /// The redirect URL could not be parsed.
    #[error("The sign-in response URL is malformed: {0}.")]
    BadRedirect(String),
    /// The body is not the JSON expected; `detail` names the position, never the content.
    #[error(
        "The {what} response from the identity platform (HTTP {status}) is malformed: {detail}."
    )]
    Malformed {
        /// Which response: `token`, `JWKS`, `discovery`.
        what: &'static str,
        /// HTTP status.
        status: u16,
        /// Where parsing failed.
        detail: String,
    },
    /// A required field is missing.
    #[error("The {what} response from the identity platform lacks `{field}`.")]
    MissingField {
        /// Which response.
        what: &'static str,
        /// The missing field.
        field: &'static str,
    },
    /// A discovery document names another issuer than the one asked for
    /// (OpenID Connect Discovery 1.0 §4.3).
    #[error("The discovery document's issuer `{found}` does not match the authority `{expected}`. Check the authority URL.")]
    IssuerMismatch {
        /// The issuer the authority implies.
        expected: String,
        /// The issuer in the document.
        found: String,
    },
    /// A generic provider's discovery document could not be fetched: the authority is not
    /// its issuer, or the provider is down.
    #[error("The OpenID provider's discovery document {url} answered HTTP {status}. Check `authority`: it must be the provider's issuer, exactly as the provider names it.")]
    DiscoveryUnavailable {
        /// The discovery document's URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The authorization response names another issuer than the provider the sign-in went to,
    /// or none where the provider always names itself (RFC 9207 §2.4).
    #[error("The sign-in answer came from `{found}`, not from `{expected}`, where the sign-in started, so it was not used. Start the sign-in again.")]
    ResponseIssuerMismatch {
        /// The provider's issuer.
        expected: String,
        /// The `iss` in the response, or "no issuer".
        found: String,
    },
    /// An OpenID provider's discovery document describes something this client cannot use
    /// safely: an endpoint off https, no PKCE S256, no ID token algorithm it verifies.
    #[error("The OpenID provider {issuer} cannot be used: {reason}.")]
    UnusableProvider {
        /// The provider's issuer.
        issuer: String,
        /// What is missing or refused, and where.
        reason: String,
    },
}

impl ResponseError {
    /// A JSON parse failure described by position only: serde messages may quote values, and
    /// values may be tokens.
    pub(crate) fn malformed(what: &'static str, status: u16, e: &serde_json::Error) -> Self {
        Self::Malformed {
            what,
            status,
            detail: format!(
                "{:?} error at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            ),
        }
    }
}

/// AADSTS numbers whose `invalid_grant` means the grant is gone and only a new sign-in helps
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes>):
/// 70008 expired/revoked grant, 700082 refresh token expired by inactivity, 700084 SPA refresh
/// token past its 24 h lifetime, 50173 grant revoked by a credential change, 54005 code already
/// redeemed.
const GRANT_GONE_CODES: [u32; 5] = [70008, 700082, 700084, 50173, 54005];

/// Error codes and suberrors that MSAL treats as "interaction required"
/// (msal-common `InteractionRequiredAuthError`: `InteractionRequiredServerErrorMessage`,
/// `InteractionRequiredAuthSubErrorMessage`).
const INTERACTION_SUBERRORS: [&str; 6] = [
    "message_only",
    "additional_action",
    "basic_action",
    "user_password_expired",
    "consent_required",
    "bad_token",
];

impl Error {
    /// Every name [`Error::kind`] gives, for callers that keep a list of codes (the page–shell
    /// contract).
    pub const KINDS: [&'static str; 12] = [
        "config",
        "server",
        "interaction_required",
        "user_cancelled",
        "interaction_in_progress",
        "state_mismatch",
        "network",
        "cache",
        "throttled",
        "id_token",
        "response",
        "random",
    ];

    /// A stable, serializable name of the error's family, for a UI or a Tauri command's error
    /// payload: `config`, `server`, `interaction_required`, `user_cancelled`,
    /// `interaction_in_progress`, `state_mismatch`, `network`, `cache`, `throttled`,
    /// `id_token`, `response` or `random`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Config(_) => "config",
            Error::Server(_) => "server",
            Error::InteractionRequired { .. } => "interaction_required",
            Error::UserCancelled { .. } => "user_cancelled",
            Error::InteractionInProgress => "interaction_in_progress",
            Error::StateMismatch => "state_mismatch",
            Error::Network(_) => "network",
            Error::Cache(_) => "cache",
            Error::Throttled { .. } => "throttled",
            Error::IdToken(_) => "id_token",
            Error::Response(_) => "response",
            Error::Random(_) => "random",
        }
    }

    /// Sorts a server error into the family a caller acts on: a user cancel, a need for
    /// interaction, or a plain server error.
    pub fn from_server(server: ServerError) -> Error {
        let reason = match server.code.as_str() {
            // RFC 6749 §4.1.2.1: the resource owner denied the request.
            "access_denied" => {
                return Error::UserCancelled {
                    server: Some(Box::new(server)),
                }
            }
            // OIDC Core §3.1.2.6.
            "login_required" => Some(InteractionReason::LoginRequired),
            "consent_required" => Some(InteractionReason::ConsentRequired),
            "interaction_required" => Some(InteractionReason::InteractionRequired),
            _ => None,
        };
        let reason = reason.or_else(|| {
            let sub = server
                .suberror
                .as_deref()
                .filter(|s| INTERACTION_SUBERRORS.contains(s));
            match sub {
                Some("consent_required") => Some(InteractionReason::ConsentRequired),
                Some(s) => Some(InteractionReason::Suberror(s.to_owned())),
                None if server.code == "invalid_grant"
                    && server.aadsts.is_some_and(|n| GRANT_GONE_CODES.contains(&n)) =>
                {
                    Some(InteractionReason::GrantExpiredOrRevoked)
                }
                None => None,
            }
        });
        match reason {
            Some(reason) => Error::InteractionRequired {
                reason,
                server: Some(Box::new(server)),
            },
            None => Error::Server(Box::new(server)),
        }
    }
}

/// The AADSTS number at the start of an Entra description (`AADSTS50058: …`).
pub(crate) fn aadsts_from_description(description: &str) -> Option<u32> {
    let rest = description.trim_start().strip_prefix("AADSTS")?;
    let digits: &str = &rest[..rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len())];
    digits.parse().ok()
}

#[cfg(test)]
mod tests;
