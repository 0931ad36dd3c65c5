//! The identity provider's pages answered as a person would, in a real browser window: the
//! account picker, the username, the password wherever the account's realm asks for it (the
//! main origin, the personal accounts origin, or AD FS), an interrupt page, "Stay signed in?",
//! and consent. Element ids are those of Microsoft's and AD FS's own pages.

use std::future::Future;
use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::{command, on_consent_page, wait_until, Result};

/// Who signs in, and how they answer "Stay signed in?".
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    /// The username.
    pub username: &'a str,
    /// The password.
    pub password: &'a str,
    /// Yes (`#idSIButton9`) or No (`#idBtn_Back`) on "Stay signed in?".
    pub stay_signed_in: bool,
}

/// A page of the sign-in flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The account picker (tiles with `data-test-id`).
    Picker,
    /// The username page (`#i0116`).
    Username,
    /// A password page of Microsoft's (`#i0118`), on the main or the personal accounts origin.
    Password,
    /// AD FS's page (`#passwordInput`).
    FederatedPassword,
    /// "More information required" (`#idSubmit_ProofUp_Redirect`).
    Interrupt,
    /// "Stay signed in?" (`#KmsiCheckboxField`).
    StaySignedIn,
    /// "Permissions requested".
    Consent,
}

const WAIT: Duration = Duration::from_secs(30);

async fn shown(client: &Client, css: &str) -> bool {
    match client.find(Locator::Css(css)).await {
        Ok(element) => element.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

/// The page the client's current window shows, if it is one of the flow's.
pub async fn current(client: &Client) -> Option<Step> {
    for (css, step) in [
        ("#KmsiCheckboxField", Step::StaySignedIn),
        ("#idSubmit_ProofUp_Redirect", Step::Interrupt),
        ("#passwordInput", Step::FederatedPassword),
        ("#i0118", Step::Password),
        ("#i0116", Step::Username),
        ("[data-test-id]", Step::Picker),
    ] {
        if shown(client, css).await {
            return Some(step);
        }
    }
    on_consent_page(client).await.then_some(Step::Consent)
}

/// Answers each page of the flow once, in whatever order they come, until `done` says the flow
/// is over (the app's page is back, or the login window closed). Returns the pages seen.
pub async fn answer_sign_in_pages<F, Fut>(
    client: &Client,
    person: Person<'_>,
    mut done: F,
) -> Result<Vec<Step>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let mut seen: Vec<Step> = Vec::new();
    loop {
        let next = wait_until(
            &format!("a sign-in page or the end of the flow (after {seen:?})"),
            WAIT,
            || {
                let seen = &seen;
                let finished = done();
                async move {
                    if finished.await {
                        return Some(None);
                    }
                    current(client)
                        .await
                        .filter(|step| !seen.contains(step))
                        .map(Some)
                }
            },
        )
        .await?;
        let Some(step) = next else {
            return Ok(seen);
        };
        answer(client, step, person).await?;
        seen.push(step);
    }
}

async fn answer(client: &Client, step: Step, person: Person<'_>) -> Result<()> {
    let click = |css: String| async move {
        let element = command(&format!("finding {css}"), client.find(Locator::Css(&css))).await?;
        command(&format!("a click on {css}"), element.click()).await
    };
    let type_in = |css: &'static str, text: &str| {
        let text = text.to_owned();
        async move {
            let element =
                command(&format!("finding {css}"), client.find(Locator::Css(css))).await?;
            command(&format!("typing in {css}"), element.send_keys(&text)).await
        }
    };
    match step {
        Step::Picker => {
            let tile = format!("[data-test-id=\"{}\"]", person.username);
            let found = command("finding a tile", client.find_all(Locator::Css(&tile))).await?;
            if found.is_empty() {
                click("#otherTile".into()).await?;
            } else {
                click(tile).await?;
            }
        }
        Step::Username => {
            type_in("#i0116", person.username).await?;
            click("#idSIButton9".into()).await?;
        }
        Step::Password => {
            type_in("#i0118", person.password).await?;
            click("#idSIButton9".into()).await?;
        }
        Step::FederatedPassword => {
            type_in("#passwordInput", person.password).await?;
            click("#submitButton".into()).await?;
        }
        Step::Interrupt => click("#idSubmit_ProofUp_Redirect".into()).await?,
        Step::StaySignedIn => {
            let button = if person.stay_signed_in {
                "#idSIButton9"
            } else {
                "#idBtn_Back"
            };
            click(button.into()).await?;
        }
        Step::Consent => click("#idSIButton9".into()).await?,
    }
    Ok(())
}
