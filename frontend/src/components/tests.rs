//! The components' markup, rendered natively by Yew's server-side renderer.

use shell_contract::ErrorCode;
use std::rc::Rc;

use yew::prelude::*;

use super::error_banner::ErrorBannerProps;
use super::mail_list::{MailListProps, EMPTY_MAILBOX, NEEDS_GRAPH, NO_MAILBOX};
use super::profile::ProfileViewProps;
use super::welcome_card::WelcomeCardProps;
use super::{ErrorBanner, MailList, ProfileView, WelcomeCard};
use crate::error::AppError;
use crate::graph::{MailSummary, Profile};
use crate::hooks::Mail;

fn render<C: BaseComponent>(props: C::Properties) -> String {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
        .block_on(yew::LocalServerRenderer::<C>::with_props(props).render())
}

fn mail(i: usize) -> MailSummary {
    MailSummary {
        id: format!("m{i}"),
        subject: Some(format!("Subject {i}")),
        from_name: Some(format!("Sender {i}")),
        from_address: Some(format!("sender{i}@contoso.onmicrosoft.com")),
        body_preview: Some(format!("Preview {i}")),
    }
}

fn mail_list(mail: Mail, selected: usize) -> String {
    render::<MailList>(MailListProps {
        mail,
        selected,
        on_select: Callback::noop(),
    })
}

/// The opening tag of the element with `id`.
fn tag<'a>(html: &'a str, id: &str) -> &'a str {
    let needle = format!(r#"id="{id}""#);
    let at = html
        .find(&needle)
        .unwrap_or_else(|| panic!("{id} in {html}"));
    let start = html[..at].rfind('<').expect("tag start");
    let end = at + html[at..].find('>').expect("tag end");
    &html[start..=end]
}

#[test]
fn mail_subject_with_markup_is_text() {
    let xss = MailSummary {
        subject: Some("<img src=x onerror=alert(1)>".into()),
        body_preview: Some("<script>alert(2)</script>".into()),
        from_address: Some("\"><b>x</b>".into()),
        ..mail(0)
    };
    let html = mail_list(Mail::Loaded(Rc::new(vec![xss])), 0);
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
}

#[test]
fn at_most_ten_tabs_with_the_contract_ids() {
    let mails: Vec<MailSummary> = (0..13).map(mail).collect();
    let html = mail_list(Mail::Loaded(Rc::new(mails)), 0);
    assert_eq!(html.matches(r#"role="tab""#).count(), 10, "{html}");
    assert_eq!(html.matches(r#"role="tabpanel""#).count(), 10, "{html}");
    assert!(tag(&html, "list-tab").contains(r#"role="tablist""#));
    assert!(html.contains(r#"id="nav-tabContent""#));
    for i in 0..10 {
        let tab = tag(&html, &format!("list{i}list"));
        assert!(tab.starts_with("<button"), "{tab}");
        assert!(
            tab.contains("list-group-item list-group-item-action"),
            "{tab}"
        );
        assert!(
            tab.contains(&format!(r#"aria-controls="list{i}""#)),
            "{tab}"
        );
        assert!(tab.contains("aria-selected="), "{tab}");
        let pane = tag(&html, &format!("list{i}"));
        assert!(pane.contains(r#"role="tabpanel""#), "{pane}");
        assert!(
            pane.contains(&format!(r#"aria-labelledby="list{i}list""#)),
            "{pane}"
        );
        assert!(html.contains(&format!("Subject {i}")));
        assert!(html.contains(&format!(
            "<strong>from: sender{i}@contoso.onmicrosoft.com</strong>"
        )));
        assert!(html.contains(&format!("Preview {i}")));
    }
    assert!(!html.contains("list10list"), "{html}");
    assert!(!html.contains("Subject 10"), "{html}");
    // The panes sit inside #nav-tabContent, after the tab list.
    let content = html.find(r#"id="nav-tabContent""#).expect("content");
    assert!(html.find(r#"id="list0""#).expect("pane 0") > content);
}

#[test]
fn the_selected_tab_and_pane_are_active() {
    let mails: Vec<MailSummary> = (0..3).map(mail).collect();
    let html = mail_list(Mail::Loaded(Rc::new(mails)), 1);
    let tab = tag(&html, "list1list");
    assert!(tab.contains(r#"aria-selected="true""#), "{tab}");
    assert!(tab.contains("active"), "{tab}");
    assert!(tab.contains(r#"tabindex="0""#), "{tab}");
    let other = tag(&html, "list0list");
    assert!(other.contains(r#"aria-selected="false""#), "{other}");
    assert!(other.contains(r#"tabindex="-1""#), "{other}");
    assert!(!other.contains("active"), "{other}");
    assert!(tag(&html, "list1").contains("show active"));
    assert!(!tag(&html, "list2").contains("active"));
}

#[test]
fn a_selection_past_the_end_falls_back_to_the_last_mail() {
    let mails: Vec<MailSummary> = (0..2).map(mail).collect();
    let html = mail_list(Mail::Loaded(Rc::new(mails)), 7);
    assert!(tag(&html, "list1list").contains(r#"aria-selected="true""#));
}

#[test]
fn empty_and_missing_mailboxes_are_said_so() {
    let html = mail_list(Mail::Loaded(Rc::new(Vec::new())), 0);
    assert!(html.contains(EMPTY_MAILBOX), "{html}");
    assert!(html.contains("Your mailbox is empty."), "{html}");
    assert!(!html.contains(r#"role="tab""#), "{html}");
    let html = mail_list(Mail::NoMailbox, 0);
    assert!(html.contains(NO_MAILBOX), "{html}");
    assert!(html.contains("This account has no mailbox."), "{html}");
    let html = mail_list(Mail::NeedsGraph, 0);
    assert!(html.contains(NEEDS_GRAPH), "{html}");
    assert!(
        html.contains("Mail is read through Microsoft Graph"),
        "{html}"
    );
    let html = mail_list(Mail::NotLoaded, 0);
    assert!(html.contains(r#"id="list-tab""#), "{html}");
    assert!(!html.contains("mailNote"), "{html}");
}

#[test]
fn a_mail_without_sender_or_subject_still_reads_well() {
    let bare = MailSummary {
        id: "m".into(),
        ..MailSummary::default()
    };
    let html = mail_list(Mail::Loaded(Rc::new(vec![bare])), 0);
    assert!(html.contains("(no subject)"), "{html}");
    assert!(html.contains("<strong>from: not set</strong>"), "{html}");
    assert!(
        !html.contains("undefined") && !html.contains("null"),
        "{html}"
    );
}

fn profile_html(profile: Option<Profile>) -> String {
    render::<ProfileView>(ProfileViewProps { profile })
}

#[test]
fn profile_lines_one_element_each() {
    let html = profile_html(Some(Profile {
        display_name: Some("Adele Vance".into()),
        job_title: Some("Retail Manager".into()),
        mail: Some("adele@contoso.onmicrosoft.com".into()),
        business_phones: vec!["+1 425 555 0100".into()],
        mobile_phone: Some("+1 425 555 0199".into()),
        office_location: Some("18/2111".into()),
    }));
    assert!(
        html.contains("<strong>Title: </strong>Retail Manager</p>"),
        "{html}"
    );
    assert!(
        html.contains("<strong>Mail: </strong>adele@contoso.onmicrosoft.com</p>"),
        "{html}"
    );
    assert!(
        html.contains("<strong>Phone: </strong>+1 425 555 0100</p>"),
        "{html}"
    );
    assert!(
        html.contains("<strong>Location: </strong>18/2111</p>"),
        "{html}"
    );
    assert_eq!(html.matches("<p").count(), 4, "{html}");
    assert!(!html.contains("not set"), "{html}");
}

#[test]
fn missing_profile_fields_read_not_set() {
    let html = profile_html(Some(Profile {
        mobile_phone: Some("+1 425 555 0199".into()),
        ..Profile::default()
    }));
    assert!(
        html.contains("<strong>Title: </strong>not set</p>"),
        "{html}"
    );
    assert!(
        html.contains("<strong>Mail: </strong>not set</p>"),
        "{html}"
    );
    assert!(
        html.contains("<strong>Phone: </strong>+1 425 555 0199</p>"),
        "{html}"
    );
    assert!(
        html.contains("<strong>Location: </strong>not set</p>"),
        "{html}"
    );
    assert!(
        html.contains("are not filled in for your account"),
        "{html}"
    );
    assert!(
        !html.contains("undefined") && !html.contains("null"),
        "{html}"
    );
}

#[test]
fn no_profile_yet_is_an_empty_profile_div() {
    let html = profile_html(None);
    assert!(html.contains(r#"id="profile-div""#), "{html}");
    assert!(!html.contains("Title"), "{html}");
}

fn banner(alerts: Vec<AppError>) -> String {
    render::<ErrorBanner>(ErrorBannerProps {
        alerts,
        on_close: Callback::noop(),
    })
}

#[test]
fn error_banner_is_a_dismissable_alert() {
    let html = banner(vec![AppError::new(
        ErrorCode::Server,
        "The identity platform refused the request: invalid_request (AADSTS50011: bad redirect). Correlation ID: c0ffee.",
    )]);
    let div = tag(&html, "errorBanner");
    assert!(div.contains(r#"role="alert""#), "{div}");
    assert!(div.contains("alert-danger"), "{div}");
    assert!(div.contains("alert-dismissible"), "{div}");
    assert!(html.contains("AADSTS50011"), "{html}");
    assert!(html.contains("Correlation ID: c0ffee"), "{html}");
    let close = &html[html.find("<button").expect("a close button")..];
    let close = &close[..close.find('>').expect("tag end")];
    assert!(close.contains(r#"type="button""#), "{close}");
    assert!(close.contains(r#"class="btn-close""#), "{close}");
    assert!(close.contains(r#"aria-label="Close""#), "{close}");
}

#[test]
fn throttled_errors_say_when_to_retry() {
    let html = banner(vec![AppError {
        code: ErrorCode::Throttled,
        message: "Microsoft Graph is receiving too many requests.".into(),
        retry_after: Some(42),
    }]);
    assert!(html.contains("You can try again in 42 seconds."), "{html}");
    assert!(html.contains("Too many requests."), "{html}");
}

#[test]
fn notices_are_a_warning_and_no_alerts_render_nothing() {
    let html = banner(vec![AppError::notice(
        "Your saved sign-in could not be read and was set aside; please sign in again.",
    )]);
    assert!(
        tag(&html, "errorBanner").contains("alert-warning"),
        "{html}"
    );
    assert!(html.contains("was set aside"), "{html}");
    let empty = banner(Vec::new());
    assert!(
        !empty.contains("errorBanner") && !empty.contains("<div"),
        "{empty}"
    );
}

#[test]
fn banner_text_is_never_markup() {
    let html = banner(vec![AppError::new(ErrorCode::Graph, "<b>bold</b>")]);
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{html}");
}

fn welcome(provider: Option<&str>) -> String {
    render::<WelcomeCard>(WelcomeCardProps {
        account: None,
        busy: false,
        profile: None,
        on_see_profile: Callback::noop(),
        on_read_mail: Callback::noop(),
        provider: provider.map(str::to_owned),
    })
}

#[test]
fn the_card_says_where_sign_in_goes_once_known() {
    let html = welcome(Some("Demo tenant (local emulator at localhost:4123)"));
    assert!(tag(&html, "provider").starts_with("<p"), "{html}");
    assert!(
        html.contains("Signs in with: Demo tenant (local emulator at localhost:4123)"),
        "{html}"
    );
    assert!(!welcome(None).contains("id=\"provider\""));
}
