//! A generic OpenID provider on loopback: panva's oidc-provider (OpenID Certified), run by
//! node from `tests/oidc-provider/server.mjs`, with its own development login and consent
//! pages. The tests sign in there as a user would, by its own form fields.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use url::Url;

use crate::emulator::Browser;
use crate::{workspace_root, Result, Spawned};

/// The provider's client for the desktop app: native, loopback redirect on any port.
pub const DESKTOP_CLIENT_ID: &str = "desktop-app";
/// The provider's client for the browser page: a web client, exact redirect URI.
pub const SPA_CLIENT_ID: &str = "spa";
/// The consent page's "Continue": its form says `prompt=consent`.
const CONSENT_BUTTON: &str = "input[name=prompt][value=consent] ~ button[type=submit]";
/// The development pages take any password.
pub const PASSWORD: &str = "any password";

/// A running provider. Dropping it stops it.
pub struct OidcProvider {
    /// Its issuer, `http://127.0.0.1:<port>`.
    pub issuer: String,
    lines: Arc<Mutex<Vec<String>>>,
    _process: Spawned,
}

impl OidcProvider {
    /// Starts the provider with `args` (`--es256`, `--spa-redirect=URL`) and waits until it
    /// listens.
    pub fn start(args: &[&str]) -> Result<Self> {
        let dir = workspace_root().join("tests/oidc-provider");
        if !dir.join("node_modules/oidc-provider").is_dir() {
            return Err(format!(
                "{} has no node_modules: scripts/setup.sh installs oidc-provider there",
                dir.display()
            )
            .into());
        }
        let mut command = Command::new("node");
        command
            .arg("server.mjs")
            .args(args)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut process = Spawned::start("oidc-provider (node)", command)?;
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            process
                .stdout()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            process
                .stderr()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream)
                    .lines()
                    .map_while(std::io::Result::ok)
                {
                    lines.lock().expect("the log lock").push(line);
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let issuer = lines
                .lock()
                .expect("the log lock")
                .iter()
                .find_map(|l| l.strip_prefix("listening on ").map(str::to_owned));
            if let Some(issuer) = issuer {
                return Ok(Self {
                    issuer,
                    lines,
                    _process: process,
                });
            }
            process.check_running().map_err(|e| {
                format!("{e}; it printed: {:?}", lines.lock().expect("the log lock"))
            })?;
            if Instant::now() > deadline {
                return Err("oidc-provider did not listen within 30 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// How many lines it printed that equal `line` (`grant refresh_token`, `end_session`).
    pub fn count(&self, line: &str) -> usize {
        self.lines
            .lock()
            .expect("the log lock")
            .iter()
            .filter(|l| *l == line)
            .count()
    }

    /// Waits until it printed `line` (see [`OidcProvider::count`]) `times` times, and fails if
    /// it printed it more often. Its output reaches the test through a pipe, a moment after
    /// the HTTP answer that caused it.
    pub async fn wait_count(&self, line: &str, times: usize) -> Result<()> {
        crate::wait_until(
            &format!("oidc-provider to print {line:?} {times} times"),
            Duration::from_secs(10),
            || async move { (self.count(line) >= times).then_some(()) },
        )
        .await
        .map_err(|e| format!("{e}; it printed:\n{}", self.output()))?;
        match self.count(line) {
            n if n == times => Ok(()),
            n => Err(format!(
                "oidc-provider printed {line:?} {n} times, not {times}:\n{}",
                self.output()
            )
            .into()),
        }
    }

    /// Everything it printed, for a failure's message.
    pub fn output(&self) -> String {
        self.lines.lock().expect("the log lock").join("\n")
    }
}

/// Signs in over HTTP from `authorize_url`: the provider's login form (`login`, `password`),
/// then its consent page ("Continue") when it shows one. Returns the final redirect's
/// `Location`, on the authorize request's redirect URI.
pub async fn sign_in(browser: &Browser, authorize_url: &str, login: &str) -> Result<String> {
    let redirect = Url::parse(authorize_url)?
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| Url::parse(&v))
        .ok_or("the authorize URL has no redirect_uri")??;
    let mut page = browser.get(authorize_url).await?;
    for _ in 0..12 {
        if let Some(location) = &page.location {
            let next = page.url.join(location)?;
            if next.origin() == redirect.origin() {
                return Ok(location.clone());
            }
            page = browser.get(next.as_str()).await?;
        } else if page.has("input[name=login]") {
            let fields = [("login", login), ("password", PASSWORD)];
            page = browser
                .submit(&page, &fields, Some("button.login-submit"))
                .await?;
        } else if page.has(CONSENT_BUTTON) {
            page = browser.submit(&page, &[], None).await?;
        } else {
            return Err(format!("unexpected page ({}): {}", page.status, page.body).into());
        }
    }
    Err("the sign-in did not finish within 12 pages".into())
}

/// Answers the provider's pages in the current WebDriver window as a user would: types `login`
/// and a password in its login form, presses "Sign-in", then "Continue" on its consent page.
/// The caller waits for the window to go (a desktop login window) or the page to return.
pub async fn answer_pages(client: &fantoccini::Client, login: &str) -> Result<()> {
    let wait = Duration::from_secs(30);
    let field = crate::wait_displayed(client, "input[name=login]", wait).await?;
    crate::command("typing the login", field.send_keys(login)).await?;
    let field = crate::wait_displayed(client, "input[name=password]", wait).await?;
    crate::command("typing the password", field.send_keys(PASSWORD)).await?;
    crate::click_displayed(client, "button.login-submit", wait).await?;
    // Native clients are asked for consent on every sign-in; a web client once per grant.
    crate::click_displayed(client, CONSENT_BUTTON, wait).await
}
