//! The desktop app's configuration: built-in defaults, then a config file in the app's config
//! dir, then environment variables, then command-line flags; each later source overrides the
//! earlier ones.
//!
//! With no `clientId`, `authority` or `cloudInstance` from any source, the app signs in to its
//! demo tenant: the identity emulator, run in-process on a loopback port (`emulatorPort`, else a
//! free one; see [`crate::demo_tenant`]). A `clientId` without an authority signs in to
//! `https://login.microsoftonline.com/common`, MSAL's default; an `authority` without a
//! `clientId` keeps the emulator's client ID, for a standalone emulator.
//!
//! The desktop client is a "mobile and desktop" registration: its redirect URI is
//! `http://localhost:<port>`, a fresh port per sign-in (RFC 8252 §7.3), redeemed without Origin.

use shell_contract::ErrorCode;
use std::path::{Path, PathBuf};
use std::time::Duration;

use auth_core::config::{ClientType, Config, ProtocolMode, RawConfig};
use serde::Deserialize;

use crate::error::CommandError;

/// The emulator's default client registration (crates/identity-emulator/seed/default.toml).
pub const DEFAULT_CLIENT_ID: &str = "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61";
/// The authority when a `clientId` is set without one: MSAL's default.
pub const DEFAULT_MICROSOFT_AUTHORITY: &str = "https://login.microsoftonline.com/common";
/// The demo tenant's tenant: the emulator's multi-tenant authority path.
pub const DEMO_TENANT: &str = "common";

/// The settings a user may write, in `config.toml` or `config.json` (camelCase keys), in
/// environment variables (`GRAPH_SIGNIN_CLIENT_ID`, …) or as flags (`--client-id`, …).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq, clap::Args)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// The Application (client) ID of the app registration.
    #[arg(long)]
    pub client_id: Option<String>,
    /// The authority: instance and tenant, e.g. `https://login.microsoftonline.com/common`.
    #[arg(long)]
    pub authority: Option<String>,
    /// A national cloud's instance instead of `authority`, e.g. `https://login.microsoftonline.us`.
    #[arg(long)]
    pub cloud_instance: Option<String>,
    /// The tenant, with `cloudInstance`: common, organizations, consumers, a GUID or a domain.
    #[arg(long)]
    pub tenant: Option<String>,
    /// Microsoft Graph's base URL; default: the cloud's.
    #[arg(long)]
    pub graph_endpoint: Option<String>,
    /// Hosts (`host` or `host:port`) trusted with the Graph token off the authority's origin;
    /// comma-separated in the environment and the flag. A warning is shown at start.
    #[arg(long, value_delimiter = ',')]
    pub allowed_graph_hosts: Option<Vec<String>>,
    /// How long the login window may stay open, in seconds; default 300.
    #[arg(long)]
    pub login_timeout_secs: Option<u64>,
    /// How long one call to the identity platform or Graph may take, in seconds; default 30
    /// (connecting: at most 10 of them).
    #[arg(long)]
    pub http_timeout_secs: Option<u64>,
    /// The demo tenant's port on 127.0.0.1 (used only when no clientId, authority or
    /// cloudInstance is set); default: a free port.
    #[arg(long)]
    pub emulator_port: Option<u16>,
    /// Whether usernames may be logged (MSAL's `piiLoggingEnabled`); default false.
    #[arg(long)]
    pub log_pii: Option<bool>,
    /// `AAD` (the Microsoft identity platform, default) or `OIDC` (any OpenID provider, whose
    /// issuer is `authority`), as MSAL.js's `protocolMode`.
    #[arg(long)]
    pub protocol_mode: Option<String>,
    /// The scopes asked for at sign-in; comma-separated in the environment and the flag.
    /// Default: `User.Read` (AAD), `openid profile` (OIDC).
    #[arg(long, value_delimiter = ',')]
    pub scopes: Option<Vec<String>>,
}

impl Settings {
    /// `other`'s values replace this one's where set.
    fn overlay(mut self, other: Settings) -> Self {
        self.client_id = other.client_id.or(self.client_id);
        if other.authority.is_some() || other.cloud_instance.is_some() {
            self.authority = other.authority;
            self.cloud_instance = other.cloud_instance;
            self.tenant = other.tenant.or(self.tenant);
        } else {
            self.tenant = other.tenant.or(self.tenant);
        }
        self.graph_endpoint = other.graph_endpoint.or(self.graph_endpoint);
        self.allowed_graph_hosts = other.allowed_graph_hosts.or(self.allowed_graph_hosts);
        self.login_timeout_secs = other.login_timeout_secs.or(self.login_timeout_secs);
        self.http_timeout_secs = other.http_timeout_secs.or(self.http_timeout_secs);
        self.emulator_port = other.emulator_port.or(self.emulator_port);
        self.log_pii = other.log_pii.or(self.log_pii);
        self.protocol_mode = other.protocol_mode.or(self.protocol_mode);
        self.scopes = other.scopes.or(self.scopes);
        self
    }

    /// Settings from `GRAPH_SIGNIN_*` environment variables.
    fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self, CommandError> {
        let seconds = "a number of seconds";
        let timeout = parsed(&var, "GRAPH_SIGNIN_LOGIN_TIMEOUT_SECS", seconds)?;
        let http_timeout = parsed(&var, "GRAPH_SIGNIN_HTTP_TIMEOUT_SECS", seconds)?;
        let emulator_port = parsed(
            &var,
            "GRAPH_SIGNIN_EMULATOR_PORT",
            "a port number (0 to 65535)",
        )?;
        let log_pii = match var("GRAPH_SIGNIN_LOG_PII").as_deref().map(str::trim) {
            None => None,
            Some("1" | "true") => Some(true),
            Some("0" | "false" | "") => Some(false),
            Some(other) => {
                return Err(CommandError::new(
                    ErrorCode::Config,
                    format!("GRAPH_SIGNIN_LOG_PII must be true or false, not `{other}`."),
                ))
            }
        };
        Ok(Self {
            client_id: var("GRAPH_SIGNIN_CLIENT_ID"),
            authority: var("GRAPH_SIGNIN_AUTHORITY"),
            cloud_instance: var("GRAPH_SIGNIN_CLOUD_INSTANCE"),
            tenant: var("GRAPH_SIGNIN_TENANT"),
            graph_endpoint: var("GRAPH_SIGNIN_GRAPH_ENDPOINT"),
            allowed_graph_hosts: var("GRAPH_SIGNIN_ALLOWED_GRAPH_HOSTS").map(|v| comma_list(&v)),
            protocol_mode: var("GRAPH_SIGNIN_PROTOCOL_MODE"),
            scopes: var("GRAPH_SIGNIN_SCOPES").map(|v| comma_list(&v)),
            login_timeout_secs: timeout,
            http_timeout_secs: http_timeout,
            emulator_port,
            log_pii,
        })
    }

    /// Settings from a `config.toml` or `config.json` file.
    pub fn from_file(path: &Path) -> Result<Self, CommandError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CommandError::new(
                ErrorCode::Config,
                format!("Cannot read the config file {}: {e}.", path.display()),
            )
        })?;
        let bad = |e: String| {
            CommandError::new(
                ErrorCode::Config,
                format!("The config file {} is not valid: {e}", path.display()),
            )
        };
        if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| bad(e.to_string()))
        } else {
            toml::from_str(&text).map_err(|e| bad(e.to_string()))
        }
    }
}

/// The non-empty items of a comma-separated list.
fn comma_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The environment variable `name` parsed as a `T`, if it is set; else an error that says it
/// must be `what`.
fn parsed<T: std::str::FromStr>(
    var: &impl Fn(&str) -> Option<String>,
    name: &str,
    what: &str,
) -> Result<Option<T>, CommandError> {
    var(name)
        .map(|v| {
            v.trim().parse().map_err(|_| {
                CommandError::new(
                    ErrorCode::Config,
                    format!("{name} must be {what}, not `{v}`."),
                )
            })
        })
        .transpose()
}

/// The validated configuration the app runs with.
#[derive(Debug, Clone)]
pub struct DesktopConfig {
    settings: Settings,
    /// Where the settings came from, for messages.
    pub sources: Vec<String>,
    /// How long the login window may stay open.
    pub login_timeout: Duration,
    /// How long one HTTP call may take.
    pub http_timeout: Duration,
    /// What the user must know at start about a setting that weakens a default (a Graph host
    /// trusted through `allowedGraphHosts`).
    pub warning: Option<String>,
    /// The demo tenant's port (0: a free one), when the app signs in to its demo tenant.
    demo_port: Option<u16>,
}

impl DesktopConfig {
    /// Loads the settings in their search order: defaults, the file in `config_dir`,
    /// environment variables (through `var`), then `flags`.
    pub fn load(
        config_dir: Option<&Path>,
        var: impl Fn(&str) -> Option<String>,
        flags: Settings,
    ) -> Result<Self, CommandError> {
        let mut settings = Settings::default();
        let mut sources = vec!["built-in defaults (the demo tenant)".to_owned()];
        if let Some(file) = config_dir.and_then(config_file) {
            settings = settings.overlay(Settings::from_file(&file)?);
            sources.push(file.display().to_string());
        }
        let env = Settings::from_env(var)?;
        if env != Settings::default() {
            settings = settings.overlay(env);
            sources.push("GRAPH_SIGNIN_* environment variables".to_owned());
        }
        if flags != Settings::default() {
            settings = settings.overlay(flags);
            sources.push("command-line flags".to_owned());
        }
        let login_timeout = Duration::from_secs(settings.login_timeout_secs.unwrap_or(300));
        let http_timeout = Duration::from_secs(settings.http_timeout_secs.unwrap_or(30).max(1));
        let demo = settings.client_id.is_none()
            && settings.authority.is_none()
            && settings.cloud_instance.is_none();
        if !demo && settings.emulator_port.is_some() {
            tracing::warn!(
                "emulatorPort is set but unused: the app signs in to the configured authority"
            );
        }
        if settings.protocol_mode.is_some() {
            let mode = ProtocolMode::parse(settings.protocol_mode.as_deref().unwrap_or_default())
                .map_err(|e| config_error(&e, &sources))?;
            if mode == ProtocolMode::Oidc
                && (settings.client_id.is_none() || settings.authority.is_none())
            {
                return Err(CommandError::new(
                    ErrorCode::Config,
                    format!(
                        "protocolMode OIDC needs the provider's issuer in `authority` and the \
                         app's `clientId` there (configuration from: {}).",
                        sources.join(", ")
                    ),
                ));
            }
        }
        if settings.client_id.is_none() {
            // An authority without a client: a standalone emulator's (scripts/run.sh --browser).
            settings.client_id = Some(DEFAULT_CLIENT_ID.to_owned());
        } else if settings.authority.is_none() && settings.cloud_instance.is_none() {
            // MSAL's default authority.
            settings.authority = Some(DEFAULT_MICROSOFT_AUTHORITY.to_owned());
        }
        let config = Self {
            demo_port: demo.then(|| settings.emulator_port.unwrap_or(0)),
            settings,
            sources,
            login_timeout,
            http_timeout,
            warning: None,
        };
        if demo {
            // Validated once the demo tenant listens (`on_demo_tenant`).
            return Ok(config);
        }
        config.validated()
    }

    /// Validates now, so a placeholder or a bad URL is reported at start, not at sign-in.
    fn validated(self) -> Result<Self, CommandError> {
        let core = self.core("http://localhost:1")?;
        Ok(Self {
            warning: core.graph_endpoint_warning(),
            ..self
        })
    }

    /// Whether usernames may be logged (`logPii`).
    pub fn log_pii(&self) -> bool {
        self.settings.log_pii.unwrap_or(false)
    }

    /// The demo tenant's port on 127.0.0.1 (0: a free one), when the app signs in to its demo
    /// tenant rather than a configured authority.
    pub fn demo_port(&self) -> Option<u16> {
        self.demo_port
    }

    /// Whether the app signs in to its demo tenant.
    pub fn is_demo(&self) -> bool {
        self.demo_port.is_some()
    }

    /// The configuration once the demo tenant listens at `origin` (`http://localhost:<port>`).
    pub fn on_demo_tenant(mut self, origin: &str) -> Result<Self, CommandError> {
        self.settings.authority = Some(format!("{origin}/{DEMO_TENANT}"));
        self.validated()
    }

    /// auth-core's configuration for a sign-in whose redirect URI is `redirect_uri`.
    pub fn core(&self, redirect_uri: &str) -> Result<Config, CommandError> {
        let s = &self.settings;
        if s.authority.is_none() && s.cloud_instance.is_none() {
            // The demo tenant's, before it listens: never auth-core's default authority.
            return Err(CommandError::new(
                ErrorCode::Config,
                "The demo tenant did not start, so there is nowhere to sign in.",
            ));
        }
        let protocol_mode = match &s.protocol_mode {
            Some(m) => ProtocolMode::parse(m).map_err(|e| config_error(&e, &self.sources))?,
            None => ProtocolMode::Aad,
        };
        Config::from_raw(RawConfig {
            protocol_mode,
            scopes: s.scopes.clone(),
            client_id: s.client_id.clone().unwrap_or_default(),
            authority: s.authority.clone(),
            cloud_instance: s.cloud_instance.clone(),
            tenant: s.tenant.clone(),
            redirect_uri: redirect_uri.to_owned(),
            // The loopback listener also takes the return from the end-session page: a
            // post-logout URI must be one of the app's redirect URIs.
            post_logout_redirect_uri: Some(redirect_uri.to_owned()),
            graph_endpoint: s.graph_endpoint.clone(),
            allowed_graph_hosts: s.allowed_graph_hosts.clone().unwrap_or_default(),
            client_type: ClientType::Desktop,
        })
        .map_err(|e| config_error(&e, &self.sources))
    }

    /// Whether the authority is a generic OpenID provider (`protocolMode` OIDC).
    pub fn is_oidc(&self) -> bool {
        self.settings
            .protocol_mode
            .as_deref()
            .is_some_and(|m| ProtocolMode::parse(m) == Ok(ProtocolMode::Oidc))
    }
}

/// A configuration error, with where the settings came from.
fn config_error(e: &impl std::fmt::Display, sources: &[String]) -> CommandError {
    CommandError::new(
        ErrorCode::Config,
        format!("{e} (configuration from: {})", sources.join(", ")),
    )
}

/// `config.toml` or `config.json` in `dir`, whichever exists (TOML first).
fn config_file(dir: &Path) -> Option<PathBuf> {
    ["config.toml", "config.json"]
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests;
