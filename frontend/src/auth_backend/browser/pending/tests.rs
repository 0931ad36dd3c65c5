use auth_core::authorize::{begin, AuthorizeOptions, ResponseMode};
use auth_core::config::{ClientType, Config};
use shell_contract::ErrorCode;

use super::*;

fn config() -> Config {
    Config::new(
        "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61",
        "http://localhost:4123/common",
        "http://localhost:1420/",
        ClientType::Spa,
    )
    .expect("config")
}

#[test]
fn an_attempt_survives_storage_and_matches_its_return() {
    let (url, authorization) = begin(&config(), &AuthorizeOptions::default()).expect("begin");
    assert!(url.as_str().contains("response_mode=fragment"));
    let state = authorization.state().to_owned();
    let entry = PendingEntry {
        authorization,
        resume: Op::ReadMail,
    };
    let blob = entry.to_json().expect("json");
    let back = PendingEntry::from_json(&blob).expect("read back");
    assert_eq!(back.resume, Op::ReadMail);
    assert_eq!(back.authorization.response_mode(), ResponseMode::Fragment);
    let grant = back
        .authorization
        .accept(&format!("http://localhost:1420/#code=abc&state={state}"))
        .expect("accepted");
    assert!(grant.scopes().iter().any(|s| s == "User.Read"));
}

#[test]
fn a_tampered_state_is_refused() {
    let (_, authorization) = begin(&config(), &AuthorizeOptions::default()).expect("begin");
    let e = authorization
        .accept("http://localhost:1420/#code=abc&state=forged")
        .expect_err("mismatch");
    assert_eq!(
        crate::error::AppError::from(e).code,
        ErrorCode::StateMismatch
    );
}

#[test]
fn an_unreadable_attempt_is_an_error_not_a_panic() {
    let e = PendingEntry::from_json("{not json").expect_err("bad");
    assert_eq!(e.code, ErrorCode::StateMismatch);
}

#[test]
fn responses_are_found_in_the_query_or_the_fragment() {
    assert!(response_in("http://localhost:1420/#code=a&state=b").is_some());
    assert!(response_in("http://localhost:1420/?error=access_denied&state=b").is_some());
    assert!(response_in("http://localhost:1420/").is_none());
    assert!(response_in("http://localhost:1420/?state=b").is_none());
    assert!(response_in("http://localhost:1420/#list3").is_none());
}

#[test]
fn an_orphan_response_quotes_the_idp_error() {
    let params = response_in(
        "http://localhost:1420/#error=invalid_request&error_description=AADSTS50011%3A+bad+redirect&correlation_id=c0ffee&state=x",
    )
    .expect("a response");
    let e = orphan_response(&params);
    assert_eq!(e.code, ErrorCode::StateMismatch);
    assert!(
        e.message.contains("no sign-in was started"),
        "{}",
        e.message
    );
    assert!(e.message.contains("AADSTS50011"), "{}", e.message);
    assert!(e.message.contains("c0ffee"), "{}", e.message);
}
