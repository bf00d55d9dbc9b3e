/*
 * flow.c — minimum-cost flow by the primal network simplex (see flow.h).
 *
 * The basis is a spanning tree of the network plus an artificial root r
 * (node n).  Every node v starts attached to r by an artificial arc that
 * carries its supply: v → r at cost 0 when supply_v ≥ 0, r → v at cost M
 * when supply_v < 0, with M = (n + 1)·(max|cost| + 1) larger than the cost
 * of any simple path, so an optimum that still routes flow through r proves the
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
 * the arcs worth entering and the scan needs no branch per state.  The arcs
 * are scanned in a mixed order (see flow_mix) so that a block samples the
 * whole network rather than the arcs of one node.
 *
 * The tree is stored per node as parent, pred (the tree arc to the parent)
 * and dir (+1 when pred points up, v → parent), with the preorder threaded
 * through thread/rev_thread and, per node, the subtree size succ_num and the
 * last node of the subtree in preorder, last_succ.  The subtree cut off by
 * the leaving arc is a contiguous stretch of the thread; re-rooting it at
 * the entering node rewrites the thread in time proportional to the length
 * of the re-rooted path (two slices per path node), and its potentials
 * shift by one constant, in time proportional to its size.  The apex of the
 * cycle is found by climbing from whichever end has the smaller subtree
 * (succ_num).  While an arc is in the tree its flow lives in res_up/res_down
 * of its lower node, so that walking a cycle touches node arrays only; it is
 * written back to the arc when the arc leaves and at the end of a solve.
 * Built with -DCPT_FLOW_DEBUG, every invariant of the basis is checked after
 * each pivot on networks of up to 500 nodes (flow_check_tree).
 *
 * Potentials follow Ahuja, Magnanti & Orlin: rc_a = c_a − π_from + π_to,
 * π_r = 0; a tree arc has rc = 0.
 *
 * Unboundedness: capacities are finite int64, so a negative cycle is only
 * "unbounded" by convention: a pivot whose cycle can carry ≥ 2^62 units
 * (every arc on it has capacity ≥ 2^62, i.e. is used as "infinite") returns
 * CPT_FLOW_UNBOUNDED.
 *
 * Memory: 33 bytes per arc (int32 ends, int64 capacity, cost and flow, int8
 * state) plus n artificial arcs, about 100 bytes per node for the basis, and
 * one bit per arc while the arcs are being reordered.
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
  int64_t m;     /* real arcs */
  int64_t m_cap; /* allocated arc slots */
  int32_t *src, *tgt;
  int64_t *cap, *cost, *flow;
  int8_t *state;
  int64_t mix_skip; /* 0: arcs in insertion order; else mixed, see below */
  int64_t *supply;  /* n */
  int bad_cap;      /* a negative capacity was given */

  /* Basis, n + 1 nodes (the root is n); kept after a solve for pi. */
  int64_t *pi, *pred;
  int32_t *parent, *thread, *rev_thread, *succ_num, *last_succ;
  int32_t *seg_a, *seg_b; /* scratch: thread slices of a re-rooted path */
  int64_t *res_up, *res_down; /* residual of pred[v] towards / from parent */
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

/* Arc mixing, after LEMON's arc_mixing.  Networks are usually built node
 * by node, so a block of consecutive arcs would hold the arcs of one or two
 * nodes only.  During a solve the arcs are therefore stored in another
 * order: with K = max(m/n, 3), positions j, j + K, j + 2K, … form class j,
 * and the arcs in insertion order fill class 0, then class 1, and so on.
 * A block then samples arcs from all over the network; on the
 * transportation benchmark this cuts the pivots about 3.5 times (grouping
 * arcs in runs of 2–8 to keep the scan cache-friendly cost more pivots
 * than it saved).  The order is undone when an arc is added. */
static int64_t flow_mix_pos(int64_t k, int64_t m, int64_t skip) {
  int64_t q = m / skip, rem = m % skip, big = rem * (q + 1);
  if (k < big) return k / (q + 1) + (k % (q + 1)) * skip;
  return rem + (k - big) / q + ((k - big) % q) * skip;
}

static int64_t flow_mix_arc(int64_t p, int64_t m, int64_t skip) {
  int64_t q = m / skip, rem = m % skip, j = p % skip;
  int64_t base = j < rem ? j * (q + 1) : rem * (q + 1) + (j - rem) * q;
  return base + p / skip;
}

/* Where the solver keeps arc `arc` (its index as the caller knows it). */
static int64_t flow_index(const cpt_flow *g, int64_t arc) {
  return g->mix_skip ? flow_mix_pos(arc, g->m, g->mix_skip) : arc;
}

static void flow_swap_arcs(cpt_flow *g, int64_t a, int64_t b) {
  int32_t t32 = g->src[a];
  g->src[a] = g->src[b];
  g->src[b] = t32;
  t32 = g->tgt[a];
  g->tgt[a] = g->tgt[b];
  g->tgt[b] = t32;
  int64_t t64 = g->cap[a];
  g->cap[a] = g->cap[b];
  g->cap[b] = t64;
  t64 = g->cost[a];
  g->cost[a] = g->cost[b];
  g->cost[b] = t64;
  t64 = g->flow[a];
  g->flow[a] = g->flow[b];
  g->flow[b] = t64;
  int8_t t8 = g->state[a];
  g->state[a] = g->state[b];
  g->state[b] = t8;
}

/* Permute the arcs in place, cycle by cycle (swapping each arc of a cycle
 * into the cycle's first slot): to_mixed moves arc k to pos(k), else
 * position p back to arc(p).  seen has a bit per arc. */
static void flow_permute(cpt_flow *g, int64_t skip, int to_mixed,
                         uint8_t *seen) {
  const int64_t m = g->m;
  memset(seen, 0, (size_t)(m + 7) / 8);
  for (int64_t s = 0; s < m; s++) {
    if (seen[s >> 3] & (1u << (s & 7))) continue;
    seen[s >> 3] |= (uint8_t)(1u << (s & 7));
    for (int64_t k = s;;) {
      k = to_mixed ? flow_mix_pos(k, m, skip) : flow_mix_arc(k, m, skip);
      if (k == s) break;
      seen[k >> 3] |= (uint8_t)(1u << (k & 7));
      flow_swap_arcs(g, s, k);
    }
  }
}

/* Mix the arcs for a solve; without memory for the bitmap, stay unmixed
 * (same answer, more pivots). */
static void flow_mix(cpt_flow *g) {
  if (g->mix_skip || g->n <= 1 || g->m < 2) return;
  int64_t skip = g->m / g->n;
  if (skip < 3) skip = 3;
  uint8_t *seen = malloc((size_t)(g->m + 7) / 8);
  if (!seen) return;
  flow_permute(g, skip, 1, seen);
  free(seen);
  g->mix_skip = skip;
}

/* Back to insertion order, before the network changes. */
static int flow_unmix(cpt_flow *g) {
  if (!g->mix_skip) return 0;
  uint8_t *seen = malloc((size_t)(g->m + 7) / 8);
  if (!seen) return -1;
  flow_permute(g, g->mix_skip, 0, seen);
  free(seen);
  g->mix_skip = 0;
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
  free(g->res_up);
  free(g->res_down);
  g->res_up = g->res_down = NULL;
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
  if (flow_unmix(g)) return -1;
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
  return g->flow[flow_index(g, arc)];
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
  g->res_up = malloc(k * sizeof *g->res_up);
  g->res_down = malloc(k * sizeof *g->res_down);
  if (!g->pi || !g->pred || !g->parent || !g->thread || !g->rev_thread ||
      !g->succ_num || !g->last_succ || !g->seg_a || !g->seg_b || !g->dir ||
      !g->res_up || !g->res_down) {
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
      g->res_up[v] = INT64_MAX - g->supply[v];
      g->res_down[v] = g->supply[v];
      g->pi[v] = 0;
    } else {
      g->src[a] = root;
      g->tgt[a] = v;
      g->cost[a] = big_m;
      g->flow[a] = -g->supply[v];
      g->dir[v] = DIR_DOWN;
      g->res_up[v] = -g->supply[v];
      g->res_down[v] = INT64_MAX + g->supply[v];
      g->pi[v] = -big_m;
    }
  }
  g->parent[root] = -1;
  g->pred[root] = -1;
  g->dir[root] = 0;
  g->res_up[root] = g->res_down[root] = 0;
  g->pi[root] = 0;
  g->succ_num[root] = n + 1;
  g->thread[root] = n > 0 ? 0 : root;
  if (n > 0) g->rev_thread[0] = root;
  g->rev_thread[root] = n > 0 ? n - 1 : root;
  g->last_succ[root] = n > 0 ? n - 1 : root;
}

/* Flow on the tree arc pred[v], kept in res_up/res_down while in the tree. */
static int64_t flow_tree_flow(const cpt_flow *g, int32_t v) {
  return g->dir[v] == DIR_UP ? g->res_down[v] : g->res_up[v];
}

/* Copy the tree arcs' flows back into the arc array. */
static void flow_sync_tree(cpt_flow *g) {
  for (int32_t v = 0; v < g->n; v++) g->flow[g->pred[v]] = flow_tree_flow(g, v);
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

  /* Reverse the path u_in … u_out: each node takes over the arc (and the
   * residuals, swapped) of the node below it; u_in takes the entering arc. */
  int64_t *res_up = g->res_up, *res_down = g->res_down;
  int32_t np = v_in, prev_old_succ = 0;
  int64_t na = in, nf = g->flow[in], nu, ndn;
  int8_t nd = g->src[in] == u_in ? DIR_UP : DIR_DOWN;
  nu = nd == DIR_UP ? g->cap[in] - nf : nf;
  ndn = nd == DIR_UP ? nf : g->cap[in] - nf;
  for (int32_t w = u_in;;) {
    int32_t op = parent[w], os = succ[w];
    int64_t oa = g->pred[w], ou = res_up[w], odn = res_down[w];
    int8_t od = g->dir[w];
    parent[w] = np;
    g->pred[w] = na;
    g->dir[w] = nd;
    res_up[w] = nu;
    res_down[w] = ndn;
    succ[w] = s - prev_old_succ;
    last[w] = new_last;
    if (w == u_out) break;
    np = w;
    na = oa;
    nd = (int8_t)-od;
    nu = odn;
    ndn = ou;
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
static void flow_check_tree(cpt_flow *g) {
  const int32_t n = g->n, root = n;
  int64_t in_tree = 0;
  for (int32_t v = 0; v < n; v++) {
    CPT_REQUIRE(g->res_up[v] >= 0 && g->res_down[v] >= 0 &&
                    g->res_up[v] == g->cap[g->pred[v]] - g->res_down[v],
                "tree residuals");
    g->flow[g->pred[v]] = flow_tree_flow(g, v);
  }
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
  int64_t *res_up = g->res_up, *res_down = g->res_down;
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
  int64_t delta = g->cap[in];
  int32_t u_out = -1;
  int on_first = 0;
  for (u = first; u != join; u = parent[u]) {
    if (res_down[u] < delta) {
      delta = res_down[u];
      u_out = u;
      on_first = 1;
    }
  }
  for (u = second; u != join; u = parent[u]) {
    if (res_up[u] <= delta) {
      delta = res_up[u];
      u_out = u;
      on_first = 0;
    }
  }
  if (delta >= FLOW_INFINITE_CAP) return 1;

  if (delta > 0) {
    g->flow[in] += g->state[in] * delta;
    for (u = first; u != join; u = parent[u]) {
      res_down[u] -= delta;
      res_up[u] += delta;
    }
    for (u = second; u != join; u = parent[u]) {
      res_up[u] -= delta;
      res_down[u] += delta;
    }
  }
  if (u_out < 0) {
    g->state[in] = (int8_t)-g->state[in];
    return 0;
  }
  int64_t out = g->pred[u_out], out_flow = flow_tree_flow(g, u_out);
  g->flow[out] = out_flow;
  g->state[out] = out_flow == 0 ? ST_LOWER : ST_UPPER;
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
  const double t0 = params->time_limit_s > 0 ? flow_now() : 0.0;
  g->pivots = 0;
  g->objective = 0;
  int64_t big_m;
  if (params->block_size < 0 || params->time_limit_s < 0 ||
      isnan(params->time_limit_s) || flow_check_input(g, &big_m))
    return CPT_FLOW_BADINPUT;
  if (params->stop && atomic_load(params->stop))
    return CPT_FLOW_INTERRUPTED; /* before the set-up of a large network */
  if (flow_reserve(g, g->m + g->n) || flow_alloc_basis(g))
    return CPT_FLOW_BADINPUT; /* out of memory: no better code in the API */
  flow_mix(g);
  flow_init_basis(g, big_m);

  int64_t block = params->block_size;
  if (block == 0) {
    block = (int64_t)ceil(sqrt((double)g->m));
    if (block < FLOW_MIN_BLOCK) block = FLOW_MIN_BLOCK;
  }
  if (block > g->m) block = g->m > 0 ? g->m : 1;

  int64_t next = 0, in;
  cpt_flow_result r = CPT_FLOW_OPTIMAL;
  for (int64_t k = 0;; k++) {
    if (k % FLOW_POLL_PIVOTS == 0) {
      if ((params->stop && atomic_load(params->stop)) ||
          (params->time_limit_s > 0 &&
           flow_now() - t0 >= params->time_limit_s)) {
        r = CPT_FLOW_INTERRUPTED;
        break;
      }
    }
    if ((in = flow_find_entering(g, &next, block)) < 0) break;
    if (flow_pivot(g, in)) {
      r = CPT_FLOW_UNBOUNDED;
      break;
    }
    g->pivots++;
#ifdef CPT_FLOW_DEBUG
    if (g->n <= 500) flow_check_tree(g);
#endif
  }

  flow_sync_tree(g);
  if (r != CPT_FLOW_OPTIMAL) return r;
  for (int32_t v = 0; v < g->n; v++)
    if (g->flow[g->m + v] != 0) return CPT_FLOW_INFEASIBLE;
  int64_t obj = 0;
  for (int64_t a = 0; a < g->m; a++) obj += g->cost[a] * g->flow[a];
  g->objective = obj;
  return CPT_FLOW_OPTIMAL;
}
