//! Token responses and Entra's error JSON, with success and error statuses: never a panic.
#![no_main]

use auth_core::seams::HttpResponse;
use auth_core::token_response::{parse_token_response, server_error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for status in [200u16, 400, 401, 429, 500] {
        let response = HttpResponse::new(status, data);
        let _ = parse_token_response(&response, 1_700_000_000);
        let _ = server_error(status, data);
    }
});
