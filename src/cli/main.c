/*
 * main.c - the vbgraph command-line tool: argv -> options -> library calls
 * -> exit status.  0: all went well; 1: some inputs failed (each named on
 * stderr) but the rest were processed; 2: usage error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vbgraph.h"

#define CHUNK (1u << 20)

static const char *progname = "vbgraph";

static void say(const char *path, const char *fmt, const char *detail) {
  fprintf(stderr, "%s: %s: ", progname, path);
  fprintf(stderr, fmt, detail);
  fputc('\n', stderr);
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

typedef struct output {
  FILE *fp;
  const char *path; /* as given, for messages; "-" for stdout */
  char *tmp;        /* temporary file renamed into place at the end */
  int failed;
} output;

static int output_open(output *o, const char *path) {
  memset(o, 0, sizeof(*o));
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
    o->fp = fopen(o->tmp, "w");
  }
  if (!o->fp) {
    say(path, "%s (cannot open the output for writing)", strerror(errno));
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

/* Returns 0 when everything reached its destination. */
static int output_close(output *o) {
  int bad = o->failed;
  if (fflush(o->fp) != 0 && !bad) {
    say(o->path, "write error: %s", strerror(errno));
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
      }
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

typedef struct run {
  vbg_extractor *ex;
  extract_opts *opts;
  output out;
  vbg_buf buf;
  int failed;
} run;

static int process_fd(run *r, int fd, const char *path) {
  vbg_stream *s = NULL;
  vbg_refs *refs = NULL;
  char *chunk = malloc(CHUNK);
  int err = chunk ? vbg_stream_new(&s, r->ex) : VBG_ENOMEM;
  size_t total = 0;
  int binary = 0, ioerr = 0;
  while (err == 0) {
    ssize_t n = read(fd, chunk, CHUNK);
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
      say(path, "binary file (NUL byte at offset %s), skipped", at);
      binary = 1;
      break;
    }
    err = vbg_stream_feed(s, chunk, (size_t)n);
    total += (size_t)n;
  }
  if (err == 0 && !binary && !ioerr)
    err = vbg_stream_finish(&refs, s);
  if (err < 0) {
    say(path, "%s", vbg_error_last()[0] ? vbg_error_last() : vbg_strerror(err));
  } else if (refs) {
    const vbg_input_info *info = vbg_refs_info(refs);
    vbg_buf_clear(&r->buf);
    err = r->opts->tsv ? vbg_refs_write_tsv(&r->buf, refs, path)
                       : vbg_refs_write_jsonl(&r->buf, refs, path);
    if (err == 0)
      output_write(&r->out, r->buf.ptr, r->buf.size);
    if (info->bytes == 0)
      say(path, "%s", "warning: empty file");
    if (info->bad_utf8) {
      char detail[96];
      snprintf(detail, sizeof(detail), "%zu (%zu bad sequence%s skipped)",
               info->first_bad_utf8, info->bad_utf8,
               info->bad_utf8 == 1 ? "" : "s");
      say(path, "invalid UTF-8 at byte %s", detail);
      r->failed = 1;
    }
  }
  if (err < 0 || binary || ioerr)
    r->failed = 1;
  vbg_refs_free(refs);
  vbg_stream_free(s);
  free(chunk);
  return 0;
}

static void process_file(run *r, const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    say(path, "%s", strerror(errno));
    r->failed = 1;
    return;
  }
  process_fd(r, fd, path);
  close(fd);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void process_path(run *r, const char *path, int depth);

static void process_dir(run *r, const char *path, int depth) {
  DIR *d = opendir(path);
  if (!d) {
    say(path, "%s", strerror(errno));
    r->failed = 1;
    return;
  }
  char **names = NULL;
  size_t n = 0, a = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (n == a) {
      a = a ? a * 2 : 64;
      char **v = realloc(names, a * sizeof(*v));
      if (!v)
        break;
      names = v;
    }
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    names[n] = malloc(len);
    if (!names[n])
      break;
    snprintf(names[n], len, "%s%s%s", path,
             path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof(*names), cmp_str);
  for (size_t i = 0; i < n; i++) {
    process_path(r, names[i], depth + 1);
    free(names[i]);
  }
  free(names);
}

static void process_path(run *r, const char *path, int depth) {
  if (strcmp(path, "-") == 0) {
    process_fd(r, STDIN_FILENO, "-");
    return;
  }
  struct stat st;
  if (stat(path, &st) != 0) {
    say(path, "%s", strerror(errno));
    r->failed = 1;
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    if (depth > 64) {
      say(path, "%s", "directory nesting too deep (a symlink loop?), skipped");
      r->failed = 1;
      return;
    }
    process_dir(r, path, depth);
    return;
  }
  process_file(r, path);
}

static const char extract_usage[] =
    "Usage: vbgraph extract [OPTIONS] [FILE|DIR|-]...\n"
    "\n"
    "Find references to Party and State documents in UTF-8 text and print\n"
    "one JSON object per reference (JSON Lines).  Directories are read\n"
    "recursively (hidden entries skipped, paths in byte order); no input\n"
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
  memset(&r, 0, sizeof(r));
  r.opts = &opts;
  vbg_buf_init(&r.buf);
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
  if (opts.tsv) {
    vbg_refs_write_tsv_header(&r.buf);
    output_write(&r.out, r.buf.ptr, r.buf.size);
  }
  for (int i = 0; i < ninputs; i++)
    process_path(&r, inputs[i], 0);
  int bad_out = output_close(&r.out);
  vbg_buf_dispose(&r.buf);
  vbg_extractor_free(r.ex);
  free(inputs);
  return (r.failed || bad_out) ? 1 : 0;
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
    "  canon     print the canonical form of a document number or body name\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help; 'vbgraph COMMAND --help' for a command\n"
    "  --version      print the version\n";

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
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
  if (strcmp(cmd, "canon") == 0)
    return cmd_canon(argc - 1, argv + 1);
  return usage_error(NULL, "unknown command '%s'", cmd);
}
