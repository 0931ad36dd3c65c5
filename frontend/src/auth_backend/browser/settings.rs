//! `config.json`, served beside the page: the tutorial's `authConfig.js` as data.
//!
//! ```json
//! { "clientId": "…", "authority": "http://localhost:4123/common",
//!   "redirectUri": "http://localhost:1420/", "graphEndpoint": "http://localhost:4123",
//!   "cacheLocation": "sessionStorage", "httpTimeoutSecs": 30,
//!   "logLevel": "info", "logPii": false }
//! ```
//!
//! With `"protocolMode": "OIDC"` (MSAL.js's name), `authority` is any OpenID provider's issuer,
//! `scopes` may list the sign-in scopes (default `openid profile`), and the Microsoft-only
//! fields are refused.
//!
//! `redirectUri` defaults to the page's origin + `/`; auth-core's `Config::from_raw` validates
//! the rest and names the field at fault (a tutorial placeholder included). `logLevel` takes
//! MSAL's level names (`error`, `warning`, `info`, `verbose`, `trace`) and `logPii` is MSAL's
//! `piiLoggingEnabled`: usernames reach the console only with it.

use auth_core::config::{ClientType, Config, ProtocolMode, RawConfig};
use serde::Deserialize;
use shell_contract::ErrorCode;

use super::web::StorageKind;
use crate::error::AppError;

/// The file's fields.
// Defaults field by field: a container-level `default` makes serde's derive build a whole
// default `ConfigFile` to take missing fields from, 5.7 KB more code in the page. A missing
// `Option` is `None` either way.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigFile {
    #[serde(default)]
    client_id: String,
    authority: Option<String>,
    cloud_instance: Option<String>,
    tenant: Option<String>,
    redirect_uri: Option<String>,
    post_logout_redirect_uri: Option<String>,
    graph_endpoint: Option<String>,
    #[serde(default)]
    allowed_graph_hosts: Vec<String>,
    cache_location: Option<String>,
    http_timeout_secs: Option<u32>,
    log_level: Option<String>,
    #[serde(default)]
    log_pii: bool,
    protocol_mode: Option<String>,
    scopes: Option<Vec<String>>,
}

/// How long one call to the identity platform or Graph may take when `config.json` does not say.
pub const DEFAULT_HTTP_TIMEOUT_SECS: u32 = 30;

/// The browser's settings: auth-core's validated configuration and the cache's storage.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The client configuration (an SPA client).
    pub config: Config,
    /// Where the token cache lives.
    pub cache: StorageKind,
    /// How long one call may take, in seconds (at least 1).
    pub http_timeout_secs: u32,
    /// The console's level.
    pub log_level: log::LevelFilter,
    /// Whether usernames may reach the console.
    pub log_pii: bool,
}

/// MSAL's log level names (`LogLevel`), and `off`.
fn log_level(name: &str) -> Option<log::LevelFilter> {
    Some(match name.to_ascii_lowercase().as_str() {
        "off" => log::LevelFilter::Off,
        "error" => log::LevelFilter::Error,
        "warning" => log::LevelFilter::Warn,
        "info" => log::LevelFilter::Info,
        "verbose" => log::LevelFilter::Debug,
        "trace" => log::LevelFilter::Trace,
        _ => return None,
    })
}

/// Reads `config.json`'s text. `origin` is the page's origin (the default redirect URI's
/// base) and `page_url` the page's address (where sign-out returns).
pub fn parse(json: &[u8], origin: &str, page_url: &str) -> Result<Settings, AppError> {
    let file: ConfigFile = serde_json::from_slice(json).map_err(|e| {
        config_error(if e.is_data() {
            // A value of the wrong type: serde says which, and where.
            format!("config.json holds a value of the wrong type ({e}). Fix the file beside the page and reload.")
        } else {
            format!(
                "config.json is not valid JSON (line {}, column {}). Fix the file beside the page and reload.",
                e.line(),
                e.column()
            )
        })
    })?;
    let cache = match file.cache_location.as_deref().map(str::trim) {
        None | Some("") | Some("sessionStorage") => StorageKind::Session,
        Some("localStorage") => StorageKind::Local,
        Some(other) => return Err(bad_cache_location(other)),
    };
    let log_level = match file.log_level.as_deref().map(str::trim) {
        None | Some("") => log::LevelFilter::Info,
        Some(name) => log_level(name).ok_or_else(|| {
            config_error(format!(
                "`logLevel` in config.json is `{name}`: use error, warning, info, verbose or trace."
            ))
        })?,
    };
    let http_timeout_secs = match file.http_timeout_secs {
        None => DEFAULT_HTTP_TIMEOUT_SECS,
        Some(0) => {
            return Err(config_error(
                "`httpTimeoutSecs` in config.json is 0: use a number of seconds, at least 1."
                    .to_owned(),
            ))
        }
        Some(secs) => secs,
    };
    let protocol_mode = match file.protocol_mode.as_deref() {
        None => ProtocolMode::Aad,
        Some(mode) => ProtocolMode::parse(mode).map_err(|e| {
            config_error(format!(
                "config.json: {e}. Fix the file beside the page and reload."
            ))
        })?,
    };
    // Graph's scope for Microsoft's platform, as the tutorial; the configured ones elsewhere.
    let scopes = match protocol_mode {
        ProtocolMode::Aad => Some(vec!["User.Read".to_owned()]),
        ProtocolMode::Oidc => file.scopes,
    };
    let redirect_uri = file
        .redirect_uri
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| format!("{}/", origin.trim_end_matches('/')));
    let raw = RawConfig {
        client_id: file.client_id,
        authority: file.authority,
        cloud_instance: file.cloud_instance,
        tenant: file.tenant,
        redirect_uri,
        post_logout_redirect_uri: file
            .post_logout_redirect_uri
            .or_else(|| Some(page_url.to_owned())),
        scopes,
        graph_endpoint: file.graph_endpoint,
        allowed_graph_hosts: file.allowed_graph_hosts,
        client_type: ClientType::Spa,
        protocol_mode,
    };
    let config = Config::from_raw(raw).map_err(|e| {
        config_error(format!(
            "config.json: {e}. Fix the file beside the page and reload."
        ))
    })?;
    Ok(Settings {
        config,
        cache,
        http_timeout_secs,
        log_level,
        log_pii: file.log_pii,
    })
}

fn bad_cache_location(value: &str) -> AppError {
    config_error(format!(
        "`cacheLocation` in config.json is `{value}`: use `sessionStorage` or `localStorage`."
    ))
}

/// A configuration error for the banner.
pub fn config_error(message: String) -> AppError {
    AppError::new(ErrorCode::Config, message)
}

#[cfg(test)]
mod tests;
