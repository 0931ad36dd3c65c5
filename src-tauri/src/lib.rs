//! The desktop shell: a Tauri 2 app that hosts the Yew page, signs in in a separate login
//! window, keeps the tokens in Rust (tauri-plugin-store), and calls Microsoft Graph itself.
//! Tokens never reach the webview.
//!
//! # Layout
//!
//! - [`run`] starts the app on the real runtime; [`run_app`] builds it on any [`tauri::Runtime`],
//!   so tests can use `tauri::test::mock_builder()`.
//! - [`commands`]: the thin async commands of the main window.
//! - [`session`]: auth-core's cache and the silent-then-interactive acquisition.
//! - [`login_window`]: the login window and the loopback redirect listener.
//! - [`token_store`]: the plugin store file, 0600 and atomic, bad files set aside.
//! - [`graph_proxy`]: Graph over one pooled reqwest client.
//! - [`config`]: defaults, config file, environment, flags. [`error`]: `{code, message}`.
//! - [`interpreted_page`]: the main window's web process without JavaScriptCore's JIT (Linux, glibc).
#![warn(missing_docs)]

pub mod commands;
pub mod config;
pub mod demo_tenant;
pub mod error;
pub mod graph_proxy;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub mod interpreted_page;
pub mod keyring;
pub mod login_window;
pub mod private_files;
pub mod session;
pub mod token_store;

use clap::Parser;
use tauri::{Builder, Manager, Runtime};

use crate::config::{DesktopConfig, Settings};
use crate::keyring::Protection;
use crate::session::Session;
use crate::token_store::TokenStore;

/// The main window's label (tauri.conf.json); the only window with IPC (capabilities/main.json).
pub const MAIN_WINDOW: &str = "main";

/// Command-line flags: the config settings.
#[derive(Parser, Debug, Default)]
#[command(
    version,
    about = "Sign in with the Microsoft identity platform and call Microsoft Graph"
)]
pub struct Flags {
    #[command(flatten)]
    settings: Settings,
}

/// Builds the app on `builder`: the store plugin, the session (restored from the store, kept at
/// rest as `protection` decides at start), and the main window's commands.
pub fn run_app<R: Runtime>(
    builder: Builder<R>,
    flags: Settings,
    protection: fn() -> Protection,
) -> Builder<R> {
    builder
        .plugin(tauri_plugin_store::Builder::default().build())
        // No capability grants its commands: the shell calls it from Rust only. Its default
        // script, injected into every webview, would catch a click on a target=_blank link and
        // call `plugin:opener|open_url` from the page: refused in the login window, so the link
        // would do nothing. Without it, WebKit asks for a new window and the login window's
        // `on_new_window` hands the URL to the browser (login_window.rs).
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .setup(move |app| {
            // tauri.conf.json's main window, and its web process, exist by now.
            #[cfg(all(target_os = "linux", target_env = "gnu"))]
            interpreted_page::release();
            manage_session(app.handle(), flags.clone(), protection)
        })
        .on_page_load(show_main_window_once_loaded)
        .invoke_handler(tauri::generate_handler![
            commands::account,
            commands::startup_notice,
            commands::provider,
            commands::sign_in,
            commands::sign_out,
            commands::graph_me,
            commands::graph_messages,
            commands::progress,
        ])
}

/// Shows the main window once its page has loaded; tauri.conf.json creates it hidden.
///
/// A window mapped before its page exists makes WebKitGTK's UI thread wait for the web
/// process's first paint, while that process waits for the same thread to serve the page over
/// the app's custom protocol, so half the launches stalled (docs/benchmarks.md has the
/// figures). A failed load also ends in `Finished`, so the window always appears.
fn show_main_window_once_loaded<R: Runtime>(
    webview: &tauri::Webview<R>,
    payload: &tauri::webview::PageLoadPayload<'_>,
) {
    if webview.label() == MAIN_WINDOW && payload.event() == tauri::webview::PageLoadEvent::Finished
    {
        match webview.window().show() {
            Ok(()) => tracing::debug!("the main window is shown"),
            Err(e) => tracing::error!("the main window could not be shown: {e}"),
        }
    }
}

/// Loads the configuration and the token store, and puts the [`Session`] in the app's state.
/// Problems become a start-up notice for the page, never a crash.
///
/// With no authority configured, the demo tenant starts ([`demo_tenant`]); its sign-ins are
/// kept in memory only, and `protection` (which may ask the keyring) is not called.
pub fn manage_session<R: Runtime>(
    handle: &tauri::AppHandle<R>,
    flags: Settings,
    protection: impl FnOnce() -> Protection,
) -> Result<(), Box<dyn std::error::Error>> {
    let config = DesktopConfig::load(
        handle.path().app_config_dir().ok().as_deref(),
        |k| std::env::var(k).ok(),
        flags,
    )
    .and_then(|config| match config.demo_port() {
        Some(port) => demo_tenant::start(port).and_then(|origin| config.on_demo_tenant(&origin)),
        None => Ok(config),
    });
    match &config {
        Err(e) => tracing::error!("{}", e.message),
        Ok(DesktopConfig {
            warning: Some(w), ..
        }) => tracing::warn!("{w}"),
        Ok(_) => {}
    }
    let timeout = config
        .as_ref()
        .map_or(DEFAULT_HTTP_TIMEOUT, |c| c.http_timeout);
    let http = http_client(timeout)?;
    let demo = config.as_ref().is_ok_and(DesktopConfig::is_demo);
    let (store, cache, notice) = match handle.path().app_data_dir() {
        _ if demo => (None, auth_core::token_cache::TokenCache::new(), None),
        Ok(dir) => match TokenStore::open(handle, &dir, protection()) {
            Ok(opened) => (Some(opened.store), opened.cache, opened.notice),
            Err(e) => (
                None,
                auth_core::token_cache::TokenCache::new(),
                Some(e.message),
            ),
        },
        Err(e) => (
            None,
            auth_core::token_cache::TokenCache::new(),
            Some(format!(
                "No data folder for the token store: {e}. Sign-ins last until the app closes."
            )),
        ),
    };
    // The page shows one notice at start: a set-aside store matters more than a warning the log
    // also holds.
    let notice = notice.or_else(|| config.as_ref().ok().and_then(|c| c.warning.clone()));
    handle.manage(Session::new(config, http, store, cache, notice));
    Ok(())
}

/// How long one HTTP call may take when the configuration does not say.
pub const DEFAULT_HTTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The shell's HTTP client: a call that takes longer than `timeout` (connecting: at most 10 s of
/// it) fails as a timeout, so a silent server never leaves the page's spinner waiting. TLS is
/// rustls's, trusting the system's certificate store (as OpenSSL did), so a corporate root the
/// administrator installed is trusted and nothing else is added.
pub fn http_client(timeout: std::time::Duration) -> Result<reqwest::Client, HttpClientError> {
    Ok(reqwest::Client::builder()
        .use_preconfigured_tls(tls_config()?)
        .user_agent(concat!("graph-signin/", env!("CARGO_PKG_VERSION")))
        .pool_idle_timeout(std::time::Duration::from_secs(90))
        .connect_timeout(timeout.min(std::time::Duration::from_secs(10)))
        .timeout(timeout)
        .build()?)
}

/// Why the shell's HTTP client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum HttpClientError {
    /// rustls refused the configuration.
    #[error("TLS could not be set up: {0}")]
    Tls(#[from] rustls::Error),
    /// reqwest could not build the client.
    #[error("the HTTP client could not be built: {0}")]
    Client(#[from] reqwest::Error),
}

/// rustls on aws-lc-rs, TLS 1.2 and 1.3, with the system's roots. Certificates the system store
/// holds but rustls cannot parse are skipped and counted in the log, as reqwest does.
fn tls_config() -> Result<rustls::ClientConfig, rustls::Error> {
    let found = rustls_native_certs::load_native_certs();
    for error in &found.errors {
        tracing::warn!("reading the system's certificate store: {error}");
    }
    let mut roots = rustls::RootCertStore::empty();
    let (added, skipped) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        tracing::warn!(
            "the system's certificate store has no usable root: no https server will be trusted"
        );
    }
    tracing::debug!("{added} roots from the system's certificate store ({skipped} skipped)");
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// How many daily log files are kept.
pub const LOG_FILES_KEPT: usize = 7;

/// How many log lines may wait for the file writer's thread before new ones are dropped (and
/// counted). tracing-appender's default, 128,000, allocates its channel's slots up front: 4 MiB
/// of the app's memory from its first line (docs/benchmarks.md). The app logs a few lines per
/// user action; 4,096 slots take 128 KiB.
const LOG_BUFFERED_LINES: usize = 4096;

/// Logs to stderr and to `graph-signin.<date>.log` in `log_dir`, a new file each day (UTC), the
/// last [`LOG_FILES_KEPT`] kept. The folder is 0700 and the files 0600. Never a token: the
/// code logs events and usernames only.
pub fn init_logging(
    log_dir: Option<&std::path::Path>,
) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::prelude::*;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "graph_signin=info".into());
    let stderr = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let (file, guard) = match log_dir.and_then(|dir| match log_file(dir) {
        Ok(appender) => Some(appender),
        Err(e) => {
            eprintln!("No log file in {}: {e}", dir.display());
            None
        }
    }) {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
                .buffered_lines_limit(LOG_BUFFERED_LINES)
                .finish(appender);
            (
                Some(
                    tracing_subscriber::fmt::layer()
                        .with_ansi(false)
                        .with_writer(writer),
                ),
                Some(guard),
            )
        }
        None => (None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(stderr)
        .with(file)
        .try_init();
    guard
}

/// The daily log appender over a private `dir`. The appender opens today's file as it is
/// built, with the default mode; every log file in the folder is then made 0600 (one that a
/// day's rollover creates while the app runs is made so at the next start, and is inside the
/// 0700 folder meanwhile).
fn log_file(
    dir: &std::path::Path,
) -> Result<tracing_appender::rolling::RollingFileAppender, Box<dyn std::error::Error>> {
    private_files::ensure_dir(dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("graph-signin")
        .filename_suffix("log")
        .max_log_files(LOG_FILES_KEPT)
        .build(dir)?;
    for entry in std::fs::read_dir(dir)?.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("graph-signin.")
        {
            private_files::restrict_file(&entry.path())?;
        }
    }
    Ok(appender)
}

/// The app's data folder, as Tauri's `app_data_dir` finds it on Linux: `$XDG_DATA_HOME` (else
/// `~/.local/share`) and the app's identifier. WebKit keeps its own files there too.
pub fn data_dir(identifier: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".local/share"))
        })
        .map(|d| d.join(identifier))
}

/// Runs the desktop app until its last window closes.
pub fn run() {
    // Before anything starts a thread or WebKit reads its environment.
    #[cfg(target_os = "linux")]
    software_compositing();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    interpreted_page::hold();
    let flags = Flags::parse();
    let context = tauri::generate_context!();
    // Private before WebKit or the log writes there (private_files).
    let data_dir = data_dir(&context.config().identifier);
    if let Some(dir) = &data_dir {
        if let Err(e) = private_files::ensure_dir(dir) {
            eprintln!("Cannot make the data folder {} private: {e}", dir.display());
        }
    }
    // The log folder follows the same rule as Tauri's app_log_dir on Linux.
    let _guard = init_logging(data_dir.map(|d| d.join("logs")).as_deref());
    let from_keyring = || tauri::async_runtime::block_on(Protection::from_secret_service());
    if let Err(e) = run_app(tauri::Builder::default(), flags.settings, from_keyring).run(context) {
        tracing::error!("the app stopped: {e}");
        eprintln!("The app could not run: {e}");
        std::process::exit(1);
    }
}

/// Turns off WebKitGTK's accelerated compositing unless the user chose otherwise: the page is
/// a static form, and without a GPU the GL compositor (Mesa's llvmpipe) doubles the web
/// process's memory (docs/benchmarks.md). `WEBKIT_DISABLE_COMPOSITING_MODE=0` in the environment
/// keeps compositing on.
#[cfg(target_os = "linux")]
fn software_compositing() {
    const VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(VAR).is_none() {
        std::env::set_var(VAR, "1");
    }
}

#[cfg(test)]
mod tests;
