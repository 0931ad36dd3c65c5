#!/usr/bin/env bash
# The page-size report (issue 18; docs/benchmarks.md, "Page size"). Builds, as release builds
# into target/page-size/, the three pages and prints each one's files raw and gzipped (gzip -9):
#   - the browser mode's page (`--features browser`): the one with the goal;
#   - the desktop window's page (`--features desktop`): the same UI with no protocol code;
#   - the Yew floor (tests/yew-floor): one component printing one line, built the same way.
# Then the anchor: Microsoft's msal-browser, minified, as tests/msal-browser installs it.
#
# One more build of the browser page, as a measurement only (the app is never built so): with
# the size options that only a nightly toolchain offers, std rebuilt for the page and panics as
# an immediate abort (`-Zbuild-std`, `-Cpanic=immediate-abort`), through RUSTC_BOOTSTRAP on this
# stable compiler and rust-src, in its own target/page-size-nightly/. It says how much of the
# gap to the goal those options would close (docs/benchmarks.md, "Page size").
#
# Last, what serde weighs in the page: the browser page's wasm (and the nightly-options one)
# built again with names kept, then with the body of every function named for serde (serde_json's,
# the derive's visitors, the few Deserialize impls written by hand) replaced by `unreachable`
# (scripts/wasm_weigh.py), both stripped and gzipped. The difference is a lower bound: serde code
# inlined into other functions stays.
#
# These two measurements come after the pages' table, and each is skipped with its reason when
# it cannot run (rust-src cannot be added, python3 is missing).
#
# Needs scripts/setup.sh (trunk, wasm-bindgen, binaryen, the npm packages) and python3. About
# 40 seconds from a warm target/; the nightly-options build adds a minute the first time (std's
# build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
export CARGO_INCREMENTAL=0

OUT="$ROOT/target/page-size"
GOAL=171000
MSAL="$ROOT/tests/msal-browser/node_modules/@azure/msal-browser/lib/msal-browser.min.js"

build() { # name, folder, trunk arguments... (the environment may add cargo's)
  local name="$1" dir="$2"
  shift 2
  rm -rf "${OUT:?}/$name"
  (cd "$dir" && trunk build --release --skip-version-check --dist "$OUT/$name" "$@" >"$OUT/$name.log" 2>&1) \
    || { echo "trunk build of the $name page failed: see $OUT/$name.log" >&2; exit 1; }
}

gz() { gzip -9c "$1" | wc -c; }

# rustc's default wasm32 features, which binaryen must be told of.
FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
# The functions named for serde: serde_json's, the derive's visitors, the impls written by hand.
SERDE='serde|Deserialize|Serialize|Visitor|visit_|deserialize|serialize'

# Sets WHOLE and STUBBED: one page's wasm gzipped, built with names kept and then stripped, and
# the same with serde's functions stubbed; STUB_LINE says how many.
weigh() { # name, cargo's wasm
  local dir="$OUT/$1-names"
  rm -rf "$dir"
  mkdir -p "$dir"
  wasm-bindgen --target web --keep-debug --out-name page --out-dir "$dir" "$2"
  wasm-opt -Oz -g "${FEATURES[@]}" "$dir/page_bg.wasm" -o "$dir/named.wasm"
  STUB_LINE=$(python3 "$ROOT/scripts/wasm_weigh.py" stub "$dir/named.wasm" "$dir/stubbed-named.wasm" "$SERDE")
  wasm-opt --strip-debug "${FEATURES[@]}" "$dir/named.wasm" -o "$dir/whole.wasm"
  wasm-opt --strip-debug "${FEATURES[@]}" "$dir/stubbed-named.wasm" -o "$dir/stubbed.wasm"
  WHOLE=$(gz "$dir/whole.wasm")
  STUBBED=$(gz "$dir/stubbed.wasm")
}

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
# The desktop page's build writes the same file: kept for weigh().
cp "${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/wasm-release/frontend.wasm" "$OUT/browser-cargo.wasm"
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

# The measurements: each one is skipped, with the reason, when it cannot run.
echo
NIGHTLY_TARGET="$ROOT/target/page-size-nightly"
NIGHTLY=
echo "building the browser page with nightly-only options ..." >&2
if ! rustup component add rust-src >"$OUT/rust-src.log" 2>&1; then
  echo "nightly-only options: not measured, rustup could not add rust-src (see $OUT/rust-src.log)"
elif (
  # Flags of the caller's would take the place of the target's own.
  unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
    CARGO_TARGET_DIR="$NIGHTLY_TARGET"
  build nightly frontend --no-default-features --features browser
); then
  report nightly
  NIGHTLY=$TOTAL
  echo "  the browser page with nightly-only options (measured, not used): $((BROWSER - NIGHTLY)) B less, $((NIGHTLY - GOAL)) B over the goal"
else
  echo "nightly-only options: not measured, the build failed (see $OUT/nightly.log)"
fi

if ! command -v python3 >/dev/null; then
  echo "serde's weight: not measured, python3 is missing (apt install python3)"
  exit 0
fi
echo "weighing serde's functions ..." >&2
weigh browser "$OUT/browser-cargo.wasm"
echo "functions named for serde in the browser page: $STUB_LINE"
echo "  the page's wasm with names kept, then stripped: $WHOLE B gz; without them: $STUBBED B gz, $((WHOLE - STUBBED)) B less"
if [[ -n "$NIGHTLY" ]]; then
  weigh nightly "$NIGHTLY_TARGET/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  echo "  the same with nightly-only options: $WHOLE B gz; without them: $STUBBED B gz, $((WHOLE - STUBBED)) B less"
  echo "  so the browser page with nightly-only options and no serde functions: at least $((NIGHTLY - (WHOLE - STUBBED))) B gz"
fi
