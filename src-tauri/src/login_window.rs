//! The login window (the "popup") and the loopback redirect listener.
//!
//! The redirect URI is `http://localhost:<port>` with a fresh port per attempt (RFC 8252 §7.3),
//! served by a listener on 127.0.0.1 that takes the answer however it arrives: a server 302, a
//! link, a script navigation (all GETs with the code in the query) or a form_post (a POST body).
//! One listener covers every case, where `on_navigation` alone cannot see a POST body.
//!
//! The window is opened from Rust on the authorize URL, owned by the main window, with a label
//! that no capability names, so its pages get no IPC. `on_navigation` refuses anything outside
//! the authority's origin and the redirect URI. Closing it is a cancel; a timeout ends it too.

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

/// Starts the listener on a free port of 127.0.0.1.
pub async fn listen() -> Result<LoopbackRedirect, CommandError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| {
            CommandError::new(
                "network",
                format!("Cannot open a local port for the sign-in answer: {e}."),
            )
        })?;
    let port = listener
        .local_addr()
        .map_err(|e| CommandError::new("network", e.to_string()))?
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

/// Whether the login window may navigate to `url`: the authority's origin, or the redirect URI.
fn allowed(url: &Url, authority: &Url, redirect: &Url) -> bool {
    let same_origin = |a: &Url, b: &Url| a.origin() == b.origin();
    same_origin(url, authority) || same_origin(url, redirect) || url.scheme() == "about"
}

/// Opens the login window on `authorize_url` and waits for the answer, a close, or `timeout`.
/// The window is closed in every case.
pub async fn sign_in<R: Runtime>(
    app: &AppHandle<R>,
    authorize_url: Url,
    authority: &Url,
    mut redirect: LoopbackRedirect,
    timeout: Duration,
) -> Result<String, CommandError> {
    let redirect_url = Url::parse(&redirect.redirect_uri)
        .map_err(|e| CommandError::new("config", e.to_string()))?;
    let (closed_tx, closed) = oneshot::channel::<()>();
    let window = open(
        app,
        WebviewUrl::External(authorize_url),
        authority.clone(),
        redirect_url,
        "Sign in to your account",
    )?;
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
    let result = tokio::select! {
        answer = &mut redirect.answer => answer.map_err(|_| CommandError::new("network", "The local sign-in listener stopped unexpectedly.")),
        _ = closed => Err(auth_core::Error::UserCancelled { server: None }.into()),
        () = tokio::time::sleep(timeout) => Err(CommandError::new(
            "timeout",
            format!("The sign-in window was open for more than {} s without an answer, so it was closed. Select Sign In to try again.", timeout.as_secs()),
        )),
    };
    let _ = window.destroy();
    result
}

/// Opens the end-session page in a login window and closes it once the page has loaded, or
/// after `timeout`. Best effort: the local sign-out already happened.
pub async fn sign_out<R: Runtime>(app: &AppHandle<R>, logout_url: Url, timeout: Duration) {
    let authority = logout_url.clone();
    let (loaded_tx, loaded) = oneshot::channel::<()>();
    let loaded_tx = Mutex::new(Some(loaded_tx));
    let built = WebviewWindowBuilder::new(app, unique_label(app), WebviewUrl::External(logout_url))
        .title("Signing out")
        .inner_size(480.0, 360.0)
        .on_navigation(move |url| url.origin() == authority.origin())
        .on_page_load(move |_, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                if let Some(tx) = loaded_tx.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    let _ = tx.send(());
                }
            }
        })
        .build();
    match built {
        Ok(window) => {
            let _ = tokio::time::timeout(timeout, loaded).await;
            let _ = window.destroy();
        }
        Err(e) => tracing::warn!("could not open the sign-out window: {e}"),
    }
}

fn open<R: Runtime>(
    app: &AppHandle<R>,
    url: WebviewUrl,
    authority: Url,
    redirect: Url,
    title: &str,
) -> Result<tauri::WebviewWindow<R>, CommandError> {
    let mut builder = WebviewWindowBuilder::new(app, unique_label(app), url)
        .title(title)
        .inner_size(520.0, 700.0)
        .center()
        .focused(true)
        .on_navigation(move |url| {
            let ok = allowed(url, &authority, &redirect);
            if !ok {
                tracing::warn!(origin = %url.origin().ascii_serialization(), "login window: navigation refused");
            }
            ok
        });
    if let Some(main) = app.get_webview_window(crate::MAIN_WINDOW) {
        builder = builder
            .parent(&main)
            .map_err(|e| CommandError::new("window", e.to_string()))?;
    }
    builder
        .build()
        .map_err(|e| CommandError::new("window", format!("Cannot open the sign-in window: {e}.")))
}

fn unique_label<R: Runtime>(app: &AppHandle<R>) -> String {
    (0u32..)
        .map(|n| format!("{LABEL_PREFIX}-{n}"))
        .find(|label| app.get_webview_window(label).is_none())
        .unwrap_or_else(|| LABEL_PREFIX.to_owned())
}

#[cfg(test)]
mod tests;
