//! Hostile input, and pages that must not be framed.
//!
//! - A `Host` no URL can be built on (`a:b`, `localhost:99999`, `[zz]`, `user@host`) is refused
//!   before any handler, since issuers and endpoint URLs are built on it.
//! - axum's extractors refuse some requests themselves (a path segment that is not UTF-8, a
//!   query parameter repeated or missing, an oversized body) with a plain-text answer that no
//!   Microsoft endpoint gives. Those answers are replaced by the endpoint's own error shape.
//! - Every HTML page carries `X-Frame-Options: DENY` and `frame-ancestors 'none'`.
//!
//! The shapes, by endpoint:
//!
//! - Graph: its error JSON (<https://learn.microsoft.com/en-us/graph/errors>), code `BadRequest`
//!   for a malformed request (400, "Can't process the request because it's malformed or
//!   incorrect", on that page);
//! - discovery and the token endpoint: Entra's error JSON, AADSTS9002313 "Invalid request.
//!   Request is malformed or invalid."
//!   (<https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#aadsts-error-codes>);
//! - the pages (on every origin): Entra's error page with that same code, as the authorize
//!   endpoint already shows for a malformed request.

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::{JsonError, OAuthError, TraceIds};
use crate::params::{client_request_id, valid_host, MAX_BODY};

/// Which error shape an endpoint answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Graph,
    OAuthJson,
    Page,
}

/// For the routes of Graph, discovery and the token endpoint: Graph's shape under `/v1.0/`,
/// Entra's error JSON otherwise.
pub async fn api(request: Request, next: Next) -> Response {
    // The route's pattern, not the path: a tenant named `v1.0` is still a tenant.
    let graph = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(request.uri().path(), MatchedPath::as_str)
        .starts_with("/v1.0/");
    guard(
        request,
        next,
        if graph {
            Shape::Graph
        } else {
            Shape::OAuthJson
        },
    )
    .await
}

/// For the routes of the HTML pages, on every origin: Entra's error page. Every answer, pages
/// and the redirects that carry a code alike, is `Cache-Control: no-store, no-cache` with
/// `Pragma: no-cache`, as login.microsoftonline.com answers its sign-in pages and redirects
/// (observed), so that no browser's disk cache keeps a code or a form.
pub async fn pages(request: Request, next: Next) -> Response {
    let mut response = guard(request, next, Shape::Page).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache"),
    );
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

async fn guard(request: Request, next: Next, shape: Shape) -> Response {
    let bad_host = request
        .headers()
        .get(header::HOST)
        .is_some_and(|h| !h.to_str().is_ok_and(valid_host));
    if bad_host {
        // RFC 9112 §3.2: a Host "with an invalid field value" gets 400 (Bad Request). Microsoft's
        // front ends (HTTP.sys) answer it so too, as "The request hostname is invalid."
        return refuse(
            shape,
            request.headers(),
            StatusCode::BAD_REQUEST,
            "The request hostname is invalid.",
        );
    }
    let headers = request.headers().clone();
    let response = next.run(request).await;
    let plain_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !(response.status().is_client_error() && plain_text) {
        return response;
    }
    // An extractor's rejection (the handlers themselves answer in their shape).
    let status = response.status();
    let detail = axum::body::to_bytes(response.into_body(), MAX_BODY)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    refuse(shape, &headers, status, &detail)
}

/// A 4xx in `shape`, saying `detail`.
fn refuse(shape: Shape, headers: &HeaderMap, status: StatusCode, detail: &str) -> Response {
    let error = if status == StatusCode::PAYLOAD_TOO_LARGE {
        // As the token endpoint answers an oversized body.
        OAuthError::new("invalid_request", 90015, "The request body is too large.")
    } else {
        OAuthError::malformed(detail)
    }
    .status(status);
    match shape {
        Shape::Graph => crate::graph::error(status, "BadRequest", detail, headers),
        Shape::OAuthJson => {
            let ids = TraceIds {
                trace_id: uuid::Uuid::new_v4().to_string(),
                correlation_id: client_request_id(headers)
                    .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
                timestamp: crate::timestamp(0),
            };
            JsonError { error, ids }.into_response()
        }
        Shape::Page => {
            let mut page = crate::authorize::error_page(&error);
            *page.status_mut() = status;
            page
        }
    }
}

/// Whether `response` is an HTML page.
fn is_html(response: &Response<Body>) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn frame_options(response: &Response<Body>) -> Option<HeaderValue> {
    is_html(response).then(|| HeaderValue::from_static("DENY"))
}

fn frame_ancestors(response: &Response<Body>) -> Option<HeaderValue> {
    is_html(response).then(|| HeaderValue::from_static("frame-ancestors 'none'"))
}

/// Makes every HTML page of `router` refuse to be framed. Entra "will refuse to render any
/// prompt requiring user interaction (e.g. credential entry, consent, logout etc.) in an iframe"
/// with `X-Frame-Options: DENY`, against clickjacking
/// (<https://learn.microsoft.com/en-us/entra/msal/javascript/browser/iframe-usage>); modern
/// browsers read CSP's `frame-ancestors` first, so both are sent. JSON answers and redirects are
/// left as they are: silent sign-in in a hidden iframe only ever gets a redirect.
pub fn refuse_framing<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            frame_options as fn(&Response<Body>) -> Option<HeaderValue>,
        ))
        // Appended: a page with a policy of its own still gets this one, and browsers enforce
        // every policy they are given.
        .layer(SetResponseHeaderLayer::appending(
            header::CONTENT_SECURITY_POLICY,
            frame_ancestors as fn(&Response<Body>) -> Option<HeaderValue>,
        ))
}
