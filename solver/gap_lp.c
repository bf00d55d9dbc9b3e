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

#include "gap_internal.h"
#include "mip.h"

/* The LP in lp (columns: entries, then y_j, then o_i); c gives each
 * agent's entries. */
static cpt_status build(const gap_ctx *c, cpt_mip *lp) {
  const cpt_gap *g = c->g;
  int64_t nnz = c->nnz;
  for (int32_t j = 0; j < g->n; j++) {
    double nj = (double)CPT_GAP_COUNT(g, j);
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      if (cpt_mip_add_col(lp, NULL, 0.0, nj, g->cost[k], 0) < 0)
        return CPT_ENOMEM;
  }
  int ycol0 = (int)nnz, ocol0 = ycol0 + (g->unassigned ? g->n : 0);
  if (g->unassigned)
    for (int32_t j = 0; j < g->n; j++)
      if (cpt_mip_add_col(lp, NULL, 0.0, (double)CPT_GAP_COUNT(g, j),
                          g->unassigned[j], 0) < 0)
        return CPT_ENOMEM;
  int n_o = 0;
  int32_t *ocol = malloc(((size_t)g->m + 1) * sizeof *ocol);
  int *cols = malloc(((size_t)nnz + 2) * sizeof *cols);
  double *vals = malloc(((size_t)nnz + 2) * sizeof *vals);
  cpt_status st = CPT_OK;
  if (!ocol || !cols || !vals) {
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
    double nj = (double)CPT_GAP_COUNT(g, j);
    if (cpt_mip_add_row(lp, NULL, nj, nj, t, cols, vals) < 0) {
      st = CPT_ENOMEM;
      goto done;
    }
  }
  /* capacity rows */
  for (int32_t i = 0; i < g->m; i++) {
    int t = 0;
    for (int64_t q = c->astart[i]; q < c->astart[i + 1]; q++) {
      cols[t] = (int)c->aent[q];
      vals[t++] = (double)g->weight[c->aent[q]];
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
  free(cols);
  free(vals);
  return st;
}

cpt_status cpt_gap_lp_bound(const cpt_gap *g, int64_t max_entries,
                            double time_limit_s, const atomic_int *stop,
                            double *bound, char *err, size_t errsize) {
  *bound = NAN;
  if (!g || time_limit_s < 0) {
    cpt_gap_set_err(err, errsize, "cpt_gap_lp_bound: invalid argument");
    return CPT_EPARAM;
  }
  int64_t nnz = g->start[g->n];
  if (nnz > max_entries || nnz + g->n + g->m > 2000000000)
    return CPT_OK; /* too large for the LP: no bound */
  gap_ctx c;
  if (gap_ctx_init(&c, g) != 0) {
    cpt_gap_set_err(err, errsize, "gap LP: out of memory");
    return CPT_ENOMEM;
  }
  cpt_mip *lp = cpt_mip_new(0);
  cpt_status st = lp ? build(&c, lp) : CPT_ENOMEM;
  gap_ctx_free(&c);
  if (st != CPT_OK) {
    cpt_gap_set_err(err, errsize, "gap LP: out of memory");
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
