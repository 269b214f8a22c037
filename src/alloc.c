/*
 * alloc.c - the one door through which the library allocates, so that a
 * caller (or a test failing the Nth allocation) can replace it.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void *std_malloc(size_t size, void *ctx) {
  (void)ctx;
  return malloc(size);
}
static void *std_realloc(void *ptr, size_t size, void *ctx) {
  (void)ctx;
  return realloc(ptr, size);
}
static void std_free(void *ptr, void *ctx) {
  (void)ctx;
  free(ptr);
}

static vbg_allocator current = {std_malloc, std_realloc, std_free, NULL};

/* Failed allocations on this thread.  Deep helpers that cannot report a
 * failure (a lookup that allocates) still count it, and every public entry
 * point compares the count before and after, so no failure passes as a
 * smaller answer. */
static _Thread_local unsigned long failures;

unsigned long vbg__alloc_failures(void) { return failures; }

void vbg_set_allocator(const vbg_allocator *alloc) {
  if (alloc)
    current = *alloc;
  else
    current = (vbg_allocator){std_malloc, std_realloc, std_free, NULL};
}

void *vbg__malloc(size_t size) {
  void *p = current.malloc(size ? size : 1, current.ctx);
  if (!p && ++failures)
    vbg__error_set(VBG_ENOMEM, "out of memory allocating %zu bytes", size);
  return p;
}

void *vbg__calloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) {
    failures++;
    vbg__error_set(VBG_ENOMEM, "allocation size overflow");
    return NULL;
  }
  void *p = vbg__malloc(n * size);
  if (p)
    memset(p, 0, (n * size) != 0 ? n * size : 1);
  return p;
}

void *vbg__realloc(void *ptr, size_t size) {
  void *p = current.realloc(ptr, size ? size : 1, current.ctx);
  if (!p && ++failures)
    vbg__error_set(VBG_ENOMEM, "out of memory growing to %zu bytes", size);
  return p;
}

void vbg__free(void *ptr) {
  if (ptr)
    current.free(ptr, current.ctx);
}

char *vbg__strndup(const char *s, size_t n) {
  char *p = vbg__malloc(n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

char *vbg__strdup(const char *s) { return vbg__strndup(s, strlen(s)); }
