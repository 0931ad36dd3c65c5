use auth_core::error::ServerError;
use shell_contract::ErrorCode;

use super::AppError;

fn server(code: &str, aadsts: Option<u32>, description: &str) -> ServerError {
    let mut s = ServerError::default();
    s.code = code.to_owned();
    s.aadsts = aadsts;
    s.description = Some(description.to_owned());
    s.correlation_id = Some("c0ffee-1234".to_owned());
    s
}

#[test]
fn throttled_keeps_the_retry_time() {
    let e = AppError::from(auth_core::Error::Throttled {
        retry_at: 1_000,
        retry_after: 17,
    });
    assert_eq!(e.code, ErrorCode::Throttled);
    assert_eq!(e.retry_after, Some(17));
    assert_eq!(
        e.retry_hint().as_deref(),
        Some("You can try again in 17 seconds.")
    );
}

#[test]
fn declined_consent_is_consent_denied() {
    let e = AppError::from(auth_core::Error::from_server(server(
        "access_denied",
        Some(65004),
        "AADSTS65004: User declined to consent to access the app.",
    )));
    assert_eq!(e.code, ErrorCode::ConsentDenied);
    assert!(
        e.message.contains("accept the permissions"),
        "{}",
        e.message
    );
}

#[test]
fn a_cancelled_sign_in_is_user_cancelled() {
    let e = AppError::from(auth_core::Error::UserCancelled { server: None });
    assert_eq!(e.code, ErrorCode::UserCancelled);
    assert!(e.message.contains("cancelled"), "{}", e.message);
}

#[test]
fn server_errors_carry_the_aadsts_code_and_correlation_id() {
    let e = AppError::from(auth_core::Error::from_server(server(
        "invalid_request",
        Some(50011),
        "AADSTS50011: The redirect URI does not match.",
    )));
    assert_eq!(e.code, ErrorCode::Server);
    assert!(e.message.contains("AADSTS50011"), "{}", e.message);
    assert!(e.message.contains("c0ffee-1234"), "{}", e.message);
}

#[test]
fn desktop_rejections_deserialize() {
    let e: AppError =
        serde_json::from_str(r#"{"code":"throttled","message":"Wait.","retryAfter":5}"#)
            .expect("the shell's error shape");
    assert_eq!(e.retry_after, Some(5));
    let e: AppError =
        serde_json::from_str(r#"{"code":"network","message":"Offline."}"#).expect("no retryAfter");
    assert_eq!(e.retry_after, None);
    assert_eq!(e.title(), "Network problem.");
}
