/*
 * test_cue.c - the shortcuts of src/relate.c against what they stand for.
 *
 * Cue phrases.  relate.c finds the cue phrases ("thực hiện", "căn cứ",
 * "sửa đổi, bổ sung", ...) with a matcher written by hand (cue_at over the
 * tables stems_hu, stems_tr, ..., and next_cue, which skips sixteen places
 * at a time with SSE2) and asks the cue pattern of src/scan.c
 * (VBG__PAT_CUE) only where cue_at answers CUE_UNSURE.  The pattern stays
 * the definition; this test holds the two together:
 *
 *   - the tables keep the layout cue_part_at relies on: each phrase and its
 *     upper-case twin have the same bytes but the last of some characters;
 *   - every phrase of the pattern, as listed below (pattern_phrases), in
 *     lower, upper and title case, with and without its optional comma: the
 *     pattern matches it with the listed type (a check of this list: when
 *     the pattern changes, the list changes with it), cue_at finds it or
 *     hands it to the pattern, and next_cue finds it where the pattern does;
 *   - random texts built from those phrases and the tables' own, in mixed
 *     case, with Unicode spaces, KELVIN SIGN, long s, dotted and dotless i,
 *     cut short or spoilt by a letter, among words of other scripts: at
 *     every character, a sure answer of cue_at is the pattern's (match or
 *     not, end, relation type), and next_cue from every character finds the
 *     pattern's first match, with the text cut at several ends.  (next_cue
 *     takes its one-place path only where sixteen places do not fit: at the
 *     first byte and the last seventeen; a build without SSE2 takes it
 *     everywhere.)
 *
 * Sentence ends.  sentence_start and sentence_end find boundaries on demand
 * (a bitmap filled 64 bytes at a time, SSE2 stop masks, two remembered
 * gaps); they must answer as a plain pass of ends_sentence over every byte
 * does, and every line_intros entry must open a sentence after a line break
 * (ends_sentence filters on its first byte).  The rules of ends_sentence
 * themselves are the golden and spec tests' business, not this one's.
 *
 * Texts are copied into heap blocks of their exact size, so that
 * AddressSanitizer sees any read past the end.  Fixed seeds; fewer texts when
 * built with sanitizers or without optimisation.  `test_cue TEXTS SEED` runs
 * another amount or seed by hand.
 *
 * relate.c is included whole to reach its static functions.  Its one
 * external function is renamed here, so that this program never defines a
 * symbol the static library also does, whichever archive members the linker
 * pulls in.
 */
#define vbg__relate vbg__relate_in_test_cue
#include "../../src/relate.c"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "harness.h"
#include "rng.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || !defined(__OPTIMIZE__)
#define TEST_SANITIZED 1
#endif
#ifdef TEST_SANITIZED
enum { CUE_TEXTS = 3000, SENT_TEXTS = 400 };
#else
enum { CUE_TEXTS = 20000, SENT_TEXTS = 2000 };
#endif

enum { TEXT_MAX = 400, SENT_MAX = 3000, MAX_REPORTS = 10 };

/* ------------------------------------------------------------------ */
/* Texts                                                               */
/* ------------------------------------------------------------------ */

typedef struct tbuf {
  char b[SENT_MAX];
  size_t n, cap;
} tbuf;

/* Append s[0..n) whole, or nothing when it does not fit. */
static void put(tbuf *t, const char *s, size_t n) {
  if (n <= t->cap - t->n) {
    memcpy(t->b + t->n, s, n);
    t->n += n;
  }
}

static void puts_(tbuf *t, const char *s) { put(t, s, strlen(s)); }

static int is_cont(unsigned char b) { return (b & 0xC0) == 0x80; }

/* s[0..n) (valid UTF-8) as a C string literal, for a failure report:
 * letters, digits, punctuation and symbols as they are, the bytes of
 * anything else (blanks but the space, controls, format characters,
 * combining marks) as \x escapes. */
static void print_escaped(const char *s, size_t n) {
  putchar('"');
  for (size_t i = 0; i < n;) {
    utf8proc_int32_t cp = -1;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &cp);
    size_t len = k > 0 ? (size_t)k : 1;
    utf8proc_category_t cat =
        k > 0 ? utf8proc_category(cp) : UTF8PROC_CATEGORY_CN;
    int plain = cp != '"' && cp != '\\' &&
                (cp == ' ' ||
                 (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                 (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_SO));
    if (plain)
      fwrite(s + i, 1, len, stdout);
    else
      for (size_t j = 0; j < len; j++)
        printf("\\x%02X", (unsigned char)s[i + j]);
    i += len;
    /* "\xC2\xA0" "1": a hex digit after an escape starts a new literal */
    if (!plain && i < n && s[i] && strchr("0123456789abcdefABCDEF", s[i]))
      printf("\"\"");
  }
  putchar('"');
}

/* ------------------------------------------------------------------ */
/* The cue pattern's phrases                                           */
/* ------------------------------------------------------------------ */

/* The alternatives of pat_cue (src/scan.c) spelt out; " " is \s+ and ", "
 * is ,?\s+.  The test's own account of the pattern, not relate.c's. */
static const struct {
  const char *text;
  vbg_rel type;
} pattern_phrases[] = {
    {"hướng dẫn thi hành", VBG_REL_GUIDES},
    {"hướng dẫn thực hiện", VBG_REL_GUIDES},
    {"hướng dẫn", VBG_REL_GUIDES},
    {"triển khai thực hiện", VBG_REL_IMPLEMENTS},
    {"tiếp tục thực hiện", VBG_REL_IMPLEMENTS},
    {"tổ chức thực hiện", VBG_REL_IMPLEMENTS},
    {"thực hiện", VBG_REL_IMPLEMENTS},
    {"triển khai", VBG_REL_IMPLEMENTS},
    {"cụ thể hóa", VBG_REL_IMPLEMENTS},
    {"cụ thể hoá", VBG_REL_IMPLEMENTS},
    {"thể chế hóa", VBG_REL_IMPLEMENTS},
    {"thể chế hoá", VBG_REL_IMPLEMENTS},
    {"căn cứ", VBG_REL_BASED_ON},
    {"sửa đổi, bổ sung", VBG_REL_AMENDS},
    {"điều chỉnh, bổ sung", VBG_REL_AMENDS},
    {"sửa đổi", VBG_REL_AMENDS},
    {"thay thế", VBG_REL_REPLACES},
    {"sơ kết", VBG_REL_REVIEWS},
    {"tổng kết", VBG_REL_REVIEWS},
};

/* The pattern's named groups and the relation each stands for. */
static const struct {
  const char *name;
  vbg_rel type;
} pattern_groups[] = {
    {"guide", VBG_REL_GUIDES},  {"impl", VBG_REL_IMPLEMENTS},
    {"base", VBG_REL_BASED_ON}, {"amend", VBG_REL_AMENDS},
    {"repl", VBG_REL_REPLACES}, {"review", VBG_REL_REVIEWS},
};

/* relate.c's phrase tables, all of them. */
static const cue_stem *const tables[] = {stems_hu, stems_tr, stems_ti, stems_to,
                                         stems_th, stems_cu, stems_ca, stems_su,
                                         stems_so, stems_di};

/* A phrase (or a word) in lower case and its upper-case twin, the same
 * number of characters. */
typedef struct twins {
  char lo[96], up[96];
} twins;

enum { MAX_TWINS = 160 };
static twins phrases[MAX_TWINS], words[MAX_TWINS];
static size_t nphrases, nwords;

/* up = lo with every character upper-cased (utf8proc). */
static void upper_case(char *up, size_t cap, const char *lo) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)lo;
  size_t n = 0;
  while (*p && n + 4 < cap) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
    if (k <= 0)
      break;
    p += k;
    n += (size_t)utf8proc_encode_char(utf8proc_toupper(cp),
                                      (utf8proc_uint8_t *)up + n);
  }
  up[n] = '\0';
}

static void add_twins(twins *v, size_t *n, const char *lo, const char *up) {
  if (*n == MAX_TWINS)
    return;
  for (size_t i = 0; i < *n; i++)
    if (strcmp(v[i].lo, lo) == 0 && strcmp(v[i].up, up) == 0)
      return;
  snprintf(v[*n].lo, sizeof(v[*n].lo), "%s", lo);
  snprintf(v[*n].up, sizeof(v[*n].up), "%s", up);
  (*n)++;
}

/* cue_part_at's assumption: lo and up have the same bytes but the last of
 * some characters. */
static int same_layout(const char *lo, const char *up) {
  size_t n = strlen(lo);
  if (strlen(up) != n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (lo[i] != up[i] && i + 1 < n && is_cont((unsigned char)lo[i + 1]))
      return 0;
  return 1;
}

/* The phrases of the pattern and of the tables, and their words. */
static void collect_phrases(void) {
  char up[96];
  for (size_t i = 0; i < VBG__ARRAY_LEN(pattern_phrases); i++) {
    upper_case(up, sizeof(up), pattern_phrases[i].text);
    add_twins(phrases, &nphrases, pattern_phrases[i].text, up);
  }
  for (size_t l = 0; l < VBG__ARRAY_LEN(tables); l++)
    for (const cue_stem *a = tables[l]; a->lo; a++) {
      char msg[256];
      snprintf(msg, sizeof(msg), "table phrase \"%s\"/\"%s\": same layout",
               a->lo, a->up);
      int ok = OK(same_layout(a->lo, a->up), msg);
      for (const char *const *e = a->ends; *e; e += 2) {
        char lo[96], up2[96];
        snprintf(msg, sizeof(msg), "table end \"%s\"/\"%s\": same layout", e[0],
                 e[1]);
        int ok2 = OK(same_layout(e[0], e[1]), msg);
        snprintf(lo, sizeof(lo), "%s%s", a->lo, e[0]);
        snprintf(up2, sizeof(up2), "%s%s", a->up, e[1]);
        /* a broken twin is still used, in lower case only */
        add_twins(phrases, &nphrases, lo, ok && ok2 ? up2 : lo);
      }
    }
  for (size_t i = 0; i < nphrases; i++) {
    const char *lo = phrases[i].lo, *up = phrases[i].up;
    size_t a = 0;
    while (lo[a]) {
      size_t b = a;
      while (lo[b] && lo[b] != ' ' && lo[b] != ',')
        b++;
      if (b > a && b - a < 95) {
        char wl[96], wu[96];
        memcpy(wl, lo + a, b - a);
        memcpy(wu, up + a, b - a);
        wl[b - a] = wu[b - a] = '\0';
        add_twins(words, &nwords, wl, strlen(up) == strlen(lo) ? wu : wl);
      }
      a = lo[b] ? b + 1 : b;
    }
  }
}

/* What stands for " " in a phrase: mostly a space, sometimes another ASCII
 * blank, a character PCRE2 may take for \s, or nothing. */
static const char *const blanks[] = {
    " ",
    " ",
    " ",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\v",
    "\f",
    " \n\t ",
    "\x1C",         /* information separator four: not \s */
    "\xC2\xA0",     /* no-break space */
    "\xC2\x85",     /* next line */
    "\xE1\x9A\x80", /* ogham space mark */
    "\xE1\xA0\x8E", /* Mongolian vowel separator */
    "\xE2\x80\x80", /* en quad */
    "\xE2\x80\x8B", /* zero width space */
    "\xE2\x80\xAF", /* narrow no-break space */
    "\xE2\x81\x9F", /* medium mathematical space */
    "\xE3\x80\x80", /* ideographic space */
    "\xEF\xBB\xBF", /* zero width no-break space (BOM) */
    "",             /* none */
};

/* Other things a text holds: letters and marks of other scripts, Latin-1
 * letters and symbols, punctuation, and near misses of cue words. */
static const char *const others[] = {
    "a",
    "x",
    "Z",
    "1",
    "2024",
    ".",
    ",",
    ";",
    ":",
    "(",
    ")",
    "*",
    "_",
    "-",
    "/",
    "\"",
    "ư",
    "ơ",
    "đ",
    "Đ",
    "ñ",
    "ª",
    "µ",
    "º",
    "×",
    "÷",
    "“",
    "”",
    "—",
    "…",
    "α",
    "Ω",
    "д",
    "中",
    "ǅ",
    "ɐ",
    "ỹ",
    "Ỿ",
    "ⁱ",
    "‿",
    "\xCC\x81",
    "\xF0\x9F\x98\x80",
    "\xE2\x84\xAA",
    "ſ",
    "İ",
    "ı",
    "số",
    "sự",
    "của",
    "tỉnh",
    "thì",
    "tháng",
    "hoa",
    "th",
    "t",
    "ng",
    "hiệ",
    "tr",
    "tri",
    "ti",
    "tổn",
    "sơn",
    "căng",
    "cứu",
    "đi",
    "điề",
    "hướn",
    "Nghị quyết",
    "Kế hoạch số 12/KH-UBND",
};

static void put_blank(tbuf *t, rng *r) {
  puts_(t, blanks[rng_below(r, VBG__ARRAY_LEN(blanks))]);
}

/* The character of s at *i (advanced past it): its bytes. */
static size_t char_len(const char *s, size_t i) {
  size_t n = 1;
  while (s[i + n] && is_cont((unsigned char)s[i + n]))
    n++;
  return n;
}

/* Append phrase ph in some case, its blanks varied, maybe cut short or
 * spoilt. */
static void put_phrase(tbuf *t, rng *r, const twins *ph) {
  /* 0 lower, 1 upper, 2 title, 3 each character either */
  size_t mode = rng_below(r, 4), nchars = 0;
  size_t cut = rng_below(r, 5) == 0 ? rng_below(r, 24) : SIZE_MAX;
  const char *lo = ph->lo, *up = ph->up;
  size_t i = 0, j = 0;
  while (lo[i] && up[j] && nchars++ < cut) {
    size_t nl = char_len(lo, i), nu = char_len(up, j);
    char c = lo[i];
    if (c == ' ') {
      if (rng_below(r, 30) == 0)
        puts_(t, ""); /* no blank at all */
      else
        put_blank(t, r);
    } else if (c == ',') {
      if (rng_below(r, 2))
        puts_(t, rng_below(r, 20) ? "," : ";");
    } else if (rng_below(r, 40) == 0) {
      puts_(t, "q");
    } else if (c == 'k' && rng_below(r, 6) == 0) {
      puts_(t, "\xE2\x84\xAA"); /* KELVIN SIGN */
    } else if (c == 's' && rng_below(r, 6) == 0) {
      puts_(t, "\xC5\xBF"); /* long s */
    } else if (c == 'i' && rng_below(r, 16) == 0) {
      puts_(t, rng_below(r, 2) ? "\xC4\xB0" : "\xC4\xB1"); /* İ, ı */
    } else {
      int upper = mode == 1 || (mode == 2 && i == 0) ||
                  (mode == 3 && rng_below(r, 2) == 0);
      if (upper)
        put(t, up + j, nu);
      else
        put(t, lo + i, nl);
    }
    i += nl;
    j += nu;
  }
}

/* A random text of at most TEXT_MAX bytes, valid UTF-8. */
static void make_cue_text(tbuf *t, rng *r) {
  t->n = 0;
  t->cap = TEXT_MAX;
  size_t ntok = 1 + rng_below(r, 16);
  for (size_t k = 0; k < ntok; k++) {
    size_t u = rng_below(r, 10);
    if (u < 3)
      put_phrase(t, r, &phrases[rng_below(r, nphrases)]);
    else if (u < 6)
      put_phrase(t, r, &words[rng_below(r, nwords)]);
    else if (u < 7)
      put_blank(t, r);
    else
      puts_(t, others[rng_below(r, VBG__ARRAY_LEN(others))]);
    if (rng_below(r, 4) != 0)
      puts_(t, rng_below(r, 3) ? " "
                               : blanks[rng_below(r, VBG__ARRAY_LEN(blanks))]);
  }
}

/* ------------------------------------------------------------------ */
/* Cue matcher against the pattern                                    */
/* ------------------------------------------------------------------ */

typedef struct ctx {
  vbg__re **pats;
  vbg__matcher *m;
  const vbg__re *re;
  int groups[VBG__ARRAY_LEN(pattern_groups)];
  struct vbg_extractor ex;
  vbg__text t;
  vbg__win w;
  int g[6]; /* next_cue's cache of the group numbers */
  long tried, yes, no, unsure, next_checks, bad;
  /* the pattern at each place of the current text and end */
  int re_r[TEXT_MAX + 1];
  size_t re_e[TEXT_MAX + 1], first[TEXT_MAX + 1];
  vbg_rel re_t[TEXT_MAX + 1];
} ctx;

static void report(ctx *c, const char *what, const char *s, size_t end,
                   size_t at) {
  c->bad++;
  if (c->bad > MAX_REPORTS)
    return;
  printf("FAIL %s (place %zu, text cut at %zu): ", what, at, end);
  print_escaped(s, end);
  printf("\n");
}

/* The pattern at s[x..end): 1 with *e and *type, 0, or < 0. */
static int pattern_at(ctx *c, const char *s, size_t end, size_t x, size_t *e,
                      vbg_rel *type) {
  size_t ov[2 * 8];
  int r = vbg__re_match(c->re, c->m, s, end, x, 0, ov, 8);
  *e = 0;
  *type = VBG_REL_CITES;
  if (r != 1)
    return r;
  *e = ov[1];
  for (size_t k = 0; k < VBG__ARRAY_LEN(pattern_groups); k++)
    if (c->groups[k] >= 0 && ov[2 * c->groups[k]] != SIZE_MAX)
      *type = pattern_groups[k].type;
  return 1;
}

/* s[0..len) must lie in a heap block of exactly len bytes. */
static void check_end(ctx *c, const char *s, size_t len, size_t end) {
  const unsigned char *p = (const unsigned char *)s;
  c->t.s = s;
  c->t.len = len;
  for (size_t x = 0; x < end; x++) {
    c->re_r[x] = 0;
    if (is_cont(p[x]))
      continue;
    int r = c->re_r[x] = pattern_at(c, s, end, x, &c->re_e[x], &c->re_t[x]);
    if (r < 0) {
      report(c, "the pattern failed", s, end, x);
      continue;
    }
    size_t ce = 0;
    vbg_rel type = VBG_REL_CITES;
    int mine = cue_at(p, x, end, &ce, &type);
    c->tried++;
    if (mine == CUE_UNSURE) {
      c->unsure++;
      continue;
    }
    if (mine == CUE_YES) {
      c->yes++;
      if (r != 1)
        report(c, "cue_at finds a cue the pattern does not", s, end, x);
      else if (ce != c->re_e[x])
        report(c, "cue_at ends the cue elsewhere than the pattern", s, end, x);
      else if (type != c->re_t[x])
        report(c, "cue_at gives another type than the pattern", s, end, x);
    } else {
      c->no++;
      if (mine != CUE_NO)
        report(c, "cue_at answers neither yes, no nor unsure", s, end, x);
      else if (r == 1)
        report(c, "cue_at misses a cue the pattern finds", s, end, x);
    }
  }
  /* next_cue from every character: the pattern's first match from there */
  c->first[end] = SIZE_MAX;
  for (size_t x = end; x-- > 0;)
    c->first[x] = c->re_r[x] == 1 ? x : c->first[x + 1];
  for (size_t pos = 0; pos <= end; pos++) {
    if (pos < end && is_cont(p[pos]))
      continue;
    cue got;
    memset(&got, 0, sizeof(got));
    int r = next_cue(&c->w, pos, end, c->g, &got);
    size_t want = c->first[pos];
    c->next_checks++;
    if (r < 0)
      report(c, "next_cue failed", s, end, pos);
    else if (r == 0 && want != SIZE_MAX)
      report(c, "next_cue from here misses the pattern's first match", s, end,
             pos);
    else if (r == 1 && want == SIZE_MAX)
      report(c, "next_cue from here finds a cue the pattern does not", s, end,
             pos);
    else if (r == 1 && (got.s != want || got.e != c->re_e[want] ||
                        got.type != c->re_t[want]))
      report(c, "next_cue from here finds another cue than the pattern", s, end,
             pos);
  }
}

/* Compare at every character of text[0..len), cut at len and at up to
 * `cuts` other character boundaries. */
static void check_text(ctx *c, rng *r, const char *text, size_t len, int cuts) {
  char *s = malloc(len ? len : 1);
  if (!s) {
    OK(0, "malloc");
    return;
  }
  memcpy(s, text, len);
  check_end(c, s, len, len);
  for (int k = 0; k < cuts; k++) {
    size_t end = rng_below(r, len + 1);
    while (end < len && is_cont((unsigned char)s[end]))
      end++;
    check_end(c, s, len, end);
  }
  free(s);
}

/* Every phrase of the pattern, in three cases, with and without its comma,
 * between words. */
static void check_listed_phrases(ctx *c, rng *r) {
  for (size_t i = 0; i < VBG__ARRAY_LEN(pattern_phrases); i++) {
    const char *lo = pattern_phrases[i].text;
    char up[96], title[96], v[96], msg[256];
    upper_case(up, sizeof(up), lo);
    size_t first = char_len(up, 0);
    memcpy(title, up, first);
    snprintf(title + first, sizeof(title) - first, "%s", lo + char_len(lo, 0));
    const char *cases[] = {lo, up, title};
    for (size_t k = 0; k < 3; k++)
      for (int comma = 0; comma < 2; comma++) {
        /* the phrase as written, then without its comma */
        size_t n = 0;
        for (const char *q = cases[k]; *q && n + 1 < sizeof(v); q++)
          if (*q != ',' || !comma)
            v[n++] = *q;
        v[n] = '\0';
        if (comma && !strchr(cases[k], ','))
          continue;
        static const char pre[] = "Ông ", post[] = " Nghị quyết số 1";
        char text[256];
        int len = snprintf(text, sizeof(text), "%s%s%s", pre, v, post);
        size_t x = sizeof(pre) - 1, e = 0;
        vbg_rel type = VBG_REL_CITES;
        snprintf(msg, sizeof(msg),
                 "the cue pattern matches \"%s\" (pattern_phrases is up to "
                 "date)",
                 v);
        if (OK(pattern_at(c, text, (size_t)len, x, &e, &type) == 1 &&
                   e == x + n && type == pattern_phrases[i].type,
               msg)) {
          size_t ce = 0;
          vbg_rel t2 = VBG_REL_CITES;
          snprintf(msg, sizeof(msg), "cue_at does not rule out \"%s\"", v);
          OK(cue_at((const unsigned char *)text, x, (size_t)len, &ce, &t2) !=
                 CUE_NO,
             msg);
        }
        check_text(c, r, text, (size_t)len, 2);
      }
  }
}

static void test_cues(unsigned long ntexts, uint64_t seed) {
  ctx *c = calloc(1, sizeof(*c));
  if (!OK(c != NULL, "calloc"))
    return;
  if (!OK(vbg__patterns_new(&c->pats) == VBG_OK, "patterns compile") ||
      !OK(vbg__matcher_new(&c->m) == VBG_OK, "a matcher")) {
    vbg__patterns_free(c->pats);
    free(c);
    return;
  }
  c->re = c->pats[VBG__PAT_CUE];
  for (size_t k = 0; k < VBG__ARRAY_LEN(pattern_groups); k++) {
    c->groups[k] = vbg__re_group(c->re, pattern_groups[k].name);
    OK(c->groups[k] >= 0, "the cue pattern has its named groups");
  }
  c->ex.pats = c->pats;
  vbg__groups_init(&c->ex.g, c->pats);
  c->w.ex = &c->ex;
  c->w.m = c->m;
  c->w.t = &c->t;
  c->g[0] = -2;

  collect_phrases();
  rng r = {seed};
  check_listed_phrases(c, &r);
  INT_EQ(c->bad, 0);
  long listed_bad = c->bad;

  tbuf *t = malloc(sizeof(*t));
  if (OK(t != NULL, "malloc"))
    for (unsigned long it = 0; it < ntexts; it++) {
      make_cue_text(t, &r);
      check_text(c, &r, t->b, t->n, (int)rng_below(&r, 3));
    }
  free(t);
  printf("cues: %lu texts, %zu phrases, %zu words; %ld places: %ld sure yes, "
         "%ld sure no, %ld unsure; %ld next_cue calls; %ld disagreements\n",
         ntexts, nphrases, nwords, c->tried, c->yes, c->no, c->unsure,
         c->next_checks, c->bad - listed_bad);
  INT_EQ(c->bad - listed_bad, 0);
  /* the comparison is not empty: cue_at decides most places itself */
  OK(c->yes * 4 >= (long)ntexts, "cue_at is sure of a cue in a text of four");
  OK(c->unsure * 10 < c->tried, "cue_at hands under a tenth to the pattern");
  vbg__matcher_free(c->m);
  vbg__patterns_free(c->pats);
  free(c);
}

/* ------------------------------------------------------------------ */
/* Sentence ends on demand against a plain pass                        */
/* ------------------------------------------------------------------ */

static const char *const sent_frags[] = {
    "a",
    "b c",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\n \n",
    ".",
    ". ",
    ".\n",
    "!",
    "? ",
    ":",
    ": ",
    ":\n",
    ":*\n",
    "TP. ",
    "Tp. ",
    "Q. ",
    "ABC.",
    "x.y",
    "KẾ HOẠCH\n",
    "QUYẾT ĐỊNH",
    "Căn cứ ",
    "Thực hiện ",
    "Triển khai ",
    "Điều 1. ",
    "Xét ",
    "Quyết định:",
    "Theo đề nghị",
    "* ",
    "**",
    "_",
    "# ",
    "- ",
    "> ",
    "| ",
    "+ ",
    "1. ",
    "a) ",
    "\t",
    "\r",
    "\r\n",
    "ệ",
    "nội dung",
    "Ủy ban nhân dân tỉnh",
    "\xE2\x80\x9C",
    "2024",
    ";",
};

/* The last boundary < at plus one (0 if none), and the first >= at (or len),
 * from the sorted boundaries v[0..n). */
static size_t plain_start(const size_t *v, size_t n, size_t at) {
  size_t k = 0;
  while (k < n && v[k] < at)
    k++;
  return k == 0 ? 0 : v[k - 1] + 1;
}

static size_t plain_end(const size_t *v, size_t n, size_t len, size_t at) {
  size_t k = 0;
  while (k < n && v[k] < at)
    k++;
  return k < n ? v[k] : len;
}

static void test_sentences(unsigned long ntexts, uint64_t seed) {
  rng r = {seed};
  long queries = 0, bad = 0;
  tbuf *t = malloc(sizeof(*t));
  size_t *v = malloc(SENT_MAX * sizeof(*v));
  if (!OK(t && v, "malloc")) {
    free(t);
    free(v);
    return;
  }
  t->cap = SENT_MAX;
  for (unsigned long it = 0; it < ntexts; it++) {
    t->n = 0;
    size_t nf = rng_below(&r, 400);
    for (size_t f = 0; f < nf; f++) {
      size_t k = rng_below(&r, VBG__ARRAY_LEN(sent_frags) + 1);
      if (k == VBG__ARRAY_LEN(sent_frags))
        put(t, "", 1); /* a NUL byte */
      else
        puts_(t, sent_frags[k]);
    }
    size_t len = t->n, n = 0;
    char *s = malloc(len ? len : 1);
    size_t size = sents_size(len);
    unsigned char *mem = calloc(size ? size : 1, 1);
    if (!s || !mem) {
      OK(0, "malloc");
      free(s);
      free(mem);
      break;
    }
    memcpy(s, t->b, len);
    for (size_t i = 0; i < len; i++)
      if (ends_sentence(s, len, i))
        v[n++] = i;
    sents st;
    sents_init(&st, s, len, mem);
    size_t at = rng_below(&r, len + 1);
    for (int q = 0; q < 100; q++) {
      /* runs of nearby questions, as relate.c asks them, and jumps */
      if (rng_below(&r, 4) == 0)
        at = rng_below(&r, len + 1);
      else {
        size_t d = rng_below(&r, 40);
        at = rng_below(&r, 2) ? (at + d <= len ? at + d : len)
                              : (at >= d ? at - d : 0);
      }
      queries++;
      int start = rng_below(&r, 2) == 0;
      size_t got = start ? sentence_start(&st, at) : sentence_end(&st, at);
      size_t want = start ? plain_start(v, n, at) : plain_end(v, n, len, at);
      if (got != want && ++bad <= MAX_REPORTS) {
        /* the text around at, on character boundaries */
        size_t a = at > 80 ? at - 80 : 0, b = len - at > 80 ? at + 80 : len;
        while (a > 0 && is_cont((unsigned char)s[a]))
          a--;
        while (b < len && is_cont((unsigned char)s[b]))
          b++;
        printf("FAIL sentence_%s(%zu) = %zu, a plain pass says %zu; text of "
               "%zu bytes, [%zu, %zu): ",
               start ? "start" : "end", at, got, want, len, a, b);
        print_escaped(s + a, b - a);
        printf("\n");
      }
    }
    free(mem);
    free(s);
  }
  printf("sentences: %lu texts, %ld questions, %ld wrong answers\n", ntexts,
         queries, bad);
  INT_EQ(bad, 0);
  free(v);
  free(t);

  /* ends_sentence looks at the first byte before trying line_intros */
  for (size_t k = 0; k < VBG__ARRAY_LEN(line_intros); k++) {
    char text[64], msg[128];
    int len =
        snprintf(text, sizeof(text), "một dòng\n* %s nội dung", line_intros[k]);
    size_t nl = strchr(text, '\n') - text;
    snprintf(msg, sizeof(msg), "a line opening with \"%s\" starts a sentence",
             line_intros[k]);
    OK(ends_sentence(text, (size_t)len, nl), msg);
  }
}

int main(int argc, char **argv) {
  unsigned long ntexts = argc > 1 ? strtoul(argv[1], NULL, 10) : CUE_TEXTS;
  uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 20261122;
  test_cues(ntexts, seed);
  test_sentences(argc > 1 ? ntexts / 10 : SENT_TEXTS, seed + 1);
  return harness_done();
}
