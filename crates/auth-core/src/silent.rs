//! Silent acquisition as a pure decision: answer from the cache, refresh, or ask for the user.
//!
//! As MSAL's `SilentFlowClient` (`CacheOutcome`), with its 300 s renewal offset
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/msal-acquire-cache-tokens#acquiring-tokens-silently-from-the-cache>).

use serde::{Deserialize, Serialize};

use crate::authorize::new_correlation_id;
use crate::config::Config;
use crate::error::InteractionReason;
use crate::scopes::normalize;
use crate::secret::AccessToken;
use crate::token_cache::TokenCache;
use crate::token_request::RefreshRequest;

/// An access token within this many seconds of expiry is refreshed instead of used.
pub const RENEWAL_OFFSET_SECONDS: u64 = 300;

/// A silent token request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SilentRequest {
    home_account_id: String,
    environment: String,
    client_id: String,
    scopes: Vec<String>,
    normalized: Vec<String>,
    claims: Option<String>,
    force_refresh: bool,
    correlation_id: String,
}

impl SilentRequest {
    /// A request for `scopes` on behalf of the account with `home_account_id`.
    pub fn new<S: AsRef<str>>(config: &Config, home_account_id: &str, scopes: &[S]) -> Self {
        let scopes: Vec<String> = scopes.iter().map(|s| s.as_ref().to_owned()).collect();
        SilentRequest {
            home_account_id: home_account_id.to_owned(),
            environment: config.authority().environment().to_owned(),
            client_id: config.client_id().to_owned(),
            normalized: normalize(scopes.iter().map(String::as_str)),
            scopes,
            claims: None,
            force_refresh: false,
            correlation_id: new_correlation_id(),
        }
    }

    /// Adds a claims request (e.g. from a claims challenge).
    pub fn with_claims(mut self, claims: impl Into<String>) -> Self {
        self.claims = Some(claims.into());
        self
    }

    /// Skips the cached access token.
    pub fn force_refresh(mut self) -> Self {
        self.force_refresh = true;
        self
    }

    /// The scopes asked for.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The account's home id.
    pub fn home_account_id(&self) -> &str {
        &self.home_account_id
    }
}

/// A cached access token handed out.
#[derive(Debug, Clone)]
pub struct CachedToken {
    /// The token, for `Authorization: Bearer`.
    pub access_token: AccessToken,
    /// `Bearer`.
    pub token_type: String,
    /// Unix seconds of expiry.
    pub expires_on: u64,
    /// The granted scopes, as sent by the server.
    pub scopes: String,
}

/// What to do for a silent request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Decision {
    /// The cache holds a token valid for more than the renewal offset.
    CacheHit(CachedToken),
    /// Send this refresh-token grant (see [`refresh_token_request`](crate::token_request::refresh_token_request)).
    Refresh(RefreshRequest),
    /// Only an interactive sign-in can help.
    InteractionRequired(InteractionReason),
}

/// Decides how to satisfy `request` at `now` (unix seconds). Pure: no I/O, no clock.
///
/// A claims request goes to interaction: MSAL skips the cache when claims are present, and a
/// claims challenge from a resource usually needs the user (ARCHITECTURE: "401 with a claims
/// challenge → interactive").
pub fn decide(cache: &TokenCache, request: &SilentRequest, now: u64) -> Decision {
    let Some(account) = cache.account(&request.home_account_id, &request.environment) else {
        return Decision::InteractionRequired(InteractionReason::NoAccount);
    };
    if let Some(claims) = &request.claims {
        return Decision::InteractionRequired(InteractionReason::ClaimsChallenge {
            claims: claims.clone(),
        });
    }
    if !request.force_refresh {
        if let Some(at) = cache.access_token(account, &request.client_id, &request.normalized) {
            if at.expires_on > now.saturating_add(RENEWAL_OFFSET_SECONDS) {
                return Decision::CacheHit(CachedToken {
                    access_token: at.secret.clone(),
                    token_type: at.token_type.clone(),
                    expires_on: at.expires_on,
                    scopes: at.target.clone(),
                });
            }
        }
    }
    let Some(rt) = cache.refresh_token(account, &request.client_id) else {
        return Decision::InteractionRequired(InteractionReason::NoRefreshToken);
    };
    if rt.expires_on.is_some_and(|e| e <= now) {
        return Decision::InteractionRequired(InteractionReason::RefreshTokenExpired);
    }
    Decision::Refresh(RefreshRequest {
        home_account_id: account.home_account_id.clone(),
        environment: account.environment.clone(),
        realm: account.tenant_id.clone(),
        client_id: request.client_id.clone(),
        refresh_token: rt.secret.clone(),
        scopes: request.scopes.clone(),
        claims: None,
        correlation_id: request.correlation_id.clone(),
    })
}

#[cfg(test)]
mod tests;
