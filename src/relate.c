/*
 * relate.c - pipeline stage 5: relations the text states between documents.
 *
 * Two shapes carry them:
 *  - inner cues: SOURCE ... cue TARGET[, TARGET ...]
 *      "Kế hoạch số 170/KH-UBND ... triển khai thực hiện Kết luận số 114-KL/TW"
 *  - leading cues, which open a sentence and list targets; the source is
 *    the document named after "ban hành" later in the sentence, or else
 *    the input's own number (its header):
 *      "Thực hiện Chỉ thị số 05-CT/TW ..., Tỉnh ủy ban hành Kế hoạch số
 * 12-KH/TU" "Căn cứ Nghị định số 30/2020/NĐ-CP ...;" "sơ kết/tổng kết ... thực
 * hiện X" records that X's implementation is reviewed.  Relations are kept by
 * the original offsets of both mentions and turned into keys once short forms
 * are resolved (resolve.c).
 */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "extract.h"

typedef struct cue {
  size_t s, e;
  vbg_rel type;
  int leading;
} cue;

/* ------------------------------------------------------------------ */
/* Sentences                                                           */
/* ------------------------------------------------------------------ */

static int is_ws(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* strchr("*_#>|-+ \t", ch) != NULL (NUL included, as strchr finds it):
 * markup and blanks opening a line. */
static int is_line_mark(char ch) {
  switch (ch) {
  case '*':
  case '_':
  case '#':
  case '>':
  case '|':
  case '-':
  case '+':
  case ' ':
  case '\t':
  case '\0':
    return 1;
  default:
    return 0;
  }
}

/* strchr(" \t\r\n*_", ch) != NULL: white space or emphasis (or NUL). */
static int is_ws_mark(char ch) {
  return is_ws(ch) || ch == '*' || ch == '_' || ch == '\0';
}

/* Words that open a new clause of a document at the start of a line. */
static const char *const line_intros[] = {
    "Căn cứ",     "Theo đề nghị", "Xét ",       "Điều ",
    "QUYẾT ĐỊNH", "Quyết định:",  "Thực hiện ", "Triển khai "};

/* Does a sentence end at s[i]? */
static int ends_sentence(const char *s, size_t len, size_t i) {
  char ch = s[i];
  if (ch == '.' || ch == '!' || ch == '?') {
    if (i + 1 < len && !is_ws(s[i + 1]) && s[i + 1] != '*' && s[i + 1] != '_')
      return 0;
    if (ch == '.') {
      /* "TP. Hồ Chí Minh", "Tp. Cần Thơ": abbreviations, not ends */
      size_t k = i;
      while (k > 0 && ((s[k - 1] >= 'A' && s[k - 1] <= 'Z') ||
                       (s[k - 1] >= 'a' && s[k - 1] <= 'z')))
        k--;
      if (i - k >= 1 && i - k <= 3 && s[k] >= 'A' && s[k] <= 'Z' &&
          (k == 0 || is_ws(s[k - 1])))
        return 0;
    }
    return 1;
  }
  if (ch != '\n' && ch != ':')
    return 0;
  size_t j = i + 1;
  while (j < len && (s[j] == '*' || s[j] == '_' || s[j] == ' ' ||
                     s[j] == '\t' || s[j] == '\r'))
    j++;
  int eol = j >= len || s[j] == '\n';
  if (ch == ':')
    return eol;
  if (eol && j < len)
    return 1; /* a blank line */
  /* a line after a heading in capitals ("KẾ HOẠCH") opens a sentence */
  size_t letters = 0;
  int lower = 0;
  for (size_t k = i; k > 0 && s[k - 1] != '\n'; k--) {
    unsigned char c = (unsigned char)s[k - 1];
    if ((unsigned char)(c - 'a') < 26) {
      lower = 1;
      break;
    }
    letters += (unsigned char)(c - 'A') < 26;
  }
  if (letters >= 2 && !lower)
    return 1;
  while (j < len && is_line_mark(s[j]))
    j++;
  /* the first bytes of line_intros */
  if (j >= len || !(s[j] == 'C' || s[j] == 'T' || s[j] == 'X' || s[j] == 'Q' ||
                    s[j] == '\xC4'))
    return 0;
  for (size_t k = 0; k < VBG__ARRAY_LEN(line_intros); k++) {
    size_t n = strlen(line_intros[k]);
    if (len - j >= n && memcmp(s + j, line_intros[k], n) == 0)
      return 1;
  }
  return 0;
}

/* Sentence boundaries of the window (positions i where ends_sentence(i)
 * holds), found on demand: relations only look at the sentences around the
 * candidates, so most of a window is never examined.  Bit i % 64 of bits[i /
 * 64] marks a boundary at i, valid once done[i / 64] is set.  The last
 * sentences asked for are remembered, since the questions come in runs about
 * one sentence. */
typedef struct sents {
  const char *s;
  size_t len, nwords;
  uint64_t *bits;
  unsigned char *done;
  /* no boundary lies in (gap_lo[k], gap_hi[k]); gap_hi[k] is a boundary
   * or len, gap_lo[k] a boundary or SIZE_MAX (none before) */
  size_t gap_lo[2], gap_hi[2];
  int gap_next; /* the entry to replace next */
} sents;

static int is_stop(char ch) {
  return ch == '\n' || ch == '.' || ch == '!' || ch == '?' || ch == ':';
}

#if defined(__SSE2__)
/* The bytes of the sixteen at p that may end a sentence, as a bit mask. */
static unsigned stop_mask16(const char *p) {
  const __m128i nl = _mm_set1_epi8('\n'), dot = _mm_set1_epi8('.'),
                bang = _mm_set1_epi8('!'), q = _mm_set1_epi8('?'),
                colon = _mm_set1_epi8(':');
  __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
  __m128i m = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(x, nl), _mm_cmpeq_epi8(x, dot)),
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, bang), _mm_cmpeq_epi8(x, q)),
                   _mm_cmpeq_epi8(x, colon)));
  return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* The boundaries in word k of the bitmap, not computed yet. */
static uint64_t sents_compute(sents *st, size_t k) {
  size_t a = k * 64, b = a + 64 <= st->len ? a + 64 : st->len;
  uint64_t stops = 0;
#if defined(__SSE2__)
  if (b - a == 64) {
    for (int j = 0; j < 4; j++)
      stops |= (uint64_t)stop_mask16(st->s + a + 16 * j) << (16 * j);
  } else
#endif
    for (size_t i = a; i < b; i++)
      if (is_stop(st->s[i]))
        stops |= (uint64_t)1 << (i - a);
  uint64_t ends = 0;
  for (; stops; stops &= stops - 1) {
    unsigned j = (unsigned)__builtin_ctzll(stops);
    if (ends_sentence(st->s, st->len, a + j))
      ends |= (uint64_t)1 << j;
  }
  st->done[k] = 1;
  return st->bits[k] = ends;
}

/* The boundaries in word k of the bitmap. */
static uint64_t sents_word(sents *st, size_t k) {
  return st->done[k] ? st->bits[k] : sents_compute(st, k);
}

/* The first boundary >= at, or len. */
static size_t next_boundary(sents *st, size_t at) {
  if (at >= st->len)
    return st->len;
  size_t k = at / 64;
  uint64_t m = sents_word(st, k) & (~(uint64_t)0 << (at % 64));
  while (!m) {
    if (++k == st->nwords)
      return st->len;
    m = sents_word(st, k);
  }
  return k * 64 + (size_t)__builtin_ctzll(m);
}

/* The last boundary < at, or SIZE_MAX. */
static size_t prev_boundary(sents *st, size_t at) {
  if (at == 0 || st->len == 0)
    return SIZE_MAX;
  size_t i = at <= st->len ? at - 1 : st->len - 1, k = i / 64;
  uint64_t m = sents_word(st, k) & (~(uint64_t)0 >> (63 - i % 64));
  while (!m) {
    if (k-- == 0)
      return SIZE_MAX;
    m = sents_word(st, k);
  }
  return k * 64 + 63 - (size_t)__builtin_clzll(m);
}

/* Bytes of zeroed memory sents_init needs for a text of len bytes. */
static size_t sents_size(size_t len) { return (len + 63) / 64 * 9; }

static void sents_init(sents *st, const char *s, size_t len,
                       unsigned char *mem) {
  memset(st, 0, sizeof(*st)); /* (0, 0] holds nothing: both entries empty */
  st->s = s;
  st->len = len;
  st->nwords = (len + 63) / 64;
  st->bits = (uint64_t *)(void *)mem;
  st->done = mem + st->nwords * sizeof(uint64_t);
}

/* The gap between boundaries that holds at, found and remembered: (lo, hi],
 * where lo is the last boundary < at (SIZE_MAX if none) and hi the first
 * >= at (or len).  Returns its entry. */
static int sentence_find(sents *st, size_t at) {
  int k = st->gap_next;
  st->gap_lo[k] = prev_boundary(st, at);
  st->gap_hi[k] = next_boundary(st, at);
  st->gap_next ^= 1;
  return k;
}

/* The remembered gap that holds at, or -1. */
static int sentence_known(const sents *st, size_t at) {
  for (int k = 0; k < 2; k++)
    if ((st->gap_lo[k] == SIZE_MAX || st->gap_lo[k] < at) &&
        at <= st->gap_hi[k])
      return k;
  return -1;
}

static size_t sentence_start(sents *st, size_t at) {
  int k = sentence_known(st, at);
  size_t lo = st->gap_lo[k >= 0 ? k : sentence_find(st, at)];
  return lo == SIZE_MAX ? 0 : lo + 1;
}

static size_t sentence_end(sents *st, size_t at) {
  int k = sentence_known(st, at);
  return st->gap_hi[k >= 0 ? k : sentence_find(st, at)];
}

/* Where the words of a sentence begin: after markup, list numbering and
 * "Để"/"Nhằm". */
static size_t lead_pos(const char *s, size_t len, size_t i) {
  for (;;) {
    while (i < len && (is_line_mark(s[i]) || s[i] == '\r' || s[i] == '\n'))
      i++;
    size_t j = i;
    while (j < len && ((s[j] >= '0' && s[j] <= '9') ||
                       (s[j] >= 'a' && s[j] <= 'e' && j == i)))
      j++;
    if (j > i && j < len && (s[j] == '.' || s[j] == ')') && j - i <= 3) {
      i = j + 1;
      continue;
    }
    const char *intro[] = {"Để ", "Nhằm ", "để ", "nhằm "};
    int moved = 0;
    for (size_t k = 0; k < VBG__ARRAY_LEN(intro); k++) {
      size_t n = strlen(intro[k]);
      if (len - i >= n && memcmp(s + i, intro[k], n) == 0) {
        i += n;
        moved = 1;
      }
    }
    if (!moved)
      return i;
  }
}

/* ------------------------------------------------------------------ */
/* Recording                                                           */
/* ------------------------------------------------------------------ */

/* Copy the cue phrase s[a..b) into out, white space collapsed, cut on a
 * code point boundary. */
static void copy_cue(char *out, size_t cap, const char *s, size_t a, size_t b) {
  size_t n = 0;
  int space = 0;
  /* usually the words are one space apart and the bytes are the answer */
  size_t i = a;
  if (b - a < cap && a < b && !is_ws(s[a]) && !is_ws(s[b - 1]))
    while (i < b && (!is_ws(s[i]) || (s[i] == ' ' && !is_ws(s[i + 1]))))
      i++;
  int plain = i == b;
  if (plain) {
    memcpy(out, s + a, b - a);
    n = b - a;
  }
  for (i = a; !plain && i < b && n + 1 < cap; i++) {
    if (is_ws(s[i])) {
      space = 1;
      continue;
    }
    if (space && n > 0 && n + 2 < cap)
      out[n++] = ' ';
    space = 0;
    out[n++] = s[i];
  }
  while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80) {
    size_t k = n - 1;
    while (k > 0 && ((unsigned char)out[k] & 0xC0) == 0x80)
      k--;
    size_t want = ((unsigned char)out[k] >= 0xF0)   ? 4
                  : ((unsigned char)out[k] >= 0xE0) ? 3
                                                    : 2;
    if (n - k == want)
      break;
    n = k;
  }
  out[n] = '\0';
}

static int add_rel(vbg__win *w, size_t src_orig, const vbg__cand *tgt,
                   vbg_rel type, const cue *c) {
  if (w->nrels == w->arels) {
    size_t a = w->arels ? w->arels * 2 : 16;
    vbg__prel *v = vbg__realloc(w->rels, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    w->rels = v;
    w->arels = a;
  }
  vbg__prel *p = &w->rels[w->nrels++];
  memset(p, 0, sizeof(*p));
  p->src = src_orig;
  p->tgt = vbg__text_orig(w->t, tgt->nstart);
  p->type = type;
  p->cue_start = vbg__text_orig(w->t, c->s);
  p->cue_end = vbg__text_orig(w->t, c->e);
  copy_cue(p->cue, sizeof(p->cue), w->t->s, c->s, c->e);
  return VBG_OK;
}

static size_t orig(const vbg__win *w, const vbg__cand *c) {
  return vbg__text_orig(w->t, c->nstart);
}

/* ------------------------------------------------------------------ */
/* Targets and sources                                                 */
/* ------------------------------------------------------------------ */

static int count_words(const char *s, size_t a, size_t b) {
  int n = 0, in = 0;
  for (size_t i = a; i < b; i++) {
    if (is_ws(s[i]))
      in = 0;
    else if (!in) {
      in = 1;
      n++;
    }
  }
  return n;
}

static int has_any(const char *s, size_t a, size_t b, const char *chars) {
  /* the bytes of chars as a bit set, with NUL, which strchr also finds */
  uint32_t set[8] = {1};
  for (const unsigned char *c = (const unsigned char *)chars; *c; c++)
    set[*c >> 5] |= (uint32_t)1 << (*c & 31);
  for (size_t i = a; i < b; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (set[ch >> 5] >> (ch & 31) & 1)
      return 1;
  }
  return 0;
}

static int contains(const char *s, size_t a, size_t b, const char *lit) {
  size_t n = strlen(lit);
  if (a > b || b - a < n)
    return 0;
  /* memchr for a byte of lit, the second when the first is a blank */
  size_t m = lit[0] == ' ' && n > 1 ? 1 : 0;
  const char *p = s + a + m, *last = s + b - n + m;
  while (p <= last && (p = memchr(p, lit[m], (size_t)(last - p) + 1)) != NULL) {
    if (memcmp(p - m, lit, n) == 0)
      return 1;
    p++;
  }
  return 0;
}

/* Only list punctuation and conjunctions between two mentions? */
static int plain_sep(const char *s, size_t a, size_t b) {
  size_t i = a;
  while (i < b) {
    if (strchr(" \t\r\n,*_", s[i])) {
      i++;
      continue;
    }
    const char *words[] = {"và", "cùng", "hoặc", "các"};
    int hit = 0;
    for (size_t k = 0; k < VBG__ARRAY_LEN(words) && !hit; k++) {
      size_t n = strlen(words[k]);
      if (b - i >= n && memcmp(s + i, words[k], n) == 0) {
        i += n;
        hit = 1;
      }
    }
    if (!hit)
      return 0;
  }
  return 1;
}

/* Is there a predicate cue right after mention c (not a title "về ...")? */
static int followed_by_cue(const vbg__win *w, const vbg__cand *c,
                           const cue *cues, size_t n) {
  size_t p = vbg__skip_space(w->t->s, w->t->len, c->tail_end);
  /* cues are in text order: the first at or after p is the one to test */
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cues[mid].s < p)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && cues[lo].s <= p + 8;
}

static size_t first_after(const vbg__win *w, size_t pos) {
  size_t lo = 0, hi = w->cands->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (w->cands->v[mid].nstart < pos)
      lo = mid + 1;
    else
      hi = mid;
  }
  while (lo < w->cands->n && w->cands->v[lo].dropped)
    lo++;
  return lo;
}

/* The mentions a cue at [cs, ce) points at, up to `end`. */
static size_t targets_after(const vbg__win *w, size_t ce, size_t end, int semis,
                            const cue *cues, size_t ncues, size_t *out,
                            size_t max, int *weak) {
  const char *s = w->t->s;
  size_t i = first_after(w, ce), n = 0;
  if (i == w->cands->n)
    return 0;
  const vbg__cand *c = &w->cands->v[i];
  /* "sửa đổi ... Quy định ... ban hành kèm theo Quyết định số X": the
   * regulation attached to X stands for X */
  if (c->nstart >= end || c->nstart - ce > 300)
    return 0; /* too far even for "kèm theo": no need to look for it */
  int attached = contains(s, ce, c->nstart, "kèm theo");
  size_t max_bytes = attached ? 300 : 100;
  int max_words = attached ? 25 : 7;
  if (c->nstart - ce > max_bytes || has_any(s, ce, c->nstart, ".;:!?()") ||
      count_words(s, ce, c->nstart) > max_words)
    return 0;
  /* "thay thế mức giá quy định tại Nghị quyết ...": the cue is about
   * something inside the document; the mention is still taken. */
  *weak = contains(s, ce, c->nstart, " tại ") ||
          (contains(s, ce, c->nstart, " theo ") && !attached) ||
          contains(s, ce, c->nstart, " trong ");
  out[n++] = i;
  for (size_t j = i + 1; j < w->cands->n && n < max; j++) {
    const vbg__cand *prev = &w->cands->v[out[n - 1]], *next = &w->cands->v[j];
    if (next->dropped)
      continue;
    if (next->nstart >= end)
      break;
    size_t from =
        prev->tail_end <= next->nstart ? prev->tail_end : prev->code_end;
    int ok = 0;
    if (plain_sep(s, from, next->nstart))
      ok = !followed_by_cue(w, next, cues, ncues);
    else if (semis) {
      size_t k = next->nstart;
      while (k > from && is_ws_mark(s[k - 1]))
        k--;
      ok =
          k > from && s[k - 1] == ';' && !followed_by_cue(w, next, cues, ncues);
    }
    if (!ok)
      break;
    out[n++] = j;
  }
  return n;
}

/* Is a type word coordinated with the source inside this gap ("... và Kế
 * hoạch hành động ..."), which then owns the cue? */
static int other_document_between(const char *s, size_t a, size_t b) {
  const char *conj[] = {" và ", ", ", "; ", " hoặc "};
  for (size_t k = 0; k < VBG__ARRAY_LEN(conj); k++) {
    size_t n = strlen(conj[k]);
    for (size_t i = a; i + n < b; i++) {
      if (memcmp(s + i, conj[k], n) != 0)
        continue;
      size_t p = i + n;
      size_t q = p;
      int spaces = 0;
      while (q < b && spaces < 3) {
        if (s[q] == ' ' || s[q] == '\n')
          spaces++;
        q++;
        if (spaces >= 1 && vbg__type_word_find(s + p, q - p - 1))
          return 1;
      }
    }
  }
  return 0;
}

static const char *const impl_blockers[] = {
    "yêu cầu", "đề nghị", "chỉ đạo", "kết quả", " sau ", "Sau ", "đánh giá"};

/* "5 năm", "10 năm": a period of implementation, not a document ("tháng 10
 * năm 2024" is a date). */
static int has_years_span(const char *s, size_t a, size_t b) {
  size_t n = strlen(" năm");
  for (size_t i = a + 1; i + n <= b; i++) {
    if (memcmp(s + i, " năm", n) != 0 || s[i - 1] < '0' || s[i - 1] > '9')
      continue;
    size_t j = i + n;
    while (j < b && s[j] == ' ')
      j++;
    int year = j + 4 <= b && (s[j] == '1' || s[j] == '2') && s[j + 1] >= '0' &&
               s[j + 1] <= '9' && s[j + 2] >= '0' && s[j + 2] <= '9' &&
               s[j + 3] >= '0' && s[j + 3] <= '9';
    if (!year)
      return 1;
  }
  return 0;
}

static long source_before(const vbg__win *w, const cue *c, size_t lo) {
  const char *s = w->t->s;
  long best = -1;
  /* candidates are sorted by start: walk back from the cue, not over all */
  for (size_t i = first_after(w, c->s); i-- > 0;) {
    const vbg__cand *x = &w->cands->v[i];
    if (x->nstart < lo)
      break;
    if (!x->dropped && x->code_end <= c->s) {
      best = (long)i;
      break;
    }
  }
  if (best < 0)
    return -1;
  const vbg__cand *x = &w->cands->v[best];
  size_t a = x->code_end, b = c->s;
  if (b - a > 350 || has_any(s, a, b, ";") || other_document_between(s, a, b))
    return -1;
  /* "quán triệt Kết luận 114, thực hiện Quyết định 217": two verbs, the
   * first mention is the object of the first, not the subject of the
   * second */
  if (has_any(s, a, b, ",") && plain_sep(s, a, b))
    return -1;
  if (c->type == VBG_REL_IMPLEMENTS && has_years_span(s, a, b))
    return -1;
  if (c->type == VBG_REL_IMPLEMENTS)
    for (size_t k = 0; k < VBG__ARRAY_LEN(impl_blockers); k++)
      if (contains(s, a, b, impl_blockers[k]))
        return -1;
  return best;
}

/* ------------------------------------------------------------------ */
/* Cues                                                                */
/* ------------------------------------------------------------------ */

static int inside_mention(const vbg__win *w, size_t a, size_t b) {
  /* candidates are sorted by start; a mention is a few hundred bytes */
  size_t k = first_after(w, b);
  while (k > 0) {
    const vbg__cand *c = &w->cands->v[--k];
    if (a < c->code_end && b > c->nstart)
      return 1;
    if (c->nstart + 1024 < a)
      break;
  }
  return 0;
}

/* The cue pattern of scan.c (VBG__PAT_CUE) spelt out, alternative by
 * alternative, so that most places need no call to PCRE2 (some nine hundred
 * instructions each).  ", " stands for ",?\s+" and " " for "\s+".  Each
 * phrase has its upper-case twin of the same bytes but the last of some
 * letters, so a byte matches when it equals either twin's.  Phrases that
 * start alike are kept as one stem and the ends tried in turn, which is
 * what the pattern's ordered alternatives amount to.  cue_at answers
 * only where the answer is certain and hands anything unusual (a non-ASCII
 * space, a letter outside Latin) to the pattern, which stays the
 * definition.  So do the amending phrases once past "sửa đổi" or "điều
 * chỉnh": they are rare, the optional comma is best left to the pattern,
 * and the pattern's own failures (a match limit) stay reachable. */
typedef struct cue_stem {
  const char *lo, *up; /* the start the phrases share */
  const char *ends[8]; /* their ends in order, each with its twin; NULL */
  vbg_rel type;
} cue_stem;

/* The phrases by their first two letters, in the pattern's order (phrases
 * of other first letters cannot match there). */
static const cue_stem stems_hu[] = {
    {"hướng dẫn",
     "HƯỚNG DẪN",
     {" thi hành", " THI HÀNH", " thực hiện", " THỰC HIỆN", "", "", NULL},
     VBG_REL_GUIDES},
    {NULL, NULL, {NULL}, VBG_REL_CITES}};
static const cue_stem stems_tr[] = {{"triển khai",
                                     "TRIỂN KHAI",
                                     {" thực hiện", " THỰC HIỆN", "", "", NULL},
                                     VBG_REL_IMPLEMENTS},
                                    {NULL, NULL, {NULL}, VBG_REL_CITES}};
static const cue_stem stems_ti[] = {{"tiếp tục thực hiện",
                                     "TIẾP TỤC THỰC HIỆN",
                                     {"", "", NULL},
                                     VBG_REL_IMPLEMENTS},
                                    {NULL, NULL, {NULL}, VBG_REL_CITES}};
static const cue_stem stems_to[] = {
    {"tổ chức thực hiện",
     "TỔ CHỨC THỰC HIỆN",
     {"", "", NULL},
     VBG_REL_IMPLEMENTS},
    {"tổng kết", "TỔNG KẾT", {"", "", NULL}, VBG_REL_REVIEWS},
    {NULL, NULL, {NULL}, VBG_REL_CITES}};
static const cue_stem stems_th[] = {
    {"thực hiện", "THỰC HIỆN", {"", "", NULL}, VBG_REL_IMPLEMENTS},
    {"thể chế h",
     "THỂ CHẾ H",
     {"óa", "ÓA", "oá", "OÁ", NULL},
     VBG_REL_IMPLEMENTS},
    {"thay thế", "THAY THẾ", {"", "", NULL}, VBG_REL_REPLACES},
    {NULL, NULL, {NULL}, VBG_REL_CITES}};
static const cue_stem stems_cu[] = {{"cụ thể h",
                                     "CỤ THỂ H",
                                     {"óa", "ÓA", "oá", "OÁ", NULL},
                                     VBG_REL_IMPLEMENTS},
                                    {NULL, NULL, {NULL}, VBG_REL_CITES}};
static const cue_stem stems_ca[] = {
    {"căn cứ", "CĂN CỨ", {"", "", NULL}, VBG_REL_BASED_ON},
    {NULL, NULL, {NULL}, VBG_REL_CITES}};
static const cue_stem stems_su[] = {{"sửa đổi",
                                     "SỬA ĐỔI",
                                     {", bổ sung", ", BỔ SUNG", "", "", NULL},
                                     VBG_REL_AMENDS},
                                    {NULL, NULL, {NULL}, VBG_REL_CITES}};
static const cue_stem stems_so[] = {
    {"sơ kết", "SƠ KẾT", {"", "", NULL}, VBG_REL_REVIEWS},
    {NULL, NULL, {NULL}, VBG_REL_CITES}};
static const cue_stem stems_di[] = {{"điều chỉnh",
                                     "ĐIỀU CHỈNH",
                                     {", bổ sung", ", BỔ SUNG", NULL},
                                     VBG_REL_AMENDS},
                                    {NULL, NULL, {NULL}, VBG_REL_CITES}};

enum { CUE_NO = 0, CUE_YES = 1, CUE_UNSURE = -1 };

static int is_ascii_letter(unsigned char b) {
  return (unsigned char)((b | 0x20) - 'a') < 26;
}

/* Is the character at p[y] (y < end) a letter, \p{L}?  Sure only for ASCII
 * and the Latin blocks Vietnamese uses, and for Latin-1 symbols and general
 * punctuation (U+2000..U+206F); CUE_UNSURE otherwise. */
static int letter_at(const unsigned char *p, size_t y, size_t end) {
  unsigned char b = p[y], b1 = y + 1 < end ? p[y + 1] : 0,
                b2 = y + 2 < end ? p[y + 2] : 0;
  if (b < 0x80)
    return is_ascii_letter(b);
  if (b == 0xC2) /* U+0080..U+00BF: ª µ º */
    return b1 == 0xAA || b1 == 0xB5 || b1 == 0xBA;
  if (b == 0xC3) /* U+00C0..U+00FF but × ÷ */
    return b1 != 0x97 && b1 != 0xB7;
  if (b >= 0xC4 && b <= 0xC9) /* U+0100..U+027F */
    return 1;
  if (b == 0xE1 && (b1 == 0xBA || b1 == 0xBB)) /* U+1E80..U+1EFF */
    return 1;
  if (b == 0xE2 && (b1 == 0x80 || (b1 == 0x81 && b2 < 0xB0)))
    return 0; /* U+2000..U+206F */
  return CUE_UNSURE;
}

/* The same for the character that ends just before p[x] (x > 0). */
static int letter_before(const unsigned char *p, size_t x) {
  size_t y = x - 1;
  while (y > 0 && x - y < 4 && (p[y] & 0xC0) == 0x80)
    y--;
  return letter_at(p, y, x);
}

/* May p[y] (y < end), a byte that is not ASCII white space, start a Unicode
 * space?  No for U+00C0..U+07FF and U+1E80..U+1EFF. */
static int may_be_space(const unsigned char *p, size_t y, size_t end) {
  if (p[y] < 0x80 || (p[y] >= 0xC3 && p[y] <= 0xDF))
    return 0;
  return !(p[y] == 0xE1 && y + 1 < end &&
           (p[y + 1] == 0xBA || p[y + 1] == 0xBB));
}

/* Match the bytes of lo (or of its twin up) from lo[k] at p[y], up to end:
 * CUE_YES with *out after them, CUE_NO or CUE_UNSURE. */
static int cue_part_at(const unsigned char *p, size_t y, size_t k, size_t end,
                       const char *lo_, const char *up_, size_t *out) {
  const unsigned char *lo = (const unsigned char *)lo_,
                      *up = (const unsigned char *)up_;
  for (;;) {
    unsigned char c = lo[k];
    if (c > ',') { /* a byte of a letter */
      if (y < end && (p[y] == c || p[y] == up[k])) {
        y++;
        k++;
        continue;
      }
      /* the other case of k and s outside ASCII: KELVIN SIGN, long s */
      if (c == 'k' && y + 3 <= end && p[y] == 0xE2 && p[y + 1] == 0x84 &&
          p[y + 2] == 0xAA) {
        y += 3;
        k++;
        continue;
      }
      if (c == 's' && y + 2 <= end && p[y] == 0xC5 && p[y + 1] == 0xBF) {
        y += 2;
        k++;
        continue;
      }
      return CUE_NO;
    }
    if (c == 0)
      break;
    if (c == ',')
      return CUE_UNSURE; /* see above */
    /* a blank: \s+ */
    k++;
    size_t y0 = y;
    while (y < end && (p[y] == ' ' || (p[y] >= '\t' && p[y] <= '\r')))
      y++;
    if (y < end && may_be_space(p, y, end))
      return CUE_UNSURE;
    if (y == y0)
      return CUE_NO;
  }
  *out = y;
  return CUE_YES;
}

/* The pattern's closing (?![\p{L}]) at p[y]. */
static int cue_end_at(const unsigned char *p, size_t y, size_t end) {
  int letter = y < end ? letter_at(p, y, end) : 0;
  return letter == CUE_UNSURE ? CUE_UNSURE : letter ? CUE_NO : CUE_YES;
}

/* Match the phrases of stem a from its byte k at p[y]: CUE_YES with *out at
 * the end of the first that matches, CUE_NO or CUE_UNSURE. */
static int cue_stem_at(const unsigned char *p, size_t y, size_t k, size_t end,
                       const cue_stem *a, size_t *out) {
  int r = cue_part_at(p, y, k, end, a->lo, a->up, &y);
  if (r != CUE_YES)
    return r;
  for (const char *const *e = a->ends; *e; e += 2) {
    size_t z = y;
    r = cue_part_at(p, y, 0, end, e[0], e[1], &z);
    if (r == CUE_YES)
      r = cue_end_at(p, z, end);
    if (r == CUE_YES)
      *out = z;
    if (r != CUE_NO)
      return r;
  }
  return CUE_NO;
}

/* Does the cue pattern match at p[x] (the text ends at end)?  CUE_YES with
 * the end and type, CUE_NO, or CUE_UNSURE when only the pattern can tell. */
static int cue_at(const unsigned char *p, size_t x, size_t end, size_t *ce,
                  vbg_rel *type) {
  /* the first letter, then the second letter's first byte (which is the
   * same in both cases) choose the phrases */
  size_t y = x + 1, k = 1;
  unsigned char first = (unsigned char)(p[x] | 0x20);
  if (p[x] == 0xC4) { /* đ, Đ */
    if (y >= end || (p[y] & 0xFE) != 0x90)
      return CUE_NO;
    first = 0xC4;
    y++;
    k++;
  } else if (p[x] == 0xC5) { /* ſ, U+017F, matches s */
    if (y >= end || p[y] != 0xBF)
      return CUE_NO;
    first = 's';
    y++;
  }
  if (y >= end)
    return CUE_NO;
  unsigned char second = p[y] < 0x80 ? (unsigned char)(p[y] | 0x20) : p[y];
  /* ổ, ụ, ử (E1 BB 95, A5, AD, upper case one less) are told apart by the
   * third byte, which rules out số, sự, của, tỉnh, ... at once */
  unsigned char third = second == 0xE1 && y + 2 < end && p[y + 1] == 0xBB
                            ? (unsigned char)(p[y + 2] | 1)
                            : 0;
  const cue_stem *a = NULL;
  switch (first) {
  case 'h':
    a = second == 0xC6 ? stems_hu : NULL;
    break;
  case 't':
    a = second == 'r'   ? stems_tr
        : second == 'i' ? stems_ti
        : third == 0x95 ? stems_to
        : second == 'h' ? stems_th
                        : NULL;
    break;
  case 'c':
    a = third == 0xA5 ? stems_cu : second == 0xC4 ? stems_ca : NULL;
    break;
  case 's':
    a = third == 0xAD ? stems_su : second == 0xC6 ? stems_so : NULL;
    break;
  case 0xC4:
    a = stems_di;
    break;
  default:
    break;
  }
  if (!a)
    return CUE_NO;
  int r = CUE_NO;
  while (a->lo && (r = cue_stem_at(p, y, k, end, a, ce)) == CUE_NO)
    a++;
  if (r == CUE_NO)
    return CUE_NO;
  int before = x > 0 ? letter_before(p, x) : 0;
  if (before == 1)
    return CUE_NO;
  if (r == CUE_UNSURE || before == CUE_UNSURE)
    return CUE_UNSURE;
  *type = a->type;
  return CUE_YES;
}

#if defined(__SSE2__)
/* The places among the sixteen at p (p[-1] .. p[17] readable) where a cue
 * may start: no ASCII letter before, then the first three bytes of a phrase
 * in either case, a little widened where that saves work: t, c or s and ổ,
 * ụ, ử (E1 BB); t, r, i; t, i, E1 (ế); t, h, E1 (ự, ể) or a; h or s and ư
 * or ơ (C6, a high byte); c and ă (C4, a high byte); đ or Đ and i; ſ (C5
 * BF) and a high byte. */
static unsigned cue_mask16(const unsigned char *p) {
  const __m128i low = _mm_set1_epi8(0x20), e1 = _mm_set1_epi8((char)0xE1),
                zero = _mm_setzero_si128();
#define LOAD(q) _mm_loadu_si128((const __m128i *)(const void *)(q))
#define EQ(a, b) _mm_cmpeq_epi8(a, _mm_set1_epi8((char)(b)))
  __m128i prev = LOAD(p - 1), v = LOAD(p), n1 = LOAD(p + 1), n2 = LOAD(p + 2);
  __m128i l = _mm_or_si128(v, low), l1 = _mm_or_si128(n1, low),
          l2 = _mm_or_si128(n2, low);
  __m128i t = EQ(l, 't'), h = EQ(l, 'h'), c = EQ(l, 'c'), s = EQ(l, 's');
  __m128i n2e1 = _mm_cmpeq_epi8(n2, e1), n2high = _mm_cmplt_epi8(n2, zero);
  __m128i m =
      _mm_and_si128(_mm_or_si128(_mm_or_si128(t, c), s),
                    _mm_and_si128(_mm_cmpeq_epi8(n1, e1), EQ(n2, 0xBB)));
  __m128i tt =
      _mm_or_si128(_mm_or_si128(_mm_and_si128(EQ(l1, 'r'), EQ(l2, 'i')),
                                _mm_and_si128(EQ(l1, 'i'), n2e1)),
                   _mm_and_si128(EQ(l1, 'h'), _mm_or_si128(n2e1, EQ(l2, 'a'))));
  m = _mm_or_si128(m, _mm_and_si128(t, tt));
  __m128i hi = _mm_or_si128(_mm_and_si128(_mm_or_si128(h, s), EQ(n1, 0xC6)),
                            _mm_and_si128(c, EQ(n1, 0xC4)));
  hi = _mm_or_si128(hi, _mm_and_si128(EQ(v, 0xC5), EQ(n1, 0xBF)));
  m = _mm_or_si128(m, _mm_and_si128(hi, n2high));
  m = _mm_or_si128(
      m, _mm_and_si128(_mm_and_si128(EQ(v, 0xC4), EQ(l2, 'i')),
                       EQ(_mm_and_si128(n1, _mm_set1_epi8((char)0xFE)), 0x90)));
  /* an ASCII letter before: (b | 0x20) - 'a' < 26 */
  __m128i pl = _mm_sub_epi8(_mm_or_si128(prev, low), _mm_set1_epi8('a'));
  __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(pl, _mm_set1_epi8(25)), pl);
#undef EQ
#undef LOAD
  return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(letter, m));
}
#endif

/* The cue starting at x, if any, into *out: 1, 0, or VBG_EREGEX. */
static int cue_here(const vbg__win *w, size_t x, size_t end, int *g, cue *out) {
  size_t ce = 0;
  vbg_rel type = VBG_REL_CITES;
  int r = cue_at((const unsigned char *)w->t->s, x, end, &ce, &type);
  if (r == CUE_NO)
    return 0;
  if (r == CUE_UNSURE) {
    static const char *const names[] = {"guide", "impl", "base",
                                        "amend", "repl", "review"};
    static const vbg_rel types[] = {VBG_REL_GUIDES,   VBG_REL_IMPLEMENTS,
                                    VBG_REL_BASED_ON, VBG_REL_AMENDS,
                                    VBG_REL_REPLACES, VBG_REL_REVIEWS};
    const vbg__re *re = w->ex->pats[VBG__PAT_CUE];
    size_t ov[2 * 8];
    r = vbg__re_match(re, w->m, w->t->s, end, x, 0, ov, 8);
    if (r <= 0)
      return r;
    if (g[0] == -2)
      for (int k = 0; k < 6; k++)
        g[k] = vbg__group(re, names[k]);
    ce = ov[1];
    for (int k = 0; k < 6; k++)
      if (g[k] >= 0 && ov[2 * g[k]] != SIZE_MAX)
        type = types[k];
  }
  out->s = x;
  out->e = ce;
  out->type = type;
  out->leading = 0;
  return 1;
}

/* The first cue in s[pos, end), into *out: sixteen places at a time where
 * the window allows the reads (a place past end is never taken), else one
 * by one. */
static int next_cue(const vbg__win *w, size_t pos, size_t end, int *g,
                    cue *out) {
  for (size_t x = pos; x < end;) {
    unsigned bits = 1, n = 1;
#if defined(__SSE2__)
    if (x > 0 && x + 18 <= w->t->len) {
      bits = cue_mask16((const unsigned char *)w->t->s + x);
      n = 16;
      if (end - x < 16)
        bits &= (1u << (end - x)) - 1;
    }
#endif
    for (; bits; bits &= bits - 1) {
      int r = cue_here(w, x + (size_t)__builtin_ctz(bits), end, g, out);
      if (r != 0)
        return r;
    }
    x += n;
  }
  return 0;
}

static int collect_cues(vbg__win *w, sents *st, cue **out, size_t *n) {
  int g[6] = {-2}; /* the pattern's groups, looked up when first needed */
  size_t pos = 0, cap = 0, region_end = 0, next_cand = 0;
  *out = NULL;
  *n = 0;
  /* Relations join mentions of one sentence: look for cues only in the
   * sentences that hold a candidate. */
  while (pos < w->t->len) {
    if (pos >= region_end) {
      while (next_cand < w->cands->n && w->cands->v[next_cand].code_end <= pos)
        next_cand++;
      if (next_cand == w->cands->n)
        break;
      const vbg__cand *c = &w->cands->v[next_cand];
      size_t a = sentence_start(st, c->nstart);
      region_end = sentence_end(st, c->code_end);
      /* extend over the following candidates' sentences when they touch */
      while (next_cand + 1 < w->cands->n &&
             w->cands->v[next_cand + 1].nstart <= region_end) {
        next_cand++;
        size_t e = sentence_end(st, w->cands->v[next_cand].code_end);
        if (e > region_end)
          region_end = e;
      }
      next_cand++;
      if (a > pos)
        pos = a;
      if (region_end < w->t->len)
        region_end++;
    }
    cue c;
    int r = next_cue(w, pos, region_end, g, &c);
    if (r < 0)
      return r;
    if (r == 0) {
      pos = region_end;
      continue;
    }
    pos = c.e;
    if (inside_mention(w, c.s, c.e))
      continue;
    size_t sa = sentence_start(st, c.s);
    c.leading = lead_pos(w->t->s, w->t->len, sa) == c.s;
    /* "Căn cứ ...; thực hiện Kế hoạch số ..., UBND xã xây dựng ...": a cue
     * opening a semicolon item leads that item */
    size_t k = c.s;
    while (k > sa && is_ws_mark(w->t->s[k - 1]))
      k--;
    if (k > sa && w->t->s[k - 1] == ';' &&
        (c.type == VBG_REL_IMPLEMENTS || c.type == VBG_REL_BASED_ON))
      c.leading = 1;
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      cue *v = vbg__realloc(*out, cap * sizeof(*v));
      if (!v)
        return VBG_ENOMEM;
      *out = v;
    }
    (*out)[(*n)++] = c;
  }
  return VBG_OK;
}

static int keep_cue(const vbg__win *w, const cue *c) {
  size_t o = vbg__text_orig(w->t, c->s);
  return o >= w->accept_lo && o < w->accept_hi;
}

/* Is the implements cue part of "sơ kết 5 năm thực hiện"? */
static int after_review(const char *s, const cue *cues, size_t i) {
  for (size_t k = i; k-- > 0;) {
    if (cues[i].s - cues[k].e > 40)
      break;
    if (cues[k].type == VBG_REL_REVIEWS &&
        !has_any(s, cues[k].e, cues[i].s, ".;,:"))
      return 1;
  }
  return 0;
}

/* "ban hành Kế hoạch thực hiện ...": the unnumbered document is the
 * input's own one when its type matches the header's. */
static int names_self(const vbg__win *w, size_t a, size_t b) {
  if (w->self < 0)
    return 0;
  const vbg__cand *self = &w->cands->v[w->self];
  const char *s = w->t->s;
  for (size_t i = a; i + strlen("ban hành ") < b; i++) {
    if (memcmp(s + i, "ban hành ", strlen("ban hành ")) != 0)
      continue;
    size_t p = i + strlen("ban hành ");
    for (size_t q = p + 1; q <= b && q - p < 40; q++) {
      const vbg__type_word *tw = vbg__type_word_find(s + p, q - p);
      if (tw && vbg__type_word_accepts(tw, self->type_code))
        return 1;
    }
  }
  return 0;
}

/* "Thành ủy Hà Nội tổ chức Hội nghị sơ kết ...": the body that holds a
 * review, canonical, into by ("" when the sentence names none). */
static int reviewer(const vbg__win *w, sents *st, const cue *cues, size_t i,
                    char *by, size_t cap) {
  const char *s = w->t->s;
  by[0] = '\0';
  /* the review word itself ("sơ kết"), which an implements cue follows */
  size_t at = cues[i].s;
  /* cues do not overlap and come in order: the earlier, the farther */
  for (size_t k = i; k-- > 0 && at - cues[k].e <= 40;)
    if (cues[k].type == VBG_REL_REVIEWS) {
      at = cues[k].s;
      break;
    }
  size_t lo = sentence_start(st, at);
  /* The body and its verb stand just before the review word: look no
   * further back than a long body name and "tổ chức Hội nghị" take, so a
   * sentence of a thousand reviews costs no more per review than one. */
  if (at - lo > 400) {
    lo = at - 400;
    while (lo < at && !is_ws(s[lo]))
      lo++;
  }
  for (size_t k = at; k > lo; k--)
    if (s[k - 1] == ',' || s[k - 1] == ';') {
      lo = k;
      break;
    }
  /* every verb below holds one of these: without them no body qualifies */
  if (!contains(s, lo, at, "tổ chức") && !contains(s, lo, at, "họp") &&
      !contains(s, lo, at, "tiến hành"))
    return VBG_OK;
  for (size_t p = lo; p < at; p++) {
    if (p > lo && !is_ws(s[p - 1]))
      continue;
    size_t e = vbg__body_phrase(s, at, p);
    if (!e)
      continue;
    const char *verbs[] = {"tổ chức", "đã tổ chức", "họp", "tiến hành",
                           "đã tiến hành"};
    size_t q = vbg__skip_space(s, at, e);
    for (size_t v = 0; v < VBG__ARRAY_LEN(verbs); v++)
      if (at - q >= strlen(verbs[v]) &&
          memcmp(s + q, verbs[v], strlen(verbs[v])) == 0) {
        vbg_buf name;
        vbg_buf_init(&name);
        int err = vbg_body_canonical(&name, s + p, e - p);
        if (err == 0 && name.size < cap)
          memcpy(by, name.ptr, name.size + 1);
        vbg_buf_dispose(&name);
        return err;
      }
  }
  return VBG_OK;
}

/* What inner_cue learnt about the sentence of the previous cue. */
typedef struct sent_memo {
  size_t sa, sb; /* the sentence; sa == SIZE_MAX before the first */
  int leading;   /* it holds a leading implements/based_on cue */
  size_t semi_sa, semi_at, semi; /* last ';' + 1 in [semi_sa, semi_at) */
} sent_memo;

static int inner_cue(vbg__win *w, sents *st, const cue *cues, size_t ncues,
                     size_t i, char *claimed, sent_memo *memo) {
  const char *s = w->t->s;
  const cue *c = &cues[i];
  size_t sa = sentence_start(st, c->s), sb = sentence_end(st, c->e);
  /* cues are in text order: those of this sentence are around i; the
   * answer is kept for the next cue of the same sentence */
  if (memo->sa != sa || memo->sb != sb) {
    size_t k0 = i;
    while (k0 > 0 && cues[k0 - 1].s >= sa)
      k0--;
    memo->sa = sa;
    memo->sb = sb;
    memo->leading = 0;
    for (size_t k = k0; k < ncues && cues[k].s < sb; k++)
      if (cues[k].leading && (cues[k].type == VBG_REL_IMPLEMENTS ||
                              cues[k].type == VBG_REL_BASED_ON))
        memo->leading = 1;
  }
  int leading_sentence = memo->leading;
  size_t tg[64];
  int weak = 0;
  /* "thay thế A; B": a list of replaced or amended documents may run over
   * semicolons; an enumeration "... thực hiện A; Chương trình B ..." is a
   * list of documents, each with its own relations. */
  int semis = !leading_sentence && c->type != VBG_REL_IMPLEMENTS &&
              c->type != VBG_REL_REVIEWS;
  size_t nt = targets_after(w, c->e, sb, semis, cues, ncues, tg, 64, &weak);
  for (size_t k = 0; k < nt; k++)
    claimed[tg[k]] = 1;
  if (nt == 0 || weak || !keep_cue(w, c))
    return VBG_OK;
  if (c->type == VBG_REL_REVIEWS ||
      (c->type == VBG_REL_IMPLEMENTS && after_review(s, cues, i))) {
    char by[160];
    int err = reviewer(w, st, cues, i, by, sizeof(by));
    for (size_t k = 0; err == 0 && k < nt; k++) {
      err = add_rel(w, orig(w, &w->cands->v[tg[k]]), &w->cands->v[tg[k]],
                    VBG_REL_REVIEWS, c);
      if (err == 0)
        memcpy(w->rels[w->nrels - 1].by, by, sizeof(by));
    }
    return err;
  }
  size_t lo = sa;
  if (leading_sentence) {
    /* the last ';' before the cue, found once per sentence and then moved
     * forward cue by cue */
    if (memo->semi_at > c->s || memo->semi_sa != sa) {
      memo->semi_sa = sa;
      memo->semi_at = sa;
      memo->semi = sa;
    }
    for (size_t k = memo->semi_at; k < c->s; k++)
      if (s[k] == ';')
        memo->semi = k + 1;
    memo->semi_at = c->s;
    lo = memo->semi;
  }
  long src = source_before(w, c, lo);
  size_t src_orig;
  if (src >= 0)
    src_orig = orig(w, &w->cands->v[src]);
  else if (w->self_orig != SIZE_MAX && (c->leading || names_self(w, sa, c->s)))
    src_orig =
        w->self_orig; /* "Điều 2. Sửa đổi, bổ sung ...": the document itself */
  else
    return VBG_OK;
  for (size_t k = 0; k < nt; k++) {
    int err = add_rel(w, src_orig, &w->cands->v[tg[k]], c->type, c);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

/* The targets of a leading cue: the mention right after it, the first
 * mention of each later semicolon item, and list continuations of those;
 * mentions claimed by inner cues belong to their own items. */
static int leading_target(const vbg__win *w, size_t prev_end,
                          const vbg__cand *x, int first, size_t cue_end) {
  const char *s = w->t->s;
  if (first)
    return x->nstart - cue_end <= 100 &&
           !has_any(s, cue_end, x->nstart, ".;:!?()") &&
           count_words(s, cue_end, x->nstart) <= 7;
  if (plain_sep(s, prev_end, x->nstart))
    return 1;
  /* "...; Chỉ thị số 02-CT/TU ... về lãnh đạo cuộc bầu cử ... và Chỉ thị số
   * 007/CT-UBND": the last item of a list joined by "và" after a title */
  size_t k0 = x->nstart;
  while (k0 > prev_end && is_ws(s[k0 - 1]))
    k0--;
  if (k0 >= prev_end + 4 && memcmp(s + k0 - 3, "và", 3) == 0 &&
      is_ws(s[k0 - 4]) && !has_any(s, prev_end, x->nstart, ".:!?"))
    return 1;
  for (size_t k = x->nstart; k > prev_end; k--)
    if (s[k - 1] == ';')
      return count_words(s, k, x->nstart) <= 3 &&
             !has_any(s, k, x->nstart, ".:!?()");
  return 0;
}

static int leading_cue(vbg__win *w, sents *st, const cue *cues, size_t ncues,
                       size_t ci, const char *claimed) {
  const char *s = w->t->s;
  const cue *c = &cues[ci];
  size_t sb = sentence_end(st, c->e);
  /* the scope ends where the next leading cue of the sentence begins
   * (cues are in text order: none after the sentence's end can) */
  for (size_t k = ci + 1; k < ncues && cues[k].s < sb; k++)
    if (cues[k].leading && (cues[k].type == VBG_REL_IMPLEMENTS ||
                            cues[k].type == VBG_REL_BASED_ON)) {
      sb = cues[k].s;
      break;
    }
  /* The source: a mention introduced by "ban hành" later in the sentence. */
  size_t src_orig = SIZE_MAX, stop = sb, i0 = first_after(w, c->e);
  for (size_t i = i0; i < w->cands->n; i++) {
    const vbg__cand *x = &w->cands->v[i];
    if (x->dropped || x->nstart >= sb)
      break;
    /* the source is never the first mention, and a comma comes before it:
     * the pattern is asked only then */
    if (i == i0 || !contains(s, c->e, x->nstart, ","))
      continue;
    size_t lo = x->nstart > 40 ? x->nstart - 40 : 0, verb;
    while (lo > 0 && ((unsigned char)s[lo] & 0xC0) == 0x80)
      lo++;
    int r = vbg__issue_verb(w, lo, x->nstart, &verb);
    if (r < 0)
      return r;
    if (r == 1) {
      src_orig = orig(w, x);
      stop = x->nstart;
      break;
    }
  }
  if (src_orig == SIZE_MAX)
    src_orig = w->self_orig;
  if (src_orig == SIZE_MAX)
    return VBG_OK;
  size_t prev_end = c->e;
  int first = 1;
  for (size_t i = first_after(w, c->e); i < w->cands->n; i++) {
    const vbg__cand *x = &w->cands->v[i];
    if (x->nstart >= stop)
      break;
    if (x->dropped || claimed[i])
      continue;
    if (!leading_target(w, prev_end, x, first, c->e)) {
      if (first)
        break;
      continue;
    }
    first = 0;
    prev_end = x->tail_end > x->nstart ? x->tail_end : x->code_end;
    if (x->header || orig(w, x) == src_orig)
      continue;
    int err = add_rel(w, src_orig, x, c->type, c);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

int vbg__relate(vbg__win *w) {
  if ((w->ex->options & VBG_OPT_NO_RELATIONS) || w->cands->n == 0)
    return VBG_OK;
  cue *cues = NULL;
  size_t ncues = 0;
  /* one block: the sentence cache, then a flag per candidate */
  size_t nsent = sents_size(w->t->len);
  unsigned char *mem = vbg__calloc(nsent + w->cands->n + 1, 1);
  if (!mem)
    return VBG_ENOMEM;
  sents st;
  sents_init(&st, w->t->s, w->t->len, mem);
  char *claimed = (char *)mem + nsent;
  int err = collect_cues(w, &st, &cues, &ncues);
  sent_memo memo = {SIZE_MAX, 0, 0, SIZE_MAX, 0, 0};
  for (size_t i = 0; err == 0 && i < ncues; i++)
    if (!cues[i].leading || cues[i].type == VBG_REL_REVIEWS ||
        cues[i].type == VBG_REL_AMENDS || cues[i].type == VBG_REL_REPLACES ||
        cues[i].type == VBG_REL_GUIDES)
      err = inner_cue(w, &st, cues, ncues, i, claimed, &memo);
  for (size_t i = 0; err == 0 && i < ncues; i++)
    if (cues[i].leading && keep_cue(w, &cues[i]) &&
        (cues[i].type == VBG_REL_IMPLEMENTS ||
         cues[i].type == VBG_REL_BASED_ON))
      err = leading_cue(w, &st, cues, ncues, i, claimed);
  vbg__free(cues);
  vbg__free(mem);
  return err;
}
