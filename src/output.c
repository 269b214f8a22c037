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

static int put_escape(vbg_buf *out, unsigned c) {
  static const char hex[] = "0123456789abcdef";
  char e[6] = {'\\', 'u', '0', '0', hex[(c >> 4) & 15], hex[c & 15]};
  if (c > 0xFF) {
    e[2] = hex[(c >> 12) & 15];
    e[3] = hex[(c >> 8) & 15];
  }
  return vbg_buf_put(out, e, 6);
}

static int json_string(vbg_buf *out, const char *s) {
  if (!s)
    return vbg_buf_put(out, "null", 4);
  size_t len = strlen(s);
  int err = vbg__buf_putc(out, '"');
  for (size_t i = 0; err == 0 && i < len;) {
    /* a run of bytes that need no escape goes in one copy */
    size_t j = i;
    while (j < len) {
      unsigned char c = (unsigned char)s[j];
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7F)
        break;
      j++;
    }
    if (j > i) {
      err = vbg_buf_put(out, s + i, j - i);
      i = j;
      continue;
    }
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      if (c == '"')
        err = vbg_buf_put(out, "\\\"", 2);
      else if (c == '\\')
        err = vbg_buf_put(out, "\\\\", 2);
      else if (c == '\n')
        err = vbg_buf_put(out, "\\n", 2);
      else if (c == '\r')
        err = vbg_buf_put(out, "\\r", 2);
      else if (c == '\t')
        err = vbg_buf_put(out, "\\t", 2);
      else
        err = put_escape(out, c);
      i++;
      continue;
    }
    size_t n;
    int32_t cp = vbg__utf8_decode(s, len, i, &n);
    if (cp < 0)
      err = vbg_buf_put(out, "\\ufffd", 6);
    else if (cp == 0x2028 || cp == 0x2029)
      err = put_escape(out, (unsigned)cp);
    else
      err = vbg_buf_put(out, s + i, n);
    i += n;
  }
  return err ? err : vbg__buf_putc(out, '"');
}

/* ,"name": */
static int json_name(vbg_buf *out, const char *name) {
  int err = vbg_buf_put(out, ",\"", 2);
  if (err == 0)
    err = vbg__buf_puts(out, name);
  return err ? err : vbg_buf_put(out, "\":", 2);
}

static int json_field(vbg_buf *out, const char *name, const char *value) {
  int err = json_name(out, name);
  return err ? err : json_string(out, value);
}

/* ,"name":123 without printf: the output is on the hot path. */
static int json_size(vbg_buf *out, const char *name, size_t v) {
  char digits[24];
  size_t n = sizeof(digits);
  do {
    digits[--n] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  int err = json_name(out, name);
  return err ? err : vbg_buf_put(out, digits + n, sizeof(digits) - n);
}

static int write_one(vbg_buf *out, const vbg_ref *r, const char *file) {
  int err = vbg_buf_put(out, "{\"file\":", 8);
  if (err == 0)
    err = json_string(out, file);
  if (err == 0)
    err = json_size(out, "start", r->start);
  if (err == 0)
    err = json_size(out, "end", r->end);
  if (err == 0)
    err = json_size(out, "line", r->line);
  if (err == 0)
    err = json_field(out, "surface", r->surface);
  if (err == 0)
    err = json_field(out, "key", r->key);
  if (err == 0)
    err = json_field(out, "family", vbg_family_name(r->family));
  if (err == 0)
    err = json_field(out, "doc_type", r->doc_type);
  if (err == 0)
    err = json_field(out, "type_code", r->type_code);
  if (err == 0)
    err = json_field(out, "number", r->number);
  if (err == 0)
    err = r->year > 0 ? json_size(out, "year", (size_t)r->year)
                      : vbg__buf_puts(out, ",\"year\":null");
  if (err == 0)
    err = json_field(out, "issuer_code", r->issuer_code);
  if (err == 0)
    err = json_field(out, "date", r->date);
  if (err == 0)
    err = json_field(out, "issuer_body", r->issuer_body);
  if (err == 0)
    err = json_field(out, "term", r->term);
  if (err == 0)
    err = json_field(out, "title", r->title);
  if (err == 0)
    err = vbg__buf_puts(out, r->short_form ? ",\"short_form\":true"
                                           : ",\"short_form\":false");
  if (err == 0)
    err = json_field(out, "resolves_to", r->resolves_to);
  if (err == 0)
    err = vbg__buf_puts(out, ",\"relations\":[");
  for (size_t i = 0; err == 0 && i < r->nrelations; i++) {
    const vbg_relation *rel = &r->relations[i];
    err = vbg__buf_puts(out, i ? ",{\"type\":\"" : "{\"type\":\"");
    if (err == 0)
      err = vbg__buf_puts(out, vbg_rel_name(rel->type));
    if (err == 0)
      err = vbg__buf_puts(out, "\",\"target\":");
    if (err == 0)
      err = json_string(out, rel->target);
    if (err == 0)
      err = json_field(out, "cue", rel->cue);
    if (err == 0 && rel->by)
      err = json_field(out, "by", rel->by);
    if (err == 0)
      err = json_size(out, "start", rel->start);
    if (err == 0)
      err = json_size(out, "end", rel->end);
    if (err == 0)
      err = json_size(out, "line", rel->line);
    if (err == 0)
      err = vbg__buf_putc(out, '}');
  }
  return err ? err : vbg_buf_put(out, "]}\n", 3);
}

int vbg_refs_write_jsonl(vbg_buf *out, const vbg_refs *refs, const char *file) {
  for (size_t i = 0; i < vbg_refs_count(refs); i++) {
    int err = write_one(out, vbg_refs_get(refs, i), file);
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
