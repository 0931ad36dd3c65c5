//! Which page comes next for an authorize request in progress, and its completion.
//!
//! The order is Entra's: the account (picker, username, or SSO), the credentials at the
//! account's home realm, the interrupt pages an admin may turn on, "Stay signed in?", consent,
//! and the redirect back to the client.
//!
//! - "Stay signed in?": <https://learn.microsoft.com/en-us/entra/fundamentals/how-to-manage-stay-signed-in-prompt>
//! - Prompt and SSO: <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code>

use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use super::checks::tenant_allows;
use super::respond::{error_page, expired_page, redirect_error, respond, Found};
use super::SESSION_COOKIE;
use crate::error::OAuthError;
use crate::keys::opaque_token;
use crate::pages;
use crate::params::Params;
use crate::params::{Scopes, GRAPH_SCOPES};
use crate::realms::{self, Realm};
use crate::seed::User;
use crate::state::{CodeGrant, EmulatorState, Interaction, Prompt};

/// How long a "Yes" to "Stay signed in?" keeps the session cookie across browser restarts.
/// <https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-session-lifetime>
const PERSISTENT_SESSION_DAYS: i64 = 90;

/// The SSO session's id, from its cookie.
pub fn session_id(jar: &CookieJar) -> Option<String> {
    jar.get(SESSION_COOKIE).map(|c| c.value().to_owned())
}

/// The accounts signed in to `session`, by object id (none once the session has ended).
pub fn session_users(state: &EmulatorState, session: Option<&str>) -> Vec<String> {
    let now = state.now();
    session
        .and_then(|s| state.store().live_session(s, now).map(|s| s.users.clone()))
        .unwrap_or_default()
}

/// Decides the next page (or the final redirect) for interaction `ctx`.
pub fn next_step(
    state: &EmulatorState,
    ctx: &str,
    session: Option<String>,
    jar: CookieJar,
) -> Response {
    let Some(interaction) = state.store().interactions.get(ctx).cloned() else {
        return expired_page();
    };
    let request = &interaction.request;
    let seed = &state.seed;
    let app_name = app_name(state, &request.client_id);
    let signed_in: Vec<&User> = session_users(state, session.as_deref())
        .iter()
        .filter_map(|oid| seed.user_by_oid(oid))
        .filter(|u| tenant_allows(state, &request.tenant, u))
        .collect();
    let user = interaction
        .user
        .as_deref()
        .and_then(|oid| seed.user_by_oid(oid))
        .or_else(|| {
            // SSO: reuse the session's account unless the client asks to log in or pick again.
            if matches!(request.prompt, Some(Prompt::Login | Prompt::SelectAccount)) {
                return None;
            }
            match &request.login_hint {
                Some(hint) => signed_in
                    .iter()
                    .copied()
                    .find(|u| u.username.eq_ignore_ascii_case(hint)),
                None if signed_in.len() == 1 => Some(signed_in[0]),
                None => None,
            }
        });
    let Some(user) = user else {
        if request.prompt == Some(Prompt::None) {
            // <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-authorization-endpoint-errors>
            let error = OAuthError::new(
                "login_required",
                50058,
                "A silent sign-in request was sent but no user is signed in.",
            );
            return redirect_error(
                &request.redirect_uri,
                request.response_mode,
                request.state.as_deref(),
                &error,
            );
        }
        let picker = !signed_in.is_empty()
            && request.prompt != Some(Prompt::Login)
            && (request.prompt == Some(Prompt::SelectAccount) || request.login_hint.is_none());
        if picker {
            let accounts: Vec<(String, String)> = signed_in
                .iter()
                .map(|u| (u.username.clone(), u.display_name.clone()))
                .collect();
            return (
                jar,
                Html(
                    pages::picker(&format!("/{}/pick", request.tenant), ctx, &accounts)
                        .into_string(),
                ),
            )
                .into_response();
        }
        let hinted = request
            .login_hint
            .as_deref()
            .and_then(|h| seed.user_by_name(h))
            .filter(|u| tenant_allows(state, &request.tenant, u));
        return match hinted {
            Some(user) => credentials(state, ctx, user, None),
            None => {
                let action = format!("/{}/login", request.tenant);
                let page = pages::username(&action, ctx, &app_name, None);
                (jar, Html(page.into_string())).into_response()
            }
        };
    };
    let user = user.clone();
    if interaction.user.is_none() {
        if let Some(i) = state.store().interactions.get_mut(ctx) {
            i.user = Some(user.oid.clone());
        }
    }
    if interaction.password_given {
        // An admin's interrupt ("More information required") comes right after the password.
        if state.store().interrupt && !interaction.interrupt_passed {
            let action = format!("/{}/interrupt", request.tenant);
            return Html(pages::interrupt(&action, ctx, &user.username).into_string())
                .into_response();
        }
        if interaction.stay_signed_in.is_none() {
            let action = format!("/{}/kmsi", request.tenant);
            return Html(pages::stay_signed_in(&action, ctx, &user.username).into_string())
                .into_response();
        }
    }
    let scopes = Scopes::parse(&request.scopes.join(" ")).unwrap_or_default();
    let consented = state
        .store()
        .consents
        .get(&(user.oid.clone(), request.client_id.clone()))
        .cloned()
        .unwrap_or_default();
    let missing: Vec<&String> = scopes
        .graph
        .iter()
        .filter(|s| !consented.contains(*s))
        .collect();
    if !missing.is_empty() || request.prompt == Some(Prompt::Consent) {
        if request.prompt == Some(Prompt::None) {
            let error = OAuthError::new(
                "consent_required",
                65001,
                format!("The user or administrator has not consented to use the application with ID '{}'. Send an interactive authorization request for this user and resource.", request.client_id),
            );
            return redirect_error(
                &request.redirect_uri,
                request.response_mode,
                request.state.as_deref(),
                &error,
            );
        }
        let mut list: Vec<(String, &str)> = vec![
            ("profile".to_owned(), "View your basic profile"),
            (
                "offline_access".to_owned(),
                "Maintain access to data you have given it access to",
            ),
        ];
        for scope in &scopes.graph {
            let text = GRAPH_SCOPES
                .iter()
                .find(|(s, _)| s == scope)
                .map(|(_, t)| *t)
                .unwrap_or("");
            list.push((scope.clone(), text));
        }
        let page = pages::consent(
            &format!("/{}/consent", request.tenant),
            ctx,
            &app_name,
            &user.username,
            &list,
        );
        return (jar, Html(page.into_string())).into_response();
    }
    complete(state, ctx, &user, session, jar)
}

/// The credentials step for `user`: the password page here for a managed account, or a
/// redirect to the origin that holds the user's password (home realm discovery).
pub fn credentials(state: &EmulatorState, ctx: &str, user: &User, error: Option<&str>) -> Response {
    let Some(tenant) = state
        .store()
        .interactions
        .get(ctx)
        .map(|i| i.request.tenant.clone())
    else {
        return expired_page();
    };
    match realms::realm(state, user, ctx) {
        Realm::Managed => {
            let action = format!("/{tenant}/login");
            Html(pages::password(&action, ctx, &user.username, error).into_string()).into_response()
        }
        Realm::Elsewhere(url) => {
            if let Some(i) = state.store().interactions.get_mut(ctx) {
                i.pending_user = Some(user.oid.clone());
            }
            Redirect::to(url.as_str()).into_response_302()
        }
        Realm::Unavailable(what) => error_page(&OAuthError::new(
            "temporarily_unavailable",
            50000,
            format!("{what} is not running, so this account cannot sign in. Start the emulator with its binary or its test harness, which start every origin."),
        )),
    }
}

/// Issues the code, remembers the session, and sends the user back to the client.
pub fn complete(
    state: &EmulatorState,
    ctx: &str,
    user: &User,
    session: Option<String>,
    jar: CookieJar,
) -> Response {
    let Some(interaction) = state.store().interactions.remove(ctx) else {
        return expired_page();
    };
    let request = interaction.request;
    let now = state.now();
    let session_id = session.unwrap_or_else(opaque_token);
    let code = {
        let mut store = state.store();
        store.sign_in_session(&session_id, &user.oid, now);
        let code = store.issue_code(
            CodeGrant {
                request: request.clone(),
                oid: user.oid.clone(),
                issued_at: now,
                redeemed: false,
                session_id: session_id.clone(),
            },
            now,
        );
        store.record_issued([code.clone()]);
        code
    };
    let mut cookie = Cookie::build((SESSION_COOKIE, session_id.clone()))
        .path("/")
        .http_only(true)
        .same_site(if state.tls {
            SameSite::None
        } else {
            SameSite::Lax
        })
        .secure(state.tls);
    // "Yes" keeps the session across browser restarts; "No" makes it a session cookie.
    if interaction.stay_signed_in == Some(true) {
        cookie = cookie.max_age(time::Duration::days(PERSISTENT_SESSION_DAYS));
    }
    let cookie = cookie.build();
    let mut fields = vec![("code", code)];
    if let Some(st) = &request.state {
        fields.push(("state", st.clone()));
    }
    if request.client_info {
        fields.push(("client_info", crate::mint::client_info(user)));
    }
    fields.push(("session_state", session_id));
    (
        jar.add(cookie),
        respond(&request.redirect_uri, request.response_mode, &fields),
    )
        .into_response()
}

/// A posted sign-in page: its parameters, its interaction id (`ctx`) and the interaction.
/// `None` when the form is malformed or the interaction is unknown or over.
pub fn posted_page(state: &EmulatorState, body: &[u8]) -> Option<(Params, String, Interaction)> {
    let params = Params::parse(body).ok()?;
    let ctx = params.get("ctx")?.to_owned();
    let interaction = state.store().interactions.get(&ctx).cloned()?;
    Some((params, ctx, interaction))
}

/// The app's name, for the pages.
pub fn app_name(state: &EmulatorState, client_id: &str) -> String {
    state
        .seed
        .clients
        .get(client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}
