//! Authorities: where the identity platform lives, for which tenant, and its endpoints.
//!
//! Entra authorities are `{instance}/{tenant}`, as in
//! <https://learn.microsoft.com/en-us/entra/identity-platform/msal-client-application-configuration#authority>;
//! endpoints follow <https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc>.
//! A generic OpenID provider is described by its discovery document
//! (OpenID Connect Discovery 1.0 §3–§4).

use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{ConfigError, ResponseError};
use crate::placeholder::check_not_placeholder;

/// The consumers (personal Microsoft account) tenant's id, which its tokens carry as `tid`
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference>).
pub const CONSUMERS_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// The placeholder of multi-tenant issuers in discovery documents, replaced by the token's `tid`
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-issuer>).
pub const TENANT_ID_TEMPLATE: &str = "{tenantid}";

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
}

/// Where users sign in: an instance (scheme, host, optional path) and a tenant, plus the
/// discovery metadata once known. Made only by the validating constructors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Authority {
    base: String,
    tenant: Tenant,
    metadata: Option<OidcMetadata>,
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
        })
    }

    /// A generic OpenID provider described by its discovery document (the JSON at
    /// `{issuer}/.well-known/openid-configuration`). The document's `issuer` must equal
    /// `issuer` (OpenID Connect Discovery 1.0 §4.3).
    pub fn from_oidc_discovery(issuer: &str, document: &[u8]) -> Result<Authority, crate::Error> {
        let url = parse_url("authority", issuer)?;
        check_secure("authority", &url)?;
        let metadata = parse_discovery(document)?;
        let expected = issuer.trim_end_matches('/');
        if metadata.issuer.trim_end_matches('/') != expected {
            return Err(ResponseError::IssuerMismatch {
                expected: expected.to_owned(),
                found: metadata.issuer,
            }
            .into());
        }
        let path = url.path().trim_end_matches('/');
        let (prefix, last) = path.rsplit_once('/').unwrap_or(("", ""));
        Ok(Authority {
            base: format!("{}{}", url.origin().ascii_serialization(), prefix),
            tenant: Tenant::Domain(last.to_owned()),
            metadata: Some(metadata),
        })
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

    /// The full authority URL, `{instance}/{tenant}`.
    pub fn url(&self) -> String {
        format!("{}/{}", self.base, self.tenant.as_str())
    }

    /// The cache's "environment": the authority's host (and port when not the default).
    pub fn environment(&self) -> &str {
        let rest = self.base.split_once("://").map_or("", |(_, r)| r);
        rest.split('/').next().unwrap_or(rest)
    }

    /// The discovery document's URL for this Entra authority.
    pub fn discovery_url(&self) -> String {
        format!("{}/v2.0/.well-known/openid-configuration", self.url())
    }

    /// The metadata: from discovery if adopted, else Entra's endpoint layout.
    pub fn metadata(&self) -> OidcMetadata {
        if let Some(m) = &self.metadata {
            return m.clone();
        }
        let url = self.url();
        OidcMetadata {
            issuer: self.default_issuer(),
            authorization_endpoint: format!("{url}/oauth2/v2.0/authorize"),
            token_endpoint: format!("{url}/oauth2/v2.0/token"),
            jwks_uri: format!("{url}/discovery/v2.0/keys"),
            end_session_endpoint: Some(format!("{url}/oauth2/v2.0/logout")),
        }
    }

    /// The issuer ID tokens must carry, possibly holding `{tenantid}`.
    pub fn issuer(&self) -> String {
        match &self.metadata {
            Some(m) => m.issuer.clone(),
            None => self.default_issuer(),
        }
    }

    /// Whether the issuer is known only through discovery: a tenant named by a domain, whose
    /// tokens carry the tenant's GUID. Filling the `{tenantid}` template from the token's own
    /// `tid` would accept any tenant's tokens.
    pub fn needs_discovery(&self) -> bool {
        matches!(self.tenant, Tenant::Domain(_)) && self.metadata.is_none()
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
            // The workspace pins idna_adapter 1.0 (no Unicode tables: 46 KB gzipped less in
            // the page), so host names must be ASCII, as every Microsoft endpoint's is.
            url::ParseError::IdnaError => format!(
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
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
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
