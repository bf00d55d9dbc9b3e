/*
 * flow.h — minimum-cost flow by the primal network simplex.
 *
 * Problem (integer data):
 *
 *     minimize    Σ_a cost_a · f_a
 *     subject to  Σ_(a out of v) f_a − Σ_(a into v) f_a = supply_v   ∀ v
 *                 0 ≤ f_a ≤ cap_a                                    ∀ a
 *
 * Supplies must balance (Σ_v supply_v = 0).  Costs and capacities are
 * 64-bit integers, so the optimum is exact and reproducible; callers with
 * real costs scale and round them.  The algorithm is the primal network
 * simplex with a strongly feasible spanning-tree basis (artificial root,
 * big-M artificial arcs) and block-search pivoting (Kovács 2015,
 * "Minimum-cost flow algorithms: an experimental evaluation"): the entering
 * arc is the most negative reduced cost within a block of about √m arcs,
 * scanning blocks cyclically.  Deterministic: the same network built in the
 * same order gives the same flows.
 *
 * On optimal exit the node potentials are dual optimal: for every arc,
 * reduced cost c_a − π_from + π_to ≥ 0 when f_a < cap_a and ≤ 0 when f_a > 0
 * (sign convention documented at cpt_flow_potential).
 */
#ifndef CPT_FLOW_H
#define CPT_FLOW_H

#include <stdatomic.h>
#include <stdint.h>

#include "status.h"

typedef struct cpt_flow cpt_flow;

typedef enum cpt_flow_result {
  CPT_FLOW_OPTIMAL = 0,
  CPT_FLOW_INFEASIBLE,  /* supplies cannot be routed within capacities */
  CPT_FLOW_UNBOUNDED,   /* a negative-cost cycle of unbounded capacity */
  CPT_FLOW_INTERRUPTED, /* *stop became non-zero or time ran out */
  CPT_FLOW_BADINPUT     /* unbalanced supplies, negative capacity, ... */
} cpt_flow_result;

typedef struct cpt_flow_params {
  int64_t block_size;     /* arcs per pivot block; 0 = ceil(sqrt(m)) */
  double time_limit_s;    /* 0 = none */
  const atomic_int *stop; /* polled every few thousand pivots; may be NULL */
} cpt_flow_params;

void cpt_flow_params_init(cpt_flow_params *p);

/* A network with n_nodes nodes (0 .. n_nodes−1) and no arcs; arc_hint
 * pre-sizes the arc arrays.  Returns NULL when out of memory. */
cpt_flow *cpt_flow_new(int32_t n_nodes, int64_t arc_hint);
void cpt_flow_free(cpt_flow *g); /* NULL is a no-op */

/* Add arc from → to; returns its index (0, 1, 2, … in order of addition),
 * or −1 when out of memory or the nodes are out of range.  cap ≥ 0. */
int64_t cpt_flow_add_arc(cpt_flow *g, int32_t from, int32_t to, int64_t cap,
                         int64_t cost);
/* supply > 0: the node emits that much; < 0: it absorbs that much. */
void cpt_flow_set_supply(cpt_flow *g, int32_t node, int64_t supply);

int32_t cpt_flow_n_nodes(const cpt_flow *g);
int64_t cpt_flow_n_arcs(const cpt_flow *g);

/* Solve; may be called once per network.  params may be NULL (defaults). */
cpt_flow_result cpt_flow_solve(cpt_flow *g, const cpt_flow_params *params);

/* After CPT_FLOW_OPTIMAL: */
int64_t cpt_flow_arc_flow(const cpt_flow *g, int64_t arc);
/* Optimal objective Σ_a cost_a·f_a; the caller keeps |cost|·cap totals
 * below 9.2e18 so that it fits. */
int64_t cpt_flow_objective(const cpt_flow *g);
/* Dual value π_v with reduced cost c_a − π_from + π_to ≥ 0 for arcs that
 * can still increase, so Σ_v supply_v·π_v − Σ_a cap_a·max(0, −rc_a)
 * equals the optimal objective (LP duality; used as the proven bound). */
int64_t cpt_flow_potential(const cpt_flow *g, int32_t node);
/* Pivots performed by the last solve. */
int64_t cpt_flow_pivots(const cpt_flow *g);

const char *cpt_flow_result_name(cpt_flow_result r);

#endif
