/*
 * buf.c - vbg_buf, the growable byte buffer every writer appends to.
 */
#include <stdio.h>
#include <string.h>

#include "common.h"

void vbg_buf_init(vbg_buf *buf) {
  buf->ptr = NULL;
  buf->size = 0;
  buf->asize = 0;
}

void vbg_buf_dispose(vbg_buf *buf) {
  if (!buf)
    return;
  vbg__free(buf->ptr);
  vbg_buf_init(buf);
}

void vbg_buf_clear(vbg_buf *buf) {
  buf->size = 0;
  if (buf->ptr)
    buf->ptr[0] = '\0';
}

int vbg__buf_grow(vbg_buf *buf, size_t extra) {
  if (extra > SIZE_MAX - buf->size - 1)
    return vbg__error_set(VBG_ENOMEM, "buffer size overflow");
  size_t need = buf->size + extra + 1;
  if (need <= buf->asize)
    return VBG_OK;
  size_t asize = buf->asize ? buf->asize : 64;
  while (asize < need)
    asize = asize > SIZE_MAX / 2 ? need : asize * 2;
  char *p = vbg__realloc(buf->ptr, asize);
  if (!p)
    return VBG_ENOMEM;
  buf->ptr = p;
  buf->asize = asize;
  return VBG_OK;
}

int vbg_buf_put(vbg_buf *buf, const char *data, size_t len) {
  int err = vbg__buf_grow(buf, len);
  if (err < 0)
    return err;
  if (len)
    memcpy(buf->ptr + buf->size, data, len);
  buf->size += len;
  buf->ptr[buf->size] = '\0';
  return VBG_OK;
}

/* Does fmt use only %s, %d, %i, %u, %zu, %c and %% (no flags, width or
 * precision)?  Those are formatted here, as printf would, without
 * vsnprintf: graph building prints keys by the ten thousand. */
static int simple_format(const char *fmt) {
  for (const char *p = fmt; (p = strchr(p, '%')) != NULL;) {
    p++;
    if (*p == 'z')
      p++;
    if (p[-1] == 'z' ? *p != 'u' : !strchr("sdiuc%", *p) || !*p)
      return 0;
    p++;
  }
  return 1;
}

static int put_decimal(vbg_buf *buf, unsigned long long v, int negative) {
  char digits[24];
  size_t n = sizeof(digits);
  do {
    digits[--n] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  if (negative)
    digits[--n] = '-';
  return vbg_buf_put(buf, digits + n, sizeof(digits) - n);
}

static int format_simple(vbg_buf *buf, const char *fmt, va_list ap) {
  int err = VBG_OK;
  for (const char *p = fmt; err == 0 && *p;) {
    const char *q = strchr(p, '%');
    size_t lit = q ? (size_t)(q - p) : strlen(p);
    if (lit)
      err = vbg_buf_put(buf, p, lit);
    if (!q || err)
      break;
    q++;
    switch (*q) {
    case 's': {
      const char *s = va_arg(ap, const char *);
      err = vbg__buf_puts(buf, s ? s : "(null)");
      break;
    }
    case 'd':
    case 'i': {
      int v = va_arg(ap, int);
      err = put_decimal(
          buf, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v,
          v < 0);
      break;
    }
    case 'u':
      err = put_decimal(buf, va_arg(ap, unsigned), 0);
      break;
    case 'z': /* %zu */
      q++;
      err = put_decimal(buf, va_arg(ap, size_t), 0);
      break;
    case 'c':
      err = vbg__buf_putc(buf, (char)va_arg(ap, int));
      break;
    default: /* %% */
      err = vbg__buf_putc(buf, '%');
      break;
    }
    p = q + 1;
  }
  return err;
}

int vbg__buf_printf(vbg_buf *buf, const char *fmt, ...) {
  char small[256];
  va_list ap;
  if (simple_format(fmt)) {
    va_start(ap, fmt);
    int err = format_simple(buf, fmt, ap);
    va_end(ap);
    return err;
  }
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof(small), fmt, ap);
  va_end(ap);
  if (n < 0)
    return vbg__error_set(VBG_EINVAL, "bad format");
  if ((size_t)n < sizeof(small))
    return vbg_buf_put(buf, small, (size_t)n);
  int err = vbg__buf_grow(buf, (size_t)n);
  if (err < 0)
    return err;
  va_start(ap, fmt);
  vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf->size += (size_t)n;
  return VBG_OK;
}

char *vbg__buf_detach(vbg_buf *buf) {
  if (!buf->ptr && vbg__buf_grow(buf, 0) < 0)
    return NULL;
  buf->ptr[buf->size] = '\0';
  char *p = buf->ptr;
  vbg_buf_init(buf);
  return p;
}
