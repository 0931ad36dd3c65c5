//! Thin async helpers over the HTTP seam: the only code here that awaits. Everything they do is
//! a pure builder or parser call plus one `HttpClient` round trip, so the shells implement the
//! seams and never the protocol.

use crate::account::Account;
use crate::authorize::PendingAuthorization;
use crate::config::{Config, ProtocolMode};
use crate::error::{Error, ResponseError};
use crate::id_token::{validate_async, Expectations, IdTokenClaims, Jwks, Subject};
use crate::seams::{HttpClient, HttpRequest};
use crate::silent::{decide, CachedToken, Decision, SilentRequest};
use crate::throttle::{throttle_key, Throttle};
use crate::token_cache::{MergeContext, TokenCache};
use crate::token_request::{authorization_code_request, refresh_token_request, RefreshRequest};
use crate::token_response::{parse_token_response, TokenResponse};

/// How long fetched signing keys are trusted before the JWKS is fetched again: Entra rotates
/// its keys and can withdraw one at short notice, and asks apps to check for new keys at least
/// daily (<https://learn.microsoft.com/en-us/entra/identity-platform/signing-key-rollover>).
pub const MAX_KEY_AGE_SECS: u64 = 24 * 60 * 60;

/// The authority's signing keys: fetched on first use, again once on an unknown `kid` (a
/// rotation), and again when older than [`MAX_KEY_AGE_SECS`] (a withdrawn key stops being
/// trusted).
#[derive(Debug, Clone, Default)]
pub struct KeyCache {
    /// The keys and when they were fetched.
    jwks: Option<(Jwks, u64)>,
}

impl KeyCache {
    /// An empty key cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// A key cache holding `jwks`, fetched at `fetched_at` (seconds since the epoch).
    pub fn with(jwks: Jwks, fetched_at: u64) -> Self {
        KeyCache {
            jwks: Some((jwks, fetched_at)),
        }
    }

    /// Validates an ID token, fetching the JWKS when none is held or the held one is too old,
    /// and fetching it again once when the token's `kid` is unknown (key rotation).
    pub async fn validate<H: HttpClient>(
        &mut self,
        http: &H,
        config: &Config,
        token: &str,
        expected: &Expectations,
        now: u64,
    ) -> Result<IdTokenClaims, Error> {
        if self
            .jwks
            .as_ref()
            .is_some_and(|(_, at)| now.saturating_sub(*at) >= MAX_KEY_AGE_SECS || *at > now)
        {
            self.jwks = None;
        }
        let mut fetched = false;
        loop {
            let jwks = match &self.jwks {
                Some((j, _)) => j,
                None => {
                    fetched = true;
                    &self.jwks.insert((fetch_jwks(http, config).await?, now)).0
                }
            };
            match validate_async(token, jwks, expected, now).await {
                Err(e) if e.needs_jwks_refresh() && !fetched => self.jwks = None,
                other => return other.map_err(Error::from),
            }
        }
    }
}

/// Fetches and parses the authority's JWKS.
pub async fn fetch_jwks<H: HttpClient>(http: &H, config: &Config) -> Result<Jwks, Error> {
    let body = get(http, &config.authority().metadata()?.jwks_uri, "JWKS").await?;
    Ok(match config.protocol_mode() {
        ProtocolMode::Aad => Jwks::from_json(&body)?,
        ProtocolMode::Oidc => Jwks::from_json_oidc(&body)?,
    })
}

/// Fetches the authority's discovery document and returns the configuration using it (its
/// issuer is checked against the authority: Entra's layout, or a generic provider's exact
/// issuer and what this client needs of it).
pub async fn discover<H: HttpClient>(http: &H, config: &Config) -> Result<Config, Error> {
    let url = config.authority().discovery_url();
    let body = match get(http, &url, "discovery").await {
        // Entra's error answers are JSON with AADSTS codes; a generic provider's 404 is the
        // sign of a wrong issuer, and is said so.
        Err(Error::Server(e)) if config.protocol_mode() == ProtocolMode::Oidc => {
            return Err(ResponseError::DiscoveryUnavailable {
                url,
                status: e.status.unwrap_or_default(),
            }
            .into())
        }
        other => other?,
    };
    let authority = match config.protocol_mode() {
        ProtocolMode::Aad => config.authority().clone().with_discovery(&body)?,
        ProtocolMode::Oidc => config.authority().clone().with_oidc_discovery(&body)?,
    };
    Ok(config.clone().with_authority(authority))
}

async fn get<H: HttpClient>(http: &H, url: &str, what: &'static str) -> Result<Vec<u8>, Error> {
    // Sent as parsed: the WHATWG serialization, which the log's `called` reads too.
    let url = crate::whatwg::Url::parse(url)
        .map_err(|e| ResponseError::BadRedirect(format!("bad {what} URL: {e}")))?;
    let request = HttpRequest::get(url.as_str()).with_header("accept", "application/json");
    let response = http.execute(request).await?;
    if !response.is_success() {
        return Err(Error::from_server(crate::token_response::server_error(
            response.status,
            &response.body,
        )));
    }
    Ok(response.body)
}

/// Redeems the code of an accepted redirect: matches `redirect` to `pending` (consumed),
/// sends the authorization_code grant, validates the ID token (nonce included) and merges
/// the tokens into `cache`. Returns the signed-in account.
pub async fn redeem_code<H: HttpClient>(
    http: &H,
    config: &Config,
    keys: &mut KeyCache,
    cache: &mut TokenCache,
    pending: PendingAuthorization,
    redirect: &str,
    now: u64,
) -> Result<Account, Error> {
    let grant = pending.accept(redirect)?;
    let request = authorization_code_request(config, &grant)?;
    let response = parse_token_response(&http.execute(request).await?, now)?;
    let id_token = response
        .id_token
        .as_ref()
        .ok_or(ResponseError::MissingField {
            what: "token",
            field: "id_token",
        })?;
    let expected = Expectations::new(config, Some(grant.nonce()));
    let claims = keys
        .validate(http, config, id_token.secret(), &expected, now)
        .await?;
    cache.merge(
        &response,
        &MergeContext {
            environment: config.authority().environment(),
            client_id: config.client_id(),
            requested: grant.scopes(),
            client_info: grant.client_info(),
            known: None,
        },
        Some(&claims),
        now,
    )
}

/// Sends a refresh-token grant (throttled as MSAL does), validates any new ID token and
/// merges the result into `cache`.
pub async fn refresh<H: HttpClient>(
    http: &H,
    config: &Config,
    keys: &mut KeyCache,
    cache: &mut TokenCache,
    throttle: &mut Throttle,
    refresh: &RefreshRequest,
    now: u64,
) -> Result<CachedToken, Error> {
    let key = throttle_key(
        config.client_id(),
        &config.authority().url(),
        &refresh.scopes,
        Some(&refresh.home_account_id),
    );
    throttle.check(&key, now)?;
    let request = refresh_token_request(config, refresh)?;
    let response = http.execute(request).await?;
    throttle.record(&key, &response, now);
    let response: TokenResponse = parse_token_response(&response, now)?;
    let known = cache
        .account(&refresh.home_account_id, &refresh.environment)
        .cloned();
    // The new ID token must be about the user of the one it replaces (OIDC Core §12.2).
    let before = known
        .as_ref()
        .and_then(|a| cache.id_token(a, config.client_id()))
        .and_then(|t| Subject::of_validated(t.secret.secret()));
    let claims = match &response.id_token {
        Some(t) => Some(
            keys.validate(
                http,
                config,
                t.secret(),
                &Expectations::new(config, None).same_user_as(before),
                now,
            )
            .await?,
        ),
        None => None,
    };
    cache.merge(
        &response,
        &MergeContext {
            environment: config.authority().environment(),
            client_id: config.client_id(),
            requested: &refresh.scopes,
            client_info: None,
            known: known.as_ref(),
        },
        claims.as_ref(),
        now,
    )?;
    Ok(CachedToken {
        access_token: response.access_token,
        token_type: response.token_type,
        expires_on: response.expires_on,
        scopes: response.scopes.join(" "),
    })
}

/// A silent acquisition: [`decide`], then [`refresh`] when needed.
pub async fn acquire_silent<H: HttpClient>(
    http: &H,
    config: &Config,
    keys: &mut KeyCache,
    cache: &mut TokenCache,
    throttle: &mut Throttle,
    request: &SilentRequest,
    now: u64,
) -> Result<CachedToken, Error> {
    match decide(cache, request, now) {
        Decision::CacheHit(token) => Ok(token),
        Decision::Refresh(r) => refresh(http, config, keys, cache, throttle, &r, now).await,
        Decision::InteractionRequired(reason) => Err(Error::InteractionRequired {
            reason,
            server: None,
        }),
    }
}

#[cfg(test)]
mod tests;
