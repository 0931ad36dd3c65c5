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

use crate::error::NetworkError;

/// The methods auth-core sends: `GET` (discovery, keys, Graph, userinfo) and `POST` (the token
/// endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// The method's name, as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request to send, as msal-common hands its network module a URL and options: plain data,
/// which the platform's client turns into its own (reqwest's, or fetch's in a browser).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// The headers to send, names in lower case.
    pub headers: Vec<(&'static str, String)>,
    /// The body; empty for a `GET`.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A `GET` of `url`.
    pub fn get(url: impl Into<String>) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A `POST` of `body` to `url`.
    pub fn post(url: impl Into<String>, body: impl Into<Vec<u8>>) -> HttpRequest {
        HttpRequest {
            method: Method::Post,
            body: body.into(),
            ..HttpRequest::get(url)
        }
    }

    /// With one more header; `name` in lower case.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> HttpRequest {
        self.headers.push((name, value.into()));
        self
    }

    /// The first value of the header `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The URL's path, without its query or fragment: for the log, which never shows a query.
    pub fn path(&self) -> &str {
        split(&self.url).1
    }
}

/// A whole response: any status, its headers and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers as received, in order, a repeated one once per value. A platform's client
    /// may copy only those auth-core and the Graph policy read: `content-type`, `retry-after`
    /// and `www-authenticate`.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with `status` and `body`, and no headers yet.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> HttpResponse {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// With one more header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> HttpResponse {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The first value of the header `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the header `name`, whatever its case, in the order received.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one HTTP request and returns the whole response. Any status is a response; only a
/// transport failure is an error. Implemented for closures returning a future.
pub trait HttpClient {
    /// Executes the request.
    fn execute(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, NetworkError>>;
}

impl<F, Fut> HttpClient for F
where
    F: Fn(HttpRequest) -> Fut,
    Fut: Future<Output = Result<HttpResponse, NetworkError>>,
{
    fn execute(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, NetworkError>> {
        self(request)
    }
}

/// What a request called, for a transport failure's message and the log: `host[:port]/path`,
/// never the query (a redirect's code, a request's state) nor the authority's userinfo.
pub fn called(url: &str) -> String {
    let (authority, path) = split(url);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.is_empty() {
        return format!("the server{path}");
    }
    format!("{host}{path}")
}

/// An absolute URL's authority and path, without the query or fragment (RFC 3986 §3).
fn split(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
    rest.find('/').map_or((rest, ""), |i| rest.split_at(i))
}

#[cfg(test)]
mod tests {
    #[test]
    fn what_was_called_is_the_host_and_path_never_the_query_or_userinfo() {
        assert_eq!(
            super::called(
                "https://user:secret@login.example:8443/common/oauth2/v2.0/token?code=abc"
            ),
            "login.example:8443/common/oauth2/v2.0/token"
        );
        assert_eq!(
            super::called("https://login.example/common/authorize#code=abc"),
            "login.example/common/authorize"
        );
        assert_eq!(
            super::called("https://login.example?code=abc"),
            "login.example"
        );
        assert_eq!(
            super::called("https://p@ss@login.example/t"),
            "login.example/t"
        );
        assert_eq!(super::called("file:///etc/passwd"), "the server/etc/passwd");
        let request = super::HttpRequest::get("https://graph.example/v1.0/me?$select=mail#x");
        assert_eq!(request.path(), "/v1.0/me");
        assert_eq!(
            super::HttpRequest::get("https://graph.example?x").path(),
            ""
        );
    }
}
