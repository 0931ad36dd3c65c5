use super::*;

#[test]
fn phone_is_the_first_business_phone_else_the_mobile() {
    let p = Profile {
        business_phones: vec!["+1 1".into(), "+1 2".into()],
        mobile_phone: Some("+1 3".into()),
        ..Profile::default()
    };
    assert_eq!(p.lines()[2].value, "+1 1");
    let p = Profile {
        mobile_phone: Some("+1 3".into()),
        ..Profile::default()
    };
    assert_eq!(p.lines()[2].value, "+1 3");
}

#[test]
fn missing_and_blank_fields_are_not_set() {
    let p = Profile {
        job_title: Some("  ".into()),
        ..Profile::default()
    };
    let lines = p.lines();
    assert_eq!(
        lines.iter().map(|l| l.label).collect::<Vec<_>>(),
        ["Title", "Mail", "Phone", "Location"]
    );
    assert!(lines.iter().all(|l| l.missing && l.value == NOT_SET));
}

#[test]
fn graph_me_with_nulls_parses() {
    let p = parse_profile(
        br#"{"displayName":"Noah","jobTitle":null,"mail":null,"businessPhones":null,
            "mobilePhone":null,"officeLocation":null,"userPrincipalName":"noah@contoso"}"#,
    )
    .expect("a profile");
    assert_eq!(p.display_name.as_deref(), Some("Noah"));
    assert!(p.business_phones.is_empty());
    assert!(p.lines().iter().all(|l| l.missing));
}

#[test]
fn absent_fields_are_none_or_empty() {
    // The defaults are given field by field (not for the whole struct): an empty object reads
    // as the default value, for Graph's `/me` and for the desktop commands' mail shape.
    assert_eq!(parse_profile(b"{}").expect("a profile"), Profile::default());
    let p = parse_profile(br#"{"mail":"noah@contoso"}"#).expect("a profile");
    assert_eq!(p.mail.as_deref(), Some("noah@contoso"));
    assert!(p.business_phones.is_empty() && p.display_name.is_none());
    let m: MailSummary = serde_json::from_str("{}").expect("a mail");
    assert_eq!(m, MailSummary::default());
    let m: MailSummary = serde_json::from_str(r#"{"subject":"Hi"}"#).expect("a mail");
    assert_eq!((m.id.as_str(), m.subject_text()), ("", "Hi"));
}

#[test]
fn graph_messages_keep_ten_and_read_the_sender() {
    let value: Vec<serde_json::Value> = (0..12)
        .map(|i| {
            serde_json::json!({
                "id": format!("m{i}"), "subject": format!("S{i}"), "bodyPreview": "p",
                "from": {"emailAddress": {"name": "Megan", "address": "megan@contoso"}}
            })
        })
        .collect();
    let body = serde_json::to_vec(&serde_json::json!({ "value": value })).expect("json");
    let mails = parse_messages(&body).expect("mails");
    assert_eq!(mails.len(), MAX_MAILS);
    assert_eq!(mails[3].subject.as_deref(), Some("S3"));
    assert_eq!(mails[3].sender_text(), "megan@contoso");
}

#[test]
fn a_message_without_fields_reads_well() {
    let mails = parse_messages(br#"{"value":[{"subject":null,"from":null}]}"#).expect("mails");
    assert_eq!(mails[0].subject_text(), "(no subject)");
    assert_eq!(mails[0].sender_text(), NOT_SET);
    assert_eq!(mails[0].preview_text(), "(no preview)");
}

#[test]
fn malformed_replies_never_quote_content() {
    let e = parse_messages(b"{\"value\": [secret").expect_err("malformed");
    assert!(!e.0.contains("secret"), "{}", e.0);
    assert!(e.0.contains("line 1"), "{}", e.0);
}

#[test]
fn graph_error_json_is_read() {
    let d =
        parse_error(br#"{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"No mailbox."}}"#);
    assert_eq!(d.code.as_deref(), Some("MailboxNotEnabledForRESTAPI"));
    assert!(parse_error(b"<html>").code.is_none());
}

#[test]
fn userinfo_claims_fill_the_profile_lines() {
    let body = br#"{"sub":"alice","name":"Test User alice","email":"alice@example.test",
        "phone_number":"+1 555 0100","address":{"formatted":"1 Main St"},"extra":true}"#;
    let profile = parse_userinfo(body, "alice").unwrap();
    assert_eq!(profile.display_name.as_deref(), Some("Test User alice"));
    let lines: Vec<(String, bool)> = profile
        .lines()
        .iter()
        .map(|l| (format!("{}: {}", l.label, l.value), l.missing))
        .collect();
    assert_eq!(
        lines,
        [
            (format!("Title: {NOT_SET}"), true),
            ("Mail: alice@example.test".to_owned(), false),
            ("Phone: +1 555 0100".to_owned(), false),
            ("Location: 1 Main St".to_owned(), false),
        ]
    );
    let other = parse_userinfo(body, "bob").unwrap_err();
    assert!(other.0.contains("another user"), "{}", other.0);
    assert!(!other.0.contains("alice"), "{}", other.0);
    let err = parse_userinfo(br#"{"name":"no subject"}"#, "alice").unwrap_err();
    assert!(err.0.contains("userinfo answer"), "{}", err.0);
    assert!(!err.0.contains("no subject"), "{}", err.0);
}
