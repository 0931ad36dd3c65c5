//! The HTML pages a person sees: sign-in (username, then password), consent, account picker,
//! form_post, sign-out and errors.
//!
//! They work without JavaScript, and keep the element ids and names of Microsoft's own pages
//! (`#i0116[name=loginfmt]`, `#i0118[name=passwd]`, `#idSIButton9`, `#idBtn_Back`), so that
//! automation written for Entra works unchanged. maud escapes every interpolated value.

use maud::{html, Markup, PreEscaped, DOCTYPE};

const STYLE: &str = "
body{margin:0;font-family:'Segoe UI',system-ui,-apple-system,sans-serif;background:#f2f2f2;color:#1b1b1b}
main{max-width:440px;margin:8vh auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.brand{font-weight:600;color:#505050;margin-bottom:16px;letter-spacing:.02em}
h1{font-size:1.5rem;font-weight:600;margin:0 0 12px}
label{display:block;font-size:.9rem;margin:12px 0 4px}
input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;padding:6px 0;font-size:1rem;border:0;border-bottom:1px solid #666}
input:focus{outline:2px solid #0067b8;outline-offset:2px}
.buttons{display:flex;justify-content:flex-end;gap:8px;margin-top:28px}
button{min-width:108px;padding:6px 12px;font-size:.95rem;border:1px solid transparent;cursor:pointer}
button:focus{outline:2px solid #000;outline-offset:2px}
.primary{background:#0067b8;color:#fff}.secondary{background:#ccc;color:#000}
.error{color:#e81123;margin:8px 0}.muted{color:#605e5c;font-size:.9rem}
ul.scopes{padding-left:20px}
.tile{display:block;width:100%;text-align:left;background:#fff;border:1px solid #ddd;padding:12px;margin:6px 0}
.tile:hover{background:#f3f3f3}
.sr{position:absolute;left:-9999px}
";

fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - Identity emulator" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main role="main" {
                    div.brand { "Microsoft identity platform " span.muted { "(local emulator)" } }
                    (body)
                }
            }
        }
    }
}

/// The first sign-in page: the username.
pub fn username(action: &str, ctx: &str, app_name: &str, error: Option<&str>) -> Markup {
    page(
        "Sign in",
        html! {
            h1 #loginHeader { "Sign in" }
            p.muted { "to continue to " (app_name) }
            form method="post" action=(action) novalidate {
                input type="hidden" name="ctx" value=(ctx);
                input type="hidden" name="step" value="username";
                label for="i0116" { "Email, phone, or Skype" }
                input #i0116 type="email" name="loginfmt" autocomplete="username" required autofocus
                    aria-describedby=[error.map(|_| "usernameError")];
                @if let Some(error) = error {
                    div #usernameError .error role="alert" { (error) }
                }
                div.buttons {
                    button #idSIButton9 .primary type="submit" { "Next" }
                }
            }
        },
    )
}

/// The second sign-in page: the password of `username`.
pub fn password(action: &str, ctx: &str, username: &str, error: Option<&str>) -> Markup {
    page(
        "Enter password",
        html! {
            p #displayName { (username) }
            h1 #loginHeader { "Enter password" }
            form method="post" action=(action) novalidate {
                input type="hidden" name="ctx" value=(ctx);
                input type="hidden" name="step" value="password";
                input type="hidden" name="loginfmt" value=(username);
                label for="i0118" { "Password" }
                input #i0118 type="password" name="passwd" autocomplete="current-password" required autofocus
                    aria-describedby=[error.map(|_| "passwordError")];
                @if let Some(error) = error {
                    div #passwordError .error role="alert" { (error) }
                }
                div.buttons {
                    button #idBtn_Back .secondary type="submit" name="back" value="1" formnovalidate { "Back" }
                    button #idSIButton9 .primary type="submit" { "Sign in" }
                }
            }
        },
    )
}

/// The consent page: "Permissions requested".
pub fn consent(
    action: &str,
    ctx: &str,
    app_name: &str,
    username: &str,
    scopes: &[(String, &str)],
) -> Markup {
    page(
        "Permissions requested",
        html! {
            p.muted { (username) }
            h1 { "Permissions requested" }
            p { strong { (app_name) } " would like to:" }
            ul.scopes aria-label="Requested permissions" {
                @for (scope, text) in scopes {
                    li data-scope=(scope) { (text) }
                }
            }
            p.muted { "Accepting these permissions means that you allow this app to use your data as specified in their terms of service and privacy statement." }
            form method="post" action=(action) {
                input type="hidden" name="ctx" value=(ctx);
                div.buttons {
                    button #idBtn_Back .secondary type="submit" name="decision" value="cancel" { "Cancel" }
                    button #idSIButton9 .primary type="submit" name="decision" value="accept" { "Accept" }
                }
            }
        },
    )
}

/// The account picker: one tile per signed-in account, and "Use another account".
pub fn picker(action: &str, ctx: &str, accounts: &[(String, String)]) -> Markup {
    page(
        "Pick an account",
        html! {
            h1 { "Pick an account" }
            form method="post" action=(action) {
                input type="hidden" name="ctx" value=(ctx);
                @for (username, name) in accounts {
                    button.tile type="submit" name="account" value=(username) data-test-id=(username) {
                        strong { (name) } br; span.muted { (username) }
                    }
                }
                button #otherTile .tile type="submit" name="account" value="" { "Use another account" }
            }
        },
    )
}

/// The form_post response: posts `fields` to `redirect_uri`. A script submits it at once; without
/// JavaScript the button does.
pub fn form_post(redirect_uri: &str, fields: &[(&str, String)]) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "Working..." } }
            body {
                form method="post" action=(redirect_uri) {
                    @for (name, value) in fields {
                        input type="hidden" name=(name) value=(value);
                    }
                    noscript { p { "Script is disabled. Click Submit to continue." } button type="submit" { "Submit" } }
                }
                script { (PreEscaped("document.forms[0].submit();")) }
            }
        }
    }
}

/// An error page, for errors that must not redirect (unknown client, unregistered redirect URI).
pub fn error(code: u32, message: &str, trace: &str) -> Markup {
    page(
        "Sign in error",
        html! {
            h1 { "Sorry, but we're having trouble signing you in." }
            p #errorCode .error role="alert" { "AADSTS" (code) ": " (message) }
            p.muted { "Trace ID: " (trace) }
        },
    )
}

/// The page after sign-out when no post-logout redirect was asked for.
pub fn signed_out() -> Markup {
    page(
        "Signed out",
        html! {
            h1 { "You signed out of your account" }
            p { "It's a good idea to close all browser windows." }
        },
    )
}
