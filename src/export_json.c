/*
 * export_json.c - export stage: the graph as node-link JSON, the shape
 * networkx's node_link_data() writes and node_link_graph() reads, and the
 * {nodes, links} arrays a D3 force layout takes.
 *
 *   {"directed":true,"multigraph":true,"graph":{"name":"vbgraph"},"nodes":[
 *   {"id":"25-NQ/TW","kind":"document","label":...,"file":null},
 *   ...
 *   ],"links":[
 *   {"source":"article:a.txt","target":"25-NQ/TW","key":0,...,"cue":null},
 *   ...
 *   ]}
 *
 * Edges are under "links": the name networkx reads by default up to 3.3
 * (Debian 12 ships 2.8.8) and D3 uses.  From networkx 3.4 on, callers pass
 * edges="links" (its default is moving to "edges").  "key" numbers the
 * edges of one (source, target) pair from 0, as a MultiDiGraph keys them.
 *
 * Every node has every attribute, null where unknown or not of its kind;
 * every link likewise.  One node or link per line, in the graph's order, so
 * the same graph gives the same bytes.  Strings are valid JSON whatever the
 * graph holds: control characters (and U+2028, U+2029, which break
 * JavaScript embedding) are escaped, invalid UTF-8 becomes U+FFFD.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

/* Bytes gathered before a write to the stream. */
#define FLUSH_AT 65536

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

static int put_string(vbg_buf *out, const char *s) {
  if (!s)
    return vbg__buf_puts(out, "null");
  size_t len = strlen(s);
  int err = vbg__buf_putc(out, '"');
  for (size_t i = 0; err == 0 && i < len;) {
    size_t n;
    int32_t cp = vbg__utf8_decode(s, len, i, &n);
    switch (cp) {
    case '"':
      err = vbg__buf_puts(out, "\\\"");
      break;
    case '\\':
      err = vbg__buf_puts(out, "\\\\");
      break;
    case '\n':
      err = vbg__buf_puts(out, "\\n");
      break;
    case '\r':
      err = vbg__buf_puts(out, "\\r");
      break;
    case '\t':
      err = vbg__buf_puts(out, "\\t");
      break;
    case '\b':
      err = vbg__buf_puts(out, "\\b");
      break;
    case '\f':
      err = vbg__buf_puts(out, "\\f");
      break;
    default:
      if (cp < 0)
        err = vbg__buf_puts(out, "\\ufffd");
      else if (cp < 0x20 || cp == 0x2028 || cp == 0x2029)
        err = vbg__buf_printf(out, "\\u%04x", (unsigned)cp);
      else
        err = vbg_buf_put(out, s + i, n);
    }
    i += n;
  }
  return err ? err : vbg__buf_putc(out, '"');
}

/* ,"name":value -- each with its own kind of value. */
static int field_str(vbg_buf *out, const char *name, const char *value) {
  int err = vbg__buf_printf(out, ",\"%s\":", name);
  return err ? err : put_string(out, value);
}

static int field_num(vbg_buf *out, const char *name, size_t value, int known) {
  return known ? vbg__buf_printf(out, ",\"%s\":%zu", name, value)
               : vbg__buf_printf(out, ",\"%s\":null", name);
}

static int field_bool(vbg_buf *out, const char *name, int value, int known) {
  return vbg__buf_printf(out, ",\"%s\":%s", name,
                         !known  ? "null"
                         : value ? "true"
                                 : "false");
}

/* ------------------------------------------------------------------ */
/* Nodes and links                                                     */
/* ------------------------------------------------------------------ */

static int put_node(vbg_buf *out, const vbg_vertex *v) {
  int doc = v->kind == VBG_KIND_DOCUMENT;
  int err = vbg__buf_puts(out, "{\"id\":");
  if (err == 0)
    err = put_string(out, v->id);
  if (err == 0)
    err = field_str(out, "kind", vbg_kind_name(v->kind));
  if (err == 0)
    err = field_str(out, "label", v->label);
  if (err == 0)
    err = field_str(out, "key", v->key);
  if (err == 0)
    err = field_str(out, "doc_type", v->doc_type);
  if (err == 0)
    err = field_str(out, "type_code", v->type_code);
  if (err == 0)
    err = field_str(out, "number", v->number);
  if (err == 0)
    err = field_num(out, "year", (size_t)v->year, v->year > 0);
  if (err == 0)
    err = field_str(out, "issuer_code", v->issuer_code);
  if (err == 0)
    err = field_str(out, "date", v->date);
  if (err == 0)
    err = field_str(out, "term", v->term);
  if (err == 0)
    err = field_str(out, "title", v->title);
  if (err == 0)
    err = field_num(out, "mentions", v->mentions, doc);
  if (err == 0)
    err = field_bool(out, "ambiguous", v->ambiguous, doc);
  if (err == 0)
    err = field_str(out, "level", v->level);
  if (err == 0)
    err = field_str(out, "file", v->file);
  return err ? err : vbg__buf_putc(out, '}');
}

static int put_link(vbg_buf *out, const vbg_graph *g, const vbg_edge *e,
                    size_t key) {
  /* evidence known: positions are numbers; line 0 never is a line */
  int pos = e->file != NULL || e->evidence != NULL;
  int err = vbg__buf_puts(out, "{\"source\":");
  if (err == 0)
    err = put_string(out, g->v[e->from].id);
  if (err == 0)
    err = field_str(out, "target", g->v[e->to].id);
  if (err == 0)
    err = field_num(out, "key", key, 1);
  if (err == 0)
    err = field_str(out, "relation", e->relation);
  if (err == 0)
    err = field_num(out, "weight", e->weight, 1);
  if (err == 0)
    err = field_str(out, "evidence", e->evidence);
  if (err == 0)
    err = field_str(out, "file", e->file);
  if (err == 0)
    err = field_num(out, "start", e->start, pos);
  if (err == 0)
    err = field_num(out, "end", e->end, pos);
  if (err == 0)
    err = field_num(out, "line", e->line, pos && e->line > 0);
  if (err == 0)
    err = field_str(out, "cue", e->cue);
  return err ? err : vbg__buf_putc(out, '}');
}

/* ------------------------------------------------------------------ */
/* Multigraph keys                                                     */
/* ------------------------------------------------------------------ */

typedef struct pair_ix {
  size_t from, to, i;
} pair_ix;

static int pair_cmp(const void *pa, const void *pb) {
  const pair_ix *a = pa, *b = pb;
  if (a->from != b->from)
    return a->from < b->from ? -1 : 1;
  if (a->to != b->to)
    return a->to < b->to ? -1 : 1;
  return a->i < b->i ? -1 : a->i > b->i;
}

/* keys[i]: how many edges of the same pair come before edge i.  The graph
 * keeps edges sorted by pair, but the keys must not depend on it. */
static int link_keys(size_t **out, const vbg_graph *g) {
  size_t *keys = vbg__calloc(g->ne + 1, sizeof(*keys));
  pair_ix *p = vbg__calloc(g->ne + 1, sizeof(*p));
  *out = NULL;
  if (!keys || !p) {
    vbg__free(keys);
    vbg__free(p);
    return VBG_ENOMEM;
  }
  for (size_t i = 0; i < g->ne; i++)
    p[i] = (pair_ix){g->e[i].from, g->e[i].to, i};
  if (g->ne > 1)
    qsort(p, g->ne, sizeof(*p), pair_cmp);
  for (size_t k = 1; k < g->ne; k++)
    if (p[k].from == p[k - 1].from && p[k].to == p[k - 1].to)
      keys[p[k].i] = keys[p[k - 1].i] + 1;
  vbg__free(p);
  *out = keys;
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static int drain(vbg_buf *b, FILE *out, size_t at_least) {
  if (b->size < at_least || b->size == 0)
    return VBG_OK;
  if (fwrite(b->ptr, 1, b->size, out) != b->size)
    return vbg__error_io("cannot write the JSON output");
  vbg_buf_clear(b);
  return VBG_OK;
}

/* "[" elements one a line "]" */
static int sep(vbg_buf *b, size_t i) {
  return vbg__buf_puts(b, i ? ",\n" : "\n");
}

int vbg__write_json(const vbg_graph *g, FILE *out) {
  vbg_buf b;
  size_t *keys = NULL;
  int err;
  assert(g && out);
  vbg_buf_init(&b);

  err = link_keys(&keys, g);
  if (err == 0)
    err = vbg__buf_puts(&b, "{\"directed\":true,\"multigraph\":true,"
                            "\"graph\":{\"name\":\"vbgraph\"},\"nodes\":[");
  for (size_t i = 0; err == 0 && i < g->nv; i++) {
    if ((err = sep(&b, i)) == 0 && (err = put_node(&b, &g->v[i])) == 0)
      err = drain(&b, out, FLUSH_AT);
  }
  if (err == 0)
    err = vbg__buf_puts(&b, g->nv ? "\n],\"links\":[" : "],\"links\":[");
  for (size_t i = 0; err == 0 && i < g->ne; i++) {
    assert(g->e[i].from < g->nv && g->e[i].to < g->nv);
    if ((err = sep(&b, i)) == 0 &&
        (err = put_link(&b, g, &g->e[i], keys[i])) == 0)
      err = drain(&b, out, FLUSH_AT);
  }
  if (err == 0)
    err = vbg__buf_puts(&b, g->ne ? "\n]}\n" : "]}\n");
  if (err == 0)
    err = drain(&b, out, 0);
  if (err == 0 && (fflush(out) != 0 || ferror(out)))
    err = vbg__error_io("cannot write the JSON output");

  vbg__free(keys);
  vbg_buf_dispose(&b);
  return err;
}
