#!/usr/bin/env python3
"""Queries and diagrams on the samples, with answers checked by hand.

    check_queries.py VBGRAPH WORKDIR

Run from the repository root (the samples are read as samples/*.txt).  Each
check prints "ok - ..." or "not ok - ..."; the last line is
"N passed, N failed".  The expected answers below were read off the sample
texts (samples/README.md lists what each one plants):

  57-NQ/TW is implemented by 3/NQ-CP (the Government's programme), by the
  province's plan 212-KH/TU, by the Huyện ủy's 27-KH/HU, by the commune Party
  plan 9-KH/ĐU and by the Assembly's 193/2025/QH15 ("thể chế hóa"); 3/NQ-CP in
  turn by the ministry plan 316/KH-BKHCN and the province's 38/KH-UBND; 212-KH/TU
  by 38/KH-UBND; 38/KH-UBND by the district's 64/KH-UBND, which the commune's
  15/KH-UBND implements.  Sample 09 reviews 57-NQ/TW ("Sơ kết 6 tháng").
  Two plans numbered 38/KH-UBND exist: Tuyên Quang's of 2025 and one of 2015.
"""
import json
import os
import subprocess
import sys
import unicodedata
import xml.dom.minidom

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tap import Tap  # noqa: E402  (tests/lib)

TAP = Tap(detail_lines=40)
check = TAP.check


def run(*args):
    p = subprocess.run([VBG, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def query(*args):
    return run("query", *args, "--graph", GRAPH)


def keys_of(items):
    return sorted(x["document"]["key"] for x in items)


def main():
    global VBG, GRAPH
    VBG, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    GRAPH = os.path.join(work, "samples.graphml")
    samples = sorted(os.path.join("samples", f) for f in os.listdir("samples") if f.endswith(".txt"))
    rc, _, err = run("build", *samples, "-o", GRAPH)
    check(rc == 0, "build the samples' graph", err)

    # implements, as JSON
    rc, out, err = query("implements", "57-NQ/TW", "--json")
    check(rc == 0, "implements 57-NQ/TW exits 0", err)
    tree = json.loads(out)
    top = keys_of(tree["implemented_by"])
    check(top == sorted(["193/2025/QH15", "212-KH/TU", "27-KH/HU", "3/NQ-CP", "9-KH/ĐU"]),
          "57-NQ/TW is implemented directly by the five documents", top)
    by = {x["document"]["key"]: x for x in tree["implemented_by"]}
    check(keys_of(by["3/NQ-CP"]["implemented_by"]) == ["316/KH-BKHCN", "38/KH-UBND"],
          "3/NQ-CP is implemented by 316/KH-BKHCN and 38/KH-UBND")
    chain = by["212-KH/TU"]["implemented_by"][0]
    check(chain["document"]["id"] == "38/KH-UBND [Ủy ban nhân dân tỉnh Tuyên Quang, 2025]",
          "212-KH/TU -> Tuyên Quang's 38/KH-UBND of 2025", chain["document"]["id"])
    sub = chain["implemented_by"][0]
    check(sub["document"]["key"] == "64/KH-UBND" and
          sub["implemented_by"][0]["document"]["key"] == "15/KH-UBND",
          "the chain goes on to the district's 64/KH-UBND and the commune's 15/KH-UBND")
    ev = by["3/NQ-CP"]["evidence"]
    check(ev["file"].endswith("02-nghi-quyet-57-chuong-trinh-chinh-phu.txt") and ev["line"] == 3
          and ev["cue"] == "thực hiện", "each step has its evidence (file, line, cue)", ev)
    check(by["3/NQ-CP"]["document"]["issuer_body"] == "Chính phủ"
          and by["3/NQ-CP"]["document"]["date"] == "2025-01-09",
          "each step has its implementing body and date")
    reviewers = [r["by"]["id"] for r in tree["reviewed_by"]]
    check("article:samples/09-so-ket-6-thang-nq57-dashes.txt" in reviewers,
          "sample 09 reviews 57-NQ/TW", reviewers)

    rc, out, _ = query("implements", "57-NQ/TW", "--json", "--depth", "1")
    shallow = json.loads(out)
    check(all("implemented_by" not in x for x in shallow["implemented_by"]),
          "--depth 1 stops after one level")

    # implements, as text for people
    rc, text, _ = query("implements", "114-KL/TW")
    check(text.startswith("Kết luận 114-KL/TW · Ban Bí thư Trung ương Đảng · 2015-07-14\n"),
          "text answer starts with the document, its body and date", text)
    check("└─ Kế hoạch 95-KH/TU" in text and "triển khai thực hiện" in text
          and "body Ban Thường vụ Tỉnh ủy Tuyên Quang" in text,
          "text tree names the implementing plan, its cue, and who reviewed it", text)

    # keys typed the way people type them
    first = text.splitlines()[0]
    for typed in ["Kết luận số 114-KL/TƯ", "114-KL/T.Ư", "kl 114/tw",
                  unicodedata.normalize("NFD", "Kết luận số 114-KL/TƯ")]:
        rc, t, err = query("implements", typed)
        check(rc == 0 and t.splitlines()[0] == first, "key typed as %r" % typed, err)

    # an ambiguous key and an unknown key
    rc, out, err = query("show", "38/KH-UBND")
    check(rc == 1 and out == "" and "matches 2 documents" in err
          and "'38/KH-UBND [Ủy ban nhân dân tỉnh Tuyên Quang, 2025]'" in err
          and "'38/KH-UBND [Ủy ban nhân dân tỉnh, 2015]'" in err,
          "an ambiguous key lists its candidates and how to choose", err)
    rc, out, err = query("show", "38/KH-UBND [Ủy ban nhân dân tỉnh, 2015]", "--json")
    check(rc == 0 and json.loads(out)["date"] == "2015-10-20", "a candidate chosen by its id")
    rc, out, err = query("show", "58-NQ/TW")
    check(rc == 1 and "no document '58-NQ/TW'" in err and "57-NQ/TW" in err,
          "an unknown key says so and suggests the closest", err)

    # cited-by, cites, show, top, path
    rc, out, _ = query("cited-by", "3/NQ-CP", "--json")
    rel = sorted((x["relation"], x["document"]["key"]) for x in json.loads(out)["cited_by"])
    check(("amends", "71/NQ-CP") in rel and ("implements", "316/KH-BKHCN") in rel
          and ("based_on", "5/2025/QĐ-UBND") in rel, "cited-by 3/NQ-CP", rel)
    rc, out, _ = query("cites", "71/NQ-CP", "--json")
    check([(x["relation"], x["document"]["key"]) for x in json.loads(out)["cites"]]
          == [("amends", "3/NQ-CP")], "cites 71/NQ-CP", out)
    rc, out, _ = query("show", "114-KL/TW", "--json")
    s = json.loads(out)
    check(s["term"] == "XI" and s["issuer_body"] == "Ban Bí thư Trung ương Đảng"
          and s["title"].startswith("Nâng cao hiệu quả công tác dân vận")
          and s["mentions"] == 6, "show 114-KL/TW", s)
    rc, out, _ = query("top", "--json", "--limit", "3")
    t = json.loads(out)
    check(t["by_mentions"][0]["key"] == "57-NQ/TW" and len(t["by_pagerank"]) == 3,
          "top: 57-NQ/TW is the most mentioned", t["by_mentions"][:1])
    rc, out, _ = query("top", "--kind", "body", "--json", "--limit", "1")
    check(json.loads(out)["by_mentions"][0]["kind"] == "body", "top --kind body")
    rc, out, _ = query("path", "95-KH/TU", "114-KL/TW", "--json")
    p = json.loads(out)["path"]
    check([x["vertex"]["key"] for x in p] == ["95-KH/TU", "114-KL/TW"]
          and p[0]["relation"] == "implements", "path 95-KH/TU -> 114-KL/TW", p)

    # answers from the inputs directly equal answers from the saved graph
    rc, direct, _ = run("query", "implements", "57-NQ/TW", *samples)
    rc2, saved, _ = query("implements", "57-NQ/TW")
    check(rc == rc2 == 0 and direct == saved, "same answer from the files and from --graph")

    # diagrams
    svg = os.path.join(work, "samples.svg")
    rc, _, err = run("render", "--graph", GRAPH, "-o", svg)
    check(rc == 0, "render the samples", err)
    doc = xml.dom.minidom.parse(svg)
    titles = {t.firstChild.data for t in doc.getElementsByTagName("title") if t.firstChild}
    check({"57-NQ/TW", "3/NQ-CP", "body:Bộ Chính trị", "cluster_central",
           "cluster_legend"} <= titles, "the SVG parses and holds the expected nodes",
          sorted(titles)[:20])
    small = os.path.join(work, "focus.svg")
    rc, _, err = run("render", "--graph", GRAPH, "--focus", "114-KL/TW", "--depth", "1",
                     "-o", small)
    ftitles = {t.firstChild.data for t in xml.dom.minidom.parse(small).getElementsByTagName("title")
               if t.firstChild}
    check(rc == 0 and "114-KL/TW" in ftitles and "95-KH/TU" in ftitles
          and "57-NQ/TW" not in ftitles, "--focus draws the neighbourhood only", sorted(ftitles))
    rc, _, err = run("render", "--graph", GRAPH, "--max-nodes", "10", "-o",
                     os.path.join(work, "capped.svg"))
    check(rc == 0 and "drew 10 of" in err and "left out" in err,
          "a capped diagram says what was left out", err)
    rc, _, err = run("render", "--graph", GRAPH, "-o", os.path.join(work, "x.bmp"))
    check(rc == 2 and "give --format" in err, "an unknown diagram format is a usage error", err)

    return TAP.end()


if __name__ == "__main__":
    sys.exit(main())
