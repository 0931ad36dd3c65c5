//! `#profile-div`: the profile's Title, Mail, Phone and Location lines.

use yew::prelude::*;

use crate::graph::Profile;

/// [`ProfileView`]'s properties.
#[derive(Properties, Clone, PartialEq)]
pub struct ProfileViewProps {
    /// The profile, once loaded.
    pub profile: Option<Profile>,
}

/// One `<p><strong>Label: </strong>value</p>` per line; a missing field reads "not set".
#[function_component]
pub fn ProfileView(props: &ProfileViewProps) -> Html {
    let Some(profile) = &props.profile else {
        return html! { <div id="profile-div" aria-live="polite"></div> };
    };
    let lines = profile.lines();
    let any_missing = lines.iter().any(|l| l.missing);
    html! {
        <div id="profile-div" class="text-start" aria-live="polite">
            { for lines.iter().map(|l| html! {
                <p class={classes!("mb-1", l.missing.then_some("text-muted"))}>
                    <strong>{ l.label }{ ": " }</strong>{ l.value.clone() }
                </p>
            }) }
            if any_missing {
                <p class="small text-muted mt-2">
                    { "Fields that read \"not set\" are not filled in for your account in the directory." }
                </p>
            }
        </div>
    }
}
