#!/usr/bin/env python3
"""Self-test of tools/score.py without the real extractor.

Turns the dev gold into predictions in `vbgraph extract`'s shape, checks that
they score perfectly, then perturbs them (a dropped reference, a wrong key or
date, a reference laid over a trap, ...) and checks that exactly the expected
figures move.  Also runs score.py against small fake extractor binaries.

Prints `N passed, N failed`; exits 1 on any failure, 77 when the corpus is
missing (ctest skip).
"""

import atexit
import copy
import importlib.util
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCORE_PY = os.path.join(HERE, "score.py")

_spec = importlib.util.spec_from_file_location("vbg_score", SCORE_PY)
score = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score)

CORPUS = os.environ.get("VBG_CORPUS", score.DEFAULT_CORPUS)

passed = failed = 0


def ok(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s" % what)


def eq(got, want, what):
    ok(got == want, "%s: got %r, want %r" % (what, got, want))


# ------------------------------------------------------------- fixtures ----

def load_gold():
    rows = [json.loads(l) for l in open(os.path.join(CORPUS, "gold-dev.jsonl"), encoding="utf-8")
            if l.strip()]
    traps = [json.loads(l) for l in open(os.path.join(CORPUS, "traps-dev.jsonl"), encoding="utf-8")
             if l.strip()]
    return rows, traps


def text_of(pid):
    with open(os.path.join(CORPUS, "texts", pid + ".txt"), "rb") as f:
        return f.read()


def to_pred(g):
    """A gold row in the shape and field order of `vbgraph extract`."""
    data = text_of(g["id"])
    return {
        "file": "texts/%s.txt" % g["id"], "start": g["start"], "end": g["end"],
        "line": data.count(b"\n", 0, g["start"]) + 1, "surface": g["surface"],
        "key": g["key"], "family": g["family"], "doc_type": g["doc_type"],
        "type_code": g["type_code"], "number": g["number"], "year": g["year"],
        "issuer_code": g["issuer_code"], "date": g["date"], "issuer_body": g["issuer_body"],
        "term": None, "title": None, "short_form": g["short_form"],
        "resolves_to": g["resolves_to"], "relations": copy.deepcopy(g["relations"]),
    }


def pred_over(pid, start, end, **fields):
    """A predicted full reference over bytes start..end of passage pid."""
    data = text_of(pid)
    rec = {"file": "texts/%s.txt" % pid, "start": start, "end": end,
           "line": data.count(b"\n", 0, start) + 1,
           "surface": data[start:end].decode("utf-8"), "key": "1/QĐ-UBND", "family": "state",
           "doc_type": None, "type_code": "QĐ", "number": "1", "year": None,
           "issuer_code": "UBND", "date": None, "issuer_body": None, "term": None,
           "title": None, "short_form": False, "resolves_to": None, "relations": []}
    rec.update(fields)
    return rec


TMP = tempfile.mkdtemp(prefix="vbg_score_selftest.")
atexit.register(shutil.rmtree, TMP, True)


def write_jsonl(recs, name="pred.jsonl"):
    path = os.path.join(TMP, name)
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def run(recs=None, args=(), as_json=True):
    """score.main in-process; returns (exit code, stdout, parsed JSON or None)."""
    argv = ["--corpus", CORPUS] + list(args)
    if recs is not None:
        argv += ["--pred", write_jsonl(recs)]
    if as_json:
        argv.append("--json")
    out, err = io.StringIO(), io.StringIO()
    rc = score.main(argv, out=out, err=err)
    doc = json.loads(out.getvalue()) if as_json and out.getvalue().strip() else None
    return rc, out.getvalue() + err.getvalue(), doc


def counts(doc, name):
    m = doc["metrics"][name]
    return (m["tp"], m["fp"], m["fn"])


def find(preds, pid, surface, nth=0):
    hits = [i for i, p in enumerate(preds) if p["file"].endswith(pid + ".txt")
            and p["surface"] == surface]
    return hits[nth]


# ----------------------------------------------------------- unit tests ----

def test_parse_ids():
    eq(score.parse_ids("001-003"), ["001", "002", "003"], "parse_ids range")
    eq(score.parse_ids("7,1-2, 30"), ["001", "002", "007", "030"], "parse_ids list")
    for bad in ("a", "5-3", "0", "1-"):
        try:
            score.parse_ids(bad)
            ok(False, "parse_ids(%r) should fail" % bad)
        except score.UsageError:
            ok(True, "")


def test_align():
    def r(s, e):
        return {"start": s, "end": e}
    pairs, ug, up = score.align([r(0, 10)], [r(5, 12), r(0, 9)])
    eq((pairs, ug, up), ([(0, 1)], [], [0]), "largest overlap wins")
    pairs, ug, up = score.align([r(10, 20)], [r(8, 14), r(16, 22)])
    eq(pairs, [(0, 0)], "equal overlap: smaller start distance wins")
    pairs, ug, up = score.align([r(10, 20)], [r(2, 14), r(16, 25)])
    eq(pairs, [(0, 1)], "equal overlap: start distance beats text order")
    pairs, ug, up = score.align([r(0, 10), r(12, 20)], [r(0, 19)])
    eq((pairs, ug, up), ([(0, 0)], [1], []), "one prediction over two gold: one-to-one")
    pairs, ug, up = score.align([r(0, 10)], [r(10, 20)])
    eq((pairs, ug, up), ([], [0], [0]), "touching spans do not match")
    pairs, ug, up = score.align([r(0, 10), r(20, 30)], [r(22, 28), r(2, 9)])
    eq(sorted(pairs), [(0, 1), (1, 0)], "alignment independent of prediction order")


def test_prf():
    eq(score.prf(0, 0, 0), (None, None, 1.0), "empty metric is vacuously perfect")
    eq(score.prf(0, 0, 3)[2], 0.0, "nothing predicted: F1 0")
    p, r, f = score.prf(3, 1, 2)
    ok(abs(p - 0.75) < 1e-12 and abs(r - 0.6) < 1e-12 and abs(f - 2 * 3 / (6 + 3)) < 1e-12,
       "prf(3,1,2)")


def test_check_targets():
    """Each F1 floor is inclusive, and one more error below it is a miss."""
    def res_with(name, tp, fp, fn):
        metrics = []
        for n, _ in score.TARGETS:
            m = score.Metric(n, n)
            m.tp = 10
            if n == name:
                m.tp, m.fp, m.fn = tp, fp, fn
            metrics.append(m)
        return {"metrics": metrics, "trap_hits": []}
    at_floor = {"keys": (49, 1, 1), "dates": (19, 1, 1), "issuer_bodies": (9, 1, 1),
                "relations": (17, 3, 3)}
    eq(sorted(at_floor), sorted(n for n, _ in score.TARGETS), "every target has a case")
    for name, (tp, fp, fn) in at_floor.items():
        eq(score.check_targets(res_with(name, tp, fp, fn), False), [],
           "%s at its floor is met" % name)
        eq(score.check_targets(res_with(name, tp, fp + 1, fn), False), [name.replace("_", " ")],
           "%s below its floor is missed" % name)
    eq(score.check_targets(res_with("keys", 1, 0, 0), True), ["extractor errors"],
       "extractor errors miss the targets")


def test_normalize_body():
    same = [
        ("UBND TP Hà Nội", "Ủy ban nhân dân thành phố Hà Nội"),
        ("HĐND TP", "Hội đồng nhân dân Thành phố"),
        ("UBND Thành phố", "Ủy ban nhân dân thành phố"),
        ("Ban Chấp hành Trung ương đảng khóa XIII", "Ban Chấp hành Trung ương Đảng"),
        ("Ban Chấp hành Trung ương khóa XII", "Ban Chấp hành Trung ương"),
        ("Bộ Chính trị (Khóa XI)", "Bộ Chính trị"),
        ("Hội nghị lần thứ sáu (lần 2) BCHTW Đảng (khóa VIII)",
         "Hội nghị lần thứ sáu (lần 2) Ban Chấp hành Trung ương Đảng"),
        ("Hội nghị lần thứ 6 (lần 2) BCHTW Đảng (khoá VIII)",
         "Hội nghị lần thứ 6 (lần 2) Ban Chấp hành Trung ương"),
        ("BCH TW", "Ban Chấp hành Trung ương"),
        ("BCH Trung ương Đảng", "Ban Chấp hành Trung ương"),
        ("Ủy ban TƯ Mặt trận", "Ủy ban Trung ương Mặt trận"),
        ("Ủy ban T.Ư Mặt trận", "uỷ ban trung ương mặt trận"),
        ("Bộ GD-ĐT", "Bộ Giáo dục và Đào tạo"),
        ("Bộ GD&ĐT", "Bộ Giáo dục và Đào tạo"),
        ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
        ("Thành uỷ", "Thành ủy"),
        ("Ban Chỉ đạo hoà giải", "Ban Chỉ đạo hòa giải"),
        ("Bộ Chính trị  khoá 12", "Bộ Chính trị"),
        ("  “Bộ Tài chính”, ", "Bộ Tài chính"),
        ("Bộ\nTài   chính", "Bộ Tài chính"),
        ("Chi\u0301nh phu\u0309", "Chính phủ"),            # NFD input
        ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
    ]
    for a, b in same:
        ok(score.normalize_body(a) == score.normalize_body(b),
           "bodies should compare equal: %r ~ %r (%r vs %r)"
           % (a, b, score.normalize_body(a), score.normalize_body(b)))
    differ = [
        ("Ủy ban Pháp luật và Tư pháp", "Ủy ban Pháp luật và Trung ương pháp"),
        ("Bộ Tài chính", "Bộ Công Thương"),
        ("Thành ủy", "Tỉnh ủy"),
        ("Bộ Chính trị", "Ban Bí thư"),
        ("Chính phủ", "Thủ tướng Chính phủ"),
        ("Bộ Chính trị, Ban Bí thư", "Bộ Chính trị"),
    ]
    for a, b in differ:
        ok(score.normalize_body(a) != score.normalize_body(b),
           "bodies should differ: %r vs %r" % (a, b))
    ok(score.exact_body("UBND TP Hà Nội") != score.exact_body("Ủy ban nhân dân thành phố Hà Nội"),
       "exact comparison keeps abbreviations apart")
    eq(score.exact_body("Bộ\n Tài  chính"), "Bộ Tài chính", "exact collapses whitespace")


# ------------------------------------------------- corpus-level tests ----

def test_perfect(gold, traps, base):
    rc, text, doc = run(base, ["--check"])
    eq(rc, 0, "perfect predictions: --check exit")
    ids = sorted({g["id"] for g in gold} | {t["id"] for t in traps})
    eq(doc["ids"], ["%03d" % i for i in range(int(ids[0]), int(ids[-1]) + 1)],
       "default ids cover the whole annotated range")
    for name, m in doc["metrics"].items():
        eq((m["f1"], m["fp"], m["fn"]), (1.0, 0, 0), "perfect predictions: %s" % name)
    for field, a in doc["attributes"].items():
        eq(a["accuracy"], 1.0, "perfect predictions: %s accuracy" % field)
    eq(doc["traps"]["hit"], 0, "perfect predictions: traps hit")
    eq(doc["traps"]["total"], len(traps), "traps counted")
    eq(doc["targets"], {"met": True, "missed": [], "floors": dict(score.TARGETS), "traps_max": 0},
       "perfect predictions: targets")
    eq(doc["inconsistent_records"], 0, "gold-made predictions are consistent with the texts")
    eq(doc["problems"], [], "no problems reported")
    eq(counts(doc, "references")[0], len(gold), "references TP = gold size")
    eq(counts(doc, "keys")[0], sum(1 for g in gold if g["key"]), "keys TP")
    eq(counts(doc, "dates")[0], sum(1 for g in gold if g["date"]), "dates TP")
    eq(counts(doc, "issuer_bodies")[0], sum(1 for g in gold if g["issuer_body"]), "bodies TP")
    eq(counts(doc, "relations")[0], sum(len(g["relations"]) for g in gold), "relations TP")
    eq(counts(doc, "short_forms")[0], sum(1 for g in gold if g["short_form"]), "short forms TP")
    eq(counts(doc, "short_form_resolution")[0],
       sum(1 for g in gold if g["short_form"] and g["resolves_to"]), "resolution TP")
    rc, text, _ = run(base, ["--check"], as_json=False)
    ok(text.rstrip().endswith("targets: met"), "table ends with 'targets: met'")
    for label in ("references", "keys", "short-form resolution", "issuer bodies (exact)",
                  "relations", "doc_type", "traps hit: 0 of %d" % len(traps)):
        ok(label in text, "table mentions %r" % label)
    ok('"reviews" and "cites"' in text, "table says reviews/cites are not scored")
    # Prediction order in the file must not matter.
    rc, _, doc2 = run(list(reversed(base)), ["--check"])
    eq((rc, doc2["metrics"]), (0, doc["metrics"]), "reversed prediction order scores the same")


def test_drop(base, full):
    preds = copy.deepcopy(base)
    i = find(preds, "001", "165/KH-UBND")       # header: key, date, 2 relations, no body
    del preds[i]
    rc, text, doc = run(preds)
    eq(counts(doc, "references"), (full["references"][0] - 1, 0, 1), "drop: references")
    eq(counts(doc, "keys"), (full["keys"][0] - 1, 0, 1), "drop: keys")
    eq(counts(doc, "dates"), (full["dates"][0] - 1, 0, 1), "drop: dates")
    eq(counts(doc, "relations"), (full["relations"][0] - 2, 0, 2), "drop: relations FN")
    eq(counts(doc, "issuer_bodies"), full["issuer_bodies"], "drop: bodies unchanged")
    eq(doc["metrics"]["references"]["precision"], 1.0, "drop: precision stays 1")
    rc, text, _ = run(preds, ["--verbose"], as_json=False)
    ok('missed   001 175-186 "165/KH-UBND"' in text, "verbose lists the dropped reference")
    ok("implements -> 27/CT-TTg  (mention not matched)" in text,
       "verbose lists the dropped relations")


def test_key(base, full):
    preds = copy.deepcopy(base)
    i = find(preds, "001", "CHỈ THỊ SỐ 27/CT-TTG")
    preds[i]["key"] = "27/CT-TTG"
    rc, text, doc = run(preds, ["--check"])
    k = full["keys"][0]
    eq(counts(doc, "keys"), (k - 1, 1, 1), "wrong key: keys")
    eq(counts(doc, "references"), full["references"], "wrong key: references unchanged")
    ok(abs(doc["metrics"]["keys"]["f1"] - (2 * (k - 1)) / (2 * (k - 1) + 2)) < 1e-12,
       "wrong key: F1 value")
    eq(rc, 0, "one wrong key keeps the keys target")
    rc, text, _ = run(preds, ["--verbose"], as_json=False)
    ok('wrong    001 275-301 "CHỈ THỊ SỐ 27/CT-TTG"  gold "27/CT-TTg"  pred "27/CT-TTG"' in text,
       "verbose shows gold vs predicted key")
    # Three wrong keys push F1 under 0.98.
    for surface, nth in (("Chỉ thị số 27/CT-TTg", 0), ("Chỉ thị số 27/CT-TTg", 1)):
        preds[find(preds, "001", surface, nth)]["key"] = "27/CT-UBND"
    rc, text, doc = run(preds, ["--check"])
    eq(counts(doc, "keys"), (k - 3, 3, 3), "three wrong keys")
    eq((rc, doc["targets"]["missed"]), (1, ["keys"]), "three wrong keys miss the keys target")


def test_date(base, full):
    preds = copy.deepcopy(base)
    i = find(preds, "001", "Công văn số 6676/BYT-CDS")
    preds[i]["date"] = "2024-10-30"
    j = find(preds, "001", "Chỉ thị số 27/CT-TTg", 1)   # gold date null
    preds[j]["date"] = "2024-08-15"
    rc, text, doc = run(preds)
    eq(counts(doc, "dates"), (full["dates"][0] - 1, 2, 1), "dates: one wrong, one spurious")
    eq(counts(doc, "keys"), full["keys"], "dates: keys unchanged")


def test_trap(base, full, traps):
    t = next(t for t in traps if t["id"] == "002")
    preds = copy.deepcopy(base)
    preds.append(pred_over("002", t["start"], t["end"] - 1, date="2017-02-06",
                           relations=[{"type": "implements", "target": "1/QĐ-TTg"}]))
    rc, text, doc = run(preds, ["--check"])
    eq(rc, 1, "trap hit: --check fails")
    eq(doc["traps"]["hit"], 1, "trap hit counted")
    eq(doc["targets"]["missed"], ["traps"], "trap hit: only the traps target missed")
    eq(counts(doc, "references"), (full["references"][0], 1, 0), "trap ref is a FP")
    eq(counts(doc, "keys"), (full["keys"][0], 1, 0), "trap ref key is a FP")
    eq(counts(doc, "dates"), (full["dates"][0], 1, 0), "trap ref date is a FP")
    eq(counts(doc, "relations"), (full["relations"][0], 1, 0), "unmatched pred relation is a FP")
    ok(doc["traps"]["hits"][:1] and doc["traps"]["hits"][0]["trap"]["start"] == t["start"],
       "hit names the trap")
    rc, text, _ = run(preds, [], as_json=False)
    ok("traps hit: 1 of" in text and t["why"] in text, "table prints the trap hit")
    ok(text.rstrip().endswith("targets: missed (traps)"), "closing line names traps")


def test_bodies(base, full):
    preds = copy.deepcopy(base)
    canon = 0
    for p in preds:
        b = p["issuer_body"]
        new = {"UBND TP Hà Nội": "Ủy ban nhân dân thành phố Hà Nội",
               "THỦ TƯỚNG CHÍNH PHỦ": "Thủ tướng Chính phủ",
               "Ban Chấp hành Trung ương đảng khóa XIII": "Ban Chấp hành Trung ương Đảng",
               "Bộ Chính trị (Khóa XI)": "Bộ Chính trị",
               "HĐND TP": "Hội đồng nhân dân Thành phố"}.get(b)
        if new:
            p["issuer_body"] = new
            canon += 1
    ok(canon >= 5, "bodies fixture found (%d)" % canon)
    rc, text, doc = run(preds)
    eq(counts(doc, "issuer_bodies"), full["issuer_bodies"], "canonical spelling scores as correct")
    b = full["issuer_bodies_exact"][0]
    eq(counts(doc, "issuer_bodies_exact"), (b - canon, canon, canon), "exact line counts them")
    preds[find(preds, "001", "Công văn số 6676/BYT-CDS")]["issuer_body"] = "Bộ Công Thương"
    rc, text, doc = run(preds)
    eq(counts(doc, "issuer_bodies"), (full["issuer_bodies"][0] - 1, 1, 1), "wrong body")


def test_span(base, full):
    preds = copy.deepcopy(base)
    i = find(preds, "001", "Chỉ thị số 27/CT-TTg")
    p = preds[i]
    p["start"] += len("Chỉ thị ".encode())
    p["surface"] = text_of("001")[p["start"]:p["end"]].decode()
    rc, text, doc = run(preds)
    eq(counts(doc, "references"), full["references"], "shorter span still matches")
    n = full["references"][0]
    eq(counts(doc, "references_exact_span"), (n - 1, 1, 1), "exact span counts the shift")
    eq(counts(doc, "keys"), full["keys"], "shifted span keeps its key")
    eq(doc["inconsistent_records"], 0, "shifted span with its own surface is consistent")
    preds[i]["surface"] = "xyz"
    rc, text, doc = run(preds)
    eq(doc["inconsistent_records"], 1, "wrong surface reported as inconsistent")


def test_relations(base, full):
    preds = copy.deepcopy(base)
    i = find(preds, "021", "310/KH-UBND")
    preds[i]["relations"] += [{"type": "reviews", "target": "57-NQ/TW"},
                              {"type": "cites", "target": "3/NQ-CP"}]
    rc, text, doc = run(preds)
    eq(counts(doc, "relations"), full["relations"], "reviews/cites are not scored")
    eq(doc["excluded_relations"], 2, "excluded relations counted")
    preds[i]["relations"].append({"type": "implements", "target": "999/QĐ-TTg"})
    del preds[i]["relations"][0]
    rc, text, doc = run(preds)
    r = full["relations"][0]
    eq(counts(doc, "relations"), (r - 1, 1, 1), "one relation swapped")
    eq(counts(doc, "relations:implements"), (full["relations:implements"][0] - 1, 1, 1),
       "per-type line moves too")
    eq(counts(doc, "relations:based_on"), full["relations:based_on"], "other types unchanged")
    preds[i]["relations"][0]["type"] = "based_on"
    rc, text, doc = run(preds)
    eq(counts(doc, "relations"), (r - 2, 2, 2), "wrong relation type is FP + FN")


def test_short_forms(base, full):
    preds = copy.deepcopy(base)
    i = find(preds, "024", "Quyết định này")
    preds[i]["resolves_to"] = "2913/QĐ-TTg"
    rc, text, doc = run(preds)
    s = full["short_form_resolution"][0]
    eq(counts(doc, "short_form_resolution"), (s - 1, 1, 1), "wrong resolution")
    eq(counts(doc, "short_forms"), full["short_forms"], "short form still found")
    preds[i]["short_form"] = False
    preds[i]["key"] = "2913/QĐ-UBND"
    rc, text, doc = run(preds)
    eq(counts(doc, "short_forms"), (full["short_forms"][0] - 1, 0, 1), "short form not flagged")
    eq(counts(doc, "short_form_resolution"), (s - 1, 0, 1), "unflagged short form: resolution FN")
    eq(counts(doc, "keys"), (full["keys"][0], 1, 0), "a key on a short form is a FP")
    j = find(preds, "008", "Quy định này")       # gold resolves_to null
    preds[j]["resolves_to"] = "1-QĐ/TW"
    rc, text, doc = run(preds)
    eq(counts(doc, "short_form_resolution"), (s - 1, 1, 1), "resolution where gold has none: FP")


def test_attributes(base, full):
    preds = copy.deepcopy(base)
    i = find(preds, "020", "Nghị định số 39-NQ/TW")
    preds[i]["doc_type"] = "Nghị quyết"
    preds[i]["year"] = 2014
    rc, text, doc = run(preds)
    a = doc["attributes"]
    n = a["doc_type"]["matched"]
    eq((a["doc_type"]["correct"], a["year"]["correct"], a["family"]["correct"]), (n - 1, n - 1, n),
       "attribute accuracy counts mismatches")


def test_ids(base, gold):
    rc, text, doc = run(base, ["--ids", "1-3"])
    eq(doc["ids"], ["001", "002", "003"], "--ids restricts passages")
    eq(doc["gold"], sum(1 for g in gold if g["id"] in ("001", "002", "003")), "--ids gold count")
    eq(doc["predicted"], doc["gold"], "--ids drops predictions of other passages")
    rc, text, doc = run(base, ["--ids", "002"])
    eq((rc, doc["gold"], doc["predicted"], doc["metrics"]["keys"]["f1"]), (0, 0, 0, 1.0),
       "passage without references scores vacuously perfect")
    rc, text, doc = run(base, ["--ids", "031"])
    eq(rc, 2, "ids outside the annotated range are a usage error")


def make_fake_bin(name, body):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write("#!%s\n%s" % (sys.executable, body))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


FAKE_BIN = r'''import json, os, sys
assert sys.argv[1] == "extract", sys.argv
want = sys.argv[2]
assert os.path.isfile(want), want
for line in open(%r, encoding="utf-8"):
    rec = json.loads(line)
    if rec["file"] == want:
        rec["file"] = want
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
if want.endswith(%r):
    sys.stdout.write("not json\n")
    sys.exit(3)
'''


def test_binary(base):
    src = write_jsonl(base, "fake_source.jsonl")
    good = make_fake_bin("vbgraph_good", FAKE_BIN % (src, "no-such-file"))
    rc, text, doc = run(None, ["--vbgraph", good, "--check"])
    eq(rc, 0, "fake binary: --check passes")
    ok(doc and all(m["f1"] == 1.0 for m in doc["metrics"].values()), "fake binary: all F1 = 1")
    bad = make_fake_bin("vbgraph_bad", FAKE_BIN % (src, "005.txt"))
    rc, text, doc = run(None, ["--vbgraph", bad, "--check"])
    eq(rc, 1, "crashing binary: --check fails")
    eq(doc["targets"]["missed"], ["extractor errors"], "crashing binary named in missed targets")
    ok(any("005.txt" in p and "exit status 3" in p for p in doc["problems"]),
       "crash reported with the passage")
    ok(any("not JSON" in p for p in doc["problems"]), "garbage output reported")
    # Real process: exit codes as ctest sees them.
    cp = subprocess.run([sys.executable, SCORE_PY, "--corpus", CORPUS, "--vbgraph",
                         os.path.join(TMP, "no-such-binary")], capture_output=True)
    eq(cp.returncode, 2, "missing binary: exit 2")
    cp = subprocess.run([sys.executable, SCORE_PY, "--corpus", os.path.join(TMP, "no-corpus"),
                         "--pred", src], capture_output=True)
    eq(cp.returncode, 77, "missing corpus: exit 77")
    cp = subprocess.run([sys.executable, SCORE_PY, "--corpus", CORPUS, "--pred", src, "--check"],
                        capture_output=True)
    eq((cp.returncode, cp.stdout.decode().rstrip().splitlines()[-1]), (0, "targets: met"),
       "subprocess run with --pred")


def main():
    if not os.path.isfile(os.path.join(CORPUS, "gold-dev.jsonl")):
        print("corpus not found at %s; skipping" % CORPUS)
        return 77
    gold, traps = load_gold()
    base = [to_pred(g) for g in gold]
    test_parse_ids()
    test_align()
    test_prf()
    test_check_targets()
    test_normalize_body()
    rc, _, doc = run(base)
    full = {name: (m["tp"], m["fp"], m["fn"]) for name, m in doc["metrics"].items()}
    test_perfect(gold, traps, base)
    test_drop(base, full)
    test_key(base, full)
    test_date(base, full)
    test_trap(base, full, traps)
    test_bodies(base, full)
    test_span(base, full)
    test_relations(base, full)
    test_short_forms(base, full)
    test_attributes(base, full)
    test_ids(base, gold)
    test_binary(base)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
