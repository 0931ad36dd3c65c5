//! The protocol core shared by the desktop shell and the browser frontend: the Microsoft
//! identity platform's authorization code flow with PKCE, tokens, the token cache and the
//! silent-acquisition decision.
//!
//! It builds requests and parses responses, and never opens a socket, touches storage or reads
//! the clock on its own (time is always passed in as unix seconds), so the same code runs
//! natively and on `wasm32-unknown-unknown`. The platforms plug in HTTP through [`seams`];
//! [`flow`] has the few async helpers that use it, and [`client`] the client application above
//! them.
//!
//! # Layout
//!
//! - [`config`]: the client's configuration ([`config::Config`], [`config::ClientType`]) and its
//!   validation, tutorial placeholders included.
//! - [`authority`]: instances and tenants, national-cloud presets, discovery documents.
//! - [`authorize`]: PKCE, state, nonce and the authorize URL; [`authorize::PendingAuthorization`].
//! - [`redirect_response`]: parsing the redirect and matching it to its attempt.
//! - [`token_request`] / [`token_response`]: the authorization_code and refresh_token grants,
//!   Entra's token response and error JSON.
//! - [`id_token`]: JWKS, ID token validation, `client_info`.
//! - [`account`] / [`token_cache`]: accounts and the versioned, MSAL-keyed token cache.
//! - [`silent`]: [`silent::decide`], the pure silent-acquisition decision.
//! - [`throttle`] / [`challenge`]: `Retry-After` throttling and `WWW-Authenticate` claims challenges.
//! - [`scopes`]: scope lists and comparison.
//! - [`secret`]: redacting newtypes for tokens, codes and the verifier.
//! - [`error`]: [`Error`], split by who failed.
//! - [`whatwg`]: URLs: the `url` crate natively, the browser's own `URL` on wasm32.
//! - [`seams`]: `HttpClient`; with the `reqwest` feature,
//!   `reqwest_client` implements `HttpClient` for `reqwest::Client`.
//! - [`flow`]: `redeem_code`, `refresh`, `acquire_silent`, `discover`, `fetch_jwks`.
//! - [`client`]: [`client::ClientApplication`], the rules a client keeps between requests (one
//!   account, the interactive prompt and hint, a refused token, sign-out), shared by both shells.
//!
//! # Example
//!
//! A desktop client against the local emulator: build the authorize URL, open it, accept the
//! redirect, build the token request; later, decide how to get a token silently.
//!
//! ```
//! use auth_core::authorize::{begin, AuthorizeOptions, Prompt};
//! use auth_core::config::{ClientType, Config};
//! use auth_core::silent::{decide, Decision, SilentRequest};
//! use auth_core::token_cache::TokenCache;
//! use auth_core::token_request::authorization_code_request;
//!
//! let config = Config::new(
//!     "6b3a2f4e-0c61-4d2b-9a57-1f1d6c1d2e3f",
//!     "http://localhost:4123/common",
//!     "http://localhost:53123",
//!     ClientType::Desktop,
//! )?;
//! let options = AuthorizeOptions { prompt: Some(Prompt::SelectAccount), ..Default::default() };
//! let (url, pending) = begin(&config, &options)?;
//! assert!(url.query().unwrap_or("").contains("code_challenge_method=S256"));
//!
//! // The login window reaches the redirect URI with the code and the same state:
//! let redirect = format!("http://localhost:53123/?code=abc&state={}", pending.state());
//! let grant = pending.accept(&redirect)?; // consumes `pending`
//! let request = authorization_code_request(&config, &grant)?;
//! assert_eq!(request.method.as_str(), "POST");
//! assert!(request.header("origin").is_none()); // desktop: no Origin
//! // ... send it, then `token_response::parse_token_response`, `id_token::validate` and
//! // `TokenCache::merge` (or all at once: `flow::redeem_code`).
//!
//! let cache = TokenCache::new();
//! let silent = SilentRequest::new(&config, "uid.utid", &["User.Read"]);
//! assert!(matches!(decide(&cache, &silent, 1_700_000_000), Decision::InteractionRequired(_)));
//! # Ok::<(), auth_core::Error>(())
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod account;
pub mod authority;
pub mod authorize;
pub mod challenge;
pub mod client;
pub mod config;
pub mod error;
pub mod flow;
pub mod id_token;
mod placeholder;
pub mod redirect_response;
#[cfg(all(feature = "reqwest", not(target_arch = "wasm32")))]
pub mod reqwest_client;
pub mod scopes;
pub mod seams;
pub mod secret;
pub mod silent;
pub mod throttle;
pub mod token_cache;
pub mod token_request;
pub mod token_response;
pub mod whatwg;

pub use error::Error;

/// Unicode lowercasing for the cache and throttle keys, as msal-browser keys its cache with
/// JavaScript's `toLowerCase`. In a browser it is that very function, so the page carries no
/// Unicode case tables of its own (docs/benchmarks.md); natively, `str::to_lowercase`, which
/// follows the same Unicode rules (final sigma included).
pub(crate) fn lowercase(s: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(s).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_lowercase()
    }
}

/// Test keys and a JWT signer, shared with the integration test and the benchmarks.
#[cfg(test)]
#[path = "../tests/support/mod.rs"]
mod test_support;

/// A generic provider's configuration and discovery document, for the unit tests.
#[cfg(test)]
mod test_oidc;
