fn main() {
    // Relative relocations packed (DT_RELR, glibc 2.36 and binutils 2.38 on): the loader reads a
    // few KiB where it read 0.9 MB of `.rela.dyn` at each start, and those pages no longer count
    // in the app's memory (docs/benchmarks.md). The binary stays position-independent.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
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
