//! The redirect parser, and matching a redirect to its attempt: never a panic.
#![no_main]

use auth_core::authorize::{begin, AuthorizeOptions, ResponseMode};
use auth_core::config::{ClientType, Config};
use auth_core::redirect_response::RedirectParams;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    for mode in [
        None,
        Some(ResponseMode::Query),
        Some(ResponseMode::Fragment),
        Some(ResponseMode::FormPost),
    ] {
        let _ = RedirectParams::parse(input, mode);
    }
    let config = Config::new(
        "6b3a2f4e-0c61-4d2b-9a57-1f1d6c1d2e3f",
        "http://localhost:4123/common",
        "http://localhost:5555",
        ClientType::Desktop,
    )
    .expect("a valid config");
    let (_, pending) = begin(&config, &AuthorizeOptions::default()).expect("an authorize URL");
    let _ = pending.accept(input);
});
