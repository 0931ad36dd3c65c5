//! The whole page, rendered natively by Yew's server-side renderer from a given state.

use shell_contract::ErrorCode;
use std::rc::Rc;

use crate::auth_backend::{AccountView, Backend};
use crate::error::AppError;
use crate::graph::{MailSummary, Profile};
use crate::hooks::auth::AuthProviderProps;
use crate::hooks::auth::{AuthState, Busy, Session};
use crate::hooks::{AuthProvider, Mail};
use crate::pages::Home;

/// Renders the page from `state`.
pub(crate) fn render_page(state: AuthState) -> String {
    let props = AuthProviderProps {
        backend: Backend::Unavailable(AppError::new(ErrorCode::Config, "test")),
        initial: Some(Rc::new(state)),
        children: yew::html! { <Home /> },
    };
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
        .block_on(yew::LocalServerRenderer::<AuthProvider>::with_props(props).render())
}

fn adele() -> AccountView {
    AccountView {
        name: Some("Adele Vance".into()),
        username: "adele@contoso.onmicrosoft.com".into(),
        tenant_id: "tid".into(),
    }
}

fn signed_out() -> AuthState {
    AuthState {
        session: Session::SignedOut,
        busy: None,
        ..AuthState::default()
    }
}

#[test]
fn signed_out_page_has_the_navbar_header_and_sign_in_only() {
    let html = render_page(signed_out());
    assert!(html.contains("MS Identity Platform"), "{html}");
    assert!(html.contains(r#"class="navbar-brand""#), "{html}");
    assert!(html.contains(r#"id="signIn""#), "{html}");
    assert!(!html.contains(r#"id="signOut""#), "{html}");
    assert!(html.contains("SPA calling MS Graph API"), "{html}");
    assert!(html.contains(r#"id="card-div""#), "{html}");
    assert!(
        html.contains("Please sign-in to see your profile and read your mails"),
        "{html}"
    );
    assert!(!html.contains(r#"id="seeProfile""#), "{html}");
    assert!(!html.contains(r#"id="readMail""#), "{html}");
    assert!(html.contains(r#"id="list-tab""#), "{html}");
    assert!(html.contains(r#"id="nav-tabContent""#), "{html}");
    assert!(html.contains(r#"id="profile-div""#), "{html}");
    assert!(!html.contains("errorBanner"), "{html}");
    assert!(!html.contains("spinner-border"), "{html}");
}

#[test]
fn signed_in_page_greets_and_offers_profile_and_mail() {
    let state = AuthState {
        session: Session::SignedIn(adele()),
        ..signed_out()
    };
    let html = render_page(state);
    assert!(html.contains("Welcome Adele Vance"), "{html}");
    assert!(html.contains(r#"id="signOut""#), "{html}");
    assert!(!html.contains(r#"id="signIn""#), "{html}");
    assert!(html.contains(r#"id="seeProfile""#), "{html}");
    assert!(html.contains(r#"id="readMail""#), "{html}");
    assert!(!html.contains("disabled"), "{html}");
}

#[test]
fn busy_page_shows_a_spinner_and_disables_the_buttons() {
    let state = AuthState {
        session: Session::SignedIn(adele()),
        busy: Some(Busy::LoadingMail),
        ..signed_out()
    };
    let html = render_page(state);
    assert!(html.contains("spinner-border"), "{html}");
    assert!(html.contains(r#"role="status""#), "{html}");
    assert!(html.contains("Loading your mails"), "{html}");
    assert!(html.contains(r#"aria-busy="true""#), "{html}");
    for id in ["signOut", "seeProfile", "readMail"] {
        let at = html.find(&format!(r#"id="{id}""#)).expect(id);
        let tag_end = at + html[at..].find('>').expect("tag end");
        assert!(html[at..tag_end].contains("disabled"), "{id} in {html}");
    }
}

#[test]
fn starting_page_is_busy_until_the_backend_answers() {
    let html = render_page(AuthState::default());
    assert!(html.contains("spinner-border"), "{html}");
    assert!(html.contains(r#"id="signIn""#), "{html}");
}

#[test]
fn page_with_profile_mails_and_an_error() {
    let state = AuthState {
        session: Session::SignedIn(adele()),
        profile: Some(Profile {
            job_title: Some("Retail Manager".into()),
            ..Profile::default()
        }),
        mail: Mail::Loaded(Rc::new(vec![MailSummary {
            id: "m1".into(),
            subject: Some("<img src=x onerror=alert(1)>".into()),
            from_address: Some("megan@contoso.onmicrosoft.com".into()),
            body_preview: Some("Hello".into()),
            ..MailSummary::default()
        }])),
        alerts: vec![AppError::new(
            ErrorCode::Network,
            "Could not reach Microsoft Graph.",
        )],
        ..signed_out()
    };
    let html = render_page(state);
    assert!(
        html.contains("<strong>Title: </strong>Retail Manager"),
        "{html}"
    );
    assert!(html.contains("<strong>Mail: </strong>not set"), "{html}");
    assert!(html.contains(r#"id="list0list""#), "{html}");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains(r#"id="errorBanner""#), "{html}");
    assert!(html.contains("Could not reach Microsoft Graph."), "{html}");
}
