/*
 * export_weak.c - placeholders for exporters not yet written; each is a
 * weak symbol that the real export_*.c replaces at link time.  Removed once
 * every exporter exists.
 */
#include "graph.h"

#define PLACEHOLDER(fn)                                                        \
  __attribute__((weak)) int fn(const vbg_graph *g, FILE *out) {                \
    (void)g;                                                                   \
    (void)out;                                                                 \
    return vbg__error_set(VBG_EINVAL,                                          \
                          "this output format is not available yet");          \
  }

PLACEHOLDER(vbg__write_dot)
PLACEHOLDER(vbg__write_json)
PLACEHOLDER(vbg__write_csv_nodes)
PLACEHOLDER(vbg__write_csv_edges)
