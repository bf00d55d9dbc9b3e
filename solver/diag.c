/*
 * diag.c — the located diagnostics list of diag.h.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cpt_diags_init(cpt_diags *d) {
  memset(d, 0, sizeof *d);
  d->max_kept = 50;
}

void cpt_diags_free(cpt_diags *d) {
  if (!d) return;
  for (size_t i = 0; i < d->n; i++) {
    free(d->v[i].file);
    free(d->v[i].msg);
  }
  free(d->v);
  d->v = NULL;
  d->n = d->cap = 0;
}

static char *dup_or_null(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c) memcpy(c, s, n);
  return c;
}

static void add(cpt_diags *d, cpt_diag_level level, const char *file,
                long line, long col, const char *fmt, va_list ap) {
  if (level == CPT_DIAG_ERROR)
    d->n_errors++;
  else
    d->n_warnings++;
  if (d->n >= d->max_kept) {
    d->dropped++;
    return;
  }
  if (d->n == d->cap) {
    size_t cap = d->cap ? 2 * d->cap : 16;
    cpt_diag *v = realloc(d->v, cap * sizeof *v);
    if (!v) {
      d->dropped++;
      return;
    }
    d->v = v;
    d->cap = cap;
  }
  char buf[1024];
  vsnprintf(buf, sizeof buf, fmt, ap);
  cpt_diag *e = &d->v[d->n];
  e->level = level;
  e->file = dup_or_null(file);
  e->line = line;
  e->col = col;
  e->msg = dup_or_null(buf);
  if (!e->msg) {
    free(e->file);
    d->dropped++;
    return;
  }
  d->n++;
}

void cpt_diag_error(cpt_diags *d, const char *file, long line, long col,
                    const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add(d, CPT_DIAG_ERROR, file, line, col, fmt, ap);
  va_end(ap);
}

void cpt_diag_warn(cpt_diags *d, const char *file, long line, long col,
                   const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add(d, CPT_DIAG_WARNING, file, line, col, fmt, ap);
  va_end(ap);
}

char *cpt_diag_format(const cpt_diag *e, char *buf, size_t size) {
  const char *lvl = e->level == CPT_DIAG_ERROR ? "error" : "warning";
  const char *file = e->file ? e->file : "cptsopt";
  if (e->line > 0 && e->col > 0)
    snprintf(buf, size, "%s:%ld:%ld: %s: %s", file, e->line, e->col, lvl,
             e->msg);
  else if (e->line > 0)
    snprintf(buf, size, "%s:%ld: %s: %s", file, e->line, lvl, e->msg);
  else
    snprintf(buf, size, "%s: %s: %s", file, lvl, e->msg);
  return buf;
}

void cpt_diags_print(const cpt_diags *d, FILE *out) {
  char buf[1400];
  for (size_t i = 0; i < d->n; i++)
    fprintf(out, "%s\n", cpt_diag_format(&d->v[i], buf, sizeof buf));
  if (d->dropped)
    fprintf(out, "cptsopt: %zu more message(s) not shown (%zu error(s), "
                 "%zu warning(s) in all)\n",
            d->dropped, d->n_errors, d->n_warnings);
}
