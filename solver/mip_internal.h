/*
 * mip_internal.h — the representation of a cpt_mip, shared by the model
 * container (mip_model.c) and the GLPK adapter (mip.c).  Not installed.
 *
 * Columns (bounds, objective, integrality, optional name) are 0-based
 * growable arrays; rows are in compressed sparse row form.
 */
#ifndef CPT_MIP_INTERNAL_H
#define CPT_MIP_INTERNAL_H

#include <stddef.h>

#include "mip.h"

struct cpt_mip {
  int maximize;
  double c0;
  int n, ccap; /* columns */
  char **cname;
  double *clb, *cub, *cobj;
  unsigned char *cint;
  int *cmark; /* last row (index + 1) a column appeared in: duplicate check */
  int m, rcap; /* rows */
  char **rname;
  double *rlb, *rub;
  size_t *rbeg; /* row i's entries are [rbeg[i], rbeg[i + 1]) */
  size_t nnz, zcap;
  int *zcol;
  double *zval;
};

#endif
