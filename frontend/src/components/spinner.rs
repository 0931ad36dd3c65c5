//! The "under way" indicator.

use yew::prelude::*;

/// [`Spinner`]'s properties.
#[derive(Properties, Clone, PartialEq)]
pub struct SpinnerProps {
    /// What is under way, read out by screen readers.
    pub label: AttrValue,
}

/// A Bootstrap spinner with a live, readable label.
#[function_component]
pub fn Spinner(props: &SpinnerProps) -> Html {
    html! {
        <div id="busy" class="d-flex align-items-center justify-content-center my-2" role="status" aria-live="polite">
            <span class="spinner-border spinner-border-sm me-2" aria-hidden="true"></span>
            <span>{ props.label.clone() }</span>
        </div>
    }
}
