/*
 * main.c - the vbgraph command-line tool: argv -> options -> library calls
 * -> exit status.  0: all went well; 1: some inputs failed (each named on
 * stderr) but the rest were processed; 2: usage error.
 */
/* d_type and DT_REG of readdir (BSD and GNU, not POSIX): where they are
 * missing every entry gets its own stat; fopencookie and sync_file_range
 * (GNU): where they are missing an output is written through plain stdio */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vbgraph.h"

#define CHUNK (1u << 20)
#define SMALL_CHUNK (1u << 16)
/* references handed on from an input still being read, at least */
#define BATCH 4096u
/* a long input updates the progress line every this many bytes */
#define PROGRESS_BYTES (16u << 20)

static const char *progname = "vbgraph";

static void say(const char *path, const char *fmt, const char *detail) {
  flockfile(stderr); /* one line, even from several threads */
  fprintf(stderr, "%s: %s: ", progname, path);
  fprintf(stderr, fmt, detail);
  fputc('\n', stderr);
  funlockfile(stderr);
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

/* The temporary output file being written, for the handler of SIGTERM,
 * SIGINT and SIGHUP, which removes it before the process dies.  A handler
 * may only call async-signal-safe functions, so the path is copied into a
 * static buffer and marked valid by a flag set after it. */
static char tmp_path[4096];
static volatile sig_atomic_t tmp_live;

static void on_fatal_signal(int sig) {
  if (tmp_live)
    unlink(tmp_path);
  raise(sig); /* SA_RESETHAND: delivered, with the default action, on return */
}

/* Install the handler, except for a signal ignored at start (nohup, or a
 * background job of a shell), which stays ignored. */
static void catch_fatal_signals(void) {
  static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
  for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
    struct sigaction sa, old;
    if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
      continue;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(sigs[i], &sa, NULL);
  }
}

typedef struct output {
  FILE *fp;
  const char *path; /* as given, for messages; "-" for stdout */
  char *tmp;        /* temporary file renamed into place at the end */
  int fd;           /* of tmp, for the fsync before the rename */
  int failed;
} output;

#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
/* A temporary output file starts going to disk while it is written: every
 * KICK bytes, sync_file_range hands the kernel what came since, so that the
 * fsync before the rename waits only for the last of it (the fsync of a
 * 130 MB graph took 64 ms after the writing, most of which this overlaps). */
#define KICK ((off_t)4 << 20)

typedef struct kick_file {
  int fd;
  off_t written, kicked;
} kick_file;

static ssize_t kick_write(void *cookie, const char *buf, size_t n) {
  kick_file *k = cookie;
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(k->fd, buf + done, n - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) /* a short count is the error (fopencookie(3): never -1) */
      return (ssize_t)done;
    done += (size_t)w;
  }
  k->written += (off_t)n;
  if (k->written - k->kicked >= KICK) {
    /* only a hint: a failure shows again in the fsync */
    (void)sync_file_range(k->fd, k->kicked, k->written - k->kicked,
                          SYNC_FILE_RANGE_WRITE);
    k->kicked = k->written;
  }
  return (ssize_t)n;
}

static int kick_close(void *cookie) {
  kick_file *k = cookie;
  int r = close(k->fd);
  free(k);
  return r;
}

/* The temporary file `path`, created (mode 0666 less the umask, as fopen
 * does), as a stream that kicks its writeback; NULL with errno set. */
static FILE *open_kicked(const char *path, int *fd) {
  kick_file *k = malloc(sizeof(*k));
  if (!k)
    return NULL;
  k->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  k->written = k->kicked = 0;
  if (k->fd < 0) {
    free(k);
    return NULL;
  }
  cookie_io_functions_t io = {NULL, kick_write, NULL, kick_close};
  FILE *fp = fopencookie(k, "w", io);
  if (!fp) {
    int e = errno;
    close(k->fd);
    free(k);
    errno = e;
    return NULL;
  }
  *fd = k->fd;
  return fp;
}
#else
static FILE *open_kicked(const char *path, int *fd) {
  FILE *fp = fopen(path, "w");
  if (fp)
    *fd = fileno(fp);
  return fp;
}
#endif

/* extract's output goes out in 1 MiB writes, not stdio's 4 KiB ones (a
 * terminal keeps its line buffering).  glibc takes the size only with a
 * buffer; one static buffer serves (it must outlive stdout's last flush at
 * exit).  The graph writers hand over 1 MiB blocks themselves, which stdio
 * writes straight through its small buffer without a copy. */
static void output_buffer(FILE *fp) {
  static char big[(size_t)1 << 20];
  static int taken;
  if (fp && !taken && !isatty(fileno(fp)) &&
      setvbuf(fp, big, _IOFBF, sizeof(big)) == 0)
    taken = 1;
}

static int output_open(output *o, const char *path) {
  memset(o, 0, sizeof(*o));
  o->fd = -1;
  o->path = path ? path : "-";
  if (!path || strcmp(path, "-") == 0) {
    o->fp = stdout;
    return 0;
  }
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    /* a device or a pipe: write straight to it */
    o->fp = fopen(path, "w");
  } else {
    size_t n = strlen(path) + 32;
    o->tmp = malloc(n);
    if (!o->tmp)
      return -1;
    snprintf(o->tmp, n, "%s.tmp.%ld", path, (long)getpid());
    tmp_live = 0;
    if (n <= sizeof(tmp_path)) { /* longer: not removed on a signal */
      memcpy(tmp_path, o->tmp, n);
      tmp_live = 1;
    }
    o->fp = open_kicked(o->tmp, &o->fd);
  }
  if (!o->fp) {
    say(path, "%s (cannot open the output for writing)", strerror(errno));
    tmp_live = 0;
    free(o->tmp);
    o->tmp = NULL;
    return -1;
  }
  return 0;
}

static void output_write(output *o, const char *data, size_t len) {
  if (o->failed || len == 0)
    return;
  if (fwrite(data, 1, len, o->fp) != len) {
    say(o->path, "write error: %s", strerror(errno));
    o->failed = 1;
  }
}

/* After the rename, make the new directory entry durable too.  Filesystems
 * that cannot sync a directory say EINVAL, which is no error; nor is a
 * directory that cannot be opened for reading (write and search suffice to
 * rename). */
static int sync_dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
                    : strdup(".");
  int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY) : -1;
  int err = fd >= 0 && fsync(fd) != 0 && errno != EINVAL ? errno : 0;
  if (fd >= 0)
    close(fd);
  free(dir);
  if (err)
    say(path, "write error: %s (fsync of its directory)", strerror(err));
  return err ? -1 : 0;
}

/* Returns 0 when everything reached its destination. */
static int output_close(output *o) {
  int bad = o->failed;
  if (fflush(o->fp) != 0 && !bad) {
    say(o->path, "write error: %s", strerror(errno));
    bad = 1;
  }
  /* On disk before it replaces the old file: a crash after the rename must
   * not leave an empty or partial file under the old name. */
  if (o->tmp && !bad && fsync(o->fd) != 0) {
    say(o->path, "write error: %s (fsync)", strerror(errno));
    bad = 1;
  }
  if (o->fp != stdout) {
    if (fclose(o->fp) != 0 && !bad) {
      say(o->path, "write error: %s", strerror(errno));
      bad = 1;
    }
    if (o->tmp) {
      if (bad)
        unlink(o->tmp);
      else if (rename(o->tmp, o->path) != 0) {
        say(o->path, "cannot rename into place: %s", strerror(errno));
        unlink(o->tmp);
        bad = 1;
      } else if (sync_dir_of(o->path) != 0)
        bad = 1;
      tmp_live = 0; /* after the rename: a signal before it still removes */
    }
  } else if (ferror(stdout) && !bad) {
    say(o->path, "write error: %s", strerror(errno));
    bad = 1;
  }
  free(o->tmp);
  return bad ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* extract                                                             */
/* ------------------------------------------------------------------ */

typedef struct extract_opts {
  int tsv;
  const char *out;
  unsigned options;
} extract_opts;

typedef struct run run;
/* What to do with the references of one input. */
typedef int (*refs_fn)(run *r, const char *path, const vbg_refs *refs);

struct run {
  vbg_extractor *ex;
  extract_opts *opts;
  output out;
  vbg_buf buf;
  int failed;
  refs_fn on_refs;
  vbg_stream *stream;   /* the main thread's, reset for each input */
  vbg_builder *builder; /* build: where the references go */
  int jsonl;            /* build --from-jsonl: inputs are extracted shards */
  int jobs;             /* build: files extracted at once */
  pthread_mutex_t lock; /* guards builder, failed and progress */
  /* progress, shown on stderr when it is a terminal */
  int show_progress;
  size_t done_files, done_bytes, done_refs;
  struct timespec started, shown;
};

static double seconds_since(const struct timespec *t) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t->tv_sec) +
         (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Count one finished input; redraw the progress line twice a second. */
static void progress(run *r, size_t files, size_t bytes, size_t refs,
                     int final) {
  if (!r->show_progress)
    return;
  pthread_mutex_lock(&r->lock);
  r->done_files += files;
  r->done_bytes += bytes;
  r->done_refs += refs;
  if (final || seconds_since(&r->shown) >= 0.5) {
    double t = seconds_since(&r->started);
    double mb = (double)r->done_bytes / 1e6;
    fprintf(stderr, "\r%s: %zu files, %.1f MB, %.1f MB/s, %zu references%s",
            progname, r->done_files, mb, t > 0 ? mb / t : 0.0, r->done_refs,
            final ? "\n" : "");
    clock_gettime(CLOCK_MONOTONIC, &r->shown);
  }
  pthread_mutex_unlock(&r->lock);
}

static int cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static void run_init(run *r, extract_opts *opts, refs_fn on_refs, int jobs) {
  memset(r, 0, sizeof(*r));
  r->opts = opts;
  r->on_refs = on_refs;
  r->jobs = jobs;
  pthread_mutex_init(&r->lock, NULL);
  vbg_buf_init(&r->buf);
  r->show_progress = isatty(STDERR_FILENO);
  clock_gettime(CLOCK_MONOTONIC, &r->started);
  r->shown = r->started;
}

static void mark_failed(run *r) {
  pthread_mutex_lock(&r->lock);
  r->failed = 1;
  pthread_mutex_unlock(&r->lock);
}

static int write_refs(run *r, const char *path, const vbg_refs *refs) {
  vbg_buf_clear(&r->buf);
  int err = r->opts->tsv ? vbg_refs_write_tsv(&r->buf, refs, path)
                         : vbg_refs_write_jsonl(&r->buf, refs, path);
  if (err == 0)
    output_write(&r->out, r->buf.ptr, r->buf.size);
  return err;
}

static int add_refs(run *r, const char *path, const vbg_refs *refs) {
  pthread_mutex_lock(&r->lock);
  int err = vbg_builder_add(r->builder, path, refs);
  pthread_mutex_unlock(&r->lock);
  return err;
}

/* build --from-jsonl: an input is a shard of extracted references. */
static int process_shard(run *r, int fd, const char *path) {
  vbg_buf data;
  vbg_buf_init(&data);
  char *chunk = malloc(CHUNK);
  int err = chunk ? 0 : VBG_ENOMEM, eof = 0;
  size_t line = 1; /* of data.ptr[0] in the shard */
  /* whole lines go to the builder as they come: a shard is never held */
  while (err == 0 && !eof) {
    ssize_t n = read(fd, chunk, CHUNK);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      say(path, "read error: %s", strerror(errno));
      r->failed = 1;
      break;
    }
    eof = n == 0;
    if (n > 0 && (err = vbg_buf_put(&data, chunk, (size_t)n)) < 0)
      break;
    size_t upto = data.size;
    if (!eof) {
      while (upto > 0 && data.ptr[upto - 1] != '\n')
        upto--;
      if (upto == 0)
        continue; /* no whole line yet */
    }
    if (upto == 0)
      break;
    pthread_mutex_lock(&r->lock); /* one builder for every worker */
    err = vbg_builder_add_jsonl_from(r->builder, data.ptr, upto, path, line);
    pthread_mutex_unlock(&r->lock);
    for (const char *p = data.ptr, *end = data.ptr + upto;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
      line++;
    memmove(data.ptr, data.ptr + upto, data.size - upto);
    data.size -= upto;
  }
  if (err < 0) {
    fprintf(stderr, "%s: %s\n", progname, vbg_error_last());
    r->failed = 1;
  }
  free(chunk);
  vbg_buf_dispose(&data);
  return 0;
}

/* Extract one input on the stream *sp: made at the first input, reset
 * (its storage kept) for each later one. */
static int process_fd(run *r, vbg_stream **sp, int fd, const char *path) {
  if (r->jsonl)
    return process_shard(r, fd, path);
  vbg_refs *refs = NULL;
  /* Most inputs are articles of a few kilobytes: they are read into the
   * stack and fed.  A long one is then read a MiB at a time straight into
   * the stream's buffer, with no copy. */
  char small[SMALL_CHUNK], *chunk = small;
  size_t cap = sizeof(small);
  int err = VBG_OK;
  if (*sp)
    vbg_stream_reset(*sp);
  else
    err = vbg_stream_new(sp, r->ex);
  vbg_stream *s = *sp;
  size_t total = 0, nrefs = 0, shown = 0, shown_refs = 0;
  int binary = 0, ioerr = 0;
  while (err == 0) {
    int direct = total >= sizeof(small);
    if (direct) {
      if ((err = vbg_stream_room(s, CHUNK, &chunk)) < 0)
        break;
      cap = CHUNK;
    }
    ssize_t n = read(fd, chunk, cap);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      say(path, "read error: %s", strerror(errno));
      ioerr = 1;
      break;
    }
    if (n == 0)
      break;
    const char *nul = memchr(chunk, '\0', (size_t)n);
    if (nul) {
      char at[32];
      snprintf(at, sizeof(at), "%zu", total + (size_t)(nul - chunk));
      if (nrefs == 0)
        say(path, "binary file (NUL byte at offset %s), skipped", at);
      else { /* the references before it are out already */
        char detail[96];
        snprintf(detail, sizeof(detail), "%s (%zu references before it kept)",
                 at, nrefs);
        say(path, "NUL byte at offset %s: binary data, rest of file skipped",
            detail);
      }
      binary = 1;
      break;
    }
    err = direct ? vbg_stream_commit(s, (size_t)n)
                 : vbg_stream_feed(s, chunk, (size_t)n);
    total += (size_t)n;
    /* hand decided references on in batches: memory stays bounded on a
     * long input */
    vbg_refs *batch = NULL;
    if (err == 0 && (err = vbg_stream_take(&batch, s, BATCH)) == 0 && batch) {
      nrefs += vbg_refs_count(batch);
      err = r->on_refs(r, path, batch);
      vbg_refs_free(batch);
    }
    if (r->out.failed)
      break; /* the output is gone (a closed pipe): stop reading */
    if (total - shown >= PROGRESS_BYTES) { /* a long input moves the line */
      progress(r, 0, total - shown, nrefs - shown_refs, 0);
      shown = total;
      shown_refs = nrefs;
    }
  }
  if (err == 0 && !binary && !ioerr)
    err = vbg_stream_finish(&refs, s);
  if (err < 0) {
    say(path, "%s", vbg_error_last()[0] ? vbg_error_last() : vbg_strerror(err));
  } else if (refs) {
    const vbg_input_info *info = vbg_refs_info(refs);
    err = r->on_refs(r, path, refs);
    if (err < 0)
      say(path, "%s",
          vbg_error_last()[0] ? vbg_error_last() : vbg_strerror(err));
    if (info->bytes == 0)
      say(path, "%s", "warning: empty file");
    if (info->bad_utf8) {
      char detail[96];
      snprintf(detail, sizeof(detail), "%zu (%zu bad sequence%s skipped)",
               info->first_bad_utf8, info->bad_utf8,
               info->bad_utf8 == 1 ? "" : "s");
      say(path, "invalid UTF-8 at byte %s", detail);
      mark_failed(r);
    }
  }
  if (err < 0 || binary || ioerr)
    mark_failed(r);
  progress(r, 1, total - shown,
           nrefs - shown_refs + (refs ? vbg_refs_count(refs) : 0), 0);
  vbg_refs_free(refs);
  return 0;
}

/* With r->files set, walking only collects the regular files (build runs
 * them on several threads); otherwise each is processed at once. */
typedef struct file_list {
  char **v;
  size_t n, a;
} file_list;

static _Thread_local file_list *collecting;

static void process_file(run *r, const char *path) {
  if (collecting) {
    if (collecting->n == collecting->a) {
      size_t a = collecting->a ? collecting->a * 2 : 256;
      char **v = realloc(collecting->v, a * sizeof(*v));
      if (!v) {
        say(path, "%s", "out of memory");
        mark_failed(r);
        return;
      }
      collecting->v = v;
      collecting->a = a;
    }
    if (!(collecting->v[collecting->n] = strdup(path))) {
      say(path, "%s", "out of memory");
      mark_failed(r);
      return;
    }
    collecting->n++;
    return;
  }
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    say(path, "%s", strerror(errno));
    r->failed = 1;
    return;
  }
  process_fd(r, &r->stream, fd, path);
  close(fd);
}

typedef struct worker {
  run *r;
  file_list *files;
  size_t *next;
} worker;

static void *work(void *arg) {
  worker *w = arg;
  vbg_stream *s = NULL;
  for (;;) {
    pthread_mutex_lock(&w->r->lock);
    size_t i = (*w->next)++;
    pthread_mutex_unlock(&w->r->lock);
    if (i >= w->files->n) {
      vbg_stream_free(s);
      return NULL;
    }
    int fd = open(w->files->v[i], O_RDONLY);
    if (fd < 0) {
      say(w->files->v[i], "%s", strerror(errno));
      mark_failed(w->r);
      continue;
    }
    process_fd(w->r, &s, fd, w->files->v[i]);
    close(fd);
  }
}

static void process_path(run *r, const char *path, int depth);

/* Process every input: standard input at once, files on r->jobs threads. */
static void process_all(run *r, const char **inputs, int n) {
  if (r->jobs <= 1) {
    for (int i = 0; i < n; i++)
      process_path(r, inputs[i], 0);
    return;
  }
  file_list files = {NULL, 0, 0};
  collecting = &files;
  for (int i = 0; i < n; i++)
    if (strcmp(inputs[i], "-") != 0)
      process_path(r, inputs[i], 0);
  collecting = NULL;
  for (int i = 0; i < n; i++)
    if (strcmp(inputs[i], "-") == 0)
      process_path(r, inputs[i], 0);
  size_t next = 0;
  int nt = r->jobs < 64 ? r->jobs : 64;
  pthread_t t[64];
  worker w = {r, &files, &next};
  int started = 0;
  for (int i = 0; i < nt; i++)
    if (pthread_create(&t[i], NULL, work, &w) == 0)
      started++;
  if (started == 0)
    work(&w); /* no thread could start: do the work here */
  for (int i = 0; i < started; i++)
    pthread_join(t[i], NULL);
  for (size_t i = 0; i < files.n; i++)
    free(files.v[i]);
  free(files.v);
}

/* The directories on the walk from the argument down to the current one,
 * by device and inode: a directory met again below itself (a symlink back
 * up) is a loop and is not entered. */
typedef struct dir_id {
  dev_t dev;
  ino_t ino;
} dir_id;

#define VBG_MAX_DEPTH 64

static void walk(run *r, const char *path, int depth, dir_id *up);

/* A directory entry: its path, and its type as readdir gave it. */
typedef struct dir_entry {
  char *path;
  const char *name;   /* in path, after the directory's part */
  unsigned char type; /* DT_REG, DT_DIR, ...; DT_UNKNOWN when not said */
} dir_entry;

#ifdef DT_REG
static unsigned char entry_type(const struct dirent *e) { return e->d_type; }
static int listed_regular(const dir_entry *e) { return e->type == DT_REG; }
#else
static unsigned char entry_type(const struct dirent *e) {
  (void)e;
  return 0;
}
static int listed_regular(const dir_entry *e) {
  (void)e;
  return 0;
}
#endif

/* The entries of one directory share their paths' first part: comparing
 * the names orders the paths.  Pointers are sorted, not the entries: the C
 * library's qsort moves an element of a pointer's size in one instruction,
 * anything longer with a call to memcpy. */
static int cmp_entry_name(const void *a, const void *b) {
  return strcmp((*(const dir_entry *const *)a)->name,
                (*(const dir_entry *const *)b)->name);
}

static void process_dir(run *r, const char *path, int depth, dir_id *up) {
  DIR *d = opendir(path);
  if (!d) {
    say(path, "%s", strerror(errno));
    r->failed = 1;
    return;
  }
  dir_entry *names = NULL;
  size_t n = 0, a = 0;
  struct dirent *e;
  int oom = 0;
  /* each entry's path: path, a slash unless path ends in one, the name */
  size_t plen = strlen(path), dlen = plen + (path[plen - 1] != '/');
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (n == a) {
      a = a ? a * 2 : 64;
      dir_entry *v = realloc(names, a * sizeof(*v));
      if (!v) {
        oom = 1;
        break;
      }
      names = v;
    }
    size_t nlen = strlen(e->d_name);
    char *p = names[n].path = malloc(dlen + nlen + 1);
    names[n].type = entry_type(e);
    if (!p) {
      oom = 1;
      break;
    }
    memcpy(p, path, plen);
    p[dlen - 1] = '/';
    memcpy(p + dlen, e->d_name, nlen + 1);
    names[n].name = p + dlen;
    n++;
  }
  closedir(d);
  dir_entry **order = NULL;
  if (!oom && n > 0 && !(order = malloc(n * sizeof(*order))))
    oom = 1;
  if (oom) {
    say(path, "%s", "out of memory listing the directory; it was skipped");
    mark_failed(r);
  }
  if (order) {
    for (size_t i = 0; i < n; i++)
      order[i] = &names[i];
    qsort(order, n, sizeof(*order), cmp_entry_name);
  }
  for (size_t i = 0; order && i < n && !r->out.failed; i++) {
    /* a regular file, as the directory says, is read without a stat of its
     * own (one path look-up less for each of a corpus's articles) */
    if (listed_regular(order[i]))
      process_file(r, order[i]->path);
    else
      walk(r, order[i]->path, depth + 1, up);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i].path);
  free(order);
  free(names);
}

/* One path of the walk.  Named on the command line (depth 0) anything that
 * can be read is read, pipes included; met inside a directory only regular
 * files and directories are, so a FIFO or a device there cannot block. */
static void walk(run *r, const char *path, int depth, dir_id *up) {
  struct stat st;
  if (r->out.failed)
    return; /* the output is gone (a closed pipe, a full disk): stop */
  if (stat(path, &st) != 0) {
    say(path, "%s", strerror(errno));
    r->failed = 1;
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    for (int i = 0; i < depth; i++)
      if (up[i].dev == st.st_dev && up[i].ino == st.st_ino)
        return; /* a symlink back up: already being walked */
    if (depth >= VBG_MAX_DEPTH) {
      say(path, "%s", "directory nesting deeper than 64 levels, skipped");
      r->failed = 1;
      return;
    }
    up[depth].dev = st.st_dev;
    up[depth].ino = st.st_ino;
    process_dir(r, path, depth, up);
    return;
  }
  if (depth > 0 && !S_ISREG(st.st_mode))
    return;
  process_file(r, path);
}

static void process_path(run *r, const char *path, int depth) {
  if (r->out.failed)
    return;
  if (strcmp(path, "-") == 0) {
    process_fd(r, &r->stream, STDIN_FILENO, "-");
    return;
  }
  dir_id up[VBG_MAX_DEPTH + 1];
  walk(r, path, depth, up);
}

static const char extract_usage[] =
    "Usage: vbgraph extract [OPTIONS] [FILE|DIR|-]...\n"
    "\n"
    "Find references to Party and State documents in UTF-8 text and print\n"
    "one JSON object per reference (JSON Lines).  Directories are read\n"
    "recursively (hidden entries skipped, paths in byte order; inside a\n"
    "directory only regular files are read, pipes and devices skipped, and\n"
    "a symlink back to a directory being walked is not followed); no input\n"
    "or \"-\" reads standard input.\n"
    "\n"
    "Options:\n"
    "  --format jsonl|tsv   output format (default jsonl; tsv has a header "
    "line)\n"
    "  -o, --output FILE    write to FILE (replaced only when complete)\n"
    "  --no-short-forms     leave out short forms (\"Nghị quyết 72\", \"Quyết "
    "định này\")\n"
    "  --no-relations       do not look for relations between documents\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 all inputs processed; 1 some input failed (named on "
    "stderr,\n"
    "the others still processed); 2 usage error.\n";

static int usage_error(const char *cmd, const char *msg, const char *arg) {
  fprintf(stderr, "%s%s%s: ", progname, cmd ? " " : "", cmd ? cmd : "");
  fprintf(stderr, msg, arg);
  fprintf(stderr, "\nTry '%s%s%s --help'.\n", progname, cmd ? " " : "",
          cmd ? cmd : "");
  return 2;
}

static int cmd_extract(int argc, char **argv) {
  extract_opts opts = {0, NULL, VBG_OPT_DEFAULT};
  const char **inputs = calloc((size_t)argc + 1, sizeof(*inputs));
  int ninputs = 0, dashdash = 0;
  if (!inputs)
    return 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (dashdash || a[0] != '-' || strcmp(a, "-") == 0) {
      inputs[ninputs++] = a;
    } else if (strcmp(a, "--") == 0) {
      dashdash = 1;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(extract_usage, stdout);
      free(inputs);
      return 0;
    } else if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
      const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v) {
        free(inputs);
        return usage_error("extract", "option %s needs an argument",
                           "--format");
      }
      if (strcmp(v, "tsv") == 0)
        opts.tsv = 1;
      else if (strcmp(v, "jsonl") != 0 && strcmp(v, "json") != 0) {
        free(inputs);
        return usage_error("extract", "unknown format '%s' (use jsonl or tsv)",
                           v);
      }
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
      if (i + 1 >= argc) {
        free(inputs);
        return usage_error("extract", "option %s needs an argument", a);
      }
      opts.out = argv[++i];
    } else if (strcmp(a, "--no-short-forms") == 0) {
      opts.options |= VBG_OPT_NO_SHORT_FORMS;
    } else if (strcmp(a, "--no-relations") == 0) {
      opts.options |= VBG_OPT_NO_RELATIONS;
    } else {
      free(inputs);
      return usage_error("extract", "unknown option '%s'", a);
    }
  }
  if (ninputs == 0)
    inputs[ninputs++] = "-";
  run r;
  run_init(&r, &opts, write_refs, 1);
  int err = vbg_extractor_new(&r.ex, opts.options);
  if (err < 0) {
    fprintf(stderr, "%s: %s\n", progname, vbg_error_last());
    free(inputs);
    return 1;
  }
  if (output_open(&r.out, opts.out) != 0) {
    vbg_extractor_free(r.ex);
    free(inputs);
    return 1;
  }
  output_buffer(r.out.fp);
  if (opts.tsv) {
    vbg_refs_write_tsv_header(&r.buf);
    output_write(&r.out, r.buf.ptr, r.buf.size);
  }
  for (int i = 0; i < ninputs; i++)
    process_path(&r, inputs[i], 0);
  progress(&r, 0, 0, 0, 1);
  int bad_out = output_close(&r.out);
  vbg_buf_dispose(&r.buf);
  vbg_stream_free(r.stream);
  vbg_extractor_free(r.ex);
  free(inputs);
  return (r.failed || bad_out) ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* build                                                               */
/* ------------------------------------------------------------------ */

static const char build_usage[] =
    "Usage: vbgraph build [OPTIONS] [FILE|DIR|-]... -o OUT\n"
    "\n"
    "Extract the references of every input and build the citation graph of\n"
    "documents, issuing bodies and articles.  The same inputs give the same\n"
    "graph, byte for byte, in any order.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT     where to write the graph; \"-\" is standard "
    "output\n"
    "                       (then --format is needed).  OUT is replaced only "
    "when\n"
    "                       complete.\n"
    "  --format FMT         graphml, dot, json (node-link) or csv; by default "
    "from\n"
    "                       OUT's suffix (.graphml .xml, .dot .gv, .json, "
    ".csv).\n"
    "                       csv writes two files: OUT.csv -> OUT.nodes.csv "
    "and\n"
    "                       OUT.edges.csv; a directory OUT/ -> OUT/nodes.csv "
    "and\n"
    "                       OUT/edges.csv\n"
    "  -j, --jobs N         extract N files at once (default: all cores); the "
    "graph\n"
    "                       is the same whatever N\n"
    "  --from-jsonl         the inputs are JSON Lines written by `vbgraph "
    "extract`\n"
    "                       (shards of a distributed run), not text\n"
    "  --no-short-forms     as in `vbgraph extract`\n"
    "  --no-relations       as in `vbgraph extract`\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 all inputs processed; 1 some input failed (named on "
    "stderr,\n"
    "the others still in the graph) or the graph could not be written; 2 "
    "usage.\n";

static int parse_jobs(const char *s, long *out) {
  char *end = NULL;
  long x = strtol(s, &end, 10);
  if (!*s || *end || x < 1 || x > 64)
    return 0;
  *out = x;
  return 1;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int format_named(const char *name, int *fmt) {
  static const struct {
    const char *name;
    int fmt;
  } names[] = {{"graphml", VBG_FORMAT_GRAPHML},
               {"dot", VBG_FORMAT_DOT},
               {"json", VBG_FORMAT_JSON},
               {"csv", VBG_FORMAT_CSV_NODES}};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (strcmp(name, names[i].name) == 0) {
      *fmt = names[i].fmt;
      return 1;
    }
  return 0;
}

static int format_of_path(const char *path, int *fmt) {
  static const struct {
    const char *suffix;
    int fmt;
  } suffixes[] = {
      {".graphml", VBG_FORMAT_GRAPHML}, {".xml", VBG_FORMAT_GRAPHML},
      {".dot", VBG_FORMAT_DOT},         {".gv", VBG_FORMAT_DOT},
      {".json", VBG_FORMAT_JSON},       {".csv", VBG_FORMAT_CSV_NODES},
      {"/", VBG_FORMAT_CSV_NODES}};
  for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
    if (ends_with(path, suffixes[i].suffix)) {
      *fmt = suffixes[i].fmt;
      return 1;
    }
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    *fmt = VBG_FORMAT_CSV_NODES;
    return 1;
  }
  return 0;
}

/* Write one file of the graph; returns 0 on success. */
static void *free_builder(void *b) {
  vbg_builder_free(b);
  return NULL;
}

static int write_graph_file(const vbg_graph *g, int fmt, const char *path) {
  output o;
  if (output_open(&o, path) != 0)
    return -1;
  int err = vbg_graph_write(g, (vbg_format)fmt, o.fp);
  if (err < 0) {
    say(o.path, "%s",
        vbg_error_last()[0] ? vbg_error_last() : vbg_strerror(err));
    o.failed = 1;
  }
  return output_close(&o);
}

/* csv: OUT.csv -> OUT.nodes.csv + OUT.edges.csv; DIR/ -> DIR/nodes.csv ... */
static int write_csv(const vbg_graph *g, const char *out) {
  size_t n = strlen(out);
  char *nodes = malloc(n + 16), *edges = malloc(n + 16);
  int bad = !nodes || !edges;
  struct stat st;
  int dir = ends_with(out, "/") || (stat(out, &st) == 0 && S_ISDIR(st.st_mode));
  if (!bad && dir) {
    snprintf(nodes, n + 16, "%s%snodes.csv", out,
             ends_with(out, "/") ? "" : "/");
    snprintf(edges, n + 16, "%s%sedges.csv", out,
             ends_with(out, "/") ? "" : "/");
  } else if (!bad) {
    size_t stem = ends_with(out, ".csv") ? n - 4 : n;
    snprintf(nodes, n + 16, "%.*s.nodes.csv", (int)stem, out);
    snprintf(edges, n + 16, "%.*s.edges.csv", (int)stem, out);
  }
  if (!bad)
    bad = write_graph_file(g, VBG_FORMAT_CSV_NODES, nodes) != 0 ||
          write_graph_file(g, VBG_FORMAT_CSV_EDGES, edges) != 0;
  free(nodes);
  free(edges);
  return bad ? -1 : 0;
}

static int cmd_build(int argc, char **argv) {
  extract_opts opts = {0, NULL, VBG_OPT_DEFAULT};
  const char **inputs = calloc((size_t)argc + 1, sizeof(*inputs));
  const char *format = NULL;
  int ninputs = 0, dashdash = 0, jsonl = 0, fmt = -1, jobs = cores();
  if (!inputs)
    return 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (dashdash || a[0] != '-' || strcmp(a, "-") == 0) {
      inputs[ninputs++] = a;
    } else if (strcmp(a, "--") == 0) {
      dashdash = 1;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(build_usage, stdout);
      free(inputs);
      return 0;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
               strcmp(a, "--format") == 0) {
      if (i + 1 >= argc) {
        free(inputs);
        return usage_error("build", "option %s needs an argument", a);
      }
      if (strcmp(a, "--format") == 0)
        format = argv[++i];
      else
        opts.out = argv[++i];
    } else if (strncmp(a, "--format=", 9) == 0) {
      format = a + 9;
    } else if (strcmp(a, "--from-jsonl") == 0) {
      jsonl = 1;
    } else if (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0) {
      long x;
      if (i + 1 >= argc || !parse_jobs(argv[i + 1], &x)) {
        free(inputs);
        return usage_error("build", "%s takes a number of threads from 1 to 64",
                           a);
      }
      jobs = (int)x;
      i++;
    } else if (strcmp(a, "--no-short-forms") == 0) {
      opts.options |= VBG_OPT_NO_SHORT_FORMS;
    } else if (strcmp(a, "--no-relations") == 0) {
      opts.options |= VBG_OPT_NO_RELATIONS;
    } else {
      free(inputs);
      return usage_error("build", "unknown option '%s'", a);
    }
  }
  if (!opts.out) {
    free(inputs);
    return usage_error("build", "%s", "missing -o OUT");
  }
  if (format && !format_named(format, &fmt)) {
    free(inputs);
    return usage_error(
        "build", "unknown format '%s' (use graphml, dot, json or csv)", format);
  }
  if (!format &&
      (strcmp(opts.out, "-") == 0 || !format_of_path(opts.out, &fmt))) {
    free(inputs);
    return usage_error("build", "cannot tell the format of '%s': give --format",
                       opts.out);
  }
  if (fmt == VBG_FORMAT_CSV_NODES && strcmp(opts.out, "-") == 0) {
    free(inputs);
    return usage_error("build", "%s",
                       "csv writes two files: give -o OUT.csv or -o DIR/");
  }
  if (ninputs == 0)
    inputs[ninputs++] = "-";
  run r;
  run_init(&r, &opts, add_refs, jobs);
  r.jsonl = jsonl;
  int status = 0;
  vbg_graph *g = NULL;
  if (vbg_extractor_new(&r.ex, opts.options) < 0 ||
      vbg_builder_new(&r.builder) < 0) {
    fprintf(stderr, "%s: %s\n", progname, vbg_error_last());
    status = 1;
    goto done;
  }
  process_all(&r, inputs, ninputs);
  progress(&r, 0, 0, 0, 1);
  if (vbg_builder_finish(&g, r.builder) < 0) {
    fprintf(stderr, "%s: %s\n", progname, vbg_error_last());
    status = 1;
    goto done;
  }
  /* the builder is not needed any more: on another core, let it go while
   * the graph is written */
  pthread_t freer;
  int freeing =
      r.jobs > 1 && pthread_create(&freer, NULL, free_builder, r.builder) == 0;
  if (freeing)
    r.builder = NULL;
  int bad = fmt == VBG_FORMAT_CSV_NODES ? write_csv(g, opts.out)
                                        : write_graph_file(g, fmt, opts.out);
  if (freeing)
    pthread_join(freer, NULL);
  status = (r.failed || bad) ? 1 : 0;
done:
  vbg_graph_free(g);
  vbg_builder_free(r.builder);
  vbg_stream_free(r.stream);
  vbg_extractor_free(r.ex);
  vbg_buf_dispose(&r.buf);
  free(inputs);
  return status;
}

/* ------------------------------------------------------------------ */
/* Loading a graph: --graph FILE.graphml, or built from inputs         */
/* ------------------------------------------------------------------ */

typedef struct graph_src {
  const char *graphml; /* --graph */
  const char **inputs;
  int ninputs;
  int jsonl;
  unsigned options;
} graph_src;

/* Returns 0 and *out, or 1 (message printed). *failed_inputs is set when
 * some input could not be read (the graph is still made of the others). */
static int load_graph(vbg_graph **out, const graph_src *src,
                      int *failed_inputs) {
  *out = NULL;
  *failed_inputs = 0;
  if (src->graphml) {
    FILE *f = strcmp(src->graphml, "-") == 0 ? stdin : fopen(src->graphml, "r");
    if (!f) {
      say(src->graphml, "%s", strerror(errno));
      return 1;
    }
    int err = vbg_graph_read_graphml(out, f);
    if (f != stdin)
      fclose(f);
    if (err < 0) {
      say(src->graphml, "%s",
          vbg_error_last()[0] ? vbg_error_last() : vbg_strerror(err));
      return 1;
    }
    return 0;
  }
  extract_opts opts = {0, NULL, src->options};
  run r;
  run_init(&r, &opts, add_refs, cores());
  r.jsonl = src->jsonl;
  int status = 0;
  if (vbg_extractor_new(&r.ex, src->options) < 0 ||
      vbg_builder_new(&r.builder) < 0) {
    fprintf(stderr, "%s: %s\n", progname, vbg_error_last());
    status = 1;
  }
  if (status == 0)
    process_all(&r, src->inputs, src->ninputs);
  progress(&r, 0, 0, 0, 1);
  if (status == 0 && vbg_builder_finish(out, r.builder) < 0) {
    fprintf(stderr, "%s: %s\n", progname, vbg_error_last());
    status = 1;
  }
  *failed_inputs = r.failed;
  vbg_builder_free(r.builder);
  vbg_stream_free(r.stream);
  vbg_extractor_free(r.ex);
  vbg_buf_dispose(&r.buf);
  return status;
}

/* Common options of query and render; returns 1 when argv[*i] was one,
 * 0 when not, -1 on a usage error (message printed). */
static int graph_option(graph_src *src, int argc, char **argv, int *i,
                        const char *cmd) {
  const char *a = argv[*i];
  if (strcmp(a, "--graph") == 0 || strcmp(a, "-g") == 0) {
    if (*i + 1 >= argc)
      return usage_error(cmd, "option %s needs an argument", a) ? -1 : -1;
    src->graphml = argv[++*i];
    return 1;
  }
  if (strcmp(a, "--from-jsonl") == 0) {
    src->jsonl = 1;
    return 1;
  }
  if (strcmp(a, "--no-short-forms") == 0) {
    src->options |= VBG_OPT_NO_SHORT_FORMS;
    return 1;
  }
  if (strcmp(a, "--no-relations") == 0) {
    src->options |= VBG_OPT_NO_RELATIONS;
    return 1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* query                                                               */
/* ------------------------------------------------------------------ */

static const char query_usage[] =
    "Usage: vbgraph query QUESTION [ARGS] [OPTIONS] [--graph G.graphml | "
    "FILE|DIR|-...]\n"
    "\n"
    "Questions:\n"
    "  implements KEY   what implements KEY, directly or through a chain, and "
    "who\n"
    "                   reviewed its implementation; each step with its "
    "evidence\n"
    "  cited-by KEY     documents that relate to KEY (implement, amend, cite "
    "...)\n"
    "  cites KEY        documents KEY relates to\n"
    "  show KEY         everything known of KEY: type, bodies, dates, titles,\n"
    "                   where and how often it is mentioned\n"
    "  top              the most cited documents, by mentions and by PageRank\n"
    "  path A B         a shortest chain of relations from A to B\n"
    "\n"
    "KEY is typed as people type it: \"25-NQ/TƯ\", \"Nghị quyết số "
    "25-NQ/TW\",\n"
    "\"nq 25/tw\", or a vertex id shown by an earlier answer (for numbers "
    "that\n"
    "several documents share, e.g. '15/KH-UBND [Ủy ban nhân dân tỉnh Nghệ An, "
    "2025]').\n"
    "\n"
    "Options:\n"
    "  -g, --graph G      read the graph saved by `vbgraph build -o "
    "G.graphml`;\n"
    "                     without it the graph is built from the inputs\n"
    "  --json             answer in JSON for scripts\n"
    "  --depth N          implements: follow at most N levels (default: all)\n"
    "  --kind K           top: document (default), body, article or all\n"
    "  --limit N          top: how many (default 20)\n"
    "  --from-jsonl, --no-short-forms, --no-relations   as in `vbgraph build`\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 answered; 1 unknown or ambiguous KEY, or an input failed;\n"
    "2 usage error.\n";

/* Resolve a KEY argument to one vertex, or explain why not (returns -1). */
static long pick(const vbg_graph *g, const char *text) {
  vbg_extractor *ex = NULL;
  size_t *hits = NULL, n = 0;
  long v = -1;
  long direct = vbg_graph_find(g, text);
  if (direct >= 0)
    return direct;
  if (vbg_extractor_new(&ex, 0) < 0 ||
      vbg_graph_lookup(&hits, &n, g, ex, text, strlen(text)) < 0) {
    fprintf(stderr, "%s: %s\n", progname, vbg_error_last());
    goto done;
  }
  if (n == 1) {
    v = (long)hits[0];
    goto done;
  }
  if (n > 1) {
    fprintf(stderr, "%s: '%s' matches %zu documents; name one by its id:\n",
            progname, text, n);
    for (size_t i = 0; i < n; i++) {
      const vbg_vertex *x = vbg_graph_vertex(g, hits[i]);
      fprintf(stderr, "  '%s'%s  (mentioned %zu time%s%s%s)\n", x->id,
              x->ambiguous ? " [mentions that fit several]" : "", x->mentions,
              x->mentions == 1 ? "" : "s", x->date ? ", dated " : "",
              x->date ? x->date : "");
    }
    goto done;
  }
  size_t *near = NULL, k = 0;
  fprintf(stderr, "%s: no document '%s' in the graph", progname, text);
  if (vbg_graph_suggest(&near, &k, g, text, strlen(text), 5) == 0 && k > 0) {
    fprintf(stderr, "; did you mean:");
    for (size_t i = 0; i < k; i++)
      fprintf(stderr, "%s %s", i ? "," : "", vbg_graph_vertex(g, near[i])->key);
  }
  fputc('\n', stderr);
  vbg_free(near);
done:
  vbg_free(hits);
  vbg_extractor_free(ex);
  return v;
}

static int parse_count(const char *s, long *out) {
  char *end = NULL;
  long x = strtol(s, &end, 10);
  if (!*s || *end || x < 0)
    return 0;
  *out = x;
  return 1;
}

static int cmd_query(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "--help") == 0) {
    fputs(query_usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const char *q = argv[1];
  int nargs = strcmp(q, "top") == 0 ? 0 : strcmp(q, "path") == 0 ? 2 : 1;
  if (strcmp(q, "implements") && strcmp(q, "cited-by") && strcmp(q, "cites") &&
      strcmp(q, "show") && strcmp(q, "top") && strcmp(q, "path"))
    return usage_error("query", "unknown question '%s'", q);
  graph_src src = {NULL, calloc((size_t)argc + 1, sizeof(char *)), 0, 0, 0};
  const char *args[2] = {NULL, NULL};
  int got = 0, status = 0;
  vbg_query_options o = VBG_QUERY_OPTIONS_INIT;
  if (!src.inputs)
    return 2;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    int r = graph_option(&src, argc, argv, &i, "query");
    long x;
    if (r < 0) {
      status = 2;
      goto out;
    }
    if (r > 0)
      continue;
    if (strcmp(a, "--json") == 0) {
      o.json = 1;
    } else if (strcmp(a, "--depth") == 0 || strcmp(a, "--limit") == 0 ||
               strcmp(a, "--kind") == 0) {
      if (i + 1 >= argc) {
        status = usage_error("query", "option %s needs an argument", a);
        goto out;
      }
      const char *v = argv[++i];
      if (strcmp(a, "--kind") == 0) {
        o.kind = strcmp(v, "document") == 0  ? VBG_KIND_DOCUMENT
                 : strcmp(v, "body") == 0    ? VBG_KIND_BODY
                 : strcmp(v, "article") == 0 ? VBG_KIND_ARTICLE
                 : strcmp(v, "all") == 0     ? -1
                                             : -2;
        if (o.kind == -2) {
          status = usage_error(
              "query", "unknown kind '%s' (document, body, article, all)", v);
          goto out;
        }
      } else if (!parse_count(v, &x)) {
        status = usage_error("query", "%s takes a whole number", a);
        goto out;
      } else if (strcmp(a, "--depth") == 0) {
        o.depth = (int)x;
      } else {
        o.limit = (size_t)x;
      }
    } else if (a[0] == '-' && strcmp(a, "-") != 0) {
      status = usage_error("query", "unknown option '%s'", a);
      goto out;
    } else if (got < nargs) {
      args[got++] = a;
    } else {
      src.inputs[src.ninputs++] = a;
    }
  }
  if (got < nargs) {
    status = usage_error("query", "'%s' needs a KEY", q);
    goto out;
  }
  if (!src.graphml && src.ninputs == 0)
    src.inputs[src.ninputs++] = "-";
  vbg_graph *g = NULL;
  int failed = 0;
  if (load_graph(&g, &src, &failed) != 0) {
    status = 1;
    goto out;
  }
  long a = -1, b = -1;
  if (nargs >= 1 && (a = pick(g, args[0])) < 0)
    status = 1;
  if (status == 0 && nargs == 2 && (b = pick(g, args[1])) < 0)
    status = 1;
  if (status == 0) {
    vbg_buf out;
    vbg_buf_init(&out);
    int err = strcmp(q, "implements") == 0
                  ? vbg_query_implements(&out, g, (size_t)a, &o)
              : strcmp(q, "cited-by") == 0
                  ? vbg_query_cites(&out, g, (size_t)a, 0, &o)
              : strcmp(q, "cites") == 0
                  ? vbg_query_cites(&out, g, (size_t)a, 1, &o)
              : strcmp(q, "show") == 0 ? vbg_query_show(&out, g, (size_t)a, &o)
              : strcmp(q, "top") == 0
                  ? vbg_query_top(&out, g, &o)
                  : vbg_query_path(&out, g, (size_t)a, (size_t)b, &o);
    if (err < 0) {
      fprintf(stderr, "%s: %s\n", progname, vbg_error_last());
      status = 1;
    } else {
      output w;
      output_open(&w, NULL);
      output_write(&w, out.ptr, out.size);
      status = output_close(&w) != 0 || failed;
    }
    vbg_buf_dispose(&out);
  }
  vbg_graph_free(g);
out:
  free(src.inputs);
  return status;
}

/* ------------------------------------------------------------------ */
/* render                                                              */
/* ------------------------------------------------------------------ */

static const char render_usage[] =
    "Usage: vbgraph render [OPTIONS] [--graph G.graphml | FILE|DIR|-...] -o "
    "DIAGRAM\n"
    "\n"
    "Draw the citation graph with Graphviz: documents (boxes) and issuing\n"
    "bodies (ellipses) grouped by level (central, ministries, provinces,\n"
    "districts, communes), edges styled by relation, and a legend.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE  the diagram; its suffix gives the format: .svg .png "
    ".pdf\n"
    "                     .dot (laid out); replaced only when complete\n"
    "  --format FMT       svg, png, pdf or dot, when the suffix does not say\n"
    "  --focus KEY        draw the neighbourhood of one document\n"
    "  --depth N          with --focus: hops to follow (default 2)\n"
    "  --max-nodes N      draw at most N vertices (default 300); the least\n"
    "                     mentioned are left out, and stderr says how many\n"
    "  --articles         draw the articles and their mentions too\n"
    "  --all              draw everything: articles, mentions and `cites` "
    "edges\n"
    "                     (by default a document naming another in passing is\n"
    "                     not drawn)\n"
    "  -g, --graph G      read the graph saved by `vbgraph build -o "
    "G.graphml`\n"
    "  --from-jsonl, --no-short-forms, --no-relations   as in `vbgraph build`\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 drawn; 1 an input failed, the focus is unknown, or "
    "Graphviz\n"
    "failed; 2 usage error.\n";

static int cmd_render(int argc, char **argv) {
  graph_src src = {NULL, calloc((size_t)argc + 1, sizeof(char *)), 0, 0, 0};
  vbg_render_options o = VBG_RENDER_OPTIONS_INIT;
  const char *out = NULL, *format = NULL, *focus = NULL;
  int status = 0;
  if (!src.inputs)
    return 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int r = graph_option(&src, argc, argv, &i, "render");
    long x;
    if (r < 0) {
      status = 2;
      goto out;
    }
    if (r > 0)
      continue;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(render_usage, stdout);
      goto out;
    } else if (strcmp(a, "--articles") == 0) {
      o.articles = o.articles > 1 ? 2 : 1;
    } else if (strcmp(a, "--all") == 0) {
      o.articles = 2;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
               strcmp(a, "--format") == 0 || strcmp(a, "--focus") == 0 ||
               strcmp(a, "--depth") == 0 || strcmp(a, "--max-nodes") == 0) {
      if (i + 1 >= argc) {
        status = usage_error("render", "option %s needs an argument", a);
        goto out;
      }
      const char *v = argv[++i];
      if (strcmp(a, "--format") == 0)
        format = v;
      else if (strcmp(a, "--focus") == 0)
        focus = v;
      else if (a[1] == 'o' || strcmp(a, "--output") == 0)
        out = v;
      else if (!parse_count(v, &x)) {
        status = usage_error("render", "%s takes a whole number", a);
        goto out;
      } else if (strcmp(a, "--depth") == 0)
        o.depth = (int)x;
      else
        o.max_nodes = (size_t)x;
    } else if (a[0] == '-' && strcmp(a, "-") != 0) {
      status = usage_error("render", "unknown option '%s'", a);
      goto out;
    } else {
      src.inputs[src.ninputs++] = a;
    }
  }
  if (!out) {
    status = usage_error("render", "%s", "missing -o DIAGRAM");
    goto out;
  }
  if (!format) {
    const char *dotp = strrchr(out, '.');
    format = dotp ? dotp + 1 : "";
  }
  if (strcmp(format, "svg") && strcmp(format, "png") && strcmp(format, "pdf") &&
      strcmp(format, "dot") && strcmp(format, "gv")) {
    status = usage_error(
        "render", "cannot draw '%s': give --format svg, png, pdf or dot", out);
    goto out;
  }
  o.format = strcmp(format, "gv") == 0 ? "dot" : format;
  if (!src.graphml && src.ninputs == 0)
    src.inputs[src.ninputs++] = "-";
  vbg_graph *g = NULL;
  int failed = 0;
  if (load_graph(&g, &src, &failed) != 0) {
    status = 1;
    goto out;
  }
  if (focus && (o.focus = pick(g, focus)) < 0)
    status = 1;
  if (status == 0) {
    output w;
    vbg_buf note;
    vbg_buf_init(&note);
    if (output_open(&w, out) != 0) {
      status = 1;
    } else {
      int err = vbg_render(g, &o, w.fp, &note);
      if (err < 0) {
        say(out, "%s", vbg_error_last());
        w.failed = 1;
      }
      status = output_close(&w) != 0 || failed;
      if (err == 0 && note.size)
        fprintf(stderr, "%s: %s: %s\n", progname, out, note.ptr);
    }
    vbg_buf_dispose(&note);
  }
  vbg_graph_free(g);
out:
  free(src.inputs);
  return status;
}

/* ------------------------------------------------------------------ */
/* canon                                                               */
/* ------------------------------------------------------------------ */

static const char canon_usage[] =
    "Usage: vbgraph canon key|body TEXT...\n"
    "\n"
    "Print the canonical form of each TEXT, one per line: `key` reads a\n"
    "document number the way people type it (\"Nghị quyết số 25-NQ/TƯ\" ->\n"
    "25-NQ/TW); `body` spells an issuing body canonically (\"UBND TP Hà Nội\"\n"
    "-> \"Ủy ban nhân dân thành phố Hà Nội\").  An input that is not a key\n"
    "prints an empty line and makes the exit status 1.\n";

static int cmd_canon(int argc, char **argv) {
  if (argc >= 2 &&
      (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
    fputs(canon_usage, stdout);
    return 0;
  }
  if (argc < 2 || (strcmp(argv[1], "key") != 0 && strcmp(argv[1], "body") != 0))
    return usage_error("canon", "%s", "expected 'key' or 'body'");
  int key = strcmp(argv[1], "key") == 0, status = 0;
  vbg_extractor *ex = NULL;
  if (key && vbg_extractor_new(&ex, 0) < 0) {
    fprintf(stderr, "%s: %s\n", progname, vbg_error_last());
    return 1;
  }
  vbg_buf out;
  vbg_buf_init(&out);
  for (int i = 2; i < argc; i++) {
    int err = key ? vbg_key_canonical(&out, ex, argv[i], strlen(argv[i]))
                  : vbg_body_canonical(&out, argv[i], strlen(argv[i]));
    if (err < 0) {
      fprintf(stderr, "%s: %s\n", progname, vbg_error_last());
      status = 1;
      puts("");
      continue;
    }
    printf("%s\n", out.ptr ? out.ptr : "");
  }
  vbg_buf_dispose(&out);
  vbg_extractor_free(ex);
  return status;
}

/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */

static const char main_usage[] =
    "Usage: vbgraph COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "vbgraph finds references to Vietnamese Party and State documents\n"
    "(\"Nghị quyết số 25-NQ/TW\", \"Kế hoạch số 170/KH-UBND\") in text.\n"
    "\n"
    "Commands:\n"
    "  extract   print every reference found in files, directories or stdin\n"
    "  build     build the citation graph and write GraphML, DOT, JSON or CSV\n"
    "  query     ask the graph: implements, cited-by, cites, show, top, path\n"
    "  render    draw the graph (SVG, PNG, PDF) with Graphviz\n"
    "  canon     print the canonical form of a document number or body name\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help; 'vbgraph COMMAND --help' for a command\n"
    "  --version      print the version\n";

#ifdef VBG_TEST_HOOKS
/* Only in vbgraph_test_hooks, this file built against the static library
 * for tests/failure/match_limit.sh: PCRE2 limits low enough to be hit, from
 * the environment (src/scan.h; the vbgraph program reads no such thing). */
#include <stdint.h>
void vbg__set_match_limit_for_tests(uint32_t match, uint32_t depth);
void vbg__set_limit_pattern_for_tests(const char *name);
static void test_hooks(void) {
  const char *m = getenv("VBG_TEST_MATCH_LIMIT");
  const char *d = getenv("VBG_TEST_DEPTH_LIMIT");
  vbg__set_match_limit_for_tests(m ? (uint32_t)strtoul(m, NULL, 10) : 0,
                                 d ? (uint32_t)strtoul(d, NULL, 10) : 0);
  vbg__set_limit_pattern_for_tests(getenv("VBG_TEST_LIMIT_PATTERN"));
}
#endif

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  catch_fatal_signals();
#ifdef VBG_TEST_HOOKS
  test_hooks();
#endif
  if (argc < 2) {
    fputs(main_usage, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "help") == 0) {
    fputs(main_usage, stdout);
    return 0;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
    printf("vbgraph %s\n", vbg_version());
    return 0;
  }
  if (strcmp(cmd, "extract") == 0)
    return cmd_extract(argc - 1, argv + 1);
  if (strcmp(cmd, "build") == 0)
    return cmd_build(argc - 1, argv + 1);
  if (strcmp(cmd, "query") == 0)
    return cmd_query(argc - 1, argv + 1);
  if (strcmp(cmd, "render") == 0)
    return cmd_render(argc - 1, argv + 1);
  if (strcmp(cmd, "canon") == 0)
    return cmd_canon(argc - 1, argv + 1);
  return usage_error(NULL, "unknown command '%s'", cmd);
}
