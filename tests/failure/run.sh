#!/usr/bin/env bash
#
# tests/failure/run.sh: what the vbgraph CLI does when the world fails around it.
#
#   bash tests/failure/run.sh VBGRAPH_BIN SCRATCH_DIR
#
# Checks (docs/failures.md lists each with the behaviour it pins down):
#   closed-pipe-*     `vbgraph ... | head -1` ends (no hang) and exits non-zero with one
#                     stderr line naming the cause ("Broken pipe"), or dies of SIGPIPE quietly
#   closed-pipe-stops extract stops at the broken pipe: it never opens the inputs after it
#   closed-pipe-stops-long  ... nor reads on in a long input written in batches
#   full-*            -o /dev/full for every graph format: non-zero exit, the cause named
#   too-large-*       a write that fails half-way (RLIMIT_FSIZE, SIGXFSZ ignored: EFBIG, as
#                     a full disk would give ENOSPC): non-zero exit, the cause named, the old
#                     target untouched, no temporary file left behind
#   fsync-*           the output is fsync'ed before the rename and its directory after; a
#                     failing fsync is a write error (LD_PRELOAD shim, VBG_FSYNC_SHIM)
#   kill-KILL-*, kill-9-*  `kill -9` while the output is being written: the target is the
#                     old file or the complete new one, never a partial one (temporary files
#                     left by the killed run are counted and reported, not failed)
#   kill-TERM-*, kill-INT-*, kill-HUP-*  the same with SIGTERM, SIGINT, SIGHUP; and the run
#                     dies of the signal having removed its temporary file
#   fifo-in-dir       a named pipe inside a walked directory does not block the run
#   fifo-arg          a pipe given as an argument (bash <(...)) is read like a file
#   symlink-loop*     directory symlinks that loop back do not multiply the output nor hang
#   fd-limit          2,000 files with `ulimit -n 16`: no descriptor leaks
#   closed-stdout, closed-stdin, output-is-dir: non-zero exit and a message
#
# One line per check ("ok - ..." / "not ok - ..." with "#" details), then "N passed,
# M failed".  Exit status: 0 all passed, 1 some failed, 2 bad arguments, 77 (skip) when
# python3 (for the generators) is missing.  Each run has a time limit
# (VBG_FAILURE_TIMEOUT, default 60 s; 300 s for sanitized builds), so a hang is a
# failure, not a stuck test.
set -u

if [ $# -ne 2 ]; then
  echo "usage: bash tests/failure/run.sh VBGRAPH_BIN SCRATCH_DIR" >&2
  exit 2
fi
BIN=$1
case $BIN in /*) ;; */*) BIN=$PWD/$BIN ;; esac
if [ ! -x "$BIN" ]; then
  echo "tests/failure: $BIN: not an executable file" >&2
  exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=$(command -v python3 || true)
if [ -z "$PY" ]; then
  echo "tests/failure: python3 is needed for the generators; skipped" >&2
  exit 77
fi
GEN() { "$PY" "$ROOT/tests/pathological/gen.py" "$@" >/dev/null; }

SANITIZED=${VBG_SANITIZED:-0}
if [ "$SANITIZED" = 0 ] && ldd "$BIN" 2>/dev/null | grep -qE 'lib(a|ub|t|m)san'; then
  SANITIZED=1
fi
if [ "$SANITIZED" = 1 ]; then DEF_TIMEOUT=300; else DEF_TIMEOUT=60; fi
TIMEOUT=${VBG_FAILURE_TIMEOUT:-$DEF_TIMEOUT}

mkdir -p "$2" || exit 2
W=$(cd "$2" && pwd)/failure
rm -rf "$W"
mkdir -p "$W" || exit 2
trap 'rm -rf "$W"' EXIT

# shellcheck source=tests/lib/tap.sh
. "$ROOT/tests/lib/tap.sh"
err_of() { printf 'stderr: %s' "$(head -c 600 "$1")"; }

# A signal exit reads better as its name.  describe_status STATUS [LIMIT]
describe_status() {
  if [ "$1" -eq 124 ]; then
    echo "timed out after ${2:-$TIMEOUT} s"
  elif [ "$1" -gt 128 ]; then
    echo "killed by signal $(($1 - 128)) ($(kill -l $(($1 - 128)) 2>/dev/null))"
  else
    echo "exit status $1"
  fi
}

# write_failed CASE STATUS ERRFILE CAUSE: a write error must give a non-zero exit
# (not a crash, not a hang) and one stderr line "vbgraph: ...: ..." naming CAUSE.
write_failed() {
  local c=$1 rc=$2 err=$3 cause=$4 n
  if [ "$rc" -ge 1 ] && [ "$rc" -le 2 ]; then
    pass "$c: non-zero exit ($rc)"
  else
    fail "$c: non-zero exit, no crash" "$(describe_status "$rc")" "$(err_of "$err")"
  fi
  n=$(grep -c '^vbgraph: ' "$err")
  if [ "$n" -eq 1 ] && grep -q "$cause" "$err"; then
    pass "$c: one message naming the cause: $(head -n 1 "$err")"
  else
    fail "$c: one stderr line naming the cause \"$cause\"" "$n lines" "$(err_of "$err")"
  fi
}

# ------------------------------------------------------------------ inputs

SAMPLES=("$ROOT"/samples/*.txt)
GEN long-line 4194304 "$W/big1.txt"
cp "$W/big1.txt" "$W/big2.txt"
cp "$W/big1.txt" "$W/big3.txt"
if [ "$SANITIZED" = 1 ]; then
  note "vbgraph: $BIN (sanitized); per-run limit ${TIMEOUT} s"
else
  note "vbgraph: $BIN; per-run limit ${TIMEOUT} s"
fi

# ------------------------------------------------------------------ closed pipe

# extract: 12 MB of input, the reader goes away after one line.
c=closed-pipe-extract
t0=$(date +%s%N)
timeout -k 5 "$TIMEOUT" "$BIN" extract "$W/big1.txt" "$W/big2.txt" "$W/big3.txt" \
  2>"$W/$c.err" | head -n 1 >/dev/null
rc=${PIPESTATUS[0]}
t1=$(date +%s%N)
if [ "$rc" -eq 141 ] && [ ! -s "$W/$c.err" ]; then
  pass "$c: died of SIGPIPE without a word"
elif [ "$rc" -eq 124 ] || [ "$rc" -gt 128 ]; then
  fail "$c: ends without hanging or crashing" "$(describe_status "$rc")" "$(err_of "$W/$c.err")"
else
  write_failed "$c" "$rc" "$W/$c.err" "Broken pipe"
fi
t2=$(date +%s%N)
timeout -k 5 "$TIMEOUT" "$BIN" extract "$W/big1.txt" "$W/big2.txt" "$W/big3.txt" >/dev/null 2>&1
t3=$(date +%s%N)
note "$c: $(((t1 - t0) / 1000000)) ms with the pipe closed after one line," \
  "$(((t3 - t2) / 1000000)) ms for the whole run (time spent after the reader left)"

# extract: once the reader has gone, the inputs left are not read.  The last input is a
# FIFO nobody writes to: opening it waits for ever, so a run that goes on after the
# broken pipe hangs there (and the time limit ends it); one that stops never opens it.
# Before it come 200 copies of the samples, some 10 MB of output, far more than a pipe
# holds (64 KiB, at most 1 MiB), so the write fails before the FIFO whatever the timing.
c=closed-pipe-stops
if mkfifo "$W/never.pipe" 2>/dev/null; then
  args=()
  for ((i = 0; i < 200; i++)); do args+=("${SAMPLES[@]}"); done
  t0=$(date +%s%N)
  timeout -k 2 30 "$BIN" extract "${args[@]}" "$W/never.pipe" 2>"$W/$c.err" |
    head -n 1 >/dev/null
  rc=${PIPESTATUS[0]}
  t1=$(date +%s%N)
  if [ "$rc" -eq 124 ]; then
    fail "$c: stops reading inputs once the pipe is closed" \
      "it went on to the last input (a FIFO without a writer) and waited there for 30 s" \
      "$(err_of "$W/$c.err")"
  else
    write_failed "$c" "$rc" "$W/$c.err" "Broken pipe"
    note "$c: ended $(((t1 - t0) / 1000000)) ms after it started, ${#args[@]} inputs given"
  fi
else
  note "$c: mkfifo not possible here; skipped"
fi

# The same inside one long input, whose references are written in batches while it is
# read: a FIFO that gives 3 MiB of references (two batches, each more than a pipe holds)
# and then stays open without more data.  A run that kept reading after the failed write
# would wait there; one that stops ends.
c=closed-pipe-stops-long
if mkfifo "$W/long.pipe" 2>/dev/null; then
  "$PY" -c '
import sys, time
line = "Theo Kế hoạch số %d/KH-UBND của UBND huyện.\n"
out = open(sys.argv[1], "wb")
out.write("".join(line % (i + 1) for i in range(60000)).encode("utf-8"))
out.flush()
time.sleep(40)
' "$W/long.pipe" &
  writer=$!
  timeout -k 2 30 "$BIN" extract "$W/long.pipe" 2>"$W/$c.err" | head -n 1 >/dev/null
  rc=${PIPESTATUS[0]}
  kill "$writer" 2>/dev/null
  wait "$writer" 2>/dev/null
  if [ "$rc" -eq 124 ]; then
    fail "$c: stops reading a long input once the pipe is closed" \
      "it went on reading and waited for more of the FIFO for 30 s" "$(err_of "$W/$c.err")"
  else
    write_failed "$c" "$rc" "$W/$c.err" "Broken pipe"
  fi
else
  note "$c: mkfifo not possible here; skipped"
fi

# build to standard output
for fmt in graphml dot json; do
  c=closed-pipe-build-$fmt
  timeout -k 5 "$TIMEOUT" "$BIN" build "${SAMPLES[@]}" -o - --format "$fmt" \
    2>"$W/$c.err" | head -c 10 >/dev/null
  rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 141 ] && [ ! -s "$W/$c.err" ]; then
    pass "$c: died of SIGPIPE without a word"
  else
    write_failed "$c" "$rc" "$W/$c.err" "Broken pipe"
  fi
done

# ------------------------------------------------------------------ /dev/full

for fmt in graphml dot json; do
  c=full-build-$fmt
  timeout -k 5 "$TIMEOUT" "$BIN" build "${SAMPLES[@]}" --format "$fmt" -o /dev/full \
    >/dev/null 2>"$W/$c.err"
  write_failed "$c" $? "$W/$c.err" "No space left on device"
done

# ------------------------------------------------------------------ a write failing half-way

# RLIMIT_FSIZE makes the write fail after 64 KiB with EFBIG once SIGXFSZ is ignored:
# the same path through the CLI as a disk filling up.
# others_in DIR NAME: files in DIR other than NAME (a temporary file, whatever its name).
others_in() { find "$1" -mindepth 1 -maxdepth 1 ! -name "$2" "${@:3}" 2>/dev/null; }

too_large() {
  local c=$1 target=$2
  shift 2
  printf 'OLD CONTENT\n' >"$target"
  (
    trap '' XFSZ
    ulimit -f 64
    exec timeout -k 5 "$TIMEOUT" "$BIN" "$@" >/dev/null 2>"$W/$c.err"
  )
  write_failed "$c" $? "$W/$c.err" "File too large"
  if [ "$(cat "$target")" = "OLD CONTENT" ]; then
    pass "$c: the old $(basename "$target") is untouched"
  else
    fail "$c: the old $(basename "$target") is untouched" "now $(wc -c <"$target") bytes"
  fi
  local left
  left=$(others_in "$(dirname "$target")" "$(basename "$target")")
  if [ -z "$left" ]; then
    pass "$c: no temporary file left beside it"
  else
    fail "$c: no temporary file left beside it" "$left"
  fi
}
mkdir -p "$W/tl1" "$W/tl2" "$W/tl3" "$W/tl4"
too_large too-large-extract "$W/tl1/out.jsonl" extract -o "$W/tl1/out.jsonl" "$W/big1.txt"
too_large too-large-build-graphml "$W/tl2/out.graphml" build "${SAMPLES[@]}" "$W/big1.txt" \
  -o "$W/tl2/out.graphml"
too_large too-large-build-dot "$W/tl3/out.dot" build "${SAMPLES[@]}" "$W/big1.txt" \
  -o "$W/tl3/out.dot"
too_large too-large-build-json "$W/tl4/out.json" build "${SAMPLES[@]}" "$W/big1.txt" \
  -o "$W/tl4/out.json"

# ------------------------------------------------------------------ fsync

# The new output is synced before it is renamed into place, and its directory after
# the rename; a failing fsync is a write error.  VBG_FSYNC_SHIM (tests/failure/
# fsync_shim.c, set by ctest) is preloaded to make fsync fail and to log the calls.
SHIM=${VBG_FSYNC_SHIM:-}
# shim ENV... -- CMD...: run CMD with the shim preloaded and ENV set.  A sanitized
# program wants its runtime first among the libraries, which a preloaded one is not.
shim() {
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  timeout -k 5 "$TIMEOUT" env LD_PRELOAD="$SHIM" \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "${envs[@]}" "$@"
}
if [ -n "$SHIM" ] && [ -f "$SHIM" ]; then
  mkdir -p "$W/fs"
  "$BIN" build "${SAMPLES[@]}" -o "$W/fs/new.graphml" 2>/dev/null
  for cmd in build:graphml extract:jsonl; do
    ext=${cmd#*:}
    cmd=${cmd%:*}
    c=fsync-order-$cmd
    rm -rf "$W/fs/$cmd" "$W/fs/log"
    mkdir -p "$W/fs/$cmd"
    shim VBG_FSYNC_LOG="$W/fs/log" -- "$BIN" "$cmd" "${SAMPLES[@]}" -o "$W/fs/$cmd/out.$ext" \
      >/dev/null 2>"$W/$c.err"
    rc=$?
    if [ "$rc" -eq 0 ] && [ "$(tr '\n' ',' <"$W/fs/log")" = "fsync file,rename,fsync dir," ]; then
      pass "$c: the file synced, renamed into place, its directory synced"
    else
      fail "$c: fsync of the file, rename, fsync of the directory" "$(describe_status "$rc")" \
        "calls: $(tr '\n' ' ' <"$W/fs/log" 2>/dev/null)" "$(err_of "$W/$c.err")"
    fi
  done

  c=fsync-fails
  mkdir -p "$W/fs/f"
  printf 'OLD CONTENT\n' >"$W/fs/f/out.graphml"
  shim VBG_FSYNC_FAIL=file -- "$BIN" build "${SAMPLES[@]}" -o "$W/fs/f/out.graphml" \
    >/dev/null 2>"$W/$c.err"
  write_failed "$c" $? "$W/$c.err" "write error: Input/output error (fsync)"
  if [ "$(cat "$W/fs/f/out.graphml")" = "OLD CONTENT" ] &&
    [ -z "$(others_in "$W/fs/f" out.graphml)" ]; then
    pass "$c: the old file untouched, no temporary file left"
  else
    fail "$c: the old file untouched, no temporary file left" \
      "$(wc -c <"$W/fs/f/out.graphml") bytes; $(others_in "$W/fs/f" out.graphml)"
  fi

  c=fsync-dir-fails
  mkdir -p "$W/fs/d"
  shim VBG_FSYNC_FAIL=dir -- "$BIN" build "${SAMPLES[@]}" -o "$W/fs/d/out.graphml" \
    >/dev/null 2>"$W/$c.err"
  write_failed "$c" $? "$W/$c.err" "Input/output error (fsync of its directory)"
  if cmp -s "$W/fs/d/out.graphml" "$W/fs/new.graphml"; then
    pass "$c: the complete new file is in place (renamed before the directory sync)"
  else
    fail "$c: the complete new file is in place"
  fi

  c=fsync-dir-einval
  mkdir -p "$W/fs/e"
  shim VBG_FSYNC_FAIL=dir-einval -- "$BIN" build "${SAMPLES[@]}" -o "$W/fs/e/out.graphml" \
    >/dev/null 2>"$W/$c.err"
  rc=$?
  if [ "$rc" -eq 0 ] && [ ! -s "$W/$c.err" ] && cmp -s "$W/fs/e/out.graphml" "$W/fs/new.graphml"; then
    pass "$c: a directory that cannot be synced (EINVAL) is no error"
  else
    fail "$c: a directory that cannot be synced (EINVAL) is no error" "$(describe_status "$rc")" \
      "$(err_of "$W/$c.err")"
  fi
else
  note "fsync-*: VBG_FSYNC_SHIM not set (ctest sets it to tests/failure/fsync_shim.c built); skipped"
fi

# ------------------------------------------------------------------ killed while writing

# A corpus whose graph takes a while to write: 4,000 small articles.
GEN tiny-files 4000 "$W/corpus"

# kill_while_writing CASE SIGNAL TARGET OLD NEW CMD...: start CMD, wait until a temporary
# file with bytes in it appears beside TARGET (TARGET is alone in its directory, so any
# other file there is one), send SIGNAL; then TARGET must be OLD or NEW.  For SIGTERM,
# SIGINT and SIGHUP the run must also have died of that signal (or have ended before
# it) and have removed its temporary file; only SIGKILL may leave one.
LEFTOVERS=0
# A background job of a non-interactive shell starts with SIGINT ignored, and vbgraph
# leaves ignored signals ignored: give it back its default action where env can.
if env --default-signal=INT true 2>/dev/null; then
  DEFAULT_INT=(env --default-signal=INT)
else
  DEFAULT_INT=()
fi
kill_while_writing() {
  local c=$1 sig=$2 target=$3 old=$4 new=$5 pid tmp i dir name rc left
  shift 5
  dir=$(dirname "$target")
  name=$(basename "$target")
  cp "$old" "$target"
  "${DEFAULT_INT[@]}" "$@" >/dev/null 2>"$W/$c.err" &
  pid=$!
  tmp=
  for ((i = 0; i < 6000; i++)); do # up to 60 s
    tmp=$(others_in "$dir" "$name" -size +0 | head -n 1)
    [ -n "$tmp" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  if [ -z "$tmp" ]; then
    wait "$pid"
    rc=$?
    note "$c: no temporary file with data seen before the run ended (status $rc)"
  else
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
  fi
  if [ "$sig" != KILL ]; then
    left=$(others_in "$dir" "$name")
    if [ "$rc" -eq $((128 + $(kill -l "$sig"))) ] && [ -z "$left" ]; then
      pass "$c: died of SIG$sig and removed its temporary file"
    elif [ "$rc" -eq 0 ] && [ -z "$left" ]; then
      pass "$c: ended before SIG$sig arrived, no temporary file left"
    else
      fail "$c: died of SIG$sig (or ended first) and removed its temporary file" \
        "$(describe_status "$rc")" "left behind: ${left:-nothing}" "$(err_of "$W/$c.err")"
    fi
  fi
  if cmp -s "$target" "$old"; then
    pass "$c: after SIG$sig mid-write the target is the old file"
  elif cmp -s "$target" "$new"; then
    pass "$c: after SIG$sig mid-write the target is the complete new file"
  else
    fail "$c: after SIG$sig mid-write the target is the old or the complete new file" \
      "it is neither: $(wc -c <"$target") bytes (old $(wc -c <"$old"), new $(wc -c <"$new"))"
  fi
  LEFTOVERS=$((LEFTOVERS + $(others_in "$dir" "$name" | wc -l)))
  others_in "$dir" "$name" -delete
}

mkdir -p "$W/k/t"
printf '<?xml version="1.0"?><graphml><!-- OLD --></graphml>\n' >"$W/k/old"
if ! timeout -k 5 "$TIMEOUT" "$BIN" build "$W/corpus" -o "$W/k/new.graphml" 2>"$W/k.err"; then
  fail "kill9: reference build of the corpus" "$(err_of "$W/k.err")"
else
  for sig in KILL TERM INT HUP; do
    kill_while_writing "kill-$sig-build" "$sig" "$W/k/t/out.graphml" "$W/k/old" \
      "$W/k/new.graphml" "$BIN" build "$W/corpus" -o "$W/k/t/out.graphml"
  done
  # the same at fixed points of a run: whatever the moment, old or new
  t0=$(date +%s%N)
  "$BIN" build "$W/corpus" -o "$W/k/again.graphml" 2>/dev/null
  ms=$((($(date +%s%N) - t0) / 1000000))
  for pct in 10 30 50 70 85 95; do
    c=kill-9-at-$pct-percent
    cp "$W/k/old" "$W/k/t/out.graphml"
    "$BIN" build "$W/corpus" -o "$W/k/t/out.graphml" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms="$ms" -v p="$pct" 'BEGIN { printf "%.3f", ms * p / 100000 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if cmp -s "$W/k/t/out.graphml" "$W/k/old" || cmp -s "$W/k/t/out.graphml" "$W/k/new.graphml"; then
      pass "$c of a ${ms} ms build: the target is the old or the complete new file"
    else
      fail "$c of a ${ms} ms build: the target is the old or the complete new file" \
        "$(wc -c <"$W/k/t/out.graphml") bytes"
    fi
    LEFTOVERS=$((LEFTOVERS + $(others_in "$W/k/t" out.graphml | wc -l)))
    others_in "$W/k/t" out.graphml -delete
  done
fi

# extract -o: the output grows input by input, so a kill lands mid-write
mkdir -p "$W/k/e"
printf 'OLD\n' >"$W/k/old.jsonl"
if timeout -k 5 "$TIMEOUT" "$BIN" extract -o "$W/k/new.jsonl" "$W/big1.txt" "$W/big2.txt" \
  "$W/big3.txt" 2>/dev/null; then
  kill_while_writing "kill-KILL-extract" KILL "$W/k/e/out.jsonl" "$W/k/old.jsonl" \
    "$W/k/new.jsonl" "$BIN" extract -o "$W/k/e/out.jsonl" "$W/big1.txt" "$W/big2.txt" \
    "$W/big3.txt"
  kill_while_writing "kill-TERM-extract" TERM "$W/k/e/out.jsonl" "$W/k/old.jsonl" \
    "$W/k/new.jsonl" "$BIN" extract -o "$W/k/e/out.jsonl" "$W/big1.txt" "$W/big2.txt" \
    "$W/big3.txt"
else
  fail "kill9: reference extract of the big files"
fi
note "temporary files left behind by runs killed with SIGKILL: $LEFTOVERS (a killed" \
  "process cannot remove its own)"

# ------------------------------------------------------------------ odd directory entries

c=fifo-in-dir
mkdir -p "$W/fifo"
cp "${SAMPLES[0]}" "$W/fifo/a.txt"
if mkfifo "$W/fifo/b.pipe" 2>/dev/null; then
  timeout -k 2 10 "$BIN" extract "$W/fifo" >"$W/$c.out" 2>"$W/$c.err"
  rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -gt 128 ]; then
    fail "$c: a named pipe in a directory does not block the walk" \
      "$(describe_status "$rc" 10): open() of the FIFO waits for a writer"
  elif grep -q '"file":"[^"]*a.txt"' "$W/$c.out"; then
    pass "$c: ends ($(describe_status "$rc")), the regular file's references printed"
  else
    fail "$c: the regular file's references printed" "$(err_of "$W/$c.err")"
  fi
else
  note "$c: mkfifo not possible here; skipped"
fi

c=fifo-arg
timeout -k 2 "$TIMEOUT" "$BIN" extract <(cat "${SAMPLES[0]}") >"$W/$c.out" 2>"$W/$c.err"
rc=$?
"$BIN" extract "${SAMPLES[0]}" >"$W/$c.want" 2>/dev/null
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$W/$c.out")" -eq "$(wc -l <"$W/$c.want")" ] &&
  [ -s "$W/$c.out" ]; then
  pass "$c: a pipe given as an argument is read like the file ($(wc -l <"$W/$c.out") references)"
else
  fail "$c: a pipe given as an argument is read like the file" "$(describe_status "$rc")" \
    "$(wc -l <"$W/$c.out") lines, want $(wc -l <"$W/$c.want")" "$(err_of "$W/$c.err")"
fi

# A directory symlink back to its parent: the files must not be read again and again.
c=symlink-loop
mkdir -p "$W/loop"
printf 'Theo Kế hoạch số 7/KH-UBND của UBND huyện.\n' >"$W/loop/a.txt"
ln -s . "$W/loop/again"
timeout -k 2 "$TIMEOUT" "$BIN" extract "$W/loop" >"$W/$c.out" 2>"$W/$c.err"
rc=$?
n=$(grep -c '7/KH-UBND' "$W/$c.out")
if [ "$rc" -ne 124 ] && [ "$rc" -le 128 ] && [ "$n" -le 2 ]; then
  pass "$c: ends ($(describe_status "$rc")), a.txt's reference printed $n time(s)"
else
  fail "$c: ends, and a.txt is not read again through the loop" "$(describe_status "$rc")" \
    "the reference was printed $n times" "$(err_of "$W/$c.err")"
fi

# Two such links: a walk that follows them visits 2^depth paths.
c=symlink-loop-two
mkdir -p "$W/loop2"
printf 'Theo Kế hoạch số 8/KH-UBND của UBND huyện.\n' >"$W/loop2/a.txt"
ln -s . "$W/loop2/l1"
ln -s . "$W/loop2/l2"
timeout -k 2 20 "$BIN" extract "$W/loop2" 2>"$W/$c.err" | head -c 100000000 >"$W/$c.out"
rc=${PIPESTATUS[0]}
n=$(grep -c '8/KH-UBND' "$W/$c.out")
if [ "$rc" -ne 124 ] && [ "$rc" -le 128 ] && [ "$n" -le 3 ]; then
  pass "$c: ends ($(describe_status "$rc")), a.txt's reference printed $n time(s)"
else
  fail "$c: ends within 20 s without reading a.txt through every loop" \
    "$(describe_status "$rc" 20); the reference was printed $n times"
fi

# ------------------------------------------------------------------ descriptors, closed streams

c=fd-limit
GEN tiny-files 2000 "$W/many"
(
  ulimit -n 16
  exec timeout -k 2 "$TIMEOUT" "$BIN" extract "$W/many" >"$W/$c.out" 2>"$W/$c.err"
)
rc=$?
n=$(wc -l <"$W/$c.out")
if [ "$rc" -eq 0 ] && [ "$n" -eq 2000 ]; then
  pass "$c: 2,000 files under ulimit -n 16: all 2000 references, exit 0 (no descriptor leak)"
else
  fail "$c: 2,000 files under ulimit -n 16" "$(describe_status "$rc"), $n references" \
    "$(err_of "$W/$c.err")"
fi

c=closed-stdout
timeout -k 2 "$TIMEOUT" "$BIN" extract "${SAMPLES[0]}" >&- 2>"$W/$c.err"
write_failed "$c" $? "$W/$c.err" "Bad file descriptor"

c=closed-stdin
timeout -k 2 "$TIMEOUT" "$BIN" extract - <&- >"$W/$c.out" 2>"$W/$c.err"
write_failed "$c" $? "$W/$c.err" "Bad file descriptor"

c=output-is-dir
mkdir -p "$W/outdir"
timeout -k 2 "$TIMEOUT" "$BIN" extract -o "$W/outdir" "${SAMPLES[0]}" >/dev/null 2>"$W/$c.err"
write_failed "$c" $? "$W/$c.err" "Is a directory"

tap_end
