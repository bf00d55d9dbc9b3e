/*
 * nrp_heur.c — the nurse-rostering integer program of nrp_mip.c for
 * instances too large for GLPK alone: a deterministic large-neighbourhood
 * search (solver/lns.h) in two phases, then GLPK on the full model for a
 * proven bound.
 *
 * Each x_sdt column is labelled with its staff member s (group a) and its
 * day d (group b); the weekend, cover and slack columns carry −1 and stay
 * free in every sub-problem.  Phase 1 reaches a roster that keeps every
 * hard rule: only the minimum-minutes rows exclude the all-off roster, so
 * on the model whose min-minutes rows carry a slack z_s penalised by
 * SOFT_PENALTY a unit (nrp_internal.h) the all-off roster, completed by
 * cpt_lns_complete, is a start.  A staff pass (one sub-MIP per staff
 * member, the others fixed: see staff_pass) then gives every member a
 * schedule that keeps their own rules, which is usually the end of
 * phase 1; otherwise the LNS runs in chunks of
 * PHASE1_CHUNK rounds (chunk c seeded from seed and c) until Σ z_s = 0, or
 * PHASE1_STALL chunks in a row bring no improvement, or the time share
 * runs out.  Phase 2 runs the LNS on the exact model from the phase-1
 * roster (or from the all-off roster when no staff member has a minimum).
 * Both phases together get at most 70 % of the time limit, a safety net:
 * the LNS's own round and stall limits normally end them first.  GLPK
 * then solves the exact model from the LNS roster for the rest of the
 * time.  The roster returned is the LNS's, which does not depend on the
 * number of threads, unless GLPK proved a strictly better one optimal.
 * When phase 1 ends with slack left, GLPK gets the exact model without a
 * start: it may still find a roster, or prove that none exists.  The
 * objective is recomputed with cpt_nrp_evaluate; a violation there means
 * the model is wrong (CPT_EINTERNAL).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/clock.h"
#include "../solver/lns.h"
#include "../solver/mip.h"
#include "nrp_internal.h"
#include "nrp_model.h"

#define LNS_SHARE 0.7      /* share of the time limit left to the LNS */
#define SOFT_PENALTY 1e6   /* phase 1: cost of a minute below a minimum */
#define PHASE1_CHUNK 2     /* phase 1: LNS rounds between slack checks */
#define PHASE1_STALL 8     /* phase 1: chunks without improvement */
#define MAX_FREE_X 200.0  /* x columns freed per neighbourhood, at most */
#define OBJ_TOL 1e-9       /* relative tolerance of objective equality */
#define SLACK_TOL 1e-6
#define STAFF_PASS_MAX_S 5.0 /* staff pass: time cap of one sub-MIP */

static bool stopped(const cpt_nrp_solve_params *p) {
  return p->stop && atomic_load(p->stop);
}

static double elapsed(double t0) { return cpt_now_s() - t0; }

/* Labels of mod's columns: x_sdt → (s, d), others −1.  CPT_ENOMEM or
 * CPT_OK; the caller frees *ga and *gb. */
static cpt_status make_labels(const cpt_nrp_instance *in,
                              const cpt_nrp_model *mod, int32_t **ga,
                              int32_t **gb) {
  size_t n = (size_t)cpt_mip_n_cols(mod->m);
  *ga = malloc((n + 1) * sizeof **ga);
  *gb = malloc((n + 1) * sizeof **gb);
  if (!*ga || !*gb) return CPT_ENOMEM;
  for (size_t j = 0; j < n; j++) (*ga)[j] = (*gb)[j] = -1;
  int H = in->horizon, T = in->n_shifts;
  for (int s = 0; s < in->n_staff; s++)
    for (int d = 0; d < H; d++)
      for (int t = 0; t < T; t++) {
        int j = mod->xcol[((size_t)s * H + d) * T + t];
        if (j < 0) continue;
        (*ga)[j] = s;
        (*gb)[j] = d;
      }
  return CPT_OK;
}

static double slack_total(const cpt_nrp_model *mod, const double *x) {
  double z = 0;
  for (int i = 0; i < mod->n_slack; i++) z += x[mod->slack[i]];
  return z;
}

/* LNS parameters for this solve; the safety time is what is left of the
 * LNS share (0 = none). */
static void lns_params(const cpt_nrp_solve_params *p, int n_x, double t0,
                       uint64_t seed, cpt_lns_params *lp) {
  cpt_lns_params_init(lp);
  lp->threads = p->threads;
  lp->seed = seed;
  if ((double)n_x * lp->free_share > MAX_FREE_X)
    lp->free_share = MAX_FREE_X / (double)n_x;
  lp->time_limit_s =
      p->time_limit_s > 0
          ? fmax(LNS_SHARE * p->time_limit_s - elapsed(t0), 0.01)
          : 0;
  lp->stop = p->stop;
  lp->verbose = p->log ? p->verbose : 0;
  if (p->log) lp->log = p->log;
}

static bool lns_time_left(const cpt_nrp_solve_params *p, double t0) {
  return !(p->time_limit_s > 0) ||
         elapsed(t0) < LNS_SHARE * p->time_limit_s;
}

/* The staff pass that opens phase 1.  Hard rules bind one staff member
 * at a time (only cover links them, and cover is soft), so re-optimising
 * the softened model over one member's x columns, with every other x
 * column fixed at the current roster, gives that member a schedule with
 * zero slack whenever their own rules allow one.  Members are taken in
 * instance order from the all-off roster, each sub-MIP started from the
 * current columns (always feasible for the softened model), so one pass
 * reaches a roster that keeps every hard rule on its own, greedily shaped
 * by cover and requests.  x (smod's columns) is updated in place; each
 * sub-MIP gets an equal share of what is left of the LNS time (at most
 * STAFF_PASS_MAX_S), and *hit is set when one was cut by it. */
static cpt_status staff_pass(const cpt_nrp_instance *in,
                             const cpt_nrp_solve_params *p, double t0,
                             const cpt_nrp_model *smod, const int32_t *ga,
                             double *x, int *hit, cpt_diags *diags) {
  size_t n = (size_t)cpt_mip_n_cols(smod->m);
  unsigned char *is_free = malloc(n + 1);
  int *map = malloc((n + 1) * sizeof *map);
  double *start = malloc((n + 1) * sizeof *start);
  cpt_status st = is_free && map && start ? CPT_OK : CPT_ENOMEM;
  char err[256] = "";
  for (int s = 0; st == CPT_OK && s < in->n_staff && !stopped(p); s++) {
    if (!lns_time_left(p, t0)) {
      *hit = 1;
      break;
    }
    for (size_t j = 0; j < n; j++) is_free[j] = ga[j] < 0 || ga[j] == s;
    int nf = 0, violated = 0;
    cpt_mip *sub = cpt_mip_restrict(smod->m, is_free, x, map, &nf, &violated);
    if (!sub) {
      st = CPT_ENOMEM;
      break;
    }
    CPT_REQUIRE(!violated, "nrp staff pass: the current roster breaks a row");
    for (int k = 0; k < nf; k++) start[k] = x[map[k]];
    cpt_mip_params mp;
    cpt_mip_params_init(&mp);
    mp.start = start;
    mp.stop = p->stop;
    mp.time_limit_s = STAFF_PASS_MAX_S;
    if (p->time_limit_s > 0)
      mp.time_limit_s =
          fmin(mp.time_limit_s,
               fmax((LNS_SHARE * p->time_limit_s - elapsed(t0)) /
                        (in->n_staff - s),
                    0.01));
    cpt_mip_result r = {0};
    st = cpt_mip_solve(sub, &mp, &r, err, sizeof err);
    if (st == CPT_OK && r.x) {
      if (r.status != CPT_SOLVE_OPTIMAL) *hit = 1;
      for (int k = 0; k < nf; k++) x[map[k]] = r.x[k];
    }
    cpt_mip_result_free(&r);
    cpt_mip_free(sub);
  }
  if (st != CPT_OK && st != CPT_ENOMEM)
    cpt_diag_error(diags, NULL, 0, 0, "nrp heuristic: staff pass: %s", err);
  if (p->verbose && p->log && st == CPT_OK)
    fprintf(p->log, "nrp heuristic: staff pass, slack %.9g, %.2f s\n",
            slack_total(smod, x), elapsed(t0));
  cpt_mip_thread_done();
  free(is_free);
  free(map);
  free(start);
  return st;
}

/* Phase 1: *x1 (owned, soft model columns) ends with the least slack
 * found: the staff pass from the all-off roster, then the LNS while slack
 * is left.  *hit is set when a safety time limit was reached. */
static cpt_status phase1(const cpt_nrp_instance *in,
                         const cpt_nrp_solve_params *p, double t0,
                         const cpt_nrp_model *smod, double **x1, int *hit,
                         cpt_diags *diags) {
  int32_t *ga = NULL, *gb = NULL;
  double *xfix = NULL;
  char err[256] = "";
  size_t n = (size_t)cpt_mip_n_cols(smod->m);
  cpt_status st = make_labels(in, smod, &ga, &gb);
  if (st == CPT_OK) {
    xfix = calloc(n + 1, sizeof *xfix);
    *x1 = calloc(n + 1, sizeof **x1);
    if (!xfix || !*x1) st = CPT_ENOMEM;
  }
  if (st != CPT_OK) goto done;
  double obj = 0;
  int feasible = 0;
  st = cpt_lns_complete(smod->m, ga, xfix, *x1, &obj, &feasible, err,
                        sizeof err);
  if (st == CPT_OK && !feasible) {
    snprintf(err, sizeof err, "the solver reports the all-off start of the "
                              "softened model infeasible");
    st = CPT_EINTERNAL;
  }
  if (st != CPT_OK) {
    cpt_diag_error(diags, NULL, 0, 0, "nrp heuristic: phase 1 start: %s",
                   err);
    goto done;
  }
  st = staff_pass(in, p, t0, smod, ga, *x1, hit, diags);
  if (st != CPT_OK) goto done;
  int stall = 0;
  for (uint64_t c = 0; slack_total(smod, *x1) > SLACK_TOL && !stopped(p) &&
                       lns_time_left(p, t0) && stall < PHASE1_STALL;
       c++) {
    cpt_lns_params lp;
    lns_params(p, smod->n_x, t0,
               p->seed ^ ((c + 1) * 0x9E3779B97F4A7C15ull), &lp);
    lp.max_rounds = PHASE1_CHUNK;
    lp.stall_rounds = PHASE1_CHUNK;
    cpt_lns_result lr = {0};
    st = cpt_lns_solve(smod->m, ga, in->n_staff, gb, in->horizon, *x1, &lp,
                       &lr, err, sizeof err);
    if (st != CPT_OK) {
      cpt_diag_error(diags, NULL, 0, 0, "nrp heuristic: phase 1 LNS: %s",
                     err);
      cpt_lns_result_free(&lr);
      goto done;
    }
    if (lr.hit_time_limit) *hit = 1;
    stall = lr.improvements > 0 ? 0 : stall + 1;
    free(*x1);
    *x1 = lr.x;
    lr.x = NULL;
    if (p->verbose && p->log)
      fprintf(p->log, "nrp heuristic: phase 1 chunk %llu, slack %.9g, "
                      "objective %.9g\n",
              (unsigned long long)c, slack_total(smod, *x1), lr.objective);
    cpt_lns_result_free(&lr);
  }
done:
  free(ga);
  free(gb);
  free(xfix);
  return st;
}

/* The start of phase 2 on the exact model mod: x fixed from x1 (soft
 * model smod) or all off when x1 is NULL, completed.  *x0 is owned. */
static cpt_status phase2_start(const cpt_nrp_instance *in,
                               const cpt_nrp_model *mod, const int32_t *ga,
                               const cpt_nrp_model *smod, const double *x1,
                               double **x0, double *obj0, cpt_diags *diags) {
  size_t n = (size_t)cpt_mip_n_cols(mod->m);
  size_t nx = (size_t)in->n_staff * in->horizon * in->n_shifts;
  double *xfix = calloc(n + 1, sizeof *xfix);
  *x0 = calloc(n + 1, sizeof **x0);
  if (!xfix || !*x0) {
    free(xfix);
    return CPT_ENOMEM;
  }
  if (x1)
    for (size_t i = 0; i < nx; i++)
      if (mod->xcol[i] >= 0 && smod->xcol[i] >= 0)
        xfix[mod->xcol[i]] = x1[smod->xcol[i]] > 0.5 ? 1.0 : 0.0;
  char err[256] = "";
  int feasible = 0;
  cpt_status st = cpt_lns_complete(mod->m, ga, xfix, *x0, obj0, &feasible,
                                   err, sizeof err);
  free(xfix);
  if (st == CPT_OK && !feasible) {
    snprintf(err, sizeof err, "the solver reports the %s start infeasible",
             x1 ? "phase-1" : "all-off");
    st = CPT_EINTERNAL;
  }
  if (st != CPT_OK)
    cpt_diag_error(diags, NULL, 0, 0, "nrp heuristic: phase 2 start: %s",
                   err);
  return st;
}

cpt_status cpt_nrp_solve_heuristic(const cpt_nrp_instance *inst,
                                   const cpt_nrp_solve_params *p,
                                   cpt_nrp_solution **out, cpt_diags *diags) {
  CPT_REQUIRE(out != NULL, "cpt_nrp_solve_heuristic: NULL out");
  *out = NULL;
  cpt_nrp_solve_params defaults;
  if (!p) {
    cpt_nrp_solve_params_init(&defaults);
    p = &defaults;
  }
  if (!inst || inst->horizon < 1 || inst->n_staff < 0 || inst->n_shifts < 0 ||
      !(p->time_limit_s >= 0) || !isfinite(p->time_limit_s) ||
      !(p->mip_gap >= 0) || !isfinite(p->mip_gap) || p->threads < 0) {
    if (diags)
      cpt_diag_error(diags, NULL, 0, 0,
                     "nrp heuristic: invalid instance or parameters");
    return CPT_EPARAM;
  }
  double t0 = cpt_now_s();
  cpt_nrp_model mod = {0}, smod = {0};
  cpt_lns_result lr = {0};
  cpt_mip_result mr = {0};
  cpt_nrp_eval ev = {0};
  int32_t *ga = NULL, *gb = NULL;
  double *x1 = NULL, *x0 = NULL;
  char err[256] = "";
  int hit = 0;
  cpt_nrp_solution *sol = calloc(1, sizeof *sol);
  cpt_status st = sol ? cpt_nrp_model_build(inst, 0.0, &mod) : CPT_ENOMEM;
  if (st != CPT_OK) goto done;
  sol->objective = sol->bound = NAN;
  sol->gap = INFINITY;
  sol->rows = cpt_mip_n_rows(mod.m);
  sol->cols = cpt_mip_n_cols(mod.m);
  if (mod.infeasible) {
    sol->status = CPT_SOLVE_INFEASIBLE;
    goto done;
  }
  if ((st = make_labels(inst, &mod, &ga, &gb)) != CPT_OK) goto done;
  if (p->verbose && p->log)
    fprintf(p->log, "nrp heuristic: %ld columns (%d x), %ld rows\n",
            sol->cols, mod.n_x, sol->rows);

  /* phase 1, when some staff member has a minimum of work */
  if ((st = cpt_nrp_model_build(inst, SOFT_PENALTY, &smod)) != CPT_OK)
    goto done;
  bool have_start = true;
  if (smod.n_slack > 0) {
    st = phase1(inst, p, t0, &smod, &x1, &hit, diags);
    if (st != CPT_OK) goto done;
    double z = slack_total(&smod, x1);
    if (z > SLACK_TOL) {
      have_start = false;
      cpt_diag_warn(diags, NULL, 0, 0,
                    "nrp heuristic: the LNS found no roster that meets every "
                    "minimum of minutes (%.0f minutes short%s); GLPK tries "
                    "the exact model without a start",
                    z, stopped(p) || !lns_time_left(p, t0)
                           ? ", out of time"
                           : ", stalled");
    }
  }

  const double *best = NULL;
  double best_obj = NAN;
  if (have_start) {
    double obj0 = 0;
    st = phase2_start(inst, &mod, ga, &smod, x1, &x0, &obj0, diags);
    if (st != CPT_OK) goto done;
    best = x0;
    best_obj = obj0;
    if (mod.n_x > 0 && !stopped(p)) {
      cpt_lns_params lp;
      lns_params(p, mod.n_x, t0, p->seed, &lp);
      st = cpt_lns_solve(mod.m, ga, inst->n_staff, gb, inst->horizon, x0,
                         &lp, &lr, err, sizeof err);
      if (st != CPT_OK) {
        cpt_diag_error(diags, NULL, 0, 0, "nrp heuristic: LNS failed: %s",
                       err);
        goto done;
      }
      if (lr.hit_time_limit) hit = 1;
      best = lr.x;
      best_obj = lr.objective;
      if (p->verbose && p->log)
        fprintf(p->log,
                "nrp heuristic: start %.9g, LNS %.9g after %d rounds "
                "(%d improvements), %.2f s\n",
                obj0, best_obj, lr.rounds, lr.improvements, lr.time_s);
    }
  }
  if (hit)
    cpt_diag_warn(diags, NULL, 0, 0,
                  "nrp heuristic: the LNS hit a safety time limit; the "
                  "roster may depend on the machine");

  /* GLPK for a bound (and a roster when the LNS has none) */
  double bound = -INFINITY;
  bool proven = false, interrupted = stopped(p);
  if (!interrupted) {
    cpt_mip_params mp;
    cpt_mip_params_init(&mp);
    if (p->time_limit_s > 0)
      mp.time_limit_s = fmax(p->time_limit_s - elapsed(t0), 0.01);
    mp.mip_gap = p->mip_gap;
    mp.stop = p->stop;
    mp.start = best;
    mp.verbose = p->verbose >= 2;
    if (p->log) mp.log = p->log;
    st = cpt_mip_solve(mod.m, &mp, &mr, err, sizeof err);
    if (st != CPT_OK) {
      cpt_diag_error(diags, NULL, 0, 0, "nrp heuristic: MIP solver failed: %s",
                     err);
      goto done;
    }
    sol->nodes = mr.nodes;
    if (mr.status == CPT_SOLVE_INFEASIBLE) {
      if (best) {
        cpt_diag_error(diags, NULL, 0, 0, "nrp heuristic: GLPK reports the "
                                          "model infeasible after the LNS "
                                          "found a roster");
        st = CPT_EINTERNAL;
        goto done;
      }
      sol->status = CPT_SOLVE_INFEASIBLE;
      goto done;
    }
    bool glpk_optimal =
        mr.status == CPT_SOLVE_OPTIMAL && mr.x && mr.gap <= OBJ_TOL;
    double tol = OBJ_TOL * fmax(1.0, fabs(best ? best_obj : 0.0));
    if (!best && mr.x) {
      best = mr.x;
      best_obj = mr.objective;
      proven = glpk_optimal;
      if (!isnan(mr.bound)) bound = mr.bound;
    } else if (glpk_optimal && mr.objective < best_obj - tol) {
      best = mr.x; /* a strictly better roster, proven optimal */
      best_obj = mr.objective;
      proven = true;
    } else if (glpk_optimal && mr.objective <= best_obj + tol) {
      proven = true; /* the LNS roster is optimal */
    } else if (!isnan(mr.bound)) {
      bound = mr.bound;
    }
    interrupted = mr.status == CPT_SOLVE_INTERRUPTED || stopped(p);
  }
  if (!best) {
    sol->status = CPT_SOLVE_NOSOLUTION;
    goto done;
  }

  if ((st = cpt_nrp_model_roster(inst, &mod, best, &sol->roster)) != CPT_OK)
    goto done;
  if ((st = cpt_nrp_evaluate(inst, sol->roster, &ev)) != CPT_OK) goto done;
  double tol = 1e-6 * fmax(1.0, fabs(best_obj));
  if (ev.n_violations > 0 || (double)ev.objective > best_obj + tol) {
    char vb[160] = "";
    if (ev.n_violations > 0)
      cpt_nrp_violation_format(inst, &ev.violations[0], vb, sizeof vb);
    cpt_diag_error(diags, NULL, 0, 0,
                   "nrp heuristic: the roster breaks %zu hard rule(s)%s%s, "
                   "evaluator objective %lld, model's %.6f",
                   ev.n_violations, vb[0] ? ", first: " : "", vb,
                   ev.objective, best_obj);
    st = CPT_EINTERNAL;
    goto done;
  }
  sol->objective = (double)ev.objective;
  if (proven) {
    sol->bound = sol->objective;
    sol->gap = 0;
    sol->status = CPT_SOLVE_OPTIMAL;
  } else {
    sol->bound = fmin(bound, sol->objective);
    sol->gap = isfinite(sol->bound) ? (sol->objective - sol->bound) /
                                          fmax(1.0, fabs(sol->objective))
                                    : INFINITY;
    if (sol->gap <= OBJ_TOL) sol->gap = 0;
    sol->status = sol->gap == 0  ? CPT_SOLVE_OPTIMAL
                  : interrupted ? CPT_SOLVE_INTERRUPTED
                                : CPT_SOLVE_FEASIBLE;
  }
  if (p->verbose && p->log)
    fprintf(p->log, "nrp heuristic: objective %.9g, bound %.9g, %s\n",
            sol->objective, sol->bound, cpt_solve_status_name(sol->status));
done:
  if (sol) sol->time_s = elapsed(t0);
  cpt_nrp_eval_free(&ev);
  cpt_lns_result_free(&lr);
  cpt_mip_result_free(&mr);
  cpt_nrp_model_free(&mod);
  cpt_nrp_model_free(&smod);
  free(ga);
  free(gb);
  free(x1);
  free(x0);
  if (st != CPT_OK) {
    cpt_nrp_solution_free(sol);
    return st;
  }
  *out = sol;
  return CPT_OK;
}
