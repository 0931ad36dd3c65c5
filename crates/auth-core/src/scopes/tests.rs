use super::*;

#[test]
fn oidc_scopes_are_added_once() {
    let s = with_oidc_scopes(&["User.Read".into(), "OpenID".into()]);
    assert_eq!(s, ["User.Read", "OpenID", "profile", "offline_access"]);
}

#[test]
fn normalize_drops_oidc_and_case() {
    let n = normalize(["Mail.Read", "openid", "user.read", "User.Read", ""]);
    assert_eq!(n, ["mail.read", "user.read"]);
    assert!(is_superset(&n, &normalize(["USER.READ"])));
    assert!(!is_superset(&n, &normalize(["Calendars.Read"])));
    assert!(is_superset(&n, &[]));
}
