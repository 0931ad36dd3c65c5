//! `WWW-Authenticate: Bearer` challenges from resources such as Microsoft Graph, in particular
//! claims challenges (`error="insufficient_claims"`, `claims="<base64 JSON>"`).
//!
//! RFC 6750 §3 (the Bearer challenge), RFC 9110 §11.6.1 (auth-param syntax) and
//! <https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge>.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use crate::error::{Error, InteractionReason};
use crate::seams::HttpResponse;

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);

/// The parameters of a Bearer challenge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BearerChallenge {
    /// `realm`.
    pub realm: Option<String>,
    /// `authorization_uri`: the authorize endpoint to use.
    pub authorization_uri: Option<String>,
    /// `client_id`: the resource's app id.
    pub client_id: Option<String>,
    /// `error`, e.g. `insufficient_claims` or `invalid_token`.
    pub error: Option<String>,
    /// `error_description`.
    pub error_description: Option<String>,
    /// `claims`, base64-decoded to its JSON text.
    pub claims: Option<String>,
}

impl BearerChallenge {
    /// Parses a `WWW-Authenticate` value; `None` when it holds no Bearer challenge.
    pub fn parse(header: &str) -> Option<BearerChallenge> {
        let header = header.trim_start();
        let (scheme, rest) = header
            .split_once(char::is_whitespace)
            .unwrap_or((header, ""));
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let mut c = BearerChallenge::default();
        for (k, v) in auth_params(rest) {
            match k.to_ascii_lowercase().as_str() {
                "realm" => c.realm = Some(v),
                "authorization_uri" => c.authorization_uri = Some(v),
                "client_id" => c.client_id = Some(v),
                "error" => c.error = Some(v),
                "error_description" => c.error_description = Some(v),
                "claims" => c.claims = decode_claims(&v),
                _ => {}
            }
        }
        Some(c)
    }

    /// The claims to request when this is a claims challenge.
    pub fn claims_challenge(&self) -> Option<&str> {
        match self.error.as_deref() {
            Some("insufficient_claims") | None => self.claims.as_deref(),
            Some(_) => None,
        }
    }

    /// The error a caller acts on: interaction with the claims, if this is a claims challenge.
    pub fn into_error(self) -> Option<Error> {
        let claims = self.claims_challenge()?.to_owned();
        Some(Error::InteractionRequired {
            reason: InteractionReason::ClaimsChallenge { claims },
            server: None,
        })
    }
}

/// Finds the claims challenge among a response's `WWW-Authenticate` headers, each of which
/// may list several challenges (a browser's fetch joins repeated headers into one that way).
pub fn claims_challenge(response: &HttpResponse) -> Option<String> {
    response
        .header_values("www-authenticate")
        .flat_map(challenges)
        .filter_map(BearerChallenge::parse)
        .find_map(|c| c.claims_challenge().map(str::to_owned))
}

/// Splits a `WWW-Authenticate` value into its challenges (RFC 9110 §11.6.1: `challenge =
/// auth-scheme [ 1*SP ( token68 / #auth-param ) ]`, in a comma-separated list). A list item
/// starts a new challenge when it is a token followed by whitespace and then not by `=`: an
/// auth-param's name is followed by `=`. Commas inside quoted strings separate nothing.
fn challenges(value: &str) -> Vec<&str> {
    let mut starts = vec![0];
    let (mut quoted, mut escaped) = (false, false);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                let item = value[i + 1..].trim_start();
                let scheme_end = item
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)))
                    .unwrap_or(item.len());
                let after = &item[scheme_end..];
                let new_challenge = scheme_end > 0
                    && (after.is_empty()
                        || after.starts_with(',')
                        || (after.starts_with(char::is_whitespace)
                            && !after.trim_start().starts_with('=')));
                if new_challenge {
                    starts.push(i + 1);
                }
            }
            _ => {}
        }
    }
    starts
        .iter()
        .zip(starts.iter().skip(1).map(|&s| s - 1).chain([value.len()]))
        .map(|(&start, end)| value[start..end].trim())
        .collect()
}

fn decode_claims(v: &str) -> Option<String> {
    // Entra sends standard base64; accept the URL-safe alphabet too.
    [
        GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT),
        GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT),
    ]
    .iter()
    .find_map(|e| e.decode(v.trim()).ok())
    .and_then(|b| String::from_utf8(b).ok())
    // Checked as JSON without building it: the claims are passed on as the text they are.
    .filter(|s| serde_json::from_slice::<serde::de::IgnoredAny>(s.as_bytes()).is_ok())
}

/// Splits `k="v", k2=token` into pairs; quoted strings may hold commas and `\"` escapes.
fn auth_params(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        let key: String =
            std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',')).collect();
        let key = key.trim().to_owned();
        if key.is_empty() {
            break;
        }
        if chars.next_if_eq(&'=').is_none() {
            continue;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value.extend(std::iter::from_fn(|| chars.next_if(|c| *c != ',')));
            value = value.trim().to_owned();
        }
        out.push((key, value));
    }
    out
}

#[cfg(test)]
mod tests;
