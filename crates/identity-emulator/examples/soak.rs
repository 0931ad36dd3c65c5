//! Soak: many full sign-ins against the emulator, with the process's memory and the sizes of the
//! store's collections before, at each quarter, and after (security review, finding 10).
//!
//! `cargo run --release -p identity-emulator --example soak -- [SIGN_INS] [SECONDS_PER_SIGN_IN]`
//! (defaults: 100000 and 300).
//!
//! The emulator serves on 127.0.0.1:0, as in `benches/throughput.rs`, and a reqwest client in the
//! same process drives each sign-in as a browser with no cookie would: authorize, username,
//! password, "Stay signed in?", consent when asked, and the redirect with the code; then, as the
//! app does, it redeems the code and refreshes once. Sign-ins alternate between the desktop and
//! the SPA redirect URI, and between two work accounts; every hundredth sign-in the control that
//! expires a user's access tokens runs, so refused tokens pile up too.
//!
//! After each sign-in the emulator clock moves forward SECONDS_PER_SIGN_IN, as time passes
//! between sign-ins. The default spreads the run over more than the longest lifetime (90 days,
//! desktop refresh tokens and sessions), so every kind of entry both piles up and expires during
//! it. Sign-ins run one at a time: the clock must not jump between a code and its redemption.
//! At the end the clock moves past every lifetime and one more sign-in runs.
//!
//! Memory is the process's: `VmRSS` (resident now) and `VmHWM` (its peak) from
//! `/proc/self/status`, Linux only.

use std::sync::Arc;
use std::time::Instant;

use identity_emulator::keys::s256;
use identity_emulator::{EmulatorState, Seed};
use reqwest::header::{LOCATION, ORIGIN};
use reqwest::redirect::Policy;
use serde_json::Value;

const CLIENT_ID: &str = "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61";
const USERS: [&str; 2] = [
    "adele@contoso.onmicrosoft.com",
    "noah@contoso.onmicrosoft.com",
];
const PASSWORD: &str = "Passw0rd!";
const SCOPE: &str = "openid profile offline_access User.Read";
const VERIFIER: &str = "a-code-verifier-of-enough-length-for-pkce-0000000000";
const DAY: i64 = 24 * 3600;

/// A redirect URI of the default seed, and the `Origin` its code is redeemed from.
struct App {
    redirect: &'static str,
    origin: Option<&'static str>,
}

const DESKTOP: App = App {
    redirect: "http://localhost:5555",
    origin: None,
};
const SPA: App = App {
    redirect: "http://localhost:1420/",
    origin: Some("http://localhost:1420"),
};

struct Driver {
    client: reqwest::Client,
    base: String,
    authorize: [String; 2],
}

impl Driver {
    fn new(base: String) -> Self {
        let authorize = [&DESKTOP, &SPA].map(|app| {
            let query = form_urlencoded::Serializer::new(String::new())
                .extend_pairs([
                    ("client_id", CLIENT_ID),
                    ("response_type", "code"),
                    ("redirect_uri", app.redirect),
                    ("scope", SCOPE),
                    ("state", "soak"),
                    ("nonce", "soak"),
                    ("code_challenge", &s256(VERIFIER)),
                    ("code_challenge_method", "S256"),
                ])
                .finish();
            format!("{base}/common/oauth2/v2.0/authorize?{query}")
        });
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .expect("a reqwest client");
        Self {
            client,
            base,
            authorize,
        }
    }

    async fn post(&self, path: &str, form: &[(&str, &str)], origin: Option<&str>) -> Page {
        let mut request = self.client.post(format!("{}{path}", self.base)).form(form);
        if let Some(origin) = origin {
            request = request.header(ORIGIN, origin);
        }
        Page::of(request.send().await.expect("the emulator answers")).await
    }

    /// One full sign-in of `user` through `app` (0: desktop, 1: SPA).
    async fn sign_in(&self, app: usize, user: &str) {
        let &App { redirect, origin } = [&DESKTOP, &SPA][app];
        let page = self.client.get(&self.authorize[app]).send().await;
        let page = Page::of(page.expect("the emulator answers")).await;
        let ctx = page.ctx();
        let c = ctx.as_str();
        let fields = [("ctx", c), ("step", "username"), ("loginfmt", user)];
        self.post("/common/login", &fields, None).await;
        let fields = [
            ("ctx", c),
            ("step", "password"),
            ("loginfmt", user),
            ("passwd", PASSWORD),
        ];
        self.post("/common/login", &fields, None).await;
        let mut done = self
            .post("/common/kmsi", &[("ctx", c), ("kmsi", "yes")], None)
            .await;
        if done.location.is_none() {
            let fields = [("ctx", c), ("decision", "accept")];
            done = self.post("/common/consent", &fields, None).await;
        }
        let location = done
            .location
            .unwrap_or_else(|| panic!("no redirect to the client: {}", done.body));
        let code = url::Url::parse(&location)
            .expect("a redirect URL")
            .query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| panic!("no code in {location}"));
        let fields = [
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", VERIFIER),
        ];
        let tokens = self
            .post("/common/oauth2/v2.0/token", &fields, origin)
            .await
            .json();
        let refresh_token = tokens["refresh_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no refresh token: {tokens}"));
        let fields = [
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("scope", SCOPE),
        ];
        let refreshed = self
            .post("/common/oauth2/v2.0/token", &fields, origin)
            .await
            .json();
        assert!(refreshed["access_token"].is_string(), "{refreshed}");
    }

    /// `POST /_emulator/expire-tokens` for `user`.
    async fn expire_tokens(&self, user: &str) {
        let response = self
            .client
            .post(format!("{}/_emulator/expire-tokens", self.base))
            .json(&serde_json::json!({ "username": user }))
            .send()
            .await
            .expect("the emulator answers");
        assert!(response.status().is_success());
    }
}

struct Page {
    location: Option<String>,
    body: String,
}

impl Page {
    async fn of(response: reqwest::Response) -> Self {
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let status = response.status();
        let body = response.text().await.expect("a body");
        assert!(
            status.is_success() || status.is_redirection(),
            "{status}: {body}"
        );
        Self { location, body }
    }

    fn ctx(&self) -> String {
        let marker = r#"name="ctx" value=""#;
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no ctx in the page: {}", self.body))
            + marker.len();
        self.body[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// `VmRSS` and `VmHWM` of this process, in KiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn header() {
    println!(
        "{:<16} {:>8} {:>7} {:>9} {:>9} | {:>5} {:>5} {:>7} {:>7} {:>6} {:>7} {:>6} {:>6}",
        "checkpoint",
        "sign-ins",
        "days",
        "RSS MiB",
        "peak MiB",
        "pages",
        "codes",
        "refresh",
        "session",
        "access",
        "refused",
        "assert",
        "issued"
    );
}

fn checkpoint(label: &str, done: usize, state: &EmulatorState, start: i64) {
    let (rss, hwm) = memory();
    let days = (state.now() - start) as f64 / DAY as f64;
    let store = state.store();
    println!(
        "{label:<16} {done:>8} {days:>7.1} {:>9.1} {:>9.1} | {:>5} {:>5} {:>7} {:>7} {:>6} {:>7} {:>6} {:>6}",
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0,
        store.interactions.len(),
        store.codes.len(),
        store.refresh_tokens.len(),
        store.sessions.len(),
        store.access_tokens.values().map(Vec::len).sum::<usize>(),
        store.refused_tokens.len(),
        store.used_assertions.len(),
        store.issued.len(),
    );
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let sign_ins: usize = args
        .next()
        .map_or(100_000, |a| a.parse().expect("SIGN_INS"));
    let step: i64 = args
        .next()
        .map_or(300, |a| a.parse().expect("SECONDS_PER_SIGN_IN"));

    let state = Arc::new(EmulatorState::new(Seed::default_seed(), false));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    tokio::spawn(identity_emulator::serve(
        listener,
        identity_emulator::app_with(state.clone()),
        std::future::pending(),
    ));
    let driver = Driver::new(base);

    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "soak: {sign_ins} sign-ins, the clock {step} s forward after each; {cpu}, {cores} cores"
    );
    header();
    let start = state.now();
    checkpoint("before", 0, &state, start);
    let quarters = [sign_ins / 4, sign_ins / 2, sign_ins * 3 / 4];
    let began = Instant::now();
    for i in 0..sign_ins {
        let user = USERS[(i / 2) % USERS.len()];
        driver.sign_in(i % 2, user).await;
        if i % 100 == 99 {
            driver.expire_tokens(user).await;
        }
        state.advance_clock(step);
        if let Some(q) = quarters.iter().position(|&q| q == i + 1) {
            checkpoint(&format!("{}%", 25 * (q + 1)), i + 1, &state, start);
        }
    }
    let elapsed = began.elapsed();
    checkpoint("after", sign_ins, &state, start);
    // Past every lifetime, one more sign-in lets the store forget the rest.
    state.advance_clock(91 * DAY);
    driver.sign_in(0, USERS[0]).await;
    checkpoint("+91 days, 1 more", sign_ins + 1, &state, start);
    println!(
        "{sign_ins} sign-ins in {:.1} s: {:.0} sign-ins/s (each: 4 or 5 page requests, a code \
         redemption and a refresh; one at a time)",
        elapsed.as_secs_f64(),
        sign_ins as f64 / elapsed.as_secs_f64()
    );
}
