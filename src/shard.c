/*
 * shard.c - references read back from JSON Lines, as `vbgraph extract`
 * writes them, so that extraction can run as a streaming mapper on many
 * machines and `vbgraph build --from-jsonl` merges the shards.  The graph of
 * the shards is the graph of one run: every field the builder uses is in
 * the JSON.
 *
 * Two readers fill the same record (jrec) for each line:
 *
 *  - a fast one for the lines vbgraph itself writes: one object of the
 *    known fields, strings, whole numbers, true/false/null, the relations
 *    array.  It gives up on anything else (an unknown or repeated field, a
 *    fraction, nesting elsewhere, invalid UTF-8, "\u0000" ...);
 *  - jansson, for the lines the fast one gives up on: every JSON text is
 *    read or refused exactly as before, with jansson's messages.
 *
 * One function then checks the record and hands it to the builder, so the
 * two can only differ in how fast they are (fuzz_jsonl runs every input
 * through both and compares the graphs).
 */
#include <jansson.h>
#include <string.h>

#include "common.h"

/* Offsets and line numbers are whole numbers that a GraphML double (and so
 * every graph tool) holds exactly: at most 2^53. */
#define JSON_MAX_EXACT ((long long)1 << 53)

/* ------------------------------------------------------------------ */
/* The record of one line                                              */
/* ------------------------------------------------------------------ */

typedef enum vkind { V_ABSENT, V_NULL, V_STR, V_INT, V_TRUE, V_OTHER } vkind;

typedef struct jval {
  vkind k;
  const char *s; /* V_STR */
  long long i;   /* V_INT: a JSON integer (it may be negative) */
} jval;

enum {
  F_FILE,
  F_START,
  F_END,
  F_LINE,
  F_SURFACE,
  F_KEY,
  F_FAMILY,
  F_DOC_TYPE,
  F_TYPE_CODE,
  F_NUMBER,
  F_YEAR,
  F_ISSUER_CODE,
  F_DATE,
  F_ISSUER_BODY,
  F_TERM,
  F_TITLE,
  F_SHORT_FORM,
  F_RESOLVES_TO,
  F_RELATIONS,
  F__COUNT
};
static const char *const field_names[F__COUNT] = {
    "file",  "start",       "end",         "line",        "surface",
    "key",   "family",      "doc_type",    "type_code",   "number",
    "year",  "issuer_code", "date",        "issuer_body", "term",
    "title", "short_form",  "resolves_to", "relations"};

enum { R_TYPE, R_TARGET, R_CUE, R_BY, R_START, R_END, R_LINE, R__COUNT };
static const char *const rel_field_names[R__COUNT] = {
    "type", "target", "cue", "by", "start", "end", "line"};

typedef struct jrel {
  int is_object;
  jval f[R__COUNT];
} jrel;

typedef struct jrec {
  int is_object;
  jval f[F__COUNT]; /* F_RELATIONS: V_OTHER when an array (in rels) */
  int rels_array;
  jrel *rels;
  size_t nrels, arels;
} jrec;

static void jrec_reset(jrec *r) {
  r->is_object = 0;
  r->rels_array = 0;
  r->nrels = 0;
  for (int i = 0; i < F__COUNT; i++)
    r->f[i] = (jval){V_ABSENT, NULL, 0};
}

static int jrec_rel(jrec *r, jrel **out) {
  if (r->nrels == r->arels) {
    size_t a = r->arels ? r->arels * 2 : 16;
    jrel *v = vbg__realloc(r->rels, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    r->rels = v;
    r->arels = a;
  }
  *out = &r->rels[r->nrels++];
  (*out)->is_object = 0;
  for (int i = 0; i < R__COUNT; i++)
    (*out)->f[i] = (jval){V_ABSENT, NULL, 0};
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* From the record to the builder                                      */
/* ------------------------------------------------------------------ */

static const char *vstr(const jval *v) { return v->k == V_STR ? v->s : NULL; }

/* A non-negative whole-number field into *out (0 when absent or null); an
 * error naming the line when it is anything else or above max. */
static int vsize(const jval *v, const char *name, long long max, size_t *out,
                 const char *origin, size_t lineno, const char *where) {
  *out = 0;
  if (v->k == V_ABSENT || v->k == V_NULL)
    return VBG_OK;
  if (v->k != V_INT || v->i < 0 || v->i > max)
    return vbg__error_set(VBG_EINVAL,
                          "%s:%zu: %s\"%s\" must be a whole number from 0 "
                          "to %lld",
                          origin, lineno, where, name, max);
  *out = (size_t)v->i;
  return VBG_OK;
}

static int rel_type(const char *name, vbg_rel *out) {
  for (int r = 0; r < VBG_REL__COUNT; r++)
    if (strcmp(vbg_rel_name((vbg_rel)r), name) == 0) {
      *out = (vbg_rel)r;
      return 1;
    }
  return 0;
}

/* One line: a reference object. */
static int add_record(vbg_builder *b, const jrec *o, const char *origin,
                      size_t lineno, vbg_relation **rels, size_t *arels) {
  const char *file = vstr(&o->f[F_FILE]);
  if (!o->is_object || !file || o->f[F_START].k == V_ABSENT || !o->rels_array)
    return vbg__error_set(
        VBG_EINVAL, "%s:%zu: not a reference (needs file, start, relations)",
        origin, lineno);
  vbg_ref r;
  memset(&r, 0, sizeof(r));
  size_t year = 0;
  int err = vsize(&o->f[F_START], "start", JSON_MAX_EXACT, &r.start, origin,
                  lineno, "");
  if (err == 0)
    err =
        vsize(&o->f[F_END], "end", JSON_MAX_EXACT, &r.end, origin, lineno, "");
  if (err == 0)
    err = vsize(&o->f[F_LINE], "line", JSON_MAX_EXACT, &r.line, origin, lineno,
                "");
  if (err == 0)
    err = vsize(&o->f[F_YEAR], "year", 9999, &year, origin, lineno, "");
  if (err < 0)
    return err;
  r.surface = vstr(&o->f[F_SURFACE]);
  r.key = vstr(&o->f[F_KEY]);
  /* a document needs a name: "" is no key (nor anything it could be) */
  if ((r.key && !*r.key) ||
      (vstr(&o->f[F_RESOLVES_TO]) && !*vstr(&o->f[F_RESOLVES_TO])))
    return vbg__error_set(VBG_EINVAL, "%s:%zu: \"%s\" is empty", origin, lineno,
                          r.key && !*r.key ? "key" : "resolves_to");
  r.doc_type = vstr(&o->f[F_DOC_TYPE]);
  r.type_code = vstr(&o->f[F_TYPE_CODE]);
  r.number = vstr(&o->f[F_NUMBER]);
  r.year = (int)year;
  r.issuer_code = vstr(&o->f[F_ISSUER_CODE]);
  r.date = vstr(&o->f[F_DATE]);
  r.issuer_body = vstr(&o->f[F_ISSUER_BODY]);
  r.term = vstr(&o->f[F_TERM]);
  r.title = vstr(&o->f[F_TITLE]);
  r.short_form = o->f[F_SHORT_FORM].k == V_TRUE;
  r.resolves_to = vstr(&o->f[F_RESOLVES_TO]);
  for (size_t i = 0; i < o->nrels; i++) {
    const jrel *x = &o->rels[i];
    const char *type = vstr(&x->f[R_TYPE]), *target = vstr(&x->f[R_TARGET]);
    vbg_rel t;
    if (!type || !target || !*target || !rel_type(type, &t))
      return vbg__error_set(VBG_EINVAL,
                            "%s:%zu: relation %zu is not {type, target}",
                            origin, lineno, i + 1);
    if (r.nrelations == *arels) { /* a header can relate to thousands */
      vbg_relation *v = vbg__realloc(*rels, 2 * *arels * sizeof(*v));
      if (!v)
        return VBG_ENOMEM;
      *rels = v;
      *arels *= 2;
    }
    size_t rs, re, rl;
    if ((err = vsize(&x->f[R_START], "start", JSON_MAX_EXACT, &rs, origin,
                     lineno, "relation ")) < 0 ||
        (err = vsize(&x->f[R_END], "end", JSON_MAX_EXACT, &re, origin, lineno,
                     "relation ")) < 0 ||
        (err = vsize(&x->f[R_LINE], "line", JSON_MAX_EXACT, &rl, origin, lineno,
                     "relation ")) < 0)
      return err;
    (*rels)[r.nrelations++] = (vbg_relation){t,  target, vstr(&x->f[R_CUE]), rs,
                                             re, rl,     vstr(&x->f[R_BY])};
  }
  r.relations = *rels;
  return vbg__builder_add_ref(b, file, &r);
}

/* ------------------------------------------------------------------ */
/* The jansson reader                                                  */
/* ------------------------------------------------------------------ */

static jval from_json(json_t *v) {
  if (!v)
    return (jval){V_ABSENT, NULL, 0};
  if (json_is_null(v))
    return (jval){V_NULL, NULL, 0};
  if (json_is_string(v))
    return (jval){V_STR, json_string_value(v), 0};
  if (json_is_integer(v))
    return (jval){V_INT, NULL, (long long)json_integer_value(v)};
  if (json_is_true(v))
    return (jval){V_TRUE, NULL, 0};
  return (jval){V_OTHER, NULL, 0};
}

/* Fill r from a parsed line; r points into o, which must outlive it. */
static int slow_record(jrec *r, json_t *o) {
  jrec_reset(r);
  if (!json_is_object(o))
    return VBG_OK;
  r->is_object = 1;
  for (int i = 0; i < F__COUNT; i++)
    r->f[i] = from_json(json_object_get(o, field_names[i]));
  json_t *arr = json_object_get(o, "relations"), *x;
  if (!json_is_array(arr))
    return VBG_OK;
  r->rels_array = 1;
  size_t i;
  json_array_foreach(arr, i, x) {
    jrel *rel;
    if (jrec_rel(r, &rel) < 0)
      return VBG_ENOMEM;
    if (!json_is_object(x))
      continue;
    rel->is_object = 1;
    for (int k = 0; k < R__COUNT; k++)
      rel->f[k] = from_json(json_object_get(x, rel_field_names[k]));
  }
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* The fast reader                                                     */
/* ------------------------------------------------------------------ */

typedef struct fast {
  const char *p, *end;
  vbg_buf *arena; /* decoded strings, NUL-terminated; offsets until done */
} fast;

#define GIVE_UP 0
#define READ 1

static void ws(fast *f) {
  while (f->p < f->end &&
         (*f->p == ' ' || *f->p == '\t' || *f->p == '\n' || *f->p == '\r'))
    f->p++;
}

static int hex4(const char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else
      return 0;
  }
  *out = v;
  return 1;
}

/* Length of the valid UTF-8 sequence at p (p < end, *p >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end) {
  unsigned c = p[0];
  size_t n;
  unsigned min;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4, min = 0x10000;
  else
    return 0;
  if ((size_t)(end - p) < n)
    return 0;
  unsigned cp = c & (0xFF >> (n + 1));
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

/* A string at f->p ('"'): decoded into the arena, its offset in *at. */
static int fast_string(fast *f, size_t *at) {
  f->p++;
  *at = f->arena->size;
  for (;;) {
    const char *run = f->p;
    while (f->p < f->end && (unsigned char)*f->p >= 0x20 &&
           (unsigned char)*f->p < 0x80 && *f->p != '"' && *f->p != '\\')
      f->p++;
    if (f->p > run && vbg_buf_put(f->arena, run, (size_t)(f->p - run)) < 0)
      return -1;
    if (f->p >= f->end)
      return GIVE_UP;
    unsigned char c = (unsigned char)*f->p;
    if (c == '"') {
      f->p++;
      return vbg__buf_putc(f->arena, '\0') < 0 ? -1 : READ;
    }
    if (c < 0x20)
      return GIVE_UP;
    if (c >= 0x80) {
      size_t n =
          utf8_len((const unsigned char *)f->p, (const unsigned char *)f->end);
      if (!n)
        return GIVE_UP;
      if (vbg_buf_put(f->arena, f->p, n) < 0)
        return -1;
      f->p += n;
      continue;
    }
    /* a backslash */
    if (f->end - f->p < 2)
      return GIVE_UP;
    char e = f->p[1], out;
    f->p += 2;
    switch (e) {
    case '"':
    case '\\':
    case '/':
      out = e;
      break;
    case 'b':
      out = '\b';
      break;
    case 'f':
      out = '\f';
      break;
    case 'n':
      out = '\n';
      break;
    case 'r':
      out = '\r';
      break;
    case 't':
      out = '\t';
      break;
    case 'u': {
      unsigned u, lo;
      if (f->end - f->p < 4 || !hex4(f->p, &u) || u == 0)
        return GIVE_UP;
      f->p += 4;
      if (u >= 0xDC00 && u <= 0xDFFF)
        return GIVE_UP;
      if (u >= 0xD800 && u <= 0xDBFF) {
        if (f->end - f->p < 6 || f->p[0] != '\\' || f->p[1] != 'u' ||
            !hex4(f->p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
          return GIVE_UP;
        f->p += 6;
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      }
      char enc[4];
      int n = vbg__utf8_encode(enc, (int32_t)u);
      if (n <= 0)
        return GIVE_UP;
      if (vbg_buf_put(f->arena, enc, (size_t)n) < 0)
        return -1;
      continue;
    }
    default:
      return GIVE_UP;
    }
    if (vbg__buf_putc(f->arena, out) < 0)
      return -1;
  }
}

/* A value for a field: string, whole number, true, false or null.  Strings
 * keep their arena offset in v->i until the arena stops moving. */
static int fast_value(fast *f, jval *v) {
  if (f->p >= f->end)
    return GIVE_UP;
  char c = *f->p;
  if (c == '"') {
    size_t at;
    int r = fast_string(f, &at);
    v->k = V_STR;
    v->i = (long long)at;
    return r;
  }
  if (c >= '0' && c <= '9') {
    const char *d = f->p;
    long long x = 0;
    while (f->p < f->end && *f->p >= '0' && *f->p <= '9') {
      if (x > (JSON_MAX_EXACT * 16)) /* far beyond any limit: jansson */
        return GIVE_UP;
      x = x * 10 + (*f->p - '0');
      f->p++;
    }
    if ((f->p - d > 1 && *d == '0') ||
        (f->p < f->end && (*f->p == '.' || *f->p == 'e' || *f->p == 'E')))
      return GIVE_UP;
    v->k = V_INT;
    v->i = x;
    return READ;
  }
  static const struct {
    const char *word;
    size_t n;
    vkind k;
  } words[] = {{"null", 4, V_NULL}, {"true", 4, V_TRUE}, {"false", 5, V_OTHER}};
  for (size_t i = 0; i < VBG__ARRAY_LEN(words); i++)
    if ((size_t)(f->end - f->p) >= words[i].n &&
        memcmp(f->p, words[i].word, words[i].n) == 0) {
      f->p += words[i].n;
      v->k = words[i].k;
      return READ;
    }
  return GIVE_UP;
}

/* The name of a field at f->p: its index in names[n], or -1 (give up). */
static int fast_name(fast *f, const char *const *names, int n) {
  if (f->p >= f->end || *f->p != '"')
    return -1;
  const char *s = ++f->p;
  while (f->p < f->end && *f->p != '"' && *f->p != '\\')
    f->p++;
  if (f->p >= f->end || *f->p != '"')
    return -1;
  size_t len = (size_t)(f->p - s);
  f->p++;
  for (int i = 0; i < n; i++)
    if (names[i][0] == s[0] && strnlen(names[i], len + 1) == len &&
        memcmp(names[i], s, len) == 0)
      return i;
  return -1;
}

/* An object of the named fields, each once, into v[]. */
static int fast_object(fast *f, const char *const *names, int n, jval *v,
                       jrec *rec) {
  unsigned seen = 0;
  f->p++; /* '{' */
  ws(f);
  if (f->p < f->end && *f->p == '}') {
    f->p++;
    return READ;
  }
  for (;;) {
    ws(f);
    int k = fast_name(f, names, n);
    if (k < 0 || (seen & (1u << k)))
      return GIVE_UP;
    seen |= 1u << k;
    ws(f);
    if (f->p >= f->end || *f->p != ':')
      return GIVE_UP;
    f->p++;
    ws(f);
    int r;
    if (rec && k == F_RELATIONS) {
      if (f->p >= f->end || *f->p != '[')
        return GIVE_UP;
      f->p++;
      rec->rels_array = 1;
      v[k].k = V_OTHER;
      ws(f);
      if (f->p < f->end && *f->p == ']') {
        f->p++;
      } else {
        for (;;) {
          jrel *rel;
          if (f->p >= f->end || *f->p != '{')
            return GIVE_UP;
          if (jrec_rel(rec, &rel) < 0)
            return -1;
          rel->is_object = 1;
          r = fast_object(f, rel_field_names, R__COUNT, rel->f, NULL);
          if (r != READ)
            return r;
          ws(f);
          if (f->p < f->end && *f->p == ',') {
            f->p++;
            ws(f);
            continue;
          }
          if (f->p < f->end && *f->p == ']') {
            f->p++;
            break;
          }
          return GIVE_UP;
        }
      }
    } else if ((r = fast_value(f, &v[k])) != READ) {
      return r;
    }
    ws(f);
    if (f->p < f->end && *f->p == ',') {
      f->p++;
      continue;
    }
    if (f->p < f->end && *f->p == '}') {
      f->p++;
      return READ;
    }
    return GIVE_UP;
  }
}

static void fix_strings(jval *v, int n, const vbg_buf *arena) {
  for (int i = 0; i < n; i++)
    if (v[i].k == V_STR)
      v[i].s = arena->ptr + v[i].i;
}

/* Read the line the fast way: READ, GIVE_UP, or -1 (out of memory). */
static int fast_record(jrec *r, vbg_buf *arena, const char *s, size_t len) {
  jrec_reset(r);
  vbg_buf_clear(arena);
  fast f = {s, s + len, arena};
  ws(&f);
  if (f.p >= f.end || *f.p != '{')
    return GIVE_UP;
  int res = fast_object(&f, field_names, F__COUNT, r->f, r);
  if (res != READ)
    return res;
  ws(&f);
  if (f.p != f.end)
    return GIVE_UP;
  r->is_object = 1;
  fix_strings(r->f, F__COUNT, arena);
  for (size_t i = 0; i < r->nrels; i++)
    fix_strings(r->rels[i].f, R__COUNT, arena);
  return READ;
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */
/* ------------------------------------------------------------------ */

static _Thread_local int fast_off; /* tests: jansson for every line */

void vbg__jsonl_fast_reader(int on);
void vbg__jsonl_fast_reader(int on) { fast_off = !on; }

static int add_one(vbg_builder *b, const char *s, size_t len, jrec *rec,
                   vbg_buf *arena, const char *origin, size_t lineno,
                   vbg_relation **rels, size_t *arels) {
  int res = fast_off ? GIVE_UP : fast_record(rec, arena, s, len);
  if (res < 0)
    return VBG_ENOMEM;
  if (res == READ)
    return add_record(b, rec, origin, lineno, rels, arels);
  json_error_t jerr;
  json_t *o = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!o)
    return vbg__error_set(VBG_EINVAL, "%s:%zu: %s", origin, lineno, jerr.text);
  int err = slow_record(rec, o);
  if (err == 0)
    err = add_record(b, rec, origin, lineno, rels, arels);
  json_decref(o);
  return err;
}

static int vbg_builder_add_jsonl_impl(vbg_builder *b, const char *data,
                                      size_t len, const char *origin,
                                      size_t first_line) {
  size_t arels = 64;
  vbg_relation *rels = vbg__calloc(arels, sizeof(*rels));
  jrec rec;
  memset(&rec, 0, sizeof(rec));
  vbg_buf arena;
  vbg_buf_init(&arena);
  if (!rels)
    return VBG_ENOMEM;
  int err = VBG_OK;
  size_t lineno = first_line > 0 ? first_line - 1 : 0;
  for (size_t i = 0; err == 0 && i < len;) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - data) : len;
    lineno++;
    size_t a = i;
    while (a < e && (data[a] == ' ' || data[a] == '\t' || data[a] == '\r'))
      a++;
    if (a < e)
      err = add_one(b, data + a, e - a, &rec, &arena, origin, lineno, &rels,
                    &arels);
    i = e + 1;
  }
  vbg__free(rels);
  vbg__free(rec.rels);
  vbg_buf_dispose(&arena);
  return err;
}

int vbg_builder_add_jsonl(vbg_builder *b, const char *data, size_t len,
                          const char *origin) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_builder_add_jsonl_impl(b, data, len, origin, 1);
  VBG__OOM_CHECK(err, before);
  return err;
}

int vbg_builder_add_jsonl_from(vbg_builder *b, const char *data, size_t len,
                               const char *origin, size_t first_line) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_builder_add_jsonl_impl(b, data, len, origin, first_line);
  VBG__OOM_CHECK(err, before);
  return err;
}
