/*
 * test_cli.c — `cptsopt assign` end to end, in process: exit codes of
 * SPEC §5, all-or-nothing outputs, the report's required keys, and the same
 * assignment bytes for 1 and 2 threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cli/cli.h"

static char dir[64];

static void path(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text) {
  char p[256];
  path(p, sizeof p, name);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static char *read_file(const char *name, size_t *len) {
  char p[256];
  path(p, sizeof p, name);
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

static bool exists(const char *name) {
  char p[256];
  path(p, sizeof p, name);
  return access(p, F_OK) == 0;
}

/* Run `cptsopt assign` with the given arguments (NULL-terminated); file
 * arguments are relative to the temporary directory when prefixed '@'. */
static int run(const char *first, ...) {
  char *argv[64];
  static char store[64][256];
  int argc = 0;
  argv[argc++] = "assign";
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
  return cpt_cmd_assign(argc, argv);
}

/* A deterministic instance: nd doctors and np patients on a 40 km square. */
static void make_instance(int nd, int np, bool households) {
  char p[256];
  path(p, sizeof p, "doctors.csv");
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs("id,lat,lon,site,capacity,current,max_new,children,home_visits\n", f);
  uint64_t s = 12345;
  for (int d = 0; d < nd; d++) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    double lat = 48.0 + (double)((s >> 33) % 3600) / 10000.0;
    double lon = 6.0 + (double)((s >> 13) % 5400) / 10000.0;
    fprintf(f, "D%03d,%.5f,%.5f,S%d,%d,%d,,%d,1\n", d, lat, lon, d / 3,
            1000, 960 + (int)(s % 30), d % 7 != 0);
  }
  fclose(f);
  path(p, sizeof p, "patients.csv");
  f = fopen(p, "w");
  assert_non_null(f);
  fputs("id,lat,lon,age,ald,precarity,home_visit,household,prev_doctor\n", f);
  for (int i = 0; i < np; i++) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    int loc = (int)((s >> 40) % 60); /* 60 places: classes aggregate */
    double lat = 48.0 + (loc % 10) * 0.04, lon = 6.0 + (loc / 10) * 0.09;
    int age = (int)((s >> 20) % 95);
    char hh[16] = "";
    if (households && i % 4 != 3) snprintf(hh, sizeof hh, "H%d", i / 4);
    if (households && i % 4 != 0) { /* same place as the household head */
      lat = 48.0 + ((i / 4) % 10) * 0.04;
      lon = 6.0 + ((i / 4 / 10) % 6) * 0.09;
    }
    fprintf(f, "P%05d,%.5f,%.5f,%d,%d,%d,0,%s,%s\n", i, lat, lon, age,
            (int)(s >> 7) % 5 == 0, (int)(s >> 9) % 9 == 0, hh,
            i % 11 == 0 ? "D004" : "");
  }
  fclose(f);
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/cptsopt-test-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static void test_assign_demo_example_is_optimal_with_required_report_keys(
    void **state) {
  (void)state;
  int rc = run("--doctors", "datasets/examples/doctors.csv", "--patients",
               "datasets/examples/patients.csv", "--out", "@a.csv",
               "--report", "@r.json", "--quiet", NULL);
  assert_int_equal(rc, 0);
  char *rep = read_file("r.json", NULL);
  assert_non_null(rep);
  cJSON *j = cJSON_Parse(rep);
  assert_non_null(j);
  static const char *keys[] = {"status", "objective", "bound", "gap",
                               "time_s", "method", "threads", "seed",
                               "config", "version"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    assert_non_null(cJSON_GetObjectItemCaseSensitive(j, keys[i]));
  assert_string_equal(cJSON_GetObjectItem(j, "status")->valuestring,
                      "optimal");
  assert_float_equal(cJSON_GetObjectItem(j, "gap")->valuedouble, 0, 1e-12);
  assert_non_null(cJSON_GetObjectItem(
      cJSON_GetObjectItem(j, "config"), "assign"));
  cJSON_Delete(j);
  free(rep);
}

static void test_assign_same_bytes_with_one_and_two_threads(void **state) {
  (void)state;
  make_instance(40, 3000, false);
  assert_int_equal(run("--doctors", "@doctors.csv", "--patients",
                       "@patients.csv", "--out", "@t1.csv", "--threads", "1",
                       "--quiet", NULL),
                   0);
  assert_int_equal(run("--doctors", "@doctors.csv", "--patients",
                       "@patients.csv", "--out", "@t2.csv", "--threads", "2",
                       "--quiet", NULL),
                   0);
  size_t n1, n2;
  char *a = read_file("t1.csv", &n1), *b = read_file("t2.csv", &n2);
  assert_non_null(a);
  assert_non_null(b);
  assert_int_equal(n1, n2);
  assert_memory_equal(a, b, n1);
  free(a);
  free(b);
}

static void test_assign_households_same_bytes_with_one_and_two_threads(
    void **state) {
  (void)state;
  make_instance(12, 400, true);
  assert_int_equal(run("--doctors", "@doctors.csv", "--patients",
                       "@patients.csv", "--out", "@h1.csv", "--threads", "1",
                       "--quiet", NULL),
                   0);
  assert_int_equal(run("--doctors", "@doctors.csv", "--patients",
                       "@patients.csv", "--out", "@h2.csv", "--threads", "2",
                       "--quiet", NULL),
                   0);
  size_t n1, n2;
  char *a = read_file("h1.csv", &n1), *b = read_file("h2.csv", &n2);
  assert_int_equal(n1, n2);
  assert_memory_equal(a, b, n1);
  free(a);
  free(b);
}

static void test_assign_flow_and_mip_reach_the_same_objective(void **state) {
  (void)state;
  make_instance(30, 2000, false);
  assert_int_equal(run("--doctors", "@doctors.csv", "--patients",
                       "@patients.csv", "--out", "@f.csv", "--report",
                       "@f.json", "--method", "flow", "--quiet", NULL),
                   0);
  assert_int_equal(run("--doctors", "@doctors.csv", "--patients",
                       "@patients.csv", "--out", "@m.csv", "--report",
                       "@m.json", "--method", "mip", "--quiet", NULL),
                   0);
  char *a = read_file("f.json", NULL), *b = read_file("m.json", NULL);
  cJSON *ja = cJSON_Parse(a), *jb = cJSON_Parse(b);
  double oa = cJSON_GetObjectItem(ja, "objective")->valuedouble;
  double ob = cJSON_GetObjectItem(jb, "objective")->valuedouble;
  assert_float_equal(oa, ob, 1e-6 * (1 + oa));
  assert_string_equal(cJSON_GetObjectItem(ja, "method")->valuestring, "flow");
  assert_string_equal(cJSON_GetObjectItem(jb, "method")->valuestring, "mip");
  cJSON_Delete(ja);
  cJSON_Delete(jb);
  free(a);
  free(b);
}

static void test_assign_bad_input_exits_2_and_keeps_old_outputs(void **state) {
  (void)state;
  write_file("bad_doctors.csv", "id,lat,lon,capacity\nD1,48.1,6.4,x\n");
  write_file("p_ok.csv", "id,lat,lon,age\nP1,48.1,6.4,30\n");
  write_file("old.csv", "previous content\n");
  int rc = run("--doctors", "@bad_doctors.csv", "--patients", "@p_ok.csv",
               "--out", "@old.csv", "--report", "@new.json", "--quiet", NULL);
  assert_int_equal(rc, 2);
  char *old = read_file("old.csv", NULL);
  assert_string_equal(old, "previous content\n");
  free(old);
  assert_false(exists("new.json"));
}

static void test_assign_missing_output_directory_exits_2_writing_nothing(
    void **state) {
  (void)state;
  write_file("d_ok.csv", "id,lat,lon,capacity,current\nD1,48.1,6.4,10,5\n");
  write_file("p_ok.csv", "id,lat,lon,age\nP1,48.1,6.4,30\n");
  int rc = run("--doctors", "@d_ok.csv", "--patients", "@p_ok.csv", "--out",
               "@fresh.csv", "--report", "@no/such/dir/r.json", "--quiet",
               NULL);
  assert_int_equal(rc, 2);
  assert_false(exists("fresh.csv"));
}

static void test_assign_read_only_directory_exits_2(void **state) {
  (void)state;
  if (geteuid() == 0) skip(); /* root writes anywhere */
  char p[256];
  path(p, sizeof p, "ro");
  assert_int_equal(mkdir(p, 0555), 0);
  write_file("d_ok.csv", "id,lat,lon,capacity,current\nD1,48.1,6.4,10,5\n");
  write_file("p_ok.csv", "id,lat,lon,age\nP1,48.1,6.4,30\n");
  int rc = run("--doctors", "@d_ok.csv", "--patients", "@p_ok.csv", "--out",
               "@ro/a.csv", "--quiet", NULL);
  assert_int_equal(rc, 2);
}

static void test_assign_usage_errors_exit_2(void **state) {
  (void)state;
  assert_int_equal(run("--patients", "x.csv", NULL), 2);
  assert_int_equal(run("--doctors", "a", "--patients", "b", "--bogus", NULL),
                   2);
  assert_int_equal(run("--doctors", "a", "--patients", "b", "--method",
                       "simplex", NULL),
                   2);
  assert_int_equal(run("--doctors", "a", "--patients", "b", "--threads",
                       "many", NULL),
                   2);
  assert_int_equal(run("--doctors", "@nope.csv", "--patients", "@nope2.csv",
                       "--quiet", NULL),
                   2);
  assert_int_equal(run("--help", NULL), 0);
}

static void test_assign_flow_refuses_households(void **state) {
  (void)state;
  make_instance(5, 40, true);
  assert_int_equal(run("--doctors", "@doctors.csv", "--patients",
                       "@patients.csv", "--out", "@x.csv", "--method", "flow",
                       "--quiet", NULL),
                   2);
  assert_false(exists("x.csv"));
}

static void test_assign_unknown_config_key_exits_2(void **state) {
  (void)state;
  write_file("cfg.json", "{\"assign\": {\"max_kms\": 10}}");
  write_file("d_ok.csv", "id,lat,lon,capacity,current\nD1,48.1,6.4,10,5\n");
  write_file("p_ok.csv", "id,lat,lon,age\nP1,48.1,6.4,30\n");
  assert_int_equal(run("--doctors", "@d_ok.csv", "--patients", "@p_ok.csv",
                       "--config", "@cfg.json", "--quiet", NULL),
                   2);
  assert_int_equal(run("--doctors", "@d_ok.csv", "--patients", "@p_ok.csv",
                       "--set", "assign.max_km=-3", "--quiet", NULL),
                   2);
}

static void test_assign_csv_has_a_row_and_reason_per_patient(void **state) {
  (void)state;
  write_file("d2.csv", "id,lat,lon,capacity,current,children\n"
                       "D1,48.10,6.40,10,9,0\n");
  write_file("p2.csv", "id,lat,lon,age,ald\n"
                       "P1,48.10,6.40,40,0\n"  /* loses to the ALD patient */
                       "P2,48.11,6.40,50,1\n"  /* placed */
                       "P3,45.00,2.00,30,0\n"  /* far away */
                       "P4,48.10,6.40,5,0\n"); /* child, D1 takes none */
  assert_int_equal(run("--doctors", "@d2.csv", "--patients", "@p2.csv",
                       "--out", "@o2.csv", "--quiet", NULL),
                   0);
  char *out = read_file("o2.csv", NULL);
  assert_non_null(strstr(out, "patient,doctor,distance_km,reason\n"));
  assert_non_null(strstr(out, "P1,,,capacity_exhausted\n"));
  assert_non_null(strstr(out, "P2,D1,"));
  assert_non_null(strstr(out, "P3,,,no_doctor_in_range\n"));
  assert_non_null(strstr(out, "P4,,,no_doctor_for_need\n"));
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(
          test_assign_demo_example_is_optimal_with_required_report_keys),
      cmocka_unit_test(test_assign_same_bytes_with_one_and_two_threads),
      cmocka_unit_test(
          test_assign_households_same_bytes_with_one_and_two_threads),
      cmocka_unit_test(test_assign_flow_and_mip_reach_the_same_objective),
      cmocka_unit_test(test_assign_bad_input_exits_2_and_keeps_old_outputs),
      cmocka_unit_test(
          test_assign_missing_output_directory_exits_2_writing_nothing),
      cmocka_unit_test(test_assign_read_only_directory_exits_2),
      cmocka_unit_test(test_assign_usage_errors_exit_2),
      cmocka_unit_test(test_assign_flow_refuses_households),
      cmocka_unit_test(test_assign_unknown_config_key_exits_2),
      cmocka_unit_test(test_assign_csv_has_a_row_and_reason_per_patient),
  };
  return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
