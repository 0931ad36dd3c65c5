fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    // Declaring the app's commands makes each one a permission (`allow-sign-in`, …) that a
    // capability must grant: only the main window's capability does.
    let manifest = tauri_build::AppManifest::new().commands(&shell_contract::command::ALL);
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(manifest),
    )
    .expect("tauri-build failed: check tauri.conf.json and src-tauri/capabilities");
}
