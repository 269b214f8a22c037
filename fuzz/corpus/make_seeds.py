#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets (fuzz/README.md).

    python3 fuzz/corpus/make_seeds.py [--vbgraph build/vbgraph]

From the repository root (or anywhere: paths are taken from this file's
place) it (re)writes the generated seeds, one subdirectory per target:

  fuzz_extract/spec-<case>.txt     each input of tests/spec/extract.spec, with
                                   its nfd/crlf/bom flags applied as the spec
                                   runner applies them
  fuzz_extract/sample-<name>.txt   samples/*.txt
  fuzz_jsonl/sample-<name>.jsonl   samples/*.jsonl
  fuzz_jsonl/spec-<case>.jsonl     `vbgraph extract` of each spec input that
                                   has references (needs --vbgraph)
  fuzz_graphml/samples.graphml     `vbgraph build samples/*.txt` (needs
                                   --vbgraph), and one graph per sample
  fuzz_graphml/plain.graphml       GraphML without vbgraph's attributes

Files named regress-* (reproducers of fixed bugs) and hand-written seeds
are left alone; generated files are overwritten, so running this again
after the spec or the samples change is safe.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

ESCAPE = re.compile(r"\\u\{([0-9A-Fa-f]{1,6})\}|\\\\")


def unescape(line):
    def one(m):
        return chr(int(m.group(1), 16)) if m.group(1) else "\\"
    return ESCAPE.sub(one, line)


def spec_cases(path):
    """Yield (name, flags, input text) for each case of the spec file."""
    name = None
    lines = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("~~~ case:"):
                words = line[len("~~~ case:"):].split()
                name, flags, lines = words[0], set(words[1:]), []
            elif name is not None and lines is not None:
                if line == ".":
                    yield name, flags, "\n".join(lines) + "\n"
                    lines = None
                else:
                    lines.append(unescape(line))
            elif line.startswith("~~~"):
                name = None


def transform(text, flags):
    if "nfd" in flags:
        text = unicodedata.normalize("NFD", text)
    if "crlf" in flags:
        text = text.replace("\n", "\r\n")
    if "bom" in flags:
        text = "\ufeff" + text
    return text.encode("utf-8")


def safe(name):
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, capture_output=True, **kw)


PLAIN_GRAPHML = b"""<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="w" for="edge" attr.name="weight" attr.type="double"/>
  <graph id="G" edgedefault="directed">
    <node id="n0"/>
    <node id="n1"/>
    <edge source="n0" target="n1"><data key="w">2</data></edge>
  </graph>
</graphml>
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vbgraph", help="the vbgraph binary (for JSONL/GraphML seeds)")
    args = ap.parse_args()

    dirs = {t: os.path.join(HERE, t) for t in ("fuzz_extract", "fuzz_jsonl", "fuzz_graphml")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)

    counts = dict.fromkeys(dirs, 0)
    spec_inputs = []
    for name, flags, text in spec_cases(os.path.join(ROOT, "tests", "spec", "extract.spec")):
        data = transform(text, flags)
        write(os.path.join(dirs["fuzz_extract"], "spec-%s.txt" % safe(name)), data)
        spec_inputs.append((safe(name), data))
        counts["fuzz_extract"] += 1

    samples = os.path.join(ROOT, "samples")
    texts = sorted(f for f in os.listdir(samples) if f.endswith(".txt"))
    for f in texts:
        with open(os.path.join(samples, f), "rb") as src:
            write(os.path.join(dirs["fuzz_extract"], "sample-" + f), src.read())
        counts["fuzz_extract"] += 1
        j = f[:-4] + ".jsonl"
        if os.path.exists(os.path.join(samples, j)):
            with open(os.path.join(samples, j), "rb") as src:
                write(os.path.join(dirs["fuzz_jsonl"], "sample-" + j), src.read())
            counts["fuzz_jsonl"] += 1

    write(os.path.join(dirs["fuzz_graphml"], "plain.graphml"), PLAIN_GRAPHML)
    counts["fuzz_graphml"] += 1

    if args.vbgraph:
        exe = os.path.abspath(args.vbgraph)
        for name, data in spec_inputs:
            r = run([exe, "extract", "-"], input=data)
            if r.stdout:
                write(os.path.join(dirs["fuzz_jsonl"], "spec-%s.jsonl" % name), r.stdout)
                counts["fuzz_jsonl"] += 1
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "g.graphml")
            r = run([exe, "build", "-o", out] + [os.path.join("samples", f) for f in texts],
                    cwd=ROOT)
            if r.returncode == 0:
                with open(out, "rb") as g:
                    write(os.path.join(dirs["fuzz_graphml"], "samples.graphml"), g.read())
                counts["fuzz_graphml"] += 1
            else:
                sys.stderr.write("make_seeds: vbgraph build failed: %s\n" % r.stderr.decode())
            for f in texts:
                r = run([exe, "build", "-o", out, os.path.join("samples", f)], cwd=ROOT)
                if r.returncode == 0:
                    with open(out, "rb") as g:
                        write(os.path.join(dirs["fuzz_graphml"],
                                           "sample-%s.graphml" % f[:-4]), g.read())
                    counts["fuzz_graphml"] += 1
    else:
        sys.stderr.write("make_seeds: no --vbgraph: JSONL of the spec and GraphML seeds not made\n")

    for t, n in counts.items():
        print("%s: %d seeds written" % (t, n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
