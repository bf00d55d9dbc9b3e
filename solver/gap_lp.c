/*
 * gap_lp.c — the LP relaxation of a GAP instance solved by GLPK
 * (cpt_gap_lp_bound, see gap.h), reported beside the core's Lagrangian
 * bounds when the instance is small enough.
 *
 *   min  Σ_k c_k x_k + Σ_j u_j y_j + Σ_i p_i o_i
 *   s.t. Σ_{k of j} x_k + y_j = n_j          every class j (y_j only with
 *                                             an unassigned option)
 *        Σ_{k on i} w_k x_k ≤ b_i            every agent i
 *        Σ_{k on i} w_k x_k − o_i ≤ s_i      agents with a soft capacity
 *                                             s_i < b_i and p_i > 0
 *        0 ≤ x_k ≤ n_j, y_j ≥ 0, o_i ≥ 0.
 *
 * The capacity Lagrangian's best value equals this optimum (its
 * sub-problem has the integrality property), so the LP tells how far the
 * subgradient method got; the assignment Lagrangian (knapsacks per agent)
 * can pass it.  The LP is solved through solver/mip.h with no integer
 * column: GLPK's simplex, its time limit and the stop flag.
 */
#include <math.h>
#include <stdlib.h>

#include "gap.h"
#include "mip.h"

static void set_err(char *err, size_t errsize, const char *msg) {
  if (err && errsize)
    snprintf(err, errsize, "%s", msg);
}

/* The LP in m (columns: entries, then y_j, then o_i). */
static cpt_status build(const cpt_gap *g, cpt_mip *lp) {
  int64_t nnz = g->start[g->n];
  for (int32_t j = 0; j < g->n; j++) {
    double nj = (double)(g->count ? g->count[j] : 1);
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      if (cpt_mip_add_col(lp, NULL, 0.0, nj, g->cost[k], 0) < 0)
        return CPT_ENOMEM;
  }
  int ycol0 = (int)nnz, ocol0 = ycol0 + (g->unassigned ? g->n : 0);
  if (g->unassigned)
    for (int32_t j = 0; j < g->n; j++)
      if (cpt_mip_add_col(lp, NULL, 0.0, (double)(g->count ? g->count[j] : 1),
                          g->unassigned[j], 0) < 0)
        return CPT_ENOMEM;
  int n_o = 0;
  int32_t *ocol = malloc(((size_t)g->m + 1) * sizeof *ocol);
  int64_t *astart = calloc((size_t)g->m + 2, sizeof *astart);
  int *cols = malloc(((size_t)nnz + (size_t)g->n + 2) * sizeof *cols);
  double *vals = malloc(((size_t)nnz + (size_t)g->n + 2) * sizeof *vals);
  int64_t *fill = malloc(((size_t)g->m + 1) * sizeof *fill);
  int *aent = malloc(((size_t)nnz + 1) * sizeof *aent);
  cpt_status st = CPT_OK;
  if (!ocol || !astart || !cols || !vals || !fill || !aent) {
    st = CPT_ENOMEM;
    goto done;
  }
  for (int32_t i = 0; i < g->m; i++) {
    ocol[i] = -1;
    if (g->soft && g->soft_pen && g->soft_pen[i] > 0 &&
        g->soft[i] < g->cap[i]) {
      ocol[i] = ocol0 + n_o++;
      if (cpt_mip_add_col(lp, NULL, 0.0, INFINITY, g->soft_pen[i], 0) < 0) {
        st = CPT_ENOMEM;
        goto done;
      }
    }
  }
  /* assignment rows */
  for (int32_t j = 0; j < g->n; j++) {
    int t = 0;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      cols[t] = (int)k;
      vals[t++] = 1.0;
    }
    if (g->unassigned) {
      cols[t] = ycol0 + j;
      vals[t++] = 1.0;
    }
    double nj = (double)(g->count ? g->count[j] : 1);
    if (cpt_mip_add_row(lp, NULL, nj, nj, t, cols, vals) < 0) {
      st = CPT_ENOMEM;
      goto done;
    }
  }
  /* capacity rows: entries by agent */
  for (int64_t k = 0; k < nnz; k++)
    astart[g->agent[k] + 1]++;
  for (int32_t i = 0; i < g->m; i++) {
    astart[i + 1] += astart[i];
    fill[i] = astart[i];
  }
  for (int64_t k = 0; k < nnz; k++)
    aent[fill[g->agent[k]]++] = (int)k;
  for (int32_t i = 0; i < g->m; i++) {
    int t = 0;
    for (int64_t q = astart[i]; q < astart[i + 1]; q++) {
      cols[t] = aent[q];
      vals[t++] = (double)g->weight[aent[q]];
    }
    if (cpt_mip_add_row(lp, NULL, -INFINITY, (double)g->cap[i], t, cols,
                        vals) < 0) {
      st = CPT_ENOMEM;
      goto done;
    }
    if (ocol[i] >= 0) {
      cols[t] = ocol[i];
      vals[t++] = -1.0;
      if (cpt_mip_add_row(lp, NULL, -INFINITY, (double)g->soft[i], t, cols,
                          vals) < 0) {
        st = CPT_ENOMEM;
        goto done;
      }
    }
  }
done:
  free(ocol);
  free(astart);
  free(cols);
  free(vals);
  free(fill);
  free(aent);
  return st;
}

cpt_status cpt_gap_lp_bound(const cpt_gap *g, int64_t max_entries,
                            double time_limit_s, const atomic_int *stop,
                            double *bound, char *err, size_t errsize) {
  *bound = NAN;
  if (!g || time_limit_s < 0) {
    set_err(err, errsize, "cpt_gap_lp_bound: invalid argument");
    return CPT_EPARAM;
  }
  int64_t nnz = g->start[g->n];
  if (nnz > max_entries || nnz + g->n + g->m > 2000000000)
    return CPT_OK; /* too large for the LP: no bound */
  cpt_mip *lp = cpt_mip_new(0);
  if (!lp) {
    set_err(err, errsize, "gap LP: out of memory");
    return CPT_ENOMEM;
  }
  cpt_status st = build(g, lp);
  if (st != CPT_OK) {
    set_err(err, errsize, "gap LP: out of memory");
    cpt_mip_free(lp);
    return st;
  }
  cpt_mip_params p;
  cpt_mip_params_init(&p);
  p.time_limit_s = time_limit_s;
  p.stop = stop;
  cpt_mip_result res;
  st = cpt_mip_solve(lp, &p, &res, err, errsize);
  if (st == CPT_OK) {
    if (res.status == CPT_SOLVE_OPTIMAL)
      *bound = res.objective;
    else if (res.status == CPT_SOLVE_INFEASIBLE)
      *bound = INFINITY;
    cpt_mip_result_free(&res);
  }
  cpt_mip_free(lp);
  return st;
}
