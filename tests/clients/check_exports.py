#!/usr/bin/python3
"""Read vbgraph's graph exports with the real clients and compare them.

    check_exports.py DIR
        DIR holds graph.graphml, graph.dot, graph.json, graph.nodes.csv and
        graph.edges.csv, written by `vbgraph build` from the same inputs.

    check_exports.py --vbgraph BIN [--work DIR] INPUT...
        Build those files first, twice: from the INPUT texts copied under a
        hostile file name, and from their `vbgraph extract` JSON Lines with
        hostile values put in (a 10 kB title, quotes, <, &, braces,
        newlines, backslashes, control characters), then check both.

The node-link JSON is the reference (it carries nulls and types exactly);
it is itself read by networkx.node_link_graph.  Then:
  GraphML  networkx.read_graphml and python-igraph Graph.Read_GraphML, and
           the XML itself: every <key> has for= and attr.name, no attribute
           is called "id", "number" is a string.
  DOT      `dot -Tsvg` parses it and writes XML; pygraphviz (through
           networkx.nx_agraph) reads names and attributes back.
  CSV      the csv module and, when installed, pandas; the neo4j-admin
           import header rules.
Node and edge counts, ids, and every attribute must agree across formats,
after each format's documented representation (docs/formats.md): GraphML
writes unknown strings as "" and characters XML cannot hold as U+FFFD; DOT
strings are escStrings, control characters drawn as control pictures.

Run it with Debian's python3 (/usr/bin/python3), where python3-networkx,
python3-igraph, python3-pygraphviz and python3-pandas live.  Output ends
with "N passed, N failed"; the exit status is 0 when nothing failed.
"""

import argparse
import csv
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NODE_STR = ["kind", "label", "key", "doc_type", "type_code", "number",
            "issuer_code", "date", "term", "title", "level", "file"]
NODE_INT = ["year", "mentions"]
NODE_ATTRS = ["id", "kind", "label", "key", "doc_type", "type_code", "number",
              "year", "issuer_code", "date", "term", "title", "mentions",
              "ambiguous", "level", "file"]
EDGE_STR = ["relation", "evidence", "file", "cue"]
EDGE_INT = ["weight", "start", "end", "line"]
LINK_ATTRS = ["source", "target", "key", "relation", "weight", "evidence",
              "file", "start", "end", "line", "cue"]
NODES_HEADER = ["id:ID", ":LABEL", "kind", "label", "key", "doc_type",
                "type_code", "number", "year:int", "issuer_code", "date",
                "term", "title", "mentions:long", "ambiguous:boolean", "level",
                "file"]
EDGES_HEADER = [":START_ID", ":END_ID", ":TYPE", "relation", "weight:long",
                "evidence", "file", "start:long", "end:long", "line:long",
                "cue"]
NEO4J_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short",
               "char", "string", "point", "date", "localtime", "time",
               "localdatetime", "datetime", "duration"}
LABELS = {"document": "Document", "body": "Body", "article": "Article"}

# ----------------------------------------------------------------------
# Counting
# ----------------------------------------------------------------------

PASSED = 0
FAILED = 0


def check(ok, what, detail=None):
    """Count one check; print what failed (and why)."""
    global PASSED, FAILED
    if ok:
        PASSED += 1
    else:
        FAILED += 1
        print("FAIL: %s%s" % (what, (": " + detail) if detail else ""))
    return ok


def short(value, n=100):
    text = repr(value)
    return text if len(text) <= n else text[:n] + "...(%d chars)" % len(text)


def same_lists(got, want, what):
    """Equal lists (of tuples); print the first differences."""
    if got == want:
        return check(True, what)
    extra = [x for x in got if x not in want][:2]
    missing = [x for x in want if x not in got][:2]
    return check(False, what, "%d vs %d items; unexpected %s; missing %s"
                 % (len(got), len(want), short(extra, 300),
                    short(missing, 300)))


def importable(name):
    try:
        return __import__(name)
    except ImportError:
        return None


# ----------------------------------------------------------------------
# What each format does to a value (docs/formats.md)
# ----------------------------------------------------------------------

def xml_safe(s):
    """A string as it comes back from GraphML: characters XML 1.0 forbids
    are U+FFFD; CR survives, written as &#13; (a raw one would come back
    as LF: XML's end-of-line handling)."""
    def ok(c):
        o = ord(c)
        return (o in (9, 10, 13) or 0x20 <= o <= 0xD7FF
                or 0xE000 <= o <= 0xFFFD or o >= 0x10000)
    return "".join(c if ok(c) else "\ufffd" for c in s)


def drawn(s):
    """A string as the DOT export writes what Graphviz draws."""
    out = []
    for c in s:
        o = ord(c)
        if c in "\t\n\r":
            out.append(c)
        elif o < 0x20:
            out.append(chr(0x2400 + o))
        elif o == 0x7F:
            out.append("\u2421")
        elif o in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(c)
    return "".join(out)


def dot_unescape(s):
    """Undo the DOT export's escString escapes: \\\\ \\n \\r."""
    return re.sub(r"\\([\\nr])",
                  lambda m: {"\\": "\\", "n": "\n", "r": "\r"}[m.group(1)], s)


def is_missing_number(v):
    return v is None or v == "" or (isinstance(v, float) and math.isnan(v))


# ----------------------------------------------------------------------
# JSON: the reference
# ----------------------------------------------------------------------

def node_link_graph(nx, data):
    """networkx.node_link_graph, telling networkx >= 3.4 the key is links."""
    import inspect
    params = inspect.signature(nx.node_link_graph).parameters
    kwargs = {"edges": "links"} if "edges" in params else {}
    return nx.node_link_graph(data, directed=True, multigraph=True, **kwargs)


def load_reference(path, nx):
    with open(path, "rb") as f:
        raw = f.read()

    duplicated = []

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            duplicated.append(keys)
        return dict(pairs)

    data = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates)
    check(not duplicated, "JSON: no duplicate keys in an object", short(duplicated))
    check(data.get("directed") is True and data.get("multigraph") is True,
          "JSON: directed multigraph")
    check("links" in data and "edges" not in data, 'JSON: edges under "links"')
    nodes, links = data["nodes"], data["links"]
    check(all(list(n) == NODE_ATTRS for n in nodes),
          "JSON: every node has every attribute, in order")
    check(all(list(e) == LINK_ATTRS for e in links),
          "JSON: every link has every attribute, in order")
    check(all(isinstance(n["number"], (str, type(None))) for n in nodes),
          "JSON: number is a string")
    check(all(isinstance(n[a], (int, type(None))) and not isinstance(n[a], bool)
              for n in nodes for a in NODE_INT), "JSON: year, mentions are numbers")
    check(all((n["kind"] == "document") == isinstance(n["ambiguous"], bool)
              for n in nodes), "JSON: ambiguous is a boolean on documents only")
    ids = [n["id"] for n in nodes]
    check(len(ids) == len(set(ids)), "JSON: node ids are unique")
    pair_keys = [(e["source"], e["target"], e["key"]) for e in links]
    check(len(pair_keys) == len(set(pair_keys)), "JSON: link keys unique per pair")
    check(all(e["source"] in set(ids) and e["target"] in set(ids) for e in links),
          "JSON: links join existing nodes")
    if nx:
        g = node_link_graph(nx, data)
        check(g.is_directed() and g.is_multigraph(),
              "networkx node_link_graph: a MultiDiGraph")
        check(g.number_of_nodes() == len(nodes) and g.number_of_edges() == len(links),
              "networkx node_link_graph: node and edge counts",
              "%d/%d vs %d/%d" % (g.number_of_nodes(), g.number_of_edges(),
                                  len(nodes), len(links)))
        n0 = nodes[0] if nodes else None
        if n0:
            check(g.nodes[n0["id"]].get("title") == n0["title"],
                  "networkx node_link_graph: node attributes")
    return nodes, links


def edge_tuple(src, dst, get):
    """(source, target, relation, ...) with numbers as int or None."""
    out = [src, dst]
    for a in EDGE_STR + EDGE_INT:
        v = get(a)
        if a in EDGE_INT:
            v = None if is_missing_number(v) else int(float(v))
        out.append(v)
    return tuple(out)


def ref_edges(nodes, links, strfix=lambda s: s, idfix=lambda s: s,
              empty=None):
    """The reference edges, strings passed through a format's rules."""
    out = []
    for e in links:
        def get(a, e=e):
            v = e[a]
            if a in EDGE_STR:
                return strfix(v) if v is not None else empty
            return v
        out.append(edge_tuple(idfix(e["source"]), idfix(e["target"]), get))
    return sorted(out, key=repr)


# ----------------------------------------------------------------------
# GraphML
# ----------------------------------------------------------------------

GML = "{http://graphml.graphdrawing.org/xmlns}"


def check_graphml_xml(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        check(False, "GraphML: well-formed XML", str(e))
        return
    check(True, "GraphML: well-formed XML")
    keys = root.findall(GML + "key")
    bad = [k.attrib for k in keys
           if k.get("for") not in ("node", "edge", "graph", "all")
           or not k.get("attr.name") or not k.get("id")
           or k.get("attr.type") not in ("boolean", "int", "long", "float",
                                         "double", "string")]
    check(keys and not bad, "GraphML: every <key> has id, for=, attr.name, attr.type",
          short(bad, 300))
    ids = [k.get("id") for k in keys]
    check(len(ids) == len(set(ids)), "GraphML: key ids are unique")
    check(all(k.get("attr.name") != "id" for k in keys),
          'GraphML: no attribute named "id" (clashes with GraphML\'s own)')
    names = {(k.get("for"), k.get("attr.name")): k for k in keys}
    number = names.get(("node", "number"))
    check(number is not None and number.get("attr.type") == "string",
          'GraphML: "number" is typed string')
    check(("node", "name") in names, 'GraphML: node ids in a "name" attribute')
    for dom, attrs in (("node", NODE_STR + NODE_INT + ["ambiguous"]),
                       ("edge", EDGE_STR + EDGE_INT)):
        missing = [a for a in attrs if (dom, a) not in names]
        check(not missing, "GraphML: every %s attribute declared" % dom, short(missing))
    domain = {k.get("id"): k.get("for") for k in keys}
    undeclared = set()
    for tag in ("node", "edge"):
        for el in root.iter(GML + tag):
            for d in el.findall(GML + "data"):
                if domain.get(d.get("key")) not in (tag, "all"):
                    undeclared.add(d.get("key"))
    check(not undeclared, "GraphML: every <data> uses a key declared for it",
          short(sorted(undeclared)))


def graphml_node_expect(n):
    """A reference node as GraphML carries it."""
    exp = {a: xml_safe(n[a]) if n[a] is not None else "" for a in NODE_STR}
    for a in NODE_INT:
        exp[a] = n[a]
    exp["ambiguous"] = n["ambiguous"]
    return exp


def graphml_node_got(attrs):
    got = {a: attrs.get(a) if attrs.get(a) is not None else "" for a in NODE_STR}
    for a in NODE_INT:
        v = attrs.get(a)
        got[a] = None if is_missing_number(v) else int(float(v))
    got["ambiguous"] = attrs.get("ambiguous")
    return got


def compare_nodes(fmt, expect, got):
    """expect, got: {id: {attr: value}}; ambiguous only on documents."""
    same_lists(sorted(got), sorted(expect), fmt + ": the same node ids")
    diffs = []
    for nid in sorted(set(expect) & set(got)):
        e, g = expect[nid], got[nid]
        for a in e:
            if a == "ambiguous" and e.get("kind") != "document":
                continue
            if e[a] != g.get(a):
                diffs.append("%s.%s: %s != %s" % (short(nid, 40), a,
                                                  short(g.get(a)), short(e[a])))
    check(not diffs, fmt + ": node attributes round-trip",
          "; ".join(diffs[:4]) + (" ..." if len(diffs) > 4 else ""))


def check_graphml(path, nodes, links, nx, ig):
    check_graphml_xml(path)
    expect = {xml_safe(n["id"]): graphml_node_expect(n) for n in nodes}
    want_edges = ref_edges(nodes, links, xml_safe, xml_safe, "")
    if nx:
        try:
            g = nx.read_graphml(path, force_multigraph=True)
        except Exception as e:  # any reader error is the finding
            check(False, "networkx read_graphml", repr(e))
            g = None
        if g is not None:
            check(g.is_directed(), "networkx read_graphml: directed")
            check(g.number_of_nodes() == len(nodes) and g.number_of_edges() == len(links),
                  "networkx read_graphml: node and edge counts",
                  "%d/%d vs %d/%d" % (g.number_of_nodes(), g.number_of_edges(),
                                      len(nodes), len(links)))
            name = {v: d.get("name") for v, d in g.nodes(data=True)}
            got = {name[v]: graphml_node_got(d) for v, d in g.nodes(data=True)}
            compare_nodes("networkx read_graphml", expect, got)
            numbers = [d.get("number") for _, d in g.nodes(data=True)
                       if d.get("kind") == "document"]
            check(all(isinstance(x, str) for x in numbers),
                  "networkx read_graphml: numbers are strings")
            edges = sorted((edge_tuple(name[u], name[v],
                                       lambda a, d=d: d.get(a, "" if a in EDGE_STR else None))
                            for u, v, d in g.edges(data=True)), key=repr)
            same_lists(edges, want_edges, "networkx read_graphml: edges and their attributes")
    if ig:
        try:
            h = ig.Graph.Read_GraphML(path)
        except Exception as e:
            check(False, "igraph Read_GraphML", repr(e))
            return
        check(h.is_directed(), "igraph Read_GraphML: directed")
        check(h.vcount() == len(nodes) and h.ecount() == len(links),
              "igraph Read_GraphML: vertex and edge counts",
              "%d/%d vs %d/%d" % (h.vcount(), h.ecount(), len(nodes), len(links)))
        vattrs = h.vs.attributes()
        check(all(a in vattrs for a in NODE_STR + NODE_INT + ["ambiguous", "name"]),
              "igraph Read_GraphML: every vertex attribute", short(vattrs))
        got = {v["name"]: graphml_node_got(v.attributes()) for v in h.vs}
        compare_nodes("igraph Read_GraphML", expect, got)
        names = h.vs["name"]
        edges = sorted((edge_tuple(names[e.source], names[e.target],
                                   lambda a, e=e: e.attributes().get(a))
                        for e in h.es), key=repr)
        same_lists(edges, want_edges, "igraph Read_GraphML: edges and their attributes")


# ----------------------------------------------------------------------
# DOT
# ----------------------------------------------------------------------

def check_dot(path, nodes, links, nx):
    dot = shutil.which("dot")
    if not check(dot is not None, "graphviz dot is installed"):
        return
    run = subprocess.run([dot, "-Tsvg", path], capture_output=True)
    err = run.stderr.decode("utf-8", "replace")
    check(run.returncode == 0 and "Error" not in err,
          "dot -Tsvg reads the DOT file", short(err, 300))
    check("Warning" not in err, "dot -Tsvg: no warnings", short(err, 300))
    try:
        svg = ET.fromstring(run.stdout)
    except ET.ParseError as e:
        check(False, "dot -Tsvg writes well-formed XML", str(e))
        svg = None
    if svg is not None:
        check(True, "dot -Tsvg writes well-formed XML")
        groups = [g.get("class") for g in svg.iter("{http://www.w3.org/2000/svg}g")]
        check(groups.count("node") == len(nodes) and groups.count("edge") == len(links),
              "dot -Tsvg draws every node and edge",
              "%d/%d vs %d/%d" % (groups.count("node"), groups.count("edge"),
                                  len(nodes), len(links)))
    if not (nx and importable("pygraphviz")):
        print("skip: pygraphviz not installed (python3-pygraphviz): DOT attributes not read back")
        return
    try:
        g = nx.nx_agraph.read_dot(path)
    except Exception as e:
        check(False, "pygraphviz reads the DOT file", repr(e))
        return
    check(g.is_directed() and g.is_multigraph(), "pygraphviz: a directed multigraph")
    check(g.number_of_nodes() == len(nodes) and g.number_of_edges() == len(links),
          "pygraphviz: node and edge counts",
          "%d/%d vs %d/%d" % (g.number_of_nodes(), g.number_of_edges(),
                              len(nodes), len(links)))
    # Attributes left at their declared default are not repeated per node.
    expect, got = {}, {}
    for n in nodes:
        exp = {a: (drawn(n[a]) if a == "label" else n[a]) or ""
               for a in NODE_STR}
        exp["label"] = drawn(n["label"] if n["label"] is not None else n["id"])
        for a in NODE_INT:
            exp[a] = "" if n[a] is None else str(n[a])
        exp["ambiguous"] = "" if n["ambiguous"] is None else str(n["ambiguous"]).lower()
        expect[drawn(n["id"])] = exp
    for v, d in g.nodes(data=True):
        got[dot_unescape(v)] = {a: dot_unescape(d.get(a, "")) for a in
                                NODE_STR + NODE_INT + ["ambiguous"]}
    compare_nodes("DOT via pygraphviz", expect, got)

    def dot_get(d):
        def get(a):
            v = dot_unescape(d.get(a, "1" if a == "weight" else ""))
            return v if a in EDGE_STR else (v or None)
        return get
    edges = sorted((edge_tuple(dot_unescape(u), dot_unescape(v), dot_get(d))
                    for u, v, d in g.edges(data=True)), key=repr)
    same_lists(edges, ref_edges(nodes, links, idfix=drawn, empty=""),
               "DOT via pygraphviz: edges and their attributes")
    check(all(d.get("relation") for _, _, d in g.edges(data=True)),
          "DOT: every edge has a relation")


# ----------------------------------------------------------------------
# CSV
# ----------------------------------------------------------------------

def neo4j_header(header, kind):
    """The rules of neo4j-admin import's CSV header."""
    names = [h.split(":", 1)[0] for h in header]
    types = [h.split(":", 1)[1] if ":" in h else "string" for h in header]
    special = {"ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE"}
    bad = [h for h, t in zip(header, types)
           if t not in special and t.rstrip("[]") not in NEO4J_TYPES]
    check(not bad, "%s.csv: header types are neo4j types" % kind, short(bad))
    props = [n for n, t in zip(names, types) if n and t not in ("LABEL", "TYPE")]
    check(len(props) == len(set(props)), "%s.csv: property names are unique" % kind)
    if kind == "nodes":
        check(types.count("ID") == 1 and types.count("LABEL") == 1,
              "nodes.csv: one :ID and one :LABEL column")
    else:
        check(all(types.count(t) == 1 for t in ("START_ID", "END_ID", "TYPE")),
              "edges.csv: :START_ID, :END_ID and :TYPE columns")
    return types


def read_csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        raw = f.read()
    check(not raw.startswith("\ufeff"), "%s: no byte-order mark" % os.path.basename(path))
    return list(csv.reader(io.StringIO(raw, newline="")))


def check_csv(nodes_path, edges_path, nodes, links, pd):
    nrows = read_csv_rows(nodes_path)
    erows = read_csv_rows(edges_path)
    check(nrows and nrows[0] == NODES_HEADER, "nodes.csv: header", short(nrows[:1], 300))
    check(erows and erows[0] == EDGES_HEADER, "edges.csv: header", short(erows[:1], 300))
    ntypes = neo4j_header(nrows[0], "nodes")
    etypes = neo4j_header(erows[0], "edges")
    check(all(len(r) == len(NODES_HEADER) for r in nrows) and
          all(len(r) == len(EDGES_HEADER) for r in erows),
          "CSV: every row as wide as its header")
    check(len(nrows) - 1 == len(nodes) and len(erows) - 1 == len(links),
          "CSV: node and edge counts",
          "%d/%d vs %d/%d" % (len(nrows) - 1, len(erows) - 1, len(nodes), len(links)))

    def typed_ok(rows, types):
        for r in rows[1:]:
            for v, t in zip(r, types):
                if v == "":
                    continue
                if t in ("int", "long") and not re.fullmatch(r"-?[0-9]+", v):
                    return False
                if t == "boolean" and v not in ("true", "false"):
                    return False
        return True
    check(typed_ok(nrows, ntypes) and typed_ok(erows, etypes),
          "CSV: typed columns hold numbers and true/false")
    ids = {r[0] for r in nrows[1:]}
    check(all(r[0] in ids and r[1] in ids for r in erows[1:]),
          "edges.csv: :START_ID and :END_ID name nodes of nodes.csv")
    check(all(re.fullmatch(r"[A-Z][A-Z0-9_]*", r[2]) for r in erows[1:]),
          "edges.csv: :TYPE is an upper-case identifier")
    check(all(r[2] == r[3].upper() for r in erows[1:]),
          "edges.csv: :TYPE is the relation upper-cased")

    expect, got = {}, {}
    for n in nodes:
        exp = {a: n[a] if n[a] is not None else "" for a in NODE_STR}
        for a in NODE_INT:
            exp[a] = "" if n[a] is None else str(n[a])
        exp["ambiguous"] = "" if n["ambiguous"] is None else str(n["ambiguous"]).lower()
        exp[":LABEL"] = LABELS.get(n["kind"])
        expect[n["id"]] = exp
    col = {h.split(":", 1)[0] or h: i for i, h in enumerate(NODES_HEADER)}
    col[":LABEL"] = 1
    for r in nrows[1:]:
        got[r[0]] = {a: r[col[a]] for a in NODE_STR + NODE_INT + ["ambiguous", ":LABEL"]}
    compare_nodes("nodes.csv", expect, got)
    ecol = [EDGES_HEADER.index(h) for h in
            ["relation", "evidence", "file", "cue", "weight:long", "start:long",
             "end:long", "line:long"]]
    edges = sorted((edge_tuple(r[0], r[1], lambda a, r=r: r[ecol[(EDGE_STR + EDGE_INT).index(a)]])
                    for r in erows[1:]), key=repr)
    same_lists(edges, ref_edges(nodes, links, empty=""), "edges.csv: edges and their attributes")

    if not pd:
        print("skip: pandas not installed (python3-pandas): CSV read by the csv module only")
        return
    for path, rows in ((nodes_path, nrows), (edges_path, erows)):
        name = os.path.basename(path)
        df = pd.read_csv(path)
        check(list(df.columns) == rows[0] and len(df) == len(rows) - 1,
              "pandas read_csv %s as is: columns and rows" % name)
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        check(df.values.tolist() == rows[1:],
              "pandas read_csv %s (dtype=str, keep_default_na=False): every value" % name)


# ----------------------------------------------------------------------
# One directory of exports
# ----------------------------------------------------------------------

def check_dir(d, nx, ig, pd):
    paths = {k: os.path.join(d, "graph." + k)
             for k in ("graphml", "dot", "json", "nodes.csv", "edges.csv")}
    have = {k: os.path.isfile(p) for k, p in paths.items()}
    check(all(have.values()), "%s: every export present" % d,
          short([paths[k] for k in paths if not have[k]]))
    if not have["json"]:
        return None  # the reference
    nodes, links = load_reference(paths["json"], nx)
    if have["graphml"]:
        check_graphml(paths["graphml"], nodes, links, nx, ig)
    if have["dot"]:
        check_dot(paths["dot"], nodes, links, nx)
    if have["nodes.csv"] and have["edges.csv"]:
        check_csv(paths["nodes.csv"], paths["edges.csv"], nodes, links, pd)
    return nodes, links


# ----------------------------------------------------------------------
# Building hostile exports with vbgraph
# ----------------------------------------------------------------------

HOSTILE_NAME = 'tin "mới" <1> & {2}, \\ x\n.txt'
HOSTILE_BODY = 'Hội đồng "Thẩm định" <Liên ngành> & {Tỉnh} \\'
HOSTILE_TITLE = "\"\n\"\r\n\\\nkết thúc \\"
CONTROL_TITLE = "điều khiển \x01\x07\x1f\x7f \u2028 tab\t\\"
BIG_TITLE = ("Về việc " + "nâng cao \"chất lượng\" <b> & {hiệu quả}, \\ công tác;\n" * 200)[:10240]


def build(vbgraph, inputs, out_dir, cwd, from_jsonl=False):
    shutil.rmtree(out_dir, ignore_errors=True)  # nothing left from a last run
    os.makedirs(out_dir)
    ok = True
    for fmt in ("graphml", "dot", "json", "csv"):
        cmd = [vbgraph, "build"] + (["--from-jsonl"] if from_jsonl else []) + \
            list(inputs) + ["-o", os.path.join(out_dir, "graph." + fmt)]
        run = subprocess.run(cmd, cwd=cwd, capture_output=True)
        ok &= check(run.returncode == 0, "vbgraph build -o graph.%s (%s)"
                    % (fmt, os.path.basename(out_dir)),
                    short(run.stderr.decode("utf-8", "replace"), 300))
    return ok


def hostile_shard(vbgraph, work):
    """JSON Lines of the copied inputs, with hostile values put in."""
    run = subprocess.run([vbgraph, "extract", "in"], cwd=work, capture_output=True)
    check(run.returncode == 0, "vbgraph extract of the inputs",
          short(run.stderr.decode("utf-8", "replace"), 300))
    refs = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    keys = []
    for r in refs:
        if r.get("key") and not r.get("short_form") and r["key"] not in keys:
            keys.append(r["key"])
    if not check(len(keys) >= 3, "the inputs name at least three documents"):
        return None
    # Every reference of a document says the same, whichever the builder keeps.
    for r in refs:
        if r.get("key") == keys[0]:
            r["title"] = BIG_TITLE
        elif r.get("key") == keys[1]:
            r["issuer_body"] = HOSTILE_BODY
            r["title"] = HOSTILE_TITLE
        elif r.get("key") == keys[2]:
            r["title"] = CONTROL_TITLE
    path = os.path.join(work, "shard.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for r in refs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def anchored(nodes, value, attr, what):
    """The hostile value reached the graph unchanged."""
    check(any(n[attr] == value for n in nodes), "hostile %s reaches the graph" % what)


def build_and_check(vbgraph, work, inputs, nx, ig, pd):
    src = os.path.join(work, "in")
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    for i, p in enumerate(inputs):
        base = os.path.basename(p.rstrip("/"))
        dst = os.path.join(src, HOSTILE_NAME if i == 0 else base)
        (shutil.copytree if os.path.isdir(p) else shutil.copyfile)(p, dst)

    # A failed format is reported by build(); the others are still checked.
    build(vbgraph, ["in"], os.path.join(work, "text"), work)
    got = check_dir(os.path.join(work, "text"), nx, ig, pd)
    if got:
        nodes = got[0]
        anchored(nodes, "in/" + HOSTILE_NAME, "file", "file name")
        check(any((n["number"] or "").startswith("0") for n in nodes),
              'a number with a leading zero ("04") is in the graph')
    shard = hostile_shard(vbgraph, work)
    if shard:
        build(vbgraph, ["shard.jsonl"], os.path.join(work, "shard"), work, from_jsonl=True)
        got = check_dir(os.path.join(work, "shard"), nx, ig, pd)
        if got:
            nodes = got[0]
            anchored(nodes, BIG_TITLE, "title", "10 kB title")
            anchored(nodes, HOSTILE_TITLE, "title", "title with quotes and newlines")
            anchored(nodes, CONTROL_TITLE, "title", "title with control characters")
            anchored(nodes, HOSTILE_BODY, "label", "body name")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", metavar="DIR|INPUT")
    ap.add_argument("--vbgraph", help="build the exports with this vbgraph")
    ap.add_argument("--work", help="scratch directory (default: a new temporary one)")
    args = ap.parse_args()

    nx = importable("networkx")
    ig = importable("igraph")
    pd = importable("pandas")
    check(nx is not None, "python3-networkx is installed")
    check(ig is not None, "python3-igraph is installed")
    if nx:
        print("networkx %s, igraph %s, pandas %s, python %s" % (
            nx.__version__, ig.__version__ if ig else "-",
            pd.__version__ if pd else "-", sys.version.split()[0]))

    if args.vbgraph:
        work = args.work or tempfile.mkdtemp(prefix="vbgraph-clients-")
        os.makedirs(work, exist_ok=True)
        build_and_check(args.vbgraph, work, args.paths, nx, ig, pd)
    else:
        for d in args.paths:
            check_dir(d, nx, ig, pd)
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 0 if FAILED == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
