/*
 * text.h - the text stage: raw bytes -> valid NFC UTF-8 with a map back to
 * the original byte offsets.
 */
#ifndef VBG_TEXT_H
#define VBG_TEXT_H

#include "common.h"

/* A piece of the map from normalised text back to the raw window: the
 * bytes from `at` on come from raw offset `orig` on, one to one, or, when
 * `orig` holds VBG__TSEG_CONST, all from the one offset (a composed
 * cluster, a replacement character).  A piece lasts until the next one's
 * `at`; clean stretches between decomposed clusters are one piece each. */
typedef struct vbg__tseg {
  uint32_t at, orig;
} vbg__tseg;
#define VBG__TSEG_CONST 0x80000000u

typedef struct vbg__text {
  const char *s; /* normalised text (borrowed from the raw input when
                    unchanged) */
  size_t len;
  size_t base;    /* original offset of the raw window's first byte */
  vbg__tseg *seg; /* the map back to the raw window; NULL = identity */
  size_t nseg;
  size_t hint;     /* the piece of the last look-up */
  int changed;     /* 1 when normalisation or repair changed something */
  int repaired;    /* 1 when an invalid sequence became U+FFFD */
  char *buf;       /* storage for s when it is not the raw input */
  size_t bufcap;   /* bytes buf holds, less the terminating NUL */
  vbg__tseg *segs; /* storage for seg */
  size_t segcap;
} vbg__text;

/*
 * Prepare `raw` (len bytes, the window starting at original offset base):
 * invalid UTF-8 becomes U+FFFD, decomposed Vietnamese becomes NFC, a BOM at
 * raw[0] is dropped when drop_bom.  The result may borrow raw.  `t` is
 * zeroed or a text of an earlier window, whose storage is reused.
 */
int vbg__text_prepare(vbg__text *t, const char *raw, size_t len, size_t base,
                      int drop_bom);
void vbg__text_dispose(vbg__text *t);

size_t vbg__text_orig_mapped(vbg__text *t, size_t i);

/* Original (absolute) offset of normalised byte i (i <= len).  Not const:
 * the look-up remembers where it was, for the next one nearby. */
static inline size_t vbg__text_orig(vbg__text *t, size_t i) {
  return t->seg ? vbg__text_orig_mapped(t, i) : t->base + i;
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
