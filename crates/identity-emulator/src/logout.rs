//! `GET|POST /{tenant}/oauth2/v2.0/logout`: the end-session endpoint, and its account picker.
//!
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#send-a-sign-out-request>
//!
//! - `logout_hint` signs the account out without a page only when it is the ID token's
//!   `login_hint` optional claim. A username, or no hint, gets "Pick an account to sign out of",
//!   even with one account signed in, as observed on Entra and as msal-browser's logout guide
//!   describes for a logout request without `logoutHint`.
//!   <https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#single-sign-out>
//! - `post_logout_redirect_uri` "must match one of the redirect URIs registered for your
//!   application", on any platform (the same loopback port rule as sign-in applies). Which
//!   application: `client_id`, else the `aud` of `id_token_hint`, else any one of the seed's.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use base64::Engine as _;

use crate::authorize::checks::check_redirect_uri;
use crate::authorize::steps::{session_id, session_users};
use crate::authorize::{error_page, SESSION_COOKIE};
use crate::error::OAuthError;
use crate::mint::login_hint_claim;
use crate::pages;
use crate::params::Params;
use crate::state::EmulatorState;

type Shared = State<Arc<EmulatorState>>;

/// A sign-out request, from the query or the form.
struct Request {
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
    client_id: Option<String>,
    logout_hint: Option<String>,
}

impl Request {
    fn from(params: &Params) -> Self {
        let client_id = params
            .get("client_id")
            .map(str::to_owned)
            .or_else(|| params.get("id_token_hint").and_then(audience_of));
        Self {
            post_logout_redirect_uri: params.get("post_logout_redirect_uri").map(str::to_owned),
            state: params.get("state").map(str::to_owned),
            client_id,
            logout_hint: params.get("logout_hint").map(str::to_owned),
        }
    }

    /// The request in `params`, once its post-logout URI is known to be the application's.
    fn checked(state: &EmulatorState, params: &Params) -> Result<Self, OAuthError> {
        let request = Self::from(params);
        check_post_logout_uri(state, &request)?;
        Ok(request)
    }

    /// The fields the picker carries to its POST.
    fn hidden(&self) -> Vec<(&'static str, String)> {
        let mut fields = Vec::new();
        if let Some(v) = &self.post_logout_redirect_uri {
            fields.push(("post_logout_redirect_uri", v.clone()));
        }
        if let Some(v) = &self.state {
            fields.push(("state", v.clone()));
        }
        if let Some(v) = &self.client_id {
            fields.push(("client_id", v.clone()));
        }
        fields
    }
}

/// The `aud` of an ID token given as `id_token_hint`, read without verification: it only
/// chooses whose redirect URIs the post-logout URI is checked against.
fn audience_of(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims["aud"].as_str().map(str::to_owned)
}

/// `GET|POST /{tenant}/oauth2/v2.0/logout`.
pub async fn logout(
    State(state): Shared,
    Path(tenant): Path<String>,
    method: Method,
    uri: Uri,
    jar: CookieJar,
    body: Bytes,
) -> Response {
    state.count("logout");
    let request = match Params::of_request(&method, &uri, &body)
        .and_then(|params| Request::checked(&state, &params))
    {
        Ok(r) => r,
        Err(e) => return error_page(&e),
    };
    let session = session_id(&jar);
    let users: Vec<crate::seed::User> = session_users(&state, session.as_deref())
        .iter()
        .filter_map(|oid| state.seed.user_by_oid(oid).cloned())
        .collect();
    let hinted = request
        .logout_hint
        .as_deref()
        .and_then(|hint| users.iter().find(|u| login_hint_claim(u) == hint));
    match (hinted, &request.logout_hint) {
        (Some(user), _) => {
            let oid = user.oid.clone();
            finish(&state, &request, session, jar, Some(&oid))
        }
        // Nobody to pick: nothing to sign out of.
        (None, _) if users.is_empty() => finish(&state, &request, session, jar, None),
        _ => {
            let accounts: Vec<(String, String)> = users
                .iter()
                .map(|u| (u.username.clone(), u.display_name.clone()))
                .collect();
            let action = format!("/{tenant}/oauth2/v2.0/logoutsession");
            Html(pages::sign_out_picker(&action, &request.hidden(), &accounts).into_string())
                .into_response()
        }
    }
}

/// `POST /{tenant}/oauth2/v2.0/logoutsession`: a tile of "Pick an account to sign out of".
pub async fn pick(State(state): Shared, jar: CookieJar, body: Bytes) -> Response {
    let (params, request) = match Params::parse(&body)
        .and_then(|params| Request::checked(&state, &params).map(|r| (params, r)))
    {
        Ok(both) => both,
        Err(e) => return error_page(&e),
    };
    let session = session_id(&jar);
    let chosen = params
        .get("account")
        .and_then(|name| state.seed.user_by_name(name))
        .map(|u| u.oid.clone())
        .filter(|oid| session_users(&state, session.as_deref()).contains(oid));
    match chosen {
        Some(oid) => finish(&state, &request, session, jar, Some(&oid)),
        None => error_page(&OAuthError::new(
            "invalid_request",
            50058,
            "That account is not signed in here.",
        )),
    }
}

/// The post-logout URI must be a registered redirect URI of the application.
fn check_post_logout_uri(state: &EmulatorState, request: &Request) -> Result<(), OAuthError> {
    let Some(target) = &request.post_logout_redirect_uri else {
        return Ok(());
    };
    let registered = match &request.client_id {
        Some(id) => state
            .seed
            .clients
            .get(id)
            .is_some_and(|c| check_redirect_uri(c, target).is_ok()),
        None => state
            .seed
            .clients
            .values()
            .any(|c| check_redirect_uri(c, target).is_ok()),
    };
    if registered {
        Ok(())
    } else {
        Err(OAuthError::new(
            "invalid_request",
            50011,
            format!("The post-logout redirect URI '{target}' does not match the redirect URIs configured for the application."),
        ))
    }
}

/// Signs `oid` (or, with `None`, everyone) out of the session, then leaves for the post-logout
/// URI or shows the signed-out page.
fn finish(
    state: &EmulatorState,
    request: &Request,
    session: Option<String>,
    jar: CookieJar,
    oid: Option<&str>,
) -> Response {
    let mut jar = jar;
    if let Some(session) = session {
        let now = state.now();
        let mut store = state.store();
        let empty = match (oid, store.live_session(&session, now)) {
            (Some(oid), Some(s)) => {
                s.users.retain(|u| u != oid);
                s.users.is_empty()
            }
            _ => true,
        };
        if empty {
            store.sessions.remove(&session);
            jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
        }
    }
    let Some(target) = &request.post_logout_redirect_uri else {
        return (jar, Html(pages::signed_out().into_string())).into_response();
    };
    let Ok(mut url) = url::Url::parse(target) else {
        return (jar, Html(pages::signed_out().into_string())).into_response();
    };
    if let Some(st) = &request.state {
        url.query_pairs_mut().append_pair("state", st);
    }
    let mut response = (jar, Redirect::to(url.as_str())).into_response();
    *response.status_mut() = StatusCode::FOUND;
    response
}
