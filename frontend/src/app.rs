//! The app: the backend chosen at start, the auth provider, the page.

use yew::prelude::*;

use crate::auth_backend::{self, Backend};
use crate::hooks::AuthProvider;
use crate::pages::Home;

/// [`App`]'s properties.
#[derive(Properties, Clone, PartialEq)]
pub struct AppProps {
    /// The backend [`auth_backend::boot`] chose.
    pub backend: Backend,
}

/// The whole page.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    html! {
        <AuthProvider backend={props.backend.clone()}>
            <Home />
        </AuthProvider>
    }
}

/// Picks the backend (in a browser, after handling a return from the identity platform),
/// then renders.
pub async fn start() {
    let backend = auth_backend::boot().await;
    yew::Renderer::<App>::with_props(AppProps { backend }).render();
}

#[cfg(test)]
mod tests;
