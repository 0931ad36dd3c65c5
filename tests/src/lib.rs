//! Shared harness of the integration and end-to-end tests.
//!
//! # Layout
//!
//! - [`Spawned`]: a child process in its own process group, killed with its whole group on drop,
//!   so a failing test never leaves a driver, a browser or an app behind.
//! - [`Xvfb`]: a private X display on a free display number.
//! - [`WebDriver`]: `tauri-driver` or `chromedriver` on a free port, ready to take a session.
//! - [`serve_dir`]: a static file server on `127.0.0.1:0`.
//! - [`wait_until`]: polls a condition with a timeout instead of sleeping and hoping;
//!   [`wait_displayed`] and [`wait_text`] wait for a page element that way.
//! - [`sign_in_pages`]: the identity provider's pages answered as a person would.
//! - [`oidc_provider`]: a generic OpenID provider (panva's oidc-provider) on loopback.
#![warn(missing_docs)]

pub mod chromium;
pub mod desktop;
pub mod emulator;
pub mod oidc_provider;
pub mod secret_service;
pub mod sign_in_pages;
pub mod signed_in;
pub mod x11;

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The result type of the harness: errors are reported as text that says what was missing.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

/// Cargo's target folder, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// A port that was free on 127.0.0.1 a moment ago, for servers that cannot bind port 0 themselves.
///
/// It is taken below Linux's ephemeral range (32768 and up), in a block that depends on this
/// process's id, and a new one on each call. A port from `bind(0)` lies in that range, where any
/// outgoing connection (a browser, a driver, a test's client) may take it before the server binds
/// it; that happens rarely, but then a driver never starts.
pub fn free_port() -> Result<u16> {
    const FIRST: u32 = 20_000;
    const SPAN: u32 = 12_000;
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let start = (std::process::id() % 600) * 20;
    for _ in 0..SPAN {
        let offset = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = u16::try_from(FIRST + (start + offset) % SPAN)?;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    Err(format!(
        "no free port on 127.0.0.1 between {FIRST} and {}",
        FIRST + SPAN - 1
    )
    .into())
}

/// Calls `check` until it returns `Some`, or fails after `timeout` naming `what` was awaited.
///
/// A check that hangs (a server that accepts the connection and never answers) is cut off at
/// the deadline, given at least a second, so the wait still ends.
pub async fn wait_until<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_secs(1));
        if let Ok(Some(value)) = tokio::time::timeout(left, check()).await {
            return Ok(value);
        }
        if Instant::now() >= deadline {
            return Err(format!("timed out after {timeout:?} waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How long one WebDriver command (a click, typing, a window switch) may go unanswered before
/// the harness fails it; far above what any takes here.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs the WebDriver command `what`, and fails if the driver does not answer within
/// [`COMMAND_TIMEOUT`]: a test then fails naming the command instead of hanging.
pub async fn command<T, E>(
    what: &str,
    run: impl Future<Output = std::result::Result<T, E>>,
) -> Result<T>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    match tokio::time::timeout(COMMAND_TIMEOUT, run).await {
        Ok(result) => result.map_err(Into::into),
        Err(_) => Err(format!("WebDriver did not answer {what} within {COMMAND_TIMEOUT:?}").into()),
    }
}

/// Waits until an element matching `css` is displayed in the client's current window.
pub async fn wait_displayed(
    client: &fantoccini::Client,
    css: &str,
    timeout: Duration,
) -> Result<fantoccini::elements::Element> {
    wait_until(&format!("{css} to be displayed"), timeout, || async move {
        for element in client.find_all(fantoccini::Locator::Css(css)).await.ok()? {
            if element.is_displayed().await.unwrap_or(false) {
                return Some(element);
            }
        }
        None
    })
    .await
}

/// Saves a PNG of `client`'s current window as `<SCREENSHOT_DIR>/<name>.png` when
/// `SCREENSHOT_DIR` is set (how the README's pictures are made); otherwise does nothing.
pub async fn screenshot(client: &fantoccini::Client, name: &str) -> Result<()> {
    if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
        let png = command("a screenshot", client.screenshot()).await?;
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png)?;
    }
    Ok(())
}

/// Waits until an element matching `css` is displayed, then clicks it.
pub async fn click_displayed(
    client: &fantoccini::Client,
    css: &str,
    timeout: Duration,
) -> Result<()> {
    let element = wait_displayed(client, css, timeout).await?;
    command(&format!("a click on {css}"), element.click()).await
}

/// Whether the client's current window shows the emulator's consent page (its `h1`, as on
/// Microsoft's page, is "Permissions requested").
pub async fn on_consent_page(client: &fantoccini::Client) -> bool {
    match client.find(fantoccini::Locator::Css("h1")).await {
        Ok(h1) => h1.text().await.is_ok_and(|t| t == "Permissions requested"),
        Err(_) => false,
    }
}

/// Waits until the text of the first element matching `css` contains `text`; returns it all.
pub async fn wait_text(
    client: &fantoccini::Client,
    css: &str,
    text: &str,
    timeout: Duration,
) -> Result<String> {
    wait_until(
        &format!("{css} to contain {text:?}"),
        timeout,
        || async move {
            let found = client
                .find(fantoccini::Locator::Css(css))
                .await
                .ok()?
                .text()
                .await
                .ok()?;
            found.contains(text).then_some(found)
        },
    )
    .await
}

/// `root` and its descendants, from /proc, parents before their children.
pub fn process_tree(root: u32) -> Vec<u32> {
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
    tree
}

/// A process's name as the kernel keeps it (`/proc/<pid>/comm`: 15 bytes at most).
pub fn process_name(pid: u32) -> Option<String> {
    let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    Some(name.trim().to_owned())
}

/// A child process that leads its own process group. Dropping it kills the whole group.
pub struct Spawned {
    name: String,
    child: Child,
}

impl Spawned {
    /// Starts `command` in a new process group.
    pub fn start(name: &str, mut command: Command) -> Result<Self> {
        command.process_group(0);
        let child = command.spawn().map_err(|e| {
            format!("could not start {name}: {e} (is it installed? scripts/setup.sh installs it)")
        })?;
        Ok(Self {
            name: name.to_owned(),
            child,
        })
    }

    /// The child's process id, which is also its process group's.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The child's standard output, if it was piped.
    pub fn stdout(&mut self) -> Option<std::process::ChildStdout> {
        self.child.stdout.take()
    }

    /// The child's standard error, if it was piped.
    pub fn stderr(&mut self) -> Option<std::process::ChildStderr> {
        self.child.stderr.take()
    }

    /// Fails if the process has already exited.
    pub fn check_running(&mut self) -> Result<()> {
        match self.child.try_wait()? {
            Some(status) => Err(format!("{} exited early: {status}", self.name).into()),
            None => Ok(()),
        }
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the process group this struct created.
        unsafe {
            libc::kill(-pgid, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // SAFETY: as above; SIGKILL whatever of the group ignored SIGTERM.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

/// A private X server. Xvfb picks a free display number and reports it on `-displayfd`.
pub struct Xvfb {
    display: String,
    _process: Spawned,
}

impl Xvfb {
    /// Starts Xvfb and waits until it accepts clients.
    pub fn start() -> Result<Self> {
        let mut command = Command::new("Xvfb");
        command
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut process = Spawned::start("Xvfb", command)?;
        let stdout = process.stdout().ok_or("Xvfb's stdout is not piped")?;
        let mut line = String::new();
        // Xvfb writes the display number once it is ready, or closes stdout when it fails.
        BufReader::new(stdout).read_line(&mut line)?;
        let number = line.trim();
        if number.is_empty() {
            process.check_running()?;
            return Err("Xvfb did not report a display number".into());
        }
        Ok(Self {
            display: format!(":{number}"),
            _process: process,
        })
    }

    /// The `DISPLAY` value of this server, e.g. `:99`.
    pub fn display(&self) -> &str {
        &self.display
    }
}

/// A WebDriver server (tauri-driver or chromedriver) on a free local port.
pub struct WebDriver {
    url: String,
    process: Spawned,
    _log: tempfile::NamedTempFile,
}

impl WebDriver {
    /// Starts `command` (already given its port) and waits until `/status` answers ready. The
    /// driver's output goes to a temporary file, quoted in the error if it never gets ready.
    pub async fn start(name: &str, mut command: Command, port: u16) -> Result<Self> {
        let log = tempfile::NamedTempFile::new()?;
        let output = log.reopen()?;
        command.stdout(output.try_clone()?).stderr(output);
        let mut process = Spawned::start(name, command)?;
        let url = format!("http://127.0.0.1:{port}");
        let status = format!("{url}/status");
        let client = reqwest::Client::new();
        let ready = wait_until(
            &format!("{name} on port {port}"),
            Duration::from_secs(30),
            || {
                let running = process.check_running();
                let request = client.get(&status).send();
                async move {
                    if let Err(e) = running {
                        // Stop waiting for a driver that died; the error surfaces below.
                        return Some(Err(e));
                    }
                    let body: serde_json::Value = request.await.ok()?.json().await.ok()?;
                    // W3C WebDriver: {"value": {"ready": true, ...}}
                    (body["value"]["ready"] == true).then_some(Ok(()))
                }
            },
        )
        .await
        .and_then(|ready| ready);
        if let Err(e) = ready {
            let output = std::fs::read_to_string(log.path()).unwrap_or_default();
            let lines: Vec<&str> = output.lines().collect();
            let tail = lines[lines.len().saturating_sub(20)..].join("\n");
            return Err(format!("{e}; {name} printed:\n{tail}").into());
        }
        Ok(Self {
            url,
            process,
            _log: log,
        })
    }

    /// The URL to connect a WebDriver client to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The driver's process id: the app it starts descends from it.
    pub fn id(&self) -> u32 {
        self.process.id()
    }

    /// Fails if the driver has exited.
    pub fn check_running(&mut self) -> Result<()> {
        self.process.check_running()
    }
}

/// Serves the files under `root` on `127.0.0.1:0` until the returned guard is dropped.
pub async fn serve_dir(root: &Path) -> Result<ServedDir> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = axum::Router::new().fallback_service(tower_http::services::ServeDir::new(root));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(ServedDir { addr, task })
}

/// A running static file server; dropping it stops the server.
pub struct ServedDir {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl ServedDir {
    /// The server's base URL, ending without a slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for ServedDir {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_distinct_bindable_and_below_the_ephemeral_range() -> Result<()> {
        let ports: Vec<u16> = (0..50).map(|_| free_port()).collect::<Result<_>>()?;
        let mut distinct = ports.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), ports.len(), "{ports:?}");
        for port in ports {
            assert!((20_000..32_000).contains(&port), "{port}");
            TcpListener::bind(("127.0.0.1", port))?;
        }
        Ok(())
    }
}
