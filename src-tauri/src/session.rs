//! The signed-in session: auth-core's client application behind a lock, the interaction lock,
//! and the silent-then-interactive token acquisition behind every command. The protocol and
//! the client's rules are auth-core's; this module brings the desktop's platform: reqwest, the
//! store, the login window, and the stage the page's spinner reads.

use shell_contract::{ErrorCode, Stage, StageUpdate};
use std::time::{SystemTime, UNIX_EPOCH};

use auth_core::client::{ClientApplication, Interaction};
use auth_core::error::InteractionReason;
use auth_core::token_cache::TokenCache;
use tauri::{AppHandle, Manager, Runtime};
use tokio::sync::Mutex;

use crate::config::DesktopConfig;
use crate::error::CommandError;
use graph_view::policy::{Call, Failure};

use crate::graph_proxy::{command_error, GraphClient, GraphError, MailSummary, Profile};
use crate::login_window::{self, Expect};
use crate::token_store::TokenStore;

/// The account the webview may see: no tokens, no ids beyond the tenant.
pub use shell_contract::AccountView;

/// One app's session state.
pub struct Session<R: Runtime> {
    config: Result<DesktopConfig, CommandError>,
    /// auth-core's config for silent requests, and the Graph client, built once at start:
    /// they sit on every Graph command's path.
    silent: Result<(auth_core::config::Config, GraphClient), CommandError>,
    client: Mutex<ClientApplication>,
    interaction: Mutex<()>,
    http: reqwest::Client,
    store: Option<TokenStore<R>>,
    notice: std::sync::Mutex<Option<String>>,
    /// The stage, numbered, for the `progress` command: the page waits on it (see
    /// [`StageUpdate`] for why the shell does not send events).
    stage: tokio::sync::watch::Sender<StageUpdate>,
}

/// The redirect URI used for silent requests (refresh grants carry none).
const SILENT_REDIRECT: &str = "http://localhost";

/// A Graph command that has not finished after this long tells the page `callingGraph`.
/// A quicker one sends no event: a spinner shown for a few milliseconds is only flicker, and
/// each event is a script run in the webview on the command's path.
pub const GRAPH_PROGRESS_DELAY: std::time::Duration = std::time::Duration::from_millis(150);

/// Unix seconds now.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl<R: Runtime> Session<R> {
    /// A session over `config`, with the cache and store found at start and a start-up notice.
    pub fn new(
        config: Result<DesktopConfig, CommandError>,
        http: reqwest::Client,
        store: Option<TokenStore<R>>,
        cache: TokenCache,
        notice: Option<String>,
    ) -> Self {
        let silent = config.as_ref().map_err(Clone::clone).and_then(|c| {
            let core = c.core(SILENT_REDIRECT)?;
            let graph = GraphClient::new(http.clone(), core.graph_endpoint().clone());
            Ok((core, graph))
        });
        let mut client = ClientApplication::new(cache);
        if let Ok((core, _)) = &silent {
            // A generic provider's cache holds no account another issuer signed in.
            if client.keep_only_issuer(core) {
                tracing::info!("a saved sign-in of another issuer was dropped");
                if let Some(Err(e)) = store.as_ref().map(|s| s.save(client.cache())) {
                    tracing::warn!("{}", e.message);
                }
                client.take_changed();
            }
        }
        Self {
            config,
            silent,
            client: Mutex::new(client),
            interaction: Mutex::new(()),
            http,
            store,
            notice: std::sync::Mutex::new(notice),
            stage: tokio::sync::watch::Sender::new(StageUpdate {
                seq: 0,
                stage: Stage::Idle,
            }),
        }
    }

    /// Tells the page's spinner where the shell is (the main window's `progress` request; a
    /// login window has no IPC).
    fn progress(&self, stage: Stage) {
        self.stage.send_modify(|update| {
            update.seq += 1;
            update.stage = stage;
        });
    }

    /// The stage now with no `after`, else once it has changed since update `after`.
    pub async fn stage_after(&self, after: Option<u64>) -> StageUpdate {
        let mut updates = self.stage.subscribe();
        let Some(after) = after else {
            return *updates.borrow();
        };
        // The sender lives as long as the session, so the wait ends only with a change.
        if let Ok(update) = updates.wait_for(|update| update.seq > after).await {
            return *update;
        }
        let update = *updates.borrow();
        update
    }

    fn config(&self) -> Result<&DesktopConfig, CommandError> {
        self.config.as_ref().map_err(Clone::clone)
    }

    fn silent_config(&self) -> Result<&auth_core::config::Config, CommandError> {
        self.silent.as_ref().map(|(c, _)| c).map_err(Clone::clone)
    }

    /// Where sign-in goes ([`shell_contract::provider_label`]).
    pub fn provider(&self) -> Result<String, CommandError> {
        if self.config()?.is_demo() {
            return Ok(crate::demo_tenant::LABEL.to_owned());
        }
        let authority = self.silent_config()?.authority();
        if self.config()?.is_oidc() {
            return Ok(shell_contract::oidc_provider_label(authority.environment()));
        }
        Ok(shell_contract::provider_label(
            authority.environment(),
            authority.tenant().as_str(),
        ))
    }

    /// The start-up notice (a set-aside store, a bad config), once.
    pub fn take_notice(&self) -> Option<String> {
        let notice = self.notice.lock().unwrap_or_else(|p| p.into_inner()).take();
        notice.or_else(|| self.config.as_ref().err().map(|e| e.message.clone()))
    }

    /// Saves the cache to the store if it changed.
    fn save(&self, client: &mut ClientApplication) -> Result<(), CommandError> {
        match &self.store {
            Some(store) if client.take_changed() => store.save(client.cache()),
            _ => Ok(()),
        }
    }

    /// The signed-in account, if any.
    pub async fn account(&self) -> Option<AccountView> {
        self.client.lock().await.account().map(view)
    }

    /// Sign In: the login window with the account picker (`prompt=select_account`, MSAL's
    /// interactive default), so that the user can always pick or add another account.
    pub async fn sign_in_user(&self, app: &AppHandle<R>) -> Result<AccountView, CommandError> {
        self.sign_in(app, self.profile_call()?.scopes(), Interaction::SignIn)
            .await
    }

    /// See Profile's call: Graph's `/me`, or a generic OpenID provider's userinfo.
    fn profile_call(&self) -> Result<Call, CommandError> {
        Ok(if self.config()?.is_oidc() {
            Call::UserInfo
        } else {
            Call::Profile
        })
    }

    /// Interactive sign-in in the login window, for `scopes`; `why` decides what the request
    /// asks (auth-core's [`ClientApplication::authorize_options`]).
    async fn sign_in(
        &self,
        app: &AppHandle<R>,
        scopes: &[&str],
        why: Interaction,
    ) -> Result<AccountView, CommandError> {
        let config = self.config()?;
        let _interaction = self
            .interaction
            .try_lock()
            .map_err(|_| auth_core::Error::InteractionInProgress)?;
        self.progress(Stage::SigningIn);
        let result = async {
            let redirect = login_window::listen(Expect::Authorization).await?;
            let mut core_config = config.core(&redirect.redirect_uri)?;
            let (url, pending) = {
                let mut client = self.client.lock().await;
                if config.is_oidc() {
                    // The provider's endpoints, from its discovery document (once per start).
                    core_config = client.resolved(&self.http, &core_config).await?;
                }
                client.begin_interaction(&core_config, scopes, why)?
            };
            redirect.expect_state(pending.state());
            self.progress(Stage::WaitingForLoginWindow);
            let answer = login_window::sign_in(app, url, redirect, config.login_timeout).await?;
            self.progress(Stage::SigningIn);
            let mut client = self.client.lock().await;
            // One account at a time: the client application drops the previous one.
            let account = client
                .redeem(&self.http, &core_config, pending, &answer, now())
                .await?;
            // The username only with logPii (an unset field is left out).
            let username = config.log_pii().then_some(account.username.as_str());
            tracing::info!(username, "signed in");
            // When this happened inside a Graph call (consent, a claims challenge) the command
            // returns only data: the page asks for the account after each one.
            if let Err(e) = self.save(&mut client) {
                tracing::warn!("{}", e.message);
                *self.notice.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.message);
            }
            Ok(view(&account))
        }
        .await;
        self.progress(Stage::Idle);
        result
    }

    /// A token for `scopes`: from the cache, by one refresh, or by interaction when auth-core's
    /// client application says so. Concurrent callers wait on its lock, so one refresh serves
    /// them all. `refused` is a token Graph refused (the client application decides whether to
    /// force a refresh).
    async fn token(
        &self,
        app: &AppHandle<R>,
        scopes: &[&str],
        refused: Option<&str>,
    ) -> Result<String, CommandError> {
        let reason = match self.silent_token(scopes, refused).await? {
            Ok(token) => return Ok(token),
            Err(reason) => reason,
        };
        tracing::info!(%reason, "interaction required");
        self.sign_in(app, scopes, Interaction::after(&reason))
            .await?;
        match self.silent_token(scopes, None).await? {
            Ok(token) => Ok(token),
            Err(_) => Err(CommandError::new(
                ErrorCode::InteractionRequired,
                "The sign-in did not grant the permissions needed. Select the button again.",
            )),
        }
    }

    /// A token without the user, or why the user is needed; saves the cache if it changed.
    async fn silent_token(
        &self,
        scopes: &[&str],
        refused: Option<&str>,
    ) -> Result<Result<String, InteractionReason>, CommandError> {
        let config = self.silent_config()?;
        let mut client = self.client.lock().await;
        let result = client
            .acquire_token_silent(&self.http, config, scopes, refused, now())
            .await;
        if let Err(e) = self.save(&mut client) {
            tracing::warn!("{}", e.message);
        }
        match result {
            Ok(token) => {
                if refused.is_some() {
                    // Refreshed, or already replaced by another call: auth-core decides which.
                    tracing::info!("a new access token after Graph refused the last one");
                }
                Ok(Ok(token.access_token.secret().to_owned()))
            }
            // Nobody signed in: `not_signed_in`, auth-core's `UserError` says it.
            Err(
                e @ auth_core::Error::InteractionRequired {
                    reason: InteractionReason::NoAccount,
                    ..
                },
            ) => Err(e.into()),
            Err(auth_core::Error::InteractionRequired { reason, .. }) => Ok(Err(reason)),
            Err(e) => Err(e.into()),
        }
    }

    /// Makes `call` to Graph (`run` sends it) with a token for its scopes, handling a claims
    /// challenge or a refused token once.
    async fn graph<T, F, Fut>(
        &self,
        app: &AppHandle<R>,
        call: Call,
        run: F,
    ) -> Result<T, CommandError>
    where
        F: Fn(GraphClient, String) -> Fut,
        Fut: std::future::Future<Output = Result<T, GraphError>>,
    {
        let client = match &self.silent {
            Ok((_, client)) => client,
            Err(e) => return Err(e.clone()),
        };
        let scopes = call.scopes();
        let work = async {
            let token = self.token(app, scopes, None).await?;
            match run(client.clone(), token.clone()).await {
                Ok(v) => Ok(v),
                Err(GraphError::Command(e)) => Err(e),
                Err(GraphError::ClaimsChallenge(claims)) => {
                    tracing::info!("Graph raised a claims challenge");
                    let why = Interaction::ForResource {
                        claims: Some(claims),
                    };
                    self.sign_in(app, scopes, why).await?;
                    let token = self.token(app, scopes, None).await?;
                    run(client.clone(), token)
                        .await
                        .map_err(|e| graph_failure(e, call))
                }
                // Expired or revoked early (the server's clock is the judge): one more token.
                Err(GraphError::Unauthorized) => {
                    tracing::info!("Graph refused the access token; refreshing it");
                    let token = self.token(app, scopes, Some(&token)).await?;
                    run(client.clone(), token)
                        .await
                        .map_err(|e| graph_failure(e, call))
                }
            }
        };
        tokio::pin!(work);
        match tokio::time::timeout(GRAPH_PROGRESS_DELAY, &mut work).await {
            Ok(result) => result,
            Err(_) => {
                // While the login window is open its stages stand: the page says where to go on.
                let shown = self.interaction.try_lock().is_ok();
                if shown {
                    self.progress(Stage::CallingGraph);
                }
                let result = work.await;
                if shown {
                    self.progress(Stage::Idle);
                }
                result
            }
        }
    }

    /// The signed-in user's profile (User.Read), or a generic OpenID provider's userinfo.
    pub async fn me(&self, app: &AppHandle<R>) -> Result<Profile, CommandError> {
        if self.config()?.is_oidc() {
            return self.userinfo(app).await;
        }
        self.graph(app, Call::Profile, |client, token| async move {
            client.me(&token).await
        })
        .await
    }

    /// The profile from the provider's userinfo endpoint (OIDC mode), about the signed-in user.
    async fn userinfo(&self, app: &AppHandle<R>) -> Result<Profile, CommandError> {
        let target = {
            let mut client = self.client.lock().await;
            let resolved = client.resolved(&self.http, self.silent_config()?).await?;
            client.userinfo_target(&resolved)?
        };
        let (Some(endpoint), subject) = (target.endpoint, target.subject) else {
            return Err(command_error(Failure::no_userinfo()));
        };
        self.graph(app, Call::UserInfo, |client, token| {
            let (endpoint, subject) = (endpoint.clone(), subject.clone());
            async move { client.userinfo(&endpoint, &subject, &token).await }
        })
        .await
    }

    /// The first 10 mails (User.Read + Mail.Read; Mail.Read is consented on first use).
    pub async fn messages(&self, app: &AppHandle<R>) -> Result<Vec<MailSummary>, CommandError> {
        if self.config()?.is_oidc() {
            // No Graph behind a generic provider: said in the page, not as a failure.
            return Err(CommandError::new(
                ErrorCode::NoGraph,
                "Mail is read through Microsoft Graph, and this app signs in to another OpenID \
                 provider.",
            ));
        }
        self.graph(app, Call::Mails, |client, token| async move {
            client.messages(&token).await
        })
        .await
    }

    /// Signs out: the account and its tokens leave the cache and the store at once; then the
    /// identity platform's session ends in a login window, in the background, while the page
    /// is already signed out. The window carries the `login_hint` claim as `logout_hint` (no
    /// page then) and returns to the loopback listener; a picker on the way is the user's to
    /// answer, and the window stays until the return arrives or the user closes it.
    pub async fn sign_out(&self, app: &AppHandle<R>) -> Result<Option<String>, CommandError> {
        let (account, resolved) = {
            let mut client = self.client.lock().await;
            // A generic provider's end-session endpoint comes from its discovery document, read
            // before the account leaves (kept from the sign-in, or fetched now).
            let resolved = match (self.config(), self.silent_config()) {
                (Ok(config), Ok(silent)) if config.is_oidc() => {
                    Some(client.resolved(&self.http, silent).await)
                }
                _ => None,
            };
            let Some(account) = client.sign_out() else {
                return Ok(None);
            };
            self.save(&mut client)?;
            (account, resolved)
        };
        let log_pii = self.config().is_ok_and(DesktopConfig::log_pii);
        let username = log_pii.then_some(account.username.as_str());
        tracing::info!(username, "signed out locally");
        let Ok(config) = self.config().cloned() else {
            return Ok(None);
        };
        match &resolved {
            Some(Ok(provider)) => {
                let endpoint = provider
                    .authority()
                    .metadata()
                    .ok()
                    .and_then(|m| m.end_session_endpoint);
                if endpoint.is_none() {
                    // RP-Initiated Logout is optional: without it, only this app signs out.
                    tracing::info!("no end-session endpoint: signed out of this app only");
                    let host = provider.authority().environment();
                    return Ok(Some(shell_contract::local_sign_out_notice(host)));
                }
            }
            Some(Err(e)) => {
                tracing::warn!("the provider's sign-out page is unknown: {e}");
                return Ok(None);
            }
            None => {}
        }
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let session = app.state::<Session<R>>();
            // A Sign In meanwhile waits for (or is refused by) this window, as for a login.
            let _interaction = session.interaction.lock().await;
            let ended = async {
                let redirect = login_window::listen(Expect::SignedOut).await?;
                let mut core_config = config.core(&redirect.redirect_uri)?;
                if config.is_oidc() {
                    // Discovered above: the client application kept it.
                    core_config = session
                        .client
                        .lock()
                        .await
                        .resolved(&session.http, &core_config)
                        .await?;
                }
                let url = ClientApplication::end_session_url(&core_config, Some(&account))?;
                login_window::sign_out(&app, url, redirect, config.login_timeout).await
            }
            .await;
            match ended {
                Ok(()) => tracing::info!("signed out at the identity platform"),
                Err(e) => tracing::warn!(
                    "the identity platform's sign-out did not finish: {}",
                    e.message
                ),
            }
        });
        Ok(None)
    }
}

fn graph_failure(error: GraphError, call: Call) -> CommandError {
    match error {
        GraphError::Command(e) => e,
        GraphError::ClaimsChallenge(_) | GraphError::Unauthorized => {
            command_error(Failure::token_refused().of(call))
        }
    }
}

fn view(account: &auth_core::account::Account) -> AccountView {
    AccountView {
        name: account.name.clone(),
        username: account.username.clone(),
        tenant_id: account.tenant_id.clone(),
    }
}
