/*
 * common.h - helpers shared by every stage of libvbgraph: error slot,
 * allocation, string utilities.  Private: not installed.
 */
#ifndef VBG_COMMON_H
#define VBG_COMMON_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vbgraph.h"

#if defined(__GNUC__)
#define VBG__PRINTF(f, a) __attribute__((format(printf, f, a)))
#define VBG__NOINLINE __attribute__((noinline))
#else
#define VBG__PRINTF(f, a)
#define VBG__NOINLINE
#endif

/* error.c: record a one-line message for vbg_error_last(); returns code. */
int vbg__error_set(int code, const char *fmt, ...) VBG__PRINTF(2, 3);
/* error.c: VBG_EIO with "what: <strerror(errno)>" (errno as the failed
 * stdio call left it); returns VBG_EIO. */
int vbg__error_io(const char *what);

/* Run build() once per process, whichever thread gets here first; the
 * others wait (a few microseconds) until it has run.  *state, zero at first,
 * is 1 while build() runs and 2 once it has. */
static inline void vbg__once(atomic_int *state, void (*build)(void)) {
  if (atomic_load_explicit(state, memory_order_acquire) == 2)
    return;
  int expect = 0;
  if (atomic_compare_exchange_strong(state, &expect, 1)) {
    build();
    atomic_store_explicit(state, 2, memory_order_release);
    return;
  }
  while (atomic_load_explicit(state, memory_order_acquire) != 2)
    ;
}

/* alloc.c: every allocation of the library goes through these. */
void *vbg__malloc(size_t size);
void *vbg__calloc(size_t n, size_t size);
void *vbg__realloc(void *ptr, size_t size);
void vbg__free(void *ptr);
char *vbg__strndup(const char *s, size_t n);
char *vbg__strdup(const char *s);
/* Failed allocations so far on this thread (see alloc.c). */
unsigned long vbg__alloc_failures(void);
/* At the end of a public call: an allocation failure during it, reported
 * or not, or reported as some other error by a helper that could not tell
 * (a failed copy looks like invalid input), makes the call VBG_ENOMEM. */
#define VBG__OOM_CHECK(err, before)                                            \
  do {                                                                         \
    if (vbg__alloc_failures() != (before) && (err) != VBG_ENOMEM)              \
      (err) = vbg__error_set(VBG_ENOMEM, "out of memory");                     \
  } while (0)

/* buf.c.  puts and putc append in place when there is room: writers call
 * them hundreds of thousands of times per graph. */
int vbg__buf_grow(vbg_buf *buf, size_t extra);
static inline int vbg__buf_put(vbg_buf *buf, const char *data, size_t n) {
  if (buf->size + n < buf->asize) {
    if (n)
      memcpy(buf->ptr + buf->size, data, n);
    buf->size += n;
    buf->ptr[buf->size] = '\0';
    return VBG_OK;
  }
  return vbg_buf_put(buf, data, n);
}
static inline int vbg__buf_puts(vbg_buf *buf, const char *s) {
  size_t n = strlen(s);
  if (buf->size + n < buf->asize) {
    memcpy(buf->ptr + buf->size, s, n);
    buf->size += n;
    buf->ptr[buf->size] = '\0';
    return VBG_OK;
  }
  return vbg_buf_put(buf, s, n);
}
static inline int vbg__buf_putc(vbg_buf *buf, char c) {
  if (buf->size + 1 < buf->asize) {
    buf->ptr[buf->size++] = c;
    buf->ptr[buf->size] = '\0';
    return VBG_OK;
  }
  return vbg_buf_put(buf, &c, 1);
}
int vbg__buf_printf(vbg_buf *buf, const char *fmt, ...) VBG__PRINTF(2, 3);
/* Hand the buffer's bytes to the caller (NUL-terminated, never NULL on
 * success) and leave the buffer empty. */
char *vbg__buf_detach(vbg_buf *buf);

/* graph.c: fold one reference of input `file` into the builder (shard.c). */
int vbg__builder_add_ref(vbg_builder *b, const char *file, const vbg_ref *r);

/* UTF-8 helpers (text.c).  ASCII, most of every input, is answered inline;
 * the rest by the *_cp / *_multi functions of text.c. */
int32_t vbg__utf8_decode_multi(const char *s, size_t len, size_t i, size_t *n);
int vbg__is_upper_cp(int32_t cp);
int vbg__is_lower_cp(int32_t cp);
int vbg__is_letter_cp(int32_t cp);
int32_t vbg__to_lower_cp(int32_t cp);
int32_t vbg__to_upper_cp(int32_t cp);

/* Decode one code point at s[i] (i < len); store its length in *n.
 * Invalid bytes decode as -1 with *n = 1. */
static inline int32_t vbg__utf8_decode(const char *s, size_t len, size_t i,
                                       size_t *n) {
  unsigned char c = (unsigned char)s[i];
  if (c < 0x80) {
    *n = 1;
    return c;
  }
  return vbg__utf8_decode_multi(s, len, i, n);
}
/* White space as PCRE2 reads \h and \v (with UCP or without): with both,
 * \s.  U+180E is left out: PCRE2's \h list keeps it, Unicode no longer
 * calls it a space, and the code that matches by hand asks PCRE2 there. */
static inline int vbg__pcre_hspace(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}
static inline int vbg__pcre_vspace(int32_t cp) {
  return (cp >= 0x0A && cp <= 0x0D) || cp == 0x85 || cp == 0x2028 ||
         cp == 0x2029;
}
/* Decode the code point that ends right before s[i] (i > 0). */
int32_t vbg__utf8_decode_back(const char *s, size_t i, size_t *n);
int vbg__utf8_encode(char out[4], int32_t cp);
static inline int vbg__is_upper(int32_t cp) {
  if (cp >= 0 && cp < 0x80)
    return cp >= 'A' && cp <= 'Z';
  return vbg__is_upper_cp(cp);
}
static inline int vbg__is_lower(int32_t cp) {
  if (cp >= 0 && cp < 0x80)
    return cp >= 'a' && cp <= 'z';
  return vbg__is_lower_cp(cp);
}
static inline int vbg__is_letter(int32_t cp) {
  if (cp >= 0 && cp < 0x80)
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
  return vbg__is_letter_cp(cp);
}
static inline int32_t vbg__to_lower(int32_t cp) {
  if (cp >= 0 && cp < 0x80)
    return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  return vbg__to_lower_cp(cp);
}
static inline int32_t vbg__to_upper(int32_t cp) {
  if (cp >= 0 && cp < 0x80)
    return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
  return vbg__to_upper_cp(cp);
}
/* Lower-case (simple case mapping) a UTF-8 string into buf. */
int vbg__lower(vbg_buf *out, const char *s, size_t len);
/* Lower-case s[0..len) into out (NUL-terminated, at most cap bytes with the
 * NUL) without allocating; returns the length, or SIZE_MAX when it does not
 * fit.  Invalid bytes are dropped. */
size_t vbg__lower_fixed(char *out, size_t cap, const char *s, size_t len);
/* NFC-normalise a short UTF-8 string into a fresh allocation. */
char *vbg__nfc(const char *s, size_t len);

#define VBG__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The value of the ASCII digits at the start of s[0..n), as atol() reads
 * them but never past n: atol on a window's text would have the sanitizer
 * measure the rest of the window at every call. */
static inline long vbg__digits_value(const char *s, size_t n) {
  long v = 0;
  for (size_t i = 0; i < n && s[i] >= '0' && s[i] <= '9' && v < 100000000L; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

#endif
