use super::*;

#[test]
fn placeholder_client_id_is_refused_and_named() {
    let err = check_not_placeholder("clientId", "Enter_the_Application_Id_Here").unwrap_err();
    assert_eq!(
        err.to_string(),
        "`clientId` still holds the tutorial placeholder `Enter_the_Application_Id_Here`: put the \
         Application (client) ID from your app registration's Overview page there"
    );
}

#[test]
fn a_real_client_id_passes() {
    assert_eq!(
        check_not_placeholder("clientId", "6b3a2f4e-0c61-4d2b-9a57-1f1d6c1d2e3f"),
        Ok(())
    );
}

#[test]
fn every_tutorial_placeholder_is_refused_with_its_field() {
    let raw = RawConfig {
        client_id: "id".into(),
        cloud_instance: Some("Enter_the_Cloud_Instance_Id_Here".into()),
        tenant: Some("common".into()),
        redirect_uri: "http://localhost:3000".into(),
        ..Default::default()
    };
    let err = Config::from_raw(raw.clone()).unwrap_err();
    assert!(
        matches!(
            err,
            ConfigError::Placeholder {
                field: "cloudInstance",
                ..
            }
        ),
        "{err}"
    );

    let raw2 = RawConfig {
        cloud_instance: Some("https://login.microsoftonline.com".into()),
        tenant: Some("Enter_the_Tenant_Info_Here".into()),
        ..raw.clone()
    };
    let err = Config::from_raw(raw2).unwrap_err();
    assert!(err.to_string().contains("`tenant`"), "{err}");
    assert!(
        err.to_string().contains("common, organizations, consumers"),
        "{err}"
    );

    let raw3 = RawConfig {
        cloud_instance: None,
        graph_endpoint: Some("Enter_the_Graph_Endpoint_Herev1.0/me".into()),
        ..raw
    };
    let err = Config::from_raw(raw3).unwrap_err();
    assert!(matches!(
        err,
        ConfigError::Placeholder {
            field: "graphEndpoint",
            ..
        }
    ));
}

#[test]
fn emulator_on_localhost_is_accepted_with_its_own_graph() {
    let c = Config::new(
        "client",
        "http://localhost:4123/common",
        "http://localhost:1420",
        ClientType::Desktop,
    )
    .unwrap();
    assert_eq!(c.authority().url(), "http://localhost:4123/common");
    assert_eq!(c.authority().environment(), "localhost:4123");
    assert_eq!(c.graph_endpoint().as_str(), "http://localhost:4123/");
    assert_eq!(c.scopes(), ["User.Read"]);
}

#[test]
fn http_is_refused_off_loopback() {
    for bad in [
        "http://login.microsoftonline.com/common",
        "http://10.0.0.1/common",
    ] {
        let err = Config::new("c", bad, "http://localhost", ClientType::Spa).unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::Insecure {
                    field: "authority",
                    ..
                }
            ),
            "{err}"
        );
    }
    for ok in ["http://127.0.0.1:9/common", "http://[::1]:9/common"] {
        Config::new("c", ok, "http://localhost", ClientType::Spa).unwrap();
    }
}

#[test]
fn national_clouds_pick_their_graph() {
    let raw = |instance: &str| RawConfig {
        client_id: "id".into(),
        cloud_instance: Some(instance.into()),
        tenant: Some("organizations".into()),
        redirect_uri: "https://app.example/".into(),
        ..Default::default()
    };
    let us = Config::from_raw(raw("https://login.microsoftonline.us/")).unwrap();
    assert_eq!(us.graph_endpoint().as_str(), "https://graph.microsoft.us/");
    let cn = Config::from_raw(raw("https://login.partner.microsoftonline.cn")).unwrap();
    assert_eq!(
        cn.graph_endpoint().as_str(),
        "https://microsoftgraph.chinacloudapi.cn/"
    );
    let default = Config::from_raw(RawConfig {
        cloud_instance: None,
        ..raw("")
    })
    .unwrap();
    assert_eq!(
        default.authority().url(),
        "https://login.microsoftonline.com/organizations"
    );
    assert_eq!(
        default.graph_endpoint().as_str(),
        "https://graph.microsoft.com/"
    );
}

#[test]
fn missing_and_malformed_fields_are_named() {
    let err = Config::new(
        "",
        "https://login.microsoftonline.com/common",
        "http://localhost",
        ClientType::Spa,
    )
    .unwrap_err();
    assert_eq!(err, ConfigError::Missing { field: "clientId" });
    let err = Config::new(
        "c",
        "https://login.microsoftonline.com/common",
        "not a url",
        ClientType::Spa,
    )
    .unwrap_err();
    assert!(matches!(
        err,
        ConfigError::Invalid {
            field: "redirectUri",
            ..
        }
    ));
    let err = Config::new(
        "c",
        "https://login.microsoftonline.com/",
        "http://localhost",
        ClientType::Spa,
    )
    .unwrap_err();
    assert!(matches!(
        err,
        ConfigError::Invalid {
            field: "authority",
            ..
        }
    ));
}

#[test]
fn raw_config_reads_camel_case_json() {
    let raw: RawConfig = serde_json::from_str(
        r#"{"clientId":"abc","authority":"https://login.microsoftonline.com/consumers",
            "redirectUri":"http://localhost:3000","clientType":"desktop","scopes":["User.Read","Mail.Read"]}"#,
    )
    .unwrap();
    let c = Config::from_raw(raw).unwrap();
    assert_eq!(c.client_type(), ClientType::Desktop);
    assert_eq!(c.scopes(), ["User.Read", "Mail.Read"]);
}

fn with_graph(authority: &str, graph: &str, allowed: &[&str]) -> Result<Config, ConfigError> {
    Config::from_raw(RawConfig {
        client_id: "id".into(),
        authority: Some(authority.into()),
        redirect_uri: "http://localhost".into(),
        graph_endpoint: Some(graph.into()),
        allowed_graph_hosts: allowed.iter().map(|h| h.to_string()).collect(),
        ..Default::default()
    })
}

#[test]
fn a_microsoft_authority_sends_its_graph_token_only_to_its_own_clouds_graph() {
    let public = "https://login.microsoftonline.com/common";
    for ok in [
        "https://graph.microsoft.com",
        "https://graph.microsoft.com/",
        "https://GRAPH.microsoft.com:443/",
    ] {
        let c = with_graph(public, ok, &[]).unwrap();
        assert_eq!(c.graph_endpoint().host_str(), Some("graph.microsoft.com"));
        assert_eq!(c.graph_endpoint_warning(), None);
    }
    // Another host, another cloud's Graph, another port: refused, even when allow-listed,
    // since the token is Microsoft's.
    for (bad, allowed) in [
        ("https://attacker.example/", &[][..]),
        ("https://attacker.example/", &["attacker.example"][..]),
        ("https://graph.microsoft.us/", &[][..]),
        ("https://graph.microsoft.com:8443/", &[][..]),
        ("https://graph.microsoft.com.attacker.example/", &[][..]),
    ] {
        let err = with_graph(public, bad, allowed).unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(
                err,
                ConfigError::Invalid {
                    field: "graphEndpoint",
                    ..
                }
            ),
            "{text}"
        );
        assert!(text.contains("https://graph.microsoft.com/"), "{text}");
        assert!(text.contains("login.microsoftonline.com"), "{text}");
    }
    let us = with_graph(
        "https://login.microsoftonline.us/organizations",
        "https://graph.microsoft.us",
        &[],
    )
    .unwrap();
    assert_eq!(us.graph_endpoint().as_str(), "https://graph.microsoft.us/");
    with_graph(
        "https://login.microsoftonline.us/organizations",
        "https://graph.microsoft.com",
        &[],
    )
    .unwrap_err();
}

#[test]
fn another_authority_uses_its_own_origin_or_an_allow_listed_host_with_a_warning() {
    let emulator = "http://localhost:4123/common";
    let same = with_graph(emulator, "http://localhost:4123", &[]).unwrap();
    assert_eq!(same.graph_endpoint_warning(), None);

    for bad in [
        "http://localhost:4124/",
        "http://127.0.0.1:4123/",
        "https://graph.microsoft.com/",
    ] {
        let err = with_graph(emulator, bad, &[]).unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::Invalid {
                    field: "graphEndpoint",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("allowedGraphHosts"), "{err}");
    }

    let listed = with_graph(emulator, "http://127.0.0.1:5000/", &["127.0.0.1:5000"]).unwrap();
    assert_eq!(listed.graph_endpoint().as_str(), "http://127.0.0.1:5000/");
    let warning = listed.graph_endpoint_warning().expect("a warning");
    assert!(warning.contains("127.0.0.1:5000"), "{warning}");
    // A host listed without its port does not cover another port.
    with_graph(emulator, "http://127.0.0.1:5000/", &["127.0.0.1"]).unwrap_err();
    // The allow-list does not lift the https rule.
    let err = with_graph(
        "https://id.example/tenant",
        "http://graph.example/",
        &["graph.example"],
    )
    .unwrap_err();
    assert!(matches!(err, ConfigError::Insecure { .. }), "{err}");
}

#[test]
fn oidc_mode_takes_an_issuer_and_refuses_microsoft_settings() {
    let raw = RawConfig {
        client_id: "graph-signin".into(),
        authority: Some(" https://keycloak.example/realms/demo ".into()),
        redirect_uri: "http://localhost".into(),
        protocol_mode: ProtocolMode::Oidc,
        ..Default::default()
    };
    let c = Config::from_raw(raw.clone()).unwrap();
    assert_eq!(c.protocol_mode(), ProtocolMode::Oidc);
    assert_eq!(c.authority().url(), "https://keycloak.example/realms/demo");
    assert_eq!(c.scopes(), ["openid", "profile"]);
    assert!(c.authority().needs_discovery());

    let missing = Config::from_raw(RawConfig {
        authority: None,
        ..raw.clone()
    })
    .unwrap_err();
    assert_eq!(missing, ConfigError::Missing { field: "authority" });
    for (field, changed) in [
        (
            "tenant",
            RawConfig {
                tenant: Some("common".into()),
                ..raw.clone()
            },
        ),
        (
            "graphEndpoint",
            RawConfig {
                graph_endpoint: Some("https://graph.microsoft.com/".into()),
                ..raw.clone()
            },
        ),
        (
            "cloudInstance",
            RawConfig {
                cloud_instance: Some("https://login.microsoftonline.us".into()),
                ..raw.clone()
            },
        ),
    ] {
        let err = Config::from_raw(changed).unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { field: f, .. } if *f == field),
            "{field}: {err}"
        );
        assert!(
            err.to_string().contains("no use when protocolMode is OIDC"),
            "{err}"
        );
    }
    assert_eq!(ProtocolMode::parse("oidc").unwrap(), ProtocolMode::Oidc);
    assert_eq!(ProtocolMode::parse(" AAD ").unwrap(), ProtocolMode::Aad);
    let err = ProtocolMode::parse("saml").unwrap_err().to_string();
    assert!(
        err.contains("protocolMode") && err.contains("saml"),
        "{err}"
    );
    let json: RawConfig =
        serde_json::from_str(r#"{"clientId":"x","protocolMode":"OIDC"}"#).unwrap();
    assert_eq!(json.protocol_mode, ProtocolMode::Oidc);
}
