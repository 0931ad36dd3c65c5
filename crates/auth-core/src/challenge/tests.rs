use base64::engine::general_purpose::STANDARD;

use super::*;

const CLAIMS: &str = r#"{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}"#;

#[test]
fn parses_a_cae_claims_challenge() {
    let header = format!(
        r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="{}""#,
        STANDARD.encode(CLAIMS)
    );
    let c = BearerChallenge::parse(&header).unwrap();
    assert_eq!(c.realm.as_deref(), Some(""));
    assert_eq!(
        c.client_id.as_deref(),
        Some("00000003-0000-0000-c000-000000000000")
    );
    assert_eq!(c.error.as_deref(), Some("insufficient_claims"));
    assert_eq!(c.claims_challenge(), Some(CLAIMS));
    match c.into_error() {
        Some(Error::InteractionRequired {
            reason: InteractionReason::ClaimsChallenge { claims },
            ..
        }) => {
            assert_eq!(claims, CLAIMS)
        }
        other => panic!("{other:?}"),
    }
    let h = HttpResponse::new(401, Vec::new())
        .with_header("WWW-Authenticate", "Basic realm=\"x\"")
        .with_header("www-authenticate", header.clone());
    assert_eq!(claims_challenge(&h).as_deref(), Some(CLAIMS));
    // A browser's fetch joins repeated headers with ", ": the challenges are split back, and
    // commas in quoted strings split nothing.
    let joined = HttpResponse::new(401, Vec::new()).with_header(
        "www-authenticate",
        format!(
            "Basic realm=\"a, Bearer b\", Negotiate, {header}, Digest realm=\"x\", qop=\"auth\""
        ),
    );
    assert_eq!(claims_challenge(&joined).as_deref(), Some(CLAIMS));
    assert_eq!(
        challenges(&format!("Basic realm=\"a, Bearer b\", Negotiate, {header}")),
        ["Basic realm=\"a, Bearer b\"", "Negotiate", header.as_str()]
    );
    assert_eq!(
        challenges("Bearer realm=\"r\" , error = \"e\",Basic  YWxh=="),
        ["Bearer realm=\"r\" , error = \"e\"", "Basic  YWxh=="]
    );
    let only_basic = HttpResponse::new(401, Vec::new()).with_header(
        "www-authenticate",
        "Basic realm=\"claims=e30\", charset=\"UTF-8\"",
    );
    assert_eq!(claims_challenge(&only_basic), None);
}

#[test]
fn plain_401_challenges_are_not_claims_challenges() {
    let c = BearerChallenge::parse(
        r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000""#,
    )
    .unwrap();
    assert_eq!(c.claims_challenge(), None);
    assert!(c.into_error().is_none());
    assert!(BearerChallenge::parse("Basic realm=\"a\"").is_none());
}

#[test]
fn odd_syntax_never_panics() {
    for h in [
        "Bearer",
        "Bearer ,,,",
        "Bearer a",
        "Bearer a=\"unterminated",
        "Bearer error=x, claims=!!!",
        "Bearer k=\"a\\\"b\"",
    ] {
        let _ = BearerChallenge::parse(h).unwrap();
    }
    let c = BearerChallenge::parse("Bearer error=\"a\\\"b\", claims=!!!").unwrap();
    assert_eq!(c.error.as_deref(), Some("a\"b"));
    assert_eq!(c.claims, None);
}

#[test]
fn claims_that_are_not_json_are_dropped() {
    for text in [r#"{"access_token":"#, r#"{} trailing"#, "not json", ""] {
        let header = format!(
            r#"Bearer error="insufficient_claims", claims="{}""#,
            STANDARD.encode(text)
        );
        let c = BearerChallenge::parse(&header).unwrap();
        assert_eq!(c.claims, None, "{text:?}");
        assert!(c.into_error().is_none(), "{text:?}");
    }
    // Any JSON value passes, as its own text.
    let header = format!(
        r#"Bearer claims="{}""#,
        STANDARD.encode(r#"[1, {"a": null}]"#)
    );
    let c = BearerChallenge::parse(&header).unwrap();
    assert_eq!(c.claims.as_deref(), Some(r#"[1, {"a": null}]"#));
}
