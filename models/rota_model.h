/*
 * rota_model.h — the SNP rota integer program of SPEC §2, solved exactly
 * with GLPK (rota_mip.c) or, for large rotas, by a deterministic parallel
 * large-neighbourhood search followed by GLPK for a bound (rota_heur.c).
 *
 * With y_ds ∈ {0,1} for the ALLOWED pairs of the prepared rota (rota.h):
 *
 *   minimize  W_under·Σ_s u_s + W_over·Σ_s o_s + W_pref·Σ_(d,s) pref_ds·y_ds
 *             + W_fair·Σ_d (a_d + b_d) + W_change·Σ_(d,s) |y_ds − prev_ds|
 *   s.t.      Σ_d y_ds + u_s − o_s = need_s              (u, o ≥ 0)
 *             y_ds + y_dt ≤ 1        (s, t) a conflict (overlap, rest)
 *             Σ_s y_ds ≤ max_slots_d                      (when ≥ 0)
 *             Σ_(s on day k) y_ds ≤ max_per_day_d
 *             Σ_s y_ds + hist_d − target_d = a_d − b_d    (a, b ≥ 0)
 *             y_ds = 1                                    pinned
 * pref_ds = 1 when the pair is PREFERRED, else 0.  The change term exists
 * only with a previous rota (re-planning): |y − prev| is linear since prev
 * is data (y for prev = 0, 1 − y for prev = 1).  Pinned pairs that are not
 * ALLOWED, or pinned pairs that clash with each other (a conflict, a limit)
 * make the model infeasible: that is detected before GLPK and reported
 * with the rule and the slots that clash.
 */
#ifndef CPT_ROTA_MODEL_H
#define CPT_ROTA_MODEL_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "../solver/diag.h"
#include "../solver/status.h"
#include "rota.h"

typedef struct cpt_rota_solve_params {
  double w_under, w_over, w_preferred, w_fair, w_change; /* SPEC §4 config */
  const uint8_t *previous; /* n_doctors × n_slots 0/1 (published rota); NULL */
  double time_limit_s;     /* 0 = none */
  double mip_gap;
  const atomic_int *stop;
  int verbose;
  FILE *log;
  int threads;   /* heuristic: LNS worker threads, 0 = all cores */
  uint64_t seed; /* heuristic: LNS seed (default 1) */
} cpt_rota_solve_params;

/* Defaults of SPEC §4 (w_change 100), no previous, 60 s, threads 0,
 * seed 1. */
void cpt_rota_solve_params_init(cpt_rota_solve_params *p);

/* Why a slot is (partly) uncovered. */
typedef enum cpt_uncovered_reason {
  CPT_UNCOV_NONE = 0,
  CPT_UNCOV_NOBODY_AVAILABLE, /* no doctor may take it (availability, site) */
  CPT_UNCOV_REST_RULE,        /* every doctor who may take it and does not
                                 is blocked by an overlap or rest conflict
                                 with a slot they have */
  CPT_UNCOV_AT_LIMIT,         /* the others are at max_slots / max_per_day */
  CPT_UNCOV_NOT_WORTHWHILE    /* someone could, but the objective is better
                                 without (only with unusual weights) */
} cpt_uncovered_reason;
const char *cpt_uncovered_reason_name(cpt_uncovered_reason r);
/* "nobody_available", "rest_rule", "everyone_at_limit", "not_worthwhile" */

typedef struct cpt_rota_solution {
  cpt_solve_status status;
  double objective, bound, gap, time_s;
  double term_under, term_over, term_preferred, term_fair, term_change;
  size_t n_doctors, n_slots;
  uint8_t *y;         /* n_doctors × n_slots: 1 = doctor d on slot s */
  int32_t *covered;   /* per slot: Σ_d y_ds */
  int32_t *under;     /* per slot: max(0, need − covered) */
  int32_t *over;      /* per slot: max(0, covered − need) */
  uint8_t *reason;    /* per slot: cpt_uncovered_reason when under > 0 */
  int32_t *load;      /* per doctor: Σ_s y_ds */
  double *deviation;  /* per doctor: load + hist − target */
  long nodes, rows, cols;
  const char *method; /* static: "mip" or "heuristic", the solver used */
} cpt_rota_solution;

/* Solve.  Returns CPT_OK with *out (check status: OPTIMAL, FEASIBLE at
 * the time limit, INFEASIBLE when pinned pairs contradict hard rules — the
 * rule and the slots then in diags as errors —, INTERRUPTED), CPT_EPARAM,
 * CPT_ENOMEM or CPT_EINTERNAL.  Caller frees with cpt_rota_solution_free. */
cpt_status cpt_rota_solve_mip(const cpt_rota *rota, const cpt_slots *slots,
                              const cpt_rota_solve_params *p,
                              cpt_rota_solution **out, cpt_diags *diags);

/* The same model solved for large rotas: the pinned pairs are validated
 * exactly as by cpt_rota_solve_mip (INFEASIBLE the same way); the pinned-
 * only plan is completed (slacks, deviations) into a start; a large-
 * neighbourhood search (solver/lns.h) over y, with the doctor and the day
 * as neighbourhood groups, improves it with p->threads and p->seed (its
 * safety net is 70 % of time_limit_s); then GLPK solves the full model
 * from the LNS plan for the remaining time to prove a bound.  The plan is
 * the LNS's — identical for any thread count, unless a safety limit was
 * hit — except when GLPK proves a strictly better plan optimal, which is
 * then returned.  bound is GLPK's (≤ objective), gap as for the MIP,
 * status OPTIMAL when the gap is 0, else FEASIBLE (INTERRUPTED on the stop
 * flag).  Returns and ownership as cpt_rota_solve_mip; method
 * "heuristic". */
cpt_status cpt_rota_solve_heuristic(const cpt_rota *rota,
                                    const cpt_slots *slots,
                                    const cpt_rota_solve_params *p,
                                    cpt_rota_solution **out,
                                    cpt_diags *diags);
void cpt_rota_solution_free(cpt_rota_solution *s); /* NULL-safe */

struct cpt_mip;
/* The integer program that cpt_rota_solve_mip solves, without solving it,
 * with readable names (doctors' and slots' ids): columns y_<doctor>_<slot>,
 * u_<slot>, o_<slot> (under and over coverage), a_<doctor>, b_<doctor>
 * (fairness deviation); rows cover_<slot>, overlap_<doctor>_<s>_<t> and
 * rest_<doctor>_<s>_<t> (conflicts), day_<doctor>_<date>, week_<doctor>
 * (limits), fair_<doctor> and fcut_<doctor> (the valid cut on |n − τ|).
 * What does not depend on y is the objective constant.  doctors is the
 * table the rota was prepared from.  Returns CPT_OK with *out (free with
 * cpt_mip_free), or, when the pinned pairs clash with a hard rule (each
 * clash an error in diags), CPT_OK with *out NULL; CPT_EPARAM, CPT_ENOMEM. */
cpt_status cpt_rota_build_mip(const cpt_rota *rota,
                              const struct cpt_doctors *doctors,
                              const cpt_slots *slots,
                              const cpt_rota_solve_params *p,
                              struct cpt_mip **out, cpt_diags *diags);

#endif
