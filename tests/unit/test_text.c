/*
 * test_text.c - the text stage (src/text.c) gives the same text, the same
 * map back to the raw bytes and the same flags whichever way it skips the
 * clean stretches: character by character, sixteen bytes at a time (SSE2)
 * or thirty-two (AVX2, where the processor has it).  The texts are
 * generated from the pieces that decide the skips: ASCII, two-byte letters,
 * the Vietnamese letters of U+1E80..U+1EFF, combining marks (U+0300..U+036F
 * and the extension blocks), other three- and four-byte characters, and
 * invalid bytes (stray continuations, truncated sequences, overlongs,
 * surrogates), at every alignment.  A few texts are checked against what
 * they must give: NFC, and U+FFFD for each invalid byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/text.h"
#include "harness.h"
#include "rng.h"

void vbg__text_skip_choice(int choice); /* src/text.c, for tests */

#define TEXT_MAX 600

/* One piece of generated text: clean (the first 18 of the list), or, one
 * time in `dirt` (never for 0), any. */
static size_t piece(rng *r, unsigned char *o, unsigned dirt) {
  static const char *const pieces[] = {"a",
                                       "Q",
                                       " ",
                                       "\n",
                                       "\r\n",
                                       "9",
                                       "-",
                                       "/",
                                       ".", /* ASCII */
                                       "\xC3\xA0",
                                       "\xC3\x81",
                                       "\xC4\x90",
                                       "\xC6\xA1",
                                       "\xC6\xB0", /* à Á Đ ơ ư */
                                       "\xE1\xBA\xA1",
                                       "\xE1\xBB\x87",
                                       "\xE1\xBB\xB9",
                                       "\xE1\xBA\xBF", /* ạ ệ ỹ ế */
                                       "\xCC\x80",
                                       "\xCC\x81",
                                       "\xCC\xA3",
                                       "\xCD\x82",
                                       "\xCD\xAF", /* marks */
                                       "\xCD\xB0",
                                       "\xCE\xB1", /* Ͱ α */
                                       "\xE1\xAA\xB0",
                                       "\xE1\xB7\x80",
                                       "\xE2\x83\x90",
                                       "\xEF\xB8\xA0", /* marks */
                                       "\xE1\xB8\x80",
                                       "\xE2\x80\x93",
                                       "\xE4\xB8\xAD",
                                       "\xEF\xBB\xBF",     /* others */
                                       "\xF0\x9F\x98\x80", /* emoji */
                                       "\x80",
                                       "\xBF",
                                       "\xC0\xAF",
                                       "\xC1",
                                       "\xC3",
                                       "\xE1\xBA",
                                       "\xE1", /* bad */
                                       "\xED\xA0\x80",
                                       "\xF4\x90\x80\x80",
                                       "\xF8",
                                       "\xFF",
                                       "\xE0\x80\x80"};
  size_t n = sizeof(pieces) / sizeof(pieces[0]);
  uint64_t x = rng_next(r);
  const char *p;
  if (dirt && (x & 0xFF) % dirt == 0)
    p = pieces[(x >> 8) % n];
  else
    p = pieces[(x >> 8) % 18];
  size_t k = strlen(p);
  memcpy(o, p, k);
  return k;
}

typedef struct prepared {
  int err, changed, repaired;
  size_t len;
  char s[4 * TEXT_MAX + 64];
  size_t orig[4 * TEXT_MAX + 64];
} prepared;

static void prepare(prepared *out, const unsigned char *raw, size_t len,
                    int drop_bom, int choice) {
  vbg__text_skip_choice(choice);
  vbg__text t;
  memset(&t, 0, sizeof(t));
  memset(out, 0, sizeof(*out));
  out->err = vbg__text_prepare(&t, (const char *)raw, len, 1000, drop_bom);
  if (out->err == 0) {
    out->changed = t.changed;
    out->repaired = t.repaired;
    out->len = t.len;
    memcpy(out->s, t.s, t.len);
    for (size_t i = 0; i <= t.len; i++)
      out->orig[i] = vbg__text_orig(&t, i);
  }
  vbg__text_dispose(&t);
  vbg__text_skip_choice(-1);
}

static int same(const prepared *a, const prepared *b) {
  if (a->err != b->err || a->changed != b->changed ||
      a->repaired != b->repaired || a->len != b->len ||
      memcmp(a->s, b->s, a->len) != 0)
    return 0;
  for (size_t i = 0; i <= a->len; i++)
    if (a->orig[i] != b->orig[i])
      return 0;
  return 1;
}

static void test_random(void) {
  static unsigned char buf[TEXT_MAX + 64];
  static prepared by_char, by16, by32;
  rng r = {20261122};
  long checked = 0, changed = 0, repaired = 0, differ = 0;
  for (int round = 0; round < 20000; round++) {
    /* an offset into the buffer: every alignment of the vector loads */
    size_t at = rng_below(&r, 32), len = at;
    size_t want = at + rng_below(&r, TEXT_MAX - 40);
    /* clean, rarely dirty (the skips run far before they stop) or often */
    static const unsigned dirts[] = {0, 200, 16};
    unsigned dirt = dirts[round % 3];
    while (len < want)
      len += piece(&r, buf + len, dirt);
    int bom = (round & 7) == 0;
    prepare(&by_char, buf + at, len - at, bom, 0);
    prepare(&by16, buf + at, len - at, bom, 1);
    prepare(&by32, buf + at, len - at, bom, 2);
    checked++;
    changed += by_char.changed;
    repaired += by_char.repaired;
    if (!same(&by_char, &by16) || !same(&by_char, &by32)) {
      if (differ++ < 3)
        printf("# differs: round %d, %zu bytes at offset %zu\n", round,
               len - at, at);
    }
  }
  OK(differ == 0, "every skip gives the text, map and flags of character "
                  "by character work");
  /* the generator reaches every case the skips must stop at */
  OK(changed > checked / 4 && changed < checked - checked / 10,
     "some texts need work and some do not");
  OK(repaired > checked / 10, "some texts hold invalid bytes");
  printf("# %ld texts, %ld changed, %ld repaired\n", checked, changed,
         repaired);
}

/* Known answers, each behind clean padding long enough for every skip. */
/* last: the raw offset, from the end of the padding before, that the last
 * byte of `want` maps to */
static void known(const char *raw, const char *want, int changed, int repaired,
                  long last) {
  char in[256], out[256];
  const char *pad = "Ket luan so 5 cua Ban Thuong vu, nam 2024, ve viec ";
  snprintf(in, sizeof(in), "%s%s%s", pad, raw, pad);
  snprintf(out, sizeof(out), "%s%s%s", pad, want, pad);
  for (int choice = 0; choice <= 2; choice++) {
    prepared p;
    char what[128];
    prepare(&p, (const unsigned char *)in, strlen(in), 1, choice);
    snprintf(what, sizeof(what), "\"%s\" (skip %d): text", want, choice);
    OK(p.err == 0 && p.len == strlen(out) && memcmp(p.s, out, p.len) == 0,
       what);
    snprintf(what, sizeof(what), "\"%s\" (skip %d): flags", want, choice);
    OK(p.changed == changed && p.repaired == repaired, what);
    /* the first byte of the padding after it maps to its raw place */
    size_t k = strlen(pad) + strlen(want);
    snprintf(what, sizeof(what), "\"%s\" (skip %d): map", want, choice);
    OK(p.err == 0 && p.orig[k] == 1000 + strlen(pad) + strlen(raw) &&
           (long)p.orig[k - 1] == 1000 + (long)strlen(pad) + last,
       what);
  }
}

static void test_known(void) {
  /* clean NFC: borrowed, nothing changed */
  known("Nghị quyết", "Nghị quyết", 0, 0, 13);
  /* decomposed: "ệ" as e + U+0323 + U+0302 */
  known("Nghe\xCC\xA3\xCC\x82 An", "Nghệ An", 1, 0, 10);
  /* a stray continuation byte and a truncated sequence */
  known("a\x80z", "a\xEF\xBF\xBDz", 1, 1, 2);
  known("x\xE1\xBAy", "x\xEF\xBF\xBD\xEF\xBF\xBDy", 1, 1, 3);
  /* a mark after a space: the two make one cluster, which maps to the
   * space */
  known("\xCC\x81", "\xCC\x81", 1, 0, -1);
}

int main(void) {
  test_known();
  test_random();
  return harness_done();
}
