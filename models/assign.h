/*
 * assign.h — the médecin-traitant assignment model (SPEC §1) and its solve.
 *
 * Maximize
 *   Σ_(p,d) eligible x_pd·(π_p − cost_per_km·dist(p,d)
 *                          + same_site_bonus·[site(d) = site(prev_p)])
 *   − fairness_penalty · Σ_d e_d
 * subject to
 *   Σ_d x_pd ≤ 1                          each patient at most one doctor
 *   Σ_p x_pd ≤ room_d = min(max(0, cap_d − cur_d), max_new_d)
 *   e_d ≥ Σ_p x_pd − t_d, e_d ≥ 0,  t_d = max(0, ⌊threshold·cap_d⌋ − cur_d)
 *   x_pd = x_qd   for p, q in one household, every d
 *   x_pd ∈ {0,1}
 * with π_p = base + ald·[ALD] + age70·[age ≥ 70] + child·[age < 16]
 *           + precarity·[precarity]
 * and (p,d) eligible iff dist(p,d) ≤ max_km_p, d not leaving, d takes
 * children if age_p < 16, d makes home visits if p needs them.
 *
 * Solution methods:
 *   flow — no households: patients with the same location, priority,
 *          eligibility and previous site are one supply node; the
 *          transportation problem with a convex two-piece arc per doctor
 *          (fairness) is solved exactly by the network simplex (flow.h).
 *   mip  — the integer program above in GLPK (mip.h), households as jobs.
 *   repair — households: the flow relaxation without the household
 *          constraints (a proven upper bound), its split households then
 *          placed whole greedily (assign_repair.c); the gap is reported.
 *   heuristic — households: job classes (households of one composition)
 *          as a generalized assignment problem with an "unassigned" option,
 *          solved by the GAP core (solver/gap.h): its LP bound solved as a
 *          transportation problem in patients, the rounded LP as the
 *          start, then parallel deterministic local search and LNS; the
 *          gap to the bound is reported.  Without households it solves the
 *          same model with every job a single patient.
 *   auto — flow when there are no households; with households, when the
 *          model is small enough for GLPK (at most CPT_MIP_MAX_PAIRS
 *          eligible class-doctor pairs), repair, then, unless repair is
 *          proven optimal, mip from the repaired plan for the rest of the
 *          time limit (the tighter of the two bounds kept); heuristic
 *          above.
 * Disaggregation is deterministic: within a class, patients in the order of
 * their ids (strcmp) go to doctors in file order.
 */
#ifndef CPT_ASSIGN_H
#define CPT_ASSIGN_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "../solver/diag.h"
#include "../solver/status.h"
#include "communes.h"
#include "config.h"
#include "instance.h"

typedef enum cpt_assign_method {
  CPT_METHOD_AUTO = 0,
  CPT_METHOD_FLOW,
  CPT_METHOD_MIP,
  CPT_METHOD_REPAIR,
  CPT_METHOD_HEURISTIC
} cpt_assign_method;

#define CPT_MIP_MAX_PAIRS 200000

const char *cpt_assign_method_name(cpt_assign_method m); /* "flow", ... */
/* Parse "auto" / "flow" / "mip" / "repair" / "heuristic"; 0 on success,
 * −1 otherwise. */
int cpt_assign_method_parse(const char *s, cpt_assign_method *m);

/* Why a patient is not placed (SPEC §1). */
typedef enum cpt_reason {
  CPT_REASON_ASSIGNED = 0,
  CPT_REASON_NO_DOCTOR_IN_RANGE,  /* no (non-leaving) doctor within max_km */
  CPT_REASON_NO_DOCTOR_FOR_NEED,  /* doctors in range, none takes children /
                                     makes home visits as needed */
  CPT_REASON_CAPACITY_EXHAUSTED,  /* eligible doctors exist, all full */
  CPT_REASON_HOUSEHOLD_SPLIT,     /* a doctor could take this patient, but no
                                     doctor could take the whole household */
  CPT_REASON_NOT_WORTHWHILE,      /* an eligible doctor has room, but placing
                                     the patient lowers the objective (only
                                     with weights where cost can exceed
                                     priority) */
  CPT_REASON_SOLVE_INTERRUPTED,   /* the solve stopped before a plan */
  CPT_REASON_WAVE_LIMIT,          /* depart with waves: an eligible doctor
                                     has room, but the per-wave intake
                                     limits leave no wave for p */
  CPT_N_REASONS
} cpt_reason;
const char *cpt_reason_name(cpt_reason r); /* "assigned", "no_doctor_in_range", ... */

typedef struct cpt_assign_params {
  cpt_assign_method method;
  const char *const *leaving; /* ids of doctors who leave (depart); may be NULL */
  size_t n_leaving;
  /* Intake in waves (depart): K ≥ 1 periods; in each a doctor takes at
   * most min(max_new_d, max_new_per_wave) new patients (either may be
   * absent: −1).  The plan is solved once with
   *   room_d = min(max(0, cap_d − cur_d), K·min(max_new_d, M)),
   * then each doctor's new patients are spread over the waves, highest
   * priority first, households whole (first fit). */
  int32_t waves;            /* default 1 */
  int32_t max_new_per_wave; /* −1 = none */
  /* For each placed patient, up to proposals − 1 alternative doctors that
   * are eligible and still have room after the plan, best value first. */
  int32_t proposals;        /* default 1 (no alternatives) */
  const atomic_int *stop;     /* SIGINT/SIGTERM flag; may be NULL */
  int verbose;                /* 0 quiet, 1 progress lines, 2 solver log */
  FILE *log;                  /* solver log stream (default stderr) */
  /* Called at the start of each phase ("candidates", "flow", "mip",
   * "reasons") with a one-line description; may be NULL. */
  void (*progress)(void *arg, const char *phase, const char *detail);
  void *progress_arg;
} cpt_assign_params;

void cpt_assign_params_init(cpt_assign_params *p);

typedef struct cpt_assign_stats {
  size_t n_classes;   /* patient classes after aggregation */
  size_t n_jobs;      /* job classes (households of one composition) */
  size_t n_pairs;     /* eligible (class, doctor) pairs */
  size_t n_nodes, n_arcs;        /* flow network size */
  size_t n_rows, n_cols, n_nz;   /* MIP size */
  int64_t pivots;     /* network simplex pivots */
  long nodes;         /* branch-and-bound nodes */
  double t_candidates_s, t_build_s, t_solve_s, t_extract_s;
} cpt_assign_stats;

typedef struct cpt_assign_result {
  cpt_solve_status status;
  cpt_assign_method method;  /* the method used (never AUTO) */
  double objective;          /* of the returned assignment, in SPEC units */
  double bound;              /* proven upper bound on the optimum */
  double gap;                /* (bound − objective) / max(1, |objective|) */
  double time_s;
  size_t n_patients, n_doctors;
  int32_t *doctor_of;   /* per patient: doctor index, or −1 */
  double *distance_km;  /* per patient: dist to doctor_of, NAN when −1 */
  uint8_t *reason;      /* per patient: cpt_reason */
  int32_t *new_load;    /* per doctor: new patients given */
  uint8_t *leaving;     /* per doctor: 1 when named as leaving */
  int32_t *room;        /* per doctor: room_d (0 for leaving doctors) */
  double *priority;     /* per patient: π_p */
  int32_t *wave;        /* per patient: 1..K when placed, 0 otherwise */
  int32_t n_alt;        /* alternatives per patient (proposals − 1) */
  int32_t *alt;         /* n_patients × n_alt doctor indices, −1 padded */
  double *alt_km;       /* their distances */
  cpt_assign_stats stats;
} cpt_assign_result;

/* Solve the model for the given data.  Returns CPT_OK with *out set (check
 * (*out)->status), CPT_EINPUT (e.g. an unknown leaving id; in diags),
 * CPT_ENOMEM or CPT_EINTERNAL.  Warnings (prev_doctor not in the doctors
 * file, current > capacity) go to diags too.  Caller frees *out. */
cpt_status cpt_assign_solve(const cpt_doctors *doctors,
                            const cpt_patients *patients,
                            const cpt_config *cfg,
                            const cpt_assign_params *params,
                            cpt_assign_result **out, cpt_diags *diags);
void cpt_assign_result_free(cpt_assign_result *r); /* NULL-safe */

struct cpt_mip;
/* The integer program that --method mip solves for these data and params
 * (NULL = defaults; only leaving, waves and max_new_per_wave matter: they
 * set room_d), without solving it, with readable names: columns
 * x_<patient>_<doctor> (a job class of one patient), h_<household>_<doctor>
 * (of one household), z_C<k>_<doctor> (k-th aggregated job class),
 * e_<doctor> (fairness excess); rows one_<patient>, hh_<household>, n_C<k>
 * (each job at most once), cap_<doctor>, fair_<doctor>.  Rows and columns
 * that cannot bind or carry nothing are left out, as in the solve.  The
 * optimum equals the SPEC §1 objective of an optimal plan.  Returns CPT_OK
 * with *out (free with cpt_mip_free), CPT_EINPUT (config, an unknown
 * leaving id; in diags) or CPT_ENOMEM. */
cpt_status cpt_assign_build_mip(const cpt_doctors *doctors,
                                const cpt_patients *patients,
                                const cpt_config *cfg,
                                const cpt_assign_params *params,
                                struct cpt_mip **out, cpt_diags *diags);

/* π_p for a patient under cfg. */
double cpt_priority(const cpt_patient *p, const cpt_config *cfg);

#endif
