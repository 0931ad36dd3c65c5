//! The [`HttpClient`] seam on [`reqwest::Client`] (feature `reqwest`, native targets).
//!
//! Errors name what failed and never the whole URL: a redirect URL or a query may carry a code.
//! The caller names the service (the identity platform, Microsoft Graph); a timeout also names
//! the host and path that did not answer, which hold no secret, so the user knows what was
//! being called.

use crate::error::NetworkError;
use crate::seams::{called, HttpClient, HttpRequest, HttpResponse, Method};

impl HttpClient for reqwest::Client {
    async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, NetworkError> {
        let called = called(&request.url);
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut builder = self.request(method, &request.url);
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        let request = builder.body(request.body).build().map_err(|e| {
            NetworkError::with_source("the request could not be built", e.without_url())
        })?;
        let response = reqwest::Client::execute(self, request).await.map_err(|e| {
            NetworkError::with_source(
                failure(&e, "no connection could be made", &called),
                e.without_url(),
            )
        })?;
        let status = response.status().as_u16();
        // Header names come in lower case (the `http` crate's); a value that is not UTF-8 is
        // kept with its invalid bytes replaced.
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        let body = response.bytes().await.map_err(|e| {
            NetworkError::with_source(
                failure(&e, "the answer broke off", &called),
                e.without_url(),
            )
        })?;
        Ok(HttpResponse {
            status,
            headers,
            body: body.to_vec(),
        })
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
