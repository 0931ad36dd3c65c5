#!/usr/bin/env bash
# Regenerates src-tauri/hot-functions.txt: the functions the desktop app runs, which its release
# link lays out together at the front of the text (src-tauri/build.rs; docs/benchmarks.md, "The
# binary's layout"). A maintainer's tool, run after large changes or a dependency or toolchain
# update; the release build works without it, only less of its code is grouped. About 25 minutes.
#
# 1. The app built with `-Cprofile-generate` (the release profile and features, so that its
#    symbols are the release build's), run through desktop_report: launches on a restored session,
#    a sign-in, Read Mails, Graph calls. Each function with a nonzero counter is hot.
# 2. The precompiled standard library and the C code carry no counters, and a few functions are
#    named otherwise in the release build, so the release build, laid out with those functions,
#    runs the report again under `perf record -e page-faults`: each function that takes a page
#    fault is added, three times over.
#
# Needs what desktop_report needs (scripts/setup.sh, then the floors; docs/benchmarks.md) and perf
# (apt: linux-perf) with permission to record the whole machine's page faults.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
export CARGO_INCREMENTAL=0

WORK="$ROOT/target/hot-functions"
OUT="$ROOT/src-tauri/hot-functions.txt"
TOOL="$ROOT/scripts/hot_functions.py"
ROUNDS=3

command -v perf >/dev/null || { echo "perf is missing: sudo apt-get install -y linux-perf" >&2; exit 1; }
rm -rf "$WORK/profiles" "$WORK/build-profiles"
mkdir -p "$WORK/profiles" "$WORK/build-profiles"

echo "== the pages and the floors desktop_report measures"
(cd frontend && trunk build --release --skip-version-check --no-default-features --features desktop)
(cd tests/yew-floor && trunk build --release --skip-version-check)
cargo build --release -p tauri-floor --features custom-protocol

echo "== 1. the instrumented app, and its profile"
# Build scripts and proc macros are instrumented too (no --target, to keep the release build's
# symbol names): their profiles go aside. No inlining before the counters go in, so that small
# functions keep theirs.
LLVM_PROFILE_FILE="$WORK/build-profiles/%p.profraw" \
  RUSTFLAGS="-Cprofile-generate=$WORK/profiles -Cllvm-args=-runtime-counter-relocation -Cllvm-args=-disable-preinline" \
  cargo build --release --features custom-protocol --bin graph-signin --target-dir "$WORK/target"
cp target/release/tauri-floor "$WORK/target/release/"
# Continuous mode (%c): the report ends the app with a signal, before any exit handler.
LLVM_PROFILE_FILE="$WORK/profiles/app-%p%c.profraw" GRAPH_SIGNIN_APP="$WORK/target/release/graph-signin" \
  cargo run -q -p integration-tests --bin desktop_report >"$WORK/report-instrumented.txt"
python3 "$TOOL" profile "$WORK"/profiles/app-*.profraw >"$WORK/names.txt"
echo "$(wc -l <"$WORK/names.txt") functions ran"

# link: the release app, with the current ordering file and a link map.
link() {
  GRAPH_SIGNIN_LINK_MAP="$WORK/app.map" cargo build --release --features custom-protocol --bin graph-signin
}

echo "== 2. the release build laid out by the profile"
link
extras=()
python3 "$TOOL" order --map "$WORK/app.map" --names "$WORK/names.txt" >"$OUT.new"
mv "$OUT.new" "$OUT"
for round in $(seq 1 "$ROUNDS"); do
  echo "== 2.$round the code outside the ordering that still takes page faults"
  link
  # Every page fault on the machine for as long as the report runs (the app is its grandchild).
  perf record -q -o "$WORK/faults.data" -e page-faults -c 1 -d -a -- \
    env GRAPH_SIGNIN_APP="$ROOT/target/release/graph-signin" \
    cargo run -q -p integration-tests --bin desktop_report >"$WORK/report-$round.txt"
  perf script -i "$WORK/faults.data" --show-mmap-events -F comm,pid,tid,ip,addr 2>/dev/null >"$WORK/faults.txt"
  python3 "$TOOL" faults --map "$WORK/app.map" --perf "$WORK/faults.txt" >"$WORK/faults-$round.txt"
  echo "$(wc -l <"$WORK/faults-$round.txt") functions took a page fault"
  extras+=(--extra "$WORK/faults-$round.txt")
  python3 "$TOOL" order --map "$WORK/app.map" --names "$WORK/names.txt" "${extras[@]}" >"$OUT.new"
  mv "$OUT.new" "$OUT"
done
echo "== done: $OUT ($(grep -vc '^#' "$OUT") functions); rebuild the release app to use it"
