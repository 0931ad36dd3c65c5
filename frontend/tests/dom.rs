//! The page's components in a real DOM, in headless Chromium (wasm-bindgen-test): what the
//! native server-side-rendering tests cannot see. Clicks and keys go through the browser's
//! own events, the mail tabs switch by Yew state, mail text stays text, and the banner closes.
//!
//! `scripts/test.sh` runs it: `cargo test -p frontend --target wasm32-unknown-unknown --test dom`.
#![cfg(target_arch = "wasm32")]

use shell_contract::ErrorCode;
use std::rc::Rc;
use std::time::Duration;

use frontend::auth_backend::{AccountView, Backend};
use frontend::error::AppError;
use frontend::graph::MailSummary;
use frontend::hooks::auth::{AuthProviderProps, AuthState, Session};
use frontend::hooks::{AuthProvider, Mail};
use frontend::pages::Home;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const XSS: &str = "<img src=x onerror=alert(1)>";

/// Renders the page from `state` into a fresh element of the document.
fn render(state: AuthState) -> (Element, yew::AppHandle<AuthProvider>) {
    let document = gloo_document();
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    let props = AuthProviderProps {
        backend: Backend::Unavailable(AppError::new(ErrorCode::Config, "test")),
        initial: Some(Rc::new(state)),
        children: yew::html! { <Home /> },
    };
    let handle = yew::Renderer::<AuthProvider>::with_root_and_props(root.clone(), props).render();
    (root, handle)
}

fn gloo_document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Waits until `check` holds, for at most five seconds (Yew renders asynchronously).
async fn wait_until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..500 {
        if check() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

fn find(root: &Element, css: &str) -> Option<Element> {
    root.query_selector(css).expect("a valid selector")
}

fn text(root: &Element, css: &str) -> String {
    find(root, css)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn mails(n: usize) -> Vec<MailSummary> {
    (0..n)
        .map(|i| MailSummary {
            id: format!("m{i}"),
            subject: Some(if i == 0 {
                XSS.to_owned()
            } else {
                format!("Mail {i}")
            }),
            from_name: None,
            from_address: Some(format!("sender{i}@contoso.example")),
            body_preview: Some(if i == 0 {
                "<b>not bold</b>".to_owned()
            } else {
                format!("Preview {i}")
            }),
        })
        .collect()
}

fn signed_in(mail: Mail) -> AuthState {
    AuthState {
        session: Session::SignedIn(AccountView {
            name: Some("Adele Vance".to_owned()),
            username: "adele@contoso.onmicrosoft.com".to_owned(),
            tenant_id: "t".to_owned(),
        }),
        busy: None,
        mail,
        ..AuthState::default()
    }
}

#[wasm_bindgen_test]
async fn mail_tabs_switch_by_click_and_keyboard_and_mail_text_stays_text() {
    let (root, handle) = render(signed_in(Mail::Loaded(Rc::new(mails(12)))));
    wait_until("the mail tabs", || find(&root, "#list9list").is_some()).await;

    // At most 10 tabs, though 12 mails were given.
    let tabs = root
        .query_selector_all("#list-tab [role=tab]")
        .expect("tabs");
    assert_eq!(tabs.length(), 10);
    assert!(find(&root, "#list10list").is_none());

    // The XSS subject and preview are characters, not markup.
    assert_eq!(text(&root, "#list0list"), XSS);
    assert!(text(&root, "#list0").contains("<b>not bold</b>"));
    assert!(
        find(&root, "img").is_none(),
        "no element came from mail text"
    );
    assert!(find(&root, "#list0 b").is_none());

    // A click on tab 3 shows its pane and hides the first.
    let tab3: HtmlElement = find(&root, "#list2list").expect("tab 3").unchecked_into();
    tab3.click();
    wait_until("tab 3 selected", || {
        find(&root, "#list2list").and_then(|t| t.get_attribute("aria-selected"))
            == Some("true".to_owned())
    })
    .await;
    let pane = find(&root, "#list2").expect("pane 3");
    assert!(pane.class_list().contains("active") && pane.class_list().contains("show"));
    assert!(text(&root, "#list2").contains("from: sender2@contoso.example"));
    assert!(text(&root, "#list2").contains("Preview 2"));
    assert!(!find(&root, "#list0")
        .expect("pane 1")
        .class_list()
        .contains("active"));

    // ArrowDown on the selected tab moves the selection and the focus to the next one.
    let init = KeyboardEventInit::new();
    init.set_key("ArrowDown");
    init.set_bubbles(true);
    let key = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("an event");
    tab3.dispatch_event(&key).expect("dispatched");
    wait_until("tab 4 selected", || {
        find(&root, "#list3list").and_then(|t| t.get_attribute("aria-selected"))
            == Some("true".to_owned())
    })
    .await;
    let focused = gloo_document().active_element().map(|e| e.id());
    assert_eq!(focused.as_deref(), Some("list3list"));
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_banner_shows_the_retry_time_and_closes() {
    let mut state = signed_in(Mail::NotLoaded);
    state.alerts.push(AppError {
        code: ErrorCode::Throttled,
        message: "Microsoft Graph is busy.".to_owned(),
        retry_after: Some(5),
    });
    let (root, handle) = render(state);
    wait_until("the banner", || find(&root, "#errorBanner").is_some()).await;
    let banner = text(&root, "#errorBanner");
    assert!(banner.contains("Microsoft Graph is busy."), "{banner}");
    assert!(
        banner.contains("You can try again in 5 seconds."),
        "{banner}"
    );
    assert_eq!(
        find(&root, "#errorBanner")
            .and_then(|b| b.get_attribute("role"))
            .as_deref(),
        Some("alert")
    );

    let close: HtmlElement = find(&root, "#errorBanner .btn-close")
        .expect("a close button")
        .unchecked_into();
    close.click();
    wait_until("the banner to close", || {
        find(&root, "#errorBanner").is_none()
    })
    .await;
    // The rest of the page is still there.
    assert!(text(&root, "#welcomeMessage").contains("Welcome Adele Vance"));
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn an_empty_mailbox_and_a_missing_one_say_so() {
    let (root, handle) = render(signed_in(Mail::Loaded(Rc::new(Vec::new()))));
    wait_until("the note", || find(&root, "#mailNote").is_some()).await;
    let empty = text(&root, "#mailNote");
    handle.destroy();
    root.remove();

    let (root, handle) = render(signed_in(Mail::NoMailbox));
    wait_until("the note", || find(&root, "#mailNote").is_some()).await;
    let missing = text(&root, "#mailNote");
    assert_ne!(empty, missing);
    assert!(!empty.is_empty() && !missing.is_empty());
    assert!(find(&root, "#list-tab [role=tab]").is_none());
    handle.destroy();
    root.remove();
}
