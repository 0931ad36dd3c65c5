use super::*;
use crate::config::ClientType;
use crate::seams::HttpResponse;
use crate::token_cache::{MergeContext, TokenCache};
use crate::token_response::parse_token_response;

const NOW: u64 = 1_700_000_000;

fn config() -> Config {
    Config::new(
        "client",
        "https://login.microsoftonline.com/common",
        "http://localhost",
        ClientType::Spa,
    )
    .unwrap()
}

fn account() -> crate::account::Account {
    crate::account::Account {
        home_account_id: "u.t".into(),
        environment: "login.microsoftonline.com".into(),
        tenant_id: "t".into(),
        username: "u".into(),
        name: None,
        local_account_id: None,
        login_hint: None,
    }
}

fn cache_with(expires_in: u64, rt: bool, rt_expires_in: Option<u64>) -> TokenCache {
    let mut body = serde_json::json!({"token_type":"Bearer","scope":"User.Read Mail.Read","expires_in":expires_in,"access_token":"at"});
    if rt {
        body["refresh_token"] = "rt".into();
    }
    if let Some(e) = rt_expires_in {
        body["refresh_token_expires_in"] = e.into();
    }
    let resp = HttpResponse::new(200, body.to_string().into_bytes());
    let r = parse_token_response(&resp, NOW).unwrap();
    let acc = account();
    let mut c = TokenCache::new();
    let ctx = MergeContext {
        environment: "login.microsoftonline.com",
        client_id: "client",
        requested: &[],
        client_info: None,
        known: Some(&acc),
    };
    c.merge(&r, &ctx, None, NOW).unwrap();
    c
}

#[test]
fn a_fresh_token_is_a_cache_hit() {
    let c = cache_with(3600, true, None);
    match decide(
        &c,
        &SilentRequest::new(&config(), "u.t", &["user.read"]),
        NOW,
    ) {
        Decision::CacheHit(t) => {
            assert_eq!(t.access_token.secret(), "at");
            assert_eq!(t.expires_on, NOW + 3600);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_token_within_the_renewal_offset_is_refreshed() {
    let c = cache_with(3600, true, None);
    let at = NOW + 3600 - RENEWAL_OFFSET_SECONDS;
    match decide(
        &c,
        &SilentRequest::new(&config(), "u.t", &["User.Read"]),
        at,
    ) {
        Decision::Refresh(r) => {
            assert_eq!(r.refresh_token.secret(), "rt");
            assert_eq!(r.scopes, ["User.Read"]);
            assert_eq!(r.realm, "t");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        decide(
            &c,
            &SilentRequest::new(&config(), "u.t", &["User.Read"]),
            at - 1
        ),
        Decision::CacheHit(_)
    ));
}

#[test]
fn new_scopes_and_force_refresh_go_to_the_refresh_token() {
    let c = cache_with(3600, true, None);
    assert!(matches!(
        decide(
            &c,
            &SilentRequest::new(&config(), "u.t", &["Calendars.Read"]),
            NOW
        ),
        Decision::Refresh(_)
    ));
    assert!(matches!(
        decide(
            &c,
            &SilentRequest::new(&config(), "u.t", &["User.Read"]).force_refresh(),
            NOW
        ),
        Decision::Refresh(_)
    ));
}

#[test]
fn interaction_reasons() {
    let c = cache_with(3600, false, None);
    let ir = |d| match d {
        Decision::InteractionRequired(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        ir(decide(
            &c,
            &SilentRequest::new(&config(), "nobody", &["User.Read"]),
            NOW
        )),
        InteractionReason::NoAccount
    );
    assert_eq!(
        ir(decide(
            &c,
            &SilentRequest::new(&config(), "u.t", &["Mail.Send"]),
            NOW
        )),
        InteractionReason::NoRefreshToken
    );
    let c = cache_with(3600, true, Some(86400));
    assert_eq!(
        ir(decide(
            &c,
            &SilentRequest::new(&config(), "u.t", &["Mail.Send"]),
            NOW + 86400
        )),
        InteractionReason::RefreshTokenExpired
    );
    let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1"}}}"#;
    assert_eq!(
        ir(decide(
            &c,
            &SilentRequest::new(&config(), "u.t", &["User.Read"]).with_claims(claims),
            NOW
        )),
        InteractionReason::ClaimsChallenge {
            claims: claims.into()
        }
    );
}
