//! Graph requests and the reading of Graph's answers in the browser mode. Pure.
//!
//! - 401 with a `WWW-Authenticate` claims challenge: sign in again with those claims
//!   (<https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge>);
//! - 429 / 503: throttled, `Retry-After` honoured (<https://learn.microsoft.com/en-us/graph/throttling>);
//! - 404 `MailboxNotEnabledForRESTAPI`: the account has no mailbox.

use auth_core::challenge::claims_challenge;
use auth_core::throttle::retry_after;

use crate::error::AppError;
use crate::graph::parse_error;

pub use graph_view::{MESSAGES_PATH, ME_PATH};

/// Without a `Retry-After`, wait this long after a 429.
const DEFAULT_RETRY_SECONDS: u64 = 30;

/// What to do with a Graph answer.
#[derive(Debug, PartialEq, Eq)]
pub enum GraphReply {
    /// 2xx: the body.
    Ok(Vec<u8>),
    /// 401 with a claims challenge: sign in again asking for these claims.
    ClaimsChallenge(String),
    /// 401 without one: the token was refused (revoked, expired early).
    Unauthorized(AppError),
    /// Any other failure, ready for the banner.
    Failed(AppError),
}

/// `{graphEndpoint}{path}`, with exactly one slash between.
pub fn url(endpoint: &str, path: &str) -> String {
    format!("{}{}", endpoint.trim_end_matches('/'), path)
}

/// A GET with the bearer token.
pub fn request(url: &str, token: &str) -> Result<http::Request<Vec<u8>>, AppError> {
    http::Request::get(url)
        .header(http::header::AUTHORIZATION, format!("Bearer {token}"))
        .header(http::header::ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|e| {
            AppError::new(
                "config",
                format!("`graphEndpoint` gives an unusable URL ({e}). Fix config.json and reload."),
            )
        })
}

/// Sorts a Graph answer.
pub fn classify(response: http::Response<Vec<u8>>, now: u64) -> GraphReply {
    let status = response.status().as_u16();
    if response.status().is_success() {
        return GraphReply::Ok(response.into_body());
    }
    let detail = parse_error(response.body());
    let graph_message = detail
        .message
        .as_deref()
        .map(|m| format!(" Graph said: {m}"))
        .unwrap_or_default();
    match status {
        401 => match claims_challenge(response.headers()) {
            Some(claims) => GraphReply::ClaimsChallenge(claims),
            None => GraphReply::Unauthorized(AppError::new(
                "interaction_required",
                format!("Microsoft Graph refused the sign-in (HTTP 401).{graph_message} Sign out and sign in again."),
            )),
        },
        429 | 503 => {
            let wait = retry_after(response.headers(), now).unwrap_or(DEFAULT_RETRY_SECONDS);
            GraphReply::Failed(AppError {
                code: "throttled".to_owned(),
                message: format!(
                    "Microsoft Graph is receiving too many requests (HTTP {status}) and asked the app to wait."
                ),
                retry_after: Some(wait),
            })
        }
        404 if detail.code.as_deref() == Some("MailboxNotEnabledForRESTAPI") => {
            GraphReply::Failed(AppError::new("no_mailbox", "This account has no mailbox."))
        }
        _ => {
            let code = detail
                .code
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            GraphReply::Failed(AppError::new(
                "graph",
                format!("Microsoft Graph answered HTTP {status}{code}.{graph_message} Try again later."),
            ))
        }
    }
}

/// A Graph request that never got an answer.
pub fn network_error(e: &auth_core::error::NetworkError) -> AppError {
    AppError::new(
        "network",
        format!(
            "Could not reach Microsoft Graph: {}. Check the network connection and try again.",
            e.message
        ),
    )
}

#[cfg(test)]
mod tests;
