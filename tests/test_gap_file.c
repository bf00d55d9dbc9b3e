/*
 * test_gap_file.c — the OR-Library GAP reader (models/gap_file.c) and
 * `cptsopt gap` end to end.
 *
 * Reader: both layouts (tests/data/gap/multi.txt, single.txt), CRLF and
 * tabs, free-form whitespace, decimal costs; every file of
 * tests/data/gap/malformed/ (one defect each) gives its error at the right
 * line and column with what was expected; arbitrary bytes never crash;
 * the infeasibility proofs.  Command: the optimum of each tiny problem is
 * computed here by enumerating every assignment from the file's tokens
 * read with fscanf (nothing shared with the reader or the solver), and
 * checked against the report: bound ≤ optimum ≤ objective always, equal
 * when the status is optimal, and the tiny multi-problem file must be
 * solved to optimality; exit codes 0/1/2/3; nothing written on bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cmd_gap.h"
#include "../models/gap_file.h"
#include "../solver/rng.h"

#define DIR "tests/data/gap/"
#define BAD DIR "malformed/"

/* --- Helpers --------------------------------------------------------------- */

static char tmpdir[64];

static void tpath(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "%s/%s", tmpdir, name);
}

static char *slurp(const char *p) {
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
  return buf;
}

/* Run `cptsopt gap ARGS` in process ('@name' = a file in the temporary
 * directory), stdout and stderr to files there. */
static int run_gap(const char *first, ...) {
  char *argv[32];
  static char store[32][256];
  int argc = 0;
  argv[argc++] = (char *)"gap";
  va_list ap;
  va_start(ap, first);
  for (const char *a = first; a; a = va_arg(ap, const char *)) {
    if (a[0] == '@')
      tpath(store[argc], sizeof store[argc], a + 1);
    else
      snprintf(store[argc], sizeof store[argc], "%s", a);
    argv[argc] = store[argc];
    argc++;
  }
  va_end(ap);
  argv[argc] = NULL;
  char po[256], pe[256];
  tpath(po, sizeof po, "stdout.txt");
  tpath(pe, sizeof pe, "stderr.txt");
  fflush(stdout);
  fflush(stderr);
  int so = dup(1), se = dup(2);
  int fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(fo, 1);
  dup2(fe, 2);
  int rc = cpt_cmd_gap(argc, argv);
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

static char *read_tmp(const char *name) {
  char p[256];
  tpath(p, sizeof p, name);
  return slurp(p);
}

static int setup(void **state) {
  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/cptsopt-gap-XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  static const char *const names[] = {"stdout.txt", "stderr.txt",
                                      "r.json", "r2.json", "bad.json"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char p[256];
    tpath(p, sizeof p, names[i]);
    unlink(p);
  }
  return rmdir(tmpdir);
}

static cpt_gap_file *load_ok(const char *path) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_gap_file *f = NULL;
  cpt_status st = cpt_gap_file_load(path, &f, &d);
  if (st != CPT_OK) {
    cpt_diags_print(&d, stderr);
    fail_msg("%s: %s", path, cpt_status_name(st));
  }
  assert_int_equal(d.n_errors, 0);
  cpt_diags_free(&d);
  return f;
}

/* c, w of agent i (from 0), job j (from 0): the reader's layout. */
static double cost_of(const cpt_gap *g, int i, int j) {
  return g->cost[(size_t)j * g->m + i];
}
static int64_t weight_of(const cpt_gap *g, int i, int j) {
  return g->weight[(size_t)j * g->m + i];
}

static void assert_same_gap(const cpt_gap *a, const cpt_gap *b) {
  assert_int_equal(a->m, b->m);
  assert_int_equal(a->n, b->n);
  size_t nnz = (size_t)a->m * (size_t)a->n;
  assert_memory_equal(a->start, b->start, ((size_t)a->n + 1) * 8);
  assert_memory_equal(a->agent, b->agent, nnz * 4);
  assert_memory_equal(a->cost, b->cost, nnz * 8);
  assert_memory_equal(a->weight, b->weight, nnz * 8);
  assert_memory_equal(a->cap, b->cap, (size_t)a->m * 8);
}

/* --- Reader ---------------------------------------------------------------- */

static void test_gap_file_reads_every_problem_of_a_multi_file(void **state) {
  (void)state;
  cpt_gap_file *f = load_ok(DIR "multi.txt");
  assert_int_equal(f->multi, 1);
  assert_int_equal(f->n, 2);
  const cpt_gap *g = f->v[0], *h = f->v[1];
  assert_int_equal(g->m, 2);
  assert_int_equal(g->n, 3);
  assert_int_equal(f->line[0], 2);
  assert_int_equal(f->line[1], 8);
  /* costs 5 9 4 / 7 3 6, weights 3 4 2 / 2 5 3, capacities 6 5 */
  assert_true(cost_of(g, 0, 2) == 4 && cost_of(g, 1, 0) == 7);
  assert_true(cost_of(g, 1, 1) == 3);
  assert_int_equal(weight_of(g, 0, 1), 4);
  assert_int_equal(weight_of(g, 1, 2), 3);
  assert_int_equal(g->cap[0], 6);
  assert_int_equal(g->cap[1], 5);
  for (int j = 0; j < 3; j++) {
    assert_int_equal(g->start[j], 2 * j);
    for (int i = 0; i < 2; i++) assert_int_equal(g->agent[2 * j + i], i);
  }
  assert_int_equal(g->start[3], 6);
  assert_null(g->count);
  assert_null(g->unassigned);
  assert_null(g->soft);
  assert_int_equal(h->m, 3);
  assert_int_equal(h->n, 4);
  assert_true(cost_of(h, 2, 3) == 8 && cost_of(h, 1, 0) == 8);
  assert_int_equal(weight_of(h, 2, 0), 5);
  assert_int_equal(h->cap[2], 6);
  char err[256];
  assert_int_equal(cpt_gap_validate(g, err, sizeof err), CPT_OK);
  assert_int_equal(cpt_gap_validate(h, err, sizeof err), CPT_OK);
  cpt_gap_file_free(f);
}

static void test_gap_file_single_crlf_tabs_and_one_line_read_alike(
    void **state) {
  (void)state;
  cpt_gap_file *a = load_ok(DIR "single.txt");
  cpt_gap_file *b = load_ok(DIR "single_crlf.txt");
  assert_int_equal(a->multi, 0);
  assert_int_equal(b->multi, 0);
  assert_int_equal(a->n, 1);
  assert_int_equal(a->line[0], 1);
  assert_int_equal(a->v[0]->m, 3);
  assert_int_equal(a->v[0]->n, 5);
  assert_true(cost_of(a->v[0], 2, 4) == 21);
  assert_int_equal(weight_of(a->v[0], 1, 1), 7);
  assert_int_equal(a->v[0]->cap[2], 38);
  assert_same_gap(a->v[0], b->v[0]);
  /* the same tokens on one line, odd spacing, no final newline */
  char *text = slurp(DIR "single.txt");
  assert_non_null(text);
  for (char *p = text; *p; p++)
    if (*p == '\n') *p = (p - text) % 3 ? ' ' : '\t';
  size_t len = strlen(text);
  while (len && (text[len - 1] == ' ' || text[len - 1] == '\t')) len--;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_gap_file *c = NULL;
  assert_int_equal(cpt_gap_file_parse("one-line", text, len, &c, &d),
                   CPT_OK);
  assert_same_gap(a->v[0], c->v[0]);
  cpt_gap_file_free(c);
  cpt_diags_free(&d);
  free(text);
  cpt_gap_file_free(a);
  cpt_gap_file_free(b);
}

static void test_gap_file_accepts_decimal_and_negative_costs(void **state) {
  (void)state;
  static const char text[] = "1 2\n1.5 -2.25\n3 +4\n10\n";
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_gap_file *f = NULL;
  assert_int_equal(cpt_gap_file_parse("t", text, strlen(text), &f, &d),
                   CPT_OK);
  assert_true(f->v[0]->cost[0] == 1.5 && f->v[0]->cost[1] == -2.25);
  assert_int_equal(f->v[0]->weight[1], 4);
  cpt_gap_file_negate(f->v[0]);
  assert_true(f->v[0]->cost[0] == -1.5 && f->v[0]->cost[1] == 2.25);
  cpt_gap_file_free(f);
  cpt_diags_free(&d);
}

static void test_gap_file_huge_numbers_are_errors_not_overflows(
    void **state) {
  (void)state;
  static const char *const texts[] = {
      "99999999999999999999999999 2\n1 2\n3 4\n10\n",
      "1 2\n1 2\n3 99999999999999999999999999\n10\n",
      "1 2\n1 2\n3 4\n-99999999999999999999999999\n",
      "1 99999999999999999999999999\n"};
  static const long cols[] = {1, 3, 1, 3};
  for (size_t i = 0; i < 4; i++) {
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_gap_file *f = NULL;
    assert_int_equal(
        cpt_gap_file_parse("t", texts[i], strlen(texts[i]), &f, &d),
        CPT_EINPUT);
    assert_null(f);
    assert_int_equal(d.n_errors, 1);
    /* a negative number is "not non-negative", the others too large */
    const char *want = i == 2 ? "got \"-9999" : "9999\" (too large)";
    if (d.v[0].col != cols[i] || !strstr(d.v[0].msg, want))
      fail_msg("case %zu: %ld: %s", i, d.v[0].col, d.v[0].msg);
    cpt_diags_free(&d);
  }
}

typedef struct bad_case {
  const char *file;
  long line, col;
  const char *phrase;
} bad_case;

static const bad_case BAD_CASES[] = {
    /* found by the fuzzer: once a signed overflow in the integer parser */
    {"int64_overflow_header", 1, 1,
     "expected a positive integer number of agents m, got "
     "\"9223372036854775808\" (too large)"},
    {"truncated_single", 8, 7,
     "the file ends here: expected a non-negative integer capacity for "
     "agent 3 (1 more token)"},
    {"truncated_multi", 15, 5,
     "problem 2: the file ends here: expected a non-negative integer "
     "capacity for agent 3"},
    {"header_only", 1, 4,
     "expected a numeric cost for agent 1, job 1 (33 more tokens)"},
    {"extra_token_single", 8, 11,
     "expected the end of the file after the capacities, got \"40\""},
    {"extra_problem_multi", 8, 2,
     "after problem 1 (the first token announces 1 problem), got \"3\" and "
     "28 more tokens"},
    {"fewer_problems_than_announced", 15, 7,
     "problem 3: the file ends here: expected the number of agents m and "
     "of jobs n (the first token announces 3 problems)"},
    {"negative_weight", 5, 4,
     "expected a non-negative integer weight for agent 1, job 2, got "
     "\"-15\""},
    {"non_numeric_weight", 6, 5,
     "expected a non-negative integer weight for agent 2, job 2, got "
     "\"x\""},
    {"decimal_weight", 6, 7,
     "expected a non-negative integer weight for agent 2, job 3, got "
     "\"3.5\""},
    {"weight_too_large", 5, 10, "got \"10000000000\" (too large)"},
    {"non_numeric_cost", 3, 5,
     "expected a numeric cost for agent 2, job 2, got \"abc\""},
    {"cost_overflow", 2, 2, "got \"1e999\" (too large)"},
    {"negative_capacity", 8, 5,
     "expected a non-negative integer capacity for agent 2, got \"-34\""},
    {"zero_agents", 1, 1,
     "expected a positive integer number of agents m, got \"0\""},
    {"zero_jobs", 1, 3,
     "expected a positive integer number of jobs n, got \"0\""},
    {"non_numeric_header", 1, 3,
     "expected a positive integer number of jobs n, got \"five\""},
    {"huge_sizes", 1, 1,
     "m·n = 100000 × 100000 agent-job pairs is more than this reader "
     "accepts"},
    {"bad_header_problem2", 8, 4,
     "problem 2: expected a positive integer number of jobs n, got \"-4\""},
    {"empty", 0, 0, "empty file"},
    {"whitespace_only", 0, 0, "empty file"},
    {"several_errors", 2, 5, "got \"2x1\""},
};

static void test_gap_file_malformed_files_give_line_column_and_defect(
    void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof BAD_CASES / sizeof *BAD_CASES; i++) {
    const bad_case *c = &BAD_CASES[i];
    char path[256];
    snprintf(path, sizeof path, BAD "%s.txt", c->file);
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_gap_file *f = (cpt_gap_file *)1;
    cpt_status st = cpt_gap_file_load(path, &f, &d);
    if (st != CPT_EINPUT || f != NULL || d.n == 0)
      fail_msg("%s: status %s, %zu diagnostics", c->file,
               cpt_status_name(st), d.n);
    const cpt_diag *e = &d.v[0];
    char buf[1024];
    cpt_diag_format(e, buf, sizeof buf);
    if (!e->file || strcmp(e->file, path) != 0 || e->line != c->line ||
        e->col != c->col || !strstr(e->msg, c->phrase))
      fail_msg("got  %s\nwant %s:%ld:%ld: ... %s", buf, path, c->line,
               c->col, c->phrase);
    size_t want = strcmp(c->file, "several_errors") ? 1 : 3;
    if (d.n_errors != want) {
      cpt_diags_print(&d, stderr);
      fail_msg("%s: %zu errors, want %zu", c->file, d.n_errors, want);
    }
    cpt_diags_free(&d);
  }
}

static void test_gap_file_lists_every_bad_value(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_gap_file *f = NULL;
  assert_int_equal(cpt_gap_file_load(BAD "several_errors.txt", &f, &d),
                   CPT_EINPUT);
  assert_int_equal(d.n, 3);
  assert_int_equal(d.v[1].line, 6);
  assert_int_equal(d.v[1].col, 5);
  assert_non_null(strstr(d.v[1].msg, "weight for agent 2, job 2, got \"-7\""));
  assert_int_equal(d.v[2].line, 8);
  assert_int_equal(d.v[2].col, 8);
  assert_non_null(strstr(d.v[2].msg, "capacity for agent 3, got \"3e8\""));
  cpt_diags_free(&d);
}

static void test_gap_file_missing_file_is_an_io_error(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_gap_file *f = NULL;
  assert_int_equal(cpt_gap_file_load(DIR "no_such_file.txt", &f, &d),
                   CPT_EIO);
  assert_null(f);
  assert_int_equal(d.n_errors, 1);
  cpt_diags_free(&d);
}

/* Mutated copies of the good files: every outcome is OK or a located
 * CPT_EINPUT, never a crash (ASan/UBSan run this too). */
static void test_gap_file_parse_survives_arbitrary_bytes(void **state) {
  (void)state;
  static const char *const files[] = {DIR "single.txt", DIR "multi.txt"};
  static const char alphabet[] = "0123456789 \n\r\t-+.eEx\0";
  uint64_t rs = 12345;
  for (size_t fi = 0; fi < 2; fi++) {
    char *text = slurp(files[fi]);
    assert_non_null(text);
    size_t len = strlen(text);
    for (int round = 0; round < 400; round++) {
      char *buf = malloc(len + 1);
      assert_non_null(buf);
      memcpy(buf, text, len + 1);
      size_t cut = len - cpt_splitmix64(&rs) % (len / 4 + 1);
      int edits = 1 + (int)(cpt_splitmix64(&rs) % 4);
      for (int e = 0; e < edits; e++)
        buf[cpt_splitmix64(&rs) % cut] =
            alphabet[cpt_splitmix64(&rs) % (sizeof alphabet - 1)];
      cpt_diags d;
      cpt_diags_init(&d);
      cpt_gap_file *f = NULL;
      cpt_status st = cpt_gap_file_parse("fuzz", buf, cut, &f, &d);
      if (st == CPT_OK) {
        assert_non_null(f);
        assert_int_equal(d.n_errors, 0);
        char err[256];
        for (size_t p = 0; p < f->n; p++)
          assert_int_equal(cpt_gap_validate(f->v[p], err, sizeof err),
                           CPT_OK);
      } else {
        assert_int_equal(st, CPT_EINPUT);
        assert_null(f);
        assert_true(d.n_errors > 0);
      }
      cpt_gap_file_free(f);
      cpt_diags_free(&d);
      free(buf);
    }
    free(text);
  }
}

static void test_gap_file_proves_infeasibility_and_names_the_job(
    void **state) {
  (void)state;
  char why[256];
  cpt_gap_file *f = load_ok(DIR "infeasible_job.txt");
  assert_int_equal(cpt_gap_file_infeasible(f->v[0], why, sizeof why), 1);
  assert_non_null(strstr(why, "job 2 fits no agent"));
  cpt_gap_file_free(f);
  f = load_ok(DIR "infeasible_total.txt");
  assert_int_equal(cpt_gap_file_infeasible(f->v[0], why, sizeof why), 1);
  assert_non_null(strstr(why, "add up to 12, more than the total capacity "
                              "11"));
  cpt_gap_file_free(f);
  f = load_ok(DIR "single.txt");
  assert_int_equal(cpt_gap_file_infeasible(f->v[0], why, sizeof why), 0);
  cpt_gap_file_free(f);
}

/* --- Brute force, independent of the reader -------------------------------- */

/* Optimum of problem `which` (from 0) of a GAP file, read with fscanf;
 * sign +1 minimizes, −1 maximizes.  NAN when infeasible. */
static double brute_optimum(const char *path, int which, double sign) {
  FILE *in = fopen(path, "r");
  assert_non_null(in);
  double tokv[4096];
  int T = 0;
  while (T < 4096 && fscanf(in, "%lf", &tokv[T]) == 1) T++;
  fclose(in);
  int multi = !(T == 2 + 2 * (int)tokv[0] * (int)tokv[1] + (int)tokv[0]);
  int pos = multi ? 1 : 0;
  for (int p = 0;; p++) {
    int m = (int)tokv[pos], n = (int)tokv[pos + 1];
    assert_true(m >= 1 && m <= 4 && n >= 1 && n <= 8);
    const double *c = &tokv[pos + 2], *w = c + m * n, *b = w + m * n;
    if (p < which) {
      pos += 2 + 2 * m * n + m;
      continue;
    }
    double best = NAN;
    int a[8] = {0};
    for (;;) {
      double load[4] = {0}, v = 0;
      for (int j = 0; j < n; j++) {
        load[a[j]] += w[a[j] * n + j];
        v += c[a[j] * n + j];
      }
      int ok = 1;
      for (int i = 0; i < m; i++) ok &= load[i] <= b[i];
      if (ok && (isnan(best) || sign * v < sign * best)) best = v;
      int j = 0;
      while (j < n && ++a[j] == m) a[j++] = 0;
      if (j == n) break;
    }
    return best;
  }
}

/* --- Command --------------------------------------------------------------- */

static cJSON *read_report(const char *name) {
  char *text = read_tmp(name);
  assert_non_null(text);
  cJSON *j = cJSON_Parse(text);
  free(text);
  assert_non_null(j);
  return j;
}

static double num(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  assert_non_null(v);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!cJSON_IsString(v)) fail_msg("key %s is not a string", key);
  return v->valuestring;
}

/* Every problem of the report against the brute-force optimum; returns how
 * many are optimal. */
static int check_against_brute(const cJSON *rep, const char *path,
                               double sign) {
  const cJSON *probs = cJSON_GetObjectItemCaseSensitive(rep, "problems");
  assert_true(cJSON_IsArray(probs));
  int k = 0, n_opt = 0;
  const cJSON *p;
  cJSON_ArrayForEach(p, probs) {
    double opt = brute_optimum(path, k, sign);
    double obj = num(p, "objective"), bnd = num(p, "bound");
    const char *status = str(p, "status");
    double tol = 1e-6 * fmax(1.0, fabs(opt));
    if (sign * bnd > sign * opt + tol)
      fail_msg("%s problem %d: bound %g beyond the optimum %g", path, k + 1,
               bnd, opt);
    if (!isnan(obj) && sign * obj < sign * opt - tol)
      fail_msg("%s problem %d: objective %g better than the optimum %g",
               path, k + 1, obj, opt);
    if (!strcmp(status, "optimal")) {
      if (fabs(obj - opt) > tol)
        fail_msg("%s problem %d: optimal %g, brute force %g", path, k + 1,
                 obj, opt);
      assert_true(num(p, "gap") == 0);
      n_opt++;
    }
    k++;
  }
  return n_opt;
}

static void test_gap_cmd_tiny_multi_file_is_solved_to_the_brute_force_optimum(
    void **state) {
  (void)state;
  int rc = run_gap(DIR "multi.txt", "--threads", "1", "--time-limit", "20",
                   "--report", "@r.json", NULL);
  cJSON *rep = read_report("r.json");
  assert_int_equal(check_against_brute(rep, DIR "multi.txt", 1), 2);
  assert_int_equal(rc, 0);
  assert_string_equal(str(rep, "status"), "optimal");
  double o1 = brute_optimum(DIR "multi.txt", 0, 1);
  double o2 = brute_optimum(DIR "multi.txt", 1, 1);
  assert_true(fabs(num(rep, "objective") - (o1 + o2)) < 1e-9);
  assert_true(num(rep, "gap") == 0);
  /* SPEC §4 keys */
  static const char *const keys[] = {"status", "objective", "bound", "gap",
                                     "time_s", "method", "threads", "seed",
                                     "config", "version"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    if (!cJSON_GetObjectItemCaseSensitive(rep, keys[i]))
      fail_msg("report lacks \"%s\"", keys[i]);
  assert_int_equal((int)num(rep, "threads"), 1);
  const cJSON *probs = cJSON_GetObjectItemCaseSensitive(rep, "problems");
  assert_int_equal(cJSON_GetArraySize(probs), 2);
  const cJSON *p0 = cJSON_GetArrayItem(probs, 0);
  const cJSON *p1 = cJSON_GetArrayItem(probs, 1);
  assert_string_equal(str(p0, "name"), "multi-1");
  assert_string_equal(str(p1, "name"), "multi-2");
  assert_int_equal((int)num(p0, "agents"), 2);
  assert_int_equal((int)num(p0, "jobs"), 3);
  assert_int_equal((int)num(p1, "agents"), 3);
  assert_int_equal((int)num(p1, "jobs"), 4);
  assert_true(num(p0, "time_s") >= 0);
  /* the LP bound beside the Lagrangian ones: below both optima */
  assert_true(num(p0, "lp_bound") <= num(p0, "objective") + 1e-9);
  assert_true(num(p1, "lp_bound") <= num(p1, "objective") + 1e-9);
  assert_true(num(p1, "lp_time_s") >= 0);
  cJSON_Delete(rep);
  /* one line per problem, then the total */
  char *out = read_tmp("stdout.txt");
  assert_non_null(out);
  assert_non_null(strstr(out, "multi-1 "));
  assert_non_null(strstr(out, "multi-2 "));
  assert_non_null(strstr(out, "total: 2 problems, 2 optimal"));
  free(out);
}

static void test_gap_cmd_single_file_min_and_max_bracket_the_optimum(
    void **state) {
  (void)state;
  for (int mx = 0; mx < 2; mx++) {
    double sign = mx ? -1.0 : 1.0;
    int rc = mx ? run_gap(DIR "single_crlf.txt", "--maximize", "--threads",
                          "1", "--time-limit", "5", "--report", "@r.json",
                          NULL)
                : run_gap(DIR "single_crlf.txt", "--threads", "1",
                          "--time-limit", "5", "--report", "@r.json", NULL);
    cJSON *rep = read_report("r.json");
    int n_opt = check_against_brute(rep, DIR "single.txt", sign);
    assert_int_equal(rc, n_opt == 1 ? 0 : 1);
    assert_string_equal(str(rep, "sense"), mx ? "max" : "min");
    const cJSON *p0 =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(rep, "problems"),
                           0);
    assert_string_equal(str(p0, "name"), "single_crlf");
    cJSON_Delete(rep);
  }
  /* the brute force itself: 81 and 111 (checked by hand on the file) */
  assert_true(brute_optimum(DIR "single.txt", 0, 1) == 81);
  assert_true(brute_optimum(DIR "single.txt", 0, -1) == 111);
}

static void test_gap_cmd_proven_infeasible_exits_3_naming_the_job(
    void **state) {
  (void)state;
  int rc = run_gap(DIR "infeasible_job.txt", "--threads", "1", "--report",
                   "@r.json", NULL);
  assert_int_equal(rc, 3);
  char *err = read_tmp("stderr.txt");
  assert_non_null(strstr(err, "infeasible_job: infeasible: job 2 fits no "
                              "agent"));
  free(err);
  cJSON *rep = read_report("r.json");
  assert_string_equal(str(rep, "status"), "infeasible");
  const cJSON *p0 =
      cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(rep, "problems"), 0);
  assert_string_equal(str(p0, "status"), "infeasible");
  assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(p0,
                                                            "objective")));
  cJSON_Delete(rep);
}

static void test_gap_cmd_bad_file_exits_2_with_location_writing_nothing(
    void **state) {
  (void)state;
  int rc = run_gap(BAD "negative_weight.txt", "--report", "@bad.json", NULL);
  assert_int_equal(rc, 2);
  char p[256];
  tpath(p, sizeof p, "bad.json");
  assert_int_equal(access(p, F_OK), -1);
  char *err = read_tmp("stderr.txt");
  assert_non_null(strstr(err, BAD "negative_weight.txt:5:4: error: expected "
                              "a non-negative integer weight"));
  free(err);
}

static void test_gap_cmd_usage_errors_exit_2(void **state) {
  (void)state;
  assert_int_equal(run_gap(NULL), 2);
  assert_int_equal(run_gap(DIR "single.txt", DIR "multi.txt", NULL), 2);
  assert_int_equal(run_gap(DIR "single.txt", "--bogus", NULL), 2);
  assert_int_equal(run_gap(DIR "single.txt", "--time-limit", "abc", NULL),
                   2);
  assert_int_equal(run_gap(DIR "single.txt", "--threads", "-3", NULL), 2);
  assert_int_equal(run_gap(DIR "single.txt", "--time-limit", NULL), 2);
  assert_int_equal(run_gap(DIR "no_such_file.txt", NULL), 2);
  assert_int_equal(run_gap("--help", NULL), 0);
  char *out = read_tmp("stdout.txt");
  assert_non_null(strstr(out, "usage: cptsopt gap FILE"));
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gap_file_reads_every_problem_of_a_multi_file),
      cmocka_unit_test(test_gap_file_single_crlf_tabs_and_one_line_read_alike),
      cmocka_unit_test(test_gap_file_accepts_decimal_and_negative_costs),
      cmocka_unit_test(test_gap_file_huge_numbers_are_errors_not_overflows),
      cmocka_unit_test(
          test_gap_file_malformed_files_give_line_column_and_defect),
      cmocka_unit_test(test_gap_file_lists_every_bad_value),
      cmocka_unit_test(test_gap_file_missing_file_is_an_io_error),
      cmocka_unit_test(test_gap_file_parse_survives_arbitrary_bytes),
      cmocka_unit_test(test_gap_file_proves_infeasibility_and_names_the_job),
      cmocka_unit_test(
          test_gap_cmd_tiny_multi_file_is_solved_to_the_brute_force_optimum),
      cmocka_unit_test(
          test_gap_cmd_single_file_min_and_max_bracket_the_optimum),
      cmocka_unit_test(test_gap_cmd_proven_infeasible_exits_3_naming_the_job),
      cmocka_unit_test(
          test_gap_cmd_bad_file_exits_2_with_location_writing_nothing),
      cmocka_unit_test(test_gap_cmd_usage_errors_exit_2),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
