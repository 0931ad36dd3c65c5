//! Token-endpoint throughput: code redemptions and refreshes per second, RS256 signing
//! included, with p50 / p99 latency. The emulator serves on 127.0.0.1:0; the load comes from
//! the same process (64 concurrent keep-alive connections), so client and server share the
//! machine's cores, as they do in the tests.
//!
//! `cargo bench -p identity-emulator --bench throughput`

use std::sync::Arc;
use std::time::{Duration, Instant};

use identity_emulator::seed::RedirectKind;
use identity_emulator::state::{AuthRequest, CodeGrant, RefreshGrant, ResponseMode};
use identity_emulator::{EmulatorState, Seed};

const CLIENT_ID: &str = "4b0db8c2-9f26-4417-8bde-3f0e3e74ad61";
const CONCURRENCY: usize = 64;
const REQUESTS: usize = 20_000;

fn request() -> AuthRequest {
    AuthRequest {
        tenant: "common".into(),
        client_id: CLIENT_ID.into(),
        redirect_uri: "http://localhost:5555".into(),
        redirect_kind: RedirectKind::Desktop,
        response_mode: ResponseMode::Query,
        scopes: vec![
            "openid".into(),
            "profile".into(),
            "offline_access".into(),
            "User.Read".into(),
        ],
        state: None,
        nonce: Some("n".into()),
        prompt: None,
        login_hint: None,
        code_challenge: None,
        client_info: true,
    }
}

async fn run(url: &str, bodies: Vec<Vec<(&'static str, String)>>) -> (f64, Vec<Duration>) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    let bodies = Arc::new(std::sync::Mutex::new(bodies));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, bodies, url) = (client.clone(), bodies.clone(), url.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let Some(body) = bodies.lock().unwrap().pop() else {
                    break;
                };
                let t = Instant::now();
                let response = client.post(&url).form(&body).send().await.unwrap();
                assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
                response.bytes().await.unwrap();
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    latencies.sort();
    (rate, latencies)
}

fn report(name: &str, rate: f64, latencies: &[Duration]) {
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{name:<22} {:>8.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} requests, {CONCURRENCY} connections)",
        rate,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        latencies.len()
    );
}

#[tokio::main]
async fn main() {
    let state = Arc::new(EmulatorState::new(Seed::default_seed(), false));
    let user = state
        .seed
        .user_by_name("adele@contoso.onmicrosoft.com")
        .unwrap()
        .clone();
    state.store().consents.insert(
        (user.oid.clone(), CLIENT_ID.into()),
        ["User.Read".to_owned()].into(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://localhost:{}/common/oauth2/v2.0/token",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(identity_emulator::serve(
        listener,
        identity_emulator::app_with(state.clone()),
        std::future::pending(),
    ));

    let now = state.now();
    let mut codes = Vec::with_capacity(REQUESTS);
    let mut refreshes = Vec::with_capacity(REQUESTS);
    {
        let mut store = state.store();
        for i in 0..REQUESTS {
            let code = format!("bench-code-{i}");
            store.codes.insert(
                code.clone(),
                CodeGrant {
                    request: request(),
                    oid: user.oid.clone(),
                    issued_at: now,
                    redeemed: false,
                    session_id: "s".into(),
                },
            );
            codes.push(vec![
                ("client_id", CLIENT_ID.to_owned()),
                ("grant_type", "authorization_code".to_owned()),
                ("code", code),
                ("redirect_uri", "http://localhost:5555".to_owned()),
            ]);
            let token = format!("bench-rt-{i}");
            store.refresh_tokens.insert(
                token.clone(),
                RefreshGrant {
                    client_id: CLIENT_ID.into(),
                    oid: user.oid.clone(),
                    tid: user.tenant.clone(),
                    kind: RedirectKind::Desktop,
                    expires_at: now + 86_400,
                    revoked: false,
                    client_info: true,
                    session_id: "s".into(),
                },
            );
            refreshes.push(vec![
                ("client_id", CLIENT_ID.to_owned()),
                ("grant_type", "refresh_token".to_owned()),
                ("refresh_token", token),
                (
                    "scope",
                    "openid profile offline_access User.Read".to_owned(),
                ),
            ]);
        }
    }
    // Warm-up: connections and allocator.
    let warm: Vec<_> = refreshes.drain(..1000).collect();
    run(&url, warm).await;
    let (rate, latencies) = run(&url, codes).await;
    report("code redemption", rate, &latencies);
    let (rate, latencies) = run(&url, refreshes).await;
    report("refresh", rate, &latencies);
}
