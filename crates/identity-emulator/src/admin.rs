//! Test controls under `/_emulator/`: faults, the virtual clock, revocation, key rotation, claims
//! challenges, counters, issued tokens, and reset. They answer only on loopback.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::state::{EmulatorState, Fault, Refusal};

type Shared = State<Arc<EmulatorState>>;

/// The control routes.
pub fn routes() -> Router<Arc<EmulatorState>> {
    Router::new()
        .route("/health", get(|| async { Json(json!({ "status": "ok" })) }))
        .route(
            "/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/clock", get(clock).post(advance))
        .route("/revoke", post(revoke))
        .route("/keys/rotate", post(rotate))
        .route("/claims-challenge", post(claims_challenge))
        .route("/expire-tokens", post(expire_tokens))
        .route("/counters", get(counters))
        .route("/tokens", get(tokens))
        .route("/reset", post(reset))
        .route("/interrupt", post(set_interrupt))
}

/// Refuses the controls to anyone not on loopback. In-process calls (no socket) are local.
///
/// Loopback is not enough: a web page in the user's own browser reaches 127.0.0.1 too. So a
/// request that carries an `Origin` (a page's fetch or form POST) is refused, and so is one whose
/// `Host` is not a loopback name (a page on a rebound DNS name). The controls answer no CORS
/// either (see `app_with`).
pub async fn loopback_only(request: Request, next: Next) -> Response {
    let remote = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if remote.is_some_and(|ip| !ip.is_loopback()) {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let headers = request.headers();
    let from_a_page = headers.contains_key(axum::http::header::ORIGIN);
    let host_is_loopback = headers
        .get(axum::http::header::HOST)
        .map(|h| h.to_str().map(is_loopback_host).unwrap_or(false))
        .unwrap_or(true);
    if from_a_page || !host_is_loopback {
        let error = "the emulator's controls answer only tools on this machine, never a web page";
        return (StatusCode::FORBIDDEN, Json(json!({ "error": error }))).into_response();
    }
    next.run(request).await
}

/// Whether a `Host` value names this machine: `localhost`, `127.0.0.1` or `[::1]`, with any
/// port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

async fn add_fault(State(state): Shared, Json(fault): Json<Fault>) -> Response {
    state.store().faults.push(fault.clone());
    (StatusCode::CREATED, Json(fault)).into_response()
}

async fn list_faults(State(state): Shared) -> Json<Vec<Fault>> {
    Json(state.store().faults.clone())
}

async fn clear_faults(State(state): Shared) -> StatusCode {
    state.store().faults.clear();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

async fn clock(State(state): Shared) -> Json<serde_json::Value> {
    Json(json!({ "now": state.now() }))
}

async fn advance(State(state): Shared, Json(body): Json<Advance>) -> Response {
    if !state.advance_clock(body.seconds) {
        let error = format!(
            "the clock moves at most {} s from real time either way",
            crate::state::MAX_CLOCK_OFFSET
        );
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response();
    }
    Json(json!({ "now": state.now() })).into_response()
}

#[derive(Deserialize)]
struct ForUser {
    username: String,
}

/// Revokes a user's grants: refresh tokens stop working, consent is withdrawn, and sessions end.
async fn revoke(State(state): Shared, Json(body): Json<ForUser>) -> Response {
    let Some(user) = state.seed.user_by_name(&body.username).cloned() else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "no such user" })),
        )
            .into_response();
    };
    let mut store = state.store();
    let revoked = store.revoke_refresh_tokens(&user.oid);
    store.consents.retain(|(oid, _), _| *oid != user.oid);
    for session in store.sessions.values_mut() {
        session.users.retain(|oid| *oid != user.oid);
    }
    Json(json!({ "revoked_refresh_tokens": revoked })).into_response()
}

async fn rotate(State(state): Shared) -> Json<serde_json::Value> {
    let mut keys = state.keys.write().unwrap_or_else(|p| p.into_inner());
    keys.rotate();
    Json(json!({ "kid": keys.current.kid }))
}

/// Makes Graph answer this user's current access tokens with a claims challenge.
async fn claims_challenge(State(state): Shared, Json(body): Json<ForUser>) -> Response {
    let now = state.now();
    refuse_current_tokens(&state, &body.username, Refusal::ClaimsChallenge(now))
}

/// Makes Graph treat this user's current access tokens as expired, as if their lifetime ran out
/// (without moving the clock, so the client's and the emulator's clocks still agree).
async fn expire_tokens(State(state): Shared, Json(body): Json<ForUser>) -> Response {
    refuse_current_tokens(&state, &body.username, Refusal::Expired)
}

/// Marks every access token issued to `username` so far; tokens issued later are not affected.
fn refuse_current_tokens(state: &EmulatorState, username: &str, why: Refusal) -> Response {
    let Some(user) = state.seed.user_by_name(username).cloned() else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "no such user" })),
        )
            .into_response();
    };
    let now = state.now();
    let mut store = state.store();
    let tokens: Vec<String> = store
        .access_tokens
        .get(&user.oid)
        .cloned()
        .unwrap_or_default();
    for token in &tokens {
        store.refuse(token.clone(), why, now);
    }
    Json(json!({ "refused_tokens": tokens.len() })).into_response()
}

async fn counters(State(state): Shared) -> Json<serde_json::Value> {
    Json(json!(state.store().counters))
}

async fn tokens(State(state): Shared) -> Json<serde_json::Value> {
    Json(json!({ "issued": state.store().issued }))
}

/// The body of `POST /_emulator/interrupt`.
#[derive(serde::Deserialize)]
struct Interrupt {
    enabled: bool,
}

/// Turns "More information required" after each password on or off.
async fn set_interrupt(State(state): Shared, Json(body): Json<Interrupt>) -> StatusCode {
    state.store().interrupt = body.enabled;
    StatusCode::NO_CONTENT
}

async fn reset(State(state): Shared) -> StatusCode {
    state.reset();
    StatusCode::NO_CONTENT
}

/// Applies the first matching injected fault: a delay, a status answer, or a dropped connection.
pub async fn inject_faults(State(state): Shared, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/_emulator/") {
        return next.run(request).await;
    }
    let fault = {
        let mut store = state.store();
        let found = store
            .faults
            .iter()
            .position(|f| match f.path.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => f.path == path,
            });
        found.map(|i| {
            let fault = store.faults[i].clone();
            store.faults[i].count = store.faults[i].count.saturating_sub(1);
            if store.faults[i].count == 0 {
                store.faults.remove(i);
            }
            fault
        })
    };
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    if let Some(ms) = fault.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if fault.drop {
        // A body that fails at once: the server aborts the connection mid-answer.
        let stream = futures_util::stream::once(async {
            Err::<axum::body::Bytes, _>(std::io::Error::other(
                "connection dropped by an injected fault",
            ))
        });
        return Response::new(Body::from_stream(stream));
    }
    if fault.status == 0 {
        return next.run(request).await;
    }
    fault_response(&fault, &path, request.headers())
}

fn fault_response(fault: &Fault, path: &str, headers: &axum::http::HeaderMap) -> Response {
    let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = if path.starts_with("/v1.0/") {
        let code = match status {
            StatusCode::TOO_MANY_REQUESTS => "TooManyRequests",
            StatusCode::SERVICE_UNAVAILABLE => "ServiceNotAvailable",
            _ => "InternalServerError",
        };
        crate::graph::error(
            status,
            code,
            "An injected fault of the identity emulator.",
            headers,
        )
    } else {
        let error = crate::error::OAuthError::new(
            if status.is_server_error() {
                "temporarily_unavailable"
            } else {
                "invalid_request"
            },
            if status == StatusCode::TOO_MANY_REQUESTS {
                50196
            } else {
                90033
            },
            "A transient error has occurred. Please try again.",
        )
        .status(status);
        let ids = crate::error::TraceIds {
            trace_id: uuid::Uuid::new_v4().to_string(),
            correlation_id: uuid::Uuid::new_v4().to_string(),
            timestamp: crate::timestamp(0),
        };
        crate::error::JsonError { error, ids }.into_response()
    };
    if let Some(seconds) = fault.retry_after {
        response
            .headers_mut()
            .insert("retry-after", HeaderValue::from(seconds));
    }
    response
}
