/*
 * test_communes.c — the communes reference table (communes.h): loading,
 * sorted lookup by INSEE code, unknown columns ignored silently, and the
 * malformed tables of tests/data/malformed/communes/ (duplicate codes,
 * unparsable coordinates, missing columns), each with its exact
 * FILE:LINE:COL.  Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../models/communes.h"

#define SMALL "tests/data/communes_small.csv"
#define BAD "tests/data/malformed/communes/"

static void test_small_table_loads_every_commune(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = NULL;
  assert_int_equal(cpt_communes_load(SMALL, &c, &d), CPT_OK);
  assert_int_equal(d.n_errors + d.n_warnings, 0);
  assert_int_equal(cpt_communes_count(c), 6);
  static const struct {
    const char *insee, *name, *dep;
    double lat, lon;
  } want[] = {
      {"88160", "\xC3\x89pinal", "88", 48.1725, 6.4497},
      {"88413", "Saint-Di\xC3\xA9-des-Vosges", "88", 48.2853, 6.9492},
      {"75056", "Paris", "75", 48.8566, 2.3522},
      {"2A004", "Ajaccio", "2A", 41.9192, 8.7386},
      {"01001", "L'Abergement-Cl\xC3\xA9menciat", "01", 46.1534, 4.9261},
      {"69123", "Lyon", "69", 45.7640, 4.8357},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    int32_t k = cpt_communes_find(c, want[i].insee);
    assert_true(k >= 0);
    const cpt_commune *m = cpt_communes_get(c, k);
    assert_non_null(m);
    assert_string_equal(m->insee, want[i].insee);
    assert_string_equal(m->name, want[i].name);
    assert_string_equal(m->dep, want[i].dep);
    assert_float_equal(m->lat, want[i].lat, 1e-12);
    assert_float_equal(m->lon, want[i].lon, 1e-12);
    assert_true(m->population > 0);
  }
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_table_is_sorted_by_code(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = NULL;
  assert_int_equal(cpt_communes_load(SMALL, &c, &d), CPT_OK);
  for (size_t i = 1; i < cpt_communes_count(c); i++)
    assert_true(strcmp(cpt_communes_get(c, (int32_t)i - 1)->insee,
                       cpt_communes_get(c, (int32_t)i)->insee) < 0);
  assert_int_equal(cpt_communes_find(c, "01001"), 0);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_unknown_codes_and_indices_are_not_found(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = NULL;
  assert_int_equal(cpt_communes_load(SMALL, &c, &d), CPT_OK);
  assert_int_equal(cpt_communes_find(c, "99999"), -1);
  assert_int_equal(cpt_communes_find(c, "00000"), -1);
  assert_int_equal(cpt_communes_find(c, "ZZZZZ"), -1);
  assert_int_equal(cpt_communes_find(c, ""), -1);
  assert_int_equal(cpt_communes_find(c, NULL), -1);
  assert_int_equal(cpt_communes_find(NULL, "88160"), -1);
  assert_null(cpt_communes_get(c, -1));
  assert_null(cpt_communes_get(c, 6));
  assert_int_equal(cpt_communes_count(NULL), 0);
  cpt_communes_free(c);
  cpt_communes_free(NULL);
  cpt_diags_free(&d);
}

static void test_extra_columns_are_ignored_silently(void **state) {
  (void)state;
  const char buf[] = "region;LAT;lon;insee;nom_long\r\n"
                     "Grand Est;48,1725;6,4497;88160;x\r\n";
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = NULL;
  assert_int_equal(cpt_communes_parse("c.csv", buf, sizeof buf - 1, &c, &d),
                   CPT_OK);
  assert_int_equal(d.n_errors + d.n_warnings, 0);
  assert_int_equal(cpt_communes_count(c), 1);
  const cpt_commune *m = cpt_communes_get(c, cpt_communes_find(c, "88160"));
  assert_float_equal(m->lat, 48.1725, 1e-12);
  assert_string_equal(m->name, "");
  assert_int_equal(m->population, 0);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_header_only_table_is_empty(void **state) {
  (void)state;
  const char buf[] = "insee,name,dep,population,lat,lon\n";
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = NULL;
  assert_int_equal(cpt_communes_parse("c.csv", buf, sizeof buf - 1, &c, &d),
                   CPT_OK);
  assert_int_equal(cpt_communes_count(c), 0);
  assert_int_equal(cpt_communes_find(c, "88160"), -1);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

typedef struct bad_case {
  const char *name;
  long line, col;
  const char *phrase;
} bad_case;

static const bad_case bad_cases[] = {
    {"duplicate_code", 4, 1,
     "column 'insee': duplicate value (first seen at line 2)"},
    {"bad_lat", 2, 5,
     "column 'lat': expected a number from -90 to 90, got \"48.17x\""},
    {"empty_lon", 2, 6, "column 'lon': expected a number from -180 to 180, "
                        "got an empty field"},
    {"missing_lon_column", 1, 0,
     "missing column 'lon' (expected: insee, name, dep, population, lat, "
     "lon)"},
    {"bad_insee_code", 2, 1,
     "column 'insee': expected an INSEE code of 5 characters"},
};

static void run_bad_case(void **state) {
  const bad_case *bc = *state;
  char path[256];
  snprintf(path, sizeof path, BAD "%s.csv", bc->name);
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = (cpt_communes *)&d; /* must be reset to NULL */
  cpt_status st = cpt_communes_load(path, &c, &d);
  assert_null(c);
  if (st != CPT_EINPUT || d.n_errors != 1 || d.n < 1) {
    cpt_diags_print(&d, stderr);
    fail_msg("%s: status %d, %zu error(s); want CPT_EINPUT and 1", path,
             (int)st, d.n_errors);
  }
  const cpt_diag *e = &d.v[0];
  if (!e->file || strcmp(e->file, path) != 0 || e->line != bc->line ||
      e->col != bc->col || !strstr(e->msg, bc->phrase)) {
    char buf[1400];
    fail_msg("got  %s\nwant %s:%ld:%ld: ... %s",
             cpt_diag_format(e, buf, sizeof buf), path, bc->line, bc->col,
             bc->phrase);
  }
  cpt_diags_free(&d);
}

int main(void) {
  static const struct CMUnitTest fixed[] = {
      cmocka_unit_test(test_small_table_loads_every_commune),
      cmocka_unit_test(test_table_is_sorted_by_code),
      cmocka_unit_test(test_unknown_codes_and_indices_are_not_found),
      cmocka_unit_test(test_extra_columns_are_ignored_silently),
      cmocka_unit_test(test_header_only_table_is_empty),
  };
  enum {
    N_FIXED = sizeof fixed / sizeof fixed[0],
    N_BAD = sizeof bad_cases / sizeof bad_cases[0]
  };
  struct CMUnitTest tests[N_FIXED + N_BAD];
  char names[N_BAD][96];
  memcpy(tests, fixed, sizeof fixed);
  for (size_t i = 0; i < N_BAD; i++) {
    snprintf(names[i], sizeof names[i], "malformed_communes_%s",
             bad_cases[i].name);
    tests[N_FIXED + i] = (struct CMUnitTest){
        names[i], run_bad_case, NULL, NULL, (void *)&bad_cases[i]};
  }
  return _cmocka_run_group_tests("communes", tests, N_FIXED + N_BAD, NULL,
                                 NULL);
}
