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

#[test]
fn a_generic_providers_username_falls_back_to_the_email() {
    let generic = |extra: serde_json::Value| -> IdTokenClaims {
        let mut c = serde_json::json!({
            "iss": "https://idp.example", "sub": "248289761001", "exp": 2, "iat": 1,
            "tid": null, "oid": null, "preferred_username": null, "name": "Jane",
            "login_hint": null, "sid": null
        });
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        serde_json::from_value(c).unwrap()
    };
    let a = Account::from_claims(
        None,
        &generic(serde_json::json!({"email": "jane@example.com"})),
        "idp.example",
    );
    assert_eq!(a.username, "jane@example.com");
    assert_eq!(a.home_account_id, "248289761001");
    let both =
        generic(serde_json::json!({"email": "jane@example.com", "preferred_username": "j.doe"}));
    assert_eq!(
        Account::from_claims(None, &both, "idp.example").username,
        "j.doe"
    );
    // An Entra token (it has `tid`) keeps Entra's rule: no email fallback.
    let mut entra = claims();
    entra.preferred_username = None;
    entra.email = Some("ada@contoso.com".into());
    assert_eq!(Account::from_claims(None, &entra, "e").username, "");
}
