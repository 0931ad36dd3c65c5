//! The emulator's discovery document and signing keys (`/.well-known/openid-configuration`,
//! `/discovery/v2.0/keys`), on a real socket.
//! Each rule of docs/emulator.md has a test, the negative ones included.

use integration_tests::emulator::Emulator;
use integration_tests::Result;
use serde_json::{json, Value};

use crate::fixture::aadsts;

#[tokio::test]
async fn discovery_has_the_tenantid_template_for_common_and_the_tenant_id_otherwise() -> Result<()>
{
    let emu = Emulator::start().await?;
    let common: Value = reqwest::get(emu.at("/common/v2.0/.well-known/openid-configuration"))
        .await?
        .json()
        .await?;
    assert_eq!(common["issuer"], format!("{}/{{tenantid}}/v2.0", emu.url));
    assert_eq!(
        common["token_endpoint"],
        emu.at("/common/oauth2/v2.0/token")
    );
    assert_eq!(
        common["response_modes_supported"],
        json!(["query", "fragment", "form_post"])
    );
    let contoso: Value =
        reqwest::get(emu.at("/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration"))
            .await?
            .json()
            .await?;
    assert_eq!(
        contoso["issuer"],
        format!("{}/a3d1c1a4-5b6e-4f1a-9c2b-7e8f90a1b2c3/v2.0", emu.url)
    );
    let consumers: Value = reqwest::get(emu.at("/consumers/v2.0/.well-known/openid-configuration"))
        .await?
        .json()
        .await?;
    assert_eq!(
        consumers["issuer"],
        format!("{}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", emu.url)
    );
    let unknown =
        reqwest::get(emu.at("/nosuchtenant.example/v2.0/.well-known/openid-configuration")).await?;
    assert_eq!(unknown.status(), 400);
    let body: Value = unknown.json().await?;
    assert_eq!(aadsts(&body), 90002);
    let instance: Value =
        reqwest::get(emu.at("/common/discovery/instance?api-version=1.1&authorization_endpoint=x"))
            .await?
            .json()
            .await?;
    assert!(instance["tenant_discovery_endpoint"]
        .as_str()
        .unwrap()
        .ends_with("/v2.0/.well-known/openid-configuration"));
    assert!(instance["metadata"][0]["aliases"].is_array());
    Ok(())
}

#[tokio::test]
async fn key_rotation_keeps_the_old_key_published() -> Result<()> {
    let emu = Emulator::start().await?;
    let before: Value = reqwest::get(emu.at("/common/discovery/v2.0/keys"))
        .await?
        .json()
        .await?;
    let rotated = emu.control("keys/rotate", json!({})).await?;
    let after: Value = reqwest::get(emu.at("/common/discovery/v2.0/keys"))
        .await?
        .json()
        .await?;
    let kids: Vec<&str> = after["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids.len(), 2);
    assert_eq!(kids[0], rotated["kid"].as_str().unwrap());
    assert_eq!(kids[1], before["keys"][0]["kid"].as_str().unwrap());
    Ok(())
}
