//! The third way to run the app: `tauri dev` (the CLI from npm in `.tools/`, as scripts/run.sh
//! runs it). It starts `trunk serve` (tauri.conf.json `beforeDevCommand`), builds and launches
//! the dev app, whose window loads the page from http://localhost:1420. The test waits for the
//! app to log that the window is shown and that the page, once running, asked the shell for the
//! account: the page's first command, which is what makes it show Sign In.
//!
//! It rebuilds `target/debug/graph-signin` without `custom-protocol`, so scripts/test.sh runs it
//! on its own, before the app build that the e2e tests use.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use integration_tests::{workspace_root, Spawned, Xvfb};

/// The first build of the dev page and app can take minutes on a fresh machine.
const WAIT: Duration = Duration::from_secs(900);

#[test]
fn tauri_dev_opens_the_window_on_the_dev_server_and_the_page_talks_to_the_shell(
) -> integration_tests::Result<()> {
    if std::net::TcpStream::connect(("127.0.0.1", 1420)).is_ok() {
        return Err("port 1420 is taken: stop the program serving it (trunk serve?)".into());
    }
    let root = workspace_root();
    let npm_cli = root.join(".tools/node_modules/.bin/tauri");
    let cli = if npm_cli.exists() {
        npm_cli
    } else {
        "tauri".into()
    };
    let xvfb = Xvfb::start()?;
    let home = tempfile::tempdir()?;
    let mut command = Command::new(cli);
    command
        .args(["dev", "--no-watch"])
        .current_dir(&root)
        .env("DISPLAY", xvfb.display())
        .env("RUST_LOG", "graph_signin=debug")
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut dev = Spawned::start("tauri dev", command)?;
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    for stream in [
        dev.stdout()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        dev.stderr()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
    }
    drop(tx);
    let deadline = std::time::Instant::now() + WAIT;
    let (mut shown, mut asked) = (false, false);
    let mut tail: Vec<String> = Vec::new();
    while !(shown && asked) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                shown |= line.contains("the main window is shown");
                asked |= line.contains("the page asked for the account");
                tail.push(line);
                if tail.len() > 40 {
                    tail.remove(0);
                }
            }
            Err(_) => {
                return Err(format!(
                    "tauri dev: the window was not shown ({shown}) or the page never asked the \
                     shell for the account ({asked}) within {WAIT:?}; its last lines:\n{}",
                    tail.join("\n")
                )
                .into())
            }
        }
    }
    // The dev server serves the page with its CSP (frontend/csp.mjs runs on dev builds too).
    let page = get("http://localhost:1420/")?;
    assert!(
        page.contains("http-equiv=\"Content-Security-Policy\""),
        "{page}"
    );
    drop(dev);
    Ok(())
}

/// A GET on a plain-http loopback URL, without an async runtime: the page's HTML.
fn get(url: &str) -> integration_tests::Result<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async { Ok(reqwest::get(url).await?.error_for_status()?.text().await?) })
}
