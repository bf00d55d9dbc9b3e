/*
 * test_rpps.c — the RPPS extract reader (models/rpps.h) and `cptsopt
 * import-rpps` end to end: which lines are kept, merging per practitioner
 * and site, site ids, numbering, the header and line errors of the
 * malformed extracts in tests/data/rpps/, and the doctors CSV written (read
 * back by the doctors reader).
 *
 * tests/data/rpps/extract_small.txt is hand-made in the published layout
 * (56 columns, trailing '|'); the territory is Épinal (88160) and
 * Saint-Dié-des-Vosges (88413) of tests/data/communes_small.csv.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cmd_import_rpps.h"
#include "../models/communes.h"
#include "../models/readers.h"
#include "../models/rpps.h"

#define DATA "tests/data/rpps/"
#define SMALL_COMMUNES "tests/data/communes_small.csv"
#define ALL_COMMUNES "datasets/communes/communes.csv"

/* The address site shared by MOREAU and LAURENT (5 BD SAINT-MARTIN, Épinal):
 * the low 48 bits of FNV-1a-64 of "5||BD|SAINT-MARTIN|88000|88160|",
 * computed apart; pinned so that site ids cannot change silently. */
#define ADDRESS_SITE "A88160-5176d9a5f462"

static cpt_communes *load_communes(const char *path) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = NULL;
  assert_int_equal(cpt_communes_load(path, &c, &d), CPT_OK);
  cpt_diags_free(&d);
  return c;
}

typedef struct fixture {
  cpt_communes *communes;
  int32_t territory[2];
  cpt_rpps_params p;
  cpt_diags d;
  cpt_rpps_result *r;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->communes = load_communes(SMALL_COMMUNES);
  f->territory[0] = cpt_communes_find(f->communes, "88160");
  f->territory[1] = cpt_communes_find(f->communes, "88413");
  if (f->territory[0] > f->territory[1]) {
    int32_t t = f->territory[0];
    f->territory[0] = f->territory[1];
    f->territory[1] = t;
  }
  cpt_rpps_params_init(&f->p);
  f->p.communes = f->communes;
  f->p.territory = f->territory;
  f->p.n_territory = 2;
  cpt_diags_init(&f->d);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  cpt_rpps_result_free(f->r);
  cpt_diags_free(&f->d);
  cpt_communes_free(f->communes);
  free(f);
  return 0;
}

static cpt_status load(fixture *f, const char *path) {
  cpt_rpps_result_free(f->r);
  f->r = NULL;
  return cpt_rpps_load(path, &f->p, &f->r, &f->d);
}

typedef struct want {
  const char *id, *insee, *site;
} want;

static void assert_sites(const cpt_rpps_result *r, const want *w, size_t n) {
  for (size_t i = 0; i < r->n && i < n; i++) {
    assert_string_equal(r->v[i].id, w[i].id);
    assert_string_equal(r->v[i].insee, w[i].insee);
    assert_string_equal(r->v[i].site, w[i].site);
  }
  assert_int_equal(r->n, n);
}

static const want small_liberal[] = {
    {"RPPS10100000011", "88160", "SC88000000101"},
    {"RPPS10100000028", "88160", "SC88000000201"},
    {"RPPS10100000028-2", "88413", "SC88000000202"},
    {"RPPS10100000035", "88413", "SIRET12345678900011"},
    {"RPPS10100000042", "88160", ADDRESS_SITE},
    {"RPPS10100000059", "88160", ADDRESS_SITE},
    {"RPPS10100000233", "88413", "SC88000001701"},
    {"RPPS10100000240", "88160", "SC88000001901"},
};
#define N_SMALL (sizeof small_liberal / sizeof *small_liberal)

static bool has_message(const cpt_diags *d, cpt_diag_level level, long line,
                        const char *part) {
  for (size_t i = 0; i < d->n; i++)
    if (d->v[i].level == level && (line < 0 || d->v[i].line == line) &&
        strstr(d->v[i].msg, part))
      return true;
  return false;
}

/* ---- the reader ------------------------------------------------------ */

static void test_rpps_keeps_liberal_gps_of_the_territory_once_per_site(
    void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "extract_small.txt"), CPT_OK);
  assert_sites(f->r, small_liberal, N_SMALL);
  assert_int_equal(f->d.n_errors, 0);
}

static void test_rpps_counts_every_reason_a_line_is_dropped(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "extract_small.txt"), CPT_OK);
  const cpt_rpps_stats *s = &f->r->stats;
  assert_int_equal(s->lines, 30);
  assert_int_equal(s->doctors, 25);
  assert_int_equal(s->gp, 22);
  assert_int_equal(s->salaried, 2);
  assert_int_equal(s->other_mode, 1);
  assert_int_equal(s->replacement, 1);
  assert_int_equal(s->no_commune, 1);
  assert_int_equal(s->unknown_commune, 1);
  assert_int_equal(s->outside, 4);
  assert_int_equal(s->duplicates, 4);
  assert_int_equal(s->practitioners, 7);
  /* kept + dropped GP lines account for every GP line */
  assert_int_equal(s->gp, (long)f->r->n + s->salaried + s->other_mode +
                              s->replacement + s->no_commune +
                              s->unknown_commune + s->outside +
                              s->duplicates);
}

static void test_rpps_unknown_commune_is_one_warning_with_its_count(
    void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "extract_small.txt"), CPT_OK);
  assert_int_equal(f->d.n_warnings, 1);
  assert_true(has_message(&f->d, CPT_DIAG_WARNING, 13, "\"75115\""));
}

static void test_rpps_include_salaried_adds_salaried_sites_and_renumbers(
    void **state) {
  fixture *f = *state;
  f->p.include_salaried = true;
  assert_int_equal(load(f, DATA "extract_small.txt"), CPT_OK);
  static const want w[] = {
      {"RPPS10100000011", "88160", "SC88000000101"},
      {"RPPS10100000028", "88160", "SC88000000201"},
      {"RPPS10100000028-2", "88413", "SC88000000202"},
      {"RPPS10100000035", "88413", "SIRET12345678900011"},
      {"RPPS10100000042", "88160", ADDRESS_SITE},
      {"RPPS10100000059", "88160", ADDRESS_SITE},
      {"RPPS10100000066", "88160", "SR10100000883001"},
      {"RPPS10100000233", "88413", "SC88000001701"},
      {"RPPS10100000240", "88413", "SC88000001801"},
      {"RPPS10100000240-2", "88160", "SC88000001901"},
  };
  assert_sites(f->r, w, sizeof w / sizeof *w);
  assert_int_equal(f->r->stats.salaried, 0);
}

static void test_rpps_without_territory_keeps_every_commune_of_the_table(
    void **state) {
  fixture *f = *state;
  f->p.territory = NULL;
  f->p.n_territory = 0;
  assert_int_equal(load(f, DATA "extract_small.txt"), CPT_OK);
  /* + Paris, Ajaccio, Lyon, L'Abergement-Clémenciat */
  assert_int_equal(f->r->n, N_SMALL + 4);
  assert_int_equal(f->r->stats.outside, 0);
}

static void test_rpps_arrondissement_counts_as_its_city(void **state) {
  fixture *f = *state;
  cpt_communes *all = load_communes(ALL_COMMUNES);
  int32_t paris = cpt_communes_find(all, "75056");
  assert_true(paris >= 0);
  f->p.communes = all;
  f->p.territory = &paris;
  f->p.n_territory = 1;
  assert_int_equal(load(f, DATA "extract_small.txt"), CPT_OK);
  static const want w[] = {
      {"RPPS10100000073", "75056", "SC75000000301"},
      {"RPPS10100000097", "75115", "SC75000000501"},
  };
  assert_sites(f->r, w, 2);
  assert_int_equal(f->r->v[1].commune, cpt_communes_find(all, "75115"));
  assert_int_equal(f->r->stats.unknown_commune, 0);
  cpt_rpps_result_free(f->r);
  f->r = NULL;
  cpt_communes_free(all);
}

static void test_rpps_bom_and_crlf_on_every_line_read_the_same(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "bom_crlf.txt"), CPT_OK);
  assert_sites(f->r, small_liberal, N_SMALL);
}

static void test_rpps_latin1_header_finds_its_columns(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "latin1.txt"), CPT_OK);
  /* the first 8 rows: DURAND ×2, BERNARD ×2, PETIT ×2, MOREAU, LAURENT */
  assert_sites(f->r, small_liberal, 6);
}

static void test_rpps_reads_the_older_52_column_layout(void **state) {
  fixture *f = *state;
  /* before the role and genre columns: the first 10 rows of the small
   * extract (DURAND ×2, BERNARD ×2, PETIT ×2, MOREAU, LAURENT, SIMON S,
   * MICHEL in Paris) */
  assert_int_equal(load(f, DATA "layout_52_columns.txt"), CPT_OK);
  assert_sites(f->r, small_liberal, 6);
  assert_int_equal(f->r->stats.duplicates, 2);
}

static void test_rpps_header_only_gives_no_site(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "header_only.txt"), CPT_OK);
  assert_int_equal(f->r->n, 0);
  assert_int_equal(f->r->stats.lines, 0);
}

static void test_rpps_missing_columns_are_named_in_one_error(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "missing_columns.txt"), CPT_EINPUT);
  assert_null(f->r);
  assert_int_equal(f->d.n_errors, 1);
  assert_true(has_message(&f->d, CPT_DIAG_ERROR, 1,
                          "missing columns 'Code savoir-faire', "
                          "'Code mode exercice'"));
}

static void test_rpps_wrong_field_count_is_an_error_on_each_line(
    void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "wrong_field_count.txt"), CPT_EINPUT);
  assert_null(f->r);
  assert_int_equal(f->d.n_errors, 2);
  assert_true(has_message(&f->d, CPT_DIAG_ERROR, 3, "expected 56"));
  assert_true(has_message(&f->d, CPT_DIAG_ERROR, 3, "got 40"));
  assert_true(has_message(&f->d, CPT_DIAG_ERROR, 5, "got 57"));
}

static void test_rpps_stops_reading_after_50_errors(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "many_bad_lines.txt"), CPT_EINPUT);
  assert_null(f->r);
  assert_int_equal(f->d.n_errors, 50);
  /* the 50th bad line is line 53 (header, 2 good lines) */
  assert_true(has_message(&f->d, CPT_DIAG_ERROR, 53,
                          "got 5; stopped reading after 50 errors"));
}

static void test_rpps_bad_identifiers_are_located(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "bad_identifier.txt"), CPT_EINPUT);
  assert_int_equal(f->d.n_errors, 2);
  assert_int_equal(f->d.v[0].line, 2);
  assert_int_equal(f->d.v[0].col, 2);
  assert_non_null(strstr(f->d.v[0].msg, "Identifiant PP"));
  assert_int_equal(f->d.v[1].line, 4);
  assert_int_equal(f->d.v[1].col, 24);
  assert_non_null(strstr(f->d.v[1].msg, "\"C880/00\""));
}

/* A reproducer of tests/fuzz/fuzz_rpps.c: DEL and ESC in an echoed field
 * are escaped, so nothing reaches the terminal raw. */
static void test_rpps_control_characters_are_escaped(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "control_char_in_siret.txt"), CPT_EINPUT);
  assert_int_equal(f->d.n_errors, 1);
  assert_int_equal(f->d.v[0].line, 2);
  assert_int_equal(f->d.v[0].col, 20);
  assert_non_null(strstr(f->d.v[0].msg,
                         "expected digits, got \"1234\\x7f\\x1b[2J5678\""));
}

/* Reproducers of tests/fuzz/fuzz_rpps.c: more '|' than the fields the
 * reader stores (512 + 1) once read past its array. */
static void test_rpps_too_many_fields_are_counted_not_stored(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "header_too_many_columns.txt"), CPT_EINPUT);
  assert_int_equal(f->d.n_errors, 1);
  assert_int_equal(f->d.v[0].line, 1);
  assert_string_equal(f->d.v[0].msg,
                      "header has 600 columns; at most 512 expected");
  assert_int_equal(load(f, DATA "line_too_many_fields.txt"), CPT_EINPUT);
  assert_int_equal(f->d.n_errors, 2); /* the fixture's list is not reset */
  assert_int_equal(f->d.v[1].line, 3);
  assert_string_equal(f->d.v[1].msg, "expected 56 '|'-separated fields as "
                                     "in the header, got 600");
}

static void test_rpps_empty_file_is_an_error(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, DATA "empty.txt"), CPT_EINPUT);
  assert_true(has_message(&f->d, CPT_DIAG_ERROR, 0, "empty file"));
}

static void test_rpps_line_longer_than_the_buffer_is_an_error(void **state) {
  fixture *f = *state;
  FILE *src = fopen(DATA "header_only.txt", "rb");
  assert_non_null(src);
  char header[4096];
  size_t hn = fread(header, 1, sizeof header, src);
  fclose(src);
  size_t n = hn + CPT_RPPS_MAX_LINE + 200;
  char *buf = malloc(n);
  memcpy(buf, header, hn);
  memset(buf + hn, 'x', n - hn - 1);
  buf[n - 1] = '\n';
  FILE *mem = fmemopen(buf, n, "rb");
  assert_non_null(mem);
  assert_int_equal(cpt_rpps_read(mem, "long.txt", &f->p, &f->r, &f->d),
                   CPT_EINPUT);
  fclose(mem);
  free(buf);
  assert_int_equal(f->d.n_errors, 1);
  assert_true(has_message(&f->d, CPT_DIAG_ERROR, 2, "longer than"));
}

static void test_rpps_needs_a_communes_table(void **state) {
  fixture *f = *state;
  f->p.communes = NULL;
  assert_int_equal(load(f, DATA "extract_small.txt"), CPT_EPARAM);
  assert_null(f->r);
}

/* ---- the command ----------------------------------------------------- */

static char dir[64];

static int cmd_setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/cpt_rpps_XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int cmd_teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd);
}

/* Run `cptsopt import-rpps` with the arguments (NULL-terminated); an
 * argument starting with '@' names a file of the temporary directory. */
static int run(const char *first, ...) {
  static char store[32][256];
  char *argv[33];
  int argc = 0;
  argv[argc++] = "import-rpps";
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
  return cpt_cmd_import_rpps(argc, argv);
}

static char *slurp(const char *name) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "rb");
  if (!f) return NULL;
  static char buf[8192];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static const char small_csv[] =
    "id,commune,lat,lon,site,capacity,current,max_new,children,home_visits\n"
    "RPPS10100000011,88160,,,SC88000000101,0,0,,1,1\n"
    "RPPS10100000028,88160,,,SC88000000201,0,0,,1,1\n"
    "RPPS10100000028-2,88413,,,SC88000000202,0,0,,1,1\n"
    "RPPS10100000035,88413,,,SIRET12345678900011,0,0,,1,1\n"
    "RPPS10100000042,88160,,," ADDRESS_SITE ",0,0,,1,1\n"
    "RPPS10100000059,88160,,," ADDRESS_SITE ",0,0,,1,1\n"
    "RPPS10100000233,88413,,,SC88000001701,0,0,,1,1\n"
    "RPPS10100000240,88160,,,SC88000001901,0,0,,1,1\n";

static void test_import_rpps_writes_the_doctors_csv_of_the_territory(
    void **state) {
  (void)state;
  assert_int_equal(run(DATA "extract_small.txt", "--territory", "88160,88413",
                       "--communes", SMALL_COMMUNES, "--out", "@doctors.csv",
                       "--quiet", NULL),
                   0);
  const char *out = slurp("doctors.csv");
  assert_non_null(out);
  assert_string_equal(out, small_csv);
}

static void test_import_rpps_output_is_read_back_by_the_doctors_reader(
    void **state) {
  (void)state;
  assert_int_equal(run(DATA "extract_small.txt", "--territory", "88",
                       "--communes", SMALL_COMMUNES, "--out", "@dep88.csv",
                       "--include-salaried", "--quiet", NULL),
                   0);
  cpt_communes *c = load_communes(SMALL_COMMUNES);
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_doctors *D = NULL;
  char p[256];
  snprintf(p, sizeof p, "%s/dep88.csv", dir);
  assert_int_equal(cpt_doctors_load(p, c, &D, &d), CPT_OK);
  assert_int_equal(D->n, 10);
  assert_int_equal(d.n_errors, 0);
  cpt_doctors_free(D);
  cpt_diags_free(&d);
  cpt_communes_free(c);
}

static void test_import_rpps_bad_extract_exits_2_and_keeps_the_old_output(
    void **state) {
  (void)state;
  assert_int_equal(run(DATA "extract_small.txt", "--territory", "88160",
                       "--communes", SMALL_COMMUNES, "--out", "@keep.csv",
                       "--quiet", NULL),
                   0);
  char before[8192];
  snprintf(before, sizeof before, "%s", slurp("keep.csv"));
  assert_int_equal(run(DATA "wrong_field_count.txt", "--territory", "88160",
                       "--communes", SMALL_COMMUNES, "--out", "@keep.csv",
                       NULL),
                   2);
  assert_string_equal(slurp("keep.csv"), before);
  assert_int_equal(run(DATA "missing_columns.txt", "--territory", "88160",
                       "--communes", SMALL_COMMUNES, "--out", "@new.csv",
                       NULL),
                   2);
  assert_null(slurp("new.csv"));
}

static void test_import_rpps_usage_errors_exit_2(void **state) {
  (void)state;
  assert_int_equal(run(DATA "extract_small.txt", "--communes", SMALL_COMMUNES,
                       NULL),
                   2); /* no --territory */
  assert_int_equal(run("--territory", "88", NULL), 2); /* no FILE */
  assert_int_equal(run(DATA "extract_small.txt", "--territory", "88",
                       "--bogus", NULL),
                   2);
  assert_int_equal(run(DATA "extract_small.txt", DATA "extract_small.txt",
                       "--territory", "88", NULL),
                   2);
  assert_int_equal(run("no/such/extract.txt", "--territory", "88",
                       "--communes", SMALL_COMMUNES, "--out", "@x.csv", NULL),
                   2);
  assert_null(slurp("x.csv"));
  assert_int_equal(run(DATA "extract_small.txt", "--territory", "99999",
                       "--communes", SMALL_COMMUNES, "--out", "@y.csv", NULL),
                   2); /* unknown commune code */
  assert_null(slurp("y.csv"));
}

static void test_import_rpps_help_and_version_exit_0(void **state) {
  (void)state;
  assert_int_equal(run("--help", NULL), 0);
  assert_int_equal(run("--version", NULL), 0);
}

int main(void) {
  const struct CMUnitTest reader[] = {
      cmocka_unit_test_setup_teardown(
          test_rpps_keeps_liberal_gps_of_the_territory_once_per_site, setup,
          teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_counts_every_reason_a_line_is_dropped, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_unknown_commune_is_one_warning_with_its_count, setup,
          teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_include_salaried_adds_salaried_sites_and_renumbers, setup,
          teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_without_territory_keeps_every_commune_of_the_table, setup,
          teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_arrondissement_counts_as_its_city, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_bom_and_crlf_on_every_line_read_the_same, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_latin1_header_finds_its_columns, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_reads_the_older_52_column_layout, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rpps_header_only_gives_no_site,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_missing_columns_are_named_in_one_error, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_wrong_field_count_is_an_error_on_each_line, setup,
          teardown),
      cmocka_unit_test_setup_teardown(test_rpps_stops_reading_after_50_errors,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_rpps_bad_identifiers_are_located,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_rpps_control_characters_are_escaped,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_too_many_fields_are_counted_not_stored, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rpps_empty_file_is_an_error, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_rpps_line_longer_than_the_buffer_is_an_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rpps_needs_a_communes_table, setup,
                                      teardown),
  };
  const struct CMUnitTest command[] = {
      cmocka_unit_test(
          test_import_rpps_writes_the_doctors_csv_of_the_territory),
      cmocka_unit_test(
          test_import_rpps_output_is_read_back_by_the_doctors_reader),
      cmocka_unit_test(
          test_import_rpps_bad_extract_exits_2_and_keeps_the_old_output),
      cmocka_unit_test(test_import_rpps_usage_errors_exit_2),
      cmocka_unit_test(test_import_rpps_help_and_version_exit_0),
  };
  int failed = cmocka_run_group_tests_name("rpps reader", reader, NULL, NULL);
  failed += cmocka_run_group_tests_name("import-rpps command", command,
                                        cmd_setup, cmd_teardown);
  return failed;
}
