#!/usr/bin/env bash
# Installs whatever is missing, starts the local identity emulator, and launches the app on it.
#
#   scripts/run.sh              the desktop app (`tauri dev`, the CLI from npm), in a window
#   scripts/run.sh --browser    the same page for a browser (`trunk serve`), at http://localhost:1420/
#
# With no display: scripts/run.sh --browser, or a virtual display (xvfb-run -a scripts/run.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
EMULATOR_PORT="${EMULATOR_PORT:-4123}"

MODE=desktop
case "${1:-}" in
  "") ;;
  --browser) MODE=browser ;;
  *) echo "usage: scripts/run.sh [--browser]" >&2; exit 2 ;;
esac

if [[ $MODE == desktop && -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "There is no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so no window can open." >&2
  echo "Serve the same page to a browser instead:" >&2
  echo "  scripts/run.sh --browser" >&2
  if command -v xvfb-run >/dev/null; then
    echo "or run the app on a virtual display:" >&2
    echo "  xvfb-run -a scripts/run.sh" >&2
  else
    echo "or install a virtual display and run the app on it:" >&2
    echo "  sudo apt-get install -y xvfb xauth && xvfb-run -a scripts/run.sh" >&2
  fi
  exit 1
fi

scripts/setup.sh --run

# The emulator runs for as long as the app does.
cargo build --quiet -p identity-emulator
EMULATOR_LOG="$ROOT/target/identity-emulator.log"
target/debug/identity-emulator --port "$EMULATOR_PORT" >"$EMULATOR_LOG" 2>&1 &
EMULATOR_PID=$!
trap 'kill "$EMULATOR_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^listening on ' "$EMULATOR_LOG" && break
  kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$EMULATOR_LOG" >&2; echo "the emulator did not start (is port $EMULATOR_PORT taken? set EMULATOR_PORT)" >&2; exit 1; }
  sleep 0.1
done
echo "identity emulator: $(grep -m1 '^listening on ' "$EMULATOR_LOG") (log: target/identity-emulator.log)"

if [[ $MODE == desktop ]]; then
  # The tauri CLI from .tools/ (scripts/setup.sh); `cargo tauri dev` does the same for those
  # who installed the cargo one. Ctrl-C stops trunk, the app and the CLI together.
  tauri dev
else
  echo "open http://localhost:1420/ in a browser"
  cd frontend && trunk serve --skip-version-check
fi
