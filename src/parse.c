/*
 * parse.c - pipeline stage 3: candidates become reference records.
 *
 * A match of the code pattern is split into its groups (number, year, type
 * code, issuers), checked against the reference tables and spelled
 * canonically; the type word in front of it ("Nghị quyết số") is attached;
 * lists that share a type word or a code are expanded; type words with a
 * bare number and back-references ("Nghị quyết này") become short forms.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "extract.h"

/* ------------------------------------------------------------------ */
/* Candidate lists                                                     */
/* ------------------------------------------------------------------ */

int vbg__cands_push(vbg__cands *c, vbg__cand **out) {
  if (c->n == c->a) {
    size_t a = c->a ? c->a * 2 : 16;
    vbg__cand *v = vbg__realloc(c->v, a * sizeof(*v));
    if (!v)
      return VBG_ENOMEM;
    c->v = v;
    c->a = a;
  }
  *out = &c->v[c->n++];
  memset(*out, 0, sizeof(**out));
  return VBG_OK;
}

void vbg__cand_dispose(vbg__cand *c) {
  vbg__free(c->key);
  if (!c->packed) { /* else they live in key's allocation */
    vbg__free(c->type_code);
    vbg__free(c->number);
    vbg__free(c->issuer_code);
  }
  vbg__free(c->unit_code);
  vbg__free(c->date);
  vbg__free(c->issuer_body);
  vbg__free(c->term);
  vbg__free(c->title);
  memset(c, 0, sizeof(*c));
}

void vbg__cands_clear(vbg__cands *c) {
  for (size_t i = 0; i < c->n; i++)
    vbg__cand_dispose(&c->v[i]);
  c->n = 0;
}

void vbg__cands_dispose(vbg__cands *c) {
  for (size_t i = 0; i < c->n; i++)
    vbg__cand_dispose(&c->v[i]);
  vbg__free(c->v);
  memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------------------ */
/* Small text helpers                                                  */
/* ------------------------------------------------------------------ */

size_t vbg__skip_space(const char *s, size_t len, size_t i) {
  while (i < len &&
         (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    i++;
  return i;
}

int vbg__group(const vbg__re *re, const char *name) {
  return vbg__re_group(re, name);
}

static int is_dash(int32_t cp) {
  return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

static int is_hspace(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == 0xA0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

typedef struct span {
  size_t s, e;
} span;

/* A string literal with its length. */
typedef struct lit {
  const char *s;
  size_t n;
} lit;
#define LIT(x)                                                                 \
  { x, sizeof(x) - 1 }

/* Split s[a..b) at dashes (with the spaces around them). */
static size_t split_groups(const char *s, size_t a, size_t b, span *out,
                           size_t max) {
  size_t n = 0, start = a, i = a;
  while (i < b && n < max) {
    size_t k;
    int32_t cp = vbg__utf8_decode(s, b, i, &k);
    if (is_dash(cp) || is_hspace(cp)) {
      size_t end = i;
      while (i < b) {
        cp = vbg__utf8_decode(s, b, i, &k);
        if (!is_dash(cp) && !is_hspace(cp))
          break;
        i += k;
      }
      out[n++] = (span){start, end};
      start = i;
      continue;
    }
    i += k;
  }
  if (n < max && start < b)
    out[n++] = (span){start, b};
  return n;
}

/* The table look-ups of one code's groups, kept while the code is read:
 * classify(), spell() and ct_collision() ask about the same group up to
 * four times. */
typedef struct memo_ent {
  const char *p;
  size_t n;
  int have; /* bit 0: tc, bit 1: iss */
  const vbg__type_code *tc;
  const char *iss; /* vbg__issuer_code(), maybe in buf */
  char buf[64];
} memo_ent;

typedef struct memo {
  size_t n;
  memo_ent v[12];
} memo;

static memo_ent *memo_at(memo *m, const char *p, size_t n) {
  for (size_t i = 0; i < m->n; i++)
    if (m->v[i].p == p && m->v[i].n == n)
      return &m->v[i];
  if (m->n == VBG__ARRAY_LEN(m->v))
    return NULL;
  memo_ent *e = &m->v[m->n++];
  e->p = p;
  e->n = n;
  e->have = 0;
  return e;
}

/* vbg__type_code_find(p, n), remembered. */
static const vbg__type_code *memo_tc(memo *m, const char *p, size_t n) {
  memo_ent *e = memo_at(m, p, n);
  if (!e)
    return vbg__type_code_find(p, n);
  if (!(e->have & 1)) {
    e->tc = vbg__type_code_find(p, n);
    e->have |= 1;
  }
  return e->tc;
}

/* vbg__issuer_code(buf, p, n), remembered (buf only when not). */
static const char *memo_iss(memo *m, char *buf, const char *p, size_t n) {
  memo_ent *e = memo_at(m, p, n);
  if (!e)
    return vbg__issuer_code(buf, p, n);
  if (!(e->have & 2)) {
    e->iss = vbg__issuer_code(e->buf, p, n);
    e->have |= 2;
  }
  return e->iss;
}

static int known_code(memo *m, const char *s, size_t len) {
  char buf[64];
  return memo_tc(m, s, len) || memo_iss(m, buf, s, len);
}

/* Letters of a code: upper-case initial, at most one lower-case letter
 * (TTg, QĐi), or a code the tables know in any case (Ctr). */
static int code_like(memo *m, const char *s, size_t len) {
  size_t upper = 0, lower = 0, i = 0;
  int first = 1;
  while (i < len) {
    size_t k;
    int32_t cp = vbg__utf8_decode(s, len, i, &k);
    if (first && !vbg__is_upper(cp))
      return 0;
    first = 0;
    if (vbg__is_upper(cp))
      upper++;
    else if (vbg__is_lower(cp))
      lower++;
    i += k;
  }
  if (len > 40)
    return 0;
  if (lower <= 1 && upper >= 2)
    return 1;
  if (upper == 1 && lower == 0 && len == 1) /* "L" of Lệnh, "N" of N-CP */
    return 1;
  return known_code(m, s, len);
}

/* "CPngày": cut the group after the longest known code that is followed by
 * a lower-case letter.  Returns the new end, or the old one. */
static size_t cut_glued(memo *m, const char *s, span g, int *glued) {
  *glued = 0;
  if (known_code(m, s + g.s, g.e - g.s))
    return g.e;
  size_t best = g.e;
  for (size_t i = g.s; i < g.e;) {
    size_t k;
    int32_t cp = vbg__utf8_decode(s, g.e, i, &k);
    if (i > g.s && vbg__is_lower(cp) && known_code(m, s + g.s, i - g.s)) {
      /* the rest must look like a word: all lower case */
      int word = 1;
      for (size_t j = i; j < g.e;) {
        size_t m;
        int32_t c2 = vbg__utf8_decode(s, g.e, j, &m);
        if (!vbg__is_lower(c2))
          word = 0;
        j += m;
      }
      if (word)
        best = i;
    }
    i += k;
  }
  if (best != g.e)
    *glued = 1;
  return best;
}

/* vbg__issuer_canonical_put() of the group: a known code is appended as
 * it would append it. */
static int put_issuer(memo *m, vbg_buf *out, const char *s, span g) {
  char buf[64];
  const char *code = memo_iss(m, buf, s + g.s, g.e - g.s);
  if (code)
    return vbg__buf_puts(out, code) < 0 ? VBG_ENOMEM : VBG_OK;
  return vbg__issuer_canonical_put(out, s + g.s, g.e - g.s) < 0 ? VBG_ENOMEM
                                                                : VBG_OK;
}

static char *serial(const char *s, size_t a, size_t b) {
  while (b - a > 1 && s[a] == '0')
    a++;
  return vbg__strndup(s + a, b - a);
}

/* ------------------------------------------------------------------ */
/* One code match                                                      */
/* ------------------------------------------------------------------ */

/* The code pattern's groups (vbg__groups, from its first member on). */
typedef vbg__groups groups_ix;

typedef struct code_parts {
  span num;
  int year;
  span groups[8];
  size_t ng;
  const vbg__type_code *tc; /* type code, if any */
  size_t first_issuer;      /* index of the first issuer group */
  vbg_family family;
} code_parts;

/* Trim trailing groups that are not codes and cut glued words. */
static size_t clean_groups(memo *m, const char *s, span *g, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int glued;
    g[i].e = cut_glued(m, s, g[i], &glued);
    if (!code_like(m, s + g[i].s, g[i].e - g[i].s))
      return i;
    if (glued)
      return i + 1;
  }
  return n;
}

static int is_assembly(memo *m, const char *s, span g) {
  char buf[64];
  const char *code = memo_iss(m, buf, s + g.s, g.e - g.s);
  return code &&
         (strncmp(code, "QH", 2) == 0 || strncmp(code, "UBTVQH", 6) == 0) &&
         strlen(code) > 2;
}

static int known_issuer(memo *m, const char *s, span g) {
  char buf[64];
  return memo_iss(m, buf, s + g.s, g.e - g.s) != NULL;
}

static int party_issuer(memo *m, const char *s, span g) {
  char buf[64];
  const char *code = memo_iss(m, buf, s + g.s, g.e - g.s);
  return code && vbg__issuer_is_party(code);
}

/* Decide the family and the parts; 0 = not a document number. */
static int classify(memo *m, code_parts *p, const char *s, const size_t *ov,
                    const groups_ix *gx) {
  p->num = (span){ov[2 * gx->num], ov[2 * gx->num + 1]};
  if (ov[2 * gx->year] != SIZE_MAX) { /* N/YYYY/... */
    p->year = (int)vbg__digits_value(s + ov[2 * gx->year],
                                     ov[2 * gx->year + 1] - ov[2 * gx->year]);
    p->ng = split_groups(s, ov[2 * gx->lg], ov[2 * gx->lg + 1], p->groups, 8);
    p->ng = clean_groups(m, s, p->groups, p->ng);
    if (p->ng == 0)
      return 0;
    p->family = VBG_FAMILY_LEGAL;
    if (p->ng == 1 && is_assembly(m, s, p->groups[0])) {
      p->first_issuer = 0;
      return 1;
    }
    p->tc = memo_tc(m, s + p->groups[0].s, p->groups[0].e - p->groups[0].s);
    p->first_issuer = 1;
    return p->tc && p->ng >= 2;
  }
  if (ov[2 * gx->pt] != SIZE_MAX) { /* N-CODE/ISSUER */
    span t = {ov[2 * gx->pt], ov[2 * gx->pt + 1]};
    p->tc = memo_tc(m, s + t.s, t.e - t.s);
    if (!p->tc || !code_like(m, s + t.s, t.e - t.s))
      return 0;
    if (strcmp(p->tc->code, "NĐ") == 0 && t.e - t.s == 1)
      return 0; /* a bare "N" is only NĐ inside a legal number */
    p->groups[0] = t;
    p->ng = 1 + split_groups(s, ov[2 * gx->pg], ov[2 * gx->pg + 1],
                             p->groups + 1, 7);
    p->ng = 1 + clean_groups(m, s, p->groups + 1, p->ng - 1);
    p->first_issuer = 1;
    p->family = VBG_FAMILY_PARTY;
    return p->ng >= 2;
  }
  /* N/X-Y...: a typed State document, a Party number printed State-style,
   * or a letter (công văn) whose first group is its issuer. */
  p->ng = split_groups(s, ov[2 * gx->sg], ov[2 * gx->sg + 1], p->groups, 8);
  p->ng = clean_groups(m, s, p->groups, p->ng);
  if (p->ng == 0)
    return 0;
  span g0 = p->groups[0];
  p->tc = memo_tc(m, s + g0.s, g0.e - g0.s);
  if (p->tc && strcmp(p->tc->code, "NĐ") == 0 && g0.e - g0.s == 1)
    p->tc = NULL;
  if (p->ng == 1) {
    /* "27/CTTg": a type code glued to a known issuer. */
    for (size_t i = g0.s + 1; i < g0.e; i++) {
      const vbg__type_code *tc = memo_tc(m, s + g0.s, i - g0.s);
      span rest = {i, g0.e};
      if (tc && known_issuer(m, s, rest) && code_like(m, s + g0.s, i - g0.s)) {
        p->tc = tc;
        p->groups[0] = (span){g0.s, i};
        p->groups[1] = rest;
        p->ng = 2;
        p->first_issuer = 1;
        p->family = VBG_FAMILY_STATE;
        return 1;
      }
    }
    return 0;
  }
  if (p->tc) {
    p->first_issuer = 1;
    if (p->ng == 2 && party_issuer(m, s, p->groups[1]) &&
        strcmp(p->tc->code, "CV") != 0)
      p->family = VBG_FAMILY_PARTY;
    else
      p->family = VBG_FAMILY_STATE;
    return 1;
  }
  p->first_issuer = 0;
  p->family = VBG_FAMILY_LETTER;
  return 1;
}

/* A key is joined from parts. */
typedef struct part {
  const char *s;
  size_t n;
} part;

/* NULL reads "(null)", as it did when keys were printed with "%s". */
static part part_str(const char *s) {
  return s ? (part){s, strlen(s)} : (part){"(null)", strlen("(null)")};
}

/* Copies n parts to dst; returns n. */
static size_t parts_copy(part *dst, const part *src, size_t n) {
  memcpy(dst, src, n * sizeof(*src));
  return n;
}

/* The parts one after another at out, then a NUL; returns the byte after
 * the NUL. */
static char *put_parts(char *out, const part *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (v[i].n)
      memcpy(out, v[i].s, v[i].n);
    out += v[i].n;
  }
  *out = '\0';
  return out + 1;
}

/* The decimal digits of year into digits[16]; returns where they start. */
static size_t year_digits(char *digits, int year) {
  size_t n = 16;
  unsigned v = year < 0 ? 0u - (unsigned)year : (unsigned)year;
  do {
    digits[--n] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  if (year < 0)
    digits[--n] = '-';
  return n;
}

/* Spell key, type code, issuer and unit of a classified number. */
static int spell(memo *m, vbg__cand *c, const char *s, const code_parts *p) {
  vbg_buf iss;
  vbg_buf_init(&iss);
  int err = VBG_OK;
  /* the serial: the number without its leading zeros */
  size_t sa = p->num.s;
  while (p->num.e - sa > 1 && s[sa] == '0')
    sa++;
  part ser = {s + sa, p->num.e - sa};
  c->num_value = vbg__digits_value(ser.s, ser.n); /* as atol() read it */
  c->year = p->year;
  c->family = p->family;
  const char *tc = p->tc ? p->tc->code : NULL;
  /* Issuers: the first issuer group, then the others joined by '-'. */
  size_t last = p->ng;
  if (p->family == VBG_FAMILY_LETTER)
    last = 1;
  for (size_t i = p->first_issuer; err == 0 && i < last; i++) {
    if (i > p->first_issuer)
      err = vbg__buf_putc(&iss, '-');
    if (err == 0)
      err = put_issuer(m, &iss, s, p->groups[i]);
  }
  if (err == 0 && p->family == VBG_FAMILY_LETTER && p->ng > 1) {
    vbg_buf unit;
    vbg_buf_init(&unit);
    for (size_t i = 1; err == 0 && i < p->ng; i++) {
      if (i > 1)
        err = vbg__buf_putc(&unit, '-');
      if (err == 0)
        err = put_issuer(m, &unit, s, p->groups[i]);
    }
    c->unit_code = err == 0 ? vbg__buf_detach(&unit) : NULL;
    vbg_buf_dispose(&unit);
  }
  if (err < 0)
    goto done;
  part is = part_str(iss.ptr), t = part_str(tc);
  const part dash = {"-", 1}, slash = {"/", 1};
  char digits[16];
  part kp[7];
  size_t nk = 0;
  switch (p->family) {
  case VBG_FAMILY_PARTY:
    nk = parts_copy(kp, (const part[]){ser, dash, t, slash, is}, 5);
    break;
  case VBG_FAMILY_LEGAL: {
    size_t y = year_digits(digits, p->year);
    part yp = {digits + y, sizeof(digits) - y};
    if (tc && strcmp(tc, "VBHN") != 0)
      nk =
          parts_copy(kp, (const part[]){ser, slash, yp, slash, t, dash, is}, 7);
    else
      nk = parts_copy(kp, (const part[]){ser, slash, yp, slash, is}, 5);
    break;
  }
  case VBG_FAMILY_STATE:
    nk = parts_copy(kp, (const part[]){ser, slash, t, dash, is}, 5);
    if (tc && strcmp(tc, "VBHN") == 0)
      c->family = VBG_FAMILY_LEGAL;
    break;
  default:
    nk = parts_copy(kp,
                    (const part[]){ser, slash, is, dash,
                                   part_str(c->unit_code ? c->unit_code : "")},
                    5);
    break;
  }
  /* key, number, issuer code and type code in one allocation, owned by
   * key (c->packed): a reference's strings are allocated by the million */
  const part num = {s + p->num.s, p->num.e - p->num.s},
             isc = {iss.ptr ? iss.ptr : "", iss.size},
             tcp = {tc ? tc : "", tc ? strlen(tc) : 0};
  size_t size = num.n + 1 + isc.n + 1 + (tc ? tcp.n + 1 : 0);
  for (size_t i = 0; i < nk; i++)
    size += kp[i].n;
  char *b = vbg__malloc(size + 1);
  if (!b) {
    err = VBG_ENOMEM;
    goto done;
  }
  c->key = b;
  c->number = put_parts(b, kp, nk);
  c->issuer_code = put_parts(c->number, &num, 1);
  char *after = put_parts(c->issuer_code, &isc, 1);
  c->type_code = tc ? after : NULL;
  if (tc)
    put_parts(after, &tcp, 1);
  c->packed = 1;
done:
  vbg_buf_dispose(&iss);
  return err;
}

/* ------------------------------------------------------------------ */
/* What stands in front of a number                                    */
/* ------------------------------------------------------------------ */

/* Where to start looking back from `at`: up to `span` bytes, on a code
 * point boundary. */
static size_t back_from(const char *s, size_t at, size_t span) {
  size_t lo = at > span ? at - span : 0;
  while (lo > 0 && ((unsigned char)s[lo] & 0xC0) == 0x80)
    lo++;
  return lo;
}

/* A letter PCRE2's caseless matching and vbg__to_lower() treat alike, one
 * to one: ASCII, Latin-1, and the Vietnamese letters of Latin Extended. */
static inline int plain_letter(int32_t cp) {
  if (cp < 0xC0)
    return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  if (cp <= 0xFE)
    return cp != 0xD7 && cp != 0xF7;
  switch (cp) { /* Ă ă Đ đ Ĩ ĩ Ũ ũ Ơ ơ Ư ư: a bit test, not a chain */
  case 0x102:
  case 0x103:
  case 0x110:
  case 0x111:
  case 0x128:
  case 0x129:
  case 0x168:
  case 0x169:
  case 0x1A0:
  case 0x1A1:
  case 0x1AF:
  case 0x1B0:
    return 1;
  default:
    return cp >= 0x1EA0 && cp <= 0x1EF9;
  }
}

/* Can the code point separate the words of a type word and "số" (white
 * space as PCRE2's \s sees it with UCP, '*', '_', ':')? */
static inline int tw_separator(int32_t cp) {
  if (cp < 0x80)
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == '*' || cp == '_' ||
           cp == ':';
  return vbg__pcre_hspace(cp) || vbg__pcre_vspace(cp);
}

/* The first words of the alternatives of TYPEWORDS in scan.c, lower case
 * (keep the two in step): a type word can only start with one of them. */
static const lit tw_openers[] = {
    LIT("nghị"),   LIT("quyết"),  LIT("quy"),   LIT("chỉ"),   LIT("kết"),
    LIT("kế"),     LIT("chương"), LIT("hướng"), LIT("thông"), LIT("công"),
    LIT("văn"),    LIT("tờ"),     LIT("báo"),   LIT("đề"),    LIT("dự"),
    LIT("phương"), LIT("biên"),   LIT("hợp"),   LIT("giấy"),  LIT("pháp"),
    LIT("bộ"),     LIT("luật"),   LIT("lệnh"),  LIT("hiến"),  LIT("bản"),
    LIT("phiếu"),  LIT("phụ")};

/* The last words of the same, each with the word counts of the type words
 * that end in it (bit k: one of k words; "tịch": "nghị quyết liên tịch"). */
#define W(k) (1u << (k))
static const struct {
  lit w;
  unsigned counts;
} tw_tails[] = {{LIT("tịch"), W(4)},        {LIT("quyết"), W(2)},
                {LIT("định"), W(2)},        {LIT("thị"), W(2)},
                {LIT("luận"), W(2)},        {LIT("động"), W(4)},
                {LIT("hoạch"), W(2)},       {LIT("trình"), W(2)},
                {LIT("dẫn"), W(2)},         {LIT("báo"), W(2)},
                {LIT("tư"), W(2)},          {LIT("văn"), W(2)},
                {LIT("nhất"), W(4)},        {LIT("bản"), W(2)},
                {LIT("điện"), W(2)},        {LIT("tra"), W(4)},
                {LIT("cáo"), W(2)},         {LIT("án"), W(2)},
                {LIT("chế"), W(2)},         {LIT("tri"), W(2)},
                {LIT("đồng"), W(2)},        {LIT("mời"), W(2)},
                {LIT("lệnh"), W(1) | W(2)}, {LIT("luật"), W(1) | W(2)},
                {LIT("pháp"), W(2)},        {LIT("nhớ"), W(3)},
                {LIT("thuận"), W(3)},       {LIT("kết"), W(3)},
                {LIT("y"), W(3)},           {LIT("lục"), W(2) | W(3)},
                {LIT("sao"), W(2) | W(3)},  {LIT("quyền"), W(3)},
                {LIT("thiệu"), W(3)},       {LIT("phép"), W(3)},
                {LIT("nhận"), W(3)},        {LIT("đường"), W(3)},
                {LIT("sơ"), W(5)},          {LIT("gửi"), W(2)},
                {LIT("chuyển"), W(2)}};
#undef W

/* The lower case of s[a..b), a word of plain letters, into low (cap bytes,
 * no NUL); 0 when it does not fit.  Case never changes the length of a
 * plain letter in UTF-8, and they are all valid two- or three-byte ones. */
static size_t plain_lower_word(char *low, size_t cap, const char *s, size_t a,
                               size_t b) {
  const unsigned char *u = (const unsigned char *)s + a;
  size_t n = b - a;
  if (n > cap)
    return 0;
  /* byte by byte: the case partners of plain letters differ in one byte */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = u[i];
    if (c < 0x80) {
      low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    } else if (c == 0xE1) { /* U+1EA0..U+1EF9: upper case even */
      low[i] = (char)c;
      low[i + 1] = (char)u[i + 1];
      low[i + 2] = (char)(u[i + 2] | 1);
      i += 2;
    } else {
      unsigned char d = u[i + 1];
      if (c == 0xC3) /* Latin-1 */
        d = d <= 0x9E && d != 0x97 ? (unsigned char)(d + 0x20) : d;
      else if (c == 0xC6 && (d == 0xAF || d == 0xB0)) /* Ư ư */
        d = 0xB0;
      else /* Ă Đ Ĩ Ũ Ơ and their lower case: upper case even */
        d |= 1;
      low[i] = (char)c;
      low[i + 1] = (char)d;
      i++;
    }
  }
  return n;
}

/* vbg__lower_fixed() of s[a..b) (no NUL), with words of plain letters
 * lowered here. */
static size_t word_lower(char *low, size_t cap, const char *s, size_t a,
                         size_t b) {
  const unsigned char *u = (const unsigned char *)s;
  if (b - a >= cap)
    return vbg__lower_fixed(low, cap, s + a, b - a);
  for (size_t i = a; i < b;) {
    if (u[i] < 0x80) {
      i++;
      continue;
    }
    /* plain letters above ASCII: two bytes from C3 to C6, or three from E1 */
    int32_t cp = -1;
    if (u[i] >= 0xC3 && u[i] <= 0xC6 && i + 1 < b &&
        (u[i + 1] & 0xC0) == 0x80) {
      cp = ((int32_t)(u[i] & 0x1F) << 6) | (u[i + 1] & 0x3F);
      i += 2;
    } else if (u[i] == 0xE1 && i + 2 < b && (u[i + 1] & 0xC0) == 0x80 &&
               (u[i + 2] & 0xC0) == 0x80) {
      cp = 0x1000 | ((int32_t)(u[i + 1] & 0x3F) << 6) | (u[i + 2] & 0x3F);
      i += 3;
    }
    if (!plain_letter(cp))
      return vbg__lower_fixed(low, cap, s + a, b - a);
  }
  return plain_lower_word(low, cap, s, a, b);
}

/* Is s[a..b), a word of plain letters, one of tw_openers in any case? */
static int tw_opener(const char *s, size_t a, size_t b) {
  unsigned char c0 = (unsigned char)s[a];
  if (c0 >= 0x80 && c0 != 0xC4) /* Đ đ */
    return 0;
  /* the first letters of tw_openers, either case: b c d g h k l n p q t v */
  static const uint32_t firsts =
      1u << ('b' - 'a') | 1u << ('c' - 'a') | 1u << ('d' - 'a') |
      1u << ('g' - 'a') | 1u << ('h' - 'a') | 1u << ('k' - 'a') |
      1u << ('l' - 'a') | 1u << ('n' - 'a') | 1u << ('p' - 'a') |
      1u << ('q' - 'a') | 1u << ('t' - 'a') | 1u << ('v' - 'a');
  unsigned f = (unsigned)(c0 | 0x20) - 'a';
  if (c0 < 0x80 && (f >= 26 || !(firsts >> f & 1)))
    return 0;
  char low[16];
  size_t n = b - a < 2 ? 0 : plain_lower_word(low, sizeof(low), s, a, b);
  for (size_t j = 0; n && j < VBG__ARRAY_LEN(tw_openers); j++)
    if (tw_openers[j].n == n && tw_openers[j].s[0] == low[0] &&
        memcmp(tw_openers[j].s, low, n) == 0)
      return 1;
  return 0;
}

#define TAIL_SO (1u << 31) /* tw_tail() of "số" */

/* The counts of tw_tails for the word s[a..b) (plain letters), 0 when no
 * type word ends in it, TAIL_SO for the word "số". */
static unsigned tw_tail(const char *s, size_t a, size_t b) {
  char low[16];
  size_t n = plain_lower_word(low, sizeof(low), s, a, b);
  if (n == strlen("số") && memcmp(low, "số", n) == 0)
    return TAIL_SO;
  for (size_t j = 0; n && j < VBG__ARRAY_LEN(tw_tails); j++)
    if (tw_tails[j].w.n == n && tw_tails[j].w.s[0] == low[0] &&
        memcmp(tw_tails[j].w.s, low, n) == 0)
      return tw_tails[j].counts;
  return 0;
}

/* The code point that ends right before s[i] (i > 0), as
 * vbg__utf8_decode_back() reads it, with the usual two- and three-byte
 * letters decoded here. */
static inline int32_t back_cp(const char *s, size_t i, size_t *k) {
  const unsigned char *u = (const unsigned char *)s;
  *k = 1;
  if (u[i - 1] < 0x80)
    return u[i - 1];
  if ((u[i - 1] & 0xC0) == 0x80 && i >= 2) {
    if (u[i - 2] >= 0xC2 && u[i - 2] <= 0xDF) {
      *k = 2;
      return ((int32_t)(u[i - 2] & 0x1F) << 6) | (u[i - 1] & 0x3F);
    }
    if (i >= 3 && (u[i - 2] & 0xC0) == 0x80 && u[i - 3] >= 0xE1 &&
        u[i - 3] <= 0xEC) {
      *k = 3;
      return ((int32_t)(u[i - 3] & 0x0F) << 12) |
             ((int32_t)(u[i - 2] & 0x3F) << 6) | (u[i - 1] & 0x3F);
    }
  }
  return vbg__utf8_decode_back(s, i, k);
}

/* The words typeword_start() read, for typeword_match(). */
typedef struct tw_words {
  int decided;      /* 1: the words decide the match (all plain) */
  int tail;         /* the last word of the type word: 1, or 2 after "số" */
  unsigned openers; /* bit j: word j, a possible start, is an opener */
  size_t ws[8], we[8]; /* word j back from `at`: s[ws[j]..we[j]) */
} tw_words;

/* Where a match of the type word pattern ending at `at` can start, at the
 * earliest; `at` when it cannot match at all.
 *
 * The match is at most six words (the longest type word has five, then
 * "số") of letters between separators, so the search can skip what lies
 * before the sixth word back, or before anything else (a digit, a comma).
 * Every other code point counts as a letter.  Letters PCRE2 and this code
 * surely read alike are plain (plain_letter()); words of them decide more:
 * - the type word ends with the last word, or the one before a last "số",
 *   which must be one of tw_tails, whose word counts say which words back
 *   can start it (a word of the type word is one of these words);
 * - a match cannot start inside such a word (the look-behind), and its
 *   first word must fill it, so only one of tw_openers can start it.
 * A word with any other letter (PCRE2 may fold or split it otherwise)
 * decides nothing and brings back the six-word bound.  PCRE2 then tries a word
 * or two instead of 72 bytes, and nothing at all before most numbers. */
static size_t typeword_start(const char *s, size_t lo, size_t at,
                             tw_words *tw) {
  size_t i = at, start = at, we = at;
  int words = 0, in_word = 0, plain = 1, limit = 6, tail = 1;
  unsigned starts = ~0u; /* bit j: the j-th word back may start one */
  tw->decided = 0;
  tw->tail = 1;
  tw->openers = 0;
  for (;;) {
    size_t k = 1;
    int32_t cp = -1;
    int stop = i <= lo, sep = 0, letter = 0;
    if (!stop && (cp = back_cp(s, i, &k)) < 0)
      stop = 2;
    if (!stop) {
      sep = tw_separator(cp);
      letter = !sep && (cp >= 0x80 || (cp >= 'a' && cp <= 'z') ||
                        (cp >= 'A' && cp <= 'Z'));
    }
    if (!letter && in_word) { /* s[i..we), the words-th word back */
      if (words < 8) {
        tw->ws[words] = i;
        tw->we[words] = we;
      }
      if (!plain) {
        /* its words may not be the type word's: U+180E, \s to PCRE2, even
         * splits one of them in two here, or is a "word" of its own that
         * PCRE2 reads as a space: six more words from here may still hold
         * the match */
        start = i;
        starts = ~0u;
        limit = words + 6;
        tw->decided = -1;
      } else {
        if (words == tail) {
          unsigned n = tw_tail(s, i, we);
          if (n == 0 || (n == TAIL_SO && tail == 2))
            return at;
          if (n == TAIL_SO) {
            tail = 2;
          } else {
            /* each word of the type word is one of these words */
            starts = n << (tail - 1);
            while (!(starts >> limit & 1))
              limit--;
            if (tw->decided == 0)
              tw->decided = 1;
            tw->tail = tail;
          }
        }
        if (words < 32 && (starts >> words & 1) && tw_opener(s, i, we)) {
          start = i;
          tw->openers |= 1u << words;
        }
      }
      in_word = 0;
      if (words == limit)
        return start;
    }
    if (stop == 2)
      tw->decided = -1; /* a bad byte: leave it to PCRE2 */
    if (!sep && !letter)
      return start;
    if (letter) {
      if (!in_word) {
        words++;
        in_word = 1;
        we = i;
        plain = 1;
      }
      if (cp >= 0x80)
        plain = plain && plain_letter(cp);
    }
    i -= k;
  }
}

/* A type word typeword_match() found, spelled as vbg__type_word_find()
 * would look it up, when that is sure. */
typedef struct tw_found {
  int have;
  size_t n;
  char low[64];
} tw_found;

/* The type words of TYPEWORDS in scan.c, lower case, single spaces, but
 * for the one-word ones, which are case sensitive. */
static const lit tw_phrases[] = {LIT("nghị quyết liên tịch"),
                                 LIT("nghị quyết"),
                                 LIT("quyết định"),
                                 LIT("quy định"),
                                 LIT("chỉ thị"),
                                 LIT("kết luận"),
                                 LIT("kế hoạch hành động"),
                                 LIT("kế hoạch"),
                                 LIT("chương trình hành động"),
                                 LIT("chương trình"),
                                 LIT("hướng dẫn"),
                                 LIT("thông báo"),
                                 LIT("thông tư liên tịch"),
                                 LIT("thông tư"),
                                 LIT("nghị định"),
                                 LIT("công văn"),
                                 LIT("văn bản hợp nhất"),
                                 LIT("văn bản"),
                                 LIT("công điện"),
                                 LIT("tờ trình"),
                                 LIT("báo cáo thẩm tra"),
                                 LIT("báo cáo"),
                                 LIT("đề án"),
                                 LIT("dự án"),
                                 LIT("phương án"),
                                 LIT("quy chế"),
                                 LIT("thông tri"),
                                 LIT("thông cáo"),
                                 LIT("biên bản"),
                                 LIT("hợp đồng"),
                                 LIT("giấy mời"),
                                 LIT("pháp lệnh"),
                                 LIT("bộ luật"),
                                 LIT("hiến pháp"),
                                 LIT("bản ghi nhớ"),
                                 LIT("bản thỏa thuận"),
                                 LIT("bản thoả thuận"),
                                 LIT("bản cam kết"),
                                 LIT("bản sao y"),
                                 LIT("bản sao lục"),
                                 LIT("bản trích sao"),
                                 LIT("bản sao"),
                                 LIT("giấy ủy quyền"),
                                 LIT("giấy uỷ quyền"),
                                 LIT("giấy giới thiệu"),
                                 LIT("giấy nghỉ phép"),
                                 LIT("giấy chứng nhận"),
                                 LIT("giấy đi đường"),
                                 LIT("giấy biên nhận hồ sơ"),
                                 LIT("phiếu gửi"),
                                 LIT("phiếu chuyển"),
                                 LIT("phiếu báo"),
                                 LIT("phụ lục")};
static const lit tw_cased[] = {LIT("Luật"), LIT("LUẬT"), LIT("Lệnh"),
                               LIT("LỆNH")};

/* Which of the separators tw_separator() knows is in \h too? */
/* Does s[a..b), separators only (all \s but '*', '_', ':'), match
 * [\s*_]* (before 0), \s*:?[\s*_]* (before 1) or \h*:?[\s*_]* (before
 * 2)?  Only a ':' can stop [\s*_]*: at most one, after \s or \h only. */
static int tw_gap(const char *s, size_t a, size_t b, int before) {
  int colon = 0, other = 0; /* other: a character the ':' may not follow */
  for (size_t i = a; i < b;) {
    size_t k;
    int32_t cp = vbg__utf8_decode(s, b, i, &k);
    if (cp == ':') {
      if (colon || other || before == 0)
        return 0;
      colon = 1;
    } else if (cp == '*' || cp == '_' ||
               (before == 2 && !vbg__pcre_hspace(cp))) {
      other = 1;
    }
    i += k;
  }
  return 1;
}

/* The type word pattern, ending at `at`, over the words typeword_start()
 * read and decided on: 1 with its "tw" group in tw_span, 0 for no match,
 * -1 when a character it does not read exactly is in the way. */
static int typeword_match(const char *s, size_t at, const tw_words *tw,
                          size_t tw_span[2], tw_found *out) {
  int tail = tw->tail;
  size_t e = tw->we[tail];
  /* after the type word: (?<so>[\s*_]+số\s*:?|\h*:)?[\s*_]*\z */
  if (tail == 2 ? tw->ws[1] == e || !tw_gap(s, e, tw->ws[1], 0) ||
                      !tw_gap(s, tw->we[1], at, 1)
                : !tw_gap(s, e, at, 2))
    return 0;
  for (int j = 6; j >= tail; j--) { /* leftmost first, as PCRE2 */
    if (!(tw->openers >> j & 1))
      continue;
    size_t a = tw->ws[j];
    if (a > 0) { /* (?<![\p{L}\p{N}]) */
      size_t k;
      int32_t cp = back_cp(s, a, &k);
      if (cp < 0 || (cp >= 0x80 && !plain_letter(cp) && !tw_separator(cp)))
        return -1;
      if (plain_letter(cp) || (cp >= '0' && cp <= '9'))
        continue;
    }
    char low[64];
    size_t n = 0;
    int ok = 1, folds = 1; /* folds: vbg__type_word_find() would fold the
                              gaps to the single spaces of low */
    for (int m = j; ok && m >= tail; m--) {
      if (m < j) { /* \s+ between the words */
        for (size_t g = tw->we[m + 1]; g < tw->ws[m]; g++) {
          unsigned char c = (unsigned char)s[g];
          if (c == '*' || c == '_' || c == ':')
            ok = 0;
          else if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                     (c == 0xC2 && (unsigned char)s[g + 1] == 0xA0) ||
                     (c == 0xA0 && (unsigned char)s[g - 1] == 0xC2)))
            folds = 0;
        }
        low[n++] = ' ';
      }
      size_t wn = tw->we[m] - tw->ws[m];
      if (wn >= sizeof(low) - n)
        ok = 0; /* longer than any type word */
      else
        n += plain_lower_word(low + n, wn, s, tw->ws[m], tw->we[m]);
    }
    if (!ok)
      continue;
    int found = 0;
    if (j == tail) {
      for (size_t c = 0; !found && c < VBG__ARRAY_LEN(tw_cased); c++)
        found =
            tw_cased[c].n == e - a && memcmp(s + a, tw_cased[c].s, e - a) == 0;
    } else {
      for (size_t c = 0; !found && c < VBG__ARRAY_LEN(tw_phrases); c++)
        found = tw_phrases[c].n == n && tw_phrases[c].s[0] == low[0] &&
                memcmp(low, tw_phrases[c].s, n) == 0;
    }
    if (found) {
      tw_span[0] = a;
      tw_span[1] = e;
      if ((out->have = folds && e - a <= 80) != 0) {
        memcpy(out->low, low, n);
        out->n = n;
      }
      return 1;
    }
  }
  return 0;
}

/* Could the header pattern ("Số:" opening a line) end at `at`, searched
 * from lo?  Its "số" must end where \h*[:.]?[\h*_]* reaches `at`; no
 * only when the bytes there are surely not "số".  Any other white space
 * PCRE2 may see as \h leaves it to PCRE2. */
static int header_possible(const char *s, size_t lo, size_t at) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = at;
  int stop = 0;
  for (;;) { /* [\h*_:.] back, one ':' or '.' at most */
    if (i > lo && (u[i - 1] == ' ' || u[i - 1] == '\t' || u[i - 1] == '*' ||
                   u[i - 1] == '_')) {
      i--;
    } else if (i >= lo + 2 && u[i - 2] == 0xC2 && u[i - 1] == 0xA0) {
      i -= 2;
    } else if (!stop && i > lo && (u[i - 1] == ':' || u[i - 1] == '.')) {
      stop = 1;
      i--;
    } else {
      break;
    }
  }
  if (i < lo + 3 || u[i - 1] < 0x80)
    return 0;
  const unsigned char *p = u + i - 3;
  if ((p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80) || /* U+1680 */
      (p[0] == 0xE1 && p[1] == 0xA0 && p[2] == 0x8E) || /* U+180E */
      (p[0] == 0xE2 && p[1] == 0x80 && (p[2] <= 0x8A || p[2] == 0xAF)) ||
      (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) || /* U+205F */
      (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80))   /* U+3000 */
    return 1;
  if (!(p[0] == 0xE1 && p[1] == 0xBB && (p[2] == 0x90 || p[2] == 0x91)))
    return 0; /* ố Ố */
  return (i >= lo + 4 && (u[i - 4] | 0x20) == 's') ||
         (i >= lo + 5 && u[i - 5] == 0xC5 && u[i - 4] == 0xBF); /* ſ */
}

/* Match a pattern ending exactly at `at`; fills ov (nvec pairs). */
static int ends_at(vbg__win *w, vbg__pat pat, size_t at, size_t span,
                   size_t *ov, int nvec, int tw_group, tw_found *found) {
  const vbg__re *re = w->ex->pats[pat];
  size_t lo = back_from(w->t->s, at, span);
  if (pat == VBG__PAT_TYPEWORD) {
    tw_words tw;
    lo = typeword_start(w->t->s, lo, at, &tw);
    if (lo == at)
      return 0;
    size_t span[2];
    int r = tw.decided == 1 && !vbg__re_limited(re, w->m)
                ? typeword_match(w->t->s, at, &tw, span, found)
                : -1;
    if (r >= 0) {
      for (int i = 0; i < 2 * nvec; i++)
        ov[i] = SIZE_MAX;
      if (r == 1) {
        ov[0] = span[0];
        ov[1] = at;
        ov[2 * tw_group] = span[0];
        ov[2 * tw_group + 1] = span[1];
      }
      return r;
    }
  } else if (pat == VBG__PAT_HEADER && !header_possible(w->t->s, lo, at)) {
    return 0;
  }
  return vbg__re_match(re, w->m, w->t->s, at, lo, 0, ov, nvec);
}

/* Attach "Nghị quyết số" / "Luật ... số" / header "Số:" in front of c.
 * tw_groups: the "tw" groups of the type word and law word patterns. */
static int attach_front(vbg__win *w, vbg__cand *c, const int *tw_groups) {
  size_t ov[8];
  int tw = tw_groups[0];
  tw_found found = {0, 0, {0}};
  int r = ends_at(w, VBG__PAT_TYPEWORD, c->num_at, 72, ov, 4, tw, &found);
  if (r < 0)
    return r;
  if (r == 0 && c->family == VBG_FAMILY_LEGAL && !c->type_code) {
    tw = tw_groups[1];
    r = ends_at(w, VBG__PAT_LAWWORD, c->num_at, 400, ov, 4, tw, &found);
    if (r < 0)
      return r;
  }
  if (r == 1) {
    const vbg__type_word *word =
        found.have ? vbg__type_word_lower(found.low, found.n)
                   : vbg__type_word_find(w->t->s + ov[2 * tw],
                                         ov[2 * tw + 1] - ov[2 * tw]);
    if (word) {
      c->tw = word;
      c->doc_type = word->name;
      c->nstart = ov[2 * tw];
    }
    return VBG_OK;
  }
  r = ends_at(w, VBG__PAT_HEADER, c->num_at, 48, ov, 1, 0, &found);
  if (r < 0)
    return r;
  c->header = r == 1;
  return VBG_OK;
}

/* "3313/CT-TTHT": CT is also Cục Thuế, the issuer of a letter, when the
 * second group is no known issuer and no "Chỉ thị" word says otherwise. */
static int ct_collision(memo *m, vbg__cand *c, const char *s, code_parts *p) {
  if (c->family != VBG_FAMILY_STATE || !c->type_code ||
      strcmp(c->type_code, "CT") != 0 || known_issuer(m, s, p->groups[1]))
    return VBG_OK;
  if (c->tw && strcmp(c->tw->name, "Công văn") != 0 &&
      strcmp(c->tw->name, "Văn bản") != 0)
    return VBG_OK;
  const vbg__type_word *tw = c->tw;
  const char *doc_type = c->doc_type;
  size_t nstart = c->nstart, num_at = c->num_at, end = c->code_end;
  int header = c->header;
  vbg__cand_dispose(c);
  c->nstart = nstart;
  c->num_at = num_at;
  c->nend = c->code_end = c->tail_end = end;
  c->tw = tw;
  c->doc_type = doc_type;
  c->header = header;
  p->tc = NULL;
  p->first_issuer = 0;
  p->family = VBG_FAMILY_LETTER;
  return spell(m, c, s, p);
}

/* ------------------------------------------------------------------ */
/* Finding codes                                                       */
/* ------------------------------------------------------------------ */

static int gap_is_list_sep(const char *s, size_t a, size_t b) {
  size_t i = a;
  while (i < b) {
    if (strchr(" \t\r\n,;*_", s[i])) {
      i++;
      continue;
    }
    if (b - i >= 3 && memcmp(s + i, "và", 3) == 0) {
      i += 3;
      continue;
    }
    return 0;
  }
  return 1;
}

/* Offset of the first lit[0..n) in s[from..len), or len.  memchr looks for
 * the first continuation byte of lit when it has one ("n\xC3\xA0y"): much
 * rarer in Vietnamese text than a first letter such as 'n' or 't'. */
static size_t find_lit(const char *s, size_t len, size_t from, const char *lit,
                       size_t n) {
  size_t k = 0;
  while (k < n && ((unsigned char)lit[k] & 0xC0) != 0x80)
    k++;
  if (k == n)
    k = 0;
  while (from + n <= len) {
    const char *p = memchr(s + from + k, lit[k], len - from - n + 1);
    if (!p)
      return len;
    size_t at = (size_t)(p - s) - k;
    if (memcmp(s + at, lit, n) == 0)
      return at;
    from = at + 1;
  }
  return len;
}

/* Could the code pattern match at the digit run s[d..), in s[0..hi)?  No
 * only where it surely cannot, reading ASCII and plain letters and leaving
 * everything else to PCRE2: most digit runs before a slash are dates and
 * amounts ("14/7/2015", "ngày 14 tháng 7"), which fail at the first step.
 * The pattern: no letter, digit, '_', '.', slash or dash before the number
 * (nor a digit and ':' or ','); one to six digits; then a slash or a dash,
 * or a code group (letters, then a slash), after optional spaces; after a
 * slash, a year or a code group. */
static int code_may_start(const char *s, size_t d, size_t hi) {
  if (d > 0) {
    unsigned char b = (unsigned char)s[d - 1];
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' ||
        b == '.' || b == '/' || b == '-')
      return 0;
    if ((b == ':' || b == ',') && d > 1 && is_digit(s[d - 2]))
      return 0;
    size_t k;
    if (b >= 0x80 && plain_letter(back_cp(s, d, &k)))
      return 0;
  }
  size_t i = d;
  while (i < hi && is_digit(s[i]))
    i++;
  if (i - d > 6) /* a seventh digit follows whatever \d{1,6} takes */
    return 0;
  while (i < hi && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (i >= hi)
    return 0; /* something must follow the number */
  unsigned char c = (unsigned char)s[i];
  if (c >= 0x80)
    return 1; /* a dash, a slash look-alike, a letter, NBSP ... */
  if (c == '-')
    return 1;
  if (c == '/') {
    i++;
    while (i < hi && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if (i >= hi)
      return 0;
    c = (unsigned char)s[i];
    return c >= 0x80 || c == '1' || c == '2' || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
  }
  if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
    return 0;
  /* a code group, then a slash: "ngày 14 tháng" has none */
  while (i < hi) {
    c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
        c == '&') {
      i++;
      continue;
    }
    if (c == '.' && i + 1 < hi && (unsigned char)s[i + 1] >= 0x80)
      return 1; /* maybe a letter after the dot */
    if (c == '.' && i + 1 < hi &&
        (((unsigned char)s[i + 1] | 0x20) >= 'a' &&
         ((unsigned char)s[i + 1] | 0x20) <= 'z')) {
      i++;
      continue;
    }
    if (c >= 0x80) {
      size_t k;
      if (!plain_letter(vbg__utf8_decode(s, hi, i, &k)))
        return 1;
      i += k;
      continue;
    }
    break;
  }
  while (i < hi && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i < hi && ((unsigned char)s[i] >= 0x80 || s[i] == '/');
}

/* ------------------------------------------------------------------ */
/* The code pattern by hand                                            */
/* ------------------------------------------------------------------ */

/* What the code pattern of scan.c (UTF, UCP) makes of a character, for the
 * characters read exactly here: ASCII, the plain letters, the horizontal
 * white space, the dashes and slashes it names, common quotes.  Any other
 * (CC_UNKNOWN) makes code_match() leave the match to PCRE2. */
enum {
  CC_END,
  CC_DIGIT,
  CC_LETTER,
  CC_HSPACE,
  CC_DASH,
  CC_SLASH,   /* '/' U+2215 U+FF0F */
  CC_SLASHLB, /* the same for the look-behind, which has '/' and U+2215 */
  CC_DOT,
  CC_AMP,
  CC_UNDER,
  CC_OTHER,
  CC_UNKNOWN
};

static int cc_cp(int32_t cp) {
  if (cp < 0x80) {
    if (cp >= '0' && cp <= '9')
      return CC_DIGIT;
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
      return CC_LETTER;
    switch (cp) {
    case ' ':
    case '\t':
      return CC_HSPACE;
    case '-':
      return CC_DASH;
    case '/':
      return CC_SLASHLB;
    case '.':
      return CC_DOT;
    case '&':
      return CC_AMP;
    case '_':
      return CC_UNDER;
    default:
      return cp < 0 ? CC_UNKNOWN : CC_OTHER;
    }
  }
  if (plain_letter(cp))
    return CC_LETTER;
  if (vbg__pcre_hspace(cp) || cp == 0x180E) /* PCRE2's \h */
    return CC_HSPACE;
  if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
    return CC_DASH;
  if (cp == 0x2215)
    return CC_SLASHLB;
  if (cp == 0xFF0F)
    return CC_SLASH;
  if (cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D ||
      cp == 0x2026 || cp == 0xAB || cp == 0xBB)
    return CC_OTHER;
  return CC_UNKNOWN;
}

typedef struct code_m {
  const char *s;
  size_t hi; /* the subject is s[0..hi) */
  int bail;  /* met a CC_UNKNOWN */
} code_m;

/* The class of a character from 0x80 up at i, its length in *k. */
static int cc_multi(code_m *m, size_t i, size_t *k) {
  int cls = cc_cp(vbg__utf8_decode(m->s, m->hi, i, k));
  if (cls == CC_UNKNOWN)
    m->bail = 1;
  return cls == CC_SLASHLB ? CC_SLASH : cls;
}

/* The class of each ASCII character in the pattern's body ('_' counts
 * only in the look-behind, which reads cc_cp()). */
#define N CC_DIGIT
#define L CC_LETTER
#define H CC_HSPACE
#define D CC_DASH
#define S CC_SLASH
#define P CC_DOT
#define A CC_AMP
#define O CC_OTHER
static const unsigned char cc_ascii[128] = {
    O, O, O, O, O, O, O, O, O, H, O, O, O, O, O, O, /* 00 */
    O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, /* 10 */
    H, O, O, O, O, O, A, O, O, O, O, O, O, D, P, S, /* 20 */
    N, N, N, N, N, N, N, N, N, N, O, O, O, O, O, O, /* 30 */
    O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 40 */
    L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, O, /* 50 */
    O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 60 */
    L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, O, /* 70 */
};
#undef N
#undef L
#undef H
#undef D
#undef S
#undef P
#undef A
#undef O

/* The class of the character at i, its length in *k. */
static inline int cc_at(code_m *m, size_t i, size_t *k) {
  *k = 1;
  if (i >= m->hi)
    return CC_END;
  unsigned char c = (unsigned char)m->s[i];
  return c < 0x80 ? cc_ascii[c] : cc_multi(m, i, k);
}

static inline size_t cm_hspace(code_m *m, size_t i) {
  size_t k;
  while (cc_at(m, i, &k) == CC_HSPACE)
    i += k;
  return i;
}

/* SLASH or DASH of scan.c (cls CC_SLASH or CC_DASH) at i: its end, or
 * SIZE_MAX.  No backtracking can help: \h is neither. */
static inline size_t cm_sep(code_m *m, size_t i, int cls) {
  size_t k;
  i = cm_hspace(m, i);
  if (cc_at(m, i, &k) != cls)
    return SIZE_MAX;
  return cm_hspace(m, i + k);
}

/* G at i: its end, or SIZE_MAX.  Only the longest run can be followed by
 * what the pattern wants next (white space, a slash, a dash). */
static size_t cm_g(code_m *m, size_t i) {
  size_t k, k2;
  if (cc_at(m, i, &k) != CC_LETTER)
    return SIZE_MAX;
  for (i += k;; i += k) {
    int c = cc_at(m, i, &k);
    if (c == CC_LETTER || c == CC_DIGIT || c == CC_AMP)
      continue;
    if (c == CC_DOT && cc_at(m, i + 1, &k2) == CC_LETTER)
      continue;
    return i;
  }
}

/* GROUPS at i: its end, or SIZE_MAX. */
static size_t cm_groups(code_m *m, size_t i) {
  size_t e = cm_g(m, i);
  while (e != SIZE_MAX) {
    size_t j = cm_sep(m, e, CC_DASH), f = j == SIZE_MAX ? j : cm_g(m, j);
    if (f == SIZE_MAX)
      break;
    e = f;
  }
  return e;
}

static int code_groups_fit(const groups_ix *gx) {
  const int g[] = {gx->num, gx->year, gx->lg, gx->pdash,
                   gx->pt,  gx->pg,   gx->sg, gx->lsep};
  for (size_t i = 0; i < VBG__ARRAY_LEN(g); i++)
    if (g[i] < 1 || g[i] > 8)
      return 0;
  return 1;
}

static void cm_set(size_t *ov, int g, size_t a, size_t b) {
  ov[2 * g] = a;
  ov[2 * g + 1] = b;
}

/* The code pattern anchored at the digit s[d], in s[0..hi), as PCRE2
 * would match it: 1 with ov (9 pairs) filled, 0 for no match, -1 when a
 * character it does not read exactly was in the way.  PCRE2 spends more on
 * one of these than the rest of finding the code does. */
static int code_match(const char *s, size_t hi, size_t d, const groups_ix *gx,
                      size_t *ov) {
  code_m m = {s, hi, 0};
  size_t k, i;
  if (d > 0) { /* NUMLB */
    int32_t cp = back_cp(s, d, &k);
    int c = cc_cp(cp);
    if (c == CC_UNKNOWN)
      return -1;
    if (c == CC_LETTER || c == CC_DIGIT || c == CC_UNDER || c == CC_DOT ||
        c == CC_SLASHLB || c == CC_DASH)
      return 0;
    if ((cp == ':' || cp == ',') && d - k > 0) {
      c = cc_cp(back_cp(s, d - k, &k));
      if (c == CC_UNKNOWN)
        return -1;
      if (c == CC_DIGIT)
        return 0;
    }
  }
  for (i = d; cc_at(&m, i, &k) == CC_DIGIT;)
    i += k;
  if (m.bail)
    return -1;
  if (i - d > 6) /* a digit follows whatever \d{1,6} takes */
    return 0;
  for (int j = 0; j < 18; j++)
    ov[j] = SIZE_MAX;
  cm_set(ov, gx->num, d, i);
  size_t p = i, e;
  /* (?<lsep>SLASH|DASH)(?<year>(?:19|20)\d\d)SLASH(?<lg>GROUPS) */
  static const int lseps[] = {CC_SLASH, CC_DASH};
  for (size_t l = 0; l < VBG__ARRAY_LEN(lseps); l++) {
    size_t y = cm_sep(&m, p, lseps[l]);
    if (y == SIZE_MAX || y + 4 > hi ||
        !((s[y] == '1' && s[y + 1] == '9') || (s[y] == '2' && s[y + 1] == '0')))
      continue;
    if (cc_at(&m, y + 2, &k) != CC_DIGIT || cc_at(&m, y + 3, &k) != CC_DIGIT)
      continue;
    size_t q = cm_sep(&m, y + 4, CC_SLASH);
    if (q == SIZE_MAX || (e = cm_groups(&m, q)) == SIZE_MAX)
      continue;
    cm_set(ov, gx->lsep, p, y);
    cm_set(ov, gx->year, y, y + 4);
    cm_set(ov, gx->lg, q, e);
    cm_set(ov, 0, d, e);
    return m.bail ? -1 : 1;
  }
  /* (?<pdash>DASH|\h+|)(?<pt>G)SLASH(?<pg>GROUPS), the three in turn */
  for (int alt = 0; alt < 3; alt++) {
    size_t t = alt == 0   ? cm_sep(&m, p, CC_DASH)
               : alt == 1 ? (cc_at(&m, p, &k) == CC_HSPACE ? cm_hspace(&m, p)
                                                           : SIZE_MAX)
                          : p;
    size_t te = t == SIZE_MAX ? t : cm_g(&m, t);
    size_t q = te == SIZE_MAX ? te : cm_sep(&m, te, CC_SLASH);
    if (q == SIZE_MAX || (e = cm_groups(&m, q)) == SIZE_MAX)
      continue;
    cm_set(ov, gx->pdash, p, t);
    cm_set(ov, gx->pt, t, te);
    cm_set(ov, gx->pg, q, e);
    cm_set(ov, 0, d, e);
    return m.bail ? -1 : 1;
  }
  /* SLASH(?<sg>GROUPS) */
  size_t q = cm_sep(&m, p, CC_SLASH);
  if (q != SIZE_MAX && (e = cm_groups(&m, q)) != SIZE_MAX) {
    cm_set(ov, gx->sg, q, e);
    cm_set(ov, 0, d, e);
    return m.bail ? -1 : 1;
  }
  return m.bail ? -1 : 0;
}

static int ctz64(uint64_t x) {
#if defined(__GNUC__)
  return __builtin_ctzll(x);
#else
  int n = 0;
  while (!(x & 1)) {
    x >>= 1;
    n++;
  }
  return n;
#endif
}

/* The digit runs that start in s[lo..b) (b - lo <= 64, b < len), as bits
 * from lo: a digit with no digit right before it. */
static uint64_t digit_runs(const char *s, size_t len, size_t lo, size_t b) {
  uint64_t digits = 0;
  size_t n = b - lo, i = 0;
#if defined(__SSE2__)
  /* whole blocks while they stay inside the text; bits past b are dropped */
  const __m128i shift = _mm_set1_epi8((char)('0' + 128)),
                bound = _mm_set1_epi8((char)(10 - 128));
  for (; i < n && lo + i + 16 <= len; i += 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + lo + i));
    digits |= (uint64_t)(unsigned)_mm_movemask_epi8(
                  _mm_cmplt_epi8(_mm_sub_epi8(x, shift), bound))
              << i;
  }
#endif
  for (; i < n; i++)
    if (is_digit(s[lo + i]))
      digits |= (uint64_t)1 << i;
  if (n < 64)
    digits &= ((uint64_t)1 << n) - 1;
  uint64_t before = digits << 1 | (lo > 0 && is_digit(s[lo - 1]));
  return digits & ~before;
}

/* "Mẫu số 01/ĐKTĐ-HĐĐT" numbers a form inside a document, not a document. */
static int form_number(const char *s, size_t at) {
  static const lit forms[] = {
      LIT("Mẫu số"),  LIT("mẫu số"),  LIT("Mẫu"),        LIT("mẫu"),
      LIT("Biểu số"), LIT("biểu số"), LIT("Phụ lục số"), LIT("phụ lục số")};
  size_t i = at;
  while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == ':'))
    i--;
  /* each ends in "ẫu", or in "u số" or "c số" (the last byte of "ố" is
   * 0x91) */
  if (i == 0 || (s[i - 1] != 'u' && (unsigned char)s[i - 1] != 0x91))
    return 0;
  if ((unsigned char)s[i - 1] == 0x91 &&
      (i < 6 || s[i - 5] != ' ' || (s[i - 6] != 'u' && s[i - 6] != 'c')))
    return 0;
  for (size_t k = 0; k < VBG__ARRAY_LEN(forms); k++) {
    size_t n = forms[k].n;
    if (i >= n && memcmp(s + i - n, forms[k].s, n) == 0 &&
        (i == n || s[i - n - 1] == ' ' || s[i - n - 1] == '\n' ||
         s[i - n - 1] == '('))
      return 1;
  }
  return 0;
}

int vbg__find_codes(vbg__win *w) {
  const vbg__re *re = w->ex->pats[VBG__PAT_CODE];
  const groups_ix gx = w->ex->g;
  /* the "tw" groups of the type word and law word patterns */
  const int tw_groups[2] = {gx.typeword_tw, gx.lawword_tw};
  /* the test limits must meet PCRE2 */
  int by_hand = !vbg__re_limited(re, w->m) && code_groups_fit(&gx);
  const char *s = w->t->s;
  size_t len = w->t->len, pos = 0, ov[2 * 9];
  /* Every document number has a slash (or the division / fullwidth slash
   * look-alikes): find those with memchr and try the pattern on the few
   * dozen bytes before each, not at every digit of the text. */
  int odd_slashes = find_lit(s, len, 0, "\xE2\x88\x95", 3) < len ||
                    find_lit(s, len, 0, "\xEF\xBC\x8F", 3) < len;
  while (pos < len) {
    size_t slash = pos;
    if (odd_slashes) {
      while (slash < len && s[slash] != '/' &&
             !(slash + 3 <= len && (memcmp(s + slash, "\xE2\x88\x95", 3) == 0 ||
                                    memcmp(s + slash, "\xEF\xBC\x8F", 3) == 0)))
        slash++;
    } else {
      const char *q = memchr(s + pos, '/', len - pos);
      slash = q ? (size_t)(q - s) : len;
    }
    if (slash >= len)
      break;
    /* the number starts at one of the digit runs in the 40 bytes before the
     * slash ("25-NQ/", "170/", "04  /2025/", "367 - QĐ/"): try each,
     * leftmost first, anchored */
    size_t lo = slash > 40 ? slash - 40 : 0,
           hi = slash + 200 < len ? slash + 200 : len;
    if (lo < pos)
      lo = pos;
    int r = 0;
    uint64_t runs = digit_runs(s, len, lo, slash);
    while (runs && r == 0) {
      size_t d = lo + (size_t)ctz64(runs);
      runs &= runs - 1;
      if (!code_may_start(s, d, hi))
        continue;
      r = by_hand ? code_match(s, hi, d, &gx, ov) : -1;
      if (r < 0)
        r = vbg__re_match(re, w->m, s, hi, d, VBG__MATCH_ANCHORED, ov, 9);
      if (r < 0)
        return r;
    }
    if (r == 0) {
      pos = slash + 1;
      continue;
    }
    code_parts p;
    memset(&p, 0, sizeof(p));
    memo mm;
    mm.n = 0;
    if (!classify(&mm, &p, s, ov, &gx)) {
      size_t k;
      vbg__utf8_decode(s, len, ov[0], &k);
      pos = ov[0] + k;
      continue;
    }
    if (form_number(s, ov[0])) {
      pos = ov[1];
      continue;
    }
    vbg__cand *c;
    int err = vbg__cands_push(w->cands, &c);
    if (err < 0)
      return err;
    c->nstart = c->num_at = ov[0];
    c->nend = c->code_end = c->tail_end = p.groups[p.ng - 1].e;
    if ((err = spell(&mm, c, s, &p)) < 0 ||
        (err = attach_front(w, c, tw_groups)) < 0)
      return err;
    if ((err = ct_collision(&mm, c, s, &p)) < 0)
      return err;
    /* A bare code right after a typed list item shares its type word. */
    if (!c->tw && w->cands->n >= 2) {
      vbg__cand *prev = &w->cands->v[w->cands->n - 2];
      if (prev->tw && !prev->short_form &&
          gap_is_list_sep(s, prev->code_end, c->nstart) &&
          vbg__type_word_accepts(prev->tw, c->type_code)) {
        c->tw = prev->tw;
        c->doc_type = prev->doc_type;
      }
    }
    pos = c->code_end;
  }
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* Short forms                                                         */
/* ------------------------------------------------------------------ */

/* Which candidates lie over which 512-byte block of the text, so that the
 * questions below cost a look at a block or two, not a walk over every
 * candidate (thousands of numbers in one input would make that quadratic).
 * Candidates are taken in as they appear at the end of w->cands. */
#define GRID_SHIFT 9

typedef struct grid_node {
  size_t cand, next;
} grid_node;

typedef struct cand_grid {
  size_t *head; /* per block: first node, SIZE_MAX for none */
  size_t nblocks;
  grid_node *node;
  size_t nn, an;
  size_t taken; /* candidates [0, taken) are in */
  int err;      /* sticky VBG_ENOMEM */
} cand_grid;

static _Thread_local cand_grid *cur_grid;

static void grid_catch_up(const vbg__win *w, cand_grid *g) {
  for (; g->err == 0 && g->taken < w->cands->n; g->taken++) {
    const vbg__cand *c = &w->cands->v[g->taken];
    size_t a = c->nstart < c->num_at ? c->nstart : c->num_at;
    size_t b = c->nend > c->num_at + 1 ? c->nend : c->num_at + 1;
    for (size_t k = a >> GRID_SHIFT; k <= (b - 1) >> GRID_SHIFT; k++) {
      if (k >= g->nblocks)
        break;
      if (g->nn == g->an) {
        size_t an = g->an ? g->an * 2 : 256;
        grid_node *v = vbg__realloc(g->node, an * sizeof(*v));
        if (!v) {
          g->err = VBG_ENOMEM;
          return;
        }
        g->node = v;
        g->an = an;
      }
      g->node[g->nn] = (grid_node){g->taken, g->head[k]};
      g->head[k] = g->nn++;
    }
  }
}

/* The full reference whose number starts at num_at, or -1. */
static long code_at(vbg__win *w, size_t num_at) {
  cand_grid *g = cur_grid;
  if (!g || g->err) {
    for (size_t i = 0; i < w->cands->n; i++)
      if (!w->cands->v[i].short_form && w->cands->v[i].num_at == num_at)
        return (long)i;
    return -1;
  }
  grid_catch_up(w, g);
  long best = -1;
  size_t k = num_at >> GRID_SHIFT;
  for (size_t n = k < g->nblocks ? g->head[k] : SIZE_MAX; n != SIZE_MAX;
       n = g->node[n].next) {
    const vbg__cand *c = &w->cands->v[g->node[n].cand];
    if (!c->short_form && c->num_at == num_at &&
        (best < 0 || g->node[n].cand < (size_t)best))
      best = (long)g->node[n].cand;
  }
  return best;
}

/* Whether [a, b) overlaps a candidate. */
static int inside_cand(vbg__win *w, size_t a, size_t b) {
  cand_grid *g = cur_grid;
  if (!g || g->err || b <= a) {
    for (size_t i = 0; i < w->cands->n; i++) {
      vbg__cand *c = &w->cands->v[i];
      if (a < c->nend && b > c->nstart)
        return 1;
    }
    return 0;
  }
  grid_catch_up(w, g);
  for (size_t k = a >> GRID_SHIFT; k <= (b - 1) >> GRID_SHIFT; k++)
    for (size_t n = k < g->nblocks ? g->head[k] : SIZE_MAX; n != SIZE_MAX;
         n = g->node[n].next) {
      const vbg__cand *c = &w->cands->v[g->node[n].cand];
      if (a < c->nend && b > c->nstart)
        return 1;
    }
  return 0;
}

/* A number of a list that shares the code of `code` ("187" of
 * "Kết luận số 187, 188-KL/TW"): becomes a full reference. */
static int share_code(vbg__cand *c, const vbg__cand *code, const char *s,
                      span num) {
  vbg_buf key;
  vbg_buf_init(&key);
  c->number = vbg__strndup(s + num.s, num.e - num.s);
  char *ser = serial(s, num.s, num.e);
  int err = !c->number || !ser ? VBG_ENOMEM : VBG_OK;
  if (err == 0) {
    c->num_value = atol(ser);
    c->family = code->family;
    c->year = code->year;
    const char *k = code->key, *rest = k;
    while (*rest && *rest >= '0' && *rest <= '9')
      rest++;
    err = vbg__buf_puts(&key, ser);
    if (err == 0)
      err = vbg__buf_puts(&key, rest);
  }
  if (err == 0) {
    c->key = vbg__buf_detach(&key);
    c->type_code = code->type_code ? vbg__strdup(code->type_code) : NULL;
    c->issuer_code = code->issuer_code ? vbg__strdup(code->issuer_code) : NULL;
    c->unit_code = code->unit_code ? vbg__strdup(code->unit_code) : NULL;
    c->list_shared = 1;
    if (!c->key)
      err = VBG_ENOMEM;
  }
  vbg__free(ser);
  vbg_buf_dispose(&key);
  return err;
}

static int short_cand(vbg__win *w, const vbg__type_word *word, size_t start,
                      span num, vbg__cand **out) {
  vbg__cand *c;
  int err = vbg__cands_push(w->cands, &c);
  if (err < 0)
    return err;
  c->nstart = start;
  c->num_at = num.s;
  c->nend = c->code_end = c->tail_end = num.e;
  c->tw = word;
  c->doc_type = word->name;
  c->short_form = 1;
  c->number = vbg__strndup(w->t->s + num.s, num.e - num.s);
  c->num_value = vbg__digits_value(w->t->s + num.s, num.e - num.s);
  *out = c;
  return c->number ? VBG_OK : VBG_ENOMEM;
}

/* "Quyết định số 217, số 218 ...", "Kết luận số 187, 188-KL/TW". */
static int number_list(vbg__win *w, const vbg__type_word *word, size_t start,
                       span first) {
  const vbg__re *re = w->ex->pats[VBG__PAT_LISTNUM];
  int gnum = w->ex->g.listnum_num, gso = w->ex->g.listnum_so;
  span items[16];
  size_t starts[16], n = 1, pos = first.e, ov[8];
  items[0] = first;
  starts[0] = start;
  long code = -1;
  while (n < 16) {
    int r = vbg__re_match(re, w->m, w->t->s, w->t->len, pos,
                          VBG__MATCH_ANCHORED, ov, 4);
    if (r < 0)
      return r;
    if (r == 0)
      break;
    span num = {ov[2 * gnum], ov[2 * gnum + 1]};
    if ((code = code_at(w, num.s)) >= 0)
      break;
    items[n] = num;
    starts[n] = ov[2 * gso] != SIZE_MAX ? ov[2 * gso] : num.s;
    n++;
    pos = num.e;
  }
  int gid = (int)w->cands->n + 1;
  if (code >= 0) {
    vbg__cand *cc = &w->cands->v[code];
    cc->list_group = gid;
    if (!cc->tw) {
      cc->tw = word;
      cc->doc_type = word->name;
    }
  }
  for (size_t i = 0; i < n; i++) {
    vbg__cand *c;
    if (inside_cand(w, starts[i], items[i].e))
      continue;
    int err = short_cand(w, word, starts[i], items[i], &c);
    if (err < 0)
      return err;
    c->list_group = gid;
    if (code >= 0) {
      c->short_form = 0;
      vbg__free(c->number);
      c->number = NULL;
      if ((err = share_code(c, &w->cands->v[code], w->t->s, items[i])) < 0)
        return err;
    } else if (i > 0) {
      c->list_shared = 1;
    }
  }
  return VBG_OK;
}

static int is_capital_at(const char *s, size_t len, size_t i) {
  size_t k;
  return vbg__is_upper(vbg__utf8_decode(s, len, i, &k));
}

/* Before a number that a type word owns ("Nghị quyết số 72") stands the
 * last syllable of a type word, maybe then "số": a cheap test that saves the
 * pattern for most numbers (dates, amounts, counts). */

static const lit number_tails[] = {
    LIT("quyết"), LIT("định"),  LIT("thị"), LIT("luận"), LIT("hoạch"),
    LIT("dẫn"),   LIT("báo"),   LIT("tư"),  LIT("văn"),  LIT("bản"),
    LIT("điện"),  LIT("trình"), {NULL, 0}};
static const lit back_tails[] = {
    LIT("quyết"), LIT("định"), LIT("thị"), LIT("luận"), LIT("hoạch"),
    LIT("trình"), LIT("dẫn"),  LIT("báo"), LIT("tư"),   LIT("văn"),
    LIT("bản"),   LIT("điện"), LIT("cáo"), LIT("án"),   LIT("chế"),
    LIT("luật"),  LIT("lệnh"), LIT("tri"), {NULL, 0}};

/* Skipped before a word: spaces, markup, ':' and NUL (which strchr() found
 * in the string of these it replaces). */
static int after_gap(char ch) {
  switch (ch) {
  case ' ':
  case '\t':
  case '\n':
  case '\r':
  case '*':
  case '_':
  case ':':
  case '\0':
    return 1;
  default:
    return 0;
  }
}

/* Is the word before t[d] (skipping spaces, markup, and "số" when allow_so)
 * one of tails? */
static int after_words(const char *t, size_t d, const lit *tails,
                       int allow_so) {
  size_t i = d;
  for (int pass = 0; pass < 2; pass++) {
    for (;;) {
      if (i > 1 && (unsigned char)t[i - 2] == 0xC2 &&
          (unsigned char)t[i - 1] == 0xA0)
        i -= 2; /* NBSP */
      else if (i > 0 && after_gap(t[i - 1]))
        i--;
      else
        break;
    }
    size_t e = i;
    while (i > 0 && (((unsigned char)t[i - 1] >= 0x80) ||
                     (t[i - 1] >= 'a' && t[i - 1] <= 'z') ||
                     (t[i - 1] >= 'A' && t[i - 1] <= 'Z')))
      i--;
    if (e == i || e - i > 12)
      return 0;
    char low[32];
    size_t m = word_lower(low, sizeof(low), t, i, e);
    if (m == SIZE_MAX)
      return 0;
    if (allow_so && pass == 0 && m == strlen("số") && memcmp(low, "số", m) == 0)
      continue; /* look at the word before "số" */
    for (size_t k = 0; tails[k].s; k++)
      if (tails[k].n == m && memcmp(low, tails[k].s, m) == 0)
        return 1;
    return 0;
  }
  return 0;
}

/* Offset of the first digit in s[from..len) that starts a run of digits
 * (no digit right before it), or len.  Eight bytes at a time: a byte is a
 * digit when it is ASCII, at least '0' and below ':'. */
static size_t next_digit_run(const char *s, size_t len, size_t from) {
  size_t d = from;
  for (;;) {
#if defined(__SSE2__)
    /* sixteen bytes at a time, two blocks per turn: a byte is a digit
     * when it minus ('0' + 128) is, signed, below 10 - 128 */
    const __m128i shift = _mm_set1_epi8((char)('0' + 128)),
                  bound = _mm_set1_epi8((char)(10 - 128));
    while (d + 32 <= len) {
      __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + d)),
              y = _mm_loadu_si128((const __m128i *)(const void *)(s + d + 16));
      __m128i a = _mm_cmplt_epi8(_mm_sub_epi8(x, shift), bound),
              b = _mm_cmplt_epi8(_mm_sub_epi8(y, shift), bound);
      if (_mm_movemask_epi8(_mm_or_si128(a, b)))
        break;
      d += 32;
    }
    while (d + 16 <= len) {
      __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + d));
      int bits =
          _mm_movemask_epi8(_mm_cmplt_epi8(_mm_sub_epi8(x, shift), bound));
      if (bits) {
        d += (size_t)__builtin_ctz((unsigned)bits);
        break;
      }
      d += 16;
    }
#else
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    while (d + 8 <= len) {
      uint64_t x;
      memcpy(&x, s + d, 8);
      uint64_t y = x & ~high;
      uint64_t digits = (y + 0x50 * ones) & ~(y + 0x46 * ones) & ~x & high;
      if (digits)
        break;
      d += 8;
    }
#endif
    while (d < len && !is_digit(s[d]))
      d++;
    if (d >= len)
      return len;
    if (d == 0 || !is_digit(s[d - 1]))
      return d;
    while (d < len && is_digit(s[d]))
      d++;
  }
}

/* ------------------------------------------------------------------ */
/* When the short form pattern can be spared                           */
/* ------------------------------------------------------------------ */

/* Could the short form pattern take the digit run at t[d] as its number?
 * after_words(t, d, number_tails, 1) asked without its blind spots: this
 * says no (0) only when the pattern cannot match there, and yes whenever a
 * character PCRE2 might read differently (other white space, a letter
 * with an unusual case partner) stands in the way.  2: yes, read over the
 * same words as after_words() would read, so it says yes too. */
static int num_possible(const char *t, size_t d) {
  size_t i = d;
  int vf = 0; /* after_words() may read other words: a \v, \f, bad byte */
  for (int pass = 0; pass < 2; pass++) {
    for (;;) { /* white space and markup, NUL as after_words skips it */
      if (i > 1 && (unsigned char)t[i - 2] == 0xC2 &&
          (unsigned char)t[i - 1] == 0xA0) {
        i -= 2;
      } else if (i > 0 && after_gap(t[i - 1])) {
        i--;
      } else if (i > 0 && (t[i - 1] == '\v' || t[i - 1] == '\f')) {
        vf = 1;
        i--;
      } else {
        break;
      }
    }
    /* The type words end in t, h, n, o, "ị" or "ư", "số" in "ố": the
     * pattern cannot end one at another plain letter, in any case. */
    unsigned char z = i > 0 ? (unsigned char)t[i - 1] | 0x20 : 0;
    if (z >= 'a' && z <= 'z' && z != 't' && z != 'h' && z != 'n' && z != 'o')
      return 0;
    if (z >= 0x80) {
      size_t k;
      int32_t cp = back_cp(t, i, &k);
      if (plain_letter(cp) && (cp | 1) != 0x1ED1 && (cp | 1) != 0x1ECB &&
          cp != 0x1AF && cp != 0x1B0)
        return 0;
    }
    size_t e = i;
    while (i > 0) {
      size_t k = 1;
      int32_t cp = (unsigned char)t[i - 1];
      if (cp >= 0x80)
        cp = back_cp(t, i, &k);
      vf |= cp < 0; /* after_words() would count the byte to the word */
      if (cp < 0x80 && !plain_letter(cp))
        break;
      if (!plain_letter(cp))
        return 1;
      i -= k;
    }
    if (e == i || e - i > 12)
      return 0;
    char low[32];
    size_t m = plain_lower_word(low, sizeof(low), t, i, e);
    if (pass == 0 && m == strlen("số") && memcmp(low, "số", m) == 0)
      continue;
    for (size_t k = 0; number_tails[k].s; k++)
      if (number_tails[k].n == m && memcmp(low, number_tails[k].s, m) == 0)
        return vf ? 1 : 2;
    return 0;
  }
  return 0;
}

/* Could PCRE2 read a digit in the character at u[*i] (i < b) that is not
 * ASCII (\d is any decimal digit under UCP)?  The Latin blocks and general
 * punctuation hold none.  When not, *i moves past the character. */
static int odd_char(const unsigned char *u, size_t *at, size_t b) {
  size_t i = *at;
  if (u[i] < 0x80) {
    *at = i + 1;
    return 0;
  }
  /* by the bytes of valid UTF-8: C2 A0..C9 8F is U+00A0..U+024F, E1
   * B8..BB U+1E00..U+1EFF, E2 80 and E2 81 80..AF U+2000..U+206F */
  unsigned char c = u[i], c1 = i + 1 < b ? u[i + 1] : 0;
  if ((c1 & 0xC0) != 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xC9) {
    if ((c == 0xC2 && c1 < 0xA0) || (c == 0xC9 && c1 > 0x8F))
      return 1;
    *at = i + 2;
    return 0;
  }
  unsigned char c2 = i + 2 < b ? u[i + 2] : 0;
  if ((c2 & 0xC0) != 0x80 ||
      !((c == 0xE1 && c1 >= 0xB8 && c1 <= 0xBB) ||
        (c == 0xE2 && (c1 == 0x80 || (c1 == 0x81 && c2 <= 0xAF)))))
    return 1;
  *at = i + 3;
  return 0;
}

/* Could PCRE2 read a non-ASCII digit in t[a..b)?  t is valid UTF-8 (the
 * text stage made it so) and a is a character boundary.  simd 0: a
 * character at a time, for the tests to compare with. */
static int odd_digits_with(const char *t, size_t a, size_t b, int simd) {
  const unsigned char *u = (const unsigned char *)t;
  size_t i = a;
#if defined(__SSE2__)
  /* Sixteen bytes at a time while each is ASCII, a continuation, a lead
   * C3..C8 (U+00C0..U+023F) or E1 before B8..BB (U+1E00..U+1EFF), which
   * odd_char clears; every such character ends before b while two bytes
   * past the block are left.  The first other lead goes to odd_char. */
  const __m128i top = _mm_set1_epi8((char)0xBF), c3 = _mm_set1_epi8((char)0xC3),
                e1 = _mm_set1_epi8((char)0xE1), b8 = _mm_set1_epi8((char)0xB8),
                five = _mm_set1_epi8(5), three = _mm_set1_epi8(3);
  while (simd && i + 18 <= b) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
    __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 1));
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, top), v); /* <= BF */
    __m128i r = _mm_sub_epi8(v, c3), r1 = _mm_sub_epi8(v1, b8);
    __m128i latin = _mm_cmpeq_epi8(_mm_min_epu8(r, five), r); /* C3..C8 */
    __m128i viet = _mm_and_si128(_mm_cmpeq_epi8(v, e1),
                                 _mm_cmpeq_epi8(_mm_min_epu8(r1, three), r1));
    unsigned fine = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(low, latin), viet));
    if (fine != 0xFFFFu) {
      i += (size_t)__builtin_ctz(~fine); /* a lead: a character boundary */
      if (odd_char(u, &i, b))
        return 1;
      continue;
    }
    i += 16;
    while (i < b && (u[i] & 0xC0) == 0x80) /* the block's last character */
      i++;
  }
#endif
  (void)simd;
  while (i < b)
    if (odd_char(u, &i, b))
      return 1;
  return 0;
}

static int odd_digits(const char *t, size_t a, size_t b) {
  return odd_digits_with(t, a, b, 1);
}

/* Tests only (tests/unit/test_text.c): odd_digits, a block at a time or
 * (simd 0) a character at a time. */
int vbg__odd_digits_for_tests(const char *t, size_t a, size_t b, int simd);
int vbg__odd_digits_for_tests(const char *t, size_t a, size_t b, int simd) {
  return odd_digits_with(t, a, b, simd);
}

/* The end of the digit run at t[d]. */
static size_t run_end(const char *t, size_t len, size_t d) {
  while (d < len && is_digit(t[d]))
    d++;
  return d;
}

static int find_bare_numbers(vbg__win *w) {
  const vbg__re *re = w->ex->pats[VBG__PAT_SHORT];
  int gtw = w->ex->g.short_tw, gso = w->ex->g.short_so,
      gnum = w->ex->g.short_num;
  const char *t = w->t->s;
  size_t len = w->t->len, pos = 0, ov[8];
  /* the last digit run passed over that the pattern might still take as
   * the number of a match found from a later run */
  size_t unseen = SIZE_MAX;
  /* pos moves past a digit run at once: no match can start inside one */
  while (pos < len) {
    /* A short form ends in a number: only digit runs are worth a look.
     * The pattern runs over the few dozen bytes before each one. */
    size_t d = next_digit_run(t, len, pos);
    if (d >= len)
      break;
    /* num_possible() is the wider question: when it says no, so does
     * after_words() */
    int possible = num_possible(t, d);
    if (!possible || (possible == 1 && !after_words(t, d, number_tails, 1))) {
      if (possible)
        unseen = d;
      pos = run_end(t, len, d);
      continue;
    }
    size_t lo = d > 80 ? d - 80 : 0, hi = d + 96 < len ? d + 96 : len;
    if (lo < pos)
      lo = pos;
    while (lo > pos && (t[lo] & 0xC0) == 0x80)
      lo--;
    /* "Nghị quyết số 25-NQ/TW": the number of a full reference.  The
     * pattern would find it, or a match with a later number, and both are
     * passed over; only a number before d, passed over unseen, could make
     * its first match another one. */
    if ((unseen == SIZE_MAX || unseen < lo) && code_at(w, d) >= 0 &&
        !odd_digits(t, lo, d)) {
      pos = run_end(t, len, d);
      continue;
    }
    int r = vbg__re_match(re, w->m, t, hi, lo, 0, ov, 4);
    if (r < 0)
      return r;
    if (r == 0 || ov[2 * gnum] > d) {
      pos = run_end(t, len, d);
      continue;
    }
    span num = {ov[2 * gnum], ov[2 * gnum + 1]};
    pos = num.e;
    if (code_at(w, num.s) >= 0 || inside_cand(w, ov[0], num.e))
      continue;
    int has_so = ov[2 * gso] != SIZE_MAX;
    if (!has_so && !is_capital_at(w->t->s, w->t->len, ov[2 * gtw]))
      continue;
    if (!has_so && num.e - num.s == 4 &&
        (w->t->s[num.s] == '1' || w->t->s[num.s] == '2'))
      continue; /* "Nghị quyết 2024": a year */
    const vbg__type_word *word = vbg__type_word_find(
        w->t->s + ov[2 * gtw], ov[2 * gtw + 1] - ov[2 * gtw]);
    if (!word)
      continue;
    int err = number_list(w, word, ov[2 * gtw], num);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

static int find_backrefs(vbg__win *w) {
  const vbg__re *re = w->ex->pats[VBG__PAT_BACKREF];
  int gtw = w->ex->g.backref_tw, gdem = w->ex->g.backref_dem;
  const char *t = w->t->s;
  size_t len = w->t->len, pos = 0, ov[8];
  size_t na = 0, nb = 0; /* next "này" / "trên" at or after pos (len: none) */
  int fa = 0, fb = 0;
  while (pos < len) {
    /* A back-reference ends in "này" or "trên": find those words first. */
    if (!fa || (na < pos && na < len)) {
      na = find_lit(t, len, pos, "n\xC3\xA0y", 4);
      fa = 1;
    }
    if (!fb || (nb < pos && nb < len)) {
      nb = find_lit(t, len, pos, "tr\xC3\xAAn", 5);
      fb = 1;
    }
    size_t at = na < nb ? na : nb;
    if (at >= len)
      break;
    size_t wend = at + (na < nb ? 4 : 5);
    if (!after_words(t, at, back_tails, 0)) { /* "này" after an ordinary word */
      pos = wend;
      continue;
    }
    size_t lo = at > 64 ? at - 64 : 0, hi = wend + 8 < len ? wend + 8 : len;
    if (lo < pos)
      lo = pos;
    while (lo > pos && (t[lo] & 0xC0) == 0x80)
      lo--;
    int r = vbg__re_match(re, w->m, t, hi, lo, 0, ov, 4);
    if (r < 0)
      return r;
    if (r == 0 || ov[1] < wend) {
      pos = wend;
      continue;
    }
    pos = ov[1];
    if (inside_cand(w, ov[0], ov[1]))
      continue;
    const vbg__type_word *word = vbg__type_word_find(
        w->t->s + ov[2 * gtw], ov[2 * gtw + 1] - ov[2 * gtw]);
    if (!word)
      continue;
    vbg__cand *c;
    int err = vbg__cands_push(w->cands, &c);
    if (err < 0)
      return err;
    c->nstart = ov[0];
    c->num_at = ov[2 * gdem];
    c->nend = c->code_end = c->tail_end = ov[1];
    c->tw = word;
    c->doc_type = word->name;
    c->short_form = 1;
    c->backref = w->t->s[ov[2 * gdem]] == 't' ? 2 : 1; /* 2: "trên" */
    /* "các Quyết định này" speaks of several documents */
    size_t b = back_from(w->t->s, ov[0], 12);
    const char *before = w->t->s + b;
    size_t blen = ov[0] - b;
    const char *plural[] = {"các ", "những ", "hai ", "Các ", "Những "};
    for (size_t i = 0; i < VBG__ARRAY_LEN(plural); i++) {
      size_t pl = strlen(plural[i]);
      if (blen >= pl && memcmp(before + blen - pl, plural[i], pl) == 0)
        c->plural = 1;
    }
  }
  return VBG_OK;
}

static int cmp_cand(const vbg__cand *x, const vbg__cand *y) {
  if (x->nstart != y->nstart)
    return x->nstart < y->nstart ? -1 : 1;
  return x->nend < y->nend ? -1 : x->nend > y->nend;
}

/* Order the candidates by start, then end, equal ones as they were.  They
 * come as a few runs already in order (the codes, the bare numbers, the
 * back-references, each found left to right), so the runs are merged,
 * pairwise, until one is left. */
static int sort_cands(vbg__cands *c) {
  size_t n = c->n, runs = 1;
  for (size_t i = 1; i < n; i++)
    runs += cmp_cand(&c->v[i - 1], &c->v[i]) > 0;
  if (runs == 1)
    return VBG_OK;
  vbg__cand *tmp = vbg__malloc(n * sizeof(*tmp));
  if (!tmp)
    return VBG_ENOMEM;
  vbg__cand *from = c->v, *to = tmp;
  while (runs > 1) {
    size_t i = 0, k = 0;
    runs = 0;
    while (i < n) {
      /* the run [i, m) and the next one [m, e) */
      size_t m = i + 1;
      while (m < n && cmp_cand(&from[m - 1], &from[m]) <= 0)
        m++;
      size_t e = m;
      if (m < n) {
        e = m + 1;
        while (e < n && cmp_cand(&from[e - 1], &from[e]) <= 0)
          e++;
      }
      size_t a = i, b = m;
      while (a < m && b < e)
        to[k++] = cmp_cand(&from[b], &from[a]) < 0 ? from[b++] : from[a++];
      while (a < m)
        to[k++] = from[a++];
      while (b < e)
        to[k++] = from[b++];
      i = e;
      runs++;
    }
    vbg__cand *t = from;
    from = to;
    to = t;
  }
  if (from != c->v)
    memcpy(c->v, from, n * sizeof(*from));
  vbg__free(tmp);
  return VBG_OK;
}

int vbg__find_short_forms(vbg__win *w) {
  cand_grid g = {0};
  g.nblocks = (w->t->len >> GRID_SHIFT) + 1;
  g.head = vbg__malloc(g.nblocks * sizeof(*g.head));
  if (!g.head)
    return VBG_ENOMEM;
  memset(g.head, 0xFF, g.nblocks * sizeof(*g.head)); /* SIZE_MAX: empty */
  cur_grid = &g;
  int err = find_bare_numbers(w);
  if (err == 0 && !(w->ex->options & VBG_OPT_NO_SHORT_FORMS))
    err = find_backrefs(w);
  if (err == 0 && g.err)
    err = g.err;
  cur_grid = NULL;
  vbg__free(g.head);
  vbg__free(g.node);
  if (err < 0)
    return err;
  if ((err = sort_cands(w->cands)) < 0)
    return err;
  /* drop short forms when the user asked for none (shared-code list items
   * are full references and stay) */
  if (w->ex->options & VBG_OPT_NO_SHORT_FORMS)
    for (size_t i = 0; i < w->cands->n; i++)
      if (w->cands->v[i].short_form)
        w->cands->v[i].dropped = 1;
  return VBG_OK;
}

/* ------------------------------------------------------------------ */
/* Keys typed by users                                                 */
/* ------------------------------------------------------------------ */

int vbg__parse_key(vbg_buf *out, const vbg_extractor *ex, const char *s,
                   size_t len) {
  vbg__text t = {0};
  vbg__matcher *m = NULL;
  vbg__cands cands = {0};
  int err = vbg__text_prepare(&t, s, len, 0, 1);
  if (err < 0 || (err = vbg__matcher_new(&m)) < 0)
    goto done;
  vbg__win w = {.ex = ex, .m = m, .t = &t, .cands = &cands, .self = -1};
  if ((err = vbg__find_codes(&w)) < 0)
    goto done;
  if (cands.n == 0) {
    err = vbg__error_set(VBG_EINVAL, "no document number in \"%.*s\"",
                         (int)(len > 80 ? 80 : len), s);
    goto done;
  }
  vbg_buf_clear(out);
  err = vbg__buf_puts(out, cands.v[0].key);
done:
  vbg__cands_dispose(&cands);
  vbg__matcher_free(m);
  vbg__text_dispose(&t);
  return err;
}
