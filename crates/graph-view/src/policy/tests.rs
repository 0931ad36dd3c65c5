use base64::Engine as _;

use super::*;

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    headers
        .iter()
        .fold(HttpResponse::new(status, body), |r, (k, v)| {
            r.with_header(k, *v)
        })
}

#[test]
fn each_call_has_its_scopes_and_keeps_the_endpoints_path() {
    assert_eq!(Call::Profile.scopes(), ["User.Read"]);
    assert_eq!(Call::Mails.scopes(), ["User.Read", "Mail.Read"]);
    assert_eq!(
        Call::Profile.url("https://graph.microsoft.com/"),
        format!("https://graph.microsoft.com{ME_PATH}")
    );
    // A base path without a trailing slash stays (Url::join would drop `graph`).
    assert_eq!(
        Call::Mails.url("http://127.0.0.1:8080/graph"),
        format!("http://127.0.0.1:8080/graph{MESSAGES_PATH}")
    );
    let request = Call::Profile
        .request("http://localhost:4123", "tok")
        .unwrap();
    assert_eq!(request.header("authorization"), Some("Bearer tok"));
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url, format!("http://localhost:4123{ME_PATH}"));
    // An endpoint that is no URL is the configuration's failure, said as one.
    let refused = Call::Profile.request("graph.example", "tok").unwrap_err();
    assert_eq!(refused.kind, FailureKind::Config);
    assert!(
        refused.message.contains("Fix `graphEndpoint`"),
        "{}",
        refused.message
    );
}

#[test]
fn success_is_the_body() {
    assert_eq!(
        Attempt::new().read(response(200, &[], "{}"), 0),
        Outcome::Data(b"{}".to_vec())
    );
}

#[test]
fn a_claims_challenge_and_a_refused_token_are_told_apart() {
    let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1"}}}"#;
    let header = format!(
        r#"Bearer realm="", error="insufficient_claims", claims="{}""#,
        base64::engine::general_purpose::STANDARD.encode(claims)
    );
    let mut attempt = Attempt::new();
    assert_eq!(
        attempt.read(response(401, &[("www-authenticate", &header)], ""), 0),
        Outcome::ClaimsChallenge(claims.to_owned())
    );
    let body = r#"{"error":{"code":"InvalidAuthenticationToken","message":"Expired."}}"#;
    assert_eq!(
        attempt.read(response(401, &[], body), 0),
        Outcome::TokenRefused
    );
}

#[test]
fn throttling_is_waited_out_within_the_limits() {
    let mut attempt = Attempt::new();
    let busy = || response(429, &[("retry-after", "2")], "");
    assert_eq!(attempt.read(busy(), 0), Outcome::RetryAfter(2));
    assert_eq!(attempt.read(busy(), 0), Outcome::RetryAfter(2));
    assert_eq!(attempt.read(busy(), 0), Outcome::RetryAfter(2));
    match attempt.read(busy(), 0) {
        Outcome::Failed(f) => {
            assert_eq!((f.kind, f.retry_after), (FailureKind::Throttled, Some(2)));
            assert_eq!(f.kind.code(), "throttled");
        }
        other => panic!("after {MAX_RETRIES} retries: {other:?}"),
    }

    // A wait beyond the call's budget is not waited: the user is told when to come back.
    match Attempt::new().read(response(503, &[("retry-after", "31")], ""), 0) {
        Outcome::Failed(f) => assert_eq!(f.retry_after, Some(31)),
        other => panic!("{other:?}"),
    }

    // Without Retry-After: an exponential backoff.
    let mut attempt = Attempt::new();
    let waits: Vec<Outcome> = (0..3)
        .map(|_| attempt.read(response(503, &[], ""), 0))
        .collect();
    assert_eq!(
        waits,
        [
            Outcome::RetryAfter(1),
            Outcome::RetryAfter(2),
            Outcome::RetryAfter(4)
        ]
    );
}

#[test]
fn a_missing_mailbox_a_forbidden_call_and_an_unreadable_error_are_said_so() {
    for code in ["MailboxNotEnabledForRESTAPI", "ResourceNotFound"] {
        let body = format!(r#"{{"error":{{"code":"{code}","message":"x"}}}}"#);
        match Attempt::new().read(response(404, &[], &body), 0) {
            Outcome::Failed(f) => assert_eq!(f.kind, FailureKind::NoMailbox, "{code}"),
            other => panic!("{other:?}"),
        }
    }
    let body =
        r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}"#;
    match Attempt::new().read(response(403, &[], body), 0) {
        Outcome::Failed(f) => {
            assert_eq!(f.kind, FailureKind::Graph);
            assert!(f.message.contains("lacks a permission"), "{}", f.message);
            assert!(
                f.message.contains("Insufficient privileges."),
                "{}",
                f.message
            );
        }
        other => panic!("{other:?}"),
    }
    match Attempt::new().read(response(500, &[], "<html>oops</html>"), 0) {
        Outcome::Failed(f) => assert_eq!(
            f.message,
            "Microsoft Graph answered 500 with a body this app cannot read."
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_userinfo_failure_names_the_provider_not_graph() {
    let f = Failure::network("timed out").of(Call::UserInfo);
    assert_eq!(
        f.message,
        "The identity provider's userinfo endpoint cannot be reached (timed out). Check your \
         connection and try again."
    );
    let refused = Failure::token_refused().of(Call::UserInfo);
    assert!(refused
        .message
        .starts_with("The identity provider's userinfo endpoint refused"));
    // The userinfo call goes to the endpoint discovery named, as it is.
    assert_eq!(
        Call::UserInfo.url("http://127.0.0.1:9/me"),
        "http://127.0.0.1:9/me"
    );
    assert!(Call::UserInfo.scopes().is_empty());
    // Graph's calls keep Graph's name.
    let graph = Failure::network("timed out").of(Call::Profile);
    assert!(graph
        .message
        .starts_with("Microsoft Graph cannot be reached"));
}
