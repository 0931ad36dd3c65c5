//! The desktop shell's Graph client (`graph_signin::graph_proxy`) against the emulator's Graph
//! on a real socket: data, throttling waited out or reported with its wait, a claims challenge
//! told apart from a refused token, and an account without a mailbox. Graph's answers are set
//! up through the emulator's state (faults, refused tokens), as only tests/ may.

use std::sync::Arc;

use graph_signin::graph_proxy::{GraphClient, GraphError};
use identity_emulator::{EmulatorState, Seed};
use integration_tests::emulator::Emulator;
use serde_json::json;

/// The emulator, and a Graph token for the seed's work user with Mail.Read.
async fn emulator() -> (Emulator, Arc<EmulatorState>, String) {
    let emu = Emulator::start_with(Seed::default_seed()).await.unwrap();
    let state = emu.state.clone();
    let user = state
        .seed
        .user_by_name("adele@contoso.onmicrosoft.com")
        .unwrap()
        .clone();
    state.store().consents.insert(
        (
            user.oid.clone(),
            "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61".into(),
        ),
        ["User.Read".to_owned(), "Mail.Read".to_owned()].into(),
    );
    let grant = identity_emulator::mint::Grant {
        user: &user,
        client_id: "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61",
        graph_scopes: vec!["User.Read".into(), "Mail.Read".into()],
        openid: false,
        nonce: None,
        session_id: "s",
        client_info: false,
    };
    let (token, _) = identity_emulator::mint::access_token(&state, &grant, state.now());
    (emu, state, token)
}

fn client(url: &str) -> GraphClient {
    GraphClient::new(reqwest::Client::new(), url::Url::parse(url).unwrap())
}

#[tokio::test]
async fn me_and_the_first_ten_messages() {
    let (emu, _, token) = emulator().await;
    let url = emu.url.clone();
    let me = client(&url).me(&token).await.unwrap();
    assert_eq!(me.display_name.as_deref(), Some("Adele Vance"));
    assert_eq!(me.office_location.as_deref(), Some("18/2111"));
    let mails = client(&url).messages(&token).await.unwrap();
    assert_eq!(mails.len(), 10);
    assert!(mails
        .iter()
        .all(|m| m.from_address.is_some() && m.subject.is_some()));
}

#[tokio::test]
async fn throttling_is_retried_after_retry_after() {
    let (emu, state, token) = emulator().await;
    let url = emu.url.clone();
    state.store().faults.push(
        serde_json::from_value(
            json!({ "path": "/v1.0/me", "status": 429, "retry_after": 1, "count": 2 }),
        )
        .unwrap(),
    );
    let me = client(&url).me(&token).await.unwrap();
    assert_eq!(me.display_name.as_deref(), Some("Adele Vance"));
    assert_eq!(
        state.store().counters.get("graph.me"),
        Some(&1),
        "two throttled answers, then one success"
    );
}

#[tokio::test]
async fn throttling_beyond_the_bound_is_a_throttled_error_with_the_wait() {
    let (emu, state, token) = emulator().await;
    let url = emu.url.clone();
    state.store().faults.push(
        serde_json::from_value(
            json!({ "path": "/v1.0/me", "status": 503, "retry_after": 120, "count": 1 }),
        )
        .unwrap(),
    );
    match client(&url).me(&token).await {
        Err(GraphError::Command(e)) => {
            assert_eq!((e.code.name(), e.retry_after), ("throttled", Some(120)));
        }
        other => panic!("expected throttled, got {other:?}"),
    }
}

#[tokio::test]
async fn claims_challenges_and_refused_tokens_are_told_apart() {
    let (emu, state, token) = emulator().await;
    let url = emu.url.clone();
    assert!(matches!(
        client(&url).me("not-a-token").await,
        Err(GraphError::Unauthorized)
    ));
    let user = state
        .seed
        .user_by_name("adele@contoso.onmicrosoft.com")
        .unwrap()
        .oid
        .clone();
    let issued = state.store().access_tokens[&user].clone();
    for t in issued {
        let raised = identity_emulator::state::Refusal::ClaimsChallenge(state.now());
        state.store().refused_tokens.insert(t, raised);
    }
    match client(&url).me(&token).await {
        Err(GraphError::ClaimsChallenge(claims)) => {
            assert!(claims.contains("access_token"), "{claims}")
        }
        other => panic!("expected a claims challenge, got {other:?}"),
    }
}

#[tokio::test]
async fn a_user_without_a_mailbox_gets_no_mailbox() {
    let (emu, state, _) = emulator().await;
    let url = emu.url.clone();
    let noah = state
        .seed
        .user_by_name("noah@contoso.onmicrosoft.com")
        .unwrap()
        .clone();
    let grant = identity_emulator::mint::Grant {
        user: &noah,
        client_id: "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61",
        graph_scopes: vec!["User.Read".into(), "Mail.Read".into()],
        openid: false,
        nonce: None,
        session_id: "s",
        client_info: false,
    };
    let (token, _) = identity_emulator::mint::access_token(&state, &grant, state.now());
    match client(&url).messages(&token).await {
        Err(GraphError::Command(e)) => assert_eq!(e.code.name(), "no_mailbox"),
        other => panic!("expected no_mailbox, got {other:?}"),
    }
}
