/*
 * rota_heur.c — the SNP rota integer program of rota_model.h for rotas too
 * large for GLPK alone: a deterministic large-neighbourhood search
 * (solver/lns.h) followed by GLPK on the full model for a proven bound.
 *
 * The model is the one rota_mip.c builds (rota_internal.h), pinned pairs
 * validated the same way.  Each y_ds column is labelled with its doctor d
 * (group a) and the day of s (group b); slack and deviation columns carry
 * −1 and stay free in every sub-problem.  The start is a greedy plan that
 * keeps every hard rule (the pinned pairs, then each slot in day order
 * filled with the allowed doctors furthest below their target), completed
 * by cpt_lns_complete; neighbourhoods free about a thousand pairs at most.
 * The LNS improves it for at most 70 % of the time limit (a safety net:
 * its own round and stall limits normally end it first).  GLPK then solves
 * the full model with the LNS plan as start for the rest of the time.
 * The plan returned is the LNS's, which does not depend on the number of
 * threads, unless GLPK proved a strictly better plan optimal: then that
 * plan, since an optimum is worth more than thread-count reproducibility
 * and GLPK itself is deterministic.  The bound is GLPK's, clamped to at
 * most the objective; the gap is (objective − bound) / max(1, |objective|)
 * and the status OPTIMAL exactly when it is 0.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/clock.h"
#include "../solver/lns.h"
#include "../solver/mip.h"
#include "rota_internal.h"
#include "rota_model.h"

/* Share of the time limit left to the LNS; GLPK gets the rest. */
#define LNS_SHARE 0.7
/* Relative tolerance under which two objectives are equal. */
#define OBJ_TOL 1e-9

static bool stopped(const cpt_rota_solve_params *p) {
  return p->stop && atomic_load(p->stop);
}

/* A greedy plan that keeps every hard rule: the pinned pairs, then, slot
 * by slot in day order, the allowed doctors furthest below their target
 * (preferred windows first, then doctor index) that have no conflicting
 * slot and are under their weekly and daily limits, until the slot's need
 * is met.  y[d·S + s] = 1 for the chosen pairs.  CPT_ENOMEM or CPT_OK. */
static cpt_status greedy_plan(const cpt_rota *r, const cpt_slots *slots,
                              const uint8_t *pin, uint8_t *y) {
  size_t D = r->n_doctors, S = r->n_slots;
  size_t *adj_start = calloc(S + 1, sizeof *adj_start);
  int32_t *adj = malloc((2 * r->n_conflicts + 1) * sizeof *adj);
  int32_t *load = calloc(D ? D : 1, sizeof *load);
  int32_t *day_load = calloc(D * (r->n_days ? r->n_days : 1) + 1, sizeof *day_load);
  if (!adj_start || !adj || !load || !day_load) {
    free(adj_start);
    free(adj);
    free(load);
    free(day_load);
    return CPT_ENOMEM;
  }
  for (size_t i = 0; i < r->n_conflicts; i++) {
    adj_start[r->conflicts[i].s + 1]++;
    adj_start[r->conflicts[i].t + 1]++;
  }
  for (size_t s = 0; s < S; s++) adj_start[s + 1] += adj_start[s];
  {
    size_t *fill = malloc((S ? S : 1) * sizeof *fill);
    if (!fill) {
      free(adj_start);
      free(adj);
      free(load);
      free(day_load);
      return CPT_ENOMEM;
    }
    memcpy(fill, adj_start, S * sizeof *fill);
    for (size_t i = 0; i < r->n_conflicts; i++) {
      adj[fill[r->conflicts[i].s]++] = r->conflicts[i].t;
      adj[fill[r->conflicts[i].t]++] = r->conflicts[i].s;
    }
    free(fill);
  }
  memset(y, 0, D * S);
  for (size_t d = 0; d < D; d++)
    for (size_t s = 0; s < S; s++)
      if (pin[d * S + s]) {
        y[d * S + s] = 1;
        load[d]++;
        day_load[d * r->n_days + (size_t)r->slot_day[s]]++;
      }
  for (size_t q = 0; q < S; q++) {
    size_t s = (size_t)r->day_slots[q], k = (size_t)r->slot_day[s];
    int32_t have = 0;
    for (size_t d = 0; d < D; d++) have += y[d * S + s];
    while (have < slots->v[s].need) {
      int32_t best = -1;
      double best_key = INFINITY;
      for (size_t d = 0; d < D; d++) {
        uint8_t f = r->ds[d * S + s];
        if (!(f & CPT_DS_ALLOWED) || y[d * S + s]) continue;
        if (r->max_slots[d] >= 0 && load[d] >= r->max_slots[d]) continue;
        if (day_load[d * r->n_days + k] >= r->max_per_day[d]) continue;
        bool clash = false;
        for (size_t e = adj_start[s]; e < adj_start[s + 1] && !clash; e++)
          clash = y[d * S + (size_t)adj[e]] != 0;
        if (clash) continue;
        double key = (double)load[d] + (double)r->hist[d] - r->target[d] -
                     ((f & CPT_DS_PREFERRED) ? 0.5 : 0.0);
        if (key < best_key) {
          best_key = key;
          best = (int32_t)d;
        }
      }
      if (best < 0) break;
      y[(size_t)best * S + s] = 1;
      load[best]++;
      day_load[(size_t)best * r->n_days + k]++;
      have++;
    }
  }
  free(adj_start);
  free(adj);
  free(load);
  free(day_load);
  return CPT_OK;
}

cpt_status cpt_rota_solve_heuristic(const cpt_rota *r, const cpt_slots *slots,
                                    const cpt_rota_solve_params *p,
                                    cpt_rota_solution **out,
                                    cpt_diags *diags) {
  double t0 = cpt_now_s();
  if (out) *out = NULL;
  cpt_status st = cpt_rota_check_args(r, slots, p, out);
  if (st != CPT_OK) return st;
  size_t D = r->n_doctors, S = r->n_slots, DS = D * S;
  if (D > INT32_MAX || r->n_days > INT32_MAX) return CPT_EPARAM;
  cpt_rota_solution *x = cpt_rota_solution_new(D, S);
  cpt_rota_model mod = {0};
  cpt_lns_result lr = {0};
  cpt_mip_result mr = {0};
  int32_t *ga = NULL, *gb = NULL;
  double *xfix = NULL, *x0 = NULL;
  char err[256] = "";
  if (!x) {
    st = CPT_ENOMEM;
    goto done;
  }
  x->method = "heuristic";
  if ((st = cpt_rota_model_build(r, slots, p, &mod, diags)) != CPT_OK)
    goto done;
  if (mod.clashes > 0) {
    cpt_rota_solution_set_infeasible(r, slots, p, x);
    x->time_s = cpt_now_s() - t0;
    goto done;
  }
  const cpt_mip *m = mod.m;
  size_t n = (size_t)cpt_mip_n_cols(m), n1 = n ? n : 1;
  x->rows = cpt_mip_n_rows(m);
  x->cols = (long)n;
  ga = malloc(n1 * sizeof *ga);
  gb = malloc(n1 * sizeof *gb);
  xfix = calloc(n1, sizeof *xfix);
  x0 = calloc(n1, sizeof *x0);
  if (!ga || !gb || !xfix || !x0) {
    st = CPT_ENOMEM;
    goto done;
  }
  for (size_t j = 0; j < n; j++) ga[j] = gb[j] = -1;
  for (size_t d = 0; d < D; d++)
    for (size_t s = 0; s < S; s++) {
      int j = mod.col[d * S + s];
      if (j < 0) continue;
      ga[j] = (int32_t)d;
      gb[j] = r->slot_day[s];
    }
  {
    uint8_t *y0 = malloc(D * S + 1);
    if (!y0 || greedy_plan(r, slots, mod.pin, y0) != CPT_OK) {
      free(y0);
      st = CPT_ENOMEM;
      goto done;
    }
    for (size_t d = 0; d < D; d++)
      for (size_t s = 0; s < S; s++) {
        int j = mod.col[d * S + s];
        if (j >= 0) xfix[j] = y0[d * S + s];
      }
    free(y0);
  }
  if (p->verbose && p->log)
    fprintf(p->log, "rota heuristic: %ld columns (%zu y), %ld rows\n",
            x->cols, mod.n_y, x->rows);

  /* the greedy plan, completed */
  double obj0 = 0;
  int feasible = 0;
  st = cpt_lns_complete(m, ga, xfix, x0, &obj0, &feasible, err, sizeof err);
  if (st != CPT_OK) {
    cpt_diag_error(diags, NULL, 0, 0, "rota: completing the start failed: %s",
                   err);
    goto done;
  }
  if (!feasible) {
    /* the greedy plan keeps every hard rule once the pinned checks pass */
    cpt_diag_error(diags, NULL, 0, 0,
                   "rota: the solver reports the greedy start infeasible");
    st = CPT_EINTERNAL;
    goto done;
  }
  const double *best = x0;
  double best_obj = obj0;
  bool interrupted = stopped(p);

  /* LNS */
  if (mod.n_y > 0 && !interrupted) {
    cpt_lns_params lp;
    cpt_lns_params_init(&lp);
    lp.threads = p->threads;
    lp.seed = p->seed;
    /* neighbourhoods of about a thousand free pairs at most: larger
     * sub-MIPs (solved without presolve, from a start) are too slow */
    if ((double)mod.n_y * lp.free_share > 1000.0)
      lp.free_share = 1000.0 / (double)mod.n_y;
    lp.time_limit_s = p->time_limit_s > 0 ? LNS_SHARE * p->time_limit_s : 0;
    lp.stop = p->stop;
    lp.verbose = p->log ? p->verbose : 0;
    if (p->log) lp.log = p->log;
    st = cpt_lns_solve(m, ga, (int32_t)D, gb, (int32_t)r->n_days, x0, &lp,
                       &lr, err, sizeof err);
    if (st != CPT_OK) {
      cpt_diag_error(diags, NULL, 0, 0, "rota: LNS failed: %s", err);
      goto done;
    }
    best = lr.x;
    best_obj = lr.objective;
    interrupted = lr.status == CPT_SOLVE_INTERRUPTED || stopped(p);
    if (lr.hit_time_limit)
      cpt_diag_warn(diags, NULL, 0, 0,
                    "rota: the LNS hit a safety time limit; the plan may "
                    "depend on the machine");
    if (p->verbose && p->log)
      fprintf(p->log,
              "rota heuristic: start %.9g, LNS %.9g after %d rounds "
              "(%d improvements), %.2f s\n",
              obj0, best_obj, lr.rounds, lr.improvements, lr.time_s);
  }

  /* GLPK from the LNS plan, for a bound */
  double bound = -INFINITY;
  bool proven = false; /* the returned plan is proven optimal */
  if (!interrupted) {
    cpt_mip_params mp;
    cpt_mip_params_init(&mp);
    if (p->time_limit_s > 0)
      mp.time_limit_s = fmax(p->time_limit_s - (cpt_now_s() - t0), 0.01);
    mp.mip_gap = p->mip_gap;
    mp.stop = p->stop;
    mp.start = best;
    mp.verbose = p->verbose >= 2;
    if (p->log) mp.log = p->log;
    st = cpt_mip_solve(m, &mp, &mr, err, sizeof err);
    if (st != CPT_OK) {
      cpt_diag_error(diags, NULL, 0, 0, "rota: MIP solver failed: %s", err);
      goto done;
    }
    x->nodes = mr.nodes;
    bool glpk_optimal = mr.status == CPT_SOLVE_OPTIMAL && mr.x &&
                        mr.gap <= OBJ_TOL;
    double tol = OBJ_TOL * fmax(1.0, fabs(best_obj));
    if (glpk_optimal && mr.objective < best_obj - tol) {
      best = mr.x; /* a strictly better plan, proven optimal */
      proven = true;
    } else if (glpk_optimal && mr.objective <= best_obj + tol) {
      proven = true; /* the LNS plan is optimal */
    } else if (!isnan(mr.bound)) {
      bound = mr.bound;
    }
    interrupted = mr.status == CPT_SOLVE_INTERRUPTED || stopped(p);
  }

  for (size_t i = 0; i < DS; i++)
    x->y[i] = mod.col[i] >= 0 && best[mod.col[i]] > 0.5;
  if ((st = cpt_rota_solution_fill(r, slots, p, x)) != CPT_OK) goto done;
  if (proven) {
    x->bound = x->objective;
    x->gap = 0;
    x->status = CPT_SOLVE_OPTIMAL;
  } else {
    x->bound = fmin(bound, x->objective);
    x->gap = isfinite(x->bound) ? (x->objective - x->bound) /
                                      fmax(1.0, fabs(x->objective))
                                : INFINITY;
    if (x->gap <= OBJ_TOL) x->gap = 0;
    x->status = x->gap == 0     ? CPT_SOLVE_OPTIMAL
                : interrupted ? CPT_SOLVE_INTERRUPTED
                              : CPT_SOLVE_FEASIBLE;
  }
  x->time_s = cpt_now_s() - t0;
  if (p->verbose && p->log)
    fprintf(p->log, "rota heuristic: objective %.9g, bound %.9g, %s\n",
            x->objective, x->bound, cpt_solve_status_name(x->status));
done:
  cpt_lns_result_free(&lr);
  cpt_mip_result_free(&mr);
  cpt_rota_model_free(&mod);
  free(ga);
  free(gb);
  free(xfix);
  free(x0);
  if (st == CPT_OK) {
    *out = x;
  } else {
    cpt_rota_solution_free(x);
  }
  return st;
}
