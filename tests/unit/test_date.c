/*
 * test_date.c - the context stage's matchers by hand (src/context.c) answer
 * as PCRE2 does with scan.c's patterns, or say they cannot (-1).
 *
 * The date matcher (date_match, the date pattern), on generated texts: "ngày
 * 3-6-2013", "ngày 14 tháng 7 năm 2015" and every near miss the generator makes
 * of them, from pieces that decide the match: digits (ASCII, and others of
 * other scripts), the separators (/ . ∕ and every dash), spaces (ASCII, NBSP,
 * U+2003, U+180E, line and paragraph separators, NEL), "*" and "_", the words
 * in every case and without their accents, letters and punctuation.  Each text
 * is matched at every character boundary; the match, its end and each group
 * must agree.  The matcher must answer for itself on most texts, and both
 * answers must come often.
 *
 * The issuing verb (issue_verb_match, the issueverb pattern: "đã ban
 * hành", "chính thức ký", "ra các"), on texts made of its words and their
 * near misses ("Ký", "tra", "hànhh"), spaces of every kind, "*" and "_",
 * and letters of other scripts before them; each text is matched from
 * every character boundary to its end, and the leftmost start must agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rng.h"
#include "scan.h"

/* src/context.c, for tests */
int vbg__date_match_for_tests(const char *s, size_t len, size_t at,
                              const vbg__groups *g, size_t *ov);
int vbg__issue_verb_for_tests(const char *s, size_t lo, size_t end,
                              size_t *start);

static const char *const pieces[] = {
    /* digits */
    "1", "3", "0", "2", "9", "14", "20", "2013", "1998", "12345", "\xD9\xA3",
    "\xEF\xBC\x93",
    /* separators */
    "-", "/", ".", "\xE2\x88\x95", "\xE2\x80\x93", "\xE2\x80\x90",
    "\xE2\x88\x92", ":", ",",
    /* spaces */
    " ", " ", " ", "\t", "\n", "\r\n", "\xC2\xA0", "\xE2\x80\x83",
    "\xE1\xA0\x8E", "\xE2\x80\xA8", "\xC2\x85", "\x0B", "*", "_",
    /* words */
    "ngày", "Ngày", "NGÀY", "ngàY", "ngay", "nga", "tháng", "Tháng", "THÁNG",
    "thang", "năm", "Năm", "NĂM", "nam", "ky",
    /* other */
    "a", "Đ", "ế", "(", ")", "\xCC\x80"};

static size_t piece(rng *r, char *o) {
  const char *p = pieces[rng_below(r, sizeof(pieces) / sizeof(pieces[0]))];
  size_t n = strlen(p);
  memcpy(o, p, n);
  return n;
}

/* A date most of the time, in a form the generator then spoils. */
static size_t text(rng *r, char *o, size_t cap) {
  static const char *const forms[] = {"ngày 3-6-2013",
                                      "ngày 14 tháng 7 năm 2015",
                                      "Ngày 03/06/2013",
                                      "ngày 3 - 6 - 2013",
                                      "20.10.1998",
                                      "ngày 14  tháng  7  năm  2015",
                                      "ngày\xC2\xA0"
                                      "3\xE2\x80\x93"
                                      "6\xE2\x80\x93"
                                      "2013",
                                      "NGÀY 1/1/2000",
                                      "ngày 5_tháng_6_năm_2020",
                                      "ngày 31 *tháng* 12 năm 1999"};
  size_t n = 0;
  if (rng_below(r, 4) != 0) {
    const char *f = forms[rng_below(r, sizeof(forms) / sizeof(forms[0]))];
    n = strlen(f);
    memcpy(o, f, n);
    /* spoil it a few times: a piece in, a byte out, or a piece over */
    for (size_t k = rng_below(r, 3); k > 0 && n + 16 < cap; k--) {
      size_t at = rng_below(r, n + 1);
      while (at < n && ((unsigned char)o[at] & 0xC0) == 0x80)
        at++;
      char tmp[16];
      size_t m = piece(r, tmp);
      memmove(o + at + m, o + at, n - at);
      memcpy(o + at, tmp, m);
      n += m;
    }
  }
  size_t more = rng_below(r, 8);
  for (size_t k = 0; k < more && n + 16 < cap; k++)
    n += piece(r, o + n);
  return n;
}

static const char *const verb_pieces[] = {"đã",
                                          "vừa",
                                          "mới",
                                          "chính",
                                          "thức",
                                          "ký",
                                          "ban",
                                          "hành",
                                          "có",
                                          "ra",
                                          "phát",
                                          "thông",
                                          "qua",
                                          "xây",
                                          "dựng",
                                          "các",
                                          "những",
                                          "Ký",
                                          "BAN",
                                          "tra",
                                          "hànhh",
                                          "x",
                                          "UBND",
                                          "1",
                                          ",",
                                          "(",
                                          " ",
                                          " ",
                                          " ",
                                          "  ",
                                          "\n",
                                          "\t",
                                          "\xC2\xA0",
                                          "\xE2\x80\x83",
                                          "\xE1\xA0\x8E",
                                          "\xE2\x80\xA8",
                                          "*",
                                          "_",
                                          "\xC2\xAA",
                                          "\xCE\xB1",
                                          "\xCC\x81",
                                          "ế",
                                          "\xE2\x80\x9C"};

static void test_issue_verb(const vbg__re *re, vbg__matcher *m) {
  enum { NP = sizeof(verb_pieces) / sizeof(verb_pieces[0]) };
  rng r = {11};
  static char buf[256];
  size_t bound[64];
  long tried = 0, asked = 0, matched = 0, differ = 0;
  for (int round = 0; round < 30000; round++) {
    size_t len = 0, nb = 0, n = 1 + rng_below(&r, 10);
    for (size_t k = 0; k < n; k++) {
      /* mostly the pattern's words, spaced */
      const char *p = verb_pieces[rng_below(&r, k % 2 ? NP : 17)];
      if (k % 2 && rng_below(&r, 3) != 0)
        p = " ";
      bound[nb++] = len;
      memcpy(buf + len, p, strlen(p));
      len += strlen(p);
    }
    bound[nb++] = len;
    for (size_t i = 0; i < nb; i++) {
      size_t lo = bound[i], start = SIZE_MAX, ov[2];
      int hand = vbg__issue_verb_for_tests(buf, lo, len, &start);
      int pcre = vbg__re_match(re, m, buf, len, lo, 0, ov, 1);
      tried++;
      if (hand < 0) {
        asked++;
        continue;
      }
      matched += pcre == 1;
      if ((hand != pcre || (pcre == 1 && start != ov[0])) && differ++ < 5)
        printf("# issue verb differs from byte %zu of \"%.*s\": by hand %d "
               "(start %zu), PCRE2 %d (start %zu)\n",
               lo, (int)len, buf, hand, hand == 1 ? start : 0, pcre,
               pcre == 1 ? ov[0] : 0);
    }
  }
  OK(differ == 0, "the issuing verb matcher answers as PCRE2 does");
  OK(asked * 10 < tried, "it leaves fewer than one text in ten to PCRE2");
  OK(matched > 10000 && tried - asked - matched > 10000,
     "both answers come often");
  printf("# issue verb: %ld texts and starts, %ld matched, %ld left to "
         "PCRE2\n",
         tried, matched, asked);
}

int main(void) {
  vbg__re **pats = NULL;
  vbg__matcher *m = NULL;
  if (!OK(vbg__patterns_new(&pats) == VBG_OK, "patterns compile") ||
      !OK(vbg__matcher_new(&m) == VBG_OK, "a matcher")) {
    vbg__patterns_free(pats);
    return harness_done();
  }
  vbg__groups g;
  vbg__groups_init(&g, pats);
  OK(g.date[0] > 0 && g.date[5] > 0 && g.date[5] < 8,
     "the date groups fit in eight pairs");
  const vbg__re *date = pats[VBG__PAT_DATE];
  rng r = {20261122};
  static char buf[512];
  long tried = 0, asked = 0, matched = 0, differ = 0;
  for (int round = 0; round < 20000; round++) {
    size_t len = text(&r, buf, sizeof(buf));
    for (size_t at = 0; at < len; at++) {
      if (((unsigned char)buf[at] & 0xC0) == 0x80)
        continue;
      size_t ov[16], want[16];
      int hand = vbg__date_match_for_tests(buf, len, at, &g, ov);
      int pcre =
          vbg__re_match(date, m, buf, len, at, VBG__MATCH_ANCHORED, want, 8);
      tried++;
      if (hand < 0) {
        asked++;
        continue;
      }
      matched += pcre == 1;
      int same = hand == pcre;
      for (int k = 0; same && pcre == 1 && k < 16; k++)
        same = ov[k] == want[k];
      if (!same && differ++ < 5)
        printf("# differs at byte %zu of \"%.*s\": by hand %d, PCRE2 %d "
               "(ends %zu, %zu)\n",
               at, (int)len, buf, hand, pcre, hand == 1 ? ov[1] : 0,
               pcre == 1 ? want[1] : 0);
    }
  }
  OK(differ == 0, "the date matcher answers as PCRE2 does");
  OK(asked * 10 < tried, "it leaves fewer than one text in ten to PCRE2");
  OK(matched > 5000, "dates are found often");
  OK(tried - asked - matched > 20000, "and not found often");
  printf("# %ld positions: %ld matched, %ld left to PCRE2\n", tried, matched,
         asked);
  test_issue_verb(pats[VBG__PAT_ISSUEVERB], m);
  vbg__matcher_free(m);
  vbg__patterns_free(pats);
  return harness_done();
}
