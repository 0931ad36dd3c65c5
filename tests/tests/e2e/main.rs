//! End-to-end tests: the real desktop app under Xvfb, and the real page in headless Chromium.
//!
//! They need built artifacts: the pages `frontend/dist` (desktop) and `frontend/dist-browser`
//! (`trunk build`), and the app binary built with
//! `--features custom-protocol`. `scripts/test.sh` builds both before running this binary.

mod browser_flow;
mod browser_oidc;
mod browser_realms;
mod browser_smoke;
mod desktop_interpreted_page;
mod desktop_ipc;
mod desktop_keyring;
mod desktop_login_window;
mod desktop_oidc;
mod desktop_package;
mod desktop_realms;
mod desktop_sign_in;
mod desktop_smoke;
mod msal_browser;
