use super::*;

/// A response with `status`, and `Retry-After` when given.
fn answer(status: u16, retry_after: Option<&str>) -> HttpResponse {
    let response = HttpResponse::new(status, Vec::new());
    match retry_after {
        Some(v) => response.with_header("Retry-After", v),
        None => response,
    }
}

#[test]
fn retry_after_is_honoured_then_expires() {
    let key = throttle_key("c", "https://l/common", &["User.Read"], Some("u.t"));
    let mut t = Throttle::new();
    t.record(&key, &answer(429, Some("120")), 1000);
    match t.check(&key, 1001) {
        Err(Error::Throttled {
            retry_at,
            retry_after,
        }) => {
            assert_eq!(retry_at, 1120);
            assert_eq!(retry_after, 119);
        }
        other => panic!("{other:?}"),
    }
    assert!(t.check(&key, 1120).is_ok());
    // Another request is not throttled.
    let other = throttle_key("c", "https://l/common", &["Mail.Read"], Some("u.t"));
    t.record(&key, &answer(429, Some("120")), 1000);
    assert!(t.check(&other, 1001).is_ok());
    t.prune(2000);
    assert_eq!(t, Throttle::new());
}

#[test]
fn msal_defaults_and_caps() {
    let mut t = Throttle::new();
    t.record("k", &answer(429, None), 0);
    assert!(matches!(
        t.check("k", 0),
        Err(Error::Throttled { retry_at: 60, .. })
    ));
    t.record("k", &answer(503, Some("999999")), 0);
    assert!(matches!(
        t.check("k", 0),
        Err(Error::Throttled { retry_at: 3600, .. })
    ));
    t.record("k", &answer(200, None), 0);
    assert!(t.check("k", 0).is_ok());
    t.record("k", &answer(400, None), 0);
    assert!(t.check("k", 0).is_ok(), "a plain 400 is not throttled");
}

#[test]
fn retry_after_parses_http_dates() {
    // 1994-11-06T08:49:37Z = 784111777.
    let h = answer(503, Some("Sun, 06 Nov 1994 08:49:37 GMT"));
    assert_eq!(retry_after(&h, 784111700), Some(77));
    assert_eq!(retry_after(&answer(503, Some("soon")), 0), None);
    let key = throttle_key("C", "A", &["b", "A", "a"], None);
    assert_eq!(key, "c|a|a b|");
}
