use base64::Engine;

use super::*;

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.as_bytes().to_vec()).expect("response")
}

#[test]
fn urls_and_requests() {
    assert_eq!(
        url("http://localhost:4123/", ME_PATH),
        "http://localhost:4123/v1.0/me?$select=displayName,jobTitle,mail,businessPhones,mobilePhone,officeLocation"
    );
    assert_eq!(
        url("https://graph.microsoft.com", MESSAGES_PATH),
        "https://graph.microsoft.com/v1.0/me/messages?$top=10&$select=subject,from,bodyPreview"
    );
    let r = request("http://localhost:4123/v1.0/me", "tok").expect("request");
    assert_eq!(r.headers()["authorization"], "Bearer tok");
    assert_eq!(r.method(), "GET");
}

#[test]
fn success_is_the_body() {
    assert_eq!(
        classify(response(200, &[], "{}"), 0),
        GraphReply::Ok(b"{}".to_vec())
    );
}

#[test]
fn a_claims_challenge_is_read() {
    let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1"}}}"#;
    let encoded = base64::engine::general_purpose::STANDARD.encode(claims);
    let header = format!(
        r#"Bearer realm="", authorization_uri="http://localhost:4123/common/oauth2/v2.0/authorize", error="insufficient_claims", claims="{encoded}""#
    );
    let reply = classify(response(401, &[("www-authenticate", &header)], ""), 0);
    assert_eq!(reply, GraphReply::ClaimsChallenge(claims.to_owned()));
}

#[test]
fn a_plain_401_is_unauthorized() {
    let reply = classify(
        response(
            401,
            &[],
            r#"{"error":{"code":"InvalidAuthenticationToken","message":"Expired."}}"#,
        ),
        0,
    );
    match reply {
        GraphReply::Unauthorized(e) => assert!(e.message.contains("Expired."), "{}", e.message),
        other => panic!("{other:?}"),
    }
}

#[test]
fn throttling_keeps_retry_after() {
    match classify(response(429, &[("retry-after", "7")], ""), 0) {
        GraphReply::Failed(e) => {
            assert_eq!(e.code, "throttled");
            assert_eq!(e.retry_after, Some(7));
        }
        other => panic!("{other:?}"),
    }
    match classify(response(503, &[], ""), 0) {
        GraphReply::Failed(e) => assert_eq!(e.retry_after, Some(30)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_mailbox_is_no_mailbox() {
    let reply = classify(
        response(
            404,
            &[],
            r#"{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"The mailbox is either inactive, soft-deleted, or is hosted on-premise."}}"#,
        ),
        0,
    );
    assert_eq!(
        reply,
        GraphReply::Failed(AppError::new("no_mailbox", "This account has no mailbox."))
    );
}

#[test]
fn other_failures_quote_graph() {
    match classify(
        response(
            500,
            &[],
            r#"{"error":{"code":"generalException","message":"Boom."}}"#,
        ),
        0,
    ) {
        GraphReply::Failed(e) => {
            assert_eq!(e.code, "graph");
            assert!(
                e.message.contains("HTTP 500 (generalException)"),
                "{}",
                e.message
            );
            assert!(e.message.contains("Boom."), "{}", e.message);
        }
        other => panic!("{other:?}"),
    }
}
