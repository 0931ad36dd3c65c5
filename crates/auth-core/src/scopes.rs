//! Scope lists: the OpenID scopes every sign-in adds, and case-insensitive comparison.
//!
//! Scopes are case-insensitive in Entra and `openid profile offline_access` are implied by MSAL
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/scopes-oidc#openid-connect-scopes>).

/// The scopes MSAL adds to every interactive request.
pub const OIDC_SCOPES: [&str; 3] = ["openid", "profile", "offline_access"];

/// Whether a scope is one of [`OIDC_SCOPES`].
pub fn is_oidc_scope(scope: &str) -> bool {
    OIDC_SCOPES.iter().any(|s| s.eq_ignore_ascii_case(scope))
}

/// `asked` followed by the OpenID scopes, without duplicates (case-insensitive).
pub fn with_oidc_scopes(asked: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(asked.len() + 3);
    for s in asked.iter().map(String::as_str).chain(OIDC_SCOPES) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
            out.push(s.to_owned());
        }
    }
    out
}

/// Lowercased, sorted, deduplicated scopes without the OpenID ones: the cache's comparison form.
pub fn normalize<'a, I: IntoIterator<Item = &'a str>>(scopes: I) -> Vec<String> {
    let mut out: Vec<String> = scopes
        .into_iter()
        .filter(|s| !s.is_empty() && !is_oidc_scope(s))
        .map(str::to_ascii_lowercase)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether every scope of `wanted` is in `have` (both as [`normalize`] returns them).
pub fn is_superset(have: &[String], wanted: &[String]) -> bool {
    wanted.iter().all(|w| have.binary_search(w).is_ok())
}

#[cfg(test)]
mod tests;
