/*
 * gap.h — the generalized assignment core (SPEC §3): one representation for
 * OR-Library GAP instances and for the médecin-traitant model with
 * households, a Lagrangian lower bound and a parallel deterministic
 * heuristic for the upper bound.
 *
 * The problem, always stated as a minimization (callers that maximize
 * negate their values and the results):
 *
 *   minimize   Σ_k c_k·x_k + Σ_j u_j·y_j + Σ_i p_i·max(0, load_i − s_i)
 *   subject to Σ_{k ∈ K(j)} x_k + y_j = n_j      every job class j
 *              load_i = Σ_{k: agent(k) = i} w_k·x_k ≤ b_i   every agent i
 *              x_k, y_j ∈ ℤ≥0,  y_j = 0 when job class j has no
 *                                   "unassigned" option
 *
 * A job class j stands for n_j identical jobs (count; 1 for a plain GAP):
 * households of the same location, category set and composition are
 * interchangeable, so a whole country is tens of thousands of classes.
 * K(j) is j's candidate list (CSR: entries start[j] … start[j+1]−1, each an
 * agent, a cost c_k and an integer weight w_k ≥ 0); an agent appears at most
 * once in a list.  u_j is the cost of leaving one job of class j
 * unassigned (the MT model's dummy agent: 0, while an assignment costs
 * minus its value); when `unassigned` is NULL every job must be assigned.
 * The soft capacity s_i ≤ b_i with penalty p_i ≥ 0 per unit of load above
 * it is the MT model's fairness term; soft = NULL means s_i = b_i.
 *
 * Lower bound (cpt_gap_bound, used by cpt_gap_solve): the Lagrangian dual
 * of the capacity rows, maximized by a subgradient method (Polyak steps
 * against the best known upper bound, then a volume-style averaging of the
 * subgradients),
 *   L(λ) = Σ_j n_j·min(u_j, min_{k∈K(j)} c_k + λ_{agent(k)}·w_k)
 *          − Σ_i [λ_i·s_i + max(0, λ_i − p_i)·(b_i − s_i)],   λ ≥ 0;
 * and, when every count is 1 and there is no unassigned option (plain
 * GAP), also the dual of the assignment rows, whose subproblems are one
 * 0–1 knapsack per agent (dynamic programming over the capacity): the
 * stronger bound of the two is reported.  Every L(λ) is a valid bound, so
 * the reported bound never exceeds any feasible objective.
 *
 * Upper bound (cpt_gap_solve): a construction guided by the best
 * multipliers (regret order on the reduced costs), then local search
 * (shift, swap, ejection chains) and rounds of fixed work units run in
 * parallel with OpenMP: ruin-and-recreate with local search, and
 * large-neighbourhood search whose sub-problems are GLPK MIPs over a few
 * agents that share candidate jobs (the nearest along agent_xy when given:
 * geographic neighbours for the MT model, since candidates come from
 * distance).  A very large instance (more than region_nnz entries) is split
 * into regions (connected components of the agent–job graph, cut into
 * blocks of agents along agent_xy, or in breadth-first order, when too
 * large) solved in parallel and repaired across their borders.  Units are
 * merged in a fixed order, so the result depends on the seed, never on the
 * thread count; the time limit (checked between rounds, and bounding each
 * sub-MIP and the bound's iterations on large instances) can cut a run
 * short and make it depend on the machine: the result says so
 * (hit_time_limit).
 *
 * When every cost, unassigned cost and soft penalty is an integer, the
 * objective is an integer and the bound is rounded up to the next integer
 * (less 1e-7 relative for rounding noise).
 */
#ifndef CPT_GAP_H
#define CPT_GAP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "status.h"

typedef struct cpt_gap {
  int32_t m;          /* agents */
  int32_t n;          /* job classes */
  int64_t *cap;       /* m: b_i ≥ 0 */
  int64_t *soft;      /* m: s_i in [0, b_i], or NULL (s_i = b_i) */
  double *soft_pen;   /* m: p_i ≥ 0, or NULL (0); with soft only */
  int64_t *count;     /* n: n_j ≥ 1, or NULL (all 1) */
  double *unassigned; /* n: u_j, or NULL (every job must be assigned) */
  int64_t *start;     /* n + 1 CSR offsets */
  int32_t *agent;     /* start[n] entries: agent of each candidate */
  double *cost;       /* start[n]: c_k */
  int64_t *weight;    /* start[n]: w_k ≥ 0 */
  double *agent_xy;   /* 2m coordinates (lat, lon), or NULL; for the
                         regional split only */
} cpt_gap;

/* Allocate the arrays for m agents, n classes and nnz candidate entries
 * (every pointer above; soft, soft_pen, count, unassigned and agent_xy
 * only when the matching with_* flag is set).  Zero-filled.  NULL when out
 * of memory. */
cpt_gap *cpt_gap_new(int32_t m, int32_t n, int64_t nnz, int with_soft,
                     int with_count, int with_unassigned, int with_xy);
void cpt_gap_free(cpt_gap *g); /* NULL-safe */

/* Check the invariants above (sorted or not, an agent at most once per
 * list, indices in range, weights and capacities ≥ 0, finite costs).
 * CPT_OK or CPT_EPARAM with a message in err. */
cpt_status cpt_gap_validate(const cpt_gap *g, char *err, size_t errsize);

/* A solution: x[k] jobs of class j on candidate k, y[j] unassigned. */
typedef struct cpt_gap_sol {
  int64_t *x; /* start[n] */
  int64_t *y; /* n */
} cpt_gap_sol;

/* Objective of a solution; sets *feasible (counts, capacities, y = 0 when
 * no unassigned option).  The objective is computed even when infeasible. */
double cpt_gap_eval(const cpt_gap *g, const cpt_gap_sol *s, int *feasible);

typedef struct cpt_gap_params {
  int threads;             /* 0 = all cores */
  uint64_t seed;           /* default 1 */
  double time_limit_s;     /* 0 = none */
  double target_gap;       /* stop once (UB − LB)/max(1, |UB|) ≤ this;
                              default 0 */
  int bound_iterations;    /* subgradient iterations cap; 0 = default */
  int lns;                 /* 1 = run the GLPK LNS (default 1) */
  const cpt_gap_sol *start;/* optional feasible start, copied
                              (CPT_EPARAM when infeasible) */
  const double *lambda0;   /* optional start of the capacity multipliers
                              (m values; negative or non-finite ones are
                              read as 0), e.g. the optimal doctor duals of
                              a flow relaxation: the capacity dual then
                              only has to improve from L(lambda0) */
  const atomic_int *stop;  /* SIGINT/SIGTERM; may be NULL */
  int verbose;             /* progress lines on log */
  FILE *log;               /* default stderr */
  int max_rounds;          /* improvement rounds cap; 0 = none */
  int stall_rounds;        /* stop after this many rounds without
                              improvement; 0 = 300 without a time limit,
                              no stall stop with one */
  int units_per_round;     /* fixed work units per round; 0 = default
                              8·(1 + n/20000), 32·(1 + n/20000) with
                              counts or an unassigned option, at most
                              64 */
  int64_t region_nnz;      /* split into regions when the candidate
                              entries exceed this; 0 = default 4,000,000;
                              −1 = never split */
} cpt_gap_params;

void cpt_gap_params_init(cpt_gap_params *p);

typedef struct cpt_gap_result {
  cpt_solve_status status; /* OPTIMAL (objective = bound within 1e-9
                              relative), FEASIBLE, NOSOLUTION (no
                              feasible assignment found, or a job class
                              with no option at all: bound = +∞),
                              INTERRUPTED (stop flag; with the best
                              solution found) */
  double objective;        /* of sol; NAN without one */
  double bound;            /* best proven lower bound */
  double lagr_capacity;    /* bound from the capacity relaxation */
  double lagr_assignment;  /* from the assignment relaxation, NAN if not
                              computed */
  double gap;              /* (objective − bound) / max(1, |objective|) */
  double time_s;
  double time_to_best_s;   /* when the final solution was first found */
  int hit_time_limit;
  int regions;             /* regions solved separately (1 = no split) */
  long iterations;         /* subgradient iterations (both duals) */
  long lns_rounds, improvements; /* improvement rounds (including the
                              regions'), units merged */
  cpt_gap_sol sol;         /* owned; NULL arrays when no solution */
} cpt_gap_result;

/* The Lagrangian bound alone (also fills lambda, m values, if non-NULL).
 * ub, if finite, steers the step size.  CPT_OK, CPT_EPARAM, CPT_ENOMEM. */
cpt_status cpt_gap_bound(const cpt_gap *g, double ub, int iterations,
                         double *bound, double *lambda);

/* Solve.  CPT_OK (see res->status), CPT_EPARAM (invalid g or params, err
 * filled), CPT_ENOMEM, CPT_EINTERNAL. */
cpt_status cpt_gap_solve(const cpt_gap *g, const cpt_gap_params *p,
                         cpt_gap_result *res, char *err, size_t errsize);
void cpt_gap_result_free(cpt_gap_result *r); /* NULL-safe */

/* Instances up to this many candidate entries get their LP bound. */
#define CPT_GAP_LP_MAX_ENTRIES 500000

/* The LP relaxation's optimum (solver/gap_lp.c), a lower bound on the
 * cost, by GLPK's simplex within time_limit_s (0 = none) or until stop:
 * CPT_OK with *bound = the optimum, +INFINITY when the LP is infeasible,
 * NAN when the instance has more than max_entries entries or the LP did
 * not finish; CPT_ENOMEM or CPT_EINTERNAL (message in err) else. */
cpt_status cpt_gap_lp_bound(const cpt_gap *g, int64_t max_entries,
                            double time_limit_s, const atomic_int *stop,
                            double *bound, char *err, size_t errsize);

#endif
