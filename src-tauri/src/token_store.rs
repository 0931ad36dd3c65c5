//! The token cache on disk: tauri-plugin-store's file, written by Rust only.
//!
//! The plugin keeps the entries; this module adds what tokens need and the plugin does not do:
//! - tauri-plugin-store 2.5 saves with `fs::write` in place, as 0644. Here the file is written
//!   to a temporary file with mode 0600, synced, then renamed over the old one (atomic on POSIX),
//!   in a 0700 folder.
//! - A corrupt, truncated or unknown-version file is never wiped: it is renamed to
//!   `tokens.json.corrupt-<unix time>`, and the app starts signed out with a message.
//!
//! - With a secret service, the value is sealed (XChaCha20-Poly1305, [`sealed`]) with a key kept
//!   in the keyring ([`crate::keyring`]), under the key `tokenCacheSealed`; no token is in the
//!   file as text. Without one, it is auth-core's versioned cache JSON under `tokenCache`, in the
//!   0600 file, and the start-up notice says so. A plain file met with a key is sealed at once.
//! - A sealed file that does not open (no key, another key) is set aside like a corrupt one.
//!
//! Why not the plugin's own `save` with its `serialize`/`deserialize` hooks: in 2.5 `save` is
//! `fs::write` in place (the default mode, and a crash mid-write leaves a truncated file), and
//! the hooks are plain `fn` pointers, which cannot hold the key.

use shell_contract::ErrorCode;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use auth_core::token_cache::TokenCache;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::{Store, StoreBuilder};

use crate::error::CommandError;
use crate::keyring::Protection;
use zeroize::Zeroizing;

/// The store file's name, in the app's data dir.
pub const FILE_NAME: &str = "tokens.json";
/// The plain cache's key in the store.
const KEY: &str = "tokenCache";
/// The sealed cache's key in the store; also the sealing's associated data.
const SEALED_KEY: &str = "tokenCacheSealed";

mod sealed;

/// The token store of one app.
pub struct TokenStore<R: Runtime> {
    store: Arc<Store<R>>,
    path: PathBuf,
    protection: Protection,
}

/// What opening the store found.
pub struct Opened<R: Runtime> {
    /// The store.
    pub store: TokenStore<R>,
    /// The cache it held (empty when there was none, or when it was set aside).
    pub cache: TokenCache,
    /// A message for the user when the file was unusable and set aside.
    pub notice: Option<String>,
}

impl<R: Runtime> TokenStore<R> {
    /// Opens `dir/tokens.json`: checks the file before the plugin reads it, sets a bad one (or a
    /// sealed one that `protection` cannot open) aside, and seals a plain one when it can.
    pub fn open(
        app: &AppHandle<R>,
        dir: &Path,
        protection: Protection,
    ) -> Result<Opened<R>, CommandError> {
        let path = dir.join(FILE_NAME);
        let mut notices = Vec::new();
        if let Protection::Plain { why } = &protection {
            tracing::warn!(%why, "no secret service: the token store is a plain 0600 file");
            notices.push(format!(
                "Your sign-in is kept in a private file readable by your user, not encrypted: {why}. Start the app in a desktop session with a keyring (GNOME Keyring, KWallet) to encrypt it."
            ));
        }
        let (cache, reseal) = match read_file(&path, &protection) {
            Ok(found) => found,
            Err(reason) => {
                let aside = set_aside(&path)?;
                tracing::warn!(file = %path.display(), %reason, aside = %aside.display(), "token store set aside");
                notices.insert(0, format!(
                    "Your saved sign-in could not be read ({reason}), so you are signed out. The old file was kept as {}.",
                    aside.display()
                ));
                (TokenCache::new(), false)
            }
        };
        let store = StoreBuilder::new(app, path.clone())
            .disable_auto_save()
            .build()
            .map_err(|e| {
                CommandError::new(
                    ErrorCode::Store,
                    format!("Cannot open the token store {}: {e}.", path.display()),
                )
            })?;
        let store = TokenStore {
            store,
            path,
            protection,
        };
        if reseal {
            match store.save(&cache) {
                Ok(()) => tracing::info!("the token store was sealed with the keyring's key"),
                Err(e) => notices.push(e.message),
            }
        }
        Ok(Opened {
            store,
            cache,
            notice: (!notices.is_empty()).then(|| notices.join(" ")),
        })
    }

    /// Whether the cache is sealed at rest.
    pub fn is_sealed(&self) -> bool {
        matches!(self.protection, Protection::Sealed(_))
    }

    /// Writes `cache` to the store and to disk (0600, atomic).
    pub fn save(&self, cache: &TokenCache) -> Result<(), CommandError> {
        let value: serde_json::Value = cache
            .to_json()
            .ok()
            .and_then(|json| serde_json::from_str(&json).ok())
            .ok_or_else(|| {
                CommandError::new(ErrorCode::Cache, "The token cache could not be serialised.")
            })?;
        match &self.protection {
            Protection::Sealed(key) => {
                let plain = Zeroizing::new(value.to_string());
                let sealed = sealed::seal(key, plain.as_bytes(), SEALED_KEY.as_bytes());
                let sealed = serde_json::to_value(sealed).map_err(|e| {
                    CommandError::new(
                        ErrorCode::Store,
                        format!("The sealed token cache could not be serialised: {e}."),
                    )
                })?;
                self.store.delete(KEY);
                self.store.set(SEALED_KEY, sealed);
            }
            Protection::Plain { .. } => {
                self.store.delete(SEALED_KEY);
                self.store.set(KEY, value);
            }
        }
        let entries: serde_json::Map<String, serde_json::Value> =
            self.store.entries().into_iter().collect();
        let bytes = serde_json::to_vec_pretty(&entries).map_err(|e| {
            CommandError::new(
                ErrorCode::Store,
                format!("The token store could not be serialised: {e}."),
            )
        })?;
        write_atomically(&self.path, &bytes).map_err(|e| {
            CommandError::new(
                ErrorCode::Store,
                format!(
                    "Your sign-in could not be saved to {} ({e}); it lasts until the app closes.",
                    self.path.display()
                ),
            )
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Reads and checks the file: no file is an empty cache; anything unreadable is an error, and
/// so is a sealed cache that `protection` cannot open. Also says whether the cache must be
/// sealed now (a plain file met with a key).
fn read_file(path: &Path, protection: &Protection) -> Result<(TokenCache, bool), String> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((TokenCache::new(), false))
        }
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let entries: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|e| format!("it is not valid JSON: {e}"))?;
    let parse = |json: &str| TokenCache::from_json(json).map_err(|e| e.to_string());
    match (entries.get(SEALED_KEY), entries.get(KEY), protection) {
        (Some(value), _, Protection::Sealed(key)) => {
            let sealed: sealed::Sealed = serde_json::from_value(value.clone())
                .map_err(|e| format!("its sealed cache is malformed: {e}"))?;
            let plain =
                sealed::open(key, &sealed, SEALED_KEY.as_bytes()).map_err(|e| e.to_string())?;
            let json = std::str::from_utf8(&plain)
                .map_err(|_| "its sealed cache is not text".to_owned())?;
            Ok((parse(json)?, false))
        }
        (Some(_), _, Protection::Plain { why }) => Err(format!(
            "it is encrypted with a key kept in the keyring, which cannot be used now: {why}"
        )),
        (None, Some(value), protection) => Ok((
            parse(&value.to_string())?,
            matches!(protection, Protection::Sealed(_)),
        )),
        (None, None, _) => Ok((TokenCache::new(), false)),
    }
}

/// Renames a bad file to `<name>.corrupt-<unix time>`.
fn set_aside(path: &Path) -> Result<PathBuf, CommandError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let aside = path.with_file_name(format!("{FILE_NAME}.corrupt-{stamp}"));
    fs::rename(path, &aside).map_err(|e| {
        CommandError::new(
            ErrorCode::Store,
            format!("The token store {} is unreadable and could not be set aside ({e}). Move it away by hand.", path.display()),
        )
    })?;
    Ok(aside)
}

/// Writes `bytes` to `path` through a 0600 temporary file in the same folder, then renames it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("the store path has no folder"))?;
    crate::private_files::ensure_dir(dir)?;
    let tmp = dir.join(format!(".{FILE_NAME}.tmp-{}", std::process::id()));
    let mut file = crate::private_files::create_file(&tmp)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests;
