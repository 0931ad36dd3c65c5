//! The client's configuration.

use thiserror::Error;

/// Tutorial placeholders that must never reach the identity platform.
const PLACEHOLDERS: &[&str] = &[
    "Enter_the_Application_Id_Here",
    "Enter_the_Tenant_Info_Here",
];

/// A configuration value that cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A tutorial placeholder was left in a field.
    #[error("`{field}` still holds the tutorial placeholder `{value}`: put your app registration's value there")]
    Placeholder {
        /// The field's name, as written in the config file.
        field: &'static str,
        /// The placeholder found.
        value: String,
    },
}

/// Refuses a value that is still one of the tutorial's placeholders.
pub fn check_not_placeholder(field: &'static str, value: &str) -> Result<(), ConfigError> {
    match PLACEHOLDERS.iter().find(|p| value.contains(**p)) {
        Some(p) => Err(ConfigError::Placeholder {
            field,
            value: (*p).to_owned(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
