//! `GET|POST /{tenant}/oauth2/v2.0/authorize` and the sign-in pages behind it.
//!
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code>
//!
//! Errors the client can trust go back on the redirect URI following `response_mode`; an unknown
//! client or redirect URI gets an error page and never a redirect.
//!
//! # Layout
//!
//! - this module: the endpoint, and the request's validation;
//! - [`checks`]: one small check per function (`check_*`), as node-oidc-provider does;
//! - [`steps`]: which page comes next for a request in progress, and its completion;
//! - [`forms`]: the handlers of the posted pages (username and password, "Stay signed in?",
//!   interrupts, consent, the account picker, and the returns from the other origins);
//! - [`respond`]: the redirect back to the client, and error pages.

pub mod checks;
pub mod forms;
pub mod respond;
pub mod steps;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, Uri};
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;

use crate::error::OAuthError;
use crate::keys::opaque_token;
use crate::params::{Params, Scopes};
use crate::state::{AuthRequest, EmulatorState, Interaction, ResponseMode};
use checks::{check_pkce, check_prompt, check_redirect_uri, check_tenant, resolve_login_hint};
pub use respond::{error_page, redirect_error, respond};
use steps::{next_step, session_id};

/// The SSO cookie's name.
pub const SESSION_COOKIE: &str = "ESTSAUTH";

type Shared = State<Arc<EmulatorState>>;

/// The authorize endpoint.
pub async fn authorize(
    State(state): Shared,
    Path(tenant): Path<String>,
    method: Method,
    uri: Uri,
    jar: CookieJar,
    body: Bytes,
) -> Response {
    state.count("authorize");
    let params = match Params::of_request(&method, &uri, &body) {
        Ok(p) => p,
        Err(e) => return error_page(&e),
    };
    let request = match validate(&state, &tenant, &params) {
        Ok(r) => r,
        Err(Failure::Page(e)) => return error_page(&e),
        Err(Failure::Redirect(e, mode, redirect, st)) => {
            return redirect_error(&redirect, mode, st.as_deref(), &e)
        }
    };
    let ctx = opaque_token();
    let now = state.now();
    // Pages older than an hour are forgotten as the store prunes itself (`Store::prune`).
    state
        .store()
        .add_interaction(ctx.clone(), Interaction::new(request, now), now);
    let session = session_id(&jar);
    next_step(&state, &ctx, session, jar)
}

enum Failure {
    Page(OAuthError),
    Redirect(OAuthError, ResponseMode, String, Option<String>),
}

fn validate(state: &EmulatorState, tenant: &str, params: &Params) -> Result<AuthRequest, Failure> {
    check_tenant(state, tenant).map_err(Failure::Page)?;
    let client_id = params.require("client_id").map_err(Failure::Page)?;
    let client = state
        .seed
        .clients
        .get(client_id)
        .ok_or_else(|| Failure::Page(OAuthError::unknown_client(client_id, tenant)))?;
    let redirect_uri = params.require("redirect_uri").map_err(Failure::Page)?;
    let kind = check_redirect_uri(client, redirect_uri).map_err(Failure::Page)?;
    // From here on the redirect URI is trusted: errors go back to it.
    let mode = match params.get("response_mode") {
        None | Some("query") => ResponseMode::Query,
        Some("fragment") => ResponseMode::Fragment,
        Some("form_post") => ResponseMode::FormPost,
        Some(_) => ResponseMode::Query,
    };
    let state_param = params.get("state").map(str::to_owned);
    let fail =
        |e: OAuthError| Failure::Redirect(e, mode, redirect_uri.to_owned(), state_param.clone());
    if let Some(other) = params
        .get("response_mode")
        .filter(|m| !["query", "fragment", "form_post"].contains(m))
    {
        return Err(fail(OAuthError::new(
            "invalid_request",
            900144,
            format!("The provided value '{other}' for the input parameter 'response_mode' is not valid."),
        )));
    }
    match params.get("response_type") {
        Some("code") => {}
        Some(other) => {
            return Err(fail(OAuthError::new(
                "unsupported_response_type",
                700054,
                format!("response_type '{other}' is not enabled for the application."),
            )))
        }
        None => return Err(fail(OAuthError::missing("response_type"))),
    }
    let scope = params
        .get("scope")
        .ok_or_else(|| fail(OAuthError::missing("scope")))?;
    Scopes::parse(scope).map_err(fail)?;
    let code_challenge = check_pkce(params, kind).map_err(fail)?;
    let prompt = check_prompt(params).map_err(fail)?;
    Ok(AuthRequest {
        tenant: tenant.to_owned(),
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        redirect_kind: kind,
        response_mode: mode,
        scopes: scope.split_whitespace().map(str::to_owned).collect(),
        state: state_param.clone(),
        nonce: params.get("nonce").map(str::to_owned),
        prompt,
        login_hint: params.get("login_hint").map(resolve_login_hint),
        code_challenge,
        client_info: params.get("client_info") == Some("1"),
    })
}
