//! Accounts, identified as MSAL does
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/msal-acquire-cache-tokens>,
//! MSAL's cache schema: `AccountEntity`).

use serde::{Deserialize, Serialize};

use crate::id_token::{ClientInfo, IdTokenClaims};

/// A signed-in account. It holds no secret and may be shown to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// `uid.utid` from `client_info`; else `oid.tid`; else `sub`.
    pub home_account_id: String,
    /// The authority host the account signed in at (the cache's "environment").
    pub environment: String,
    /// The tenant of the sign-in (`tid`); the cache's "realm".
    pub tenant_id: String,
    /// `preferred_username`.
    pub username: String,
    /// `name`.
    pub name: Option<String>,
    /// `oid`: the user's object id in `tenant_id`.
    pub local_account_id: Option<String>,
    /// `login_hint`, for a later `prompt=none` or sign-out.
    pub login_hint: Option<String>,
}

impl Account {
    /// The account an ID token (and `client_info`, when sent) describes.
    pub fn from_claims(
        client_info: Option<&ClientInfo>,
        claims: &IdTokenClaims,
        environment: &str,
    ) -> Account {
        let home_account_id = match (client_info, &claims.oid, &claims.tid) {
            (Some(ci), _, _) => format!("{}.{}", ci.uid, ci.utid),
            (None, Some(oid), Some(tid)) => format!("{oid}.{tid}"),
            _ => claims.sub.clone(),
        };
        Account {
            home_account_id,
            environment: environment.to_owned(),
            tenant_id: claims.tid.clone().unwrap_or_default(),
            // Entra's tokens carry `tid` and `preferred_username`. A generic provider need not
            // send `preferred_username` (OIDC Core §5.1 makes every claim optional): then its
            // `email`, as MSAL falls back to an email address.
            username: claims
                .preferred_username
                .clone()
                .or_else(|| claims.tid.is_none().then(|| claims.email.clone()).flatten())
                .unwrap_or_default(),
            name: claims.name.clone(),
            local_account_id: claims.oid.clone(),
            login_hint: claims.login_hint.clone(),
        }
    }

    /// The end-session `logout_hint`: the `login_hint` claim, the only hint with which Entra
    /// signs the account out without asking. A username gets "Pick an account to sign out of"
    /// as no hint does, so without the claim (a registration without the optional claim) none
    /// is sent. <https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#send-a-sign-out-request>
    pub fn logout_hint(&self) -> Option<&str> {
        self.login_hint.as_deref()
    }

    /// The cache key, `{homeAccountId}-{environment}-{realm}` lowercased.
    pub fn cache_key(&self) -> String {
        crate::lowercase(&format!(
            "{}-{}-{}",
            self.home_account_id, self.environment, self.tenant_id
        ))
    }
}

#[cfg(test)]
mod tests;
