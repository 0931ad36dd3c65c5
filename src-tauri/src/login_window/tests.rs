use super::*;
use crate::tests::test_client;

#[tokio::test]
async fn the_listener_takes_a_query_answer_and_ignores_stray_requests() {
    let mut redirect = listen(Expect::Authorization).await.unwrap();
    let base = redirect.redirect_uri.clone();
    assert!(base.starts_with("http://localhost:"));
    let client = test_client();
    let status = |r: reqwest::Response| r.status().as_u16();
    client
        .get(format!("{base}/favicon.ico"))
        .send()
        .await
        .unwrap();
    client.get(format!("{base}/?foo=bar")).send().await.unwrap();
    // Before the request's state is known, even a well-formed answer is a stray.
    let early = client
        .get(format!("{base}/?code=early&state=xyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(status(early), 400);
    redirect.expect_state("xyz");
    // Another state, no state, or a forged error: strays, from any local process or page.
    for stray in [
        "code=forged&state=abc",
        "code=forged",
        "error=access_denied&state=other",
    ] {
        let r = client.get(format!("{base}/?{stray}")).send().await.unwrap();
        assert_eq!(status(r), 400, "{stray}");
    }
    assert!(redirect.answer.try_recv().is_err(), "no answer yet");
    let response = client
        .get(format!("{base}/?code=abc&state=xyz"))
        .send()
        .await
        .unwrap();
    // Its address holds the code: never in WebKit's disk cache.
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page = response.text().await.unwrap();
    assert!(page.contains("Sign-in complete"));
    assert_eq!(
        (&mut redirect.answer).await.unwrap(),
        format!("{base}/?code=abc&state=xyz")
    );
}

#[tokio::test]
async fn the_listener_takes_a_form_post_body_with_its_state_only() {
    let mut redirect = listen(Expect::Authorization).await.unwrap();
    redirect.expect_state("s");
    let client = test_client();
    let url = format!("{}/", redirect.redirect_uri);
    let stray = client
        .post(&url)
        .form(&[("code", "forged"), ("state", "t")])
        .send()
        .await
        .unwrap();
    assert_eq!(stray.status().as_u16(), 400);
    let stray = client.post(&url).body("anything").send().await.unwrap();
    assert_eq!(stray.status().as_u16(), 400);
    assert!(redirect.answer.try_recv().is_err(), "no answer yet");
    client
        .post(&url)
        .form(&[("code", "abc"), ("state", "s")])
        .send()
        .await
        .unwrap();
    assert_eq!((&mut redirect.answer).await.unwrap(), "code=abc&state=s");
}

#[tokio::test]
async fn the_listener_holds_its_port_on_both_loopback_families() {
    let mut redirect = listen(Expect::Authorization).await.unwrap();
    redirect.expect_state("s");
    let port: u16 = redirect
        .redirect_uri
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    if std::net::TcpListener::bind((std::net::Ipv6Addr::LOCALHOST, 0)).is_err() {
        // No IPv6 loopback here: `localhost` cannot reach [::1] either.
        return;
    }
    // No other process can take the port on [::1], where `localhost` may resolve.
    let taken = std::net::TcpListener::bind((std::net::Ipv6Addr::LOCALHOST, port)).unwrap_err();
    assert_eq!(taken.kind(), std::io::ErrorKind::AddrInUse);
    // And the answer is taken there too.
    test_client()
        .get(format!("http://[::1]:{port}/?code=abc&state=s"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (&mut redirect.answer).await.unwrap(),
        format!("http://localhost:{port}/?code=abc&state=s")
    );
}

#[tokio::test]
async fn the_sign_out_listener_ends_at_the_first_return() {
    let mut redirect = listen(Expect::SignedOut).await.unwrap();
    assert!(redirect.answer.try_recv().is_err(), "no answer yet");
    let page = test_client()
        .get(format!("{}/?state=s", redirect.redirect_uri))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Signed out"));
    assert!((&mut redirect.answer).await.is_ok());
}

#[test]
fn navigation_goes_to_any_https_page_and_to_http_only_on_loopback() {
    let ok = |u: &str| allowed(&Url::parse(u).unwrap());
    // The authority, login.live.com, a company's AD FS, the emulator and the redirect URI.
    assert!(ok(
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?x=1"
    ));
    assert!(ok("https://login.live.com/ppsecure/post.srf"));
    assert!(ok("https://adfs.fabrikam.example/adfs/ls/"));
    assert!(ok("http://localhost:5555/?code=1"));
    assert!(ok("http://127.0.0.1:4123/common/oauth2/v2.0/authorize"));
    assert!(ok("http://[::1]:4123/"));
    assert!(ok("about:blank"));
    // Plain http off loopback, and other schemes, never.
    assert!(!ok("http://login.microsoftonline.com/common"));
    assert!(!ok("http://evil.example/"));
    assert!(!ok("http://localhost.evil.example/"));
    assert!(!ok("file:///etc/passwd"));
    assert!(!ok("javascript:alert(1)"));
    assert!(!ok("about:srcdoc"));
}
