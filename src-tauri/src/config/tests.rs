use super::*;

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn with_nothing_configured_the_app_signs_in_to_its_demo_tenant() {
    let config = DesktopConfig::load(None, no_env, Settings::default()).unwrap();
    assert_eq!(config.demo_port(), Some(0));
    // No authority until the demo tenant listens: never a default one.
    assert_eq!(
        config.core("http://localhost:5555").unwrap_err().code,
        shell_contract::ErrorCode::Config
    );
    let config = config.on_demo_tenant("http://localhost:5000").unwrap();
    let core = config.core("http://localhost:5555").unwrap();
    assert_eq!(core.client_id(), DEFAULT_CLIENT_ID);
    assert_eq!(
        core.authority().url().as_str(),
        "http://localhost:5000/common"
    );
    assert_eq!(config.login_timeout, Duration::from_secs(300));

    let env = |name: &str| (name == "GRAPH_SIGNIN_EMULATOR_PORT").then(|| "4123".to_owned());
    let config = DesktopConfig::load(None, env, Settings::default()).unwrap();
    assert_eq!(config.demo_port(), Some(4123));
    let env = |name: &str| (name == "GRAPH_SIGNIN_EMULATOR_PORT").then(|| "70000".to_owned());
    let error = DesktopConfig::load(None, env, Settings::default()).unwrap_err();
    assert!(
        error.message.contains("GRAPH_SIGNIN_EMULATOR_PORT"),
        "{}",
        error.message
    );
}

#[test]
fn a_client_id_or_an_authority_turns_the_demo_tenant_off() {
    // A client ID alone: MSAL's default authority.
    let flags = Settings {
        client_id: Some("11111111-1111-1111-1111-111111111111".into()),
        emulator_port: Some(4123),
        ..Settings::default()
    };
    let config = DesktopConfig::load(None, no_env, flags).unwrap();
    assert_eq!(config.demo_port(), None);
    assert_eq!(
        config
            .core("http://localhost:5555")
            .unwrap()
            .authority()
            .url()
            .as_str(),
        "https://login.microsoftonline.com/common"
    );
    // An authority alone: a standalone emulator, with its client ID.
    let env = |name: &str| {
        (name == "GRAPH_SIGNIN_AUTHORITY").then(|| "http://localhost:4124/common".to_owned())
    };
    let config = DesktopConfig::load(None, env, Settings::default()).unwrap();
    assert_eq!(config.demo_port(), None);
    assert_eq!(
        config.core("http://localhost:5555").unwrap().client_id(),
        DEFAULT_CLIENT_ID
    );
}

#[test]
fn file_then_environment_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "clientId = \"11111111-1111-1111-1111-111111111111\"\nauthority = \"https://login.microsoftonline.com/organizations\"\nloginTimeoutSecs = 60\n",
    )
    .unwrap();
    let env = |name: &str| {
        (name == "GRAPH_SIGNIN_CLIENT_ID")
            .then(|| "22222222-2222-2222-2222-222222222222".to_owned())
    };
    let flags = Settings {
        login_timeout_secs: Some(30),
        ..Settings::default()
    };
    let config = DesktopConfig::load(Some(dir.path()), env, flags).unwrap();
    let core = config.core("http://localhost:5555").unwrap();
    assert_eq!(core.client_id(), "22222222-2222-2222-2222-222222222222");
    assert_eq!(
        core.authority().url().as_str(),
        "https://login.microsoftonline.com/organizations"
    );
    assert_eq!(config.login_timeout, Duration::from_secs(30));
    assert_eq!(config.sources.len(), 4);
}

#[test]
fn a_placeholder_is_refused_with_the_field_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.json"),
        r#"{"clientId": "Enter_the_Application_Id_Here"}"#,
    )
    .unwrap();
    let error = DesktopConfig::load(Some(dir.path()), no_env, Settings::default()).unwrap_err();
    assert_eq!(error.code, shell_contract::ErrorCode::Config);
    assert!(error.message.contains("clientId"), "{}", error.message);
    assert!(error.message.contains("config.json"), "{}", error.message);
}

#[test]
fn a_malformed_file_or_unknown_key_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "clientId = \n").unwrap();
    assert_eq!(
        DesktopConfig::load(Some(dir.path()), no_env, Settings::default())
            .unwrap_err()
            .code,
        shell_contract::ErrorCode::Config
    );
    std::fs::write(dir.path().join("config.toml"), "clientID = \"x\"\n").unwrap();
    let error = DesktopConfig::load(Some(dir.path()), no_env, Settings::default()).unwrap_err();
    assert!(error.message.contains("clientID"), "{}", error.message);
}

#[test]
fn national_cloud_presets_come_through_cloud_instance() {
    let flags = Settings {
        cloud_instance: Some("https://login.microsoftonline.us".to_owned()),
        tenant: Some("contoso.onmicrosoft.us".to_owned()),
        ..Settings::default()
    };
    let config = DesktopConfig::load(None, no_env, flags).unwrap();
    let core = config.core("http://localhost:5555").unwrap();
    assert_eq!(
        core.authority().url().as_str(),
        "https://login.microsoftonline.us/contoso.onmicrosoft.us"
    );
    assert_eq!(core.graph_endpoint().host_str(), Some("graph.microsoft.us"));
}

#[test]
fn a_graph_endpoint_off_the_authority_is_refused_unless_allow_listed_and_then_warned() {
    let env = |endpoint: &'static str, allowed: Option<&'static str>| {
        move |name: &str| match name {
            "GRAPH_SIGNIN_AUTHORITY" => Some("https://login.microsoftonline.com/common".to_owned()),
            "GRAPH_SIGNIN_GRAPH_ENDPOINT" => Some(endpoint.to_owned()),
            "GRAPH_SIGNIN_ALLOWED_GRAPH_HOSTS" => allowed.map(str::to_owned),
            _ => None,
        }
    };
    let error = DesktopConfig::load(
        None,
        env("https://attacker.example/", None),
        Settings::default(),
    )
    .unwrap_err();
    assert_eq!(error.code, shell_contract::ErrorCode::Config);
    assert!(error.message.contains("graphEndpoint"), "{}", error.message);
    assert!(error.message.contains("environment"), "{}", error.message);
    // A Microsoft cloud's token never goes elsewhere, listed or not.
    DesktopConfig::load(
        None,
        env("https://attacker.example/", Some("attacker.example")),
        Settings::default(),
    )
    .unwrap_err();
    let ok = DesktopConfig::load(
        None,
        env("https://graph.microsoft.com", None),
        Settings::default(),
    )
    .unwrap();
    assert_eq!(ok.warning, None);

    // Off a Microsoft cloud (the emulator's authority), a listed host is let through, warned.
    let flags = Settings {
        authority: Some("http://localhost:4123/common".into()),
        graph_endpoint: Some("http://127.0.0.1:5000".into()),
        allowed_graph_hosts: Some(vec!["127.0.0.1:5000".into()]),
        ..Settings::default()
    };
    let listed = DesktopConfig::load(None, no_env, flags).unwrap();
    let warning = listed.warning.clone().expect("a warning at start");
    assert!(warning.contains("127.0.0.1:5000"), "{warning}");
    assert_eq!(
        listed
            .core("http://localhost:1")
            .unwrap()
            .graph_endpoint()
            .as_str(),
        "http://127.0.0.1:5000/"
    );
}

#[test]
fn usernames_are_logged_only_with_log_pii() {
    let config = DesktopConfig::load(None, no_env, Settings::default()).unwrap();
    assert!(!config.log_pii());
    let env = |name: &str| (name == "GRAPH_SIGNIN_LOG_PII").then(|| "true".to_owned());
    assert!(DesktopConfig::load(None, env, Settings::default())
        .unwrap()
        .log_pii());
    let env = |name: &str| (name == "GRAPH_SIGNIN_LOG_PII").then(|| "yes please".to_owned());
    let error = DesktopConfig::load(None, env, Settings::default()).unwrap_err();
    assert!(
        error.message.contains("GRAPH_SIGNIN_LOG_PII"),
        "{}",
        error.message
    );
}

#[test]
fn oidc_mode_comes_from_the_environment_or_the_file_with_its_scopes() {
    let env = |name: &str| match name {
        "GRAPH_SIGNIN_PROTOCOL_MODE" => Some("oidc".to_owned()),
        "GRAPH_SIGNIN_AUTHORITY" => Some("https://keycloak.example/realms/demo".to_owned()),
        "GRAPH_SIGNIN_CLIENT_ID" => Some("graph-signin".to_owned()),
        "GRAPH_SIGNIN_SCOPES" => Some("openid, profile,email".to_owned()),
        _ => None,
    };
    let config = DesktopConfig::load(None, env, Settings::default()).unwrap();
    assert!(config.is_oidc());
    assert!(!config.is_demo());
    let core = config.core("http://localhost:5555").unwrap();
    assert_eq!(core.protocol_mode(), ProtocolMode::Oidc);
    assert_eq!(
        core.authority().url(),
        "https://keycloak.example/realms/demo"
    );
    assert_eq!(core.scopes(), ["openid", "profile", "email"]);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "protocolMode = \"OIDC\"\nauthority = \"https://idp.example\"\n",
    )
    .unwrap();
    let error = DesktopConfig::load(Some(dir.path()), no_env, Settings::default()).unwrap_err();
    assert!(
        error.message.contains("protocolMode OIDC needs") && error.message.contains("clientId"),
        "{}",
        error.message
    );
    std::fs::write(
        dir.path().join("config.toml"),
        "protocolMode = \"SAML\"\nclientId = \"x\"\nauthority = \"https://idp.example\"\n",
    )
    .unwrap();
    let error = DesktopConfig::load(Some(dir.path()), no_env, Settings::default()).unwrap_err();
    assert!(
        error.message.contains("protocolMode") && error.message.contains("SAML"),
        "{}",
        error.message
    );
    // AAD stays the default, and an explicit AAD changes nothing.
    let flags = Settings {
        client_id: Some("11111111-2222-3333-4444-555555555555".into()),
        protocol_mode: Some("AAD".into()),
        ..Settings::default()
    };
    let config = DesktopConfig::load(None, no_env, flags).unwrap();
    assert!(!config.is_oidc());
    let core = config.core("http://localhost:5555").unwrap();
    assert_eq!(core.protocol_mode(), ProtocolMode::Aad);
    assert_eq!(core.scopes(), ["User.Read"]);
}
