//! Presentational components: each takes its data and callbacks as properties and never
//! reaches for the auth state itself (pages do), so the SSR tests render them directly.
//! Every Graph value is rendered as a Yew text node: never as HTML.

pub mod error_banner;
pub mod mail_list;
pub mod navbar;
pub mod profile;
pub mod spinner;
pub mod welcome_card;

pub use error_banner::ErrorBanner;
pub use mail_list::MailList;
pub use navbar::Navbar;
pub use profile::ProfileView;
pub use spinner::Spinner;
pub use welcome_card::WelcomeCard;

#[cfg(test)]
mod tests;
