use super::*;
use crate::authorize::{begin, AuthorizeOptions};
use crate::config::{ClientType, Config};
use crate::error::InteractionReason;

fn pending(mode: ResponseMode) -> PendingAuthorization {
    let config = Config::new(
        "c",
        "http://localhost:4123/common",
        "http://localhost:5",
        ClientType::Desktop,
    )
    .unwrap();
    let options = AuthorizeOptions {
        response_mode: Some(mode),
        ..Default::default()
    };
    begin(&config, &options).unwrap().1
}

#[test]
fn accepts_a_query_redirect_with_client_info() {
    let p = pending(ResponseMode::Query);
    let url = format!(
        "http://localhost:5/?code=the-code&state={}&client_info=eyJ9&session_state=x",
        p.state()
    );
    let nonce = p.nonce().to_owned();
    let grant = p.accept(&url).unwrap();
    assert_eq!(grant.code.secret(), "the-code");
    assert_eq!(grant.client_info(), Some("eyJ9"));
    assert_eq!(grant.nonce(), nonce);
}

#[test]
fn accepts_fragment_raw_and_form_post() {
    let p = pending(ResponseMode::Fragment);
    let url = format!("http://localhost:5/#code=c1&state={}", p.state());
    assert_eq!(p.accept(&url).unwrap().code.secret(), "c1");
    let p = pending(ResponseMode::Fragment);
    let raw = format!("#code=c2&state={}", p.state());
    assert_eq!(p.accept(&raw).unwrap().code.secret(), "c2");
    let p = pending(ResponseMode::FormPost);
    let body = format!("code=c%2B3&state={}", p.state());
    assert_eq!(p.accept(&body).unwrap().code.secret(), "c+3");
}

#[test]
fn state_mismatch_and_missing_state() {
    let p = pending(ResponseMode::Query);
    assert!(matches!(
        p.accept("?code=c&state=forged"),
        Err(Error::StateMismatch)
    ));
    let p = pending(ResponseMode::Query);
    assert!(matches!(
        p.accept("?code=c"),
        Err(Error::Response(ResponseError::MissingState))
    ));
    // A forged error with a wrong state is a state mismatch, not a cancel.
    let p = pending(ResponseMode::Query);
    assert!(matches!(
        p.accept("?error=access_denied&state=x"),
        Err(Error::StateMismatch)
    ));
}

#[test]
fn missing_code_is_typed() {
    let p = pending(ResponseMode::Query);
    let raw = format!("?state={}", p.state());
    assert!(matches!(
        p.accept(&raw),
        Err(Error::Response(ResponseError::MissingCode))
    ));
}

#[test]
fn idp_errors_become_typed_errors() {
    let p = pending(ResponseMode::Query);
    let raw = format!(
        "?error=access_denied&error_description=AADSTS65004%3A+User+declined&state={}",
        p.state()
    );
    assert!(matches!(p.accept(&raw), Err(Error::UserCancelled { .. })));

    let p = pending(ResponseMode::Query);
    let raw = format!(
        "?error=login_required&error_description=AADSTS50058%3A+no+session&error_codes=%5B50058%5D\
         &trace_id=t-1&correlation_id=c-1&state={}",
        p.state()
    );
    match p.accept(&raw) {
        Err(Error::InteractionRequired {
            reason: InteractionReason::LoginRequired,
            server: Some(s),
        }) => {
            assert_eq!(s.aadsts, Some(50058));
            assert_eq!(s.error_codes, [50058]);
            assert_eq!(s.trace_id.as_deref(), Some("t-1"));
            assert_eq!(s.correlation_id.as_deref(), Some("c-1"));
        }
        other => panic!("{other:?}"),
    }

    let p = pending(ResponseMode::Query);
    let raw = format!(
        "?error=invalid_request&error_description=AADSTS90014%3A+x&suberror=&state={}",
        p.state()
    );
    match p.accept(&raw) {
        Err(Error::Server(s)) => assert_eq!(s.aadsts, Some(90014)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_input_never_panics() {
    for input in [
        "",
        "://",
        "http://[::1",
        "?&&==&",
        "#%zz=%",
        "\u{0}\u{ffff}",
        "http://h/?state",
    ] {
        let p = pending(ResponseMode::Query);
        assert!(p.accept(input).is_err(), "{input}");
    }
}

/// Found by fuzzing (`redirect`): a host mixing uppercase ASCII and non-ASCII made `Url::parse`
/// panic in debug builds (idna_adapter 1.0's debug assertion); it is a bad redirect.
#[test]
fn a_mixed_case_non_ascii_host_is_a_bad_redirect_not_a_panic() {
    for input in [
        "http://A\u{6e4}",
        "   http://locaA\u{6e4}J#lhos",
        "http://B\u{fc}cher.example/?code=c",
        "http://%42%C3%BC/?code=c",
    ] {
        for mode in [
            None,
            Some(ResponseMode::Query),
            Some(ResponseMode::Fragment),
        ] {
            let e = RedirectParams::parse(input, mode).unwrap_err();
            assert!(
                matches!(e, Error::Response(ResponseError::BadRedirect(_))),
                "{input:?}: {e:?}"
            );
        }
        assert!(pending(ResponseMode::Query).accept(input).is_err());
    }
    // A punycode label decoding to U+200F: parsed as a release build parses it, no panic.
    let _ = RedirectParams::parse("http://xn--x1-t1t/?code=c", None);
    // Escapes elsewhere are left as they are.
    let p = RedirectParams::parse("http://localhost:5/?code=%41%C3%A9", None).unwrap();
    assert_eq!(p.get("code"), Some("A\u{e9}"));
}

fn oidc_pending(iss_supported: bool) -> PendingAuthorization {
    let config = crate::test_oidc::discovered(
        crate::test_oidc::raw("spa", "http://localhost:5/"),
        serde_json::json!({ "authorization_response_iss_parameter_supported": iss_supported }),
    );
    begin(&config, &AuthorizeOptions::default()).unwrap().1
}

#[test]
fn a_generic_provider_answer_must_come_from_its_issuer() {
    let answer = |p: &PendingAuthorization, iss: Option<&str>| {
        let iss = iss.map_or(String::new(), |i| format!("&iss={}", urlencode(i)));
        format!("#code=c&state={}{iss}", p.state())
    };
    // RFC 9207: the issuer asked, accepted; another one (a mix-up), refused, errors included.
    let p = oidc_pending(true);
    let ok = answer(&p, Some("http://127.0.0.1:9000"));
    assert!(p.accept(&ok).is_ok());
    let p = oidc_pending(true);
    let mixed = answer(&p, Some("https://attacker.example"));
    let err = p.accept(&mixed).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Response(ResponseError::ResponseIssuerMismatch { .. })
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("https://attacker.example"),
        "{err}"
    );
    let p = oidc_pending(false);
    let forged_error = format!(
        "#error=access_denied&state={}&iss=https%3A%2F%2Fx.example",
        p.state()
    );
    assert!(matches!(
        p.accept(&forged_error).unwrap_err(),
        Error::Response(ResponseError::ResponseIssuerMismatch { .. })
    ));
    // A provider that always sends `iss` must send it; one that does not say so may not.
    let p = oidc_pending(true);
    let bare = answer(&p, None);
    assert!(p.accept(&bare).is_err());
    let p = oidc_pending(false);
    let bare = answer(&p, None);
    assert!(p.accept(&bare).is_ok());
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
