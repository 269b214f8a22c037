/*
 * tables.h - the reference data of ../shared/reference/ as C tables:
 * document type codes, issuer codes and the type words that name them.
 */
#ifndef VBG_TABLES_H
#define VBG_TABLES_H

#include "common.h"

/* Families a type code is seen in (bit set). */
#define VBG__FP (1u << 0) /* party  N-CODE/ISSUER */
#define VBG__FS (1u << 1) /* state  N/CODE-ISSUER */
#define VBG__FL (1u << 2) /* legal  N/YYYY/CODE-ISSUER */

typedef struct vbg__type_code {
  const char *code;     /* canonical spelling: "QĐi" */
  const char *doc_type; /* the type word it abbreviates: "Quy định" */
  unsigned families;
} vbg__type_code;

/* Look a printed type code up ("QD", "Ctr", "QÐ", "QYĐ" ...); NULL if unknown.
 */
const vbg__type_code *vbg__type_code_find(const char *s, size_t len);

/* Canonical issuer code for a printed one, written into out (cleared).
 * Returns 1 when the code is in the table, 0 when it was only cleaned
 * (Ð -> Đ), -1 on allocation failure. */
int vbg__issuer_canonical(vbg_buf *out, const char *s, size_t len);
/* The same, appended to out (not cleared). */
int vbg__issuer_canonical_put(vbg_buf *out, const char *s, size_t len);
/* The canonical code of a known issuer (where vbg__issuer_canonical would
 * return 1), without allocating: a table string or buf (64 bytes), or NULL
 * when the code is not known. */
const char *vbg__issuer_code(char *buf, const char *s, size_t len);

/* Is the canonical issuer code a Party body (TW, TU, HU, ĐU, ...-TW ...)? */
int vbg__issuer_is_party(const char *code);
/* Does the canonical code look like a local issuer whose numbers repeat
 * across provinces (TU, HU, UBND, HĐND ...)? */
int vbg__issuer_is_local(const char *code);
/* Full name of a known issuer code ("CP" -> "Chính phủ"), or NULL. */
const char *vbg__issuer_name(const char *code);

/* The known central body named exactly s[0..len) ("Bộ Nội vụ"), or NULL. */
const char *vbg__issuer_full_name(const char *s, size_t len);

typedef struct vbg__type_word {
  const char *name;  /* canonical doc_type: "Nghị quyết" */
  const char *codes; /* compatible type codes, space separated: "NQ NQLT" */
  int short_ok;      /* may stand with a bare number as a short form */
} vbg__type_word;

/* Canonical type word for the matched words (any case, any whitespace);
 * "Chương trình hành động" -> "Chương trình".  NULL if not a type word. */
const vbg__type_word *vbg__type_word_find(const char *s, size_t len);
/* The same for words already lower case with single spaces, low[0..n)
 * (no NUL in it): what vbg__type_word_find() looks up. */
const vbg__type_word *vbg__type_word_lower(const char *low, size_t n);
/* Can the word s[0..len) (letters, no spaces) be the first word of a type
 * word, in any case?  0 means vbg__type_word_find() of it, or of it and the
 * words after it, is NULL. */
int vbg__type_word_opens(const char *s, size_t len);
/* Is the canonical type code compatible with the type word? */
int vbg__type_word_accepts(const vbg__type_word *w, const char *code);

#endif
