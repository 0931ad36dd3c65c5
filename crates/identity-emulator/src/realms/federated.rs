//! The federated tenant's sign-in server, standing for a company's AD FS.
//!
//! Entra sends a user of a federated domain here with a WS-Federation request (`wa=wsignin1.0`,
//! `wctx`). The page has AD FS's ids (`#userNameInput`, `#passwordInput`, `#submitButton`); a
//! correct password gives a form POST of the signed answer (`wresult`) to the main origin's
//! `/login.srf`, where "Stay signed in?" follows.
//! <https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/operations/ad-fs-user-sign-in-customization>

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::{issue, main_origin, pending_user};
use crate::authorize::respond::expired_page;
use crate::pages;
use crate::params::Params;
use crate::state::EmulatorState;

type Shared = State<Arc<EmulatorState>>;

/// The routes of the federated sign-in origin.
pub fn routes() -> Router<Arc<EmulatorState>> {
    Router::new()
        .route("/adfs/ls/", get(start).post(password))
        .route("/terms", get(crate::pages::terms_page))
}

/// The WS-Federation sign-in request.
#[derive(Deserialize)]
pub struct Start {
    wctx: String,
}

/// `GET /adfs/ls/?wa=wsignin1.0&wctx=…`: the sign-in page, with the username filled in.
pub async fn start(State(state): Shared, Query(start): Query<Start>) -> Response {
    state.count("federated_authorize");
    match pending_user(&state, &start.wctx) {
        Some(user) => {
            Html(pages::federated(&start.wctx, &user.username, None).into_string()).into_response()
        }
        None => expired_page(),
    }
}

/// `POST /adfs/ls/`: the username and password, then the answer posted to the main origin.
pub async fn password(State(state): Shared, body: Bytes) -> Response {
    let Some(params) = Params::parse(&body).ok() else {
        return expired_page();
    };
    let Some(ctx) = params.get("wctx").map(str::to_owned) else {
        return expired_page();
    };
    let Some(user) = pending_user(&state, &ctx) else {
        return expired_page();
    };
    let name = params.get("UserName").unwrap_or("").trim();
    if !name.eq_ignore_ascii_case(&user.username)
        || params.get("Password") != Some(user.password.as_str())
    {
        let error =
            "Incorrect user ID or password. Type the correct user ID and password, and try again.";
        return Html(pages::federated(&ctx, name, Some(error)).into_string()).into_response();
    }
    let (Some(me), Some(back)) = (state.origins().federated, main_origin(&state, "/login.srf"))
    else {
        return expired_page();
    };
    let assertion = issue(&state, &me, &user, &ctx, None);
    let fields = [
        ("wa", "wsignin1.0".to_owned()),
        ("wresult", assertion),
        ("wctx", ctx),
    ];
    Html(pages::hidden_form(&back, &fields).into_string()).into_response()
}
