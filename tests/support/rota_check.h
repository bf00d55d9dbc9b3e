/*
 * rota_check.h — an independent feasibility-and-objective check of an SNP
 * rota (SPEC §2), written from the SPEC and rota.h alone: it shares no code
 * with models/rota_mip.c and recomputes overlaps, night rests and days from
 * the slot times itself.
 *
 * y (n_doctors × n_slots, 0/1) is feasible iff
 *   - y_ds = 1 only where the prepared rota says ALLOWED (availability and
 *     site, the facts rota_prep.c derives from the CSV rows);
 *   - no doctor has two slots whose half-open intervals intersect;
 *   - no doctor has a night slot s (ending after 22:00 or on a later day
 *     than it starts) and a slot t starting at or after s ends but less than
 *     min_rest_h hours later;
 *   - Σ_s y_ds ≤ max_slots_d when max_slots_d ≥ 0, and at most
 *     max_per_day_d slots start on any one date;
 *   - every pinned pair has y = 1.
 * Its objective is
 *   W_under·Σ_s max(0, need_s − c_s) + W_over·Σ_s max(0, c_s − need_s)
 *   + W_pref·#{y_ds = 1, preferred} + W_fair·Σ_d |load_d + hist_d − target_d|
 *   + W_change·Σ_(d,s) |y_ds − prev_ds|   (only when a previous rota is given)
 * with c_s = Σ_d y_ds.
 */
#ifndef CPT_TEST_ROTA_CHECK_H
#define CPT_TEST_ROTA_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "../../models/rota.h"
#include "../../models/rota_model.h"

/* 0 when y is feasible; −1 otherwise with a sentence naming the rule, the
 * doctor index and the slot ids in why (may be NULL). */
int cpt_rota_check(const cpt_rota *r, const cpt_slots *slots,
                   double min_rest_h, const uint8_t *y, char *why,
                   size_t why_size);

/* The objective of y with the weights (and previous rota) of w. */
double cpt_rota_check_objective(const cpt_rota *r, const cpt_slots *slots,
                                const cpt_rota_solve_params *w,
                                const uint8_t *y);

#endif
