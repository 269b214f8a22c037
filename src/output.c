/*
 * output.c - references as JSON Lines (DESIGN.md's fields, in its order)
 * and as tab-separated values.  Strings are written as valid JSON whatever
 * bytes the input held: control characters are escaped and invalid UTF-8
 * becomes U+FFFD.
 */
#include <stdio.h>
#include <string.h>

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

static size_t len_or0(const char *s) { return s ? strlen(s) : 0; }

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

/* A JSON string (or null): control characters escaped, invalid UTF-8 as
 * U+FFFD, U+2028 and U+2029 escaped for JavaScript readers. */
static char *put_string(char *p, const char *s) {
  if (!s)
    return PUT(p, "null");
  *p++ = '"';
  const size_t len = strlen(s);
  for (size_t i = 0;;) {
    /* eight bytes at a time up to the first that needs a second look (the
     * room reserved for the string covers the whole eight) */
    if (i + 8 <= len) {
      uint64_t x;
      memcpy(&x, s + i, 8);
      memcpy(p, &x, 8);
      uint64_t m = swar_special(x);
      if (!m) {
        p += 8;
        i += 8;
        continue;
      }
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      size_t k = (size_t)(__builtin_ctzll(m) >> 3);
      p += k;
      i += k;
#endif
    }
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      *p++ = (char)c;
      i++;
      continue;
    }
    if (c == 0)
      break;
    if (c >= 0x80) {
      /* two-byte letters and U+1E80..U+1EFF need no decoding */
      unsigned char c1 = (unsigned char)s[i + 1];
      if (c >= 0xC2 && c <= 0xDF && (c1 & 0xC0) == 0x80) {
        p[0] = (char)c;
        p[1] = (char)c1;
        p += 2;
        i += 2;
        continue;
      }
      if (c == 0xE1 && (c1 == 0xBA || c1 == 0xBB) &&
          ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
        p[0] = (char)c;
        p[1] = (char)c1;
        p[2] = s[i + 2];
        p += 3;
        i += 3;
        continue;
      }
      size_t n;
      int32_t cp = vbg__utf8_decode(s, len, i, &n);
      if (cp < 0)
        p = PUT(p, "\\ufffd");
      else if (cp == 0x2028 || cp == 0x2029)
        p = put_escape(p, (unsigned)cp);
      else
        p = put_lit(p, s + i, n);
      i += n;
      continue;
    }
    if (c == '"')
      p = PUT(p, "\\\"");
    else if (c == '\\')
      p = PUT(p, "\\\\");
    else if (c == '\n')
      p = PUT(p, "\\n");
    else if (c == '\r')
      p = PUT(p, "\\r");
    else if (c == '\t')
      p = PUT(p, "\\t");
    else
      p = put_escape(p, c);
    i++;
  }
  *p++ = '"';
  return p;
}

static char *put_size(char *p, size_t v) {
  char digits[24];
  size_t n = sizeof(digits);
  do {
    digits[--n] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return put_lit(p, digits + n, sizeof(digits) - n);
}

/* Bytes write_one may need for r. */
static size_t ref_room(const vbg_ref *r, size_t file_len) {
  size_t n = file_len + len_or0(r->surface) + len_or0(r->key) +
             len_or0(r->doc_type) + len_or0(r->type_code) + len_or0(r->number) +
             len_or0(r->issuer_code) + len_or0(r->date) +
             len_or0(r->issuer_body) + len_or0(r->term) + len_or0(r->title) +
             len_or0(r->resolves_to);
  size_t room = 512 + ESC_MAX * n;
  for (size_t i = 0; i < r->nrelations; i++) {
    const vbg_relation *rel = &r->relations[i];
    room += 192 + ESC_MAX * (len_or0(rel->target) + len_or0(rel->cue) +
                             len_or0(rel->by));
  }
  return room;
}

static int write_one(vbg_buf *out, const vbg_ref *r, const char *file,
                     size_t file_len) {
  int err = vbg__buf_grow(out, ref_room(r, file_len));
  if (err < 0)
    return err;
  char *p = out->ptr + out->size;
  p = PUT(p, "{\"file\":");
  p = put_string(p, file);
  p = put_size(PUT(p, ",\"start\":"), r->start);
  p = put_size(PUT(p, ",\"end\":"), r->end);
  p = put_size(PUT(p, ",\"line\":"), r->line);
  p = put_string(PUT(p, ",\"surface\":"), r->surface);
  p = put_string(PUT(p, ",\"key\":"), r->key);
  p = put_string(PUT(p, ",\"family\":"), vbg_family_name(r->family));
  p = put_string(PUT(p, ",\"doc_type\":"), r->doc_type);
  p = put_string(PUT(p, ",\"type_code\":"), r->type_code);
  p = put_string(PUT(p, ",\"number\":"), r->number);
  p = PUT(p, ",\"year\":");
  p = r->year > 0 ? put_size(p, (size_t)r->year) : PUT(p, "null");
  p = put_string(PUT(p, ",\"issuer_code\":"), r->issuer_code);
  p = put_string(PUT(p, ",\"date\":"), r->date);
  p = put_string(PUT(p, ",\"issuer_body\":"), r->issuer_body);
  p = put_string(PUT(p, ",\"term\":"), r->term);
  p = put_string(PUT(p, ",\"title\":"), r->title);
  p = r->short_form ? PUT(p, ",\"short_form\":true")
                    : PUT(p, ",\"short_form\":false");
  p = put_string(PUT(p, ",\"resolves_to\":"), r->resolves_to);
  p = PUT(p, ",\"relations\":[");
  for (size_t i = 0; i < r->nrelations; i++) {
    const vbg_relation *rel = &r->relations[i];
    p = i ? PUT(p, ",{\"type\":\"") : PUT(p, "{\"type\":\"");
    const char *name = vbg_rel_name(rel->type);
    p = put_lit(p, name, strlen(name));
    p = put_string(PUT(p, "\",\"target\":"), rel->target);
    p = put_string(PUT(p, ",\"cue\":"), rel->cue);
    if (rel->by)
      p = put_string(PUT(p, ",\"by\":"), rel->by);
    p = put_size(PUT(p, ",\"start\":"), rel->start);
    p = put_size(PUT(p, ",\"end\":"), rel->end);
    p = put_size(PUT(p, ",\"line\":"), rel->line);
    *p++ = '}';
  }
  p = PUT(p, "]}\n");
  out->size = (size_t)(p - out->ptr);
  out->ptr[out->size] = '\0';
  return VBG_OK;
}

int vbg_refs_write_jsonl(vbg_buf *out, const vbg_refs *refs, const char *file) {
  size_t file_len = len_or0(file);
  for (size_t i = 0; i < vbg_refs_count(refs); i++) {
    int err = write_one(out, vbg_refs_get(refs, i), file, file_len);
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
