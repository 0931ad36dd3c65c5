//! `identity-emulator [--port N] [--tls] [--seed FILE]`: serves the emulator on 127.0.0.1.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use identity_emulator::{Seed, State};

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
    let state = Arc::new(State::new(seed, args.tls));
    let router = identity_emulator::app_with(state);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let listener = std::net::TcpListener::bind(("127.0.0.1", args.port))?;
    let port = listener.local_addr()?.port();
    if args.tls {
        let certificate = identity_emulator::tls::self_signed()?;
        let path = std::env::temp_dir().join(format!("identity-emulator-{port}.pem"));
        std::fs::write(&path, &certificate.cert_pem)?;
        println!("TLS certificate (PEM): {}", path.display());
        println!("listening on https://localhost:{port}");
        identity_emulator::tls::serve_tls(listener, router, &certificate, shutdown).await?;
    } else {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        println!("listening on http://localhost:{port}");
        identity_emulator::serve(listener, router, shutdown).await?;
    }
    Ok(())
}
