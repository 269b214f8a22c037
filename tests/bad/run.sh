#!/usr/bin/env bash
# shellcheck disable=SC2016 # check DESC eval '...' expands its variables when the check runs
#
# tests/bad/run.sh: how the vbgraph CLI behaves on bad input.
#
#   bash tests/bad/run.sh VBGRAPH_BIN SCRATCH_DIR
#
# Builds its fixtures under SCRATCH_DIR/bad-input (removed and rebuilt on every run) and
# checks the CLI contract of DESIGN.md and the team brief:
#   - a bad input gives exactly one stderr line "vbgraph: PATH: message" (byte offset named
#     for invalid UTF-8 and NUL bytes), exit status 1 (0 for an empty file), and every other
#     input of the same call is still processed and printed;
#   - nothing crashes (an exit status >= 128 is a signal) or hangs;
#   - offsets stay byte-exact around invalid bytes, BOMs, CRLF and 1 MiB read pieces;
#   - a 200 MB file without a newline is streamed in bounded memory;
#   - usage errors exit 2, --help and --version work, write errors are reported.
# One line per check ("ok - ..." / "not ok - ..." with "#" detail lines), then
# "N passed, M failed".  Exit status: 0 all passed, 1 some failed, 2 bad arguments,
# 77 (skip) when python3 is missing.  No network.
#
# Environment: VBG_BAD_TIMEOUT (seconds per small run, default 60), VBG_BAD_BIG_TIMEOUT
# (the 200 MB run, default 240), VBG_BAD_RSS_LIMIT_KB (default 153600 = 150 MiB),
# VBG_BAD_SKIP_BIG=1 (skip the 200 MB file, for quick local runs), VBG_BAD_TIME (the GNU time
# binary, default /usr/bin/time).
set -u

if [ $# -ne 2 ]; then
  echo "usage: bash tests/bad/run.sh VBGRAPH_BIN SCRATCH_DIR" >&2
  exit 2
fi
BIN=$1
case $BIN in /*) ;; */*) BIN=$PWD/$BIN ;; esac
if [ ! -x "$BIN" ]; then
  echo "tests/bad: $BIN: not an executable file" >&2
  exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=$(command -v python3 || true)
if [ -z "$PY" ]; then
  echo "tests/bad: python3 is required to build the fixtures and read the JSON; skipped" >&2
  exit 77
fi
H() { "$PY" "$HERE/helpers.py" "$@"; }

TIMEOUT=${VBG_BAD_TIMEOUT:-60}
BIG_TIMEOUT=${VBG_BAD_BIG_TIMEOUT:-240}
RSS_LIMIT_KB=${VBG_BAD_RSS_LIMIT_KB:-153600}

mkdir -p "$2" || exit 2
W=$(cd "$2" && pwd)/bad-input
cleanup() {
  # give back permissions taken away below, so that the scratch dir can be removed
  [ -d "$W/noperm-dir" ] && chmod 755 "$W/noperm-dir"
  [ -f "$W/noperm.txt" ] && chmod 644 "$W/noperm.txt"
  rm -f "$W/big.txt"
}
trap cleanup EXIT
if [ -e "$W" ]; then
  chmod -R u+rwX "$W" 2>/dev/null
  rm -rf "$W"
fi
mkdir -p "$W" || exit 2

# ------------------------------------------------------------------ reporting

# shellcheck source=tests/lib/tap.sh
. "$HERE/../lib/tap.sh"
# The first lines of a run's stderr, for failure details.
err_of() { printf 'stderr: %s' "$(head -c 600 "$W/$1.err")"; }

# same DESCRIPTION GOT WANT: pass when the two strings are equal.
same() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:  $2" "want: $3"; fi
}

# check DESCRIPTION COMMAND...: pass when COMMAND succeeds; its stdout explains a failure.
check() {
  local desc=$1 why
  shift
  if why=$("$@" 2>&1); then pass "$desc"; else fail "$desc" "$why"; fi
}

# ------------------------------------------------------------------ running the CLI

# run NAME [<INPUT] ARG...: run the CLI with a time limit; stdout to $W/NAME.out, stderr to
# $W/NAME.err, exit status in RC.  Standard input is /dev/null unless the first argument
# is "<FILE".  WRAP (an array, normally empty) goes in front of the binary.
RC=0
WRAP=()
run() {
  local name=$1 input=/dev/null
  shift
  case ${1-} in "<"*) input=${1#<}; shift ;; esac
  timeout -k 5 "$TIMEOUT" "${WRAP[@]}" "$BIN" "$@" <"$input" >"$W/$name.out" 2>"$W/$name.err"
  RC=$?
}

# status_is CASE WANT: the exit status of the last run is WANT ("nonzero" accepts 1..127).
status_is() {
  local c=$1 want=$2 desc="$1: exit status $2"
  if [ "$RC" -eq 124 ]; then
    fail "$desc" "timed out (status 124)"
  elif [ "$RC" -ge 128 ]; then
    fail "$desc" "crashed: exit status $RC = signal $((RC - 128))" "$(err_of "$c")"
  elif [ "$want" = nonzero ] && [ "$RC" -ne 0 ]; then
    pass "$desc ($RC)"
  elif [ "$RC" = "$want" ]; then
    pass "$desc"
  else
    fail "$desc" "got $RC" "$(err_of "$c")"
  fi
}

# diag_is CASE PATH ERE: the run's stderr has exactly one line "vbgraph: PATH: MESSAGE",
# with MESSAGE matching ERE (anchor it yourself).
diag_is() {
  local c=$1 path=$2 re=$3 line rest n=0 ok=0 seen=
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      "vbgraph: $path: "*)
        n=$((n + 1))
        rest=${line#"vbgraph: $path: "}
        [[ $rest =~ $re ]] && ok=1 && seen=$line
        ;;
    esac
  done <"$W/$c.err"
  if [ "$n" -eq 1 ] && [ "$ok" -eq 1 ]; then
    pass "$c: stderr: ${seen//"$W"/\$SCRATCH}"
  else
    fail "$c: one stderr line \"vbgraph: $path: ...\" matching /$re/" \
      "$n lines name $path; $(err_of "$c")"
  fi
}

# stderr_lines CASE N: stderr has exactly N lines and each reads "vbgraph: WHERE: MESSAGE".
stderr_lines() {
  local c=$1 want=$2 n bad
  n=$(awk 'END { print NR }' "$W/$c.err")
  bad=$(grep -cvE '^vbgraph: .+: .+' "$W/$c.err")
  if [ "$n" -eq "$want" ] && [ "$bad" -eq 0 ]; then
    pass "$c: $want stderr line(s), each \"vbgraph: PATH: message\""
  else
    fail "$c: $want stderr line(s), each \"vbgraph: PATH: message\"" \
      "$n lines, $bad of another shape" "$(err_of "$c")"
  fi
}

# good_printed CASE PATH KEY...: stdout is JSON Lines and has PATH's references KEY...
good_printed() {
  local c=$1 path=$2
  shift 2
  check "$c: references of $(basename "$path") still printed" H has "$W/$c.out" "$path" "$@"
}

# offsets_exact CASE [STDIN_FILE]: every record's surface is the file's bytes [start, end)
# and its line is right.
offsets_exact() {
  check "$1: surfaces are the input's bytes at [start, end), lines right" \
    H verify "$W/$1.out" ${2:+"$2"}
}

# ------------------------------------------------------------------ fixtures

if ! H fixtures "$W" >"$W/expect.env"; then
  echo "tests/bad: could not build the fixtures in $W" >&2
  exit 2
fi
# shellcheck disable=SC1091 # written just above: NAME=number lines
. "$W/expect.env"

GOOD=$W/good.txt
GOOD2=$W/good2.txt
GOOD_KEYS=(38/KH-UBND 57-NQ/TW 30/2020/NĐ-CP)
GOOD2_KEYS=(114-KL/TW 95-KH/TU)

echo "# vbgraph: $BIN"
echo "# scratch (\$SCRATCH below): $W"

# ------------------------------------------------------------------ sanity: good input

c=good
run $c extract "$GOOD"
status_is $c 0
same "$c: stdout has the 3 references, in text order" \
  "$(H keys "$W/$c.out" "$GOOD" | tr '\n' ' ')" "${GOOD_KEYS[*]} "
offsets_exact $c
stderr_lines $c 0

# ------------------------------------------------------------------ missing file

c=missing
run $c extract "$GOOD2" "$W/no-such-file.txt" "$GOOD"
status_is $c 1
diag_is $c "$W/no-such-file.txt" '^No such file or directory$'
stderr_lines $c 1
good_printed $c "$GOOD2" "${GOOD2_KEYS[@]}"
good_printed $c "$GOOD" "${GOOD_KEYS[@]}"

# ------------------------------------------------------------------ directory with a dangling symlink

c=dir-dangling
mkdir -p "$W/dir"
cp "$GOOD" "$W/dir/a.txt"
ln -s "$W/nowhere.txt" "$W/dir/dangling.txt"
ln -s "$GOOD2" "$W/dir/link-to-good2.txt"
printf 'Kế hoạch số 999/KH-UBND\n' >"$W/dir/.hidden.txt"
run $c extract "$W/dir"
status_is $c 1
diag_is $c "$W/dir/dangling.txt" '^No such file or directory$'
stderr_lines $c 1
good_printed $c "$W/dir/a.txt" "${GOOD_KEYS[@]}"
good_printed $c "$W/dir/link-to-good2.txt" "${GOOD2_KEYS[@]}"
same "$c: files in byte-wise path order, hidden file skipped" \
  "$(H files "$W/$c.out" | tr '\n' ' ')" "$W/dir/a.txt $W/dir/link-to-good2.txt "

# ------------------------------------------------------------------ no read permission

if [ "$(id -u)" -eq 0 ]; then
  skip "no-permission: running as root, which reads everything; run as a normal user to check"
else
  c=noperm-dir
  mkdir -p "$W/noperm-dir"
  cp "$GOOD2" "$W/noperm-dir/inside.txt"
  chmod 000 "$W/noperm-dir"
  run $c extract "$W/noperm-dir" "$GOOD"
  status_is $c 1
  diag_is $c "$W/noperm-dir" '^Permission denied$'
  stderr_lines $c 1
  good_printed $c "$GOOD" "${GOOD_KEYS[@]}"
  chmod 755 "$W/noperm-dir"

  c=noperm-file
  cp "$GOOD2" "$W/noperm.txt"
  chmod 000 "$W/noperm.txt"
  run $c extract "$W/noperm.txt" "$GOOD"
  status_is $c 1
  diag_is $c "$W/noperm.txt" '^Permission denied$'
  stderr_lines $c 1
  good_printed $c "$GOOD" "${GOOD_KEYS[@]}"
  chmod 644 "$W/noperm.txt"
fi

# ------------------------------------------------------------------ binary files

c=binary
run $c extract "$W/ls.bin" "$GOOD" "$W/nul-in-text.txt"
status_is $c 1
diag_is $c "$W/ls.bin" "^binary file \\(NUL byte at offset $LS_NUL\\), skipped\$"
diag_is $c "$W/nul-in-text.txt" "^binary file \\(NUL byte at offset $TEXT_NUL\\), skipped\$"
stderr_lines $c 2
good_printed $c "$GOOD" "${GOOD_KEYS[@]}"
check "$c: nothing printed for the skipped files" \
  eval 'H none "$W/$c.out" "$W/ls.bin" && H none "$W/$c.out" "$W/nul-in-text.txt"'

# A NUL byte after references were already handed on (a long input is written in
# batches as it is read): those stay, the message says so, the rest is skipped.
c=nul-late
LATE=$W/nul-late.txt
"$PY" -c '
import sys
line = "Theo Kế hoạch số %d/KH-UBND của UBND huyện.\n"
body = "".join(line % (i + 1) for i in range(60000)).encode("utf-8")
sys.stdout.buffer.write(body + b"\0" + (line % 99999).encode("utf-8"))
' >"$LATE"
LATE_NUL=$("$PY" -c 'import sys; print(open(sys.argv[1], "rb").read().index(b"\0"))' "$LATE")
run $c extract "$LATE"
status_is $c 1
LATE_KEPT=$(awk 'END { print NR }' "$W/$c.out")
diag_is $c "$LATE" "^NUL byte at offset $LATE_NUL \\($LATE_KEPT references before it kept\\): binary data, rest of file skipped\$"
check "$c: thousands kept, in order, all before the NUL, none after it" \
  "$PY" -c '
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
starts = [r["start"] for r in rs]
assert len(rs) > 4096, len(rs)
assert starts == sorted(starts) and max(starts) < int(sys.argv[2]), "order or place"
assert all(r["key"] != "99999/KH-UBND" for r in rs), "a reference after the NUL"
' "$W/$c.out" "$LATE_NUL"

# ------------------------------------------------------------------ invalid UTF-8

c=invalid-mid
INV=$W/invalid-mid.txt
run $c extract "$INV" "$GOOD"
status_is $c 1
diag_is $c "$INV" "^invalid UTF-8 at byte $INV_BAD_AT \\(2 bad sequences skipped\\)\$"
stderr_lines $c 1
same "$c: the reference before the bad bytes is printed, at byte $INV_FIRST_START" \
  "$(H field "$W/$c.out" "$INV" 57-NQ/TW start)" "$INV_FIRST_START"
same "$c: the reference after the bad bytes is printed, at bytes $INV_SECOND_START..$INV_SECOND_END" \
  "$(H field "$W/$c.out" "$INV" 38/KH-UBND start)..$(H field "$W/$c.out" "$INV" 38/KH-UBND end)" \
  "$INV_SECOND_START..$INV_SECOND_END"
# the same offset found independently of the helper, with grep -b
GREP_AT=$(LC_ALL=C grep -boa 'Kế hoạch số 38/KH-UBND' "$INV" | cut -d: -f1)
same "$c: that start is where grep -b finds the surface ($GREP_AT)" \
  "$(H field "$W/$c.out" "$INV" 38/KH-UBND start)" "$GREP_AT"
same "$c: and its line is $INV_SECOND_LINE" \
  "$(H field "$W/$c.out" "$INV" 38/KH-UBND line)" "$INV_SECOND_LINE"
offsets_exact $c
good_printed $c "$GOOD" "${GOOD_KEYS[@]}"

c=truncated-end
TR=$W/truncated-end.txt
run $c extract "$GOOD" "$TR"
status_is $c 1
diag_is $c "$TR" "^invalid UTF-8 at byte $TRUNC_AT \\(1 bad sequences? skipped\\)\$"
stderr_lines $c 1
good_printed $c "$TR" 30/2020/NĐ-CP
good_printed $c "$GOOD" "${GOOD_KEYS[@]}"
offsets_exact $c

# ------------------------------------------------------------------ empty file

c=empty
run $c extract "$W/empty.txt" "$GOOD"
status_is $c 0
diag_is $c "$W/empty.txt" '^warning: empty file$'
stderr_lines $c 1
good_printed $c "$GOOD" "${GOOD_KEYS[@]}"

# ------------------------------------------------------------------ CRLF and BOM

for v in crlf bom bom-crlf; do
  c=$v
  run $c extract "$W/$v.txt"
  status_is $c 0
  stderr_lines $c 0
  same "$c: same keys as the LF file" \
    "$(H keys "$W/$c.out" "$W/$v.txt" | tr '\n' ' ')" "${GOOD_KEYS[*]} "
  offsets_exact $c
done
# The offsets move by exactly the bytes added: 3 for the BOM, one per earlier line for CRLF.
LF_START=$(H field "$W/good.out" "$GOOD" 30/2020/NĐ-CP start)
LF_LINE=$(H field "$W/good.out" "$GOOD" 30/2020/NĐ-CP line)
if [[ $LF_START =~ ^[0-9]+$ && $LF_LINE =~ ^[0-9]+$ ]]; then
  same "bom: start = LF start + 3" \
    "$(H field "$W/bom.out" "$W/bom.txt" 30/2020/NĐ-CP start)" "$((LF_START + 3))"
  same "crlf: start = LF start + (line - 1)" \
    "$(H field "$W/crlf.out" "$W/crlf.txt" 30/2020/NĐ-CP start)" "$((LF_START + LF_LINE - 1))"
  same "crlf: the surface keeps the CR of the broken type word (Nghị\\r\\nđịnh)" \
    "$(H field "$W/crlf.out" "$W/crlf.txt" 30/2020/NĐ-CP surface)" '"Nghị\r\nđịnh số 30/2020/NĐ-CP"'
else
  fail "bom/crlf offsets: no LF reference to compare with" "$(head -c 300 "$W/good.out")"
fi

# ------------------------------------------------------------------ the same file twice, stdin

c=twice
run $c extract "$GOOD" "$GOOD"
status_is $c 0
check "$c: the file's output appears twice, identical" \
  eval 'cmp -s "$W/$c.out" <(cat "$W/good.out" "$W/good.out")'

c=stdin-dash
run $c "<$GOOD" extract -
status_is $c 0
same "$c: records name the file \"-\" and have the keys of the file" \
  "$(H keys "$W/$c.out" - | tr '\n' ' ')" "${GOOD_KEYS[*]} "
offsets_exact $c "$GOOD"

c=stdin-noarg
run $c "<$GOOD" extract
status_is $c 0
check "$c: no input argument reads standard input" \
  cmp -s "$W/$c.out" "$W/stdin-dash.out"

c=stdin-mixed
run $c "<$GOOD2" extract "$GOOD" -
status_is $c 0
good_printed $c "$GOOD" "${GOOD_KEYS[@]}"
good_printed $c - "${GOOD2_KEYS[@]}"

# ------------------------------------------------------------------ 1 MiB read pieces

c=boundary
run $c extract "$W/boundary.txt"
status_is $c 0
stderr_lines $c 0
check "$c: all $BOUNDARY_REFS references around the 1, 2, 3 MiB marks, once each, right offsets" \
  H exact "$W/$c.out" "$W/boundary.txt" "$W/boundary.txt.expect"
offsets_exact $c

# ------------------------------------------------------------------ 200 MB, no newline

if [ "${VBG_BAD_SKIP_BIG:-0}" = 1 ]; then
  skip "big: VBG_BAD_SKIP_BIG=1"
elif ! H big "$W/big.txt" >"$W/big.env"; then
  fail "big: build the 200 MB file in $W" "$(df -h "$W" | tail -1)"
else
  # shellcheck disable=SC1091 # written just above: NAME=number lines
  . "$W/big.env"
  c=big
  TIMEFILE=$W/big.time
  TIME_BIN=${VBG_BAD_TIME:-/usr/bin/time}
  SANITIZED=0
  if command -v ldd >/dev/null 2>&1 && ldd "$BIN" 2>/dev/null | grep -qE 'lib(a|t|m)san'; then
    SANITIZED=1
  fi
  t0=$(date +%s)
  [ -x "$TIME_BIN" ] && WRAP=("$TIME_BIN" -f %M -o "$TIMEFILE")
  TIMEOUT=$BIG_TIMEOUT run $c extract "$W/big.txt"
  WRAP=()
  t1=$(date +%s)
  status_is $c 0
  echo "# big: $BIG_SIZE bytes in $((t1 - t0)) s"
  stderr_lines $c 0
  check "$c: all $BIG_REFS references found, once each, at the right offsets" \
    H exact "$W/$c.out" "$W/big.txt" "$W/big.txt.expect"
  offsets_exact $c
  if [ ! -x "$TIME_BIN" ]; then
    skip "big: peak memory not measured: $TIME_BIN is missing (Debian package \"time\")"
  elif [ "$SANITIZED" -eq 1 ]; then
    skip "big: peak memory not checked: $BIN is built with a sanitizer (shadow memory)"
  else
    RSS=$(tail -n 1 "$TIMEFILE" 2>/dev/null)
    if [[ $RSS =~ ^[0-9]+$ ]] && [ "$RSS" -lt "$RSS_LIMIT_KB" ]; then
      pass "$c: peak RSS ${RSS} KiB < ${RSS_LIMIT_KB} KiB"
    else
      fail "$c: peak RSS < ${RSS_LIMIT_KB} KiB" "measured: ${RSS:-nothing} KiB"
    fi
  fi
  rm -f "$W/big.txt"
fi

# ------------------------------------------------------------------ usage

c=usage-command
run $c frobnicate
status_is $c 2
check "$c: stderr names the unknown command, stdout empty" \
  eval 'grep -q frobnicate "$W/$c.err" && ! [ -s "$W/$c.out" ]'

c=usage-option
run $c extract --no-such-option "$GOOD"
status_is $c 2
check "$c: stderr names the unknown option, stdout empty" \
  eval 'grep -q -- --no-such-option "$W/$c.err" && ! [ -s "$W/$c.out" ]'

c=usage-o-missing
run $c extract -o
status_is $c 2
check "$c: stderr mentions -o, stdout empty" \
  eval 'grep -q -- "-o" "$W/$c.err" && ! [ -s "$W/$c.out" ]'

c=usage-format
run $c extract --format xml "$GOOD"
status_is $c 2
check "$c: stderr names the bad format, stdout empty" \
  eval 'grep -q xml "$W/$c.err" && ! [ -s "$W/$c.out" ]'

c=help
run $c --help
status_is $c 0
check "$c: usage on stdout, mentioning extract; nothing on stderr" \
  eval 'grep -qi usage "$W/$c.out" && grep -q extract "$W/$c.out" && ! [ -s "$W/$c.err" ]'

c=extract-help
run $c extract --help
status_is $c 0
check "$c: usage of extract on stdout" \
  eval 'grep -qi usage "$W/$c.out" && grep -q -- --format "$W/$c.out"'

c=version
run $c --version
status_is $c 0
check "$c: prints a version number X.Y.Z on stdout" \
  eval 'grep -qE "[0-9]+\.[0-9]+\.[0-9]+" "$W/$c.out"'

# ------------------------------------------------------------------ output destinations

c=output-file
run $c extract -o "$W/out.jsonl" "$GOOD"
status_is $c 0
check "$c: -o FILE gets the records, stdout stays empty" \
  eval 'cmp -s "$W/out.jsonl" "$W/good.out" && ! [ -s "$W/$c.out" ]'

c=output-full
run $c extract -o /dev/full "$GOOD"
status_is $c nonzero
check "$c: stderr says /dev/full: No space left on device" \
  grep -q '/dev/full.*No space left on device' "$W/$c.err"

c=stdout-full
timeout -k 5 "$TIMEOUT" "$BIN" extract "$GOOD" </dev/null >/dev/full 2>"$W/$c.err"
RC=$?
status_is $c nonzero
check "$c: stderr says No space left on device" \
  grep -q 'No space left on device' "$W/$c.err"

c=output-nodir
run $c extract -o "$W/no-such-dir/out.jsonl" "$GOOD"
status_is $c nonzero
check "$c: stderr names the output path and the reason" \
  grep -qF "$W/no-such-dir/out.jsonl: No such file or directory" "$W/$c.err"

# ------------------------------------------------------------------ JSON Lines shards

c=jsonl-offset-too-big
printf '%s\n' '{"file":"a","start":9007199254740993,"end":9007199254740995,"line":1,"key":"20/2018/TT-BGDĐT","year":2018,"relations":[]}' >"$W/big.jsonl"
run $c build --from-jsonl "$W/big.jsonl" -o "$W/big.graphml"
status_is $c nonzero
check "$c: an offset no graph tool holds exactly (> 2^53) is refused, naming file, line and field" \
  grep -qF "$W/big.jsonl:1: \"start\" must be a whole number from 0 to 9007199254740992" "$W/$c.err"

c=jsonl-negative-line
printf '%s\n' '{"file":"a","start":0,"end":4,"line":-3,"key":"20/2018/TT-BGDĐT","relations":[]}' >"$W/neg.jsonl"
run $c build --from-jsonl "$W/neg.jsonl" -o "$W/neg.graphml"
status_is $c nonzero
check "$c: a negative line number is refused, not read as 0" \
  grep -qF "$W/neg.jsonl:1: \"line\" must be a whole number" "$W/$c.err"

# A long shard is read in pieces of whole lines (never held at once): an error far into
# it still names its line.
c=jsonl-late-error
"$PY" -c '
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(30000):
        f.write(json.dumps({"file": "a%d.txt" % (i % 50), "start": i, "end": i + 11,
            "line": 1, "key": "%d/KH-UBND" % (i % 977 + 1), "relations": []},
            ensure_ascii=False) + "\n")
    f.write("{not json\n")
' "$W/late.jsonl"
run $c build --from-jsonl "$W/late.jsonl" -o "$W/late.graphml"
status_is $c 1
check "$c: the bad line 30001, 2 MB into the shard, is named" \
  grep -qE "^vbgraph: $W/late.jsonl:30001: " "$W/$c.err"

# A record with more relations than any fixed table holds (an input's own header cites
# every document the text names, here 6,000, each mentioned) is read whole.
c=jsonl-many-relations
"$PY" -c '
import json, sys
rels = [{"type": "cites", "target": "%d/KH-UBND" % (i + 1), "cue": None, "start": 100 + i,
         "end": 110 + i, "line": 2} for i in range(6000)]
rec = {"file": "self.txt", "start": 0, "end": 9, "line": 1, "key": "212-KH/TU",
       "relations": rels}
mentions = [{"file": "self.txt", "start": 100 + i, "end": 110 + i, "line": 2,
             "key": "%d/KH-UBND" % (i + 1), "relations": []} for i in range(6000)]
open(sys.argv[1], "w", encoding="utf-8").write(
    "".join(json.dumps(x) + "\n" for x in [rec] + mentions))
' "$W/many.jsonl"
run $c build --from-jsonl "$W/many.jsonl" -o "$W/many.json"
status_is $c 0
check "$c: all 6,000 cites edges are in the graph" \
  "$PY" -c '
import json, sys
g = json.load(open(sys.argv[1], encoding="utf-8"))
links = g.get("links") or g.get("edges")
n = sum(1 for e in links if e.get("relation") == "cites")
assert n == 6000, n
' "$W/many.json"

# ------------------------------------------------------------------ summary

tap_end
