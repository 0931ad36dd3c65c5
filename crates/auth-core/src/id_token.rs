//! ID token validation (OpenID Connect Core 1.0 §3.1.3.7) and `client_info` decoding.
//!
//! Claims are those of
//! <https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference>;
//! multi-tenant issuers hold `{tenantid}`, replaced by the token's `tid` before comparing
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-issuer>).
//! The signature is checked by [`signature`]: jsonwebtoken's aws-lc-rs verifiers natively,
//! the `rsa` and `p256` crates on wasm32. Entra signs with RS256 only, and that is all an AAD
//! client accepts; a generic provider may also sign with PS256 or ES256.

use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::authority::{Tenant, CONSUMERS_TENANT_ID, TENANT_ID_TEMPLATE};
use crate::config::Config;
pub use crate::error::IdTokenError;

mod signature;
use signature::{Alg, PublicKey};

/// The clock skew allowed on `exp`, `nbf` and `iat` by default, as MSAL's 5 minutes.
pub const DEFAULT_SKEW_SECONDS: u64 = 300;

/// base64url, with or without padding (JWTs omit it, RFC 7515 §2; `client_info` may not).
pub(crate) const B64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl IdTokenError {
    /// Whether the caller should fetch the JWKS again once and retry (key rotation).
    pub fn needs_jwks_refresh(&self) -> bool {
        matches!(self, IdTokenError::UnknownKey(_))
    }
}

/// The signing keys of an authority (RFC 7517 §5), by `kid`, and the algorithms accepted.
#[derive(Clone)]
pub struct Jwks {
    keys: Vec<Jwk>,
    accepted: &'static [Alg],
}

/// One signing key: its `kid`, the `alg` the JWK names (if any) and the key.
#[derive(Clone)]
struct Jwk {
    kid: Option<String>,
    alg: Option<Alg>,
    key: PublicKey,
}

impl Jwk {
    /// Whether this key may verify an `alg` signature: the right key type, and the JWK's own
    /// `alg` when it names one (RFC 7517 §4.4).
    fn fits(&self, alg: Alg) -> bool {
        self.key.fits(alg) && self.alg.is_none_or(|a| a == alg)
    }
}

impl std::fmt::Debug for Jwks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.keys.iter().map(|k| &k.kid))
            .finish()
    }
}

/// What Entra signs with, and all an AAD client accepts.
const AAD_ALGS: &[Alg] = &[Alg::Rs256];
/// What a generic provider may sign with (OIDC mode).
const OIDC_ALGS: &[Alg] = &[Alg::Rs256, Alg::Ps256, Alg::Es256];

#[derive(Deserialize)]
struct RawJwks {
    keys: Vec<RawJwk>,
}

#[derive(Deserialize)]
struct RawJwk {
    kty: String,
    kid: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    alg: Option<String>,
    n: Option<String>,
    e: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    y: Option<String>,
}

impl Jwks {
    /// Parses an Entra JWKS document: RS256 keys only. Keys that cannot sign RS256 (other
    /// types, `use: enc`) are skipped; a document with none left is an error.
    pub fn from_json(document: &[u8]) -> Result<Jwks, IdTokenError> {
        Jwks::parse(document, AAD_ALGS)
    }

    /// Parses a generic provider's JWKS document: RSA keys for RS256 and PS256, P-256 keys for
    /// ES256. Other keys (`use: enc`, other curves, other algorithms) are skipped; a document
    /// with none left is an error.
    pub fn from_json_oidc(document: &[u8]) -> Result<Jwks, IdTokenError> {
        Jwks::parse(document, OIDC_ALGS)
    }

    fn parse(document: &[u8], accepted: &'static [Alg]) -> Result<Jwks, IdTokenError> {
        let raw: RawJwks = serde_json::from_slice(document)
            .map_err(|e| IdTokenError::InvalidJwks(format!("not a JWKS ({e})")))?;
        let keys: Vec<Jwk> = raw
            .keys
            .into_iter()
            .filter(|k| k.use_.as_deref().is_none_or(|u| u == "sig"))
            .filter_map(|k| {
                // A JWK naming an algorithm this client does not accept is not used.
                let alg = match k.alg.as_deref() {
                    None => None,
                    Some(name) => Some(Alg::parse(name).filter(|a| accepted.contains(a))?),
                };
                let key = match k.kty.as_str() {
                    "RSA" => PublicKey::rsa(k.n.as_deref()?, k.e.as_deref()?)?,
                    "EC" if k.crv.as_deref() == Some("P-256") => {
                        PublicKey::p256(k.x.as_deref()?, k.y.as_deref()?)?
                    }
                    _ => return None,
                };
                let jwk = Jwk {
                    kid: k.kid,
                    alg,
                    key,
                };
                accepted.iter().any(|a| jwk.fits(*a)).then_some(jwk)
            })
            .collect();
        if keys.is_empty() {
            let names: Vec<&str> = accepted.iter().map(|a| a.name()).collect();
            return Err(IdTokenError::InvalidJwks(format!(
                "it holds no {} signing key",
                names.join(", ")
            )));
        }
        Ok(Jwks { keys, accepted })
    }

    /// The key ids, in document order.
    pub fn kids(&self) -> impl Iterator<Item = Option<&str>> {
        self.keys.iter().map(|k| k.kid.as_deref())
    }

    /// The key for an `alg` signature named by `kid`.
    fn select(&self, kid: Option<&str>, alg: Alg) -> Result<&PublicKey, IdTokenError> {
        let jwk = match kid {
            Some(kid) => self
                .keys
                .iter()
                .find(|k| k.kid.as_deref() == Some(kid))
                .ok_or_else(|| IdTokenError::UnknownKey(kid.to_owned()))?,
            // OIDC Core §10.1: without `kid`, the key must be unambiguous.
            None => {
                let mut fitting = self.keys.iter().filter(|k| k.fits(alg));
                match (fitting.next(), fitting.next()) {
                    (Some(only), None) => only,
                    (Some(_), Some(_)) => return Err(IdTokenError::AmbiguousKey),
                    (None, _) => return Err(IdTokenError::KeyDoesNotFit(alg.name())),
                }
            }
        };
        // RFC 7515 §4.1.4 and RFC 7517 §4.4: a key of another type, or one whose JWK names
        // another algorithm, verifies nothing (an RSA key never checks an ES256 header).
        if !jwk.fits(alg) {
            return Err(IdTokenError::KeyDoesNotFit(alg.name()));
        }
        Ok(&jwk.key)
    }
}

/// What an ID token must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectations {
    /// The issuer; `{tenantid}` is replaced by the token's `tid`.
    pub issuer: String,
    /// A `tid` refused although the issuer template would take it: the personal accounts
    /// tenant for `organizations`, which accepts work and school accounts only.
    pub refused_tenant: Option<String>,
    /// The client id (`aud`).
    pub client_id: String,
    /// The nonce sent in the authorize request; `None` for tokens from a refresh, which
    /// carry none to match (OIDC Core §12.2).
    pub nonce: Option<String>,
    /// For a token from a refresh: the `iss` and `sub` of the ID token it replaces, which it
    /// must repeat (OIDC Core §12.2).
    pub same_user_as: Option<Subject>,
    /// Clock skew allowed, in seconds.
    pub skew: u64,
}

/// Who an ID token is about: its issuer and subject, together unique (OIDC Core §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// `iss`.
    pub iss: String,
    /// `sub`.
    pub sub: String,
}

impl Subject {
    /// The `iss` and `sub` of an ID token this client validated before (a cached one), read
    /// without checking it again. `None` when it cannot be read.
    pub fn of_validated(token: &str) -> Option<Subject> {
        #[derive(Deserialize)]
        struct Claims {
            iss: String,
            sub: String,
        }
        let payload = token.split('.').nth(1)?;
        let c: Claims = decode_json(payload, "payload").ok()?;
        Some(Subject {
            iss: c.iss,
            sub: c.sub,
        })
    }
}

impl Expectations {
    /// The configuration's issuer and client id, the default skew, and a nonce.
    pub fn new(config: &Config, nonce: Option<&str>) -> Self {
        let refused_tenant = matches!(config.authority().tenant(), Tenant::Organizations)
            .then(|| CONSUMERS_TENANT_ID.to_owned());
        Expectations {
            issuer: config.authority().issuer(),
            refused_tenant,
            client_id: config.client_id().to_owned(),
            nonce: nonce.map(str::to_owned),
            same_user_as: None,
            skew: DEFAULT_SKEW_SECONDS,
        }
    }

    /// The same, for a token that must be about `subject` (a refresh's).
    pub fn same_user_as(mut self, subject: Option<Subject>) -> Self {
        self.same_user_as = subject;
        self
    }
}

/// The validated claims of an ID token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IdTokenClaims {
    /// `iss`.
    pub iss: String,
    /// `sub`: the user, pairwise per application.
    pub sub: String,
    /// `exp`, unix seconds.
    pub exp: u64,
    /// `iat`, unix seconds.
    pub iat: u64,
    /// `tid`: the tenant the user signed in to.
    pub tid: Option<String>,
    /// `oid`: the user's object id in that tenant.
    pub oid: Option<String>,
    /// `preferred_username`: the username to show (not for authorization).
    pub preferred_username: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `login_hint`: an opaque hint for sign-in and sign-out.
    pub login_hint: Option<String>,
    /// `sid`: the session id.
    pub sid: Option<String>,
    /// `email` (OpenID Connect Core 1.0 §5.1): a generic provider's username when it sends
    /// no `preferred_username`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Deserialize)]
struct Header {
    alg: Option<String>,
    kid: Option<String>,
}

/// `aud`: one audience, or several (RFC 7519 §4.1.3).
enum Audience {
    One(String),
    Many(Vec<String>),
}

/// Either form, read directly: serde's untagged enums buffer the value first, and that
/// machinery is 3 KB of the browser page's wasm.
impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = Audience;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Audience, E> {
                Ok(Audience::One(s.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Audience, A::Error> {
                let mut all = Vec::new();
                while let Some(one) = seq.next_element()? {
                    all.push(one);
                }
                Ok(Audience::Many(all))
            }
        }
        deserializer.deserialize_any(Either)
    }
}

#[derive(Deserialize)]
struct RawClaims {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Audience>,
    azp: Option<String>,
    exp: Option<f64>,
    nbf: Option<f64>,
    iat: Option<f64>,
    nonce: Option<String>,
    tid: Option<String>,
    oid: Option<String>,
    preferred_username: Option<String>,
    name: Option<String>,
    login_hint: Option<String>,
    email: Option<String>,
    sid: Option<String>,
}

/// A token whose header and key were checked, ready for its signature check.
struct Signed<'t, 'k> {
    key: &'k PublicKey,
    alg: Alg,
    /// `header.payload`, what the signature covers.
    message: &'t [u8],
    signature: Vec<u8>,
    payload: &'t str,
}

/// Steps 6–7 before the signature itself: the three parts, an accepted `alg` (RS256 for
/// Entra; RS256, PS256 or ES256 for a generic provider; `none` and HMAC never: RP tests
/// `rp-id_token-sig-none`, `rp-id_token-sig-hs256`) and the key for it.
fn signed<'t, 'k>(token: &'t str, jwks: &'k Jwks) -> Result<Signed<'t, 'k>, IdTokenError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(IdTokenError::Malformed(
            "not three dot-separated parts".into(),
        ));
    };
    let header: Header = decode_json(h, "header")?;
    let name = header.alg.as_deref().unwrap_or("(none)");
    let alg = Alg::parse(name)
        .filter(|a| jwks.accepted.contains(a))
        .ok_or_else(|| IdTokenError::UnsupportedAlgorithm(name.to_owned()))?;
    let key = jwks.select(header.kid.as_deref(), alg)?;
    let signature = B64URL
        .decode(s)
        .map_err(|_| IdTokenError::Malformed("signature is not base64url".into()))?;
    // JWS (RFC 7515 §5.2): the signature is over `header.payload`.
    let signed_len = h.len() + 1 + p.len();
    Ok(Signed {
        key,
        alg,
        message: &token.as_bytes()[..signed_len],
        signature,
        payload: p,
    })
}

/// Validates an ID token at `now` (unix seconds), following OIDC Core §3.1.3.7 steps 2–11.
/// Native only: in the browser the signature is checked by Web Crypto, which answers a
/// promise ([`validate_async`]).
///
/// On [`IdTokenError::UnknownKey`] the caller fetches the JWKS again, once, and retries.
#[cfg(not(target_arch = "wasm32"))]
pub fn validate(
    token: &str,
    jwks: &Jwks,
    expected: &Expectations,
    now: u64,
) -> Result<IdTokenClaims, IdTokenError> {
    let signed = signed(token, jwks)?;
    if !signed
        .key
        .verify(signed.alg, signed.message, &signed.signature)
    {
        return Err(IdTokenError::BadSignature);
    }
    checked_claims(signed.payload, expected, now)
}

/// [`validate`] on both targets: natively it is ready at once; in the browser the signature
/// goes through Web Crypto (`SubtleCrypto.verify`).
pub async fn validate_async(
    token: &str,
    jwks: &Jwks,
    expected: &Expectations,
    now: u64,
) -> Result<IdTokenClaims, IdTokenError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        validate(token, jwks, expected, now)
    }
    #[cfg(target_arch = "wasm32")]
    {
        let signed = signed(token, jwks)?;
        if !signed
            .key
            .verify(signed.alg, signed.message, &signed.signature)
            .await?
        {
            return Err(IdTokenError::BadSignature);
        }
        checked_claims(signed.payload, expected, now)
    }
}

/// Steps 2–11 on a payload whose signature was checked.
fn checked_claims(
    p: &str,
    expected: &Expectations,
    now: u64,
) -> Result<IdTokenClaims, IdTokenError> {
    let c: RawClaims = decode_json(p, "payload")?;
    // Step 2: iss, with `{tenantid}` replaced by `tid` for multi-tenant authorities.
    let iss = c.iss.ok_or(IdTokenError::MissingClaim("iss"))?;
    let expected_iss = if expected.issuer.contains(TENANT_ID_TEMPLATE) {
        let tid = c.tid.as_deref().ok_or(IdTokenError::MissingClaim("tid"))?;
        if expected.refused_tenant.as_deref() == Some(tid) {
            return Err(IdTokenError::TenantRefused);
        }
        expected.issuer.replace(TENANT_ID_TEMPLATE, tid)
    } else {
        expected.issuer.clone()
    };
    if iss != expected_iss {
        return Err(IdTokenError::IssuerMismatch {
            expected: expected_iss,
            found: iss,
        });
    }
    // Steps 3–5: aud holds the client id; with several audiences azp must be the client.
    match c.aud.ok_or(IdTokenError::MissingClaim("aud"))? {
        Audience::One(a) if a == expected.client_id => {}
        Audience::Many(v) if v.contains(&expected.client_id) => {
            if v.len() > 1 && c.azp.as_deref() != Some(expected.client_id.as_str()) {
                return Err(IdTokenError::AudienceMismatch);
            }
        }
        _ => return Err(IdTokenError::AudienceMismatch),
    }
    // OIDC Core §2: sub is required (RP test `rp-id_token-sub`).
    let sub = c
        .sub
        .filter(|s| !s.is_empty())
        .ok_or(IdTokenError::MissingClaim("sub"))?;
    // OIDC Core §12.2: a refreshed ID token's iss and sub are the original's.
    if let Some(before) = &expected.same_user_as {
        if before.iss != iss || before.sub != sub {
            return Err(IdTokenError::UserChanged);
        }
    }
    // Steps 9–10: exp and iat, with skew; nbf when present (RFC 7519 §4.1.5).
    let skew = expected.skew as f64;
    let now_f = now as f64;
    let exp = c.exp.ok_or(IdTokenError::MissingClaim("exp"))?;
    if now_f > exp + skew {
        return Err(IdTokenError::Expired);
    }
    if c.nbf.is_some_and(|nbf| nbf > now_f + skew) {
        return Err(IdTokenError::NotYetValid);
    }
    let iat = c.iat.ok_or(IdTokenError::MissingClaim("iat"))?;
    if iat > now_f + skew {
        return Err(IdTokenError::IssuedInFuture);
    }
    // Step 11: the nonce sent must come back.
    if let Some(n) = &expected.nonce {
        if c.nonce.as_deref() != Some(n.as_str()) {
            return Err(IdTokenError::NonceMismatch);
        }
    }
    Ok(IdTokenClaims {
        iss,
        sub,
        exp: exp.max(0.0) as u64,
        iat: iat.max(0.0) as u64,
        tid: c.tid,
        oid: c.oid,
        preferred_username: c.preferred_username,
        name: c.name,
        login_hint: c.login_hint,
        sid: c.sid,
        email: c.email,
    })
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str, what: &str) -> Result<T, IdTokenError> {
    let bytes = B64URL
        .decode(part)
        .map_err(|_| IdTokenError::Malformed(format!("{what} is not base64url")))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| IdTokenError::Malformed(format!("{what} is not the expected JSON")))
}

/// Entra's `client_info`: the home account's user and tenant ids
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow>, `client_info=1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInfo {
    /// The user's id in the home tenant.
    pub uid: String,
    /// The home tenant's id.
    pub utid: String,
}

/// Decodes `client_info` (base64url JSON `{uid, utid}`).
pub fn decode_client_info(client_info: &str) -> Result<ClientInfo, IdTokenError> {
    let bytes = B64URL
        .decode(client_info.trim())
        .map_err(|_| IdTokenError::InvalidClientInfo("not base64url".into()))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| IdTokenError::InvalidClientInfo("not JSON with uid and utid".into()))
}

// Native only: they call the sync `validate`, which the browser has not (Web Crypto is async);
// tests/flow.rs runs the signature cases on both targets.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
