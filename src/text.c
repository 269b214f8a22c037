/*
 * text.c - pipeline stage 1: validate UTF-8, drop a BOM, normalise to NFC
 * (utf8proc), keeping a map from every normalised byte back to the byte of
 * the original input it came from.  This is the only file that includes
 * utf8proc.h.
 *
 * Vietnamese arrives composed (NFC) or decomposed (NFD: "ệ" as e + U+0323 +
 * U+0302).  Only clusters that hold a combining mark need work, so clean
 * text is passed through without a copy.
 */
#include <string.h>
#include <utf8proc.h>

#include "text.h"

/* ------------------------------------------------------------------ */
/* Code point helpers                                                  */
/* ------------------------------------------------------------------ */

int32_t vbg__utf8_decode(const char *s, size_t len, size_t i, size_t *n) {
  utf8proc_int32_t cp;
  size_t avail = len - i;
  utf8proc_ssize_t r =
      utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                       (utf8proc_ssize_t)(avail > 4 ? 4 : avail), &cp);
  if (r <= 0) {
    *n = 1;
    return -1;
  }
  *n = (size_t)r;
  return cp;
}

int32_t vbg__utf8_decode_back(const char *s, size_t i, size_t *n) {
  size_t j = i;
  int k = 0;
  while (j > 0 && k < 4) {
    j--;
    k++;
    if (((unsigned char)s[j] & 0xC0) != 0x80)
      break;
  }
  size_t m;
  int32_t cp = vbg__utf8_decode(s, i, j, &m);
  if (j + m != i) {
    *n = 1;
    return -1;
  }
  *n = m;
  return cp;
}

int vbg__utf8_encode(char out[4], int32_t cp) {
  return (int)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

int vbg__is_upper(int32_t cp) {
  return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}
int vbg__is_lower(int32_t cp) {
  return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}
int vbg__is_letter(int32_t cp) {
  if (cp < 0)
    return 0;
  utf8proc_category_t c = utf8proc_category(cp);
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}
int32_t vbg__to_lower(int32_t cp) { return cp < 0 ? cp : utf8proc_tolower(cp); }
int32_t vbg__to_upper(int32_t cp) { return cp < 0 ? cp : utf8proc_toupper(cp); }

int vbg__lower(vbg_buf *out, const char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    size_t n;
    int32_t cp = vbg__utf8_decode(s, len, i, &n);
    if (cp < 0) {
      i += n;
      continue;
    }
    char enc[4];
    int k = vbg__utf8_encode(enc, vbg__to_lower(cp));
    int err = vbg_buf_put(out, enc, (size_t)k);
    if (err < 0)
      return err;
    i += n;
  }
  return VBG_OK;
}

char *vbg__nfc(const char *s, size_t len) {
  utf8proc_uint8_t *r = NULL;
  utf8proc_ssize_t n =
      utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &r,
                   UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (n < 0) {
    vbg__error_set(VBG_EUTF8, "invalid UTF-8: %s", utf8proc_errmsg(n));
    return NULL;
  }
  /* utf8proc allocates with malloc; hand the caller our own allocation. */
  char *copy = vbg__strndup((const char *)r, (size_t)n);
  free(r);
  return copy;
}

/* ------------------------------------------------------------------ */
/* Window preparation                                                  */
/* ------------------------------------------------------------------ */

static int is_combining(int32_t cp) {
  return cp >= 0 && (utf8proc_get_property(cp)->combining_class != 0 ||
                     (cp >= 0x300 && cp <= 0x36F));
}

/* Is the raw window already valid NFC as far as we care? */
static int needs_work(const char *raw, size_t len, int drop_bom) {
  if (drop_bom && len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
    return 1;
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)raw[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t n;
    int32_t cp = vbg__utf8_decode(raw, len, i, &n);
    if (cp < 0 || is_combining(cp))
      return 1;
    i += n;
  }
  return 0;
}

static int emit(vbg__text *t, vbg_buf *mapbuf, const char *bytes, size_t n,
                size_t orig) {
  int err = vbg_buf_put(&t->own, bytes, n);
  for (size_t k = 0; err == 0 && k < n; k++)
    err = vbg_buf_put(mapbuf, (const char *)&orig, sizeof(orig));
  return err;
}

/* Compose one cluster (a starter and the combining marks after it). */
static int emit_cluster(vbg__text *t, vbg_buf *mapbuf, const char *s, size_t n,
                        size_t orig) {
  utf8proc_int32_t cps[64];
  utf8proc_ssize_t k =
      utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, cps,
                         64, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (k < 0 || k > 64) /* absurdly long cluster: keep it as it is */
    return emit(t, mapbuf, s, n, orig);
  k = utf8proc_normalize_utf32(cps, k, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  for (utf8proc_ssize_t j = 0; j < k; j++) {
    char enc[4];
    int m = vbg__utf8_encode(enc, cps[j]);
    int err = emit(t, mapbuf, enc, (size_t)m, orig);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

int vbg__text_prepare(vbg__text *t, const char *raw, size_t len, size_t base,
                      int drop_bom) {
  memset(t, 0, sizeof(*t));
  vbg_buf_init(&t->own);
  t->base = base;
  if (!needs_work(raw, len, drop_bom)) {
    t->s = raw;
    t->len = len;
    return VBG_OK;
  }
  vbg_buf mapbuf;
  vbg_buf_init(&mapbuf);
  int err = vbg__buf_grow(&t->own, len + len / 4);
  size_t i = 0;
  if (drop_bom && len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (err == 0 && i < len) {
    size_t n;
    int32_t cp = vbg__utf8_decode(raw, len, i, &n);
    if (cp < 0) {
      err = emit(t, &mapbuf, "\xEF\xBF\xBD", 3, i);
      i += n;
      continue;
    }
    /* Extend over the combining marks that follow. */
    size_t j = i + n;
    while (j < len) {
      size_t m;
      int32_t next = vbg__utf8_decode(raw, len, j, &m);
      if (!is_combining(next))
        break;
      j += m;
    }
    if (j == i + n && !is_combining(cp))
      err = emit(t, &mapbuf, raw + i, n, i);
    else
      err = emit_cluster(t, &mapbuf, raw + i, j - i, i);
    i = j;
  }
  if (err == 0)
    err = emit(t, &mapbuf, "", 0, len); /* nothing: keeps buffers allocated */
  if (err == 0) {
    size_t end = len;
    err = vbg_buf_put(&mapbuf, (const char *)&end, sizeof(end));
  }
  if (err < 0) {
    vbg_buf_dispose(&mapbuf);
    vbg__text_dispose(t);
    return err;
  }
  t->s = t->own.ptr;
  t->len = t->own.size;
  t->map = (size_t *)(void *)vbg__buf_detach(&mapbuf);
  t->changed = 1;
  return VBG_OK;
}

void vbg__text_dispose(vbg__text *t) {
  vbg_buf_dispose(&t->own);
  vbg__free(t->map);
  t->map = NULL;
  t->s = NULL;
  t->len = 0;
}

/* ------------------------------------------------------------------ */
/* Streaming validity check                                            */
/* ------------------------------------------------------------------ */

static size_t seq_len(unsigned char c) {
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return 2;
  if (c >= 0xE0 && c <= 0xEF)
    return 3;
  if (c >= 0xF0 && c <= 0xF4)
    return 4;
  return 0;
}

static void note_bad(vbg__utf8_check *c, size_t off) {
  if (c->bad++ == 0)
    c->first_bad = off;
}

/* Check one complete-or-truncated sequence; returns bytes consumed. */
static size_t check_one(vbg__utf8_check *c, const unsigned char *p,
                        size_t avail, size_t off, int at_end) {
  size_t want = seq_len(p[0]);
  if (want == 0) {
    note_bad(c, off);
    return 1;
  }
  if (want == 1) {
    if (p[0] == 0)
      c->nul++;
    return 1;
  }
  if (avail < want && !at_end) {
    /* Could still complete: every byte so far must be a continuation. */
    for (size_t k = 1; k < avail; k++)
      if ((p[k] & 0xC0) != 0x80) {
        note_bad(c, off);
        return 1;
      }
    return 0;
  }
  utf8proc_int32_t cp;
  if (utf8proc_iterate(p, (utf8proc_ssize_t)(avail < 4 ? avail : 4), &cp) !=
      (utf8proc_ssize_t)want) {
    note_bad(c, off);
    return 1;
  }
  return want;
}

void vbg__utf8_check_feed(vbg__utf8_check *c, const char *data, size_t len,
                          size_t offset) {
  const unsigned char *p = (const unsigned char *)data;
  size_t i = 0;
  if (c->npend > 0) {
    /* Join the sequence left over from the previous piece with the first
     * bytes of this one, and check until we are past the join. */
    unsigned char tmp[8];
    size_t old = c->npend, take = len < 4 ? len : 4, pos = 0;
    memcpy(tmp, c->pend, old);
    memcpy(tmp + old, p, take);
    size_t n = old + take;
    c->npend = 0;
    while (pos < old) {
      size_t used = check_one(c, tmp + pos, n - pos, c->pend_off + pos, 0);
      if (used == 0) { /* still incomplete: the whole piece was too short */
        c->npend = n - pos;
        memmove(c->pend, tmp + pos, c->npend);
        c->pend_off += pos;
        return;
      }
      pos += used;
    }
    i = pos - old;
  }
  while (i < len) {
    if (p[i] < 0x80) {
      if (p[i] == 0)
        c->nul++;
      i++;
      continue;
    }
    size_t used = check_one(c, p + i, len - i, offset + i, 0);
    if (used == 0) {
      c->npend = len - i;
      memcpy(c->pend, p + i, c->npend);
      c->pend_off = offset + i;
      return;
    }
    i += used;
  }
}

void vbg__utf8_check_end(vbg__utf8_check *c) {
  /* a sequence cut off by the end of the input is one bad sequence */
  if (c->npend > 0)
    note_bad(c, c->pend_off);
  c->npend = 0;
}
