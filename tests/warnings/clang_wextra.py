#!/usr/bin/env python3
"""tests/warnings/clang_wextra.py: every library and CLI source compiles
without a warning under clang -Wall -Wextra -pedantic.

    python3 tests/warnings/clang_wextra.py CLANG BUILD_DIR

The build may use gcc, which does not warn where clang does (clang's
-Wmissing-field-initializers on a designated array of positional structs,
for one), so this runs clang -fsyntax-only -Werror on each src/ entry of
BUILD_DIR/compile_commands.json with that entry's -I, -isystem, -D and
-std flags.  One "ok -" / "not ok -" line per file, then "N passed, N
failed".  Exit 0 all clean, 1 a warning, 77 (skip) without clang or without
compile_commands.json.
"""
import json
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tap import Tap  # noqa: E402  (tests/lib)

WARN = ["-Wall", "-Wextra", "-pedantic", "-Werror", "-fsyntax-only"]


def keep_flags(args):
    """The flags that decide what the code means, not how it is built."""
    out, i = [], 0
    while i < len(args):
        a = args[i]
        if a in ("-I", "-isystem", "-D", "-include"):
            out += args[i:i + 2]
            i += 2
            continue
        if a.startswith(("-I", "-isystem", "-D", "-std=")):
            out.append(a)
        i += 1
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    clang, build = sys.argv[1], sys.argv[2]
    db = os.path.join(build, "compile_commands.json")
    if not clang or clang.endswith("NOTFOUND") or not os.path.exists(db):
        print("clang or compile_commands.json missing; skipped")
        return 77
    src = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", "src"))
    seen, tap = set(), Tap(detail_lines=20)
    for e in json.load(open(db)):
        f = os.path.realpath(os.path.join(e["directory"], e["file"]))
        if not f.startswith(src + os.sep) or f in seen:
            continue
        seen.add(f)
        args = e.get("arguments") or shlex.split(e["command"])
        cmd = [clang] + keep_flags(args[1:]) + WARN + [f]
        r = subprocess.run(cmd, cwd=e["directory"], capture_output=True, text=True)
        name = os.path.relpath(f, os.path.dirname(src))
        tap.check(r.returncode == 0 and not r.stderr.strip(), name, r.stderr or r.stdout)
    if not seen:
        print("no src/ entries in compile_commands.json; skipped")
        return 77
    return tap.end()


if __name__ == "__main__":
    sys.exit(main())
