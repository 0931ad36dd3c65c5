//! Desktop measurements for docs/benchmarks.md (a report, not a test):
//! - cold start to an interactive window with a restored session, from launching the binary
//!   to the later of the window being shown and the page's first command (log lines of the
//!   app's; no WebDriver involved);
//! - memory (PSS) of the app's whole process tree after sign-in and Read Mails;
//! - both against the floor, WebKitGTK's own MiniBrowser on a one-line page under the same
//!   Xvfb and compositing setting: its memory 2 s after the first paint, and its launch to that
//!   paint, alternated with the app's launches (the `memory:` and `start-up:` lines);
//! - more floors, to split the app's memory over the first: a bare Tauri 2 window
//!   (tests/tauri-floor) on the same one-line page, and MiniBrowser on the app's own page and on
//!   a one-line Yew page (tests/yew-floor);
//! - the app's memory launched alone on its restored session, without WebDriver;
//! - the Graph proxy's overhead: `graph_me` through IPC vs the same GET from reqwest. WebKit
//!   rounds `performance.now()` to 1 ms, so single calls cannot be timed: both sides are timed
//!   in [`BATCHES`] batches of [`BATCH`] calls in sequence, and the report gives the median
//!   (p50) of the batches' per-call means.
//!
//! `cargo build --release --features custom-protocol --bin graph-signin`,
//! `cargo build --release -p tauri-floor --features custom-protocol` and `trunk build --release`
//! in tests/yew-floor first, then
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
    let tree = integration_tests::process_tree(root);
    tree.iter()
        .filter_map(|pid| {
            let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let pss = text
                .lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())?;
            let name = integration_tests::process_name(*pid).unwrap_or_default();
            // DESKTOP_REPORT_SMAPS=<dir> keeps each process's mappings, to see where memory goes.
            if let Some(dir) = std::env::var_os("DESKTOP_REPORT_SMAPS") {
                let to = std::path::Path::new(&dir).join(format!("{name}-{pid}.smaps"));
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::copy(format!("/proc/{pid}/smaps"), to);
            }
            Some((name, pss))
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

/// WebKitGTK's own browser, from the same package as the library the app links: the floor the
/// app's memory and start-up are compared with (issue 18).
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// The floor's page: one line of text, and a console line once a frame holding it has been
/// painted (the second animation frame starts after the first one's paint). It sets its title
/// then too, for the bare Tauri window, whose console goes nowhere.
const FLOOR_PAGE: &str = "<!doctype html><title>floor</title><p>Hello.</p><script>\
    requestAnimationFrame(() => requestAnimationFrame(() => { console.log('floor: painted'); \
    document.title = 'floor: painted' }))</script>";

/// Added to a built Yew page when MiniBrowser shows it: the same line, once the page has
/// rendered an element matching `SELECTOR` and a frame holding it has been painted.
const PAGE_READY: &str =
    "const ready = setInterval(() => { if (document.querySelector(SELECTOR)) { \
    clearInterval(ready); requestAnimationFrame(() => requestAnimationFrame(() => \
    console.log('floor: painted'))) } }, 10)";

/// How long a launch may take to log what [`launch_until`] waits for.
const LAUNCH_WAIT: Duration = Duration::from_secs(30);

/// A process launched under its own Xvfb, timed from the spawn until each of `wanted` has
/// appeared on some line of its output. The process is left running for the caller.
struct Launched {
    took: Duration,
    process: integration_tests::Spawned,
    _xvfb: integration_tests::Xvfb,
}

impl Launched {
    /// Its process tree once settled ([`Tree::settled`]); then the process and its display stop.
    async fn settled_tree(self) -> Tree {
        Tree::settled(self.process.id()).await
    }
}

fn launch_until(
    name: &str,
    mut command: std::process::Command,
    home: &std::path::Path,
    wanted: &'static [&'static str],
) -> Result<Launched> {
    use std::io::BufRead;
    use std::process::Stdio;
    let xvfb = integration_tests::Xvfb::start()?;
    command
        .env("DISPLAY", xvfb.display())
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        // The app's own default (src-tauri/src/lib.rs); the floor runs under the same setting.
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut process = integration_tests::Spawned::start(name, command)?;
    let (tx, rx) = std::sync::mpsc::channel();
    let outputs: Vec<Box<dyn std::io::Read + Send>> = vec![
        Box::new(process.stdout().ok_or("stdout is not piped")?),
        Box::new(process.stderr().ok_or("stderr is not piped")?),
    ];
    for output in outputs {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(output)
                .lines()
                .map_while(|l| l.ok())
            {
                if let Some(i) = wanted.iter().position(|w| line.contains(w)) {
                    let _ = tx.send((i, started.elapsed()));
                }
            }
        });
    }
    let mut seen = vec![false; wanted.len()];
    let deadline = started + LAUNCH_WAIT;
    let mut took = Duration::ZERO;
    while seen.contains(&false) {
        let left = deadline.saturating_duration_since(Instant::now());
        let (i, at) = rx.recv_timeout(left).map_err(|_| {
            format!(
                "{name} never logged {:?} within {LAUNCH_WAIT:?}",
                wanted
                    .iter()
                    .zip(&seen)
                    .filter(|(_, s)| !**s)
                    .map(|(w, _)| *w)
                    .collect::<Vec<_>>()
            )
        })?;
        seen[i] = true;
        took = took.max(at);
    }
    Ok(Launched {
        took,
        process,
        _xvfb: xvfb,
    })
}

/// Launches the binary itself on `home`'s restored session, until its window is shown and the
/// page has sent its first command (the app's log lines; no WebDriver involved).
fn launch_app(env: &[(&str, String)], home: &std::path::Path) -> Result<Launched> {
    let mut command = std::process::Command::new(integration_tests::desktop::app_binary());
    command.env("RUST_LOG", "graph_signin=debug");
    for (name, value) in env {
        command.env(name, value);
    }
    launch_until(
        "graph-signin",
        command,
        home,
        &["the main window is shown", "the page asked for the account"],
    )
}

/// Launches MiniBrowser on `url` until its page has been painted.
fn launch_floor(url: &str, home: &std::path::Path) -> Result<Launched> {
    if !std::path::Path::new(MINIBROWSER).exists() {
        return Err(
            format!("{MINIBROWSER} is missing (Debian's libwebkit2gtk-4.1-0 has it)").into(),
        );
    }
    let mut command = std::process::Command::new(MINIBROWSER);
    command
        .arg("--enable-write-console-messages-to-stdout=true")
        .arg(url);
    launch_until("MiniBrowser", command, home, &["floor: painted"])
}

/// A bare Tauri 2 window (tests/tauri-floor, built beside the app) on `url`, until the page
/// has set the title it sets once painted.
fn launch_tauri_floor(url: &str, home: &std::path::Path) -> Result<Launched> {
    let binary = integration_tests::desktop::app_binary().with_file_name("tauri-floor");
    if !binary.exists() {
        return Err(format!(
            "{} is missing: `cargo build --release -p tauri-floor --features custom-protocol` builds it",
            binary.display()
        )
        .into());
    }
    let mut command = std::process::Command::new(binary);
    command.arg(url);
    launch_until("tauri-floor", command, home, &["title: floor: painted"])
}

/// A built page (`dist`, relative to the workspace) as a folder to serve, with [`PAGE_READY`]
/// for `selector` added as a script of its own origin, which the app's CSP allows.
fn page_with_ready_line(dist: &str, selector: &str, into: &std::path::Path) -> Result<()> {
    let dist = integration_tests::workspace_root().join(dist);
    let index = std::fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("{}: {e}; build the page first", dist.display()))?;
    for entry in std::fs::read_dir(&dist)? {
        let entry = entry?;
        std::fs::copy(entry.path(), into.join(entry.file_name()))?;
    }
    let index = index.replacen(
        "</head>",
        "<script src=\"/floor-ready.js\"></script></head>",
        1,
    );
    if !index.contains("floor-ready.js") {
        return Err(format!("{} has no </head>", dist.join("index.html").display()).into());
    }
    std::fs::write(into.join("index.html"), index)?;
    let selector = serde_json::Value::from(selector).to_string();
    std::fs::write(
        into.join("floor-ready.js"),
        PAGE_READY.replace("SELECTOR", &selector),
    )?;
    Ok(())
}

/// MiniBrowser's tree, settled, on a built page served over loopback.
async fn page_in_minibrowser(dist: &str, selector: &str, home: &std::path::Path) -> Result<Tree> {
    let served = tempfile::tempdir()?;
    page_with_ready_line(dist, selector, served.path())?;
    let server = integration_tests::serve_dir(served.path()).await?;
    Ok(launch_floor(&format!("{}/", server.url()), home)?
        .settled_tree()
        .await)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// A process tree's PSS, by process and in all.
struct Tree {
    processes: Vec<(String, u64)>,
    kib: u64,
}

impl Tree {
    /// `root`'s tree, read after 2 s for the page to settle: the same wait for the app and the
    /// floor.
    async fn settled(root: u32) -> Self {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let processes = tree_pss(root);
        let kib = processes.iter().map(|(_, kib)| kib).sum();
        Self { processes, kib }
    }

    fn mib(&self) -> f64 {
        mib(self.kib)
    }

    fn print(&self, what: &str) {
        println!("PSS of {what}: {:.1} MiB", self.mib());
        for (name, kib) in &self.processes {
            println!("  {name}: {:.1} MiB", mib(*kib));
        }
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];

    // First run: sign in and read mails, then measure memory.
    let app = DesktopApp::launch(&env, None).await?;
    app.sign_in_work_user().await?;
    app.read_mails_with_consent().await?;
    let pid = app_pid().ok_or("the app's process was not found")?;
    let tree = Tree::settled(pid).await;

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

    // The floor's memory, once the app has quit (shared libraries' pages count in both): MiniBrowser
    // on the one-line page, settled as long as the app was.
    let floor_dir = tempfile::tempdir()?;
    let page = floor_dir.path().join("floor.html");
    std::fs::write(&page, FLOOR_PAGE)?;
    let page = format!("file://{}", page.display());
    let floor_tree = launch_floor(&page, floor_dir.path())?.settled_tree().await;
    // More floors, to split what is over the first: a bare Tauri window on the same page, and
    // MiniBrowser on the app's own page and on a one-line Yew page (served over loopback).
    let tauri_tree = launch_tauri_floor(&page, floor_dir.path())?
        .settled_tree()
        .await;
    let app_page_tree = page_in_minibrowser("frontend/dist", "nav", floor_dir.path()).await?;
    // And the least any Yew page costs there: one line rendered by Yew (tests/yew-floor).
    let yew_tree = page_in_minibrowser("tests/yew-floor/dist", "p", floor_dir.path()).await?;

    // Cold start with a restored session, through WebDriver: launch to "Welcome" on the page.
    let started = Instant::now();
    let app = DesktopApp::launch(&env, Some(home)).await?;
    app.wait_for_text("#welcomeMessage", "Welcome", Duration::from_secs(30))
        .await?;
    let cold = started.elapsed();
    let home = app.quit().await?;
    // And without it: the binary alone, to the window shown and the page's first command,
    // alternated with the floor's launches to its first paint.
    let (mut starts, mut floor_starts) = (Vec::new(), Vec::new());
    for _ in 0..STARTS {
        starts.push(launch_app(&env, home.path())?.took);
        floor_starts.push(launch_floor(&page, floor_dir.path())?.took);
    }
    // The app's memory without WebDriver's automation session: launched alone on the restored
    // session (the welcome card, no mails read), settled as long.
    let alone_tree = launch_app(&env, home.path())?.settled_tree().await;
    let start = median(starts.clone());
    let floor_start = median(floor_starts.clone());
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let all = |v: &[Duration]| v.iter().map(|d| d.as_millis()).collect::<Vec<_>>();

    println!(
        "app binary: {}",
        integration_tests::desktop::app_binary().display()
    );
    println!(
        "memory: tree {:.1} MiB, floor {:.1} MiB, over floor {:.1} MiB",
        tree.mib(),
        floor_tree.mib(),
        tree.mib() - floor_tree.mib()
    );
    let over = |t: &Tree| t.mib() - floor_tree.mib();
    println!(
        "memory floors: a bare Tauri window on the same page {:.1} MiB over floor; MiniBrowser on \
         the app's page {:.1} MiB over floor (on a one-line Yew page {:.1} MiB); the app over \
         the Tauri window and its page {:.1} MiB",
        over(&tauri_tree),
        over(&app_page_tree),
        over(&yew_tree),
        over(&tree) - over(&tauri_tree) - over(&app_page_tree)
    );
    println!(
        "start-up: app {:.0} ms, floor {:.0} ms, over floor {:.0} ms",
        ms(start),
        ms(floor_start),
        ms(start) - ms(floor_start)
    );
    println!(
        "cold start to a restored, interactive window: {:.0} ms (incl. WebDriver session setup)",
        ms(cold)
    );
    println!(
        "launch to the window shown and the page's first command, median of {STARTS}: {:.0} ms (all: {:?})",
        ms(start),
        all(&starts)
    );
    println!(
        "floor: MiniBrowser launched to the first paint of a one-line page, median of {STARTS} alternated with the app's: {:.0} ms (all: {:?})",
        ms(floor_start),
        all(&floor_starts)
    );
    tree.print("the app's process tree after sign-in and Read Mails");
    alone_tree.print("the app's process tree launched without WebDriver on its restored session");
    floor_tree.print("MiniBrowser's process tree on the one-line page");
    tauri_tree.print("a bare Tauri window's process tree on the one-line page");
    app_page_tree.print("MiniBrowser's process tree on the app's page");
    yew_tree.print("MiniBrowser's process tree on a one-line Yew page");
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
