//! Browser mode signs in as Microsoft's real sign-in behaves: a federated account through its
//! AD FS origin and a personal account through the personal accounts origin, by redirect; a
//! sign-out that ends the identity platform's session and returns to the page; and, for a
//! registration without the `login_hint` claim, Entra's sign-out picker and then the sign-in
//! picker that Sign In always asks for.

use std::time::Duration;

use fantoccini::Client;
use integration_tests::chromium::Chromium;
use integration_tests::emulator::{FEDERATED_USER, PASSWORD, PERSONAL_USER, WORK_USER};
use integration_tests::sign_in_pages::{answer_sign_in_pages, Person, Step};
use integration_tests::{click_displayed, wait_text, wait_until, Result};

use crate::browser_flow::{page, page_without_login_hint};

const WAIT: Duration = Duration::from_secs(30);

/// Signs in on the emulator's pages as `person` until the page says welcome to `name`.
async fn sign_in(client: &Client, person: Person<'_>, name: &str) -> Result<Vec<Step>> {
    click_displayed(client, "#signIn", WAIT).await?;
    let welcome = format!("Welcome {name}");
    let seen = answer_sign_in_pages(client, person, || {
        let welcome = welcome.clone();
        async move {
            match client
                .find(fantoccini::Locator::Css("#welcomeMessage"))
                .await
            {
                Ok(e) => e.text().await.is_ok_and(|t| t.contains(&welcome)),
                Err(_) => false,
            }
        }
    })
    .await?;
    Ok(seen)
}

#[tokio::test]
async fn federated_and_personal_accounts_by_redirect_sign_out_and_switch() -> Result<()> {
    let page = page("sessionStorage").await?;
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let emu = &page.emu;
    let run = async {
        client.goto(&page.url).await?;
        let federated = Person {
            username: FEDERATED_USER,
            password: PASSWORD,
            stay_signed_in: false,
        };
        let seen = sign_in(client, federated, "Megan Bowen").await?;
        assert!(
            seen.contains(&Step::FederatedPassword) && seen.contains(&Step::StaySignedIn),
            "{seen:?}"
        );

        // Sign out: the end-session page signs Megan out without asking (the login_hint
        // claim) and returns to the page.
        click_displayed(client, "#signOut", WAIT).await?;
        wait_until("the end-session request", WAIT, || async move {
            let counters = emu.counters().await.ok()?;
            (counters["logout"].as_u64() == Some(1)).then_some(())
        })
        .await?;
        wait_text(client, "#welcomeMessage", "Please sign-in", WAIT).await?;

        // The session ended: no tile to pick, only the username page.
        let personal = Person {
            username: PERSONAL_USER,
            password: PASSWORD,
            stay_signed_in: true,
        };
        let seen = sign_in(client, personal, "Sam Rivera").await?;
        assert_eq!(seen.first(), Some(&Step::Username), "{seen:?}");
        assert!(seen.contains(&Step::Password), "{seen:?}");

        // Signed out again, Adele signs in: still no tile left to pick.
        click_displayed(client, "#signOut", WAIT).await?;
        wait_text(client, "#welcomeMessage", "Please sign-in", WAIT).await?;
        let work = Person {
            username: WORK_USER,
            password: PASSWORD,
            stay_signed_in: true,
        };
        let seen = sign_in(client, work, "Adele Vance").await?;
        assert_eq!(seen.first(), Some(&Step::Username), "{seen:?}");
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    browser.quit().await?;
    run
}

#[tokio::test]
async fn without_the_login_hint_claim_sign_out_asks_and_sign_in_offers_the_picker() -> Result<()> {
    let page = page_without_login_hint().await?;
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let run = async {
        client.goto(&page.url).await?;
        let work = Person {
            username: WORK_USER,
            password: PASSWORD,
            stay_signed_in: true,
        };
        sign_in(client, work, "Adele Vance").await?;
        // The end-session page asks which account to sign out of; the user closes nothing and
        // goes back to the app without picking (the browser's Back), so the session stays.
        click_displayed(client, "#signOut", WAIT).await?;
        wait_text(client, "h1", "Pick an account to sign out of", WAIT).await?;
        client.goto(&page.url).await?;
        wait_text(client, "#welcomeMessage", "Please sign-in", WAIT).await?;
        let seen = sign_in(client, work, "Adele Vance").await?;
        assert_eq!(seen, [Step::Picker], "SSO after the picker");
        // This time the user picks the account: signed out at the identity platform, and back.
        click_displayed(client, "#signOut", WAIT).await?;
        wait_text(client, "h1", "Pick an account to sign out of", WAIT).await?;
        click_displayed(client, &format!("[data-test-id=\"{WORK_USER}\"]"), WAIT).await?;
        wait_text(client, "#welcomeMessage", "Please sign-in", WAIT).await?;
        let seen = sign_in(client, work, "Adele Vance").await?;
        assert_eq!(seen.first(), Some(&Step::Username), "{seen:?}");
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    browser.quit().await?;
    run
}
