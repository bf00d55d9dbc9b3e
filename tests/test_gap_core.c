/*
 * test_gap_core.c — the GAP core (solver/gap*.c).
 *
 * Tiny random instances of every flavour (plain GAP, with an unassigned
 * option, with counts, with soft capacities, mixed) are solved exactly by
 * an independent exhaustive optimiser (support/gap_brute.c): the solver
 * must never report an objective below the optimum, must reach it on
 * nearly all (at most 2% misses), must report NOSOLUTION on every
 * infeasible one and on almost no feasible one, must only claim OPTIMAL
 * at the optimum, and its bound (and cpt_gap_bound's) must never exceed
 * the optimum.  cpt_gap_eval is compared with the test's own evaluation
 * on random solutions.  Medium instances check determinism across 1 and
 * 2 threads (with the LNS, and with the regional split), a tiny time
 * limit, the target gap, the stop flag and a start solution; every
 * invalid-input path of cpt_gap_validate is exercised.  No assertion
 * depends on timing (GAP_TEST_FILTER=pattern runs a subset).
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

#include <glpk.h>

#include "../solver/gap.h"
#include "support/brute.h" /* cpt_test_splitmix64 */
#include "support/gap_brute.h"

/* ------------------------------------------------------------- helpers */

static uint64_t rnd(uint64_t *s) { return cpt_test_splitmix64(s); }

static int rint_in(uint64_t *s, int lo, int hi) {
  return lo + (int)(rnd(s) % (uint64_t)(hi - lo + 1));
}

/* MTLIKE: the MT model's shape (values as negative costs, an unassigned
 * option at 0, counts, soft capacities, one weight per class), where the
 * core solves the capacity relaxation as a flow (gap_flow.c). */
enum { PLAIN, UNASSIGNED, COUNTS, SOFT, MIXED, MTLIKE, N_FLAVOURS };

/* A random instance; dense = every class lists every agent. */
static cpt_gap *random_gap(uint64_t seed, int m, int n, int flavour, int dense,
                           double tightness, int max_count) {
  uint64_t s = seed;
  int mt = flavour == MTLIKE;
  int with_u = flavour == UNASSIGNED || flavour == MIXED || mt ||
               (flavour == COUNTS && (rnd(&s) & 1));
  int with_c = flavour == COUNTS || flavour == MIXED || mt;
  int with_s = flavour == SOFT || flavour == MIXED || mt;
  int32_t(*agents)[64] = malloc((size_t)n * sizeof *agents);
  int *deg = malloc((size_t)n * sizeof *deg);
  assert_true(m <= 64 && agents && deg);
  int64_t nnz = 0;
  for (int j = 0; j < n; j++) {
    deg[j] = 0;
    for (int i = 0; i < m; i++)
      if (dense || rint_in(&s, 0, 99) < 60)
        agents[j][deg[j]++] = i;
    if (deg[j] == 0 && !with_u)
      agents[j][deg[j]++] = rint_in(&s, 0, m - 1);
    /* shuffle: lists need not be sorted */
    for (int t = deg[j] - 1; t > 0; t--) {
      int r = rint_in(&s, 0, t);
      int32_t a = agents[j][t];
      agents[j][t] = agents[j][r];
      agents[j][r] = a;
    }
    nnz += deg[j];
  }
  cpt_gap *g = cpt_gap_new(m, n, nnz, with_s, with_c, with_u, 0);
  assert_non_null(g);
  int frac = rnd(&s) % 3 == 0; /* non-integer costs */
  int64_t k = 0;
  double wsum = 0;
  for (int j = 0; j < n; j++) {
    g->start[j] = k;
    if (with_c)
      g->count[j] = rint_in(&s, 1, max_count);
    if (with_u)
      g->unassigned[j] = flavour == UNASSIGNED || mt ? 0.0 : rint_in(&s, 5, 25);
    int64_t wj = mt ? rint_in(&s, 1, 4) : 0;
    for (int t = 0; t < deg[j]; t++, k++) {
      g->agent[k] = agents[j][t];
      double c = rint_in(&s, 1, 20) + (frac ? 0.25 * rint_in(&s, 0, 3) : 0);
      g->cost[k] = flavour == UNASSIGNED || mt ? -c : c;
      g->weight[k] = mt ? wj : rint_in(&s, 0, 9) == 0 ? 0 : rint_in(&s, 1, 9);
      wsum += (double)g->weight[k] * (with_c ? g->count[j] : 1) / deg[j];
    }
  }
  g->start[n] = k;
  for (int i = 0; i < m; i++) {
    g->cap[i] = (int64_t)(tightness * wsum / m + rint_in(&s, 0, 3));
    if (with_s) {
      g->soft[i] = g->cap[i] * rint_in(&s, 3, 10) / 10;
      g->soft_pen[i] = rint_in(&s, 0, 4);
    }
  }
  free(agents);
  free(deg);
  return g;
}

static void default_params(cpt_gap_params *p, int threads) {
  cpt_gap_params_init(p);
  p->threads = threads;
  p->stall_rounds = 8;
  p->units_per_round = 4;
}

/* ------------------------------------------------------------ brute */

static void test_gap_matches_bruteforce_on_tiny_instances(void **state) {
  (void)state;
  int runs = 0, feasible_runs = 0, hits = 0, missed_feasible = 0;
  for (int f = 0; f < N_FLAVOURS; f++)
    for (int t = 0; t < 40; t++) {
      uint64_t seed = 1000u * (unsigned)f + (unsigned)t;
      uint64_t s = seed;
      int m = rint_in(&s, 1, 4);
      int n = f == COUNTS || f == MIXED || f == MTLIKE ? rint_in(&s, 1, 4)
                                                       : rint_in(&s, 1, 7);
      double tight = 0.5 + 0.1 * rint_in(&s, 0, 8);
      cpt_gap *g = random_gap(seed, m, n, f, t % 3 == 0, tight, 3);
      char err[256] = "";
      assert_int_equal(cpt_gap_validate(g, err, sizeof err), CPT_OK);
      double opt;
      if (cpt_gap_brute(g, &opt, NULL, NULL) != 0) {
        cpt_gap_free(g);
        continue;
      }
      runs++;
      cpt_gap_params p;
      default_params(&p, 1);
      p.seed = seed + 1;
      p.lns = t & 1;
      cpt_gap_result r;
      assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
      double b, lp;
      assert_int_equal(cpt_gap_bound(g, INFINITY, 200, &b, NULL), CPT_OK);
      assert_int_equal(cpt_gap_lp_bound(g, 100, 0, NULL, &lp, err, 256), 0);
      assert_true(isfinite(opt) ? lp <= opt + 1e-6 * fmax(1, fabs(opt)) : 1);
      if (isfinite(opt)) {
        feasible_runs++;
        assert_true(r.bound <= opt + 1e-6 * fmax(1, fabs(opt)));
        if (!(b <= opt + 1e-6 * fmax(1, fabs(opt))))
          print_message("seed %llu: bound %.17g > optimum %.17g\n",
                        (unsigned long long)seed, b, opt);
        assert_true(b <= opt + 1e-6 * fmax(1, fabs(opt)));
        if (r.status == CPT_SOLVE_NOSOLUTION) {
          missed_feasible++;
        } else {
          assert_non_null(r.sol.x);
          int ok;
          double v = cpt_gap_brute_eval(g, r.sol.x, r.sol.y, &ok);
          assert_true(ok);
          assert_true(fabs(v - r.objective) <= 1e-9 * fmax(1, fabs(v)));
          assert_true(r.objective >= opt - 1e-9 * fmax(1, fabs(opt)));
          if (r.objective <= opt + 1e-9 * fmax(1, fabs(opt)))
            hits++;
          else
            assert_int_not_equal(r.status, CPT_SOLVE_OPTIMAL);
          assert_true(r.bound <= r.objective + 1e-9 * fmax(1, fabs(opt)));
        }
      } else {
        assert_int_equal(r.status, CPT_SOLVE_NOSOLUTION);
        assert_null(r.sol.x);
      }
      cpt_gap_result_free(&r);
      cpt_gap_free(g);
    }
  print_message("gap brute: %d instances, %d feasible, %d optimal, %d "
                "feasible missed\n",
                runs, feasible_runs, hits, missed_feasible);
  assert_true(runs >= 150);
  assert_true(missed_feasible <= feasible_runs / 50);
  assert_true(hits >= feasible_runs - feasible_runs / 50 - missed_feasible);
}

/* ------------------------------------------------------------- eval */

static void test_gap_eval_matches_independent_recomputation(void **state) {
  (void)state;
  for (int t = 0; t < 200; t++) {
    uint64_t s = 77 + (uint64_t)t;
    int f = t % N_FLAVOURS;
    cpt_gap *g =
        random_gap(s, rint_in(&s, 1, 5), rint_in(&s, 1, 8), f, 0, 1.0, 4);
    int64_t nnz = g->start[g->n];
    int64_t *x = calloc((size_t)nnz + 1, sizeof *x);
    int64_t *y = calloc((size_t)g->n + 1, sizeof *y);
    for (int32_t j = 0; j < g->n; j++) {
      int64_t left = g->count ? g->count[j] : 1;
      for (int64_t k = g->start[j]; k < g->start[j + 1] && left > 0; k++) {
        int64_t q = rint_in(&s, 0, (int)left);
        x[k] = q;
        left -= q;
      }
      y[j] = left;
      if (rint_in(&s, 0, 9) == 0 && g->start[j + 1] > g->start[j])
        x[g->start[j]] += 1; /* sometimes a wrong count */
    }
    cpt_gap_sol sol = {x, y};
    int ok1, ok2;
    double v1 = cpt_gap_eval(g, &sol, &ok1);
    double v2 = cpt_gap_brute_eval(g, x, y, &ok2);
    assert_int_equal(ok1, ok2);
    assert_true(fabs(v1 - v2) <= 1e-9 * fmax(1, fabs(v2)));
    free(x);
    free(y);
    cpt_gap_free(g);
  }
}

/* -------------------------------------------------------- determinism */

static void solve_medium(const cpt_gap *g, int threads, int lns,
                         cpt_gap_result *r, int64_t region_nnz) {
  cpt_gap_params p;
  default_params(&p, threads);
  p.seed = 42;
  p.max_rounds = 8;
  p.units_per_round = 4;
  p.lns = lns;
  p.region_nnz = region_nnz;
  char err[256] = "";
  assert_int_equal(cpt_gap_solve(g, &p, r, err, sizeof err), CPT_OK);
}

static void assert_same(const cpt_gap *g, const cpt_gap_result *a,
                        const cpt_gap_result *b) {
  assert_int_equal(a->status, b->status);
  assert_true(a->objective == b->objective);
  assert_true(a->bound == b->bound);
  assert_non_null(a->sol.x);
  assert_memory_equal(a->sol.x, b->sol.x,
                      (size_t)g->start[g->n] * sizeof *a->sol.x);
  assert_memory_equal(a->sol.y, b->sol.y, (size_t)g->n * sizeof *a->sol.y);
}

static void test_gap_same_result_with_1_and_2_threads(void **state) {
  (void)state;
  int compared = 0;
  for (int f = 0; f < 3; f++) {
    int flav = f == 0 ? PLAIN : f == 1 ? MIXED : COUNTS;
    cpt_gap *g = random_gap(9000 + (uint64_t)f, 20, flav == PLAIN ? 400 : 200,
                            flav, flav == PLAIN, 0.9, 20);
    cpt_gap_result r1, r2;
    solve_medium(g, 1, 1, &r1, 0);
    solve_medium(g, 2, 1, &r2, 0);
    /* A sub-MIP cut by its safety time limit (a loaded machine) is the
     * one documented way to depend on the machine. */
    if (!r1.hit_time_limit && !r2.hit_time_limit) {
      assert_same(g, &r1, &r2);
      compared++;
    }
    int ok;
    double v = cpt_gap_brute_eval(g, r1.sol.x, r1.sol.y, &ok);
    assert_true(ok);
    assert_true(fabs(v - r1.objective) <= 1e-9 * fmax(1, fabs(v)));
    assert_true(r1.bound <= r1.objective + 1e-9 * fabs(r1.objective));
    cpt_gap_result_free(&r1);
    cpt_gap_result_free(&r2);
    cpt_gap_free(g);
  }
  assert_true(compared >= 2);
}

static void
test_gap_regional_split_is_feasible_and_deterministic(void **state) {
  (void)state;
  cpt_gap *g = random_gap(4242, 24, 300, MIXED, 0, 1.0, 5);
  /* agents on a line so that blocks follow coordinates */
  free(g->agent_xy);
  g->agent_xy = malloc(2 * 24 * sizeof *g->agent_xy);
  for (int i = 0; i < 24; i++) {
    g->agent_xy[2 * i] = 45.0 + 0.01 * i;
    g->agent_xy[2 * i + 1] = 2.0;
  }
  cpt_gap_result r1, r2;
  solve_medium(g, 1, 0, &r1, 500);
  solve_medium(g, 2, 0, &r2, 500);
  assert_true(r1.regions > 1);
  assert_int_equal(r1.regions, r2.regions);
  assert_false(r1.hit_time_limit || r2.hit_time_limit); /* no LNS here */
  assert_same(g, &r1, &r2);
  int ok;
  cpt_gap_brute_eval(g, r1.sol.x, r1.sol.y, &ok);
  assert_true(ok);
  assert_true(r1.bound <= r1.objective + 1e-9 * fabs(r1.objective));
  cpt_gap_result_free(&r1);
  cpt_gap_result_free(&r2);
  cpt_gap_free(g);
}

/* ----------------------------------------------------- special cases */

static void test_gap_infeasible_plain_gap_gives_nosolution(void **state) {
  (void)state;
  /* 3 jobs of weight 2 on 2 agents of capacity 3: one job each at most. */
  cpt_gap *g = cpt_gap_new(2, 3, 6, 0, 0, 0, 0);
  for (int j = 0; j < 3; j++) {
    g->start[j] = 2 * j;
    for (int i = 0; i < 2; i++) {
      g->agent[2 * j + i] = i;
      g->cost[2 * j + i] = 1 + i + j;
      g->weight[2 * j + i] = 2;
    }
  }
  g->cap[0] = g->cap[1] = 3;
  cpt_gap_params p;
  default_params(&p, 1);
  cpt_gap_result r;
  char err[256];
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
  assert_int_equal(r.status, CPT_SOLVE_NOSOLUTION);
  assert_null(r.sol.x);
  assert_true(isnan(r.objective));
  cpt_gap_result_free(&r);
  /* A class without any candidate nor unassigned option. */
  g->start[1] = g->start[2] = 2;
  g->start[3] = 4;
  g->agent[2] = 0;
  g->agent[3] = 1;
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
  assert_int_equal(r.status, CPT_SOLVE_NOSOLUTION);
  cpt_gap_result_free(&r);
  cpt_gap_free(g);
}

static void test_gap_mt_like_instance_leaves_units_unassigned(void **state) {
  (void)state;
  /* 3 classes of 4 households, each may go to either of 2 doctors with
   * room for 5: value 1 each (cost −1), unassigned cost 0.  Optimum −10
   * with 2 households unassigned, and the capacity dual proves it. */
  cpt_gap *g = cpt_gap_new(2, 3, 6, 0, 1, 1, 0);
  for (int j = 0; j < 3; j++) {
    g->start[j] = 2 * j;
    g->count[j] = 4;
    g->unassigned[j] = 0;
    for (int i = 0; i < 2; i++) {
      g->agent[2 * j + i] = 1 - i;
      g->cost[2 * j + i] = -1;
      g->weight[2 * j + i] = 1;
    }
  }
  g->cap[0] = g->cap[1] = 5;
  cpt_gap_params p;
  default_params(&p, 2);
  cpt_gap_result r;
  char err[256];
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
  assert_int_equal(r.status, CPT_SOLVE_OPTIMAL);
  assert_true(r.objective == -10.0);
  assert_true(r.bound == -10.0);
  int64_t yy = 0;
  for (int j = 0; j < 3; j++)
    yy += r.sol.y[j];
  assert_int_equal(yy, 2);
  cpt_gap_result_free(&r);
  cpt_gap_free(g);
}

static void test_gap_tiny_time_limit_returns_feasible_result(void **state) {
  (void)state;
  cpt_gap *g = random_gap(31337, 40, 800, PLAIN, 1, 0.85, 1);
  cpt_gap_params p;
  default_params(&p, 2);
  p.time_limit_s = 0.05;
  p.stall_rounds = 0;
  cpt_gap_result r;
  char err[256];
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
  assert_true(r.status == CPT_SOLVE_FEASIBLE || r.status == CPT_SOLVE_OPTIMAL);
  if (r.status == CPT_SOLVE_FEASIBLE)
    assert_true(r.hit_time_limit);
  int ok;
  double v = cpt_gap_brute_eval(g, r.sol.x, r.sol.y, &ok);
  assert_true(ok);
  assert_true(fabs(v - r.objective) <= 1e-9 * fabs(v));
  assert_true(r.bound <= r.objective);
  cpt_gap_result_free(&r);
  cpt_gap_free(g);
}

static void test_gap_stop_flag_and_start_solution(void **state) {
  (void)state;
  cpt_gap *g = random_gap(555, 10, 100, MIXED, 0, 1.2, 4);
  atomic_int stop = 1;
  cpt_gap_params p;
  default_params(&p, 1);
  p.stop = &stop;
  cpt_gap_result r, r2;
  char err[256];
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
  assert_true(r.status == CPT_SOLVE_INTERRUPTED ||
              r.status == CPT_SOLVE_NOSOLUTION);
  assert_int_equal(r.lns_rounds, 0);
  /* No stop, and the previous answer (if any) as a start: never worse. */
  default_params(&p, 1);
  p.max_rounds = 10;
  cpt_gap_result r0;
  assert_int_equal(cpt_gap_solve(g, &p, &r0, err, sizeof err), CPT_OK);
  assert_non_null(r0.sol.x);
  p.start = &r0.sol;
  assert_int_equal(cpt_gap_solve(g, &p, &r2, err, sizeof err), CPT_OK);
  assert_true(r2.objective <= r0.objective + 1e-9 * fabs(r0.objective));
  /* An infeasible start is a parameter error. */
  cpt_gap_sol bad = {r0.sol.x, r0.sol.y};
  int64_t *x = malloc((size_t)g->start[g->n] * sizeof *x);
  memcpy(x, r0.sol.x, (size_t)g->start[g->n] * sizeof *x);
  x[0] += 1;
  bad.x = x;
  p.start = &bad;
  cpt_gap_result r3;
  assert_int_equal(cpt_gap_solve(g, &p, &r3, err, sizeof err), CPT_EPARAM);
  free(x);
  cpt_gap_result_free(&r);
  cpt_gap_result_free(&r0);
  cpt_gap_result_free(&r2);
  cpt_gap_free(g);
}

static void test_gap_target_gap_stops_early_within_it(void **state) {
  (void)state;
  cpt_gap *g = random_gap(2024, 15, 300, COUNTS, 0, 1.0, 10);
  cpt_gap_params p;
  default_params(&p, 1);
  p.target_gap = 0.05;
  p.stall_rounds = 1000;
  p.max_rounds = 1000;
  cpt_gap_result r;
  char err[256];
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
  assert_non_null(r.sol.x);
  assert_true(r.gap <= 0.05);
  assert_true(r.lns_rounds < 1000);
  assert_true(fabs(r.gap - (r.objective - r.bound) /
                               fmax(1, fabs(r.objective))) <= 1e-12);
  cpt_gap_result_free(&r);
  cpt_gap_free(g);
}

static void test_gap_degenerate_sizes(void **state) {
  (void)state;
  cpt_gap_params p;
  default_params(&p, 2);
  cpt_gap_result r;
  char err[256];
  /* No job class: objective 0, optimal. */
  cpt_gap *g = cpt_gap_new(3, 0, 0, 1, 0, 0, 0);
  g->cap[0] = 2;
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
  assert_int_equal(r.status, CPT_SOLVE_OPTIMAL);
  assert_true(r.objective == 0.0 && r.bound == 0.0);
  cpt_gap_result_free(&r);
  cpt_gap_free(g);
  /* No agent: everything unassigned, at Σ u_j·n_j. */
  g = cpt_gap_new(0, 2, 0, 0, 1, 1, 0);
  g->count[0] = 3, g->count[1] = 2;
  g->unassigned[0] = 1.5, g->unassigned[1] = -2;
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
  assert_int_equal(r.status, CPT_SOLVE_OPTIMAL);
  assert_true(fabs(r.objective - 0.5) < 1e-12);
  assert_int_equal(r.sol.y[0], 3);
  assert_int_equal(r.sol.y[1], 2);
  cpt_gap_result_free(&r);
  cpt_gap_free(g);
  /* A count array of ones is a plain GAP: the assignment dual runs.
   * Each agent has room for one job; the crossing assignment costs 2. */
  g = cpt_gap_new(2, 2, 4, 0, 1, 0, 0);
  for (int j = 0; j < 2; j++) {
    g->count[j] = 1;
    g->start[j] = 2 * j;
    for (int i = 0; i < 2; i++) {
      g->agent[2 * j + i] = i;
      g->cost[2 * j + i] = i == j ? 5 : 1;
      g->weight[2 * j + i] = 2;
    }
  }
  g->start[2] = 4;
  g->cap[0] = g->cap[1] = 2;
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
  assert_false(isnan(r.lagr_assignment));
  assert_true(r.objective == 2.0);
  assert_true(r.bound <= 2.0);
  cpt_gap_result_free(&r);
  cpt_gap_free(g);
}

/* ---------------------------------------------------------- validate */

static cpt_gap *good_instance(void) {
  cpt_gap *g = cpt_gap_new(2, 2, 3, 1, 1, 1, 1);
  g->start[0] = 0, g->start[1] = 2, g->start[2] = 3;
  g->agent[0] = 0, g->agent[1] = 1, g->agent[2] = 1;
  g->cost[0] = 1, g->cost[1] = 2, g->cost[2] = 3;
  g->weight[0] = g->weight[1] = g->weight[2] = 1;
  g->cap[0] = g->cap[1] = 4;
  g->soft[0] = g->soft[1] = 2;
  g->soft_pen[0] = g->soft_pen[1] = 1;
  g->count[0] = g->count[1] = 2;
  return g;
}

static void test_gap_validate_rejects_each_kind_of_bad_input(void **state) {
  (void)state;
  char err[256];
  cpt_gap *g = good_instance();
  assert_int_equal(cpt_gap_validate(g, err, sizeof err), CPT_OK);
  assert_int_equal(cpt_gap_validate(NULL, err, sizeof err), CPT_EPARAM);
#define EXPECT_BAD(stmt, undo)                                                 \
  do {                                                                         \
    stmt;                                                                      \
    err[0] = '\0';                                                             \
    assert_int_equal(cpt_gap_validate(g, err, sizeof err), CPT_EPARAM);        \
    assert_true(strlen(err) > 0);                                              \
    undo;                                                                      \
    assert_int_equal(cpt_gap_validate(g, err, sizeof err), CPT_OK);            \
  } while (0)
  EXPECT_BAD(g->cap[1] = -1, g->cap[1] = 4);
  EXPECT_BAD(g->soft[0] = 5, g->soft[0] = 2);
  EXPECT_BAD(g->soft[0] = -1, g->soft[0] = 2);
  EXPECT_BAD(g->soft_pen[1] = -1, g->soft_pen[1] = 1);
  EXPECT_BAD(g->soft_pen[1] = NAN, g->soft_pen[1] = 1);
  EXPECT_BAD(g->count[1] = 0, g->count[1] = 2);
  EXPECT_BAD(g->unassigned[0] = INFINITY, g->unassigned[0] = 0);
  EXPECT_BAD(g->agent[2] = 2, g->agent[2] = 1);
  EXPECT_BAD(g->agent[2] = -1, g->agent[2] = 1);
  EXPECT_BAD(g->agent[1] = 0, g->agent[1] = 1);
  EXPECT_BAD(g->cost[0] = NAN, g->cost[0] = 1);
  EXPECT_BAD(g->weight[2] = -3, g->weight[2] = 1);
  EXPECT_BAD(g->start[1] = 4, g->start[1] = 2);
  EXPECT_BAD(g->start[0] = 1, g->start[0] = 0);
  EXPECT_BAD(g->agent_xy[3] = NAN, g->agent_xy[3] = 0);
  EXPECT_BAD(g->m = -1, g->m = 2);
  double *pen = g->soft_pen;
  int64_t *soft = g->soft;
  EXPECT_BAD(g->soft = NULL, g->soft = soft);
  g->soft_pen = pen;
  /* Bad parameters. */
  cpt_gap_params p;
  cpt_gap_result r;
  cpt_gap_params_init(&p);
  p.time_limit_s = -1;
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_EPARAM);
  cpt_gap_params_init(&p);
  p.threads = -2;
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_EPARAM);
  cpt_gap_params_init(&p);
  p.target_gap = NAN;
  assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_EPARAM);
  assert_int_equal(cpt_gap_solve(g, NULL, &r, err, sizeof err), CPT_EPARAM);
  double b;
  g->cap[0] = -1;
  assert_int_equal(cpt_gap_bound(g, INFINITY, 10, &b, NULL), CPT_EPARAM);
  g->cap[0] = 4;
  cpt_gap_free(g);
  cpt_gap_free(NULL);
  cpt_gap_result_free(NULL);
  assert_null(cpt_gap_new(-1, 2, 3, 0, 0, 0, 0));
}

/* ------------------------------------------------------------ lambda0 */

/* A start for the capacity multipliers (params lambda0): whatever it is
 * (random, negative, NAN, huge), the bound stays at most the brute-force
 * optimum; the best multipliers of a long run, given as the start of a
 * one-iteration run, give at least that run's bound (so lambda0 is used,
 * not ignored). */
static void test_gap_lambda0_bound_is_valid_and_warm(void **state) {
  (void)state;
  int runs = 0, warm = 0;
  for (int f = UNASSIGNED; f < N_FLAVOURS; f++)
    for (int t = 0; t < 30; t++) {
      uint64_t seed = 7000u + 100u * (unsigned)f + (unsigned)t, s = seed;
      int m = rint_in(&s, 1, 4), n = rint_in(&s, 1, 4);
      cpt_gap *g = random_gap(seed, m, n, f, t % 2, 0.6, 3);
      double opt;
      if (cpt_gap_brute(g, &opt, NULL, NULL) != 0 || !isfinite(opt)) {
        cpt_gap_free(g);
        continue;
      }
      runs++;
      double *l0 = malloc((size_t)m * sizeof *l0), best;
      double tol = 1e-6 * fmax(1, fabs(opt));
      assert_non_null(l0);
      for (int i = 0; i < m; i++) {
        int kind = rint_in(&s, 0, 9);
        l0[i] = kind == 0   ? -3.0
                : kind == 1 ? NAN
                : kind == 2 ? 1e12
                            : 0.01 * rint_in(&s, 0, 5000);
      }
      char err[256] = "";
      cpt_gap_params p;
      default_params(&p, 1);
      p.lambda0 = l0;
      cpt_gap_result r;
      assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
      assert_true(r.bound <= opt + tol);
      assert_true(r.lagr_capacity <= opt + tol);
      cpt_gap_result_free(&r);
      /* warm: the multipliers of a long run as the start of a short one */
      assert_int_equal(cpt_gap_bound(g, INFINITY, 500, &best, l0), CPT_OK);
      assert_true(best <= opt + tol);
      p.bound_iterations = 1;
      p.max_rounds = 1;
      assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
      assert_true(r.bound <= opt + tol);
      if (isnan(r.lagr_assignment)) { /* best is the capacity dual's */
        if (!(r.lagr_capacity >= best - 1e-9 * fmax(1, fabs(best))))
          print_message("seed %llu flavour %d: %.17g < %.17g\n",
                        (unsigned long long)seed, f, r.lagr_capacity, best);
        /* MTLIKE: the flow's λ replaces lambda0, optimal up to the
         * rounding of its scaled costs */
        double slack = f == MTLIKE ? 1e-6 : 1e-9;
        assert_true(r.lagr_capacity >= best - slack * fmax(1, fabs(best)));
        warm++;
      }
      cpt_gap_result_free(&r);
      free(l0);
      cpt_gap_free(g);
    }
  print_message("gap lambda0: %d instances, %d warm checks\n", runs, warm);
  assert_true(runs >= 60);
  assert_true(warm >= 60);
}

/* ---------------------------------------------------------------- flow */

/* The LP relaxation of an instance with an unassigned option, written
 * directly for GLPK: x_k ∈ [0, n_j], y_j ∈ [0, n_j], overflow o_i ∈ [0,
 * b_i − s_i]; Σ_k x_k + y_j = n_j, Σ w_k·x_k − o_i ≤ s_i. */
static double glpk_lp(const cpt_gap *g) {
  glp_prob *lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MIN);
  int64_t nnz = g->start[g->n];
  int ncol = (int)nnz + g->n + g->m;
  glp_add_rows(lp, g->n + g->m);
  glp_add_cols(lp, ncol);
  int *ia = malloc(((size_t)2 * ncol + 1) * sizeof *ia);
  int *ja = malloc(((size_t)2 * ncol + 1) * sizeof *ja);
  double *ar = malloc(((size_t)2 * ncol + 1) * sizeof *ar);
  assert_true(ia && ja && ar);
  int ne = 0;
  for (int32_t j = 0; j < g->n; j++) {
    double cnt = g->count ? (double)g->count[j] : 1.0;
    glp_set_row_bnds(lp, j + 1, GLP_FX, cnt, cnt);
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      int col = (int)k + 1, i = g->agent[k];
      glp_set_col_bnds(lp, col, GLP_DB, 0.0, cnt);
      glp_set_obj_coef(lp, col, g->cost[k]);
      ne++, ia[ne] = j + 1, ja[ne] = col, ar[ne] = 1.0;
      ne++, ia[ne] = g->n + i + 1, ja[ne] = col, ar[ne] = (double)g->weight[k];
    }
    int col = (int)nnz + j + 1;
    glp_set_col_bnds(lp, col, GLP_DB, 0.0, cnt);
    glp_set_obj_coef(lp, col, g->unassigned[j]);
    ne++, ia[ne] = j + 1, ja[ne] = col, ar[ne] = 1.0;
  }
  for (int32_t i = 0; i < g->m; i++) {
    double b = (double)g->cap[i], sft = g->soft ? (double)g->soft[i] : b;
    int col = (int)nnz + g->n + i + 1;
    glp_set_row_bnds(lp, g->n + i + 1, GLP_UP, 0.0, sft);
    if (b > sft)
      glp_set_col_bnds(lp, col, GLP_DB, 0.0, b - sft);
    else
      glp_set_col_bnds(lp, col, GLP_FX, 0.0, 0.0);
    glp_set_obj_coef(lp, col, g->soft_pen ? g->soft_pen[i] : 0.0);
    ne++, ia[ne] = g->n + i + 1, ja[ne] = col, ar[ne] = -1.0;
  }
  glp_load_matrix(lp, ne, ia, ja, ar);
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  assert_int_equal(glp_simplex(lp, &parm), 0);
  assert_int_equal(glp_get_status(lp), GLP_OPT);
  double v = glp_get_obj_val(lp);
  glp_delete_prob(lp);
  free(ia);
  free(ja);
  free(ar);
  return v;
}

/* MT-shaped instances (one weight per class, an unassigned option): the
 * core's capacity bound is the LP bound GLPK finds (the flow solves the
 * Lagrangian dual exactly; rounded up when the objective is integral),
 * never less, and its start and result stay feasible. */
static void test_gap_flow_bound_is_the_lp_bound(void **state) {
  (void)state;
  int runs = 0;
  for (int t = 0; t < 60; t++) {
    uint64_t seed = 9100u + (unsigned)t, s = seed;
    int m = rint_in(&s, 1, 40), n = rint_in(&s, 1, 60);
    double tight = 0.3 + 0.1 * rint_in(&s, 0, 10);
    cpt_gap *g = random_gap(seed, m, n, MTLIKE, t % 4 == 0, tight, 6);
    double lp = glpk_lp(g), lp2; /* two formulations of one LP agree */
    char err[256] = "";
    assert_int_equal(cpt_gap_lp_bound(g, 1000000, 0, NULL, &lp2, err, 256), 0);
    assert_true(fabs(lp2 - lp) <= 1e-6 * fmax(1, fabs(lp)));
    cpt_gap_params p;
    default_params(&p, 1);
    p.max_rounds = 1;
    p.lns = 0;
    cpt_gap_result r;
    assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
    double tol = 1e-6 * fmax(1, fabs(lp));
    if (!(r.lagr_capacity >= lp - tol && r.lagr_capacity <= ceil(lp + tol)))
      print_message("seed %llu: capacity bound %.17g, LP %.17g\n",
                    (unsigned long long)seed, r.lagr_capacity, lp);
    assert_true(r.lagr_capacity >= lp - tol);
    assert_true(r.lagr_capacity <= ceil(lp + tol));
    assert_non_null(r.sol.x);
    int ok;
    double v = cpt_gap_brute_eval(g, r.sol.x, r.sol.y, &ok);
    assert_true(ok);
    assert_true(v >= r.bound - tol);
    runs++;
    cpt_gap_result_free(&r);
    cpt_gap_free(g);
  }
  /* every class ranks the agents alike and the 16 best are tiny: the
   * first network (each class's 16 cheapest entries) cannot hold the
   * jobs, so only the pricing reaches the LP bound */
  for (int t = 0; t < 8; t++) {
    uint64_t s = 9300u + (unsigned)t;
    int m = 40, n = 30;
    cpt_gap *g = cpt_gap_new(m, n, (int64_t)m * n, 1, 1, 1, 0);
    assert_non_null(g);
    for (int j = 0; j < n; j++) {
      g->start[j] = (int64_t)j * m;
      g->count[j] = rint_in(&s, 1, 3);
      int64_t w = rint_in(&s, 1, 3);
      for (int i = 0; i < m; i++) {
        int64_t k = (int64_t)j * m + i;
        g->agent[k] = i;
        g->weight[k] = w;
        g->cost[k] = -(100.0 - i) * (double)w - 0.25 * rint_in(&s, 0, 3);
      }
    }
    g->start[n] = (int64_t)m * n;
    for (int i = 0; i < m; i++) {
      g->cap[i] = i < 16 ? rint_in(&s, 0, 2) : rint_in(&s, 2, 6);
      g->soft[i] = g->cap[i] - (g->cap[i] > 2);
      g->soft_pen[i] = rint_in(&s, 0, 30);
    }
    double lp = glpk_lp(g);
    char err[256] = "";
    cpt_gap_params p;
    default_params(&p, 1);
    p.max_rounds = 1;
    cpt_gap_result r;
    assert_int_equal(cpt_gap_solve(g, &p, &r, err, sizeof err), CPT_OK);
    double tol = 1e-6 * fmax(1, fabs(lp));
    if (!(r.lagr_capacity >= lp - tol && r.lagr_capacity <= ceil(lp + tol)))
      print_message("ranked %d: capacity bound %.17g, LP %.17g\n", t,
                    r.lagr_capacity, lp);
    assert_true(r.lagr_capacity >= lp - tol);
    assert_true(r.lagr_capacity <= ceil(lp + tol));
    runs++;
    cpt_gap_result_free(&r);
    cpt_gap_free(g);
  }
  print_message("gap flow bound: %d instances at the LP bound\n", runs);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gap_matches_bruteforce_on_tiny_instances),
      cmocka_unit_test(test_gap_eval_matches_independent_recomputation),
      cmocka_unit_test(test_gap_same_result_with_1_and_2_threads),
      cmocka_unit_test(test_gap_regional_split_is_feasible_and_deterministic),
      cmocka_unit_test(test_gap_infeasible_plain_gap_gives_nosolution),
      cmocka_unit_test(test_gap_mt_like_instance_leaves_units_unassigned),
      cmocka_unit_test(test_gap_tiny_time_limit_returns_feasible_result),
      cmocka_unit_test(test_gap_stop_flag_and_start_solution),
      cmocka_unit_test(test_gap_target_gap_stops_early_within_it),
      cmocka_unit_test(test_gap_degenerate_sizes),
      cmocka_unit_test(test_gap_validate_rejects_each_kind_of_bad_input),
      cmocka_unit_test(test_gap_lambda0_bound_is_valid_and_warm),
      cmocka_unit_test(test_gap_flow_bound_is_the_lp_bound),
  };
  if (getenv("GAP_TEST_FILTER"))
    cmocka_set_test_filter(getenv("GAP_TEST_FILTER"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
