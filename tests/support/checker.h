/*
 * checker.h — an independent feasibility-and-objective check of an MT
 * assignment (SPEC §1), written from the SPEC alone: it shares no code with
 * models/assign*.c or the solvers, and recomputes distances itself
 * (haversine, R = 6371.0 km, × detour; intra_commune_km for two places of
 * one commune without explicit coordinates, not multiplied by detour).
 *
 * An assignment doctor_of[p] ∈ {−1, 0..D−1} is feasible iff
 *   - every index is in range;
 *   - every placed pair (p,d) is eligible: dist(p,d) ≤ max_km_p (the
 *     config's max_km when the patient gives none), d not leaving, d takes
 *     children when age_p < 16, d makes home visits when p needs them;
 *   - new_d ≤ room_d = max(0, cap_d − cur_d) and new_d ≤ max_new_d (when
 *     given) for every doctor;
 *   - the members of one household (same household id) are all on one
 *     doctor or all unassigned.
 * Its objective is
 *   Σ_placed (π_p − cost_per_km·dist(p,d) + same_site_bonus·[bonus])
 *     − fairness_penalty · Σ_d max(0, new_d − t_d),
 *   t_d = max(0, ⌊threshold·cap_d⌋ − cur_d),
 * where [bonus] holds when site(d) and the site of the patient's previous
 * doctor (found by id in the doctors file) are both given and equal.
 */
#ifndef CPT_TEST_CHECKER_H
#define CPT_TEST_CHECKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../models/config.h"
#include "../../models/instance.h"

/* Check doctor_of (one entry per patient) against the model.  Returns 0
 * when feasible, with the objective in *objective (may be NULL); −1
 * otherwise (also for an unknown leaving id or out of memory), with a
 * sentence naming the constraint, the patient and the doctor in why (may
 * be NULL). */
int cpt_check_assign(const cpt_doctors *doctors, const cpt_patients *patients,
                     const cpt_config *cfg, const char *const *leaving,
                     size_t n_leaving, const int32_t *doctor_of,
                     double *objective, char *why, size_t why_size);

/* The data the check derives from an instance once, so that the brute
 * force can evaluate many assignments of one instance cheaply.  Matrices
 * are P×D, row per patient.  Owned by the context; free with
 * cpt_check_ctx_free. */
typedef struct cpt_check_ctx {
  const cpt_doctors *doctors;   /* borrowed */
  const cpt_patients *patients; /* borrowed */
  size_t np, nd;
  double penalty;
  double *dist;      /* dist(p,d) in km */
  double *max_km;    /* per patient: the limit that applies */
  uint8_t *in_range; /* dist ≤ max_km_p and d not leaving */
  uint8_t *eligible; /* in range, children and home-visit rules */
  double *value;     /* π_p − cost·dist + bonus (eligible pairs) */
  double *priority;  /* π_p */
  uint8_t *bonus;    /* same-site bonus earned by (p,d) */
  uint8_t *leaving;  /* per doctor */
  int32_t *room;     /* per doctor: min(max(0, cap − cur), max_new) */
  int32_t *t;        /* per doctor: fairness threshold t_d */
  int32_t *hh;       /* per patient: household group, −1 when none */
  int32_t *hh_size;  /* per group: members in the patient file */
  size_t n_hh;
  int32_t *load;     /* scratch, per doctor */
  int32_t *hh_doc;   /* scratch, per group */
} cpt_check_ctx;

/* Derive the context; 0, or −1 with why (unknown leaving id, no memory). */
int cpt_check_ctx_init(cpt_check_ctx *c, const cpt_doctors *doctors,
                       const cpt_patients *patients, const cpt_config *cfg,
                       const char *const *leaving, size_t n_leaving,
                       char *why, size_t why_size);
void cpt_check_ctx_free(cpt_check_ctx *c);

/* Check one assignment against a context; as cpt_check_assign.  why may be
 * NULL (then nothing is formatted: the fast path of the brute force). */
int cpt_check_eval(cpt_check_ctx *c, const int32_t *doctor_of,
                   double *objective, char *why, size_t why_size);

/* The reasons (cpt_reason of models/assign.h) that SPEC §1 allows for
 * patient p under the feasible assignment doctor_of, as a bit set
 * (1u << reason).  A placed patient allows only ASSIGNED.  For an
 * unplaced one, with residual room r_d = room_d − new_d:
 *   no_doctor_in_range  no non-leaving doctor within max_km_p;
 *   no_doctor_for_need  some in range, none eligible;
 *   then for a patient alone (no household or a household of one):
 *     capacity_exhausted  every eligible doctor has r_d = 0,
 *     not_worthwhile      some eligible doctor has r_d ≥ 1;
 *   for a member of a household H of |H| ≥ 2, with F = "some doctor
 *   eligible for every member has r_d ≥ |H|", R = "some doctor eligible
 *   for p has r_d ≥ 1", I = "some doctor eligible for every member has
 *   room_d ≥ |H|":
 *     F                 not_worthwhile
 *     ¬F, R, ¬I         household_split
 *     ¬F, ¬R, I         capacity_exhausted
 *     otherwise         household_split or capacity_exhausted (the SPEC
 *                       reads either way: only a split would ever have
 *                       fitted, and what is left is full / a split fits
 *                       what is left, but the household fitted before
 *                       others took the room).
 * The context must have been evaluated on doctor_of just before (it reads
 * the loads cpt_check_eval left in c->load). */
unsigned cpt_check_allowed_reasons(const cpt_check_ctx *c,
                                   const int32_t *doctor_of, size_t p);

/* The great-circle and model distances used by the checker. */
double cpt_check_haversine_km(double lat1, double lon1, double lat2,
                              double lon2);
double cpt_check_dist_km(const cpt_loc *a, const cpt_loc *b, double detour,
                         double intra_commune_km);

#endif
