/*
 * graph.c - pipeline stage 7: the citation graph.
 *
 * The builder aggregates references per (input, document key): how often the
 * input names the document, where first, what it says of it (body, date,
 * term, title) and the relations it states.  finish() then decides which
 * aggregates are the same document (identity rules below), adds the
 * issuing bodies and the articles, and builds the igraph twin in one batch.
 *
 * Identity.  References with the same key are one document, except for
 * local numbers (TU, HU, ĐU, UBND, HĐND ...: they restart every year and
 * repeat across provinces), told apart by issuing body and year, and Party
 * numbers of central bodies, told apart by term.  An input that gives
 * neither attaches to the one candidate when there is exactly one; when
 * there are several it goes to a node marked ambiguous, never silently to
 * one of them.
 *
 * This is the only file that includes igraph.h.  igraph's default error
 * handler aborts: every call runs under igraph_error_handler_ignore and the
 * previous handlers are put back before returning.  The attribute table is
 * process-global; it is set here, as the public header says.
 */
#include <igraph/igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "graph.h"
#include "tables.h"

/* ------------------------------------------------------------------ */
/* Builder state                                                       */
/* ------------------------------------------------------------------ */

typedef struct frel {
  vbg_rel type;
  char *target;
  char *cue;
  char *by;                         /* reviews: the body holding the review */
  size_t by_start, by_end, by_line; /* the statement that names it */
  size_t by_count;                  /* statements that name a body */
  char *by_cue;                     /* the cue of that statement */
  size_t start, end, line, count;
} frel;

/* One document as one input speaks of it. */
typedef struct entry {
  size_t file; /* index into builder files */
  char *key;
  char *doc_type, *type_code, *number, *issuer_code, *date, *body, *term,
      *title;
  int year, full;
  size_t count;
  size_t start, end, line;    /* first mention */
  size_t bstart, bend, bline; /* the mention that named the body */
  frel *rels;
  size_t nrels, arels;
  size_t node;      /* document vertex, decided by finish() */
  size_t rank;      /* rank of the input in path order, set by finish() */
  int spec;         /* specificity(), set by finish() for sorting */
  size_t blen;      /* length of the body's committee name, likewise */
  const char *bcom; /* the body's committee name (in body), likewise */
  int dyear;        /* the year of date, likewise */
  size_t krank;     /* rank of the key in byte order, likewise */
} entry;

struct vbg_builder {
  char **files;
  size_t nfiles, afiles;
  size_t *fslots; /* open-addressing hash of file path -> index + 1 */
  size_t nfslots;
  entry *v;
  size_t n, a;
  size_t *slots; /* open-addressing hash of (file, key) -> entry index + 1 */
  size_t nslots;
};

static uint64_t hash_str(uint64_t h, const char *s) {
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static uint64_t entry_hash(size_t file, const char *key) {
  return hash_str(
      14695981039346656037ull ^ (uint64_t)file * 0x9E3779B97F4A7C15ull, key);
}

static int rehash(vbg_builder *b) {
  size_t n = b->nslots ? b->nslots * 2 : 1024;
  size_t *slots = vbg__calloc(n, sizeof(*slots));
  if (!slots)
    return VBG_ENOMEM;
  for (size_t i = 0; i < b->n; i++) {
    size_t h = (size_t)entry_hash(b->v[i].file, b->v[i].key) & (n - 1);
    while (slots[h])
      h = (h + 1) & (n - 1);
    slots[h] = i + 1;
  }
  vbg__free(b->slots);
  b->slots = slots;
  b->nslots = n;
  return VBG_OK;
}

int vbg_builder_new(vbg_builder **out) {
  *out = vbg__calloc(1, sizeof(**out));
  return *out ? VBG_OK : VBG_ENOMEM;
}

static void entry_dispose(entry *e) {
  char **strs[] = {&e->key,    &e->doc_type,    &e->type_code,
                   &e->number, &e->issuer_code, &e->date,
                   &e->body,   &e->term,        &e->title};
  for (size_t i = 0; i < VBG__ARRAY_LEN(strs); i++)
    vbg__free(*strs[i]);
  for (size_t i = 0; i < e->nrels; i++) {
    vbg__free(e->rels[i].target);
    vbg__free(e->rels[i].cue);
    vbg__free(e->rels[i].by);
    vbg__free(e->rels[i].by_cue);
  }
  vbg__free(e->rels);
}

void vbg_builder_free(vbg_builder *b) {
  if (!b)
    return;
  for (size_t i = 0; i < b->n; i++)
    entry_dispose(&b->v[i]);
  for (size_t i = 0; i < b->nfiles; i++)
    vbg__free(b->files[i]);
  vbg__free(b->files);
  vbg__free(b->fslots);
  vbg__free(b->v);
  vbg__free(b->slots);
  vbg__free(b);
}

static int file_rehash(vbg_builder *b) {
  size_t n = b->nfslots ? b->nfslots * 2 : 256;
  size_t *slots = vbg__calloc(n, sizeof(*slots));
  if (!slots)
    return VBG_ENOMEM;
  for (size_t i = 0; i < b->nfiles; i++) {
    size_t h = (size_t)hash_str(14695981039346656037ull, b->files[i]) & (n - 1);
    while (slots[h])
      h = (h + 1) & (n - 1);
    slots[h] = i + 1;
  }
  vbg__free(b->fslots);
  b->fslots = slots;
  b->nfslots = n;
  return VBG_OK;
}

/* The index of an input path, added when new (hashed: archives have
 * millions of files). */
static long file_index(vbg_builder *b, const char *file) {
  if ((b->nfiles + 1) * 2 > b->nfslots && file_rehash(b) < 0)
    return VBG_ENOMEM;
  size_t h = (size_t)hash_str(14695981039346656037ull, file) & (b->nfslots - 1);
  while (b->fslots[h]) {
    if (strcmp(b->files[b->fslots[h] - 1], file) == 0)
      return (long)(b->fslots[h] - 1);
    h = (h + 1) & (b->nfslots - 1);
  }
  if (b->nfiles == b->afiles) {
    size_t a = b->afiles ? b->afiles * 2 : 64;
    char **v = vbg__realloc(b->files, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    b->files = v;
    b->afiles = a;
  }
  if (!(b->files[b->nfiles] = vbg__strdup(file)))
    return VBG_ENOMEM;
  b->fslots[h] = b->nfiles + 1;
  return (long)b->nfiles++;
}

static entry *entry_get(vbg_builder *b, size_t file, const char *key) {
  if ((b->n + 1) * 2 > b->nslots && rehash(b) < 0)
    return NULL;
  size_t h = (size_t)entry_hash(file, key) & (b->nslots - 1);
  while (b->slots[h]) {
    entry *e = &b->v[b->slots[h] - 1];
    if (e->file == file && strcmp(e->key, key) == 0)
      return e;
    h = (h + 1) & (b->nslots - 1);
  }
  if (b->n == b->a) {
    size_t a = b->a ? b->a * 2 : 256;
    entry *v = vbg__realloc(b->v, a * sizeof(*v));
    if (!v)
      return NULL;
    b->v = v;
    b->a = a;
  }
  entry *e = &b->v[b->n];
  memset(e, 0, sizeof(*e));
  e->file = file;
  if (!(e->key = vbg__strdup(key)))
    return NULL;
  b->slots[h] = ++b->n;
  return e;
}

/* Keep the first value seen. */
static int keep(char **slot, const char *value) {
  if (*slot || !value)
    return VBG_OK;
  return (*slot = vbg__strdup(value)) ? VBG_OK : VBG_ENOMEM;
}

static int add_rel(entry *e, const vbg_relation *r) {
  for (size_t i = 0; i < e->nrels; i++)
    if (e->rels[i].type == r->type &&
        strcmp(e->rels[i].target, r->target) == 0) {
      e->rels[i].count++;
      if (r->start < e->rels[i].start) { /* the first statement in the text */
        char *cue = r->cue ? vbg__strdup(r->cue) : NULL;
        if (r->cue && !cue)
          return VBG_ENOMEM;
        vbg__free(e->rels[i].cue);
        e->rels[i].cue = cue;
        e->rels[i].start = r->start;
        e->rels[i].end = r->end;
        e->rels[i].line = r->line;
      }
      /* a later statement may name who held the review */
      e->rels[i].by_count += r->by != NULL;
      if (!e->rels[i].by && r->by) {
        if (!(e->rels[i].by = vbg__strdup(r->by)) ||
            (r->cue && !(e->rels[i].by_cue = vbg__strdup(r->cue))))
          return VBG_ENOMEM;
        e->rels[i].by_start = r->start;
        e->rels[i].by_end = r->end;
        e->rels[i].by_line = r->line;
      }
      return VBG_OK;
    }
  if (e->nrels == e->arels) {
    size_t a = e->arels ? e->arels * 2 : 4;
    frel *v = vbg__realloc(e->rels, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    e->rels = v;
    e->arels = a;
  }
  frel *f = &e->rels[e->nrels];
  memset(f, 0, sizeof(*f));
  f->type = r->type;
  f->start = r->start;
  f->end = r->end;
  f->line = r->line;
  f->count = 1;
  f->by_count = r->by != NULL;
  f->by_start = r->start;
  f->by_end = r->end;
  f->by_line = r->line;
  if (!(f->target = vbg__strdup(r->target)) ||
      (r->cue && !(f->cue = vbg__strdup(r->cue))) ||
      (r->by && !(f->by = vbg__strdup(r->by))) ||
      (r->by && r->cue && !(f->by_cue = vbg__strdup(r->cue)))) {
    vbg__free(f->target);
    vbg__free(f->cue);
    vbg__free(f->by);
    vbg__free(f->by_cue);
    return VBG_ENOMEM;
  }
  e->nrels++;
  return VBG_OK;
}

/* Fold one reference into the builder. */
static int add_ref(vbg_builder *b, size_t file, const vbg_ref *r) {
  const char *key = r->key ? r->key : r->resolves_to;
  if (!key)
    return VBG_OK; /* a short form nobody could resolve names no document */
  entry *e = entry_get(b, file, key);
  if (!e)
    return VBG_ENOMEM;
  /* the first mention in the text, whatever order the pieces came in */
  if (e->count++ == 0 || r->start < e->start) {
    e->start = r->start;
    e->end = r->end;
    e->line = r->line;
  }
  int err = VBG_OK;
  if (r->key && !e->full) {
    e->full = 1;
    e->year = r->year;
    if ((err = keep(&e->type_code, r->type_code)) < 0 ||
        (err = keep(&e->number, r->number)) < 0 ||
        (err = keep(&e->issuer_code, r->issuer_code)) < 0)
      return err;
  }
  if (r->issuer_body && !e->body) {
    e->bstart = r->start;
    e->bend = r->end;
    e->bline = r->line;
  }
  if ((err = keep(&e->doc_type, r->doc_type)) < 0 ||
      (err = keep(&e->date, r->date)) < 0 ||
      (err = keep(&e->body, r->issuer_body)) < 0 ||
      (err = keep(&e->term, r->term)) < 0 ||
      (err = keep(&e->title, r->title)) < 0)
    return err;
  for (size_t i = 0; i < r->nrelations; i++)
    if ((err = add_rel(e, &r->relations[i])) < 0)
      return err;
  return VBG_OK;
}

int vbg__builder_add_ref(vbg_builder *b, const char *file, const vbg_ref *r) {
  long f = file_index(b, file);
  return f < 0 ? (int)f : add_ref(b, (size_t)f, r);
}

static int vbg_builder_add_impl(vbg_builder *b, const char *file,
                                const vbg_refs *refs) {
  long f = file_index(b, file);
  if (f < 0)
    return (int)f;
  for (size_t i = 0; i < vbg_refs_count(refs); i++) {
    int err = add_ref(b, (size_t)f, vbg_refs_get(refs, i));
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* Identity                                                            */
/* ------------------------------------------------------------------ */

typedef struct cluster {
  const char *body; /* distinguishing body (local numbers) */
  const char *bcom; /* its committee name, and that name's length */
  size_t blen;
  int year;         /* distinguishing year (local numbers) */
  const char *term; /* distinguishing term (central Party numbers) */
  int ambiguous;
  size_t node;
} cluster;

typedef struct docs {
  vbg_vertex *v;
  size_t n, a;
} docs;

static int year_of(const char *date) { return date ? atoi(date) : 0; }

static int is_central_party(const entry *e) {
  return e->issuer_code && vbg__issuer_is_party(e->issuer_code) &&
         !vbg__issuer_is_local(e->issuer_code);
}

static int is_local(const entry *e) {
  return e->issuer_code && vbg__issuer_is_local(e->issuer_code);
}

static int str_eq(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The committee behind a body name: "Ban Thường vụ Tỉnh ủy" and
 * "Thường trực Tỉnh ủy" issue under the Tỉnh ủy's code. */
static const char *committee(const char *body) {
  static const char *const prefixes[] = {"Ban Thường vụ ", "Thường trực ",
                                         "Ban Chấp hành "};
  for (size_t i = 0; i < VBG__ARRAY_LEN(prefixes); i++)
    if (strncmp(body, prefixes[i], strlen(prefixes[i])) == 0)
      return body + strlen(prefixes[i]);
  return body;
}

/* Can two body names be the same body?  Equal, or one names it less
 * precisely ("Thành ủy" and "Thành ủy Hà Nội").  a and b are committee
 * names (committee()), n and m their lengths: clustering asks this for
 * every entry of a key against every document of it. */
static int body_compat(const char *a, size_t n, const char *b, size_t m) {
  if (n > m) {
    const char *t = a;
    a = b;
    b = t;
    size_t k = n;
    n = m;
    m = k;
  }
  return strncmp(a, b, n) == 0 && (n == m || b[n] == ' ');
}

/* Does entry e fit cluster c (no attribute contradicts it)? */
static int fits(const entry *e, const cluster *c) {
  if (c->ambiguous)
    return 0;
  if (e->body && c->body && !body_compat(e->bcom, e->blen, c->bcom, c->blen))
    return 0;
  int y = e->dyear;
  if (y && c->year && y != c->year)
    return 0;
  if (e->term && c->term && strcmp(e->term, c->term) != 0)
    return 0;
  return 1;
}

/* Sort entries of one key: most specific first, then by file. */
static int specificity(const entry *e) {
  return (e->body != NULL) * 2 + (e->date != NULL) + (e->term != NULL) * 2;
}

/* ------------------------------------------------------------------ */
/* finish(): documents, bodies, articles, edges                        */
/* ------------------------------------------------------------------ */

typedef struct gb {
  vbg_builder *b;
  size_t *file_rank; /* rank of each input in path order */
  vbg_vertex *v;
  size_t nv, av;
  vbg_edge *e;
  size_t ne, ae;
} gb;

static int push_vertex(gb *g, vbg_vertex **out) {
  if (g->nv == g->av) {
    size_t a = g->av ? g->av * 2 : 256;
    vbg_vertex *v = vbg__realloc(g->v, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    g->v = v;
    g->av = a;
  }
  *out = &g->v[g->nv++];
  memset(*out, 0, sizeof(**out));
  return VBG_OK;
}

static char *dupn(const char *s) { return s ? vbg__strdup(s) : NULL; }

static char *printf_dup(const char *fmt, const char *a, const char *b,
                        const char *c) {
  vbg_buf buf;
  vbg_buf_init(&buf);
  int err = vbg__buf_printf(&buf, fmt, a, b ? b : "", c ? c : "");
  char *s = err ? NULL : vbg__buf_detach(&buf);
  vbg_buf_dispose(&buf);
  return s;
}

/* Entries of one key together, most specific first, then in input order. */
static int cmp_entry(const void *x, const void *y) {
  const entry *a = *(entry *const *)x, *b = *(entry *const *)y;
  if (a->krank != b->krank) /* strcmp order of the keys */
    return a->krank < b->krank ? -1 : 1;
  if (a->spec != b->spec)
    return b->spec - a->spec;
  /* the most precise body names found documents first */
  if (a->blen != b->blen)
    return a->blen > b->blen ? -1 : 1;
  if (a->rank != b->rank)
    return a->rank < b->rank ? -1 : 1;
  return a->start < b->start ? -1 : a->start > b->start;
}

static const char *doc_label_type(entry *const *es, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (es[i]->doc_type && strcmp(es[i]->doc_type, "Văn bản") != 0)
      return es[i]->doc_type;
  return NULL;
}

/* Make the document vertex of one cluster from its entries. */
static int make_doc(gb *g, const char *key, const char *id, entry *const *es,
                    size_t n, const cluster *c) {
  vbg_vertex *v;
  int err = push_vertex(g, &v);
  if (err < 0)
    return err;
  v->kind = VBG_KIND_DOCUMENT;
  v->id = vbg__strdup(id);
  v->key = vbg__strdup(key);
  v->ambiguous = c->ambiguous;
  const entry *full = NULL;
  for (size_t i = 0; i < n; i++) {
    const entry *e = es[i];
    v->mentions += e->count;
    if (e->full && !full)
      full = e;
    if (!v->date && e->date)
      v->date = vbg__strdup(e->date);
    if (!v->term && e->term)
      v->term = vbg__strdup(e->term);
    if (!v->title && e->title)
      v->title = vbg__strdup(e->title);
  }
  const char *dt = doc_label_type(es, n);
  if (!dt && full && full->type_code) {
    const vbg__type_code *tc =
        vbg__type_code_find(full->type_code, strlen(full->type_code));
    dt = tc ? tc->doc_type : NULL;
  }
  v->doc_type = dupn(dt);
  if (full) {
    v->type_code = dupn(full->type_code);
    v->number = dupn(full->number);
    v->issuer_code = dupn(full->issuer_code);
    v->year = full->year;
  }
  v->label = dt ? printf_dup("%s %s%s", dt, key, c->ambiguous ? " (?)" : "")
                : printf_dup("%s%s%s", key, c->ambiguous ? " (?)" : "", NULL);
  if (!v->id || !v->key || !v->label)
    return VBG_ENOMEM;
  return VBG_OK;
}

static char *cluster_id(const char *key, const cluster *c, int several) {
  if (c->ambiguous)
    return printf_dup("%s [?]%s%s", key, NULL, NULL);
  if (!several)
    return vbg__strdup(key);
  char year[16] = "";
  if (c->year)
    snprintf(year, sizeof(year), "%d", c->year);
  if (c->term)
    return printf_dup("%s [khóa %s]%s", key, c->term, NULL);
  if (c->body && c->year)
    return printf_dup("%s [%s, %s]", key, c->body, year);
  return printf_dup("%s [%s]%s", key, c->body ? c->body : year, NULL);
}

typedef struct clusters {
  cluster *v;
  size_t n, a;
} clusters;

static long add_cluster(clusters *cs, cluster c) {
  if (cs->n == cs->a) {
    size_t a = cs->a ? cs->a * 2 : 8;
    cluster *v = vbg__realloc(cs->v, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    cs->v = v;
    cs->a = a;
  }
  cs->v[cs->n] = c;
  return (long)cs->n++;
}

static int founds(const entry *e, int local, int party) {
  return (local && e->body) || (party && e->term);
}

static int same_founder(const entry *e, const cluster *c, int local) {
  if (local)
    return e->body && c->body &&
           body_compat(e->bcom, e->blen, c->bcom, c->blen);
  return str_eq(e->term, c->term);
}

/* First pass: entries that say enough to found a document. */
static int found_clusters(clusters *cs, entry **es, size_t n, int local,
                          int party) {
  for (size_t i = 0; i < n; i++) {
    entry *e = es[i];
    if (!founds(e, local, party))
      continue;
    size_t k;
    for (k = 0; k < cs->n; k++)
      if (fits(e, &cs->v[k]) && same_founder(e, &cs->v[k], local))
        break;
    if (k < cs->n) {
      if (local && !cs->v[k].year)
        cs->v[k].year = e->dyear;
      if (local && e->blen > cs->v[k].blen) {
        /* the most precise name names the document */
        cs->v[k].body = e->body;
        cs->v[k].bcom = e->bcom;
        cs->v[k].blen = e->blen;
      }
      continue;
    }
    cluster c = {local ? e->body : NULL,
                 local ? e->bcom : NULL,
                 local ? e->blen : 0,
                 local ? e->dyear : 0,
                 party ? e->term : NULL,
                 0,
                 0};
    if (add_cluster(cs, c) < 0)
      return VBG_ENOMEM;
  }
  return VBG_OK;
}

/* Second pass: every entry joins the one document it fits, founds one when
 * none fits, or goes to the key's ambiguous node when several do. */
static int assign_clusters(clusters *cs, entry **es, size_t n, int local,
                           int party, size_t *assign) {
  long amb = -1;
  for (size_t i = 0; i < n; i++) {
    entry *e = es[i];
    long hit = -1;
    int hits = 0;
    for (size_t k = 0; k < cs->n; k++)
      if (!cs->v[k].ambiguous && fits(e, &cs->v[k]) &&
          (!founds(e, local, party) || same_founder(e, &cs->v[k], local))) {
        if (hit < 0)
          hit = (long)k;
        hits++;
      }
    if (hits == 0) {
      hit = add_cluster(
          cs, (cluster){NULL, NULL, 0, local ? e->dyear : 0, NULL, 0, 0});
    } else if (hits > 1) {
      if (amb < 0)
        amb = add_cluster(cs, (cluster){NULL, NULL, 0, 0, NULL, 1, 0});
      hit = amb;
    }
    if (hit < 0)
      return VBG_ENOMEM;
    assign[i] = (size_t)hit;
  }
  return VBG_OK;
}

/* Split the entries of one key into documents. */
static int cluster_key(gb *g, entry **es, size_t n) {
  clusters cs = {0};
  int local = is_local(es[0]), party = is_central_party(es[0]);
  size_t *assign = vbg__calloc(n, sizeof(*assign));
  entry **members = vbg__calloc(n, sizeof(*members));
  int err =
      assign && members ? found_clusters(&cs, es, n, local, party) : VBG_ENOMEM;
  if (err == 0)
    err = assign_clusters(&cs, es, n, local, party, assign);
  int several = 0;
  for (size_t k = 0; err == 0 && k < cs.n; k++)
    several += !cs.v[k].ambiguous;
  /* members grouped by cluster, in entry order: first[k] is where cluster
   * k's start (counted, not a scan of the entries per cluster) */
  size_t *first = err == 0 ? vbg__calloc(cs.n + 1, sizeof(*first)) : NULL;
  if (err == 0 && !first)
    err = VBG_ENOMEM;
  for (size_t i = 0; err == 0 && i < n; i++)
    first[assign[i] + 1]++;
  for (size_t k = 0; err == 0 && k < cs.n; k++)
    first[k + 1] += first[k];
  for (size_t i = 0, *at = first; err == 0 && i < n; i++)
    members[at[assign[i]]++] = es[i];
  /* at[] moved each start to the next cluster's: first[k] is now the end
   * of cluster k, first[k - 1] (or 0) its start */
  for (size_t k = 0; err == 0 && k < cs.n; k++) {
    size_t lo = k ? first[k - 1] : 0, m = first[k] - lo;
    if (m == 0)
      continue;
    entry **mine = members + lo;
    char *id = cluster_id(es[0]->key, &cs.v[k], several > 1);
    size_t node = g->nv;
    err = id ? make_doc(g, es[0]->key, id, mine, m, &cs.v[k]) : VBG_ENOMEM;
    vbg__free(id);
    for (size_t i = 0; err == 0 && i < m; i++)
      mine[i]->node = node;
  }
  vbg__free(first);
  vbg__free(cs.v);
  vbg__free(assign);
  vbg__free(members);
  return err;
}

/* ------------------------------------------------------------------ */
/* Bodies                                                              */
/* ------------------------------------------------------------------ */

/* "Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng" is a session of the
 * Central Committee; "Bộ Chính trị, Ban Bí thư" names two bodies. */
static size_t reduce_body(const char *name, char *out[2]) {
  const char *bch = "Ban Chấp hành Trung ương Đảng";
  out[0] = out[1] = NULL;
  if (strncmp(name, "Hội nghị", strlen("Hội nghị")) == 0 &&
      (strstr(name, "Ban Chấp hành Trung ương") ||
       strstr(name, "Trung ương"))) {
    out[0] = vbg__strdup(bch);
    return out[0] ? 1 : 0;
  }
  const char *comma = strstr(name, ", ");
  static const char *const second[] = {"Ban Bí thư", "Bộ Chính trị",
                                       "Ban Chấp hành"};
  for (size_t k = 0; comma && k < VBG__ARRAY_LEN(second); k++)
    if (strncmp(comma + 2, second[k], strlen(second[k])) == 0) {
      vbg_buf a, b;
      vbg_buf_init(&a);
      vbg_buf_init(&b);
      int err = vbg_body_canonical(&a, name, (size_t)(comma - name));
      if (err == 0)
        err = vbg_body_canonical(&b, comma + 2, strlen(comma + 2));
      out[0] = err ? NULL : vbg__buf_detach(&a);
      out[1] = err ? NULL : vbg__buf_detach(&b);
      vbg_buf_dispose(&a);
      vbg_buf_dispose(&b);
      if (!out[0] || !out[1]) {
        vbg__free(out[0]);
        vbg__free(out[1]);
        out[0] = out[1] = NULL;
        return 0;
      }
      return 2;
    }
  out[0] = vbg__strdup(name);
  return out[0] ? 1 : 0;
}

static const char *body_level(const char *name) {
  static const char *const central[] = {"Ban Chấp hành Trung ương",
                                        "Bộ Chính trị",
                                        "Ban Bí thư",
                                        "Trung ương Đảng",
                                        "Chính phủ",
                                        "Thủ tướng",
                                        "Quốc hội",
                                        "Ủy ban Thường vụ Quốc hội",
                                        "Chủ tịch nước",
                                        "Tòa án nhân dân tối cao",
                                        "Viện kiểm sát nhân dân tối cao",
                                        "Kiểm toán nhà nước",
                                        "Hội đồng bầu cử quốc gia"};
  for (size_t k = 0; k < VBG__ARRAY_LEN(central); k++)
    if (strncmp(name, central[k], strlen(central[k])) == 0)
      return "central";
  /* a ministry's own Party committee ("Ban Thường vụ Đảng ủy Bộ ...") */
  if ((strstr(name, " Bộ ") && !strstr(name, "Bộ Chính trị")) ||
      strncmp(name, "Bộ ", strlen("Bộ ")) == 0 ||
      strncmp(name, "Ngân hàng Nhà nước", 20) == 0 ||
      strncmp(name, "Văn phòng Chính phủ", strlen("Văn phòng Chính phủ")) ==
          0 ||
      strncmp(name, "Thanh tra Chính phủ", strlen("Thanh tra Chính phủ")) == 0)
    return "ministry";
  if (strstr(name, "Trung ương"))
    return "central";
  if (strstr(name, "thị xã") || strstr(name, "Thị ủy") ||
      strstr(name, "huyện") || strstr(name, "Huyện ủy") ||
      strstr(name, "quận") || strstr(name, "Quận ủy"))
    return strstr(name, " xã ") && !strstr(name, "thị xã") ? "commune"
                                                           : "district";
  if (strstr(name, " xã") || strstr(name, "phường") || strstr(name, "thị trấn"))
    return "commune";
  if (strstr(name, "tỉnh") || strstr(name, "thành phố") ||
      strstr(name, "Tỉnh ủy") || strstr(name, "Thành ủy") ||
      strstr(name, "Thành phố") || strncmp(name, "Sở ", strlen("Sở ")) == 0 ||
      strstr(name, " Sở "))
    return "provincial";
  return "other";
}

/* The body an issuer code implies when the text names none. */
static int default_bodies(const char *code, char *out[4]) {
  size_t n = 0;
  char part[64];
  const char *p = code;
  while (p && *p && n < 4) {
    const char *dash = strchr(p, '-');
    size_t len = dash ? (size_t)(dash - p) : strlen(p);
    if (len < sizeof(part)) {
      memcpy(part, p, len);
      part[len] = '\0';
      const char *name = vbg__issuer_name(part);
      const char *digits = part + strcspn(part, "0123456789");
      if (name && *digits &&
          (strncmp(part, "QH", 2) == 0 || strncmp(part, "UBTVQH", 6) == 0)) {
        vbg_buf b;
        vbg_buf_init(&b);
        static const char *const roman[] = {
            "",   "I", "II", "III", "IV",   "V",   "VI", "VII", "VIII",
            "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"};
        int k = atoi(digits);
        int err = k > 0 && k < 18
                      ? vbg__buf_printf(&b, "%s khóa %s", name, roman[k])
                      : vbg__buf_printf(&b, "%s", name);
        out[n] = err ? NULL : vbg__buf_detach(&b);
        vbg_buf_dispose(&b);
      } else if (name && vbg__issuer_is_local(part)) {
        out[n] = printf_dup("%s (chưa rõ địa phương)", name, NULL, NULL);
      } else if (name) {
        out[n] = vbg__strdup(name);
      } else if (n == 0 && !dash) {
        out[n] = vbg__strdup(part); /* an unknown code names its own body */
      } else {
        p = dash ? dash + 1 : NULL;
        continue;
      }
      if (!out[n])
        return VBG_ENOMEM;
      n++;
    }
    p = dash ? dash + 1 : NULL;
  }
  return (int)n;
}

/* ------------------------------------------------------------------ */
/* A string -> index map                                               */
/* ------------------------------------------------------------------ */

typedef struct smap {
  const char **keys; /* borrowed */
  size_t *vals;
  size_t n, cap;
} smap;

static int smap_grow(smap *m) {
  size_t cap = m->cap ? m->cap * 2 : 256;
  const char **keys = vbg__calloc(cap, sizeof(*keys));
  size_t *vals = vbg__calloc(cap, sizeof(*vals));
  if (!keys || !vals) {
    vbg__free(keys);
    vbg__free(vals);
    return VBG_ENOMEM;
  }
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i])
      continue;
    size_t h =
        (size_t)hash_str(14695981039346656037ull, m->keys[i]) & (cap - 1);
    while (keys[h])
      h = (h + 1) & (cap - 1);
    keys[h] = m->keys[i];
    vals[h] = m->vals[i];
  }
  vbg__free(m->keys);
  vbg__free(m->vals);
  m->keys = keys;
  m->vals = vals;
  m->cap = cap;
  return VBG_OK;
}

/* Look `key` up; when absent and insert, store val.  Returns the stored
 * value, or -1 when absent (and not inserted) or out of memory. */
static long smap_get(smap *m, const char *key, int insert, size_t val) {
  if ((m->n + 1) * 2 > m->cap && (!insert || smap_grow(m) < 0) && m->cap == 0)
    return -1;
  if ((m->n + 1) * 2 > m->cap && insert && smap_grow(m) < 0)
    return -1;
  size_t h = (size_t)hash_str(14695981039346656037ull, key) & (m->cap - 1);
  while (m->keys[h]) {
    if (strcmp(m->keys[h], key) == 0)
      return (long)m->vals[h];
    h = (h + 1) & (m->cap - 1);
  }
  if (!insert)
    return -1;
  m->keys[h] = key;
  m->vals[h] = val;
  m->n++;
  return (long)val;
}

static void smap_dispose(smap *m) {
  vbg__free(m->keys);
  vbg__free(m->vals);
  memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------------ */
/* Edges                                                               */
/* ------------------------------------------------------------------ */

typedef struct tedge {
  vbg_edge e;
  size_t rank; /* input rank of the evidence */
} tedge;

typedef struct tedges {
  tedge *v;
  size_t n, a;
} tedges;

static int push_edge(tedges *es, size_t from, size_t to, const char *relation,
                     size_t weight, const char *file, size_t rank, size_t start,
                     size_t end, size_t line, const char *cue) {
  if (es->n == es->a) {
    size_t a = es->a ? es->a * 2 : 1024;
    tedge *v = vbg__realloc(es->v, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    es->v = v;
    es->a = a;
  }
  tedge *t = &es->v[es->n++];
  memset(t, 0, sizeof(*t));
  t->e.from = from;
  t->e.to = to;
  t->e.relation = relation; /* static string until finish() copies it */
  t->e.weight = weight;
  t->e.file = file; /* borrowed from the builder until copied */
  t->e.start = start;
  t->e.end = end;
  t->e.line = line;
  t->e.cue = cue;
  t->rank = rank;
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* finish()                                                            */
/* ------------------------------------------------------------------ */

typedef struct keyinfo {
  size_t first, n;     /* document vertices of one key: v[first .. first+n) */
  long amb;            /* its ambiguous vertex, or -1 */
  const entry *oldest; /* its entry added first */
} keyinfo;

typedef struct fin {
  vbg_builder *b;
  gb g;
  tedges es;
  smap bodies; /* body name -> vertex */
  smap keys;   /* key -> index into kinfo */
  keyinfo *kinfo;
  size_t nkinfo;
  size_t *article; /* input -> article vertex */
  char **owned;    /* body names owned here until the graph takes them */
} fin;

static long body_vertex(fin *f, const char *name) {
  long v = smap_get(&f->bodies, name, 0, 0);
  if (v >= 0)
    return v;
  vbg_vertex *x;
  if (push_vertex(&f->g, &x) < 0)
    return -1;
  x->kind = VBG_KIND_BODY;
  x->label = vbg__strdup(name);
  x->id = printf_dup("body:%s%s%s", name, NULL, NULL);
  x->level = vbg__strdup(body_level(name));
  if (!x->label || !x->id || !x->level)
    return -1;
  /* the map borrows the label, which lives as long as the vertex */
  return smap_get(&f->bodies, x->label, 1, f->g.nv - 1);
}

/* issued_by edges of the document made from es[0..n). */
static int issued_by(fin *f, size_t doc, entry *const *es, size_t n) {
  const entry *named = NULL;
  for (size_t i = 0; i < n && !named; i++)
    if (es[i]->body)
      named = es[i];
  char *names[4] = {NULL, NULL, NULL, NULL};
  size_t nn = 0;
  const entry *ev = named ? named : es[0];
  int err = VBG_OK;
  if (named) {
    nn = reduce_body(named->body, names);
    if (nn == 0)
      err = VBG_ENOMEM;
  } else {
    const entry *full = NULL;
    for (size_t i = 0; i < n && !full; i++)
      if (es[i]->full && es[i]->issuer_code)
        full = es[i];
    int k = full ? default_bodies(full->issuer_code, names) : 0;
    if (k < 0)
      err = k;
    else
      nn = (size_t)k;
  }
  /* weight: the inputs that name this body for the document (1 for a body
   * only the code implies) */
  size_t stated = 0;
  for (size_t i = 0; named && i < n; i++)
    stated += es[i]->body && strcmp(es[i]->body, named->body) == 0;
  for (size_t i = 0; err == 0 && i < nn; i++) {
    long bv = body_vertex(f, names[i]);
    if (bv < 0) {
      err = VBG_ENOMEM;
      break;
    }
    size_t s = named ? ev->bstart : ev->start, e = named ? ev->bend : ev->end;
    size_t line = named ? ev->bline : ev->line;
    err = push_edge(&f->es, doc, (size_t)bv, "issued_by", stated ? stated : 1,
                    f->b->files[ev->file], ev->rank, s, e, line, NULL);
  }
  for (size_t i = 0; i < 4; i++)
    vbg__free(names[i]);
  return err;
}

static int make_articles(fin *f) {
  f->article = vbg__calloc(f->b->nfiles + 1, sizeof(*f->article));
  if (!f->article)
    return VBG_ENOMEM;
  /* an input without a reference is no article of the graph: a shard of
   * JSON Lines has no line for it, and the graph must not depend on how
   * the corpus was split */
  char *used = vbg__calloc(f->b->nfiles + 1, 1);
  if (!used)
    return VBG_ENOMEM;
  for (size_t i = 0; i < f->b->n; i++)
    used[f->b->v[i].file] = 1;
  for (size_t i = 0; i < f->b->nfiles; i++) {
    if (!used[i])
      continue;
    vbg_vertex *x;
    if (push_vertex(&f->g, &x) < 0) {
      vbg__free(used);
      return VBG_ENOMEM;
    }
    const char *path = f->b->files[i];
    const char *base = strrchr(path, '/');
    x->kind = VBG_KIND_ARTICLE;
    x->file = vbg__strdup(path);
    x->label = vbg__strdup(base && base[1] ? base + 1 : path);
    x->id = printf_dup("article:%s%s%s", path, NULL, NULL);
    if (!x->file || !x->label || !x->id) {
      vbg__free(used);
      return VBG_ENOMEM;
    }
    f->article[i] = f->g.nv - 1;
  }
  vbg__free(used);
  return VBG_OK;
}

/* The document a relation's target key stands for, seen from input `file`. */
static long target_node(fin *f, size_t file, const char *key) {
  long ki = smap_get(&f->keys, key, 0, 0);
  if (ki < 0)
    return -2; /* not a document of the graph: no edge */
  keyinfo *k = &f->kinfo[ki];
  if (k->n == 1)
    return (long)k->first;
  size_t h = (size_t)entry_hash(file, key) & (f->b->nslots - 1);
  while (f->b->slots[h]) {
    const entry *e = &f->b->v[f->b->slots[h] - 1];
    if (e->file == file && strcmp(e->key, key) == 0)
      return (long)e->node;
    h = (h + 1) & (f->b->nslots - 1);
  }
  if (k->amb >= 0)
    return k->amb;
  cluster c = {NULL, NULL, 0, 0, NULL, 1, 0};
  char *id = cluster_id(key, &c, 1);
  /* (was a scan of every entry for each such key: quadratic at scale) */
  entry *const one[1] = {(entry *)k->oldest};
  int err = id ? make_doc(&f->g, key, id, one, 1, &c) : VBG_ENOMEM;
  vbg__free(id);
  if (err < 0)
    return -1;
  f->g.v[f->g.nv - 1].mentions = 0;
  k->amb = (long)(f->g.nv - 1);
  return k->amb;
}

static int relation_edges(fin *f) {
  for (size_t i = 0; i < f->b->n; i++) {
    const entry *e = &f->b->v[i];
    for (size_t r = 0; r < e->nrels; r++) {
      const frel *x = &e->rels[r];
      long t = target_node(f, e->file, x->target);
      if (t == -1)
        return VBG_ENOMEM;
      if (t < 0)
        continue;
      size_t from = x->type == VBG_REL_REVIEWS ? f->article[e->file] : e->node;
      if (from == (size_t)t)
        continue;
      int err = push_edge(&f->es, from, (size_t)t, vbg_rel_name(x->type),
                          x->count, f->b->files[e->file], e->rank, x->start,
                          x->end, x->line, x->cue);
      if (err == 0 && x->type == VBG_REL_REVIEWS && x->by) {
        /* the body that held the review reviews the document too */
        long bv = body_vertex(f, x->by);
        err = bv < 0 ? VBG_ENOMEM
                     : push_edge(&f->es, (size_t)bv, (size_t)t, "reviews",
                                 x->by_count, f->b->files[e->file], e->rank,
                                 x->by_start, x->by_end, x->by_line, x->by_cue);
      }
      if (err < 0)
        return err;
    }
  }
  return VBG_OK;
}

static int mention_edges(fin *f) {
  for (size_t i = 0; i < f->b->n; i++) {
    const entry *e = &f->b->v[i];
    int err = push_edge(&f->es, f->article[e->file], e->node, "mentions",
                        e->count, f->b->files[e->file], e->rank, e->start,
                        e->end, e->line, NULL);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

/* One document per identity, for every key. */
static int make_documents(fin *f, entry **order) {
  size_t n = f->b->n;
  f->kinfo = vbg__calloc(n + 1, sizeof(*f->kinfo));
  if (!f->kinfo)
    return VBG_ENOMEM;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && order[j]->krank == order[i]->krank)
      j++;
    size_t first = f->g.nv;
    int err = cluster_key(&f->g, order + i, j - i);
    if (err < 0)
      return err;
    keyinfo *k = &f->kinfo[f->nkinfo];
    k->first = first;
    k->n = f->g.nv - first;
    k->amb = -1;
    k->oldest = order[i];
    for (size_t q = i + 1; q < j; q++)
      if (order[q] < k->oldest)
        k->oldest = order[q];
    for (size_t v = first; v < f->g.nv; v++)
      if (f->g.v[v].ambiguous)
        k->amb = (long)v;
    if (smap_get(&f->keys, order[i]->key, 1, f->nkinfo++) < 0)
      return VBG_ENOMEM;
    i = j;
  }
  return VBG_OK;
}

static int cmp_node(const void *x, const void *y) {
  const entry *a = *(entry *const *)x, *b = *(entry *const *)y;
  if (a->node != b->node)
    return a->node < b->node ? -1 : 1;
  return cmp_entry(x, y);
}

/* Sort order (sorted by cmp_entry) by cmp_node.  make_documents numbered
 * each key's vertices after the previous key's, so only the entries of one
 * key can be out of node order: each key's run is sorted alone, and only
 * when its nodes are not already in order (most keys make one vertex). */
static void sort_by_node(entry **order, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t j = i + 1, sorted = 1;
    for (; j < n && order[j]->krank == order[i]->krank; j++)
      if (order[j]->node < order[j - 1]->node)
        sorted = 0;
    if (!sorted)
      qsort(order + i, j - i, sizeof(*order), cmp_node);
    i = j;
  }
}

static int make_issuers(fin *f, entry **order) {
  sort_by_node(order, f->b->n);
  for (size_t i = 0; i < f->b->n;) {
    size_t j = i + 1;
    while (j < f->b->n && order[j]->node == order[i]->node)
      j++;
    int err = issued_by(f, order[i]->node, order + i, j - i);
    if (err < 0)
      return err;
    i = j;
  }
  return VBG_OK;
}

/* Canonical order: vertices by (kind, id); edges by endpoints, relation
 * and evidence; duplicates merged. */
static _Thread_local const vbg_vertex *sort_vertices;

static int cmp_vertex_index(const void *x, const void *y) {
  const vbg_vertex *a = &sort_vertices[*(const size_t *)x],
                   *b = &sort_vertices[*(const size_t *)y];
  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  return strcmp(a->id, b->id);
}

static int cmp_tedge(const void *x, const void *y) {
  const tedge *a = x, *b = y;
  if (a->e.from != b->e.from)
    return a->e.from < b->e.from ? -1 : 1;
  if (a->e.to != b->e.to)
    return a->e.to < b->e.to ? -1 : 1;
  /* relation names are static strings: equal pointers, equal names */
  int c =
      a->e.relation == b->e.relation ? 0 : strcmp(a->e.relation, b->e.relation);
  if (c)
    return c;
  if (a->rank != b->rank)
    return a->rank < b->rank ? -1 : 1;
  return a->e.start < b->e.start ? -1 : a->e.start > b->e.start;
}

static _Thread_local const tedge *sort_edges;

static int cmp_tedge_index(const void *x, const void *y) {
  return cmp_tedge(&sort_edges[*(const size_t *)x],
                   &sort_edges[*(const size_t *)y]);
}

/* Sort idx[0..n) by cmp, unless it already is in order. */
static void sort_unless_sorted(size_t *idx, size_t n,
                               int (*cmp)(const void *, const void *)) {
  for (size_t i = 1; i < n; i++)
    if (cmp(&idx[i - 1], &idx[i]) > 0) {
      qsort(idx, n, sizeof(*idx), cmp);
      return;
    }
}

/* The indices 0..n) in the order of cmp (over sort_vertices or sort_edges,
 * set by the caller), whose first criterion is group(i) < ngroups: counted
 * out by group, then each group sorted alone, and only when it is not in
 * order already.  A whole-array qsort took a fifth of finishing a large
 * graph; the groups (a vertex's kind, an edge's first vertex) come mostly
 * sorted or small.  Returns NULL when out of memory. */
static size_t *group_sort(size_t n, size_t ngroups, size_t (*group)(size_t i),
                          int (*cmp)(const void *, const void *)) {
  size_t *idx = vbg__calloc(n + 1, sizeof(*idx)),
         *end = vbg__calloc(ngroups + 1, sizeof(*end));
  if (!idx || !end) {
    vbg__free(idx);
    vbg__free(end);
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    end[group(i)]++;
  for (size_t g = 1; g < ngroups; g++)
    end[g] += end[g - 1];
  for (size_t i = n; i-- > 0;) /* from the back: each group keeps its order */
    idx[--end[group(i)]] = i;
  /* end[g] is now where group g starts */
  for (size_t g = 0; g < ngroups; g++) {
    size_t a = end[g], b = g + 1 < ngroups ? end[g + 1] : n;
    sort_unless_sorted(idx + a, b - a, cmp);
  }
  vbg__free(end);
  return idx;
}

static size_t vertex_kind(size_t i) { return (size_t)sort_vertices[i].kind; }
static size_t edge_from(size_t i) { return sort_edges[i].e.from; }

static _Thread_local const entry *sort_entries;

static int cmp_entry_index(const void *x, const void *y) {
  const entry *a = &sort_entries[*(const size_t *)x],
              *b = &sort_entries[*(const size_t *)y];
  return cmp_entry(&a, &b);
}

static size_t entry_krank(size_t i) { return sort_entries[i].krank; }

/* Decimal digits of x, written backwards ending at end; returns the
 * first. */
static char *digits_before(char *end, size_t x) {
  do {
    *--end = (char)('0' + x % 10);
    x /= 10;
  } while (x);
  return end;
}

/* "FILE:START-END", in one allocation: there is one per edge. */
static char *evidence_of(const char *file, size_t start, size_t end) {
  char nums[48], *e = nums + sizeof(nums);
  char *p = digits_before(e, end);
  *--p = '-';
  p = digits_before(p, start);
  *--p = ':';
  size_t fl = strlen(file), nl = (size_t)(e - p);
  char *s = vbg__malloc(fl + nl + 1);
  if (!s)
    return NULL;
  memcpy(s, file, fl);
  memcpy(s + fl, p, nl);
  s[fl + nl] = '\0';
  return s;
}

static int assemble(fin *f, vbg_graph **out) {
  size_t nv = f->g.nv;
  /* qsort carries no context in C11: the tables go through thread-locals,
   * set right before the sorts. */
  sort_vertices = f->g.v;
  size_t *perm = group_sort(nv, (size_t)VBG_KIND_ARTICLE + 1, vertex_kind,
                            cmp_vertex_index),
         *pos = vbg__calloc(nv + 1, sizeof(*pos)), *eorder = NULL;
  vbg_graph *g = NULL;
  int err = perm && pos ? VBG_OK : VBG_ENOMEM;
  if (err == 0) {
    for (size_t i = 0; i < nv; i++)
      pos[perm[i]] = i;
    for (size_t i = 0; i < f->es.n; i++) {
      f->es.v[i].e.from = pos[f->es.v[i].e.from];
      f->es.v[i].e.to = pos[f->es.v[i].e.to];
    }
    sort_edges = f->es.v;
    eorder = group_sort(f->es.n, nv, edge_from, cmp_tedge_index);
    err = eorder ? vbg__graph_alloc(&g, nv, f->es.n) : VBG_ENOMEM;
  }
  for (size_t i = 0; err == 0 && i < nv; i++) {
    g->v[i] = f->g.v[perm[i]];
    memset(&f->g.v[perm[i]], 0, sizeof(vbg_vertex)); /* strings moved */
  }
  size_t ne = 0;
  for (size_t i = 0; err == 0 && i < f->es.n; i++) {
    const tedge *t = &f->es.v[eorder[i]];
    if (ne > 0 && g->e[ne - 1].from == t->e.from &&
        g->e[ne - 1].to == t->e.to &&
        strcmp(g->e[ne - 1].relation, t->e.relation) == 0) {
      g->e[ne - 1].weight += t->e.weight;
      continue;
    }
    vbg_edge *e = &g->e[ne++];
    *e = t->e;
    e->relation = vbg__strdup(t->e.relation);
    e->file = vbg__strdup(t->e.file);
    e->cue = t->e.cue ? vbg__strdup(t->e.cue) : NULL;
    e->evidence = evidence_of(t->e.file, t->e.start, t->e.end);
    if (!e->relation || !e->file || (t->e.cue && !e->cue) || !e->evidence)
      err = VBG_ENOMEM;
  }
  if (g)
    g->ne = ne;
  vbg__free(perm);
  vbg__free(pos);
  vbg__free(eorder);
  /* the igraph twin is made when an algorithm first needs it */
  if (err < 0) {
    vbg_graph_free(g);
    return err;
  }
  *out = g;
  return VBG_OK;
}

static void vertex_dispose(vbg_vertex *v);

static void fin_dispose(fin *f) {
  /* vertices not moved into the graph (on failure) */
  for (size_t i = 0; i < f->g.nv; i++)
    vertex_dispose(&f->g.v[i]);
  vbg__free(f->g.v);
  vbg__free(f->es.v);
  smap_dispose(&f->bodies);
  smap_dispose(&f->keys);
  vbg__free(f->kinfo);
  vbg__free(f->article);
}

static int cmp_str_ptr(const void *x, const void *y) {
  return strcmp(**(char **const *)x, **(char **const *)y);
}

/* Rank every entry's key in byte order (krank), sorting each distinct key
 * once: the entries are sorted by it, and there are several per key. */
static int rank_keys(vbg_builder *b) {
  smap seen;
  memset(&seen, 0, sizeof(seen));
  char **keys = vbg__calloc(b->n + 1, sizeof(*keys));
  char ***byname = NULL;
  size_t nk = 0, *rank = NULL;
  int err = keys ? VBG_OK : VBG_ENOMEM;
  for (size_t i = 0; err == 0 && i < b->n; i++) {
    long k = smap_get(&seen, b->v[i].key, 1, nk);
    if (k < 0)
      err = VBG_ENOMEM;
    else if ((size_t)k == nk)
      keys[nk++] = b->v[i].key;
    b->v[i].krank = k < 0 ? 0 : (size_t)k;
  }
  if (err == 0) {
    byname = vbg__calloc(nk + 1, sizeof(*byname));
    rank = vbg__calloc(nk + 1, sizeof(*rank));
    if (!byname || !rank)
      err = VBG_ENOMEM;
  }
  if (err == 0) {
    for (size_t i = 0; i < nk; i++)
      byname[i] = &keys[i];
    if (nk > 1)
      qsort(byname, nk, sizeof(*byname), cmp_str_ptr);
    for (size_t i = 0; i < nk; i++)
      rank[byname[i] - keys] = i;
    for (size_t i = 0; i < b->n; i++)
      b->v[i].krank = rank[b->v[i].krank];
  }
  vbg__free(byname);
  vbg__free(rank);
  vbg__free(keys);
  smap_dispose(&seen);
  return err;
}

static int vbg_builder_finish_impl(vbg_graph **out, vbg_builder *b) {
  fin f;
  memset(&f, 0, sizeof(f));
  f.b = b;
  *out = NULL;
  char ***byname = vbg__calloc(b->nfiles + 1, sizeof(*byname));
  size_t *rank = vbg__calloc(b->nfiles + 1, sizeof(*rank));
  entry **order = vbg__calloc(b->n + 1, sizeof(*order));
  int err = byname && rank && order ? VBG_OK : VBG_ENOMEM;
  if (err == 0) {
    for (size_t i = 0; i < b->nfiles; i++)
      byname[i] = &b->files[i];
    if (b->nfiles > 1)
      qsort(byname, b->nfiles, sizeof(*byname), cmp_str_ptr);
    for (size_t i = 0; i < b->nfiles; i++)
      rank[byname[i] - b->files] = i;
    for (size_t i = 0; i < b->n; i++) {
      b->v[i].rank = rank[b->v[i].file];
      b->v[i].spec = specificity(&b->v[i]);
      b->v[i].bcom = b->v[i].body ? committee(b->v[i].body) : NULL;
      b->v[i].blen = b->v[i].bcom ? strlen(b->v[i].bcom) : 0;
      b->v[i].dyear = year_of(b->v[i].date);
    }
    err = rank_keys(b);
    if (err == 0) { /* order: the entries by cmp_entry */
      sort_entries = b->v;
      size_t *idx = group_sort(b->n, b->n, entry_krank, cmp_entry_index);
      for (size_t i = 0; idx && i < b->n; i++)
        order[i] = &b->v[idx[i]];
      err = idx ? VBG_OK : VBG_ENOMEM;
      vbg__free(idx);
    }
    if (err == 0 && b->nslots == 0)
      err = rehash(b);
  }
  if (err == 0)
    err = make_documents(&f, order);
  if (err == 0)
    err = make_articles(&f);
  if (err == 0)
    err = make_issuers(&f, order);
  if (err == 0)
    err = mention_edges(&f);
  if (err == 0)
    err = relation_edges(&f);
  if (err == 0)
    err = assemble(&f, out);
  fin_dispose(&f);
  vbg__free(byname);
  vbg__free(rank);
  vbg__free(order);
  return err;
}

/* ------------------------------------------------------------------ */
/* The graph object                                                    */
/* ------------------------------------------------------------------ */

int vbg__graph_alloc(vbg_graph **out, size_t nv, size_t ne) {
  vbg_graph *g = vbg__calloc(1, sizeof(*g));
  *out = NULL;
  if (!g)
    return VBG_ENOMEM;
  g->v = vbg__calloc(nv + 1, sizeof(*g->v));
  g->e = vbg__calloc(ne + 1, sizeof(*g->e));
  if (!g->v || !g->e) {
    vbg__free(g->v);
    vbg__free(g->e);
    vbg__free(g);
    return VBG_ENOMEM;
  }
  g->nv = nv;
  g->ne = ne;
  *out = g;
  return VBG_OK;
}

static void vertex_dispose(vbg_vertex *v) {
  const char *strs[] = {v->id,        v->label,  v->key,         v->doc_type,
                        v->type_code, v->number, v->issuer_code, v->date,
                        v->term,      v->title,  v->level,       v->file};
  for (size_t i = 0; i < VBG__ARRAY_LEN(strs); i++)
    vbg__free((char *)strs[i]);
}

void vbg_graph_free(vbg_graph *g) {
  if (!g)
    return;
  for (size_t i = 0; i < g->nv; i++)
    vertex_dispose(&g->v[i]);
  for (size_t i = 0; i < g->ne; i++) {
    vbg__free((char *)g->e[i].relation);
    vbg__free((char *)g->e[i].evidence);
    vbg__free((char *)g->e[i].file);
    vbg__free((char *)g->e[i].cue);
  }
  if (g->ig) {
    igraph_destroy(g->ig);
    vbg__free(g->ig);
  }
  vbg__free(g->v);
  vbg__free(g->e);
  vbg__free(g);
}

size_t vbg_graph_vertex_count(const vbg_graph *g) { return g ? g->nv : 0; }
const vbg_vertex *vbg_graph_vertex(const vbg_graph *g, size_t i) {
  return g && i < g->nv ? &g->v[i] : NULL;
}
size_t vbg_graph_edge_count(const vbg_graph *g) { return g ? g->ne : 0; }
const vbg_edge *vbg_graph_edge(const vbg_graph *g, size_t i) {
  return g && i < g->ne ? &g->e[i] : NULL;
}

long vbg_graph_find(const vbg_graph *g, const char *id) {
  /* vertices are sorted by (kind, id): binary search within each kind */
  for (int kind = VBG_KIND_DOCUMENT; kind <= VBG_KIND_ARTICLE; kind++) {
    size_t lo = 0, hi = g->nv;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      const vbg_vertex *v = &g->v[mid];
      int c = v->kind != (vbg_kind)kind ? (v->kind < (vbg_kind)kind ? -1 : 1)
                                        : strcmp(v->id, id);
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo < g->nv && g->v[lo].kind == (vbg_kind)kind &&
        strcmp(g->v[lo].id, id) == 0)
      return (long)lo;
  }
  return -1;
}

const char *vbg_kind_name(vbg_kind k) {
  switch (k) {
  case VBG_KIND_DOCUMENT:
    return "document";
  case VBG_KIND_BODY:
    return "body";
  default:
    return "article";
  }
}

/* ------------------------------------------------------------------ */
/* igraph                                                              */
/* ------------------------------------------------------------------ */

typedef struct handlers {
  igraph_error_handler_t *err;
  igraph_warning_handler_t *warn;
} handlers;

static handlers quiet(void) {
  igraph_set_attribute_table(&igraph_cattribute_table);
  handlers h = {igraph_set_error_handler(igraph_error_handler_ignore),
                igraph_set_warning_handler(igraph_warning_handler_ignore)};
  return h;
}

static void restore(handlers h) {
  igraph_set_error_handler(h.err);
  igraph_set_warning_handler(h.warn);
}

static int graph_error(igraph_error_t rc, const char *what) {
  if (rc == IGRAPH_ENOMEM)
    return vbg__error_set(VBG_ENOMEM, "out of memory in igraph (%s)", what);
  return vbg__error_set(VBG_EGRAPH, "igraph: %s: %s", what,
                        igraph_strerror(rc));
}

/* Vertex attributes of DESIGN.md: string ones (NULL -> ""), numbers. */
typedef const char *(*vstr_fn)(const vbg_vertex *);
#define VSTR(field)                                                            \
  static const char *v_##field(const vbg_vertex *v) { return v->field; }
VSTR(id)
VSTR(label)
VSTR(key)
VSTR(doc_type)
VSTR(type_code)
VSTR(number)
VSTR(issuer_code)
VSTR(date)
VSTR(term)
VSTR(title)
VSTR(level)
VSTR(file)
static const char *v_kind(const vbg_vertex *v) {
  return vbg_kind_name(v->kind);
}

static const struct {
  const char *name;
  vstr_fn get;
} vstrs[] = {{"name", v_id},           {"kind", v_kind},
             {"label", v_label},       {"key", v_key},
             {"doc_type", v_doc_type}, {"type_code", v_type_code},
             {"number", v_number},     {"issuer_code", v_issuer_code},
             {"date", v_date},         {"term", v_term},
             {"title", v_title},       {"level", v_level},
             {"file", v_file}};

/* XML 1.0 cannot hold C0 controls other than TAB, LF and CR, nor U+FFFE
 * and U+FFFF; igraph refuses to write them.  Such characters (a form feed
 * from a PDF, say) become U+FFFD; `tmp` holds the copy when one is needed. */
static const char *xml_safe(const char *s, vbg_buf *tmp) {
  if (!s)
    return "";
  int clean = 1;
  for (const unsigned char *p = (const unsigned char *)s; *p && clean; p++)
    clean = !((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
              (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)));
  if (clean)
    return s;
  vbg_buf_clear(tmp);
  size_t len = strlen(s);
  for (size_t i = 0; i < len;) {
    size_t n;
    int32_t cp = vbg__utf8_decode(s, len, i, &n);
    int bad = cp < 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
              cp == 0xFFFE || cp == 0xFFFF;
    if (vbg__buf_put(tmp, bad ? "\xEF\xBF\xBD" : s + i, bad ? 3 : n) < 0)
      return NULL;
    i += n;
  }
  return tmp->ptr ? tmp->ptr : "";
}

static igraph_error_t set_vertex_attrs(igraph_t *ig, const vbg_graph *g) {
  igraph_strvector_t sv;
  igraph_vector_t nv;
  igraph_vector_bool_t bv;
  IGRAPH_CHECK(igraph_strvector_init(&sv, (igraph_integer_t)g->nv));
  IGRAPH_FINALLY(igraph_strvector_destroy, &sv);
  for (size_t a = 0; a < VBG__ARRAY_LEN(vstrs); a++) {
    for (size_t i = 0; i < g->nv; i++) {
      vbg_buf tmp;
      vbg_buf_init(&tmp);
      const char *s = xml_safe(vstrs[a].get(&g->v[i]), &tmp);
      igraph_error_t rc =
          s ? igraph_strvector_set(&sv, (igraph_integer_t)i, s) : IGRAPH_ENOMEM;
      vbg_buf_dispose(&tmp);
      IGRAPH_CHECK(rc);
    }
    IGRAPH_CHECK(igraph_cattribute_VAS_setv(ig, vstrs[a].name, &sv));
  }
  igraph_strvector_destroy(&sv);
  IGRAPH_FINALLY_CLEAN(1);
  IGRAPH_CHECK(igraph_vector_init(&nv, (igraph_integer_t)g->nv));
  IGRAPH_FINALLY(igraph_vector_destroy, &nv);
  for (size_t i = 0; i < g->nv; i++)
    VECTOR(nv)[i] = g->v[i].year ? (igraph_real_t)g->v[i].year : IGRAPH_NAN;
  IGRAPH_CHECK(igraph_cattribute_VAN_setv(ig, "year", &nv));
  for (size_t i = 0; i < g->nv; i++)
    VECTOR(nv)
  [i] = g->v[i].kind == VBG_KIND_DOCUMENT ? (igraph_real_t)g->v[i].mentions
                                          : IGRAPH_NAN;
  IGRAPH_CHECK(igraph_cattribute_VAN_setv(ig, "mentions", &nv));
  igraph_vector_destroy(&nv);
  IGRAPH_FINALLY_CLEAN(1);
  IGRAPH_CHECK(igraph_vector_bool_init(&bv, (igraph_integer_t)g->nv));
  IGRAPH_FINALLY(igraph_vector_bool_destroy, &bv);
  for (size_t i = 0; i < g->nv; i++)
    VECTOR(bv)[i] = g->v[i].ambiguous != 0;
  IGRAPH_CHECK(igraph_cattribute_VAB_setv(ig, "ambiguous", &bv));
  igraph_vector_bool_destroy(&bv);
  IGRAPH_FINALLY_CLEAN(1);
  return IGRAPH_SUCCESS;
}

static igraph_error_t set_edge_attrs(igraph_t *ig, const vbg_graph *g) {
  igraph_strvector_t sv;
  igraph_vector_t nv;
  IGRAPH_CHECK(igraph_strvector_init(&sv, (igraph_integer_t)g->ne));
  IGRAPH_FINALLY(igraph_strvector_destroy, &sv);
  for (int a = 0; a < 4; a++) {
    static const char *const names[] = {"relation", "evidence", "file", "cue"};
    for (size_t i = 0; i < g->ne; i++) {
      const vbg_edge *e = &g->e[i];
      const char *raw = a == 0   ? e->relation
                        : a == 1 ? e->evidence
                        : a == 2 ? e->file
                                 : e->cue;
      vbg_buf tmp;
      vbg_buf_init(&tmp);
      const char *s = xml_safe(raw, &tmp);
      igraph_error_t rc =
          s ? igraph_strvector_set(&sv, (igraph_integer_t)i, s) : IGRAPH_ENOMEM;
      vbg_buf_dispose(&tmp);
      IGRAPH_CHECK(rc);
    }
    IGRAPH_CHECK(igraph_cattribute_EAS_setv(ig, names[a], &sv));
  }
  igraph_strvector_destroy(&sv);
  IGRAPH_FINALLY_CLEAN(1);
  IGRAPH_CHECK(igraph_vector_init(&nv, (igraph_integer_t)g->ne));
  IGRAPH_FINALLY(igraph_vector_destroy, &nv);
  for (int a = 0; a < 4; a++) {
    static const char *const names[] = {"weight", "start", "end", "line"};
    for (size_t i = 0; i < g->ne; i++) {
      const vbg_edge *e = &g->e[i];
      size_t x = a == 0   ? e->weight
                 : a == 1 ? e->start
                 : a == 2 ? e->end
                          : e->line;
      VECTOR(nv)[i] = (igraph_real_t)x;
    }
    IGRAPH_CHECK(igraph_cattribute_EAN_setv(ig, names[a], &nv));
  }
  igraph_vector_destroy(&nv);
  IGRAPH_FINALLY_CLEAN(1);
  return IGRAPH_SUCCESS;
}

static igraph_error_t build_igraph(igraph_t *ig, const vbg_graph *g) {
  igraph_vector_int_t edges;
  IGRAPH_CHECK(igraph_vector_int_init(&edges, (igraph_integer_t)(2 * g->ne)));
  IGRAPH_FINALLY(igraph_vector_int_destroy, &edges);
  for (size_t i = 0; i < g->ne; i++) {
    VECTOR(edges)[2 * i] = (igraph_integer_t)g->e[i].from;
    VECTOR(edges)[2 * i + 1] = (igraph_integer_t)g->e[i].to;
  }
  IGRAPH_CHECK(
      igraph_create(ig, &edges, (igraph_integer_t)g->nv, IGRAPH_DIRECTED));
  igraph_vector_int_destroy(&edges);
  IGRAPH_FINALLY_CLEAN(1);
  IGRAPH_FINALLY(igraph_destroy, ig);
  IGRAPH_CHECK(set_vertex_attrs(ig, g));
  IGRAPH_CHECK(set_edge_attrs(ig, g));
  IGRAPH_FINALLY_CLEAN(1);
  return IGRAPH_SUCCESS;
}

int vbg__graph_igraph(vbg_graph *g) {
  if (g->ig)
    return VBG_OK;
  igraph_t *ig = vbg__malloc(sizeof(*ig));
  if (!ig)
    return VBG_ENOMEM;
  handlers h = quiet();
  igraph_error_t rc = build_igraph(ig, g);
  restore(h);
  if (rc != IGRAPH_SUCCESS) {
    vbg__free(ig);
    return graph_error(rc, "building the graph");
  }
  g->ig = ig;
  return VBG_OK;
}

/* GraphML through igraph's own writer (igraph_write_graph_graphml). */
int vbg__write_graphml_igraph(const vbg_graph *g, FILE *out) {
  /* the twin is a cache: made on first use (not thread-safe on one graph) */
  int twin = vbg__graph_igraph((vbg_graph *)g);
  if (twin < 0)
    return twin;
  handlers h = quiet();
  igraph_error_t rc = igraph_write_graph_graphml(g->ig, out, 1);
  restore(h);
  if (rc != IGRAPH_SUCCESS)
    return rc == IGRAPH_EFILE ? vbg__error_io("writing GraphML failed")
                              : graph_error(rc, "writing GraphML");
  return ferror(out) ? vbg__error_io("writing GraphML failed") : VBG_OK;
}

/*
 * The same bytes as igraph_write_graph_graphml() gives for the igraph twin
 * (a test compares them), written without igraph's fprintf per value,
 * which took a third of `vbgraph build`: the header and keys igraph
 * writes, a <data> element for every string attribute (empty ones too) and
 * every number that is not NaN, igraph's escapes (& < > " '), and numbers
 * as %.15g.
 */
/* The entity for one of & < > " ' and CR (a raw CR would come back as
 * LF: XML parsers normalise line ends). */
static const char *xml_entity(char c) {
  return c == '&'    ? "&amp;"
         : c == '<'  ? "&lt;"
         : c == '>'  ? "&gt;"
         : c == '"'  ? "&quot;"
         : c == '\r' ? "&#13;"
                     : "&apos;";
}

static int put_xml_slow(vbg_buf *b, const char *s) {
  vbg_buf tmp;
  vbg_buf_init(&tmp);
  const char *safe = xml_safe(s, &tmp);
  int err = safe ? VBG_OK : VBG_ENOMEM;
  for (const char *p = safe; err == 0 && p && *p;) {
    const char *q = p;
    while (*q && !strchr("&<>\"'\r", *q))
      q++;
    err = vbg__buf_put(b, p, (size_t)(q - p));
    if (err == 0 && *q) {
      err = vbg__buf_puts(b, xml_entity(*q));
      q++;
    }
    p = q;
  }
  vbg_buf_dispose(&tmp);
  return err;
}

#if defined(__SSE2__)
/* The bits of the bytes among the sixteen at p that put_xml must look at:
 * a control other than TAB and LF, one of & " ' < >, or the lead byte 0xEF
 * (of what may be U+FFFE/U+FFFF). */
static inline unsigned xml_special16(const unsigned char *p) {
  const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
  const __m128i ctl =
      _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                       _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v));
  const __m128i esc = _mm_or_si128(
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
                   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('<')))),
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF))));
  return (unsigned)_mm_movemask_epi8(_mm_or_si128(ctl, esc));
}
#else
/* Is c a byte put_xml must look at: a control other than TAB and LF, one
 * of & " ' < >, or the lead byte 0xEF (of what may be U+FFFE/U+FFFF)? */
static inline int xml_special(unsigned c) {
  return (c < 0x20 && c != '\t' && c != '\n') || c == '&' || c == '"' ||
         c == '\'' || c == '<' || c == '>' || c == 0xEF;
}
#endif

/* The first byte in [p, end) put_xml must look at, or end: sixteen bytes at a
 * time, a short tail through a zeroed copy. */
static const unsigned char *xml_skip(const unsigned char *p,
                                     const unsigned char *end) {
#if defined(__SSE2__)
  for (; end - p >= 16; p += 16) {
    unsigned m = xml_special16(p);
    if (m)
      return p + __builtin_ctz(m);
  }
  if (p < end) {
    unsigned char tail[16] = {0};
    memcpy(tail, p, (size_t)(end - p));
    unsigned m = xml_special16(tail) & ((1u << (end - p)) - 1u);
    return m ? p + __builtin_ctz(m) : end;
  }
  return p;
#else
  while (p < end && !xml_special(*p))
    p++;
  return p;
#endif
}

/* s[0..len) escaped into p, which has room for 6 * len bytes (the longest
 * entity is six); the end of what was written, or NULL when s holds a byte
 * XML cannot hold (a control, or what may be U+FFFE/U+FFFF), which
 * put_xml_slow deals with. */
static char *xml_copy(char *p, const char *s, size_t len) {
  const unsigned char *run = (const unsigned char *)s, *end = run + len;
  for (const unsigned char *q = xml_skip(run, end); q < end;
       q = xml_skip(q + 1, end)) {
    unsigned c = *q;
    if ((c < 0x20 && c != '\r') || c == 0xEF)
      return NULL;
    memcpy(p, run, (size_t)(q - run));
    p += q - run;
    const char *ent = xml_entity((char)c);
    size_t n = strlen(ent);
    memcpy(p, ent, n);
    p += n;
    run = q + 1;
  }
  memcpy(p, run, (size_t)(end - run));
  return p + (end - run);
}

/* The opening tag of a <data> element, with its indent and its length. */
typedef struct data_tag {
  char s[48];
  size_t n;
} data_tag;

static void data_tag_make(data_tag *t, char kind, const char *name) {
  int n =
      snprintf(t->s, sizeof(t->s), "      <data key=\"%c_%s\">", kind, name);
  t->n = n > 0 && (size_t)n < sizeof(t->s) ? (size_t)n : strlen(t->s);
}

static const char data_close[] = "</data>\n";
#define DATA_CLOSE_LEN (sizeof(data_close) - 1)

/* <data key="K">VALUE</data> (empty for NULL), with one reservation. */
static int put_data_str(vbg_buf *b, const data_tag *open, const char *s) {
  size_t len = s ? strlen(s) : 0;
  if (len > (SIZE_MAX - 64) / 8)
    return vbg__error_set(VBG_ENOMEM, "buffer size overflow");
  int err = vbg__buf_grow(b, open->n + 6 * len + DATA_CLOSE_LEN);
  if (err < 0)
    return err;
  char *p = b->ptr + b->size;
  memcpy(p, open->s, open->n);
  p += open->n;
  char *q = len ? xml_copy(p, s, len) : p;
  if (!q) { /* the careful way, then the closing tag */
    b->size = (size_t)(p - b->ptr);
    b->ptr[b->size] = '\0';
    err = put_xml_slow(b, s);
    return err ? err : vbg__buf_put(b, data_close, DATA_CLOSE_LEN);
  }
  memcpy(q, data_close, DATA_CLOSE_LEN);
  b->size = (size_t)(q + DATA_CLOSE_LEN - b->ptr);
  b->ptr[b->size] = '\0';
  return VBG_OK;
}

/* x in decimal at the end of digits[24]; returns where it starts. */
static size_t decimal(char digits[24], size_t x) {
  size_t n = 24;
  do {
    digits[--n] = (char)('0' + x % 10);
    x /= 10;
  } while (x);
  return n;
}

static int put_size(vbg_buf *b, size_t x) {
  char digits[24];
  size_t n = decimal(digits, x);
  return vbg__buf_put(b, digits + n, sizeof(digits) - n);
}

static int put_data_num(vbg_buf *b, const data_tag *open, size_t x) {
  char digits[24];
  size_t n = decimal(digits, x);
  int err = vbg__buf_grow(b, open->n + sizeof(digits) + DATA_CLOSE_LEN);
  if (err < 0)
    return err;
  char *p = b->ptr + b->size;
  memcpy(p, open->s, open->n);
  p += open->n;
  memcpy(p, digits + n, sizeof(digits) - n);
  p += sizeof(digits) - n;
  memcpy(p, data_close, DATA_CLOSE_LEN);
  b->size = (size_t)(p + DATA_CLOSE_LEN - b->ptr);
  b->ptr[b->size] = '\0';
  return VBG_OK;
}

static int flush_if_big(vbg_buf *b, FILE *out, int final) {
  if (b->size < (1u << 20) && !final)
    return VBG_OK;
  if (b->size && fwrite(b->ptr, 1, b->size, out) != b->size)
    return vbg__error_io("writing GraphML failed");
  vbg_buf_clear(b);
  return VBG_OK;
}

static const char graphml_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
    "         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
    "         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns\n"
    "         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
    "<!-- Created by igraph -->\n";

int vbg__write_graphml(const vbg_graph *g, FILE *out) {
  static const char *const edge_strs[] = {"relation", "evidence", "file",
                                          "cue"};
  static const char *const edge_nums[] = {"weight", "start", "end", "line"};
  vbg_buf b;
  vbg_buf_init(&b);
  int err = vbg__buf_puts(&b, graphml_head);
  for (size_t a = 0; err == 0 && a < VBG__ARRAY_LEN(vstrs); a++)
    err = vbg__buf_printf(&b,
                          "  <key id=\"v_%s\" for=\"node\" attr.name=\"%s\" "
                          "attr.type=\"string\"/>\n",
                          vstrs[a].name, vstrs[a].name);
  if (err == 0)
    err = vbg__buf_puts(
        &b, "  <key id=\"v_year\" for=\"node\" attr.name=\"year\" "
            "attr.type=\"double\"/>\n"
            "  <key id=\"v_mentions\" for=\"node\" attr.name=\"mentions\" "
            "attr.type=\"double\"/>\n"
            "  <key id=\"v_ambiguous\" for=\"node\" attr.name=\"ambiguous\" "
            "attr.type=\"boolean\"/>\n");
  for (size_t a = 0; err == 0 && a < 4; a++)
    err = vbg__buf_printf(&b,
                          "  <key id=\"e_%s\" for=\"edge\" attr.name=\"%s\" "
                          "attr.type=\"string\"/>\n",
                          edge_strs[a], edge_strs[a]);
  for (size_t a = 0; err == 0 && a < 4; a++)
    err = vbg__buf_printf(&b,
                          "  <key id=\"e_%s\" for=\"edge\" attr.name=\"%s\" "
                          "attr.type=\"double\"/>\n",
                          edge_nums[a], edge_nums[a]);
  if (err == 0)
    err = vbg__buf_puts(&b, "  <graph id=\"G\" edgedefault=\"directed\">\n");
  /* the opening tags, made once */
  data_tag vkeys[VBG__ARRAY_LEN(vstrs)], ekeys[8], year, mentions;
  for (size_t a = 0; a < VBG__ARRAY_LEN(vstrs); a++)
    data_tag_make(&vkeys[a], 'v', vstrs[a].name);
  for (size_t a = 0; a < 4; a++) {
    data_tag_make(&ekeys[a], 'e', edge_strs[a]);
    data_tag_make(&ekeys[4 + a], 'e', edge_nums[a]);
  }
  data_tag_make(&year, 'v', "year");
  data_tag_make(&mentions, 'v', "mentions");
  for (size_t i = 0; err == 0 && i < g->nv; i++) {
    const vbg_vertex *v = &g->v[i];
    err = vbg__buf_puts(&b, "    <node id=\"n");
    if (err == 0)
      err = put_size(&b, i);
    if (err == 0)
      err = vbg__buf_puts(&b, "\">\n");
    for (size_t a = 0; err == 0 && a < VBG__ARRAY_LEN(vstrs); a++)
      err = put_data_str(&b, &vkeys[a], vstrs[a].get(v));
    if (err == 0 && v->year)
      err = put_data_num(&b, &year, (size_t)v->year);
    if (err == 0 && v->kind == VBG_KIND_DOCUMENT)
      err = put_data_num(&b, &mentions, v->mentions);
    if (err == 0)
      err = vbg__buf_puts(
          &b, v->ambiguous ? "      <data key=\"v_ambiguous\">true</data>\n"
                           : "      <data key=\"v_ambiguous\">false</data>\n");
    if (err == 0)
      err = vbg__buf_puts(&b, "    </node>\n");
    if (err == 0)
      err = flush_if_big(&b, out, 0);
  }
  for (size_t i = 0; err == 0 && i < g->ne; i++) {
    const vbg_edge *e = &g->e[i];
    err = vbg__buf_puts(&b, "    <edge source=\"n");
    if (err == 0)
      err = put_size(&b, e->from);
    if (err == 0)
      err = vbg__buf_puts(&b, "\" target=\"n");
    if (err == 0)
      err = put_size(&b, e->to);
    if (err == 0)
      err = vbg__buf_puts(&b, "\">\n");
    const char *strs[] = {e->relation, e->evidence, e->file, e->cue};
    for (size_t a = 0; err == 0 && a < 4; a++)
      err = put_data_str(&b, &ekeys[a], strs[a]);
    size_t nums[] = {e->weight, e->start, e->end, e->line};
    for (size_t a = 0; err == 0 && a < 4; a++)
      err = put_data_num(&b, &ekeys[4 + a], nums[a]);
    if (err == 0)
      err = vbg__buf_puts(&b, "    </edge>\n");
    if (err == 0)
      err = flush_if_big(&b, out, 0);
  }
  if (err == 0)
    err = vbg__buf_puts(&b, "  </graph>\n</graphml>\n");
  if (err == 0)
    err = flush_if_big(&b, out, 1);
  vbg_buf_dispose(&b);
  if (err == 0 && ferror(out))
    err = vbg__error_io("writing GraphML failed");
  return err;
}

/* ------------------------------------------------------------------ */
/* Reading GraphML back                                                */
/* ------------------------------------------------------------------ */

/* Names and types of a read graph's attributes, listed once. */
typedef struct attrtab {
  igraph_strvector_t vnames, enames, gnames;
  igraph_vector_int_t vtypes, etypes, gtypes;
} attrtab;

static int attr_type(const attrtab *t, int vertex, const char *name) {
  const igraph_strvector_t *names = vertex ? &t->vnames : &t->enames;
  const igraph_vector_int_t *types = vertex ? &t->vtypes : &t->etypes;
  for (igraph_integer_t i = 0; i < igraph_strvector_size(names); i++)
    if (strcmp(igraph_strvector_get(names, i), name) == 0)
      return (int)VECTOR(*types)[i];
  return -1;
}

/* A string attribute as a fresh copy, NULL when absent or empty; a failed
 * copy sets *err. */
static char *attr_str(const igraph_t *ig, const attrtab *t, int vertex,
                      const char *name, igraph_integer_t i, int *err) {
  if (attr_type(t, vertex, name) != IGRAPH_ATTRIBUTE_STRING)
    return NULL;
  const char *s = vertex ? igraph_cattribute_VAS(ig, name, i)
                         : igraph_cattribute_EAS(ig, name, i);
  if (!s || !*s)
    return NULL;
  char *copy = vbg__strdup(s);
  if (!copy)
    *err = VBG_ENOMEM;
  return copy;
}

static double attr_num(const igraph_t *ig, const attrtab *t, int vertex,
                       const char *name, igraph_integer_t i) {
  if (attr_type(t, vertex, name) != IGRAPH_ATTRIBUTE_NUMERIC)
    return 0;
  double x = vertex ? igraph_cattribute_VAN(ig, name, i)
                    : igraph_cattribute_EAN(ig, name, i);
  /* a value no vbgraph graph holds (negative, beyond 2^53, not a number)
   * reads as unknown; casting it to an integer would be undefined.  2^53 is
   * what shards accept and a double holds exactly: every graph written
   * reads back the same */
  return isnan(x) || x < 0 || x > 9007199254740992.0 ? 0 : x;
}

static int from_igraph(vbg_graph **out, igraph_t *ig, const attrtab *t) {
  size_t nv = (size_t)igraph_vcount(ig), ne = (size_t)igraph_ecount(ig);
  if (!igraph_cattribute_has_attr(ig, IGRAPH_ATTRIBUTE_VERTEX, "name") ||
      !igraph_cattribute_has_attr(ig, IGRAPH_ATTRIBUTE_VERTEX, "kind"))
    return vbg__error_set(VBG_EINVAL,
                          "GraphML without vbgraph's name and kind attributes");
  vbg_graph *g;
  int err = vbg__graph_alloc(&g, nv, ne), oom = 0;
  if (err < 0)
    return err;
  for (size_t i = 0; i < nv; i++) {
    vbg_vertex *v = &g->v[i];
    igraph_integer_t x = (igraph_integer_t)i;
    char *kind = attr_str(ig, t, 1, "kind", x, &oom);
    v->kind = kind && strcmp(kind, "body") == 0      ? VBG_KIND_BODY
              : kind && strcmp(kind, "article") == 0 ? VBG_KIND_ARTICLE
                                                     : VBG_KIND_DOCUMENT;
    vbg__free(kind);
    v->id = attr_str(ig, t, 1, "name", x, &oom);
    v->label = attr_str(ig, t, 1, "label", x, &oom);
    v->key = attr_str(ig, t, 1, "key", x, &oom);
    v->doc_type = attr_str(ig, t, 1, "doc_type", x, &oom);
    v->type_code = attr_str(ig, t, 1, "type_code", x, &oom);
    v->number = attr_str(ig, t, 1, "number", x, &oom);
    v->issuer_code = attr_str(ig, t, 1, "issuer_code", x, &oom);
    v->date = attr_str(ig, t, 1, "date", x, &oom);
    v->term = attr_str(ig, t, 1, "term", x, &oom);
    v->title = attr_str(ig, t, 1, "title", x, &oom);
    v->level = attr_str(ig, t, 1, "level", x, &oom);
    v->file = attr_str(ig, t, 1, "file", x, &oom);
    double year = attr_num(ig, t, 1, "year", x);
    v->year = year <= 9999 ? (int)year : 0;
    v->mentions = (size_t)attr_num(ig, t, 1, "mentions", x);
    v->ambiguous = attr_type(t, 1, "ambiguous") == IGRAPH_ATTRIBUTE_BOOLEAN &&
                   igraph_cattribute_VAB(ig, "ambiguous", x);
    if (oom) {
      vbg_graph_free(g);
      return vbg__error_set(VBG_ENOMEM, "out of memory reading GraphML");
    }
    if (!v->id) {
      vbg_graph_free(g);
      return vbg__error_set(VBG_EINVAL, "GraphML vertex %zu has no name", i);
    }
  }
  for (size_t i = 0; i < ne; i++) {
    vbg_edge *e = &g->e[i];
    igraph_integer_t from, to, x = (igraph_integer_t)i;
    igraph_edge(ig, x, &from, &to);
    e->from = (size_t)from;
    e->to = (size_t)to;
    e->relation = attr_str(ig, t, 0, "relation", x, &oom);
    e->evidence = attr_str(ig, t, 0, "evidence", x, &oom);
    e->file = attr_str(ig, t, 0, "file", x, &oom);
    e->cue = attr_str(ig, t, 0, "cue", x, &oom);
    e->weight = (size_t)attr_num(ig, t, 0, "weight", x);
    e->start = (size_t)attr_num(ig, t, 0, "start", x);
    e->end = (size_t)attr_num(ig, t, 0, "end", x);
    e->line = (size_t)attr_num(ig, t, 0, "line", x);
    if (oom || (!e->relation && !(e->relation = vbg__strdup("cites")))) {
      vbg_graph_free(g);
      return vbg__error_set(VBG_ENOMEM, "out of memory reading GraphML");
    }
  }
  *out = g;
  return VBG_OK;
}

int vbg__read_graphml(vbg_graph **out, FILE *in) {
  igraph_t ig;
  *out = NULL;
  handlers h = quiet();
  igraph_error_t rc = igraph_read_graph_graphml(&ig, in, 0);
  if (rc != IGRAPH_SUCCESS) {
    restore(h);
    return graph_error(rc, "reading GraphML");
  }
  attrtab t;
  memset(&t, 0, sizeof(t)); /* destroying a zeroed vector is a no-op */
  int err = VBG_ENOMEM;
  if (igraph_strvector_init(&t.vnames, 0) == 0 &&
      igraph_strvector_init(&t.enames, 0) == 0 &&
      igraph_strvector_init(&t.gnames, 0) == 0 &&
      igraph_vector_int_init(&t.vtypes, 0) == 0 &&
      igraph_vector_int_init(&t.etypes, 0) == 0 &&
      igraph_vector_int_init(&t.gtypes, 0) == 0 &&
      igraph_cattribute_list(&ig, &t.gnames, &t.gtypes, &t.vnames, &t.vtypes,
                             &t.enames, &t.etypes) == IGRAPH_SUCCESS)
    err = from_igraph(out, &ig, &t);
  igraph_strvector_destroy(&t.vnames);
  igraph_strvector_destroy(&t.enames);
  igraph_strvector_destroy(&t.gnames);
  igraph_vector_int_destroy(&t.vtypes);
  igraph_vector_int_destroy(&t.etypes);
  igraph_vector_int_destroy(&t.gtypes);
  igraph_destroy(&ig);
  restore(h);
  if (err < 0) {
    vbg_graph_free(*out);
    *out = NULL;
  }
  return err;
}

static int vbg_graph_read_graphml_impl(vbg_graph **out, FILE *in) {
  return vbg__read_graphml(out, in);
}

static int vbg_graph_write_impl(const vbg_graph *g, vbg_format fmt, FILE *out) {
  int err;
  switch (fmt) {
  case VBG_FORMAT_GRAPHML:
    err = vbg__write_graphml(g, out);
    break;
  case VBG_FORMAT_DOT:
    err = vbg__write_dot(g, out);
    break;
  case VBG_FORMAT_JSON:
    err = vbg__write_json(g, out);
    break;
  case VBG_FORMAT_CSV_NODES:
    err = vbg__write_csv_nodes(g, out);
    break;
  case VBG_FORMAT_CSV_EDGES:
    err = vbg__write_csv_edges(g, out);
    break;
  default:
    return vbg__error_set(VBG_EINVAL, "unknown graph format %d", (int)fmt);
  }
  if (err == 0 && ferror(out))
    err = vbg__error_set(VBG_EIO, "write error");
  return err;
}

/* ------------------------------------------------------------------ */
/* Algorithms for the queries                                          */
/* ------------------------------------------------------------------ */

int vbg__graph_pagerank(const vbg_graph *g, double *out) {
  /* the twin is a cache: made on first use (not thread-safe on one graph) */
  int twin = vbg__graph_igraph((vbg_graph *)g);
  if (twin < 0)
    return twin;
  igraph_vector_t ranks, weights;
  handlers h = quiet();
  igraph_error_t rc = igraph_vector_init(&ranks, 0);
  if (rc == IGRAPH_SUCCESS &&
      (rc = igraph_vector_init(&weights, (igraph_integer_t)g->ne)) ==
          IGRAPH_SUCCESS) {
    for (size_t i = 0; i < g->ne; i++)
      VECTOR(weights)[i] = g->e[i].weight ? (igraph_real_t)g->e[i].weight : 1.0;
    igraph_real_t value;
    rc = igraph_pagerank(g->ig, IGRAPH_PAGERANK_ALGO_PRPACK, &ranks, &value,
                         igraph_vss_all(), IGRAPH_DIRECTED, 0.85, &weights,
                         NULL);
    for (size_t i = 0; rc == IGRAPH_SUCCESS && i < g->nv; i++)
      out[i] = VECTOR(ranks)[i];
    igraph_vector_destroy(&weights);
  }
  igraph_vector_destroy(&ranks);
  restore(h);
  return rc == IGRAPH_SUCCESS ? VBG_OK : graph_error(rc, "PageRank");
}

int vbg__graph_path(size_t **path, size_t *n, const vbg_graph *g, size_t a,
                    size_t b, int directed) {
  *path = NULL;
  *n = 0;
  /* the twin is a cache: made on first use (not thread-safe on one graph) */
  int twin = vbg__graph_igraph((vbg_graph *)g);
  if (twin < 0)
    return twin;
  igraph_vector_int_t vs;
  handlers h = quiet();
  igraph_error_t rc = igraph_vector_int_init(&vs, 0);
  if (rc == IGRAPH_SUCCESS)
    rc = igraph_get_shortest_path(g->ig, &vs, NULL, (igraph_integer_t)a,
                                  (igraph_integer_t)b,
                                  directed ? IGRAPH_OUT : IGRAPH_ALL);
  int err = rc == IGRAPH_SUCCESS ? VBG_OK : graph_error(rc, "shortest path");
  size_t k = err == 0 ? (size_t)igraph_vector_int_size(&vs) : 0;
  if (k > 0 && (*path = vbg__calloc(k, sizeof(**path))) == NULL)
    err = VBG_ENOMEM;
  for (size_t i = 0; err == 0 && i < k; i++)
    (*path)[i] = (size_t)VECTOR(vs)[i];
  if (err == 0)
    *n = k;
  igraph_vector_int_destroy(&vs);
  restore(h);
  return err;
}

int vbg_builder_add(vbg_builder *b, const char *file, const vbg_refs *refs) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_builder_add_impl(b, file, refs);
  VBG__OOM_CHECK(err, before);
  return err;
}

int vbg_builder_finish(vbg_graph **out, vbg_builder *b) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_builder_finish_impl(out, b);
  VBG__OOM_CHECK(err, before);
  if (err < 0 && *out) {
    vbg_graph_free(*out);
    *out = NULL;
  }
  return err;
}

int vbg_graph_read_graphml(vbg_graph **out, FILE *in) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_graph_read_graphml_impl(out, in);
  VBG__OOM_CHECK(err, before);
  if (err < 0 && *out) {
    vbg_graph_free(*out);
    *out = NULL;
  }
  return err;
}

int vbg_graph_write(const vbg_graph *g, vbg_format fmt, FILE *out) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_graph_write_impl(g, fmt, out);
  VBG__OOM_CHECK(err, before);
  return err;
}
