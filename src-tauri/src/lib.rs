//! The desktop shell: a Tauri 2 app that hosts the Yew frontend.
//!
//! # Layout
//!
//! - [`run`] starts the app on the real runtime; [`run_app`] builds it on any [`tauri::Runtime`], so
//!   tests can use `tauri::test::mock_builder()`.
//! - Sign-in, the token store and the Graph proxy arrive with the desktop shell issue.
#![warn(missing_docs)]

use tauri::{Builder, Runtime};

/// Builds the app on `builder`, registering its plugins.
pub fn run_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.plugin(tauri_plugin_store::Builder::default().build())
}

/// Runs the desktop app until its last window closes.
pub fn run() {
    run_app(tauri::Builder::default())
        .run(tauri::generate_context!())
        .expect("error while running the desktop app");
}

#[cfg(test)]
mod tests;
