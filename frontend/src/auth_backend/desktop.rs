//! The desktop backend: the Rust commands of the Tauri shell, called through
//! `window.__TAURI_INTERNALS__.invoke(cmd, {})` (the app sets `withGlobalTauri: false`, so
//! `window.__TAURI__` is absent). Commands resolve with JSON values and reject with
//! `{code, message, retryAfter}`; no token ever reaches the page.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use serde::de::DeserializeOwned;
use shell_contract::ErrorCode;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{AccountView, Restored};
use crate::error::AppError;
use crate::graph::{MailSummary, Profile, MAX_MAILS};

pub use shell_contract::Stage;
use shell_contract::{command, StageUpdate, PROGRESS_AFTER};

const INTERNALS: &str = "__TAURI_INTERNALS__";

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
            self.account(),
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

    /// Calls `on_stage` with each new stage of the shell's work, for as long as the page lives:
    /// one `progress` request is always waiting, answered at the next change
    /// ([`StageUpdate`]). Returns only when the shell cannot be asked.
    pub async fn follow_progress(&self, on_stage: impl Fn(Stage)) -> Result<(), AppError> {
        // What the shell is doing as the page starts is not news to it.
        let mut seen = invoke::<StageUpdate>(command::PROGRESS).await?;
        loop {
            let args = Object::new();
            let _ = Reflect::set(
                &args,
                &PROGRESS_AFTER.into(),
                &JsValue::from_f64(seen.seq as f64),
            );
            let update = invoke_with::<StageUpdate>(command::PROGRESS, &args).await?;
            if update.stage != seen.stage {
                on_stage(update.stage);
            }
            seen = update;
        }
    }

    /// `account`: the signed-in account, or `None`.
    pub async fn account(&self) -> Result<Option<AccountView>, AppError> {
        invoke(command::ACCOUNT).await
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
