/*
 * tables.c - reference data: document type codes (doc-types.tsv), issuer
 * codes and their variants (issuers.tsv), and the Vietnamese type words.
 * Facts from ../shared/reference; lookups are case-insensitive because
 * reprints write QYĐ, Ctr, TTG, but emit the canonical case.
 */
#include <assert.h>
#include <stdatomic.h>
#include <string.h>

#include "tables.h"

/* ------------------------------------------------------------------ */
/* Type codes                                                          */
/* ------------------------------------------------------------------ */

#define P VBG__FP
#define S VBG__FS
#define L VBG__FL

static const vbg__type_code type_codes[] = {
    {"NQ", "Nghị quyết", P | S | L},
    {"QĐ", "Quyết định", P | S | L},
    {"QĐi", "Quy định", P},
    {"QyĐ", "Quy định", S},
    {"QĐNS", "Quyết định", P},
    {"CT", "Chỉ thị", P | S},
    {"KL", "Kết luận", P | S},
    {"HD", "Hướng dẫn", P | S},
    {"KH", "Kế hoạch", P | S},
    {"CTr", "Chương trình", P | S},
    {"ĐA", "Đề án", P | S},
    {"CV", "Công văn", P | S},
    {"BS", "Bản sao", P},
    {"TB", "Thông báo", P | S},
    {"BC", "Báo cáo", P | S},
    {"QC", "Quy chế", P | S},
    {"TT", "Thông tư", P | S | L},
    {"TTr", "Tờ trình", P | S},
    {"BB", "Biên bản", P | S},
    {"TC", "Thông cáo", P | S},
    {"PA", "Phương án", S},
    {"DA", "Dự án", S},
    {"HĐ", "Hợp đồng", S},
    {"CĐ", "Công điện", S},
    {"BGN", "Bản ghi nhớ", S},
    {"BTT", "Bản thỏa thuận", S},
    {"GUQ", "Giấy ủy quyền", S},
    {"GM", "Giấy mời", S},
    {"GGT", "Giấy giới thiệu", S},
    {"GNP", "Giấy nghỉ phép", S},
    {"PG", "Phiếu gửi", S},
    {"PC", "Phiếu chuyển", S},
    {"PB", "Phiếu báo", S},
    {"SY", "Bản sao y", S},
    {"TrS", "Bản trích sao", S},
    {"SL", "Bản sao lục", S},
    {"GN", "Bản ghi nhớ", S},
    {"TTh", "Bản thỏa thuận", S},
    {"UQ", "Giấy ủy quyền", S},
    {"NP", "Giấy nghỉ phép", S},
    {"CN", "Giấy chứng nhận", S},
    {"ĐĐ", "Giấy đi đường", S},
    {"BN", "Giấy biên nhận hồ sơ", S},
    {"CK", "Bản cam kết", S},
    {"TS", "Bản trích sao", S},
    {"GT", "Giấy giới thiệu", S},
    {"PL", "Phụ lục", S},
    {"NĐ", "Nghị định", S | L},
    {"TTLT", "Thông tư liên tịch", S | L},
    {"NQLT", "Nghị quyết liên tịch", S | L},
    {"L", "Lệnh", L},
    {"VBHN", "Văn bản hợp nhất", S},
};

/* Printed spellings that differ from the canonical one by more than case
 * or the eth: codes typed without diacritics. */
static const struct {
  const char *printed, *canonical;
} type_variants[] = {
    {"QD", "QĐ"}, {"QDI", "QĐi"}, {"QYD", "QyĐ"}, {"QDNS", "QĐNS"},
    {"ND", "NĐ"}, {"CD", "CĐ"},   {"N", "NĐ"},    {"TTR", "TTr"},
};

#undef P
#undef S
#undef L

/* ------------------------------------------------------------------ */
/* Look-up by upper-case key                                           */
/* ------------------------------------------------------------------ */

/* Printed codes are compared ignoring case and the eth: both sides become an
 * upper-case key (the eth, U+00D0/U+00F0, as Đ) and the key is looked up in a
 * small hash table built on first use.  Every key in the tables is shorter
 * than KEYMAX bytes. */
#define KEYMAX 16
#define SLOTS 256 /* a power of two, well over the entries below */

typedef struct slot {
  const void *val; /* NULL: empty */
  unsigned char len;
  char key[KEYMAX];
} slot;

/* The upper-case key of s[0..len) into out (cap bytes, NUL-terminated);
 * returns its length, or SIZE_MAX for invalid UTF-8 or a key too long. */
static size_t upper_key(char *out, size_t cap, const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      if (n + 1 >= cap)
        return SIZE_MAX;
      out[n++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
      i++;
      continue;
    }
    size_t k;
    int32_t cp = vbg__utf8_decode(s, len, i, &k);
    if (cp < 0 || n + 5 > cap)
      return SIZE_MAX;
    if (cp == 0xD0 || cp == 0xF0) /* Ð ð */
      cp = 0x110;
    n += (size_t)vbg__utf8_encode(out + n, vbg__to_upper(cp));
    i += k;
  }
  out[n] = '\0';
  return n;
}

static size_t key_hash(const char *k, size_t len) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)k[i]) * 16777619u;
  return h & (SLOTS - 1);
}

/* Add key -> val unless the key is there already: the first entry wins, as
 * the first match of a walk down the table would. */
static void slot_add(slot *t, const char *k, size_t len, const void *val) {
  assert(len < KEYMAX);
  size_t h = key_hash(k, len);
  while (t[h].val) {
    if (t[h].len == len && memcmp(t[h].key, k, len) == 0)
      return;
    h = (h + 1) & (SLOTS - 1);
  }
  t[h].val = val;
  t[h].len = (unsigned char)len;
  memcpy(t[h].key, k, len);
}

static const void *slot_find(const slot *t, const char *k, size_t len) {
  if (len >= KEYMAX)
    return NULL;
  size_t h = key_hash(k, len);
  while (t[h].val) {
    if (t[h].len == len && memcmp(t[h].key, k, len) == 0)
      return t[h].val;
    h = (h + 1) & (SLOTS - 1);
  }
  return NULL;
}

static slot type_slots[SLOTS], issuer_slots[SLOTS];
static slot code_slots[SLOTS]; /* issuers by their canonical code, as is */
static unsigned char tw_initial[256]; /* first bytes of type words, any case */
static void build_slots(void);
static void build_initials(void);

/* Build the tables once, whichever thread gets here first. */
static void slots_ready(void) {
  static atomic_int state;
  vbg__once(&state, build_slots);
}

const vbg__type_code *vbg__type_code_find(const char *s, size_t len) {
  char key[64];
  if (len == 0 || len > 16)
    return NULL;
  size_t n = upper_key(key, sizeof(key), s, len);
  if (n == SIZE_MAX)
    return NULL;
  slots_ready();
  return slot_find(type_slots, key, n);
}

/* ------------------------------------------------------------------ */
/* Issuer codes                                                        */
/* ------------------------------------------------------------------ */

typedef struct issuer {
  const char *code;
  const char *variants; /* upper-case printed forms, ';' separated */
  const char *name;
  char party, local;
} issuer;

static const issuer issuers[] = {
    {"TW", "TƯ;T.Ư;T.W;TW", "Trung ương Đảng", 1, 0},
    {"TU", "", "Tỉnh ủy", 1, 1},
    {"HU", "", "Huyện ủy", 1, 1},
    {"QU", "", "Quận ủy", 1, 1},
    {"TXU", "", "Thị xã ủy", 1, 1},
    {"ĐU", "DU", "Đảng ủy", 1, 1},
    {"ĐUK", "DUK", "Đảng ủy Khối", 1, 1},
    {"BCSĐ", "BCS;BCSD", "Ban cán sự đảng", 1, 1},
    {"CB", "", "Chi bộ", 1, 1},
    {"ĐĐ", "DD", "Đảng đoàn", 1, 1},
    {"VPTW", "", "Văn phòng Trung ương Đảng", 1, 0},
    {"BTCTW", "", "Ban Tổ chức Trung ương", 1, 0},
    {"BTGTW", "", "Ban Tuyên giáo Trung ương", 1, 0},
    {"BDVTW", "", "Ban Dân vận Trung ương", 1, 0},
    {"BTGDVTW", "", "Ban Tuyên giáo và Dân vận Trung ương", 1, 0},
    {"UBKTTW", "", "Ủy ban Kiểm tra Trung ương", 1, 0},
    {"UBKTTU", "", "Ủy ban Kiểm tra Tỉnh ủy", 1, 1},
    {"BTGTU", "", "Ban Tuyên giáo Tỉnh ủy", 1, 1},
    {"BKTTW", "", "Ban Kinh tế Trung ương", 1, 0},
    {"BNCTW", "", "Ban Nội chính Trung ương", 1, 0},
    {"BĐNTW", "BDNTW", "Ban Đối ngoại Trung ương", 1, 0},
    {"ĐUQSTW", "DUQSTW", "Đảng ủy Quân sự Trung ương", 1, 0},
    {"ĐUKCQTW", "DUKCQTW", "Đảng ủy Khối các cơ quan Trung ương", 1, 0},
    {"HNTW", "", "Hội nghị Trung ương", 1, 0},
    {"TWĐTN", "TWDTN", "Trung ương Đoàn TNCS Hồ Chí Minh", 0, 0},
    {"VPQH", "", "Văn phòng Quốc hội", 0, 0},
    {"CTN", "", "Chủ tịch nước", 0, 0},
    {"CP", "", "Chính phủ", 0, 0},
    {"TTg", "TTG", "Thủ tướng Chính phủ", 0, 0},
    {"VPCP", "", "Văn phòng Chính phủ", 0, 0},
    {"HĐTP", "HDTP", "Hội đồng Thẩm phán Tòa án nhân dân tối cao", 0, 0},
    {"TANDTC", "", "Tòa án nhân dân tối cao", 0, 0},
    {"VKSNDTC", "", "Viện kiểm sát nhân dân tối cao", 0, 0},
    {"KTNN", "", "Kiểm toán nhà nước", 0, 0},
    {"HĐBCQG", "HDBCQG", "Hội đồng bầu cử quốc gia", 0, 0},
    {"NHNN", "", "Ngân hàng Nhà nước Việt Nam", 0, 0},
    {"TTCP", "", "Thanh tra Chính phủ", 0, 0},
    {"BNV", "", "Bộ Nội vụ", 0, 0},
    {"BTC", "", "Bộ Tài chính", 0, 0},
    {"BGDĐT", "BGDDT;BGD&ĐT;BGD&DT", "Bộ Giáo dục và Đào tạo", 0, 0},
    {"BYT", "", "Bộ Y tế", 0, 0},
    {"BCA", "", "Bộ Công an", 0, 0},
    {"BQP", "", "Bộ Quốc phòng", 0, 0},
    {"BTP", "", "Bộ Tư pháp", 0, 0},
    {"BCT", "", "Bộ Công Thương", 0, 0},
    {"BXD", "", "Bộ Xây dựng", 0, 0},
    {"BNG", "", "Bộ Ngoại giao", 0, 0},
    {"BVHTTDL", "", "Bộ Văn hóa, Thể thao và Du lịch", 0, 0},
    {"BKHCN", "", "Bộ Khoa học và Công nghệ", 0, 0},
    {"BNNMT", "", "Bộ Nông nghiệp và Môi trường", 0, 0},
    {"BDTTG", "", "Bộ Dân tộc và Tôn giáo", 0, 0},
    {"BTNMT", "", "Bộ Tài nguyên và Môi trường", 0, 0},
    {"BNNPTNT", "BNN&PTNT", "Bộ Nông nghiệp và Phát triển nông thôn", 0, 0},
    {"BKHĐT", "BKHDT", "Bộ Kế hoạch và Đầu tư", 0, 0},
    {"BLĐTBXH", "BLDTBXH", "Bộ Lao động - Thương binh và Xã hội", 0, 0},
    {"BTTTT", "", "Bộ Thông tin và Truyền thông", 0, 0},
    {"BGTVT", "", "Bộ Giao thông vận tải", 0, 0},
    {"UBDT", "", "Ủy ban Dân tộc", 0, 0},
    {"TCT", "", "Tổng cục Thuế", 0, 0},
    {"UBND", "ƯBND;UBNN", "Ủy ban nhân dân", 0, 1},
    {"HĐND", "HDND", "Hội đồng nhân dân", 0, 1},
    {"STNMT", "", "Sở Tài nguyên và Môi trường", 0, 1},
    {"MTTW", "", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", 0, 0},
    {"ĐCTUBTWMTTQVN", "DCTUBTWMTTQVN",
     "Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", 0, 0},
    {"MTTQ", "UBMTTQ", "Mặt trận Tổ quốc Việt Nam", 0, 1},
    {"UBTVQH", "", "Ủy ban Thường vụ Quốc hội", 0, 0},
    {"QH", "", "Quốc hội", 0, 0},
};

/* Fill the look-up tables: printed type codes typed without diacritics, then
 * the canonical type codes; each issuer's code, then its printed variants. */
static void build_slots(void) {
  char key[64];
  build_initials();
  for (size_t i = 0; i < VBG__ARRAY_LEN(type_variants); i++)
    for (size_t j = 0; j < VBG__ARRAY_LEN(type_codes); j++)
      if (strcmp(type_codes[j].code, type_variants[i].canonical) == 0)
        slot_add(type_slots, type_variants[i].printed,
                 strlen(type_variants[i].printed), &type_codes[j]);
  for (size_t j = 0; j < VBG__ARRAY_LEN(type_codes); j++) {
    const char *c = type_codes[j].code;
    slot_add(type_slots, key, upper_key(key, sizeof(key), c, strlen(c)),
             &type_codes[j]);
  }
  for (size_t i = 0; i < VBG__ARRAY_LEN(issuers); i++) {
    const char *c = issuers[i].code;
    slot_add(code_slots, c, strlen(c), &issuers[i]);
    slot_add(issuer_slots, key, upper_key(key, sizeof(key), c, strlen(c)),
             &issuers[i]);
    for (const char *p = issuers[i].variants; *p;) {
      const char *e = strchr(p, ';');
      size_t n = e ? (size_t)(e - p) : strlen(p);
      if (n > 0)
        slot_add(issuer_slots, p, n, &issuers[i]);
      p += e ? n + 1 : n;
    }
  }
}

/* The upper-case key of a printed issuer code (the eth as Đ) into key[64],
 * its length in *n; 0 for invalid UTF-8 met before the key is full. */
static int issuer_key(char *key, size_t *n, const char *s, size_t len) {
  size_t m = 0;
  for (size_t i = 0; i < len && m + 4 < 64;) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) { /* most codes are ASCII */
      key[m++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
      i++;
      continue;
    }
    size_t k;
    int32_t cp = vbg__utf8_decode(s, len, i, &k);
    if (cp < 0)
      return 0;
    if (cp == 0xD0 || cp == 0xF0)
      cp = 0x110;
    m += (size_t)vbg__utf8_encode(key + m, vbg__to_upper(cp));
    i += k;
  }
  key[m] = '\0';
  *n = m;
  return 1;
}

/* Assembly codes carry the term: QH13, UBTVQH15. */
static int assembly_key(const char *key) {
  return (strncmp(key, "QH", 2) == 0 && key[2] >= '0' && key[2] <= '9') ||
         (strncmp(key, "UBTVQH", 6) == 0 && key[6] >= '0' && key[6] <= '9');
}

const char *vbg__issuer_code(char *buf, const char *s, size_t len) {
  size_t n;
  if (!issuer_key(buf, &n, s, len))
    return NULL;
  slots_ready();
  const issuer *is = slot_find(issuer_slots, buf, n);
  if (is)
    return is->code;
  return assembly_key(buf) ? buf : NULL;
}

int vbg__issuer_canonical_put(vbg_buf *out, const char *s, size_t len) {
  char key[64];
  size_t n;
  if (!issuer_key(key, &n, s, len))
    return 0 > vbg_buf_put(out, s, len) ? -1 : 0;
  slots_ready();
  const issuer *is = slot_find(issuer_slots, key, n);
  if (is)
    return vbg__buf_puts(out, is->code) < 0 ? -1 : 1;
  if (assembly_key(key))
    return vbg__buf_puts(out, key) < 0 ? -1 : 1;
  /* Unknown: keep the printed case, only the eth becomes Đ. */
  for (size_t i = 0; i < len;) {
    size_t k;
    int32_t cp = vbg__utf8_decode(s, len, i, &k);
    if (cp == 0xD0)
      cp = 0x110;
    char enc[4];
    int m = vbg__utf8_encode(enc, cp < 0 ? 0xFFFD : cp);
    if (vbg_buf_put(out, enc, (size_t)m) < 0)
      return -1;
    i += k;
  }
  return 0;
}

int vbg__issuer_canonical(vbg_buf *out, const char *s, size_t len) {
  vbg_buf_clear(out);
  return vbg__issuer_canonical_put(out, s, len);
}

/* The issuer whose canonical code is exactly `code`, or NULL. */
static const issuer *known_code_exact(const char *code) {
  slots_ready();
  return slot_find(code_slots, code, strlen(code));
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

int vbg__issuer_is_party(const char *code) {
  const issuer *is = known_code_exact(code);
  if (is)
    return is->party;
  return ends_with(code, "TW") || ends_with(code, "TU") ||
         strncmp(code, "ĐU", strlen("ĐU")) == 0 || ends_with(code, "HU");
}

int vbg__issuer_is_local(const char *code) {
  const issuer *is = known_code_exact(code);
  if (is)
    return is->local;
  /* Provincial departments (Sở ...) and unknown party committees. */
  return code[0] == 'S' || ends_with(code, "TU") || ends_with(code, "HU");
}

const char *vbg__issuer_name(const char *code) {
  const issuer *is = known_code_exact(code);
  if (is)
    return is->name;
  if (strncmp(code, "UBTVQH", 6) == 0)
    return "Ủy ban Thường vụ Quốc hội";
  if (strncmp(code, "QH", 2) == 0)
    return "Quốc hội";
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Type words                                                          */
/* ------------------------------------------------------------------ */

static const struct {
  const char *lower; /* lower case, single spaces */
  vbg__type_word w;
} type_words[] = {
    {"nghị quyết liên tịch", {"Nghị quyết liên tịch", "NQLT", 0}},
    {"nghị quyết", {"Nghị quyết", "NQ NQLT", 1}},
    {"quyết định", {"Quyết định", "QĐ QĐNS", 1}},
    {"quy định", {"Quy định", "QĐi QĐ QyĐ", 1}},
    {"chỉ thị", {"Chỉ thị", "CT", 1}},
    {"kết luận", {"Kết luận", "KL", 1}},
    {"kế hoạch hành động", {"Kế hoạch", "KH", 0}},
    {"kế hoạch", {"Kế hoạch", "KH", 1}},
    {"chương trình hành động", {"Chương trình", "CTr", 0}},
    {"chương trình", {"Chương trình", "CTr", 0}},
    {"hướng dẫn", {"Hướng dẫn", "HD", 1}},
    {"thông báo", {"Thông báo", "TB", 1}},
    {"thông tư liên tịch", {"Thông tư liên tịch", "TTLT", 0}},
    {"thông tư", {"Thông tư", "TT TTLT", 1}},
    {"nghị định", {"Nghị định", "NĐ", 1}},
    {"công văn", {"Công văn", "CV", 1}},
    {"văn bản hợp nhất", {"Văn bản hợp nhất", "VBHN", 0}},
    {"văn bản", {"Văn bản", "*", 1}},
    {"công điện", {"Công điện", "CĐ", 1}},
    {"tờ trình", {"Tờ trình", "TTr", 1}},
    {"báo cáo thẩm tra", {"Báo cáo", "BC", 0}},
    {"báo cáo", {"Báo cáo", "BC", 0}},
    {"đề án", {"Đề án", "ĐA", 0}},
    {"dự án", {"Dự án", "DA", 0}},
    {"phương án", {"Phương án", "PA", 0}},
    {"quy chế", {"Quy chế", "QC", 0}},
    {"thông tri", {"Thông tri", "TT", 0}},
    {"thông cáo", {"Thông cáo", "TC", 0}},
    {"biên bản", {"Biên bản", "BB", 0}},
    {"hợp đồng", {"Hợp đồng", "HĐ", 0}},
    {"giấy mời", {"Giấy mời", "GM", 0}},
    {"pháp lệnh", {"Pháp lệnh", "", 0}},
    {"bộ luật", {"Bộ luật", "", 0}},
    {"luật", {"Luật", "", 0}},
    {"lệnh", {"Lệnh", "L", 0}},
    {"hiến pháp", {"Hiến pháp", "", 0}},
    {"bản ghi nhớ", {"Bản ghi nhớ", "BGN GN", 0}},
    {"bản thỏa thuận", {"Bản thỏa thuận", "BTT TTh", 0}},
    {"bản thoả thuận", {"Bản thỏa thuận", "BTT TTh", 0}},
    {"bản cam kết", {"Bản cam kết", "CK", 0}},
    {"bản sao y", {"Bản sao y", "SY", 0}},
    {"bản sao lục", {"Bản sao lục", "SL", 0}},
    {"bản trích sao", {"Bản trích sao", "TrS TS", 0}},
    {"bản sao", {"Bản sao", "BS", 0}},
    {"giấy ủy quyền", {"Giấy ủy quyền", "GUQ UQ", 0}},
    {"giấy uỷ quyền", {"Giấy ủy quyền", "GUQ UQ", 0}},
    {"giấy giới thiệu", {"Giấy giới thiệu", "GGT GT", 0}},
    {"giấy nghỉ phép", {"Giấy nghỉ phép", "GNP NP", 0}},
    {"giấy chứng nhận", {"Giấy chứng nhận", "CN", 0}},
    {"giấy đi đường", {"Giấy đi đường", "ĐĐ", 0}},
    {"giấy biên nhận hồ sơ", {"Giấy biên nhận hồ sơ", "BN", 0}},
    {"phiếu gửi", {"Phiếu gửi", "PG", 0}},
    {"phiếu chuyển", {"Phiếu chuyển", "PC", 0}},
    {"phiếu báo", {"Phiếu báo", "PB", 0}},
    {"phụ lục", {"Phụ lục", "PL", 0}},
};

/* The type words by their lower-case spelling, open addressing; an index
 * into type_words plus one (0: empty). */
static unsigned char tw_slots[SLOTS];
/* First words of the type words ("nghị", "quyết", "luật"): index + 1 of a
 * type word with that first word, 0 empty. */
static unsigned char tw_first_slots[SLOTS];

static void build_initials(void) {
  for (size_t i = 0; i < VBG__ARRAY_LEN(type_words); i++) {
    const char *k = type_words[i].lower;
    unsigned char c = (unsigned char)k[0];
    tw_initial[c] = 1;
    if (c >= 'a' && c <= 'z')
      tw_initial[c - 32] = 1;
    size_t n = strlen(k), h = key_hash(k, n);
    while (tw_slots[h] && strcmp(type_words[tw_slots[h] - 1].lower, k) != 0)
      h = (h + 1) & (SLOTS - 1);
    if (!tw_slots[h]) /* the first of equal spellings wins */
      tw_slots[h] = (unsigned char)(i + 1);
    size_t w = strcspn(k, " ");
    for (h = key_hash(k, w); tw_first_slots[h]; h = (h + 1) & (SLOTS - 1))
      if (strcspn(type_words[tw_first_slots[h] - 1].lower, " ") == w &&
          memcmp(type_words[tw_first_slots[h] - 1].lower, k, w) == 0)
        break;
    if (!tw_first_slots[h])
      tw_first_slots[h] = (unsigned char)(i + 1);
  }
}

int vbg__type_word_opens(const char *s, size_t len) {
  char low[96];
  size_t n = len <= 80 ? vbg__lower_fixed(low, sizeof(low), s, len) : SIZE_MAX;
  if (n == SIZE_MAX)
    return 1; /* not decided here */
  slots_ready();
  for (size_t h = key_hash(low, n); tw_first_slots[h];
       h = (h + 1) & (SLOTS - 1)) {
    const char *k = type_words[tw_first_slots[h] - 1].lower;
    if (strcspn(k, " ") == n && memcmp(k, low, n) == 0)
      return 1;
  }
  return 0;
}

/* Can a type word start with this ASCII byte, in either case? */
static int type_word_initial(unsigned char c) {
  slots_ready();
  return tw_initial[c];
}

/* vbg__lower_fixed() of s[0..len) into out (len + 1 bytes), or SIZE_MAX
 * when s holds anything but ASCII, NBSP and the letters Vietnamese is
 * written with, whose case partners differ from them in the last byte. */
static size_t lower_vietnamese(char *out, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = u[i], d = i + 1 < len ? u[i + 1] : 0;
    if (c < 0x80) {
      out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      continue;
    }
    if (c == 0xE1 && (d == 0xBA || d == 0xBB) && i + 2 < len &&
        (u[i + 2] & 0xC0) == 0x80 &&
        (d == 0xBA ? u[i + 2] >= 0xA0 : u[i + 2] <= 0xB9)) {
      /* U+1EA0..U+1EF9: upper case even */
      out[i] = (char)c;
      out[i + 1] = (char)d;
      out[i + 2] = (char)(u[i + 2] | 1);
      i += 2;
      continue;
    }
    if (c == 0xC2 && d == 0xA0) { /* NBSP */
    } else if (c == 0xC3 && d >= 0x80 && d <= 0xBE && d != 0xB7) {
      d = d <= 0x9E && d != 0x97 ? (unsigned char)(d + 0x20) : d; /* Latin-1 */
    } else if ((c == 0xC4 && (d == 0x82 || d == 0x83 || d == 0x90 ||
                              d == 0x91 || d == 0xA8 || d == 0xA9)) ||
               (c == 0xC5 && (d == 0xA8 || d == 0xA9)) ||
               (c == 0xC6 && (d == 0xA0 || d == 0xA1))) {
      d |= 1; /* Ă Đ Ĩ Ũ Ơ */
    } else if (c == 0xC6 && (d == 0xAF || d == 0xB0)) {
      d = 0xB0; /* Ư */
    } else {
      return SIZE_MAX;
    }
    out[i] = (char)c;
    out[i + 1] = (char)d;
    i++;
  }
  out[len] = '\0';
  return len;
}

const vbg__type_word *vbg__type_word_find(const char *s, size_t len) {
  /* the longest type word is "giấy biên nhận hồ sơ": 40 bytes is plenty */
  char raw[96], low[96];
  if (len == 0 || len > 80)
    return NULL;
  /* most words asked about are not type words: reject on an ASCII first
   * letter no type word has (white space and markup are dropped below) */
  unsigned char c0 = (unsigned char)s[0];
  if (c0 < 0x80 && c0 != ' ' && c0 != '\t' && c0 != '\n' && c0 != '\r' &&
      c0 != '*' && c0 != '_' && !type_word_initial(c0))
    return NULL;
  size_t n = lower_vietnamese(raw, s, len);
  if (n == SIZE_MAX)
    n = vbg__lower_fixed(raw, sizeof(raw), s, len);
  if (n == SIZE_MAX)
    return NULL;
  /* fold every run of white space (and markup, and NBSP) to one space */
  size_t m = 0;
  int space = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)raw[i];
    int ws =
        c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '*' || c == '_';
    if (!ws && c == 0xC2 && i + 1 < n && (unsigned char)raw[i + 1] == 0xA0) {
      ws = 1;
      i++;
    }
    if (ws) {
      space = 1;
      continue;
    }
    if (space && m > 0)
      low[m++] = ' ';
    space = 0;
    low[m++] = (char)c;
  }
  low[m] = '\0';
  /* strlen, not m: a NUL in the text ends the word as strcmp() did */
  return vbg__type_word_lower(low, strlen(low));
}

const vbg__type_word *vbg__type_word_lower(const char *low, size_t n) {
  slots_ready();
  for (size_t h = key_hash(low, n); tw_slots[h]; h = (h + 1) & (SLOTS - 1)) {
    const char *k = type_words[tw_slots[h] - 1].lower;
    if (strncmp(k, low, n) == 0 && k[n] == '\0')
      return &type_words[tw_slots[h] - 1].w;
  }
  return NULL;
}

int vbg__type_word_accepts(const vbg__type_word *w, const char *code) {
  const char *p = w->codes;
  if (p[0] == '*' && p[1] == '\0')
    return 1;
  if (!code)
    return 0;
  /* walk the space-separated list once, comparing each entry with code as
   * we go: resolving asks this for every pair of mentions of a number */
  while (*p) {
    const char *c = code;
    while (*p && *p != ' ' && *p == *c) {
      p++;
      c++;
    }
    if ((*p == ' ' || *p == '\0') && *c == '\0')
      return 1;
    while (*p && *p != ' ')
      p++;
    if (*p == ' ')
      p++;
  }
  return 0;
}

const char *vbg__issuer_full_name(const char *s, size_t len) {
  /* only ministries ("Bộ ...") are asked for by their full name */
  if (len < strlen("Bộ ") || memcmp(s, "Bộ ", strlen("Bộ ")) != 0)
    return NULL;
  for (size_t i = 0; i < VBG__ARRAY_LEN(issuers); i++)
    if (!issuers[i].local && !issuers[i].party &&
        strlen(issuers[i].name) == len &&
        memcmp(issuers[i].name, s, len) == 0 &&
        strncmp(issuers[i].name, "Bộ ", strlen("Bộ ")) == 0)
      return issuers[i].name;
  return NULL;
}
