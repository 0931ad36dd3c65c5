//! The installable package: the .deb that `tauri build` makes (scripts/test.sh builds it with
//! `--debug`, reusing the test build), its metadata and desktop entry, and its binary, unpacked
//! with `dpkg-deb -x` and launched with an empty HOME, signing in to the demo tenant it carries.
//! No emulator is started here: the package must work on its own.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use integration_tests::desktop::{DesktopApp, Keyring};
use integration_tests::target_dir;

const WAIT: Duration = Duration::from_secs(30);

/// The one package in `target/debug/bundle/deb/` (`GRAPH_SIGNIN_DEB` overrides it).
fn package() -> integration_tests::Result<PathBuf> {
    if let Some(path) = std::env::var_os("GRAPH_SIGNIN_DEB") {
        return Ok(path.into());
    }
    let dir = target_dir().join("debug/bundle/deb");
    let debs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| {
            format!(
                "{}: {e} (scripts/test.sh builds the package)",
                dir.display()
            )
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "deb"))
        .collect();
    match debs.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("expected one .deb in {}, found {debs:?}", dir.display()).into()),
    }
}

fn dpkg_deb(args: &[&str]) -> integration_tests::Result<String> {
    let out = Command::new("dpkg-deb").args(args).output()?;
    if !out.status.success() {
        return Err(format!(
            "dpkg-deb {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

#[tokio::test]
async fn the_package_installs_a_named_app_that_signs_in_on_its_own() -> integration_tests::Result<()>
{
    let deb = package()?;
    let name = deb.file_name().unwrap().to_string_lossy().into_owned();
    assert!(!name.contains(' '), "{name}");
    assert!(name.starts_with("graph-signin_"), "{name}");
    let deb = deb.to_string_lossy().into_owned();

    // What apt and a software centre show.
    let field = |f: &str| dpkg_deb(&["-f", &deb, f]);
    assert_eq!(field("Package")?.trim(), "graph-signin");
    assert_eq!(field("Section")?.trim(), "net");
    assert!(!field("Maintainer")?.trim().is_empty());
    assert!(field("Depends")?.contains("libwebkit2gtk-4.1-0"));
    let description = field("Description")?;
    assert!(description.contains("Microsoft Graph"), "{description}");
    assert!(description.lines().count() > 1, "a long description too");

    let root = tempfile::tempdir()?;
    let root_path = root.path().to_string_lossy().into_owned();
    dpkg_deb(&["-x", &deb, &root_path])?;
    let entry = std::fs::read_to_string(
        root.path()
            .join("usr/share/applications/graph-signin.desktop"),
    )?;
    for line in [
        "Name=MS Identity Platform",
        "Exec=graph-signin",
        "Categories=Utility;",
        "Icon=graph-signin",
    ] {
        assert!(entry.lines().any(|l| l == line), "{line:?} in\n{entry}");
    }
    assert!(root
        .path()
        .join("usr/share/icons/hicolor/512x512/apps/graph-signin.png")
        .is_file());

    // The unpacked binary, with an empty HOME and no keyring: the demo tenant, in-process.
    let home = tempfile::tempdir()?;
    let env = [("HOME", home.path().to_string_lossy().into_owned())];
    let app = DesktopApp::launch_app(
        root.path().join("usr/bin/graph-signin"),
        &env,
        Some(home),
        Keyring::None,
    )
    .await?;
    let run = async {
        app.wait_for_text(
            "#provider",
            "Signs in with: Demo tenant (local emulator)",
            WAIT,
        )
        .await?;
        app.sign_in_work_user().await?;
        app.read_mails_with_consent().await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    }
    .await;
    app.quit().await?;
    run
}
