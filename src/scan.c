/*
 * scan.c - pipeline stage 2: the regular expressions that find candidate
 * references and the phrases around them, compiled once with PCRE2 (UTF,
 * UCP, JIT).  This is the only file that includes pcre2.h; the rest of the
 * library sees vbg__re_match().
 *
 * Non-ASCII pattern characters are written as UTF-8 in the C literals; the
 * dash family is spelled with \x{...} so it stays visible.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdatomic.h>
#include <string.h>

#include "scan.h"

#define MAX_NAMES 16

struct vbg__re {
  pcre2_code *code;
  const char *name;
  int anchored; /* compiled with PCRE2_ANCHORED */
  int jit;      /* pcre2_jit_compile succeeded */
  /* the named groups, read once from PCRE2's name table (which the code
   * owns): vbg__re_group is asked for them at every candidate */
  int nnames;
  const char *names[MAX_NAMES];
  int numbers[MAX_NAMES];
};

struct vbg__matcher {
  pcre2_match_data *md;
  PCRE2_SIZE *ov; /* md's ovector, fixed for md's lifetime */
  uint32_t nov;   /* its pairs */
  pcre2_match_context *mc;
  pcre2_jit_stack *stack;
  pcre2_match_context *mc_test; /* the test limits; NULL outside tests */
};

/* ------------------------------------------------------------------ */
/* The patterns                                                        */
/* ------------------------------------------------------------------ */

/* hyphen, the U+2010..U+2015 dash family, minus sign */
#define DASHC "\\-\\x{2010}-\\x{2015}\\x{2212}"
#define DASH "\\h*[" DASHC "]\\h*"
#define SLASH "\\h*[/\\x{2215}\\x{FF0F}]\\h*"
/* one code group: letters, digits, '&', and inner dots (T.Ư) */
#define G "\\p{L}(?:[\\p{L}\\p{N}&]|\\.(?=\\p{L}))*"
#define GROUPS G "(?:" DASH G ")*"
/* a serial number must not continue a word, a number, a date or a ratio */
#define NUMLB "(?<![\\p{L}\\p{N}_./\\x{2215}" DASHC "])(?<!\\d[:,])"

static const char pat_code[] =
    NUMLB "(?<num>\\d{1,6})(?:"
          "(?<lsep>" SLASH "|" DASH ")(?<year>(?:19|20)\\d\\d)" SLASH
          "(?<lg>" GROUPS ")"
          "|(?<pdash>" DASH "|\\h+|)(?<pt>" G ")" SLASH "(?<pg>" GROUPS ")"
          "|" SLASH "(?<sg>" GROUPS "))";

#define TYPEWORDS                                                                                 \
  "nghị\\s+quyết(?:\\s+liên\\s+tịch)?|quyết\\s+định|quy\\s+định|chỉ\\s+thị"    \
  "|kết\\s+luận|kế\\s+hoạch(?:\\s+hành\\s+động)?"                                     \
  "|chương\\s+trình(?:\\s+hành\\s+động)?|hướng\\s+dẫn|thông\\s+báo"                 \
  "|thông\\s+tư(?:\\s+liên\\s+tịch)?|nghị\\s+định|công\\s+văn"                        \
  "|văn\\s+bản(?:\\s+hợp\\s+nhất)?|công\\s+điện|tờ\\s+trình"                        \
  "|báo\\s+cáo(?:\\s+thẩm\\s+tra)?|đề\\s+án|dự\\s+án|phương\\s+án|quy\\s+chế"     \
  "|thông\\s+tri|thông\\s+cáo|biên\\s+bản|hợp\\s+đồng|giấy\\s+mời"                 \
  "|pháp\\s+lệnh|bộ\\s+luật|(?-i:Luật|LUẬT|Lệnh|LỆNH)|hiến\\s+pháp"             \
  "|bản\\s+ghi\\s+nhớ|bản\\s+thỏa\\s+thuận|bản\\s+thoả\\s+thuận|bản\\s+"        \
  "cam\\s+kết"                                                                                  \
  "|bản\\s+sao\\s+y|bản\\s+sao\\s+lục|bản\\s+trích\\s+sao|bản\\s+sao"                  \
  "|giấy\\s+(?:ủy|uỷ)\\s+quyền|giấy\\s+giới\\s+thiệu|giấy\\s+nghỉ\\s+phép"     \
  "|giấy\\s+chứng\\s+nhận|giấy\\s+đi\\s+đường|giấy\\s+biên\\s+nhận\\s+hồ\\s+" \
  "sơ"                                                                                           \
  "|phiếu\\s+gửi|phiếu\\s+chuyển|phiếu\\s+báo|phụ\\s+lục"

/* A type word, optionally "số"/"số:", ending where the number starts. */
static const char pat_typeword[] =
    "(?i)(?<![\\p{L}\\p{N}])(?<tw>" TYPEWORDS ")(?![\\p{L}])"
    "(?<so>[\\s*_]+số\\s*:?|\\h*:)?[\\s*_]*\\z";

/* "Luật Tổ chức chính quyền địa phương số" before a number. */
static const char pat_lawword[] =
    "(?<![\\p{L}\\p{N}])(?<tw>Luật|Bộ\\s+luật|Pháp\\s+lệnh|LUẬT)"
    "(?:(?:\\s+|,\\s+(?=bổ\\s+sung))(?!(?i:số)[\\s*_]*:?[\\s*_]*\\d)"
    "[^\\s.;:,()\\[\\]\\x{201C}\\x{201D}\"/\\d\\x00-\\x1F\\x7F]+){1,24}?"
    "[\\s*_]+(?i:số)\\s*:?[\\s*_]*\\z";

/* "Số:" at the start of a header line. */
static const char pat_header[] =
    "(?:^|\\n)[\\h|*#>_\\-]*(?i:số)\\h*[:.]?[\\h*_]*\\z";

#define SHORTWORDS                                                                     \
  "nghị\\s+quyết|quyết\\s+định|quy\\s+định|chỉ\\s+thị|kết\\s+luận" \
  "|kế\\s+hoạch|hướng\\s+dẫn|thông\\s+báo|thông\\s+tư|nghị\\s+định"  \
  "|công\\s+văn|văn\\s+bản|công\\s+điện|tờ\\s+trình"

/* Quantities that follow a bare number and make it not a document. */
#define NOTDOC                                                                            \
  "(?!\\h*(?:năm(?!\\h+(?:19|20)\\d\\d)|tháng|ngày|tuần|giờ|phút|người|lần|" \
  "tỷ|triệu|nghìn|ngàn"                                                             \
  "|điểm|km|m2|ha|đồng|%|/|\\.\\d|,\\d))"

static const char pat_short[] =
    "(?i)(?<![\\p{L}\\p{N}])(?<tw>" SHORTWORDS ")(?![\\p{L}])"
    "(?:(?<so>[\\s*_]+số)\\h*:?)?[\\s*_]+(?<num>\\d{1,5})(?![\\p{L}\\p{N}]"
    ")" NOTDOC;

#define BACKWORDS                                                                               \
  "Nghị\\s+quyết|Quyết\\s+định|Quy\\s+định|Chỉ\\s+thị|Kết\\s+luận"          \
  "|Kế\\s+hoạch|Chương\\s+trình|Hướng\\s+dẫn|Thông\\s+báo|Thông\\s+tư"          \
  "|Nghị\\s+định|Công\\s+văn|Văn\\s+bản|Công\\s+điện|Tờ\\s+trình|Báo\\s+cáo" \
  "|Đề\\s+án|Quy\\s+chế|Luật|Pháp\\s+lệnh|Thông\\s+tri|Quy\\s+định"

static const char pat_backref[] =
    "(?<![\\p{L}\\p{N}])(?<tw>" BACKWORDS
    ")\\s+(?<dem>này|trên|nói\\s+trên)(?![\\p{L}])";

/* ", số 218" or " và 188" continuing a list of numbers (anchored). */
static const char pat_listnum[] =
    "(?:\\h*[,;]\\h*(?:và\\h+)?|\\s+(?:và|hoặc)\\s+)(?:(?<so>(?i:số))\\h*)?"
    "(?<num>\\d{1,5})(?![\\p{L}\\p{N}])" NOTDOC;

#define DSEP "\\h*[/.\\x{2215}" DASHC "]\\h*"
static const char pat_date[] =
    "(?i)(?:ngày\\s*)?(?:"
    "(?<d>\\d{1,2})" DSEP "(?<m>\\d{1,2})" DSEP "(?<y>\\d{4})(?!\\d)"
    "|(?<d2>\\d{1,2})[\\s*_]+tháng[\\s*_]+(?<m2>\\d{1,2})[\\s*_]+năm[\\s*_]+"
    "(?<y2>\\d{4})(?!\\d))";

static const char pat_placedate[] =
    "(?i),[\\s*_]*ngày[\\s*_]+(?:"
    "(?<d>\\d{1,2})" DSEP "(?<m>\\d{1,2})" DSEP "(?<y>\\d{4})"
    "|(?<d2>\\d{1,2})[\\s*_]+tháng[\\s*_]+(?<m2>\\d{1,2})[\\s*_]+năm[\\s*_]+"
    "(?<y2>\\d{4}))(?!\\d)";

static const char pat_term[] = "(?i)\\(?\\h*kh(?:óa|oá)\\h+(?<t>[IVXLC]+|\\d{1,"
                               "2})(?![\\p{L}\\p{N}])\\h*\\)?";

static const char pat_title[] = "[\\s,]*(?i:về)\\s+(?:(?i:việc)\\s+)?[\\x{201C}"
                                "\"](?<t>[^\\x{201D}\"]{1,800})"
                                "[\\x{201D}\"]";

static const char pat_cue[] =
    "(?i)(?<![\\p{L}])(?:"
    "(?<guide>hướng\\s+dẫn\\s+thi\\s+hành|hướng\\s+dẫn\\s+thực\\s+hiện"
    "|hướng\\s+dẫn)"
    "|(?<impl>triển\\s+khai\\s+thực\\s+hiện|tiếp\\s+tục\\s+thực\\s+hiện"
    "|tổ\\s+chức\\s+thực\\s+hiện|thực\\s+hiện|triển\\s+khai"
    "|cụ\\s+thể\\s+h(?:óa|oá)|thể\\s+chế\\s+h(?:óa|oá))"
    "|(?<base>căn\\s+cứ)"
    "|(?<amend>sửa\\s+đổi,?\\s+bổ\\s+sung|điều\\s+chỉnh,?\\s+bổ\\s+sung"
    "|sửa\\s+đổi)"
    "|(?<repl>thay\\s+thế)"
    "|(?<review>sơ\\s+kết|tổng\\s+kết))(?![\\p{L}])";

static const char pat_issueverb[] =
    "(?<![\\p{L}])(?:(?:đã|vừa|mới|chính\\s+thức|đã\\s+ký)\\s+)*"
    "(?:ký\\s+ban\\s+hành|ban\\s+hành|ký|có|ra|phát\\s+hành|thông\\s+qua"
    "|xây\\s+dựng)(?:\\s+(?:các|những))?[\\s*_]*\\z";

/* Patterns only ever matched at a given position are compiled anchored:
 * PCRE2's JIT does not support PCRE2_ANCHORED at match time and would fall
 * back to the interpreter. */
static const struct {
  const char *name, *src;
  int anchored;
} sources[VBG__PAT__COUNT] = {
    [VBG__PAT_CODE] = {"code", pat_code, 1},
    [VBG__PAT_TYPEWORD] = {"typeword", pat_typeword, 0},
    [VBG__PAT_LAWWORD] = {"lawword", pat_lawword, 0},
    [VBG__PAT_HEADER] = {"header", pat_header, 0},
    [VBG__PAT_SHORT] = {"short", pat_short, 0},
    [VBG__PAT_BACKREF] = {"backref", pat_backref, 0},
    [VBG__PAT_LISTNUM] = {"listnum", pat_listnum, 1},
    [VBG__PAT_DATE] = {"date", pat_date, 1},
    [VBG__PAT_PLACEDATE] = {"placedate", pat_placedate, 0},
    [VBG__PAT_TERM] = {"term", pat_term, 1},
    [VBG__PAT_TITLE] = {"title", pat_title, 1},
    [VBG__PAT_CUE] = {"cue", pat_cue, 1},
    [VBG__PAT_ISSUEVERB] = {"issueverb", pat_issueverb, 0},
};

/* ------------------------------------------------------------------ */
/* Compilation                                                         */
/* ------------------------------------------------------------------ */

static int compile_one(vbg__re **out, const char *name, const char *src,
                       int anchored) {
  int errcode;
  PCRE2_SIZE erroff;
  *out = NULL;
  uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK;
  if (anchored)
    options |= PCRE2_ANCHORED;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
                                   options, &errcode, &erroff, NULL);
  if (!code) {
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(errcode, msg, sizeof(msg));
    return vbg__error_set(VBG_EREGEX, "pattern %s: %s at offset %zu", name,
                          (const char *)msg, (size_t)erroff);
  }
  /* JIT is an optimisation: where it is unavailable the interpreter runs. */
  int jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  vbg__re *re = vbg__malloc(sizeof(*re));
  if (!re) {
    pcre2_code_free(code);
    return VBG_ENOMEM;
  }
  re->code = code;
  re->name = name;
  re->anchored = anchored;
  re->jit = jit;
  re->nnames = 0;
  uint32_t count = 0, size = 0;
  PCRE2_SPTR table = NULL;
  if (pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count) == 0 &&
      pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &size) == 0 &&
      pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table) == 0 &&
      count <= MAX_NAMES) {
    for (uint32_t i = 0; i < count; i++) {
      PCRE2_SPTR e = table + (size_t)i * size;
      re->names[i] = (const char *)(e + 2);
      re->numbers[i] = (e[0] << 8) | e[1];
    }
    re->nnames = (int)count;
  }
  *out = re;
  return VBG_OK;
}

int vbg__patterns_new(vbg__re ***out) {
  vbg__re **pats = vbg__calloc(VBG__PAT__COUNT, sizeof(*pats));
  *out = NULL;
  if (!pats)
    return VBG_ENOMEM;
  for (int i = 0; i < VBG__PAT__COUNT; i++) {
    int err = compile_one(&pats[i], sources[i].name, sources[i].src,
                          sources[i].anchored);
    if (err < 0) {
      vbg__patterns_free(pats);
      return err;
    }
  }
  *out = pats;
  return VBG_OK;
}

void vbg__groups_init(vbg__groups *g, vbg__re *const *pats) {
  g->num = vbg__re_group(pats[VBG__PAT_CODE], "num");
  g->year = vbg__re_group(pats[VBG__PAT_CODE], "year");
  g->lg = vbg__re_group(pats[VBG__PAT_CODE], "lg");
  g->pdash = vbg__re_group(pats[VBG__PAT_CODE], "pdash");
  g->pt = vbg__re_group(pats[VBG__PAT_CODE], "pt");
  g->pg = vbg__re_group(pats[VBG__PAT_CODE], "pg");
  g->sg = vbg__re_group(pats[VBG__PAT_CODE], "sg");
  g->lsep = vbg__re_group(pats[VBG__PAT_CODE], "lsep");
  g->typeword_tw = vbg__re_group(pats[VBG__PAT_TYPEWORD], "tw");
  g->lawword_tw = vbg__re_group(pats[VBG__PAT_LAWWORD], "tw");
  g->short_tw = vbg__re_group(pats[VBG__PAT_SHORT], "tw");
  g->short_so = vbg__re_group(pats[VBG__PAT_SHORT], "so");
  g->short_num = vbg__re_group(pats[VBG__PAT_SHORT], "num");
  g->backref_tw = vbg__re_group(pats[VBG__PAT_BACKREF], "tw");
  g->backref_dem = vbg__re_group(pats[VBG__PAT_BACKREF], "dem");
  g->listnum_num = vbg__re_group(pats[VBG__PAT_LISTNUM], "num");
  g->listnum_so = vbg__re_group(pats[VBG__PAT_LISTNUM], "so");
  static const char *const dates[6] = {"d", "m", "y", "d2", "m2", "y2"};
  for (int k = 0; k < 6; k++) {
    g->date[k] = vbg__re_group(pats[VBG__PAT_DATE], dates[k]);
    g->placedate[k] = vbg__re_group(pats[VBG__PAT_PLACEDATE], dates[k]);
  }
}

void vbg__patterns_free(vbg__re **pats) {
  if (!pats)
    return;
  for (int i = 0; i < VBG__PAT__COUNT; i++)
    if (pats[i]) {
      pcre2_code_free(pats[i]->code);
      vbg__free(pats[i]);
    }
  vbg__free(pats);
}

/* ------------------------------------------------------------------ */
/* Matching                                                            */
/* ------------------------------------------------------------------ */

/* Generous for these patterns, which are linear in practice; a hit means
 * something pathological and is reported, never ignored. */
#define MATCH_LIMIT 5000000u
#define DEPTH_LIMIT 20000u

/* Test hook: no known input reaches the limits, so tests lower them.  Set
 * before any matcher is made (they are read by vbg__matcher_new) and from one
 * thread; the library itself never calls these. */
static uint32_t test_match_limit, test_depth_limit;
static const char *test_pattern; /* NULL: every pattern */

void vbg__set_match_limit_for_tests(uint32_t match, uint32_t depth) {
  test_match_limit = match;
  test_depth_limit = depth;
}

void vbg__set_limit_pattern_for_tests(const char *name) {
  test_pattern = NULL;
  for (int i = 0; name && i < VBG__PAT__COUNT; i++)
    if (strcmp(name, sources[i].name) == 0)
      test_pattern = sources[i].name;
}

/* JIT stacks of freed matchers, kept for the next matcher: creating one
 * maps memory and freeing it unmaps it, a pair of system calls per input
 * file otherwise.  A few slots, each filled or emptied by one atomic
 * operation, so any thread may take or give; what is left in them at exit
 * is still reachable, not leaked. */
#define SPARE_STACKS 8
static _Atomic(pcre2_jit_stack *) spare_stacks[SPARE_STACKS];

static pcre2_jit_stack *stack_take(void) {
  for (int i = 0; i < SPARE_STACKS; i++) {
    pcre2_jit_stack *st = atomic_exchange(&spare_stacks[i], NULL);
    if (st)
      return st;
  }
  return pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
}

static void stack_give(pcre2_jit_stack *st) {
  for (int i = 0; st && i < SPARE_STACKS; i++) {
    pcre2_jit_stack *empty = NULL;
    if (atomic_compare_exchange_strong(&spare_stacks[i], &empty, st))
      return;
  }
  pcre2_jit_stack_free(st);
}

int vbg__matcher_new(vbg__matcher **out) {
  vbg__matcher *m = vbg__calloc(1, sizeof(*m));
  *out = NULL;
  if (!m)
    return VBG_ENOMEM;
  m->md = pcre2_match_data_create(32, NULL);
  m->mc = pcre2_match_context_create(NULL);
  m->stack = stack_take();
  if (!m->md || !m->mc || !m->stack) {
    vbg__matcher_free(m);
    return vbg__error_set(VBG_ENOMEM, "out of memory creating match data");
  }
  m->ov = pcre2_get_ovector_pointer(m->md);
  m->nov = pcre2_get_ovector_count(m->md);
  pcre2_set_match_limit(m->mc, MATCH_LIMIT);
  pcre2_set_depth_limit(m->mc, DEPTH_LIMIT);
  pcre2_jit_stack_assign(m->mc, NULL, m->stack);
  if (test_match_limit || test_depth_limit) {
    if (!(m->mc_test = pcre2_match_context_copy(m->mc))) {
      vbg__matcher_free(m);
      return vbg__error_set(VBG_ENOMEM, "out of memory creating match data");
    }
    if (test_match_limit)
      pcre2_set_match_limit(m->mc_test, test_match_limit);
    if (test_depth_limit)
      pcre2_set_depth_limit(m->mc_test, test_depth_limit);
  }
  *out = m;
  return VBG_OK;
}

void vbg__matcher_free(vbg__matcher *m) {
  if (!m)
    return;
  pcre2_match_data_free(m->md);
  pcre2_match_context_free(m->mc);
  pcre2_match_context_free(m->mc_test);
  stack_give(m->stack);
  vbg__free(m);
}

/* A match that could not finish.  The limits are named with their values,
 * so that the message says what happened, not only that something did. */
static int match_failed(const vbg__re *re, int test_limits, int rc,
                        size_t start) {
  uint32_t match =
      test_limits && test_match_limit ? test_match_limit : MATCH_LIMIT;
  uint32_t depth =
      test_limits && test_depth_limit ? test_depth_limit : DEPTH_LIMIT;
  switch (rc) {
  case PCRE2_ERROR_MATCHLIMIT:
    return vbg__error_set(VBG_EREGEX,
                          "pattern %s at byte %zu: PCRE2 match limit (%lu) "
                          "reached",
                          re->name, start, (unsigned long)match);
  case PCRE2_ERROR_DEPTHLIMIT:
    return vbg__error_set(VBG_EREGEX,
                          "pattern %s at byte %zu: PCRE2 depth limit (%lu) "
                          "reached",
                          re->name, start, (unsigned long)depth);
  default: {
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(rc, msg, sizeof(msg));
    return vbg__error_set(VBG_EREGEX, "pattern %s at byte %zu: %s", re->name,
                          start, (const char *)msg);
  }
  }
}

int vbg__re_match(const vbg__re *re, vbg__matcher *m, const char *s, size_t len,
                  size_t start, unsigned flags, size_t *ovec, int nvec) {
  uint32_t opts = PCRE2_NO_UTF_CHECK;
  pcre2_match_context *mc = m->mc;
  if ((flags & VBG__MATCH_ANCHORED) && !re->anchored)
    opts |= PCRE2_ANCHORED;
  if (m->mc_test && (!test_pattern || test_pattern == re->name)) {
    mc = m->mc_test;
    if (test_depth_limit)
      opts |= PCRE2_NO_JIT; /* JIT has no depth limit, only its stack */
  }
  /* pcre2_match would check its arguments and hand this very call to the
   * JIT; going there directly saves that work at every one of the tens of
   * thousands of matches per input.  Its other paths (no JIT, options the
   * JIT does not take, a bad offset) stay with pcre2_match. */
  int rc =
      re->jit && opts == PCRE2_NO_UTF_CHECK && s && start <= len
          ? pcre2_jit_match(re->code, (PCRE2_SPTR)s, len, start, opts, m->md,
                            mc)
          : pcre2_match(re->code, (PCRE2_SPTR)s, len, start, opts, m->md, mc);
  if (rc == PCRE2_ERROR_NOMATCH)
    return 0;
  if (rc < 0)
    return match_failed(re, mc == m->mc_test, rc, start);
  const PCRE2_SIZE *ov = m->ov;
  uint32_t have = m->nov;
  for (int i = 0; i < nvec; i++) {
    int set = (uint32_t)i < have && (uint32_t)i < (uint32_t)rc;
    ovec[2 * i] = set ? ov[2 * i] : SIZE_MAX;
    ovec[2 * i + 1] = set ? ov[2 * i + 1] : SIZE_MAX;
    if (set && ov[2 * i] == PCRE2_UNSET) {
      ovec[2 * i] = SIZE_MAX;
      ovec[2 * i + 1] = SIZE_MAX;
    }
  }
  return 1;
}

int vbg__re_limited(const vbg__re *re, const vbg__matcher *m) {
  return m->mc_test && (!test_pattern || test_pattern == re->name);
}

int vbg__re_group(const vbg__re *re, const char *name) {
  /* names are a few letters: compared here, without a call per name */
  for (int i = 0; i < re->nnames; i++) {
    const char *a = re->names[i], *b = name;
    while (*a && *a == *b) {
      a++;
      b++;
    }
    if (*a == *b)
      return re->numbers[i];
  }
  int n = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)name);
  return n < 0 ? -1 : n;
}
