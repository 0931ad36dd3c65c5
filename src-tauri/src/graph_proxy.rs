//! Microsoft Graph, called by Rust with one pooled reqwest client; the webview gets only the
//! fields it shows.
//!
//! - 429 and 503 are retried after `Retry-After`, at most [`MAX_RETRIES`] times and never
//!   waiting more than [`MAX_WAIT`] in all (<https://learn.microsoft.com/en-us/graph/throttling>).
//! - A 401 with a claims challenge comes back as [`GraphError::ClaimsChallenge`], for an
//!   interactive sign-in with those claims.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::CommandError;

/// Retries of one call on 429 / 503.
pub const MAX_RETRIES: u32 = 3;
/// The longest total wait for `Retry-After`s within one call.
pub const MAX_WAIT: Duration = Duration::from_secs(30);

/// Why a Graph call failed.
#[derive(Debug)]
pub enum GraphError {
    /// Graph wants a token with more claims (CAE): sign in interactively with them.
    ClaimsChallenge(String),
    /// The token was refused (401) for another reason: sign in again.
    Unauthorized,
    /// Anything else, as a user-facing error.
    Command(CommandError),
}

impl From<CommandError> for GraphError {
    fn from(e: CommandError) -> Self {
        GraphError::Command(e)
    }
}

/// The profile lines the page shows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// `displayName`.
    pub display_name: Option<String>,
    /// `jobTitle`: the "Title" line.
    pub job_title: Option<String>,
    /// `mail`.
    pub mail: Option<String>,
    /// `businessPhones`.
    #[serde(default)]
    pub business_phones: Vec<String>,
    /// `mobilePhone`.
    pub mobile_phone: Option<String>,
    /// `officeLocation`: the "Location" line.
    pub office_location: Option<String>,
}

/// One mail of the list.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MailSummary {
    /// The message id.
    pub id: String,
    /// The subject, shown as text.
    pub subject: Option<String>,
    /// The sender's name.
    pub from_name: Option<String>,
    /// The sender's address.
    pub from_address: Option<String>,
    /// Up to 255 characters of the body, as text.
    pub body_preview: Option<String>,
}

#[derive(Deserialize)]
struct Messages {
    value: Vec<RawMessage>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMessage {
    id: String,
    subject: Option<String>,
    from: Option<Recipient>,
    body_preview: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Recipient {
    email_address: Option<EmailAddress>,
}

#[derive(Deserialize)]
struct EmailAddress {
    name: Option<String>,
    address: Option<String>,
}

/// Graph over one pooled client.
#[derive(Clone)]
pub struct GraphClient {
    http: reqwest::Client,
    endpoint: url::Url,
}

impl GraphClient {
    /// A client for `endpoint` (e.g. `https://graph.microsoft.com`) sharing `http`'s pool.
    pub fn new(http: reqwest::Client, endpoint: url::Url) -> Self {
        Self { http, endpoint }
    }

    /// `GET /v1.0/me`.
    pub async fn me(&self, token: &str) -> Result<Profile, GraphError> {
        let body = self.get("v1.0/me?$select=displayName,jobTitle,mail,businessPhones,mobilePhone,officeLocation", token).await?;
        serde_json::from_slice(&body).map_err(|e| bad_reply("/me", e))
    }

    /// `GET /v1.0/me/messages`: the first 10, newest first.
    pub async fn messages(&self, token: &str) -> Result<Vec<MailSummary>, GraphError> {
        let body = self
            .get(
                "v1.0/me/messages?$top=10&$select=subject,from,bodyPreview",
                token,
            )
            .await?;
        let messages: Messages =
            serde_json::from_slice(&body).map_err(|e| bad_reply("/me/messages", e))?;
        Ok(messages
            .value
            .into_iter()
            .take(10)
            .map(|m| {
                let address = m.from.and_then(|f| f.email_address);
                MailSummary {
                    id: m.id,
                    subject: m.subject,
                    from_name: address.as_ref().and_then(|a| a.name.clone()),
                    from_address: address.and_then(|a| a.address),
                    body_preview: m.body_preview,
                }
            })
            .collect())
    }

    async fn get(&self, path: &str, token: &str) -> Result<Vec<u8>, GraphError> {
        let url = self
            .endpoint
            .join(path)
            .map_err(|e| CommandError::new("config", format!("Bad Graph endpoint: {e}.")))?;
        let mut waited = Duration::ZERO;
        for attempt in 0..=MAX_RETRIES {
            let response = self.http.get(url.clone()).bearer_auth(token).send().await.map_err(|e| {
                CommandError::new("network", format!("Microsoft Graph cannot be reached ({}). Check your connection and try again.", e.without_url()))
            })?;
            let status = response.status();
            if status.is_success() {
                return Ok(response
                    .bytes()
                    .await
                    .map_err(|e| {
                        CommandError::new(
                            "network",
                            format!("The answer from Graph broke off: {}.", e.without_url()),
                        )
                    })?
                    .to_vec());
            }
            let now = now();
            if status == 429 || status == 503 {
                let wait = auth_core::throttle::retry_after(response.headers(), now).unwrap_or(1);
                let wait = Duration::from_secs(wait.max(1));
                if attempt == MAX_RETRIES || waited + wait > MAX_WAIT {
                    let mut error = CommandError::new(
                        "throttled",
                        format!(
                            "Microsoft Graph is busy. Try again in {} s.",
                            wait.as_secs()
                        ),
                    );
                    error.retry_after = Some(wait.as_secs());
                    return Err(error.into());
                }
                tracing::info!(
                    status = status.as_u16(),
                    wait_secs = wait.as_secs(),
                    "Graph throttled; waiting"
                );
                tokio::time::sleep(wait).await;
                waited += wait;
                continue;
            }
            if status == 401 {
                if let Some(claims) = auth_core::challenge::claims_challenge(response.headers()) {
                    return Err(GraphError::ClaimsChallenge(claims));
                }
                return Err(GraphError::Unauthorized);
            }
            let body = response.bytes().await.unwrap_or_default();
            return Err(graph_error(status.as_u16(), &body).into());
        }
        Err(CommandError::new("throttled", "Microsoft Graph is busy. Try again later.").into())
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn bad_reply(what: &str, e: serde_json::Error) -> GraphError {
    CommandError::new(
        "graph",
        format!("Microsoft Graph sent a reply to {what} that this app cannot read ({e})."),
    )
    .into()
}

/// Graph's error body `{"error": {"code", "message"}}` as a user-facing error.
fn graph_error(status: u16, body: &[u8]) -> CommandError {
    #[derive(Deserialize)]
    struct Body {
        error: Inner,
    }
    #[derive(Deserialize)]
    struct Inner {
        code: String,
        message: Option<String>,
    }
    match serde_json::from_slice::<Body>(body) {
        Ok(b)
            if b.error.code == "MailboxNotEnabledForRESTAPI"
                || b.error.code == "ResourceNotFound" && status == 404 =>
        {
            CommandError::new(
                "no_mailbox",
                "This account has no mailbox, so there are no mails to show.",
            )
        }
        Ok(b) if status == 403 => CommandError::new(
            "graph",
            format!(
                "Microsoft Graph refused access ({}): the app lacks a permission. {}",
                b.error.code,
                b.error.message.unwrap_or_default()
            ),
        ),
        Ok(b) => CommandError::new(
            "graph",
            format!(
                "Microsoft Graph answered {status} {}: {}",
                b.error.code,
                b.error.message.unwrap_or_default()
            ),
        ),
        Err(_) => CommandError::new(
            "graph",
            format!("Microsoft Graph answered {status} with a body this app cannot read."),
        ),
    }
}

#[cfg(test)]
mod tests;
