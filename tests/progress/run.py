#!/usr/bin/env python3
"""The progress line: shown on stderr when stderr is a terminal, never
otherwise, and right when shown.

    python3 tests/progress/run.py VBGRAPH_BIN SCRATCH_DIR

Inputs: 300 files of 4 KB, and one 20 MB file read in batches (its
progress is counted as it is read, 16 MiB at a time, and must still add
up; left out when VBG_SANITIZED=1, too slow there).  For
`extract` and `build`, run with stderr on a pseudo-terminal: the last
"\\r"-separated line must read "vbgraph: N files, X MB, Y MB/s, R
references" with N, X and R exact; run again with stderr on a file: it
must stay empty.  One "ok"/"not ok" line per check, then "N passed, M
failed"; exit 0 when all passed.
"""
import os
import pty
import re
import select
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tap import Tap  # noqa: E402  (tests/lib)

TAP = Tap()
ok = TAP.check


def on_terminal(argv):
    """Run argv with stderr on a pty; return (status, what it wrote there)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=slave)
    os.close(slave)
    out = b""
    while True:
        r, _, _ = select.select([master], [], [], 120)
        if not r:
            p.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return p.wait(), out.decode("utf-8", "replace")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: run.py VBGRAPH_BIN SCRATCH_DIR\n")
        return 2
    binary = os.path.abspath(argv[1])
    scratch = os.path.join(os.path.abspath(argv[2]), "progress")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(os.path.join(scratch, "many"))
    line = "Theo Kế hoạch số %d/KH-UBND của UBND huyện.\n"
    nbytes = 0
    pad = ("Đoạn văn không có số hiệu văn bản nào. " * 100)
    for i in range(300):
        data = (pad + line % (i + 1)).encode("utf-8")
        nbytes += len(data)
        with open(os.path.join(scratch, "many", "f%03d.txt" % i), "wb") as f:
            f.write(data)
    nbig = 360000
    big = "".join(line % (i + 1) for i in range(nbig)).encode("utf-8")
    with open(os.path.join(scratch, "big.txt"), "wb") as f:
        f.write(big)
    cases = [
        ("extract, 300 files", ["extract", "many"], 300, nbytes, 300),
        ("build, 300 files", ["build", "many", "-o", "g.graphml"], 300, nbytes, 300),
        ("extract, one 20 MB file", ["extract", "big.txt"], 1, len(big), nbig),
        ("build, one 20 MB file", ["build", "big.txt", "-o", "g.graphml"], 1, len(big), nbig),
    ]
    if os.environ.get("VBG_SANITIZED", "0") not in ("", "0"):
        print("# the 20 MB cases are left out (sanitized build)")
        cases = cases[:2]
    os.chdir(scratch)
    for name, args, files, size, refs in cases:
        status, text = on_terminal([binary] + args)
        last = text.replace("\r\n", "\n").split("\r")[-1].strip()
        m = re.fullmatch(r"vbgraph: (\d+) files, ([\d.]+) MB, ([\d.]+) MB/s, (\d+) references", last)
        ok(status == 0 and m is not None,
           "%s: a progress line on the terminal" % name, "status %d, stderr %r" % (status, text[-300:]))
        if m:
            want = (files, "%.1f" % (size / 1e6), refs)
            got = (int(m.group(1)), m.group(2), int(m.group(4)))
            ok(got == want, "%s: it counts %d files, %s MB, %d references" % ((name,) + want),
               "got %r" % (got,))
        with open("err.txt", "wb") as err:
            status = subprocess.call([binary] + args, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=err)
        quiet = open("err.txt", "rb").read()
        ok(status == 0 and quiet == b"", "%s: nothing on stderr when it is a file" % name,
           "status %d, stderr %r" % (status, quiet[:200]))
    os.chdir("/")
    shutil.rmtree(scratch, ignore_errors=True)
    return TAP.end()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
