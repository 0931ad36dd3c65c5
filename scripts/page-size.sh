#!/usr/bin/env bash
# The page-size report (issue 18; docs/benchmarks.md, "Page size"). Builds, as release builds
# into target/page-size/, the three pages and prints each one's files raw and gzipped (gzip -9):
#   - the browser mode's page (`--features browser`): the one with the goal;
#   - the desktop window's page (`--features desktop`): the same UI with no protocol code;
#   - the Yew floor (tests/yew-floor): one component printing one line, built the same way.
# Then the anchor: Microsoft's msal-browser, minified, as tests/msal-browser installs it.
# Needs scripts/setup.sh (trunk, wasm-bindgen, binaryen, the npm packages). About 3 minutes
# from a warm target/, most of it wasm-opt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
export CARGO_INCREMENTAL=0

OUT="$ROOT/target/page-size"
GOAL=171000
MSAL="$ROOT/tests/msal-browser/node_modules/@azure/msal-browser/lib/msal-browser.min.js"

build() { # name, folder, trunk arguments...
  local name="$1" dir="$2"
  shift 2
  rm -rf "${OUT:?}/$name"
  (cd "$dir" && trunk build --release --skip-version-check --dist "$OUT/$name" "$@" >"$OUT/$name.log" 2>&1) \
    || { echo "trunk build of the $name page failed: see $OUT/$name.log" >&2; exit 1; }
}

gz() { gzip -9c "$1" | wc -c; }

# Prints one page's line and sets TOTAL to its gzipped wasm + JS + CSS.
report() { # name
  local name="$1" kind file raw packed
  local line
  line=$(printf '%-10s' "$name")
  TOTAL=0
  for kind in wasm js css; do
    file=$(find "$OUT/$name" -maxdepth 1 -name "*.$kind" | head -n 1)
    if [[ -z "$file" ]]; then
      line+=$(printf '  %8s %8s' - -)
      continue
    fi
    raw=$(stat -c %s "$file")
    packed=$(gz "$file")
    TOTAL=$((TOTAL + packed))
    line+=$(printf '  %8d %8d' "$raw" "$packed")
  done
  printf '%s  %9d\n' "$line" "$TOTAL"
}

mkdir -p "$OUT"
echo "building the pages into $OUT ..." >&2
build browser frontend --no-default-features --features browser
build desktop frontend --no-default-features --features desktop
build yew-floor tests/yew-floor

printf '%-10s  %8s %8s  %8s %8s  %8s %8s  %9s\n' page "wasm" "wasm gz" "js" "js gz" "css" "css gz" "total gz"
report browser
BROWSER=$TOTAL
report desktop
DESKTOP=$TOTAL
report yew-floor
FLOOR=$TOTAL
echo
echo "browser page: $BROWSER B gz; goal <= $GOAL B gz (the tutorial's third-party code): $((BROWSER - GOAL)) B over"
echo "  over the desktop page (the same UI, no protocol): $((BROWSER - DESKTOP)) B gz"
echo "  desktop page over the Yew floor (the UI itself): $((DESKTOP - FLOOR)) B gz"
if [[ -f "$MSAL" ]]; then
  echo "anchor: msal-browser $(node -p "require('$ROOT/tests/msal-browser/node_modules/@azure/msal-browser/package.json').version") minified: $(stat -c %s "$MSAL") B, $(gz "$MSAL") B gz"
  echo "  the desktop page + msal-browser: $((DESKTOP + $(gz "$MSAL"))) B gz"
else
  echo "anchor: msal-browser is not installed (scripts/setup.sh without --run installs it)"
fi
