//! The main window's page runs in JavaScriptCore's interpreters, without its JIT compilers; the
//! login window keeps them for the identity provider's pages (src-tauri/src/interpreted_page.rs).
//!
//! What the test observes is the JIT itself: JavaScriptCore with its JIT reserves its pool of
//! executable memory as its process starts, an anonymous mapping both writable and executable
//! (1 GiB of address space on x86-64). A web process without the JIT has no such mapping.

use std::time::Duration;

use integration_tests::desktop::DesktopApp;
use integration_tests::wait_until;

const WAIT: Duration = Duration::from_secs(30);

/// Whether `pid` holds an anonymous mapping that is writable and executable: JavaScriptCore's
/// JIT pool. `None` once the process has gone.
fn jit_pool(pid: u32) -> Option<bool> {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).ok()?;
    Some(maps.lines().any(|line| {
        let mut fields = line.split_whitespace();
        let permissions = fields.nth(1).unwrap_or_default();
        // Then the offset, device and inode, and the path if the mapping has one.
        permissions.starts_with("rwx") && fields.nth(2).is_some() && fields.next().is_none()
    }))
}

#[tokio::test]
async fn the_main_window_runs_without_the_jit_and_the_login_window_with_it(
) -> integration_tests::Result<()> {
    // With no configuration the app signs in to its demo tenant.
    let app = DesktopApp::launch(&[], None).await?;
    let run = async {
        let main = app.web_processes();
        assert!(!main.is_empty(), "the main window has no web process");
        for pid in &main {
            assert_eq!(jit_pool(*pid), Some(false), "web process {pid} has a JIT");
        }

        app.click("#signIn").await?;
        app.switch_to_login_window().await?;
        wait_until(
            "a web process of the login window's with a JIT",
            WAIT,
            || async {
                app.web_processes()
                    .into_iter()
                    .find(|pid| !main.contains(pid) && jit_pool(*pid) == Some(true))
            },
        )
        .await?;

        // The page still does its work: sign-in, the profile, the mails.
        app.sign_in_in_login_window(
            integration_tests::emulator::WORK_USER,
            integration_tests::emulator::PASSWORD,
        )
        .await?;
        app.wait_for_text("#welcomeMessage", "Welcome Adele Vance", WAIT)
            .await?;
        app.read_mails_with_consent().await?;
        // Once the login window has closed, the app's web processes are the main window's again,
        // all without a JIT.
        let left = wait_until("the login window's web processes to end", WAIT, || async {
            let left = app.web_processes();
            left.iter()
                .all(|pid| jit_pool(*pid) == Some(false))
                .then_some(left)
        })
        .await?;
        assert!(
            main.iter().all(|pid| left.contains(pid)),
            "{main:?} {left:?}"
        );
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run
}
