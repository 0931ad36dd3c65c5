fn main() {
    // As the app's build script does (src-tauri/build.rs), so that the two binaries differ only
    // in what the app adds.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    tauri_build::build();
}
