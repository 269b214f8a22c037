/*
 * consumer.c - a program outside the vbgraph tree, built against an
 * installed libvbgraph by tests/install/run.sh: once with the flags from
 * `pkg-config --cflags --libs vbgraph`, once as a CMake project using
 * find_package(vbgraph).  It passes only when the installed header and
 * library agree on the version and the library finds the central resolution
 * 25-NQ/TƯ under its canonical key 25-NQ/TW.
 */
#include <stdio.h>
#include <string.h>

#include <vbgraph.h>

static const char text[] =
    "Thực hiện Nghị quyết số 25-NQ/TƯ ngày 03/6/2013 của Ban Chấp hành "
    "Trung ương Đảng (khóa XI) về tăng cường và đổi mới sự lãnh đạo của "
    "Đảng đối với công tác dân vận trong tình hình mới, Tỉnh ủy ban hành "
    "Kế hoạch triển khai.\n";

int main(void) {
  vbg_extractor *ex = NULL;
  vbg_refs *refs = NULL;
  int found = 0;
  int err;
  size_t i;

  if (strcmp(vbg_version(), VBG_VERSION_STRING) != 0) {
    fprintf(stderr, "consumer: header says %s, library says %s\n",
            VBG_VERSION_STRING, vbg_version());
    return 1;
  }
  if ((err = vbg_extractor_new(&ex, VBG_OPT_DEFAULT)) < 0 ||
      (err = vbg_extract(&refs, ex, text, strlen(text))) < 0) {
    fprintf(stderr, "consumer: %s: %s\n", vbg_strerror(err), vbg_error_last());
    goto done;
  }
  for (i = 0; i < vbg_refs_count(refs); i++) {
    const vbg_ref *ref = vbg_refs_get(refs, i);
    printf("consumer: line %zu: %s -> %s\n", ref->line, ref->surface,
           ref->key ? ref->key : "(short form)");
    if (ref->key && strcmp(ref->key, "25-NQ/TW") == 0)
      found = 1;
  }
  if (!found)
    fprintf(stderr, "consumer: 25-NQ/TW not among %zu references\n",
            vbg_refs_count(refs));

done:
  vbg_refs_free(refs);
  vbg_extractor_free(ex);
  return found ? 0 : 1;
}
