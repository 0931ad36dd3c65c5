//! The identity emulator on a real loopback socket, and a cookie-keeping client that walks its
//! HTML pages the way a browser would: parse the form, fill it, post it, follow redirects.

use std::sync::Arc;

use identity_emulator::{EmulatorState, Seed};
use reqwest::header::LOCATION;
use scraper::{Html, Selector};
use url::Url;

use crate::Result;

/// The default seed's app registration.
pub const CLIENT_ID: &str = "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61";
/// The default seed's work account.
pub const WORK_USER: &str = "adele@contoso.onmicrosoft.com";
/// The default seed's personal account (signs in at the personal accounts origin).
pub const PERSONAL_USER: &str = "sam.rivera@outlook.example";
/// The default seed's federated account (signs in at the AD FS origin).
pub const FEDERATED_USER: &str = "megan@fabrikam.example";
/// The seed users' password.
pub const PASSWORD: &str = "Passw0rd!";

/// A running emulator with its three origins, stopped when dropped.
pub struct Emulator {
    /// `http://localhost:<port>` (`https://` with TLS).
    pub url: String,
    /// The personal accounts sign-in origin.
    pub personal_url: String,
    /// The federated (AD FS) sign-in origin.
    pub federated_url: String,
    /// Its state, to inspect or drive directly.
    pub state: Arc<EmulatorState>,
    /// With TLS: the self-signed certificate clients must trust, PEM-encoded.
    pub certificate_pem: Option<String>,
    /// A client that trusts the emulator, for its controls.
    client: reqwest::Client,
    task: tokio::task::JoinHandle<()>,
}

/// For the README's screenshots (`SCREENSHOT_DIR` set): the seed without its HTML-injection test
/// message, so that they show ordinary mail. Other runs keep it, and check it is shown as text.
pub fn for_screenshots(seed: &mut Seed) {
    if std::env::var_os("SCREENSHOT_DIR").is_some() {
        for mailbox in seed.mailboxes.values_mut() {
            mailbox.retain(|m| !m.subject.contains("onerror"));
        }
    }
}

impl Emulator {
    /// Starts the emulator on the built-in seed, on `127.0.0.1:0`.
    pub async fn start() -> Result<Self> {
        Self::start_with(Seed::default_seed()).await
    }

    /// Starts the emulator on the built-in seed, with `page` (e.g. `http://localhost:1234/`)
    /// registered as a single-page-application redirect and post-logout URI of the app.
    pub async fn start_for_spa(page: &str) -> Result<Self> {
        Self::start_with(spa_seed(page)?).await
    }

    /// As [`Emulator::start_for_spa`], with the seed changed by `change` first.
    pub async fn start_for_spa_with(page: &str, change: impl FnOnce(&mut Seed)) -> Result<Self> {
        let mut seed = spa_seed(page)?;
        change(&mut seed);
        Self::start_with(seed).await
    }

    /// As [`Emulator::start_for_spa`], served over https with a self-signed certificate (as
    /// `identity-emulator --tls`), which Microsoft's libraries require of an authority.
    pub async fn start_tls_for_spa(page: &str) -> Result<Self> {
        Self::launch(spa_seed(page)?, true).await
    }

    /// Starts the emulator on `seed`, on `127.0.0.1:0`.
    pub async fn start_with(seed: Seed) -> Result<Self> {
        Self::launch(seed, false).await
    }

    async fn launch(seed: Seed, tls: bool) -> Result<Self> {
        let listeners = identity_emulator::Listeners::bind(0)?;
        let origins = listeners.origins(tls)?;
        let state = Arc::new(EmulatorState::new(seed, tls));
        let certificate = if tls {
            Some(identity_emulator::tls::self_signed()?)
        } else {
            None
        };
        // The test's calls to the emulator answer at once; a stuck one fails the test.
        let mut client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30));
        if let Some(certificate) = &certificate {
            client = client.add_root_certificate(reqwest::Certificate::from_pem(
                certificate.cert_pem.as_bytes(),
            )?);
        }
        let certificate_pem = certificate.as_ref().map(|c| c.cert_pem.clone());
        let served = state.clone();
        let task = tokio::spawn(async move {
            let _ = identity_emulator::serve_origins(
                served,
                listeners,
                certificate.as_ref(),
                std::future::pending(),
            )
            .await;
        });
        let url = |o: Option<String>| o.ok_or("the emulator has no such origin");
        Ok(Self {
            url: url(origins.main)?,
            personal_url: url(origins.personal)?,
            federated_url: url(origins.federated)?,
            state,
            certificate_pem,
            client: client.build()?,
            task,
        })
    }

    /// The URL of `path` on the emulator.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// `POST /_emulator/<path>` with a JSON body; returns the JSON answer (or null).
    pub async fn control(&self, path: &str, body: serde_json::Value) -> Result<serde_json::Value> {
        let response = self
            .client
            .post(self.at(&format!("/_emulator/{path}")))
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            return Err(format!("control {path} answered {status}: {text}").into());
        }
        Ok(if text.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text)?
        })
    }

    /// Every token and code the emulator has issued (`GET /_emulator/tokens`), to look for in
    /// places no secret may reach.
    pub async fn issued_secrets(&self) -> Result<Vec<String>> {
        let issued: serde_json::Value = self
            .client
            .get(self.at("/_emulator/tokens"))
            .send()
            .await?
            .json()
            .await?;
        Ok(issued["issued"]
            .as_array()
            .ok_or("the emulator lists its tokens")?
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect())
    }

    /// The request counters.
    pub async fn counters(&self) -> Result<serde_json::Value> {
        Ok(self
            .client
            .get(self.at("/_emulator/counters"))
            .send()
            .await?
            .json()
            .await?)
    }
}

/// The built-in seed with `page` registered as a single-page-application redirect URI of the
/// default app (which also makes it a valid post-logout URI).
fn spa_seed(page: &str) -> Result<Seed> {
    let mut seed = Seed::default_seed();
    let client = seed
        .clients
        .get_mut(CLIENT_ID)
        .ok_or("the seed has no default client")?;
    client
        .redirect_uris
        .push(identity_emulator::seed::RedirectUri {
            uri: page.to_owned(),
            kind: identity_emulator::seed::RedirectKind::Spa,
        });
    Ok(seed)
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One answer as a browser sees it.
#[derive(Debug)]
pub struct Page {
    /// The URL that answered.
    pub url: Url,
    /// The status.
    pub status: u16,
    /// `Location`, for redirects.
    pub location: Option<String>,
    /// Each `Set-Cookie` header, as sent.
    pub set_cookies: Vec<String>,
    /// The body.
    pub body: String,
}

impl Page {
    /// Whether an element matches `css`.
    pub fn has(&self, css: &str) -> bool {
        let selector = Selector::parse(css).expect("a valid selector");
        Html::parse_document(&self.body)
            .select(&selector)
            .next()
            .is_some()
    }

    /// The text of the first element matching `css`.
    pub fn text(&self, css: &str) -> Option<String> {
        let selector = Selector::parse(css).expect("a valid selector");
        Html::parse_document(&self.body)
            .select(&selector)
            .next()
            .map(|e| e.text().collect::<String>())
    }
}

/// A cookie-keeping client that does not follow redirects by itself, so tests see each one.
pub struct Browser {
    client: reqwest::Client,
}

impl Browser {
    /// A new browser with an empty cookie jar.
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("a reqwest client");
        Self { client }
    }

    /// `GET url`.
    pub async fn get(&self, url: &str) -> Result<Page> {
        let response = self.client.get(url).send().await?;
        read_page(response).await
    }

    /// Fills the first form on `page` with `fields` (over its hidden inputs), as if `button` (a
    /// CSS selector of a submit button, whose name/value are sent) were clicked, and posts it.
    pub async fn submit(
        &self,
        page: &Page,
        fields: &[(&str, &str)],
        button: Option<&str>,
    ) -> Result<Page> {
        let (action, form) = {
            let document = Html::parse_document(&page.body);
            let form_sel = Selector::parse("form").expect("selector");
            let form = document
                .select(&form_sel)
                .next()
                .ok_or("the page has no form")?;
            let action = page.url.join(form.value().attr("action").unwrap_or(""))?;
            let input_sel = Selector::parse("input[type=hidden]").expect("selector");
            let mut values: Vec<(String, String)> = form
                .select(&input_sel)
                .filter_map(|i| {
                    Some((
                        i.value().attr("name")?.to_owned(),
                        i.value().attr("value").unwrap_or("").to_owned(),
                    ))
                })
                .collect();
            for (name, value) in fields {
                values.retain(|(n, _)| n != name);
                values.push(((*name).to_owned(), (*value).to_owned()));
            }
            if let Some(css) = button {
                let sel = Selector::parse(css).map_err(|e| format!("bad selector {css}: {e}"))?;
                let button = form
                    .select(&sel)
                    .next()
                    .ok_or_else(|| format!("no button {css} in the form"))?;
                if let Some(name) = button.value().attr("name") {
                    values.push((
                        name.to_owned(),
                        button.value().attr("value").unwrap_or("").to_owned(),
                    ));
                }
            }
            (action, values)
        };
        let response = self.client.post(action).form(&form).send().await?;
        read_page(response).await
    }

    /// Signs in through the pages from `authorize_url`: username, then the password wherever
    /// the account's realm asks for it (the main origin, the personal accounts origin or AD FS),
    /// "Stay signed in?" (Yes), and consent if asked. Redirects and form POSTs between the
    /// emulator's origins are followed. Returns the final redirect's `Location` (on the client's
    /// redirect URI).
    pub async fn sign_in(
        &self,
        authorize_url: &str,
        username: &str,
        password: &str,
    ) -> Result<String> {
        let redirect = Url::parse(authorize_url)?
            .query_pairs()
            .find(|(k, _)| k == "redirect_uri")
            .map(|(_, v)| Url::parse(&v))
            .ok_or("the authorize URL has no redirect_uri")??;
        let page = self.get(authorize_url).await?;
        self.walk(page, &redirect, username, password).await
    }

    /// As [`Browser::sign_in`], from `page` on: for a flow already under way. `redirect` is the
    /// client's redirect URI, where the walk ends.
    pub async fn walk(
        &self,
        mut page: Page,
        redirect: &Url,
        username: &str,
        password: &str,
    ) -> Result<String> {
        for _ in 0..12 {
            if let Some(location) = &page.location {
                let next = page.url.join(location)?;
                if next.origin() == redirect.origin() {
                    return Ok(location.clone());
                }
                page = self.get(next.as_str()).await?;
                continue;
            }
            page = if page.has("form[name=hiddenform]") {
                self.submit(&page, &[], None).await?
            } else if page.has("#i0116") {
                self.submit(&page, &[("loginfmt", username)], Some("#idSIButton9"))
                    .await?
            } else if page.has("#i0118") {
                self.submit(&page, &[("passwd", password)], Some("#idSIButton9"))
                    .await?
            } else if page.has("#passwordInput") {
                let fields = [("UserName", username), ("Password", password)];
                self.submit(&page, &fields, Some("#submitButton")).await?
            } else if page.has("[data-test-id]") {
                let tile = format!("[data-test-id=\"{username}\"]");
                self.submit(&page, &[], Some(&tile)).await?
            } else if page.has("#idSIButton9") {
                self.submit(&page, &[], Some("#idSIButton9")).await?
            } else {
                return Err(format!("unexpected page ({}): {}", page.status, page.body).into());
            };
        }
        Err("the sign-in did not finish within 12 pages".into())
    }
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

async fn read_page(response: reqwest::Response) -> Result<Page> {
    let url = response.url().clone();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let set_cookies = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let body = response.text().await?;
    Ok(Page {
        url,
        status,
        location,
        set_cookies,
        body,
    })
}

/// The parameters of a redirect's query, or of its fragment when it has one.
pub fn redirect_params(location: &str) -> Result<std::collections::HashMap<String, String>> {
    let url = Url::parse(location)?;
    let pairs: Vec<(String, String)> = match url.fragment() {
        Some(fragment) => url::form_urlencoded::parse(fragment.as_bytes())
            .into_owned()
            .collect(),
        None => url.query_pairs().into_owned().collect(),
    };
    Ok(pairs.into_iter().collect())
}
