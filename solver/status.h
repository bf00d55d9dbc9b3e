/*
 * status.h — return codes and solve statuses shared by every layer.
 *
 * Library functions return a cpt_status (never exit or abort on bad input);
 * a solver reports the outcome of a solve as a cpt_solve_status, which maps
 * one to one onto the report's "status" field and the process exit codes of
 * SPEC §5.
 */
#ifndef CPT_STATUS_H
#define CPT_STATUS_H

typedef enum cpt_status {
  CPT_OK = 0,
  CPT_EINPUT,    /* bad input data: details in the caller's cpt_diags */
  CPT_EPARAM,    /* an invalid parameter passed to a library call */
  CPT_ENOMEM,    /* allocation failed */
  CPT_EIO,       /* a file could not be read or written */
  CPT_EINTERNAL  /* a solver failed in a way it should not */
} cpt_status;

typedef enum cpt_solve_status {
  CPT_SOLVE_OPTIMAL = 0, /* proven optimal (within the requested mip_gap) */
  CPT_SOLVE_FEASIBLE,    /* a solution, not proven optimal (time limit) */
  CPT_SOLVE_INFEASIBLE,  /* the model has no solution */
  CPT_SOLVE_INTERRUPTED, /* stopped by a signal; best solution so far */
  CPT_SOLVE_NOSOLUTION   /* stopped (time, signal) before any solution */
} cpt_solve_status;

/* Static strings: "ok", "bad input", ... */
const char *cpt_status_name(cpt_status s);
/* "optimal", "feasible", "infeasible", "interrupted", "no_solution". */
const char *cpt_solve_status_name(cpt_solve_status s);

/* Exit codes of SPEC §5. */
enum {
  CPT_EXIT_SOLVED = 0,
  CPT_EXIT_NOT_PROVEN = 1,
  CPT_EXIT_INPUT = 2,
  CPT_EXIT_INFEASIBLE = 3,
  CPT_EXIT_INTERNAL = 4
};

/* Programming errors (broken invariants) only; never for bad input. */
#define CPT_REQUIRE(cond, msg) \
  ((cond) ? (void)0 : cpt_require_failed(#cond, (msg), __FILE__, __LINE__))
_Noreturn void cpt_require_failed(const char *cond, const char *msg,
                                  const char *file, int line);

#endif
