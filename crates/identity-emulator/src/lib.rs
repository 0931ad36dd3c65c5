//! A local emulator of the Microsoft identity platform v2.0 and Microsoft Graph v1.0.
//!
//! It is the app's embedded default and its test bed; `docs/emulator.md` says what it
//! reproduces. It shares no code with `auth-core`: the two are independent implementations
//! of the two ends of one protocol.
//!
//! # Layout
//!
//! - [`app`] / [`app_with`] build the [`axum::Router`]; tests call it in-process.
//! - [`run`] serves it on a bound listener until `shutdown` resolves.
//! - `main.rs` is the thin `identity-emulator` binary (`--port`, `--tls`, `--seed`); [`tls`] makes
//!   its self-signed certificate.
//! - [`seed`]: tenants, users, app registrations and mailboxes (`seed/default.toml`).
//! - [`state`]: the clock, sessions, codes, grants, faults and counters; [`keys`]: RS256 keys.
//! - Endpoints, one module each: [`discovery`] (OpenID configuration, instance discovery, JWKS),
//!   [`authorize`] (the authorize endpoint and its sign-in, "Stay signed in?", consent and picker
//!   pages, in [`pages`]), [`logout`] (end-session and its picker), [`token_endpoint`] (code and refresh
//!   grants), [`graph`] (`/v1.0/me`, `/v1.0/me/messages`), [`admin`] (`/_emulator/` test controls).
//! - [`realms`]: home realm discovery, and the two other sign-in origins (personal accounts, and a
//!   federated tenant's AD FS), each served on a listener of its own by [`serve_origins`].
//! - [`error`]: Entra's error JSON, made in one place; [`mint`]: ID and access tokens, minted.
//! - [`guard`]: hostile requests (a bad `Host`, what axum's extractors refuse) answered in each
//!   endpoint's error shape, and the anti-framing headers of every HTML page.
#![warn(missing_docs)]

pub mod admin;
pub mod authorize;
pub mod discovery;
pub mod error;
pub mod graph;
pub mod guard;
pub mod keys;
pub mod logout;
pub mod mint;
pub mod pages;
pub mod params;
pub mod realms;
pub mod seed;
pub mod state;
pub mod tls;
pub mod token_endpoint;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use seed::Seed;
pub use state::EmulatorState;

/// The emulator on the built-in seed.
pub fn app() -> Router {
    app_with(Arc::new(EmulatorState::new(Seed::default_seed(), false)))
}

/// The emulator on `state`, which the caller may keep to inspect or drive it.
pub fn app_with(state: Arc<EmulatorState>) -> Router {
    // Discovery, keys, the token endpoint and Graph answer cross-origin calls from SPAs (the
    // pages answer CORS too, harmlessly: credentials are never allowed cross-origin).
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            axum::http::header::AUTHORIZATION,
            axum::http::header::CONTENT_TYPE,
            HeaderName::from_static("client-request-id"),
            HeaderName::from_static("prefer"),
            HeaderName::from_static("x-client-sku"),
            HeaderName::from_static("x-client-ver"),
            HeaderName::from_static("x-client-os"),
            HeaderName::from_static("x-client-cpu"),
            HeaderName::from_static("x-client-current-telemetry"),
            HeaderName::from_static("x-client-last-telemetry"),
            HeaderName::from_static("x-ms-lib-capability"),
            HeaderName::from_static("x-app-name"),
            HeaderName::from_static("x-app-ver"),
            HeaderName::from_static("return-client-request-id"),
        ])
        .expose_headers([
            axum::http::header::WWW_AUTHENTICATE,
            axum::http::header::RETRY_AFTER,
            HeaderName::from_static("client-request-id"),
        ])
        .max_age(std::time::Duration::from_secs(3600));
    let api = Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .route(
            "/common/discovery/instance",
            get(discovery::instance_discovery),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::keys))
        .route(
            "/{tenant}/oauth2/v2.0/token",
            axum::routing::post(token_endpoint::token),
        )
        .route("/v1.0/me", get(graph::me))
        .route("/v1.0/me/messages", get(graph::messages))
        .route_layer(axum::middleware::from_fn(guard::api));
    let pages = Router::new()
        .route("/terms", get(pages::terms_page))
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize::authorize).post(authorize::authorize),
        )
        .route(
            "/{tenant}/login",
            axum::routing::post(authorize::forms::login),
        )
        .route(
            "/{tenant}/consent",
            axum::routing::post(authorize::forms::consent),
        )
        .route(
            "/{tenant}/pick",
            axum::routing::post(authorize::forms::pick),
        )
        .route(
            "/{tenant}/kmsi",
            axum::routing::post(authorize::forms::stay_signed_in),
        )
        .route(
            "/{tenant}/interrupt",
            axum::routing::post(authorize::forms::interrupt),
        )
        .route(
            "/{tenant}/federation/oauth2msa",
            axum::routing::post(authorize::forms::federation_return),
        )
        .route(
            "/login.srf",
            axum::routing::post(authorize::forms::federation_return),
        )
        .route(
            "/{tenant}/oauth2/v2.0/logout",
            get(logout::logout).post(logout::logout),
        )
        .route(
            "/{tenant}/oauth2/v2.0/logoutsession",
            axum::routing::post(logout::pick),
        )
        .route_layer(axum::middleware::from_fn(guard::pages));
    // The controls answer no CORS, and no web page (admin::loopback_only).
    let controls = admin::routes().layer(axum::middleware::from_fn(admin::loopback_only));
    let public = Router::new()
        .merge(api)
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            admin::inject_faults,
        ))
        // Outside the faults, so that an injected 429 still carries CORS headers for an SPA.
        .layer(cors);
    let app = Router::new()
        .merge(public)
        .nest("/_emulator", controls)
        .layer(DefaultBodyLimit::max(params::MAX_BODY))
        .layer(axum::middleware::map_request(host_from_authority))
        .layer(axum::middleware::map_response(
            |mut r: axum::response::Response| async move {
                r.headers_mut().insert(
                    "x-ms-emulator",
                    HeaderValue::from_static("identity-emulator"),
                );
                r
            },
        ));
    guard::refuse_framing(app).with_state(state)
}

/// HTTP/2 carries the host in the `:authority` pseudo-header, not in `Host`; endpoint URLs are
/// built from `Host`, so copy it over.
async fn host_from_authority(mut request: axum::extract::Request) -> axum::extract::Request {
    if !request.headers().contains_key(axum::http::header::HOST) {
        let authority = request
            .uri()
            .authority()
            .and_then(|a| HeaderValue::from_str(a.as_str()).ok());
        if let Some(value) = authority {
            request
                .headers_mut()
                .insert(axum::http::header::HOST, value);
        }
    }
    request
}

/// The listeners of the emulator's three origins: the main one (login.microsoftonline.com and
/// Graph), the personal accounts one (login.live.com) and the federated tenant's AD FS.
pub struct Listeners {
    /// The main origin.
    pub main: std::net::TcpListener,
    /// The personal accounts sign-in origin.
    pub personal: std::net::TcpListener,
    /// The federated sign-in origin.
    pub federated: std::net::TcpListener,
}

impl Listeners {
    /// Binds the main origin on `127.0.0.1:port` (0: a free port) and the two others on free
    /// ports of 127.0.0.1.
    pub fn bind(port: u16) -> std::io::Result<Self> {
        Ok(Self {
            main: std::net::TcpListener::bind(("127.0.0.1", port))?,
            personal: std::net::TcpListener::bind(("127.0.0.1", 0))?,
            federated: std::net::TcpListener::bind(("127.0.0.1", 0))?,
        })
    }

    /// The origins' URLs, `http://localhost:<port>` (`https://` with TLS).
    pub fn origins(&self, tls: bool) -> std::io::Result<state::Origins> {
        let scheme = if tls { "https" } else { "http" };
        let url = |l: &std::net::TcpListener| -> std::io::Result<String> {
            Ok(format!("{scheme}://localhost:{}", l.local_addr()?.port()))
        };
        Ok(state::Origins {
            main: Some(url(&self.main)?),
            personal: Some(url(&self.personal)?),
            federated: Some(url(&self.federated)?),
        })
    }
}

/// Serves the three origins on `listeners` (with TLS when `certificate` is given) until
/// `shutdown` completes. `state` learns their URLs first.
pub async fn serve_origins(
    state: Arc<EmulatorState>,
    listeners: Listeners,
    certificate: Option<&tls::SelfSigned>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    state.set_origins(listeners.origins(certificate.is_some())?);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let until = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|s| *s).await;
        }
    };
    let routers = [
        (listeners.main, app_with(state.clone())),
        (
            listeners.personal,
            other_origin(&state, realms::personal::routes()),
        ),
        (
            listeners.federated,
            other_origin(&state, realms::federated::routes()),
        ),
    ];
    let mut servers = tokio::task::JoinSet::new();
    for (listener, router) in routers {
        let stop = until();
        match certificate {
            #[cfg(feature = "tls")]
            Some(certificate) => {
                let certificate = tls::SelfSigned {
                    cert_pem: certificate.cert_pem.clone(),
                    key_pem: certificate.key_pem.clone(),
                };
                servers.spawn(
                    async move { tls::serve_tls(listener, router, &certificate, stop).await },
                );
            }
            #[cfg(not(feature = "tls"))]
            Some(_) => {
                return Err(std::io::Error::other(
                    "this build of the emulator has no TLS server (its `tls` feature is off)",
                ))
            }
            None => {
                listener.set_nonblocking(true)?;
                let listener = TcpListener::from_std(listener)?;
                servers.spawn(serve(listener, router, stop));
            }
        }
    }
    while let Some(done) = servers.join_next().await {
        done.map_err(std::io::Error::other)??;
    }
    Ok(())
}

/// One of the other sign-in origins: `routes` (all pages) with the same body limit, guard and
/// anti-framing headers.
fn other_origin(state: &Arc<EmulatorState>, routes: Router<Arc<EmulatorState>>) -> Router {
    let routes = routes
        .route_layer(axum::middleware::from_fn(guard::pages))
        .layer(DefaultBodyLimit::max(params::MAX_BODY))
        .layer(axum::middleware::map_request(host_from_authority));
    guard::refuse_framing(routes).with_state(state.clone())
}

/// Serves [`app`] on `listener` until `shutdown` completes.
pub async fn run(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve(listener, app(), shutdown).await
}

/// Serves `router` on `listener`, with each client's address available to the loopback check.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Entra's error timestamp, `YYYY-MM-DD hh:mm:ssZ`, for unix time `now` (0: the real clock).
pub fn timestamp(now: i64) -> String {
    let time = at(now);
    let format =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]Z");
    time.format(&format).unwrap_or_default()
}

/// An ISO 8601 timestamp (Graph's `date`), for unix time `now` (0: the real clock).
pub fn timestamp_iso(now: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    at(now).format(&format).unwrap_or_default()
}

fn at(now: i64) -> time::OffsetDateTime {
    if now == 0 {
        time::OffsetDateTime::now_utc()
    } else {
        time::OffsetDateTime::from_unix_timestamp(now).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests;
