//! Sign-in across origins, as Entra does it: personal accounts give their password at the
//! personal accounts origin, a federated tenant's users at its AD FS, and everyone answers
//! "Stay signed in?". Each way back is a form POST with a signed, single-use assertion.

use integration_tests::emulator::{
    redirect_params, Browser, Emulator, Page, FEDERATED_USER, PASSWORD, PERSONAL_USER, WORK_USER,
};
use integration_tests::Result;
use serde_json::json;

use crate::fixture::{authorize_url, claims, redeem, select_account, DESKTOP_REDIRECT, VERIFIER};

const SCOPE: &str = "openid profile offline_access User.Read";

/// The username page, filled with `user` and posted.
async fn give_username(emu: &Emulator, browser: &Browser, user: &str) -> Result<Page> {
    let page = browser
        .get(&authorize_url(emu, DESKTOP_REDIRECT, SCOPE, &[]))
        .await?;
    assert!(page.has("#i0116"));
    browser
        .submit(&page, &[("loginfmt", user)], Some("#idSIButton9"))
        .await
}

/// Follows one redirect.
async fn follow(browser: &Browser, page: &Page) -> Result<Page> {
    let location = page.location.as_deref().ok_or("expected a redirect")?;
    browser.get(page.url.join(location)?.as_str()).await
}

/// Redeems the code of a final redirect and returns the ID token's claims.
async fn id_claims(emu: &Emulator, location: &str) -> Result<serde_json::Value> {
    let code = redirect_params(location)?.remove("code").ok_or("no code")?;
    let (status, body) = redeem(emu, &code, DESKTOP_REDIRECT, VERIFIER, None).await?;
    assert_eq!(status, 200, "{body}");
    Ok(claims(body["id_token"].as_str().ok_or("no id_token")?))
}

#[tokio::test]
async fn a_personal_account_gives_its_password_at_the_personal_origin_and_is_posted_back(
) -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let redirected = give_username(&emu, &browser, PERSONAL_USER).await?;
    assert_eq!(redirected.status, 302, "home realm discovery redirects");
    let password = follow(&browser, &redirected).await?;
    assert_eq!(
        password.url.origin().ascii_serialization(),
        emu.personal_url
    );
    assert!(password.has("#i0118") && password.has("#idSIButton9"));
    let wrong = browser
        .submit(&password, &[("passwd", "nope")], Some("#idSIButton9"))
        .await?;
    assert!(wrong.has("#passwordError"));
    let kmsi = browser
        .submit(&wrong, &[("passwd", PASSWORD)], Some("#idSIButton9"))
        .await?;
    assert_eq!(kmsi.text("h1").as_deref(), Some("Stay signed in?"));
    assert_eq!(kmsi.url.origin().ascii_serialization(), emu.personal_url);
    assert!(kmsi.has("#KmsiCheckboxField") && kmsi.has("#idBtn_Back"));
    let back = browser.submit(&kmsi, &[], Some("#idSIButton9")).await?;
    assert!(back.has("form[name=hiddenform]"), "a form POST, not a URL");
    assert!(
        back.set_cookies
            .iter()
            .any(|c| c.starts_with("MSPAuth=") && c.contains("Max-Age")),
        "Yes keeps the personal origin's cookie: {:?}",
        back.set_cookies
    );
    // The form goes back to the main origin, which finishes (consent, then the redirect).
    let consent = browser.submit(&back, &[], None).await?;
    assert_eq!(consent.url.origin().ascii_serialization(), emu.url);
    let done = browser.submit(&consent, &[], Some("#idSIButton9")).await?;
    let claims = id_claims(&emu, done.location.as_deref().ok_or("no redirect")?).await?;
    assert_eq!(claims["preferred_username"], PERSONAL_USER);

    // The assertion is single-use: posting the same form again gets the expired page.
    let replay = browser.submit(&back, &[], None).await?;
    assert_eq!(replay.status, 400);
    assert!(replay
        .text("#errorCode")
        .unwrap_or_default()
        .contains("AADSTS90014"));
    Ok(())
}

#[tokio::test]
async fn the_main_origin_never_takes_a_personal_accounts_password() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let page = browser
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            SCOPE,
            &[("login_hint", WORK_USER)],
        ))
        .await?;
    // A password form of the main origin, posted for the personal account instead.
    let answer = browser
        .submit(
            &page,
            &[("loginfmt", PERSONAL_USER), ("passwd", PASSWORD)],
            Some("#idSIButton9"),
        )
        .await?;
    assert_eq!(answer.status, 302);
    let location = answer.location.unwrap_or_default();
    assert!(location.starts_with(&emu.personal_url), "{location}");
    Ok(())
}

#[tokio::test]
async fn a_forged_or_foreign_assertion_is_refused() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let redirected = give_username(&emu, &browser, PERSONAL_USER).await?;
    let ctx = redirect_params(redirected.location.as_deref().unwrap())?
        .remove("ctx")
        .ok_or("no ctx")?;
    let forged = format!("{}.{}.sig", "eyJhbGciOiJub25lIn0", "e30");
    let answer = reqwest::Client::new()
        .post(emu.at("/consumers/federation/oauth2msa"))
        .form(&[("ctx", ctx.as_str()), ("t", forged.as_str())])
        .send()
        .await?;
    assert_eq!(answer.status(), 400);
    Ok(())
}

#[tokio::test]
async fn a_federated_account_signs_in_at_ad_fs_then_stays_signed_in_or_not() -> Result<()> {
    let emu = Emulator::start().await?;
    for (answer, persistent) in [("#idBtn_Back", false), ("#idSIButton9", true)] {
        let browser = Browser::new();
        let redirected = give_username(&emu, &browser, FEDERATED_USER).await?;
        let adfs = follow(&browser, &redirected).await?;
        assert_eq!(adfs.url.origin().ascii_serialization(), emu.federated_url);
        assert!(
            adfs.has("#userNameInput") && adfs.has("#passwordInput") && adfs.has("#submitButton")
        );
        let wrong = browser
            .submit(
                &adfs,
                &[("UserName", FEDERATED_USER), ("Password", "nope")],
                Some("#submitButton"),
            )
            .await?;
        assert!(wrong.has("#errorText"));
        let back = browser
            .submit(
                &wrong,
                &[("UserName", FEDERATED_USER), ("Password", PASSWORD)],
                Some("#submitButton"),
            )
            .await?;
        assert!(back.has("form[name=hiddenform] input[name=wresult]"));
        let kmsi = browser.submit(&back, &[], None).await?;
        assert_eq!(kmsi.url.origin().ascii_serialization(), emu.url);
        assert_eq!(kmsi.text("h1").as_deref(), Some("Stay signed in?"));
        let mut page = browser.submit(&kmsi, &[], Some(answer)).await?;
        if page.location.is_none() {
            page = browser.submit(&page, &[], Some("#idSIButton9")).await?; // consent
        }
        let session = page
            .set_cookies
            .iter()
            .find(|c| c.starts_with("ESTSAUTH="))
            .ok_or("no session cookie")?;
        assert_eq!(
            session.contains("Max-Age"),
            persistent,
            "{answer}: {session}"
        );
        let claims = id_claims(&emu, page.location.as_deref().ok_or("no redirect")?).await?;
        assert_eq!(claims["name"], "Megan Bowen");
    }
    Ok(())
}

#[tokio::test]
async fn the_interrupt_page_comes_after_the_password_and_next_continues() -> Result<()> {
    let emu = Emulator::start().await?;
    emu.control("interrupt", json!({ "enabled": true })).await?;
    let browser = Browser::new();
    let password = give_username(&emu, &browser, WORK_USER).await?;
    let interrupt = browser
        .submit(&password, &[("passwd", PASSWORD)], Some("#idSIButton9"))
        .await?;
    assert_eq!(
        interrupt.text("h1").as_deref(),
        Some("More information required")
    );
    let kmsi = browser
        .submit(&interrupt, &[], Some("#idSubmit_ProofUp_Redirect"))
        .await?;
    assert_eq!(kmsi.text("h1").as_deref(), Some("Stay signed in?"));
    emu.control("interrupt", json!({ "enabled": false }))
        .await?;
    Ok(())
}

#[tokio::test]
async fn select_account_shows_the_picker_even_for_one_session_and_sso_skips_stay_signed_in(
) -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    browser
        .sign_in(
            &authorize_url(&emu, DESKTOP_REDIRECT, SCOPE, &[]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    let picker = select_account(&emu, &browser, SCOPE).await?;
    assert!(picker.has(&format!("[data-test-id=\"{WORK_USER}\"]")));
    assert!(picker.has("#otherTile"), "Use another account");
    let tile = format!("[data-test-id=\"{WORK_USER}\"]");
    let done = browser.submit(&picker, &[], Some(&tile)).await?;
    assert_eq!(
        done.status, 302,
        "no password and no \"Stay signed in?\" with SSO"
    );
    // "Use another account" asks for a username.
    let picker = select_account(&emu, &browser, SCOPE).await?;
    let other = browser.submit(&picker, &[], Some("#otherTile")).await?;
    assert!(other.has("#i0116"));
    Ok(())
}
