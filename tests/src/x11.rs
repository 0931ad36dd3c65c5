//! Acting as a user on an X display: closing a window the way a window manager's close button
//! does, with a `WM_DELETE_WINDOW` client message. (WebDriver's "Close Window" does not make
//! Tauri see a close.)

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, ConnectionExt, EventMask, Window};
use x11rb::wrapper::ConnectionExt as _;

use crate::Result;

/// Sends `WM_DELETE_WINDOW` to every top-level window on `display` whose title is `title`.
/// Returns how many windows were asked to close.
pub fn close_windows_titled(display: &str, title: &str) -> Result<usize> {
    let (conn, screen) = x11rb::connect(Some(display))?;
    let root = conn.setup().roots[screen].root;
    let protocols = conn.intern_atom(false, b"WM_PROTOCOLS")?.reply()?.atom;
    let delete = conn.intern_atom(false, b"WM_DELETE_WINDOW")?.reply()?.atom;
    let net_name = conn.intern_atom(false, b"_NET_WM_NAME")?.reply()?.atom;
    let utf8 = conn.intern_atom(false, b"UTF8_STRING")?.reply()?.atom;
    // Collect the targets first: the tree changes once one closes.
    let mut targets: Vec<Window> = Vec::new();
    let mut stack = vec![root];
    while let Some(window) = stack.pop() {
        let name = conn
            .get_property(false, window, net_name, utf8, 0, 1024)?
            .reply()?
            .value;
        let legacy = conn
            .get_property(false, window, AtomEnum::WM_NAME, AtomEnum::STRING, 0, 1024)?
            .reply()?
            .value;
        if name == title.as_bytes() || legacy == title.as_bytes() {
            targets.push(window);
        }
        stack.extend(conn.query_tree(window)?.reply()?.children);
    }
    for &window in &targets {
        let event = ClientMessageEvent::new(
            32,
            window,
            protocols,
            [delete, x11rb::CURRENT_TIME, 0, 0, 0],
        );
        conn.send_event(false, window, EventMask::NO_EVENT, event)?;
    }
    conn.sync()?;
    Ok(targets.len())
}
