//! The login window is a browser for the identity provider's pages, not a part of the app: its
//! pages reach no command of the app or of Tauri.
//!
//! Tauri 2.12 injects its IPC bridge (`window.__TAURI_INTERNALS__`) into every webview it
//! creates, with no per-window switch (docs/architecture.md), so this test proves the other way:
//! from the login window's page, every command the app registers and every command of Tauri's
//! core plugins and of the app's plugins is called, and each is refused.

use std::time::Duration;

use integration_tests::desktop::DesktopApp;
use integration_tests::emulator::Emulator;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(30);

/// Every command a page could call: the app's, Tauri's core plugins' and the app's plugins'.
fn every_command() -> Vec<String> {
    let app = shell_contract::command::ALL;
    let plugins: [(&str, &[&str]); 11] = [
        ("event", &["listen", "unlisten", "emit", "emit_to"]),
        (
            "window",
            &[
                "create",
                "get_all_windows",
                "title",
                "set_title",
                "show",
                "hide",
                "close",
                "destroy",
                "set_size",
                "set_position",
                "set_focus",
                "maximize",
                "minimize",
                "set_fullscreen",
                "set_always_on_top",
                "start_dragging",
                "set_icon",
            ],
        ),
        (
            "webview",
            &[
                "create_webview_window",
                "get_all_webviews",
                "create_webview",
                "webview_close",
                "set_webview_size",
                "set_webview_zoom",
                "webview_hide",
                "print",
                "clear_all_browsing_data",
                "reparent",
            ],
        ),
        (
            "app",
            &[
                "version",
                "name",
                "tauri_version",
                "identifier",
                "app_show",
                "app_hide",
                "exit",
                "fetch_data_store_identifiers",
                "remove_data_store",
                "default_window_icon",
                "set_app_theme",
                "bundle_type",
            ],
        ),
        (
            "path",
            &[
                "resolve_directory",
                "resolve",
                "normalize",
                "join",
                "dirname",
                "basename",
            ],
        ),
        (
            "menu",
            &[
                "new",
                "append",
                "items",
                "popup",
                "create_default",
                "set_as_app_menu",
            ],
        ),
        (
            "tray",
            &[
                "new",
                "get_by_id",
                "remove_by_id",
                "set_tooltip",
                "set_visible",
            ],
        ),
        ("image", &["new", "from_bytes", "from_path", "rgba", "size"]),
        ("resources", &["close"]),
        (
            "store",
            &[
                "load",
                "get_store",
                "set",
                "get",
                "has",
                "delete",
                "clear",
                "keys",
                "values",
                "entries",
                "length",
                "reload",
                "save",
            ],
        ),
        ("opener", &["open_url", "open_path", "reveal_item_in_dir"]),
    ];
    app.iter()
        .map(|c| (*c).to_owned())
        .chain(
            plugins
                .iter()
                .flat_map(|(p, cmds)| cmds.iter().map(move |c| format!("plugin:{p}|{c}"))),
        )
        .collect()
}

#[tokio::test]
async fn the_login_windows_page_reaches_no_command() -> integration_tests::Result<()> {
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];
    let app = DesktopApp::launch(&env, None).await?;
    let run = async {
        app.click("#signIn").await?;
        app.switch_to_login_window().await?;
        app.wait_for("#i0116", WAIT).await?;

        // Every command, from the login window's page: none may answer.
        let commands = every_command();
        let script = r#"
            const [commands, done] = [arguments[0], arguments[arguments.length - 1]];
            const bridge = window.__TAURI_INTERNALS__;
            if (!bridge || typeof bridge.invoke !== 'function') { done({ bridge: false, results: [] }); return; }
            const one = (cmd) => Promise.race([
                Promise.resolve().then(() => bridge.invoke(cmd, {})).then(
                    (v) => ({ cmd, ok: true }),
                    (e) => ({ cmd, refused: String(e && (e.message || e)) })),
                new Promise((r) => setTimeout(() => r({ cmd, unanswered: true }), 5000)),
            ]);
            Promise.all(commands.map(one)).then((results) => done({ bridge: true, results }));
        "#;
        let outcome = app
            .client
            .execute_async(script, vec![serde_json::json!(commands)])
            .await?;
        let results = outcome["results"].as_array().cloned().unwrap_or_default();
        if outcome["bridge"] == Value::Bool(true) {
            assert_eq!(results.len(), commands.len(), "{outcome}");
        }
        let allowed: Vec<&Value> = results.iter().filter(|r| r["ok"] == true).collect();
        assert!(allowed.is_empty(), "the login window reached: {allowed:?}");
        // The refusals are the capability checks', not an accident of the call.
        let refused = results.iter().filter(|r| r["refused"].is_string()).count();
        if outcome["bridge"] == Value::Bool(true) {
            assert!(refused > 0, "{outcome}");
        }
        // Nothing happened either: the login window is still there, and so is the app.
        assert_eq!(app.client.windows().await?.len(), 2);

        app.close_login_window_as_user().await?;
        app.back_to_main_window().await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run
}

/// A link that opens a new window (`target=_blank`, as the footer's "Terms of use" on
/// Microsoft's sign-in page) goes to the user's browser through the desktop's URL opener
/// (`xdg-open`), and no webview opens. The opener here is a stand-in on `PATH` that records the
/// URL it was given.
///
/// This failed until the opener plugin's own click script was turned off (src-tauri/src/lib.rs):
/// it caught the click in the page and called the plugin over IPC, which the login window may
/// not, so the link did nothing.
#[tokio::test]
async fn a_new_window_link_opens_in_the_browser_not_in_a_webview() -> integration_tests::Result<()>
{
    let emu = Emulator::start().await?;
    let bin = tempfile::tempdir()?;
    let opened = bin.path().join("opened.txt");
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            opened.display()
        ),
    )?;
    std::fs::set_permissions(&opener, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = [
        ("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url)),
        ("PATH", path),
    ];
    let app = DesktopApp::launch(&env, None).await?;
    let run = async {
        app.click("#signIn").await?;
        app.switch_to_login_window().await?;
        app.wait_for("#i0116", WAIT).await?;
        app.click("#ftrTerms").await?;
        let url = integration_tests::wait_until(
            "the browser to be asked to open the link",
            WAIT,
            || async {
                std::fs::read_to_string(&opened)
                    .ok()
                    .filter(|s| !s.is_empty())
            },
        )
        .await?;
        assert_eq!(url.trim(), format!("{}/terms", emu.url));
        // No webview opened for it, and the sign-in page is still where it was.
        assert_eq!(app.client.windows().await?.len(), 2);
        app.wait_for("#i0116", WAIT).await?;
        app.close_login_window_as_user().await?;
        app.back_to_main_window().await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run
}
