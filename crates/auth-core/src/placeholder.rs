//! The tutorial's placeholders, refused wherever a configured value is read (`config`,
//! `authority`, `authorize`). A leaf below them all.

use crate::error::ConfigError;

/// Tutorial placeholders that must never reach the identity platform, and what goes there.
const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "Enter_the_Application_Id_Here",
        "the Application (client) ID from your app registration's Overview page",
    ),
    (
        "Enter_the_Tenant_Info_Here",
        "common, organizations, consumers, or your Directory (tenant) ID",
    ),
    (
        "Enter_the_Cloud_Instance_Id_Here",
        "the cloud instance, e.g. https://login.microsoftonline.com",
    ),
    (
        "Enter_the_Graph_Endpoint_Here",
        "the Microsoft Graph endpoint, e.g. https://graph.microsoft.com/",
    ),
    (
        "Enter_the_Redirect_Uri_Here",
        "a redirect URI registered for the app, e.g. http://localhost:3000",
    ),
];

/// Refuses a value that is still one of the tutorial's placeholders.
pub fn check_not_placeholder(field: &'static str, value: &str) -> Result<(), ConfigError> {
    match PLACEHOLDERS.iter().find(|(p, _)| value.contains(*p)) {
        Some((p, hint)) => Err(ConfigError::Placeholder {
            field,
            value: (*p).to_owned(),
            hint,
        }),
        None => Ok(()),
    }
}
