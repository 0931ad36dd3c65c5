//! The shell's session on Tauri's mock runtime, signed in against the emulator: a quick Graph
//! call sends no progress event (the page's spinner runs from the click), a slow one tells the
//! page `callingGraph`, then `idle`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_signin::config::{DesktopConfig, Settings};
use graph_signin::session::{Session, GRAPH_PROGRESS_DELAY};
use identity_emulator::state::Fault;
use integration_tests::emulator::Emulator;
use integration_tests::Result;
use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::Listener;

#[tokio::test]
async fn only_a_slow_graph_call_sends_calling_graph_then_idle() -> Result<()> {
    let emu = Emulator::start().await?;
    let (cache, _) = integration_tests::signed_in::work_user(&emu).await?;
    let authority = format!("{}/common", emu.url);
    let config = DesktopConfig::load(
        None,
        |k| (k == "GRAPH_SIGNIN_AUTHORITY").then(|| authority.clone()),
        Settings::default(),
    );
    let app = mock_builder().build(mock_context(noop_assets()))?;
    let stages = Arc::new(Mutex::new(Vec::<String>::new()));
    let heard = stages.clone();
    app.listen_any("auth-progress", move |event| {
        let stage = serde_json::from_str::<serde_json::Value>(event.payload())
            .ok()
            .and_then(|v| v["stage"].as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("unreadable: {}", event.payload()));
        heard.lock().unwrap().push(stage);
    });
    let session = Session::new(config, reqwest::Client::new(), None, cache, None);

    // A cache hit and a loopback GET take milliseconds, far below the 150 ms delay.
    let profile = session.me(app.handle()).await.map_err(|e| e.message)?;
    assert_eq!(profile.display_name.as_deref(), Some("Adele Vance"));
    assert!(
        stages.lock().unwrap().is_empty(),
        "{:?}",
        stages.lock().unwrap()
    );

    // Graph answers three times the progress delay late.
    emu.state.store().faults.push(Fault {
        path: "/v1.0/me".into(),
        status: 0,
        count: 1,
        retry_after: None,
        delay_ms: Some(3 * GRAPH_PROGRESS_DELAY.as_millis() as u64),
        drop: false,
    });
    let profile = tokio::time::timeout(Duration::from_secs(30), session.me(app.handle()))
        .await?
        .map_err(|e| e.message)?;
    assert_eq!(profile.display_name.as_deref(), Some("Adele Vance"));
    assert_eq!(*stages.lock().unwrap(), ["callingGraph", "idle"]);
    Ok(())
}
