/*
 * context.c - pipeline stage 4: the words around a reference give its
 * signing date, issuing body, Party term and title.
 *
 *   ... Kết luận số 114-KL/TƯ ngày 14-7-2015 của Ban Bí thư Trung ương Đảng
 *   (khóa XI) về “Nâng cao hiệu quả ...”
 *
 * After the code come attachments in a loose order (", ngày ...", "của X",
 * "(khóa XI)", "được X ban hành"), then the title.  Before it, the body may
 * be the subject ("UBND tỉnh Nghệ An ban hành Kế hoạch số ...") or stand in
 * "đề nghị của X tại Tờ trình số ...".  A header number ("Số: 12/QĐ-UBND")
 * takes its date from the place-and-date line.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ------------------------------------------------------------------ */
/* Words                                                               */
/* ------------------------------------------------------------------ */

typedef struct word {
  size_t s, e;
} word;

static int is_space_at(const char *s, size_t len, size_t i, size_t *k) {
  int32_t cp = vbg__utf8_decode(s, len, i, k);
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
         cp == '*' || cp == '_';
}

static size_t skip_ws(const char *s, size_t len, size_t i) {
  size_t k;
  while (i < len && is_space_at(s, len, i, &k))
    i += k;
  return i;
}

/* ASCII in words: 1 always (letters, digits, '&'), 2 only inside and before
 * a letter ('.', '-'). */
static const unsigned char word_ascii[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
    0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 2, 0, /* 0x20  & - . */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, /* 0x30  0-9 */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40  A-O */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* 0x50  P-Z */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60  a-o */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* 0x70  p-z */
};

/* The word (letters, digits, '.', '&', '-' inside) starting at i. */
static word next_word(const char *s, size_t len, size_t i) {
  word w = {i, i};
  while (w.e < len) {
    unsigned char c = (unsigned char)s[w.e];
    if (c < 0x80) {
      size_t k;
      if (word_ascii[c] == 1 ||
          (word_ascii[c] == 2 && w.e > w.s && w.e + 1 < len &&
           vbg__is_letter(vbg__utf8_decode(s, len, w.e + 1, &k)))) {
        w.e++;
        continue;
      }
      break;
    }
    /* Vietnamese letters not in Latin-1: U+0100..U+01BF (đ ă ơ ư) and
     * U+1E00..U+1EFF (ạ ế ộ ...), all letters, read without decoding */
    if (c >= 0xC4 && c <= 0xC6 && len - w.e >= 2 &&
        ((unsigned char)s[w.e + 1] & 0xC0) == 0x80) {
      w.e += 2;
      continue;
    }
    if (c == 0xE1 && len - w.e >= 3 && (unsigned char)s[w.e + 1] >= 0xB8 &&
        (unsigned char)s[w.e + 1] <= 0xBB &&
        ((unsigned char)s[w.e + 2] & 0xC0) == 0x80) {
      w.e += 3;
      continue;
    }
    size_t k;
    int32_t cp = vbg__utf8_decode(s, len, w.e, &k);
    if (!(vbg__is_letter(cp) || cp == 0x309))
      break;
    w.e += k;
  }
  return w;
}

static int word_is(const char *s, word w, const char *lit) {
  if (w.e == w.s || s[w.s] != lit[0]) /* no literal is empty */
    return 0;
  size_t n = strlen(lit);
  return w.e - w.s == n && memcmp(s + w.s, lit, n) == 0;
}

static const char *const heads[] = {
    "Ban",  "Bộ",    "Chính", "Thủ",    "Quốc",  "Ủy",    "Uỷ",     "Hội",
    "Tỉnh", "Thành", "Huyện", "Quận",   "Thị",   "Đảng",  "Thường", "Văn",
    "Sở",   "Cục",   "Tổng",  "Viện",   "Tòa",   "Toà",   "Trung",  "Giám",
    "Chủ",  "Mặt",   "Ngân",  "Kiểm",   "Thanh", "Đoàn",  "Liên",   "Tập",
    "Học",  "Bí",    "UBND",  "HĐND",   "HDND",  "BCH",   "BCHTW",  "TW",
    "TƯ",   "T.Ư",   "MTTQ",  "UBMTTQ", "BTV",   "ỦY",    "UỶ",     "THỦ",
    "BỘ",   "BAN",   "CHÍNH", "QUỐC",   "HỘI",   "THÀNH", "TỈNH",   "VĂN",
    "ƯBND",
};

static const char *const stops[] = {
    "về",    "ngày",  "tại",  "đã",   "đang", "được",  "trong", "nhằm",
    "để",    "thì",   "là",   "có",   "theo", "sẽ",    "với",   "đối",
    "cho",   "từ",    "khi",  "này",  "năm",  "quy",   "hướng", "sửa",
    "thay",  "triển", "thực", "cụ",   "phê",  "số",    "tháng", "các",
    "những", "đến",   "vừa",  "mới",  "nêu",  "kèm",   "gồm",   "bao",
    "hoặc",  "do",    "như",  "qua",  "ký",   "trên",  "nói",   "sau",
    "trước", "làm",   "nay",  "đây",  "đó",   "mà",    "ở",     "tổ",
    "chỉ",   "giao",  "yêu",  "đề",   "xây",  "tiếp",  "tiến",  "ngành",
    "cùng",  "người", "khóa", "khoá", "sáng", "chiều", "tối",   "hôm",
    "lúc",
};

/* Lower-case words that belong inside body names ("Ủy ban nhân dân tỉnh",
 * "Hội nghị lần thứ sáu", "Bộ Giao thông vận tải"). */
static const char *const inner[] = {
    "nhân", "dân",    "thành", "phố",  "tỉnh", "huyện", "quận", "xã",  "phường",
    "thị",  "trấn",   "lần",   "thứ",  "một",  "hai",   "ba",   "bốn", "năm",
    "sáu",  "bảy",    "tám",   "chín", "mười", "đảng",  "cán",  "sự",  "kiểm",
    "tra",  "thường", "vụ",    "hành", "ương", "chấp",  "bí",   "thư", "nghị",
    "đồng", "nước",   "tối",   "cao",  "vận",  "tải",   "trị",  "phủ", "tướng",
    "hội",  "ban",    "đạo",   "chỉ",  "khối",
};

/* What the context stage asks of one word: looked up once per distinct word
 * (a corpus repeats a few hundred of them), not with a walk through the
 * lists and a lower-casing at every visit. */
enum {
  W_HEAD = 1u << 0,  /* in heads[], as written */
  W_DANG = 1u << 1,  /* "Đảng", as written */
  W_STOP = 1u << 2,  /* lower-cased, in stops[] */
  W_INNER = 1u << 3, /* lower-cased, in inner[] */
  W_OPENS = 1u << 4, /* vbg__type_word_opens() */
  /* lower-cased, equal to ... */
  W_KHOA = 1u << 5, /* "khóa" or "khoá" */
  W_VA = 1u << 6,
  W_BAN = 1u << 7,
  W_HANH = 1u << 8,
  W_THU = 1u << 9, /* "thứ" */
  W_NGAY = 1u << 10,
  W_CUA = 1u << 11,
  W_DUOC = 1u << 12,
  W_DO = 1u << 13,
  W_HOI = 1u << 14,
  W_BO = 1u << 15,
};

static int in_list(const char *s, size_t n, const char *const *list,
                   size_t count) {
  for (size_t i = 0; i < count; i++)
    if (list[i][0] == s[0] && strlen(list[i]) == n &&
        memcmp(list[i], s, n) == 0)
      return 1;
  return 0;
}

static unsigned classify(const char *s, size_t n) {
  static const struct {
    const char *w;
    unsigned flag;
  } lows[] = {{"khóa", W_KHOA}, {"khoá", W_KHOA}, {"và", W_VA},
              {"ban", W_BAN},   {"hành", W_HANH}, {"thứ", W_THU},
              {"ngày", W_NGAY}, {"của", W_CUA},   {"được", W_DUOC},
              {"do", W_DO},     {"hội", W_HOI},   {"bộ", W_BO}};
  unsigned f = 0;
  if (in_list(s, n, heads, VBG__ARRAY_LEN(heads)))
    f |= W_HEAD;
  if (n == strlen("Đảng") && memcmp(s, "Đảng", n) == 0)
    f |= W_DANG;
  if (vbg__type_word_opens(s, n))
    f |= W_OPENS;
  /* a word whose lower case does not fit is none of the listed words */
  char low[64];
  size_t m = vbg__lower_fixed(low, sizeof(low), s, n);
  if (m == SIZE_MAX || m == 0)
    return f;
  if (in_list(low, m, stops, VBG__ARRAY_LEN(stops)))
    f |= W_STOP;
  if (in_list(low, m, inner, VBG__ARRAY_LEN(inner)))
    f |= W_INNER;
  for (size_t k = 0; k < VBG__ARRAY_LEN(lows); k++)
    if (strcmp(low, lows[k].w) == 0)
      f |= lows[k].flag;
  return f;
}

/* The answers for the last words seen, per thread, keyed by their bytes. */
#define MEMO_BITS 11
#define MEMO_SLOTS (1u << MEMO_BITS)
#define MEMO_TEXT 27
typedef struct memo_slot {
  uint64_t key; /* as made in word_flags(); 0: empty (no word's is) */
  char raw[MEMO_TEXT];
  unsigned flags;
} memo_slot;
static _Thread_local memo_slot memo[MEMO_SLOTS];

/* `tab` is this thread's memo: callers that ask about several words fetch
 * the thread-local address once. */
static unsigned word_flags(memo_slot *tab, const char *s, word w) {
  size_t n = w.e - w.s;
  const char *p = s + w.s;
  if (n == 0 || n > MEMO_TEXT)
    return n ? classify(p, n) : 0;
  /* the length and four bytes tell most words apart: no walk over all */
  uint64_t key = (uint64_t)(unsigned char)p[0] |
                 (uint64_t)(unsigned char)p[1 % n] << 8 |
                 (uint64_t)(unsigned char)p[n >> 1] << 16 |
                 (uint64_t)(unsigned char)p[n - 1] << 24 | (uint64_t)n << 32;
  memo_slot *m = &tab[(key * 0x9E3779B97F4A7C15u) >> (64 - MEMO_BITS)];
  /* the key holds the length and four bytes (all of a word of up to four);
   * words are short: a call to memcmp costs more than the loop */
  if (m->key == key) {
    size_t k = 2;
    while (k + 1 < n && m->raw[k] == p[k])
      k++;
    if (k + 1 >= n)
      return m->flags;
  }
  m->flags = classify(p, n);
  m->key = key;
  memcpy(m->raw, p, n);
  return m->flags;
}

/* Is the line from i on written in capitals (a document title)? */
static int all_caps(const char *s, size_t i, size_t len) {
  size_t upper = 0;
  for (size_t k = i; k < len && k < i + 80 && s[k] != '\n';) {
    size_t n;
    int32_t cp = vbg__utf8_decode(s, len, k, &n);
    if (vbg__is_lower(cp))
      return 0; /* one small letter decides */
    upper += vbg__is_upper(cp);
    k += n;
  }
  return upper > 3;
}

/* Is s[a..b) the full name of a central body ("Bộ Nội vụ", "Chính phủ")? */
static int complete_name(const char *s, size_t a, size_t b) {
#define NAME(x)                                                                \
  { sizeof(x) - 1, x }
  static const struct {
    size_t n;
    const char *name;
  } names[] = {NAME("Chính phủ"), NAME("Thủ tướng Chính phủ"),
               NAME("Bộ Chính trị"), NAME("Quốc hội"),
               NAME("Ban Bí thư Trung ương Đảng")};
#undef NAME
  for (size_t k = 0; k < VBG__ARRAY_LEN(names); k++)
    if (names[k].n == b - a && memcmp(s + a, names[k].name, b - a) == 0)
      return 1;
  const char *name = vbg__issuer_full_name(s + a, b - a);
  return name != NULL;
}

/* Does a type word ("Quyết định") start with the word a (next_word() at its
 * start), whose word_flags() are `flags`? */
static int starts_type_word(const char *s, size_t len, word a, unsigned flags) {
  if (a.e == a.s || !(flags & W_OPENS))
    return 0;
  size_t j = skip_ws(s, len, a.e);
  word b = next_word(s, len, j);
  if (b.e > b.s && vbg__type_word_find(s + a.s, b.e - a.s))
    return 1;
  return vbg__type_word_find(s + a.s, a.e - a.s) != NULL;
}

/*
 * A body name starting at i: returns its end (after a trailing "(khóa XI)"
 * when present), or 0 when what stands there is not a body.
 */
static size_t body_phrase(const char *s, size_t len, size_t i) {
  word w = next_word(s, len, i);
  memo_slot *tab = memo;
  unsigned wf = w.e == w.s ? 0 : word_flags(tab, s, w);
  if (!(wf & W_HEAD))
    return 0;
  size_t end = w.e, nwords = 1, pos = w.e;
  int only_dang = (wf & W_DANG) != 0, prev_cap = 1, prev_thu = 0;
  /* all_caps(s, w.s, len), only worked out when a test needs it */
  int caps = -1;
#define CAPS() (caps < 0 ? (caps = all_caps(s, w.s, len)) : caps)
  while (nwords < 18) {
    size_t j = pos;
    /* whitespace, but not a blank line */
    int newlines = 0;
    size_t k;
    while (j < len && is_space_at(s, len, j, &k)) {
      newlines += s[j] == '\n';
      j += k;
    }
    if (newlines > 1 || j >= len)
      break;
    if (s[j] == '(' || s[j] == ',') {
      /* "(khóa XI)" ends the name; ", Ban Bí thư" continues a pair */
      size_t q = skip_ws(s, len, j + 1);
      word t = next_word(s, len, q);
      if (s[j] == '(' && (word_is(s, t, "lần") || word_is(s, t, "Lần"))) {
        const char *close =
            memchr(s + t.e, ')', len - t.e < 12 ? len - t.e : 12);
        if (!close)
          break;
        pos = (size_t)(close - s) + 1;
        continue;
      }
      if (s[j] == '(' && (word_is(s, t, "khóa") || word_is(s, t, "khoá") ||
                          word_is(s, t, "Khóa") || word_is(s, t, "Khoá") ||
                          word_is(s, t, "KHÓA"))) {
        const char *close =
            memchr(s + t.e, ')', len - t.e < 12 ? len - t.e : 12);
        if (close)
          end = (size_t)(close - s) + 1;
        break;
      }
      if (s[j] == ',' &&
          (word_is(s, t, "Ban") || word_is(s, t, "Bộ") ||
           word_is(s, t, "Thể")) &&
          !starts_type_word(s, len, t, word_flags(tab, s, t))) {
        pos = q;
        continue;
      }
      break;
    }
    word n = next_word(s, len, j);
    if (n.e == n.s)
      break;
    size_t c;
    int32_t first = vbg__utf8_decode(s, len, n.s, &c);
    unsigned f = word_flags(tab, s, n);
    int upper = vbg__is_upper(first), lower = vbg__is_lower(first);
    if (f & W_KHOA) {
      size_t q = skip_ws(s, len, n.e);
      word t = next_word(s, len, q);
      if (t.e > t.s && strchr("IVXLC0123456789", s[t.s]))
        end = t.e;
      break;
    }
    if (f & W_VA) {
      size_t q = skip_ws(s, len, n.e);
      word t = next_word(s, len, q);
      size_t c2;
      if (t.e == t.s || !vbg__is_upper(vbg__utf8_decode(s, len, t.s, &c2)) ||
          starts_type_word(s, len, t, word_flags(tab, s, t)))
        break;
      pos = n.e;
      prev_cap = 0;
      nwords++;
      continue;
    }
    if (f & W_BAN) {
      word t = next_word(s, len, skip_ws(s, len, n.e));
      if (t.e - t.s == strlen("hành") && (word_flags(tab, s, t) & W_HANH))
        break;
    }
    if ((f & W_STOP) && (lower || CAPS()))
      break;
    /* "Bộ Nội vụ Nguyễn Văn A": a complete name is not followed by more
     * capitalised words, except a place */
    if (upper && complete_name(s, i, end) && !CAPS())
      break;
    if (upper && starts_type_word(s, len, n, f))
      break;
    if (first >= '0' && first <= '9' && !prev_thu)
      break;
    if (lower && !prev_cap && !(f & W_INNER) && !CAPS())
      break;
    prev_cap = upper;
    prev_thu = (f & W_THU) != 0;
    end = n.e;
    pos = n.e;
    nwords++;
    only_dang = 0;
  }
#undef CAPS
  if (only_dang)
    return 0;
  return end;
}

size_t vbg__body_phrase(const char *s, size_t len, size_t i) {
  return body_phrase(s, len, i);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

static int valid_date(int d, int m, int y) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return y >= 1930 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
         d <= days[m - 1];
}

/* Read a date match of a pattern whose groups are g (d m y, then d2 m2
 * y2: vbg__groups); returns a fresh ISO string or NULL (also for an
 * impossible date). */
static char *date_from(const int *g, const char *s, const size_t *ov) {
  for (int i = 0; i < 2; i++) {
    int gd = g[3 * i];
    if (gd < 0 || ov[2 * gd] == SIZE_MAX)
      continue;
    int gm = g[3 * i + 1], gy = g[3 * i + 2];
    int d = (int)vbg__digits_value(s + ov[2 * gd], ov[2 * gd + 1] - ov[2 * gd]),
        m = (int)vbg__digits_value(s + ov[2 * gm], ov[2 * gm + 1] - ov[2 * gm]),
        y = (int)vbg__digits_value(s + ov[2 * gy], ov[2 * gy + 1] - ov[2 * gy]);
    if (!valid_date(d, m, y))
      return NULL;
    /* valid_date bounds every field: yyyy-mm-dd without printf */
    char iso[11] = {(char)('0' + y / 1000),
                    (char)('0' + y / 100 % 10),
                    (char)('0' + y / 10 % 10),
                    (char)('0' + y % 10),
                    '-',
                    (char)('0' + m / 10),
                    (char)('0' + m % 10),
                    '-',
                    (char)('0' + d / 10),
                    (char)('0' + d % 10),
                    '\0'};
    return vbg__strdup(iso);
  }
  return NULL;
}

static int set_body(vbg__cand *c, const char *s, size_t a, size_t b) {
  if (c->issuer_body)
    return VBG_OK;
  vbg_buf out;
  vbg_buf_init(&out);
  char *term = NULL;
  int err = vbg__body_canonical(&out, &term, s + a, b - a);
  if (err == 0 && out.size > 0)
    c->issuer_body = vbg__buf_detach(&out);
  if (term && !c->term)
    c->term = term;
  else
    vbg__free(term);
  vbg_buf_dispose(&out);
  return err;
}

static int starts_with(const char *s, size_t len, size_t i, const char *lit) {
  size_t n = strlen(lit);
  return len - i >= n && memcmp(s + i, lit, n) == 0;
}

/* The flags of the word at i when it is followed by white space and shorter
 * than 32 bytes; 0 otherwise.  *w gets the word. */
static unsigned kw_word(const char *s, size_t len, size_t i, word *w) {
  *w = next_word(s, len, i);
  size_t k;
  if (w->e == w->s || w->e >= len || w->e - w->s >= 32 ||
      !is_space_at(s, len, w->e, &k))
    return 0;
  return word_flags(memo, s, *w);
}

/* ------------------------------------------------------------------ */
/* After the reference                                                 */
/* ------------------------------------------------------------------ */

/* "về" in any case at p: v or V, then U+1EC1 or U+1EC0. */
static int ve_at(const char *s, size_t p, size_t end) {
  return end - p >= 4 && (s[p] | 0x20) == 'v' && s[p + 1] == '\xE1' &&
         s[p + 2] == '\xBB' && (s[p + 3] == '\x81' || s[p + 3] == '\x80');
}

/* "việc" in any case at p: v, i, U+1EC7 or U+1EC6, c. */
static int viec_at(const char *s, size_t p, size_t end) {
  return end - p >= 6 && (s[p] | 0x20) == 'v' && (s[p + 1] | 0x20) == 'i' &&
         s[p + 2] == '\xE1' && s[p + 3] == '\xBB' &&
         (s[p + 4] == '\x87' || s[p + 4] == '\x86') && (s[p + 5] | 0x20) == 'c';
}

/* May the character at s[p] (p < end, not ASCII) be white space or the
 * quote “?  Those are U+0085, U+00A0, U+1680, U+180E and U+2000..U+3000,
 * whose UTF-8 starts with C2, E1, E2 or E3; E1 B8..E1 BB are letters
 * (U+1E00..U+1EFF), as are the other lead bytes Vietnamese uses. */
static int maybe_space(const char *s, size_t p, size_t end) {
  unsigned char c = (unsigned char)s[p];
  if (c == 0xE1 && end - p >= 2)
    return (unsigned char)s[p + 1] < 0xB8 || (unsigned char)s[p + 1] > 0xBB;
  return c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3;
}

/* Can the title pattern ([\s,]* "về" \s+ ("việc" \s+)? and a quote) match
 * at p?  Most references have no title, and PCRE2 costs more than this look
 * at the first bytes.  Every ASCII byte \s matches is at most ' ' (the other
 * bytes up to ' ' cannot stand there either); a character that may be a
 * Unicode space or the opening quote is left to PCRE2. */
static int may_open_title(const char *s, size_t p, size_t end) {
  while (p < end && ((unsigned char)s[p] <= ' ' || s[p] == ','))
    p++;
  if (p < end && (unsigned char)s[p] >= 0x80)
    return maybe_space(s, p, end);
  if (!ve_at(s, p, end))
    return 0;
  p += 4;
  for (int viec = 0;; viec = 1) {
    while (p < end && (unsigned char)s[p] <= ' ')
      p++;
    if (p >= end)
      return 0;
    if (s[p] == '"' || ((unsigned char)s[p] >= 0x80 && maybe_space(s, p, end)))
      return 1;
    if (viec || !viec_at(s, p, end))
      return 0;
    p += 6;
  }
}

/* ------------------------------------------------------------------ */
/* The date pattern, by hand                                           */
/* ------------------------------------------------------------------ */

/* scan.c's date pattern, anchored, matched without PCRE2 where every
 * character in the way can be classed exactly:
 *
 *   (?i)(?:ngày\s*)?(?:D DSEP M DSEP YYYY(?!\d)
 *                     |D [\s*_]+ tháng [\s*_]+ M [\s*_]+ năm [\s*_]+
 * YYYY(?!\d))
 *
 * with D and M one or two digits and DSEP \h*[/.∕ dashes]\h*.  Nothing
 * there can backtrack into another answer: the words and separators are
 * not spaces, and digits are neither.  Where \d meets a character outside
 * ASCII (a digit of another script?), or \s or \h a space PCRE2 may class
 * otherwise than Unicode does, the answer is -1: ask PCRE2. */
#define DM_BAIL ((size_t)-2) /* a character not classed exactly */
#define DM_FAIL SIZE_MAX

static int dm_sep(int32_t cp) {
  return cp == '/' || cp == '.' || cp == 0x2215 || cp == '-' ||
         (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

/* Skip \h* (what 0), \s* (1) or [\s*_]* (2) from i: where it stops, or
 * DM_BAIL at U+180E (in PCRE2's \h list, no longer a space in Unicode) or
 * a byte that is no character. */
static size_t dm_skip(const char *s, size_t len, size_t i, int what) {
  while (i < len) {
    size_t k;
    int32_t cp = vbg__utf8_decode(s, len, i, &k);
    if (!(vbg__pcre_hspace(cp) || (what >= 1 && vbg__pcre_vspace(cp)) ||
          (what == 2 && (cp == '*' || cp == '_'))))
      return cp == 0x180E || cp < 0 ? DM_BAIL : i;
    i += k;
  }
  return i;
}

/* Might PCRE2 read the character at s[i] (not ASCII) as \d, a decimal
 * digit of any script?  The first such is U+0660; the Latin and Greek
 * extensions and U+2000..U+2BFF (punctuation, symbols, number forms) hold
 * none. */
static int dm_odd(const char *s, size_t len, size_t i) {
  size_t k;
  int32_t cp = vbg__utf8_decode(s, len, i, &k);
  return !(cp >= 0 && (cp < 0x660 || (cp >= 0x1E00 && cp <= 0x2BFF)));
}

/* \d{1,max} at i, and no digit after it when `whole`: the end, DM_FAIL,
 * or DM_BAIL where a character outside ASCII might be a digit. */
static size_t dm_digits(const char *s, size_t len, size_t i, size_t max,
                        int whole) {
  size_t e = i;
  while (e < len && e - i <= max && s[e] >= '0' && s[e] <= '9')
    e++;
  size_t n = e - i;
  int odd = e < len && (unsigned char)s[e] >= 0x80 && dm_odd(s, len, e);
  if (n == 0)
    return odd ? DM_BAIL : DM_FAIL;
  if (n > max) /* a digit right after the most it takes: no separator */
    return DM_FAIL;
  return odd && (n < max || whole) ? DM_BAIL : e;
}

/* A word at i, each letter in either case (all that caseless matching
 * allows for these letters): lower and upper are its two spellings, whose
 * two-byte letters differ in the second byte only.  The end or DM_FAIL. */
static size_t dm_word(const char *s, size_t len, size_t i, const char *lower,
                      const char *upper) {
  if (i >= DM_BAIL)
    return i;
  size_t k = 0;
  for (; lower[k]; k++) {
    if (i + k >= len)
      return DM_FAIL;
    char c = s[i + k];
    if (c != lower[k] && c != upper[k])
      return DM_FAIL;
  }
  return i + k;
}

/* One part of the pattern at `at` (or DM_FAIL / DM_BAIL, passed on): where
 * it ends. */
typedef enum dm_part {
  DM_D,    /* \d{1,2} */
  DM_YEAR, /* \d{4}(?!\d) */
  DM_DSEP, /* \h*[separator]\h* */
  DM_GAP   /* [\s*_]+ */
} dm_part;

static size_t dm_step(const char *s, size_t len, size_t at, dm_part part) {
  if (at >= DM_BAIL)
    return at;
  size_t e, k;
  switch (part) {
  case DM_D:
    return dm_digits(s, len, at, 2, 0);
  case DM_YEAR:
    e = dm_digits(s, len, at, 4, 1);
    return e < DM_BAIL && e - at != 4 ? DM_FAIL : e;
  case DM_DSEP:
    e = dm_skip(s, len, at, 0);
    if (e >= DM_BAIL)
      return e;
    if (e >= len || !dm_sep(vbg__utf8_decode(s, len, e, &k)))
      return DM_FAIL;
    return dm_skip(s, len, e + k, 0);
  default:
    e = dm_skip(s, len, at, 2);
    return e == at ? DM_FAIL : e;
  }
}

static void dm_set(size_t *ov, int g, size_t a, size_t b) {
  ov[2 * g] = a;
  ov[2 * g + 1] = b;
}

/* 1 with ov (8 pairs) filled as PCRE2 fills them, 0 for no match, -1: ask
 * PCRE2.  g's date groups lie in 1..7 (date_by_hand). */
static int date_match(const char *s, size_t len, size_t at,
                      const vbg__groups *g, size_t *ov) {
  for (int j = 0; j < 16; j++)
    ov[j] = SIZE_MAX;
  /* (?:ngày\s*)?: when the rest fails after it, it fails without it too,
   * at "n", which is no digit */
  size_t p = dm_word(s, len, at, "ngày", "NGÀY");
  p = p == DM_FAIL ? at : dm_skip(s, len, p, 1);
  if (p == DM_BAIL)
    return -1;
  size_t e = dm_step(s, len, p, DM_D);
  /* D DSEP M DSEP YYYY(?!\d) */
  const int *gs = g->date;
  size_t m = dm_step(s, len, e, DM_DSEP);
  size_t me = dm_step(s, len, m, DM_D);
  size_t y = dm_step(s, len, me, DM_DSEP);
  size_t ye = dm_step(s, len, y, DM_YEAR);
  if (ye == DM_FAIL) {
    /* D [\s*_]+ tháng [\s*_]+ M [\s*_]+ năm [\s*_]+ YYYY(?!\d) */
    gs = g->date + 3;
    size_t t = dm_word(s, len, dm_step(s, len, e, DM_GAP), "tháng", "THÁNG");
    m = dm_step(s, len, t, DM_GAP);
    me = dm_step(s, len, m, DM_D);
    size_t n = dm_word(s, len, dm_step(s, len, me, DM_GAP), "năm", "NĂM");
    y = dm_step(s, len, n, DM_GAP);
    ye = dm_step(s, len, y, DM_YEAR);
    if (ye == DM_FAIL)
      return 0;
  }
  if (ye == DM_BAIL)
    return -1;
  ov[0] = at;
  ov[1] = ye;
  dm_set(ov, gs[0], p, e);
  dm_set(ov, gs[1], m, me);
  dm_set(ov, gs[2], y, ye);
  return 1;
}

/* Can date_match answer for PCRE2: the date groups fit in 8 pairs, and no
 * test limit applies? */
static int date_by_hand(const vbg__win *w) {
  for (int k = 0; k < 6; k++)
    if (w->ex->g.date[k] < 1 || w->ex->g.date[k] > 7)
      return 0;
  return !vbg__re_limited(w->ex->pats[VBG__PAT_DATE], w->m);
}

/* Tests only (tests/unit/test_date.c): date_match with the groups g. */
int vbg__date_match_for_tests(const char *s, size_t len, size_t at,
                              const vbg__groups *g, size_t *ov);
int vbg__date_match_for_tests(const char *s, size_t len, size_t at,
                              const vbg__groups *g, size_t *ov) {
  return date_match(s, len, at, g, ov);
}

/* What follows c's number: date, term, issuing body.  by_hand: dates may
 * be matched by date_match (date_by_hand). */
static int tail(vbg__win *w, vbg__cand *c, int by_hand) {
  const char *s = w->t->s;
  size_t len = w->t->len, p = c->code_end, ov[2 * 8];
  const vbg__re *date = w->ex->pats[VBG__PAT_DATE];
  for (int step = 0; step < 5; step++) {
    size_t q = skip_ws(s, len, p);
    int paren = 0;
    if (q < len && s[q] == ',')
      q = skip_ws(s, len, q + 1);
    if (q < len && s[q] == '(') {
      paren = 1;
      q = skip_ws(s, len, q + 1);
    }
    word qw; /* the word at q; qf its flags, if it is a keyword */
    unsigned qf = kw_word(s, len, q, &qw);
    int has_ngay = (qf & W_NGAY) != 0;
    size_t dq = q;
    if (starts_with(s, len, q, "ban hành ngày") ||
        starts_with(s, len, q, "ký ngày"))
      dq = q + (s[q] == 'b' ? strlen("ban hành ") : strlen("ký ")),
      has_ngay = 1;
    if (has_ngay || paren) {
      int r = by_hand ? date_match(s, len, dq, &w->ex->g, ov) : -1;
      if (r < 0)
        r = vbg__re_match(date, w->m, s, len, dq, VBG__MATCH_ANCHORED, ov, 8);
      if (r < 0)
        return r;
      if (r == 1) {
        if (!c->date)
          c->date = date_from(w->ex->g.date, s, ov);
        p = ov[1];
        if (paren) {
          size_t z = skip_ws(s, len, p);
          if (z < len && s[z] == ')')
            p = z + 1;
        } else {
          /* "ngày 17/10/1998 Hội nghị lần thứ sáu BCHTW Đảng" */
          size_t b = skip_ws(s, len, p), e = body_phrase(s, len, b);
          word bw;
          if (e && b < len && s[b] != '\n' &&
              (kw_word(s, len, b, &bw) & (W_HOI | W_BAN | W_BO))) {
            int err = set_body(c, s, b, e);
            if (err < 0)
              return err;
            p = e;
          }
        }
        continue;
      }
    }
    if (paren) {
      /* "(khóa XI)" right after the code */
      int r = vbg__re_match(w->ex->pats[VBG__PAT_TERM], w->m, s, len, q - 1,
                            VBG__MATCH_ANCHORED, ov, 2);
      if (r < 0)
        return r; /* a match limit hit is reported, not taken as no match */
      if (r == 1) {
        char *term = NULL;
        vbg_buf tmp;
        vbg_buf_init(&tmp);
        vbg__body_canonical(&tmp, &term, s + ov[0], ov[1] - ov[0]);
        vbg_buf_dispose(&tmp);
        if (!c->term)
          c->term = term;
        else
          vbg__free(term);
        p = ov[1];
        continue;
      }
      break;
    }
    if (qf & W_CUA) {
      size_t b = skip_ws(s, len, qw.e);
      size_t e = body_phrase(s, len, b);
      if (!e)
        break;
      int err = set_body(c, s, b, e);
      if (err < 0)
        return err;
      p = e;
      continue;
    }
    if (qf & (W_DUOC | W_DO)) {
      size_t b = skip_ws(s, len, qw.e);
      size_t e = body_phrase(s, len, b);
      size_t v = e ? skip_ws(s, len, e) : 0;
      if (e && (starts_with(s, len, v, "ban hành") ||
                starts_with(s, len, v, "ký"))) {
        int err = set_body(c, s, b, e);
        if (err < 0)
          return err;
        p = v + (s[v] == 'b' ? strlen("ban hành") : strlen("ký"));
        continue;
      }
      break;
    }
    break;
  }
  c->tail_end = p;
  /* The subject ends where the longest title could: PCRE2 would otherwise
   * look for the closing quote all the way to the end of the text, at each
   * of the thousands of references a long line may hold. */
  size_t title_end = len - p > 4096 ? p + 4096 : len;
  int r = may_open_title(s, p, title_end)
              ? vbg__re_match(w->ex->pats[VBG__PAT_TITLE], w->m, s, title_end,
                              p, VBG__MATCH_ANCHORED, ov, 2)
              : 0;
  if (r < 0)
    return r;
  if (r == 1 && !c->title) {
    int gt = vbg__group(w->ex->pats[VBG__PAT_TITLE], "t");
    vbg_buf tmp;
    vbg_buf_init(&tmp);
    /* collapse the line breaks of a wrapped title */
    int err = 0;
    int space = 0;
    for (size_t i = ov[2 * gt]; err == 0 && i < ov[2 * gt + 1]; i++) {
      char ch = s[i];
      if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
        space = 1;
        continue;
      }
      if (space && tmp.size)
        err = vbg__buf_putc(&tmp, ' ');
      space = 0;
      if (err == 0)
        err = vbg__buf_putc(&tmp, ch);
    }
    if (err == 0)
      c->title = vbg__buf_detach(&tmp);
    vbg_buf_dispose(&tmp);
    if (err < 0)
      return err;
    c->tail_end = ov[1];
  }
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* Before the reference                                                */
/* ------------------------------------------------------------------ */

/* The bytes that end a clause: . ; , : ( ) newline " */
static const unsigned char clause_end[256] = {
    ['.'] = 1, [';'] = 1, [','] = 1,  [':'] = 1,
    ['('] = 1, [')'] = 1, ['\n'] = 1, ['"'] = 1};

static size_t clause_start(const char *s, size_t at, size_t span) {
  size_t lo = at > span ? at - span : 0;
  size_t i = at;
#if defined(__SSE2__)
  /* sixteen bytes a step back: clauses run for tens of bytes */
  while (i - lo >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 16));
    __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8(';'))),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8(':')))),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('(')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8(')'))),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('"')))));
    unsigned bits = (unsigned)_mm_movemask_epi8(m);
    if (bits) /* the last of them */
      return i - 16 + (size_t)(31 - __builtin_clz(bits)) + 1;
    i -= 16;
  }
#endif
  while (i > lo) {
    if (clause_end[(unsigned char)s[i - 1]])
      return i;
    i--;
  }
  while (i < at && ((unsigned char)s[i] & 0xC0) == 0x80)
    i++;
  return i;
}

/* Can the issuing-verb pattern match in s[lo..end)?  Its match ends in a
 * verb (or "các", "những") and then only [\s*_]* up to `end`: past the
 * ASCII spaces and markup, a text that ends in none of these words cannot
 * match, unless a Unicode space (not a letter) stands there, which is left
 * to PCRE2.  Most references stand after no such verb. */
static int may_end_issue_verb(const char *s, size_t lo, size_t end) {
  static const struct {
    size_t n;
    const char *w;
  } ends[] = {{sizeof("hành") - 1, "hành"}, {sizeof("ký") - 1, "ký"},
              {sizeof("có") - 1, "có"},     {sizeof("ra") - 1, "ra"},
              {sizeof("qua") - 1, "qua"},   {sizeof("dựng") - 1, "dựng"},
              {sizeof("các") - 1, "các"},   {sizeof("những") - 1, "những"}};
  size_t e = end;
  while (e > lo &&
         ((unsigned char)s[e - 1] <= ' ' || s[e - 1] == '*' || s[e - 1] == '_'))
    e--;
  if (e == lo)
    return 0;
  for (size_t k = 0; k < VBG__ARRAY_LEN(ends); k++)
    if (e - lo >= ends[k].n &&
        memcmp(s + e - ends[k].n, ends[k].w, ends[k].n) == 0)
      return 1;
  if ((unsigned char)s[e - 1] < 0x80)
    return 0;
  size_t k;
  return !vbg__is_letter(vbg__utf8_decode_back(s, e, &k));
}

/* ------------------------------------------------------------------ */
/* The issuing verb, by hand                                           */
/* ------------------------------------------------------------------ */

/* scan.c's issueverb pattern (case-sensitive), over s[lo..end) and ending
 * at end:
 *
 *   (?<!\p{L}) ADV* VERB (?:\s+(?:các|những))? [\s*_]* \z
 *   ADV  = (?:đã|vừa|mới|chính\s+thức|đã\s+ký)\s+
 *   VERB = ký\s+ban\s+hành|ban\s+hành|ký|có|ra|phát\s+hành|thông\s+qua
 *          |xây\s+dựng
 *
 * PCRE2 gives the leftmost start from which it matches.  Read backwards
 * from the end, every part is decided by the words there (none of the
 * words ends another, but "ban hành" ends "ký ban hành"), so the starts it
 * can have are few: the verb's, then each adverb's before it.  The
 * leftmost of them that no letter precedes is PCRE2's.  Where a space or
 * the character before a start cannot be classed exactly, the answer is
 * -1: ask PCRE2. */

/* \s under UCP for a code point that is not ASCII: 1 yes, 0 no, -1 U+180E
 * (in PCRE2's \h list, no longer a space in Unicode) or a bad byte. */
static int iv_uspace(int32_t cp) {
  if (cp == 0x180E || cp < 0)
    return -1;
  return vbg__pcre_hspace(cp) || vbg__pcre_vspace(cp);
}

/* Back over \s (and '*' and '_' when tail) from e, not below lo: where it
 * stops, or DM_BAIL. */
static size_t iv_back_space(const char *s, size_t lo, size_t e, int tail) {
  while (e > lo) {
    unsigned char c = (unsigned char)s[e - 1];
    if (c < 0x80) {
      if (c == ' ' || (c >= '\t' && c <= '\r') ||
          (tail && (c == '*' || c == '_')))
        e--;
      else
        return e;
      continue;
    }
    size_t k;
    int sp = iv_uspace(vbg__utf8_decode_back(s, e, &k));
    if (sp < 0)
      return DM_BAIL;
    if (!sp)
      return e;
    e -= k;
  }
  return e;
}

/* Does s[lo..e) end with the word w?  Its start, or DM_FAIL. */
static size_t iv_ends(const char *s, size_t lo, size_t e, const char *w) {
  size_t n = strlen(w);
  return e - lo >= n && memcmp(s + e - n, w, n) == 0 ? e - n : DM_FAIL;
}

/* Two words, w1 \s+ w2, ending at e: where w1 starts, DM_FAIL or DM_BAIL. */
static size_t iv_ends2(const char *s, size_t lo, size_t e, const char *w1,
                       const char *w2) {
  size_t b = iv_ends(s, lo, e, w2);
  if (b == DM_FAIL)
    return b;
  size_t a = iv_back_space(s, lo, b, 0);
  if (a == DM_BAIL || a == b)
    return a == DM_BAIL ? DM_BAIL : DM_FAIL;
  return iv_ends(s, lo, a, w1);
}

/* May a match start at x: no letter before it?  1, 0, or -1 when the
 * character there cannot be classed exactly. */
static int iv_start_ok(const char *s, size_t x) {
  if (x == 0)
    return 1;
  unsigned char c = (unsigned char)s[x - 1];
  if (c < 0x80)
    return !((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  size_t k;
  int32_t cp = vbg__utf8_decode_back(s, x, &k);
  if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
      (cp >= 0x1E00 && cp <= 0x1EFF))
    return 0; /* Latin letters */
  if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x206F) ||
      (cp >= 0x300 && cp <= 0x36F))
    return 1; /* spaces, punctuation, combining marks */
  return -1;
}

/* Keep x as the leftmost start so far when it may start a match. */
static int iv_take(const char *s, size_t lo, size_t x, size_t *best) {
  if (x >= DM_BAIL || x < lo)
    return x == DM_BAIL ? -1 : 0;
  int ok = iv_start_ok(s, x);
  if (ok > 0 && x < *best)
    *best = x;
  return ok < 0 ? -1 : 0;
}

/* The starts a verb at v can have: v, then each adverb before it. */
static int iv_starts(const char *s, size_t lo, size_t v, size_t *best) {
  if (v >= DM_BAIL)
    return v == DM_BAIL ? -1 : 0;
  while (v != DM_FAIL && v >= lo) {
    if (iv_take(s, lo, v, best) < 0)
      return -1;
    size_t p = iv_back_space(s, lo, v, 0);
    if (p == DM_BAIL)
      return -1;
    if (p == v)
      return 0; /* no \s+: no adverb before */
    size_t a = iv_ends(s, lo, p, "đã");
    if (a == DM_FAIL)
      a = iv_ends(s, lo, p, "vừa");
    if (a == DM_FAIL)
      a = iv_ends(s, lo, p, "mới");
    if (a == DM_FAIL)
      a = iv_ends2(s, lo, p, "chính", "thức");
    if (a == DM_FAIL)
      a = iv_ends2(s, lo, p, "đã", "ký");
    if (a == DM_BAIL)
      return -1;
    v = a;
  }
  return 0;
}

/* 1 with *start set, 0 for no match, -1: ask PCRE2. */
static int issue_verb_match(const char *s, size_t lo, size_t end,
                            size_t *start) {
  size_t e = iv_back_space(s, lo, end, 1);
  if (e == DM_BAIL)
    return -1;
  /* (?:\s+(?:các|những))? */
  size_t t = iv_ends(s, lo, e, "các");
  if (t == DM_FAIL)
    t = iv_ends(s, lo, e, "những");
  if (t != DM_FAIL) {
    e = iv_back_space(s, lo, t, 0);
    if (e == DM_BAIL)
      return -1;
    if (e == t)
      return 0; /* "các" glued to the word before: no verb ends in it */
  }
  size_t best = SIZE_MAX;
  static const char *const one[] = {"ký", "có", "ra"};
  for (size_t k = 0; k < VBG__ARRAY_LEN(one); k++)
    if (iv_starts(s, lo, iv_ends(s, lo, e, one[k]), &best) < 0)
      return -1;
  static const char *const two[][2] = {
      {"ban", "hành"}, {"phát", "hành"}, {"thông", "qua"}, {"xây", "dựng"}};
  for (size_t k = 0; k < VBG__ARRAY_LEN(two); k++) {
    size_t v = iv_ends2(s, lo, e, two[k][0], two[k][1]);
    if (iv_starts(s, lo, v, &best) < 0)
      return -1;
    if (k == 0 && v < DM_BAIL) { /* ký\s+ban\s+hành */
      size_t p = iv_back_space(s, lo, v, 0);
      if (p == DM_BAIL)
        return -1;
      if (p != v && iv_starts(s, lo, iv_ends(s, lo, p, "ký"), &best) < 0)
        return -1;
    }
  }
  if (best == SIZE_MAX)
    return 0;
  *start = best;
  return 1;
}

int vbg__issue_verb(vbg__win *w, size_t lo, size_t end, size_t *start) {
  const vbg__re *re = w->ex->pats[VBG__PAT_ISSUEVERB];
  int r = vbg__re_limited(re, w->m) ? -1
                                    : issue_verb_match(w->t->s, lo, end, start);
  if (r >= 0)
    return r;
  size_t ov[2];
  r = vbg__re_match(re, w->m, w->t->s, end, lo, 0, ov, 1);
  if (r == 1)
    *start = ov[0];
  return r;
}

/* Tests only (tests/unit/test_date.c): issue_verb_match. */
int vbg__issue_verb_for_tests(const char *s, size_t lo, size_t end,
                              size_t *start);
int vbg__issue_verb_for_tests(const char *s, size_t lo, size_t end,
                              size_t *start) {
  return issue_verb_match(s, lo, end, start);
}

/* "UBND tỉnh Nghệ An đã ban hành Kế hoạch số ..." */
static int subject_body(vbg__win *w, vbg__cand *c) {
  const char *s = w->t->s;
  size_t lo = clause_start(s, c->nstart, 160);
  if (!may_end_issue_verb(s, lo, c->nstart))
    return VBG_OK;
  size_t verb;
  int r = vbg__issue_verb(w, lo, c->nstart, &verb);
  if (r <= 0)
    return r;
  for (size_t i = lo; i < verb;) {
    word wd = next_word(s, verb, i);
    if (wd.e == wd.s) {
      size_t k;
      vbg__utf8_decode(s, verb, i, &k);
      i += k;
      continue;
    }
    size_t e = body_phrase(s, verb, wd.s);
    if (e) {
      /* "Thứ trưởng Bộ Nội vụ Nguyễn Trọng Thừa đã ký": a person's name may
       * stand between the body and the verb */
      size_t q = skip_ws(s, verb, e);
      for (int names = 0; q < verb && names < 4; names++) {
        word nm = next_word(s, verb, q);
        size_t k;
        if (nm.e == nm.s || !vbg__is_upper(vbg__utf8_decode(s, verb, nm.s, &k)))
          break;
        q = skip_ws(s, verb, nm.e);
      }
      if (q == verb) {
        c->subject = 1;
        return set_body(c, s, wd.s, e);
      }
    }
    i = wd.e;
  }
  return VBG_OK;
}

/* "Theo đề nghị của Giám đốc Sở Tài chính tại Văn bản số ..." */
static int proposer_body(vbg__win *w, vbg__cand *c) {
  const char *s = w->t->s;
  size_t i = c->nstart;
  while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '*'))
    i--;
  size_t tl = strlen(" tại");
  if (i < tl || memcmp(s + i - tl, " tại", tl) != 0)
    return VBG_OK;
  size_t tai = i - tl, lo = clause_start(s, tai, 200);
  size_t cl = strlen("của ");
  for (size_t j = tai; j >= lo + cl; j--) {
    if (memcmp(s + j - cl, "của ", cl) == 0) {
      size_t b = j, e = body_phrase(s, tai, b);
      if (e && skip_ws(s, tai + 1, e) >= tai) {
        c->proposed = 1;
        return set_body(c, s, b, e);
      }
      return VBG_OK;
    }
  }
  return VBG_OK;
}

static int header_date(vbg__win *w, vbg__cand *c) {
  const vbg__re *re = w->ex->pats[VBG__PAT_PLACEDATE];
  size_t ov[2 * 8], end = c->code_end + 600;
  if (end > w->t->len)
    end = w->t->len;
  int r = vbg__re_match(re, w->m, w->t->s, end, c->code_end, 0, ov, 8);
  if (r == 1 && !c->date)
    c->date = date_from(w->ex->g.placedate, w->t->s, ov);
  return r < 0 ? r : VBG_OK;
}

static void share_pair(vbg__cand *to, const vbg__cand *from) {
  if (!to->date && from->date)
    to->date = vbg__strdup(from->date);
  if (!to->issuer_body && from->issuer_body)
    to->issuer_body = vbg__strdup(from->issuer_body);
  if (!to->term && from->term)
    to->term = vbg__strdup(from->term);
}

/* Items of one shared list ("Quyết định số 1520, 1521-QĐ/TU ngày ... của
 * X") share what any of them was given: the date and body after the last,
 * the subject ("X ban hành các Quyết định số ...") before the first. */
static void share_list_context(vbg__cands *cs) {
  for (size_t i = cs->n; i-- > 1;)
    if (cs->v[i].list_group && cs->v[i].list_group == cs->v[i - 1].list_group)
      share_pair(&cs->v[i - 1], &cs->v[i]);
  for (size_t i = 1; i < cs->n; i++)
    if (cs->v[i].list_group && cs->v[i].list_group == cs->v[i - 1].list_group)
      share_pair(&cs->v[i], &cs->v[i - 1]);
}

int vbg__context(vbg__win *w) {
  int by_hand = date_by_hand(w);
  for (size_t i = 0; i < w->cands->n; i++) {
    vbg__cand *c = &w->cands->v[i];
    if (c->dropped)
      continue;
    int err = tail(w, c, by_hand);
    if (err == 0 && c->header)
      err = header_date(w, c);
    if (err == 0 && !c->issuer_body && !c->header)
      err = subject_body(w, c);
    if (err == 0 && !c->issuer_body && !c->header)
      err = proposer_body(w, c);
    if (err < 0)
      return err;
  }
  share_list_context(w->cands);
  /* "đề nghị của Chính phủ tại Tờ trình số ... và Đề án số ...": the
   * proposer stands for every document of the list */
  /* "X ban hành Kế hoạch số ... và Quyết định số ...": one subject for
   * both objects, as one proposer for a list of proposals */
  for (size_t i = 1; i < w->cands->n; i++) {
    vbg__cand *c = &w->cands->v[i], *p = &w->cands->v[i - 1];
    if (!(p->proposed || p->subject) || c->issuer_body || !p->issuer_body)
      continue;
    const char *s = w->t->s;
    size_t a = p->tail_end < c->nstart ? p->tail_end : p->code_end;
    int sep = 1;
    for (size_t k = a; k < c->nstart && sep; k++)
      sep = strchr(" \t\n,*_", s[k]) ||
            (k + 3 <= c->nstart && memcmp(s + k, "và", 3) == 0 && (k += 2, 1));
    if (sep) {
      c->issuer_body = vbg__strdup(p->issuer_body);
      c->proposed = p->proposed;
      c->subject = p->subject;
    }
  }
  return VBG_OK;
}
