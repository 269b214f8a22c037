#!/usr/bin/env python3
"""Score vbgraph's reference extraction against the hand-checked dev corpus.

Runs `vbgraph extract` on each corpus passage (or reads a predictions file
with --pred), aligns predicted references with the gold ones by byte span and
prints precision, recall and F1 for detection, keys, short forms, dates,
issuing bodies and relations, plus per-field accuracy and trap hits.

Standard library only (Python 3.11). docs/scoring.md explains every figure.

Exit status: 0 scored (and, with --check, every target met); 1 --check and a
target missed; 2 usage error, missing binary or unreadable corpus file;
77 corpus directory missing (ctest treats it as a skipped test).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(TOOLS_DIR)
DEFAULT_BIN = os.path.join(REPO_DIR, "build", "vbgraph")
DEFAULT_CORPUS = os.path.normpath(os.path.join(REPO_DIR, "..", "shared", "corpus"))

EXIT_OK, EXIT_MISSED, EXIT_USAGE, EXIT_SKIP = 0, 1, 2, 77

# Field order of `vbgraph extract` output (DESIGN.md).
PRED_FIELDS = ("file", "start", "end", "line", "surface", "key", "family",
               "doc_type", "type_code", "number", "year", "issuer_code",
               "date", "issuer_body", "term", "title", "short_form",
               "resolves_to", "relations")

# Minimum F1 per metric for --check; traps must not be hit at all.
TARGETS = (("keys", 0.98), ("dates", 0.95), ("issuer_bodies", 0.90),
           ("relations", 0.85))

# Relation types the extractor may emit but the gold does not annotate.
UNSCORED_RELATIONS = ("reviews", "cites")

# Fields compared as plain accuracy over matched pairs.
ATTRIBUTES = ("doc_type", "family", "type_code", "issuer_code", "number", "year")

EXTRACT_TIMEOUT = 120  # seconds per passage


class UsageError(Exception):
    pass


# ---------------------------------------------------------------- input ----

def parse_ids(spec):
    """'001-030', '1-5,9', '7' -> sorted list of 3-digit ids."""
    ids = set()
    for part in spec.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d{1,3})(?:\s*-\s*(\d{1,3}))?", part)
        if not m:
            raise UsageError("bad --ids item %r (use e.g. 001-030 or 1,4,7-9)" % part)
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        if lo < 1 or hi < lo:
            raise UsageError("bad --ids range %r" % part)
        ids.update(range(lo, hi + 1))
    return ["%03d" % i for i in sorted(ids)]


def read_jsonl(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError as e:
                    raise UsageError("%s:%d: not JSON: %s" % (path, n, e))
    return rows


def group_by_id(rows):
    out = {}
    for r in rows:
        out.setdefault(r["id"], []).append(r)
    for lst in out.values():
        lst.sort(key=lambda r: (r["start"], r["end"]))
    return out


def passage_id(path):
    m = re.search(r"(?:^|[/\\])(\d{3})\.txt$", path or "")
    return m.group(1) if m else None


def nfc(s):
    return unicodedata.normalize("NFC", s) if isinstance(s, str) else s


class Preds:
    """Predicted references per passage, plus the problems met reading them."""

    def __init__(self):
        self.by_id = {}
        self.problems = []      # strings; extractor failures and bad output
        self.errors = False     # True when the extractor failed or printed garbage

    def add_line(self, line, where, want_id=None):
        try:
            rec = json.loads(line)
        except ValueError:
            self.errors = True
            self.problems.append("%s: output line is not JSON: %.80r" % (where, line))
            return
        if not isinstance(rec, dict) or not isinstance(rec.get("start"), int) \
                or not isinstance(rec.get("end"), int):
            self.errors = True
            self.problems.append("%s: record without integer start/end: %.80r" % (where, line))
            return
        pid = passage_id(rec.get("file"))
        if want_id is not None:
            if pid != want_id:
                self.problems.append("%s: file field %r does not name passage %s"
                                     % (where, rec.get("file"), want_id))
            pid = want_id
        if pid is None:
            self.problems.append("%s: file %r is not a corpus passage; record ignored"
                                 % (where, rec.get("file")))
            return
        missing = [f for f in PRED_FIELDS if f not in rec]
        if missing:
            self.problems.append("%s: %s %d-%d lacks field(s) %s"
                                 % (where, pid, rec["start"], rec["end"], ",".join(missing)))
        self.by_id.setdefault(pid, []).append(rec)


def run_extractor(binary, corpus, ids):
    preds = Preds()
    for pid in ids:
        rel = "texts/%s.txt" % pid
        cmd = [binary, "extract", rel]
        try:
            cp = subprocess.run(cmd, cwd=corpus, capture_output=True,
                                timeout=EXTRACT_TIMEOUT)
        except subprocess.TimeoutExpired:
            preds.errors = True
            preds.problems.append("%s: extractor timed out after %ds" % (rel, EXTRACT_TIMEOUT))
            continue
        except OSError as e:
            raise UsageError("cannot run %s: %s" % (binary, e))
        if cp.returncode != 0:
            preds.errors = True
            why = ("killed by signal %d" % -cp.returncode if cp.returncode < 0
                   else "exit status %d" % cp.returncode)
            err = cp.stderr.decode("utf-8", "replace").strip().splitlines()
            preds.problems.append("%s: extractor %s%s" % (rel, why, (": " + err[0]) if err else ""))
        text = cp.stdout.decode("utf-8", "replace")
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                preds.add_line(line, "%s (output line %d)" % (rel, n), want_id=pid)
    return preds


def read_pred_file(path):
    preds = Preds()
    try:
        f = sys.stdin if path == "-" else open(path, encoding="utf-8")
    except OSError as e:
        raise UsageError("cannot read %s: %s" % (path, e))
    with f:
        for n, line in enumerate(f, 1):
            if line.strip():
                preds.add_line(line, "%s:%d" % (path, n))
    return preds


# ------------------------------------------------------------- alignment ----

def overlap(a, b):
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def align(gold, pred):
    """One-to-one alignment of gold and predicted mentions of one passage.

    Candidate pairs are those whose byte spans overlap (at least one shared
    byte).  They are taken greedily: largest overlap first, then smallest
    distance between the start offsets, then text order; a pair is kept when
    neither side is already taken.  Returns (pairs, unmatched_gold_idx,
    unmatched_pred_idx), pairs as (gold_idx, pred_idx) sorted by gold order.
    """
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = overlap(g, p)
            if ov > 0:
                cands.append((-ov, abs(g["start"] - p["start"]), g["start"], p["start"], gi, pi))
    cands.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, _, _, _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    pairs.sort()
    return (pairs, [i for i in range(len(gold)) if i not in used_g],
            [i for i in range(len(pred)) if i not in used_p])


# ---------------------------------------------------- body normalisation ----

_W = r"(?<!\w)"    # no word character before
_E = r"(?!\w)"     # no word character after
_BCH = "ban chấp hành trung ương"
# Applied in order, case-sensitively, to NFC text before case folding: the
# abbreviations are capitals, and folding first would turn the ordinary word
# "Tư" (Tư pháp) into the abbreviation "TƯ".
_ABBREVIATIONS = [
    (re.compile(_W + r"BCH\s*(?:TW|TƯ|T\.Ư|T\.W|(?i:trung\s+ương))" + _E), _BCH),
    (re.compile(_W + r"UBND" + _E), "ủy ban nhân dân"),
    (re.compile(_W + r"HĐND" + _E), "hội đồng nhân dân"),
    (re.compile(_W + r"(?:TP|Tp)(?:\.\s*|" + _E + ")"), "thành phố "),
    (re.compile(_W + r"(?:TƯ|T\.Ư|TW|T\.W)" + _E), "trung ương"),
    (re.compile(_W + r"(?i:bộ)\s+GD\s*(?:-|–|&|và)\s*ĐT" + _E), "bộ giáo dục và đào tạo"),
]
_TRAILING_TERM = re.compile(r"[\s,;:–-]*\(?\s*kh(?:óa|oá)\s+[0-9a-z]+\s*\)?\s*$")
_TRAILING_PARTY = re.compile(r"\s+đảng$")
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def collapse_ws(s):
    return " ".join(s.split())


def tone_position_key(s):
    """Move each syllable's tone mark to the end of the syllable.

    Old and new Vietnamese orthography put the tone on different vowels
    (uỷ/ủy, hoà/hòa, khoá/khóa).  A syllable carries one tone, so moving it
    to a fixed place keeps every distinction except the placement.
    """
    out, word, tones = [], [], []
    for ch in unicodedata.normalize("NFD", s):
        if ch in _TONE_MARKS:
            tones.append(ch)
        elif ch.isalnum() or unicodedata.category(ch).startswith("M"):
            word.append(ch)
        else:
            out.extend(word + tones)
            word, tones = [], []
            out.append(ch)
    out.extend(word + tones)
    return unicodedata.normalize("NFC", "".join(out))


def _strip_punct(s):
    def edge(c):
        return c.isspace() or unicodedata.category(c)[0] in "PZ"
    i, j = 0, len(s)
    while i < j and edge(s[i]):
        i += 1
    while j > i and edge(s[j - 1]):
        j -= 1
    return s[i:j]


def normalize_body(s):
    """Comparison key for issuing bodies (see docs/scoring.md)."""
    if s is None:
        return None
    s = collapse_ws(nfc(str(s)).replace("\u00d0", "\u0110"))   # Icelandic eth -> Đ
    for rx, rep in _ABBREVIATIONS:
        s = rx.sub(rep, s)
    s = collapse_ws(s.casefold())
    s = _strip_punct(s)
    s = _TRAILING_TERM.sub("", s)
    s = _strip_punct(s)
    s = _TRAILING_PARTY.sub("", s)
    s = _strip_punct(s)
    return tone_position_key(s)


def exact_body(s):
    return None if s is None else collapse_ws(nfc(str(s)))


# ---------------------------------------------------------------- metrics ----

def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    d = 2 * tp + fp + fn
    f = 2 * tp / d if d else 1.0   # nothing to find and nothing found: perfect
    return p, r, f


class Metric:
    def __init__(self, name, label):
        self.name, self.label = name, label
        self.tp = self.fp = self.fn = 0
        self.misses = []

    def as_dict(self, with_misses):
        p, r, f = prf(self.tp, self.fp, self.fn)
        d = {"tp": self.tp, "fp": self.fp, "fn": self.fn,
             "precision": p, "recall": r, "f1": f}
        if with_misses:
            d["misses"] = self.misses
        return d


def mention(pid, rec):
    if rec is None:
        return None
    return {"id": pid, "start": rec["start"], "end": rec["end"],
            "surface": rec.get("surface")}


def value_metric(name, label, passages, get, same=None):
    """F1 over non-null values of one field.

    TP: matched pair whose two values are non-null and `same`.  Every other
    non-null gold value is a FN, every other non-null predicted value a FP
    (a matched pair with two different values counts once as each).
    """
    same = same or (lambda a, b: a == b)
    m = Metric(name, label)
    for pid, gold, pred, pairs, ug, up in passages:
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            gv, pv = get(g), get(p)
            if gv is not None and pv is not None and same(gv, pv):
                m.tp += 1
                continue
            if gv is None and pv is None:
                continue
            m.fn += gv is not None
            m.fp += pv is not None
            kind = "wrong" if gv is not None and pv is not None else \
                ("missed" if gv is not None else "spurious")
            m.misses.append({"kind": kind, "gold": mention(pid, g), "pred": mention(pid, p),
                             "gold_value": gv, "pred_value": pv})
        for gi in ug:
            gv = get(gold[gi])
            if gv is not None:
                m.fn += 1
                m.misses.append({"kind": "missed", "gold": mention(pid, gold[gi]), "pred": None,
                                 "gold_value": gv, "pred_value": None})
        for pi in up:
            pv = get(pred[pi])
            if pv is not None:
                m.fp += 1
                m.misses.append({"kind": "spurious", "gold": None, "pred": mention(pid, pred[pi]),
                                 "gold_value": None, "pred_value": pv})
    return m


def detection_metrics(passages):
    det = Metric("references", "references")
    exact = Metric("references_exact_span", "references (exact span)")
    for pid, gold, pred, pairs, ug, up in passages:
        det.tp += len(pairs)
        det.fn += len(ug)
        det.fp += len(up)
        for gi in ug:
            det.misses.append({"kind": "missed", "gold": mention(pid, gold[gi]), "pred": None})
        for pi in up:
            det.misses.append({"kind": "spurious", "gold": None, "pred": mention(pid, pred[pi])})
        n_exact = 0
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            if (g["start"], g["end"]) == (p["start"], p["end"]):
                n_exact += 1
            else:
                exact.misses.append({"kind": "span", "gold": mention(pid, g),
                                     "pred": mention(pid, p)})
        exact.tp += n_exact
        exact.fp += len(pred) - n_exact
        exact.fn += len(gold) - n_exact
    return det, exact


def relation_set(rec, scored_only):
    out = set()
    for rel in rec.get("relations") or []:
        if not isinstance(rel, dict):
            continue
        t, k = nfc(rel.get("type")), nfc(rel.get("target"))
        if scored_only and t in UNSCORED_RELATIONS:
            continue
        out.add((t, k))
    return out


def relation_metrics(passages):
    """Triples (source mention, type, target) compared per aligned mention."""
    total = Metric("relations", "relations")
    by_type = {}
    excluded = 0

    def count(kind, pid, g, p, triples):
        for t, k in sorted(triples, key=lambda x: (str(x[0]), str(x[1]))):
            bt = by_type.setdefault(t, Metric("relations:" + str(t), "  " + str(t)))
            for m in (total, bt):
                setattr(m, kind, getattr(m, kind) + 1)
            if kind != "tp":
                total.misses.append({"kind": "missed" if kind == "fn" else "spurious",
                                     "gold": mention(pid, g), "pred": mention(pid, p),
                                     "relation": {"type": t, "target": k}})

    for pid, gold, pred, pairs, ug, up in passages:
        for p in pred:
            excluded += len(relation_set(p, False) - relation_set(p, True))
        for gi, pi in pairs:
            gs, ps = relation_set(gold[gi], True), relation_set(pred[pi], True)
            count("tp", pid, gold[gi], pred[pi], gs & ps)
            count("fn", pid, gold[gi], pred[pi], gs - ps)
            count("fp", pid, gold[gi], pred[pi], ps - gs)
        for gi in ug:
            count("fn", pid, gold[gi], None, relation_set(gold[gi], True))
        for pi in up:
            count("fp", pid, None, pred[pi], relation_set(pred[pi], True))
    return total, [by_type[t] for t in sorted(by_type, key=str)], excluded


def attribute_accuracy(passages):
    acc = {}
    for field in ATTRIBUTES:
        ok, n, misses = 0, 0, []
        for pid, gold, pred, pairs, ug, up in passages:
            for gi, pi in pairs:
                gv, pv = nfc(gold[gi].get(field)), nfc(pred[pi].get(field))
                n += 1
                if gv == pv:
                    ok += 1
                else:
                    misses.append({"kind": "wrong", "gold": mention(pid, gold[gi]),
                                   "pred": mention(pid, pred[pi]),
                                   "gold_value": gv, "pred_value": pv})
        acc[field] = {"correct": ok, "matched": n,
                      "accuracy": ok / n if n else None, "misses": misses}
    return acc


def trap_hits(ids, traps, preds):
    hits, total = [], 0
    for pid in ids:
        for t in traps.get(pid, []):
            total += 1
            by = [p for p in preds.get(pid, []) if overlap(t, p) > 0]
            if by:
                hits.append({"trap": {"id": pid, "start": t["start"], "end": t["end"],
                                      "surface": t["surface"], "why": t.get("why")},
                             "pred": [mention(pid, p) for p in by]})
    return hits, total


def consistency(ids, texts, preds):
    """Predicted records whose surface or line disagree with the input bytes."""
    bad = []
    for pid in ids:
        data = texts[pid]
        for p in preds.get(pid, []):
            s, e = p["start"], p["end"]
            why = []
            if not (0 <= s <= e <= len(data)):
                why.append("span outside the file (%d bytes)" % len(data))
            else:
                try:
                    real = data[s:e].decode("utf-8")
                except UnicodeDecodeError:
                    real = None
                    why.append("span cuts a UTF-8 sequence")
                if real is not None and p.get("surface") != real:
                    why.append("surface differs from bytes %d-%d %s"
                               % (s, e, json.dumps(real, ensure_ascii=False)))
                line = data.count(b"\n", 0, s) + 1
                if "line" in p and p["line"] != line:
                    why.append("line %r, expected %d" % (p["line"], line))
            if why:
                bad.append({"pred": mention(pid, p), "why": "; ".join(why)})
    return bad


def score(ids, gold, traps, texts, preds):
    """All figures for passages `ids`; gold/traps/preds are dicts id -> list."""
    passages = []
    for pid in ids:
        g = gold.get(pid, [])
        p = sorted(preds.get(pid, []), key=lambda r: (r["start"], r["end"]))
        pairs, ug, up = align(g, p)
        passages.append((pid, g, p, pairs, ug, up))

    def short(r):
        return True if r.get("short_form") is True else None

    def resolution(r):
        return nfc(r.get("resolves_to")) if r.get("short_form") is True else None

    det, exact = detection_metrics(passages)
    rel, rel_types, excluded = relation_metrics(passages)
    metrics = [
        det, exact,
        value_metric("keys", "keys", passages, lambda r: nfc(r.get("key"))),
        value_metric("short_forms", "short forms", passages, short),
        value_metric("short_form_resolution", "short-form resolution", passages, resolution),
        value_metric("dates", "dates", passages, lambda r: r.get("date")),
        value_metric("issuer_bodies", "issuer bodies", passages,
                     lambda r: r.get("issuer_body"),
                     lambda a, b: normalize_body(a) == normalize_body(b)),
        value_metric("issuer_bodies_exact", "issuer bodies (exact)", passages,
                     lambda r: r.get("issuer_body"),
                     lambda a, b: exact_body(a) == exact_body(b)),
        rel,
    ] + rel_types
    hits, n_traps = trap_hits(ids, traps, preds)
    return {
        "passages": passages,
        "metrics": metrics,
        "excluded_relations": excluded,
        "attributes": attribute_accuracy(passages),
        "trap_hits": hits,
        "traps_total": n_traps,
        "consistency": consistency(ids, texts, preds),
        "n_gold": sum(len(x[1]) for x in passages),
        "n_pred": sum(len(x[2]) for x in passages),
        "n_matched": sum(len(x[3]) for x in passages),
    }


def check_targets(res, extractor_errors):
    by_name = {m.name: m for m in res["metrics"]}
    missed = []
    for name, floor in TARGETS:
        m = by_name[name]
        if prf(m.tp, m.fp, m.fn)[2] < floor:
            missed.append(name.replace("_", " "))
    if res["trap_hits"]:
        missed.append("traps")
    if extractor_errors:
        missed.append("extractor errors")
    return missed


# ----------------------------------------------------------------- output ----

def fmt_ratio(x):
    return "   n/a" if x is None else "%6.3f" % x


def dumps(v):
    return json.dumps(v, ensure_ascii=False)


def fmt_mention(m):
    if m is None:
        return "-"
    return "%s %d-%d %s" % (m["id"], m["start"], m["end"],
                           json.dumps(m["surface"], ensure_ascii=False))


def fmt_ids(ids):
    if not ids:
        return "none"
    nums = [int(i) for i in ids]
    runs, lo = [], nums[0]
    for a, b in zip(nums, nums[1:] + [None]):
        if b != a + 1:
            runs.append("%03d" % lo if lo == a else "%03d-%03d" % (lo, a))
            lo = b
    return ",".join(runs)


def print_table(res, ids, corpus, source, out):
    w = out.write
    w("vbgraph accuracy: corpus %s, passages %s (%d), predictions from %s\n"
      % (corpus, fmt_ids(ids), len(ids), source))
    w("gold %d references, predicted %d, matched %d\n\n"
      % (res["n_gold"], res["n_pred"], res["n_matched"]))
    floors = dict(TARGETS)
    w("%-26s %5s %5s %5s %9s %7s %7s  %s\n"
      % ("metric", "TP", "FP", "FN", "precision", "recall", "F1", "target"))
    for m in res["metrics"]:
        p, r, f = prf(m.tp, m.fp, m.fn)
        tgt = ""
        if m.name in floors:
            tgt = "F1 >= %.2f %s" % (floors[m.name], "ok" if f >= floors[m.name] else "MISSED")
        w("%-26s %5d %5d %5d    %s  %s  %s  %s\n"
          % (m.label, m.tp, m.fp, m.fn, fmt_ratio(p), fmt_ratio(r), fmt_ratio(f), tgt))
    w("(relations: predicted %s relations are not scored, the gold does not annotate them;"
      " %d left out)\n" % (" and ".join('"%s"' % t for t in UNSCORED_RELATIONS),
                           res["excluded_relations"]))
    w("\naccuracy over %d matched pairs:\n" % res["n_matched"])
    for field, a in res["attributes"].items():
        w("  %-12s %5d/%-5d %s\n" % (field, a["correct"], a["matched"], fmt_ratio(a["accuracy"])))
    hits = res["trap_hits"]
    w("\ntraps hit: %d of %d  (target 0: %s)\n"
      % (len(hits), res["traps_total"], "ok" if not hits else "MISSED"))
    for h in hits:
        t = h["trap"]
        w("  %s  (%s)  hit by %s\n" % (fmt_mention(t), t["why"],
                                        ", ".join(fmt_mention(p) for p in h["pred"])))
    if res["consistency"]:
        w("\npredicted records inconsistent with the input bytes: %d\n" % len(res["consistency"]))


def print_misses(res, out):
    w = out.write
    w("\n==== misses ====\n")
    for m in res["metrics"]:
        if not m.misses:
            continue
        w("\n-- %s: %d FN, %d FP --\n" % (m.label.strip(), m.fn, m.fp))
        for x in m.misses:
            if "relation" in x:
                rel = "%s -> %s" % (x["relation"]["type"], x["relation"]["target"])
                src = fmt_mention(x["gold"] or x["pred"])
                extra = ""
                if x["gold"] is None or x["pred"] is None:
                    extra = "  (mention not matched)"
                w("  %-8s %s  %s%s\n" % (x["kind"], src, rel, extra))
            elif x["kind"] == "span":
                w("  span     gold %s  pred %s\n" % (fmt_mention(x["gold"]), fmt_mention(x["pred"])))
            elif "gold_value" not in x:
                w("  %-8s %s\n" % (x["kind"], fmt_mention(x["gold"] or x["pred"])))
            elif x["pred"] is None:
                w("  %-8s %s  gold %s  (reference not found)\n"
                  % (x["kind"], fmt_mention(x["gold"]), dumps(x["gold_value"])))
            elif x["gold"] is None:
                w("  %-8s %s  pred %s  (no gold reference)\n"
                  % (x["kind"], fmt_mention(x["pred"]), dumps(x["pred_value"])))
            else:
                g, p = x["gold"], x["pred"]
                span = "" if (g["start"], g["end"]) == (p["start"], p["end"]) \
                    else "  (pred span %d-%d)" % (p["start"], p["end"])
                w("  %-8s %s  gold %s  pred %s%s\n"
                  % (x["kind"], fmt_mention(g), dumps(x["gold_value"]),
                     dumps(x["pred_value"]), span))
    for field, a in res["attributes"].items():
        if a["misses"]:
            w("\n-- %s (matched pairs): %d wrong --\n" % (field, len(a["misses"])))
            for x in a["misses"]:
                w("  wrong    %s  gold %s  pred %s\n"
                  % (fmt_mention(x["gold"]), dumps(x["gold_value"]), dumps(x["pred_value"])))
    if res["consistency"]:
        w("\n-- records inconsistent with the input --\n")
        for x in res["consistency"]:
            w("  %s  %s\n" % (fmt_mention(x["pred"]), x["why"]))


def as_json(res, ids, corpus, source, missed, problems, verbose):
    attrs = {}
    for field, a in res["attributes"].items():
        attrs[field] = {k: v for k, v in a.items() if k != "misses" or verbose}
    metrics = {}
    for m in res["metrics"]:
        metrics[m.name] = m.as_dict(verbose)
    doc = {
        "corpus": corpus, "source": source, "ids": ids,
        "gold": res["n_gold"], "predicted": res["n_pred"], "matched": res["n_matched"],
        "metrics": metrics,
        "unscored_relation_types": list(UNSCORED_RELATIONS),
        "excluded_relations": res["excluded_relations"],
        "attributes": attrs,
        "traps": {"total": res["traps_total"], "hit": len(res["trap_hits"]),
                  "hits": res["trap_hits"]},
        "inconsistent_records": res["consistency"] if verbose else len(res["consistency"]),
        "problems": problems,
        "targets": {"met": not missed, "missed": missed,
                    "floors": {n: f for n, f in TARGETS}, "traps_max": 0},
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


# ------------------------------------------------------------------- main ----

def build_parser():
    ap = argparse.ArgumentParser(
        prog="score.py",
        description="Score `vbgraph extract` against the gold references of the dev corpus.")
    ap.add_argument("--vbgraph", metavar="BIN", default=None,
                    help="extractor binary (default: build/vbgraph in the repository)")
    ap.add_argument("--corpus", metavar="DIR", default=None,
                    help="corpus directory (default: ../shared/corpus next to the repository)")
    ap.add_argument("--ids", metavar="SPEC", default=None,
                    help="passages to score, e.g. 001-030 or 1,4,7-9 (default: every passage"
                         " the dev gold covers)")
    ap.add_argument("--pred", metavar="FILE", default=None,
                    help="read predictions (JSON Lines, DESIGN.md fields) from FILE ('-' for"
                         " stdin) instead of running the binary")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless every target is met")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="list every miss and false positive after the table")
    ap.add_argument("--json", action="store_true",
                    help="print the figures as one JSON object instead of the table")
    return ap


def main(argv=None, out=None, err=None):
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    corpus = os.path.abspath(args.corpus) if args.corpus else DEFAULT_CORPUS
    gold_path = os.path.join(corpus, "gold-dev.jsonl")
    traps_path = os.path.join(corpus, "traps-dev.jsonl")
    if not os.path.isdir(corpus) or not os.path.isfile(gold_path):
        err.write("score.py: corpus not found at %s (need gold-dev.jsonl); skipping\n" % corpus)
        return EXIT_SKIP
    try:
        gold = group_by_id(read_jsonl(gold_path))
        traps = group_by_id(read_jsonl(traps_path)) if os.path.isfile(traps_path) else {}
        annotated = sorted(set(gold) | set(traps))
        lo, hi = int(annotated[0]), int(annotated[-1])
        covered = ["%03d" % i for i in range(lo, hi + 1)]
        ids = parse_ids(args.ids) if args.ids else covered
        outside = [i for i in ids if i not in covered]
        if outside:
            raise UsageError("no gold for passage(s) %s; the dev gold covers %s"
                             % (fmt_ids(outside), fmt_ids(covered)))
        texts = {}
        for pid in ids:
            path = os.path.join(corpus, "texts", pid + ".txt")
            try:
                with open(path, "rb") as f:
                    texts[pid] = f.read()
            except OSError as e:
                raise UsageError("cannot read %s: %s" % (path, e.strerror))
        if args.pred:
            source = args.pred
            preds = read_pred_file(args.pred)
        else:
            binary = os.path.abspath(args.vbgraph) if args.vbgraph else DEFAULT_BIN
            if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
                err.write("score.py: extractor binary not found or not executable: %s"
                          " (build it, or give --vbgraph BIN or --pred FILE)\n" % binary)
                return EXIT_USAGE
            source = binary
            preds = run_extractor(binary, corpus, ids)
    except UsageError as e:
        err.write("score.py: %s\n" % e)
        return EXIT_USAGE

    for p in preds.problems:
        err.write("score.py: warning: %s\n" % p)
    res = score(ids, gold, traps, texts, preds.by_id)
    missed = check_targets(res, preds.errors)
    if args.json:
        out.write(as_json(res, ids, corpus, source, missed, preds.problems, args.verbose) + "\n")
    else:
        print_table(res, ids, corpus, source, out)
        if preds.problems:
            out.write("\nextractor/prediction problems: %d (listed on stderr)\n"
                      % len(preds.problems))
        if args.verbose:
            print_misses(res, out)
        out.write("\ntargets: %s\n" % ("met" if not missed else "missed (%s)" % ", ".join(missed)))
    if args.check and missed:
        return EXIT_MISSED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
