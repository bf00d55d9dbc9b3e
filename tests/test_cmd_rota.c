/*
 * test_cmd_rota.c — `cptsopt rota` and `cptsopt nrp` end to end, in
 * process, on tests/data/rota_cli (4 doctors, 9 slots over 2 days, one of
 * them open to nobody) and tests/data/nrp/small.txt: exit codes of SPEC §5,
 * rows that respect availability and sites (re-checked from the inputs),
 * the report's required keys, one calendar per doctor on duty, the same
 * bytes twice, and nothing written on bad input or infeasible pins.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cmd_rota.h"
#include "../models/nrp.h"
#include "../models/readers.h"
#include "../models/rota.h"

#define DATA "tests/data/rota_cli/"

static char dir[64];

static void path(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "%s/%s", dir, name);
}

static char *slurp(const char *p, size_t *len) {
  FILE *f = fopen(p, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  if (len) *len = (size_t)n;
  return buf;
}

static char *read_out(const char *name) {
  char p[256];
  path(p, sizeof p, name);
  return slurp(p, NULL);
}

static bool exists(const char *name) {
  char p[256];
  path(p, sizeof p, name);
  return access(p, F_OK) == 0;
}

/* Run a command (NULL-terminated arguments; '@name' = a file in the
 * temporary directory) with stdout and stderr sent to files there. */
static int run(int (*cmd)(int, char **), const char *name,
               const char *first, ...) {
  char *argv[64];
  static char store[64][256];
  int argc = 0;
  argv[argc++] = (char *)name;
  va_list ap;
  va_start(ap, first);
  for (const char *a = first; a; a = va_arg(ap, const char *)) {
    if (a[0] == '@')
      path(store[argc], sizeof store[argc], a + 1);
    else
      snprintf(store[argc], sizeof store[argc], "%s", a);
    argv[argc] = store[argc];
    argc++;
  }
  va_end(ap);
  argv[argc] = NULL;
  char po[256], pe[256];
  path(po, sizeof po, "stdout.txt");
  path(pe, sizeof pe, "stderr.txt");
  fflush(stdout);
  fflush(stderr);
  int so = dup(1), se = dup(2);
  int fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(fo, 1);
  dup2(fe, 2);
  int rc = cmd(argc, argv);
  fflush(stdout);
  fflush(stderr);
  dup2(so, 1);
  dup2(se, 2);
  close(so);
  close(se);
  close(fo);
  close(fe);
  return rc;
}

static int run_scenario(const char *out, const char *report,
                        const char *ics) {
  return run(cpt_cmd_rota, "rota", "--doctors", DATA "doctors.csv",
             "--slots", DATA "slots.csv", "--availability",
             DATA "availability.csv", "--history", DATA "history.csv",
             "--pinned", DATA "pinned.csv", "--out", out, "--report", report,
             "--ics", ics, "--threads", "1", NULL);
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/cptsopt-rota-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static int index_of_slot(const cpt_slots *S, const char *id) {
  for (size_t i = 0; i < S->n; i++)
    if (!strcmp(S->v[i].id, id)) return (int)i;
  return -1;
}

static int index_of_doctor(const cpt_doctors *D, const char *id) {
  for (size_t i = 0; i < D->n; i++)
    if (!strcmp(D->v[i].id, id)) return (int)i;
  return -1;
}

static void test_rota_scenario_rows_respect_availability_sites_and_pins(
    void **state) {
  (void)state;
  assert_int_equal(run_scenario("@rota.csv", "@r.json", "@ics"), 0);

  cpt_diags dg;
  cpt_diags_init(&dg);
  cpt_doctors *D = NULL;
  cpt_slots *S = NULL;
  cpt_avails *A = NULL;
  cpt_pins *P = NULL;
  cpt_rota *R = NULL;
  assert_int_equal(cpt_doctors_load(DATA "doctors.csv", NULL, &D, &dg), 0);
  assert_int_equal(cpt_slots_load(DATA "slots.csv", &S, &dg), 0);
  assert_int_equal(cpt_avails_load(DATA "availability.csv", &A, &dg), 0);
  assert_int_equal(cpt_pins_load(DATA "pinned.csv", &P, &dg), 0);
  cpt_rota_prep_params pp;
  cpt_rota_prep_params_init(&pp);
  assert_int_equal(cpt_rota_prepare(D, S, A, NULL, P, &pp, &R, &dg), 0);

  char *csv = read_out("rota.csv");
  assert_non_null(csv);
  char *line = strtok(csv, "\n");
  assert_string_equal(line, "slot,date,start,end,site,doctor");
  int *covered = calloc(S->n, sizeof *covered);
  int *per_day = calloc(D->n * 2, sizeof *per_day);
  bool pinned_seen = false, s9_marker = false;
  size_t rows = 0;
  while ((line = strtok(NULL, "\n"))) {
    char f[6][64] = {{0}};
    int k = 0;
    for (const char *p = line; k < 6; k++) {
      const char *c = strchr(p, ',');
      size_t l = c ? (size_t)(c - p) : strlen(p);
      memcpy(f[k], p, l);
      if (!c) break;
      p = c + 1;
    }
    assert_int_equal(k, 5); /* six fields */
    int s = index_of_slot(S, f[0]);
    assert_true(s >= 0);
    rows++;
    if (!f[5][0]) { /* a missing doctor: only the slot nobody may take */
      assert_string_equal(f[0], "s9");
      s9_marker = true;
      continue;
    }
    int d = index_of_doctor(D, f[5]);
    assert_true(d >= 0);
    assert_true(R->ds[(size_t)d * S->n + (size_t)s] & CPT_DS_ALLOWED);
    covered[s]++;
    per_day[d * 2 + R->slot_day[s]]++;
    if (!strcmp(f[0], "s4") && !strcmp(f[5], "D2")) pinned_seen = true;
  }
  assert_true(pinned_seen);
  assert_true(s9_marker);
  assert_int_equal(rows, 10);
  for (size_t s = 0; s < S->n; s++)
    assert_true(covered[s] <= S->v[s].need);
  assert_true(per_day[2 * 2 + 0] <= 1 && per_day[2 * 2 + 1] <= 1); /* D3 */
  free(covered);
  free(per_day);
  free(csv);

  char *rep = read_out("r.json");
  assert_non_null(rep);
  cJSON *j = cJSON_Parse(rep);
  assert_non_null(j);
  static const char *keys[] = {"status", "objective", "bound",   "gap",
                               "time_s", "method",    "threads", "seed",
                               "config", "version",   "terms",   "doctors",
                               "uncovered"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    assert_non_null(cJSON_GetObjectItemCaseSensitive(j, keys[i]));
  assert_string_equal(cJSON_GetObjectItem(j, "status")->valuestring,
                      "optimal");
  assert_string_equal(cJSON_GetObjectItem(j, "method")->valuestring, "mip");
  cJSON *unc = cJSON_GetObjectItem(j, "uncovered");
  assert_int_equal(cJSON_GetArraySize(unc), 1);
  cJSON *u0 = cJSON_GetArrayItem(unc, 0);
  assert_string_equal(cJSON_GetObjectItem(u0, "slot")->valuestring, "s9");
  assert_string_equal(cJSON_GetObjectItem(u0, "reason")->valuestring,
                      "nobody_available");
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "doctors")), 4);
  cJSON_Delete(j);
  free(rep);

  char *grid = read_out("stdout.txt");
  assert_non_null(grid);
  assert_non_null(strstr(grid, "—nobody"));
  free(grid);

  for (size_t d = 0; d < D->n; d++) {
    char name[64];
    snprintf(name, sizeof name, "ics/%s.ics", D->v[d].id);
    char *ics = read_out(name);
    assert_non_null(ics);
    assert_memory_equal(ics, "BEGIN:VCALENDAR\r\n", 17);
    free(ics);
  }
  cpt_rota_free(R);
  cpt_pins_free(P);
  cpt_avails_free(A);
  cpt_slots_free(S);
  cpt_doctors_free(D);
  cpt_diags_free(&dg);
}

static void test_rota_same_bytes_twice(void **state) {
  (void)state;
  assert_int_equal(run_scenario("@a.csv", "@a.json", "@ia"), 0);
  assert_int_equal(run_scenario("@b.csv", "@b.json", "@ib"), 0);
  char *a = read_out("a.csv"), *b = read_out("b.csv");
  assert_non_null(a);
  assert_non_null(b);
  assert_string_equal(a, b);
  free(a);
  free(b);
  static const char *names[] = {"D1.ics", "D2.ics", "D3.ics", "D4.ics"};
  for (size_t i = 0; i < 4; i++) {
    char pa[64], pb[64];
    snprintf(pa, sizeof pa, "ia/%s", names[i]);
    snprintf(pb, sizeof pb, "ib/%s", names[i]);
    a = read_out(pa);
    b = read_out(pb);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a);
    free(b);
  }
}

static void test_rota_pinned_contradiction_exits_3_writing_nothing(
    void **state) {
  (void)state;
  int rc = run(cpt_cmd_rota, "rota", "--doctors", DATA "doctors.csv",
               "--slots", DATA "slots.csv", "--availability",
               DATA "availability.csv", "--pinned", DATA "pinned_clash.csv",
               "--out", "@clash.csv", "--report", "@clash.json", "--ics",
               "@clash_ics", "--quiet", NULL);
  assert_int_equal(rc, 3);
  assert_false(exists("clash.csv"));
  assert_false(exists("clash.json"));
  assert_false(exists("clash_ics/D2.ics"));
  char *err = read_out("stderr.txt");
  assert_non_null(err);
  assert_non_null(strstr(err, "s4"));
  free(err);
}

static void test_rota_bad_slot_file_exits_2_listing_every_error(
    void **state) {
  (void)state;
  int rc = run(cpt_cmd_rota, "rota", "--doctors", DATA "doctors.csv",
               "--slots", DATA "slots_bad.csv", "--availability",
               DATA "availability.csv", "--out", "@bad.csv", NULL);
  assert_int_equal(rc, 2);
  assert_false(exists("bad.csv"));
  char *err = read_out("stderr.txt");
  assert_non_null(err);
  assert_non_null(strstr(err, "slots_bad.csv:3:2:"));
  assert_non_null(strstr(err, "slots_bad.csv:4:3:"));
  assert_non_null(strstr(err, "slots_bad.csv:4:6:"));
  free(err);
}

static void test_rota_previous_with_unknown_slot_exits_2_with_line(
    void **state) {
  (void)state;
  char p[256];
  path(p, sizeof p, "prev.csv");
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs("slot,date,start,end,site,doctor\ns1,,,,,D1\ns99,,,,,D2\n"
        "s2,,,,,\n",
        f);
  fclose(f);
  int rc = run(cpt_cmd_rota, "rota", "--doctors", DATA "doctors.csv",
               "--slots", DATA "slots.csv", "--availability",
               DATA "availability.csv", "--previous", "@prev.csv", "--out",
               "@p.csv", NULL);
  assert_int_equal(rc, 2);
  assert_false(exists("p.csv"));
  char *err = read_out("stderr.txt");
  assert_non_null(strstr(err, "prev.csv:3:1:"));
  free(err);
}

static void test_rota_usage_errors_exit_2(void **state) {
  (void)state;
  assert_int_equal(run(cpt_cmd_rota, "rota", "--slots", DATA "slots.csv",
                       NULL),
                   2);
  assert_int_equal(run(cpt_cmd_rota, "rota", "--bogus", NULL), 2);
  assert_int_equal(run(cpt_cmd_rota, "rota", "--method", "flow", NULL), 2);
  assert_int_equal(run(cpt_cmd_rota, "rota", "--help", NULL), 0);
  assert_int_equal(run(cpt_cmd_nrp, "nrp", NULL), 2);
}

static void test_nrp_small_solution_evaluates_to_the_printed_objective(
    void **state) {
  (void)state;
  const char *inst_path = "tests/data/nrp/small.txt";
  int rc = run(cpt_cmd_nrp, "nrp", inst_path, "--solution", "@sol.txt",
               "--report", "@n.json", NULL);
  assert_int_equal(rc, 0);
  char *out = read_out("stdout.txt");
  assert_non_null(out);
  const char *o = strstr(out, "objective");
  assert_non_null(o);
  long long printed = strtoll(o + strlen("objective"), NULL, 10);
  free(out);

  cpt_diags dg;
  cpt_diags_init(&dg);
  cpt_nrp_instance *inst = NULL;
  cpt_nrp_roster *r = NULL;
  assert_int_equal(cpt_nrp_load(inst_path, &inst, &dg), 0);
  char p[256];
  path(p, sizeof p, "sol.txt");
  assert_int_equal(cpt_nrp_roster_load(inst, p, &r, &dg), 0);
  cpt_nrp_eval ev;
  assert_int_equal(cpt_nrp_evaluate(inst, r, &ev), 0);
  assert_int_equal(ev.n_violations, 0);
  assert_int_equal(ev.objective, printed);

  char *rep = read_out("n.json");
  cJSON *j = cJSON_Parse(rep);
  assert_non_null(j);
  assert_true(cJSON_IsNumber(cJSON_GetObjectItem(j, "objective")));
  assert_true(cJSON_IsNumber(cJSON_GetObjectItem(j, "bound")));
  assert_true(cJSON_IsNumber(cJSON_GetObjectItem(j, "time_s")));
  assert_string_equal(cJSON_GetObjectItem(j, "status")->valuestring,
                      "optimal");
  assert_int_equal((long long)cJSON_GetObjectItem(j, "objective")->valuedouble,
                   printed);
  cJSON *t = cJSON_GetObjectItem(j, "terms");
  assert_int_equal(
      (long long)cJSON_GetObjectItem(t, "under_cover")->valuedouble,
      ev.under_cover);
  cJSON_Delete(j);
  free(rep);
  cpt_nrp_eval_free(&ev);
  cpt_nrp_roster_free(r);
  cpt_nrp_free(inst);
  cpt_diags_free(&dg);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(
          test_rota_scenario_rows_respect_availability_sites_and_pins),
      cmocka_unit_test(test_rota_same_bytes_twice),
      cmocka_unit_test(test_rota_pinned_contradiction_exits_3_writing_nothing),
      cmocka_unit_test(test_rota_bad_slot_file_exits_2_listing_every_error),
      cmocka_unit_test(test_rota_previous_with_unknown_slot_exits_2_with_line),
      cmocka_unit_test(test_rota_usage_errors_exit_2),
      cmocka_unit_test(
          test_nrp_small_solution_evaluates_to_the_printed_objective),
  };
  return cmocka_run_group_tests_name("cmd_rota", tests, setup, teardown);
}
