//! `identity-emulator [--port N]`: serves the emulator on 127.0.0.1.

use clap::Parser;
use tokio::net::TcpListener;

/// A local emulator of the Microsoft identity platform v2.0 and Microsoft Graph v1.0.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The port to listen on, on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "identity_emulator=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let listener = TcpListener::bind(("127.0.0.1", args.port)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    identity_emulator::run(listener, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
