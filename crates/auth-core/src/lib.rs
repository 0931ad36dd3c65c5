//! The protocol core shared by the desktop shell and the browser frontend.
//!
//! It builds requests and parses responses, and never opens a socket, touches storage or reads
//! the clock on its own, so the same code runs natively and on `wasm32-unknown-unknown`.
//!
//! # Layout
//!
//! - [`config`]: the client's configuration and its validation.
//!
//! Authorize, redirect parsing, token requests, ID-token validation, the cache and the silent
//! decision arrive with the auth-core issue.
#![warn(missing_docs)]

pub mod config;
