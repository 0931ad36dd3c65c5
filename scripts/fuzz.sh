#!/usr/bin/env bash
# Builds the libFuzzer targets on the stable toolchain and runs each for a number of executions,
# one after another, then prints executions, seconds, exec/s and whether it crashed, per target.
# A manual command (it takes a while), not part of scripts/test.sh.
#
#   scripts/fuzz.sh                               every target, 1000000 runs each
#   scripts/fuzz.sh 2000000                       every target, 2000000 runs each
#   scripts/fuzz.sh 2000000 jwt=300000            the same, with jwt's runs set apart
#   FUZZ_TARGETS="redirect jwt" scripts/fuzz.sh   only those targets
#   FUZZ_MAX_TIME=600 scripts/fuzz.sh             at most 600 s per target (default 3600)
#
# The fuzz workspaces (crates/auth-core/fuzz, crates/identity-emulator/fuzz) build into
# target/fuzz with what cargo-fuzz gives for `--sanitizer none`: SanitizerCoverage as stable `-C`
# flags, `--cfg fuzzing`, debug assertions and overflow checks. libfuzzer-sys compiles
# libFuzzer itself, so neither nightly nor cargo-fuzz is needed. Each target keeps its corpus in
# target/fuzz/corpus/<target> (seeded from the workspace's seeds/<target>, when there is one);
# crashes go to target/fuzz/artifacts/<target>/, logs to target/fuzz/logs/<target>.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

RUNS="${1:-1000000}"
[[ "$RUNS" =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [RUNS_PER_TARGET] [TARGET=RUNS...]" >&2; exit 2; }
shift $(($# > 0 ? 1 : 0))
declare -A RUNS_OF=()
for arg in "$@"; do
  [[ "$arg" =~ ^([a-z_]+)=([0-9]+)$ ]] || { echo "not TARGET=RUNS: $arg" >&2; exit 2; }
  RUNS_OF[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
done
MAX_TIME="${FUZZ_MAX_TIME:-3600}"
WORKSPACES=(crates/auth-core/fuzz crates/identity-emulator/fuzz)
OUT="$ROOT/target/fuzz"
HOST="$(rustc -vV | sed -n 's/^host: //p')"

# What `cargo fuzz build --sanitizer none` passes (cargo-fuzz's src/project.rs); the debug
# assertions and overflow checks it adds are in the fuzz workspaces' release profiles instead, so
# that one dependency can be left out (see crates/auth-core/fuzz/Cargo.toml). `--target` keeps these
# flags off build scripts and proc macros.
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module \
-Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
-Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares \
-Cllvm-args=-sanitizer-coverage-stack-depth \
-Cllvm-args=-simplifycfg-branch-fold-threshold=0 \
-Ccodegen-units=1"

say() { printf '[fuzz] %s\n' "$*" >&2; }

# workspace:target pairs, from each workspace's [[bin]] sections.
targets=()
for ws in "${WORKSPACES[@]}"; do
  while read -r name; do
    if [[ -z "${FUZZ_TARGETS:-}" || " $FUZZ_TARGETS " == *" $name "* ]]; then
      targets+=("$ws:$name")
    fi
  done < <(awk '/^\[\[bin\]\]/ { bin = 1; next } bin && /^name = / { gsub(/name = |"/, ""); print; bin = 0 }' "$ws/Cargo.toml")
done
((${#targets[@]})) || { say "no target matches FUZZ_TARGETS=$FUZZ_TARGETS"; exit 2; }

for ws in "${WORKSPACES[@]}"; do
  # The main lockfile (again whenever it changes), so that the fuzzed crates build with the
  # versions the app ships; cargo adds libfuzzer-sys to the copy.
  [[ "$ws/Cargo.lock" -nt Cargo.lock ]] || cp Cargo.lock "$ws/Cargo.lock"
  say "cargo build --release ($ws, $HOST)"
  cargo build --quiet --release --manifest-path "$ws/Cargo.toml" --target "$HOST" \
    --target-dir "$OUT" --bins
done

BIN="$OUT/$HOST/release"
mkdir -p "$OUT/logs"
report=()
total_runs=0
total_seconds=0
crashed=0
for pair in "${targets[@]}"; do
  ws="${pair%%:*}"
  name="${pair#*:}"
  runs="${RUNS_OF[$name]:-$RUNS}"
  corpus="$OUT/corpus/$name"
  artifacts="$OUT/artifacts/$name"
  log="$OUT/logs/$name.log"
  mkdir -p "$corpus" "$artifacts"
  dirs=("$corpus")
  [[ -d "$ws/seeds/$name" ]] && dirs+=("$ws/seeds/$name")
  say "$name: $runs runs (at most $MAX_TIME s); log: target/fuzz/logs/$name.log"
  start=$(date +%s.%N)
  status=0
  "$BIN/$name" "${dirs[@]}" -runs="$runs" -max_total_time="$MAX_TIME" -timeout=30 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
  seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # Without final stats (a crash may end it first), the last status line's count.
  [[ -n "$executed" ]] || executed=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
  executed=${executed:-0}
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  if ((status != 0)); then
    result="CRASH (exit $status) ${artifact:-see the log}"
    crashed=1
  elif [[ -n "$artifact" ]]; then
    result="none (slow input: $artifact)"
  elif ((executed < runs)); then
    result="none (stopped at the time cap)"
  else
    result="none"
  fi
  rate=$(awk -v n="$executed" -v s="$seconds" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
  report+=("$(printf '%-16s %12s %10.1f %10s   %s' "$name" "$executed" "$seconds" "$rate" "$result")")
  total_runs=$((total_runs + executed))
  total_seconds=$(awk -v a="$total_seconds" -v b="$seconds" 'BEGIN { print a + b }')
done

printf '\n%-16s %12s %10s %10s   %s\n' target executions seconds exec/s crashes
printf '%s\n' "${report[@]}"
printf '%-16s %12s %10.1f\n' total "$total_runs" "$total_seconds"
exit "$crashed"
