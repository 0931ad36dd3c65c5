//! Headless Chromium through chromedriver, with a fresh profile, and the built page served on
//! loopback with a `config.json` that points at a test's emulator.

use std::path::Path;
use std::process::Command;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use std::time::Duration;

use crate::sign_in_pages::{answer_sign_in_pages, current, Person, Step};
use crate::{free_port, wait_until, Result, WebDriver};

/// A chromedriver session in a private profile; dropping it stops the driver and the browser.
pub struct Chromium {
    /// The WebDriver session.
    pub client: Client,
    driver_url: String,
    _driver: WebDriver,
    _profile: tempfile::TempDir,
}

impl Chromium {
    /// Starts chromedriver on a free port and opens a headless session.
    pub async fn start() -> Result<Self> {
        Self::start_with_args(&[]).await
    }

    /// As [`Chromium::start`], with more command-line flags for the browser.
    pub async fn start_with_args(extra: &[&str]) -> Result<Self> {
        let profile = tempfile::tempdir()?;
        let port = free_port()?;
        let mut command = Command::new("chromedriver");
        command.arg(format!("--port={port}"));
        let driver = WebDriver::start("chromedriver", command, port).await?;
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
        ]
        .iter()
        .chain(extra)
        .map(|a| a.to_string())
        .collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": "/usr/bin/chromium", "args": args }),
        );
        // The page's console, for `console_log`.
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::native()
            .capabilities(capabilities)
            .connect(driver.url())
            .await?;
        Ok(Self {
            client,
            driver_url: driver.url().to_owned(),
            _driver: driver,
            _profile: profile,
        })
    }

    /// The page's console messages since the last call (chromedriver's log endpoint), each as
    /// `<LEVEL> <source> <text>`.
    pub async fn console_log(&self) -> Result<Vec<String>> {
        let session = self
            .client
            .session_id()
            .await?
            .ok_or("the WebDriver session has no id")?;
        let answer: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/session/{session}/se/log", self.driver_url))
            .json(&json!({ "type": "browser" }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let entries = answer["value"]
            .as_array()
            .ok_or_else(|| format!("chromedriver's log answer has no entries: {answer}"))?;
        Ok(entries
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["level"].as_str().unwrap_or("?"),
                    e["message"].as_str().unwrap_or("")
                )
            })
            .collect())
    }

    /// Ends the session.
    pub async fn quit(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

/// Serves the page in `dist` on `listener`, with `config` as its `config.json`, each key of
/// `overrides` (a test's own settings) replacing or adding to it.
pub fn serve_page(
    listener: tokio::net::TcpListener,
    dist: &Path,
    mut config: serde_json::Value,
    overrides: &serde_json::Value,
) -> tokio::task::JoinHandle<()> {
    if let (Some(config), Some(overrides)) = (config.as_object_mut(), overrides.as_object()) {
        config.extend(overrides.clone());
    }
    let app = axum::Router::new()
        .route(
            "/config.json",
            axum::routing::get(move || async move { axum::Json(config) }),
        )
        .fallback_service(tower_http::services::ServeDir::new(dist));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    })
}

/// On the emulator's pages in `client`: whatever the flow asks of `username` (the picker, the
/// username, the password at the account's realm, "Stay signed in?" answered Yes, consent),
/// until an element matching `back`, of the app's own page, shows.
pub async fn sign_in_on_emulator_page(
    client: &Client,
    username: &str,
    password: &str,
    back: &str,
) -> Result<Vec<Step>> {
    let person = Person {
        username,
        password,
        stay_signed_in: true,
    };
    // The app's page is still there until the redirect lands: wait for the first sign-in page.
    wait_until(
        "the identity provider's first page",
        Duration::from_secs(30),
        || async move { current(client).await },
    )
    .await?;
    answer_sign_in_pages(client, person, || async move {
        client.find(Locator::Css(back)).await.is_ok()
    })
    .await
}
