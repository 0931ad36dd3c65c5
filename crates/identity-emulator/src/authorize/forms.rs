//! The posted sign-in pages: username and password, "Stay signed in?", the interrupt, consent,
//! the account picker, and the form POSTs that bring a user back from the other origins.
//!
//! Each form carries the interaction's id (`ctx`); an unknown or finished one gets the expired
//! page (AADSTS90014).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;

use super::checks::tenant_allows;
use super::respond::{expired_page, redirect_error};
use super::steps::{
    app_name, complete, credentials, next_step, posted_page, session_id, session_users,
};
use crate::error::OAuthError;
use crate::pages;
use crate::params::Scopes;
use crate::realms::{self, Realm};
use crate::state::{EmulatorState, Prompt};

type Shared = State<Arc<EmulatorState>>;

/// `POST /{tenant}/login`: the username and password pages.
pub async fn login(State(state): Shared, jar: CookieJar, body: Bytes) -> Response {
    let Some((params, ctx, interaction)) = posted_page(&state, &body) else {
        return expired_page();
    };
    let request = interaction.request;
    let action = format!("/{}/login", request.tenant);
    let username = params.get("loginfmt").unwrap_or("").trim().to_owned();
    if params.get("back").is_some() {
        let app = app_name(&state, &request.client_id);
        return Html(pages::username(&action, &ctx, &app, None).into_string()).into_response();
    }
    let user = state
        .seed
        .user_by_name(&username)
        .filter(|u| tenant_allows(&state, &request.tenant, u))
        .cloned();
    if params.get("step") != Some("password") {
        // AADSTS50034: the user account does not exist in the directory.
        return match user {
            Some(u) => credentials(&state, &ctx, &u, None),
            None => {
                let app = app_name(&state, &request.client_id);
                let error = "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.";
                Html(pages::username(&action, &ctx, &app, Some(error)).into_string())
                    .into_response()
            }
        };
    }
    // Only a managed account's password is given here; the others' belong to their own origin.
    let managed = |u: &crate::seed::User| matches!(realms::realm(&state, u, &ctx), Realm::Managed);
    match user {
        Some(u) if !managed(&u) => credentials(&state, &ctx, &u, None),
        Some(u) if params.get("passwd") == Some(u.password.as_str()) => {
            if let Some(i) = state.store().interactions.get_mut(&ctx) {
                i.user = Some(u.oid.clone());
                i.password_given = true;
            }
            next_step(&state, &ctx, session_id(&jar), jar)
        }
        _ => {
            // AADSTS50126: invalid username or password.
            let error = "Your account or password is incorrect. If you don't remember your password, reset it now.";
            Html(pages::password(&action, &ctx, &username, Some(error)).into_string())
                .into_response()
        }
    }
}

/// `POST /{tenant}/consent`: Accept or Cancel.
pub async fn consent(State(state): Shared, jar: CookieJar, body: Bytes) -> Response {
    let Some((params, ctx, interaction)) = posted_page(&state, &body) else {
        return expired_page();
    };
    let request = interaction.request;
    let Some(oid) = interaction.user else {
        return expired_page();
    };
    if params.get("decision") != Some("accept") {
        state.store().interactions.remove(&ctx);
        // AADSTS65004: the user declined to consent.
        let error = OAuthError::new(
            "access_denied",
            65004,
            "User declined to consent to access the app.",
        )
        .suberror("consent_required");
        return redirect_error(
            &request.redirect_uri,
            request.response_mode,
            request.state.as_deref(),
            &error,
        );
    }
    let scopes = Scopes::parse(&request.scopes.join(" ")).unwrap_or_default();
    state
        .store()
        .consents
        .entry((oid.clone(), request.client_id.clone()))
        .or_default()
        .extend(scopes.graph);
    let Some(user) = state.seed.user_by_oid(&oid).cloned() else {
        return expired_page();
    };
    let mut request = request;
    // Consent was just given: don't ask again for this interaction.
    if request.prompt == Some(Prompt::Consent) {
        request.prompt = None;
        if let Some(i) = state.store().interactions.get_mut(&ctx) {
            i.request.prompt = None;
        }
    }
    complete(&state, &ctx, &user, session_id(&jar), jar)
}

/// `POST /{tenant}/pick`: a tile of the account picker.
pub async fn pick(State(state): Shared, jar: CookieJar, body: Bytes) -> Response {
    let Some((params, ctx, interaction)) = posted_page(&state, &body) else {
        return expired_page();
    };
    let session = session_id(&jar);
    let chosen = params
        .get("account")
        .and_then(|name| state.seed.user_by_name(name))
        .filter(|u| session_users(&state, session.as_deref()).contains(&u.oid))
        .cloned();
    match chosen {
        Some(user) => {
            if let Some(i) = state.store().interactions.get_mut(&ctx) {
                i.user = Some(user.oid.clone());
            }
            next_step(&state, &ctx, session, jar)
        }
        None => {
            let request = interaction.request;
            let app = app_name(&state, &request.client_id);
            Html(
                pages::username(&format!("/{}/login", request.tenant), &ctx, &app, None)
                    .into_string(),
            )
            .into_response()
        }
    }
}

/// `POST /{tenant}/kmsi`: "Stay signed in?" answered Yes (`#idSIButton9`) or No (`#idBtn_Back`).
/// `#KmsiCheckboxField` ("Don't show this again") is accepted and has no lasting effect here.
pub async fn stay_signed_in(State(state): Shared, jar: CookieJar, body: Bytes) -> Response {
    let Some((params, ctx, interaction)) = posted_page(&state, &body) else {
        return expired_page();
    };
    if interaction.user.is_none() {
        return expired_page();
    }
    if let Some(i) = state.store().interactions.get_mut(&ctx) {
        i.stay_signed_in = Some(params.get("kmsi") == Some("yes"));
    }
    next_step(&state, &ctx, session_id(&jar), jar)
}

/// `POST /{tenant}/interrupt`: Next on "More information required".
pub async fn interrupt(State(state): Shared, jar: CookieJar, body: Bytes) -> Response {
    let Some((_, ctx, interaction)) = posted_page(&state, &body) else {
        return expired_page();
    };
    if interaction.user.is_none() {
        return expired_page();
    }
    if let Some(i) = state.store().interactions.get_mut(&ctx) {
        i.interrupt_passed = true;
    }
    next_step(&state, &ctx, session_id(&jar), jar)
}

/// `POST /{tenant}/federation/oauth2msa` (the personal accounts origin's way back, with `ctx` and
/// the assertion `t`) and `POST /login.srf` (AD FS's WS-Federation answer, with `wctx` and
/// `wresult`). Both are form POSTs, as on the real service: the secrets never travel in a URL.
pub async fn federation_return(State(state): Shared, jar: CookieJar, body: Bytes) -> Response {
    let Ok(params) = crate::params::Params::parse(&body) else {
        return expired_page();
    };
    let (Some(ctx), Some(token)) = (
        params.get("ctx").or(params.get("wctx")),
        params.get("t").or(params.get("wresult")),
    ) else {
        return expired_page();
    };
    let Some(pending) = state
        .store()
        .interactions
        .get(ctx)
        .and_then(|i| i.pending_user.clone())
    else {
        return expired_page();
    };
    let Some(assertion) = realms::verify(&state, token, ctx) else {
        tracing::warn!("a sign-in assertion from another origin was refused");
        return expired_page();
    };
    if assertion.oid != pending {
        return expired_page();
    }
    if let Some(i) = state.store().interactions.get_mut(ctx) {
        i.user = Some(assertion.oid);
        i.password_given = true;
        i.stay_signed_in = assertion.stay_signed_in;
    }
    next_step(&state, ctx, session_id(&jar), jar)
}
