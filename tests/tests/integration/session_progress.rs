//! The shell's session on Tauri's mock runtime, signed in against the emulator: a quick Graph
//! call sends no progress event (the page's spinner runs from the click), a slow one tells the
//! page `callingGraph`, then `idle`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_signin::session::GRAPH_PROGRESS_DELAY;
use identity_emulator::state::Fault;
use integration_tests::emulator::Emulator;
use integration_tests::Result;
use tauri::Listener;

use crate::mock_session::{signed_in, MockSession};

#[tokio::test]
async fn only_a_slow_graph_call_sends_calling_graph_then_idle() -> Result<()> {
    let emu = Emulator::start().await?;
    let MockSession {
        app,
        session,
        access_token,
    } = signed_in(&emu).await?;
    let stages = Arc::new(Mutex::new(Vec::<String>::new()));
    let heard = stages.clone();
    app.listen_any("auth-progress", move |event| {
        let stage = serde_json::from_str::<serde_json::Value>(event.payload())
            .ok()
            .and_then(|v| v["stage"].as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("unreadable: {}", event.payload()));
        heard.lock().unwrap().push(stage);
    });

    // A cache hit and a loopback GET take milliseconds, far below the 150 ms delay.
    let profile = session.me(app.handle()).await.map_err(|e| e.message)?;
    assert_eq!(profile.display_name.as_deref(), Some("Adele Vance"));
    // What IPC would send the page holds none of the token.
    let ipc = serde_json::to_string(&profile)?;
    assert!(
        !ipc.contains(&access_token[..access_token.len().min(24)]),
        "{ipc}"
    );
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
