//! The emulator's protocol, on a real socket, driven the way a browser and a client would.
//! Each rule of EMULATOR.md has a test, the negative ones included.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use integration_tests::emulator::{
    redirect_params, Browser, Emulator, CLIENT_ID, PASSWORD, PERSONAL_USER, WORK_USER,
};
use integration_tests::Result;
use serde_json::{json, Value};

use crate::fixture::{
    aadsts, authorize_url, claims, desktop_tokens, redeem, refresh, select_account,
    DESKTOP_REDIRECT, SPA_ORIGIN, SPA_REDIRECT, VERIFIER,
};

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
async fn sign_in_through_the_pages_gives_a_valid_id_token_and_client_info() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let tokens = desktop_tokens(
        &emu,
        &browser,
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    assert_eq!(tokens["token_type"], "Bearer");
    let expires_in = tokens["expires_in"].as_i64().unwrap();
    assert!((3600..=5400).contains(&expires_in), "{expires_in}");
    assert!(tokens["refresh_token"].is_string());
    // The ID token verifies against the published JWKS, by kid.
    let id_token = tokens["id_token"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(id_token)?;
    let jwks: Value = reqwest::get(emu.at("/common/discovery/v2.0/keys"))
        .await?
        .json()
        .await?;
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == json!(header.kid))
        .expect("kid in JWKS");
    let key = jsonwebtoken::DecodingKey::from_rsa_components(
        jwk["n"].as_str().unwrap(),
        jwk["e"].as_str().unwrap(),
    )?;
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[CLIENT_ID]);
    validation.set_issuer(&[format!(
        "{}/a3d1c1a4-5b6e-4f1a-9c2b-7e8f90a1b2c3/v2.0",
        emu.url
    )]);
    let id = jsonwebtoken::decode::<Value>(id_token, &key, &validation)?.claims;
    assert_eq!(id["nonce"], "nonce-1");
    assert_eq!(id["preferred_username"], WORK_USER);
    assert_eq!(id["name"], "Adele Vance");
    assert_eq!(id["ver"], "2.0");
    let info: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(tokens["client_info"].as_str().unwrap())?)?;
    assert_eq!(info["uid"], id["oid"]);
    assert_eq!(info["utid"], id["tid"]);
    // The access token is for Graph, with the consented scope.
    let access = claims(tokens["access_token"].as_str().unwrap());
    assert_eq!(access["aud"], "00000003-0000-0000-c000-000000000000");
    assert_eq!(access["scp"], "User.Read");
    Ok(())
}

#[tokio::test]
async fn pkce_mismatch_and_code_reuse_are_refused() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let scope = "openid profile offline_access User.Read";
    let location = browser
        .sign_in(
            &authorize_url(&emu, DESKTOP_REDIRECT, scope, &[]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    let code = redirect_params(&location)?.remove("code").unwrap();
    let (status, body) = redeem(
        &emu,
        &code,
        DESKTOP_REDIRECT,
        "a-different-verifier-of-enough-length-000000",
        None,
    )
    .await?;
    assert_eq!(
        (status, body["error"].as_str(), aadsts(&body)),
        (400, Some("invalid_grant"), 501481)
    );
    let (status, _) = redeem(&emu, &code, DESKTOP_REDIRECT, VERIFIER, None).await?;
    assert_eq!(status, 200);
    let (status, body) = redeem(&emu, &code, DESKTOP_REDIRECT, VERIFIER, None).await?;
    assert_eq!((status, aadsts(&body)), (400, 54005));
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .starts_with("AADSTS54005: "));
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("\r\nTrace ID: "));
    assert!(body["correlation_id"].is_string() && body["trace_id"].is_string());
    Ok(())
}

#[tokio::test]
async fn unknown_client_or_redirect_gets_an_error_page_not_a_redirect() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let url = authorize_url(&emu, DESKTOP_REDIRECT, "openid User.Read", &[])
        .replace(CLIENT_ID, "00000000-1111-2222-3333-444444444444");
    let page = browser.get(&url).await?;
    assert_eq!((page.status, page.location.as_deref()), (400, None));
    assert!(page.text("#errorCode").unwrap().starts_with("AADSTS700016"));
    let page = browser
        .get(&authorize_url(
            &emu,
            "https://evil.example/cb",
            "openid User.Read",
            &[],
        ))
        .await?;
    assert_eq!((page.status, page.location.as_deref()), (400, None));
    assert!(page.text("#errorCode").unwrap().starts_with("AADSTS50011"));
    Ok(())
}

#[tokio::test]
async fn loopback_redirects_ignore_the_port_but_not_the_path() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    for port in [
        "http://localhost:5555",
        "http://localhost:61234",
        "http://127.0.0.1:40000",
    ] {
        let page = browser
            .get(&authorize_url(&emu, port, "openid User.Read", &[]))
            .await?;
        assert!(
            page.has("#i0116"),
            "{port} should be accepted: {}",
            page.body
        );
    }
    let page = browser
        .get(&authorize_url(
            &emu,
            "http://localhost:5555/callback",
            "openid User.Read",
            &[],
        ))
        .await?;
    assert!(page.text("#errorCode").unwrap().starts_with("AADSTS50011"));
    Ok(())
}

#[tokio::test]
async fn spa_codes_need_origin_and_desktop_codes_refuse_it() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let scope = "openid profile offline_access User.Read";
    let location = browser
        .sign_in(
            &authorize_url(&emu, SPA_REDIRECT, scope, &[]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    let code = redirect_params(&location)?.remove("code").unwrap();
    let (status, body) = redeem(&emu, &code, SPA_REDIRECT, VERIFIER, None).await?;
    assert_eq!((status, aadsts(&body)), (400, 9002327));
    let (status, body) = redeem(&emu, &code, SPA_REDIRECT, VERIFIER, Some(SPA_ORIGIN)).await?;
    assert_eq!(status, 200, "{body}");
    let spa_rt_life = body["refresh_token_expires_in"].as_i64().unwrap();
    assert!((86_390..=86_400).contains(&spa_rt_life), "{spa_rt_life}");

    let location = browser
        .sign_in(
            &authorize_url(&emu, DESKTOP_REDIRECT, scope, &[]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    let code = redirect_params(&location)?.remove("code").unwrap();
    let (status, body) = redeem(&emu, &code, DESKTOP_REDIRECT, VERIFIER, Some(SPA_ORIGIN)).await?;
    assert_eq!((status, aadsts(&body)), (400, 9002326));
    Ok(())
}

#[tokio::test]
async fn spa_token_responses_carry_cors_headers() -> Result<()> {
    let emu = Emulator::start().await?;
    let response = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            emu.at("/common/oauth2/v2.0/token"),
        )
        .header("Origin", SPA_ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type,client-request-id",
        )
        .send()
        .await?;
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        SPA_ORIGIN
    );
    Ok(())
}

#[tokio::test]
async fn prompt_none_without_a_session_redirects_login_required() -> Result<()> {
    let emu = Emulator::start().await?;
    let page = Browser::new()
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            "openid User.Read",
            &[("prompt", "none")],
        ))
        .await?;
    assert_eq!(page.status, 302);
    let params = redirect_params(page.location.as_deref().unwrap())?;
    assert_eq!(params["error"], "login_required");
    assert_eq!(params["error_codes"], "[50058]");
    assert_eq!(params["state"], "state-1");
    Ok(())
}

#[tokio::test]
async fn the_session_cookie_gives_sso_and_prompt_login_forces_the_password() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    desktop_tokens(
        &emu,
        &browser,
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    let again = browser
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            "openid profile offline_access User.Read",
            &[],
        ))
        .await?;
    assert_eq!(
        again.status, 302,
        "SSO should answer at once: {}",
        again.body
    );
    assert!(redirect_params(again.location.as_deref().unwrap())?.contains_key("code"));
    let forced = browser
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            "openid User.Read",
            &[("prompt", "login")],
        ))
        .await?;
    assert!(forced.has("#i0116"));
    let none = browser
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            "openid User.Read Mail.Read",
            &[("prompt", "none")],
        ))
        .await?;
    let params = redirect_params(none.location.as_deref().unwrap())?;
    assert_eq!(
        (params["error"].as_str(), params["error_codes"].as_str()),
        ("consent_required", "[65001]")
    );
    let picker = select_account(&emu, &browser, "openid User.Read").await?;
    assert!(picker.has(&format!("[data-test-id=\"{WORK_USER}\"]")));
    Ok(())
}

#[tokio::test]
async fn wrong_password_reshows_the_form_and_cancelled_consent_is_access_denied() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let page = browser
        .get(&authorize_url(
            &emu,
            DESKTOP_REDIRECT,
            "openid User.Read",
            &[("login_hint", WORK_USER)],
        ))
        .await?;
    assert!(page.has("#i0118"), "login_hint skips the username page");
    let wrong = browser
        .submit(&page, &[("passwd", "nope")], Some("#idSIButton9"))
        .await?;
    assert!(wrong.has("#i0118") && wrong.has("#passwordError"));
    let kmsi = browser
        .submit(&wrong, &[("passwd", PASSWORD)], Some("#idSIButton9"))
        .await?;
    assert_eq!(kmsi.text("h1").as_deref(), Some("Stay signed in?"));
    let consent = browser.submit(&kmsi, &[], Some("#idSIButton9")).await?;
    assert_eq!(consent.text("h1").as_deref(), Some("Permissions requested"));
    let cancelled = browser.submit(&consent, &[], Some("#idBtn_Back")).await?;
    let params = redirect_params(cancelled.location.as_deref().unwrap())?;
    assert_eq!(params["error"], "access_denied");
    Ok(())
}

#[tokio::test]
async fn fragment_and_form_post_response_modes() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let scope = "openid profile offline_access User.Read";
    let location = browser
        .sign_in(
            &authorize_url(&emu, SPA_REDIRECT, scope, &[("response_mode", "fragment")]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    assert!(url::Url::parse(&location)?
        .fragment()
        .unwrap()
        .contains("code="));
    let page = browser
        .get(&authorize_url(
            &emu,
            SPA_REDIRECT,
            scope,
            &[("response_mode", "form_post")],
        ))
        .await?;
    assert_eq!(page.status, 200);
    let form_action = page.body.contains(&format!("action=\"{SPA_REDIRECT}\""));
    assert!(
        form_action && page.has("input[name=code]") && page.has("input[name=state]"),
        "{}",
        page.body
    );
    Ok(())
}

#[tokio::test]
async fn refresh_rotates_keeps_the_old_token_and_refuses_unconsented_scopes() -> Result<()> {
    let emu = Emulator::start().await?;
    let tokens = desktop_tokens(
        &emu,
        &Browser::new(),
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    let first = tokens["refresh_token"].as_str().unwrap();
    let (status, body) =
        refresh(&emu, first, "openid profile offline_access User.Read", None).await?;
    assert_eq!(status, 200, "{body}");
    let second = body["refresh_token"].as_str().unwrap();
    assert_ne!(first, second);
    let (status, _) = refresh(&emu, first, "openid profile offline_access User.Read", None).await?;
    assert_eq!(status, 200, "the old refresh token still works");
    let (status, body) = refresh(
        &emu,
        second,
        "openid profile offline_access User.Read Mail.Read",
        None,
    )
    .await?;
    assert_eq!(
        (
            status,
            body["error"].as_str(),
            body["suberror"].as_str(),
            aadsts(&body)
        ),
        (400, Some("invalid_grant"), Some("consent_required"), 65001)
    );
    let counters = emu.counters().await?;
    assert_eq!(counters["token.refresh_token"], 3);
    assert_eq!(counters["token.authorization_code"], 1);
    Ok(())
}

#[tokio::test]
async fn spa_refresh_tokens_die_after_24_hours_and_revocation_kills_desktop_ones() -> Result<()> {
    let emu = Emulator::start().await?;
    let browser = Browser::new();
    let scope = "openid profile offline_access User.Read";
    let location = browser
        .sign_in(
            &authorize_url(&emu, SPA_REDIRECT, scope, &[]),
            WORK_USER,
            PASSWORD,
        )
        .await?;
    let code = redirect_params(&location)?.remove("code").unwrap();
    let (_, spa) = redeem(&emu, &code, SPA_REDIRECT, VERIFIER, Some(SPA_ORIGIN)).await?;
    let (_, rotated) = refresh(
        &emu,
        spa["refresh_token"].as_str().unwrap(),
        scope,
        Some(SPA_ORIGIN),
    )
    .await?;
    assert!(rotated["refresh_token_expires_in"].as_i64().unwrap() <= 86_400);
    emu.control("clock", json!({ "seconds": 86_401 })).await?;
    let (status, body) = refresh(
        &emu,
        rotated["refresh_token"].as_str().unwrap(),
        scope,
        Some(SPA_ORIGIN),
    )
    .await?;
    assert_eq!((status, aadsts(&body)), (400, 700084));

    let desktop = desktop_tokens(&emu, &Browser::new(), PERSONAL_USER, scope).await?;
    emu.control("revoke", json!({ "username": PERSONAL_USER }))
        .await?;
    let (status, body) = refresh(
        &emu,
        desktop["refresh_token"].as_str().unwrap(),
        scope,
        None,
    )
    .await?;
    assert_eq!(
        (status, body["error"].as_str(), aadsts(&body)),
        (400, Some("invalid_grant"), 70008)
    );
    Ok(())
}

#[tokio::test]
async fn graph_checks_the_token_the_scope_and_the_clock() -> Result<()> {
    let emu = Emulator::start().await?;
    let client = reqwest::Client::new();
    let none = client.get(emu.at("/v1.0/me")).send().await?;
    assert_eq!(none.status(), 401);
    assert!(none.headers()["www-authenticate"]
        .to_str()?
        .starts_with("Bearer realm=\"\", authorization_uri="));
    let body: Value = none.json().await?;
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
    assert!(body["error"]["innerError"]["request-id"].is_string());

    let tokens = desktop_tokens(
        &emu,
        &Browser::new(),
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    let access = tokens["access_token"].as_str().unwrap();
    let me: Value = client
        .get(emu.at("/v1.0/me"))
        .bearer_auth(access)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(
        (me["displayName"].as_str(), me["jobTitle"].as_str()),
        (Some("Adele Vance"), Some("Retail Manager"))
    );
    assert_eq!(
        (me["mobilePhone"].as_str(), me["officeLocation"].as_str()),
        (Some("+1 425 555 0109"), Some("18/2111"))
    );
    let selected: Value = client
        .get(emu.at("/v1.0/me?$select=displayName,mail"))
        .bearer_auth(access)
        .send()
        .await?
        .json()
        .await?;
    assert!(selected.get("jobTitle").is_none() && selected["mail"] == WORK_USER);
    let forbidden = client
        .get(emu.at("/v1.0/me/messages"))
        .bearer_auth(access)
        .send()
        .await?;
    assert_eq!(forbidden.status(), 403);
    let body: Value = forbidden.json().await?;
    assert_eq!(body["error"]["code"], "ErrorAccessDenied");

    emu.control("clock", json!({ "seconds": 5401 })).await?;
    let expired = client
        .get(emu.at("/v1.0/me"))
        .bearer_auth(access)
        .send()
        .await?;
    assert_eq!(expired.status(), 401);
    let tampered = format!("{}x", &access[..access.len() - 1]);
    let bad = client
        .get(emu.at("/v1.0/me"))
        .bearer_auth(tampered)
        .send()
        .await?;
    assert_eq!(bad.status(), 401);
    Ok(())
}

#[tokio::test]
async fn messages_page_to_the_end_and_bound_top() -> Result<()> {
    let emu = Emulator::start().await?;
    let tokens = desktop_tokens(
        &emu,
        &Browser::new(),
        WORK_USER,
        "openid profile offline_access User.Read Mail.Read",
    )
    .await?;
    let access = tokens["access_token"].as_str().unwrap();
    let client = reqwest::Client::new();
    let mut url = emu.at("/v1.0/me/messages?$select=subject,from,bodyPreview");
    let mut pages = Vec::new();
    loop {
        let page: Value = client
            .get(&url)
            .bearer_auth(access)
            .send()
            .await?
            .json()
            .await?;
        pages.push(page["value"].as_array().unwrap().len());
        let first = &page["value"][0];
        assert!(
            first["subject"].is_string() && first["from"]["emailAddress"]["address"].is_string()
        );
        assert!(
            first.get("isRead").is_none(),
            "$select applies on every page"
        );
        match page["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(pages, vec![10, 10, 7]);
    for top in ["0", "1001", "x"] {
        let status = client
            .get(emu.at(&format!("/v1.0/me/messages?$top={top}")))
            .bearer_auth(access)
            .send()
            .await?
            .status();
        assert_eq!(status, 400, "$top={top}");
    }
    let all: Value = client
        .get(emu.at("/v1.0/me/messages?$top=1000"))
        .bearer_auth(access)
        .send()
        .await?
        .json()
        .await?;
    let xss = all["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["subject"] == "<img src=x onerror=alert(1)>")
        .expect("the XSS message");
    assert!(!xss["bodyPreview"].as_str().unwrap().contains("<script"));
    Ok(())
}

#[tokio::test]
async fn faults_throttle_graph_with_retry_after_and_claims_challenges_are_raised() -> Result<()> {
    let emu = Emulator::start().await?;
    let tokens = desktop_tokens(
        &emu,
        &Browser::new(),
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    let access = tokens["access_token"].as_str().unwrap();
    let client = reqwest::Client::new();
    emu.control(
        "faults",
        json!({ "path": "/v1.0/me", "status": 429, "retry_after": 2, "count": 1 }),
    )
    .await?;
    let throttled = client
        .get(emu.at("/v1.0/me"))
        .bearer_auth(access)
        .send()
        .await?;
    assert_eq!(throttled.status(), 429);
    assert_eq!(throttled.headers()["retry-after"], "2");
    let body: Value = throttled.json().await?;
    assert_eq!(body["error"]["code"], "TooManyRequests");
    assert_eq!(
        client
            .get(emu.at("/v1.0/me"))
            .bearer_auth(access)
            .send()
            .await?
            .status(),
        200
    );

    emu.control("claims-challenge", json!({ "username": WORK_USER }))
        .await?;
    let challenged = client
        .get(emu.at("/v1.0/me"))
        .bearer_auth(access)
        .send()
        .await?;
    assert_eq!(challenged.status(), 401);
    let header = challenged.headers()["www-authenticate"]
        .to_str()?
        .to_owned();
    assert!(
        header.contains("error=\"insufficient_claims\"") && header.contains("claims=\""),
        "{header}"
    );
    Ok(())
}

#[tokio::test]
async fn hostile_token_requests_get_entra_errors_never_a_500() -> Result<()> {
    let emu = Emulator::start().await?;
    let client = reqwest::Client::new();
    let token = emu.at("/common/oauth2/v2.0/token");
    let form = "application/x-www-form-urlencoded";
    let cases: Vec<(&str, String, u16, u64)> = vec![
        (form, "grant_type=refresh_token&grant_type=authorization_code&client_id=x".into(), 400, 9002313),
        (form, "client_id=%ZZ&grant_type".into(), 400, 900144),
        ("application/json", json!({ "grant_type": "authorization_code" }).to_string(), 400, 900144),
        (form, format!("grant_type=refresh_token&client_id={CLIENT_ID}"), 400, 900144),
        (form, format!("grant_type=password&client_id={CLIENT_ID}"), 400, 70003),
        (form, "grant_type=authorization_code&client_id=nope".into(), 400, 700016),
        (form, format!("grant_type=refresh_token&client_id={CLIENT_ID}&refresh_token=x&scope={}", "User.Read%20".repeat(1000)), 400, 70011),
        (form, format!("grant_type=authorization_code&client_id={CLIENT_ID}&code=forged&redirect_uri=http://localhost"), 400, 9002313),
        (form, "a=".to_owned() + &"x".repeat(70 * 1024), 413, 90015),
    ];
    for (content_type, body, status, code) in cases {
        let response = client
            .post(&token)
            .header("content-type", content_type)
            .body(body.clone())
            .send()
            .await?;
        let got = response.status().as_u16();
        let json: Value = response.json().await?;
        assert_eq!(
            (got, aadsts(&json)),
            (status, code),
            "body {}: {json}",
            &body[..body.len().min(80)]
        );
    }
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

#[tokio::test]
async fn faults_can_delay_or_drop_and_expire_tokens_refuses_current_ones() -> Result<()> {
    let emu = Emulator::start().await?;
    let client = reqwest::Client::new();
    emu.control(
        "faults",
        json!({ "path": "/common/discovery/*", "status": 0, "delay_ms": 300 }),
    )
    .await?;
    let started = std::time::Instant::now();
    assert_eq!(
        client
            .get(emu.at("/common/discovery/v2.0/keys"))
            .send()
            .await?
            .status(),
        200
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    emu.control(
        "faults",
        json!({ "path": "/common/discovery/v2.0/keys", "drop": true }),
    )
    .await?;
    let dropped = async {
        client
            .get(emu.at("/common/discovery/v2.0/keys"))
            .send()
            .await?
            .bytes()
            .await
    }
    .await;
    assert!(dropped.is_err(), "the connection should break: {dropped:?}");
    assert_eq!(
        client
            .get(emu.at("/common/discovery/v2.0/keys"))
            .send()
            .await?
            .status(),
        200,
        "one request only"
    );

    let tokens = desktop_tokens(
        &emu,
        &Browser::new(),
        WORK_USER,
        "openid profile offline_access User.Read",
    )
    .await?;
    let old = tokens["access_token"].as_str().unwrap();
    emu.control("expire-tokens", json!({ "username": WORK_USER }))
        .await?;
    assert_eq!(
        client
            .get(emu.at("/v1.0/me"))
            .bearer_auth(old)
            .send()
            .await?
            .status(),
        401
    );
    let (_, fresh) = refresh(
        &emu,
        tokens["refresh_token"].as_str().unwrap(),
        "openid profile offline_access User.Read",
        None,
    )
    .await?;
    let new = fresh["access_token"].as_str().unwrap();
    assert_eq!(
        client
            .get(emu.at("/v1.0/me"))
            .bearer_auth(new)
            .send()
            .await?
            .status(),
        200
    );
    Ok(())
}
