use super::*;

#[test]
fn debug_never_shows_the_value() {
    let token = AccessToken::new("eyJ.secret.value".into());
    assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
    let verifier = PkceVerifier::new("verifier-value".into());
    assert!(!format!("{verifier:?}").contains("verifier-value"));
}

#[test]
fn serializes_as_a_plain_string() {
    let token = RefreshToken::new("rt".into());
    assert_eq!(serde_json::to_string(&token).unwrap(), "\"rt\"");
    let back: RefreshToken = serde_json::from_str("\"rt2\"").unwrap();
    assert_eq!(back.secret(), "rt2");
}
