//! What the page shows from Microsoft Graph: the profile (`GET /v1.0/me`) and mail summaries
//! (`GET /v1.0/me/messages`), and the reading of Graph's own JSON. The desktop shell reads
//! Graph's replies with it and sends these types to the webview; the browser frontend reads
//! Graph's replies with it directly. Every value is text: the page renders it as text nodes.
//!
//! # Layout
//!
//! - [`ME_PATH`] and [`MESSAGES_PATH`]: the two requests, the same in both modes.
//! - [`Profile`] and its four [`ProfileLine`]s ("not set" when missing); [`MailSummary`].
//! - [`parse_profile`], [`parse_messages`] (at most [`MAX_MAILS`]), [`parse_error`]: Graph's
//!   replies (<https://learn.microsoft.com/en-us/graph/api/user-get>,
//!   <https://learn.microsoft.com/en-us/graph/api/user-list-messages>,
//!   <https://learn.microsoft.com/en-us/graph/errors>).
//! - [`policy`] (feature `policy`): the calls' scopes and URLs, and what each reply means
//!   (data, a wait and retry, a claims challenge, a refused token, no mailbox, an error).
#![warn(missing_docs)]

#[cfg(feature = "policy")]
pub mod policy;

use serde::{Deserialize, Deserializer, Serialize};

/// At most this many mails are shown (the tutorial's `$top=10`).
pub const MAX_MAILS: usize = 10;

/// The profile request, asking only for the fields [`Profile`] holds.
pub const ME_PATH: &str =
    "/v1.0/me?$select=displayName,jobTitle,mail,businessPhones,mobilePhone,officeLocation";

/// The mail request: the first [`MAX_MAILS`], only the fields [`MailSummary`] holds.
pub const MESSAGES_PATH: &str = "/v1.0/me/messages?$top=10&$select=subject,from,bodyPreview";

/// Shown for a profile field the directory does not hold.
pub const NOT_SET: &str = "not set";

/// The profile fields the page shows. The desktop `graph_me` command returns this shape, and
/// it is also Graph's own `/me` shape, so Graph's answer is read into it directly.
///
/// Missing fields are `None` or empty. The defaults are given field by field: a container-level
/// `default` makes serde's derive build a whole default value to take missing fields from, more
/// code in the browser page (docs/benchmarks.md).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// `displayName`.
    pub display_name: Option<String>,
    /// `jobTitle`.
    pub job_title: Option<String>,
    /// `mail`.
    pub mail: Option<String>,
    /// `businessPhones`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub business_phones: Vec<String>,
    /// `mobilePhone`.
    pub mobile_phone: Option<String>,
    /// `officeLocation`.
    pub office_location: Option<String>,
}

/// One profile line: its label and value ("not set" when missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileLine {
    /// `Title`, `Mail`, `Phone` or `Location`.
    pub label: &'static str,
    /// The value, or [`NOT_SET`].
    pub value: String,
    /// Whether the value is missing.
    pub missing: bool,
}

impl Profile {
    /// The tutorial's four lines: Title, Mail, Phone (first business phone, else mobile) and
    /// Location.
    pub fn lines(&self) -> [ProfileLine; 4] {
        let phone = self
            .business_phones
            .iter()
            .map(String::as_str)
            .find(|p| !p.trim().is_empty())
            .or(self.mobile_phone.as_deref());
        [
            line("Title", self.job_title.as_deref()),
            line("Mail", self.mail.as_deref()),
            line("Phone", phone),
            line("Location", self.office_location.as_deref()),
        ]
    }
}

fn line(label: &'static str, value: Option<&str>) -> ProfileLine {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => ProfileLine {
            label,
            value: v.to_owned(),
            missing: false,
        },
        None => ProfileLine {
            label,
            value: NOT_SET.to_owned(),
            missing: true,
        },
    }
}

/// One mail, as the desktop `graph_messages` command returns it. Missing fields are empty or
/// `None` (field by field, as [`Profile`]'s).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MailSummary {
    /// Graph's message id.
    #[serde(default)]
    pub id: String,
    /// The subject.
    pub subject: Option<String>,
    /// The sender's display name.
    pub from_name: Option<String>,
    /// The sender's address.
    pub from_address: Option<String>,
    /// The first characters of the body, as plain text.
    pub body_preview: Option<String>,
}

impl MailSummary {
    /// The subject to show in the list.
    pub fn subject_text(&self) -> &str {
        non_empty(self.subject.as_deref()).unwrap_or("(no subject)")
    }

    /// The sender's address to show after `from: `.
    pub fn sender_text(&self) -> &str {
        non_empty(self.from_address.as_deref())
            .or(non_empty(self.from_name.as_deref()))
            .unwrap_or(NOT_SET)
    }

    /// The preview to show in the pane.
    pub fn preview_text(&self) -> &str {
        non_empty(self.body_preview.as_deref()).unwrap_or("(no preview)")
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<Option<String>>>::deserialize(d)?
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect())
}

/// Graph's `/me/messages` answer (only the selected fields).
#[derive(Debug, Deserialize)]
struct GraphMessages {
    #[serde(default)]
    value: Vec<GraphMessage>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GraphMessage {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    body_preview: Option<String>,
    #[serde(default)]
    from: Option<GraphRecipient>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GraphRecipient {
    #[serde(default)]
    email_address: Option<GraphEmailAddress>,
}

#[derive(Debug, Deserialize)]
struct GraphEmailAddress {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    address: Option<String>,
}

/// A Graph reply that is not the JSON expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedGraphReply(pub String);

/// Reads Graph's `/me` answer.
pub fn parse_profile(body: &[u8]) -> Result<Profile, MalformedGraphReply> {
    serde_json::from_slice(body).map_err(|e| malformed("profile", &e))
}

/// An OpenID provider's userinfo answer (OpenID Connect Core 1.0 §5.3.2): its standard claims
/// (§5.1) in the tutorial's profile lines.
#[derive(Debug, Deserialize)]
struct UserInfo {
    sub: String,
    name: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
    address: Option<UserInfoAddress>,
}

#[derive(Debug, Deserialize)]
struct UserInfoAddress {
    formatted: Option<String>,
}

/// Reads a userinfo answer as the profile: `name`, `email`, `phone_number` and
/// `address.formatted` as the display name, Mail, Phone and Location (standard claims have no
/// job title). Its `sub` must be `subject`, the signed-in user's ID token's (§5.3.2).
pub fn parse_userinfo(body: &[u8], subject: &str) -> Result<Profile, MalformedGraphReply> {
    let info: UserInfo = serde_json::from_slice(body).map_err(|e| {
        MalformedGraphReply(format!(
            "The identity provider sent a userinfo answer the app cannot read (line {}, column {}).",
            e.line(),
            e.column()
        ))
    })?;
    if info.sub != subject {
        return Err(MalformedGraphReply(
            "The identity provider's userinfo answer is about another user than the one signed \
             in, so it is not shown. Sign out and sign in again."
                .to_owned(),
        ));
    }
    Ok(Profile {
        display_name: info.name,
        mail: info.email,
        mobile_phone: info.phone_number,
        office_location: info.address.and_then(|a| a.formatted),
        ..Profile::default()
    })
}

/// Reads Graph's `/me/messages` answer, keeping at most [`MAX_MAILS`].
pub fn parse_messages(body: &[u8]) -> Result<Vec<MailSummary>, MalformedGraphReply> {
    let messages: GraphMessages =
        serde_json::from_slice(body).map_err(|e| malformed("mail list", &e))?;
    Ok(messages
        .value
        .into_iter()
        .take(MAX_MAILS)
        .enumerate()
        .map(|(i, m)| {
            let address = m.from.and_then(|f| f.email_address);
            let (from_name, from_address) = match address {
                Some(a) => (a.name, a.address),
                None => (None, None),
            };
            MailSummary {
                id: m.id.unwrap_or_else(|| format!("message-{i}")),
                subject: m.subject,
                from_name,
                from_address,
                body_preview: m.body_preview,
            }
        })
        .collect())
}

fn malformed(what: &str, e: &serde_json::Error) -> MalformedGraphReply {
    // The position only: a serde message may quote mail content.
    MalformedGraphReply(format!(
        "Microsoft Graph sent a {what} the app cannot read (line {}, column {}).",
        e.line(),
        e.column()
    ))
}

/// Graph's error JSON, `{"error": {"code", "message"}}`.
#[derive(Debug, Default, Deserialize)]
pub struct GraphErrorBody {
    /// The error.
    #[serde(default)]
    pub error: GraphErrorDetail,
}

/// The inner error of [`GraphErrorBody`].
#[derive(Debug, Default, Deserialize)]
pub struct GraphErrorDetail {
    /// e.g. `MailboxNotEnabledForRESTAPI`, `InvalidAuthenticationToken`.
    #[serde(default)]
    pub code: Option<String>,
    /// Graph's message.
    #[serde(default)]
    pub message: Option<String>,
}

/// Graph's error code and message, if the body is Graph's error JSON.
pub fn parse_error(body: &[u8]) -> GraphErrorDetail {
    serde_json::from_slice::<GraphErrorBody>(body)
        .map(|b| b.error)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
