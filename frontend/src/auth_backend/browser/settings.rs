//! `config.json`, served beside the page: the tutorial's `authConfig.js` as data.
//!
//! ```json
//! { "clientId": "…", "authority": "http://localhost:4123/common",
//!   "redirectUri": "http://localhost:1420/", "graphEndpoint": "http://localhost:4123",
//!   "cacheLocation": "sessionStorage" }
//! ```
//!
//! `redirectUri` defaults to the page's origin + `/`; auth-core's `Config::from_raw` validates
//! the rest and names the field at fault (a tutorial placeholder included).

use auth_core::config::{ClientType, Config, RawConfig};
use serde::Deserialize;
use shell_contract::ErrorCode;

use super::web::StorageKind;
use crate::error::AppError;

/// The file's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ConfigFile {
    client_id: String,
    authority: Option<String>,
    cloud_instance: Option<String>,
    tenant: Option<String>,
    redirect_uri: Option<String>,
    post_logout_redirect_uri: Option<String>,
    graph_endpoint: Option<String>,
    allowed_graph_hosts: Vec<String>,
    cache_location: Option<String>,
}

/// The browser's settings: auth-core's validated configuration and the cache's storage.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The client configuration (an SPA client).
    pub config: Config,
    /// Where the token cache lives.
    pub cache: StorageKind,
}

/// Reads `config.json`'s text. `origin` is the page's origin (the default redirect URI's
/// base) and `page_url` the page's address (where sign-out returns).
pub fn parse(json: &[u8], origin: &str, page_url: &str) -> Result<Settings, AppError> {
    let file: ConfigFile = serde_json::from_slice(json).map_err(|e| {
        config_error(format!(
            "config.json is not valid JSON (line {}, column {}). Fix the file beside the page and reload.",
            e.line(),
            e.column()
        ))
    })?;
    let cache = match file.cache_location.as_deref().map(str::trim) {
        None | Some("") | Some("sessionStorage") => StorageKind::Session,
        Some("localStorage") => StorageKind::Local,
        Some(other) => return Err(bad_cache_location(other)),
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
        scopes: Some(vec!["User.Read".to_owned()]),
        graph_endpoint: file.graph_endpoint,
        allowed_graph_hosts: file.allowed_graph_hosts,
        client_type: ClientType::Spa,
    };
    let config = Config::from_raw(raw).map_err(|e| {
        config_error(format!(
            "config.json: {e}. Fix the file beside the page and reload."
        ))
    })?;
    Ok(Settings { config, cache })
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
