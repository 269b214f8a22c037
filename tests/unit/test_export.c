/*
 * test_export.c - the DOT, node-link JSON and CSV exports, on graphs built
 * by hand: every attribute is where docs/formats.md says, unknown values
 * are null or empty, hostile strings (quotes, <, &, braces, newlines next
 * to quotes, trailing backslashes, control characters, invalid UTF-8, a
 * 10 kB title) come back exactly through a real reader (cgraph's agread,
 * jansson, an RFC 4180 parser), output is deterministic, and write and
 * allocation failures are reported as VBG_EIO and VBG_ENOMEM.
 */
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>
#include <jansson.h>

#include "graph.h"
#include "harness.h"

typedef int (*writer_fn)(const vbg_graph *g, FILE *out);

/* ------------------------------------------------------------------ */
/* Hostile strings                                                     */
/* ------------------------------------------------------------------ */

/* Quotes, markup, braces, a comma and a trailing backslash. */
#define H_QUOTES                                                               \
  "Tiêu đề có \"ngoặc kép\", <thẻ> & {ngoặc nhọn} \\ dấu gạch ngược\\"
/* Newlines next to quotes and after a backslash, CR LF. */
#define H_LINES "dòng một\ndòng hai\r\nba \"\n\" \\\n x\n"
/* Control characters (and a tab, which is none of the drawn ones). */
#define H_CONTROL "điều khiển:\x01\x07\x0c\x1f\x7f tab\t."
/* The same as Graphviz draws it: control pictures U+2401 ... U+2421. */
#define H_CONTROL_SHOWN                                                           \
  "điều khiển:\xE2\x90\x81\xE2\x90\x87\xE2\x90\x8C\xE2\x90\x9F\xE2\x90\xA1 " \
  "tab\t."
/* Invalid UTF-8, and what every format writes for it. */
#define H_BROKEN "hỏng \xff\xfe byte"
#define H_BROKEN_FIXED "hỏng \xEF\xBF\xBD\xEF\xBF\xBD byte"
/* Graphviz escapes, a formula, a line separator (U+2028). */
#define H_ESCAPES "\\N \\G \\L =1+2,@SUM \xE2\x80\xA8 end"

static char big_title[10 * 1024 + 1];

static void make_big_title(void) {
  static const char piece[] = "Về việc \"kép\" & <b>{x}</b>, \\ ngoặc; ";
  size_t n = 0;
  while (n + sizeof(piece) - 1 < sizeof(big_title) - 1) {
    memcpy(big_title + n, piece, sizeof(piece) - 1);
    n += sizeof(piece) - 1;
  }
  memset(big_title + n, 'x', sizeof(big_title) - 1 - n);
  big_title[sizeof(big_title) - 1] = '\0';
}

/* ------------------------------------------------------------------ */
/* Graphs built by hand                                                */
/* ------------------------------------------------------------------ */

static char *dup(const char *s) { return s ? vbg__strdup(s) : NULL; }

static void doc(vbg_vertex *v, const char *id, const char *label,
                const char *key, const char *doc_type, const char *type_code,
                const char *number, int year, const char *issuer_code) {
  v->id = dup(id);
  v->kind = VBG_KIND_DOCUMENT;
  v->label = dup(label);
  v->key = dup(key);
  v->doc_type = dup(doc_type);
  v->type_code = dup(type_code);
  v->number = dup(number);
  v->year = year;
  v->issuer_code = dup(issuer_code);
}

static void other(vbg_vertex *v, vbg_kind kind, const char *id,
                  const char *label, const char *level, const char *file) {
  v->id = dup(id);
  v->kind = kind;
  v->label = dup(label);
  v->level = dup(level);
  v->file = dup(file);
}

static void edge(vbg_edge *e, size_t from, size_t to, const char *relation,
                 size_t weight, const char *file, size_t start, size_t end,
                 size_t line, const char *cue) {
  char evidence[256];
  e->from = from;
  e->to = to;
  e->relation = dup(relation);
  e->weight = weight;
  if (file) {
    snprintf(evidence, sizeof evidence, "%s:%zu-%zu", file, start, end);
    e->evidence = dup(evidence);
    e->file = dup(file);
    e->start = start;
    e->end = end;
    e->line = line;
  }
  e->cue = dup(cue);
}

#define ART "samples/a, b.txt"

/* Two documents, a body, an article; a multi-edge (based_on and
 * implements between the same pair) and a mention without evidence. */
static vbg_graph *sample_graph(void) {
  vbg_graph *g = NULL;
  if (vbg__graph_alloc(&g, 4, 5) < 0)
    return NULL;
  doc(&g->v[0], "25-NQ/TW", "Nghị quyết 25-NQ/TW", "25-NQ/TW", "Nghị quyết",
      "NQ", "25", 0, "TW");
  g->v[0].date = dup("2013-06-03");
  g->v[0].term = dup("XI");
  g->v[0].title = dup("Tăng cường và đổi mới sự lãnh đạo của Đảng đối với "
                      "công tác dân vận trong tình hình mới");
  g->v[0].mentions = 3;
  doc(&g->v[1], "4/2020/NĐ-CP", "Nghị định 04/2020/NĐ-CP", "4/2020/NĐ-CP",
      "Nghị định", "NĐ", "04", 2020, "CP");
  g->v[1].mentions = 1;
  g->v[1].ambiguous = 1;
  other(&g->v[2], VBG_KIND_BODY, "body:Ban Chấp hành Trung ương Đảng",
        "Ban Chấp hành Trung ương Đảng", "central", NULL);
  other(&g->v[3], VBG_KIND_ARTICLE, "article:" ART, "a, b.txt", NULL, ART);
  edge(&g->e[0], 0, 2, "issued_by", 1, ART, 10, 30, 2, NULL);
  edge(&g->e[1], 1, 0, "based_on", 1, ART, 40, 60, 3, "Căn cứ");
  edge(&g->e[2], 1, 0, "implements", 2, ART, 70, 90, 4, "triển khai thực hiện");
  edge(&g->e[3], 3, 0, "mentions", 3, ART, 10, 30, 2, NULL);
  edge(&g->e[4], 3, 1, "mentions", 1, NULL, 0, 0, 0, NULL);
  return g;
}

/* Hostile ids, labels, titles, cues and paths. */
#define HID0 "1-NQ/TW [\"Ban\", 2020]"
#define HID2 "body:Ủy ban \"A\" {B} <C> & D\\"
#define HFILE "dir\\x\ny, z.txt"

static vbg_graph *hostile_graph(void) {
  vbg_graph *g = NULL;
  if (vbg__graph_alloc(&g, 5, 6) < 0)
    return NULL;
  doc(&g->v[0], HID0, H_QUOTES, "1-NQ/TW", H_LINES, "NQ", "01", 0, "TW");
  g->v[0].title = dup(big_title);
  g->v[0].term = dup("XI");
  g->v[0].mentions = 5;
  /* a newline, a lone CR: each alone makes a CSV field quoted */
  doc(&g->v[1], "2/KH-UBND", H_CONTROL, "2/KH-UBND", "Kế hoạch\nliên tịch",
      "KH", "02", 0, "UBND");
  g->v[1].term = dup("khóa\rXI");
  g->v[1].title = dup(H_BROKEN);
  g->v[1].mentions = 1;
  other(&g->v[2], VBG_KIND_BODY, HID2, "Ủy ban \"A\" {B} <C> & D\\",
        "provincial", NULL);
  other(&g->v[3], VBG_KIND_BODY, "subgraph", H_ESCAPES, NULL, NULL);
  other(&g->v[4], VBG_KIND_ARTICLE, "article:" HFILE, "=cmd|' /C calc'!A0",
        NULL, HFILE);
  edge(&g->e[0], 0, 2, "issued_by", 1, HFILE, 1, 2, 1, "");
  edge(&g->e[1], 1, 0, "implements", 1, HFILE, 3, 4, 1, H_LINES);
  edge(&g->e[2], 1, 0, "implements", 1, HFILE, 5, 6, 2, H_QUOTES);
  edge(&g->e[3], 3, 0, "reviews", 1, HFILE, 7, 8, 3, H_CONTROL);
  edge(&g->e[4], 4, 0, "mentions", 5, HFILE, 1, 2, 1, NULL);
  edge(&g->e[5], 4, 1, "mentions", 1, HFILE, 3, 4, 1, NULL);
  return g;
}

/* ------------------------------------------------------------------ */
/* Running a writer                                                    */
/* ------------------------------------------------------------------ */

/* The bytes fn writes for g (NUL-terminated, malloc'd), its status in *rc. */
static char *run(writer_fn fn, const vbg_graph *g, int *rc, size_t *len) {
  FILE *f = tmpfile();
  char *text = NULL;
  long n;
  *rc = VBG_EIO;
  if (!f)
    return NULL;
  *rc = fn(g, f);
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)n + 1))) {
    text[fread(text, 1, (size_t)n, f)] = '\0';
    if (len)
      *len = (size_t)n;
  }
  fclose(f);
  return text;
}

/* The same graph twice gives the same bytes. */
static void check_deterministic(writer_fn fn, const vbg_graph *g,
                                const char *what) {
  int rc1, rc2;
  size_t n1 = 0, n2 = 0;
  char *a = run(fn, g, &rc1, &n1), *b = run(fn, g, &rc2, &n2);
  OK(a && b && rc1 == 0 && rc2 == 0 && n1 == n2 && memcmp(a, b, n1) == 0, what);
  free(a);
  free(b);
}

/* A stream whose writes fail: VBG_EIO, with a message. */
static void check_write_error(writer_fn fn, const vbg_graph *g) {
  FILE *full = fopen("/dev/full", "w");
  if (!full)
    return; /* not Linux: nothing to check with */
  vbg_error_clear();
  INT_EQ(fn(g, full), VBG_EIO);
  OK(vbg_error_last()[0] != '\0', "a write error leaves a message");
  fclose(full);
}

static long alloc_count, alloc_fail_at;

static void *failing_malloc(size_t size, void *ctx) {
  (void)ctx;
  return alloc_count++ == alloc_fail_at ? NULL : malloc(size);
}
static void *failing_realloc(void *p, size_t size, void *ctx) {
  (void)ctx;
  return alloc_count++ == alloc_fail_at ? NULL : realloc(p, size);
}
static void plain_free(void *p, void *ctx) {
  (void)ctx;
  free(p);
}

/* Fail the 1st, 2nd, ... allocation of a write: VBG_ENOMEM each time
 * (and nothing leaks, under the sanitizer build), until it succeeds. */
static void check_alloc_failures(writer_fn fn, const vbg_graph *g,
                                 const char *what) {
  vbg_allocator failing = {failing_malloc, failing_realloc, plain_free, NULL};
  int all_enomem = 1, rc = VBG_ENOMEM;
  for (alloc_fail_at = 0; alloc_fail_at < 1000; alloc_fail_at++) {
    FILE *f = tmpfile();
    if (!f)
      break;
    alloc_count = 0;
    vbg_set_allocator(&failing);
    rc = fn(g, f);
    vbg_set_allocator(NULL);
    fclose(f);
    if (rc == VBG_OK)
      break;
    all_enomem &= rc == VBG_ENOMEM;
  }
  OK(rc == VBG_OK && alloc_fail_at > 0 && all_enomem, what);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static const char *jstr(json_t *obj, const char *name) {
  return json_string_value(json_object_get(obj, name));
}

static int jnull(json_t *obj, const char *name) {
  return json_is_null(json_object_get(obj, name));
}

static json_t *load_json(const vbg_graph *g) {
  int rc;
  json_error_t jerr;
  char *text = run(vbg__write_json, g, &rc, NULL);
  json_t *root = text && rc == 0 ? json_loads(text, 0, &jerr) : NULL;
  OK(root != NULL, "the JSON output parses");
  free(text);
  return root;
}

static void test_json_sample(void) {
  vbg_graph *g = sample_graph();
  int rc;
  char *text = run(vbg__write_json, g, &rc, NULL);
  INT_EQ(rc, VBG_OK);
  if (!OK(text != NULL, "JSON written"))
    goto done;
  /* the networkx node_link_graph layout, "links" as its key */
  OK(strncmp(text,
             "{\"directed\":true,\"multigraph\":true,\"graph\":"
             "{\"name\":\"vbgraph\"},\"nodes\":[\n",
             70) == 0,
     "JSON opens with directed, multigraph, graph, nodes");
  OK(strstr(text, "\n],\"links\":[\n") != NULL, "edges are under \"links\"");
  OK(strlen(text) > 4 && strcmp(text + strlen(text) - 4, "\n]}\n") == 0,
     "JSON ends with the links and a newline");
  /* every attribute on every node, null where unknown or not of its kind */
  OK(strstr(text,
            "\n{\"id\":\"article:samples/a, b.txt\",\"kind\":\"article\","
            "\"label\":\"a, b.txt\",\"key\":null,\"doc_type\":null,"
            "\"type_code\":null,\"number\":null,\"year\":null,"
            "\"issuer_code\":null,\"date\":null,\"term\":null,\"title\":null,"
            "\"mentions\":null,\"ambiguous\":null,\"level\":null,"
            "\"file\":\"samples/a, b.txt\"}") != NULL,
     "article node line, exactly");
  OK(strstr(text, "\"number\":\"04\",\"year\":2020,") != NULL,
     "number stays a string, year is a number");
  OK(strstr(text, "\"mentions\":1,\"ambiguous\":true,") != NULL,
     "mentions and ambiguous of a document");
  OK(strstr(text, "\n{\"source\":\"article:samples/a, b.txt\",\"target\":"
                  "\"4/2020/NĐ-CP\",\"key\":0,\"relation\":\"mentions\","
                  "\"weight\":1,\"evidence\":null,\"file\":null,\"start\":null,"
                  "\"end\":null,\"line\":null,\"cue\":null}\n") != NULL,
     "link without evidence, exactly");
  OK(strstr(text,
            "{\"source\":\"4/2020/NĐ-CP\",\"target\":\"25-NQ/TW\",\"key\":1,"
            "\"relation\":\"implements\",\"weight\":2,\"evidence\":"
            "\"samples/a, b.txt:70-90\",\"file\":\"samples/a, b.txt\","
            "\"start\":70,\"end\":90,\"line\":4,\"cue\":\"triển khai thực "
            "hiện\"}") != NULL,
     "second edge of a pair has key 1");
  OK(strstr(text,
            "\"target\":\"25-NQ/TW\",\"key\":0,\"relation\":\"based_on\"") !=
         NULL,
     "first edge of a pair has key 0");
  free(text);

  json_t *root = load_json(g);
  if (root) {
    json_t *nodes = json_object_get(root, "nodes");
    json_t *links = json_object_get(root, "links");
    INT_EQ(json_array_size(nodes), 4);
    INT_EQ(json_array_size(links), 5);
    json_t *n0 = json_array_get(nodes, 0);
    STR_EQ(jstr(n0, "id"), "25-NQ/TW");
    STR_EQ(jstr(n0, "date"), "2013-06-03");
    OK(jnull(n0, "year"), "no year in a party number: null");
    OK(json_is_false(json_object_get(n0, "ambiguous")), "ambiguous false");
    INT_EQ(json_integer_value(json_object_get(n0, "mentions")), 3);
    STR_EQ(jstr(json_array_get(nodes, 2), "level"), "central");
    json_decref(root);
  }
  check_deterministic(vbg__write_json, g, "JSON is the same twice");
  check_write_error(vbg__write_json, g);
  check_alloc_failures(vbg__write_json, g,
                       "JSON: every failed allocation is VBG_ENOMEM");
done:
  vbg_graph_free(g);
}

static void test_json_hostile(void) {
  vbg_graph *g = hostile_graph();
  int rc;
  char *text = run(vbg__write_json, g, &rc, NULL);
  INT_EQ(rc, VBG_OK);
  OK(text && strstr(text, "\\u0001\\u0007\\f\\u001f\x7f tab\\t.") != NULL,
     "control characters escaped");
  OK(text && strstr(text, "\\u2028") != NULL, "U+2028 escaped");
  OK(text && strstr(text, "ngược\\\\\"") != NULL, "trailing backslash escaped");
  free(text);

  json_t *root = load_json(g);
  if (root) {
    json_t *nodes = json_object_get(root, "nodes");
    json_t *links = json_object_get(root, "links");
    json_t *n0 = json_array_get(nodes, 0), *n1 = json_array_get(nodes, 1);
    STR_EQ(jstr(n0, "id"), HID0);
    STR_EQ(jstr(n0, "label"), H_QUOTES);
    STR_EQ(jstr(n0, "doc_type"), H_LINES);
    STR_EQ(jstr(n0, "number"), "01");
    OK(jstr(n0, "title") && strcmp(jstr(n0, "title"), big_title) == 0,
       "10 kB title round trip");
    STR_EQ(jstr(n1, "label"), H_CONTROL);
    STR_EQ(jstr(n1, "title"), H_BROKEN_FIXED);
    STR_EQ(jstr(json_array_get(nodes, 2), "id"), HID2);
    STR_EQ(jstr(json_array_get(nodes, 3), "label"), H_ESCAPES);
    STR_EQ(jstr(json_array_get(nodes, 4), "file"), HFILE);
    json_t *l0 = json_array_get(links, 0);
    STR_EQ(jstr(l0, "source"), HID0);
    STR_EQ(jstr(l0, "target"), HID2);
    STR_EQ(jstr(l0, "cue"), "");
    STR_EQ(jstr(json_array_get(links, 1), "cue"), H_LINES);
    INT_EQ(json_integer_value(json_object_get(json_array_get(links, 2), "key")),
           1);
    json_decref(root);
  }
  vbg_graph_free(g);
}

static void test_json_empty(void) {
  vbg_graph *g = NULL;
  int rc;
  if (!OK(vbg__graph_alloc(&g, 0, 0) == 0, "empty graph"))
    return;
  char *text = run(vbg__write_json, g, &rc, NULL);
  INT_EQ(rc, VBG_OK);
  STR_EQ(text, "{\"directed\":true,\"multigraph\":true,\"graph\":{\"name\":"
               "\"vbgraph\"},\"nodes\":[],\"links\":[]}\n");
  free(text);
  vbg_graph_free(g);
}

/* ------------------------------------------------------------------ */
/* CSV                                                                 */
/* ------------------------------------------------------------------ */

/* An RFC 4180 reader: fields are NULL when empty and unquoted. */
typedef struct csv_rows {
  char **field; /* row-major, ncols a row */
  size_t nrows, ncols, nfields;
  int ragged; /* a row with another number of fields */
} csv_rows;

static void csv_free(csv_rows *c) {
  for (size_t i = 0; i < c->nfields; i++)
    free(c->field[i]);
  free(c->field);
}

static int csv_add(csv_rows *c, char *value) {
  char **f = realloc(c->field, (c->nfields + 1) * sizeof(*f));
  if (!f) {
    free(value);
    return -1;
  }
  c->field = f;
  c->field[c->nfields++] = value;
  return 0;
}

static int csv_parse(csv_rows *c, const char *s) {
  size_t row_fields = 0;
  memset(c, 0, sizeof(*c));
  while (*s) {
    char *value = NULL;
    if (*s == '"') {
      size_t n = 0;
      value = malloc(strlen(s) + 1);
      if (!value)
        return -1;
      for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
        if (*s == '"')
          s++; /* "" is one quote */
        value[n++] = *s;
      }
      if (*s != '"') {
        free(value);
        return -1; /* unterminated */
      }
      s++;
      value[n] = '\0';
    } else {
      size_t n = strcspn(s, ",\r\n");
      if (n) {
        if (!(value = malloc(n + 1)))
          return -1;
        memcpy(value, s, n);
        value[n] = '\0';
      }
      s += n;
    }
    if (csv_add(c, value) < 0)
      return -1;
    row_fields++;
    if (*s == ',') {
      s++;
    } else if (*s == '\n' || *s == '\r' || *s == '\0') {
      /* LF, CR LF or a lone CR ends a record, as Python's csv has it */
      if (c->nrows == 0)
        c->ncols = row_fields;
      c->ragged |= row_fields != c->ncols;
      c->nrows++;
      row_fields = 0;
      if (*s == '\r' && s[1] == '\n')
        s++;
      if (*s)
        s++;
    } else {
      return -1; /* text after a closing quote */
    }
  }
  return c->ragged ? -1 : 0;
}

static const char *csv_get(const csv_rows *c, size_t row, size_t col) {
  return row < c->nrows && col < c->ncols ? c->field[row * c->ncols + col]
                                          : NULL;
}

#define NODES_HEADER                                                           \
  "id:ID,:LABEL,kind,label,key,doc_type,type_code,number,year:int,"            \
  "issuer_code,date,term,title,mentions:long,ambiguous:boolean,level,file\n"
#define EDGES_HEADER                                                           \
  ":START_ID,:END_ID,:TYPE,relation,weight:long,evidence,file,start:long,"     \
  "end:long,line:long,cue\n"

static const char *const node_cols[] = {
    "id:ID",    ":LABEL",    "kind",   "label",         "key",
    "doc_type", "type_code", "number", "year:int",      "issuer_code",
    "date",     "term",      "title",  "mentions:long", "ambiguous:boolean",
    "level",    "file"};
static const char *const edge_cols[] = {":START_ID", ":END_ID",     ":TYPE",
                                        "relation",  "weight:long", "evidence",
                                        "file",      "start:long",  "end:long",
                                        "line:long", "cue"};

static int load_csv(csv_rows *c, writer_fn fn, const vbg_graph *g) {
  int rc;
  char *text = run(fn, g, &rc, NULL);
  int ok = text && rc == 0 && csv_parse(c, text) == 0;
  free(text);
  return OK(ok, "the CSV output parses as RFC 4180, every row the same width");
}

static void test_csv_sample(void) {
  vbg_graph *g = sample_graph();
  csv_rows c;
  int rc;
  char *text = run(vbg__write_csv_nodes, g, &rc, NULL);
  INT_EQ(rc, VBG_OK);
  OK(text && strncmp(text, NODES_HEADER, strlen(NODES_HEADER)) == 0,
     "nodes.csv header");
  OK(text && strstr(text, "\n\"article:samples/a, b.txt\",Article,article,"
                          "\"a, b.txt\",,,,,,,,,,,,,\"samples/a, b.txt\"\n"),
     "article row, exactly: commas quoted, unknown values empty");
  OK(text && strstr(text, "\n4/2020/NĐ-CP,Document,document,Nghị định "
                          "04/2020/NĐ-CP,4/2020/NĐ-CP,Nghị định,NĐ,04,2020,"
                          "CP,,,,1,true,,\n"),
     "document row, exactly: number 04 as written");
  free(text);
  text = run(vbg__write_csv_edges, g, &rc, NULL);
  INT_EQ(rc, VBG_OK);
  OK(text && strncmp(text, EDGES_HEADER, strlen(EDGES_HEADER)) == 0,
     "edges.csv header");
  OK(text && strstr(text, "\n4/2020/NĐ-CP,25-NQ/TW,IMPLEMENTS,implements,2,"
                          "\"samples/a, b.txt:70-90\",\"samples/a, b.txt\","
                          "70,90,4,triển khai thực hiện\n"),
     "implements row, exactly");
  OK(text && strstr(text, ",BASED_ON,based_on,") &&
         strstr(text, ",ISSUED_BY,issued_by,"),
     ":TYPE is the relation upper-cased");
  OK(text && strstr(text, "\n\"article:samples/a, b.txt\",4/2020/NĐ-CP,"
                          "MENTIONS,mentions,1,,,,,,\n"),
     "edge without evidence: empty fields");
  free(text);

  if (load_csv(&c, vbg__write_csv_nodes, g)) {
    INT_EQ(c.nrows, 5);
    INT_EQ(c.ncols, VBG__ARRAY_LEN(node_cols));
    for (size_t i = 0; i < VBG__ARRAY_LEN(node_cols); i++)
      STR_EQ(csv_get(&c, 0, i), node_cols[i]);
    STR_EQ(csv_get(&c, 1, 0), "25-NQ/TW");
    STR_EQ(csv_get(&c, 1, 8), NULL); /* year 0 */
    STR_EQ(csv_get(&c, 1, 14), "false");
    STR_EQ(csv_get(&c, 3, 1), "Body");
    STR_EQ(csv_get(&c, 3, 15), "central");
  }
  csv_free(&c);
  if (load_csv(&c, vbg__write_csv_edges, g)) {
    INT_EQ(c.nrows, 6);
    for (size_t i = 0; i < VBG__ARRAY_LEN(edge_cols); i++)
      STR_EQ(csv_get(&c, 0, i), edge_cols[i]);
  }
  csv_free(&c);
  check_deterministic(vbg__write_csv_nodes, g, "nodes.csv is the same twice");
  check_deterministic(vbg__write_csv_edges, g, "edges.csv is the same twice");
  check_write_error(vbg__write_csv_nodes, g);
  check_write_error(vbg__write_csv_edges, g);
  check_alloc_failures(vbg__write_csv_nodes, g,
                       "nodes.csv: failed allocations are VBG_ENOMEM");
  check_alloc_failures(vbg__write_csv_edges, g,
                       "edges.csv: failed allocations are VBG_ENOMEM");
  vbg_graph_free(g);
}

static void test_csv_hostile(void) {
  vbg_graph *g = hostile_graph();
  csv_rows c;
  if (load_csv(&c, vbg__write_csv_nodes, g)) {
    INT_EQ(c.nrows, 6);
    STR_EQ(csv_get(&c, 1, 0), HID0);
    STR_EQ(csv_get(&c, 1, 3), H_QUOTES);
    STR_EQ(csv_get(&c, 1, 5), H_LINES);
    STR_EQ(csv_get(&c, 1, 7), "01");
    OK(csv_get(&c, 1, 12) && strcmp(csv_get(&c, 1, 12), big_title) == 0,
       "10 kB title round trip");
    STR_EQ(csv_get(&c, 2, 3), H_CONTROL);
    STR_EQ(csv_get(&c, 2, 5), "Kế hoạch\nliên tịch");
    STR_EQ(csv_get(&c, 2, 11), "khóa\rXI");
    STR_EQ(csv_get(&c, 2, 12), H_BROKEN_FIXED);
    STR_EQ(csv_get(&c, 3, 0), HID2);
    STR_EQ(csv_get(&c, 4, 3), H_ESCAPES);
    STR_EQ(csv_get(&c, 5, 3), "=cmd|' /C calc'!A0");
    STR_EQ(csv_get(&c, 5, 16), HFILE);
  }
  csv_free(&c);
  if (load_csv(&c, vbg__write_csv_edges, g)) {
    INT_EQ(c.nrows, 7);
    STR_EQ(csv_get(&c, 1, 0), HID0);
    STR_EQ(csv_get(&c, 1, 1), HID2);
    STR_EQ(csv_get(&c, 1, 10), ""); /* empty cue: "" (null would be empty) */
    STR_EQ(csv_get(&c, 2, 10), H_LINES);
    STR_EQ(csv_get(&c, 3, 10), H_QUOTES);
    STR_EQ(csv_get(&c, 4, 2), "REVIEWS");
    STR_EQ(csv_get(&c, 4, 10), H_CONTROL);
    STR_EQ(csv_get(&c, 5, 6), HFILE);
  }
  csv_free(&c);
  vbg_graph_free(g);
}

/* ------------------------------------------------------------------ */
/* DOT                                                                 */
/* ------------------------------------------------------------------ */

/* Undo the escString escapes of docs/formats.md: \\ \n \r. */
static char *unescape(const char *s) {
  char *out = malloc(strlen(s) + 1), *p = out;
  if (!out)
    return NULL;
  for (; *s; s++) {
    if (*s == '\\' && (s[1] == '\\' || s[1] == 'n' || s[1] == 'r')) {
      s++;
      *p++ = *s == 'n' ? '\n' : *s == 'r' ? '\r' : '\\';
    } else {
      *p++ = *s;
    }
  }
  *p = '\0';
  return out;
}

/* Compare an attribute read back by cgraph, unescaped, with `want`. */
static int dot_attr_is(void *obj, const char *name, const char *want) {
  char *raw = agget(obj, (char *)name);
  char *got = raw ? unescape(raw) : NULL;
  int ok = STR_EQ(got, want);
  free(got);
  return ok;
}

static Agraph_t *load_dot(const vbg_graph *g) {
  int rc;
  FILE *f = tmpfile();
  Agraph_t *h = NULL;
  if (!f)
    return NULL;
  rc = vbg__write_dot(g, f);
  INT_EQ(rc, VBG_OK);
  rewind(f);
  if (rc == VBG_OK)
    h = agread(f, NULL);
  fclose(f);
  OK(h != NULL, "cgraph reads the DOT output back");
  return h;
}

/* The node whose unescaped name is id. */
static Agnode_t *dot_node(Agraph_t *h, const char *id) {
  for (Agnode_t *n = agfstnode(h); n; n = agnxtnode(h, n)) {
    char *name = unescape(agnameof(n));
    int same = name && strcmp(name, id) == 0;
    free(name);
    if (same)
      return n;
  }
  return NULL;
}

static int dot_out_count(Agraph_t *h, Agnode_t *t, Agnode_t *head) {
  int k = 0;
  for (Agedge_t *e = agfstout(h, t); e; e = agnxtout(h, e))
    k += aghead(e) == head;
  return k;
}

static void test_dot_sample(void) {
  vbg_graph *g = sample_graph();
  int rc;
  char *text = run(vbg__write_dot, g, &rc, NULL);
  INT_EQ(rc, VBG_OK);
  OK(text && strncmp(text, "digraph vbgraph {", 17) == 0,
     "a digraph named vbgraph");
  OK(text && strstr(text, "charset=\"UTF-8\"") && strstr(text, "rankdir=LR"),
     "UTF-8, left to right");
  free(text);

  Agraph_t *h = load_dot(g);
  if (h) {
    INT_EQ(agnnodes(h), 4);
    INT_EQ(agnedges(h), 5);
    Agnode_t *d0 = dot_node(h, "25-NQ/TW"), *d1 = dot_node(h, "4/2020/NĐ-CP");
    Agnode_t *b = dot_node(h, "body:Ban Chấp hành Trung ương Đảng");
    Agnode_t *a = dot_node(h, "article:" ART);
    if (OK(d0 && d1 && b && a, "node names are the vertex ids")) {
      dot_attr_is(d0, "label", "Nghị quyết 25-NQ/TW");
      dot_attr_is(d0, "kind", "document");
      dot_attr_is(d0, "term", "XI");
      dot_attr_is(d0, "year", "");
      dot_attr_is(d0, "mentions", "3");
      dot_attr_is(d0, "ambiguous", "false");
      dot_attr_is(d0, "shape", "box");
      dot_attr_is(d0, "fillcolor", "#fde0dd"); /* party */
      dot_attr_is(d1, "number", "04");
      dot_attr_is(d1, "year", "2020");
      dot_attr_is(d1, "fillcolor", "#e5f5e0");           /* legal */
      dot_attr_is(d1, "style", "rounded,filled,dashed"); /* ambiguous */
      dot_attr_is(b, "shape", "ellipse");
      dot_attr_is(b, "level", "central");
      dot_attr_is(b, "mentions", "");
      dot_attr_is(a, "shape", "note");
      dot_attr_is(a, "file", ART);
      INT_EQ(dot_out_count(h, d1, d0), 2); /* the multi-edge */
      for (Agedge_t *e = agfstout(h, d1); e; e = agnxtout(h, e)) {
        char *rel = agget(e, "relation");
        int impl = rel && strcmp(rel, "implements") == 0;
        dot_attr_is(e, "style", impl ? "bold" : "dashed");
        dot_attr_is(e, "cue", impl ? "triển khai thực hiện" : "Căn cứ");
        dot_attr_is(e, "evidence", impl ? ART ":70-90" : ART ":40-60");
        dot_attr_is(e, "weight", impl ? "2" : "1");
        dot_attr_is(e, "line", impl ? "4" : "3");
      }
      for (Agedge_t *e = agfstout(h, a); e; e = agnxtout(h, e)) {
        dot_attr_is(e, "relation", "mentions");
        dot_attr_is(e, "color", "#bdbdbd");
      }
      Agedge_t *e = agfstout(h, a);
      if (e && aghead(e) == d1)
        e = agnxtout(h, e);
      if (OK(e && aghead(e) == d0, "article -> 25-NQ/TW"))
        dot_attr_is(e, "start", "10");
    }
    agclose(h);
  }
  check_deterministic(vbg__write_dot, g, "DOT is the same twice");
  check_write_error(vbg__write_dot, g);
  check_alloc_failures(vbg__write_dot, g,
                       "DOT: failed allocations are VBG_ENOMEM");
  vbg_graph_free(g);
}

static void test_dot_hostile(void) {
  vbg_graph *g = hostile_graph();
  Agraph_t *h = load_dot(g);
  if (h) {
    INT_EQ(agnnodes(h), 5);
    INT_EQ(agnedges(h), 6);
    Agnode_t *d0 = dot_node(h, HID0), *d1 = dot_node(h, "2/KH-UBND");
    Agnode_t *b = dot_node(h, HID2), *s = dot_node(h, "subgraph");
    Agnode_t *a = dot_node(h, "article:" HFILE);
    if (OK(d0 && d1 && b && s && a, "hostile ids are the node names")) {
      dot_attr_is(d0, "label", H_QUOTES);
      dot_attr_is(d0, "doc_type", H_LINES);
      dot_attr_is(d0, "number", "01");
      char *title = unescape(agget(d0, "title"));
      OK(title && strcmp(title, big_title) == 0, "10 kB title round trip");
      free(title);
      dot_attr_is(d1, "label", H_CONTROL_SHOWN); /* drawn: SVG-safe */
      dot_attr_is(d1, "title", H_BROKEN_FIXED);
      dot_attr_is(d1, "doc_type", "Kế hoạch\nliên tịch");
      dot_attr_is(d1, "term", "khóa\rXI");
      dot_attr_is(s, "label", H_ESCAPES);
      dot_attr_is(a, "file", HFILE);
      INT_EQ(dot_out_count(h, d1, d0), 2);
      Agedge_t *e = agfstout(h, d0);
      if (OK(e != NULL, "issued_by edge"))
        dot_attr_is(e, "cue", "");
      for (e = agfstout(h, s); e; e = agnxtout(h, e))
        dot_attr_is(e, "cue", H_CONTROL); /* not drawn: kept */
    }
    agclose(h);
  }
  vbg_graph_free(g);
}

static void test_dot_empty(void) {
  vbg_graph *g = NULL;
  if (!OK(vbg__graph_alloc(&g, 0, 0) == 0, "empty graph"))
    return;
  Agraph_t *h = load_dot(g);
  if (h) {
    INT_EQ(agnnodes(h), 0);
    agclose(h);
  }
  vbg_graph_free(g);
}

int main(void) {
  make_big_title();
  test_json_sample();
  test_json_hostile();
  test_json_empty();
  test_csv_sample();
  test_csv_hostile();
  test_dot_sample();
  test_dot_hostile();
  test_dot_empty();
  return harness_done();
}
