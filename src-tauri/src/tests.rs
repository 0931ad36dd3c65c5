use std::sync::Mutex;

use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

use crate::config::Settings;
use crate::session::Session;

/// The app's own client (rustls with the system's roots), for tests that call a loopback server:
/// reqwest's `Client::new()` has no TLS back end to start with when this crate is built alone.
pub(crate) fn test_client() -> reqwest::Client {
    crate::http_client(std::time::Duration::from_secs(10)).unwrap()
}

/// A fixed key, as a keyring would give: the store is sealed, and no real keyring is touched.
fn test_key() -> crate::keyring::Protection {
    crate::keyring::Protection::Sealed(crate::keyring::CacheKey(zeroize::Zeroizing::new([7; 32])))
}

/// An authority (a standalone emulator's): the session keeps its sign-ins in the token store.
fn standalone_emulator() -> Settings {
    Settings {
        authority: Some("http://localhost:4123/common".into()),
        ..Settings::default()
    }
}

/// The token store's folder comes from `XDG_DATA_HOME`, which is process-wide: one test at a time.
static ENV: Mutex<()> = Mutex::new(());

/// The app on the mock runtime with its data in `data`; `prepare` runs on the data folder
/// before the session starts, as a previous run would have left it.
fn app_with_data(
    data: &std::path::Path,
    prepare: impl FnOnce(&std::path::Path),
) -> tauri::App<MockRuntime> {
    std::env::set_var("XDG_DATA_HOME", data);
    let app = super::run_app(mock_builder(), standalone_emulator(), test_key)
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime");
    let dir = app.path().app_data_dir().expect("a data folder");
    std::fs::create_dir_all(&dir).unwrap();
    prepare(&dir);
    super::manage_session(app.handle(), standalone_emulator(), test_key).unwrap();
    app
}

/// Calls `cmd` from the main window, as the page does; the answer or the rejection as JSON.
fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str) -> Result<Value, Value> {
    tauri::test::get_ipc_response(
        window,
        tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::default(),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn run_app_restores_a_signed_out_session_from_an_empty_store() {
    let _env = ENV.lock().unwrap_or_else(|p| p.into_inner());
    let data = tempfile::tempdir().unwrap();
    let app = app_with_data(data.path(), |_| {});
    let session = app.state::<Session<MockRuntime>>();
    assert_eq!(tauri::async_runtime::block_on(session.account()), None);
    assert_eq!(session.take_notice(), None);
}

#[test]
fn a_bad_store_starts_signed_out_with_a_notice_and_commands_answer_with_codes() {
    let _env = ENV.lock().unwrap_or_else(|p| p.into_inner());
    let data = tempfile::tempdir().unwrap();
    let bad = json!({ "tokenCache": { "version": 99, "accounts": {} } }).to_string();
    let app = app_with_data(data.path(), |dir| {
        std::fs::write(dir.join(crate::token_store::FILE_NAME), &bad).unwrap();
    });
    let main = WebviewWindowBuilder::new(&app, crate::MAIN_WINDOW, Default::default())
        .build()
        .unwrap();

    // The page hears about the set-aside file once.
    let notice = invoke(&main, "startup_notice").unwrap();
    let text = notice.as_str().expect("a notice");
    assert!(text.contains("corrupt"), "{text}");
    assert_eq!(invoke(&main, "startup_notice").unwrap(), Value::Null);
    // Signed out, and Graph says so with a code the page maps to words.
    assert_eq!(invoke(&main, "account").unwrap(), Value::Null);
    let refused = invoke(&main, "graph_me").unwrap_err();
    assert_eq!(refused["code"], "not_signed_in", "{refused}");
    assert!(refused["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(invoke(&main, "sign_out").is_ok());

    // Nothing was lost: the bad file is kept aside, byte for byte.
    let dir = app.path().app_data_dir().unwrap();
    let aside: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("tokens.json.corrupt-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "{dir:?}");
    assert_eq!(std::fs::read_to_string(aside[0].path()).unwrap(), bad);
}

#[cfg(unix)]
#[test]
fn the_log_is_private_daily_and_keeps_seven_files() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let home = tempfile::tempdir().unwrap();
    let logs = home.path().join("data/app/logs");
    // Nine days of logs from an earlier run, one of them world-readable.
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o755)).unwrap();
    for day in 1..=9 {
        let old = logs.join(format!("graph-signin.2020-01-0{day}.log"));
        std::fs::write(&old, "old\n").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    drop(crate::log_file(&logs).unwrap());
    assert_eq!(mode(&logs), 0o700);
    let files: Vec<_> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(files.len() <= crate::LOG_FILES_KEPT, "{files:?}");
    let today = files
        .iter()
        .find(|p| !p.to_string_lossy().contains("2020-01-0"))
        .expect("today's file");
    assert!(today.to_string_lossy().ends_with(".log"), "{today:?}");
    for file in &files {
        assert_eq!(mode(file), 0o600, "{file:?}");
    }
}

#[test]
fn with_no_configuration_the_demo_tenant_runs_in_process_and_no_keyring_is_asked() {
    let _env = ENV.lock().unwrap_or_else(|p| p.into_inner());
    let home = tempfile::tempdir().unwrap();
    std::env::set_var("XDG_DATA_HOME", home.path().join("data"));
    std::env::set_var("XDG_CONFIG_HOME", home.path().join("config"));
    let app = mock_builder()
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime");
    super::manage_session(app.handle(), Settings::default(), || {
        panic!("the demo tenant keeps its sign-ins in memory: no keyring")
    })
    .unwrap();
    let session = app.state::<Session<MockRuntime>>();
    assert_eq!(session.provider().unwrap(), crate::demo_tenant::LABEL);
    assert_eq!(session.take_notice(), None);
    assert!(
        !home.path().join("data").exists(),
        "nothing written to disk"
    );
}

#[test]
fn the_data_folder_made_private_at_start_is_the_one_tauri_gives_the_store() {
    let _env = ENV.lock().unwrap_or_else(|p| p.into_inner());
    let home = tempfile::tempdir().unwrap();
    std::env::set_var("XDG_DATA_HOME", home.path().join("data"));
    let app = mock_builder()
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime");
    let identifier = &app.config().identifier;
    assert_eq!(
        crate::data_dir(identifier),
        Some(app.path().app_data_dir().unwrap())
    );
}
