/*
 * text.h - the text stage: raw bytes -> valid NFC UTF-8 with a map back to
 * the original byte offsets.
 */
#ifndef VBG_TEXT_H
#define VBG_TEXT_H

#include "common.h"

typedef struct vbg__text {
  const char
      *s; /* normalised text (borrowed from the raw input when unchanged) */
  size_t len;
  size_t base;   /* original offset of the raw window's first byte */
  uint32_t *map; /* map[i] = raw-window offset of s[i]; len+1 entries; NULL =
                  identity */
  vbg_buf own;   /* storage when s is not the raw input */
  int changed;   /* 1 when normalisation or repair changed something */
  int repaired;  /* 1 when an invalid sequence became U+FFFD */
} vbg__text;

/*
 * Prepare `raw` (len bytes, the window starting at original offset base):
 * invalid UTF-8 becomes U+FFFD, decomposed Vietnamese becomes NFC, a BOM at
 * raw[0] is dropped when drop_bom.  The result may borrow raw.
 */
int vbg__text_prepare(vbg__text *t, const char *raw, size_t len, size_t base,
                      int drop_bom);
void vbg__text_dispose(vbg__text *t);

/* Original (absolute) offset of normalised byte i (i <= len). */
static inline size_t vbg__text_orig(const vbg__text *t, size_t i) {
  return t->base + (t->map ? t->map[i] : i);
}

/* Counts invalid UTF-8 sequences in a stream fed piecewise. */
typedef struct vbg__utf8_check {
  unsigned char pend[4];
  size_t npend;
  size_t pend_off; /* absolute offset of pend[0] */
  size_t bad, first_bad, nul;
} vbg__utf8_check;

void vbg__utf8_check_feed(vbg__utf8_check *c, const char *data, size_t len,
                          size_t offset);
void vbg__utf8_check_end(vbg__utf8_check *c);

#endif
