/*
 * refs.h - the reference list (vbg_refs) and the resolve stage.
 */
#ifndef VBG_REFS_H
#define VBG_REFS_H

#include "extract.h"

int vbg__refs_new(vbg_refs **out);
/* Append candidate c as a reference: surface = raw[0..b-a), at input
 * offsets a..b on line `line`.  Strings are moved out of c. */
int vbg__refs_add(vbg_refs *refs, vbg__cand *c, const char *raw, size_t a,
                  size_t b, size_t line);
/* Resolve short forms, then turn the relations into keys. */
int vbg__refs_resolve(vbg_refs *refs, vbg__prel *rels, size_t n,
                      size_t self_orig);
void vbg__refs_set_info(vbg_refs *refs, const vbg_input_info *info);

#endif
