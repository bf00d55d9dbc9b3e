/*
 * test_check.c — `cptsopt check` end to end, in process.
 *
 * Every malformed fixture (tests/data/malformed/{patients,doctors,communes},
 * tests/data/rota/malformed) gives exit 2, prints each error the file's
 * own reader records, located (FILE:LINE:COL), and a summary line with
 * that error count; a few located errors are also pinned by hand.  Every
 * good fixture gives exit 0 with "0 errors".  The cross-file rules (unknown
 * doctor or slot ids in availability, history, pinned, previous; the
 * assign warnings) are located in the referring file; pinned pairs that
 * break a hard rule are errors of the pinned file; the config is checked;
 * usage errors exit 2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cmd_tools.h"
#include "../models/communes.h"
#include "../models/readers.h"
#include "../models/rota.h"

#define COMMUNES "tests/data/communes_small.csv"
#define ROTA "tests/data/rota_cli/"
#define DASH "\xE2\x80\x93"

static char dir[64];

static const char *tmp_path(const char *name) {
  static char buf[8][256];
  static int k;
  k = (k + 1) % 8;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

static void write_file(const char *name, const char *text) {
  FILE *f = fopen(tmp_path(name), "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Run `cptsopt check ARGS` (NULL-terminated); its standard output is
 * returned (caller frees), its exit code in *rc. */
static char *check(int *rc, const char *first, ...) {
  char *argv[64];
  static char store[64][512]; /* writable: --set splits its value */
  int argc = 0;
  argv[argc++] = "check";
  va_list ap;
  va_start(ap, first);
  for (const char *a = first; a && argc < 63; a = va_arg(ap, const char *)) {
    snprintf(store[argc], sizeof store[argc], "%s", a);
    argv[argc] = store[argc];
    argc++;
  }
  va_end(ap);
  argv[argc] = NULL;
  fflush(stdout);
  FILE *cap = tmpfile();
  assert_non_null(cap);
  int saved = dup(1);
  assert_true(saved >= 0);
  assert_true(dup2(fileno(cap), 1) >= 0);
  *rc = cpt_cmd_check(argc, argv);
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  long n = ftell(cap);
  assert_true(n >= 0);
  char *out = malloc((size_t)n + 1);
  assert_non_null(out);
  rewind(cap);
  assert_int_equal(fread(out, 1, (size_t)n, cap), (size_t)n);
  out[n] = '\0';
  fclose(cap);
  return out;
}

static void assert_contains(const char *out, const char *what) {
  if (!strstr(out, what))
    fail_msg("expected \"%s\" in the output:\n%s", what, out);
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/cpt_check_XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

/* --- Every fixture ------------------------------------------------------ */

typedef enum { K_PATIENTS, K_DOCTORS, K_COMMUNES, K_SLOTS, K_AVAIL, K_HIST,
               K_PINS } kind;

static const char *const kind_opt[] = {"--patients", "--doctors", "--communes",
                                       "--slots", "--availability",
                                       "--history", "--pinned"};

/* The file's own reader, for the reference list of diagnostics. */
static cpt_status read_with_reader(kind k, const char *path,
                                   const cpt_communes *c, cpt_diags *d) {
  cpt_status st = CPT_OK;
  switch (k) {
  case K_PATIENTS: {
    cpt_patients *t = NULL;
    st = cpt_patients_load(path, c, &t, d);
    cpt_patients_free(t);
    break;
  }
  case K_DOCTORS: {
    cpt_doctors *t = NULL;
    st = cpt_doctors_load(path, c, &t, d);
    cpt_doctors_free(t);
    break;
  }
  case K_COMMUNES: {
    cpt_communes *t = NULL;
    st = cpt_communes_load(path, &t, d);
    cpt_communes_free(t);
    break;
  }
  case K_SLOTS: {
    cpt_slots *t = NULL;
    st = cpt_slots_load(path, &t, d);
    cpt_slots_free(t);
    break;
  }
  case K_AVAIL: {
    cpt_avails *t = NULL;
    st = cpt_avails_load(path, &t, d);
    cpt_avails_free(t);
    break;
  }
  case K_HIST: {
    cpt_hists *t = NULL;
    st = cpt_hists_load(path, &t, d);
    cpt_hists_free(t);
    break;
  }
  case K_PINS: {
    cpt_pins *t = NULL;
    st = cpt_pins_load(path, &t, d);
    cpt_pins_free(t);
    break;
  }
  }
  return st;
}

static kind rota_kind(const char *name) {
  if (!strncmp(name, "slots_", 6)) return K_SLOTS;
  if (!strncmp(name, "availability_", 13)) return K_AVAIL;
  if (!strncmp(name, "history_", 8)) return K_HIST;
  if (!strncmp(name, "pinned_", 7)) return K_PINS;
  fail_msg("unexpected rota fixture %s", name);
  return K_SLOTS;
}

/* Check one fixture: exit code, every error of the reader printed and
 * located, the summary line's error count.  Returns the number of files. */
static int check_fixture(kind k, const char *path, bool bad,
                         const cpt_communes *communes) {
  cpt_diags ref;
  cpt_diags_init(&ref);
  cpt_status st = read_with_reader(k, path, communes, &ref);
  int rc;
  char *out = k == K_COMMUNES
                  ? check(&rc, "--communes", path, NULL)
                  : check(&rc, "--communes", COMMUNES, kind_opt[k], path, NULL);
  if (bad) {
    if (st != CPT_EINPUT || rc != 2)
      fail_msg("%s: reader status %d, check exit %d; want bad input, 2\n%s",
               path, (int)st, rc, out);
    assert_true(ref.n_errors > 0);
  } else if (st != CPT_OK || rc != 0) {
    fail_msg("%s: reader status %d, check exit %d; want ok, 0\n%s", path,
             (int)st, rc, out);
  }
  char line[2048];
  for (size_t i = 0; i < ref.n; i++) {
    cpt_diag_format(&ref.v[i], line, sizeof line);
    assert_contains(out, line);
    if (i == 0 && bad) { /* located in this file */
      char where[512];
      snprintf(where, sizeof where, "%s:", path);
      assert_int_equal(strncmp(line, where, strlen(where)), 0);
    }
  }
  /* the summary line: "PATH: N rows, ..." (a diagnostic about the whole
   * file also starts with "PATH: ", followed by "error:") */
  snprintf(line, sizeof line, "%s: ", path);
  const char *sum = out;
  while ((sum = strstr(sum, line)) &&
         !(sum[strlen(line)] >= '0' && sum[strlen(line)] <= '9'))
    sum++;
  if (!sum) fail_msg("no summary line for %s:\n%s", path, out);
  char counts[128];
  snprintf(counts, sizeof counts, "%zu error%s, %zu warning", ref.n_errors,
           ref.n_errors == 1 ? "" : "s", ref.n_warnings);
  const char *eol = strchr(sum, '\n');
  assert_non_null(eol);
  char *found = strstr(sum, counts);
  if (!found || found > eol)
    fail_msg("summary of %s lacks \"%s\":\n%s", path, counts, out);
  free(out);
  cpt_diags_free(&ref);
  return 1;
}

static int walk(const char *folder, int k_fixed, bool bad,
                const cpt_communes *communes) {
  DIR *d = opendir(folder);
  assert_non_null(d);
  struct dirent *e;
  int n = 0;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len < 5 || strcmp(e->d_name + len - 4, ".csv")) continue;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
    kind k = k_fixed >= 0 ? (kind)k_fixed : rota_kind(e->d_name);
    n += check_fixture(k, path, bad, communes);
  }
  closedir(d);
  return n;
}

static cpt_communes *communes_small(void) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = NULL;
  assert_int_equal(cpt_communes_load(COMMUNES, &c, &d), CPT_OK);
  cpt_diags_free(&d);
  return c;
}

static void test_every_malformed_file_exits_2_with_its_located_errors(
    void **state) {
  (void)state;
  cpt_communes *c = communes_small();
  int n = walk("tests/data/malformed/patients", K_PATIENTS, true, c) +
          walk("tests/data/malformed/doctors", K_DOCTORS, true, c) +
          walk("tests/data/malformed/communes", K_COMMUNES, true, c) +
          walk("tests/data/rota/malformed", -1, true, c);
  assert_true(n >= 70); /* the fixture folders as of this suite */
  cpt_communes_free(c);
}

static void test_every_good_file_exits_0(void **state) {
  (void)state;
  cpt_communes *c = communes_small();
  DIR *d = opendir("tests/data/good");
  assert_non_null(d);
  struct dirent *e;
  int n = 0;
  while ((e = readdir(d))) {
    if (!strstr(e->d_name, ".csv")) continue;
    char path[512];
    snprintf(path, sizeof path, "tests/data/good/%s", e->d_name);
    n += check_fixture(strncmp(e->d_name, "doctors", 7) ? K_PATIENTS
                                                        : K_DOCTORS,
                       path, false, c);
  }
  closedir(d);
  n += walk("tests/data/rota/good", -1, false, c);
  assert_true(n >= 18);
  cpt_communes_free(c);
}

/* Located by hand, independently of the readers' reference lists. */
static void test_errors_are_located_file_line_column(void **state) {
  (void)state;
  static const struct {
    const char *opt, *path, *located;
  } cases[] = {
      {"--patients", "tests/data/malformed/patients/bad_age_letter_o.csv",
       "bad_age_letter_o.csv:3:3: error: column 'age': expected an integer "
       "0" DASH "120, got \"7O\""},
      {"--doctors", "tests/data/malformed/doctors/capacity_out_of_range.csv",
       "capacity_out_of_range.csv:2:3: error: column 'capacity': expected"},
      {"--slots", "tests/data/rota/malformed/slots_hour_25.csv",
       "slots_hour_25.csv:2:3: error: column 'start': expected a time HH:MM"},
      {"--availability",
       "tests/data/rota/malformed/availability_unknown_level.csv",
       "availability_unknown_level.csv:2:5: error: column 'level'"},
      {"--history", "tests/data/rota/malformed/history_negative_slots.csv",
       "history_negative_slots.csv:2:2: error:"},
      {"--pinned", "tests/data/rota/malformed/pinned_missing_slot_column.csv",
       "pinned_missing_slot_column.csv:1: error: missing column 'slot'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int rc;
    char *out = check(&rc, "--communes", COMMUNES, cases[i].opt,
                      cases[i].path, NULL);
    assert_int_equal(rc, 2);
    assert_contains(out, cases[i].located);
    assert_contains(out, "check: 1 error, 0 warnings");
    free(out);
  }
}

static void test_summary_counts_rows_of_good_and_bad_files(void **state) {
  (void)state;
  int rc;
  char *out = check(&rc, "--communes", COMMUNES, "--patients",
                    "tests/data/malformed/patients/three_bad_rows.csv",
                    "--doctors", ROTA "doctors.csv", "--max-errors", "1", NULL);
  assert_int_equal(rc, 2);
  assert_contains(out, ROTA "doctors.csv: 4 rows, 0 errors, 0 warnings\n");
  /* every row read again for the count; only one error shown, 3 counted */
  assert_contains(out, "three_bad_rows.csv: 4 rows, 3 errors, 0 warnings\n");
  assert_contains(out, "three_bad_rows.csv:2:3: error:");
  assert_null(strstr(out, "three_bad_rows.csv:5:3: error:"));
  free(out);
}

/* --- Across files ------------------------------------------------------- */

static void test_full_rota_set_is_valid(void **state) {
  (void)state;
  int rc;
  char *out = check(&rc, "--doctors", ROTA "doctors.csv", "--slots",
                    ROTA "slots.csv", "--availability",
                    ROTA "availability.csv", "--history", ROTA "history.csv",
                    "--pinned", ROTA "pinned.csv", NULL);
  assert_int_equal(rc, 0);
  assert_contains(out, ROTA "slots.csv: 9 rows, 0 errors, 0 warnings\n");
  assert_contains(out, ROTA "pinned.csv: 1 row, 0 errors, 0 warnings\n");
  assert_contains(out, "check: 0 errors, 0 warnings: ready to solve\n");
  free(out);
}

static void test_unknown_ids_are_errors_in_the_referring_file(void **state) {
  (void)state;
  write_file("avail.csv", "doctor,date,start,end,level\n"
                          "D1,2024-03-04,08:00,20:00,available\n"
                          "DX,2024-03-04,08:00,20:00,available\n");
  write_file("hist.csv", "doctor,slots\nD1,2\nDY,1\n");
  write_file("pins.csv", "doctor,slot\nD2,s4\nD2,nope\n");
  write_file("prev.csv", "slot,doctor\ns1,D1\ns99,D1\ns2,DZ\n");
  int rc;
  char *out = check(&rc, "--doctors", ROTA "doctors.csv", "--slots",
                    ROTA "slots.csv", "--availability", tmp_path("avail.csv"),
                    "--history", tmp_path("hist.csv"), "--pinned",
                    tmp_path("pins.csv"), "--previous", tmp_path("prev.csv"),
                    NULL);
  assert_int_equal(rc, 2);
  char want[512];
  snprintf(want, sizeof want, "%s:3:1: error:", tmp_path("avail.csv"));
  assert_contains(out, want);
  snprintf(want, sizeof want, "%s:3:1: error:", tmp_path("hist.csv"));
  assert_contains(out, want);
  snprintf(want, sizeof want, "%s:3:2: error:", tmp_path("pins.csv"));
  assert_contains(out, want);
  snprintf(want, sizeof want,
           "%s:3:1: error: column 'slot': not a slot of the slots file",
           tmp_path("prev.csv"));
  assert_contains(out, want);
  snprintf(want, sizeof want,
           "%s:4:2: error: column 'doctor': not a doctor of the doctors file",
           tmp_path("prev.csv"));
  assert_contains(out, want);
  snprintf(want, sizeof want, "%s: 2 rows, 1 error, 0 warnings\n",
           tmp_path("avail.csv"));
  assert_contains(out, want);
  snprintf(want, sizeof want, "%s: 3 rows, 2 errors, 0 warnings\n",
           tmp_path("prev.csv"));
  assert_contains(out, want);
  assert_contains(out, "check: 5 errors, 0 warnings");
  free(out);
}

static void test_pinned_pairs_that_break_hard_rules_are_errors(void **state) {
  (void)state;
  int rc;
  /* D3 does not serve s4's site: rota would stop with exit 3 */
  char *out = check(&rc, "--doctors", ROTA "doctors.csv", "--slots",
                    ROTA "slots.csv", "--availability",
                    ROTA "availability.csv", "--pinned",
                    ROTA "pinned_clash.csv", NULL);
  assert_int_equal(rc, 2);
  assert_contains(out, ROTA "pinned_clash.csv: error: pinned: doctor D3 on "
                       "slot s4 is not allowed");
  assert_contains(out, ROTA "pinned_clash.csv: 1 row, 1 error, 1 warning\n");
  free(out);
  /* D2 pinned on s1 and s3, which overlap (both open to D2) */
  write_file("pins2.csv", "doctor,slot\nD2,s1\nD2,s3\n");
  out = check(&rc, "--doctors", ROTA "doctors.csv", "--slots",
              ROTA "slots.csv", "--availability", ROTA "availability.csv",
              "--pinned", tmp_path("pins2.csv"), NULL);
  assert_int_equal(rc, 2);
  assert_contains(out, "doctor D2 on slots s1 and s3 breaks the overlap rule");
  free(out);
  /* the published pin of the fixture is fine */
  out = check(&rc, "--doctors", ROTA "doctors.csv", "--slots",
              ROTA "slots.csv", "--availability", ROTA "availability.csv",
              "--pinned", ROTA "pinned.csv", NULL);
  assert_int_equal(rc, 0);
  free(out);
}

static void test_assign_cross_file_warnings_are_located(void **state) {
  (void)state;
  write_file("d.csv", "id,lat,lon,capacity,current\n"
                      "D1,48.1,6.4,100,20\n"
                      "D2,48.2,6.5,100,130\n");
  write_file("p.csv", "id,lat,lon,age,prev_doctor\n"
                      "P1,48.1,6.4,30,D1\n"
                      "P2,48.1,6.4,40,D9\n"
                      "P3,48.1,6.4,50,\n");
  int rc;
  char *out = check(&rc, "--doctors", tmp_path("d.csv"), "--patients",
                    tmp_path("p.csv"), NULL);
  assert_int_equal(rc, 0); /* warnings only */
  char want[512];
  snprintf(want, sizeof want, "%s:3: warning: column 'prev_doctor': not a "
           "doctor of", tmp_path("p.csv"));
  assert_contains(out, want);
  snprintf(want, sizeof want, "%s:3: warning: current list 130 above "
           "capacity 100", tmp_path("d.csv"));
  assert_contains(out, want);
  snprintf(want, sizeof want, "%s: 3 rows, 0 errors, 1 warning\n",
           tmp_path("p.csv"));
  assert_contains(out, want);
  assert_contains(out, "check: 0 errors, 2 warnings: ready to solve\n");
  free(out);
}

static void test_bad_config_and_usage_exit_2(void **state) {
  (void)state;
  int rc;
  char *out = check(&rc, "--config", "tests/data/config/typo_in_key.json",
                    "--doctors", ROTA "doctors.csv", NULL);
  assert_int_equal(rc, 2);
  assert_contains(out, "tests/data/config/typo_in_key.json:");
  assert_contains(out,
                  "tests/data/config/typo_in_key.json: 1 error, 0 warnings\n");
  free(out);
  out = check(&rc, "--set", "rota.w_fair=-3", "--doctors", ROTA "doctors.csv",
              NULL);
  assert_int_equal(rc, 2);
  free(out);
  out = check(&rc, NULL); /* no file */
  assert_int_equal(rc, 2);
  free(out);
  out = check(&rc, "--doctors", NULL);
  assert_int_equal(rc, 2);
  free(out);
  out = check(&rc, "--bogus", "x", NULL);
  assert_int_equal(rc, 2);
  free(out);
  out = check(&rc, "--doctors", tmp_path("no_such_file.csv"), NULL);
  assert_int_equal(rc, 2);
  assert_contains(out, "no_such_file.csv");
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(
          test_every_malformed_file_exits_2_with_its_located_errors),
      cmocka_unit_test(test_every_good_file_exits_0),
      cmocka_unit_test(test_errors_are_located_file_line_column),
      cmocka_unit_test(test_summary_counts_rows_of_good_and_bad_files),
      cmocka_unit_test(test_full_rota_set_is_valid),
      cmocka_unit_test(test_unknown_ids_are_errors_in_the_referring_file),
      cmocka_unit_test(test_pinned_pairs_that_break_hard_rules_are_errors),
      cmocka_unit_test(test_assign_cross_file_warnings_are_located),
      cmocka_unit_test(test_bad_config_and_usage_exit_2),
  };
  return cmocka_run_group_tests_name("check", tests, setup, teardown);
}
