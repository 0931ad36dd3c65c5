//! The tutorial's page as a Yew app. `trunk` builds it for wasm32; it also compiles natively so
//! that the workspace's `cargo test` and `cargo clippy` cover it.

mod app;

fn main() {
    #[cfg(target_arch = "wasm32")]
    yew::Renderer::<app::App>::new().render();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the frontend runs in a browser or the desktop window: build it with `trunk build`");
}
