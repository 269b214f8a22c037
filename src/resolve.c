/*
 * resolve.c - pipeline stage 6 and the reference list.
 *
 * Short forms point to a full reference of the same input: "Kết luận 114"
 * to 114-KL/TW, "Nghị quyết này" to the input's own number (its header) or
 * to the nearest earlier resolution, "Quyết định trên" to the nearest
 * earlier decision.  Relations found by offset become relations by key.
 */
#include <stdlib.h>
#include <string.h>

#include "refs.h"

typedef struct iref {
  vbg_ref pub;
  const vbg__type_word *tw;
  int backref, plural;
  long num_value;
  vbg_relation *rels;
  size_t nrels, arels;
} iref;

struct vbg_refs {
  iref *v;
  size_t n, a;
  vbg_input_info info;
};

int vbg__refs_new(vbg_refs **out) {
  *out = vbg__calloc(1, sizeof(**out));
  return *out ? VBG_OK : VBG_ENOMEM;
}

size_t vbg_refs_count(const vbg_refs *refs) { return refs ? refs->n : 0; }

const vbg_ref *vbg_refs_get(const vbg_refs *refs, size_t i) {
  return refs && i < refs->n ? &refs->v[i].pub : NULL;
}

const vbg_input_info *vbg_refs_info(const vbg_refs *refs) {
  return &refs->info;
}

void vbg__refs_set_info(vbg_refs *refs, const vbg_input_info *info) {
  refs->info = *info;
}

static void iref_dispose(iref *r) {
  vbg__free((char *)r->pub.surface);
  vbg__free((char *)r->pub.key);
  vbg__free((char *)r->pub.type_code);
  vbg__free((char *)r->pub.number);
  vbg__free((char *)r->pub.issuer_code);
  vbg__free((char *)r->pub.unit_code);
  vbg__free((char *)r->pub.date);
  vbg__free((char *)r->pub.issuer_body);
  vbg__free((char *)r->pub.term);
  vbg__free((char *)r->pub.title);
  for (size_t i = 0; i < r->nrels; i++) {
    vbg__free((char *)r->rels[i].cue);
    vbg__free((char *)r->rels[i].by);
  }
  vbg__free(r->rels);
}

void vbg_refs_free(vbg_refs *refs) {
  if (!refs)
    return;
  for (size_t i = 0; i < refs->n; i++)
    iref_dispose(&refs->v[i]);
  vbg__free(refs->v);
  vbg__free(refs);
}

int vbg__refs_add(vbg_refs *refs, vbg__cand *c, const char *raw, size_t a,
                  size_t b, size_t line) {
  if (refs->n == refs->a) {
    size_t n = refs->a ? refs->a * 2 : 32;
    iref *v = vbg__realloc(refs->v, n * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    refs->v = v;
    refs->a = n;
  }
  char *surface = vbg__strndup(raw, b - a);
  if (!surface)
    return VBG_ENOMEM;
  iref *r = &refs->v[refs->n++];
  memset(r, 0, sizeof(*r));
  vbg_ref *p = &r->pub;
  p->start = a;
  p->end = b;
  p->line = line;
  p->surface = surface;
  p->key = c->key;
  p->family = c->short_form ? VBG_FAMILY_NONE : c->family;
  p->doc_type = c->doc_type;
  p->type_code = c->type_code;
  p->number = c->number;
  p->year = c->year;
  p->issuer_code = c->issuer_code;
  p->unit_code = c->unit_code;
  p->date = c->date;
  p->issuer_body = c->issuer_body;
  p->term = c->term;
  p->title = c->title;
  p->short_form = c->short_form;
  r->tw = c->tw;
  r->backref = c->backref;
  r->plural = c->plural;
  r->num_value = c->num_value;
  /* the strings now belong to the list */
  c->key = c->type_code = c->number = c->issuer_code = c->unit_code = NULL;
  c->date = c->issuer_body = c->term = c->title = NULL;
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* Short forms                                                         */
/* ------------------------------------------------------------------ */

static int same_type(const iref *shortf, const iref *full) {
  if (full->pub.doc_type && shortf->pub.doc_type &&
      strcmp(full->pub.doc_type, shortf->pub.doc_type) == 0)
    return 1;
  return shortf->tw &&
         vbg__type_word_accepts(shortf->tw, full->pub.type_code) &&
         strcmp(shortf->tw->codes, "*") != 0;
}

static long find_by_start(const vbg_refs *refs, size_t start) {
  size_t lo = 0, hi = refs->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (refs->v[mid].pub.start < start)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < refs->n && refs->v[lo].pub.start == start ? (long)lo : -1;
}

static const char *resolve_backref(const vbg_refs *refs, size_t i, long self) {
  const iref *r = &refs->v[i];
  if (r->plural)
    return NULL;
  if (r->backref == 1 && self >= 0 && same_type(r, &refs->v[self]))
    return refs->v[self].pub.key;
  /* "Quyết định trên" points back a little, not across a whole archive */
  for (size_t k = i, seen = 0; k-- > 0 && seen < 4096; seen++) {
    const iref *f = &refs->v[k];
    if (!f->pub.short_form && f->pub.key && same_type(r, f))
      return f->pub.key;
  }
  return NULL;
}

/* Full references ordered by (serial number, position): the candidates of
 * a bare number are one run of it. */
typedef struct numidx {
  const vbg_refs *refs;
  size_t *v;
  size_t n;
} numidx;

static _Thread_local const vbg_refs *sort_refs;

static int cmp_num(const void *a, const void *b) {
  const iref *x = &sort_refs->v[*(const size_t *)a],
             *y = &sort_refs->v[*(const size_t *)b];
  if (x->num_value != y->num_value)
    return x->num_value < y->num_value ? -1 : 1;
  return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int numidx_build(numidx *ix, const vbg_refs *refs) {
  ix->refs = refs;
  ix->n = 0;
  ix->v = vbg__calloc(refs->n + 1, sizeof(size_t));
  if (!ix->v)
    return VBG_ENOMEM;
  for (size_t k = 0; k < refs->n; k++)
    if (!refs->v[k].pub.short_form && refs->v[k].pub.key)
      ix->v[ix->n++] = k;
  sort_refs = refs;
  if (ix->n > 1)
    qsort(ix->v, ix->n, sizeof(size_t), cmp_num);
  sort_refs = NULL;
  return VBG_OK;
}

static const char *resolve_number(const numidx *ix, size_t i) {
  const vbg_refs *refs = ix->refs;
  const iref *r = &refs->v[i];
  size_t lo = 0, hi = ix->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (refs->v[ix->v[mid]].num_value < r->num_value)
      lo = mid + 1;
    else
      hi = mid;
  }
  const char *before = NULL, *after = NULL;
  for (size_t q = lo; q < ix->n && refs->v[ix->v[q]].num_value == r->num_value;
       q++) {
    size_t k = ix->v[q];
    if (!same_type(r, &refs->v[k]))
      continue;
    if (k < i)
      before = refs->v[k].pub.key;
    else if (!after)
      after = refs->v[k].pub.key;
  }
  return before ? before : after;
}

/* ------------------------------------------------------------------ */
/* Relations                                                           */
/* ------------------------------------------------------------------ */

static const char *key_of(const iref *r) {
  return r->pub.key ? r->pub.key : r->pub.resolves_to;
}

static int has_relation(const iref *src, const char *target) {
  for (size_t i = 0; i < src->nrels; i++)
    if (strcmp(src->rels[i].target, target) == 0)
      return 1;
  return 0;
}

static int add_relation(iref *src, vbg_rel type, const char *target,
                        const char *cue, size_t start, size_t end, size_t line,
                        const char *by) {
  for (size_t i = 0; i < src->nrels; i++)
    if (src->rels[i].type == type && strcmp(src->rels[i].target, target) == 0)
      return VBG_OK;
  if (src->nrels == src->arels) {
    size_t a = src->arels ? src->arels * 2 : 4;
    vbg_relation *v = vbg__realloc(src->rels, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    src->rels = v;
    src->arels = a;
  }
  char *c = NULL, *b = NULL;
  if ((cue && !(c = vbg__strdup(cue))) ||
      (by && *by && !(b = vbg__strdup(by)))) {
    vbg__free(c);
    return VBG_ENOMEM;
  }
  src->rels[src->nrels++] =
      (vbg_relation){type, target, c, start, end, line, b};
  return VBG_OK;
}

/* Does the input's own document relate to `key` already, through its
 * header number or a back-reference to it ("Quyết định này thay thế ...")? */
/* A document whose own text is the input (its header number) cites every
 * other document it names with a number, unless it relates to it already,
 * through its header or a back-reference to it ("Quyết định này thay thế"). */
static int add_cites(vbg_refs *refs, long self) {
  iref *s = &refs->v[self];
  size_t *own = vbg__calloc(refs->n + 1, sizeof(size_t)), nown = 0;
  if (!own)
    return VBG_ENOMEM;
  for (size_t k = 0; k < refs->n; k++) {
    const char *xk =
        refs->v[k].pub.key ? refs->v[k].pub.key : refs->v[k].pub.resolves_to;
    if (xk && strcmp(xk, s->pub.key) == 0)
      own[nown++] = k;
  }
  int err = VBG_OK;
  for (size_t k = 0; err == 0 && k < refs->n; k++) {
    const iref *x = &refs->v[k];
    if ((long)k == self || x->pub.short_form || !x->pub.key ||
        strcmp(x->pub.key, s->pub.key) == 0)
      continue;
    int related = 0;
    for (size_t q = 0; q < nown && !related; q++)
      related = has_relation(&refs->v[own[q]], x->pub.key);
    if (!related)
      err = add_relation(s, VBG_REL_CITES, x->pub.key, NULL, x->pub.start,
                         x->pub.end, x->pub.line, NULL);
  }
  vbg__free(own);
  return err;
}

/* Order relations by where the text states them; the targets of one cue
 * keep the order they were listed in (a stable insertion sort: lists are
 * short). */
static void sort_relations(vbg_relation *v, size_t n) {
  for (size_t i = 1; i < n; i++) {
    vbg_relation x = v[i];
    size_t j = i;
    while (j > 0 && v[j - 1].start > x.start) {
      v[j] = v[j - 1];
      j--;
    }
    v[j] = x;
  }
}

static int cmp_prel(const void *a, const void *b) {
  const vbg__prel *x = a, *y = b;
  if (x->cue_start != y->cue_start)
    return x->cue_start < y->cue_start ? -1 : 1;
  return x->tgt < y->tgt ? -1 : x->tgt > y->tgt;
}

int vbg__refs_resolve(vbg_refs *refs, vbg__prel *rels, size_t n,
                      size_t self_orig) {
  /* relations in the order the text states them */
  if (n > 1)
    qsort(rels, n, sizeof(*rels), cmp_prel);
  long self = self_orig == SIZE_MAX ? -1 : find_by_start(refs, self_orig);
  numidx ix;
  if (numidx_build(&ix, refs) < 0)
    return VBG_ENOMEM;
  for (size_t i = 0; i < refs->n; i++) {
    iref *r = &refs->v[i];
    if (!r->pub.short_form)
      continue;
    r->pub.resolves_to =
        r->backref ? resolve_backref(refs, i, self) : resolve_number(&ix, i);
  }
  vbg__free(ix.v);
  for (size_t i = 0; i < n; i++) {
    long s = find_by_start(refs, rels[i].src),
         t = find_by_start(refs, rels[i].tgt);
    if (s < 0 || t < 0)
      continue;
    const char *tk = key_of(&refs->v[t]), *sk = key_of(&refs->v[s]);
    if (!tk || (rels[i].type != VBG_REL_REVIEWS && sk && strcmp(sk, tk) == 0))
      continue;
    int err = add_relation(&refs->v[s], rels[i].type, tk, rels[i].cue,
                           rels[i].cue_start, rels[i].cue_end, rels[i].line,
                           rels[i].by);
    if (err < 0)
      return err;
  }
  if (self >= 0 && refs->v[self].pub.key) {
    int err = add_cites(refs, self);
    if (err < 0)
      return err;
  }
  for (size_t i = 0; i < refs->n; i++) {
    /* one rule for the order: where the text states each relation */
    sort_relations(refs->v[i].rels, refs->v[i].nrels);
    refs->v[i].pub.relations = refs->v[i].rels;
    refs->v[i].pub.nrelations = refs->v[i].nrels;
  }
  return VBG_OK;
}
