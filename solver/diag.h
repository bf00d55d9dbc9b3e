/*
 * diag.h — a list of located diagnostics (errors and warnings).
 *
 * Readers do not stop at the first error: they record every error of a file
 * (up to a cap) with its file, line and column, and the caller prints them
 * all.  The list is owned by the caller; nothing here is global, so two
 * threads may read two files at once with two lists.
 *
 * Printed form:  FILE:LINE:COL: error: MESSAGE
 * (":COL" is left out when col == 0, ":LINE" too when line == 0).
 */
#ifndef CPT_DIAG_H
#define CPT_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { CPT_DIAG_ERROR, CPT_DIAG_WARNING } cpt_diag_level;

typedef struct cpt_diag {
  cpt_diag_level level;
  char *file;  /* owned; may be NULL */
  long line;   /* 1-based; 0 = whole file */
  long col;    /* 1-based field or character index; 0 = whole line */
  char *msg;   /* owned */
} cpt_diag;

typedef struct cpt_diags {
  cpt_diag *v;
  size_t n, cap;
  size_t max_kept;   /* at most this many entries are kept (default 50) */
  size_t n_errors;   /* errors counted, kept or not */
  size_t n_warnings; /* warnings counted, kept or not */
  size_t dropped;    /* entries counted but not kept */
} cpt_diags;

void cpt_diags_init(cpt_diags *d);
/* Frees the entries; the struct itself is the caller's.  NULL is a no-op. */
void cpt_diags_free(cpt_diags *d);

/* Record an entry; printf-style message.  Allocation failure drops the
 * entry but still counts it, so n_errors stays truthful. */
void cpt_diag_error(cpt_diags *d, const char *file, long line, long col,
                    const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void cpt_diag_warn(cpt_diags *d, const char *file, long line, long col,
                   const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Print kept entries in the order recorded, then a line saying how many
 * were not shown, if any. */
void cpt_diags_print(const cpt_diags *d, FILE *out);

/* Format one entry as printed (without newline) into buf; returns buf. */
char *cpt_diag_format(const cpt_diag *e, char *buf, size_t size);

#endif
