//! Discovery: OpenID configuration, instance discovery, and the JWKS.
//!
//! - <https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri>
//! - The `{tenantid}` issuer template of the multi-tenant aliases:
//!   <https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-issuer>
//! - Instance discovery is the document MSAL reads from `/common/discovery/instance`
//!   (msal-common `AuthorityMetadata` / `CloudInstanceDiscoveryResponse`).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::error::OAuthError;
use crate::params::base_url;
use crate::seed::CONSUMERS_TENANT;
use crate::state::EmulatorState;

type Shared = State<Arc<EmulatorState>>;

/// The issuer of `tenant` as discovery reports it: the `{tenantid}` template for `common` and
/// `organizations`, the consumers tenant for `consumers`, and the tenant's id otherwise.
fn issuer_tenant(state: &EmulatorState, tenant: &str) -> Option<String> {
    match tenant.to_ascii_lowercase().as_str() {
        "common" | "organizations" => Some("{tenantid}".to_owned()),
        "consumers" => Some(CONSUMERS_TENANT.to_owned()),
        _ => state.seed.tenant(tenant).map(|t| t.id.clone()),
    }
}

fn tenant_not_found(tenant: &str) -> Response {
    let error = OAuthError::new(
        "invalid_tenant",
        90002,
        format!("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."),
    );
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error.error, "error_description": format!("AADSTS{}: {}", error.aadsts, error.text), "error_codes": [error.aadsts] }))).into_response()
}

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub async fn openid_configuration(
    State(state): Shared,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response {
    state.count("discovery");
    let Some(issuer_tid) = issuer_tenant(&state, &tenant) else {
        return tenant_not_found(&tenant);
    };
    let base = base_url(&headers, state.tls);
    let host = base
        .split_once("://")
        .map(|(_, h)| h.to_owned())
        .unwrap_or_default();
    Json(json!({
        "token_endpoint": format!("{base}/{tenant}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/{tenant}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{base}/{issuer_tid}/v2.0"),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": format!("{base}/oidc/userinfo"),
        "authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{base}/{tenant}/oauth2/v2.0/logout"),
        "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
        "kerberos_endpoint": format!("{base}/{tenant}/kerberos"),
        "tenant_region_scope": null,
        "cloud_instance_name": host,
        "cloud_graph_host_name": host,
        "msgraph_host": host,
        "rbac_url": format!("{base}/rbac"),
    }))
    .into_response()
}

/// Query of instance discovery.
#[derive(Deserialize)]
pub struct InstanceQuery {
    authorization_endpoint: Option<String>,
}

/// `GET /common/discovery/instance?api-version=1.1&authorization_endpoint=…`.
pub async fn instance_discovery(
    State(state): Shared,
    headers: HeaderMap,
    Query(query): Query<InstanceQuery>,
) -> Response {
    state.count("instance_discovery");
    let base = base_url(&headers, state.tls);
    let host = base
        .split_once("://")
        .map(|(_, h)| h.to_owned())
        .unwrap_or_default();
    let tenant = query
        .authorization_endpoint
        .as_deref()
        .and_then(|e| url::Url::parse(e).ok())
        .and_then(|u| {
            u.path_segments()
                .and_then(|mut s| s.next().map(str::to_owned))
        })
        .unwrap_or_else(|| "common".to_owned());
    Json(json!({
        "tenant_discovery_endpoint": format!("{base}/{tenant}/v2.0/.well-known/openid-configuration"),
        "api-version": "1.1",
        "metadata": [{ "preferred_network": host, "preferred_cache": host, "aliases": [host] }],
    }))
    .into_response()
}

/// `GET /{tenant}/discovery/v2.0/keys`.
pub async fn keys(
    State(state): Shared,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response {
    state.count("keys");
    let Some(issuer_tid) = issuer_tenant(&state, &tenant) else {
        return tenant_not_found(&tenant);
    };
    let issuer = format!("{}/{issuer_tid}/v2.0", base_url(&headers, state.tls));
    let keys = state.keys.read().unwrap_or_else(|p| p.into_inner());
    Json(json!({ "keys": keys.all().map(|k| k.jwk(&issuer)).collect::<Vec<_>>() })).into_response()
}
