use super::*;
use crate::error::InteractionReason;

fn response(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body)
}

#[test]
fn entra_success_fields_become_absolute_times() {
    let r = parse_token_response(
        &response(
            200,
            r#"{"token_type":"Bearer","scope":"User.Read openid profile","expires_in":3599,
                "ext_expires_in":"7199","refresh_token_expires_in":86399,"access_token":"at",
                "refresh_token":"rt","id_token":"a.b.c","client_info":"ci"}"#,
        ),
        1000,
    )
    .unwrap();
    assert_eq!(r.token_type, "Bearer");
    assert_eq!(r.scopes, ["User.Read", "openid", "profile"]);
    assert_eq!(r.access_token.secret(), "at");
    assert_eq!(r.refresh_token.unwrap().secret(), "rt");
    assert_eq!(r.id_token.unwrap().secret(), "a.b.c");
    assert_eq!(r.client_info.as_deref(), Some("ci"));
    assert_eq!(r.expires_on, 4599);
    assert_eq!(r.extended_expires_on, 8199);
    assert_eq!(r.refresh_token_expires_on, Some(87399));
    // A lifetime that is neither a count of seconds nor a string makes the answer malformed.
    for lifetime in ["-5", "1.5", "true", "[3600]"] {
        let body = format!(r#"{{"access_token":"at","expires_in":{lifetime}}}"#);
        assert!(
            matches!(
                parse_token_response(&response(200, &body), 1000),
                Err(Error::Response(ResponseError::Malformed { .. }))
            ),
            "{lifetime}"
        );
    }
}

const ERROR: &str = r#"{"error":"invalid_grant","error_description":"AADSTS700084: The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended.\r\nTrace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333\r\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd\r\nTimestamp: 2024-01-01 00:00:00Z","error_codes":[700084],"timestamp":"2024-01-01 00:00:00Z","trace_id":"0000aaaa-11bb-cccc-dd22-eeeeee333333","correlation_id":"aaaa0000-bb11-2222-33cc-444444dddddd","error_uri":"https://login.microsoftonline.com/error?code=700084"}"#;

#[test]
fn entra_error_json_is_read_in_full() {
    match parse_token_response(&response(400, ERROR), 0) {
        Err(Error::InteractionRequired {
            reason: InteractionReason::GrantExpiredOrRevoked,
            server: Some(s),
        }) => {
            assert_eq!(s.status, Some(400));
            assert_eq!(s.code, "invalid_grant");
            assert_eq!(s.aadsts, Some(700084));
            assert_eq!(
                s.correlation_id.as_deref(),
                Some("aaaa0000-bb11-2222-33cc-444444dddddd")
            );
            assert_eq!(
                s.trace_id.as_deref(),
                Some("0000aaaa-11bb-cccc-dd22-eeeeee333333")
            );
            assert!(s
                .summary()
                .unwrap()
                .starts_with("AADSTS700084: The refresh token"));
            assert!(s.summary().unwrap().ends_with("cannot be extended."));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_aadsts_and_suberror_are_kept() {
    let body = r#"{"error":"invalid_grant","error_description":"AADSTS999999: new","error_codes":[999999],"suberror":"novel"}"#;
    match parse_token_response(&response(400, body), 0) {
        Err(Error::Server(s)) => {
            assert_eq!(s.aadsts, Some(999999));
            assert_eq!(s.suberror.as_deref(), Some("novel"));
        }
        other => panic!("{other:?}"),
    }
    let body = r#"{"error":"invalid_grant","error_description":"AADSTS65001: consent","error_codes":[65001],"suberror":"consent_required"}"#;
    assert!(matches!(
        parse_token_response(&response(400, body), 0),
        Err(Error::InteractionRequired {
            reason: InteractionReason::ConsentRequired,
            ..
        })
    ));
}

#[test]
fn spa_origin_errors_stay_server_errors() {
    let body = r#"{"error":"invalid_request","error_description":"AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.","error_codes":[9002327]}"#;
    match parse_token_response(&response(400, body), 0) {
        Err(Error::Server(s)) => assert_eq!(s.aadsts, Some(9002327)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn non_json_bodies_are_typed() {
    match parse_token_response(&response(502, "<html>bad gateway</html>"), 0) {
        Err(Error::Server(s)) => {
            assert_eq!(s.code, "http_502");
            assert_eq!(s.status, Some(502));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse_token_response(&response(200, "{\"access_token\": 5}"), 0),
        Err(Error::Response(ResponseError::Malformed { .. }))
    ));
    assert!(matches!(
        parse_token_response(&response(200, "{}"), 0),
        Err(Error::Response(ResponseError::MissingField {
            field: "access_token",
            ..
        }))
    ));
}
