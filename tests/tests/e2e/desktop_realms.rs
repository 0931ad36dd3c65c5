//! Sign-in as Microsoft's real sign-in behaves, in the desktop app's real login window: a
//! federated account at its AD FS origin, a personal account at the personal accounts origin,
//! "Stay signed in?" answered No and Yes, a sign-out that ends the identity platform's session,
//! the account pickers of sign-out and sign-in, and an unexpected interrupt page.

use std::time::Duration;

use integration_tests::desktop::DesktopApp;
use integration_tests::emulator::{
    Emulator, CLIENT_ID, FEDERATED_USER, PASSWORD, PERSONAL_USER, WORK_USER,
};
use integration_tests::sign_in_pages::{Person, Step};
use integration_tests::wait_until;

const WAIT: Duration = Duration::from_secs(30);

fn person(username: &str, stay_signed_in: bool) -> Person<'_> {
    Person {
        username,
        password: PASSWORD,
        stay_signed_in,
    }
}

/// Sign Out, and waits until the end-session window is gone and `logouts` requests reached the
/// end-session endpoint.
async fn sign_out(app: &DesktopApp, emu: &Emulator, logouts: u64) -> integration_tests::Result<()> {
    app.click("#signOut").await?;
    // The page is signed out at once, whatever the window does.
    app.wait_for("#signIn", WAIT).await?;
    let client = &app.client;
    wait_until("the sign-out window to close", WAIT, || async {
        let counted = emu.counters().await.ok()?["logout"].as_u64().unwrap_or(0);
        let windows = client.windows().await.ok()?;
        (counted == logouts && windows.len() == 1).then_some(())
    })
    .await?;
    app.back_to_main_window().await
}

#[tokio::test]
async fn federated_and_personal_accounts_and_a_sign_out_that_ends_the_session(
) -> integration_tests::Result<()> {
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];
    let app = DesktopApp::launch(&env, None).await?;
    let run = async {
        // A federated account gives its password to AD FS, then answers No.
        app.click("#signIn").await?;
        let seen = app.sign_in_as(person(FEDERATED_USER, false)).await?;
        assert!(
            seen.contains(&Step::FederatedPassword) && seen.contains(&Step::StaySignedIn),
            "{seen:?}"
        );
        app.wait_for_text("#welcomeMessage", "Welcome Megan Bowen", WAIT)
            .await?;

        // Sign Out carries the login_hint claim, so Entra asks nothing, and the window closes
        // when the return reaches the app.
        sign_out(&app, &emu, 1).await?;

        // The identity platform's session ended: Sign In has no tile to offer, only the
        // username page. A personal account goes to its own origin, and answers Yes.
        app.click("#signIn").await?;
        let seen = app.sign_in_as(person(PERSONAL_USER, true)).await?;
        assert_eq!(seen.first(), Some(&Step::Username), "{seen:?}");
        assert!(
            seen.contains(&Step::Password) && seen.contains(&Step::StaySignedIn),
            "{seen:?}"
        );
        app.wait_for_text("#welcomeMessage", "Welcome Sam Rivera", WAIT)
            .await?;
        sign_out(&app, &emu, 2).await?;

        // An interrupt page the app never heard of, after the password.
        emu.control("interrupt", serde_json::json!({ "enabled": true }))
            .await?;
        app.click("#signIn").await?;
        let seen = app.sign_in_as(person(WORK_USER, true)).await?;
        assert!(seen.contains(&Step::Interrupt), "{seen:?}");
        app.wait_for_text("#welcomeMessage", "Welcome Adele Vance", WAIT)
            .await?;
        emu.control("interrupt", serde_json::json!({ "enabled": false }))
            .await?;

        // A Graph call that needs a sign-in (the grant was revoked) opens the login window on
        // Adele's password; the user goes Back and signs in as Sam instead. The page then names
        // Sam beside Sam's profile, never Adele beside Sam's data.
        emu.control("revoke", serde_json::json!({ "username": WORK_USER }))
            .await?;
        emu.control(
            "expire-tokens",
            serde_json::json!({ "username": WORK_USER }),
        )
        .await?;
        app.click("#seeProfile").await?;
        app.switch_to_login_window().await?;
        app.wait_for("#i0118", WAIT).await?;
        app.click("#idBtn_Back").await?;
        app.wait_for("#i0116", WAIT).await?;
        app.sign_in_as(person(PERSONAL_USER, true)).await?;
        app.wait_for_text("#profile-div", "Freelance photographer", WAIT)
            .await?;
        app.wait_for_text("#welcomeMessage", "Welcome Sam Rivera", WAIT)
            .await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run
}

#[tokio::test]
async fn without_the_login_hint_claim_sign_out_asks_and_sign_in_offers_the_picker(
) -> integration_tests::Result<()> {
    // A registration without the optional claim, as the README's Entra guide warns.
    let mut seed = identity_emulator::Seed::default_seed();
    seed.clients
        .get_mut(CLIENT_ID)
        .ok_or("no default client")?
        .optional_claims
        .clear();
    let emu = Emulator::start_with(seed).await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];
    let app = DesktopApp::launch(&env, None).await?;
    let run = async {
        app.click("#signIn").await?;
        app.sign_in_as(person(WORK_USER, true)).await?;
        app.wait_for_text("#welcomeMessage", "Welcome Adele Vance", WAIT)
            .await?;

        // Sign Out: signed out in the page at once; the window shows Entra's picker and
        // stays. The user closes it without picking, so the identity platform's session stays.
        app.click("#signOut").await?;
        app.wait_for("#signIn", WAIT).await?;
        app.switch_to_login_window().await?;
        app.wait_for_text("h1", "Pick an account to sign out of", WAIT)
            .await?;
        app.close_login_window_as_user().await?;
        app.back_to_main_window().await?;

        // Sign In offers that account on the picker; the user adds another one instead.
        app.click("#signIn").await?;
        let seen = app.sign_in_as(person(PERSONAL_USER, true)).await?;
        assert_eq!(seen[..2], [Step::Picker, Step::Username], "{seen:?}");
        app.wait_for_text("#welcomeMessage", "Welcome Sam Rivera", WAIT)
            .await?;

        // Two accounts in the identity platform's session: the user picks Sam on the
        // sign-out picker, and the window returns to the app and closes by itself.
        app.click("#signOut").await?;
        app.wait_for("#signIn", WAIT).await?;
        app.switch_to_login_window().await?;
        app.wait_for_text("h1", "Pick an account to sign out of", WAIT)
            .await?;
        app.wait_for(&format!("[data-test-id=\"{WORK_USER}\"]"), WAIT)
            .await?;
        app.click(&format!("[data-test-id=\"{PERSONAL_USER}\"]"))
            .await?;
        app.back_to_main_window().await?;

        // Adele is still signed in there: Sign In offers her tile, one click and no password.
        app.click("#signIn").await?;
        let seen = app.sign_in_as(person(WORK_USER, true)).await?;
        assert_eq!(seen, [Step::Picker], "SSO after the picker");
        app.wait_for_text("#welcomeMessage", "Welcome Adele Vance", WAIT)
            .await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run
}
