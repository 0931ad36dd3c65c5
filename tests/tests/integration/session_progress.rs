//! The shell's session on Tauri's mock runtime, signed in against the emulator: a quick Graph
//! call leaves the stage the page's `progress` request waits on as it was (the page's spinner
//! runs from the click); a slow one tells it `callingGraph`, then `idle`.

use std::time::Duration;

use graph_signin::session::GRAPH_PROGRESS_DELAY;
use identity_emulator::state::Fault;
use integration_tests::emulator::Emulator;
use integration_tests::Result;
use shell_contract::Stage;

use crate::mock_session::{signed_in, MockSession};

#[tokio::test]
async fn only_a_slow_graph_call_sends_calling_graph_then_idle() -> Result<()> {
    let emu = Emulator::start().await?;
    let MockSession {
        app,
        session,
        access_token,
    } = signed_in(&emu).await?;
    let start = session.stage_after(None).await;
    assert_eq!(start.stage, Stage::Idle);
    // A cache hit and a loopback GET take milliseconds, far below the 150 ms delay.
    let profile = session.me(app.handle()).await.map_err(|e| e.message)?;
    assert_eq!(profile.display_name.as_deref(), Some("Adele Vance"));
    // What IPC would send the page holds none of the token.
    let ipc = serde_json::to_string(&profile)?;
    assert!(
        !ipc.contains(&access_token[..access_token.len().min(24)]),
        "{ipc}"
    );
    assert_eq!(session.stage_after(None).await, start);

    // Graph answers three times the progress delay late.
    emu.state.store().faults.push(Fault {
        path: "/v1.0/me".into(),
        status: 0,
        count: 1,
        retry_after: None,
        delay_ms: Some(3 * GRAPH_PROGRESS_DELAY.as_millis() as u64),
        drop: false,
    });
    // What a page's requests would hear while the call runs: each answer is the next change.
    let heard = async {
        let mut stages = Vec::new();
        let mut seen = start.seq;
        while stages.last() != Some(&Stage::Idle) {
            let update = session.stage_after(Some(seen)).await;
            stages.push(update.stage);
            seen = update.seq;
        }
        stages
    };
    let (profile, stages) = tokio::time::timeout(Duration::from_secs(30), async {
        tokio::join!(session.me(app.handle()), heard)
    })
    .await?;
    let profile = profile.map_err(|e| e.message)?;
    assert_eq!(profile.display_name.as_deref(), Some("Adele Vance"));
    assert_eq!(stages, [Stage::CallingGraph, Stage::Idle]);
    assert_eq!(session.stage_after(None).await.seq, start.seq + 2);
    Ok(())
}
