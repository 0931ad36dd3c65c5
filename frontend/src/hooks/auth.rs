//! The page's state, as in yew's `examples/function_todomvc` (a [`Reducible`] with an
//! [`Action`] enum) and `examples/contexts` (a provider component and a hook): the account,
//! what is under way, the Graph results and the banner's messages.

use shell_contract::{ErrorCode, Stage};
use std::rc::Rc;

use yew::prelude::*;

use crate::auth_backend::{AccountView, Backend, Op, Restored, Step};
use crate::error::AppError;
use crate::graph::{MailSummary, Profile, MAX_MAILS};

/// Whether anyone is signed in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Session {
    /// The backend has not answered yet.
    #[default]
    Unknown,
    /// Nobody is signed in.
    SignedOut,
    /// This account is signed in.
    SignedIn(AccountView),
}

/// What is under way; every button is disabled meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// Restoring the session at start.
    Starting,
    /// Sign In.
    SigningIn,
    /// Sign Out.
    SigningOut,
    /// See Profile.
    LoadingProfile,
    /// Read Mails.
    LoadingMail,
    /// The page is leaving for the identity platform.
    Redirecting,
}

impl Busy {
    /// What the spinner says.
    pub fn label(self) -> &'static str {
        match self {
            Busy::Starting => "Loading…",
            Busy::SigningIn => "Signing in…",
            Busy::SigningOut => "Signing out…",
            Busy::LoadingProfile => "Loading your profile…",
            Busy::LoadingMail => "Loading your mails…",
            Busy::Redirecting => "Opening the sign-in page…",
        }
    }
}

impl From<Op> for Busy {
    fn from(op: Op) -> Self {
        match op {
            Op::SignIn => Busy::SigningIn,
            Op::SignOut => Busy::SigningOut,
            Op::SeeProfile => Busy::LoadingProfile,
            Op::ReadMail => Busy::LoadingMail,
        }
    }
}

/// The mail list's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Mail {
    /// Not asked for yet.
    #[default]
    NotLoaded,
    /// The first mails (at most [`MAX_MAILS`]); empty means an empty mailbox.
    Loaded(Rc<Vec<MailSummary>>),
    /// Graph says the account has no mailbox.
    NoMailbox,
    /// The app signs in to another OpenID provider, without Microsoft Graph.
    NeedsGraph,
}

/// The whole page state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthState {
    /// Who is signed in.
    pub session: Session,
    /// What is under way.
    pub busy: Option<Busy>,
    /// The desktop shell's login window is open, waiting for the user (its progress events).
    pub in_login_window: bool,
    /// The profile, once loaded.
    pub profile: Option<Profile>,
    /// The mails.
    pub mail: Mail,
    /// The selected mail tab.
    pub selected_mail: usize,
    /// The banner's messages, newest last.
    pub alerts: Vec<AppError>,
    /// Where sign-in goes, once the backend has said.
    pub provider: Option<String>,
}

impl Default for AuthState {
    fn default() -> Self {
        AuthState {
            session: Session::Unknown,
            busy: Some(Busy::Starting),
            in_login_window: false,
            profile: None,
            mail: Mail::NotLoaded,
            selected_mail: 0,
            alerts: Vec::new(),
            provider: None,
        }
    }
}

impl AuthState {
    /// What the spinner says, if anything is under way.
    pub fn busy_label(&self) -> Option<&'static str> {
        let busy = self.busy?;
        Some(if self.in_login_window {
            "Continue in the login window…"
        } else {
            busy.label()
        })
    }

    /// The signed-in account.
    pub fn account(&self) -> Option<&AccountView> {
        match &self.session {
            Session::SignedIn(a) => Some(a),
            _ => None,
        }
    }
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The backend's start-up answer.
    Restored(Restored),
    /// An operation started.
    Begin(Busy),
    /// Signed in.
    SignedIn(AccountView),
    /// Signed out (locally; the browser may still be leaving for the end-session page).
    SignedOut,
    /// The profile arrived.
    ProfileLoaded(Profile),
    /// The mails arrived.
    MailLoaded(Vec<MailSummary>),
    /// The account has no mailbox.
    NoMailbox,
    /// Mail needs Microsoft Graph, which this sign-in does not reach.
    NeedsGraph,
    /// The page is navigating to the identity platform.
    Redirecting,
    /// An operation failed.
    Failed(AppError),
    /// The user closed the banner.
    DismissAlerts,
    /// The user picked a mail tab.
    SelectMail(usize),
    /// The desktop shell reports progress.
    Progress(Stage),
    /// The account changed outside the page's own Sign In: in the desktop app, a sign-in inside a
    /// Graph call (consent, a claims challenge), read after the call; in the browser, another
    /// tab.
    AccountChanged(AccountView),
}

impl Reducible for AuthState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        // Every action but a progress report ends a wait in the login window.
        if !matches!(action, Action::Progress(_)) {
            s.in_login_window = false;
        }
        match action {
            Action::Restored(r) => {
                s.session = match r.account {
                    Some(a) => Session::SignedIn(a),
                    None => Session::SignedOut,
                };
                s.busy = None;
                s.alerts.extend(r.notices);
                s.provider = r.provider;
            }
            Action::Begin(busy) => {
                s.busy = Some(busy);
                s.alerts.clear();
            }
            Action::SignedIn(a) => {
                if s.account() != Some(&a) {
                    s.profile = None;
                    s.mail = Mail::NotLoaded;
                }
                s.session = Session::SignedIn(a);
                s.busy = None;
            }
            Action::AccountChanged(a) => {
                // Never one user's name beside another's data: what was loaded goes.
                if s.account() != Some(&a) {
                    s.profile = None;
                    s.mail = Mail::NotLoaded;
                    s.selected_mail = 0;
                }
                s.session = Session::SignedIn(a);
            }
            Action::SignedOut => {
                s.session = Session::SignedOut;
                s.profile = None;
                s.mail = Mail::NotLoaded;
                s.selected_mail = 0;
                s.busy = None;
            }
            Action::ProfileLoaded(p) => {
                s.profile = Some(p);
                s.busy = None;
            }
            Action::MailLoaded(mut m) => {
                m.truncate(MAX_MAILS);
                s.mail = Mail::Loaded(Rc::new(m));
                s.selected_mail = 0;
                s.busy = None;
            }
            Action::NoMailbox => {
                s.mail = Mail::NoMailbox;
                s.busy = None;
            }
            Action::NeedsGraph => {
                s.mail = Mail::NeedsGraph;
                s.busy = None;
            }
            Action::Redirecting => s.busy = Some(Busy::Redirecting),
            Action::Failed(e) => {
                if e.code == ErrorCode::NotSignedIn {
                    s.session = Session::SignedOut;
                }
                s.busy = None;
                s.alerts.push(e);
            }
            Action::DismissAlerts => s.alerts.clear(),
            Action::SelectMail(i) => s.selected_mail = i,
            Action::Progress(stage) => {
                s.in_login_window = s.busy.is_some() && stage == Stage::WaitingForLoginWindow;
            }
        }
        Rc::new(s)
    }
}

/// What [`AuthProvider`] shares: the state and the backend.
#[derive(Clone, PartialEq)]
pub struct AuthContext {
    state: UseReducerHandle<AuthState>,
    backend: Backend,
}

/// [`AuthProvider`]'s properties.
#[derive(Properties, Clone, PartialEq)]
pub struct AuthProviderProps {
    /// The backend chosen at start.
    pub backend: Backend,
    /// The state to start from (tests render a given state).
    #[prop_or_default]
    pub initial: Option<Rc<AuthState>>,
    /// The page.
    pub children: Html,
}

/// Holds the state, restores the session once mounted, and finishes an operation carried
/// across a redirect.
#[function_component]
pub fn AuthProvider(props: &AuthProviderProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || initial.map(|s| (*s).clone()).unwrap_or_default());
    {
        let backend = props.backend.clone();
        let dispatcher = state.dispatcher();
        let restore = props.initial.is_none();
        use_effect_with((), move |_| {
            #[cfg(feature = "desktop")]
            if let Backend::Desktop(desktop) = &backend {
                let desktop = *desktop;
                let progress = dispatcher.clone();
                yew::platform::spawn_local(async move {
                    // Without the shell's stages the spinner keeps its general label.
                    let _ = desktop
                        .follow_progress(move |stage| progress.dispatch(Action::Progress(stage)))
                        .await;
                });
            }
            #[cfg(feature = "browser")]
            if let Backend::Browser(browser) = &backend {
                let follow = dispatcher.clone();
                browser.clone().follow_other_tabs(move |account| {
                    follow.dispatch(match account {
                        Some(account) => Action::AccountChanged(account),
                        None => Action::SignedOut,
                    })
                });
            }
            if restore {
                yew::platform::spawn_local(async move {
                    let restored = backend.restore().await;
                    let resume = restored.resume;
                    dispatcher.dispatch(Action::Restored(restored));
                    if let Some(op) = resume.filter(|op| *op != Op::SignIn) {
                        dispatcher.dispatch(Action::Begin(op.into()));
                        perform(&backend, &dispatcher, op, true).await;
                    }
                });
            }
        });
    }
    let context = AuthContext {
        state,
        backend: props.backend.clone(),
    };
    html! {
        <ContextProvider<AuthContext> {context}>
            { props.children.clone() }
        </ContextProvider<AuthContext>>
    }
}

/// Runs one operation (already marked begun) and records its outcome.
async fn perform(
    backend: &Backend,
    dispatcher: &UseReducerDispatcher<AuthState>,
    op: Op,
    resumed: bool,
) {
    let action = match op {
        Op::SignIn => outcome(backend.sign_in().await, Action::SignedIn),
        Op::SignOut => match backend.sign_out().await {
            // Signed out of this app only (a provider without an end-session endpoint): said.
            Ok(Step::Done(Some(notice))) => {
                dispatcher.dispatch(Action::SignedOut);
                Action::Failed(AppError::notice(notice))
            }
            other => outcome(other, |_| Action::SignedOut),
        },
        Op::SeeProfile => outcome(backend.profile(resumed).await, Action::ProfileLoaded),
        Op::ReadMail => match backend.messages(resumed).await {
            Err(e) if e.code == ErrorCode::NoMailbox => Action::NoMailbox,
            Err(e) if e.code == ErrorCode::NoGraph => Action::NeedsGraph,
            other => outcome(other, Action::MailLoaded),
        },
    };
    // In the desktop app a Graph call may have signed in (consent, a claims challenge), possibly
    // as another account, and its answer holds only data: the account is asked for first, so
    // that the data is never shown beside the previous account's name.
    #[cfg(feature = "desktop")]
    if let (Backend::Desktop(desktop), Op::SeeProfile | Op::ReadMail) = (backend, op) {
        if let Ok(Some(account)) = desktop.account().await {
            dispatcher.dispatch(Action::AccountChanged(account));
        }
    }
    dispatcher.dispatch(action);
}

fn outcome<T>(result: Result<Step<T>, AppError>, done: impl FnOnce(T) -> Action) -> Action {
    match result {
        Ok(Step::Done(v)) => done(v),
        Ok(Step::Redirecting) => Action::Redirecting,
        Err(e) => Action::Failed(e),
    }
}

/// The state and the operations, for components.
#[derive(Clone, PartialEq)]
pub struct AuthHandle {
    context: AuthContext,
}

impl AuthHandle {
    /// The current state.
    pub fn state(&self) -> &AuthState {
        &self.context.state
    }

    /// Starts an operation, unless one is under way.
    pub fn run(&self, op: Op) {
        if self.state().busy.is_some() {
            return;
        }
        let backend = self.context.backend.clone();
        let dispatcher = self.context.state.dispatcher();
        dispatcher.dispatch(Action::Begin(op.into()));
        yew::platform::spawn_local(async move {
            perform(&backend, &dispatcher, op, false).await;
        });
    }

    /// A click handler starting `op`.
    pub fn on_click(&self, op: Op) -> Callback<MouseEvent> {
        let handle = self.clone();
        Callback::from(move |_| handle.run(op))
    }

    /// Changes the state directly (tabs, closing the banner).
    pub fn dispatch(&self, action: Action) {
        self.context.state.dispatch(action);
    }
}

/// The auth state and operations; only inside [`AuthProvider`].
#[hook]
pub fn use_auth() -> AuthHandle {
    let context = use_context::<AuthContext>()
        .expect("use_auth() is only called by components inside <AuthProvider>");
    AuthHandle { context }
}

#[cfg(test)]
mod tests;
