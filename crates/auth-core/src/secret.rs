//! Secrets as newtypes: tokens, the authorization code and the PKCE verifier.
//!
//! As in oauth2-rs (`new_secret_type!`), `Debug` prints `[redacted]`, there is no `PartialEq`,
//! and the value is read only through `secret()`. They serialize as plain strings because the
//! token cache persists them; the cache blob is therefore itself a secret.

use serde::{Deserialize, Serialize};

macro_rules! secret_type {
    ($(#[$attr:meta])* $name:ident $(, $derive:ident)*) => {
        $(#[$attr])*
        #[derive(Serialize, Deserialize $(, $derive)*)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: String) -> Self {
                Self(value)
            }

            /// The secret value. Never log it.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_type!(
    /// An OAuth 2.0 access token (RFC 6749 §1.4). Opaque to the client.
    AccessToken,
    Clone
);
secret_type!(
    /// An OAuth 2.0 refresh token (RFC 6749 §1.5). Opaque to the client.
    RefreshToken,
    Clone
);
secret_type!(
    /// The raw, encoded ID token (a JWT; OpenID Connect Core 1.0 §2).
    IdTokenSecret,
    Clone
);
secret_type!(
    /// A one-time authorization code (RFC 6749 §4.1.2).
    AuthorizationCode
);
secret_type!(
    /// The PKCE code verifier (RFC 7636 §4.1). Deliberately not `Clone`: one attempt, one use.
    PkceVerifier
);

#[cfg(test)]
mod tests;
