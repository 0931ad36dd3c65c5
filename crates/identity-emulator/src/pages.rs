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
    branded(
        "Microsoft identity platform",
        "identity emulator",
        title,
        body,
    )
}

/// A page of one of the emulator's origins: `brand` at the top, `site` in the tab's title.
fn branded(brand: &str, site: &str, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - " (site) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main role="main" {
                    div.brand { (brand) " " span.muted { "(local emulator)" } }
                    (body)
                }
                // As on Microsoft's pages, the footer's links open in a new tab.
                footer.muted style="text-align:center" {
                    a #ftrTerms href="/terms" target="_blank" rel="noopener" { "Terms of use" }
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
        password_form(
            action,
            &[("ctx", ctx), ("step", "password"), ("loginfmt", username)],
            username,
            error,
            true,
        ),
    )
}

/// "Enter password" with the account's name above it, as on both Microsoft sign-in origins
/// (`#i0118`, `#idSIButton9`, errors in `#passwordError`): the form posts `hidden` and `passwd`
/// to `action`, and with `back`, a Back button (`#idBtn_Back`) posts `back=1`.
fn password_form(
    action: &str,
    hidden: &[(&str, &str)],
    username: &str,
    error: Option<&str>,
    back: bool,
) -> Markup {
    html! {
        p #displayName { (username) }
        h1 #loginHeader { "Enter password" }
        form method="post" action=(action) novalidate {
            @for (name, value) in hidden {
                input type="hidden" name=(name) value=(value);
            }
            label for="i0118" { "Password" }
            input #i0118 type="password" name="passwd" autocomplete="current-password" required autofocus
                aria-describedby=[error.map(|_| "passwordError")];
            @if let Some(error) = error {
                div #passwordError .error role="alert" { (error) }
            }
            div.buttons {
                @if back {
                    button #idBtn_Back .secondary type="submit" name="back" value="1" formnovalidate { "Back" }
                }
                button #idSIButton9 .primary type="submit" { "Sign in" }
            }
        }
    }
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
                (tiles(accounts))
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

/// "Stay signed in?", after each password page, with Entra's ids: `#KmsiCheckboxField`,
/// `#idSIButton9` (Yes) and `#idBtn_Back` (No).
/// <https://learn.microsoft.com/en-us/entra/fundamentals/how-to-manage-stay-signed-in-prompt>
pub fn stay_signed_in(action: &str, ctx: &str, username: &str) -> Markup {
    page(
        "Stay signed in?",
        html! {
            p #displayName .muted { (username) }
            h1 #kmsiTitle { "Stay signed in?" }
            p { "Do this to reduce the number of times you are asked to sign in." }
            form method="post" action=(action) {
                input type="hidden" name="ctx" value=(ctx);
                label {
                    input #KmsiCheckboxField type="checkbox" name="DontShowAgain" value="true";
                    " Don't show this again"
                }
                div.buttons {
                    button #idBtn_Back .secondary type="submit" name="kmsi" value="no" { "No" }
                    button #idSIButton9 .primary type="submit" name="kmsi" value="yes" { "Yes" }
                }
            }
        },
    )
}

/// "More information required", an interrupt an admin can turn on (security info
/// registration), with Entra's Next button `#idSubmit_ProofUp_Redirect`. Entra shows it after
/// the password when a registration policy requires it ("interrupt mode"), on its own page
/// before the flow goes on.
/// <https://learn.microsoft.com/en-us/entra/identity/authentication/concept-registration-mfa-sspr-combined#interrupt-mode>
pub fn interrupt(action: &str, ctx: &str, username: &str) -> Markup {
    page(
        "More information required",
        html! {
            p #displayName .muted { (username) }
            h1 #ProofUpTitle { "More information required" }
            p #ProofUpDescription { "Your organization needs more information to keep your account secure." }
            form method="post" action=(action) {
                input type="hidden" name="ctx" value=(ctx);
                div.buttons {
                    button #idSubmit_ProofUp_Redirect .primary type="submit" { "Next" }
                }
            }
        },
    )
}

/// The personal accounts origin's password page (login.live.com's ids: `#i0118`, `#idSIButton9`).
pub fn personal_password(ctx: &str, username: &str, error: Option<&str>) -> Markup {
    branded(
        "Microsoft account",
        "Microsoft account",
        "Enter password",
        password_form(
            "/ppsecure/post.srf",
            &[("ctx", ctx)],
            username,
            error,
            false,
        ),
    )
}

/// The federated tenant's AD FS sign-in page (`#userNameInput`, `#passwordInput`,
/// `#submitButton`, errors in `#errorText`).
pub fn federated(wctx: &str, username: &str, error: Option<&str>) -> Markup {
    branded(
        "Fabrikam sign-in (AD FS)",
        "AD FS",
        "Sign In",
        html! {
            h1 #header { "Sign in with your organizational account" }
            form #loginForm method="post" action="/adfs/ls/" novalidate {
                input type="hidden" name="wctx" value=(wctx);
                input type="hidden" name="AuthMethod" value="FormsAuthentication";
                label for="userNameInput" { "User account" }
                input #userNameInput type="email" name="UserName" value=(username) autocomplete="username";
                label for="passwordInput" { "Password" }
                input #passwordInput type="password" name="Password" autocomplete="current-password" autofocus;
                @if let Some(error) = error {
                    div #errorText .error role="alert" { (error) }
                }
                div.buttons {
                    button #submitButton .primary type="submit" { "Sign in" }
                }
            }
        },
    )
}

/// The form POST that carries a user from one origin to another (`name=hiddenform`, as on the
/// real service). A script submits it at once; without JavaScript the button does.
pub fn hidden_form(action: &str, fields: &[(&str, String)]) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "Working..." } }
            body {
                form name="hiddenform" method="post" action=(action) {
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

/// "Pick an account to sign out of": one tile per signed-in account.
pub fn sign_out_picker(
    action: &str,
    hidden: &[(&str, String)],
    accounts: &[(String, String)],
) -> Markup {
    page(
        "Sign out",
        html! {
            h1 #signOutTitle { "Pick an account to sign out of" }
            form method="post" action=(action) {
                @for (name, value) in hidden {
                    input type="hidden" name=(name) value=(value);
                }
                (tiles(accounts))
            }
        },
    )
}

/// The terms of use that the footer links to.
pub fn terms() -> Markup {
    page(
        "Terms of use",
        html! {
            h1 { "Terms of use" }
            p { "This is a local emulator of the Microsoft identity platform, for development and tests. It holds no real accounts." }
        },
    )
}

/// `GET /terms` on each origin.
pub async fn terms_page() -> axum::response::Html<String> {
    axum::response::Html(terms().into_string())
}

/// One tile per account, `(username, display name)`, posting `account=<username>`; the ids of
/// Microsoft's pickers (`data-test-id=<username>`).
fn tiles(accounts: &[(String, String)]) -> Markup {
    html! {
        @for (username, name) in accounts {
            button.tile type="submit" name="account" value=(username) data-test-id=(username) {
                strong { (name) } br; span.muted { (username) }
            }
        }
    }
}
