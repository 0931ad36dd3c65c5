//! `GET|POST /{tenant}/oauth2/v2.0/authorize` and the sign-in pages behind it.
//!
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code>
//!
//! One small check per function (`check_*`), as node-oidc-provider does. Errors the client can
//! trust go back on the redirect URI following `response_mode`; an unknown client or redirect URI
//! gets an error page and never a redirect.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use url::Url;

use crate::error::OAuthError;
use crate::keys::opaque_token;
use crate::pages;
use crate::params::{base_url, Params, Scopes, GRAPH_SCOPES};
use crate::seed::{Client, RedirectKind, User, CONSUMERS_TENANT};
use crate::state::{AuthRequest, CodeGrant, Interaction, Prompt, ResponseMode, State};

/// The SSO cookie's name.
pub const SESSION_COOKIE: &str = "ESTSAUTH";

/// Interactions (pages in progress) expire after this long.
const INTERACTION_TTL: i64 = 3600;

type Shared = AxState<Arc<State>>;

/// The authorize endpoint.
pub async fn authorize(
    AxState(state): Shared,
    Path(tenant): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    body: Bytes,
) -> Response {
    state.count("authorize");
    let raw = if method == Method::POST {
        body.to_vec()
    } else {
        uri.query().unwrap_or("").as_bytes().to_vec()
    };
    let params = match Params::parse(&raw) {
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
    let base = base_url(&headers, state.tls);
    let ctx = opaque_token();
    let now = state.now();
    {
        let mut store = state.store();
        store
            .interactions
            .retain(|_, i| now - i.started_at < INTERACTION_TTL);
        store.interactions.insert(
            ctx.clone(),
            Interaction {
                request: request.clone(),
                user: None,
                started_at: now,
            },
        );
    }
    let session = session_id(&jar);
    next_step(&state, &base, &ctx, session, jar, None)
}

enum Failure {
    Page(OAuthError),
    Redirect(OAuthError, ResponseMode, String, Option<String>),
}

fn validate(state: &State, tenant: &str, params: &Params) -> Result<AuthRequest, Failure> {
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

/// `login_hint` is a username, or the opaque `login_hint` claim of an ID token, which this
/// emulator makes as base64url JSON holding the `upn`.
/// <https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference#payload-claims>
fn resolve_login_hint(hint: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(hint)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|claim| claim["upn"].as_str().map(str::to_owned))
        .unwrap_or_else(|| hint.to_owned())
}

/// `{tenant}`: common, organizations, consumers, a tenant id or a verified domain (AADSTS90002).
fn check_tenant(state: &State, tenant: &str) -> Result<(), OAuthError> {
    let alias = ["common", "organizations", "consumers"]
        .iter()
        .any(|a| a.eq_ignore_ascii_case(tenant));
    if alias || state.seed.tenant(tenant).is_some() {
        Ok(())
    } else {
        Err(OAuthError::new(
            "invalid_request",
            90002,
            format!("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."),
        ))
    }
}

/// Redirect URIs match exactly, except that for `http://localhost` and `http://127.0.0.1` the port
/// is ignored (RFC 8252 §7.3), while the path must still match.
/// <https://learn.microsoft.com/en-us/entra/identity-platform/reply-url#localhost-exceptions>
pub fn check_redirect_uri(client: &Client, redirect_uri: &str) -> Result<RedirectKind, OAuthError> {
    let mismatch = || OAuthError::redirect_mismatch(redirect_uri, &client.client_id);
    let asked = Url::parse(redirect_uri).map_err(|_| mismatch())?;
    let registered: Vec<(Url, RedirectKind)> = client
        .redirect_uris
        .iter()
        .filter_map(|r| Url::parse(&r.uri).ok().map(|u| (u, r.kind)))
        .collect();
    if let Some((_, kind)) = registered.iter().find(|(u, _)| *u == asked) {
        return Ok(*kind);
    }
    let loopback =
        |u: &Url| u.scheme() == "http" && matches!(u.host_str(), Some("localhost" | "127.0.0.1"));
    if !loopback(&asked) {
        return Err(mismatch());
    }
    let same_but_port = |u: &Url| {
        loopback(u)
            && u.host_str() == asked.host_str()
            && u.path() == asked.path()
            && u.query() == asked.query()
    };
    // A registration without a port ("any port") wins over one with another port.
    registered
        .iter()
        .filter(|(u, _)| same_but_port(u))
        .min_by_key(|(u, _)| u.port().is_some())
        .map(|(_, kind)| *kind)
        .ok_or_else(mismatch)
}

/// PKCE (RFC 7636 §4.3): S256, or plain (allowed, but logged). SPA clients must use it
/// (AADSTS9002325).
fn check_pkce(params: &Params, kind: RedirectKind) -> Result<Option<(String, String)>, OAuthError> {
    let Some(challenge) = params.get("code_challenge") else {
        if kind == RedirectKind::Spa {
            return Err(OAuthError::new(
                "invalid_request",
                9002325,
                "Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
            ));
        }
        return Ok(None);
    };
    let method = params.get("code_challenge_method").unwrap_or("plain");
    match method {
        "S256" => {}
        "plain" => tracing::warn!("a client used PKCE method 'plain'; use S256"),
        other => {
            return Err(OAuthError::new(
                "invalid_request",
                50148,
                format!("The code_challenge_method '{other}' is not supported. Use S256."),
            ))
        }
    }
    Ok(Some((challenge.to_owned(), method.to_owned())))
}

fn check_prompt(params: &Params) -> Result<Option<Prompt>, OAuthError> {
    Ok(match params.get("prompt") {
        None => None,
        Some("login") => Some(Prompt::Login),
        Some("none") => Some(Prompt::None),
        Some("consent") => Some(Prompt::Consent),
        Some("select_account") => Some(Prompt::SelectAccount),
        Some(other) => {
            return Err(OAuthError::new(
                "invalid_request",
                90023,
                format!("Invalid prompt value '{other}'."),
            ))
        }
    })
}

/// Whether `user` may sign in through `tenant` (AADSTS50020 otherwise).
fn tenant_allows(state: &State, tenant: &str, user: &User) -> bool {
    let consumer = user.tenant == CONSUMERS_TENANT;
    match tenant.to_ascii_lowercase().as_str() {
        "common" => true,
        "organizations" => !consumer,
        "consumers" => consumer,
        _ => state
            .seed
            .tenant(tenant)
            .is_some_and(|t| t.id == user.tenant),
    }
}

fn session_id(jar: &CookieJar) -> Option<String> {
    jar.get(SESSION_COOKIE).map(|c| c.value().to_owned())
}

fn session_users(state: &State, session: Option<&str>) -> Vec<String> {
    session
        .and_then(|s| state.store().sessions.get(s).map(|s| s.users.clone()))
        .unwrap_or_default()
}

/// Decides the next page (or the final redirect) for interaction `ctx`.
fn next_step(
    state: &State,
    base: &str,
    ctx: &str,
    session: Option<String>,
    jar: CookieJar,
    page_error: Option<&str>,
) -> Response {
    let Some(interaction) = state.store().interactions.get(ctx).cloned() else {
        return expired_page();
    };
    let request = &interaction.request;
    let seed = &state.seed;
    let app_name = app_name(state, &request.client_id);
    let action = format!("/{}/login", request.tenant);
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
        let page = match request
            .login_hint
            .as_deref()
            .filter(|h| seed.user_by_name(h).is_some())
        {
            Some(hint) => pages::password(&action, ctx, hint, page_error),
            None => pages::username(&action, ctx, &app_name, page_error),
        };
        return (jar, Html(page.into_string())).into_response();
    };
    let user = user.clone();
    if interaction.user.is_none() {
        if let Some(i) = state.store().interactions.get_mut(ctx) {
            i.user = Some(user.oid.clone());
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
    complete(state, base, ctx, &user, session, jar)
}

/// Issues the code, remembers the session, and sends the user back to the client.
fn complete(
    state: &State,
    _base: &str,
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
    let code = opaque_token();
    {
        let mut store = state.store();
        let session = store.sessions.entry(session_id.clone()).or_default();
        if !session.users.contains(&user.oid) {
            session.users.push(user.oid.clone());
        }
        store.codes.insert(
            code.clone(),
            CodeGrant {
                request: request.clone(),
                oid: user.oid.clone(),
                issued_at: now,
                redeemed: false,
                session_id: session_id.clone(),
            },
        );
        store.record_issued([code.clone()]);
    }
    let cookie = Cookie::build((SESSION_COOKIE, session_id.clone()))
        .path("/")
        .http_only(true)
        .same_site(if state.tls {
            SameSite::None
        } else {
            SameSite::Lax
        })
        .secure(state.tls)
        .build();
    let mut fields = vec![("code", code)];
    if let Some(st) = &request.state {
        fields.push(("state", st.clone()));
    }
    if request.client_info {
        fields.push(("client_info", crate::tokens::client_info(user)));
    }
    fields.push(("session_state", session_id));
    (
        jar.add(cookie),
        respond(&request.redirect_uri, request.response_mode, &fields),
    )
        .into_response()
}

/// Sends `fields` to `redirect_uri` in `mode`: a 302 with a query or fragment, or a form_post page.
pub fn respond(redirect_uri: &str, mode: ResponseMode, fields: &[(&str, String)]) -> Response {
    let Ok(mut url) = Url::parse(redirect_uri) else {
        return (StatusCode::BAD_REQUEST, "invalid redirect URI").into_response();
    };
    match mode {
        ResponseMode::Query => {
            url.query_pairs_mut()
                .extend_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())));
            Redirect::to(url.as_str()).into_response_302()
        }
        ResponseMode::Fragment => {
            let fragment = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())))
                .finish();
            url.set_fragment(Some(&fragment));
            Redirect::to(url.as_str()).into_response_302()
        }
        ResponseMode::FormPost => {
            Html(pages::form_post(redirect_uri, fields).into_string()).into_response()
        }
    }
}

/// Entra answers the authorize endpoint with 302 Found.
trait Found {
    fn into_response_302(self) -> Response;
}

impl Found for Redirect {
    fn into_response_302(self) -> Response {
        let mut response = self.into_response();
        *response.status_mut() = StatusCode::FOUND;
        response
    }
}

/// An error sent back on the redirect URI: `error`, `error_description`, `error_codes`, `state`.
pub fn redirect_error(
    redirect_uri: &str,
    mode: ResponseMode,
    st: Option<&str>,
    error: &OAuthError,
) -> Response {
    let ids = crate::error::TraceIds {
        trace_id: uuid::Uuid::new_v4().to_string(),
        correlation_id: uuid::Uuid::new_v4().to_string(),
        timestamp: crate::timestamp(0),
    };
    let mut fields = vec![
        ("error", error.error.to_owned()),
        ("error_description", error.description(&ids)),
        ("error_codes", format!("[{}]", error.aadsts)),
    ];
    if let Some(sub) = error.suberror {
        fields.push(("suberror", sub.to_owned()));
    }
    if let Some(st) = st {
        fields.push(("state", st.to_owned()));
    }
    fields.push(("trace_id", ids.trace_id));
    fields.push(("correlation_id", ids.correlation_id));
    respond(redirect_uri, mode, &fields)
}

/// An error page (no redirect).
pub fn error_page(error: &OAuthError) -> Response {
    let trace = uuid::Uuid::new_v4().to_string();
    (
        StatusCode::BAD_REQUEST,
        Html(pages::error(error.aadsts, &error.text, &trace).into_string()),
    )
        .into_response()
}

fn expired_page() -> Response {
    error_page(&OAuthError::new(
        "invalid_request",
        90014,
        "This sign-in page has expired or was already used. Go back to the application and sign in again.",
    ))
}

/// A posted sign-in page: its parameters, its interaction id (`ctx`) and the interaction.
/// `None` when the form is malformed or the interaction is unknown or over.
fn posted_page(state: &State, body: &[u8]) -> Option<(Params, String, Interaction)> {
    let params = Params::parse(body).ok()?;
    let ctx = params.get("ctx")?.to_owned();
    let interaction = state.store().interactions.get(&ctx).cloned()?;
    Some((params, ctx, interaction))
}

/// The app's name, for the pages.
fn app_name(state: &State, client_id: &str) -> String {
    state
        .seed
        .clients
        .get(client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

/// `POST /{tenant}/login`: the username and password pages.
pub async fn login(
    AxState(state): Shared,
    headers: HeaderMap,
    jar: CookieJar,
    body: Bytes,
) -> Response {
    let Some((params, ctx, interaction)) = posted_page(&state, &body) else {
        return expired_page();
    };
    let base = base_url(&headers, state.tls);
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
            Some(u) => Html(pages::password(&action, &ctx, &u.username, None).into_string())
                .into_response(),
            None => {
                let app = app_name(&state, &request.client_id);
                let error = "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.";
                Html(pages::username(&action, &ctx, &app, Some(error)).into_string())
                    .into_response()
            }
        };
    }
    match user {
        Some(u) if params.get("passwd") == Some(u.password.as_str()) => {
            if let Some(i) = state.store().interactions.get_mut(&ctx) {
                i.user = Some(u.oid.clone());
            }
            next_step(&state, &base, &ctx, session_id(&jar), jar, None)
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
pub async fn consent(
    AxState(state): Shared,
    headers: HeaderMap,
    jar: CookieJar,
    body: Bytes,
) -> Response {
    let Some((params, ctx, interaction)) = posted_page(&state, &body) else {
        return expired_page();
    };
    let base = base_url(&headers, state.tls);
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
    complete(&state, &base, &ctx, &user, session_id(&jar), jar)
}

/// `POST /{tenant}/pick`: a tile of the account picker.
pub async fn pick(
    AxState(state): Shared,
    headers: HeaderMap,
    jar: CookieJar,
    body: Bytes,
) -> Response {
    let Some((params, ctx, interaction)) = posted_page(&state, &body) else {
        return expired_page();
    };
    let base = base_url(&headers, state.tls);
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
            next_step(&state, &base, &ctx, session, jar, None)
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
