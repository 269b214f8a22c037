/*
 * spec_runner.c - runs the extraction specification (extract.spec).
 *
 * The spec holds cases: a Vietnamese input, a "." line, then the expected
 * references as JSON objects, one per line (the format is explained at the
 * top of extract.spec).  The runner builds each input, extracts with the
 * public API only, and compares the fields each expected object lists.
 * Every reported reference must also be the input's own bytes start..end.
 *
 *   spec_runner [-v] FILE.spec [PATTERN]
 *
 * PATTERN keeps only the cases whose name contains it; -v prints the decoded
 * input of every case run.  Output ends with "N passed, N failed", one count
 * per case; the exit status is 0 when every case passed, 1 when one failed,
 * 2 when the spec or the command line is malformed.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>

#include "vbgraph.h"

#include "../unit/harness.h"

/* ------------------------------------------------------------------ */
/* Spec model                                                          */
/* ------------------------------------------------------------------ */

enum {
  FLAG_NFD = 1u << 0,    /* decompose the input to NFD */
  FLAG_CRLF = 1u << 1,   /* write line ends as CR LF */
  FLAG_BOM = 1u << 2,    /* start the input with U+FEFF */
  FLAG_NOSHORT = 1u << 3 /* extract with VBG_OPT_NO_SHORT_FORMS */
};

static const struct {
  const char *word;
  unsigned flag;
} flag_words[] = {{"nfd", FLAG_NFD},
                  {"crlf", FLAG_CRLF},
                  {"bom", FLAG_BOM},
                  {"noshort", FLAG_NOSHORT}};

typedef struct spec_case {
  char *name;
  long line; /* line of the "~~~ case:" header */
  unsigned flags;
  vbg_buf input;    /* the decoded input lines, before the flags apply */
  vbg_buf expected; /* the expectation lines as written, for reports */
  json_t *refs;     /* array of expected objects */
} spec_case;

typedef struct spec {
  const char *path;
  spec_case *cases;
  size_t ncases, acases;
} spec;

typedef struct runner {
  const spec *sp;
  const char *pattern;
  int verbose;
  vbg_extractor *ex[2]; /* [0] default, [1] without short forms */
} runner;

/* Field kinds of the expected objects. */
typedef enum { F_STR, F_SIZE, F_YEAR, F_BOOL, F_FAMILY, F_RELS } field_kind;

static const struct field {
  const char *name;
  field_kind kind;
  size_t offset; /* into vbg_ref, for F_STR, F_SIZE, F_YEAR, F_BOOL */
} fields[] = {
    {"surface", F_STR, offsetof(vbg_ref, surface)},
    {"start", F_SIZE, offsetof(vbg_ref, start)},
    {"end", F_SIZE, offsetof(vbg_ref, end)},
    {"line", F_SIZE, offsetof(vbg_ref, line)},
    {"key", F_STR, offsetof(vbg_ref, key)},
    {"family", F_FAMILY, 0},
    {"doc_type", F_STR, offsetof(vbg_ref, doc_type)},
    {"type_code", F_STR, offsetof(vbg_ref, type_code)},
    {"number", F_STR, offsetof(vbg_ref, number)},
    {"year", F_YEAR, offsetof(vbg_ref, year)},
    {"issuer_code", F_STR, offsetof(vbg_ref, issuer_code)},
    {"unit_code", F_STR, offsetof(vbg_ref, unit_code)},
    {"date", F_STR, offsetof(vbg_ref, date)},
    {"issuer_body", F_STR, offsetof(vbg_ref, issuer_body)},
    {"term", F_STR, offsetof(vbg_ref, term)},
    {"title", F_STR, offsetof(vbg_ref, title)},
    {"short_form", F_BOOL, offsetof(vbg_ref, short_form)},
    {"resolves_to", F_STR, offsetof(vbg_ref, resolves_to)},
    {"relations", F_RELS, 0},
};

static const struct field *field_find(const char *name) {
  size_t i;

  for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (strcmp(fields[i].name, name) == 0)
      return &fields[i];
  return NULL;
}

static void case_dispose(spec_case *c) {
  free(c->name);
  vbg_buf_dispose(&c->input);
  vbg_buf_dispose(&c->expected);
  json_decref(c->refs);
}

static void spec_dispose(spec *sp) {
  size_t i;

  for (i = 0; i < sp->ncases; i++)
    case_dispose(&sp->cases[i]);
  free(sp->cases);
  sp->cases = NULL;
  sp->ncases = sp->acases = 0;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static int buf_puts(vbg_buf *b, const char *s) {
  return vbg_buf_put(b, s, strlen(s));
}

/* The NUL-terminated contents of b ("" when nothing was written). */
static const char *buf_str(const vbg_buf *b) { return b->ptr ? b->ptr : ""; }

static char *str_dup(const char *s, size_t len) {
  char *d = malloc(len + 1);

  if (d) {
    memcpy(d, s, len);
    d[len] = '\0';
  }
  return d;
}

static int spec_error(const spec *sp, long line, const char *msg) {
  fprintf(stderr, "spec_runner: %s:%ld: %s\n", sp->path, line, msg);
  return -1;
}

/* Read a whole file into b.  Returns 0 or -1 (reported). */
static int read_file(vbg_buf *b, const char *path) {
  char chunk[65536];
  size_t n;
  int err = 0;
  FILE *f = fopen(path, "rb");

  if (!f) {
    perror(path);
    return -1;
  }
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (vbg_buf_put(b, chunk, n) < 0) {
      err = -1;
      break;
    }
  if (ferror(f) || err < 0) {
    fprintf(stderr, "spec_runner: %s: cannot read\n", path);
    err = -1;
  }
  fclose(f);
  return err;
}

/* ------------------------------------------------------------------ */
/* Parsing the spec                                                    */
/* ------------------------------------------------------------------ */

/* Append the code point of "\u{XXXX}" at *p (just past the backslash). */
static int decode_codepoint(vbg_buf *out, const char **p, const char *end) {
  const char *s = *p;
  utf8proc_int32_t cp = 0;
  utf8proc_uint8_t enc[4];
  int digits = 0;

  if (end - s < 3 || s[0] != 'u' || s[1] != '{')
    return -1;
  for (s += 2; s < end && *s != '}'; s++, digits++) {
    int v = (*s >= '0' && *s <= '9')   ? *s - '0'
            : (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10
            : (*s >= 'A' && *s <= 'F') ? *s - 'A' + 10
                                       : -1;
    if (v < 0 || digits == 6)
      return -1;
    cp = cp * 16 + v;
  }
  if (s == end || digits == 0 || cp == 0 || !utf8proc_codepoint_valid(cp))
    return -1;
  *p = s + 1;
  return vbg_buf_put(out, (const char *)enc,
                     (size_t)utf8proc_encode_char(cp, enc));
}

/* Append one input line with its escapes decoded, plus "\n". */
static int decode_line(spec_case *c, const char *s, size_t len) {
  const char *end = s + len;

  while (s < end) {
    const char *bs = memchr(s, '\\', (size_t)(end - s));
    size_t plain = bs ? (size_t)(bs - s) : (size_t)(end - s);

    if (vbg_buf_put(&c->input, s, plain) < 0)
      return -1;
    if (!bs)
      break;
    s = bs + 1;
    if (s < end && *s == '\\') {
      if (vbg_buf_put(&c->input, "\\", 1) < 0)
        return -1;
      s++;
    } else if (decode_codepoint(&c->input, &s, end) < 0) {
      return -1;
    }
  }
  return vbg_buf_put(&c->input, "\n", 1);
}

static int is_space(char ch) { return ch == ' ' || ch == '\t'; }

/* "~~~ case: NAME [flags]": trailing flag words are flags, the rest name. */
static int parse_header(spec_case *c, const char *s, size_t len) {
  const char *end = s + len;
  int more = 1;

  while (s < end && is_space(*s))
    s++;
  while (more && end > s) {
    const char *w;
    size_t i, wlen;

    while (end > s && is_space(end[-1]))
      end--;
    for (w = end; w > s && !is_space(w[-1]); w--)
      ;
    wlen = (size_t)(end - w);
    more = 0;
    for (i = 0; i < sizeof flag_words / sizeof flag_words[0]; i++)
      if (w > s && strlen(flag_words[i].word) == wlen &&
          memcmp(flag_words[i].word, w, wlen) == 0) {
        c->flags |= flag_words[i].flag;
        end = w;
        more = 1;
      }
  }
  while (end > s && is_space(end[-1]))
    end--;
  if (end == s)
    return -1;
  c->name = str_dup(s, (size_t)(end - s));
  return c->name ? 0 : -1;
}

static int check_relations(const json_t *v) {
  size_t i;
  const json_t *r;

  if (!json_is_array(v))
    return -1;
  json_array_foreach(v, i, r) {
    if (!json_is_object(r) || json_object_size(r) != 2 ||
        !json_is_string(json_object_get(r, "type")) ||
        !json_is_string(json_object_get(r, "target")))
      return -1;
  }
  return 0;
}

/* Is v a value that the field can hold? */
static int check_value(const struct field *f, const json_t *v) {
  switch (f->kind) {
  case F_STR:
  case F_FAMILY:
    return json_is_string(v) || json_is_null(v) ? 0 : -1;
  case F_SIZE:
    return json_is_integer(v) && json_integer_value(v) >= 0 ? 0 : -1;
  case F_YEAR:
    return json_is_integer(v) || json_is_null(v) ? 0 : -1;
  case F_BOOL:
    return json_is_boolean(v) ? 0 : -1;
  case F_RELS:
    return check_relations(v);
  }
  return -1;
}

/* One expectation line: a JSON object with known fields only. */
static int parse_expected(spec *sp, spec_case *c, const char *s, size_t len,
                          long lineno) {
  json_error_t jerr;
  json_t *obj = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
  const char *name;
  json_t *v;
  char msg[300];

  if (!obj) {
    snprintf(msg, sizeof msg, "bad JSON: %s", jerr.text);
    return spec_error(sp, lineno, msg);
  }
  if (!json_is_object(obj)) {
    json_decref(obj);
    return spec_error(sp, lineno, "an expected reference must be an object");
  }
  json_object_foreach(obj, name, v) {
    const struct field *f = field_find(name);

    if (!f || check_value(f, v) < 0) {
      snprintf(msg, sizeof msg, "%s field \"%s\"",
               f ? "bad value for" : "unknown", name);
      json_decref(obj);
      return spec_error(sp, lineno, msg);
    }
  }
  if (json_array_append_new(c->refs, obj) < 0)
    return spec_error(sp, lineno, "out of memory");
  if (vbg_buf_put(&c->expected, s, len) < 0 ||
      vbg_buf_put(&c->expected, "\n", 1) < 0)
    return spec_error(sp, lineno, "out of memory");
  return 0;
}

static spec_case *spec_add_case(spec *sp, long lineno) {
  spec_case *c;

  if (sp->ncases == sp->acases) {
    size_t n = sp->acases ? sp->acases * 2 : 64;
    spec_case *grown = realloc(sp->cases, n * sizeof *grown);

    if (!grown)
      return NULL;
    sp->cases = grown;
    sp->acases = n;
  }
  c = &sp->cases[sp->ncases];
  memset(c, 0, sizeof *c);
  vbg_buf_init(&c->input);
  vbg_buf_init(&c->expected);
  c->line = lineno;
  c->refs = json_array();
  if (!c->refs)
    return NULL;
  sp->ncases++;
  return c;
}

typedef enum { IN_OUTSIDE, IN_INPUT, IN_EXPECTED } parse_state;

static int line_is(const char *s, size_t len, const char *word) {
  return len == strlen(word) && memcmp(s, word, len) == 0;
}

/* Feed one line of the spec to the parser.  Returns 0 or -1 (reported). */
static int parse_line(spec *sp, parse_state *st, const char *s, size_t len,
                      long lineno) {
  static const char head[] = "~~~ case:";
  spec_case *c = sp->ncases ? &sp->cases[sp->ncases - 1] : NULL;

  if (memchr(s, '\r', len))
    return spec_error(sp, lineno, "carriage return in the spec file");
  switch (*st) {
  case IN_OUTSIDE:
    if (len == 0 || s[0] == '%')
      return 0;
    if (len < sizeof head - 1 || memcmp(s, head, sizeof head - 1) != 0)
      return spec_error(sp, lineno, "expected \"~~~ case: NAME [flags]\"");
    if (!(c = spec_add_case(sp, lineno)))
      return spec_error(sp, lineno, "out of memory");
    *st = IN_INPUT;
    if (parse_header(c, s + sizeof head - 1, len - (sizeof head - 1)) < 0)
      return spec_error(sp, lineno, "case without a name");
    return 0;
  case IN_INPUT:
    if (line_is(s, len, ".")) {
      *st = IN_EXPECTED;
      return 0;
    }
    if (line_is(s, len, "~~~"))
      return spec_error(sp, lineno, "case ends before its \".\" line");
    if (decode_line(c, s, len) < 0)
      return spec_error(sp, lineno, "bad escape (use \\u{XXXX} or \\\\)");
    return 0;
  case IN_EXPECTED:
    if (line_is(s, len, "~~~")) {
      *st = IN_OUTSIDE;
      return 0;
    }
    if (len == 0)
      return 0;
    return parse_expected(sp, c, s, len, lineno);
  }
  return -1;
}

static int spec_parse(spec *sp, const char *text, size_t len) {
  parse_state st = IN_OUTSIDE;
  const char *p = text, *end = text + len;
  long lineno = 0;

  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t llen = nl ? (size_t)(nl - p) : (size_t)(end - p);

    if (parse_line(sp, &st, p, llen, ++lineno) < 0)
      return -1;
    p += llen + (nl ? 1 : 0);
  }
  if (st != IN_OUTSIDE)
    return spec_error(sp, lineno, "file ends inside a case");
  return 0;
}

/* ------------------------------------------------------------------ */
/* Building inputs                                                     */
/* ------------------------------------------------------------------ */

/* Append s with every "\n" written as "\r\n". */
static int put_crlf(vbg_buf *out, const char *s, size_t len) {
  const char *end = s + len;

  while (s < end) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

    if (vbg_buf_put(out, s, n) < 0 || (nl && vbg_buf_put(out, "\r\n", 2) < 0))
      return -1;
    s += n + (nl ? 1 : 0);
  }
  return 0;
}

/* The bytes given to the extractor: the input with the case's flags. */
static int build_input(vbg_buf *out, const spec_case *c) {
  const char *text = buf_str(&c->input);
  size_t len = c->input.size;
  utf8proc_uint8_t *nfd = NULL;
  int err = -1;

  if (c->flags & FLAG_NFD) {
    if (!(nfd = utf8proc_NFD((const utf8proc_uint8_t *)text)))
      goto done;
    text = (const char *)nfd;
    len = strlen(text);
  }
  if ((c->flags & FLAG_BOM) && vbg_buf_put(out, "\xEF\xBB\xBF", 3) < 0)
    goto done;
  if (c->flags & FLAG_CRLF)
    err = put_crlf(out, text, len);
  else
    err = vbg_buf_put(out, text, len);
done:
  free(nfd);
  return err < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Comparing                                                           */
/* ------------------------------------------------------------------ */

/* Equal strings; with nfd, equal once both are in NFC. */
static int text_eq(const char *a, size_t alen, const char *b, size_t blen,
                   int nfc) {
  char *ca = NULL, *cb = NULL, *na = NULL, *nb = NULL;
  int eq;

  if (!nfc)
    return alen == blen && memcmp(a, b, alen) == 0;
  ca = str_dup(a, alen);
  cb = str_dup(b, blen);
  if (ca && cb) {
    na = (char *)utf8proc_NFC((const utf8proc_uint8_t *)ca);
    nb = (char *)utf8proc_NFC((const utf8proc_uint8_t *)cb);
  }
  eq = na && nb && strcmp(na, nb) == 0;
  free(ca);
  free(cb);
  free(na);
  free(nb);
  return eq;
}

/* Should a code point be shown as \u{XXXX}?  Marks, unusual spaces,
 * format characters and look-alikes that read as ASCII or Đ. */
static int cp_hidden(utf8proc_int32_t cp) {
  utf8proc_category_t cat = utf8proc_category(cp);

  return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME ||
         cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_CF ||
         cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_PD ||
         cp == 0x00D0;
}

/* Append s as a quoted string in the spec's own notation: UTF-8 as is,
 * hidden characters as \u{XXXX}, line ends as \n and \r. */
static void put_visible(vbg_buf *b, const char *s, size_t len) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  utf8proc_ssize_t left = (utf8proc_ssize_t)len;
  char esc[16];

  buf_puts(b, "\"");
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);

    if (n <= 0) { /* not UTF-8: show the byte */
      snprintf(esc, sizeof esc, "\\x%02X", *p);
      buf_puts(b, esc);
      n = 1;
    } else if (cp == '\n' || cp == '\r' || cp == '"' || cp == '\\') {
      snprintf(esc, sizeof esc, "\\%c",
               cp == '\n'   ? 'n'
               : cp == '\r' ? 'r'
                            : (char)cp);
      buf_puts(b, esc);
    } else if (cp != ' ' && cp != '-' && cp_hidden(cp)) {
      snprintf(esc, sizeof esc, "\\u{%04X}", (unsigned)cp);
      buf_puts(b, esc);
    } else {
      vbg_buf_put(b, (const char *)p, (size_t)n);
    }
    p += n;
    left -= n;
  }
  buf_puts(b, "\"");
}

static void note_value(vbg_buf *b, const json_t *v) {
  char *s;

  if (json_is_string(v)) {
    put_visible(b, json_string_value(v), json_string_length(v));
    return;
  }
  s = v ? json_dumps(v, JSON_ENCODE_ANY) : NULL;
  buf_puts(b, s ? s : "?");
  free(s);
}

/* "  ref N: FIELD: expected E, got A" */
static void note_mismatch(vbg_buf *diag, size_t i, const char *field,
                          const json_t *want, json_t *got) {
  char head[96];

  snprintf(head, sizeof head, "  ref %zu: %s: expected ", i + 1, field);
  buf_puts(diag, head);
  note_value(diag, want);
  buf_puts(diag, ", got ");
  note_value(diag, got);
  buf_puts(diag, "\n");
  json_decref(got);
}

static json_t *str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

static json_t *actual_relations(const vbg_ref *r) {
  json_t *arr = json_array();
  size_t i;

  for (i = 0; arr && i < r->nrelations; i++) {
    const char *type = vbg_rel_name(r->relations[i].type);

    json_array_append_new(arr, json_pack("{s:s?,s:s?}", "type", type, "target",
                                         r->relations[i].target));
  }
  return arr;
}

/* The actual value of a field as JSON, the way the spec writes it. */
static json_t *actual_value(const struct field *f, const vbg_ref *r) {
  const char *base = (const char *)r;

  switch (f->kind) {
  case F_STR:
    return str_or_null(*(const char *const *)(const void *)(base + f->offset));
  case F_SIZE:
    return json_integer((json_int_t) *
                        (const size_t *)(const void *)(base + f->offset));
  case F_YEAR: {
    int year = *(const int *)(const void *)(base + f->offset);
    return year ? json_integer(year) : json_null();
  }
  case F_BOOL:
    return json_boolean(*(const int *)(const void *)(base + f->offset));
  case F_FAMILY:
    return str_or_null(vbg_family_name(r->family));
  case F_RELS:
    return actual_relations(r);
  }
  return NULL;
}

/* The surface as the input builder would have written it (crlf). */
static int expected_surface(vbg_buf *out, const spec_case *c, const char *s) {
  if (c->flags & FLAG_CRLF)
    return put_crlf(out, s, strlen(s));
  return buf_puts(out, s);
}

static int surface_matches(const spec_case *c, const char *want,
                           const char *got) {
  vbg_buf w;
  int eq;

  vbg_buf_init(&w);
  if (expected_surface(&w, c, want) < 0) {
    vbg_buf_dispose(&w);
    return 0;
  }
  eq = text_eq(buf_str(&w), w.size, got, strlen(got),
               (c->flags & FLAG_NFD) != 0);
  vbg_buf_dispose(&w);
  return eq;
}

/* Compare the fields listed in `want` with reference i.  Returns 1 if all
 * match, and notes each mismatch in diag. */
static int compare_ref(vbg_buf *diag, const spec_case *c, size_t i,
                       json_t *want, const vbg_ref *r) {
  const char *name;
  json_t *v;
  int ok = 1;

  json_object_foreach(want, name, v) {
    const struct field *f = field_find(name);
    json_t *got = actual_value(f, r);
    int eq;

    if (f->kind == F_STR && r->surface && json_is_string(v) &&
        strcmp(name, "surface") == 0)
      eq = surface_matches(c, json_string_value(v), r->surface);
    else
      eq = got && json_equal(v, got);
    if (eq) {
      json_decref(got);
      continue;
    }
    ok = 0;
    note_mismatch(diag, i, name, v, got);
  }
  return ok;
}

/* Every reference must be the input's own bytes, on the line it names. */
static int check_offsets(vbg_buf *diag, const spec_case *c, const vbg_buf *text,
                         size_t i, const vbg_ref *r) {
  char msg[160];
  size_t line = 1, k;

  if (!r->surface || r->start > r->end || r->end > text->size) {
    snprintf(msg, sizeof msg, "  ref %zu: bad range %zu..%zu (input %zu)\n",
             i + 1, r->start, r->end, text->size);
    buf_puts(diag, msg);
    return 0;
  }
  if (!text_eq(text->ptr + r->start, r->end - r->start, r->surface,
               strlen(r->surface), (c->flags & FLAG_NFD) != 0)) {
    snprintf(msg, sizeof msg,
             "  ref %zu: surface is not the input bytes %zu..%zu\n", i + 1,
             r->start, r->end);
    buf_puts(diag, msg);
    return 0;
  }
  for (k = 0; k < r->start; k++)
    line += text->ptr[k] == '\n';
  if (r->line != line) {
    snprintf(msg, sizeof msg, "  ref %zu: line %zu, but start is on line %zu\n",
             i + 1, r->line, line);
    buf_puts(diag, msg);
    return 0;
  }
  return 1;
}

/* Compare a whole result with the case; note what differs in diag. */
static int compare_case(vbg_buf *diag, const spec_case *c, const vbg_buf *text,
                        const vbg_refs *refs) {
  size_t i, want = json_array_size(c->refs), got = vbg_refs_count(refs);
  int ok = 1;
  char msg[96];

  if (want != got) {
    snprintf(msg, sizeof msg, "  expected %zu references, got %zu\n", want,
             got);
    buf_puts(diag, msg);
    ok = 0;
  }
  for (i = 0; i < got; i++) {
    const vbg_ref *r = vbg_refs_get(refs, i);

    if (!check_offsets(diag, c, text, i, r))
      ok = 0;
    if (i < want && !compare_ref(diag, c, i, json_array_get(c->refs, i), r))
      ok = 0;
  }
  return ok;
}

/* ------------------------------------------------------------------ */
/* Running                                                             */
/* ------------------------------------------------------------------ */

static void print_input(const spec_case *c, const vbg_buf *text) {
  vbg_buf shown;

  vbg_buf_init(&shown);
  put_visible(&shown, text->ptr ? text->ptr : "", text->size);
  printf("  input (%zu bytes%s%s%s%s): %s\n", text->size,
         c->flags & FLAG_NFD ? ", nfd" : "",
         c->flags & FLAG_CRLF ? ", crlf" : "",
         c->flags & FLAG_BOM ? ", bom" : "",
         c->flags & FLAG_NOSHORT ? ", noshort" : "", buf_str(&shown));
  vbg_buf_dispose(&shown);
}

/* Print text with every line indented by four spaces. */
static void print_indented(const char *text) {
  while (*text) {
    const char *nl = strchr(text, '\n');
    int n = nl ? (int)(nl - text) : (int)strlen(text);

    printf("    %.*s\n", n, text);
    text += n + (nl ? 1 : 0);
  }
}

static void report_failure(const spec_case *c, const vbg_buf *text,
                           const vbg_buf *diag, const vbg_refs *refs) {
  vbg_buf actual;

  vbg_buf_init(&actual);
  print_input(c, text);
  printf("%s", buf_str(diag));
  printf("  expected:\n");
  print_indented(buf_str(&c->expected));
  printf("  actual:\n");
  if (refs && vbg_refs_write_jsonl(&actual, refs, "-") < 0)
    printf("    (cannot write the references)\n");
  print_indented(buf_str(&actual));
  vbg_buf_dispose(&actual);
}

/* -v: the case and its decoded input, flushed at once so that a case that
 * hangs is the last one shown. */
static void print_case(const runner *rn, const spec_case *c,
                       const vbg_buf *text) {
  printf("case %s (%s:%ld)\n", c->name, rn->sp->path, c->line);
  print_input(c, text);
  fflush(stdout);
}

static const vbg_extractor *runner_extractor(runner *rn, unsigned flags) {
  int i = (flags & FLAG_NOSHORT) ? 1 : 0;

  if (!rn->ex[i] && vbg_extractor_new(&rn->ex[i], i ? VBG_OPT_NO_SHORT_FORMS
                                                    : VBG_OPT_DEFAULT) < 0) {
    rn->ex[i] = NULL;
    return NULL;
  }
  return rn->ex[i];
}

static void run_case(runner *rn, const spec_case *c) {
  vbg_buf text, diag;
  vbg_refs *refs = NULL;
  const vbg_extractor *ex;
  int ok = 0, err;
  char msg[256];

  vbg_buf_init(&text);
  vbg_buf_init(&diag);
  if (build_input(&text, c) < 0) {
    buf_puts(&diag, "  cannot build the input (not UTF-8?)\n");
    goto done;
  }
  if (rn->verbose)
    print_case(rn, c, &text);
  if (!(ex = runner_extractor(rn, c->flags))) {
    snprintf(msg, sizeof msg, "  vbg_extractor_new failed: %s\n",
             vbg_error_last());
    buf_puts(&diag, msg);
    goto done;
  }
  if ((err = vbg_extract(&refs, ex, text.ptr ? text.ptr : "", text.size)) < 0) {
    snprintf(msg, sizeof msg, "  vbg_extract failed: %s: %s\n",
             vbg_strerror(err), vbg_error_last());
    buf_puts(&diag, msg);
    refs = NULL;
    goto done;
  }
  ok = compare_case(&diag, c, &text, refs);
done:
  harness_ok(ok, rn->sp->path, c->line, c->name);
  if (!ok)
    report_failure(c, &text, &diag, refs);
  fflush(stdout);
  vbg_refs_free(refs);
  vbg_buf_dispose(&text);
  vbg_buf_dispose(&diag);
}

static void usage(void) {
  fprintf(stderr, "usage: spec_runner [-v] FILE.spec [PATTERN]\n");
}

int main(int argc, char **argv) {
  runner rn = {0};
  spec sp = {0};
  vbg_buf file;
  size_t i, ran = 0;
  int argi = 1, status = 2;

  vbg_buf_init(&file);
  if (argi < argc && strcmp(argv[argi], "-v") == 0) {
    rn.verbose = 1;
    argi++;
  }
  if (argc - argi < 1 || argc - argi > 2) {
    usage();
    goto done;
  }
  sp.path = argv[argi];
  rn.pattern = argi + 1 < argc ? argv[argi + 1] : NULL;
  rn.sp = &sp;
  if (read_file(&file, sp.path) < 0 ||
      spec_parse(&sp, buf_str(&file), file.size) < 0)
    goto done;
  for (i = 0; i < sp.ncases; i++) {
    if (rn.pattern && !strstr(sp.cases[i].name, rn.pattern))
      continue;
    run_case(&rn, &sp.cases[i]);
    ran++;
  }
  if (ran == 0)
    fprintf(stderr, "spec_runner: %s: no case matches\n", sp.path);
  status = harness_done();
  if (ran == 0)
    status = 1;
done:
  vbg_extractor_free(rn.ex[0]);
  vbg_extractor_free(rn.ex[1]);
  spec_dispose(&sp);
  vbg_buf_dispose(&file);
  return status;
}
