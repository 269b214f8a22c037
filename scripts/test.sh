#!/usr/bin/env bash
# scripts/test.sh: install what is missing, then run every check CI runs.
#
#   1. Release build in build/, ctest
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/,
#      ctest (without install_consumer)
#   3. a short libFuzzer run of every fuzz target (scripts/fuzz.sh,
#      VBG_FUZZ_SECONDS per target, default 45 here; skipped with a message
#      when clang cannot build libFuzzer programs)
#   4. clang-format --dry-run --Werror over include/ src/ tests/ (when
#      clang-format is installed)
#
# Works from any directory; safe to run again.  All four steps run even if
# one fails; the exit status is 1 if any failed.
#   VBG_NO_ASAN=1 bash scripts/test.sh    skip steps 2 and 3 (quicker local runs)
set -euo pipefail

VBG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/deps.sh
. "$VBG_ROOT/scripts/deps.sh"
cd "$VBG_ROOT"

vbg_deps
failed=()
jobs=2

vbg_log "step 1/4: Release build and tests"
vbg_build build Release "${VBG_RELEASE_ARGS[@]}"
ctest --test-dir build --output-on-failure -j "$jobs" || failed+=("ctest in build/")

if [ "${VBG_NO_ASAN:-0}" = 1 ]; then
  vbg_log "steps 2/4 and 3/4: skipped (VBG_NO_ASAN=1)"
else
  vbg_log "step 2/4: sanitizer build (address;undefined) and tests"
  # -O1 keeps the sanitized run quick; Debug keeps assert() on.
  vbg_build build-asan Debug -DVBG_BUILD_CLI=ON -DBUILD_TESTING=ON -DVBG_FUZZ=OFF \
    -DVBG_SANITIZE="address;undefined" -DCMAKE_C_FLAGS_DEBUG="-g -O1"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1} \
    LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$VBG_ROOT/tests/lsan.supp:print_suppressions=0} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -E '^install_consumer$' ||
    failed+=("ctest in build-asan/")
  vbg_log "step 3/4: short libFuzzer run of every target"
  VBG_FUZZ_SECONDS=${VBG_FUZZ_SECONDS:-45} bash "$VBG_ROOT/scripts/fuzz.sh" ||
    failed+=("fuzz")
fi

vbg_log "step 4/4: format check"
if command -v clang-format >/dev/null 2>&1; then
  mapfile -t sources < <(find include src tests -type f -name '*.[ch]' 2>/dev/null | LC_ALL=C sort)
  if [ ${#sources[@]} -gt 0 ]; then
    if clang-format --dry-run --Werror "${sources[@]}"; then
      vbg_log "format: ${#sources[@]} files clean ($(clang-format --version))"
    else
      vbg_log "format: run clang-format -i on the files above"
      failed+=("clang-format")
    fi
  fi
else
  vbg_log "format: clang-format not installed, check skipped"
fi

if [ ${#failed[@]} -gt 0 ]; then
  vbg_log "FAILED: ${failed[*]}"
  exit 1
fi
vbg_log "all checks passed"
