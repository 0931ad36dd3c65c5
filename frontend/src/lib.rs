//! The tutorial's page as a Yew app: in the Tauri window it calls the desktop shell's
//! commands, in a browser it signs in by redirect with auth-core. `trunk` builds it for
//! wasm32; it also compiles natively so that the workspace's `cargo test` and `cargo clippy`
//! cover it.
//!
//! # Layout
//!
//! - [`app`]: the root component and start-up (backend first, then the first render);
//! - [`hooks`]: the auth state (`Reducible` + `Action`), `AuthProvider` and `use_auth()`;
//! - [`pages`]: the page, reading the state;
//! - [`components`]: navbar, welcome card, profile, mail list, banner, spinner;
//! - [`auth_backend`]: the desktop (Tauri commands) and browser (redirect) backends;
//! - [`graph`]: the Graph view types; [`error`]: the error shown to the user.

#![warn(missing_docs)]

pub mod app;
pub mod auth_backend;
pub mod components;
pub mod error;
pub mod graph;
pub mod hooks;
pub mod pages;

pub use app::start;
