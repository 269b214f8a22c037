/*
 * body.c - canonical spelling of issuing bodies, used by the context stage
 * and by vbg_body_canonical().  "UBND TP Hà Nội", "Ủy ban nhân dân thành
 * phố Hà Nội" and "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" are one body; so are
 * "Ban Bí thư", "Ban Bí thư Trung ương" and "Ban Bí thư Trung ương Đảng".
 * A Party term ("(khóa XI)") is taken out and returned apart.
 */
#include <stdatomic.h>
#include <string.h>

#include "extract.h"

/* Abbreviations and old accent placement, replaced on word boundaries.
 * Case-sensitive: "TP" is an abbreviation, "tp" is not written. */
static const struct {
  const char *from, *to;
} expansions[] = {
    {"UBND", "Ủy ban nhân dân"},
    {"ƯBND", "Ủy ban nhân dân"},
    {"HĐND", "Hội đồng nhân dân"},
    {"HDND", "Hội đồng nhân dân"},
    {"BCHTW", "Ban Chấp hành Trung ương"},
    {"BCH", "Ban Chấp hành"},
    {"BTV", "Ban Thường vụ"},
    {"UBMTTQ", "Ủy ban Mặt trận Tổ quốc"},
    {"MTTQ", "Mặt trận Tổ quốc"},
    {"T.Ư", "Trung ương"},
    {"T.W", "Trung ương"},
    {"TƯ", "Trung ương"},
    {"TW", "Trung ương"},
    {"TP.", "thành phố"},
    {"Tp.", "thành phố"},
    {"TP", "thành phố"},
    {"Tp", "thành phố"},
    {"GD-ĐT", "Giáo dục và Đào tạo"},
    {"GD&ĐT", "Giáo dục và Đào tạo"},
    {"GDĐT", "Giáo dục và Đào tạo"},
    {"KH&CN", "Khoa học và Công nghệ"},
    {"KH-CN", "Khoa học và Công nghệ"},
    {"KH&ĐT", "Kế hoạch và Đầu tư"},
    {"KH-ĐT", "Kế hoạch và Đầu tư"},
    {"TN&MT", "Tài nguyên và Môi trường"},
    {"TN-MT", "Tài nguyên và Môi trường"},
    {"NN&PTNT", "Nông nghiệp và Phát triển nông thôn"},
    {"LĐ-TB&XH", "Lao động - Thương binh và Xã hội"},
    {"LĐTB&XH", "Lao động - Thương binh và Xã hội"},
    {"VH-TT&DL", "Văn hóa, Thể thao và Du lịch"},
    {"VHTT&DL", "Văn hóa, Thể thao và Du lịch"},
    {"TT&TT", "Thông tin và Truyền thông"},
    {"GTVT", "Giao thông vận tải"},
    {"uỷ", "ủy"},
    {"Uỷ", "Ủy"},
    {"UỶ", "ỦY"},
    {"hoá", "hóa"},
    {"khoá", "khóa"},
    {"Khoá", "Khóa"},
    {"hoà", "hòa"},
    {"Hoà", "Hòa"},
    {"thuỷ", "thủy"},
    {"Thuỷ", "Thủy"},
    {"toà", "tòa"},
    {"Toà", "Tòa"},
    {"hoạ", "họa"},
};

/* Known bodies in their canonical case, matched case-insensitively. */
static const char *const known[] = {
    "Ban Chấp hành Trung ương Đảng",
    "Ban Chấp hành Trung ương",
    "Ban Bí thư Trung ương Đảng",
    "Ban Bí thư Trung ương",
    "Ban Bí thư",
    "Bộ Chính trị",
    "Thủ tướng Chính phủ",
    "Chính phủ",
    "Thủ tướng",
    "Ủy ban Thường vụ Quốc hội",
    "Quốc hội",
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "Văn phòng Chính phủ",
    "Văn phòng Trung ương Đảng",
    "Ban Thường vụ",
    "Thường trực",
    "Tỉnh ủy",
    "Thành ủy",
    "Huyện ủy",
    "Quận ủy",
    "Thị ủy",
    "Đảng ủy",
    "Mặt trận Tổ quốc Việt Nam",
    "Ban Tổ chức Trung ương",
    "Ban Tuyên giáo Trung ương",
    "Ban Dân vận Trung ương",
    "Ủy ban Kiểm tra Trung ương",
    "Ủy ban Kiểm tra",
    "Chủ tịch nước",
    "Bộ Nội vụ",
    "Bộ Tài chính",
    "Bộ Giáo dục và Đào tạo",
    "Bộ Y tế",
    "Bộ Công an",
    "Bộ Quốc phòng",
    "Bộ Tư pháp",
    "Bộ Công Thương",
    "Bộ Xây dựng",
    "Bộ Ngoại giao",
    "Bộ Văn hóa, Thể thao và Du lịch",
    "Bộ Khoa học và Công nghệ",
    "Bộ Nông nghiệp và Môi trường",
    "Bộ Tài nguyên và Môi trường",
    "Bộ Nông nghiệp và Phát triển nông thôn",
    "Bộ Kế hoạch và Đầu tư",
    "Bộ Lao động - Thương binh và Xã hội",
    "Bộ Thông tin và Truyền thông",
    "Bộ Giao thông vận tải",
    "Ngân hàng Nhà nước Việt Nam",
    "Thanh tra Chính phủ",
    "Kiểm toán nhà nước",
    "Tòa án nhân dân tối cao",
    "Viện kiểm sát nhân dân tối cao",
    "Hội nghị Trung ương",
    "Giám đốc",
    "Chủ tịch",
    "Sở",
};

/* Aliases completed to one canonical name. */
static const struct {
  const char *name, *unless, *add;
} completions[] = {
    {"Ban Chấp hành Trung ương", " Đảng", " Đảng"},
    {"Ban Bí thư Trung ương", " Đảng", " Đảng"},
};

static const char *const place_words[8] = {
    "tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn"};

static int is_word_char(const char *s, size_t len, size_t i) {
  size_t k;
  int32_t cp = vbg__utf8_decode(s, len, i, &k);
  return vbg__is_letter(cp) || (cp >= '0' && cp <= '9') || cp == '&';
}

static int boundary_before(const char *s, size_t len, size_t i) {
  if (i == 0)
    return 1;
  size_t k;
  int32_t cp = vbg__utf8_decode_back(s, i, &k);
  (void)len;
  return !(vbg__is_letter(cp) || (cp >= '0' && cp <= '9') || cp == '&');
}

/* Replace every whole-word `from` (flen bytes) in buf by `to`.  Returns 1
 * when buf changed, 0 when it did not, or an error. */
static int replace_words(vbg_buf *buf, const char *from, size_t flen,
                         const char *to) {
  if (!buf->ptr || !strstr(buf->ptr, from))
    return VBG_OK;
  vbg_buf out;
  vbg_buf_init(&out);
  int err = VBG_OK;
  size_t i = 0;
  while (err == 0 && i < buf->size) {
    if (buf->size - i >= flen && memcmp(buf->ptr + i, from, flen) == 0 &&
        boundary_before(buf->ptr, buf->size, i) &&
        (i + flen == buf->size ||
         !is_word_char(buf->ptr, buf->size, i + flen) ||
         from[flen - 1] == '.')) {
      err = vbg__buf_puts(&out, to);
      i += flen;
      continue;
    }
    err = vbg__buf_putc(&out, buf->ptr[i++]);
  }
  if (err == 0) {
    vbg_buf_dispose(buf);
    *buf = out;
    return 1;
  }
  vbg_buf_dispose(&out);
  return err;
}

/* Collapse whitespace, drop markup, trim punctuation at both ends. */
static int clean(vbg_buf *out, const char *s, size_t len) {
  /* the result is never longer than s: one allocation */
  int space = 0, err = vbg__buf_grow(out, len);
  for (size_t i = 0; err == 0 && i < len;) {
    size_t k;
    int32_t cp = vbg__utf8_decode(s, len, i, &k);
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
        cp == '*' || cp == '_') {
      space = out->size > 0;
      i += k;
      continue;
    }
    if (space)
      err = vbg__buf_putc(out, ' ');
    space = 0;
    if (err == 0)
      err = vbg__buf_put(out, s + i, k);
    i += k;
  }
  while (err == 0 && out->size > 0 && strchr(" ,.;:-", out->ptr[out->size - 1]))
    out->ptr[--out->size] = '\0';
  return err;
}

static int atoi_safe(const char *s) {
  int n = 0;
  while (*s >= '0' && *s <= '9' && n < 1000)
    n = n * 10 + (*s++ - '0');
  return n;
}

static const char *roman(int n) {
  static const char *const r[] = {"",      "I",    "II",   "III", "IV",  "V",
                                  "VI",    "VII",  "VIII", "IX",  "X",   "XI",
                                  "XII",   "XIII", "XIV",  "XV",  "XVI", "XVII",
                                  "XVIII", "XIX",  "XX"};
  return n > 0 && n <= 20 ? r[n] : NULL;
}

/* Take "(khóa XI)", "khoá 12" out of buf; *term gets "XI". */
static int take_term(vbg_buf *buf, char **term) {
  const char *keys[] = {"khóa ", "Khóa ", "KHÓA ", "khoá ", "Khoá "};
  for (size_t k = 0; buf->ptr && k < VBG__ARRAY_LEN(keys); k++) {
    char *p = strstr(buf->ptr, keys[k]);
    if (!p)
      continue;
    char *q = p + strlen(keys[k]), *e = q;
    while (*e && strchr("IVXLC0123456789", *e))
      e++;
    if (e == q)
      continue;
    if (term && !*term) {
      char tmp[16];
      size_t n =
          (size_t)(e - q) < sizeof(tmp) - 1 ? (size_t)(e - q) : sizeof(tmp) - 1;
      memcpy(tmp, q, n);
      tmp[n] = '\0';
      const char *r =
          (tmp[0] >= '0' && tmp[0] <= '9') ? roman(atoi_safe(tmp)) : tmp;
      if (r && !(*term = vbg__strdup(r)))
        return VBG_ENOMEM;
    }
    size_t a = (size_t)(p - buf->ptr), b = (size_t)(e - buf->ptr);
    if (a > 0 && buf->ptr[a - 1] == '(')
      a--;
    if (b < buf->size && buf->ptr[b] == ')')
      b++;
    while (a > 0 && buf->ptr[a - 1] == ' ')
      a--;
    memmove(buf->ptr + a, buf->ptr + b, buf->size - b + 1);
    buf->size -= b - a;
  }
  return VBG_OK;
}

static int has_lower(const char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    size_t k;
    if (vbg__is_lower(vbg__utf8_decode(s, len, i, &k)))
      return 1;
    i += k;
  }
  return 0;
}

/* Does the lower-cased text at s[i..] start with the lower-cased `name`,
 * ending on a word boundary?  Returns the byte length matched or 0. */
static size_t starts_ci(const char *s, size_t len, size_t i, const char *name,
                        size_t nlen) {
  size_t j = 0;
  while (j < nlen) {
    if (i >= len)
      return 0;
    /* ASCII on both sides, most bytes of most names: no decoding */
    unsigned char ca = (unsigned char)s[i], cb = (unsigned char)name[j];
    if (ca == cb && cb >= 0x80) {
      /* the same bytes are the same code point: no decoding either */
      size_t m = cb >= 0xF0 ? 4 : cb >= 0xE0 ? 3 : 2, q = 1;
      while (q < m && q < len - i && s[i + q] == name[j + q])
        q++;
      if (q == m) {
        i += m;
        j += m;
        continue;
      }
    }
    if (ca < 0x80 && cb < 0x80) {
      if ((ca >= 'A' && ca <= 'Z' ? ca + 32 : ca) !=
          (cb >= 'A' && cb <= 'Z' ? cb + 32 : cb))
        return 0;
      i++;
      j++;
      continue;
    }
    size_t a, b;
    int32_t x = vbg__utf8_decode(s, len, i, &a);
    int32_t y = vbg__utf8_decode(name, nlen, j, &b);
    if (vbg__to_lower(x) != vbg__to_lower(y))
      return 0;
    i += a;
    j += b;
  }
  return (i == len || !is_word_char(s, len, i)) ? i : 0;
}

/* A name's first code point, lower-cased, and its length: most names are
 * ruled out by the first letter without a walk through starts_ci().  Worked
 * out once, not at every re-casing. */
#define HEAD 4
typedef struct name_info {
  int32_t first;
  size_t len;
  /* the first code points (up to HEAD), lower-cased: names that share a
   * first letter ("Ban ...", "Bộ ...") mostly differ in these */
  int32_t head[HEAD];
  int nhead;
} name_info;
static struct {
  name_info known[VBG__ARRAY_LEN(known)], place[VBG__ARRAY_LEN(place_words)];
  /* the known names by their ASCII first letter, one bit per name */
  uint64_t by_ascii[128];
} infos;
_Static_assert(VBG__ARRAY_LEN(known) <= 64, "one bit per known name");

/* The first code points of s[i..len), lower-cased, as starts_ci() reads
 * them, into head[]; returns how many there are (at most HEAD). */
static int head_of(int32_t head[HEAD], const char *s, size_t len, size_t i) {
  int n = 0;
  while (n < HEAD && i < len) {
    size_t k;
    head[n++] = vbg__to_lower(vbg__utf8_decode(s, len, i, &k));
    i += k;
  }
  return n;
}

static name_info info_of(const char *name) {
  name_info in;
  in.len = strlen(name);
  in.nhead = head_of(in.head, name, in.len, 0);
  in.first = in.head[0];
  return in;
}

/* Can s, whose first code points are sh[0..nsh), start with the name?  Its
 * first letter is already known to match. */
static int head_fits(const name_info *in, const int32_t *sh, int nsh) {
  for (int t = 1; t < in->nhead; t++)
    if (t >= nsh || sh[t] != in->head[t])
      return 0;
  return 1;
}

static void infos_build(void) {
  for (size_t k = 0; k < VBG__ARRAY_LEN(known); k++) {
    infos.known[k] = info_of(known[k]);
    if (infos.known[k].first < 128)
      infos.by_ascii[infos.known[k].first] |= (uint64_t)1 << k;
  }
  for (size_t k = 0; k < VBG__ARRAY_LEN(place_words); k++)
    infos.place[k] = info_of(place_words[k]);
}

/* Build infos once, whichever thread gets here first. */
static void infos_ready(void) {
  static atomic_int state;
  vbg__once(&state, infos_build);
}

static int put_title_word(vbg_buf *out, const char *s, size_t len) {
  size_t k;
  int32_t cp = vbg__utf8_decode(s, len, 0, &k);
  char enc[4];
  int n = vbg__utf8_encode(enc, vbg__to_upper(cp));
  int err = vbg_buf_put(out, enc, (size_t)n);
  return err ? err : vbg_buf_put(out, s + k, len - k);
}

/* Re-case text: known names take their canonical case; in all-caps input
 * the words after a place word ("thành phố Cần Thơ") are title-cased and
 * every other word is lower case. */
static int recase(vbg_buf *buf) {
  int caps = !has_lower(buf->ptr, buf->size);
  vbg_buf low, out;
  vbg_buf_init(&low);
  vbg_buf_init(&out);
  int err = caps ? vbg__lower(&low, buf->ptr, buf->size)
                 : vbg_buf_put(&low, buf->ptr, buf->size);
  const char *s = low.ptr;
  size_t len = low.size, i = 0;
  int place = 0;
  infos_ready();
  const name_info *kn = infos.known, *pl = infos.place;
  const uint64_t *by_ascii = infos.by_ascii;
  while (err == 0 && s && i < len) {
    if (!boundary_before(s, len, i)) {
      err = vbg__buf_putc(&out, s[i++]);
      continue;
    }
    size_t end = 0, n;
    const char *hit = NULL;
    int32_t f = vbg__to_lower(vbg__utf8_decode(s, len, i, &n)), sh[HEAD];
    if (f >= 0 && f < 128) {
      /* in list order, as below */
      uint64_t m = by_ascii[f];
      int nsh = m ? head_of(sh, s, len, i) : 0;
      for (; m && !hit; m &= m - 1) {
        size_t k = (size_t)__builtin_ctzll(m);
        if (head_fits(&kn[k], sh, nsh) &&
            (end = starts_ci(s, len, i, known[k], kn[k].len)) != 0)
          hit = known[k];
      }
    } else {
      int nsh = head_of(sh, s, len, i);
      for (size_t k = 0; k < VBG__ARRAY_LEN(known) && !hit; k++)
        if (kn[k].first == f && head_fits(&kn[k], sh, nsh) &&
            (end = starts_ci(s, len, i, known[k], kn[k].len)) != 0)
          hit = known[k];
    }
    if (hit) {
      err = vbg__buf_puts(&out, hit);
      i = end;
      place = 0;
      continue;
    }
    for (size_t k = 0; caps && k < VBG__ARRAY_LEN(place_words); k++)
      if (pl[k].first == f &&
          (end = starts_ci(s, len, i, place_words[k], pl[k].len)) != 0) {
        err = vbg_buf_put(&out, s + i, end - i);
        i = end;
        place = 1;
        hit = place_words[k];
        break;
      }
    if (hit)
      continue;
    size_t e = i;
    while (e < len && s[e] != ' ')
      e++;
    if (e == i) {
      err = vbg__buf_putc(&out, s[i++]);
      continue;
    }
    if (caps && place)
      err = put_title_word(&out, s + i, e - i);
    else
      err = vbg_buf_put(&out, s + i, e - i);
    i = e;
  }
  if (err == 0 && out.size > 0 && caps) {
    /* a sentence-cased name starts with a capital */
    vbg_buf first;
    vbg_buf_init(&first);
    size_t e = 0;
    while (e < out.size && out.ptr[e] != ' ')
      e++;
    err = put_title_word(&first, out.ptr, e);
    if (err == 0)
      err = vbg_buf_put(&first, out.ptr + e, out.size - e);
    vbg_buf_dispose(&out);
    out = first;
  }
  vbg_buf_dispose(&low);
  if (err == 0) {
    vbg_buf_dispose(buf);
    *buf = out;
  } else {
    vbg_buf_dispose(&out);
  }
  return err;
}

/* "Ban Bí thư" -> "Ban Bí thư Trung ương Đảng" wherever it stands. */
static int complete(vbg_buf *buf) {
  for (size_t c = 0; c < VBG__ARRAY_LEN(completions); c++) {
    const char *name = completions[c].name;
    size_t nlen = strlen(name);
    char *p = buf->ptr ? strstr(buf->ptr, name) : NULL;
    while (p) {
      size_t at = (size_t)(p - buf->ptr) + nlen;
      const char *un = completions[c].unless;
      if (strncmp(buf->ptr + at, un, strlen(un)) != 0 &&
          (at == buf->size || !is_word_char(buf->ptr, buf->size, at))) {
        vbg_buf out;
        vbg_buf_init(&out);
        int err = vbg_buf_put(&out, buf->ptr, at);
        if (err == 0)
          err = vbg__buf_puts(&out, completions[c].add);
        if (err == 0)
          err = vbg_buf_put(&out, buf->ptr + at, buf->size - at);
        if (err < 0) {
          vbg_buf_dispose(&out);
          return err;
        }
        vbg_buf_dispose(buf);
        *buf = out;
        at += strlen(completions[c].add);
      }
      p = strstr(buf->ptr + at, name);
    }
  }
  return VBG_OK;
}

/* Bodies repeat ("Chính phủ", "Bộ Chính trị" in every other article): the
 * last answers are kept per thread, keyed by the text as written.  Two slots
 * per hash, the less recently used one replaced: a few hundred names then
 * rarely push each other out. */
#define CACHE_SLOTS 1024
#define CACHE_TEXT 120
typedef struct cache_slot {
  char in[CACHE_TEXT], out[CACHE_TEXT], term[8];
  int used, recent;
  size_t in_len;
} cache_slot;
static _Thread_local cache_slot cache[CACHE_SLOTS];

/* The first of the two slots for s[0..len). */
static cache_slot *cache_pair(const char *s, size_t len) {
  /* eight bytes a step: names are tens of bytes long */
  uint64_t h = 0xcbf29ce484222325u ^ len;
  size_t i = 0;
  for (; len - i >= 8; i += 8) {
    uint64_t v;
    memcpy(&v, s + i, 8);
    h = (h ^ v) * 0x100000001b3u;
    h ^= h >> 29;
  }
  for (; i < len; i++)
    h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
  h ^= h >> 32;
  return &cache[h % (CACHE_SLOTS / 2) * 2];
}

static int cache_has(const cache_slot *c, const char *s, size_t len) {
  return c->used && c->in_len == len && memcmp(c->in, s, len) == 0;
}

static int canonical_uncached(vbg_buf *out, char **term, const char *s,
                              size_t len);

int vbg__body_canonical(vbg_buf *out, char **term, const char *s, size_t len) {
  cache_slot *pair = len < CACHE_TEXT ? cache_pair(s, len) : NULL, *c = NULL;
  if (pair)
    c = cache_has(&pair[0], s, len)   ? &pair[0]
        : cache_has(&pair[1], s, len) ? &pair[1]
                                      : NULL;
  if (c) {
    pair[0].recent = c == &pair[0];
    pair[1].recent = c == &pair[1];
    vbg_buf_clear(out);
    int err = vbg__buf_puts(out, c->out);
    if (err == 0 && term && !*term && c->term[0] &&
        !(*term = vbg__strdup(c->term)))
      err = VBG_ENOMEM;
    return err;
  }
  char *t = NULL;
  int err = canonical_uncached(out, &t, s, len);
  if (pair) /* the slot not used last */
    c = pair[0].recent ? &pair[1] : &pair[0];
  if (err == 0 && c && out->size < CACHE_TEXT &&
      (!t || strlen(t) < sizeof(c->term))) {
    memcpy(c->in, s, len);
    c->in[len] = '\0';
    c->in_len = len;
    memcpy(c->out, out->ptr ? out->ptr : "", out->size + 1);
    size_t tn = t ? strlen(t) : 0; /* < sizeof(c->term), checked above */
    memcpy(c->term, t ? t : "", tn + 1);
    c->used = 1;
    pair[0].recent = c == &pair[0];
    pair[1].recent = c == &pair[1];
  }
  if (term && !*term)
    *term = t;
  else
    vbg__free(t);
  return err;
}

/* The set of bytes in buf. */
static void bytes_in(uint64_t have[4], const vbg_buf *buf) {
  have[0] = have[1] = have[2] = have[3] = 0;
  for (size_t i = 0; i < buf->size; i++)
    have[(unsigned char)buf->ptr[i] >> 6] |=
        (uint64_t)1 << ((unsigned char)buf->ptr[i] & 63);
}

static int canonical_uncached(vbg_buf *out, char **term, const char *s,
                              size_t len) {
  vbg_buf b;
  vbg_buf_init(&b);
  char *nfc = vbg__nfc(s, len);
  int err = nfc ? clean(&b, nfc, strlen(nfc)) : VBG_EUTF8;
  vbg__free(nfc);
  if (err == 0)
    err = take_term(&b, term);
  /* most expansions cannot occur: a byte of theirs is not in the name */
  uint64_t have[4];
  bytes_in(have, &b);
  for (size_t i = 0; err == 0 && i < VBG__ARRAY_LEN(expansions); i++) {
    const char *from = expansions[i].from;
    size_t flen = 0;
    while (from[flen] && (have[(unsigned char)from[flen] >> 6] >>
                          ((unsigned char)from[flen] & 63)) &
                             1)
      flen++;
    if (from[flen])
      continue;
    err = replace_words(&b, from, flen, expansions[i].to);
    if (err > 0) {
      err = VBG_OK;
      bytes_in(have, &b);
    }
  }
  if (err == 0)
    err = recase(&b);
  if (err == 0)
    err = complete(&b);
  /* "Ban Bí thư" standing alone is the Party's Secretariat */
  if (err == 0 && b.ptr && strcmp(b.ptr, "Ban Bí thư") == 0)
    err = vbg__buf_puts(&b, " Trung ương Đảng");
  if (err == 0) {
    vbg_buf_clear(out);
    err = vbg_buf_put(out, b.ptr ? b.ptr : "", b.size);
  }
  vbg_buf_dispose(&b);
  return err;
}

static int vbg_body_canonical_impl(vbg_buf *out, const char *name, size_t len) {
  char *term = NULL;
  int err = vbg__body_canonical(out, &term, name, len);
  vbg__free(term);
  return err;
}

int vbg_body_canonical(vbg_buf *out, const char *name, size_t len) {
  unsigned long before = vbg__alloc_failures();
  int err = vbg_body_canonical_impl(out, name, len);
  VBG__OOM_CHECK(err, before);
  return err;
}
