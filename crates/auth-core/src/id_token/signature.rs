//! ID token signature checks (JWS, RFC 7515 §5.2) for RS256, PS256 and ES256 (RFC 7518 §3.3,
//! §3.5, §3.4), one well-kept implementation per target:
//!
//! - natively, jsonwebtoken's aws-lc-rs verifiers, called directly so that no process-wide
//!   crypto provider is consulted;
//! - on wasm32, the `rsa` crate (PKCS#1 v1.5 and PSS) and `p256`'s ECDSA alone. jsonwebtoken's
//!   pure-Rust provider would link every algorithm it knows (EdDSA, HMAC, P-384) into the
//!   page.

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
#[cfg(target_arch = "wasm32")]
type RsaKey = rsa::RsaPublicKey;
#[cfg(not(target_arch = "wasm32"))]
type EcKey = jsonwebtoken::DecodingKey;
#[cfg(target_arch = "wasm32")]
type EcKey = p256::ecdsa::VerifyingKey;

impl PublicKey {
    /// An RSA key from the base64url `n` and `e` of a JWK; `None` if they are not a usable key.
    /// Both targets decode the components here, so they refuse the same malformed ones.
    pub(crate) fn rsa(n: &str, e: &str) -> Option<PublicKey> {
        let n = B64URL.decode(n).ok()?;
        let e = B64URL.decode(e).ok()?;
        #[cfg(not(target_arch = "wasm32"))]
        {
            Some(PublicKey::Rsa(
                jsonwebtoken::DecodingKey::from_rsa_raw_components(&n, &e),
            ))
        }
        #[cfg(target_arch = "wasm32")]
        {
            use rsa::BigUint;
            let key =
                rsa::RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e))
                    .ok()?;
            Some(PublicKey::Rsa(key))
        }
    }

    /// A P-256 key from the base64url `x` and `y` of a JWK (32 bytes each); `None` if they are
    /// not a point of the curve.
    pub(crate) fn p256(x: &str, y: &str) -> Option<PublicKey> {
        let xb = B64URL.decode(x).ok()?;
        let yb = B64URL.decode(y).ok()?;
        if xb.len() != 32 || yb.len() != 32 {
            return None;
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            // aws-lc checks that the point is on the curve when it verifies: an off-curve key
            // verifies nothing.
            jsonwebtoken::DecodingKey::from_ec_components(x, y)
                .ok()
                .map(PublicKey::Ec)
        }
        #[cfg(target_arch = "wasm32")]
        {
            let mut point = Vec::with_capacity(65);
            point.push(4);
            point.extend_from_slice(&xb);
            point.extend_from_slice(&yb);
            p256::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                .ok()
                .map(PublicKey::Ec)
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
    pub(crate) fn verify(&self, alg: Alg, message: &[u8], signature: &[u8]) -> bool {
        if !self.fits(alg) {
            return false;
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
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
        #[cfg(target_arch = "wasm32")]
        {
            use rsa::signature::Verifier;
            match (alg, self) {
                (Alg::Rs256, PublicKey::Rsa(k)) => {
                    let key = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(k.clone());
                    rsa::pkcs1v15::Signature::try_from(signature)
                        .is_ok_and(|s| key.verify(message, &s).is_ok())
                }
                (Alg::Ps256, PublicKey::Rsa(k)) => {
                    // RFC 7518 §3.5: the salt is as long as the hash.
                    let key =
                        rsa::pss::VerifyingKey::<sha2::Sha256>::new_with_salt_len(k.clone(), 32);
                    rsa::pss::Signature::try_from(signature)
                        .is_ok_and(|s| key.verify(message, &s).is_ok())
                }
                (Alg::Es256, PublicKey::Ec(k)) => p256::ecdsa::Signature::from_slice(signature)
                    .is_ok_and(|s| k.verify(message, &s).is_ok()),
                _ => false,
            }
        }
    }
}
