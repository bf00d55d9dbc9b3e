/*
 * test_gap_zone.c — the GAP core's local search by zones (solver/gap_zone.c).
 *
 * On MT-shaped instances cut into 4 or 5 zones (agents on a line, each
 * class listing its nearest agents, values as negative costs, an
 * unassigned option, counts, one weight per class, soft capacities): the
 * search gives the same solution with 1 and 2 threads, stays feasible,
 * improves the start, and its incremental objective agrees with the
 * instance's own evaluation; a zone-restricted local search moves only its
 * zone's classes between its zone's agents; and a search cut by the stop
 * flag still returns a consistent, feasible state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/gap_internal.h"
#include "support/brute.h" /* cpt_test_splitmix64 */

static int rint_in(uint64_t *s, int lo, int hi) {
  return lo + (int)(cpt_test_splitmix64(s) % (uint64_t)(hi - lo + 1));
}

/* m agents at x = 0, 1, …, m−1; n classes at random x in [0, m), each
 * listing its `deg` nearest agents in shuffled order; value 100 − 3·|Δx|
 * per job of weight w_j ∈ [1, 4]; capacities at `tight` of the total
 * weight over m. */
static cpt_gap *line_gap(uint64_t seed, int32_t m, int32_t n, int32_t deg,
                         double tight) {
  uint64_t s = seed;
  cpt_gap *g = cpt_gap_new(m, n, (int64_t)n * deg, 1, 1, 1, 1);
  assert_non_null(g);
  int32_t *near = malloc((size_t)deg * sizeof *near);
  assert_non_null(near);
  double total = 0.0;
  for (int32_t j = 0; j < n; j++) {
    double xj = (double)rint_in(&s, 0, 1000 * m - 1) / 1000.0;
    int32_t lo = (int32_t)xj - deg / 2;
    if (lo < 0)
      lo = 0;
    if (lo > m - deg)
      lo = m - deg;
    for (int32_t t = 0; t < deg; t++)
      near[t] = lo + t;
    for (int32_t t = deg - 1; t > 0; t--) {
      int32_t r = rint_in(&s, 0, t), a = near[t];
      near[t] = near[r];
      near[r] = a;
    }
    g->start[j] = (int64_t)j * deg;
    g->count[j] = rint_in(&s, 1, 5);
    g->unassigned[j] = 0.0;
    int64_t w = rint_in(&s, 1, 4);
    for (int32_t t = 0; t < deg; t++) {
      int64_t k = (int64_t)j * deg + t;
      g->agent[k] = near[t];
      g->cost[k] = -(100.0 - 3.0 * fabs(xj - near[t])) * (double)w;
      g->weight[k] = w;
    }
    total += (double)(w * g->count[j]);
  }
  g->start[n] = (int64_t)n * deg;
  for (int32_t i = 0; i < m; i++) {
    g->cap[i] = (int64_t)(tight * total / m) + rint_in(&s, 0, 20);
    g->soft[i] = g->cap[i] * rint_in(&s, 7, 10) / 10;
    g->soft_pen[i] = rint_in(&s, 0, 30);
    g->agent_xy[2 * i] = 45.0;
    g->agent_xy[2 * i + 1] = (double)i;
  }
  free(near);
  char err[256];
  assert_int_equal(cpt_gap_validate(g, err, sizeof err), CPT_OK);
  return g;
}

/* Every job unassigned: feasible, the worst start. */
static void start_unassigned(const gap_ctx *c, gap_state *s) {
  memset(s->x, 0, (size_t)c->nnz * sizeof *s->x);
  for (int32_t j = 0; j < c->g->n; j++)
    s->y[j] = c->g->count[j];
  gap_state_recompute(s, c);
}

/* The regret construction from an empty state with noise: a start that
 * leaves the local search some, not all, of the work. */
static void start_constructed(const gap_ctx *c, gap_state *s, uint64_t seed) {
  gap_work w;
  assert_int_equal(gap_work_init(&w, c, NULL), 0);
  memset(s->x, 0, (size_t)c->nnz * sizeof *s->x);
  memset(s->y, 0, (size_t)c->g->n * sizeof *s->y);
  gap_state_recompute(s, c);
  uint64_t rng = seed;
  gap_construct(c, &w, s, NULL, &rng, 0.3);
  gap_work_free(&w);
  assert_int_equal(s->excess, 0);
}

/* s against the instance's own evaluation: feasible, every job placed
 * once, the same objective. */
static void assert_consistent(const cpt_gap *g, const gap_state *s) {
  for (int32_t j = 0; j < g->n; j++) {
    int64_t t = s->y[j];
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      assert_true(s->x[k] >= 0);
      t += s->x[k];
    }
    assert_int_equal(t, g->count[j]);
  }
  int feasible = 0;
  cpt_gap_sol sol = {s->x, s->y};
  double obj = cpt_gap_eval(g, &sol, &feasible);
  assert_true(feasible);
  assert_int_equal(s->excess, 0);
  assert_true(fabs(obj - s->obj) <= 1e-6 * fmax(1.0, fabs(obj)));
}

static void test_zone_search_same_with_1_and_2_threads(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 3; seed++) {
    cpt_gap *g = line_gap(seed, 120, 1500, 16, 0.35);
    gap_ctx c;
    assert_int_equal(gap_ctx_init(&c, g), 0);
    gap_state a, b;
    assert_int_equal(gap_state_init(&a, &c), 0);
    assert_int_equal(gap_state_init(&b, &c), 0);
    start_constructed(&c, &a, seed);
    double start = a.obj;
    gap_state_copy(&b, &a, &c);
    assert_int_equal(gap_zone_search(&c, &a, 1, 5, 0, NULL), CPT_OK);
    assert_int_equal(gap_zone_search(&c, &b, 2, 5, 0, NULL), CPT_OK);
    assert_memory_equal(a.x, b.x, (size_t)c.nnz * sizeof *a.x);
    assert_memory_equal(a.y, b.y, (size_t)g->n * sizeof *a.y);
    assert_true(a.obj == b.obj);
    assert_consistent(g, &a);
    assert_true(a.obj < start);
    gap_state_free(&a);
    gap_state_free(&b);
    gap_ctx_free(&c);
    cpt_gap_free(g);
  }
}

/* A second search from the first one's result finds nothing more: the
 * passes ran until no zone of either cut improved. */
static void test_zone_search_ends_at_a_fixed_point(void **state) {
  (void)state;
  cpt_gap *g = line_gap(11, 100, 1200, 16, 0.3);
  gap_ctx c;
  assert_int_equal(gap_ctx_init(&c, g), 0);
  gap_state s, t;
  assert_int_equal(gap_state_init(&s, &c), 0);
  assert_int_equal(gap_state_init(&t, &c), 0);
  start_constructed(&c, &s, 3);
  assert_int_equal(gap_zone_search(&c, &s, 2, 4, 0, NULL), CPT_OK);
  gap_state_copy(&t, &s, &c);
  assert_int_equal(gap_zone_search(&c, &t, 2, 4, 0, NULL), CPT_OK);
  assert_memory_equal(s.x, t.x, (size_t)c.nnz * sizeof *s.x);
  assert_consistent(g, &t);
  gap_state_free(&s);
  gap_state_free(&t);
  gap_ctx_free(&c);
  cpt_gap_free(g);
}

static void test_zone_restricted_local_search(void **state) {
  (void)state;
  cpt_gap *g = line_gap(5, 30, 600, 12, 0.3);
  gap_ctx c;
  assert_int_equal(gap_ctx_init(&c, g), 0);
  gap_work w;
  assert_int_equal(gap_work_init(&w, &c, NULL), 0);
  gap_state s;
  assert_int_equal(gap_state_init(&s, &c), 0);
  start_unassigned(&c, &s);
  /* A first search without zones, so that jobs sit on every agent. */
  gap_local_search(&c, &w, &s, NULL, 0, 0, 0, NULL);
  int32_t *za = malloc((size_t)g->m * sizeof *za);
  int32_t *zj = malloc((size_t)g->n * sizeof *zj);
  int32_t *list = malloc((size_t)g->n * sizeof *list);
  int64_t *x0 = malloc((size_t)c.nnz * sizeof *x0);
  int64_t *y0 = malloc((size_t)g->n * sizeof *y0);
  assert_true(za && zj && list && x0 && y0);
  /* Zone 1: the agents 10..19 and every third class. */
  for (int32_t i = 0; i < g->m; i++)
    za[i] = i >= 10 && i < 20;
  int32_t nl = 0;
  for (int32_t j = 0; j < g->n; j++) {
    zj[j] = j % 3 == 0;
    if (zj[j])
      list[nl++] = j;
  }
  /* Make the zone's moves pay: double every capacity of zone 1. */
  for (int32_t i = 10; i < 20; i++)
    g->cap[i] *= 2;
  gap_state_recompute(&s, &c);
  memcpy(x0, s.x, (size_t)c.nnz * sizeof *x0);
  memcpy(y0, s.y, (size_t)g->n * sizeof *y0);
  double before = s.obj;
  s.zone_agent = za;
  s.zone_job = zj;
  s.zone = 1;
  gap_local_search(&c, &w, &s, list, nl, nl, 0, NULL);
  s.zone_agent = s.zone_job = NULL;
  assert_true(s.obj < before);
  int changed = 0;
  for (int32_t j = 0; j < g->n; j++) {
    if (s.y[j] != y0[j]) {
      assert_int_equal(zj[j], 1);
      changed++;
    }
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      if (s.x[k] != x0[k]) {
        assert_int_equal(zj[j], 1);
        assert_int_equal(za[g->agent[k]], 1);
        changed++;
      }
  }
  assert_true(changed > 0);
  assert_consistent(g, &s);
  free(za);
  free(zj);
  free(list);
  free(x0);
  free(y0);
  gap_state_free(&s);
  gap_work_free(&w);
  gap_ctx_free(&c);
  cpt_gap_free(g);
}

static void test_zone_search_stopped_is_consistent(void **state) {
  (void)state;
  cpt_gap *g = line_gap(7, 100, 1200, 16, 0.35);
  gap_ctx c;
  assert_int_equal(gap_ctx_init(&c, g), 0);
  gap_state s;
  assert_int_equal(gap_state_init(&s, &c), 0);
  start_unassigned(&c, &s);
  double start = s.obj;
  atomic_int stop = 1;
  assert_int_equal(gap_zone_search(&c, &s, 2, 4, 0, &stop), CPT_OK);
  assert_true(s.obj == start); /* stopped before the first pass */
  assert_consistent(g, &s);
  gap_state_free(&s);
  gap_ctx_free(&c);
  cpt_gap_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_zone_search_same_with_1_and_2_threads),
      cmocka_unit_test(test_zone_search_ends_at_a_fixed_point),
      cmocka_unit_test(test_zone_restricted_local_search),
      cmocka_unit_test(test_zone_search_stopped_is_consistent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
