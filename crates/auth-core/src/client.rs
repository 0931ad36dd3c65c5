//! The client application: the layer above the protocol core that the desktop shell and the
//! browser page share, as msal-common's `ClientApplication` is for MSAL's platforms.
//!
//! It holds the token cache, the signing keys and the throttle, and owns the rules a client
//! keeps between requests:
//!
//! - **one account at a time**, as the tutorial: a new sign-in replaces the previous account;
//! - **what an interactive request asks**: Sign In offers the account picker
//!   (`prompt=select_account`, MSAL's interactive default); a sign-in that a resource call needs
//!   (consent, a claims challenge, an expired session) names the cached account in
//!   `login_hint` instead, so the same user comes back;
//! - **a token the resource refused**: unless the cache already holds another token for the
//!   same scopes (a concurrent call replaced it), one refresh is forced;
//! - **sign-out**: the account leaves the cache, and the end-session URL carries its
//!   `login_hint` claim as `logout_hint` ([`Account::logout_hint`]);
//! - **what the user is told** about an auth-core error ([`UserError`]): a stable code, the
//!   message, and the wait of a throttled request; a declined consent is told apart from a
//!   cancelled sign-in.
//!
//! It is platform-free like the rest of auth-core: each side keeps it behind its own async lock
//! and brings its platform through [`crate::seams`] (HTTP) and its own store, which it writes
//! when [`ClientApplication::take_changed`] says the cache changed.

use crate::whatwg::Url;

use crate::account::Account;
use crate::authority::Authority;
use crate::authorize::{begin, logout_url, AuthorizeOptions, PendingAuthorization, Prompt};
use crate::config::Config;
use crate::error::{Error, InteractionReason};
use crate::flow::{acquire_silent, discover, redeem_code, KeyCache};
use crate::id_token::Subject;
use crate::seams::HttpClient;
use crate::silent::{decide, CachedToken, Decision, SilentRequest};
use crate::throttle::Throttle;
use crate::token_cache::TokenCache;

/// Why an interactive request is made: it decides `prompt` and `login_hint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interaction {
    /// The user pressed Sign In: they may pick or add any account.
    SignIn,
    /// A resource call needs the user (consent, an expired session), with the claims of a
    /// claims challenge if the resource raised one.
    ForResource {
        /// The claims request to send, from a claims challenge.
        claims: Option<String>,
    },
}

impl Interaction {
    /// The interaction a failed silent request asks for.
    pub fn after(reason: &InteractionReason) -> Self {
        let claims = match reason {
            InteractionReason::ClaimsChallenge { claims } => Some(claims.clone()),
            _ => None,
        };
        Interaction::ForResource { claims }
    }
}

/// Where See Profile goes at a generic provider, and whom its answer must be about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfoTarget {
    /// The discovery document's `userinfo_endpoint`, if it names one.
    pub endpoint: Option<String>,
    /// The signed-in user's `sub`, which the answer must repeat (OIDC Core §5.3.2).
    pub subject: String,
}

/// AADSTS65004: the user declined to consent to the app's access.
const AADSTS_CONSENT_DECLINED: u32 = 65004;

/// What the user is told about an auth-core error, on either side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError {
    /// A stable code: [`Error::kind`], or `consent_denied` for a declined consent.
    pub code: &'static str,
    /// What happened and what to do.
    pub message: String,
    /// For `throttled`: seconds until a retry may succeed.
    pub retry_after: Option<u64>,
}

impl From<&Error> for UserError {
    fn from(error: &Error) -> Self {
        let (code, message, retry_after) = match error {
            Error::Throttled { retry_after, .. } => {
                ("throttled", error.to_string(), Some(*retry_after))
            }
            // The user answered No on the consent page: Entra returns access_denied with
            // AADSTS65004 ("User declined to consent to access the app").
            Error::UserCancelled {
                server: Some(server),
            } if server.aadsts == Some(AADSTS_CONSENT_DECLINED)
                || server
                    .description
                    .as_deref()
                    .is_some_and(|d| d.to_ascii_lowercase().contains("consent")) =>
            {
                (
                    "consent_denied",
                    "You declined the permissions this app asked for, so it cannot show this. \
                     Select the button again and accept the permissions to continue."
                        .to_owned(),
                    None,
                )
            }
            // Nobody is signed in: the page's Sign In is the answer, not an interaction.
            Error::InteractionRequired {
                reason: InteractionReason::NoAccount,
                ..
            } => (
                "not_signed_in",
                "You are not signed in. Select Sign In first.".to_owned(),
                None,
            ),
            _ => (error.kind(), error.to_string(), None),
        };
        UserError {
            code,
            message,
            retry_after,
        }
    }
}

/// The client application's state, behind the caller's lock.
#[derive(Debug, Default)]
pub struct ClientApplication {
    cache: TokenCache,
    keys: KeyCache,
    /// The authority with its discovery document, for an authority that needs one
    /// ([`crate::authority::Authority::needs_discovery`]); fetched once.
    discovered: Option<Authority>,
    throttle: Throttle,
    changed: bool,
}

impl ClientApplication {
    /// A client over `cache`, as restored from the platform's store.
    pub fn new(cache: TokenCache) -> Self {
        ClientApplication {
            cache,
            ..Self::default()
        }
    }

    /// Takes the cache another writer saved (another browser tab), keeping the signing keys
    /// and the throttle; it is not marked changed, since it is what the store holds.
    pub fn replace_cache(&mut self, cache: TokenCache) {
        self.cache = cache;
        self.changed = false;
    }

    /// The token cache.
    pub fn cache(&self) -> &TokenCache {
        &self.cache
    }

    /// The signed-in account, if any.
    pub fn account(&self) -> Option<&Account> {
        self.cache.accounts().next()
    }

    /// Drops cached accounts that another issuer signed in, for a generic provider
    /// (`protocolMode` OIDC). The cache's keys hold the host, not the issuer, and providers
    /// such as Keycloak serve several issuers (realms) on one host, where the same `sub` may
    /// name different users: an account from a previously configured issuer is never used
    /// for this one. Returns whether any left (the cache then changed).
    pub fn keep_only_issuer(&mut self, config: &Config) -> bool {
        if config.protocol_mode() != crate::config::ProtocolMode::Oidc {
            return false;
        }
        let issuer = config.authority().issuer();
        let foreign: Vec<String> = self
            .cache
            .accounts()
            .filter(|a| {
                let iss = self
                    .cache
                    .id_token(a, config.client_id())
                    .and_then(|t| Subject::of_validated(t.secret.secret()))
                    .map(|s| s.iss);
                iss.as_deref() != Some(issuer.as_str())
            })
            .map(|a| a.home_account_id.clone())
            .collect();
        for home in &foreign {
            self.cache.remove_account(home);
        }
        self.changed |= !foreign.is_empty();
        !foreign.is_empty()
    }

    /// Where a generic provider's userinfo is and whom it must be about: the endpoint from the
    /// discovery document of `resolved` (as [`ClientApplication::resolved`] returns it), and
    /// the signed-in account's `sub`. Nobody signed in is [`InteractionReason::NoAccount`].
    pub fn userinfo_target(&self, resolved: &Config) -> Result<UserInfoTarget, Error> {
        let subject = self.subject(resolved).ok_or(Error::InteractionRequired {
            reason: InteractionReason::NoAccount,
            server: None,
        })?;
        Ok(UserInfoTarget {
            endpoint: resolved.authority().metadata()?.userinfo_endpoint,
            subject: subject.sub,
        })
    }

    /// Who the signed-in account's ID token is about (`iss` and `sub`), for a userinfo answer,
    /// whose `sub` must be the same (OpenID Connect Core 1.0 §5.3.2).
    pub fn subject(&self, config: &Config) -> Option<Subject> {
        let account = self.account()?;
        let token = self.cache.id_token(account, config.client_id())?;
        Subject::of_validated(token.secret.secret())
    }

    /// Whether the cache changed since the last call, so that the platform saves it; resets
    /// the flag (as MSAL's `TokenCacheContext.hasChanged`).
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// The authorize options of an interactive request for `scopes`.
    pub fn authorize_options(&self, scopes: &[&str], why: Interaction) -> AuthorizeOptions {
        let scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
        match why {
            Interaction::SignIn => AuthorizeOptions {
                scopes,
                prompt: Some(Prompt::SelectAccount),
                ..AuthorizeOptions::default()
            },
            Interaction::ForResource { claims } => AuthorizeOptions {
                scopes,
                claims,
                login_hint: self.account().map(|a| a.username.clone()),
                ..AuthorizeOptions::default()
            },
        }
    }

    /// Starts an interactive request: the authorize URL, and the attempt to keep until the
    /// redirect comes back.
    pub fn begin_interaction(
        &self,
        config: &Config,
        scopes: &[&str],
        why: Interaction,
    ) -> Result<(Url, PendingAuthorization), Error> {
        begin(config, &self.authorize_options(scopes, why))
    }

    /// Redeems the code of the redirect that answered `pending`, and keeps only the account it
    /// signed in.
    pub async fn redeem<H: HttpClient>(
        &mut self,
        http: &H,
        config: &Config,
        pending: PendingAuthorization,
        redirect: &str,
        now: u64,
    ) -> Result<Account, Error> {
        let config = &self.resolved(http, config).await?;
        let account = redeem_code(
            http,
            config,
            &mut self.keys,
            &mut self.cache,
            pending,
            redirect,
            now,
        )
        .await?;
        self.changed = true;
        let others: Vec<String> = self
            .cache
            .accounts()
            .filter(|a| a.home_account_id != account.home_account_id)
            .map(|a| a.home_account_id.clone())
            .collect();
        for home in others {
            self.cache.remove_account(&home);
        }
        Ok(account)
    }

    /// A token for `scopes` without the user: from the cache, or by one refresh.
    ///
    /// `refused` is an access token the resource just refused (a 401 without a claims
    /// challenge): unless the cache holds another one for these scopes already, the refresh is
    /// forced. Needing the user is [`Error::InteractionRequired`]; no account is too
    /// ([`InteractionReason::NoAccount`]).
    pub async fn acquire_token_silent<H: HttpClient>(
        &mut self,
        http: &H,
        config: &Config,
        scopes: &[&str],
        refused: Option<&str>,
        now: u64,
    ) -> Result<CachedToken, Error> {
        let Some(account) = self.account() else {
            return Err(Error::InteractionRequired {
                reason: InteractionReason::NoAccount,
                server: None,
            });
        };
        let mut request = SilentRequest::new(config, &account.home_account_id, scopes);
        if let Some(refused) = refused {
            match decide(&self.cache, &request, now) {
                Decision::CacheHit(token) if token.access_token.secret() != refused => {
                    return Ok(token)
                }
                _ => request = request.force_refresh(),
            }
        }
        let needs_server = !matches!(decide(&self.cache, &request, now), Decision::CacheHit(_));
        let config = &if needs_server {
            self.resolved(http, config).await?
        } else {
            config.clone()
        };
        let result = acquire_silent(
            http,
            config,
            &mut self.keys,
            &mut self.cache,
            &mut self.throttle,
            &request,
            now,
        )
        .await;
        // A refresh may change the cache whatever its outcome (new tokens, or none).
        self.changed |= needs_server;
        result
    }

    /// `config` with its authority's discovery document when the authority needs one (a
    /// generic OpenID provider, or an Entra tenant named by a domain), fetched on first use and
    /// kept for the life of this client; `config` as it is otherwise. In OIDC mode, call it
    /// before [`ClientApplication::begin_interaction`] and the end-session URL, which need the
    /// provider's endpoints.
    pub async fn resolved<H: HttpClient>(
        &mut self,
        http: &H,
        config: &Config,
    ) -> Result<Config, Error> {
        if !config.authority().needs_discovery() {
            return Ok(config.clone());
        }
        if let Some(known) = self
            .discovered
            .as_ref()
            .filter(|a| a.url() == config.authority().url())
        {
            return Ok(config.clone().with_authority(known.clone()));
        }
        let resolved = discover(http, config).await?;
        self.discovered = Some(resolved.authority().clone());
        Ok(resolved)
    }

    /// Signs the account out of this client: it leaves the cache, with its tokens. Returns it,
    /// for [`ClientApplication::end_session_url`].
    pub fn sign_out(&mut self) -> Option<Account> {
        let account = self.account().cloned()?;
        self.cache = TokenCache::new();
        self.changed = true;
        Some(account)
    }

    /// The identity platform's end-session URL for `account` (just signed out): its
    /// `login_hint` claim as `logout_hint`, and the configuration's post-logout redirect URI.
    pub fn end_session_url(config: &Config, account: Option<&Account>) -> Result<Url, Error> {
        logout_url(config, account.and_then(Account::logout_hint))
    }
}

#[cfg(test)]
mod tests;
