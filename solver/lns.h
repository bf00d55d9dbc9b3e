/*
 * lns.h — large-neighbourhood search over a cpt_mip, in parallel and
 * deterministic.
 *
 * The model's columns carry two group labels (for a rota: the doctor and
 * the day; −1 for auxiliary columns such as slack and deviation variables,
 * which are always free).  Starting from a feasible solution x0, each
 * round draws U neighbourhoods (U = units_per_round, fixed): unit u, with
 * its own generator seeded from (seed, round, u), frees every column whose
 * group_a lies in a random set of a-groups, or whose group_b lies in a
 * random window of consecutive b-groups, about free_share of the labelled
 * columns in all; every other labelled column is fixed at the incumbent.
 * The sub-MIPs are solved by GLPK (mip.h) with the incumbent offered as a
 * start, in parallel (OpenMP, one unit per iteration, each thread releases
 * its GLPK environment at the end).  The best strict improvement (by
 * objective, then unit index) becomes the incumbent.  Because units and
 * their order are fixed, the result does not depend on the number of
 * threads; only the safety limits (time_limit_s between rounds,
 * sub_time_limit_s per sub-MIP) can make it depend on the machine, and the
 * result says when one was hit.  The search stops after max_rounds rounds,
 * or stall_rounds rounds without improvement, or on the stop flag.
 */
#ifndef CPT_LNS_H
#define CPT_LNS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mip.h"
#include "status.h"

typedef struct cpt_lns_params {
  int threads;             /* 0 = all cores */
  uint64_t seed;
  int units_per_round;     /* default 4 */
  int max_rounds;          /* default 200 */
  int stall_rounds;        /* default 12 */
  double free_share;       /* default 0.15 */
  double time_limit_s;     /* safety net between rounds; 0 = none */
  double sub_time_limit_s; /* safety net per sub-MIP; default 10 */
  const atomic_int *stop;  /* may be NULL */
  int verbose;             /* one line per improvement on log */
  FILE *log;
} cpt_lns_params;

void cpt_lns_params_init(cpt_lns_params *p);

typedef struct cpt_lns_result {
  cpt_solve_status status; /* FEASIBLE, or INTERRUPTED (stop flag) */
  double objective;        /* of x */
  double *x;               /* n_cols values, owned */
  int rounds, improvements;
  int hit_time_limit;      /* a safety limit was reached (see above) */
  double time_s;
} cpt_lns_result;

/* Complete a partial solution: solve m with every labelled column
 * (group_a[j] ≥ 0) fixed at xfix[j] and the others free.  x_out gets all
 * n_cols values.  CPT_OK with *feasible = 1, or *feasible = 0 when no
 * completion exists; CPT_ENOMEM / CPT_EINTERNAL with err filled. */
cpt_status cpt_lns_complete(const cpt_mip *m, const int32_t *group_a,
                            const double *xfix, double *x_out, double *obj,
                            int *feasible, char *err, size_t errsize);

/* Run the search from the feasible x0 (n_cols values).  group_a values lie
 * in [−1, n_a), group_b in [−1, n_b).  CPT_EPARAM for bad parameters or an
 * infeasible x0, CPT_ENOMEM, CPT_EINTERNAL (err filled). */
cpt_status cpt_lns_solve(const cpt_mip *m, const int32_t *group_a,
                         int32_t n_a, const int32_t *group_b, int32_t n_b,
                         const double *x0, const cpt_lns_params *p,
                         cpt_lns_result *res, char *err, size_t errsize);
void cpt_lns_result_free(cpt_lns_result *r); /* frees x; NULL-safe */

#endif
