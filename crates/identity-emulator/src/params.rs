//! Request parameters: decoding, duplicate detection, scopes, and the client's base URL.

use std::collections::HashMap;

use axum::http::HeaderMap;

use crate::error::OAuthError;

/// The largest body or query the identity endpoints read.
pub const MAX_BODY: usize = 64 * 1024;

/// The longest `scope` accepted.
pub const MAX_SCOPE: usize = 4096;

/// Decoded `application/x-www-form-urlencoded` parameters, each name at most once.
#[derive(Debug, Default)]
pub struct Params(HashMap<String, String>);

impl Params {
    /// Decodes `input`. A repeated name is refused, as Entra refuses it (AADSTS9002313).
    pub fn parse(input: &[u8]) -> Result<Self, OAuthError> {
        let mut map = HashMap::new();
        for (name, value) in form_urlencoded::parse(input) {
            if map.insert(name.to_string(), value.into_owned()).is_some() {
                return Err(OAuthError::malformed(&format!(
                    "The parameter '{name}' is duplicated."
                )));
            }
        }
        Ok(Self(map))
    }

    /// The parameters of an endpoint that takes GET (the query) and POST (a form body).
    pub fn of_request(
        method: &axum::http::Method,
        uri: &axum::http::Uri,
        body: &[u8],
    ) -> Result<Self, OAuthError> {
        if method == axum::http::Method::POST {
            Self::parse(body)
        } else {
            Self::parse(uri.query().unwrap_or("").as_bytes())
        }
    }

    /// A parameter; empty counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// A required parameter (AADSTS900144 when missing).
    pub fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name).ok_or_else(|| OAuthError::missing(name))
    }
}

/// Graph's resource URI, a prefix clients may put on Graph scopes.
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com/";

/// The OpenID Connect scopes, which are not Graph permissions.
/// <https://learn.microsoft.com/en-us/entra/identity-platform/scopes-oidc#openid-connect-scopes>
pub const OIDC_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

/// The Graph delegated permissions the emulator knows, and the text of the consent page.
pub const GRAPH_SCOPES: &[(&str, &str)] = &[
    ("User.Read", "Sign you in and read your profile"),
    ("Mail.Read", "Read your mail"),
    ("Mail.ReadBasic", "Read basic mail properties"),
    ("User.ReadBasic.All", "Read all users' basic profiles"),
    ("Calendars.Read", "Read your calendars"),
];

/// A requested scope set, split into OIDC scopes and Graph permissions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes {
    /// `openid`, `profile`, `email`, `offline_access` as asked.
    pub oidc: Vec<String>,
    /// Graph permissions in their canonical spelling, e.g. `User.Read`.
    pub graph: Vec<String>,
    /// `https://graph.microsoft.com/.default`: every consented permission.
    pub default: bool,
}

impl Scopes {
    /// Parses a space-separated scope string. Unknown or oversized scopes give `invalid_scope`
    /// (AADSTS70011).
    pub fn parse(scope: &str) -> Result<Self, OAuthError> {
        let invalid = || {
            OAuthError::new(
                "invalid_scope",
                70011,
                "The provided value for the input parameter 'scope' is not valid.".to_owned(),
            )
        };
        if scope.len() > MAX_SCOPE {
            return Err(invalid());
        }
        let mut scopes = Self::default();
        for raw in scope.split_whitespace() {
            if let Some(oidc) = OIDC_SCOPES.iter().find(|s| s.eq_ignore_ascii_case(raw)) {
                push_unique(&mut scopes.oidc, oidc);
                continue;
            }
            let bare = strip_prefix_ci(raw, GRAPH_RESOURCE).unwrap_or(raw);
            if bare == ".default" {
                scopes.default = true;
                continue;
            }
            let known = GRAPH_SCOPES
                .iter()
                .find(|(s, _)| s.eq_ignore_ascii_case(bare));
            match known {
                Some((canonical, _)) => push_unique(&mut scopes.graph, canonical),
                None => {
                    return Err(OAuthError::new(
                        "invalid_scope",
                        70011,
                        format!(
                            "The provided value for the input parameter 'scope' is not valid. The scope '{raw}' does not exist."
                        ),
                    ))
                }
            }
        }
        Ok(scopes)
    }

    /// Whether `name` was asked for.
    pub fn has_oidc(&self, name: &str) -> bool {
        self.oidc.iter().any(|s| s == name)
    }
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_owned());
    }
}

fn strip_prefix_ci<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let head = value.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &value[prefix.len()..])
}

/// Whether `host` (a `Host` header) is an authority a URL can be built on: a host and an
/// optional port, nothing else. `a:b`, `localhost:99999`, `[zz]` or `user@host` are not.
pub fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && url::Url::parse(&format!("http://{host}/")).is_ok_and(|u| {
            u.host_str().is_some_and(|h| !h.is_empty())
                && u.username().is_empty()
                && u.password().is_none()
                && u.path() == "/"
                && u.query().is_none()
                && u.fragment().is_none()
        })
}

/// The base URL the client used to reach the emulator (`http://localhost:4123`), from `Host`.
/// Issuers and endpoint URLs are built on it, so that `localhost` and `127.0.0.1` both work.
/// A `Host` no URL can be built on gives `localhost` (requests with one are refused before
/// any handler: see `guard`), so what this returns always parses as a URL.
pub fn base_url(headers: &HeaderMap, tls: bool) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
                && valid_host(h)
        })
        .unwrap_or("localhost");
    format!("{}://{host}", if tls { "https" } else { "http" })
}

/// The client's `client-request-id` header, if it is a sane value.
pub fn client_request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing (`emulator_params`): a host mixing uppercase ASCII and non-ASCII, or a
    /// punycode label decoding to U+200F, made `Url::parse` panic in debug builds (idna's and
    /// idna_adapter 1.0's debug assertions, now off in the workspace's Cargo.toml).
    #[test]
    fn a_mixed_case_non_ascii_host_is_not_a_valid_host_and_no_panic() {
        assert!(!valid_host("%42%C3%BC"));
        assert!(!valid_host("A%C3%A9:4123"));
        assert!(!valid_host("B\u{fc}cher.example"));
        assert!(valid_host("LOCALHOST:4123"));
        // Accepted as a release build accepts it.
        let _ = valid_host("xn--x1-t1t");
    }

    /// The fuzzer's input, minimised: a sign-out whose `post_logout_redirect_uri` is `http:Z` and
    /// a byte that decodes to U+FFFD. An error page, not a dropped connection.
    #[tokio::test]
    async fn a_sign_out_to_a_mixed_case_non_ascii_host_is_refused() {
        use tower::ServiceExt;
        for body in [
            &b"post_logout_redirect_uri=http%3AZ\xac"[..],
            b"post_logout_redirect_uri=http%3A%2F%2FB%C3%BCcher.example%2F",
        ] {
            let request = axum::http::Request::post("/common/oauth2/v2.0/logout")
                .header("host", "localhost:4123")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", "ESTSAUTH=x")
                .body(axum::body::Body::from(body))
                .unwrap();
            let response = crate::app().oneshot(request).await.unwrap();
            assert_eq!(response.status(), axum::http::StatusCode::BAD_REQUEST);
        }
        // As a `Host`, refused by the guard; as instance discovery's `authorization_endpoint`, no
        // tenant read from it.
        for (host, status) in [
            ("%42%C3%BC", axum::http::StatusCode::BAD_REQUEST),
            ("localhost:4123", axum::http::StatusCode::OK),
        ] {
            let request = axum::http::Request::get(
                "/common/discovery/instance?authorization_endpoint=http%3A%2F%2FB%C3%BC%2Fcommon",
            )
            .header("host", host)
            .body(axum::body::Body::empty())
            .unwrap();
            let response = crate::app().oneshot(request).await.unwrap();
            assert_eq!(response.status(), status, "{host}");
        }
    }
}
