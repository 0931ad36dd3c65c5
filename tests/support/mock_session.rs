//! The shell's `Session` on Tauri's mock runtime, signed in as the emulator's work user, for
//! the tests and benchmarks that drive the command logic without a window. Shared by
//! `tests/integration` and `benches/graph_proxy.rs` through `#[path]`: the harness library
//! itself does not depend on the shell.

use graph_signin::config::{DesktopConfig, Settings};
use graph_signin::session::Session;
use integration_tests::emulator::Emulator;
use integration_tests::Result;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};

/// A mock app and a session holding a real token cache from the emulator.
pub struct MockSession {
    /// The app whose handle the session's commands take.
    pub app: tauri::App<MockRuntime>,
    /// The session, configured for the emulator's `common` authority and without a store.
    pub session: Session<MockRuntime>,
    /// The access token (User.Read) in the session's cache.
    pub access_token: String,
}

/// Signs the work user in over HTTP, then builds the session on that cache.
pub async fn signed_in(emu: &Emulator) -> Result<MockSession> {
    let (cache, access_token) = integration_tests::signed_in::work_user(emu).await?;
    let authority = format!("{}/common", emu.url);
    let config = DesktopConfig::load(
        None,
        |k| (k == "GRAPH_SIGNIN_AUTHORITY").then(|| authority.clone()),
        Settings::default(),
    );
    let app = mock_builder().build(mock_context(noop_assets()))?;
    let session = Session::new(config, reqwest::Client::new(), None, cache, None);
    Ok(MockSession {
        app,
        session,
        access_token,
    })
}
