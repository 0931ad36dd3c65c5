//! Benchmarks: `decide` on a cache hit in a full cache, authorize URL building, and ID token
//! validation.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;

use auth_core::account::Account;
use auth_core::authorize::{begin, AuthorizeOptions};
use auth_core::config::{ClientType, Config};
use auth_core::id_token::{validate, Expectations, Jwks};
use auth_core::seams::HttpResponse;
use auth_core::silent::{decide, Decision, SilentRequest};
use auth_core::token_cache::{MergeContext, TokenCache};
use auth_core::token_response::parse_token_response;
use criterion::{criterion_group, criterion_main, Criterion};
use support::*;

const SCOPES: [&str; 10] = [
    "User.Read",
    "Mail.Read",
    "Calendars.Read",
    "Files.Read",
    "Contacts.Read",
    "Tasks.Read",
    "Notes.Read",
    "Sites.Read.All",
    "People.Read",
    "Presence.Read",
];

fn config() -> Config {
    Config::new(
        CLIENT_ID,
        "https://login.microsoftonline.com/common",
        "http://localhost:1420",
        ClientType::Desktop,
    )
    .expect("config")
}

/// 20 accounts × 10 access tokens (one scope each) + a refresh token each.
fn full_cache(config: &Config) -> TokenCache {
    let mut cache = TokenCache::new();
    for a in 0..20 {
        let account = Account {
            home_account_id: format!("{a:08}-0000-0000-0000-000000000000.{TENANT_ID}"),
            environment: config.authority().environment().to_owned(),
            tenant_id: TENANT_ID.to_owned(),
            username: format!("user{a}@contoso.com"),
            name: None,
            local_account_id: None,
            login_hint: None,
        };
        for s in SCOPES {
            let body = serde_json::json!({"token_type":"Bearer","scope":s,"expires_in":3600,
                "access_token": "x".repeat(1500), "refresh_token":"rt"});
            let resp = HttpResponse::new(200, body.to_string());
            let tokens = parse_token_response(&resp, NOW).expect("tokens");
            let ctx = MergeContext {
                environment: &account.environment,
                client_id: config.client_id(),
                requested: &[],
                client_info: None,
                known: Some(&account),
            };
            cache.merge(&tokens, &ctx, None, NOW).expect("merge");
        }
    }
    cache
}

fn benches(c: &mut Criterion) {
    let config = config();
    let cache = full_cache(&config);
    let home = format!("{:08}-0000-0000-0000-000000000000.{TENANT_ID}", 13);
    let request = SilentRequest::new(&config, &home, &["presence.read"]);
    assert!(matches!(
        decide(&cache, &request, NOW),
        Decision::CacheHit(_)
    ));
    c.bench_function("decide_cache_hit_20x10", |b| {
        b.iter(|| decide(black_box(&cache), black_box(&request), black_box(NOW)))
    });

    let options = AuthorizeOptions::default();
    c.bench_function("authorize_url", |b| {
        b.iter(|| begin(black_box(&config), &options))
    });

    let emulator = Config::new(
        CLIENT_ID,
        &format!("{BASE}/common"),
        "http://localhost:1420",
        ClientType::Desktop,
    )
    .expect("config");
    let jwks = Jwks::from_json(JWKS_BOTH.as_bytes()).expect("jwks");
    let token = sign(&header("key2"), &claims("n", NOW), KEY2);
    let expected = Expectations::new(&emulator, Some("n"));
    assert!(validate(&token, &jwks, &expected, NOW).is_ok());
    c.bench_function("id_token_validate_rs256", |b| {
        b.iter(|| validate(black_box(&token), &jwks, &expected, NOW))
    });
}

criterion_group!(core, benches);
criterion_main!(core);
