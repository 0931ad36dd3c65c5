//! The store forgets what can no longer be used (security review, finding 10). Sign-ins go
//! through the router in-process, the emulator clock moves past Entra's lifetimes, and the
//! collections shrink back, while every expired credential still gets the answer it got before.
//! These tests count entries; memory is measured by `examples/soak.rs`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::keys::s256;
use crate::{EmulatorState, Seed};

const CLIENT_ID: &str = "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61";
const VERIFIER: &str = "a-code-verifier-of-enough-length-for-pkce-0000000000";
const SCOPE: &str = "openid profile offline_access User.Read";
const ADELE: &str = "adele@contoso.onmicrosoft.com";
const NOAH: &str = "noah@contoso.onmicrosoft.com";
const PASSWORD: &str = "Passw0rd!";
const DAY: i64 = 24 * 3600;

/// The app's two platforms in the default seed.
#[derive(Clone, Copy, Debug)]
enum App {
    /// `http://localhost` at any port, redeemed without an `Origin`.
    Desktop,
    /// `http://localhost:1420/`, redeemed cross-origin.
    Spa,
}

impl App {
    fn redirect(self) -> &'static str {
        match self {
            App::Desktop => "http://localhost:5555",
            App::Spa => "http://localhost:1420/",
        }
    }

    fn origin(self) -> Option<&'static str> {
        match self {
            App::Desktop => None,
            App::Spa => Some("http://localhost:1420"),
        }
    }
}

/// One answer: status, `Location`, the `ESTSAUTH` cookie set, and the body.
struct Answer {
    status: StatusCode,
    location: Option<String>,
    session_cookie: Option<String>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The AADSTS number of an error answer.
    fn aadsts(&self) -> Option<u64> {
        self.json()["error_codes"][0].as_u64()
    }
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    let session_cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("ESTSAUTH="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        location,
        session_cookie,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get(uri).header(header::HOST, "localhost");
    if let Some(session) = cookie {
        request = request.header(header::COOKIE, format!("ESTSAUTH={session}"));
    }
    request.body(Body::empty()).unwrap()
}

fn post(path: &str, fields: &[(&str, &str)], origin: Option<&str>) -> Request<Body> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut request = Request::post(path)
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    request.body(Body::from(body)).unwrap()
}

fn control(path: &str, body: Value) -> Request<Body> {
    Request::post(format!("/_emulator/{path}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// The interaction id in a sign-in page's form.
fn ctx(page: &str) -> String {
    let start = page
        .find(r#"name="ctx" value=""#)
        .unwrap_or_else(|| panic!("no ctx in the page: {page}"))
        + r#"name="ctx" value=""#.len();
    page[start..].split('"').next().unwrap().to_owned()
}

fn authorize_url(app: App) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("client_id", CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", app.redirect()),
            ("scope", SCOPE),
            ("state", "s"),
            ("nonce", "n"),
            ("code_challenge", &s256(VERIFIER)),
            ("code_challenge_method", "S256"),
        ])
        .finish();
    format!("/common/oauth2/v2.0/authorize?{query}")
}

/// What a full sign-in leaves the client with.
struct SignIn {
    code: String,
    session: String,
    refresh_token: String,
    rotated: String,
}

/// A full sign-in from a fresh browser: authorize, username, password, "Stay signed in?" (Yes),
/// consent when asked, the code, its redemption, and one refresh.
async fn sign_in(router: &Router, app: App, username: &str) -> SignIn {
    let page = send(router, get(&authorize_url(app), None)).await;
    let ctx = ctx(&page.body);
    let c = ctx.as_str();
    let fields = [("ctx", c), ("step", "username"), ("loginfmt", username)];
    let page = send(router, post("/common/login", &fields, None)).await;
    assert!(
        page.body.contains("i0118"),
        "the password page: {}",
        page.body
    );
    let fields = [
        ("ctx", c),
        ("step", "password"),
        ("loginfmt", username),
        ("passwd", PASSWORD),
    ];
    send(router, post("/common/login", &fields, None)).await;
    let mut done = send(
        router,
        post("/common/kmsi", &[("ctx", c), ("kmsi", "yes")], None),
    )
    .await;
    if done.location.is_none() {
        let fields = [("ctx", c), ("decision", "accept")];
        done = send(router, post("/common/consent", &fields, None)).await;
    }
    redeem_and_refresh(router, app, &done).await
}

/// From the redirect back to the client: the code, its redemption, and one refresh.
async fn redeem_and_refresh(router: &Router, app: App, done: &Answer) -> SignIn {
    let location = done
        .location
        .as_deref()
        .unwrap_or_else(|| panic!("no redirect: {}", done.body));
    let code = url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no code in {location}"));
    let tokens = redeem(router, app, &code).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.body);
    let refresh_token = tokens.json()["refresh_token"].as_str().unwrap().to_owned();
    let rotated = refresh(router, app.origin(), &refresh_token).await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    SignIn {
        code,
        session: done.session_cookie.clone().expect("the session cookie"),
        refresh_token,
        rotated: rotated.json()["refresh_token"].as_str().unwrap().to_owned(),
    }
}

async fn redeem(router: &Router, app: App, code: &str) -> Answer {
    let fields = [
        ("client_id", CLIENT_ID),
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", app.redirect()),
        ("code_verifier", VERIFIER),
    ];
    send(
        router,
        post("/common/oauth2/v2.0/token", &fields, app.origin()),
    )
    .await
}

async fn refresh(router: &Router, origin: Option<&str>, token: &str) -> Answer {
    let fields = [
        ("client_id", CLIENT_ID),
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
        ("scope", SCOPE),
    ];
    send(router, post("/common/oauth2/v2.0/token", &fields, origin)).await
}

fn emulator() -> (Arc<EmulatorState>, Router) {
    let state = Arc::new(EmulatorState::new(Seed::default_seed(), false));
    let router = crate::app_with(state.clone());
    (state, router)
}

/// The sizes of the collections that grow with sign-ins, by name.
fn sizes(state: &EmulatorState) -> Vec<(&'static str, usize)> {
    let store = state.store();
    vec![
        ("interactions", store.interactions.len()),
        ("codes", store.codes.len()),
        ("refresh_tokens", store.refresh_tokens.len()),
        ("sessions", store.sessions.len()),
        (
            "access_tokens",
            store.access_tokens.values().map(Vec::len).sum(),
        ),
        ("refused_tokens", store.refused_tokens.len()),
        ("used_assertions", store.used_assertions.len()),
    ]
}

fn size(state: &EmulatorState, name: &str) -> usize {
    sizes(state)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, n)| n)
        .unwrap()
}

/// Finding 10: codes, refresh tokens, access tokens, refused tokens and sessions used to stay
/// forever. Once the clock has passed every lifetime, the next sign-in finds only itself.
#[tokio::test]
async fn expired_codes_tokens_and_sessions_are_forgotten() {
    let (state, router) = emulator();
    for i in 0..200 {
        let app = if i % 2 == 0 { App::Desktop } else { App::Spa };
        sign_in(&router, app, ADELE).await;
        state.advance_clock(1);
    }
    send(
        &router,
        control("expire-tokens", json!({ "username": ADELE })),
    )
    .await;
    assert_eq!(size(&state, "codes"), 200);
    assert_eq!(size(&state, "refresh_tokens"), 400);
    assert_eq!(size(&state, "sessions"), 200);
    assert!(size(&state, "refused_tokens") > 0);

    // Past the longest lifetime: 90 days for desktop refresh tokens and sessions.
    state.advance_clock(91 * DAY);
    sign_in(&router, App::Desktop, ADELE).await;
    for (name, expected) in [
        ("interactions", 0),
        ("codes", 1),
        ("refresh_tokens", 2),
        ("sessions", 1),
        ("access_tokens", 2),
        ("refused_tokens", 0),
        ("used_assertions", 0),
    ] {
        assert_eq!(size(&state, name), expected, "{name}");
    }
}

/// What was forgotten answers as it did when it was kept: an expired code AADSTS70008, an
/// expired refresh token AADSTS700082 (desktop) or 700084 (SPA), a revoked one AADSTS70008,
/// and the origin rules first; what the emulator never issued (or forgot in a reset)
/// AADSTS9002313.
#[tokio::test]
async fn forgotten_grants_answer_as_expired_ones_do() {
    let (state, router) = emulator();
    let desktop = sign_in(&router, App::Desktop, ADELE).await;
    let spa = sign_in(&router, App::Spa, ADELE).await;
    let revoked = sign_in(&router, App::Desktop, NOAH).await;
    send(&router, control("revoke", json!({ "username": NOAH }))).await;
    let after_revocation = sign_in(&router, App::Desktop, NOAH).await;

    state.advance_clock(91 * DAY);
    // Sign-ins after the lifetimes let the store forget the others.
    sign_in(&router, App::Desktop, ADELE).await;
    sign_in(&router, App::Spa, ADELE).await;

    for code in [&desktop.code, &revoked.code] {
        assert_eq!(
            redeem(&router, App::Desktop, code).await.aadsts(),
            Some(70008)
        );
    }
    assert_eq!(
        redeem(&router, App::Spa, &spa.code).await.aadsts(),
        Some(70008)
    );
    for token in [&desktop.refresh_token, &desktop.rotated] {
        assert_eq!(refresh(&router, None, token).await.aadsts(), Some(700082));
    }
    let origin = App::Spa.origin();
    for token in [&spa.refresh_token, &spa.rotated] {
        assert_eq!(refresh(&router, origin, token).await.aadsts(), Some(700084));
    }
    for token in [&revoked.refresh_token, &revoked.rotated] {
        assert_eq!(refresh(&router, None, token).await.aadsts(), Some(70008));
    }
    let token = &after_revocation.refresh_token;
    assert_eq!(refresh(&router, None, token).await.aadsts(), Some(700082));
    // The origin rules come before the expiry, as for a kept token.
    let token = &spa.refresh_token;
    assert_eq!(refresh(&router, None, token).await.aadsts(), Some(9002327));
    let token = &desktop.refresh_token;
    assert_eq!(
        refresh(&router, origin, token).await.aadsts(),
        Some(9002326)
    );
    assert_eq!(
        refresh(&router, None, "forged").await.aadsts(),
        Some(9002313)
    );
    let answer = redeem(&router, App::Desktop, "forged").await;
    assert_eq!(answer.aadsts(), Some(9002313));

    send(&router, control("reset", json!({}))).await;
    let token = &desktop.refresh_token;
    assert_eq!(refresh(&router, None, token).await.aadsts(), Some(9002313));
    let answer = redeem(&router, App::Desktop, &desktop.code).await;
    assert_eq!(answer.aadsts(), Some(9002313));
}

/// The SSO session lasts 90 days after its last sign-in (Entra's default sign-in frequency, a
/// rolling window of 90 days); then the browser is asked for its username again.
#[tokio::test]
async fn a_session_ends_90_days_after_its_last_sign_in() {
    let (state, router) = emulator();
    let first = sign_in(&router, App::Desktop, ADELE).await;
    // SSO: no page, straight back to the client.
    for _ in 0..3 {
        state.advance_clock(89 * DAY);
        let sso = send(
            &router,
            get(&authorize_url(App::Desktop), Some(&first.session)),
        )
        .await;
        assert_eq!(sso.status, StatusCode::FOUND, "{}", sso.body);
        redeem_and_refresh(&router, App::Desktop, &sso).await;
    }
    state.advance_clock(90 * DAY);
    let page = send(
        &router,
        get(&authorize_url(App::Desktop), Some(&first.session)),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("i0116"), "the username page");
}

/// Part of the soak, as a test: 2,000 full sign-ins from fresh browsers, half desktop and half
/// SPA, the clock moving two hours per sign-in (so that even the 90-day lifetimes pass during
/// the run). No collection grows past what is still usable (with the slack the amortised sweep
/// allows), and once the clock has passed every lifetime, the store is back to one sign-in.
#[tokio::test]
async fn two_thousand_sign_ins_keep_the_store_bounded() {
    const SIGN_INS: usize = 2_000;
    const STEP: i64 = 2 * 3600;
    let (state, router) = emulator();
    // What is still usable at any time, per collection: sign-ins within the lifetime, times
    // the entries each leaves.
    let within = |lifetime: i64| (lifetime / STEP + 1) as usize;
    let usable = [
        ("interactions", 0),
        ("codes", within(600)),
        // Desktop: the redeemed and the rotated token for 90 days; SPA: both for 24 hours.
        ("refresh_tokens", within(90 * DAY) + within(DAY)),
        ("sessions", within(90 * DAY)),
        ("access_tokens", 2 * within(90 * 60)),
        ("refused_tokens", 0),
        ("used_assertions", 0),
    ];
    let mut largest = vec![0; usable.len()];
    for i in 0..SIGN_INS {
        let app = if i % 2 == 0 { App::Desktop } else { App::Spa };
        sign_in(&router, app, ADELE).await;
        for (k, (_, n)) in sizes(&state).into_iter().enumerate() {
            largest[k] = largest[k].max(n);
        }
        state.advance_clock(STEP);
    }
    for ((name, usable), largest) in usable.iter().zip(&largest) {
        // A sweep runs once a quarter of the entries are due.
        let bound = usable * 4 / 3 + 8;
        assert!(
            *largest <= bound,
            "{name}: up to {largest} entries, {usable} usable"
        );
    }
    state.advance_clock(91 * DAY);
    sign_in(&router, App::Spa, ADELE).await;
    assert_eq!(size(&state, "codes"), 1);
    assert_eq!(size(&state, "refresh_tokens"), 2);
    assert_eq!(size(&state, "sessions"), 1);
    assert_eq!(size(&state, "access_tokens"), 2);
    assert_eq!(size(&state, "interactions"), 0);
}

/// Used assertions and refused access tokens go at their `exp`, after which the checks before
/// them refuse the assertion or the token anyway.
#[test]
fn used_assertions_and_refused_tokens_go_at_their_expiry() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    use super::{Refusal, Store};

    let token = |exp: i64| {
        let claims = URL_SAFE_NO_PAD.encode(json!({ "exp": exp }).to_string());
        format!("header.{claims}.signature")
    };
    let mut store = Store::default();
    let now = 1_700_000_000;
    assert!(store.use_assertion("first".into(), now + 300, now));
    assert!(
        !store.use_assertion("first".into(), now + 300, now),
        "good once"
    );
    store.refuse(token(now + 3600), Refusal::Expired, now);

    let later = now + 2 * 3600;
    assert!(store.use_assertion("second".into(), later + 300, later));
    store.refuse(token(later + 3600), Refusal::Expired, later);
    assert_eq!(store.used_assertions.keys().collect::<Vec<_>>(), ["second"]);
    assert_eq!(store.refused_tokens.len(), 1);
    assert!(store.refused_tokens.contains_key(&token(later + 3600)));
}
