//! The Graph proxy's own cost: `graph_me`'s work in Rust (the silent token from auth-core's
//! cache, the GET through the pooled client, the reply cut down to the profile lines, the
//! answer serialized as IPC sends it) against the same GET made directly with reqwest, both on
//! the emulator over loopback. The WebKit IPC round trip around it is measured on the real
//! window by `desktop_report` (docs/benchmarks.md).
//!
//! `cargo bench -p integration-tests --bench graph_proxy`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use integration_tests::emulator::Emulator;

#[path = "../support/mock_session.rs"]
mod mock_session;

fn graph_proxy(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let emu = rt.block_on(Emulator::start()).expect("the emulator");
    let mock_session::MockSession {
        app,
        session,
        access_token: token,
    } = rt
        .block_on(mock_session::signed_in(&emu))
        .expect("a signed-in session on the emulator");
    let handle = app.handle().clone();

    let mut group = c.benchmark_group("graph_me");
    let direct = reqwest::Client::new();
    let url = emu.at(graph_view::ME_PATH);
    group.bench_function("direct reqwest GET", |b| {
        b.to_async(&rt).iter(|| async {
            let body = direct
                .get(&url)
                .bearer_auth(&token)
                .send()
                .await
                .expect("GET /me")
                .bytes()
                .await
                .expect("a body");
            black_box(body);
        })
    });
    group.bench_function("through the proxy (command body + IPC JSON)", |b| {
        b.to_async(&rt).iter(|| async {
            let profile = session.me(&handle).await.expect("the profile");
            black_box(serde_json::to_vec(&profile).expect("JSON"));
        })
    });
    group.finish();
}

criterion_group!(benches, graph_proxy);
criterion_main!(benches);
