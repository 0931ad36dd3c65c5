//! A one-line Yew page, built as the app's page is (`trunk build --release`: the
//! `wasm-release` profile and wasm-opt): what any Yew page costs WebKitGTK before it does
//! anything of its own. `desktop_report` shows it in MiniBrowser beside the app's page
//! (docs/benchmarks.md, "Against WebKitGTK's floor").

use yew::prelude::*;

// The app's page's allocator (frontend/src/main.rs).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[function_component]
fn Hello() -> Html {
    html! { <p>{ "Hello." }</p> }
}

fn main() {
    yew::Renderer::<Hello>::new().render();
}
