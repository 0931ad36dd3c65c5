#!/usr/bin/env bash
# Installs whatever this project needs and is missing. Idempotent; quick when all is there.
#
#   scripts/setup.sh          what the tests need (everything)
#   scripts/setup.sh --run    only what running the app needs (scripts/run.sh calls this)
#
# Versions come from scripts/versions.env; wasm-bindgen-cli's from Cargo.lock.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
source "$ROOT/scripts/versions.env"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"

FOR_TESTS=1
[[ "${1:-}" == "--run" ]] && FOR_TESTS=0

say() { printf '[setup] %s\n' "$*" >&2; }
fail() {
  say "$1"
  shift
  for line in "$@"; do printf '  %s\n' "$line" >&2; done
  say "then run this command again."
  exit 1
}

# --- prerequisites, checked before anything takes time -------------------------------------
if [[ -r /etc/os-release ]]; then
  # shellcheck disable=SC1091
  source /etc/os-release
  if [[ "${ID:-}" != debian || "${VERSION_ID:-}" != 12 ]]; then
    say "this is ${PRETTY_NAME:-an unknown system}; the scripts are made for Debian 12 and may need changes here."
  fi
fi
command -v apt-get >/dev/null || fail "apt-get is missing: the scripts install system packages with Debian's apt." \
  "Install the packages listed in scripts/setup.sh (APT_RUN and APT_TEST) with your package manager,"
command -v rustup >/dev/null && command -v cargo >/dev/null || fail \
  "rustup and cargo are missing: the project builds with a rustup toolchain (rustc 1.95)." \
  "Install rustup with your package manager or the Rust project's installer, open a new shell,"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  fail "node and npm are missing: Bootstrap, PurgeCSS, binaryen and the tauri CLI come from npm." \
    "sudo apt-get install -y nodejs npm"
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= 18)) || fail "node $(node --version) is too old: 18 or later is needed." \
  "Install a newer nodejs (Debian 12's is 18),"
# The tests' OpenID provider (oidc-provider 9) calls URL.parse, which node has from 20.18.
if ((FOR_TESTS)) && ! node -e 'process.exit(typeof URL.parse === "function" ? 0 : 1)'; then
  fail "node $(node --version) is too old for the tests: their OpenID provider needs 20.18 or later." \
    "Install nodejs 20.18 or later (Debian 12's is 18; running the app needs only 18),"
fi

# --- apt ------------------------------------------------------------------------------------
# Running: WebKitGTK and GTK to build the app (its TLS is rustls, as trunk's and
# wasm-bindgen-cli's are). Testing adds OpenSSL's headers (the WebDriver client's and the test
# harness's HTTP clients use native-tls), Xvfb, the WebDriver servers, Chromium, and a session bus
# with GNOME Keyring (the Secret Service the token store uses).
APT_RUN=(libwebkit2gtk-4.1-dev libsoup-3.0-dev libgtk-3-dev librsvg2-dev build-essential pkg-config)
APT_TEST=(libssl-dev xvfb xauth webkit2gtk-driver chromium chromium-driver dbus gnome-keyring)
APT_PACKAGES=("${APT_RUN[@]}")
((FOR_TESTS)) && APT_PACKAGES+=("${APT_TEST[@]}")
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    fail "missing system packages: ${missing[*]}" \
      "sudo apt-get update && sudo apt-get install -y -o DPkg::Lock::Timeout=900 ${missing[*]}"
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
    # Unoptimised, without the tools' own release LTO, in 16 codegen units: on two cores trunk
    # then builds in 147 s instead of 452 s and wasm-bindgen-cli in 49 s instead of 154 s, which
    # is most of a new user's wait for the first window. trunk only orchestrates and runs as
    # fast; wasm-bindgen converts a debug page in 2.2 s instead of 0.65 s (docs/benchmarks.md).
    CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
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
((FOR_TESTS)) && cargo_tool tauri-driver "$TAURI_DRIVER_VERSION" --locked

# --- npm: the tools in .tools/, the frontend's packages, the msal-browser test's package -------
npm_install() {
  # npm's own errors are shown; only its progress and advice are not.
  npm "$@" --no-audit --no-fund --loglevel=error
}
# wasm-opt (binaryen) and the tauri CLI (a prebuilt binary, where `cargo install tauri-cli`
# builds for many minutes), installed together: an npm install into a prefix drops the packages
# it was not given.
tools_ok() {
  [[ "$(wasm-opt --version 2>/dev/null || true)" == *"version ${BINARYEN_VERSION%%.*}"* ]] \
    && [[ "$("$ROOT/.tools/node_modules/.bin/tauri" --version 2>/dev/null || true)" == "tauri-cli $TAURI_CLI_VERSION" ]]
}
if ! tools_ok; then
  say "npm install binaryen@$BINARYEN_VERSION @tauri-apps/cli@$TAURI_CLI_VERSION into .tools/"
  npm_install install --no-save --prefix "$ROOT/.tools" \
    "binaryen@$BINARYEN_VERSION" "@tauri-apps/cli@$TAURI_CLI_VERSION"
fi
# frontend/: Bootstrap and PurgeCSS; tests/msal-browser/: Microsoft's msal-browser, which an e2e
# test runs against the emulator; tests/oidc-provider/: the generic OpenID provider the tests
# sign in to.
npm_dirs=(frontend)
((FOR_TESTS)) && npm_dirs+=(tests/msal-browser tests/oidc-provider)
for dir in "${npm_dirs[@]}"; do
  if [[ ! -f "$ROOT/$dir/node_modules/.package-lock.json" \
     || "$ROOT/$dir/package-lock.json" -nt "$ROOT/$dir/node_modules/.package-lock.json" ]]; then
    say "npm ci in $dir/"
    (cd "$ROOT/$dir" && npm_install ci)
  fi
done

say "ready"
