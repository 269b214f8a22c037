/*
 * query.c - the questions users ask of the graph: what implements this
 * directive, what cites it and what it cites, everything known of it, the
 * most cited documents, how two documents connect.  Answers are written
 * into a vbg_buf, as text for people or as JSON (jansson) for scripts.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "tables.h"

void vbg_free(void *p) { vbg__free(p); }

/* ------------------------------------------------------------------ */
/* Adjacency                                                           */
/* ------------------------------------------------------------------ */

typedef struct adj {
  size_t *in_start, *in; /* edges into v: in[in_start[v] .. in_start[v+1]) */
  size_t *out_start, *out;
} adj;

static int adj_build(adj *a, const vbg_graph *g) {
  memset(a, 0, sizeof(*a));
  a->in_start = vbg__calloc(g->nv + 2, sizeof(size_t));
  a->out_start = vbg__calloc(g->nv + 2, sizeof(size_t));
  a->in = vbg__calloc(g->ne + 1, sizeof(size_t));
  a->out = vbg__calloc(g->ne + 1, sizeof(size_t));
  if (!a->in_start || !a->out_start || !a->in || !a->out)
    return VBG_ENOMEM;
  for (size_t i = 0; i < g->ne; i++) {
    a->in_start[g->e[i].to + 1]++;
    a->out_start[g->e[i].from + 1]++;
  }
  for (size_t v = 0; v < g->nv; v++) {
    a->in_start[v + 1] += a->in_start[v];
    a->out_start[v + 1] += a->out_start[v];
  }
  size_t *fi = vbg__calloc(g->nv + 1, sizeof(size_t)),
         *fo = vbg__calloc(g->nv + 1, sizeof(size_t));
  if (!fi || !fo) {
    vbg__free(fi);
    vbg__free(fo);
    return VBG_ENOMEM;
  }
  for (size_t i = 0; i < g->ne; i++) {
    a->in[a->in_start[g->e[i].to] + fi[g->e[i].to]++] = i;
    a->out[a->out_start[g->e[i].from] + fo[g->e[i].from]++] = i;
  }
  vbg__free(fi);
  vbg__free(fo);
  return VBG_OK;
}

static void adj_dispose(adj *a) {
  vbg__free(a->in_start);
  vbg__free(a->in);
  vbg__free(a->out_start);
  vbg__free(a->out);
}

static int is_doc_relation(const char *rel) {
  return strcmp(rel, "mentions") != 0 && strcmp(rel, "issued_by") != 0 &&
         strcmp(rel, "reviews") != 0;
}

/* ------------------------------------------------------------------ */
/* Finding what the user means                                         */
/* ------------------------------------------------------------------ */

static int push_index(size_t **v, size_t *n, size_t *cap, size_t x) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 8;
    size_t *p = vbg__realloc(*v, c * sizeof(*p));
    if (!p)
      return VBG_ENOMEM;
    *v = p;
    *cap = c;
  }
  (*v)[(*n)++] = x;
  return VBG_OK;
}

static int docs_with_key(size_t **out, size_t *n, size_t *cap,
                         const vbg_graph *g, const char *key) {
  for (size_t i = 0; i < g->nv; i++)
    if (g->v[i].kind == VBG_KIND_DOCUMENT && g->v[i].key &&
        strcmp(g->v[i].key, key) == 0) {
      int err = push_index(out, n, cap, i);
      if (err < 0)
        return err;
    }
  return VBG_OK;
}

static long serial_value(const char *number) {
  return number ? atol(number) : -1;
}

/* "nq 25/tw", "Nghị quyết 57", "25 tw nq": a number, maybe a type, maybe
 * an issuer, in any order. */
static int loose_lookup(size_t **out, size_t *n, size_t *cap,
                        const vbg_graph *g, const char *s) {
  long number = -1;
  const vbg__type_code *tc = NULL;
  const vbg__type_word *tw = NULL;
  char issuer[64] = "";
  size_t len = strlen(s), i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && !strchr(" \t\n/-–—.,:;", s[j]))
      j++;
    if (j > i) {
      vbg_buf b;
      vbg_buf_init(&b);
      if (s[i] >= '0' && s[i] <= '9')
        number = atol(s + i);
      else if (!tc && vbg__type_code_find(s + i, j - i))
        tc = vbg__type_code_find(s + i, j - i);
      else if (!issuer[0] && vbg__issuer_canonical(&b, s + i, j - i) == 1 &&
               b.size < sizeof(issuer))
        memcpy(issuer, b.ptr, b.size + 1);
      vbg_buf_dispose(&b);
    }
    i = j + 1;
  }
  /* a type word ("Nghị quyết 57") */
  for (size_t a = 0; !tc && a < len; a++)
    for (size_t b = a + 1; b <= len && b - a < 40; b++)
      if ((a == 0 || s[a - 1] == ' ') && (b == len || s[b] == ' ') &&
          vbg__type_word_find(s + a, b - a))
        tw = vbg__type_word_find(s + a, b - a);
  if (number < 0)
    return VBG_OK;
  for (size_t v = 0; v < g->nv; v++) {
    const vbg_vertex *x = &g->v[v];
    if (x->kind != VBG_KIND_DOCUMENT || serial_value(x->number) != number)
      continue;
    if (tc && (!x->type_code || strcmp(x->type_code, tc->code) != 0))
      continue;
    if (tw && !(x->doc_type && strcmp(x->doc_type, tw->name) == 0) &&
        !vbg__type_word_accepts(tw, x->type_code))
      continue;
    if (issuer[0] && (!x->issuer_code ||
                      strncmp(x->issuer_code, issuer, strlen(issuer)) != 0))
      continue;
    int err = push_index(out, n, cap, v);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

static int vbg_graph_lookup_impl(size_t **out, size_t *n, const vbg_graph *g,
                                 const vbg_extractor *ex, const char *text,
                                 size_t len) {
  *out = NULL;
  *n = 0;
  size_t cap = 0;
  vbg_buf key;
  vbg_buf_init(&key);
  char *nfc = vbg__nfc(text, len);
  if (!nfc)
    return VBG_EINVAL;
  int err = VBG_OK;
  if (vbg_key_canonical(&key, ex, nfc, strlen(nfc)) == VBG_OK)
    err = docs_with_key(out, n, &cap, g, key.ptr);
  if (err == 0 && *n == 0)
    err = docs_with_key(out, n, &cap, g, nfc); /* an exact id or key */
  if (err == 0 && *n == 0)
    err = loose_lookup(out, n, &cap, g, nfc);
  vbg_error_clear();
  vbg__free(nfc);
  vbg_buf_dispose(&key);
  if (err < 0) {
    vbg__free(*out);
    *out = NULL;
    *n = 0;
  }
  return err;
}

/* Edit distance over bytes, upper-cased ASCII; enough to rank near keys. */
static size_t distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 200 || m > 200)
    return SIZE_MAX;
  size_t row[201];
  for (size_t j = 0; j <= m; j++)
    row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      char x = a[i - 1], y = b[j - 1];
      if (x >= 'a' && x <= 'z')
        x = (char)(x - 32);
      if (y >= 'a' && y <= 'z')
        y = (char)(y - 32);
      size_t cost = prev + (x != y), del = row[j] + 1, ins = row[j - 1] + 1;
      prev = row[j];
      row[j] = cost < del ? (cost < ins ? cost : ins) : (del < ins ? del : ins);
    }
  }
  return row[m];
}

static int vbg_graph_suggest_impl(size_t **out, size_t *n, const vbg_graph *g,
                                  const char *text, size_t len, size_t max) {
  *out = NULL;
  *n = 0;
  char *t = vbg__strndup(text, len);
  size_t *best = vbg__calloc(max + 1, sizeof(*best)),
         *dist = vbg__calloc(max + 1, sizeof(*dist));
  if (!t || !best || !dist) {
    vbg__free(t);
    vbg__free(best);
    vbg__free(dist);
    return VBG_ENOMEM;
  }
  size_t k = 0;
  for (size_t v = 0; v < g->nv; v++) {
    if (g->v[v].kind != VBG_KIND_DOCUMENT || !g->v[v].key || g->v[v].ambiguous)
      continue;
    size_t d = distance(t, g->v[v].key);
    int dup = 0;
    for (size_t i = 0; i < k; i++)
      dup |= strcmp(g->v[best[i]].key, g->v[v].key) == 0;
    if (dup)
      continue;
    size_t pos = k;
    while (pos > 0 && dist[pos - 1] > d)
      pos--;
    if (pos >= max)
      continue;
    size_t last = k < max ? k : max - 1;
    for (size_t i = last; i > pos; i--) {
      best[i] = best[i - 1];
      dist[i] = dist[i - 1];
    }
    best[pos] = v;
    dist[pos] = d;
    if (k < max)
      k++;
  }
  vbg__free(t);
  vbg__free(dist);
  *out = best;
  *n = k;
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* Describing vertices and edges                                       */
/* ------------------------------------------------------------------ */

/* The bodies that issued a document, joined by ", " into b. */
static int bodies_of(vbg_buf *b, const vbg_graph *g, const adj *a, size_t v) {
  int err = VBG_OK;
  size_t k = 0;
  for (size_t i = a->out_start[v]; err == 0 && i < a->out_start[v + 1]; i++) {
    const vbg_edge *e = &g->e[a->out[i]];
    if (strcmp(e->relation, "issued_by") != 0)
      continue;
    err = vbg__buf_printf(b, "%s%s", k++ ? ", " : "", g->v[e->to].label);
  }
  return err;
}

static json_t *jstr_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

static json_t *vertex_json(const vbg_graph *g, const adj *a, size_t v) {
  const vbg_vertex *x = &g->v[v];
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(x->id));
  json_object_set_new(o, "kind", json_string(vbg_kind_name(x->kind)));
  json_object_set_new(o, "label", jstr_or_null(x->label));
  if (x->kind == VBG_KIND_DOCUMENT) {
    vbg_buf b;
    vbg_buf_init(&b);
    bodies_of(&b, g, a, v);
    json_object_set_new(o, "key", jstr_or_null(x->key));
    json_object_set_new(o, "doc_type", jstr_or_null(x->doc_type));
    json_object_set_new(o, "number", jstr_or_null(x->number));
    json_object_set_new(o, "issuer_code", jstr_or_null(x->issuer_code));
    json_object_set_new(o, "issuer_body",
                        b.size ? json_string(b.ptr) : json_null());
    json_object_set_new(o, "date", jstr_or_null(x->date));
    json_object_set_new(o, "term", jstr_or_null(x->term));
    json_object_set_new(o, "title", jstr_or_null(x->title));
    json_object_set_new(o, "mentions", json_integer((json_int_t)x->mentions));
    json_object_set_new(o, "ambiguous", json_boolean(x->ambiguous));
    vbg_buf_dispose(&b);
  } else if (x->kind == VBG_KIND_BODY) {
    json_object_set_new(o, "level", jstr_or_null(x->level));
  } else {
    json_object_set_new(o, "file", jstr_or_null(x->file));
  }
  return o;
}

static json_t *evidence_json(const vbg_edge *e) {
  json_t *o = json_object();
  json_object_set_new(o, "file", jstr_or_null(e->file));
  json_object_set_new(o, "line", json_integer((json_int_t)e->line));
  json_object_set_new(o, "start", json_integer((json_int_t)e->start));
  json_object_set_new(o, "end", json_integer((json_int_t)e->end));
  json_object_set_new(o, "cue", jstr_or_null(e->cue));
  json_object_set_new(o, "times", json_integer((json_int_t)e->weight));
  return o;
}

/* "Nghị quyết 57-NQ/TW · Bộ Chính trị · 2024-12-22" */
static int doc_line(vbg_buf *out, const vbg_graph *g, const adj *a, size_t v) {
  const vbg_vertex *x = &g->v[v];
  int err = vbg__buf_puts(out, x->label ? x->label : x->id);
  if (err == 0 && x->kind == VBG_KIND_DOCUMENT) {
    vbg_buf b;
    vbg_buf_init(&b);
    err = bodies_of(&b, g, a, v);
    if (err == 0 && b.size)
      err = vbg__buf_printf(out, " · %s", b.ptr);
    if (err == 0 && x->date)
      err = vbg__buf_printf(out, " · %s", x->date);
    if (err == 0 && x->ambiguous)
      err = vbg__buf_puts(out, " · (several documents have this number)");
    vbg_buf_dispose(&b);
  }
  return err;
}

/* "samples/01.txt:7 “triển khai thực hiện”" */
static int evidence_line(vbg_buf *out, const vbg_edge *e) {
  int err = vbg__buf_printf(out, "%s:%zu", e->file ? e->file : "?", e->line);
  if (err == 0 && e->cue)
    err = vbg__buf_printf(out, " \u201c%s\u201d", e->cue);
  if (err == 0 && e->weight > 1)
    err = vbg__buf_printf(out, " (stated %zu times)", e->weight);
  return err;
}

static int dump_json(vbg_buf *out, json_t *o) {
  if (!o)
    return vbg__error_set(VBG_ENOMEM, "out of memory building JSON");
  char *s = json_dumps(o, JSON_INDENT(2));
  json_decref(o);
  if (!s)
    return vbg__error_set(VBG_ENOMEM, "out of memory writing JSON");
  int err = vbg__buf_puts(out, s);
  if (err == 0)
    err = vbg__buf_putc(out, '\n');
  free(s);
  return err;
}

/* ------------------------------------------------------------------ */
/* implements                                                          */
/* ------------------------------------------------------------------ */

typedef struct walk {
  const vbg_graph *g;
  const adj *a;
  const vbg_query_options *o;
  char *on_path; /* cycle guard */
} walk;

static int is_impl(const vbg_edge *e) {
  return strcmp(e->relation, "implements") == 0;
}

static int tree_text(walk *w, vbg_buf *out, size_t v, int depth,
                     vbg_buf *prefix) {
  const vbg_graph *g = w->g;
  const adj *a = w->a;
  size_t n = 0, k = 0;
  for (size_t i = a->in_start[v]; i < a->in_start[v + 1]; i++)
    n += is_impl(&g->e[a->in[i]]);
  int err = VBG_OK;
  for (size_t i = a->in_start[v]; err == 0 && i < a->in_start[v + 1]; i++) {
    const vbg_edge *e = &g->e[a->in[i]];
    if (!is_impl(e))
      continue;
    int last = ++k == n;
    err = vbg__buf_printf(out, "%s%s", prefix->ptr ? prefix->ptr : "",
                          last ? "└─ " : "├─ ");
    if (err == 0)
      err = doc_line(out, g, a, e->from);
    if (err == 0)
      err = vbg__buf_printf(out, "\n%s%s   implements — ",
                            prefix->ptr ? prefix->ptr : "", last ? " " : "│");
    if (err == 0)
      err = evidence_line(out, e);
    if (err == 0)
      err = vbg__buf_putc(out, '\n');
    if (err < 0)
      break;
    if (w->on_path[e->from]) {
      err = vbg__buf_printf(out, "%s%s   (cycle: already above)\n",
                            prefix->ptr ? prefix->ptr : "", last ? " " : "│");
      continue;
    }
    if (w->o->depth > 0 && depth + 1 >= w->o->depth)
      continue;
    size_t keep = prefix->size;
    err = vbg__buf_puts(prefix, last ? "   " : "│  ");
    w->on_path[e->from] = 1;
    if (err == 0)
      err = tree_text(w, out, e->from, depth + 1, prefix);
    w->on_path[e->from] = 0;
    prefix->size = keep;
    if (prefix->ptr)
      prefix->ptr[keep] = '\0';
  }
  return err;
}

static json_t *tree_json(walk *w, size_t v, int depth) {
  const vbg_graph *g = w->g;
  const adj *a = w->a;
  json_t *arr = json_array();
  for (size_t i = a->in_start[v]; i < a->in_start[v + 1]; i++) {
    const vbg_edge *e = &g->e[a->in[i]];
    if (!is_impl(e))
      continue;
    json_t *o = json_object();
    json_object_set_new(o, "document", vertex_json(g, a, e->from));
    json_object_set_new(o, "relation", json_string("implements"));
    json_object_set_new(o, "evidence", evidence_json(e));
    if (w->on_path[e->from]) {
      json_object_set_new(o, "cycle", json_true());
    } else if (w->o->depth == 0 || depth + 1 < w->o->depth) {
      w->on_path[e->from] = 1;
      json_object_set_new(o, "implemented_by",
                          tree_json(w, e->from, depth + 1));
      w->on_path[e->from] = 0;
    }
    json_array_append_new(arr, o);
  }
  return arr;
}

static int reviews_text(vbg_buf *out, const vbg_graph *g, const adj *a,
                        size_t v) {
  int err = VBG_OK, any = 0;
  for (size_t i = a->in_start[v]; err == 0 && i < a->in_start[v + 1]; i++) {
    const vbg_edge *e = &g->e[a->in[i]];
    if (strcmp(e->relation, "reviews") != 0)
      continue;
    if (!any++)
      err = vbg__buf_puts(out, "Reviews of its implementation:\n");
    if (err == 0)
      err =
          vbg__buf_printf(out, "  %s %s — ", vbg_kind_name(g->v[e->from].kind),
                          g->v[e->from].label);
    if (err == 0)
      err = evidence_line(out, e);
    if (err == 0)
      err = vbg__buf_putc(out, '\n');
  }
  return err;
}

static json_t *reviews_json(const vbg_graph *g, const adj *a, size_t v) {
  json_t *arr = json_array();
  for (size_t i = a->in_start[v]; i < a->in_start[v + 1]; i++) {
    const vbg_edge *e = &g->e[a->in[i]];
    if (strcmp(e->relation, "reviews") != 0)
      continue;
    json_t *o = json_object();
    json_object_set_new(o, "by", vertex_json(g, a, e->from));
    json_object_set_new(o, "evidence", evidence_json(e));
    json_array_append_new(arr, o);
  }
  return arr;
}

static int vbg_query_implements_impl(vbg_buf *out, const vbg_graph *g,
                                     size_t doc,
                                     const vbg_query_options *opts) {
  adj a;
  int err = adj_build(&a, g);
  char *on_path = err == 0 ? vbg__calloc(g->nv + 1, 1) : NULL;
  if (err == 0 && !on_path)
    err = VBG_ENOMEM;
  walk w = {g, &a, opts, on_path};
  if (err == 0 && opts->json) {
    on_path[doc] = 1;
    json_t *o = json_object();
    json_object_set_new(o, "document", vertex_json(g, &a, doc));
    json_object_set_new(o, "implemented_by", tree_json(&w, doc, 0));
    json_object_set_new(o, "reviewed_by", reviews_json(g, &a, doc));
    err = dump_json(out, o);
  } else if (err == 0) {
    vbg_buf prefix;
    vbg_buf_init(&prefix);
    on_path[doc] = 1;
    err = doc_line(out, g, &a, doc);
    if (err == 0 && g->v[doc].title)
      err = vbg__buf_printf(out, "\n   về \u201c%s\u201d", g->v[doc].title);
    if (err == 0)
      err = vbg__buf_putc(out, '\n');
    size_t before = out->size;
    if (err == 0)
      err = vbg__buf_puts(&prefix, "");
    if (err == 0)
      err = tree_text(&w, out, doc, 0, &prefix);
    if (err == 0 && out->size == before)
      err = vbg__buf_puts(
          out, "(nothing in the corpus states that it implements this)\n");
    if (err == 0)
      err = reviews_text(out, g, &a, doc);
    vbg_buf_dispose(&prefix);
  }
  vbg__free(on_path);
  adj_dispose(&a);
  return err;
}

/* ------------------------------------------------------------------ */
/* cites / cited-by                                                    */
/* ------------------------------------------------------------------ */

static int vbg_query_cites_impl(vbg_buf *out, const vbg_graph *g, size_t doc,
                                int outgoing, const vbg_query_options *opts) {
  adj a;
  int err = adj_build(&a, g);
  const size_t *start = outgoing ? a.out_start : a.in_start,
               *list = outgoing ? a.out : a.in;
  json_t *arr = opts->json ? json_array() : NULL;
  size_t n = 0;
  for (size_t i = start[doc]; err == 0 && i < start[doc + 1]; i++) {
    const vbg_edge *e = &g->e[list[i]];
    if (!is_doc_relation(e->relation))
      continue;
    size_t other = outgoing ? e->to : e->from;
    n++;
    if (arr) {
      json_t *o = json_object();
      json_object_set_new(o, "relation", json_string(e->relation));
      json_object_set_new(o, "document", vertex_json(g, &a, other));
      json_object_set_new(o, "evidence", evidence_json(e));
      json_array_append_new(arr, o);
      continue;
    }
    err = vbg__buf_printf(out, "%-11s %s ", e->relation, outgoing ? "→" : "←");
    if (err == 0)
      err = doc_line(out, g, &a, other);
    if (err == 0)
      err = vbg__buf_puts(out, "\n            ");
    if (err == 0)
      err = evidence_line(out, e);
    if (err == 0)
      err = vbg__buf_putc(out, '\n');
  }
  if (err == 0 && arr) {
    json_t *o = json_object();
    json_object_set_new(o, "document", vertex_json(g, &a, doc));
    json_object_set_new(o, outgoing ? "cites" : "cited_by", arr);
    arr = NULL;
    err = dump_json(out, o);
  } else if (err == 0 && n == 0) {
    err = vbg__buf_puts(
        out, outgoing ? "(the corpus states no relation from this document)\n"
                      : "(no document in the corpus relates to this one)\n");
  }
  json_decref(arr);
  adj_dispose(&a);
  return err;
}

/* ------------------------------------------------------------------ */
/* show                                                                */
/* ------------------------------------------------------------------ */

static int show_text(vbg_buf *out, const vbg_graph *g, const adj *a, size_t v) {
  const vbg_vertex *x = &g->v[v];
  int err = vbg__buf_printf(out, "%s\n", x->label ? x->label : x->id);
  const struct {
    const char *name, *value;
  } rows[] = {{"id", x->id},         {"key", x->key},
              {"type", x->doc_type}, {"type code", x->type_code},
              {"number", x->number}, {"issuer code", x->issuer_code},
              {"date", x->date},     {"term", x->term},
              {"title", x->title}};
  for (size_t i = 0; err == 0 && i < VBG__ARRAY_LEN(rows); i++)
    if (rows[i].value)
      err = vbg__buf_printf(out, "  %-12s %s\n", rows[i].name, rows[i].value);
  if (err == 0 && x->year)
    err = vbg__buf_printf(out, "  %-12s %d\n", "year", x->year);
  if (err == 0 && x->ambiguous)
    err = vbg__buf_puts(
        out, "  ambiguous    yes: mentions that fit several documents\n");
  for (size_t i = a->out_start[v]; err == 0 && i < a->out_start[v + 1]; i++) {
    const vbg_edge *e = &g->e[a->out[i]];
    if (strcmp(e->relation, "issued_by") == 0)
      err = vbg__buf_printf(out, "  %-12s %s (%s)\n", "issued by",
                            g->v[e->to].label,
                            g->v[e->to].level ? g->v[e->to].level : "?");
  }
  if (err == 0)
    err = vbg__buf_printf(out, "  %-12s %zu time%s\n", "mentioned", x->mentions,
                          x->mentions == 1 ? "" : "s");
  for (size_t i = a->in_start[v]; err == 0 && i < a->in_start[v + 1]; i++) {
    const vbg_edge *e = &g->e[a->in[i]];
    if (strcmp(e->relation, "mentions") != 0)
      continue;
    err = vbg__buf_printf(out, "    %zu× in %s, first at ", e->weight,
                          g->v[e->from].label);
    if (err == 0)
      err = vbg__buf_printf(out, "%s:%zu\n", e->file, e->line);
  }
  for (int dir = 0; err == 0 && dir < 2; dir++) {
    const size_t *start = dir ? a->in_start : a->out_start,
                 *list = dir ? a->in : a->out;
    for (size_t i = start[v]; err == 0 && i < start[v + 1]; i++) {
      const vbg_edge *e = &g->e[list[i]];
      if (!is_doc_relation(e->relation))
        continue;
      size_t other = dir ? e->from : e->to;
      err = vbg__buf_printf(out, "  %s %s %s — ", e->relation, dir ? "←" : "→",
                            g->v[other].label);
      if (err == 0)
        err = evidence_line(out, e);
      if (err == 0)
        err = vbg__buf_putc(out, '\n');
    }
  }
  return err;
}

static int vbg_query_show_impl(vbg_buf *out, const vbg_graph *g, size_t doc,
                               const vbg_query_options *opts) {
  adj a;
  int err = adj_build(&a, g);
  if (err == 0 && !opts->json) {
    err = show_text(out, g, &a, doc);
  } else if (err == 0) {
    json_t *o = vertex_json(g, &a, doc), *m = json_array(), *rel = json_array();
    for (size_t i = a.in_start[doc]; i < a.in_start[doc + 1]; i++) {
      const vbg_edge *e = &g->e[a.in[i]];
      if (strcmp(e->relation, "mentions") == 0) {
        json_t *x = json_object();
        json_object_set_new(x, "article", json_string(g->v[e->from].id));
        json_object_set_new(x, "evidence", evidence_json(e));
        json_array_append_new(m, x);
      }
    }
    for (int dir = 0; dir < 2; dir++) {
      const size_t *start = dir ? a.in_start : a.out_start,
                   *list = dir ? a.in : a.out;
      for (size_t i = start[doc]; i < start[doc + 1]; i++) {
        const vbg_edge *e = &g->e[list[i]];
        if (strcmp(e->relation, "mentions") == 0)
          continue;
        json_t *x = json_object();
        json_object_set_new(x, "relation", json_string(e->relation));
        json_object_set_new(x, "direction", json_string(dir ? "in" : "out"));
        json_object_set_new(x, "other",
                            json_string(g->v[dir ? e->from : e->to].id));
        json_object_set_new(x, "evidence", evidence_json(e));
        json_array_append_new(rel, x);
      }
    }
    json_object_set_new(o, "mentioned_in", m);
    json_object_set_new(o, "relations", rel);
    err = dump_json(out, o);
  }
  adj_dispose(&a);
  return err;
}

/* ------------------------------------------------------------------ */
/* top                                                                 */
/* ------------------------------------------------------------------ */

typedef struct ranked {
  size_t v;
  double score;
} ranked;

static int cmp_ranked(const void *x, const void *y) {
  const ranked *a = x, *b = y;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return a->v < b->v ? -1 : a->v > b->v;
}

/* In-degree by mentions for documents, by edges for others. */
static double popularity(const vbg_graph *g, const adj *a, size_t v) {
  if (g->v[v].kind == VBG_KIND_DOCUMENT)
    return (double)g->v[v].mentions;
  double s = 0;
  for (size_t i = a->in_start[v]; i < a->in_start[v + 1]; i++)
    s += (double)g->e[a->in[i]].weight;
  for (size_t i = a->out_start[v]; i < a->out_start[v + 1]; i++)
    s += (double)g->e[a->out[i]].weight;
  return s;
}

static int vbg_query_top_impl(vbg_buf *out, const vbg_graph *g,
                              const vbg_query_options *opts) {
  size_t limit = opts->limit ? opts->limit : 20;
  adj a;
  int err = adj_build(&a, g);
  double *pr = vbg__calloc(g->nv + 1, sizeof(*pr));
  ranked *by_m = vbg__calloc(g->nv + 1, sizeof(*by_m)),
         *by_pr = vbg__calloc(g->nv + 1, sizeof(*by_pr));
  if (err == 0 && (!pr || !by_m || !by_pr))
    err = VBG_ENOMEM;
  if (err == 0)
    err = vbg__graph_pagerank(g, pr);
  size_t n = 0;
  for (size_t v = 0; err == 0 && v < g->nv; v++) {
    if (opts->kind >= 0 && g->v[v].kind != (vbg_kind)opts->kind)
      continue;
    by_m[n] = (ranked){v, popularity(g, &a, v)};
    by_pr[n] = (ranked){v, pr[v]};
    n++;
  }
  if (err == 0) {
    if (n > 1)
      qsort(by_m, n, sizeof(*by_m), cmp_ranked);
    if (n > 1)
      qsort(by_pr, n, sizeof(*by_pr), cmp_ranked);
  }
  size_t k = n < limit ? n : limit;
  if (err == 0 && opts->json) {
    json_t *o = json_object(), *m = json_array(), *p = json_array();
    for (size_t i = 0; i < k; i++) {
      json_t *x = vertex_json(g, &a, by_m[i].v);
      json_object_set_new(x, "score", json_real(by_m[i].score));
      json_array_append_new(m, x);
      x = vertex_json(g, &a, by_pr[i].v);
      json_object_set_new(x, "pagerank", json_real(by_pr[i].score));
      json_array_append_new(p, x);
    }
    json_object_set_new(o, "by_mentions", m);
    json_object_set_new(o, "by_pagerank", p);
    err = dump_json(out, o);
  } else if (err == 0) {
    err = vbg__buf_printf(out, "By %s:\n",
                          opts->kind == VBG_KIND_DOCUMENT ? "mentions"
                                                          : "degree");
    for (size_t i = 0; err == 0 && i < k; i++) {
      err = vbg__buf_printf(out, "%4zu. %6.0f  ", i + 1, by_m[i].score);
      if (err == 0)
        err = doc_line(out, g, &a, by_m[i].v);
      if (err == 0)
        err = vbg__buf_putc(out, '\n');
    }
    if (err == 0)
      err = vbg__buf_puts(out, "By PageRank:\n");
    for (size_t i = 0; err == 0 && i < k; i++) {
      err = vbg__buf_printf(out, "%4zu. %.4f  ", i + 1, by_pr[i].score);
      if (err == 0)
        err = doc_line(out, g, &a, by_pr[i].v);
      if (err == 0)
        err = vbg__buf_putc(out, '\n');
    }
  }
  vbg__free(pr);
  vbg__free(by_m);
  vbg__free(by_pr);
  adj_dispose(&a);
  return err;
}

/* ------------------------------------------------------------------ */
/* path                                                                */
/* ------------------------------------------------------------------ */

/* The edge joining x and y (either direction), preferring doc relations. */
static long joining_edge(const vbg_graph *g, const adj *a, size_t x, size_t y,
                         int *forward) {
  long best = -1;
  for (size_t i = a->out_start[x]; i < a->out_start[x + 1]; i++)
    if (g->e[a->out[i]].to == y &&
        (best < 0 || is_doc_relation(g->e[a->out[i]].relation))) {
      best = (long)a->out[i];
      *forward = 1;
    }
  if (best >= 0)
    return best;
  for (size_t i = a->in_start[x]; i < a->in_start[x + 1]; i++)
    if (g->e[a->in[i]].from == y &&
        (best < 0 || is_doc_relation(g->e[a->in[i]].relation))) {
      best = (long)a->in[i];
      *forward = 0;
    }
  return best;
}

static int vbg_query_path_impl(vbg_buf *out, const vbg_graph *g, size_t from,
                               size_t to, const vbg_query_options *opts) {
  size_t *path = NULL, n = 0;
  int directed = 1;
  int err = vbg__graph_path(&path, &n, g, from, to, 1);
  if (err == 0 && n == 0) {
    directed = 0;
    err = vbg__graph_path(&path, &n, g, from, to, 0);
  }
  adj a;
  if (err == 0)
    err = adj_build(&a, g);
  else
    memset(&a, 0, sizeof(a));
  if (err == 0 && opts->json) {
    json_t *o = json_object(), *steps = json_array();
    json_object_set_new(o, "directed", json_boolean(directed));
    for (size_t i = 0; i < n; i++) {
      json_t *s = json_object();
      json_object_set_new(s, "vertex", vertex_json(g, &a, path[i]));
      int fwd = 1;
      long e = i + 1 < n ? joining_edge(g, &a, path[i], path[i + 1], &fwd) : -1;
      if (e >= 0) {
        json_object_set_new(s, "relation", json_string(g->e[e].relation));
        json_object_set_new(s, "forward", json_boolean(fwd));
        json_object_set_new(s, "evidence", evidence_json(&g->e[e]));
      }
      json_array_append_new(steps, s);
    }
    json_object_set_new(o, "path", steps);
    err = dump_json(out, o);
  } else if (err == 0 && n == 0) {
    err = vbg__buf_puts(out, "(no chain of relations joins them)\n");
  } else if (err == 0) {
    if (!directed)
      err = vbg__buf_puts(out, "(no chain along the relations' direction; "
                               "a chain ignoring direction:)\n");
    for (size_t i = 0; err == 0 && i < n; i++) {
      err = doc_line(out, g, &a, path[i]);
      if (err == 0)
        err = vbg__buf_putc(out, '\n');
      int fwd = 1;
      long e = i + 1 < n ? joining_edge(g, &a, path[i], path[i + 1], &fwd) : -1;
      if (err == 0 && e >= 0) {
        err = vbg__buf_printf(out, "  %s %s — ", fwd ? "↓" : "↑",
                              g->e[e].relation);
        if (err == 0)
          err = evidence_line(out, &g->e[e]);
        if (err == 0)
          err = vbg__buf_putc(out, '\n');
      }
    }
  }
  vbg__free(path);
  adj_dispose(&a);
  return err;
}

int vbg_graph_lookup(size_t **out, size_t *n, const vbg_graph *g,
                     const vbg_extractor *ex, const char *text, size_t len) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_graph_lookup_impl(out, n, g, ex, text, len);
  VBG__OOM_CHECK(err, before);
  if (err < 0) {
    vbg__free(*out);
    *out = NULL;
    *n = 0;
  }
  return err;
}

int vbg_graph_suggest(size_t **out, size_t *n, const vbg_graph *g,
                      const char *text, size_t len, size_t max) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_graph_suggest_impl(out, n, g, text, len, max);
  VBG__OOM_CHECK(err, before);
  if (err < 0) {
    vbg__free(*out);
    *out = NULL;
    *n = 0;
  }
  return err;
}

int vbg_query_implements(vbg_buf *out, const vbg_graph *g, size_t doc,
                         const vbg_query_options *opts) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_query_implements_impl(out, g, doc, opts);
  VBG__OOM_CHECK(err, before);
  return err;
}

int vbg_query_cites(vbg_buf *out, const vbg_graph *g, size_t doc, int outgoing,
                    const vbg_query_options *opts) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_query_cites_impl(out, g, doc, outgoing, opts);
  VBG__OOM_CHECK(err, before);
  return err;
}

int vbg_query_show(vbg_buf *out, const vbg_graph *g, size_t doc,
                   const vbg_query_options *opts) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_query_show_impl(out, g, doc, opts);
  VBG__OOM_CHECK(err, before);
  return err;
}

int vbg_query_top(vbg_buf *out, const vbg_graph *g,
                  const vbg_query_options *opts) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_query_top_impl(out, g, opts);
  VBG__OOM_CHECK(err, before);
  return err;
}

int vbg_query_path(vbg_buf *out, const vbg_graph *g, size_t a, size_t b,
                   const vbg_query_options *opts) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_query_path_impl(out, g, a, b, opts);
  VBG__OOM_CHECK(err, before);
  return err;
}
