use std::collections::HashMap;

use super::*;
use crate::config::ClientType;
use crate::test_oidc;

fn config(client_type: ClientType) -> Config {
    Config::new(
        "client-1",
        "http://localhost:4123/common",
        "http://localhost:53123",
        client_type,
    )
    .unwrap()
}

fn params(url: &Url) -> HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

#[test]
fn desktop_authorize_url_has_every_parameter() {
    let options = AuthorizeOptions {
        scopes: vec!["User.Read".into(), "Mail.Read".into()],
        prompt: Some(Prompt::SelectAccount),
        login_hint: Some("ada@contoso.com".into()),
        domain_hint: Some("organizations".into()),
        claims: Some(r#"{"access_token":{"acrs":{"essential":true,"value":"c1"}}}"#.into()),
        correlation_id: Some("corr-1".into()),
        ..Default::default()
    };
    let (url, pending) = begin(&config(ClientType::Desktop), &options).unwrap();
    assert_eq!(
        url.as_str().split('?').next().unwrap(),
        "http://localhost:4123/common/oauth2/v2.0/authorize"
    );
    let p = params(&url);
    assert_eq!(p["client_id"], "client-1");
    assert_eq!(p["response_type"], "code");
    assert_eq!(p["redirect_uri"], "http://localhost:53123");
    assert_eq!(
        p["scope"],
        "User.Read Mail.Read openid profile offline_access"
    );
    assert_eq!(p["state"], pending.state());
    assert_eq!(p["nonce"], pending.nonce());
    assert_eq!(p["code_challenge_method"], "S256");
    assert_eq!(p["client_info"], "1");
    assert_eq!(p["response_mode"], "query");
    assert_eq!(p["prompt"], "select_account");
    assert_eq!(p["login_hint"], "ada@contoso.com");
    assert_eq!(p["domain_hint"], "organizations");
    assert!(p["claims"].contains("acrs"));
    assert_eq!(p["client-request-id"], "corr-1");
    // RFC 7636 §4.2: challenge = BASE64URL(SHA256(verifier)).
    let expected = PkceCodeChallenge::from_code_verifier_sha256(&oauth2::PkceCodeVerifier::new(
        pending.verifier.secret().to_owned(),
    ));
    assert_eq!(p["code_challenge"], expected.as_str());
    assert!(pending.verifier.secret().len() >= 43);
}

#[test]
fn spa_defaults_to_fragment_and_attempts_are_random() {
    let (u1, p1) = begin(&config(ClientType::Spa), &AuthorizeOptions::default()).unwrap();
    let (_, p2) = begin(&config(ClientType::Spa), &AuthorizeOptions::default()).unwrap();
    assert_eq!(params(&u1)["response_mode"], "fragment");
    assert_eq!(
        params(&u1)["scope"],
        "User.Read openid profile offline_access"
    );
    assert_ne!(p1.state(), p2.state());
    assert_ne!(p1.nonce(), p2.nonce());
    assert_ne!(p1.verifier.secret(), p2.verifier.secret());
    assert_ne!(p1.correlation_id(), p2.correlation_id());
    assert_eq!(p1.correlation_id().len(), 36);
}

#[test]
fn pending_round_trips_through_json_and_redacts_the_verifier() {
    let (_, p) = begin(&config(ClientType::Spa), &AuthorizeOptions::default()).unwrap();
    let verifier = p.verifier.secret().to_owned();
    assert!(!format!("{p:?}").contains(&verifier));
    let json = serde_json::to_string(&p).unwrap();
    let back: PendingAuthorization = serde_json::from_str(&json).unwrap();
    assert_eq!(back.verifier.secret(), verifier);
    assert_eq!(back.state(), p.state());
    assert_eq!(back.response_mode(), ResponseMode::Fragment);
}

#[test]
fn correlation_ids_are_v4_uuids() {
    let id = new_correlation_id();
    assert_eq!(id.as_bytes()[14], b'4');
    assert!(matches!(id.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
    assert!(crate::authority::is_guid(&id));
}

#[test]
fn logout_url_carries_the_hint_and_return_uri() {
    let raw = crate::config::RawConfig {
        client_id: "c".into(),
        authority: Some("http://localhost:4123/common".into()),
        redirect_uri: "http://localhost:1420".into(),
        post_logout_redirect_uri: Some("http://localhost:1420/signed-out".into()),
        ..Default::default()
    };
    let url = logout_url(&Config::from_raw(raw).unwrap(), Some("hint-1")).unwrap();
    assert_eq!(url.path(), "/common/oauth2/v2.0/logout");
    let p = params(&url);
    assert_eq!(
        p["post_logout_redirect_uri"],
        "http://localhost:1420/signed-out"
    );
    assert_eq!(p["logout_hint"], "hint-1");
}

/// A configuration for a generic provider whose discovery document was read.
fn oidc_config(scopes_supported: &[&str]) -> Config {
    let raw = crate::config::RawConfig {
        post_logout_redirect_uri: Some("http://localhost:53124".into()),
        client_type: ClientType::Desktop,
        ..test_oidc::raw("desktop-app", "http://localhost:53123")
    };
    test_oidc::discovered(
        raw,
        serde_json::json!({
            "end_session_endpoint": "http://127.0.0.1:9000/session/end",
            "scopes_supported": scopes_supported
        }),
    )
}

#[test]
fn a_generic_provider_gets_standard_parameters_only() {
    let options = AuthorizeOptions {
        prompt: Some(Prompt::SelectAccount),
        correlation_id: Some("corr-1".into()),
        ..Default::default()
    };
    let (url, pending) = begin(&oidc_config(&["openid", "offline_access"]), &options).unwrap();
    assert_eq!(
        url.as_str().split('?').next().unwrap(),
        "http://127.0.0.1:9000/auth"
    );
    let p = params(&url);
    // The configured default scopes, openid, and offline_access because it is offered.
    assert_eq!(p["scope"], "openid profile offline_access");
    assert_eq!(pending.scopes(), ["openid", "profile", "offline_access"]);
    // No account picker at a generic provider: `login`, and `consent` for offline access.
    assert_eq!(p["prompt"], "login consent");
    assert_eq!(p["code_challenge_method"], "S256");
    assert_eq!(p["response_mode"], "query");
    for entra_only in ["client_info", "client-request-id"] {
        assert!(!p.contains_key(entra_only), "{entra_only} in {url}");
    }
    // Without offline_access offered, nothing asks for it, and a resource interaction has
    // no prompt at all.
    let (url, _) = begin(&oidc_config(&["openid"]), &AuthorizeOptions::default()).unwrap();
    let p = params(&url);
    assert_eq!(p["scope"], "openid profile");
    assert!(!p.contains_key("prompt"), "{url}");
    let silent = AuthorizeOptions {
        prompt: Some(Prompt::None),
        ..Default::default()
    };
    let (url, _) = begin(&oidc_config(&["openid", "offline_access"]), &silent).unwrap();
    assert_eq!(params(&url)["prompt"], "none");
}

#[test]
fn a_generic_provider_needs_its_document_before_a_sign_in() {
    let raw = test_oidc::raw("desktop-app", "http://localhost:53123");
    let err = begin(
        &Config::from_raw(raw).unwrap(),
        &AuthorizeOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("discovery document"), "{err}");
}

#[test]
fn a_generic_provider_signs_out_with_the_client_id_and_no_token() {
    let url = logout_url(&oidc_config(&["openid"]), None).unwrap();
    assert_eq!(
        url.as_str().split('?').next().unwrap(),
        "http://127.0.0.1:9000/session/end"
    );
    let p = params(&url);
    assert_eq!(p["client_id"], "desktop-app");
    assert_eq!(p["post_logout_redirect_uri"], "http://localhost:53124/");
    assert!(!p.contains_key("client-request-id"), "{url}");
    assert!(!p.contains_key("id_token_hint"), "{url}");
}
