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

/// The scopes of a sign-in at a generic OpenID provider: `asked`, with `openid` (OpenID Connect
/// Core 1.0 §3.1.2.1), and `offline_access` when the provider lists it in `scopes_supported`
/// (§11), so that it issues a refresh token. `profile` is not added: the default configuration
/// asks for it, and a provider need not support it.
pub fn oidc_sign_in_scopes(
    asked: &[String],
    metadata: &crate::authority::OidcMetadata,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(asked.len() + 2);
    let offline = metadata
        .supports_scope("offline_access")
        .then_some("offline_access");
    for s in asked
        .iter()
        .map(String::as_str)
        .chain(["openid"])
        .chain(offline)
    {
        if !out.iter().any(|o| o == s) {
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
