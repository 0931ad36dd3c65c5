//! The page's entry point; the app is the `frontend` library (src/lib.rs).

// talc in place of the default dlmalloc: less code in the page (frontend/Cargo.toml).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_futures::spawn_local(frontend::start());
    #[cfg(not(target_arch = "wasm32"))]
    {
        // Natively there is no page to render; naming `start` keeps its code checked.
        let _start = frontend::start;
        eprintln!(
            "the frontend runs in a browser or the desktop window: build it with `trunk build`"
        );
    }
}
