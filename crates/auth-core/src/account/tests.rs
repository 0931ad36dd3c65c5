use super::*;

fn claims() -> IdTokenClaims {
    serde_json::from_value(serde_json::json!({
        "iss": "https://login.microsoftonline.com/t1/v2.0", "sub": "s", "exp": 2, "iat": 1,
        "tid": "t1", "oid": "o1", "preferred_username": "ada@contoso.com", "name": "Ada",
        "login_hint": null, "sid": null
    }))
    .unwrap()
}

#[test]
fn home_id_prefers_client_info_then_oid_tid_then_sub() {
    let ci = ClientInfo {
        uid: "u".into(),
        utid: "ut".into(),
    };
    let a = Account::from_claims(Some(&ci), &claims(), "login.microsoftonline.com");
    assert_eq!(a.home_account_id, "u.ut");
    assert_eq!(a.tenant_id, "t1");
    assert_eq!(a.username, "ada@contoso.com");
    assert_eq!(a.local_account_id.as_deref(), Some("o1"));
    assert_eq!(a.cache_key(), "u.ut-login.microsoftonline.com-t1");
    assert_eq!(
        Account::from_claims(None, &claims(), "e").home_account_id,
        "o1.t1"
    );
    let mut c = claims();
    c.oid = None;
    assert_eq!(Account::from_claims(None, &c, "e").home_account_id, "s");
}
