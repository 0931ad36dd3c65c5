//! The per-entry cache reader (`TokenCache::from_entries`), fed one entry per line as
//! `name<TAB>json` (a line without a tab is a name with an empty value): an error or a cache,
//! never a panic. A cache read back from its own entries is the same cache, with nothing dropped.
#![no_main]

use auth_core::token_cache::TokenCache;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let entries = text
        .split('\n')
        .map(|line| line.split_once('\t').unwrap_or((line, "")));
    let Ok(read) = TokenCache::from_entries(entries) else {
        return;
    };
    let json = read.cache.to_json().expect("a read cache serializes");
    let written = read.cache.entries().expect("a read cache has entries");
    let again = TokenCache::from_entries(written.iter().map(|(n, j)| (n.as_str(), j.as_str())))
        .expect("its own entries read back");
    assert!(
        again.dropped.is_empty(),
        "its own entries dropped: {:?}",
        again.dropped
    );
    assert_eq!(again.cache.to_json().expect("serializes"), json);
    // Each kept credential belongs to a kept account, so the blob reads back too.
    let blob = TokenCache::from_json(&json).expect("the blob of a read cache reads back");
    assert_eq!(blob.to_json().expect("serializes"), json);
});
