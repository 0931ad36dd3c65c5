//! A bare Tauri 2 window: the floor that `desktop_report` measures the app's memory against,
//! beside WebKitGTK's own MiniBrowser (docs/benchmarks.md, "Against WebKitGTK's floor").
//!
//! `tauri-floor <URL>` opens one window of the app's size on `URL`, with no plugin, command or
//! IPC, under the app's compositing default, and prints each title the page sets, so that the
//! report knows when the page has been painted (its floor page sets its title then).

fn main() {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: tauri-floor <URL>");
        std::process::exit(2);
    };
    let url: tauri::Url = match url.parse() {
        Ok(url) => url,
        Err(e) => {
            eprintln!("tauri-floor: `{url}` is not a URL: {e}");
            std::process::exit(2);
        }
    };
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // The app's own default (src-tauri/src/lib.rs), set before any thread starts.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    let result = tauri::Builder::default()
        .setup(move |app| {
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::External(url))
                .title("tauri-floor")
                .inner_size(1024.0, 768.0)
                .on_document_title_changed(|_, title| println!("title: {title}"))
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("tauri-floor: {e}");
        std::process::exit(1);
    }
}
