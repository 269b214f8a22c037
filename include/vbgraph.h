/*
 * vbgraph.h - the public interface of libvbgraph.
 *
 * libvbgraph finds references to Vietnamese Party and State documents
 * ("Nghị quyết số 25-NQ/TW", "Kế hoạch số 170/KH-UBND", "Nghị định số
 * 30/2020/NĐ-CP") in UTF-8 text and describes each one as a record: its
 * canonical key, type, number, signing date, issuing body and the relations
 * the text states between documents.
 *
 * Conventions (see STYLE.md):
 *  - Functions that can fail return VBG_OK (0) or a negative vbg_status; the
 *    detail is kept per thread and read with vbg_error_last().
 *  - vbg_x_new(&out, ...) pairs with vbg_x_free(x); free functions accept
 *    NULL.  On failure *out is NULL and nothing leaks.
 *  - Getters return borrowed data, valid until the owner is freed.
 *  - The library never prints and never exits.
 *
 * Thread safety: a vbg_extractor is immutable once made and may be shared by
 * any number of threads; each thread uses its own vbg_stream.  The error slot
 * is thread-local.
 */
#ifndef VBGRAPH_H
#define VBGRAPH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vbgraph_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Version and errors                                                  */
/* ------------------------------------------------------------------ */

#define VBG_VERSION_MAJOR 0
#define VBG_VERSION_MINOR 1
#define VBG_VERSION_PATCH 0
#define VBG_VERSION_STRING "0.1.0"

/** Status codes.  Every failing call returns one of the negative values. */
typedef enum vbg_status {
  VBG_OK = 0,      /**< success */
  VBG_ENOMEM = -1, /**< out of memory */
  VBG_EINVAL = -2, /**< invalid argument or malformed input data */
  VBG_EIO = -3,    /**< reading or writing failed */
  VBG_EREGEX = -4, /**< a pattern failed to compile or a match limit was hit */
  VBG_EUTF8 = -5,  /**< the input is not valid UTF-8 */
  VBG_EGRAPH = -6, /**< the graph library reported a failure */
  VBG_ELIMIT = -7  /**< an internal size limit was exceeded */
} vbg_status;

/** The library's version, "MAJOR.MINOR.PATCH".  Never NULL. */
VBG_EXPORT const char *vbg_version(void);

/** A fixed English description of a status code.  Never NULL. */
VBG_EXPORT const char *vbg_strerror(int code);

/**
 * The message recorded by the last failing call on this thread (one line,
 * no trailing newline), or "" when none failed.  Borrowed: valid until the
 * next library call on this thread.
 */
VBG_EXPORT const char *vbg_error_last(void);

/** Forget the message recorded on this thread. */
VBG_EXPORT void vbg_error_clear(void);

/* ------------------------------------------------------------------ */
/* Allocation hooks                                                    */
/* ------------------------------------------------------------------ */

/**
 * Replace the allocator used by the library's own allocations (not by
 * PCRE2, utf8proc or igraph internals).  Pass NULL to restore malloc,
 * realloc and free.  Not thread-safe: call before any other function.
 * Tests use it to fail the Nth allocation.
 */
typedef struct vbg_allocator {
  void *(*malloc)(size_t size, void *ctx);
  void *(*realloc)(void *ptr, size_t size, void *ctx);
  void (*free)(void *ptr, void *ctx);
  void *ctx;
} vbg_allocator;

VBG_EXPORT void vbg_set_allocator(const vbg_allocator *alloc);

/* ------------------------------------------------------------------ */
/* Growable byte buffer                                                */
/* ------------------------------------------------------------------ */

/**
 * A caller-owned growable buffer.  vbg_buf_init() makes it empty;
 * vbg_buf_dispose() releases its memory.  `ptr` is always NUL-terminated
 * once anything was written (size does not count the NUL).
 */
typedef struct vbg_buf {
  char *ptr;
  size_t size;
  size_t asize;
} vbg_buf;

VBG_EXPORT void vbg_buf_init(vbg_buf *buf);
VBG_EXPORT void vbg_buf_dispose(vbg_buf *buf);
/** Forget the contents, keep the memory. */
VBG_EXPORT void vbg_buf_clear(vbg_buf *buf);
/** Append len bytes.  Returns VBG_OK or VBG_ENOMEM. */
VBG_EXPORT int vbg_buf_put(vbg_buf *buf, const char *data, size_t len);

/* ------------------------------------------------------------------ */
/* Reference records                                                   */
/* ------------------------------------------------------------------ */

/** Numbering family of a reference (DESIGN.md, "three numbering families"). */
typedef enum vbg_family {
  VBG_FAMILY_NONE = 0, /**< short forms and back-references: no number shape */
  VBG_FAMILY_PARTY,    /**< N-CODE/ISSUER        25-NQ/TW     */
  VBG_FAMILY_STATE,    /**< N/CODE-ISSUER        170/KH-UBND  */
  VBG_FAMILY_LEGAL,    /**< N/YYYY/CODE-ISSUER   30/2020/NĐ-CP, 80/2015/QH13 */
  VBG_FAMILY_LETTER    /**< N/ISSUER-UNIT        123/UBND-VX  */
} vbg_family;

/** The JSON name of a family ("party", ...), or NULL for VBG_FAMILY_NONE. */
VBG_EXPORT const char *vbg_family_name(vbg_family f);

/** Relations a text states between documents. */
typedef enum vbg_rel {
  VBG_REL_IMPLEMENTS = 0,
  VBG_REL_BASED_ON,
  VBG_REL_AMENDS,
  VBG_REL_REPLACES,
  VBG_REL_GUIDES,
  VBG_REL_REVIEWS,
  VBG_REL_CITES,
  VBG_REL__COUNT
} vbg_rel;

/** The JSON name of a relation ("implements", "based_on", ...). */
VBG_EXPORT const char *vbg_rel_name(vbg_rel r);

/**
 * One relation: this reference's document --type--> target key, with the
 * place the text states it: the cue phrase ("triển khai thực hiện") and its
 * byte range and line, or, for `cites`, the cited mention itself.
 */
typedef struct vbg_relation {
  vbg_rel type;
  const char *target; /**< canonical key of the other document */
  const char *cue;    /**< the cue phrase as written (NFC), or NULL */
  size_t start, end;  /**< byte range of the evidence in the original input */
  size_t line;        /**< 1-based line of `start` */
  const char *by; /**< reviews: the body that held the review ("Thành ủy Hà
                       Nội tổ chức Hội nghị sơ kết ..."), or NULL */
} vbg_relation;

/**
 * One reference, as DESIGN.md describes its JSON form.  All strings are
 * UTF-8 in NFC, owned by the vbg_refs list that holds the record; NULL
 * stands for JSON null.  Offsets are byte offsets into the original input,
 * end exclusive, whatever normalisation was applied to find the reference.
 */
typedef struct vbg_ref {
  size_t start, end;   /**< byte range of `surface` in the input */
  size_t line;         /**< 1-based line of `start` */
  const char *surface; /**< the original bytes start..end */
  const char *key;     /**< canonical key; NULL for short forms */
  vbg_family family;   /**< VBG_FAMILY_NONE for short forms */
  const char *doc_type; /**< "Nghị quyết", or NULL when only a code is given */
  const char
      *type_code; /**< canonical type code, NULL for letters/laws/short forms */
  const char *number; /**< serial number as printed ("04") */
  int year;           /**< year inside the number, 0 when none */
  const char
      *issuer_code; /**< canonical issuer code(s), joint ones joined by '-' */
  const char
      *unit_code;   /**< for letters: the drafting unit (123/UBND-VX: "VX") */
  const char *date; /**< signing date, ISO yyyy-mm-dd, or NULL */
  const char *issuer_body; /**< issuing body named in the text, or NULL */
  const char *term;        /**< Party term (khóa) in Roman numerals, or NULL */
  const char *title;       /**< title given with the reference, or NULL */
  int short_form;          /**< 1 for a back-reference without a full number */
  const char
      *resolves_to; /**< for a short form, the key it stands for, or NULL */
  const vbg_relation *relations;
  size_t nrelations;
} vbg_ref;

/** What the text stage noticed about an input while reading it. */
typedef struct vbg_input_info {
  size_t bytes;    /**< bytes read */
  size_t lines;    /**< newline count (+1 when the last line is unterminated) */
  size_t bad_utf8; /**< number of invalid UTF-8 sequences (each skipped) */
  size_t first_bad_utf8; /**< byte offset of the first one, if bad_utf8 > 0 */
  size_t nul_bytes;      /**< number of NUL bytes seen */
  int had_bom;           /**< 1 when a UTF-8 byte order mark was dropped */
  int normalized;        /**< 1 when some part needed NFC normalisation */
} vbg_input_info;

typedef struct vbg_refs vbg_refs;

/** Number of references in the list. */
VBG_EXPORT size_t vbg_refs_count(const vbg_refs *refs);
/** The i-th reference (in input order), or NULL when i is out of range. */
VBG_EXPORT const vbg_ref *vbg_refs_get(const vbg_refs *refs, size_t i);
/** What was noticed about the input the list was made from. */
VBG_EXPORT const vbg_input_info *vbg_refs_info(const vbg_refs *refs);
/** Free the list and every record in it.  Accepts NULL. */
VBG_EXPORT void vbg_refs_free(vbg_refs *refs);

/* ------------------------------------------------------------------ */
/* Extraction                                                          */
/* ------------------------------------------------------------------ */

typedef struct vbg_extractor vbg_extractor;

/** Default behaviour. */
#define VBG_OPT_DEFAULT 0
/** Leave out short forms and back-references ("Nghị quyết 72", "Quyết định
 * này"). */
#define VBG_OPT_NO_SHORT_FORMS (1u << 0)
/** Do not look for relations between documents. */
#define VBG_OPT_NO_RELATIONS (1u << 1)

/**
 * Compile the patterns once.  The extractor is read-only afterwards and can
 * be shared between threads.
 *
 * Returns VBG_OK, VBG_ENOMEM, or VBG_EREGEX (a pattern failed to compile;
 * the message names the pattern and the offset).  Free with
 * vbg_extractor_free().
 */
VBG_EXPORT int vbg_extractor_new(vbg_extractor **out, unsigned options);
VBG_EXPORT void vbg_extractor_free(vbg_extractor *ex);

/**
 * Extract every reference from one whole input (UTF-8, NFC or NFD, with or
 * without BOM, LF or CRLF).  Invalid UTF-8 is not an error: the bad bytes
 * are skipped, counted in vbg_refs_info(), and the rest is scanned.
 *
 * Returns VBG_OK (an input without references gives an empty list),
 * VBG_ENOMEM, or VBG_EREGEX when a match limit was hit.  Free *out with
 * vbg_refs_free().  The list owns copies of everything it reports, so the
 * text can be freed as soon as this returns.
 */
VBG_EXPORT int vbg_extract(vbg_refs **out, const vbg_extractor *ex,
                           const char *text, size_t len);

/**
 * Streaming extraction, for inputs too large to hold at once.  Feed the
 * input in pieces of any size (a piece may end inside a UTF-8 sequence).
 * Offsets are counted from the first byte ever fed.
 *
 * Memory: the stream holds the window the scanner needs (about one MiB of
 * text), the references of roughly that much text around it, one small
 * entry per distinct document key the input names, and the references
 * decided but not handed over.  Taking those as they come
 * (vbg_stream_take) keeps memory bounded however long the input is;
 * otherwise vbg_stream_finish hands over all of them at the end.
 *
 * Resolution works as the text goes: a bare number ("Nghị quyết 72") takes
 * the nearest earlier full reference of that number and type, or else the
 * first later one within 64 KiB of text; "Quyết định trên" looks back at
 * most 4096 references.
 */
typedef struct vbg_stream vbg_stream;

/** Start a stream over `ex`, which must outlive it. */
VBG_EXPORT int vbg_stream_new(vbg_stream **out, const vbg_extractor *ex);
/** Feed the next len bytes.  Returns VBG_OK, VBG_ENOMEM or VBG_EREGEX. */
VBG_EXPORT int vbg_stream_feed(vbg_stream *s, const char *data, size_t len);
/**
 * Feeding without a copy: vbg_stream_room sets *out to room for the next
 * `want` bytes of input (want > 0), to be read into directly; the pointer
 * is good until the next call on s.  vbg_stream_commit(s, len) then feeds
 * the first len <= want bytes written there, as vbg_stream_feed would.
 * vbg_stream_room returns VBG_OK, VBG_ENOMEM, or VBG_EINVAL after
 * vbg_stream_finish or for want 0; vbg_stream_commit returns what
 * vbg_stream_feed does, or VBG_EINVAL for more than the room asked for.
 */
VBG_EXPORT int vbg_stream_room(vbg_stream *s, size_t want, char **out);
VBG_EXPORT int vbg_stream_commit(vbg_stream *s, size_t len);
/**
 * Hand over the references that nothing later in the input can change,
 * in input order, when there are at least `min` of them (min 0 or 1: any);
 * otherwise *out is NULL and they stay for a later call.  Their
 * vbg_refs_info() is all zero: the input's figures come with
 * vbg_stream_finish.  The input's own header reference (the number of the
 * document the input is) gathers relations from the whole text, so it is
 * handed over by vbg_stream_finish, first in that last list.  Returns
 * VBG_OK, VBG_ENOMEM, or VBG_EINVAL after vbg_stream_finish.
 */
VBG_EXPORT int vbg_stream_take(vbg_refs **out, vbg_stream *s, size_t min);
/**
 * End the input, decide what is left, and hand over the references not
 * handed over yet (all of them, in input order, when vbg_stream_take was
 * never called) with the input's figures in vbg_refs_info().  The stream
 * cannot be fed afterwards: free it with vbg_stream_free(), or start the
 * next input on it with vbg_stream_reset().
 */
VBG_EXPORT int vbg_stream_finish(vbg_refs **out, vbg_stream *s);
/**
 * Start a new input on s, which then works as a new stream over the same
 * extractor would: offsets, lines and everything the resolver knew start
 * afresh, and references not handed over are dropped.  The storage s grew
 * is kept, up to what a short input needs, so a caller that extracts many
 * small inputs in turn (the articles of a directory) does not allocate it
 * for each.  May be called at any point, finished or not; room from
 * vbg_stream_room that was not committed is gone, and its pointer with it.
 */
VBG_EXPORT void vbg_stream_reset(vbg_stream *s);
VBG_EXPORT void vbg_stream_free(vbg_stream *s);

/* ------------------------------------------------------------------ */
/* Writing references                                                  */
/* ------------------------------------------------------------------ */

/**
 * Append the references as JSON Lines (one object per reference, the fields
 * of DESIGN.md in its order), `file` being the value of the "file" field.
 * Returns VBG_OK or VBG_ENOMEM.
 */
VBG_EXPORT int vbg_refs_write_jsonl(vbg_buf *out, const vbg_refs *refs,
                                    const char *file);

/**
 * Append the references as tab-separated values, one line each, with the
 * same columns as the JSON fields (relations as "type:target" joined by
 * ","; tabs and newlines inside values become spaces).  The header line is
 * written by vbg_refs_write_tsv_header().
 */
VBG_EXPORT int vbg_refs_write_tsv(vbg_buf *out, const vbg_refs *refs,
                                  const char *file);
VBG_EXPORT int vbg_refs_write_tsv_header(vbg_buf *out);

/* ------------------------------------------------------------------ */
/* Canonical forms                                                     */
/* ------------------------------------------------------------------ */

/**
 * Canonical spelling of an issuing body's name ("UBND TP Hà Nội" ->
 * "Ủy ban nhân dân thành phố Hà Nội", "BCHTW Đảng" -> "Ban Chấp hành Trung
 * ương Đảng"), written to `out` (cleared first).  Names the table does not
 * know keep their words, with whitespace collapsed and NFC.
 * Returns VBG_OK, VBG_ENOMEM or VBG_EINVAL (not UTF-8).
 */
VBG_EXPORT int vbg_body_canonical(vbg_buf *out, const char *name, size_t len);

/**
 * Parse a document number as people type it ("25-NQ/TƯ", "Nghị quyết số
 * 25-NQ/TW", "30/2020/ND-CP") and write its canonical key to `out` (cleared
 * first).  Returns VBG_OK, VBG_ENOMEM, VBG_EINVAL when no number is found,
 * or VBG_EREGEX when a match limit was hit.
 */
VBG_EXPORT int vbg_key_canonical(vbg_buf *out, const vbg_extractor *ex,
                                 const char *text, size_t len);

/* ------------------------------------------------------------------ */
/* The citation graph                                                  */
/* ------------------------------------------------------------------ */

/*
 * A graph of documents, issuing bodies and articles (DESIGN.md, "The
 * graph"), built once from the references of many inputs.  Vertices and
 * edges are in a deterministic order: the same corpus gives the same graph
 * whatever the order its inputs were added in.
 *
 * The igraph attribute handler is global state: the first graph built or
 * read sets igraph's attribute table to the C attribute handler
 * (igraph_cattribute_table), for the whole process.
 */

/** Kinds of vertex. */
typedef enum vbg_kind {
  VBG_KIND_DOCUMENT = 0,
  VBG_KIND_BODY,
  VBG_KIND_ARTICLE
} vbg_kind;

/** The name of a kind: "document", "body", "article". */
VBG_EXPORT const char *vbg_kind_name(vbg_kind k);

/**
 * A vertex.  Strings are owned by the graph; NULL means "not known" (and
 * every attribute that does not apply to the vertex's kind is NULL or 0).
 */
typedef struct vbg_vertex {
  const char *id; /**< stable unique identifier: a document's key (with
                       " [body, year]" or " [?]" when it must be told
                       apart), "body:NAME", "article:PATH" */
  vbg_kind kind;
  const char *label; /**< what a person reads */
  /* documents */
  const char *key, *doc_type, *type_code, *number;
  int year; /**< year inside the number, 0 when none */
  const char *issuer_code, *date, *term, *title;
  size_t mentions; /**< times mentioned in the corpus */
  int ambiguous;   /**< 1: mentions that could not be told apart */
  /* bodies */
  const char
      *level; /**< central, ministry, provincial, district, commune, other */
  /* articles */
  const char *file; /**< the input path */
} vbg_vertex;

/**
 * An edge.  `relation` is one of mentions, issued_by, implements, based_on,
 * amends, replaces, guides, cites, reviews.  The evidence is the first
 * place the corpus states it (inputs in path order).
 */
typedef struct vbg_edge {
  size_t from, to; /**< vertex indices */
  const char *relation;
  size_t weight;        /**< how many times the corpus states it */
  const char *evidence; /**< "FILE:START-END" (byte range) */
  const char *file;
  size_t start, end, line;
  const char
      *cue; /**< the words that state it ("triển khai thực hiện"), or NULL */
} vbg_edge;

typedef struct vbg_graph vbg_graph;
typedef struct vbg_builder vbg_builder;

/** Start collecting references.  Free with vbg_builder_free(). */
VBG_EXPORT int vbg_builder_new(vbg_builder **out);
/**
 * Add the references found in one input (`file` names the article).  The
 * builder copies what it needs, aggregated per document and input, so its
 * memory grows with the graph, not with the text.  Returns VBG_OK or
 * VBG_ENOMEM.
 */
VBG_EXPORT int vbg_builder_add(vbg_builder *b, const char *file,
                               const vbg_refs *refs);
/**
 * Add references from JSON Lines as `vbgraph extract` writes them (shards of
 * a distributed run); each object's "file" names its article.  `origin`
 * names the shard in error messages.  Returns VBG_OK, VBG_ENOMEM, or
 * VBG_EINVAL for a line that is not a reference (message: origin, line).
 */
VBG_EXPORT int vbg_builder_add_jsonl(vbg_builder *b, const char *data,
                                     size_t len, const char *origin);
/**
 * The same for a piece of a longer shard, whose first line is line
 * `first_line` (1-based) of `origin`: a shard can be fed in pieces of whole
 * lines, so that it need not be held at once.
 */
VBG_EXPORT int vbg_builder_add_jsonl_from(vbg_builder *b, const char *data,
                                          size_t len, const char *origin,
                                          size_t first_line);
/**
 * Build the graph (one batch into igraph).  The builder can be freed
 * afterwards.  Returns VBG_OK, VBG_ENOMEM or VBG_EGRAPH.
 */
VBG_EXPORT int vbg_builder_finish(vbg_graph **out, vbg_builder *b);
VBG_EXPORT void vbg_builder_free(vbg_builder *b);

VBG_EXPORT void vbg_graph_free(vbg_graph *g);
VBG_EXPORT size_t vbg_graph_vertex_count(const vbg_graph *g);
VBG_EXPORT const vbg_vertex *vbg_graph_vertex(const vbg_graph *g, size_t i);
VBG_EXPORT size_t vbg_graph_edge_count(const vbg_graph *g);
VBG_EXPORT const vbg_edge *vbg_graph_edge(const vbg_graph *g, size_t i);
/** Index of the vertex with this id, or -1. */
VBG_EXPORT long vbg_graph_find(const vbg_graph *g, const char *id);

/** Output formats of vbg_graph_write(). */
typedef enum vbg_format {
  VBG_FORMAT_GRAPHML = 0, /**< GraphML through igraph */
  VBG_FORMAT_DOT,         /**< Graphviz DOT through cgraph */
  VBG_FORMAT_JSON,        /**< node-link JSON (networkx node_link_graph, D3) */
  VBG_FORMAT_CSV_NODES,   /**< nodes.csv (neo4j-admin import header) */
  VBG_FORMAT_CSV_EDGES    /**< edges.csv */
} vbg_format;

/**
 * Write the graph to `out` in `fmt`.  Returns VBG_OK, VBG_ENOMEM, VBG_EIO
 * (a write failed) or VBG_EGRAPH.  The caller opens and closes `out`.
 */
VBG_EXPORT int vbg_graph_write(const vbg_graph *g, vbg_format fmt, FILE *out);

/**
 * Read a graph written by vbg_graph_write(..., VBG_FORMAT_GRAPHML, ...).
 * Returns VBG_OK, VBG_ENOMEM, VBG_EGRAPH (not GraphML igraph can read) or
 * VBG_EINVAL (GraphML without vbgraph's attributes).
 */
VBG_EXPORT int vbg_graph_read_graphml(vbg_graph **out, FILE *in);

/* ------------------------------------------------------------------ */
/* Questions asked of the graph                                        */
/* ------------------------------------------------------------------ */

/** Free memory the library handed over (vbg_graph_lookup's array). */
VBG_EXPORT void vbg_free(void *p);

/**
 * Find the documents a user means by `text`, typed as people type it:
 * "25-NQ/TƯ", "Nghị quyết số 25-NQ/TW", decomposed (NFD) text, or loosely
 * "nq 25/tw" when that is unambiguous.  *out receives the indices of every
 * document vertex with that key (several when local numbers repeat, or an
 * ambiguous node exists), *n their number (0: unknown).  Free *out with
 * vbg_free().  Returns VBG_OK or VBG_ENOMEM.
 */
VBG_EXPORT int vbg_graph_lookup(size_t **out, size_t *n, const vbg_graph *g,
                                const vbg_extractor *ex, const char *text,
                                size_t len);

/**
 * Up to `max` document keys closest to `text` (edit distance), for "did you
 * mean".  *out receives vertex indices (free with vbg_free()).
 */
VBG_EXPORT int vbg_graph_suggest(size_t **out, size_t *n, const vbg_graph *g,
                                 const char *text, size_t len, size_t max);

/** Options of the queries.  Start from VBG_QUERY_OPTIONS_INIT. */
typedef struct vbg_query_options {
  int version;  /**< VBG_QUERY_OPTIONS_VERSION */
  int json;     /**< 1: JSON for scripts; 0: text for people */
  int depth;    /**< implements: levels to follow (0 = no limit) */
  size_t limit; /**< top: how many (0 = 20) */
  int kind;     /**< top: -1 all, or a vbg_kind */
} vbg_query_options;

#define VBG_QUERY_OPTIONS_VERSION 1
#define VBG_QUERY_OPTIONS_INIT                                                 \
  { VBG_QUERY_OPTIONS_VERSION, 0, 0, 0, VBG_KIND_DOCUMENT }

/**
 * What implements document `doc`, directly or through a chain (plan ->
 * programme -> resolution), and which articles and bodies report reviewing
 * its implementation, each step with its evidence (file:line, cue), the
 * implementing body and date; as an indented tree or JSON, appended to out.
 */
VBG_EXPORT int vbg_query_implements(vbg_buf *out, const vbg_graph *g,
                                    size_t doc, const vbg_query_options *opts);
/** Documents that relate to `doc` (any relation), or, with outgoing = 1,
 *  the documents `doc` relates to. */
VBG_EXPORT int vbg_query_cites(vbg_buf *out, const vbg_graph *g, size_t doc,
                               int outgoing, const vbg_query_options *opts);
/** Everything known of one document: type, number, bodies, dates, titles,
 *  how often and where it is mentioned, its relations. */
VBG_EXPORT int vbg_query_show(vbg_buf *out, const vbg_graph *g, size_t doc,
                              const vbg_query_options *opts);
/** The most cited vertices, by mentions and by PageRank. */
VBG_EXPORT int vbg_query_top(vbg_buf *out, const vbg_graph *g,
                             const vbg_query_options *opts);
/** A shortest chain of relations from vertex a to vertex b (following edge
 *  direction first, then either direction). */
VBG_EXPORT int vbg_query_path(vbg_buf *out, const vbg_graph *g, size_t a,
                              size_t b, const vbg_query_options *opts);

/* ------------------------------------------------------------------ */
/* Diagrams                                                            */
/* ------------------------------------------------------------------ */

/** Options of vbg_render().  Start from VBG_RENDER_OPTIONS_INIT. */
typedef struct vbg_render_options {
  int version;        /**< VBG_RENDER_OPTIONS_VERSION */
  const char *format; /**< "svg", "png", "pdf" or "dot" (laid out) */
  long focus;         /**< vertex to centre on, or -1 for the whole graph */
  int depth;          /**< with focus: hops to follow (default 2) */
  size_t max_nodes;   /**< cap on the vertices drawn (default 300) */
  int articles;       /**< 1: draw articles and their mentions too; 2: and
                           `cites` edges (left out by default: a document
                           naming another in passing crowds the picture) */
} vbg_render_options;

#define VBG_RENDER_OPTIONS_VERSION 1
#define VBG_RENDER_OPTIONS_INIT                                                \
  { VBG_RENDER_OPTIONS_VERSION, "svg", -1, 2, 300, 0 }

/**
 * Lay the graph out with Graphviz (dot) and write the diagram to `out`:
 * nodes styled by kind, edges by relation, a legend, documents and bodies
 * grouped by level (central, ministry, provincial, district, commune).
 * When the view holds more than max_nodes vertices the least mentioned are
 * left out; `note` (may be NULL) then receives one line saying what was
 * left out.  Returns VBG_OK, VBG_ENOMEM, VBG_EINVAL (unknown format) or
 * VBG_EGRAPH (Graphviz failed; the message says why).
 */
VBG_EXPORT int vbg_render(const vbg_graph *g, const vbg_render_options *opts,
                          FILE *out, vbg_buf *note);

#ifdef __cplusplus
}
#endif

#endif /* VBGRAPH_H */
