#!/usr/bin/env bash
#
# tests/failure/match_limit.sh: a PCRE2 match limit hit while extracting one input
# is reported by the CLI, naming that input; the other inputs are still processed
# and the exit status is 1.
#
#   bash tests/failure/match_limit.sh VBGRAPH_TEST_HOOKS VBGRAPH SCRATCH_DIR
#
# VBGRAPH_TEST_HOOKS is src/cli/main.c built with VBG_TEST_HOOKS (target
# vbgraph_test_hooks): it reads VBG_TEST_MATCH_LIMIT, VBG_TEST_DEPTH_LIMIT and
# VBG_TEST_LIMIT_PATTERN and lowers the limits of src/scan.c, which no known input
# reaches.  The limit is put on the pattern "placedate" only ("Hà Nội, ngày ..." under
# a "Số:" header line), so only b.txt, which has such a header, reaches it.  VBGRAPH is
# the ordinary program, for the expected output of a.txt and c.txt.
#
# Checks (docs/failures.md):
#   match-limit-extract   one message "vbgraph: b.txt: pattern placedate at byte N:
#                         PCRE2 match limit (1) reached", exit 1, the references of
#                         a.txt and c.txt exactly as without the limit, none of b.txt
#   depth-limit-extract   the same with the depth limit
#   match-limit-build     build -j2: the same message, exit 1, the graph written and
#                         equal to the graph of a.txt and c.txt
#   no-limit              the hooks binary without the variables: as vbgraph
set -u

if [ $# -ne 3 ]; then
  echo "usage: bash tests/failure/match_limit.sh VBGRAPH_TEST_HOOKS VBGRAPH SCRATCH_DIR" >&2
  exit 2
fi
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
TAP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../lib" && pwd)/tap.sh
HOOKS=$(abs "$1")
BIN=$(abs "$2")
mkdir -p "$3" || exit 2
W=$(cd "$3" && pwd)/match-limit
rm -rf "$W"
mkdir -p "$W" || exit 2
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 2

# shellcheck source=tests/lib/tap.sh
. "$TAP"

printf 'Thực hiện Nghị quyết số 25-NQ/TƯ ngày 3-6-2013 của Ban Chấp hành Trung ương.\n' >a.txt
printf 'ỦY BAN NHÂN DÂN TỈNH\nSố: 12/KH-UBND\nHà Nội, ngày 20 tháng 01 năm 2025\n\nKẾ HOẠCH\nTriển khai Chỉ thị số 05-CT/TW.\n' >b.txt
printf 'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 5-3-2020 của Chính phủ.\n' >c.txt

"$BIN" extract a.txt c.txt >want.jsonl 2>want.err
if [ $? -ne 0 ] || [ ! -s want.jsonl ] || [ -s want.err ]; then
  fail "setup: vbgraph extract a.txt c.txt" "$(cat want.err)"
fi
"$BIN" build a.txt c.txt -o want.graphml 2>/dev/null || fail "setup: vbgraph build a.txt c.txt"

# limited NAME CAUSE ENV...: extract a.txt b.txt c.txt with the limit ENV
limited() {
  local c=$1 cause=$2 rc
  shift 2
  env "$@" VBG_TEST_LIMIT_PATTERN=placedate "$HOOKS" extract a.txt b.txt c.txt \
    >"$c.out" 2>"$c.err"
  rc=$?
  if [ "$rc" -eq 1 ]; then
    pass "$c: exit status 1"
  else
    fail "$c: exit status 1" "got $rc" "$(head -c 600 "$c.err")"
  fi
  if [ "$(wc -l <"$c.err")" -eq 1 ] &&
    grep -qE "^vbgraph: b\.txt: pattern placedate at byte [0-9]+: PCRE2 $cause \(1\) reached$" "$c.err"; then
    pass "$c: one message naming the input and the limit: $(cat "$c.err")"
  else
    fail "$c: one message \"vbgraph: b.txt: pattern placedate at byte N: PCRE2 $cause (1) reached\"" \
      "$(head -c 600 "$c.err")"
  fi
  if [ -s "$c.out" ] && cmp -s "$c.out" want.jsonl; then
    pass "$c: a.txt and c.txt extracted as without the limit, nothing of b.txt"
  else
    fail "$c: a.txt and c.txt extracted as without the limit, nothing of b.txt" \
      "$(diff want.jsonl "$c.out" | head -n 10)"
  fi
}
limited match-limit-extract "match limit" VBG_TEST_MATCH_LIMIT=1
limited depth-limit-extract "depth limit" VBG_TEST_DEPTH_LIMIT=1

c=match-limit-build
VBG_TEST_MATCH_LIMIT=1 VBG_TEST_LIMIT_PATTERN=placedate "$HOOKS" build -j 2 a.txt b.txt c.txt \
  -o "$c.graphml" 2>"$c.err"
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$c.err")" -eq 1 ] &&
  grep -q "^vbgraph: b\.txt: pattern placedate at byte [0-9]*: PCRE2 match limit (1) reached$" "$c.err"; then
  pass "$c: exit 1, one message naming b.txt"
else
  fail "$c: exit 1, one message naming b.txt" "exit $rc" "$(head -c 600 "$c.err")"
fi
if [ -s "$c.graphml" ] && cmp -s "$c.graphml" want.graphml; then
  pass "$c: the graph of a.txt and c.txt is written"
else
  fail "$c: the graph of a.txt and c.txt is written"
fi

c=no-limit
"$HOOKS" extract a.txt c.txt >"$c.out" 2>"$c.err"
rc=$?
if [ "$rc" -eq 0 ] && cmp -s "$c.out" want.jsonl && [ ! -s "$c.err" ]; then
  pass "$c: without the variables the hooks binary extracts as vbgraph does"
else
  fail "$c: without the variables the hooks binary extracts as vbgraph does" "exit $rc" \
    "$(head -c 600 "$c.err")"
fi

tap_end
