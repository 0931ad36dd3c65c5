//! The cache blob sealed with XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`): a fresh
//! random 24-byte nonce per save, the store key's name as associated data, so that a sealed
//! value moved under another key does not open.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::keyring::CacheKey;

const ALGORITHM: &str = "XChaCha20-Poly1305";
const VERSION: u32 = 1;

/// What the store file holds under [`super::SEALED_KEY`].
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Sealed {
    v: u32,
    alg: String,
    nonce: String,
    ciphertext: String,
}

/// Why a sealed value did not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpenError {
    /// Another format or algorithm than this app writes.
    #[error("it was sealed in a format this app does not read ({0})")]
    Format(String),
    /// The key is not the one it was sealed with, or the value was changed.
    #[error("the keyring's key does not open it (the key was replaced, or the file was changed)")]
    WrongKey,
}

/// Seals `plain` (the cache JSON) under `key`.
pub fn seal(key: &CacheKey, plain: &[u8], aad: &[u8]) -> Sealed {
    let cipher = XChaCha20Poly1305::new(key.0.as_slice().into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ciphertext = cipher
        .encrypt(&nonce, Payload { msg: plain, aad })
        // The AEAD fails only on inputs beyond 256 GiB.
        .unwrap_or_default();
    Sealed {
        v: VERSION,
        alg: ALGORITHM.to_owned(),
        nonce: STANDARD.encode(nonce),
        ciphertext: STANDARD.encode(ciphertext),
    }
}

/// Opens a sealed value with `key`.
pub fn open(key: &CacheKey, sealed: &Sealed, aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    if sealed.v != VERSION || sealed.alg != ALGORITHM {
        return Err(OpenError::Format(format!("v{} {}", sealed.v, sealed.alg)));
    }
    let nonce = STANDARD
        .decode(&sealed.nonce)
        .ok()
        .filter(|n| n.len() == 24)
        .ok_or_else(|| OpenError::Format("a bad nonce".into()))?;
    let ciphertext = STANDARD
        .decode(&sealed.ciphertext)
        .map_err(|_| OpenError::Format("a bad ciphertext".into()))?;
    let cipher = XChaCha20Poly1305::new(key.0.as_slice().into());
    cipher
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| OpenError::WrongKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> CacheKey {
        CacheKey(Zeroizing::new([byte; 32]))
    }

    #[test]
    fn a_sealed_value_opens_with_its_key_only() {
        let sealed = seal(&key(1), b"{\"secret\":\"rt\"}", b"tokenCacheSealed");
        // Neither the value nor its key appears: in the base64 text, or in the bytes it holds.
        // (A two-letter value could appear in random base64 by chance, about once in a
        // hundred seals; the JSON around it cannot.)
        assert!(!sealed.ciphertext.contains("secret"));
        let bytes = STANDARD.decode(&sealed.ciphertext).unwrap();
        assert!(!bytes.windows(10).any(|w| w == b"\"secret\":\""));
        assert_eq!(
            open(&key(1), &sealed, b"tokenCacheSealed")
                .unwrap()
                .as_slice(),
            b"{\"secret\":\"rt\"}"
        );
        assert_eq!(
            open(&key(2), &sealed, b"tokenCacheSealed"),
            Err(OpenError::WrongKey)
        );
        assert_eq!(open(&key(1), &sealed, b"other"), Err(OpenError::WrongKey));
        // Two seals of the same value differ (a fresh nonce each time).
        assert_ne!(
            sealed,
            seal(&key(1), b"{\"secret\":\"rt\"}", b"tokenCacheSealed")
        );
        let mut flipped = sealed;
        flipped.ciphertext = STANDARD.encode(b"0123456789abcdef0123456789");
        assert_eq!(
            open(&key(1), &flipped, b"tokenCacheSealed"),
            Err(OpenError::WrongKey)
        );
        flipped.alg = "A256GCM".into();
        assert!(matches!(
            open(&key(1), &flipped, b"tokenCacheSealed"),
            Err(OpenError::Format(_))
        ));
    }
}
