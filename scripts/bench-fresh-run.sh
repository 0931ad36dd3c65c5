#!/usr/bin/env bash
# Times the README's run command as on a fresh machine of this kind: a fresh clone, an empty
# HOME and cargo home (only rustup's proxies, on the installed toolchain), so every crate is
# downloaded and every tool built; apt's packages are taken as installed (their time is
# measured apart, see docs/benchmarks.md). Prints each phase's start, in seconds from the start,
# and the time to the app's window shown. Needs Xvfb (scripts/setup.sh installs it).
#
#   scripts/bench-fresh-run.sh            # about 15 minutes on two cores; uses /tmp
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/fresh-run.XXXXXX)"
RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export RUSTUP_HOME
proxy="$(command -v cargo)"
git clone -q "$ROOT" "$WORK/clone"
mkdir -p "$WORK/home/.cargo/bin"
for tool in cargo rustc rustup rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver; do
  ln -s "$(dirname "$proxy")/$tool" "$WORK/home/.cargo/bin/$tool"
done
export HOME="$WORK/home" CARGO_HOME="$WORK/home/.cargo" RUST_LOG=graph_signin=debug
export PATH="$CARGO_HOME/bin:/usr/local/bin:/usr/bin:/bin"
unset CARGO_TARGET_DIR WAYLAND_DISPLAY

start=$(date +%s)
log="$WORK/run.log"
: >"$log"
cd "$WORK/clone"
# In a session of its own, so that the whole tree (tauri dev, trunk serve, the app) stops at the end.
setsid xvfb-run -a scripts/run.sh >"$log" 2>&1 &
runner=$!
trap 'kill -- -"$runner" 2>/dev/null || true' EXIT
seen=""
while kill -0 "$runner" 2>/dev/null; do
  while IFS= read -r line; do
    case "$line" in
      *"[setup]"*|*"Compiling frontend"*|*"Compiling graph-signin"*|*"Running BeforeDevCommand"*|*"Running "*graph-signin*|*"the main window is shown"*)
        if [[ "$seen" != *"$line"* ]]; then
          printf '%5d s  %s\n' $(($(date +%s) - start)) "$line"
          seen+="$line"$'\n'
        fi ;;
    esac
  done <"$log"
  if grep -q "the main window is shown" "$log"; then
    echo "window shown after $(($(date +%s) - start)) s (log: $log)"
    exit 0
  fi
  sleep 2
done
echo "scripts/run.sh ended before a window was shown; its log: $log" >&2
tail -n 40 "$log" >&2
exit 1
