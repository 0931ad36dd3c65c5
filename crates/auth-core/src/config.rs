//! The client's configuration and its validation.
//!
//! The fields mirror the tutorial's `authConfig.js` (`clientId`, `authority`, `redirectUri`,
//! `graphMeEndpoint`) and MSAL's client configuration
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/msal-client-application-configuration>).

use crate::whatwg::Url;
use serde::{Deserialize, Serialize};

pub use crate::authority::ProtocolMode;
use crate::authority::{check_secure, parse_url, Authority, Cloud, Tenant};
pub use crate::error::ConfigError;
pub use crate::placeholder::check_not_placeholder;

/// Which kind of public client this is; Entra treats their token requests differently
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ClientType {
    /// A single-page app in a browser: redirect URI of type `spa`, token requests are
    /// cross-origin and carry an `Origin` header (else AADSTS9002327).
    #[default]
    Spa,
    /// A "mobile and desktop" public client: no `Origin` header (else AADSTS9002326).
    Desktop,
}

/// The scopes an OIDC-mode sign-in asks for when none are configured.
pub const DEFAULT_OIDC_SCOPES: [&str; 2] = ["openid", "profile"];

/// The configuration as written by a user (all strings), e.g. in a JSON or TOML file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RawConfig {
    /// The Application (client) ID.
    pub client_id: String,
    /// The full authority, e.g. `https://login.microsoftonline.com/common`. Takes precedence
    /// over `cloudInstance` + `tenant`.
    pub authority: Option<String>,
    /// The cloud instance, e.g. `https://login.microsoftonline.us`.
    pub cloud_instance: Option<String>,
    /// The tenant: `common`, `organizations`, `consumers`, a GUID or a domain.
    pub tenant: Option<String>,
    /// The redirect URI.
    pub redirect_uri: String,
    /// Where to return after sign-out.
    pub post_logout_redirect_uri: Option<String>,
    /// Scopes to ask for at sign-in; default `User.Read`.
    pub scopes: Option<Vec<String>>,
    /// Microsoft Graph's base URL; default from the cloud. It must be the Graph host of the
    /// authority's Microsoft cloud; with another authority, the authority's origin or a host in
    /// `allowedGraphHosts`.
    pub graph_endpoint: Option<String>,
    /// Hosts (`host` or `host:port`) that may receive the Graph token although they are not the
    /// authority's origin. Never lifts the rule for Microsoft clouds.
    pub allowed_graph_hosts: Vec<String>,
    /// `spa` or `desktop`.
    pub client_type: ClientType,
    /// `AAD` (default) or `OIDC`.
    pub protocol_mode: ProtocolMode,
}

/// A validated configuration. Build it with [`Config::new`] or [`Config::from_raw`]; it is
/// not `Deserialize`, so nothing unvalidated becomes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    client_id: String,
    authority: Authority,
    /// As configured: sent byte for byte, since Entra compares redirect URIs exactly.
    redirect_uri: String,
    redirect_url: Url,
    post_logout_redirect_uri: Option<Url>,
    scopes: Vec<String>,
    graph_endpoint: Url,
    /// The Graph endpoint is off the authority's origin, let through by `allowedGraphHosts`.
    graph_endpoint_allow_listed: bool,
    client_type: ClientType,
    protocol_mode: ProtocolMode,
}

impl Config {
    /// A configuration from its three required values, with default scopes (`User.Read`) and
    /// the Graph endpoint of the authority's cloud (or the authority's own origin elsewhere,
    /// as for the local emulator).
    pub fn new(
        client_id: &str,
        authority: &str,
        redirect_uri: &str,
        client_type: ClientType,
    ) -> Result<Config, ConfigError> {
        Config::from_raw(RawConfig {
            client_id: client_id.to_owned(),
            authority: Some(authority.to_owned()),
            redirect_uri: redirect_uri.to_owned(),
            client_type,
            ..RawConfig::default()
        })
    }

    /// Validates a raw configuration; the first problem found is returned, naming its field.
    pub fn from_raw(raw: RawConfig) -> Result<Config, ConfigError> {
        let client_id = raw.client_id.trim().to_owned();
        check_not_placeholder("clientId", &client_id)?;
        if client_id.is_empty() {
            return Err(ConfigError::Missing { field: "clientId" });
        }
        if raw.protocol_mode == ProtocolMode::Oidc {
            return Config::from_raw_oidc(raw, client_id);
        }
        let authority = match (&raw.authority, &raw.cloud_instance) {
            (Some(a), _) => Authority::parse(a.trim())?,
            (None, Some(instance)) => {
                check_not_placeholder("cloudInstance", instance)?;
                let tenant = raw.tenant.as_deref().unwrap_or("common");
                check_not_placeholder("tenant", tenant)?;
                Authority::parse(&format!("{}/{}", instance.trim_end_matches('/'), tenant))?
            }
            (None, None) => {
                let tenant = Tenant::parse(raw.tenant.as_deref().unwrap_or("common"))?;
                Cloud::Public.authority(tenant)
            }
        };
        let (redirect_uri, redirect_url, post_logout_redirect_uri) = redirect_uris(&raw)?;
        let scopes = checked_scopes(raw.scopes.clone(), &["User.Read"])?;
        let expected_graph = default_graph_endpoint(&authority)?;
        let (graph_endpoint, graph_endpoint_allow_listed) = match &raw.graph_endpoint {
            Some(g) => {
                check_not_placeholder("graphEndpoint", g)?;
                let url = parse_url("graphEndpoint", g)?;
                check_secure("graphEndpoint", &url)?;
                let allow_listed = check_graph_origin(
                    &authority,
                    &expected_graph,
                    &url,
                    &raw.allowed_graph_hosts,
                )?;
                (url, allow_listed)
            }
            None => (expected_graph, false),
        };
        Ok(Config {
            client_id,
            authority,
            redirect_uri,
            redirect_url,
            post_logout_redirect_uri,
            scopes,
            graph_endpoint,
            graph_endpoint_allow_listed,
            client_type: raw.client_type,
            protocol_mode: ProtocolMode::Aad,
        })
    }

    /// OIDC mode: the authority is the provider's issuer, taken exactly as written; the
    /// Microsoft-only settings are refused rather than ignored.
    fn from_raw_oidc(raw: RawConfig, client_id: String) -> Result<Config, ConfigError> {
        for (field, set) in [
            ("cloudInstance", raw.cloud_instance.is_some()),
            ("tenant", raw.tenant.is_some()),
            ("graphEndpoint", raw.graph_endpoint.is_some()),
            ("allowedGraphHosts", !raw.allowed_graph_hosts.is_empty()),
        ] {
            if set {
                return Err(ConfigError::Invalid {
                    field,
                    reason: "it is a Microsoft setting, with no use when protocolMode is OIDC: \
                             leave it out"
                        .into(),
                });
            }
        }
        let issuer = raw
            .authority
            .as_deref()
            .ok_or(ConfigError::Missing { field: "authority" })?;
        let authority = Authority::oidc(issuer.trim())?;
        let (redirect_uri, redirect_url, post_logout_redirect_uri) = redirect_uris(&raw)?;
        let scopes = checked_scopes(raw.scopes.clone(), &DEFAULT_OIDC_SCOPES)?;
        // No Graph here: the field holds the issuer's origin, and nothing is sent to it.
        let graph_endpoint = parse_url(
            "authority",
            &format!("{}/", origin(&parse_url("authority", issuer.trim())?)),
        )?;
        Ok(Config {
            client_id,
            authority,
            redirect_uri,
            redirect_url,
            post_logout_redirect_uri,
            scopes,
            graph_endpoint,
            graph_endpoint_allow_listed: false,
            client_type: raw.client_type,
            protocol_mode: ProtocolMode::Oidc,
        })
    }

    /// Replaces the sign-in scopes.
    pub fn with_scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Replaces the authority, e.g. with one that adopted a discovery document.
    pub fn with_authority(mut self, authority: Authority) -> Self {
        self.authority = authority;
        self
    }

    /// The Application (client) ID.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
    /// The authority.
    pub fn authority(&self) -> &Authority {
        &self.authority
    }
    /// The redirect URI, exactly as configured (what the requests send).
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }
    /// The redirect URI, parsed.
    pub fn redirect_url(&self) -> &Url {
        &self.redirect_url
    }
    /// Where to return after sign-out.
    pub fn post_logout_redirect_uri(&self) -> Option<&Url> {
        self.post_logout_redirect_uri.as_ref()
    }
    /// The scopes asked for at sign-in (without the OpenID ones, which are always added).
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
    /// Microsoft Graph's base URL, e.g. `https://graph.microsoft.com/`.
    pub fn graph_endpoint(&self) -> &Url {
        &self.graph_endpoint
    }
    /// A warning for the start of the app when the Graph token goes to a host that only
    /// `allowedGraphHosts` lets through.
    pub fn graph_endpoint_warning(&self) -> Option<String> {
        self.graph_endpoint_allow_listed.then(|| {
            format!(
                "Microsoft Graph calls go to {}, which is not the authority's origin ({}): it is \
                 trusted only because `allowedGraphHosts` lists it, and it receives your access token.",
                origin(&self.graph_endpoint),
                self.authority.environment()
            )
        })
    }
    /// SPA or desktop.
    pub fn client_type(&self) -> ClientType {
        self.client_type
    }
    /// AAD or OIDC.
    pub fn protocol_mode(&self) -> ProtocolMode {
        self.protocol_mode
    }
}

/// The redirect URI (as written, and parsed) and the post-logout redirect URI.
fn redirect_uris(raw: &RawConfig) -> Result<(String, Url, Option<Url>), ConfigError> {
    check_not_placeholder("redirectUri", &raw.redirect_uri)?;
    let redirect_uri = raw.redirect_uri.trim().to_owned();
    let redirect_url = parse_url("redirectUri", &redirect_uri)?;
    let post_logout_redirect_uri = match &raw.post_logout_redirect_uri {
        Some(u) => {
            check_not_placeholder("postLogoutRedirectUri", u)?;
            Some(parse_url("postLogoutRedirectUri", u)?)
        }
        None => None,
    };
    Ok((redirect_uri, redirect_url, post_logout_redirect_uri))
}

/// The configured scopes, or `default`; each must be one scope.
fn checked_scopes(
    scopes: Option<Vec<String>>,
    default: &[&str],
) -> Result<Vec<String>, ConfigError> {
    let scopes = scopes.unwrap_or_else(|| default.iter().map(|s| (*s).to_owned()).collect());
    for s in &scopes {
        check_not_placeholder("scopes", s)?;
        if s.is_empty() || s.contains(char::is_whitespace) {
            return Err(ConfigError::Invalid {
                field: "scopes",
                reason: format!("`{s}` is not a single scope"),
            });
        }
    }
    Ok(scopes)
}

fn default_graph_endpoint(authority: &Authority) -> Result<Url, ConfigError> {
    let cloud = Cloud::from_host(authority.environment());
    let url = match cloud {
        Some(c) => c.graph_endpoint().to_owned(),
        None => {
            // An authority outside the national clouds (the local emulator) serves Graph
            // from its own origin.
            let base = authority.base();
            let origin_end = base
                .find("://")
                .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
                .unwrap_or(base.len());
            format!("{}/", &base[..origin_end])
        }
    };
    parse_url("graphEndpoint", &url)
}

/// Checks that `url` may receive the Graph token of `authority`, whose own Graph is
/// `expected`. A Microsoft cloud's token goes only to that cloud's Graph host; another
/// authority's to its own origin or to a host in `allowed`. Returns whether the allow-list was
/// needed.
fn check_graph_origin(
    authority: &Authority,
    expected: &Url,
    url: &Url,
    allowed: &[String],
) -> Result<bool, ConfigError> {
    if origin(url) == origin(expected) {
        return Ok(false);
    }
    if Cloud::from_host(authority.environment()).is_some() {
        return Err(ConfigError::Invalid {
            field: "graphEndpoint",
            reason: format!(
                "`{url}` is not Microsoft Graph for {}: the app would send its Graph token \
                 there. Use {expected} or leave `graphEndpoint` out",
                authority.environment()
            ),
        });
    }
    let host = origin_host(url);
    let with_port = format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    );
    if allowed.iter().any(|a| {
        let a = a.trim().to_ascii_lowercase();
        a == host || a == with_port
    }) {
        return Ok(true);
    }
    Err(ConfigError::Invalid {
        field: "graphEndpoint",
        reason: format!(
            "`{url}` is not on the authority's origin ({expected}): the app would send its Graph \
             token there. Use {expected}, or list `{host}` in `allowedGraphHosts` if you trust it"
        ),
    })
}

/// `scheme://host[:port]`, the port only when not the scheme's default, lower case.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// `host[:port]`, as written in `allowedGraphHosts`.
fn origin_host(url: &Url) -> String {
    match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests;
