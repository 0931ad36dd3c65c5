//! The seed: tenants, users and passwords, app registrations and mailboxes.
//!
//! The built-in default is `seed/default.toml`, compiled in. `--seed FILE` loads the same shape
//! from TOML or JSON. The seed is parsed and indexed once at start, never per request.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use thiserror::Error;

/// The built-in seed's text.
pub const DEFAULT_SEED: &str = include_str!("../seed/default.toml");

/// The consumers tenant of personal Microsoft accounts.
/// <https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference#payload-claims>
pub const CONSUMERS_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// A seed file that cannot be used.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SeedError {
    /// The file could not be read.
    #[error("cannot read the seed file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or JSON of the seed's shape.
    #[error("the seed file {path} is not a valid seed: {message}")]
    Parse {
        /// The file.
        path: String,
        /// What the parser said.
        message: String,
    },
    /// The seed's parts do not fit together.
    #[error("the seed is inconsistent: {0}")]
    Invalid(String),
}

/// A directory (tenant).
#[derive(Debug, Clone, Deserialize)]
pub struct Tenant {
    /// The tenant id, a GUID.
    pub id: String,
    /// A verified domain, usable in place of the id in URLs.
    pub domain: String,
    /// The organisation's name.
    pub name: String,
    /// Whether this is the consumers tenant of personal accounts.
    #[serde(default)]
    pub consumers: bool,
    /// Whether the tenant's domain is federated: its users give their password to the company's
    /// own sign-in server (AD FS), not to Entra.
    /// <https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/whatis-fed>
    #[serde(default)]
    pub federated: bool,
}

/// How a redirect URI is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RedirectKind {
    /// "Single-page application": redeemed cross-origin with an Origin header, 24 h refresh tokens.
    Spa,
    /// "Mobile and desktop applications": redeemed without Origin.
    Desktop,
    /// "Web": a confidential client's redirect.
    Web,
}

/// One registered redirect URI.
#[derive(Debug, Clone, Deserialize)]
pub struct RedirectUri {
    /// The URI as registered.
    pub uri: String,
    /// Its platform.
    pub kind: RedirectKind,
}

/// An app registration.
#[derive(Debug, Clone, Deserialize)]
pub struct Client {
    /// The application (client) id.
    pub client_id: String,
    /// The name shown on the consent page.
    pub name: String,
    /// Registered redirect URIs.
    pub redirect_uris: Vec<RedirectUri>,
    /// Optional claims the registration asks for in its ID tokens (Token configuration), such as
    /// `login_hint`.
    /// <https://learn.microsoft.com/en-us/entra/identity-platform/optional-claims-reference>
    #[serde(default)]
    pub optional_claims: Vec<String>,
}

/// A user and their Graph profile.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    /// The user's home tenant id.
    pub tenant: String,
    /// The object id.
    pub oid: String,
    /// The sign-in name (UPN or email).
    pub username: String,
    /// The password the sign-in page accepts.
    pub password: String,
    /// `displayName`.
    pub display_name: String,
    /// `givenName`.
    #[serde(default)]
    pub given_name: Option<String>,
    /// `surname`.
    #[serde(default)]
    pub surname: Option<String>,
    /// `jobTitle`.
    #[serde(default)]
    pub job_title: Option<String>,
    /// `mail`.
    #[serde(default)]
    pub mail: Option<String>,
    /// `mobilePhone`.
    #[serde(default)]
    pub mobile_phone: Option<String>,
    /// `businessPhones`.
    #[serde(default)]
    pub business_phones: Vec<String>,
    /// `officeLocation`.
    #[serde(default)]
    pub office_location: Option<String>,
    /// `preferredLanguage`.
    #[serde(default)]
    pub preferred_language: Option<String>,
    /// Whether the user has an Exchange mailbox; without one Graph answers 404.
    #[serde(default)]
    pub mailbox: bool,
}

/// A mail message in a user's inbox.
#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    /// The owner's username.
    pub owner: String,
    /// The subject.
    pub subject: String,
    /// The sender's display name.
    pub from_name: String,
    /// The sender's address.
    pub from_address: String,
    /// When it arrived, RFC 3339.
    pub received: String,
    /// Whether it was read.
    #[serde(default)]
    pub is_read: bool,
    /// `text` or `html`.
    pub body_type: String,
    /// The body.
    pub body: String,
}

/// The seed as written in the file.
#[derive(Debug, Clone, Deserialize)]
pub struct SeedFile {
    /// Tenants.
    pub tenants: Vec<Tenant>,
    /// App registrations.
    pub clients: Vec<Client>,
    /// Users.
    pub users: Vec<User>,
    /// Messages of all mailboxes.
    #[serde(default)]
    pub messages: Vec<Message>,
}

/// The seed, parsed and indexed once.
#[derive(Debug)]
pub struct Seed {
    /// Tenants.
    pub tenants: Vec<Tenant>,
    /// App registrations by client id.
    pub clients: HashMap<String, Client>,
    /// Users.
    pub users: Vec<User>,
    /// Each user's messages, newest first, by the user's object id.
    pub mailboxes: HashMap<String, Vec<Message>>,
}

impl Seed {
    /// The built-in seed.
    pub fn default_seed() -> Self {
        Self::from_toml(DEFAULT_SEED, "built-in seed").expect("the built-in seed is valid")
    }

    /// Loads a seed file, TOML or JSON by its extension.
    pub fn load(path: &Path) -> Result<Self, SeedError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SeedError::Read {
            path: name.clone(),
            source,
        })?;
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            let file: SeedFile = serde_json::from_str(&text).map_err(|e| SeedError::Parse {
                path: name,
                message: e.to_string(),
            })?;
            Self::index(file)
        } else {
            Self::from_toml(&text, &name)
        }
    }

    /// Parses a TOML seed.
    pub fn from_toml(text: &str, name: &str) -> Result<Self, SeedError> {
        let file: SeedFile = toml::from_str(text).map_err(|e| SeedError::Parse {
            path: name.to_owned(),
            message: e.to_string(),
        })?;
        Self::index(file)
    }

    fn index(file: SeedFile) -> Result<Self, SeedError> {
        for user in &file.users {
            if !file.tenants.iter().any(|t| t.id == user.tenant) {
                return Err(SeedError::Invalid(format!(
                    "user {} names tenant {}, which the seed does not define",
                    user.username, user.tenant
                )));
            }
        }
        let mut mailboxes: HashMap<String, Vec<Message>> = HashMap::new();
        for message in file.messages {
            let owner = file
                .users
                .iter()
                .find(|u| u.username.eq_ignore_ascii_case(&message.owner))
                .ok_or_else(|| {
                    SeedError::Invalid(format!(
                        "message '{}' belongs to {}, who is not a user",
                        message.subject, message.owner
                    ))
                })?;
            mailboxes
                .entry(owner.oid.clone())
                .or_default()
                .push(message);
        }
        for messages in mailboxes.values_mut() {
            // RFC 3339 UTC timestamps of one format sort as text.
            messages.sort_by(|a, b| b.received.cmp(&a.received));
        }
        let clients = file
            .clients
            .into_iter()
            .map(|c| (c.client_id.clone(), c))
            .collect();
        Ok(Self {
            tenants: file.tenants,
            clients,
            users: file.users,
            mailboxes,
        })
    }

    /// A tenant by id or verified domain, case-insensitively.
    pub fn tenant(&self, id_or_domain: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| {
            t.id.eq_ignore_ascii_case(id_or_domain) || t.domain.eq_ignore_ascii_case(id_or_domain)
        })
    }

    /// A user by sign-in name, case-insensitively.
    pub fn user_by_name(&self, username: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(username))
    }

    /// The tenant `user` belongs to.
    pub fn home_tenant(&self, user: &User) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id == user.tenant)
    }

    /// A user by object id.
    pub fn user_by_oid(&self, oid: &str) -> Option<&User> {
        self.users.iter().find(|u| u.oid == oid)
    }
}
