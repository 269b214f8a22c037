#!/usr/bin/env bash
# tests/shards/run.sh - the graph built from N JSON Lines shards of
# `vbgraph extract` is byte-identical to the graph built in one run
# (`vbgraph build corpus/`), whatever the split and the order of the shards.
#
#   tests/shards/run.sh [VBGRAPH]      (default: build/vbgraph, or $VBGRAPH;
#                                       SHARDS_KEEP=1 keeps the scratch directory)
#
# A small corpus comes from bench/gen.py (deterministic: NFD, CRLF and BOM
# files, lists, headers, relations), plus a file without any reference and an
# empty file.  Each output format (graphml, json, dot, csv) is compared with
# cmp; a format whose exporter reports "not available" is skipped with a
# message.  Prints "N passed, N failed"; exit 0 when none failed, 1 otherwise,
# 77 when a prerequisite (python3) is missing.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VBG=${1:-${VBGRAPH:-$ROOT/build/vbgraph}}
VBG=$(cd "$(dirname "$VBG")" && pwd)/$(basename "$VBG")
PY=${PYTHON:-python3}

if [ ! -x "$VBG" ]; then
  echo "shards: no vbgraph at $VBG" >&2
  exit 1
fi
if ! command -v "$PY" >/dev/null; then
  echo "shards: skipped, $PY is needed for bench/gen.py" >&2
  exit 77
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vbg-shards.XXXXXX")
if [ -n "${SHARDS_KEEP:-}" ]; then
  echo "shards: working in $TMP (kept)"
else
  trap 'rm -rf "$TMP"' EXIT
fi
cd "$TMP" || exit 1

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
  fail=$((fail + 1))
  echo "FAIL: $*"
}

# ---------------------------------------------------------------------------
# The corpus: generated articles; the files without any reference (some
# generated ones, plus an empty file and a plain one added here) are kept
# apart so that a failure says which promise broke.
# ---------------------------------------------------------------------------
if ! "$PY" "$ROOT/bench/gen.py" make --size 400KB --layout dir --seed 7 --jobs 1 \
  --out gen 2>gen.log; then
  cat gen.log >&2
  exit 1
fi
mkdir -p full
mv gen/corpus full/corpus
printf 'Bản tin thời tiết: trời nắng, gió nhẹ, nhiệt độ 25-30 độ.\n' >full/corpus/no-references.txt
: >full/corpus/empty.txt
(cd full && "$VBG" extract corpus -o ../full.jsonl 2>/dev/null)
mkdir -p refs
(cd full && find corpus -type f | LC_ALL=C sort) >full.list
"$PY" -c '
import json, sys
have = {json.loads(l)["file"] for l in open("full.jsonl", encoding="utf-8")}
for f in open("full.list", encoding="utf-8"):
    f = f.rstrip("\n")
    print(("keep " if f in have else "drop ") + f)
' >full.sorted
while read -r what f; do
  if [ "$what" = keep ]; then
    mkdir -p "refs/$(dirname "$f")"
    cp "full/$f" "refs/$f"
  fi
done <full.sorted
NODOCS=$(grep -c '^drop ' full.sorted)

# outputs BASE FMT: the files a build to BASE.FMT writes.
outputs() {
  if [ "$2" = csv ]; then echo "$1.nodes.csv $1.edges.csv"; else echo "$1.$2"; fi
}

# same REF OTHER FMT LABEL: cmp every output file.
same() {
  local f g
  for f in $(outputs "$1" "$3"); do
    g=${f/#$1/$2}
    if [ ! -s "$f" ] || [ ! -f "$g" ]; then
      bad "$4 ($3): missing output $g"
      return
    fi
    if ! cmp -s "$f" "$g"; then
      bad "$4 ($3): $g differs from the one-run graph: $(cmp "$f" "$g" 2>&1 | head -n 1)"
      diff "$f" "$g" | head -n 4 | cut -c1-160 | sed 's/^/    /'
      return
    fi
  done
  ok
}

# try_build BASE FMT LABEL ARGS...: vbgraph build ARGS -o BASE.FMT; a crash
# or an error is a failure of its own (then no comparison).
try_build() {
  local base=$1 fmt=$2 label=$3 rc
  shift 3
  "$VBG" build "$@" -o "$base.$fmt" 2>"$base.$fmt.err"
  rc=$?
  if [ "$rc" -ne 0 ] && grep -v 'warning: empty file' "$base.$fmt.err" | grep -q . || [ "$rc" -gt 1 ]; then
    bad "$label ($fmt): vbgraph build exited $rc: $(tail -n 1 "$base.$fmt.err")"
    return 1
  fi
  return 0
}

# one_run FMT: build the corpus in one run; 1 when the format is skipped.
one_run() {
  if ! "$VBG" build corpus -o "one.$1" 2>build.err; then
    if grep -qi 'not available' build.err; then
      echo "skip $1: $(head -n 1 build.err)"
      return 1
    fi
    if grep -v 'warning: empty file' build.err | grep -q .; then
      bad "build corpus/ ($1): $(head -n 1 build.err)"
      return 1
    fi
  fi
  return 0
}

# extract_shards NAME LIST...: one `vbgraph extract` per list of files.
extract_shards() {
  local name=$1 list i=0
  shift
  for list in "$@"; do
    mapfile -t part <"$list"
    "$VBG" extract "${part[@]}" -o "$name.$i.jsonl" 2>>extract.err
    i=$((i + 1))
  done
}

# ---------------------------------------------------------------------------
# Every file has references: four ways of sharding, every format.
# ---------------------------------------------------------------------------
cd refs || exit 1
mapfile -t FILES < <(find corpus -type f | LC_ALL=C sort)
if [ "${#FILES[@]}" -lt 20 ]; then
  echo "shards: the generated corpus is too small (${#FILES[@]} files)" >&2
  exit 1
fi
printf '%s\n' "${FILES[@]}" >files.list

# A: 3 shards, files dealt round-robin (no shard is a contiguous run).
for k in 0 1 2; do : >"a.list.$k"; done
for i in "${!FILES[@]}"; do echo "${FILES[$i]}" >>"a.list.$((i % 3))"; done
extract_shards a a.list.0 a.list.1 a.list.2
SHARDS_A=(a.0.jsonl a.1.jsonl a.2.jsonl)

# B: 5 contiguous shards (GNU split), merged in reverse order.
split -n l/5 -d files.list b.list.
extract_shards b b.list.00 b.list.01 b.list.02 b.list.03 b.list.04
SHARDS_B=(b.4.jsonl b.3.jsonl b.2.jsonl b.1.jsonl b.0.jsonl)

# C: one extract of the whole corpus, its lines cut into 4 shards (a file's
# references may straddle two shards), merged shuffled.
"$VBG" extract corpus -o all.jsonl 2>/dev/null
split -n l/4 -d all.jsonl c.
SHARDS_C=(c.02 c.00 c.03 c.01)

# D: one extract per directory, as a per-folder map job would run.
SHARDS_D=()
for d in $(find corpus -mindepth 1 -maxdepth 1 -type d | LC_ALL=C sort -r); do
  "$VBG" extract "$d" -o "d.$(basename "$d").jsonl" 2>/dev/null
  SHARDS_D+=("d.$(basename "$d").jsonl")
done

# The files given to `build` in reverse order: not a shard test, but the same
# promise that the graph does not depend on the order of the inputs.
REVFILES=()
for ((i = ${#FILES[@]} - 1; i >= 0; i--)); do REVFILES+=("${FILES[$i]}"); done

for fmt in graphml json dot csv; do
  one_run "$fmt" || continue
  try_build rev "$fmt" "files in reverse order" "${REVFILES[@]}" &&
    same one rev "$fmt" "files in reverse order"
  try_build single "$fmt" "one shard (extract corpus/)" --from-jsonl all.jsonl &&
    same one single "$fmt" "one shard (extract corpus/)"
  try_build a "$fmt" "3 round-robin shards" --from-jsonl "${SHARDS_A[@]}" &&
    same one a "$fmt" "3 round-robin shards"
  try_build b "$fmt" "5 contiguous shards, reversed" --from-jsonl "${SHARDS_B[@]}" &&
    same one b "$fmt" "5 contiguous shards, reversed"
  try_build c "$fmt" "4 line-split shards, shuffled" --from-jsonl "${SHARDS_C[@]}" &&
    same one c "$fmt" "4 line-split shards, shuffled"
  try_build d "$fmt" "one shard per directory" --from-jsonl "${SHARDS_D[@]}" &&
    same one d "$fmt" "one shard per directory"
done

# The same merge ten times over: a race between the builder's threads shows
# up as a crash or as a graph that differs from run to run.
if one_run graphml; then
  flaky=0
  last=
  for i in 1 2 3 4 5 6 7 8 9 10; do
    "$VBG" build --from-jsonl "${SHARDS_B[@]}" -o "again.graphml" 2>again.err
    rc=$?
    if [ "$rc" -ne 0 ]; then
      flaky=$((flaky + 1))
      last="exit $rc"
    elif ! cmp -s one.graphml again.graphml && ! cmp -s b.graphml again.graphml; then
      flaky=$((flaky + 1))
      last="a different graph"
    fi
  done
  if [ "$flaky" -eq 0 ]; then ok; else
    bad "5 shards merged 10 times: $flaky bad runs (last: $last)"
  fi
fi

# The shards hold every reference of the one extract (so that the
# comparisons above compare something).
n_all=$(wc -l <all.jsonl)
n_a=$(cat "${SHARDS_A[@]}" | wc -l)
n_b=$(cat "${SHARDS_B[@]}" | wc -l)
if [ "$n_all" -gt 100 ] && [ "$n_all" -eq "$n_a" ] && [ "$n_all" -eq "$n_b" ]; then ok; else
  bad "shards hold $n_a and $n_b references, one extract $n_all"
fi
cd .. || exit 1

# ---------------------------------------------------------------------------
# Files without references ($NODOCS here: generated ones, an empty file, a
# plain one): a JSON Lines shard has no line for them, so the one-run graph
# must not depend on them either.
# ---------------------------------------------------------------------------
cd full || exit 1
for fmt in graphml json dot csv; do
  one_run "$fmt" || continue
  try_build single "$fmt" "files without references ($NODOCS), one shard" \
    --from-jsonl ../full.jsonl &&
    same one single "$fmt" "files without references ($NODOCS), one shard"
done
cd .. || exit 1

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
