//! Microsoft Graph v1.0: `GET /v1.0/me` and `GET /v1.0/me/messages`.
//!
//! - Errors: <https://learn.microsoft.com/en-us/graph/errors>
//! - `/me`: <https://learn.microsoft.com/en-us/graph/api/user-get>
//! - `/me/messages`, paging and `Prefer: outlook.body-content-type`:
//!   <https://learn.microsoft.com/en-us/graph/api/user-list-messages> and
//!   <https://learn.microsoft.com/en-us/graph/paging>
//! - Throttling: <https://learn.microsoft.com/en-us/graph/throttling>
//! - Claims challenges (CAE): <https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge>

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::keys::Unverified;
use crate::mint::GRAPH_APP_ID;
use crate::params::{base_url, client_request_id};
use crate::seed::{Message, User};
use crate::state::{EmulatorState, Refusal};

/// Graph's error body: `{"error": {"code", "message", "innerError": {date, request-id, client-request-id}}}`.
pub fn error(status: StatusCode, code: &str, message: &str, headers: &HeaderMap) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id = client_request_id(headers).unwrap_or_else(|| request_id.clone());
    let body = json!({ "error": { "code": code, "message": message, "innerError": {
        "date": crate::timestamp_iso(0), "request-id": request_id, "client-request-id": client_request_id,
    }}});
    let mut response = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&client_request_id) {
        response.headers_mut().insert("client-request-id", v);
    }
    response
}

/// 401 with the `WWW-Authenticate` header Graph sends.
fn unauthorized(state: &EmulatorState, headers: &HeaderMap, message: &str) -> Response {
    let mut response = error(
        StatusCode::UNAUTHORIZED,
        "InvalidAuthenticationToken",
        message,
        headers,
    );
    let base = base_url(headers, state.tls);
    let challenge = format!(
        "Bearer realm=\"\", authorization_uri=\"{base}/common/oauth2/authorize\", client_id=\"{GRAPH_APP_ID}\""
    );
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}

/// The claims of a valid Graph access token.
#[derive(Debug, Deserialize)]
struct AccessClaims {
    oid: String,
    #[serde(default)]
    scp: String,
    exp: i64,
}

/// Checks the bearer token: signed by a published key, for Graph, not expired on the emulator's
/// clock, and not under a claims challenge.
/// A rejection: the response to send instead.
type Rejection = Box<Response>;

fn authenticate(
    state: &EmulatorState,
    headers: &HeaderMap,
) -> Result<(User, Vec<String>), Rejection> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Box::new(unauthorized(state, headers, "Access token is empty.")))?;
    let bad = || {
        unauthorized(
            state,
            headers,
            "Access token validation failure. Invalid audience or signature.",
        )
    };
    let verified = state
        .keys
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .verify::<AccessClaims>(token, &[GRAPH_APP_ID, "https://graph.microsoft.com"]);
    let claims = match verified {
        Ok(claims) => claims,
        Err(Unverified::Malformed) => {
            return Err(Box::new(unauthorized(
                state,
                headers,
                "IDX14100: JWT is not well formed.",
            )))
        }
        Err(Unverified::Invalid) => return Err(Box::new(bad())),
    };
    let now = state.now();
    if claims.exp <= now {
        return Err(Box::new(unauthorized(
            state,
            headers,
            "Lifetime validation failed, the token is expired.",
        )));
    }
    let refusal = state.store().refused_tokens.get(token).copied();
    match refusal {
        Some(Refusal::ClaimsChallenge(raised)) => {
            return Err(Box::new(claims_challenge(state, headers, raised)))
        }
        Some(Refusal::Expired) => {
            return Err(Box::new(unauthorized(
                state,
                headers,
                "Lifetime validation failed, the token is expired.",
            )))
        }
        None => {}
    }
    let user = state
        .seed
        .user_by_oid(&claims.oid)
        .cloned()
        .ok_or_else(bad)?;
    Ok((
        user,
        claims.scp.split_whitespace().map(str::to_owned).collect(),
    ))
}

/// 401 with `error="insufficient_claims"` and the claims the client must ask for.
fn claims_challenge(state: &EmulatorState, headers: &HeaderMap, raised: i64) -> Response {
    let mut response = unauthorized(state, headers, "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp");
    let claims =
        json!({ "access_token": { "nbf": { "essential": true, "value": raised.to_string() } } });
    let base = base_url(headers, state.tls);
    let value = format!(
        "Bearer realm=\"\", authorization_uri=\"{base}/common/oauth2/authorize\", client_id=\"{GRAPH_APP_ID}\", error=\"insufficient_claims\", claims=\"{}\"",
        STANDARD.encode(claims.to_string())
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}

fn require_scope(scopes: &[String], any_of: &[&str], headers: &HeaderMap) -> Result<(), Rejection> {
    if scopes
        .iter()
        .any(|s| any_of.iter().any(|a| a.eq_ignore_ascii_case(s)))
    {
        Ok(())
    } else {
        Err(Box::new(error(
            StatusCode::FORBIDDEN,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
            headers,
        )))
    }
}

/// `$select`: keeps only the listed fields (plus `id`, which Graph always returns).
fn select(mut object: Map<String, Value>, select: Option<&str>) -> Map<String, Value> {
    if let Some(fields) = select {
        let keep: Vec<&str> = fields.split(',').map(str::trim).collect();
        object.retain(|k, _| {
            k == "id" || k.starts_with('@') || keep.iter().any(|f| f.eq_ignore_ascii_case(k))
        });
    }
    object
}

/// The query options the two endpoints read.
#[derive(Debug, Deserialize)]
pub struct ODataQuery {
    #[serde(rename = "$select")]
    select: Option<String>,
    #[serde(rename = "$top")]
    top: Option<String>,
    #[serde(rename = "$skip")]
    skip: Option<String>,
    #[serde(rename = "$orderby")]
    orderby: Option<String>,
}

/// `GET /v1.0/me`. Needs User.Read.
pub async fn me(
    State(state): State<Arc<EmulatorState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    state.count("graph.me");
    let (user, scopes) = match authenticate(&state, &headers) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    if let Err(r) = require_scope(&scopes, &["User.Read", "User.ReadBasic.All"], &headers) {
        return *r;
    }
    let base = base_url(&headers, state.tls);
    let mut object = Map::new();
    object.insert(
        "@odata.context".into(),
        json!(format!("{base}/v1.0/$metadata#users/$entity")),
    );
    for (k, v) in [
        ("businessPhones", json!(user.business_phones)),
        ("displayName", json!(user.display_name)),
        ("givenName", json!(user.given_name)),
        ("jobTitle", json!(user.job_title)),
        ("mail", json!(user.mail)),
        ("mobilePhone", json!(user.mobile_phone)),
        ("officeLocation", json!(user.office_location)),
        ("preferredLanguage", json!(user.preferred_language)),
        ("surname", json!(user.surname)),
        ("userPrincipalName", json!(user.username)),
        ("id", json!(user.oid)),
    ] {
        object.insert(k.into(), v);
    }
    Json(Value::Object(select(
        object,
        query.get("$select").map(String::as_str),
    )))
    .into_response()
}

/// `GET /v1.0/me/messages`. Needs Mail.Read (or Mail.ReadBasic, without bodies).
pub async fn messages(
    State(state): State<Arc<EmulatorState>>,
    headers: HeaderMap,
    query: Result<Query<ODataQuery>, QueryRejection>,
) -> Response {
    state.count("graph.messages");
    let (user, scopes) = match authenticate(&state, &headers) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    if let Err(r) = require_scope(&scopes, &["Mail.Read", "Mail.ReadBasic"], &headers) {
        return *r;
    }
    if !user.mailbox {
        return error(
            StatusCode::NOT_FOUND,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
            &headers,
        );
    }
    // A query option given twice is a bad query option like the others: 400 and Graph's error
    // JSON (<https://learn.microsoft.com/en-us/graph/errors>), after authentication as for them.
    let query = match query {
        Ok(Query(query)) => query,
        Err(rejection) => {
            return error(
                StatusCode::BAD_REQUEST,
                "ErrorInvalidUrlQuery",
                &rejection.body_text(),
                &headers,
            )
        }
    };
    let top = match query.top.as_deref().map(str::parse::<usize>) {
        None => 10,
        Some(Ok(n)) if (1..=1000).contains(&n) => n,
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "ErrorInvalidUrlQuery",
                "The value of $top must be an integer between 1 and 1000.",
                &headers,
            )
        }
    };
    let skip = match query.skip.as_deref().map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "ErrorInvalidUrlQuery",
                "The value of $skip must be a non-negative integer.",
                &headers,
            )
        }
    };
    if let Some(order) = query.orderby.as_deref() {
        if !order.trim().eq_ignore_ascii_case("receivedDateTime desc") {
            return error(
                StatusCode::BAD_REQUEST,
                "ErrorInvalidProperty",
                "Only $orderby=receivedDateTime desc is supported.",
                &headers,
            );
        }
    }
    let text = headers
        .get("prefer")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.replace(' ', "")
                .to_ascii_lowercase()
                .contains("outlook.body-content-type=\"text\"")
        });
    let basic_only = !scopes.iter().any(|s| s.eq_ignore_ascii_case("Mail.Read"));
    let mailbox = state
        .seed
        .mailboxes
        .get(&user.oid)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let page: Vec<Value> = mailbox
        .iter()
        .enumerate()
        .skip(skip)
        .take(top)
        .map(|(i, m)| {
            Value::Object(select(
                message_json(&user, i, m, text, basic_only),
                query.select.as_deref(),
            ))
        })
        .collect();
    let base = base_url(&headers, state.tls);
    let mut body = json!({
        "@odata.context": format!("{base}/v1.0/$metadata#users('{}')/messages", user.oid),
        "value": page,
    });
    // A `$skip` past the end is an empty page with no next one (OData's paging:
    // <https://learn.microsoft.com/en-us/graph/paging>); the largest integers must not overflow.
    let next_skip = skip.checked_add(top).filter(|n| *n < mailbox.len());
    if let Some(next_skip) = next_skip {
        // `base_url` always gives a URL that parses; should it ever not, a 400, not a panic.
        let Ok(mut next) = url::Url::parse(&format!("{base}/v1.0/me/messages")) else {
            return error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "The request hostname is invalid.",
                &headers,
            );
        };
        {
            let mut pairs = next.query_pairs_mut();
            if let Some(sel) = &query.select {
                pairs.append_pair("$select", sel);
            }
            pairs.append_pair("$top", &top.to_string());
            pairs.append_pair("$skip", &next_skip.to_string());
        }
        body["@odata.nextLink"] = json!(next.as_str());
    }
    let mut response = Json(body).into_response();
    if text {
        response.headers_mut().insert(
            "preference-applied",
            HeaderValue::from_static("outlook.body-content-type=\"text\""),
        );
    }
    response
}

fn message_json(
    user: &User,
    index: usize,
    m: &Message,
    text: bool,
    basic_only: bool,
) -> Map<String, Value> {
    let id = format!(
        "AAMkAG{}",
        URL_SAFE_NO_PAD.encode(format!("{}:{index}", user.oid))
    );
    let plain = if m.body_type == "html" {
        html_to_text(&m.body)
    } else {
        m.body.clone()
    };
    let preview: String = plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(255)
        .collect();
    let address = json!({ "emailAddress": { "name": m.from_name, "address": m.from_address } });
    let mut object = Map::new();
    object.insert("id".into(), json!(id));
    object.insert("receivedDateTime".into(), json!(m.received));
    object.insert("subject".into(), json!(m.subject));
    object.insert("isRead".into(), json!(m.is_read));
    object.insert("from".into(), address.clone());
    object.insert("sender".into(), address);
    object.insert("toRecipients".into(), json!([{ "emailAddress": { "name": user.display_name, "address": user.mail.clone().unwrap_or_else(|| user.username.clone()) } }]));
    if !basic_only {
        object.insert("bodyPreview".into(), json!(preview));
        let (kind, content) = if text || m.body_type != "html" {
            ("text", plain)
        } else {
            ("html", m.body.clone())
        };
        object.insert(
            "body".into(),
            json!({ "contentType": kind, "content": content }),
        );
    }
    object
}

/// The text of an HTML body, as Graph's text conversion and `bodyPreview` give it: parsed by
/// html5ever (through scraper), text nodes kept with their entities decoded, script and style
/// content dropped, a space for each paragraph and line break.
fn html_to_text(html: &str) -> String {
    use scraper::{Html, Node};
    let document = Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len());
    for node in document.tree.root().descendants() {
        match node.value() {
            Node::Text(text) => {
                let hidden = node.ancestors().any(|a| {
                    matches!(a.value(), Node::Element(e) if matches!(e.name(), "script" | "style"))
                });
                if !hidden {
                    out.push_str(text);
                }
            }
            Node::Element(e) if matches!(e.name(), "p" | "br") => out.push(' '),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
