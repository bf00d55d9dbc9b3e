/*
 * nrp_model.h — the nurse-rostering benchmark (nrp.h) as an integer
 * program solved with GLPK (nrp_mip.c): every hard rule of the benchmark
 * as constraints and its objective (shift-on and shift-off request
 * weights, under- and over-cover weights) as the objective.  The
 * formulation is written out in nrp_mip.c's top comment.
 */
#ifndef CPT_NRP_MODEL_H
#define CPT_NRP_MODEL_H

#include <stdatomic.h>
#include <stdio.h>

#include "../solver/diag.h"
#include "../solver/status.h"
#include "nrp.h"

typedef struct cpt_nrp_solve_params {
  double time_limit_s; /* 0 = none */
  double mip_gap;
  const atomic_int *stop;
  int verbose;
  FILE *log;
} cpt_nrp_solve_params;

void cpt_nrp_solve_params_init(cpt_nrp_solve_params *p); /* 60 s, gap 0 */

typedef struct cpt_nrp_solution {
  cpt_solve_status status;
  double objective, bound, gap, time_s;
  cpt_nrp_roster *roster; /* NULL when no solution */
  long nodes, rows, cols;
} cpt_nrp_solution;

/* Solve; CPT_OK with *out (check status), CPT_EPARAM, CPT_ENOMEM,
 * CPT_EINTERNAL.  The objective is recomputed with cpt_nrp_evaluate. */
cpt_status cpt_nrp_solve_mip(const cpt_nrp_instance *inst,
                             const cpt_nrp_solve_params *p,
                             cpt_nrp_solution **out, cpt_diags *diags);
void cpt_nrp_solution_free(cpt_nrp_solution *s); /* NULL-safe */

#endif
