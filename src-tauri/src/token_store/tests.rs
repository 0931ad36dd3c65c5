use std::os::unix::fs::PermissionsExt;

use super::*;

fn app() -> tauri::App<tauri::test::MockRuntime> {
    tauri::test::mock_builder()
        .plugin(tauri_plugin_store::Builder::default().build())
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .unwrap()
}

#[test]
fn saves_atomically_with_mode_0600_and_reads_back() {
    let app = app();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let opened = TokenStore::open(app.handle(), &data).unwrap();
    assert!(opened.notice.is_none());
    opened.store.save(&TokenCache::new()).unwrap();
    let meta = fs::metadata(data.join(FILE_NAME)).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(
        fs::metadata(&data).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let text = fs::read_to_string(data.join(FILE_NAME)).unwrap();
    assert!(
        text.contains("\"tokenCache\"") && text.contains("\"version\""),
        "{text}"
    );
    // No temporary file is left behind.
    assert_eq!(fs::read_dir(&data).unwrap().count(), 1);
    assert!(check_file(&data.join(FILE_NAME)).is_ok());
}

#[test]
fn a_corrupt_or_unknown_version_file_is_set_aside_with_a_notice() {
    for content in [
        "{\"tokenCache\": {\"vers",
        "{\"tokenCache\": {\"version\": 99}}",
        "not json",
    ] {
        let app = app();
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE_NAME), content).unwrap();
        let opened = TokenStore::open(app.handle(), dir.path()).unwrap();
        let notice = opened.notice.expect("a notice");
        assert!(
            notice.contains("signed out") && notice.contains(".corrupt-"),
            "{notice}"
        );
        assert_eq!(opened.cache.accounts().count(), 0);
        let aside: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("tokens.json.corrupt-")
            })
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(
            fs::read_to_string(aside[0].path()).unwrap(),
            content,
            "the bad data is kept as it was"
        );
    }
}

#[test]
fn an_unwritable_folder_is_a_clear_error_not_a_panic() {
    let app = app();
    let dir = tempfile::tempdir().unwrap();
    let opened = TokenStore::open(app.handle(), dir.path()).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).unwrap();
    let result = opened.store.save(&TokenCache::new());
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
    // root ignores folder permissions; either way there is no panic and no partial file.
    if let Err(e) = result {
        assert_eq!(e.code, shell_contract::ErrorCode::Store);
        assert!(e.message.contains("could not be saved"), "{}", e.message);
    }
}
