//! The browser backend: redirect sign-in with auth-core on wasm32.
//!
//! - **Start** ([`Browser::boot`], before the first render): reads `config.json`; if the URL
//!   holds a sign-in answer (`code` / `error` in the query or fragment), takes and deletes the
//!   pending attempt, cleans the URL with `history.replaceState`, and redeems the code
//!   (`flow::redeem_code` over fetch). A broken return leaves the user signed out with a
//!   message, and never redirects again by itself.
//! - **Cache**: auth-core's cache in sessionStorage (or localStorage), one web storage entry per
//!   account and credential (`graphSignin.cache.<kind>.<key>`, as msal-browser keeps its
//!   credentials), and only the entries that changed are written. With localStorage every tab
//!   reads the entries again when another tab changes them (the `storage` event): a sign-out in
//!   one tab signs them all out, and a refresh in one is used by the others. An entry that
//!   cannot be read is set aside under another key, with a message.
//! - **Tokens**: auth-core's [`ClientApplication`] under one async lock, so one refresh is in
//!   flight at a time; it keeps the client's rules (one account, the prompt and hint of an
//!   interactive request, a refused token, sign-out). When the user must interact (consent to
//!   `Mail.Read`, a claims challenge, an expired session) the page redirects and finishes the
//!   operation on return.
//! - **Graph**: fetch with the bearer token; what to send, when to wait and what each reply
//!   means is graph-view's policy (`graph_view::policy`), as on the desktop. Every call has a
//!   timeout (`httpTimeoutSecs`, 30 s by default), named in the message when it runs out.
//! - **Console log**, as the tutorial's page printed MSAL's: the return from the sign-in page,
//!   each sign-in and sign-out, silent tokens and redirects, every call and its status, through
//!   `log` and console_log at `logLevel`. Never a token or code; usernames only with `logPii`.
//!
//! # Layout
//!
//! - [`web`]: fetch, storage, location and the clock (the only browser calls);
//! - [`settings`]: the settings read from `config.json`;
//! - [`pending`]: the attempt kept across the redirect;

pub mod pending;
pub mod settings;
pub mod web;

use litemap::LiteMap;
use shell_contract::ErrorCode;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use auth_core::client::{ClientApplication, Interaction};
use auth_core::config::{Config, ProtocolMode};
use auth_core::error::InteractionReason;
use auth_core::secret::AccessToken;
use auth_core::token_cache::{CacheError, Dropped, TokenCache};
use futures::lock::Mutex;

use self::pending::{PendingEntry, PENDING_KEY};
use self::settings::{config_error, Settings};
use self::web::StorageKind;
use super::{account_view, AccountView, Op, Restored, Step};
use crate::error::AppError;
use crate::graph::policy::{Attempt, Call, Failure, Outcome};
use crate::graph::{parse_messages, parse_profile, parse_userinfo, MailSummary, Profile};

/// The web storage key of the token cache as one blob, as versions before entries wrote it; read
/// once, written as entries, and removed.
pub const CACHE_KEY: &str = "graphSignin.tokenCache";

/// The prefix of the token cache's entries in web storage.
pub const ENTRY_PREFIX: &str = "graphSignin.cache.";

/// The browser backend.
pub struct Browser {
    settings: Settings,
    client: Mutex<ClientApplication>,
    /// The start-up result, handed to the page once.
    boot: RefCell<Restored>,
    /// Set once the page is leaving for the identity platform.
    navigating: Cell<bool>,
    /// The cache's entries as web storage holds them (names without the prefix): what a save
    /// compares against, to write only what changed.
    stored: RefCell<LiteMap<String, String>>,
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
        // Info until config.json says otherwise; a second start (tests) keeps the first logger.
        let _ = console_log::init_with_level(log::Level::Trace);
        log::set_max_level(log::LevelFilter::Info);
        let settings = load_settings()
            .await
            .inspect_err(|e| log::error!("{}", e.message))?;
        log::set_max_level(settings.log_level);
        log::info!(
            "config.json: authority {}, cache in {:?} storage, calls time out after {} s",
            settings.config.authority().url(),
            settings.cache,
            settings.http_timeout_secs
        );
        let mut notices = Vec::new();
        if let Some(warning) = settings.config.graph_endpoint_warning() {
            notices.push(AppError::notice(warning));
        }
        let (cache, mut stored) = load_cache(settings.cache, &mut notices);
        let mut client = ClientApplication::new(cache);
        // A generic provider's cache holds no account another issuer signed in.
        if client.keep_only_issuer(&settings.config) {
            log::info!("a saved sign-in of another issuer was dropped");
            client.take_changed();
            if let Err(e) = save_entries(settings.cache, client.cache(), &mut stored) {
                notices.push(e);
            }
        }
        let mut resume = None;
        if let Some(params) = response {
            log::info!("back from the sign-in page: handling its answer");
            let entry = match pending_blob {
                None => Err(pending::orphan_response(&params)),
                Some(blob) => PendingEntry::from_json(&blob),
            };
            let redeemed = match entry {
                Ok(entry) => redeem(&settings, &mut client, &mut stored, entry, &href).await,
                Err(e) => Err(e),
            };
            match redeemed {
                Ok(op) => {
                    let who = client.account().map(|a| a.username.clone());
                    log::info!(
                        "signed in{}; resuming {op:?}",
                        pii(settings.log_pii, who.as_deref())
                    );
                    resume = Some(op);
                }
                Err(e) => {
                    log::warn!("the sign-in answer could not be used: {}", e.message);
                    notices.push(e);
                }
            }
        }
        let account = client.account().map(account_view);
        match &account {
            Some(a) => log::info!(
                "signed in from the cache{}",
                pii(settings.log_pii, Some(&a.username))
            ),
            None => log::info!("not signed in"),
        }
        let authority = settings.config.authority();
        let provider = match settings.config.protocol_mode() {
            ProtocolMode::Aad => {
                shell_contract::provider_label(authority.environment(), authority.tenant().as_str())
            }
            ProtocolMode::Oidc => shell_contract::oidc_provider_label(authority.environment()),
        };
        Ok(Browser {
            settings,
            client: Mutex::new(client),
            boot: RefCell::new(Restored {
                account,
                notices,
                resume,
                provider: Some(provider),
            }),
            navigating: Cell::new(false),
            stored: RefCell::new(stored),
        })
    }

    /// Writes the entries of the cache that changed since storage was last read or written.
    fn save(&self, client: &mut ClientApplication) -> Result<(), AppError> {
        if !client.take_changed() {
            return Ok(());
        }
        save_entries(
            self.settings.cache,
            client.cache(),
            &mut self.stored.borrow_mut(),
        )
    }

    /// With localStorage, follows the other tabs: when one changes the cache's entries, this
    /// one reads them again and calls `account_changed` with the account they hold now (`None`:
    /// signed out there). With sessionStorage there is nothing to follow.
    pub fn follow_other_tabs(
        self: Rc<Self>,
        account_changed: impl Fn(Option<AccountView>) + 'static,
    ) {
        if self.settings.cache != StorageKind::Local {
            return;
        }
        let account_changed = Rc::new(account_changed);
        let result = web::on_storage_change(ENTRY_PREFIX, move || {
            let (this, account_changed) = (self.clone(), account_changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if this.navigating.get() {
                    return;
                }
                let mut notices = Vec::new();
                let (cache, stored) = read_entries(this.settings.cache, &mut notices);
                let account = {
                    let mut client = this.client.lock().await;
                    client.replace_cache(cache);
                    *this.stored.borrow_mut() = stored;
                    client.account().map(account_view)
                };
                account_changed(account);
            });
        });
        if let Err(e) = result {
            log::warn!("other tabs cannot be followed: {}", e.message);
        }
    }

    /// The start-up result (once).
    pub fn restore(&self) -> Restored {
        self.boot.take()
    }

    /// Sign In: leaves for the authorize page, asking for `User.Read` with the account picker
    /// (a generic provider: the configured scopes, and its login page).
    pub async fn sign_in(&self) -> Result<Step<AccountView>, AppError> {
        self.redirect(
            Op::SignIn,
            self.profile_call().scopes(),
            Interaction::SignIn,
        )
        .await?;
        Ok(Step::Redirecting)
    }

    /// Whether the authority is a generic OpenID provider (`protocolMode` OIDC).
    fn is_oidc(&self) -> bool {
        self.settings.config.protocol_mode() == ProtocolMode::Oidc
    }

    /// See Profile's call: Graph's `/me`, or a generic provider's userinfo.
    fn profile_call(&self) -> Call {
        if self.is_oidc() {
            Call::UserInfo
        } else {
            Call::Profile
        }
    }

    /// The configuration with the provider's endpoints: a generic provider's discovery
    /// document is read once per page load, and kept by the client application.
    async fn resolved(&self, client: &mut ClientApplication) -> Result<Config, AppError> {
        if !self.is_oidc() {
            return Ok(self.settings.config.clone());
        }
        let timeout = self.settings.http_timeout_secs;
        Ok(client
            .resolved(&web::Fetch(timeout), &self.settings.config)
            .await?)
    }

    /// Sign Out: clears the cache, then leaves for the end-session page, which returns here.
    /// A generic provider without one: a notice that only this page signed out.
    pub async fn sign_out(&self) -> Result<Step<Option<String>>, AppError> {
        let (account, config) = {
            let mut client = self.client.lock().await;
            // The end-session endpoint, before the account leaves (its discovery may fail).
            let config = self.resolved(&mut client).await;
            let account = client.sign_out();
            self.save(&mut client)?;
            (account, config)
        };
        log::info!(
            "signed out locally{}",
            pii(
                self.settings.log_pii,
                account.as_ref().map(|a| a.username.as_str())
            )
        );
        let config = match config {
            Ok(config) => config,
            Err(e) => {
                // The page is signed out already; only the provider's session is left.
                log::warn!("the provider's sign-out page is unknown: {}", e.message);
                return Ok(Step::Done(None));
            }
        };
        if self.is_oidc() && end_session_endpoint(&config).is_none() {
            // RP-Initiated Logout is optional: without it, only this page signs out.
            let host = config.authority().environment();
            log::info!("{host} has no end-session endpoint: signed out of this page only");
            return Ok(Step::Done(Some(local_sign_out_notice(host))));
        }
        match ClientApplication::end_session_url(&config, account.as_ref()) {
            Ok(url) => {
                log::info!("leaving for the end-session page at {}", host_of(&url));
                self.navigating.set(true);
                web::navigate(url.as_str())?;
                Ok(Step::Redirecting)
            }
            // No end-session endpoint: the local sign-out is all there is.
            Err(_) => Ok(Step::Done(None)),
        }
    }

    /// See Profile.
    pub async fn profile(&self, resumed: bool) -> Result<Step<Profile>, AppError> {
        if self.is_oidc() {
            return self.userinfo(resumed).await;
        }
        let endpoint = self.settings.config.graph_endpoint().to_string();
        let step = self
            .graph_get(Call::Profile, &endpoint, Op::SeeProfile, resumed)
            .await?;
        match step {
            Step::Done(body) => parse_profile(&body)
                .map(Step::Done)
                .map_err(|m| app_error(Failure::unreadable(m))),
            Step::Redirecting => Ok(Step::Redirecting),
        }
    }

    /// See Profile at a generic provider: its userinfo endpoint, about the signed-in user
    /// (OpenID Connect Core 1.0 §5.3.2).
    async fn userinfo(&self, resumed: bool) -> Result<Step<Profile>, AppError> {
        let target = {
            let mut client = self.client.lock().await;
            let config = self.resolved(&mut client).await?;
            client.userinfo_target(&config)?
        };
        let (Some(endpoint), subject) = (target.endpoint, target.subject) else {
            return Err(app_error(Failure::no_userinfo()));
        };
        let step = self
            .graph_get(Call::UserInfo, &endpoint, Op::SeeProfile, resumed)
            .await?;
        let Step::Done(body) = step else {
            return Ok(Step::Redirecting);
        };
        parse_userinfo(&body, &subject)
            .map(Step::Done)
            .map_err(|m| app_error(Failure::unreadable(m)))
    }

    /// Read Mails.
    pub async fn messages(&self, resumed: bool) -> Result<Step<Vec<MailSummary>>, AppError> {
        if self.is_oidc() {
            // No Graph behind a generic provider: said in the page, not as a failure.
            return Err(AppError::new(
                ErrorCode::NoGraph,
                "Mail is read through Microsoft Graph, and this page signs in to another OpenID \
                 provider.",
            ));
        }
        let endpoint = self.settings.config.graph_endpoint().to_string();
        let step = self
            .graph_get(Call::Mails, &endpoint, Op::ReadMail, resumed)
            .await?;
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
        endpoint: &str,
        op: Op,
        resumed: bool,
    ) -> Result<Step<Vec<u8>>, AppError> {
        let scopes = call.scopes();
        let mut attempt = Attempt::new();
        let mut refused: Option<AccessToken> = None;
        loop {
            let token = match self.token(scopes, op, resumed, refused.as_ref()).await? {
                Step::Done(t) => t,
                Step::Redirecting => return Ok(Step::Redirecting),
            };
            let request = call.request(endpoint, token.secret()).map_err(app_error)?;
            let path = request.path().to_owned();
            let response = web::fetch(request, self.settings.http_timeout_secs)
                .await
                .map_err(|e| app_error(Failure::network(&e.message).of(call)))?;
            let what = if call == Call::UserInfo {
                "userinfo"
            } else {
                "Graph"
            };
            log::info!("{what} {path}: HTTP {}", response.status);
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
                Outcome::TokenRefused => return Err(app_error(Failure::token_refused().of(call))),
                Outcome::Failed(f) => return Err(app_error(f.of(call))),
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
            let timeout = self.settings.http_timeout_secs;
            let result = client
                .acquire_token_silent(
                    &web::Fetch(timeout),
                    &self.settings.config,
                    scopes,
                    refused.map(AccessToken::secret),
                    web::now(),
                )
                .await;
            self.save(&mut client)?;
            result
        };
        // Scopes as the request's `scope` parameter writes them; the reason in words (its
        // `Debug` form would print a claims challenge's JSON).
        let wanted = scopes.join(" ");
        match &result {
            Ok(_) => log::debug!("a token for `{wanted}`, silently"),
            Err(auth_core::Error::InteractionRequired { reason, .. }) => {
                log::info!("a token for `{wanted}` needs the sign-in page: {reason}")
            }
            Err(e) => log::warn!("no token for `{wanted}`: {e}"),
        }
        match result {
            Ok(token) => Ok(Step::Done(token.access_token)),
            // Nobody signed in: `not_signed_in`, auth-core's `UserError` says it.
            Err(
                e @ auth_core::Error::InteractionRequired {
                    reason: InteractionReason::NoAccount,
                    ..
                },
            ) => Err(e.into()),
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
        let (url, authorization) = {
            let mut client = self.client.lock().await;
            let config = self.resolved(&mut client).await?;
            client.begin_interaction(&config, scopes, why)?
        };
        let entry = PendingEntry {
            authorization,
            resume,
        };
        web::set(StorageKind::Session, PENDING_KEY, &entry.to_json()?)?;
        log::info!(
            "{resume:?}: leaving for the sign-in page at {} for `{}`",
            host_of(&url),
            scopes.join(" ")
        );
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
    stored: &mut LiteMap<String, String>,
    entry: PendingEntry,
    href: &str,
) -> Result<Op, AppError> {
    let timeout = settings.http_timeout_secs;
    client
        .redeem(
            &web::Fetch(timeout),
            &settings.config,
            entry.authorization,
            href,
            web::now(),
        )
        .await?;
    client.take_changed();
    save_entries(settings.cache, client.cache(), stored)?;
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

/// The cache from storage, with its entries as stored. A blob of the earlier one-key format is
/// read once and written as entries; an unreadable one is set aside, with a message, and the
/// user starts signed out.
fn load_cache(
    kind: StorageKind,
    notices: &mut Vec<AppError>,
) -> (TokenCache, LiteMap<String, String>) {
    match web::get(kind, CACHE_KEY) {
        Ok(Some(blob)) => {
            let cache = match TokenCache::from_json(&blob) {
                Ok(cache) => cache,
                Err(e) => {
                    let aside = format!("{CACHE_KEY}.corrupt-{}", web::now());
                    let kept = web::set(kind, &aside, &blob).is_ok();
                    notices.push(unreadable_cache(&e, kept.then_some(aside.as_str())));
                    TokenCache::new()
                }
            };
            let (_, mut stored) = read_entries(kind, notices);
            if let Err(e) = save_entries(kind, &cache, &mut stored) {
                notices.push(e);
            }
            let _ = web::remove(kind, CACHE_KEY);
            (cache, stored)
        }
        Ok(None) => read_entries(kind, notices),
        Err(e) => {
            notices.push(e);
            (TokenCache::new(), LiteMap::new())
        }
    }
}

/// Reads the cache's entries. An entry that cannot be read is set aside under
/// `graphSignin.corrupt-<time>.<name>`, with a message; the tokens of an account another tab
/// signed out are removed. Entries of another format version are all set aside.
fn read_entries(
    kind: StorageKind,
    notices: &mut Vec<AppError>,
) -> (TokenCache, LiteMap<String, String>) {
    let names = match web::keys(kind, ENTRY_PREFIX) {
        Ok(names) => names,
        Err(e) => {
            notices.push(e);
            return (TokenCache::new(), LiteMap::new());
        }
    };
    let mut stored: LiteMap<String, String> = LiteMap::new();
    for name in names {
        if let Ok(Some(value)) = web::get(kind, &name) {
            stored.insert(name[ENTRY_PREFIX.len()..].to_owned(), value);
        }
    }
    let set_aside = |name: &str, stored: &mut LiteMap<String, String>| -> Option<String> {
        let value = stored.remove(name)?;
        let aside = format!("graphSignin.corrupt-{}.{name}", web::now());
        let kept = web::set(kind, &aside, &value).is_ok();
        let _ = web::remove(kind, &format!("{ENTRY_PREFIX}{name}"));
        kept.then_some(aside)
    };
    let read = TokenCache::from_entries(stored.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    match read {
        Ok(read) => {
            for (name, why) in &read.dropped {
                match why {
                    Dropped::Orphan => {
                        stored.remove(name);
                        let _ = web::remove(kind, &format!("{ENTRY_PREFIX}{name}"));
                    }
                    Dropped::Unreadable(detail) => {
                        let aside = set_aside(name, &mut stored);
                        notices.push(unreadable_cache(
                            &CacheError::Corrupt(detail.clone()),
                            aside.as_deref(),
                        ));
                    }
                }
            }
            (read.cache, stored)
        }
        Err(e) => {
            let names: Vec<String> = stored.keys().cloned().collect();
            let mut aside = None;
            for name in names {
                aside = set_aside(&name, &mut stored).or(aside);
            }
            notices.push(unreadable_cache(
                &e,
                aside.as_deref().map(|_| "graphSignin.corrupt-…"),
            ));
            (TokenCache::new(), stored)
        }
    }
}

/// Writes the entries of `cache` that differ from `stored`, removes those it no longer holds,
/// and brings `stored` up to date.
fn save_entries(
    kind: StorageKind,
    cache: &TokenCache,
    stored: &mut LiteMap<String, String>,
) -> Result<(), AppError> {
    let mut entries = LiteMap::new();
    for (name, value) in cache.entries().map_err(auth_core::Error::from)? {
        entries.insert(name, value);
    }
    for (name, value) in &entries {
        if stored.get(name) != Some(value) {
            web::set(kind, &format!("{ENTRY_PREFIX}{name}"), value)?;
        }
    }
    for name in stored.keys().filter(|n| !entries.contains_key(n.as_str())) {
        web::remove(kind, &format!("{ENTRY_PREFIX}{name}"))?;
    }
    *stored = entries;
    Ok(())
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

/// ` as <username>` with `logPii`, else nothing: usernames reach the console only when allowed.
fn pii(allowed: bool, username: Option<&str>) -> String {
    match username {
        Some(name) if allowed => format!(" as {name}"),
        _ => String::new(),
    }
}

/// What the page says when only it signed out.
fn local_sign_out_notice(host: &str) -> String {
    shell_contract::local_sign_out_notice(host)
}

/// A generic provider's end-session endpoint, if its discovery document names one.
fn end_session_endpoint(config: &Config) -> Option<String> {
    config.authority().metadata().ok()?.end_session_endpoint
}

/// A URL's origin, for the log: never its query, which holds a request's state and challenge.
fn host_of(url: &auth_core::whatwg::Url) -> String {
    url.origin().ascii_serialization()
}

/// The banner's error for a failure of graph-view's policy.
fn app_error(f: Failure) -> AppError {
    AppError {
        code: ErrorCode::from_name(f.kind.code()).unwrap_or(ErrorCode::Graph),
        message: f.message,
        retry_after: f.retry_after,
    }
}

#[cfg(test)]
mod tests;
