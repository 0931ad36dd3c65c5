//! `#errorBanner`: the page's messages, in a dismissable Bootstrap alert (no Bootstrap JS).

use yew::prelude::*;

use crate::error::AppError;

/// [`ErrorBanner`]'s properties.
#[derive(Properties, Clone, PartialEq)]
pub struct ErrorBannerProps {
    /// The messages, oldest first; nothing is rendered when empty.
    pub alerts: Vec<AppError>,
    /// The close button.
    pub on_close: Callback<MouseEvent>,
}

/// A red alert for failures, a yellow one when it only holds notices.
#[function_component]
pub fn ErrorBanner(props: &ErrorBannerProps) -> Html {
    if props.alerts.is_empty() {
        return html! {};
    }
    let level = if props.alerts.iter().all(AppError::is_notice) {
        "alert-warning"
    } else {
        "alert-danger"
    };
    html! {
        <div id="errorBanner" class={classes!("alert", level, "alert-dismissible", "mt-3")} role="alert">
            { for props.alerts.iter().map(|e| html! {
                <p class="mb-1" data-code={e.code.name()}>
                    <strong>{ e.title() }</strong>{ " " }{ e.message.clone() }
                    if let Some(hint) = e.retry_hint() {
                        { " " }<span class="retry-after">{ hint }</span>
                    }
                </p>
            }) }
            <button type="button" class="btn-close" aria-label="Close" onclick={props.on_close.clone()}></button>
        </div>
    }
}
