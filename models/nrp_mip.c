/*
 * nrp_mip.c — the nurse-rostering benchmark (nrp.h) as an integer program
 * for the GLPK adapter (solver/mip.h), and its solution as a roster whose
 * objective is recomputed by the evaluator (cpt_nrp_evaluate).
 *
 * Variables (H days, staff s, shift types t, w_sd := Σ_t x_sdt):
 *   x_sdt ∈ {0,1}  s works t on d; only when d is not a day off of s and
 *                  maxshifts_st > 0 (otherwise x_sdt ≡ 0 and is left out)
 *   k_sw  ∈ [0,1]  s works weekend w (days 7w+5, 7w+6 ∩ [0, H))
 *   u_dt, o_dt ≥ 0 under- and over-cover of a (d, t) with a cover row
 * Constraints (rows whose every term is structurally zero are left out):
 *   Σ_t x_sdt ≤ 1                                   one shift a day
 *   x_sda + Σ_{b cannot follow a} x_s,d+1,b ≤ 1      successions (d < H−1;
 *                                                   implies each pair row)
 *   Σ_d x_sdt ≤ maxshifts_st
 *   minmin_s ≤ Σ_dt len_t x_sdt ≤ maxmin_s
 *   Σ_{d=i}^{i+M} w_sd ≤ M, M = maxcons_s          every window of M+1 days
 *                                                   inside [0, H)
 *   w_sa − w_s,a−1 ≤ w_s,a+j                       1 ≤ a, 1 ≤ j < mincons_s,
 *                                                   a + j ≤ H−1
 *   w_s,a−1 − w_sa + w_s,a+j ≤ 1                   same with minoff_s
 *   k_sw ≥ w_sd (d a day of weekend w),  Σ_w k_sw ≤ maxweekends_s
 *   Σ_s x_sdt + u_dt ≥ req_dt,  Σ_s x_sdt − o_dt ≤ req_dt
 * Objective (minimised):
 *   Σ_on weight·(1 − x_sdt) + Σ_off weight·x_sdt
 *     + Σ_cover (wunder·u_dt + wover·o_dt)
 * Edges.  A run of worked days that starts on day a ≥ 1 (w_s,a−1 = 0,
 * w_sa = 1) must go on for mincons days or until day H−1: exactly the
 * evaluator's rule that a run touching day 0 or day H−1 is never too
 * short.  Runs starting on day 0 have no row; a run reaching H−1 satisfies
 * every row since a + j ≤ H−1.  Days off likewise.  Max consecutive shifts
 * counts runs as they stand (days outside the horizon are off), so only
 * windows inside the horizon.  A weekend is days 5 and 6 of each week, a
 * last Saturday alone included, as in the evaluator.
 *
 * The builder, the all-off start and the roster extraction are shared
 * with the heuristic (nrp_heur.c) through nrp_internal.h, which also
 * states the softened variant the heuristic's first phase uses.
 *
 * When the all-off roster is feasible (no minimum of work) it is offered
 * to GLPK as a start, so that a time limit still yields a roster.
 *
 * The roster is read from x (rounded); cpt_nrp_evaluate must find no
 * violation and, when GLPK proves optimality, the MIP's objective;
 * otherwise the model is wrong and the solve returns CPT_EINTERNAL.  (A
 * time-limited incumbent may carry slack in u, o, so there the evaluator's
 * objective may only be lower; it is the one reported.)
 */
#include "nrp_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/clock.h"
#include "../solver/mip.h"
#include "nrp_internal.h"

void cpt_nrp_solve_params_init(cpt_nrp_solve_params *p) {
  CPT_REQUIRE(p != NULL, "cpt_nrp_solve_params_init: NULL");
  memset(p, 0, sizeof *p);
  p->time_limit_s = 60.0;
  p->mip_gap = 0.0;
  p->stop = NULL;
  p->verbose = 0;
  p->log = NULL;
  p->threads = 0;
  p->seed = 1;
}

void cpt_nrp_solution_free(cpt_nrp_solution *s) {
  if (!s) return;
  cpt_nrp_roster_free(s->roster);
  free(s);
}

/* The model under construction: x column of (s, d, t) or −1, and a row
 * buffer. */
typedef struct nrp_build {
  const cpt_nrp_instance *in;
  cpt_mip *m;
  int *xcol; /* [(s*H + d)*T + t] */
  int *ri;
  double *rv;
  int nnz, cap;
  int nomem;
  int infeasible; /* a row with no terms whose bounds exclude 0 */
  int *ucol;      /* [n_cover]: the under-cover column, or −1 */
  double soft;    /* > 0: penalty of the min-minutes slack columns */
  int *slack;     /* [n_staff]: the slack columns made so far */
  int n_slack;
} nrp_build;

static int xc(const nrp_build *b, int s, int d, int t) {
  const cpt_nrp_instance *in = b->in;
  return b->xcol[((size_t)s * in->horizon + d) * in->n_shifts + t];
}

static void row_start(nrp_build *b) { b->nnz = 0; }

static void row_term(nrp_build *b, int col, double v) {
  if (col < 0) return;
  if (b->nnz == b->cap) {
    b->nomem = 1; /* the buffer is sized for the largest row */
    return;
  }
  b->ri[b->nnz] = col;
  b->rv[b->nnz] = v;
  b->nnz++;
}

/* Adds v·w_sd. */
static void row_w(nrp_build *b, int s, int d, double v) {
  for (int t = 0; t < b->in->n_shifts; t++) row_term(b, xc(b, s, d, t), v);
}

static void row_end(nrp_build *b, double lb, double ub) {
  if (b->nomem) return;
  if (b->nnz == 0 || lb > ub) {
    if (lb > 0 || ub < 0 || lb > ub) b->infeasible = 1;
    return;
  }
  if (cpt_mip_add_row(b->m, NULL, lb, ub, b->nnz, b->ri, b->rv) < 0)
    b->nomem = 1;
}

static int new_col(nrp_build *b, double ub, double obj, int integer) {
  if (b->nomem) return -1;
  int j = cpt_mip_add_col(b->m, NULL, 0.0, ub, obj, integer);
  if (j < 0) b->nomem = 1;
  return j;
}

static void staff_rows(nrp_build *b, int s) {
  const cpt_nrp_instance *in = b->in;
  const cpt_nrp_staff *st = &in->staff[s];
  int H = in->horizon, T = in->n_shifts;
  for (int d = 0; d < H; d++) {
    row_start(b);
    row_w(b, s, d, 1.0);
    if (b->nnz > 1) row_end(b, -HUGE_VAL, 1.0);
  }
  for (int d = 0; d + 1 < H; d++)
    for (int a = 0; a < T; a++) {
      if (xc(b, s, d, a) < 0) continue;
      row_start(b);
      row_term(b, xc(b, s, d, a), 1.0);
      for (int c = 0; c < T; c++)
        if (in->forbid[(size_t)a * T + c]) row_term(b, xc(b, s, d + 1, c), 1.0);
      if (b->nnz > 1) row_end(b, -HUGE_VAL, 1.0);
    }
  for (int t = 0; t < T; t++) {
    row_start(b);
    for (int d = 0; d < H; d++) row_term(b, xc(b, s, d, t), 1.0);
    if (b->nnz > st->max_shifts[t]) row_end(b, -HUGE_VAL, st->max_shifts[t]);
  }
  row_start(b);
  for (int d = 0; d < H; d++)
    for (int t = 0; t < T; t++) row_term(b, xc(b, s, d, t), in->shifts[t].minutes);
  if (b->soft > 0 && st->min_total_minutes > 0 && b->nnz > 0 &&
      st->min_total_minutes <= st->max_total_minutes) {
    int z = new_col(b, st->min_total_minutes, b->soft, 0);
    if (z >= 0) b->slack[b->n_slack++] = z;
    row_term(b, z, 1.0);
  }
  row_end(b, st->min_total_minutes, st->max_total_minutes);
  int M = st->max_consecutive_shifts;
  for (int i = 0; i + M < H; i++) {
    row_start(b);
    for (int d = i; d <= i + M; d++) row_w(b, s, d, 1.0);
    row_end(b, -HUGE_VAL, M);
  }
  for (int a = 1; a < H; a++)
    for (int j = 1; j < st->min_consecutive_shifts && a + j <= H - 1; j++) {
      row_start(b);
      row_w(b, s, a, 1.0);
      row_w(b, s, a - 1, -1.0);
      row_w(b, s, a + j, -1.0);
      row_end(b, -HUGE_VAL, 0.0);
    }
  for (int a = 1; a < H; a++)
    for (int j = 1; j < st->min_consecutive_days_off && a + j <= H - 1; j++) {
      row_start(b);
      row_w(b, s, a - 1, 1.0);
      row_w(b, s, a, -1.0);
      row_w(b, s, a + j, 1.0);
      row_end(b, -HUGE_VAL, 1.0);
    }
  int n_we = 0;
  for (int sat = 5; sat < H; sat += 7) n_we++;
  if (n_we > st->max_weekends) {
    int *k = malloc((size_t)n_we * sizeof *k);
    if (!k) {
      b->nomem = 1;
      return;
    }
    int nk = 0;
    for (int sat = 5; sat < H; sat += 7) {
      k[nk] = new_col(b, 1.0, 0.0, 0);
      for (int d = sat; d <= sat + 1 && d < H; d++) {
        row_start(b);
        row_w(b, s, d, 1.0);
        row_term(b, k[nk], -1.0);
        if (b->nnz > 1) row_end(b, -HUGE_VAL, 0.0);
      }
      nk++;
    }
    row_start(b);
    for (int i = 0; i < nk; i++) row_term(b, k[i], 1.0);
    row_end(b, -HUGE_VAL, st->max_weekends);
    free(k);
  }
}

static void cover_rows(nrp_build *b) {
  const cpt_nrp_instance *in = b->in;
  for (size_t i = 0; i < in->n_cover; i++) {
    const cpt_nrp_cover *c = &in->cover[i];
    b->ucol[i] = -1;
    for (int pass = 0; pass < 2; pass++) {
      int w = pass ? c->weight_over : c->weight_under;
      if (w <= 0) continue;
      row_start(b);
      for (int s = 0; s < in->n_staff; s++)
        row_term(b, xc(b, s, c->day, c->shift), 1.0);
      if (pass == 1 && b->nnz <= c->requirement) continue; /* never over */
      int y = new_col(b, HUGE_VAL, w, 0);
      if (!pass) b->ucol[i] = y;
      row_term(b, y, pass ? -1.0 : 1.0);
      if (pass)
        row_end(b, -HUGE_VAL, c->requirement);
      else
        row_end(b, c->requirement, HUGE_VAL);
    }
  }
}

/* Columns x and the request terms of the objective; returns its constant. */
static double x_cols(nrp_build *b) {
  const cpt_nrp_instance *in = b->in;
  int H = in->horizon, T = in->n_shifts;
  for (int s = 0; s < in->n_staff; s++)
    for (int d = 0; d < H; d++)
      for (int t = 0; t < T; t++) {
        size_t i = ((size_t)s * H + d) * T + t;
        int off = in->day_off && in->day_off[(size_t)s * H + d];
        b->xcol[i] = off || in->staff[s].max_shifts[t] <= 0
                         ? -1
                         : new_col(b, 1.0, 0.0, 1);
      }
  double c0 = 0;
  for (size_t i = 0; i < in->n_on; i++) {
    const cpt_nrp_request *q = &in->on[i];
    c0 += q->weight;
    int j = b->nomem ? -1 : xc(b, q->staff, q->day, q->shift);
    if (j >= 0) cpt_mip_add_obj(b->m, j, -q->weight);
  }
  for (size_t i = 0; i < in->n_off; i++) {
    const cpt_nrp_request *q = &in->off[i];
    int j = b->nomem ? -1 : xc(b, q->staff, q->day, q->shift);
    if (j >= 0) cpt_mip_add_obj(b->m, j, q->weight);
  }
  return c0;
}

cpt_status cpt_nrp_model_all_off(const cpt_nrp_instance *in,
                                 const cpt_nrp_model *mod, double **start) {
  *start = NULL;
  cpt_nrp_roster *r = cpt_nrp_roster_new(in);
  if (!r) return CPT_ENOMEM;
  cpt_nrp_eval ev;
  cpt_status st = cpt_nrp_evaluate(in, r, &ev);
  int ok = st == CPT_OK && ev.n_violations == 0;
  cpt_nrp_eval_free(&ev);
  cpt_nrp_roster_free(r);
  if (st != CPT_OK || !ok) return st;
  int n = cpt_mip_n_cols(mod->m);
  double *x = calloc((size_t)n + 1, sizeof *x);
  if (!x) return CPT_ENOMEM;
  for (size_t i = 0; i < in->n_cover; i++)
    if (mod->ucol[i] >= 0) x[mod->ucol[i]] = in->cover[i].requirement;
  *start = x;
  return CPT_OK;
}

cpt_status cpt_nrp_model_build(const cpt_nrp_instance *inst,
                               double soft_penalty, cpt_nrp_model *mod) {
  CPT_REQUIRE(inst != NULL && mod != NULL, "cpt_nrp_model_build: NULL");
  memset(mod, 0, sizeof *mod);
  int H = inst->horizon, T = inst->n_shifts;
  size_t nx = (size_t)inst->n_staff * H * T;
  int cap = H * (T > 0 ? T : 1) + 2;
  if (inst->n_staff + 2 > cap) cap = inst->n_staff + 2;
  nrp_build b = {inst, NULL, NULL, NULL, NULL, 0, cap, 0, 0, NULL,
                 soft_penalty, NULL, 0};
  cpt_status st = CPT_OK;
  b.m = cpt_mip_new(0);
  b.xcol = malloc((nx + 1) * sizeof *b.xcol);
  b.ri = malloc((size_t)cap * sizeof *b.ri);
  b.rv = malloc((size_t)cap * sizeof *b.rv);
  b.ucol = malloc((inst->n_cover + 1) * sizeof *b.ucol);
  b.slack = malloc(((size_t)inst->n_staff + 1) * sizeof *b.slack);
  if (!b.m || !b.xcol || !b.ri || !b.rv || !b.ucol || !b.slack) {
    st = CPT_ENOMEM;
    goto done;
  }
  cpt_mip_set_obj_const(b.m, x_cols(&b));
  for (int s = 0; s < inst->n_staff && !b.nomem; s++) staff_rows(&b, s);
  if (!b.nomem) cover_rows(&b);
  if (b.nomem) {
    st = CPT_ENOMEM;
    goto done;
  }
  for (size_t i = 0; i < nx; i++) mod->n_x += b.xcol[i] >= 0;
done:
  free(b.ri);
  free(b.rv);
  mod->m = b.m;
  mod->xcol = b.xcol;
  mod->ucol = b.ucol;
  mod->slack = b.slack;
  mod->n_slack = b.n_slack;
  mod->infeasible = b.infeasible;
  return st;
}

void cpt_nrp_model_free(cpt_nrp_model *mod) {
  if (!mod) return;
  cpt_mip_free(mod->m);
  free(mod->xcol);
  free(mod->ucol);
  free(mod->slack);
  memset(mod, 0, sizeof *mod);
}

cpt_status cpt_nrp_model_roster(const cpt_nrp_instance *inst,
                                const cpt_nrp_model *mod, const double *x,
                                cpt_nrp_roster **out) {
  int H = inst->horizon, T = inst->n_shifts;
  *out = cpt_nrp_roster_new(inst);
  if (!*out) return CPT_ENOMEM;
  for (int s = 0; s < inst->n_staff; s++)
    for (int d = 0; d < H; d++)
      for (int t = 0; t < T; t++) {
        int j = mod->xcol[((size_t)s * H + d) * T + t];
        if (j >= 0 && x[j] > 0.5) (*out)->shift[(size_t)s * H + d] = t;
      }
  return CPT_OK;
}

static void fail(cpt_diags *diags, const char *msg) {
  if (diags) cpt_diag_error(diags, NULL, 0, 0, "nrp MIP: %s", msg);
}

cpt_status cpt_nrp_solve_mip(const cpt_nrp_instance *inst,
                             const cpt_nrp_solve_params *p,
                             cpt_nrp_solution **out, cpt_diags *diags) {
  CPT_REQUIRE(out != NULL, "cpt_nrp_solve_mip: NULL out");
  *out = NULL;
  cpt_nrp_solve_params defaults;
  if (!p) {
    cpt_nrp_solve_params_init(&defaults);
    p = &defaults;
  }
  if (!inst || inst->horizon < 1 || inst->n_staff < 0 || inst->n_shifts < 0 ||
      !(p->time_limit_s >= 0) || !isfinite(p->time_limit_s) ||
      !(p->mip_gap >= 0) || !isfinite(p->mip_gap)) {
    fail(diags, "invalid instance or parameters");
    return CPT_EPARAM;
  }
  double t0 = cpt_now_s();
  cpt_nrp_model mod;
  cpt_status st = CPT_OK;
  cpt_mip_result res = {0};
  cpt_nrp_eval ev = {0};
  cpt_nrp_solution *sol = calloc(1, sizeof *sol);
  double *start = NULL;
  st = cpt_nrp_model_build(inst, 0.0, &mod);
  if (st == CPT_OK && !sol) st = CPT_ENOMEM;
  if (st != CPT_OK) goto done;
  sol->rows = cpt_mip_n_rows(mod.m);
  sol->cols = cpt_mip_n_cols(mod.m);
  if (mod.infeasible) {
    sol->status = CPT_SOLVE_INFEASIBLE;
    sol->objective = sol->bound = NAN;
    sol->gap = INFINITY;
    goto done;
  }
  st = cpt_nrp_model_all_off(inst, &mod, &start);
  if (st != CPT_OK) goto done;
  cpt_mip_params mp;
  cpt_mip_params_init(&mp);
  mp.start = start;
  mp.time_limit_s = p->time_limit_s;
  mp.mip_gap = p->mip_gap;
  mp.stop = p->stop;
  mp.verbose = p->verbose >= 2;
  if (p->log) mp.log = p->log;
  char err[256] = "";
  st = cpt_mip_solve(mod.m, &mp, &res, err, sizeof err);
  if (st != CPT_OK) {
    if (diags) cpt_diag_error(diags, NULL, 0, 0, "MIP solver failed: %s", err);
    goto done;
  }
  sol->status = res.status;
  sol->objective = res.objective;
  sol->bound = res.bound;
  sol->gap = res.gap;
  sol->nodes = res.nodes;
  if (!res.x) goto done;
  st = cpt_nrp_model_roster(inst, &mod, res.x, &sol->roster);
  if (st != CPT_OK) goto done;
  st = cpt_nrp_evaluate(inst, sol->roster, &ev);
  if (st != CPT_OK) goto done;
  char msg[320];
  double tol = 1e-6 * fmax(1.0, fabs(res.objective));
  if (ev.n_violations > 0) {
    char vb[160];
    cpt_nrp_violation_format(inst, &ev.violations[0], vb, sizeof vb);
    snprintf(msg, sizeof msg, "the roster breaks %zu hard rule(s), first: %s",
             ev.n_violations, vb);
    st = CPT_EINTERNAL;
  } else if ((double)ev.objective > res.objective + tol ||
             (res.status == CPT_SOLVE_OPTIMAL &&
              (double)ev.objective < res.objective - tol)) {
    snprintf(msg, sizeof msg,
             "the evaluator's objective %lld differs from the MIP's %.6f",
             ev.objective, res.objective);
    st = CPT_EINTERNAL;
  }
  if (st != CPT_OK) {
    fail(diags, msg);
    goto done;
  }
  sol->objective = (double)ev.objective;
done:
  if (sol) sol->time_s = cpt_now_s() - t0;
  cpt_nrp_eval_free(&ev);
  cpt_mip_result_free(&res);
  cpt_nrp_model_free(&mod);
  free(start);
  if (st != CPT_OK) {
    cpt_nrp_solution_free(sol);
    return st;
  }
  *out = sol;
  return CPT_OK;
}
