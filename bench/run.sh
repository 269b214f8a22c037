#!/usr/bin/env bash
# bench/run.sh - one benchmark run of vbgraph on one generated corpus, against
# ripgrep (the scanning bound) and bench/baseline.py (Python re + networkx).
#
#   bench/run.sh [--size 10MB] [--reps 3] [--layout dir|file] [--seed 1]
#                [--sweep] [--no-baseline] [--no-record] [--json FILE]
#                [--work DIR] [--vbgraph PATH]
#
# Default: a 10 MB corpus, 3 repetitions, about a minute.  --sweep also runs
# 10 MB and 100 MB (and 1 GB when VBG_BENCH_LARGE=1) to show the cost per MB.
# Figures go to a JSON file under the work directory (or --json FILE) and, unless
# --no-record, a markdown section is appended to bench/RESULTS.md.  Corpora are
# cached in the work directory (default /tmp/vbgraph-bench, or $VBG_BENCH_DIR).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SIZE=10MB
REPS=3
LAYOUT=dir
SEED=1
SWEEP=0
BASELINE=1
RECORD=1
JSON_OUT=
WORK=${VBG_BENCH_DIR:-/tmp/vbgraph-bench}
VBG=$ROOT/build/vbgraph
PY=${PYTHON:-python3}

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case $1 in
  --size) SIZE=$2; shift 2 ;;
  --reps) REPS=$2; shift 2 ;;
  --layout) LAYOUT=$2; shift 2 ;;
  --seed) SEED=$2; shift 2 ;;
  --sweep) SWEEP=1; shift ;;
  --no-baseline) BASELINE=0; shift ;;
  --no-record) RECORD=0; shift ;;
  --json) JSON_OUT=$2; shift 2 ;;
  --work) WORK=$2; shift 2 ;;
  --vbgraph) VBG=$2; shift 2 ;;
  -h | --help) usage 0 ;;
  *) echo "run.sh: unknown option $1" >&2; usage 2 >&2 ;;
  esac
done
case $LAYOUT in dir | file) ;; *) echo "run.sh: --layout dir|file" >&2; exit 2 ;; esac

VBG=$(cd "$(dirname "$VBG")" && pwd)/$(basename "$VBG")
[ -x "$VBG" ] || { echo "run.sh: no vbgraph at $VBG (build it first)" >&2; exit 2; }
VBG_SRC=$VBG
for tool in rg taskset "$PY"; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed (apt-get install ripgrep util-linux python3)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
if [ "$BASELINE" = 1 ] && ! "$PY" -c 'import networkx' 2>/dev/null; then
  echo "run.sh: networkx missing for $PY (apt-get install python3-networkx); use --no-baseline" >&2
  exit 2
fi

mkdir -p "$WORK/results"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$WORK/run-$STAMP
mkdir -p "$RUN"
TIMES=$RUN/times.tsv
: >"$TIMES"
CMDS=$RUN/commands.txt
: >"$CMDS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
# A kernel that pages out memory left untouched for a while (DAMON's pageout
# scheme, as some VMs run) drops a corpus from the page cache between runs
# and takes CPU time of its own: the report says so when it is on.
RECLAIM=none
for k in /sys/kernel/mm/damon/admin/kdamonds/*; do
  [ "$(cat "$k/state" 2>/dev/null)" = on ] || continue
  for a in "$k"/contexts/*/schemes/*/action; do
    [ -f "$a" ] && RECLAIM="DAMON $(cat "$a") (kdamond on)"
  done
done
say() { echo "run.sh: $*" >&2; }

# Snapshot the tool and its shared library: others may rebuild build/ while
# this runs.  LD_LIBRARY_PATH wins over the tool's RUNPATH.
snapshot() {
  local lib
  rm -rf "${RUN:?}/bin"
  mkdir -p "$RUN/bin"
  cp "$VBG_SRC" "$RUN/bin/vbgraph" || return 1
  lib=$(ldd "$VBG_SRC" 2>/dev/null | awk '/libvbgraph/ {print $3}')
  if [ -n "$lib" ] && [ -f "$lib" ]; then cp -L "$lib" "$RUN/bin/$(basename "$lib")" || return 1; fi
  LD_LIBRARY_PATH=$RUN/bin "$RUN/bin/vbgraph" --version >/dev/null 2>&1
}
for try in 1 2 3 4 5 6 7 8 9 10; do
  snapshot && break
  [ "$try" = 10 ] && { echo "run.sh: $VBG_SRC does not run (a build in progress?)" >&2; exit 2; }
  say "$VBG_SRC does not run yet (a build in progress?); retrying in 30 s"
  sleep 30
done
export LD_LIBRARY_PATH=$RUN/bin${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
VBG=$RUN/bin/vbgraph

# ---------------------------------------------------------------------------
# ripgrep patterns equivalent to vbgraph's candidate scan (src/scan.c: code,
# short, backref), in Rust regex syntax: no look-behind, \p{M} admitted in
# codes so that NFD text is scanned too.  Written once per run.
# ---------------------------------------------------------------------------
PATS=$RUN/rg-patterns.txt
{
  H='[\t \x{A0}]'
  DASH="$H*[\\-\\x{2010}-\\x{2015}\\x{2212}]$H*"
  SLASH="$H*[/\\x{2215}\\x{FF0F}]$H*"
  G='\p{L}(?:[\p{L}\p{M}\p{N}&]|\.\p{L})*'
  GRPS="$G(?:$DASH$G)*"
  echo "\\d{1,5}(?:(?:$SLASH|$DASH)(?:19|20)\\d\\d$SLASH$GRPS|(?:$DASH|$H+|)$G$SLASH$GRPS|$SLASH$GRPS)"
  SHORT='nghị\s+quyết|quyết\s+định|quy\s+định|chỉ\s+thị|kết\s+luận|kế\s+hoạch|hướng\s+dẫn|thông\s+báo|thông\s+tư|nghị\s+định|công\s+văn|văn\s+bản|công\s+điện|tờ\s+trình'
  echo "(?i:$SHORT)(?:\\s+số)?\\s*:?\\s+\\d{1,5}"
  echo "(?:Nghị|Quyết|Quy|Chỉ|Kết|Kế|Chương|Hướng|Thông|Công|Văn|Tờ|Báo|Đề|Luật|Pháp)\\s+\\p{L}*\\s*(?:này|trên)"
} >"$PATS"

# ---------------------------------------------------------------------------
# Timing: wall clock around /usr/bin/time -v, which gives the peak RSS.
# measure LABEL SIZE_BYTES REPS CMD...   (runs in the corpus directory)
# ---------------------------------------------------------------------------
measure() {
  local label=$1 bytes=$2 reps=$3
  shift 3
  printf '%s\t%s\n' "$label" "$*" >>"$CMDS"
  local i t0 t1 rc rss cpu
  for ((i = 1; i <= reps; i++)); do
    # the outputs of the tool before (up to a GB) go to disk now, not while
    # this one runs: the kernel's writeback would take the CPU it is timed on
    sync
    t0=$(date +%s%N)
    set +e
    /usr/bin/time -v -o "$RUN/time.txt" "$@" >"$RUN/stdout.txt" 2>"$RUN/stderr.txt"
    rc=$?
    set -e
    t1=$(date +%s%N)
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$RUN/time.txt")
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s + 0}' "$RUN/time.txt")
    printf '%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n' "$label" "$bytes" "${ROUND:-$i}" "$rc" \
      "$(((t1 - t0) / 1000))" "${rss:-0}" "$(wc -l <"$RUN/stdout.txt")" "$cpu" >>"$TIMES"
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
      say "$label exited $rc: $(tail -n 2 "$RUN/stderr.txt")"
    fi
  done
}

# corpus SIZE LAYOUT: generate (or reuse) a corpus; sets CDIR and CIN.
corpus() {
  local size=$1 layout=$2
  CDIR=$WORK/corpus-$size-$layout-s$SEED
  local want
  want="$(sha1sum "$HERE/gen.py" | cut -c1-12) $size $layout $SEED"
  if [ ! -f "$CDIR/stamp" ] || [ "$(cat "$CDIR/stamp")" != "$want" ]; then
    say "generating $size ($layout) in $CDIR"
    rm -rf "$CDIR"
    "$PY" "$HERE/gen.py" make --size "$size" --layout "$layout" --seed "$SEED" --out "$CDIR" 2>"$CDIR.gen.log" ||
      { cat "$CDIR.gen.log" >&2; exit 1; }
    echo "$want" >"$CDIR/stamp"
  fi
  if [ "$layout" = file ]; then CIN=corpus.txt; else CIN=corpus; fi
  # warm the page cache so the first repetition is not a disk benchmark
  (cd "$CDIR" && find "$CIN" -type f -print0 | xargs -0 cat >/dev/null)
}

HAS_JOBS=0
# --jobs: listed in the help, or at least accepted before --help
if "$VBG" build --help 2>&1 | grep -q -- '--jobs' ||
  "$VBG" build --jobs 1 --help >/dev/null 2>&1; then HAS_JOBS=1; fi
NCPU=$(nproc)

# run_all SIZE REPS WITH_BASELINE: every tool on one corpus.
run_all() {
  local size=$1 reps=$2 base=$3 bytes
  corpus "$size" "$LAYOUT"
  bytes=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"])' "$CDIR/meta.json")
  local out=$RUN/$size
  mkdir -p "$out"
  cd "$CDIR"
  say "$size: every tool once a round, $reps rounds"
  # The tools take turns, one run each a round, so that a noisy spell of the
  # machine falls on all of them alike and their ratios stay fair.  extract
  # writes to standard output, which measure() sends to a file, as it does
  # ripgrep's (-o would add an fsync before the rename: durability, not
  # extraction).  The outputs of the first round are kept.
  local k
  for ((k = 1; k <= reps; k++)); do
    ROUND=$k
    measure "extract@$size" "$bytes" 1 taskset -c 0 "$VBG" extract "$CIN"
    [ "$k" = 1 ] && cp "$RUN/stdout.txt" "$out/extract.jsonl"
    measure "rg@$size" "$bytes" 1 taskset -c 0 rg -j1 --no-config --no-ignore -o -b -n -H \
      -f "$PATS" "$CIN"
    [ "$k" = 1 ] && cp "$RUN/stdout.txt" "$out/rg.txt"
    measure "build@$size" "$bytes" 1 "$VBG" build "$CIN" -o "$out/build.graphml"
    if [ "$HAS_JOBS" = 1 ]; then
      measure "build-jobs1@$size" "$bytes" 1 "$VBG" build --jobs 1 "$CIN" -o "$out/build1.graphml"
      measure "build-jobs$NCPU@$size" "$bytes" 1 "$VBG" build --jobs "$NCPU" "$CIN" \
        -o "$out/buildN.graphml"
    fi
    if [ "$base" = 1 ]; then
      measure "baseline@$size" "$bytes" 1 "$PY" "$HERE/baseline.py" "$CIN" -o "$out/baseline.graphml"
    fi
    say "$size: round $k of $reps done"
  done
  unset ROUND
  say "$size: scoring extract against the answer key"
  local root=
  [ "$LAYOUT" = dir ] && root=corpus
  if [ -f "$out/extract.jsonl" ]; then
    "$PY" "$HERE/gen.py" score --key "$CDIR/key.jsonl" --pred "$out/extract.jsonl" --root "$root" \
      --json "$out/score.json" >/dev/null
  else
    say "$size: no extract output to score"
    echo '{}' >"$out/score.json"
  fi
  cp "$CDIR/meta.json" "$out/meta.json"
  cd - >/dev/null
}

if [ "$SWEEP" = 1 ]; then
  SIZES="10MB 100MB"
  [ "${VBG_BENCH_LARGE:-0}" = 1 ] && SIZES="$SIZES 1GB"
else
  SIZES=$SIZE
fi
for s in $SIZES; do
  r=$REPS
  # a 1 GB round takes a minute and a half: at most five of them
  [ "$s" = 1GB ] && [ "$r" -gt 5 ] && r=5
  run_all "$s" "$r" "$BASELINE"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------
# Report: JSON and a markdown section for RESULTS.md
# ---------------------------------------------------------------------------
[ -n "$JSON_OUT" ] || JSON_OUT=$WORK/results/bench-$STAMP.json
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain -- src include 2>/dev/null)" ]; then COMMIT="$COMMIT+dirty"; fi
CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
export RUN TIMES CMDS JSON_OUT COMMIT CPU NCPU RECLAIM LOAD_START LOAD_END LAYOUT SEED SIZES HAS_JOBS VBG
export RESULTS=$HERE/RESULTS.md RECORD STAMP HERE
"$PY" - <<'PYEOF'
import json, os, statistics

env = os.environ
rows = {}
for line in open(env["TIMES"], encoding="utf-8"):
    label, nbytes, rep, rc, us, rss, nout, cpu = line.rstrip("\n").split("\t")
    r = rows.setdefault(label, {"bytes": int(nbytes), "s": [], "cpu": [], "rss_kb": [], "rc": [],
                                "out": 0})
    r["s"].append(int(us) / 1e6)
    r.setdefault("by_round", {})[int(rep)] = (int(us) / 1e6, float(cpu))
    r["cpu"].append(float(cpu))
    r["rss_kb"].append(int(rss))
    r["rc"].append(int(rc))
    r["out"] = int(nout)
cmds = dict(l.rstrip("\n").split("\t", 1) for l in open(env["CMDS"], encoding="utf-8"))
sizes = env["SIZES"].split()
res = {"stamp": env["STAMP"], "commit": env["COMMIT"], "cpu": env["CPU"],
       "cores": int(env["NCPU"]), "load_start": env["LOAD_START"], "load_end": env["LOAD_END"],
       "reclaim": env["RECLAIM"],
       "layout": env["LAYOUT"], "seed": int(env["SEED"]), "sizes": {}}
for size in sizes:
    d = res["sizes"][size] = {"tools": {}}
    meta = json.load(open(os.path.join(env["RUN"], size, "meta.json")))
    score = json.load(open(os.path.join(env["RUN"], size, "score.json")))
    d["corpus"] = {k: meta[k] for k in ("bytes", "articles", "references", "short_forms",
                                       "relations", "layout")}
    refs = None
    for label, r in rows.items():
        tool, _, sz = label.partition("@")
        if sz != size:
            continue
        mn, md = min(r["s"]), statistics.median(r["s"])
        t = {"cmd": cmds[label], "min_s": round(mn, 4), "median_s": round(md, 4),
             "runs": len(r["s"]), "mb_per_s": round(r["bytes"] / 1e6 / mn, 2),
             "s_per_mb": round(mn / (r["bytes"] / 1e6), 5),
             "cpu_min_s": round(min(r["cpu"]), 3),
             "cpu_s_per_mb": round(min(r["cpu"]) / (r["bytes"] / 1e6), 5),
             "peak_rss_mb": round(max(r["rss_kb"]) / 1024, 1), "exit": max(r["rc"])}
        if tool == "extract":
            with open(os.path.join(env["RUN"], size, "extract.jsonl"), "rb") as fh:
                refs = sum(1 for _ in fh)
            t["references"] = refs
            t["refs_per_s"] = round(refs / mn)
        if tool == "rg":
            t["matches"] = r["out"]
        d["tools"][tool] = t
    T = d["tools"]
    ratio = {}
    def paired(a, b, k):
        """Median over the rounds of b's time / a's time (k: 0 wall, 1 CPU):
        the two ran back to back in each round, under the same spell."""
        ra, rb = rows[a + "@" + size]["by_round"], rows[b + "@" + size]["by_round"]
        v = [rb[n][k] / ra[n][k] for n in ra if n in rb and ra[n][k] > 0]
        return round(statistics.median(v), 4) if v else None
    if "extract" in T and "rg" in T:
        ratio["extract_speed_vs_rg"] = round(T["rg"]["min_s"] / T["extract"]["min_s"], 4)
        if T["extract"]["cpu_min_s"] > 0:
            ratio["extract_speed_vs_rg_cpu"] = round(
                T["rg"]["cpu_min_s"] / T["extract"]["cpu_min_s"], 4)
        ratio["extract_speed_vs_rg_paired"] = paired("extract", "rg", 0)
        ratio["extract_speed_vs_rg_cpu_paired"] = paired("extract", "rg", 1)
    if "build" in T and "baseline" in T:
        ratio["build_speedup_vs_baseline"] = round(T["baseline"]["min_s"] / T["build"]["min_s"], 2)
        ratio["build_speedup_vs_baseline_paired"] = paired("build", "baseline", 0)
        ratio["build_rss_vs_baseline"] = round(T["build"]["peak_rss_mb"] / T["baseline"]["peak_rss_mb"], 3)
    for k in T:
        if k.startswith("build-jobs") and "build-jobs1" in T and k != "build-jobs1":
            ratio["build_parallel_speedup"] = round(T["build-jobs1"]["min_s"] / T[k]["min_s"], 2)
    d["ratios"] = ratio
    d["accuracy"] = score
small = sizes[0]
for size in sizes:
    for tool, t in res["sizes"][size]["tools"].items():
        base = res["sizes"][small]["tools"].get(tool)
        if base:
            t["cost_per_mb_vs_%s" % small] = round(t["s_per_mb"] / base["s_per_mb"], 3)
            if base["cpu_s_per_mb"] > 0:
                t["cpu_cost_per_mb_vs_%s" % small] = round(
                    t["cpu_s_per_mb"] / base["cpu_s_per_mb"], 3)
with open(env["JSON_OUT"], "w") as fh:
    json.dump(res, fh, indent=1, ensure_ascii=False)

# ---- markdown ----
def ok(v, target, ge=True):
    return "yes" if (v >= target if ge else v <= target) else "**no**"

md = []
md.append("\n## Run %s (commit %s, layout %s)\n" % (res["stamp"], res["commit"], res["layout"]))
md.append("Machine: %s, %d cores; load average %s at the start, %s at the end; "
          "kernel reclaim of idle memory: %s.\n"
          % (res["cpu"], res["cores"], res["load_start"], res["load_end"], res["reclaim"]))
for size in sizes:
    d = res["sizes"][size]
    c = d["corpus"]
    md.append("### %s: %.1f MB, %d articles, %d planted references\n" % (
        size, c["bytes"] / 1e6, c["articles"], c["references"]))
    md.append("| tool | min s | median s | CPU s | MB/s | refs/s | peak RSS MB |")
    md.append("|---|---:|---:|---:|---:|---:|---:|")
    for tool, t in d["tools"].items():
        md.append("| %s | %.3f | %.3f | %.3f | %.2f | %s | %.1f |" % (
            tool, t["min_s"], t["median_s"], t["cpu_min_s"], t["mb_per_s"],
            t.get("refs_per_s", ""), t["peak_rss_mb"]))
    r = d["ratios"]
    md.append("")
    if "extract_speed_vs_rg" in r:
        md.append("- extract speed / ripgrep speed (one core each): **%.3f×** (target ≥ 0.5: %s); "
                  "by CPU time %.3f×; median of the rounds' own ratios %s (CPU %s)"
                  % (r["extract_speed_vs_rg"], ok(r["extract_speed_vs_rg"], 0.5),
                     r.get("extract_speed_vs_rg_cpu", 0),
                     "%.3f×" % r["extract_speed_vs_rg_paired"]
                     if r.get("extract_speed_vs_rg_paired") else "-",
                     "%.3f×" % r["extract_speed_vs_rg_cpu_paired"]
                     if r.get("extract_speed_vs_rg_cpu_paired") else "-"))
    if "build_speedup_vs_baseline" in r:
        md.append("- build speed-up over baseline.py: **%.2f×** (target ≥ 15: %s); median of the "
                  "rounds' own ratios %s"
                  % (r["build_speedup_vs_baseline"], ok(r["build_speedup_vs_baseline"], 15),
                     "%.2f×" % r["build_speedup_vs_baseline_paired"]
                     if r.get("build_speedup_vs_baseline_paired") else "-"))
        md.append("- build peak RSS / baseline peak RSS: **%.3f** (target ≤ 0.5: %s)"
                  % (r["build_rss_vs_baseline"], ok(r["build_rss_vs_baseline"], 0.5, False)))
    if "build_parallel_speedup" in r:
        md.append("- build --jobs %s over --jobs 1: %.2f×" % (env["NCPU"], r["build_parallel_speedup"]))
    bad = [t for t, v in d["tools"].items() if v["exit"] not in (0, 1)]
    if bad:
        md.append("- **failed** (exit status ≥ 2; figures above are not valid): " + ", ".join(bad))
    a = d["accuracy"]
    if a:
      md.append("- extract vs the answer key: F1 **%.5f** (P %.5f, R %.5f; target ≥ 0.99: %s); "
              "exact spans F1 %.5f; doc_type %.4f; date %.4f; short forms F1 %.4f; "
              "relations F1 %.4f (P %.4f, R %.4f)" % (
                  a["f1"], a["precision"], a["recall"], ok(a["f1"], 0.99), a["strict_span_f1"],
                  a["doc_type_accuracy"] or 0, a["date_accuracy"] or 0, a["short_forms"]["f1"],
                  a["relations"]["f1"], a["relations"]["precision"], a["relations"]["recall"]))
    md.append("")
if len(sizes) > 1:
    tools = [t for t in res["sizes"][small]["tools"]]
    for what, key, rel in (("wall-clock", "s_per_mb", "cost_per_mb_vs_"),
                           ("CPU (user + system)", "cpu_s_per_mb", "cpu_cost_per_mb_vs_")):
        md.append("### Cost per MB, %s seconds per MB (min of the runs; × = relative to %s)\n"
                  % (what, small))
        md.append("| size | " + " | ".join(tools) + " |")
        md.append("|---|" + "---:|" * len(tools))
        for size in sizes:
            T = res["sizes"][size]["tools"]
            cells = []
            for tool in tools:
                t = T.get(tool)
                cells.append("%.4f (%.2f×)" % (t[key], t.get(rel + small, 0)) if t else "")
            md.append("| %s | %s |" % (size, " | ".join(cells)))
        md.append("")
md.append("Commands (run in the corpus directory; corpus from `bench/gen.py make --size SIZE "
          "--layout %s --seed %d`):\n" % (res["layout"], res["seed"]))
md.append("```")
seen = set()
for label, cmd in cmds.items():
    tool = label.split("@")[0]
    if tool in seen:
        continue
    seen.add(tool)
    md.append(cmd.replace(env["VBG"], "build/vbgraph").replace(env["RUN"], "$RUN")
              .replace(env["HERE"] + "/", "bench/"))
md.append("```")
text = "\n".join(md) + "\n"
print(text)
if env["RECORD"] == "1":
    with open(env["RESULTS"], "a", encoding="utf-8") as fh:
        fh.write(text)
PYEOF
say "figures: $JSON_OUT (run directory $RUN)"
