use super::*;
use shell_contract::ErrorCode;

#[test]
fn answers_parse_in_the_commands_shapes() {
    let a: Option<AccountView> = parse_answer(
        "account",
        r#"{"name":"Adele Vance","username":"adele@contoso.onmicrosoft.com","tenantId":"t"}"#,
    )
    .expect("an account");
    assert_eq!(a.expect("some").greeting_name(), "Adele Vance");
    let none: Option<AccountView> = parse_answer("account", "null").expect("null");
    assert!(none.is_none());
    let p: Profile = parse_answer(
        "graph_me",
        r#"{"displayName":null,"jobTitle":"Retail Manager","mail":null,"businessPhones":[],
           "mobilePhone":null,"officeLocation":null}"#,
    )
    .expect("a profile");
    assert_eq!(p.job_title.as_deref(), Some("Retail Manager"));
    let m: Vec<MailSummary> = parse_answer(
        "graph_messages",
        r#"[{"id":"1","subject":"<img src=x onerror=alert(1)>","fromName":null,
            "fromAddress":"a@b","bodyPreview":null}]"#,
    )
    .expect("mails");
    assert_eq!(m[0].subject_text(), "<img src=x onerror=alert(1)>");
    let unit: Option<()> = parse_answer("sign_out", "null").expect("null");
    assert!(unit.is_none());
}

#[test]
fn a_greeting_falls_back_to_the_username() {
    let a: AccountView = parse_answer(
        "sign_in",
        r#"{"name":null,"username":"sam@outlook","tenantId":"t"}"#,
    )
    .expect("an account");
    assert_eq!(a.greeting_name(), "sam@outlook");
}

#[test]
fn rejections_keep_the_shells_code_and_message() {
    let e = parse_rejection(
        "graph_me",
        r#"{"code":"throttled","message":"Graph asked to wait.","retryAfter":12}"#,
    );
    assert_eq!(e.code, ErrorCode::Throttled);
    assert_eq!(e.retry_after, Some(12));
    let e = parse_rejection("sign_in", r#""Command sign_in not allowed by ACL""#);
    assert_eq!(e.code, ErrorCode::Ipc);
    assert!(e.message.contains("not allowed by ACL"), "{}", e.message);
}

#[test]
fn an_unreadable_answer_is_an_ipc_error() {
    let e = parse_answer::<Profile>("graph_me", "[1,2").expect_err("malformed");
    assert_eq!(e.code, ErrorCode::Ipc);
    assert!(e.message.contains("graph_me"), "{}", e.message);
}

#[test]
fn progress_stages_are_read_by_the_names_the_shell_sends() {
    assert_eq!(
        Stage::from_name("waitingForLoginWindow"),
        Some(Stage::WaitingForLoginWindow)
    );
    assert_eq!(Stage::from_name("signingIn"), Some(Stage::SigningIn));
    assert_eq!(Stage::from_name("callingGraph"), Some(Stage::CallingGraph));
    assert_eq!(Stage::from_name("idle"), Some(Stage::Idle));
    assert_eq!(Stage::from_name("somethingNew"), None);
    assert_eq!(Stage::from_name(""), None);
}
