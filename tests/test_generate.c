/*
 * test_generate.c — `cptsopt generate` end to end, in process: the same
 * seed gives the same bytes and another seed other bytes; the files load
 * with the project's own readers; departing lists name real doctors;
 * counts follow the figures of datasets/PARAMETERS.md within tolerances;
 * the rota week covers the SAS hours with Monday heaviest; bad arguments
 * exit 2 and write nothing.  Small scales keep each test well under 2 s.
 * Run from the repository root (it uses the bundled communes table).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cmd_generate.h"
#include "../models/readers.h"

#define COMMUNES "datasets/communes/communes.csv"

static char root[64];

static const char *const files[] = {"doctors.csv",   "patients.csv",
                                    "slots.csv",     "availability.csv",
                                    "scenario.json", "departure_patients.csv"};
#define NFILES (sizeof files / sizeof *files)

static void path(char *buf, size_t n, const char *dir, const char *name) {
  snprintf(buf, n, "%s/%s/%s", root, dir, name);
}

/* Run `cptsopt generate` with --out ROOT/dir and the given arguments
 * (NULL-terminated). */
static int run(const char *dir, ...) {
  static char store[64][512];
  char *argv[64];
  int argc = 0;
  argv[argc++] = "generate";
  if (dir) {
    argv[argc++] = "--out";
    snprintf(store[argc], sizeof store[argc], "%s/%s", root, dir);
    argv[argc] = store[argc];
    argc++;
  }
  argv[argc++] = "--quiet";
  va_list ap;
  va_start(ap, dir);
  for (const char *a = va_arg(ap, const char *); a;
       a = va_arg(ap, const char *)) {
    snprintf(store[argc], sizeof store[argc], "%s", a);
    argv[argc] = store[argc];
    argc++;
  }
  va_end(ap);
  argv[argc] = NULL;
  return cpt_cmd_generate(argc, argv);
}

static char *slurp(const char *dir, const char *name, size_t *len) {
  char p[512];
  path(p, sizeof p, dir, name);
  FILE *f = fopen(p, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  if (len)
    *len = (size_t)n;
  return buf;
}

static bool exists(const char *dir, const char *name) {
  char p[512];
  path(p, sizeof p, dir, name);
  return access(p, F_OK) == 0;
}

static cJSON *scenario(const char *dir) {
  char *text = slurp(dir, "scenario.json", NULL);
  assert_non_null(text);
  cJSON *j = cJSON_Parse(text);
  free(text);
  assert_non_null(j);
  return j;
}

static double jnum(const cJSON *j, const char *group, const char *key) {
  const cJSON *g = cJSON_GetObjectItemCaseSensitive(j, group);
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(g, key);
  assert_true(cJSON_IsNumber(v));
  return v->valuedouble;
}

static cpt_communes *communes(void) {
  static cpt_communes *c;
  if (!c) {
    cpt_diags d;
    cpt_diags_init(&d);
    assert_int_equal(cpt_communes_load(COMMUNES, &c, &d), CPT_OK);
    cpt_diags_free(&d);
  }
  return c;
}

static void test_same_seed_gives_identical_bytes_for_every_file(void **s) {
  (void)s;
  assert_int_equal(run("a", "--territory", "88", "--seed", "7", "--scale",
                       "0.05", "--departures", "2", NULL),
                   0);
  assert_int_equal(run("b", "--territory", "88", "--seed", "7", "--scale",
                       "0.05", "--departures", "2", NULL),
                   0);
  for (size_t i = 0; i < NFILES; i++) {
    size_t la, lb;
    char *x = slurp("a", files[i], &la), *y = slurp("b", files[i], &lb);
    assert_non_null(x);
    assert_non_null(y);
    assert_true(la > 0);
    assert_int_equal(la, lb);
    assert_memory_equal(x, y, la);
    free(x);
    free(y);
  }
}

static void test_another_seed_gives_different_files(void **s) {
  (void)s;
  assert_int_equal(run("c", "--territory", "88", "--seed", "8", "--scale",
                       "0.05", "--departures", "2", NULL),
                   0);
  for (size_t i = 0; i < NFILES; i++) {
    size_t la, lc;
    char *x = slurp("a", files[i], &la), *y = slurp("c", files[i], &lc);
    assert_false(la == lc && !memcmp(x, y, la));
    free(x);
    free(y);
  }
}

static void test_generated_files_load_with_the_readers(void **s) {
  (void)s;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_doctors *D = NULL;
  cpt_patients *P = NULL, *Q = NULL;
  char p[512];
  path(p, sizeof p, "a", "doctors.csv");
  assert_int_equal(cpt_doctors_load(p, communes(), &D, &d), CPT_OK);
  path(p, sizeof p, "a", "patients.csv");
  assert_int_equal(cpt_patients_load(p, communes(), &P, &d), CPT_OK);
  path(p, sizeof p, "a", "departure_patients.csv");
  assert_int_equal(cpt_patients_load(p, communes(), &Q, &d), CPT_OK);
  assert_int_equal(d.n_errors + d.n_warnings, 0);
  assert_true(D->has_rota_columns);

  cJSON *j = scenario("a");
  assert_int_equal(D->n, (size_t)jnum(j, "counts", "doctors"));
  assert_int_equal(P->n, (size_t)jnum(j, "counts", "patients"));
  assert_int_equal(Q->n, (size_t)jnum(j, "counts", "departure_patients"));
  assert_true(D->n >= 5 && P->n > 500);
  for (size_t i = 0; i < D->n; i++) {
    assert_true(D->v[i].capacity >= D->v[i].current);
    assert_non_null(D->v[i].site);
    assert_int_equal(strncmp(D->v[i].id, "G88", 3), 0);
  }
  for (size_t i = 0; i < P->n; i++) {
    assert_null(P->v[i].prev_doctor);
    assert_true(P->v[i].loc.commune >= 0 && !P->v[i].loc.explicit_coords);
    assert_string_equal(cpt_communes_get(communes(), P->v[i].loc.commune)->dep,
                        "88");
  }
  /* ids are unique across both patient files */
  assert_true(strcmp(Q->v[0].id, P->v[P->n - 1].id) > 0);
  cJSON_Delete(j);
  cpt_doctors_free(D);
  cpt_patients_free(P);
  cpt_patients_free(Q);
  cpt_diags_free(&d);
}

static void test_departure_patients_are_the_lists_of_leaving_doctors(void **s) {
  (void)s;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_doctors *D = NULL;
  cpt_patients *Q = NULL;
  char p[512];
  path(p, sizeof p, "a", "doctors.csv");
  assert_int_equal(cpt_doctors_load(p, communes(), &D, &d), CPT_OK);
  path(p, sizeof p, "a", "departure_patients.csv");
  assert_int_equal(cpt_patients_load(p, communes(), &Q, &d), CPT_OK);
  cJSON *j = scenario("a");
  const cJSON *leaving = cJSON_GetObjectItemCaseSensitive(j, "leaving");
  assert_int_equal(cJSON_GetArraySize(leaving), 2);
  size_t total = 0;
  const cJSON *e;
  cJSON_ArrayForEach(e, leaving) {
    const cpt_doctor *doc = NULL;
    for (size_t i = 0; i < D->n; i++)
      if (!strcmp(D->v[i].id, e->valuestring))
        doc = &D->v[i];
    assert_non_null(doc);
    assert_int_equal(doc->max_slots, 0); /* leaving: no rota */
    size_t mine = 0;
    for (size_t i = 0; i < Q->n; i++)
      mine += !strcmp(Q->v[i].prev_doctor, doc->id);
    assert_int_equal(mine, (size_t)doc->current); /* the whole list */
    total += mine;
  }
  assert_int_equal(total, Q->n); /* every prev_doctor is a leaving doctor */
  cJSON_Delete(j);
  cpt_doctors_free(D);
  cpt_patients_free(Q);
  cpt_diags_free(&d);
}

static void test_counts_follow_the_parameters(void **s) {
  (void)s;
  assert_int_equal(
      run("r", "--territory", "69", "--seed", "3", "--scale", "0.2", NULL), 0);
  cJSON *j = scenario("r");
  double pop = jnum(j, "parameters", "population_scaled");
  double patients = jnum(j, "counts", "patients");
  double expected = jnum(j, "shares", "no_mt_expected");
  assert_true(pop > 380000 && pop < 390000); /* 1,914,667 × 0.2 */
  assert_true(expected > 0.08 && expected < 0.14);
  assert_true(fabs(patients / pop - expected) < 0.003);
  double gp = jnum(j, "shares", "gp_per_100k");
  assert_true(fabs(gp - jnum(j, "shares", "gp_per_100k_expected")) < 1.0);
  assert_true(gp > 70 && gp < 95);
  assert_false(
      cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "leaving")));
  cJSON_Delete(j);

  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *P = NULL;
  char p[512];
  path(p, sizeof p, "r", "patients.csv");
  assert_int_equal(cpt_patients_load(p, communes(), &P, &d), CPT_OK);
  size_t ald = 0, prec = 0, child = 0, old = 0, in_hh = 0, groups = 0;
  for (size_t i = 0; i < P->n; i++) {
    const cpt_patient *q = &P->v[i];
    ald += q->ald;
    prec += q->precarity;
    child += q->age < 16;
    old += q->age >= 70;
    if (!q->household)
      continue;
    in_hh++;
    /* members are consecutive, in one commune, 2–7 of them, one adult */
    if (i > 0 && P->v[i - 1].household &&
        !strcmp(P->v[i - 1].household, q->household))
      continue;
    size_t k = i, adult = 0;
    while (k < P->n && P->v[k].household &&
           !strcmp(P->v[k].household, q->household)) {
      assert_int_equal(P->v[k].loc.commune, q->loc.commune);
      assert_int_equal(P->v[k].precarity, q->precarity);
      adult += P->v[k].age >= 18;
      k++;
    }
    assert_true(k - i >= 2 && k - i <= 7);
    assert_true(adult >= 1);
    groups++;
  }
  double n = (double)P->n;
  assert_true(fabs(ald / n - 0.106) < 0.01);  /* CNAM, ALD without MT */
  assert_true(fabs(prec / n - 0.104) < 0.01); /* C2S */
  assert_true(child / n > 0.12 && child / n < 0.23);
  assert_true(old / n > 0.03 && old / n < 0.10); /* fewer old without MT */
  assert_true(in_hh / n > 0.55 && in_hh / n < 0.80);
  assert_true(groups > 1000);
  cpt_patients_free(P);
  cpt_diags_free(&d);
}

/* Fields of a CSV line without quotes. */
static int split(char *line, char **f, int max) {
  int n = 0;
  f[n++] = line;
  for (char *c = line; *c && n < max; c++)
    if (*c == ',') {
      *c = '\0';
      f[n++] = c + 1;
    }
  return n;
}

#define MAX_SITES 256

static void test_rota_week_covers_sas_hours_with_monday_heaviest(void **s) {
  (void)s;
  /* a Wednesday in winter: the week runs from Monday 12 January */
  assert_int_equal(run("w", "--territory", "88", "--seed", "5", "--scale",
                       "0.5", "--week", "2026-01-14", NULL),
                   0);
  cJSON *j = scenario("w");
  const cJSON *par = cJSON_GetObjectItemCaseSensitive(j, "parameters");
  assert_string_equal(
      cJSON_GetObjectItemCaseSensitive(par, "week_start")->valuestring,
      "2026-01-12");
  assert_true(
      cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(par, "winter_epidemic")));
  int sectors = (int)jnum(j, "counts", "sectors");
  assert_true(sectors >= 2 && sectors <= MAX_SITES);
  cJSON_Delete(j);

  static char site[MAX_SITES][32];
  static int need[MAX_SITES][6], count[MAX_SITES];
  memset(need, 0, sizeof need);
  memset(count, 0, sizeof count);
  int nsites = 0;
  char *text = slurp("w", "slots.csv", NULL), *save = NULL;
  char *line = strtok_r(text, "\n", &save);
  assert_string_equal(line, "id,date,start,end,site,need,kind");
  while ((line = strtok_r(NULL, "\n", &save))) {
    char *f[8];
    assert_int_equal(split(line, f, 8), 7);
    int day = atoi(f[1] + 8) - 12, h = atoi(f[2]);
    assert_true(day >= 0 && day <= 5);
    assert_true(h >= 8 && h % 2 == 0 && h <= (day < 5 ? 18 : 10));
    assert_int_equal(atoi(f[3]), h + 2);
    assert_string_equal(f[6], "snp");
    assert_true(atoi(f[5]) >= 1);
    int k = 0;
    while (k < nsites && strcmp(site[k], f[4]))
      k++;
    if (k == nsites)
      snprintf(site[nsites++], sizeof site[0], "%s", f[4]);
    need[k][day] += atoi(f[5]);
    count[k]++;
  }
  free(text);
  assert_int_equal(nsites, sectors);
  int mon = 0, wed = 0;
  for (int k = 0; k < nsites; k++) {
    assert_int_equal(count[k], 5 * 6 + 2); /* 2-hour slots */
    for (int day = 1; day < 5; day++)
      assert_true(need[k][0] >= need[k][day]);
    mon += need[k][0];
    wed += need[k][2];
  }
  assert_true(mon > wed);

  /* availability: known doctors who serve the rota, levels of SPEC §2 */
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_doctors *D = NULL;
  char p[512];
  path(p, sizeof p, "w", "doctors.csv");
  assert_int_equal(cpt_doctors_load(p, communes(), &D, &d), CPT_OK);
  for (size_t i = 0; i < D->n; i++) {
    int k = 0;
    while (k < nsites && strcmp(site[k], D->v[i].sites))
      k++;
    assert_true(k < nsites); /* each doctor serves a slot site */
  }
  text = slurp("w", "availability.csv", NULL);
  line = strtok_r(text, "\n", &save);
  assert_string_equal(line, "doctor,date,start,end,level");
  size_t rows = 0;
  while ((line = strtok_r(NULL, "\n", &save))) {
    char *f[8];
    assert_int_equal(split(line, f, 8), 5);
    const cpt_doctor *doc = NULL;
    for (size_t i = 0; i < D->n; i++)
      if (!strcmp(D->v[i].id, f[0]))
        doc = &D->v[i];
    assert_non_null(doc);
    assert_true(doc->max_slots > 0);
    assert_true(!strcmp(f[4], "available") || !strcmp(f[4], "preferred") ||
                !strcmp(f[4], "unavailable"));
    assert_true(atoi(f[2]) < atoi(f[3]));
    rows++;
  }
  assert_true(rows >= D->n / 2);
  free(text);
  cpt_doctors_free(D);
  cpt_diags_free(&d);
}

static void test_bad_arguments_exit_2_and_write_nothing(void **s) {
  (void)s;
  assert_int_equal(run("x", NULL), 2); /* no --territory */
  assert_int_equal(run(NULL, "--territory", "88", NULL), 2); /* no --out */
  assert_int_equal(run("x", "--territory", "88", "--scale", "0", NULL), 2);
  assert_int_equal(run("x", "--territory", "88", "--scale", "abc", NULL), 2);
  assert_int_equal(run("x", "--territory", "88", "--departures", "-1", NULL),
                   2);
  assert_int_equal(run("x", "--territory", "88", "--week", "2026-02-30", NULL),
                   2);
  assert_int_equal(run("x", "--territory", "88", "--seed", "-3", NULL), 2);
  assert_int_equal(run("x", "--territory", "88", "--bogus", NULL), 2);
  assert_int_equal(run("x", "--territory", "88", "extra", NULL), 2);
  assert_int_equal(run("x", "--territory", "88", "--seed", NULL), 2);
  assert_int_equal(run("x", "--territory", "99", NULL), 2);
  assert_int_equal(run("x", "--territory", "88999,nowhere", NULL), 2);
  assert_int_equal(
      run("x", "--territory", "88", "--communes", "no/such/file.csv", NULL), 2);
  /* a valid command that cannot be honoured: more departures than doctors */
  assert_int_equal(run("x", "--territory", "88160", "--scale", "0.01",
                       "--departures", "50", NULL),
                   2);
  for (size_t i = 0; i < NFILES; i++)
    assert_false(exists("x", files[i]));
}

static void test_help_and_version_exit_0(void **s) {
  (void)s;
  FILE *keep = stdout;
  stdout = fopen("/dev/null", "w");
  assert_int_equal(run(NULL, "--help", NULL), 0);
  assert_int_equal(run(NULL, "--version", NULL), 0);
  fclose(stdout);
  stdout = keep;
}

static int setup(void **state) {
  (void)state;
  snprintf(root, sizeof root, "/tmp/cpt_test_generate.XXXXXX");
  return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", root);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_seed_gives_identical_bytes_for_every_file),
      cmocka_unit_test(test_another_seed_gives_different_files),
      cmocka_unit_test(test_generated_files_load_with_the_readers),
      cmocka_unit_test(
          test_departure_patients_are_the_lists_of_leaving_doctors),
      cmocka_unit_test(test_counts_follow_the_parameters),
      cmocka_unit_test(test_rota_week_covers_sas_hours_with_monday_heaviest),
      cmocka_unit_test(test_bad_arguments_exit_2_and_write_nothing),
      cmocka_unit_test(test_help_and_version_exit_0),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
