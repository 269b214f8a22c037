#!/usr/bin/env bash
#
# tests/failure/valgrind.sh: the CLI is valgrind-clean on the samples.
#
#   bash tests/failure/valgrind.sh VBGRAPH_BIN SCRATCH_DIR
#
# Runs `valgrind --error-exitcode=1 --leak-check=full` over
#   vbgraph extract samples/*.txt                     (and --format tsv)
#   vbgraph build samples/*.txt -o X.graphml          (and .dot, .json, .csv)
#   vbgraph build --from-jsonl SHARD -o X.graphml     (the JSON Lines reader)
#   vbgraph extract MISSING BINARY EMPTY GOOD         (the error paths)
# Each must exit with the program's own status (valgrind's 1 means an error was
# found; with --error-exitcode=1 that also catches definite and possible leaks).
# Exit status: 0 clean, 1 some run was not, 2 bad arguments, 77 (skip) when
# valgrind is not installed or the binary is built with a sanitizer (the two
# cannot run together).
set -u

if [ $# -ne 2 ]; then
  echo "usage: bash tests/failure/valgrind.sh VBGRAPH_BIN SCRATCH_DIR" >&2
  exit 2
fi
BIN=$1
case $BIN in /*) ;; */*) BIN=$PWD/$BIN ;; esac
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if ! command -v valgrind >/dev/null 2>&1; then
  echo "tests/failure/valgrind.sh: valgrind is not installed; skipped" >&2
  exit 77
fi
if [ "${VBG_SANITIZED:-0}" != 0 ] || ldd "$BIN" 2>/dev/null | grep -qE 'lib(a|ub|t|m)san'; then
  echo "tests/failure/valgrind.sh: $BIN is built with a sanitizer; skipped" >&2
  exit 77
fi
mkdir -p "$2" || exit 2
W=$(cd "$2" && pwd)/valgrind
rm -rf "$W"
mkdir -p "$W" || exit 2
trap 'rm -rf "$W"' EXIT
cd "$ROOT" || exit 2

# shellcheck source=tests/lib/tap.sh
. "$ROOT/tests/lib/tap.sh"
# vg NAME WANT_STATUS ARG...: run the CLI under valgrind; its status must be WANT_STATUS
# and valgrind must have nothing to say.
vg() {
  local name=$1 want=$2 rc
  shift 2
  valgrind -q --error-exitcode=99 --leak-check=full --track-fds=no \
    --log-file="$W/$name.vg" "$BIN" "$@" >"$W/$name.out" 2>"$W/$name.err"
  rc=$?
  if [ "$rc" -eq "$want" ] && [ ! -s "$W/$name.vg" ]; then
    pass "$name: valgrind-clean, exit status $rc"
  else
    fail "$name: valgrind-clean with exit status $want" \
      "exit status $rc (99: valgrind found errors)" \
      "$(head -n 60 "$W/$name.vg")"
  fi
}

SAMPLES=(samples/*.txt)
vg extract-jsonl 0 extract "${SAMPLES[@]}"
vg extract-tsv 0 extract --format tsv "${SAMPLES[@]}"
vg build-graphml 0 build "${SAMPLES[@]}" -o "$W/g.graphml"
vg build-dot 0 build "${SAMPLES[@]}" -o "$W/g.dot"
vg build-json 0 build "${SAMPLES[@]}" -o "$W/g.json"
vg build-csv 0 build "${SAMPLES[@]}" -o "$W/g.csv"
"$BIN" extract "${SAMPLES[@]}" >"$W/shard.jsonl" 2>/dev/null
vg build-from-jsonl 0 build --from-jsonl "$W/shard.jsonl" -o "$W/s.graphml"

printf 'ab\0cd' >"$W/binary.txt"
: >"$W/empty.txt"
printf 'ok \xff\xfe Kế hoạch số 3/KH-UBND\n' >"$W/bad-utf8.txt"
vg error-paths 1 extract "$W/missing.txt" "$W/binary.txt" "$W/empty.txt" "$W/bad-utf8.txt" \
  "${SAMPLES[0]}"

tap_end
