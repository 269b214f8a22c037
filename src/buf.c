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

int vbg__buf_puts(vbg_buf *buf, const char *s) {
  return vbg_buf_put(buf, s, strlen(s));
}

int vbg__buf_putc(vbg_buf *buf, char c) { return vbg_buf_put(buf, &c, 1); }

int vbg__buf_printf(vbg_buf *buf, const char *fmt, ...) {
  char small[256];
  va_list ap;
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
