/*
 * render.c - diagrams: the part of the graph worth drawing, written as DOT
 * by export_dot.c, read back into cgraph, grouped by level with a legend,
 * and laid out and drawn by Graphviz (gvc).
 *
 * Graphviz reports problems through agerr(), which prints by default; a
 * handler here keeps the last message instead, since the library never
 * prints.
 */
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

/* ------------------------------------------------------------------ */
/* Which vertices to draw                                              */
/* ------------------------------------------------------------------ */

/* Mentions only with the articles; cites (a document naming another in
 * passing) only when asked, as they crowd out the relations people trace. */
static int drawn_edge(const vbg_edge *e, int articles) {
  if (strcmp(e->relation, "mentions") == 0)
    return articles;
  return strcmp(e->relation, "cites") != 0 || articles > 1;
}

/* Breadth-first from the focus over drawn edges, either direction. */
static int neighbourhood(char *keep, const vbg_graph *g, size_t focus,
                         int depth, int articles) {
  size_t *dist = vbg__calloc(g->nv + 1, sizeof(*dist));
  if (!dist)
    return VBG_ENOMEM;
  for (size_t i = 0; i < g->nv; i++)
    dist[i] = SIZE_MAX;
  dist[focus] = 0;
  keep[focus] = 1;
  for (int d = 0; d < depth; d++) {
    int grew = 0;
    for (size_t i = 0; i < g->ne; i++) {
      const vbg_edge *e = &g->e[i];
      if (!drawn_edge(e, articles))
        continue;
      if (dist[e->from] == (size_t)d && dist[e->to] == SIZE_MAX) {
        dist[e->to] = (size_t)d + 1;
        keep[e->to] = grew = 1;
      } else if (dist[e->to] == (size_t)d && dist[e->from] == SIZE_MAX) {
        dist[e->from] = (size_t)d + 1;
        keep[e->from] = grew = 1;
      }
    }
    if (!grew)
      break;
  }
  vbg__free(dist);
  return VBG_OK;
}

typedef struct scored {
  size_t v;
  double score;
} scored;

static int cmp_scored(const void *x, const void *y) {
  const scored *a = x, *b = y;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return a->v < b->v ? -1 : a->v > b->v;
}

/* Keep at most max vertices: the most mentioned and connected first. */
static int cap(char *keep, const vbg_graph *g, size_t max, long focus,
               size_t *left_out) {
  size_t n = 0;
  for (size_t i = 0; i < g->nv; i++)
    n += keep[i] != 0;
  *left_out = 0;
  if (n <= max)
    return VBG_OK;
  scored *s = vbg__calloc(n + 1, sizeof(*s));
  double *degree = vbg__calloc(g->nv + 1, sizeof(*degree));
  if (!s || !degree) {
    vbg__free(s);
    vbg__free(degree);
    return VBG_ENOMEM;
  }
  for (size_t i = 0; i < g->ne; i++)
    if (keep[g->e[i].from] && keep[g->e[i].to]) {
      degree[g->e[i].from] += 1;
      degree[g->e[i].to] += 1;
    }
  size_t k = 0;
  for (size_t i = 0; i < g->nv; i++)
    if (keep[i])
      s[k++] = (scored){
          i, (long)i == focus ? 1e300 : (double)g->v[i].mentions + degree[i]};
  if (k > 1)
    qsort(s, k, sizeof(*s), cmp_scored);
  for (size_t i = max; i < k; i++) {
    keep[s[i].v] = 0;
    (*left_out)++;
  }
  vbg__free(s);
  vbg__free(degree);
  return VBG_OK;
}

/* A view of g holding the kept vertices and the drawn edges between them;
 * it borrows every string of g. */
static int view_of(vbg_graph **out, const vbg_graph *g, const char *keep,
                   int articles) {
  size_t nv = 0, ne = 0;
  size_t *idx = vbg__calloc(g->nv + 1, sizeof(*idx));
  if (!idx)
    return VBG_ENOMEM;
  for (size_t i = 0; i < g->nv; i++)
    if (keep[i])
      idx[i] = nv++;
  for (size_t i = 0; i < g->ne; i++)
    ne += keep[g->e[i].from] && keep[g->e[i].to] &&
          drawn_edge(&g->e[i], articles);
  vbg_graph *v;
  int err = vbg__graph_alloc(&v, nv, ne);
  if (err < 0) {
    vbg__free(idx);
    return err;
  }
  for (size_t i = 0; i < g->nv; i++)
    if (keep[i])
      v->v[idx[i]] = g->v[i];
  ne = 0;
  for (size_t i = 0; i < g->ne; i++)
    if (keep[g->e[i].from] && keep[g->e[i].to] &&
        drawn_edge(&g->e[i], articles)) {
      v->e[ne] = g->e[i];
      v->e[ne].from = idx[g->e[i].from];
      v->e[ne].to = idx[g->e[i].to];
      ne++;
    }
  vbg__free(idx);
  *out = v;
  return VBG_OK;
}

static void view_free(vbg_graph *v) {
  if (!v)
    return;
  vbg__free(v->v);
  vbg__free(v->e);
  vbg__free(v);
}

/* ------------------------------------------------------------------ */
/* Graphviz                                                            */
/* ------------------------------------------------------------------ */

static _Thread_local char gv_message[256];

static int keep_gv_message(char *msg) {
  size_t n = strlen(msg);
  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
    n--;
  if (n >= sizeof(gv_message))
    n = sizeof(gv_message) - 1;
  memcpy(gv_message, msg, n);
  gv_message[n] = '\0';
  return 0;
}

static int gv_error(const char *what) {
  return vbg__error_set(VBG_EGRAPH, "graphviz: %s%s%s", what,
                        gv_message[0] ? ": " : "", gv_message);
}

/* Set a graph attribute, declaring it when needed (cgraph wants char *). */
static void gset(Agraph_t *g, const char *name, const char *value) {
  char n[64], v[512];
  snprintf(n, sizeof(n), "%s", name);
  snprintf(v, sizeof(v), "%s", value);
  agattr(g, AGRAPH, n, "");
  agset(g, n, v);
}

static const struct {
  const char *level, *label;
} levels[] = {{"central", "Trung ương (central)"},
              {"ministry", "Bộ, ngành (ministries)"},
              {"provincial", "Tỉnh, thành phố (provinces)"},
              {"district", "Huyện (districts)"},
              {"commune", "Xã, phường (communes)"},
              {"other", "Khác (other)"}};

/* The level a vertex is drawn in: a body's own, a document's issuer's. */
static const char *level_of(const vbg_graph *v, size_t i) {
  if (v->v[i].kind == VBG_KIND_BODY)
    return v->v[i].level ? v->v[i].level : "other";
  if (v->v[i].kind != VBG_KIND_DOCUMENT)
    return NULL;
  for (size_t k = 0; k < v->ne; k++)
    if (v->e[k].from == i && strcmp(v->e[k].relation, "issued_by") == 0)
      return v->v[v->e[k].to].level ? v->v[v->e[k].to].level : "other";
  return NULL;
}

/* Documents go in their issuer's level even when the issuer itself is not
 * drawn, so levels are read from the whole graph g. */
static void group_by_level(Agraph_t *ag, const vbg_graph *v,
                           const vbg_graph *g) {
  for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++) {
    Agraph_t *sub = NULL;
    for (size_t i = 0; i < v->nv; i++) {
      long full = vbg_graph_find(g, v->v[i].id);
      const char *lv = full >= 0 ? level_of(g, (size_t)full) : level_of(v, i);
      if (!lv || strcmp(lv, levels[l].level) != 0)
        continue;
      char *name = vbg__strdup(v->v[i].id);
      Agnode_t *n = name ? agnode(ag, name, 0) : NULL;
      vbg__free(name);
      if (!n)
        continue;
      if (!sub) {
        char sname[64];
        snprintf(sname, sizeof(sname), "cluster_%s", levels[l].level);
        sub = agsubg(ag, sname, 1);
        gset(sub, "label", levels[l].label);
        gset(sub, "style", "rounded,dashed");
        gset(sub, "color", "#9e9e9e");
        gset(sub, "fontname", "DejaVu Sans");
      }
      agsubnode(sub, n, 1);
    }
  }
}

/* A legend: one sample of each kind of vertex drawn and of each relation
 * drawn, copying the look of the first real one. */
static void legend(Agraph_t *ag) {
  Agraph_t *sub = agsubg(ag, "cluster_legend", 1);
  gset(sub, "label", "Chú giải (legend)");
  gset(sub, "style", "rounded");
  gset(sub, "color", "#bdbdbd");
  gset(sub, "fontname", "DejaVu Sans");
  static const char *const node_attrs[] = {"shape", "style", "fillcolor",
                                           "color"};
  static const char *const kinds[] = {"document", "body", "article"};
  Agnode_t *prev = NULL;
  for (size_t k = 0; k < 3; k++) {
    Agnode_t *sample = NULL;
    for (Agnode_t *n = agfstnode(ag); n && !sample; n = agnxtnode(ag, n)) {
      char *kind = agget(n, "kind");
      if (kind && strcmp(kind, kinds[k]) == 0)
        sample = n;
    }
    if (!sample)
      continue;
    char name[32];
    snprintf(name, sizeof(name), "legend:%s", kinds[k]);
    Agnode_t *n = agnode(sub, name, 1);
    for (size_t a = 0; a < sizeof(node_attrs) / sizeof(node_attrs[0]); a++) {
      char attr[16];
      snprintf(attr, sizeof(attr), "%s", node_attrs[a]);
      char *value = agget(sample, attr);
      if (value)
        agsafeset(n, attr, value, "");
    }
    char label[32], lab[8] = "label";
    snprintf(label, sizeof(label), "%s", kinds[k]);
    agsafeset(n, lab, label, "");
    if (prev) {
      Agedge_t *e = agedge(sub, prev, n, NULL, 1);
      char st[8] = "style", inv[16] = "invis";
      agsafeset(e, st, inv, "");
    }
    prev = n;
  }
  static const char *const rels[] = {"implements", "based_on",  "amends",
                                     "replaces",   "guides",    "cites",
                                     "reviews",    "issued_by", "mentions"};
  static const char *const edge_attrs[] = {"style", "color", "penwidth",
                                           "arrowhead"};
  for (size_t r = 0; r < sizeof(rels) / sizeof(rels[0]); r++) {
    Agedge_t *sample = NULL;
    for (Agnode_t *n = agfstnode(ag); n && !sample; n = agnxtnode(ag, n))
      for (Agedge_t *e = agfstout(ag, n); e && !sample; e = agnxtout(ag, e)) {
        char *rel = agget(e, "relation");
        if (rel && strcmp(rel, rels[r]) == 0)
          sample = e;
      }
    if (!sample)
      continue;
    char a[40], b[40];
    snprintf(a, sizeof(a), "legend:%s:a", rels[r]);
    snprintf(b, sizeof(b), "legend:%s:b", rels[r]);
    Agnode_t *na = agnode(sub, a, 1), *nb = agnode(sub, b, 1);
    char shape[8] = "shape", point[8] = "point", width[8] = "width",
         w[8] = "0.05";
    agsafeset(na, shape, point, "");
    agsafeset(nb, shape, point, "");
    agsafeset(na, width, w, "");
    agsafeset(nb, width, w, "");
    Agedge_t *e = agedge(sub, na, nb, NULL, 1);
    for (size_t k = 0; k < sizeof(edge_attrs) / sizeof(edge_attrs[0]); k++) {
      char attr[16];
      snprintf(attr, sizeof(attr), "%s", edge_attrs[k]);
      char *value = agget(sample, attr);
      if (value)
        agsafeset(e, attr, value, "");
    }
    char lab[8] = "label", text[32];
    snprintf(text, sizeof(text), "%s", rels[r]);
    agsafeset(e, lab, text, "");
  }
}

static int draw(const vbg_graph *view, const vbg_graph *g,
                const vbg_render_options *o, FILE *out, const char *title) {
  char *dot = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&dot, &len);
  if (!mem)
    return vbg__error_set(VBG_ENOMEM, "out of memory writing DOT");
  int err = vbg__write_dot(view, mem);
  if (fclose(mem) != 0 && err == 0)
    err = vbg__error_set(VBG_ENOMEM, "out of memory writing DOT");
  if (err < 0) {
    free(dot);
    return err;
  }
  gv_message[0] = '\0';
  agusererrf old = agseterrf(keep_gv_message);
  agerrlevel_t old_level = agseterr(AGERR);
  GVC_t *gvc = gvContext();
  Agraph_t *ag = gvc ? agmemread(dot) : NULL;
  free(dot);
  if (!gvc || !ag) {
    err = gv_error("reading the diagram");
  } else {
    /* implementers below what they implement: central documents on top */
    gset(ag, "rankdir", "BT");
    gset(ag, "newrank", "true");
    gset(ag, "compound", "true");
    gset(ag, "label", title);
    gset(ag, "labelloc", "t");
    gset(ag, "fontsize", "18");
    group_by_level(ag, view, g);
    legend(ag);
    if (gvLayout(gvc, ag, "dot") != 0)
      err = gv_error("layout");
    else {
      if (gvRender(gvc, ag, o->format, out) != 0)
        err = gv_error("drawing");
      gvFreeLayout(gvc, ag);
    }
  }
  if (ag)
    agclose(ag);
  if (gvc)
    gvFreeContext(gvc);
  agseterrf(old);
  agseterr(old_level);
  return err;
}

static int vbg_render_impl(const vbg_graph *g, const vbg_render_options *o,
                           FILE *out, vbg_buf *note) {
  static const char *const formats[] = {"svg", "png", "pdf", "dot"};
  int known = 0;
  for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
    known |= o->format && strcmp(o->format, formats[i]) == 0;
  if (!known)
    return vbg__error_set(VBG_EINVAL,
                          "unknown diagram format '%s' (svg, png, pdf, dot)",
                          o->format ? o->format : "");
  if (o->focus >= (long)g->nv)
    return vbg__error_set(VBG_EINVAL, "no vertex %ld to focus on", o->focus);
  char *keep = vbg__calloc(g->nv + 1, 1);
  if (!keep)
    return VBG_ENOMEM;
  int err = VBG_OK;
  if (o->focus >= 0)
    err = neighbourhood(keep, g, (size_t)o->focus, o->depth > 0 ? o->depth : 2,
                        o->articles);
  else
    for (size_t i = 0; i < g->nv; i++)
      keep[i] = o->articles || g->v[i].kind != VBG_KIND_ARTICLE;
  size_t left_out = 0, max = o->max_nodes ? o->max_nodes : 300;
  if (err == 0)
    err = cap(keep, g, max, o->focus, &left_out);
  vbg_graph *view = NULL;
  if (err == 0)
    err = view_of(&view, g, keep, o->articles);
  vbg_buf title;
  vbg_buf_init(&title);
  if (err == 0)
    err = o->focus >= 0 ? vbg__buf_printf(&title, "%s — %d bước (hops)",
                                          g->v[o->focus].label,
                                          o->depth > 0 ? o->depth : 2)
                        : vbg__buf_puts(&title, "vbgraph");
  if (err == 0 && left_out)
    err = vbg__buf_printf(
        &title, " — %zu of %zu shown, the %zu least mentioned left out",
        view->nv, view->nv + left_out, left_out);
  if (err == 0 && left_out && note)
    err = vbg__buf_printf(
        note,
        "drew %zu of %zu vertices; left out the %zu least mentioned "
        "(use --focus KEY, or --max-nodes N to draw more)",
        view->nv, view->nv + left_out, left_out);
  if (err == 0)
    err = draw(view, g, o, out, title.ptr);
  vbg_buf_dispose(&title);
  view_free(view);
  vbg__free(keep);
  return err;
}

int vbg_render(const vbg_graph *g, const vbg_render_options *opts, FILE *out,
               vbg_buf *note) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_render_impl(g, opts, out, note);
  VBG__OOM_CHECK(err, before);
  return err;
}
