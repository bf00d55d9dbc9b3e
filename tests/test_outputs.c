/*
 * test_outputs.c — outputs are never half-written (SPEC §4, §5): a run that
 * cannot write every output exits 2 with a message naming the file and the
 * system's reason, leaves no output and no temporary file behind, and an
 * output that existed before keeps its bytes.
 *
 * Each case runs `cptsopt assign` (or rota) in a forked child, in process,
 * with its stderr captured in a file: a missing output directory; a
 * read-only directory (CI runs as root, who ignores permissions, so the
 * child first drops to uid/gid 65534 "nobody"; the case is skipped only
 * when that fails); a full disk, simulated by RLIMIT_FSIZE in the child
 * (SIGXFSZ ignored, so that write() fails with EFBIG).
 */
#define _DEFAULT_SOURCE /* setgroups */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../cli/cmd_rota.h"

#define NOBODY 65534
#define SKIP_RC 77 /* the child could not set itself up */

static char base[64];

static void at(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "%s/%s", base, name);
}

static void write_file(const char *name, const char *text) {
  char p[256];
  at(p, sizeof p, name);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

/* The whole file, or NULL when it cannot be read; the caller frees. */
static char *slurp(const char *p) {
  FILE *f = fopen(p, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  assert_non_null(buf);
  size_t k;
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

static void copy_file(const char *from, const char *name) {
  char *text = slurp(from);
  assert_non_null(text);
  write_file(name, text);
  free(text);
}

/* Number of entries of directory name (without . and ..); -1 if absent. */
static int entries(const char *name) {
  char p[256];
  at(p, sizeof p, name);
  DIR *d = opendir(p);
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(d);
  return n;
}

typedef enum { AS_IS, AS_NOBODY, SMALL_FSIZE } child_mode;

/* Run cmd (argv, NULL-terminated; "@x" = base/x) in a forked child set up
 * by mode, stderr into base/err.txt; returns its exit code. */
static int run_child(child_mode mode, char **args) {
  char *argv[32];
  static char store[32][256];
  int argc = 0;
  for (; args[argc]; argc++) {
    if (args[argc][0] == '@')
      at(store[argc], sizeof store[argc], args[argc] + 1);
    else
      snprintf(store[argc], sizeof store[argc], "%s", args[argc]);
    argv[argc] = store[argc];
  }
  argv[argc] = NULL;
  char errp[256];
  at(errp, sizeof errp, "err.txt");
  int efd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  assert_true(efd >= 0);
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    dup2(efd, 2);
    if (mode == AS_NOBODY && geteuid() == 0 &&
        (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
         setuid(NOBODY) != 0))
      _exit(SKIP_RC);
    if (mode == AS_NOBODY && geteuid() == 0) _exit(SKIP_RC);
    if (mode == SMALL_FSIZE) {
      signal(SIGXFSZ, SIG_IGN);
      struct rlimit rl = {4096, 4096};
      if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(SKIP_RC);
    }
    int rc;
    if (!strcmp(argv[0], "assign"))
      rc = cpt_cmd_assign(argc, argv);
    else
      rc = cpt_cmd_rota(argc, argv);
    fflush(NULL);
    _exit(rc);
  }
  close(efd);
  int ws;
  assert_int_equal(waitpid(pid, &ws, 0), pid);
  assert_true(WIFEXITED(ws));
  return WEXITSTATUS(ws);
}

static char *err_text(void) {
  char p[256];
  at(p, sizeof p, "err.txt");
  char *s = slurp(p);
  assert_non_null(s);
  return s;
}

static void assert_contains(const char *hay, const char *needle) {
  if (!strstr(hay, needle))
    fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static int setup(void **state) {
  (void)state;
  snprintf(base, sizeof base, "/tmp/cpt_outputs_XXXXXX");
  if (!mkdtemp(base)) return -1;
  /* nobody must reach the inputs and the directories under base */
  if (chmod(base, 0755) != 0) return -1;
  mode_t old = umask(022);
  copy_file("datasets/examples/doctors.csv", "doctors.csv");
  copy_file("datasets/examples/patients.csv", "patients.csv");
  umask(old);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char cmd[256];
  snprintf(cmd, sizeof cmd, "chmod -R u+w %s; rm -rf %s", base, base);
  return system(cmd) == 0 ? 0 : -1;
}

static void make_dir(const char *name, mode_t mode) {
  char p[256];
  at(p, sizeof p, name);
  assert_int_equal(mkdir(p, 0755), 0);
  assert_int_equal(chmod(p, mode), 0);
}

static void test_missing_output_directory_exits_2_and_writes_nothing(
    void **state) {
  (void)state;
  make_dir("m", 0755);
  char *args[] = {"assign", "--doctors", "@doctors.csv", "--patients",
                  "@patients.csv", "--out", "@m/a.csv", "--report",
                  "@m/no/such/dir/r.json", "--quiet", NULL};
  assert_int_equal(run_child(AS_IS, args), 2);
  assert_int_equal(entries("m"), 0); /* not a.csv, no temporary file */
  char *e = err_text();
  assert_contains(e, "r.json");
  assert_contains(e, "No such file or directory");
  assert_contains(e, "nothing written");
  free(e);
}

static void test_read_only_directory_exits_2_and_keeps_the_old_file(
    void **state) {
  (void)state;
  make_dir("ro", 0755);
  write_file("ro/a.csv", "old\n");
  char p[256];
  at(p, sizeof p, "ro");
  assert_int_equal(chmod(p, 0555), 0);
  char *args[] = {"assign", "--doctors", "@doctors.csv", "--patients",
                  "@patients.csv", "--out", "@ro/a.csv", "--report",
                  "@ro/r.json", "--quiet", NULL};
  int rc = run_child(AS_NOBODY, args);
  if (rc == SKIP_RC) skip(); /* not root and cannot drop privileges */
  assert_int_equal(rc, 2);
  assert_int_equal(entries("ro"), 1);
  at(p, sizeof p, "ro/a.csv");
  char *old = slurp(p);
  assert_string_equal(old, "old\n");
  free(old);
  char *e = err_text();
  assert_contains(e, "a.csv");
  assert_contains(e, "Permission denied");
  assert_contains(e, "nothing written");
  free(e);
}

/* The CSV (15 kB) goes past a 4 kB file size limit: every write after that
 * fails with EFBIG; the report (6 kB) too. */
static void test_full_disk_exits_2_and_keeps_the_old_file(void **state) {
  (void)state;
  make_dir("full", 0755);
  write_file("full/a.csv", "old\n");
  char *args[] = {"assign", "--doctors", "@doctors.csv", "--patients",
                  "@patients.csv", "--out", "@full/a.csv", "--report",
                  "@full/r.json", "--quiet", NULL};
  int rc = run_child(SMALL_FSIZE, args);
  if (rc == SKIP_RC) skip();
  assert_int_equal(rc, 2);
  assert_int_equal(entries("full"), 1); /* no report, no temporary file */
  char p[256];
  at(p, sizeof p, "full/a.csv");
  char *old = slurp(p);
  assert_string_equal(old, "old\n");
  free(old);
  char *e = err_text();
  assert_contains(e, "a.csv");
  assert_contains(e, "File too large");
  assert_contains(e, "nothing written");
  free(e);
}

/* Only the report is too large: the CSV, written completely, must not be
 * renamed into place alone either. */
static void test_full_disk_on_one_output_writes_none(void **state) {
  (void)state;
  make_dir("full2", 0755);
  char *args[] = {"assign", "--doctors", "@doctors.csv", "--patients",
                  "@patients.csv", "--out", "@full2/a.csv", "--report",
                  "@full2/r.json", "--quiet", NULL};
  /* a patients file of 10 rows: a CSV under 4 kB, a report over it */
  char p[256];
  at(p, sizeof p, "patients.csv");
  char *all = slurp(p);
  assert_non_null(all);
  char *q = all;
  for (int line = 0; line < 11 && q; line++)
    if ((q = strchr(q, '\n'))) q++;
  assert_non_null(q);
  *q = '\0';
  write_file("few.csv", all);
  free(all);
  args[4] = "@few.csv";
  int rc = run_child(SMALL_FSIZE, args);
  if (rc == SKIP_RC) skip();
  assert_int_equal(rc, 2);
  assert_int_equal(entries("full2"), 0);
  char *e = err_text();
  assert_contains(e, "r.json");
  assert_contains(e, "File too large");
  free(e);
}

/* The same run without limits writes both: the failures above come from
 * the directory or the limit, not from the inputs. */
static void test_same_run_without_limit_writes_both(void **state) {
  (void)state;
  make_dir("ok", 0755);
  write_file("ok/a.csv", "old\n");
  char *args[] = {"assign", "--doctors", "@doctors.csv", "--patients",
                  "@patients.csv", "--out", "@ok/a.csv", "--report",
                  "@ok/r.json", "--quiet", NULL};
  assert_int_equal(run_child(AS_IS, args), 0);
  assert_int_equal(entries("ok"), 2);
  char p[256];
  at(p, sizeof p, "ok/a.csv");
  char *csv = slurp(p);
  assert_non_null(csv);
  assert_true(strncmp(csv, "patient,doctor,distance_km,reason\n", 34) == 0);
  int lines = 0;
  for (char *c = csv; *c; c++) lines += *c == '\n';
  assert_int_equal(lines, 601); /* header + 600 patients */
  free(csv);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_missing_output_directory_exits_2_and_writes_nothing),
      cmocka_unit_test(test_read_only_directory_exits_2_and_keeps_the_old_file),
      cmocka_unit_test(test_full_disk_exits_2_and_keeps_the_old_file),
      cmocka_unit_test(test_full_disk_on_one_output_writes_none),
      cmocka_unit_test(test_same_run_without_limit_writes_both),
  };
  return cmocka_run_group_tests_name("outputs", tests, setup, teardown);
}
