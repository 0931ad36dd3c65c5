//! The tutorial's one page: navbar, header, banner, welcome card, mails.

use yew::prelude::*;

use crate::auth_backend::Op;
use crate::components::{ErrorBanner, MailList, Navbar, Spinner, WelcomeCard};
use crate::hooks::{use_auth, Action};

/// The header under the navbar.
pub const HEADER: &str = "Rust (Yew) SPA calling MS Graph API with the Microsoft identity platform";

/// The page.
#[function_component]
pub fn Home() -> Html {
    let auth = use_auth();
    let state = auth.state();
    let busy = state.busy;
    let on_close = {
        let auth = auth.clone();
        Callback::from(move |_: MouseEvent| auth.dispatch(Action::DismissAlerts))
    };
    let on_select = {
        let auth = auth.clone();
        Callback::from(move |i: usize| auth.dispatch(Action::SelectMail(i)))
    };
    html! {
        <>
            <Navbar
                signed_in={state.account().is_some()}
                busy={busy.is_some()}
                on_sign_in={auth.on_click(Op::SignIn)}
                on_sign_out={auth.on_click(Op::SignOut)} />
            <main class="container-fluid mt-3" aria-busy={if busy.is_some() { "true" } else { "false" }}>
                <h5 class="card-header text-center">{ HEADER }</h5>
                <ErrorBanner alerts={state.alerts.clone()} {on_close} />
                if let Some(label) = state.busy_label() {
                    <Spinner {label} />
                }
                <div class="row mt-3">
                    <div class="col-md-4" id="card-div">
                        <WelcomeCard
                            account={state.account().cloned()}
                            busy={busy.is_some()}
                            profile={state.profile.clone()}
                            provider={state.provider.clone()}
                            on_see_profile={auth.on_click(Op::SeeProfile)}
                            on_read_mail={auth.on_click(Op::ReadMail)} />
                    </div>
                    <MailList mail={state.mail.clone()} selected={state.selected_mail} {on_select} />
                </div>
            </main>
        </>
    }
}
