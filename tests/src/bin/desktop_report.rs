//! Desktop measurements for docs/benchmarks.md (a report, not a test):
//! - cold start to an interactive window with a restored session, from launching the binary
//!   to the later of the window being shown and the page's first command (log lines of the
//!   app's; no WebDriver involved);
//! - memory (PSS) of the app's whole process tree after sign-in and Read Mails;
//! - the Graph proxy's overhead: `graph_me` through IPC vs the same GET from reqwest. WebKit
//!   rounds `performance.now()` to 1 ms, so single calls cannot be timed: both sides are timed
//!   in [`BATCHES`] batches of [`BATCH`] calls in sequence, and the report gives the median
//!   (p50) of the batches' per-call means.
//!
//! `cargo build --release --features custom-protocol --bin graph-signin` first, then
//! `GRAPH_SIGNIN_APP=target/release/graph-signin cargo run -p integration-tests --bin desktop_report`.

use std::time::{Duration, Instant};

use integration_tests::desktop::DesktopApp;
use integration_tests::emulator::{Browser, Emulator, CLIENT_ID, PASSWORD, WORK_USER};
use integration_tests::Result;

const BATCHES: usize = 20;
const BATCH: usize = 25;
const STARTS: usize = 5;

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
            // DESKTOP_REPORT_SMAPS=<dir> keeps each process's mappings, to see where memory goes.
            if let Some(dir) = std::env::var_os("DESKTOP_REPORT_SMAPS") {
                let to = std::path::Path::new(&dir).join(format!("{}-{pid}.smaps", name.trim()));
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::copy(format!("/proc/{pid}/smaps"), to);
            }
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

/// The p50 over [`BATCHES`] batches of the per-call mean of [`BATCH`] `cmd`s through IPC.
async fn ipc_p50(app: &DesktopApp, cmd: &str) -> Result<Duration> {
    let script = format!(
        "const done = arguments[0]; const i = window.__TAURI_INTERNALS__; \
         (async () => {{ const out = []; \
           for (let b = 0; b < {BATCHES}; b++) {{ const s = performance.now(); \
             for (let k = 0; k < {BATCH}; k++) {{ await i.invoke('{cmd}'); }} \
             out.push(performance.now() - s); }} \
           done(out); }})();"
    );
    let batches = app.client.execute_async(&script, vec![]).await?;
    let per_call = batches
        .as_array()
        .ok_or("no timings")?
        .iter()
        .map(|ms| {
            let ms = ms.as_f64().ok_or("a timing is not a number")?;
            Ok(Duration::from_secs_f64(ms / 1000.0 / BATCH as f64))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(median(per_call))
}

/// Launches the binary itself on `home`'s restored session and times it until its window is
/// shown and the page has sent its first command, read from the app's log on stderr.
fn start_to_interactive(env: &[(&str, String)], home: &std::path::Path) -> Result<Duration> {
    use std::io::BufRead;
    let xvfb = integration_tests::Xvfb::start()?;
    let mut command = std::process::Command::new(integration_tests::desktop::app_binary());
    command
        .env("DISPLAY", xvfb.display())
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("RUST_LOG", "graph_signin=debug")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let started = Instant::now();
    let mut app = integration_tests::Spawned::start("graph-signin", command)?;
    let stderr = app.stderr().ok_or("stderr is not piped")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Interactive: the window is on screen and the page's code runs (its first command).
        let (mut shown, mut asked) = (false, false);
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(|l| l.ok())
        {
            shown |= line.contains("the main window is shown");
            asked |= line.contains("the page asked for the account");
            if shown && asked {
                let _ = tx.send(started.elapsed());
                return;
            }
        }
    });
    Ok(rx
        .recv_timeout(Duration::from_secs(30))
        .map_err(|_| "the window was never shown, or the page never asked for the account")?)
}

#[tokio::main]
async fn main() -> Result<()> {
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];

    // First run: sign in and read mails, then measure memory.
    let app = DesktopApp::launch(&env, None).await?;
    app.sign_in_work_user().await?;
    app.read_mails_with_consent().await?;
    tokio::time::sleep(Duration::from_secs(2)).await; // let the page settle before reading memory
    let pid = app_pid().ok_or("the app's process was not found")?;
    let processes = tree_pss(pid);
    let pss: u64 = processes.iter().map(|(_, kib)| kib).sum();

    // The Graph proxy: graph_me through IPC (cache hit + Graph call) vs the same GET directly.
    let ipc = ipc_p50(&app, "graph_me").await?;
    let account_ipc = ipc_p50(&app, "account").await?;
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
    let me = emu.at(graph_view::ME_PATH);
    let mut batches = Vec::new();
    for _ in 0..BATCHES {
        let t = Instant::now();
        for _ in 0..BATCH {
            client
                .get(&me)
                .bearer_auth(token)
                .send()
                .await?
                .bytes()
                .await?;
        }
        batches.push(t.elapsed() / BATCH as u32);
    }
    let direct = median(batches);
    let home = app.quit().await?;

    // Cold start with a restored session, through WebDriver: launch to "Welcome" on the page.
    let started = Instant::now();
    let app = DesktopApp::launch(&env, Some(home)).await?;
    app.wait_for_text("#welcomeMessage", "Welcome", Duration::from_secs(30))
        .await?;
    let cold = started.elapsed();
    let home = app.quit().await?;
    // And without it: the binary alone, to the window shown and the page's first command.
    let mut starts = Vec::new();
    for _ in 0..STARTS {
        starts.push(start_to_interactive(&env, home.path())?);
    }
    let start = median(starts.clone());

    println!(
        "app binary: {}",
        integration_tests::desktop::app_binary().display()
    );
    println!(
        "cold start to a restored, interactive window: {:.0} ms (incl. WebDriver session setup)",
        cold.as_secs_f64() * 1e3
    );
    println!(
        "launch to the window shown and the page's first command, median of {STARTS}: {:.0} ms (all: {:?})",
        start.as_secs_f64() * 1e3,
        starts.iter().map(|d| d.as_millis()).collect::<Vec<_>>()
    );
    println!(
        "PSS of the app's process tree after sign-in and Read Mails: {:.1} MiB",
        pss as f64 / 1024.0
    );
    for (name, kib) in &processes {
        println!("  {name}: {:.1} MiB", *kib as f64 / 1024.0);
    }
    println!(
        "graph_me via IPC: {:.3} ms; direct GET /v1.0/me: {:.3} ms; overhead {:.3} ms (p50 of {BATCHES} batch means of {BATCH} calls)",
        ipc.as_secs_f64() * 1e3,
        direct.as_secs_f64() * 1e3,
        (ipc.as_secs_f64() - direct.as_secs_f64()) * 1e3
    );
    println!(
        "account via IPC (no network): {:.3} ms (p50 of {BATCHES} batch means of {BATCH} calls)",
        account_ipc.as_secs_f64() * 1e3
    );
    Ok(())
}
