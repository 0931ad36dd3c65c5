//! The demo tenant: the identity emulator (`crates/identity-emulator`), run in the app's own
//! process on 127.0.0.1, so that an installed app with no configuration signs in without any
//! other process or an Azure registration.
//!
//! It starts only when no `clientId`, `authority` or `cloudInstance` is configured
//! ([`crate::config`]). Its state lives in memory: the sign-ins it grants end when the app
//! closes, so the session keeps them in memory too and writes nothing to the token store.
//! The app talks to it over HTTP exactly as it talks to Microsoft: auth-core never links the
//! emulator, and the emulator never links auth-core.

use shell_contract::ErrorCode;

use crate::error::CommandError;

/// How the page names the demo tenant ([`crate::session::Session::provider`]).
pub const LABEL: &str = "Demo tenant (local emulator)";

/// Without the `demo-tenant` feature: a configuration error that says what to set.
#[cfg(not(feature = "demo-tenant"))]
pub fn start(_port: u16) -> Result<String, CommandError> {
    Err(CommandError::new(
        ErrorCode::Config,
        "This build has no demo tenant (the `demo-tenant` feature is off): set clientId and \
         authority in the config file.",
    ))
}

/// Binds the demo tenant's listeners (the main origin on `127.0.0.1:port`, 0 for a free port)
/// and serves them on Tauri's async runtime for as long as the app runs. Returns the main
/// origin, `http://localhost:<port>`.
#[cfg(feature = "demo-tenant")]
pub fn start(port: u16) -> Result<String, CommandError> {
    use identity_emulator::{EmulatorState, Listeners, Seed};
    use std::sync::Arc;
    let listeners = Listeners::bind(port).map_err(|e| {
        CommandError::new(
            ErrorCode::Config,
            format!(
                "The demo tenant cannot listen on 127.0.0.1:{port}: {e}. Another program holds \
                 that port: set emulatorPort to another one, or leave it unset for a free port."
            ),
        )
    })?;
    let origin = listeners
        .origins(false)
        .ok()
        .and_then(|o| o.main)
        .ok_or_else(|| CommandError::new(ErrorCode::Config, "The demo tenant has no address."))?;
    tauri::async_runtime::spawn(async move {
        // Key generation takes CPU: off the async workers. Requests wait in the listen backlog.
        let state = tokio::task::spawn_blocking(|| EmulatorState::new(Seed::default_seed(), false));
        let state = match state.await {
            Ok(state) => Arc::new(state),
            Err(e) => {
                tracing::error!("the demo tenant did not start: {e}");
                return;
            }
        };
        if let Err(e) =
            identity_emulator::serve_origins(state, listeners, None, std::future::pending()).await
        {
            tracing::error!("the demo tenant stopped: {e}");
        }
    });
    tracing::info!("the demo tenant listens at {origin}");
    Ok(origin)
}

#[cfg(all(test, feature = "demo-tenant"))]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_is_a_config_error_that_names_it_and_the_setting() {
        let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let error = start(port).unwrap_err();
        assert_eq!(error.code, ErrorCode::Config);
        assert!(
            error.message.contains(&format!("127.0.0.1:{port}")),
            "{}",
            error.message
        );
        assert!(error.message.contains("emulatorPort"), "{}", error.message);
    }

    #[test]
    fn the_demo_tenant_answers_discovery_on_its_port() {
        let origin = start(0).unwrap();
        let url = format!("{origin}/common/v2.0/.well-known/openid-configuration");
        let document: serde_json::Value = tauri::async_runtime::block_on(async {
            crate::tests::test_client()
                .get(&url)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await
        })
        .unwrap();
        assert_eq!(
            document["authorization_endpoint"],
            format!("{origin}/common/oauth2/v2.0/authorize")
        );
    }
}
