fn main() {
    // Relative relocations packed (DT_RELR, glibc 2.36 and binutils 2.38 on): the loader reads a
    // few KiB where it read 0.9 MB of `.rela.dyn` at each start, and those pages no longer count
    // in the app's memory (docs/benchmarks.md). The binary stays position-independent.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    // The functions the app runs, laid out together at the front of the text. A release link
    // otherwise spreads them over the whole 9 MB, and the first call into a 64 KiB block maps
    // all of it (the kernel's fault-around), so most of the text stayed resident
    // (docs/benchmarks.md, "The binary's layout"). src-tauri/hot-functions.txt is lld's symbol
    // ordering file, from scripts/hot-functions.sh; names a build lacks are skipped. Release
    // builds for x86_64 Linux only, where rustc links with its own lld unless told otherwise.
    let target = std::env::var("TARGET").unwrap_or_default();
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let other_linker = flags.contains("linker-features=-lld") || flags.contains("linker=");
    if std::env::var("PROFILE").as_deref() == Ok("release")
        && target == "x86_64-unknown-linux-gnu"
        && !other_linker
    {
        let order = format!(
            "{}/src-tauri/hot-functions.txt",
            std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()
        );
        println!("cargo:rustc-link-arg-bin=graph-signin=-Wl,--symbol-ordering-file={order}");
        println!("cargo:rustc-link-arg-bin=graph-signin=-Wl,--no-warn-symbol-ordering");
    }
    // A link map for scripts/hot-functions.sh.
    if let Ok(map) = std::env::var("GRAPH_SIGNIN_LINK_MAP") {
        println!("cargo:rustc-link-arg-bin=graph-signin=-Wl,-Map={map}");
        println!("cargo:rustc-link-arg-bin=graph-signin=-Wl,--no-demangle");
    }
    println!("cargo:rerun-if-env-changed=GRAPH_SIGNIN_LINK_MAP");
    println!("cargo:rerun-if-changed=src-tauri/hot-functions.txt");
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
