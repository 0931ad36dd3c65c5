//! The error every command returns: a stable `code` and a `message` a user can act on, as
//! plugins/store's `error.rs` serialises its errors. No token, code or verifier is ever in it.

use serde::Serialize;

/// A command's failure, serialised to the webview as `{code, message, retryAfter}`.
#[derive(Debug, Clone, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct CommandError {
    /// A stable machine-readable code: auth-core's `Error::kind()` (`user_cancelled`,
    /// `interaction_in_progress`, `interaction_required`, `server`, `network`, `throttled`,
    /// `config`, `cache`, …) or the shell's own `timeout`, `no_mailbox`, `graph`, `not_signed_in`,
    /// `store`.
    pub code: &'static str,
    /// What happened and what to do, in words a user can act on.
    pub message: String,
    /// For `throttled`: seconds until a retry may succeed.
    pub retry_after: Option<u64>,
}

impl CommandError {
    /// An error with `code` and `message`.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after: None,
        }
    }
}

/// What the user is told about an auth-core error: auth-core's client application decides it
/// (`auth_core::client::UserError`), as for the browser page.
impl From<auth_core::Error> for CommandError {
    fn from(error: auth_core::Error) -> Self {
        let user = auth_core::client::UserError::from(&error);
        Self {
            code: user.code,
            message: user.message,
            retry_after: user.retry_after,
        }
    }
}
