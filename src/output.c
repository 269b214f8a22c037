/*
 * output.c - references as JSON Lines (DESIGN.md's fields, in its order)
 * and as tab-separated values.  Strings are written as valid JSON whatever
 * bytes the input held: control characters are escaped and invalid UTF-8
 * becomes U+FFFD.
 */
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common.h"

const char *vbg_family_name(vbg_family f) {
  switch (f) {
  case VBG_FAMILY_PARTY:
    return "party";
  case VBG_FAMILY_STATE:
    return "state";
  case VBG_FAMILY_LEGAL:
    return "legal";
  case VBG_FAMILY_LETTER:
    return "letter";
  default:
    return NULL;
  }
}

const char *vbg_rel_name(vbg_rel r) {
  static const char *const names[] = {"implements", "based_on", "amends",
                                      "replaces",   "guides",   "reviews",
                                      "cites"};
  return (unsigned)r < VBG_REL__COUNT ? names[r] : "cites";
}

/* ------------------------------------------------------------------ */
/* JSON Lines                                                          */
/* ------------------------------------------------------------------ */

/* One reference is written straight into the buffer through a cursor,
 * after reserving room for the worst case: the output is on the hot path
 * of `vbgraph extract`.  A string byte takes at most six output bytes
 * (\u00XX, or \ufffd for an invalid byte). */
#define ESC_MAX 6

static char *put_lit(char *p, const char *s, size_t n) {
  memcpy(p, s, n);
  return p + n;
}
#define PUT(p, lit) put_lit((p), (lit), sizeof(lit) - 1)

static char *put_escape(char *p, unsigned c) {
  static const char hex[] = "0123456789abcdef";
  p[0] = '\\';
  p[1] = 'u';
  p[2] = hex[(c >> 12) & 15];
  p[3] = hex[(c >> 8) & 15];
  p[4] = hex[(c >> 4) & 15];
  p[5] = hex[c & 15];
  return p + 6;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LITTLE_ENDIAN_WORDS 1
#endif

#if defined(LITTLE_ENDIAN_WORDS) && !defined(__SSE2__)
/* The high bit of each byte of x that is not printable ASCII other than
 * '"' and '\\' (the bytes a JSON string holds as they are).  Each byte is
 * tested on its own: with its high bit set first, or cleared, no borrow or
 * carry crosses into the next byte. */
static inline uint64_t swar_special(uint64_t x) {
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  uint64_t ctl = ~((x | high) - 0x20 * ones); /* byte < 0x20 */
  uint64_t del = (x & ~high) + ones;          /* byte == 0x7F */
  uint64_t q = x ^ ('"' * ones), b = x ^ ('\\' * ones);
  uint64_t isq = ~((q | high) - ones) & ~q; /* byte == '"' */
  uint64_t isb = ~((b | high) - ones) & ~b; /* byte == '\\' */
  return (x | ctl | del | isq | isb) & high;
}

/* Clear from m (swar_special's bytes of x) the bytes of the characters that
 * go out as they are and that put_special would copy without a decode: a
 * two-byte character (lead C2..DF, then a continuation) or U+1E80..U+1EFF
 * (E1 BA/BB, then a continuation), wholly inside x.  Vietnamese strings
 * then take one step per eight bytes instead of one per letter. */
static inline uint64_t swar_unexplained(uint64_t x, uint64_t m) {
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  uint64_t hi = x & high;
  uint64_t cont = hi & ~(x << 1); /* 10xxxxxx */
  /* 110xxxxx, and not C0 or C1 (some of bits 1..4 set) */
  uint64_t lead2 =
      hi & (x << 1) & ~(x << 2) & (((x & (0x1E * ones)) + 0x7F * ones) & high);
  uint64_t e = x ^ (0xE1 * ones), b = (x | ones) ^ (0xBB * ones);
  uint64_t e1 = ~((e | high) - ones) & ~e & high;  /* byte == E1 */
  uint64_t bab = ~((b | high) - ones) & ~b & high; /* byte == BA or BB */
  uint64_t two = lead2 & (cont >> 8);              /* little-endian: the */
  uint64_t three = e1 & (bab >> 8) & (cont >> 16); /* next byte is 8 bits up */
  return m & ~(two | (two << 8) | three | (three << 8) | (three << 16));
}

#endif

/* The character at s[i] (i < len) that swar_special stopped at, as JSON. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *
put_special(char *p, const char *s, size_t len, size_t *i) {
  unsigned char c = (unsigned char)s[*i];
  if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
    *p++ = (char)c;
    *i += 1;
    return p;
  }
  if (c >= 0x80) {
    /* two-byte letters and U+1E80..U+1EFF need no decoding (s[len] is
     * the terminating NUL, so s[*i + 1] can be read) */
    unsigned char c1 = (unsigned char)s[*i + 1];
    if (c >= 0xC2 && c <= 0xDF && (c1 & 0xC0) == 0x80) {
      p[0] = (char)c;
      p[1] = (char)c1;
      *i += 2;
      return p + 2;
    }
    if (c == 0xE1 && (c1 == 0xBA || c1 == 0xBB) &&
        ((unsigned char)s[*i + 2] & 0xC0) == 0x80) {
      p[0] = (char)c;
      p[1] = (char)c1;
      p[2] = s[*i + 2];
      *i += 3;
      return p + 3;
    }
    size_t n;
    int32_t cp = vbg__utf8_decode(s, len, *i, &n);
    if (cp < 0)
      p = PUT(p, "\\ufffd");
    else if (cp == 0x2028 || cp == 0x2029)
      p = put_escape(p, (unsigned)cp);
    else
      p = put_lit(p, s + *i, n);
    *i += n;
    return p;
  }
  *i += 1;
  if (c == '"')
    return PUT(p, "\\\"");
  if (c == '\\')
    return PUT(p, "\\\\");
  if (c == '\n')
    return PUT(p, "\\n");
  if (c == '\r')
    return PUT(p, "\\r");
  if (c == '\t')
    return PUT(p, "\\t");
  return put_escape(p, c);
}

/* The avail (< 8) bytes at q in the low bytes of a word (little-endian
 * order), read with four-, two- and one-byte loads: never past q + avail. */
static inline uint64_t load_below8(const char *q, size_t avail) {
  uint64_t x = 0;
  unsigned sh = 0;
  if (avail & 4) {
    uint32_t w;
    memcpy(&w, q, 4);
    x = w;
    q += 4;
    sh = 32;
  }
  if (avail & 2) {
    uint16_t w;
    memcpy(&w, q, 2);
    x |= (uint64_t)w << sh;
    q += 2;
    sh += 16;
  }
  if (avail & 1)
    x |= (uint64_t)(unsigned char)*q << sh;
  return x;
}

#if defined(__SSE2__) && defined(LITTLE_ENDIAN_WORDS)
/* Bit j set for each byte j of v that put_special must see: as swar_special
 * and swar_unexplained together, sixteen bytes at once. */
static inline unsigned special16(__m128i v) {
  /* as signed bytes, everything from 0x80 up is below ' ' too */
  __m128i sp =
      _mm_or_si128(_mm_or_si128(_mm_cmpgt_epi8(_mm_set1_epi8(' '), v),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F))),
                   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
  unsigned m = (unsigned)_mm_movemask_epi8(sp);
  if (!m)
    return 0;
  unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(
                      _mm_set1_epi8((char)0xC0), v)) & /* 80..BF */
                  (unsigned)_mm_movemask_epi8(v);
  unsigned lead2 = (unsigned)_mm_movemask_epi8(
      _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xC1)),
                    _mm_cmpgt_epi8(_mm_set1_epi8((char)0xE0), v)));
  unsigned e1 =
      (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE1)));
  unsigned bab = (unsigned)_mm_movemask_epi8(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xBA)),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xBB))));
  unsigned two = lead2 & (cont >> 1), three = e1 & (bab >> 1) & (cont >> 2);
  return m & ~(two | (two << 1) | three | (three << 1) | (three << 2));
}

/* The avail (< 16) bytes at q, without reading past them; s..q+avail is
 * the whole string (lenient loads may start at s). */
static inline __m128i load_short(const char *s, const char *q, size_t avail) {
  uint64_t lo = 0, hi = 0;
  const char *end = q + avail;
  if (avail >= 8) {
    memcpy(&lo, q, 8);
    if (avail > 8) { /* the last eight bytes, shifted down */
      memcpy(&hi, end - 8, 8);
      hi >>= 8 * (16 - avail);
    }
  } else if (end - s >= 8) {
    memcpy(&lo, end - 8, 8);
    lo >>= 8 * (8 - avail);
  } else { /* a string shorter than eight bytes */
    lo = load_below8(q, avail);
  }
  return _mm_set_epi64x((long long)hi, (long long)lo);
}
#endif

/* A JSON string of s[0..len) (len = strlen(s)): control characters
 * escaped, invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped for
 * JavaScript readers.  A block of bytes (sixteen, or eight without SSE2)
 * is looked at and copied at a time, the last ones too (the room reserved
 * for a string covers a block past it); only what the block test stops at
 * goes through put_special. */
static char *put_str(char *p, const char *s, size_t len) {
  *p++ = '"';
  for (size_t i = 0; i < len;) {
    size_t avail = len - i;
#if defined(__SSE2__) && defined(LITTLE_ENDIAN_WORDS)
    __m128i v = avail >= 16
                    ? _mm_loadu_si128((const __m128i *)(const void *)(s + i))
                    : load_short(s, s + i, avail);
    _mm_storeu_si128((__m128i *)(void *)p, v);
    unsigned m = special16(v);
    if (avail < 16)
      m &= (1u << avail) - 1;
    if (!m) {
      size_t k = avail < 16 ? avail : 16;
      p += k;
      i += k;
      continue;
    }
    size_t k = (size_t)__builtin_ctz(m);
    p += k;
    i += k;
#elif defined(LITTLE_ENDIAN_WORDS)
    uint64_t x, keep = 0x8080808080808080ull;
    if (avail >= 8) {
      memcpy(&x, s + i, 8);
    } else if (len >= 8) { /* the last eight bytes, shifted down */
      memcpy(&x, s + len - 8, 8);
      x >>= 8 * (8 - avail);
      keep >>= 8 * (8 - avail);
    } else { /* a short string */
      x = load_below8(s + i, avail);
      keep >>= 8 * (8 - avail);
    }
    memcpy(p, &x, 8);
    uint64_t m = swar_special(x) & keep;
    if (m)
      m = swar_unexplained(x, m);
    if (!m) {
      size_t k = avail < 8 ? avail : 8;
      p += k;
      i += k;
      continue;
    }
    size_t k = (size_t)(__builtin_ctzll(m) >> 3);
    p += k;
    i += k;
#else
    (void)avail;
#endif
    p = put_special(p, s, len, &i);
  }
  *p++ = '"';
  return p;
}

/* A string or null. */
static char *put_string(char *p, const char *s, size_t len) {
  return s ? put_str(p, s, len) : PUT(p, "null");
}

/* Decimal, two digits a division, copied out as a fixed 20 bytes (the
 * most a size_t takes; the room reserved counts that many) to spare a
 * memcpy call per number. */
static char *put_size(char *p, size_t v) {
  static const char pairs[] =
      "00010203040506070809101112131415161718192021222324"
      "25262728293031323334353637383940414243444546474849"
      "50515253545556575859606162636465666768697071727374"
      "75767778798081828384858687888990919293949596979899";
  char digits[40] = {0}; /* the number ends at digits[20] */
  size_t n = 20;
  while (v >= 100) {
    size_t r = v % 100;
    v /= 100;
    n -= 2;
    memcpy(digits + n, pairs + 2 * r, 2);
  }
  if (v >= 10) {
    n -= 2;
    memcpy(digits + n, pairs + 2 * v, 2);
  } else {
    digits[--n] = (char)('0' + v);
  }
  memcpy(p, digits + n, 20);
  return p + (20 - n);
}

/* vbg_family_name as JSON (the names need no escaping). */
static char *put_family(char *p, vbg_family f) {
  switch (f) {
  case VBG_FAMILY_PARTY:
    return PUT(p, "\"party\"");
  case VBG_FAMILY_STATE:
    return PUT(p, "\"state\"");
  case VBG_FAMILY_LEGAL:
    return PUT(p, "\"legal\"");
  case VBG_FAMILY_LETTER:
    return PUT(p, "\"letter\"");
  default:
    return PUT(p, "null");
  }
}

/* The string fields of a reference, in output order after "family". */
enum {
  F_SURFACE,
  F_KEY,
  F_DOC_TYPE,
  F_TYPE_CODE,
  F_NUMBER,
  F_ISSUER_CODE,
  F_DATE,
  F_ISSUER_BODY,
  F_TERM,
  F_TITLE,
  F_RESOLVES_TO,
  F__COUNT
};

/* The file name is the same in every line: it is escaped in the first one
 * and copied from there (file_at, file_json) into the others. */
typedef struct jsonl_file {
  const char *name;
  size_t len;
  size_t at, json_len; /* at = SIZE_MAX: not written yet */
} jsonl_file;

static char *put_relation(char *p, const vbg_relation *rel, int first,
                          const size_t n[3]) {
  p = first ? PUT(p, "{\"type\":\"") : PUT(p, ",{\"type\":\"");
  const char *name = vbg_rel_name(rel->type);
  p = put_lit(p, name, strlen(name));
  p = put_string(PUT(p, "\",\"target\":"), rel->target, n[0]);
  p = put_string(PUT(p, ",\"cue\":"), rel->cue, n[1]);
  if (rel->by)
    p = put_string(PUT(p, ",\"by\":"), rel->by, n[2]);
  p = put_size(PUT(p, ",\"start\":"), rel->start);
  p = put_size(PUT(p, ",\"end\":"), rel->end);
  p = put_size(PUT(p, ",\"line\":"), rel->line);
  *p++ = '}';
  return p;
}

/* One line, written straight into the buffer after reserving room for the
 * worst case (each string's length taken once); a relation reserves its
 * own room.  On failure the buffer is left as it was. */
static int write_one(vbg_buf *out, const vbg_ref *r, jsonl_file *f) {
  const char *v[F__COUNT] = {r->surface,   r->key,         r->doc_type,
                             r->type_code, r->number,      r->issuer_code,
                             r->date,      r->issuer_body, r->term,
                             r->title,     r->resolves_to};
  size_t n[F__COUNT], sum = f->len;
  for (size_t k = 0; k < F__COUNT; k++) {
    n[k] = v[k] ? strlen(v[k]) : 0;
    sum += n[k];
  }
  const size_t start = out->size;
  int err = vbg__buf_grow(out, 512 + ESC_MAX * sum);
  if (err < 0)
    return err;
  char *p = out->ptr + start;
  p = PUT(p, "{\"file\":");
  if (f->at != SIZE_MAX) {
    p = put_lit(p, out->ptr + f->at, f->json_len);
  } else {
    char *q = put_string(p, f->name, f->len);
    f->at = (size_t)(p - out->ptr);
    f->json_len = (size_t)(q - p);
    p = q;
  }
  p = put_size(PUT(p, ",\"start\":"), r->start);
  p = put_size(PUT(p, ",\"end\":"), r->end);
  p = put_size(PUT(p, ",\"line\":"), r->line);
  p = put_string(PUT(p, ",\"surface\":"), v[F_SURFACE], n[F_SURFACE]);
  p = put_string(PUT(p, ",\"key\":"), v[F_KEY], n[F_KEY]);
  p = put_family(PUT(p, ",\"family\":"), r->family);
  p = put_string(PUT(p, ",\"doc_type\":"), v[F_DOC_TYPE], n[F_DOC_TYPE]);
  p = put_string(PUT(p, ",\"type_code\":"), v[F_TYPE_CODE], n[F_TYPE_CODE]);
  p = put_string(PUT(p, ",\"number\":"), v[F_NUMBER], n[F_NUMBER]);
  p = PUT(p, ",\"year\":");
  p = r->year > 0 ? put_size(p, (size_t)r->year) : PUT(p, "null");
  p = put_string(PUT(p, ",\"issuer_code\":"), v[F_ISSUER_CODE],
                 n[F_ISSUER_CODE]);
  p = put_string(PUT(p, ",\"date\":"), v[F_DATE], n[F_DATE]);
  p = put_string(PUT(p, ",\"issuer_body\":"), v[F_ISSUER_BODY],
                 n[F_ISSUER_BODY]);
  p = put_string(PUT(p, ",\"term\":"), v[F_TERM], n[F_TERM]);
  p = put_string(PUT(p, ",\"title\":"), v[F_TITLE], n[F_TITLE]);
  p = r->short_form ? PUT(p, ",\"short_form\":true")
                    : PUT(p, ",\"short_form\":false");
  p = put_string(PUT(p, ",\"resolves_to\":"), v[F_RESOLVES_TO],
                 n[F_RESOLVES_TO]);
  p = PUT(p, ",\"relations\":[");
  for (size_t i = 0; i < r->nrelations; i++) {
    const vbg_relation *rel = &r->relations[i];
    size_t rn[3] = {rel->target ? strlen(rel->target) : 0,
                    rel->cue ? strlen(rel->cue) : 0,
                    rel->by ? strlen(rel->by) : 0};
    out->size = (size_t)(p - out->ptr);
    err = vbg__buf_grow(out, 192 + ESC_MAX * (rn[0] + rn[1] + rn[2]));
    if (err < 0) {
      out->size = start;
      out->ptr[start] = '\0';
      if (f->at >= start)
        f->at = SIZE_MAX;
      return err;
    }
    p = put_relation(out->ptr + out->size, rel, i == 0, rn);
  }
  p = PUT(p, "]}\n");
  out->size = (size_t)(p - out->ptr);
  out->ptr[out->size] = '\0';
  return VBG_OK;
}

int vbg_refs_write_jsonl(vbg_buf *out, const vbg_refs *refs, const char *file) {
  jsonl_file f = {file, file ? strlen(file) : 0, SIZE_MAX, 0};
  for (size_t i = 0; i < vbg_refs_count(refs); i++) {
    int err = write_one(out, vbg_refs_get(refs, i), &f);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* TSV                                                                 */
/* ------------------------------------------------------------------ */

static int tsv_value(vbg_buf *out, const char *s, int last) {
  int err = VBG_OK;
  for (const char *p = s ? s : ""; err == 0 && *p; p++)
    err =
        vbg__buf_putc(out, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
  return err ? err : vbg__buf_putc(out, last ? '\n' : '\t');
}

int vbg_refs_write_tsv_header(vbg_buf *out) {
  return vbg__buf_puts(
      out, "file\tstart\tend\tline\tsurface\tkey\tfamily\tdoc_type\ttype_code\t"
           "number\tyear\tissuer_code\tdate\tissuer_body\tterm\ttitle\t"
           "short_form\tresolves_to\trelations\n");
}

int vbg_refs_write_tsv(vbg_buf *out, const vbg_refs *refs, const char *file) {
  for (size_t i = 0; i < vbg_refs_count(refs); i++) {
    const vbg_ref *r = vbg_refs_get(refs, i);
    char nums[96], year[16];
    snprintf(nums, sizeof(nums), "%zu\t%zu\t%zu", r->start, r->end, r->line);
    snprintf(year, sizeof(year), "%d", r->year);
    vbg_buf rel;
    vbg_buf_init(&rel);
    int err = VBG_OK;
    for (size_t k = 0; err == 0 && k < r->nrelations; k++)
      err = vbg__buf_printf(&rel, "%s%s:%s", k ? "," : "",
                            vbg_rel_name(r->relations[k].type),
                            r->relations[k].target);
    const char *vals[] = {file,           r->surface,
                          r->key,         vbg_family_name(r->family),
                          r->doc_type,    r->type_code,
                          r->number,      r->year ? year : "",
                          r->issuer_code, r->date,
                          r->issuer_body, r->term,
                          r->title,       r->short_form ? "true" : "false",
                          r->resolves_to, rel.ptr};
    for (size_t k = 0; err == 0 && k < VBG__ARRAY_LEN(vals); k++) {
      err = tsv_value(out, vals[k], k + 1 == VBG__ARRAY_LEN(vals));
      if (err == 0 && k == 0)
        err = vbg__buf_printf(out, "%s\t", nums);
    }
    vbg_buf_dispose(&rel);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}
