//! The contract between the desktop page (`frontend`, in the Tauri window) and the desktop shell
//! (`src-tauri`), written once for both sides: the command names, the progress answer, the
//! account the page may see, and the error codes with the heading each one gets.
//!
//! It holds no protocol code: the desktop page depends on it and must stay free of auth-core.
#![warn(missing_docs)]

use serde::{Deserialize, Serialize};

/// The shell's commands, as the page invokes them and the shell registers them.
pub mod command {
    /// The signed-in account, or `null`.
    pub const ACCOUNT: &str = "account";
    /// A start-up notice (a set-aside store, a bad config), once.
    pub const STARTUP_NOTICE: &str = "startup_notice";
    /// Where sign-in goes, for the page to say ([`crate::provider_label`]).
    pub const PROVIDER: &str = "provider";
    /// Sign In in the login window.
    pub const SIGN_IN: &str = "sign_in";
    /// Sign Out.
    pub const SIGN_OUT: &str = "sign_out";
    /// See Profile.
    pub const GRAPH_ME: &str = "graph_me";
    /// Read Mails.
    pub const GRAPH_MESSAGES: &str = "graph_messages";
    /// The shell's stage ([`crate::StageUpdate`]): at once with no argument, else once it has
    /// changed since the update numbered `after` ([`crate::PROGRESS_AFTER`]).
    pub const PROGRESS: &str = "progress";
    /// Every command, as the shell's build script declares them (each one a permission).
    pub const ALL: [&str; 8] = [
        ACCOUNT,
        STARTUP_NOTICE,
        PROVIDER,
        SIGN_IN,
        SIGN_OUT,
        GRAPH_ME,
        GRAPH_MESSAGES,
        PROGRESS,
    ];
}

/// How the page names where sign-in goes, from the authority's host (with its port) and tenant:
/// the local emulator on a loopback host, otherwise the host and the tenant.
pub fn provider_label(host: &str, tenant: &str) -> String {
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    if matches!(name, "localhost" | "127.0.0.1" | "[::1]") {
        format!("Demo tenant (local emulator at {host})")
    } else {
        format!("{host} ({tenant})")
    }
}

/// How the page names a generic OpenID provider (`protocolMode` OIDC), from its issuer's host
/// (with its port): never the demo tenant, even on loopback.
pub fn oidc_provider_label(host: &str) -> String {
    format!("OpenID provider at {host}")
}

/// What the page says when Sign Out ended only the app's session: the provider at `host`
/// offers no end-session endpoint (RP-Initiated Logout is optional).
pub fn local_sign_out_notice(host: &str) -> String {
    format!(
        "Signed out of this app only: the identity provider at {host} offers no sign-out \
         endpoint, so its own session stays until you end it there."
    )
}

/// The argument of [`command::PROGRESS`]: the number of the last update the page has seen.
pub const PROGRESS_AFTER: &str = "after";

/// The answer of [`command::PROGRESS`]: the shell's stage, numbered. The page asks again with
/// the number it got and is answered at the next change, so one request is always waiting.
///
/// The shell pushes nothing itself: Tauri's events run a script in the webview for each
/// listener and each event, and the first script run makes WebKitGTK start a JavaScriptCore
/// context in the app's own process, 3.5 MiB for as long as the app runs (docs/benchmarks.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageUpdate {
    /// Grows by one at each change of stage.
    pub seq: u64,
    /// The stage now.
    pub stage: Stage,
}

/// A stage of the shell's work, for the page's spinner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    /// Preparing a sign-in, or redeeming its answer.
    SigningIn,
    /// The login window is open: the user acts there.
    WaitingForLoginWindow,
    /// A Graph request is under way.
    CallingGraph,
    /// Nothing under way.
    Idle,
}

impl Stage {
    /// Every stage.
    pub const ALL: [Stage; 4] = [
        Stage::SigningIn,
        Stage::WaitingForLoginWindow,
        Stage::CallingGraph,
        Stage::Idle,
    ];

    /// Its name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Stage::SigningIn => "signingIn",
            Stage::WaitingForLoginWindow => "waitingForLoginWindow",
            Stage::CallingGraph => "callingGraph",
            Stage::Idle => "idle",
        }
    }

    /// The stage named `name`; `None` for a name the shell does not send.
    pub fn from_name(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// The signed-in account, as the page may see it: no token, no id beyond the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    /// The display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The sign-in name.
    pub username: String,
    /// The tenant id.
    #[serde(default)]
    pub tenant_id: String,
}

impl AccountView {
    /// The name to greet the user with.
    pub fn greeting_name(&self) -> &str {
        self.name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&self.username)
    }
}

/// The codes of the errors the page shows, with the heading of each (the banner's first words).
///
/// A command rejects with `{code, message, retryAfter}`; `code` is one of these names. Codes
/// come from auth-core (`Error::kind`, `consent_denied`), graph-view's Graph policy, the shell
/// and the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// Information, not a failure (a start-up notice).
    Notice,
    /// The user closed the sign-in or said no.
    UserCancelled,
    /// The user declined the permissions asked for.
    ConsentDenied,
    /// A sign-in is already under way.
    InteractionInProgress,
    /// The user must sign in (again).
    InteractionRequired,
    /// Nobody is signed in.
    NotSignedIn,
    /// The identity platform answered with an error.
    Server,
    /// The network failed.
    Network,
    /// Too many requests: wait.
    Throttled,
    /// The login window waited too long.
    Timeout,
    /// A setting is wrong.
    Config,
    /// The saved sign-in cannot be read.
    Cache,
    /// The saved sign-in cannot be written.
    Store,
    /// The account has no mailbox.
    NoMailbox,
    /// Mail is read through Microsoft Graph, and the app signs in to another OpenID provider.
    NoGraph,
    /// Microsoft Graph answered with an error.
    Graph,
    /// The sign-in answer did not match the attempt.
    StateMismatch,
    /// The ID token failed a check.
    IdToken,
    /// The identity platform's answer could not be read.
    Response,
    /// The login window could not be opened.
    Window,
    /// The page and the shell could not talk.
    Ipc,
    /// The system's random number generator gave nothing, so sign-in could not start.
    Random,
}

impl ErrorCode {
    /// Every code.
    pub const ALL: [ErrorCode; 22] = [
        ErrorCode::Notice,
        ErrorCode::UserCancelled,
        ErrorCode::ConsentDenied,
        ErrorCode::InteractionInProgress,
        ErrorCode::InteractionRequired,
        ErrorCode::NotSignedIn,
        ErrorCode::Server,
        ErrorCode::Network,
        ErrorCode::Throttled,
        ErrorCode::Timeout,
        ErrorCode::Config,
        ErrorCode::Cache,
        ErrorCode::Store,
        ErrorCode::NoMailbox,
        ErrorCode::NoGraph,
        ErrorCode::Graph,
        ErrorCode::StateMismatch,
        ErrorCode::IdToken,
        ErrorCode::Response,
        ErrorCode::Window,
        ErrorCode::Ipc,
        ErrorCode::Random,
    ];

    /// Its name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::Notice => "notice",
            ErrorCode::UserCancelled => "user_cancelled",
            ErrorCode::ConsentDenied => "consent_denied",
            ErrorCode::InteractionInProgress => "interaction_in_progress",
            ErrorCode::InteractionRequired => "interaction_required",
            ErrorCode::NotSignedIn => "not_signed_in",
            ErrorCode::Server => "server",
            ErrorCode::Network => "network",
            ErrorCode::Throttled => "throttled",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Config => "config",
            ErrorCode::Cache => "cache",
            ErrorCode::Store => "store",
            ErrorCode::NoMailbox => "no_mailbox",
            ErrorCode::NoGraph => "no_graph",
            ErrorCode::Graph => "graph",
            ErrorCode::StateMismatch => "state_mismatch",
            ErrorCode::IdToken => "id_token",
            ErrorCode::Response => "response",
            ErrorCode::Window => "window",
            ErrorCode::Ipc => "ipc",
            ErrorCode::Random => "random",
        }
    }

    /// The code named `name`; `None` for a name no side sends.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The banner's heading for it.
    pub fn title(self) -> &'static str {
        match self {
            ErrorCode::Notice => "Note:",
            ErrorCode::UserCancelled => "Sign-in cancelled.",
            ErrorCode::ConsentDenied => "Permission not granted.",
            ErrorCode::Network => "Network problem.",
            ErrorCode::Throttled => "Too many requests.",
            ErrorCode::Timeout => "Sign-in timed out.",
            ErrorCode::Config => "Configuration problem.",
            ErrorCode::Cache => "Saved sign-in unreadable.",
            ErrorCode::NoMailbox => "No mailbox.",
            ErrorCode::NoGraph => "Mail needs Microsoft Graph.",
            ErrorCode::Server => "Sign-in failed.",
            ErrorCode::StateMismatch => "The sign-in answer was not used.",
            ErrorCode::Ipc => "The desktop app did not answer.",
            ErrorCode::InteractionInProgress => "A sign-in is already in progress.",
            _ => "Something went wrong.",
        }
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ErrorCode::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown error code `{name}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_is_the_local_emulator_on_loopback_and_the_host_elsewhere() {
        for host in ["localhost:4123", "127.0.0.1:9", "[::1]:4443", "localhost"] {
            assert_eq!(
                provider_label(host, "common"),
                format!("Demo tenant (local emulator at {host})")
            );
        }
        assert_eq!(
            provider_label("login.microsoftonline.com", "organizations"),
            "login.microsoftonline.com (organizations)"
        );
        assert_eq!(
            provider_label("localhost.example:443", "contoso.com"),
            "localhost.example:443 (contoso.com)"
        );
    }

    #[test]
    fn names_round_trip_and_are_distinct() {
        for stage in Stage::ALL {
            assert_eq!(Stage::from_name(stage.name()), Some(stage));
            // serde writes the same name the page reads field by field.
            assert_eq!(
                serde_json::to_value(stage).unwrap(),
                serde_json::json!(stage.name())
            );
        }
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_name(code.name()), Some(code));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
        assert!(serde_json::from_str::<ErrorCode>("\"no_such_code\"").is_err());
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        assert_eq!(Stage::from_name("done"), None);
    }

    #[test]
    fn a_stage_update_reads_back_with_the_stage_by_name() {
        let update = StageUpdate {
            seq: 3,
            stage: Stage::CallingGraph,
        };
        let json = serde_json::to_value(update).unwrap();
        assert_eq!(json["stage"], "callingGraph");
        assert_eq!(json["seq"], 3);
        assert_eq!(serde_json::from_value::<StageUpdate>(json).unwrap(), update);
    }
}
