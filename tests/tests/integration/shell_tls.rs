//! The shell's HTTP client over TLS: rustls, trusting the system's certificate store. An https
//! server whose certificate the store does not hold is refused; once the store holds it, the
//! server is reached. rustls-native-certs reads `SSL_CERT_FILE` as OpenSSL does, so the second
//! case runs this binary again as a child with the variable set: this process's environment is
//! never changed while other tests run.

use std::time::Duration;

use integration_tests::emulator::Emulator;
use integration_tests::Result;

const DISCOVERY: &str = "/common/v2.0/.well-known/openid-configuration";
/// The child's URL to fetch; only the parent test sets it.
const CHILD_URL: &str = "SHELL_TLS_CHILD_URL";

#[tokio::test]
async fn an_https_server_the_system_store_does_not_hold_is_refused() -> Result<()> {
    let emu = Emulator::start_tls_for_spa("http://localhost:1420").await?;
    assert!(emu.url.starts_with("https://"), "{}", emu.url);
    let http = graph_signin::http_client(Duration::from_secs(10))?;
    let error = http.get(emu.at(DISCOVERY)).send().await.unwrap_err();
    // reqwest's Debug form holds the whole chain of causes, down to rustls's.
    let chain = format!("{error:?}");
    assert!(error.is_connect(), "{chain}");
    assert!(chain.contains("UnknownIssuer"), "{chain}");
    Ok(())
}

#[tokio::test]
async fn an_https_server_whose_certificate_the_system_store_holds_is_reached() -> Result<()> {
    let emu = Emulator::start_tls_for_spa("http://localhost:1420").await?;
    let dir = tempfile::tempdir()?;
    let roots = dir.path().join("roots.pem");
    std::fs::write(
        &roots,
        emu.certificate_pem.as_deref().ok_or("no certificate")?,
    )?;
    let mut child = std::process::Command::new(std::env::current_exe()?);
    child
        .args(["shell_tls::child_fetches_over_tls", "--exact", "--ignored"])
        .env("SSL_CERT_FILE", &roots)
        .env(CHILD_URL, emu.at(DISCOVERY));
    let output = tokio::task::spawn_blocking(move || child.output()).await??;
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the child test failed: {said}");
    assert!(
        said.contains("1 passed"),
        "the child test did not run: {said}"
    );
    Ok(())
}

/// Run by the test above, with `SSL_CERT_FILE` naming the emulator's certificate.
#[tokio::test]
#[ignore = "a child of an_https_server_whose_certificate_the_system_store_holds_is_reached"]
async fn child_fetches_over_tls() -> Result<()> {
    let url = std::env::var(CHILD_URL).map_err(|_| {
        format!("{CHILD_URL} is not set: this test runs as a child of the one above")
    })?;
    let http = graph_signin::http_client(Duration::from_secs(10))?;
    let response = http.get(&url).send().await?;
    assert_eq!(response.status(), 200);
    let discovery: serde_json::Value = response.json().await?;
    let origin = url::Url::parse(&url)?.origin().ascii_serialization();
    assert!(
        discovery["token_endpoint"]
            .as_str()
            .is_some_and(|t| t.starts_with(&format!("{origin}/"))),
        "{discovery}"
    );
    Ok(())
}
