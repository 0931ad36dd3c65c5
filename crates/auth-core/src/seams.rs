//! Platform seams, named after capabilities (as MSAL's `INetworkModule`,
//! `INavigationClient` and cache plugin). The desktop shell implements them with reqwest,
//! the plugin store and a login window; the browser with fetch, web storage and a redirect.
//!
//! The futures carry no `Send` bound, so wasm32 implementations (holding `JsValue`s) fit;
//! native callers with `Send` implementations get `Send` futures through auto-trait leakage.

use std::future::Future;

use http::{Request, Response};
use url::Url;

use crate::error::{Error, NetworkError};
use crate::token_cache::CacheError;

/// Sends one HTTP request and returns the whole response. Any status is a response; only a
/// transport failure is an error. Implemented for closures returning a future.
pub trait HttpClient {
    /// Executes the request.
    fn execute(
        &self,
        request: Request<Vec<u8>>,
    ) -> impl Future<Output = Result<Response<Vec<u8>>, NetworkError>>;
}

impl<F, Fut> HttpClient for F
where
    F: Fn(Request<Vec<u8>>) -> Fut,
    Fut: Future<Output = Result<Response<Vec<u8>>, NetworkError>>,
{
    fn execute(
        &self,
        request: Request<Vec<u8>>,
    ) -> impl Future<Output = Result<Response<Vec<u8>>, NetworkError>> {
        self(request)
    }
}

/// Loads and saves the serialized token cache (a secret: store it as one).
pub trait TokenStore {
    /// The stored blob, or `None` when nothing was stored yet.
    fn load(&self) -> impl Future<Output = Result<Option<String>, CacheError>>;
    /// Replaces the stored blob (atomically, where the platform allows).
    fn save(&self, blob: String) -> impl Future<Output = Result<(), CacheError>>;
}

/// Shows the authorize URL to the user and yields where the identity platform sent them back.
pub trait InteractiveLogin {
    /// Navigates to `authorize_url` and resolves with the redirect: the full URL reached under
    /// `redirect_uri` (query or fragment mode), or the POSTed body (form_post). A closed window
    /// is [`Error::UserCancelled`].
    fn login(
        &self,
        authorize_url: Url,
        redirect_uri: &str,
    ) -> impl Future<Output = Result<String, Error>>;
}
