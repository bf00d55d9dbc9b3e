/*
 * test_depart.c — the doctor-leaves scenario: a departure against brute
 * force, intake waves that never exceed their limits and keep households
 * together, ranked alternatives that are valid, and the depart command's
 * patient selection and usage errors.
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
#include <unistd.h>

#include "../cli/cli.h"
#include "../models/assign.h"
#include "../models/geo.h"
#include "support/brute.h"
#include "support/checker.h"

/* Every patient of a tiny random instance becomes a patient of the first
 * doctor, who leaves; the solvers must reach the brute-force optimum. */
static void test_departure_matches_bruteforce(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 300; seed++) {
    cpt_tiny t;
    cpt_tiny_generate(&t, seed * 7919, seed % 2 == 0);
    if (t.doctors.n < 2) continue;
    for (size_t p = 0; p < t.patients.n; p++)
      t.pv[p].prev_doctor = t.dv[0].id;
    t.leaving[0] = t.dv[0].id;
    t.n_leaving = 1;
    cpt_brute_result br;
    char why[256];
    assert_int_equal(cpt_brute_assign(&t.doctors, &t.patients, &t.cfg,
                                      t.leaving, 1, &br, why, sizeof why),
                     0);
    cpt_assign_params ap;
    cpt_assign_params_init(&ap);
    ap.leaving = t.leaving;
    ap.n_leaving = 1;
    cpt_diags dg;
    cpt_diags_init(&dg);
    cpt_assign_result *r = NULL;
    assert_int_equal(cpt_assign_solve(&t.doctors, &t.patients, &t.cfg, &ap,
                                      &r, &dg),
                     CPT_OK);
    assert_float_equal(r->objective, br.best, 1e-4 * fmax(1, fabs(br.best)));
    for (size_t p = 0; p < t.patients.n; p++)
      assert_true(r->doctor_of[p] != 0); /* nobody to the leaving doctor */
    cpt_assign_result_free(r);
    cpt_diags_free(&dg);
  }
}

/* repair is a heuristic with a proven bound: on tiny instances with
 * households its plan passes the independent checker, its objective is at
 * most the brute-force optimum and its bound at least that optimum. */
static void test_repair_is_feasible_and_brackets_the_optimum(void **state) {
  (void)state;
  size_t gaps = 0;
  for (uint64_t seed = 1; seed <= 400; seed++) {
    cpt_tiny t;
    cpt_tiny_generate(&t, seed * 104729, true);
    cpt_brute_result br;
    char why[512];
    assert_int_equal(cpt_brute_assign(&t.doctors, &t.patients, &t.cfg,
                                      t.leaving, t.n_leaving, &br, why,
                                      sizeof why),
                     0);
    cpt_assign_params ap;
    cpt_assign_params_init(&ap);
    ap.method = CPT_METHOD_REPAIR;
    ap.leaving = t.leaving;
    ap.n_leaving = t.n_leaving;
    cpt_diags dg;
    cpt_diags_init(&dg);
    cpt_assign_result *r = NULL;
    assert_int_equal(cpt_assign_solve(&t.doctors, &t.patients, &t.cfg, &ap,
                                      &r, &dg),
                     CPT_OK);
    double obj;
    if (cpt_check_assign(&t.doctors, &t.patients, &t.cfg, t.leaving,
                         t.n_leaving, r->doctor_of, &obj, why, sizeof why) != 0)
      fail_msg("seed %d: repair plan infeasible: %s", (int)seed, why);
    double tol = 1e-4 * fmax(1, fabs(br.best));
    assert_float_equal(obj, r->objective, tol);
    assert_true(r->objective <= br.best + tol);
    assert_true(r->bound >= br.best - tol);
    if (r->objective < br.best - tol) gaps++;
    if (r->status == CPT_SOLVE_OPTIMAL)
      assert_float_equal(r->objective, br.best, tol);
    cpt_assign_result_free(r);
    cpt_diags_free(&dg);
  }
  /* the heuristic is not always optimal, or this test would prove little */
  print_message("repair below the optimum on %zu of 400 instances\n", gaps);
}

/* A medium random territory: nd doctors (some with max_new), np patients
 * in households or alone. */
typedef struct inst {
  cpt_doctor dv[12];
  cpt_patient pv[400];
  char ids[412][16], hh[400][16];
  cpt_doctors D;
  cpt_patients P;
  cpt_config cfg;
} inst;

static void make_inst(inst *x, uint64_t seed, bool households) {
  memset(x, 0, sizeof *x);
  uint64_t s = seed;
#define U() ((double)(cpt_test_splitmix64(&s) >> 11) / 9007199254740992.0)
  for (int d = 0; d < 12; d++) {
    cpt_doctor *doc = &x->dv[d];
    snprintf(x->ids[d], 16, "D%02d", d);
    doc->id = x->ids[d];
    doc->loc = (cpt_loc){48 + 0.2 * U(), 6 + 0.3 * U(), -1, true};
    doc->capacity = 1000;
    doc->current = 960 + (int32_t)(U() * 40);
    doc->max_new = U() < 0.3 ? (int32_t)(U() * 6) : -1;
    doc->children = U() < 0.9;
    doc->home_visits = true;
  }
  for (int p = 0; p < 400; p++) {
    cpt_patient *pt = &x->pv[p];
    snprintf(x->ids[12 + p], 16, "P%03d", p);
    pt->id = x->ids[12 + p];
    pt->loc = (cpt_loc){48 + 0.2 * U(), 6 + 0.3 * U(), -1, true};
    pt->age = (int32_t)(U() * 95);
    pt->ald = U() < 0.2;
    pt->precarity = U() < 0.1;
    pt->max_km = NAN;
    if (households && p % 5 != 4) {
      snprintf(x->hh[p], 16, "H%d", p / 5);
      pt->household = x->hh[p];
      if (p % 5) pt->loc = x->pv[p - 1].loc;
    }
  }
#undef U
  x->D = (cpt_doctors){.v = x->dv, .n = 12};
  x->P = (cpt_patients){.v = x->pv, .n = 400};
  cpt_config_init(&x->cfg);
}

static void test_waves_respect_per_wave_limits_and_keep_households(
    void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 12; seed++) {
    static inst x;
    make_inst(&x, seed, seed % 2 == 0);
    cpt_assign_params ap;
    cpt_assign_params_init(&ap);
    ap.waves = 3;
    ap.max_new_per_wave = 4;
    cpt_diags dg;
    cpt_diags_init(&dg);
    cpt_assign_result *r = NULL;
    assert_int_equal(cpt_assign_solve(&x.D, &x.P, &x.cfg, &ap, &r, &dg),
                     CPT_OK);
    int used[12][4] = {{0}};
    size_t placed = 0;
    for (size_t p = 0; p < 400; p++) {
      int32_t d = r->doctor_of[p];
      if (d < 0) {
        assert_int_equal(r->wave[p], 0);
        continue;
      }
      placed++;
      assert_in_range(r->wave[p], 1, 3);
      used[d][r->wave[p]]++;
    }
    assert_true(placed > 0);
    for (int d = 0; d < 12; d++) {
      int per = 4;
      if (x.dv[d].max_new >= 0 && x.dv[d].max_new < per) per = x.dv[d].max_new;
      int total = 0;
      for (int w = 1; w <= 3; w++) {
        assert_true(used[d][w] <= per);
        total += used[d][w];
      }
      if (total > x.dv[d].capacity - x.dv[d].current)
        fail_msg("seed %d doctor %d: %d new > room %d (method %s, per %d)",
                 (int)seed, d, total, x.dv[d].capacity - x.dv[d].current,
                 cpt_assign_method_name(r->method), per);
    }
    /* households: one doctor, one wave */
    for (size_t p = 1; p < 400; p++)
      if (x.pv[p].household && x.pv[p - 1].household &&
          !strcmp(x.pv[p].household, x.pv[p - 1].household)) {
        assert_int_equal(r->doctor_of[p], r->doctor_of[p - 1]);
        assert_int_equal(r->wave[p], r->wave[p - 1]);
      }
    /* without households: a doctor's higher-priority patients come first */
    if (seed % 2) {
      for (int d = 0; d < 12; d++)
        for (int w = 1; w < 3; w++) {
          double min_w = INFINITY, max_next = -INFINITY;
          for (size_t p = 0; p < 400; p++) {
            if (r->doctor_of[p] != d) continue;
            if (r->wave[p] == w && r->priority[p] < min_w) min_w = r->priority[p];
            if (r->wave[p] == w + 1 && r->priority[p] > max_next)
              max_next = r->priority[p];
          }
          assert_true(max_next <= min_w);
        }
    }
    cpt_assign_result_free(r);
    cpt_diags_free(&dg);
  }
}

static void test_one_wave_equals_plain_solve(void **state) {
  (void)state;
  static inst x;
  make_inst(&x, 99, false);
  cpt_assign_params ap;
  cpt_assign_params_init(&ap);
  cpt_diags dg;
  cpt_diags_init(&dg);
  cpt_assign_result *a = NULL, *b = NULL;
  assert_int_equal(cpt_assign_solve(&x.D, &x.P, &x.cfg, &ap, &a, &dg), CPT_OK);
  ap.waves = 1;
  ap.proposals = 3;
  assert_int_equal(cpt_assign_solve(&x.D, &x.P, &x.cfg, &ap, &b, &dg), CPT_OK);
  assert_memory_equal(a->doctor_of, b->doctor_of, 400 * sizeof *a->doctor_of);
  assert_float_equal(a->objective, b->objective, 1e-9);
  cpt_assign_result_free(a);
  cpt_assign_result_free(b);
  cpt_diags_free(&dg);
}

static void test_alternatives_are_eligible_ranked_and_have_room(void **state) {
  (void)state;
  static inst x;
  make_inst(&x, 5, false);
  for (int d = 0; d < 12; d++) x.dv[d].current -= 30; /* room to spare */
  cpt_assign_params ap;
  cpt_assign_params_init(&ap);
  ap.proposals = 3;
  cpt_diags dg;
  cpt_diags_init(&dg);
  cpt_assign_result *r = NULL;
  assert_int_equal(cpt_assign_solve(&x.D, &x.P, &x.cfg, &ap, &r, &dg), CPT_OK);
  assert_int_equal(r->n_alt, 2);
  size_t with_alt = 0;
  for (size_t p = 0; p < 400; p++) {
    int32_t d = r->doctor_of[p];
    double prev_value = INFINITY;
    for (int i = 0; i < 2; i++) {
      int32_t a = r->alt[p * 2 + (size_t)i];
      if (d < 0) {
        assert_int_equal(a, -1);
        continue;
      }
      if (a < 0) continue;
      with_alt++;
      assert_int_not_equal(a, d);
      if (i == 1) assert_int_not_equal(a, r->alt[p * 2]);
      double dist = cpt_dist_km(&x.pv[p].loc, &x.dv[a].loc, x.cfg.assign_detour,
                                x.cfg.assign_intra_commune_km);
      assert_float_equal(r->alt_km[p * 2 + (size_t)i], dist, 1e-9);
      assert_true(dist <= x.cfg.assign_max_km);
      if (x.pv[p].age < 16) assert_true(x.dv[a].children);
      assert_true(r->room[a] - r->new_load[a] >= 1);
      double value = r->priority[p] - x.cfg.assign_cost_per_km * dist;
      assert_true(value <= prev_value + 1e-9);
      prev_value = value;
    }
  }
  assert_true(with_alt > 100);
  cpt_assign_result_free(r);
  cpt_diags_free(&dg);
}

/* ---- the command ---------------------------------------------------- */

static char dir[64];

static int run(const char *first, ...) {
  char *argv[32];
  static char store[32][256];
  int argc = 0;
  argv[argc++] = "depart";
  va_list ap;
  va_start(ap, first);
  for (const char *a = first; a; a = va_arg(ap, const char *)) {
    if (a[0] == '@')
      snprintf(store[argc], sizeof store[argc], "%s/%s", dir, a + 1);
    else
      snprintf(store[argc], sizeof store[argc], "%s", a);
    argv[argc] = store[argc];
    argc++;
  }
  va_end(ap);
  argv[argc] = NULL;
  return cpt_cmd_depart(argc, argv);
}

static char *slurp(const char *name) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "rb");
  if (!f) return NULL;
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static void put(const char *name, const char *text) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void test_depart_places_only_the_leaving_doctors_patients(void **state) {
  (void)state;
  put("d.csv", "id,lat,lon,site,capacity,current\n"
               "DA,48.10,6.40,S1,1000,900\n"
               "DB,48.11,6.41,S1,1000,990\n"
               "DC,48.12,6.42,S2,1000,995\n");
  put("p.csv", "id,lat,lon,age,ald,prev_doctor\n"
               "P1,48.10,6.40,40,0,DA\n"
               "P2,48.10,6.40,80,1,DA\n"
               "P3,48.10,6.40,30,0,DB\n"   /* not DA's: not placed here */
               "P4,48.10,6.40,50,0,\n");
  assert_int_equal(run("--doctors", "@d.csv", "--patients", "@p.csv",
                       "--leaving", "DA", "--out", "@o.csv", "--report",
                       "@r.json", "--proposals", "2", "--quiet", NULL),
                   0);
  char *o = slurp("o.csv");
  assert_non_null(o);
  assert_non_null(strstr(o, "patient,doctor,distance_km,reason,alt_1,alt_1_km\n"));
  assert_non_null(strstr(o, "P1,DB,"));   /* same site as DA: the bonus */
  assert_non_null(strstr(o, "P2,DB,"));
  assert_null(strstr(o, "P3,"));
  assert_null(strstr(o, "P4,"));
  char *rep = slurp("r.json");
  assert_non_null(strstr(rep, "\"aci_indicators\""));
  assert_non_null(strstr(rep, "\"leaving\""));
}

static void test_depart_usage_errors_exit_2(void **state) {
  (void)state;
  put("d.csv", "id,lat,lon,capacity,current\nDA,48.1,6.4,10,5\n");
  put("p.csv", "id,lat,lon,age,prev_doctor\nP1,48.1,6.4,40,DA\n");
  assert_int_equal(run("--doctors", "@d.csv", "--patients", "@p.csv",
                       "--quiet", NULL),
                   2); /* no --leaving */
  assert_int_equal(run("--doctors", "@d.csv", "--patients", "@p.csv",
                       "--leaving", "NOPE", "--quiet", NULL),
                   2); /* unknown id */
  assert_int_equal(run("--doctors", "@d.csv", "--patients", "@p.csv",
                       "--leaving", "DA", "--waves", "0", "--quiet", NULL),
                   2);
  char *argv[] = {"assign", "--doctors", "x", "--patients", "y", "--waves",
                  "2", NULL};
  assert_int_equal(cpt_cmd_assign(7, argv), 2); /* depart-only option */
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/cptsopt-depart-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_departure_matches_bruteforce),
      cmocka_unit_test(test_repair_is_feasible_and_brackets_the_optimum),
      cmocka_unit_test(test_waves_respect_per_wave_limits_and_keep_households),
      cmocka_unit_test(test_one_wave_equals_plain_solve),
      cmocka_unit_test(test_alternatives_are_eligible_ranked_and_have_room),
      cmocka_unit_test(test_depart_places_only_the_leaving_doctors_patients),
      cmocka_unit_test(test_depart_usage_errors_exit_2),
  };
  return cmocka_run_group_tests_name("depart", tests, setup, teardown);
}
