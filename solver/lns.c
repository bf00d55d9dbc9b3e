/*
 * lns.c — large-neighbourhood search over a cpt_mip (see lns.h).
 *
 * The incumbent starts at x0, checked and evaluated by one GLPK solve of
 * the model with every column fixed at x0.  Each round then runs U fixed
 * work units in parallel (OpenMP, dynamic schedule, one unit per
 * iteration).  Unit u seeds a splitmix64 generator from
 * seed ^ (round · 0x9E3779B97F4A7C15) ^ (u · 0xBF58476D1CE4E5B9) and draws a
 * neighbourhood: with probability 1/2 a random set of a-groups, taken one
 * by one until at least free_share of the labelled columns are covered,
 * otherwise a window of consecutive b-groups grown from a random start
 * until it covers as much.  Labelled columns outside the neighbourhood are
 * fixed at the incumbent and substituted out (cpt_mip_restrict: the
 * sub-MIP holds only the free columns and the rows they appear in, so
 * GLPK, which runs without presolve when given a start, does not re-solve
 * the whole LP at every node), and the sub-MIP is solved with the
 * incumbent as a start.  After the
 * loop the units' results are merged in unit order: the best strict
 * improvement (beyond 1e-9 relative), by objective then unit index,
 * becomes the incumbent.  The thread count therefore never changes the
 * result.  Every thread of every parallel region releases its GLPK
 * environment before the region ends.
 */
#include "lns.h"
#include "rng.h"

#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

#define CPT_LNS_ERRLEN 256

void cpt_lns_params_init(cpt_lns_params *p) {
  memset(p, 0, sizeof *p);
  p->threads = 0;
  p->seed = 0;
  p->units_per_round = 4;
  p->max_rounds = 200;
  p->stall_rounds = 12;
  p->free_share = 0.15;
  p->time_limit_s = 0.0;
  p->sub_time_limit_s = 10.0;
  p->stop = NULL;
  p->verbose = 0;
  p->log = stderr;
}

void cpt_lns_result_free(cpt_lns_result *r) {
  if (!r)
    return;
  free(r->x);
  r->x = NULL;
}

static void set_err(char *err, size_t errsize, const char *fmt, ...) {
  if (!err || errsize == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errsize, fmt, ap);
  va_end(ap);
}

/* ------------------------------------------------------------ generator */

/* Uniform in [0, k), k ≥ 1. */
static int32_t splitmix_below(uint64_t *s, int32_t k) {
  return (int32_t)(cpt_splitmix64(s) % (uint64_t)k);
}

/* ------------------------------------------------------------- helpers */

/* v made acceptable as a fixed value of column j: rounded if integer,
 * clamped to the column's bounds.  Returns 0 when v lies outside the
 * bounds (tolerance 1e-6 relative) or is fractional for an integer
 * column. */
static int fix_value(const cpt_mip *m, int j, double v, double *out) {
  double lb, ub;
  cpt_mip_col_bounds(m, j, &lb, &ub);
  if (!isfinite(v))
    return 0;
  if (cpt_mip_col_is_integer(m, j)) {
    if (fabs(v - round(v)) > 1e-6)
      return 0;
    v = round(v);
  }
  if (v < lb - 1e-6 * fmax(1.0, fabs(lb)) ||
      v > ub + 1e-6 * fmax(1.0, fabs(ub)))
    return 0;
  *out = fmin(fmax(v, lb), ub);
  return 1;
}

/* a strictly better than b beyond 1e-9 relative. */
static int improves(int maximize, double a, double b) {
  double tol = 1e-9 * fmax(1.0, fabs(b));
  return maximize ? a > b + tol : a < b - tol;
}

static int stop_set(const atomic_int *stop) {
  return stop && atomic_load(stop) != 0;
}

/* ------------------------------------------------------------ complete */

cpt_status cpt_lns_complete(const cpt_mip *m, const int32_t *group_a,
                            const double *xfix, double *x_out, double *obj,
                            int *feasible, char *err, size_t errsize) {
  if (!m || !group_a || !xfix || !x_out || !obj || !feasible) {
    set_err(err, errsize, "cpt_lns_complete: missing argument");
    return CPT_EPARAM;
  }
  *feasible = 0;
  cpt_status st = CPT_OK;
  cpt_mip_result r;
  memset(&r, 0, sizeof r);
  int n = cpt_mip_n_cols(m), nf = 0, violated = 0;
  size_t nn = (size_t)n + 1;
  unsigned char *is_free = malloc(nn);
  int *map = malloc(nn * sizeof *map);
  double *val = calloc(nn, sizeof *val);
  cpt_mip *c = NULL;
  if (!is_free || !map || !val) {
    set_err(err, errsize, "lns: out of memory");
    st = CPT_ENOMEM;
    goto cleanup;
  }
  for (int j = 0; j < n; j++) {
    is_free[j] = group_a[j] < 0;
    if (!is_free[j] && !fix_value(m, j, xfix[j], &val[j]))
      goto cleanup; /* no completion */
  }
  c = cpt_mip_restrict(m, is_free, val, map, &nf, &violated);
  if (!c) {
    set_err(err, errsize, "lns: out of memory");
    st = CPT_ENOMEM;
    goto cleanup;
  }
  if (violated)
    goto cleanup; /* a row of fixed columns only is broken */
  st = cpt_mip_solve(c, NULL, &r, err, errsize);
  if (st != CPT_OK)
    goto cleanup;
  if (r.status == CPT_SOLVE_OPTIMAL || r.status == CPT_SOLVE_FEASIBLE) {
    memcpy(x_out, val, (size_t)n * sizeof *x_out);
    for (int k = 0; k < nf; k++)
      x_out[map[k]] = r.x[k];
    *obj = r.objective;
    *feasible = 1;
  } else if (r.status != CPT_SOLVE_INFEASIBLE) {
    set_err(err, errsize, "lns: completion solve ended %s",
            cpt_solve_status_name(r.status));
    st = CPT_EINTERNAL;
  }
cleanup:
  cpt_mip_result_free(&r);
  cpt_mip_free(c);
  free(is_free);
  free(map);
  free(val);
  cpt_mip_thread_done();
  return st;
}

/* --------------------------------------------------------------- search */

/* Shared, read-only during a round. */
typedef struct lns_ctx {
  const cpt_mip *m;
  const cpt_lns_params *p;
  int n, maximize;
  const int32_t *group_a, *group_b;
  int32_t n_a, n_b;
  int n_lab;               /* labelled columns */
  int *lab;                /* their indices */
  double *lab_lb, *lab_ub; /* their original bounds */
  int *cnt_a, *cnt_b;      /* labelled columns per a-group / b-group */
  int cnt_b_total;         /* labelled columns with a b-group */
  int target;              /* labelled columns a neighbourhood should free */
  const double *inc;       /* incumbent */
  double inc_obj;
} lns_ctx;

/* One thread's workspace. */
typedef struct lns_worker {
  unsigned char *is_free;         /* n: column free in this unit */
  int *map;                       /* n: sub-MIP column → model column */
  double *start;                  /* n: the incumbent on the sub-MIP */
  unsigned char *a_free, *b_free; /* per group: freed this unit */
  int32_t *perm;                  /* n_a */
} lns_worker;

/* One unit's outcome. */
typedef struct lns_unit {
  cpt_status st;
  cpt_solve_status sst;
  int improved;
  double obj;
  double *x; /* n values, preallocated */
  char err[CPT_LNS_ERRLEN];
} lns_unit;

/* Mark the unit's neighbourhood in w->a_free / w->b_free. */
static void draw_neighbourhood(const lns_ctx *c, lns_worker *w, uint64_t *rng) {
  if (c->n_a > 0)
    memset(w->a_free, 0, (size_t)c->n_a);
  if (c->n_b > 0)
    memset(w->b_free, 0, (size_t)c->n_b);
  int can_b = c->n_b > 0 && c->cnt_b_total > 0;
  int can_a = c->n_a > 0;
  int use_a = can_a && (!can_b || (cpt_splitmix64(rng) & 1));
  if (use_a) {
    for (int32_t g = 0; g < c->n_a; g++)
      w->perm[g] = g;
    int covered = 0;
    for (int32_t k = 0; k < c->n_a && covered < c->target; k++) {
      int32_t r = k + splitmix_below(rng, c->n_a - k);
      int32_t g = w->perm[r];
      w->perm[r] = w->perm[k];
      w->perm[k] = g;
      w->a_free[g] = 1;
      covered += c->cnt_a[g];
    }
  } else if (can_b) {
    int32_t s = splitmix_below(rng, c->n_b), e = s;
    int covered = c->cnt_b[s];
    while (covered < c->target && (e < c->n_b - 1 || s > 0)) {
      if (e < c->n_b - 1)
        covered += c->cnt_b[++e];
      else
        covered += c->cnt_b[--s];
    }
    for (int32_t g = s; g <= e; g++)
      w->b_free[g] = 1;
  }
}

static void run_unit(const lns_ctx *c, lns_worker *w, int rnd, int u,
                     lns_unit *out) {
  const cpt_lns_params *p = c->p;
  out->st = CPT_OK;
  out->improved = 0;
  out->err[0] = '\0';
  uint64_t rng = p->seed ^ ((uint64_t)rnd * 0x9E3779B97F4A7C15ULL) ^
                 ((uint64_t)u * 0xBF58476D1CE4E5B9ULL);
  draw_neighbourhood(c, w, &rng);
  for (int j = 0; j < c->n; j++)
    w->is_free[j] = c->group_a[j] < 0;
  for (int k = 0; k < c->n_lab; k++) {
    int j = c->lab[k];
    int32_t gb = c->group_b ? c->group_b[j] : -1;
    int is_free = w->a_free && w->a_free[c->group_a[j]];
    if (!is_free && gb >= 0 && w->b_free)
      is_free = w->b_free[gb];
    w->is_free[j] = (unsigned char)is_free;
  }
  int nf = 0, violated = 0;
  cpt_mip *sub = cpt_mip_restrict(c->m, w->is_free, c->inc, w->map, &nf,
                                  &violated);
  if (!sub) {
    snprintf(out->err, sizeof out->err, "lns: out of memory");
    out->st = CPT_ENOMEM;
    return;
  }
  CPT_REQUIRE(!violated, "lns: the incumbent breaks a row");
  for (int k = 0; k < nf; k++)
    w->start[k] = c->inc[w->map[k]];
  cpt_mip_params mp;
  cpt_mip_params_init(&mp);
  mp.time_limit_s = p->sub_time_limit_s;
  mp.start = w->start;
  mp.stop = p->stop;
  cpt_mip_result r;
  memset(&r, 0, sizeof r);
  out->st = cpt_mip_solve(sub, &mp, &r, out->err, sizeof out->err);
  if (out->st == CPT_OK) {
    out->sst = r.status;
    if (r.x && improves(c->maximize, r.objective, c->inc_obj)) {
      memcpy(out->x, c->inc, (size_t)c->n * sizeof *out->x);
      for (int k = 0; k < nf; k++)
        out->x[w->map[k]] = r.x[k];
      out->obj = r.objective;
      out->improved = 1;
    }
  }
  cpt_mip_result_free(&r);
  cpt_mip_free(sub);
}

static cpt_status check_params(const cpt_mip *m, const int32_t *group_a,
                               int32_t n_a, const int32_t *group_b, int32_t n_b,
                               const double *x0, const cpt_lns_params *p,
                               cpt_lns_result *res, char *err, size_t errsize) {
  if (!m || !group_a || !x0 || !p || !res) {
    set_err(err, errsize, "cpt_lns_solve: missing argument");
    return CPT_EPARAM;
  }
  if (p->threads < 0 || p->units_per_round < 1 || p->max_rounds < 0 ||
      p->stall_rounds < 1 || !(p->free_share > 0.0 && p->free_share <= 1.0) ||
      !isfinite(p->time_limit_s) || p->time_limit_s < 0 ||
      !isfinite(p->sub_time_limit_s) || p->sub_time_limit_s < 0) {
    set_err(err, errsize,
            "lns: invalid parameters (threads ≥ 0, units_per_round ≥ 1, "
            "max_rounds ≥ 0, stall_rounds ≥ 1, 0 < free_share ≤ 1, time "
            "limits ≥ 0)");
    return CPT_EPARAM;
  }
  int n = cpt_mip_n_cols(m);
  for (int j = 0; j < n; j++) {
    if (group_a[j] < -1 || group_a[j] >= (n_a > 0 ? n_a : 0) ||
        (group_b && (group_b[j] < -1 || group_b[j] >= (n_b > 0 ? n_b : 0)))) {
      set_err(err, errsize, "lns: column %d has a group label out of range", j);
      return CPT_EPARAM;
    }
  }
  return CPT_OK;
}

/* Check x0 and evaluate it: solve m with every column fixed at x0.  The
 * checked values go to x.  CPT_EPARAM when x0 is infeasible. */
static cpt_status start_point(const cpt_mip *m, const double *x0, double *x,
                              double *obj, char *err, size_t errsize) {
  int n = cpt_mip_n_cols(m);
  for (int j = 0; j < n; j++)
    if (!fix_value(m, j, x0[j], &x[j])) {
      set_err(err, errsize,
              "lns: start solution violates the bounds or integrality of "
              "column %d",
              j);
      return CPT_EPARAM;
    }
  cpt_mip *c = cpt_mip_copy(m);
  if (!c) {
    set_err(err, errsize, "lns: out of memory");
    return CPT_ENOMEM;
  }
  cpt_status st = CPT_OK;
  cpt_mip_result r;
  memset(&r, 0, sizeof r);
  for (int j = 0; j < n && st == CPT_OK; j++)
    if (cpt_mip_set_col_bounds(c, j, x[j], x[j]) != 0) {
      set_err(err, errsize, "lns: cannot fix column %d", j);
      st = CPT_EINTERNAL;
    }
  if (st == CPT_OK)
    st = cpt_mip_solve(c, NULL, &r, err, errsize);
  if (st == CPT_OK) {
    if (r.status == CPT_SOLVE_OPTIMAL || r.status == CPT_SOLVE_FEASIBLE) {
      *obj = r.objective;
    } else {
      set_err(err, errsize, "lns: start solution is infeasible");
      st = CPT_EPARAM;
    }
  }
  cpt_mip_result_free(&r);
  cpt_mip_free(c);
  return st;
}

static void release_glpk(int nt) {
#pragma omp parallel num_threads(nt)
  cpt_mip_thread_done();
}

cpt_status cpt_lns_solve(const cpt_mip *m, const int32_t *group_a, int32_t n_a,
                         const int32_t *group_b, int32_t n_b, const double *x0,
                         const cpt_lns_params *p, cpt_lns_result *res,
                         char *err, size_t errsize) {
  double t0 = cpt_now_s();
  if (res)
    memset(res, 0, sizeof *res);
  cpt_status st =
      check_params(m, group_a, n_a, group_b, n_b, x0, p, res, err, errsize);
  if (st != CPT_OK)
    return st;
  if (n_a < 0)
    n_a = 0;
  if (n_b < 0 || !group_b)
    n_b = 0;

  lns_ctx c;
  memset(&c, 0, sizeof c);
  c.m = m;
  c.p = p;
  c.n = cpt_mip_n_cols(m);
  c.maximize = cpt_mip_is_maximize(m);
  c.group_a = group_a;
  c.group_b = n_b > 0 ? group_b : NULL;
  c.n_a = n_a;
  c.n_b = n_b;
  int U = p->units_per_round;
  int nt = p->threads > 0 ? p->threads : omp_get_max_threads();
  if (nt > U)
    nt = U;
  if (nt < 1)
    nt = 1;
  FILE *log = p->log ? p->log : stderr;

  double *inc = NULL;
  lns_worker *w = NULL;
  lns_unit *units = NULL;
  size_t n = (size_t)c.n;
  inc = malloc((n ? n : 1) * sizeof *inc);
  c.lab = malloc((n ? n : 1) * sizeof *c.lab);
  c.lab_lb = malloc((n ? n : 1) * sizeof *c.lab_lb);
  c.lab_ub = malloc((n ? n : 1) * sizeof *c.lab_ub);
  c.cnt_a = calloc((size_t)n_a + 1, sizeof *c.cnt_a);
  c.cnt_b = calloc((size_t)n_b + 1, sizeof *c.cnt_b);
  w = calloc((size_t)nt, sizeof *w);
  units = calloc((size_t)U, sizeof *units);
  if (!inc || !c.lab || !c.lab_lb || !c.lab_ub || !c.cnt_a || !c.cnt_b || !w ||
      !units)
    goto nomem;
  for (int t = 0; t < nt; t++) {
    w[t].is_free = malloc(n ? n : 1);
    w[t].map = malloc((n ? n : 1) * sizeof *w[t].map);
    w[t].start = malloc((n ? n : 1) * sizeof *w[t].start);
    w[t].a_free = calloc((size_t)n_a + 1, 1);
    w[t].b_free = calloc((size_t)n_b + 1, 1);
    w[t].perm = malloc(((size_t)n_a + 1) * sizeof *w[t].perm);
    if (!w[t].is_free || !w[t].map || !w[t].start || !w[t].a_free || !w[t].b_free || !w[t].perm)
      goto nomem;
  }
  for (int u = 0; u < U; u++)
    if (!(units[u].x = malloc((n ? n : 1) * sizeof *units[u].x)))
      goto nomem;

  for (int j = 0; j < c.n; j++) {
    if (group_a[j] < 0)
      continue;
    cpt_mip_col_bounds(m, j, &c.lab_lb[c.n_lab], &c.lab_ub[c.n_lab]);
    c.lab[c.n_lab++] = j;
    c.cnt_a[group_a[j]]++;
    if (c.group_b && c.group_b[j] >= 0) {
      c.cnt_b[c.group_b[j]]++;
      c.cnt_b_total++;
    }
  }
  c.target = (int)ceil(p->free_share * c.n_lab);
  if (c.target < 1)
    c.target = 1;

  st = start_point(m, x0, inc, &c.inc_obj, err, errsize);
  if (st != CPT_OK)
    goto cleanup;
  c.inc = inc;

  res->status = CPT_SOLVE_FEASIBLE;
  int stall = 0;
  for (int rnd = 0; rnd < p->max_rounds && stall < p->stall_rounds; rnd++) {
    if (stop_set(p->stop)) {
      res->status = CPT_SOLVE_INTERRUPTED;
      break;
    }
    if (p->time_limit_s > 0 && cpt_now_s() - t0 >= p->time_limit_s) {
      res->hit_time_limit = 1;
      break;
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
    for (int u = 0; u < U; u++) {
      int t = omp_get_thread_num();
      run_unit(&c, &w[t < nt ? t : 0], rnd, u, &units[u]);
    }
    res->rounds++;
    int best = -1;
    for (int u = 0; u < U; u++) {
      if (units[u].st != CPT_OK) {
        st = units[u].st;
        set_err(err, errsize, "%s", units[u].err);
        goto cleanup;
      }
      if (units[u].sst == CPT_SOLVE_FEASIBLE && !stop_set(p->stop))
        res->hit_time_limit = 1;
      if (units[u].improved &&
          (best < 0 || improves(c.maximize, units[u].obj, units[best].obj)))
        best = u;
    }
    if (best >= 0) {
      memcpy(inc, units[best].x, n * sizeof *inc);
      c.inc_obj = units[best].obj;
      res->improvements++;
      stall = 0;
      if (p->verbose)
        fprintf(log, "* lns round %d: objective = %.10g, time = %.2f s\n",
                rnd + 1, c.inc_obj, cpt_now_s() - t0);
    } else {
      stall++;
    }
    if (stop_set(p->stop)) {
      res->status = CPT_SOLVE_INTERRUPTED;
      break;
    }
  }
  res->objective = c.inc_obj;
  res->x = inc;
  inc = NULL;
  goto cleanup;

nomem:
  set_err(err, errsize, "lns: out of memory");
  st = CPT_ENOMEM;
cleanup:
  release_glpk(nt);
  if (w)
    for (int t = 0; t < nt; t++) {
      free(w[t].is_free);
      free(w[t].map);
      free(w[t].start);
      free(w[t].a_free);
      free(w[t].b_free);
      free(w[t].perm);
    }
  if (units)
    for (int u = 0; u < U; u++)
      free(units[u].x);
  free(w);
  free(units);
  free(inc);
  free(c.lab);
  free(c.lab_lb);
  free(c.lab_ub);
  free(c.cnt_a);
  free(c.cnt_b);
  if (res) {
    res->time_s = cpt_now_s() - t0;
    if (st != CPT_OK)
      cpt_lns_result_free(res);
  }
  return st;
}
