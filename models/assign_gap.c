/*
 * assign_gap.c — the MT model with households as a generalized assignment
 * problem (SPEC §3), solved by the GAP core (solver/gap.h): `assign
 * --method heuristic`, and `auto` on models too large for GLPK.
 *
 * Mapping (the core minimizes):
 *   agents i     non-leaving doctors d with room_d > 0;
 *                b_i = room_d, s_i = t_d, p_i = fairness_penalty
 *   job classes  households of one composition (assign_jobs.c), count
 *                n_J = number of such households;
 *   candidates   doctors eligible for every member with room_d ≥ s_J,
 *                weight w = s_J (members), cost c = −v_Jd (minus the sum of
 *                the members' values); pairs with v_Jd ≤ 0 are left out,
 *                since leaving the job unassigned (u_J = 0) is never worse
 *                (it lowers the load, so the fairness term too);
 *   agent_xy     the doctor's latitude and longitude (regional split).
 * A job class with no candidate left is not given to the core: its jobs
 * stay unplaced.  Then, in SPEC units, objective = −(core objective) (the
 * exact value is recomputed from the plan by assign.c) and bound =
 * −(core bound), an upper bound of the maximum.  The core runs with the
 * config's threads, seed, time limit and mip_gap (as its target gap; a
 * plan within it is reported optimal, as GLPK's mip_gap is), and the stop
 * flag.  Every class weighs its household size on every doctor, so the
 * core solves its capacity relaxation as a transportation problem in
 * patients (solver/gap_flow.c): households may be split fractionally
 * there, but not cherry-picked, so its bound is the household model's LP
 * bound, tighter than the patient flow's, and its rounding is the start.
 * On a very large territory that flow may not reach its optimum in time:
 * the doctor duals of the patient flow (ctx flow_lambda, when the caller
 * solved it: the capacity Lagrangian of the households split into
 * patients, so −L(λ_flow) over the household classes is at most the flow
 * optimum) are then the core's other start for its multipliers.  Its x
 * (jobs of J on each
 * candidate doctor, in doctor order) is disaggregated as the MIP's is:
 * the jobs of J in their fixed order (cpt_jobs_place), so the plan depends
 * on the seed, not on the thread count.
 * The candidate lists are built in parallel (OpenMP over job classes, each
 * at a fixed offset), so the model does not depend on the thread count.
 */
#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/gap.h"
#include "assign_internal.h"

/* The core's model of c: g, and for each of its classes the job class it
 * stands for (jc_of), for each agent its doctor (doc_of_agent). */
typedef struct gap_model {
  cpt_gap *g;
  int32_t *jc_of;
  int32_t *doc_of_agent;
  int32_t *agent_of; /* per doctor: its agent, or −1 */
} gap_model;

static void gap_model_free(gap_model *gm) {
  cpt_gap_free(gm->g);
  free(gm->jc_of);
  free(gm->doc_of_agent);
  free(gm->agent_of);
  memset(gm, 0, sizeof *gm);
}

/* Job class jc's candidate list into doc/val (room for ub entries):
 * eligible doctors with an agent and v_Jd > 0.  Returns its length. */
static size_t class_list(const cpt_assign_ctx *c, const cpt_jobs *J,
                         size_t jc, const int32_t *agent_of, size_t *pos,
                         int32_t *doc, double *val) {
  size_t n = cpt_jobs_doctors(c, J, jc, pos, doc, val), kept = 0;
  for (size_t i = 0; i < n; i++) {
    if (!(val[i] > 0) || agent_of[doc[i]] < 0) continue;
    doc[kept] = doc[i];
    val[kept] = val[i];
    kept++;
  }
  return kept;
}

/* The core's model; *late set (and no model) when the deadline (cpt_now_s,
 * 0 = none) passes while the candidate lists are built. */
static cpt_status gap_model_build(const cpt_assign_ctx *c, const cpt_jobs *J,
                                  double deadline, int *late, gap_model *gm) {
  memset(gm, 0, sizeof *gm);
  atomic_int over = 0;
  size_t nd = c->nd, njc = J->njc;
  cpt_status st = CPT_ENOMEM;
  int nt = c->cfg->solver_threads > 0 ? (int)c->cfg->solver_threads
                                      : omp_get_max_threads();
  size_t maxs;
  cpt_jobs_max_pairs(c, J, &maxs);
  /* each class's list is at most its first member class's candidates:
   * lists are built in parallel at those offsets, then compacted */
  size_t *ub = malloc((njc + 1) * sizeof *ub);
  size_t *len = malloc((njc ? njc : 1) * sizeof *len);
  int32_t *agent_of = malloc((nd ? nd : 1) * sizeof *agent_of);
  gm->agent_of = agent_of;
  int32_t *docs = NULL;
  double *vals = NULL;
  size_t *pos = malloc((size_t)nt * maxs * sizeof *pos);
  gm->jc_of = malloc((njc ? njc : 1) * sizeof *gm->jc_of);
  gm->doc_of_agent = malloc((nd ? nd : 1) * sizeof *gm->doc_of_agent);
  if (!ub || !len || !agent_of || !pos || !gm->jc_of || !gm->doc_of_agent)
    goto done;
  ub[0] = 0;
  for (size_t jc = 0; jc < njc; jc++) {
    int32_t k0 = J->comp[J->start[J->order[J->jc_start[jc]]]];
    ub[jc + 1] = ub[jc] + (c->cand_start[k0 + 1] - c->cand_start[k0]);
  }
  docs = malloc((ub[njc] ? ub[njc] : 1) * sizeof *docs);
  vals = malloc((ub[njc] ? ub[njc] : 1) * sizeof *vals);
  if (!docs || !vals) goto done;
  int32_t m = 0;
  for (size_t d = 0; d < nd; d++) {
    agent_of[d] = -1;
    if (c->leaving[d] || c->room[d] <= 0) continue;
    gm->doc_of_agent[m] = (int32_t)d;
    agent_of[d] = m++;
  }
#pragma omp parallel for schedule(dynamic, 256) num_threads(nt)
  for (size_t jc = 0; jc < njc; jc++) {
    if (deadline > 0 && (jc & 255) == 0 && cpt_now_s() >= deadline)
      atomic_store(&over, 1);
    len[jc] = atomic_load_explicit(&over, memory_order_relaxed)
                  ? 0
                  : class_list(c, J, jc, agent_of,
                               pos + (size_t)omp_get_thread_num() * maxs,
                               docs + ub[jc], vals + ub[jc]);
  }
  if (atomic_load(&over)) {
    *late = 1;
    st = CPT_OK;
    goto done;
  }
  int32_t ng = 0;
  int64_t nnz = 0;
  for (size_t jc = 0; jc < njc; jc++)
    if (len[jc]) {
      ng++;
      nnz += (int64_t)len[jc];
    }
  double pen = c->cfg->assign_fairness_penalty;
  int with_soft = pen > 0;
  gm->g = cpt_gap_new(m, ng, nnz, with_soft, 1, 1, 1);
  if (!gm->g) goto done;
  cpt_gap *g = gm->g;
  for (int32_t i = 0; i < m; i++) {
    int32_t d = gm->doc_of_agent[i];
    g->cap[i] = c->room[d];
    if (with_soft) {
      g->soft[i] = c->thr[d];
      g->soft_pen[i] = pen;
    }
    g->agent_xy[2 * i] = c->doctors->v[d].loc.lat;
    g->agent_xy[2 * i + 1] = c->doctors->v[d].loc.lon;
  }
  int32_t j = 0;
  int64_t k = 0;
  for (size_t jc = 0; jc < njc; jc++) {
    if (!len[jc]) continue;
    int32_t j0 = J->order[J->jc_start[jc]];
    int64_t size = (int64_t)(J->start[j0 + 1] - J->start[j0]);
    gm->jc_of[j] = (int32_t)jc;
    g->count[j] = (int64_t)(J->jc_start[jc + 1] - J->jc_start[jc]);
    g->unassigned[j] = 0;
    g->start[j] = k;
    for (size_t i = ub[jc]; i < ub[jc] + len[jc]; i++, k++) {
      g->agent[k] = agent_of[docs[i]];
      g->cost[k] = -vals[i];
      g->weight[k] = size;
    }
    j++;
  }
  g->start[ng] = nnz;
  st = CPT_OK;
done:
  free(ub);
  free(len);
  free(docs);
  free(vals);
  free(pos);
  if (st != CPT_OK || *late) gap_model_free(gm);
  return st;
}

cpt_status cpt_assign_solve_gap(const cpt_assign_ctx *c, cpt_assign_result *r,
                                cpt_diags *diags) {
  double t0 = cpt_now_s();
  const cpt_config *cfg = c->cfg;
  const cpt_assign_params *pp = c->params;
  cpt_jobs J;
  gap_model gm = {0};
  cpt_gap_result res;
  double *lambda0 = NULL;
  memset(&res, 0, sizeof res);
  /* the model's build counts against the time limit: past it, no plan
   * (the caller reports the empty one) */
  double deadline = c->time_limit_s > 0 ? t0 + c->time_limit_s : 0;
  int late = 0;
  cpt_status st = cpt_jobs_build(c, &J);
  if (st == CPT_OK && deadline > 0 && cpt_now_s() >= deadline) late = 1;
  if (st == CPT_OK && !late) st = gap_model_build(c, &J, deadline, &late, &gm);
  if (st != CPT_OK) goto done;
  if (late) {
    r->status = CPT_SOLVE_NOSOLUTION;
    goto done;
  }
  r->stats.n_jobs = J.njc;
  r->stats.n_rows = (size_t)gm.g->m;
  r->stats.n_cols = (size_t)gm.g->start[gm.g->n];
  double t1 = cpt_now_s();
  r->stats.t_build_s = t1 - t0;
  if (gm.g->n == 0) { /* nobody can be placed with a gain: empty plan */
    for (size_t p = 0; p < c->np; p++) r->doctor_of[p] = -1;
    r->status = CPT_SOLVE_OPTIMAL;
    r->bound = 0;
    goto done;
  }

  cpt_gap_params gp;
  cpt_gap_params_init(&gp);
  gp.threads = (int)cfg->solver_threads;
  gp.seed = (uint64_t)cfg->solver_seed;
  if (c->time_limit_s > 0) /* the build counts against the time limit */
    gp.time_limit_s = fmax(0.01, c->time_limit_s - (t1 - t0));
  gp.target_gap = cfg->solver_mip_gap;
  gp.stop = pp ? pp->stop : NULL;
  lambda0 = c->flow_lambda
                ? malloc(((size_t)gm.g->m + 1) * sizeof *lambda0)
                : NULL;
  if (lambda0) { /* the flow relaxation's doctor duals, if it finished */
    for (int32_t i = 0; i < gm.g->m; i++) {
      lambda0[i] = c->flow_lambda[gm.doc_of_agent[i]];
      if (!isfinite(lambda0[i])) {
        free(lambda0);
        lambda0 = NULL;
        break;
      }
    }
  }
  gp.lambda0 = lambda0;
  gp.verbose = pp && pp->verbose >= 2;
  if (pp && pp->log) gp.log = pp->log;
  char err[256] = "";
  st = cpt_gap_solve(gm.g, &gp, &res, err, sizeof err);
  double t2 = cpt_now_s();
  r->stats.t_solve_s = t2 - t1;
  r->stats.nodes = res.lns_rounds;
  if (st == CPT_EPARAM) { /* the model is ours: a broken invariant */
    cpt_diag_error(diags, NULL, 0, 0, "GAP core rejected the model: %s", err);
    st = CPT_EINTERNAL;
  }
  if (st != CPT_OK) goto done;
  r->status = res.status;
  r->bound = isfinite(res.bound) ? -res.bound : NAN;
  if (r->status == CPT_SOLVE_FEASIBLE && cfg->solver_mip_gap > 0 &&
      res.gap <= cfg->solver_mip_gap)
    r->status = CPT_SOLVE_OPTIMAL; /* within the requested gap */
  if (!res.sol.x) goto done; /* no plan: assign.c handles r->doctor_of */
  for (size_t p = 0; p < c->np; p++) r->doctor_of[p] = -1;
  const cpt_gap *g = gm.g;
  for (int32_t j = 0; j < g->n; j++) {
    size_t jc = (size_t)gm.jc_of[j];
    size_t next = J.jc_start[jc];
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      cpt_jobs_place(&J, jc, &next, res.sol.x[k],
                     gm.doc_of_agent[g->agent[k]], r->doctor_of);
  }
  r->stats.t_extract_s = cpt_now_s() - t2;
done:
  free(lambda0);
  cpt_gap_result_free(&res);
  gap_model_free(&gm);
  cpt_jobs_free(&J);
  return st;
}
