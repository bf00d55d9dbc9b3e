/*
 * test_communes_table.c — the bundled data, not the code: the real
 * datasets/communes/communes.csv loaded through cpt_communes_load, and every
 * bundled territory file datasets/territories/NAME.json.
 *
 * Table: every row loads (no duplicate code, none dropped), the file itself
 * is sorted, every département is present, the population total matches the
 * source package, the arrondissements municipaux add up to their city,
 * coordinates lie inside France (metropole and each DROM) and a few known
 * places are where they should be.
 *
 * Territories: read with cJSON directly (independent of the territory
 * resolver), each file must be valid JSON with the keys of models/territory.h,
 * name only codes of the table, have its stated number of communes and a
 * population (computed from the table) within ±25 % of "population_stated".
 *
 * Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../models/communes.h"

#define TABLE "datasets/communes/communes.csv"
#define TERRITORIES "datasets/territories"

/* Population municipale of the 34,875 communes of type "commune-actuelle"
 * of metropolitan France and the five DROM (départements 971, 972, 973, 974,
 * 976), summed once from data/communes.json of the npm package
 * @etalab/decoupage-administratif 6.0.0 (the source of communes.csv).  Over
 * every "commune-actuelle" of the package, collectivités d'outre-mer included
 * (left out of the table, see ATTRIBUTION.md), the sum is 68,952,941. */
#define PACKAGE_POPULATION_METRO_DROM INT64_C(68350798)

static cpt_communes *table;

static int load_table(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_status st = cpt_communes_load(TABLE, &table, &d);
  if (st != CPT_OK || d.n_errors) cpt_diags_print(&d, stderr);
  cpt_diags_free(&d);
  return st == CPT_OK && table ? 0 : -1;
}

static int free_table(void **state) {
  (void)state;
  cpt_communes_free(table);
  table = NULL;
  return 0;
}

static const cpt_commune *at(size_t i) {
  return cpt_communes_get(table, (int32_t)i);
}

/* Arrondissements municipaux of Paris, Lyon and Marseille: their population
 * is already counted in their city's (75056, 69123, 13055). */
static bool is_arrondissement(const char *insee) {
  long k = strtol(insee, NULL, 10);
  if (strspn(insee, "0123456789") != 5) return false;
  return (k >= 75101 && k <= 75120) || (k >= 69381 && k <= 69389) ||
         (k >= 13201 && k <= 13216);
}

static double haversine_km(double lat1, double lon1, double lat2, double lon2) {
  const double rad = 3.14159265358979323846 / 180.0;
  double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
  double h = sin(dlat / 2) * sin(dlat / 2) +
             cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
  return 2 * 6371.0 * asin(sqrt(h));
}

/* ---------------------------------------------------------------- table */

static void test_real_table_loads_every_row_without_diagnostics(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = NULL;
  assert_int_equal(cpt_communes_load(TABLE, &c, &d), CPT_OK);
  assert_int_equal(d.n_errors, 0); /* a duplicate code would be an error */
  assert_int_equal(d.n_warnings, 0);
  /* Every data row of the file is in the table. */
  FILE *f = fopen(TABLE, "r");
  assert_non_null(f);
  char line[512];
  size_t rows = 0;
  while (fgets(line, sizeof line, f)) rows++;
  fclose(f);
  assert_true(rows > 1);
  assert_int_equal(cpt_communes_count(c), rows - 1);
  assert_true(cpt_communes_count(c) > 34000);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_real_table_file_is_sorted_by_code_without_repeats(
    void **state) {
  (void)state;
  FILE *f = fopen(TABLE, "r");
  assert_non_null(f);
  char line[512], prev[16] = "", code[16];
  assert_non_null(fgets(line, sizeof line, f));
  assert_int_equal(strncmp(line, "insee,", 6), 0);
  size_t n = 0;
  while (fgets(line, sizeof line, f)) {
    size_t len = strcspn(line, ",");
    assert_int_equal(len, 5);
    memcpy(code, line, len);
    code[len] = '\0';
    if (n++) assert_true(strcmp(prev, code) < 0); /* byte order, strict */
    memcpy(prev, code, sizeof code);
  }
  fclose(f);
  assert_true(n > 34000);
}

static void test_every_code_is_found_at_its_own_index(void **state) {
  (void)state;
  size_t n = cpt_communes_count(table);
  for (size_t i = 0; i < n; i++) {
    if (i) assert_true(strcmp(at(i - 1)->insee, at(i)->insee) < 0);
    assert_int_equal(cpt_communes_find(table, at(i)->insee), (int32_t)i);
  }
}

static void test_every_departement_is_present_and_no_other(void **state) {
  (void)state;
  /* 01–95 with 2A/2B instead of 20, then the five DROM. */
  char deps[101][4];
  size_t nd = 0;
  for (int k = 1; k <= 95; k++) {
    if (k == 20) {
      strcpy(deps[nd++], "2A");
      strcpy(deps[nd++], "2B");
    } else {
      snprintf(deps[nd++], sizeof deps[0], "%02d", k);
    }
  }
  static const char *const drom[] = {"971", "972", "973", "974", "976"};
  for (size_t k = 0; k < 5; k++) strcpy(deps[nd++], drom[k]);
  assert_int_equal(nd, 101);

  size_t count[101] = {0};
  size_t n = cpt_communes_count(table);
  for (size_t i = 0; i < n; i++) {
    const cpt_commune *c = at(i);
    size_t k = 0;
    while (k < nd && strcmp(deps[k], c->dep) != 0) k++;
    if (k == nd)
      fail_msg("%s %s: unexpected département \"%s\"", c->insee, c->name,
               c->dep);
    count[k]++;
    /* The code starts with its département (3 characters for the DROM). */
    assert_int_equal(strncmp(c->insee, c->dep, strlen(c->dep)), 0);
  }
  for (size_t k = 0; k < nd; k++)
    if (count[k] == 0) fail_msg("département %s has no commune", deps[k]);
}

static void test_population_total_is_within_one_percent_of_the_package(
    void **state) {
  (void)state;
  int64_t total = 0;
  size_t zero = 0;
  size_t n = cpt_communes_count(table);
  for (size_t i = 0; i < n; i++) {
    const cpt_commune *c = at(i);
    assert_true(c->population >= 0);
    if (is_arrondissement(c->insee)) continue;
    total += c->population;
    if (c->population == 0) {
      /* Only the villages "morts pour la France" of Verdun (Meuse). */
      assert_string_equal(c->dep, "55");
      zero++;
    }
  }
  assert_true(zero <= 10);
  double rel = fabs((double)(total - PACKAGE_POPULATION_METRO_DROM)) /
               (double)PACKAGE_POPULATION_METRO_DROM;
  if (rel > 0.01)
    fail_msg("population total %lld, package %lld (%.2f%% apart)",
             (long long)total, (long long)PACKAGE_POPULATION_METRO_DROM,
             100 * rel);
}

static void test_arrondissements_add_up_to_their_city(void **state) {
  (void)state;
  static const struct {
    const char *city;
    long first, last;
  } cities[] = {{"75056", 75101, 75120},
                {"69123", 69381, 69389},
                {"13055", 13201, 13216}};
  for (size_t k = 0; k < 3; k++) {
    int32_t ci = cpt_communes_find(table, cities[k].city);
    assert_true(ci >= 0);
    int64_t sum = 0;
    for (long a = cities[k].first; a <= cities[k].last; a++) {
      char code[8];
      snprintf(code, sizeof code, "%ld", a);
      assert_true(is_arrondissement(code));
      int32_t ai = cpt_communes_find(table, code);
      if (ai < 0) fail_msg("arrondissement %s missing", code);
      sum += cpt_communes_get(table, ai)->population;
    }
    int64_t city = cpt_communes_get(table, ci)->population;
    assert_true(city > 0);
    assert_true(llabs((long long)(sum - city)) <= city / 100);
  }
  assert_false(is_arrondissement("75056"));
  assert_false(is_arrondissement("13200"));
  assert_false(is_arrondissement("2A004"));
}

static void test_coordinates_lie_inside_france(void **state) {
  (void)state;
  static const struct {
    const char *dep; /* NULL: metropole, Corsica included */
    double lat0, lat1, lon0, lon1;
  } box[] = {
      {NULL, 41.3, 51.2, -5.2, 9.6},
      {"971", 15.8, 16.6, -61.9, -60.9},   /* Guadeloupe */
      {"972", 14.3, 14.95, -61.3, -60.75}, /* Martinique */
      {"973", 2.0, 5.9, -54.7, -51.5},     /* Guyane */
      {"974", -21.45, -20.8, 55.15, 55.9}, /* La Réunion */
      {"976", -13.1, -12.55, 44.9, 45.35}, /* Mayotte */
  };
  size_t n = cpt_communes_count(table);
  for (size_t i = 0; i < n; i++) {
    const cpt_commune *c = at(i);
    size_t k = 0;
    if (strlen(c->dep) == 3)
      for (k = 1; k < 6 && strcmp(box[k].dep, c->dep) != 0; k++) continue;
    assert_true(k < 6);
    if (c->lat < box[k].lat0 || c->lat > box[k].lat1 || c->lon < box[k].lon0 ||
        c->lon > box[k].lon1)
      fail_msg("%s %s (dep %s) at %.5f,%.5f is outside its box", c->insee,
               c->name, c->dep, c->lat, c->lon);
  }
}

static void test_known_places_are_within_5_km_of_their_coordinates(
    void **state) {
  (void)state;
  static const struct {
    const char *insee, *name;
    double lat, lon;
  } known[] = {
      {"88160", "\xC3\x89pinal", 48.1725, 6.4497},
      {"69123", "Lyon", 45.7640, 4.8357},
      {"2A004", "Ajaccio", 41.9192, 8.7386},
      {"97411", "Saint-Denis", -20.8789, 55.4481},
  };
  for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
    int32_t i = cpt_communes_find(table, known[k].insee);
    assert_true(i >= 0);
    const cpt_commune *c = cpt_communes_get(table, i);
    assert_string_equal(c->name, known[k].name);
    double km = haversine_km(c->lat, c->lon, known[k].lat, known[k].lon);
    if (km > 5.0)
      fail_msg("%s %s is %.1f km from its known position", c->insee, c->name,
               km);
  }
}

/* ----------------------------------------------------------- territories */

/* Communes stated by each bundled territory's source (the CPTS sizes). */
static const struct {
  const char *file;
  size_t communes;
} stated_counts[] = {
    {"cpts-sud-tarn.json", 74},
    {"cpts-bas-armagnac.json", 64},
    {"cpts-entre-chataigne-et-micocoule.json", 33},
    {"cpts-conflent.json", 47},
    {"lyon-7e.json", 1},
};
/* Files that must be bundled (the others found are checked too). */
static const char *const required_files[] = {
    "cpts-sud-tarn.json",
    "cpts-bas-armagnac.json",
    "cpts-entre-chataigne-et-micocoule.json",
    "cpts-conflent.json",
    "vosges-rural.json",
    "lyon-7e.json",
    "bas-rhin.json",
    "vosges.json",
    "rhone.json"};

typedef struct {
  char file[256];
  cJSON *json;
} territory_file;

static int by_file(const void *a, const void *b) {
  return strcmp(((const territory_file *)a)->file,
                ((const territory_file *)b)->file);
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *b = realloc(buf, cap *= 2);
      if (!b) free(buf);
      buf = b;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

/* Every *.json of datasets/territories, parsed, sorted by file name; fails
 * the test on a file that is not valid JSON. */
static territory_file *read_territories(size_t *count) {
  DIR *dir = opendir(TERRITORIES);
  assert_non_null(dir);
  territory_file *v = calloc(64, sizeof *v);
  assert_non_null(v);
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0) continue;
    assert_true(n < 64 && len < sizeof v[n].file);
    memcpy(v[n].file, e->d_name, len + 1);
    char path[512];
    snprintf(path, sizeof path, TERRITORIES "/%s", e->d_name);
    size_t blen = 0;
    char *buf = slurp(path, &blen);
    if (!buf) fail_msg("%s: cannot read", path);
    const char *end = NULL;
    v[n].json = cJSON_ParseWithLengthOpts(buf, blen, &end, false);
    if (!v[n].json)
      fail_msg("%s: invalid JSON at byte %ld", path,
               end ? (long)(end - buf) : -1L);
    free(buf);
    n++;
  }
  closedir(dir);
  qsort(v, n, sizeof *v, by_file);
  *count = n;
  return v;
}

static void free_territories(territory_file *v, size_t n) {
  for (size_t i = 0; i < n; i++) cJSON_Delete(v[i].json);
  free(v);
}

static bool nonempty_string(const cJSON *o, const char *key) {
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(s) && s->valuestring[0] != '\0';
}

static bool departement_listed(const cJSON *deps, const char *dep) {
  const cJSON *d;
  cJSON_ArrayForEach(d, deps) if (strcmp(d->valuestring, dep) == 0) return true;
  return false;
}

/* Number of communes and population of a territory file, as the spec of
 * models/territory.h defines them: its listed communes plus every commune of
 * its départements (arrondissements municipaux not counted twice). */
static void territory_size(const territory_file *t, size_t *communes,
                           int64_t *population) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(t->json, "communes");
  const cJSON *deps = cJSON_GetObjectItemCaseSensitive(t->json, "departements");
  size_t n = 0;
  int64_t pop = 0;
  const cJSON *s;
  cJSON_ArrayForEach(s, list) {
    int32_t i = cpt_communes_find(table, s->valuestring);
    if (i < 0) fail_msg("%s: unknown INSEE code %s", t->file, s->valuestring);
    const cpt_commune *c = cpt_communes_get(table, i);
    if (deps && departement_listed(deps, c->dep))
      fail_msg("%s: %s is listed and in a listed département", t->file,
               c->insee);
    n++;
    pop += c->population;
  }
  if (deps) {
    size_t total = cpt_communes_count(table);
    for (size_t i = 0; i < total; i++) {
      const cpt_commune *c = at(i);
      if (is_arrondissement(c->insee) || !departement_listed(deps, c->dep))
        continue;
      n++;
      pop += c->population;
    }
  }
  *communes = n;
  *population = pop;
}

static void test_every_bundled_territory_has_the_required_keys(void **state) {
  (void)state;
  size_t n = 0;
  territory_file *v = read_territories(&n);
  for (size_t r = 0; r < sizeof required_files / sizeof required_files[0];
       r++) {
    territory_file key;
    snprintf(key.file, sizeof key.file, "%s", required_files[r]);
    if (!bsearch(&key, v, n, sizeof *v, by_file))
      fail_msg(TERRITORIES "/%s is missing", required_files[r]);
  }
  for (size_t i = 0; i < n; i++) {
    const char *f = v[i].file;
    const cJSON *o = v[i].json;
    /* File name: the command-line name, lowercase with dashes. */
    size_t stem = strlen(f) - 5;
    if (strspn(f, "abcdefghijklmnopqrstuvwxyz0123456789-") != stem)
      fail_msg("%s: file name is not lowercase with dashes", f);
    if (!cJSON_IsObject(o)) fail_msg("%s: not a JSON object", f);
    if (!nonempty_string(o, "name")) fail_msg("%s: no \"name\"", f);
    if (!nonempty_string(o, "source")) fail_msg("%s: no \"source\"", f);
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
    if (!cJSON_IsString(kind) ||
        (strcmp(kind->valuestring, "cpts") != 0 &&
         strcmp(kind->valuestring, "departement") != 0 &&
         strcmp(kind->valuestring, "zone") != 0))
      fail_msg("%s: \"kind\" must be cpts, departement or zone", f);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(o, "communes");
    const cJSON *deps = cJSON_GetObjectItemCaseSensitive(o, "departements");
    if (!list && !deps) fail_msg("%s: neither communes nor departements", f);
    if (list && (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0))
      fail_msg("%s: \"communes\" is not a non-empty array", f);
    if (deps && (!cJSON_IsArray(deps) || cJSON_GetArraySize(deps) == 0))
      fail_msg("%s: \"departements\" is not a non-empty array", f);
    const cJSON *s;
    cJSON_ArrayForEach(s, list) if (!cJSON_IsString(s))
        fail_msg("%s: a commune code is not a string", f);
    cJSON_ArrayForEach(s, deps) if (!cJSON_IsString(s))
        fail_msg("%s: a département code is not a string", f);
    if (strcmp(kind->valuestring, "departement") == 0 && !deps)
      fail_msg("%s: kind departement without \"departements\"", f);
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(o, "population_stated");
    if (ps && (!cJSON_IsNumber(ps) || ps->valuedouble <= 0))
      fail_msg("%s: \"population_stated\" is not a positive number", f);
    const cJSON *seat = cJSON_GetObjectItemCaseSensitive(o, "seat");
    if (seat && !cJSON_IsString(seat))
      fail_msg("%s: \"seat\" is not a string", f);
  }
  free_territories(v, n);
}

static void test_every_bundled_territory_code_is_in_the_table(void **state) {
  (void)state;
  size_t n = 0;
  territory_file *v = read_territories(&n);
  for (size_t i = 0; i < n; i++) {
    const char *f = v[i].file;
    const cJSON *o = v[i].json;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(o, "communes");
    const cJSON *deps = cJSON_GetObjectItemCaseSensitive(o, "departements");
    const cJSON *s;
    const char *prev = NULL;
    cJSON_ArrayForEach(s, list) {
      if (cpt_communes_find(table, s->valuestring) < 0)
        fail_msg("%s: unknown INSEE code \"%s\"", f, s->valuestring);
      /* Listed once each (written in ascending order). */
      if (prev && strcmp(prev, s->valuestring) >= 0)
        fail_msg("%s: \"%s\" after \"%s\": not ascending or repeated", f,
                 s->valuestring, prev);
      prev = s->valuestring;
    }
    cJSON_ArrayForEach(s, deps) {
      bool found = false;
      size_t total = cpt_communes_count(table);
      for (size_t k = 0; k < total && !found; k++)
        found = strcmp(at(k)->dep, s->valuestring) == 0;
      if (!found) fail_msg("%s: unknown département \"%s\"", f, s->valuestring);
    }
    /* No city listed together with one of its arrondissements. */
    cJSON_ArrayForEach(s, list) if (is_arrondissement(s->valuestring)) {
      const char *city = strncmp(s->valuestring, "751", 3) == 0   ? "75056"
                         : strncmp(s->valuestring, "693", 3) == 0 ? "69123"
                                                                  : "13055";
      const cJSON *t;
      cJSON_ArrayForEach(t, list) if (strcmp(t->valuestring, city) == 0)
          fail_msg("%s: %s and its city %s both listed", f, s->valuestring,
                   city);
    }
    const cJSON *seat = cJSON_GetObjectItemCaseSensitive(o, "seat");
    if (seat) {
      int32_t k = cpt_communes_find(table, seat->valuestring);
      if (k < 0) fail_msg("%s: unknown seat \"%s\"", f, seat->valuestring);
      bool inside = deps && departement_listed(deps, at((size_t)k)->dep);
      cJSON_ArrayForEach(s, list) inside |=
          strcmp(s->valuestring, seat->valuestring) == 0;
      if (!inside)
        fail_msg("%s: seat %s is not in the territory", f, seat->valuestring);
    }
  }
  free_territories(v, n);
}

static void test_bundled_territories_have_their_stated_commune_counts(
    void **state) {
  (void)state;
  size_t n = 0;
  territory_file *v = read_territories(&n);
  for (size_t k = 0; k < sizeof stated_counts / sizeof stated_counts[0]; k++) {
    territory_file key;
    snprintf(key.file, sizeof key.file, "%s", stated_counts[k].file);
    territory_file *t = bsearch(&key, v, n, sizeof *v, by_file);
    if (!t) fail_msg("%s is missing", stated_counts[k].file);
    size_t communes = 0;
    int64_t pop = 0;
    territory_size(t, &communes, &pop);
    if (communes != stated_counts[k].communes)
      fail_msg("%s: %zu communes, %zu stated", t->file, communes,
               stated_counts[k].communes);
  }
  free_territories(v, n);
}

static void test_bundled_territory_populations_are_near_the_stated_size(
    void **state) {
  (void)state;
  size_t n = 0, checked = 0;
  territory_file *v = read_territories(&n);
  for (size_t i = 0; i < n; i++) {
    size_t communes = 0;
    int64_t pop = 0;
    territory_size(&v[i], &communes, &pop);
    if (communes == 0 || pop <= 0)
      fail_msg("%s: empty territory (%zu communes, population %lld)", v[i].file,
               communes, (long long)pop);
    const cJSON *ps =
        cJSON_GetObjectItemCaseSensitive(v[i].json, "population_stated");
    if (!ps) continue;
    double stated = ps->valuedouble;
    if (pop < 0.75 * stated || pop > 1.25 * stated)
      fail_msg("%s: population %lld, stated %.0f (beyond ±25%%)", v[i].file,
               (long long)pop, stated);
    checked++;
  }
  assert_true(checked >= 4); /* the four CPTS state a size */
  free_territories(v, n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_real_table_loads_every_row_without_diagnostics),
      cmocka_unit_test(test_real_table_file_is_sorted_by_code_without_repeats),
      cmocka_unit_test(test_every_code_is_found_at_its_own_index),
      cmocka_unit_test(test_every_departement_is_present_and_no_other),
      cmocka_unit_test(
          test_population_total_is_within_one_percent_of_the_package),
      cmocka_unit_test(test_arrondissements_add_up_to_their_city),
      cmocka_unit_test(test_coordinates_lie_inside_france),
      cmocka_unit_test(test_known_places_are_within_5_km_of_their_coordinates),
      cmocka_unit_test(test_every_bundled_territory_has_the_required_keys),
      cmocka_unit_test(test_every_bundled_territory_code_is_in_the_table),
      cmocka_unit_test(
          test_bundled_territories_have_their_stated_commune_counts),
      cmocka_unit_test(
          test_bundled_territory_populations_are_near_the_stated_size),
  };
  return cmocka_run_group_tests(tests, load_table, free_table);
}
