use super::*;
use shell_contract::ErrorCode;

const ORIGIN: &str = "http://localhost:1420";
const PAGE: &str = "http://localhost:1420/";

fn parse_str(json: &str) -> Result<Settings, AppError> {
    parse(json.as_bytes(), ORIGIN, PAGE)
}

#[test]
fn the_shipped_config_is_valid() {
    let s = parse(include_bytes!("../../../../config.json"), ORIGIN, PAGE).expect("valid");
    assert_eq!(s.config.client_id(), "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61");
    assert_eq!(s.config.redirect_uri(), "http://localhost:1420/");
    assert_eq!(s.config.graph_endpoint().as_str(), "http://localhost:4123/");
    assert_eq!(s.config.client_type(), ClientType::Spa);
    assert_eq!(s.cache, StorageKind::Session);
}

#[test]
fn redirect_uri_defaults_to_the_origin_and_logout_returns_to_the_page() {
    let s = parse_str(r#"{"clientId":"abc","authority":"http://localhost:4123/common","cacheLocation":"localStorage"}"#)
        .expect("valid");
    assert_eq!(s.config.redirect_uri(), "http://localhost:1420/");
    assert_eq!(
        s.config.post_logout_redirect_uri().map(|u| u.as_str()),
        Some(PAGE)
    );
    assert_eq!(s.cache, StorageKind::Local);
    assert_eq!(s.config.scopes(), ["User.Read"]);
}

#[test]
fn a_placeholder_names_the_field() {
    let e = parse_str(r#"{"clientId":"Enter_the_Application_Id_Here","authority":"http://localhost:4123/common"}"#)
        .expect_err("placeholder");
    assert_eq!(e.code, ErrorCode::Config);
    assert!(e.message.contains("clientId"), "{}", e.message);
    assert!(
        e.message.contains("Enter_the_Application_Id_Here"),
        "{}",
        e.message
    );
}

#[test]
fn missing_client_id_and_bad_values_are_named() {
    let e = parse_str(r#"{"authority":"http://localhost:4123/common"}"#).expect_err("missing");
    assert!(e.message.contains("clientId"), "{}", e.message);
    let e = parse_str(r#"{"clientId":"abc","authority":"http://localhost:4123/common","cacheLocation":"cookies"}"#)
        .expect_err("bad cache");
    assert!(e.message.contains("cacheLocation"), "{}", e.message);
    let e = parse_str(r#"{"clientId":"abc","authority":"http://login.example.com/common"}"#)
        .expect_err("insecure");
    assert!(e.message.contains("authority"), "{}", e.message);
}

#[test]
fn invalid_json_says_where() {
    let e = parse_str("{\"clientId\": ").expect_err("json");
    assert!(
        e.message.contains("config.json is not valid JSON"),
        "{}",
        e.message
    );
    assert!(e.message.contains("line 1"), "{}", e.message);
}

#[test]
fn a_graph_endpoint_off_the_authority_is_refused_unless_allow_listed() {
    let err = parse_str(
        r#"{"clientId": "c", "authority": "http://localhost:4123/common",
            "graphEndpoint": "https://attacker.example/"}"#,
    )
    .unwrap_err();
    assert!(err.message.contains("graphEndpoint"), "{}", err.message);
    assert!(err.message.contains("allowedGraphHosts"), "{}", err.message);
    let listed = parse_str(
        r#"{"clientId": "c", "authority": "http://localhost:4123/common",
            "graphEndpoint": "https://graph.example/", "allowedGraphHosts": ["graph.example"]}"#,
    )
    .unwrap();
    assert!(listed.config.graph_endpoint_warning().is_some());
}

#[test]
fn timeout_and_logging_default_to_30_s_info_and_no_personal_data() {
    let s = parse(include_bytes!("../../../../config.json"), ORIGIN, PAGE).expect("valid");
    assert_eq!(s.http_timeout_secs, 30);
    assert_eq!(s.log_level, log::LevelFilter::Info);
    assert!(!s.log_pii);
    let s = parse_str(
        r#"{"clientId":"c","authority":"http://localhost:4123/common",
            "httpTimeoutSecs":5,"logLevel":"Verbose","logPii":true}"#,
    )
    .expect("valid");
    assert_eq!(s.http_timeout_secs, 5);
    assert_eq!(s.log_level, log::LevelFilter::Debug);
    assert!(s.log_pii);
}

#[test]
fn a_bad_timeout_or_log_level_names_the_field() {
    for (json, field) in [
        (r#""httpTimeoutSecs":0"#, "httpTimeoutSecs"),
        (r#""httpTimeoutSecs":"ten""#, "expected u32"),
        (r#""logLevel":"loud""#, "logLevel"),
    ] {
        let e = parse_str(&format!(
            r#"{{"clientId":"c","authority":"http://localhost:4123/common",{json}}}"#
        ))
        .expect_err(json);
        assert_eq!(e.code, ErrorCode::Config);
        assert!(e.message.contains(field), "{json}: {}", e.message);
    }
}

#[test]
fn oidc_mode_takes_an_issuer_and_its_scopes() {
    let s = parse_str(
        r#"{"protocolMode":"OIDC","clientId":"spa","authority":"https://idp.example/realms/demo",
            "scopes":["openid","profile","email"]}"#,
    )
    .expect("valid");
    assert_eq!(s.config.protocol_mode(), ProtocolMode::Oidc);
    assert_eq!(
        s.config.authority().url(),
        "https://idp.example/realms/demo"
    );
    assert_eq!(s.config.scopes(), ["openid", "profile", "email"]);
    let s =
        parse_str(r#"{"protocolMode":"OIDC","clientId":"spa","authority":"https://idp.example"}"#)
            .expect("valid");
    assert_eq!(s.config.scopes(), ["openid", "profile"]);
    // An AAD page keeps the tutorial's scope, whatever `scopes` says.
    let s = parse_str(
        r#"{"clientId":"abc","authority":"http://localhost:4123/common","scopes":["x"]}"#,
    )
    .expect("valid");
    assert_eq!(s.config.scopes(), ["User.Read"]);
    let e =
        parse_str(r#"{"protocolMode":"saml","clientId":"spa","authority":"https://idp.example"}"#)
            .expect_err("unknown mode");
    assert_eq!(e.code, ErrorCode::Config);
    assert!(
        e.message.contains("protocolMode") && e.message.contains("saml"),
        "{}",
        e.message
    );
    let e = parse_str(
        r#"{"protocolMode":"OIDC","clientId":"spa","authority":"https://idp.example","graphEndpoint":"https://graph.microsoft.com"}"#,
    )
    .expect_err("a Microsoft setting");
    assert!(e.message.contains("graphEndpoint"), "{}", e.message);
}
