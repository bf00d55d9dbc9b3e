/*
 * test_flow.c — the network simplex of solver/flow.c against GLPK's exact
 * simplex, and its answers checked independently: flow conservation,
 * capacity bounds, objective, complementary slackness and LP duality of the
 * potentials, determinism, and the non-optimal verdicts (bad input,
 * infeasible, unbounded, interrupted).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glpk.h>

#include "../solver/flow.h"
#include "support/brute.h" /* cpt_test_splitmix64 */

/* ---- a seeded generator (splitmix64) ---- */

typedef struct {
  uint64_t s;
} tf_rng;

static uint64_t tf_next(tf_rng *r) {
  return cpt_test_splitmix64(&r->s);
}

static int64_t tf_range(tf_rng *r, int64_t lo, int64_t hi) {
  return lo + (int64_t)(tf_next(r) % (uint64_t)(hi - lo + 1));
}

/* ---- a network kept on the test side, to rebuild and to check ---- */

typedef struct {
  int32_t n;
  int64_t m;
  int32_t *src, *tgt;
  int64_t *cap, *cost, *supply;
} tf_net;

static tf_net *tf_net_new(int32_t n, int64_t max_m) {
  tf_net *t = calloc(1, sizeof *t);
  assert_non_null(t);
  t->n = n;
  size_t k = (size_t)(max_m > 0 ? max_m : 1);
  t->src = calloc(k, sizeof *t->src);
  t->tgt = calloc(k, sizeof *t->tgt);
  t->cap = calloc(k, sizeof *t->cap);
  t->cost = calloc(k, sizeof *t->cost);
  t->supply = calloc((size_t)n + 1, sizeof *t->supply);
  assert_true(t->src && t->tgt && t->cap && t->cost && t->supply);
  return t;
}

static void tf_net_free(tf_net *t) {
  free(t->src);
  free(t->tgt);
  free(t->cap);
  free(t->cost);
  free(t->supply);
  free(t);
}

static void tf_arc(tf_net *t, int32_t u, int32_t v, int64_t cap, int64_t cost) {
  t->src[t->m] = u;
  t->tgt[t->m] = v;
  t->cap[t->m] = cap;
  t->cost[t->m] = cost;
  t->m++;
}

static cpt_flow *tf_build(const tf_net *t) {
  cpt_flow *g = cpt_flow_new(t->n, t->m);
  assert_non_null(g);
  for (int64_t a = 0; a < t->m; a++)
    assert_int_equal(
        cpt_flow_add_arc(g, t->src[a], t->tgt[a], t->cap[a], t->cost[a]), a);
  for (int32_t v = 0; v < t->n; v++) cpt_flow_set_supply(g, v, t->supply[v]);
  return g;
}

/* Tiny random network: n ≤ 8 nodes, m ≤ 20 arcs (self-loops and parallel
 * arcs included), caps 0..5, costs −10..10.  Half of the seeds take their
 * supplies from a random feasible flow, half draw them freely (often
 * infeasible); both balance. */
static tf_net *tf_random_tiny(uint64_t seed) {
  tf_rng r = {seed};
  int32_t n = (int32_t)tf_range(&r, 1, 8);
  int64_t m = tf_range(&r, 0, 20);
  tf_net *t = tf_net_new(n, m);
  int from_flow = (int)tf_range(&r, 0, 1);
  for (int64_t a = 0; a < m; a++) {
    int32_t u = (int32_t)tf_range(&r, 0, n - 1);
    int32_t v = (int32_t)tf_range(&r, 0, n - 1);
    int64_t cap = tf_range(&r, 0, 5);
    tf_arc(t, u, v, cap, tf_range(&r, -10, 10));
    if (from_flow) {
      int64_t f = tf_range(&r, 0, cap);
      t->supply[u] += f;
      t->supply[v] -= f;
    }
  }
  if (!from_flow) {
    int64_t sum = 0;
    for (int32_t v = 0; v + 1 < n; v++)
      sum += t->supply[v] = tf_range(&r, -4, 4);
    t->supply[n - 1] = -sum;
  }
  return t;
}

/* Random network with n nodes and m arcs, costs −cmax..cmax, caps 0..capmax,
 * supplies from a random feasible flow plus a few free ones. */
static tf_net *tf_random_medium(uint64_t seed, int32_t n, int64_t m,
                                int64_t cmax, int64_t capmax) {
  tf_rng r = {seed};
  tf_net *t = tf_net_new(n, m);
  for (int64_t a = 0; a < m; a++) {
    int32_t u = (int32_t)tf_range(&r, 0, n - 1);
    int32_t v = (int32_t)tf_range(&r, 0, n - 1);
    int64_t cap = tf_range(&r, 0, capmax);
    tf_arc(t, u, v, cap, tf_range(&r, -cmax, cmax));
    int64_t f = tf_range(&r, 0, cap);
    t->supply[u] += f;
    t->supply[v] -= f;
  }
  return t;
}

/* The médecin-traitant shape: groups → k nearest doctors → sink, with an
 * "unassigned" arc per group and a two-piece convex doctor arc. */
static tf_net *tf_transport(uint64_t seed, int32_t n_sup, int32_t n_doc,
                            int32_t k) {
  tf_rng r = {seed};
  int32_t sink = n_sup + n_doc;
  tf_net *t = tf_net_new(sink + 1, (int64_t)n_sup * (k + 1) + 2 * n_doc);
  int64_t *x = calloc((size_t)(n_sup + n_doc), sizeof *x);
  int64_t *y = calloc((size_t)(n_sup + n_doc), sizeof *y);
  assert_true(x && y);
  for (int32_t v = 0; v < n_sup + n_doc; v++) {
    x[v] = tf_range(&r, 0, 20000); /* metres */
    y[v] = tf_range(&r, 0, 20000);
  }
  int64_t total = 0;
  for (int32_t s = 0; s < n_sup; s++) {
    int64_t sup = tf_range(&r, 1, 200), prio = 100 + 10 * tf_range(&r, 0, 13);
    t->supply[s] = sup;
    total += sup;
    /* k doctors starting from a random one, wrapping: "nearby" enough for
     * the shape of the problem. */
    int32_t d0 = (int32_t)tf_range(&r, 0, n_doc - 1);
    for (int32_t i = 0; i < k; i++) {
      int32_t d = (d0 + i) % n_doc;
      int64_t dx = x[s] - x[n_sup + d], dy = y[s] - y[n_sup + d];
      int64_t dist_m = (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
      tf_arc(t, s, n_sup + d, sup, 1000 * dist_m - 1000000 * prio);
    }
    tf_arc(t, s, sink, sup, 0);
  }
  for (int32_t d = 0; d < n_doc; d++) {
    int64_t room = tf_range(&r, 0, 2 * total / n_doc), tt = room * 9 / 10;
    tf_arc(t, n_sup + d, sink, tt, 0);
    tf_arc(t, n_sup + d, sink, room - tt, 5000000);
  }
  t->supply[sink] = -total;
  free(x);
  free(y);
  return t;
}

/* ---- GLPK reference: the LP with exact rational simplex ---- */

typedef struct {
  int feasible;
  int64_t objective;
} tf_ref;

static tf_ref tf_glpk(const tf_net *t) {
  tf_ref ref = {1, 0};
  if (t->m == 0) {
    for (int32_t v = 0; v < t->n; v++)
      if (t->supply[v] != 0) ref.feasible = 0;
    return ref;
  }
  glp_prob *lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MIN);
  glp_add_rows(lp, t->n);
  for (int32_t v = 0; v < t->n; v++)
    glp_set_row_bnds(lp, v + 1, GLP_FX, (double)t->supply[v],
                     (double)t->supply[v]);
  glp_add_cols(lp, (int)t->m);
  for (int64_t a = 0; a < t->m; a++) {
    int j = (int)a + 1;
    if (t->cap[a] == 0)
      glp_set_col_bnds(lp, j, GLP_FX, 0.0, 0.0);
    else
      glp_set_col_bnds(lp, j, GLP_DB, 0.0, (double)t->cap[a]);
    glp_set_obj_coef(lp, j, (double)t->cost[a]);
    if (t->src[a] != t->tgt[a]) {
      int ind[3] = {0, t->src[a] + 1, t->tgt[a] + 1};
      double val[3] = {0.0, 1.0, -1.0};
      glp_set_mat_col(lp, j, 2, ind, val);
    }
  }
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  assert_int_equal(glp_simplex(lp, &parm), 0);
  assert_int_equal(glp_exact(lp, &parm), 0);
  int st = glp_get_status(lp);
  assert_true(st == GLP_OPT || st == GLP_NOFEAS);
  ref.feasible = st == GLP_OPT;
  if (ref.feasible) ref.objective = (int64_t)glp_get_obj_val(lp);
  glp_delete_prob(lp);
  return ref;
}

/* ---- independent checks of an optimal answer ---- */

/* Conservation at every node, 0 ≤ f ≤ cap, and the objective. */
static void tf_check_flow(const tf_net *t, const cpt_flow *g) {
  __int128 obj = 0;
  int64_t *net = calloc((size_t)t->n + 1, sizeof *net);
  assert_non_null(net);
  for (int64_t a = 0; a < t->m; a++) {
    int64_t f = cpt_flow_arc_flow(g, a);
    assert_true(f >= 0);
    assert_true(f <= t->cap[a]);
    net[t->src[a]] += f;
    net[t->tgt[a]] -= f;
    obj += (__int128)t->cost[a] * f;
  }
  for (int32_t v = 0; v < t->n; v++) assert_int_equal(net[v], t->supply[v]);
  assert_true(obj == (__int128)cpt_flow_objective(g));
  free(net);
}

/* Complementary slackness with rc = c − π_from + π_to, and the header's
 * duality formula Σ supply·π − Σ cap·max(0, −rc) = objective. */
static void tf_check_duals(const tf_net *t, const cpt_flow *g) {
  __int128 dual = 0;
  for (int32_t v = 0; v < t->n; v++)
    dual += (__int128)t->supply[v] * cpt_flow_potential(g, v);
  for (int64_t a = 0; a < t->m; a++) {
    int64_t f = cpt_flow_arc_flow(g, a);
    int64_t rc = t->cost[a] - cpt_flow_potential(g, t->src[a]) +
                 cpt_flow_potential(g, t->tgt[a]);
    if (f < t->cap[a]) assert_true(rc >= 0);
    if (f > 0) assert_true(rc <= 0);
    if (rc < 0) dual -= (__int128)t->cap[a] * -rc;
  }
  assert_true(dual == (__int128)cpt_flow_objective(g));
}

/* Solve t, compare with GLPK, check the answer; returns feasibility. */
static int tf_solve_and_compare(const tf_net *t, int64_t block) {
  cpt_flow *g = tf_build(t);
  cpt_flow_params p;
  cpt_flow_params_init(&p);
  p.block_size = block;
  cpt_flow_result r = cpt_flow_solve(g, &p);
  tf_ref ref = tf_glpk(t);
  if (ref.feasible) {
    assert_int_equal(r, CPT_FLOW_OPTIMAL);
    assert_int_equal(cpt_flow_objective(g), ref.objective);
    tf_check_flow(t, g);
    tf_check_duals(t, g);
  } else {
    assert_int_equal(r, CPT_FLOW_INFEASIBLE);
  }
  cpt_flow_free(g);
  return ref.feasible;
}

/* ---- tests ---- */

static void test_flow_matches_glpk_on_random_tiny_networks(void **state) {
  (void)state;
  int feasible = 0, infeasible = 0;
  for (uint64_t seed = 1; seed <= 1000; seed++) {
    tf_net *t = tf_random_tiny(seed);
    if (tf_solve_and_compare(t, 0))
      feasible++;
    else
      infeasible++;
    tf_net_free(t);
  }
  assert_true(feasible >= 300);
  assert_true(infeasible >= 100);
}

static void test_flow_matches_glpk_for_every_block_size(void **state) {
  (void)state;
  const int64_t blocks[] = {1, 2, 7, 1000};
  for (uint64_t seed = 1; seed <= 200; seed++) {
    tf_net *t = tf_random_tiny(seed * 7919);
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
      tf_solve_and_compare(t, blocks[i]);
    tf_net_free(t);
  }
}

static void test_flow_matches_glpk_on_random_medium_networks(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 30; seed++) {
    int32_t n = 20 + (int32_t)(seed * 13 % 180);
    tf_net *t = tf_random_medium(seed, n, 10 * n, 1000, 50);
    assert_true(tf_solve_and_compare(t, 0));
    tf_net_free(t);
  }
}

static void test_flow_solutions_conserve_flow_within_capacities(void **state) {
  (void)state;
  /* Larger networks than GLPK comfortably handles in a unit test; the
   * answer is checked on its own terms. */
  for (uint64_t seed = 1; seed <= 5; seed++) {
    tf_net *t = tf_random_medium(seed, 2000, 20000, 1000000, 1000);
    cpt_flow *g = tf_build(t);
    assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_OPTIMAL);
    tf_check_flow(t, g);
    tf_check_duals(t, g);
    cpt_flow_free(g);
    tf_net_free(t);
  }
}

static void test_flow_potentials_prove_optimality_by_duality(void **state) {
  (void)state;
  for (uint64_t seed = 100; seed < 400; seed++) {
    tf_net *t = tf_random_tiny(seed);
    cpt_flow *g = tf_build(t);
    if (cpt_flow_solve(g, NULL) == CPT_FLOW_OPTIMAL) tf_check_duals(t, g);
    cpt_flow_free(g);
    tf_net_free(t);
  }
  tf_net *t = tf_transport(5, 300, 50, 20);
  cpt_flow *g = tf_build(t);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_OPTIMAL);
  tf_check_duals(t, g);
  cpt_flow_free(g);
  tf_net_free(t);
}

static void test_flow_matches_glpk_on_small_transportation_networks(
    void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 40; seed++) {
    int32_t n_sup = 10 + (int32_t)(seed % 30), n_doc = 3 + (int32_t)(seed % 9);
    int32_t k = 1 + (int32_t)(seed % (uint64_t)n_doc);
    tf_net *t = tf_transport(seed, n_sup, n_doc, k);
    assert_true(tf_solve_and_compare(t, 0));
    tf_net_free(t);
  }
}

static void test_flow_rejects_unbalanced_supplies(void **state) {
  (void)state;
  cpt_flow *g = cpt_flow_new(2, 0);
  assert_non_null(g);
  cpt_flow_add_arc(g, 0, 1, 10, 1);
  cpt_flow_set_supply(g, 0, 3);
  cpt_flow_set_supply(g, 1, -2);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_BADINPUT);
  cpt_flow_free(g);
}

static void test_flow_rejects_negative_capacity(void **state) {
  (void)state;
  cpt_flow *g = cpt_flow_new(2, 0);
  assert_non_null(g);
  cpt_flow_add_arc(g, 0, 1, -1, 1);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_BADINPUT);
  cpt_flow_free(g);
}

static void test_flow_rejects_costs_too_large_for_big_m(void **state) {
  (void)state;
  cpt_flow *g = cpt_flow_new(2, 0);
  assert_non_null(g);
  cpt_flow_add_arc(g, 0, 1, 1, INT64_MAX / 4);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_BADINPUT);
  cpt_flow_free(g);
}

static void test_flow_add_arc_rejects_nodes_out_of_range(void **state) {
  (void)state;
  cpt_flow *g = cpt_flow_new(3, 0);
  assert_non_null(g);
  assert_int_equal(cpt_flow_add_arc(g, 0, 3, 1, 0), -1);
  assert_int_equal(cpt_flow_add_arc(g, -1, 0, 1, 0), -1);
  assert_int_equal(cpt_flow_add_arc(g, 0, 2, 1, 0), 0);
  assert_int_equal(cpt_flow_add_arc(g, 2, 1, 1, 0), 1);
  assert_int_equal(cpt_flow_n_arcs(g), 2);
  assert_int_equal(cpt_flow_n_nodes(g), 3);
  cpt_flow_free(g);
  cpt_flow_free(NULL);
}

static void test_flow_reports_infeasible_when_capacity_is_short(void **state) {
  (void)state;
  cpt_flow *g = cpt_flow_new(3, 0);
  assert_non_null(g);
  cpt_flow_add_arc(g, 0, 1, 3, 1);
  cpt_flow_add_arc(g, 1, 2, 10, 1);
  cpt_flow_set_supply(g, 0, 5);
  cpt_flow_set_supply(g, 2, -5);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_INFEASIBLE);
  cpt_flow_free(g);
}

static void test_flow_solves_network_without_arcs(void **state) {
  (void)state;
  cpt_flow *g = cpt_flow_new(3, 0);
  assert_non_null(g);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_OPTIMAL);
  assert_int_equal(cpt_flow_objective(g), 0);
  assert_int_equal(cpt_flow_pivots(g), 0);
  cpt_flow_set_supply(g, 0, 1);
  cpt_flow_set_supply(g, 2, -1);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_INFEASIBLE);
  cpt_flow_free(g);

  g = cpt_flow_new(0, 0);
  assert_non_null(g);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_OPTIMAL);
  cpt_flow_free(g);
}

static void test_flow_saturates_negative_cost_self_loop(void **state) {
  (void)state;
  tf_net *t = tf_net_new(2, 3);
  tf_arc(t, 0, 0, 7, -3); /* worth saturating */
  tf_arc(t, 1, 1, 4, 2);  /* not worth using */
  tf_arc(t, 0, 1, 2, 5);
  t->supply[0] = 2;
  t->supply[1] = -2;
  cpt_flow *g = tf_build(t);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_OPTIMAL);
  assert_int_equal(cpt_flow_arc_flow(g, 0), 7);
  assert_int_equal(cpt_flow_arc_flow(g, 1), 0);
  assert_int_equal(cpt_flow_arc_flow(g, 2), 2);
  assert_int_equal(cpt_flow_objective(g), -21 + 10);
  tf_check_flow(t, g);
  tf_check_duals(t, g);
  cpt_flow_free(g);
  tf_net_free(t);
}

static void test_flow_reports_unbounded_for_huge_negative_cycle(void **state) {
  (void)state;
  cpt_flow *g = cpt_flow_new(2, 0);
  assert_non_null(g);
  cpt_flow_add_arc(g, 0, 1, INT64_MAX, 1);
  cpt_flow_add_arc(g, 1, 0, INT64_MAX, -2);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_UNBOUNDED);
  cpt_flow_free(g);

  g = cpt_flow_new(1, 0);
  assert_non_null(g);
  cpt_flow_add_arc(g, 0, 0, (int64_t)1 << 62, -1);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_UNBOUNDED);
  cpt_flow_free(g);

  /* Below the 2^62 threshold a negative cycle is just saturated. */
  g = cpt_flow_new(2, 0);
  assert_non_null(g);
  cpt_flow_add_arc(g, 0, 1, 1000000000000000000, 1);
  cpt_flow_add_arc(g, 1, 0, INT64_MAX, -2);
  assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_OPTIMAL);
  assert_int_equal(cpt_flow_objective(g), -1000000000000000000);
  cpt_flow_free(g);
}

static void test_flow_same_network_twice_gives_identical_answers(
    void **state) {
  (void)state;
  tf_net *t = tf_transport(11, 400, 60, 25);
  cpt_flow *a = tf_build(t), *b = tf_build(t);
  assert_int_equal(cpt_flow_solve(a, NULL), CPT_FLOW_OPTIMAL);
  assert_int_equal(cpt_flow_solve(b, NULL), CPT_FLOW_OPTIMAL);
  assert_int_equal(cpt_flow_pivots(a), cpt_flow_pivots(b));
  for (int64_t e = 0; e < t->m; e++)
    assert_int_equal(cpt_flow_arc_flow(a, e), cpt_flow_arc_flow(b, e));
  for (int32_t v = 0; v < t->n; v++)
    assert_int_equal(cpt_flow_potential(a, v), cpt_flow_potential(b, v));

  /* Solving the same object again starts afresh and repeats itself. */
  int64_t pivots = cpt_flow_pivots(a);
  assert_int_equal(cpt_flow_solve(a, NULL), CPT_FLOW_OPTIMAL);
  assert_int_equal(cpt_flow_pivots(a), pivots);
  for (int64_t e = 0; e < t->m; e++)
    assert_int_equal(cpt_flow_arc_flow(a, e), cpt_flow_arc_flow(b, e));
  for (int32_t v = 0; v < t->n; v++)
    assert_int_equal(cpt_flow_potential(a, v), cpt_flow_potential(b, v));
  cpt_flow_free(a);
  cpt_flow_free(b);
  tf_net_free(t);
}

static void test_flow_stop_flag_set_before_solve_interrupts(void **state) {
  (void)state;
  tf_net *t = tf_transport(3, 50, 10, 5);
  cpt_flow *g = tf_build(t);
  atomic_int stop;
  atomic_init(&stop, 1);
  cpt_flow_params p;
  cpt_flow_params_init(&p);
  p.stop = &stop;
  assert_int_equal(cpt_flow_solve(g, &p), CPT_FLOW_INTERRUPTED);
  atomic_store(&stop, 0);
  assert_int_equal(cpt_flow_solve(g, &p), CPT_FLOW_OPTIMAL);
  tf_check_flow(t, g);
  cpt_flow_free(g);
  tf_net_free(t);
}

static void test_flow_arcs_added_after_a_solve_keep_their_indices(
    void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 20; seed++) {
    tf_net *t = tf_random_medium(seed, 30, 300, 100, 20);
    cpt_flow *g = cpt_flow_new(t->n, 0);
    assert_non_null(g);
    for (int32_t v = 0; v < t->n; v++) cpt_flow_set_supply(g, v, t->supply[v]);
    /* Half the arcs, a solve (the solver reorders its arrays), the rest. */
    for (int64_t a = 0; a < t->m / 2; a++)
      assert_int_equal(
          cpt_flow_add_arc(g, t->src[a], t->tgt[a], t->cap[a], t->cost[a]), a);
    cpt_flow_solve(g, NULL);
    for (int64_t a = t->m / 2; a < t->m; a++)
      assert_int_equal(
          cpt_flow_add_arc(g, t->src[a], t->tgt[a], t->cap[a], t->cost[a]), a);
    assert_int_equal(cpt_flow_solve(g, NULL), CPT_FLOW_OPTIMAL);
    assert_int_equal(cpt_flow_objective(g), tf_glpk(t).objective);
    tf_check_flow(t, g);
    tf_check_duals(t, g);
    cpt_flow_free(g);
    tf_net_free(t);
  }
}

static void test_flow_time_limit_interrupts_a_long_solve(void **state) {
  (void)state;
  tf_net *t = tf_transport(7, 2000, 200, 40);
  cpt_flow *g = tf_build(t);
  cpt_flow_params p;
  cpt_flow_params_init(&p);
  assert_int_equal(cpt_flow_solve(g, &p), CPT_FLOW_OPTIMAL);
  assert_true(cpt_flow_pivots(g) > 2 * 1000); /* past the first poll */
  p.time_limit_s = 1e-9;
  assert_int_equal(cpt_flow_solve(g, &p), CPT_FLOW_INTERRUPTED);
  assert_true(cpt_flow_pivots(g) <= 1000);
  cpt_flow_free(g);
  tf_net_free(t);
}

static void test_flow_rejects_invalid_parameters(void **state) {
  (void)state;
  cpt_flow *g = cpt_flow_new(2, 0);
  assert_non_null(g);
  cpt_flow_add_arc(g, 0, 1, 1, 1);
  cpt_flow_params p;
  cpt_flow_params_init(&p);
  p.block_size = -1;
  assert_int_equal(cpt_flow_solve(g, &p), CPT_FLOW_BADINPUT);
  cpt_flow_params_init(&p);
  p.time_limit_s = -1.0;
  assert_int_equal(cpt_flow_solve(g, &p), CPT_FLOW_BADINPUT);
  cpt_flow_params_init(&p);
  assert_int_equal(cpt_flow_solve(g, &p), CPT_FLOW_OPTIMAL);
  cpt_flow_free(g);
}

static void test_flow_result_names_are_stable(void **state) {
  (void)state;
  assert_string_equal(cpt_flow_result_name(CPT_FLOW_OPTIMAL), "optimal");
  assert_string_equal(cpt_flow_result_name(CPT_FLOW_INFEASIBLE), "infeasible");
  assert_string_equal(cpt_flow_result_name(CPT_FLOW_UNBOUNDED), "unbounded");
  assert_string_equal(cpt_flow_result_name(CPT_FLOW_INTERRUPTED),
                      "interrupted");
  assert_string_equal(cpt_flow_result_name(CPT_FLOW_BADINPUT), "bad input");
}

static int tf_teardown(void **state) {
  (void)state;
  glp_free_env();
  return 0;
}

int main(void) {
  glp_term_out(GLP_OFF);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_flow_matches_glpk_on_random_tiny_networks),
      cmocka_unit_test(test_flow_matches_glpk_for_every_block_size),
      cmocka_unit_test(test_flow_matches_glpk_on_random_medium_networks),
      cmocka_unit_test(test_flow_solutions_conserve_flow_within_capacities),
      cmocka_unit_test(test_flow_potentials_prove_optimality_by_duality),
      cmocka_unit_test(test_flow_matches_glpk_on_small_transportation_networks),
      cmocka_unit_test(test_flow_rejects_unbalanced_supplies),
      cmocka_unit_test(test_flow_rejects_negative_capacity),
      cmocka_unit_test(test_flow_rejects_costs_too_large_for_big_m),
      cmocka_unit_test(test_flow_add_arc_rejects_nodes_out_of_range),
      cmocka_unit_test(test_flow_reports_infeasible_when_capacity_is_short),
      cmocka_unit_test(test_flow_solves_network_without_arcs),
      cmocka_unit_test(test_flow_saturates_negative_cost_self_loop),
      cmocka_unit_test(test_flow_reports_unbounded_for_huge_negative_cycle),
      cmocka_unit_test(test_flow_same_network_twice_gives_identical_answers),
      cmocka_unit_test(test_flow_stop_flag_set_before_solve_interrupts),
      cmocka_unit_test(test_flow_arcs_added_after_a_solve_keep_their_indices),
      cmocka_unit_test(test_flow_time_limit_interrupts_a_long_solve),
      cmocka_unit_test(test_flow_rejects_invalid_parameters),
      cmocka_unit_test(test_flow_result_names_are_stable),
  };
  return cmocka_run_group_tests(tests, NULL, tf_teardown);
}
