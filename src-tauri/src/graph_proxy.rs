//! Microsoft Graph, called by Rust with one pooled reqwest client; the webview gets only the
//! fields it shows.
//!
//! - 429 and 503 are retried after `Retry-After`, at most [`MAX_RETRIES`] times and never
//!   waiting more than [`MAX_WAIT`] in all (<https://learn.microsoft.com/en-us/graph/throttling>).
//! - A 401 with a claims challenge comes back as [`GraphError::ClaimsChallenge`], for an
//!   interactive sign-in with those claims.

use std::time::Duration;

pub use graph_view::{MailSummary, Profile};

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
        let body = self.get(graph_view::ME_PATH, token).await?;
        graph_view::parse_profile(&body).map_err(bad_reply)
    }

    /// `GET /v1.0/me/messages`: the first 10, newest first.
    pub async fn messages(&self, token: &str) -> Result<Vec<MailSummary>, GraphError> {
        let body = self.get(graph_view::MESSAGES_PATH, token).await?;
        graph_view::parse_messages(&body).map_err(bad_reply)
    }

    async fn get(&self, path: &str, token: &str) -> Result<Vec<u8>, GraphError> {
        let url = self
            .endpoint
            .join(path.trim_start_matches('/'))
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

fn bad_reply(e: graph_view::MalformedGraphReply) -> GraphError {
    CommandError::new("graph", e.0).into()
}

/// Graph's error body `{"error": {"code", "message"}}` as a user-facing error.
fn graph_error(status: u16, body: &[u8]) -> CommandError {
    let detail = graph_view::parse_error(body);
    let code = detail.code.unwrap_or_default();
    let message = detail.message.unwrap_or_default();
    match (status, code.as_str()) {
        (404, "MailboxNotEnabledForRESTAPI" | "ResourceNotFound") => CommandError::new(
            "no_mailbox",
            "This account has no mailbox, so there are no mails to show.",
        ),
        (_, "") => CommandError::new(
            "graph",
            format!("Microsoft Graph answered {status} with a body this app cannot read."),
        ),
        (403, _) => CommandError::new(
            "graph",
            format!(
                "Microsoft Graph refused access ({code}): the app lacks a permission. {message}"
            ),
        ),
        _ => CommandError::new(
            "graph",
            format!("Microsoft Graph answered {status} {code}: {message}"),
        ),
    }
}

#[cfg(test)]
mod tests;
