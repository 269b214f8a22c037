#!/usr/bin/env python3
"""What a competent analyst would write instead of vbgraph: Python `re` for
the document numbers (party, state, legal and letter families) with their
type words, signing dates and issuing bodies, the "triển khai thực hiện"
relations in both word orders, and networkx for the citation graph, written
as GraphML.

    baseline.py [-o graph.graphml] [--stats] FILE|DIR...

It is meant to be fair: patterns are compiled once, files are read as a
stream of paragraph blocks (never whole), text is normalised to NFC, codes
get the same canonical keys as vbgraph's (TƯ/T.Ư/T.W -> TW, QD -> QĐ, ...).
It does not try to match vbgraph's every rule (short forms, headers,
back-references, based_on/amends/...); it does the job the benchmark asks
for: documents, bodies, articles, mentions and implements edges.
"""

import argparse
import os
import re
import sys
import unicodedata

import networkx as nx

# ----------------------------------------------------------------------
# Patterns (compiled once)
# ----------------------------------------------------------------------

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
DASH = r"[ \t\u00a0]*[" + DASHES + r"][ \t\u00a0]*"
SLASH = r"[ \t\u00a0]*/[ \t\u00a0]*"
GROUP = r"[^\W\d_](?:[\w&]|\.(?=[^\W\d_]))*"
GROUPS = GROUP + "(?:" + DASH + GROUP + ")*"

TYPE_WORDS = [
    "nghị quyết liên tịch", "nghị quyết", "quyết định", "quy định", "chỉ thị",
    "kết luận", "kế hoạch hành động", "kế hoạch", "chương trình hành động",
    "chương trình", "hướng dẫn", "thông báo", "thông tư liên tịch", "thông tư",
    "nghị định", "công văn", "văn bản hợp nhất", "văn bản", "công điện",
    "tờ trình", "báo cáo", "đề án", "dự án", "phương án", "quy chế",
    "thông tri", "thông cáo", "biên bản", "hợp đồng", "giấy mời", "pháp lệnh",
    "bộ luật", "luật", "lệnh",
]
TW = "|".join(w.replace(" ", r"\s+") for w in TYPE_WORDS)

# A document number; the type word is looked for just before it.
REF = re.compile(
    r"(?<![\w/.\-])(?P<num>\d{1,5})(?:"
    r"(?:" + SLASH + "|" + DASH + r")(?P<year>(?:19|20)\d\d)" + SLASH + r"(?P<lg>" + GROUPS + r")"
    r"|(?:" + DASH + r"|[ \t]?)(?P<pt>" + GROUP + r")" + SLASH + r"(?P<pg>" + GROUPS + r")"
    r"|" + SLASH + r"(?P<sg>" + GROUPS + r"))"
    r"(?![\w/])")
TYPE_BEFORE = re.compile(
    r"(?:^|(?<=[^\w]))(" + TW + r")(?:\s+[^\W\d][^\s,.;:()]*){0,8}?[\s_*]+"
    r"(?:số[\s_*]*:?[\s_*]*)?$|(" + TW + r")[\s_*]+(?:số[\s_*]*:?[\s_*]*)?$",
    re.IGNORECASE)
DATE = re.compile(
    r"\A[\s,(]*ngày\s+(?:(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
    r"|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))", re.IGNORECASE)
BODY = re.compile(
    r"\A[\s,)]*(?:\(?ngày[^,;()]{3,25}?\)?\s*)?của\s+"
    r"((?:Ban|Bộ|Ủy|UBND|Hội|Chính|Thủ|Quốc|Tỉnh|Thành|Huyện|Đảng|Sở|Văn|Trung|BCH)"
    r"[^,.;:()\n\"“]{1,70}?)(?=\s+(?:ngày|về|đã|được|nhằm|triển|thực|và\s+(?:Nghị|Quyết|Chỉ|Kế|Kết)"
    r"|khóa|khoá|có|đặt|xác|trong|tại)\b|\s*[,.;:()\n]|$)")
TERM = re.compile(r"\s*\(?kh[oó]á?\s+([IVX]+)\)?")
SENT = re.compile(r"(?<=[.;!?:])\s+(?=[A-ZĐÀ-Ỹ])|\n\s*\n")
IMPL = re.compile(r"\b(?:triển\s+khai\s+thực\s+hiện|tiếp\s+tục\s+thực\s+hiện|thực\s+hiện"
                  r"|cụ\s+thể\s+h[oó]a|thể\s+chế\s+h[oó]a)\b", re.IGNORECASE)
ISSUE = re.compile(r"\bban\s+hành\b", re.IGNORECASE)

# ----------------------------------------------------------------------
# Canonical keys
# ----------------------------------------------------------------------

TYPE_CODES = {"NQ", "QĐ", "QĐI", "CT", "KL", "HD", "KH", "CTR", "ĐA", "CV", "BS",
              "TB", "BC", "QC", "TT", "TTR", "BB", "TC", "QYĐ", "PA", "DA", "HĐ",
              "CĐ", "NĐ", "TTLT", "NQLT", "L", "VBHN", "GM", "GGT", "BGN", "BTT"}
CODE_FIX = {"TƯ": "TW", "T.Ư": "TW", "T.W": "TW", "QD": "QĐ", "ND": "NĐ",
            "CTR": "CTr", "TTG": "TTg", "DU": "ĐU", "HDND": "HĐND", "QĐI": "QĐi",
            "TTR": "TTr", "QYĐ": "QyĐ", "BGDDT": "BGDĐT"}
CANON_TYPE = {"kế hoạch hành động": "Kế hoạch", "chương trình hành động": "Chương trình"}
BODY_FIX = [(re.compile(r"^UBND\b"), "Ủy ban nhân dân"),
            (re.compile(r"^HĐND\b"), "Hội đồng nhân dân"),
            (re.compile(r"^BCH\s*TW\b|^BCHTW\b"), "Ban Chấp hành Trung ương"),
            (re.compile(r"\bTP\b"), "thành phố")]
WS = re.compile(r"\s+")
ROMAN = {"XI", "XII", "XIII", "X", "IX", "VIII", "XIV"}


def canon_code(c):
    c = WS.sub("", c).replace("\u00d0", "Đ")
    c = re.sub("[" + DASHES + "]", "-", c)
    return "-".join(CODE_FIX.get(p.upper(), p) for p in c.split("-"))


def canon_type(tw):
    if not tw:
        return None
    t = WS.sub(" ", tw).lower()
    t = CANON_TYPE.get(t, t)
    return t[0].upper() + t[1:]


def parse(m, before):
    """(key, family, doc_type) of a match; `before` is the text before it."""
    num = str(int(m.group("num")))
    if m.group("year"):
        lg = canon_code(m.group("lg"))
        key, fam = "%s/%s/%s" % (num, m.group("year"), lg), "legal"
    elif m.group("pt"):
        key, fam = "%s-%s/%s" % (num, canon_code(m.group("pt")), canon_code(m.group("pg"))), "party"
    else:
        sg = canon_code(m.group("sg"))
        first, _, rest = sg.partition("-")
        if not rest:
            return None
        if first.upper() in TYPE_CODES:
            if rest == "TW":  # a Party code printed state-style
                key, fam = "%s-%s/TW" % (num, first), "party"
            else:
                key, fam = "%s/%s" % (num, sg), "state"
        else:
            key, fam = "%s/%s" % (num, sg), "letter"
    t = TYPE_BEFORE.search(before[-90:])
    return key, fam, canon_type(t and (t.group(1) or t.group(2)))


def canon_body(b):
    b = WS.sub(" ", b).strip()
    for pat, rep in BODY_FIX:
        b = pat.sub(rep, b)
    return b


# ----------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------


def walk(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        yield os.path.join(root, f)
        else:
            yield p


def blocks(path, size=1 << 20):
    """The file as NFC text blocks cut at paragraph breaks."""
    with open(path, encoding="utf-8", errors="replace", newline=None) as fh:
        rest = ""
        while True:
            chunk = fh.read(size)
            if not chunk:
                break
            buf = rest + chunk
            cut = buf.rfind("\n\n")
            if cut < 0:
                rest = buf
                continue
            rest = buf[cut:]
            yield unicodedata.normalize("NFC", buf[:cut].lstrip("\ufeff"))
        if rest:
            yield unicodedata.normalize("NFC", rest.lstrip("\ufeff"))


# ----------------------------------------------------------------------
# Graph
# ----------------------------------------------------------------------


def add_doc(G, key, fam, doc_type, date):
    if key not in G:
        G.add_node(key, kind="document", label=key, family=fam, doc_type=doc_type or "",
                   date=date or "", mentions=0)
    n = G.nodes[key]
    n["mentions"] += 1
    if doc_type and not n["doc_type"]:
        n["doc_type"] = doc_type
    if date and not n["date"]:
        n["date"] = date


def add_edge(G, a, b, relation):
    if G.has_edge(a, b, relation):
        G.edges[a, b, relation]["weight"] += 1
    else:
        G.add_edge(a, b, key=relation, relation=relation, weight=1)


def process(G, path, counts):
    art = "article:" + path
    G.add_node(art, kind="article", label=os.path.basename(path))
    for text in blocks(path):
        for sent in SENT.split(text):
            refs = []
            for m in REF.finditer(sent):
                p = parse(m, sent[max(0, m.start() - 90):m.start()])
                if p is None:
                    continue
                key, fam, doc_type = p
                after = sent[m.end():m.end() + 160]
                date = None
                d = DATE.match(after)
                if d:
                    g = d.groups()
                    day, mon, yr = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
                    date = "%s-%02d-%02d" % (yr, int(mon), int(day))
                add_doc(G, key, fam, doc_type, date)
                add_edge(G, art, key, "mentions")
                b = BODY.match(after)
                if b:
                    body = canon_body(b.group(1))
                    t = TERM.match(after, b.end(1))
                    bid = "body:" + body
                    if bid not in G:
                        G.add_node(bid, kind="body", label=body,
                                   term=t.group(1) if t and t.group(1) in ROMAN else "")
                    add_edge(G, key, bid, "issued_by")
                refs.append((m.start(), m.end(), key))
                counts["refs"] += 1
            if len(refs) < 2:
                continue
            relate(G, sent, refs, counts)


def relate(G, sent, refs, counts):
    """implements: "X triển khai thực hiện Y" and "Thực hiện Y, ... ban hành X"."""
    cue = IMPL.search(sent)
    if not cue:
        return
    before = [r for r in refs if r[1] <= cue.start()]
    after = [r for r in refs if r[0] >= cue.end()]
    if cue.start() < 12 and after:  # reverse order: Thực hiện Y..., ban hành X
        iss = ISSUE.search(sent, cue.end())
        if iss:
            srcs = [r for r in after if r[0] > iss.end()]
            tgts = [r for r in after if r[1] <= iss.start()]
            for s in srcs[:1]:
                for t in tgts:
                    if s[2] != t[2]:
                        add_edge(G, s[2], t[2], "implements")
                        counts["implements"] += 1
        return
    if before and after:
        s = before[-1]
        between = sent[s[1]:cue.start()]
        if len(between) > 120:
            return
        for t in after:
            if sent[refs[0][0]:t[0]].count(".") > 3:
                break
            if s[2] != t[2]:
                add_edge(G, s[2], t[2], "implements")
                counts["implements"] += 1


def main():
    ap = argparse.ArgumentParser(description="Python re + networkx citation graph (benchmark baseline)")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("-o", "--output", default="baseline.graphml")
    ap.add_argument("--stats", action="store_true", help="print counts on stderr")
    args = ap.parse_args()
    G = nx.MultiDiGraph()
    counts = {"files": 0, "refs": 0, "implements": 0}
    for path in walk(args.inputs):
        counts["files"] += 1
        process(G, path, counts)
    nx.write_graphml(G, args.output)
    if args.stats:
        counts["nodes"] = G.number_of_nodes()
        counts["edges"] = G.number_of_edges()
        print(" ".join("%s=%d" % kv for kv in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
