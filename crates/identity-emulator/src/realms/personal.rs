//! The personal accounts origin, standing for login.live.com.
//!
//! A Microsoft account that gives its username at `/common` or `/consumers` is redirected here.
//! It enters its password (`#i0118`, `#idSIButton9`), answers "Stay signed in?", and a form
//! POST carries it back to the main origin with a signed assertion.
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols#endpoints>

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;

use super::{issue, main_origin, pending_user};
use crate::authorize::respond::expired_page;
use crate::pages;
use crate::params::Params;
use crate::state::EmulatorState;

type Shared = State<Arc<EmulatorState>>;

/// The personal accounts origin's own session cookie.
const COOKIE: &str = "MSPAuth";

/// The routes of the personal accounts origin.
pub fn routes() -> Router<Arc<EmulatorState>> {
    Router::new()
        .route("/oauth20_authorize.srf", get(start))
        .route("/ppsecure/post.srf", post(password))
        .route("/ppsecure/kmsi", post(stay_signed_in))
        .route("/terms", get(crate::pages::terms_page))
}

/// The redirect's query.
#[derive(Deserialize)]
pub struct Start {
    ctx: String,
}

/// `GET /oauth20_authorize.srf?ctx=…`: the password page of the account sent here.
pub async fn start(State(state): Shared, Query(start): Query<Start>) -> Response {
    state.count("personal_authorize");
    match pending_user(&state, &start.ctx) {
        Some(user) => {
            Html(pages::personal_password(&start.ctx, &user.username, None).into_string())
                .into_response()
        }
        None => expired_page(),
    }
}

/// `POST /ppsecure/post.srf`: the password.
pub async fn password(State(state): Shared, body: Bytes) -> Response {
    let Some((params, ctx, user)) = posted(&state, &body) else {
        return expired_page();
    };
    if params.get("passwd") != Some(user.password.as_str()) {
        let error = "Your account or password is incorrect. If you don't remember your password, reset it now.";
        return Html(pages::personal_password(&ctx, &user.username, Some(error)).into_string())
            .into_response();
    }
    if let Some(i) = state.store().interactions.get_mut(&ctx) {
        i.pending_verified = true;
    }
    Html(pages::stay_signed_in("/ppsecure/kmsi", &ctx, &user.username).into_string())
        .into_response()
}

/// `POST /ppsecure/kmsi`: "Stay signed in?", then the form POST back to the main origin.
pub async fn stay_signed_in(State(state): Shared, jar: CookieJar, body: Bytes) -> Response {
    let Some((params, ctx, user)) = posted(&state, &body) else {
        return expired_page();
    };
    let verified = state
        .store()
        .interactions
        .get(&ctx)
        .is_some_and(|i| i.pending_verified);
    let origins = state.origins();
    let (true, Some(me)) = (verified, origins.personal) else {
        return expired_page();
    };
    let Some(tenant) = state
        .store()
        .interactions
        .get(&ctx)
        .map(|i| i.request.tenant.clone())
    else {
        return expired_page();
    };
    let Some(back) = main_origin(&state, &format!("/{tenant}/federation/oauth2msa")) else {
        return expired_page();
    };
    let stay = params.get("kmsi") == Some("yes");
    let assertion = issue(&state, &me, &user, &ctx, Some(stay));
    let mut cookie = Cookie::build((COOKIE, crate::keys::opaque_token()))
        .path("/")
        .http_only(true);
    if stay {
        cookie = cookie.max_age(time::Duration::days(90));
    }
    let fields = [("ctx", ctx), ("t", assertion)];
    (
        jar.add(cookie.build()),
        Html(pages::hidden_form(&back, &fields).into_string()),
    )
        .into_response()
}

/// A posted form of this origin: its fields, its interaction and the account sent here.
fn posted(state: &EmulatorState, body: &[u8]) -> Option<(Params, String, crate::seed::User)> {
    let params = Params::parse(body).ok()?;
    let ctx = params.get("ctx")?.to_owned();
    let user = pending_user(state, &ctx)?;
    Some((params, ctx, user))
}
