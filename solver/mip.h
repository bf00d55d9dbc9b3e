/*
 * mip.h — a solver-neutral sparse mixed-integer program and its GLPK driver.
 *
 *     maximize or minimize  Σ_j c_j x_j + c_0
 *     subject to            L_i ≤ Σ_j a_ij x_j ≤ U_i        rows i
 *                           l_j ≤ x_j ≤ u_j                 columns j
 *                           x_j ∈ ℤ for integer columns
 *
 * Bounds may be ±HUGE_VAL (free).  Indices are 0-based here; GLPK's 1-based
 * arrays never leave mip.c.  Model builders in models/ fill a cpt_mip; this
 * file validates parameters before GLPK sees them (GLPK aborts on invalid
 * ones), runs glp_simplex + glp_intopt with presolve, a time limit, a
 * relative gap and a stop flag, captures GLPK's terminal output (shown only
 * when verbose), tracks the best bound through the branch-and-bound
 * callback, and maps GLPK's return codes to cpt_solve_status.  A start
 * solution, if given and feasible, is offered through glp_ios_heur_sol.
 *
 * Thread safety: each call creates and deletes its own glp_prob; a thread
 * that called cpt_mip_solve must call cpt_mip_thread_done() before it ends
 * (glp_free_env()).
 */
#ifndef CPT_MIP_H
#define CPT_MIP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>

#include "status.h"

typedef struct cpt_mip cpt_mip;

cpt_mip *cpt_mip_new(int maximize);  /* NULL when out of memory */
void cpt_mip_free(cpt_mip *m);       /* NULL is a no-op */

/* Returns the 0-based column index, or −1 (out of memory / lb > ub).
 * name may be NULL (GLPK then gets "x<j>"); it is copied. */
int cpt_mip_add_col(cpt_mip *m, const char *name, double lb, double ub,
                    double obj, int is_integer);
/* Returns the 0-based row index, or −1.  cols/vals (nnz entries) are
 * copied; a column may appear at most once in a row. */
int cpt_mip_add_row(cpt_mip *m, const char *name, double lb, double ub,
                    int nnz, const int *cols, const double *vals);
void cpt_mip_set_obj_const(cpt_mip *m, double c0);
/* Add delta to an existing column's objective coefficient. */
void cpt_mip_add_obj(cpt_mip *m, int col, double delta);

/* A deep copy (NULL when out of memory); for sub-problems that change
 * bounds without touching the original. */
cpt_mip *cpt_mip_copy(const cpt_mip *m);
/* Replace column col's bounds (lb ≤ ub, not NaN); −1 when invalid. */
int cpt_mip_set_col_bounds(cpt_mip *m, int col, double lb, double ub);
/* The sub-problem with the columns j where is_free[j] = 0 fixed at
 * val[j] and substituted out (solver/mip_restrict.c): its columns are the
 * free ones in order (map[k] = their index in m, map has room for n_cols),
 * its rows those with a free column, bounds shifted by the fixed part, and
 * the fixed part of the objective in its constant.  *violated = 1 when a
 * row without a free column does not hold at val.  NULL when out of
 * memory. */
cpt_mip *cpt_mip_restrict(const cpt_mip *m, const unsigned char *is_free,
                          const double *val, int *map, int *n_free,
                          int *violated);
/* Column col's objective coefficient, bounds and integrality. */
double cpt_mip_col_obj(const cpt_mip *m, int col);
void cpt_mip_col_bounds(const cpt_mip *m, int col, double *lb, double *ub);
int cpt_mip_col_is_integer(const cpt_mip *m, int col);
int cpt_mip_is_maximize(const cpt_mip *m);

int cpt_mip_n_cols(const cpt_mip *m);
int cpt_mip_n_rows(const cpt_mip *m);
size_t cpt_mip_n_nz(const cpt_mip *m);

typedef struct cpt_mip_params {
  double time_limit_s;    /* 0 = none; else > 0 */
  double mip_gap;         /* relative gap at which to stop, ≥ 0 */
  int presolve;           /* 1 = GLPK's MIP presolver (default 1) */
  int verbose;            /* 1 = pass GLPK's output to log (default 0) */
  FILE *log;              /* where verbose output goes (default stderr) */
  const double *start;    /* optional start solution, n_cols values; if
                             feasible, GLPK's presolver is skipped so that
                             it can be offered, and it is the answer when
                             the solve stops with nothing better */
  const atomic_int *stop; /* non-zero → terminate ASAP (within ~0.2 s in
                             the root LP, between callbacks in the
                             search); may be NULL */
} cpt_mip_params;

void cpt_mip_params_init(cpt_mip_params *p);

typedef struct cpt_mip_result {
  cpt_solve_status status;
  double objective; /* of x; NAN when no solution */
  double bound;     /* best proven bound (≥ objective when maximizing);
                       ±INFINITY when unknown, NAN when infeasible */
  double gap;       /* |bound − objective| / max(1, |objective|); 0 if optimal
                       (unless stopped at mip_gap); INFINITY if no solution */
  double time_s;
  long nodes;       /* branch-and-bound nodes explored (if known) */
  double *x;        /* n_cols values, owned; NULL when no solution */
} cpt_mip_result;

/* Solve.  Returns CPT_OK when GLPK ran (see res->status for the outcome),
 * CPT_EPARAM for invalid parameters, CPT_ENOMEM, or CPT_EINTERNAL when
 * GLPK failed unexpectedly or the model is unbounded (message in errbuf if
 * non-NULL).  p may be NULL (defaults).  After an internal GLPK error the
 * calling thread's GLPK environment has been freed (glp_free_env). */
cpt_status cpt_mip_solve(const cpt_mip *m, const cpt_mip_params *p,
                         cpt_mip_result *res, char *errbuf, size_t errsize);
void cpt_mip_result_free(cpt_mip_result *res); /* frees x; NULL-safe */

/* Write the model in CPLEX LP (format 'l') or free MPS ('m') format.
 * Names are made valid and unique (other characters than [A-Za-z0-9_.]
 * become '_'; NULL names become x<j>/r<i>), free rows are left out, the
 * objective constant is a column "const" fixed at 1, and since MPS has no
 * objective sense a maximization is written as min −f there.  Returns
 * CPT_OK, CPT_EPARAM, CPT_EIO (file not written), CPT_ENOMEM or
 * CPT_EINTERNAL. */
cpt_status cpt_mip_write(const cpt_mip *m, const char *path, char format);

/* Release this thread's GLPK environment (glp_free_env). */
void cpt_mip_thread_done(void);

/* GLPK's version string, e.g. "5.0" (solver/glpk_info.c). */
const char *cpt_mip_glpk_version(void);

#endif
