/*
 * outfile.c — temp-file-and-rename outputs (see outfile.h).
 *
 * Commit checks every stream's error flag, flush, fsync and close before
 * any rename, so that a full disk (ENOSPC, EFBIG) or an I/O error is seen
 * while every target still holds its old content.  Several outputs are
 * renamed one after the other: only a failing rename between two of them
 * (which needs the directory to change under us) can leave a mix.
 */
#include "outfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cpt_outset_init(cpt_outset *o) { memset(o, 0, sizeof *o); }

FILE *cpt_outset_open(cpt_outset *o, const char *path, cpt_diags *diags) {
  if (!strcmp(path, "-")) return stdout;
  if (o->n == o->cap) {
    size_t cap = o->cap ? 2 * o->cap : 8;
    cpt_outfile *v = realloc(o->v, cap * sizeof *v);
    if (!v) {
      cpt_diag_error(diags, path, 0, 0, "out of memory");
      return NULL;
    }
    o->v = v;
    o->cap = cap;
  }
  size_t len = strlen(path);
  char *tmp = malloc(len + 16);
  char *p = malloc(len + 1);
  if (!tmp || !p) {
    free(tmp);
    free(p);
    cpt_diag_error(diags, path, 0, 0, "out of memory");
    return NULL;
  }
  memcpy(p, path, len + 1);
  snprintf(tmp, len + 16, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    cpt_diag_error(diags, path, 0, 0, "cannot create output file: %s",
                   strerror(errno));
    free(tmp);
    free(p);
    return NULL;
  }
  mode_t mask = umask(0);
  umask(mask);
  (void)fchmod(fd, 0666 & ~mask); /* mkstemp makes 0600; best effort */
  FILE *f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    unlink(tmp);
    cpt_diag_error(diags, path, 0, 0, "cannot open output file: %s",
                   strerror(errno));
    free(tmp);
    free(p);
    return NULL;
  }
  o->v[o->n].path = p;
  o->v[o->n].tmp = tmp;
  o->v[o->n].f = f;
  o->n++;
  return f;
}

static void release(cpt_outset *o) {
  for (size_t i = 0; i < o->n; i++) {
    free(o->v[i].path);
    free(o->v[i].tmp);
  }
  free(o->v);
  cpt_outset_init(o);
}

void cpt_outset_abort(cpt_outset *o) {
  for (size_t i = 0; i < o->n; i++) {
    if (o->v[i].f) fclose(o->v[i].f);
    o->v[i].f = NULL;
    unlink(o->v[i].tmp);
  }
  release(o);
}

/* Flush f and, when sync, fsync it: 0, or the errno of the first failure.
 * A stream whose error flag is already set failed in an earlier write:
 * its errno is gone, so the pending bytes are written once more to learn
 * why (EIO when that now succeeds: bytes were lost all the same). */
static int flush_error(FILE *f, bool sync) {
  bool failed_before = ferror(f);
  clearerr(f);
  errno = 0;
  if (fflush(f) != 0) return errno ? errno : EIO;
  if (failed_before) return EIO;
  if (sync && fsync(fileno(f)) != 0) return errno ? errno : EIO;
  return 0;
}

cpt_status cpt_outset_commit(cpt_outset *o, cpt_diags *diags) {
  bool ok = true;
  for (size_t i = 0; i < o->n; i++) {
    FILE *f = o->v[i].f;
    int e = flush_error(f, true);
    bool err = e != 0;
    if (err) {
      cpt_diag_error(diags, o->v[i].path, 0, 0, "write failed: %s",
                     strerror(e));
      ok = false;
    }
    if (fclose(f) != 0 && !err) {
      cpt_diag_error(diags, o->v[i].path, 0, 0, "write failed: %s",
                     strerror(errno));
      ok = false;
    }
    o->v[i].f = NULL;
  }
  /* an output sent to standard output ("-") fails before any rename */
  int e = flush_error(stdout, false);
  if (e) {
    cpt_diag_error(diags, "standard output", 0, 0, "write failed: %s",
                   strerror(e));
    ok = false;
  }
  for (size_t i = 0; ok && i < o->n; i++)
    if (rename(o->v[i].tmp, o->v[i].path) != 0) {
      cpt_diag_error(diags, o->v[i].path, 0, 0, "cannot rename into place: %s",
                     strerror(errno));
      ok = false;
    }
  if (!ok)
    for (size_t i = 0; i < o->n; i++) unlink(o->v[i].tmp);
  release(o);
  return ok ? CPT_OK : CPT_EIO;
}
