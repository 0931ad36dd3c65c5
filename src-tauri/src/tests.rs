use tauri::Manager;

use crate::config::Settings;
use crate::session::Session;

#[tokio::test]
async fn run_app_restores_a_signed_out_session_from_an_empty_store() {
    let data = tempfile::tempdir().unwrap();
    std::env::set_var("XDG_DATA_HOME", data.path());
    let app = super::run_app(tauri::test::mock_builder(), Settings::default())
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .expect("the app builds on the mock runtime");
    super::manage_session(app.handle(), Settings::default()).unwrap();
    let session = app.state::<Session<tauri::test::MockRuntime>>();
    assert_eq!(session.account().await, None);
    assert_eq!(session.take_notice(), None);
}
