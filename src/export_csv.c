/*
 * export_csv.c - export stage: the graph as two CSV files, nodes and edges,
 * whose header lines neo4j-admin import reads as they are and pandas takes
 * as column names:
 *
 *   id:ID,:LABEL,kind,label,key,doc_type,type_code,number,year:int,
 *     issuer_code,date,term,title,mentions:long,ambiguous:boolean,level,file
 *   :START_ID,:END_ID,:TYPE,relation,weight:long,evidence,file,
 *     start:long,end:long,line:long,cue
 *
 * What neo4j-admin database import (4.x and 5.x) expects, and how this
 * meets it:
 * - `name:ID` is the node id and also stored as property `name`; the ids
 *   are unique across all nodes, so one id space (no "(group)") does.
 * - `:LABEL` is the node label, Document, Body or Article (`;` would split
 *   labels; these never hold one).  `:TYPE` is the relationship type,
 *   the relation upper-cased as Cypher writes types (IMPLEMENTS, BASED_ON,
 *   ISSUED_BY); the `relation` column keeps the name the other formats use.
 * - `name:type` columns are typed; no type means string, so `number`
 *   ("04") and `date` stay strings.  A boolean is true only for the exact
 *   text "true".  An empty field is no property at all, which is how an
 *   unknown value (NULL, year 0) is written; an empty string is `""`.
 * - Quoting is RFC 4180: a field holding a comma, a quote, CR or LF is
 *   quoted and its quotes doubled; a backslash is an ordinary character
 *   (neo4j's --legacy-style-quoting is off by default).  Fields holding a
 *   newline need --multiline-fields=true.  Lines end in LF.
 * - The files are UTF-8 without a BOM; invalid UTF-8 becomes U+FFFD.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "graph.h"

#define FLUSH_AT 65536

static const char nodes_header[] =
    "id:ID,:LABEL,kind,label,key,doc_type,type_code,number,year:int,"
    "issuer_code,date,term,title,mentions:long,ambiguous:boolean,level,file\n";

static const char edges_header[] =
    ":START_ID,:END_ID,:TYPE,relation,weight:long,evidence,file,start:long,"
    "end:long,line:long,cue\n";

/* ------------------------------------------------------------------ */
/* Fields                                                              */
/* ------------------------------------------------------------------ */

static int needs_quotes(const char *s) {
  return *s == '\0' || strpbrk(s, ",\"\r\n") != NULL;
}

/* A field, preceded by a comma unless it opens the line; NULL is empty. */
static int put_field(vbg_buf *out, const char *s, int first) {
  int err = first ? VBG_OK : vbg__buf_putc(out, ',');
  if (err || !s)
    return err;
  int quoted = needs_quotes(s);
  size_t len = strlen(s);
  if (quoted)
    err = vbg__buf_putc(out, '"');
  for (size_t i = 0; err == 0 && i < len;) {
    size_t n;
    int32_t cp = vbg__utf8_decode(s, len, i, &n);
    if (cp < 0)
      err = vbg__buf_puts(out, "\xEF\xBF\xBD");
    else if (cp == '"')
      err = vbg__buf_puts(out, "\"\"");
    else
      err = vbg_buf_put(out, s + i, n);
    i += n;
  }
  return err == 0 && quoted ? vbg__buf_putc(out, '"') : err;
}

static int put_num(vbg_buf *out, size_t n, int known) {
  return known ? vbg__buf_printf(out, ",%zu", n) : vbg__buf_putc(out, ',');
}

static const char *label_of(vbg_kind k) {
  switch (k) {
  case VBG_KIND_DOCUMENT:
    return "Document";
  case VBG_KIND_BODY:
    return "Body";
  default:
    return "Article";
  }
}

/* implements -> IMPLEMENTS, based_on -> BASED_ON; anything outside
 * [A-Za-z0-9_] becomes '_' (neo4j would need backquotes for it). */
static int put_type(vbg_buf *out, const char *relation) {
  int err = vbg__buf_putc(out, ',');
  if (!relation || !*relation)
    return err ? err : vbg__buf_puts(out, "RELATED");
  for (const char *p = relation; err == 0 && *p; p++) {
    char c = *p;
    if (c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      c = '_';
    err = vbg__buf_putc(out, c);
  }
  return err;
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */
/* ------------------------------------------------------------------ */

static int node_row(vbg_buf *out, const vbg_vertex *v) {
  int doc = v->kind == VBG_KIND_DOCUMENT;
  const char *head[] = {
      v->id,  label_of(v->kind), vbg_kind_name(v->kind), v->label,
      v->key, v->doc_type,       v->type_code,           v->number};
  const char *mid[] = {v->issuer_code, v->date, v->term, v->title};
  int err = VBG_OK;
  for (size_t i = 0; err == 0 && i < VBG__ARRAY_LEN(head); i++)
    err = put_field(out, head[i], i == 0);
  if (err == 0)
    err = put_num(out, (size_t)v->year, v->year > 0);
  for (size_t i = 0; err == 0 && i < VBG__ARRAY_LEN(mid); i++)
    err = put_field(out, mid[i], 0);
  if (err == 0)
    err = put_num(out, v->mentions, doc);
  if (err == 0)
    err = put_field(out, !doc ? NULL : v->ambiguous ? "true" : "false", 0);
  if (err == 0)
    err = put_field(out, v->level, 0);
  if (err == 0)
    err = put_field(out, v->file, 0);
  return err ? err : vbg__buf_putc(out, '\n');
}

static int edge_row(vbg_buf *out, const vbg_graph *g, const vbg_edge *e) {
  int pos = e->file != NULL || e->evidence != NULL;
  int err = put_field(out, g->v[e->from].id, 1);
  if (err == 0)
    err = put_field(out, g->v[e->to].id, 0);
  if (err == 0)
    err = put_type(out, e->relation);
  if (err == 0)
    err = put_field(out, e->relation, 0);
  if (err == 0)
    err = put_num(out, e->weight, 1);
  if (err == 0)
    err = put_field(out, e->evidence, 0);
  if (err == 0)
    err = put_field(out, e->file, 0);
  if (err == 0)
    err = put_num(out, e->start, pos);
  if (err == 0)
    err = put_num(out, e->end, pos);
  if (err == 0)
    err = put_num(out, e->line, pos && e->line > 0);
  if (err == 0)
    err = put_field(out, e->cue, 0);
  return err ? err : vbg__buf_putc(out, '\n');
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

static int drain(vbg_buf *b, FILE *out, size_t at_least) {
  if (b->size < at_least || b->size == 0)
    return VBG_OK;
  if (fwrite(b->ptr, 1, b->size, out) != b->size)
    return vbg__error_io("cannot write the CSV output");
  vbg_buf_clear(b);
  return VBG_OK;
}

static int finish(vbg_buf *b, FILE *out, int err) {
  if (err == 0)
    err = drain(b, out, 0);
  if (err == 0 && (fflush(out) != 0 || ferror(out)))
    err = vbg__error_io("cannot write the CSV output");
  vbg_buf_dispose(b);
  return err;
}

int vbg__write_csv_nodes(const vbg_graph *g, FILE *out) {
  vbg_buf b;
  assert(g && out);
  vbg_buf_init(&b);
  int err = vbg__buf_puts(&b, nodes_header);
  for (size_t i = 0; err == 0 && i < g->nv; i++)
    if ((err = node_row(&b, &g->v[i])) == 0)
      err = drain(&b, out, FLUSH_AT);
  return finish(&b, out, err);
}

int vbg__write_csv_edges(const vbg_graph *g, FILE *out) {
  vbg_buf b;
  assert(g && out);
  vbg_buf_init(&b);
  int err = vbg__buf_puts(&b, edges_header);
  for (size_t i = 0; err == 0 && i < g->ne; i++) {
    assert(g->e[i].from < g->nv && g->e[i].to < g->nv);
    if ((err = edge_row(&b, g, &g->e[i])) == 0)
      err = drain(&b, out, FLUSH_AT);
  }
  return finish(&b, out, err);
}
