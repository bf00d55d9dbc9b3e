/*
 * test_gap_lp.c — the LP bound of a GAP instance (cpt_gap_lp_bound,
 * solver/gap_lp.c) on instances whose LP optimum is worked out by hand,
 * and its edge cases: too large, infeasible, stopped, bad arguments.
 * (test_gap_core.c checks it against a second GLPK formulation written in
 * the test and against the brute-force optimum.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdatomic.h>

#include "../solver/gap.h"

/* Plain GAP, 2 agents × 3 jobs, every weight 3, capacities 6 and 4:
 * agent 2 holds one job and a third of another, so the LP takes job 2 and
 * a third of job 3 there: 1 + 2 + (2/3)·9 + (1/3)·8 = 35/3, while the best
 * assignment costs 12. */
static cpt_gap *two_agents(void) {
  cpt_gap *g = cpt_gap_new(2, 3, 6, 0, 0, 0, 0);
  assert_non_null(g);
  const double cost[2][3] = {{1, 5, 9}, {4, 2, 8}};
  for (int j = 0; j < 3; j++) {
    g->start[j] = 2 * j;
    for (int i = 0; i < 2; i++) {
      g->agent[2 * j + i] = i;
      g->cost[2 * j + i] = cost[i][j];
      g->weight[2 * j + i] = 3;
    }
  }
  g->start[3] = 6;
  g->cap[0] = 6;
  g->cap[1] = 4;
  return g;
}

static void test_lp_bound_of_a_hand_instance(void **state) {
  (void)state;
  cpt_gap *g = two_agents();
  double lp = 0;
  char err[128];
  assert_int_equal(cpt_gap_lp_bound(g, 100, 0, NULL, &lp, err, sizeof err),
                   CPT_OK);
  assert_true(fabs(lp - 35.0 / 3.0) < 1e-9);
  /* capacity 0 on agent 2 and 3 on agent 1: no room for three jobs */
  g->cap[0] = 3;
  g->cap[1] = 0;
  assert_int_equal(cpt_gap_lp_bound(g, 100, 0, NULL, &lp, err, sizeof err),
                   CPT_OK);
  assert_true(lp == INFINITY);
  cpt_gap_free(g);
}

/* One agent (capacity 4, soft capacity 2 at penalty p per unit beyond),
 * one class of 4 jobs worth 5 each (cost −5) that may stay unassigned at
 * 0: with p = 3 all four pay (−20 + 2·3 = −14), with p = 6 only two do
 * (−10). */
static void test_lp_bound_prices_the_soft_capacity(void **state) {
  (void)state;
  cpt_gap *g = cpt_gap_new(1, 1, 1, 1, 1, 1, 0);
  assert_non_null(g);
  g->start[0] = 0;
  g->start[1] = 1;
  g->agent[0] = 0;
  g->cost[0] = -5;
  g->weight[0] = 1;
  g->count[0] = 4;
  g->unassigned[0] = 0;
  g->cap[0] = 4;
  g->soft[0] = 2;
  g->soft_pen[0] = 3;
  double lp = 0;
  assert_int_equal(cpt_gap_lp_bound(g, 100, 0, NULL, &lp, NULL, 0), CPT_OK);
  assert_true(fabs(lp - -14.0) < 1e-9);
  g->soft_pen[0] = 6;
  assert_int_equal(cpt_gap_lp_bound(g, 100, 0, NULL, &lp, NULL, 0), CPT_OK);
  assert_true(fabs(lp - -10.0) < 1e-9);
  cpt_gap_free(g);
}

static void test_lp_bound_edge_cases(void **state) {
  (void)state;
  cpt_gap *g = two_agents();
  double lp = 0;
  char err[128] = "";
  /* more entries than allowed: no bound, not an error */
  assert_int_equal(cpt_gap_lp_bound(g, 5, 0, NULL, &lp, err, sizeof err),
                   CPT_OK);
  assert_true(isnan(lp));
  /* stopped before it starts: no bound */
  atomic_int stop = 1;
  lp = 0;
  assert_int_equal(cpt_gap_lp_bound(g, 100, 0, &stop, &lp, err, sizeof err),
                   CPT_OK);
  assert_true(isnan(lp));
  assert_int_equal(cpt_gap_lp_bound(g, 100, -1, NULL, &lp, err, sizeof err),
                   CPT_EPARAM);
  assert_true(isnan(lp));
  assert_int_equal(
      cpt_gap_lp_bound(NULL, 100, 0, NULL, &lp, err, sizeof err), CPT_EPARAM);
  cpt_gap_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lp_bound_of_a_hand_instance),
      cmocka_unit_test(test_lp_bound_prices_the_soft_capacity),
      cmocka_unit_test(test_lp_bound_edge_cases),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
