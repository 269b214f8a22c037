/*
 * test_limits.c - a PCRE2 match or depth limit that is hit is reported as
 * VBG_EREGEX with a message naming the pattern, the byte and the limit;
 * it is never taken for "no match".
 *
 * No known input reaches the real limits (src/scan.c: 5,000,000 steps,
 * depth 20,000), so the test lowers them with the internal hooks
 * vbg__set_match_limit_for_tests and vbg__set_limit_pattern_for_tests
 * (src/scan.h; not in vbgraph.h).
 *
 *   - every pattern at once, match limit 1: vbg_extract, a vbg_stream and
 *     vbg_key_canonical fail with VBG_EREGEX and "match limit (1) reached"
 *   - depth limit 1 (the interpreter: JIT has none): "depth limit (1)"
 *   - one pattern at a time, over a text that every pattern matches in: the
 *     call fails naming that pattern.  A call site that drops the error
 *     (treats a failed match as no match) shows up here as a pattern whose
 *     limit changes nothing.
 *   - limits back to the defaults: the same text extracts as before.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "scan.h"
#include "vbgraph.h"

/* A text in which each pattern of src/scan.h has a match to try. */
static const char text[] =
    "ỦY BAN NHÂN DÂN TỈNH\n"
    "Số: 12/KH-UBND\n"
    "Hà Nội, ngày 20 tháng 01 năm 2025\n"
    "Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13; "
    "căn cứ Nghị định số 30/2020/NĐ-CP ngày 5-3-2020 của Chính phủ;\n"
    "Thực hiện Nghị quyết số 25-NQ/TƯ ngày 3-6-2013 của Ban Chấp hành Trung "
    "ương Đảng (khóa XI) về “tăng cường công tác dân vận”, Ủy ban nhân dân "
    "tỉnh đã ban hành Kế hoạch số 170/KH-UBND, số 171 và 172 để sơ kết thực "
    "hiện Chỉ thị số 05-CT/TW (khóa XII). Nghị quyết này thay thế Quyết định "
    "72 và sửa đổi, bổ sung Thông tư số 01/2011/TT-BNV.\n";

static const char *pattern_names[VBG__PAT__COUNT] = {
    [VBG__PAT_CODE] = "code",           [VBG__PAT_TYPEWORD] = "typeword",
    [VBG__PAT_LAWWORD] = "lawword",     [VBG__PAT_HEADER] = "header",
    [VBG__PAT_SHORT] = "short",         [VBG__PAT_BACKREF] = "backref",
    [VBG__PAT_LISTNUM] = "listnum",     [VBG__PAT_DATE] = "date",
    [VBG__PAT_PLACEDATE] = "placedate", [VBG__PAT_TERM] = "term",
    [VBG__PAT_TITLE] = "title",         [VBG__PAT_CUE] = "cue",
    [VBG__PAT_ISSUEVERB] = "issueverb",
};

static int contains(const char *hay, const char *needle) {
  return hay && strstr(hay, needle) != NULL;
}

/* Extract `text` whole; on success the JSON Lines go to *jsonl. */
static int extract(vbg_extractor *ex, vbg_buf *jsonl) {
  vbg_refs *refs = NULL;
  int err = vbg_extract(&refs, ex, text, sizeof(text) - 1);
  OK(err < 0 || refs != NULL, "success hands out a list");
  OK(err == 0 || refs == NULL, "failure hands out nothing");
  if (err == 0 && jsonl) {
    vbg_buf_clear(jsonl);
    INT_EQ(vbg_refs_write_jsonl(jsonl, refs, "t"), VBG_OK);
  }
  vbg_refs_free(refs);
  return err;
}

/* The same through a stream fed in 7-byte pieces. */
static int stream(vbg_extractor *ex) {
  vbg_stream *s = NULL;
  vbg_refs *refs = NULL;
  int err = vbg_stream_new(&s, ex);
  for (size_t i = 0; err == 0 && i < sizeof(text) - 1; i += 7) {
    size_t n = sizeof(text) - 1 - i < 7 ? sizeof(text) - 1 - i : 7;
    err = vbg_stream_feed(s, text + i, n);
  }
  if (err == 0)
    err = vbg_stream_finish(&refs, s);
  OK(err == 0 || refs == NULL, "a failed stream hands out nothing");
  vbg_refs_free(refs);
  vbg_stream_free(s);
  return err;
}

static void reset(void) {
  vbg__set_match_limit_for_tests(0, 0);
  vbg__set_limit_pattern_for_tests(NULL);
}

static void test_all_patterns(vbg_extractor *ex) {
  char msg[256];
  vbg__set_match_limit_for_tests(1, 0);
  INT_EQ(extract(ex, NULL), VBG_EREGEX);
  snprintf(msg, sizeof msg, "message names the match limit: %s",
           vbg_error_last());
  OK(contains(vbg_error_last(), "match limit (1) reached") &&
         contains(vbg_error_last(), "pattern ") &&
         contains(vbg_error_last(), " at byte "),
     msg);
  INT_EQ(stream(ex), VBG_EREGEX);
  OK(contains(vbg_error_last(), "match limit (1) reached"),
     "a stream reports it too");
  vbg_buf out;
  vbg_buf_init(&out);
  INT_EQ(vbg_key_canonical(&out, ex, "25-NQ/TƯ", strlen("25-NQ/TƯ")),
         VBG_EREGEX);
  OK(contains(vbg_error_last(), "match limit"),
     "vbg_key_canonical reports it too");
  vbg_buf_dispose(&out);

  vbg__set_match_limit_for_tests(0, 1);
  INT_EQ(extract(ex, NULL), VBG_EREGEX);
  snprintf(msg, sizeof msg, "message names the depth limit: %s",
           vbg_error_last());
  OK(contains(vbg_error_last(), "depth limit (1) reached"), msg);
  reset();
}

static void test_each_pattern(vbg_extractor *ex) {
  for (int p = 0; p < VBG__PAT__COUNT; p++) {
    char want[64], msg[512];
    vbg__set_match_limit_for_tests(1, 0);
    vbg__set_limit_pattern_for_tests(pattern_names[p]);
    int err = extract(ex, NULL);
    snprintf(want, sizeof want, "pattern %s at byte ", pattern_names[p]);
    int reported = err == VBG_EREGEX && contains(vbg_error_last(), want);
    snprintf(msg, sizeof msg,
             "limit on pattern %s only: VBG_EREGEX naming it (got %d: %s)",
             pattern_names[p], err, err ? vbg_error_last() : "success");
    OK(reported, msg);
  }
  reset();
}

int main(void) {
  vbg_extractor *ex = NULL;
  if (!OK(vbg_extractor_new(&ex, VBG_OPT_DEFAULT) == VBG_OK, "extractor"))
    return harness_done();
  vbg_buf before, after;
  vbg_buf_init(&before);
  vbg_buf_init(&after);
  INT_EQ(extract(ex, &before), VBG_OK);
  OK(before.size > 0, "the text has references at the default limits");

  test_all_patterns(ex);
  test_each_pattern(ex);

  INT_EQ(extract(ex, &after), VBG_OK);
  OK(after.size == before.size &&
         memcmp(after.ptr, before.ptr, before.size) == 0,
     "back at the default limits, the same references");
  vbg_buf_dispose(&before);
  vbg_buf_dispose(&after);
  vbg_extractor_free(ex);
  return harness_done();
}
