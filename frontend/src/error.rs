//! The one error type the page shows: a stable `code`, a `message` a user can act on, and, for
//! `throttled`, the seconds to wait. It has the shape of the desktop commands' rejections
//! (`{code, message, retryAfter}`), and the browser backend maps auth-core's errors onto it.

use serde::Deserialize;
use shell_contract::ErrorCode;

/// A failure shown in the page's banner.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    /// What kind of failure, named in the page–shell contract (`notice` for information that
    /// is no failure).
    pub code: ErrorCode,
    /// What happened and what to do, in the user's words.
    pub message: String,
    /// For `throttled`: seconds until a retry may succeed.
    #[serde(default)]
    pub retry_after: Option<u64>,
}

impl AppError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Information to show in the banner that is not a failure (a start-up notice).
    pub fn notice(message: impl Into<String>) -> Self {
        AppError::new(ErrorCode::Notice, message)
    }

    /// A short heading for the banner.
    pub fn title(&self) -> &'static str {
        self.code.title()
    }

    /// The sentence about when to retry, for a throttled request.
    pub fn retry_hint(&self) -> Option<String> {
        match (self.code, self.retry_after) {
            (ErrorCode::Throttled, Some(1)) => Some("You can try again in 1 second.".to_owned()),
            (ErrorCode::Throttled, Some(s)) => Some(format!("You can try again in {s} seconds.")),
            (ErrorCode::Throttled, None) => Some("Wait a moment before trying again.".to_owned()),
            _ => None,
        }
    }

    /// Whether the banner shows information rather than a failure.
    pub fn is_notice(&self) -> bool {
        self.code == ErrorCode::Notice
    }
}

/// What the user is told about an auth-core error: auth-core's client application decides it
/// (`auth_core::client::UserError`), as for the desktop shell.
#[cfg(feature = "browser")]
impl From<auth_core::Error> for AppError {
    fn from(error: auth_core::Error) -> Self {
        let user = auth_core::client::UserError::from(&error);
        AppError {
            // Every auth-core code is in the contract (its unit test holds them to it).
            code: ErrorCode::from_name(user.code).unwrap_or(ErrorCode::Server),
            message: user.message,
            retry_after: user.retry_after,
        }
    }
}

#[cfg(all(test, feature = "browser"))]
mod tests;
