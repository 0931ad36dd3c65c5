//! The sign-in attempt kept in sessionStorage across the redirect, and the recognition of a
//! return from the identity platform. Pure: the storage calls are in the caller.

use auth_core::authorize::PendingAuthorization;
use auth_core::redirect_response::RedirectParams;
use serde::{Deserialize, Serialize};
use shell_contract::ErrorCode;

use crate::auth_backend::Op;
use crate::error::AppError;

/// The sessionStorage key of the attempt (always sessionStorage: it belongs to this tab).
pub const PENDING_KEY: &str = "graphSignin.pending";

/// One attempt: auth-core's state, nonce and PKCE verifier, and the operation to finish on
/// return.
#[derive(Debug, Serialize, Deserialize)]
pub struct PendingEntry {
    /// auth-core's attempt (single use).
    pub authorization: PendingAuthorization,
    /// What the user asked for.
    pub resume: Op,
}

impl PendingEntry {
    /// The stored form.
    pub fn to_json(&self) -> Result<String, AppError> {
        serde_json::to_string(self).map_err(|_| {
            AppError::new(
                ErrorCode::Cache,
                "The sign-in attempt could not be saved. Try again.",
            )
        })
    }

    /// Reads a stored attempt.
    pub fn from_json(blob: &str) -> Result<PendingEntry, AppError> {
        serde_json::from_slice(blob.as_bytes()).map_err(|_| {
            AppError::new(
                ErrorCode::StateMismatch,
                "The saved sign-in attempt is unreadable, so the answer from the identity platform \
                 was not used. You are signed out; select Sign In to try again.",
            )
        })
    }
}

/// A return from the identity platform in the page's URL: the parameters, if the query or
/// the fragment holds `code` or `error`.
pub fn response_in(url: &str) -> Option<RedirectParams> {
    let params = RedirectParams::parse(url, None).ok()?;
    (params.get("code").is_some() || params.get("error").is_some()).then_some(params)
}

/// The error for a response that arrived with no attempt waiting for it (a reload of an old
/// address, a second tab, a forged link): nothing is redeemed.
pub fn orphan_response(params: &RedirectParams) -> AppError {
    let mut message = String::from(
        "The page was opened with a sign-in answer, but no sign-in was started in this tab \
         (or it was already used), so it was ignored. You are signed out; select Sign In to try again.",
    );
    if let Some(server) = params.server_error() {
        message.push_str(" The identity platform said: ");
        message.push_str(&server.to_string());
    }
    AppError::new(ErrorCode::StateMismatch, message)
}

#[cfg(test)]
mod tests;
