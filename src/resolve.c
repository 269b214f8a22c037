/*
 * resolve.c - pipeline stage 6 and the reference list.
 *
 * Short forms point to a full reference of the same input: "Kết luận 114"
 * to 114-KL/TW, "Nghị quyết này" to the input's own number (its header) or
 * to the nearest earlier resolution, "Quyết định trên" to the nearest
 * earlier decision.  Relations found by offset become relations by key.
 *
 * The resolver works as the stream goes: references arrive in input order,
 * and each one leaves as soon as nothing later in the text can change it,
 * so memory follows the text around the current window, not the input:
 *
 *  - a bare number ("Nghị quyết 72") takes the nearest earlier full
 *    reference of that number and type, looked up in an index that keeps
 *    one entry per distinct key (it grows with the graph, not the text);
 *    with none, the first later one within AHEAD bytes;
 *  - "Quyết định trên" looks back at most BACK_REFS references, so the
 *    last BACK_REFS references stay;
 *  - a relation waits until both its ends are decided; a reference leaves
 *    only once no waiting or future relation can name it;
 *  - the input's own header reference collects relations from the whole
 *    text ("Căn cứ ...", and `cites` for every other document named): it
 *    stays to the end, with the distinct keys the text names.
 */
#include <stdlib.h>
#include <string.h>

#include "refs.h"

#define BACK_REFS 4096u
#define AHEAD (64u << 10)
#define NONE SIZE_MAX

/* ------------------------------------------------------------------ */
/* A set of indices into some array, hashed by what they point at       */
/* ------------------------------------------------------------------ */

/* A slot: index + 1 (0 for empty) and the hash of what it points at, so
 * that a probe looks at the array only when the hashes agree, and growing
 * reads no member at all. */
typedef struct idxslot {
  size_t idx;
  uint64_t h;
} idxslot;

typedef struct idxset {
  idxslot *slot;
  size_t cap, n;
} idxset;

static uint64_t hash_bytes(uint64_t h, const char *s) {
  for (; s && *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}
#define HASH0 14695981039346656037ull

static void idxset_dispose(idxset *s) {
  vbg__free(s->slot);
  memset(s, 0, sizeof(*s));
}

/* Make room for one more index. */
static int idxset_reserve(idxset *s) {
  if ((s->n + 1) * 2 <= s->cap)
    return VBG_OK;
  size_t cap = s->cap ? s->cap * 2 : 16;
  idxslot *slot = vbg__calloc(cap, sizeof(*slot));
  if (!slot)
    return VBG_ENOMEM;
  for (size_t i = 0; i < s->cap; i++) {
    if (!s->slot[i].idx)
      continue;
    size_t h = (size_t)s->slot[i].h & (cap - 1);
    while (slot[h].idx)
      h = (h + 1) & (cap - 1);
    slot[h] = s->slot[i];
  }
  vbg__free(s->slot);
  s->slot = slot;
  s->cap = cap;
  return VBG_OK;
}

/* The slot holding an index of hash h equal to the probe (eq says), or the
 * empty slot where it would go.  The set must have room (idxset_reserve). */
static idxslot *idxset_find(const idxset *s, uint64_t h,
                            int (*eq)(const void *ctx, size_t idx,
                                      const void *probe),
                            const void *ctx, const void *probe) {
  size_t i = (size_t)h & (s->cap - 1);
  while (s->slot[i].idx &&
         (s->slot[i].h != h || !eq(ctx, s->slot[i].idx - 1, probe)))
    i = (i + 1) & (s->cap - 1);
  return &s->slot[i];
}

/* Fill the empty slot at (from idxset_find with hash h) with index idx. */
static void idxset_put(idxset *s, idxslot *at, uint64_t h, size_t idx) {
  at->idx = idx + 1;
  at->h = h;
  s->n++;
}

/* Remove the index in *at (from idxset_find), shifting later members of
 * its run back so every lookup still finds them. */
static void idxset_remove(idxset *s, idxslot *at) {
  size_t mask = s->cap - 1, hole = (size_t)(at - s->slot);
  s->slot[hole].idx = 0;
  s->n--;
  for (size_t j = (hole + 1) & mask; s->slot[j].idx; j = (j + 1) & mask) {
    size_t home = (size_t)s->slot[j].h & mask;
    /* leave it when its home lies cyclically in (hole, j] */
    int stays = hole < j ? home > hole && home <= j : home > hole || home <= j;
    if (!stays) {
      s->slot[hole] = s->slot[j];
      s->slot[j].idx = 0;
      hole = j;
    }
  }
}

/* ------------------------------------------------------------------ */
/* References                                                          */
/* ------------------------------------------------------------------ */

typedef struct iref {
  vbg_ref pub;
  const vbg__type_word *tw;
  int backref, plural;
  int waiting; /* a bare number waiting for a later full reference */
  long num_value;
  size_t ord; /* position among the input's references */
  int packed; /* type_code, number and issuer_code live in key's allocation */
  vbg_relation *rels;
  size_t nrels, arels;
  idxset relset; /* (type, target) of rels, once there are many */
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
  if (!r->packed) { /* else they live in key's allocation */
    vbg__free((char *)r->pub.type_code);
    vbg__free((char *)r->pub.number);
    vbg__free((char *)r->pub.issuer_code);
  }
  vbg__free((char *)r->pub.unit_code);
  vbg__free((char *)r->pub.date);
  vbg__free((char *)r->pub.issuer_body);
  vbg__free((char *)r->pub.term);
  vbg__free((char *)r->pub.title);
  vbg__free((char *)r->pub.resolves_to);
  for (size_t i = 0; i < r->nrels; i++) {
    vbg__free((char *)r->rels[i].target);
    vbg__free((char *)r->rels[i].cue);
    vbg__free((char *)r->rels[i].by);
  }
  vbg__free(r->rels);
  idxset_dispose(&r->relset);
}

void vbg_refs_free(vbg_refs *refs) {
  if (!refs)
    return;
  for (size_t i = 0; i < refs->n; i++)
    iref_dispose(&refs->v[i]);
  vbg__free(refs->v);
  vbg__free(refs);
}

static int refs_push(vbg_refs *refs, const iref *r) {
  if (refs->n == refs->a) {
    size_t n = refs->a ? refs->a * 2 : 32;
    iref *v = vbg__realloc(refs->v, n * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    refs->v = v;
    refs->a = n;
  }
  refs->v[refs->n++] = *r;
  return VBG_OK;
}

static const char *key_of(const iref *r) {
  return r->pub.key ? r->pub.key : r->pub.resolves_to;
}

/* ------------------------------------------------------------------ */
/* Relations of one reference                                          */
/* ------------------------------------------------------------------ */

static uint64_t rel_hash_of(vbg_rel type, const char *target) {
  return hash_bytes(HASH0 + (uint64_t)type, target);
}

static int rel_eq(const void *ctx, size_t idx, const void *probe) {
  const vbg_relation *x = &((const iref *)ctx)->rels[idx], *p = probe;
  return x->type == p->type && strcmp(x->target, p->target) == 0;
}

/* The relation (type, target) of src, or NULL. */
static const vbg_relation *find_relation(iref *src, vbg_rel type,
                                         const char *target) {
  vbg_relation probe = {.type = type, .target = target};
  if (src->relset.n) {
    idxslot *at = idxset_find(&src->relset, rel_hash_of(type, target), rel_eq,
                              src, &probe);
    return at->idx ? &src->rels[at->idx - 1] : NULL;
  }
  for (size_t i = 0; i < src->nrels; i++)
    if (rel_eq(src, i, &probe))
      return &src->rels[i];
  return NULL;
}

/* Add a relation unless src has it already (the first statement wins). */
static int add_relation(iref *src, vbg_rel type, const char *target,
                        const char *cue, size_t start, size_t end, size_t line,
                        const char *by) {
  if (find_relation(src, type, target))
    return VBG_OK;
  if (src->nrels == src->arels) {
    size_t a = src->arels ? src->arels * 2 : 4;
    vbg_relation *v = vbg__realloc(src->rels, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    src->rels = v;
    src->arels = a;
  }
  /* a reference with many relations (the input's own header) gets a hash
   * of them, so adding one stays constant time */
  int hashed = src->nrels + 1 >= 8;
  if (hashed && idxset_reserve(&src->relset) < 0)
    return VBG_ENOMEM;
  char *t = vbg__strdup(target), *c = NULL, *b = NULL;
  if (!t || (cue && !(c = vbg__strdup(cue))) ||
      (by && *by && !(b = vbg__strdup(by)))) {
    vbg__free(t);
    vbg__free(c);
    return VBG_ENOMEM;
  }
  src->rels[src->nrels++] = (vbg_relation){type, t, c, start, end, line, b};
  for (size_t k = hashed ? src->relset.n : src->nrels; k < src->nrels; k++) {
    uint64_t h = rel_hash_of(src->rels[k].type, src->rels[k].target);
    idxset_put(&src->relset,
               idxset_find(&src->relset, h, rel_eq, src, &src->rels[k]), h, k);
  }
  return VBG_OK;
}

typedef struct relpos {
  size_t start, seq;
} relpos;

static int cmp_relpos(const void *a, const void *b) {
  const relpos *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Order relations by where the text states them; the targets of one cue
 * keep the order they were listed in. */
static int sort_relations(iref *r) {
  size_t n = r->nrels;
  int sorted = 1;
  for (size_t i = 1; i < n && sorted; i++)
    sorted = r->rels[i - 1].start <= r->rels[i].start;
  if (!sorted) {
    relpos *p = vbg__malloc(n * sizeof(*p));
    vbg_relation *v = vbg__malloc(n * sizeof(*v));
    if (!p || !v) {
      vbg__free(p);
      vbg__free(v);
      return VBG_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
      p[i] = (relpos){r->rels[i].start, i};
    qsort(p, n, sizeof(*p), cmp_relpos);
    for (size_t i = 0; i < n; i++)
      v[i] = r->rels[p[i].seq];
    memcpy(r->rels, v, n * sizeof(*v));
    vbg__free(p);
    vbg__free(v);
  }
  idxset_dispose(&r->relset); /* positions changed; no more additions */
  r->pub.relations = r->rels;
  r->pub.nrelations = r->nrels;
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* The resolver                                                        */
/* ------------------------------------------------------------------ */

/* A distinct full reference of some serial number: what a bare number of
 * that value can resolve to. */
typedef struct nument {
  char *key;
  const char *doc_type;
  char *type_code; /* inside key's allocation */
  long num;
  size_t last; /* ordinal of its latest mention */
} nument;

/* The entries of one serial number, and the bare numbers waiting for it. */
typedef struct numslot {
  long num;
  size_t *ent; /* indices into entries */
  size_t nent, aent;
  size_t *wait; /* ordinals of waiting short forms, in order */
  size_t wh, nwait, await;
} numslot;

/* A key the input's own document may cite, at its first mention. */
typedef struct keypos {
  char *key;
  size_t start, end, line;
} keypos;

typedef struct keylist {
  keypos *v;
  size_t n, a;
  idxset set;
} keylist;

struct vbg__resolver {
  iref *v; /* pending references v[head..n), in input order */
  size_t head, n, a;
  size_t start_hint; /* where by_start last found one */
  size_t next_ord;   /* ordinal of the next reference */
  size_t self_orig;
  iref self; /* the header reference, once it left the pending list */
  int self_held;
  vbg__prel *q; /* relations waiting, in the order the text states them */
  size_t qh, qn, qa;
  nument *ents;
  size_t nents, aents;
  idxset entset; /* (key, doc_type, type_code) -> entry */
  numslot *slots;
  size_t nslots, aslots;
  idxset slotset; /* serial number -> slot */
  size_t *wait;   /* every waiting short form, in order */
  size_t wh, nwait, await;
  keylist named;           /* keys the text names: candidates for `cites` */
  keylist related;         /* keys the own document relates to already */
  size_t back_refs, ahead; /* BACK_REFS and AHEAD, but for tests */
  vbg_refs *ready;         /* decided, not yet handed over */
  int handed;              /* some batch was handed over */
};

static int push_size(size_t **v, size_t *n, size_t *a, size_t x) {
  if (*n == *a) {
    size_t na = *a ? *a * 2 : 8;
    size_t *nv = vbg__realloc(*v, na * sizeof(size_t));
    if (!nv)
      return VBG_ENOMEM;
    *v = nv;
    *a = na;
  }
  (*v)[(*n)++] = x;
  return VBG_OK;
}

/* Drop the first h entries of a queue once they are half of it. */
static void compact_sizes(size_t *v, size_t *h, size_t *n) {
  if (*h > 64 && *h * 2 > *n) {
    memmove(v, v + *h, (*n - *h) * sizeof(size_t));
    *n -= *h;
    *h = 0;
  }
}

int vbg__resolver_new(vbg__resolver **out) {
  *out = NULL;
  vbg__resolver *rs = vbg__calloc(1, sizeof(*rs));
  if (!rs)
    return VBG_ENOMEM;
  rs->self_orig = NONE;
  rs->back_refs = BACK_REFS;
  rs->ahead = AHEAD;
  if (vbg__refs_new(&rs->ready) < 0) {
    vbg__free(rs);
    return VBG_ENOMEM;
  }
  *out = rs;
  return VBG_OK;
}

static void keylist_dispose(keylist *k) {
  for (size_t i = 0; i < k->n; i++)
    vbg__free(k->v[i].key);
  vbg__free(k->v);
  idxset_dispose(&k->set);
}

void vbg__resolver_free(vbg__resolver *rs) {
  if (!rs)
    return;
  for (size_t i = rs->head; i < rs->n; i++)
    iref_dispose(&rs->v[i]);
  vbg__free(rs->v);
  if (rs->self_held)
    iref_dispose(&rs->self);
  vbg__free(rs->q);
  for (size_t i = 0; i < rs->nents; i++) {
    vbg__free(rs->ents[i].key); /* and its type code */
  }
  vbg__free(rs->ents);
  idxset_dispose(&rs->entset);
  for (size_t i = 0; i < rs->nslots; i++) {
    vbg__free(rs->slots[i].ent);
    vbg__free(rs->slots[i].wait);
  }
  vbg__free(rs->slots);
  idxset_dispose(&rs->slotset);
  vbg__free(rs->wait);
  keylist_dispose(&rs->named);
  keylist_dispose(&rs->related);
  vbg_refs_free(rs->ready);
  vbg__free(rs);
}

/* What a reset keeps: storage up to this many elements, which a short
 * input fills; a long input's larger arrays and tables are let go, so that
 * neither the memory nor the clearing of a table outlives it. */
#define KEEP_ELEMS 4096u

static void idxset_clear(idxset *s) {
  if (s->cap > KEEP_ELEMS)
    idxset_dispose(s);
  else if (s->n > 0) {
    memset(s->slot, 0, s->cap * sizeof(*s->slot));
    s->n = 0;
  }
}

/* Empty the array v of n elements (capacity a): its storage is kept when
 * small, else freed.  A macro, for arrays of any element type. */
#define TRIM(v, n, a)                                                          \
  do {                                                                         \
    (n) = 0;                                                                   \
    if ((a) > KEEP_ELEMS) {                                                    \
      vbg__free(v);                                                            \
      (v) = NULL;                                                              \
      (a) = 0;                                                                 \
    }                                                                          \
  } while (0)

static void keylist_clear(keylist *k) {
  for (size_t i = 0; i < k->n; i++)
    vbg__free(k->v[i].key);
  TRIM(k->v, k->n, k->a);
  idxset_clear(&k->set);
}

void vbg__resolver_reset(vbg__resolver *rs) {
  for (size_t i = rs->head; i < rs->n; i++)
    iref_dispose(&rs->v[i]);
  rs->head = 0;
  TRIM(rs->v, rs->n, rs->a);
  rs->start_hint = rs->next_ord = 0;
  rs->self_orig = NONE;
  if (rs->self_held)
    iref_dispose(&rs->self);
  rs->self_held = 0;
  rs->qh = 0;
  TRIM(rs->q, rs->qn, rs->qa);
  for (size_t i = 0; i < rs->nents; i++)
    vbg__free(rs->ents[i].key); /* and its type code */
  TRIM(rs->ents, rs->nents, rs->aents);
  idxset_clear(&rs->entset);
  for (size_t i = 0; i < rs->nslots; i++) {
    vbg__free(rs->slots[i].ent);
    vbg__free(rs->slots[i].wait);
  }
  TRIM(rs->slots, rs->nslots, rs->aslots);
  idxset_clear(&rs->slotset);
  rs->wh = 0;
  TRIM(rs->wait, rs->nwait, rs->await);
  keylist_clear(&rs->named);
  keylist_clear(&rs->related);
  vbg_refs *d = rs->ready;
  for (size_t i = 0; i < d->n; i++)
    iref_dispose(&d->v[i]);
  TRIM(d->v, d->n, d->a);
  memset(&d->info, 0, sizeof(d->info));
  rs->handed = 0;
}

void vbg__resolver_tune(vbg__resolver *rs, size_t back_refs, size_t ahead) {
  rs->back_refs = back_refs;
  rs->ahead = ahead;
}

void vbg__resolver_set_self(vbg__resolver *rs, size_t self_orig) {
  rs->self_orig = self_orig;
}

/* The pending reference of ordinal `ord`, or NULL once it left. */
static iref *by_ord(vbg__resolver *rs, size_t ord) {
  if (rs->head == rs->n || ord < rs->v[rs->head].ord)
    return rs->self_held && rs->self.ord == ord ? &rs->self : NULL;
  size_t i = rs->head + (ord - rs->v[rs->head].ord);
  return i < rs->n ? &rs->v[i] : NULL;
}

/* The reference starting at `start`: pending, or the held header.  The
 * relations ask in text order, so the search gallops from the last answer
 * (any index will do: it is only where to start). */
static iref *by_start(vbg__resolver *rs, size_t start) {
  if (rs->self_held && rs->self.pub.start == start)
    return &rs->self;
  if (rs->head == rs->n)
    return NULL;
  /* the first at or after `start` lies in [lo, hi]: v[lo - 1] is before
   * it (or lo is head), v[hi] is not (or hi is n) */
  size_t h = rs->start_hint >= rs->head && rs->start_hint < rs->n
                 ? rs->start_hint
                 : rs->head;
  size_t lo, hi, step = 1;
  if (rs->v[h].pub.start < start) {
    lo = h + 1;
    hi = rs->n;
    for (size_t b = h + 1; b < rs->n; b += step, step *= 2) {
      if (rs->v[b].pub.start >= start) {
        hi = b;
        break;
      }
      lo = b + 1;
    }
  } else {
    lo = rs->head;
    hi = h;
    for (size_t b = h; b > rs->head; step *= 2) {
      b = b - rs->head > step ? b - step : rs->head;
      if (rs->v[b].pub.start < start) {
        lo = b + 1;
        break;
      }
      hi = b;
    }
  }
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (rs->v[mid].pub.start < start)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < rs->n && rs->v[lo].pub.start == start) {
    rs->start_hint = lo;
    return &rs->v[lo];
  }
  return NULL;
}

static iref *self_ref(vbg__resolver *rs) {
  if (rs->self_held)
    return &rs->self;
  return rs->self_orig == NONE ? NULL : by_start(rs, rs->self_orig);
}

/* Could a full reference of this type be what the short form means? */
static int same_type(const iref *shortf, const char *doc_type,
                     const char *type_code) {
  if (doc_type && shortf->pub.doc_type &&
      strcmp(doc_type, shortf->pub.doc_type) == 0)
    return 1;
  return shortf->tw && vbg__type_word_accepts(shortf->tw, type_code) &&
         strcmp(shortf->tw->codes, "*") != 0;
}

static int str_eq0(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

static uint64_t ent_hash_of(const char *key, const char *doc_type,
                            const char *type_code) {
  return hash_bytes(hash_bytes(hash_bytes(HASH0, key) * 31, doc_type) * 31,
                    type_code);
}

static int ent_eq(const void *ctx, size_t idx, const void *probe) {
  const nument *e = &((const vbg__resolver *)ctx)->ents[idx];
  const iref *r = probe;
  return strcmp(e->key, r->pub.key) == 0 &&
         str_eq0(e->doc_type, r->pub.doc_type) &&
         str_eq0(e->type_code, r->pub.type_code);
}

static uint64_t num_hash(long num) {
  return ((uint64_t)num + 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
}

static int slot_eq(const void *ctx, size_t idx, const void *probe) {
  return ((const vbg__resolver *)ctx)->slots[idx].num == *(const long *)probe;
}

/* The slot of serial number `num`, made when `make`; NULL when absent. */
static int find_slot(vbg__resolver *rs, long num, int make, numslot **out) {
  *out = NULL;
  if (make && idxset_reserve(&rs->slotset) < 0)
    return VBG_ENOMEM;
  if (!rs->slotset.cap)
    return VBG_OK;
  idxslot *at = idxset_find(&rs->slotset, num_hash(num), slot_eq, rs, &num);
  if (at->idx) {
    *out = &rs->slots[at->idx - 1];
    return VBG_OK;
  }
  if (!make)
    return VBG_OK;
  if (rs->nslots == rs->aslots) {
    size_t a = rs->aslots ? rs->aslots * 2 : 16;
    numslot *v = vbg__realloc(rs->slots, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    rs->slots = v;
    rs->aslots = a;
  }
  memset(&rs->slots[rs->nslots], 0, sizeof(numslot));
  rs->slots[rs->nslots].num = num;
  idxset_put(&rs->slotset, at, num_hash(num), rs->nslots);
  *out = &rs->slots[rs->nslots++];
  return VBG_OK;
}

static int keypos_eq(const void *ctx, size_t idx, const void *probe) {
  return strcmp(((const keylist *)ctx)->v[idx].key, probe) == 0;
}

static int keylist_has(const keylist *k, const char *key) {
  return k->set.cap &&
         idxset_find(&k->set, hash_bytes(HASH0, key), keypos_eq, k, key)->idx;
}

/* Add key at its first mention; later mentions change nothing. */
static int keylist_add(keylist *k, const char *key, size_t start, size_t end,
                       size_t line) {
  if (idxset_reserve(&k->set) < 0)
    return VBG_ENOMEM;
  uint64_t h = hash_bytes(HASH0, key);
  idxslot *at = idxset_find(&k->set, h, keypos_eq, k, key);
  if (at->idx)
    return VBG_OK;
  if (k->n == k->a) {
    size_t a = k->a ? k->a * 2 : 16;
    keypos *v = vbg__realloc(k->v, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    k->v = v;
    k->a = a;
  }
  char *copy = vbg__strdup(key);
  if (!copy)
    return VBG_ENOMEM;
  k->v[k->n] = (keypos){copy, start, end, line};
  idxset_put(&k->set, at, h, k->n++);
  return VBG_OK;
}

/* A full reference arrived: index it, and give it to the bare numbers that
 * wait for a later one. */
static int index_full(vbg__resolver *rs, iref *r) {
  numslot *slot;
  int err = find_slot(rs, r->num_value, 1, &slot);
  if (err < 0 || (err = idxset_reserve(&rs->entset)) < 0)
    return err;
  uint64_t h = ent_hash_of(r->pub.key, r->pub.doc_type, r->pub.type_code);
  idxslot *at = idxset_find(&rs->entset, h, ent_eq, rs, r);
  if (at->idx) {
    rs->ents[at->idx - 1].last = r->ord;
  } else {
    if (rs->nents == rs->aents) {
      size_t a = rs->aents ? rs->aents * 2 : 16;
      nument *v = vbg__realloc(rs->ents, a * sizeof(*v));
      if (!v)
        return VBG_ENOMEM;
      rs->ents = v;
      rs->aents = a;
    }
    /* the key and the type code in one allocation, owned by key */
    size_t kl = strlen(r->pub.key) + 1,
           tl = r->pub.type_code ? strlen(r->pub.type_code) + 1 : 0;
    nument e = {vbg__malloc(kl + tl), r->pub.doc_type, NULL, r->num_value,
                r->ord};
    if (!e.key)
      return VBG_ENOMEM;
    memcpy(e.key, r->pub.key, kl);
    if (tl)
      e.type_code = memcpy(e.key + kl, r->pub.type_code, tl);
    if (push_size(&slot->ent, &slot->nent, &slot->aent, rs->nents) < 0) {
      vbg__free(e.key);
      return VBG_ENOMEM;
    }
    rs->ents[rs->nents] = e;
    idxset_put(&rs->entset, at, h, rs->nents++);
  }
  /* the waiting bare numbers of this value, oldest first */
  size_t keep = slot->wh;
  for (size_t i = slot->wh; i < slot->nwait; i++) {
    iref *w = by_ord(rs, slot->wait[i]);
    if (!w || !w->waiting)
      continue;
    if (w->pub.start + rs->ahead < r->pub.start) {
      w->waiting = 0; /* too far ahead: stays unresolved */
      continue;
    }
    if (same_type(w, r->pub.doc_type, r->pub.type_code)) {
      if (!(w->pub.resolves_to = vbg__strdup(r->pub.key)))
        return VBG_ENOMEM;
      w->waiting = 0;
      continue;
    }
    slot->wait[keep++] = slot->wait[i];
  }
  slot->nwait = keep;
  compact_sizes(slot->wait, &slot->wh, &slot->nwait);
  return VBG_OK;
}

/* A bare number: the nearest earlier full reference of that number and
 * type, else wait for a later one. */
static int resolve_number(vbg__resolver *rs, iref *r) {
  numslot *slot;
  int err = find_slot(rs, r->num_value, 1, &slot);
  if (err < 0)
    return err;
  const nument *best = NULL;
  for (size_t i = 0; i < slot->nent; i++) {
    const nument *e = &rs->ents[slot->ent[i]];
    if ((!best || e->last > best->last) &&
        same_type(r, e->doc_type, e->type_code))
      best = e;
  }
  if (best)
    return (r->pub.resolves_to = vbg__strdup(best->key)) ? VBG_OK : VBG_ENOMEM;
  if ((err = push_size(&slot->wait, &slot->nwait, &slot->await, r->ord)) < 0 ||
      (err = push_size(&rs->wait, &rs->nwait, &rs->await, r->ord)) < 0)
    return err;
  r->waiting = 1;
  return VBG_OK;
}

/* "Nghị quyết này": the input's own document when it is of that type;
 * "Quyết định trên": the nearest earlier one, a little way back. */
static int resolve_backref(vbg__resolver *rs, iref *r) {
  if (r->plural)
    return VBG_OK;
  const char *key = NULL;
  const iref *self = self_ref(rs);
  if (r->backref == 1 && self && self != r &&
      same_type(r, self->pub.doc_type, self->pub.type_code))
    key = self->pub.key;
  for (size_t k = r->ord, seen = 0; !key && k-- > 0 && seen < rs->back_refs;
       seen++) {
    const iref *f = by_ord(rs, k);
    if (f && !f->pub.short_form && f->pub.key &&
        same_type(r, f->pub.doc_type, f->pub.type_code))
      key = f->pub.key;
  }
  if (key && !(r->pub.resolves_to = vbg__strdup(key)))
    return VBG_ENOMEM;
  return VBG_OK;
}

int vbg__resolver_add(vbg__resolver *rs, vbg__cand *c, const char *raw,
                      size_t a, size_t b, size_t line) {
  if (rs->head > 0 && rs->head * 2 > rs->n) {
    memmove(rs->v, rs->v + rs->head, (rs->n - rs->head) * sizeof(*rs->v));
    rs->n -= rs->head;
    rs->head = 0;
  }
  if (rs->n == rs->a) {
    size_t n = rs->a ? rs->a * 2 : 64;
    iref *v = vbg__realloc(rs->v, n * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    rs->v = v;
    rs->a = n;
  }
  char *surface = vbg__strndup(raw, b - a);
  if (!surface)
    return VBG_ENOMEM;
  iref *r = &rs->v[rs->n++];
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
  r->packed = c->packed;
  r->ord = rs->next_ord++;
  /* the strings now belong to the list */
  c->key = c->type_code = c->number = c->issuer_code = c->unit_code = NULL;
  c->packed = 0;
  c->date = c->issuer_body = c->term = c->title = NULL;

  if (p->short_form)
    return r->backref ? resolve_backref(rs, r) : resolve_number(rs, r);
  if (!p->key)
    return VBG_OK;
  int err = index_full(rs, r);
  if (err == 0 && rs->self_orig != NONE)
    err = keylist_add(&rs->named, p->key, a, b, line);
  return err;
}

static int cmp_prel(const void *a, const void *b) {
  const vbg__prel *x = a, *y = b;
  if (x->cue_start != y->cue_start)
    return x->cue_start < y->cue_start ? -1 : 1;
  return x->tgt < y->tgt ? -1 : x->tgt > y->tgt;
}

void vbg__prels_sort(vbg__prel *rels, size_t n) {
  /* a window's cues mostly come in order already; qsort would still copy
   * every entry (glibc's is a merge sort, stable, as the order of equal
   * entries needs) */
  size_t i = 1;
  while (i < n && cmp_prel(&rels[i - 1], &rels[i]) <= 0)
    i++;
  if (i < n)
    qsort(rels, n, sizeof(*rels), cmp_prel);
}

int vbg__resolver_add_rels(vbg__resolver *rs, vbg__prel *rels, size_t n) {
  if (n == 0)
    return VBG_OK;
  /* in the order the text states them */
  vbg__prels_sort(rels, n);
  if (rs->qh > 0 && rs->qh * 2 > rs->qn) {
    memmove(rs->q, rs->q + rs->qh, (rs->qn - rs->qh) * sizeof(*rs->q));
    rs->qn -= rs->qh;
    rs->qh = 0;
  }
  if (rs->qn + n > rs->qa) {
    size_t a = rs->qa ? rs->qa : 16;
    while (a < rs->qn + n)
      a *= 2;
    vbg__prel *v = vbg__realloc(rs->q, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    rs->q = v;
    rs->qa = a;
  }
  memcpy(rs->q + rs->qn, rels, n * sizeof(*rels));
  rs->qn += n;
  return VBG_OK;
}

/* Turn waiting relations into relations by key, in the order the text
 * states them, while both ends are decided.  Every reference starting
 * before `added` has arrived. */
static int apply_relations(vbg__resolver *rs, size_t added, int final) {
  for (; rs->qh < rs->qn; rs->qh++) {
    const vbg__prel *x = &rs->q[rs->qh];
    if (!final && (x->src >= added || x->tgt >= added))
      return VBG_OK;
    iref *s = by_start(rs, x->src), *t = by_start(rs, x->tgt);
    if (!s || !t)
      continue;
    if (!final && (s->waiting || t->waiting))
      return VBG_OK;
    const char *tk = key_of(t), *sk = key_of(s);
    if (!tk || (x->type != VBG_REL_REVIEWS && sk && strcmp(sk, tk) == 0))
      continue;
    int err = add_relation(s, x->type, tk, x->cue, x->cue_start, x->cue_end,
                           x->line, x->by);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

static int slot_idx_eq(const void *ctx, size_t idx, const void *probe) {
  (void)ctx;
  return idx == *(const size_t *)probe;
}

/* Forget the slot of a number that has no entry and nothing waiting: bare
 * numbers nobody defines must not pile up. */
static void slot_release(vbg__resolver *rs, numslot *slot) {
  size_t i = (size_t)(slot - rs->slots), last = rs->nslots - 1;
  idxset_remove(&rs->slotset, idxset_find(&rs->slotset, num_hash(slot->num),
                                          slot_eq, rs, &slot->num));
  vbg__free(slot->ent);
  vbg__free(slot->wait);
  if (i != last) {
    /* the last slot moves into the gap */
    idxset_find(&rs->slotset, num_hash(rs->slots[last].num), slot_idx_eq, rs,
                &last)
        ->idx = i + 1;
    rs->slots[i] = rs->slots[last];
  }
  rs->nslots--;
}

/* Bare numbers whose look-ahead has passed stay unresolved. */
static int expire(vbg__resolver *rs, size_t added, int final) {
  for (; rs->wh < rs->nwait; rs->wh++) {
    iref *w = by_ord(rs, rs->wait[rs->wh]);
    if (!w || !w->waiting)
      continue;
    if (!final && w->pub.start + rs->ahead >= added)
      break;
    w->waiting = 0;
    numslot *slot;
    int err = find_slot(rs, w->num_value, 0, &slot);
    if (err < 0 || !slot)
      continue;
    while (slot->wh < slot->nwait) {
      const iref *x = by_ord(rs, slot->wait[slot->wh]);
      if (x && x->waiting)
        break;
      slot->wh++;
    }
    if (slot->wh == slot->nwait && slot->nent == 0)
      slot_release(rs, slot);
    else
      compact_sizes(slot->wait, &slot->wh, &slot->nwait);
  }
  compact_sizes(rs->wait, &rs->wh, &rs->nwait);
  return VBG_OK;
}

/* A reference leaves: its relations are final. */
static int settle_one(vbg__resolver *rs, iref *r) {
  int err = sort_relations(r);
  const iref *self = self_ref(rs);
  const char *k = key_of(r);
  /* what the input's own document relates to already, through its header
   * or a back-reference to it ("Quyết định này thay thế ..."), it does
   * not merely cite */
  if (err == 0 && self && self->pub.key && k && strcmp(k, self->pub.key) == 0)
    for (size_t i = 0; err == 0 && i < r->nrels; i++)
      err = keylist_add(&rs->related, r->rels[i].target, 0, 0, 0);
  return err;
}

int vbg__resolver_settle(vbg__resolver *rs, size_t added, size_t floor,
                         int final) {
  int err = expire(rs, added, final);
  if (err == 0)
    err = apply_relations(rs, added, final);
  if (err < 0)
    return err;
  /* no waiting relation may lose an end */
  for (size_t i = rs->qh; i < rs->qn; i++) {
    size_t m = rs->q[i].src < rs->q[i].tgt ? rs->q[i].src : rs->q[i].tgt;
    if (m < floor)
      floor = m;
  }
  while (rs->head < rs->n) {
    iref *r = &rs->v[rs->head];
    if (!final && (r->pub.start >= floor || r->waiting ||
                   r->ord + rs->back_refs >= rs->next_ord))
      break;
    if (r->pub.start == rs->self_orig && !rs->self_held) {
      /* the header collects relations to the end */
      rs->self = *r;
      rs->self_held = 1;
    } else {
      if ((err = settle_one(rs, r)) < 0)
        return err;
      if ((err = refs_push(rs->ready, r)) < 0)
        return err;
    }
    rs->head++;
  }
  return VBG_OK;
}

/* The input's own document cites every other document it names with a
 * number, unless it relates to it already. */
static int add_cites(vbg__resolver *rs) {
  iref *s = &rs->self;
  if (!s->pub.key)
    return VBG_OK;
  int err = VBG_OK;
  for (size_t i = 0; err == 0 && i < s->nrels; i++)
    err = keylist_add(&rs->related, s->rels[i].target, 0, 0, 0);
  for (size_t i = 0; err == 0 && i < rs->named.n; i++) {
    const keypos *x = &rs->named.v[i];
    if (strcmp(x->key, s->pub.key) != 0 && !keylist_has(&rs->related, x->key))
      err = add_relation(s, VBG_REL_CITES, x->key, NULL, x->start, x->end,
                         x->line, NULL);
  }
  return err;
}

size_t vbg__resolver_ready(const vbg__resolver *rs) { return rs->ready->n; }

int vbg__resolver_take(vbg__resolver *rs, vbg_refs **out, int final) {
  *out = NULL;
  int err;
  if (final && rs->self_held) {
    if ((err = add_cites(rs)) < 0 || (err = sort_relations(&rs->self)) < 0)
      return err;
    /* back in its place among the references not handed over yet */
    vbg_refs *d = rs->ready;
    if ((err = refs_push(d, &rs->self)) < 0)
      return err;
    rs->self_held = 0;
    size_t i = d->n - 1;
    while (i > 0 && d->v[i - 1].pub.start > d->v[i].pub.start) {
      iref t = d->v[i];
      d->v[i] = d->v[i - 1];
      d->v[i - 1] = t;
      i--;
    }
  }
  vbg_refs *fresh;
  if ((err = vbg__refs_new(&fresh)) < 0)
    return err;
  /* the next batch is likely as long as this one: no regrowing */
  if (!final && rs->ready->a > 0) {
    if (!(fresh->v = vbg__malloc(rs->ready->a * sizeof(*fresh->v)))) {
      vbg_refs_free(fresh);
      return VBG_ENOMEM;
    }
    fresh->a = rs->ready->a;
  }
  *out = rs->ready;
  rs->ready = fresh;
  rs->handed = 1;
  return VBG_OK;
}
