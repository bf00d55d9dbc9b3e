/*
 * assign_repair.c — households by relaxation and repair, with a proven
 * bound, for territories where the integer program is too large for GLPK.
 *
 * 1. Relax: drop the household constraints (x_pd = x_qd).  What remains is
 *    the transportation problem of assign_flow.c, solved exactly; its
 *    optimum U bounds the true optimum from above (a relaxation).
 * 2. Repair: every household whose members the relaxed plan put with
 *    different doctors, or only partly placed, is taken out, and then,
 *    households by decreasing priority (their highest π, then smallest
 *    id), placed whole with the doctor eligible for all its members that
 *    has room for all of them and the best gain (Σ members' values minus
 *    the marginal fairness penalty), when that gain is positive.
 * 3. Fill: every unit still unplaced (patients alone or households), by
 *    decreasing priority, gets the best doctor with room and positive gain.
 * The plan is household-feasible; the gap to U is reported.  When the plan
 * reaches U it is optimal.  Deterministic: fixed orders, no randomness.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assign_internal.h"

typedef struct uref { int32_t unit; double pi; const char *first; } uref;

static int cmp_uref(const void *x, const void *y) {
  const uref *a = x, *b = y;
  if (a->pi != b->pi) return a->pi > b->pi ? -1 : 1;
  return strcmp(a->first, b->first);
}

/* Position of doctor d in class k's candidate list, or SIZE_MAX. */
static size_t cand_pos(const cpt_assign_ctx *c, size_t k, int32_t d) {
  size_t lo = c->cand_start[k], hi = c->cand_start[k + 1];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->cand_doc[mid] == d) return mid;
    if (c->cand_doc[mid] < d)
      lo = mid + 1;
    else
      hi = mid;
  }
  return SIZE_MAX;
}

/* Best doctor for unit j given remaining room and loads: the gain of
 * placing the whole unit there, or −inf when no doctor fits. */
static double best_doctor(const cpt_assign_ctx *c, const cpt_units *u,
                          size_t j, const int32_t *rem, const int32_t *load,
                          int32_t *best) {
  size_t a = u->start[j], b = u->start[j + 1];
  int32_t size = (int32_t)(b - a);
  size_t k0 = (size_t)c->class_of[u->pat[a]];
  double pen = c->cfg->assign_fairness_penalty, best_gain = -INFINITY;
  *best = -1;
  for (size_t i = c->cand_start[k0]; i < c->cand_start[k0 + 1]; i++) {
    int32_t d = c->cand_doc[i];
    if (rem[d] < size) continue;
    double v = 0;
    bool all = true;
    for (size_t q = a; q < b && all; q++) {
      size_t k = (size_t)c->class_of[u->pat[q]];
      size_t pos = k == k0 ? i : cand_pos(c, k, d);
      if (pos == SIZE_MAX)
        all = false;
      else
        v += cpt_assign_value(c, k, d, c->cand_dist[pos]);
    }
    if (!all) continue;
    double over0 = fmax(0, load[d] - c->thr[d]);
    double over1 = fmax(0, load[d] + size - c->thr[d]);
    double gain = v - pen * (over1 - over0);
    if (gain > best_gain) { /* ties: the lower doctor index (scan order) */
      best_gain = gain;
      *best = d;
    }
  }
  return best_gain;
}

double cpt_assign_plan_value(const cpt_assign_ctx *c, const int32_t *doctor_of) {
  double obj = 0;
  int32_t *load = calloc(c->nd ? c->nd : 1, sizeof *load);
  if (!load) return NAN;
  for (size_t p = 0; p < c->np; p++) {
    int32_t d = doctor_of[p];
    if (d < 0) continue;
    size_t k = (size_t)c->class_of[p];
    size_t pos = cand_pos(c, k, d);
    CPT_REQUIRE(pos != SIZE_MAX, "plan uses an ineligible pair");
    obj += cpt_assign_value(c, k, d, c->cand_dist[pos]);
    load[d]++;
  }
  for (size_t d = 0; d < c->nd; d++)
    if (load[d] > c->thr[d])
      obj -= c->cfg->assign_fairness_penalty * (load[d] - c->thr[d]);
  free(load);
  return obj;
}

cpt_status cpt_assign_solve_repair(const cpt_assign_ctx *c,
                                   cpt_assign_result *r, cpt_diags *diags) {
  cpt_status st = cpt_assign_solve_flow(c, r, diags);
  if (st != CPT_OK || r->status != CPT_SOLVE_OPTIMAL) return st;
  double t0 = cpt_now_s();
  double U = cpt_assign_plan_value(c, r->doctor_of);
  cpt_units u;
  st = cpt_assign_units(c, &u);
  if (st != CPT_OK) return st;
  int32_t *load = calloc(c->nd ? c->nd : 1, sizeof *load);
  int32_t *rem = malloc((c->nd ? c->nd : 1) * sizeof *rem);
  uref *todo = malloc((u.n ? u.n : 1) * sizeof *todo);
  if (!load || !rem || !todo) {
    st = CPT_ENOMEM;
    goto done;
  }
  for (size_t p = 0; p < c->np; p++)
    if (r->doctor_of[p] >= 0) load[r->doctor_of[p]]++;
  /* take out the households the relaxation split or placed partly */
  for (size_t j = 0; j < u.n; j++) {
    size_t a = u.start[j], b = u.start[j + 1];
    int32_t d0 = r->doctor_of[u.pat[a]];
    bool same = true;
    for (size_t q = a + 1; q < b; q++) same = same && r->doctor_of[u.pat[q]] == d0;
    if (same) continue;
    for (size_t q = a; q < b; q++) {
      int32_t d = r->doctor_of[u.pat[q]];
      if (d >= 0) load[d]--;
      r->doctor_of[u.pat[q]] = -1;
    }
  }
  for (size_t d = 0; d < c->nd; d++) rem[d] = c->room[d] - load[d];
  /* repair, then fill: every unplaced unit by decreasing priority (the
   * households just taken out come first among equals by construction) */
  size_t n = 0;
  for (size_t j = 0; j < u.n; j++) {
    if (r->doctor_of[u.pat[u.start[j]]] >= 0) continue;
    double pi = 0;
    for (size_t q = u.start[j]; q < u.start[j + 1]; q++)
      if (c->pi[u.pat[q]] > pi) pi = c->pi[u.pat[q]];
    todo[n].unit = (int32_t)j;
    todo[n].pi = pi;
    todo[n].first = c->patients->v[u.pat[u.start[j]]].id;
    n++;
  }
  qsort(todo, n, sizeof *todo, cmp_uref);
  for (size_t i = 0; i < n; i++) {
    size_t j = (size_t)todo[i].unit;
    int32_t d;
    double gain = best_doctor(c, &u, j, rem, load, &d);
    if (d < 0 || !(gain > 0)) continue;
    int32_t size = (int32_t)(u.start[j + 1] - u.start[j]);
    for (size_t q = u.start[j]; q < u.start[j + 1]; q++) r->doctor_of[u.pat[q]] = d;
    rem[d] -= size;
    load[d] += size;
  }
  double L = cpt_assign_plan_value(c, r->doctor_of);
  r->bound = U;
  r->status = L >= U - 1e-9 * fmax(1, fabs(U)) ? CPT_SOLVE_OPTIMAL
                                                : CPT_SOLVE_FEASIBLE;
  r->stats.t_extract_s += cpt_now_s() - t0;
done:
  cpt_units_free(&u);
  free(load);
  free(rem);
  free(todo);
  return st;
}
