#!/usr/bin/env bash
# scripts/run.sh: install what is missing, build, and run vbgraph.
#
#   bash scripts/run.sh                 references in samples/*.txt as JSON Lines
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

if [ $# -eq 0 ]; then
  set -- extract samples/*.txt
fi
exec "$VBG_ROOT/build/vbgraph" "$@"
