//! The app's folders and files are the user's alone: folders 0700, files 0600.
//!
//! The app data folder also holds WebKit's own files (its `cookies` file keeps the identity
//! platform's session cookie, written 0644), and the log names usernames. So the folder is made
//! private by the app before anything else writes there, and tightened if an earlier version,
//! or WebKit, created it first (XDG Base Directory: "created with permission 0700").

use std::fs;
use std::path::Path;

/// Creates `dir` (and any missing parent) as 0700, or makes an existing one 0700.
#[cfg(unix)]
pub fn ensure_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if !dir.is_dir() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let mode = fs::metadata(dir)?.permissions().mode();
    if mode & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(mode & 0o700))?;
    }
    Ok(())
}

/// Creates `dir` (and any missing parent).
#[cfg(not(unix))]
pub fn ensure_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

/// Makes `path` readable and writable by the user only.
#[cfg(unix)]
pub fn restrict_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
}

/// Nothing to do off Unix.
#[cfg(not(unix))]
pub fn restrict_file(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Opens `path` for writing, created 0600 if new, truncated.
#[cfg(unix)]
pub fn create_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

/// Opens `path` for writing, truncated.
#[cfg(not(unix))]
pub fn create_file(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_folder_is_private_and_an_open_one_is_tightened() {
        let home = tempfile::tempdir().unwrap();
        let fresh = home.path().join("share/app");
        ensure_dir(&fresh).unwrap();
        assert_eq!(mode(&fresh), 0o700);
        // Created first by someone else (WebKit, an older version) with the default umask.
        let open = home.path().join("open");
        fs::create_dir(&open).unwrap();
        fs::set_permissions(&open, fs::Permissions::from_mode(0o755)).unwrap();
        ensure_dir(&open).unwrap();
        assert_eq!(mode(&open), 0o700);
        let file = open.join("f");
        fs::write(&file, "x").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        restrict_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        drop(create_file(&open.join("g")).unwrap());
        assert_eq!(mode(&open.join("g")), 0o600);
    }
}
