//! What the page shows from Microsoft Graph: the shared `graph-view` crate, which the desktop
//! shell uses too, so both modes read Graph's replies the same way.

pub use graph_view::*;
