//! The token cache: accounts, ID, access and refresh tokens, keyed as in MSAL's cache schema,
//! in a versioned serde format.
//!
//! Credential keys are `{homeAccountId}-{environment}-{credentialType}-{clientId}-{realm}-{target}`,
//! lowercased (MSAL `CredentialEntity.generateCredentialCacheKey`). Keys sort by account, so an
//! account's access tokens are one ordered range of the map.
//! The refresh token belongs to the account and client, not to scopes
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens>).
//!
//! Each kind's map is a [`LiteMap`], a vector sorted by key: a cache holds a handful of entries,
//! and the B-trees it had, their code compiled once for each kind, weighed 35 KB in the browser
//! page's wasm (docs/benchmarks.md).

use litemap::LiteMap;
use serde::{Deserialize, Serialize};

use crate::account::Account;
use crate::error::Error;
pub use crate::error::{CacheError, CACHE_VERSION};
use crate::id_token::{decode_client_info, IdTokenClaims};
use crate::scopes::{is_superset, normalize};
use crate::secret::{AccessToken, IdTokenSecret, RefreshToken};
use crate::token_response::TokenResponse;

/// A cached ID token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdTokenEntry {
    /// Owner.
    pub home_account_id: String,
    /// Authority host.
    pub environment: String,
    /// Client id.
    pub client_id: String,
    /// Tenant.
    pub realm: String,
    /// The raw token.
    pub secret: IdTokenSecret,
}

/// A cached access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenEntry {
    /// Owner.
    pub home_account_id: String,
    /// Authority host.
    pub environment: String,
    /// Client id.
    pub client_id: String,
    /// Tenant.
    pub realm: String,
    /// The granted scopes, space-separated, as the server sent them.
    pub target: String,
    /// The token.
    pub secret: AccessToken,
    /// `Bearer`.
    pub token_type: String,
    /// Unix seconds when cached.
    pub cached_at: u64,
    /// Unix seconds when it expires.
    pub expires_on: u64,
    /// Unix seconds of the extended (outage) expiry.
    pub extended_expires_on: u64,
    #[serde(skip)]
    normalized: Vec<String>,
}

impl AccessTokenEntry {
    /// The granted scopes in comparison form (lowercase, sorted, no OpenID scopes).
    pub fn scopes(&self) -> &[String] {
        &self.normalized
    }
}

/// A cached refresh token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshTokenEntry {
    /// Owner.
    pub home_account_id: String,
    /// Authority host.
    pub environment: String,
    /// Client id.
    pub client_id: String,
    /// The token.
    pub secret: RefreshToken,
    /// Unix seconds after which it is refused (SPA refresh tokens: 24 h), if known.
    pub expires_on: Option<u64>,
}

/// The cache. Serialize it with [`TokenCache::to_json`]; the blob holds tokens and must be
/// stored as a secret.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenCache {
    version: u64,
    #[serde(with = "object")]
    accounts: LiteMap<String, Account>,
    #[serde(with = "object")]
    id_tokens: LiteMap<String, IdTokenEntry>,
    #[serde(with = "object")]
    access_tokens: LiteMap<String, AccessTokenEntry>,
    #[serde(with = "object")]
    refresh_tokens: LiteMap<String, RefreshTokenEntry>,
}

/// A map of the cache as a JSON object, its members in key order.
///
/// Read entry by entry, a later duplicate key replacing the earlier one, as serde reads a
/// B-tree map. LiteMap's own serde support also takes a list of pairs, and sorts entries that
/// come out of order with a stable sort compiled once for each kind.
mod object {
    use std::marker::PhantomData;

    use litemap::LiteMap;
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
    use serde::ser::{Serialize, Serializer};

    pub fn serialize<S: Serializer, V: Serialize>(
        map: &LiteMap<String, V>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(map.iter())
    }

    pub fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<LiteMap<String, V>, D::Error> {
        struct Members<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Members<V> {
            type Value = LiteMap<String, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Self::Value, A::Error> {
                let mut map = LiteMap::new();
                while let Some((key, value)) = members.next_entry::<String, V>()? {
                    map.insert(key, value);
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(Members(PhantomData))
    }
}

/// The entries of `map` whose keys start with `prefix`, in key order.
fn with_prefix<V>(map: &LiteMap<String, V>, prefix: String) -> impl Iterator<Item = &V> {
    let start = map.find_index(&prefix).unwrap_or_else(|at| at);
    (start..map.len())
        .map_while(|i| map.get_indexed(i))
        .take_while(move |(k, _)| k.starts_with(&prefix))
        .map(|(_, v)| v)
}

/// The name of the version entry among [`TokenCache::entries`].
pub const VERSION_ENTRY: &str = "version";

/// What [`TokenCache::from_entries`] read.
#[derive(Debug)]
pub struct FromEntries {
    /// The cache.
    pub cache: TokenCache,
    /// Entries left out, by name, with why.
    pub dropped: Vec<(String, Dropped)>,
}

/// Why an entry was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dropped {
    /// It does not parse as its kind (the detail never quotes values).
    Unreadable(String),
    /// A credential whose account is not in the cache: another writer signed the account out.
    Orphan,
}

#[derive(Deserialize)]
struct VersionOnly {
    version: Option<u64>,
}

/// `{home}-{env}-{type}-{client}-{realm}-{target}`, lowercased.
fn credential_key(
    home: &str,
    env: &str,
    kind: &str,
    client: &str,
    realm: &str,
    target: &str,
) -> String {
    crate::lowercase(&format!("{home}-{env}-{kind}-{client}-{realm}-{target}"))
}

impl TokenCache {
    /// An empty cache.
    pub fn new() -> TokenCache {
        TokenCache {
            version: CACHE_VERSION,
            ..TokenCache::default()
        }
    }

    /// Reads a blob written by [`to_json`](Self::to_json). An unknown version or a corrupt
    /// blob is an error, never an empty cache.
    pub fn from_json(blob: &str) -> Result<TokenCache, CacheError> {
        let corrupt = |e: serde_json::Error| {
            CacheError::Corrupt(format!(
                "{:?} error at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            ))
        };
        // From bytes, as every JSON the browser page reads: its wasm then holds one instance of
        // serde_json's parser, not one for `&str` and one for `&[u8]` (docs/benchmarks.md).
        let v: VersionOnly = serde_json::from_slice(blob.as_bytes()).map_err(corrupt)?;
        match v.version {
            Some(CACHE_VERSION) => {}
            Some(found) => return Err(CacheError::UnsupportedVersion { found }),
            None => return Err(CacheError::Corrupt("no `version` field".into())),
        }
        let mut cache: TokenCache = serde_json::from_slice(blob.as_bytes()).map_err(corrupt)?;
        for (_, at) in cache.access_tokens.iter_mut() {
            at.normalized = normalize(at.target.split_whitespace());
        }
        Ok(cache)
    }

    /// The cache as separate entries, to store one by one (as msal-browser keeps each credential
    /// under its own web storage key), so that a writer changes only what it changed: `version`,
    /// then `account.<key>`, `idtoken.<key>`, `accesstoken.<key>` and `refreshtoken.<key>`, each
    /// with its JSON. Read back with [`TokenCache::from_entries`].
    pub fn entries(&self) -> Result<Vec<(String, String)>, CacheError> {
        fn put<T: Serialize>(
            out: &mut Vec<(String, String)>,
            kind: &str,
            map: &LiteMap<String, T>,
        ) -> Result<(), CacheError> {
            for (key, value) in map.iter() {
                let json = serde_json::to_string(value)
                    .map_err(|e| CacheError::Corrupt(format!("{:?}", e.classify())))?;
                out.push((format!("{kind}.{key}"), json));
            }
            Ok(())
        }
        let mut out = vec![(VERSION_ENTRY.to_owned(), self.version.to_string())];
        put(&mut out, "account", &self.accounts)?;
        put(&mut out, "idtoken", &self.id_tokens)?;
        put(&mut out, "accesstoken", &self.access_tokens)?;
        put(&mut out, "refreshtoken", &self.refresh_tokens)?;
        Ok(out)
    }

    /// Reads entries written by [`TokenCache::entries`] (in any order, with foreign names
    /// ignored). A missing or unknown `version` is an error, as for a blob. An entry that does
    /// not parse, and a credential whose account is gone (another writer signed it out), are
    /// left out; their names come back in [`FromEntries::dropped`], with why, for the caller to
    /// delete or set aside.
    pub fn from_entries<'a>(
        entries: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<FromEntries, CacheError> {
        let mut version = None;
        // Each kind's entries as `"key":json` members, checked one by one, then joined into a
        // blob that `from_json` reads as if it had been written whole.
        let mut members: [Vec<String>; 4] = Default::default();
        let mut dropped = Vec::new();
        const KINDS: [&str; 4] = ["account", "idtoken", "accesstoken", "refreshtoken"];
        for (name, json) in entries {
            if name == VERSION_ENTRY {
                version = Some(json.trim().parse::<u64>().map_err(|_| {
                    CacheError::Corrupt("the `version` entry is not a number".into())
                })?);
                continue;
            }
            let Some((kind, key)) = name.split_once('.') else {
                continue;
            };
            let Some(slot) = KINDS.iter().position(|k| *k == kind) else {
                continue;
            };
            let readable = match slot {
                0 => serde_json::from_slice::<Account>(json.as_bytes()).map(drop),
                1 => serde_json::from_slice::<IdTokenEntry>(json.as_bytes()).map(drop),
                2 => serde_json::from_slice::<AccessTokenEntry>(json.as_bytes()).map(drop),
                _ => serde_json::from_slice::<RefreshTokenEntry>(json.as_bytes()).map(drop),
            };
            match (readable, serde_json::to_string(key)) {
                (Ok(()), Ok(quoted)) => members[slot].push(format!("{quoted}:{json}")),
                (Err(e), _) | (_, Err(e)) => dropped.push((
                    name.to_owned(),
                    Dropped::Unreadable(format!("{:?} error, not a cached {kind}", e.classify())),
                )),
            }
        }
        let version = match version {
            Some(v) => v,
            None if members.iter().all(Vec::is_empty) && dropped.is_empty() => CACHE_VERSION,
            None => return Err(CacheError::Corrupt("no `version` entry".into())),
        };
        let [accounts, id_tokens, access_tokens, refresh_tokens] = members.map(|m| m.join(","));
        let blob = format!(
            "{{\"version\":{version},\"accounts\":{{{accounts}}},\"idTokens\":{{{id_tokens}}},\"accessTokens\":{{{access_tokens}}},\"refreshTokens\":{{{refresh_tokens}}}}}"
        );
        let mut cache = TokenCache::from_json(&blob)?;
        let homes: Vec<String> = cache
            .accounts
            .values()
            .map(|a| a.home_account_id.clone())
            .collect();
        let mut orphan = |kind: &str, key: &String, home: &str| {
            let gone = !homes.iter().any(|h| h == home);
            if gone {
                dropped.push((format!("{kind}.{key}"), Dropped::Orphan));
            }
            !gone
        };
        cache
            .id_tokens
            .retain(|k, t| orphan("idtoken", k, &t.home_account_id));
        cache
            .access_tokens
            .retain(|k, t| orphan("accesstoken", k, &t.home_account_id));
        cache
            .refresh_tokens
            .retain(|k, t| orphan("refreshtoken", k, &t.home_account_id));
        Ok(FromEntries { cache, dropped })
    }

    /// The blob to store, `{"version": 1, ...}`.
    pub fn to_json(&self) -> Result<String, CacheError> {
        serde_json::to_string(self).map_err(|e| CacheError::Corrupt(format!("{:?}", e.classify())))
    }

    /// Every account.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    /// An account by home id and environment.
    pub fn account(&self, home_account_id: &str, environment: &str) -> Option<&Account> {
        let prefix = crate::lowercase(&format!("{home_account_id}-{environment}-"));
        with_prefix(&self.accounts, prefix).find(|a| {
            a.home_account_id.eq_ignore_ascii_case(home_account_id)
                && a.environment.eq_ignore_ascii_case(environment)
        })
    }

    /// The access token of `account` for `client_id` whose scopes include `scopes`
    /// (in [`normalize`]d form), whatever its expiry.
    pub fn access_token(
        &self,
        account: &Account,
        client_id: &str,
        scopes: &[String],
    ) -> Option<&AccessTokenEntry> {
        let prefix = credential_key(
            &account.home_account_id,
            &account.environment,
            "accesstoken",
            client_id,
            &account.tenant_id,
            "",
        );
        with_prefix(&self.access_tokens, prefix).find(|t| {
            t.realm.eq_ignore_ascii_case(&account.tenant_id) && is_superset(&t.normalized, scopes)
        })
    }

    /// The refresh token of `account` for `client_id`.
    pub fn refresh_token(&self, account: &Account, client_id: &str) -> Option<&RefreshTokenEntry> {
        let key = credential_key(
            &account.home_account_id,
            &account.environment,
            "refreshtoken",
            client_id,
            "",
            "",
        );
        self.refresh_tokens.get(&key)
    }

    /// The ID token of `account` for `client_id`.
    pub fn id_token(&self, account: &Account, client_id: &str) -> Option<&IdTokenEntry> {
        let key = credential_key(
            &account.home_account_id,
            &account.environment,
            "idtoken",
            client_id,
            &account.tenant_id,
            "",
        );
        self.id_tokens.get(&key)
    }

    /// Removes an account (in every environment) and every token it owns.
    pub fn remove_account(&mut self, home_account_id: &str) {
        let mine = |h: &str| h.eq_ignore_ascii_case(home_account_id);
        self.accounts.retain(|_, a| !mine(&a.home_account_id));
        self.id_tokens.retain(|_, t| !mine(&t.home_account_id));
        self.access_tokens.retain(|_, t| !mine(&t.home_account_id));
        self.refresh_tokens.retain(|_, t| !mine(&t.home_account_id));
    }

    /// Merges a token response (from a code redemption or a refresh) into the cache and
    /// returns its account.
    ///
    /// - `claims` are the response's validated ID token claims, if it had one; otherwise
    ///   `known` (the account that refreshed) owns the tokens.
    /// - The refresh token replaces the account's previous one.
    /// - The access token replaces every access token of the same account, realm and client
    ///   whose scopes intersect its own (MSAL `CacheManager.saveAccessToken`).
    /// - `requested` scopes stand in when the response names none.
    pub fn merge(
        &mut self,
        response: &TokenResponse,
        merge: &MergeContext<'_>,
        claims: Option<&IdTokenClaims>,
        now: u64,
    ) -> Result<Account, Error> {
        let account = match (claims, merge.known) {
            (Some(c), _) => {
                let info = response
                    .client_info
                    .as_deref()
                    .or(merge.client_info)
                    .map(decode_client_info)
                    .transpose()?;
                let mut account = Account::from_claims(info.as_ref(), c, merge.environment);
                if let Some(known) = merge.known {
                    if account.home_account_id != known.home_account_id {
                        account.home_account_id.clone_from(&known.home_account_id);
                    }
                }
                account
            }
            (None, Some(known)) => known.clone(),
            (None, None) => {
                return Err(crate::error::ResponseError::MissingField {
                    what: "token",
                    field: "id_token",
                }
                .into())
            }
        };
        let (home, env, realm, client) = (
            account.home_account_id.as_str(),
            account.environment.as_str(),
            account.tenant_id.as_str(),
            merge.client_id,
        );
        if let (Some(_), Some(secret)) = (claims, &response.id_token) {
            self.id_tokens.insert(
                credential_key(home, env, "idtoken", client, realm, ""),
                IdTokenEntry {
                    home_account_id: home.to_owned(),
                    environment: env.to_owned(),
                    client_id: client.to_owned(),
                    realm: realm.to_owned(),
                    secret: secret.clone(),
                },
            );
        }
        if let Some(rt) = &response.refresh_token {
            let key = credential_key(home, env, "refreshtoken", client, "", "");
            // A rotated SPA refresh token inherits the fixed 24 h end of the one it replaces
            // when the response does not restate it (refresh-tokens#token-lifetime).
            let expires_on = response
                .refresh_token_expires_on
                .or_else(|| self.refresh_tokens.get(&key).and_then(|old| old.expires_on));
            self.refresh_tokens.insert(
                key,
                RefreshTokenEntry {
                    home_account_id: home.to_owned(),
                    environment: env.to_owned(),
                    client_id: client.to_owned(),
                    secret: rt.clone(),
                    expires_on,
                },
            );
        }
        let granted: Vec<String> = if response.scopes.is_empty() {
            merge.requested.to_vec()
        } else {
            response.scopes.clone()
        };
        let normalized = normalize(granted.iter().map(String::as_str));
        let prefix = credential_key(home, env, "accesstoken", client, realm, "");
        self.access_tokens.retain(|k, t| {
            !(k.starts_with(&prefix)
                && t.realm.eq_ignore_ascii_case(realm)
                && t.normalized
                    .iter()
                    .any(|s| normalized.binary_search(s).is_ok()))
        });
        let target = granted.join(" ");
        self.access_tokens.insert(
            credential_key(home, env, "accesstoken", client, realm, &target),
            AccessTokenEntry {
                home_account_id: home.to_owned(),
                environment: env.to_owned(),
                client_id: client.to_owned(),
                realm: realm.to_owned(),
                target,
                secret: response.access_token.clone(),
                token_type: response.token_type.clone(),
                cached_at: now,
                expires_on: response.expires_on,
                extended_expires_on: response.extended_expires_on,
                normalized,
            },
        );
        self.accounts.insert(account.cache_key(), account.clone());
        Ok(account)
    }
}

/// What [`TokenCache::merge`] needs besides the response.
#[derive(Debug, Clone, Copy)]
pub struct MergeContext<'a> {
    /// The authority host.
    pub environment: &'a str,
    /// The client id.
    pub client_id: &'a str,
    /// The scopes asked for.
    pub requested: &'a [String],
    /// `client_info` from the redirect, when the token response lacks it.
    pub client_info: Option<&'a str>,
    /// The account that refreshed, if this is a refresh.
    pub known: Option<&'a Account>,
}

#[cfg(test)]
mod tests;
