/*
 * status.c — names of return codes and solve statuses, and the one place
 * where a broken invariant ends the process.
 */
#include "status.h"

#include <stdio.h>
#include <stdlib.h>

const char *cpt_status_name(cpt_status s) {
  switch (s) {
  case CPT_OK: return "ok";
  case CPT_EINPUT: return "bad input";
  case CPT_EPARAM: return "invalid parameter";
  case CPT_ENOMEM: return "out of memory";
  case CPT_EIO: return "input/output error";
  case CPT_EINTERNAL: return "internal error";
  }
  return "unknown";
}

const char *cpt_solve_status_name(cpt_solve_status s) {
  switch (s) {
  case CPT_SOLVE_OPTIMAL: return "optimal";
  case CPT_SOLVE_FEASIBLE: return "feasible";
  case CPT_SOLVE_INFEASIBLE: return "infeasible";
  case CPT_SOLVE_INTERRUPTED: return "interrupted";
  case CPT_SOLVE_NOSOLUTION: return "no_solution";
  }
  return "unknown";
}

/* A broken invariant is a bug in cptsopt, not in the user's data: exit 4. */
void cpt_require_failed(const char *cond, const char *msg, const char *file,
                        int line) {
  fprintf(stderr, "cptsopt: internal error: %s (%s) at %s:%d\n", msg, cond,
          file, line);
  exit(4);
}
