//! The browser backend: redirect sign-in with auth-core on wasm32.
//!
//! - **Start** ([`Browser::boot`], before the first render): reads `config.json`; if the URL
//!   holds a sign-in answer (`code` / `error` in the query or fragment), takes and deletes the
//!   pending attempt, cleans the URL with `history.replaceState`, and redeems the code
//!   (`flow::redeem_code` over fetch). A broken return leaves the user signed out with a
//!   message, and never redirects again by itself.
//! - **Cache**: auth-core's versioned JSON in sessionStorage (or localStorage); a blob that
//!   cannot be read is set aside under another key, with a message.
//! - **Tokens**: auth-core's [`ClientApplication`] under one async lock, so one refresh is in
//!   flight at a time; it keeps the client's rules (one account, the prompt and hint of an
//!   interactive request, a refused token, sign-out). When the user must interact (consent to
//!   `Mail.Read`, a claims challenge, an expired session) the page redirects and finishes the
//!   operation on return.
//! - **Graph**: fetch with the bearer token; what to send, when to wait and what each reply
//!   means is graph-view's policy (`graph_view::policy`), as on the desktop.
//!
//! # Layout
//!
//! - [`web`]: fetch, storage, location and the clock (the only browser calls);
//! - [`settings`]: the settings read from `config.json`;
//! - [`pending`]: the attempt kept across the redirect;

pub mod pending;
pub mod settings;
pub mod web;

use shell_contract::ErrorCode;
use std::cell::{Cell, RefCell};

use auth_core::client::{ClientApplication, Interaction};
use auth_core::error::InteractionReason;
use auth_core::secret::AccessToken;
use auth_core::token_cache::{CacheError, TokenCache};
use futures::lock::Mutex;

use self::pending::{PendingEntry, PENDING_KEY};
use self::settings::{config_error, Settings};
use self::web::StorageKind;
use super::{account_view, AccountView, Op, Restored, Step};
use crate::error::AppError;
use crate::graph::policy::{Attempt, Call, Failure, Outcome};
use crate::graph::{parse_messages, parse_profile, MailSummary, Profile};

/// The web storage key of the token cache.
pub const CACHE_KEY: &str = "graphSignin.tokenCache";

/// The browser backend.
pub struct Browser {
    settings: Settings,
    client: Mutex<ClientApplication>,
    /// The start-up result, handed to the page once.
    boot: RefCell<Restored>,
    /// Set once the page is leaving for the identity platform.
    navigating: Cell<bool>,
}

impl Browser {
    /// Loads the settings and the cache and handles a return from the identity platform.
    /// Fails only when the settings cannot be used.
    pub async fn boot() -> Result<Browser, AppError> {
        let href = web::href()?;
        let response = pending::response_in(&href);
        let mut pending_blob = None;
        if response.is_some() {
            // Used once, whatever happens next: taken, deleted, and the URL cleaned so that
            // a reload never replays it.
            pending_blob = web::get(StorageKind::Session, PENDING_KEY).ok().flatten();
            let _ = web::remove(StorageKind::Session, PENDING_KEY);
            web::replace_url(&web::page_url()?);
        }
        let settings = load_settings().await?;
        let mut notices = Vec::new();
        if let Some(warning) = settings.config.graph_endpoint_warning() {
            notices.push(AppError::notice(warning));
        }
        let cache = load_cache(settings.cache, &mut notices);
        let mut client = ClientApplication::new(cache);
        let mut resume = None;
        if let Some(params) = response {
            let entry = match pending_blob {
                None => Err(pending::orphan_response(&params)),
                Some(blob) => PendingEntry::from_json(&blob),
            };
            let redeemed = match entry {
                Ok(entry) => redeem(&settings, &mut client, entry, &href).await,
                Err(e) => Err(e),
            };
            match redeemed {
                Ok(op) => resume = Some(op),
                Err(e) => notices.push(e),
            }
        }
        let account = client.account().map(account_view);
        Ok(Browser {
            settings,
            client: Mutex::new(client),
            boot: RefCell::new(Restored {
                account,
                notices,
                resume,
            }),
            navigating: Cell::new(false),
        })
    }

    /// The start-up result (once).
    pub fn restore(&self) -> Restored {
        self.boot.take()
    }

    /// Sign In: leaves for the authorize page, asking for `User.Read`, with the account picker.
    pub async fn sign_in(&self) -> Result<Step<AccountView>, AppError> {
        self.redirect(Op::SignIn, Call::Profile.scopes(), Interaction::SignIn)
            .await?;
        Ok(Step::Redirecting)
    }

    /// Sign Out: clears the cache, then leaves for the end-session page, which returns here.
    pub async fn sign_out(&self) -> Result<Step<()>, AppError> {
        let account = self.client.lock().await.sign_out();
        web::remove(self.settings.cache, CACHE_KEY)?;
        match ClientApplication::end_session_url(&self.settings.config, account.as_ref()) {
            Ok(url) => {
                self.navigating.set(true);
                web::navigate(url.as_str())?;
                Ok(Step::Redirecting)
            }
            // No end-session endpoint: the local sign-out is all there is.
            Err(_) => Ok(Step::Done(())),
        }
    }

    /// See Profile.
    pub async fn profile(&self, resumed: bool) -> Result<Step<Profile>, AppError> {
        let step = self
            .graph_get(Call::Profile, Op::SeeProfile, resumed)
            .await?;
        match step {
            Step::Done(body) => parse_profile(&body)
                .map(Step::Done)
                .map_err(|m| app_error(Failure::unreadable(m))),
            Step::Redirecting => Ok(Step::Redirecting),
        }
    }

    /// Read Mails.
    pub async fn messages(&self, resumed: bool) -> Result<Step<Vec<MailSummary>>, AppError> {
        let step = self.graph_get(Call::Mails, Op::ReadMail, resumed).await?;
        match step {
            Step::Done(body) => parse_messages(&body)
                .map(Step::Done)
                .map_err(|m| app_error(Failure::unreadable(m))),
            Step::Redirecting => Ok(Step::Redirecting),
        }
    }

    /// A Graph GET with a silently acquired token: after a plain 401, one more token (the
    /// client application refreshes unless another call already did); after a claims
    /// challenge, an interactive sign-in.
    async fn graph_get(
        &self,
        call: Call,
        op: Op,
        resumed: bool,
    ) -> Result<Step<Vec<u8>>, AppError> {
        let scopes = call.scopes();
        let endpoint = self.settings.config.graph_endpoint().as_str();
        let mut attempt = Attempt::new();
        let mut refused: Option<AccessToken> = None;
        loop {
            let token = match self.token(scopes, op, resumed, refused.as_ref()).await? {
                Step::Done(t) => t,
                Step::Redirecting => return Ok(Step::Redirecting),
            };
            let request = call.request(endpoint, token.secret()).map_err(app_error)?;
            let response = web::fetch(request)
                .await
                .map_err(|e| app_error(Failure::network(&e.message)))?;
            match attempt.read(response, web::now()) {
                Outcome::Data(body) => return Ok(Step::Done(body)),
                Outcome::RetryAfter(wait) => web::sleep(wait).await,
                Outcome::ClaimsChallenge(claims) => {
                    let why = Interaction::ForResource {
                        claims: Some(claims),
                    };
                    return self.interact(scopes, op, resumed, why).await;
                }
                Outcome::TokenRefused if refused.is_none() => refused = Some(token),
                Outcome::TokenRefused => return Err(app_error(Failure::token_refused())),
                Outcome::Failed(f) => return Err(app_error(f)),
            }
        }
    }

    /// A token for `scopes`: from the cache, by refresh, or by redirect. `refused` is a token
    /// Graph refused.
    async fn token(
        &self,
        scopes: &[&str],
        op: Op,
        resumed: bool,
        refused: Option<&AccessToken>,
    ) -> Result<Step<AccessToken>, AppError> {
        let result = {
            let mut client = self.client.lock().await;
            let result = client
                .acquire_token_silent(
                    &web::fetch,
                    &self.settings.config,
                    scopes,
                    refused.map(AccessToken::secret),
                    web::now(),
                )
                .await;
            if client.take_changed() {
                save_cache(self.settings.cache, client.cache())?;
            }
            result
        };
        match result {
            Ok(token) => Ok(Step::Done(token.access_token)),
            Err(auth_core::Error::InteractionRequired {
                reason: InteractionReason::NoAccount,
                ..
            }) => Err(AppError::new(
                ErrorCode::NotSignedIn,
                "You are not signed in. Select Sign In first.",
            )),
            Err(auth_core::Error::InteractionRequired { reason, .. }) => {
                self.interact(scopes, op, resumed, Interaction::after(&reason))
                    .await
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Redirects for `op`, unless `op` is itself finishing after a redirect (no loops).
    async fn interact<T>(
        &self,
        scopes: &[&str],
        op: Op,
        resumed: bool,
        why: Interaction,
    ) -> Result<Step<T>, AppError> {
        if resumed {
            return Err(AppError::new(
                ErrorCode::InteractionRequired,
                "The identity platform still needs you to sign in after the sign-in page returned, \
                 so the app stopped instead of sending you back in a loop. Select the button again to retry.",
            ));
        }
        self.redirect(op, scopes, why).await?;
        Ok(Step::Redirecting)
    }

    /// Saves a new attempt in sessionStorage and leaves for the authorize URL.
    async fn redirect(
        &self,
        resume: Op,
        scopes: &[&str],
        why: Interaction,
    ) -> Result<(), AppError> {
        if self.navigating.get() {
            return Err(auth_core::Error::InteractionInProgress.into());
        }
        let (url, authorization) =
            self.client
                .lock()
                .await
                .begin_interaction(&self.settings.config, scopes, why)?;
        let entry = PendingEntry {
            authorization,
            resume,
        };
        web::set(StorageKind::Session, PENDING_KEY, &entry.to_json()?)?;
        self.navigating.set(true);
        web::navigate(url.as_str()).inspect_err(|_| {
            self.navigating.set(false);
            let _ = web::remove(StorageKind::Session, PENDING_KEY);
        })
    }
}

/// Redeems the code of a return (the client application keeps only that account); yields the
/// operation to finish.
async fn redeem(
    settings: &Settings,
    client: &mut ClientApplication,
    entry: PendingEntry,
    href: &str,
) -> Result<Op, AppError> {
    client
        .redeem(
            &web::fetch,
            &settings.config,
            entry.authorization,
            href,
            web::now(),
        )
        .await?;
    client.take_changed();
    save_cache(settings.cache, client.cache())?;
    Ok(entry.resume)
}

/// Fetches and validates `config.json`, beside the page.
async fn load_settings() -> Result<Settings, AppError> {
    let origin = web::origin()?;
    let page = web::page_url()?;
    let folder = &page[..page.rfind('/').map_or(page.len(), |i| i + 1)];
    let url = format!("{folder}config.json");
    let (status, body) = web::get_text(&url).await.map_err(|e| {
        config_error(format!(
            "config.json could not be loaded ({}). Check that it is served beside the page and reload.",
            e.message
        ))
    })?;
    if status != 200 {
        return Err(config_error(format!(
            "config.json could not be loaded (HTTP {status}). Put it beside the page \
             (trunk copies frontend/config.json) and reload."
        )));
    }
    settings::parse(&body, &origin, &page)
}

/// The cache from storage; an unreadable blob is set aside, with a message, and the user
/// starts signed out.
fn load_cache(kind: StorageKind, notices: &mut Vec<AppError>) -> TokenCache {
    let blob = match web::get(kind, CACHE_KEY) {
        Ok(Some(blob)) => blob,
        Ok(None) => return TokenCache::new(),
        Err(e) => {
            notices.push(e);
            return TokenCache::new();
        }
    };
    match TokenCache::from_json(&blob) {
        Ok(cache) => cache,
        Err(e) => {
            let aside = format!("{CACHE_KEY}.corrupt-{}", web::now());
            let kept = web::set(kind, &aside, &blob).is_ok();
            let _ = web::remove(kind, CACHE_KEY);
            notices.push(unreadable_cache(&e, kept.then_some(aside.as_str())));
            TokenCache::new()
        }
    }
}

/// The message for a cache blob that cannot be read.
pub(crate) fn unreadable_cache(e: &CacheError, aside: Option<&str>) -> AppError {
    let why = match e {
        CacheError::UnsupportedVersion { found } => {
            format!("it has format version {found}, which this app does not read")
        }
        CacheError::Corrupt(detail) => format!("it is damaged: {detail}"),
        other => other.to_string(),
    };
    let kept = match aside {
        Some(key) => format!(" It was set aside in this site's storage as `{key}`."),
        None => String::new(),
    };
    AppError::new(
        ErrorCode::Cache,
        format!("Your saved sign-in could not be read ({why}).{kept} Please sign in again."),
    )
}

/// The banner's error for a failure of graph-view's policy.
fn app_error(f: Failure) -> AppError {
    AppError {
        code: ErrorCode::from_name(f.kind.code()).unwrap_or(ErrorCode::Graph),
        message: f.message,
        retry_after: f.retry_after,
    }
}

fn save_cache(kind: StorageKind, cache: &TokenCache) -> Result<(), AppError> {
    let blob = cache.to_json().map_err(auth_core::Error::from)?;
    web::set(kind, CACHE_KEY, &blob)
}

#[cfg(test)]
mod tests;
