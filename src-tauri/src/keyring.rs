//! The token cache's key, kept in the OS secret store through the Secret Service API (oo7), as
//! MSAL.NET's cache extensions keep theirs in libsecret.
//!
//! The key is 32 random bytes, stored once as an item of the default collection with the
//! attributes below. With no secret service (a headless box, no session bus), the app falls back
//! to the plain 0600 file and says so at start.

use std::time::Duration;

use chacha20poly1305::aead::{KeyInit, OsRng};
use chacha20poly1305::XChaCha20Poly1305;
use zeroize::Zeroizing;

/// The item's attributes: which app, and what the secret is for.
const ATTRIBUTES: [(&str, &str); 2] = [
    ("application", "dev.graphsignin.desktop"),
    ("purpose", "token-cache-key"),
];
const LABEL: &str = "MS Identity Platform (graph-signin): token cache key";

/// How long the secret service may take to answer at start, an unlock prompt included.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The cache's encryption key.
pub struct CacheKey(pub(crate) Zeroizing<[u8; 32]>);

impl std::fmt::Debug for CacheKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CacheKey(..)")
    }
}

/// How the token cache is kept at rest.
#[derive(Debug)]
pub enum Protection {
    /// Encrypted with the key from the secret service.
    Sealed(CacheKey),
    /// In the plain 0600 file: no secret service could be used, for this reason.
    Plain {
        /// Why, for the start-up notice and the log.
        why: String,
    },
}

impl Protection {
    /// Reads the key from the secret service, creating it on first use; falls back to
    /// [`Protection::Plain`] when the service cannot be reached or answers with an error.
    pub async fn from_secret_service() -> Protection {
        match tokio::time::timeout(TIMEOUT, key()).await {
            Ok(Ok(key)) => Protection::Sealed(key),
            Ok(Err(why)) => Protection::Plain { why },
            Err(_) => Protection::Plain {
                why: format!(
                    "the secret service did not answer within {} s",
                    TIMEOUT.as_secs()
                ),
            },
        }
    }
}

async fn key() -> Result<CacheKey, String> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
        && std::env::var_os("XDG_RUNTIME_DIR").is_none()
    {
        return Err("there is no session bus to reach a secret service".to_owned());
    }
    let keyring = oo7::Keyring::new()
        .await
        .map_err(|e| format!("no secret service ({e})"))?;
    // A locked collection asks the user, through the secret service's own prompt.
    keyring
        .unlock()
        .await
        .map_err(|e| format!("the keyring stayed locked ({e})"))?;
    let items = keyring
        .search_items(&ATTRIBUTES)
        .await
        .map_err(|e| format!("the keyring could not be searched ({e})"))?;
    if let Some(item) = items.first() {
        let secret = item
            .secret()
            .await
            .map_err(|e| format!("the key could not be read from the keyring ({e})"))?;
        let bytes: [u8; 32] = secret
            .as_bytes()
            .try_into()
            .map_err(|_| "the keyring's item is not a 32-byte key".to_owned())?;
        return Ok(CacheKey(Zeroizing::new(bytes)));
    }
    let key = XChaCha20Poly1305::generate_key(&mut OsRng);
    let bytes: [u8; 32] = key.into();
    let bytes = Zeroizing::new(bytes);
    keyring
        .create_item(LABEL, &ATTRIBUTES, bytes.as_slice(), true)
        .await
        .map_err(|e| format!("the key could not be stored in the keyring ({e})"))?;
    tracing::info!("a token cache key was created in the keyring");
    Ok(CacheKey(bytes))
}
