//! The error every command returns: a stable `code` and a `message` a user can act on, as
//! plugins/store's `error.rs` serialises its errors. No token, code or verifier is ever in it.

use serde::Serialize;
use shell_contract::ErrorCode;

/// A command's failure, serialised to the webview as `{code, message, retryAfter}`.
#[derive(Debug, Clone, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct CommandError {
    /// A stable machine-readable code, named in the page–shell contract.
    pub code: ErrorCode,
    /// What happened and what to do, in words a user can act on.
    pub message: String,
    /// For `throttled`: seconds until a retry may succeed.
    pub retry_after: Option<u64>,
}

impl CommandError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
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
            // Every auth-core code is in the contract (its unit test holds them to it).
            code: ErrorCode::from_name(user.code).unwrap_or(ErrorCode::Server),
            message: user.message,
            retry_after: user.retry_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use shell_contract::ErrorCode;

    /// The codes auth-core and graph-view's policy give are named in the page–shell contract,
    /// so the `from_name` fallbacks above never fire.
    #[test]
    fn every_code_of_auth_core_and_the_graph_policy_is_in_the_contract() {
        let graph = graph_view::policy::FailureKind::ALL.map(|k| k.code());
        for code in auth_core::Error::KINDS
            .iter()
            .chain(&["consent_denied", "not_signed_in"])
            .chain(&graph)
        {
            assert!(ErrorCode::from_name(code).is_some(), "{code}");
        }
    }
}
