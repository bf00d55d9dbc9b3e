/*
 * csv_file.c — a file's bytes for the CSV readers (csv_table.h).
 *
 * A regular file is mapped read-only: for a 60 MB file that is ten times
 * cheaper than reading it into fresh memory, whose every page must be
 * faulted in and copied.  Anything else (a pipe, /dev/stdin, an empty or
 * unmappable file) is read into a malloc'ed buffer.  A mapped file must
 * not be truncated by another process while it is read (as for any
 * mmap-based tool).  Errors are recorded as "PATH: error: cannot open:
 * REASON".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "csv_table.h"

/* Read a non-regular file (a pipe) into a malloc'ed buffer. */
static cpt_status read_stream(FILE *fp, const char *path, cpt_csv_bytes *f,
                              cpt_diags *diags) {
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (buf && cap - len < 2) {
      char *b = realloc(buf, 2 * cap);
      if (!b) free(buf);
      buf = b;
      cap *= 2;
    }
    if (!buf) {
      cpt_diag_error(diags, path, 0, 0, "out of memory reading the file");
      return CPT_ENOMEM;
    }
    size_t got = fread(buf + len, 1, cap - 1 - len, fp);
    len += got;
    if (got == 0) break;
  }
  if (ferror(fp)) {
    char err[128];
    int e = errno;
    if (strerror_r(e, err, sizeof err) != 0)
      snprintf(err, sizeof err, "error %d", e);
    cpt_diag_error(diags, path, 0, 0, "cannot read: %s", err);
    free(buf);
    return CPT_EIO;
  }
  buf[len] = '\0';
  f->data = buf;
  f->len = len;
  f->owned = buf;
  return CPT_OK;
}

cpt_status cpt_csv_bytes_open(const char *path, cpt_csv_bytes *f,
                              cpt_diags *diags) {
  memset(f, 0, sizeof *f);
  f->data = "";
  char err[128];
  FILE *fp = fopen(path, "rb");
  struct stat sb;
  int e = 0;
  if (!fp)
    e = errno;
  else if (fstat(fileno(fp), &sb) != 0)
    e = errno;
  else if (S_ISDIR(sb.st_mode))
    e = EISDIR;
  if (e) {
    if (strerror_r(e, err, sizeof err) != 0)
      snprintf(err, sizeof err, "error %d", e);
    cpt_diag_error(diags, path, 0, 0, "cannot open: %s", err);
    if (fp) fclose(fp);
    return CPT_EIO;
  }
  cpt_status st = CPT_OK;
  if (S_ISREG(sb.st_mode) && sb.st_size > 0 &&
      (uintmax_t)sb.st_size <= SIZE_MAX) {
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE,
                   fileno(fp), 0);
    if (m != MAP_FAILED) {
      f->data = m;
      f->len = f->map_len = (size_t)sb.st_size;
      f->map = m;
    } else {
      st = read_stream(fp, path, f, diags);
    }
  } else {
    st = read_stream(fp, path, f, diags);
  }
  fclose(fp);
  return st;
}

void cpt_csv_bytes_close(cpt_csv_bytes *f) {
  if (!f) return;
  if (f->map) munmap(f->map, f->map_len);
  free(f->owned);
  memset(f, 0, sizeof *f);
  f->data = "";
}
