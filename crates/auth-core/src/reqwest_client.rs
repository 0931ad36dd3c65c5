//! The [`HttpClient`] seam on [`reqwest::Client`] (feature `reqwest`, native targets).
//!
//! Errors name what failed and never the URL: a redirect URL or a query may carry a code. They
//! do not name the server either: the caller does (the identity platform, Microsoft Graph).

use http::{Request, Response};

use crate::error::NetworkError;
use crate::seams::HttpClient;

impl HttpClient for reqwest::Client {
    async fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, NetworkError> {
        let request = reqwest::Request::try_from(request).map_err(|e| {
            NetworkError::with_source("the request could not be built", e.without_url())
        })?;
        let response = reqwest::Client::execute(self, request).await.map_err(|e| {
            NetworkError::with_source(failure(&e, "no connection could be made"), e.without_url())
        })?;
        let mut builder = Response::builder().status(response.status());
        for (name, value) in response.headers() {
            builder = builder.header(name, value);
        }
        let body = response.bytes().await.map_err(|e| {
            NetworkError::with_source(failure(&e, "the answer broke off"), e.without_url())
        })?;
        builder
            .body(body.to_vec())
            .map_err(|e| NetworkError::with_source("the answer is malformed", e))
    }
}

/// What failed: a timeout is named as one (the client's timeouts are the caller's), else
/// `otherwise`.
fn failure(e: &reqwest::Error, otherwise: &'static str) -> &'static str {
    if e.is_timeout() {
        "the server did not answer in time"
    } else {
        otherwise
    }
}
