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

/// A Graph access token for Adele with Mail.Read, as the token endpoint mints it.
fn adele_token(state: &crate::EmulatorState) -> String {
    let user = state
        .seed
        .user_by_name("adele@contoso.onmicrosoft.com")
        .unwrap()
        .clone();
    let client_id = state.seed.clients.keys().next().unwrap().clone();
    let grant = crate::mint::Grant {
        user: &user,
        client_id: &client_id,
        graph_scopes: vec!["User.Read".to_owned(), "Mail.Read".to_owned()],
        openid: false,
        nonce: None,
        session_id: "session",
        client_info: false,
    };
    crate::mint::access_token(state, &grant, state.now()).0
}

/// The shape an answer must have.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// Graph's `{"error": {"code", "message", "innerError"}}`.
    Graph,
    /// Entra's token-endpoint JSON: `error`, `error_description`, `error_codes`.
    OAuth,
    /// Entra's HTML error page, with its AADSTS code.
    Page,
}

/// Checks that `response` is a 4xx of `shape`, and returns its status.
async fn assert_shaped(what: &str, response: axum::response::Response, shape: Shape) -> StatusCode {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&body);
    assert!(status.is_client_error(), "{what}: {status} {text}");
    match shape {
        Shape::Graph | Shape::OAuth => {
            assert!(
                content_type.starts_with("application/json"),
                "{what}: {content_type} {text}"
            );
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
            if let Shape::Graph = shape {
                assert!(json["error"]["code"].is_string(), "{what}: {text}");
                assert!(json["error"]["message"].is_string(), "{what}: {text}");
            } else {
                assert!(json["error"].is_string(), "{what}: {text}");
                assert!(
                    json["error_description"]
                        .as_str()
                        .is_some_and(|d| d.starts_with("AADSTS")),
                    "{what}: {text}"
                );
                assert!(json["error_codes"][0].is_u64(), "{what}: {text}");
            }
        }
        Shape::Page => {
            assert!(
                content_type.starts_with("text/html"),
                "{what}: {content_type} {text}"
            );
            assert!(text.contains("id=\"errorCode\""), "{what}: {text}");
            assert!(text.contains("AADSTS"), "{what}: {text}");
        }
    }
    status
}

/// Finding 9: a `Host` the emulator cannot build a URL on (`a:b`, a bad port, a bad IPv6
/// literal, user info) reached `Url::parse(..).expect(..)` in Graph's paging, and made issuers
/// like `http://a:b/…` elsewhere. Such a request, and every other malformed one (a tenant that
/// is not UTF-8, a repeated or missing query parameter, an oversized form), gets a 4xx in the
/// shape of the endpoint it was sent to, never a panic and never axum's plain-text rejection.
#[tokio::test]
async fn hostile_requests_get_shaped_4xx_answers_never_a_panic() {
    let state = std::sync::Arc::new(crate::EmulatorState::new(Seed::default_seed(), false));
    let token = adele_token(&state);
    let request = |method: &str, uri: &str, host: Option<&str>| {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(host) = host {
            request = request.header("host", host);
        }
        request
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/x-www-form-urlencoded")
    };
    let main = |r: Request<Body>| super::app_with(state.clone()).oneshot(r);

    for host in [
        "a:b",
        "localhost:99999",
        "[zz]",
        "u@localhost:4123",
        ":4123",
        "a b",
    ] {
        let mut cases = vec![
            ("GET", "/v1.0/me/messages", Shape::Graph),
            ("GET", "/v1.0/me", Shape::Graph),
            (
                "GET",
                "/common/v2.0/.well-known/openid-configuration",
                Shape::OAuth,
            ),
            ("GET", "/common/discovery/v2.0/keys", Shape::OAuth),
            ("GET", "/common/discovery/instance", Shape::OAuth),
            ("POST", "/common/oauth2/v2.0/token", Shape::OAuth),
            ("GET", "/common/oauth2/v2.0/authorize", Shape::Page),
            ("GET", "/common/oauth2/v2.0/logout", Shape::Page),
            ("POST", "/common/login", Shape::Page),
        ];
        cases.push(("GET", "/terms", Shape::Page));
        for (method, path, shape) in cases {
            let what = format!("{method} {path} with Host {host}");
            let response = main(
                request(method, path, Some(host))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
            let status = assert_shaped(&what, response, shape).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
        }
    }

    // Malformed requests with a good Host.
    let host = Some("localhost:4123");
    let oversized = vec![b'a'; crate::params::MAX_BODY + 1];
    let cases: Vec<(&str, &str, Vec<u8>, Shape)> = vec![
        ("GET", "/%FF/oauth2/v2.0/authorize", vec![], Shape::Page),
        ("GET", "/%FF/oauth2/v2.0/logout", vec![], Shape::Page),
        (
            "POST",
            "/%FF/oauth2/v2.0/token",
            b"grant_type=x".to_vec(),
            Shape::OAuth,
        ),
        (
            "GET",
            "/%FF/v2.0/.well-known/openid-configuration",
            vec![],
            Shape::OAuth,
        ),
        ("GET", "/%FF/discovery/v2.0/keys", vec![], Shape::OAuth),
        (
            "GET",
            "/common/discovery/instance?authorization_endpoint=a&authorization_endpoint=b",
            vec![],
            Shape::OAuth,
        ),
        (
            "GET",
            "/v1.0/me/messages?$skip=1&$skip=2",
            vec![],
            Shape::Graph,
        ),
        ("POST", "/common/login", oversized.clone(), Shape::Page),
        ("POST", "/common/consent", oversized.clone(), Shape::Page),
        ("POST", "/login.srf", oversized.clone(), Shape::Page),
    ];
    for (method, uri, body, shape) in cases {
        let what = format!("{method} {uri}");
        let response = main(request(method, uri, host).body(Body::from(body)).unwrap())
            .await
            .unwrap();
        assert_shaped(&what, response, shape).await;
    }

    // The other origins: their pages are error pages too.
    let personal = || super::other_origin(&state, crate::realms::personal::routes());
    let federated = || super::other_origin(&state, crate::realms::federated::routes());
    let cases = [
        (personal(), "GET", "/oauth20_authorize.srf", vec![]),
        (
            personal(),
            "GET",
            "/oauth20_authorize.srf?ctx=a&ctx=b",
            vec![],
        ),
        (personal(), "POST", "/ppsecure/post.srf", oversized.clone()),
        (federated(), "GET", "/adfs/ls/?wa=wsignin1.0", vec![]),
        (federated(), "POST", "/adfs/ls/", oversized.clone()),
    ];
    for (router, method, uri, body) in cases {
        for host in [host, Some("a:b")] {
            let what = format!("{method} {uri} on another origin, Host {host:?}");
            let response = router
                .clone()
                .oneshot(
                    request(method, uri, host)
                        .body(Body::from(body.clone()))
                        .unwrap(),
                )
                .await
                .unwrap();
            assert_shaped(&what, response, Shape::Page).await;
        }
    }
}

/// The frame-busting headers of an HTML answer, or what is missing.
fn assert_not_frameable(what: &str, response: &axum::response::Response) {
    let headers = response.headers();
    assert!(
        headers
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap().starts_with("text/html")),
        "{what}: not a page"
    );
    assert_eq!(
        headers.get("x-frame-options").map(|v| v.to_str().unwrap()),
        Some("DENY"),
        "{what}"
    );
    assert!(
        headers
            .get("content-security-policy")
            .is_some_and(|v| v.to_str().unwrap().contains("frame-ancestors 'none'")),
        "{what}: {:?}",
        headers.get("content-security-policy")
    );
}

/// Finding 11: Entra refuses to be framed (X-Frame-Options: DENY, CSP frame-ancestors 'none')
/// on its sign-in pages; the emulator's pages, on each of its origins, could be framed.
#[tokio::test]
async fn html_pages_refuse_to_be_framed_on_every_origin() {
    let state = std::sync::Arc::new(crate::EmulatorState::new(Seed::default_seed(), false));
    let client_id = state.seed.clients.keys().next().unwrap().clone();
    let get = |router: axum::Router, uri: String| async move {
        router
            .oneshot(
                Request::get(uri)
                    .header("host", "localhost:4123")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap()
    };
    let main = || super::app_with(state.clone());
    let sign_in = format!(
        "/common/oauth2/v2.0/authorize?client_id={client_id}&response_type=code&redirect_uri=http://localhost:5555&scope=openid%20User.Read"
    );
    let pages = [
        ("the username page", get(main(), sign_in).await),
        (
            "an error page",
            get(
                main(),
                "/common/oauth2/v2.0/authorize?client_id=nope".into(),
            )
            .await,
        ),
        (
            "the signed-out page",
            get(main(), "/common/oauth2/v2.0/logout".into()).await,
        ),
        ("the terms", get(main(), "/terms".into()).await),
        (
            "the expired page (personal accounts)",
            get(
                super::other_origin(&state, crate::realms::personal::routes()),
                "/oauth20_authorize.srf?ctx=nope".into(),
            )
            .await,
        ),
        (
            "the terms (AD FS)",
            get(
                super::other_origin(&state, crate::realms::federated::routes()),
                "/terms".into(),
            )
            .await,
        ),
    ];
    for (what, response) in &pages {
        assert_not_frameable(what, response);
        // Nor kept in a browser's cache.
        assert_eq!(
            response
                .headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("no-store, no-cache"),
            "{what}"
        );
    }

    // The JSON endpoints are as they were.
    let keys = get(main(), "/common/discovery/v2.0/keys".into()).await;
    assert_eq!(keys.status(), StatusCode::OK);
    assert!(keys.headers().get("x-frame-options").is_none());
    assert!(keys.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body = keys.into_body().collect().await.unwrap().to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(json["keys"][0]["kid"].is_string());
    let me = get(main(), "/v1.0/me".into()).await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    assert!(me.headers().get("www-authenticate").is_some());
    let body = me.into_body().collect().await.unwrap().to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["error"]["code"], "InvalidAuthenticationToken");
}

/// Finding 12: `--tls` wrote its certificate to `$TMPDIR/identity-emulator-<port>.pem`, a name
/// anyone on the machine can guess and plant a symlink at, which the write followed. It goes to
/// a folder of its own now: made fresh (mode 0700) with a random name, the file created new
/// (mode 0600), never through a symlink.
#[cfg(unix)]
#[test]
fn the_certificate_goes_to_a_fresh_private_folder_and_follows_no_symlink() {
    use std::os::unix::fs::{symlink, PermissionsExt};

    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let parent =
        std::env::temp_dir().join(format!("emulator-tls-test-{}", crate::keys::opaque_token()));
    std::fs::create_dir(&parent).unwrap();
    // Another user plants a symlink at the old, predictable name, to a file of this user's.
    let victim = parent.join("victim");
    std::fs::write(&victim, "precious").unwrap();
    symlink(&victim, parent.join("identity-emulator-4443.pem")).unwrap();

    let file = crate::tls::write_certificate(&parent, 4443, "CERTIFICATE").unwrap();
    let path = file.path().to_owned();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "CERTIFICATE");
    assert!(std::fs::symlink_metadata(&path)
        .unwrap()
        .file_type()
        .is_file());
    let folder = path.parent().unwrap().to_owned();
    assert_ne!(folder, parent, "a folder of its own");
    assert_eq!(folder.parent(), Some(parent.as_path()));
    assert_eq!(mode(&folder), 0o700, "{}", folder.display());
    assert_eq!(mode(&path), 0o600, "{}", path.display());

    // The folder's name is not predictable: another start gets another one.
    let again = crate::tls::write_certificate(&parent, 4443, "CERTIFICATE").unwrap();
    let other = again.path().parent().unwrap().to_owned();
    assert_ne!(other, folder);
    let name = |p: &std::path::Path| p.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name(&folder).len() >= "identity-emulator-4443-".len() + 16,
        "{}",
        name(&folder)
    );

    // The file is created new, never written through a symlink already there.
    let planted = parent.join("planted.pem");
    symlink(&victim, &planted).unwrap();
    assert!(crate::tls::write_file(&planted, "CERTIFICATE").is_err());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");

    // The folder goes when the emulator stops.
    drop(file);
    assert!(!folder.exists(), "{}", folder.display());
    drop(again);
    std::fs::remove_dir_all(&parent).unwrap();
}
