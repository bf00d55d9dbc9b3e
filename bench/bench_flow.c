/*
 * bench_flow.c — time cpt_flow_solve on a random network shaped like the
 * médecin-traitant transportation model (SPEC §1, aggregated patients).
 *
 * Usage: bench_flow [supply_nodes [doctors [arcs_per_supply [seed [block]]]]]
 *        (defaults 3000 1000 100 1, block 0 = the solver's default)
 *
 * Patient groups (supply 1..200, priority 100..230) and doctors lie in a
 * square whose side grows with √doctors (40 km for 1,000 doctors).  Each
 * group gets arcs to its k nearest doctors (found through a bucket grid) at
 * cost 1e6·(dist − priority), plus an "unassigned" arc to the sink at cost
 * 0.  Each doctor reaches the sink by two arcs, t_d at cost 0 and r_d − t_d
 * at cost 5e6 (the fairness penalty above 90 % of r_d); the doctors' total
 * room is about 80 % of the patients.  The sink absorbs every patient.
 * Randomness: splitmix64, seeded from the command line.  After the solve
 * the answer is checked on its own terms (conservation, bounds,
 * complementary slackness, and the duality formula of flow.h) and the line
 * printed says "verified" or what failed.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../solver/flow.h"

typedef struct {
  uint64_t s;
} bench_rng;

static uint64_t rng_next(bench_rng *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static double rng_unit(bench_rng *r) {
  return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int64_t rng_range(bench_rng *r, int64_t lo, int64_t hi) {
  return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int32_t cell_of(double x, double y, double cell, int32_t grid) {
  int32_t cx = (int32_t)(x / cell), cy = (int32_t)(y / cell);
  if (cx >= grid) cx = grid - 1;
  if (cy >= grid) cy = grid - 1;
  return cy * grid + cx;
}

typedef struct {
  double d;
  int32_t doc;
} cand;

/* The arcs as given, to check the answer against. */
typedef struct {
  int32_t *src, *tgt;
  int64_t *cap, *cost;
  int64_t m;
} bench_arcs;

static void bench_add(cpt_flow *g, bench_arcs *b, int32_t u, int32_t v,
                      int64_t cap, int64_t cost) {
  b->src[b->m] = u;
  b->tgt[b->m] = v;
  b->cap[b->m] = cap;
  b->cost[b->m] = cost;
  b->m++;
  cpt_flow_add_arc(g, u, v, cap, cost);
}

/* NULL when the optimal answer checks out, else what failed. */
static const char *bench_verify(const cpt_flow *g, const bench_arcs *b,
                                const int64_t *supply) {
  int32_t n = cpt_flow_n_nodes(g);
  int64_t *net = calloc((size_t)n, sizeof *net);
  if (!net) return "out of memory";
  const char *err = NULL;
  __int128 obj = 0, dual = 0;
  for (int64_t a = 0; a < b->m && !err; a++) {
    int64_t f = cpt_flow_arc_flow(g, a);
    int64_t rc = b->cost[a] - cpt_flow_potential(g, b->src[a]) +
                 cpt_flow_potential(g, b->tgt[a]);
    if (f < 0 || f > b->cap[a]) err = "capacity bound";
    if ((f < b->cap[a] && rc < 0) || (f > 0 && rc > 0))
      err = "complementary slackness";
    net[b->src[a]] += f;
    net[b->tgt[a]] -= f;
    obj += (__int128)b->cost[a] * f;
    if (rc < 0) dual -= (__int128)b->cap[a] * -rc;
  }
  for (int32_t v = 0; v < n && !err; v++) {
    if (net[v] != supply[v]) err = "flow conservation";
    dual += (__int128)supply[v] * cpt_flow_potential(g, v);
  }
  if (!err && obj != (__int128)cpt_flow_objective(g)) err = "objective";
  if (!err && dual != obj) err = "duality";
  free(net);
  return err;
}

static int cand_cmp(const void *a, const void *b) {
  const cand *x = a, *y = b;
  if (x->d != y->d) return x->d < y->d ? -1 : 1;
  return (x->doc > y->doc) - (x->doc < y->doc);
}

int main(int argc, char **argv) {
  int32_t n_sup = argc > 1 ? atoi(argv[1]) : 3000;
  int32_t n_doc = argc > 2 ? atoi(argv[2]) : 1000;
  int32_t k = argc > 3 ? atoi(argv[3]) : 100;
  uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
  cpt_flow_params params;
  cpt_flow_params_init(&params);
  params.block_size = argc > 5 ? atoll(argv[5]) : 0;
  if (n_sup < 1 || n_doc < 1 || k < 1) {
    fprintf(stderr, "usage: bench_flow [supply_nodes [doctors [arcs "
                    "[seed [block]]]]]\n");
    return 2;
  }
  if (k > n_doc) k = n_doc;
  bench_rng rng = {seed};
  const double side = 40.0 * sqrt(n_doc / 1000.0);
  const int32_t grid = (int32_t)ceil(sqrt(n_doc / 4.0));
  const double cell = side / grid;

  double *dx = malloc(n_doc * sizeof *dx), *dy = malloc(n_doc * sizeof *dy);
  int64_t *room = malloc(n_doc * sizeof *room);
  int32_t *cell_start = calloc((size_t)grid * grid + 1, sizeof *cell_start);
  int32_t *cell_docs = malloc(n_doc * sizeof *cell_docs);
  int32_t *fill = calloc((size_t)grid * grid, sizeof *fill);
  int64_t *supply = malloc(n_sup * sizeof *supply);
  int64_t *prio = malloc(n_sup * sizeof *prio);
  double *sx = malloc(n_sup * sizeof *sx), *sy = malloc(n_sup * sizeof *sy);
  cand *cands = malloc(n_doc * sizeof *cands);
  if (!dx || !dy || !room || !cell_start || !cell_docs || !fill || !supply ||
      !prio || !sx || !sy || !cands) {
    fprintf(stderr, "bench_flow: out of memory\n");
    return 1;
  }

  int64_t total = 0;
  for (int32_t s = 0; s < n_sup; s++) {
    sx[s] = rng_unit(&rng) * side;
    sy[s] = rng_unit(&rng) * side;
    supply[s] = rng_range(&rng, 1, 200);
    prio[s] = 100 + 60 * (rng_unit(&rng) < 0.2) + 30 * (rng_unit(&rng) < 0.2) +
              20 * (rng_unit(&rng) < 0.15) + 20 * (rng_unit(&rng) < 0.1);
    total += supply[s];
  }
  const double mean_room = 0.8 * (double)total / n_doc;
  for (int32_t d = 0; d < n_doc; d++) {
    dx[d] = rng_unit(&rng) * side;
    dy[d] = rng_unit(&rng) * side;
    room[d] = (int64_t)(mean_room * (0.5 + rng_unit(&rng)));
    cell_start[cell_of(dx[d], dy[d], cell, grid) + 1]++;
  }
  for (int32_t c = 0; c < grid * grid; c++) cell_start[c + 1] += cell_start[c];
  for (int32_t d = 0; d < n_doc; d++) {
    int32_t c = cell_of(dx[d], dy[d], cell, grid);
    cell_docs[cell_start[c] + fill[c]++] = d;
  }

  const int32_t sink = n_sup + n_doc;
  int64_t m_est = (int64_t)n_sup * (k + 1) + 2 * (int64_t)n_doc;
  cpt_flow *g = cpt_flow_new(sink + 1, m_est);
  bench_arcs arcs = {malloc((size_t)m_est * sizeof(int32_t)),
                     malloc((size_t)m_est * sizeof(int32_t)),
                     malloc((size_t)m_est * sizeof(int64_t)),
                     malloc((size_t)m_est * sizeof(int64_t)), 0};
  int64_t *node_supply = calloc((size_t)sink + 1, sizeof *node_supply);
  if (!g || !arcs.src || !arcs.tgt || !arcs.cap || !arcs.cost ||
      !node_supply) {
    fprintf(stderr, "bench_flow: out of memory\n");
    return 1;
  }
  double t_build = now_s();
  for (int32_t s = 0; s < n_sup; s++) {
    int32_t c0 = cell_of(sx[s], sy[s], cell, grid);
    int32_t cx = c0 % grid, cy = c0 / grid;
    int32_t nc = 0, ring_done = -1;
    /* Collect doctors ring by ring; one ring past k keeps the k nearest
     * (close to) exact. */
    for (int32_t r = 0; r <= grid; r++) {
      for (int32_t y = cy - r; y <= cy + r; y++) {
        for (int32_t x = cx - r; x <= cx + r; x++) {
          if (y < 0 || y >= grid || x < 0 || x >= grid) continue;
          if (y != cy - r && y != cy + r && x != cx - r && x != cx + r)
            continue;
          int32_t c = y * grid + x;
          for (int32_t i = cell_start[c]; i < cell_start[c + 1]; i++) {
            int32_t d = cell_docs[i];
            cands[nc].d = hypot(sx[s] - dx[d], sy[s] - dy[d]);
            cands[nc++].doc = d;
          }
        }
      }
      if (ring_done < 0 && nc >= k) ring_done = r;
      if (ring_done >= 0 && r >= ring_done + 1) break;
    }
    qsort(cands, nc, sizeof *cands, cand_cmp);
    for (int32_t i = 0; i < k && i < nc; i++) {
      int64_t cost = (int64_t)llround(1e6 * (1.3 * cands[i].d - prio[s]));
      bench_add(g, &arcs, s, n_sup + cands[i].doc, supply[s], cost);
    }
    bench_add(g, &arcs, s, sink, supply[s], 0);
    node_supply[s] = supply[s];
    cpt_flow_set_supply(g, s, supply[s]);
  }
  for (int32_t d = 0; d < n_doc; d++) {
    int64_t t = (int64_t)floor(0.9 * room[d]);
    bench_add(g, &arcs, n_sup + d, sink, t, 0);
    bench_add(g, &arcs, n_sup + d, sink, room[d] - t, 5000000);
  }
  node_supply[sink] = -total;
  cpt_flow_set_supply(g, sink, -total);
  t_build = now_s() - t_build;

  double t0 = now_s();
  cpt_flow_result r = cpt_flow_solve(g, &params);
  double t_solve = now_s() - t0;

  int64_t assigned = 0;
  for (int32_t d = 0; d < n_doc; d++) {
    int64_t a0 = cpt_flow_n_arcs(g) - 2 * (int64_t)(n_doc - d);
    assigned += cpt_flow_arc_flow(g, a0) + cpt_flow_arc_flow(g, a0 + 1);
  }
  const char *bad = r == CPT_FLOW_OPTIMAL ? bench_verify(g, &arcs, node_supply)
                                          : "not optimal";
  printf("nodes %d arcs %lld result %s pivots %lld objective %lld "
         "assigned %lld/%lld build %.3f s solve %.3f s %s%s\n",
         (int)cpt_flow_n_nodes(g), (long long)cpt_flow_n_arcs(g),
         cpt_flow_result_name(r), (long long)cpt_flow_pivots(g),
         (long long)cpt_flow_objective(g), (long long)assigned,
         (long long)total, t_build, t_solve, bad ? "FAILED " : "verified",
         bad ? bad : "");

  cpt_flow_free(g);
  free(arcs.src);
  free(arcs.tgt);
  free(arcs.cap);
  free(arcs.cost);
  free(node_supply);
  free(dx);
  free(dy);
  free(room);
  free(cell_start);
  free(cell_docs);
  free(fill);
  free(supply);
  free(prio);
  free(sx);
  free(sy);
  free(cands);
  return bad ? 1 : 0;
}
