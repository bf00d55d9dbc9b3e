/*
 * test_assign_exact.c — the MT assignment solvers (SPEC §1) against an
 * independent checker and an exhaustive optimiser (tests/support).
 *
 * For a few hundred random tiny instances per variant, every method must
 * return an assignment the checker accepts, whose objective is the one the
 * checker computes and the optimum the brute force finds; a bound no lower
 * than that optimum; a reason for each unplaced patient that the SPEC's
 * definitions allow; and per-patient / per-doctor fields (distance,
 * priority, room, load, leaving) that match the checker's own arithmetic.
 * An optimal result must also be locally optimal (no single placement or
 * removal of a patient or household improves it).  Repair, a heuristic,
 * must give a feasible plan and a bound no lower than the optimum.  On
 * medium instances (up to 8 doctors, 64 patients) flow and mip must meet
 * each other, and mip with households stay below flow without them.
 * When a random instance fails, it is shrunk (doctors and patients removed
 * while it still fails) and printed, so the report shows a minimal case.
 * Hand-made cases with known answers pin the rules one at a time.
 * N_SEEDS and N_MEDIUM may be raised with -D for a longer hunt.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../models/assign.h"
#include "support/brute.h"
#include "support/checker.h"

#ifndef N_SEEDS
#define N_SEEDS 300
#endif

/* ---- one solve, checked against everything we know ---------------------- */

typedef struct coverage {
  size_t reasons[CPT_N_REASONS]; /* unplaced patients per reason given */
  size_t fairness_bites;         /* optimal solutions with some e_d > 0 */
  size_t bonus_earned;           /* placed patients earning the site bonus */
  size_t leaving_instances;      /* instances with a leaving doctor */
  size_t intra_commune_pairs;    /* placed pairs at intra_commune_km */
  size_t unique_optima;          /* optimum unique with a margin */
  size_t households_placed;      /* placed household members */
} coverage;

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

static bool close_to(double a, double b, double rel) {
  return fabs(a - b) <= rel * fmax(1.0, fabs(b));
}

static size_t last_warnings; /* warnings of the last solve() */

static cpt_status solve(const cpt_tiny *t, cpt_assign_method m,
                        cpt_assign_result **out) {
  cpt_assign_params prm;
  cpt_assign_params_init(&prm);
  prm.method = m;
  prm.leaving = t->n_leaving ? t->leaving : NULL;
  prm.n_leaving = t->n_leaving;
  cpt_diags diags;
  cpt_diags_init(&diags);
  *out = NULL;
  cpt_status st =
      cpt_assign_solve(&t->doctors, &t->patients, &t->cfg, &prm, out, &diags);
  last_warnings = diags.n_warnings;
  cpt_diags_free(&diags);
  return st;
}

static void print_solution(const cpt_assign_result *r, size_t np, char *msg,
                           size_t size) {
  appendf(msg, size, "  solver: status=%s objective=%.9g bound=%.9g gap=%g\n",
          cpt_solve_status_name(r->status), r->objective, r->bound, r->gap);
  for (size_t p = 0; p < np; p++)
    appendf(msg, size, "    P%zu -> %d  reason=%s\n", p, (int)r->doctor_of[p],
            cpt_reason_name((cpt_reason)r->reason[p]));
}

#define DISAGREE(...)                     \
  do {                                    \
    appendf(msg, size, "  " __VA_ARGS__); \
    appendf(msg, size, "\n");             \
    bad = 1;                              \
  } while (0)

/* No single move — place one unplaced patient or household on a doctor
 * with room for it, or unplace one placed patient or household — may
 * raise the objective of an optimal solution by more than tol.  The
 * context has been evaluated on doctor_of. */
static int check_local_optimum(const cpt_check_ctx *c, const int32_t *x,
                               double tol, char *msg, size_t size) {
  int bad = 0;
  size_t nd = c->nd;
  for (size_t p = 0; p < c->np; p++) {
    int32_t h = c->hh[p];
    if (h >= 0) { /* one move per household, at its first member */
      bool first = true;
      for (size_t q = 0; q < p; q++)
        if (c->hh[q] == h) first = false;
      if (!first) continue;
    }
    int32_t n = h >= 0 ? c->hh_size[h] : 1;
    if (x[p] >= 0) {
      size_t d = (size_t)x[p];
      double value = 0;
      for (size_t q = p; q < c->np; q++)
        if (q == p || (h >= 0 && c->hh[q] == h)) value += c->value[q * nd + d];
      int32_t before = c->load[d] - c->t[d], after = before - n;
      double saved = c->penalty * ((before > 0 ? before : 0) -
                                   (after > 0 ? after : 0));
      if (saved - value > tol)
        DISAGREE("unplacing P%zu%s from D%zu would raise the objective by %g",
                 p, h >= 0 ? " and its household" : "", d, saved - value);
      continue;
    }
    for (size_t d = 0; d < nd; d++) {
      if (c->room[d] - c->load[d] < n) continue;
      double value = 0;
      bool all = true;
      for (size_t q = p; q < c->np && all; q++)
        if (q == p || (h >= 0 && c->hh[q] == h)) {
          all = c->eligible[q * nd + d] != 0;
          value += c->value[q * nd + d];
        }
      if (!all) continue;
      int32_t before = c->load[d] - c->t[d], after = before + n;
      double cost = c->penalty * ((after > 0 ? after : 0) -
                                  (before > 0 ? before : 0));
      if (value - cost > tol)
        DISAGREE("placing P%zu%s on D%zu would raise the objective by %g", p,
                 h >= 0 ? " and its household" : "", d, value - cost);
    }
  }
  return bad;
}

/* The set of methods a result may report, as bits (1u << method). */
#define M(m) (1u << (m))

/* Check a result against everything known without the optimum: status
 * (optimal when need_optimal, else optimal or feasible), method (one of
 * the set methods), feasibility, the reported objective
 * against the checker's, bound and gap, reasons, per-patient and
 * per-doctor fields, local optimality.  Sets *objective to the checker's.
 * Returns 0, or −1 with the disagreements appended to msg. */
static int verify(const cpt_tiny *t, const cpt_assign_result *r,
                  unsigned methods, bool need_optimal, char *msg, size_t size,
                  coverage *cov, double *objective) {
  char why[512];
  size_t np = t->patients.n, nd = t->doctors.n;
  int bad = 0;
  *objective = NAN;
  if (r->status != CPT_SOLVE_OPTIMAL &&
      (need_optimal || r->status != CPT_SOLVE_FEASIBLE))
    DISAGREE("status %s, expected optimal%s",
             cpt_solve_status_name(r->status),
             need_optimal ? "" : " or feasible");
  if ((unsigned)r->method >= 32 || !(methods & M(r->method)))
    DISAGREE("method %s, not one expected", cpt_assign_method_name(r->method));
  if (r->n_patients != np || r->n_doctors != nd) {
    DISAGREE("sizes %zu patients %zu doctors, expected %zu %zu",
             r->n_patients, r->n_doctors, np, nd);
    return -1;
  }
  cpt_check_ctx c;
  if (cpt_check_ctx_init(&c, &t->doctors, &t->patients, &t->cfg, t->leaving,
                         t->n_leaving, why, sizeof why) != 0) {
    DISAGREE("checker: %s", why);
    return -1;
  }
  double obj;
  if (cpt_check_eval(&c, r->doctor_of, &obj, why, sizeof why) != 0) {
    DISAGREE("infeasible assignment: %s", why);
    cpt_check_ctx_free(&c);
    return -1;
  }
  *objective = obj;
  if (!close_to(r->objective, obj, 1e-6))
    DISAGREE("reported objective %.9g, checker computes %.9g", r->objective,
             obj);
  if (r->bound < r->objective - 1e-6)
    DISAGREE("bound %.9g below objective %.9g", r->bound, r->objective);
  if (r->status == CPT_SOLVE_OPTIMAL && !(r->gap <= 1e-6 && r->gap >= -1e-6))
    DISAGREE("status optimal but gap %g", r->gap);
  double gap = (r->bound - r->objective) / fmax(1.0, fabs(r->objective));
  if (!(fabs(r->gap - gap) <= 1e-6) && r->status != CPT_SOLVE_OPTIMAL)
    DISAGREE("gap %.9g, (bound − objective) / max(1, |objective|) = %.9g",
             r->gap, gap);
  if (r->status == CPT_SOLVE_OPTIMAL)
    bad |= check_local_optimum(&c, r->doctor_of,
                               1e-4 * fmax(1.0, fabs(obj)), msg, size);
  /* Reasons, under the SPEC's definitions (checker.h). */
  for (size_t p = 0; p < np; p++) {
    unsigned allowed = cpt_check_allowed_reasons(&c, r->doctor_of, p);
    unsigned got = r->reason[p];
    if (got >= CPT_N_REASONS || !(allowed & (1u << got))) {
      char list[128] = "";
      for (unsigned k = 0; k < CPT_N_REASONS; k++)
        if (allowed & (1u << k))
          appendf(list, sizeof list, "%s%s", list[0] ? " or " : "",
                  k ? cpt_reason_name((cpt_reason)k) : "assigned");
      DISAGREE("P%zu: reason '%s', the SPEC gives %s", p,
               got < CPT_N_REASONS
                   ? (got ? cpt_reason_name((cpt_reason)got) : "assigned")
                   : "out of range",
               list);
    } else if (got != CPT_REASON_ASSIGNED) {
      cov->reasons[got]++;
    }
  }
  /* Per-patient and per-doctor fields. */
  for (size_t p = 0; p < np; p++) {
    int32_t d = r->doctor_of[p];
    if (!close_to(r->priority[p], c.priority[p], 1e-12))
      DISAGREE("P%zu: priority %.9g, expected %.9g", p, r->priority[p],
               c.priority[p]);
    if (d < 0) {
      if (!isnan(r->distance_km[p]))
        DISAGREE("P%zu unplaced but distance %g (expected NAN)", p,
                 r->distance_km[p]);
      continue;
    }
    double dist = c.dist[p * nd + (size_t)d];
    if (!close_to(r->distance_km[p], dist, 1e-9))
      DISAGREE("P%zu: distance %.9g km, expected %.9g", p, r->distance_km[p],
               dist);
    if (c.bonus[p * nd + (size_t)d]) cov->bonus_earned++;
    if (dist == t->cfg.assign_intra_commune_km &&
        !t->pv[p].loc.explicit_coords)
      cov->intra_commune_pairs++;
    if (t->pv[p].household) cov->households_placed++;
  }
  bool bites = false;
  for (size_t d = 0; d < nd; d++) {
    int32_t room = c.leaving[d] ? 0 : c.room[d];
    if (r->new_load[d] != c.load[d])
      DISAGREE("D%zu: new_load %d, the assignment gives %d", d,
               (int)r->new_load[d], (int)c.load[d]);
    if (r->room[d] != room)
      DISAGREE("D%zu: room %d, expected %d", d, (int)r->room[d], (int)room);
    if ((r->leaving[d] != 0) != (c.leaving[d] != 0))
      DISAGREE("D%zu: leaving %d, expected %d", d, (int)r->leaving[d],
               (int)c.leaving[d]);
    if (c.load[d] > c.t[d]) bites = true;
  }
  if (bites) cov->fairness_bites++;
  if (t->n_leaving) cov->leaving_instances++;
  cpt_check_ctx_free(&c);
  return bad ? -1 : 0;
}

/* Check a solve of t by method m against the brute force and verify().
 * Returns 0 when everything agrees, else −1 with the disagreements in
 * msg. */
static int check_solve(const cpt_tiny *t, cpt_assign_method m,
                       unsigned methods, char *msg, size_t size,
                       coverage *cov) {
  msg[0] = '\0';
  char why[512];
  cpt_brute_result b;
  if (cpt_brute_assign(&t->doctors, &t->patients, &t->cfg, t->leaving,
                       t->n_leaving, &b, why, sizeof why) != 0) {
    appendf(msg, size, "brute force failed: %s\n", why);
    return -1;
  }
  cpt_assign_result *r = NULL;
  cpt_status st = solve(t, m, &r);
  if (st != CPT_OK || !r) {
    appendf(msg, size, "%s: cpt_assign_solve returned %s\n",
            cpt_assign_method_name(m), cpt_status_name(st));
    cpt_assign_result_free(r);
    return -1;
  }
  size_t np = t->patients.n;
  double obj;
  int bad = verify(t, r, methods, true, msg, size, cov, &obj) != 0;
  if (!isnan(obj)) {
    if (!close_to(obj, b.best, 1e-4))
      DISAGREE("objective %.9g, brute-force optimum %.9g", obj, b.best);
    if (r->bound < b.best - 1e-4 * fmax(1.0, fabs(b.best)))
      DISAGREE("bound %.9g below the true optimum %.9g", r->bound, b.best);
    if (b.n_optimal == 1 && b.best - b.second > 1e-3) {
      cov->unique_optima++;
      for (size_t p = 0; p < np; p++)
        if (r->doctor_of[p] != b.doctor_of[p]) {
          DISAGREE("the optimum is unique (next best %.6g) but P%zu is on %d, "
                   "not %d", b.second, p, (int)r->doctor_of[p],
                   (int)b.doctor_of[p]);
          break;
        }
    }
  }
  if (bad) {
    appendf(msg, size, "  brute force: optimum %.9g (%zu optimal vectors, "
            "next %.9g):", b.best, b.n_optimal, b.second);
    for (size_t p = 0; p < np; p++)
      appendf(msg, size, " %d", (int)b.doctor_of[p]);
    appendf(msg, size, "\n");
    print_solution(r, np, msg, size);
  }
  cpt_assign_result_free(r);
  return bad ? -1 : 0;
}

/* Solve t with m and verify(); returns the result (NULL after a failed
 * solve, which is reported in msg) and the checker's objective. */
static cpt_assign_result *solve_verified(const cpt_tiny *t,
                                         cpt_assign_method m,
                                         bool need_optimal, char *msg,
                                         size_t size, coverage *cov,
                                         double *obj, int *bad) {
  cpt_assign_result *r = NULL;
  cpt_status st = solve(t, m, &r);
  if (st != CPT_OK || !r) {
    appendf(msg, size, "  %s: cpt_assign_solve returned %s\n",
            cpt_assign_method_name(m), cpt_status_name(st));
    cpt_assign_result_free(r);
    *bad = 1;
    return NULL;
  }
  appendf(msg, size, " %s:\n", cpt_assign_method_name(m));
  if (verify(t, r, M(m), need_optimal, msg, size, cov, obj) != 0) *bad = 1;
  return r;
}

/* Remove doctors and patients while the instance still fails. */
static void shrink(cpt_tiny *t, cpt_assign_method m, unsigned methods) {
  char msg[4096];
  coverage scratch;
  bool progress = true;
  while (progress) {
    progress = false;
    for (size_t i = t->patients.n; i-- > 0;) {
      if (t->patients.n <= 1) break;
      cpt_tiny u;
      cpt_tiny_copy(&u, t);
      cpt_tiny_remove_patient(&u, i);
      if (check_solve(&u, m, methods, msg, sizeof msg, &scratch) != 0) {
        cpt_tiny_copy(t, &u);
        progress = true;
      }
    }
    for (size_t i = t->doctors.n; i-- > 0;) {
      if (t->doctors.n <= 1) break;
      cpt_tiny u;
      cpt_tiny_copy(&u, t);
      const char *id = u.dv[i].id;
      size_t k = 0;
      for (size_t j = 0; j < u.n_leaving; j++)
        if (strcmp(u.leaving[j], id) != 0) u.leaving[k++] = u.leaving[j];
      u.n_leaving = k;
      cpt_tiny_remove_doctor(&u, i);
      if (check_solve(&u, m, methods, msg, sizeof msg, &scratch) != 0) {
        cpt_tiny_copy(t, &u);
        progress = true;
      }
    }
  }
}

/* Run seeds 1..N_SEEDS of one variant through one method; report each
 * failure (the first few shrunk) and return the number of failures. */
static size_t run_seeds(bool households, cpt_assign_method m,
                        unsigned methods, coverage *cov) {
  size_t failures = 0;
  char msg[8192];
  for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
    cpt_tiny t;
    cpt_tiny_generate(&t, seed, households);
    if (check_solve(&t, m, methods, msg, sizeof msg, cov) == 0) continue;
    failures++;
    if (failures > 3) continue;
    fprintf(stderr, "--- %s, seed %llu: disagreement\n",
            cpt_assign_method_name(m), (unsigned long long)seed);
    cpt_tiny_print(&t, stderr);
    fputs(msg, stderr);
    shrink(&t, m, methods);
    coverage scratch;
    check_solve(&t, m, methods, msg, sizeof msg, &scratch);
    fprintf(stderr, "--- shrunk to:\n");
    cpt_tiny_print(&t, stderr);
    fputs(msg, stderr);
  }
  if (failures)
    fprintf(stderr, "%s, households=%d: %zu of %d seeds disagree\n",
            cpt_assign_method_name(m), (int)households, failures, N_SEEDS);
  return failures;
}

/* The generator must exercise what the comparison is meant to test. */
static void assert_coverage(const coverage *cov, bool households) {
#ifdef CPT_TEST_PRINT_COVERAGE
  fprintf(stderr, "coverage: range %zu need %zu capacity %zu split %zu "
          "worthless %zu | fairness %zu bonus %zu leaving %zu intra %zu "
          "unique %zu household-placed %zu\n",
          cov->reasons[1], cov->reasons[2], cov->reasons[3], cov->reasons[4],
          cov->reasons[5], cov->fairness_bites, cov->bonus_earned,
          cov->leaving_instances, cov->intra_commune_pairs,
          cov->unique_optima, cov->households_placed);
#endif
  assert_true(cov->reasons[CPT_REASON_NO_DOCTOR_IN_RANGE] > 0);
  assert_true(cov->reasons[CPT_REASON_NO_DOCTOR_FOR_NEED] > 0);
  assert_true(cov->reasons[CPT_REASON_CAPACITY_EXHAUSTED] > 0);
  assert_true(cov->reasons[CPT_REASON_NOT_WORTHWHILE] > 0);
  assert_true(cov->fairness_bites > 0);
  assert_true(cov->bonus_earned > 0);
  assert_true(cov->leaving_instances > 0);
  assert_true(cov->intra_commune_pairs > 0);
  assert_true(cov->unique_optima > N_SEEDS / 4);
  if (households) {
    assert_true(cov->reasons[CPT_REASON_HOUSEHOLD_SPLIT] > 0);
    assert_true(cov->households_placed > 0);
  }
}

/* ---- the checker and the brute force themselves ------------------------- */

/* Kilometres east / north of (45, 4) as degrees. */
#define KM_PER_DEG (6371.0 * 3.14159265358979323846 / 180.0)
static double lat_at(double km_north) { return 45.0 + km_north / KM_PER_DEG; }
static double lon_at(double km_east) {
  return 4.0 + km_east / (KM_PER_DEG * cos(45.0 * 3.14159265358979323846 /
                                           180.0));
}

static int check(const cpt_tiny *t, const int32_t *x, double *obj, char *why,
                 size_t size) {
  return cpt_check_assign(&t->doctors, &t->patients, &t->cfg, t->leaving,
                          t->n_leaving, x, obj, why, size);
}

static void test_checker_objective_sums_priority_distance_bonus_and_fairness(
    void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  t.cfg.assign_detour = 1.0;
  /* On one meridian, haversine = R·Δφ exactly: 0.1° = 11.119492664 km. */
  cpt_doctor *d0 = cpt_tiny_add_doctor(&t, "D0", 45.0, 4.0, 10, 8);
  d0->site = "S0";
  cpt_doctor *d1 = cpt_tiny_add_doctor(&t, "D1", 45.5, 4.0, 10, 0);
  d1->site = "S0";
  cpt_patient *a = cpt_tiny_add_patient(&t, "A", 45.1, 4.0, 72);
  a->ald = true;
  a->prev_doctor = "D1"; /* same site as D0: bonus */
  cpt_patient *b = cpt_tiny_add_patient(&t, "B", 45.0, 4.0, 10);
  b->precarity = true;
  b->prev_doctor = "DX"; /* absent from the file: no bonus */
  double km = 6371.0 * 0.1 * 3.14159265358979323846 / 180.0;
  int32_t x[2] = {0, 0};
  double obj = 0;
  char why[256];
  assert_int_equal(check(&t, x, &obj, why, sizeof why), 0);
  /* A: 100+60+30 − km + 10; B: 100+20+20 − 0; D0: t = 9 − 8 = 1, load 2. */
  double want = (190 - km + 10) + 140 - 5 * 1;
  assert_true(fabs(obj - want) < 1e-9);
  /* Without B the doctor is not above t_d: no penalty. */
  x[1] = -1;
  assert_int_equal(check(&t, x, &obj, why, sizeof why), 0);
  assert_true(fabs(obj - (200 - km)) < 1e-9);
}

static void test_checker_uses_intra_commune_km_only_without_coordinates(
    void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_doctor *d = cpt_tiny_add_doctor(&t, "D0", 45.0, 4.0, 10, 0);
  d->loc.commune = 7;
  d->loc.explicit_coords = false;
  cpt_patient *p = cpt_tiny_add_patient(&t, "A", 45.0, 4.0, 40);
  p->loc.commune = 7;
  p->loc.explicit_coords = false;
  cpt_patient *q = cpt_tiny_add_patient(&t, "B", 45.0, 4.0, 40);
  q->loc.commune = 7; /* explicit coordinates win over the commune */
  cpt_check_ctx c;
  assert_int_equal(
      cpt_check_ctx_init(&c, &t.doctors, &t.patients, &t.cfg, NULL, 0, NULL, 0),
      0);
  assert_true(c.dist[0] == 2.0);
  assert_true(c.dist[1] == 0.0);
  cpt_check_ctx_free(&c);
}

static void test_checker_rejects_each_violated_constraint(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_doctor *near = cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 9);
  near->children = false;
  near->home_visits = false;
  cpt_tiny_add_doctor(&t, "D1", lat_at(0), lon_at(1), 10, 0)->max_new = 1;
  cpt_tiny_add_doctor(&t, "D2", lat_at(40), lon_at(0), 10, 0);
  cpt_tiny_add_patient(&t, "A", lat_at(1), lon_at(0), 40);
  cpt_tiny_add_patient(&t, "B", lat_at(1), lon_at(0), 40);
  cpt_tiny_add_patient(&t, "C", lat_at(1), lon_at(0), 8);
  cpt_tiny_add_patient(&t, "E", lat_at(1), lon_at(0), 40)->home_visit = true;
  char why[256];
  static const struct {
    int32_t x[4];
    const char *word;
  } cases[] = {
      {{3, -1, -1, -1}, "out of range"},
      {{-1, -1, -1, -2}, "out of range"},
      {{2, -1, -1, -1}, "distance"},
      {{-1, -1, 0, -1}, "children"},
      {{-1, -1, -1, 0}, "home visits"},
      {{0, 0, -1, -1}, "room 1"},   /* capacity 10, current 9 */
      {{1, 1, -1, -1}, "max_new 1"}, /* room min(10, 1) */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    why[0] = '\0';
    assert_int_equal(check(&t, cases[i].x, NULL, why, sizeof why), -1);
    assert_non_null(strstr(why, cases[i].word));
  }
  int32_t ok[4] = {0, -1, 1, -1}; /* A on D0, the child C on D1 */
  assert_int_equal(check(&t, ok, NULL, why, sizeof why), 0);

  t.leaving[t.n_leaving++] = "D1";
  int32_t to_leaving[4] = {1, -1, -1, -1};
  assert_int_equal(check(&t, to_leaving, NULL, why, sizeof why), -1);
  assert_non_null(strstr(why, "leaving"));
  t.leaving[0] = "NOPE";
  assert_int_equal(check(&t, to_leaving, NULL, why, sizeof why), -1);
  assert_non_null(strstr(why, "NOPE"));
  t.n_leaving = 0;

  t.pv[0].household = "H";
  t.pv[1].household = "H";
  int32_t split[4] = {1, -1, -1, -1};
  assert_int_equal(check(&t, split, NULL, why, sizeof why), -1);
  assert_non_null(strstr(why, "household"));
}

static void test_checker_room_is_zero_when_current_exceeds_capacity(
    void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 5, 7);
  cpt_tiny_add_patient(&t, "A", lat_at(1), lon_at(0), 40);
  int32_t x[1] = {0};
  char why[256];
  assert_int_equal(check(&t, x, NULL, why, sizeof why), -1);
  assert_non_null(strstr(why, "room 0"));
}

static void test_brute_force_finds_the_optimum_and_counts_ties(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 9); /* room 1 */
  cpt_tiny_add_patient(&t, "A", lat_at(3), lon_at(0), 40);
  cpt_tiny_add_patient(&t, "B", lat_at(3), lon_at(0), 40);
  cpt_brute_result b;
  assert_int_equal(cpt_brute_assign(&t.doctors, &t.patients, &t.cfg, NULL, 0,
                                    &b, NULL, 0),
                   0);
  assert_int_equal(b.n_feasible, 3);
  assert_int_equal(b.n_optimal, 2);
  /* t_d = 9 − 9 = 0: the one new patient is above the threshold. */
  assert_true(fabs(b.best - (100 - 3 * 1.3 - 5)) < 1e-6);
  /* With B in ALD the optimum is unique and places B. */
  t.pv[1].ald = true;
  assert_int_equal(cpt_brute_assign(&t.doctors, &t.patients, &t.cfg, NULL, 0,
                                    &b, NULL, 0),
                   0);
  assert_int_equal(b.n_optimal, 1);
  assert_int_equal(b.doctor_of[0], -1);
  assert_int_equal(b.doctor_of[1], 0);
  assert_true(fabs(b.best - (160 - 3 * 1.3 - 5)) < 1e-6);
  assert_true(fabs(b.second - (100 - 3 * 1.3 - 5)) < 1e-6);
}

static void test_local_optimum_check_flags_an_improvable_plan(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  t.cfg.assign_cost_per_km = 10;
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 0);
  cpt_tiny_add_patient(&t, "A", lat_at(1), lon_at(0), 40)->household = "H";
  cpt_tiny_add_patient(&t, "B", lat_at(1), lon_at(0), 40)->household = "H";
  cpt_tiny_add_patient(&t, "C", lat_at(12), lon_at(0), 40); /* 156 km-cost */
  cpt_check_ctx c;
  assert_int_equal(
      cpt_check_ctx_init(&c, &t.doctors, &t.patients, &t.cfg, NULL, 0, NULL, 0),
      0);
  char msg[1024] = "";
  static const struct {
    int32_t x[3];
    int bad;
  } cases[] = {
      {{0, 0, -1}, 0},   /* the optimum */
      {{-1, -1, -1}, 1}, /* the household is worth placing */
      {{0, 0, 0}, 1},    /* C is worth unplacing */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(cpt_check_eval(&c, cases[i].x, NULL, NULL, 0), 0);
    msg[0] = '\0';
    assert_int_equal(check_local_optimum(&c, cases[i].x, 1e-6, msg, sizeof msg),
                     cases[i].bad);
  }
  cpt_check_ctx_free(&c);
}

static void test_generator_is_reproducible_and_within_brute_force_limits(
    void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 50; seed++) {
    cpt_tiny a, b;
    cpt_tiny_generate(&a, seed, seed % 2 == 0);
    cpt_tiny_generate(&b, seed, seed % 2 == 0);
    assert_int_equal(a.patients.n, b.patients.n);
    assert_int_equal(a.doctors.n, b.doctors.n);
    assert_true(a.patients.n >= 1 && a.patients.n <= CPT_TINY_MAX_P);
    assert_true(a.doctors.n >= 1 && a.doctors.n <= CPT_TINY_MAX_D);
    for (size_t p = 0; p < a.patients.n; p++) {
      assert_true(a.pv[p].loc.lat == b.pv[p].loc.lat);
      assert_true(a.pv[p].age == b.pv[p].age);
    }
    cpt_brute_result r;
    assert_int_equal(cpt_brute_assign(&a.doctors, &a.patients, &a.cfg,
                                      a.leaving, a.n_leaving, &r, NULL, 0),
                     0);
    assert_true(r.n_feasible >= 1); /* nobody placed is always feasible */
  }
}

/* ---- the solvers against the brute force -------------------------------- */

static void test_flow_reaches_bruteforce_optimum_on_tiny_instances(
    void **state) {
  (void)state;
  coverage cov = {0};
  assert_int_equal(
      run_seeds(false, CPT_METHOD_FLOW, M(CPT_METHOD_FLOW), &cov), 0);
  assert_coverage(&cov, false);
}

static void test_mip_reaches_bruteforce_optimum_on_tiny_instances(
    void **state) {
  (void)state;
  coverage cov = {0};
  assert_int_equal(run_seeds(false, CPT_METHOD_MIP, M(CPT_METHOD_MIP), &cov),
                   0);
  assert_coverage(&cov, false);
}

static void test_mip_reaches_bruteforce_optimum_with_households(
    void **state) {
  (void)state;
  coverage cov = {0};
  assert_int_equal(run_seeds(true, CPT_METHOD_MIP, M(CPT_METHOD_MIP), &cov),
                   0);
  assert_coverage(&cov, true);
}

/* Repair (households) is a heuristic: a feasible plan, a proven bound, and
 * "optimal" only when it is. */
static void test_repair_plans_are_feasible_with_true_bounds(void **state) {
  (void)state;
  coverage cov = {0};
  size_t failures = 0, optimal = 0;
  char msg[8192], why[256];
  for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
    cpt_tiny t;
    cpt_tiny_generate(&t, seed, true);
    cpt_brute_result b;
    assert_int_equal(cpt_brute_assign(&t.doctors, &t.patients, &t.cfg,
                                      t.leaving, t.n_leaving, &b, why,
                                      sizeof why),
                     0);
    msg[0] = '\0';
    int bad = 0;
    double obj = NAN;
    cpt_assign_result *r = solve_verified(&t, CPT_METHOD_REPAIR, false, msg,
                                          sizeof msg, &cov, &obj, &bad);
    if (r && !isnan(obj)) {
      double tol = 1e-4 * fmax(1.0, fabs(b.best));
      if (obj > b.best + tol || r->bound < b.best - tol ||
          (r->status == CPT_SOLVE_OPTIMAL && obj < b.best - tol)) {
        appendf(msg, sizeof msg, "  repair %s objective %.9g bound %.9g, "
                "optimum %.9g\n", cpt_solve_status_name(r->status), obj,
                r->bound, b.best);
        bad = 1;
      }
      optimal += r->status == CPT_SOLVE_OPTIMAL;
    }
    if (bad && ++failures <= 3) {
      fprintf(stderr, "--- repair, seed %llu: disagreement\n",
              (unsigned long long)seed);
      if (r) print_solution(r, t.patients.n, msg, sizeof msg);
      cpt_tiny_print(&t, stderr);
      fputs(msg, stderr);
    }
    cpt_assign_result_free(r);
  }
  assert_int_equal(failures, 0);
  assert_true(optimal > 0);
}

static void test_auto_uses_flow_without_households_and_finds_the_optimum(
    void **state) {
  (void)state;
  coverage cov = {0};
  size_t failures = 0;
  char msg[8192];
  for (uint64_t seed = 1; seed <= 60; seed++) {
    cpt_tiny t;
    cpt_tiny_generate(&t, seed, seed % 2 == 0);
    size_t ids = 0, members = 0;
    for (size_t p = 0; p < t.patients.n; p++)
      if (t.pv[p].household) {
        members++;
        bool first = true;
        for (size_t q = 0; q < p; q++)
          if (t.pv[q].household &&
              strcmp(t.pv[q].household, t.pv[p].household) == 0)
            first = false;
        ids += first;
      }
    /* With households auto reports repair when that is proven optimal,
     * else mip (models/assign.h); either way it reaches the optimum.  A
     * household of one constrains nothing: flow may serve it too. */
    unsigned want = members == 0 ? M(CPT_METHOD_FLOW)
                    : members > ids
                        ? M(CPT_METHOD_REPAIR) | M(CPT_METHOD_MIP)
                        : M(CPT_METHOD_FLOW) | M(CPT_METHOD_REPAIR) |
                              M(CPT_METHOD_MIP);
    if (check_solve(&t, CPT_METHOD_AUTO, want, msg, sizeof msg, &cov) != 0) {
      if (++failures <= 2) {
        cpt_tiny_print(&t, stderr);
        fputs(msg, stderr);
      }
    }
  }
  assert_int_equal(failures, 0);
}

/* Flow knows nothing of households: it may refuse them, but whatever it
 * returns must keep them together. */
static void test_flow_never_splits_a_household(void **state) {
  (void)state;
  size_t solved = 0;
  for (uint64_t seed = 1; seed <= 100; seed++) {
    cpt_tiny t;
    cpt_tiny_generate(&t, seed, true);
    cpt_assign_result *r = NULL;
    if (solve(&t, CPT_METHOD_FLOW, &r) != CPT_OK || !r) {
      cpt_assign_result_free(r);
      continue;
    }
    solved++;
    char why[256] = "";
    int rc = check(&t, r->doctor_of, NULL, why, sizeof why);
    if (rc != 0) {
      cpt_tiny_print(&t, stderr);
      fprintf(stderr, "flow with households: %s\n", why);
    }
    cpt_assign_result_free(r);
    assert_int_equal(rc, 0);
  }
  (void)solved;
}

/* ---- the solvers against each other on medium instances ---------------- */

#ifndef N_MEDIUM
#define N_MEDIUM 60
#endif

static void report_medium(const cpt_tiny *t, const char *msg,
                          size_t *failures) {
  if (++*failures > 2) return;
  fprintf(stderr, "--- medium instance, seed %llu: disagreement\n",
          (unsigned long long)t->seed);
  cpt_tiny_print(t, stderr);
  fputs(msg, stderr);
}

static void test_flow_and_mip_agree_on_medium_instances(void **state) {
  (void)state;
  coverage cov = {0};
  size_t failures = 0;
  char msg[16384];
  for (uint64_t seed = 1; seed <= N_MEDIUM; seed++) {
    cpt_tiny t;
    cpt_tiny_generate_medium(&t, seed, false, 8, 64);
    msg[0] = '\0';
    int bad = 0;
    double of = NAN, om = NAN;
    cpt_assign_result *rf =
        solve_verified(&t, CPT_METHOD_FLOW, true, msg, sizeof msg, &cov, &of,
                       &bad);
    cpt_assign_result *rm =
        solve_verified(&t, CPT_METHOD_MIP, true, msg, sizeof msg, &cov, &om,
                       &bad);
    if (rf && rm && !isnan(of) && !isnan(om)) {
      double tol = 1e-4 * fmax(1.0, fabs(om));
      if (fabs(of - om) > tol) {
        appendf(msg, sizeof msg, "  flow objective %.9g, mip %.9g\n", of, om);
        bad = 1;
      }
      if (rf->bound < om - tol || rm->bound < of - tol) {
        appendf(msg, sizeof msg, "  a bound is below the other's objective: "
                "flow %.9g / %.9g, mip %.9g / %.9g\n", rf->bound, of,
                rm->bound, om);
        bad = 1;
      }
    }
    if (bad) report_medium(&t, msg, &failures);
    cpt_assign_result_free(rf);
    cpt_assign_result_free(rm);
  }
  assert_int_equal(failures, 0);
  assert_true(cov.reasons[CPT_REASON_CAPACITY_EXHAUSTED] > 0);
  assert_true(cov.fairness_bites > 0);
}

/* With households the MIP has no second exact solver to meet, but keeping
 * households together only removes solutions: its optimum can be no better
 * than the flow's on the same patients without households. */
static void test_mip_with_households_is_locally_optimal_and_below_flow(
    void **state) {
  (void)state;
  coverage cov = {0};
  size_t failures = 0;
  char msg[16384];
  for (uint64_t seed = 1; seed <= N_MEDIUM; seed++) {
    cpt_tiny t, loose;
    cpt_tiny_generate_medium(&t, seed, true, 8, 64);
    cpt_tiny_copy(&loose, &t);
    for (size_t p = 0; p < loose.patients.n; p++) loose.pv[p].household = NULL;
    msg[0] = '\0';
    int bad = 0;
    double om = NAN, of = NAN;
    cpt_assign_result *rm =
        solve_verified(&t, CPT_METHOD_MIP, true, msg, sizeof msg, &cov, &om,
                       &bad);
    cpt_assign_result *rf = solve_verified(&loose, CPT_METHOD_FLOW, true, msg,
                                           sizeof msg, &cov, &of, &bad);
    /* Repair: feasible, its bound a true one, never above the optimum. */
    double orp = NAN;
    cpt_assign_result *rr = solve_verified(&t, CPT_METHOD_REPAIR, false, msg,
                                           sizeof msg, &cov, &orp, &bad);
    if (rr && !isnan(orp) && !isnan(om)) {
      double tol = 1e-4 * fmax(1.0, fabs(om));
      if (orp > om + tol || rr->bound < om - tol ||
          (rr->status == CPT_SOLVE_OPTIMAL && orp < om - tol)) {
        appendf(msg, sizeof msg, "  repair %s objective %.9g bound %.9g, "
                "mip optimum %.9g\n", cpt_solve_status_name(rr->status), orp,
                rr->bound, om);
        bad = 1;
      }
    }
    cpt_assign_result_free(rr);
    if (!isnan(om) && !isnan(of) && om > of + 1e-4 * fmax(1.0, fabs(of))) {
      appendf(msg, sizeof msg, "  with households %.9g, above %.9g "
              "without\n", om, of);
      bad = 1;
    }
    if (bad) report_medium(&t, msg, &failures);
    cpt_assign_result_free(rm);
    cpt_assign_result_free(rf);
  }
  assert_int_equal(failures, 0);
  assert_true(cov.reasons[CPT_REASON_HOUSEHOLD_SPLIT] > 0);
  assert_true(cov.households_placed > 0);
}

static void test_same_input_gives_the_same_assignment_twice(void **state) {
  (void)state;
  static const cpt_assign_method methods[] = {CPT_METHOD_FLOW, CPT_METHOD_MIP};
  for (uint64_t seed = 1; seed <= 40; seed++)
    for (size_t k = 0; k < 2; k++) {
      cpt_tiny t;
      cpt_tiny_generate(&t, seed, false);
      cpt_assign_result *r1 = NULL, *r2 = NULL;
      assert_int_equal(solve(&t, methods[k], &r1), CPT_OK);
      assert_int_equal(solve(&t, methods[k], &r2), CPT_OK);
      assert_memory_equal(r1->doctor_of, r2->doctor_of,
                          t.patients.n * sizeof *r1->doctor_of);
      assert_memory_equal(r1->reason, r2->reason, t.patients.n);
      cpt_assign_result_free(r1);
      cpt_assign_result_free(r2);
    }
}

/* ---- hand-made cases with known answers ---------------------------------- */

/* Solve t with m and check it as in the random tests; returns the result
 * for case-specific assertions (caller frees). */
static cpt_assign_result *solve_checked(const cpt_tiny *t,
                                        cpt_assign_method m) {
  char msg[8192];
  coverage cov = {0};
  if (check_solve(t, m, M(m), msg, sizeof msg, &cov) != 0) {
    cpt_tiny_print(t, stderr);
    fputs(msg, stderr);
    fail_msg("%s disagrees with the checker / brute force",
             cpt_assign_method_name(m));
  }
  cpt_assign_result *r = NULL;
  assert_int_equal(solve(t, m, &r), CPT_OK);
  assert_non_null(r);
  return r;
}

static const cpt_assign_method both[] = {CPT_METHOD_FLOW, CPT_METHOD_MIP};

static void test_ald_patient_wins_the_last_place(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 9); /* room 1 */
  cpt_tiny_add_patient(&t, "A", lat_at(2), lon_at(0), 40);
  cpt_tiny_add_patient(&t, "B", lat_at(2), lon_at(0), 40)->ald = true;
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_int_equal(r->doctor_of[0], -1);
    assert_int_equal(r->doctor_of[1], 0);
    assert_int_equal(r->reason[0], CPT_REASON_CAPACITY_EXHAUSTED);
    /* t_d = ⌊0.9·10⌋ − 9 = 0: fairness penalty 5 on the one place. */
    assert_true(fabs(r->objective - (160 - 2 * 1.3 - 5)) < 1e-4);
    cpt_assign_result_free(r);
  }
}

static void test_household_of_three_is_not_split_over_room_two(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  static const char *const ids[] = {"A", "B", "C"};
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 8); /* room 2 */
  for (size_t i = 0; i < 3; i++)
    cpt_tiny_add_patient(&t, ids[i], lat_at(2), lon_at(0), 40)->household =
        "H";
  cpt_assign_result *r = solve_checked(&t, CPT_METHOD_MIP);
  for (size_t p = 0; p < 3; p++) {
    assert_int_equal(r->doctor_of[p], -1);
    assert_int_equal(r->reason[p], CPT_REASON_HOUSEHOLD_SPLIT);
  }
  assert_true(fabs(r->objective) < 1e-9);
  cpt_assign_result_free(r);

  /* A household of two fits, and goes together. */
  cpt_tiny_remove_patient(&t, 2);
  r = solve_checked(&t, CPT_METHOD_MIP);
  assert_int_equal(r->doctor_of[0], 0);
  assert_int_equal(r->doctor_of[1], 0);
  cpt_assign_result_free(r);
}

static void test_household_follows_the_member_who_needs_a_child_doctor(
    void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(1), 10, 0)->children = false;
  cpt_tiny_add_doctor(&t, "D1", lat_at(0), lon_at(8), 10, 0);
  cpt_tiny_add_patient(&t, "A", lat_at(0), lon_at(0), 40)->household = "H";
  cpt_tiny_add_patient(&t, "B", lat_at(0), lon_at(0), 6)->household = "H";
  cpt_assign_result *r = solve_checked(&t, CPT_METHOD_MIP);
  assert_int_equal(r->doctor_of[0], 1);
  assert_int_equal(r->doctor_of[1], 1);
  cpt_assign_result_free(r);
}

/* A household and a lone patient alike in every attribute (same place,
 * same categories) must stay two different jobs. */
static void test_household_and_a_lone_lookalike_are_distinct_jobs(
    void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 4, 1); /* room 3 */
  cpt_tiny_add_patient(&t, "A", lat_at(2), lon_at(0), 52)->household = "H";
  cpt_tiny_add_patient(&t, "B", lat_at(2), lon_at(0), 52)->household = "H";
  cpt_tiny_add_patient(&t, "C", lat_at(2), lon_at(0), 52);
  cpt_assign_result *r = solve_checked(&t, CPT_METHOD_MIP);
  for (size_t p = 0; p < 3; p++) assert_int_equal(r->doctor_of[p], 0);
  cpt_assign_result_free(r);
}

static void test_same_site_bonus_breaks_a_tie(void **state) {
  (void)state;
  static const char *const prev_sites[] = {"S1", "S0"};
  for (size_t s = 0; s < 2; s++) {
    cpt_tiny t;
    cpt_tiny_init(&t);
    /* D0 and D1 mirror each other about the patient: equal distances. */
    cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(-3), 10, 0)->site = "S0";
    cpt_tiny_add_doctor(&t, "D1", lat_at(0), lon_at(3), 10, 0)->site = "S1";
    cpt_tiny_add_doctor(&t, "D2", lat_at(0), lon_at(0), 10, 0)->site =
        prev_sites[s];
    t.leaving[t.n_leaving++] = "D2";
    cpt_tiny_add_patient(&t, "A", lat_at(0), lon_at(0), 40)->prev_doctor = "D2";
    int32_t want = s == 0 ? 1 : 0;
    for (size_t k = 0; k < 2; k++) {
      cpt_assign_result *r = solve_checked(&t, both[k]);
      assert_int_equal(r->doctor_of[0], want);
      assert_int_equal(r->new_load[2], 0);
      assert_true(fabs(r->objective - (110 - 3 * 1.3)) < 1e-3);
      cpt_assign_result_free(r);
    }
  }
}

static void test_prev_doctor_absent_from_file_earns_no_bonus(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 0)->site = "S0";
  /* "S0" names no doctor (it is D0's site, a trap for a lookup that
   * confuses the two): no bonus, and no error. */
  cpt_tiny_add_patient(&t, "A", lat_at(4), lon_at(0), 40)->prev_doctor = "S0";
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_true(last_warnings >= 1); /* SPEC §1: a warning */
    assert_int_equal(r->doctor_of[0], 0);
    assert_true(fabs(r->objective - (100 - 4 * 1.3)) < 1e-4);
    cpt_assign_result_free(r);
  }
}

static void test_leaving_doctor_gets_nobody(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 100, 0);
  cpt_tiny_add_doctor(&t, "D1", lat_at(0), lon_at(10), 10, 9); /* room 1 */
  t.leaving[t.n_leaving++] = "D0";
  cpt_tiny_add_patient(&t, "A", lat_at(0), lon_at(0), 40)->prev_doctor = "D0";
  cpt_tiny_add_patient(&t, "B", lat_at(0), lon_at(0), 80)->prev_doctor = "D0";
  /* Only the leaving doctor is in range of C. */
  cpt_tiny_add_patient(&t, "C", lat_at(0), lon_at(-8), 40);
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_int_equal(r->new_load[0], 0);
    assert_int_equal(r->room[0], 0);
    assert_int_equal(r->leaving[0], 1);
    assert_int_equal(r->doctor_of[0], -1);
    assert_int_equal(r->doctor_of[1], 1);
    assert_int_equal(r->reason[0], CPT_REASON_CAPACITY_EXHAUSTED);
    assert_int_equal(r->reason[2], CPT_REASON_NO_DOCTOR_IN_RANGE);
    cpt_assign_result_free(r);
  }
}

static void test_unknown_leaving_id_is_an_input_error(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 0);
  cpt_tiny_add_patient(&t, "A", lat_at(1), lon_at(0), 40);
  t.leaving[t.n_leaving++] = "D9";
  cpt_assign_result *r = NULL;
  assert_int_equal(solve(&t, CPT_METHOD_FLOW, &r), CPT_EINPUT);
  cpt_assign_result_free(r);
}

static void test_children_and_home_visits_need_a_willing_doctor(
    void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_doctor *d = cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 0);
  d->children = false;
  d->home_visits = false;
  cpt_tiny_add_patient(&t, "A", lat_at(1), lon_at(0), 15);
  cpt_tiny_add_patient(&t, "B", lat_at(1), lon_at(0), 16);
  cpt_tiny_add_patient(&t, "C", lat_at(1), lon_at(0), 50)->home_visit = true;
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_int_equal(r->reason[0], CPT_REASON_NO_DOCTOR_FOR_NEED);
    assert_int_equal(r->doctor_of[1], 0);
    assert_int_equal(r->reason[2], CPT_REASON_NO_DOCTOR_FOR_NEED);
    cpt_assign_result_free(r);
  }
}

static void test_personal_max_km_overrides_the_default(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 0);
  /* 18 km × 1.3 = 23.4 km: beyond the default 20 km. */
  cpt_tiny_add_patient(&t, "A", lat_at(18), lon_at(0), 40);
  cpt_tiny_add_patient(&t, "B", lat_at(18), lon_at(0), 40)->max_km = 25;
  cpt_tiny_add_patient(&t, "C", lat_at(5), lon_at(0), 40)->max_km = 6;
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_int_equal(r->reason[0], CPT_REASON_NO_DOCTOR_IN_RANGE);
    assert_int_equal(r->doctor_of[1], 0);
    assert_int_equal(r->reason[2], CPT_REASON_NO_DOCTOR_IN_RANGE);
    cpt_assign_result_free(r);
  }
}

static void test_intra_commune_distance_is_in_range_at_equality(
    void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_doctor *d = cpt_tiny_add_doctor(&t, "D0", 45.0, 4.0, 10, 0);
  d->loc.commune = 3;
  d->loc.explicit_coords = false;
  cpt_patient *p = cpt_tiny_add_patient(&t, "A", 45.0, 4.0, 40);
  p->loc.commune = 3;
  p->loc.explicit_coords = false;
  p->max_km = 2.0; /* = intra_commune_km, not × detour */
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_int_equal(r->doctor_of[0], 0);
    assert_true(r->distance_km[0] == 2.0);
    assert_true(fabs(r->objective - 98.0) < 1e-4);
    cpt_assign_result_free(r);
  }
}

static void test_far_patient_is_not_worthwhile_at_high_cost_per_km(
    void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  t.cfg.assign_cost_per_km = 10;
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 0);
  cpt_tiny_add_patient(&t, "A", lat_at(12), lon_at(0), 40); /* 15.6 km */
  cpt_tiny_add_patient(&t, "B", lat_at(5), lon_at(0), 40);  /* 6.5 km */
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_int_equal(r->doctor_of[0], -1);
    assert_int_equal(r->reason[0], CPT_REASON_NOT_WORTHWHILE);
    assert_int_equal(r->doctor_of[1], 0);
    cpt_assign_result_free(r);
  }
}

static void test_fairness_penalty_applies_above_the_threshold(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 8); /* t_d = 1 */
  cpt_tiny_add_patient(&t, "A", lat_at(1), lon_at(0), 40)->ald = true;
  cpt_tiny_add_patient(&t, "B", lat_at(1), lon_at(0), 40);
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_int_equal(r->new_load[0], 2);
    assert_true(fabs(r->objective - (260 - 2 * 1.3 - 5)) < 1e-4);
    cpt_assign_result_free(r);
  }
  t.cfg.assign_fairness_penalty = 150; /* B is worth 98.7 < 150 */
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_int_equal(r->doctor_of[0], 0);
    assert_int_equal(r->doctor_of[1], -1);
    assert_int_equal(r->reason[1], CPT_REASON_NOT_WORTHWHILE);
    cpt_assign_result_free(r);
  }
}

/* ⌊0.29 × 100⌋ is 29: the decimal the user wrote, not the binary product
 * 28.999999999999996. */
static void test_fairness_threshold_floors_the_decimal_product(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  t.cfg.assign_fairness_threshold = 0.29;
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 100, 28); /* t_d = 1 */
  cpt_tiny_add_patient(&t, "A", lat_at(1), lon_at(0), 40);
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_true(fabs(r->objective - (100 - 1.3)) < 1e-4);
    cpt_assign_result_free(r);
  }
}

static void test_max_new_and_current_above_capacity_limit_room(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 100, 0)->max_new = 1;
  cpt_tiny_add_doctor(&t, "D1", lat_at(0), lon_at(1), 5, 7);
  cpt_tiny_add_patient(&t, "A", lat_at(1), lon_at(0), 40);
  cpt_tiny_add_patient(&t, "B", lat_at(1), lon_at(0), 40);
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_true(last_warnings >= 1); /* current > capacity */
    assert_int_equal(r->room[0], 1);
    assert_int_equal(r->room[1], 0);
    assert_int_equal(r->new_load[0], 1);
    assert_int_equal(r->new_load[1], 0);
    cpt_assign_result_free(r);
  }
}

static void test_no_patients_gives_an_empty_optimal_solution(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 0);
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_true(r->objective == 0);
    assert_int_equal(r->new_load[0], 0);
    cpt_assign_result_free(r);
  }
}

static void test_no_doctors_leaves_every_patient_out_of_range(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_patient(&t, "A", lat_at(0), lon_at(0), 40);
  cpt_tiny_add_patient(&t, "B", lat_at(0), lon_at(0), 4)->household = "H";
  cpt_tiny_add_patient(&t, "C", lat_at(0), lon_at(0), 40)->household = "H";
  cpt_assign_result *r = solve_checked(&t, CPT_METHOD_MIP);
  for (size_t p = 0; p < 3; p++)
    assert_int_equal(r->reason[p], CPT_REASON_NO_DOCTOR_IN_RANGE);
  cpt_assign_result_free(r);
  cpt_tiny_remove_patient(&t, 2);
  cpt_tiny_remove_patient(&t, 1);
  r = solve_checked(&t, CPT_METHOD_FLOW);
  assert_int_equal(r->reason[0], CPT_REASON_NO_DOCTOR_IN_RANGE);
  cpt_assign_result_free(r);
}

static void test_every_doctor_leaving_places_nobody(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 0);
  cpt_tiny_add_doctor(&t, "D1", lat_at(0), lon_at(1), 10, 0);
  t.leaving[t.n_leaving++] = "D0";
  t.leaving[t.n_leaving++] = "D1";
  t.leaving[t.n_leaving++] = "D0"; /* named twice: still one doctor */
  cpt_tiny_add_patient(&t, "A", lat_at(0), lon_at(0), 40)->prev_doctor = "D0";
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_int_equal(r->doctor_of[0], -1);
    assert_int_equal(r->reason[0], CPT_REASON_NO_DOCTOR_IN_RANGE);
    cpt_assign_result_free(r);
  }
}

/* Within a class of interchangeable patients, ids in strcmp order go
 * first (models/assign.h): "A" takes the one place, whatever the file
 * order. */
static void test_identical_patients_are_placed_in_id_order(void **state) {
  (void)state;
  cpt_tiny t;
  cpt_tiny_init(&t);
  cpt_tiny_add_doctor(&t, "D0", lat_at(0), lon_at(0), 10, 9); /* room 1 */
  cpt_tiny_add_patient(&t, "B", lat_at(2), lon_at(0), 40);
  cpt_tiny_add_patient(&t, "A", lat_at(2), lon_at(0), 40);
  for (size_t k = 0; k < 2; k++) {
    cpt_assign_result *r = solve_checked(&t, both[k]);
    assert_int_equal(r->doctor_of[0], -1);
    assert_int_equal(r->doctor_of[1], 0);
    cpt_assign_result_free(r);
  }
}

/* Weights at the top of their ranges and distances across France: the
 * flow's scaled integer costs must neither overflow nor lose the optimum. */
static void test_extreme_weights_keep_the_optimum(void **state) {
  (void)state;
  static const double places[][2] = {{48.8566, 2.3522}, {45.7640, 4.8357},
                                     {43.2965, 5.3698}, {47.2184, -1.5536},
                                     {50.6292, 3.0573}, {43.6047, 1.4442},
                                     {48.5734, 7.7521}, {44.8378, -0.5792}};
  static const char *const ids[] = {"P0", "P1", "P2", "P3",
                                    "P4", "P5", "P6", "P7"};
  for (int variant = 0; variant < 3; variant++) {
    cpt_tiny t;
    cpt_tiny_init(&t);
    t.cfg.assign_max_km = 20000;
    t.cfg.assign_priority_base = 1e6;
    t.cfg.assign_priority_ald = 1e6;
    t.cfg.assign_cost_per_km = variant == 0 ? 1e3 : variant == 1 ? 0 : 1e6;
    t.cfg.assign_fairness_penalty = 1e6;
    t.cfg.assign_same_site_bonus = 1e6;
    t.cfg.assign_fairness_threshold = 0.5;
    for (size_t d = 0; d < 3; d++) {
      cpt_doctor *doc = cpt_tiny_add_doctor(&t, (const char *[]){"D0", "D1",
                                                                 "D2"}[d],
                                            places[d][0], places[d][1], 6, 0);
      doc->site = d == 2 ? "S1" : "S0";
    }
    for (size_t p = 0; p < 8; p++) {
      cpt_patient *pat = cpt_tiny_add_patient(&t, ids[p], places[p][0] + 0.01,
                                              places[p][1], 40);
      pat->ald = p % 3 == 0;
      pat->prev_doctor = p % 2 ? "D0" : "D2";
    }
    for (size_t k = 0; k < 2; k++)
      cpt_assign_result_free(solve_checked(&t, both[k]));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(
          test_checker_objective_sums_priority_distance_bonus_and_fairness),
      cmocka_unit_test(
          test_checker_uses_intra_commune_km_only_without_coordinates),
      cmocka_unit_test(test_checker_rejects_each_violated_constraint),
      cmocka_unit_test(
          test_checker_room_is_zero_when_current_exceeds_capacity),
      cmocka_unit_test(test_brute_force_finds_the_optimum_and_counts_ties),
      cmocka_unit_test(test_local_optimum_check_flags_an_improvable_plan),
      cmocka_unit_test(
          test_generator_is_reproducible_and_within_brute_force_limits),
      cmocka_unit_test(test_ald_patient_wins_the_last_place),
      cmocka_unit_test(test_household_of_three_is_not_split_over_room_two),
      cmocka_unit_test(
          test_household_follows_the_member_who_needs_a_child_doctor),
      cmocka_unit_test(test_household_and_a_lone_lookalike_are_distinct_jobs),
      cmocka_unit_test(test_same_site_bonus_breaks_a_tie),
      cmocka_unit_test(test_prev_doctor_absent_from_file_earns_no_bonus),
      cmocka_unit_test(test_leaving_doctor_gets_nobody),
      cmocka_unit_test(test_unknown_leaving_id_is_an_input_error),
      cmocka_unit_test(test_children_and_home_visits_need_a_willing_doctor),
      cmocka_unit_test(test_personal_max_km_overrides_the_default),
      cmocka_unit_test(test_intra_commune_distance_is_in_range_at_equality),
      cmocka_unit_test(test_far_patient_is_not_worthwhile_at_high_cost_per_km),
      cmocka_unit_test(test_fairness_penalty_applies_above_the_threshold),
      cmocka_unit_test(test_fairness_threshold_floors_the_decimal_product),
      cmocka_unit_test(test_max_new_and_current_above_capacity_limit_room),
      cmocka_unit_test(test_no_patients_gives_an_empty_optimal_solution),
      cmocka_unit_test(test_no_doctors_leaves_every_patient_out_of_range),
      cmocka_unit_test(test_every_doctor_leaving_places_nobody),
      cmocka_unit_test(test_identical_patients_are_placed_in_id_order),
      cmocka_unit_test(test_extreme_weights_keep_the_optimum),
      cmocka_unit_test(test_flow_reaches_bruteforce_optimum_on_tiny_instances),
      cmocka_unit_test(test_mip_reaches_bruteforce_optimum_on_tiny_instances),
      cmocka_unit_test(test_mip_reaches_bruteforce_optimum_with_households),
      cmocka_unit_test(test_repair_plans_are_feasible_with_true_bounds),
      cmocka_unit_test(
          test_auto_uses_flow_without_households_and_finds_the_optimum),
      cmocka_unit_test(test_flow_never_splits_a_household),
      cmocka_unit_test(test_flow_and_mip_agree_on_medium_instances),
      cmocka_unit_test(
          test_mip_with_households_is_locally_optimal_and_below_flow),
      cmocka_unit_test(test_same_input_gives_the_same_assignment_twice),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
