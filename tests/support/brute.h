/*
 * brute.h — exhaustive optimisation of tiny MT assignment instances, and a
 * seeded generator of such instances, for testing the solvers against an
 * answer that owes nothing to them.
 *
 * The brute force enumerates every doctor_of ∈ {−1, 0..D−1}^P (at most
 * 65,536 vectors: P ≤ 8 with D ≤ 3, or any P, D with (D+1)^P ≤ 65,536),
 * keeps those the checker (checker.h) accepts, and reports the best
 * objective, one optimal vector (the first in odometer order), how many
 * vectors reach the optimum, and the best objective of any other vector.
 */
#ifndef CPT_TEST_BRUTE_H
#define CPT_TEST_BRUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../models/config.h"
#include "../../models/instance.h"

#define CPT_BRUTE_MAX_P 8
#define CPT_BRUTE_MAX_VECTORS 65536

typedef struct cpt_brute_result {
  double best;       /* optimal objective */
  double second;     /* best objective of any other feasible vector; −inf */
  size_t n_optimal;  /* vectors within 1e-7 of best */
  size_t n_feasible; /* feasible vectors */
  int32_t doctor_of[CPT_BRUTE_MAX_P]; /* the first optimal vector */
} cpt_brute_result;

/* Returns 0, or −1 when the instance is too large, a leaving id is
 * unknown, or memory runs out (why says which; may be NULL). */
int cpt_brute_assign(const cpt_doctors *doctors, const cpt_patients *patients,
                     const cpt_config *cfg, const char *const *leaving,
                     size_t n_leaving, cpt_brute_result *out, char *why,
                     size_t why_size);

/* splitmix64: the test's own 64-bit generator (never rand()). */
uint64_t cpt_test_splitmix64(uint64_t *state);

/* An instance owned by value (tiny for the brute force, or up to 8
 * doctors and 64 patients for cross-checks between solvers): strings are
 * static literals and the pools are NULL, so it must never be given to
 * cpt_*_free.  The table structs point into the arrays of the same object:
 * do not copy a cpt_tiny with '=' (use cpt_tiny_copy). */
#define CPT_TINY_MAX_D 8
#define CPT_TINY_MAX_P 64
typedef struct cpt_tiny {
  uint64_t seed;
  bool households;
  cpt_doctor dv[CPT_TINY_MAX_D];
  cpt_patient pv[CPT_TINY_MAX_P];
  cpt_doctors doctors;
  cpt_patients patients;
  cpt_config cfg;
  const char *leaving[CPT_TINY_MAX_D];
  size_t n_leaving;
} cpt_tiny;

/* An empty instance with the SPEC defaults in cfg (set from the option
 * table, not through the library). */
void cpt_tiny_init(cpt_tiny *t);
void cpt_tiny_copy(cpt_tiny *dst, const cpt_tiny *src);
/* Append a doctor / patient at explicit coordinates with the SPEC's
 * defaults for every other field; returns it for further edits. */
cpt_doctor *cpt_tiny_add_doctor(cpt_tiny *t, const char *id, double lat,
                                double lon, int32_t capacity,
                                int32_t current);
cpt_patient *cpt_tiny_add_patient(cpt_tiny *t, const char *id, double lat,
                                  double lon, int32_t age);
/* Remove doctor / patient i, keeping the order of the others. */
void cpt_tiny_remove_doctor(cpt_tiny *t, size_t i);
void cpt_tiny_remove_patient(cpt_tiny *t, size_t i);

/* A random instance: 1–3 doctors, 1–8 patients within ~30 km of a point
 * (some beyond max_km), children and doctors who take none, home-visit
 * needs, ALD / precarity / 70+, shared sites, previous doctors in and out
 * of the file, small rooms, fairness thresholds that bite, max_new, some
 * places given by commune only, a leaving doctor now and then, and varied
 * weights.  With households, patients are grouped into households of 2–3
 * (some left alone). */
void cpt_tiny_generate(cpt_tiny *t, uint64_t seed, bool households);
/* The same with 2–max_d doctors and max_p/2–max_p patients (max_d ≤ 8,
 * max_p ≤ 64), up to 16 households: too large for the brute force, for
 * comparing solvers with each other. */
void cpt_tiny_generate_medium(cpt_tiny *t, uint64_t seed, bool households,
                              size_t max_d, size_t max_p);

/* Print the instance as C-like lines, enough to rebuild it by hand. */
void cpt_tiny_print(const cpt_tiny *t, FILE *out);

#endif
