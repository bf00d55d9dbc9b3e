/*
 * test_nrp_mip.c — the nurse-rostering benchmark as a MIP
 * (models/nrp_model.h, models/nrp_mip.c).
 *
 * The reference is exhaustive enumeration: every roster of a tiny instance
 * (each staff member each day either off or one shift, days off fixed
 * off) is scored by cpt_nrp_evaluate, and the best one without a
 * violation must have the MIP's objective.  Each hard rule has a
 * hand-made case where it binds: the best roster that breaks only that
 * rule is strictly better than the best feasible one.  Several of them
 * sit on the horizon-edge conventions (a short run touching day 0 or day
 * H−1, a last Saturday alone).  Seeded random tiny instances mix all the
 * rules.  The time-limit case is too big for GLPK to finish in a second;
 * its staff have no minimum of work, so the all-off start guarantees a
 * roster.  (The day-off rule is not enumerated: days off stay off.)  Run
 * from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../models/nrp.h"
#include "../models/nrp_model.h"
#include "../solver/mip.h"
#include "support/nrp_random.h"

#define DIR "tests/data/nrp/"

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

static cpt_nrp_solution *solve_ok(const cpt_nrp_instance *in, double limit) {
  cpt_nrp_solve_params p;
  cpt_nrp_solve_params_init(&p);
  p.time_limit_s = limit;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_nrp_solution *sol = NULL;
  cpt_status st = cpt_nrp_solve_mip(in, &p, &sol, &d);
  if (st != CPT_OK) {
    cpt_diags_print(&d, stderr);
    fail_msg("solve: %s", cpt_status_name(st));
  }
  cpt_diags_free(&d);
  assert_non_null(sol);
  return sol;
}

/* The solution's roster has no violation and the reported objective. */
static void check_by_evaluator(const cpt_nrp_instance *in,
                               const cpt_nrp_solution *sol) {
  assert_non_null(sol->roster);
  cpt_nrp_eval ev;
  assert_int_equal(cpt_nrp_evaluate(in, sol->roster, &ev), CPT_OK);
  assert_int_equal(ev.n_violations, 0);
  assert_true(fabs((double)ev.objective - sol->objective) < 1e-6);
  cpt_nrp_eval_free(&ev);
}

typedef struct brute {
  long long best;    /* best feasible objective, LLONG_MAX if none */
  long long relaxed; /* best with violations of rule `only` alone */
  long n;            /* rosters enumerated */
} brute;

/* Every roster with the days off fixed off. */
static brute enumerate(const cpt_nrp_instance *in, int only) {
  brute b = {LLONG_MAX, LLONG_MAX, 0};
  cpt_nrp_roster *r = cpt_nrp_roster_new(in);
  assert_non_null(r);
  size_t n = (size_t)in->n_staff * in->horizon;
  for (;;) {
    cpt_nrp_eval ev;
    assert_int_equal(cpt_nrp_evaluate(in, r, &ev), CPT_OK);
    b.n++;
    if (ev.n_violations == 0 && ev.objective < b.best) b.best = ev.objective;
    if (only >= 0 && ev.n_violations == ev.by_rule[only] &&
        ev.objective < b.relaxed)
      b.relaxed = ev.objective;
    cpt_nrp_eval_free(&ev);
    size_t i = 0;
    for (; i < n; i++) {
      if (in->day_off && in->day_off[i]) continue;
      if (++r->shift[i] < in->n_shifts) break;
      r->shift[i] = CPT_NRP_OFF;
    }
    if (i == n) break;
  }
  cpt_nrp_roster_free(r);
  return b;
}

/* MIP against enumeration; returns the enumeration. */
static brute check_against_bruteforce(const cpt_nrp_instance *in, int only) {
  brute b = enumerate(in, only);
  cpt_nrp_solution *sol = solve_ok(in, 60);
  if (b.best == LLONG_MAX) {
    assert_int_equal(sol->status, CPT_SOLVE_INFEASIBLE);
    assert_null(sol->roster);
  } else {
    assert_int_equal(sol->status, CPT_SOLVE_OPTIMAL);
    check_by_evaluator(in, sol);
    if ((long long)llround(sol->objective) != b.best)
      fail_msg("MIP %.3f, enumeration %lld", sol->objective, b.best);
  }
  cpt_nrp_solution_free(sol);
  return b;
}

/* --- Benchmark-format files -------------------------------------------- */

static void test_nrp_mip_optimum_on_small_files_is_checked_by_evaluator(
    void **state) {
  (void)state;
  const char *files[] = {DIR "small.txt", DIR "small_crlf.txt"};
  double obj[2];
  for (int i = 0; i < 2; i++) {
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_nrp_instance *in = NULL;
    assert_int_equal(cpt_nrp_load(files[i], &in, &d), CPT_OK);
    cpt_diags_free(&d);
    cpt_nrp_solution *sol = solve_ok(in, 60);
    assert_int_equal(sol->status, CPT_SOLVE_OPTIMAL);
    check_by_evaluator(in, sol);
    assert_true(sol->rows > 0 && sol->cols > 0);
    assert_true(sol->bound <= sol->objective + 1e-6);
    obj[i] = sol->objective;
    cpt_nrp_solution_free(sol);
    cpt_nrp_free(in);
  }
  assert_true(fabs(obj[0] - obj[1]) < 1e-9);
}

/* --- Each hard rule binding --------------------------------------------- */

#define HEAD(h) "SECTION_HORIZON\n" #h "\nSECTION_SHIFTS\n"

typedef struct rule_case {
  const char *name;
  int rule;
  long long expect; /* the optimum worked out by hand, or −1 */
  const char *text;
} rule_case;

static const rule_case rule_cases[] = {
    /* both must take L on day 0 and E on day 1, but E cannot follow L */
    {"succession", CPT_NRP_SUCCESSION, 200,
     HEAD(4) "E,480,\nL,480,E\n"
             "SECTION_STAFF\nA,E=4|L=4,9999,0,9,1,1,9\nB,E=4|L=4,9999,0,9,1,1,9\n"
             "SECTION_DAYS_OFF\nSECTION_SHIFT_ON_REQUESTS\n"
             "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n"
             "0,L,2,100,1\n1,E,2,100,1\n"},
    {"max_shifts", CPT_NRP_MAX_SHIFTS, 20,
     HEAD(4) "E,480,\n"
             "SECTION_STAFF\nA,E=1,9999,0,9,1,1,9\nB,E=1,9999,0,9,1,1,9\n"
             "SECTION_DAYS_OFF\nSECTION_SHIFT_ON_REQUESTS\n"
             "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n"
             "0,E,1,10,1\n1,E,1,10,1\n2,E,1,10,1\n3,E,1,10,1\n"},
    {"max_minutes", CPT_NRP_MAX_MINUTES, 40,
     HEAD(4) "E,480,\n"
             "SECTION_STAFF\nA,E=4,960,0,9,1,1,9\nB,E=4,960,0,9,1,1,9\n"
             "SECTION_DAYS_OFF\nSECTION_SHIFT_ON_REQUESTS\n"
             "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n"
             "0,E,2,10,1\n1,E,2,10,1\n2,E,2,10,1\n3,E,2,10,1\n"},
    /* working costs 1 a shift; A must work 3 of 4 days */
    {"min_minutes", CPT_NRP_MIN_MINUTES, 3,
     HEAD(4) "E,480,\n"
             "SECTION_STAFF\nA,E=4,9999,1440,9,1,1,9\nB,E=4,9999,0,9,1,1,9\n"
             "SECTION_DAYS_OFF\nSECTION_SHIFT_ON_REQUESTS\n"
             "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n"
             "0,E,0,10,1\n1,E,0,10,1\n2,E,0,10,1\n3,E,0,10,1\n"},
    /* B never works; A at most 2 in a row over 5 days: 11011 */
    {"max_consecutive", CPT_NRP_MAX_CONSEC, 10,
     HEAD(5) "E,480,\n"
             "SECTION_STAFF\nA,E=5,9999,0,2,1,1,9\nB,E=5,9999,0,9,1,1,9\n"
             "SECTION_DAYS_OFF\nB,0,1,2,3,4\nSECTION_SHIFT_ON_REQUESTS\n"
             "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n"
             "0,E,1,10,1\n1,E,1,10,1\n2,E,1,10,1\n3,E,1,10,1\n4,E,1,10,1\n"},
    /* day 2 needed; an inner run needs 4 days, the run 0..2 touching day
     * 0 is short but allowed: cost 2 */
    {"min_consecutive", CPT_NRP_MIN_CONSEC, 2,
     HEAD(6) "E,480,\n"
             "SECTION_STAFF\nA,E=6,9999,0,9,4,1,9\nB,E=6,9999,0,9,4,1,9\n"
             "SECTION_DAYS_OFF\nB,0,1,2,3,4,5\nSECTION_SHIFT_ON_REQUESTS\n"
             "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n"
             "0,E,0,10,1\n1,E,0,10,1\n2,E,1,10,1\n3,E,0,10,1\n"
             "4,E,0,10,1\n5,E,0,10,1\n"},
    /* A is off on day 2; an inner off run needs 4 days, the run 0..2
     * touching day 0 is short but allowed: cost 20 */
    {"min_days_off", CPT_NRP_MIN_DAYS_OFF, 20,
     HEAD(6) "E,480,\n"
             "SECTION_STAFF\nA,E=6,9999,0,9,1,4,9\nB,E=6,9999,0,9,1,1,9\n"
             "SECTION_DAYS_OFF\nA,2\nB,0,1,2,3,4,5\nSECTION_SHIFT_ON_REQUESTS\n"
             "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n"
             "0,E,1,10,1\n1,E,1,10,1\n3,E,1,10,1\n4,E,1,10,1\n5,E,1,10,1\n"},
    /* two weekends: days 5-6 and the last Saturday 12 alone */
    {"max_weekends", CPT_NRP_MAX_WEEKENDS, 10,
     HEAD(13) "E,480,\n"
              "SECTION_STAFF\nA,E=13,99999,0,13,1,1,1\nB,E=13,9999,0,9,1,1,9\n"
              "SECTION_DAYS_OFF\nB,0,1,2,3,4,5,6,7,8,9,10,11,12\n"
              "SECTION_SHIFT_ON_REQUESTS\n"
              "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n"
              "0,E,1,10,1\n1,E,1,10,1\n2,E,1,10,1\n3,E,1,10,1\n4,E,1,10,1\n"
              "5,E,1,10,1\n6,E,1,10,1\n7,E,1,10,1\n8,E,1,10,1\n9,E,1,10,1\n"
              "10,E,1,20,1\n11,E,1,20,1\n12,E,1,10,1\n"},
    /* requests of both kinds, days off, three staff, two shifts */
    {"requests", -1, -1,
     HEAD(4) "E,480,\nL,600,E\n"
             "SECTION_STAFF\nA,E=4|L=2,9999,0,9,1,1,9\n"
             "B,E=4|L=4,9999,0,3,2,1,9\nC,L=0,9999,480,9,1,2,9\n"
             "SECTION_DAYS_OFF\nA,1\nC,3\nSECTION_SHIFT_ON_REQUESTS\n"
             "A,0,L,2\nB,1,E,3\nC,2,E,1\n"
             "SECTION_SHIFT_OFF_REQUESTS\nB,2,L,4\nA,3,E,2\n"
             "SECTION_COVER\n0,E,1,5,1\n1,L,1,5,1\n2,E,1,5,1\n3,L,1,5,1\n"},
};

static void test_nrp_mip_matches_bruteforce_when_each_rule_binds(
    void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rule_cases / sizeof *rule_cases; i++) {
    const rule_case *c = &rule_cases[i];
    cpt_nrp_instance *in = parse_ok(c->text);
    brute b = check_against_bruteforce(in, c->rule);
    if (c->expect >= 0 && b.best != c->expect)
      fail_msg("%s: optimum %lld, expected %lld", c->name, b.best, c->expect);
    if (c->rule >= 0 && !(b.relaxed < b.best))
      fail_msg("%s: the rule does not bind (%lld vs %lld)", c->name,
               b.relaxed, b.best);
    cpt_nrp_free(in);
  }
}

/* --- Random tiny instances ---------------------------------------------- */

static void test_nrp_mip_matches_bruteforce_on_random_tiny_instances(
    void **state) {
  (void)state;
  static const struct {
    int S, H, T, off, n;
  } shapes[] = {{2, 6, 2, 1, 10}, {3, 4, 1, 0, 6}, {2, 7, 1, 0, 6},
                {3, 5, 2, 2, 4}};
  uint64_t rs = 20240601;
  int feasible = 0, infeasible = 0;
  for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++)
    for (int i = 0; i < shapes[k].n; i++) {
      cpt_test_sbuf b;
      cpt_test_nrp_text(&b, &rs, shapes[k].S, shapes[k].H, shapes[k].T,
                  shapes[k].off);
      cpt_nrp_instance *in = parse_ok(b.v);
      brute r = check_against_bruteforce(in, -1);
      if (r.best == LLONG_MAX)
        infeasible++;
      else
        feasible++;
      cpt_nrp_free(in);
    }
  assert_true(feasible >= 10);
  (void)infeasible;
}

/* --- Infeasible, parameters, time limit --------------------------------- */

static void test_nrp_mip_reports_infeasible_min_minutes(void **state) {
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
              "SECTION_SHIFT_OFF_REQUESTS\nSECTION_COVER\n"};
  for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
    cpt_nrp_instance *in = parse_ok(text[i]);
    cpt_nrp_solution *sol = solve_ok(in, 10);
    assert_int_equal(sol->status, CPT_SOLVE_INFEASIBLE);
    assert_null(sol->roster);
    cpt_nrp_solution_free(sol);
    cpt_nrp_free(in);
  }
}

static void test_nrp_mip_params_defaults_and_invalid_rejected(void **state) {
  (void)state;
  cpt_nrp_solve_params p;
  cpt_nrp_solve_params_init(&p);
  assert_true(p.time_limit_s == 60.0 && p.mip_gap == 0.0);
  assert_null(p.stop);
  cpt_nrp_instance *in = parse_ok(rule_cases[0].text);
  cpt_nrp_solution *sol = (cpt_nrp_solution *)1;
  cpt_diags d;
  cpt_diags_init(&d);
  p.time_limit_s = -1;
  assert_int_equal(cpt_nrp_solve_mip(in, &p, &sol, &d), CPT_EPARAM);
  assert_null(sol);
  cpt_nrp_solve_params_init(&p);
  p.mip_gap = NAN;
  assert_int_equal(cpt_nrp_solve_mip(in, &p, &sol, &d), CPT_EPARAM);
  assert_int_equal(cpt_nrp_solve_mip(NULL, &p, &sol, &d), CPT_EPARAM);
  assert_int_equal(cpt_nrp_solve_mip(in, NULL, &sol, &d), CPT_OK);
  assert_int_equal(sol->status, CPT_SOLVE_OPTIMAL);
  cpt_nrp_solution_free(sol);
  cpt_nrp_solution_free(NULL);
  cpt_diags_free(&d);
  cpt_nrp_free(in);
}

static void test_nrp_mip_honours_time_limit_on_larger_instance(void **state) {
  (void)state;
  uint64_t rs = 7;
  enum { S = 25, H = 28, T = 3 };
  static char text[65536];
  size_t n = 0;
#define P(...) n += (size_t)snprintf(text + n, sizeof text - n, __VA_ARGS__)
  P("SECTION_HORIZON\n%d\nSECTION_SHIFTS\nE,480,\nD,480,E\nL,480,E|D\n", H);
  P("SECTION_STAFF\n");
  for (int s = 0; s < S; s++)
    P("S%d,E=%d|D=%d|L=%d,%d,%d,5,2,2,2\n", s, H, H, cpt_test_rnd(&rs, 0, 10),
      480 * 18, 0);
  P("SECTION_DAYS_OFF\n");
  for (int s = 0; s < S; s++) P("S%d,%d\n", s, cpt_test_rnd(&rs, 0, H - 1));
  P("SECTION_SHIFT_ON_REQUESTS\n");
  for (int k = 0; k < 60; k++)
    P("S%d,%d,%c,%d\n", cpt_test_rnd(&rs, 0, S - 1), cpt_test_rnd(&rs, 0, H - 1),
      "EDL"[cpt_test_rnd(&rs, 0, 2)], cpt_test_rnd(&rs, 1, 3));
  P("SECTION_SHIFT_OFF_REQUESTS\n");
  for (int k = 0; k < 60; k++)
    P("S%d,%d,%c,%d\n", cpt_test_rnd(&rs, 0, S - 1), cpt_test_rnd(&rs, 0, H - 1),
      "EDL"[cpt_test_rnd(&rs, 0, 2)], cpt_test_rnd(&rs, 1, 3));
  P("SECTION_COVER\n");
  for (int d = 0; d < H; d++)
    for (int t = 0; t < T; t++)
      P("%d,%c,%d,100,1\n", d, "EDL"[t], cpt_test_rnd(&rs, 2, 6));
#undef P
  assert_true(n < sizeof text - 1);
  cpt_nrp_instance *in = parse_ok(text);
  cpt_nrp_solution *sol = solve_ok(in, 1.0);
  assert_true(sol->status == CPT_SOLVE_OPTIMAL ||
              sol->status == CPT_SOLVE_FEASIBLE);
  check_by_evaluator(in, sol);
  assert_true(sol->time_s < 10.0);
  cpt_nrp_solution_free(sol);
  cpt_nrp_free(in);
  cpt_mip_thread_done();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(
          test_nrp_mip_optimum_on_small_files_is_checked_by_evaluator),
      cmocka_unit_test(test_nrp_mip_matches_bruteforce_when_each_rule_binds),
      cmocka_unit_test(
          test_nrp_mip_matches_bruteforce_on_random_tiny_instances),
      cmocka_unit_test(test_nrp_mip_reports_infeasible_min_minutes),
      cmocka_unit_test(test_nrp_mip_params_defaults_and_invalid_rejected),
      cmocka_unit_test(test_nrp_mip_honours_time_limit_on_larger_instance),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  cpt_mip_thread_done();
  return rc;
}
