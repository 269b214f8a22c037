/*
 * graph.h - the graph model shared by the builder (graph.c), the exports
 * (export_*.c), the GraphML reader and the queries.
 */
#ifndef VBG_GRAPH_H
#define VBG_GRAPH_H

#include "common.h"

/*
 * The graph owns every string of its vertices and edges (each a separate
 * allocation from vbg__malloc, freed by vbg_graph_free()).  Vertices are
 * sorted by (kind, id), edges by (from, to, relation); ids are unique.
 * `ig` is the igraph_t with the same vertices and edges in the same order
 * and the attributes of DESIGN.md, or NULL until vbg__graph_igraph() makes it.
 */
struct vbg_graph {
  vbg_vertex *v;
  size_t nv;
  vbg_edge *e;
  size_t ne;
  void *ig; /* igraph_t *, kept opaque so only graph.c includes igraph.h */
};

/* Make (once) the igraph twin of g.  Returns VBG_OK, VBG_ENOMEM, VBG_EGRAPH. */
int vbg__graph_igraph(vbg_graph *g);

/* Allocate an empty graph with room for nv vertices and ne edges (zeroed). */
int vbg__graph_alloc(vbg_graph **out, size_t nv, size_t ne);

/* Sort vertices and edges into the canonical order (renumbering edges). */
int vbg__graph_sort(vbg_graph *g);

/* PageRank of every vertex (damping 0.85, directed, edge weights), into
 * out[0..nv).  Returns VBG_OK, VBG_ENOMEM or VBG_EGRAPH. */
int vbg__graph_pagerank(const vbg_graph *g, double *out);

/* A shortest path from a to b as vertex indices (*path[0] == a), following
 * edges forwards when `directed`, else in either direction; *n == 0 when
 * there is none.  Free *path with vbg__free. */
int vbg__graph_path(size_t **path, size_t *n, const vbg_graph *g, size_t a,
                    size_t b, int directed);

/* Exports (export_*.c). */
/* graph.c: igraph's GraphML, byte for byte, written directly (fast) ... */
int vbg__write_graphml(const vbg_graph *g, FILE *out);
/* ... and through igraph_write_graph_graphml() itself (the tests compare). */
int vbg__write_graphml_igraph(const vbg_graph *g, FILE *out);
int vbg__write_dot(const vbg_graph *g, FILE *out);
int vbg__write_json(const vbg_graph *g, FILE *out);
int vbg__write_csv_nodes(const vbg_graph *g, FILE *out);
int vbg__write_csv_edges(const vbg_graph *g, FILE *out);
int vbg__read_graphml(vbg_graph **out, FILE *in);

#endif
