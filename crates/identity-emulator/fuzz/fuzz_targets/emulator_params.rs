//! The emulator's request parameters: arbitrary query strings, form bodies, `Host` headers, tenant
//! path segments and bearer tokens, sent in-process to the router (`identity_emulator::app_with`)
//! at the authorize, token, logout, sign-in form, Graph and discovery endpoints, and given
//! directly to `params` (`Params::parse`, `Scopes::parse`, `valid_host`, `base_url`).
//!
//! Never a panic; never a 5xx (none is injected: the emulator answers 5xx only for injected
//! faults); never a `text/plain` 4xx (`guard` gives every refusal its endpoint's shape); and
//! `base_url` always parses as a URL.
//!
//! Input: a selector byte, then up to three `\n`-separated parts. One part: the payload; two:
//! `Host` and the payload; three: `Host`, the tenant segment (a Graph call's bearer token; also the
//! `client-request-id` given to `client_request_id`), and the payload (which may hold more `\n`).
//! The payload is the query of a GET or the body of a POST. The selector's low four bits choose
//! the endpoint; bit 4 sends the SSO cookie of a session with two users, bit 5 an `Origin`, bit 6
//! a POST body that is not a form, bit 7 no bearer token.
//!
//! The state is reset before every input, then given known sign-ins in progress (`ctx=fuzz-ctx`,
//! and `fuzz-ctx-user` past the password), a code (`fuzz-code`, verifier `fuzz-verifier`), a
//! refresh token (`fuzz-refresh`) and a session, so that inputs can reach past the lookups (seeds
//! in `seeds/emulator_params/`).
#![no_main]

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use axum::Router;
use identity_emulator::authorize::SESSION_COOKIE;
use identity_emulator::keys::s256;
use identity_emulator::mint::{self, Grant};
use identity_emulator::params::{base_url, client_request_id, valid_host, Params, Scopes};
use identity_emulator::seed::RedirectKind;
use identity_emulator::state::{
    AuthRequest, CodeGrant, Interaction, RefreshGrant, ResponseMode, Session,
};
use identity_emulator::{app_with, EmulatorState, Seed};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const CLIENT_ID: &str = "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61";
const REDIRECT_URI: &str = "http://localhost:5555/";
const ADELE: &str = "adele@contoso.onmicrosoft.com";
const SAM: &str = "sam.rivera@outlook.example";

struct Harness {
    runtime: tokio::runtime::Runtime,
    state: Arc<EmulatorState>,
    app: Router,
    /// A Graph access token for Adele (User.Read, Mail.Read), and when it was minted.
    token: Mutex<(String, Instant)>,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let state = Arc::new(EmulatorState::new(Seed::default_seed(), false));
        let app = app_with(state.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let token = Mutex::new((graph_token(&state), Instant::now()));
        Harness {
            runtime,
            state,
            app,
            token,
        }
    })
}

fn graph_token(state: &EmulatorState) -> String {
    let user = state.seed.user_by_name(ADELE).expect("Adele is seeded");
    let grant = Grant {
        user,
        client_id: CLIENT_ID,
        graph_scopes: vec!["User.Read".into(), "Mail.Read".into()],
        openid: false,
        nonce: None,
        session_id: "fuzz-session",
        client_info: false,
    };
    mint::access_token(state, &grant, state.now()).0
}

fn oid(state: &EmulatorState, username: &str) -> String {
    state
        .seed
        .user_by_name(username)
        .expect("seeded")
        .oid
        .clone()
}

/// Back to the seed, with a sign-in in progress, a code, a refresh token and a session.
fn install_fixtures(state: &EmulatorState) {
    state.reset();
    let now = state.now();
    let (adele, sam) = (oid(state, ADELE), oid(state, SAM));
    let request = AuthRequest {
        tenant: "common".into(),
        client_id: CLIENT_ID.into(),
        redirect_uri: REDIRECT_URI.into(),
        redirect_kind: RedirectKind::Desktop,
        response_mode: ResponseMode::Query,
        scopes: [
            "openid",
            "profile",
            "offline_access",
            "User.Read",
            "Mail.Read",
        ]
        .map(String::from)
        .to_vec(),
        state: Some("s".into()),
        nonce: Some("n".into()),
        prompt: None,
        login_hint: None,
        code_challenge: Some((s256("fuzz-verifier"), "S256".into())),
        client_info: true,
    };
    let mut store = state.store();
    store
        .interactions
        .insert("fuzz-ctx".into(), Interaction::new(request.clone(), now));
    let mut signed_in = Interaction::new(request.clone(), now);
    signed_in.user = Some(adele.clone());
    signed_in.password_given = true;
    store.interactions.insert("fuzz-ctx-user".into(), signed_in);
    store.codes.insert(
        "fuzz-code".into(),
        CodeGrant {
            request,
            oid: adele.clone(),
            issued_at: now,
            redeemed: false,
            session_id: "fuzz-session".into(),
        },
    );
    let tid = state
        .seed
        .user_by_name(ADELE)
        .expect("seeded")
        .tenant
        .clone();
    store.refresh_tokens.insert(
        "fuzz-refresh".into(),
        RefreshGrant {
            client_id: CLIENT_ID.into(),
            oid: adele.clone(),
            tid,
            kind: RedirectKind::Desktop,
            expires_at: now + 3600,
            revoked: false,
            client_info: true,
            session_id: "fuzz-session".into(),
        },
    );
    store.sessions.insert(
        "fuzz-session".into(),
        Session {
            users: vec![adele.clone(), sam],
            last_used: now,
        },
    );
    store.consents.insert(
        (adele, CLIENT_ID.into()),
        ["User.Read", "Mail.Read"].map(String::from).into(),
    );
}

/// `bytes` as a query: what no URI may hold is percent-encoded (raw UTF-8 is kept when the whole
/// input is UTF-8, as a server would pass it on).
fn query_of(bytes: &[u8]) -> String {
    let utf8 = std::str::from_utf8(bytes).is_ok();
    let mut out = String::with_capacity(bytes.len());
    let mut raw = Vec::new();
    for &b in bytes {
        if b <= b' ' || b == 0x7f || b == b'#' || (b >= 0x80 && !utf8) {
            out.push_str(&String::from_utf8_lossy(&raw));
            raw.clear();
            out.push_str(&format!("%{b:02X}"));
        } else {
            raw.push(b);
        }
    }
    out.push_str(&String::from_utf8_lossy(&raw));
    out
}

/// `bytes` as one path segment: `%` stays (so that bad escapes reach the extractor), separators
/// and whatever else no path may hold are percent-encoded.
fn segment_of(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_graphic() && !b"/?#\\".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let parts: Vec<&[u8]> = rest.splitn(3, |b| *b == b'\n').collect();
    let (host, extra, payload) = match parts.as_slice() {
        [payload] => (None, None, *payload),
        [host, payload] => (Some(*host), None, *payload),
        [host, extra, payload] => (Some(*host), Some(*extra), *payload),
        _ => unreachable!("splitn gives one to three parts"),
    };
    let harness = harness();

    // The parameter functions, directly.
    let _ = Params::parse(payload);
    if let Ok(text) = std::str::from_utf8(payload) {
        let _ = Scopes::parse(text);
    }
    let host_value = host.and_then(|h| HeaderValue::from_bytes(h).ok());
    if let Some(h) = host.and_then(|h| std::str::from_utf8(h).ok()) {
        let _ = valid_host(h);
    }
    let mut headers = HeaderMap::new();
    if let Some(value) = &host_value {
        headers.insert(header::HOST, value.clone());
    }
    if let Some(value) = extra.and_then(|e| HeaderValue::from_bytes(e).ok()) {
        headers.insert("client-request-id", value);
    }
    let _ = client_request_id(&headers);
    for tls in [false, true] {
        let base = base_url(&headers, tls);
        assert!(url::Url::parse(&base).is_ok(), "base_url gave {base:?}");
    }

    // The endpoints.
    let tenant = extra.map_or_else(|| "common".to_owned(), segment_of);
    let query = query_of(payload);
    let (method, path) = match selector & 0x0f {
        0 => (
            Method::GET,
            format!("/{tenant}/oauth2/v2.0/authorize?{query}"),
        ),
        1 => (Method::POST, format!("/{tenant}/oauth2/v2.0/authorize")),
        2 => (Method::POST, format!("/{tenant}/oauth2/v2.0/token")),
        3 => (Method::GET, format!("/{tenant}/oauth2/v2.0/logout?{query}")),
        4 => (Method::POST, format!("/{tenant}/oauth2/v2.0/logout")),
        5 => (Method::POST, format!("/{tenant}/oauth2/v2.0/logoutsession")),
        6 => (Method::POST, format!("/{tenant}/login")),
        7 => (Method::POST, format!("/{tenant}/consent")),
        8 => (Method::POST, format!("/{tenant}/pick")),
        9 => (Method::POST, format!("/{tenant}/kmsi")),
        10 => (Method::POST, format!("/{tenant}/interrupt")),
        11 if extra.is_some() => (Method::POST, format!("/{tenant}/federation/oauth2msa")),
        11 => (Method::POST, "/login.srf".to_owned()),
        12 => (Method::GET, format!("/v1.0/me?{query}")),
        13 => (Method::GET, format!("/v1.0/me/messages?{query}")),
        14 => (Method::GET, format!("/common/discovery/instance?{query}")),
        _ if extra.is_some() => (Method::GET, format!("/{tenant}/discovery/v2.0/keys")),
        _ => (
            Method::GET,
            format!("/{tenant}/v2.0/.well-known/openid-configuration?{query}"),
        ),
    };
    let Ok(uri) = Uri::try_from(path) else {
        return;
    };
    let graph = uri.path().starts_with("/v1.0/");
    let mut request = Request::builder().method(method.clone()).uri(uri);
    if let Some(value) = host_value {
        request = request.header(header::HOST, value);
    }
    if selector & 0x10 != 0 {
        request = request.header(header::COOKIE, format!("{SESSION_COOKIE}=fuzz-session"));
    }
    if selector & 0x20 != 0 {
        request = request.header(header::ORIGIN, "http://localhost:1420");
    }
    if graph && selector & 0x80 == 0 {
        let token = match extra {
            Some(e) => String::from_utf8_lossy(e).into_owned(),
            None => {
                let mut token = harness.token.lock().unwrap_or_else(|p| p.into_inner());
                if token.1.elapsed() > Duration::from_secs(600) {
                    *token = (graph_token(&harness.state), Instant::now());
                }
                token.0.clone()
            }
        };
        if let Ok(value) = HeaderValue::try_from(format!("Bearer {token}")) {
            request = request.header(header::AUTHORIZATION, value);
        }
    }
    let body = if method == Method::POST {
        if selector & 0x40 == 0 {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        Body::from(payload.to_vec())
    } else {
        Body::empty()
    };
    let request = request.body(body).expect("a request");

    install_fixtures(&harness.state);
    let response = harness
        .runtime
        .block_on(harness.app.clone().oneshot(request))
        .expect("the router is infallible");
    let status = response.status();
    assert!(
        !status.is_server_error(),
        "{status} for {method} {:?}",
        String::from_utf8_lossy(data)
    );
    if status.is_client_error() && status != StatusCode::METHOD_NOT_ALLOWED {
        let plain = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
        assert!(!plain, "a text/plain {status}");
    }
});
