//! The desktop backend: the Rust commands of the Tauri shell, called through
//! `window.__TAURI_INTERNALS__.invoke(cmd, {})` (the app sets `withGlobalTauri: false`, so
//! `window.__TAURI__` is absent). Commands resolve with JSON values and reject with
//! `{code, message, retryAfter}`; no token ever reaches the page.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use serde::de::DeserializeOwned;
use shell_contract::ErrorCode;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{AccountView, Restored};
use crate::error::AppError;
use crate::graph::{MailSummary, Profile, MAX_MAILS};

pub use shell_contract::Stage;
use shell_contract::{command, ACCOUNT_FIELD, PROGRESS_EVENT, STAGE_FIELD};

const INTERNALS: &str = "__TAURI_INTERNALS__";

/// What the shell reports on its progress event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellEvent {
    /// `{stage}`: a stage of its work.
    Stage(Stage),
    /// `{account}`: an interactive sign-in finished, possibly inside a Graph call, as this
    /// account; the page must show it beside that account's data.
    Account(AccountView),
}

/// Reads a progress event, `{event, id, payload}` with a `shell_contract::Progress` payload
/// (`{stage}` or `{account}`); `None` for anything else. Read field by field rather than through serde, which would cost the page 6 KB gzipped.
fn event_of(event: &JsValue) -> Option<ShellEvent> {
    let payload = Reflect::get(event, &JsValue::from_str("payload")).ok()?;
    let field = |object: &JsValue, name: &str| Reflect::get(object, &JsValue::from_str(name)).ok();
    if let Some(stage) = field(&payload, STAGE_FIELD).and_then(|s| s.as_string()) {
        return Stage::from_name(&stage).map(ShellEvent::Stage);
    }
    let account = field(&payload, ACCOUNT_FIELD).filter(JsValue::is_object)?;
    Some(ShellEvent::Account(AccountView {
        name: field(&account, "name").and_then(|n| n.as_string()),
        username: field(&account, "username")?.as_string()?,
        tenant_id: field(&account, "tenantId")
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
    }))
}

/// The Tauri commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Desktop;

impl Desktop {
    /// Whether the page runs in the Tauri window.
    pub fn detect() -> bool {
        internals().is_some()
    }

    /// `account`, `startup_notice` and `provider`.
    pub async fn restore(&self) -> Restored {
        let (account, notice, provider) = futures::join!(
            invoke::<Option<AccountView>>(command::ACCOUNT),
            invoke::<Option<String>>(command::STARTUP_NOTICE),
            invoke::<String>(command::PROVIDER)
        );
        let mut notices = Vec::new();
        if let Ok(Some(n)) = notice {
            notices.push(AppError::notice(n));
        }
        let account = account.unwrap_or_else(|e| {
            notices.push(e);
            None
        });
        Restored {
            account,
            notices,
            resume: None,
            provider: provider.ok(),
        }
    }

    /// Calls `on_event` with each progress event of the shell, for as long as the page lives
    /// (Tauri's `plugin:event|listen`, as `@tauri-apps/api`'s `listen` does).
    pub async fn listen_progress(
        &self,
        on_event: impl Fn(ShellEvent) + 'static,
    ) -> Result<(), AppError> {
        let internals =
            internals().ok_or_else(|| AppError::new(ErrorCode::Ipc, "No Tauri bridge."))?;
        let transform = bridge_function(&internals, "transformCallback").ok_or_else(|| {
            AppError::new(ErrorCode::Ipc, "The Tauri bridge cannot take callbacks.")
        })?;
        let handler = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
            if let Some(update) = event_of(&event) {
                on_event(update);
            }
        });
        let id = transform
            .call2(&internals, handler.as_ref(), &JsValue::FALSE)
            .map_err(|e| {
                AppError::new(
                    ErrorCode::Ipc,
                    format!("No progress events ({}).", to_json(&e)),
                )
            })?;
        // The page keeps listening until it unloads.
        handler.forget();
        let args = Object::new();
        let target = Object::new();
        let _ = Reflect::set(&target, &"kind".into(), &"Any".into());
        let _ = Reflect::set(&args, &"event".into(), &PROGRESS_EVENT.into());
        let _ = Reflect::set(&args, &"target".into(), &target);
        let _ = Reflect::set(&args, &"handler".into(), &id);
        invoke_with::<serde_json::Value>("plugin:event|listen", &args)
            .await
            .map(|_| ())
    }

    /// `sign_in`: the login window, resolved when the user is done.
    pub async fn sign_in(&self) -> Result<AccountView, AppError> {
        invoke(command::SIGN_IN).await
    }

    /// `sign_out`: a notice when only the app signed out.
    pub async fn sign_out(&self) -> Result<Option<String>, AppError> {
        invoke::<Option<String>>(command::SIGN_OUT).await
    }

    /// `graph_me`.
    pub async fn profile(&self) -> Result<Profile, AppError> {
        invoke(command::GRAPH_ME).await
    }

    /// `graph_messages`.
    pub async fn messages(&self) -> Result<Vec<MailSummary>, AppError> {
        let mut mails: Vec<MailSummary> = invoke(command::GRAPH_MESSAGES).await?;
        mails.truncate(MAX_MAILS);
        Ok(mails)
    }
}

fn internals() -> Option<JsValue> {
    let global = js_sys::global();
    Reflect::get(&global, &JsValue::from_str(INTERNALS))
        .ok()
        .filter(|v| v.is_object())
}

/// The function `name` of the Tauri bridge (`invoke`, `transformCallback`).
fn bridge_function(internals: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(internals, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()
}

/// Calls a command with no arguments and reads its JSON answer.
async fn invoke<T: DeserializeOwned>(command: &str) -> Result<T, AppError> {
    invoke_with(command, &Object::new()).await
}

/// Calls a command with `args` and reads its JSON answer.
async fn invoke_with<T: DeserializeOwned>(command: &str, args: &Object) -> Result<T, AppError> {
    let unavailable = |detail: String| {
        AppError::new(
            ErrorCode::Ipc,
            format!("The desktop app did not answer the `{command}` request ({detail}). Restart the app."),
        )
    };
    let internals = internals().ok_or_else(|| unavailable("no Tauri bridge".to_owned()))?;
    let function = bridge_function(&internals, "invoke")
        .ok_or_else(|| unavailable("no invoke function".to_owned()))?;
    let promise: Promise = function
        .call2(&internals, &JsValue::from_str(command), args)
        .map_err(|e| unavailable(to_json(&e)))?
        .dyn_into()
        .map_err(|_| unavailable("not a promise".to_owned()))?;
    match JsFuture::from(promise).await {
        Ok(value) => parse_answer(command, &to_json(&value)),
        Err(rejection) => Err(parse_rejection(command, &to_json(&rejection))),
    }
}

/// A JS value as JSON text (`null` for `undefined` or a value JSON cannot hold).
fn to_json(value: &JsValue) -> String {
    if value.is_undefined() {
        return "null".to_owned();
    }
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "null".to_owned())
}

/// Reads a command's answer.
pub(crate) fn parse_answer<T: DeserializeOwned>(command: &str, json: &str) -> Result<T, AppError> {
    serde_json::from_str(json).map_err(|e| {
        AppError::new(
            ErrorCode::Ipc,
            format!(
                "The desktop app's answer to `{command}` could not be read (line {}, column {}).",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Reads a command's rejection: the shell's `{code, message, retryAfter}`, or anything else
/// Tauri rejects with (a string, e.g. for a missing command or permission).
pub(crate) fn parse_rejection(command: &str, json: &str) -> AppError {
    if let Ok(e) = serde_json::from_str::<AppError>(json) {
        return e;
    }
    let detail = match serde_json::from_str::<String>(json) {
        Ok(s) => s,
        Err(_) => json.to_owned(),
    };
    AppError::new(
        ErrorCode::Ipc,
        format!("The desktop app refused the `{command}` request: {detail}"),
    )
}

#[cfg(test)]
mod tests;
