/*
 * error.c - the thread-local error slot behind vbg_error_last(), and the
 * fixed texts of vbg_strerror().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

#if defined(__STDC_NO_THREADS__) && defined(__GNUC__)
#define VBG__THREAD_LOCAL __thread
#else
#define VBG__THREAD_LOCAL _Thread_local
#endif

static VBG__THREAD_LOCAL char last_message[512];

int vbg__error_set(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_message, sizeof(last_message), fmt, ap);
  va_end(ap);
  /* Keep it one line whatever the caller passed in. */
  for (char *p = last_message; *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  return code;
}

int vbg__error_io(const char *what) {
  int e = errno; /* read first: the formatting below may change it */
  if (e != 0)
    return vbg__error_set(VBG_EIO, "%s: %s", what, strerror(e));
  return vbg__error_set(VBG_EIO, "%s", what);
}

const char *vbg_error_last(void) { return last_message; }

void vbg_error_clear(void) { last_message[0] = '\0'; }

const char *vbg_version(void) { return VBG_VERSION_STRING; }

const char *vbg_strerror(int code) {
  switch (code) {
  case VBG_OK:
    return "success";
  case VBG_ENOMEM:
    return "out of memory";
  case VBG_EINVAL:
    return "invalid argument or input";
  case VBG_EIO:
    return "input/output error";
  case VBG_EREGEX:
    return "pattern error or match limit reached";
  case VBG_EUTF8:
    return "invalid UTF-8";
  case VBG_EGRAPH:
    return "graph library error";
  case VBG_ELIMIT:
    return "size limit exceeded";
  default:
    return "unknown error";
  }
}
