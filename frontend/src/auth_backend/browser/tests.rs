use auth_core::token_cache::{CacheError, TokenCache};
use shell_contract::ErrorCode;

use super::unreadable_cache;

#[test]
fn an_unreadable_cache_says_where_it_was_set_aside() {
    let e = TokenCache::from_json("{\"version\": 1, \"accounts\": 3}").expect_err("corrupt");
    let notice = unreadable_cache(&e, Some("graphSignin.tokenCache.corrupt-17"));
    assert_eq!(notice.code, ErrorCode::Cache);
    assert!(
        notice.message.contains("could not be read"),
        "{}",
        notice.message
    );
    assert!(
        notice.message.contains("graphSignin.tokenCache.corrupt-17"),
        "{}",
        notice.message
    );
    assert!(
        notice.message.contains("sign in again"),
        "{}",
        notice.message
    );
}

#[test]
fn another_format_version_is_named() {
    let e = TokenCache::from_json("{\"version\": 9}").expect_err("version");
    assert!(matches!(e, CacheError::UnsupportedVersion { found: 9 }));
    let notice = unreadable_cache(&e, None);
    assert!(
        notice.message.contains("format version 9"),
        "{}",
        notice.message
    );
    assert!(!notice.message.contains("set aside"), "{}", notice.message);
}
