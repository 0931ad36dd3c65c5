//! The leaf error types: each module's own failures, defined below the modules that use them
//! (`config`, `authority`, `id_token`, `token_cache`), so that [`crate::error::Error`] can
//! wrap them without the error module depending on those modules. Each module re-exports its
//! own.

use thiserror::Error;

/// The format version written by this crate.
pub const CACHE_VERSION: u64 = 1;

/// A configuration value that cannot be used. Every variant names the field.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A tutorial placeholder was left in a field.
    #[error("`{field}` still holds the tutorial placeholder `{value}`: put {hint} there")]
    Placeholder {
        /// The field's name, as written in the config file.
        field: &'static str,
        /// The placeholder found.
        value: String,
        /// What belongs in the field.
        hint: &'static str,
    },
    /// A required field is empty.
    #[error("`{field}` is missing: set it in the configuration")]
    Missing {
        /// The field's name.
        field: &'static str,
    },
    /// A field's value is malformed.
    #[error("`{field}` is invalid: {reason}")]
    Invalid {
        /// The field's name.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A URL uses http on a non-loopback host.
    #[error("`{field}` uses plain http ({url}): use https (http is allowed only on localhost, 127.0.0.1 and [::1])")]
    Insecure {
        /// The field's name.
        field: &'static str,
        /// The refused URL.
        url: String,
    },
}

/// Why an ID token (or a JWKS, or `client_info`) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum IdTokenError {
    /// Not three base64url parts of JSON.
    #[error("The ID token is malformed ({0}). Sign in again.")]
    Malformed(String),
    /// `alg` is not one accepted: RS256 for Entra; RS256, PS256 or ES256 for a generic
    /// provider (`none` and HMAC never).
    #[error("The ID token is signed with `{0}`, which this app does not accept here (RS256; with protocolMode OIDC also PS256 and ES256). Check the authority.")]
    UnsupportedAlgorithm(String),
    /// The key the token names is of another type than its `alg` (an RSA key for ES256), or
    /// its JWK names another algorithm.
    #[error("The ID token's {0} signature names a signing key that is not a {0} key. Sign in again; if it persists, check the authority.")]
    KeyDoesNotFit(&'static str),
    /// The token's `kid` is not in the JWKS: fetch the JWKS again once and retry (key rotation).
    #[error("The ID token's signing key `{0}` is unknown; the signing keys have probably rotated. Fetch them again and retry.")]
    UnknownKey(String),
    /// The token has no `kid` and the JWKS holds several keys.
    #[error("The ID token names no signing key and the authority has several. Sign in again.")]
    AmbiguousKey,
    /// The signature does not verify.
    #[error(
        "The ID token's signature is invalid. Sign in again; if it persists, check the authority."
    )]
    BadSignature,
    /// `iss` is not the authority's issuer.
    #[error("The ID token comes from `{found}`, not the expected issuer `{expected}`. Check the authority.")]
    IssuerMismatch {
        /// The issuer expected, `{tenantid}` replaced.
        expected: String,
        /// The token's `iss`.
        found: String,
    },
    /// `aud` does not hold the client id (or `azp` differs with several audiences).
    #[error("The ID token was issued for another application. Check the client id.")]
    AudienceMismatch,
    /// A required claim is missing.
    #[error("The ID token lacks the `{0}` claim. Sign in again.")]
    MissingClaim(&'static str),
    /// `exp` is past (beyond the skew).
    #[error("The ID token has expired. Sign in again, and check this device's clock.")]
    Expired,
    /// `nbf` is in the future (beyond the skew).
    #[error("The ID token is not valid yet. Check this device's clock.")]
    NotYetValid,
    /// `iat` is in the future (beyond the skew).
    #[error("The ID token was issued in the future. Check this device's clock.")]
    IssuedInFuture,
    /// The token is from a tenant the authority does not accept: the personal accounts
    /// tenant for `organizations`.
    #[error("The ID token is for a personal Microsoft account, which this app's `organizations` authority does not accept. Sign in with a work or school account.")]
    TenantRefused,
    /// A refreshed ID token names another user than the one signed in (OIDC Core §12.2).
    #[error("The identity platform answered a token refresh for another user than the one signed in. The account was kept as it was; sign in again.")]
    UserChanged,
    /// `nonce` is not the one sent.
    #[error("The ID token does not belong to this sign-in (nonce mismatch). Sign in again.")]
    NonceMismatch,
    /// The browser offers no Web Crypto to this page (not https and not localhost), so no
    /// signature can be checked.
    #[error("This page cannot check the ID token's signature: browsers offer Web Crypto only to pages served over https or from localhost. Serve the page over https.")]
    WebCryptoUnavailable,
    /// The JWKS could not be used.
    #[error("The authority's signing keys (JWKS) are unusable: {0}.")]
    InvalidJwks(String),
    /// `client_info` could not be decoded.
    #[error("The token response's client_info is malformed: {0}.")]
    InvalidClientInfo(String),
}

/// The cache could not be read or written. A blob that cannot be read is left as it is.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CacheError {
    /// The blob was written by another version of the format.
    #[error("The saved sign-in data has format version {found}, which this app does not read (it reads {CACHE_VERSION}). It was left untouched: update the app, or sign out to start afresh.")]
    UnsupportedVersion {
        /// The version found.
        found: u64,
    },
    /// The blob is not a cache.
    #[error("The saved sign-in data is unreadable ({0}). It was left untouched: sign out to start afresh.")]
    Corrupt(String),
    /// The platform storage failed.
    #[error("The sign-in data could not be stored: {message}.")]
    Storage {
        /// What failed.
        message: String,
        /// The cause.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}
