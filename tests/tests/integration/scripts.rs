//! The README's run command and the page's build hook, on the port setting: `EMULATOR_PORT`
//! moves the browser page's config.json with the emulator, and a taken port is named before
//! anything is installed or built.

use std::process::Command;

use integration_tests::workspace_root;

/// `scripts/run.sh` with `EMULATOR_PORT` on a port another program holds, in `mode`.
fn run_sh_on_taken_port(args: &[&str], display: Option<&str>) -> (i32, String, u16) {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut command = Command::new("bash");
    command
        .arg(workspace_root().join("scripts/run.sh"))
        .args(args)
        .env("EMULATOR_PORT", port.to_string())
        .env_remove("WAYLAND_DISPLAY");
    match display {
        Some(d) => command.env("DISPLAY", d),
        None => command.env_remove("DISPLAY"),
    };
    let out = command.output().unwrap();
    drop(taken);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        port,
    )
}

#[test]
fn run_sh_names_a_taken_emulator_port_and_what_to_do_in_both_modes() {
    let (code, stderr, port) = run_sh_on_taken_port(&["--browser"], None);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("Port {port} (the emulator) is already in use")),
        "{stderr}"
    );
    assert!(stderr.contains("EMULATOR_PORT=4124"), "{stderr}");

    // The desktop app's demo tenant: checked before setup or `tauri dev` start.
    let (code, stderr, port) = run_sh_on_taken_port(&[], Some(":9999"));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("Port {port} (EMULATOR_PORT, the demo tenant)")),
        "{stderr}"
    );
}

#[test]
fn run_sh_refuses_a_port_that_is_not_a_number() {
    let out = Command::new("bash")
        .arg(workspace_root().join("scripts/run.sh"))
        .arg("--browser")
        .env("EMULATOR_PORT", "41x3")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"41x3\""));
}

/// Runs the page's post_build hook on `config` with `EMULATOR_PORT=port`; the staged file after.
fn hook(config: &str, port: &str) -> (bool, String) {
    let staging = tempfile::tempdir().unwrap();
    std::fs::write(staging.path().join("config.json"), config).unwrap();
    let ok = Command::new("node")
        .arg(workspace_root().join("frontend/emulator-port.mjs"))
        .env("TRUNK_STAGING_DIR", staging.path())
        .env("EMULATOR_PORT", port)
        .status()
        .expect("node runs (scripts/setup.sh checks for it)")
        .success();
    let after = std::fs::read_to_string(staging.path().join("config.json")).unwrap();
    (ok, after)
}

#[test]
fn the_page_build_hook_moves_the_emulator_urls_and_nothing_else() {
    let shipped = std::fs::read_to_string(workspace_root().join("frontend/config.json")).unwrap();
    let (ok, moved) = hook(&shipped, "4555");
    assert!(ok);
    let moved: serde_json::Value = serde_json::from_str(&moved).unwrap();
    assert_eq!(moved["authority"], "http://localhost:4555/common");
    assert_eq!(moved["graphEndpoint"], "http://localhost:4555");
    let shipped: serde_json::Value = serde_json::from_str(&shipped).unwrap();
    assert_eq!(moved["clientId"], shipped["clientId"]);

    // A real tenant's config is left as written.
    let tenant = r#"{"clientId":"c","authority":"https://login.microsoftonline.com/common"}"#;
    assert_eq!(hook(tenant, "4555"), (true, tenant.to_owned()));
    // A bad port fails the build, with the file untouched.
    assert_eq!(hook(tenant, "99999"), (false, tenant.to_owned()));
}
