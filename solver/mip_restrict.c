/*
 * mip_restrict.c — the sub-problem of a cpt_mip in which most columns are
 * fixed, with the fixed columns substituted out.
 *
 * For a model  opt c·x + c_0,  L ≤ A x ≤ U,  l ≤ x ≤ u  and a set F of
 * free columns, every other column j is fixed at v_j and the restriction is
 *
 *   opt Σ_{j∈F} c_j x_j + (c_0 + Σ_{j∉F} c_j v_j)
 *   L_i − Σ_{j∉F} a_ij v_j ≤ Σ_{j∈F} a_ij x_j ≤ U_i − Σ_{j∉F} a_ij v_j
 *
 * over the rows with at least one free column; a row without one is only
 * checked (its fixed activity must lie in [L_i, U_i] up to a relative
 * tolerance).  Solving the restriction instead of the whole model with
 * fixed bounds matters for the large-neighbourhood searches (lns.c): GLPK
 * is started from an incumbent and therefore runs without its presolver,
 * so every node of a sub-MIP would otherwise re-solve the whole LP.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mip_internal.h"

#define ROW_TOL 1e-6

cpt_mip *cpt_mip_restrict(const cpt_mip *m, const unsigned char *is_free,
                          const double *val, int *map, int *n_free,
                          int *violated) {
  *violated = 0;
  *n_free = 0;
  cpt_mip *r = cpt_mip_new(m->maximize);
  int *newcol = malloc((size_t)(m->n + 1) * sizeof *newcol);
  int *cols = malloc((size_t)(m->n + 1) * sizeof *cols);
  double *vals = malloc((size_t)(m->n + 1) * sizeof *vals);
  if (!r || !newcol || !cols || !vals) goto nomem;
  double c0 = m->c0;
  for (int j = 0; j < m->n; j++) {
    if (is_free[j]) {
      int k = cpt_mip_add_col(r, NULL, m->clb[j], m->cub[j], m->cobj[j],
                              m->cint[j]);
      if (k < 0) goto nomem;
      newcol[j] = k;
      map[k] = j;
    } else {
      newcol[j] = -1;
      c0 += m->cobj[j] * val[j];
    }
  }
  cpt_mip_set_obj_const(r, c0);
  *n_free = r->n;
  for (int i = 0; i < m->m; i++) {
    double fixed = 0;
    int nf = 0;
    for (size_t e = m->rbeg[i]; e < m->rbeg[i + 1]; e++) {
      int j = m->zcol[e];
      if (newcol[j] >= 0) {
        cols[nf] = newcol[j];
        vals[nf++] = m->zval[e];
      } else {
        fixed += m->zval[e] * val[j];
      }
    }
    double lb = m->rlb[i] - fixed, ub = m->rub[i] - fixed;
    if (nf == 0) {
      double tl = ROW_TOL * fmax(1.0, fabs(m->rlb[i]));
      double tu = ROW_TOL * fmax(1.0, fabs(m->rub[i]));
      if ((isfinite(lb) && lb > tl) || (isfinite(ub) && ub < -tu))
        *violated = 1;
      continue;
    }
    if (lb > ub) ub = lb = 0.5 * (lb + ub); /* rounding noise only */
    if (cpt_mip_add_row(r, NULL, lb, ub, nf, cols, vals) < 0) goto nomem;
  }
  free(newcol);
  free(cols);
  free(vals);
  return r;
nomem:
  cpt_mip_free(r);
  free(newcol);
  free(cols);
  free(vals);
  return NULL;
}
