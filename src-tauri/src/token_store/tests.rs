use std::os::unix::fs::PermissionsExt;

use super::*;

fn plain() -> Protection {
    Protection::Plain {
        why: "no secret service in this test".into(),
    }
}

fn sealed(byte: u8) -> Protection {
    Protection::Sealed(crate::keyring::CacheKey(Zeroizing::new([byte; 32])))
}

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
    let opened = TokenStore::open(app.handle(), &data, plain()).unwrap();
    let notice = opened.notice.expect("the plain-file notice");
    assert!(notice.contains("not encrypted"), "{notice}");
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
    assert!(read_file(&data.join(FILE_NAME), &plain()).is_ok());
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
        let opened = TokenStore::open(app.handle(), dir.path(), plain()).unwrap();
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
    let opened = TokenStore::open(app.handle(), dir.path(), plain()).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).unwrap();
    let result = opened.store.save(&TokenCache::new());
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
    // root ignores folder permissions; either way there is no panic and no partial file.
    if let Err(e) = result {
        assert_eq!(e.code, shell_contract::ErrorCode::Store);
        assert!(e.message.contains("could not be saved"), "{}", e.message);
    }
}

const TOKEN_TEXT: &str = "RT-0123456789-secret-text";

/// A cache holding a refresh token whose text is [`TOKEN_TEXT`].
fn cache_with_a_token() -> TokenCache {
    let mut blob: serde_json::Value =
        serde_json::from_str(&TokenCache::new().to_json().unwrap()).unwrap();
    blob["refreshTokens"]["k"] = serde_json::json!({
        "homeAccountId": "uid.utid", "environment": "login.example", "clientId": "c",
        "secret": TOKEN_TEXT, "expiresOn": null
    });
    TokenCache::from_json(&blob.to_string()).unwrap()
}

fn files_named(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect()
}

#[test]
fn a_sealed_store_holds_no_token_text_and_opens_with_its_key_only() {
    let app = app();
    let dir = tempfile::tempdir().unwrap();
    let opened = TokenStore::open(app.handle(), dir.path(), sealed(1)).unwrap();
    assert_eq!(opened.notice, None);
    assert!(opened.store.is_sealed());
    opened.store.save(&cache_with_a_token()).unwrap();
    let file = dir.path().join(FILE_NAME);
    let text = fs::read_to_string(&file).unwrap();
    assert!(!text.contains(TOKEN_TEXT), "{text}");
    assert!(
        text.contains(SEALED_KEY) && !text.contains("\"tokenCache\""),
        "{text}"
    );
    assert_eq!(
        fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let again = TokenStore::open(app.handle(), dir.path(), sealed(1)).unwrap();
    assert_eq!(again.notice, None);
    assert!(again.cache.to_json().unwrap().contains(TOKEN_TEXT));

    // Another key (the keyring's item was replaced): signed out, the file kept aside as it was.
    let other = TokenStore::open(app.handle(), dir.path(), sealed(2)).unwrap();
    let notice = other.notice.expect("a notice");
    assert!(
        notice.contains("key") && notice.contains("signed out"),
        "{notice}"
    );
    assert_eq!(other.cache.accounts().count(), 0);
    assert!(!other.cache.to_json().unwrap().contains(TOKEN_TEXT));
    let aside = files_named(dir.path(), "tokens.json.corrupt-");
    assert_eq!(aside.len(), 1);
    assert_eq!(fs::read_to_string(&aside[0]).unwrap(), text);
}

#[test]
fn a_sealed_store_without_a_secret_service_is_set_aside_not_lost() {
    let app = app();
    let dir = tempfile::tempdir().unwrap();
    let opened = TokenStore::open(app.handle(), dir.path(), sealed(1)).unwrap();
    opened.store.save(&cache_with_a_token()).unwrap();
    let text = fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
    let without = TokenStore::open(app.handle(), dir.path(), plain()).unwrap();
    let notice = without.notice.expect("a notice");
    assert!(
        notice.contains("keyring") && notice.contains("signed out"),
        "{notice}"
    );
    assert!(
        notice.contains("not encrypted"),
        "and the fallback is named: {notice}"
    );
    let aside = files_named(dir.path(), "tokens.json.corrupt-");
    assert_eq!(fs::read_to_string(&aside[0]).unwrap(), text);
}

#[test]
fn a_plain_store_is_sealed_as_soon_as_a_key_is_there() {
    let app = app();
    let dir = tempfile::tempdir().unwrap();
    let opened = TokenStore::open(app.handle(), dir.path(), plain()).unwrap();
    opened.store.save(&cache_with_a_token()).unwrap();
    let file = dir.path().join(FILE_NAME);
    assert!(fs::read_to_string(&file).unwrap().contains(TOKEN_TEXT));
    let sealed_now = TokenStore::open(app.handle(), dir.path(), sealed(1)).unwrap();
    assert_eq!(sealed_now.notice, None);
    assert!(sealed_now.cache.to_json().unwrap().contains(TOKEN_TEXT));
    let text = fs::read_to_string(&file).unwrap();
    assert!(!text.contains(TOKEN_TEXT), "sealed at once: {text}");
    assert!(files_named(dir.path(), "tokens.json.corrupt-").is_empty());
}

/// The reliability table's "store file truncated at every byte offset": for a sealed and a plain
/// file, every proper prefix opens signed out with a notice and is kept aside byte for byte;
/// the whole file opens signed in. Never a panic.
#[test]
fn a_store_file_truncated_at_every_byte_offset_is_set_aside_never_lost() {
    let app = app();
    type Make = fn() -> Protection;
    let sealed_1: Make = || sealed(1);
    for (what, protection) in [("sealed", sealed_1), ("plain", plain as Make)] {
        let source = tempfile::tempdir().unwrap();
        let opened = TokenStore::open(app.handle(), source.path(), protection()).unwrap();
        opened.store.save(&cache_with_a_token()).unwrap();
        let whole = fs::read(source.path().join(FILE_NAME)).unwrap();
        for len in 0..whole.len() {
            let dir = tempfile::tempdir().unwrap();
            fs::write(dir.path().join(FILE_NAME), &whole[..len]).unwrap();
            let opened = TokenStore::open(app.handle(), dir.path(), protection()).unwrap();
            assert_eq!(
                opened.cache.accounts().count()
                    + opened.cache.to_json().unwrap().matches(TOKEN_TEXT).count(),
                0,
                "{what}, {len} bytes: signed out"
            );
            let notice = opened.notice.unwrap_or_default();
            assert!(
                notice.contains("signed out"),
                "{what}, {len} bytes: {notice}"
            );
            let aside = files_named(dir.path(), "tokens.json.corrupt-");
            assert_eq!(aside.len(), 1, "{what}, {len} bytes");
            assert_eq!(
                fs::read(&aside[0]).unwrap(),
                &whole[..len],
                "{what}, {len} bytes"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE_NAME), &whole).unwrap();
        let opened = TokenStore::open(app.handle(), dir.path(), protection()).unwrap();
        assert!(
            opened.cache.to_json().unwrap().contains(TOKEN_TEXT),
            "{what}: whole file"
        );
        eprintln!("{what}: {} offsets checked", whole.len());
    }
}
