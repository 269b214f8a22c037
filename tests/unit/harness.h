/*
 * harness.h - the tiny test harness of vbgraph's C tests.
 *
 * Header-only.  A test program includes it, checks things with OK, INT_EQ
 * and STR_EQ, and returns harness_done() from main:
 *
 *     OK(refs != NULL, "extract returned a list");
 *     INT_EQ(vbg_refs_count(refs), 2);
 *     STR_EQ(vbg_refs_get(refs, 0)->key, "25-NQ/TW");
 *     return harness_done();
 *
 * Each check prints one "FAIL file:line: ..." line on stdout when it fails
 * and returns 1 when it passed, 0 when it failed, so a test can stop early.
 * harness_done() prints "N passed, N failed" on its own line and returns
 * the exit status: 0 when nothing failed, 1 otherwise.
 *
 * The counters live in a function-local static, so the header defines no
 * object that an including file could leave unused.
 */
#ifndef VBG_TEST_HARNESS_H
#define VBG_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

typedef struct harness_counts {
  int passed;
  int failed;
} harness_counts;

/* The one pair of counters of this test program. */
static inline harness_counts *harness_counts_get(void) {
  static harness_counts counts;
  return &counts;
}

/* Count one check; print where it was when it failed.  Returns ok. */
static inline int harness_ok(int ok, const char *file, long line,
                             const char *msg) {
  harness_counts *c = harness_counts_get();

  if (ok) {
    c->passed++;
    return 1;
  }
  c->failed++;
  printf("FAIL %s:%ld: %s\n", file, line, msg ? msg : "(no message)");
  fflush(stdout);
  return 0;
}

static inline int harness_int_eq(long long a, long long b, const char *sa,
                                 const char *sb, const char *file, long line) {
  char msg[512];

  if (a == b)
    return harness_ok(1, file, line, NULL);
  snprintf(msg, sizeof msg, "%s == %s: %lld != %lld", sa, sb, a, b);
  return harness_ok(0, file, line, msg);
}

/* NULL equals NULL and nothing else. */
static inline int harness_str_eq(const char *a, const char *b, const char *sa,
                                 const char *sb, const char *file, long line) {
  char msg[1024];

  if ((a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0))
    return harness_ok(1, file, line, NULL);
  snprintf(msg, sizeof msg, "%s == %s: %s%s%s != %s%s%s", sa, sb, a ? "\"" : "",
           a ? a : "NULL", a ? "\"" : "", b ? "\"" : "", b ? b : "NULL",
           b ? "\"" : "");
  return harness_ok(0, file, line, msg);
}

/* Print the totals; the exit status for main. */
static inline int harness_done(void) {
  const harness_counts *c = harness_counts_get();

  printf("%d passed, %d failed\n", c->passed, c->failed);
  fflush(stdout);
  return c->failed == 0 ? 0 : 1;
}

#define OK(cond, msg) harness_ok((cond) ? 1 : 0, __FILE__, __LINE__, (msg))
#define INT_EQ(a, b)                                                           \
  harness_int_eq((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define STR_EQ(a, b) harness_str_eq((a), (b), #a, #b, __FILE__, __LINE__)

#endif /* VBG_TEST_HARNESS_H */
