//! One error type for the identity endpoints, turned into Entra's JSON in one place.
//!
//! Shape: <https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#error-response>
//! and codes: <https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#aadsts-error-codes>.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An OAuth 2.0 error as Entra reports it: an `error` code, an AADSTS number and a description.
#[derive(Debug, Clone)]
pub struct OAuthError {
    /// The HTTP status of a token-endpoint answer.
    pub status: StatusCode,
    /// The RFC 6749 §5.2 `error` code.
    pub error: &'static str,
    /// The AADSTS number.
    pub aadsts: u32,
    /// The text after `AADSTSnnnn: `.
    pub text: String,
    /// Entra's `suberror`, e.g. `consent_required`.
    pub suberror: Option<&'static str>,
}

impl OAuthError {
    /// A 400 error.
    pub fn new(error: &'static str, aadsts: u32, text: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error,
            aadsts,
            text: text.into(),
            suberror: None,
        }
    }

    /// Sets the HTTP status.
    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// Sets the suberror.
    pub fn suberror(mut self, suberror: &'static str) -> Self {
        self.suberror = Some(suberror);
        self
    }

    /// AADSTS900144: a required parameter is missing.
    pub fn missing(name: &str) -> Self {
        Self::new(
            "invalid_request",
            900144,
            format!("The request body must contain the following parameter: '{name}'."),
        )
    }

    /// AADSTS9002313: the request is malformed (bad encoding, duplicate parameters).
    pub fn malformed(detail: &str) -> Self {
        Self::new(
            "invalid_request",
            9002313,
            format!("Invalid request. Request is malformed or invalid. {detail}"),
        )
    }

    /// AADSTS700016: no such application.
    pub fn unknown_client(client_id: &str, tenant: &str) -> Self {
        Self::new(
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
            ),
        )
    }

    /// AADSTS50011: the redirect URI is not registered.
    pub fn redirect_mismatch(redirect_uri: &str, client_id: &str) -> Self {
        Self::new(
            "invalid_request",
            50011,
            format!(
                "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal."
            ),
        )
    }

    /// The full `error_description`: `AADSTSnnnn: text` and the trace lines Entra appends.
    pub fn description(&self, ids: &TraceIds) -> String {
        format!(
            "AADSTS{}: {}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: {}",
            self.aadsts, self.text, ids.trace_id, ids.correlation_id, ids.timestamp
        )
    }

    /// The JSON body of a token-endpoint error.
    pub fn to_json(&self, ids: &TraceIds) -> serde_json::Value {
        let mut body = json!({
            "error": self.error,
            "error_description": self.description(ids),
            "error_codes": [self.aadsts],
            "timestamp": ids.timestamp,
            "trace_id": ids.trace_id,
            "correlation_id": ids.correlation_id,
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.aadsts),
        });
        if let Some(suberror) = self.suberror {
            body["suberror"] = json!(suberror);
        }
        body
    }
}

/// The ids Entra puts in every error: a fresh trace id, the client's correlation id, and the time.
#[derive(Debug, Clone)]
pub struct TraceIds {
    /// Identifies this answer.
    pub trace_id: String,
    /// The client's `client-request-id`, or a fresh id.
    pub correlation_id: String,
    /// `YYYY-MM-DD hh:mm:ssZ` on the emulator's clock.
    pub timestamp: String,
}

/// A token-endpoint error ready to send.
pub struct JsonError {
    /// The error.
    pub error: OAuthError,
    /// Its ids.
    pub ids: TraceIds,
}

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        let mut response =
            (self.error.status, axum::Json(self.error.to_json(&self.ids))).into_response();
        if let Ok(value) = HeaderValue::from_str(&self.ids.correlation_id) {
            response.headers_mut().insert("client-request-id", value);
        }
        response
    }
}
