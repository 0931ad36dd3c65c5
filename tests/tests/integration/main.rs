//! Integration tests that need no display: the emulator on a real socket, its protocol by
//! endpoint (with a shared fixture), auth-core against it, and the shell's session logic. One
//! binary made of modules, as in ripgrep's tests/.

mod core_against_emulator;
mod core_against_oidc_provider;
mod emulator_binary;
mod fault_matrix;
mod fixture;
mod graph_proxy;
mod protocol_authorize;
mod protocol_discovery;
mod protocol_graph;
mod protocol_token;
mod realms;
mod scripts;
mod session_progress;
mod shell_tls;
mod sign_out;

#[path = "../../support/mock_session.rs"]
mod mock_session;
