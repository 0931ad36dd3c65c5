//! The emulator's mutable state: the clock, keys, sessions, codes, grants, faults and counters.
//!
//! Everything lives in memory. `reset` returns to the seed.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::keys::KeySet;
use crate::seed::{RedirectKind, Seed};

/// How the authorization response travels back to the client.
/// <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code>
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMode {
    /// `?code=…` on the redirect URI.
    Query,
    /// `#code=…` on the redirect URI.
    Fragment,
    /// An auto-submitted HTML form POSTing to the redirect URI.
    FormPost,
}

/// The `prompt` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Always ask for credentials.
    Login,
    /// Never show a page: fail with login_required / consent_required instead.
    None,
    /// Show the consent page even if consent was given.
    Consent,
    /// Show the account picker.
    SelectAccount,
}

/// A validated authorize request, waiting for the user.
#[derive(Debug, Clone)]
pub struct AuthRequest {
    /// The `{tenant}` path segment it was sent to.
    pub tenant: String,
    /// The client.
    pub client_id: String,
    /// The redirect URI, as sent.
    pub redirect_uri: String,
    /// The platform the redirect URI is registered under.
    pub redirect_kind: RedirectKind,
    /// How to answer.
    pub response_mode: ResponseMode,
    /// Requested scopes, as sent.
    pub scopes: Vec<String>,
    /// The client's state, echoed back.
    pub state: Option<String>,
    /// The nonce, copied into the ID token.
    pub nonce: Option<String>,
    /// The prompt.
    pub prompt: Option<Prompt>,
    /// A username to pre-fill or to pick the session account.
    pub login_hint: Option<String>,
    /// The PKCE challenge and its method (`S256` or `plain`).
    pub code_challenge: Option<(String, String)>,
    /// Whether `client_info=1` was asked for.
    pub client_info: bool,
}

/// An authorize request in progress on the sign-in pages.
#[derive(Debug, Clone)]
pub struct Interaction {
    /// The validated request.
    pub request: AuthRequest,
    /// The user, once known (signed in, or picked from the session).
    pub user: Option<String>,
    /// The user who gave their username and was sent to another origin for the password.
    pub pending_user: Option<String>,
    /// Whether that origin has checked the password (and asks "Stay signed in?" next).
    pub pending_verified: bool,
    /// Whether the user gave a password in this interaction (then "Stay signed in?" follows).
    pub password_given: bool,
    /// The answer to "Stay signed in?", once given.
    pub stay_signed_in: Option<bool>,
    /// Whether the "More information required" interrupt was shown and passed.
    pub interrupt_passed: bool,
    /// When it started (emulator clock); pages expire after an hour.
    pub started_at: i64,
}

impl Interaction {
    /// A new interaction for `request`, started at `now`.
    pub fn new(request: AuthRequest, now: i64) -> Self {
        Self {
            request,
            user: None,
            pending_user: None,
            pending_verified: false,
            password_given: false,
            stay_signed_in: None,
            interrupt_passed: false,
            started_at: now,
        }
    }
}

/// The emulator's sign-in origins, each a listener of its own. Home realm discovery sends a user
/// to the one that holds their password:
/// <https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/home-realm-discovery-policy>
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// The main origin (login.microsoftonline.com), once known.
    pub main: Option<String>,
    /// Where personal Microsoft accounts give their password (login.live.com).
    pub personal: Option<String>,
    /// The federated tenants' sign-in server (a company's AD FS).
    pub federated: Option<String>,
}

/// An authorization code, redeemable once within 10 minutes.
#[derive(Debug, Clone)]
pub struct CodeGrant {
    /// The request it answers.
    pub request: AuthRequest,
    /// The user's object id.
    pub oid: String,
    /// When it was issued (emulator clock).
    pub issued_at: i64,
    /// Whether it was redeemed.
    pub redeemed: bool,
    /// The session it came from.
    pub session_id: String,
}

/// A refresh token's grant.
#[derive(Debug, Clone)]
pub struct RefreshGrant {
    /// The client it was issued to.
    pub client_id: String,
    /// The user's object id.
    pub oid: String,
    /// The tenant it was issued in (the user's home tenant).
    pub tid: String,
    /// SPA refresh tokens have a fixed lifetime; desktop ones slide.
    pub kind: RedirectKind,
    /// When it stops working (emulator clock).
    pub expires_at: i64,
    /// Whether the user's grant was revoked.
    pub revoked: bool,
    /// Whether client_info was asked for at sign-in.
    pub client_info: bool,
    /// The session it came from.
    pub session_id: String,
}

/// A browser session of the sign-in pages (the SSO cookie).
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// Signed-in users, by object id, in sign-in order.
    pub users: Vec<String>,
}

/// Why Graph refuses a token before its expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Treated as expired (401 `InvalidAuthenticationToken`).
    Expired,
    /// A claims challenge (CAE) raised at this time: 401 `insufficient_claims`.
    ClaimsChallenge(i64),
}

/// A fault injected through the test controls.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct Fault {
    /// The request path it applies to: exact, or a prefix ending in `*`.
    pub path: String,
    /// The status to answer with (ignored when `drop` is set).
    #[serde(default = "default_fault_status")]
    pub status: u16,
    /// How many requests it applies to.
    #[serde(default = "default_fault_count")]
    pub count: u32,
    /// The `Retry-After` seconds of a 429 or 503.
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// Wait this long before answering (or before passing the request on, when `status` is 0).
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// Close the connection without a complete answer.
    #[serde(default)]
    pub drop: bool,
}

fn default_fault_status() -> u16 {
    500
}

fn default_fault_count() -> u32 {
    1
}

/// Everything that changes as clients use the emulator.
#[derive(Debug, Default)]
pub struct Store {
    /// Authorize requests waiting for the user, by page context id.
    pub interactions: HashMap<String, Interaction>,
    /// Issued authorization codes.
    pub codes: HashMap<String, CodeGrant>,
    /// Issued refresh tokens.
    pub refresh_tokens: HashMap<String, RefreshGrant>,
    /// Sign-in sessions by cookie value.
    pub sessions: HashMap<String, Session>,
    /// Consented scopes, by (user object id, client id).
    pub consents: HashMap<(String, String), BTreeSet<String>>,
    /// Access tokens issued, by user object id.
    pub access_tokens: HashMap<String, Vec<String>>,
    /// Access tokens Graph must refuse although they have not expired: token → why.
    pub refused_tokens: HashMap<String, Refusal>,
    /// The latest tokens and codes issued, for tests that look for leaks.
    pub issued: Vec<String>,
    /// Injected faults, in order.
    pub faults: Vec<Fault>,
    /// Requests per endpoint.
    pub counters: HashMap<String, u64>,
    /// Whether "More information required" interrupts every password sign-in.
    pub interrupt: bool,
    /// Assertions from the other origins already used (by `jti`): each is good once.
    pub used_assertions: BTreeSet<String>,
}

/// At most this many issued tokens are remembered for `/_emulator/tokens`.
const MAX_ISSUED: usize = 20_000;

impl Store {
    /// Remembers issued tokens and codes, dropping the oldest beyond [`MAX_ISSUED`].
    pub fn record_issued(&mut self, tokens: impl IntoIterator<Item = String>) {
        self.issued.extend(tokens);
        if self.issued.len() > MAX_ISSUED {
            let excess = self.issued.len() - MAX_ISSUED / 2;
            self.issued.drain(..excess);
        }
    }
}

/// The furthest the test clock moves from real time, either way: a hundred years.
pub const MAX_CLOCK_OFFSET: i64 = 100 * 366 * 24 * 3600;

/// The shared state behind every handler.
pub struct EmulatorState {
    /// The seed, indexed once.
    pub seed: Arc<Seed>,
    /// The signing keys.
    pub keys: RwLock<KeySet>,
    clock_offset: AtomicI64,
    store: Mutex<Store>,
    /// Whether the emulator serves https.
    pub tls: bool,
    origins: RwLock<Origins>,
}

impl EmulatorState {
    /// EmulatorState for `seed`, with a fresh key.
    pub fn new(seed: Seed, tls: bool) -> Self {
        Self {
            seed: Arc::new(seed),
            keys: RwLock::new(KeySet::new()),
            clock_offset: AtomicI64::new(0),
            store: Mutex::new(Store::default()),
            tls,
            origins: RwLock::new(Origins::default()),
        }
    }

    /// The origins the emulator listens on.
    pub fn origins(&self) -> Origins {
        self.origins
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Records the origins the emulator listens on.
    pub fn set_origins(&self, origins: Origins) {
        *self.origins.write().unwrap_or_else(|p| p.into_inner()) = origins;
    }

    /// Now on the emulator's clock, in unix seconds: the real time plus the test offset (at
    /// most [`MAX_CLOCK_OFFSET`] either way, so the sum cannot overflow).
    pub fn now(&self) -> i64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        real as i64 + self.clock_offset.load(Ordering::Relaxed)
    }

    /// Moves the clock by `seconds`, unless the offset would then pass [`MAX_CLOCK_OFFSET`]
    /// either way; returns whether it moved.
    pub fn advance_clock(&self, seconds: i64) -> bool {
        self.clock_offset
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                offset
                    .checked_add(seconds)
                    .filter(|o| (-MAX_CLOCK_OFFSET..=MAX_CLOCK_OFFSET).contains(o))
            })
            .is_ok()
    }

    /// The mutable store. A handler that panicked while holding it cannot corrupt it in a way
    /// that matters to an emulator, so a poisoned lock is used as is.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Back to the seed: no sessions, grants, codes, tokens, faults or counters; the clock at
    /// real time. Keys are kept, so published JWKS stay valid.
    pub fn reset(&self) {
        *self.store() = Store::default();
        self.clock_offset.store(0, Ordering::Relaxed);
    }

    /// Counts one request to `endpoint`.
    pub fn count(&self, endpoint: &str) {
        *self
            .store()
            .counters
            .entry(endpoint.to_owned())
            .or_default() += 1;
    }
}
