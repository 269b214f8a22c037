/*
 * test_alloc.c - allocation failure, as SQLite tests it: for N = 1, 2, ...
 * fail the Nth allocation the library makes (vbg_set_allocator) and run a
 * whole operation.  Every call must return VBG_OK or VBG_ENOMEM (with *out
 * NULL and a message), never crash, and leak nothing: the allocator counts
 * live blocks, and once the objects are freed the count is back to 0.  A
 * call that succeeds although an allocation failed must give exactly the
 * output of an undisturbed run (no silently lost reference or vertex).  The
 * loop ends when N passes the number of allocations the operation makes.
 *
 * Operations: extraction (vbg_extractor_new + vbg_extract + JSON Lines and
 * TSV), streaming in pieces, the graph (vbg_builder_new, _add, _add_jsonl,
 * _finish, vbg_graph_write in every format), vbg_graph_read_graphml, and
 * vbg_key_canonical / vbg_body_canonical.
 *
 * The allocations of PCRE2, utf8proc, igraph, cgraph and jansson do not go
 * through vbg_set_allocator and are not failed here.
 *
 * By default, N runs over every value up to 1500 and then over a stride
 * that keeps the run within seconds; VBG_LONG_TESTS=1 tries every N.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vbgraph.h"

/* ------------------------------------------------------------------ */
/* The failing, counting allocator                                     */
/* ------------------------------------------------------------------ */

typedef struct counter {
  long calls;   /* allocations attempted (malloc, and realloc that grows) */
  long live;    /* blocks handed out and not yet freed */
  long fail_at; /* the call that returns NULL; 0: none */
  int failed;   /* 1 once that call happened */
} counter;

static counter C;

/* Called when the chosen allocation fails: a place for a debugger's
 * breakpoint ("break injected_failure", then "bt" names the call site). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void
injected_failure(long n) {
  static volatile long last;
  last = n;
  (void)last;
}

static void *c_malloc(size_t size, void *ctx) {
  counter *c = ctx;
  if (++c->calls == c->fail_at) {
    c->failed = 1;
    injected_failure(c->calls);
    return NULL;
  }
  void *p = malloc(size);
  if (p)
    c->live++;
  return p;
}

static void *c_realloc(void *ptr, size_t size, void *ctx) {
  counter *c = ctx;
  if (++c->calls == c->fail_at) {
    c->failed = 1;
    injected_failure(c->calls);
    return NULL; /* ptr stays valid and owned by the caller */
  }
  void *p = realloc(ptr, size);
  if (p && !ptr)
    c->live++;
  return p;
}

static void c_free(void *ptr, void *ctx) {
  counter *c = ctx;
  if (ptr) {
    c->live--;
    free(ptr);
  }
}

static const vbg_allocator counting = {c_malloc, c_realloc, c_free, &C};

static void arm(long fail_at) {
  C.calls = 0;
  C.live = 0;
  C.fail_at = fail_at;
  C.failed = 0;
  vbg_set_allocator(&counting);
  vbg_error_clear();
}

static void disarm(void) { vbg_set_allocator(NULL); }

/* ------------------------------------------------------------------ */
/* Input                                                               */
/* ------------------------------------------------------------------ */

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *p = NULL;
  *len = 0;
  if (!f)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1))) {
      *len = fread(p, 1, (size_t)n, f);
      p[*len] = '\0';
    }
  }
  fclose(f);
  return p;
}

/* A realistic input: two samples plus lines with short forms, relations,
 * dates, bodies and a CRLF line end. */
static char *make_input(size_t *len) {
  static const char *const files[] = {
      VBG_SOURCE_DIR "/samples/02-nghi-quyet-57-chuong-trinh-chinh-phu.txt",
      VBG_SOURCE_DIR "/samples/06-ubnd-tinh-ke-hoach-38.txt"};
  static const char extra[] =
      "\nThực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, "
      "UBND tỉnh ban hành Kế hoạch số 38/KH-UBND.\r\n"
      "Căn cứ Luật số 80/2015/QH13; sửa đổi, bổ sung Nghị định số "
      "30/2020/NĐ-CP; thay thế Quyết định số 05/2025/QĐ-UBND.\n"
      "Nghị quyết 57 và Nghị quyết này được triển khai thực hiện.\n";
  size_t total = 0;
  char *all = NULL;
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    size_t n;
    char *p = read_file(files[i], &n);
    if (!p)
      continue;
    char *q = realloc(all, total + n + 1);
    if (!q) {
      free(p);
      break;
    }
    all = q;
    memcpy(all + total, p, n);
    total += n;
    free(p);
  }
  char *q = realloc(all, total + sizeof(extra));
  if (!q) {
    free(all);
    return NULL;
  }
  memcpy(q + total, extra, sizeof(extra));
  *len = total + sizeof(extra) - 1;
  return q;
}

/* ------------------------------------------------------------------ */
/* Operations: each returns its status and its output in *out          */
/* ------------------------------------------------------------------ */

typedef struct input {
  const char *text;
  size_t len;
  const char *jsonl; /* for the graph: the JSON Lines of text */
  size_t jsonl_len;
  const char *graphml; /* for the reader */
  size_t graphml_len;
} input;

static int statuses_ok = 1; /* every status seen was OK or ENOMEM */

static int note_status(int err) {
  if (err != VBG_OK && err != VBG_ENOMEM)
    statuses_ok = 0;
  return err;
}

static int op_extract(const input *in, vbg_buf *out) {
  vbg_extractor *ex = NULL;
  vbg_refs *refs = NULL;
  int err = note_status(vbg_extractor_new(&ex, VBG_OPT_DEFAULT));
  if (err == 0 && ex == NULL)
    err = -100;
  if (err < 0 && ex != NULL)
    err = -101; /* *out must be NULL on failure */
  if (err == 0) {
    err = note_status(vbg_extract(&refs, ex, in->text, in->len));
    if (err < 0 && refs != NULL)
      err = -102;
  }
  if (err == 0)
    err = note_status(vbg_refs_write_jsonl(out, refs, "alloc.txt"));
  if (err == 0)
    err = note_status(vbg_refs_write_tsv_header(out));
  if (err == 0)
    err = note_status(vbg_refs_write_tsv(out, refs, "alloc.txt"));
  vbg_refs_free(refs);
  vbg_extractor_free(ex);
  return err;
}

/* The extractor is made without failures; the stream runs under them. */
static vbg_extractor *shared_ex;

static int op_stream(const input *in, vbg_buf *out) {
  vbg_stream *s = NULL;
  vbg_refs *refs = NULL;
  int err = note_status(vbg_stream_new(&s, shared_ex));
  if (err < 0 && s != NULL)
    err = -101;
  /* pieces of 1, 2, 3, ... 61 bytes, then again */
  for (size_t i = 0, k = 1; err == 0 && i < in->len; i += k, k = k % 61 + 1)
    err = note_status(
        vbg_stream_feed(s, in->text + i, k < in->len - i ? k : in->len - i));
  if (err == 0) {
    err = note_status(vbg_stream_finish(&refs, s));
    if (err < 0 && refs != NULL)
      err = -102;
  }
  if (err == 0)
    err = note_status(vbg_refs_write_jsonl(out, refs, "alloc.txt"));
  vbg_refs_free(refs);
  vbg_stream_free(s);
  return err;
}

/* The stream with references taken as they are decided, on windows and
 * look-backs small enough for this input to need several of each. */
void vbg__stream_tune(vbg_stream *s, size_t window, size_t margin,
                      size_t back_refs, size_t ahead);

static long take_batches; /* batches handed over before finish, last run */

static int op_take(const input *in, vbg_buf *out) {
  vbg_stream *s = NULL;
  vbg_refs *refs = NULL;
  int err = note_status(vbg_stream_new(&s, shared_ex));
  if (err < 0 && s != NULL)
    err = -101;
  if (err == 0)
    vbg__stream_tune(s, 8 << 10, 1 << 10, 16, 2048);
  /* the input eight times over (about 48 KB), 4 KiB at a time */
  take_batches = 0;
  for (int round = 0; err == 0 && round < 8; round++)
    for (size_t i = 0; err == 0 && i < in->len; i += 4096) {
      err = note_status(vbg_stream_feed(
          s, in->text + i, in->len - i < 4096 ? in->len - i : 4096));
      vbg_refs *batch = NULL;
      if (err == 0)
        err = note_status(vbg_stream_take(&batch, s, 1));
      if (err < 0 && batch != NULL)
        err = -102;
      if (err == 0 && batch) {
        take_batches++;
        err = note_status(vbg_refs_write_jsonl(out, batch, "alloc.txt"));
      }
      vbg_refs_free(batch);
    }
  if (err == 0) {
    err = note_status(vbg_stream_finish(&refs, s));
    if (err < 0 && refs != NULL)
      err = -102;
  }
  if (err == 0)
    err = note_status(vbg_refs_write_jsonl(out, refs, "alloc.txt"));
  vbg_refs_free(refs);
  vbg_stream_free(s);
  return err;
}

static int write_all_formats(const vbg_graph *g, vbg_buf *out) {
  static const vbg_format fmts[] = {VBG_FORMAT_GRAPHML, VBG_FORMAT_DOT,
                                    VBG_FORMAT_JSON, VBG_FORMAT_CSV_NODES,
                                    VBG_FORMAT_CSV_EDGES};
  int err = VBG_OK;
  for (size_t k = 0; err == 0 && k < sizeof(fmts) / sizeof(fmts[0]); k++) {
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    if (!f)
      return -103;
    err = note_status(vbg_graph_write(g, fmts[k], f));
    fclose(f);
    if (err == 0)
      err = note_status(vbg_buf_put(out, p, n));
    free(p);
  }
  return err;
}

static int op_graph(const input *in, vbg_buf *out) {
  vbg_refs *refs = NULL;
  vbg_builder *b = NULL;
  vbg_graph *g = NULL;
  /* references made before the failures start counting */
  vbg_set_allocator(NULL);
  int err = vbg_extract(&refs, shared_ex, in->text, in->len);
  vbg_set_allocator(&counting);
  if (err < 0)
    return -104;
  err = note_status(vbg_builder_new(&b));
  if (err < 0 && b != NULL)
    err = -101;
  if (err == 0)
    err = note_status(vbg_builder_add(b, "a/alloc.txt", refs));
  if (err == 0)
    err = note_status(
        vbg_builder_add_jsonl(b, in->jsonl, in->jsonl_len, "shard.jsonl"));
  if (err == 0) {
    err = note_status(vbg_builder_finish(&g, b));
    if (err < 0 && g != NULL)
      err = -102;
  }
  if (err == 0)
    err = write_all_formats(g, out);
  vbg_graph_free(g);
  vbg_builder_free(b);
  /* freed under the counting allocator?  No: made outside it. */
  vbg_set_allocator(NULL);
  vbg_refs_free(refs);
  vbg_set_allocator(&counting);
  return err;
}

static int op_read_graphml(const input *in, vbg_buf *out) {
  vbg_graph *g = NULL;
  FILE *f = fmemopen((void *)in->graphml, in->graphml_len, "r");
  if (!f)
    return -103;
  int err = note_status(vbg_graph_read_graphml(&g, f));
  fclose(f);
  if (err < 0 && g != NULL)
    err = -102;
  if (err == 0)
    err = write_all_formats(g, out);
  vbg_graph_free(g);
  return err;
}

/* The canonical forms of keys and bodies, as `vbgraph canon` asks them. */
static int op_canon(const input *in, vbg_buf *out) {
  static const char *const keys[] = {"Nghị quyết số 25-NQ/TƯ", "30/2020/ND-CP",
                                     "18/NQ-TW", "Kế hoạch số 170/KH-UBND"};
  static const char *const bodies[] = {"UBND TP Hà Nội", "THỦ TƯỚNG CHÍNH PHỦ",
                                       "Ban Bí thư Trung ương Đảng (khóa XI)",
                                       "Hội đồng nhân dân  tỉnh"};
  vbg_buf b;
  vbg_buf_init(&b);
  int err = VBG_OK;
  (void)in;
  for (size_t i = 0; err == 0 && i < sizeof(keys) / sizeof(keys[0]); i++) {
    err =
        note_status(vbg_key_canonical(&b, shared_ex, keys[i], strlen(keys[i])));
    if (err == 0)
      err = note_status(vbg_buf_put(out, b.ptr, b.size));
  }
  for (size_t i = 0; err == 0 && i < sizeof(bodies) / sizeof(bodies[0]); i++) {
    err = note_status(vbg_body_canonical(&b, bodies[i], strlen(bodies[i])));
    if (err == 0)
      err = note_status(vbg_buf_put(out, b.ptr, b.size));
  }
  vbg_buf_dispose(&b);
  return err;
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */
/* ------------------------------------------------------------------ */

typedef int (*op_fn)(const input *in, vbg_buf *out);

/* A copy of an operation's output, in memory the counter does not see. */
typedef struct result {
  char *p;
  size_t n;
} result;

/* Run op under the current allocator; its output buffer is made and freed
 * under that allocator too, so that it does not count as a leak. */
static int run_op(op_fn op, const input *in, result *res) {
  vbg_buf out;
  vbg_buf_init(&out);
  int err = op(in, &out);
  free(res->p);
  res->n = out.size;
  res->p = malloc(out.size + 1);
  if (res->p && out.size)
    memcpy(res->p, out.ptr, out.size);
  vbg_buf_dispose(&out);
  return res->p ? err : -105;
}

/* Each run happens on a new thread: the library keeps per-thread caches
 * (issuing bodies already spelled, in body.c), and a run that found its
 * answers cached would never reach the allocations that made them.  The
 * message is read on that thread too, since the error slot is per thread. */
typedef struct job {
  op_fn op;
  const input *in;
  result *res;
  int err;
  char msg[512];
} job;

static void *job_main(void *arg) {
  job *j = arg;
  j->err = run_op(j->op, j->in, j->res);
  snprintf(j->msg, sizeof(j->msg), "%s", vbg_error_last());
  return NULL;
}

static int run_fresh(op_fn op, const input *in, result *res, char *msg,
                     size_t msgsize) {
  job j = {op, in, res, 0, ""};
  pthread_t t;
  if (pthread_create(&t, NULL, job_main, &j) == 0)
    pthread_join(t, NULL);
  else
    job_main(&j); /* no thread: the caches may hide some allocations */
  snprintf(msg, msgsize, "%s", j.msg);
  return j.err;
}

static int same(const result *a, const result *b) {
  return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

/* Run op once without failures; its output is what every run that
 * succeeds must give.  Returns the number of allocations it makes. */
static long baseline(op_fn op, const input *in, result *expect) {
  char msg[512];
  arm(0);
  int err = run_fresh(op, in, expect, msg, sizeof(msg));
  long calls = C.calls, live = C.live;
  disarm();
  if (!OK(err == VBG_OK, "the operation succeeds without failures") ||
      !INT_EQ(live, 0))
    return -1;
  return calls;
}

static void fail_each(const char *name, op_fn op, const input *in) {
  result expect = {NULL, 0}, got = {NULL, 0};
  long total = baseline(op, in, &expect);
  /* VBG_ALLOC_ONLY=NAME:N runs NAME with only allocation N failing (and
   * skips the other operations), to look at one failure in a debugger. */
  const char *only = getenv("VBG_ALLOC_ONLY");
  long only_n = 0;
  if (only && *only) {
    size_t k = strlen(name);
    if (strncmp(only, name, k) != 0 || only[k] != ':')
      total = 0;
    else
      only_n = atol(only + k + 1);
  }
  int long_run = getenv("VBG_LONG_TESTS") && atoi(getenv("VBG_LONG_TESTS"));
  long tried = 0, enomem = 0, ok_despite = 0, bad = 0;
  printf("# %s: %ld allocations without failures\n", name, total);
  for (long n = only_n > 0 ? only_n : 1; total > 0; tried++) {
    char msg[512];
    statuses_ok = 1;
    arm(n);
    int err = run_fresh(op, in, &got, msg, sizeof(msg));
    long live = C.live;
    int failed = C.failed;
    disarm();
    if (!failed) { /* N is past the last allocation: the loop is over */
      int good = OK(err == VBG_OK && same(&got, &expect),
                    "no failure injected: same output as the baseline");
      good &= INT_EQ(live, 0);
      bad += !good;
      break;
    }
    char what[400];
    int k = snprintf(what, sizeof(what), "%s, allocation %ld failed:", name, n);
    int good = 1;
#define PROBLEM(...)                                                           \
  do {                                                                         \
    good = 0;                                                                  \
    if (k > 0 && (size_t)k < sizeof(what))                                     \
      k += snprintf(what + k, sizeof(what) - (size_t)k, __VA_ARGS__);          \
  } while (0)
    if (err == VBG_ENOMEM) {
      enomem++;
      if (msg[0] == '\0')
        PROBLEM(" VBG_ENOMEM without a message;");
    } else if (err == VBG_OK) {
      /* swallowed: fine only if nothing was lost */
      ok_despite++;
      if (!same(&got, &expect))
        PROBLEM(" returned VBG_OK but the output differs from the baseline;");
    } else {
      PROBLEM(" status %d (%s), want VBG_OK or VBG_ENOMEM: \"%s\";", err,
              err < -99 ? "a check of this test" : vbg_strerror(err), msg);
    }
    if (!statuses_ok)
      PROBLEM(" an inner call returned neither VBG_OK nor VBG_ENOMEM;");
    if (live != 0)
      PROBLEM(" %ld blocks leaked;", live);
#undef PROBLEM
    OK(good, what);
    bad += !good;
    if (only_n > 0)
      break;
    /* every N at first, then a stride so that the default run stays short */
    n += (long_run || n < 1500) ? 1 : 1 + (n - 1500) / 64 + total / 2000;
    if (n > total + 1)
      n = total + 1; /* the last call past the end ends the loop */
  }
  OK(bad == 0, name);
  printf("# %s: %ld values of N tried: %ld gave VBG_ENOMEM, %ld VBG_OK, "
         "%ld wrong\n",
         name, tried, enomem, ok_despite, bad);
  free(expect.p);
  free(got.p);
}

int main(void) {
  input in;
  memset(&in, 0, sizeof(in));
  size_t len = 0;
  char *text = make_input(&len);
  if (!OK(text != NULL && len > 1000, "read samples/ for the input"))
    return harness_done();
  in.text = text;
  in.len = len;

  /* What the graph operations read: the text's JSON Lines and a GraphML. */
  vbg_refs *refs = NULL;
  vbg_buf jsonl;
  vbg_buf_init(&jsonl);
  char *graphml = NULL;
  size_t graphml_len = 0;
  if (!OK(vbg_extractor_new(&shared_ex, VBG_OPT_DEFAULT) == VBG_OK,
          "vbg_extractor_new") ||
      !OK(vbg_extract(&refs, shared_ex, text, len) == VBG_OK, "vbg_extract") ||
      !OK(vbg_refs_count(refs) >= 10, "the input has references") ||
      !OK(vbg_refs_write_jsonl(&jsonl, refs, "b/shard.txt") == VBG_OK,
          "write JSON Lines"))
    return harness_done();
  vbg_builder *b = NULL;
  vbg_graph *g = NULL;
  FILE *f = open_memstream(&graphml, &graphml_len);
  if (!OK(f && vbg_builder_new(&b) == VBG_OK &&
              vbg_builder_add(b, "a.txt", refs) == VBG_OK &&
              vbg_builder_finish(&g, b) == VBG_OK &&
              vbg_graph_write(g, VBG_FORMAT_GRAPHML, f) == VBG_OK,
          "build and write a GraphML"))
    return harness_done();
  fclose(f);
  vbg_graph_free(g);
  vbg_builder_free(b);
  in.jsonl = jsonl.ptr;
  in.jsonl_len = jsonl.size;
  in.graphml = graphml;
  in.graphml_len = graphml_len;

  fail_each("extract", op_extract, &in);
  fail_each("stream", op_stream, &in);
  fail_each("take", op_take, &in);
  OK(take_batches > 0, "take: references were handed over before the end");
  fail_each("graph", op_graph, &in);
  fail_each("read_graphml", op_read_graphml, &in);
  fail_each("canon", op_canon, &in);

  vbg_refs_free(refs);
  vbg_buf_dispose(&jsonl);
  free(graphml);
  vbg_extractor_free(shared_ex);
  free(text);
  return harness_done();
}
