/*
 * fuzz_jsonl.c - fuzz target for the JSON Lines shard reader
 * (vbg_builder_add_jsonl, what `vbgraph build --from-jsonl` runs).
 *
 * Bytes in -> vbg_builder_add_jsonl -> vbg_builder_finish -> vbg_graph_write
 * in every format.  Checked, with abort() on a violation:
 *   - a rejected shard sets a message that names the shard ("fuzz.jsonl:");
 *   - the builder still finishes after a rejected line (the CLI goes on
 *     building from the other shards), and the graph writes;
 *   - the graph is well formed (edge ends are vertices, ids unique);
 *   - its GraphML reads back and writes the same bytes again;
 *   - an accepted input split at a line break into two shards gives the
 *     same graph as one shard;
 *   - the fast reader and jansson (src/shard.c) agree: with the fast one
 *     turned off, every input gives the same status, the same message and
 *     the same graph.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vbgraph.h"

static void fail(const char *what, size_t a, size_t b) {
  fprintf(stderr, "fuzz_jsonl: property violated: %s (%zu, %zu)\n", what, a, b);
  fprintf(stderr, "fuzz_jsonl: last library message: %s\n", vbg_error_last());
  abort();
}
#define CHECK(cond, what, a, b)                                                \
  do {                                                                         \
    if (!(cond))                                                               \
      fail(what, (size_t)(a), (size_t)(b));                                    \
  } while (0)

static char *graph_to_mem(const vbg_graph *g, vbg_format fmt, size_t *size) {
  char *p = NULL;
  FILE *f = open_memstream(&p, size);
  CHECK(f != NULL, "open_memstream", 0, 0);
  int err = vbg_graph_write(g, fmt, f);
  CHECK(fclose(f) == 0, "fclose(memstream)", 0, 0);
  CHECK(err == VBG_OK, "vbg_graph_write", fmt, (size_t)-err);
  return p;
}

/* Check g and return its GraphML (malloc'd). */
static char *check_graph(const vbg_graph *g, size_t *gsize) {
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
  char *graphml = graph_to_mem(g, VBG_FORMAT_GRAPHML, gsize);
  FILE *in = fmemopen(graphml, *gsize, "r");
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
  CHECK(n2 == *gsize && memcmp(again, graphml, n2) == 0,
        "GraphML -> read -> GraphML is identical", n2, *gsize);
  free(again);
  vbg_graph_free(back);
  return graphml;
}

/* Add the shards data[cuts[i]..cuts[i+1]); returns the first failure. */
static int add_shards(vbg_builder *b, const char *data, const size_t *cuts,
                      size_t ncuts) {
  int first = VBG_OK;
  for (size_t i = 0; i + 1 < ncuts; i++) {
    vbg_error_clear();
    int err = vbg_builder_add_jsonl(b, data + cuts[i], cuts[i + 1] - cuts[i],
                                    "fuzz.jsonl");
    CHECK(err == VBG_OK || err == VBG_EINVAL || err == VBG_ELIMIT,
          "add_jsonl status is OK, EINVAL or ELIMIT", (size_t)-err, i);
    if (err != VBG_OK) {
      CHECK(strncmp(vbg_error_last(), "fuzz.jsonl:", 11) == 0,
            "the message names the shard", 0, 0);
      if (first == VBG_OK)
        first = err;
    }
  }
  return first;
}

static char *graph_of(const char *data, const size_t *cuts, size_t ncuts,
                      int *status, size_t *gsize) {
  vbg_builder *b = NULL;
  vbg_graph *g = NULL;
  CHECK(vbg_builder_new(&b) == VBG_OK, "vbg_builder_new", 0, 0);
  *status = add_shards(b, data, cuts, ncuts);
  int err = vbg_builder_finish(&g, b);
  CHECK(err == VBG_OK, "vbg_builder_finish after any shard", 0, (size_t)-err);
  vbg_builder_free(b);
  char *graphml = check_graph(g, gsize);
  vbg_graph_free(g);
  return graphml;
}

void vbg__jsonl_fast_reader(int on);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  size_t whole[2] = {0, size};
  int st1, st2;
  size_t s1, s2;
  char *g1 = graph_of(text, whole, 2, &st1, &s1);
  {
    /* the same through jansson alone */
    char msg[512];
    snprintf(msg, sizeof(msg), "%s", st1 ? vbg_error_last() : "");
    vbg__jsonl_fast_reader(0);
    char *gs = graph_of(text, whole, 2, &st2, &s2);
    vbg__jsonl_fast_reader(1);
    CHECK(st1 == st2, "fast reader and jansson: same status", (size_t)-st1,
          (size_t)-st2);
    if (st1 != VBG_OK && strcmp(msg, vbg_error_last()) != 0) {
      fprintf(stderr, "fast:    %s\njansson: %s\n", msg, vbg_error_last());
      CHECK(0, "fast reader and jansson: same message", 0, 0);
    }
    CHECK(s1 == s2 && memcmp(g1, gs, s1) == 0,
          "fast reader and jansson: same graph", s1, s2);
    free(gs);
  }
  if (st1 == VBG_OK) {
    /* Cut after the middle line break, if any. */
    const char *nl = memchr(text + size / 2, '\n', size - size / 2);
    if (nl) {
      size_t cuts[3] = {0, (size_t)(nl - text) + 1, size};
      char *g2 = graph_of(text, cuts, 3, &st2, &s2);
      CHECK(st2 == VBG_OK, "two halves of an accepted shard are accepted", 0,
            (size_t)-st2);
      CHECK(s1 == s2 && memcmp(g1, g2, s1) == 0,
            "one shard or two halves give the same graph", s1, s2);
      free(g2);
    }
  }
  free(g1);
  return 0;
}
