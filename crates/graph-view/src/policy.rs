//! The Graph policy both sides follow (feature `policy`): which call needs which scopes, the URL
//! of each call, and what each reply means. The shell and the page only perform the HTTP
//! request it builds and act on the [`Outcome`] it reads.
//!
//! - 429 and 503 are waited out and tried again, after `Retry-After`, or without one after an
//!   exponential backoff (1, 2, 4 s), as Graph's throttling guidance advises; at most
//!   [`MAX_RETRIES`] times and [`MAX_WAIT_SECS`] in all per call, then the user is told when to
//!   try again (<https://learn.microsoft.com/en-us/graph/throttling#best-practices-to-handle-throttling>).
//! - A 401 with a claims challenge asks for an interactive sign-in with those claims
//!   (<https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge>); a plain
//!   401 means the token was refused (revoked, or expired early by the server's clock).
//! - A 404 `MailboxNotEnabledForRESTAPI` or `ResourceNotFound` on the mail call means the
//!   account has no mailbox (<https://learn.microsoft.com/en-us/graph/errors>).
//!
//! The desktop page does not build this module: it shows what the shell sends.

use auth_core::challenge::claims_challenge;
use auth_core::seams::{HttpRequest, HttpResponse};
use auth_core::throttle::retry_after;
use auth_core::whatwg::Url;

use crate::{parse_error, MESSAGES_PATH, ME_PATH};

/// Tries of one call after a 429 or 503, beyond the first.
pub const MAX_RETRIES: u32 = 3;
/// The longest total wait within one call.
pub const MAX_WAIT_SECS: u64 = 30;

/// A Graph call the page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// See Profile: `GET /v1.0/me`.
    Profile,
    /// Read Mails: `GET /v1.0/me/messages`.
    Mails,
    /// See Profile at a generic OpenID provider: `GET` its userinfo endpoint, whose full URL
    /// is the endpoint given.
    UserInfo,
}

impl Call {
    /// The path and query of the call.
    pub fn path(self) -> &'static str {
        match self {
            Call::Profile => ME_PATH,
            Call::Mails => MESSAGES_PATH,
            Call::UserInfo => "",
        }
    }

    /// The scopes its token needs: Mail.Read is asked for only when mails are read.
    pub fn scopes(self) -> &'static [&'static str] {
        match self {
            Call::Profile => &["User.Read"],
            Call::Mails => &["User.Read", "Mail.Read"],
            // The configured sign-in scopes: whatever token the sign-in gave.
            Call::UserInfo => &[],
        }
    }

    /// The call's URL under `endpoint`, whose own path (a proxy's prefix) is kept.
    pub fn url(self, endpoint: &str) -> String {
        if self == Call::UserInfo {
            return endpoint.to_owned();
        }
        format!("{}{}", endpoint.trim_end_matches('/'), self.path())
    }

    /// The GET to send with `token`.
    pub fn request(self, endpoint: &str, token: &str) -> Result<HttpRequest, Failure> {
        // Sent as parsed: the WHATWG serialization, which the log reads too.
        let url = Url::parse(&self.url(endpoint)).map_err(|e| Failure {
            kind: FailureKind::Config,
            message: format!(
                "The Graph endpoint gives an unusable URL ({e}). Fix `graphEndpoint`."
            ),
            retry_after: None,
        })?;
        Ok(HttpRequest::get(url.as_str())
            .with_header("authorization", format!("Bearer {token}"))
            .with_header("accept", "application/json"))
    }
}

/// What a Graph reply means for the caller.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: the body.
    Data(Vec<u8>),
    /// Wait this many seconds, then send the same request again.
    RetryAfter(u64),
    /// Sign in interactively asking for these claims, then call again.
    ClaimsChallenge(String),
    /// The token was refused: get another one (a forced refresh), then call again.
    TokenRefused,
    /// Stop, and tell the user.
    Failed(Failure),
}

/// A failure the user is told about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What kind.
    pub kind: FailureKind,
    /// The message for the page.
    pub message: String,
    /// When throttled: try again after this many seconds.
    pub retry_after: Option<u64>,
}

/// The kinds of [`Failure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Graph is throttling and the call's retries are spent.
    Throttled,
    /// The account has no mailbox.
    NoMailbox,
    /// Graph refused the token again after a new one, or after a sign-in.
    TokenRefused,
    /// Graph could not be reached.
    Network,
    /// The Graph endpoint setting is unusable.
    Config,
    /// Any other answer of Graph's.
    Graph,
}

impl FailureKind {
    /// Every kind.
    pub const ALL: [FailureKind; 6] = [
        FailureKind::Throttled,
        FailureKind::NoMailbox,
        FailureKind::TokenRefused,
        FailureKind::Network,
        FailureKind::Config,
        FailureKind::Graph,
    ];

    /// The error code the page's banner gets.
    pub fn code(self) -> &'static str {
        match self {
            FailureKind::Throttled => "throttled",
            FailureKind::NoMailbox => "no_mailbox",
            FailureKind::TokenRefused => "interaction_required",
            FailureKind::Network => "network",
            FailureKind::Config => "config",
            FailureKind::Graph => "graph",
        }
    }
}

impl Failure {
    /// Graph could not be reached; `detail` says how (never with a URL or a token).
    pub fn network(detail: &str) -> Self {
        Failure {
            kind: FailureKind::Network,
            message: format!(
                "Microsoft Graph cannot be reached ({detail}). Check your connection and try again."
            ),
            retry_after: None,
        }
    }

    /// Graph refused a token that was just renewed, or obtained by a sign-in.
    pub fn token_refused() -> Self {
        Failure {
            kind: FailureKind::TokenRefused,
            message: "Microsoft Graph refused the sign-in token. Sign out and sign in again."
                .to_owned(),
            retry_after: None,
        }
    }

    /// A generic provider whose discovery document names no userinfo endpoint: no profile.
    pub fn no_userinfo() -> Self {
        Failure {
            kind: FailureKind::Graph,
            message: "The identity provider offers no userinfo endpoint, so there is no profile \
                      to show."
                .to_owned(),
            retry_after: None,
        }
    }

    /// The failure as said of `call`: a generic provider's userinfo endpoint is not Microsoft
    /// Graph, and the page says which one failed.
    pub fn of(mut self, call: Call) -> Self {
        if call == Call::UserInfo {
            if let Some(rest) = self.message.strip_prefix("Microsoft Graph ") {
                self.message = format!("The identity provider's userinfo endpoint {rest}");
            }
        }
        self
    }

    /// Graph's reply to a call could not be read.
    pub fn unreadable(e: crate::MalformedGraphReply) -> Self {
        Failure {
            kind: FailureKind::Graph,
            message: e.0,
            retry_after: None,
        }
    }
}

/// One call's tries: reads each reply, and keeps the retry limits.
#[derive(Debug, Default)]
pub struct Attempt {
    retries: u32,
    waited: u64,
}

impl Attempt {
    /// A new call.
    pub fn new() -> Self {
        Self::default()
    }

    /// What `response` means, at unix time `now`.
    pub fn read(&mut self, response: HttpResponse, now: u64) -> Outcome {
        let status = response.status;
        if response.is_success() {
            return Outcome::Data(response.body);
        }
        match status {
            401 => match claims_challenge(&response) {
                Some(claims) => Outcome::ClaimsChallenge(claims),
                None => Outcome::TokenRefused,
            },
            429 | 503 => {
                let backoff = 1u64 << self.retries.min(5);
                let wait = retry_after(&response, now).unwrap_or(backoff).max(1);
                if self.retries >= MAX_RETRIES || self.waited + wait > MAX_WAIT_SECS {
                    return Outcome::Failed(Failure {
                        kind: FailureKind::Throttled,
                        message: format!("Microsoft Graph is busy. Try again in {wait} s."),
                        retry_after: Some(wait),
                    });
                }
                self.retries += 1;
                self.waited += wait;
                Outcome::RetryAfter(wait)
            }
            _ => Outcome::Failed(failure(status, &response.body)),
        }
    }
}

/// Graph's error body `{"error": {"code", "message"}}` as what the user is told.
fn failure(status: u16, body: &[u8]) -> Failure {
    let detail = parse_error(body);
    let code = detail.code.unwrap_or_default();
    let message = detail.message.unwrap_or_default();
    let (kind, message) = match (status, code.as_str()) {
        (404, "MailboxNotEnabledForRESTAPI" | "ResourceNotFound") => (
            FailureKind::NoMailbox,
            "This account has no mailbox.".to_owned(),
        ),
        (_, "") => (
            FailureKind::Graph,
            format!("Microsoft Graph answered {status} with a body this app cannot read."),
        ),
        (403, _) => (
            FailureKind::Graph,
            format!(
                "Microsoft Graph refused access ({code}): the app lacks a permission. {message}"
            ),
        ),
        _ => (
            FailureKind::Graph,
            format!("Microsoft Graph answered {status} {code}: {message}"),
        ),
    };
    Failure {
        kind,
        message,
        retry_after: None,
    }
}

#[cfg(test)]
mod tests;
