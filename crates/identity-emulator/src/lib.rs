//! A local emulator of the Microsoft identity platform v2.0 and Microsoft Graph v1.0.
//!
//! It is the app's embedded default and its test bed; `../shared/EMULATOR.md` is its
//! specification. It shares no code with `auth-core`: the two are independent implementations
//! of the two ends of one protocol.
//!
//! # Layout
//!
//! - [`app`] builds the [`axum::Router`]; tests call it in-process.
//! - [`run`] serves it on a bound listener until `shutdown` resolves.
//! - `main.rs` is the thin `identity-emulator` binary.
//!
//! The identity and Graph endpoints arrive with the identity-emulator issue.
#![warn(missing_docs)]

use std::future::Future;

use axum::{routing::get, Json, Router};
use serde_json::json;
use tokio::net::TcpListener;

/// The emulator's routes.
pub fn app() -> Router {
    Router::new().route(
        "/_emulator/health",
        get(|| async { Json(json!({ "status": "ok" })) }),
    )
}

/// Serves [`app`] on `listener` until `shutdown` completes.
pub async fn run(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app())
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod tests;
