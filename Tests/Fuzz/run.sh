#!/usr/bin/env bash
# certlab fuzzing (issue 9 "Fuzzing"): builds the libFuzzer targets of Tests/Fuzz/Package.swift
# with `--sanitize fuzzer --sanitize address` into their own scratch folder, runs each for a
# bounded time from its committed seed corpus, and prints one line of figures per target.
#
#   Tests/Fuzz/run.sh [TARGET...]            targets: query-dsl bulk-ndjson msearch-ndjson dn pem security-yaml
#   Tests/Fuzz/run.sh repro TARGET FILE...   run a saved input (a crash artifact) once, verbosely
#
# Settings (environment):
#   FUZZ_SECONDS  seconds per target (default 30)
#   FUZZ_CONFIG   debug or release (default release: libFuzzer's execs/s are ~5x higher with -O)
#   FUZZ_SCRATCH  build and work folder (default .build-fuzz; the grown corpora and crash
#                 artifacts live under it, the committed seeds in Tests/Fuzz/corpus/<target>/)
#   FUZZ_JOBS     swift build -j (default: all cores)
# Exit status: 0 when no target crashed; 1 naming each artifact otherwise. A crash becomes a
# regression test in the normal test targets (see Tests/Fuzz/README.md).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
ALL_TARGETS="query-dsl bulk-ndjson msearch-ndjson dn pem security-yaml"
SECONDS_EACH=${FUZZ_SECONDS:-30}
CONFIG=${FUZZ_CONFIG:-release}
SCRATCH=${FUZZ_SCRATCH:-.build-fuzz}
export CERTLAB_ROOT=$ROOT
# The Swift runtime's backtracer reads its own stack in a way ASan flags; libFuzzer and ASan
# print the stack of a crash themselves.
export SWIFT_BACKTRACE=enable=no

die() { printf 'fuzz: ERROR: %s\n' "$*" >&2; exit 2; }
case "$CONFIG" in debug | release) ;; *) die "FUZZ_CONFIG must be debug or release (found '$CONFIG')" ;; esac
[[ "$SECONDS_EACH" =~ ^[0-9]+$ ]] && [ "$SECONDS_EACH" -gt 0 ] || die "FUZZ_SECONDS must be a positive integer (found '$SECONDS_EACH')"

build() {
  local jobs=()
  [ -n "${FUZZ_JOBS:-}" ] && jobs=(-j "$FUZZ_JOBS")
  echo "fuzz: building $CONFIG fuzz targets into $SCRATCH (sanitizers: fuzzer, address)"
  swift build --package-path Tests/Fuzz --scratch-path "$SCRATCH" -c "$CONFIG" \
    --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address "${jobs[@]}" 2>&1 | grep -Ev 'ld.gold: warning: Cannot export local symbol' | tail -n 20
  [ "${PIPESTATUS[0]}" = 0 ] || die "swift build of Tests/Fuzz failed"
}

binary() { echo "$SCRATCH/$CONFIG/fuzz-$1"; }

known() { for t in $ALL_TARGETS; do [ "$t" = "$1" ] && return 0; done; return 1; }

if [ "${1:-}" = repro ]; then
  [ $# -ge 3 ] || die "usage: Tests/Fuzz/run.sh repro TARGET FILE..."
  known "$2" || die "unknown target '$2' (known: $ALL_TARGETS)"
  build
  target=$2; shift 2
  exec "$(binary "$target")" -runs=1 "$@"
fi

TARGETS=${*:-$ALL_TARGETS}
for t in $TARGETS; do known "$t" || die "unknown target '$t' (known: $ALL_TARGETS)"; done
build

printf '\n%-14s %8s %12s %10s %8s %8s %8s  %s\n' target seconds execs execs/s cov corpus new result
failed=0
for t in $TARGETS; do
  work=$SCRATCH/corpus/$t
  artifacts=$SCRATCH/artifacts/$t
  log=$SCRATCH/logs/$t.log
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  # The grown corpus goes to $work; the committed seeds are read, never written.
  "$(binary "$t")" "$work" "Tests/Fuzz/corpus/$t" -max_total_time="$SECONDS_EACH" -timeout=10 \
    -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  status=$?
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
  execs=$(stat number_of_executed_units); rate=$(stat average_exec_per_sec); new=$(stat new_units_added)
  line=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line"); corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$line")
  if [ $status = 0 ]; then
    result=ok
  else
    failed=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    result="CRASH (exit $status) ${artifact:-see $log}"
  fi
  printf '%-14s %8s %12s %10s %8s %8s %8s  %s\n' "$t" "$SECONDS_EACH" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${corp:-?}" "${new:-?}" "$result"
  if [ $status != 0 ]; then
    grep -E 'fuzz property violated|Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY' "$log" | head -n 5 | sed 's/^/    /'
  fi
done
if [ $failed = 1 ]; then
  echo "fuzz: FAILED — reproduce with Tests/Fuzz/run.sh repro TARGET ARTIFACT; logs in $SCRATCH/logs/"
  exit 1
fi
echo "fuzz: all targets ran ${SECONDS_EACH}s without a crash"
