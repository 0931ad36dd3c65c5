//! Home realm discovery, and the sign-in origins other than the main one.
//!
//! On the real service a user's password is not always given to login.microsoftonline.com:
//!
//! - a personal Microsoft account is sent to login.live.com, which asks for the password and
//!   "Stay signed in?", then form-POSTs the user back;
//! - a user of a federated tenant is sent to the company's own sign-in server (AD FS), which
//!   form-POSTs a signed WS-Federation answer back to `login.srf`.
//!
//! <https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/home-realm-discovery-policy>
//! <https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/whatis-fed>
//!
//! The emulator serves each on a listener of its own ([`personal::routes`],
//! [`federated::routes`]), so that a client which assumes one origin fails here as it would for
//! real users. The way back carries a signed, single-use assertion naming the user and the
//! interaction ([`issue`], [`verify`]).

pub mod federated;
pub mod personal;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::keys::opaque_token;
use crate::seed::{User, CONSUMERS_TENANT};
use crate::state::EmulatorState;

/// The audience of assertions sent back to the main origin: the one AD FS uses for Microsoft
/// Online's relying party trust.
const AUDIENCE: &str = "urn:federation:MicrosoftOnline";

/// Assertions are good for this long.
const ASSERTION_TTL: i64 = 300;

/// Where a user gives their password.
#[derive(Debug)]
pub enum Realm {
    /// On the main origin: a cloud (managed) account.
    Managed,
    /// On another origin, reached at this URL.
    Elsewhere(Url),
    /// On an origin that is not running (a single-listener emulator); names it.
    Unavailable(&'static str),
}

/// The realm of `user`, who signs in through interaction `ctx`.
pub fn realm(state: &EmulatorState, user: &User, ctx: &str) -> Realm {
    let origins = state.origins();
    let federated = state.seed.home_tenant(user).is_some_and(|t| t.federated);
    let (origin, path, what) = if federated {
        (
            origins.federated,
            "/adfs/ls/",
            "The federated sign-in origin (AD FS)",
        )
    } else if user.tenant == CONSUMERS_TENANT {
        (
            origins.personal,
            "/oauth20_authorize.srf",
            "The personal accounts sign-in origin",
        )
    } else {
        return Realm::Managed;
    };
    let Some(mut url) = origin.and_then(|o| Url::parse(&o).ok()) else {
        return Realm::Unavailable(what);
    };
    url.set_path(path);
    {
        let mut query = url.query_pairs_mut();
        if federated {
            // WS-Federation sign-in request, as Entra sends it to AD FS.
            query.append_pair("wa", "wsignin1.0");
            query.append_pair("wctx", ctx);
        } else {
            query.append_pair("ctx", ctx);
        }
        query.append_pair("username", &user.username);
    }
    Realm::Elsewhere(url)
}

/// What an assertion says.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    ctx: String,
    #[serde(default)]
    kmsi: Option<bool>,
    jti: String,
    iat: i64,
    exp: i64,
}

/// A verified assertion.
#[derive(Debug)]
pub struct Assertion {
    /// The user's object id.
    pub oid: String,
    /// The answer to "Stay signed in?", when the other origin asked it.
    pub stay_signed_in: Option<bool>,
}

/// Signs an assertion from `issuer` that `user` signed in, for interaction `ctx`.
pub fn issue(
    state: &EmulatorState,
    issuer: &str,
    user: &User,
    ctx: &str,
    stay_signed_in: Option<bool>,
) -> String {
    let now = state.now();
    let claims = Claims {
        iss: issuer.to_owned(),
        aud: AUDIENCE.to_owned(),
        sub: user.oid.clone(),
        ctx: ctx.to_owned(),
        kmsi: stay_signed_in,
        jti: opaque_token(),
        iat: now,
        exp: now + ASSERTION_TTL,
    };
    state
        .keys
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .current
        .sign(&claims)
}

/// Checks an assertion for interaction `ctx`: signed by the emulator, issued by one of its other
/// origins, unexpired, and not used before. `None` otherwise.
pub fn verify(state: &EmulatorState, token: &str, ctx: &str) -> Option<Assertion> {
    let claims: Claims = state
        .keys
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .verify(token, &[AUDIENCE])
        .ok()?;
    let origins = state.origins();
    let known_issuer = [origins.personal, origins.federated]
        .iter()
        .flatten()
        .any(|o| *o == claims.iss);
    let now = state.now();
    if !known_issuer || claims.ctx != ctx || claims.exp <= now {
        return None;
    }
    // Kept until its `exp`, after which the check above refuses it anyway.
    if !state.store().use_assertion(claims.jti, claims.exp, now) {
        return None;
    }
    Some(Assertion {
        oid: claims.sub,
        stay_signed_in: claims.kmsi,
    })
}

/// The interaction `ctx`'s user who was sent to another origin: their seed entry.
fn pending_user(state: &EmulatorState, ctx: &str) -> Option<User> {
    let oid = state
        .store()
        .interactions
        .get(ctx)
        .and_then(|i| i.pending_user.clone())?;
    state.seed.user_by_oid(&oid).cloned()
}

/// The main origin's URL of `path` (the return address of the other origins).
fn main_origin(state: &EmulatorState, path: &str) -> Option<String> {
    state.origins().main.map(|m| format!("{m}{path}"))
}
