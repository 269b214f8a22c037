/*
 * test_graph.c - the graph model: identity of documents across inputs,
 * bodies implied by codes, relations as edges, determinism.
 */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "harness.h"
#include "vbgraph.h"

typedef struct input {
  const char *file, *text;
} input;

/* Build a graph from inputs added in the given order. */
static vbg_graph *build(const input *in, size_t n, const size_t *order) {
  vbg_extractor *ex = NULL;
  vbg_builder *b = NULL;
  vbg_graph *g = NULL;
  if (vbg_extractor_new(&ex, 0) < 0 || vbg_builder_new(&b) < 0)
    goto done;
  for (size_t i = 0; i < n; i++) {
    const input *x = &in[order ? order[i] : i];
    vbg_refs *refs = NULL;
    if (vbg_extract(&refs, ex, x->text, strlen(x->text)) < 0 ||
        vbg_builder_add(b, x->file, refs) < 0) {
      vbg_refs_free(refs);
      goto done;
    }
    vbg_refs_free(refs);
  }
  vbg_builder_finish(&g, b);
done:
  vbg_builder_free(b);
  vbg_extractor_free(ex);
  return g;
}

static const vbg_vertex *vertex(const vbg_graph *g, const char *id) {
  long i = vbg_graph_find(g, id);
  return i < 0 ? NULL : vbg_graph_vertex(g, (size_t)i);
}

/* Is there an edge id --relation--> id? */
static int has_edge(const vbg_graph *g, const char *from, const char *rel,
                    const char *to) {
  long f = vbg_graph_find(g, from), t = vbg_graph_find(g, to);
  for (size_t i = 0; f >= 0 && t >= 0 && i < vbg_graph_edge_count(g); i++) {
    const vbg_edge *e = vbg_graph_edge(g, i);
    if (e->from == (size_t)f && e->to == (size_t)t &&
        strcmp(e->relation, rel) == 0)
      return 1;
  }
  return 0;
}

static size_t count_docs_with_key(const vbg_graph *g, const char *key) {
  size_t n = 0;
  for (size_t i = 0; i < vbg_graph_vertex_count(g); i++) {
    const vbg_vertex *v = vbg_graph_vertex(g, i);
    n += v->kind == VBG_KIND_DOCUMENT && v->key && strcmp(v->key, key) == 0;
  }
  return n;
}

static void test_same_key_is_one_document(void) {
  input in[] = {
      {"a.txt", "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính "
                "trị, tỉnh ban hành "
                "Kế hoạch số 12-KH/TU."},
      {"b.txt", "Các cơ quan quán triệt Nghị quyết 57-NQ/TƯ trong năm 2025."},
  };
  vbg_graph *g = build(in, 2, NULL);
  if (!OK(g != NULL, "graph built"))
    return;
  INT_EQ(count_docs_with_key(g, "57-NQ/TW"), 1);
  const vbg_vertex *v = vertex(g, "57-NQ/TW");
  OK(v && v->mentions == 2, "57-NQ/TW mentioned twice");
  OK(has_edge(g, "57-NQ/TW", "issued_by", "body:Bộ Chính trị"),
     "issued by Bộ Chính trị");
  OK(has_edge(g, "12-KH/TU", "implements", "57-NQ/TW"),
     "12-KH/TU implements 57-NQ/TW");
  OK(has_edge(g, "article:a.txt", "mentions", "57-NQ/TW"),
     "a.txt mentions 57-NQ/TW");
  OK(has_edge(g, "article:b.txt", "mentions", "57-NQ/TW"),
     "b.txt mentions 57-NQ/TW");
  vbg_graph_free(g);
}

static void test_local_numbers_stay_apart(void) {
  /* two provinces' plan 15/KH-UBND, and a mention that names neither */
  input in[] = {
      {"a.txt",
       "UBND tỉnh Nghệ An ban hành Kế hoạch số 15/KH-UBND ngày 3/2/2025."},
      {"b.txt",
       "UBND tỉnh Hà Tĩnh ban hành Kế hoạch số 15/KH-UBND ngày 5/3/2025."},
      {"c.txt", "Theo Kế hoạch số 15/KH-UBND, các xã báo cáo trước ngày 10."},
  };
  vbg_graph *g = build(in, 3, NULL);
  if (!OK(g != NULL, "graph built"))
    return;
  INT_EQ(count_docs_with_key(g, "15/KH-UBND"),
         3); /* two documents + ambiguous */
  const vbg_vertex *amb = vertex(g, "15/KH-UBND [?]");
  OK(amb && amb->ambiguous,
     "the unattributed mention goes to an ambiguous node");
  OK(has_edge(g, "article:c.txt", "mentions", "15/KH-UBND [?]"),
     "c.txt mentions the ambiguous node");
  OK(vertex(g, "15/KH-UBND [Ủy ban nhân dân tỉnh Nghệ An, 2025]") != NULL,
     "Nghệ An's plan");
  OK(vertex(g, "15/KH-UBND [Ủy ban nhân dân tỉnh Hà Tĩnh, 2025]") != NULL,
     "Hà Tĩnh's plan");
  vbg_graph_free(g);
}

static void test_vague_body_is_ambiguous(void) {
  /* "UBND tỉnh" fits both provinces' plan: neither may take it */
  input in[] = {
      {"a.txt", "UBND tỉnh ban hành Kế hoạch số 15/KH-UBND ngày 3/2/2025."},
      {"b.txt",
       "UBND tỉnh Nghệ An ban hành Kế hoạch số 15/KH-UBND ngày 3/2/2025."},
      {"c.txt",
       "UBND tỉnh Hà Tĩnh ban hành Kế hoạch số 15/KH-UBND ngày 5/3/2025."},
      {"d.txt", "Thành ủy ban hành Kế hoạch số 140-KH/TU."},
      {"e.txt", "Kế hoạch số 140-KH/TU của Thành ủy Hà Nội."},
  };
  vbg_graph *g = build(in, 5, NULL);
  if (!OK(g != NULL, "graph built"))
    return;
  OK(has_edge(g, "article:a.txt", "mentions", "15/KH-UBND [?]"),
     "vague body: ambiguous");
  INT_EQ(count_docs_with_key(g, "140-KH/TU"),
         1); /* "Thành ủy" is Thành ủy Hà Nội here */
  OK(has_edge(g, "140-KH/TU", "issued_by", "body:Thành ủy Hà Nội"),
     "the precise body issues it");
  vbg_graph_free(g);
}

static void test_single_candidate_attaches(void) {
  input in[] = {
      {"a.txt",
       "UBND tỉnh Nghệ An ban hành Kế hoạch số 15/KH-UBND ngày 3/2/2025."},
      {"c.txt", "Theo Kế hoạch số 15/KH-UBND, các xã báo cáo trước ngày 10."},
  };
  vbg_graph *g = build(in, 2, NULL);
  if (!OK(g != NULL, "graph built"))
    return;
  INT_EQ(count_docs_with_key(g, "15/KH-UBND"), 1);
  const vbg_vertex *v = vertex(g, "15/KH-UBND");
  OK(v && !v->ambiguous && v->mentions == 2,
     "the one candidate takes the mention");
  vbg_graph_free(g);
}

static void test_default_bodies(void) {
  input in[] = {{"a.txt", "Nghị định số 30/2020/NĐ-CP, Quyết định 977/QĐ-TTg, "
                          "Kết luận số 114-KL/TW "
                          "và Luật số 80/2015/QH13."}};
  vbg_graph *g = build(in, 1, NULL);
  if (!OK(g != NULL, "graph built"))
    return;
  OK(has_edge(g, "30/2020/NĐ-CP", "issued_by", "body:Chính phủ"),
     "CP -> Chính phủ");
  OK(has_edge(g, "977/QĐ-TTg", "issued_by", "body:Thủ tướng Chính phủ"),
     "TTg -> Thủ tướng");
  OK(has_edge(g, "114-KL/TW", "issued_by", "body:Trung ương Đảng"),
     "TW -> Trung ương Đảng");
  OK(has_edge(g, "80/2015/QH13", "issued_by", "body:Quốc hội khóa XIII"),
     "QH13 -> khóa XIII");
  const vbg_vertex *cp = vertex(g, "body:Chính phủ");
  OK(cp && cp->level && strcmp(cp->level, "central") == 0,
     "Chính phủ is central");
  vbg_graph_free(g);
}

static void test_body_names_are_canonical(void) {
  input in[] = {
      {"a.txt", "Kết luận số 43-KL/TW của Ban Bí thư Trung ương Đảng."},
      {"b.txt", "Kết luận số 44-KL/TW của Ban Bí thư."},
      {"c.txt", "Kết luận số 45-KL/TW của Ban Bí thư Trung ương."},
  };
  vbg_graph *g = build(in, 3, NULL);
  if (!OK(g != NULL, "graph built"))
    return;
  const char *docs[] = {"43-KL/TW", "44-KL/TW", "45-KL/TW"};
  for (size_t i = 0; i < 3; i++)
    OK(has_edge(g, docs[i], "issued_by", "body:Ban Bí thư Trung ương Đảng"),
       docs[i]);
  size_t bodies = 0;
  for (size_t i = 0; i < vbg_graph_vertex_count(g); i++)
    bodies += vbg_graph_vertex(g, i)->kind == VBG_KIND_BODY;
  INT_EQ(bodies, 1);
  vbg_graph_free(g);
}

/* GraphML of a graph, as a string. */
static char *graphml(const vbg_graph *g) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    return NULL;
  int err = vbg_graph_write(g, VBG_FORMAT_GRAPHML, f);
  fclose(f);
  if (err < 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

static void test_order_does_not_matter(void) {
  input in[] = {
      {"z.txt", "Thực hiện Kết luận số 114-KL/TƯ ngày 14-7-2015 của Ban Bí thư "
                "Trung ương Đảng "
                "(khóa XI), Thành ủy ban hành Kế hoạch số 140-KH/TU."},
      {"a.txt", "UBND thành phố ban hành Kế hoạch số 170/KH-UBND triển khai "
                "thực hiện Kế hoạch số "
                "140-KH/TU của Thành ủy Hà Nội."},
      {"m.txt", "Sơ kết 5 năm thực hiện Kết luận 114-KL/TW."},
  };
  size_t fwd[] = {0, 1, 2}, rev[] = {2, 1, 0};
  vbg_graph *a = build(in, 3, fwd), *b = build(in, 3, rev);
  char *ga = a ? graphml(a) : NULL, *gb = b ? graphml(b) : NULL;
  OK(ga && gb && strcmp(ga, gb) == 0, "same GraphML whatever the input order");
  OK(b && has_edge(b, "170/KH-UBND", "implements", "140-KH/TU"),
     "170 implements 140");
  OK(b && has_edge(b, "article:m.txt", "reviews", "114-KL/TW"),
     "m.txt reviews 114");
  free(ga);
  free(gb);
  vbg_graph_free(a);
  vbg_graph_free(b);
}

static void test_graphml_round_trip(void) {
  input in[] = {
      {"a.txt",
       "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về "
       "“Đột phá & <phát triển> \"khoa học\"”, tỉnh ban hành Kế hoạch số "
       "04-KH/TU."}};
  vbg_graph *g = build(in, 1, NULL);
  char *first = g ? graphml(g) : NULL;
  vbg_graph *back = NULL;
  FILE *f = first ? fmemopen(first, strlen(first), "r") : NULL;
  OK(f && vbg_graph_read_graphml(&back, f) == VBG_OK, "GraphML reads back");
  if (f)
    fclose(f);
  char *second = back ? graphml(back) : NULL;
  OK(first && second && strcmp(first, second) == 0,
     "read-back graph writes the same GraphML");
  const vbg_vertex *v = back ? vertex(back, "4-KH/TU") : NULL;
  OK(v && v->number && strcmp(v->number, "04") == 0,
     "number stays the string \"04\"");
  free(first);
  free(second);
  vbg_graph_free(g);
  vbg_graph_free(back);
}

static void test_shards_equal_direct(void) {
  const char *text = "Kế hoạch số 170/KH-UBND ngày 5/3/2020 của UBND thành phố "
                     "Hà Nội triển khai "
                     "thực hiện Kế hoạch số 140-KH/TU. Kết luận này.";
  vbg_extractor *ex = NULL;
  vbg_refs *refs = NULL;
  vbg_buf jsonl;
  vbg_buf_init(&jsonl);
  vbg_builder *b1 = NULL, *b2 = NULL;
  vbg_graph *g1 = NULL, *g2 = NULL;
  int ok = vbg_extractor_new(&ex, 0) == 0 &&
           vbg_extract(&refs, ex, text, strlen(text)) == 0 &&
           vbg_refs_write_jsonl(&jsonl, refs, "a.txt") == 0 &&
           vbg_builder_new(&b1) == 0 &&
           vbg_builder_add(b1, "a.txt", refs) == 0 &&
           vbg_builder_finish(&g1, b1) == 0 && vbg_builder_new(&b2) == 0 &&
           vbg_builder_add_jsonl(b2, jsonl.ptr, jsonl.size, "shard") == 0 &&
           vbg_builder_finish(&g2, b2) == 0;
  OK(ok, "built from references and from their JSON Lines");
  char *x = g1 ? graphml(g1) : NULL, *y = g2 ? graphml(g2) : NULL;
  OK(x && y && strcmp(x, y) == 0, "same graph from JSON Lines");
  OK(vbg_builder_add_jsonl(b2, "{\"file\":1}\n", 11, "bad") == VBG_EINVAL,
     "bad shard line");
  OK(strstr(vbg_error_last(), "bad:1") != NULL, "message names shard and line");
  free(x);
  free(y);
  vbg_graph_free(g1);
  vbg_graph_free(g2);
  vbg_builder_free(b1);
  vbg_builder_free(b2);
  vbg_buf_dispose(&jsonl);
  vbg_refs_free(refs);
  vbg_extractor_free(ex);
}

/* The two shard readers (src/shard.c): the fast one for what vbgraph
 * writes, jansson for everything else.  Each line below is read with the
 * fast one on and off: same status, same message, same graph; and the
 * status is the one expected. */
void vbg__jsonl_fast_reader(int on);

static char *shard_graph(const char *line, int fast, int *status, char *msg,
                         size_t msgsize) {
  vbg_builder *b = NULL;
  vbg_graph *g = NULL;
  vbg__jsonl_fast_reader(fast);
  vbg_error_clear();
  if (vbg_builder_new(&b) != VBG_OK)
    return NULL;
  *status = vbg_builder_add_jsonl(b, line, strlen(line), "s");
  snprintf(msg, msgsize, "%s", vbg_error_last());
  char *out = vbg_builder_finish(&g, b) == VBG_OK ? graphml(g) : NULL;
  vbg_graph_free(g);
  vbg_builder_free(b);
  vbg__jsonl_fast_reader(1);
  return out;
}

static void test_shard_readers_agree(void) {
#define REC(extra, rels)                                                       \
  "{\"file\":\"a.txt\",\"start\":5,\"end\":14,\"line\":1,\"surface\":"         \
  "\"140-KH/TU\",\"key\":\"140-KH/TU\"" extra ",\"relations\":[" rels "]}\n"
  static const struct {
    const char *line;
    int status;
  } cases[] = {
      {REC("", ""), VBG_OK},
      {REC(",\"title\":\"Đ\\u1ed9t ph\\u00e1 \\ud83d\\ude00 \\/ \\\"x\\\"\"",
           ""),
       VBG_OK},
      {REC(",\"short_form\":true,\"year\":null,\"date\":null", ""), VBG_OK},
      {REC(",\"short_form\":false", ""), VBG_OK},
      {"  {\"file\" : \"a.txt\" , \"start\" : 0 , \"relations\" : [ ] } \r\n",
       VBG_OK},
      {REC("", "{\"type\":\"implements\",\"target\":\"57-NQ/TW\",\"cue\":"
               "\"thực hiện\",\"start\":1,\"end\":4,\"line\":1},{\"type\":"
               "\"reviews\",\"target\":\"1/KH-UBND\",\"by\":\"Thành ủy\"}"),
       VBG_OK},
      {REC(",\"extra\":{\"any\":[1,2.5,\"x\"]}", ""), VBG_OK},
      {REC(",\"year\":2020.0", ""), VBG_EINVAL},
      {REC(",\"year\":-1", ""), VBG_EINVAL},
      {REC(",\"year\":020", ""), VBG_EINVAL},
      {REC(",\"year\":1e3", ""), VBG_EINVAL},
      {REC(",\"year\":99999999999999999999999", ""), VBG_EINVAL},
      {REC(",\"key\":\"again\"", ""), VBG_EINVAL},
      {REC(",\"title\":\"a\\u0000b\"", ""), VBG_EINVAL},
      {REC(",\"title\":\"\xC3\x28\"", ""), VBG_EINVAL},
      {REC(",\"title\":\"\\ud83d\"", ""), VBG_EINVAL},
      {REC("", "{\"type\":\"implements\"}"), VBG_EINVAL},
      {REC("", "5"), VBG_EINVAL},
      {"{\"file\":\"a.txt\",\"start\":0,\"relations\":{}}\n", VBG_EINVAL},
      {"[1,2]\n", VBG_EINVAL},
      {"{\"file\":\"a.txt\",\"start\":0,\"key\":\"\",\"relations\":[]}\n",
       VBG_EINVAL},
      {REC("", "{\"type\":\"cites\",\"target\":\"\"}"), VBG_EINVAL},
      {REC("", "") "trailing", VBG_EINVAL},
  };
#undef REC
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    int s1 = -100, s2 = -100;
    char m1[512], m2[512], what[1200];
    char *g1 = shard_graph(cases[i].line, 1, &s1, m1, sizeof(m1));
    char *g2 = shard_graph(cases[i].line, 0, &s2, m2, sizeof(m2));
    snprintf(what, sizeof(what),
             "line %zu: status %d (want %d), fast and jansson agree: "
             "\"%s\" / \"%s\"",
             i + 1, s1, cases[i].status, m1, m2);
    OK(s1 == cases[i].status && s1 == s2 && strcmp(m1, m2) == 0 && g1 && g2 &&
           strcmp(g1, g2) == 0,
       what);
    free(g1);
    free(g2);
  }
}

/* The direct GraphML writer gives igraph's bytes exactly. */
static char *write_with(int (*fn)(const vbg_graph *, FILE *),
                        const vbg_graph *g) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    return NULL;
  int err = fn(g, f);
  fclose(f);
  if (err < 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

static void test_graphml_equals_igraph(void) {
  input in[] = {
      {"a & <b>.txt",
       "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về "
       "“Đột phá & <phát triển> \"khoa học\" 'số' \f”, tỉnh ban hành Kế hoạch "
       "số 04-KH/TU. Sơ kết 5 năm thực hiện Kết luận 114-KL/TW."},
      {"b.txt",
       "UBND tỉnh Nghệ An ban hành Kế hoạch số 15/KH-UBND ngày 3/2/2025; "
       "Luật số 80/2015/QH13; Theo Kế hoạch số 15/KH-UBND."},
      {"c\"'.txt",
       "UBND tỉnh Hà Tĩnh ban hành Kế hoạch số 15/KH-UBND ngày 5/3/2025."},
  };
  vbg_graph *g = build(in, 3, NULL);
  char *direct = g ? write_with(vbg__write_graphml, g) : NULL;
  char *viaig = g ? write_with(vbg__write_graphml_igraph, g) : NULL;
  OK(direct && viaig && strcmp(direct, viaig) == 0,
     "direct GraphML == igraph's GraphML");
  OK(direct && strstr(direct, "Đột phá &amp; &lt;phát triển&gt;") &&
         strstr(direct, "article:a &amp; &lt;b&gt;.txt") &&
         strstr(direct, "c&quot;&apos;.txt"),
     "XML escapes as igraph writes them");
  free(direct);
  free(viaig);
  vbg_graph_free(g);
}

int main(void) {
  test_graphml_equals_igraph();
  test_same_key_is_one_document();
  test_local_numbers_stay_apart();
  test_single_candidate_attaches();
  test_vague_body_is_ambiguous();
  test_default_bodies();
  test_body_names_are_canonical();
  test_order_does_not_matter();
  test_graphml_round_trip();
  test_shards_equal_direct();
  test_shard_readers_agree();
  return harness_done();
}
