#!/usr/bin/env bash
# Installs whatever is missing, then runs every test. The last line is "N passed, N failed":
# every test that cargo ran, plus one for each check step (fmt, clippy, wasm check, builds).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=never

if ! scripts/setup.sh; then
  echo "setup failed: see the messages above"
  echo "0 passed, 1 failed"
  exit 1
fi

# One pass builds every target once, so cargo's incremental caches (3.3 GB after a fresh run) would
# only take disk. Set CARGO_INCREMENTAL=1 to keep them between runs.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# A full disk fails the run in a confusing place (a linker's bus error); say it first. A fresh
# run leaves 5.6 GB in target/.
NEEDED_GB=8
free_gb=$(df -P -BG "$ROOT" | awk 'NR == 2 { sub("G", "", $4); print $4 }')
if ((free_gb < NEEDED_GB)); then
  echo "warning: ${free_gb} GB free on the disk holding $ROOT; a first run needs about ${NEEDED_GB} GB for target/"
fi

LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"
passed=0
failed=0
failures=()

# check NAME COMMAND...: one pass or one failure.
check() {
  local name="$1"
  shift
  echo "=== $name: $*"
  local start=$SECONDS
  if "$@" >"$LOGS/$name.log" 2>&1; then
    passed=$((passed + 1))
    echo "--- ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    tail -n 60 "$LOGS/$name.log"
    echo "--- FAILED ($((SECONDS - start)) s); full log: target/test-logs/$name.log"
  fi
}

# tests NAME COMMAND...: counts each test that cargo reports; a run that fails without
# reporting a failed test (a build error, a crash) counts as one failure.
tests() {
  local name="$1"
  shift
  echo "=== $name: $*"
  local start=$SECONDS status
  "$@" 2>&1 | tee "$LOGS/$name.log" | grep -E '^(test |test result:|error|warning: unused)' || true
  status=${PIPESTATUS[0]}
  local p f
  p=$(grep -oE '^test result: .* ([0-9]+) passed' "$LOGS/$name.log" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  f=$(grep -oE '^test result: .* ([0-9]+) failed' "$LOGS/$name.log" | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
  if ((status != 0 && f == 0)); then
    f=1
    tail -n 60 "$LOGS/$name.log"
  fi
  if ((f)); then
    # What each failed test printed: its panic message or returned error, first.
    awk '/^---- .* stdout ----$/ { n = 12 } n-- > 0' "$LOGS/$name.log" | head -n 80
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  ((f)) && failures+=("$name")
  echo "--- $name: $p passed, $f failed ($((SECONDS - start)) s)"
}

check fmt cargo fmt --all --check
check clippy cargo clippy --workspace --all-targets --features integration-tests/e2e -- -D warnings
tests unit-and-integration cargo test --workspace
check wasm-check cargo check -p auth-core --target wasm32-unknown-unknown
# auth-core's flow suite again, compiled to wasm32 and run in headless Chromium
# (wasm-bindgen-test-runner, see .cargo/config.toml and crates/auth-core/webdriver.json).
tests auth-core-wasm env CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test -p auth-core --target wasm32-unknown-unknown --test flow
# The page's components in a real DOM in headless Chromium (frontend/tests/dom.rs), and clippy
# on the two wasm32-only test targets and on the two release pages' builds (one backend each),
# which the native clippy above does not compile.
tests frontend-dom env CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test -p frontend --target wasm32-unknown-unknown --test dom
check wasm-clippy bash -c 'cargo clippy -p auth-core --target wasm32-unknown-unknown --test flow -- -D warnings \
  && cargo clippy -p frontend --target wasm32-unknown-unknown --test dom -- -D warnings \
  && cargo clippy -p frontend --target wasm32-unknown-unknown --no-default-features --features desktop -- -D warnings \
  && cargo clippy -p frontend --target wasm32-unknown-unknown --no-default-features --features browser -- -D warnings'
# The e2e tests drive built artifacts: the release pages, and the app embedding the desktop one.
# frontend/dist is the desktop window's page (no browser backend; tauri.conf.json embeds it),
# frontend/dist-browser the browser mode's (no desktop backend).
check frontend-build bash -c 'cd frontend && trunk build --release --skip-version-check --no-default-features --features desktop'
check frontend-build-browser bash -c 'cd frontend && trunk build --release --skip-version-check --no-default-features --features browser --dist dist-browser'
# `tauri dev`, the third way to run the app: it rebuilds target/debug/graph-signin without
# custom-protocol, so it runs before the app build below.
tests tauri-dev cargo test -p integration-tests --features e2e --test tauri_dev
# The .deb, as `tauri build` makes it; --debug reuses the test build (the README's install
# section builds the release one). The e2e test unpacks it and signs in with its binary.
check package-deb tauri build --ci --debug --bundles deb
check app-build cargo build --features custom-protocol --bin graph-signin
tests e2e cargo test -p integration-tests --features e2e --test e2e

echo "target/ holds $(du -sh "$ROOT/target" | cut -f1)"
if ((failed)); then
  echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
((failed == 0))
