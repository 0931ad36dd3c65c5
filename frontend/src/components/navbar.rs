//! The navbar: the brand and the Sign In / Sign Out button (one at a time).

use yew::prelude::*;

/// [`Navbar`]'s properties.
#[derive(Properties, Clone, PartialEq)]
pub struct NavbarProps {
    /// Whether someone is signed in (Sign Out is shown instead of Sign In).
    pub signed_in: bool,
    /// Whether an operation is under way (the button is disabled).
    pub busy: bool,
    /// Sign In clicked.
    pub on_sign_in: Callback<MouseEvent>,
    /// Sign Out clicked.
    pub on_sign_out: Callback<MouseEvent>,
}

/// The tutorial's navbar.
#[function_component]
pub fn Navbar(props: &NavbarProps) -> Html {
    let button = if props.signed_in {
        html! {
            <button type="button" id="signOut" class="btn btn-success"
                disabled={props.busy} onclick={props.on_sign_out.clone()}>
                { "Sign Out" }
            </button>
        }
    } else {
        html! {
            <button type="button" id="signIn" class="btn btn-secondary"
                disabled={props.busy} onclick={props.on_sign_in.clone()}>
                { "Sign In" }
            </button>
        }
    };
    html! {
        <nav class="navbar navbar-expand-lg navbar-dark bg-primary px-3" aria-label="Main">
            <a class="navbar-brand" href="/">{ "MS Identity Platform" }</a>
            <div class="btn-group ms-auto">{ button }</div>
        </nav>
    }
}
