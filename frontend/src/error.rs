//! The one error type the page shows: a stable `code`, a `message` a user can act on, and, for
//! `throttled`, the seconds to wait. It has the shape of the desktop commands' rejections
//! (`{code, message, retryAfter}`), and the browser backend maps auth-core's errors onto it.

use serde::Deserialize;

/// A failure shown in the page's banner.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    /// `user_cancelled`, `interaction_in_progress`, `interaction_required`, `consent_denied`,
    /// `server`, `network`, `throttled`, `timeout`, `config`, `cache`, `no_mailbox`, `graph`,
    /// `state_mismatch`, `not_signed_in`, `ipc`, or `notice` for information that is no failure.
    pub code: String,
    /// What happened and what to do, in the user's words.
    pub message: String,
    /// For `throttled`: seconds until a retry may succeed.
    #[serde(default)]
    pub retry_after: Option<u64>,
}

impl AppError {
    /// An error with a code and a message.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        AppError {
            code: code.to_owned(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// Information to show in the banner that is not a failure (a start-up notice).
    pub fn notice(message: impl Into<String>) -> Self {
        AppError::new("notice", message)
    }

    /// A short heading for the banner.
    pub fn title(&self) -> &'static str {
        match self.code.as_str() {
            "notice" => "Note:",
            "user_cancelled" => "Sign-in cancelled.",
            "consent_denied" => "Permission not granted.",
            "network" => "Network problem.",
            "throttled" => "Too many requests.",
            "timeout" => "Sign-in timed out.",
            "config" => "Configuration problem.",
            "cache" => "Saved sign-in unreadable.",
            "no_mailbox" => "No mailbox.",
            "server" => "Sign-in failed.",
            "state_mismatch" => "The sign-in answer was not used.",
            "ipc" => "The desktop app did not answer.",
            "interaction_in_progress" => "A sign-in is already in progress.",
            _ => "Something went wrong.",
        }
    }

    /// The sentence about when to retry, for a throttled request.
    pub fn retry_hint(&self) -> Option<String> {
        match (self.code.as_str(), self.retry_after) {
            ("throttled", Some(1)) => Some("You can try again in 1 second.".to_owned()),
            ("throttled", Some(s)) => Some(format!("You can try again in {s} seconds.")),
            ("throttled", None) => Some("Wait a moment before trying again.".to_owned()),
            _ => None,
        }
    }

    /// Whether the banner shows information rather than a failure.
    pub fn is_notice(&self) -> bool {
        self.code == "notice"
    }
}

/// What the user is told about an auth-core error: auth-core's client application decides it
/// (`auth_core::client::UserError`), as for the desktop shell.
#[cfg(feature = "browser")]
impl From<auth_core::Error> for AppError {
    fn from(error: auth_core::Error) -> Self {
        let user = auth_core::client::UserError::from(&error);
        AppError {
            code: user.code.to_owned(),
            message: user.message,
            retry_after: user.retry_after,
        }
    }
}

#[cfg(all(test, feature = "browser"))]
mod tests;
