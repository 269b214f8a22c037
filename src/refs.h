/*
 * refs.h - the reference list (vbg_refs) and the resolver (resolve.c),
 * which decides short forms and relations as the stream goes and hands
 * over each reference once nothing later can change it.
 */
#ifndef VBG_REFS_H
#define VBG_REFS_H

#include "extract.h"

typedef struct vbg__resolver vbg__resolver;

int vbg__refs_new(vbg_refs **out);
void vbg__refs_set_info(vbg_refs *refs, const vbg_input_info *info);

int vbg__resolver_new(vbg__resolver **out);
void vbg__resolver_free(vbg__resolver *rs);
/* Back to a new resolver's state for the next input, keeping the storage a
 * short input grew (not a long one's); the tuning stays. */
void vbg__resolver_reset(vbg__resolver *rs);
/* Tests only: look back `back_refs` references (BACK_REFS) and ahead
 * `ahead` bytes (AHEAD) instead of the defaults. */
void vbg__resolver_tune(vbg__resolver *rs, size_t back_refs, size_t ahead);
/* The input's own header reference starts at self_orig (SIZE_MAX: none).
 * Set before the first reference arrives. */
void vbg__resolver_set_self(vbg__resolver *rs, size_t self_orig);
/* Candidate c arrives as the next reference in input order: surface =
 * raw[0..b-a), at input offsets a..b on line `line`.  Strings are moved
 * out of c. */
int vbg__resolver_add(vbg__resolver *rs, vbg__cand *c, const char *raw,
                      size_t a, size_t b, size_t line);
/* Relations of one window, their cues after every earlier window's (the
 * array is sorted in place and copied). */
int vbg__resolver_add_rels(vbg__resolver *rs, vbg__prel *rels, size_t n);
/* Sort relation cues as the text states them: by cue, then target. */
void vbg__prels_sort(vbg__prel *rels, size_t n);
/* Every reference starting before `added` has arrived, and no relation
 * still to come names one starting before `floor`: decide what can be
 * decided.  `final`: the input ended; decide everything. */
int vbg__resolver_settle(vbg__resolver *rs, size_t added, size_t floor,
                         int final);
/* References decided and not handed over yet. */
size_t vbg__resolver_ready(const vbg__resolver *rs);
/* Hand them over (*out may be empty).  `final` (after a final settle) adds
 * the input's own header reference, in its place by offset. */
int vbg__resolver_take(vbg__resolver *rs, vbg_refs **out, int final);

#endif
