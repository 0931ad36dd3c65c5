use super::*;

#[tokio::test]
async fn the_listener_takes_a_query_answer_and_ignores_stray_requests() {
    let mut redirect = listen().await.unwrap();
    let base = redirect.redirect_uri.clone();
    assert!(base.starts_with("http://localhost:"));
    let client = reqwest::Client::new();
    client
        .get(format!("{base}/favicon.ico"))
        .send()
        .await
        .unwrap();
    client.get(format!("{base}/?foo=bar")).send().await.unwrap();
    assert!(redirect.answer.try_recv().is_err(), "no answer yet");
    let page = client
        .get(format!("{base}/?code=abc&state=xyz"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Sign-in complete"));
    assert_eq!(
        (&mut redirect.answer).await.unwrap(),
        format!("{base}/?code=abc&state=xyz")
    );
}

#[tokio::test]
async fn the_listener_takes_a_form_post_body() {
    let mut redirect = listen().await.unwrap();
    let client = reqwest::Client::new();
    client
        .post(format!("{}/", redirect.redirect_uri))
        .form(&[("code", "abc"), ("state", "s")])
        .send()
        .await
        .unwrap();
    assert_eq!((&mut redirect.answer).await.unwrap(), "code=abc&state=s");
}

#[test]
fn navigation_is_limited_to_the_authority_and_the_redirect() {
    let authority = Url::parse("https://login.microsoftonline.com/common").unwrap();
    let redirect = Url::parse("http://localhost:5555").unwrap();
    let ok = |u: &str| allowed(&Url::parse(u).unwrap(), &authority, &redirect);
    assert!(ok(
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?x=1"
    ));
    assert!(ok("http://localhost:5555/?code=1"));
    assert!(!ok("http://localhost:5556/?code=1"));
    assert!(!ok("https://evil.example/phish"));
    assert!(!ok("http://login.microsoftonline.com/common"));
}
