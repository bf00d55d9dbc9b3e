/*
 * test_signals.c — SIGINT and SIGTERM during a solve (SPEC §5): the built
 * cptsopt binary is started on an instance that takes many seconds to
 * solve, signalled after about a second, and must exit soon after with
 * code 1, a report whose status is "interrupted", and complete outputs
 * (every patient has a row; every slot's need has its rows).  The signal
 * goes a second after the progress line (-v) that says the solve began.
 *
 * The binary is the one next to this test's build directory
 * (<B>/tests/test_signals → <B>/cptsopt).  The instance is the synthetic
 * Vosges (`cptsopt generate --territory 88`: 42 831 patients in
 * households, 247 doctors, a week of 192 SNP slots): `assign --method mip`
 * spends many seconds in its root LP alone, `rota --method heuristic` in
 * its LNS.  The time bound (2.5 s from the signal to the exit, outputs
 * included) is generous on purpose: this checks that the signal is
 * obeyed at all, not how fast.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STOP_WITHIN_S 2.5

static char dir[64];
static char bin[PATH_MAX];

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void sleep_s(double s) {
  struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  while (nanosleep(&t, &t) != 0) {
  }
}

static char *slurp(const char *p) {
  FILE *f = fopen(p, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, k;
  char *buf = malloc(cap);
  assert_non_null(buf);
  while ((k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += k;
    if (cap - n < 2) {
      buf = realloc(buf, cap *= 2);
      assert_non_null(buf);
    }
  }
  buf[n] = '\0';
  fclose(f);
  return buf;
}

/* Start bin with args (NULL-terminated, after the program name), output
 * to dir/out.txt. */
static pid_t start(char **args) {
  char *argv[40];
  int argc = 0;
  argv[argc++] = bin;
  for (; *args; args++) argv[argc++] = *args;
  argv[argc] = NULL;
  char out[128];
  snprintf(out, sizeof out, "%s/out.txt", dir);
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) _exit(126);
    dup2(fd, 1);
    dup2(fd, 2);
    execv(bin, argv);
    _exit(127);
  }
  return pid;
}

/* Wait for pid; fails the test if it takes over 60 s. */
static int finish(pid_t pid) {
  int ws;
  double t0 = now_s();
  while (waitpid(pid, &ws, WNOHANG) == 0) {
    if (now_s() - t0 > 60) {
      kill(pid, SIGKILL);
      waitpid(pid, &ws, 0);
      fail_msg("%s did not finish within 60 s", bin);
    }
    sleep_s(0.01);
  }
  assert_true(WIFEXITED(ws));
  return WEXITSTATUS(ws);
}

/* Wait until the output of the process (run with -v) shows marker, the
 * progress line that the solve has begun: a signal during the reading of
 * the input would find no solve to stop. */
static void wait_for(pid_t pid, const char *marker) {
  char p[128];
  snprintf(p, sizeof p, "%s/out.txt", dir);
  double t0 = now_s();
  for (;;) {
    char *o = slurp(p);
    bool seen = o && strstr(o, marker);
    free(o);
    if (seen) return;
    int ws;
    if (waitpid(pid, &ws, WNOHANG) != 0)
      fail_msg("the process ended before \"%s\"", marker);
    if (now_s() - t0 > 60) {
      kill(pid, SIGKILL);
      waitpid(pid, &ws, 0);
      fail_msg("no \"%s\" within 60 s", marker);
    }
    sleep_s(0.01);
  }
}

/* Run args, wait for marker, send sig delay_s later, wait; returns the
 * exit code and asserts that the process was still running at the signal
 * and exited within STOP_WITHIN_S of it. */
static int run_and_signal(char **args, const char *marker, int sig,
                          double delay_s) {
  pid_t pid = start(args);
  wait_for(pid, marker);
  sleep_s(delay_s);
  int ws;
  if (waitpid(pid, &ws, WNOHANG) != 0)
    fail_msg("the solve ended before the signal: the instance is too small");
  double t0 = now_s();
  assert_int_equal(kill(pid, sig), 0);
  while (waitpid(pid, &ws, WNOHANG) == 0) {
    if (now_s() - t0 > 10 * STOP_WITHIN_S) {
      kill(pid, SIGKILL);
      waitpid(pid, &ws, 0);
      fail_msg("no exit %.0f s after signal %d", 10 * STOP_WITHIN_S, sig);
    }
    sleep_s(0.005);
  }
  double took = now_s() - t0;
  if (took > STOP_WITHIN_S)
    fail_msg("exited %.2f s after signal %d (bound %.1f s)", took, sig,
             STOP_WITHIN_S);
  if (!WIFEXITED(ws)) {
    char p[128];
    snprintf(p, sizeof p, "%s/out.txt", dir);
    char *o = slurp(p);
    fail_msg("killed by signal %d; output:\n%s", WTERMSIG(ws), o ? o : "");
  }
  return WEXITSTATUS(ws);
}

static char *file(const char *name) {
  static char p[16][128];
  static int k;
  k = (k + 1) % 16;
  snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
  return p[k];
}

static void assert_report_interrupted(const char *name) {
  char *text = slurp(file(name));
  assert_non_null(text);
  cJSON *j = cJSON_Parse(text);
  assert_non_null(j);
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "status");
  assert_true(cJSON_IsString(st));
  assert_string_equal(st->valuestring, "interrupted");
  cJSON_Delete(j);
  free(text);
}

/* Lines of text, and the first field of each after the header. */
static size_t split_lines(char *text, char ***lines) {
  size_t n = 0, cap = 1024;
  char **v = malloc(cap * sizeof *v);
  assert_non_null(v);
  for (char *s = text; *s;) {
    char *nl = strchr(s, '\n');
    if (!nl) fail_msg("a line without its newline: the file is cut short");
    *nl = '\0';
    if (n == cap) {
      v = realloc(v, (cap *= 2) * sizeof *v);
      assert_non_null(v);
    }
    v[n++] = s;
    s = nl + 1;
  }
  *lines = v;
  return n;
}

/* assignments CSV: the header, then one row per patient of the input, in
 * input order, with four fields. */
static void assert_assignments_complete(const char *csv_name) {
  char *in = slurp(file("g/patients.csv"));
  char *out = slurp(file(csv_name));
  assert_non_null(in);
  assert_non_null(out);
  char **li, **lo;
  size_t ni = split_lines(in, &li), no = split_lines(out, &lo);
  assert_int_equal(no, ni);
  assert_string_equal(lo[0], "patient,doctor,distance_km,reason");
  for (size_t i = 1; i < ni; i++) {
    size_t k = strcspn(li[i], ",");
    if (strncmp(lo[i], li[i], k) || lo[i][k] != ',')
      fail_msg("row %zu: expected patient %.*s, got %s", i, (int)k, li[i],
               lo[i]);
    int commas = 0;
    for (const char *c = lo[i]; *c; c++) commas += *c == ',';
    assert_int_equal(commas, 3);
  }
  free(li);
  free(lo);
  free(in);
  free(out);
}

/* rota CSV: the header, then Σ need rows (a slot short of doctors gets
 * rows with an empty doctor), each with six fields. */
static void assert_rota_complete(const char *csv_name) {
  char *in = slurp(file("g/slots.csv"));
  char *out = slurp(file(csv_name));
  assert_non_null(in);
  assert_non_null(out);
  char **li, **lo;
  size_t ni = split_lines(in, &li), no = split_lines(out, &lo);
  assert_string_equal(li[0], "id,date,start,end,site,need,kind");
  long need = 0;
  for (size_t i = 1; i < ni; i++) {
    const char *f = li[i];
    for (int k = 0; k < 5; k++) f = strchr(f, ',') + 1;
    need += strtol(f, NULL, 10);
  }
  assert_true(need > 0);
  assert_string_equal(lo[0], "slot,date,start,end,site,doctor");
  assert_int_equal((long)no - 1, need);
  for (size_t i = 1; i < no; i++) {
    int commas = 0;
    for (const char *c = lo[i]; *c; c++) commas += *c == ',';
    assert_int_equal(commas, 5);
  }
  free(li);
  free(lo);
  free(in);
  free(out);
}

static int setup(void **state) {
  (void)state;
  ssize_t n = readlink("/proc/self/exe", bin, sizeof bin - 16);
  if (n <= 0) return -1;
  bin[n] = '\0';
  char *slash = strrchr(bin, '/'); /* <B>/tests/test_signals */
  if (!slash) return -1;
  *slash = '\0';
  slash = strrchr(bin, '/');
  if (!slash) return -1;
  strcpy(slash, "/cptsopt");
  if (access(bin, X_OK) != 0) {
    fprintf(stderr, "test_signals: %s missing (make builds it)\n", bin);
    return -1;
  }
  snprintf(dir, sizeof dir, "/tmp/cpt_signals_XXXXXX");
  if (!mkdtemp(dir)) return -1;
  char *args[] = {"generate", "--territory", "88", "--seed", "1", "--out",
                  file("g"), "--quiet", NULL};
  return finish(start(args)) == 0 ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static void assign_signalled(int sig) {
  char *args[] = {"assign", "--doctors", file("g/doctors.csv"),
                  "--patients", file("g/patients.csv"), "--method", "mip",
                  "--threads", "1", "--out", file("a.csv"), "--report",
                  file("a.json"), "-v", NULL};
  assert_int_equal(run_and_signal(args, " mip: ", sig, 1.0), 1);
  assert_report_interrupted("a.json");
  assert_assignments_complete("a.csv");
}

static void rota_signalled(int sig) {
  char *args[] = {"rota", "--doctors", file("g/doctors.csv"), "--slots",
                  file("g/slots.csv"), "--availability",
                  file("g/availability.csv"), "--method", "heuristic",
                  "--threads", "2", "--out", file("r.csv"), "--report",
                  file("r.json"), "-v", NULL};
  assert_int_equal(run_and_signal(args, "rota heuristic: ", sig, 1.0), 1);
  assert_report_interrupted("r.json");
  assert_rota_complete("r.csv");
}

static void test_assign_mip_stops_on_sigint_with_every_patient_written(
    void **state) {
  (void)state;
  assign_signalled(SIGINT);
}

static void test_assign_mip_stops_on_sigterm_with_every_patient_written(
    void **state) {
  (void)state;
  assign_signalled(SIGTERM);
}

static void test_rota_heuristic_stops_on_sigint_with_every_slot_written(
    void **state) {
  (void)state;
  rota_signalled(SIGINT);
}

static void test_rota_heuristic_stops_on_sigterm_with_every_slot_written(
    void **state) {
  (void)state;
  rota_signalled(SIGTERM);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(
          test_assign_mip_stops_on_sigint_with_every_patient_written),
      cmocka_unit_test(
          test_assign_mip_stops_on_sigterm_with_every_patient_written),
      cmocka_unit_test(
          test_rota_heuristic_stops_on_sigint_with_every_slot_written),
      cmocka_unit_test(
          test_rota_heuristic_stops_on_sigterm_with_every_slot_written),
  };
  return cmocka_run_group_tests_name("signals", tests, setup, teardown);
}
