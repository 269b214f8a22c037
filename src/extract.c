/*
 * extract.c - the pipeline driver: the extractor (compiled patterns), the
 * stream that cuts any input into windows of about a MiB, runs the stages
 * on each window (text, scan, parse, context, relate) and keeps the
 * references whose start falls in the window's own part, and the reference
 * list handed to the caller.
 *
 *   raw input  |---------- window ----------|
 *                 behind |== accepted ==| ahead
 *
 * The parts behind and ahead give the stages their context; each reference
 * and each relation cue is accepted by exactly one window.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "extract.h"
#include "refs.h"

#define WINDOW (1u << 20)
#define MARGIN (8u << 10)
#define HEADER_ZONE 8192u

struct vbg_stream {
  const vbg_extractor *ex;
  vbg__matcher *m;
  vbg_buf raw; /* raw.ptr[0] is input byte raw_base */
  size_t raw_base;
  size_t accepted; /* every reference starting before this is decided */
  size_t total;    /* bytes fed */
  size_t lines_pos, lines;
  vbg__utf8_check chk;
  int normalized, finished;
  int had_bom; /* the input began with a byte order mark */
  size_t self_orig;
  vbg__resolver *rs;
  size_t window, margin; /* WINDOW and MARGIN, but for tests */
  size_t room;           /* bytes vbg_stream_room offered, not committed */
  /* a window's working storage, kept for the next one */
  vbg__text text;
  vbg__cands cands;
  vbg__prel *rels;
  size_t arels;
};

/* ------------------------------------------------------------------ */
/* Extractor                                                           */
/* ------------------------------------------------------------------ */

static int vbg_extractor_new_impl(vbg_extractor **out, unsigned options) {
  *out = NULL;
  vbg_extractor *ex = vbg__calloc(1, sizeof(*ex));
  if (!ex)
    return VBG_ENOMEM;
  int err = vbg__patterns_new(&ex->pats);
  if (err < 0) {
    vbg__free(ex);
    return err;
  }
  ex->options = options;
  vbg__groups_init(&ex->g, ex->pats);
  *out = ex;
  return VBG_OK;
}

void vbg_extractor_free(vbg_extractor *ex) {
  if (!ex)
    return;
  vbg__patterns_free(ex->pats);
  vbg__free(ex);
}

/* ------------------------------------------------------------------ */
/* Stream                                                              */
/* ------------------------------------------------------------------ */

int vbg_stream_new(vbg_stream **out, const vbg_extractor *ex) {
  *out = NULL;
  vbg_stream *s = vbg__calloc(1, sizeof(*s));
  if (!s)
    return VBG_ENOMEM;
  s->ex = ex;
  s->self_orig = SIZE_MAX;
  s->window = WINDOW;
  s->margin = MARGIN;
  vbg_buf_init(&s->raw);
  int err = vbg__matcher_new(&s->m);
  if (err == 0)
    err = vbg__resolver_new(&s->rs);
  if (err < 0) {
    vbg_stream_free(s);
    return err;
  }
  *out = s;
  return VBG_OK;
}

/* Tests only (declared by the tests that use it): smaller windows, margins
 * and look-backs, so that a small input goes through everything a large
 * one does.  The references found near a window's edge may then differ
 * from the defaults' (less context), but every way of feeding and taking
 * gives the same.  Ignored after the first feed, or unless
 * 256 <= margin and 4 * margin <= window. */
void vbg__stream_tune(vbg_stream *s, size_t window, size_t margin,
                      size_t back_refs, size_t ahead);
void vbg__stream_tune(vbg_stream *s, size_t window, size_t margin,
                      size_t back_refs, size_t ahead) {
  if (s->total != 0 || margin < 256 || window < 4 * margin)
    return;
  s->window = window;
  s->margin = margin;
  vbg__resolver_tune(s->rs, back_refs, ahead);
}

void vbg_stream_free(vbg_stream *s) {
  if (!s)
    return;
  vbg__matcher_free(s->m);
  vbg__text_dispose(&s->text);
  vbg__cands_dispose(&s->cands);
  vbg__free(s->rels);
  vbg_buf_dispose(&s->raw);
  vbg__resolver_free(s->rs);
  vbg__free(s);
}

void vbg_stream_reset(vbg_stream *s) {
  if (!s)
    return;
  /* the raw buffer holds a window and a read's room; one fed a long input
   * in one piece is let go */
  if (s->raw.asize > 4 * (s->window + s->margin))
    vbg_buf_dispose(&s->raw);
  s->raw.size = 0;
  s->raw_base = s->accepted = s->total = 0;
  s->lines_pos = s->lines = 0;
  memset(&s->chk, 0, sizeof(s->chk));
  s->normalized = s->finished = s->had_bom = 0;
  s->self_orig = SIZE_MAX;
  s->room = 0;
  vbg__cands_clear(&s->cands);
  vbg__resolver_reset(s->rs);
}

static int is_cont(const vbg_stream *s, size_t abs) {
  return abs < s->total && abs >= s->raw_base &&
         ((unsigned char)s->raw.ptr[abs - s->raw_base] & 0xC0) == 0x80;
}

/* Where to end the accepted part of a window that cannot hold everything:
 * the last line break in its second half, else the last space, else any
 * code point boundary. */
static size_t choose_cut(const vbg_stream *s, size_t lo) {
  size_t want = lo + s->window, half = lo + s->window / 2;
  const char *r = s->raw.ptr - s->raw_base;
  for (size_t i = want; i > half; i--)
    if (r[i - 1] == '\n')
      return i;
  for (size_t i = want; i > half; i--)
    if (r[i - 1] == ' ')
      return i;
  size_t i = want;
  while (is_cont(s, i))
    i--;
  return i;
}

/* The line feeds in p[0..n); the NUL bytes there are added to *nul.  The
 * stretches between two references hold a few line feeds, and a call to
 * memchr for each costs more than counting them all sixteen bytes at a
 * time. */
static size_t count_newlines(const char *p, size_t n, size_t *nul) {
  size_t count = 0, zeros = 0, i = 0;
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
  while (i + 16 <= n) {
    /* each byte of acc counts up to 255 blocks; then they are summed */
    __m128i acc = zero, accz = zero;
    size_t stop = n - i >= 255 * 16 ? i + 255 * 16 : i + (n - i) / 16 * 16;
    for (; i < stop; i += 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
      acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
      accz = _mm_sub_epi8(accz, _mm_cmpeq_epi8(v, zero));
    }
    __m128i sum = _mm_sad_epu8(acc, zero), sumz = _mm_sad_epu8(accz, zero);
    count += (size_t)_mm_cvtsi128_si32(sum) +
             (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
    zeros += (size_t)_mm_cvtsi128_si32(sumz) +
             (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sumz, 8));
  }
  if (i < n && n >= 16) { /* the last sixteen bytes, less those counted */
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + n - 16));
    unsigned sh = 16 - (unsigned)(n - i);
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)) >> sh,
             z = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)) >> sh;
    *nul += zeros + (size_t)__builtin_popcount(z);
    return count + (size_t)__builtin_popcount(m);
  }
#endif
  for (; i < n; i++) {
    count += p[i] == '\n';
    zeros += p[i] == '\0';
  }
  *nul += zeros;
  return count;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_COUNT32 1
/* count_newlines thirty-two bytes at a time, for processors with AVX2; the
 * last few go to count_newlines. */
__attribute__((target("avx2"))) static size_t
count_newlines32(const char *p, size_t n, size_t *nul) {
  size_t count = 0, zeros = 0, i = 0;
  const __m256i nl = _mm256_set1_epi8('\n'), zero = _mm256_setzero_si256();
  while (i + 32 <= n) {
    __m256i acc = zero, accz = zero;
    size_t stop = n - i >= 255 * 32 ? i + 255 * 32 : i + (n - i) / 32 * 32;
    for (; i < stop; i += 32) {
      __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
      acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(v, nl));
      accz = _mm256_sub_epi8(accz, _mm256_cmpeq_epi8(v, zero));
    }
    /* four 64-bit sums of eight bytes each */
    __m256i sum = _mm256_sad_epu8(acc, zero),
            sumz = _mm256_sad_epu8(accz, zero);
    __m128i s2 = _mm_add_epi64(_mm256_castsi256_si128(sum),
                               _mm256_extracti128_si256(sum, 1)),
            z2 = _mm_add_epi64(_mm256_castsi256_si128(sumz),
                               _mm256_extracti128_si256(sumz, 1));
    count += (size_t)_mm_cvtsi128_si64(s2) +
             (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(s2, s2));
    zeros += (size_t)_mm_cvtsi128_si64(z2) +
             (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(z2, z2));
  }
  *nul += zeros;
  return count + count_newlines(p + i, n - i, nul);
}
#endif

/* Tests only (declared by the test that uses it): 0 counts lines sixteen
 * bytes at a time even where the processor has AVX2; -1 (the default) the
 * widest.  Not for use while other threads extract. */
static int count_choice = -1;
void vbg__count_choice(int choice);
void vbg__count_choice(int choice) { count_choice = choice; }

/* The line feeds in p[0..n), the widest way this processor has. */
static size_t count_newlines_best(const char *p, size_t n, size_t *nul) {
#if defined(HAVE_COUNT32)
  /* short stretches are not worth the AVX2 loop's set-up */
  if (n >= 64 && count_choice != 0 && __builtin_cpu_supports("avx2"))
    return count_newlines32(p, n, nul);
#endif
  return count_newlines(p, n, nul);
}

/* Lines (and NUL bytes) are counted once over the whole input, as the
 * windows are accepted. */
static size_t count_lines(vbg_stream *s, size_t upto) {
  if (upto <= s->lines_pos)
    return s->lines + 1;
  /* raw holds the bytes from raw_base on; lines_pos >= raw_base since
   * lines are counted up to a window's end before its bytes are dropped */
  s->lines += count_newlines_best(s->raw.ptr + (s->lines_pos - s->raw_base),
                                  upto - s->lines_pos, &s->chk.nul);
  s->lines_pos = upto;
  return s->lines + 1;
}

/* Keep the references and relation cues that start in [lo, hi), counting
 * lines as the offsets go up. */
static int accept(vbg_stream *s, vbg__win *w, size_t lo, size_t hi) {
  vbg__prels_sort(w->rels, w->nrels);
  size_t k = 0;
  for (size_t i = 0; i <= w->cands->n; i++) {
    vbg__cand *c = i < w->cands->n ? &w->cands->v[i] : NULL;
    size_t a = c ? vbg__text_orig(w->t, c->nstart) : SIZE_MAX;
    while (k < w->nrels && w->rels[k].cue_start <= a) {
      w->rels[k].line = count_lines(s, w->rels[k].cue_start);
      k++;
    }
    if (!c)
      break;
    if (c->dropped || a < lo || a >= hi)
      continue;
    size_t b = vbg__text_orig(w->t, c->nend);
    size_t line = count_lines(s, a);
    int err =
        vbg__resolver_add(s->rs, c, s->raw.ptr + (a - s->raw_base), a, b, line);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

/* Count invalid UTF-8 in the accepted part [lo, hi), which no other window
 * covers (count_lines counts the NUL bytes).  A window the text stage
 * passed through unchanged, or changed without repairing an invalid
 * sequence (only NFC or a BOM), is valid. */
static void check_accepted(vbg_stream *s, const vbg__text *t, size_t lo,
                           size_t hi) {
  if (hi <= lo || !t->repaired)
    return;
  /* raw holds the bytes from raw_base on */
  const char *from = s->raw.ptr + (lo - s->raw_base);
  vbg__utf8_check c;
  memset(&c, 0, sizeof(c));
  vbg__utf8_check_feed(&c, from, hi - lo, lo);
  vbg__utf8_check_end(&c);
  if (c.bad && s->chk.bad == 0)
    s->chk.first_bad = c.first_bad;
  s->chk.bad += c.bad;
}

static int run_window(vbg_stream *s, size_t lo, size_t hi, size_t wlo,
                      size_t whi) {
  vbg__text *t = &s->text;
  vbg__cands *cands = &s->cands;
  /* an empty stream has no buffer at all: no offset into a null pointer */
  const char *at = s->raw.ptr ? s->raw.ptr + (wlo - s->raw_base) : "";
  int err = vbg__text_prepare(t, at, whi - wlo, wlo, wlo == 0);
  if (err < 0)
    return err;
  s->normalized |= t->changed;
  if (wlo == 0 && whi - wlo >= 3 && memcmp(s->raw.ptr, "\xEF\xBB\xBF", 3) == 0)
    s->had_bom = 1;
  check_accepted(s, t, lo, hi);
  vbg__win w = {.ex = s->ex,
                .m = s->m,
                .t = t,
                .cands = cands,
                .self = -1,
                .self_orig = s->self_orig,
                .rels = s->rels,
                .arels = s->arels,
                .accept_lo = lo,
                .accept_hi = hi};
  if ((err = vbg__find_codes(&w)) < 0 ||
      (err = vbg__find_short_forms(&w)) < 0 || (err = vbg__context(&w)) < 0)
    goto done;
  for (size_t i = 0; i < cands->n; i++) {
    if (!cands->v[i].header || cands->v[i].dropped)
      continue;
    size_t o = vbg__text_orig(t, cands->v[i].nstart);
    /* only the first window: the resolver must know before any reference */
    if (s->self_orig == SIZE_MAX && lo == 0 && o < HEADER_ZONE)
      s->self_orig = w.self_orig = o;
    if (o == s->self_orig)
      w.self = (int)i;
  }
  vbg__resolver_set_self(s->rs, s->self_orig);
  if ((err = vbg__relate(&w)) < 0 || (err = accept(s, &w, lo, hi)) < 0)
    goto done;
  err = vbg__resolver_add_rels(s->rs, w.rels, w.nrels);
done:
  /* the storage stays for the next window; what the cands own goes */
  s->rels = w.rels;
  s->arels = w.arels;
  vbg__cands_clear(cands);
  return err;
}

/* Decide everything that starts before `hi`, then forget what no later
 * window needs. */
static int step(vbg_stream *s, int final) {
  size_t lo = s->accepted;
  size_t hi = final ? s->total : choose_cut(s, lo);
  size_t wlo = lo > s->margin ? lo - s->margin : 0;
  if (wlo < s->raw_base)
    wlo = s->raw_base;
  while (is_cont(s, wlo) && wlo < lo)
    wlo++;
  size_t whi = final ? s->total : hi + s->margin;
  if (whi > s->total)
    whi = s->total;
  while (!final && is_cont(s, whi) && whi > hi)
    whi--;
  int err = run_window(s, lo, hi, wlo, whi);
  if (err < 0)
    return err;
  count_lines(s, hi);
  s->accepted = hi;
  /* a later window reaches back `margin` bytes for its context, so its
   * relations may name references that far back */
  if ((err = vbg__resolver_settle(
           s->rs, hi, hi > s->margin ? hi - s->margin : 0, final)) < 0)
    return err;
  size_t keep = hi > s->margin ? hi - s->margin : 0;
  if (keep > s->raw_base) {
    size_t drop = keep - s->raw_base;
    memmove(s->raw.ptr, s->raw.ptr + drop, s->raw.size - drop);
    s->raw.size -= drop;
    s->raw_base = keep;
  }
  return VBG_OK;
}

static int vbg_stream_room_impl(vbg_stream *s, size_t want, char **out) {
  *out = NULL;
  if (s->finished)
    return vbg__error_set(VBG_EINVAL, "stream already finished");
  if (want == 0)
    return vbg__error_set(VBG_EINVAL, "no room asked for");
  int err = vbg__buf_grow(&s->raw, want);
  if (err < 0)
    return err;
  s->room = want;
  *out = s->raw.ptr + s->raw.size;
  return VBG_OK;
}

static int vbg_stream_commit_impl(vbg_stream *s, size_t len) {
  if (s->finished)
    return vbg__error_set(VBG_EINVAL, "stream already finished");
  if (len > s->room)
    return vbg__error_set(VBG_EINVAL,
                          "%zu bytes committed, room for %zu asked for", len,
                          s->room);
  s->room = 0;
  s->raw.size += len;
  if (s->raw.ptr)
    s->raw.ptr[s->raw.size] = '\0';
  s->total += len;
  int err;
  while (s->total - s->accepted >= s->window + s->margin)
    if ((err = step(s, 0)) < 0)
      return err;
  return VBG_OK;
}

static int vbg_stream_feed_impl(vbg_stream *s, const char *data, size_t len) {
  if (len == 0)
    return s->finished ? vbg__error_set(VBG_EINVAL, "stream already finished")
                       : VBG_OK;
  char *at;
  int err = vbg_stream_room_impl(s, len, &at);
  if (err < 0)
    return err;
  memcpy(at, data, len);
  return vbg_stream_commit_impl(s, len);
}

static int vbg_stream_finish_impl(vbg_refs **out, vbg_stream *s) {
  *out = NULL;
  if (s->finished)
    return vbg__error_set(VBG_EINVAL, "stream already finished");
  s->finished = 1;
  int err = s->total > s->accepted || s->total == 0 ? step(s, 1) : VBG_OK;
  if (err < 0)
    return err;
  vbg_input_info info = {0};
  info.bytes = s->total;
  info.lines = s->lines + (s->total > 0 && s->raw.size > 0 &&
                           s->raw.ptr[s->raw.size - 1] != '\n');
  info.bad_utf8 = s->chk.bad;
  info.first_bad_utf8 = s->chk.first_bad;
  info.nul_bytes = s->chk.nul;
  info.had_bom = s->had_bom;
  info.normalized = s->normalized;
  if ((err = vbg__resolver_take(s->rs, out, 1)) < 0)
    return err;
  vbg__refs_set_info(*out, &info);
  return VBG_OK;
}

static int vbg_stream_take_impl(vbg_refs **out, vbg_stream *s, size_t min) {
  *out = NULL;
  if (s->finished)
    return vbg__error_set(VBG_EINVAL, "stream already finished");
  if (vbg__resolver_ready(s->rs) == 0 || vbg__resolver_ready(s->rs) < min)
    return VBG_OK;
  return vbg__resolver_take(s->rs, out, 0);
}

int vbg_extract(vbg_refs **out, const vbg_extractor *ex, const char *text,
                size_t len) {
  vbg_stream *s = NULL;
  *out = NULL;
  int err = vbg_stream_new(&s, ex);
  if (err == 0)
    err = vbg_stream_feed(s, text, len);
  if (err == 0)
    err = vbg_stream_finish(out, s);
  vbg_stream_free(s);
  return err;
}

static int vbg_key_canonical_impl(vbg_buf *out, const vbg_extractor *ex,
                                  const char *text, size_t len) {
  return vbg__parse_key(out, ex, text, len);
}

int vbg_stream_feed(vbg_stream *s, const char *data, size_t len) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_stream_feed_impl(s, data, len);
  VBG__OOM_CHECK(err, before);
  return err;
}

int vbg_stream_room(vbg_stream *s, size_t want, char **out) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_stream_room_impl(s, want, out);
  VBG__OOM_CHECK(err, before);
  return err;
}

int vbg_stream_commit(vbg_stream *s, size_t len) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_stream_commit_impl(s, len);
  VBG__OOM_CHECK(err, before);
  return err;
}

int vbg_stream_take(vbg_refs **out, vbg_stream *s, size_t min) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_stream_take_impl(out, s, min);
  VBG__OOM_CHECK(err, before);
  if (err < 0 && *out) {
    vbg_refs_free(*out);
    *out = NULL;
  }
  return err;
}

int vbg_stream_finish(vbg_refs **out, vbg_stream *s) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_stream_finish_impl(out, s);
  VBG__OOM_CHECK(err, before);
  if (err < 0 && *out) {
    vbg_refs_free(*out);
    *out = NULL;
  }
  return err;
}

int vbg_extractor_new(vbg_extractor **out, unsigned options) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_extractor_new_impl(out, options);
  VBG__OOM_CHECK(err, before);
  if (err < 0 && *out) {
    vbg_extractor_free(*out);
    *out = NULL;
  }
  return err;
}

int vbg_key_canonical(vbg_buf *out, const vbg_extractor *ex, const char *text,
                      size_t len) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_key_canonical_impl(out, ex, text, len);
  VBG__OOM_CHECK(err, before);
  return err;
}
