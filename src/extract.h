/*
 * extract.h - the records that travel between the stages of one window:
 * candidates (parse.c), their context (context.c), relations (relate.c),
 * and the stream that stitches windows together (extract.c, resolve.c).
 */
#ifndef VBG_EXTRACT_H
#define VBG_EXTRACT_H

#include "scan.h"
#include "tables.h"
#include "text.h"

struct vbg_extractor {
  vbg__re **pats;
  unsigned options;
  vbg__groups g;
};

/* A candidate reference inside one normalised window. */
typedef struct vbg__cand {
  size_t nstart, nend; /* surface, normalised offsets */
  size_t num_at;       /* where the serial number starts */
  size_t code_end;     /* end of the code itself (== nend) */
  size_t tail_end;     /* end of the attachments (date, issuer, title) */
  char *key, *type_code, *number, *issuer_code, *unit_code;
  const char *doc_type; /* static string from the tables */
  const vbg__type_word *tw;
  vbg_family family;
  int year;
  char *date, *issuer_body, *term, *title;
  int short_form, backref, plural, header, list_shared;
  int packed; /* number, issuer_code and type_code live in key's allocation */
  int list_group; /* items of one shared list have the same id */
  int proposed;   /* body taken from "đề nghị của X tại ..." */
  int subject;    /* body taken from "X ban hành ..." */
  long num_value;
  int dropped; /* rejected after all (overlap etc.) */
} vbg__cand;

typedef struct vbg__cands {
  vbg__cand *v;
  size_t n, a;
} vbg__cands;

/* A relation found in a window, by original start offsets. */
typedef struct vbg__prel {
  size_t src, tgt; /* original start offsets of the two mentions */
  vbg_rel type;
  size_t cue_start, cue_end;
  size_t line;  /* line of cue_start, set when the window is accepted */
  char cue[96]; /* the cue phrase, NFC, white space collapsed */
  char by[160]; /* reviews: the body holding the review, canonical, or "" */
} vbg__prel;

typedef struct vbg__win {
  const vbg_extractor *ex;
  vbg__matcher *m;
  vbg__text *t;
  vbg__cands *cands;
  int self;         /* index of the header candidate in this window, or -1 */
  size_t self_orig; /* original start of the input's own number, or SIZE_MAX */
  /* output of relate.c */
  vbg__prel *rels;
  size_t nrels, arels;
  size_t accept_lo, accept_hi; /* original offsets of the cues to keep */
} vbg__win;

/* parse.c */
int vbg__cands_push(vbg__cands *c, vbg__cand **out);
/* Empty the list, keeping its storage for the next window. */
void vbg__cands_clear(vbg__cands *c);
void vbg__cands_dispose(vbg__cands *c);
void vbg__cand_dispose(vbg__cand *c);
int vbg__find_codes(vbg__win *w);
int vbg__find_short_forms(vbg__win *w);
/* Parse a key the way a user types it (query.c, vbg_key_canonical). */
int vbg__parse_key(vbg_buf *out, const vbg_extractor *ex, const char *s,
                   size_t len);

/* context.c */
int vbg__context(vbg__win *w);
/* Does the text before `end` end in an issuing verb ("đã ban hành", "ký"),
 * its start at or after lo (scan.c's issueverb pattern)?  1 with *start,
 * 0, or VBG_EREGEX. */
int vbg__issue_verb(vbg__win *w, size_t lo, size_t end, size_t *start);
/* The end of the body name starting at s[i] ("Thành ủy Hà Nội ..."), or 0. */
size_t vbg__body_phrase(const char *s, size_t len, size_t i);
/* body.c */
int vbg__body_canonical(vbg_buf *out, char **term, const char *s, size_t len);

/* relate.c */
int vbg__relate(vbg__win *w);

/* helpers shared by the window stages (parse.c) */
size_t vbg__skip_space(const char *s, size_t len, size_t i);
int vbg__group(const vbg__re *re, const char *name);

#endif
