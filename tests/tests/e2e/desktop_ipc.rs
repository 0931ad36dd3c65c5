//! The main window's IPC, driven by script the way the page calls it: sign_in opens the real
//! login window, and no token the emulator issued ever comes back through IPC.

use std::time::Duration;

use integration_tests::desktop::DesktopApp;
use integration_tests::emulator::{Emulator, PASSWORD, WORK_USER};
use integration_tests::wait_until;
use serde_json::Value;

/// Starts `invoke(cmd)` in the page; the outcome lands in `window.__results[cmd]`.
async fn invoke(app: &DesktopApp, cmd: &str) -> integration_tests::Result<()> {
    let script = format!(
        "window.__results = window.__results || {{}}; delete window.__results['{cmd}']; \
         window.__TAURI_INTERNALS__.invoke('{cmd}').then(v => window.__results['{cmd}'] = {{ok: v}}, e => window.__results['{cmd}'] = {{err: e}});"
    );
    app.client.execute(&script, vec![]).await?;
    Ok(())
}

async fn result(app: &DesktopApp, cmd: &str) -> integration_tests::Result<Value> {
    let client = &app.client;
    let script = format!("return JSON.stringify((window.__results || {{}})['{cmd}'] || null);");
    wait_until(
        &format!("the result of {cmd}"),
        Duration::from_secs(60),
        || {
            let script = script.clone();
            async move {
                let text = client.execute(&script, vec![]).await.ok()?;
                let value: Value = serde_json::from_str(text.as_str()?).ok()?;
                (!value.is_null()).then_some(value)
            }
        },
    )
    .await
}

#[tokio::test]
async fn ipc_returns_the_account_and_graph_fields_but_never_a_token(
) -> integration_tests::Result<()> {
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];
    let app = DesktopApp::launch(&env, None).await?;
    let run = async {
        invoke(&app, "account").await?;
        assert_eq!(result(&app, "account").await?["ok"], Value::Null);
        invoke(&app, "sign_in").await?;
        app.sign_in_in_login_window(WORK_USER, PASSWORD).await?;
        let account = result(&app, "sign_in").await?;
        assert_eq!(account["ok"]["username"], WORK_USER, "{account}");
        assert_eq!(account["ok"]["name"], "Adele Vance");
        let keys: Vec<&String> = account["ok"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["name", "tenantId", "username"]);
        invoke(&app, "graph_me").await?;
        let me = result(&app, "graph_me").await?;
        assert_eq!(me["ok"]["jobTitle"], "Retail Manager", "{me}");
        // Two sign-ins at once: one runs (SSO finishes it), the other is refused; no lock is left.
        app.client
            .execute(
                "const i = window.__TAURI_INTERNALS__; const r = window.__results; \
                 Promise.allSettled([i.invoke('sign_in'), i.invoke('sign_in')]).then(v => r.both = {ok: v});",
                vec![],
            )
            .await?;
        let both = result(&app, "both").await?;
        let codes: Vec<&str> = both["ok"].as_array().unwrap().iter().map(|o| o["reason"]["code"].as_str().unwrap_or("ok")).collect();
        assert!(codes.contains(&"interaction_in_progress") && codes.contains(&"ok"), "{both}");
        app.client.switch_to_window(app.main.clone()).await?;
        invoke(&app, "account").await?;
        assert_eq!(result(&app, "account").await?["ok"]["username"], WORK_USER);
        // Every response so far is free of the tokens the emulator issued.
        let all = app.client.execute("return JSON.stringify([window.__results, document.documentElement.outerHTML, JSON.stringify(localStorage), JSON.stringify(sessionStorage)]);", vec![]).await?;
        let text = all.as_str().unwrap_or_default().to_owned();
        let issued: Value = reqwest::get(emu.at("/_emulator/tokens")).await?.json().await?;
        let issued = issued["issued"].as_array().unwrap().clone();
        assert!(!issued.is_empty());
        for token in issued.iter().filter_map(Value::as_str) {
            assert!(!text.contains(token), "a token reached the webview");
            assert!(!account.to_string().contains(token) && !me.to_string().contains(token));
        }
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run
}
