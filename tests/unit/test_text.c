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
 *
 * Also the short form finder's check for non-ASCII digits (src/parse.c),
 * a block at a time against a character at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/text.h"
#include "harness.h"
#include "rng.h"

void vbg__text_skip_choice(int choice); /* src/text.c, for tests */
/* src/parse.c, for tests */
int vbg__odd_digits_for_tests(const char *t, size_t a, size_t b, int simd);

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

/* The short form finder's question "could PCRE2 read a non-ASCII digit
 * here?" (src/parse.c, odd_digits) has the same answer a block at a time as
 * a character at a time, on valid UTF-8 between any two character
 * boundaries.  The characters are those it clears (ASCII, Latin letters,
 * the Vietnamese letters, general punctuation) and, rarely, those it must
 * stop at: other digits (Arabic-Indic, Myanmar, fullwidth), the edges of
 * the ranges it clears, a combining mark, an emoji. */
static void test_odd_digits(void) {
  static const char *const fine[] = {"a",
                                     "Q",
                                     " ",
                                     "9",
                                     "\n",
                                     "-",
                                     "/",
                                     "\xC3\xA0",
                                     "\xC3\x81",
                                     "\xC4\x90",
                                     "\xC6\xA1",
                                     "\xC6\xB0",
                                     "\xC8\xB7",
                                     "\xC2\xA0",
                                     "\xC9\x8F",
                                     "\xE1\xBA\xA1",
                                     "\xE1\xBB\x87",
                                     "\xE1\xBB\xB9",
                                     "\xE1\xB8\x80",
                                     "\xE2\x80\x93",
                                     "\xE2\x80\x9C",
                                     "\xE2\x81\xAF"};
  static const char *const odd[] = {
      "\xD9\xA0",     "\xE1\x81\x80",     "\xEF\xBC\x90", "\xC2\x85",
      "\xC9\x90",     "\xE2\x81\xB0",     "\xCC\x81",     "\xE1\xB7\x80",
      "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xE4\xB8\xAD"};
  enum {
    NF = sizeof(fine) / sizeof(fine[0]),
    NO = sizeof(odd) / sizeof(odd[0])
  };
  static char buf[TEXT_MAX + 64];
  static size_t bound[TEXT_MAX + 64];
  rng r = {7};
  long checked = 0, yes = 0, differ = 0;
  for (int round = 0; round < 20000; round++) {
    size_t at = rng_below(&r, 32), len = at, nb = 0;
    size_t want = at + rng_below(&r, TEXT_MAX - 40);
    unsigned rare = round % 2 ? 400 : 40;
    while (len < want) {
      uint64_t x = rng_next(&r);
      const char *p =
          x % rare == 0 ? odd[(x >> 16) % NO] : fine[(x >> 16) % NF];
      bound[nb++] = len;
      memcpy(buf + len, p, strlen(p));
      len += strlen(p);
    }
    bound[nb++] = len;
    buf[len] = '\0';
    for (int k = 0; k < 8; k++) {
      size_t i = rng_below(&r, nb), j = rng_below(&r, nb);
      size_t a = bound[i < j ? i : j], b = bound[i < j ? j : i];
      int by_char = vbg__odd_digits_for_tests(buf, a, b, 0);
      int by_block = vbg__odd_digits_for_tests(buf, a, b, 1);
      checked++;
      yes += by_char;
      if (by_char != by_block && differ++ < 3)
        printf("# odd_digits differs: round %d, bytes %zu..%zu: %d by "
               "character, %d by block\n",
               round, a, b, by_char, by_block);
    }
  }
  OK(differ == 0, "odd_digits: a block at a time gives what a character at "
                  "a time gives");
  OK(yes > checked / 10 && yes < checked - checked / 10,
     "odd_digits: both answers come often");
  printf("# odd_digits: %ld stretches, %ld with a character to stop at\n",
         checked, yes);
  static const char clean[] = "Thực hiện “Nghị quyết” số 25 – ngày 3-6-2013 "
                              "của Ban Chấp hành Trung ương Đảng khóa XI, số ";
  char t[256];
  snprintf(t, sizeof(t), "%s%s", clean, "\xD9\xA3");
  INT_EQ(vbg__odd_digits_for_tests(clean, 0, strlen(clean), 1), 0);
  INT_EQ(vbg__odd_digits_for_tests(t, 0, strlen(t), 1), 1);
}

int main(void) {
  test_known();
  test_random();
  test_odd_digits();
  return harness_done();
}
