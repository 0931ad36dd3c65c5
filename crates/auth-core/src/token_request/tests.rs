use super::*;
use crate::authorize::{begin, AuthorizeOptions};
use crate::seams::Method;

fn config(t: ClientType) -> Config {
    Config::new(
        "client-1",
        "http://localhost:4123/common",
        "http://localhost:1420/cb",
        t,
    )
    .unwrap()
}

fn grant(config: &Config) -> (CodeGrant, String) {
    let options = AuthorizeOptions {
        correlation_id: Some("corr-1".into()),
        ..Default::default()
    };
    let (_, pending) = begin(config, &options).unwrap();
    let verifier = pending.verifier.secret().to_owned();
    let raw = format!("?code=c%2B1&state={}", pending.state());
    (pending.accept(&raw).unwrap(), verifier)
}

#[test]
fn spa_code_request_carries_origin_and_exact_body() {
    let c = config(ClientType::Spa);
    let (g, verifier) = grant(&c);
    let req = authorization_code_request(&c, &g).unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, "http://localhost:4123/common/oauth2/v2.0/token");
    let h = |name: &str| req.header(name).unwrap().to_owned();
    assert_eq!(h("origin"), "http://localhost:1420");
    assert_eq!(
        h("content-type"),
        "application/x-www-form-urlencoded;charset=utf-8"
    );
    assert_eq!(h("client-request-id"), "corr-1");
    assert_eq!(h("accept"), "application/json");
    assert_eq!(
        String::from_utf8(req.body.clone()).unwrap(),
        format!(
            "client_id=client-1&grant_type=authorization_code&code=c%2B1\
             &redirect_uri=http%3A%2F%2Flocalhost%3A1420%2Fcb&code_verifier={verifier}\
             &scope=User.Read+openid+profile+offline_access&client_info=1"
        )
    );
}

#[test]
fn desktop_requests_have_no_origin() {
    let c = config(ClientType::Desktop);
    let (g, _) = grant(&c);
    assert!(authorization_code_request(&c, &g)
        .unwrap()
        .header("origin")
        .is_none());
}

#[test]
fn refresh_request_body() {
    let c = config(ClientType::Spa);
    let r = RefreshRequest {
        home_account_id: "u.t".into(),
        environment: "localhost:4123".into(),
        realm: "t".into(),
        client_id: "client-1".into(),
        refresh_token: RefreshToken::new("rt/1".into()),
        scopes: vec!["Mail.Read".into()],
        claims: Some("{}".into()),
        correlation_id: "corr-2".into(),
    };
    let req = refresh_token_request(&c, &r).unwrap();
    assert_eq!(req.header("origin").unwrap(), "http://localhost:1420");
    assert_eq!(req.header("client-request-id").unwrap(), "corr-2");
    assert_eq!(
        String::from_utf8(req.body).unwrap(),
        "client_id=client-1&grant_type=refresh_token&refresh_token=rt%2F1\
         &scope=Mail.Read+openid+profile+offline_access&client_info=1&claims=%7B%7D"
    );
    assert!(!format!("{r:?}").contains("rt/1"));
}

#[test]
fn a_generic_provider_gets_rfc_6749_bodies_without_entra_headers() {
    let raw = crate::config::RawConfig {
        client_type: ClientType::Desktop,
        ..crate::test_oidc::raw("desktop-app", "http://localhost:53123")
    };
    let c = crate::test_oidc::discovered(raw, serde_json::json!({}));
    let (g, verifier) = grant(&c);
    let req = authorization_code_request(&c, &g).unwrap();
    assert_eq!(req.url, "http://127.0.0.1:9000/token");
    assert!(req.header("client-request-id").is_none());
    assert!(req.header("return-client-request-id").is_none());
    assert_eq!(
        String::from_utf8(req.body).unwrap(),
        format!(
            "client_id=desktop-app&grant_type=authorization_code&code=c%2B1\
             &redirect_uri=http%3A%2F%2Flocalhost%3A53123&code_verifier={verifier}"
        )
    );
    let r = RefreshRequest {
        home_account_id: "alice".into(),
        environment: "127.0.0.1:9000".into(),
        realm: String::new(),
        client_id: "desktop-app".into(),
        refresh_token: RefreshToken::new("rt/1".into()),
        scopes: vec![],
        claims: None,
        correlation_id: "corr-2".into(),
    };
    let req = refresh_token_request(&c, &r).unwrap();
    assert!(req.header("client-request-id").is_none());
    // No scope: RFC 6749 §6 then means the grant's own.
    assert_eq!(
        String::from_utf8(req.body).unwrap(),
        "client_id=desktop-app&grant_type=refresh_token&refresh_token=rt%2F1"
    );
}
