//! Cache blobs: an error or a cache, never a panic; a cache read back writes back the same.
#![no_main]

use auth_core::token_cache::TokenCache;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(blob) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cache) = TokenCache::from_json(blob) {
        let json = cache.to_json().expect("a read cache serializes");
        let again = TokenCache::from_json(&json).expect("its own output reads back");
        assert_eq!(again.to_json().expect("serializes"), json);
    }
});
