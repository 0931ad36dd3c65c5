//! Throttling: remember a 429 / 5xx answer's `Retry-After` and refuse to repeat the same
//! request early, as MSAL's `ThrottlingUtils` does (60 s by default, at most 3600 s).
//!
//! <https://learn.microsoft.com/en-us/entra/identity-platform/msal-error-handling-js#retrying-after-errors-and-exceptions>,
//! RFC 9110 §10.2.3 (`Retry-After`), and for Graph
//! <https://learn.microsoft.com/en-us/graph/throttling>.

use litemap::LiteMap;
use std::time::{Duration, UNIX_EPOCH};

use crate::error::Error;
use crate::seams::HttpResponse;

/// The throttle time when the server sent no `Retry-After` (MSAL `DEFAULT_THROTTLE_TIME_SECONDS`).
pub const DEFAULT_THROTTLE_SECONDS: u64 = 60;
/// The longest throttle time honoured (MSAL `DEFAULT_MAX_THROTTLE_TIME_SECONDS`).
pub const MAX_THROTTLE_SECONDS: u64 = 3600;

/// Identifies "the same request": client, authority, scopes (order and case ignored) and account.
pub fn throttle_key<S: AsRef<str>>(
    client_id: &str,
    authority: &str,
    scopes: &[S],
    home_account_id: Option<&str>,
) -> String {
    let mut s: Vec<String> = scopes
        .iter()
        .map(|s| crate::lowercase(s.as_ref()))
        .collect();
    s.sort_unstable();
    s.dedup();
    format!(
        "{}|{}|{}|{}",
        crate::lowercase(client_id),
        crate::lowercase(authority),
        s.join(" "),
        crate::lowercase(home_account_id.unwrap_or(""))
    )
}

/// The seconds to wait that a response's `Retry-After` header asks for, at `now` (unix
/// seconds): delta seconds or an HTTP-date.
pub fn retry_after(response: &HttpResponse, now: u64) -> Option<u64> {
    let value = response.header("retry-after")?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let at = at
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    Some(at.saturating_sub(now))
}

/// Requests that must not be repeated yet, with the unix second from which they may.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Throttle {
    until: LiteMap<String, u64>,
}

impl Throttle {
    /// An empty throttle.
    pub fn new() -> Self {
        Self::default()
    }

    /// Refuses a request still throttled at `now` with [`Error::Throttled`].
    pub fn check(&self, key: &str, now: u64) -> Result<(), Error> {
        match self.until.get(key) {
            Some(&retry_at) if retry_at > now => Err(Error::Throttled {
                retry_at,
                retry_after: retry_at - now,
            }),
            _ => Ok(()),
        }
    }

    /// Records a response: a 429 or 5xx (or any failure carrying `Retry-After`) throttles the
    /// request; a success clears it.
    pub fn record(&mut self, key: &str, response: &HttpResponse, now: u64) {
        if response.is_success() {
            self.until.remove(key);
            return;
        }
        let after = retry_after(response, now);
        let throttled =
            response.status == 429 || (500..600).contains(&response.status) || after.is_some();
        if throttled {
            let wait = after
                .filter(|s| *s > 0)
                .unwrap_or(DEFAULT_THROTTLE_SECONDS)
                .min(MAX_THROTTLE_SECONDS);
            self.until.insert(key.to_owned(), now.saturating_add(wait));
        }
    }

    /// Forgets entries that have expired at `now`.
    pub fn prune(&mut self, now: u64) {
        self.until.retain(|_, t| *t > now);
    }
}

#[cfg(test)]
mod tests;
