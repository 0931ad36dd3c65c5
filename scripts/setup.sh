#!/usr/bin/env bash
# Installs whatever this project needs and is missing. Idempotent; quick when all is there.
#
#   scripts/setup.sh          what the tests need
#   scripts/setup.sh --run    also tauri-cli, for `cargo tauri dev` (about 14 minutes the first time)
#
# Versions come from scripts/versions.env; wasm-bindgen-cli's from Cargo.lock.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
source "$ROOT/scripts/versions.env"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"

WITH_RUN=0
[[ "${1:-}" == "--run" ]] && WITH_RUN=1

say() { printf '[setup] %s\n' "$*" >&2; }

# --- apt ------------------------------------------------------------------------------------
APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libgtk-3-dev librsvg2-dev build-essential pkg-config libssl-dev
  xvfb xauth webkit2gtk-driver chromium chromium-driver dbus gnome-keyring
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    say "missing system packages: ${missing[*]}"
    say "install them with:"
    printf '  sudo apt-get update && sudo apt-get install -y -o DPkg::Lock::Timeout=900 %s\n' "${missing[*]}"
    say "then run this command again."
    exit 1
  fi
  say "apt-get install ${missing[*]}"
  apt-get update -o DPkg::Lock::Timeout=900 -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=900 "${missing[@]}" >/dev/null
fi

# --- rust targets and cargo tools -------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

installed="$(cargo install --list)"
# cargo_tool CRATE VERSION [extra cargo-install flags...]
cargo_tool() {
  local crate="$1" version="$2"
  shift 2
  if ! grep -q "^$crate v$version:" <<<"$installed"; then
    say "cargo install $crate $version (once; this takes minutes)"
    cargo install "$crate" --version "=$version" "$@"
  fi
}

cargo_tool trunk "$TRUNK_VERSION" --locked
# trunk uses a wasm-bindgen on PATH only if it equals Cargo.lock's; without --locked, because the
# tool's own lockfile pins crates the registry here lacks.
if [[ ! -f "$ROOT/Cargo.lock" ]]; then
  (cd "$ROOT" && cargo generate-lockfile)
fi
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
[[ -n "$WASM_BINDGEN_VERSION" ]] || { say "no wasm-bindgen in Cargo.lock"; exit 1; }
cargo_tool wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
cargo_tool tauri-driver "$TAURI_DRIVER_VERSION" --locked
if ((WITH_RUN)); then
  cargo_tool tauri-cli "$TAURI_CLI_VERSION" --locked
fi

# --- npm: wasm-opt, the frontend's packages, the msal-browser test's package ---------------
if [[ "$(wasm-opt --version 2>/dev/null || true)" != *"version ${BINARYEN_VERSION%%.*}"* ]]; then
  say "npm install binaryen@$BINARYEN_VERSION into .tools/"
  npm install --silent --no-save --prefix "$ROOT/.tools" "binaryen@$BINARYEN_VERSION" >/dev/null
fi
# frontend/: Bootstrap and PurgeCSS; tests/msal-browser/: Microsoft's msal-browser, which an e2e
# test runs against the emulator.
for dir in frontend tests/msal-browser; do
  if [[ ! -f "$ROOT/$dir/node_modules/.package-lock.json" \
     || "$ROOT/$dir/package-lock.json" -nt "$ROOT/$dir/node_modules/.package-lock.json" ]]; then
    say "npm ci in $dir/"
    (cd "$ROOT/$dir" && npm ci --silent >/dev/null)
  fi
done

say "ready"
