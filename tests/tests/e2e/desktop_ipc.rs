//! The main window's IPC, driven by script the way the page calls it: sign_in opens the real
//! login window, and no token the emulator issued ever comes back through IPC.

use std::time::Duration;

use integration_tests::desktop::DesktopApp;
use integration_tests::emulator::{Emulator, PASSWORD, WORK_USER};
use integration_tests::wait_until;
use serde_json::Value;

/// Starts `invoke(cmd)` in the page; the outcome lands in `window.__results[cmd]`.
async fn invoke(app: &DesktopApp, cmd: &str) -> integration_tests::Result<()> {
    invoke_as(app, cmd, cmd).await
}

/// Starts `invoke(cmd)` in the page; the outcome lands in `window.__results[key]`.
async fn invoke_as(app: &DesktopApp, cmd: &str, key: &str) -> integration_tests::Result<()> {
    let script = format!(
        "window.__results = window.__results || {{}}; delete window.__results['{key}']; \
         window.__TAURI_INTERNALS__.invoke('{cmd}').then(v => window.__results['{key}'] = {{ok: v}}, e => window.__results['{key}'] = {{err: e}});"
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
        // A second sign-in while the first holds the login window is refused, and no lock is
        // left: a third one succeeds. The emulator holds the first one's authorize page for 5 s
        // (SSO would otherwise finish it at once), so the login window is certainly open when
        // the second one starts. (Two invokes in one script raced: on a slow machine the first
        // could finish before the second was dispatched.)
        emu.control("faults", serde_json::json!({ "path": "/common/oauth2/v2.0/authorize", "status": 0, "delay_ms": 5000, "count": 1 })).await?;
        invoke(&app, "sign_in").await?;
        app.switch_to_login_window().await?;
        app.client.switch_to_window(app.main.clone()).await?;
        let second = call_as(&app, "sign_in", "second").await?;
        assert_eq!(second["err"]["code"], "interaction_in_progress", "{second}");
        // Sign In shows the account picker (prompt=select_account): the user picks a tile.
        app.sign_in_in_login_window(WORK_USER, PASSWORD).await?;
        let first = result(&app, "sign_in").await?;
        assert_eq!(first["ok"]["username"], WORK_USER, "{first}");
        invoke_as(&app, "sign_in", "third").await?;
        app.sign_in_in_login_window(WORK_USER, PASSWORD).await?;
        let third = result(&app, "third").await?;
        assert_eq!(third["ok"]["username"], WORK_USER, "{third}");
        app.back_to_main_window().await?;
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

/// Calls `cmd` and waits for its outcome.
async fn call(app: &DesktopApp, cmd: &str) -> integration_tests::Result<Value> {
    call_as(app, cmd, cmd).await
}

/// Calls `cmd`, keeping its outcome under `key`, and waits for it.
async fn call_as(app: &DesktopApp, cmd: &str, key: &str) -> integration_tests::Result<Value> {
    invoke_as(app, cmd, key).await?;
    result(app, key).await
}

#[tokio::test]
async fn cancel_expiry_revocation_faults_throttling_and_sign_out() -> integration_tests::Result<()>
{
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];
    let app = DesktopApp::launch(&env, None).await?;
    let run = async {
        // 8. The user closes the login window at each step of a sign-in (the username page,
        // the password page, "Stay signed in?"): cancelled, still signed out, and a new
        // sign-in works.
        for step in ["#i0116", "#i0118", "#KmsiCheckboxField"] {
            invoke(&app, "sign_in").await?;
            app.switch_to_login_window().await?;
            let username = app.wait_for("#i0116", Duration::from_secs(30)).await?;
            if step != "#i0116" {
                username.send_keys(WORK_USER).await?;
                app.click("#idSIButton9").await?;
                let password = app.wait_for("#i0118", Duration::from_secs(30)).await?;
                if step == "#KmsiCheckboxField" {
                    password.send_keys(PASSWORD).await?;
                    app.click("#idSIButton9").await?;
                    app.wait_for(step, Duration::from_secs(30)).await?;
                }
            }
            app.close_login_window_as_user().await?;
            app.back_to_main_window().await?;
            let cancelled = result(&app, "sign_in").await?;
            assert_eq!(cancelled["err"]["code"], "user_cancelled", "{step}: {cancelled}");
            assert_eq!(call(&app, "account").await?["ok"], Value::Null, "{step}");
        }
        invoke(&app, "sign_in").await?;
        app.sign_in_in_login_window(WORK_USER, PASSWORD).await?;
        assert_eq!(result(&app, "sign_in").await?["ok"]["username"], WORK_USER);
        // ... at the account picker of the next Sign In: cancelled, the account kept ...
        invoke(&app, "sign_in").await?;
        app.switch_to_login_window().await?;
        app.wait_for("[data-test-id]", Duration::from_secs(30)).await?;
        app.close_login_window_as_user().await?;
        app.back_to_main_window().await?;
        let cancelled = result(&app, "sign_in").await?;
        assert_eq!(cancelled["err"]["code"], "user_cancelled", "{cancelled}");
        assert_eq!(call(&app, "account").await?["ok"]["username"], WORK_USER);
        // ... and at the consent page of Read Mails: cancelled, the account kept.
        invoke(&app, "graph_messages").await?;
        app.switch_to_login_window().await?;
        app.wait_for_text("h1", "Permissions requested", Duration::from_secs(30)).await?;
        app.close_login_window_as_user().await?;
        app.back_to_main_window().await?;
        let cancelled = result(&app, "graph_messages").await?;
        assert_eq!(cancelled["err"]["code"], "user_cancelled", "{cancelled}");
        assert_eq!(call(&app, "account").await?["ok"]["username"], WORK_USER);

        // 6. Graph finds the access token expired: a hundred concurrent calls cause one refresh.
        // (The emulator's virtual clock would also move the time of the ID tokens it issues,
        // which the app would rightly refuse as issued in the future; this control expires the
        // tokens while both clocks agree.)
        let refreshes = |c: &Value| c["token.refresh_token"].as_u64().unwrap_or(0);
        let before = refreshes(&emu.counters().await?);
        emu.control("expire-tokens", serde_json::json!({ "username": WORK_USER })).await?;
        app.client
            .execute(
                "const i = window.__TAURI_INTERNALS__; const r = window.__results; \
                 Promise.all(Array.from({length: 100}, () => i.invoke('graph_me'))).then(v => r.hundred = {ok: v.length}, e => r.hundred = {err: e});",
                vec![],
            )
            .await?;
        let hundred = result(&app, "hundred").await?;
        assert_eq!(hundred["ok"], 100, "{hundred}");
        assert_eq!(refreshes(&emu.counters().await?), before + 1, "exactly one refresh");

        // 10. A 429 on Graph: the call succeeds after Retry-After.
        emu.control("faults", serde_json::json!({ "path": "/v1.0/me", "status": 429, "retry_after": 1, "count": 1 })).await?;
        assert_eq!(call(&app, "graph_me").await?["ok"]["displayName"], "Adele Vance");

        // 7. The grant is revoked: the next call that needs the token endpoint opens the login window.
        emu.control("revoke", serde_json::json!({ "username": WORK_USER })).await?;
        emu.control("expire-tokens", serde_json::json!({ "username": WORK_USER })).await?;
        invoke(&app, "graph_me").await?;
        app.sign_in_in_login_window(WORK_USER, PASSWORD).await?;
        assert_eq!(result(&app, "graph_me").await?["ok"]["displayName"], "Adele Vance");

        // 9. The token endpoint fails with a 500: a clear error, and the account is kept.
        emu.control("expire-tokens", serde_json::json!({ "username": WORK_USER })).await?;
        emu.control("faults", serde_json::json!({ "path": "/common/oauth2/v2.0/token", "status": 500, "count": 1 })).await?;
        let failed = call(&app, "graph_me").await?;
        assert_eq!(failed["err"]["code"], "server", "{failed}");
        assert!(failed["err"]["message"].as_str().unwrap().contains("AADSTS"), "{failed}");
        assert_eq!(call(&app, "account").await?["ok"]["username"], WORK_USER);
        // As MSAL does, the failed refresh is not repeated at once: the next call says when.
        let again = call(&app, "graph_me").await?;
        assert_eq!(again["err"]["code"], "throttled", "{again}");
        assert!((1..=60).contains(&again["err"]["retryAfter"].as_u64().unwrap_or(0)), "{again}");
        assert_eq!(call(&app, "account").await?["ok"]["username"], WORK_USER);

        // 11. Sign out: the store file keeps no token.
        assert_eq!(call(&app, "sign_out").await?, serde_json::json!({ "ok": null }));
        app.back_to_main_window().await?;
        assert_eq!(call(&app, "account").await?["ok"], Value::Null);
        let store = std::fs::read_to_string(app.home.path().join("data/dev.graphsignin.desktop/tokens.json"))?;
        let issued: Value = reqwest::get(emu.at("/_emulator/tokens")).await?.json().await?;
        for token in issued["issued"].as_array().unwrap().iter().filter_map(Value::as_str) {
            assert!(!store.contains(token), "a token is left in the store after sign-out");
        }
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run
}
