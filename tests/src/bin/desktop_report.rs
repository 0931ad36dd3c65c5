//! Desktop measurements for docs/benchmarks.md (a report, not a test):
//! - cold start to an interactive window with a restored session;
//! - memory (PSS) of the app's whole process tree after sign-in and Read Mails;
//! - the Graph proxy's overhead: `graph_me` through IPC vs the same GET from reqwest.
//!
//! `cargo build --release --features custom-protocol --bin graph-signin` first, then
//! `GRAPH_SIGNIN_APP=target/release/graph-signin cargo run -p integration-tests --bin desktop_report`.

use std::time::{Duration, Instant};

use integration_tests::desktop::DesktopApp;
use integration_tests::emulator::{Browser, Emulator, CLIENT_ID, PASSWORD, WORK_USER};
use integration_tests::Result;

const CALLS: usize = 50;

/// PSS in KiB of `pid` and each of its descendants, with their names, from
/// /proc/*/smaps_rollup.
fn tree_pss(root: u32) -> Vec<(String, u64)> {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The fields after the command name (which may hold spaces) start after the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        parents.push((pid, ppid.unwrap_or(0)));
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    tree.iter()
        .filter_map(|pid| {
            let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let pss = text
                .lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())?;
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            Some((name.trim().to_owned(), pss))
        })
        .collect()
}

fn app_pid() -> Option<u32> {
    let app = integration_tests::desktop::app_binary();
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
            (exe == app).then_some(pid)
        })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn js_call_times(app: &DesktopApp, cmd: &str) -> Result<Vec<Duration>> {
    let script = format!(
        "const done = arguments[0]; const i = window.__TAURI_INTERNALS__; const t = []; \
         (async () => {{ for (let k = 0; k < {CALLS}; k++) {{ const s = performance.now(); await i.invoke('{cmd}'); t.push(performance.now() - s); }} done(t); }})();"
    );
    let value = app.client.execute_async(&script, vec![]).await?;
    Ok(value
        .as_array()
        .ok_or("no timings")?
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .map(|ms| Duration::from_secs_f64(ms / 1000.0))
        .collect())
}

#[tokio::main]
async fn main() -> Result<()> {
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];

    // First run: sign in and read mails, then measure memory.
    let app = DesktopApp::launch(&env, None).await?;
    app.click("#signIn").await?;
    app.sign_in_in_login_window(WORK_USER, PASSWORD).await?;
    app.wait_for_text("#welcomeMessage", "Welcome", Duration::from_secs(30))
        .await?;
    app.click("#readMail").await?;
    app.switch_to_login_window().await?;
    app.accept_consent_if_asked().await?;
    app.wait_for("#list9list", Duration::from_secs(30)).await?;
    tokio::time::sleep(Duration::from_secs(2)).await; // let the page settle before reading memory
    let pid = app_pid().ok_or("the app's process was not found")?;
    let processes = tree_pss(pid);
    let pss: u64 = processes.iter().map(|(_, kib)| kib).sum();

    // The Graph proxy: graph_me through IPC (cache hit + Graph call) vs the same GET directly.
    let ipc = median(js_call_times(&app, "graph_me").await?);
    let account_ipc = median(js_call_times(&app, "account").await?);
    let browser = Browser::new();
    let mut url = url::Url::parse(&emu.at("/common/oauth2/v2.0/authorize"))?;
    url.query_pairs_mut()
        .append_pair("client_id", CLIENT_ID)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", "http://localhost:5555")
        .append_pair("scope", "openid offline_access User.Read");
    let location = browser.sign_in(url.as_str(), WORK_USER, PASSWORD).await?;
    let code = integration_tests::emulator::redirect_params(&location)?
        .remove("code")
        .ok_or("no code")?;
    let client = reqwest::Client::new();
    let tokens: serde_json::Value = client
        .post(emu.at("/common/oauth2/v2.0/token"))
        .form(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://localhost:5555"),
        ])
        .send()
        .await?
        .json()
        .await?;
    let token = tokens["access_token"].as_str().ok_or("no token")?;
    let me = emu
        .at("/v1.0/me?$select=displayName,jobTitle,mail,businessPhones,mobilePhone,officeLocation");
    let mut direct = Vec::new();
    for _ in 0..CALLS {
        let t = Instant::now();
        client
            .get(&me)
            .bearer_auth(token)
            .send()
            .await?
            .bytes()
            .await?;
        direct.push(t.elapsed());
    }
    let direct = median(direct);
    let home = app.quit().await?;

    // Cold start with a restored session: launch to "Welcome" on the page.
    let started = Instant::now();
    let app = DesktopApp::launch(&env, Some(home)).await?;
    app.wait_for_text("#welcomeMessage", "Welcome", Duration::from_secs(30))
        .await?;
    let cold = started.elapsed();
    app.quit().await?;

    println!(
        "app binary: {}",
        integration_tests::desktop::app_binary().display()
    );
    println!(
        "cold start to a restored, interactive window: {:.0} ms (incl. WebDriver session setup)",
        cold.as_secs_f64() * 1e3
    );
    println!(
        "PSS of the app's process tree after sign-in and Read Mails: {:.1} MiB",
        pss as f64 / 1024.0
    );
    for (name, kib) in &processes {
        println!("  {name}: {:.1} MiB", *kib as f64 / 1024.0);
    }
    println!(
        "graph_me via IPC, p50: {:.2} ms; direct GET /v1.0/me, p50: {:.2} ms; overhead {:.2} ms",
        ipc.as_secs_f64() * 1e3,
        direct.as_secs_f64() * 1e3,
        (ipc.as_secs_f64() - direct.as_secs_f64()) * 1e3
    );
    println!(
        "account via IPC (no network), p50: {:.2} ms",
        account_ipc.as_secs_f64() * 1e3
    );
    Ok(())
}
