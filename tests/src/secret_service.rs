//! A real Secret Service for the desktop tests: GNOME Keyring on its own session bus
//! (`dbus-run-session`), its login keyring created and unlocked with a test password, as a
//! desktop login does. The keyring's files live in a folder the caller keeps, so that a
//! relaunch of the app finds the same key.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{Result, Spawned};

/// Prints the bus address, starts the daemon unlocked, says ready, and keeps the bus open.
const SCRIPT: &str = r#"printf '%s\n' "$DBUS_SESSION_BUS_ADDRESS"
printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
echo ready
exec sleep 86400"#;

/// A session bus with GNOME Keyring's secret service on it. Dropping it ends both.
pub struct SecretService {
    address: String,
    _session: Spawned,
}

impl SecretService {
    /// Starts the bus and the daemon, keeping the keyring's files in `dir`.
    pub fn start(dir: &Path) -> Result<Self> {
        let runtime = dir.join("run");
        std::fs::create_dir_all(&runtime)?;
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )?;
        let mut command = Command::new("dbus-run-session");
        command
            .args(["--", "sh", "-c", SCRIPT])
            .env("HOME", dir)
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut session = Spawned::start("dbus-run-session (with gnome-keyring-daemon)", command)?;
        let stdout = session
            .stdout()
            .ok_or("the session's stdout is not piped")?;
        let mut lines = BufReader::new(stdout).lines();
        let address = lines.next().transpose()?.unwrap_or_default();
        let ready = lines.next().transpose()?.unwrap_or_default();
        if address.is_empty() || ready != "ready" {
            session.check_running()?;
            return Err("gnome-keyring-daemon did not start on the test session bus (is gnome-keyring installed? scripts/setup.sh installs it)".into());
        }
        Ok(Self {
            address,
            _session: session,
        })
    }

    /// The bus address, for `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }
}
