use super::*;

#[test]
fn parses_entra_authorities_and_their_endpoints() {
    let a = Authority::parse("https://login.microsoftonline.com/common/").unwrap();
    assert_eq!(a.tenant(), &Tenant::Common);
    assert_eq!(a.environment(), "login.microsoftonline.com");
    let m = a.metadata().unwrap();
    assert_eq!(
        m.authorization_endpoint,
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
    );
    assert_eq!(
        m.token_endpoint,
        "https://login.microsoftonline.com/common/oauth2/v2.0/token"
    );
    assert_eq!(
        m.jwks_uri,
        "https://login.microsoftonline.com/common/discovery/v2.0/keys"
    );
    assert_eq!(
        m.issuer,
        "https://login.microsoftonline.com/{tenantid}/v2.0"
    );
    assert_eq!(
        a.discovery_url(),
        "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
    );
}

#[test]
fn tenants_are_classified() {
    assert_eq!(
        Tenant::parse("Organizations").unwrap(),
        Tenant::Organizations
    );
    assert_eq!(Tenant::parse("consumers").unwrap(), Tenant::Consumers);
    assert_eq!(
        Tenant::parse("72F988BF-86F1-41AF-91AB-2D7CD011DB47").unwrap(),
        Tenant::Id("72f988bf-86f1-41af-91ab-2d7cd011db47".into())
    );
    assert_eq!(
        Tenant::parse("contoso.onmicrosoft.com").unwrap(),
        Tenant::Domain("contoso.onmicrosoft.com".into())
    );
    assert!(Tenant::parse("a b").is_err());
    let consumers = Cloud::Public.authority(Tenant::Consumers);
    assert_eq!(
        consumers.issuer(),
        "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"
    );
}

#[test]
fn cloud_presets() {
    assert_eq!(
        Cloud::UsGov.authority(Tenant::Common).url(),
        "https://login.microsoftonline.us/common"
    );
    assert_eq!(
        Cloud::from_host("login.partner.microsoftonline.cn"),
        Some(Cloud::China)
    );
    assert_eq!(Cloud::from_host("localhost:4123"), None);
}

fn doc(issuer: &str) -> Vec<u8> {
    serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": "https://idp.example/auth",
        "token_endpoint": "https://idp.example/token",
        "jwks_uri": "https://idp.example/jwks",
        "response_modes_supported": ["query"]
    })
    .to_string()
    .into_bytes()
}

/// A generic provider's discovery document, as oidc-provider serves it, with `changes`.
pub(crate) fn oidc_doc(issuer: &str, changes: serde_json::Value) -> Vec<u8> {
    let mut doc = serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": "https://idp.example/auth",
        "token_endpoint": "https://idp.example/token",
        "jwks_uri": "https://idp.example/jwks",
        "userinfo_endpoint": "https://idp.example/me",
        "end_session_endpoint": "https://idp.example/session/end",
        "scopes_supported": ["openid", "offline_access", "profile", "email"],
        "code_challenge_methods_supported": ["S256"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"]
    });
    for (k, v) in changes.as_object().unwrap() {
        doc[k] = v.clone();
    }
    doc.to_string().into_bytes()
}

fn refusal(doc: &[u8]) -> String {
    let a = Authority::oidc("https://idp.example").unwrap();
    a.with_oidc_discovery(doc).unwrap_err().to_string()
}

#[test]
fn a_generic_provider_is_known_by_its_discovery_document() {
    let a = Authority::oidc("https://idp.example/realms/demo").unwrap();
    assert_eq!(
        a.discovery_url(),
        "https://idp.example/realms/demo/.well-known/openid-configuration"
    );
    assert_eq!(a.url(), "https://idp.example/realms/demo");
    assert_eq!(a.environment(), "idp.example");
    assert!(a.needs_discovery());
    let before = a.metadata().unwrap_err().to_string();
    assert!(before.contains("discovery document"), "{before}");

    let a = a
        .with_oidc_discovery(&oidc_doc(
            "https://idp.example/realms/demo",
            serde_json::json!({}),
        ))
        .unwrap();
    assert!(!a.needs_discovery());
    let m = a.metadata().unwrap();
    assert_eq!(m.token_endpoint, "https://idp.example/token");
    assert_eq!(
        m.userinfo_endpoint.as_deref(),
        Some("https://idp.example/me")
    );
    assert!(m.supports_scope("offline_access"));
    assert_eq!(a.issuer(), "https://idp.example/realms/demo");
    // A trailing slash is part of the issuer: the discovery URL has no double slash.
    let slash = Authority::oidc("https://idp.example/").unwrap();
    assert_eq!(
        slash.discovery_url(),
        "https://idp.example/.well-known/openid-configuration"
    );
}

#[test]
fn a_generic_issuer_must_match_exactly() {
    // OpenID Connect Discovery 1.0 §4.3: identical, so a trailing slash is a mismatch.
    for found in [
        "https://idp.example/",
        "https://evil.example",
        "https://IDP.example",
    ] {
        let err = Authority::oidc("https://idp.example")
            .unwrap()
            .with_oidc_discovery(&oidc_doc(found, serde_json::json!({})))
            .unwrap_err();
        assert!(
            matches!(
                err,
                crate::Error::Response(ResponseError::IssuerMismatch { .. })
            ),
            "{found}: {err}"
        );
    }
    assert!(refusal(b"{}").contains("malformed"));
    assert!(Authority::oidc("http://idp.example").is_err());
    assert!(Authority::oidc("https://idp.example?x=1").is_err());
    assert!(Authority::oidc("http://127.0.0.1:9000").is_ok());
}

#[test]
fn a_generic_provider_must_offer_what_this_client_needs() {
    let insecure = refusal(&oidc_doc(
        "https://idp.example",
        serde_json::json!({"token_endpoint": "http://idp.example/token"}),
    ));
    assert!(
        insecure.contains("token_endpoint `http://idp.example/token` is not an https URL"),
        "{insecure}"
    );
    let userinfo = refusal(&oidc_doc(
        "https://idp.example",
        serde_json::json!({"userinfo_endpoint": "not a url"}),
    ));
    assert!(userinfo.contains("userinfo_endpoint"), "{userinfo}");
    let plain = refusal(&oidc_doc(
        "https://idp.example",
        serde_json::json!({"code_challenge_methods_supported": ["plain"]}),
    ));
    assert!(
        plain.contains("lists plain in code_challenge_methods_supported"),
        "{plain}"
    );
    let none = refusal(&oidc_doc(
        "https://idp.example",
        serde_json::json!({"code_challenge_methods_supported": null}),
    ));
    assert!(
        none.contains("lists none in code_challenge_methods_supported"),
        "{none}"
    );
    let algs = refusal(&oidc_doc(
        "https://idp.example",
        serde_json::json!({"id_token_signing_alg_values_supported": ["HS256", "none"]}),
    ));
    assert!(
        algs.contains("signs ID tokens with HS256 and none"),
        "{algs}"
    );
    // Loopback providers may use http, as the tests' oidc-provider does.
    let local = Authority::oidc(crate::test_oidc::ISSUER).unwrap();
    assert!(local
        .with_oidc_discovery(&crate::test_oidc::document(serde_json::json!({})))
        .is_ok());
}

#[test]
fn entra_discovery_accepts_the_template_only_for_multi_tenant() {
    let common = Authority::parse("http://localhost:4123/common").unwrap();
    let adopted = common
        .clone()
        .with_discovery(&doc("http://localhost:4123/{tenantid}/v2.0"))
        .unwrap();
    assert_eq!(adopted.issuer(), "http://localhost:4123/{tenantid}/v2.0");
    assert!(common
        .with_discovery(&doc("https://other.example/{tenantid}/v2.0"))
        .is_err());
    let tenant =
        Authority::parse("http://localhost:4123/72f988bf-86f1-41af-91ab-2d7cd011db47").unwrap();
    assert!(tenant
        .clone()
        .with_discovery(&doc("http://localhost:4123/{tenantid}/v2.0"))
        .is_err());
    assert!(tenant
        .with_discovery(&doc(
            "http://localhost:4123/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
        ))
        .is_ok());
    let domain = Authority::parse("http://localhost:4123/contoso.com").unwrap();
    assert!(domain
        .with_discovery(&doc(
            "http://localhost:4123/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
        ))
        .is_ok());
}

#[test]
fn a_non_ascii_host_asks_for_its_punycode_form() {
    let e = parse_url("authority", "https://bücher.example/common").unwrap_err();
    let message = e.to_string();
    assert!(message.contains("`authority`"), "{message}");
    assert!(message.contains("punycode"), "{message}");
    // The ASCII form of the same host is accepted.
    assert!(parse_url("authority", "https://xn--bcher-kva.example/common").is_ok());
}

/// Found by fuzzing (`redirect`, through the same URL parser): uppercase ASCII beside non-ASCII in
/// a host panicked in debug builds (idna_adapter 1.0's debug assertion) instead of asking for the
/// punycode form.
#[test]
fn a_mixed_case_non_ascii_host_asks_for_its_punycode_form_too() {
    for value in [
        "https://B\u{fc}cher.example/common",
        "https://%42%C3%BCcher.example/common",
        "https://login.EXAMPLE\u{e9}.com/common",
    ] {
        let message = parse_url("authority", value).unwrap_err().to_string();
        assert!(message.contains("punycode"), "{value}: {message}");
    }
    // A punycode label that decodes to U+200F: no panic (idna's own debug assertion).
    let _ = parse_url("authority", "http://xn--x1-t1t/common");
}
