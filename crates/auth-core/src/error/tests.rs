use super::*;

#[test]
fn server_error_message_names_code_summary_and_ids() {
    let e = ServerError {
        status: Some(400),
        code: "invalid_grant".into(),
        aadsts: Some(70008),
        description: Some("AADSTS70008: The grant has expired.\r\nTrace ID: t\r\n".into()),
        correlation_id: Some("c-1".into()),
        trace_id: Some("t-1".into()),
        ..Default::default()
    };
    assert_eq!(
        e.to_string(),
        "The identity platform refused the request: invalid_grant (AADSTS70008: The grant has expired.). \
         Correlation ID: c-1, Trace ID: t-1. Look the code up in Microsoft's AADSTS error reference."
    );
}

#[test]
fn interaction_required_says_why() {
    let e = Error::InteractionRequired {
        reason: InteractionReason::NoAccount,
        server: None,
    };
    assert_eq!(
        e.to_string(),
        "You need to sign in again (no account is signed in)."
    );
}

#[test]
fn malformed_json_detail_never_quotes_values() {
    let err = serde_json::from_str::<u64>("\"secret-token\"").unwrap_err();
    let e = ResponseError::malformed("token", 200, &err);
    assert!(!e.to_string().contains("secret-token"), "{e}");
}

fn server(code: &str, aadsts: Option<u32>, suberror: Option<&str>) -> ServerError {
    ServerError {
        code: code.into(),
        aadsts,
        suberror: suberror.map(Into::into),
        ..Default::default()
    }
}

#[test]
fn msal_interaction_required_mapping() {
    let reason = |e: Error| match e {
        Error::InteractionRequired { reason, .. } => Some(reason),
        _ => None,
    };
    for n in [70008, 700082, 700084, 50173, 54005] {
        assert_eq!(
            reason(Error::from_server(server("invalid_grant", Some(n), None))),
            Some(InteractionReason::GrantExpiredOrRevoked),
            "{n}"
        );
    }
    assert_eq!(
        reason(Error::from_server(server(
            "invalid_grant",
            Some(65001),
            Some("consent_required")
        ))),
        Some(InteractionReason::ConsentRequired)
    );
    assert_eq!(
        reason(Error::from_server(server(
            "invalid_grant",
            None,
            Some("bad_token")
        ))),
        Some(InteractionReason::Suberror("bad_token".into()))
    );
    assert_eq!(
        reason(Error::from_server(server(
            "login_required",
            Some(50058),
            None
        ))),
        Some(InteractionReason::LoginRequired)
    );
    assert_eq!(
        reason(Error::from_server(server(
            "interaction_required",
            None,
            None
        ))),
        Some(InteractionReason::InteractionRequired)
    );
    // PKCE mismatch is the client's bug, not the user's: stays a server error, code kept.
    match Error::from_server(server("invalid_grant", Some(501481), None)) {
        Error::Server(s) => assert_eq!(s.aadsts, Some(501481)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Error::from_server(server("access_denied", None, None)),
        Error::UserCancelled { .. }
    ));
}

#[test]
fn aadsts_is_read_from_the_description() {
    assert_eq!(
        aadsts_from_description("AADSTS50058: A silent sign-in"),
        Some(50058)
    );
    assert_eq!(aadsts_from_description("AADSTS: nothing"), None);
    assert_eq!(aadsts_from_description("other"), None);
}

#[test]
fn every_kind_is_listed() {
    let samples = [
        Error::Config(crate::config::ConfigError::Placeholder {
            field: "clientId",
            value: "x".into(),
            hint: "y",
        }),
        Error::from(server("invalid_request", None, None)),
        Error::InteractionRequired {
            reason: InteractionReason::NoAccount,
            server: None,
        },
        Error::UserCancelled { server: None },
        Error::InteractionInProgress,
        Error::StateMismatch,
        Error::Network(NetworkError::new("down")),
        Error::Cache(crate::token_cache::CacheError::UnsupportedVersion { found: 9 }),
        Error::Throttled {
            retry_at: 1,
            retry_after: 1,
        },
        Error::IdToken(crate::id_token::IdTokenError::Malformed("x".into())),
        Error::Response(ResponseError::MissingCode),
        Error::Random("no source".into()),
    ];
    let kinds: Vec<&str> = samples.iter().map(Error::kind).collect();
    assert_eq!(kinds, Error::KINDS);
}

#[test]
fn kinds_are_stable_names() {
    assert_eq!(Error::StateMismatch.kind(), "state_mismatch");
    assert_eq!(
        Error::from_server(server("access_denied", None, None)).kind(),
        "user_cancelled"
    );
    assert_eq!(
        Error::Throttled {
            retry_at: 1,
            retry_after: 1
        }
        .kind(),
        "throttled"
    );
}

/// The error types sit below the modules that use them, and `authority` below `config`: no
/// import cycle between them.
#[test]
fn errors_and_authorities_import_none_of_their_users() {
    let imports = |source: &'static str| -> Vec<&'static str> {
        source
            .lines()
            .filter(|l| l.trim_start().starts_with("use crate::"))
            .collect()
    };
    assert_eq!(imports(include_str!("../error.rs")), Vec::<&str>::new());
    assert_eq!(imports(include_str!("leaf.rs")), Vec::<&str>::new());
    let authority = imports(include_str!("../authority.rs"));
    assert!(
        authority.iter().all(|l| !l.contains("crate::config")),
        "{authority:?}"
    );
    let placeholder = imports(include_str!("../placeholder.rs"));
    assert_eq!(placeholder, ["use crate::error::ConfigError;"]);
}
