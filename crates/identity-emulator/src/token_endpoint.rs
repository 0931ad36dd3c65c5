//! `POST /{tenant}/oauth2/v2.0/token`: the `authorization_code` and `refresh_token` grants.
//!
//! - Code redemption: <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token>
//! - Refresh: <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token>
//! - SPA vs desktop redemption (AADSTS9002326 / 9002327) and the SPA's fixed 24 h refresh
//!   token (AADSTS700084): <https://learn.microsoft.com/en-us/entra/identity-platform/reference-third-party-cookies-spas>
//!   and <https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens#token-lifetime>
//! - PKCE verification: RFC 7636 §4.6.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::{JsonError, OAuthError, TraceIds};
use crate::keys::s256;
use crate::mint::{self, Grant};
use crate::params::{base_url, client_request_id, Params, Scopes, MAX_BODY};
use crate::seed::{RedirectKind, User};
use crate::state::{EmulatorState, RefreshGrant};

/// SPA refresh tokens: 24 hours from sign-in, fixed.
const SPA_REFRESH_LIFETIME: i64 = 24 * 3600;
/// Other refresh tokens: 90 days, sliding.
const DESKTOP_REFRESH_LIFETIME: i64 = 90 * 24 * 3600;

/// The token endpoint.
pub async fn token(
    State(state): State<Arc<EmulatorState>>,
    Path(_tenant): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ids = TraceIds {
        trace_id: uuid::Uuid::new_v4().to_string(),
        correlation_id: client_request_id(&headers)
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
        timestamp: crate::timestamp(state.now()),
    };
    match handle(&state, &headers, body).await {
        Ok(json) => {
            let mut response = Json(json).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CACHE_CONTROL,
                "no-store, no-cache".parse().expect("static header"),
            );
            if let Ok(v) = ids.correlation_id.parse() {
                headers.insert("client-request-id", v);
            }
            response
        }
        Err(error) => JsonError { error, ids }.into_response(),
    }
}

async fn handle(
    state: &EmulatorState,
    headers: &HeaderMap,
    body: Body,
) -> Result<serde_json::Value, OAuthError> {
    let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        OAuthError::new("invalid_request", 90015, "The request body is too large.")
            .status(StatusCode::PAYLOAD_TOO_LARGE)
    })?;
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    // Entra reads only form bodies: anything else has no grant_type (AADSTS900144).
    let params = if form {
        Params::parse(&bytes)?
    } else {
        Params::default()
    };
    let grant_type = params.require("grant_type")?;
    let client_id = params.require("client_id")?;
    if !state.seed.clients.contains_key(client_id) {
        return Err(OAuthError::unknown_client(client_id, "the tenant"));
    }
    let base = base_url(headers, state.tls);
    let origin = headers.get(header::ORIGIN).is_some();
    match grant_type {
        "authorization_code" => {
            state.count("token.authorization_code");
            authorization_code(state, &base, &params, client_id, origin)
        }
        "refresh_token" => {
            state.count("token.refresh_token");
            refresh_token(state, &base, &params, client_id, origin)
        }
        other => Err(OAuthError::new(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{other}'."),
        )),
    }
}

/// SPA redirects must be redeemed cross-origin; others must not.
fn check_origin(kind: RedirectKind, origin: bool) -> Result<(), OAuthError> {
    match (kind, origin) {
        (RedirectKind::Spa, false) => Err(OAuthError::new(
            "invalid_request",
            9002327,
            "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
        )),
        (RedirectKind::Desktop | RedirectKind::Web, true) => Err(OAuthError::new(
            "invalid_request",
            9002326,
            "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: the request's Origin header.",
        )),
        _ => Ok(()),
    }
}

fn invalid_grant(aadsts: u32, text: impl Into<String>) -> OAuthError {
    OAuthError::new("invalid_grant", aadsts, text)
}

fn authorization_code(
    state: &EmulatorState,
    base: &str,
    params: &Params,
    client_id: &str,
    origin: bool,
) -> Result<serde_json::Value, OAuthError> {
    let code = params.require("code")?;
    let redirect_uri = params.require("redirect_uri")?;
    let now = state.now();
    let expired = || {
        invalid_grant(70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
    };
    let grant = {
        let mut store = state.store();
        let Some(grant) = store.codes.get_mut(code) else {
            // A code of this emulator forgotten after its lifetime (`Store::prune`) is expired.
            return Err(if store.forgotten_code_expired(code, now) {
                expired()
            } else {
                invalid_grant(9002313, "Invalid request. Request is malformed or invalid. The authorization code is not valid.")
            });
        };
        // Expiry first: a code past its lifetime answers the same whether it was redeemed or
        // not, and whether or not the store has forgotten it yet.
        if grant.expired(now) {
            return Err(expired());
        }
        if grant.redeemed {
            return Err(invalid_grant(54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."));
        }
        if grant.request.client_id != client_id {
            return Err(invalid_grant(
                70000,
                "The provided authorization code was issued to a different client.",
            ));
        }
        if grant.request.redirect_uri != redirect_uri {
            return Err(invalid_grant(50011, format!("The redirect URI '{redirect_uri}' does not match the redirect URI of the authorization request.")));
        }
        check_origin(grant.request.redirect_kind, origin)?;
        if let Some((challenge, method)) = &grant.request.code_challenge {
            let verifier = params
                .get("code_verifier")
                .ok_or_else(|| OAuthError::missing("code_verifier"))?;
            let computed = if method == "S256" {
                s256(verifier)
            } else {
                verifier.to_owned()
            };
            if &computed != challenge {
                return Err(invalid_grant(501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request."));
            }
        }
        grant.redeemed = true;
        grant.clone()
    };
    let user = state
        .seed
        .user_by_oid(&grant.oid)
        .ok_or_else(|| invalid_grant(9002313, "The user of this code no longer exists."))?;
    let requested = Scopes::parse(&grant.request.scopes.join(" "))?;
    let refresh = requested.has_oidc("offline_access").then(|| {
        let lifetime = if grant.request.redirect_kind == RedirectKind::Spa {
            SPA_REFRESH_LIFETIME
        } else {
            DESKTOP_REFRESH_LIFETIME
        };
        new_refresh_token(
            state,
            RefreshGrant {
                client_id: client_id.to_owned(),
                oid: user.oid.clone(),
                tid: user.tenant.clone(),
                kind: grant.request.redirect_kind,
                expires_at: now + lifetime,
                revoked: false,
                client_info: grant.request.client_info,
                session_id: grant.session_id.clone(),
            },
            now,
        )
    });
    let grant = Grant {
        user,
        client_id,
        graph_scopes: consented_scopes(state, user, client_id, &requested),
        openid: requested.has_oidc("openid"),
        nonce: grant.request.nonce.as_deref(),
        session_id: &grant.session_id,
        client_info: grant.request.client_info || params.get("client_info") == Some("1"),
    };
    Ok(mint::response(state, base, &grant, refresh, now))
}

fn refresh_token(
    state: &EmulatorState,
    base: &str,
    params: &Params,
    client_id: &str,
    origin: bool,
) -> Result<serde_json::Value, OAuthError> {
    let token = params.require("refresh_token")?;
    let scope = params
        .get("scope")
        .unwrap_or("openid profile offline_access");
    let requested = Scopes::parse(scope)?;
    let now = state.now();
    let old = {
        let store = state.store();
        // One forgotten after its expiry (`Store::prune`) answers as it did while kept.
        store
            .refresh_tokens
            .get(token)
            .cloned()
            .or_else(|| store.forgotten_refresh_token(token, now))
    };
    let old = old.ok_or_else(|| {
        invalid_grant(
            9002313,
            "Invalid request. Request is malformed or invalid. The refresh token is not valid.",
        )
    })?;
    if old.client_id != client_id {
        return Err(invalid_grant(
            70000,
            "The refresh token was issued to a different client.",
        ));
    }
    check_origin(old.kind, origin)?;
    if old.revoked {
        return Err(invalid_grant(70008, "The refresh token has been revoked: the user's grant was withdrawn. Send a new interactive authorization request for this user and resource."));
    }
    if old.expired(now) {
        return Err(match old.kind {
            RedirectKind::Spa => invalid_grant(700084, "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page."),
            _ => invalid_grant(700082, "The refresh token has expired due to inactivity. The token was inactive for 90.00:00:00."),
        });
    }
    let user = state.seed.user_by_oid(&old.oid).ok_or_else(|| {
        invalid_grant(9002313, "The user of this refresh token no longer exists.")
    })?;
    let consented = state
        .store()
        .consents
        .get(&(old.oid.clone(), client_id.to_owned()))
        .cloned()
        .unwrap_or_default();
    if let Some(missing) = requested.graph.iter().find(|s| !consented.contains(*s)) {
        // <https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes> AADSTS65001
        return Err(OAuthError::new(
            "invalid_grant",
            65001,
            format!("The user or administrator has not consented to use the application with ID '{client_id}'. Send an interactive authorization request for this user and resource. Missing: {missing}."),
        )
        .suberror("consent_required"));
    }
    // Rotation: a new token every time; the old one keeps working, as on Entra. SPA tokens keep
    // the sign-in's fixed expiry, others slide.
    let expires_at = if old.kind == RedirectKind::Spa {
        old.expires_at
    } else {
        now + DESKTOP_REFRESH_LIFETIME
    };
    let refresh = requested.has_oidc("offline_access").then(|| {
        new_refresh_token(
            state,
            RefreshGrant {
                expires_at,
                ..old.clone()
            },
            now,
        )
    });
    let grant = Grant {
        user,
        client_id,
        graph_scopes: consented_scopes(state, user, client_id, &requested),
        openid: requested.has_oidc("openid"),
        nonce: None,
        session_id: &old.session_id,
        client_info: old.client_info || params.get("client_info") == Some("1"),
    };
    Ok(mint::response(state, base, &grant, refresh, now))
}

/// Stores a refresh token; returns it with the SPA's `refresh_token_expires_in`.
fn new_refresh_token(
    state: &EmulatorState,
    grant: RefreshGrant,
    now: i64,
) -> (String, Option<i64>) {
    let spa_expires_in = (grant.kind == RedirectKind::Spa).then(|| grant.expires_at - now);
    let token = state.store().issue_refresh_token(grant, now);
    (token, spa_expires_in)
}

/// The permissions an access token carries: every one the user consented to for this client,
/// plus those asked for (which consent already covers).
fn consented_scopes(
    state: &EmulatorState,
    user: &User,
    client_id: &str,
    requested: &Scopes,
) -> Vec<String> {
    let consented = state
        .store()
        .consents
        .get(&(user.oid.clone(), client_id.to_owned()))
        .cloned()
        .unwrap_or_default();
    let mut scopes: Vec<String> = consented.into_iter().collect();
    for s in &requested.graph {
        if !scopes.contains(s) {
            scopes.push(s.clone());
        }
    }
    scopes
}
