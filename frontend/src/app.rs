//! The page shell: the navbar and the welcome card of the tutorial's index.html.
//!
//! Element ids follow the DOM contract in docs/architecture.md.

use yew::prelude::*;

/// The whole page.
#[function_component]
pub fn App() -> Html {
    html! {
        <>
            <nav class="navbar navbar-expand-lg navbar-dark bg-primary px-3">
                <a class="navbar-brand" href="/">{ "MS Identity Platform" }</a>
                <div class="btn-group ms-auto">
                    <button type="button" id="signIn" class="btn btn-secondary">{ "Sign In" }</button>
                </div>
            </nav>
            <main class="container mt-4">
                <h5 class="card-header text-center">
                    { "Rust (Yew) SPA calling MS Graph API with the Microsoft identity platform" }
                </h5>
                <div class="row mt-3" id="card-div">
                    <div class="col-md-4">
                        <div class="card text-center">
                            <div class="card-body">
                                <h5 class="card-title" id="welcomeMessage">
                                    { "Please sign-in to see your profile and read your mails" }
                                </h5>
                            </div>
                        </div>
                    </div>
                </div>
            </main>
        </>
    }
}

#[cfg(test)]
mod tests;
