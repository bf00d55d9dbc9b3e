/*
 * test_config.c — the JSON configuration file (models/config.c).
 *
 * The defaults are asserted literally against SPEC §4, independently of
 * the option table; the table itself is checked for consistency (unique
 * paths, no path both an option and a group, defaults inside their
 * ranges).  Parser tests run from strings and, table-driven, from the
 * folder tests/data/config/ of malformed files named after their defect,
 * each expected to give exactly one error at a given line and column.
 * The suite runs from the repository root.
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

#include "../models/config.h"

#define DATA "tests/data/config/"

/* ---- helpers -------------------------------------------------------- */

static cpt_status parse(const char *json, cpt_config *cfg, cpt_diags *d) {
  return cpt_config_parse("config.json", json, strlen(json), cfg, d);
}

/* The first kept diagnostic whose message contains `frag`, or NULL. */
static const cpt_diag *find_diag(const cpt_diags *d, const char *frag) {
  for (size_t i = 0; i < d->n; i++)
    if (strstr(d->v[i].msg, frag)) return &d->v[i];
  return NULL;
}

static void dump(const cpt_diags *d) { cpt_diags_print(d, stderr); }

/* An error containing `frag` at `line` (and `col` unless 0). */
static void expect_diag(const cpt_diags *d, long line, long col,
                        const char *frag) {
  const cpt_diag *e = find_diag(d, frag);
  if (!e) {
    dump(d);
    fail_msg("no diagnostic containing \"%s\"", frag);
  }
  assert_int_equal(e->level, CPT_DIAG_ERROR);
  if (e->line != line || (col && e->col != col)) {
    dump(d);
    fail_msg("\"%s\" at %ld:%ld, expected %ld:%ld", frag, e->line, e->col,
             line, col);
  }
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s (run from the repository root)", path);
  char *buf = malloc(1 << 16);
  assert_non_null(buf);
  *len = fread(buf, 1, (1 << 16) - 1, f);
  buf[*len] = '\0';
  fclose(f);
  return buf;
}

static int configs_equal(const cpt_config *a, const cpt_config *b) {
#define CMP(field, path, ctype, kind, def, lo, hi, help) \
  if (a->field != b->field) return 0;
  CPT_OPTIONS(CMP)
#undef CMP
  return 1;
}

/* One error, at line:col, containing frag, and cfg untouched. */
static void expect_single_error(const char *json, long line, long col,
                                const char *frag) {
  cpt_config cfg, def;
  cpt_config_init(&cfg);
  cpt_config_init(&def);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse(json, &cfg, &d), CPT_EINPUT);
  if (d.n_errors != 1) dump(&d);
  assert_int_equal(d.n_errors, 1);
  expect_diag(&d, line, col, frag);
  assert_string_equal(d.v[0].file, "config.json");
  assert_true(configs_equal(&cfg, &def));
  cpt_diags_free(&d);
}

/* ---- the option table and the defaults ------------------------------ */

static void test_defaults_equal_spec_section_4(void **state) {
  (void)state;
  cpt_config c;
  memset(&c, 0xAB, sizeof c);
  cpt_config_init(&c);
  assert_true(c.assign_max_km == 20);
  assert_true(c.assign_detour == 1.3);
  assert_true(c.assign_intra_commune_km == 2.0);
  assert_true(c.assign_cost_per_km == 1.0);
  assert_true(c.assign_priority_base == 100);
  assert_true(c.assign_priority_ald == 60);
  assert_true(c.assign_priority_age70 == 30);
  assert_true(c.assign_priority_child == 20);
  assert_true(c.assign_priority_precarity == 20);
  assert_true(c.assign_same_site_bonus == 10);
  assert_true(c.assign_fairness_threshold == 0.9);
  assert_true(c.assign_fairness_penalty == 5);
  assert_true(c.rota_w_under == 1000);
  assert_true(c.rota_w_over == 1);
  assert_true(c.rota_w_preferred == -1);
  assert_true(c.rota_w_fair == 10);
  assert_true(c.rota_min_rest_h == 11);
  assert_int_equal(c.rota_max_per_day, 2);
  assert_true(c.solver_time_limit_s == 60);
  assert_int_equal(c.solver_threads, 0);
  assert_int_equal(c.solver_seed, 1);
  assert_true(c.solver_mip_gap == 0.0);
}

typedef struct row {
  const char *path;
  double def, lo, hi;
} row;

static const row table[] = {
#define ROW(field, path, ctype, kind, def, lo, hi, help) \
  {path, (double)(def), (double)(lo), (double)(hi)},
    CPT_OPTIONS(ROW)
#undef ROW
};
enum { N_ROWS = sizeof table / sizeof table[0] };

static void test_option_table_is_consistent(void **state) {
  (void)state;
  for (size_t i = 0; i < N_ROWS; i++) {
    const char *p = table[i].path;
    size_t n = strlen(p);
    assert_true(n > 0 && p[0] != '.' && p[n - 1] != '.' && !strstr(p, ".."));
    assert_true(table[i].lo <= table[i].def && table[i].def <= table[i].hi);
    for (size_t j = 0; j < N_ROWS; j++) {
      if (i == j) continue;
      const char *q = table[j].path;
      if (strcmp(p, q) == 0) fail_msg("path %s appears twice", p);
      if (strncmp(q, p, n) == 0 && q[n] == '.')
        fail_msg("%s is both an option and a group (%s)", p, q);
    }
  }
}

static void test_defaults_pass_the_range_check(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_check(&c, &d), CPT_OK);
  assert_int_equal(d.n_errors, 0);
  cpt_diags_free(&d);
}

static void test_check_reports_every_out_of_range_field(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  c.assign_max_km = 0;
  c.solver_threads = 2000;
  c.solver_mip_gap = NAN;
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_check(&c, &d), CPT_EINPUT);
  assert_int_equal(d.n_errors, 3);
  expect_diag(&d, 0, 0, "'assign.max_km' = 0 is out of range [0.001, 20000]");
  expect_diag(&d, 0, 0, "'solver.threads' = 2000 is out of range [0, 1024]");
  expect_diag(&d, 0, 0, "'solver.mip_gap'");
  cpt_diags_free(&d);
}

/* ---- valid files ------------------------------------------------------ */

static void test_spec_example_parses_to_the_defaults(void **state) {
  (void)state;
  size_t len;
  char *buf = slurp(DATA "spec_example.json", &len);
  cpt_config c, def;
  cpt_config_init(&def);
  memset(&c, 0, sizeof c); /* every field must come from the file */
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_parse("spec", buf, len, &c, &d), CPT_OK);
  assert_int_equal(d.n, 0);
  /* rota.w_change (re-planning against a published rota) is an option
   * beyond SPEC §4's example: the only field the file does not set */
  assert_true(c.rota_w_change == 0);
  c.rota_w_change = def.rota_w_change;
  assert_true(configs_equal(&c, &def));
  free(buf);
  cpt_diags_free(&d);
}

static void test_full_file_sets_every_option(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_load(DATA "full.json", &c, &d), CPT_OK);
  assert_int_equal(d.n, 0);
  assert_true(c.assign_max_km == 35.5);
  assert_true(c.assign_detour == 1.45);
  assert_true(c.assign_intra_commune_km == 3.25);
  assert_true(c.assign_cost_per_km == 0.75);
  assert_true(c.assign_priority_base == 90);
  assert_true(c.assign_priority_ald == 70);
  assert_true(c.assign_priority_age70 == 35);
  assert_true(c.assign_priority_child == 25);
  assert_true(c.assign_priority_precarity == 15);
  assert_true(c.assign_same_site_bonus == 12.5);
  assert_true(c.assign_fairness_threshold == 0.8);
  assert_true(c.assign_fairness_penalty == 7);
  assert_true(c.rota_w_under == 2000);
  assert_true(c.rota_w_over == 3);
  assert_true(c.rota_w_preferred == -2.5);
  assert_true(c.rota_w_fair == 20);
  assert_true(c.rota_min_rest_h == 12);
  assert_int_equal(c.rota_max_per_day, 3);
  assert_true(c.solver_time_limit_s == 120);
  assert_int_equal(c.solver_threads, 4);
  assert_int_equal(c.solver_seed, 42);
  assert_true(c.solver_mip_gap == 0.01);
  cpt_diags_free(&d);
}

static void test_partial_file_keeps_the_other_defaults(void **state) {
  (void)state;
  cpt_config c, want;
  cpt_config_init(&c);
  cpt_config_init(&want);
  want.assign_priority_ald = 80;
  want.solver_seed = 7;
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_load(DATA "partial.json", &c, &d), CPT_OK);
  assert_true(configs_equal(&c, &want));
  cpt_diags_free(&d);
}

static void test_parse_reads_over_current_values_not_defaults(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  c.rota_w_fair = 33;
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse("{\"rota\": {\"w_over\": 4}}", &c, &d), CPT_OK);
  assert_true(c.rota_w_fair == 33);
  assert_true(c.rota_w_over == 4);
  cpt_diags_free(&d);
}

static void test_empty_object_and_empty_groups_are_accepted(void **state) {
  (void)state;
  cpt_config c, def;
  cpt_config_init(&c);
  cpt_config_init(&def);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse("{}", &c, &d), CPT_OK);
  assert_int_equal(parse(" {\"assign\": {\"priority\": {}}, \"rota\": {}}\n",
                         &c, &d),
                   CPT_OK);
  assert_true(configs_equal(&c, &def));
  assert_int_equal(d.n, 0);
  cpt_diags_free(&d);
}

static void test_integral_real_spelling_is_accepted_for_int(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(
      parse("{\"solver\": {\"threads\": 8.0, \"seed\": 9007199254740991}}",
            &c, &d),
      CPT_OK);
  assert_int_equal(c.solver_threads, 8);
  assert_true(c.solver_seed == INT64_C(9007199254740991));
  cpt_diags_free(&d);
}

static void test_bom_and_crlf_are_accepted_and_lines_counted(void **state) {
  (void)state;
  const char *ok = "\xEF\xBB\xBF{\r\n  \"solver\": {\"seed\": 5}\r\n}\r\n";
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse(ok, &c, &d), CPT_OK);
  assert_int_equal(c.solver_seed, 5);
  expect_single_error("\xEF\xBB\xBF{\r\n\r\n  \"solvr\": {}\r\n}", 3, 3,
                      "unknown key 'solvr'");
  cpt_diags_free(&d);
}

/* ---- unknown keys ------------------------------------------------------ */

static void test_unknown_top_level_key_names_path_and_line(void **state) {
  (void)state;
  expect_single_error("{\n  \"assign\": {},\n  \"colour\": 3\n}", 3, 3,
                      "unknown key 'colour'");
}

static void test_unknown_nested_key_names_full_path_and_line(void **state) {
  (void)state;
  expect_single_error("{\n"
                      "  \"assign\": {\n"
                      "    \"fairness\": {\n"
                      "      \"threshold\": 0.8,\n"
                      "      \"slope\": 2\n"
                      "    }\n"
                      "  }\n"
                      "}\n",
                      5, 7, "unknown key 'assign.fairness.slope'");
}

static void test_unknown_key_line_follows_the_occurrence(void **state) {
  (void)state;
  /* the same unknown name twice, and the key text inside an earlier
   * string and an ignored subtree: each error points at its own key */
  const char *json = "{\n"
                     "  \"zz\": [\"}\\\"x\\\"\", {\"x\": \"{\"}],\n"
                     "  \"rota\": {\"x\": 1},\n"
                     "  \"solver\": {\n"
                     "    \"x\": 2}\n"
                     "}";
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse(json, &c, &d), CPT_EINPUT);
  assert_int_equal(d.n_errors, 3);
  expect_diag(&d, 2, 3, "unknown key 'zz'");
  expect_diag(&d, 3, 12, "unknown key 'rota.x'");
  expect_diag(&d, 5, 5, "unknown key 'solver.x'");
  assert_string_equal(d.v[1].msg, "unknown key 'rota.x'"); /* no hint */
  cpt_diags_free(&d);
}

static void test_contents_of_an_unknown_key_are_not_checked(void **state) {
  (void)state;
  expect_single_error("{\"old\": {\"max_km\": \"far\", \"q\": true}}", 1, 2,
                      "unknown key 'old'");
}

static void test_typo_in_key_suggests_the_known_path(void **state) {
  (void)state;
  expect_single_error("{\"assign\": {\"max_kms\": 15}}", 1, 13,
                      "unknown key 'assign.max_kms' (did you mean "
                      "'assign.max_km'?)");
  expect_single_error("{\"asign\": {}}", 1, 2,
                      "unknown key 'asign' (did you mean 'assign'?)");
  expect_single_error("{\"assign\": {\"priorty\": {}}}", 1, 13,
                      "(did you mean 'assign.priority'?)");
  expect_single_error("{\"solver\": {\"time_limit\": 5}}", 1, 13,
                      "(did you mean 'solver.time_limit_s'?)");
  expect_single_error("{\"rota\": {\"w_ovre\": 5}}", 1, 11,
                      "(did you mean 'rota.w_over'?)");
}

static void test_key_at_the_wrong_level_suggests_its_path(void **state) {
  (void)state;
  expect_single_error("{\"max_km\": 15}", 1, 2,
                      "unknown key 'max_km' (did you mean 'assign.max_km'?)");
  expect_single_error("{\"assign\": {\"ald\": 15}}", 1, 13,
                      "(did you mean 'assign.priority.ald'?)");
}

static void test_far_unknown_key_gets_no_suggestion(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse("{\"verbose\": 1}", &c, &d), CPT_EINPUT);
  assert_int_equal(d.n_errors, 1);
  assert_null(strstr(d.v[0].msg, "did you mean"));
  cpt_diags_free(&d);
}

static void test_dotted_key_is_not_a_path(void **state) {
  (void)state;
  expect_single_error("{\"assign.max_km\": 15}", 1, 2,
                      "a key is not a dotted path");
}

static void test_escaped_key_is_decoded_before_lookup(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse("{\"assign\": {\"max\\u005fkm\": 12}}", &c, &d),
                   CPT_OK);
  assert_true(c.assign_max_km == 12);
  cpt_diags_free(&d);
  expect_single_error("{\"a\\u0073sign\": {\n\"x\\\"y\": 1}}", 2, 1,
                      "unknown key 'assign.x\"y'");
}

/* ---- values ------------------------------------------------------------ */

static void test_group_given_a_non_object_is_an_error(void **state) {
  (void)state;
  expect_single_error("{\"assign\": 3}", 1, 12,
                      "'assign' is a group of options and must be an object");
  expect_single_error("{\"assign\": {\"priority\": [1]}}", 1, 25,
                      "'assign.priority' is a group of options and must be "
                      "an object {...}, got an array");
}

static void test_wrong_type_names_the_expected_type(void **state) {
  (void)state;
  expect_single_error("{\"assign\": {\"max_km\": \"20\"}}", 1, 23,
                      "'assign.max_km' must be a number, got a string");
  expect_single_error("{\"solver\": {\"threads\": true}}", 1, 24,
                      "'solver.threads' must be an integer, got true");
  expect_single_error("{\"solver\": {\"mip_gap\": false}}", 1, 24,
                      "'solver.mip_gap' must be a number, got false");
  expect_single_error("{\"solver\": {\"seed\": null}}", 1, 21,
                      "'solver.seed' must be an integer, got null");
  expect_single_error("{\"rota\": {\"w_fair\": {}}}", 1, 21,
                      "'rota.w_fair' must be a number, got an object");
}

static void test_out_of_range_names_the_range(void **state) {
  (void)state;
  expect_single_error("{\"solver\": {\"mip_gap\": 1.5}}", 1, 24,
                      "'solver.mip_gap' = 1.5 is out of range [0, 1]");
  expect_single_error("{\"assign\": {\"max_km\": 0}}", 1, 23,
                      "'assign.max_km' = 0 is out of range [0.001, 20000]");
  expect_single_error("{\"solver\": {\"threads\": -1}}", 1, 24,
                      "'solver.threads' = -1 is out of range [0, 1024]");
  expect_single_error("{\"solver\": {\"seed\": 9007199254740992}}", 1, 21,
                      "is out of range [0, 9007199254740991]");
  expect_single_error("{\"assign\": {\"detour\": 1e999}}", 1, 23,
                      "'assign.detour' = inf is out of range [1, 10]");
}

static void test_boundaries_of_the_range_are_accepted(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse("{\"assign\": {\"max_km\": 0.001, \"detour\": 10},"
                         " \"rota\": {\"max_per_day\": 48,"
                         " \"w_preferred\": -1e6}}",
                         &c, &d),
                   CPT_OK);
  assert_true(c.assign_max_km == 0.001);
  assert_int_equal(c.rota_max_per_day, 48);
  cpt_diags_free(&d);
}

static void test_non_integral_value_for_int_option_is_rejected(void **state) {
  (void)state;
  expect_single_error("{\"rota\": {\"max_per_day\": 2.5}}", 1, 26,
                      "'rota.max_per_day' must be an integer, got 2.5");
  expect_single_error("{\"solver\": {\"threads\": 1e-3}}", 1, 24,
                      "'solver.threads' must be an integer, got 0.001");
}

/* ---- syntax ------------------------------------------------------------ */

static void test_syntax_error_reports_line_and_column(void **state) {
  (void)state;
  expect_single_error("{\n  \"assign\": {\n    \"max_km\": 15\n"
                      "    \"detour\": 1.2\n  }\n}\n",
                      4, 5, "invalid JSON near '\"detour\": 1.2'");
  expect_single_error("{\n  \"assign\": { \"max_km\": 15, }\n}", 2, 29,
                      "invalid JSON near '}'");
  expect_single_error("{\n  'assign': {}\n}", 2, 3, "invalid JSON near ''");
  expect_single_error("{\"solver\": {\"seed\": tru}}", 1, 21,
                      "invalid JSON near 'tru}}'");
}

static void test_truncated_file_reports_unexpected_end(void **state) {
  (void)state;
  expect_single_error("{\n  \"assign\": { \"max_km\": 15 }\n", 2, 29,
                      "unexpected end of file (missing '}')");
  expect_single_error("{\"assign\": [1,\n", 1, 15,
                      "unexpected end of file (missing ']')");
  expect_single_error("{\n  \"assign\": {\n    \"max_km: 15\n  }\n}\n", 3, 5,
                      "unterminated string");
}

static void test_text_after_the_object_is_an_error(void **state) {
  (void)state;
  expect_single_error("{}\n{}\n", 2, 1,
                      "unexpected text after the JSON object: '{}'");
  expect_single_error("{} x", 1, 4, "unexpected text after the JSON object");
}

static void test_nul_byte_after_the_object_is_an_error(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_parse("n", "{}\0{}", 5, &c, &d), CPT_EINPUT);
  expect_diag(&d, 1, 3, "'\\x00{}'");
  cpt_diags_free(&d);
}

static void test_top_level_must_be_an_object(void **state) {
  (void)state;
  expect_single_error("\n  [ {} ]", 2, 3,
                      "a config file must be a JSON object {...}, got an "
                      "array");
  expect_single_error("42", 1, 1, "got a number");
}

static void test_empty_file_is_an_error(void **state) {
  (void)state;
  expect_single_error("", 0, 0, "empty config file");
  expect_single_error(" \n\t\n", 0, 0, "empty config file");
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_parse("x", NULL, 0, &c, &d), CPT_EINPUT);
  assert_int_equal(cpt_config_load(DATA "empty.json", &c, &d), CPT_EINPUT);
  assert_int_equal(d.n_errors, 2);
  cpt_diags_free(&d);
}

/* ---- duplicates and several errors ------------------------------------- */

static void test_duplicate_key_is_an_error(void **state) {
  (void)state;
  expect_single_error("{\"solver\": {\"seed\": 3,\n  \"seed\": 4}}", 2, 3,
                      "duplicate key 'solver.seed' (first given on line 1)");
  /* a repeated group is reported once, not for each of its members */
  expect_single_error("{\n\"rota\": {\"w_over\": 2},\n"
                      "\"rota\": {\"w_over\": 3}\n}",
                      3, 1, "duplicate key 'rota' (first given on line 2)");
}

static void test_several_errors_are_listed_together(void **state) {
  (void)state;
  const char *json = "{\n"
                     "  \"assign\": {\n"
                     "    \"max_km\": -5,\n"
                     "    \"detuor\": 1.2,\n"
                     "    \"priority\": { \"ald\": \"high\" }\n"
                     "  },\n"
                     "  \"rota\": { \"max_per_day\": 1.5 },\n"
                     "  \"solver\": { \"seed\": 1, \"seed\": 2 },\n"
                     "  \"extra\": true\n"
                     "}\n";
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse(json, &c, &d), CPT_EINPUT);
  assert_int_equal(d.n_errors, 6);
  expect_diag(&d, 3, 15, "'assign.max_km' = -5 is out of range");
  expect_diag(&d, 4, 5, "did you mean 'assign.detour'?");
  expect_diag(&d, 5, 26, "'assign.priority.ald' must be a number");
  expect_diag(&d, 7, 28, "'rota.max_per_day' must be an integer");
  expect_diag(&d, 8, 26, "duplicate key 'solver.seed' (first given on line 8)");
  expect_diag(&d, 9, 3, "unknown key 'extra'");
  /* in document order */
  for (size_t i = 1; i < d.n; i++) assert_true(d.v[i - 1].line < d.v[i].line);
  cpt_diags_free(&d);
}

static void test_errors_beyond_the_kept_ones_are_counted(void **state) {
  (void)state;
  enum { KEYS = 5000 };
  size_t cap = KEYS * 16 + 16, n = 0;
  char *json = malloc(cap);
  assert_non_null(json);
  n += (size_t)snprintf(json + n, cap - n, "{");
  for (int i = 0; i < KEYS; i++)
    n += (size_t)snprintf(json + n, cap - n, "%s\n\"k%d\": 1",
                          i ? "," : "", i);
  snprintf(json + n, cap - n, "}");
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse(json, &c, &d), CPT_EINPUT);
  assert_int_equal(d.n_errors, KEYS);
  assert_int_equal(d.n, d.max_kept);
  assert_int_equal(d.dropped, KEYS - d.max_kept);
  for (size_t i = 0; i < d.n; i++) assert_int_equal(d.v[i].line, (long)i + 2);
  free(json);
  cpt_diags_free(&d);
}

static void test_error_leaves_the_config_unchanged(void **state) {
  (void)state;
  cpt_config c, before;
  cpt_config_init(&c);
  c.solver_seed = 99;
  before = c;
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(
      parse("{\"solver\": {\"seed\": 5, \"threads\": 2.5}}", &c, &d),
      CPT_EINPUT);
  assert_true(configs_equal(&c, &before));
  cpt_diags_free(&d);
}

static void test_null_diags_still_return_the_status(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  assert_int_equal(parse("{\"nope\": 1}", &c, NULL), CPT_EINPUT);
  assert_int_equal(cpt_config_set(&c, "nope", "1", NULL), CPT_EINPUT);
  assert_int_equal(parse("{\"solver\": {\"seed\": 4}}", &c, NULL), CPT_OK);
  assert_int_equal(c.solver_seed, 4);
}

/* ---- malformed files, table-driven ------------------------------------ */

typedef struct bad_file {
  const char *name;
  long line, col;
  const char *frag;
} bad_file;

static const bad_file bad_files[] = {
    {"unknown_top_level_key.json", 3, 3,
     "unknown key 'solvr' (did you mean 'solver'?)"},
    {"unknown_nested_key.json", 6, 7, "unknown key 'assign.priority.elderly'"},
    {"typo_in_key.json", 3, 5, "did you mean 'assign.max_km'?"},
    {"key_at_wrong_level.json", 2, 3, "did you mean 'assign.max_km'?"},
    {"dotted_key.json", 2, 3, "a key is not a dotted path"},
    {"string_value.json", 2, 25, "must be a number, got a string"},
    {"boolean_value.json", 3, 16, "must be an integer, got true"},
    {"null_value.json", 2, 23, "must be an integer, got null"},
    {"array_value.json", 2, 25, "must be a number, got an array"},
    {"group_not_object.json", 2, 13, "must be an object {...}, got a number"},
    {"out_of_range.json", 3, 16, "= 1.5 is out of range [0, 1]"},
    {"negative_int.json", 2, 26, "= -1 is out of range [0, 1024]"},
    {"huge_number.json", 2, 25, "= inf is out of range [0.001, 20000]"},
    {"non_integral_int.json", 2, 28, "must be an integer, got 2.5"},
    {"duplicate_key.json", 3, 15, "duplicate key 'solver.seed'"},
    {"duplicate_group.json", 3, 3, "duplicate key 'rota'"},
    {"missing_comma.json", 4, 5, "invalid JSON near"},
    {"trailing_comma.json", 2, 29, "invalid JSON near '}'"},
    {"single_quotes.json", 2, 3, "invalid JSON near"},
    {"unclosed_object.json", 2, 29, "unexpected end of file"},
    {"unterminated_string.json", 3, 5, "unterminated string"},
    {"trailing_text.json", 2, 1, "unexpected text after the JSON object"},
    {"top_level_array.json", 1, 1, "must be a JSON object"},
    {"control_char_in_key.json", 2, 12, "unknown key 'rota.max_?[2Jday'"},
    {"empty.json", 0, 0, "empty config file"},
    {"whitespace_only.json", 0, 0, "empty config file"},
};

static void test_each_malformed_file_gives_one_located_error(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
    const bad_file *b = &bad_files[i];
    char path[256];
    snprintf(path, sizeof path, DATA "%s", b->name);
    cpt_config c, def;
    cpt_config_init(&c);
    cpt_config_init(&def);
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_status st = cpt_config_load(path, &c, &d);
    if (st != CPT_EINPUT || d.n_errors != 1) {
      dump(&d);
      fail_msg("%s: status %d, %zu errors", b->name, (int)st, d.n_errors);
    }
    assert_string_equal(d.v[0].file, path);
    expect_diag(&d, b->line, b->col, b->frag);
    assert_true(configs_equal(&c, &def));
    cpt_diags_free(&d);
  }
}

static void test_missing_file_is_an_io_error(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_load(DATA "no_such_file.json", &c, &d),
                   CPT_EIO);
  expect_diag(&d, 0, 0, "cannot open");
  cpt_diags_free(&d);
}

/* ---- to_json ----------------------------------------------------------- */

static void test_to_json_has_spec_layout_in_table_order(void **state) {
  (void)state;
  cpt_config c;
  cpt_config_init(&c);
  cJSON *j = cpt_config_to_json(&c);
  assert_non_null(j);
  /* every option at its nested path, with its value */
  size_t i = 0;
#define AT(field, path, ctype, kind, def, lo, hi, help)                       \
  {                                                                           \
    const cJSON *node = j;                                                    \
    char buf[128];                                                            \
    snprintf(buf, sizeof buf, "%s", path);                                    \
    for (char *seg = strtok(buf, "."); seg; seg = strtok(NULL, "."))          \
      node = cJSON_GetObjectItemCaseSensitive(node, seg);                     \
    assert_true(cJSON_IsNumber(node));                                        \
    assert_true(node->valuedouble == (double)c.field);                        \
    i++;                                                                      \
  }
  CPT_OPTIONS(AT)
#undef AT
  assert_int_equal(i, N_ROWS);
  char *s = cJSON_PrintUnformatted(j);
  assert_non_null(s);
  /* groups in table order, integers without a fraction */
  assert_true(strncmp(s, "{\"assign\":{\"max_km\":20,\"detour\":1.3,", 36) ==
              0);
  assert_non_null(strstr(s, "\"priority\":{\"base\":100,\"ald\":60,\"age70\":30,"
                            "\"child\":20,\"precarity\":20}"));
  assert_non_null(strstr(s, "\"rota\":{\"w_under\":1000,\"w_over\":1,"
                            "\"w_preferred\":-1,"));
  assert_non_null(strstr(s, "\"max_per_day\":2}"));
  assert_non_null(strstr(s, "\"solver\":{\"time_limit_s\":60,\"threads\":0,"
                            "\"seed\":1,\"mip_gap\":0}}"));
  assert_true(strstr(s, "\"assign\"") < strstr(s, "\"rota\"") &&
              strstr(s, "\"rota\"") < strstr(s, "\"solver\""));
  free(s);
  cJSON_Delete(j);
}

static void test_to_json_round_trips_through_parse(void **state) {
  (void)state;
  cpt_config c, back;
  cpt_config_init(&c);
  c.assign_max_km = 0.3; /* decimal values, as users write them */
  c.assign_detour = 1.45;
  c.assign_fairness_threshold = 1e-7;
  c.rota_w_preferred = -123456.789;
  c.rota_max_per_day = 48;
  c.solver_seed = INT64_C(9007199254740991);
  c.solver_threads = 7;
  c.solver_mip_gap = 0.05;
  cJSON *j = cpt_config_to_json(&c);
  char *s = cJSON_Print(j);
  assert_non_null(s);
  memset(&back, 0, sizeof back);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(parse(s, &back, &d), CPT_OK);
  assert_true(configs_equal(&c, &back));
  /* a 16-digit seed keeps every digit */
  assert_non_null(strstr(s, "\"seed\":\t9007199254740991"));
  free(s);
  cJSON_Delete(j);
  cpt_diags_free(&d);
}

static void test_to_json_is_deterministic(void **state) {
  (void)state;
  cpt_config a, b;
  cpt_config_init(&a);
  cpt_config_init(&b);
  cJSON *ja = cpt_config_to_json(&a), *jb = cpt_config_to_json(&b);
  char *sa = cJSON_Print(ja), *sb = cJSON_Print(jb);
  assert_string_equal(sa, sb);
  free(sa);
  free(sb);
  cJSON_Delete(ja);
  cJSON_Delete(jb);
}

/* ---- --set ------------------------------------------------------------- */

static void test_set_overrides_one_option(void **state) {
  (void)state;
  cpt_config c, want;
  cpt_config_init(&c);
  cpt_config_init(&want);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_load(DATA "partial.json", &c, &d), CPT_OK);
  assert_int_equal(cpt_config_set(&c, "assign.max_km", "15", &d), CPT_OK);
  assert_int_equal(cpt_config_set(&c, "solver.seed", "12", &d), CPT_OK);
  want.assign_priority_ald = 80;
  want.assign_max_km = 15;
  want.solver_seed = 12;
  assert_true(configs_equal(&c, &want));
  assert_int_equal(d.n, 0);
  cpt_diags_free(&d);
}

static void test_set_accepts_number_spellings(void **state) {
  (void)state;
  static const struct {
    const char *text;
    double v;
  } ok[] = {{"1.5", 1.5}, {"1,5", 1.5}, {"+2", 2},   {"2.", 2},
            {".5", 0.5},  {",5", 0.5},  {"1e1", 10}, {"1,25E+0", 1.25},
            {"10", 10},   {"3.0", 3}};
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    assert_int_equal(cpt_config_set(&c, "rota.w_fair", ok[i].text, &d),
                     CPT_OK);
    assert_true(c.rota_w_fair == ok[i].v);
  }
  assert_int_equal(cpt_config_set(&c, "rota.w_preferred", "-0,5", &d),
                   CPT_OK);
  assert_true(c.rota_w_preferred == -0.5);
  assert_int_equal(cpt_config_set(&c, "solver.threads", "4", &d), CPT_OK);
  assert_int_equal(c.solver_threads, 4);
  assert_int_equal(d.n, 0);
  cpt_diags_free(&d);
}

static void test_set_rejects_malformed_numbers(void **state) {
  (void)state;
  static const char *bad[] = {"",     " 15",  "15 ", "15km", "1.2.3", "1,5,0",
                              "0x10", "nan",  "inf", "-",    ".",     "1e",
                              "e5",   "1e+", "--1", "1_000", "٣"};
  cpt_config c, before;
  cpt_config_init(&c);
  before = c;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cpt_diags d;
    cpt_diags_init(&d);
    if (cpt_config_set(&c, "assign.max_km", bad[i], &d) != CPT_EINPUT)
      fail_msg("'%s' was accepted", bad[i]);
    expect_diag(&d, 0, 0, "'assign.max_km' must be a number, got '");
    cpt_diags_free(&d);
  }
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_set(&c, "assign.max_km", NULL, &d), CPT_EINPUT);
  assert_true(configs_equal(&c, &before));
  cpt_diags_free(&d);
}

static void test_set_unknown_key_suggests_and_names_command_line(void **s) {
  (void)s;
  cpt_config c;
  cpt_config_init(&c);
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_set(&c, "assign.maxkm", "15", &d), CPT_EINPUT);
  assert_int_equal(cpt_config_set(&c, "seed", "3", &d), CPT_EINPUT);
  assert_int_equal(cpt_config_set(&c, "assign", "3", &d), CPT_EINPUT);
  assert_int_equal(cpt_config_set(&c, "colour", "3", &d), CPT_EINPUT);
  assert_int_equal(d.n_errors, 4);
  expect_diag(&d, 0, 0,
              "unknown option 'assign.maxkm' (did you mean 'assign.max_km'?)");
  expect_diag(&d, 0, 0, "unknown option 'seed' (did you mean 'solver.seed'?)");
  expect_diag(&d, 0, 0, "'assign' is a group of options, not an option");
  assert_string_equal(d.v[3].msg, "unknown option 'colour'");
  for (size_t i = 0; i < d.n; i++)
    assert_string_equal(d.v[i].file, "command line");
  char line[256];
  assert_string_equal(cpt_diag_format(&d.v[0], line, sizeof line),
                      "command line: error: unknown option 'assign.maxkm' "
                      "(did you mean 'assign.max_km'?)");
  cpt_diags_free(&d);
}

static void test_set_checks_range_and_integrality(void **state) {
  (void)state;
  cpt_config c, before;
  cpt_config_init(&c);
  before = c;
  cpt_diags d;
  cpt_diags_init(&d);
  assert_int_equal(cpt_config_set(&c, "solver.mip_gap", "2", &d), CPT_EINPUT);
  assert_int_equal(cpt_config_set(&c, "solver.threads", "2,5", &d),
                   CPT_EINPUT);
  assert_int_equal(cpt_config_set(&c, "rota.max_per_day", "0", &d),
                   CPT_EINPUT);
  assert_int_equal(cpt_config_set(&c, "assign.max_km", "1e999", &d),
                   CPT_EINPUT);
  expect_diag(&d, 0, 0, "'solver.mip_gap' = 2 is out of range [0, 1]");
  expect_diag(&d, 0, 0, "'solver.threads' must be an integer, got 2.5");
  expect_diag(&d, 0, 0, "'rota.max_per_day' = 0 is out of range [1, 48]");
  expect_diag(&d, 0, 0, "'assign.max_km' = inf is out of range");
  assert_true(configs_equal(&c, &before));
  cpt_diags_free(&d);
}

/* ---- help -------------------------------------------------------------- */

static void test_help_lists_every_option_in_aligned_columns(void **state) {
  (void)state;
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  assert_non_null(f);
  cpt_config_print_help(f);
  fclose(f);
  /* header + one line per option, columns starting at the same offsets */
  char *lines[64];
  size_t n = 0;
  for (char *p = strtok(text, "\n"); p && n < 64; p = strtok(NULL, "\n"))
    lines[n++] = p;
  assert_int_equal(n, N_ROWS + 1);
  const char *hdr = lines[0];
  size_t c_def = (size_t)(strstr(hdr, "default") - hdr);
  size_t c_range = (size_t)(strstr(hdr, "range") - hdr);
  size_t c_help = (size_t)(strstr(hdr, "description") - hdr);
  for (size_t i = 0; i < N_ROWS; i++) {
    const char *l = lines[i + 1];
    size_t len = strlen(table[i].path);
    assert_memory_equal(l, table[i].path, len);
    assert_true(l[c_def - 1] == ' ' && l[c_def] != ' ');
    assert_true(l[c_range - 1] == ' ' && l[c_range] == '[');
    assert_true(l[c_help - 1] == ' ' && l[c_help] != ' ');
  }
  assert_true(strncmp(lines[1], "assign.max_km ", 14) == 0);
  assert_true(strncmp(lines[1] + c_def, "20 ", 3) == 0);
  assert_true(strncmp(lines[1] + c_range, "[0.001, 20000] ", 15) == 0);
  assert_true(strncmp(lines[2] + c_def, "1.3 ", 4) == 0);
  /* integers printed whole, INT kinds marked */
  char *seed = strstr(lines[N_ROWS - 1], "[0, 9007199254740991] integer");
  assert_non_null(seed);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults_equal_spec_section_4),
      cmocka_unit_test(test_option_table_is_consistent),
      cmocka_unit_test(test_defaults_pass_the_range_check),
      cmocka_unit_test(test_check_reports_every_out_of_range_field),
      cmocka_unit_test(test_spec_example_parses_to_the_defaults),
      cmocka_unit_test(test_full_file_sets_every_option),
      cmocka_unit_test(test_partial_file_keeps_the_other_defaults),
      cmocka_unit_test(test_parse_reads_over_current_values_not_defaults),
      cmocka_unit_test(test_empty_object_and_empty_groups_are_accepted),
      cmocka_unit_test(test_integral_real_spelling_is_accepted_for_int),
      cmocka_unit_test(test_bom_and_crlf_are_accepted_and_lines_counted),
      cmocka_unit_test(test_unknown_top_level_key_names_path_and_line),
      cmocka_unit_test(test_unknown_nested_key_names_full_path_and_line),
      cmocka_unit_test(test_unknown_key_line_follows_the_occurrence),
      cmocka_unit_test(test_contents_of_an_unknown_key_are_not_checked),
      cmocka_unit_test(test_typo_in_key_suggests_the_known_path),
      cmocka_unit_test(test_key_at_the_wrong_level_suggests_its_path),
      cmocka_unit_test(test_far_unknown_key_gets_no_suggestion),
      cmocka_unit_test(test_dotted_key_is_not_a_path),
      cmocka_unit_test(test_escaped_key_is_decoded_before_lookup),
      cmocka_unit_test(test_group_given_a_non_object_is_an_error),
      cmocka_unit_test(test_wrong_type_names_the_expected_type),
      cmocka_unit_test(test_out_of_range_names_the_range),
      cmocka_unit_test(test_boundaries_of_the_range_are_accepted),
      cmocka_unit_test(test_non_integral_value_for_int_option_is_rejected),
      cmocka_unit_test(test_syntax_error_reports_line_and_column),
      cmocka_unit_test(test_truncated_file_reports_unexpected_end),
      cmocka_unit_test(test_text_after_the_object_is_an_error),
      cmocka_unit_test(test_nul_byte_after_the_object_is_an_error),
      cmocka_unit_test(test_top_level_must_be_an_object),
      cmocka_unit_test(test_empty_file_is_an_error),
      cmocka_unit_test(test_duplicate_key_is_an_error),
      cmocka_unit_test(test_several_errors_are_listed_together),
      cmocka_unit_test(test_errors_beyond_the_kept_ones_are_counted),
      cmocka_unit_test(test_error_leaves_the_config_unchanged),
      cmocka_unit_test(test_null_diags_still_return_the_status),
      cmocka_unit_test(test_each_malformed_file_gives_one_located_error),
      cmocka_unit_test(test_missing_file_is_an_io_error),
      cmocka_unit_test(test_to_json_has_spec_layout_in_table_order),
      cmocka_unit_test(test_to_json_round_trips_through_parse),
      cmocka_unit_test(test_to_json_is_deterministic),
      cmocka_unit_test(test_set_overrides_one_option),
      cmocka_unit_test(test_set_accepts_number_spellings),
      cmocka_unit_test(test_set_rejects_malformed_numbers),
      cmocka_unit_test(test_set_unknown_key_suggests_and_names_command_line),
      cmocka_unit_test(test_set_checks_range_and_integrality),
      cmocka_unit_test(test_help_lists_every_option_in_aligned_columns),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
