//! The desktop product against the emulator: sign in in the real login window, see the
//! profile and the mails, and come back signed in after a restart.

use std::time::Duration;

use integration_tests::desktop::DesktopApp;
use integration_tests::emulator::{Emulator, PASSWORD, PERSONAL_USER, WORK_USER};
use integration_tests::wait_until;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn sign_in_profile_mails_and_restart() -> integration_tests::Result<()> {
    let mut seed = identity_emulator::Seed::default_seed();
    integration_tests::emulator::for_screenshots(&mut seed);
    let emu = Emulator::start_with(seed).await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];
    let app = DesktopApp::launch(&env, None).await?;
    let run = async {
        // 1-2. Sign in in the login window; it closes by itself and the page says welcome.
        app.sign_in_work_user().await?;
        // 3. See Profile shows the seed's fields.
        app.click("#seeProfile").await?;
        let profile = app
            .wait_for_text("#profile-div", "Retail Manager", WAIT)
            .await?;
        for line in [
            "Title: Retail Manager",
            "Mail: adele@contoso.onmicrosoft.com",
            "Phone: +1 425 555 0100",
            "Location: 18/2111",
        ] {
            assert!(profile.contains(line), "{line:?} in {profile:?}");
        }
        // A claims challenge (CAE) on Graph: the shell signs in again in the login window with
        // the claims (the SSO session completes it), and See Profile then succeeds.
        emu.control(
            "claims-challenge",
            serde_json::json!({ "username": WORK_USER }),
        )
        .await?;
        let count = |c: &serde_json::Value, k: &str| c[k].as_u64().unwrap_or(0);
        let before = emu.counters().await?;
        app.click("#seeProfile").await?;
        let after = wait_until("a new sign-in for the claims", WAIT, || async {
            let now = emu.counters().await.ok()?;
            (count(&now, "token.authorization_code") > count(&before, "token.authorization_code"))
                .then_some(now)
        })
        .await?;
        assert_eq!(count(&after, "authorize"), count(&before, "authorize") + 1);
        app.wait_for("#seeProfile:not([disabled])", WAIT).await?;
        let banner = app
            .client
            .find(fantoccini::Locator::Css("#errorBanner"))
            .await;
        assert!(banner.is_err(), "no error after the claims challenge");
        app.wait_for_text("#profile-div", "Retail Manager", WAIT)
            .await?;
        // 4. Read Mails asks for Mail.Read consent once, then shows 10 subjects.
        app.click("#readMail").await?;
        // While the login window waits for the user, the main window's spinner says so
        // (the shell's progress events).
        app.wait_for_text("#busy", "Continue in the login window", WAIT)
            .await?;
        app.switch_to_login_window().await?;
        app.accept_consent_if_asked().await?;
        app.wait_for("#list9list", WAIT).await?;
        let tabs = app
            .client
            .find_all(fantoccini::Locator::Css("#list-tab [role=tab]"))
            .await?;
        assert_eq!(tabs.len(), 10);
        // Tab 3 opens its pane, with the sender and the preview (the seed's third mail).
        let seed = &emu.state.seed;
        let oid = &seed.user_by_name(WORK_USER).ok_or("no seed user")?.oid;
        let third = &seed.mailboxes[oid][2];
        app.click("#list2list").await?;
        let pane = app
            .wait_for_text("#list2", &format!("from: {}", third.from_address), WAIT)
            .await?;
        let preview: String = third.body.chars().take(30).collect();
        assert!(pane.contains(&preview), "{preview:?} in {pane}");
        let selected = app
            .client
            .find(fantoccini::Locator::Css("#list2list"))
            .await?
            .attr("aria-selected")
            .await?;
        assert_eq!(selected.as_deref(), Some("true"));
        app.screenshot("desktop-signed-in").await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    let home = app.quit().await?;
    run?;
    // 5. Quit and relaunch: still signed in, and See Profile works without a login window.
    let app = DesktopApp::launch(&env, Some(home)).await?;
    let run = async {
        app.wait_for_text("#welcomeMessage", "Welcome Adele Vance", WAIT)
            .await?;
        app.click("#seeProfile").await?;
        app.wait_for_text("#profile-div", "Retail Manager", WAIT)
            .await?;
        assert_eq!(
            app.client.windows().await?.len(),
            1,
            "no login window after a restart"
        );
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    let home = app.quit().await?;
    run?;
    // The store file is private and holds no token in clear text outside the cache entry.
    let mode = |p: &std::path::Path| -> std::io::Result<u32> {
        Ok(std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p)?.permissions()) & 0o777)
    };
    let folder = home.path().join("data/dev.graphsignin.desktop");
    assert_eq!(mode(&folder.join("tokens.json"))?, 0o600);
    // From a fresh HOME, the app's folder is private whoever writes first: WebKit keeps the
    // identity platform's session cookie there, and the log names the user.
    assert_eq!(mode(&folder)?, 0o700, "the app data folder");
    assert_eq!(mode(&folder.join("logs"))?, 0o700, "the log folder");
    let logs: Vec<_> = std::fs::read_dir(folder.join("logs"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    assert!(!logs.is_empty(), "a log file");
    for log in &logs {
        assert_eq!(mode(log)?, 0o600, "{}", log.display());
    }
    Ok(())
}

#[tokio::test]
async fn a_personal_account_signs_in_and_sees_its_profile() -> integration_tests::Result<()> {
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];
    let app = DesktopApp::launch(&env, None).await?;
    let run = async {
        app.click("#signIn").await?;
        app.sign_in_in_login_window(PERSONAL_USER, PASSWORD).await?;
        app.wait_for_text("#welcomeMessage", "Welcome Sam Rivera", WAIT)
            .await?;
        app.click("#seeProfile").await?;
        let profile = app
            .wait_for_text("#profile-div", "Freelance photographer", WAIT)
            .await?;
        for line in [
            "Mail: sam.rivera@outlook.example",
            "Phone: +44 20 7946 0958",
            "Location: Home office, London",
        ] {
            assert!(profile.contains(line), "{line:?} in {profile:?}");
        }
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run
}

/// A Graph call's answer holds only data, and the sign-in that may have happened inside it
/// (consent, a claims challenge) can be another account's: the page asks the shell for the
/// account before it shows the data, so that one user's profile never stands beside another's
/// name. Here the shell signs in as another user behind the page's back (a `sign_in` request
/// the page did not make), as a sign-in inside a Graph call would.
#[tokio::test]
async fn a_profile_is_shown_beside_the_account_that_got_it() -> integration_tests::Result<()> {
    let emu = Emulator::start().await?;
    let env = [("GRAPH_SIGNIN_AUTHORITY", format!("{}/common", emu.url))];
    let app = DesktopApp::launch(&env, None).await?;
    let run = async {
        app.sign_in_work_user().await?;
        app.wait_for_text("#welcomeMessage", "Welcome Adele Vance", WAIT)
            .await?;
        app.client
            .execute(
                "window.__TAURI_INTERNALS__.invoke('sign_in').then(a => window.__other = a.username)",
                vec![],
            )
            .await?;
        app.sign_in_in_login_window(PERSONAL_USER, PASSWORD).await?;
        wait_until("the other sign-in's answer", WAIT, || async {
            let other = app.client.execute("return window.__other", vec![]).await.ok()?;
            (other == PERSONAL_USER).then_some(())
        })
        .await?;
        // The page still greets the first user; See Profile brings the second one's profile.
        let welcome = app.wait_for_text("#welcomeMessage", "Welcome", WAIT).await?;
        assert!(welcome.contains("Adele Vance"), "{welcome}");
        app.click("#seeProfile").await?;
        app.wait_for_text("#profile-div", "Freelance photographer", WAIT)
            .await?;
        let welcome = app.wait_for_text("#welcomeMessage", "Welcome", WAIT).await?;
        assert!(welcome.contains("Sam Rivera"), "{welcome}");
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run
}
