//! The real desktop app under its own Xvfb, driven through tauri-driver + WebKitWebDriver.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

use crate::secret_service::SecretService;
use crate::sign_in_pages::{answer_sign_in_pages, Person, Step};
use crate::{command, free_port, target_dir, wait_until, Result, WebDriver, Xvfb};

/// The app binary built by scripts/test.sh (`cargo build --features custom-protocol`).
pub fn app_binary() -> PathBuf {
    std::env::var_os("GRAPH_SIGNIN_APP")
        .map(Into::into)
        .unwrap_or_else(|| target_dir().join("debug/graph-signin"))
}

/// A running app with its display, driver and private folders. Dropping it stops them all.
pub struct DesktopApp {
    /// The WebDriver session, on the main window at first.
    pub client: Client,
    /// The main window's handle.
    pub main: fantoccini::wd::WindowHandle,
    /// The folder holding the app's XDG data, config and cache folders.
    pub home: tempfile::TempDir,
    _driver: WebDriver,
    _keyring: Option<SecretService>,
    xvfb: Xvfb,
}

/// Where the app may keep its token cache key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyring {
    /// A desktop session's Secret Service (GNOME Keyring), its files in the app's `home`, so a
    /// relaunch with the same `home` finds the same key.
    Session,
    /// No secret service: a session bus address that leads nowhere, as on a headless box.
    None,
}

impl DesktopApp {
    /// Launches the app with `env` added to its environment, in a desktop session with a
    /// keyring, and waits for the page's `#signIn` or `#signOut`. `home` holds its XDG folders
    /// and the keyring's (pass the same one to relaunch).
    pub async fn launch(env: &[(&str, String)], home: Option<tempfile::TempDir>) -> Result<Self> {
        Self::launch_with(env, home, Keyring::Session).await
    }

    /// As [`DesktopApp::launch`], with the given keyring.
    pub async fn launch_with(
        env: &[(&str, String)],
        home: Option<tempfile::TempDir>,
        keyring: Keyring,
    ) -> Result<Self> {
        Self::launch_app(app_binary(), env, home, keyring).await
    }

    /// As [`DesktopApp::launch_with`], for the app binary at `app` (an unpacked package's).
    pub async fn launch_app(
        app: PathBuf,
        env: &[(&str, String)],
        home: Option<tempfile::TempDir>,
        keyring: Keyring,
    ) -> Result<Self> {
        if !app.exists() {
            return Err(format!(
                "{} is missing: run scripts/test.sh, which builds it",
                app.display()
            )
            .into());
        }
        let xvfb = Xvfb::start()?;
        let home = match home {
            Some(h) => h,
            None => tempfile::tempdir()?,
        };
        let (keyring, bus) = match keyring {
            Keyring::Session => {
                let service = SecretService::start(&home.path().join("keyring"))?;
                let bus = service.address().to_owned();
                (Some(service), bus)
            }
            Keyring::None => (
                None,
                format!("unix:path={}", home.path().join("no-bus").display()),
            ),
        };
        let (port, native_port) = (free_port()?, free_port()?);
        let mut command = Command::new("tauri-driver");
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", xvfb.display())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("DBUS_SESSION_BUS_ADDRESS", bus);
        // WebKitWebDriver's screenshot leaves its session hanging when WebKit's accelerated
        // compositing is off (the app's default, see src-tauri/src/lib.rs), so screenshot runs
        // turn it on; the pixels of this static page are the same either way.
        if std::env::var_os("SCREENSHOT_DIR").is_some() {
            command.env("WEBKIT_DISABLE_COMPOSITING_MODE", "0");
        }
        for (name, value) in env {
            command.env(name, value);
        }
        let driver = WebDriver::start("tauri-driver", command, port).await?;
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("wry"));
        capabilities.insert("tauri:options".into(), json!({ "application": app }));
        // Clicks that make Rust close the login window must not wait for a page load.
        capabilities.insert("pageLoadStrategy".into(), json!("none"));
        let client = ClientBuilder::native()
            .capabilities(capabilities)
            .connect(driver.url())
            .await?;
        let main = client.window().await?;
        let this = Self {
            client,
            main,
            home,
            _driver: driver,
            _keyring: keyring,
            xvfb,
        };
        this.wait_for("#signIn, #signOut", Duration::from_secs(60))
            .await?;
        Ok(this)
    }

    /// Waits until an element matching `css` is displayed in the current window.
    pub async fn wait_for(
        &self,
        css: &str,
        timeout: Duration,
    ) -> Result<fantoccini::elements::Element> {
        crate::wait_displayed(&self.client, css, timeout).await
    }

    /// Waits until the text of `css` contains `text`, and returns the whole text.
    pub async fn wait_for_text(&self, css: &str, text: &str, timeout: Duration) -> Result<String> {
        crate::wait_text(&self.client, css, text, timeout).await
    }

    /// Clicks `css` in the current window (by script, so no page load is awaited).
    pub async fn click(&self, css: &str) -> Result<()> {
        crate::click_displayed(&self.client, css, Duration::from_secs(30)).await
    }

    /// Waits for a window other than the main one, and switches to it.
    pub async fn switch_to_login_window(&self) -> Result<()> {
        let client = &self.client;
        let main = self.main.clone();
        let login = wait_until("the login window", Duration::from_secs(30), || {
            let main = main.clone();
            async move {
                client
                    .windows()
                    .await
                    .ok()?
                    .into_iter()
                    .find(|w| *w != main)
            }
        })
        .await?;
        command(
            "a switch to the login window",
            client.switch_to_window(login),
        )
        .await
    }

    /// Waits until only the main window is left, and switches back to it.
    pub async fn back_to_main_window(&self) -> Result<()> {
        let client = &self.client;
        wait_until(
            "the login window to close",
            Duration::from_secs(30),
            || async move { (client.windows().await.ok()?.len() == 1).then_some(()) },
        )
        .await?;
        command(
            "a switch to the main window",
            client.switch_to_window(self.main.clone()),
        )
        .await
    }

    /// Sign In as the seed's work user, through the login window, until the page welcomes her.
    pub async fn sign_in_work_user(&self) -> Result<()> {
        self.click("#signIn").await?;
        self.sign_in_in_login_window(crate::emulator::WORK_USER, crate::emulator::PASSWORD)
            .await?;
        self.wait_for_text(
            "#welcomeMessage",
            "Welcome Adele Vance",
            Duration::from_secs(30),
        )
        .await
        .map(drop)
    }

    /// Read Mails, consenting to `Mail.Read` in the login window when asked, until the page
    /// shows ten mails.
    pub async fn read_mails_with_consent(&self) -> Result<()> {
        self.click("#readMail").await?;
        self.switch_to_login_window().await?;
        self.accept_consent_if_asked().await?;
        self.wait_for("#list9list", Duration::from_secs(30))
            .await
            .map(drop)
    }

    /// Signs in through the login window: username, password, "Stay signed in?" (Yes), and
    /// consent when asked.
    pub async fn sign_in_in_login_window(&self, username: &str, password: &str) -> Result<()> {
        let person = Person {
            username,
            password,
            stay_signed_in: true,
        };
        self.sign_in_as(person).await.map(drop)
    }

    /// Answers the login window's pages as `person` until the window closes; returns the pages
    /// seen.
    pub async fn sign_in_as(&self, person: Person<'_>) -> Result<Vec<Step>> {
        self.switch_to_login_window().await?;
        self.screenshot("desktop-login-window").await?;
        let client = &self.client;
        let main = self.main.clone();
        let seen = answer_sign_in_pages(client, person, || {
            let main = main.clone();
            async move {
                let windows = client.windows().await.unwrap_or_default();
                windows.len() == 1 && windows[0] == main
            }
        })
        .await?;
        self.back_to_main_window().await?;
        Ok(seen)
    }

    /// On the consent page, if it comes, presses Accept; then waits for the window to close.
    pub async fn accept_consent_if_asked(&self) -> Result<()> {
        let client = &self.client;
        let main = self.main.clone();
        // Either the window closes (no consent needed), or the consent page shows.
        let consent = wait_until(
            "the consent page or the window closing",
            Duration::from_secs(30),
            || {
                let main = main.clone();
                async move {
                    let windows = client.windows().await.ok()?;
                    if windows.len() == 1 && windows[0] == main {
                        return Some(false);
                    }
                    crate::on_consent_page(client).await.then_some(true)
                }
            },
        )
        .await?;
        if consent {
            self.click("#idSIButton9").await?;
        }
        self.back_to_main_window().await
    }

    /// Saves a PNG of the current window as `<SCREENSHOT_DIR>/<name>.png` when `SCREENSHOT_DIR`
    /// is set (how the README's pictures are made); otherwise does nothing.
    pub async fn screenshot(&self, name: &str) -> Result<()> {
        crate::screenshot(&self.client, name).await
    }

    /// The X display the app runs on.
    pub fn display(&self) -> &str {
        self.xvfb.display()
    }

    /// Closes the login window as a user would, with the window manager's close request.
    pub async fn close_login_window_as_user(&self) -> Result<()> {
        let display = self.display().to_owned();
        let closed = wait_until(
            "the login window on the display",
            Duration::from_secs(30),
            || {
                let display = display.clone();
                async move {
                    // The sign-in window, or the sign-out one.
                    let closed: usize = ["Sign in to your account", "Signing out"]
                        .iter()
                        .filter_map(|title| crate::x11::close_windows_titled(&display, title).ok())
                        .sum();
                    (closed > 0).then_some(closed)
                }
            },
        )
        .await?;
        assert!(closed > 0);
        Ok(())
    }

    /// The WebKit web processes the app has started and that still run (one per webview, and
    /// more when a webview's page moves to another site).
    pub fn web_processes(&self) -> Vec<u32> {
        crate::process_tree(self._driver.id())
            .into_iter()
            // The kernel keeps the first 15 bytes of the name.
            .filter(|pid| crate::process_name(*pid).as_deref() == Some("WebKitWebProces"))
            .collect()
    }

    /// Ends the WebDriver session (the app quits).
    pub async fn quit(self) -> Result<tempfile::TempDir> {
        command("the end of the session", self.client.close()).await?;
        Ok(self.home)
    }
}
