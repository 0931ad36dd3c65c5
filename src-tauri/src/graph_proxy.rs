//! Microsoft Graph, called by Rust with one pooled reqwest client; the webview gets only the
//! fields it shows. What to send and what each reply means is graph-view's policy
//! (`graph_view::policy`): this module sends the request, waits when told, and hands the rest
//! to the session.

use std::time::Duration;

use auth_core::seams::HttpClient;
use graph_view::policy::{Attempt, Call, Failure, Outcome};
pub use graph_view::{MailSummary, Profile};
use shell_contract::ErrorCode;

use crate::error::CommandError;

/// Why a Graph call failed.
#[derive(Debug)]
pub enum GraphError {
    /// Graph wants a token with more claims (CAE): sign in interactively with them.
    ClaimsChallenge(String),
    /// The token was refused (401) for another reason: get another one.
    Unauthorized,
    /// Anything else, as a user-facing error.
    Command(CommandError),
}

impl From<Failure> for GraphError {
    fn from(f: Failure) -> Self {
        GraphError::Command(command_error(f))
    }
}

/// The error the page gets for a failure of graph-view's policy.
pub fn command_error(f: Failure) -> CommandError {
    let code = ErrorCode::from_name(f.kind.code()).unwrap_or(ErrorCode::Graph);
    let mut error = CommandError::new(code, f.message);
    error.retry_after = f.retry_after;
    error
}

/// Graph over one pooled client.
#[derive(Clone)]
pub struct GraphClient {
    http: reqwest::Client,
    endpoint: String,
}

impl GraphClient {
    /// A client for `endpoint` (e.g. `https://graph.microsoft.com`) sharing `http`'s pool.
    pub fn new(http: reqwest::Client, endpoint: url::Url) -> Self {
        Self {
            http,
            endpoint: endpoint.to_string(),
        }
    }

    /// `GET /v1.0/me`.
    pub async fn me(&self, token: &str) -> Result<Profile, GraphError> {
        let body = self.get(Call::Profile, token).await?;
        Ok(graph_view::parse_profile(&body).map_err(Failure::unreadable)?)
    }

    /// `GET /v1.0/me/messages`: the first 10, newest first.
    pub async fn messages(&self, token: &str) -> Result<Vec<MailSummary>, GraphError> {
        let body = self.get(Call::Mails, token).await?;
        Ok(graph_view::parse_messages(&body).map_err(Failure::unreadable)?)
    }

    /// A generic OpenID provider's userinfo at `url`, as the profile: its `sub` must be
    /// `subject`'s, the signed-in user's (OpenID Connect Core 1.0 §5.3.2).
    pub async fn userinfo(
        &self,
        url: &str,
        subject: &str,
        token: &str,
    ) -> Result<Profile, GraphError> {
        let body = self.get_at(url, Call::UserInfo, token).await?;
        Ok(graph_view::parse_userinfo(&body, subject).map_err(Failure::unreadable)?)
    }

    async fn get(&self, call: Call, token: &str) -> Result<Vec<u8>, GraphError> {
        let endpoint = self.endpoint.clone();
        self.get_at(&endpoint, call, token).await
    }

    async fn get_at(&self, endpoint: &str, call: Call, token: &str) -> Result<Vec<u8>, GraphError> {
        let mut attempt = Attempt::new();
        loop {
            let request = call.request(endpoint, token)?;
            // auth-core's adapter: reqwest's own `execute` takes its own request type.
            let response = HttpClient::execute(&self.http, request)
                .await
                .map_err(|e| Failure::network(&e.message).of(call))?;
            match attempt.read(response, crate::session::now()) {
                Outcome::Data(body) => return Ok(body),
                Outcome::RetryAfter(wait) => {
                    tracing::info!(wait_secs = wait, "Graph throttled; waiting");
                    tokio::time::sleep(Duration::from_secs(wait)).await;
                }
                Outcome::ClaimsChallenge(claims) => {
                    return Err(GraphError::ClaimsChallenge(claims))
                }
                Outcome::TokenRefused => return Err(GraphError::Unauthorized),
                Outcome::Failed(f) => return Err(f.of(call).into()),
            }
        }
    }
}
