#!/usr/bin/env bash
# scripts/fuzz.sh: a short libFuzzer run of every fuzz target (fuzz/*.c).
#
#   bash scripts/fuzz.sh [TARGET...]          about 60 s per target
#   VBG_FUZZ_SECONDS=600 bash scripts/fuzz.sh fuzz_extract
#
# Builds build-fuzz/ with clang, -DVBG_FUZZ=ON and AddressSanitizer +
# UndefinedBehaviorSanitizer, then runs each target on a working copy of its
# seed corpus (build-fuzz/corpus/TARGET, which keeps what earlier runs found;
# fuzz/corpus/TARGET is read, never written).  A crash, a leak, a timeout
# (VBG_FUZZ_TIMEOUT, default 30 s per input) or an out-of-memory is saved as
# build-fuzz/artifacts/TARGET-crash-... and makes the exit status 1; the log
# says how to reproduce it.  Save a minimised reproducer as
# fuzz/corpus/TARGET/regress-NAME so that the replay test keeps it
# (fuzz/README.md).
#
# When clang cannot build a libFuzzer program (no clang, or no
# libclang-rt-14-dev), the run is skipped with a message and exit status 0,
# so that CI without clang still passes; VBG_FUZZ_REQUIRED=1 makes that an
# error (status 77).
#
# Environment: VBG_FUZZ_SECONDS (per target, default 60), VBG_FUZZ_TIMEOUT,
# VBG_FUZZ_BUILD (default build-fuzz), CC (default clang).
set -euo pipefail

VBG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$VBG_ROOT"
SECONDS_PER=${VBG_FUZZ_SECONDS:-60}
PER_INPUT=${VBG_FUZZ_TIMEOUT:-30}
OUT=${VBG_FUZZ_BUILD:-build-fuzz}
CC_FUZZ=${CC:-clang}
case $CC_FUZZ in *clang*) ;; *) CC_FUZZ=clang ;; esac

log() { echo "fuzz.sh: $*" >&2; }

skip() {
  log "$* -- fuzzing skipped"
  if [ "${VBG_FUZZ_REQUIRED:-0}" = 1 ]; then
    exit 77
  fi
  exit 0
}

# Can this clang link a libFuzzer program?
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
  >"$probe/p.c"
if ! command -v "$CC_FUZZ" >/dev/null 2>&1; then
  skip "$CC_FUZZ not found (apt-get install clang libclang-rt-14-dev)"
fi
if ! "$CC_FUZZ" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>"$probe/err"; then
  skip "$CC_FUZZ -fsanitize=fuzzer does not link: $(head -n 3 "$probe/err")"
fi

log "building $OUT/ with $CC_FUZZ (VBG_FUZZ=ON, address;undefined)"
cmake -S . -B "$OUT" -DCMAKE_C_COMPILER="$CC_FUZZ" -DVBG_FUZZ=ON \
  -DVBG_SANITIZE="address;undefined" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" \
  -DBUILD_TESTING=OFF -DVBG_BUILD_CLI=OFF >"$OUT.configure.log" 2>&1 ||
  { cat "$OUT.configure.log" >&2; exit 1; }
rm -f "$OUT.configure.log"
cmake --build "$OUT" -j "$(nproc 2>/dev/null || echo 2)" >&2

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for src in fuzz/*.c; do
    name=$(basename "$src" .c)
    [ "$name" = standalone_driver ] || targets+=("$name")
  done
fi

# The largest input a target is given: text is small, shards and GraphML more.
max_len() {
  case $1 in
    fuzz_extract) echo 4096 ;;
    fuzz_jsonl) echo 8192 ;;
    *) echo 16384 ;;
  esac
}

status=0
mkdir -p "$OUT/artifacts"
for t in "${targets[@]}"; do
  if [ ! -x "$OUT/$t" ]; then
    log "$t: no such target in $OUT/"
    status=1
    continue
  fi
  mkdir -p "$OUT/corpus/$t"
  seeds=()
  [ -d "fuzz/corpus/$t" ] && seeds=("fuzz/corpus/$t")
  log "$t: fuzzing for ${SECONDS_PER} s"
  before=$(find "$OUT/artifacts" -name "$t-*" | wc -l)
  set +e
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
    "$OUT/$t" -max_total_time="$SECONDS_PER" -timeout="$PER_INPUT" -max_len="$(max_len "$t")" \
    -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t-" \
    "$OUT/corpus/$t" "${seeds[@]}" >"$OUT/$t.log" 2>&1
  rc=$?
  set -e
  after=$(find "$OUT/artifacts" -name "$t-*" | wc -l)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/$t.log")
  if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
    status=1
    log "$t: FOUND A PROBLEM (exit $rc) after ${runs:-?} runs; log: $OUT/$t.log"
    grep -E 'ERROR|runtime error|property violated|SUMMARY' "$OUT/$t.log" | head -n 5 >&2 || true
    # the newest artifacts of this target are this run's (names are hex digests)
    # shellcheck disable=SC2012
    ls -t "$OUT/artifacts/$t-"* 2>/dev/null | head -n "$((after - before))" |
      sed 's/^/fuzz.sh:   artifact: /' >&2
    log "$t: reproduce: $OUT/$t ARTIFACT; minimise: $OUT/$t -minimize_crash=1 -runs=10000 ARTIFACT"
  else
    log "$t: no finding in ${SECONDS_PER} s (${runs:-?} runs)"
  fi
done
exit "$status"
