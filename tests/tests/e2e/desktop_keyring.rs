//! Tokens at rest: with a desktop session's Secret Service (GNOME Keyring on its own bus) the
//! token cache is sealed with a key from the keyring, and no token text is in any file the app
//! or its webviews wrote; without one the app keeps the plain 0600 file and says so.

use std::path::{Path, PathBuf};
use std::time::Duration;

use integration_tests::desktop::{DesktopApp, Keyring};
use integration_tests::emulator::Emulator;

const WAIT: Duration = Duration::from_secs(30);

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                found.push(entry.path());
            }
        }
    }
    Ok(found)
}

/// Signs in and reads mails, so that the cache holds an ID token, a refresh token and access
/// tokens for two resources' scopes.
async fn sign_in_and_read_mails(app: &DesktopApp) -> integration_tests::Result<()> {
    app.sign_in_work_user().await?;
    app.read_mails_with_consent().await?;
    Ok(())
}

#[tokio::test]
async fn with_a_keyring_no_token_text_is_in_any_file_and_the_session_survives_a_restart(
) -> integration_tests::Result<()> {
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];
    let app = DesktopApp::launch_with(&env, None, Keyring::Session).await?;
    let run = async {
        assert!(
            app.client
                .find(fantoccini::Locator::Css("#errorBanner"))
                .await
                .is_err(),
            "no notice at start with a keyring"
        );
        sign_in_and_read_mails(&app).await
    }
    .await;
    let home = app.quit().await?;
    run?;

    let tokens = emu.issued_secrets().await?;
    assert!(tokens.len() >= 4, "tokens were issued: {}", tokens.len());
    let store =
        std::fs::read_to_string(home.path().join("data/dev.graphsignin.desktop/tokens.json"))?;
    assert!(store.contains("tokenCacheSealed"), "{store}");
    // Every file the app and WebKit wrote: data, config and cache folders (not the keyring's).
    let mut checked = 0;
    for folder in ["data", "config", "cache"] {
        for file in files_under(&home.path().join(folder))? {
            let bytes = std::fs::read(&file)?;
            let text = String::from_utf8_lossy(&bytes);
            for token in &tokens {
                assert!(
                    !text.contains(token.as_str()),
                    "{} holds an issued token or code ({} characters)",
                    file.display(),
                    token.len()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 2, "files were checked: {checked}");

    // The same keyring at the next start opens the store: still signed in.
    let app = DesktopApp::launch_with(&env, Some(home), Keyring::Session).await?;
    let run = app
        .wait_for_text("#welcomeMessage", "Welcome Adele Vance", WAIT)
        .await
        .map(drop);
    app.quit().await?;
    run
}

#[tokio::test]
async fn without_a_keyring_the_plain_file_is_used_and_the_page_says_so(
) -> integration_tests::Result<()> {
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];
    let app = DesktopApp::launch_with(&env, None, Keyring::None).await?;
    let run = async {
        let notice = app
            .wait_for_text("#errorBanner", "not encrypted", WAIT)
            .await?;
        assert!(notice.contains("keyring"), "{notice}");
        app.sign_in_work_user().await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    let home = app.quit().await?;
    run?;
    let path = home.path().join("data/dev.graphsignin.desktop/tokens.json");
    let store = std::fs::read_to_string(&path)?;
    assert!(
        store.contains("\"tokenCache\"") && !store.contains("tokenCacheSealed"),
        "{store}"
    );
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path)?.permissions());
    assert_eq!(mode & 0o777, 0o600);
    Ok(())
}
