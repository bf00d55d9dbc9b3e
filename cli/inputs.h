/*
 * inputs.h — input loading shared by `cptsopt assign`/`depart`, `rota`,
 * `check` and `export`, so that the commands read a file the same way and
 * validate it against the others with the same rules.
 */
#ifndef CPT_CLI_INPUTS_H
#define CPT_CLI_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../models/config.h"
#include "../models/instance.h"
#include "../models/rota.h"
#include "../models/rota_model.h"
#include "../solver/diag.h"

/* --previous: a rota CSV of `cptsopt rota` (columns slot, doctor; an empty
 * doctor marks an uncovered slot) read into the n_doctors × n_slots 0/1
 * matrix of the published rota; *out is the caller's (free).  CPT_EINPUT
 * with every unknown slot or doctor located at its line and column,
 * CPT_EIO, CPT_ENOMEM. */
cpt_status cpt_cli_load_previous(const char *path, const cpt_doctors *D,
                                 const cpt_slots *S, uint8_t **out,
                                 cpt_diags *diags);

/* depart: the patients of the leaving doctors (prev_doctor one of
 * leaving), as a view on P (strings stay in P's pool; free the view with
 * cpt_patients_free).  NULL when out of memory; *all is set when no
 * patient names a leaving doctor and the view is the whole file. */
cpt_patients *cpt_cli_select_departing(const cpt_patients *P,
                                       const char *const *leaving,
                                       size_t n_leaving, bool *all);

/* The rota solve parameters of a config: the SPEC §2 weights, time limit,
 * gap, threads and seed (previous, stop, log and verbose untouched). */
void cpt_cli_rota_solve_params(const cpt_config *cfg,
                               cpt_rota_solve_params *sp);

#endif
