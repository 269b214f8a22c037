/*
 * fsync_shim.c - an LD_PRELOAD library for tests/failure/run.sh: makes fsync()
 * fail as a dying disk would, and records the order of fsync() and rename().
 *
 *   VBG_FSYNC_FAIL=file         fsync of a regular file fails with EIO
 *   VBG_FSYNC_FAIL=dir          fsync of a directory fails with EIO
 *   VBG_FSYNC_FAIL=dir-einval   fsync of a directory fails with EINVAL (as on
 *                               a filesystem that cannot sync directories)
 *   VBG_FSYNC_LOG=PATH          one line per call appended to PATH:
 *                               "fsync file", "fsync dir", "rename"
 *
 * Everything else goes to the real functions.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void log_call(const char *what) {
  const char *path = getenv("VBG_FSYNC_LOG");
  if (!path)
    return;
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0)
    return;
  char line[64];
  int n = snprintf(line, sizeof(line), "%s\n", what);
  if (write(fd, line, (size_t)n) != n)
    perror("fsync_shim: log");
  close(fd);
}

int fsync(int fd) {
  static int (*real)(int);
  struct stat st;
  int dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
  const char *mode = getenv("VBG_FSYNC_FAIL");
  log_call(dir ? "fsync dir" : "fsync file");
  if (mode && strcmp(mode, dir ? "dir" : "file") == 0) {
    errno = EIO;
    return -1;
  }
  if (mode && dir && strcmp(mode, "dir-einval") == 0) {
    errno = EINVAL;
    return -1;
  }
  if (!real)
    real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  return real(fd);
}

int rename(const char *from, const char *to) {
  static int (*real)(const char *, const char *);
  log_call("rename");
  if (!real)
    real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  return real(from, to);
}
