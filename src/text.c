/*
 * text.c - pipeline stage 1: validate UTF-8, drop a BOM, normalise to NFC
 * (utf8proc), keeping a map from every normalised byte back to the byte of
 * the original input it came from.  This is the only file that includes
 * utf8proc.h.
 *
 * Vietnamese arrives composed (NFC) or decomposed (NFD: "ệ" as e + U+0323 +
 * U+0302).  Only clusters that hold a combining mark need work, so clean
 * text is passed through without a copy.
 */
#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text.h"

/* Decode one code point by hand (the hot path: every byte of every input
 * passes here).  Returns its length, or 0 for an invalid sequence. */
static inline size_t fast_decode(const unsigned char *p, size_t avail,
                                 int32_t *cp) {
  unsigned char c = p[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    if (avail < 2 || (p[1] & 0xC0) != 0x80)
      return 0;
    *cp = ((int32_t)(c & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))
      return 0;
    *cp = ((int32_t)(c & 0x0F) << 12) | ((int32_t)(p[1] & 0x3F) << 6) |
          (p[2] & 0x3F);
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
        (p[3] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
      return 0;
    *cp = ((int32_t)(c & 0x07) << 18) | ((int32_t)(p[1] & 0x3F) << 12) |
          ((int32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Code point helpers                                                  */
/* ------------------------------------------------------------------ */

int32_t vbg__utf8_decode_multi(const char *s, size_t len, size_t i, size_t *n) {
  int32_t cp;
  size_t k = fast_decode((const unsigned char *)s + i, len - i, &cp);
  if (k == 0) {
    *n = 1;
    return -1;
  }
  *n = k;
  return cp;
}

int32_t vbg__utf8_decode_back(const char *s, size_t i, size_t *n) {
  if ((unsigned char)s[i - 1] < 0x80) { /* most of the time */
    *n = 1;
    return (unsigned char)s[i - 1];
  }
  size_t j = i;
  int k = 0;
  while (j > 0 && k < 4) {
    j--;
    k++;
    if (((unsigned char)s[j] & 0xC0) != 0x80)
      break;
  }
  int32_t cp; /* fast_decode itself: no second call for a letter */
  size_t m = fast_decode((const unsigned char *)s + j, i - j, &cp);
  if (m == 0 || j + m != i) {
    *n = 1;
    return -1;
  }
  *n = m;
  return cp;
}

int vbg__utf8_encode(char out[4], int32_t cp) {
  if (cp >= 0 && cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  return (int)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

/* Case of the letters Vietnamese uses, without a table lookup: ASCII,
 * Latin-1, and Latin Extended Additional (U+1EA0..U+1EF9, where upper and
 * lower case alternate).  Everything else asks utf8proc. */
static int
fast_case(int32_t cp) { /* 1 upper, 2 lower, 0 not a letter, -1 unknown */
  if (cp < 0x80)
    return (cp >= 'A' && cp <= 'Z') ? 1 : (cp >= 'a' && cp <= 'z') ? 2 : 0;
  if (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7)
    return cp <= 0xDE ? 1 : 2;
  if (cp >= 0x1EA0 && cp <= 0x1EF9)
    return (cp & 1) ? 2 : 1;
  return -1;
}

int vbg__is_upper_cp(int32_t cp) {
  int c = cp < 0 ? 0 : fast_case(cp);
  return c >= 0 ? c == 1 : utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}
int vbg__is_lower_cp(int32_t cp) {
  int c = cp < 0 ? 0 : fast_case(cp);
  return c >= 0 ? c == 2 : utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}
int vbg__is_letter_cp(int32_t cp) {
  if (cp < 0)
    return 0;
  int c = fast_case(cp);
  if (c >= 0)
    return c != 0;
  utf8proc_category_t k = utf8proc_category(cp);
  return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}
/* Latin Extended-A's Vietnamese letters (Ă ă, Đ đ, Ĩ ĩ, Ũ ũ) pair an even
 * upper case with the odd lower case after it, as the whole of
 * U+0100..U+012F and U+014A..U+0177 does; Ơ ơ and Ư ư are the pairs
 * U+01A0/U+01A1 and U+01AF/U+01B0. */
static inline int even_odd_pair(int32_t cp) {
  return (cp >= 0x100 && cp <= 0x12F) || (cp >= 0x14A && cp <= 0x177) ||
         (cp >= 0x1EA0 && cp <= 0x1EF9) || cp == 0x1A0 || cp == 0x1A1;
}

int32_t vbg__to_lower_cp(int32_t cp) {
  if (cp < 0)
    return cp;
  if (cp < 0x80)
    return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
    return cp + 0x20;
  if (even_odd_pair(cp))
    return cp | 1;
  if (cp == 0x1AF)
    return 0x1B0;
  return utf8proc_tolower(cp);
}
int32_t vbg__to_upper_cp(int32_t cp) {
  if (cp < 0)
    return cp;
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
    return cp - 0x20;
  if (even_odd_pair(cp))
    return cp & ~1;
  if (cp == 0x1B0)
    return 0x1AF;
  return utf8proc_toupper(cp);
}

int vbg__lower(vbg_buf *out, const char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    size_t n;
    int32_t cp = vbg__utf8_decode(s, len, i, &n);
    if (cp < 0) {
      i += n;
      continue;
    }
    char enc[4];
    int k = vbg__utf8_encode(enc, vbg__to_lower(cp));
    int err = vbg_buf_put(out, enc, (size_t)k);
    if (err < 0)
      return err;
    i += n;
  }
  return VBG_OK;
}

/* The letters of Vietnamese, and their neighbours whose case pairs are as
 * simple, lower-cased on their bytes as vbg__to_lower_cp would: stores the
 * lower case of the character at p (avail bytes left) at o, which has room
 * for three bytes, and returns its length (the same as the input's), or
 * returns 0 for any other character, which takes the decoding path. */
static inline size_t lower_letter(char *o, const unsigned char *p,
                                  size_t avail) {
  unsigned c = p[0];
  if (avail < 2 || (p[1] & 0xC0) != 0x80)
    return 0;
  unsigned c1 = p[1];
  if (c >= 0xC2 && c <= 0xC6) {
    if (c == 0xC3 && c1 <= 0x9E && c1 != 0x97) /* U+00C0..U+00DE */
      c1 += 0x20;
    else if (c == 0xC4 && c1 <= 0xAF) /* U+0100..U+012F in pairs */
      c1 |= 1;
    else if (c == 0xC5 && c1 >= 0x8A && c1 <= 0xB7) /* U+014A..U+0177 */
      c1 |= 1;
    else if (c == 0xC6 && (c1 == 0xA0 || c1 == 0xA1)) /* Ơ ơ */
      c1 = 0xA1;
    else if (c == 0xC6 && (c1 == 0xAF || c1 == 0xB0)) /* Ư ư */
      c1 = 0xB0;
    else if (c >= 0xC4) /* the rest of Latin Extended-A and -B */
      return 0;
    /* U+0080..U+00BF and the rest of U+00C0..U+00FF have no lower case
     * of their own */
    o[0] = (char)c;
    o[1] = (char)c1;
    return 2;
  }
  /* U+1EA0..U+1EF9: upper case even, lower case odd */
  if (c == 0xE1 && avail >= 3 && (p[2] & 0xC0) == 0x80 &&
      ((c1 == 0xBA && p[2] >= 0xA0) || (c1 == 0xBB && p[2] <= 0xB9))) {
    o[0] = (char)c;
    o[1] = (char)c1;
    o[2] = (char)(p[2] | 1);
    return 3;
  }
  return 0;
}

size_t vbg__lower_fixed(char *out, size_t cap, const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    if (i + 8 <= len && n + 9 <= cap) { /* eight ASCII bytes at once */
      uint64_t x;
      memcpy(&x, s + i, 8);
      const uint64_t high = 0x8080808080808080ull, ones = 0x0101010101010101ull;
      if (!(x & high)) {
        /* the high bit of each byte from 'A' up, and of each above 'Z' */
        uint64_t ge_a = x + (0x80 - 'A') * ones, gt_z = x + (0x7F - 'Z') * ones;
        x |= ((ge_a & ~gt_z) & high) >> 2; /* 0x20 into A..Z */
        memcpy(out + n, &x, 8);
        n += 8;
        i += 8;
        continue;
      }
    }
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) { /* most words are mostly ASCII */
      if (n + 2 > cap)
        return SIZE_MAX;
      out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      i++;
      continue;
    }
    /* (with room for three bytes and the NUL) */
    size_t k =
        n + 4 <= cap
            ? lower_letter(out + n, (const unsigned char *)s + i, len - i)
            : 0;
    if (k) {
      n += k;
      i += k;
      continue;
    }
    int32_t cp;
    k = fast_decode((const unsigned char *)s + i, len - i, &cp);
    if (k == 0) {
      i++;
      continue;
    }
    cp = vbg__to_lower_cp(cp);
    /* encoded straight into out (a copy loop here became a memcpy call
     * per letter) */
    size_t m = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n + m + 1 > cap)
      return SIZE_MAX;
    char *o = out + n;
    if (m == 1) {
      o[0] = (char)cp;
    } else if (m == 2) {
      o[0] = (char)(0xC0 | (cp >> 6));
      o[1] = (char)(0x80 | (cp & 0x3F));
    } else if (m == 3) {
      o[0] = (char)(0xE0 | (cp >> 12));
      o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
      o[2] = (char)(0x80 | (cp & 0x3F));
    } else {
      m = (size_t)vbg__utf8_encode(o, cp);
    }
    n += m;
    i += k;
  }
  if (n + 1 > cap)
    return SIZE_MAX;
  out[n] = '\0';
  return n;
}

/* Is s[0..len) valid UTF-8 made only of characters that NFC leaves alone
 * whatever stands around them (ASCII, U+0080..U+024F, U+1E00..U+1EFF: all
 * with NFC_QC = Yes and combining class 0)?  Most body names are. */
static int nfc_stable(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < len;) {
    unsigned char c = p[i];
    if (c < 0x80) {
      i++;
    } else if (c >= 0xC2 && c <= 0xC9 && i + 1 < len &&
               (p[i + 1] & 0xC0) == 0x80 && (c < 0xC9 || p[i + 1] <= 0x8F)) {
      i += 2;
    } else if (c == 0xE1 && i + 2 < len && p[i + 1] >= 0xB8 &&
               p[i + 1] <= 0xBB && (p[i + 2] & 0xC0) == 0x80) {
      i += 3;
    } else {
      return 0;
    }
  }
  return 1;
}

char *vbg__nfc(const char *s, size_t len) {
  if (nfc_stable(s, len))
    return vbg__strndup(s, len);
  utf8proc_uint8_t *r = NULL;
  utf8proc_ssize_t n =
      utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &r,
                   UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (n < 0) {
    vbg__error_set(VBG_EUTF8, "invalid UTF-8: %s", utf8proc_errmsg(n));
    return NULL;
  }
  /* utf8proc allocates with malloc; hand the caller our own allocation. */
  char *copy = vbg__strndup((const char *)r, (size_t)n);
  free(r);
  return copy;
}

/* ------------------------------------------------------------------ */
/* Window preparation                                                  */
/* ------------------------------------------------------------------ */

/* Combining marks that NFC may fold into the letter before them: the
 * blocks Vietnamese decomposed text uses, and their extensions. */
static inline int combining_fast(int32_t cp) {
  return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* The length of the combining mark (as combining_fast) at p[i], or 0 when
 * there is none: an ASCII byte, a lead byte of U+0080..U+02FF or
 * U+0370..U+0FFF, or an invalid sequence.  The common cases need no decode. */
static inline size_t combining_at(const unsigned char *p, size_t i,
                                  size_t len) {
  unsigned c = p[i];
  if (c < 0xCC)
    return 0;
  if (c == 0xCC) /* U+0300..U+033F */
    return i + 1 < len && (p[i + 1] & 0xC0) == 0x80 ? 2 : 0;
  if (c == 0xCD) /* U+0340..U+036F */
    return i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0xAF ? 2 : 0;
  if (c < 0xE1)
    return 0;
  int32_t cp;
  size_t n = fast_decode(p + i, len - i, &cp);
  return n && combining_fast(cp) ? n : 0;
}

/* Skip ASCII eight bytes at a time. */
static inline size_t skip_ascii(const unsigned char *p, size_t i, size_t len) {
  while (i + 8 <= len) {
    uint64_t x;
    memcpy(&x, p + i, 8);
    x &= 0x8080808080808080ull;
    if (x) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      return i + (size_t)(__builtin_ctzll(x) >> 3); /* the first high bit */
#else
      break;
#endif
    }
    i += 8;
  }
  while (i < len && p[i] < 0x80)
    i++;
  return i;
}

/* One character of needs_work's check at p[*i] (*i < len): 0 and *i moved
 * past it when NFC leaves it alone, 1 when the window needs work (an
 * invalid sequence or a combining mark).  The common letters need no full
 * decode: two-byte ones other than U+0300..U+036F (CC 80 .. CD AF), and
 * U+1E80..U+1EFF (E1 BA/BB xx). */
static inline int check_char(const unsigned char *p, size_t *i, size_t len) {
  size_t k = *i;
  unsigned char c = p[k];
  if (c < 0x80) {
    *i = k + 1;
    return 0;
  }
  if (c >= 0xC2 && c <= 0xDF && k + 1 < len && (p[k + 1] & 0xC0) == 0x80) {
    if (c == 0xCC || (c == 0xCD && p[k + 1] <= 0xAF))
      return 1;
    *i = k + 2;
    return 0;
  }
  if (c == 0xE1 && k + 2 < len && (p[k + 1] == 0xBA || p[k + 1] == 0xBB) &&
      (p[k + 2] & 0xC0) == 0x80) {
    *i = k + 3;
    return 0;
  }
  int32_t cp;
  size_t n = fast_decode(p + k, len - k, &cp);
  if (n == 0 || combining_fast(cp))
    return 1;
  *i = k + n;
  return 0;
}

#if defined(__SSE2__)
/* From a character boundary i, skip sixteen bytes at a time while every
 * byte is ASCII, a continuation byte in its place, the lead of a two-byte
 * character other than CC and CD (so no combining mark), or E1 BA/BB, the
 * Vietnamese letters of U+1E80..U+1EFF: exactly what check_char clears
 * without a decode.  Returns the character boundary where a block holds
 * anything else, or where fewer than 18 bytes are left. */
static size_t skip_plain(const unsigned char *p, size_t i, size_t len) {
  const __m128i below_c0 = _mm_set1_epi8((char)0xC0), /* -64 */
      above_c1 = _mm_set1_epi8((char)0xC1),
                below_e0 = _mm_set1_epi8((char)0xE0),
                cc = _mm_set1_epi8((char)0xCC), cd = _mm_set1_epi8((char)0xCD),
                e1 = _mm_set1_epi8((char)0xE1), ba = _mm_set1_epi8((char)0xBA),
                bb = _mm_set1_epi8((char)0xBB);
  unsigned carry = 0; /* continuation bytes the last block's leads own here */
  while (i + 18 <= len) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
    unsigned high = (unsigned)_mm_movemask_epi8(v);
    if (!high) { /* all ASCII (then carry is 0: it marks non-ASCII bytes) */
      i += 16;
      continue;
    }
    __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1));
    __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 2));
    /* as signed bytes, continuations 80..BF are those below C0 */
    __m128i cont = _mm_cmplt_epi8(v, below_c0),
            cont1 = _mm_cmplt_epi8(v1, below_c0),
            cont2 = _mm_cmplt_epi8(v2, below_c0);
    __m128i lead2 =
        _mm_and_si128(_mm_cmpgt_epi8(v, above_c1), _mm_cmplt_epi8(v, below_e0));
    lead2 = _mm_andnot_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, cc), _mm_cmpeq_epi8(v, cd)), lead2);
    __m128i lead3 = _mm_and_si128(
        _mm_and_si128(_mm_cmpeq_epi8(v, e1), cont2),
        _mm_or_si128(_mm_cmpeq_epi8(v1, ba), _mm_cmpeq_epi8(v1, bb)));
    unsigned two = (unsigned)_mm_movemask_epi8(_mm_and_si128(lead2, cont1));
    unsigned three = (unsigned)_mm_movemask_epi8(lead3);
    unsigned conts = (unsigned)_mm_movemask_epi8(cont);
    unsigned owned = (two << 1) | (three << 1) | (three << 2) | carry;
    if ((owned & 0xFFFFu) != conts ||
        ((~high & 0xFFFFu) | two | three | conts) != 0xFFFFu)
      break;
    carry = owned >> 16;
    i += 16;
  }
  /* carry is 0, 1 (one byte) or 3 (two bytes) */
  return i + (carry & 1u) + (carry >> 1);
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_SKIP_PLAIN32 1
/* skip_plain thirty-two bytes at a time, for processors with AVX2: the
 * same tests, on twice the bytes. */
__attribute__((target("avx2"))) static size_t
skip_plain32(const unsigned char *p, size_t i, size_t len) {
  const __m256i below_c0 = _mm256_set1_epi8((char)0xC0),
                above_c1 = _mm256_set1_epi8((char)0xC1),
                below_e0 = _mm256_set1_epi8((char)0xE0),
                cc = _mm256_set1_epi8((char)0xCC),
                cd = _mm256_set1_epi8((char)0xCD),
                e1 = _mm256_set1_epi8((char)0xE1),
                ba = _mm256_set1_epi8((char)0xBA),
                bb = _mm256_set1_epi8((char)0xBB);
  uint64_t carry = 0;
  while (i + 34 <= len) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
    uint64_t high = (uint32_t)_mm256_movemask_epi8(v);
    if (!high) {
      i += 32;
      continue;
    }
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 1));
    __m256i v2 = _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 2));
    __m256i cont = _mm256_cmpgt_epi8(below_c0, v),
            cont1 = _mm256_cmpgt_epi8(below_c0, v1),
            cont2 = _mm256_cmpgt_epi8(below_c0, v2);
    __m256i lead2 = _mm256_and_si256(_mm256_cmpgt_epi8(v, above_c1),
                                     _mm256_cmpgt_epi8(below_e0, v));
    lead2 = _mm256_andnot_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(v, cc), _mm256_cmpeq_epi8(v, cd)),
        lead2);
    __m256i lead3 = _mm256_and_si256(
        _mm256_and_si256(_mm256_cmpeq_epi8(v, e1), cont2),
        _mm256_or_si256(_mm256_cmpeq_epi8(v1, ba), _mm256_cmpeq_epi8(v1, bb)));
    uint64_t two =
        (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(lead2, cont1));
    uint64_t three = (uint32_t)_mm256_movemask_epi8(lead3);
    uint64_t conts = (uint32_t)_mm256_movemask_epi8(cont);
    uint64_t owned = (two << 1) | (three << 1) | (three << 2) | carry;
    if ((owned & 0xFFFFFFFFu) != conts ||
        ((~high & 0xFFFFFFFFu) | two | three | conts) != 0xFFFFFFFFu)
      break;
    carry = owned >> 32;
    i += 32;
  }
  /* carry is 0, 1 (one byte) or 3 (two bytes) */
  return i + (size_t)(carry & 1u) + (size_t)(carry >> 1);
}
#endif

typedef size_t (*skip_fn)(const unsigned char *, size_t, size_t);

static size_t skip_none(const unsigned char *p, size_t i, size_t len) {
  (void)p;
  (void)len;
  return i;
}

/* Tests only (declared by the test that uses it): which skip to use, so
 * that every one is checked against character-by-character work on any
 * processor: 0 none, 1 sixteen bytes, 2 thirty-two where the processor
 * can, -1 (the default) the widest.  Not for use while other threads
 * prepare text. */
static int skip_choice = -1;
void vbg__text_skip_choice(int choice);
void vbg__text_skip_choice(int choice) { skip_choice = choice; }

/* The widest skip_plain this processor runs. */
static skip_fn skip_plain_fn(void) {
  if (skip_choice == 0)
    return skip_none;
#if defined(HAVE_SKIP_PLAIN32)
  if (skip_choice != 1 && __builtin_cpu_supports("avx2"))
    return skip_plain32;
#endif
  return skip_plain;
}
#endif

/* Is the raw window already valid NFC as far as we care? */
static int needs_work(const char *raw, size_t len, int drop_bom) {
  const unsigned char *p = (const unsigned char *)raw;
  if (drop_bom && len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
    return 1;
  size_t i = 0;
#if defined(__SSE2__)
  skip_fn skip = skip_plain_fn();
#endif
  while (i < len) {
#if defined(__SSE2__)
    i = skip(p, i, len);
#else
    i = skip_ascii(p, i, len);
#endif
    /* the block that stopped the skip, character by character */
    size_t stop = len - i > 16 ? i + 16 : len;
    while (i < stop)
      if (check_char(p, &i, len))
        return 1;
  }
  return 0;
}

typedef struct outbuf {
  char *s;
  size_t n, cap;
  vbg__tseg *seg; /* the map back to the raw window, a piece at a time */
  size_t nseg, segcap;
} outbuf;

/* Every append reserves SLACK bytes past what it keeps, so that short runs
 * and clusters are written with fixed-size copies, and room for two map
 * pieces (a run and a cluster). */
#define SLACK 16

static int out_grow(outbuf *o, size_t more) {
  if (o->n + more > o->cap) {
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->n + more)
      cap *= 2;
    char *s = vbg__realloc(o->s, cap + 1);
    if (!s)
      return VBG_ENOMEM;
    o->s = s;
    o->cap = cap;
  }
  if (o->nseg + 2 > o->segcap) {
    size_t cap = o->segcap ? 2 * o->segcap : 256;
    vbg__tseg *g = vbg__realloc(o->seg, cap * sizeof(*g));
    if (!g)
      return VBG_ENOMEM;
    o->seg = g;
    o->segcap = cap;
  }
  return VBG_OK;
}

static inline int out_reserve(outbuf *o, size_t more) {
  return o->n + more <= o->cap && o->nseg + 2 <= o->segcap ? VBG_OK
                                                           : out_grow(o, more);
}

/* The output from o->n on maps to raw offset orig and on (a run), or all
 * to orig (cnst: a composed cluster or a replacement character).  The
 * caller has reserved the room; a constant piece continuing one with the
 * same offset is not repeated. */
static inline void out_piece(outbuf *o, size_t orig, int cnst) {
  uint32_t v = (uint32_t)orig | (cnst ? VBG__TSEG_CONST : 0);
  if (cnst && o->nseg > 0 && o->seg[o->nseg - 1].orig == v)
    return;
  o->seg[o->nseg].at = (uint32_t)o->n;
  o->seg[o->nseg].orig = v;
  o->nseg++;
}

/* Append n bytes that all map to original offset orig (a composed cluster
 * or a replacement character). */
static int out_put(outbuf *o, const char *bytes, size_t n, size_t orig) {
  int err = out_reserve(o, n);
  if (err < 0)
    return err;
  out_piece(o, orig, 1);
  memcpy(o->s + o->n, bytes, n);
  o->n += n;
  return VBG_OK;
}

/* Append raw[from..to), which maps one to one, into room reserved for
 * to - from + SLACK bytes.  Runs between the clusters of decomposed text
 * are a few bytes long: those take one 16-byte copy (never reading past
 * the window). */
static inline void out_run(outbuf *o, const unsigned char *raw, size_t from,
                           size_t to, size_t len) {
  size_t n = to - from;
  if (n == 0)
    return;
  out_piece(o, from, 0);
  char *d = o->s + o->n;
  if (n <= 16 && from + 16 <= len)
    memcpy(d, raw + from, 16);
  else
    memcpy(d, raw + from, n);
  o->n += n;
}

/* Composed clusters seen before on this thread: decomposed text repeats a
 * few hundred syllable nuclei, and utf8proc costs hundreds of instructions
 * per cluster.  Direct-mapped, keyed by the cluster's bytes (at most 16)
 * zero-padded to two words: a cluster ends in a continuation byte, never
 * 0, so the padded bytes also tell its length, and an all-zero key is an
 * empty slot. */
typedef struct cluster_memo {
  uint64_t lo, hi;
  char out[16];
  unsigned char out_len;
} cluster_memo;

#define MEMO_SLOTS 1024
static _Thread_local cluster_memo memo[MEMO_SLOTS];

/* The key of cluster p[0..n) (2 <= n <= 16), within a window of avail
 * bytes from p. */
static inline void memo_key(const unsigned char *p, size_t n, size_t avail,
                            uint64_t key[2]) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (avail >= 16) { /* load 16 bytes, keep the first n */
    memcpy(key, p, 16);
    if (n < 8) {
      key[0] &= (1ull << (8 * n)) - 1;
      key[1] = 0;
    } else if (n == 8) {
      key[1] = 0;
    } else if (n < 16) {
      key[1] &= (1ull << (8 * (n - 8))) - 1;
    }
    return;
  }
#endif
  (void)avail;
  unsigned char b[16] = {0};
  memcpy(b, p, n);
  memcpy(key, b, 16);
}

static int compose_cluster(outbuf *o, const char *s, size_t n, size_t orig) {
  utf8proc_int32_t cps[64];
  utf8proc_ssize_t k =
      utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, cps,
                         64, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (k < 0 || k > 64) /* absurdly long cluster: keep it as it is */
    return out_put(o, s, n, orig);
  k = utf8proc_normalize_utf32(cps, k, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  for (utf8proc_ssize_t j = 0; j < k; j++) {
    char enc[4];
    int m = vbg__utf8_encode(enc, cps[j]);
    int err = out_put(o, enc, (size_t)m, orig);
    if (err < 0)
      return err;
  }
  return VBG_OK;
}

/* Compose the cluster raw[st..end) (a starter and the combining marks
 * after it) into room reserved for SLACK bytes; all its output bytes map
 * to st.  tab is this thread's memo. */
static int put_cluster(outbuf *o, cluster_memo *tab, const unsigned char *raw,
                       size_t st, size_t end, size_t len) {
  size_t n = end - st;
  if (n > 16)
    return compose_cluster(o, (const char *)raw + st, n, st);
  uint64_t key[2];
  memo_key(raw + st, n, len - st, key);
  uint64_t h =
      (key[0] ^ (key[1] * 0xC2B2AE3D27D4EB4Full)) * 0x9E3779B97F4A7C15ull;
  cluster_memo *m = &tab[h >> 54]; /* MEMO_SLOTS = 2^10 */
  if (m->lo == key[0] && m->hi == key[1]) {
    out_piece(o, st, 1);
    memcpy(o->s + o->n, m->out, 16);
    o->n += m->out_len;
    return VBG_OK;
  }
  size_t before = o->n;
  int err = compose_cluster(o, (const char *)raw + st, n, st);
  if (err == 0 && o->n - before <= sizeof(m->out)) {
    m->lo = key[0];
    m->hi = key[1];
    m->out_len = (unsigned char)(o->n - before);
    memcpy(m->out, o->s + before, m->out_len);
  }
  return err;
}

/* This thread's memo, from a call the compiler cannot repeat: read in
 * place, the thread-local address was computed again for every cluster
 * (a call into the dynamic loader each time). */
VBG__NOINLINE static cluster_memo *memo_table(void) { return memo; }

/* The normalising pass over p[i..len), into o.  One pass: a run of
 * characters that stay as they are ends at the character before a
 * combining mark (its starter) or at an invalid byte. */
static int normalise(outbuf *o, const unsigned char *p, size_t i, size_t len,
                     int *repaired) {
  cluster_memo *tab = memo_table();
  size_t run = i;  /* start of the run not yet written */
  size_t prev = i; /* start of the last character, when i > run */
  int err = VBG_OK;
#if defined(__SSE2__)
  size_t simd_at = i;  /* where the next sixteen-byte skip may be tried */
  size_t backoff = 16; /* how far after a skip that went nowhere */
  skip_fn skip = skip_plain_fn();
#endif
  while (i < len) {
#if defined(__SSE2__)
    /* the composed text between the marks (a whole article, in a long
     * input mixing NFC and NFD ones) sixteen bytes at a time; the block
     * that stops it character by character */
    if (i >= simd_at) {
      size_t j = skip(p, i, len);
      if (j > i) {
        i = j;
        for (prev = i - 1; (p[prev] & 0xC0) == 0x80;)
          prev--;
        backoff = 16;
      } else if (backoff < 256) {
        backoff *= 2; /* decomposed text: a mark every few bytes */
      }
      simd_at = i + backoff;
      if (i >= len)
        break;
    }
#endif
    if (p[i] < 0x80) {
      i = skip_ascii(p, i, len);
      prev = i - 1;
      if (i >= len)
        break;
    }
    unsigned c = p[i];
    size_t n;
    if (c == 0xCC && i + 1 < len && (p[i + 1] & 0xC0) == 0x80) {
      n = 2; /* U+0300..U+033F: most marks of decomposed Vietnamese */
    } else if (c >= 0xC2 && c <= 0xDF && i + 1 < len &&
               (p[i + 1] & 0xC0) == 0x80) {
      if (c != 0xCD || p[i + 1] > 0xAF) {
        prev = i;
        i += 2;
        continue;
      }
      n = 2; /* U+0340..U+036F */
    } else {
      int32_t cp;
      n = fast_decode(p + i, len - i, &cp);
      if (n == 0) { /* an invalid byte becomes U+FFFD */
        if ((err = out_reserve(o, i - run + SLACK)) < 0)
          return err;
        out_run(o, p, run, i, len);
        if ((err = out_put(o, "\xEF\xBF\xBD", 3, i)) < 0)
          return err;
        *repaired = 1;
        run = ++i;
        continue;
      }
      if (!combining_fast(cp)) {
        prev = i;
        i += n;
        continue;
      }
    }
    /* a combining mark at i: its cluster starts at the character before
     * it, if that is in the run, or else at the mark itself */
    size_t st = i > run ? prev : i, end = i + n;
    for (size_t m; end < len && (m = combining_at(p, end, len)) != 0;)
      end += m;
    /* room for the run, then for a cluster from the memo */
    if ((err = out_reserve(o, st - run + 2 * SLACK)) < 0)
      return err;
    out_run(o, p, run, st, len);
    if ((err = put_cluster(o, tab, p, st, end, len)) < 0)
      return err;
    run = i = end;
  }
  if ((err = out_reserve(o, len - run + SLACK)) < 0)
    return err;
  out_run(o, p, run, len, len);
  return VBG_OK;
}

int vbg__text_prepare(vbg__text *t, const char *raw, size_t len, size_t base,
                      int drop_bom) {
  /* an earlier window's storage, if any */
  outbuf o = {
      .s = t->buf, .cap = t->bufcap, .seg = t->segs, .segcap = t->segcap};
  memset(t, 0, sizeof(*t));
  t->buf = o.s;
  t->bufcap = o.cap;
  t->segs = o.seg;
  t->segcap = o.segcap;
  t->base = base;
  if (!needs_work(raw, len, drop_bom)) {
    t->s = raw;
    t->len = len;
    return VBG_OK;
  }
  if (len >= VBG__TSEG_CONST)
    return vbg__error_set(VBG_ELIMIT, "text window too large to normalise");
  size_t i = 0;
  if (drop_bom && len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  int err = out_reserve(&o, len + SLACK);
  if (err == 0)
    err = normalise(&o, (const unsigned char *)raw, i, len, &t->repaired);
  if (err == 0)
    err = out_reserve(&o, 1);
  /* the storage stays with t, whatever happened */
  t->buf = o.s;
  t->bufcap = o.cap;
  t->segs = o.seg;
  t->segcap = o.segcap;
  if (err < 0)
    return err;
  o.s[o.n] = '\0';
  /* the end maps to the window's end, whatever came before it */
  o.seg[o.nseg].at = (uint32_t)o.n;
  o.seg[o.nseg].orig = (uint32_t)len;
  o.nseg++;
  t->s = o.s;
  t->len = o.n;
  t->seg = o.seg;
  t->nseg = o.nseg;
  t->changed = 1;
  return VBG_OK;
}

size_t vbg__text_orig_mapped(vbg__text *t, size_t i) {
  /* the last piece that starts at or before i (the first starts at 0):
   * look-ups mostly go forward a little, so gallop from the last one */
  size_t lo = t->hint < t->nseg ? t->hint : 0, hi;
  if (t->seg[lo].at > i) {
    hi = lo;
    lo = 0;
  } else {
    size_t step = 1;
    hi = lo + 1;
    while (hi < t->nseg && t->seg[hi].at <= i) {
      lo = hi;
      hi += step;
      step *= 2;
    }
    if (hi > t->nseg)
      hi = t->nseg;
  }
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->seg[mid].at <= i)
      lo = mid;
    else
      hi = mid;
  }
  t->hint = lo;
  const vbg__tseg *g = &t->seg[lo];
  if (g->orig & VBG__TSEG_CONST)
    return t->base + (g->orig & ~VBG__TSEG_CONST);
  return t->base + g->orig + (i - g->at);
}

void vbg__text_dispose(vbg__text *t) {
  vbg__free(t->buf);
  vbg__free(t->segs);
  memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------------ */
/* Streaming validity check                                            */
/* ------------------------------------------------------------------ */

static size_t seq_len(unsigned char c) {
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return 2;
  if (c >= 0xE0 && c <= 0xEF)
    return 3;
  if (c >= 0xF0 && c <= 0xF4)
    return 4;
  return 0;
}

static void note_bad(vbg__utf8_check *c, size_t off) {
  if (c->bad++ == 0)
    c->first_bad = off;
}

/* Check one complete-or-truncated sequence; returns bytes consumed. */
static size_t check_one(vbg__utf8_check *c, const unsigned char *p,
                        size_t avail, size_t off, int at_end) {
  size_t want = seq_len(p[0]);
  if (want == 0) {
    note_bad(c, off);
    return 1;
  }
  if (want == 1) {
    if (p[0] == 0)
      c->nul++;
    return 1;
  }
  if (avail < want && !at_end) {
    /* Could still complete: every byte so far must be a continuation. */
    for (size_t k = 1; k < avail; k++)
      if ((p[k] & 0xC0) != 0x80) {
        note_bad(c, off);
        return 1;
      }
    return 0;
  }
  utf8proc_int32_t cp;
  if (utf8proc_iterate(p, (utf8proc_ssize_t)(avail < 4 ? avail : 4), &cp) !=
      (utf8proc_ssize_t)want) {
    note_bad(c, off);
    return 1;
  }
  return want;
}

void vbg__utf8_check_feed(vbg__utf8_check *c, const char *data, size_t len,
                          size_t offset) {
  const unsigned char *p = (const unsigned char *)data;
  size_t i = 0;
  if (c->npend > 0) {
    /* Join the sequence left over from the previous piece with the first
     * bytes of this one, and check until we are past the join. */
    unsigned char tmp[8];
    size_t old = c->npend, take = len < 4 ? len : 4, pos = 0;
    memcpy(tmp, c->pend, old);
    memcpy(tmp + old, p, take);
    size_t n = old + take;
    c->npend = 0;
    while (pos < old) {
      size_t used = check_one(c, tmp + pos, n - pos, c->pend_off + pos, 0);
      if (used == 0) { /* still incomplete: the whole piece was too short */
        c->npend = n - pos;
        memmove(c->pend, tmp + pos, c->npend);
        c->pend_off += pos;
        return;
      }
      pos += used;
    }
    i = pos - old;
  }
  while (i < len) {
    /* ASCII without NUL, eight bytes at a time (NUL bytes are counted) */
    while (i + 8 <= len) {
      uint64_t x;
      memcpy(&x, p + i, 8);
      if ((x & 0x8080808080808080ull) ||
          ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull))
        break;
      i += 8;
    }
    if (i >= len)
      break;
    if (p[i] < 0x80) {
      if (p[i] == 0)
        c->nul++;
      i++;
      continue;
    }
    int32_t cp;
    size_t ok = fast_decode(p + i, len - i, &cp);
    if (ok) {
      i += ok;
      continue;
    }
    size_t used = check_one(c, p + i, len - i, offset + i, 0);
    if (used == 0) {
      c->npend = len - i;
      memcpy(c->pend, p + i, c->npend);
      c->pend_off = offset + i;
      return;
    }
    i += used;
  }
}

void vbg__utf8_check_end(vbg__utf8_check *c) {
  /* a sequence cut off by the end of the input is one bad sequence */
  if (c->npend > 0)
    note_bad(c, c->pend_off);
  c->npend = 0;
}
