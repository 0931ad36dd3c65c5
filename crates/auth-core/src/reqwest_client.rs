//! The [`HttpClient`] seam on [`reqwest::Client`] (feature `reqwest`, native targets).
//!
//! Errors name what failed and never the whole URL: a redirect URL or a query may carry a code.
//! The caller names the service (the identity platform, Microsoft Graph); a timeout also names
//! the host and path that did not answer, which hold no secret, so the user knows what was
//! being called.

use http::{Request, Response};

use crate::error::NetworkError;
use crate::seams::{called, HttpClient};

impl HttpClient for reqwest::Client {
    async fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, NetworkError> {
        let called = called(request.uri());
        let request = reqwest::Request::try_from(request).map_err(|e| {
            NetworkError::with_source("the request could not be built", e.without_url())
        })?;
        let response = reqwest::Client::execute(self, request).await.map_err(|e| {
            NetworkError::with_source(
                failure(&e, "no connection could be made", &called),
                e.without_url(),
            )
        })?;
        let mut builder = Response::builder().status(response.status());
        for (name, value) in response.headers() {
            builder = builder.header(name, value);
        }
        let body = response.bytes().await.map_err(|e| {
            NetworkError::with_source(
                failure(&e, "the answer broke off", &called),
                e.without_url(),
            )
        })?;
        builder
            .body(body.to_vec())
            .map_err(|e| NetworkError::with_source("the answer is malformed", e))
    }
}

/// What failed: a timeout is named as one, with what was `called` (the client's timeouts are
/// the caller's), else `otherwise`.
fn failure(e: &reqwest::Error, otherwise: &str, called: &str) -> String {
    if e.is_timeout() {
        format!("{called} did not answer in time")
    } else {
        otherwise.to_owned()
    }
}
