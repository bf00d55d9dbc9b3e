/*
 * test_install.c — `make install` gives a usable Unix tool: into a
 * temporary PREFIX it installs the binary, libcptsopt.a and its headers
 * (a program with #include <cptsopt/cptsopt.h> compiles, links against
 * the installed tree alone and runs), the man page and the bundled data;
 * the installed binary, run from /, solves the Épinal example and finds
 * its data next to itself (a territory file present only in the
 * installed share/cptsopt/territories resolves).  DESTDIR stages the same
 * tree under another root.
 *
 * The build directory is the one holding this test (<B>/tests/…); make
 * runs from the repository root, as the suites do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp[64];
static char build[PATH_MAX]; /* <B> */
static char root[PATH_MAX];  /* the repository (cwd) */

static int sh(const char *fmt, ...) {
  char cmd[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  fflush(NULL);
  int rc = system(cmd);
  return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static int setup(void **state) {
  (void)state;
  ssize_t n = readlink("/proc/self/exe", build, sizeof build - 1);
  if (n <= 0) return -1;
  build[n] = '\0';
  for (int k = 0; k < 2; k++) { /* <B>/tests/test_install → <B> */
    char *slash = strrchr(build, '/');
    if (!slash) return -1;
    *slash = '\0';
  }
  if (!getcwd(root, sizeof root)) return -1;
  snprintf(tmp, sizeof tmp, "/tmp/cpt_install_XXXXXX");
  if (!mkdtemp(tmp)) return -1;
  /* MAKEFLAGS of an enclosing make would point at its jobserver; -o: the
   * built binary and library are installed as they are, never rebuilt
   * with other flags (a sanitized build, a new git id) */
  return sh("cd %s && env -u MAKEFLAGS -u MFLAGS make -s --no-print-directory "
            "-o %s/cptsopt -o %s/libcptsopt.a B=%s PREFIX=%s/p install "
            ">%s/make.log 2>&1",
            root, build, build, build, tmp, tmp);
}

static int teardown(void **state) {
  (void)state;
  return sh("rm -rf %s", tmp);
}

static void assert_file(const char *rel) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", tmp, rel);
  if (access(p, R_OK) != 0) fail_msg("not installed: %s", p);
}

static void test_install_puts_every_part_under_prefix(void **state) {
  (void)state;
  assert_file("p/bin/cptsopt");
  assert_file("p/lib/libcptsopt.a");
  assert_file("p/include/cptsopt/cptsopt.h");
  assert_file("p/include/cptsopt/models/assign.h");
  assert_file("p/include/cptsopt/solver/mip.h");
  assert_file("p/share/man/man1/cptsopt.1");
  assert_file("p/share/cptsopt/communes/communes.csv");
  assert_file("p/share/cptsopt/territories/vosges-rural.json");
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/p/bin/cptsopt", tmp);
  assert_int_equal(access(p, X_OK), 0);
}

/* A program against the installed tree only: a 2-column MIP
 * max 3x + 2y, x + y ≤ 4, x ≤ 3, integers → 11. */
static void test_installed_header_and_library_build_a_program(void **state) {
  (void)state;
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/small.c", tmp);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs("#include <cptsopt/cptsopt.h>\n"
        "#include <stdio.h>\n"
        "int main(void) {\n"
        "  cpt_mip *m = cpt_mip_new(1);\n"
        "  int x = cpt_mip_add_col(m, \"x\", 0, 3, 3, 1);\n"
        "  int y = cpt_mip_add_col(m, \"y\", 0, 10, 2, 1);\n"
        "  int cols[2] = {x, y};\n"
        "  double vals[2] = {1, 1};\n"
        "  cpt_mip_add_row(m, \"cap\", -1e30, 4, 2, cols, vals);\n"
        "  cpt_mip_result r;\n"
        "  if (cpt_mip_solve(m, NULL, &r, NULL, 0) != CPT_OK) return 1;\n"
        "  printf(\"%s %g\\n\", cpt_solve_status_name(r.status), "
        "r.objective);\n"
        "  cpt_mip_result_free(&r);\n"
        "  cpt_mip_free(m);\n"
        "  cpt_mip_thread_done();\n"
        "  return 0;\n"
        "}\n",
        f);
  assert_int_equal(fclose(f), 0);
  /* a sanitized build (make asan) installs a sanitized library */
  assert_int_equal(
      sh("cd / && san=$(nm %s/p/lib/libcptsopt.a 2>/dev/null | grep -q "
         "__asan_ && echo -fsanitize=address,undefined); cc -std=c11 -Wall "
         "-Werror $san -I%s/p/include -o %s/small %s/small.c "
         "%s/p/lib/libcptsopt.a -lglpk -lcsv -lcjson -lm -fopenmp >%s/cc.log "
         "2>&1",
         tmp, tmp, tmp, tmp, tmp, tmp),
      0);
  assert_int_equal(sh("%s/small >%s/small.out", tmp, tmp), 0);
  snprintf(p, sizeof p, "%s/small.out", tmp);
  f = fopen(p, "r");
  assert_non_null(f);
  char line[128] = "";
  assert_non_null(fgets(line, sizeof line, f));
  fclose(f);
  assert_string_equal(line, "optimal 11\n");
}

static void test_installed_binary_solves_the_example_from_root(void **state) {
  (void)state;
  assert_int_equal(
      sh("cd / && env -u CPTSOPT_COMMUNES %s/p/bin/cptsopt assign --doctors "
         "%s/datasets/examples/doctors.csv --patients "
         "%s/datasets/examples/patients.csv --out %s/a.csv --quiet",
         tmp, root, root, tmp),
      0);
  assert_file("a.csv");
  assert_int_equal(sh("%s/p/bin/cptsopt --version | grep -q '^cptsopt "
                      "[0-9.]* (git [^)]*), [a-z]* [0-9.]*.*, GLPK [0-9.]*$'",
                      tmp),
                   0);
}

/* A territory that exists only in the installed share directory. */
static void test_installed_binary_finds_its_own_data(void **state) {
  (void)state;
  assert_int_equal(sh("cp %s/p/share/cptsopt/territories/vosges-rural.json "
                      "%s/p/share/cptsopt/territories/only-installed.json",
                      tmp, tmp),
                   0);
  assert_int_equal(sh("cd / && env -u CPTSOPT_COMMUNES %s/p/bin/cptsopt "
                      "generate --territory only-installed --scale 0.1 --out "
                      "%s/gen --quiet",
                      tmp, tmp),
                   0);
  assert_file("gen/doctors.csv");
}

static void test_destdir_stages_under_another_root(void **state) {
  (void)state;
  assert_int_equal(
      sh("cd %s && env -u MAKEFLAGS -u MFLAGS make -s --no-print-directory "
         "-o %s/cptsopt -o %s/libcptsopt.a B=%s PREFIX=/opt/cpt "
         "DESTDIR=%s/stage install >%s/make2.log 2>&1",
         root, build, build, build, tmp, tmp),
      0);
  assert_file("stage/opt/cpt/bin/cptsopt");
  assert_file("stage/opt/cpt/include/cptsopt/cptsopt.h");
  assert_file("stage/opt/cpt/share/man/man1/cptsopt.1");
  assert_file("stage/opt/cpt/share/cptsopt/communes/communes.csv");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_install_puts_every_part_under_prefix),
      cmocka_unit_test(test_installed_header_and_library_build_a_program),
      cmocka_unit_test(test_installed_binary_solves_the_example_from_root),
      cmocka_unit_test(test_installed_binary_finds_its_own_data),
      cmocka_unit_test(test_destdir_stages_under_another_root),
  };
  return cmocka_run_group_tests_name("install", tests, setup, teardown);
}
