//! The token cache on disk: tauri-plugin-store's file, written by Rust only.
//!
//! The plugin keeps the entries; this module adds what tokens need and the plugin does not do:
//! - tauri-plugin-store 2.5 saves with `fs::write` in place, as 0644. Here the file is written
//!   to a temporary file with mode 0600, synced, then renamed over the old one (atomic on POSIX),
//!   in a 0700 folder.
//! - A corrupt, truncated or unknown-version file is never wiped: it is renamed to
//!   `tokens.json.corrupt-<unix time>`, and the app starts signed out with a message.
//!
//! The value is auth-core's versioned cache JSON, under the key `tokenCache`.

use shell_contract::ErrorCode;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use auth_core::token_cache::TokenCache;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::{Store, StoreBuilder};

use crate::error::CommandError;

/// The store file's name, in the app's data dir.
pub const FILE_NAME: &str = "tokens.json";
const KEY: &str = "tokenCache";

/// The token store of one app.
pub struct TokenStore<R: Runtime> {
    store: Arc<Store<R>>,
    path: PathBuf,
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
    /// Opens `dir/tokens.json`: checks the file before the plugin reads it, sets a bad one aside.
    pub fn open(app: &AppHandle<R>, dir: &Path) -> Result<Opened<R>, CommandError> {
        let path = dir.join(FILE_NAME);
        let (cache, notice) = match check_file(&path) {
            Ok(cache) => (cache, None),
            Err(reason) => {
                let aside = set_aside(&path)?;
                tracing::warn!(file = %path.display(), %reason, aside = %aside.display(), "token store set aside");
                let notice = format!(
                    "Your saved sign-in could not be read ({reason}), so you are signed out. The old file was kept as {}.",
                    aside.display()
                );
                (TokenCache::new(), Some(notice))
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
        Ok(Opened {
            store: TokenStore { store, path },
            cache,
            notice,
        })
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
        self.store.set(KEY, value);
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

/// Reads and checks the file: no file is an empty cache; anything unreadable is an error.
fn check_file(path: &Path) -> Result<TokenCache, String> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(TokenCache::new()),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let entries: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|e| format!("it is not valid JSON: {e}"))?;
    match entries.get(KEY) {
        None => Ok(TokenCache::new()),
        Some(value) => TokenCache::from_json(&value.to_string()).map_err(|e| e.to_string()),
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
