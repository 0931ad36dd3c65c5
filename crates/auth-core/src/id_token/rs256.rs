//! RS256 (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3) signature checks, one well-kept
//! implementation per target:
//!
//! - natively, jsonwebtoken's aws-lc-rs verifier, called directly so that no process-wide
//!   crypto provider is consulted;
//! - on wasm32, the `rsa` crate alone. jsonwebtoken's pure-Rust provider links every
//!   algorithm it knows (ECDSA, EdDSA, HMAC) into the page, about 20 KB gzipped that an RS256
//!   client never runs.

use super::B64URL;
use base64::Engine;

/// An RSA public key from a JWK's `n` and `e` (RFC 7518 §6.3.1).
#[derive(Clone)]
pub(crate) struct PublicKey(Inner);

#[cfg(not(target_arch = "wasm32"))]
type Inner = jsonwebtoken::DecodingKey;
#[cfg(target_arch = "wasm32")]
type Inner = rsa::pkcs1v15::VerifyingKey<sha2::Sha256>;

impl PublicKey {
    /// The key, from the base64url `n` and `e` of a JWK; `None` if they are not a usable key.
    /// Both targets decode the components here, so they refuse the same malformed ones.
    pub(crate) fn from_components(n: &str, e: &str) -> Option<PublicKey> {
        let n = B64URL.decode(n).ok()?;
        let e = B64URL.decode(e).ok()?;
        #[cfg(not(target_arch = "wasm32"))]
        {
            Some(PublicKey(
                jsonwebtoken::DecodingKey::from_rsa_raw_components(&n, &e),
            ))
        }
        #[cfg(target_arch = "wasm32")]
        {
            use rsa::BigUint;
            let key =
                rsa::RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e))
                    .ok()?;
            Some(PublicKey(rsa::pkcs1v15::VerifyingKey::new(key)))
        }
    }

    /// Whether `signature` is this key's RS256 signature of `message`.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        #[cfg(not(target_arch = "wasm32"))]
        {
            use jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER;
            use jsonwebtoken::Algorithm;
            match (DEFAULT_PROVIDER.verifier_factory)(&Algorithm::RS256, &self.0) {
                Ok(verifier) => verifier.verify(message, &signature.to_vec()).is_ok(),
                Err(_) => false,
            }
        }
        #[cfg(target_arch = "wasm32")]
        {
            use rsa::signature::Verifier;
            match rsa::pkcs1v15::Signature::try_from(signature) {
                Ok(signature) => self.0.verify(message, &signature).is_ok(),
                Err(_) => false,
            }
        }
    }
}
