//! Signing keys, the JWKS, RS256 JWTs, and the key that seals opaque codes and refresh tokens.
//!
//! The private key is generated at start and kept parsed in memory: signing never re-reads it.
//! Keys rotate through the test controls; the previous key stays in the JWKS (and valid for
//! Graph) so that tokens already issued keep working, as on Entra.
//! <https://learn.microsoft.com/en-us/entra/identity-platform/signing-key-rollover>

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// One RSA key with its id and public parts.
pub struct SigningKey {
    /// The `kid`.
    pub kid: String,
    pair: KeyPair,
    /// The modulus, base64url.
    pub n: String,
    /// The exponent, base64url.
    pub e: String,
}

impl SigningKey {
    /// Makes a new RSA-2048 key, the size Entra uses.
    pub fn generate() -> Self {
        let pair = KeyPair::generate(KeySize::Rsa2048).expect("RSA key generation");
        let public = pair.public_key();
        let n = URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero());
        let e = URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero());
        let kid = URL_SAFE_NO_PAD.encode(random_bytes::<12>());
        Self { kid, pair, n, e }
    }

    /// A compact RS256 JWS of `claims` with header `{typ, alg, kid}` (RFC 7515 §7.1).
    pub fn sign(&self, claims: &impl Serialize) -> String {
        let header = json!({ "typ": "JWT", "alg": "RS256", "kid": self.kid });
        let mut token = URL_SAFE_NO_PAD.encode(header.to_string());
        token.push('.');
        token.push_str(
            &URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialize")),
        );
        let mut signature = vec![0; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                token.as_bytes(),
                &mut signature,
            )
            .expect("RSA signing with a valid key");
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        token
    }

    /// The JWK of the public key, as Entra's keys endpoint lists it.
    pub fn jwk(&self, issuer: &str) -> Value {
        json!({
            "kty": "RSA", "use": "sig", "alg": "RS256",
            "kid": self.kid, "x5t": self.kid, "n": self.n, "e": self.e,
            "issuer": issuer,
        })
    }

    /// A decoding key for verifying tokens this key signed.
    pub fn decoding_key(&self) -> jsonwebtoken::DecodingKey {
        jsonwebtoken::DecodingKey::from_rsa_components(&self.n, &self.e)
            .expect("components of a generated key")
    }
}

/// The current key and the ones it replaced (newest first).
pub struct KeySet {
    /// Signs new tokens.
    pub current: SigningKey,
    /// Still published and accepted.
    pub previous: Vec<SigningKey>,
}

impl KeySet {
    /// A fresh set with one key.
    pub fn new() -> Self {
        Self {
            current: SigningKey::generate(),
            previous: Vec::new(),
        }
    }

    /// Makes a new current key; the old one stays published. At most two old keys are kept.
    pub fn rotate(&mut self) {
        let old = std::mem::replace(&mut self.current, SigningKey::generate());
        self.previous.insert(0, old);
        self.previous.truncate(2);
    }

    /// A key by `kid`.
    pub fn find(&self, kid: &str) -> Option<&SigningKey> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.kid == kid)
    }

    /// Every published key.
    pub fn all(&self) -> impl Iterator<Item = &SigningKey> {
        std::iter::once(&self.current).chain(&self.previous)
    }

    /// The claims of `token`, an RS256 JWT signed by one of these keys for one of `audiences`.
    ///
    /// Expiry is left to the caller, who checks it against the emulator's clock (tests move it).
    pub fn verify<T: DeserializeOwned>(
        &self,
        token: &str,
        audiences: &[&str],
    ) -> Result<T, Unverified> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| Unverified::Malformed)?;
        let key = header
            .kid
            .and_then(|kid| self.find(&kid).map(SigningKey::decoding_key))
            .ok_or(Unverified::Invalid)?;
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.set_audience(audiences);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        jsonwebtoken::decode::<T>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|_| Unverified::Invalid)
    }
}

/// Why [`KeySet::verify`] refused a token.
#[derive(Debug, PartialEq, Eq)]
pub enum Unverified {
    /// Not a JWT: no readable header.
    Malformed,
    /// An unknown key, a bad signature, another audience or algorithm, or unreadable claims.
    Invalid,
}

impl Default for KeySet {
    fn default() -> Self {
        Self::new()
    }
}

/// `N` bytes from the system CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    aws_lc_rs::rand::fill(&mut bytes).expect("the system CSPRNG");
    bytes
}

/// An opaque random token: 32 CSPRNG bytes, base64url.
pub fn opaque_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// Seals a small payload into an opaque token that only this emulator can read back, as Entra
/// does with its refresh tokens ("Refresh tokens are encrypted and only the Microsoft identity
/// platform can read them": <https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens>).
///
/// AES-256-GCM, a random nonce per token, and `purpose` as the associated data, so that a token
/// of one kind never opens as another. The store seals what it must still know of a code or a
/// refresh token once it has forgotten it (see `state::Store::prune`).
pub struct SealingKey(LessSafeKey);

impl SealingKey {
    /// A fresh random key.
    pub fn new() -> Self {
        let key = UnboundKey::new(&AES_256_GCM, &random_bytes::<32>()).expect("a 256-bit key");
        Self(LessSafeKey::new(key))
    }

    /// `payload`, sealed for `purpose`, base64url: nonce, ciphertext and tag.
    pub fn seal(&self, purpose: &str, payload: &[u8]) -> String {
        let nonce = random_bytes::<NONCE_LEN>();
        let mut sealed = payload.to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(purpose.as_bytes()),
                &mut sealed,
            )
            .expect("AES-GCM sealing");
        let mut token = nonce.to_vec();
        token.extend(sealed);
        URL_SAFE_NO_PAD.encode(token)
    }

    /// The payload of `token` if this key sealed it for `purpose`; `None` for anything else.
    pub fn open(&self, purpose: &str, token: &str) -> Option<Vec<u8>> {
        // Sealed payloads are small: a longer string was not made here.
        if token.len() > 4096 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut sealed = sealed.to_vec();
        let payload = self
            .0
            .open_in_place(nonce, Aad::from(purpose.as_bytes()), &mut sealed)
            .ok()?;
        Some(payload.to_vec())
    }
}

impl Default for SealingKey {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(..)")
    }
}

/// The SHA-256 PKCE challenge of a verifier (RFC 7636 §4.2), base64url without padding.
pub fn s256(verifier: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Claims {
        aud: String,
        sub: String,
    }

    #[test]
    fn sealed_payloads_open_only_with_their_key_and_purpose() {
        let key = SealingKey::new();
        let token = key.seal("code", b"{\"iat\":1}");
        assert_eq!(
            key.open("code", &token).as_deref(),
            Some(&b"{\"iat\":1}"[..])
        );
        assert_ne!(
            token,
            key.seal("code", b"{\"iat\":1}"),
            "a fresh nonce each time"
        );
        assert_eq!(key.open("refresh_token", &token), None);
        assert_eq!(SealingKey::new().open("code", &token), None);
        let mut forged = token.clone();
        forged.replace_range(20..21, if &token[20..21] == "A" { "B" } else { "A" });
        assert_eq!(key.open("code", &forged), None);
        for junk in ["", "x", "not base64!", &"A".repeat(2000)] {
            assert_eq!(key.open("code", junk), None);
        }
    }

    #[test]
    fn verify_takes_its_own_and_previous_keys_for_the_audience_and_refuses_the_rest() {
        let mut keys = KeySet::new();
        let token = keys
            .current
            .sign(&json!({ "aud": "api://one", "sub": "adele" }));
        let claims: Claims = keys.verify(&token, &["api://one"]).unwrap();
        assert_eq!(claims.sub, "adele");
        assert_eq!(
            keys.verify::<Claims>(&token, &["api://two"]),
            Err(Unverified::Invalid)
        );
        assert_eq!(
            keys.verify::<Claims>("not a jwt", &["api://one"]),
            Err(Unverified::Malformed)
        );
        let mut forged = token.clone();
        forged.truncate(forged.len() - 4);
        forged.push_str("AAAA");
        assert_eq!(
            keys.verify::<Claims>(&forged, &["api://one"]),
            Err(Unverified::Invalid)
        );

        keys.rotate();
        assert!(keys.verify::<Claims>(&token, &["api://one"]).is_ok());
        keys.rotate();
        keys.rotate();
        assert_eq!(
            keys.verify::<Claims>(&token, &["api://one"]),
            Err(Unverified::Invalid),
            "a key rotated out of the set no longer verifies"
        );
    }
}
