//! The login window (the "popup") and the loopback redirect listener.
//!
//! The redirect URI is `http://localhost:<port>` with a fresh port per attempt (RFC 8252 §7.3),
//! served by a listener on 127.0.0.1 that takes the answer however it arrives: a server 302, a
//! link, a script navigation (all GETs with the code in the query) or a form_post (a POST body).
//! One listener covers every case, where `on_navigation` alone cannot see a POST body.
//!
//! The window is opened from Rust on the authorize URL, owned by the main window, with a label
//! that no capability names, so its pages get no IPC. Real sign-in leaves the authority's
//! origin (login.live.com for personal accounts, a company's AD FS, password reset and MFA
//! registration pages), so the window may go to any https page, and to http only on loopback
//! (the emulator, the redirect URI). A link that asks for a new window opens in the user's
//! browser, never in a webview. Closing the window is a cancel; a timeout ends it too.

use shell_contract::ErrorCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::Html;
use axum::routing::get;
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use tokio::sync::oneshot;
use url::Url;

use crate::error::CommandError;

/// The label prefix of login windows. Capabilities name only `main`, so these get none.
pub const LABEL_PREFIX: &str = "login";

type Slot = Arc<Mutex<Option<oneshot::Sender<String>>>>;

/// A listener waiting for the identity platform's answer on `redirect_uri`.
pub struct LoopbackRedirect {
    /// `http://localhost:<port>`.
    pub redirect_uri: String,
    answer: oneshot::Receiver<String>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for LoopbackRedirect {
    fn drop(&mut self) {
        self.server.abort();
    }
}

const DONE_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed in</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>Sign-in complete</h1><p>You can return to the app.</p></body></html>";

/// What the loopback listener waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The authorization response: a request carrying `code` or `error`, or a form_post.
    Authorization,
    /// The return from the end-session page (`post_logout_redirect_uri`): any GET.
    SignedOut,
}

const SIGNED_OUT_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed out</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>Signed out</h1><p>You can return to the app.</p></body></html>";

/// Starts the listener on a free port of 127.0.0.1.
pub async fn listen(expect: Expect) -> Result<LoopbackRedirect, CommandError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| {
            CommandError::new(
                ErrorCode::Network,
                format!("Cannot open a local port for the sign-in answer: {e}."),
            )
        })?;
    let port = listener
        .local_addr()
        .map_err(|e| CommandError::new(ErrorCode::Network, e.to_string()))?
        .port();
    let redirect_uri = format!("http://localhost:{port}");
    let (sender, answer) = oneshot::channel();
    let slot: Slot = Arc::new(Mutex::new(Some(sender)));
    let base = redirect_uri.clone();
    let router = axum::Router::new()
        .route(
            "/",
            get(
                move |State(slot): State<Slot>, RawQuery(query): RawQuery| async move {
                    let query = query.unwrap_or_default();
                    if expect == Expect::SignedOut {
                        deliver(&slot, String::new());
                        return Html(SIGNED_OUT_PAGE);
                    }
                    // Only an answer (a code or an error) ends the wait; a stray request does not.
                    let answer = url::form_urlencoded::parse(query.as_bytes())
                        .any(|(k, _)| k == "code" || k == "error");
                    if answer {
                        deliver(&slot, format!("{base}/?{query}"));
                    }
                    Html(DONE_PAGE)
                },
            )
            .post(|State(slot): State<Slot>, body: Bytes| async move {
                deliver(&slot, String::from_utf8_lossy(&body).into_owned());
                Html(DONE_PAGE)
            }),
        )
        .with_state(slot);
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(LoopbackRedirect {
        redirect_uri,
        answer,
        server,
    })
}

fn deliver(slot: &Slot, answer: String) {
    if let Some(sender) = slot.lock().unwrap_or_else(|p| p.into_inner()).take() {
        let _ = sender.send(answer);
    }
}

/// Whether the login window may navigate to `url`: any https page, http only on loopback (the
/// emulator's origins and the redirect URI; RFC 8252 §8.3), and `about:blank`.
fn allowed(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => match url.host() {
            Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        },
        "about" => url.as_str() == "about:blank",
        _ => false,
    }
}

/// Opens the login window on `authorize_url` and waits for the answer, a close, or `timeout`.
/// The window is closed in every case.
pub async fn sign_in<R: Runtime>(
    app: &AppHandle<R>,
    authorize_url: Url,
    redirect: LoopbackRedirect,
    timeout: Duration,
) -> Result<String, CommandError> {
    let (window, closed) = open(app, authorize_url, "Sign in to your account")?;
    wait(window, closed, redirect, timeout).await
}

/// Opens the end-session page in a login window, and waits until the identity platform
/// returns to `redirect` (the post-logout URI), the user closes the window, or `timeout`. A
/// picker on the way ("Pick an account to sign out of") is the user's to answer.
pub async fn sign_out<R: Runtime>(
    app: &AppHandle<R>,
    logout_url: Url,
    redirect: LoopbackRedirect,
    timeout: Duration,
) -> Result<(), CommandError> {
    let (window, closed) = open(app, logout_url, "Signing out")?;
    wait(window, closed, redirect, timeout).await.map(drop)
}

/// Waits for the listener's answer, the window's close, or `timeout`; closes the window.
async fn wait<R: Runtime>(
    window: tauri::WebviewWindow<R>,
    closed: oneshot::Receiver<()>,
    mut redirect: LoopbackRedirect,
    timeout: Duration,
) -> Result<String, CommandError> {
    let result = tokio::select! {
        answer = &mut redirect.answer => answer.map_err(|_| CommandError::new(ErrorCode::Network, "The local sign-in listener stopped unexpectedly.")),
        _ = closed => Err(auth_core::Error::UserCancelled { server: None }.into()),
        () = tokio::time::sleep(timeout) => Err(CommandError::new(
            ErrorCode::Timeout,
            format!("The sign-in window was open for more than {} s without an answer, so it was closed. Select Sign In to try again.", timeout.as_secs()),
        )),
    };
    let _ = window.destroy();
    result
}

/// Opens a login window on `url`; the receiver fires when the window closes.
fn open<R: Runtime>(
    app: &AppHandle<R>,
    url: Url,
    title: &str,
) -> Result<(tauri::WebviewWindow<R>, oneshot::Receiver<()>), CommandError> {
    let opener = app.clone();
    let mut builder = WebviewWindowBuilder::new(app, unique_label(app), WebviewUrl::External(url))
        .title(title)
        .inner_size(520.0, 700.0)
        .center()
        .focused(true)
        .on_navigation(|url| {
            let ok = allowed(url);
            let origin = url.origin().ascii_serialization();
            if ok {
                tracing::debug!(%origin, "login window: navigation");
            } else {
                tracing::warn!(%origin, "login window: navigation refused");
            }
            ok
        })
        // target=_blank and window.open: the user's browser, never a webview.
        .on_new_window(move |url, _features| {
            if matches!(url.scheme(), "https" | "http") {
                use tauri_plugin_opener::OpenerExt as _;
                tracing::debug!(origin = %url.origin().ascii_serialization(), "login window: a new window opens in the browser");
                if let Err(e) = opener.opener().open_url(url.as_str(), None::<&str>) {
                    tracing::warn!("could not open the browser: {e}");
                }
            }
            tauri::webview::NewWindowResponse::Deny
        });
    if let Some(main) = app.get_webview_window(crate::MAIN_WINDOW) {
        builder = builder
            .parent(&main)
            .map_err(|e| CommandError::new(ErrorCode::Window, e.to_string()))?;
    }
    let window = builder.build().map_err(|e| {
        CommandError::new(
            ErrorCode::Window,
            format!("Cannot open the sign-in window: {e}."),
        )
    })?;
    let (closed_tx, closed) = oneshot::channel::<()>();
    let closed_tx = Mutex::new(Some(closed_tx));
    window.on_window_event(move |event| {
        if matches!(
            event,
            WindowEvent::Destroyed | WindowEvent::CloseRequested { .. }
        ) {
            if let Some(tx) = closed_tx.lock().unwrap_or_else(|p| p.into_inner()).take() {
                let _ = tx.send(());
            }
        }
    });
    Ok((window, closed))
}

fn unique_label<R: Runtime>(app: &AppHandle<R>) -> String {
    (0u32..)
        .map(|n| format!("{LABEL_PREFIX}-{n}"))
        .find(|label| app.get_webview_window(label).is_none())
        .unwrap_or_else(|| LABEL_PREFIX.to_owned())
}

#[cfg(test)]
mod tests;
