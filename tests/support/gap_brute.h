/*
 * gap_brute.h — exhaustive optimisation of tiny generalized assignment
 * instances (solver/gap.h's problem, with counts, unassigned costs and
 * soft capacities), written independently of the solver: it reads the
 * cpt_gap arrays and nothing else of the library.
 *
 * Depth-first over the job classes; for each class every split of its
 * n_j units among its candidates and the unassigned option (when allowed)
 * is tried, pruned as soon as a hard capacity is passed.  The objective
 * Σ c·x + Σ u·y + Σ p·max(0, load − s) is evaluated at the leaves.
 */
#ifndef CPT_TEST_GAP_BRUTE_H
#define CPT_TEST_GAP_BRUTE_H

#include <stdint.h>

#include "../../solver/gap.h"

/* Leaves visited at most (the call gives up beyond). */
#define CPT_GAP_BRUTE_MAX_LEAVES 4000000

/* Returns 0 with *best the optimum (INFINITY when infeasible) and, if
 * x/y are non-NULL and a solution exists, one optimal solution; −1 when
 * the instance is too large or memory runs out. */
int cpt_gap_brute(const cpt_gap *g, double *best, int64_t *x, int64_t *y);

/* The objective and feasibility of (x, y), recomputed by the test's own
 * code (independent of cpt_gap_eval). */
double cpt_gap_brute_eval(const cpt_gap *g, const int64_t *x,
                          const int64_t *y, int *feasible);

#endif
