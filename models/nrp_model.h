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
#include <stdint.h>
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
  int threads;   /* heuristic: LNS worker threads, 0 = all cores */
  uint64_t seed; /* heuristic: LNS seed (default 1) */
} cpt_nrp_solve_params;

/* 60 s, gap 0, threads 0, seed 1. */
void cpt_nrp_solve_params_init(cpt_nrp_solve_params *p);

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

/* The same model for instances too large for GLPK alone (nrp_heur.c): a
 * deterministic large-neighbourhood search (solver/lns.h) in two phases —
 * from the all-off roster on the model whose minimum-minutes rows are
 * softened by penalised slacks, re-optimised staff member by staff member,
 * until the slacks are 0, then on the exact model
 * — and GLPK from the LNS roster for a bound.  For a given seed the roster
 * does not depend on threads unless a safety time limit is hit (then a
 * warning in diags).  Same ownership and statuses as cpt_nrp_solve_mip
 * (also CPT_EPARAM for threads < 0); status NOSOLUTION with a warning when
 * no roster keeping every hard rule was found in time. */
cpt_status cpt_nrp_solve_heuristic(const cpt_nrp_instance *inst,
                                   const cpt_nrp_solve_params *p,
                                   cpt_nrp_solution **out, cpt_diags *diags);

#endif
