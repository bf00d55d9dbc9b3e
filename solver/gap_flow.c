/*
 * gap_flow.c — the capacity relaxation of the GAP core solved exactly as a
 * transportation problem, when every class's candidates share one weight
 * (gap_flow_applicable, gap_flow_relax; see gap_internal.h).
 *
 * When job class j weighs w_j ≥ 1 on every agent (the MT model: a
 * household of w_j members), substitute z_k = w_j·x_k, the units of weight
 * (patients) that class j sends to candidate k.  Dropping the integrality
 * of x, the problem becomes
 *
 *   minimize   Σ_k (c_k / w_j)·z_k + Σ_j (u_j / w_j)·z_j⁰ + Σ_i p_i·o_i
 *   subject to Σ_{k ∈ K(j)} z_k + z_j⁰ = n_j·w_j         every class j
 *              Σ_{k on i} z_k − o_i ≤ s_i,  0 ≤ o_i ≤ b_i − s_i
 *
 * a min-cost flow: class j --(cap n_j·w_j, cost c_k/w_j)--> agent
 * i, class j --(cap n_j·w_j, cost u_j/w_j)--> sink, agent i --(s_i, 0) and
 * (b_i − s_i, p_i)--> sink.  Its optimum is the LP bound of the GAP, which
 * equals the best capacity Lagrangian bound max_λ L(λ) (the subproblem of
 * that Lagrangian has the integrality property), and the agents' optimal
 * node potentials are an optimal λ: the subgradient method of
 * gap_bound.c only approaches it, the network simplex reaches it.  Costs
 * are scaled by S (10⁹, lowered until every total fits in 64 bits: 10⁷
 * for all of France) and rounded, so λ is optimal for the rounded costs;
 * the bound reported is L(λ) evaluated in floating point on the true
 * costs by the caller, hence valid whatever the rounding, and within
 * about (units of weight)/S of the LP bound.
 *
 * The flow also gives a start: x_k = ⌊z_k / w_j⌋ jobs on each candidate,
 * the rest of each class unassigned, feasible since every load is at most
 * the flow's.  At most w_j − 1 units per used pair are dropped, so the
 * start is within Σ (those units' values) of the LP bound, and the local
 * search places what fits in the room they leave.
 *
 * Network (nodes: classes 0 … n−1, agents n … n+m−1, the sink n+m): a
 * class's arcs are its entries, then its unassigned arc; the agents' arcs
 * come last.  The whole France instance has 132 million entries, too
 * many for the network simplex in minutes, and most can never pay: the first
 * network holds each class's FIRST_ENTRIES cheapest entries, and after
 * each solve every other entry is priced against the duals (reduced cost
 * c_k/w_j + λ_i − μ_j, μ_j = (π_j − π_sink)/S) and those below zero join
 * the next network.  When none does, the restricted optimum is the full
 * one (its duals are feasible for every entry): exact.  Cut short by the
 * deadline (or not started when its solve time, extrapolated from the last
 * network's as arcs^1.5, would pass it), the last solved round's λ and
 * start stand (L(λ) is still a
 * valid bound, evaluated over every entry).  Deterministic: the network
 * simplex is, and the pricing is per class.
 */
#include "gap_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "flow.h"

/* Entries per class in the first network (its cheapest); the pricing
 * adds the others that the duals show to pay. */
#define FIRST_ENTRIES 16

int gap_flow_applicable(const cpt_gap *g) {
  if (!g->unassigned)
    return 0; /* a flow that must route every job can be infeasible; the
                 plain GAP (weights per agent) is not a flow anyway */
  for (int32_t j = 0; j < g->n; j++)
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      if (g->weight[k] < 1 || g->weight[k] != g->weight[g->start[j]])
        return 0;
  return 1;
}

/* Units of weight of class j (n_j·w_j); w_j = 1 for a class without
 * candidates. */
static int64_t units_of(const cpt_gap *g, int32_t j) {
  int64_t w = g->start[j] < g->start[j + 1] ? g->weight[g->start[j]] : 1;
  return CPT_GAP_COUNT(g, j) * w;
}

/* S: 10⁹, or lower so that (nodes + 1)·max|cost| (the network simplex's
 * big M) and units·max|cost| (the objective) stay well inside 64 bits. */
static double pick_scale(const cpt_gap *g, double units) {
  double maxc = 1.0;
  for (int32_t j = 0; j < g->n; j++) {
    double w = (double)(units_of(g, j) / CPT_GAP_COUNT(g, j));
    maxc = fmax(maxc, fabs(g->unassigned[j]) / w);
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      maxc = fmax(maxc, fabs(g->cost[k]) / w);
  }
  if (g->soft && g->soft_pen)
    for (int32_t i = 0; i < g->m; i++)
      maxc = fmax(maxc, g->soft_pen[i]);
  double big = fmax(units, (double)g->n + g->m + 2.0) * (maxc + 1.0);
  double s = 1e9;
  while (s > 1.0 && big * s > 1e17)
    s /= 10.0;
  return s;
}

/* Entry order of class j by cost (ties: entry order), into ord. */
static void sort_class(const cpt_gap *g, int32_t j, int64_t *ord) {
  int64_t a = g->start[j], n = g->start[j + 1] - a;
  for (int64_t t = 0; t < n; t++) { /* insertion sort: lists are short */
    int64_t k = a + t, u = t;
    while (u > 0 && g->cost[ord[u - 1]] > g->cost[k]) {
      ord[u] = ord[u - 1];
      u--;
    }
    ord[u] = k;
  }
}

/* Mark the FIRST_ENTRIES cheapest entries of every class active. */
static void first_entries(const cpt_gap *g, unsigned char *active) {
#pragma omp parallel
  {
    int64_t cap = 64, *ord = malloc((size_t)cap * sizeof *ord);
#pragma omp for schedule(dynamic, 1024)
    for (int32_t j = 0; j < g->n; j++) {
      int64_t a = g->start[j], n = g->start[j + 1] - a;
      if (n <= FIRST_ENTRIES || !ord) {
        memset(active + a, 1, (size_t)n);
        continue;
      }
      if (n > cap) {
        int64_t *o2 = realloc(ord, (size_t)n * sizeof *ord);
        if (!o2) {
          memset(active + a, 1, (size_t)n);
          continue;
        }
        ord = o2;
        cap = n;
      }
      sort_class(g, j, ord);
      for (int64_t t = 0; t < FIRST_ENTRIES; t++)
        active[ord[t]] = 1;
    }
    free(ord);
  }
}

typedef struct net {
  cpt_flow *f;
  int64_t *arc; /* nnz: arc of each active entry, −1 otherwise */
  double S;
} net;

/* The flow over the active entries; 0, or −1 out of memory. */
static int build(const cpt_gap *g, const unsigned char *active, double S,
                 net *nt) {
  int32_t n = g->n, m = g->m, sink = n + m;
  int64_t nnz = g->start[n], na = 0;
  for (int64_t k = 0; k < nnz; k++)
    na += active[k];
  nt->S = S;
  nt->f = cpt_flow_new(sink + 1, na + n + 2 * (int64_t)m);
  if (!nt->f)
    return -1;
  int64_t units = 0;
  for (int32_t j = 0; j < n; j++) {
    int64_t u = units_of(g, j);
    double w = (double)(u / CPT_GAP_COUNT(g, j));
    units += u;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      nt->arc[k] = -1;
      if (!active[k])
        continue;
      /* capacity n_j·w_j, not min(that, b_i): an arc saturated below its
       * class's supply could carry the price of i's room in its own dual
       * instead of in π_i, and L(λ) would then fall short of the LP */
      nt->arc[k] = cpt_flow_add_arc(nt->f, j, n + g->agent[k], u,
                                    llround(g->cost[k] / w * S));
      if (nt->arc[k] < 0)
        return -1;
    }
    if (cpt_flow_add_arc(nt->f, j, sink, u, llround(g->unassigned[j] / w * S)) <
        0)
      return -1;
    cpt_flow_set_supply(nt->f, j, u);
  }
  for (int32_t i = 0; i < m; i++) {
    int64_t b = g->cap[i], sft = g->soft ? g->soft[i] : b;
    double p = g->soft && g->soft_pen ? g->soft_pen[i] : 0.0;
    if (sft > 0 && cpt_flow_add_arc(nt->f, n + i, sink, sft, 0) < 0)
      return -1;
    if (b > sft &&
        cpt_flow_add_arc(nt->f, n + i, sink, b - sft, llround(p * S)) < 0)
      return -1;
  }
  cpt_flow_set_supply(nt->f, sink, -units);
  return 0;
}

/* Inactive entries priced below their class's dual: activated.  Returns
 * how many. */
static int64_t price(const cpt_gap *g, const net *nt, const double *lambda,
                     unsigned char *active) {
  int32_t n = g->n;
  int64_t ps = cpt_flow_potential(nt->f, g->n + g->m), added = 0;
#pragma omp parallel for schedule(dynamic, 1024) reduction(+ : added)
  for (int32_t j = 0; j < n; j++) {
    int64_t a = g->start[j], b = g->start[j + 1];
    if (b == a)
      continue;
    double w = (double)g->weight[a];
    double mu = (double)(cpt_flow_potential(nt->f, j) - ps) / nt->S;
    double tol = 1e-9 * fmax(1.0, fabs(mu)) + 1.0 / nt->S;
    for (int64_t k = a; k < b; k++)
      if (!active[k] && g->cost[k] / w + lambda[g->agent[k]] < mu - tol) {
        active[k] = 1;
        added++;
      }
  }
  return added;
}

int gap_flow_relax(const gap_ctx *c, double deadline, const atomic_int *stop,
                   FILE *log, double *lambda, gap_state *s, int *exact) {
  const cpt_gap *g = c->g;
  int32_t n = g->n, m = g->m;
  double units = 0.0;
  for (int32_t j = 0; j < n; j++)
    units += (double)units_of(g, j);
  double S = pick_scale(g, units);
  unsigned char *active = calloc((size_t)c->nnz + 1, 1);
  net nt = {NULL, malloc(((size_t)c->nnz + 1) * sizeof *nt.arc), S};
  int rc = -1;
  *exact = 0;
  if (!active || !nt.arc)
    goto done;
  first_entries(g, active);
  double prev_s = 0.0; /* the last network's solve time and size */
  int64_t prev_arcs = 0;
  for (int round = 0;; round++) {
    cpt_flow_free(nt.f);
    nt.f = NULL;
    if (build(g, active, S, &nt) != 0) {
      rc = -1;
      goto done;
    }
    cpt_flow_params fp;
    cpt_flow_params_init(&fp);
    fp.stop = stop;
    int64_t arcs = cpt_flow_n_arcs(nt.f);
    if (deadline > 0) {
      fp.time_limit_s = fmax(1e-3, deadline - cpt_now_s());
      /* the network simplex takes about (arcs)^1.5: a network that
       * cannot finish in time is not started */
      if (round > 0 && prev_s * pow((double)arcs / (double)prev_arcs, 1.5) >
                           fp.time_limit_s) {
        if (log)
          fprintf(log,
                  "gap flow %d: %lld of %lld entries, not started "
                  "(would not finish in time)\n",
                  round + 1, (long long)arcs, (long long)c->nnz);
        rc = 1;
        goto done;
      }
    }
    double t1 = cpt_now_s();
    cpt_flow_result fr = cpt_flow_solve(nt.f, &fp);
    prev_s = cpt_now_s() - t1;
    prev_arcs = arcs;
    if (log)
      fprintf(log, "gap flow %d: %lld of %lld entries, %s in %.2f s\n",
              round + 1, (long long)arcs, (long long)c->nnz,
              cpt_flow_result_name(fr), prev_s);
    if (fr != CPT_FLOW_OPTIMAL) {
      /* cut short (time, stop); never infeasible: every class can go to
       * the sink.  An earlier round's λ and start stand. */
      rc = round > 0;
      goto done;
    }
    /* arc j → i has reduced cost c·S − π_j + π_i: the price of a unit of
     * i's room is (π_i − π_sink)/S */
    int64_t ps = cpt_flow_potential(nt.f, n + m);
    for (int32_t i = 0; i < m; i++) {
      double l = (double)(cpt_flow_potential(nt.f, n + i) - ps) / S;
      lambda[i] = l > 0 ? l : 0.0;
    }
    if (s) {
      memset(s->x, 0, (size_t)c->nnz * sizeof *s->x);
      memset(s->y, 0, (size_t)n * sizeof *s->y);
      memset(s->load, 0, (size_t)m * sizeof *s->load);
      s->obj = 0.0;
      s->excess = 0;
      for (int32_t j = 0; j < n; j++) {
        int64_t cnt = CPT_GAP_COUNT(g, j), placed = 0;
        for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
          if (nt.arc[k] < 0)
            continue;
          int64_t x = cpt_flow_arc_flow(nt.f, nt.arc[k]) / g->weight[k];
          if (x > 0)
            gap_set(c, s, j, k, x);
          placed += x;
        }
        if (cnt > placed)
          gap_set(c, s, j, CPT_GAP_NONE, cnt - placed);
      }
    }
    rc = 1;
    if (price(g, &nt, lambda, active) == 0) {
      *exact = 1;
      break;
    }
  }
done:
  cpt_flow_free(nt.f);
  free(nt.arc);
  free(active);
  return rc;
}
