//! ID token signature checks (JWS, RFC 7515 §5.2) for RS256, PS256 and ES256 (RFC 7518 §3.3,
//! §3.5, §3.4), one well-kept implementation per target:
//!
//! - natively, jsonwebtoken's aws-lc-rs verifiers, called directly so that no process-wide
//!   crypto provider is consulted;
//! - on wasm32, the browser's own Web Crypto (`crypto.subtle.importKey` with the JWK, then
//!   `verify`), which does all three: no RSA or elliptic-curve code in the page at all.
//!
//! Both targets take RSA keys of 2048 to 8192 bits (aws-lc's `RSA_*_2048_8192_SHA256`; Web
//! Crypto would take smaller ones, so the size is checked here) and P-256 points of 32-byte
//! coordinates. A key the verifier refuses (off the curve, a bad exponent) verifies nothing.

use super::B64URL;
use base64::Engine;

/// A signature algorithm this client verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256: Entra's, and most providers' default.
    Rs256,
    /// RSASSA-PSS with SHA-256 and a 32-byte salt.
    Ps256,
    /// ECDSA on P-256 with SHA-256, the signature as `r || s`.
    Es256,
}

impl Alg {
    /// The JWA name's algorithm, if this client verifies it.
    pub(crate) fn parse(name: &str) -> Option<Alg> {
        match name {
            "RS256" => Some(Alg::Rs256),
            "PS256" => Some(Alg::Ps256),
            "ES256" => Some(Alg::Es256),
            _ => None,
        }
    }

    /// The JWA name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::Ps256 => "PS256",
            Alg::Es256 => "ES256",
        }
    }
}

/// A public key from a JWK: RSA (`n`, `e`, RFC 7518 §6.3.1) or EC P-256 (`x`, `y`, §6.2.1).
#[derive(Clone)]
pub(crate) enum PublicKey {
    /// An RSA key, for RS256 and PS256.
    Rsa(RsaKey),
    /// A P-256 key, for ES256.
    Ec(EcKey),
}

#[cfg(not(target_arch = "wasm32"))]
type RsaKey = jsonwebtoken::DecodingKey;
#[cfg(not(target_arch = "wasm32"))]
type EcKey = jsonwebtoken::DecodingKey;

/// The RSA key as Web Crypto imports it: canonical base64url (no padding, no leading zero
/// octet, which Chromium refuses) and the modulus size.
#[cfg(target_arch = "wasm32")]
#[derive(Clone)]
pub(crate) struct RsaKey {
    n: String,
    e: String,
    bits: usize,
}

/// The P-256 point as Web Crypto imports it: canonical base64url coordinates.
#[cfg(target_arch = "wasm32")]
#[derive(Clone)]
pub(crate) struct EcKey {
    x: String,
    y: String,
}

/// The big-endian integer without its leading zero octets.
fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

impl PublicKey {
    /// An RSA key from the base64url `n` and `e` of a JWK; `None` if they are not base64url or
    /// are zero. Both targets decode the components here, so they refuse the same malformed
    /// ones.
    pub(crate) fn rsa(n: &str, e: &str) -> Option<PublicKey> {
        let n = B64URL.decode(n).ok()?;
        let e = B64URL.decode(e).ok()?;
        let (n, e) = (strip_zeros(&n), strip_zeros(&e));
        if n.is_empty() || e.is_empty() {
            return None;
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            Some(PublicKey::Rsa(
                jsonwebtoken::DecodingKey::from_rsa_raw_components(n, e),
            ))
        }
        #[cfg(target_arch = "wasm32")]
        {
            use base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let bits = n.len() * 8 - n[0].leading_zeros() as usize;
            Some(PublicKey::Rsa(RsaKey {
                n: URL_SAFE_NO_PAD.encode(n),
                e: URL_SAFE_NO_PAD.encode(e),
                bits,
            }))
        }
    }

    /// A P-256 key from the base64url `x` and `y` of a JWK (32 bytes each). Whether the point
    /// is on the curve is the verifier's to check: an off-curve key verifies nothing.
    pub(crate) fn p256(x: &str, y: &str) -> Option<PublicKey> {
        let xb = B64URL.decode(x).ok()?;
        let yb = B64URL.decode(y).ok()?;
        if xb.len() != 32 || yb.len() != 32 {
            return None;
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            jsonwebtoken::DecodingKey::from_ec_components(x, y)
                .ok()
                .map(PublicKey::Ec)
        }
        #[cfg(target_arch = "wasm32")]
        {
            use base64::engine::general_purpose::URL_SAFE_NO_PAD;
            Some(PublicKey::Ec(EcKey {
                x: URL_SAFE_NO_PAD.encode(&xb),
                y: URL_SAFE_NO_PAD.encode(&yb),
            }))
        }
    }

    /// Whether this key can sign with `alg`: RSA for RS256 and PS256, P-256 for ES256.
    pub(crate) fn fits(&self, alg: Alg) -> bool {
        matches!(
            (self, alg),
            (PublicKey::Rsa(_), Alg::Rs256 | Alg::Ps256) | (PublicKey::Ec(_), Alg::Es256)
        )
    }

    /// Whether `signature` is this key's `alg` signature of `message`.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn verify(&self, alg: Alg, message: &[u8], signature: &[u8]) -> bool {
        use jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER;
        use jsonwebtoken::Algorithm;
        let (algorithm, key) = match (alg, self) {
            (Alg::Rs256, PublicKey::Rsa(k)) => (Algorithm::RS256, k),
            (Alg::Ps256, PublicKey::Rsa(k)) => (Algorithm::PS256, k),
            (Alg::Es256, PublicKey::Ec(k)) => (Algorithm::ES256, k),
            _ => return false,
        };
        match (DEFAULT_PROVIDER.verifier_factory)(&algorithm, key) {
            Ok(verifier) => verifier.verify(message, &signature.to_vec()).is_ok(),
            Err(_) => false,
        }
    }

    /// Whether `signature` is this key's `alg` signature of `message`, by Web Crypto. Only a
    /// page without Web Crypto is an error; a key or signature it refuses is `false`.
    #[cfg(target_arch = "wasm32")]
    pub(crate) async fn verify(
        &self,
        alg: Alg,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, super::IdTokenError> {
        use wasm_bindgen::JsValue;
        let text = JsValue::from_str;
        match (alg, self) {
            (Alg::Rs256 | Alg::Ps256, PublicKey::Rsa(k)) => {
                if !(2048..=8192).contains(&k.bits) {
                    return Ok(false);
                }
                let jwk =
                    web::object(&[("kty", text("RSA")), ("n", text(&k.n)), ("e", text(&k.e))]);
                let (name, params) = match alg {
                    Alg::Rs256 => (
                        "RSASSA-PKCS1-v1_5",
                        web::object(&[("name", text("RSASSA-PKCS1-v1_5"))]),
                    ),
                    // RFC 7518 §3.5: the salt is as long as the hash.
                    _ => (
                        "RSA-PSS",
                        web::object(&[
                            ("name", text("RSA-PSS")),
                            ("saltLength", JsValue::from(32)),
                        ]),
                    ),
                };
                let import = web::object(&[("name", text(name)), ("hash", text("SHA-256"))]);
                web::verify(&jwk, &import, &params, signature, message).await
            }
            (Alg::Es256, PublicKey::Ec(k)) => {
                // JWS's ECDSA signature is `r || s` (RFC 7518 §3.4), as Web Crypto takes it.
                if signature.len() != 64 {
                    return Ok(false);
                }
                let jwk = web::object(&[
                    ("kty", text("EC")),
                    ("crv", text("P-256")),
                    ("x", text(&k.x)),
                    ("y", text(&k.y)),
                ]);
                let import = web::object(&[("name", text("ECDSA")), ("namedCurve", text("P-256"))]);
                let params = web::object(&[("name", text("ECDSA")), ("hash", text("SHA-256"))]);
                web::verify(&jwk, &import, &params, signature, message).await
            }
            _ => Ok(false),
        }
    }
}

/// The browser's Web Crypto, reached through `globalThis.crypto.subtle`.
#[cfg(target_arch = "wasm32")]
mod web {
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    use crate::id_token::IdTokenError;

    /// `crypto.subtle`, which browsers offer to https and localhost pages only.
    fn subtle() -> Option<web_sys::SubtleCrypto> {
        let defined = |v: JsValue| (!v.is_undefined() && !v.is_null()).then_some(v);
        let crypto = defined(Reflect::get(&js_sys::global(), &"crypto".into()).ok()?)?;
        let subtle = defined(Reflect::get(&crypto, &"subtle".into()).ok()?)?;
        Some(subtle.unchecked_into())
    }

    /// A plain object with these properties.
    pub(super) fn object(properties: &[(&str, JsValue)]) -> Object {
        let object = Object::new();
        for (name, value) in properties {
            let _ = Reflect::set(&object, &JsValue::from_str(name), value);
        }
        object
    }

    /// `importKey("jwk", jwk, import, false, ["verify"])`, then `verify(params, key, …)`.
    pub(super) async fn verify(
        jwk: &Object,
        import: &Object,
        params: &Object,
        signature: &[u8],
        message: &[u8],
    ) -> Result<bool, IdTokenError> {
        let subtle = subtle().ok_or(IdTokenError::WebCryptoUnavailable)?;
        let usages = Array::of1(&JsValue::from_str("verify"));
        let Ok(imported) = subtle.import_key_with_object("jwk", jwk, import, false, &usages) else {
            return Ok(false);
        };
        // A key Web Crypto refuses (off the curve, malformed) is a DataError: it verifies nothing.
        let Ok(key) = JsFuture::from(imported).await else {
            return Ok(false);
        };
        let key: web_sys::CryptoKey = key.unchecked_into();
        let Ok(verified) =
            subtle.verify_with_object_and_u8_array_and_u8_array(params, &key, signature, message)
        else {
            return Ok(false);
        };
        Ok(JsFuture::from(verified)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            == Some(true))
    }
}
