//! The emulator's mutable state: the clock, keys, sessions, codes, grants, faults and counters.
//!
//! Everything lives in memory. `reset` returns to the seed. What can no longer be used is
//! forgotten as the clock passes Entra's lifetimes ([`Store::prune`]), so the store does not grow
//! with the number of sign-ins.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::keys::{KeySet, SealingKey};
use crate::seed::{RedirectKind, Seed};

/// Authorization codes: "Authorization codes are short lived. Typically, they expire after about
/// 10 minutes." <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow>
pub const CODE_LIFETIME: i64 = 600;

/// Sign-in pages in progress (interactions) expire after an hour.
pub const INTERACTION_LIFETIME: i64 = 3600;

/// The SSO session ends this long after the last sign-in through it: "The Microsoft Entra ID
/// default configuration for user sign-in frequency is a rolling window of 90 days."
/// <https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-session-lifetime>
pub const SESSION_LIFETIME: i64 = 90 * 24 * 3600;

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
    /// When it started (emulator clock); pages expire after [`INTERACTION_LIFETIME`].
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

impl CodeGrant {
    /// The first second at which it is expired ([`CODE_LIFETIME`]): AADSTS70008 from then on.
    pub fn expires_at(&self) -> i64 {
        self.issued_at + CODE_LIFETIME + 1
    }

    /// Whether it has expired at `now`.
    pub fn expired(&self, now: i64) -> bool {
        now >= self.expires_at()
    }
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

impl RefreshGrant {
    /// Whether it has expired at `now` (AADSTS700082, or 700084 for a SPA's).
    pub fn expired(&self, now: i64) -> bool {
        now >= self.expires_at
    }
}

/// A browser session of the sign-in pages (the SSO cookie).
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// Signed-in users, by object id, in sign-in order.
    pub users: Vec<String>,
    /// The last sign-in through it, by password or SSO (emulator clock).
    pub last_used: i64,
}

impl Session {
    /// Whether it has ended at `now`: [`SESSION_LIFETIME`] after its last sign-in.
    pub fn expired(&self, now: i64) -> bool {
        now - self.last_used >= SESSION_LIFETIME
    }
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
    /// Assertions from the other origins already used (`jti` → their `exp`): each is good once.
    pub used_assertions: HashMap<String, i64>,
    /// Seals what the store must still know of a code or refresh token once it has forgotten
    /// it. A new key on reset, so older ones are unknown then, as before.
    sealing_key: SealingKey,
    /// The serial number of the next refresh token.
    next_serial: u64,
    /// Per user (object id): refresh tokens with a lower serial were revoked.
    revoked_below: HashMap<String, u64>,
    /// When the entries of each pruned collection fall due.
    ledgers: [Ledger; Collection::COUNT],
}

/// At most this many issued tokens are remembered for `/_emulator/tokens`.
const MAX_ISSUED: usize = 20_000;

/// The associated data of sealed codes and refresh tokens.
const SEALED_CODE: &str = "code";
const SEALED_REFRESH_TOKEN: &str = "refresh_token";

/// What a code says of itself, sealed: when it was issued.
#[derive(Serialize, Deserialize)]
struct SealedCode {
    iat: i64,
}

/// What a refresh token says of itself, sealed: enough to answer as it would once forgotten.
#[derive(Serialize, Deserialize)]
struct SealedRefreshToken {
    exp: i64,
    spa: bool,
    serial: u64,
    client_id: String,
    oid: String,
}

/// The collections that grow with sign-ins, each pruned on its own.
#[derive(Debug, Clone, Copy)]
enum Collection {
    Interactions,
    Codes,
    RefreshTokens,
    Sessions,
    AccessTokens,
    RefusedTokens,
    UsedAssertions,
}

impl Collection {
    const COUNT: usize = 7;
    const ALL: [Collection; Self::COUNT] = [
        Collection::Interactions,
        Collection::Codes,
        Collection::RefreshTokens,
        Collection::Sessions,
        Collection::AccessTokens,
        Collection::RefusedTokens,
        Collection::UsedAssertions,
    ];
}

/// When the entries of one collection fall due, counted by the minute, so that the collection is
/// swept only once a quarter of what it holds is due: a sweep then costs a constant time per
/// entry added (amortised), and the collection holds about a third more than what is usable at
/// most.
#[derive(Debug, Default)]
struct Ledger {
    /// How many entries fall due by the end of each minute (keyed by that end, unix seconds).
    due: BTreeMap<i64, usize>,
    /// Entries counted since the last sweep: those it kept and those added since.
    counted: usize,
    /// Of those, the ones whose minute has passed: expired, or already removed another way (a
    /// finished sign-in, a sign-out).
    passed: usize,
}

impl Ledger {
    /// Counts an entry that can no longer be used from `expires_at` on.
    fn add(&mut self, expires_at: i64) {
        let minute_end = expires_at
            .div_euclid(60)
            .saturating_mul(60)
            .saturating_add(60);
        *self.due.entry(minute_end).or_default() += 1;
        self.counted += 1;
    }

    /// Whether a sweep is worth it at `now`: a quarter of the entries counted are due.
    fn sweep_due(&mut self, now: i64) -> bool {
        while let Some(entry) = self.due.first_entry() {
            if *entry.key() > now {
                break;
            }
            self.passed += entry.remove();
        }
        self.passed > 0 && self.passed * 4 >= self.counted
    }
}

/// The `exp` of a JWT this emulator signed, read without checking the signature: for the tokens
/// the store keeps. `None` if it is not a JWT with an `exp`.
fn jwt_expiry(token: &str) -> Option<i64> {
    #[derive(Deserialize)]
    struct Exp {
        exp: i64,
    }
    let claims = URL_SAFE_NO_PAD.decode(token.split('.').nth(1)?).ok()?;
    serde_json::from_slice::<Exp>(&claims).ok().map(|c| c.exp)
}

/// Pruning. Each entry goes once it can no longer be used, so that clients see no change but
/// memory. (Two rules came with it, so that no answer depends on whether an entry is forgotten
/// yet: sessions end, and an expired code answers as expired even if it was redeemed.)
///
/// - sign-in pages (interactions): after an hour ([`INTERACTION_LIFETIME`]);
/// - codes: after [`CODE_LIFETIME`], redeemed or not;
/// - refresh tokens: at their `expires_at`, 24 hours after sign-in for a SPA redirect URI and 90
///   days after their issue otherwise (`token_endpoint`;
///   <https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens#token-lifetime>);
/// - sessions: [`SESSION_LIFETIME`] after their last sign-in; one that has ended signs nobody in
///   any more, forgotten or not ([`Store::live_session`]);
/// - access tokens (kept per user for the controls that refuse them), and refused ones: at their
///   `exp`, 60 to 90 minutes after issue (`mint`;
///   <https://learn.microsoft.com/en-us/entra/identity-platform/configurable-token-lifetimes#access-tokens>),
///   after which Graph refuses them as expired without looking further;
/// - used assertions of the other origins: at their own `exp`, after which they are refused
///   before the list is read.
///
/// A code or a refresh token forgotten this way still gets the answer it got while kept
/// (expired, revoked, or the origin rules): it carries what is needed, sealed
/// ([`Store::forgotten_code_expired`], [`Store::forgotten_refresh_token`]). Consents (one per
/// user and app), faults, counters and the capped list of issued tokens do not grow with
/// sign-ins and are kept.
///
/// There is no background task: each insert looks at the earliest minute of each collection's
/// ledger and sweeps a collection with `retain` once a quarter of it is due.
impl Store {
    /// Forgets, in every collection, what can no longer be used at `now`.
    pub fn prune(&mut self, now: i64) {
        for collection in Collection::ALL {
            self.sweep(collection, now);
        }
    }

    fn sweep(&mut self, collection: Collection, now: i64) {
        let mut ledger = Ledger::default();
        let mut keep = |expires_at: i64| {
            let usable = now < expires_at;
            if usable {
                ledger.add(expires_at);
            }
            usable
        };
        match collection {
            Collection::Interactions => self
                .interactions
                .retain(|_, i| keep(i.started_at + INTERACTION_LIFETIME)),
            Collection::Codes => self.codes.retain(|_, c| keep(c.expires_at())),
            Collection::RefreshTokens => self.refresh_tokens.retain(|_, g| keep(g.expires_at)),
            Collection::Sessions => self
                .sessions
                .retain(|_, s| keep(s.last_used + SESSION_LIFETIME)),
            Collection::AccessTokens => self.access_tokens.retain(|_, tokens| {
                tokens.retain(|t| jwt_expiry(t).is_none_or(&mut keep));
                !tokens.is_empty()
            }),
            Collection::RefusedTokens => self
                .refused_tokens
                .retain(|t, _| jwt_expiry(t).is_none_or(&mut keep)),
            Collection::UsedAssertions => self.used_assertions.retain(|_, exp| keep(*exp)),
        }
        self.ledgers[collection as usize] = ledger;
    }

    /// Counts an entry added to `collection`, then sweeps the collections a quarter due.
    fn added(&mut self, collection: Collection, expires_at: i64, now: i64) {
        self.ledgers[collection as usize].add(expires_at);
        for collection in Collection::ALL {
            if self.ledgers[collection as usize].sweep_due(now) {
                self.sweep(collection, now);
            }
        }
    }

    /// Starts the sign-in pages of interaction `ctx`.
    pub fn add_interaction(&mut self, ctx: String, interaction: Interaction, now: i64) {
        let expires_at = interaction.started_at + INTERACTION_LIFETIME;
        self.interactions.insert(ctx, interaction);
        self.added(Collection::Interactions, expires_at, now);
    }

    /// Issues a code for `grant`: random to anyone else, and readable here once forgotten.
    pub fn issue_code(&mut self, grant: CodeGrant, now: i64) -> String {
        let sealed = SealedCode {
            iat: grant.issued_at,
        };
        let code = self.sealing_key.seal(
            SEALED_CODE,
            &serde_json::to_vec(&sealed).expect("a sealed code serializes"),
        );
        let expires_at = grant.expires_at();
        self.codes.insert(code.clone(), grant);
        self.added(Collection::Codes, expires_at, now);
        code
    }

    /// Whether `code` is one this store issued and forgot after its lifetime: such a code
    /// answers AADSTS70008, as it did while kept.
    pub fn forgotten_code_expired(&self, code: &str, now: i64) -> bool {
        self.sealing_key
            .open(SEALED_CODE, code)
            .and_then(|p| serde_json::from_slice::<SealedCode>(&p).ok())
            .is_some_and(|sealed| now - sealed.iat > CODE_LIFETIME)
    }

    /// Issues a refresh token for `grant`: random to anyone else, and readable here once
    /// forgotten.
    pub fn issue_refresh_token(&mut self, grant: RefreshGrant, now: i64) -> String {
        let sealed = SealedRefreshToken {
            exp: grant.expires_at,
            spa: grant.kind == RedirectKind::Spa,
            serial: self.next_serial,
            client_id: grant.client_id.clone(),
            oid: grant.oid.clone(),
        };
        self.next_serial += 1;
        let token = self.sealing_key.seal(
            SEALED_REFRESH_TOKEN,
            &serde_json::to_vec(&sealed).expect("a sealed refresh token serializes"),
        );
        let expires_at = grant.expires_at;
        self.refresh_tokens.insert(token.clone(), grant);
        self.added(Collection::RefreshTokens, expires_at, now);
        token
    }

    /// A refresh token this store issued and forgot after its expiry, as the grant it was:
    /// client, platform (SPA or not), expiry, and whether it was revoked. Its user's tenant,
    /// session and `client_info` are gone, but an expired grant never gets that far. `None` for
    /// anything else.
    pub fn forgotten_refresh_token(&self, token: &str, now: i64) -> Option<RefreshGrant> {
        let sealed: SealedRefreshToken =
            serde_json::from_slice(&self.sealing_key.open(SEALED_REFRESH_TOKEN, token)?).ok()?;
        if now < sealed.exp {
            return None;
        }
        let revoked = self
            .revoked_below
            .get(&sealed.oid)
            .is_some_and(|below| sealed.serial < *below);
        Some(RefreshGrant {
            client_id: sealed.client_id,
            oid: sealed.oid,
            tid: String::new(),
            kind: if sealed.spa {
                RedirectKind::Spa
            } else {
                RedirectKind::Desktop
            },
            expires_at: sealed.exp,
            revoked,
            client_info: false,
            session_id: String::new(),
        })
    }

    /// Revokes every refresh token of user `oid` issued so far, forgotten ones included;
    /// returns how many were kept.
    pub fn revoke_refresh_tokens(&mut self, oid: &str) -> usize {
        let mut revoked = 0;
        for grant in self.refresh_tokens.values_mut().filter(|g| g.oid == oid) {
            grant.revoked = true;
            revoked += 1;
        }
        self.revoked_below.insert(oid.to_owned(), self.next_serial);
        revoked
    }

    /// Remembers an access token issued to user `oid`, valid until `expires_at`, for the
    /// controls that refuse a user's current tokens. Only the latest 64 matter to them.
    pub fn record_access_token(&mut self, oid: &str, token: String, expires_at: i64, now: i64) {
        let tokens = self.access_tokens.entry(oid.to_owned()).or_default();
        tokens.push(token);
        if tokens.len() > 64 {
            tokens.drain(..32);
        }
        self.added(Collection::AccessTokens, expires_at, now);
    }

    /// Makes Graph refuse access token `token` before its expiry.
    pub fn refuse(&mut self, token: String, why: Refusal, now: i64) {
        let expires_at = jwt_expiry(&token);
        self.refused_tokens.insert(token, why);
        if let Some(expires_at) = expires_at {
            self.added(Collection::RefusedTokens, expires_at, now);
        }
    }

    /// Uses the assertion `jti`, good until `expires_at`; `false` if it was used before.
    pub fn use_assertion(&mut self, jti: String, expires_at: i64, now: i64) -> bool {
        if self.used_assertions.contains_key(&jti) {
            return false;
        }
        self.used_assertions.insert(jti, expires_at);
        self.added(Collection::UsedAssertions, expires_at, now);
        true
    }

    /// Session `id`, unless unknown or ended at `now`.
    pub fn live_session(&mut self, id: &str, now: i64) -> Option<&mut Session> {
        self.sessions.get_mut(id).filter(|s| !s.expired(now))
    }

    /// Signs user `oid` in to session `id` at `now`: a new session if it is unknown or ended.
    pub fn sign_in_session(&mut self, id: &str, oid: &str, now: i64) {
        if self.sessions.get(id).is_some_and(|s| s.expired(now)) {
            self.sessions.remove(id);
        }
        let new = !self.sessions.contains_key(id);
        let session = self.sessions.entry(id.to_owned()).or_default();
        session.last_used = now;
        if !session.users.iter().any(|u| u == oid) {
            session.users.push(oid.to_owned());
        }
        if new {
            self.added(Collection::Sessions, now + SESSION_LIFETIME, now);
        }
    }

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

#[cfg(test)]
mod tests;
