use serde_json::{json, Value};

use super::*;
use crate::config::ClientType;

use crate::test_support::*;

fn config(authority: &str) -> Config {
    Config::new(
        CLIENT_ID,
        authority,
        "http://localhost:1420",
        ClientType::Desktop,
    )
    .unwrap()
}

fn expect(nonce: &str) -> Expectations {
    Expectations::new(&config(&format!("{BASE}/common")), Some(nonce))
}

fn jwks(s: &str) -> Jwks {
    Jwks::from_json(s.as_bytes()).unwrap()
}

fn check(token: &str, jwks_json: &str) -> Result<IdTokenClaims, IdTokenError> {
    validate(token, &jwks(jwks_json), &expect("n-1"), NOW)
}

fn with(f: impl FnOnce(&mut Value)) -> String {
    let mut c = claims("n-1", NOW);
    f(&mut c);
    sign(&header("key1"), &c, KEY1)
}

#[test]
fn a_good_token_validates_against_the_tenantid_template() {
    let c = check(&with(|_| {}), JWKS_BOTH).unwrap();
    assert_eq!(c.tid.as_deref(), Some(TENANT_ID));
    assert_eq!(c.preferred_username.as_deref(), Some("ada@contoso.com"));
    assert_eq!(c.iat, NOW);
}

#[test]
fn bad_signature_is_refused() {
    // Signed with key2 but naming key1.
    let token = sign(&header("key1"), &claims("n-1", NOW), KEY2);
    assert_eq!(check(&token, JWKS_BOTH), Err(IdTokenError::BadSignature));
    // A tampered payload.
    let good = with(|_| {});
    let parts: Vec<&str> = good.split('.').collect();
    let other = with(|c| c["sub"] = json!("mallory"));
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        other.split('.').nth(1).unwrap(),
        parts[2]
    );
    assert_eq!(check(&forged, JWKS_BOTH), Err(IdTokenError::BadSignature));
}

#[test]
fn alg_none_and_other_algs_are_refused() {
    let c = claims("n-1", NOW).to_string();
    let none = format!(
        "{}.{}.",
        B64URL.encode(r#"{"alg":"none","typ":"JWT"}"#),
        B64URL.encode(&c)
    );
    assert_eq!(
        check(&none, JWKS_KEY1),
        Err(IdTokenError::UnsupportedAlgorithm("none".into()))
    );
    let hs = format!(
        "{}.{}.AAAA",
        B64URL.encode(r#"{"alg":"HS256","kid":"key1"}"#),
        B64URL.encode(&c)
    );
    assert_eq!(
        check(&hs, JWKS_KEY1),
        Err(IdTokenError::UnsupportedAlgorithm("HS256".into()))
    );
    let no_alg = format!(
        "{}.{}.AAAA",
        B64URL.encode(r#"{"kid":"key1"}"#),
        B64URL.encode(&c)
    );
    assert!(matches!(
        check(&no_alg, JWKS_KEY1),
        Err(IdTokenError::UnsupportedAlgorithm(_))
    ));
}

#[test]
fn issuer_mismatch_is_refused() {
    let token = with(|c| c["iss"] = json!("https://evil.example/t/v2.0"));
    assert!(matches!(
        check(&token, JWKS_BOTH),
        Err(IdTokenError::IssuerMismatch { .. })
    ));
    // The template needs a matching tid: a token from another tenant naming this tenant's
    // issuer fails.
    let token = with(|c| c["tid"] = json!("11111111-1111-1111-1111-111111111111"));
    assert!(matches!(
        check(&token, JWKS_BOTH),
        Err(IdTokenError::IssuerMismatch { .. })
    ));
    // A single-tenant authority compares exactly.
    let single = Expectations::new(&config(&format!("{BASE}/{TENANT_ID}")), Some("n-1"));
    assert!(validate(&with(|_| {}), &jwks(JWKS_BOTH), &single, NOW).is_ok());
    let other = Expectations::new(
        &config(&format!("{BASE}/22222222-2222-2222-2222-222222222222")),
        Some("n-1"),
    );
    assert!(matches!(
        validate(&with(|_| {}), &jwks(JWKS_BOTH), &other, NOW),
        Err(IdTokenError::IssuerMismatch { .. })
    ));
}

#[test]
fn wrong_audience_is_refused() {
    let token = with(|c| c["aud"] = json!("someone-else"));
    assert_eq!(
        check(&token, JWKS_BOTH),
        Err(IdTokenError::AudienceMismatch)
    );
    let token = with(|c| c["aud"] = json!([CLIENT_ID, "other"]));
    assert_eq!(
        check(&token, JWKS_BOTH),
        Err(IdTokenError::AudienceMismatch)
    );
    let token = with(|c| {
        c["aud"] = json!([CLIENT_ID, "other"]);
        c["azp"] = json!(CLIENT_ID);
    });
    assert!(check(&token, JWKS_BOTH).is_ok());
    // Neither a string nor an array of strings: the payload is not what an ID token holds.
    for aud in [json!(5), json!({"id": CLIENT_ID}), json!([CLIENT_ID, 5])] {
        let token = with(|c| c["aud"] = aud);
        assert_eq!(
            check(&token, JWKS_BOTH),
            Err(IdTokenError::Malformed(
                "payload is not the expected JSON".into()
            ))
        );
    }
}

#[test]
fn missing_sub_and_iat_are_refused() {
    let token = with(|c| {
        c.as_object_mut().unwrap().remove("sub");
    });
    assert_eq!(
        check(&token, JWKS_BOTH),
        Err(IdTokenError::MissingClaim("sub"))
    );
    let token = with(|c| {
        c.as_object_mut().unwrap().remove("iat");
    });
    assert_eq!(
        check(&token, JWKS_BOTH),
        Err(IdTokenError::MissingClaim("iat"))
    );
}

#[test]
fn time_claims_honour_the_skew() {
    let future_iat = with(|c| c["iat"] = json!(NOW + 301));
    assert_eq!(
        check(&future_iat, JWKS_BOTH),
        Err(IdTokenError::IssuedInFuture)
    );
    assert!(check(&with(|c| c["iat"] = json!(NOW + 299)), JWKS_BOTH).is_ok());
    let expired = with(|c| c["exp"] = json!(NOW - 301));
    assert_eq!(check(&expired, JWKS_BOTH), Err(IdTokenError::Expired));
    assert!(check(&with(|c| c["exp"] = json!(NOW - 299)), JWKS_BOTH).is_ok());
    let early = with(|c| c["nbf"] = json!(NOW + 301));
    assert_eq!(check(&early, JWKS_BOTH), Err(IdTokenError::NotYetValid));
    let strict = Expectations {
        skew: 0,
        ..expect("n-1")
    };
    let late = with(|c| c["exp"] = json!(NOW - 1));
    assert_eq!(
        validate(&late, &jwks(JWKS_BOTH), &strict, NOW),
        Err(IdTokenError::Expired)
    );
}

#[test]
fn invalid_nonce_is_refused() {
    let token = with(|c| c["nonce"] = json!("n-2"));
    assert_eq!(check(&token, JWKS_BOTH), Err(IdTokenError::NonceMismatch));
    let token = with(|c| {
        c.as_object_mut().unwrap().remove("nonce");
    });
    assert_eq!(check(&token, JWKS_BOTH), Err(IdTokenError::NonceMismatch));
}

#[test]
fn unknown_kid_asks_for_a_jwks_refetch() {
    let token = sign(&header("key2"), &claims("n-1", NOW), KEY2);
    let err = check(&token, JWKS_KEY1).unwrap_err();
    assert!(err.needs_jwks_refresh());
    assert!(check(&token, JWKS_BOTH).is_ok());
}

#[test]
fn kid_absent_needs_a_single_key() {
    let h = json!({"alg": "RS256", "typ": "JWT"});
    let token = sign(&h, &claims("n-1", NOW), KEY1);
    assert!(check(&token, JWKS_KEY1).is_ok());
    assert_eq!(check(&token, JWKS_BOTH), Err(IdTokenError::AmbiguousKey));
}

#[test]
fn malformed_tokens_never_panic() {
    for bad in [
        "",
        "a",
        "a.b",
        "a.b.c.d",
        "!!.!!.!!",
        "e30.e30.e30",
        "eyJhbGciOiJSUzI1NiJ9.@@.x",
    ] {
        assert!(check(bad, JWKS_BOTH).is_err(), "{bad}");
    }
}

#[test]
fn jwks_parsing_skips_unusable_keys() {
    let doc = r#"{"keys":[{"kty":"EC","kid":"e","crv":"P-256","x":"a","y":"b"},
        {"kty":"RSA","use":"enc","kid":"x","n":"AQAB","e":"AQAB"}]}"#;
    assert!(matches!(
        Jwks::from_json(doc.as_bytes()),
        Err(IdTokenError::InvalidJwks(_))
    ));
    assert!(Jwks::from_json(b"not json").is_err());
    assert_eq!(
        jwks(JWKS_BOTH).kids().collect::<Vec<_>>(),
        [Some("key1"), Some("key2")]
    );
}

#[test]
fn client_info_decodes_with_or_without_padding() {
    let ci = decode_client_info(&client_info("u1", "t1")).unwrap();
    assert_eq!(
        ci,
        ClientInfo {
            uid: "u1".into(),
            utid: "t1".into()
        }
    );
    let padded = base64::engine::general_purpose::URL_SAFE.encode(r#"{"uid":"u","utid":"t"}"#);
    assert_eq!(decode_client_info(&padded).unwrap().uid, "u");
    assert!(decode_client_info("%%%").is_err());
    assert!(decode_client_info(&B64URL.encode("[]")).is_err());
}

#[test]
fn organizations_refuses_a_personal_account_token() {
    let organizations = Expectations::new(&config(&format!("{BASE}/organizations")), Some("n-1"));
    let personal = with(|c| {
        c["tid"] = json!(CONSUMERS_TENANT_ID);
        c["iss"] = json!(format!("{BASE}/{CONSUMERS_TENANT_ID}/v2.0"));
    });
    assert_eq!(
        validate(&personal, &jwks(JWKS_BOTH), &organizations, NOW),
        Err(IdTokenError::TenantRefused)
    );
    // common takes both kinds of account; organizations still takes a work account.
    assert!(check(&personal, JWKS_BOTH).is_ok());
    assert!(validate(&with(|_| {}), &jwks(JWKS_BOTH), &organizations, NOW).is_ok());
}

#[test]
fn a_refreshed_token_must_name_the_same_user() {
    let original = with(|_| {});
    let before = Subject::of_validated(&original).expect("readable");
    let refreshed = Expectations {
        nonce: None,
        ..expect("n-1")
    }
    .same_user_as(Some(before.clone()));
    assert!(validate(
        &with(|c| c["nonce"] = json!(null)),
        &jwks(JWKS_BOTH),
        &refreshed,
        NOW
    )
    .is_ok());
    let other_user = with(|c| c["sub"] = json!("someone-else"));
    assert_eq!(
        validate(&other_user, &jwks(JWKS_BOTH), &refreshed, NOW),
        Err(IdTokenError::UserChanged)
    );
    // The same sub from another tenant's issuer is another user too.
    let other_tenant = with(|c| {
        c["tid"] = json!("00000000-0000-0000-0000-000000000001");
        c["iss"] = json!(format!("{BASE}/00000000-0000-0000-0000-000000000001/v2.0"));
    });
    assert_eq!(
        validate(&other_tenant, &jwks(JWKS_BOTH), &refreshed, NOW),
        Err(IdTokenError::UserChanged)
    );
    assert_eq!(Subject::of_validated("not-a-jwt"), None);
}
