/*
 * flow.c — minimum-cost flow by the primal network simplex (see flow.h).
 *
 * The basis is a spanning tree of the network plus an artificial root r
 * (node n).  Every node v starts attached to r by an artificial arc that
 * carries its supply: v → r at cost 0 when supply_v ≥ 0, r → v at cost M
 * when supply_v < 0, with M = n·(max|cost| + 1) larger than the cost of any
 * simple path, so an optimum that still routes flow through r proves the
 * supplies infeasible.  The initial tree is strongly feasible (every
 * zero-flow arc points towards r) and the leaving-arc rule keeps it so:
 * among the blocking arcs of the pivot cycle, the last one met when walking
 * the cycle from its apex in the direction of the flow change leaves.  This
 * prevents cycling.  Artificial arcs are never priced: once one leaves the
 * basis it stays at zero.
 *
 * Pricing is Kovács's block search: the real arcs are scanned cyclically in
 * blocks of B (default max(10, ⌈√m⌉)) and the most violating arc of the
 * first block holding one enters.  Tree arcs have state 0, arcs at their
 * lower bound +1 and at their upper bound −1, so state·rc < 0 marks exactly
 * the arcs worth entering and the scan needs no branch per state.
 *
 * The tree is stored per node as parent, pred (the tree arc to the parent)
 * and dir (+1 when pred points up, v → parent), with the preorder threaded
 * through thread/rev_thread and, per node, the subtree size succ_num and the
 * last node of the subtree in preorder, last_succ.  The subtree cut off by
 * the leaving arc is a contiguous stretch of the thread; re-rooting it at
 * the entering node rewrites the thread in time proportional to the length
 * of the re-rooted path (two slices per path node), and its potentials
 * shift by one constant, in time proportional to its size.  The apex of the
 * cycle is found by climbing from the smaller subtree (succ_num).
 *
 * Potentials follow Ahuja, Magnanti & Orlin: rc_a = c_a − π_from + π_to,
 * π_r = 0; a tree arc has rc = 0.
 *
 * Unboundedness: capacities are finite int64, so a negative cycle is only
 * "unbounded" by convention: a pivot whose cycle can carry ≥ 2^62 units
 * (every arc on it has capacity ≥ 2^62, i.e. is used as "infinite") returns
 * CPT_FLOW_UNBOUNDED.
 */
#include "flow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ST_UPPER = -1, ST_TREE = 0, ST_LOWER = 1 };
enum { DIR_DOWN = -1, DIR_UP = 1 };

#define FLOW_INFINITE_CAP ((int64_t)1 << 62)
#define FLOW_POLL_PIVOTS 1000
#define FLOW_MIN_BLOCK 10

struct cpt_flow {
  int32_t n;
  int64_t m;      /* real arcs */
  int64_t m_cap;  /* allocated arc slots */
  int32_t *src, *tgt;
  int64_t *cap, *cost, *flow;
  int8_t *state;
  int64_t *supply; /* n */
  int bad_cap;     /* a negative capacity was given */

  /* Basis, n + 1 nodes (the root is n); kept after a solve for pi. */
  int64_t *pi, *pred;
  int32_t *parent, *thread, *rev_thread, *succ_num, *last_succ;
  int32_t *seg_a, *seg_b; /* scratch: thread slices of a re-rooted path */
  int8_t *dir;

  int64_t pivots;
  int64_t objective;
};

void cpt_flow_params_init(cpt_flow_params *p) {
  p->block_size = 0;
  p->time_limit_s = 0.0;
  p->stop = NULL;
}

const char *cpt_flow_result_name(cpt_flow_result r) {
  switch (r) {
  case CPT_FLOW_OPTIMAL: return "optimal";
  case CPT_FLOW_INFEASIBLE: return "infeasible";
  case CPT_FLOW_UNBOUNDED: return "unbounded";
  case CPT_FLOW_INTERRUPTED: return "interrupted";
  case CPT_FLOW_BADINPUT: return "bad input";
  }
  return "unknown";
}

/* Grow every arc array to hold want arcs.  Arrays that did grow keep their
 * new size even if a later one fails; m_cap moves only when all did. */
static int flow_reserve(cpt_flow *g, int64_t want) {
  if (want <= g->m_cap) return 0;
  if (want > INT64_MAX / 16) return -1;
  size_t k = (size_t)want;
  void *p;
  if (!(p = realloc(g->src, k * sizeof *g->src))) return -1;
  g->src = p;
  if (!(p = realloc(g->tgt, k * sizeof *g->tgt))) return -1;
  g->tgt = p;
  if (!(p = realloc(g->cap, k * sizeof *g->cap))) return -1;
  g->cap = p;
  if (!(p = realloc(g->cost, k * sizeof *g->cost))) return -1;
  g->cost = p;
  if (!(p = realloc(g->flow, k * sizeof *g->flow))) return -1;
  g->flow = p;
  if (!(p = realloc(g->state, k * sizeof *g->state))) return -1;
  g->state = p;
  g->m_cap = want;
  return 0;
}

cpt_flow *cpt_flow_new(int32_t n_nodes, int64_t arc_hint) {
  if (n_nodes < 0 || n_nodes == INT32_MAX) return NULL;
  cpt_flow *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->n = n_nodes;
  g->supply = calloc((size_t)n_nodes + 1, sizeof *g->supply);
  if (!g->supply || flow_reserve(g, arc_hint > 16 ? arc_hint : 16)) {
    cpt_flow_free(g);
    return NULL;
  }
  return g;
}

static void flow_free_basis(cpt_flow *g) {
  free(g->pi);
  free(g->pred);
  free(g->parent);
  free(g->thread);
  free(g->rev_thread);
  free(g->succ_num);
  free(g->last_succ);
  free(g->seg_a);
  free(g->seg_b);
  free(g->dir);
  g->pi = g->pred = NULL;
  g->parent = g->thread = g->rev_thread = g->succ_num = g->last_succ = NULL;
  g->seg_a = g->seg_b = NULL;
  g->dir = NULL;
}

void cpt_flow_free(cpt_flow *g) {
  if (!g) return;
  free(g->src);
  free(g->tgt);
  free(g->cap);
  free(g->cost);
  free(g->flow);
  free(g->state);
  free(g->supply);
  flow_free_basis(g);
  free(g);
}

int64_t cpt_flow_add_arc(cpt_flow *g, int32_t from, int32_t to, int64_t cap,
                         int64_t cost) {
  if (!g || from < 0 || from >= g->n || to < 0 || to >= g->n) return -1;
  if (g->m == g->m_cap) {
    int64_t want = g->m_cap + g->m_cap / 2 + 16;
    if (flow_reserve(g, want)) return -1;
  }
  int64_t a = g->m++;
  g->src[a] = from;
  g->tgt[a] = to;
  g->cap[a] = cap;
  g->cost[a] = cost;
  g->flow[a] = 0;
  g->state[a] = ST_LOWER;
  if (cap < 0) g->bad_cap = 1;
  return a;
}

void cpt_flow_set_supply(cpt_flow *g, int32_t node, int64_t supply) {
  if (g && node >= 0 && node < g->n) g->supply[node] = supply;
}

int32_t cpt_flow_n_nodes(const cpt_flow *g) { return g ? g->n : 0; }
int64_t cpt_flow_n_arcs(const cpt_flow *g) { return g ? g->m : 0; }

int64_t cpt_flow_arc_flow(const cpt_flow *g, int64_t arc) {
  if (!g || arc < 0 || arc >= g->m) return 0;
  return g->flow[arc];
}

int64_t cpt_flow_objective(const cpt_flow *g) { return g ? g->objective : 0; }

int64_t cpt_flow_potential(const cpt_flow *g, int32_t node) {
  if (!g || !g->pi || node < 0 || node >= g->n) return 0;
  return g->pi[node];
}

int64_t cpt_flow_pivots(const cpt_flow *g) { return g ? g->pivots : 0; }

/* Check the data and the big-M bound; 0 when fine. */
static int flow_check_input(const cpt_flow *g, int64_t *big_m) {
  if (g->bad_cap) return -1;
  int64_t sum = 0;
  for (int32_t v = 0; v < g->n; v++) {
    if (__builtin_add_overflow(sum, g->supply[v], &sum)) return -1;
    if (g->supply[v] == INT64_MIN) return -1;
  }
  if (sum != 0) return -1;
  int64_t max_c = 0;
  for (int64_t a = 0; a < g->m; a++) {
    int64_t c = g->cost[a];
    if (c == INT64_MIN) return -1;
    if (c < 0) c = -c;
    if (c > max_c) max_c = c;
  }
  /* Potentials stay within ±2M and reduced costs within ±5M. */
  int64_t nodes = (int64_t)g->n + 1;
  if (max_c + 1 > INT64_MAX / 8 / nodes) return -1;
  *big_m = (max_c + 1) * nodes;
  return 0;
}

static int flow_alloc_basis(cpt_flow *g) {
  size_t k = (size_t)g->n + 1;
  flow_free_basis(g);
  g->pi = malloc(k * sizeof *g->pi);
  g->pred = malloc(k * sizeof *g->pred);
  g->parent = malloc(k * sizeof *g->parent);
  g->thread = malloc(k * sizeof *g->thread);
  g->rev_thread = malloc(k * sizeof *g->rev_thread);
  g->succ_num = malloc(k * sizeof *g->succ_num);
  g->last_succ = malloc(k * sizeof *g->last_succ);
  g->seg_a = malloc(2 * k * sizeof *g->seg_a);
  g->seg_b = malloc(2 * k * sizeof *g->seg_b);
  g->dir = malloc(k * sizeof *g->dir);
  if (!g->pi || !g->pred || !g->parent || !g->thread || !g->rev_thread ||
      !g->succ_num || !g->last_succ || !g->seg_a || !g->seg_b || !g->dir) {
    flow_free_basis(g);
    return -1;
  }
  return 0;
}

/* The artificial star: node v hangs from the root by arc m + v. */
static void flow_init_basis(cpt_flow *g, int64_t big_m) {
  const int32_t n = g->n, root = n;
  const int64_t m = g->m;
  for (int64_t a = 0; a < m; a++) {
    g->flow[a] = 0;
    g->state[a] = ST_LOWER;
  }
  for (int32_t v = 0; v < n; v++) {
    int64_t a = m + v;
    g->parent[v] = root;
    g->pred[v] = a;
    g->thread[v] = v + 1;
    g->rev_thread[v + 1] = v;
    g->succ_num[v] = 1;
    g->last_succ[v] = v;
    g->cap[a] = INT64_MAX;
    g->state[a] = ST_TREE;
    if (g->supply[v] >= 0) {
      g->src[a] = v;
      g->tgt[a] = root;
      g->cost[a] = 0;
      g->flow[a] = g->supply[v];
      g->dir[v] = DIR_UP;
      g->pi[v] = 0;
    } else {
      g->src[a] = root;
      g->tgt[a] = v;
      g->cost[a] = big_m;
      g->flow[a] = -g->supply[v];
      g->dir[v] = DIR_DOWN;
      g->pi[v] = -big_m;
    }
  }
  g->parent[root] = -1;
  g->pred[root] = -1;
  g->dir[root] = 0;
  g->pi[root] = 0;
  g->succ_num[root] = n + 1;
  g->thread[root] = n > 0 ? 0 : root;
  if (n > 0) g->rev_thread[0] = root;
  g->rev_thread[root] = n > 0 ? n - 1 : root;
  g->last_succ[root] = n > 0 ? n - 1 : root;
}

/* Block search over the real arcs starting at *next; returns the entering
 * arc or −1 when every reduced cost has the right sign. */
static int64_t flow_find_entering(const cpt_flow *g, int64_t *next,
                                  int64_t block) {
  const int64_t m = g->m;
  const int32_t *src = g->src, *tgt = g->tgt;
  const int64_t *cost = g->cost, *pi = g->pi;
  const int8_t *state = g->state;
  int64_t best = -1, min = 0, left = block, a;
  for (a = *next; a < m; a++) {
    int64_t c = state[a] * (cost[a] - pi[src[a]] + pi[tgt[a]]);
    if (c < min) {
      min = c;
      best = a;
    }
    if (--left == 0) {
      if (best >= 0) goto found;
      left = block;
    }
  }
  for (a = 0; a < *next; a++) {
    int64_t c = state[a] * (cost[a] - pi[src[a]] + pi[tgt[a]]);
    if (c < min) {
      min = c;
      best = a;
    }
    if (--left == 0) {
      if (best >= 0) goto found;
      left = block;
    }
  }
  return best; /* a last, partial block: *next stays */
found:
  *next = a + 1 < m ? a + 1 : 0;
  return best;
}

/* Re-hang the subtree rooted at u_out from v_in through arc `in`, with u_in
 * (inside the subtree) as its new root. */
static void flow_update_tree(cpt_flow *g, int64_t in, int32_t u_in,
                             int32_t v_in, int32_t u_out, int32_t join) {
  int32_t *parent = g->parent, *thread = g->thread, *rev = g->rev_thread;
  int32_t *succ = g->succ_num, *last = g->last_succ;
  int32_t *sa = g->seg_a, *sb = g->seg_b;
  int64_t *pi = g->pi;

  /* Preorder of the re-rooted subtree as slices of the old thread: u_in's
   * own subtree, then for each step up the path w → p, p followed by its
   * old subtree minus w's. */
  int nseg = 0;
  sa[nseg] = u_in;
  sb[nseg++] = last[u_in];
  for (int32_t w = u_in; w != u_out;) {
    int32_t p = parent[w];
    sa[nseg] = p;
    sb[nseg++] = rev[w];
    if (last[w] != last[p]) {
      sa[nseg] = thread[last[w]];
      sb[nseg++] = last[p];
    }
    w = p;
  }

  const int32_t s = succ[u_out], old_last = last[u_out];
  const int32_t before = rev[u_out], after = thread[old_last];
  const int32_t old_parent = parent[u_out];

  int64_t rc = g->cost[in] - pi[g->src[in]] + pi[g->tgt[in]];
  int64_t shift = u_in == g->tgt[in] ? -rc : rc;
  for (int32_t w = u_out;; w = thread[w]) {
    pi[w] += shift;
    if (w == old_last) break;
  }

  /* Cut the subtree out of the thread and out of its old ancestors. */
  thread[before] = after;
  rev[after] = before;
  for (int32_t w = old_parent; w >= 0 && last[w] == old_last; w = parent[w])
    last[w] = before;
  for (int32_t w = old_parent; w != join; w = parent[w]) succ[w] -= s;

  for (int i = 0; i + 1 < nseg; i++) {
    thread[sb[i]] = sa[i + 1];
    rev[sa[i + 1]] = sb[i];
  }
  const int32_t new_last = sb[nseg - 1];

  /* Reverse the path u_in … u_out. */
  int32_t np = v_in, prev_old_succ = 0;
  int64_t na = in;
  int8_t nd = g->src[in] == u_in ? DIR_UP : DIR_DOWN;
  for (int32_t w = u_in;;) {
    int32_t op = parent[w], os = succ[w];
    int64_t oa = g->pred[w];
    int8_t od = g->dir[w];
    parent[w] = np;
    g->pred[w] = na;
    g->dir[w] = nd;
    succ[w] = s - prev_old_succ;
    last[w] = new_last;
    if (w == u_out) break;
    np = w;
    na = oa;
    nd = (int8_t)-od;
    prev_old_succ = os;
    w = op;
  }

  /* Splice it in right after v_in. */
  int32_t nx = thread[v_in];
  thread[v_in] = u_in;
  rev[u_in] = v_in;
  thread[new_last] = nx;
  rev[nx] = new_last;
  if (last[v_in] == v_in)
    for (int32_t w = v_in; w >= 0 && last[w] == v_in; w = parent[w])
      last[w] = new_last;
  for (int32_t w = v_in; w != join; w = parent[w]) succ[w] += s;
}

#ifdef CPT_FLOW_DEBUG
/* Every invariant of the basis, in O(n·depth + m); for tests built with
 * -DCPT_FLOW_DEBUG, after every pivot. */
static void flow_check_tree(const cpt_flow *g) {
  const int32_t n = g->n, root = n;
  int64_t in_tree = 0;
  for (int64_t a = 0; a < g->m + n; a++) {
    CPT_REQUIRE(g->flow[a] >= 0 && g->flow[a] <= g->cap[a], "flow bounds");
    if (g->state[a] == ST_TREE) in_tree++;
    if (a < g->m && g->state[a] == ST_LOWER)
      CPT_REQUIRE(g->flow[a] == 0, "lower arc carries flow");
    if (a < g->m && g->state[a] == ST_UPPER)
      CPT_REQUIRE(g->flow[a] == g->cap[a], "upper arc below capacity");
  }
  CPT_REQUIRE(in_tree == n, "tree arc count");
  int32_t v = root, count = 0;
  do {
    CPT_REQUIRE(g->rev_thread[g->thread[v]] == v, "rev_thread");
    v = g->thread[v];
    count++;
  } while (v != root && count <= n + 1);
  CPT_REQUIRE(count == n + 1, "thread is one cycle");
  for (v = 0; v < n; v++) {
    int32_t p = g->parent[v];
    int64_t a = g->pred[v];
    CPT_REQUIRE(g->state[a] == ST_TREE, "pred is a tree arc");
    if (g->dir[v] == DIR_UP)
      CPT_REQUIRE(g->src[a] == v && g->tgt[a] == p && g->flow[a] < g->cap[a],
                  "up arc");
    else
      CPT_REQUIRE(g->src[a] == p && g->tgt[a] == v && g->flow[a] > 0,
                  "down arc (strongly feasible)");
    CPT_REQUIRE(g->cost[a] - g->pi[g->src[a]] + g->pi[g->tgt[a]] == 0,
                "tree arc reduced cost");
  }
  /* The subtree of v is the thread stretch v .. last_succ[v], of length
   * succ_num[v], made of v's descendants. */
  for (v = 0; v <= n; v++) {
    int32_t w = v, len = 0;
    for (;;) {
      int32_t x = w;
      while (x != v && x >= 0) x = g->parent[x];
      CPT_REQUIRE(x == v, "thread stretch leaves the subtree");
      len++;
      if (w == g->last_succ[v]) break;
      w = g->thread[w];
    }
    CPT_REQUIRE(len == g->succ_num[v], "succ_num");
    w = g->thread[w];
    while (w != v && w >= 0 && w != root) w = g->parent[w];
    CPT_REQUIRE(v == root || w != v, "last_succ ends the subtree");
  }
}
#endif

/* One pivot on entering arc `in`; returns 1 when its cycle is unbounded. */
static int flow_pivot(cpt_flow *g, int64_t in) {
  const int32_t *parent = g->parent, *succ = g->succ_num;
  const int64_t *pred = g->pred, *cap = g->cap;
  const int8_t *dir = g->dir;
  int64_t *flow = g->flow;
  int32_t first, second;
  if (g->state[in] == ST_LOWER) {
    first = g->src[in];
    second = g->tgt[in];
  } else {
    first = g->tgt[in];
    second = g->src[in];
  }
  int32_t u = first, v = second;
  while (u != v) {
    if (succ[u] < succ[v])
      u = parent[u];
    else
      v = parent[v];
  }
  const int32_t join = u;

  /* Walk the cycle join → first → second → join; ties go to the last
   * blocking arc met, which keeps the tree strongly feasible. */
  int64_t delta = cap[in];
  int32_t u_out = -1;
  int on_first = 0;
  for (u = first; u != join; u = parent[u]) {
    int64_t a = pred[u];
    int64_t r = dir[u] == DIR_DOWN ? cap[a] - flow[a] : flow[a];
    if (r < delta) {
      delta = r;
      u_out = u;
      on_first = 1;
    }
  }
  for (u = second; u != join; u = parent[u]) {
    int64_t a = pred[u];
    int64_t r = dir[u] == DIR_UP ? cap[a] - flow[a] : flow[a];
    if (r <= delta) {
      delta = r;
      u_out = u;
      on_first = 0;
    }
  }
  if (delta >= FLOW_INFINITE_CAP) return 1;

  if (delta > 0) {
    flow[in] += g->state[in] * delta;
    for (u = first; u != join; u = parent[u])
      flow[pred[u]] += dir[u] == DIR_DOWN ? delta : -delta;
    for (u = second; u != join; u = parent[u])
      flow[pred[u]] += dir[u] == DIR_UP ? delta : -delta;
  }
  if (u_out < 0) {
    g->state[in] = (int8_t)-g->state[in];
    return 0;
  }
  int64_t out = pred[u_out];
  g->state[out] = flow[out] == 0 ? ST_LOWER : ST_UPPER;
  g->state[in] = ST_TREE;
  if (on_first)
    flow_update_tree(g, in, first, second, u_out, join);
  else
    flow_update_tree(g, in, second, first, u_out, join);
  return 0;
}

static double flow_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

cpt_flow_result cpt_flow_solve(cpt_flow *g, const cpt_flow_params *params) {
  cpt_flow_params defaults;
  if (!params) {
    cpt_flow_params_init(&defaults);
    params = &defaults;
  }
  if (!g) return CPT_FLOW_BADINPUT;
  g->pivots = 0;
  g->objective = 0;
  int64_t big_m;
  if (params->block_size < 0 || params->time_limit_s < 0 ||
      isnan(params->time_limit_s) || flow_check_input(g, &big_m))
    return CPT_FLOW_BADINPUT;
  if (flow_reserve(g, g->m + g->n) || flow_alloc_basis(g))
    return CPT_FLOW_BADINPUT; /* out of memory: no better code in the API */
  flow_init_basis(g, big_m);

  int64_t block = params->block_size;
  if (block == 0) {
    block = (int64_t)ceil(sqrt((double)g->m));
    if (block < FLOW_MIN_BLOCK) block = FLOW_MIN_BLOCK;
  }
  if (block > g->m) block = g->m > 0 ? g->m : 1;
  const double t0 = params->time_limit_s > 0 ? flow_now() : 0.0;

  int64_t next = 0, in;
  for (int64_t k = 0;; k++) {
    if (k % FLOW_POLL_PIVOTS == 0) {
      if (params->stop && atomic_load(params->stop)) return CPT_FLOW_INTERRUPTED;
      if (params->time_limit_s > 0 && flow_now() - t0 >= params->time_limit_s)
        return CPT_FLOW_INTERRUPTED;
    }
    if ((in = flow_find_entering(g, &next, block)) < 0) break;
    if (flow_pivot(g, in)) return CPT_FLOW_UNBOUNDED;
    g->pivots++;
#ifdef CPT_FLOW_DEBUG
    if (g->n <= 500) flow_check_tree(g);
#endif
  }

  for (int32_t v = 0; v < g->n; v++)
    if (g->flow[g->m + v] != 0) return CPT_FLOW_INFEASIBLE;
  int64_t obj = 0;
  for (int64_t a = 0; a < g->m; a++) obj += g->cost[a] * g->flow[a];
  g->objective = obj;
  return CPT_FLOW_OPTIMAL;
}
