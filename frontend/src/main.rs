//! The page's entry point; the app is the `frontend` library (src/lib.rs).

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
