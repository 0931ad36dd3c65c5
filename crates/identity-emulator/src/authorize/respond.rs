//! How the authorize endpoint answers: a redirect to the client (following `response_mode`),
//! or an error page when the client cannot be trusted with one.
//!
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response>

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use url::Url;

use crate::error::OAuthError;
use crate::pages;
use crate::state::ResponseMode;

/// Sends `fields` to `redirect_uri` in `mode`: a 302 with a query or fragment, or a form_post page.
pub fn respond(redirect_uri: &str, mode: ResponseMode, fields: &[(&str, String)]) -> Response {
    let Ok(mut url) = Url::parse(redirect_uri) else {
        return (StatusCode::BAD_REQUEST, "invalid redirect URI").into_response();
    };
    match mode {
        ResponseMode::Query => {
            url.query_pairs_mut()
                .extend_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())));
            Redirect::to(url.as_str()).into_response_302()
        }
        ResponseMode::Fragment => {
            let fragment = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())))
                .finish();
            url.set_fragment(Some(&fragment));
            Redirect::to(url.as_str()).into_response_302()
        }
        ResponseMode::FormPost => {
            Html(pages::form_post(redirect_uri, fields).into_string()).into_response()
        }
    }
}

/// Entra answers the authorize endpoint with 302 Found.
pub trait Found {
    /// The redirect, with status 302.
    fn into_response_302(self) -> Response;
}

impl Found for Redirect {
    fn into_response_302(self) -> Response {
        let mut response = self.into_response();
        *response.status_mut() = StatusCode::FOUND;
        response
    }
}

/// An error sent back on the redirect URI: `error`, `error_description`, `error_codes`, `state`.
pub fn redirect_error(
    redirect_uri: &str,
    mode: ResponseMode,
    st: Option<&str>,
    error: &OAuthError,
) -> Response {
    let ids = crate::error::TraceIds {
        trace_id: uuid::Uuid::new_v4().to_string(),
        correlation_id: uuid::Uuid::new_v4().to_string(),
        timestamp: crate::timestamp(0),
    };
    let mut fields = vec![
        ("error", error.error.to_owned()),
        ("error_description", error.description(&ids)),
        ("error_codes", format!("[{}]", error.aadsts)),
    ];
    if let Some(sub) = error.suberror {
        fields.push(("suberror", sub.to_owned()));
    }
    if let Some(st) = st {
        fields.push(("state", st.to_owned()));
    }
    fields.push(("trace_id", ids.trace_id));
    fields.push(("correlation_id", ids.correlation_id));
    respond(redirect_uri, mode, &fields)
}

/// An error page (no redirect).
pub fn error_page(error: &OAuthError) -> Response {
    let trace = uuid::Uuid::new_v4().to_string();
    (
        StatusCode::BAD_REQUEST,
        Html(pages::error(error.aadsts, &error.text, &trace).into_string()),
    )
        .into_response()
}

/// The page for a form whose interaction is over or unknown (AADSTS90014).
pub fn expired_page() -> Response {
    error_page(&OAuthError::new(
        "invalid_request",
        90014,
        "This sign-in page has expired or was already used. Go back to the application and sign in again.",
    ))
}
