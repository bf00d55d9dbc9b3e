/*
 * test_mip.c — the sparse MIP and its GLPK adapter (solver/mip.c).
 *
 * Small random integer programs are checked against exhaustive enumeration
 * in both senses; the rest covers the edges of the adapter: empty and
 * infeasible models, rounded integer bounds, time limits and the stop flag
 * on a hard multi-dimensional knapsack, start solutions, invalid
 * parameters (which GLPK would abort on), LP/MPS files read back by GLPK,
 * and two OpenMP threads solving at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glpk.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../solver/mip.h"
#include "support/brute.h" /* cpt_test_splitmix64 */

/* ------------------------------------------------------------- helpers */

typedef struct rng {
  uint64_t s;
} rng;

static uint64_t rng_next(rng *r) {
  return cpt_test_splitmix64(&r->s);
}

/* Uniform integer in [lo, hi]. */
static int rng_int(rng *r, int lo, int hi) {
  return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A small dense integer program kept for enumeration. */
#define MAXV 10
#define MAXR 4
typedef struct small_ip {
  int n, r, maximize;
  int lb[MAXV], ub[MAXV];
  double c[MAXV], c0;
  double a[MAXR][MAXV], rlb[MAXR], rub[MAXR];
} small_ip;

static cpt_mip *small_to_mip(const small_ip *s) {
  cpt_mip *m = cpt_mip_new(s->maximize);
  assert_non_null(m);
  for (int j = 0; j < s->n; j++)
    assert_int_equal(cpt_mip_add_col(m, NULL, s->lb[j], s->ub[j], s->c[j], 1),
                     j);
  for (int i = 0; i < s->r; i++) {
    int cols[MAXV], k = 0;
    double vals[MAXV];
    for (int j = 0; j < s->n; j++)
      if (s->a[i][j] != 0) cols[k] = j, vals[k++] = s->a[i][j];
    assert_int_equal(cpt_mip_add_row(m, NULL, s->rlb[i], s->rub[i], k, cols,
                                     vals),
                     i);
  }
  cpt_mip_set_obj_const(m, s->c0);
  return m;
}

/* Best objective by enumeration; returns 0 if infeasible. */
static int enumerate(const small_ip *s, double *best) {
  int x[MAXV], found = 0;
  for (int j = 0; j < s->n; j++) x[j] = s->lb[j];
  for (;;) {
    int ok = 1;
    for (int i = 0; i < s->r && ok; i++) {
      double act = 0;
      for (int j = 0; j < s->n; j++) act += s->a[i][j] * x[j];
      ok = act >= s->rlb[i] && act <= s->rub[i];
    }
    if (ok) {
      double f = s->c0;
      for (int j = 0; j < s->n; j++) f += s->c[j] * x[j];
      if (!found || (s->maximize ? f > *best : f < *best)) *best = f;
      found = 1;
    }
    int j = 0;
    while (j < s->n && x[j] == s->ub[j]) x[j] = s->lb[j], j++;
    if (j == s->n) break;
    x[j]++;
  }
  return found;
}

/* Does x satisfy the model (bounds, integrality, rows) within tol? */
static int small_feasible(const small_ip *s, const double *x, double tol) {
  for (int j = 0; j < s->n; j++)
    if (x[j] < s->lb[j] - tol || x[j] > s->ub[j] + tol || x[j] != round(x[j]))
      return 0;
  for (int i = 0; i < s->r; i++) {
    double act = 0;
    for (int j = 0; j < s->n; j++) act += s->a[i][j] * x[j];
    if (act < s->rlb[i] - tol || act > s->rub[i] + tol) return 0;
  }
  return 1;
}

static void random_knapsack(rng *r, small_ip *s) {
  memset(s, 0, sizeof *s);
  s->maximize = 1;
  s->n = rng_int(r, 1, MAXV);
  s->r = rng_int(r, 1, 2);
  for (int j = 0; j < s->n; j++) {
    s->lb[j] = 0, s->ub[j] = 1;
    s->c[j] = rng_int(r, 1, 50);
  }
  for (int i = 0; i < s->r; i++) {
    double sum = 0;
    for (int j = 0; j < s->n; j++) sum += s->a[i][j] = rng_int(r, 1, 40);
    s->rlb[i] = -HUGE_VAL;
    s->rub[i] = floor(sum * rng_int(r, 20, 70) / 100.0);
  }
}

static void random_general(rng *r, small_ip *s, int maximize) {
  memset(s, 0, sizeof *s);
  s->maximize = maximize;
  s->n = rng_int(r, 1, 6);
  s->r = rng_int(r, 0, MAXR);
  s->c0 = rng_int(r, -5, 5) / 2.0;
  for (int j = 0; j < s->n; j++) {
    s->lb[j] = rng_int(r, -3, 1);
    s->ub[j] = s->lb[j] + rng_int(r, 0, 4);
    s->c[j] = rng_int(r, -9, 9);
  }
  for (int i = 0; i < s->r; i++) {
    for (int j = 0; j < s->n; j++)
      s->a[i][j] = rng_int(r, 0, 2) ? rng_int(r, -5, 5) : 0;
    int kind = rng_int(r, 0, 3);
    double v = rng_int(r, -6, 6);
    s->rlb[i] = kind == 1 ? -HUGE_VAL : v;
    s->rub[i] = kind == 0 ? HUGE_VAL : kind == 3 ? v : v + rng_int(r, 0, 6);
  }
}

static void check_bound_side(const cpt_mip_result *res, int maximize) {
  if (!res->x) return;
  if (maximize)
    assert_true(res->bound >= res->objective - 1e-9);
  else
    assert_true(res->bound <= res->objective + 1e-9);
  assert_true(res->gap >= 0);
}

/* Solve s with and without presolve; compare with enumeration. */
static void check_small(const small_ip *s) {
  double best = 0;
  int feasible = enumerate(s, &best);
  cpt_mip *m = small_to_mip(s);
  /* with and without presolve, with and without a (never raised) stop
   * flag: a stop flag makes the adapter run the root LP in slices and
   * GLPK's preprocessor itself */
  atomic_int never = 0;
  for (int v = 0; v < 4; v++) {
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.presolve = v & 1;
    if (v & 2) p.stop = &never;
    cpt_mip_result res;
    char err[256];
    assert_int_equal(cpt_mip_solve(m, &p, &res, err, sizeof err), CPT_OK);
    if (!feasible) {
      assert_int_equal(res.status, CPT_SOLVE_INFEASIBLE);
      assert_null(res.x);
    } else {
      assert_int_equal(res.status, CPT_SOLVE_OPTIMAL);
      assert_non_null(res.x);
      assert_true(fabs(res.objective - best) < 1e-9);
      assert_true(fabs(res.bound - res.objective) < 1e-9);
      assert_true(res.gap == 0.0);
      assert_true(small_feasible(s, res.x, 1e-9));
      check_bound_side(&res, s->maximize);
    }
    cpt_mip_result_free(&res);
  }
  cpt_mip_free(m);
}

/* A multi-dimensional knapsack far too hard for GLPK in a fraction of a
 * second: 60 items, 5 dimensions, correlated values. */
#define HN 60
#define HD 5
#define HARD_C0 5000.0 /* a constant that a lost c0 would show */
typedef struct hard_mkp {
  double w[HD][HN], cap[HD], v[HN];
} hard_mkp;

static cpt_mip *hard_instance(hard_mkp *h, unsigned seed) {
  rng r = {seed};
  cpt_mip *m = cpt_mip_new(1);
  assert_non_null(m);
  for (int d = 0; d < HD; d++) {
    double sum = 0;
    for (int j = 0; j < HN; j++) sum += h->w[d][j] = rng_int(&r, 1, 1000);
    h->cap[d] = floor(sum / 2);
  }
  for (int j = 0; j < HN; j++) {
    double s = 0;
    for (int d = 0; d < HD; d++) s += h->w[d][j];
    h->v[j] = floor(s / HD) + rng_int(&r, 0, 50);
    assert_int_equal(cpt_mip_add_col(m, NULL, 0, 1, h->v[j], 1), j);
  }
  cpt_mip_set_obj_const(m, HARD_C0);
  int cols[HN];
  for (int j = 0; j < HN; j++) cols[j] = j;
  for (int d = 0; d < HD; d++)
    assert_int_equal(
        cpt_mip_add_row(m, NULL, -HUGE_VAL, h->cap[d], HN, cols, h->w[d]), d);
  return m;
}

static int hard_feasible(const hard_mkp *h, const double *x, double *obj) {
  double f = HARD_C0;
  for (int j = 0; j < HN; j++) {
    if (x[j] != 0 && x[j] != 1) return 0;
    f += h->v[j] * x[j];
  }
  for (int d = 0; d < HD; d++) {
    double a = 0;
    for (int j = 0; j < HN; j++) a += h->w[d][j] * x[j];
    if (a > h->cap[d] + 1e-9) return 0;
  }
  *obj = f;
  return 1;
}

/* A result's status agrees with its other fields. */
static void check_consistent(const cpt_mip_result *res, const hard_mkp *h) {
  if (res->status == CPT_SOLVE_NOSOLUTION) {
    assert_null(res->x);
    assert_true(isnan(res->objective));
    return;
  }
  assert_non_null(res->x);
  double f = NAN;
  assert_true(hard_feasible(h, res->x, &f));
  assert_true(fabs(f - res->objective) < 1e-6);
  check_bound_side(res, 1);
  if (isfinite(res->bound)) {
    assert_true(fabs(res->gap - (res->bound - res->objective) /
                                    fmax(1, fabs(res->objective))) < 1e-9);
    assert_true(res->gap < 0.1); /* the LP bound is close on these */
  }
  else
    assert_true(isinf(res->gap));
}

/* ---------------------------------------------------------------- tests */

static void test_mip_knapsack_matches_enumeration(void **state) {
  (void)state;
  rng r = {12345};
  for (int t = 0; t < 60; t++) {
    small_ip s;
    random_knapsack(&r, &s);
    check_small(&s);
  }
}

static void test_mip_general_integer_maximize_matches_enumeration(
    void **state) {
  (void)state;
  rng r = {777};
  for (int t = 0; t < 150; t++) {
    small_ip s;
    random_general(&r, &s, 1);
    check_small(&s);
  }
}

static void test_mip_general_integer_minimize_matches_enumeration(
    void **state) {
  (void)state;
  rng r = {4242};
  for (int t = 0; t < 150; t++) {
    small_ip s;
    random_general(&r, &s, 0);
    check_small(&s);
  }
}

static void test_mip_continuous_columns_mix_with_integers(void **state) {
  (void)state;
  /* max x + y, x + y ≤ 2.5, x integer, y ∈ [0, 0.7] → x = 2, y = 0.5. */
  cpt_mip *m = cpt_mip_new(1);
  cpt_mip_add_col(m, "x", 0, 10, 1, 1);
  cpt_mip_add_col(m, "y", 0, 0.7, 1, 0);
  int cols[] = {0, 1};
  double vals[] = {1, 1};
  cpt_mip_add_row(m, "cap", -HUGE_VAL, 2.5, 2, cols, vals);
  cpt_mip_result res;
  assert_int_equal(cpt_mip_solve(m, NULL, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_OPTIMAL);
  assert_true(fabs(res.objective - 2.5) < 1e-9);
  assert_true(res.x[0] + res.x[1] <= 2.5 + 1e-9);
  assert_true(res.x[0] == round(res.x[0]));
  cpt_mip_result_free(&res);
  cpt_mip_free(m);
}

static void test_mip_infeasible_model_reports_infeasible(void **state) {
  (void)state;
  for (int presolve = 0; presolve <= 1; presolve++) {
    cpt_mip *m = cpt_mip_new(0);
    cpt_mip_add_col(m, "x", 0, 1, 1, 1);
    cpt_mip_add_col(m, "y", 0, 1, 1, 1);
    int cols[] = {0, 1};
    double vals[] = {1, 1};
    cpt_mip_add_row(m, "need3", 3, HUGE_VAL, 2, cols, vals);
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.presolve = presolve;
    cpt_mip_result res;
    assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
    assert_int_equal(res.status, CPT_SOLVE_INFEASIBLE);
    assert_null(res.x);
    assert_true(isnan(res.objective));
    cpt_mip_result_free(&res);
    cpt_mip_free(m);
  }
  /* LP relaxation feasible, no integer point: 2x = 1. */
  cpt_mip *m = cpt_mip_new(1);
  cpt_mip_add_col(m, "x", 0, 5, 1, 1);
  int c0 = 0;
  double two = 2;
  cpt_mip_add_row(m, "half", 1, 1, 1, &c0, &two);
  cpt_mip_result res;
  assert_int_equal(cpt_mip_solve(m, NULL, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_INFEASIBLE);
  cpt_mip_result_free(&res);
  cpt_mip_free(m);
}

static void test_mip_integer_bounds_are_rounded_inward(void **state) {
  (void)state;
  cpt_mip *m = cpt_mip_new(1);
  cpt_mip_add_col(m, "x", 0.5, 2.5, 1, 1);
  cpt_mip_add_col(m, "y", -1.5, 3.7, -1, 1);
  cpt_mip_result res;
  assert_int_equal(cpt_mip_solve(m, NULL, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_OPTIMAL);
  assert_true(res.x[0] == 2 && res.x[1] == -1);
  assert_true(res.objective == 3);
  cpt_mip_result_free(&res);
  /* An integer column with no integer in its bounds: infeasible. */
  cpt_mip_add_col(m, "z", 0.2, 0.8, 0, 1);
  assert_int_equal(cpt_mip_solve(m, NULL, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_INFEASIBLE);
  cpt_mip_result_free(&res);
  cpt_mip_free(m);
}

static void test_mip_empty_model_is_optimal_at_its_constant(void **state) {
  (void)state;
  cpt_mip *m = cpt_mip_new(0);
  cpt_mip_set_obj_const(m, 4.5);
  cpt_mip_result res;
  assert_int_equal(cpt_mip_solve(m, NULL, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_OPTIMAL);
  assert_true(res.objective == 4.5 && res.bound == 4.5 && res.gap == 0);
  assert_non_null(res.x);
  cpt_mip_result_free(&res);
  /* Rows without columns: activity 0 must fit. */
  cpt_mip_add_row(m, "ok", -1, 1, 0, NULL, NULL);
  assert_int_equal(cpt_mip_solve(m, NULL, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_OPTIMAL);
  cpt_mip_result_free(&res);
  cpt_mip_add_row(m, "bad", 1, 2, 0, NULL, NULL);
  assert_int_equal(cpt_mip_solve(m, NULL, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_INFEASIBLE);
  cpt_mip_result_free(&res);
  cpt_mip_free(m);
}

static void test_mip_columns_without_rows_are_solved(void **state) {
  (void)state;
  for (int presolve = 0; presolve <= 1; presolve++) {
    cpt_mip *m = cpt_mip_new(0);
    cpt_mip_add_col(m, "a", -2, 3, 1, 1);  /* → −2 */
    cpt_mip_add_col(m, "b", 0, 4, -2, 0);  /* → 4 */
    cpt_mip_add_col(m, "c", 1, 1, 5, 0);   /* fixed */
    cpt_mip_set_obj_const(m, 1);
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.presolve = presolve;
    cpt_mip_result res;
    assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
    assert_int_equal(res.status, CPT_SOLVE_OPTIMAL);
    assert_true(fabs(res.objective - (1 - 2 - 8 + 5)) < 1e-9);
    cpt_mip_result_free(&res);
    cpt_mip_free(m);
  }
}

static void test_mip_unbounded_model_is_an_internal_error(void **state) {
  (void)state;
  for (int presolve = 0; presolve <= 1; presolve++) {
    cpt_mip *m = cpt_mip_new(1);
    cpt_mip_add_col(m, "x", 0, HUGE_VAL, 1, 1);
    cpt_mip_add_col(m, "y", 0, HUGE_VAL, 0, 1);
    int cols[] = {0, 1};
    double vals[] = {1, -1};
    cpt_mip_add_row(m, "r", -HUGE_VAL, 3, 2, cols, vals);
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.presolve = presolve;
    cpt_mip_result res;
    char err[256] = "";
    assert_int_equal(cpt_mip_solve(m, &p, &res, err, sizeof err),
                     CPT_EINTERNAL);
    assert_non_null(strstr(err, "unbounded"));
    assert_null(res.x);
    cpt_mip_free(m);
  }
}

static void test_mip_bound_never_on_wrong_side_of_objective(void **state) {
  (void)state;
  /* Exhaustive and gap-stopped solves, both senses. */
  hard_mkp h;
  cpt_mip *m = hard_instance(&h, 99);
  for (int k = 0; k < 3; k++) {
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.mip_gap = k == 0 ? 0.05 : 0.01;
    p.time_limit_s = k == 2 ? 0.1 : 2.0;
    cpt_mip_result res;
    assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
    check_consistent(&res, &h);
    if (res.status == CPT_SOLVE_OPTIMAL && isfinite(res.bound))
      assert_true(res.gap <= p.mip_gap + 1e-9);
    cpt_mip_result_free(&res);
  }
  cpt_mip_free(m);
  rng r = {31337};
  for (int t = 0; t < 40; t++) {
    small_ip s;
    random_general(&r, &s, t % 2);
    cpt_mip *sm = small_to_mip(&s);
    cpt_mip_result res;
    assert_int_equal(cpt_mip_solve(sm, NULL, &res, NULL, 0), CPT_OK);
    check_bound_side(&res, s.maximize);
    cpt_mip_result_free(&res);
    cpt_mip_free(sm);
  }
}

static void test_mip_time_limit_stops_hard_instance(void **state) {
  (void)state;
  hard_mkp h;
  cpt_mip *m = hard_instance(&h, 7);
  for (int presolve = 0; presolve <= 1; presolve++) {
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.presolve = presolve;
    p.time_limit_s = 0.2;
    cpt_mip_result res;
    double t0 = now_s();
    assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
    double wall = now_s() - t0;
    assert_true(wall < 5.0);
    assert_true(res.time_s > 0 && res.time_s <= wall + 1e-3);
    assert_true(res.status == CPT_SOLVE_FEASIBLE ||
                res.status == CPT_SOLVE_NOSOLUTION);
    check_consistent(&res, &h);
    if (res.status == CPT_SOLVE_FEASIBLE) {
      assert_true(res.nodes > 0);
      assert_true(res.bound > res.objective); /* a real, tracked bound */
    }
    cpt_mip_result_free(&res);
  }
  cpt_mip_free(m);
}

static void test_mip_stop_flag_before_solve_interrupts(void **state) {
  (void)state;
  hard_mkp h;
  cpt_mip *m = hard_instance(&h, 8);
  atomic_int stop = 1;
  cpt_mip_params p;
  cpt_mip_params_init(&p);
  p.stop = &stop;
  cpt_mip_result res;
  assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_NOSOLUTION);
  assert_null(res.x);
  cpt_mip_result_free(&res);
  /* With a feasible start, that start is the interrupted answer. */
  double x[HN] = {0};
  x[0] = 1;
  p.start = x;
  assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_INTERRUPTED);
  assert_true(res.objective == HARD_C0 + h.v[0]);
  check_consistent(&res, &h);
  cpt_mip_result_free(&res);
  cpt_mip_free(m);
}

static void test_mip_stop_flag_during_solve_interrupts(void **state) {
  (void)state;
  hard_mkp h;
  cpt_mip *m = hard_instance(&h, 9);
  atomic_int stop = 0;
  cpt_mip_result res;
  cpt_status st = CPT_EINTERNAL;
  double wall = 0;
#pragma omp parallel num_threads(2)
  {
    if (omp_get_thread_num() == 0) {
      cpt_mip_params p;
      cpt_mip_params_init(&p);
      p.stop = &stop;
      p.time_limit_s = 30; /* a safety net only */
      double t0 = now_s();
      st = cpt_mip_solve(m, &p, &res, NULL, 0);
      wall = now_s() - t0;
      cpt_mip_thread_done();
    } else {
      nanosleep(&(struct timespec){0, 200000000L}, NULL);
      atomic_store(&stop, 1);
    }
  }
  assert_int_equal(st, CPT_OK);
  assert_true(wall < 10.0);
  /* GLPK's rounding heuristic finds a solution at the root, long before
   * the flag is raised. */
  assert_int_equal(res.status, CPT_SOLVE_INTERRUPTED);
  check_consistent(&res, &h);
  cpt_mip_result_free(&res);
  cpt_mip_free(m);
}

static void test_mip_start_solution_is_accepted(void **state) {
  (void)state;
  rng r = {2024};
  for (int t = 0; t < 10; t++) {
    small_ip s;
    random_knapsack(&r, &s);
    s.n = MAXV;
    for (int j = 0; j < s.n; j++) s.lb[j] = 0, s.ub[j] = 1;
    cpt_mip *m = small_to_mip(&s);
    cpt_mip_result opt, res;
    assert_int_equal(cpt_mip_solve(m, NULL, &opt, NULL, 0), CPT_OK);
    assert_int_equal(opt.status, CPT_SOLVE_OPTIMAL);
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.start = opt.x;
    assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
    assert_int_equal(res.status, CPT_SOLVE_OPTIMAL);
    assert_true(fabs(res.objective - opt.objective) < 1e-9);
    assert_true(small_feasible(&s, res.x, 1e-9));
    cpt_mip_result_free(&res);
    cpt_mip_result_free(&opt);
    cpt_mip_free(m);
  }
}

static void test_mip_start_is_offered_to_glpk(void **state) {
  (void)state;
  hard_mkp h;
  cpt_mip *m = hard_instance(&h, 10);
  /* A greedy start: items in order while they fit. */
  double x[HN] = {0}, load[HD] = {0}, fstart = HARD_C0;
  for (int j = 0; j < HN; j++) {
    int fits = 1;
    for (int d = 0; d < HD; d++) fits &= load[d] + h.w[d][j] <= h.cap[d];
    if (!fits) continue;
    x[j] = 1, fstart += h.v[j];
    for (int d = 0; d < HD; d++) load[d] += h.w[d][j];
  }
  cpt_mip_params p;
  cpt_mip_params_init(&p);
  p.start = x;
  p.time_limit_s = 0.2;
  p.verbose = 1;
  p.log = tmpfile();
  cpt_mip_result res;
  assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_FEASIBLE);
  assert_true(res.objective >= fstart);
  check_consistent(&res, &h);
  char buf[1 << 16];
  rewind(p.log);
  size_t len = fread(buf, 1, sizeof buf - 1, p.log);
  buf[len] = '\0';
  /* GLPK announces the start (its own heuristics find other values). */
  char says[80];
  snprintf(says, sizeof says, "Solution found by heuristic: %.12g\n", fstart);
  assert_non_null(strstr(buf, says));
  assert_non_null(strstr(buf, "* mip: obj = "));
  fclose(p.log);
  cpt_mip_result_free(&res);
  /* An infeasible start (everything packed) is ignored. */
  for (int j = 0; j < HN; j++) x[j] = 1;
  p.verbose = 0;
  assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
  check_consistent(&res, &h);
  cpt_mip_result_free(&res);
  cpt_mip_free(m);
}

static void test_mip_invalid_params_rejected_before_glpk(void **state) {
  (void)state;
  hard_mkp h;
  cpt_mip *m = hard_instance(&h, 11);
  const double bad_time[] = {-1, NAN, INFINITY, 1e12};
  const double bad_gap[] = {2, -0.1, NAN};
  cpt_mip_result res;
  char err[256];
  for (size_t k = 0; k < sizeof bad_time / sizeof *bad_time; k++) {
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.time_limit_s = bad_time[k];
    err[0] = '\0';
    assert_int_equal(cpt_mip_solve(m, &p, &res, err, sizeof err), CPT_EPARAM);
    assert_non_null(strstr(err, "time limit"));
    assert_null(res.x);
  }
  for (size_t k = 0; k < sizeof bad_gap / sizeof *bad_gap; k++) {
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.mip_gap = bad_gap[k];
    err[0] = '\0';
    assert_int_equal(cpt_mip_solve(m, &p, &res, err, sizeof err), CPT_EPARAM);
    assert_non_null(strstr(err, "gap"));
  }
  assert_int_equal(cpt_mip_solve(m, NULL, NULL, err, sizeof err), CPT_EPARAM);
  assert_int_equal(cpt_mip_solve(NULL, NULL, &res, err, sizeof err),
                   CPT_EPARAM);
  assert_int_equal(cpt_mip_write(m, "/tmp/x", 'q'), CPT_EPARAM);
  cpt_mip_free(m);
}

static void test_mip_builder_rejects_bad_columns_and_rows(void **state) {
  (void)state;
  cpt_mip *m = cpt_mip_new(0);
  assert_int_equal(cpt_mip_add_col(m, "a", 2, 1, 0, 0), -1);
  assert_int_equal(cpt_mip_add_col(m, "a", NAN, 1, 0, 0), -1);
  assert_int_equal(cpt_mip_add_col(m, "a", HUGE_VAL, HUGE_VAL, 0, 0), -1);
  assert_int_equal(cpt_mip_add_col(m, "a", 0, 1, INFINITY, 0), -1);
  assert_int_equal(cpt_mip_add_col(m, "a", 0, 1, 1, 0), 0);
  assert_int_equal(cpt_mip_add_col(m, NULL, -HUGE_VAL, HUGE_VAL, 1, 1), 1);
  int dup[] = {0, 1, 0}, out[] = {0, 2}, neg[] = {-1};
  double v[] = {1, 2, 3};
  assert_int_equal(cpt_mip_add_row(m, "d", 0, 1, 3, dup, v), -1);
  assert_int_equal(cpt_mip_add_row(m, "o", 0, 1, 2, out, v), -1);
  assert_int_equal(cpt_mip_add_row(m, "n", 0, 1, 1, neg, v), -1);
  assert_int_equal(cpt_mip_add_row(m, "b", 1, 0, 2, dup, v), -1);
  double nanv[] = {NAN, 1};
  assert_int_equal(cpt_mip_add_row(m, "v", 0, 1, 2, dup, nanv), -1);
  double withzero[] = {0, 2};
  assert_int_equal(cpt_mip_add_row(m, "z", 0, 1, 2, dup, withzero), 0);
  assert_int_equal(cpt_mip_add_row(m, "ok", 0, 1, 2, dup, v), 1);
  assert_int_equal(cpt_mip_n_cols(m), 2);
  assert_int_equal(cpt_mip_n_rows(m), 2);
  assert_int_equal((int)cpt_mip_n_nz(m), 3);
  cpt_mip_add_obj(m, 0, 2.5);
  /* Many columns and rows exercise the growth paths. */
  for (int j = 0; j < 1000; j++)
    assert_int_equal(cpt_mip_add_col(m, NULL, 0, 1, -1, 1), j + 2);
  for (int i = 0; i < 500; i++) {
    int c[] = {2 + 2 * i, 3 + 2 * i};
    double w[] = {1, 1};
    assert_int_equal(cpt_mip_add_row(m, NULL, -HUGE_VAL, 1, 2, c, w), i + 2);
  }
  cpt_mip_result res;
  assert_int_equal(cpt_mip_solve(m, NULL, &res, NULL, 0), CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_OPTIMAL);
  /* Row "z" (2b ∈ [0, 1]) pins the free integer b to 0, a = 0 as its
   * cost is 3.5, and one item of each of the 500 pairs is taken. */
  assert_true(fabs(res.objective - (-500)) < 1e-9);
  cpt_mip_result_free(&res);
  cpt_mip_free(m);
  cpt_mip_free(NULL);
  cpt_mip_result_free(NULL);
}

/* Solve a file GLPK reads back; returns the optimum (presolve on). */
static double solve_file(const char *path, char format) {
  glp_prob *P = glp_create_prob();
  int ret = format == 'l' ? glp_read_lp(P, NULL, path)
                          : glp_read_mps(P, GLP_MPS_FILE, NULL, path);
  assert_int_equal(ret, 0);
  glp_iocp io;
  glp_init_iocp(&io);
  io.msg_lev = GLP_MSG_OFF;
  io.presolve = GLP_ON;
  assert_int_equal(glp_intopt(P, &io), 0);
  assert_int_equal(glp_mip_status(P), GLP_OPT);
  double f = glp_mip_obj_val(P);
  glp_delete_prob(P);
  return f;
}

static void test_mip_lp_and_mps_files_read_back_to_same_optimum(void **state) {
  (void)state;
  glp_term_out(GLP_OFF);
  char lp[] = "/tmp/test_mip_XXXXXX";
  int fd = mkstemp(lp);
  assert_true(fd >= 0);
  close(fd);
  rng r = {555};
  for (int t = 0; t < 20; t++) {
    small_ip s;
    do random_general(&r, &s, t % 2);
    while (!enumerate(&s, &(double){0}));
    double best;
    enumerate(&s, &best);
    cpt_mip *m = cpt_mip_new(s.maximize);
    /* Names that need fixing: spaces, a leading digit, a keyword,
     * duplicates, too long. */
    static const char *names[] = {"x y", "1st", "free", "dup", "dup", NULL};
    char longname[400];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    for (int j = 0; j < s.n; j++)
      cpt_mip_add_col(m, j == 5 ? longname : names[j], s.lb[j], s.ub[j],
                      s.c[j], 1);
    for (int i = 0; i < s.r; i++) {
      int cols[MAXV], k = 0;
      double vals[MAXV];
      for (int j = 0; j < s.n; j++)
        if (s.a[i][j] != 0) cols[k] = j, vals[k++] = s.a[i][j];
      cpt_mip_add_row(m, i % 2 ? "row" : "row", s.rlb[i], s.rub[i], k, cols,
                      vals);
    }
    int all[MAXV];
    double ones[MAXV];
    for (int j = 0; j < s.n; j++) all[j] = j, ones[j] = 1;
    cpt_mip_add_row(m, "free row", -HUGE_VAL, HUGE_VAL, s.n, all, ones);
    cpt_mip_set_obj_const(m, s.c0);
    cpt_mip_result res;
    assert_int_equal(cpt_mip_solve(m, NULL, &res, NULL, 0), CPT_OK);
    assert_true(fabs(res.objective - best) < 1e-9);
    assert_int_equal(cpt_mip_write(m, lp, 'l'), CPT_OK);
    assert_true(fabs(solve_file(lp, 'l') - best) < 1e-9);
    assert_int_equal(cpt_mip_write(m, lp, 'm'), CPT_OK);
    /* MPS knows no maximization: the objective is negated. */
    assert_true(fabs(solve_file(lp, 'm') - (s.maximize ? -best : best)) <
                1e-9);
    cpt_mip_result_free(&res);
    cpt_mip_free(m);
  }
  /* Empty models still make readable files. */
  cpt_mip *m = cpt_mip_new(1);
  cpt_mip_set_obj_const(m, 2);
  assert_int_equal(cpt_mip_write(m, lp, 'l'), CPT_OK);
  assert_true(fabs(solve_file(lp, 'l') - 2) < 1e-9);
  assert_int_equal(cpt_mip_write(m, lp, 'm'), CPT_OK);
  assert_true(fabs(solve_file(lp, 'm') - -2) < 1e-9);
  assert_int_equal(cpt_mip_write(m, "/nonexistent/dir/x.lp", 'l'), CPT_EIO);
  cpt_mip_free(m);
  unlink(lp);
  glp_term_out(GLP_ON);
}

/* cpt_mip_restrict: fixing columns by bounds (enumerated) and substituting
 * them out (solved by GLPK) give the same optimum, or both no solution. */
static void test_mip_restrict_matches_fixed_enumeration(void **state) {
  (void)state;
  rng r = {77};
  for (int it = 0; it < 300; it++) {
    small_ip s;
    random_general(&r, &s, (int)(rng_next(&r) & 1));
    cpt_mip *m = small_to_mip(&s);
    unsigned char is_free[MAXV];
    double val[MAXV];
    int map[MAXV];
    small_ip f = s;
    for (int j = 0; j < s.n; j++) {
      is_free[j] = (unsigned char)rng_int(&r, 0, 1);
      val[j] = rng_int(&r, s.lb[j], s.ub[j]);
      if (!is_free[j]) f.lb[j] = f.ub[j] = (int)val[j];
    }
    double best = 0;
    int found = enumerate(&f, &best);
    int nf = -1, violated = -1;
    cpt_mip *sub = cpt_mip_restrict(m, is_free, val, map, &nf, &violated);
    assert_non_null(sub);
    int expect_nf = 0;
    for (int j = 0; j < s.n; j++)
      if (is_free[j]) assert_int_equal(map[expect_nf++], j);
    assert_int_equal(nf, expect_nf);
    assert_int_equal(cpt_mip_n_cols(sub), nf);
    if (violated) {
      assert_false(found);
    } else {
      cpt_mip_result res;
      assert_int_equal(cpt_mip_solve(sub, NULL, &res, NULL, 0), CPT_OK);
      if (found) {
        assert_int_equal(res.status, CPT_SOLVE_OPTIMAL);
        assert_true(fabs(res.objective - best) < 1e-6);
        double x[MAXV];
        for (int j = 0; j < s.n; j++) x[j] = val[j];
        for (int k = 0; k < nf; k++) x[map[k]] = res.x[k];
        assert_true(small_feasible(&s, x, 1e-6));
      } else {
        assert_int_equal(res.status, CPT_SOLVE_INFEASIBLE);
      }
      cpt_mip_result_free(&res);
    }
    cpt_mip_free(sub);
    cpt_mip_free(m);
  }
  cpt_mip_thread_done();
}

static void test_mip_two_threads_match_sequential(void **state) {
  (void)state;
  enum { K = 4 };
  hard_mkp h[K];
  cpt_mip *m[K];
  cpt_mip_result seq[K], par[K];
  cpt_status st[K];
  for (int k = 0; k < K; k++) {
    m[k] = hard_instance(&h[k], 100 + (unsigned)k);
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.mip_gap = 0.01; /* deterministic: no time limit, gap stop */
    assert_int_equal(cpt_mip_solve(m[k], &p, &seq[k], NULL, 0), CPT_OK);
  }
#pragma omp parallel for num_threads(2) schedule(static, 1)
  for (int k = 0; k < K; k++) {
    cpt_mip_params p;
    cpt_mip_params_init(&p);
    p.mip_gap = 0.01;
    st[k] = cpt_mip_solve(m[k], &p, &par[k], NULL, 0);
    cpt_mip_thread_done();
  }
  for (int k = 0; k < K; k++) {
    assert_int_equal(st[k], CPT_OK);
    assert_int_equal(par[k].status, seq[k].status);
    assert_true(par[k].objective == seq[k].objective);
    assert_true(par[k].bound == seq[k].bound);
    assert_int_equal(par[k].nodes, seq[k].nodes);
    assert_memory_equal(par[k].x, seq[k].x, HN * sizeof(double));
    cpt_mip_result_free(&par[k]);
    cpt_mip_result_free(&seq[k]);
    cpt_mip_free(m[k]);
  }
}

static void test_mip_quiet_unless_verbose(void **state) {
  (void)state;
  small_ip s;
  rng r = {1};
  random_knapsack(&r, &s);
  cpt_mip *m = small_to_mip(&s);
  cpt_mip_params p;
  cpt_mip_params_init(&p);
  p.log = tmpfile();
  cpt_mip_result res;
  assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
  cpt_mip_result_free(&res);
  assert_int_equal(ftell(p.log), 0);
  p.verbose = 1;
  assert_int_equal(cpt_mip_solve(m, &p, &res, NULL, 0), CPT_OK);
  cpt_mip_result_free(&res);
  assert_true(ftell(p.log) > 0);
  fclose(p.log);
  cpt_mip_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mip_knapsack_matches_enumeration),
      cmocka_unit_test(test_mip_restrict_matches_fixed_enumeration),
      cmocka_unit_test(test_mip_general_integer_maximize_matches_enumeration),
      cmocka_unit_test(test_mip_general_integer_minimize_matches_enumeration),
      cmocka_unit_test(test_mip_continuous_columns_mix_with_integers),
      cmocka_unit_test(test_mip_infeasible_model_reports_infeasible),
      cmocka_unit_test(test_mip_integer_bounds_are_rounded_inward),
      cmocka_unit_test(test_mip_empty_model_is_optimal_at_its_constant),
      cmocka_unit_test(test_mip_columns_without_rows_are_solved),
      cmocka_unit_test(test_mip_unbounded_model_is_an_internal_error),
      cmocka_unit_test(test_mip_bound_never_on_wrong_side_of_objective),
      cmocka_unit_test(test_mip_time_limit_stops_hard_instance),
      cmocka_unit_test(test_mip_stop_flag_before_solve_interrupts),
      cmocka_unit_test(test_mip_stop_flag_during_solve_interrupts),
      cmocka_unit_test(test_mip_start_solution_is_accepted),
      cmocka_unit_test(test_mip_start_is_offered_to_glpk),
      cmocka_unit_test(test_mip_invalid_params_rejected_before_glpk),
      cmocka_unit_test(test_mip_builder_rejects_bad_columns_and_rows),
      cmocka_unit_test(test_mip_lp_and_mps_files_read_back_to_same_optimum),
      cmocka_unit_test(test_mip_two_threads_match_sequential),
      cmocka_unit_test(test_mip_quiet_unless_verbose),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  cpt_mip_thread_done();
  return rc;
}
