//! The authorization response at the redirect URI: parse it, match it to its attempt, and
//! turn IdP errors into typed ones.
//!
//! RFC 6749 §4.1.2 (code, state) and §4.1.2.1 (error); Entra's extra fields (`error_codes`,
//! `suberror`, `trace_id`, `correlation_id`, `client_info`) are described in
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response>.

use crate::whatwg::Url;

use crate::authorize::{PendingAuthorization, ResponseMode};
use crate::error::{aadsts_from_description, Error, ResponseError, ServerError};
use crate::secret::{AuthorizationCode, PkceVerifier};

/// The parameters of a redirect, in order, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectParams(Vec<(String, String)>);

impl RedirectParams {
    /// Reads the parameters from a full redirect URL (its query or fragment, per
    /// `mode`; either one when `mode` is `None`), or from a raw query, fragment or form_post body
    /// (a leading `?` or `#` is ignored).
    pub fn parse(input: &str, mode: Option<ResponseMode>) -> Result<RedirectParams, Error> {
        let input = input.trim();
        let raw = if input.contains("://") {
            let url = Url::parse(input).map_err(|e| ResponseError::BadRedirect(e.to_string()))?;
            let query = url.query().unwrap_or("").to_owned();
            let fragment = url.fragment().unwrap_or("").to_owned();
            match mode {
                Some(ResponseMode::Query) => query,
                Some(ResponseMode::Fragment) => fragment,
                _ if has_response(&fragment) => fragment,
                _ => query,
            }
        } else {
            input.trim_start_matches(['?', '#']).to_owned()
        };
        Ok(RedirectParams(
            form_urlencoded::parse(raw.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ))
    }

    /// The first value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The server error the redirect carries, if any.
    pub fn server_error(&self) -> Option<ServerError> {
        let code = self.get("error")?;
        let description = self.get("error_description").map(str::to_owned);
        let error_codes: Vec<u32> = self
            .get("error_codes")
            .map(|c| {
                c.trim_matches(['[', ']'])
                    .split([',', ' '])
                    .filter_map(|n| n.trim().parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        let aadsts = error_codes
            .first()
            .copied()
            .or_else(|| description.as_deref().and_then(aadsts_from_description));
        Some(ServerError {
            status: None,
            code: code.to_owned(),
            aadsts,
            error_codes,
            suberror: self.get("suberror").map(str::to_owned),
            description,
            correlation_id: self.get("correlation_id").map(str::to_owned),
            trace_id: self.get("trace_id").map(str::to_owned),
            timestamp: self.get("timestamp").map(str::to_owned),
            error_uri: self.get("error_uri").map(str::to_owned),
        })
    }
}

fn has_response(raw: &str) -> bool {
    form_urlencoded::parse(raw.as_bytes()).any(|(k, _)| k == "code" || k == "error")
}

/// An accepted authorization: the code and everything its redemption needs.
#[derive(Debug)]
pub struct CodeGrant {
    pub(crate) code: AuthorizationCode,
    pub(crate) verifier: PkceVerifier,
    pub(crate) redirect_uri: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) nonce: String,
    pub(crate) correlation_id: String,
    pub(crate) client_info: Option<String>,
}

impl CodeGrant {
    /// The nonce the ID token must carry.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }
    /// The scopes asked for.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
    /// `client_info` when the redirect carried it.
    pub fn client_info(&self) -> Option<&str> {
        self.client_info.as_deref()
    }
    /// The attempt's `client-request-id`.
    pub fn correlation_id(&self) -> &str {
        &self.correlation_id
    }
}

impl PendingAuthorization {
    /// Matches a redirect (a full URL, a raw query/fragment, or a form_post body) to this
    /// attempt, consuming it. The state is checked first, as MSAL does, so a forged error
    /// cannot end someone's sign-in (RFC 6749 §10.12); then an IdP error becomes
    /// [`Error::UserCancelled`], [`Error::InteractionRequired`] or [`Error::Server`].
    pub fn accept(self, redirect: &str) -> Result<CodeGrant, Error> {
        let params = RedirectParams::parse(redirect, Some(self.response_mode))?;
        self.accept_params(&params)
    }

    /// As [`accept`](Self::accept), with parameters already read.
    pub fn accept_params(self, params: &RedirectParams) -> Result<CodeGrant, Error> {
        let state = params.get("state").ok_or(ResponseError::MissingState)?;
        if !constant_time_eq(state.as_bytes(), self.state.as_bytes()) {
            return Err(Error::StateMismatch);
        }
        // RFC 9207 §2.4: an answer, error or code, from another issuer than the one asked (a
        // mix-up attack) is refused, as is one without `iss` from a provider that always sends it.
        if let Some(expected) = &self.issuer {
            let found = params.get("iss");
            if found.is_some_and(|f| f != expected) || (found.is_none() && self.issuer_required) {
                return Err(ResponseError::ResponseIssuerMismatch {
                    expected: expected.clone(),
                    found: found.unwrap_or("no issuer").to_owned(),
                }
                .into());
            }
        }
        if let Some(server) = params.server_error() {
            return Err(Error::from_server(server));
        }
        let code = params
            .get("code")
            .filter(|c| !c.is_empty())
            .ok_or(ResponseError::MissingCode)?;
        Ok(CodeGrant {
            code: AuthorizationCode::new(code.to_owned()),
            verifier: self.verifier,
            redirect_uri: self.redirect_uri,
            scopes: self.scopes,
            nonce: self.nonce,
            correlation_id: self.correlation_id,
            client_info: params.get("client_info").map(str::to_owned),
        })
    }
}

/// Compares without an early exit on the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests;
