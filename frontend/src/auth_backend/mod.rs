//! The two ways the page signs in and reaches Graph, behind one enum:
//!
//! - [`desktop`]: inside the Tauri window, every operation is a Rust command
//!   (`window.__TAURI_INTERNALS__.invoke`); the page never holds a token.
//! - [`browser`]: in a plain browser, the page signs in by redirect with auth-core, keeps the
//!   token cache in web storage and calls Graph with fetch.
//!
//! [`boot`] picks one before the first render; in the browser it also handles the return from
//! the identity platform first.

#[cfg(feature = "browser")]
pub mod browser;
#[cfg(feature = "desktop")]
pub mod desktop;

#[cfg(feature = "browser")]
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::graph::{MailSummary, Profile};

/// The signed-in account, as the page shows it (no secret): the page–shell contract's type.
pub use shell_contract::AccountView;

/// The page's view of an auth-core account.
#[cfg(feature = "browser")]
pub fn account_view(a: &auth_core::account::Account) -> AccountView {
    AccountView {
        name: a.name.clone(),
        username: a.username.clone(),
        tenant_id: a.tenant_id.clone(),
    }
}

/// What the user asked for; in the browser it is carried across a redirect and finished on
/// return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Op {
    /// Sign In.
    SignIn,
    /// Sign Out.
    SignOut,
    /// See Profile.
    SeeProfile,
    /// Read Mails.
    ReadMail,
}

/// An operation's result: done, or the page is navigating away (browser redirects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step<T> {
    /// Finished with a value.
    Done(T),
    /// The page is leaving for the identity platform; the operation finishes on return.
    #[cfg_attr(not(feature = "browser"), allow(dead_code))]
    Redirecting,
}

/// The state to start from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restored {
    /// The signed-in account, if any.
    pub account: Option<AccountView>,
    /// Messages for the banner (a set-aside cache, a failed return from sign-in, …).
    pub notices: Vec<AppError>,
    /// An operation to finish now (the browser's return from a redirect).
    pub resume: Option<Op>,
    /// Where sign-in goes, as the page says it ([`shell_contract::provider_label`]).
    pub provider: Option<String>,
}

/// The backend in use.
#[derive(Clone)]
pub enum Backend {
    /// Tauri commands.
    #[cfg(feature = "desktop")]
    Desktop(desktop::Desktop),
    /// Redirect sign-in with auth-core, in a browser.
    #[cfg(feature = "browser")]
    Browser(Rc<browser::Browser>),
    /// No backend could start (e.g. an unreadable `config.json`); every operation fails with
    /// this error.
    Unavailable(AppError),
}

impl PartialEq for Backend {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            #[cfg(feature = "desktop")]
            (Backend::Desktop(_), Backend::Desktop(_)) => true,
            #[cfg(feature = "browser")]
            (Backend::Browser(a), Backend::Browser(b)) => Rc::ptr_eq(a, b),
            (Backend::Unavailable(a), Backend::Unavailable(b)) => a == b,
            #[cfg(any(feature = "desktop", feature = "browser"))]
            _ => false,
        }
    }
}

impl Backend {
    /// The account and start-up messages.
    pub async fn restore(&self) -> Restored {
        match self {
            #[cfg(feature = "desktop")]
            Backend::Desktop(d) => d.restore().await,
            #[cfg(feature = "browser")]
            Backend::Browser(b) => b.restore(),
            Backend::Unavailable(e) => Restored {
                notices: vec![e.clone()],
                ..Restored::default()
            },
        }
    }

    /// Interactive sign-in.
    pub async fn sign_in(&self) -> Result<Step<AccountView>, AppError> {
        match self {
            #[cfg(feature = "desktop")]
            Backend::Desktop(d) => d.sign_in().await.map(Step::Done),
            #[cfg(feature = "browser")]
            Backend::Browser(b) => b.sign_in().await,
            Backend::Unavailable(e) => Err(e.clone()),
        }
    }

    /// Signs out (the local cache first). `Some` notice: signed out of this app only, since
    /// the provider has no end-session endpoint.
    pub async fn sign_out(&self) -> Result<Step<Option<String>>, AppError> {
        match self {
            #[cfg(feature = "desktop")]
            Backend::Desktop(d) => d.sign_out().await.map(Step::Done),
            #[cfg(feature = "browser")]
            Backend::Browser(b) => b.sign_out().await,
            Backend::Unavailable(e) => Err(e.clone()),
        }
    }

    /// `GET /me`. `resumed` is true when finishing an operation after a redirect, which then
    /// never redirects again (no loops).
    pub async fn profile(&self, resumed: bool) -> Result<Step<Profile>, AppError> {
        #[cfg(not(feature = "browser"))]
        let _ = resumed;
        match self {
            #[cfg(feature = "desktop")]
            Backend::Desktop(d) => d.profile().await.map(Step::Done),
            #[cfg(feature = "browser")]
            Backend::Browser(b) => b.profile(resumed).await,
            Backend::Unavailable(e) => Err(e.clone()),
        }
    }

    /// The first mails.
    pub async fn messages(&self, resumed: bool) -> Result<Step<Vec<MailSummary>>, AppError> {
        #[cfg(not(feature = "browser"))]
        let _ = resumed;
        match self {
            #[cfg(feature = "desktop")]
            Backend::Desktop(d) => d.messages().await.map(Step::Done),
            #[cfg(feature = "browser")]
            Backend::Browser(b) => b.messages(resumed).await,
            Backend::Unavailable(e) => Err(e.clone()),
        }
    }
}

/// Picks the backend: the desktop one inside Tauri, else the browser one, which first
/// handles a return from the identity platform. Runs before the first render.
pub async fn boot() -> Backend {
    #[cfg(feature = "desktop")]
    if desktop::Desktop::detect() {
        return Backend::Desktop(desktop::Desktop);
    }
    #[cfg(feature = "browser")]
    return match browser::Browser::boot().await {
        Ok(b) => Backend::Browser(Rc::new(b)),
        Err(e) => Backend::Unavailable(e),
    };
    #[cfg(not(feature = "browser"))]
    Backend::Unavailable(AppError::new(
        shell_contract::ErrorCode::Config,
        "This build of the page runs only in the desktop app. For a browser, build it with the \
         browser backend (`trunk build --release --no-default-features --features browser` in \
         frontend/).",
    ))
}
