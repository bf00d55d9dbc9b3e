/*
 * test_manpage.c — man/cptsopt.1 cannot silently drift from the program:
 * every command that `cptsopt --help` lists has its own subsection (.SS),
 * every option that `cptsopt CMD --help` prints (--long-name, -v) appears
 * in the page (written \-\-long\-name in roff), the sections a Unix manual
 * page needs are there, and groff renders it without a warning.
 *
 * The binary is the one of this test's build directory (<B>/cptsopt).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char bin[PATH_MAX];
static char *page; /* man/cptsopt.1 */

static char *run(const char *args, int *rc) {
  char cmd[PATH_MAX + 256];
  snprintf(cmd, sizeof cmd, "%s %s 2>&1", bin, args);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  size_t cap = 1 << 14, n = 0, k;
  char *buf = malloc(cap);
  assert_non_null(buf);
  while ((k = fread(buf + n, 1, cap - n - 1, p)) > 0) {
    n += k;
    if (cap - n < 2) {
      buf = realloc(buf, cap *= 2);
      assert_non_null(buf);
    }
  }
  buf[n] = '\0';
  int st = pclose(p);
  *rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return buf;
}

static int setup(void **state) {
  (void)state;
  ssize_t n = readlink("/proc/self/exe", bin, sizeof bin - 16);
  if (n <= 0) return -1;
  bin[n] = '\0';
  for (int k = 0; k < 2; k++) *strrchr(bin, '/') = '\0';
  strcat(bin, "/cptsopt");
  FILE *f = fopen("man/cptsopt.1", "rb");
  if (!f) return -1;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  page = malloc((size_t)len + 1);
  if (!page || fread(page, 1, (size_t)len, f) != (size_t)len) return -1;
  page[len] = '\0';
  fclose(f);
  return access(bin, X_OK);
}

static int teardown(void **state) {
  (void)state;
  free(page);
  return 0;
}

/* name written the roff way: every '-' as "\-". */
static void roff(const char *name, char *out, size_t n) {
  size_t k = 0;
  for (; *name && k + 3 < n; name++) {
    if (*name == '-') out[k++] = '\\';
    out[k++] = *name;
  }
  out[k] = '\0';
}

/* The commands of `cptsopt --help`: the first word of each line indented
 * by two spaces after "commands:". */
static int commands(char names[][32], int max) {
  int rc, n = 0;
  char *help = run("--help", &rc);
  assert_int_equal(rc, 0);
  char *s = strstr(help, "commands:");
  assert_non_null(s);
  for (s = strchr(s, '\n'); s && n < max; s = strchr(s + 1, '\n')) {
    if (strncmp(s, "\n  ", 3) || !isalpha((unsigned char)s[3])) {
      if (s[1] == '\n' && n > 0) break; /* blank line ends the list */
      continue;
    }
    sscanf(s + 3, "%31[a-z-]", names[n]);
    n++;
  }
  free(help);
  return n;
}

static void test_every_command_has_a_subsection(void **state) {
  (void)state;
  char names[32][32];
  int n = commands(names, 32);
  assert_true(n >= 6);
  for (int i = 0; i < n; i++) {
    char want[96], r[64];
    roff(names[i], r, sizeof r);
    snprintf(want, sizeof want, "\n.SS %s\n", r);
    if (!strstr(page, want))
      fail_msg("man/cptsopt.1: no subsection \".SS %s\"", r);
  }
}

static void test_every_option_of_every_help_is_in_the_page(void **state) {
  (void)state;
  char names[32][32];
  int n = commands(names, 32), checked = 0;
  for (int i = 0; i < n; i++) {
    char args[1100];
    snprintf(args, sizeof args, "%s --help", names[i]);
    int rc;
    char *help = run(args, &rc);
    if (rc != 0) { /* config-help and the like print no option list */
      free(help);
      continue;
    }
    for (char *s = help; (s = strchr(s, '-'));) {
      bool start = s == help || isspace((unsigned char)s[-1]) ||
                   s[-1] == '(' || s[-1] == '[' || s[-1] == ',' ||
                   s[-1] == '`';
      size_t dashes = s[1] == '-' ? 2 : 1;
      size_t len = dashes;
      while (islower((unsigned char)s[len]) || isdigit((unsigned char)s[len]) ||
             (s[len] == '-' && islower((unsigned char)s[len + 1])))
        len++;
      bool opt = start && len > dashes &&
                 (dashes == 2 || (len == 2 && islower((unsigned char)s[1])));
      if (opt) {
        char name[1100], r[2300];
        snprintf(name, sizeof name, "%.*s", (int)len, s);
        roff(name, r, sizeof r);
        /* the page must name it as a whole word: not followed by a
         * letter or another "\-" part */
        bool found = false;
        for (const char *p = page; (p = strstr(p, r)); p++) {
          const char *e = p + strlen(r);
          if (!islower((unsigned char)*e) && strncmp(e, "\\-", 2) != 0) {
            found = true;
            break;
          }
        }
        if (!found)
          fail_msg("`cptsopt %s --help` prints %s; man/cptsopt.1 does not "
                   "(write it %s)",
                   names[i], name, r);
        checked++;
      }
      s += len;
    }
    free(help);
  }
  assert_true(checked > 50);
}

static void test_page_has_the_sections_of_a_manual(void **state) {
  (void)state;
  const char *sections[] = {".SH NAME",        ".SH SYNOPSIS",
                            ".SH DESCRIPTION", ".SH EXIT STATUS",
                            ".SH FILES",       ".SH ENVIRONMENT",
                            ".SH EXAMPLES",    "CPTSOPT_COMMUNES"};
  for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
    if (!strstr(page, sections[i])) fail_msg("no %s", sections[i]);
  for (int code = 0; code <= 4; code++) {
    char want[16];
    snprintf(want, sizeof want, ".B %d\n", code);
    if (!strstr(page, want)) fail_msg("EXIT STATUS lacks code %d", code);
  }
}

static void test_groff_renders_without_warnings(void **state) {
  (void)state;
  if (system("command -v groff >/dev/null 2>&1") != 0) skip();
  FILE *p = popen("LC_ALL=C.UTF-8 groff -man -Tutf8 -ww man/cptsopt.1 "
                  "2>&1 >/dev/null",
                  "r");
  assert_non_null(p);
  char out[4096];
  size_t k = fread(out, 1, sizeof out - 1, p);
  out[k] = '\0';
  assert_int_equal(pclose(p), 0);
  if (k) fail_msg("groff warns:\n%s", out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_command_has_a_subsection),
      cmocka_unit_test(test_every_option_of_every_help_is_in_the_page),
      cmocka_unit_test(test_page_has_the_sections_of_a_manual),
      cmocka_unit_test(test_groff_renders_without_warnings),
  };
  return cmocka_run_group_tests_name("manpage", tests, setup, teardown);
}
