/*
 * assign_flow.c — the MT model without households as a min-cost flow.
 *
 * Network (maximising Σ value is minimising Σ −value):
 *
 *   class k  --(cap min(n_k, room_d), cost −v_kd·S)-->  doctor d
 *   class k  --(cap n_k, cost 0)-->                     sink   (unassigned)
 *   doctor d --(cap t_d, cost 0)-->                     sink
 *   doctor d --(cap room_d − t_d, cost +penalty·S)-->   sink   (e_d)
 *   supply n_k at class k, demand Σ n_k at the sink.
 *
 * The two doctor arcs are the fairness term max(0, x_d − t_d) as a convex
 * piecewise-linear cost: the cheap arc fills first, so e_d is exactly the
 * excess.  Costs are scaled by S (10⁶, lowered when needed so that every
 * total fits in 64 bits) and rounded, so the network optimum is exact for
 * distances rounded to S⁻¹ km·cost.  The flow on class → doctor arcs is
 * split among the class's patients in id order (deterministic).
 * On request (ctx flow_lambda) the doctors' optimal duals are returned:
 * λ_d = (π_d − π_sink)/S, the multipliers of the doctors' capacities in
 * the Lagrangian of assign_gap.c, where they start the subgradient.
 */
#include <math.h>
#include <stdlib.h>

#include "../solver/flow.h"
#include "assign_internal.h"

static double pick_scale(const cpt_assign_ctx *c) {
  double maxv = c->cfg->assign_fairness_penalty;
  for (size_t k = 0; k < c->nc; k++)
    for (size_t i = c->cand_start[k]; i < c->cand_start[k + 1]; i++) {
      double v = fabs(cpt_assign_value(c, k, c->cand_doc[i], c->cand_dist[i]));
      if (v > maxv) maxv = v;
    }
  /* the flow total is at most np·maxv·S, and the network simplex needs
   * (nodes + 1)·max|cost| well inside 64 bits (nodes ≤ np + nd + 1) */
  double n = (double)(c->np + c->nd + 2);
  double s = 1e6, total = n * (maxv + 1.0);
  while (s > 1.0 && total * s > 1e17) s /= 10.0;
  return s;
}

cpt_status cpt_assign_solve_flow(const cpt_assign_ctx *c,
                                 cpt_assign_result *r, cpt_diags *diags) {
  (void)diags;
  double t0 = cpt_now_s();
  size_t nc = c->nc, nd = c->nd;
  int32_t sink = (int32_t)(nc + nd);
  size_t npairs = c->cand_start[nc];
  cpt_flow *g = cpt_flow_new((int32_t)(nc + nd + 1),
                             (int64_t)(npairs + nc + 2 * nd));
  int64_t *arc_of = malloc((npairs ? npairs : 1) * sizeof *arc_of);
  if (!g || !arc_of) {
    cpt_flow_free(g);
    free(arc_of);
    return CPT_ENOMEM;
  }
  double S = pick_scale(c);
  cpt_status st = CPT_OK;
  const atomic_int *stop = c->params ? c->params->stop : NULL;
  for (size_t k = 0; k < nc && st == CPT_OK; k++) {
    /* millions of pairs take a second or more to build: look at the
     * stop flag on the way */
    if ((k & 4095) == 0 && stop && atomic_load(stop)) {
      r->status = CPT_SOLVE_INTERRUPTED;
      goto done;
    }
    int64_t n_k = (int64_t)(c->cls_start[k + 1] - c->cls_start[k]);
    for (size_t i = c->cand_start[k]; i < c->cand_start[k + 1]; i++) {
      int32_t d = c->cand_doc[i];
      arc_of[i] = -1;
      if (c->room[d] <= 0) continue;
      double v = cpt_assign_value(c, k, d, c->cand_dist[i]);
      int64_t cap = n_k < c->room[d] ? n_k : c->room[d];
      arc_of[i] = cpt_flow_add_arc(g, (int32_t)k, (int32_t)(nc + d), cap,
                                   -(int64_t)llround(v * S));
      if (arc_of[i] < 0) st = CPT_ENOMEM;
    }
    if (cpt_flow_add_arc(g, (int32_t)k, sink, n_k, 0) < 0) st = CPT_ENOMEM;
    cpt_flow_set_supply(g, (int32_t)k, n_k);
  }
  int64_t pen = llround(c->cfg->assign_fairness_penalty * S);
  for (size_t d = 0; d < nd && st == CPT_OK; d++) {
    int64_t room = c->room[d], t = c->thr[d];
    if (t > 0 && cpt_flow_add_arc(g, (int32_t)(nc + d), sink, t, 0) < 0)
      st = CPT_ENOMEM;
    if (room > t &&
        cpt_flow_add_arc(g, (int32_t)(nc + d), sink, room - t, pen) < 0)
      st = CPT_ENOMEM;
  }
  cpt_flow_set_supply(g, sink, -(int64_t)c->np);
  r->stats.n_nodes = (size_t)cpt_flow_n_nodes(g);
  r->stats.n_arcs = (size_t)cpt_flow_n_arcs(g);
  double t1 = cpt_now_s();
  r->stats.t_build_s = t1 - t0;
  if (st != CPT_OK) goto done;

  cpt_flow_params fp;
  cpt_flow_params_init(&fp);
  fp.time_limit_s = c->time_limit_s;
  fp.stop = c->params ? c->params->stop : NULL;
  cpt_flow_result fr = cpt_flow_solve(g, &fp);
  double t2 = cpt_now_s();
  r->stats.t_solve_s = t2 - t1;
  r->stats.pivots = cpt_flow_pivots(g);
  if (fr == CPT_FLOW_INTERRUPTED) {
    /* The basis of an unfinished network simplex is not a plan: report
     * the empty plan (always feasible) as not solved. */
    int stopped = c->params && c->params->stop &&
                  atomic_load(c->params->stop);
    r->status = stopped ? CPT_SOLVE_INTERRUPTED : CPT_SOLVE_NOSOLUTION;
    goto done;
  }
  if (fr != CPT_FLOW_OPTIMAL) {
    cpt_diag_error(diags, NULL, 0, 0, "network simplex failed: %s",
                   cpt_flow_result_name(fr));
    st = CPT_EINTERNAL;
    goto done;
  }
  r->status = CPT_SOLVE_OPTIMAL;
  /* doctor duals: arc k → d has reduced cost −v·S − π_k + π_d, so
   * λ_d = (π_d − π_sink)/S is the price of d's room in the capacity
   * Lagrangian (0 on a doctor below t_d, at most the penalty below
   * room_d) */
  if (c->flow_lambda)
    for (size_t d = 0; d < nd; d++) {
      double l = (double)(cpt_flow_potential(g, (int32_t)(nc + d)) -
                          cpt_flow_potential(g, sink)) / S;
      c->flow_lambda[d] = l > 0 ? l : 0.0;
    }
  for (size_t k = 0; k < nc; k++) {
    size_t next = c->cls_start[k];
    for (size_t i = c->cand_start[k]; i < c->cand_start[k + 1]; i++) {
      if (arc_of[i] < 0) continue;
      int64_t f = cpt_flow_arc_flow(g, arc_of[i]);
      for (int64_t u = 0; u < f; u++) {
        CPT_REQUIRE(next < c->cls_start[k + 1], "flow exceeds class size");
        r->doctor_of[c->perm[next++]] = c->cand_doc[i];
      }
    }
  }
  r->stats.t_extract_s = cpt_now_s() - t2;
done:
  cpt_flow_free(g);
  free(arc_of);
  return st;
}
