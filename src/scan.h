/*
 * scan.h - the scan stage: every regular expression of the library, compiled
 * once with PCRE2 JIT, behind a small wrapper (the only user of pcre2.h).
 */
#ifndef VBG_SCAN_H
#define VBG_SCAN_H

#include "common.h"

typedef enum vbg__pat {
  VBG__PAT_CODE, /* a document number: 25-NQ/TW, 170/KH-UBND, 30/2020/NĐ-CP */
  VBG__PAT_TYPEWORD, /* type word (+ "số") ending right before a number */
  VBG__PAT_LAWWORD,  /* "Luật <name> số" ending right before a number */
  VBG__PAT_HEADER,   /* "Số:" opening a header line, right before a number */
  VBG__PAT_SHORT,    /* type word + bare number: "Nghị quyết 72" */
  VBG__PAT_BACKREF,  /* "Nghị quyết này", "Quyết định trên" */
  VBG__PAT_LISTNUM,  /* ", số 218" / ", 188" continuing a number list */
  VBG__PAT_DATE, /* "ngày 14-7-2015", "ngày 14 tháng 7 năm 2015" (anchored) */
  VBG__PAT_PLACEDATE, /* "Hà Nội, ngày 20 tháng 01 năm 2025" in a header */
  VBG__PAT_TERM,      /* "(khóa XI)", "khoá 12" */
  VBG__PAT_TITLE,     /* về “…” (anchored) */
  VBG__PAT_CUE,       /* relation cue phrases (anchored) */
  VBG__PAT_ISSUEVERB, /* "(đã) ban hành" ending right before a reference */
  VBG__PAT__COUNT
} vbg__pat;

/* Named groups of VBG__PAT_CODE. */
typedef struct vbg__re vbg__re;
typedef struct vbg__matcher vbg__matcher;

/* Compile all patterns.  On VBG_EREGEX the message names the pattern and
 * the offset of the error. */
int vbg__patterns_new(vbg__re ***out);
void vbg__patterns_free(vbg__re **pats);

/* Per-thread match state (match data, limits). */
int vbg__matcher_new(vbg__matcher **out);
void vbg__matcher_free(vbg__matcher *m);

#define VBG__MATCH_ANCHORED 1u

/*
 * Match `re` against s[0..len) starting at `start`.  Returns 1 and fills
 * ovec (2 * nvec entries, unset groups = SIZE_MAX) on a match, 0 on none,
 * VBG_EREGEX when a match limit was hit.
 */
int vbg__re_match(const vbg__re *re, vbg__matcher *m, const char *s, size_t len,
                  size_t start, unsigned flags, size_t *ovec, int nvec);
/* Do the test limits below apply to matches of re by m?  Code that can
 * answer for a pattern without PCRE2 asks PCRE2 all the same when they do,
 * so that the tests still reach the limits. */
int vbg__re_limited(const vbg__re *re, const vbg__matcher *m);
/* Number of a named group, or -1. */
int vbg__re_group(const vbg__re *re, const char *name);

/* The numbers of the named groups the parse and context stages read, looked up
 * once when the patterns are compiled (-1: no such group). */
typedef struct vbg__groups {
  /* VBG__PAT_CODE */
  int num, year, lg, pdash, pt, pg, sg, lsep;
  int typeword_tw, lawword_tw;       /* TYPEWORD, LAWWORD: "tw" */
  int short_tw, short_so, short_num; /* SHORT */
  int backref_tw, backref_dem;       /* BACKREF */
  int listnum_num, listnum_so;       /* LISTNUM */
  /* DATE and PLACEDATE: d m y, then d2 m2 y2 (the other alternative) */
  int date[6], placedate[6];
} vbg__groups;

/* Look the group numbers up in patterns from vbg__patterns_new. */
void vbg__groups_init(vbg__groups *g, vbg__re *const *pats);

/*
 * For tests only (tests/unit/test_limits.c and the vbgraph_test_hooks
 * build of the CLI): lower PCRE2's match and depth limits, which no known
 * input reaches, so that a test can reach them.  0 keeps the default;
 * (0, 0) restores both.  A depth limit also turns JIT off for the matches it
 * applies to (JIT has no depth limit).  With vbg__set_limit_pattern_for_tests
 * they apply to the pattern of that name only ("code", "title", ...: the
 * names in the messages); NULL or an unknown name: every pattern.  Takes
 * effect for matchers made afterwards; not thread-safe; never called by the
 * library.
 */
void vbg__set_match_limit_for_tests(uint32_t match, uint32_t depth);
void vbg__set_limit_pattern_for_tests(const char *name);

#endif
