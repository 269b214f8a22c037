/*
 * standalone_driver.c - main() for the fuzz targets when they are not built
 * with libFuzzer (VBG_FUZZ=OFF): replay saved inputs as an ordinary test.
 *
 *   fuzz_extract [-flags ignored] PATH...
 *
 * Each PATH is a file or a directory.  For a directory that has a
 * subdirectory named after this program (fuzz/corpus/fuzz_extract/ for
 * fuzz_extract), only that subdirectory is replayed; otherwise the whole
 * directory is.  Directories are walked recursively, hidden entries skipped,
 * files in byte-wise path order.  Each file is handed to
 * LLVMFuzzerTestOneInput() in a buffer of exactly its size (no terminating
 * NUL), so that AddressSanitizer sees any read past the end.  A target
 * signals a bug by crashing; the driver names the input first.
 *
 * Exit status: 0 when every input ran, 1 when a path could not be read or
 * no input at all was found (a replay that tests nothing is a failure).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct paths {
  char **v;
  size_t n, a;
} paths;

static const char *prog = "fuzz";
static int io_failed;

static int push(paths *p, char *s) {
  if (p->n == p->a) {
    size_t a = p->a ? 2 * p->a : 64;
    char **v = realloc(p->v, a * sizeof(*v));
    if (!v)
      return -1;
    p->v = v;
    p->a = a;
  }
  p->v[p->n++] = s;
  return 0;
}

static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s/%s", dir, name);
  return s;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under `path`, recursively. */
static void collect(paths *out, const char *path, int depth) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
    io_failed = 1;
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    char *s = malloc(strlen(path) + 1);
    if (!s || push(out, strcpy(s, path)) != 0) {
      free(s);
      io_failed = 1;
    }
    return;
  }
  if (depth > 32)
    return;
  DIR *d = opendir(path);
  if (!d) {
    fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
    io_failed = 1;
    return;
  }
  paths names = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char *s = join(path, e->d_name);
    if (!s || push(&names, s) != 0) {
      free(s);
      io_failed = 1;
      break;
    }
  }
  closedir(d);
  if (names.n)
    qsort(names.v, names.n, sizeof(*names.v), cmp_str);
  for (size_t i = 0; i < names.n; i++) {
    collect(out, names.v[i], depth + 1);
    free(names.v[i]);
  }
  free(names.v);
}

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
    return -1;
  }
  size_t n = 0, a = 4096;
  uint8_t *buf = malloc(a);
  while (buf) {
    if (n == a) {
      uint8_t *b = realloc(buf, a *= 2);
      if (!b) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = b;
    }
    size_t got = fread(buf + n, 1, a - n, f);
    n += got;
    if (got == 0)
      break;
  }
  int bad = !buf || ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "%s: %s: read failed\n", prog, path);
    free(buf);
    return -1;
  }
  /* An exact-size copy: a read past the end is an ASan report. */
  uint8_t *exact = malloc(n ? n : 1);
  if (!exact) {
    free(buf);
    return -1;
  }
  memcpy(exact, buf, n);
  free(buf);
  fprintf(stderr, "%s: running %s (%zu bytes)\n", prog, path, n);
  LLVMFuzzerTestOneInput(exact, n);
  free(exact);
  return 0;
}

int main(int argc, char **argv) {
  const char *slash = strrchr(argv[0], '/');
  prog = slash ? slash + 1 : argv[0];
  paths all = {0};
  int given = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-') /* libFuzzer flags mean nothing here */
      continue;
    given++;
    char *own = join(argv[i], prog);
    struct stat st;
    if (own && stat(own, &st) == 0 && S_ISDIR(st.st_mode))
      collect(&all, own, 0);
    else
      collect(&all, argv[i], 0);
    free(own);
  }
  if (!given) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", prog);
    return 2;
  }
  size_t ran = 0;
  for (size_t i = 0; i < all.n; i++) {
    if (run_file(all.v[i]) == 0)
      ran++;
    else
      io_failed = 1;
    free(all.v[i]);
  }
  free(all.v);
  printf("%s: %zu inputs replayed, %s\n", prog, ran,
         io_failed ? "some could not be read" : "no failure");
  if (ran == 0)
    fprintf(stderr, "%s: no input found: nothing was tested\n", prog);
  return (io_failed || ran == 0) ? 1 : 0;
}
