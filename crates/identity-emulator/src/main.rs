//! `identity-emulator [--port N] [--tls] [--seed FILE]`: serves the emulator on 127.0.0.1.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use identity_emulator::{EmulatorState, Seed};

/// A local emulator of the Microsoft identity platform v2.0 and Microsoft Graph v1.0.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The port to listen on, on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Serve https with a self-signed certificate made at start; its PEM path is printed.
    #[arg(long)]
    tls: bool,
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
    let state = Arc::new(EmulatorState::new(seed, args.tls));
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let listeners = identity_emulator::Listeners::bind(args.port)?;
    let origins = listeners.origins(args.tls)?;
    let certificate = if args.tls {
        let certificate = identity_emulator::tls::self_signed()?;
        let port = listeners.main.local_addr()?.port();
        let file = identity_emulator::tls::write_certificate(
            &std::env::temp_dir(),
            port,
            &certificate.cert_pem,
        )?;
        println!("TLS certificate (PEM): {}", file.path().display());
        Some((certificate, file))
    } else {
        None
    };
    let url = |o: Option<String>| o.unwrap_or_default();
    println!("listening on {}", url(origins.main));
    println!("personal accounts sign in at {}", url(origins.personal));
    println!("federated sign-in at {}", url(origins.federated));
    identity_emulator::serve_origins(
        state,
        listeners,
        certificate.as_ref().map(|(c, _)| c),
        shutdown,
    )
    .await?;
    Ok(())
}
