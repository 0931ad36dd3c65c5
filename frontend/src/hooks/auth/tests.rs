use shell_contract::ErrorCode;
use std::rc::Rc;

use super::*;

fn account(name: &str) -> AccountView {
    AccountView {
        name: Some(name.to_owned()),
        username: format!("{name}@contoso"),
        tenant_id: "t".to_owned(),
    }
}

fn reduce(state: AuthState, actions: Vec<Action>) -> AuthState {
    let mut s = Rc::new(state);
    for a in actions {
        s = s.reduce(a);
    }
    (*s).clone()
}

#[test]
fn starts_busy_then_restores() {
    let s = AuthState::default();
    assert_eq!(s.busy, Some(Busy::Starting));
    let s = reduce(
        s,
        vec![Action::Restored(Restored {
            account: Some(account("adele")),
            notices: vec![AppError::notice("set aside")],
            resume: None,
            provider: Some("Demo tenant (local emulator at localhost:4123)".into()),
        })],
    );
    assert_eq!(s.busy, None);
    assert_eq!(s.account(), Some(&account("adele")));
    assert_eq!(s.alerts.len(), 1);
    assert_eq!(
        s.provider.as_deref(),
        Some("Demo tenant (local emulator at localhost:4123)")
    );
}

#[test]
fn an_operation_clears_old_alerts_and_a_failure_adds_one() {
    let s = reduce(
        AuthState::default(),
        vec![
            Action::Restored(Restored {
                account: Some(account("adele")),
                ..Restored::default()
            }),
            Action::Failed(AppError::new(ErrorCode::Network, "down")),
            Action::Begin(Busy::LoadingProfile),
        ],
    );
    assert!(s.alerts.is_empty());
    assert_eq!(s.busy, Some(Busy::LoadingProfile));
    let s = reduce(
        s,
        vec![Action::Failed(AppError::new(ErrorCode::Graph, "500"))],
    );
    assert_eq!(s.busy, None);
    assert_eq!(s.alerts[0].code, ErrorCode::Graph);
}

#[test]
fn mails_are_capped_and_selection_resets() {
    let mails: Vec<MailSummary> = (0..15)
        .map(|i| MailSummary {
            id: i.to_string(),
            ..MailSummary::default()
        })
        .collect();
    let s = reduce(
        AuthState::default(),
        vec![Action::SelectMail(4), Action::MailLoaded(mails)],
    );
    match &s.mail {
        Mail::Loaded(m) => assert_eq!(m.len(), MAX_MAILS),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.selected_mail, 0);
    let s = reduce(s, vec![Action::SelectMail(3)]);
    assert_eq!(s.selected_mail, 3);
}

#[test]
fn sign_out_forgets_the_account_and_its_data() {
    let s = reduce(
        AuthState::default(),
        vec![
            Action::SignedIn(account("adele")),
            Action::ProfileLoaded(Profile::default()),
            Action::NoMailbox,
            Action::SignedOut,
        ],
    );
    assert_eq!(s.session, Session::SignedOut);
    assert!(s.profile.is_none());
    assert_eq!(s.mail, Mail::NotLoaded);
}

#[test]
fn another_account_drops_the_previous_data() {
    let s = reduce(
        AuthState::default(),
        vec![
            Action::SignedIn(account("adele")),
            Action::ProfileLoaded(Profile::default()),
            Action::SignedIn(account("adele")),
        ],
    );
    assert!(s.profile.is_some(), "the same account keeps its profile");
    let s = reduce(s, vec![Action::SignedIn(account("noah"))]);
    assert!(s.profile.is_none());
}

#[test]
fn not_signed_in_failures_sign_out_and_redirects_stay_busy() {
    let s = reduce(
        AuthState::default(),
        vec![
            Action::SignedIn(account("adele")),
            Action::Failed(AppError::new(ErrorCode::NotSignedIn, "sign in")),
        ],
    );
    assert_eq!(s.session, Session::SignedOut);
    let s = reduce(s, vec![Action::Begin(Busy::SigningIn), Action::Redirecting]);
    assert_eq!(s.busy, Some(Busy::Redirecting));
    let s = reduce(s, vec![Action::DismissAlerts]);
    assert!(s.alerts.is_empty());
}

#[test]
fn an_outcome_maps_each_step() {
    assert_eq!(
        outcome(Ok(Step::Done(account("a"))), Action::SignedIn),
        Action::SignedIn(account("a"))
    );
    assert_eq!(
        outcome::<AccountView>(Ok(Step::Redirecting), Action::SignedIn),
        Action::Redirecting
    );
    let e = AppError::new(ErrorCode::Timeout, "late");
    assert_eq!(
        outcome::<AccountView>(Err(e.clone()), Action::SignedIn),
        Action::Failed(e)
    );
}

#[test]
fn the_login_window_stage_relabels_the_spinner_until_the_operation_moves_on() {
    use shell_contract::Stage;
    let s = reduce(
        AuthState::default(),
        vec![
            Action::Restored(Restored::default()),
            Action::Begin(Busy::LoadingMail),
            Action::Progress(Stage::CallingGraph),
        ],
    );
    assert_eq!(s.busy_label(), Some("Loading your mails…"));
    let s = reduce(s, vec![Action::Progress(Stage::WaitingForLoginWindow)]);
    assert_eq!(s.busy_label(), Some("Continue in the login window…"));
    // Back from the login window: the operation's own label again.
    let s = reduce(s, vec![Action::Progress(Stage::SigningIn)]);
    assert_eq!(s.busy_label(), Some("Loading your mails…"));
    // A result ends the wait, whatever came before.
    let s = reduce(
        s,
        vec![
            Action::Progress(Stage::WaitingForLoginWindow),
            Action::MailLoaded(Vec::new()),
        ],
    );
    assert!(!s.in_login_window);
    assert_eq!(s.busy_label(), None);
    // A stray event while nothing is under way shows nothing.
    let s = reduce(s, vec![Action::Progress(Stage::WaitingForLoginWindow)]);
    assert_eq!(s.busy_label(), None);
}

#[test]
fn an_account_changed_inside_an_operation_drops_the_other_accounts_data() {
    let signed_in = reduce(
        AuthState::default(),
        vec![
            Action::SignedIn(account("adele")),
            Action::ProfileLoaded(Profile::default()),
            Action::MailLoaded(vec![MailSummary::default()]),
        ],
    );
    assert!(signed_in.profile.is_some());
    // The same account: nothing is dropped.
    let same = reduce(
        signed_in.clone(),
        vec![Action::AccountChanged(account("adele"))],
    );
    assert!(same.profile.is_some() && matches!(same.mail, Mail::Loaded(_)));
    // Another account: its name, and none of the first one's data.
    let other = reduce(signed_in, vec![Action::AccountChanged(account("sam"))]);
    assert_eq!(other.account(), Some(&account("sam")));
    assert!(other.profile.is_none());
    assert!(matches!(other.mail, Mail::NotLoaded));
}
