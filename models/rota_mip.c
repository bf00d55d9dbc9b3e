/*
 * rota_mip.c — the SNP rota integer program of rota_model.h, built from a
 * prepared rota (rota.h) and solved exactly with GLPK (solver/mip.h).
 *
 * Columns: y_ds ∈ {0,1} for the ALLOWED pairs only (pinned pairs fixed at
 * 1); u_s ∈ [0, need_s] when need_s > 0 and o_s ∈ [0, n_s − need_s] when
 * more than need_s doctors may take s (n_s = allowed doctors); a_d, b_d ≥ 0
 * when W_fair > 0.  Rows: coverage for each slot with a column, y_ds +
 * y_dt ≤ 1 for each conflict (s, t) and each doctor allowed on both, the
 * weekly and daily limits only where more pairs are allowed than the limit,
 * the fairness equation.  Whatever does not depend on y (a slot nobody may
 * take, a doctor with no allowed pair, prev = 1 on a pair that is not
 * ALLOWED, the "1 −" of |y − prev| for prev = 1) goes into the objective
 * constant.
 *
 * Pinned pairs are checked first: a pinned pair that is not ALLOWED, two
 * pinned slots of one doctor in conflict, or more pinned slots than a limit
 * allows make the model infeasible; each clash is reported and GLPK is not
 * called.  Otherwise y = pinned pairs, all else 0, is feasible, and it is
 * the answer when the solver stops before finding anything better.
 *
 * After the solve every term is recomputed from y in double, and each
 * under-covered slot gets the first reason that holds among: nobody
 * (further) may take it; every allowed doctor not on it has a conflicting
 * slot; every such doctor has a conflict or is at a limit; else the
 * objective preferred to leave it (unusual weights).
 *
 * cpt_rota_build_mip returns the same model with readable names, for
 * `cptsopt export`, without solving it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/clock.h"
#include "../solver/mip.h"
#include "instance.h"
#include "rota_internal.h"
#include "rota_model.h"

void cpt_rota_solve_params_init(cpt_rota_solve_params *p) {
  memset(p, 0, sizeof *p);
  p->w_under = 1000;
  p->w_over = 1;
  p->w_preferred = -1;
  p->w_fair = 10;
  p->w_change = 100;
  p->previous = NULL;
  p->time_limit_s = 60;
  p->mip_gap = 0.0;
  p->stop = NULL;
  p->verbose = 0;
  p->log = NULL;
  p->threads = 0;
  p->seed = 1;
}

const char *cpt_uncovered_reason_name(cpt_uncovered_reason r) {
  switch (r) {
  case CPT_UNCOV_NONE: return "none";
  case CPT_UNCOV_NOBODY_AVAILABLE: return "nobody_available";
  case CPT_UNCOV_REST_RULE: return "rest_rule";
  case CPT_UNCOV_AT_LIMIT: return "everyone_at_limit";
  case CPT_UNCOV_NOT_WORTHWHILE: return "not_worthwhile";
  }
  return "unknown";
}

void cpt_rota_solution_free(cpt_rota_solution *s) {
  if (!s) return;
  free(s->y);
  free(s->covered);
  free(s->under);
  free(s->over);
  free(s->reason);
  free(s->load);
  free(s->deviation);
  free(s);
}

/* ------------------------------------------------------------ helpers */

static const char *slot_name(const cpt_slots *slots, size_t s, char *buf,
                             size_t size) {
  if (s < slots->n && slots->v[s].id) return slots->v[s].id;
  snprintf(buf, size, "#%zu", s);
  return buf;
}

static bool finite_nonneg(double x) { return isfinite(x) && x >= 0; }

cpt_status cpt_rota_check_args(const cpt_rota *r, const cpt_slots *slots,
                               const cpt_rota_solve_params *p,
                               cpt_rota_solution **out) {
  if (!r || !slots || !p || !out) return CPT_EPARAM;
  if (slots->n != r->n_slots || p->threads < 0) return CPT_EPARAM;
  for (size_t s = 0; s < slots->n; s++)
    if (slots->v[s].need < 0) return CPT_EPARAM;
  if (!finite_nonneg(p->w_under) || !finite_nonneg(p->w_over) ||
      !isfinite(p->w_preferred) || !finite_nonneg(p->w_fair) ||
      !finite_nonneg(p->w_change) || !finite_nonneg(p->time_limit_s) ||
      !finite_nonneg(p->mip_gap))
    return CPT_EPARAM;
  size_t D = r->n_doctors, S = r->n_slots;
  if (D && S && !r->ds) return CPT_EPARAM;
  for (size_t i = 0; i < r->n_pinned; i++)
    if (r->pinned[i].doctor < 0 || (size_t)r->pinned[i].doctor >= D ||
        r->pinned[i].slot < 0 || (size_t)r->pinned[i].slot >= S)
      return CPT_EPARAM;
  for (size_t c = 0; c < r->n_conflicts; c++)
    if (r->conflicts[c].s < 0 || r->conflicts[c].t < 0 ||
        (size_t)r->conflicts[c].s >= S || (size_t)r->conflicts[c].t >= S)
      return CPT_EPARAM;
  for (size_t s = 0; s < S; s++)
    if (r->slot_day[s] < 0 || (size_t)r->slot_day[s] >= r->n_days)
      return CPT_EPARAM;
  return CPT_OK;
}

static const char *day_name(const cpt_rota *r, size_t k, char buf[11]) {
  return cpt_rota_fmt_date(cpt_rota_minutes(r->days[k], 0), buf);
}

/* A doctor in messages: the id when the table is known, else "#index". */
static const char *doc_name(const cpt_doctors *ids, size_t d, char *buf,
                            size_t size) {
  if (ids && d < ids->n && ids->v[d].id) return ids->v[d].id;
  snprintf(buf, size, "#%zu", d);
  return buf;
}

/* Report every clash among pinned pairs; returns how many (−1 on ENOMEM).
 * pin is the n_doctors × n_slots pinned bitmap; ids (may be NULL) names
 * the doctors. */
static long check_pinned(const cpt_rota *r, const cpt_slots *slots,
                         const cpt_doctors *ids, const uint8_t *pin,
                         cpt_diags *diags) {
  size_t D = r->n_doctors, S = r->n_slots;
  long n = 0;
  char b1[32], b2[32], bd[32], day[11];
  for (size_t i = 0; i < r->n_pinned; i++) {
    size_t d = (size_t)r->pinned[i].doctor, s = (size_t)r->pinned[i].slot;
    if (!(r->ds[d * S + s] & CPT_DS_ALLOWED)) {
      cpt_diag_error(diags, NULL, 0, 0,
                     "pinned: doctor %s on slot %s is not allowed (%s)",
                     doc_name(ids, d, bd, sizeof bd),
                     slot_name(slots, s, b1, sizeof b1),
                     !(r->ds[d * S + s] & CPT_DS_SITE)
                         ? "site not served"
                         : "not available at that time");
      n++;
    }
  }
  for (size_t c = 0; c < r->n_conflicts; c++) {
    size_t s = (size_t)r->conflicts[c].s, t = (size_t)r->conflicts[c].t;
    for (size_t d = 0; d < D; d++)
      if (pin[d * S + s] && pin[d * S + t]) {
        cpt_diag_error(
            diags, NULL, 0, 0,
            "pinned: doctor %s on slots %s and %s breaks the %s rule",
            doc_name(ids, d, bd, sizeof bd),
            slot_name(slots, s, b1, sizeof b1),
            slot_name(slots, t, b2, sizeof b2),
            (r->conflicts[c].kind & CPT_CONFLICT_OVERLAP) ? "overlap"
                                                           : "night rest");
        n++;
      }
  }
  for (size_t d = 0; d < D; d++) {
    int32_t tot = 0;
    for (size_t k = 0; k < r->n_days; k++) {
      int32_t cnt = 0;
      for (size_t q = r->day_first[k]; q < r->day_first[k + 1]; q++)
        cnt += pin[d * S + (size_t)r->day_slots[q]];
      tot += cnt;
      if (cnt > r->max_per_day[d]) {
        cpt_diag_error(diags, NULL, 0, 0,
                       "pinned: doctor %s has %d pinned slots on %s, more "
                       "than max_per_day %d",
                       doc_name(ids, d, bd, sizeof bd), (int)cnt, day_name(r, k, day), (int)r->max_per_day[d]);
        n++;
      }
    }
    if (r->max_slots[d] >= 0 && tot > r->max_slots[d]) {
      cpt_diag_error(diags, NULL, 0, 0,
                     "pinned: doctor %s has %d pinned slots, more than "
                     "max_slots %d",
                     doc_name(ids, d, bd, sizeof bd), (int)tot, (int)r->max_slots[d]);
      n++;
    }
  }
  return n;
}

cpt_rota_solution *cpt_rota_solution_new(size_t D, size_t S) {
  cpt_rota_solution *x = calloc(1, sizeof *x);
  if (!x) return NULL;
  size_t DS = D * S, S1 = S ? S : 1, D1 = D ? D : 1;
  if (DS == 0) DS = 1;
  x->n_doctors = D;
  x->n_slots = S;
  x->y = calloc(DS, 1);
  x->covered = calloc(S1, sizeof *x->covered);
  x->under = calloc(S1, sizeof *x->under);
  x->over = calloc(S1, sizeof *x->over);
  x->reason = calloc(S1, 1);
  x->load = calloc(D1, sizeof *x->load);
  x->deviation = calloc(D1, sizeof *x->deviation);
  if (!x->y || !x->covered || !x->under || !x->over || !x->reason ||
      !x->load || !x->deviation) {
    cpt_rota_solution_free(x);
    return NULL;
  }
  x->objective = x->bound = NAN;
  x->gap = INFINITY;
  x->method = "mip";
  return x;
}

/* Fill covered, under, over, load, deviation and the terms from x->y. */
static void evaluate(const cpt_rota *r, const cpt_slots *slots,
                     const cpt_rota_solve_params *p, cpt_rota_solution *x) {
  size_t D = r->n_doctors, S = r->n_slots;
  double under = 0, over = 0, pref = 0, fair = 0, change = 0;
  for (size_t s = 0; s < S; s++) x->covered[s] = 0;
  for (size_t d = 0; d < D; d++) {
    x->load[d] = 0;
    for (size_t s = 0; s < S; s++) {
      uint8_t y = x->y[d * S + s];
      x->load[d] += y;
      x->covered[s] += y;
      if (y && (r->ds[d * S + s] & CPT_DS_PREFERRED)) pref += 1;
      if (p->previous && y != (p->previous[d * S + s] ? 1 : 0)) change += 1;
    }
    x->deviation[d] = (double)x->load[d] + (double)r->hist[d] - r->target[d];
    fair += fabs(x->deviation[d]);
  }
  for (size_t s = 0; s < S; s++) {
    int32_t need = slots->v[s].need, cov = x->covered[s];
    x->under[s] = need > cov ? need - cov : 0;
    x->over[s] = cov > need ? cov - need : 0;
    under += x->under[s];
    over += x->over[s];
  }
  x->term_under = p->w_under * under;
  x->term_over = p->w_over * over;
  x->term_preferred = p->w_preferred * pref;
  x->term_fair = p->w_fair * fair;
  x->term_change = p->previous ? p->w_change * change : 0.0;
  x->objective = x->term_under + x->term_over + x->term_preferred +
                 x->term_fair + x->term_change;
}

/* Slots in conflict with each slot (both directions), as offsets. */
typedef struct adj {
  size_t *first; /* n_slots + 1 */
  int32_t *to;
} adj;

static cpt_status adj_build(const cpt_rota *r, adj *a) {
  size_t S = r->n_slots, C = r->n_conflicts;
  a->first = calloc(S + 1, sizeof *a->first);
  a->to = malloc((C ? 2 * C : 1) * sizeof *a->to);
  size_t *fill = malloc((S ? S : 1) * sizeof *fill);
  if (!a->first || !a->to || !fill) {
    free(fill);
    return CPT_ENOMEM;
  }
  for (size_t c = 0; c < C; c++) {
    a->first[r->conflicts[c].s + 1]++;
    a->first[r->conflicts[c].t + 1]++;
  }
  for (size_t s = 0; s < S; s++) a->first[s + 1] += a->first[s];
  memcpy(fill, a->first, S * sizeof *fill);
  for (size_t c = 0; c < C; c++) {
    a->to[fill[r->conflicts[c].s]++] = r->conflicts[c].t;
    a->to[fill[r->conflicts[c].t]++] = r->conflicts[c].s;
  }
  free(fill);
  return CPT_OK;
}

/* The reason of each slot with under > 0 (rota_model.h's order). */
static void explain(const cpt_rota *r, const adj *a, cpt_rota_solution *x) {
  size_t D = r->n_doctors, S = r->n_slots;
  for (size_t s = 0; s < S; s++) {
    x->reason[s] = CPT_UNCOV_NONE;
    if (x->under[s] <= 0) continue;
    size_t n_free = 0, n_conflict = 0, n_limit = 0;
    size_t k = (size_t)r->slot_day[s];
    for (size_t d = 0; d < D; d++) {
      if (!(r->ds[d * S + s] & CPT_DS_ALLOWED) || x->y[d * S + s]) continue;
      n_free++;
      bool blocked = false;
      for (size_t q = a->first[s]; q < a->first[s + 1] && !blocked; q++)
        blocked = x->y[d * S + (size_t)a->to[q]] != 0;
      if (blocked) {
        n_conflict++;
        continue;
      }
      int32_t day = 0;
      for (size_t q = r->day_first[k]; q < r->day_first[k + 1]; q++)
        day += x->y[d * S + (size_t)r->day_slots[q]];
      if ((r->max_slots[d] >= 0 && x->load[d] >= r->max_slots[d]) ||
          day >= r->max_per_day[d])
        n_limit++;
    }
    if (n_free == 0)
      x->reason[s] = CPT_UNCOV_NOBODY_AVAILABLE;
    else if (n_conflict == n_free)
      x->reason[s] = CPT_UNCOV_REST_RULE;
    else if (n_conflict + n_limit == n_free)
      x->reason[s] = CPT_UNCOV_AT_LIMIT;
    else
      x->reason[s] = CPT_UNCOV_NOT_WORTHWHILE;
  }
}

cpt_status cpt_rota_solution_fill(const cpt_rota *r, const cpt_slots *slots,
                                  const cpt_rota_solve_params *p,
                                  cpt_rota_solution *x) {
  adj a = {0};
  cpt_status st = adj_build(r, &a);
  if (st == CPT_OK) {
    evaluate(r, slots, p, x);
    explain(r, &a, x);
  }
  free(a.first);
  free(a.to);
  return st;
}

void cpt_rota_solution_set_infeasible(const cpt_rota *r,
                                      const cpt_slots *slots,
                                      const cpt_rota_solve_params *p,
                                      cpt_rota_solution *x) {
  x->status = CPT_SOLVE_INFEASIBLE;
  evaluate(r, slots, p, x); /* the empty rota, for a consistent record */
  x->objective = x->bound = NAN;
  x->gap = INFINITY;
}

/* ------------------------------------------------------------ the model */

void cpt_rota_model_free(cpt_rota_model *mod) {
  if (!mod) return;
  cpt_mip_free(mod->m);
  free(mod->pin);
  free(mod->col);
  memset(mod, 0, sizeof *mod);
}

/* Add a column or a row, named by the printf-style arguments when names
 * are wanted (export), or fail with ENOMEM. */
#define ADD_COL(var, lb, ub, obj, integer, ...)                             \
  do {                                                                      \
    (var) = cpt_mip_add_col(m, NAME(__VA_ARGS__), (lb), (ub), (obj),        \
                            (integer));                                     \
    if ((var) < 0) {                                                        \
      st = CPT_ENOMEM;                                                      \
      goto done;                                                            \
    }                                                                       \
  } while (0)
#define ADD_ROW(lb, ub, nnz, ...)                                           \
  do {                                                                      \
    if (cpt_mip_add_row(m, NAME(__VA_ARGS__), (lb), (ub), (nnz), ri, rv) <  \
        0) {                                                                \
      st = CPT_ENOMEM;                                                      \
      goto done;                                                            \
    }                                                                       \
  } while (0)
#define NAME(...) (D_ids ? (snprintf(nm, sizeof nm, __VA_ARGS__), nm) : NULL)

#define DID(d) (D_ids->v[d].id)
#define SID(s) (slots->v[s].id)

/* The model of the opening comment; with D_ids (the doctors table) every
 * column and row gets a readable name (see cpt_rota_build_mip). */
static cpt_status build_model(const cpt_rota *r, const cpt_slots *slots,
                              const cpt_doctors *D_ids,
                              const cpt_rota_solve_params *p,
                              cpt_rota_model *mod, cpt_diags *diags) {
  memset(mod, 0, sizeof *mod);
  char nm[600], day[11];
  cpt_status st = CPT_OK;
  size_t D = r->n_doctors, S = r->n_slots, DS = D * S;
  size_t nrv = (D > S ? D : S) + 3;
  int *ri = malloc(nrv * sizeof *ri);
  double *rv = malloc(nrv * sizeof *rv);
  mod->pin = calloc(DS ? DS : 1, 1);
  mod->col = malloc((DS ? DS : 1) * sizeof *mod->col);
  cpt_mip *m = NULL;
  if (!ri || !rv || !mod->pin || !mod->col) {
    st = CPT_ENOMEM;
    goto done;
  }
  uint8_t *pin = mod->pin;
  int *col = mod->col;
  for (size_t i = 0; i < DS; i++) col[i] = -1;
  for (size_t i = 0; i < r->n_pinned; i++)
    pin[(size_t)r->pinned[i].doctor * S + (size_t)r->pinned[i].slot] = 1;
  mod->clashes = check_pinned(r, slots, D_ids, pin, diags);
  if (mod->clashes > 0) goto done;

  m = mod->m = cpt_mip_new(0);
  if (!m) {
    st = CPT_ENOMEM;
    goto done;
  }
  double c0 = 0;
  /* y columns */
  for (size_t d = 0; d < D; d++)
    for (size_t s = 0; s < S; s++) {
      size_t i = d * S + s;
      int prev = p->previous && p->previous[i];
      if (prev) c0 += p->w_change; /* |y − 1| = 1 − y */
      if (!(r->ds[i] & CPT_DS_ALLOWED)) continue;
      double c = (r->ds[i] & CPT_DS_PREFERRED) ? p->w_preferred : 0.0;
      if (p->previous) c += prev ? -p->w_change : p->w_change;
      ADD_COL(col[i], pin[i] ? 1.0 : 0.0, 1.0, c, 1, "y_%s_%s", DID(d), SID(s));
      mod->n_y++;
    }
  /* coverage */
  for (size_t s = 0; s < S; s++) {
    int nnz = 0;
    int32_t need = slots->v[s].need;
    for (size_t d = 0; d < D; d++)
      if (col[d * S + s] >= 0) {
        ri[nnz] = col[d * S + s];
        rv[nnz++] = 1.0;
      }
    if (nnz == 0) {
      c0 += p->w_under * need;
      continue;
    }
    int u, o;
    if (need > 0) {
      ADD_COL(u, 0.0, (double)need, p->w_under, 0, "u_%s", SID(s));
      ri[nnz] = u;
      rv[nnz++] = 1.0;
    }
    if (nnz - (need > 0) > need) {
      ADD_COL(o, 0.0, (double)(nnz - (need > 0) - need), p->w_over, 0,
              "o_%s", SID(s));
      ri[nnz] = o;
      rv[nnz++] = -1.0;
    }
    ADD_ROW((double)need, (double)need, nnz, "cover_%s", SID(s));
  }
  /* conflicts */
  for (size_t c = 0; c < r->n_conflicts; c++) {
    size_t s = (size_t)r->conflicts[c].s, t = (size_t)r->conflicts[c].t;
    for (size_t d = 0; d < D; d++)
      if (col[d * S + s] >= 0 && col[d * S + t] >= 0) {
        ri[0] = col[d * S + s];
        ri[1] = col[d * S + t];
        rv[0] = rv[1] = 1.0;
        ADD_ROW(-HUGE_VAL, 1.0, 2, "%s_%s_%s_%s",
                (r->conflicts[c].kind & CPT_CONFLICT_OVERLAP) ? "overlap"
                                                               : "rest",
                DID(d), SID(s), SID(t));
      }
  }
  /* limits and fairness */
  for (size_t d = 0; d < D; d++) {
    for (size_t k = 0; k < r->n_days; k++) {
      int nnz = 0;
      for (size_t q = r->day_first[k]; q < r->day_first[k + 1]; q++) {
        int j = col[d * S + (size_t)r->day_slots[q]];
        if (j >= 0) {
          ri[nnz] = j;
          rv[nnz++] = 1.0;
        }
      }
      if (nnz > r->max_per_day[d])
        ADD_ROW(-HUGE_VAL, (double)r->max_per_day[d], nnz, "day_%s_%s", DID(d),
                day_name(r, k, day));
    }
    int nnz = 0;
    for (size_t s = 0; s < S; s++)
      if (col[d * S + s] >= 0) {
        ri[nnz] = col[d * S + s];
        rv[nnz++] = 1.0;
      }
    if (r->max_slots[d] >= 0 && nnz > r->max_slots[d])
      ADD_ROW(-HUGE_VAL, (double)r->max_slots[d], nnz, "week_%s", DID(d));
    double rhs = r->target[d] - (double)r->hist[d];
    if (p->w_fair == 0) continue;
    if (nnz == 0) {
      c0 += p->w_fair * fabs(rhs);
      continue;
    }
    int ca, cb;
    ADD_COL(ca, 0.0, HUGE_VAL, p->w_fair, 0, "a_%s", DID(d));
    ADD_COL(cb, 0.0, HUGE_VAL, p->w_fair, 0, "b_%s", DID(d));
    ri[nnz] = ca;
    rv[nnz] = -1.0;
    ri[nnz + 1] = cb;
    rv[nnz + 1] = 1.0;
    ADD_ROW(rhs, rhs, nnz + 2, "fair_%s", DID(d));
    /* The load n = Σ y is an integer, so |n − τ| (τ = rhs) is at least the
     * line through (⌊τ⌋, f) and (⌈τ⌉, 1 − f), f = τ − ⌊τ⌋: the facet of the
     * convex hull of {(n, |n − τ|) : n ∈ ℤ} that the LP relaxation misses
     * (it can reach n = τ exactly and a zero deviation).  Valid for every
     * integer n, so the optimum is unchanged; the bound becomes tight. */
    double fl = floor(rhs), f = rhs - fl;
    if (f > 1e-9 && f < 1 - 1e-9) {
      for (int q = 0; q < nnz; q++) rv[q] = -(1.0 - 2.0 * f);
      ri[nnz] = ca;
      rv[nnz] = 1.0;
      ri[nnz + 1] = cb;
      rv[nnz + 1] = 1.0;
      ADD_ROW(f - (1.0 - 2.0 * f) * fl, HUGE_VAL, nnz + 2, "fcut_%s", DID(d));
    }
  }
  cpt_mip_set_obj_const(m, c0);
done:
  free(ri);
  free(rv);
  return st;
}
#undef NAME
#undef DID
#undef SID
#undef ADD_COL
#undef ADD_ROW

cpt_status cpt_rota_model_build(const cpt_rota *r, const cpt_slots *slots,
                                const cpt_rota_solve_params *p,
                                cpt_rota_model *mod, cpt_diags *diags) {
  return build_model(r, slots, NULL, p, mod, diags);
}

cpt_status cpt_rota_build_mip(const cpt_rota *r, const cpt_doctors *doctors,
                              const cpt_slots *slots,
                              const cpt_rota_solve_params *p, cpt_mip **out,
                              cpt_diags *diags) {
  cpt_rota_solution *dummy = NULL;
  if (!out || !doctors || doctors->n != (r ? r->n_doctors : 0))
    return CPT_EPARAM;
  *out = NULL;
  cpt_status st = cpt_rota_check_args(r, slots, p, &dummy);
  if (st != CPT_OK) return st;
  cpt_rota_model mod;
  st = build_model(r, slots, doctors, p, &mod, diags);
  if (st == CPT_OK && mod.clashes == 0) {
    *out = mod.m;
    mod.m = NULL;
  }
  cpt_rota_model_free(&mod);
  return st;
}

/* ------------------------------------------------------------ the solve */

cpt_status cpt_rota_solve_mip(const cpt_rota *r, const cpt_slots *slots,
                              const cpt_rota_solve_params *p,
                              cpt_rota_solution **out, cpt_diags *diags) {
  double t0 = cpt_now_s();
  if (out) *out = NULL;
  cpt_status st = cpt_rota_check_args(r, slots, p, out);
  if (st != CPT_OK) return st;
  size_t D = r->n_doctors, S = r->n_slots, DS = D * S;
  cpt_rota_solution *x = cpt_rota_solution_new(D, S);
  cpt_rota_model mod = {0};
  cpt_mip_result res = {0};
  if (!x) {
    st = CPT_ENOMEM;
    goto done;
  }
  if ((st = cpt_rota_model_build(r, slots, p, &mod, diags)) != CPT_OK)
    goto done;
  if (mod.clashes > 0) {
    cpt_rota_solution_set_infeasible(r, slots, p, x);
    x->time_s = cpt_now_s() - t0;
    goto done;
  }
  const int *col = mod.col;
  x->rows = cpt_mip_n_rows(mod.m);
  x->cols = cpt_mip_n_cols(mod.m);
  if (p->verbose && p->log)
    fprintf(p->log, "rota: %ld columns, %ld rows, %zu nonzeros\n", x->cols,
            x->rows, cpt_mip_n_nz(mod.m));

  cpt_mip_params mp;
  cpt_mip_params_init(&mp);
  mp.time_limit_s = p->time_limit_s;
  mp.mip_gap = p->mip_gap;
  mp.stop = p->stop;
  mp.verbose = p->verbose >= 2;
  if (p->log) mp.log = p->log;
  char err[256] = "";
  st = cpt_mip_solve(mod.m, &mp, &res, err, sizeof err);
  if (st != CPT_OK) {
    cpt_diag_error(diags, NULL, 0, 0, "rota: MIP solver failed: %s", err);
    goto done;
  }
  x->nodes = res.nodes;
  x->bound = res.bound;
  x->gap = res.gap;
  if (res.x) {
    x->status = res.status;
    for (size_t i = 0; i < DS; i++)
      x->y[i] = col[i] >= 0 && res.x[col[i]] > 0.5;
  } else if (res.status == CPT_SOLVE_INFEASIBLE) {
    /* y = pinned is feasible once the pinned checks pass */
    cpt_diag_error(diags, NULL, 0, 0,
                   "rota: the solver reports the model infeasible");
    st = CPT_EINTERNAL;
    goto done;
  } else {
    /* stopped before any solution: keep the pinned pairs only */
    x->status = (p->stop && atomic_load(p->stop)) ||
                        res.status == CPT_SOLVE_INTERRUPTED
                    ? CPT_SOLVE_INTERRUPTED
                    : CPT_SOLVE_FEASIBLE;
    for (size_t i = 0; i < DS; i++) x->y[i] = mod.pin[i];
    cpt_diag_warn(diags, NULL, 0, 0,
                  "rota: no solution found before the solver stopped; the "
                  "rota keeps the pinned assignments only");
  }
  if ((st = cpt_rota_solution_fill(r, slots, p, x)) != CPT_OK) goto done;
  if (!res.x) {
    x->gap = isfinite(x->bound) ? fabs(x->bound - x->objective) /
                                      fmax(1.0, fabs(x->objective))
                                : INFINITY;
  }
  x->time_s = cpt_now_s() - t0;
done:
  cpt_mip_result_free(&res);
  cpt_rota_model_free(&mod);
  if (st == CPT_OK) {
    *out = x;
  } else {
    cpt_rota_solution_free(x);
  }
  return st;
}
