/*
 * test_territory.c — territory resolution (territory.h): départements,
 * INSEE lists, mixes, unknown codes named one by one, the arrondissements
 * municipaux of Paris/Lyon/Marseille never counted twice, and bundled
 * territory files (tests/data/territories/).  Most tests use a small table
 * given inline; two use the bundled communes table.  Run from the
 * repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../models/territory.h"

#define TDIR "tests/data/territories"
#define BUNDLED "datasets/communes/communes.csv"

static const char table[] =
    "insee,name,dep,population,lat,lon\n"
    "75056,Paris,75,2100000,48.8566,2.3522\n"
    "75101,Paris 1er Arrondissement,75,15000,48.8623,2.3364\n"
    "75120,Paris 20e Arrondissement,75,190000,48.8634,2.4015\n"
    "69123,Lyon,69,520000,45.7640,4.8357\n"
    "69387,Lyon 7e Arrondissement,69,88000,45.7456,4.8400\n"
    "69259,Vénissieux,69,66000,45.6975,4.8867\n"
    "88160,Épinal,88,31000,48.1725,6.4497\n"
    "88413,Saint-Dié-des-Vosges,88,19500,48.2853,6.9492\n"
    "88001,Les Ableuvenettes,88,80,48.1968,6.1899\n"
    "2A004,Ajaccio,2A,73000,41.9192,8.7386\n"
    "2A041,Bocognano,2A,400,42.0767,9.0594\n";

typedef struct fixture {
  cpt_communes *c;
  cpt_diags d;
} fixture;

static int setup(void **state) {
  static fixture f;
  cpt_diags_init(&f.d);
  if (cpt_communes_parse("inline", table, sizeof table - 1, &f.c, &f.d) !=
      CPT_OK)
    return -1;
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  cpt_communes_free(f->c);
  cpt_diags_free(&f->d);
  return 0;
}

/* Resolve and return the INSEE codes, joined by spaces. */
static cpt_territory *resolve(fixture *f, const char *spec, char *codes,
                              size_t size) {
  cpt_diags_free(&f->d);
  cpt_diags_init(&f->d);
  cpt_territory *t = NULL;
  cpt_status st = cpt_territory_resolve(spec, f->c, TDIR, &t, &f->d);
  codes[0] = '\0';
  if (st != CPT_OK)
    return NULL;
  size_t len = 0;
  for (size_t i = 0; i < t->n; i++)
    len += (size_t)snprintf(codes + len, size - len, "%s%s", i ? " " : "",
                            cpt_communes_get(f->c, t->communes[i])->insee);
  return t;
}

static bool diags_mention(const cpt_diags *d, const char *text) {
  for (size_t i = 0; i < d->n; i++)
    if (strstr(d->v[i].msg, text))
      return true;
  return false;
}

static void test_departement_code_selects_all_its_communes(void **state) {
  fixture *f = *state;
  char codes[256];
  cpt_territory *t = resolve(f, "88", codes, sizeof codes);
  assert_non_null(t);
  assert_string_equal(codes, "88001 88160 88413");
  assert_int_equal(t->population, 80 + 31000 + 19500);
  assert_string_equal(t->name, "88");
  cpt_territory_free(t);
  t = resolve(f, "2a", codes, sizeof codes); /* any case */
  assert_non_null(t);
  assert_string_equal(codes, "2A004 2A041");
  cpt_territory_free(t);
}

static void test_insee_list_selects_exactly_those_communes(void **state) {
  fixture *f = *state;
  char codes[256];
  cpt_territory *t = resolve(f, "88413,2A004,88413", codes, sizeof codes);
  assert_non_null(t);
  assert_string_equal(codes, "2A004 88413"); /* ascending, no duplicate */
  assert_int_equal(t->population, 73000 + 19500);
  cpt_territory_free(t);
}

static void test_mixed_spec_unions_departements_and_communes(void **state) {
  fixture *f = *state;
  char codes[256];
  cpt_territory *t = resolve(f, " 2A , 88160,88 ", codes, sizeof codes);
  assert_non_null(t);
  assert_string_equal(codes, "2A004 2A041 88001 88160 88413");
  assert_int_equal(f->d.n_errors + f->d.n_warnings, 0);
  cpt_territory_free(t);
}

static void test_unknown_codes_are_errors_naming_each_one(void **state) {
  fixture *f = *state;
  cpt_territory *t = (cpt_territory *)1;
  cpt_status st = cpt_territory_resolve("88,99,88999,no-such-place,123", f->c,
                                        TDIR, &t, &f->d);
  assert_int_equal(st, CPT_EINPUT);
  assert_null(t);
  assert_int_equal(f->d.n_errors, 4);
  assert_true(diags_mention(&f->d, "\"99\""));
  assert_true(diags_mention(&f->d, "\"88999\""));
  assert_true(diags_mention(&f->d, "\"no-such-place\""));
  assert_true(diags_mention(&f->d, "\"123\""));
  assert_string_equal(f->d.v[0].file, "territory");
  cpt_diags_free(&f->d);
  cpt_diags_init(&f->d);
  assert_int_equal(cpt_territory_resolve("", f->c, TDIR, &t, &f->d),
                   CPT_EINPUT);
  assert_null(t);
}

static void test_france_drops_arrondissements_of_cities_present(void **state) {
  fixture *f = *state;
  char codes[256];
  cpt_territory *t = resolve(f, "France", codes, sizeof codes);
  assert_non_null(t);
  assert_string_equal(codes, "2A004 2A041 69123 69259 75056 88001 88160 "
                             "88413");
  assert_int_equal(t->population,
                   2100000 + 520000 + 66000 + 31000 + 19500 + 80 + 73000 + 400);
  cpt_territory_free(t);
  t = resolve(f, "75", codes, sizeof codes);
  assert_non_null(t);
  assert_string_equal(codes, "75056");
  cpt_territory_free(t);
}

static void test_explicit_arrondissement_is_kept(void **state) {
  fixture *f = *state;
  char codes[256];
  cpt_territory *t = resolve(f, "69387", codes, sizeof codes);
  assert_non_null(t);
  assert_string_equal(codes, "69387");
  assert_int_equal(t->population, 88000);
  assert_int_equal(f->d.n_warnings, 0);
  cpt_territory_free(t);
  /* with its city as well: both kept, with a warning naming both */
  t = resolve(f, "69,69387", codes, sizeof codes);
  assert_non_null(t);
  assert_string_equal(codes, "69123 69259 69387");
  assert_int_equal(f->d.n_warnings, 1);
  assert_true(diags_mention(&f->d, "69387"));
  assert_true(diags_mention(&f->d, "69123"));
  cpt_territory_free(t);
}

static void test_arrondissement_city_lookup(void **state) {
  fixture *f = *state;
  int32_t paris = cpt_communes_find(f->c, "75056");
  assert_int_equal(
      cpt_territory_arrondissement_city(f->c, cpt_communes_find(f->c, "75120")),
      paris);
  assert_int_equal(cpt_territory_arrondissement_city(f->c, paris), -1);
  assert_int_equal(
      cpt_territory_arrondissement_city(f->c, cpt_communes_find(f->c, "2A004")),
      -1);
}

static void test_bundled_json_territory_resolves(void **state) {
  fixture *f = *state;
  char codes[256];
  cpt_territory *t = resolve(f, "test-cpts", codes, sizeof codes);
  assert_non_null(t);
  assert_string_equal(t->name, "CPTS de test");
  assert_string_equal(codes, "2A004 2A041 69387 88160 88413");
  assert_int_equal(f->d.n_errors + f->d.n_warnings, 0);
  cpt_territory_free(t);
  /* mixed with other items, the display name is the spec */
  t = resolve(f, "test-cpts,88001", codes, sizeof codes);
  assert_non_null(t);
  assert_string_equal(t->name, "test-cpts,88001");
  assert_string_equal(codes, "2A004 2A041 69387 88001 88160 88413");
  cpt_territory_free(t);
}

static void test_bundled_json_errors_name_file_line_and_code(void **state) {
  fixture *f = *state;
  char codes[256];
  assert_null(resolve(f, "bad-codes", codes, sizeof codes));
  assert_int_equal(f->d.n_errors, 2);
  assert_string_equal(f->d.v[0].file, TDIR "/bad-codes.json");
  assert_true(diags_mention(&f->d, "\"99\""));
  assert_true(diags_mention(&f->d, "\"88999\""));
  assert_int_equal(f->d.v[0].line, 4);
  assert_int_equal(f->d.v[1].line, 6);
}

/* A reproducer of tests/fuzz/fuzz_territory.c: a code holding control
 * characters is echoed with '?' in their place. */
static void test_bundled_json_control_characters_are_not_echoed(
    void **state) {
  fixture *f = *state;
  char codes[256];
  assert_null(resolve(f, "control-chars", codes, sizeof codes));
  assert_int_equal(f->d.n_errors, 1);
  assert_int_equal(f->d.v[0].line, 4);
  assert_string_equal(f->d.v[0].msg, "unknown INSEE commune code \"88?[2J\"");
}

static void test_contains_finds_members_only(void **state) {
  fixture *f = *state;
  char codes[256];
  cpt_territory *t = resolve(f, "88,75056", codes, sizeof codes);
  assert_non_null(t);
  for (size_t i = 0; i < cpt_communes_count(f->c); i++) {
    const cpt_commune *m = cpt_communes_get(f->c, (int32_t)i);
    bool want = !strcmp(m->dep, "88") || !strcmp(m->insee, "75056");
    assert_int_equal(cpt_territory_contains(t, (int32_t)i), want);
  }
  assert_false(cpt_territory_contains(t, -1));
  cpt_territory_free(t);
  assert_false(cpt_territory_contains(NULL, 0));
  cpt_territory_free(NULL);
}

static void
test_bundled_table_france_counts_each_inhabitant_once(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = NULL;
  assert_int_equal(cpt_communes_load(BUNDLED, &c, &d), CPT_OK);
  cpt_territory *t = NULL;
  assert_int_equal(cpt_territory_resolve("france", c, NULL, &t, &d), CPT_OK);
  assert_int_equal(t->n, 34875); /* 34,920 rows − 45 arrondissements */
  assert_int_equal(t->population, 68350798);
  cpt_territory_free(t);
  assert_int_equal(cpt_territory_resolve("69,13", c, NULL, &t, &d), CPT_OK);
  for (size_t i = 0; i < t->n; i++) {
    const char *code = cpt_communes_get(c, t->communes[i])->insee;
    assert_true(strncmp(code, "6938", 4) && strncmp(code, "132", 3));
  }
  cpt_territory_free(t);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_departement_code_selects_all_its_communes),
      cmocka_unit_test(test_insee_list_selects_exactly_those_communes),
      cmocka_unit_test(test_mixed_spec_unions_departements_and_communes),
      cmocka_unit_test(test_unknown_codes_are_errors_naming_each_one),
      cmocka_unit_test(test_france_drops_arrondissements_of_cities_present),
      cmocka_unit_test(test_explicit_arrondissement_is_kept),
      cmocka_unit_test(test_arrondissement_city_lookup),
      cmocka_unit_test(test_bundled_json_territory_resolves),
      cmocka_unit_test(test_bundled_json_errors_name_file_line_and_code),
      cmocka_unit_test(test_bundled_json_control_characters_are_not_echoed),
      cmocka_unit_test(test_contains_finds_members_only),
      cmocka_unit_test(test_bundled_table_france_counts_each_inhabitant_once),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
