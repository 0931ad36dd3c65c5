//! Pages: they read the auth state with `use_auth()` and lay out the components.

pub mod home;

pub use home::Home;
