/*
 * shard.c - references read back from JSON Lines, as `vbgraph extract`
 * writes them, so that extraction can run as a streaming mapper on many
 * machines and `vbgraph build --from-jsonl` merges the shards.  The graph of
 * the shards is the graph of one run: every field the builder uses is in
 * the JSON.
 */
#include <jansson.h>
#include <string.h>

#include "common.h"

static const char *jstr(json_t *o, const char *name) {
  json_t *v = json_object_get(o, name);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Offsets and line numbers are whole numbers that a GraphML double (and so
 * every graph tool) holds exactly: at most 2^53. */
#define JSON_MAX_EXACT ((json_int_t)1 << 53)

/* A non-negative whole-number field into *out (0 when absent or null); an
 * error naming the line when it is anything else or above max. */
static int jsize(json_t *o, const char *name, json_int_t max, size_t *out,
                 const char *origin, size_t lineno, const char *where) {
  json_t *v = json_object_get(o, name);
  *out = 0;
  if (!v || json_is_null(v))
    return VBG_OK;
  if (!json_is_integer(v) || json_integer_value(v) < 0 ||
      json_integer_value(v) > max)
    return vbg__error_set(VBG_EINVAL,
                          "%s:%zu: %s\"%s\" must be a whole number from 0 "
                          "to %lld",
                          origin, lineno, where, name, (long long)max);
  *out = (size_t)json_integer_value(v);
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
static int add_line(vbg_builder *b, json_t *o, const char *origin,
                    size_t lineno, vbg_relation **rels, size_t *arels) {
  const char *file = jstr(o, "file");
  if (!json_is_object(o) || !file || !json_object_get(o, "start") ||
      !json_is_array(json_object_get(o, "relations")))
    return vbg__error_set(
        VBG_EINVAL, "%s:%zu: not a reference (needs file, start, relations)",
        origin, lineno);
  vbg_ref r;
  memset(&r, 0, sizeof(r));
  size_t year = 0;
  int err = jsize(o, "start", JSON_MAX_EXACT, &r.start, origin, lineno, "");
  if (err == 0)
    err = jsize(o, "end", JSON_MAX_EXACT, &r.end, origin, lineno, "");
  if (err == 0)
    err = jsize(o, "line", JSON_MAX_EXACT, &r.line, origin, lineno, "");
  if (err == 0)
    err = jsize(o, "year", 9999, &year, origin, lineno, "");
  if (err < 0)
    return err;
  r.surface = jstr(o, "surface");
  r.key = jstr(o, "key");
  r.doc_type = jstr(o, "doc_type");
  r.type_code = jstr(o, "type_code");
  r.number = jstr(o, "number");
  r.year = (int)year;
  r.issuer_code = jstr(o, "issuer_code");
  r.date = jstr(o, "date");
  r.issuer_body = jstr(o, "issuer_body");
  r.term = jstr(o, "term");
  r.title = jstr(o, "title");
  r.short_form = json_is_true(json_object_get(o, "short_form"));
  r.resolves_to = jstr(o, "resolves_to");
  json_t *arr = json_object_get(o, "relations"), *x;
  size_t i;
  json_array_foreach(arr, i, x) {
    const char *type = jstr(x, "type"), *target = jstr(x, "target");
    vbg_rel t;
    if (!type || !target || !rel_type(type, &t))
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
    if ((err = jsize(x, "start", JSON_MAX_EXACT, &rs, origin, lineno,
                     "relation ")) < 0 ||
        (err = jsize(x, "end", JSON_MAX_EXACT, &re, origin, lineno,
                     "relation ")) < 0 ||
        (err = jsize(x, "line", JSON_MAX_EXACT, &rl, origin, lineno,
                     "relation ")) < 0)
      return err;
    (*rels)[r.nrelations++] =
        (vbg_relation){t, target, jstr(x, "cue"), rs, re, rl, jstr(x, "by")};
  }
  r.relations = *rels;
  return vbg__builder_add_ref(b, file, &r);
}

static int vbg_builder_add_jsonl_impl(vbg_builder *b, const char *data,
                                      size_t len, const char *origin,
                                      size_t first_line) {
  size_t arels = 64;
  vbg_relation *rels = vbg__calloc(arels, sizeof(*rels));
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
    if (a < e) {
      json_error_t jerr;
      json_t *o = json_loadb(data + a, e - a, JSON_REJECT_DUPLICATES, &jerr);
      if (!o)
        err =
            vbg__error_set(VBG_EINVAL, "%s:%zu: %s", origin, lineno, jerr.text);
      else
        err = add_line(b, o, origin, lineno, &rels, &arels);
      json_decref(o);
    }
    i = e + 1;
  }
  vbg__free(rels);
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
