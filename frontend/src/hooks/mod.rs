//! Hooks: the auth state and its provider.

pub mod auth;

pub use auth::{use_auth, Action, AuthProvider, Mail};
