//! The platform seam, named after its capability (as MSAL's `INetworkModule`): HTTP. The
//! desktop shell brings it with reqwest (auth-core's `reqwest` feature), the browser with
//! fetch. The other platform work (the login window or the redirect, the plugin store or web
//! storage) stays with each side: their shapes differ too much to share a trait (a redirect
//! leaves the page and answers on the next load), and [`crate::client::ClientApplication`]
//! tells them when the cache must be saved.
//!
//! The futures carry no `Send` bound, so wasm32 implementations (holding `JsValue`s) fit;
//! native callers with `Send` implementations get `Send` futures through auto-trait leakage.

use std::future::Future;

use http::{Request, Response};

use crate::error::NetworkError;

/// Sends one HTTP request and returns the whole response. Any status is a response; only a
/// transport failure is an error. Implemented for closures returning a future.
pub trait HttpClient {
    /// Executes the request.
    fn execute(
        &self,
        request: Request<Vec<u8>>,
    ) -> impl Future<Output = Result<Response<Vec<u8>>, NetworkError>>;
}

impl<F, Fut> HttpClient for F
where
    F: Fn(Request<Vec<u8>>) -> Fut,
    Fut: Future<Output = Result<Response<Vec<u8>>, NetworkError>>,
{
    fn execute(
        &self,
        request: Request<Vec<u8>>,
    ) -> impl Future<Output = Result<Response<Vec<u8>>, NetworkError>> {
        self(request)
    }
}
