use serde_json::json;

use super::*;
use crate::seams::HttpResponse;
use crate::token_response::parse_token_response;

const ENV: &str = "login.microsoftonline.com";

pub(crate) fn response(scope: &str, at: &str, rt: Option<&str>, now: u64) -> TokenResponse {
    let mut body =
        json!({"token_type": "Bearer", "scope": scope, "expires_in": 3600, "access_token": at});
    if let Some(rt) = rt {
        body["refresh_token"] = json!(rt);
    }
    let resp = HttpResponse::new(200, body.to_string().into_bytes());
    parse_token_response(&resp, now).unwrap()
}

pub(crate) fn account(home: &str) -> Account {
    Account {
        home_account_id: home.into(),
        environment: ENV.into(),
        tenant_id: "tid".into(),
        username: format!("{home}@contoso.com"),
        name: None,
        local_account_id: None,
        login_hint: None,
    }
}

pub(crate) fn put(
    cache: &mut TokenCache,
    home: &str,
    scope: &str,
    at: &str,
    rt: Option<&str>,
    now: u64,
) {
    let acc = account(home);
    let ctx = MergeContext {
        environment: ENV,
        client_id: "client",
        requested: &[],
        client_info: None,
        known: Some(&acc),
    };
    cache
        .merge(&response(scope, at, rt, now), &ctx, None, now)
        .unwrap();
}

fn scopes(s: &[&str]) -> Vec<String> {
    normalize(s.iter().copied())
}

#[test]
fn keys_follow_msal_schema() {
    let mut c = TokenCache::new();
    put(&mut c, "U.T", "User.Read openid", "at", Some("rt"), 10);
    let keys: Vec<&String> = c.access_tokens.keys().collect();
    assert_eq!(
        keys,
        ["u.t-login.microsoftonline.com-accesstoken-client-tid-user.read openid"]
    );
    let rt_keys: Vec<&String> = c.refresh_tokens.keys().collect();
    assert_eq!(
        rt_keys,
        ["u.t-login.microsoftonline.com-refreshtoken-client--"]
    );
    assert_eq!(
        c.accounts.keys().collect::<Vec<_>>(),
        ["u.t-login.microsoftonline.com-tid"]
    );
}

#[test]
fn superset_lookup_ignores_case_and_oidc_scopes() {
    let mut c = TokenCache::new();
    put(
        &mut c,
        "u.t",
        "User.Read Mail.Read openid profile offline_access",
        "at1",
        Some("rt"),
        10,
    );
    let a = account("u.t");
    assert_eq!(
        c.access_token(&a, "client", &scopes(&["user.read"]))
            .unwrap()
            .secret
            .secret(),
        "at1"
    );
    assert!(c
        .access_token(&a, "client", &scopes(&["MAIL.READ", "openid"]))
        .is_some());
    assert!(c
        .access_token(&a, "client", &scopes(&["Calendars.Read"]))
        .is_none());
    assert!(c
        .access_token(&a, "other-client", &scopes(&["User.Read"]))
        .is_none());
    assert!(c
        .access_token(&account("someone"), "client", &scopes(&["User.Read"]))
        .is_none());
}

#[test]
fn merge_replaces_intersecting_access_tokens_and_the_refresh_token() {
    let mut c = TokenCache::new();
    put(&mut c, "u.t", "User.Read", "at1", Some("rt1"), 10);
    put(&mut c, "u.t", "Calendars.Read", "at2", None, 10);
    put(&mut c, "u.t", "User.Read Mail.Read", "at3", Some("rt2"), 20);
    let a = account("u.t");
    let mut secrets: Vec<&str> = c
        .access_tokens
        .values()
        .map(|t| t.secret.secret())
        .collect();
    secrets.sort_unstable();
    assert_eq!(secrets, ["at2", "at3"]);
    assert_eq!(
        c.refresh_token(&a, "client").unwrap().secret.secret(),
        "rt2"
    );
    assert_eq!(c.refresh_tokens.len(), 1);
}

#[test]
fn remove_account_takes_everything_it_owns() {
    let mut c = TokenCache::new();
    put(&mut c, "u.t", "User.Read", "at1", Some("rt1"), 10);
    put(&mut c, "v.t", "User.Read", "at2", Some("rt2"), 10);
    c.remove_account("U.T");
    assert!(c.account("u.t", ENV).is_none());
    assert_eq!(c.access_tokens.len(), 1);
    assert_eq!(c.refresh_tokens.len(), 1);
    assert!(c.account("v.t", ENV).is_some());
}

#[test]
fn json_round_trip_is_versioned() {
    let mut c = TokenCache::new();
    put(&mut c, "u.t", "User.Read", "at1", Some("rt1"), 10);
    let blob = c.to_json().unwrap();
    assert!(blob.starts_with("{\"version\":1,"), "{blob}");
    let back = TokenCache::from_json(&blob).unwrap();
    let a = account("u.t");
    assert_eq!(
        back.access_token(&a, "client", &scopes(&["user.read"]))
            .unwrap()
            .secret
            .secret(),
        "at1"
    );
    assert_eq!(back.to_json().unwrap(), blob);
}

#[test]
fn unknown_version_or_corrupt_blob_is_an_error() {
    assert!(matches!(
        TokenCache::from_json(r#"{"version":2,"accounts":{}}"#),
        Err(CacheError::UnsupportedVersion { found: 2 })
    ));
    assert!(matches!(
        TokenCache::from_json("{}"),
        Err(CacheError::Corrupt(_))
    ));
    assert!(matches!(
        TokenCache::from_json("not json"),
        Err(CacheError::Corrupt(_))
    ));
    let err = TokenCache::from_json(r#"{"version":1,"accessTokens":{"k":{"secret":"at-secret"}}}"#)
        .unwrap_err();
    assert!(!err.to_string().contains("at-secret"), "{err}");
}

#[test]
fn merge_without_account_or_id_token_fails() {
    let mut c = TokenCache::new();
    let ctx = MergeContext {
        environment: ENV,
        client_id: "c",
        requested: &[],
        client_info: None,
        known: None,
    };
    assert!(c
        .merge(&response("User.Read", "at", None, 0), &ctx, None, 0)
        .is_err());
}

#[test]
fn a_rotated_refresh_token_keeps_the_fixed_spa_expiry() {
    let mut c = TokenCache::new();
    let acc = account("u.t");
    let ctx = MergeContext {
        environment: ENV,
        client_id: "client",
        requested: &[],
        client_info: None,
        known: Some(&acc),
    };
    let mut first = response("User.Read", "at1", Some("rt1"), 0);
    first.refresh_token_expires_on = Some(86_400);
    c.merge(&first, &ctx, None, 0).unwrap();
    c.merge(
        &response("User.Read", "at2", Some("rt2"), 100),
        &ctx,
        None,
        100,
    )
    .unwrap();
    let rt = c.refresh_token(&acc, "client").unwrap();
    assert_eq!((rt.secret.secret(), rt.expires_on), ("rt2", Some(86_400)));
}

fn entry_refs(entries: &[(String, String)]) -> Vec<(&str, &str)> {
    entries
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[test]
fn entries_round_trip_one_credential_per_entry() {
    let mut c = TokenCache::new();
    put(&mut c, "u.t", "User.Read", "at1", Some("rt1"), 10);
    put(&mut c, "u.t", "Mail.Read", "at2", None, 10);
    let entries = c.entries().unwrap();
    assert_eq!(entries[0], ("version".to_owned(), "1".to_owned()));
    let kinds: Vec<&str> = entries
        .iter()
        .skip(1)
        .map(|(k, _)| k.split('.').next().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["account", "accesstoken", "accesstoken", "refreshtoken"]
    );
    // Foreign names and order do not matter.
    let mut shuffled = entry_refs(&entries);
    shuffled.reverse();
    shuffled.push(("somethingelse.x", "{}"));
    let back = TokenCache::from_entries(shuffled).unwrap();
    assert!(back.dropped.is_empty(), "{:?}", back.dropped);
    assert_eq!(back.cache.to_json().unwrap(), c.to_json().unwrap());
    // Nothing stored at all is an empty cache; credentials without a version are not.
    assert_eq!(
        TokenCache::from_entries([])
            .unwrap()
            .cache
            .accounts()
            .count(),
        0
    );
    let no_version = entry_refs(&entries[1..]);
    assert!(matches!(
        TokenCache::from_entries(no_version),
        Err(CacheError::Corrupt(_))
    ));
    let mut future = entry_refs(&entries);
    future[0].1 = "9";
    assert!(matches!(
        TokenCache::from_entries(future),
        Err(CacheError::UnsupportedVersion { found: 9 })
    ));
}

#[test]
fn entries_of_a_signed_out_account_and_broken_entries_are_left_out_and_named() {
    let mut c = TokenCache::new();
    put(&mut c, "u.t", "User.Read", "at1", Some("rt1"), 10);
    let entries = c.entries().unwrap();
    // Another tab signed the account out (its entry is gone) while this one wrote a token.
    let without_account: Vec<(&str, &str)> = entry_refs(&entries)
        .into_iter()
        .filter(|(k, _)| !k.starts_with("account."))
        .collect();
    let read = TokenCache::from_entries(without_account).unwrap();
    assert_eq!(read.cache.accounts().count(), 0);
    assert!(read.cache.to_json().unwrap().find("at1").is_none());
    let dropped: Vec<&Dropped> = read.dropped.iter().map(|(_, d)| d).collect();
    assert_eq!(dropped, [&Dropped::Orphan, &Dropped::Orphan]);
    assert!(read
        .dropped
        .iter()
        .any(|(k, _)| k.starts_with("refreshtoken.")));

    let mut broken = entry_refs(&entries);
    let rt = broken
        .iter()
        .position(|(k, _)| k.starts_with("refreshtoken."))
        .unwrap();
    broken[rt].1 = "{\"secret\": 5";
    let read = TokenCache::from_entries(broken).unwrap();
    assert!(
        matches!(read.dropped[..], [(ref k, Dropped::Unreadable(_))] if k.starts_with("refreshtoken."))
    );
    assert_eq!(read.cache.accounts().count(), 1, "the rest is kept");
}

#[test]
fn a_blob_reads_its_objects_in_any_order_and_the_last_duplicate_wins() {
    let mut c = TokenCache::new();
    put(&mut c, "u.t", "User.Read", "at1", Some("rt1"), 10);
    put(&mut c, "v.t", "User.Read", "at2", Some("rt2"), 10);
    let accounts: Vec<(String, String)> = c
        .entries()
        .unwrap()
        .into_iter()
        .filter_map(|(name, json)| Some((name.strip_prefix("account.")?.to_owned(), json)))
        .collect();
    let [(u_key, u), (v_key, v)] = &accounts[..] else {
        panic!("{accounts:?}");
    };
    let renamed = u.replace("u.t@contoso.com", "renamed@contoso.com");
    let blob = format!(
        r#"{{"version":1,"accounts":{{"{v_key}":{v},"{u_key}":{u},"{u_key}":{renamed}}},"idTokens":{{}},"accessTokens":{{}},"refreshTokens":{{}}}}"#
    );
    let back = TokenCache::from_json(&blob).unwrap();
    let homes: Vec<&str> = back
        .accounts()
        .map(|a| a.home_account_id.as_str())
        .collect();
    assert_eq!(homes, ["u.t", "v.t"]);
    assert_eq!(
        back.account("u.t", ENV).unwrap().username,
        "renamed@contoso.com"
    );
    assert_eq!(
        back.account("V.T", ENV).unwrap().username,
        "v.t@contoso.com"
    );

    // A map is an object: a list of pairs is not a cache.
    let pairs = format!(
        r#"{{"version":1,"accounts":[["{u_key}",{u}]],"idTokens":{{}},"accessTokens":{{}},"refreshTokens":{{}}}}"#
    );
    assert!(matches!(
        TokenCache::from_json(&pairs),
        Err(CacheError::Corrupt(_))
    ));
}
