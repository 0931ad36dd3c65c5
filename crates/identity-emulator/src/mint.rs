//! ID tokens, access tokens, `client_info`, and the token response.
//!
//! - ID token claims: <https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference>
//! - Access token claims: <https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference>
//! - `client_info`: MSAL's `ClientInfo` (base64url JSON `{uid, utid}`), sent when `client_info=1`.
//! - Token response: <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2>

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

use crate::keys::{opaque_token, random_bytes};
use crate::seed::User;
use crate::state::EmulatorState;

/// Graph's application id, the `aud` of Graph access tokens.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// Access tokens live 60 to 90 minutes; this emulator picks a value in that range per token.
fn access_token_lifetime() -> i64 {
    let [r] = random_bytes::<1>();
    3600 + i64::from(r) * 1799 / 255
}

/// The `sub` claim: stable per user and per application.
fn pairwise_sub(oid: &str, client_id: &str) -> String {
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("{oid}|{client_id}").as_bytes(),
    );
    URL_SAFE_NO_PAD.encode(&digest.as_ref()[..24])
}

/// `client_info`: base64url of `{"uid": oid, "utid": tid}`.
pub fn client_info(user: &User) -> String {
    URL_SAFE_NO_PAD.encode(json!({ "uid": user.oid, "utid": user.tenant }).to_string())
}

/// What a token response is built from.
pub struct Grant<'a> {
    /// The user.
    pub user: &'a User,
    /// The client.
    pub client_id: &'a str,
    /// Graph permissions in the access token (all consented ones, as Entra does).
    pub graph_scopes: Vec<String>,
    /// Whether `openid` was asked for (an ID token is returned).
    pub openid: bool,
    /// The nonce of the authorize request.
    pub nonce: Option<&'a str>,
    /// The sign-in session.
    pub session_id: &'a str,
    /// Whether client_info was asked for.
    pub client_info: bool,
}

/// The `login_hint` claim of `user`: opaque to clients, stable, and never equal to a username.
/// Entra's is opaque too; this one is base64url JSON that the emulator reads back.
pub fn login_hint_claim(user: &User) -> String {
    URL_SAFE_NO_PAD
        .encode(json!({ "oid": user.oid, "tid": user.tenant, "upn": user.username }).to_string())
}

/// Signs an ID token for `grant`, issued by `{base}/{tid}/v2.0`.
pub fn id_token(state: &EmulatorState, base: &str, grant: &Grant<'_>, now: i64) -> String {
    let user = grant.user;
    let mut claims = json!({
        "aud": grant.client_id,
        "iss": format!("{base}/{}/v2.0", user.tenant),
        "iat": now, "nbf": now, "exp": now + 3600,
        "name": user.display_name,
        "preferred_username": user.username,
        "oid": user.oid,
        "sub": pairwise_sub(&user.oid, grant.client_id),
        "tid": user.tenant,
        "ver": "2.0",
        "uti": opaque_token()[..22].to_owned(),
        "rh": format!("0.{}.", opaque_token()),
        "sid": grant.session_id,
    });
    // An optional claim: only for registrations that ask for it.
    // <https://learn.microsoft.com/en-us/entra/identity-platform/optional-claims-reference#v10-and-v20-optional-claims-set>
    let wants_hint = state
        .seed
        .clients
        .get(grant.client_id)
        .is_some_and(|c| c.optional_claims.iter().any(|n| n == "login_hint"));
    if wants_hint {
        claims["login_hint"] = json!(login_hint_claim(user));
    }
    if let Some(nonce) = grant.nonce {
        claims["nonce"] = json!(nonce);
    }
    state
        .keys
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .current
        .sign(&claims)
}

/// Signs a Graph access token (v1.0 format, as Graph's are) and returns it with its lifetime.
pub fn access_token(state: &EmulatorState, grant: &Grant<'_>, now: i64) -> (String, i64) {
    let user = grant.user;
    let lifetime = access_token_lifetime();
    let claims = json!({
        "aud": GRAPH_APP_ID,
        "iss": format!("https://sts.windows.net/{}/", user.tenant),
        "iat": now, "nbf": now, "exp": now + lifetime,
        "appid": grant.client_id,
        "idtyp": "user",
        "name": user.display_name,
        "oid": user.oid,
        "scp": grant.graph_scopes.join(" "),
        "sub": pairwise_sub(&user.oid, GRAPH_APP_ID),
        "tid": user.tenant,
        "unique_name": user.username,
        "upn": user.username,
        "uti": opaque_token()[..22].to_owned(),
        "ver": "1.0",
    });
    let token = state
        .keys
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .current
        .sign(&claims);
    state
        .store()
        .record_access_token(&user.oid, token.clone(), now + lifetime, now);
    (token, lifetime)
}

/// The JSON of a successful token response. `refresh_token` is `(token, expires_in for SPA)`.
pub fn response(
    state: &EmulatorState,
    base: &str,
    grant: &Grant<'_>,
    refresh_token: Option<(String, Option<i64>)>,
    now: i64,
) -> Value {
    let (access, lifetime) = access_token(state, grant, now);
    let mut scope: Vec<&str> = grant.graph_scopes.iter().map(String::as_str).collect();
    if grant.openid {
        scope.extend(["openid", "profile", "email"]);
    }
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scope.join(" "),
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": access,
    });
    let mut issued = vec![access];
    if let Some((refresh, spa_expires_in)) = refresh_token {
        body["refresh_token"] = json!(refresh);
        if let Some(expires_in) = spa_expires_in {
            body["refresh_token_expires_in"] = json!(expires_in);
        }
        issued.push(refresh);
    }
    if grant.openid {
        let id = id_token(state, base, grant, now);
        body["id_token"] = json!(id);
        issued.push(id);
    }
    if grant.client_info {
        body["client_info"] = json!(client_info(grant.user));
    }
    state.store().record_issued(issued);
    body
}
