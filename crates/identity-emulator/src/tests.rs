use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::params::Scopes;
use crate::seed::{RedirectKind, Seed};

#[tokio::test]
async fn health_answers_ok_in_process() {
    let response = super::app()
        .oneshot(
            Request::get("/_emulator/health")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], br#"{"status":"ok"}"#);
}

#[tokio::test]
async fn controls_refuse_clients_that_are_not_on_loopback() {
    let mut request = Request::post("/_emulator/reset")
        .body(Body::empty())
        .unwrap();
    let remote: SocketAddr = "192.0.2.7:50000".parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(remote));
    let response = super::app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let mut request = Request::post("/_emulator/reset")
        .body(Body::empty())
        .unwrap();
    let local: SocketAddr = "127.0.0.1:50000".parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(local));
    let response = super::app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

/// Issue 15, finding 1: a web page in the user's browser reaches 127.0.0.1 too, so the
/// controls refuse any request that carries an `Origin` (a page's fetch or form) or a `Host`
/// that is not loopback (DNS rebinding), and never answer CORS.
#[tokio::test]
async fn controls_refuse_web_pages_and_answer_no_cors() {
    // A request from 127.0.0.1 with these headers.
    let send = |method: &str, path: &str, headers: &[(&str, &str)]| {
        let mut request = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request.body(Body::empty()).unwrap();
        let local: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(local));
        super::app().oneshot(request)
    };
    let page = [
        ("host", "localhost:4123"),
        ("origin", "https://attacker.example"),
    ];
    let tokens = send("GET", "/_emulator/tokens", &page).await.unwrap();
    assert_eq!(tokens.status(), StatusCode::FORBIDDEN);
    assert!(tokens
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    let preflight = [
        page[0],
        page[1],
        ("access-control-request-method", "POST"),
        ("access-control-request-headers", "content-type"),
    ];
    let preflight = send("OPTIONS", "/_emulator/clock", &preflight)
        .await
        .unwrap();
    assert!(preflight
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    let rebound = [("host", "attacker.example:4123")];
    let rebound = send("GET", "/_emulator/tokens", &rebound).await.unwrap();
    assert_eq!(rebound.status(), StatusCode::FORBIDDEN);

    for host in [
        "localhost:4123",
        "127.0.0.1:4123",
        "[::1]:4123",
        "localhost",
    ] {
        let ok = send("GET", "/_emulator/clock", &[("host", host)])
            .await
            .unwrap();
        assert_eq!(ok.status(), StatusCode::OK, "{host}");
    }

    // The protocol's endpoints still answer CORS, as Entra's do for SPAs.
    let spa = [
        ("host", "localhost:4123"),
        ("origin", "http://localhost:3000"),
    ];
    let keys = send("GET", "/common/discovery/v2.0/keys", &spa)
        .await
        .unwrap();
    assert_eq!(
        keys.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );
}

/// Issue 15, finding 1: a clock offset of `i64::MAX` made every later `now()` overflow (a panic
/// in every handler of a debug build). Offsets beyond ten years are refused.
#[tokio::test]
async fn the_clock_refuses_an_offset_it_cannot_hold() {
    let state = std::sync::Arc::new(crate::EmulatorState::new(Seed::default_seed(), false));
    let advance = |seconds: i64| {
        let state = state.clone();
        async move {
            super::app_with(state)
                .oneshot(
                    Request::post("/_emulator/clock")
                        .header("content-type", "application/json")
                        .body(Body::from(format!(r#"{{"seconds":{seconds}}}"#)))
                        .unwrap(),
                )
                .await
                .unwrap()
        }
    };
    let before = state.now();
    assert_eq!(advance(i64::MAX).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(advance(i64::MIN).await.status(), StatusCode::BAD_REQUEST);
    assert!(state.now() - before < 5, "the clock did not move");
    assert_eq!(advance(3600).await.status(), StatusCode::OK);
    assert!(state.now() - before >= 3600);
    // Steps that add up beyond the bound are refused too.
    for _ in 0..3 {
        advance(crate::state::MAX_CLOCK_OFFSET / 2).await;
    }
    assert!(state.now() - before <= crate::state::MAX_CLOCK_OFFSET + 5);
}

#[test]
fn the_default_seed_has_what_the_app_shows() {
    let seed = Seed::default_seed();
    let adele = seed
        .user_by_name("ADELE@contoso.onmicrosoft.com")
        .expect("case-insensitive lookup");
    assert!(adele.job_title.is_some() && adele.mail.is_some() && adele.mobile_phone.is_some());
    assert!(adele.office_location.is_some());
    let mailbox = &seed.mailboxes[&adele.oid];
    assert!(mailbox.len() >= 25);
    assert!(
        mailbox.windows(2).all(|w| w[0].received >= w[1].received),
        "newest first"
    );
    assert!(mailbox
        .iter()
        .any(|m| m.subject == "<img src=x onerror=alert(1)>" && m.body_type == "html"));
    let sam = seed.user_by_name("sam.rivera@outlook.example").unwrap();
    assert_eq!(sam.tenant, crate::seed::CONSUMERS_TENANT);
}

#[test]
fn a_seed_naming_a_missing_tenant_is_refused() {
    let text = r#"
        tenants = []
        clients = []
        [[users]]
        tenant = "nope"
        oid = "1"
        username = "a@b.c"
        password = "x"
        display_name = "A"
    "#;
    let error = Seed::from_toml(text, "test").unwrap_err();
    assert!(error.to_string().contains("names tenant nope"), "{error}");
}

#[test]
fn redirect_matching_is_exact_except_the_loopback_port() {
    let seed = Seed::default_seed();
    let client = seed.clients.values().next().unwrap();
    let check =
        |uri| crate::authorize::checks::check_redirect_uri(client, uri).map_err(|e| e.aadsts);
    assert_eq!(check("http://localhost:1420/"), Ok(RedirectKind::Spa));
    assert_eq!(
        check("http://localhost:3000/redirect.html"),
        Ok(RedirectKind::Spa)
    );
    assert_eq!(check("http://localhost:49152"), Ok(RedirectKind::Desktop));
    assert_eq!(check("http://127.0.0.1:8080/"), Ok(RedirectKind::Desktop));
    assert_eq!(check("http://localhost:49152/other"), Err(50011));
    assert_eq!(check("https://localhost:49152"), Err(50011));
    assert_eq!(check("not a url"), Err(50011));
}

#[test]
fn scopes_are_canonicalised_and_unknown_ones_refused() {
    let scopes =
        Scopes::parse("openid https://graph.microsoft.com/user.read MAIL.READ offline_access")
            .unwrap();
    assert_eq!(scopes.graph, vec!["User.Read", "Mail.Read"]);
    assert_eq!(scopes.oidc, vec!["openid", "offline_access"]);
    assert_eq!(
        Scopes::parse("Files.ReadWrite.All").unwrap_err().aadsts,
        70011
    );
    assert!(
        Scopes::parse("https://graph.microsoft.com/.default")
            .unwrap()
            .default
    );
}
