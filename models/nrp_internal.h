/*
 * nrp_internal.h — the pieces of the nurse-rostering integer program that
 * the exact solver (nrp_mip.c) and the heuristic (nrp_heur.c) share: the
 * model builder, the all-off start and the extraction of a roster from a
 * column vector.  Not part of the public API: only models/nrp_*.c include
 * it.
 *
 * The model is the one stated in nrp_mip.c's opening comment.  With a
 * positive soft_penalty the builder also softens the rows that the
 * all-off roster breaks — min_s ≤ Σ_dt len_t x_sdt, the only ones: every
 * other row holds at x = 0 with k = 0, u = requirement, o = 0 — into
 *   minmin_s ≤ Σ_dt len_t x_sdt + z_s ≤ maxmin_s,  0 ≤ z_s ≤ minmin_s,
 * with soft_penalty·z_s added to the objective (the slack columns z).
 */
#ifndef CPT_NRP_INTERNAL_H
#define CPT_NRP_INTERNAL_H

#include "../solver/mip.h"
#include "../solver/status.h"
#include "nrp.h"

/* A built model.  xcol[(s·H + d)·T + t] is x_sdt's column or −1 (left
 * out); ucol[i] is cover row i's under-cover column or −1; slack[0 ..
 * n_slack) are the slack columns (soft models only).  infeasible = 1 when
 * a row without terms excludes 0 (or has lb > ub): then no roster keeps
 * every hard rule. */
typedef struct cpt_nrp_model {
  cpt_mip *m;
  int *xcol;
  int *ucol;
  int *slack;
  int n_slack;
  int n_x; /* x columns */
  int infeasible;
} cpt_nrp_model;

/* Build the model of inst (soft_penalty 0: the exact model; > 0: the
 * softened one above).  CPT_OK or CPT_ENOMEM; free with cpt_nrp_model_free
 * either way. */
cpt_status cpt_nrp_model_build(const cpt_nrp_instance *inst,
                               double soft_penalty, cpt_nrp_model *mod);
void cpt_nrp_model_free(cpt_nrp_model *mod); /* NULL-safe; zeroes mod */

/* When the roster with everybody off breaks no hard rule, *start is the
 * exact model's column vector for it (x = 0, k = 0, u = requirement,
 * o = 0; the caller frees it); otherwise *start = NULL.  CPT_OK or
 * CPT_ENOMEM. */
cpt_status cpt_nrp_model_all_off(const cpt_nrp_instance *inst,
                                 const cpt_nrp_model *mod, double **start);

/* The roster read from x (x_sdt > 0.5).  CPT_OK or CPT_ENOMEM; *out is
 * new, freed by the caller with cpt_nrp_roster_free. */
cpt_status cpt_nrp_model_roster(const cpt_nrp_instance *inst,
                                const cpt_nrp_model *mod, const double *x,
                                cpt_nrp_roster **out);

#endif
