//! The mails: a list-group of subjects (`#list-tab`, WAI-ARIA tabs) and their panes
//! (`#nav-tabContent`). Tab `i` is `#list{i}list`, its pane `#list{i}`. Tabs switch by Yew
//! state; arrow keys, Home and End move between them.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::graph::{MailSummary, MAX_MAILS};
use crate::hooks::Mail;

/// Shown when the mailbox holds no mail.
pub const EMPTY_MAILBOX: &str = "Your mailbox is empty.";
/// Shown when Graph says the account has no mailbox.
pub const NO_MAILBOX: &str = "This account has no mailbox.";
/// Shown when the app signs in to an OpenID provider other than Microsoft's.
pub const NEEDS_GRAPH: &str = "Mail is read through Microsoft Graph, which this sign-in \
                               (another OpenID provider) does not reach.";

/// [`MailList`]'s properties.
#[derive(Properties, Clone, PartialEq)]
pub struct MailListProps {
    /// The mails' state.
    pub mail: Mail,
    /// The selected tab.
    pub selected: usize,
    /// A tab was chosen.
    pub on_select: Callback<usize>,
}

/// Two columns: the subjects and the selected mail.
#[function_component]
pub fn MailList(props: &MailListProps) -> Html {
    let (mails, note): (Rc<Vec<MailSummary>>, Option<&str>) = match &props.mail {
        Mail::NotLoaded => (Rc::default(), None),
        Mail::NoMailbox => (Rc::default(), Some(NO_MAILBOX)),
        Mail::NeedsGraph => (Rc::default(), Some(NEEDS_GRAPH)),
        Mail::Loaded(m) if m.is_empty() => (m.clone(), Some(EMPTY_MAILBOX)),
        Mail::Loaded(m) => (m.clone(), None),
    };
    let count = mails.len().min(MAX_MAILS);
    let selected = props.selected.min(count.saturating_sub(1));
    let onkeydown = {
        let on_select = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if count == 0 {
                return;
            }
            let next = match e.key().as_str() {
                "ArrowDown" | "ArrowRight" => (selected + 1) % count,
                "ArrowUp" | "ArrowLeft" => (selected + count - 1) % count,
                "Home" => 0,
                "End" => count - 1,
                _ => return,
            };
            e.prevent_default();
            on_select.emit(next);
            focus(&tab_id(next));
        })
    };
    html! {
        <>
            <div class="col-md-4">
                if let Some(note) = note {
                    <p id="mailNote" class="alert alert-info" role="status">{ note }</p>
                }
                <div class="list-group" id="list-tab" role="tablist" aria-label="Your mails"
                    aria-orientation="vertical" {onkeydown}>
                    { for mails.iter().take(MAX_MAILS).enumerate().map(|(i, m)| {
                        let on_select = props.on_select.clone();
                        let active = i == selected;
                        html! {
                            <button type="button" id={tab_id(i)}
                                class={classes!("list-group-item", "list-group-item-action", active.then_some("active"))}
                                role="tab" aria-controls={pane_id(i)}
                                aria-selected={if active { "true" } else { "false" }}
                                tabindex={if active { "0" } else { "-1" }}
                                onclick={Callback::from(move |_: MouseEvent| on_select.emit(i))}>
                                { m.subject_text().to_owned() }
                            </button>
                        }
                    }) }
                </div>
            </div>
            <div class="col-md-4">
                <div class="tab-content" id="nav-tabContent">
                    { for mails.iter().take(MAX_MAILS).enumerate().map(|(i, m)| {
                        let active = i == selected;
                        html! {
                            <div id={pane_id(i)} role="tabpanel" aria-labelledby={tab_id(i)} tabindex="0"
                                class={classes!("tab-pane", "fade", active.then_some("show"), active.then_some("active"))}>
                                <p><strong>{ "from: " }{ m.sender_text().to_owned() }</strong></p>
                                <p>{ m.preview_text().to_owned() }</p>
                            </div>
                        }
                    }) }
                </div>
            </div>
        </>
    }
}

/// `list{i}list`.
pub fn tab_id(i: usize) -> String {
    format!("list{i}list")
}

/// `list{i}`.
pub fn pane_id(i: usize) -> String {
    format!("list{i}")
}

/// Moves the keyboard focus to the element with `id` (in a browser; a no-op elsewhere).
fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
