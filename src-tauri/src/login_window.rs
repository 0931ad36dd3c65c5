//! The login window (the "popup") and the loopback redirect listener.
//!
//! The redirect URI is `http://localhost:<port>` with a fresh port per attempt (RFC 8252 §7.3),
//! served by a listener on 127.0.0.1 and [::1] that takes the answer, with this sign-in's
//! `state`, however it arrives: a server 302, a
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
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use tokio::sync::oneshot;
use url::Url;

use crate::error::CommandError;

/// The label prefix of login windows. Capabilities name only `main`, so these get none.
pub const LABEL_PREFIX: &str = "login";

/// What the listener holds while it waits: where the answer goes, and the `state` it must carry.
#[derive(Default)]
struct Waiting {
    sender: Option<oneshot::Sender<String>>,
    /// The authorization request's `state`; until it is set, no answer is taken.
    state: Option<String>,
}

type Slot = Arc<Mutex<Waiting>>;

/// A listener waiting for the identity platform's answer on `redirect_uri`.
pub struct LoopbackRedirect {
    /// `http://localhost:<port>`.
    pub redirect_uri: String,
    answer: oneshot::Receiver<String>,
    slot: Slot,
    servers: Vec<tokio::task::JoinHandle<()>>,
}

impl LoopbackRedirect {
    /// The `state` of the authorization request sent to this redirect URI: only an answer
    /// carrying it ends the wait (RFC 6749 §10.12, RFC 8252 §8.1). Any other request, from a
    /// local process or a web page, is a stray and is ignored.
    pub fn expect_state(&self, state: &str) {
        lock(&self.slot).state = Some(state.to_owned());
    }
}

impl Drop for LoopbackRedirect {
    fn drop(&mut self) {
        for server in &self.servers {
            server.abort();
        }
    }
}

const DONE_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed in</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>Sign-in complete</h1><p>You can return to the app.</p></body></html>";

const STRAY_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not a sign-in answer</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>Not the sign-in this app is waiting for</h1><p>This address only takes the answer to the app's own sign-in. Nothing was done.</p></body></html>";

/// What the loopback listener waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The authorization response: a request carrying `code` or `error`, as a query or a
    /// form_post body, with the request's `state` (see [`LoopbackRedirect::expect_state`]).
    Authorization,
    /// The return from the end-session page (`post_logout_redirect_uri`): any GET.
    SignedOut,
}

const SIGNED_OUT_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed out</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>Signed out</h1><p>You can return to the app.</p></body></html>";

/// Starts the listener on a free port of the loopback interface, in both address families.
///
/// The redirect URI names `localhost`, the one loopback form Entra's portal registers for a
/// desktop app without editing the manifest; a browser engine may resolve it to `::1` or to
/// `127.0.0.1`. The listener holds the port in both families, so that no other local process
/// can take the answer on the family it left free (RFC 8252 §7.3 and §8.3).
pub async fn listen(expect: Expect) -> Result<LoopbackRedirect, CommandError> {
    let listeners = bind_loopback().await.map_err(|e| {
        CommandError::new(
            ErrorCode::Network,
            format!("Cannot open a local port for the sign-in answer: {e}."),
        )
    })?;
    let port = listeners[0]
        .local_addr()
        .map_err(|e| CommandError::new(ErrorCode::Network, e.to_string()))?
        .port();
    let redirect_uri = format!("http://localhost:{port}");
    let (sender, answer) = oneshot::channel();
    let slot: Slot = Arc::new(Mutex::new(Waiting {
        sender: Some(sender),
        state: None,
    }));
    let base = redirect_uri.clone();
    let router = axum::Router::new()
        .route(
            "/",
            get(
                move |State(slot): State<Slot>, RawQuery(query): RawQuery| async move {
                    let query = query.unwrap_or_default();
                    if expect == Expect::SignedOut {
                        deliver(&slot, None, String::new());
                        return (StatusCode::OK, Html(SIGNED_OUT_PAGE));
                    }
                    if deliver(&slot, Some(&query), format!("{base}/?{query}")) {
                        (StatusCode::OK, Html(DONE_PAGE))
                    } else {
                        (StatusCode::BAD_REQUEST, Html(STRAY_PAGE))
                    }
                },
            )
            .post(|State(slot): State<Slot>, body: Bytes| async move {
                let body = String::from_utf8_lossy(&body).into_owned();
                if deliver(&slot, Some(&body), body.clone()) {
                    (StatusCode::OK, Html(DONE_PAGE))
                } else {
                    (StatusCode::BAD_REQUEST, Html(STRAY_PAGE))
                }
            }),
        )
        .with_state(slot.clone())
        // The page's address holds the authorization code: WebKit must not keep it in its
        // disk cache (RFC 6749 §5.1 asks the same of token responses).
        .layer(axum::middleware::map_response(
            |mut response: axum::response::Response| async move {
                response.headers_mut().insert(
                    axum::http::header::CACHE_CONTROL,
                    axum::http::HeaderValue::from_static("no-store"),
                );
                response
            },
        ));
    let servers = listeners
        .into_iter()
        .map(|listener| {
            let router = router.clone();
            tokio::spawn(async move {
                let _ = axum::serve(listener, router).await;
            })
        })
        .collect();
    Ok(LoopbackRedirect {
        redirect_uri,
        answer,
        slot,
        servers,
    })
}

/// Binds a free port on `127.0.0.1` and the same port on `[::1]`. A port taken on `[::1]` is
/// given up for another; a machine without IPv6 loopback gets the IPv4 listener alone (its
/// `localhost` cannot resolve to `::1` then).
async fn bind_loopback() -> std::io::Result<Vec<tokio::net::TcpListener>> {
    use std::io::ErrorKind;
    use tokio::net::TcpListener;
    let mut last = None;
    for _ in 0..16 {
        let v4 = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
        let port = v4.local_addr()?.port();
        match TcpListener::bind((std::net::Ipv6Addr::LOCALHOST, port)).await {
            Ok(v6) => return Ok(vec![v4, v6]),
            Err(e) if e.kind() == ErrorKind::AddrInUse => last = Some(e),
            Err(_) => return Ok(vec![v4]),
        }
    }
    Err(last.unwrap_or_else(|| ErrorKind::AddrInUse.into()))
}

fn lock(slot: &Slot) -> std::sync::MutexGuard<'_, Waiting> {
    slot.lock().unwrap_or_else(|p| p.into_inner())
}

/// Hands `answer` over when `params` (a query or a form body) is the authorization response
/// the listener waits for: a `code` or an `error`, with the expected `state`. `None` takes any
/// request (the return from sign-out). Returns whether the request was that answer (a repeat
/// of it included).
fn deliver(slot: &Slot, params: Option<&str>, answer: String) -> bool {
    let mut waiting = lock(slot);
    if let Some(params) = params {
        let mut is_answer = false;
        let mut state = None;
        for (k, v) in url::form_urlencoded::parse(params.as_bytes()) {
            match &*k {
                "code" | "error" => is_answer = true,
                "state" => state = Some(v.into_owned()),
                _ => {}
            }
        }
        let expected = waiting.state.as_deref();
        if !is_answer || expected.is_none() || state.as_deref() != expected {
            tracing::warn!(
                "loopback listener: a request that is not this sign-in's answer was ignored"
            );
            return false;
        }
    }
    if let Some(sender) = waiting.sender.take() {
        let _ = sender.send(answer);
    }
    true
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
