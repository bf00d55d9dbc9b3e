/*
 * assign.c — cpt_assign_solve: prepare the instance, find candidate pairs,
 * pick and run a method (flow, mip, repair or heuristic), then evaluate the
 * plan in SPEC units and give every unplaced patient its reason.
 *
 * The objective is recomputed from the final plan (not taken from the
 * solver), so it is exactly the SPEC §1 objective whatever the method's
 * internal scaling.  The bound is the solver's proven bound, or, when no
 * solver bound exists (interrupted before a plan), the trivial bound
 * Σ_p max(0, max_d v_pd).
 *
 * Reasons, for an unplaced patient p (first that applies):
 *   no_doctor_in_range   no non-leaving doctor within max_km_p
 *   no_doctor_for_need   some in range, none takes children / home visits
 *   capacity_exhausted   eligible doctors exist, none has room left
 *   household_split      one has room for p, none eligible for the whole
 *                        household has room for all its members
 *   not_worthwhile       room exists, but placing p lowers the objective
 *   solve_interrupted    the solve stopped before it produced a plan
 */
#include "assign.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign_internal.h"
#include "geo.h"

const char *cpt_assign_method_name(cpt_assign_method m) {
  switch (m) {
  case CPT_METHOD_AUTO: return "auto";
  case CPT_METHOD_FLOW: return "flow";
  case CPT_METHOD_MIP: return "mip";
  case CPT_METHOD_REPAIR: return "repair";
  case CPT_METHOD_HEURISTIC: return "heuristic";
  }
  return "unknown";
}

int cpt_assign_method_parse(const char *s, cpt_assign_method *m) {
  static const cpt_assign_method all[] = {CPT_METHOD_AUTO, CPT_METHOD_FLOW,
                                          CPT_METHOD_MIP, CPT_METHOD_REPAIR,
                                          CPT_METHOD_HEURISTIC};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    if (!strcmp(s, cpt_assign_method_name(all[i]))) {
      *m = all[i];
      return 0;
    }
  return -1;
}

const char *cpt_reason_name(cpt_reason r) {
  switch (r) {
  case CPT_REASON_ASSIGNED: return "assigned";
  case CPT_REASON_NO_DOCTOR_IN_RANGE: return "no_doctor_in_range";
  case CPT_REASON_NO_DOCTOR_FOR_NEED: return "no_doctor_for_need";
  case CPT_REASON_CAPACITY_EXHAUSTED: return "capacity_exhausted";
  case CPT_REASON_HOUSEHOLD_SPLIT: return "household_split";
  case CPT_REASON_NOT_WORTHWHILE: return "not_worthwhile";
  case CPT_REASON_SOLVE_INTERRUPTED: return "solve_interrupted";
  case CPT_REASON_WAVE_LIMIT: return "wave_limit";
  case CPT_N_REASONS: break;
  }
  return "unknown";
}

void cpt_assign_params_init(cpt_assign_params *p) {
  memset(p, 0, sizeof *p);
  p->method = CPT_METHOD_AUTO;
  p->waves = 1;
  p->max_new_per_wave = -1;
  p->proposals = 1;
}

void cpt_assign_result_free(cpt_assign_result *r) {
  if (!r) return;
  free(r->doctor_of);
  free(r->distance_km);
  free(r->reason);
  free(r->new_load);
  free(r->leaving);
  free(r->room);
  free(r->priority);
  free(r->wave);
  free(r->alt);
  free(r->alt_km);
  free(r);
}

static int cmp_str_ptr(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* True when two patients share a household id. */
static bool has_households(const cpt_patients *P, cpt_status *st) {
  const char **h = malloc((P->n ? P->n : 1) * sizeof *h);
  if (!h) {
    *st = CPT_ENOMEM;
    return false;
  }
  size_t n = 0;
  for (size_t i = 0; i < P->n; i++)
    if (P->v[i].household && P->v[i].household[0]) h[n++] = P->v[i].household;
  qsort(h, n, sizeof *h, cmp_str_ptr);
  bool any = false;
  for (size_t i = 1; i < n && !any; i++) any = !strcmp(h[i], h[i - 1]);
  free(h);
  return any;
}

static bool is_candidate(const cpt_assign_ctx *c, size_t k, int32_t d) {
  size_t lo = c->cand_start[k], hi = c->cand_start[k + 1];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->cand_doc[mid] == d) return true;
    if (c->cand_doc[mid] < d)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

/* Reasons for the unplaced (see the top of this file).  dropped[p] marks
 * patients that the wave packing could not fit. */
static cpt_status give_reasons(const cpt_assign_ctx *c, const cpt_units *u,
                               cpt_assign_result *r, bool solved,
                               const uint8_t *dropped) {
  int32_t *rem = malloc((c->nd ? c->nd : 1) * sizeof *rem);
  if (!rem) return CPT_ENOMEM;
  for (size_t d = 0; d < c->nd; d++) rem[d] = c->room[d] - r->new_load[d];
  bool waves = c->params->waves > 1 || c->params->max_new_per_wave >= 0;
  for (size_t p = 0; p < c->np; p++) {
    if (r->doctor_of[p] >= 0) {
      r->reason[p] = CPT_REASON_ASSIGNED;
      continue;
    }
    size_t k = (size_t)c->class_of[p];
    cpt_reason why;
    if (!solved)
      why = CPT_REASON_SOLVE_INTERRUPTED;
    else if (dropped && dropped[p])
      why = CPT_REASON_WAVE_LIMIT;
    else if (!c->cls_in_range[k])
      why = CPT_REASON_NO_DOCTOR_IN_RANGE;
    else if (!c->cls_need_ok[k])
      why = CPT_REASON_NO_DOCTOR_FOR_NEED;
    else {
      bool room1 = false, uncapped = false;
      for (size_t i = c->cand_start[k]; i < c->cand_start[k + 1]; i++) {
        int32_t d = c->cand_doc[i];
        room1 = room1 || rem[d] >= 1;
        const cpt_doctor *doc = &c->doctors->v[d];
        uncapped = uncapped || doc->capacity - doc->current - r->new_load[d] >= 1;
      }
      why = room1 ? CPT_REASON_NOT_WORTHWHILE : CPT_REASON_CAPACITY_EXHAUSTED;
      if (!room1 && waves && uncapped) why = CPT_REASON_WAVE_LIMIT;
      size_t a = u->start[u->unit_of[p]], b = u->start[u->unit_of[p] + 1];
      int32_t size = (int32_t)(b - a);
      if (room1 && size > 1) {
        bool whole = false;
        for (size_t i = c->cand_start[k]; i < c->cand_start[k + 1] && !whole;
             i++) {
          int32_t d = c->cand_doc[i];
          if (rem[d] < size) continue;
          bool all = true;
          for (size_t q = a; q < b && all; q++)
            all = is_candidate(c, (size_t)c->class_of[u->pat[q]], d);
          whole = all;
        }
        if (!whole) why = CPT_REASON_HOUSEHOLD_SPLIT;
      }
    }
    r->reason[p] = (uint8_t)why;
  }
  free(rem);
  return CPT_OK;
}

typedef struct unitref { int32_t doc, unit; double pi; const char *first; } unitref;

static int cmp_unitref(const void *x, const void *y) {
  const unitref *a = x, *b = y;
  if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
  if (a->pi != b->pi) return a->pi > b->pi ? -1 : 1;
  return strcmp(a->first, b->first);
}

/* Spread each doctor's new patients over the waves: units (households) by
 * decreasing priority (their highest π), then smallest id, each into the
 * first wave with room for all its members (first fit).  A unit that fits
 * no wave is unplaced and marked in dropped.  Returns the number dropped. */
static size_t spread_waves(const cpt_assign_ctx *c, const cpt_units *u,
                           cpt_assign_result *r, uint8_t *dropped) {
  const cpt_assign_params *pp = c->params;
  int32_t K = pp->waves > 1 ? pp->waves : 1;
  unitref *v = malloc((u->n ? u->n : 1) * sizeof *v);
  int64_t *used = calloc((size_t)K, sizeof *used);
  size_t n = 0, ndrop = 0;
  if (!v || !used) { /* degrade to one wave rather than fail */
    free(v);
    free(used);
    for (size_t p = 0; p < c->np; p++) r->wave[p] = r->doctor_of[p] >= 0;
    return 0;
  }
  for (size_t j = 0; j < u->n; j++) {
    int32_t p0 = u->pat[u->start[j]];
    if (r->doctor_of[p0] < 0) continue;
    double pi = 0;
    for (size_t q = u->start[j]; q < u->start[j + 1]; q++)
      if (c->pi[u->pat[q]] > pi) pi = c->pi[u->pat[q]];
    v[n].doc = r->doctor_of[p0];
    v[n].unit = (int32_t)j;
    v[n].pi = pi;
    v[n].first = c->patients->v[p0].id;
    n++;
  }
  qsort(v, n, sizeof *v, cmp_unitref);
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || v[i].doc != v[i - 1].doc) memset(used, 0, (size_t)K * sizeof *used);
    const cpt_doctor *doc = &c->doctors->v[v[i].doc];
    int64_t per = doc->max_new;
    if (pp->max_new_per_wave >= 0 && (per < 0 || pp->max_new_per_wave < per))
      per = pp->max_new_per_wave;
    if (K == 1) per = -1; /* one wave: the room already holds every limit */
    size_t a = u->start[v[i].unit], b = u->start[v[i].unit + 1];
    int64_t size = (int64_t)(b - a);
    int32_t w = 0;
    while (w < K && per >= 0 && used[w] + size > per) w++;
    for (size_t q = a; q < b; q++) {
      int32_t p = u->pat[q];
      if (w < K) {
        r->wave[p] = w + 1;
      } else {
        r->doctor_of[p] = -1;
        dropped[p] = 1;
        ndrop++;
      }
    }
    if (w < K) used[w] += size;
  }
  free(v);
  free(used);
  return ndrop;
}

typedef struct altc { int32_t doc; double value, dist; } altc;

static int cmp_altc(const void *x, const void *y) {
  const altc *a = x, *b = y;
  if (a->value != b->value) return a->value > b->value ? -1 : 1;
  return (a->doc > b->doc) - (a->doc < b->doc);
}

/* Up to n_alt alternatives per placed patient: eligible doctors other than
 * the chosen one with room left for the patient's whole household, by
 * decreasing value. */
static cpt_status alternatives(const cpt_assign_ctx *c, const cpt_units *u,
                               cpt_assign_result *r) {
  int32_t na = r->n_alt;
  if (na <= 0) return CPT_OK;
  int32_t *rem = malloc((c->nd ? c->nd : 1) * sizeof *rem);
  size_t maxc = 1;
  for (size_t k = 0; k < c->nc; k++)
    if (c->cand_start[k + 1] - c->cand_start[k] > maxc)
      maxc = c->cand_start[k + 1] - c->cand_start[k];
  altc *v = malloc(maxc * sizeof *v);
  if (!rem || !v) {
    free(rem);
    free(v);
    return CPT_ENOMEM;
  }
  for (size_t d = 0; d < c->nd; d++) rem[d] = c->room[d] - r->new_load[d];
  for (size_t p = 0; p < c->np; p++) {
    if (r->doctor_of[p] < 0) continue;
    size_t k = (size_t)c->class_of[p];
    int32_t j = u->unit_of[p];
    int32_t size = (int32_t)(u->start[j + 1] - u->start[j]);
    size_t n = 0;
    for (size_t i = c->cand_start[k]; i < c->cand_start[k + 1]; i++) {
      int32_t d = c->cand_doc[i];
      if (d == r->doctor_of[p] || rem[d] < size) continue;
      v[n].doc = d;
      v[n].dist = c->cand_dist[i];
      v[n].value = cpt_assign_value(c, k, d, c->cand_dist[i]);
      n++;
    }
    qsort(v, n, sizeof *v, cmp_altc);
    for (size_t i = 0; i < n && i < (size_t)na; i++) {
      r->alt[p * (size_t)na + i] = v[i].doc;
      r->alt_km[p * (size_t)na + i] = v[i].dist;
    }
  }
  free(rem);
  free(v);
  return CPT_OK;
}

/* Objective of the plan in r->doctor_of, distances and loads filled in. */
static void evaluate(const cpt_assign_ctx *c, cpt_assign_result *r) {
  const cpt_config *cfg = c->cfg;
  double obj = 0;
  memset(r->new_load, 0, c->nd * sizeof *r->new_load);
  for (size_t p = 0; p < c->np; p++) {
    int32_t d = r->doctor_of[p];
    r->distance_km[p] = NAN;
    if (d < 0) continue;
    double dist = cpt_dist_km(&c->patients->v[p].loc, &c->doctors->v[d].loc,
                              cfg->assign_detour, cfg->assign_intra_commune_km);
    r->distance_km[p] = dist;
    obj += cpt_assign_value(c, (size_t)c->class_of[p], d, dist);
    r->new_load[d]++;
  }
  for (size_t d = 0; d < c->nd; d++)
    if (r->new_load[d] > c->thr[d])
      obj -= cfg->assign_fairness_penalty * (r->new_load[d] - c->thr[d]);
  r->objective = obj;
}

static void progress(const cpt_assign_params *p, const char *phase,
                     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void progress(const cpt_assign_params *p, const char *phase,
                     const char *fmt, ...) {
  if (!p->progress) return;
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  p->progress(p->progress_arg, phase, buf);
}

/* Σ_p max(0, max_d v_pd): no plan can do better. */
static double trivial_bound(const cpt_assign_ctx *c) {
  double b = 0;
  for (size_t k = 0; k < c->nc; k++) {
    double best = 0;
    for (size_t i = c->cand_start[k]; i < c->cand_start[k + 1]; i++) {
      if (c->room[c->cand_doc[i]] <= 0) continue;
      double v = cpt_assign_value(c, k, c->cand_doc[i], c->cand_dist[i]);
      if (v > best) best = v;
    }
    b += best * (double)(c->cls_start[k + 1] - c->cls_start[k]);
  }
  return b;
}

static cpt_assign_result *result_new(size_t np, size_t nd, int32_t n_alt) {
  cpt_assign_result *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  size_t np1 = np ? np : 1, nd1 = nd ? nd : 1;
  r->n_patients = np;
  r->n_doctors = nd;
  r->doctor_of = malloc(np1 * sizeof *r->doctor_of);
  r->distance_km = malloc(np1 * sizeof *r->distance_km);
  r->reason = calloc(np1, 1);
  r->priority = malloc(np1 * sizeof *r->priority);
  r->new_load = calloc(nd1, sizeof *r->new_load);
  r->leaving = calloc(nd1, 1);
  r->room = calloc(nd1, sizeof *r->room);
  r->wave = calloc(np1, sizeof *r->wave);
  r->n_alt = n_alt;
  r->alt = malloc(np1 * (size_t)(n_alt ? n_alt : 1) * sizeof *r->alt);
  r->alt_km = malloc(np1 * (size_t)(n_alt ? n_alt : 1) * sizeof *r->alt_km);
  if (!r->doctor_of || !r->distance_km || !r->reason || !r->priority ||
      !r->new_load || !r->leaving || !r->room || !r->wave || !r->alt ||
      !r->alt_km) {
    cpt_assign_result_free(r);
    return NULL;
  }
  for (size_t p = 0; p < np; p++) r->doctor_of[p] = -1;
  for (size_t i = 0; i < np * (size_t)n_alt; i++) {
    r->alt[i] = -1;
    r->alt_km[i] = NAN;
  }
  return r;
}

/* A solver's time: share of what is left of the time limit since t0, at
 * least 0.01 s; 0 (none) without a limit. */
static double time_share(const cpt_config *cfg, double t0, double share) {
  double T = cfg->solver_time_limit_s;
  return T == 0 ? 0 : fmax(0.01, share * (T - (cpt_now_s() - t0)));
}

/* heuristic: the patient flow (households split) for at most 0.3 of the
 * time left, for its doctor duals only (a start for the core's
 * multipliers should its own, tighter flow not finish on a very large
 * territory), then the GAP core for the rest. */
static cpt_status heuristic(cpt_assign_ctx *c, cpt_assign_result *r,
                            double t0, cpt_diags *diags) {
  double *lam = malloc((c->nd ? c->nd : 1) * sizeof *lam);
  if (!lam) return CPT_ENOMEM;
  for (size_t d = 0; d < c->nd; d++) lam[d] = NAN;
  c->time_limit_s = time_share(c->cfg, t0, 0.3);
  c->flow_lambda = lam; /* written by the flow, read by the core */
  cpt_status st = cpt_assign_solve_flow(c, r, diags);
  for (size_t p = 0; p < c->np; p++) r->doctor_of[p] = -1;
  r->status = CPT_SOLVE_NOSOLUTION;
  if (st == CPT_OK &&
      !(c->params && c->params->stop && atomic_load(c->params->stop))) {
    c->time_limit_s = time_share(c->cfg, t0, 1.0);
    st = cpt_assign_solve_gap(c, r, diags);
  }
  c->flow_lambda = NULL;
  free(lam);
  return st;
}

cpt_status cpt_assign_solve(const cpt_doctors *doctors,
                            const cpt_patients *patients,
                            const cpt_config *cfg,
                            const cpt_assign_params *params,
                            cpt_assign_result **out, cpt_diags *diags) {
  double t0 = cpt_now_s();
  cpt_assign_params defaults;
  if (!params) {
    cpt_assign_params_init(&defaults);
    params = &defaults;
  }
  *out = NULL;
  cpt_status st = cpt_config_check(cfg, diags);
  if (st != CPT_OK) return st;

  cpt_assign_ctx c;
  cpt_assign_result *r = NULL;
  st = cpt_assign_prepare(&c, doctors, patients, cfg, params, diags);
  if (st != CPT_OK) goto done;
  bool hh = has_households(patients, &st);
  if (st != CPT_OK) goto done;
  cpt_assign_method method = params->method;
  if (method == CPT_METHOD_AUTO) method = hh ? CPT_METHOD_REPAIR : CPT_METHOD_FLOW;
  if (method == CPT_METHOD_FLOW && hh) {
    cpt_diag_error(diags, "command line", 0, 0,
                   "--method flow cannot keep households together (the "
                   "patients file has households): use --method mip or auto");
    st = CPT_EINPUT;
    goto done;
  }
  int32_t n_alt = params->proposals > 1 ? params->proposals - 1 : 0;
  r = result_new(c.np, c.nd, n_alt);
  if (!r) {
    st = CPT_ENOMEM;
    goto done;
  }
  r->method = method;
  r->stats.n_classes = c.nc;
  r->stats.n_jobs = c.nc;
  for (size_t d = 0; d < c.nd; d++) {
    r->leaving[d] = c.leaving[d];
    r->room[d] = c.room[d];
  }
  memcpy(r->priority, c.pi, c.np * sizeof *c.pi);

  progress(params, "candidates", "%zu patients in %zu classes, %zu doctors",
           c.np, c.nc, c.nd);
  double t1 = cpt_now_s();
  st = cpt_assign_candidates(&c);
  r->stats.t_candidates_s = cpt_now_s() - t1;
  if (st != CPT_OK) goto done;
  r->stats.n_pairs = c.cand_start[c.nc];

  r->bound = NAN;
  /* auto with households: GLPK from the repaired plan when the model is
   * small, the GAP core (its own relaxation and start) above */
  if (params->method == CPT_METHOD_AUTO && hh &&
      r->stats.n_pairs > CPT_MIP_MAX_PAIRS)
    method = r->method = CPT_METHOD_HEURISTIC;
  progress(params, cpt_assign_method_name(method),
           "%zu eligible class-doctor pairs", r->stats.n_pairs);
  c.time_limit_s = time_share(cfg, t0, 1.0);
  /* stopped already (e.g. during the candidates): no plan; reported as
   * interrupted below */
  if (params->stop && atomic_load(params->stop))
    r->status = CPT_SOLVE_NOSOLUTION;
  else
    switch (method) {
    case CPT_METHOD_FLOW: st = cpt_assign_solve_flow(&c, r, diags); break;
    case CPT_METHOD_MIP: st = cpt_assign_solve_mip(&c, r, false, diags); break;
    case CPT_METHOD_HEURISTIC: st = heuristic(&c, r, t0, diags); break;
    default: st = cpt_assign_solve_repair(&c, r, diags); break;
    }
  if (st != CPT_OK) goto done;
  /* auto with households on a small model: GLPK from the repaired plan,
   * unless repair is proven optimal; the tighter of the two bounds */
  if (params->method == CPT_METHOD_AUTO && method == CPT_METHOD_REPAIR &&
      r->status == CPT_SOLVE_FEASIBLE) {
    double U = r->bound;
    if (cfg->solver_time_limit_s == 0 ||
        cfg->solver_time_limit_s - (cpt_now_s() - t0) > 0.05) {
      c.time_limit_s = time_share(cfg, t0, 1.0);
      progress(params, "mip", "from the repaired plan, %zu pairs",
               r->stats.n_pairs);
      cpt_solve_status repaired = r->status;
      st = cpt_assign_solve_mip(&c, r, true, diags);
      if (st != CPT_OK) goto done;
      /* no plan (stopped before it began): the repaired plan stands */
      if (r->status == CPT_SOLVE_NOSOLUTION) r->status = repaired;
      r->method = CPT_METHOD_MIP;
      if (!(r->bound <= U)) r->bound = U; /* both bounds hold: the tighter */
    }
  }
  bool solved = r->status == CPT_SOLVE_OPTIMAL ||
                r->status == CPT_SOLVE_FEASIBLE ||
                (r->status == CPT_SOLVE_INTERRUPTED &&
                 (r->method == CPT_METHOD_MIP ||
                  r->method == CPT_METHOD_HEURISTIC));
  if (!solved) {
    for (size_t p = 0; p < c.np; p++) r->doctor_of[p] = -1;
    /* the empty plan is feasible; stopped by the flag, it is the best
     * found so far */
    if (r->status == CPT_SOLVE_NOSOLUTION)
      r->status = params->stop && atomic_load(params->stop)
                      ? CPT_SOLVE_INTERRUPTED
                      : CPT_SOLVE_FEASIBLE;
  }
  cpt_units units;
  st = cpt_assign_units(&c, &units);
  if (st != CPT_OK) goto done;
  uint8_t *dropped = calloc(c.np ? c.np : 1, 1);
  if (!dropped) {
    cpt_units_free(&units);
    st = CPT_ENOMEM;
    goto done;
  }
  if (solved && spread_waves(&c, &units, r, dropped) > 0 &&
      r->status == CPT_SOLVE_OPTIMAL)
    r->status = CPT_SOLVE_FEASIBLE; /* packing dropped someone */
  evaluate(&c, r);
  if (r->status == CPT_SOLVE_OPTIMAL && cfg->solver_mip_gap == 0.0)
    r->bound = r->objective;
  else if (isnan(r->bound))
    r->bound = trivial_bound(&c);
  if (r->bound < r->objective) r->bound = r->objective;
  r->gap = (r->bound - r->objective) / fmax(1.0, fabs(r->objective));
  if (r->status == CPT_SOLVE_OPTIMAL && r->gap < 1e-9) r->gap = 0;
  progress(params, "reasons", "%s, objective %.2f",
           cpt_solve_status_name(r->status), r->objective);
  st = give_reasons(&c, &units, r, solved, dropped);
  if (st == CPT_OK) st = alternatives(&c, &units, r);
  free(dropped);
  cpt_units_free(&units);
  r->time_s = cpt_now_s() - t0;
done:
  cpt_assign_ctx_free(&c);
  if (st != CPT_OK) {
    cpt_assign_result_free(r);
    r = NULL;
  }
  *out = r;
  return st;
}
