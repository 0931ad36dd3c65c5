//! Test support shared by unit tests, the flow test and the benchmarks: test-only RSA keys
//! (see ../fixtures/README.md) and a JWT signer.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{json, Value};

#[cfg(not(target_arch = "wasm32"))]
use jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER as PROVIDER;
#[cfg(target_arch = "wasm32")]
use jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER as PROVIDER;

pub const KEY1: &[u8] = include_bytes!("../fixtures/key1.der");
pub const KEY2: &[u8] = include_bytes!("../fixtures/key2.der");
pub const JWKS_KEY1: &str = include_str!("../fixtures/jwks_key1.json");
pub const JWKS_KEY2: &str = include_str!("../fixtures/jwks_key2.json");
pub const JWKS_BOTH: &str = include_str!("../fixtures/jwks_both.json");

pub const CLIENT_ID: &str = "6b3a2f4e-0c61-4d2b-9a57-1f1d6c1d2e3f";
pub const TENANT_ID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
pub const BASE: &str = "http://localhost:4123";
pub const NOW: u64 = 1_700_000_000;

pub const EC1: &[u8] = include_bytes!("../fixtures/ec1.der");
pub const JWKS_EC1: &str = include_str!("../fixtures/jwks_ec1.json");

/// Signs `header.claims` with a PKCS#1 DER key, RS256.
pub fn sign(header: &Value, claims: &Value, der: &[u8]) -> String {
    sign_alg(Algorithm::RS256, header, claims, der)
}

/// Signs `header.claims` with `alg`: RS256 or PS256 with a PKCS#1 DER RSA key, ES256 with a
/// PKCS#8 DER P-256 key.
pub fn sign_alg(alg: Algorithm, header: &Value, claims: &Value, der: &[u8]) -> String {
    let msg = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let key = match alg {
        Algorithm::ES256 => EncodingKey::from_ec_der(der),
        _ => EncodingKey::from_rsa_der(der),
    };
    let signer = (PROVIDER.signer_factory)(&alg, &key).expect("signer");
    let sig = signer.try_sign(msg.as_bytes()).expect("signature");
    format!("{msg}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// A header naming `kid`.
pub fn header(kid: &str) -> Value {
    json!({"typ": "JWT", "alg": "RS256", "kid": kid})
}

/// The claims of a v2 ID token as Entra (and the emulator) issue them, at `now`.
pub fn claims(nonce: &str, now: u64) -> Value {
    json!({
        "aud": CLIENT_ID,
        "iss": format!("{BASE}/{TENANT_ID}/v2.0"),
        "iat": now, "nbf": now, "exp": now + 3600,
        "name": "Ada Lovelace",
        "preferred_username": "ada@contoso.com",
        "oid": "00000000-0000-0000-66f3-3332eca7ea81",
        "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
        "tid": TENANT_ID,
        "nonce": nonce,
        "ver": "2.0",
        "uti": "x", "rh": "y", "sid": "s-1", "login_hint": "hint"
    })
}

/// `client_info` for a home account `uid.utid`.
pub fn client_info(uid: &str, utid: &str) -> String {
    URL_SAFE_NO_PAD.encode(json!({"uid": uid, "utid": utid}).to_string())
}
