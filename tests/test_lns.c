/*
 * test_lns.c — large-neighbourhood search over a cpt_mip (solver/lns.c).
 *
 * Random generalized assignment problems (agents = a-groups, jobs grouped
 * by day = b-groups, binary x_ij labelled (agent, day), one capacity row
 * per agent, each job done at most once, maximize value) are small enough
 * for cpt_mip_solve to give the exact optimum, which the search must reach
 * from the all-zero start.  Rows are checked here, independently of GLPK.
 * The rest covers determinism across thread counts, the stop flag,
 * infeasible starts and bad parameters, and cpt_lns_complete on a model
 * with a slack column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/lns.h"
#include "../solver/mip.h"
#include "support/brute.h" /* cpt_test_splitmix64 */

/* ------------------------------------------------------------- helpers */

typedef struct rng {
  uint64_t s;
} rng;

static uint64_t rng_next(rng *r) {
  return cpt_test_splitmix64(&r->s);
}

static int rng_int(rng *r, int lo, int hi) {
  return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

#define MAXA 6
#define MAXJ 10

/* A generalized assignment problem; column i * nj + j is x_ij. */
typedef struct gap {
  int na, nj, nd;
  int day[MAXJ];
  double w[MAXA][MAXJ], v[MAXA][MAXJ], cap[MAXA];
  cpt_mip *m;
  int32_t ga[MAXA * MAXJ], gb[MAXA * MAXJ];
} gap;

static void gap_build(gap *g, uint64_t seed, int na, int nj, int nd) {
  rng r = {seed};
  memset(g, 0, sizeof *g);
  g->na = na, g->nj = nj, g->nd = nd;
  for (int j = 0; j < nj; j++)
    g->day[j] = j * nd / nj;
  for (int i = 0; i < na; i++) {
    double tot = 0;
    for (int j = 0; j < nj; j++) {
      g->w[i][j] = rng_int(&r, 1, 9);
      g->v[i][j] = rng_int(&r, 1, 20);
      tot += g->w[i][j];
    }
    g->cap[i] = floor(tot * 0.3);
  }
  g->m = cpt_mip_new(1);
  assert_non_null(g->m);
  for (int i = 0; i < na; i++)
    for (int j = 0; j < nj; j++) {
      int c = i * nj + j;
      assert_int_equal(cpt_mip_add_col(g->m, NULL, 0, 1, g->v[i][j], 1), c);
      g->ga[c] = i;
      g->gb[c] = g->day[j];
    }
  int cols[MAXA * MAXJ];
  double vals[MAXA * MAXJ];
  for (int i = 0; i < na; i++) {
    for (int j = 0; j < nj; j++)
      cols[j] = i * nj + j, vals[j] = g->w[i][j];
    assert_true(
        cpt_mip_add_row(g->m, NULL, -HUGE_VAL, g->cap[i], nj, cols, vals) >= 0);
  }
  for (int j = 0; j < nj; j++) {
    for (int i = 0; i < na; i++)
      cols[i] = i * nj + j, vals[i] = 1;
    assert_true(cpt_mip_add_row(g->m, NULL, -HUGE_VAL, 1, na, cols, vals) >= 0);
  }
}

/* x is a 0/1 vector satisfying every row; returns its value. */
static double gap_check(const gap *g, const double *x) {
  double val = 0;
  for (int i = 0; i < g->na; i++) {
    double load = 0;
    for (int j = 0; j < g->nj; j++) {
      double xv = x[i * g->nj + j];
      assert_true(xv == 0.0 || xv == 1.0);
      load += g->w[i][j] * xv;
      val += g->v[i][j] * xv;
    }
    assert_true(load <= g->cap[i] + 1e-9);
  }
  for (int j = 0; j < g->nj; j++) {
    double s = 0;
    for (int i = 0; i < g->na; i++)
      s += x[i * g->nj + j];
    assert_true(s <= 1.0 + 1e-9);
  }
  return val;
}

static double gap_optimum(const gap *g) {
  cpt_mip_result r;
  assert_int_equal(cpt_mip_solve(g->m, NULL, &r, NULL, 0), CPT_OK);
  assert_int_equal(r.status, CPT_SOLVE_OPTIMAL);
  double opt = r.objective;
  assert_true(fabs(gap_check(g, r.x) - opt) < 1e-6);
  cpt_mip_result_free(&r);
  cpt_mip_thread_done();
  return opt;
}

static void lns_params(cpt_lns_params *p, uint64_t seed, int threads) {
  cpt_lns_params_init(p);
  p->seed = seed;
  p->threads = threads;
  p->free_share = 0.4;
  p->stall_rounds = 40;
  p->max_rounds = 400;
}

/* ---------------------------------------------------------------- tests */

static void
test_lns_reaches_the_optimum_of_small_assignment_problems(void **state) {
  (void)state;
  for (uint64_t s = 1; s <= 6; s++) {
    gap g;
    gap_build(&g, s, 3 + (int)(s % 4), 6 + (int)(s % 5), 3 + (int)(s % 3));
    double opt = gap_optimum(&g);
    int n = g.na * g.nj;
    double x0[MAXA * MAXJ] = {0};
    cpt_lns_params p;
    lns_params(&p, 100 + s, 2);
    cpt_lns_result res;
    char err[256] = "";
    assert_int_equal(cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x0, &p, &res,
                                   err, sizeof err),
                     CPT_OK);
    assert_int_equal(res.status, CPT_SOLVE_FEASIBLE);
    assert_int_equal(res.hit_time_limit, 0);
    double val = gap_check(&g, res.x);
    assert_true(fabs(val - res.objective) < 1e-6);
    if (fabs(res.objective - opt) > 1e-6)
      fail_msg("seed %d: lns %g, optimum %g", (int)s, res.objective, opt);
    assert_true(opt > 0);
    assert_true(res.improvements >= 1);
    (void)n;
    cpt_lns_result_free(&res);
    cpt_mip_free(g.m);
  }
}

static void
test_lns_objective_never_decreases_and_x_stays_feasible(void **state) {
  (void)state;
  gap g;
  gap_build(&g, 42, 6, 10, 5);
  double x0[MAXA * MAXJ] = {0};
  /* A feasible non-zero start: each agent takes its first job if it fits
   * and the job is free. */
  for (int i = 0; i < g.na && i < g.nj; i++)
    if (g.w[i][i] <= g.cap[i])
      x0[i * g.nj + i] = 1;
  double v0 = gap_check(&g, x0);
  FILE *log = tmpfile();
  assert_non_null(log);
  cpt_lns_params p;
  lns_params(&p, 7, 2);
  p.free_share = 0.15;
  p.stall_rounds = 10;
  p.verbose = 1;
  p.log = log;
  cpt_lns_result res;
  assert_int_equal(
      cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x0, &p, &res, NULL, 0),
      CPT_OK);
  assert_true(fabs(gap_check(&g, res.x) - res.objective) < 1e-6);
  assert_true(res.objective >= v0 - 1e-9);
  rewind(log);
  char line[256];
  double prev = v0;
  int lines = 0, prev_round = 0;
  while (fgets(line, sizeof line, log)) {
    int rnd;
    double obj, t;
    assert_int_equal(sscanf(line,
                            "* lns round %d: objective = %lf, time = %lf s",
                            &rnd, &obj, &t),
                     3);
    assert_true(obj > prev);
    assert_true(rnd > prev_round);
    prev = obj, prev_round = rnd;
    lines++;
  }
  assert_int_equal(lines, res.improvements);
  assert_true(lines >= 1);
  if (lines)
    assert_true(fabs(prev - res.objective) < 1e-6);
  assert_true(res.rounds >= p.stall_rounds);
  fclose(log);
  cpt_lns_result_free(&res);
  cpt_mip_free(g.m);
}

static void
test_lns_gives_identical_results_with_one_and_two_threads(void **state) {
  (void)state;
  for (uint64_t s = 11; s <= 13; s++) {
    gap g;
    gap_build(&g, s, 6, 10, 5);
    int n = g.na * g.nj;
    double x0[MAXA * MAXJ] = {0};
    cpt_lns_result r1, r2;
    cpt_lns_params p;
    lns_params(&p, 99, 1);
    p.free_share = 0.2;
    p.stall_rounds = 8;
    p.units_per_round = 5;
    assert_int_equal(
        cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x0, &p, &r1, NULL, 0),
        CPT_OK);
    p.threads = 2;
    assert_int_equal(
        cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x0, &p, &r2, NULL, 0),
        CPT_OK);
    assert_memory_equal(r1.x, r2.x, (size_t)n * sizeof *r1.x);
    assert_true(r1.objective == r2.objective);
    assert_int_equal(r1.rounds, r2.rounds);
    assert_int_equal(r1.improvements, r2.improvements);
    assert_true(r1.improvements >= 2);
    if (getenv("LNS_TEST_VERBOSE"))
      fprintf(stderr, "seed %d: %d rounds, %d improvements, objective %g\n",
              (int)s, r1.rounds, r1.improvements, r1.objective);
    cpt_lns_result_free(&r1);
    cpt_lns_result_free(&r2);
    cpt_mip_free(g.m);
  }
}

static void test_lns_other_seeds_stay_feasible(void **state) {
  (void)state;
  gap g;
  gap_build(&g, 5, 5, 9, 3);
  double x0[MAXA * MAXJ] = {0};
  for (uint64_t seed = 1; seed <= 3; seed++) {
    cpt_lns_params p;
    lns_params(&p, seed * 1000003, 0);
    p.free_share = 0.15;
    p.stall_rounds = 5;
    cpt_lns_result res;
    assert_int_equal(
        cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x0, &p, &res, NULL, 0),
        CPT_OK);
    assert_true(fabs(gap_check(&g, res.x) - res.objective) < 1e-6);
    cpt_lns_result_free(&res);
  }
  /* Without b-groups only agents are freed; still feasible. */
  cpt_lns_params p;
  lns_params(&p, 3, 1);
  p.stall_rounds = 5;
  cpt_lns_result res;
  assert_int_equal(
      cpt_lns_solve(g.m, g.ga, g.na, NULL, 0, x0, &p, &res, NULL, 0), CPT_OK);
  assert_true(fabs(gap_check(&g, res.x) - res.objective) < 1e-6);
  cpt_lns_result_free(&res);
  cpt_mip_free(g.m);
}

static void
test_lns_stop_flag_set_before_the_call_returns_the_start(void **state) {
  (void)state;
  gap g;
  gap_build(&g, 3, 4, 8, 4);
  double x0[MAXA * MAXJ] = {0};
  x0[0] = 1; /* agent 0 takes job 0 if it fits */
  if (g.w[0][0] > g.cap[0])
    x0[0] = 0;
  atomic_int stop = 1;
  cpt_lns_params p;
  lns_params(&p, 1, 2);
  p.stop = &stop;
  cpt_lns_result res;
  assert_int_equal(
      cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x0, &p, &res, NULL, 0),
      CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_INTERRUPTED);
  assert_int_equal(res.rounds, 0);
  assert_memory_equal(res.x, x0, (size_t)(g.na * g.nj) * sizeof *x0);
  assert_true(fabs(res.objective - gap_check(&g, x0)) < 1e-9);
  cpt_lns_result_free(&res);
  cpt_mip_free(g.m);
}

static void test_lns_time_limit_stops_between_rounds(void **state) {
  (void)state;
  gap g;
  gap_build(&g, 4, 4, 8, 4);
  double x0[MAXA * MAXJ] = {0};
  cpt_lns_params p;
  lns_params(&p, 1, 1);
  p.time_limit_s = 1e-9; /* already spent on checking the start */
  cpt_lns_result res;
  assert_int_equal(
      cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x0, &p, &res, NULL, 0),
      CPT_OK);
  assert_int_equal(res.status, CPT_SOLVE_FEASIBLE);
  assert_int_equal(res.hit_time_limit, 1);
  assert_int_equal(res.rounds, 0);
  assert_true(res.objective == 0);
  cpt_lns_result_free(&res);
  cpt_mip_free(g.m);
}

static void
test_lns_rejects_infeasible_starts_and_bad_parameters(void **state) {
  (void)state;
  gap g;
  gap_build(&g, 8, 3, 6, 3);
  int n = g.na * g.nj;
  double x[MAXA * MAXJ];
  for (int k = 0; k < n; k++)
    x[k] = 1; /* every job done thrice */
  cpt_lns_params p;
  lns_params(&p, 1, 1);
  cpt_lns_result res;
  char err[256] = "";
  assert_int_equal(
      cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x, &p, &res, err, sizeof err),
      CPT_EPARAM);
  assert_null(res.x);
  assert_true(strlen(err) > 0);
  for (int k = 0; k < n; k++)
    x[k] = 0;
  x[1] = 0.5; /* fractional */
  assert_int_equal(
      cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x, &p, &res, NULL, 0),
      CPT_EPARAM);
  x[1] = 0;
  p.free_share = 0;
  assert_int_equal(
      cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x, &p, &res, NULL, 0),
      CPT_EPARAM);
  lns_params(&p, 1, 1);
  p.units_per_round = 0;
  assert_int_equal(
      cpt_lns_solve(g.m, g.ga, g.na, g.gb, g.nd, x, &p, &res, NULL, 0),
      CPT_EPARAM);
  lns_params(&p, 1, 1);
  /* a label out of range */
  assert_int_equal(
      cpt_lns_solve(g.m, g.ga, g.na - 1, g.gb, g.nd, x, &p, &res, NULL, 0),
      CPT_EPARAM);
  cpt_lns_result_free(&res); /* NULL x: a no-op */
  cpt_lns_result_free(NULL);
  cpt_mip_free(g.m);
}

/* minimize s subject to x0 + x1 + x2 − s = 1, x binary (labelled), s ≥ 0
 * (auxiliary). */
static void
test_lns_complete_fills_auxiliary_columns_or_reports_infeasible(void **state) {
  (void)state;
  cpt_mip *m = cpt_mip_new(0);
  assert_non_null(m);
  for (int j = 0; j < 3; j++)
    assert_int_equal(cpt_mip_add_col(m, NULL, 0, 1, 0, 1), j);
  assert_int_equal(cpt_mip_add_col(m, NULL, 0, HUGE_VAL, 1, 0), 3);
  int cols[4] = {0, 1, 2, 3};
  double vals[4] = {1, 1, 1, -1};
  assert_int_equal(cpt_mip_add_row(m, NULL, 1, 1, 4, cols, vals), 0);
  int32_t ga[4] = {0, 0, 1, -1};
  double xfix[4] = {1, 1, 0, 123}, x[4], obj = -1;
  int feasible = -1;
  char err[256] = "";
  assert_int_equal(
      cpt_lns_complete(m, ga, xfix, x, &obj, &feasible, err, sizeof err),
      CPT_OK);
  assert_int_equal(feasible, 1);
  assert_true(x[0] == 1 && x[1] == 1 && x[2] == 0);
  assert_true(fabs(x[3] - 1) < 1e-9);
  assert_true(fabs(obj - 1) < 1e-9);
  double zero[4] = {0, 0, 0, 0};
  assert_int_equal(
      cpt_lns_complete(m, ga, zero, x, &obj, &feasible, err, sizeof err),
      CPT_OK);
  assert_int_equal(feasible, 0);
  double outside[4] = {2, 0, 0, 0}; /* beyond the column's bound */
  assert_int_equal(
      cpt_lns_complete(m, ga, outside, x, &obj, &feasible, err, sizeof err),
      CPT_OK);
  assert_int_equal(feasible, 0);
  cpt_mip_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(
          test_lns_reaches_the_optimum_of_small_assignment_problems),
      cmocka_unit_test(test_lns_objective_never_decreases_and_x_stays_feasible),
      cmocka_unit_test(
          test_lns_gives_identical_results_with_one_and_two_threads),
      cmocka_unit_test(test_lns_other_seeds_stay_feasible),
      cmocka_unit_test(
          test_lns_stop_flag_set_before_the_call_returns_the_start),
      cmocka_unit_test(test_lns_time_limit_stops_between_rounds),
      cmocka_unit_test(test_lns_rejects_infeasible_starts_and_bad_parameters),
      cmocka_unit_test(
          test_lns_complete_fills_auxiliary_columns_or_reports_infeasible),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
