/*
 * fuzz_extract.c - fuzz target for the extractor: bytes in, references out.
 *
 * For every input the target checks, and abort()s when one fails (a fuzzer
 * needs a crash to notice; this file is a test, not library code):
 *
 *   1. vbg_extract() over the whole input and a vbg_stream fed the same
 *      bytes in pieces of pseudo-random sizes (derived from the input),
 *      fed or written into the stream's room, give
 *      byte-identical JSON Lines, or fail with the same status; half the
 *      time that stream had the input's tail before and was reset;
 *   2. every reference has start < end <= len, surface == input[start:end],
 *      line == 1 + newlines before start, references come in input order,
 *      full references have a key, relations have a target and evidence
 *      inside the input on the right line; vbg_refs_info() counts the bytes
 *      and lines;
 *   3. the TSV has one line of 19 columns per reference;
 *   4. the JSON Lines written for the references are read back by
 *      vbg_builder_add_jsonl() without error, and the graph built from them
 *      is the graph built from the references directly (same GraphML);
 *   5. the graph writes in every format, and its GraphML reads back into a
 *      graph that writes the same GraphML again.
 *   6. with small windows and look-backs (vbg__stream_tune), references
 *      taken as they are decided (vbg_stream_take after every piece) are
 *      the records of the same stream finished at once, each exactly once,
 *      each batch in input order, every surface the input's bytes.
 * Checks 4 and 5 run for one input in four (chosen by the input's hash, so
 * a saved input always takes the same path): they are slower than the
 * extraction, and fuzz_jsonl and fuzz_graphml cover those stages too.
 *
 * One input in 64 is also run behind a megabyte of filler, so that the
 * 1 MiB window boundary of the stream falls inside the fuzzed bytes.  Three
 * inputs in four use the default options; the others one of the
 * combinations of VBG_OPT_NO_SHORT_FORMS and VBG_OPT_NO_RELATIONS.
 *
 * Built two ways (CMakeLists.txt): with VBG_FUZZ=ON as a libFuzzer binary;
 * otherwise with fuzz/standalone_driver.c, which replays fuzz/corpus/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vbgraph.h"

#define WINDOW (1u << 20)
#define MARGIN (8u << 10)

/* Say what broke, then crash so that the fuzzer keeps the input. */
static void fail(const char *what, size_t a, size_t b) {
  fprintf(stderr, "fuzz_extract: property violated: %s (%zu, %zu)\n", what, a,
          b);
  fprintf(stderr, "fuzz_extract: last library message: %s\n", vbg_error_last());
  abort();
}
#define CHECK(cond, what, a, b)                                                \
  do {                                                                         \
    if (!(cond))                                                               \
      fail(what, (size_t)(a), (size_t)(b));                                    \
  } while (0)

/* A small deterministic generator seeded from the input. */
static uint64_t mix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint64_t fnv1a(const uint8_t *p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/* Compiled once: patterns are the expensive part. */
static vbg_extractor *extractor(unsigned options) {
  static vbg_extractor *ex[4];
  if (!ex[options & 3] && vbg_extractor_new(&ex[options & 3], options & 3) < 0)
    fail("vbg_extractor_new failed", options, 0);
  return ex[options & 3];
}

static int stream_pieces(vbg_refs **out, const vbg_extractor *ex,
                         const char *text, size_t len, uint64_t seed) {
  vbg_stream *s = NULL;
  *out = NULL;
  int err = vbg_stream_new(&s, ex);
  /* half the time the stream has had part of the input before (finished or
   * not) and is reset: it must then work as a new one */
  uint64_t pre = mix(&seed);
  if (err == 0 && (pre & 1)) {
    size_t n = len ? (size_t)(pre >> 8) % (len + 1) : 0;
    err = vbg_stream_feed(s, text + len - n, n);
    vbg_refs *first = NULL;
    if (err == 0 && (pre & 2))
      err = vbg_stream_finish(&first, s);
    vbg_refs_free(first);
    vbg_stream_reset(s);
  }
  size_t i = 0;
  while (err == 0 && i < len) {
    uint64_t r = mix(&seed);
    /* mostly tiny pieces (split UTF-8 sequences), some large ones */
    size_t n = (r & 7) == 0  ? (size_t)(r >> 8) % (WINDOW + MARGIN + 1)
               : (r & 7) < 3 ? 1
                             : 1 + (size_t)(r >> 8) % (len > 65536 ? 8191 : 97);
    if (n > len - i)
      n = len - i;
    if ((r & 0x30) == 0 && err == 0)
      err = vbg_stream_feed(s, text + i, 0); /* empty pieces are allowed */
    if (err == 0 && (r & 0x40)) { /* read into the stream's own room */
      char *at = NULL;
      if ((err = vbg_stream_room(s, n + 1 + (size_t)(r >> 48) % 64, &at)) ==
          0) {
        memcpy(at, text + i, n);
        err = vbg_stream_commit(s, n);
      }
    } else if (err == 0) {
      err = vbg_stream_feed(s, text + i, n);
    }
    i += n;
  }
  if (err == 0)
    err = vbg_stream_finish(out, s);
  vbg_stream_free(s);
  return err;
}

static size_t line_of(const char *text, size_t at, size_t *cache_at,
                      size_t *cache_line) {
  if (at < *cache_at) {
    *cache_at = 0;
    *cache_line = 1;
  }
  for (size_t i = *cache_at; i < at; i++)
    *cache_line += text[i] == '\n';
  *cache_at = at;
  return *cache_line;
}

static void check_refs(const vbg_refs *refs, const char *text, size_t len) {
  size_t n = vbg_refs_count(refs), at = 0, line = 1, prev = 0;
  for (size_t i = 0; i < n; i++) {
    const vbg_ref *r = vbg_refs_get(refs, i);
    CHECK(r != NULL, "vbg_refs_get(i < count) is NULL", i, n);
    CHECK(r->start < r->end && r->end <= len, "start < end <= len", r->start,
          r->end);
    CHECK(r->start >= prev, "references in input order", prev, r->start);
    prev = r->start;
    CHECK(r->surface != NULL, "surface is set", i, 0);
    CHECK(strlen(r->surface) == r->end - r->start,
          "strlen(surface) == end-start", strlen(r->surface),
          r->end - r->start);
    CHECK(memcmp(r->surface, text + r->start, r->end - r->start) == 0,
          "surface == input[start:end]", r->start, r->end);
    CHECK(r->line == line_of(text, r->start, &at, &line), "line of start",
          r->line, line);
    CHECK(r->short_form || r->key != NULL, "a full reference has a key", i, 0);
    CHECK(r->short_form || r->family != VBG_FAMILY_NONE,
          "a full reference has a family", i, 0);
    CHECK(r->nrelations == 0 || r->relations != NULL, "relations array",
          r->nrelations, 0);
    for (size_t k = 0; k < r->nrelations; k++) {
      const vbg_relation *rel = &r->relations[k];
      size_t a2 = 0, l2 = 1;
      CHECK((unsigned)rel->type < VBG_REL__COUNT, "relation type in range",
            rel->type, k);
      CHECK(rel->target != NULL && rel->target[0], "relation has a target", i,
            k);
      CHECK(rel->start <= rel->end && rel->end <= len,
            "relation evidence inside the input", rel->start, rel->end);
      CHECK(rel->line == line_of(text, rel->start, &a2, &l2),
            "relation line of its start", rel->line, l2);
    }
  }
  const vbg_input_info *info = vbg_refs_info(refs);
  CHECK(info != NULL, "vbg_refs_info", 0, 0);
  CHECK(info->bytes == len, "info bytes", info->bytes, len);
  size_t nl = 0;
  for (size_t i = 0; i < len; i++)
    nl += text[i] == '\n';
  nl += len > 0 && text[len - 1] != '\n';
  CHECK(info->lines == nl, "info lines", info->lines, nl);
}

static void check_tsv(const vbg_refs *refs) {
  vbg_buf tsv;
  vbg_buf_init(&tsv);
  CHECK(vbg_refs_write_tsv(&tsv, refs, "fuzz.txt") == VBG_OK, "write TSV", 0,
        0);
  size_t lines = 0, tabs = 0;
  for (size_t i = 0; i < tsv.size; i++) {
    if (tsv.ptr[i] == '\t')
      tabs++;
    if (tsv.ptr[i] == '\n') {
      CHECK(tabs == 18, "TSV line has 19 columns", lines + 1, tabs);
      lines++;
      tabs = 0;
    }
  }
  CHECK(tabs == 0, "TSV ends with a newline", tabs, 0);
  CHECK(lines == vbg_refs_count(refs), "one TSV line per reference", lines,
        vbg_refs_count(refs));
  vbg_buf_dispose(&tsv);
}

/* Write g in `fmt` into a malloc'd buffer; *size gets its length. */
static char *graph_to_mem(const vbg_graph *g, vbg_format fmt, size_t *size) {
  char *p = NULL;
  FILE *f = open_memstream(&p, size);
  CHECK(f != NULL, "open_memstream", 0, 0);
  int err = vbg_graph_write(g, fmt, f);
  CHECK(fclose(f) == 0, "fclose(memstream)", 0, 0);
  CHECK(err == VBG_OK, "vbg_graph_write", fmt, (size_t)-err);
  return p;
}

static void check_graph(const vbg_graph *g, char **graphml, size_t *gsize) {
  size_t nv = vbg_graph_vertex_count(g), ne = vbg_graph_edge_count(g);
  for (size_t i = 0; i < nv; i++) {
    const vbg_vertex *v = vbg_graph_vertex(g, i);
    CHECK(v && v->id, "vertex has an id", i, nv);
    CHECK(vbg_graph_find(g, v->id) == (long)i, "vertex ids are unique", i,
          (size_t)vbg_graph_find(g, v->id));
  }
  for (size_t i = 0; i < ne; i++) {
    const vbg_edge *e = vbg_graph_edge(g, i);
    CHECK(e && e->from < nv && e->to < nv, "edge ends are vertices", i, nv);
    CHECK(e->relation != NULL, "edge has a relation", i, 0);
  }
  static const vbg_format others[] = {VBG_FORMAT_DOT, VBG_FORMAT_JSON,
                                      VBG_FORMAT_CSV_NODES,
                                      VBG_FORMAT_CSV_EDGES};
  for (size_t k = 0; k < sizeof(others) / sizeof(others[0]); k++) {
    size_t n;
    free(graph_to_mem(g, others[k], &n));
  }
  *graphml = graph_to_mem(g, VBG_FORMAT_GRAPHML, gsize);

  /* Our own GraphML reads back and writes the same bytes again. */
  FILE *in = fmemopen(*graphml, *gsize, "r");
  CHECK(in != NULL, "fmemopen", *gsize, 0);
  vbg_graph *back = NULL;
  int err = vbg_graph_read_graphml(&back, in);
  fclose(in);
  CHECK(err == VBG_OK, "read back our own GraphML", (size_t)-err, *gsize);
  CHECK(vbg_graph_vertex_count(back) == nv, "vertices after GraphML round trip",
        vbg_graph_vertex_count(back), nv);
  CHECK(vbg_graph_edge_count(back) == ne, "edges after GraphML round trip",
        vbg_graph_edge_count(back), ne);
  size_t n2;
  char *again = graph_to_mem(back, VBG_FORMAT_GRAPHML, &n2);
  CHECK(n2 == *gsize && memcmp(again, *graphml, n2) == 0,
        "GraphML -> read -> GraphML is identical", n2, *gsize);
  free(again);
  vbg_graph_free(back);
}

/* Graph of the references, straight or through their JSON Lines. */
static char *graph_of(const vbg_refs *refs, const vbg_buf *jsonl,
                      size_t *gsize) {
  vbg_builder *b = NULL;
  vbg_graph *g = NULL;
  char *graphml = NULL;
  CHECK(vbg_builder_new(&b) == VBG_OK, "vbg_builder_new", 0, 0);
  int err = refs ? vbg_builder_add(b, "fuzz.txt", refs)
                 : vbg_builder_add_jsonl(b, jsonl->ptr ? jsonl->ptr : "",
                                         jsonl->size, "fuzz.jsonl");
  CHECK(err == VBG_OK,
        refs ? "vbg_builder_add" : "our own JSON Lines read back", 0,
        (size_t)-err);
  err = vbg_builder_finish(&g, b);
  CHECK(err == VBG_OK, "vbg_builder_finish", 0, (size_t)-err);
  vbg_builder_free(b);
  check_graph(g, &graphml, gsize);
  vbg_graph_free(g);
  return graphml;
}

/* The graph of the references, built directly and from their JSON Lines. */
static void check_shards(const vbg_refs *refs, const vbg_buf *jsonl) {
  size_t s1, s2;
  char *direct = graph_of(refs, NULL, &s1);
  char *shard = graph_of(NULL, jsonl, &s2);
  /* Shards give the graph of one run (an input without references is no
   * article either way). */
  CHECK(s1 == s2 && memcmp(direct, shard, s1) == 0,
        "graph from references == graph from their JSON Lines", s1, s2);
  free(direct);
  free(shard);
}

static void run_one(const char *text, size_t len, uint64_t h) {
  const vbg_extractor *ex = extractor((unsigned)(h >> 60));
  vbg_refs *whole = NULL, *pieces = NULL;
  int e1 = vbg_extract(&whole, ex, text, len);
  int e2 = stream_pieces(&pieces, ex, text, len, h);
  CHECK(e1 == e2, "whole and streamed status agree", (size_t)-e1, (size_t)-e2);
  if (e1 != VBG_OK) {
    /* A match limit hit is reported, as it must be, but on a small input it
     * means a pattern backtracks badly: worth a look. */
    CHECK(e1 == VBG_EREGEX && len >= (64u << 10),
          "extraction failed on a small input", (size_t)-e1, len);
    CHECK(whole == NULL && pieces == NULL, "no list on failure", 0, 0);
    return;
  }
  check_refs(whole, text, len);
  check_refs(pieces, text, len);
  check_tsv(whole);

  vbg_buf j1, j2;
  vbg_buf_init(&j1);
  vbg_buf_init(&j2);
  CHECK(vbg_refs_write_jsonl(&j1, whole, "fuzz.txt") == VBG_OK, "write JSONL",
        0, 0);
  CHECK(vbg_refs_write_jsonl(&j2, pieces, "fuzz.txt") == VBG_OK, "write JSONL",
        0, 0);
  CHECK(j1.size == j2.size &&
            (j1.size == 0 || memcmp(j1.ptr, j2.ptr, j1.size) == 0),
        "whole and streamed JSON Lines are identical", j1.size, j2.size);
  size_t lines = 0;
  for (size_t i = 0; i < j1.size; i++)
    lines += j1.ptr[i] == '\n';
  CHECK(lines == vbg_refs_count(whole), "one JSON line per reference", lines,
        vbg_refs_count(whole));

  /* The graph part is slower than extraction and has its own targets
   * (fuzz_jsonl, fuzz_graphml): one input in four takes it. */
  if ((h & 0x300) == 0)
    check_shards(whole, &j1);
  vbg_buf_dispose(&j1);
  vbg_buf_dispose(&j2);
  vbg_refs_free(whole);
  vbg_refs_free(pieces);
}

void vbg__stream_tune(vbg_stream *s, size_t window, size_t margin,
                      size_t back_refs, size_t ahead);

/* A tuned stream over text: fed in pieces with a take after each (`take`),
 * or whole and finished.  The JSON Lines of everything handed over go to
 * out. */
static int tuned(vbg_buf *out, const vbg_extractor *ex, const char *text,
                 size_t len, uint64_t seed, int take) {
  vbg_stream *s = NULL;
  vbg_refs *refs = NULL;
  int err = vbg_stream_new(&s, ex);
  size_t window = 1024 << (seed & 3), i = 0;
  if (err == 0)
    vbg__stream_tune(s, window, window / 4, 1 + (seed >> 2) % 5,
                     64 + (seed >> 5) % 1024);
  size_t min = (size_t)(seed >> 16) % 4;
  while (err == 0 && i < len) {
    size_t n = take ? 1 + (size_t)mix(&seed) % 700 : len;
    if (n > len - i)
      n = len - i;
    err = vbg_stream_feed(s, text + i, n);
    i += n;
    if (err == 0 && take && (err = vbg_stream_take(&refs, s, min)) == 0 &&
        refs) {
      size_t prev = 0;
      for (size_t k = 0; k < vbg_refs_count(refs); k++) {
        const vbg_ref *r = vbg_refs_get(refs, k);
        CHECK(r->start >= prev, "a batch is in input order", prev, r->start);
        CHECK(r->start < r->end && r->end <= i, "a taken reference was fed",
              r->end, i);
        CHECK(memcmp(r->surface, text + r->start, r->end - r->start) == 0,
              "taken surface == input[start:end]", r->start, r->end);
        prev = r->start;
      }
      CHECK(min <= 1 || vbg_refs_count(refs) >= min,
            "a batch has at least min references", vbg_refs_count(refs), min);
      CHECK(vbg_refs_info(refs)->bytes == 0, "a batch has no input figures",
            vbg_refs_info(refs)->bytes, 0);
      CHECK(vbg_refs_write_jsonl(out, refs, "fuzz.txt") == VBG_OK,
            "write JSONL", 0, 0);
      vbg_refs_free(refs);
      refs = NULL;
    }
  }
  if (err == 0 && (err = vbg_stream_finish(&refs, s)) == 0) {
    check_refs(refs, text, len);
    CHECK(vbg_refs_write_jsonl(out, refs, "fuzz.txt") == VBG_OK, "write JSONL",
          0, 0);
  }
  vbg_refs_free(refs);
  vbg_stream_free(s);
  return err;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of b, sorted (they point into b, whose newlines become NULs). */
static char **sorted_lines(vbg_buf *b, size_t *n) {
  *n = 0;
  for (size_t i = 0; i < b->size; i++)
    *n += b->ptr[i] == '\n';
  char **v = malloc((*n + 1) * sizeof(*v));
  CHECK(v != NULL, "malloc", *n, 0);
  size_t k = 0;
  for (size_t i = 0, from = 0; i < b->size; i++)
    if (b->ptr[i] == '\n') {
      b->ptr[i] = '\0';
      v[k++] = b->ptr + from;
      from = i + 1;
    }
  qsort(v, k, sizeof(*v), cmp_str);
  return v;
}

static void check_taken(const char *text, size_t len, uint64_t h) {
  const vbg_extractor *ex = extractor((unsigned)(h >> 60));
  vbg_buf all, taken;
  vbg_buf_init(&all);
  vbg_buf_init(&taken);
  int e1 = tuned(&all, ex, text, len, h, 0);
  int e2 = tuned(&taken, ex, text, len, h, 1);
  CHECK(e1 == e2, "finished and taken status agree", (size_t)-e1, (size_t)-e2);
  if (e1 == VBG_OK) {
    size_t n1, n2;
    char **l1 = sorted_lines(&all, &n1), **l2 = sorted_lines(&taken, &n2);
    CHECK(n1 == n2, "taken: as many references as finished at once", n1, n2);
    for (size_t i = 0; i < n1; i++)
      CHECK(strcmp(l1[i], l2[i]) == 0, "taken: the same records", i, n1);
    free(l1);
    free(l2);
  }
  vbg_buf_dispose(&all);
  vbg_buf_dispose(&taken);
}

/* The input behind and before filler, so that the stream's first window
 * ends inside it.  The filler kind decides where the stream may cut:
 * 0 a single long word (no space, no newline), 1 words, 2 lines. */
static void run_padded(const uint8_t *data, size_t size, uint64_t h) {
  size_t k = size ? (size_t)(h >> 8) % (size + 1) : 0;
  size_t before = WINDOW - k, after = MARGIN + 64;
  size_t len = before + size + after;
  char *p = malloc(len);
  CHECK(p != NULL, "malloc", len, 0);
  static const char *const fill[] = {"x", "ab ", "ab cd\n"};
  const char *f = fill[(h >> 4) % 3];
  size_t fl = strlen(f);
  for (size_t i = 0; i < before; i++)
    p[i] = f[i % fl];
  memcpy(p + before, data, size);
  for (size_t i = 0; i < after; i++)
    p[before + size + i] = f[i % fl];
  run_one(p, len, h);
  free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint64_t h = fnv1a(data, size);
  /* Default options for three inputs in four. */
  if ((h >> 62) != 0)
    h &= ~(0xFull << 60);
  run_one((const char *)data, size, h);
  if ((h & 0xC00) == 0)
    check_taken((const char *)data, size, h);
  if ((h & 0x3F0000) == 0x150000 && size <= 4096)
    run_padded(data, size, h);
  return 0;
}
