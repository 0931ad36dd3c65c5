//! The browser's capabilities, bound with web-sys: fetch (auth-core's `HttpClient`), web
//! storage, the location and history, and the clock. Only these functions touch the browser.

use auth_core::error::NetworkError;
use auth_core::seams::{HttpRequest, HttpResponse};
use js_sys::Uint8Array;
use shell_contract::ErrorCode;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, RequestMode, Storage, Window};

use crate::error::AppError;

/// Headers a page cannot or need not send cross-origin: the browser sets `Origin` itself, and
/// `return-client-request-id` is only a hint that would cost a CORS preflight header.
const SKIPPED_HEADERS: [&str; 2] = ["origin", "return-client-request-id"];

/// The answer's headers the page reads: the media type, throttling (`Retry-After`), claims
/// challenges (`WWW-Authenticate`) and the correlation id.
const ANSWER_HEADERS: [&str; 4] = [
    "content-type",
    "retry-after",
    "www-authenticate",
    auth_core::token_request::CLIENT_REQUEST_ID,
];

/// Where the token cache lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageKind {
    /// `sessionStorage`: this tab only, gone when it closes (the default).
    Session,
    /// `localStorage`: shared by the origin's tabs, kept across restarts.
    Local,
}

fn window() -> Result<Window, AppError> {
    web_sys::window()
        .ok_or_else(|| AppError::new(ErrorCode::Config, "This page needs a browser window."))
}

/// Unix seconds now (`SystemTime::now()` panics on wasm32).
pub fn now() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// Waits `secs` seconds (a `setTimeout`); without a window, not at all.
pub async fn sleep(secs: u64) {
    let millis = i32::try_from(secs.saturating_mul(1000)).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The page's full URL.
pub fn href() -> Result<String, AppError> {
    window()?.location().href().map_err(|e| {
        AppError::new(
            ErrorCode::Config,
            format!("The page's address cannot be read ({}).", describe(&e)),
        )
    })
}

/// The page's origin, e.g. `http://localhost:1420`.
pub fn origin() -> Result<String, AppError> {
    window()?.location().origin().map_err(|e| {
        AppError::new(
            ErrorCode::Config,
            format!("The page's origin cannot be read ({}).", describe(&e)),
        )
    })
}

/// The page's URL without query and fragment.
pub fn page_url() -> Result<String, AppError> {
    let location = window()?.location();
    let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
    Ok(format!("{}{}", origin()?, path))
}

/// Replaces the address bar's URL (no navigation, no history entry): removes a sign-in
/// response so that a reload never replays it.
pub fn replace_url(url: &str) {
    if let Ok(history) = window().and_then(|w| {
        w.history()
            .map_err(|e| AppError::new(ErrorCode::Config, describe(&e)))
    }) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

/// Leaves the page for `url`.
pub fn navigate(url: &str) -> Result<(), AppError> {
    window()?.location().assign(url).map_err(|e| {
        AppError::new(
            ErrorCode::Config,
            format!(
                "The browser refused to open the sign-in page ({}).",
                describe(&e)
            ),
        )
    })
}

fn storage(kind: StorageKind) -> Result<Storage, AppError> {
    let w = window()?;
    let s = match kind {
        StorageKind::Session => w.session_storage(),
        StorageKind::Local => w.local_storage(),
    };
    match s {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(storage_error("is not available", None)),
        Err(e) => Err(storage_error("is blocked", Some(&e))),
    }
}

fn storage_error(what: &str, e: Option<&JsValue>) -> AppError {
    let detail = e.map(|e| format!(" ({})", describe(e))).unwrap_or_default();
    AppError::new(
        ErrorCode::Cache,
        format!(
            "The browser's storage {what}{detail}: the app cannot keep you signed in. \
             Allow site data for this page and reload."
        ),
    )
}

/// Reads a storage entry.
pub fn get(kind: StorageKind, key: &str) -> Result<Option<String>, AppError> {
    storage(kind)?
        .get_item(key)
        .map_err(|e| storage_error("cannot be read", Some(&e)))
}

/// Writes a storage entry.
pub fn set(kind: StorageKind, key: &str, value: &str) -> Result<(), AppError> {
    storage(kind)?
        .set_item(key, value)
        .map_err(|e| storage_error("cannot be written", Some(&e)))
}

/// Removes a storage entry.
pub fn remove(kind: StorageKind, key: &str) -> Result<(), AppError> {
    storage(kind)?
        .remove_item(key)
        .map_err(|e| storage_error("cannot be written", Some(&e)))
}

/// The names of the storage's entries that start with `prefix`.
pub fn keys(kind: StorageKind, prefix: &str) -> Result<Vec<String>, AppError> {
    let storage = storage(kind)?;
    let length = storage
        .length()
        .map_err(|e| storage_error("cannot be read", Some(&e)))?;
    Ok((0..length)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect())
}

/// Calls `changed` when another tab of this origin changes localStorage under `prefix` (or
/// clears it). The browser sends `storage` events to the other tabs only, never to the writer.
pub fn on_storage_change(
    prefix: &'static str,
    changed: impl Fn() + 'static,
) -> Result<(), AppError> {
    use wasm_bindgen::closure::Closure;
    let listener =
        Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            if event.key().is_none_or(|k| k.starts_with(prefix)) {
                changed();
            }
        });
    window()?
        .add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref())
        .map_err(|e| storage_error("cannot be watched", Some(&e)))?;
    // The listener lives as long as the page.
    listener.forget();
    Ok(())
}

/// A short description of a JS exception (its message, never a request body).
pub fn describe(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Fetches a same-origin or CORS resource as text, with its status.
pub async fn get_text(url: &str) -> Result<(u16, Vec<u8>), NetworkError> {
    let response = fetch(
        HttpRequest::get(url),
        super::settings::DEFAULT_HTTP_TIMEOUT_SECS,
    )
    .await?;
    Ok((response.status, response.body))
}

/// auth-core's `HttpClient` over [`fetch`], with the page's timeout. One named type for every
/// call into auth-core, so that its flows are compiled once for the page, not once per closure
/// (docs/benchmarks.md).
pub struct Fetch(
    /// `httpTimeoutSecs`.
    pub u32,
);

impl auth_core::seams::HttpClient for Fetch {
    fn execute(
        &self,
        request: HttpRequest,
    ) -> impl std::future::Future<Output = Result<HttpResponse, NetworkError>> {
        fetch(request, self.0)
    }
}

/// The browser's fetch: any status is a response; only a
/// transport failure (network down, CORS refused, no answer within `timeout_secs`, body
/// included) is an error. The browser has no separate connect timeout: one signal covers the
/// whole call.
pub async fn fetch(request: HttpRequest, timeout_secs: u32) -> Result<HttpResponse, NetworkError> {
    let called = auth_core::seams::called(&request.url);
    let signal = web_sys::AbortSignal::timeout_with_u32(timeout_secs.saturating_mul(1000));
    let fail = |what: &str, e: &JsValue| {
        if signal.aborted() {
            log::warn!("{called}: no answer within {timeout_secs} s");
            return NetworkError::new(format!(
                "the request to {called} got no answer within {timeout_secs} s \
                 (httpTimeoutSecs in config.json)"
            ));
        }
        log::warn!("{called}: {what}");
        NetworkError::new(format!("the request to {called} {what} ({})", describe(e)))
    };
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_mode(RequestMode::Cors);
    init.set_signal(Some(&signal));
    let headers = web_sys::Headers::new().map_err(|e| fail("could not be built", &e))?;
    for (name, value) in &request.headers {
        if SKIPPED_HEADERS.contains(name) {
            continue;
        }
        // Named, never quoted: the value may be a bearer token, and a browser's exception
        // may quote it (Firefox's does).
        if headers.append(name, value).is_err() {
            log::warn!("{called}: its {name} header cannot be sent");
            return Err(NetworkError::new(format!(
                "the request to {called} could not be built: its {name} header holds \
                 characters a request cannot carry"
            )));
        }
    }
    init.set_headers(&headers);
    if !request.body.is_empty() {
        init.set_body(&Uint8Array::from(request.body.as_slice()));
    }
    let js_request = web_sys::Request::new_with_str_and_init(&request.url, &init)
        .map_err(|e| fail("could not be built", &e))?;
    let window = web_sys::window().ok_or_else(|| NetworkError::new("no browser window"))?;
    let answer = JsFuture::from(window.fetch_with_request(&js_request))
        .await
        .map_err(|e| {
            fail(
                "failed: the network is down or the server refused the page",
                &e,
            )
        })?;
    let response: web_sys::Response = answer
        .dyn_into()
        .map_err(|e| fail("gave no response", &e))?;
    let mut answer = HttpResponse::new(response.status(), Vec::new());
    // Only the headers auth-core and the Graph reader look at (CORS hides most others).
    let answer_headers = response.headers();
    for name in ANSWER_HEADERS {
        if let Ok(Some(value)) = answer_headers.get(name) {
            answer.headers.push((name.to_owned(), value));
        }
    }
    let buffer = response
        .array_buffer()
        .map_err(|e| fail("body could not be read", &e))?;
    let body = JsFuture::from(buffer)
        .await
        .map_err(|e| fail("body could not be read", &e))?;
    answer.body = Uint8Array::new(&body).to_vec();
    log::debug!(
        "{} {called}: {}",
        request.method.as_str(),
        response.status()
    );
    Ok(answer)
}
