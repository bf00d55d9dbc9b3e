/*
 * test_rota_mip.c — the SNP rota integer program (models/rota_mip.c).
 *
 * Each rule of SPEC §2 on a tiny hand-made rota with its optimum worked out
 * by hand; random tiny rotas (≤ 4 doctors × ≤ 5 slots) against exhaustive
 * enumeration through the independent checker (tests/support/rota_check.h);
 * pinned sets that break a hard rule; parameters and the stop flag.  Rotas
 * are prepared from small CSV texts through the readers and
 * cpt_rota_prepare, as the command does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../models/instance.h"
#include "../models/readers.h"
#include "../models/rota.h"
#include "../models/rota_model.h"
#include "../solver/mip.h"
#include "support/rota_check.h"
#include "support/rota_fixture.h"
#include "support/brute.h" /* cpt_test_splitmix64 */

/* ------------------------------------------------------------- fixture */


static void prepare(rota_fixture *f, const char *doctors, const char *slots,
                    const char *avail, const char *hist, const char *pins) {
  rota_fixture_prepare(f, doctors, slots, avail, hist, pins, 11);
}

/* Solve; on a solution, the checker must accept y and agree with every
 * recomputed number. */
static cpt_rota_solution *solve(rota_fixture *f, const cpt_rota_solve_params *p) {
  cpt_rota_solve_params def;
  cpt_rota_solve_params_init(&def);
  if (!p) p = &def;
  cpt_rota_solution *x = NULL;
  assert_int_equal(cpt_rota_solve_mip(f->rota, f->slots, p, &x, &f->diags),
                   CPT_OK);
  assert_non_null(x);
  cpt_mip_thread_done();
  if (x->status == CPT_SOLVE_INFEASIBLE) return x;
  char why[256] = "";
  if (cpt_rota_check(f->rota, f->slots, f->min_rest_h, x->y, why,
                     sizeof why) != 0)
    fail_msg("checker rejects the rota: %s", why);
  double obj = cpt_rota_check_objective(f->rota, f->slots, p, x->y);
  assert_true(fabs(obj - x->objective) < 1e-6);
  double sum = x->term_under + x->term_over + x->term_preferred +
               x->term_fair + x->term_change;
  assert_true(fabs(sum - x->objective) < 1e-9);
  size_t S = x->n_slots;
  for (size_t s = 0; s < S; s++) {
    int32_t c = 0;
    for (size_t d = 0; d < x->n_doctors; d++) c += x->y[d * S + s];
    int32_t need = f->slots->v[s].need;
    assert_int_equal(x->covered[s], c);
    assert_int_equal(x->under[s], need > c ? need - c : 0);
    assert_int_equal(x->over[s], c > need ? c - need : 0);
    assert_true((x->under[s] > 0) == (x->reason[s] != CPT_UNCOV_NONE));
  }
  return x;
}

static uint8_t Y(const cpt_rota_solution *x, size_t d, size_t s) {
  return x->y[d * x->n_slots + s];
}

static bool has_error(const cpt_diags *d, const char *phrase) {
  for (size_t i = 0; i < d->n; i++)
    if (d->v[i].level == CPT_DIAG_ERROR && strstr(d->v[i].msg, phrase))
      return true;
  return false;
}

/* ------------------------------------------------------ rules one by one */

static void test_coverage_fills_need_and_reports_nobody_available(
    void **state) {
  (void)state;
  rota_fixture f;
  /* equal share (2 + 1) / 2 = 1.5 */
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,,\nd2,48,6,0,,,,\n",
          ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,2\n"
                     "b,2024-03-04,10:00,12:00,,1\n",
          ROTA_AVAIL_HEAD "d1,2024-03-04,08:00,10:00,available\n"
                     "d2,2024-03-04,08:00,10:00,available\n",
          NULL, NULL);
  cpt_rota_solution *x = solve(&f, NULL);
  assert_int_equal(x->status, CPT_SOLVE_OPTIMAL);
  assert_true(Y(x, 0, 0) && Y(x, 1, 0));
  assert_int_equal(x->covered[0], 2);
  assert_int_equal(x->under[1], 1);
  assert_int_equal(x->reason[1], CPT_UNCOV_NOBODY_AVAILABLE);
  assert_true(fabs(x->objective - 1010) < 1e-9);
  assert_true(fabs(x->term_under - 1000) < 1e-9);
  assert_true(fabs(x->term_fair - 10) < 1e-9);
  assert_true(fabs(x->deviation[0] + 0.5) < 1e-9);
  assert_int_equal(x->load[1], 1);
  assert_true(fabs(x->bound - x->objective) < 1e-6);
  assert_true(x->gap < 1e-9);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_preferred_doctor_takes_the_slot(void **state) {
  (void)state;
  rota_fixture f;
  /* targets 0.5: one doctor costs 10 of fairness, two cost 10 + over */
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,,0.5\nd2,48,6,0,,,,0.5\n",
          ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n",
          ROTA_AVAIL_HEAD "d1,2024-03-04,08:00,10:00,available\n"
                     "d2,2024-03-04,07:00,11:00,preferred\n",
          NULL, NULL);
  cpt_rota_solution *x = solve(&f, NULL);
  assert_false(Y(x, 0, 0));
  assert_true(Y(x, 1, 0));
  assert_true(fabs(x->objective - 9) < 1e-9);
  assert_true(fabs(x->term_preferred + 1) < 1e-9);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_overlapping_slots_go_to_different_doctors_or_stay_open(
    void **state) {
  (void)state;
  rota_fixture f;
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,,2\n",
          ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n"
                     "b,2024-03-04,09:00,11:00,,1\n",
          ROTA_AVAIL_HEAD "d1,2024-03-04,08:00,12:00,available\n", NULL, NULL);
  cpt_rota_solution *x = solve(&f, NULL);
  assert_int_equal(x->load[0], 1);
  assert_true(fabs(x->objective - 1010) < 1e-9);
  size_t open = x->under[0] ? 0 : 1;
  assert_int_equal(x->reason[open], CPT_UNCOV_REST_RULE);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_night_slot_needs_rest_before_the_next(void **state) {
  (void)state;
  static const char doctors[] = ROTA_DOCTORS_HEAD "d1,48,6,0,,,,2\n";
  static const char slots[] = ROTA_SLOTS_HEAD "n,2024-03-04,20:00,08:00,,1\n"
                                         "m,2024-03-05,10:00,12:00,,1\n";
  /* one 24 h window covering both (adjacent rows do not merge) */
  static const char avail[] = ROTA_AVAIL_HEAD
      "d1,2024-03-04,12:00,12:00,available\n";
  rota_fixture f;
  prepare(&f, doctors, slots, avail, NULL, NULL);
  cpt_rota_solution *x = solve(&f, NULL);
  assert_int_equal(x->load[0], 1);
  assert_true(fabs(x->objective - 1010) < 1e-9);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
  /* a 1 h rest allows both */
  rota_fixture_prepare(&f, doctors, slots, avail, NULL, NULL, 1);
  x = solve(&f, NULL);
  assert_int_equal(x->load[0], 2);
  assert_true(fabs(x->objective) < 1e-9);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_max_slots_caps_the_week(void **state) {
  (void)state;
  rota_fixture f;
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,1,,2\n",
          ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n"
                     "b,2024-03-05,08:00,10:00,,1\n",
          ROTA_AVAIL_HEAD "d1,2024-03-04,00:00,24:00,available\n"
                     "d1,2024-03-05,00:00,24:00,available\n",
          NULL, NULL);
  cpt_rota_solution *x = solve(&f, NULL);
  assert_int_equal(x->load[0], 1);
  assert_true(fabs(x->objective - 1010) < 1e-9);
  size_t open = x->under[0] ? 0 : 1;
  assert_int_equal(x->reason[open], CPT_UNCOV_AT_LIMIT);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_max_per_day_caps_each_start_date(void **state) {
  (void)state;
  rota_fixture f;
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,1,2\n",
          ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n"
                     "b,2024-03-04,14:00,16:00,,1\n"
                     "c,2024-03-05,08:00,10:00,,1\n",
          ROTA_AVAIL_HEAD "d1,2024-03-04,00:00,24:00,available\n"
                     "d1,2024-03-05,00:00,24:00,available\n",
          NULL, NULL);
  cpt_rota_solution *x = solve(&f, NULL);
  assert_true(Y(x, 0, 2));
  assert_int_equal(Y(x, 0, 0) + Y(x, 0, 1), 1);
  assert_true(fabs(x->objective - 1000) < 1e-9);
  size_t open = x->under[0] ? 0 : 1;
  assert_int_equal(x->reason[open], CPT_UNCOV_AT_LIMIT);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_fairness_counts_history_and_target(void **state) {
  (void)state;
  static const char slots[] = ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n"
                                         "b,2024-03-05,08:00,10:00,,1\n";
  static const char avail[] = ROTA_AVAIL_HEAD
      "d1,2024-03-04,00:00,24:00,available\n"
      "d1,2024-03-05,00:00,24:00,available\n"
      "d2,2024-03-04,00:00,24:00,available\n"
      "d2,2024-03-05,00:00,24:00,available\n";
  rota_fixture f;
  /* equal share (2 + 3) / 2 = 2.5: d2, with no history, takes both */
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,,\nd2,48,6,0,,,,\n", slots, avail,
          "doctor,slots\nd1,3\n", NULL);
  cpt_rota_solution *x = solve(&f, NULL);
  assert_int_equal(x->load[0], 0);
  assert_int_equal(x->load[1], 2);
  assert_true(fabs(x->objective - 10) < 1e-9);
  assert_true(fabs(x->deviation[0] - 0.5) < 1e-9);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
  /* a cumulative target of 5 with 3 done: d1 takes both */
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,,5\nd2,48,6,0,,,,0\n", slots, avail,
          "doctor,slots\nd1,3\n", NULL);
  x = solve(&f, NULL);
  assert_int_equal(x->load[0], 2);
  assert_true(fabs(x->objective) < 1e-9);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_pinned_pair_is_kept_even_when_costly(void **state) {
  (void)state;
  static const char doctors[] = ROTA_DOCTORS_HEAD "d1,48,6,0,,,,0\n"
                                             "d2,48,6,0,,,,1\n";
  static const char slots[] = ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n";
  static const char avail[] = ROTA_AVAIL_HEAD
      "d1,2024-03-04,08:00,10:00,available\n"
      "d2,2024-03-04,08:00,10:00,preferred\n";
  rota_fixture f;
  prepare(&f, doctors, slots, avail, NULL, NULL);
  cpt_rota_solution *x = solve(&f, NULL);
  assert_false(Y(x, 0, 0));
  assert_true(Y(x, 1, 0));
  assert_true(fabs(x->objective + 1) < 1e-9);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
  /* d1 pinned: d2 still joins (over 1, preferred −1, fair 0) */
  prepare(&f, doctors, slots, avail, NULL, "doctor,slot\nd1,a\n");
  x = solve(&f, NULL);
  assert_true(Y(x, 0, 0) && Y(x, 1, 0));
  assert_true(fabs(x->objective - 10) < 1e-9);
  assert_int_equal(x->over[0], 1);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_previous_rota_is_kept_unless_worth_changing(void **state) {
  (void)state;
  rota_fixture f;
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,,0.5\nd2,48,6,0,,,,0.5\n",
          ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n"
                     "b,2024-03-04,12:00,14:00,,0\n",
          ROTA_AVAIL_HEAD "d1,2024-03-04,08:00,10:00,preferred\n"
                     "d2,2024-03-04,08:00,10:00,available\n",
          NULL, NULL);
  cpt_rota_solution *x = solve(&f, NULL);
  assert_true(Y(x, 0, 0)); /* no previous: the preferred doctor */
  assert_true(fabs(x->objective - 9) < 1e-9);
  cpt_rota_solution_free(x);
  /* previously d2 on a, and d1 on b which d1 can no longer take */
  uint8_t prev[4] = {0, 1, 1, 0}; /* d × s */
  cpt_rota_solve_params p;
  cpt_rota_solve_params_init(&p);
  p.previous = prev;
  x = solve(&f, &p);
  assert_true(Y(x, 1, 0));
  assert_false(Y(x, 0, 0));
  assert_true(fabs(x->term_change - 100) < 1e-9);
  assert_true(fabs(x->objective - 110) < 1e-9);
  cpt_rota_solution_free(x);
  /* a cheap change: back to the preferred doctor */
  p.w_change = 0.25;
  x = solve(&f, &p);
  assert_true(Y(x, 0, 0));
  assert_true(fabs(x->objective - (9 + 3 * 0.25)) < 1e-9);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

/* ------------------------------------------------------ infeasible pins */

static void expect_infeasible(const char *doctors, const char *slots,
                              const char *avail, const char *pins,
                              const char *phrase, size_t n_errors) {
  rota_fixture f;
  prepare(&f, doctors, slots, avail, NULL, pins);
  cpt_rota_solution *x = solve(&f, NULL);
  assert_int_equal(x->status, CPT_SOLVE_INFEASIBLE);
  if (!has_error(&f.diags, phrase)) {
    cpt_diags_print(&f.diags, stderr);
    fail_msg("no error naming '%s'", phrase);
  }
  assert_int_equal(f.diags.n_errors, n_errors);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_contradictory_pins_are_infeasible_naming_the_rule(
    void **state) {
  (void)state;
  static const char avail[] = ROTA_AVAIL_HEAD
      "d1,2024-03-04,00:00,24:00,available\n"
      "d1,2024-03-05,00:00,24:00,available\n";
  /* not allowed: outside availability, and a site not served */
  expect_infeasible(ROTA_DOCTORS_HEAD "d1,48,6,0,A,,,\n",
                    ROTA_SLOTS_HEAD "a,2024-03-06,08:00,10:00,,1\n"
                               "b,2024-03-04,08:00,10:00,B,1\n",
                    avail, "doctor,slot\nd1,a\nd1,b\n", "not allowed", 2);
  expect_infeasible(ROTA_DOCTORS_HEAD "d1,48,6,0,,,,\n",
                    ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n"
                               "b,2024-03-04,09:00,11:00,,1\n",
                    avail, "doctor,slot\nd1,a\nd1,b\n", "overlap", 1);
  expect_infeasible(ROTA_DOCTORS_HEAD "d1,48,6,0,,,,\n",
                    ROTA_SLOTS_HEAD "n,2024-03-04,20:00,23:00,,1\n"
                               "m,2024-03-05,07:00,09:00,,1\n",
                    avail, "doctor,slot\nd1,n\nd1,m\n", "night rest", 1);
  expect_infeasible(ROTA_DOCTORS_HEAD "d1,48,6,0,,1,,\n",
                    ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n"
                               "b,2024-03-05,08:00,10:00,,1\n",
                    avail, "doctor,slot\nd1,a\nd1,b\n", "max_slots", 1);
  expect_infeasible(ROTA_DOCTORS_HEAD "d1,48,6,0,,,1,\n",
                    ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n"
                               "b,2024-03-04,12:00,14:00,,1\n",
                    avail, "doctor,slot\nd1,a\nd1,b\n", "max_per_day", 1);
}

/* ------------------------------------------------- random vs enumeration */

typedef struct rng {
  uint64_t s;
} rng;

static uint64_t rng_next(rng *r) {
  return cpt_test_splitmix64(&r->s);
}

static int rng_int(rng *r, int lo, int hi) {
  return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

typedef struct buf {
  char s[4096];
  size_t n;
} buf;

static void put(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
  va_end(ap);
  assert_true(k >= 0 && (size_t)k < sizeof b->s - b->n);
  b->n += (size_t)k;
}

/* Best objective over all y (only ALLOWED pairs vary); INFINITY when no y
 * passes the checker. */
static double enumerate(const rota_fixture *f, const cpt_rota_solve_params *p) {
  const cpt_rota *r = f->rota;
  size_t DS = r->n_doctors * r->n_slots;
  uint8_t y[20] = {0};
  size_t var[20], nv = 0;
  for (size_t i = 0; i < DS; i++)
    if (r->ds[i] & CPT_DS_ALLOWED) var[nv++] = i;
  double best = INFINITY;
  for (uint32_t mask = 0; mask < (1u << nv); mask++) {
    for (size_t k = 0; k < nv; k++) y[var[k]] = (mask >> k) & 1u;
    if (cpt_rota_check(r, f->slots, f->min_rest_h, y, NULL, 0) != 0)
      continue;
    double v = cpt_rota_check_objective(r, f->slots, p, y);
    if (v < best) best = v;
  }
  return best;
}

static const char *const DATES[] = {"2024-03-04", "2024-03-05"};

/* How many random cases were infeasible, and how many had ≥ 8 ALLOWED
 * pairs: both must occur for the comparison to mean something. */
static int n_infeasible, n_large;

static void random_case(rng *g, int it) {
  int D = rng_int(g, 1, 4), S = rng_int(g, 1, 5);
  buf doc = {.n = 0}, sl = {.n = 0}, av = {.n = 0}, hi = {.n = 0},
      pi = {.n = 0};
  put(&doc, ROTA_DOCTORS_HEAD);
  static const char *const SITES[] = {"", "A", "A|B"};
  for (int d = 0; d < D; d++) {
    put(&doc, "d%d,48,6,0,%s,", d, SITES[rng_int(g, 0, 2)]);
    if (rng_int(g, 0, 2)) put(&doc, "%d", rng_int(g, 0, 3));
    put(&doc, ",");
    if (rng_int(g, 0, 2)) put(&doc, "%d", rng_int(g, 1, 2));
    put(&doc, ",");
    if (rng_int(g, 0, 1)) put(&doc, "%d", rng_int(g, 0, 4));
    put(&doc, "\n");
  }
  put(&sl, ROTA_SLOTS_HEAD);
  static const char *const SSITES[] = {"", "A", "B"};
  for (int s = 0; s < S; s++) {
    int h = rng_int(g, 0, 11) * 2, len = rng_int(g, 1, 6) * 2;
    put(&sl, "s%d,%s,%02d:00,%02d:00,%s,%d\n", s, DATES[rng_int(g, 0, 1)], h,
        (h + len) % 24, SSITES[rng_int(g, 0, 2)], rng_int(g, 0, 2));
  }
  put(&av, ROTA_AVAIL_HEAD);
  static const char *const LEVELS[] = {"unavailable", "available",
                                       "preferred"};
  for (int d = 0; d < D; d++)
    for (int k = 0; k < 4; k++) {
      int h = rng_int(g, 0, 11) * 2, len = rng_int(g, 2, 12) * 2;
      put(&av, "d%d,%s,%02d:00,%02d:00,%s\n", d, DATES[rng_int(g, 0, 1)], h,
          (h + len) % 24, LEVELS[rng_int(g, 0, 5) ? rng_int(g, 1, 2) : 0]);
    }
  put(&hi, "doctor,slots\n");
  for (int d = 0; d < D; d++)
    if (rng_int(g, 0, 1)) put(&hi, "d%d,%d\n", d, rng_int(g, 0, 3));
  put(&pi, "doctor,slot\n");
  int npin = rng_int(g, 0, 3) ? 0 : rng_int(g, 1, 2);
  for (int k = 0; k < npin; k++)
    put(&pi, "d%d,s%d\n", rng_int(g, 0, D - 1), rng_int(g, 0, S - 1));

  rota_fixture f;
  rota_fixture_prepare(&f, doc.s, sl.s, av.s, hi.s, pi.s, rng_int(g, 0, 1) ? 11 : 3);
  cpt_rota_solve_params p;
  cpt_rota_solve_params_init(&p);
  static const double WP[] = {-1, -5, 2}, WF[] = {10, 0, 0.3},
                      WO[] = {1, 0, 7}, WU[] = {1000, 3, 0.5};
  p.w_preferred = WP[rng_int(g, 0, 2)];
  p.w_fair = WF[rng_int(g, 0, 2)];
  p.w_over = WO[rng_int(g, 0, 2)];
  p.w_under = WU[rng_int(g, 0, 2)];
  uint8_t prev[20];
  if (rng_int(g, 0, 2) == 0) {
    for (int i = 0; i < D * S; i++) prev[i] = (uint8_t)(rng_int(g, 0, 3) == 0);
    p.previous = prev;
    p.w_change = rng_int(g, 0, 1) ? 100 : 0.7;
  }
  double best = enumerate(&f, &p);
  size_t n_allowed = 0;
  for (size_t i = 0; i < (size_t)(D * S); i++)
    n_allowed += (f.rota->ds[i] & CPT_DS_ALLOWED) != 0;
  n_large += n_allowed >= 8;
  n_infeasible += isinf(best);
  cpt_rota_solution *x = solve(&f, &p);
  if (isinf(best)) {
    if (x->status != CPT_SOLVE_INFEASIBLE)
      fail_msg("case %d: enumeration finds no rota, solver %s", it,
               cpt_solve_status_name(x->status));
    assert_true(f.diags.n_errors > 0);
  } else {
    if (x->status != CPT_SOLVE_OPTIMAL)
      fail_msg("case %d: status %s, enumeration %.6f", it,
               cpt_solve_status_name(x->status), best);
    if (fabs(x->objective - best) > 1e-6)
      fail_msg("case %d: MIP %.9f, enumeration %.9f\n%s%s%s", it,
               x->objective, best, doc.s, sl.s, av.s);
    assert_int_equal(f.diags.n_errors, 0);
  }
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_random_tiny_rotas_match_exhaustive_enumeration(
    void **state) {
  (void)state;
  rng g = {.s = 20240304};
  for (int it = 0; it < 300; it++) random_case(&g, it);
  print_message("%d infeasible, %d with >= 8 allowed pairs\n", n_infeasible,
                n_large);
  assert_true(n_infeasible > 0);
  assert_true(n_large > 0);
}

/* ------------------------------------------------------------ the rest */

static void test_params_defaults_names_and_invalid_weights(void **state) {
  (void)state;
  cpt_rota_solve_params p;
  cpt_rota_solve_params_init(&p);
  assert_true(p.w_under == 1000 && p.w_over == 1 && p.w_preferred == -1 &&
              p.w_fair == 10 && p.w_change == 100);
  assert_null(p.previous);
  assert_true(p.time_limit_s == 60);
  assert_string_equal(cpt_uncovered_reason_name(CPT_UNCOV_NOBODY_AVAILABLE),
                      "nobody_available");
  assert_string_equal(cpt_uncovered_reason_name(CPT_UNCOV_REST_RULE),
                      "rest_rule");
  assert_string_equal(cpt_uncovered_reason_name(CPT_UNCOV_AT_LIMIT),
                      "everyone_at_limit");
  assert_string_equal(cpt_uncovered_reason_name(CPT_UNCOV_NOT_WORTHWHILE),
                      "not_worthwhile");
  cpt_rota_solution_free(NULL);

  rota_fixture f;
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,,\n",
          ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n",
          ROTA_AVAIL_HEAD "d1,2024-03-04,08:00,10:00,available\n", NULL, NULL);
  cpt_rota_solution *x = (cpt_rota_solution *)&f; /* must be reset */
  p.w_fair = -1;
  assert_int_equal(cpt_rota_solve_mip(f.rota, f.slots, &p, &x, &f.diags),
                   CPT_EPARAM);
  assert_null(x);
  cpt_rota_solve_params_init(&p);
  p.w_under = NAN;
  assert_int_equal(cpt_rota_solve_mip(f.rota, f.slots, &p, &x, &f.diags),
                   CPT_EPARAM);
  cpt_rota_solve_params_init(&p);
  assert_int_equal(cpt_rota_solve_mip(f.rota, NULL, &p, &x, &f.diags),
                   CPT_EPARAM);
  rota_fixture_release(&f);
}

static void test_not_worthwhile_when_under_costs_less_than_fairness(
    void **state) {
  (void)state;
  rota_fixture f;
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,,0\n",
          ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n",
          ROTA_AVAIL_HEAD "d1,2024-03-04,08:00,10:00,available\n", NULL, NULL);
  cpt_rota_solve_params p;
  cpt_rota_solve_params_init(&p);
  p.w_under = 5; /* taking it costs W_fair = 10 */
  cpt_rota_solution *x = solve(&f, &p);
  assert_int_equal(x->under[0], 1);
  assert_int_equal(x->reason[0], CPT_UNCOV_NOT_WORTHWHILE);
  assert_true(fabs(x->objective - 5) < 1e-9);
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

static void test_stop_flag_returns_a_feasible_rota(void **state) {
  (void)state;
  rota_fixture f;
  prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,,\nd2,48,6,0,,,,\n",
          ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n"
                     "b,2024-03-04,09:00,11:00,,1\n",
          ROTA_AVAIL_HEAD "d1,2024-03-04,08:00,12:00,available\n"
                     "d2,2024-03-04,08:00,12:00,available\n",
          NULL, "doctor,slot\nd2,b\n");
  atomic_int stop = 1;
  cpt_rota_solve_params p;
  cpt_rota_solve_params_init(&p);
  p.stop = &stop;
  cpt_rota_solution *x = solve(&f, &p); /* checker inside */
  assert_true(x->status == CPT_SOLVE_INTERRUPTED ||
              x->status == CPT_SOLVE_OPTIMAL);
  assert_true(Y(x, 1, 1));
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_coverage_fills_need_and_reports_nobody_available),
      cmocka_unit_test(test_preferred_doctor_takes_the_slot),
      cmocka_unit_test(
          test_overlapping_slots_go_to_different_doctors_or_stay_open),
      cmocka_unit_test(test_night_slot_needs_rest_before_the_next),
      cmocka_unit_test(test_max_slots_caps_the_week),
      cmocka_unit_test(test_max_per_day_caps_each_start_date),
      cmocka_unit_test(test_fairness_counts_history_and_target),
      cmocka_unit_test(test_pinned_pair_is_kept_even_when_costly),
      cmocka_unit_test(test_previous_rota_is_kept_unless_worth_changing),
      cmocka_unit_test(test_contradictory_pins_are_infeasible_naming_the_rule),
      cmocka_unit_test(test_random_tiny_rotas_match_exhaustive_enumeration),
      cmocka_unit_test(test_params_defaults_names_and_invalid_weights),
      cmocka_unit_test(test_not_worthwhile_when_under_costs_less_than_fairness),
      cmocka_unit_test(test_stop_flag_returns_a_feasible_rota),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
