/*
 * rota_internal.h — the pieces of the SNP rota integer program that the
 * exact solver (rota_mip.c) and the heuristic (rota_heur.c) share: argument
 * checks, the pinned-pair validation and model builder, and the extraction
 * of a cpt_rota_solution from y (terms recomputed, reasons for uncovered
 * slots).  Not part of the public API: only models/rota_*.c include it.
 *
 * The model is the one stated in rota_model.h (see rota_mip.c's opening
 * comment for which columns and rows are generated).
 */
#ifndef CPT_ROTA_INTERNAL_H
#define CPT_ROTA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../solver/diag.h"
#include "../solver/mip.h"
#include "../solver/status.h"
#include "rota.h"
#include "rota_model.h"

/* A built rota model.  pin and col are n_doctors × n_slots; col[d·S + s]
 * is y_ds's column in m or −1 (pair not ALLOWED).  When the pinned pairs
 * clash with a hard rule, clashes > 0 (each reported in diags as an error)
 * and m is NULL. */
typedef struct cpt_rota_model {
  cpt_mip *m;
  uint8_t *pin;
  int *col;
  long clashes;
  size_t n_y; /* y columns */
} cpt_rota_model;

/* Check r, slots, p and out (CPT_EPARAM when invalid; also every need ≥ 0
 * and threads ≥ 0). */
cpt_status cpt_rota_check_args(const cpt_rota *r, const cpt_slots *slots,
                               const cpt_rota_solve_params *p,
                               cpt_rota_solution **out);

/* Validate the pinned pairs and, when they do not clash, build the MIP.
 * CPT_OK (look at mod->clashes) or CPT_ENOMEM; free with
 * cpt_rota_model_free either way. */
cpt_status cpt_rota_model_build(const cpt_rota *r, const cpt_slots *slots,
                                const cpt_rota_solve_params *p,
                                cpt_rota_model *mod, cpt_diags *diags);
void cpt_rota_model_free(cpt_rota_model *mod); /* NULL-safe; zeroes mod */

/* A zeroed solution for D doctors and S slots (objective, bound NAN, gap
 * INFINITY); NULL when out of memory. */
cpt_rota_solution *cpt_rota_solution_new(size_t D, size_t S);

/* From x->y: covered, under, over, load, deviation, every term and the
 * objective, and the reason of each under-covered slot.  CPT_OK or
 * CPT_ENOMEM. */
cpt_status cpt_rota_solution_fill(const cpt_rota *r, const cpt_slots *slots,
                                  const cpt_rota_solve_params *p,
                                  cpt_rota_solution *x);

/* The record of an INFEASIBLE outcome: terms of the empty rota, objective
 * and bound NAN, gap INFINITY. */
void cpt_rota_solution_set_infeasible(const cpt_rota *r,
                                      const cpt_slots *slots,
                                      const cpt_rota_solve_params *p,
                                      cpt_rota_solution *x);

#endif
