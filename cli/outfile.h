/*
 * outfile.h — all-or-nothing output files.
 *
 * Each output is written to a temporary file in its target directory
 * (mkstemp), and only when every output of a run has been written
 * completely are they renamed into place.  A failed run (bad input, full
 * disk, missing directory, a signal) leaves no half-written file: the
 * temporary files are removed and existing targets keep their content.
 * A path of "-" means standard output (written directly).
 */
#ifndef CPT_OUTFILE_H
#define CPT_OUTFILE_H

#include <stdio.h>

#include "../solver/diag.h"
#include "../solver/status.h"

typedef struct cpt_outfile {
  char *path, *tmp;
  FILE *f;
} cpt_outfile;

/* Any number of files (the rota writes one calendar per doctor). */
typedef struct cpt_outset {
  size_t n, cap;
  cpt_outfile *v;
} cpt_outset;

void cpt_outset_init(cpt_outset *o);
/* A stream for path, or NULL with an error in diags. */
FILE *cpt_outset_open(cpt_outset *o, const char *path, cpt_diags *diags);
/* Flush, sync and rename every file; on any failure remove all temporary
 * files, report in diags and return CPT_EIO. */
cpt_status cpt_outset_commit(cpt_outset *o, cpt_diags *diags);
/* Remove every temporary file (nothing is renamed). */
void cpt_outset_abort(cpt_outset *o);

#endif
