//! Authorities: where the identity platform lives, for which tenant, and its endpoints.
//!
//! Entra authorities are `{instance}/{tenant}`, as in
//! <https://learn.microsoft.com/en-us/entra/identity-platform/msal-client-application-configuration#authority>;
//! endpoints follow <https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc>.
//! A generic OpenID provider is described by its discovery document
//! (OpenID Connect Discovery 1.0 §3–§4).

use crate::whatwg::Url;
use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, ResponseError};
use crate::placeholder::check_not_placeholder;

/// The consumers (personal Microsoft account) tenant's id, which its tokens carry as `tid`
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference>).
pub const CONSUMERS_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// The placeholder of multi-tenant issuers in discovery documents, replaced by the token's `tid`
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-issuer>).
pub const TENANT_ID_TEMPLATE: &str = "{tenantid}";

/// Which protocol the authority speaks, named as MSAL.js names its `protocolMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ProtocolMode {
    /// The Microsoft identity platform: an `{instance}/{tenant}` authority, Entra's endpoint
    /// layout and parameters (`client_info`, `client-request-id`, `prompt=select_account`).
    #[default]
    #[serde(rename = "AAD")]
    Aad,
    /// Any OpenID provider: the authority is its issuer, and every endpoint comes from its
    /// discovery document (OpenID Connect Discovery 1.0 §4); only standard parameters are sent.
    #[serde(rename = "OIDC")]
    Oidc,
}

impl ProtocolMode {
    /// The name as configured: `AAD` or `OIDC`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolMode::Aad => "AAD",
            ProtocolMode::Oidc => "OIDC",
        }
    }

    /// Reads a configured name, case-insensitively.
    pub fn parse(value: &str) -> Result<ProtocolMode, ConfigError> {
        match value.trim().to_ascii_uppercase().as_str() {
            "AAD" => Ok(ProtocolMode::Aad),
            "OIDC" => Ok(ProtocolMode::Oidc),
            _ => Err(ConfigError::Invalid {
                field: "protocolMode",
                reason: format!(
                    "`{value}` is neither AAD (Microsoft) nor OIDC (any OpenID provider)"
                ),
            }),
        }
    }
}

/// A national cloud
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/authentication-national-cloud>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Cloud {
    /// Azure public cloud: login.microsoftonline.com, graph.microsoft.com.
    Public,
    /// Azure US Government: login.microsoftonline.us, graph.microsoft.us.
    UsGov,
    /// Azure China (21Vianet): login.partner.microsoftonline.cn, microsoftgraph.chinacloudapi.cn.
    China,
}

impl Cloud {
    /// The cloud's identity instance, e.g. `https://login.microsoftonline.com`.
    pub fn instance(self) -> &'static str {
        match self {
            Cloud::Public => "https://login.microsoftonline.com",
            Cloud::UsGov => "https://login.microsoftonline.us",
            Cloud::China => "https://login.partner.microsoftonline.cn",
        }
    }

    /// The cloud's Microsoft Graph endpoint, with a trailing slash.
    pub fn graph_endpoint(self) -> &'static str {
        match self {
            Cloud::Public => "https://graph.microsoft.com/",
            Cloud::UsGov => "https://graph.microsoft.us/",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn/",
        }
    }

    /// The cloud whose identity host this is, if any.
    pub fn from_host(host: &str) -> Option<Cloud> {
        [Cloud::Public, Cloud::UsGov, Cloud::China]
            .into_iter()
            .find(|c| {
                c.instance()
                    .ends_with(&format!("//{}", host.to_ascii_lowercase()))
            })
    }

    /// The authority of this cloud for a tenant.
    pub fn authority(self, tenant: Tenant) -> Authority {
        Authority {
            base: self.instance().to_owned(),
            tenant,
            metadata: None,
            oidc: false,
        }
    }
}

/// Who may sign in (the tenant part of the authority).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Tenant {
    /// Work/school and personal accounts.
    Common,
    /// Work/school accounts of any tenant.
    Organizations,
    /// Personal Microsoft accounts only.
    Consumers,
    /// One tenant, by its GUID.
    Id(String),
    /// One tenant, by a verified domain (e.g. `contoso.onmicrosoft.com`) or name.
    Domain(String),
}

impl Tenant {
    /// Reads the tenant path segment.
    pub fn parse(segment: &str) -> Result<Tenant, ConfigError> {
        check_not_placeholder("tenant", segment)?;
        let lower = segment.to_ascii_lowercase();
        Ok(match lower.as_str() {
            "common" => Tenant::Common,
            "organizations" => Tenant::Organizations,
            "consumers" => Tenant::Consumers,
            _ if is_guid(&lower) => Tenant::Id(lower),
            _ if !lower.is_empty()
                && lower
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) =>
            {
                Tenant::Domain(lower)
            }
            _ => {
                return Err(ConfigError::Invalid {
                    field: "tenant",
                    reason: format!(
                    "`{segment}` is not common, organizations, consumers, a tenant id or a domain"
                ),
                })
            }
        })
    }

    /// The path segment.
    pub fn as_str(&self) -> &str {
        match self {
            Tenant::Common => "common",
            Tenant::Organizations => "organizations",
            Tenant::Consumers => "consumers",
            Tenant::Id(s) | Tenant::Domain(s) => s,
        }
    }

    /// Whether tokens come from several tenants (the issuer is a `{tenantid}` template).
    pub fn is_multi_tenant(&self) -> bool {
        matches!(self, Tenant::Common | Tenant::Organizations)
    }
}

/// Whether `s` looks like a GUID (8-4-4-4-12 hex digits).
pub(crate) fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The endpoints of an authority, from its discovery document or Entra's fixed layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcMetadata {
    /// `issuer`; for Entra's multi-tenant aliases it holds the `{tenantid}` template.
    pub issuer: String,
    /// `authorization_endpoint` (RFC 6749 §3.1).
    pub authorization_endpoint: String,
    /// `token_endpoint` (RFC 6749 §3.2).
    pub token_endpoint: String,
    /// `jwks_uri` (OpenID Connect Discovery 1.0 §3).
    pub jwks_uri: String,
    /// `end_session_endpoint` (OpenID Connect RP-Initiated Logout 1.0 §2.1), if any.
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
    /// `userinfo_endpoint` (OpenID Connect Core 1.0 §5.3), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userinfo_endpoint: Option<String>,
    /// `scopes_supported`, if listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes_supported: Option<Vec<String>>,
    /// `code_challenge_methods_supported` (RFC 8414 §2), if listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// `id_token_signing_alg_values_supported`, if listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token_signing_alg_values_supported: Option<Vec<String>>,
    /// `authorization_response_iss_parameter_supported` (RFC 9207 §3): every authorization
    /// response carries `iss`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub authorization_response_iss_parameter_supported: bool,
}

impl OidcMetadata {
    /// Whether the provider lists `scope` in `scopes_supported`.
    pub fn supports_scope(&self, scope: &str) -> bool {
        self.scopes_supported
            .as_ref()
            .is_some_and(|s| s.iter().any(|x| x == scope))
    }
}

/// Where users sign in: an instance (scheme, host, optional path) and a tenant, plus the
/// discovery metadata once known. Made only by the validating constructors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Authority {
    /// The instance; in OIDC mode, the issuer exactly as configured.
    base: String,
    /// The tenant; `Common` in OIDC mode, where there is none.
    tenant: Tenant,
    metadata: Option<OidcMetadata>,
    /// A generic OpenID provider (`protocolMode` OIDC): everything comes from discovery.
    oidc: bool,
}

impl Authority {
    /// Parses an authority URL such as `https://login.microsoftonline.com/common` or the
    /// emulator's `http://localhost:4123/common`. The last path segment is the tenant.
    /// `http` is refused except on loopback (RFC 8252 §8.3; MSAL's `authority_uri_insecure`).
    pub fn parse(authority: &str) -> Result<Authority, ConfigError> {
        check_not_placeholder("authority", authority)?;
        let url = parse_url("authority", authority)?;
        check_secure("authority", &url)?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ConfigError::Invalid {
                field: "authority",
                reason: "it must not have a query or fragment".into(),
            });
        }
        let path = url.path().trim_end_matches('/');
        let (prefix, tenant) = path.rsplit_once('/').unwrap_or(("", ""));
        if tenant.is_empty() {
            return Err(ConfigError::Invalid {
                field: "authority",
                reason: format!("`{authority}` has no tenant: add /common, /organizations, /consumers or your tenant id"),
            });
        }
        let tenant = Tenant::parse(tenant)?;
        Ok(Authority {
            base: format!("{}{}", url.origin().ascii_serialization(), prefix),
            tenant,
            metadata: None,
            oidc: false,
        })
    }

    /// A generic OpenID provider, named by its issuer URL. The issuer is kept exactly as
    /// written, since the discovery document's `issuer` must equal it byte for byte (OpenID
    /// Connect Discovery 1.0 §4.3); its endpoints are known once
    /// [`Authority::with_oidc_discovery`] adopted that document.
    pub fn oidc(issuer: &str) -> Result<Authority, ConfigError> {
        check_not_placeholder("authority", issuer)?;
        let url = parse_url("authority", issuer)?;
        check_secure("authority", &url)?;
        // OpenID Connect Core 1.0 §2: the issuer has no query or fragment.
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ConfigError::Invalid {
                field: "authority",
                reason: "an issuer must not have a query or fragment".into(),
            });
        }
        Ok(Authority {
            base: issuer.to_owned(),
            tenant: Tenant::Common,
            metadata: None,
            oidc: true,
        })
    }

    /// Adopts a generic provider's discovery document, fetched from
    /// [`Authority::discovery_url`]. Refused unless its `issuer` is this authority exactly
    /// (Discovery §4.3), every endpoint is https (or http on loopback), it offers PKCE with
    /// S256 (RFC 7636 §4.2; this client sends nothing else), and, when it lists its ID token
    /// algorithms, one of them is one this client verifies.
    pub fn with_oidc_discovery(mut self, document: &[u8]) -> Result<Authority, crate::Error> {
        let metadata = parse_discovery(document)?;
        if metadata.issuer != self.base {
            return Err(ResponseError::IssuerMismatch {
                expected: self.base.clone(),
                found: metadata.issuer,
            }
            .into());
        }
        let unusable = |reason: String| ResponseError::UnusableProvider {
            issuer: self.base.clone(),
            reason,
        };
        let endpoints = [
            (
                "authorization_endpoint",
                Some(&metadata.authorization_endpoint),
            ),
            ("token_endpoint", Some(&metadata.token_endpoint)),
            ("jwks_uri", Some(&metadata.jwks_uri)),
            ("userinfo_endpoint", metadata.userinfo_endpoint.as_ref()),
            (
                "end_session_endpoint",
                metadata.end_session_endpoint.as_ref(),
            ),
        ];
        for (field, value) in endpoints {
            let Some(value) = value else { continue };
            let secure = Url::parse(value).is_ok_and(|u| check_secure(field, &u).is_ok());
            if !secure {
                return Err(unusable(format!(
                    "its {field} `{value}` is not an https URL (http is allowed on loopback only)"
                ))
                .into());
            }
        }
        let methods = metadata
            .code_challenge_methods_supported
            .as_deref()
            .unwrap_or(&[]);
        if !methods.iter().any(|m| m == "S256") {
            return Err(unusable(format!(
                "its discovery document lists {} in code_challenge_methods_supported, and this \
                 app signs in with PKCE S256 only",
                listed(methods)
            ))
            .into());
        }
        if let Some(algs) = &metadata.id_token_signing_alg_values_supported {
            if !algs
                .iter()
                .any(|a| ID_TOKEN_ALGORITHMS.contains(&a.as_str()))
            {
                return Err(unusable(format!(
                    "it signs ID tokens with {}, and this app verifies {} only",
                    listed(algs),
                    ID_TOKEN_ALGORITHMS.join(", ")
                ))
                .into());
            }
        }
        self.metadata = Some(metadata);
        Ok(self)
    }

    /// Adopts an Entra discovery document fetched from [`Authority::discovery_url`]. Its issuer
    /// must be `{instance}/{t}/v2.0` on this authority's instance, where `t` is the tenant,
    /// the `{tenantid}` template (multi-tenant aliases), or a tenant GUID (domains, consumers)
    /// (<https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri>).
    pub fn with_discovery(mut self, document: &[u8]) -> Result<Authority, crate::Error> {
        let metadata = parse_discovery(document)?;
        let tenant_part = metadata
            .issuer
            .strip_prefix(&self.base)
            .and_then(|rest| rest.strip_prefix('/'))
            .and_then(|rest| rest.strip_suffix("/v2.0"));
        let ok = match tenant_part {
            Some(t) if t == TENANT_ID_TEMPLATE => self.tenant.is_multi_tenant(),
            Some(t) => {
                t.eq_ignore_ascii_case(self.tenant.as_str())
                    || (is_guid(t) && matches!(self.tenant, Tenant::Domain(_) | Tenant::Consumers))
            }
            None => false,
        };
        if !ok {
            return Err(ResponseError::IssuerMismatch {
                expected: self.default_issuer(),
                found: metadata.issuer,
            }
            .into());
        }
        self.metadata = Some(metadata);
        Ok(self)
    }

    /// The instance: scheme, host, port and any path before the tenant.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The tenant.
    pub fn tenant(&self) -> &Tenant {
        &self.tenant
    }

    /// The full authority URL, `{instance}/{tenant}`; in OIDC mode, the issuer.
    pub fn url(&self) -> String {
        if self.oidc {
            return self.base.clone();
        }
        format!("{}/{}", self.base, self.tenant.as_str())
    }

    /// AAD (an Entra authority) or OIDC (a generic provider).
    pub fn protocol_mode(&self) -> ProtocolMode {
        if self.oidc {
            ProtocolMode::Oidc
        } else {
            ProtocolMode::Aad
        }
    }

    /// The cache's "environment": the authority's host (and port when not the default).
    pub fn environment(&self) -> &str {
        let rest = self.base.split_once("://").map_or("", |(_, r)| r);
        rest.split('/').next().unwrap_or(rest)
    }

    /// The discovery document's URL: Entra's `{authority}/v2.0/.well-known/…`, or
    /// `{issuer}/.well-known/openid-configuration` for a generic provider (Discovery §4).
    pub fn discovery_url(&self) -> String {
        if self.oidc {
            return format!(
                "{}/.well-known/openid-configuration",
                self.base.trim_end_matches('/')
            );
        }
        format!("{}/v2.0/.well-known/openid-configuration", self.url())
    }

    /// The metadata: from discovery if adopted, else Entra's endpoint layout. A generic
    /// provider has none before discovery.
    pub fn metadata(&self) -> Result<OidcMetadata, ConfigError> {
        if let Some(m) = &self.metadata {
            return Ok(m.clone());
        }
        if self.oidc {
            return Err(ConfigError::Invalid {
                field: "authority",
                reason: format!(
                    "the endpoints of {} are not known before its discovery document is read",
                    self.base
                ),
            });
        }
        let url = self.url();
        Ok(OidcMetadata {
            issuer: self.default_issuer(),
            authorization_endpoint: format!("{url}/oauth2/v2.0/authorize"),
            token_endpoint: format!("{url}/oauth2/v2.0/token"),
            jwks_uri: format!("{url}/discovery/v2.0/keys"),
            end_session_endpoint: Some(format!("{url}/oauth2/v2.0/logout")),
            userinfo_endpoint: None,
            scopes_supported: None,
            code_challenge_methods_supported: None,
            id_token_signing_alg_values_supported: None,
            authorization_response_iss_parameter_supported: false,
        })
    }

    /// The issuer ID tokens must carry, possibly holding `{tenantid}`.
    pub fn issuer(&self) -> String {
        match &self.metadata {
            Some(m) => m.issuer.clone(),
            None if self.oidc => self.base.clone(),
            None => self.default_issuer(),
        }
    }

    /// Whether the issuer is known only through discovery: a tenant named by a domain, whose
    /// tokens carry the tenant's GUID. Filling the `{tenantid}` template from the token's own
    /// `tid` would accept any tenant's tokens.
    /// A generic provider always needs its document.
    pub fn needs_discovery(&self) -> bool {
        (self.oidc || matches!(self.tenant, Tenant::Domain(_))) && self.metadata.is_none()
    }

    fn default_issuer(&self) -> String {
        // A domain tenant's issuer comes from discovery (see `needs_discovery`); until then its
        // expected issuer names the domain, which no Entra token carries: it fails closed.
        let tenant = match &self.tenant {
            Tenant::Common | Tenant::Organizations => TENANT_ID_TEMPLATE,
            Tenant::Consumers => CONSUMERS_TENANT_ID,
            Tenant::Id(id) | Tenant::Domain(id) => id,
        };
        format!("{}/{}/v2.0", self.base, tenant)
    }
}

/// The ID token algorithms this client verifies from a generic provider (`id_token::validate`
/// accepts these in OIDC mode, RS256 alone for Entra).
pub const ID_TOKEN_ALGORITHMS: [&str; 3] = ["RS256", "PS256", "ES256"];

/// `a, b and c`, or `none` for an empty list.
fn listed(values: &[String]) -> String {
    match values {
        [] => "none".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn parse_discovery(document: &[u8]) -> Result<OidcMetadata, ResponseError> {
    serde_json::from_slice(document).map_err(|e| ResponseError::malformed("discovery", 200, &e))
}

pub(crate) fn parse_url(field: &'static str, value: &str) -> Result<Url, ConfigError> {
    if value.trim().is_empty() {
        return Err(ConfigError::Missing { field });
    }
    Url::parse(value).map_err(|e| ConfigError::Invalid {
        field,
        reason: match e {
            // Natively the workspace pins idna_adapter 1.0 (no Unicode tables), so host names
            // must be ASCII, as every Microsoft endpoint's is. A browser maps them itself.
            #[cfg(not(target_arch = "wasm32"))]
            crate::whatwg::ParseError::IdnaError => format!(
                "`{value}` has a non-ASCII host name; write the host in its ASCII (punycode, \
                 `xn--…`) form"
            ),
            e => format!("`{value}` is not an absolute URL ({e})"),
        },
    })
}

/// Whether `url` is on the loopback interface (RFC 8252 §7.3, §8.3).
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(crate::whatwg::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(crate::whatwg::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(crate::whatwg::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Refuses anything but https, except http on loopback.
pub(crate) fn check_secure(field: &'static str, url: &Url) -> Result<(), ConfigError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        _ => Err(ConfigError::Insecure {
            field,
            url: url.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests;
