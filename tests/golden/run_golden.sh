#!/usr/bin/env bash
# run_golden.sh EXPECTED -- COMMAND [ARG...]
#
# Runs COMMAND in the current directory and compares its standard output,
# byte for byte, with the checked-in file EXPECTED (diff -u).  Byte equality
# also pins determinism: the same input must always give the same output.
#
# Exit status: 0 same; 1 different, or COMMAND failed (non-zero exit);
# 2 usage; 77 (ctest: skipped) when EXPECTED does not exist.
#
# VBG_UPDATE_GOLDEN=1 writes the output to EXPECTED instead of comparing;
# read `git diff` before committing what it wrote.
set -euo pipefail

if [ $# -lt 3 ] || [ "$2" != "--" ]; then
  echo "usage: run_golden.sh EXPECTED -- COMMAND [ARG...]" >&2
  exit 2
fi
expected=$1
shift 2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vbg-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

status=0
"$@" >"$tmp/out" 2>"$tmp/err" || status=$?
if [ -s "$tmp/err" ]; then
  echo "--- stderr of: $*"
  cat "$tmp/err"
fi
if [ "$status" -ne 0 ]; then
  echo "FAIL: exit status $status from: $*"
  exit 1
fi

if [ "${VBG_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$tmp/out" "$expected"
  echo "updated $expected"
  exit 0
fi
if [ ! -f "$expected" ]; then
  echo "SKIP: $expected does not exist"
  exit 77
fi
if ! diff -u "$expected" "$tmp/out"; then
  echo "FAIL: output of '$*' differs from $expected (- expected, + actual)"
  exit 1
fi
echo "ok: $expected ($(wc -l <"$expected") lines)"
