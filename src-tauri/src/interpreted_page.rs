//! JavaScriptCore without its JIT compilers in the main window's web process only.
//!
//! The main window runs one page, the app's own: a few hundred kilobytes of wasm that renders a
//! navbar, a card and ten mails. JavaScriptCore's JIT tiers buy it nothing a user can see, and
//! cost the web process 8 MiB (the compilers' code paged in, the code they emit, their
//! data; docs/benchmarks.md). Without them the page runs in JavaScriptCore's interpreters,
//! wasm included. The login window keeps the JIT: it runs the identity provider's pages.
//!
//! WebKitGTK has no per-view or per-context setting for JavaScriptCore's options; each web
//! process reads them from its environment when it starts, and it inherits the UI process's
//! environment as it is at that moment. So:
//! 1. [`hold`] sets `JSC_useJIT=0` at the start of `main`, before any thread exists;
//! 2. Tauri creates the main window from tauri.conf.json, and its web process, with it;
//! 3. [`release`], from the setup hook, sets `JSC_useJIT=1`, JavaScriptCore's default, for
//!    every process WebKit starts later (the login window's among them).
//!
//! Processes WebKit starts before the hook inherit the `0` too: the main window's web process,
//! and the network process, which runs no script.
//!
//! The variable is only replaced, never added or removed, while other threads run: glibc then
//! swaps one pointer in `environ`, which a concurrent `getenv` sees whole either way (and keeps
//! the old string). So the module is built for glibc only; musl's `setenv` frees the string it
//! replaces. A user's own `JSC_useJIT` is left as it is, for every window.

use std::sync::atomic::{AtomicBool, Ordering};

const VAR: &str = "JSC_useJIT";

static HELD: AtomicBool = AtomicBool::new(false);

/// Turns JavaScriptCore's JIT off for the web processes started from now on, unless the
/// environment already says. Call it before any thread starts.
pub fn hold() {
    hold_with(&HELD, VAR);
}

/// Gives the web processes started from now on JavaScriptCore's default, the JIT on, if
/// [`hold`] turned it off. Call it once the main window exists.
pub fn release() {
    release_with(&HELD, VAR);
}

fn hold_with(held: &AtomicBool, var: &str) {
    if std::env::var_os(var).is_none() {
        std::env::set_var(var, "0");
        held.store(true, Ordering::SeqCst);
    }
}

fn release_with(held: &AtomicBool, var: &str) {
    if held.swap(false, Ordering::SeqCst) {
        std::env::set_var(var, "1");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test, on a flag and a variable of its own: the app tests' setup hooks call
    /// [`release`], and nothing reads this variable.
    #[test]
    fn the_jit_is_held_off_until_released_and_a_users_own_setting_is_kept() {
        const VAR: &str = "GRAPH_SIGNIN_TEST_INTERPRETED_PAGE";
        let held = AtomicBool::new(false);
        let value = || std::env::var(VAR);
        hold_with(&held, VAR);
        assert_eq!(value().as_deref(), Ok("0"));
        release_with(&held, VAR);
        assert_eq!(value().as_deref(), Ok("1"));
        // Released once: a second call changes nothing.
        std::env::set_var(VAR, "0");
        release_with(&held, VAR);
        assert_eq!(value().as_deref(), Ok("0"));

        // The user's own value, whichever it is, holds for every window.
        for own in ["0", "1", "false"] {
            std::env::set_var(VAR, own);
            hold_with(&held, VAR);
            release_with(&held, VAR);
            assert_eq!(value().as_deref(), Ok(own));
        }
    }
}
