/*
 * test_nrp_heur.c — the nurse-rostering heuristic (models/nrp_heur.c):
 * two-phase LNS then GLPK for a bound.
 *
 * The reference is the exact MIP (cpt_nrp_solve_mip, itself checked by
 * enumeration in test_nrp_mip.c): on the bundled small files and on seeded
 * random tiny instances (the generator of test_nrp_mip.c, minimums of work
 * included) the heuristic must reach its optimum with a roster the
 * evaluator accepts.  A medium generated instance whose staff all have a
 * minimum of minutes exercises phase 1; its roster must be the same with 1
 * and 2 threads.  Infeasible instances end INFEASIBLE or NOSOLUTION
 * without a roster.  Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../models/nrp.h"
#include "../models/nrp_model.h"
#include "../solver/mip.h"
#include "support/nrp_random.h"

#define DIR "tests/data/nrp/"
#define HEAD(h) "SECTION_HORIZON\n" #h "\nSECTION_SHIFTS\n"

static cpt_nrp_instance *parse_ok(const char *text) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_nrp_instance *in = NULL;
  cpt_status st = cpt_nrp_parse("tiny", text, strlen(text), &in, &d);
  if (st != CPT_OK) {
    cpt_diags_print(&d, stderr);
    fail_msg("parse: %s", cpt_status_name(st));
  }
  cpt_diags_free(&d);
  return in;
}

/* Solve with the heuristic (heur = 1) or the MIP; *warnings gets the
 * number of warnings when not NULL. */
static cpt_nrp_solution *solve_ok(const cpt_nrp_instance *in, int heur,
                                  int threads, double limit, size_t *warnings) {
  cpt_nrp_solve_params p;
  cpt_nrp_solve_params_init(&p);
  p.time_limit_s = limit;
  p.threads = threads;
  p.seed = 7;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_nrp_solution *sol = NULL;
  cpt_status st = heur ? cpt_nrp_solve_heuristic(in, &p, &sol, &d)
                       : cpt_nrp_solve_mip(in, &p, &sol, &d);
  if (st != CPT_OK) {
    cpt_diags_print(&d, stderr);
    fail_msg("solve: %s", cpt_status_name(st));
  }
  if (warnings) *warnings = d.n_warnings;
  cpt_diags_free(&d);
  assert_non_null(sol);
  return sol;
}

static void check_by_evaluator(const cpt_nrp_instance *in,
                               const cpt_nrp_solution *sol) {
  assert_non_null(sol->roster);
  cpt_nrp_eval ev;
  assert_int_equal(cpt_nrp_evaluate(in, sol->roster, &ev), CPT_OK);
  assert_int_equal(ev.n_violations, 0);
  assert_true(fabs((double)ev.objective - sol->objective) < 1e-6);
  cpt_nrp_eval_free(&ev);
}

/* The heuristic reaches the MIP's optimum (or agrees there is no roster). */
static int check_against_mip(const cpt_nrp_instance *in) {
  cpt_nrp_solution *ref = solve_ok(in, 0, 1, 60, NULL);
  cpt_nrp_solution *h = solve_ok(in, 1, 2, 60, NULL);
  int feasible = ref->status != CPT_SOLVE_INFEASIBLE;
  if (!feasible) {
    assert_true(h->status == CPT_SOLVE_INFEASIBLE ||
                h->status == CPT_SOLVE_NOSOLUTION);
    assert_null(h->roster);
  } else {
    assert_int_equal(ref->status, CPT_SOLVE_OPTIMAL);
    assert_int_equal(h->status, CPT_SOLVE_OPTIMAL);
    check_by_evaluator(in, h);
    if (fabs(h->objective - ref->objective) > 1e-6)
      fail_msg("heuristic %.3f, MIP %.3f", h->objective, ref->objective);
    assert_true(h->bound <= h->objective + 1e-6);
    assert_true(h->gap == 0);
  }
  cpt_nrp_solution_free(ref);
  cpt_nrp_solution_free(h);
  return feasible;
}

static void test_nrp_heur_reaches_mip_optimum_on_small_files(void **state) {
  (void)state;
  const char *files[] = {DIR "small.txt", DIR "small_crlf.txt"};
  for (int i = 0; i < 2; i++) {
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_nrp_instance *in = NULL;
    assert_int_equal(cpt_nrp_load(files[i], &in, &d), CPT_OK);
    cpt_diags_free(&d);
    assert_true(check_against_mip(in));
    cpt_nrp_free(in);
  }
}

static void test_nrp_heur_reaches_mip_optimum_on_random_tiny_instances(
    void **state) {
  (void)state;
  static const struct {
    int S, H, T, off, n;
  } shapes[] = {{2, 6, 2, 1, 8}, {3, 4, 1, 0, 5}, {2, 7, 1, 0, 5},
                {3, 5, 2, 2, 4}, {4, 8, 2, 1, 4}};
  uint64_t rs = 20240601;
  int feasible = 0;
  for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++)
    for (int i = 0; i < shapes[k].n; i++) {
      cpt_test_sbuf b;
      cpt_test_nrp_text(&b, &rs, shapes[k].S, shapes[k].H, shapes[k].T,
                  shapes[k].off);
      cpt_nrp_instance *in = parse_ok(b.v);
      feasible += check_against_mip(in);
      cpt_nrp_free(in);
    }
  assert_true(feasible >= 10);
}

/* S staff × H days × 2 shifts, every staff member with a minimum of
 * minutes so that phase 1 has work to do. */
static cpt_nrp_instance *medium_instance(uint64_t seed, int S, int H) {
  uint64_t rs = seed;
  static char text[65536];
  size_t n = 0;
#define P(...) n += (size_t)snprintf(text + n, sizeof text - n, __VA_ARGS__)
  P("SECTION_HORIZON\n%d\nSECTION_SHIFTS\nE,480,\nL,480,E\n", H);
  P("SECTION_STAFF\n");
  for (int s = 0; s < S; s++)
    P("S%d,E=%d|L=%d,%d,%d,5,2,2,1\n", s, H, cpt_test_rnd(&rs, 2, H / 2), 480 * 10,
      480 * cpt_test_rnd(&rs, 5, 8));
  P("SECTION_DAYS_OFF\n");
  for (int s = 0; s < S; s++) P("S%d,%d\n", s, cpt_test_rnd(&rs, 0, H - 1));
  P("SECTION_SHIFT_ON_REQUESTS\n");
  for (int k = 0; k < 2 * S; k++)
    P("S%d,%d,%c,%d\n", cpt_test_rnd(&rs, 0, S - 1), cpt_test_rnd(&rs, 0, H - 1),
      "EL"[cpt_test_rnd(&rs, 0, 1)], cpt_test_rnd(&rs, 1, 3));
  P("SECTION_SHIFT_OFF_REQUESTS\n");
  for (int k = 0; k < 2 * S; k++)
    P("S%d,%d,%c,%d\n", cpt_test_rnd(&rs, 0, S - 1), cpt_test_rnd(&rs, 0, H - 1),
      "EL"[cpt_test_rnd(&rs, 0, 1)], cpt_test_rnd(&rs, 1, 3));
  P("SECTION_COVER\n");
  for (int d = 0; d < H; d++)
    for (int t = 0; t < 2; t++)
      P("%d,%c,%d,100,1\n", d, "EL"[t], cpt_test_rnd(&rs, 1, 4));
#undef P
  assert_true(n < sizeof text - 1);
  return parse_ok(text);
}

static void test_nrp_heur_same_roster_with_1_and_2_threads(void **state) {
  (void)state;
  cpt_nrp_instance *in = medium_instance(11, 12, 14);
  size_t w1 = 0, w2 = 0;
  cpt_nrp_solution *a = solve_ok(in, 1, 1, 12, &w1);
  cpt_nrp_solution *b = solve_ok(in, 1, 2, 12, &w2);
  check_by_evaluator(in, a);
  check_by_evaluator(in, b);
  assert_true(a->status == CPT_SOLVE_OPTIMAL ||
              a->status == CPT_SOLVE_FEASIBLE);
  if (w1 || w2) { /* a safety time limit was hit (slow machine, ASan) */
    print_message("safety time limit hit; thread comparison skipped\n");
    goto out;
  }
  assert_true(a->objective == b->objective);
  assert_memory_equal(a->roster->shift, b->roster->shift,
                      (size_t)in->n_staff * in->horizon * sizeof(int));
out:
  cpt_nrp_solution_free(a);
  cpt_nrp_solution_free(b);
  cpt_nrp_free(in);
}

/* Every staff member must work 17 to 20 of 28 days in blocks of 2–5
 * days, with rest days in pairs: the all-off roster is far from any
 * roster that keeps these rules, and the staff pass (one sub-MIP per
 * member, the others fixed) must reach one before the LNS starts. */
static void test_nrp_heur_finds_roster_when_minimums_are_tight(void **state) {
  (void)state;
  static char text[16384];
  size_t n = 0;
  uint64_t rs = 5;
#define P(...) n += (size_t)snprintf(text + n, sizeof text - n, __VA_ARGS__)
  P("SECTION_HORIZON\n28\nSECTION_SHIFTS\nE,480,\nL,480,E\n");
  P("SECTION_STAFF\n");
  for (int s = 0; s < 20; s++)
    P("S%d,E=28|L=14,%d,%d,5,2,2,3\n", s, 480 * 20, 480 * 17);
  P("SECTION_DAYS_OFF\n");
  for (int s = 0; s < 20; s++) P("S%d,%d\n", s, cpt_test_rnd(&rs, 0, 27));
  P("SECTION_SHIFT_ON_REQUESTS\nSECTION_SHIFT_OFF_REQUESTS\n");
  P("SECTION_COVER\n");
  for (int d = 0; d < 28; d++)
    for (int t = 0; t < 2; t++)
      P("%d,%c,%d,100,1\n", d, "EL"[t], cpt_test_rnd(&rs, 4, 9));
#undef P
  assert_true(n < sizeof text - 1);
  cpt_nrp_instance *in = parse_ok(text);
  cpt_nrp_solution *sol = solve_ok(in, 1, 2, 10, NULL);
  assert_true(sol->status == CPT_SOLVE_OPTIMAL ||
              sol->status == CPT_SOLVE_FEASIBLE);
  check_by_evaluator(in, sol);
  cpt_nrp_solution_free(sol);
  cpt_nrp_free(in);
}

static void test_nrp_heur_reports_infeasible_without_crash(void **state) {
  (void)state;
  const char *text[] = {
      /* 4 days × 480 < 2400 */
      HEAD(4) "E,480,\nSECTION_STAFF\nA,E=4,9999,2400,9,1,1,9\n"
              "SECTION_DAYS_OFF\nSECTION_SHIFT_ON_REQUESTS\n"
              "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n0,E,1,10,1\n",
      /* min above max */
      HEAD(4) "E,480,\nSECTION_STAFF\nA,E=4,480,960,9,1,1,9\n"
              "SECTION_DAYS_OFF\nSECTION_SHIFT_ON_REQUESTS\n"
              "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n",
      /* every day off but a minimum of work */
      HEAD(2) "E,480,\nSECTION_STAFF\nA,E=2,9999,480,9,1,1,9\n"
              "SECTION_DAYS_OFF\nA,0,1\nSECTION_SHIFT_ON_REQUESTS\n"
              "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n",
      /* 3 shifts needed but at most 1 in a row with 2 days off between */
      HEAD(5) "E,480,\nSECTION_STAFF\nA,E=5,9999,1440,1,1,2,9\n"
              "SECTION_DAYS_OFF\nSECTION_SHIFT_ON_REQUESTS\n"
              "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n"};
  for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
    cpt_nrp_instance *in = parse_ok(text[i]);
    cpt_nrp_solution *sol = solve_ok(in, 1, 1, 10, NULL);
    assert_true(sol->status == CPT_SOLVE_INFEASIBLE ||
                sol->status == CPT_SOLVE_NOSOLUTION);
    assert_null(sol->roster);
    cpt_nrp_solution_free(sol);
    cpt_nrp_free(in);
  }
}

static void test_nrp_heur_params_defaults_and_invalid_rejected(void **state) {
  (void)state;
  cpt_nrp_solve_params p;
  cpt_nrp_solve_params_init(&p);
  assert_int_equal(p.threads, 0);
  assert_true(p.seed == 1);
  cpt_nrp_instance *in = parse_ok(
      HEAD(4) "E,480,\nSECTION_STAFF\nA,E=4,9999,960,9,1,1,9\n"
              "SECTION_DAYS_OFF\nSECTION_SHIFT_ON_REQUESTS\n"
              "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n0,E,1,10,1\n");
  cpt_nrp_solution *sol = (cpt_nrp_solution *)1;
  cpt_diags d;
  cpt_diags_init(&d);
  p.threads = -1;
  assert_int_equal(cpt_nrp_solve_heuristic(in, &p, &sol, &d), CPT_EPARAM);
  assert_null(sol);
  cpt_nrp_solve_params_init(&p);
  p.time_limit_s = NAN;
  assert_int_equal(cpt_nrp_solve_heuristic(in, &p, &sol, &d), CPT_EPARAM);
  assert_int_equal(cpt_nrp_solve_heuristic(NULL, &p, &sol, &d), CPT_EPARAM);
  assert_int_equal(cpt_nrp_solve_heuristic(in, NULL, &sol, &d), CPT_OK);
  assert_int_equal(sol->status, CPT_SOLVE_OPTIMAL);
  assert_true(sol->objective == 0); /* works days 1..2 or 2..3 */
  cpt_nrp_solution_free(sol);
  cpt_diags_free(&d);
  cpt_nrp_free(in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nrp_heur_reaches_mip_optimum_on_small_files),
      cmocka_unit_test(
          test_nrp_heur_reaches_mip_optimum_on_random_tiny_instances),
      cmocka_unit_test(test_nrp_heur_same_roster_with_1_and_2_threads),
      cmocka_unit_test(test_nrp_heur_finds_roster_when_minimums_are_tight),
      cmocka_unit_test(test_nrp_heur_reports_infeasible_without_crash),
      cmocka_unit_test(test_nrp_heur_params_defaults_and_invalid_rejected),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  cpt_mip_thread_done();
  return rc;
}
