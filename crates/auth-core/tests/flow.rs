//! The whole flow through the public API, as a shell runs it: build the authorize URL, keep
//! the attempt across a (serialized) redirect, accept the redirect, redeem the code with a mock
//! HTTP client, cache, save and reload, then decide silently. Uses no threads, sockets or clock,
//! so it also runs under wasm-bindgen-test in headless Chromium (`scripts/test.sh`:
//! `cargo test -p auth-core --target wasm32-unknown-unknown --test flow`), where signatures are
//! checked by the browser's Web Crypto rather than aws-lc-rs.

mod support;

use std::future::ready;

use auth_core::authorize::{begin, AuthorizeOptions, PendingAuthorization};
use auth_core::config::{ClientType, Config, ProtocolMode, RawConfig};
use auth_core::error::NetworkError;
use auth_core::flow::{redeem_code, KeyCache};
use auth_core::id_token::{validate_async, Expectations, IdTokenError, Jwks};
use auth_core::seams::{HttpRequest, HttpResponse};
use auth_core::silent::{decide, Decision, SilentRequest};
use auth_core::token_cache::TokenCache;
use auth_core::token_request::refresh_token_request;
use auth_core::token_response::parse_token_response;
use serde_json::json;
use support::*;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// A test on both targets: `body` awaits, natively on `block_on` (everything there is ready at
/// once), in the browser as the promise Web Crypto's answers need.
macro_rules! both_targets {
    ($name:ident, $body:ident) => {
        #[cfg(not(target_arch = "wasm32"))]
        #[test]
        fn $name() {
            futures_executor::block_on($body())
        }
        #[cfg(target_arch = "wasm32")]
        #[wasm_bindgen_test::wasm_bindgen_test]
        async fn $name() {
            $body().await
        }
    };
}

both_targets!(
    spa_sign_in_then_silent_then_refresh,
    spa_sign_in_then_silent_then_refresh_body
);
async fn spa_sign_in_then_silent_then_refresh_body() {
    let config = Config::new(
        CLIENT_ID,
        &format!("{BASE}/common"),
        "http://localhost:8080/",
        ClientType::Spa,
    )
    .unwrap();
    let (url, pending) = begin(&config, &AuthorizeOptions::default()).unwrap();
    assert!(url.as_str().contains("response_mode=fragment"));

    // The browser keeps the attempt in sessionStorage across the redirect.
    let stored = serde_json::to_string(&pending).unwrap();
    let pending: PendingAuthorization = serde_json::from_str(&stored).unwrap();
    let id_token = sign(&header("key1"), &claims(pending.nonce(), NOW), KEY1);
    let redirect = format!(
        "http://localhost:8080/#code=the-code&client_info={}&state={}",
        client_info("uid", "utid"),
        pending.state()
    );

    let http = |req: HttpRequest| {
        let response = match req.path() {
            "/common/oauth2/v2.0/token" => {
                assert_eq!(req.header("origin").unwrap(), "http://localhost:8080");
                let body = String::from_utf8(req.body.clone()).unwrap();
                assert!(body.contains("code=the-code"), "{body}");
                assert!(body.contains("code_verifier="), "{body}");
                json!({"token_type":"Bearer","scope":"User.Read openid profile","expires_in":3600,
                       "access_token":"at-1","refresh_token":"rt-1","refresh_token_expires_in":86400,
                       "id_token": id_token})
                .to_string()
            }
            "/common/discovery/v2.0/keys" => JWKS_BOTH.to_owned(),
            other => return ready(Err(NetworkError::new(format!("no route {other}")))),
        };
        ready(Ok(HttpResponse::new(200, response.into_bytes())))
    };

    let mut cache = TokenCache::new();
    let account = redeem_code(
        &http,
        &config,
        &mut KeyCache::new(),
        &mut cache,
        pending,
        &redirect,
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(account.home_account_id, "uid.utid");
    assert_eq!(account.username, "ada@contoso.com");

    // Persist and restore, as on the next start.
    let mut cache = TokenCache::from_json(&cache.to_json().unwrap()).unwrap();

    let me = SilentRequest::new(&config, &account.home_account_id, &["User.Read"]);
    match decide(&cache, &me, NOW + 60) {
        Decision::CacheHit(t) => assert_eq!(t.access_token.secret(), "at-1"),
        other => panic!("{other:?}"),
    }
    let mail = SilentRequest::new(
        &config,
        &account.home_account_id,
        &["User.Read", "Mail.Read"],
    );
    let Decision::Refresh(refresh) = decide(&cache, &mail, NOW + 60) else {
        panic!("expected a refresh")
    };
    let request = refresh_token_request(&config, &refresh).unwrap();
    assert!(String::from_utf8(request.body.clone())
        .unwrap()
        .contains("refresh_token=rt-1"));
    let response = HttpResponse::new(
        200,
        json!({"token_type":"Bearer","scope":"User.Read Mail.Read","expires_in":3600,
                   "access_token":"at-2","refresh_token":"rt-2"})
        .to_string()
        .into_bytes(),
    );
    let tokens = parse_token_response(&response, NOW + 60).unwrap();
    let ctx = auth_core::token_cache::MergeContext {
        environment: config.authority().environment(),
        client_id: config.client_id(),
        requested: mail.scopes(),
        client_info: None,
        known: Some(&account),
    };
    cache.merge(&tokens, &ctx, None, NOW + 60).unwrap();
    assert!(matches!(
        decide(&cache, &mail, NOW + 61),
        Decision::CacheHit(_)
    ));

    // After the SPA refresh token's 24 h, only interaction helps.
    let later = SilentRequest::new(&config, &account.home_account_id, &["Calendars.Read"]);
    assert!(matches!(
        decide(&cache, &later, NOW + 86_400 + 61),
        Decision::InteractionRequired(_)
    ));

    cache.remove_account(&account.home_account_id);
    assert!(matches!(
        decide(&cache, &me, NOW),
        Decision::InteractionRequired(_)
    ));
}

// The signature check of this target: the right key verifies, another key or a changed
// payload does not, and an unknown `kid` asks for the JWKS again.
both_targets!(
    id_token_signatures_are_checked_on_this_target,
    id_token_signatures_are_checked_on_this_target_body
);
async fn id_token_signatures_are_checked_on_this_target_body() {
    let expected = entra();
    let both = Jwks::from_json(JWKS_BOTH.as_bytes()).unwrap();
    let token = sign(&header("key1"), &claims("n-1", NOW), KEY1);
    let claims_ok = validate_async(&token, &both, &expected, NOW).await.unwrap();
    assert_eq!(claims_ok.name.as_deref(), Some("Ada Lovelace"));

    // Signed by key2 but naming key1.
    let forged = sign(&header("key1"), &claims("n-1", NOW), KEY2);
    assert_eq!(
        validate_async(&forged, &both, &expected, NOW).await,
        Err(IdTokenError::BadSignature)
    );

    // The payload changed after signing.
    let changed = tampered(&token, 1, |p| {
        *p = claims("n-2", NOW).to_string().into_bytes()
    });
    assert_eq!(
        validate_async(&changed, &both, &expected, NOW).await,
        Err(IdTokenError::BadSignature)
    );

    // Key rotation: a kid the JWKS does not hold.
    let only_key2 = Jwks::from_json(JWKS_KEY2.as_bytes()).unwrap();
    let error = validate_async(&token, &only_key2, &expected, NOW)
        .await
        .unwrap_err();
    assert!(error.needs_jwks_refresh(), "{error:?}");
}

// A generic provider's keys and tokens: RS256, PS256 and ES256, each with the RP
// certification's negative cases, on this target's verifiers (aws-lc natively; Web Crypto in
// the browser).
both_targets!(
    oidc_id_tokens_of_each_algorithm_are_checked_on_this_target,
    oidc_id_tokens_of_each_algorithm_are_checked_on_this_target_body
);
async fn oidc_id_tokens_of_each_algorithm_are_checked_on_this_target_body() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use jsonwebtoken::Algorithm;

    let (expected, claims) = generic_provider();
    // Two RSA keys and a P-256 one, as a provider that rotates both kinds publishes them.
    let mut mixed: serde_json::Value = serde_json::from_str(JWKS_BOTH).unwrap();
    let ec: serde_json::Value = serde_json::from_str(JWKS_EC1).unwrap();
    mixed["keys"]
        .as_array_mut()
        .unwrap()
        .push(ec["keys"][0].clone());
    let mixed = mixed.to_string();
    let jwks = Jwks::from_json_oidc(mixed.as_bytes()).unwrap();
    let entra = Jwks::from_json(mixed.as_bytes()).unwrap();

    for (alg, name, kid, key, other_type) in [
        (Algorithm::RS256, "RS256", "key1", KEY1, "ec1"),
        (Algorithm::PS256, "PS256", "key1", KEY1, "ec1"),
        (Algorithm::ES256, "ES256", "ec1", EC1, "key1"),
    ] {
        let header = |kid: Option<&str>| match kid {
            Some(kid) => json!({"typ": "JWT", "alg": name, "kid": kid}),
            None => json!({"typ": "JWT", "alg": name}),
        };
        let token = sign_alg(alg, &header(Some(kid)), &claims, key);
        let ok = validate_async(&token, &jwks, &expected, NOW)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ok.sub, "alice", "{name}");

        let changed = json!({"iss": "https://idp.example", "aud": CLIENT_ID, "sub": "mallory",
            "iat": NOW, "exp": NOW + 600, "nonce": "n-1"});
        for (what, tampered) in [
            // The payload changed after signing.
            (
                "changed payload",
                tampered(&token, 1, |p| *p = changed.to_string().into_bytes()),
            ),
            // One bit of the signature flipped.
            ("flipped signature", tampered(&token, 2, |s| s[5] ^= 1)),
            // The signature one byte short.
            (
                "short signature",
                tampered(&token, 2, |s| {
                    s.pop();
                }),
            ),
        ] {
            assert_eq!(
                validate_async(&tampered, &jwks, &expected, NOW).await,
                Err(IdTokenError::BadSignature),
                "{name}: {what}"
            );
        }
        // A key of the other type named by kid: refused before any verification.
        let wrong = sign_alg(alg, &header(Some(other_type)), &claims, key);
        assert_eq!(
            validate_async(&wrong, &jwks, &expected, NOW).await,
            Err(IdTokenError::KeyDoesNotFit(name)),
            "{name}: key of another type"
        );
        let unknown = sign_alg(alg, &header(Some("rotated")), &claims, key);
        assert_eq!(
            validate_async(&unknown, &jwks, &expected, NOW).await,
            Err(IdTokenError::UnknownKey("rotated".to_owned())),
            "{name}: unknown kid"
        );
        // Without kid, the one key that fits the algorithm: the P-256 key for ES256; two
        // RSA keys for RS256 and PS256 are ambiguous (OIDC Core §10.1).
        let no_kid = sign_alg(alg, &header(None), &claims, key);
        let found = validate_async(&no_kid, &jwks, &expected, NOW).await;
        if alg == Algorithm::ES256 {
            assert!(found.is_ok(), "{name}: {found:?}");
        } else {
            assert_eq!(found, Err(IdTokenError::AmbiguousKey), "{name}: no kid");
        }
        // An Entra authority's keys check RS256 only.
        let as_entra = validate_async(&token, &entra, &expected, NOW).await;
        if alg == Algorithm::RS256 {
            assert!(as_entra.is_ok(), "{as_entra:?}");
        } else {
            assert_eq!(
                as_entra,
                Err(IdTokenError::UnsupportedAlgorithm(name.to_owned())),
                "{name} at Entra"
            );
        }
    }

    // A JWK that names RS256 verifies nothing else with its key.
    let pinned = JWKS_KEY1.replace("\"kid\"", "\"alg\": \"RS256\", \"kid\"");
    let pinned = Jwks::from_json_oidc(pinned.as_bytes()).unwrap();
    let ps = sign_alg(
        Algorithm::PS256,
        &json!({"alg": "PS256", "kid": "key1"}),
        &claims,
        KEY1,
    );
    assert_eq!(
        validate_async(&ps, &pinned, &expected, NOW).await,
        Err(IdTokenError::KeyDoesNotFit("PS256"))
    );
    // `none` and HMAC stay refused at a generic provider.
    let c = URL_SAFE_NO_PAD.encode(claims.to_string());
    for alg in ["none", "HS256"] {
        let h = URL_SAFE_NO_PAD.encode(json!({"alg": alg, "kid": "key1"}).to_string());
        assert_eq!(
            validate_async(&format!("{h}.{c}.AAAA"), &jwks, &expected, NOW).await,
            Err(IdTokenError::UnsupportedAlgorithm(alg.to_owned()))
        );
    }
    // A JWKS with only keys this client cannot use names what it looks for.
    let err = Jwks::from_json_oidc(br#"{"keys":[{"kty":"EC","crv":"P-384","x":"a","y":"b"}]}"#)
        .unwrap_err();
    assert!(err.to_string().contains("RS256, PS256, ES256"), "{err}");
}

/// Keys the verifier refuses verify nothing, and a key written with a leading zero octet or
/// padding is the same key, on both targets (Web Crypto refuses both spellings; they are
/// made canonical first).
async fn keys_the_verifier_refuses_make_bad_signatures_body() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use jsonwebtoken::Algorithm;

    let (oidc, claims) = generic_provider();
    let jwk = |doc: &str| -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(doc).unwrap()["keys"][0].clone()
    };

    // A P-256 point moved off the curve.
    let mut off_curve = jwk(JWKS_EC1);
    let mut y = URL_SAFE_NO_PAD
        .decode(off_curve["y"].as_str().unwrap())
        .unwrap();
    y[31] ^= 1;
    off_curve["y"] = json!(URL_SAFE_NO_PAD.encode(y));
    let jwks = Jwks::from_json_oidc(json!({"keys": [off_curve]}).to_string().as_bytes()).unwrap();
    let token = sign_alg(
        Algorithm::ES256,
        &json!({"alg": "ES256", "kid": "ec1"}),
        &claims,
        EC1,
    );
    assert_eq!(
        validate_async(&token, &jwks, &oidc, NOW).await,
        Err(IdTokenError::BadSignature)
    );

    // key1 with a zero octet before its modulus and padding after its exponent: still key1.
    let mut spelled = jwk(JWKS_KEY1);
    let mut n = vec![0u8];
    n.extend(
        URL_SAFE_NO_PAD
            .decode(spelled["n"].as_str().unwrap())
            .unwrap(),
    );
    spelled["n"] = json!(URL_SAFE_NO_PAD.encode(n));
    spelled["e"] = json!("AAEAAQ=="); // 65537 after a zero octet, padded
    let jwks = Jwks::from_json_oidc(json!({"keys": [spelled]}).to_string().as_bytes()).unwrap();
    let token = sign_alg(
        Algorithm::RS256,
        &json!({"alg": "RS256", "kid": "key1"}),
        &claims,
        KEY1,
    );
    assert!(validate_async(&token, &jwks, &oidc, NOW).await.is_ok());

    // A 1024-bit RSA key: under the 2048 bits both verifiers require.
    let tenant = entra();
    let small = Jwks::from_json(include_bytes!("fixtures/jwks_rsa1024.json")).unwrap();
    let token = include_str!("fixtures/rsa1024.jwt").trim();
    assert_eq!(
        validate_async(token, &small, &tenant, NOW).await,
        Err(IdTokenError::BadSignature)
    );
}
both_targets!(
    keys_the_verifier_refuses_make_bad_signatures,
    keys_the_verifier_refuses_make_bad_signatures_body
);

both_targets!(
    keys_lowercase_by_the_same_unicode_rules_on_both_targets,
    keys_lowercase_by_the_same_unicode_rules_on_both_targets_body
);
/// The throttle and cache keys lowercase with JavaScript's `toLowerCase` in a browser, as
/// msal-browser's do, and with `str::to_lowercase` natively: the same keys from the same input,
/// beyond ASCII too (Latin-1, a Greek final sigma, a dotted capital I, which lowercases to two
/// characters).
async fn keys_lowercase_by_the_same_unicode_rules_on_both_targets_body() {
    let key = auth_core::throttle::throttle_key(
        "ClientÀÉ",
        "https://LOGIN.Example/ΟΔΥΣΣΕΥΣ",
        &["User.Read", "MAIL.READ", "mail.read"],
        Some("UID.İSTANBUL"),
    );
    assert_eq!(
        key,
        "clientàé|https://login.example/οδυσσευς|mail.read user.read|uid.i\u{307}stanbul"
    );
}

both_targets!(
    urls_are_read_alike_on_both_targets,
    urls_are_read_alike_on_both_targets_body
);

/// `auth_core::whatwg::Url` is the `url` crate natively and the browser's own `URL` on wasm32:
/// both follow the WHATWG URL Standard, and must answer alike for everything auth-core asks of
/// a URL (the authorize and end-session URLs, the redirect, the origins it compares).
async fn urls_are_read_alike_on_both_targets_body() {
    use auth_core::whatwg::{Host, Url};
    use std::net::{Ipv4Addr, Ipv6Addr};

    let u =
        Url::parse("HTTPS://Login.MicrosoftOnline.com:443/common/oauth2/v2.0/authorize?p=b2c#f")
            .unwrap();
    assert_eq!(
        u.as_str(),
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?p=b2c#f"
    );
    assert_eq!(u.to_string(), u.as_str());
    assert_eq!(u.scheme(), "https");
    assert_eq!(u.host_str(), Some("login.microsoftonline.com"));
    assert_eq!(u.host(), Some(Host::Domain("login.microsoftonline.com")));
    assert_eq!((u.port(), u.port_or_known_default()), (None, Some(443)));
    assert_eq!(u.path(), "/common/oauth2/v2.0/authorize");
    assert_eq!((u.query(), u.fragment()), (Some("p=b2c"), Some("f")));
    assert_eq!(
        u.origin().ascii_serialization(),
        "https://login.microsoftonline.com"
    );

    // Hosts: an IPv4 address in any of its forms, an IPv6 one compressed in brackets, a
    // special scheme's default port dropped.
    let v4 = Url::parse("http://127.1:8080/x").unwrap();
    assert_eq!(v4.as_str(), "http://127.0.0.1:8080/x");
    assert_eq!(v4.host(), Some(Host::Ipv4(Ipv4Addr::LOCALHOST)));
    assert_eq!(
        (v4.port(), v4.port_or_known_default()),
        (Some(8080), Some(8080))
    );
    assert_eq!(v4.origin().ascii_serialization(), "http://127.0.0.1:8080");
    let v6 = Url::parse("http://[0:0:0:0:0:0:0:1]:80/").unwrap();
    assert_eq!(v6.as_str(), "http://[::1]/");
    assert_eq!(v6.host_str(), Some("[::1]"));
    assert_eq!(v6.host(), Some(Host::Ipv6(Ipv6Addr::LOCALHOST)));
    assert_eq!((v6.port(), v6.port_or_known_default()), (None, Some(80)));
    let local = Url::parse("http://LOCALHOST:3000").unwrap();
    assert_eq!(
        (local.as_str(), local.path()),
        ("http://localhost:3000/", "/")
    );
    assert_eq!(local.host(), Some(Host::Domain("localhost")));

    // A non-special scheme: an opaque host is a domain even when it reads as an address, an
    // opaque path has no host at all, and the origin is opaque.
    let opaque_host = Url::parse("custom://1.2.3.4/cb").unwrap();
    assert_eq!(opaque_host.host(), Some(Host::Domain("1.2.3.4")));
    assert_eq!(opaque_host.port_or_known_default(), None);
    let opaque = Url::parse("msal1234:opaque?x").unwrap();
    assert_eq!((opaque.scheme(), opaque.host()), ("msal1234", None));
    assert_eq!((opaque.path(), opaque.query()), ("opaque", Some("x")));
    assert_eq!(opaque.origin().ascii_serialization(), "null");

    // An empty query or fragment is not an absent one.
    let empty = Url::parse("https://x.example/a?#").unwrap();
    assert_eq!((empty.query(), empty.fragment()), (Some(""), Some("")));
    let none = Url::parse("https://x.example/a").unwrap();
    assert_eq!((none.query(), none.fragment()), (None, None));

    // Not absolute URLs.
    for bad in ["", "relative/path", "/common", "https://", "http://[::1/"] {
        assert!(Url::parse(bad).is_err(), "{bad:?} parsed");
    }

    // Appended pairs are form-urlencoded, after the query's own, before the fragment.
    let mut u = Url::parse("https://x.example/authorize?p=b2c#f").unwrap();
    u.query_pairs_mut()
        .append_pair("scope", "openid User.Read")
        .append_pair("redirect_uri", "http://localhost:3000/")
        .append_pair("login_hint", "é@x");
    assert_eq!(
        u.as_str(),
        "https://x.example/authorize?p=b2c&scope=openid+User.Read\
         &redirect_uri=http%3A%2F%2Flocalhost%3A3000%2F&login_hint=%C3%A9%40x#f"
    );
    assert_eq!(u.fragment(), Some("f"));
    let mut u = Url::parse("https://x.example/a?").unwrap();
    u.query_pairs_mut().append_pair("k", "v");
    assert_eq!(u.as_str(), "https://x.example/a?k=v");
    let mut u = Url::parse("https://x.example/a").unwrap();
    u.query_pairs_mut().append_pair("k", "v w");
    assert_eq!(
        (u.as_str(), u.query()),
        ("https://x.example/a?k=v+w", Some("k=v+w"))
    );
    let mut u = Url::parse("https://x.example/a#f?g").unwrap();
    u.query_pairs_mut().append_pair("k", "v");
    assert_eq!(
        (u.as_str(), u.fragment()),
        ("https://x.example/a?k=v#f?g", Some("f?g"))
    );
    // Asked for, with nothing appended: an empty query, not none.
    let mut u = Url::parse("https://x.example/a").unwrap();
    u.query_pairs_mut();
    assert_eq!((u.as_str(), u.query()), ("https://x.example/a?", Some("")));
    let mut u = Url::parse("https://x.example/a?p=1").unwrap();
    u.query_pairs_mut();
    assert_eq!(u.as_str(), "https://x.example/a?p=1");

    // A fragment may hold `?` and `#`; userinfo is no part of the host or the origin.
    let u = Url::parse("https://user:pw@x.example:8443/a?q=1#f?g#h").unwrap();
    assert_eq!((u.query(), u.fragment()), (Some("q=1"), Some("f?g#h")));
    assert_eq!((u.host_str(), u.port()), (Some("x.example"), Some(8443)));
    assert_eq!(u.origin().ascii_serialization(), "https://x.example:8443");
    let u = Url::parse("https://x.example/a#f?g").unwrap();
    assert_eq!((u.query(), u.fragment()), (None, Some("f?g")));
}

/// `token` with its part `index` (0 header, 1 payload, 2 signature) decoded, changed by
/// `change` and encoded again.
fn tampered(token: &str, index: usize, change: impl FnOnce(&mut Vec<u8>)) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let mut parts: Vec<&str> = token.split('.').collect();
    let mut bytes = URL_SAFE_NO_PAD.decode(parts[index]).unwrap();
    change(&mut bytes);
    let encoded = URL_SAFE_NO_PAD.encode(bytes);
    parts[index] = &encoded;
    parts.join(".")
}

/// What an ID token from the emulator's tenant must match, for the nonce `n-1`.
fn entra() -> Expectations {
    Expectations {
        issuer: format!("{BASE}/{TENANT_ID}/v2.0"),
        client_id: CLIENT_ID.to_owned(),
        refused_tenant: None,
        nonce: Some("n-1".to_owned()),
        same_user_as: None,
        skew: 300,
    }
}

/// A generic provider (`https://idp.example`, OIDC mode): what its ID tokens must match, and
/// the claims of one for `alice` with the nonce `n-1`.
fn generic_provider() -> (Expectations, serde_json::Value) {
    let config = Config::from_raw(RawConfig {
        client_id: CLIENT_ID.to_owned(),
        authority: Some("https://idp.example".to_owned()),
        redirect_uri: "http://localhost:8080/".to_owned(),
        protocol_mode: ProtocolMode::Oidc,
        ..RawConfig::default()
    })
    .unwrap();
    let claims = json!({
        "iss": "https://idp.example", "aud": CLIENT_ID, "sub": "alice", "name": "Alice",
        "iat": NOW, "exp": NOW + 600, "nonce": "n-1"
    });
    (Expectations::new(&config, Some("n-1")), claims)
}
