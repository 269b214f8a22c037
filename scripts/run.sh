#!/usr/bin/env bash
# scripts/run.sh: install what is missing, build, and run vbgraph.
#
#   bash scripts/run.sh                 the main job on samples/*.txt: references,
#                                       graph (GraphML, JSON, CSV), diagrams in
#                                       build/samples/, and what implements 57-NQ/TW
#   bash scripts/run.sh extract FILE…   any other vbgraph command line
#
# Works from any directory; safe to run again (only missing packages are
# installed; the build is incremental).  Build logs go to stderr, so standard
# output holds only what vbgraph prints:  bash scripts/run.sh > refs.jsonl
set -euo pipefail

VBG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/deps.sh
. "$VBG_ROOT/scripts/deps.sh"
cd "$VBG_ROOT"

vbg_deps >&2
vbg_build build Release "${VBG_RELEASE_ARGS[@]}" >&2

if [ $# -gt 0 ]; then
  exec "$VBG_ROOT/build/vbgraph" "$@"
fi

# The main job on the bundled samples: references, graph, diagram, and the
# question people ask most, "what implements Nghị quyết 57-NQ/TW?".
vbg=$VBG_ROOT/build/vbgraph
out=$VBG_ROOT/build/samples
mkdir -p "$out"
"$vbg" extract samples/*.txt -o "$out/references.jsonl"
"$vbg" build samples/*.txt -o "$out/graph.graphml"
"$vbg" build samples/*.txt -o "$out/graph.json"
"$vbg" build samples/*.txt -o "$out/graph.csv"
"$vbg" render --graph "$out/graph.graphml" -o "$out/diagram.svg"
"$vbg" render --graph "$out/graph.graphml" --focus 57-NQ/TW --depth 3 -o "$out/57-NQ-TW.svg"
vbg_log "wrote $out/: references.jsonl ($(wc -l <"$out/references.jsonl") references),"
vbg_log "  graph.graphml, graph.json, graph.nodes.csv, graph.edges.csv, diagram.svg, 57-NQ-TW.svg"
vbg_log "what implements Nghị quyết 57-NQ/TW:"
"$vbg" query implements 57-NQ/TW --graph "$out/graph.graphml"
