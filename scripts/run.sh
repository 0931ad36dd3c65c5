#!/usr/bin/env bash
# Installs whatever is missing and launches the app on the local identity emulator.
#
#   scripts/run.sh              the desktop app (`tauri dev`, the CLI from npm), in a window; it
#                               runs the emulator in its own process, as its demo tenant
#   scripts/run.sh --browser    the same page for a browser (`trunk serve`), at http://localhost:1420/,
#                               with the emulator started here, on port 4123
#
# EMULATOR_PORT=N moves the emulator, in both modes, and the browser page's config.json with it.
# With no display: scripts/run.sh --browser, or a virtual display (xvfb-run -a scripts/run.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"

MODE=desktop
case "${1:-}" in
  "") ;;
  --browser) MODE=browser ;;
  *) echo "usage: scripts/run.sh [--browser]" >&2; exit 2 ;;
esac

if [[ -n "${EMULATOR_PORT:-}" ]] && ! [[ "$EMULATOR_PORT" =~ ^[0-9]+$ && "$EMULATOR_PORT" -ge 1 && "$EMULATOR_PORT" -le 65535 ]]; then
  echo "EMULATOR_PORT must be a port number from 1 to 65535, not \"$EMULATOR_PORT\"." >&2
  exit 2
fi

# port_free PORT WHAT HOW: fails with a message naming who holds PORT on loopback, and what to do.
port_free() {
  local port="$1" what="$2" how="$3" host
  for host in 127.0.0.1 ::1; do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
      echo "Port $port ($what) is already in use on $host." >&2
      if command -v ss >/dev/null; then
        ss -Hltnp "sport = :$port" 2>/dev/null | sed -E 's/.*users:\(\("([^"]*)",pid=([0-9]+).*/  held by: \1 (pid \2)/' | sort -u >&2 || true
      fi
      echo "$how" >&2
      exit 1
    fi
  done
}

if [[ $MODE == desktop ]]; then
  if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
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
  if [[ -n "${EMULATOR_PORT:-}" ]]; then
    port_free "$EMULATOR_PORT" "EMULATOR_PORT, the demo tenant" "Choose another EMULATOR_PORT, or leave it unset for a free port."
    # The app's own setting (docs/configuration in README.md).
    export GRAPH_SIGNIN_EMULATOR_PORT="$EMULATOR_PORT"
  fi
  # `tauri dev` serves the page on 1420 (tauri.conf.json devUrl) for the app's window.
  port_free 1420 "the page's dev server" "Stop that program (another scripts/run.sh or trunk serve?), then run this again."
  scripts/setup.sh --run
  # The tauri CLI from .tools/ (scripts/setup.sh); `cargo tauri dev` does the same for those
  # who installed the cargo one. Ctrl-C stops trunk, the app and the CLI together.
  exec tauri dev
fi

EMULATOR_PORT="${EMULATOR_PORT:-4123}"
port_free "$EMULATOR_PORT" "the emulator" "Stop that program, or choose another port: EMULATOR_PORT=4124 scripts/run.sh --browser"
# The page's redirect URI, registered in the emulator's seed (and in an Entra app registration).
port_free 1420 "the browser page's address, http://localhost:1420/" "Stop that program (another scripts/run.sh or trunk serve?), then run this again."
scripts/setup.sh --run

# The emulator runs for as long as the page's server does.
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
echo "open http://localhost:1420/ in a browser"
# EMULATOR_PORT reaches the built config.json through frontend/emulator-port.mjs.
export EMULATOR_PORT
cd frontend && trunk serve --skip-version-check
