use serde_json::json;
use tauri_plugin_store::StoreExt;

#[test]
fn run_app_registers_the_store_plugin() {
    let app = super::run_app(tauri::test::mock_builder())
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .expect("the app builds on the mock runtime");
    // Without the plugin, `store()` fails: its state is not managed.
    let store = app
        .store("smoke.json")
        .expect("the store plugin is registered");
    store.set("answer", json!(42));
    assert_eq!(store.get("answer"), Some(json!(42)));
}
