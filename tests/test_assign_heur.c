/*
 * test_assign_heur.c — `assign --method heuristic`: the MT model with
 * households on the GAP core (models/assign_gap.c, solver/gap.h), against
 * answers that owe nothing to it.
 *
 *  - Tiny random instances (tests/support/brute.h), with and without
 *    households: the plan must pass the independent checker, its reported
 *    objective be the checker's, the bound be no lower than the brute-force
 *    optimum and the objective reach it; every unplaced patient's reason
 *    must be one the SPEC allows.
 *  - Medium instances (up to 8 doctors, 64 patients, 16 households): the
 *    heuristic meets GLPK's proven optimum (`--method mip`), and each
 *    method's bound covers the other's objective; without households it
 *    meets the network simplex (`flow`).
 *  - The same plan, byte for byte, with 1 and 2 threads, and the same plan
 *    twice.
 *  - A model above CPT_MIP_MAX_PAIRS with households: `auto` goes on from
 *    the repaired plan with the heuristic (3 s); its plan passes the
 *    checker, is no worse than the repaired plan, its bound no looser.
 *  - Edge cases: no room anywhere, a stop flag raised before the solve,
 *    the method's name.
 * Every heuristic solve but the large one runs without a time limit (the
 * core stops when its rounds stall), so results do not depend on the
 * machine.  N_SEEDS, N_MEDIUM and N_DETERMINISM may be raised with -D.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../models/assign.h"
#include "support/brute.h"
#include "support/checker.h"

#ifndef N_SEEDS
#define N_SEEDS 200
#endif
#ifndef N_MEDIUM
#define N_MEDIUM 40
#endif
#ifndef N_DETERMINISM
#define N_DETERMINISM 12
#endif

static void appendf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t size, const char *fmt, ...) {
  size_t len = strlen(buf);
  if (len + 1 >= size) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + len, size - len, fmt, ap);
  va_end(ap);
}

static double tol_of(double v) { return 1e-6 * fmax(1.0, fabs(v)); }

/* Solve with method m, `threads` threads and a time limit (0: none; the
 * core then stops when its rounds stall, so the plan cannot depend on the
 * machine's speed, gap.h). */
static cpt_status solve_with(const cpt_doctors *D, const cpt_patients *P,
                             const cpt_config *cfg0, const char *const *leaving,
                             size_t n_leaving, cpt_assign_method m,
                             int threads, double time_limit,
                             const atomic_int *stop, cpt_assign_result **out) {
  cpt_config cfg = *cfg0;
  cfg.solver_threads = threads;
  cfg.solver_time_limit_s = time_limit;
  cpt_assign_params prm;
  cpt_assign_params_init(&prm);
  prm.method = m;
  prm.leaving = n_leaving ? leaving : NULL;
  prm.n_leaving = n_leaving;
  prm.stop = stop;
  cpt_diags diags;
  cpt_diags_init(&diags);
  *out = NULL;
  cpt_status st = cpt_assign_solve(D, P, &cfg, &prm, out, &diags);
  cpt_diags_free(&diags);
  return st;
}

static cpt_status solve(const cpt_tiny *t, cpt_assign_method m, int threads,
                        cpt_assign_result **out) {
  return solve_with(&t->doctors, &t->patients, &t->cfg, t->leaving,
                    t->n_leaving, m, threads, 0, NULL, out);
}

/* The checks that need no optimum: method, feasibility, the objective the
 * checker computes, bound ≥ objective, the gap's definition, reasons.
 * Returns the checker's objective (NAN when infeasible); bad set on any
 * disagreement, described in msg. */
static double verify(const cpt_tiny *t, const cpt_assign_result *r,
                     cpt_assign_method want, char *msg, size_t size,
                     int *bad) {
  char why[512];
  if (r->method != want) {
    appendf(msg, size, "  method %s, expected %s\n",
            cpt_assign_method_name(r->method), cpt_assign_method_name(want));
    *bad = 1;
  }
  if (r->status != CPT_SOLVE_OPTIMAL && r->status != CPT_SOLVE_FEASIBLE) {
    appendf(msg, size, "  status %s\n", cpt_solve_status_name(r->status));
    *bad = 1;
  }
  cpt_check_ctx c;
  if (cpt_check_ctx_init(&c, &t->doctors, &t->patients, &t->cfg, t->leaving,
                         t->n_leaving, why, sizeof why) != 0) {
    appendf(msg, size, "  checker: %s\n", why);
    *bad = 1;
    return NAN;
  }
  double obj = NAN;
  if (cpt_check_eval(&c, r->doctor_of, &obj, why, sizeof why) != 0) {
    appendf(msg, size, "  infeasible plan: %s\n", why);
    *bad = 1;
    cpt_check_ctx_free(&c);
    return NAN;
  }
  if (fabs(r->objective - obj) > tol_of(obj)) {
    appendf(msg, size, "  reported objective %.9g, checker %.9g\n",
            r->objective, obj);
    *bad = 1;
  }
  if (r->bound < obj - tol_of(obj)) {
    appendf(msg, size, "  bound %.9g below objective %.9g\n", r->bound, obj);
    *bad = 1;
  }
  double gap = (r->bound - r->objective) / fmax(1.0, fabs(r->objective));
  if (r->status == CPT_SOLVE_OPTIMAL ? fabs(r->gap) > 1e-6
                                     : fabs(r->gap - gap) > 1e-9) {
    appendf(msg, size, "  %s with gap %.9g (bound − objective gives %.9g)\n",
            cpt_solve_status_name(r->status), r->gap, gap);
    *bad = 1;
  }
  for (size_t p = 0; p < t->patients.n; p++) {
    unsigned allowed = cpt_check_allowed_reasons(&c, r->doctor_of, p);
    if (r->reason[p] >= CPT_N_REASONS || !(allowed & (1u << r->reason[p]))) {
      appendf(msg, size, "  P%zu: reason %u not allowed (mask %#x)\n", p,
              (unsigned)r->reason[p], allowed);
      *bad = 1;
    }
  }
  cpt_check_ctx_free(&c);
  return obj;
}

static void report(const cpt_tiny *t, const char *what, const char *msg,
                   size_t *failures) {
  if (++*failures > 3) return;
  fprintf(stderr, "--- %s, seed %llu: disagreement\n", what,
          (unsigned long long)t->seed);
  cpt_tiny_print(t, stderr);
  fputs(msg, stderr);
}

/* ---- tiny instances: the brute force ------------------------------------ */

static size_t run_tiny(bool households) {
  size_t failures = 0;
  char msg[8192], why[256];
  for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
    cpt_tiny t;
    cpt_tiny_generate(&t, seed, households);
    cpt_brute_result b;
    assert_int_equal(cpt_brute_assign(&t.doctors, &t.patients, &t.cfg,
                                      t.leaving, t.n_leaving, &b, why,
                                      sizeof why),
                     0);
    cpt_assign_result *r = NULL;
    assert_int_equal(solve(&t, CPT_METHOD_HEURISTIC, 1, &r), CPT_OK);
    msg[0] = '\0';
    int bad = 0;
    double obj = verify(&t, r, CPT_METHOD_HEURISTIC, msg, sizeof msg, &bad);
    if (!isnan(obj) && fabs(obj - b.best) > 1e-4 * fmax(1.0, fabs(b.best))) {
      appendf(msg, sizeof msg, "  objective %.9g, brute-force optimum %.9g\n",
              obj, b.best);
      bad = 1;
    }
    if (r->bound < b.best - 1e-4 * fmax(1.0, fabs(b.best))) {
      appendf(msg, sizeof msg, "  bound %.9g below the optimum %.9g\n",
              r->bound, b.best);
      bad = 1;
    }
    if (bad) report(&t, "tiny", msg, &failures);
    cpt_assign_result_free(r);
  }
  return failures;
}

static void test_heuristic_reaches_bruteforce_optimum_with_households(
    void **state) {
  (void)state;
  assert_int_equal(run_tiny(true), 0);
}

static void test_heuristic_reaches_bruteforce_optimum_without_households(
    void **state) {
  (void)state;
  assert_int_equal(run_tiny(false), 0);
}

/* ---- medium instances: the exact methods -------------------------------- */

static void compare_medium(bool households, cpt_assign_method exact) {
  size_t failures = 0, households_placed = 0;
  char msg[16384];
  for (uint64_t seed = 1; seed <= N_MEDIUM; seed++) {
    cpt_tiny t;
    cpt_tiny_generate_medium(&t, seed, households, 8, 64);
    cpt_assign_result *rh = NULL, *rx = NULL;
    assert_int_equal(solve(&t, CPT_METHOD_HEURISTIC, 2, &rh), CPT_OK);
    assert_int_equal(solve(&t, exact, 1, &rx), CPT_OK);
    msg[0] = '\0';
    int bad = 0;
    double oh = verify(&t, rh, CPT_METHOD_HEURISTIC, msg, sizeof msg, &bad);
    double ox = verify(&t, rx, exact, msg, sizeof msg, &bad);
    if (rx->status != CPT_SOLVE_OPTIMAL) {
      appendf(msg, sizeof msg, "  %s not optimal\n",
              cpt_assign_method_name(exact));
      bad = 1;
    }
    double tol = 1e-4 * fmax(1.0, fabs(ox));
    if (!isnan(oh) && !isnan(ox) &&
        (fabs(oh - ox) > tol || rh->bound < ox - tol || rx->bound < oh - tol)) {
      appendf(msg, sizeof msg, "  heuristic %.9g (bound %.9g), %s %.9g "
              "(bound %.9g)\n", oh, rh->bound, cpt_assign_method_name(exact),
              ox, rx->bound);
      bad = 1;
    }
    for (size_t p = 0; p < t.patients.n; p++)
      households_placed += t.pv[p].household && rh->doctor_of[p] >= 0;
    if (bad) report(&t, "medium", msg, &failures);
    cpt_assign_result_free(rh);
    cpt_assign_result_free(rx);
  }
  assert_int_equal(failures, 0);
  if (households) assert_true(households_placed > 0);
}

static void test_heuristic_meets_mip_optimum_on_medium_instances(
    void **state) {
  (void)state;
  compare_medium(true, CPT_METHOD_MIP);
}

static void test_heuristic_meets_flow_optimum_without_households(
    void **state) {
  (void)state;
  compare_medium(false, CPT_METHOD_FLOW);
}

/* ---- determinism --------------------------------------------------------- */

static void test_heuristic_plan_is_the_same_with_1_and_2_threads(
    void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= N_DETERMINISM; seed++) {
    cpt_tiny t;
    cpt_tiny_generate_medium(&t, 1000 + seed, true, 8, 64);
    cpt_assign_result *r1 = NULL, *r2 = NULL, *r3 = NULL;
    assert_int_equal(solve(&t, CPT_METHOD_HEURISTIC, 1, &r1), CPT_OK);
    assert_int_equal(solve(&t, CPT_METHOD_HEURISTIC, 2, &r2), CPT_OK);
    size_t np = t.patients.n;
    assert_memory_equal(r1->doctor_of, r2->doctor_of, np * sizeof *r1->doctor_of);
    assert_memory_equal(r1->reason, r2->reason, np);
    assert_true(r1->objective == r2->objective);
    assert_true(r1->bound == r2->bound);
    if (seed <= 3) { /* and the same plan twice */
      assert_int_equal(solve(&t, CPT_METHOD_HEURISTIC, 2, &r3), CPT_OK);
      assert_memory_equal(r2->doctor_of, r3->doctor_of,
                          np * sizeof *r2->doctor_of);
    }
    cpt_assign_result_free(r1);
    cpt_assign_result_free(r2);
    cpt_assign_result_free(r3);
  }
}

/* ---- a model too large for GLPK: auto takes the heuristic ---------------- */

/* An owned instance beyond cpt_tiny's limits: nd doctors on a 10 km wide
 * grid, np patients scattered (one class each), every third household of
 * two or three. */
typedef struct big {
  cpt_doctors D;
  cpt_patients P;
  char *ids;
  cpt_config cfg;
} big;

static void big_make(big *b, size_t nd, size_t np, uint64_t seed) {
  memset(b, 0, sizeof *b);
  cpt_tiny t;
  cpt_tiny_init(&t);
  b->cfg = t.cfg;
  b->D.v = calloc(nd, sizeof *b->D.v);
  b->P.v = calloc(np, sizeof *b->P.v);
  b->ids = calloc(nd + 2 * np, 16);
  assert_non_null(b->D.v);
  assert_non_null(b->P.v);
  assert_non_null(b->ids);
  b->D.n = nd;
  b->P.n = np;
  uint64_t s = seed;
  char *id = b->ids;
  for (size_t d = 0; d < nd; d++, id += 16) {
    snprintf(id, 16, "D%zu", d);
    cpt_doctor *doc = &b->D.v[d];
    doc->id = id;
    doc->loc = (cpt_loc){.lat = 48.0 + 0.09 * (double)(d % 16) / 16,
                         .lon = 2.0 + 0.13 * (double)(d / 16) / 16,
                         .commune = -1, .explicit_coords = true};
    doc->capacity = 1000;
    doc->current = 1000 - (int32_t)(cpt_test_splitmix64(&s) % 6);
    doc->max_new = -1;
    doc->children = cpt_test_splitmix64(&s) % 5 != 0;
    doc->home_visits = true;
    doc->max_slots = doc->max_per_day = -1;
    doc->target = NAN;
  }
  size_t hh = 0;
  for (size_t p = 0; p < np; p++, id += 16) {
    snprintf(id, 16, "P%05zu", p);
    cpt_patient *pt = &b->P.v[p];
    pt->id = id;
    double u = (double)(cpt_test_splitmix64(&s) >> 11) / 9007199254740992.0;
    double v = (double)(cpt_test_splitmix64(&s) >> 11) / 9007199254740992.0;
    pt->loc = (cpt_loc){.lat = 48.0 + 0.09 * u, .lon = 2.0 + 0.13 * v,
                        .commune = -1, .explicit_coords = true};
    pt->age = (int32_t)(cpt_test_splitmix64(&s) % 90);
    pt->ald = cpt_test_splitmix64(&s) % 7 == 0;
    pt->max_km = NAN;
  }
  /* households: patients 3h, 3h+1 (and 3h+2 every other time) */
  for (size_t p = 0; p + 2 < np; p += 6, hh++) {
    char *h = id;
    id += 16;
    snprintf(h, 16, "H%zu", hh);
    b->P.v[p].household = b->P.v[p + 1].household = h;
    if (hh % 2) b->P.v[p + 2].household = h;
  }
}

static void big_free(big *b) {
  free(b->D.v);
  free(b->P.v);
  free(b->ids);
}

static void test_auto_takes_the_heuristic_above_the_mip_size(void **state) {
  (void)state;
  big b;
  big_make(&b, 256, 1200, 7);
  cpt_assign_result *r = NULL;
  assert_int_equal(solve_with(&b.D, &b.P, &b.cfg, NULL, 0, CPT_METHOD_AUTO, 2,
                              3.0, NULL, &r),
                   CPT_OK);
  assert_true(r->stats.n_pairs > CPT_MIP_MAX_PAIRS);
  assert_int_equal(r->method, CPT_METHOD_HEURISTIC);
  assert_true(r->status == CPT_SOLVE_OPTIMAL || r->status == CPT_SOLVE_FEASIBLE);
  char why[512];
  double obj;
  int rc = cpt_check_assign(&b.D, &b.P, &b.cfg, NULL, 0, r->doctor_of, &obj,
                            why, sizeof why);
  if (rc != 0) fprintf(stderr, "auto, large: %s\n", why);
  assert_int_equal(rc, 0);
  assert_true(fabs(obj - r->objective) <= tol_of(obj));
  assert_true(r->bound >= r->objective - tol_of(obj));
  size_t members = 0;
  for (size_t p = 0; p < b.P.n; p++)
    members += r->doctor_of[p] >= 0 && b.P.v[p].household;
  assert_true(members > 0);
  /* auto starts the heuristic from the repaired plan: never worse than
   * it, and its bound is no looser than the relaxation's */
  cpt_assign_result *rr = NULL;
  assert_int_equal(solve_with(&b.D, &b.P, &b.cfg, NULL, 0, CPT_METHOD_REPAIR,
                              1, 0, NULL, &rr),
                   CPT_OK);
  assert_int_equal(rr->status, CPT_SOLVE_FEASIBLE);
  assert_true(r->objective >= rr->objective - tol_of(rr->objective));
  assert_true(r->bound <= rr->bound + tol_of(rr->bound));
  cpt_assign_result_free(r);
  cpt_assign_result_free(rr);
  big_free(&b);
}

/* ---- edge cases ---------------------------------------------------------- */

static void test_no_room_anywhere_gives_the_empty_optimal_plan(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", 45.0, 5.0, 10, 10);
  cpt_tiny_add_doctor(&t, "D1", 45.01, 5.0, 10, 12);
  cpt_tiny_add_patient(&t, "A", 45.0, 5.01, 40)->household = "H";
  cpt_tiny_add_patient(&t, "B", 45.0, 5.01, 8)->household = "H";
  cpt_tiny_add_patient(&t, "C", 45.0, 5.02, 75);
  cpt_assign_result *r = NULL;
  assert_int_equal(solve(&t, CPT_METHOD_HEURISTIC, 1, &r), CPT_OK);
  assert_int_equal(r->status, CPT_SOLVE_OPTIMAL);
  assert_int_equal(r->method, CPT_METHOD_HEURISTIC);
  for (size_t p = 0; p < 3; p++) {
    assert_int_equal(r->doctor_of[p], -1);
    assert_int_equal(r->reason[p], CPT_REASON_CAPACITY_EXHAUSTED);
  }
  assert_true(r->objective == 0 && r->bound == 0 && r->gap == 0);
  cpt_assign_result_free(r);
}

static void test_stop_flag_still_gives_a_feasible_plan(void **state) {
  (void)state;
  atomic_int stop = 1;
  for (uint64_t seed = 1; seed <= 10; seed++) {
    cpt_tiny t;
    cpt_tiny_generate_medium(&t, seed, true, 8, 64);
    cpt_assign_result *r = NULL;
    assert_int_equal(solve_with(&t.doctors, &t.patients, &t.cfg, t.leaving,
                                t.n_leaving, CPT_METHOD_HEURISTIC, 2, 0,
                                &stop, &r),
                     CPT_OK);
    char why[512];
    double obj;
    int rc = cpt_check_assign(&t.doctors, &t.patients, &t.cfg, t.leaving,
                              t.n_leaving, r->doctor_of, &obj, why, sizeof why);
    if (rc != 0) fprintf(stderr, "stopped: %s\n", why);
    assert_int_equal(rc, 0);
    assert_true(r->status == CPT_SOLVE_INTERRUPTED ||
                r->status == CPT_SOLVE_OPTIMAL);
    assert_true(r->bound >= obj - tol_of(obj));
    cpt_assign_result_free(r);
  }
}

static void test_heuristic_is_a_method_name(void **state) {
  (void)state;
  cpt_assign_method m = CPT_METHOD_AUTO;
  assert_int_equal(cpt_assign_method_parse("heuristic", &m), 0);
  assert_int_equal(m, CPT_METHOD_HEURISTIC);
  assert_string_equal(cpt_assign_method_name(m), "heuristic");
  assert_int_equal(cpt_assign_method_parse("heuristics", &m), -1);
  assert_int_equal(cpt_assign_method_parse("", &m), -1);
  assert_int_equal(m, CPT_METHOD_HEURISTIC);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_heuristic_is_a_method_name),
      cmocka_unit_test(test_no_room_anywhere_gives_the_empty_optimal_plan),
      cmocka_unit_test(
          test_heuristic_reaches_bruteforce_optimum_with_households),
      cmocka_unit_test(
          test_heuristic_reaches_bruteforce_optimum_without_households),
      cmocka_unit_test(test_heuristic_meets_mip_optimum_on_medium_instances),
      cmocka_unit_test(test_heuristic_meets_flow_optimum_without_households),
      cmocka_unit_test(test_heuristic_plan_is_the_same_with_1_and_2_threads),
      cmocka_unit_test(test_auto_takes_the_heuristic_above_the_mip_size),
      cmocka_unit_test(test_stop_flag_still_gives_a_feasible_plan),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
