//! `#card-div`: the welcome message, See Profile and Read Mails, and the profile.

use yew::prelude::*;

use super::ProfileView;
use crate::auth_backend::AccountView;
use crate::graph::Profile;

/// Shown before sign-in.
pub const SIGNED_OUT_MESSAGE: &str = "Please sign-in to see your profile and read your mails";

/// [`WelcomeCard`]'s properties.
#[derive(Properties, Clone, PartialEq)]
pub struct WelcomeCardProps {
    /// The signed-in account.
    pub account: Option<AccountView>,
    /// Whether an operation is under way (the buttons are disabled).
    pub busy: bool,
    /// The profile, once loaded.
    pub profile: Option<Profile>,
    /// See Profile clicked.
    pub on_see_profile: Callback<MouseEvent>,
    /// Read Mails clicked.
    pub on_read_mail: Callback<MouseEvent>,
    /// Where sign-in goes, once known.
    #[prop_or_default]
    pub provider: Option<String>,
}

/// The tutorial's card.
#[function_component]
pub fn WelcomeCard(props: &WelcomeCardProps) -> Html {
    let welcome = match &props.account {
        Some(a) => format!("Welcome {}", a.greeting_name()),
        None => SIGNED_OUT_MESSAGE.to_owned(),
    };
    html! {
        <div class="card text-center">
            <div class="card-body">
                <h5 class="card-title" id="welcomeMessage">{ welcome }</h5>
                if let Some(provider) = &props.provider {
                    <p class="card-text text-muted small" id="provider">
                        { format!("Signs in with: {provider}") }
                    </p>
                }
                <ProfileView profile={props.profile.clone()} />
                if props.account.is_some() {
                    <div class="d-grid gap-2 mt-3">
                        <button type="button" class="btn btn-primary" id="seeProfile"
                            disabled={props.busy} onclick={props.on_see_profile.clone()}>
                            { "See Profile" }
                        </button>
                        <button type="button" class="btn btn-primary" id="readMail"
                            disabled={props.busy} onclick={props.on_read_mail.clone()}>
                            { "Read Mails" }
                        </button>
                    </div>
                }
            </div>
        </div>
    }
}
