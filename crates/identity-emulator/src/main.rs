//! `identity-emulator [--port N] [--seed FILE]`: serves the emulator on 127.0.0.1.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use identity_emulator::{Seed, State};
use tokio::net::TcpListener;

/// A local emulator of the Microsoft identity platform v2.0 and Microsoft Graph v1.0.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The port to listen on, on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// A seed file (TOML or JSON) instead of the built-in seed.
    #[arg(long)]
    seed: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "identity_emulator=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let seed = match &args.seed {
        Some(path) => Seed::load(path)?,
        None => Seed::default_seed(),
    };
    let state = Arc::new(State::new(seed, false));
    let listener = TcpListener::bind(("127.0.0.1", args.port)).await?;
    println!(
        "listening on http://localhost:{}",
        listener.local_addr()?.port()
    );
    let router = identity_emulator::app_with(state);
    identity_emulator::serve(listener, router, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
