/*
 * fuzz_graphml.c - fuzz target for the GraphML loader
 * (vbg_graph_read_graphml, over igraph's reader and libxml2).
 *
 * Bytes in -> fmemopen -> vbg_graph_read_graphml.  Checked, with abort() on
 * a violation:
 *   - the status is OK, ENOMEM, EGRAPH or EINVAL, and a failure leaves
 *     *out NULL with a message set;
 *   - an accepted graph is well formed (edge ends are vertices, ids set);
 *   - it writes in every format, and its GraphML reads back and writes the
 *     same bytes again (writing is a fixed point after one read).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vbgraph.h"

static void fail(const char *what, size_t a, size_t b) {
  fprintf(stderr, "fuzz_graphml: property violated: %s (%zu, %zu)\n", what, a,
          b);
  fprintf(stderr, "fuzz_graphml: last library message: %s\n", vbg_error_last());
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

static int read_graph(vbg_graph **out, const void *data, size_t size) {
  static const char empty[1] = "";
  /* glibc's fmemopen refuses a zero size: give it one NUL byte instead,
   * which no XML parser accepts either. */
  FILE *in = size ? fmemopen((void *)data, size, "r")
                  : fmemopen((void *)empty, 1, "r");
  CHECK(in != NULL, "fmemopen", size, 0);
  vbg_error_clear();
  int err = vbg_graph_read_graphml(out, in);
  fclose(in);
  CHECK(err == VBG_OK || err == VBG_ENOMEM || err == VBG_EGRAPH ||
            err == VBG_EINVAL,
        "read status is OK, ENOMEM, EGRAPH or EINVAL", (size_t)-err, size);
  if (err != VBG_OK) {
    CHECK(*out == NULL, "*out is NULL on failure", 0, 0);
    CHECK(vbg_error_last()[0] != '\0', "a failure sets a message", 0, 0);
  } else {
    CHECK(*out != NULL, "*out is set on success", 0, 0);
  }
  return err;
}

static void check_shape(const vbg_graph *g) {
  size_t nv = vbg_graph_vertex_count(g), ne = vbg_graph_edge_count(g);
  for (size_t i = 0; i < nv; i++) {
    const vbg_vertex *v = vbg_graph_vertex(g, i);
    CHECK(v && v->id, "vertex has an id", i, nv);
    CHECK((unsigned)v->kind <= VBG_KIND_ARTICLE, "vertex kind in range", i,
          v->kind);
  }
  for (size_t i = 0; i < ne; i++) {
    const vbg_edge *e = vbg_graph_edge(g, i);
    CHECK(e && e->from < nv && e->to < nv, "edge ends are vertices", i, nv);
    CHECK(e->relation != NULL, "edge has a relation", i, 0);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  vbg_graph *g = NULL;
  if (read_graph(&g, data, size) != VBG_OK)
    return 0;
  check_shape(g);
  static const vbg_format others[] = {VBG_FORMAT_DOT, VBG_FORMAT_JSON,
                                      VBG_FORMAT_CSV_NODES,
                                      VBG_FORMAT_CSV_EDGES};
  for (size_t k = 0; k < sizeof(others) / sizeof(others[0]); k++) {
    size_t n;
    free(graph_to_mem(g, others[k], &n));
  }
  size_t n1, n2;
  char *w1 = graph_to_mem(g, VBG_FORMAT_GRAPHML, &n1);
  vbg_graph *back = NULL;
  CHECK(read_graph(&back, w1, n1) == VBG_OK, "our GraphML of it reads back", n1,
        0);
  CHECK(vbg_graph_vertex_count(back) == vbg_graph_vertex_count(g),
        "vertices after a round trip", vbg_graph_vertex_count(back),
        vbg_graph_vertex_count(g));
  CHECK(vbg_graph_edge_count(back) == vbg_graph_edge_count(g),
        "edges after a round trip", vbg_graph_edge_count(back),
        vbg_graph_edge_count(g));
  char *w2 = graph_to_mem(back, VBG_FORMAT_GRAPHML, &n2);
  CHECK(n1 == n2 && memcmp(w1, w2, n1) == 0,
        "GraphML -> read -> GraphML is a fixed point", n1, n2);
  free(w1);
  free(w2);
  vbg_graph_free(back);
  vbg_graph_free(g);
  return 0;
}
