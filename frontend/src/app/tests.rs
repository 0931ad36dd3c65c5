use super::App;

/// Renders a component to HTML on the native target, as the browser would see it first.
fn render() -> String {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
        .block_on(yew::LocalServerRenderer::<App>::new().render())
}

#[test]
fn page_has_the_navbar_and_the_sign_in_button() {
    let html = render();
    assert!(html.contains("MS Identity Platform"), "{html}");
    assert!(html.contains(r#"id="signIn""#), "{html}");
    assert!(
        html.contains("Please sign-in to see your profile and read your mails"),
        "{html}"
    );
}
