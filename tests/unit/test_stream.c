/*
 * test_stream.c - a vbg_stream gives the same references however its
 * input is cut: fed whole (vbg_extract), byte by byte, in pseudo-random
 * pieces (with empty pieces between), and in 1 MiB pieces as the CLI reads.
 *
 * Inputs: samples with a BOM, CRLF line ends and NFD text; and a generated
 * input of more than 3 MiB whose references sit around the 1, 2 and 3 MiB
 * marks, one of them with the 1 MiB mark inside the "ị" of "Nghị", one in
 * NFD across the mark, and a 1.1 MiB run without a space or a line break
 * (where the stream has to cut between two code points).  For the
 * generated input the test also knows where every reference is and checks
 * each start, line and key, so that "identical" cannot mean "identically
 * empty".
 *
 * Taking references as they are decided (vbg_stream_take) gives the same
 * records, in input order, the input's own header last; a bare number
 * resolves forward within 64 KiB only.
 *
 * Line numbers and NUL counts are the same counted 32 bytes at a time
 * (AVX2) as 16 at a time.
 *
 * One stream reset between inputs (vbg_stream_reset) gives for each what a
 * new stream gives: whole, in pieces, taken as it goes, after a long input
 * or a short one, after a reset in the middle of an input, and after
 * finishing.
 *
 * Also: feeding after finish and finishing twice are VBG_EINVAL.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vbgraph.h"

#define MIB ((size_t)1 << 20)

static vbg_extractor *ex;

/* ------------------------------------------------------------------ */
/* Running a stream                                                    */
/* ------------------------------------------------------------------ */

typedef struct outcome {
  int err;
  vbg_buf jsonl; /* the references as JSON Lines */
  vbg_input_info info;
  size_t count;
} outcome;

static void outcome_dispose(outcome *o) { vbg_buf_dispose(&o->jsonl); }

static void record(outcome *o, int err, vbg_refs *refs) {
  vbg_buf_init(&o->jsonl);
  memset(&o->info, 0, sizeof(o->info));
  o->err = err;
  o->count = 0;
  if (err == VBG_OK) {
    o->info = *vbg_refs_info(refs);
    o->count = vbg_refs_count(refs);
    if (vbg_refs_write_jsonl(&o->jsonl, refs, "t.txt") < 0)
      o->err = VBG_ENOMEM;
  }
  vbg_refs_free(refs);
}

static void run_whole(outcome *o, const char *text, size_t len) {
  vbg_refs *refs = NULL;
  int err = vbg_extract(&refs, ex, text, len);
  record(o, err, refs);
}

static uint64_t rng(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* Feed n bytes: with vbg_stream_feed, or (direct) written into room for
 * n + extra bytes from vbg_stream_room and committed. */
static int feed(vbg_stream *s, const char *data, size_t n, int direct,
                size_t extra) {
  if (!direct)
    return vbg_stream_feed(s, data, n);
  char *at = NULL;
  int err = vbg_stream_room(s, n + extra, &at);
  if (err < 0)
    return err;
  memcpy(at, data, n);
  return vbg_stream_commit(s, n);
}

/* How to cut: fixed pieces of `size` bytes, or, with size 0, pseudo-random
 * pieces from `seed` (1 to `maxpiece` bytes, and empty ones); fed, or
 * written into the stream's room when direct. */
static void run_pieces(outcome *o, const char *text, size_t len, size_t size,
                       uint64_t seed, size_t maxpiece, int direct) {
  vbg_stream *s = NULL;
  vbg_refs *refs = NULL;
  int err = vbg_stream_new(&s, ex);
  for (size_t i = 0; err == 0 && i < len;) {
    size_t n = size;
    if (n == 0) {
      uint64_t r = rng(&seed);
      if ((r & 15) == 0) {
        err = feed(s, text + i, 0, direct, 1 + (r >> 4) % 64);
        continue;
      }
      n = 1 + (size_t)(r >> 8) % maxpiece;
    }
    if (n > len - i)
      n = len - i;
    err = feed(s, text + i, n, direct, (size_t)(seed >> 20) % 4096);
    i += n;
  }
  if (err == 0)
    err = vbg_stream_finish(&refs, s);
  vbg_stream_free(s);
  record(o, err, refs);
}

static int same_outcome(const outcome *a, const outcome *b) {
  return a->err == b->err && a->count == b->count &&
         a->jsonl.size == b->jsonl.size &&
         (a->jsonl.size == 0 ||
          memcmp(a->jsonl.ptr, b->jsonl.ptr, a->jsonl.size) == 0) &&
         a->info.bytes == b->info.bytes && a->info.lines == b->info.lines &&
         a->info.bad_utf8 == b->info.bad_utf8 &&
         a->info.first_bad_utf8 == b->info.first_bad_utf8 &&
         a->info.nul_bytes == b->info.nul_bytes &&
         a->info.had_bom == b->info.had_bom &&
         a->info.normalized == b->info.normalized;
}

/* Where two JSON Lines outputs first differ, for the failure message. */
static void show_difference(const outcome *a, const outcome *b) {
  size_t i = 0,
         n = a->jsonl.size < b->jsonl.size ? a->jsonl.size : b->jsonl.size;
  while (i < n && a->jsonl.ptr[i] == b->jsonl.ptr[i])
    i++;
  size_t from = i > 80 ? i - 80 : 0;
  printf("#   status %d vs %d, %zu vs %zu references, first difference at "
         "byte %zu of the JSON Lines\n",
         a->err, b->err, a->count, b->count, i);
  if (a->jsonl.ptr)
    printf("#   whole:  ...%.*s\n",
           (int)((i + 80 < a->jsonl.size ? i + 80 : a->jsonl.size) - from),
           a->jsonl.ptr + from);
  if (b->jsonl.ptr)
    printf("#   pieces: ...%.*s\n",
           (int)((i + 80 < b->jsonl.size ? i + 80 : b->jsonl.size) - from),
           b->jsonl.ptr + from);
}

/* Every way of cutting gives what the whole input gives.  Returns the
 * outcome of the whole input in *whole (the caller disposes it). */
static void check_cuts(const char *name, const char *text, size_t len,
                       outcome *whole) {
  char what[200];
  run_whole(whole, text, len);
  snprintf(what, sizeof(what), "%s: vbg_extract succeeds", name);
  OK(whole->err == VBG_OK, what);

  struct {
    const char *how;
    size_t size;
    uint64_t seed;
    size_t maxpiece;
    int direct;
  } cuts[] = {
      {"byte by byte", 1, 0, 0, 0},
      {"random pieces up to 7 bytes", 0, 0x9E3779B97F4A7C15ull, 7, 0},
      {"random pieces up to 4 KiB", 0, 0xD1B54A32D192ED03ull, 4096, 0},
      {"random pieces up to 1.5 MiB", 0, 0x8CB92BA72F3D8DD7ull, MIB + MIB / 2,
       0},
      {"pieces of 1 MiB", MIB, 0, 0, 0},
      {"pieces of 1 MiB - 1", MIB - 1, 0, 0, 0},
      {"pieces of 1 MiB + 1", MIB + 1, 0, 0, 0},
      {"1 MiB pieces read into the stream's room (as the CLI reads)", MIB,
       0x2545F4914F6CDD1Dull, 0, 1},
      {"random pieces up to 4 KiB in the stream's room", 0,
       0x94D049BB133111EBull, 4096, 1},
      {"random pieces up to 1.5 MiB in the stream's room", 0,
       0xBF58476D1CE4E5B9ull, MIB + MIB / 2, 1},
  };
  for (size_t k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
    outcome o;
    run_pieces(&o, text, len, cuts[k].size, cuts[k].seed, cuts[k].maxpiece,
               cuts[k].direct);
    snprintf(what, sizeof(what), "%s: %s gives what the whole input gives",
             name, cuts[k].how);
    if (!OK(same_outcome(whole, &o), what))
      show_difference(whole, &o);
    outcome_dispose(&o);
  }
}

/* ------------------------------------------------------------------ */
/* Samples: BOM, CRLF, NFD                                              */
/* ------------------------------------------------------------------ */

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *p = NULL;
  *len = 0;
  if (!f)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1)))
      *len = fread(p, 1, (size_t)n, f);
  }
  if (p)
    p[*len] = '\0'; /* the checks below use strstr */
  fclose(f);
  return p;
}

static void test_sample(const char *file, int want_bom, int want_nfd,
                        int want_crlf) {
  char path[512], what[700];
  size_t len;
  snprintf(path, sizeof(path), "%s/samples/%s", VBG_SOURCE_DIR, file);
  char *text = read_file(path, &len);
  snprintf(what, sizeof(what), "read %s", path);
  if (!OK(text != NULL && len > 0, what)) {
    free(text);
    return;
  }
  snprintf(what, sizeof(what), "%s has what it is chosen for", file);
  OK((!want_bom || memcmp(text, "\xEF\xBB\xBF", 3) == 0) &&
         (!want_crlf || memchr(text, '\r', len) != NULL) &&
         (!want_nfd || strstr(text, "\xCC\x81") || strstr(text, "\xCC\xA3")),
     what);
  outcome whole;
  check_cuts(file, text, len, &whole);
  snprintf(what, sizeof(what), "%s: has references", file);
  OK(whole.count > 0, what);
  snprintf(what, sizeof(what), "%s: info: bytes, BOM, normalised", file);
  OK(whole.info.bytes == len && whole.info.had_bom == want_bom &&
         (!want_nfd || whole.info.normalized),
     what);
  outcome_dispose(&whole);
  free(text);
}

/* ------------------------------------------------------------------ */
/* A generated input of more than 3 MiB                                */
/* ------------------------------------------------------------------ */

typedef struct expect {
  size_t start, line;
  char key[32];
} expect;

typedef struct gen {
  char *p;
  size_t n, a;
  size_t lines; /* newlines so far */
  expect *refs;
  size_t nrefs, arefs;
  int oom;
} gen;

static void put(gen *g, const char *s, size_t n) {
  if (g->oom)
    return;
  if (g->n + n > g->a) {
    size_t a = g->a ? g->a : 1 << 16;
    while (a < g->n + n)
      a *= 2;
    char *p = realloc(g->p, a);
    if (!p) {
      g->oom = 1;
      return;
    }
    g->p = p;
    g->a = a;
  }
  memcpy(g->p + g->n, s, n);
  for (size_t i = 0; i < n; i++)
    g->lines += s[i] == '\n';
  g->n += n;
}

static void puts_(gen *g, const char *s) { put(g, s, strlen(s)); }

/* The next bytes are a reference with this key. */
static void expect_here(gen *g, const char *key) {
  if (g->oom)
    return;
  if (g->nrefs == g->arefs) {
    size_t a = g->arefs ? 2 * g->arefs : 256;
    expect *v = realloc(g->refs, a * sizeof(*v));
    if (!v) {
      g->oom = 1;
      return;
    }
    g->refs = v;
    g->arefs = a;
  }
  expect *e = &g->refs[g->nrefs++];
  e->start = g->n;
  e->line = g->lines + 1;
  snprintf(e->key, sizeof(e->key), "%s", key);
}

/* One ordinary paragraph with one state reference. */
static void paragraph(gen *g, unsigned k, int crlf) {
  char num[64], key[32];
  snprintf(key, sizeof(key), "%u/KH-UBND", k);
  puts_(g, "Đoạn văn mẫu để thử luồng, không phải trích dẫn thật. Văn phòng "
           "đã gửi ");
  expect_here(g, key);
  snprintf(num, sizeof(num), "Kế hoạch số %u/KH-UBND", k);
  puts_(g, num);
  puts_(g, " tới các phòng, ban chuyên môn để biết.");
  puts_(g, crlf ? "\r\n" : "\n");
}

/* Paragraphs until the output reaches `upto` bytes or just under it. */
static void fill_to(gen *g, size_t upto, unsigned *k) {
  while (!g->oom && g->n + 300 < upto) {
    paragraph(g, *k, *k % 3 == 0);
    (*k)++;
  }
  while (!g->oom && g->n < upto)
    puts_(g, g->n + 1 == upto ? "\n" : " ");
}

/* "Nghị quyết số 57-NQ/TW" placed so that `mark` falls inside its "ị". */
static void straddle_nfc(gen *g, size_t mark, unsigned *k) {
  static const char lead[] = "Bài viết nhắc lại ";
  size_t before = strlen(lead) + 3; /* "Ngh" */
  fill_to(g, mark - before - 1, k);
  puts_(g, lead);
  expect_here(g, "57-NQ/TW");
  puts_(g,
        "Ngh\xE1\xBB\x8B quy\xE1\xBA\xBFt s\xE1\xBB\x91 57-NQ/TW"); /* ị at
                                                                       mark-1 */
  puts_(g, " của Bộ Chính trị.\n");
}

/* The same words decomposed (NFD), `mark` inside "quyết"'s combining
 * marks. */
static void straddle_nfd(gen *g, size_t mark, unsigned *k) {
  static const char lead[] = "Bản NFD: ";
  size_t before = strlen(lead) + strlen("Nghi\xCC\xA3 quye\xCC\x82");
  fill_to(g, mark - before - 1, k);
  puts_(g, lead);
  expect_here(g, "52-NQ/TW");
  puts_(g, "Nghi\xCC\xA3 quye\xCC\x82\xCC\x81t so\xCC\x82\xCC\x81 52-NQ/TW");
  puts_(g, " ve\xCC\x82\xCC\x80 chuye\xCC\x89n \xC4\x91o\xCC\x82\xCC\x89i "
           "so\xCC\x82\xCC\x81.\n");
}

static char *make_big(size_t *len, expect **refs, size_t *nrefs) {
  gen g;
  memset(&g, 0, sizeof(g));
  unsigned k = 1;
  puts_(&g, "\xEF\xBB\xBF"); /* BOM: every offset counts it */
  straddle_nfc(&g, MIB, &k);
  straddle_nfd(&g, 2 * MIB, &k);
  fill_to(&g, 2 * MIB + MIB / 4, &k);
  /* 1.1 MiB of "ị" without a space or a line break */
  for (size_t i = 0; i < (MIB + MIB / 10) / 3; i++)
    put(&g, "\xE1\xBB\x8B", 3);
  puts_(&g, "\n");
  fill_to(&g, 3 * MIB + MIB / 2, &k);
  puts_(&g, "Cuối cùng, ");
  expect_here(&g, "30/2020/NĐ-CP");
  puts_(&g, "Nghị định số 30/2020/NĐ-CP"); /* no final newline */
  if (g.oom) {
    free(g.p);
    free(g.refs);
    return NULL;
  }
  *len = g.n;
  *refs = g.refs;
  *nrefs = g.nrefs;
  return g.p;
}

static void test_big(void) {
  size_t len = 0, nrefs = 0;
  expect *want = NULL;
  char *text = make_big(&len, &want, &nrefs);
  if (!OK(text != NULL, "make the generated input"))
    return;
  OK(len > 3 * MIB, "the generated input is over 3 MiB");
  OK(memcmp(text + MIB - 1, "\xE1\xBB\x8B", 3) == 0,
     "the 1 MiB mark is inside the \"ị\" of Nghị");
  outcome whole;
  check_cuts("generated 3.5 MiB", text, len, &whole);

  /* What the whole input gives is right, reference by reference. */
  vbg_refs *refs = NULL;
  if (OK(vbg_extract(&refs, ex, text, len) == VBG_OK, "extract it again")) {
    size_t n = vbg_refs_count(refs), i = 0, j = 0, wrong = 0;
    /* each expected reference is there, in order; others may be too
     * (e.g. nothing else is expected, but do not depend on it) */
    for (; i < nrefs && j < n; j++) {
      const vbg_ref *r = vbg_refs_get(refs, j);
      if (r->start < want[i].start)
        continue;
      if (r->start != want[i].start || r->line != want[i].line || !r->key ||
          strcmp(r->key, want[i].key) != 0) {
        if (++wrong <= 5)
          printf("#   expected %s at byte %zu, line %zu; got %s at %zu, line "
                 "%zu\n",
                 want[i].key, want[i].start, want[i].line,
                 r->key ? r->key : "(null)", r->start, r->line);
        if (r->start > want[i].start)
          j--; /* compare this record with the next expected one */
      }
      i++;
    }
    if (i < nrefs)
      printf("#   %zu expected references missing from byte %zu (%s) on\n",
             nrefs - i, want[i].start, want[i].key);
    OK(i == nrefs && wrong == 0,
       "every planted reference is found at its byte, line and key");
    OK(n == nrefs, "and nothing else is found");
    const vbg_input_info *info = vbg_refs_info(refs);
    if (!OK(info->had_bom == 1 && info->normalized == 1 && info->bad_utf8 == 0,
            "info: BOM, NFD seen, no bad UTF-8"))
      printf("#   had_bom %d, normalized %d, bad_utf8 %zu\n", info->had_bom,
             info->normalized, info->bad_utf8);
    size_t lines = 1;
    for (size_t b = 0; b < len; b++)
      lines += text[b] == '\n';
    INT_EQ(info->lines, lines);
    INT_EQ(info->bytes, len);
  }
  vbg_refs_free(refs);
  outcome_dispose(&whole);
  free(want);
  free(text);
}

/* ------------------------------------------------------------------ */
/* Taking references as they are decided                               */
/* ------------------------------------------------------------------ */

/* The header of sample 04 (its own number, 212-KH/TU), then 12,000
 * paragraphs (2.7 MB) each naming one of 1,000 plans and, in two of
 * three, a bare number for it; a bare number ahead of its plan by a few
 * paragraphs, and one by more than 64 KiB. */
static char *make_takeable(size_t *len, size_t *near_at, size_t *far_at) {
  char path[512];
  size_t hlen = 0;
  snprintf(path, sizeof(path), "%s/samples/04-tinh-uy-ke-hoach-212-bom.txt",
           VBG_SOURCE_DIR);
  char *head = read_file(path, &hlen);
  if (!head)
    return NULL;
  gen g;
  memset(&g, 0, sizeof(g));
  put(&g, head, hlen);
  free(head);
  char line[400];
  for (unsigned i = 0; i < 12000; i++) {
    if (i == 100) {
      *near_at = g.n + strlen("Ủy ban dự kiến ban hành ");
      puts_(&g, "Ủy ban dự kiến ban hành Kế hoạch 777 trong quý tới.\n");
    }
    if (i == 110 || i == 700)
      snprintf(line, sizeof(line),
               "Ủy ban đã ban hành Kế hoạch số %u/KH-UBND ngày 1/6/2020.\n",
               i == 110 ? 777u : 888u);
    if (i == 110 || i == 700)
      puts_(&g, line);
    if (i == 200) {
      *far_at = g.n + strlen("Ủy ban dự kiến ban hành ");
      puts_(&g, "Ủy ban dự kiến ban hành Kế hoạch 888 trong quý tới.\n");
    }
    unsigned n = 3000 + i % 1000;
    snprintf(line, sizeof(line),
             "Văn phòng gửi Kế hoạch số %u/KH-UBND ngày 5/3/2020 của UBND "
             "huyện tới các xã%s%u. Các cơ quan, đơn vị phối hợp thực hiện "
             "nhiệm vụ được giao theo kế hoạch năm.\n",
             n, i % 3 ? "; xem thêm Kế hoạch " : ", mã ", n);
    puts_(&g, line);
  }
  if (g.oom) {
    free(g.p);
    return NULL;
  }
  free(g.refs);
  *len = g.n;
  return g.p;
}

typedef struct lines {
  char **v;
  size_t n, a;
} lines;

/* Split JSON Lines into `into` (copies). */
static void add_lines(lines *into, const vbg_buf *b) {
  for (size_t i = 0; i < b->size;) {
    const char *nl = memchr(b->ptr + i, '\n', b->size - i);
    size_t e = nl ? (size_t)(nl - b->ptr) : b->size;
    if (into->n == into->a) {
      into->a = into->a ? into->a * 2 : 1024;
      into->v = realloc(into->v, into->a * sizeof(char *));
    }
    char *l = malloc(e - i + 1);
    memcpy(l, b->ptr + i, e - i);
    l[e - i] = '\0';
    into->v[into->n++] = l;
    i = e + 1;
  }
}

static void lines_dispose(lines *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
}

static int cmp_line(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_take(void) {
  size_t len = 0, near_at = 0, far_at = 0;
  char *text = make_takeable(&len, &near_at, &far_at);
  if (!OK(text != NULL, "make the input for taking batches"))
    return;
  /* all at the end */
  vbg_refs *all = NULL;
  if (!OK(vbg_extract(&all, ex, text, len) == VBG_OK, "extract it whole")) {
    free(text);
    return;
  }
  size_t n = vbg_refs_count(all);
  printf("# %zu references\n", n);
  OK(n > 20000, "over 20,000 references");
  const vbg_ref *self = vbg_refs_get(all, 0);
  OK(self && self->key && strcmp(self->key, "212-KH/TU") == 0 &&
         self->nrelations > 1000,
     "the header comes first, relating to every plan the text names");
  int near_ok = 0, far_ok = 0;
  for (size_t i = 0; i < n; i++) {
    const vbg_ref *r = vbg_refs_get(all, i);
    if (r->start == near_at)
      near_ok = r->short_form && r->resolves_to &&
                strcmp(r->resolves_to, "777/KH-UBND") == 0;
    if (r->start == far_at)
      far_ok = r->short_form && r->resolves_to == NULL;
  }
  OK(near_ok, "a bare number resolves to a plan named a few paragraphs on");
  OK(far_ok, "but not to one named more than 64 KiB on");

  /* taken as they are decided, 64 KiB fed at a time */
  vbg_stream *s = NULL;
  vbg_refs *batch = NULL, *last = NULL;
  vbg_buf got;
  vbg_buf_init(&got);
  size_t batches = 0, first_batch_at = 0, taken = 0, prev_start = 0;
  int err = vbg_stream_new(&s, ex), ordered = 1;
  for (size_t i = 0; err == 0 && i < len; i += 65536) {
    err = vbg_stream_feed(s, text + i, len - i < 65536 ? len - i : 65536);
    if (err == 0 && (err = vbg_stream_take(&batch, s, 1)) == 0 && batch) {
      if (batches++ == 0)
        first_batch_at = i;
      for (size_t k = 0; k < vbg_refs_count(batch); k++) {
        ordered &= vbg_refs_get(batch, k)->start >= prev_start;
        prev_start = vbg_refs_get(batch, k)->start;
      }
      taken += vbg_refs_count(batch);
      OK(vbg_refs_info(batch)->bytes == 0, "a batch has no input figures");
      if (vbg_refs_write_jsonl(&got, batch, "t.txt") < 0)
        err = VBG_ENOMEM;
      vbg_refs_free(batch);
    }
  }
  if (err == 0)
    err = vbg_stream_finish(&last, s);
  OK(err == VBG_OK, "feeding, taking and finishing succeed");
  OK(batches >= 2 && first_batch_at < len / 2,
     "references are handed over while the input is still being fed");
  OK(ordered, "batches come in input order");
  if (last) {
    OK(taken + vbg_refs_count(last) == n, "nothing lost, nothing twice");
    const vbg_ref *h = vbg_refs_get(last, 0);
    OK(h && h->start == self->start && h->nrelations == self->nrelations,
       "the header comes first in the last list, with all its relations");
    OK(vbg_refs_info(last)->bytes == len, "the last list has the figures");
    if (vbg_refs_write_jsonl(&got, last, "t.txt") < 0)
      err = VBG_ENOMEM;
  }
  /* the same records, byte for byte, whichever way they came */
  vbg_buf want;
  vbg_buf_init(&want);
  lines a = {0}, b = {0};
  if (err == 0 && vbg_refs_write_jsonl(&want, all, "t.txt") == 0) {
    add_lines(&a, &want);
    add_lines(&b, &got);
    qsort(a.v, a.n, sizeof(char *), cmp_line);
    qsort(b.v, b.n, sizeof(char *), cmp_line);
    int same = a.n == b.n;
    for (size_t i = 0; same && i < a.n; i++)
      same = strcmp(a.v[i], b.v[i]) == 0;
    OK(same, "the batches hold exactly the records of the whole input");
  }
  lines_dispose(&a);
  lines_dispose(&b);
  vbg_buf_dispose(&want);
  vbg_buf_dispose(&got);
  vbg_refs_free(last);
  vbg_stream_free(s);

  /* min: nothing until that many are decided */
  OK(vbg_stream_new(&s, ex) == VBG_OK, "vbg_stream_new");
  OK(vbg_stream_feed(s, text, len) == VBG_OK, "feed it all");
  batch = NULL;
  OK(vbg_stream_take(&batch, s, n + 1) == VBG_OK && batch == NULL,
     "take with a minimum above what is decided gives nothing");
  OK(vbg_stream_take(&batch, s, 1) == VBG_OK && batch &&
         vbg_refs_count(batch) > 0,
     "take with a minimum of 1 gives what is decided");
  vbg_refs_free(batch);
  OK(vbg_stream_finish(&last, s) == VBG_OK, "finish");
  vbg_refs_free(last);
  INT_EQ(vbg_stream_take(&batch, s, 0), VBG_EINVAL);
  vbg_stream_free(s);
  vbg_refs_free(all);
  free(text);
}

/* ------------------------------------------------------------------ */
/* Misuse                                                              */
/* ------------------------------------------------------------------ */

static void test_after_finish(void) {
  vbg_stream *s = NULL;
  vbg_refs *refs = NULL, *again = NULL;
  static const char t[] = "Theo Kế hoạch số 5/KH-UBND.\n";
  OK(vbg_stream_new(&s, ex) == VBG_OK, "vbg_stream_new");
  OK(vbg_stream_feed(s, t, sizeof(t) - 1) == VBG_OK, "feed");
  OK(vbg_stream_finish(&refs, s) == VBG_OK && vbg_refs_count(refs) == 1,
     "finish gives the one reference");
  INT_EQ(vbg_stream_feed(s, t, 3), VBG_EINVAL);
  char dummy, *room = &dummy;
  INT_EQ(vbg_stream_room(s, 16, &room), VBG_EINVAL);
  OK(room == NULL, "no room after finishing");
  INT_EQ(vbg_stream_commit(s, 0), VBG_EINVAL);
  INT_EQ(vbg_stream_finish(&again, s), VBG_EINVAL);
  OK(again == NULL, "a second finish hands out nothing");
  vbg_refs_free(refs);
  vbg_stream_free(s);

  /* room: none for nothing, and no more committed than asked for */
  OK(vbg_stream_new(&s, ex) == VBG_OK, "vbg_stream_new");
  INT_EQ(vbg_stream_room(s, 0, &room), VBG_EINVAL);
  INT_EQ(vbg_stream_commit(s, 1), VBG_EINVAL); /* no room asked for */
  OK(vbg_stream_room(s, sizeof(t) - 1, &room) == VBG_OK && room,
     "room for a line");
  memcpy(room, t, sizeof(t) - 1);
  INT_EQ(vbg_stream_commit(s, sizeof(t)), VBG_EINVAL);
  INT_EQ(vbg_stream_commit(s, sizeof(t) - 1), VBG_OK);
  INT_EQ(vbg_stream_commit(s, 1), VBG_EINVAL); /* the room is used up */
  OK(vbg_stream_finish(&refs, s) == VBG_OK && vbg_refs_count(refs) == 1 &&
         vbg_refs_info(refs)->bytes == sizeof(t) - 1,
     "what was committed is the input");
  vbg_refs_free(refs);
  vbg_stream_free(s);

  /* an empty stream is an empty list */
  OK(vbg_stream_new(&s, ex) == VBG_OK, "vbg_stream_new");
  OK(vbg_stream_finish(&refs, s) == VBG_OK && refs &&
         vbg_refs_count(refs) == 0 && vbg_refs_info(refs)->bytes == 0,
     "finishing an empty stream gives an empty list");
  vbg_refs_free(refs);
  vbg_stream_free(s);
}

/* ------------------------------------------------------------------ */
/* Counting lines, sixteen or thirty-two bytes at a time               */
/* ------------------------------------------------------------------ */

void vbg__count_choice(int choice); /* src/extract.c, for tests */

/* Line numbers and the NUL count are the same whichever way the lines are
 * counted: texts of references between stretches of every length (so the
 * counts run over a few bytes and over many blocks, and over more than 255
 * blocks at once), dense and sparse in line feeds and NUL bytes. */
static void test_count(void) {
  static const char ref[] = "Kế hoạch số 5/KH-UBND";
  uint64_t seed = 0x5851F42D4C957F2Dull;
  size_t cap = 3 * MIB;
  char *t = malloc(cap);
  if (!OK(t != NULL, "room for the texts"))
    return;
  long differ = 0, nuls = 0;
  for (int round = 0; round < 60; round++) {
    size_t len = 0, want = round < 50 ? 1 + rng(&seed) % 60000 : 2 * MIB;
    unsigned nlr = 1 + (unsigned)(rng(&seed) % 200), zr = round % 3 ? 0 : 500;
    while (len + 64 + sizeof(ref) < want) {
      size_t gap = (size_t)(rng(&seed) % (rng(&seed) % 2 ? 40 : 12000));
      for (size_t k = 0; k < gap && len + sizeof(ref) + 2 < want; k++) {
        uint64_t x = rng(&seed);
        t[len++] = x % nlr == 0 ? '\n' : zr && x % zr == 1 ? '\0' : 'a';
      }
      t[len++] = ' ';
      memcpy(t + len, ref, sizeof(ref) - 1);
      len += sizeof(ref) - 1;
      t[len++] = ' ';
    }
    outcome wide, narrow;
    vbg__count_choice(-1);
    run_whole(&wide, t, len);
    vbg__count_choice(0);
    run_whole(&narrow, t, len);
    vbg__count_choice(-1);
    nuls += (long)wide.info.nul_bytes;
    if (!same_outcome(&wide, &narrow) || wide.count == 0) {
      if (differ++ < 3)
        show_difference(&narrow, &wide);
    }
    size_t lines = len > 0 && t[len - 1] != '\n';
    for (size_t i = 0; i < len; i++)
      lines += t[i] == '\n';
    if (wide.info.lines != lines && differ++ < 3)
      printf("#   %zu lines counted, %zu there\n", wide.info.lines, lines);
    outcome_dispose(&wide);
    outcome_dispose(&narrow);
  }
  OK(differ == 0, "lines and NUL bytes counted 32 bytes at a time are those "
                  "counted 16 at a time, and right");
  OK(nuls > 0, "some texts hold NUL bytes");
  free(t);
}

/* ------------------------------------------------------------------ */
/* One stream, reset between inputs                                    */
/* ------------------------------------------------------------------ */

static size_t count_lines(const vbg_buf *b) {
  size_t n = 0;
  for (size_t i = 0; i < b->size; i++)
    n += b->ptr[i] == '\n';
  return n;
}

/* Reset s and run text through it in pieces of `piece` bytes (0: whole),
 * taking references as they come when `take`. */
static void run_reset(outcome *o, vbg_stream *s, const char *text, size_t len,
                      size_t piece, int take) {
  vbg_stream_reset(s);
  vbg_buf all;
  vbg_buf_init(&all);
  vbg_refs *refs = NULL;
  int err = VBG_OK;
  for (size_t i = 0; err == 0 && i < len;) {
    size_t n = piece == 0 || piece > len - i ? len - i : piece;
    err = feed(s, text + i, n, (i / (n ? n : 1)) & 1, 64);
    i += n;
    vbg_refs *batch = NULL;
    if (err == 0 && take && (err = vbg_stream_take(&batch, s, 1)) == 0 &&
        batch && vbg_refs_write_jsonl(&all, batch, "t.txt") < 0)
      err = VBG_ENOMEM;
    vbg_refs_free(batch);
  }
  if (err == 0)
    err = vbg_stream_finish(&refs, s);
  record(o, err, refs);
  if (take && o->err == VBG_OK) { /* what was taken, then the rest */
    o->count = count_lines(&all) + o->count;
    if (vbg_buf_put(&all, o->jsonl.ptr, o->jsonl.size) < 0)
      o->err = VBG_ENOMEM;
    vbg_buf_dispose(&o->jsonl);
    o->jsonl = all;
  } else
    vbg_buf_dispose(&all);
}

/* o's JSON Lines in sorted order: taking references as they come hands
 * the input's own header over last. */
static void sort_outcome(outcome *o) {
  lines l = {NULL, 0, 0};
  add_lines(&l, &o->jsonl);
  qsort(l.v, l.n, sizeof(*l.v), cmp_line);
  vbg_buf_clear(&o->jsonl);
  for (size_t i = 0; i < l.n; i++)
    if (vbg_buf_put(&o->jsonl, l.v[i], strlen(l.v[i])) < 0 ||
        vbg_buf_put(&o->jsonl, "\n", 1) < 0)
      o->err = VBG_ENOMEM;
  lines_dispose(&l);
}

static void test_reset(void) {
  static const char *const files[] = {
      "04-tinh-uy-ke-hoach-212-bom.txt",
      "05-ubnd-tinh-quyet-dinh-05-2025-crlf.txt",
      "07-huyen-yen-son-ke-hoach-64-nfd.txt",
      "02-nghi-quyet-57-chuong-trinh-chinh-phu.txt"};
  enum { NFILES = sizeof(files) / sizeof(files[0]) };
  char *text[NFILES + 2];
  size_t len[NFILES + 2];
  const char *name[NFILES + 2];
  outcome fresh[NFILES + 2];
  char path[512], what[300];
  size_t n = 0, ignore1, ignore2;
  expect *ignore3 = NULL;
  for (size_t i = 0; i < NFILES; i++) {
    snprintf(path, sizeof(path), "%s/samples/%s", VBG_SOURCE_DIR, files[i]);
    if (!OK((text[n] = read_file(path, &len[n])) != NULL, "read a sample"))
      continue;
    name[n++] = files[i];
  }
  /* two long inputs: they grow the resolver's storage past what a reset
   * keeps */
  if ((text[n] = make_big(&len[n], &ignore3, &ignore1)) != NULL)
    name[n++] = "the generated 3.5 MiB";
  free(ignore3);
  if ((text[n] = make_takeable(&len[n], &ignore1, &ignore2)) != NULL)
    name[n++] = "the generated 2.7 MB";
  OK(n == NFILES + 2, "every input is there");
  for (size_t i = 0; i < n; i++)
    run_whole(&fresh[i], text[i], len[i]);

  vbg_stream *s = NULL;
  if (!OK(vbg_stream_new(&s, ex) == VBG_OK, "vbg_stream_new"))
    goto out;
  /* every input after every other, whole, in pieces, taken as it goes;
   * the long ones before and after the short ones */
  static const size_t pieces[] = {0, 4093, MIB / 3};
  for (size_t round = 0; round < 2; round++)
    for (size_t k = 0; k < n; k++) {
      size_t i = round == 0 ? k : n - 1 - k;
      outcome o, want = fresh[i];
      int take = (int)((round + k) & 1);
      run_reset(&o, s, text[i], len[i], pieces[(round + k) % 3], take);
      if (take) { /* compared in sorted order */
        vbg_buf_init(&want.jsonl);
        if (vbg_buf_put(&want.jsonl, fresh[i].jsonl.ptr, fresh[i].jsonl.size) <
            0)
          want.err = VBG_ENOMEM;
        sort_outcome(&want);
        sort_outcome(&o);
      }
      snprintf(what, sizeof(what),
               "reset stream (round %zu, step %zu%s): %s as a new stream "
               "gives it",
               round, k, take ? ", taken as it goes" : "", name[i]);
      if (!OK(o.err == VBG_OK && want.count > 0 && same_outcome(&want, &o),
              what))
        show_difference(&want, &o);
      if (take)
        outcome_dispose(&want);
      outcome_dispose(&o);
    }

  /* a reset in the middle of an input drops it: offsets, lines, the
   * resolver's numbers and the references not handed over */
  for (size_t i = 0; i < n; i++) {
    vbg_stream_reset(s);
    OK(vbg_stream_feed(s, text[i], len[i] * 2 / 3) == VBG_OK, "feed part");
    char *room = NULL;
    OK(vbg_stream_room(s, 100, &room) == VBG_OK, "room asked, not used");
    outcome o;
    size_t next = (i + 1) % n;
    run_reset(&o, s, text[next], len[next], 0, 0);
    snprintf(what, sizeof(what), "reset after part of %s: %s is as new",
             name[i], name[next]);
    if (!OK(same_outcome(&fresh[next], &o), what))
      show_difference(&fresh[next], &o);
    outcome_dispose(&o);
  }

  /* the room asked for before a reset is gone with it */
  vbg_stream_reset(s);
  char *room = NULL;
  OK(vbg_stream_room(s, 16, &room) == VBG_OK, "room");
  vbg_stream_reset(s);
  INT_EQ(vbg_stream_commit(s, 1), VBG_EINVAL);

  /* a finished stream is fed again after a reset; an empty input is empty */
  vbg_refs *refs = NULL;
  OK(vbg_stream_finish(&refs, s) == VBG_OK && vbg_refs_count(refs) == 0 &&
         vbg_refs_info(refs)->bytes == 0 && vbg_refs_info(refs)->lines == 0,
     "an empty input after a reset is an empty list");
  vbg_refs_free(refs);
  INT_EQ(vbg_stream_feed(s, "x", 1), VBG_EINVAL);
  outcome o;
  run_reset(&o, s, text[0], len[0], 0, 0);
  OK(same_outcome(&fresh[0], &o), "after finishing, a reset stream is new");
  outcome_dispose(&o);
  vbg_stream_reset(NULL); /* does nothing */
out:
  vbg_stream_free(s);
  for (size_t i = 0; i < n; i++) {
    outcome_dispose(&fresh[i]);
    free(text[i]);
  }
}

int main(void) {
  if (!OK(vbg_extractor_new(&ex, VBG_OPT_DEFAULT) == VBG_OK,
          "vbg_extractor_new"))
    return harness_done();
  test_after_finish();
  test_sample("04-tinh-uy-ke-hoach-212-bom.txt", 1, 0, 0);
  test_sample("05-ubnd-tinh-quyet-dinh-05-2025-crlf.txt", 0, 0, 1);
  test_sample("07-huyen-yen-son-ke-hoach-64-nfd.txt", 0, 1, 0);
  test_big();
  test_take();
  test_reset();
  test_count();
  vbg_extractor_free(ex);
  return harness_done();
}
