/*
 * test_rota_heur.c — the SNP rota heuristic (models/rota_heur.c): LNS over
 * the rota MIP, then GLPK from its plan for a bound.
 *
 * Random tiny rotas (≤ 4 doctors × ≤ 5 slots, as in test_rota_mip.c)
 * against exhaustive enumeration through the independent checker
 * (tests/support/rota_check.h) and against cpt_rota_solve_mip; the same
 * seed gives the same plan with 1 and 2 threads on a generated medium rota
 * (30 doctors × 40 slots); pinned sets that break a hard rule are
 * INFEASIBLE with the same errors as for the MIP.  Rotas are prepared from
 * CSV texts through the readers and cpt_rota_prepare, as the command does.
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


/* Solve with the heuristic; on a solution, the checker must accept y and
 * agree with every recomputed number. */
static cpt_rota_solution *solve_heur(rota_fixture *f,
                                     const cpt_rota_solve_params *p) {
  cpt_rota_solution *x = NULL;
  assert_int_equal(
      cpt_rota_solve_heuristic(f->rota, f->slots, p, &x, &f->diags), CPT_OK);
  assert_non_null(x);
  assert_string_equal(x->method, "heuristic");
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
  assert_false(x->bound > x->objective);
  size_t S = x->n_slots;
  for (size_t s = 0; s < S; s++) {
    int32_t c = 0;
    for (size_t d = 0; d < x->n_doctors; d++) c += x->y[d * S + s];
    int32_t need = f->slots->v[s].need;
    assert_int_equal(x->covered[s], c);
    assert_int_equal(x->under[s], need > c ? need - c : 0);
    assert_true((x->under[s] > 0) == (x->reason[s] != CPT_UNCOV_NONE));
  }
  return x;
}

static cpt_rota_solution *solve_mip(rota_fixture *f,
                                    const cpt_rota_solve_params *p) {
  cpt_rota_solution *x = NULL;
  assert_int_equal(cpt_rota_solve_mip(f->rota, f->slots, p, &x, &f->diags),
                   CPT_OK);
  assert_non_null(x);
  cpt_mip_thread_done();
  return x;
}

static bool has_error(const cpt_diags *d, const char *phrase) {
  for (size_t i = 0; i < d->n; i++)
    if (d->v[i].level == CPT_DIAG_ERROR && strstr(d->v[i].msg, phrase))
      return true;
  return false;
}

static bool has_warning(const cpt_diags *d, const char *phrase) {
  for (size_t i = 0; i < d->n; i++)
    if (d->v[i].level == CPT_DIAG_WARNING && strstr(d->v[i].msg, phrase))
      return true;
  return false;
}

/* ------------------------------------------------------------ text/rng */

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
  char s[65536];
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

static buf *buf_new(void) {
  buf *b = calloc(1, sizeof *b);
  assert_non_null(b);
  return b;
}

/* ------------------------------------------------- random vs enumeration */

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

static int n_infeasible, n_large;

static void random_case(rng *g, int it) {
  int D = rng_int(g, 1, 4), S = rng_int(g, 1, 5);
  buf *doc = buf_new(), *sl = buf_new(), *av = buf_new(), *hi = buf_new(),
      *pi = buf_new();
  put(doc, ROTA_DOCTORS_HEAD);
  static const char *const SITES[] = {"", "A", "A|B"};
  for (int d = 0; d < D; d++) {
    put(doc, "d%d,48,6,0,%s,", d, SITES[rng_int(g, 0, 2)]);
    if (rng_int(g, 0, 2)) put(doc, "%d", rng_int(g, 0, 3));
    put(doc, ",");
    if (rng_int(g, 0, 2)) put(doc, "%d", rng_int(g, 1, 2));
    put(doc, ",");
    if (rng_int(g, 0, 1)) put(doc, "%d", rng_int(g, 0, 4));
    put(doc, "\n");
  }
  put(sl, ROTA_SLOTS_HEAD);
  static const char *const SSITES[] = {"", "A", "B"};
  for (int s = 0; s < S; s++) {
    int h = rng_int(g, 0, 11) * 2, len = rng_int(g, 1, 6) * 2;
    put(sl, "s%d,%s,%02d:00,%02d:00,%s,%d\n", s, DATES[rng_int(g, 0, 1)], h,
        (h + len) % 24, SSITES[rng_int(g, 0, 2)], rng_int(g, 0, 2));
  }
  put(av, ROTA_AVAIL_HEAD);
  static const char *const LEVELS[] = {"unavailable", "available",
                                       "preferred"};
  for (int d = 0; d < D; d++)
    for (int k = 0; k < 4; k++) {
      int h = rng_int(g, 0, 11) * 2, len = rng_int(g, 2, 12) * 2;
      put(av, "d%d,%s,%02d:00,%02d:00,%s\n", d, DATES[rng_int(g, 0, 1)], h,
          (h + len) % 24, LEVELS[rng_int(g, 0, 5) ? rng_int(g, 1, 2) : 0]);
    }
  put(hi, "doctor,slots\n");
  for (int d = 0; d < D; d++)
    if (rng_int(g, 0, 1)) put(hi, "d%d,%d\n", d, rng_int(g, 0, 3));
  put(pi, "doctor,slot\n");
  int npin = rng_int(g, 0, 3) ? 0 : rng_int(g, 1, 2);
  for (int k = 0; k < npin; k++)
    put(pi, "d%d,s%d\n", rng_int(g, 0, D - 1), rng_int(g, 0, S - 1));

  rota_fixture f;
  rota_fixture_prepare(&f, doc->s, sl->s, av->s, hi->s, pi->s,
               rng_int(g, 0, 1) ? 11 : 3);
  cpt_rota_solve_params p;
  cpt_rota_solve_params_init(&p);
  static const double WP[] = {-1, -5, 2}, WF[] = {10, 0, 0.3},
                      WO[] = {1, 0, 7}, WU[] = {1000, 3, 0.5};
  p.w_preferred = WP[rng_int(g, 0, 2)];
  p.w_fair = WF[rng_int(g, 0, 2)];
  p.w_over = WO[rng_int(g, 0, 2)];
  p.w_under = WU[rng_int(g, 0, 2)];
  p.threads = rng_int(g, 1, 2);
  p.seed = (uint64_t)it;
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
  cpt_rota_solution *x = solve_heur(&f, &p);
  size_t heur_errors = f.diags.n_errors;
  cpt_rota_solution *xm = solve_mip(&f, &p);
  if (isinf(best)) {
    if (x->status != CPT_SOLVE_INFEASIBLE)
      fail_msg("case %d: enumeration finds no rota, heuristic %s", it,
               cpt_solve_status_name(x->status));
    assert_int_equal(xm->status, CPT_SOLVE_INFEASIBLE);
    assert_true(heur_errors > 0);
    assert_int_equal(f.diags.n_errors, 2 * heur_errors); /* same errors */
  } else {
    if (x->status != CPT_SOLVE_OPTIMAL)
      fail_msg("case %d: status %s, enumeration %.6f", it,
               cpt_solve_status_name(x->status), best);
    if (fabs(x->objective - best) > 1e-6)
      fail_msg("case %d: heuristic %.9f, enumeration %.9f\n%s%s%s", it,
               x->objective, best, doc->s, sl->s, av->s);
    assert_true(fabs(x->objective - xm->objective) < 1e-6);
    assert_true(x->gap == 0);
    assert_true(fabs(x->bound - x->objective) < 1e-9);
    assert_int_equal(f.diags.n_errors, 0);
  }
  cpt_rota_solution_free(x);
  cpt_rota_solution_free(xm);
  rota_fixture_release(&f);
  free(doc);
  free(sl);
  free(av);
  free(hi);
  free(pi);
}

static void test_heuristic_reaches_the_enumeration_optimum_on_tiny_rotas(
    void **state) {
  (void)state;
  rng g = {.s = 20240305};
  for (int it = 0; it < 150; it++) random_case(&g, it);
  print_message("%d infeasible, %d with >= 8 allowed pairs\n", n_infeasible,
                n_large);
  assert_true(n_infeasible > 0);
  assert_true(n_large > 0);
}

/* ------------------------------------------------- threads and seeds */

/* 30 doctors × 40 slots over a week: four slots a day (08–12, 12–16,
 * 16–20, 20–08 night) plus 12 extra day slots, two sites, random
 * availability with some preferred and unavailable windows, history and
 * limits. */
static void medium_rota(rota_fixture *f, uint64_t seed) {
  rng g = {.s = seed};
  buf *doc = buf_new(), *sl = buf_new(), *av = buf_new(), *hi = buf_new();
  static const char *const WEEK[] = {"2024-03-04", "2024-03-05",
                                     "2024-03-06", "2024-03-07",
                                     "2024-03-08", "2024-03-09",
                                     "2024-03-10"};
  static const char *const SITES[] = {"", "A", "B", "A|B"};
  put(doc, ROTA_DOCTORS_HEAD);
  for (int d = 0; d < 30; d++) {
    put(doc, "d%d,48,6,0,%s,", d, SITES[rng_int(&g, 0, 3)]);
    if (rng_int(&g, 0, 1)) put(doc, "%d", rng_int(&g, 1, 4));
    put(doc, ",%d,\n", rng_int(&g, 1, 2));
  }
  put(sl, ROTA_SLOTS_HEAD);
  static const char *const START[] = {"08:00", "12:00", "16:00", "20:00"};
  static const char *const END[] = {"12:00", "16:00", "20:00", "08:00"};
  int s = 0;
  for (int k = 0; k < 7; k++)
    for (int q = 0; q < 4; q++, s++)
      put(sl, "s%d,%s,%s,%s,%s,%d\n", s, WEEK[k], START[q], END[q],
          rng_int(&g, 0, 1) ? "A" : "B", rng_int(&g, 1, 2));
  for (; s < 40; s++) {
    int h = 8 + 2 * rng_int(&g, 0, 4);
    put(sl, "s%d,%s,%02d:00,%02d:00,%s,1\n", s, WEEK[rng_int(&g, 0, 6)], h,
        h + 4, rng_int(&g, 0, 1) ? "A" : "B");
  }
  put(av, ROTA_AVAIL_HEAD);
  for (int d = 0; d < 30; d++)
    for (int k = 0; k < 7; k++) {
      int r = rng_int(&g, 0, 9);
      if (r < 3) continue;
      const char *level = r < 7 ? "available" : r < 9 ? "preferred"
                                                      : "unavailable";
      if (rng_int(&g, 0, 2))
        put(av, "d%d,%s,08:00,20:00,%s\n", d, WEEK[k], level);
      else
        put(av, "d%d,%s,20:00,08:00,%s\n", d, WEEK[k], level);
    }
  put(hi, "doctor,slots\n");
  for (int d = 0; d < 30; d++)
    if (rng_int(&g, 0, 2) == 0) put(hi, "d%d,%d\n", d, rng_int(&g, 1, 3));
  rota_fixture_prepare(f, doc->s, sl->s, av->s, hi->s, NULL, 11);
  free(doc);
  free(sl);
  free(av);
  free(hi);
}

/* The LNS improvement lines of a log ("* lns round R: objective = V"),
 * without their times, concatenated. */
static void lns_trace(const char *log, buf *out) {
  out->n = 0;
  out->s[0] = '\0';
  for (const char *l = strstr(log, "* lns round"); l;
       l = strstr(l + 1, "* lns round")) {
    const char *e = strstr(l, ", time");
    const char *nl = strchr(l, '\n');
    if (!e || (nl && nl < e)) e = nl ? nl : l + strlen(l);
    put(out, "%.*s\n", (int)(e - l), l);
  }
}

static cpt_rota_solution *solve_logged(rota_fixture *f, cpt_rota_solve_params *p,
                                       buf *trace) {
  char *text = NULL;
  size_t size = 0;
  FILE *log = open_memstream(&text, &size);
  assert_non_null(log);
  p->verbose = 1;
  p->log = log;
  cpt_rota_solution *x = solve_heur(f, p);
  fclose(log);
  p->log = NULL;
  p->verbose = 0;
  lns_trace(text, trace);
  free(text);
  return x;
}

static void test_same_seed_gives_identical_rota_with_1_and_2_threads(
    void **state) {
  (void)state;
  int improved = 0;
  for (uint64_t rs = 7; rs < 10; rs++) {
    rota_fixture f;
    medium_rota(&f, rs);
    size_t n_allowed = 0, DS = f.rota->n_doctors * f.rota->n_slots;
    for (size_t i = 0; i < DS; i++)
      n_allowed += (f.rota->ds[i] & CPT_DS_ALLOWED) != 0;
    assert_true(n_allowed >= 200);
    cpt_rota_solve_params p;
    cpt_rota_solve_params_init(&p);
    p.time_limit_s = 120; /* a safety net only: must not be reached */
    p.seed = 42 + rs;
    buf *t1 = buf_new(), *t2 = buf_new();
    p.threads = 1;
    cpt_rota_solution *x1 = solve_logged(&f, &p, t1);
    p.threads = 2;
    cpt_rota_solution *x2 = solve_logged(&f, &p, t2);
    assert_false(has_warning(&f.diags, "safety time limit"));
    /* the same search, step by step, and the same plan */
    assert_string_equal(t1->s, t2->s);
    improved += t1->n > 0;
    assert_int_equal(x1->status, x2->status);
    assert_memory_equal(x1->y, x2->y, DS);
    assert_true(x1->objective == x2->objective);
    /* no worse than GLPK alone */
    cpt_rota_solution *xm = solve_mip(&f, &p);
    print_message("%zu allowed pairs: heuristic %.6f (%s, bound %.6f), "
                  "MIP %.6f (%s), %.2f s / %.2f s / %.2f s\n",
                  n_allowed, x1->objective,
                  cpt_solve_status_name(x1->status), x1->bound,
                  xm->objective, cpt_solve_status_name(xm->status),
                  x1->time_s, x2->time_s, xm->time_s);
    if (xm->status == CPT_SOLVE_OPTIMAL)
      assert_true(x1->objective <= xm->objective + 1e-6);
    cpt_rota_solution_free(x1);
    cpt_rota_solution_free(x2);
    cpt_rota_solution_free(xm);
    free(t1);
    free(t2);
    rota_fixture_release(&f);
  }
  assert_true(improved > 0); /* the LNS did improve somewhere */
}

/* ------------------------------------------------------ infeasible pins */

static void expect_infeasible(const char *doctors, const char *slots,
                              const char *avail, const char *pins,
                              const char *phrase, size_t n_errors) {
  rota_fixture f;
  rota_fixture_prepare(&f, doctors, slots, avail, NULL, pins, 11);
  cpt_rota_solve_params p;
  cpt_rota_solve_params_init(&p);
  cpt_rota_solution *x = solve_heur(&f, &p);
  assert_int_equal(x->status, CPT_SOLVE_INFEASIBLE);
  assert_true(isnan(x->objective));
  if (!has_error(&f.diags, phrase)) {
    cpt_diags_print(&f.diags, stderr);
    fail_msg("no error naming '%s'", phrase);
  }
  assert_int_equal(f.diags.n_errors, n_errors);
  /* the MIP reports the same */
  cpt_diags heur = f.diags;
  cpt_diags_init(&f.diags);
  cpt_rota_solution *xm = solve_mip(&f, &p);
  assert_int_equal(xm->status, CPT_SOLVE_INFEASIBLE);
  assert_int_equal(f.diags.n, heur.n);
  for (size_t i = 0; i < heur.n; i++)
    assert_string_equal(f.diags.v[i].msg, heur.v[i].msg);
  cpt_diags_free(&heur);
  cpt_rota_solution_free(x);
  cpt_rota_solution_free(xm);
  rota_fixture_release(&f);
}

static void test_contradictory_pins_are_infeasible_as_for_the_mip(
    void **state) {
  (void)state;
  static const char avail[] = ROTA_AVAIL_HEAD
      "d1,2024-03-04,00:00,24:00,available\n"
      "d1,2024-03-05,00:00,24:00,available\n";
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

/* ------------------------------------------------------------ the rest */

static void test_params_default_threads_and_seed_and_reject_negative_threads(
    void **state) {
  (void)state;
  cpt_rota_solve_params p;
  cpt_rota_solve_params_init(&p);
  assert_int_equal(p.threads, 0);
  assert_int_equal(p.seed, 1);
  rota_fixture f;
  rota_fixture_prepare(&f, ROTA_DOCTORS_HEAD "d1,48,6,0,,,,\n",
               ROTA_SLOTS_HEAD "a,2024-03-04,08:00,10:00,,1\n",
               ROTA_AVAIL_HEAD "d1,2024-03-04,08:00,10:00,available\n", NULL, NULL,
               11);
  p.threads = -1;
  cpt_rota_solution *x = (cpt_rota_solution *)1;
  assert_int_equal(cpt_rota_solve_heuristic(f.rota, f.slots, &p, &x, NULL),
                   CPT_EPARAM);
  assert_null(x);
  p.threads = 0;
  x = solve_heur(&f, &p);
  assert_int_equal(x->status, CPT_SOLVE_OPTIMAL);
  assert_int_equal(x->y[0], 1);
  cpt_rota_solution_free(x);
  /* the exact solver names itself too */
  x = solve_mip(&f, &p);
  assert_string_equal(x->method, "mip");
  cpt_rota_solution_free(x);
  rota_fixture_release(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(
          test_heuristic_reaches_the_enumeration_optimum_on_tiny_rotas),
      cmocka_unit_test(test_same_seed_gives_identical_rota_with_1_and_2_threads),
      cmocka_unit_test(test_contradictory_pins_are_infeasible_as_for_the_mip),
      cmocka_unit_test(
          test_params_default_threads_and_seed_and_reject_negative_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
