//! The trunk-built page renders in headless Chromium: chromedriver.

use std::time::Duration;

use fantoccini::Locator;
use integration_tests::chromium::Chromium;
use integration_tests::{serve_dir, wait_displayed, workspace_root};

#[tokio::test]
async fn browser_page_shows_sign_in() -> integration_tests::Result<()> {
    let dist = workspace_root().join("frontend/dist-browser");
    assert!(
        dist.join("index.html").exists(),
        "{} is missing: run scripts/test.sh, which builds it with trunk",
        dist.display()
    );
    let site = serve_dir(&dist).await?;
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let found = async {
        client.goto(&format!("{}/", site.url())).await?;
        let button = wait_displayed(client, "#signIn", Duration::from_secs(30))
            .await
            .map_err(|e| format!("#signIn did not appear within 30 s: {e}"))?;
        let brand = client
            .find(Locator::Css(".navbar-brand"))
            .await?
            .text()
            .await?;
        // The shipped config.json: the emulator that scripts/run.sh --browser starts.
        integration_tests::wait_text(
            client,
            "#provider",
            "Signs in with: Demo tenant (local emulator at localhost:4123)",
            Duration::from_secs(10),
        )
        .await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((button.text().await?, brand))
    }
    .await;
    browser.quit().await?;
    let (button, brand) = found?;
    assert_eq!(button, "Sign In");
    assert_eq!(brand, "MS Identity Platform");
    Ok(())
}

/// The built page carries the desktop window's CSP (frontend/csp.mjs): its own loader runs, an
/// injected inline script does not. The sign-in tests show that the policy lets the page reach
/// the identity platform and Graph.
#[tokio::test]
async fn the_page_runs_under_the_desktop_windows_csp() -> integration_tests::Result<()> {
    let dist = workspace_root().join("frontend/dist-browser");
    let site = serve_dir(&dist).await?;
    let browser = Chromium::start().await?;
    let client = &browser.client;
    let checked = async {
        client.goto(&format!("{}/", site.url())).await?;
        wait_displayed(client, "#signIn", Duration::from_secs(30)).await?;
        let policy = client
            .execute(
                "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')?.content ?? null",
                vec![],
            )
            .await?;
        let injected = client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   let violated = null;
                   document.addEventListener('securitypolicyviolation',
                     e => { violated = e.violatedDirective; }, { once: true });
                   const s = document.createElement('script');
                   s.textContent = 'window.__injected = true;';
                   document.head.append(s);
                   setTimeout(() => done({ ran: window.__injected === true, violated }), 200);"#,
                vec![],
            )
            .await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((policy, injected))
    }
    .await;
    browser.quit().await?;
    let (policy, injected) = checked?;
    let policy = policy.as_str().unwrap_or_default().to_owned();
    for directive in ["default-src 'self'", "object-src 'none'", "base-uri 'self'"] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    assert!(policy.contains("'sha256-"), "the loader's hash: {policy}");
    assert_eq!(injected["ran"], false, "an injected inline script ran");
    assert_eq!(injected["violated"], "script-src-elem", "{injected}");
    Ok(())
}
