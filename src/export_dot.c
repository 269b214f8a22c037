/*
 * export_dot.c - export stage: the graph as Graphviz DOT.
 *
 * The graph is rebuilt as a cgraph graph and written by agwrite(), so that
 * Graphviz does the quoting (nothing here prints DOT).  Node names are the
 * vertex ids; every vertex and edge attribute of DESIGN.md is a DOT
 * attribute of the same name, next to the presentation attributes (shape,
 * colours, line styles) that make `dot -Tsvg graph.dot` readable as is.
 *
 * Strings.  cgraph 2.43 quotes a string by escaping '"' and nothing else,
 * and its reader keeps "\\" as two characters and drops a backslash before a
 * newline: a value ending in a backslash gives a file no DOT reader accepts,
 * and newlines next to a quote get lost.  So every string, node names
 * included, is written as a Graphviz escString: a backslash as "\\", LF as
 * "\n", CR as "\r".  Graphviz draws those as the original text, and a reader
 * that undoes the three escapes gets the exact value back (docs/formats.md).
 * Invalid UTF-8 becomes U+FFFD (the file says charset="UTF-8").  In what
 * Graphviz draws into SVG (node names, label, tooltip) other control
 * characters become their Unicode control pictures (U+2400 + c), because
 * XML 1.0 cannot hold them; attributes that are not drawn keep them.
 */
#include <assert.h>
#include <graphviz/cgraph.h>
#include <stdio.h>
#include <string.h>

#include "graph.h"

/* ------------------------------------------------------------------ */
/* Attributes                                                          */
/* ------------------------------------------------------------------ */

typedef struct attr_decl {
  const char *name;
  const char *dflt;
} attr_decl;

/* Data attributes (DESIGN.md) first, then presentation; the index of each
 * in node_attrs[] (agwrite() itself writes them sorted by name). */
enum {
  NA_LABEL,
  NA_KIND,
  NA_KEY,
  NA_DOC_TYPE,
  NA_TYPE_CODE,
  NA_NUMBER,
  NA_YEAR,
  NA_ISSUER_CODE,
  NA_DATE,
  NA_TERM,
  NA_TITLE,
  NA_MENTIONS,
  NA_AMBIGUOUS,
  NA_LEVEL,
  NA_FILE,
  NA_SHAPE,
  NA_STYLE,
  NA_FILLCOLOR,
  NA_COLOR,
  NA_TOOLTIP,
  NA__COUNT
};

static const attr_decl node_attrs[NA__COUNT] = {{"label", "\\N"},
                                                {"kind", ""},
                                                {"key", ""},
                                                {"doc_type", ""},
                                                {"type_code", ""},
                                                {"number", ""},
                                                {"year", ""},
                                                {"issuer_code", ""},
                                                {"date", ""},
                                                {"term", ""},
                                                {"title", ""},
                                                {"mentions", ""},
                                                {"ambiguous", ""},
                                                {"level", ""},
                                                {"file", ""},
                                                {"shape", "box"},
                                                {"style", "rounded,filled"},
                                                {"fillcolor", "white"},
                                                {"color", "gray40"},
                                                {"tooltip", ""}};

enum {
  EA_RELATION,
  EA_WEIGHT,
  EA_EVIDENCE,
  EA_FILE,
  EA_START,
  EA_END,
  EA_LINE,
  EA_CUE,
  EA_LABEL,
  EA_COLOR,
  EA_FONTCOLOR,
  EA_STYLE,
  EA_PENWIDTH,
  EA_TOOLTIP,
  EA__COUNT
};

static const attr_decl edge_attrs[EA__COUNT] = {{"relation", ""},
                                                {"weight", "1"},
                                                {"evidence", ""},
                                                {"file", ""},
                                                {"start", ""},
                                                {"end", ""},
                                                {"line", ""},
                                                {"cue", ""},
                                                {"label", ""},
                                                {"color", "gray40"},
                                                {"fontcolor", "gray40"},
                                                {"style", "solid"},
                                                {"penwidth", "1"},
                                                {"tooltip", ""}};

/* A readable default: left to right, a font with Vietnamese glyphs. */
static const attr_decl graph_attrs[] = {
    {"charset", "UTF-8"},        {"rankdir", "LR"},
    {"fontname", "DejaVu Sans"}, {"nodesep", "0.25"},
    {"ranksep", "0.6"},          {"overlap", "false"},
    {"splines", "true"},         {"outputorder", "edgesfirst"}};

static const attr_decl font_attrs[][2] = {
    {{"fontname", "DejaVu Sans"}, {"fontsize", "10"}}, /* nodes */
    {{"fontname", "DejaVu Sans"}, {"fontsize", "8"}}}; /* edges */

/* ------------------------------------------------------------------ */
/* Presentation: colours by kind, line styles by relation              */
/* ------------------------------------------------------------------ */

typedef struct edge_look {
  const char *relation, *color, *style, *penwidth;
  int labelled; /* relations between documents are named on the arrow */
} edge_look;

static const edge_look edge_looks[] = {
    {"implements", "#2171b5", "bold", "2", 1},
    {"based_on", "#238b45", "dashed", "1.2", 1},
    {"amends", "#d94801", "solid", "1.5", 1},
    {"replaces", "#a50f15", "bold", "2", 1},
    {"guides", "#6a51a3", "solid", "1.5", 1},
    {"cites", "#525252", "dotted", "1", 1},
    {"reviews", "#b8860b", "dashed", "1.5", 1},
    {"mentions", "#bdbdbd", "solid", "1", 0},
    {"issued_by", "#969696", "solid", "1", 0}};

static const edge_look *look_of(const char *relation) {
  for (size_t i = 0; relation && i < VBG__ARRAY_LEN(edge_looks); i++)
    if (strcmp(edge_looks[i].relation, relation) == 0)
      return &edge_looks[i];
  return NULL;
}

/* The numbering family, read off the key's shape (DESIGN.md's table). */
static const char *document_fill(const vbg_vertex *v) {
  const char *key = v->key, *slash, *dash;
  if (!key)
    return "#f0f0f0";
  slash = strchr(key, '/');
  dash = strchr(key, '-');
  if (dash && slash && dash < slash)
    return "#fde0dd"; /* party: 25-NQ/TW */
  if (v->year || (slash && strchr(slash + 1, '/')))
    return "#e5f5e0"; /* legal: 30/2020/NĐ-CP */
  if (!v->type_code)
    return "#fff7bc"; /* letter: 123/UBND-VX */
  return "#deebf7";   /* state: 170/KH-UBND */
}

static const char *body_fill(const char *level) {
  static const char *const fills[][2] = {{"central", "#fcbba1"},
                                         {"ministry", "#fdd0a2"},
                                         {"provincial", "#fee391"},
                                         {"district", "#d9f0a3"},
                                         {"commune", "#c7e9c0"}};
  for (size_t i = 0; level && i < VBG__ARRAY_LEN(fills); i++)
    if (strcmp(fills[i][0], level) == 0)
      return fills[i][1];
  return "#e0e0e0";
}

/* ------------------------------------------------------------------ */
/* Strings                                                             */
/* ------------------------------------------------------------------ */

static int put_cp(vbg_buf *out, int32_t cp) {
  char enc[4];
  int n = vbg__utf8_encode(enc, cp);
  return vbg_buf_put(out, enc, (size_t)(n > 0 ? n : 0));
}

/* Append s as an escString (see the top of the file); `shown` when
 * Graphviz draws it into SVG. */
static int escape(vbg_buf *out, const char *s, int shown) {
  size_t len = strlen(s);
  int err = vbg_buf_put(out, "", 0); /* ptr is set even for "" */
  for (size_t i = 0; err == 0 && i < len;) {
    size_t n;
    int32_t cp = vbg__utf8_decode(s, len, i, &n);
    if (cp == '\\')
      err = vbg__buf_puts(out, "\\\\");
    else if (cp == '\n')
      err = vbg__buf_puts(out, "\\n");
    else if (cp == '\r')
      err = vbg__buf_puts(out, "\\r");
    else if (cp < 0 || (shown && (cp == 0xFFFE || cp == 0xFFFF)))
      err = put_cp(out, 0xFFFD);
    else if (shown && cp < 0x20 && cp != '\t')
      err = put_cp(out, 0x2400 + cp);
    else if (shown && cp == 0x7F)
      err = put_cp(out, 0x2421);
    else
      err = vbg_buf_put(out, s + i, n);
    i += n;
  }
  return err;
}

/* ------------------------------------------------------------------ */
/* Building the cgraph graph                                           */
/* ------------------------------------------------------------------ */

typedef struct dot_out {
  Agraph_t *g;
  Agsym_t *nsym[NA__COUNT];
  Agsym_t *esym[EA__COUNT];
  Agnode_t **nodes;
  vbg_buf tmp, text;
} dot_out;

/* cgraph reports through agerr(), which prints unless given a function;
 * that hook is process-global (as all of cgraph's error state), so it is
 * installed for one write and the previous one put back. */
static char cgraph_message[256];

static int keep_message(char *msg) {
  size_t n = strlen(msg);
  if (n > 2 || cgraph_message[0] == '\0') /* skip the "Error", ": " parts */
    snprintf(cgraph_message, sizeof cgraph_message, "%.*s",
             (int)(n && msg[n - 1] == '\n' ? n - 1 : n), msg);
  return 0;
}

static int cgraph_failed(const char *what) {
  return vbg__error_set(VBG_ENOMEM, "graphviz: %s%s%s", what,
                        cgraph_message[0] ? ": " : "", cgraph_message);
}

/* Set one attribute; NULL leaves the declared default. */
static int set(dot_out *d, void *obj, Agsym_t *sym, const char *value,
               int shown) {
  int err;
  if (!value)
    return VBG_OK;
  vbg_buf_clear(&d->tmp);
  if ((err = escape(&d->tmp, value, shown)) < 0)
    return err;
  return agxset(obj, sym, d->tmp.ptr) == 0
             ? VBG_OK
             : cgraph_failed("setting an attribute");
}

static int set_num(void *obj, Agsym_t *sym, size_t n, int known) {
  char num[32];
  if (!known)
    return VBG_OK;
  snprintf(num, sizeof num, "%zu", n);
  return agxset(obj, sym, num) == 0 ? VBG_OK
                                    : cgraph_failed("setting an attribute");
}

static int declare(dot_out *d) {
  static const int kinds[] = {AGNODE, AGEDGE};
  char name[64], value[64];
  for (size_t i = 0; i < VBG__ARRAY_LEN(graph_attrs); i++) {
    snprintf(name, sizeof name, "%s", graph_attrs[i].name);
    snprintf(value, sizeof value, "%s", graph_attrs[i].dflt);
    if (!agattr(d->g, AGRAPH, name, value))
      return cgraph_failed("declaring an attribute");
  }
  for (size_t i = 0; i < NA__COUNT + EA__COUNT; i++) {
    const attr_decl *a =
        i < NA__COUNT ? &node_attrs[i] : &edge_attrs[i - NA__COUNT];
    Agsym_t **sym = i < NA__COUNT ? &d->nsym[i] : &d->esym[i - NA__COUNT];
    snprintf(name, sizeof name, "%s", a->name);
    snprintf(value, sizeof value, "%s", a->dflt);
    if (!(*sym = agattr(d->g, i < NA__COUNT ? AGNODE : AGEDGE, name, value)))
      return cgraph_failed("declaring an attribute");
  }
  for (size_t k = 0; k < 2; k++)
    for (size_t i = 0; i < 2; i++) {
      snprintf(name, sizeof name, "%s", font_attrs[k][i].name);
      snprintf(value, sizeof value, "%s", font_attrs[k][i].dflt);
      if (!agattr(d->g, kinds[k], name, value))
        return cgraph_failed("declaring an attribute");
    }
  return VBG_OK;
}

/* The node named after v's id; a numbered suffix in the (only
 * theoretical) case that two ids escape to the same name. */
static int make_node(dot_out *d, const vbg_vertex *v, Agnode_t **out) {
  int err;
  vbg_buf_clear(&d->text);
  if ((err = escape(&d->text, v->id ? v->id : "", 1)) < 0)
    return err;
  size_t base = d->text.size;
  for (unsigned k = 2; agnode(d->g, d->text.ptr, 0); k++) {
    d->text.size = base;
    if ((err = vbg__buf_printf(&d->text, " #%u", k)) < 0)
      return err;
  }
  *out = agnode(d->g, d->text.ptr, 1);
  return *out ? VBG_OK : cgraph_failed("adding a node");
}

static int node_data(dot_out *d, Agnode_t *n, const vbg_vertex *v) {
  int doc = v->kind == VBG_KIND_DOCUMENT;
  /* label, kind, key, doc_type, type_code, number: declared in a row */
  const char *strs[] = {v->label ? v->label : v->id,
                        vbg_kind_name(v->kind),
                        v->key,
                        v->doc_type,
                        v->type_code,
                        v->number};
  int err = VBG_OK;
  for (size_t i = 0; err == 0 && i < VBG__ARRAY_LEN(strs); i++)
    err = set(d, n, d->nsym[NA_LABEL + i], strs[i], i == 0);
  if (err == 0)
    err = set_num(n, d->nsym[NA_YEAR], (size_t)v->year, v->year > 0);
  if (err == 0)
    err = set(d, n, d->nsym[NA_ISSUER_CODE], v->issuer_code, 0);
  if (err == 0)
    err = set(d, n, d->nsym[NA_DATE], v->date, 0);
  if (err == 0)
    err = set(d, n, d->nsym[NA_TERM], v->term, 0);
  if (err == 0)
    err = set(d, n, d->nsym[NA_TITLE], v->title, 0);
  if (err == 0)
    err = set_num(n, d->nsym[NA_MENTIONS], v->mentions, doc);
  if (err == 0 && doc)
    err = set(d, n, d->nsym[NA_AMBIGUOUS], v->ambiguous ? "true" : "false", 0);
  if (err == 0)
    err = set(d, n, d->nsym[NA_LEVEL], v->level, 0);
  if (err == 0)
    err = set(d, n, d->nsym[NA_FILE], v->file, 0);
  return err;
}

static int node_look(dot_out *d, Agnode_t *n, const vbg_vertex *v) {
  const char *shape = NULL, *style = NULL, *fill, *color = NULL, *tip;
  int err;
  switch (v->kind) {
  case VBG_KIND_DOCUMENT:
    fill = document_fill(v);
    if (v->ambiguous) {
      style = "rounded,filled,dashed";
      color = "#cb181d";
    }
    tip = v->title ? v->title : v->label;
    break;
  case VBG_KIND_BODY:
    shape = "ellipse";
    style = "filled";
    fill = body_fill(v->level);
    tip = v->label;
    break;
  default:
    shape = "note";
    style = "filled";
    fill = "#f5f5f5";
    tip = v->file;
    break;
  }
  err = set(d, n, d->nsym[NA_SHAPE], shape, 0);
  if (err == 0)
    err = set(d, n, d->nsym[NA_STYLE], style, 0);
  if (err == 0)
    err = set(d, n, d->nsym[NA_FILLCOLOR], fill, 0);
  if (err == 0)
    err = set(d, n, d->nsym[NA_COLOR], color, 0);
  if (err == 0)
    err = set(d, n, d->nsym[NA_TOOLTIP], tip, 1);
  return err;
}

static int edge_data(dot_out *d, Agedge_t *a, const vbg_edge *e) {
  int pos = e->file != NULL || e->evidence != NULL;
  int err = set(d, a, d->esym[EA_RELATION], e->relation, 0);
  if (err == 0)
    err = set_num(a, d->esym[EA_WEIGHT], e->weight, 1);
  if (err == 0)
    err = set(d, a, d->esym[EA_EVIDENCE], e->evidence, 0);
  if (err == 0)
    err = set(d, a, d->esym[EA_FILE], e->file, 0);
  if (err == 0)
    err = set_num(a, d->esym[EA_START], e->start, pos);
  if (err == 0)
    err = set_num(a, d->esym[EA_END], e->end, pos);
  if (err == 0)
    err = set_num(a, d->esym[EA_LINE], e->line, pos && e->line > 0);
  if (err == 0)
    err = set(d, a, d->esym[EA_CUE], e->cue, 0);
  return err;
}

static int edge_look_set(dot_out *d, Agedge_t *a, const vbg_edge *e) {
  const edge_look *look = look_of(e->relation);
  int err = VBG_OK;
  if (look) {
    err = set(d, a, d->esym[EA_COLOR], look->color, 0);
    if (err == 0)
      err = set(d, a, d->esym[EA_STYLE], look->style, 0);
    if (err == 0)
      err = set(d, a, d->esym[EA_PENWIDTH], look->penwidth, 0);
    if (err == 0 && look->labelled)
      err = set(d, a, d->esym[EA_LABEL], look->relation, 0);
    if (err == 0 && look->labelled)
      err = set(d, a, d->esym[EA_FONTCOLOR], look->color, 0);
  }
  /* tooltip: "implements “triển khai thực hiện” (FILE:START-END)" */
  vbg_buf_clear(&d->text);
  if (err == 0)
    err = vbg__buf_puts(&d->text, e->relation ? e->relation : "");
  if (err == 0 && e->cue)
    err = vbg__buf_printf(&d->text, " \xE2\x80\x9C%s\xE2\x80\x9D", e->cue);
  if (err == 0 && e->evidence)
    err = vbg__buf_printf(&d->text, " (%s)", e->evidence);
  if (err == 0)
    err = set(d, a, d->esym[EA_TOOLTIP], d->text.ptr, 1);
  return err;
}

static int build(dot_out *d, const vbg_graph *g) {
  char name[] = "vbgraph";
  int err;
  if (!(d->g = agopen(name, Agdirected, NULL)))
    return cgraph_failed("creating the graph");
  if ((err = declare(d)) < 0)
    return err;
  if (g->nv && !(d->nodes = vbg__calloc(g->nv, sizeof(*d->nodes))))
    return VBG_ENOMEM;
  for (size_t i = 0; i < g->nv; i++) {
    if ((err = make_node(d, &g->v[i], &d->nodes[i])) < 0 ||
        (err = node_data(d, d->nodes[i], &g->v[i])) < 0 ||
        (err = node_look(d, d->nodes[i], &g->v[i])) < 0)
      return err;
  }
  for (size_t i = 0; i < g->ne; i++) {
    const vbg_edge *e = &g->e[i];
    assert(e->from < g->nv && e->to < g->nv);
    /* No name and cflag 1: a new edge even when the pair has one (the
     * graph is a multigraph). */
    Agedge_t *a = agedge(d->g, d->nodes[e->from], d->nodes[e->to], NULL, 1);
    if (!a)
      return cgraph_failed("adding an edge");
    if ((err = edge_data(d, a, e)) < 0 || (err = edge_look_set(d, a, e)) < 0)
      return err;
  }
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

int vbg__write_dot(const vbg_graph *g, FILE *out) {
  dot_out d;
  int err;
  assert(g && out);
  memset(&d, 0, sizeof d);
  vbg_buf_init(&d.tmp);
  vbg_buf_init(&d.text);
  cgraph_message[0] = '\0';
  agusererrf old = agseterrf(keep_message);

  err = build(&d, g);
  if (err == 0 && (agwrite(d.g, out) != 0 || fflush(out) != 0 || ferror(out)))
    err = vbg__error_io("cannot write the DOT output");

  agseterrf(old);
  if (d.g)
    agclose(d.g);
  vbg__free(d.nodes);
  vbg_buf_dispose(&d.tmp);
  vbg_buf_dispose(&d.text);
  return err;
}
