//! ID-token decoding and validation against a fixed JWKS, and client_info: never a panic.
#![no_main]

use auth_core::id_token::{decode_client_info, validate, Expectations, Jwks};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let jwks = Jwks::from_json(include_bytes!("../../tests/fixtures/jwks_both.json"))
        .expect("the fixture JWKS");
    let expected = Expectations {
        issuer: "http://localhost:4123/{tenantid}/v2.0".to_owned(),
        client_id: "6b3a2f4e-0c61-4d2b-9a57-1f1d6c1d2e3f".to_owned(),
        refused_tenant: Some("9188040d-6c67-4c5b-b112-36a304b66dad".to_owned()),
        nonce: Some("n".to_owned()),
        same_user_as: None,
        skew: 300,
    };
    let _ = validate(raw, &jwks, &expected, 1_700_000_000);
    let _ = auth_core::id_token::Subject::of_validated(raw);
    let _ = decode_client_info(raw);
    let _ = Jwks::from_json(data);
});
