//! The commands the main window may call. Thin and async: each hands over to [`Session`].
//! None returns a token, a code or a verifier.

use tauri::{AppHandle, Runtime, State};

use crate::error::CommandError;
use crate::graph_proxy::{MailSummary, Profile};
use crate::session::{AccountView, Session};
use shell_contract::StageUpdate;

/// The signed-in account, restored from the store at start, or `null`.
#[tauri::command]
pub async fn account<R: Runtime>(
    _app: AppHandle<R>,
    session: State<'_, Session<R>>,
) -> Result<Option<AccountView>, CommandError> {
    // The page asks for the account as soon as it has started: a start-up marker for
    // tests/src/bin/desktop_report.rs (with RUST_LOG=graph_signin=debug).
    tracing::debug!("the page asked for the account");
    Ok(session.account().await)
}

/// A message about the start (a set-aside token store, a bad configuration), once, or `null`.
#[tauri::command]
pub async fn startup_notice<R: Runtime>(
    _app: AppHandle<R>,
    session: State<'_, Session<R>>,
) -> Result<Option<String>, CommandError> {
    Ok(session.take_notice())
}

/// Where sign-in goes, for the page: the local emulator, or the authority's host and tenant.
#[tauri::command]
pub async fn provider<R: Runtime>(
    _app: AppHandle<R>,
    session: State<'_, Session<R>>,
) -> Result<String, CommandError> {
    session.provider()
}

/// Signs in in the login window.
#[tauri::command]
pub async fn sign_in<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session<R>>,
) -> Result<AccountView, CommandError> {
    session.sign_in_user(&app).await
}

/// Signs out; a notice when only the app signed out.
#[tauri::command]
pub async fn sign_out<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session<R>>,
) -> Result<Option<String>, CommandError> {
    session.sign_out(&app).await
}

/// `GET /me`, the fields the page shows.
#[tauri::command]
pub async fn graph_me<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session<R>>,
) -> Result<Profile, CommandError> {
    session.me(&app).await
}

/// The first 10 mails: id, subject, sender and preview.
#[tauri::command]
pub async fn graph_messages<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session<R>>,
) -> Result<Vec<MailSummary>, CommandError> {
    session.messages(&app).await
}

/// The stage of the shell's work for the page's spinner: at once without `after`, else when it
/// changes after update `after` (shell_contract::StageUpdate).
#[tauri::command]
pub async fn progress<R: Runtime>(
    _app: AppHandle<R>,
    session: State<'_, Session<R>>,
    after: Option<u64>,
) -> Result<StageUpdate, CommandError> {
    Ok(session.stage_after(after).await)
}
