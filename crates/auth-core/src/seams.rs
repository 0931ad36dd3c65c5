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

/// What a request called, for a transport failure's message and the log: `host[:port]/path`,
/// never the query (a redirect's code, a request's state) nor the authority's userinfo.
pub fn called(uri: &http::Uri) -> String {
    let host = uri.authority().map_or("the server", |a| a.as_str());
    let host = host.rsplit('@').next().unwrap_or(host);
    format!("{host}{}", uri.path())
}

#[cfg(test)]
mod tests {
    #[test]
    fn what_was_called_is_the_host_and_path_never_the_query_or_userinfo() {
        let uri: http::Uri =
            "https://user:secret@login.example:8443/common/oauth2/v2.0/token?code=abc"
                .parse()
                .unwrap();
        assert_eq!(
            super::called(&uri),
            "login.example:8443/common/oauth2/v2.0/token"
        );
    }
}
