/*
 * test_export.c — `cptsopt export`: the LP and MPS files, read back by
 * GLPK's own readers (glp_read_lp, glp_read_mps) and solved by
 * glp_simplex + glp_intopt, have the optimum of the model they stand for.
 *
 *  - assign, library level: on random tiny instances (with and without
 *    households) the files' optimum equals the brute-force optimum
 *    (tests/support/brute.h), which owes nothing to the MIP builder;
 *  - assign and rota, command level: the files' optimum equals the
 *    objective `assign --method mip` / `rota --method mip` report on the
 *    same input (MPS: minimize −f for the assign maximization; the
 *    constant is the fixed column "const"), and the names say what rows
 *    and columns are (cap_<doctor>, x_<patient>_<doctor>, cover_<slot>,
 *    y_<doctor>_<slot>, ...);
 *  - rota: the y of the LP's optimum, read by name, is a feasible rota for
 *    the independent checker (tests/support/rota_check.h) with the same
 *    objective;
 *  - failures write nothing: bad input exits 2, clashing pinned pairs 3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../cli/cmd_rota.h"
#include "../cli/cmd_tools.h"
#include "../models/assign.h"
#include "../solver/mip.h"
#include "support/brute.h"
#include "support/rota_check.h"
#include "support/rota_fixture.h"

#define ROTA "tests/data/rota_cli/"

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

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
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

/* Run a command (cpt_cmd_*) on NULL-terminated arguments. */
static int run(int (*cmd)(int, char **), const char *name, const char *first,
               ...) {
  char *argv[64];
  static char store[64][512];
  int argc = 0;
  argv[argc++] = (char *)name;
  va_list ap;
  va_start(ap, first);
  for (const char *a = first; a && argc < 63; a = va_arg(ap, const char *)) {
    snprintf(store[argc], sizeof store[argc], "%s", a);
    argv[argc] = store[argc];
    argc++;
  }
  va_end(ap);
  argv[argc] = NULL;
  return cmd(argc, argv);
}

/* "objective" of a JSON report. */
static double report_objective(const char *path) {
  char *text = slurp(path);
  assert_non_null(text);
  cJSON *j = cJSON_Parse(text);
  assert_non_null(j);
  cJSON *o = cJSON_GetObjectItemCaseSensitive(j, "objective");
  assert_true(cJSON_IsNumber(o));
  double v = o->valuedouble;
  cJSON_Delete(j);
  free(text);
  return v;
}

/* Read a model file back with GLPK and solve it to optimality; returns
 * the problem (name index built) and the optimum in *obj. */
static glp_prob *glpk_solve(const char *path, char format, double *obj) {
  glp_term_out(GLP_OFF);
  glp_prob *P = glp_create_prob();
  int ret = format == 'l' ? glp_read_lp(P, NULL, path)
                          : glp_read_mps(P, GLP_MPS_FILE, NULL, path);
  if (ret != 0) fail_msg("GLPK cannot read %s", path);
  glp_iocp iocp;
  glp_init_iocp(&iocp);
  iocp.presolve = GLP_ON;
  assert_int_equal(glp_intopt(P, &iocp), 0);
  assert_int_equal(glp_mip_status(P), GLP_OPT);
  *obj = glp_mip_obj_val(P);
  glp_create_index(P);
  return P;
}

static void assert_close(double a, double b) {
  if (fabs(a - b) > 1e-6 * fmax(1.0, fabs(b)))
    fail_msg("%.9f differs from %.9f", a, b);
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/cpt_export_XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  glp_free_env();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

/* --- assign ------------------------------------------------------------- */

static void test_assign_files_reach_the_brute_force_optimum(void **state) {
  (void)state;
  int compared = 0, with_leaving = 0;
  for (uint64_t seed = 1; seed <= 60; seed++) {
    cpt_tiny t;
    cpt_tiny_generate(&t, seed, seed % 2 == 0);
    cpt_brute_result br;
    if (cpt_brute_assign(&t.doctors, &t.patients, &t.cfg, t.leaving,
                         t.n_leaving, &br, NULL, 0) != 0)
      continue;
    cpt_assign_params ap; /* leaving doctors: the depart model */
    cpt_assign_params_init(&ap);
    ap.leaving = t.leaving;
    ap.n_leaving = t.n_leaving;
    with_leaving += t.n_leaving > 0;
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_mip *m = NULL;
    assert_int_equal(cpt_assign_build_mip(&t.doctors, &t.patients, &t.cfg, &ap,
                                          &m, &d),
                     CPT_OK);
    assert_non_null(m);
    const char *lp = tmp_path("tiny.lp"), *mps = tmp_path("tiny.mps");
    assert_int_equal(cpt_mip_write(m, lp, 'l'), CPT_OK);
    assert_int_equal(cpt_mip_write(m, mps, 'm'), CPT_OK);
    double f_lp, f_mps;
    glp_delete_prob(glpk_solve(lp, 'l', &f_lp));
    glp_delete_prob(glpk_solve(mps, 'm', &f_mps));
    if (fabs(f_lp - br.best) > 1e-6 * fmax(1, fabs(br.best))) {
      cpt_tiny_print(&t, stderr);
      fail_msg("seed %llu: LP optimum %.9f, brute force %.9f",
               (unsigned long long)seed, f_lp, br.best);
    }
    assert_close(-f_mps, br.best); /* MPS: minimize −f */
    cpt_mip_free(m);
    cpt_diags_free(&d);
    compared++;
  }
  assert_true(compared >= 40);
  assert_true(with_leaving >= 3);
}

/* Doctors D1 (room 2) and D2 (room 6) near each other; P1 alone at its
 * place (its own class), P2 and P3 alike (one aggregated class), the
 * household H1 of P4 and P5, P6 too far from everyone. */
static void write_assign_instance(void) {
  write_file("doctors.csv", "id,lat,lon,site,capacity,current\n"
                            "D1,48.170,6.450,A,100,98\n"
                            "D2,48.180,6.440,B,100,94\n");
  write_file("patients.csv",
             "id,lat,lon,age,ald,household,prev_doctor\n"
             "P1,48.171,6.452,75,1,,D1\n"
             "P2,48.190,6.430,40,0,,\n"
             "P3,48.190,6.430,40,0,,\n"
             "P4,48.160,6.460,8,0,H1,\n"
             "P5,48.160,6.461,38,0,H1,\n"
             "P6,49.500,7.900,50,0,,\n");
}

static void test_assign_lp_and_mps_match_the_mip_command(void **state) {
  (void)state;
  write_assign_instance();
  const char *D = tmp_path("doctors.csv"), *P = tmp_path("patients.csv");
  assert_int_equal(run(cpt_cmd_assign, "assign", "--doctors", D, "--patients",
                       P, "--method", "mip", "--quiet", "--out",
                       tmp_path("a.csv"), "--report", tmp_path("a.json"),
                       NULL),
                   0);
  double want = report_objective(tmp_path("a.json"));
  assert_int_equal(run(cpt_cmd_export, "export", "assign", "--doctors", D,
                       "--patients", P, "--format", "lp", "--out",
                       tmp_path("a.lp"), "--quiet", NULL),
                   0);
  assert_int_equal(run(cpt_cmd_export, "export", "assign", "--doctors", D,
                       "--patients", P, "--out", tmp_path("a.mps"), "--quiet",
                       NULL),
                   0); /* format from the extension */
  double f_lp, f_mps;
  glp_prob *L = glpk_solve(tmp_path("a.lp"), 'l', &f_lp);
  glp_delete_prob(glpk_solve(tmp_path("a.mps"), 'm', &f_mps));
  assert_close(f_lp, want);
  assert_close(-f_mps, want);
  assert_int_equal(glp_get_obj_dir(L), GLP_MAX);
  /* the names say what they are */
  static const char *const cols[] = {"x_P1_D1", "x_P1_D2", "h_H1_D2",
                                     "e_D2"};
  static const char *const rows[] = {"cap_D1", "one_P1", "hh_H1", "fair_D2"};
  for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
    if (!glp_find_col(L, cols[i])) fail_msg("no column %s", cols[i]);
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
    if (!glp_find_row(L, rows[i])) fail_msg("no row %s", rows[i]);
  /* P2 and P3 are one class of two: z_C<k>_<doctor>, bound 2, row n_C<k> */
  int z = 0;
  char row[64] = "";
  for (int j = 1; j <= glp_get_num_cols(L) && !z; j++) {
    const char *n = glp_get_col_name(L, j);
    int k;
    char tail[16];
    if (sscanf(n, "z_C%d_%15s", &k, tail) == 2 && !strcmp(tail, "D2")) {
      z = j;
      snprintf(row, sizeof row, "n_C%d", k);
    }
  }
  assert_true(z > 0);
  assert_close(glp_get_col_ub(L, z), 2.0);
  if (!glp_find_row(L, row)) fail_msg("no row %s", row);
  /* P6 has no eligible doctor: no column names it */
  for (int j = 1; j <= glp_get_num_cols(L); j++)
    assert_null(strstr(glp_get_col_name(L, j), "P6"));
  glp_delete_prob(L);
}

static void test_assign_leaving_exports_the_depart_model(void **state) {
  (void)state;
  write_assign_instance();
  /* P1 (prev D1) and P5 are D1's patients: depart --leaving D1 places
   * them (P5's household mate P4 is not in the view) with D2 alone */
  write_file("dp.csv", "id,lat,lon,age,ald,household,prev_doctor\n"
                       "P1,48.171,6.452,75,1,,D1\n"
                       "P2,48.190,6.430,40,0,,\n"
                       "P5,48.160,6.461,38,0,,D1\n"
                       "P7,48.160,6.461,38,0,,D1\n");
  const char *D = tmp_path("doctors.csv"), *P = tmp_path("dp.csv");
  assert_int_equal(run(cpt_cmd_depart, "depart", "--doctors", D, "--patients",
                       P, "--leaving", "D1", "--method", "mip", "--quiet",
                       "--out", tmp_path("d.csv"), "--report",
                       tmp_path("d.json"), NULL),
                   0);
  double want = report_objective(tmp_path("d.json"));
  assert_int_equal(run(cpt_cmd_export, "export", "assign", "--doctors", D,
                       "--patients", P, "--leaving", "D1", "--out",
                       tmp_path("d.lp"), "--quiet", NULL),
                   0);
  double f;
  glp_prob *L = glpk_solve(tmp_path("d.lp"), 'l', &f);
  assert_close(f, want);
  for (int j = 1; j <= glp_get_num_cols(L); j++) {
    const char *n = glp_get_col_name(L, j);
    assert_null(strstr(n, "_D1")); /* the leaving doctor takes nobody */
    assert_null(strstr(n, "P2"));  /* not a patient of the leaving doctor */
  }
  glp_delete_prob(L);
}

static void test_assign_export_bad_input_writes_nothing(void **state) {
  (void)state;
  write_assign_instance();
  write_file("old.lp", "keep me\n");
  write_file("bad.csv", "id,lat,lon,age\nP1,48.1,6.4,7O\n");
  assert_int_equal(run(cpt_cmd_export, "export", "assign", "--doctors",
                       tmp_path("doctors.csv"), "--patients",
                       tmp_path("bad.csv"), "--out", tmp_path("old.lp"),
                       "--quiet", NULL),
                   2);
  char *text = slurp(tmp_path("old.lp"));
  assert_string_equal(text, "keep me\n");
  free(text);
  /* usage: no format, unknown model, option of the other model */
  assert_int_equal(run(cpt_cmd_export, "export", "assign", "--doctors", "d",
                       "--patients", "p", "--out", tmp_path("m.txt"), NULL),
                   2);
  assert_int_equal(run(cpt_cmd_export, "export", "nrp", NULL), 2);
  assert_int_equal(run(cpt_cmd_export, "export", "assign", "--slots", "s",
                       NULL),
                   2);
  assert_int_equal(run(cpt_cmd_export, "export", "assign", "--doctors", "d",
                       "--patients", "p", "--format", "xls", "--out",
                       tmp_path("m.lp"), NULL),
                   2);
  assert_int_equal(access(tmp_path("m.txt"), F_OK), -1);
  assert_int_equal(access(tmp_path("m.lp"), F_OK), -1);
}

/* --- rota --------------------------------------------------------------- */

static void test_rota_files_match_the_mip_command_and_the_checker(
    void **state) {
  (void)state;
  assert_int_equal(run(cpt_cmd_rota, "rota", "--doctors", ROTA "doctors.csv",
                       "--slots", ROTA "slots.csv", "--availability",
                       ROTA "availability.csv", "--history",
                       ROTA "history.csv", "--pinned", ROTA "pinned.csv",
                       "--method", "mip", "--quiet", "--out",
                       tmp_path("r.csv"), "--report", tmp_path("r.json"),
                       NULL),
                   0);
  double want = report_objective(tmp_path("r.json"));
  for (int k = 0; k < 2; k++) {
    const char *out = tmp_path(k ? "r.mps" : "r.lp");
    assert_int_equal(
        run(cpt_cmd_export, "export", "rota", "--doctors", ROTA "doctors.csv",
            "--slots", ROTA "slots.csv", "--availability",
            ROTA "availability.csv", "--history", ROTA "history.csv",
            "--pinned", ROTA "pinned.csv", "--format", k ? "mps" : "lp",
            "--out", out, "--quiet", NULL),
        0);
    double f;
    glp_prob *L = glpk_solve(out, k ? 'm' : 'l', &f);
    assert_close(f, want); /* a minimization: same sign in both formats */
    assert_true(glp_find_row(L, "cover_s1") > 0);
    assert_true(glp_find_row(L, "fair_D1") > 0);
    assert_true(glp_find_row(L, "week_D1") > 0);
    assert_true(glp_find_row(L, "rest_D1_s4_s5") > 0);
    int pinned = glp_find_col(L, "y_D2_s4");
    assert_true(pinned > 0);
    assert_int_equal(glp_get_col_type(L, pinned), GLP_FX);
    assert_true(glp_find_col(L, "const") > 0); /* uncoverable s9: 1000 */

    /* the optimum's y, by name, is a feasible rota of that objective */
    char *dt = slurp(ROTA "doctors.csv"), *st = slurp(ROTA "slots.csv"),
         *at = slurp(ROTA "availability.csv"), *ht = slurp(ROTA "history.csv"),
         *pt = slurp(ROTA "pinned.csv");
    rota_fixture fx;
    rota_fixture_prepare(&fx, dt, st, at, ht, pt, 11);
    size_t D = fx.rota->n_doctors, S = fx.rota->n_slots;
    uint8_t *y = calloc(D * S, 1);
    assert_non_null(y);
    for (size_t d = 0; d < D; d++)
      for (size_t s = 0; s < S; s++) {
        char name[128];
        snprintf(name, sizeof name, "y_%s_%s", fx.doctors->v[d].id,
                 fx.slots->v[s].id);
        int j = glp_find_col(L, name);
        y[d * S + s] = j > 0 && glp_mip_col_val(L, j) > 0.5;
        if (j == 0) /* no column: the pair is not allowed */
          assert_false(fx.rota->ds[d * S + s] & CPT_DS_ALLOWED);
      }
    char why[256] = "";
    if (cpt_rota_check(fx.rota, fx.slots, 11, y, why, sizeof why) != 0)
      fail_msg("the exported optimum is not a feasible rota: %s", why);
    cpt_rota_solve_params w;
    cpt_rota_solve_params_init(&w);
    assert_close(cpt_rota_check_objective(fx.rota, fx.slots, &w, y), f);
    free(y);
    rota_fixture_release(&fx);
    free(dt);
    free(st);
    free(at);
    free(ht);
    free(pt);
    glp_delete_prob(L);
  }
}

static void test_rota_previous_changes_are_in_the_file(void **state) {
  (void)state;
  write_file("prev.csv", "slot,doctor\ns1,D1\ns2,D4\ns3,D3\ns6,D3\n");
  assert_int_equal(
      run(cpt_cmd_rota, "rota", "--doctors", ROTA "doctors.csv", "--slots",
          ROTA "slots.csv", "--availability", ROTA "availability.csv",
          "--previous", tmp_path("prev.csv"), "--set", "rota.w_change=7",
          "--method", "mip", "--quiet", "--out", tmp_path("r2.csv"),
          "--report", tmp_path("r2.json"), NULL),
      0);
  double want = report_objective(tmp_path("r2.json"));
  assert_int_equal(
      run(cpt_cmd_export, "export", "rota", "--doctors", ROTA "doctors.csv",
          "--slots", ROTA "slots.csv", "--availability",
          ROTA "availability.csv", "--previous", tmp_path("prev.csv"), "--set",
          "rota.w_change=7", "--out", tmp_path("r2.lp"), "--quiet", NULL),
      0);
  double f;
  glp_prob *L = glpk_solve(tmp_path("r2.lp"), 'l', &f);
  assert_close(f, want);
  /* previous = 1 on an allowed pair: coefficient −w_change on y */
  int j = glp_find_col(L, "y_D1_s1");
  assert_true(j > 0);
  assert_close(glp_get_obj_coef(L, j), -1.0 - 7.0); /* preferred, change */
  glp_delete_prob(L);
}

static void test_rota_pinned_clash_exits_3_writing_nothing(void **state) {
  (void)state;
  assert_int_equal(
      run(cpt_cmd_export, "export", "rota", "--doctors", ROTA "doctors.csv",
          "--slots", ROTA "slots.csv", "--availability",
          ROTA "availability.csv", "--pinned", ROTA "pinned_clash.csv",
          "--out", tmp_path("clash.lp"), "--quiet", NULL),
      3);
  assert_int_equal(access(tmp_path("clash.lp"), F_OK), -1);
  assert_int_equal(
      run(cpt_cmd_export, "export", "rota", "--doctors", ROTA "doctors.csv",
          "--slots", ROTA "slots_bad.csv", "--availability",
          ROTA "availability.csv", "--out", tmp_path("bad.lp"), "--quiet",
          NULL),
      2);
  assert_int_equal(access(tmp_path("bad.lp"), F_OK), -1);
  assert_int_equal(run(cpt_cmd_export, "export", "rota", "--doctors",
                       ROTA "doctors.csv", "--patients", "p", NULL),
                   2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_assign_files_reach_the_brute_force_optimum),
      cmocka_unit_test(test_assign_lp_and_mps_match_the_mip_command),
      cmocka_unit_test(test_assign_leaving_exports_the_depart_model),
      cmocka_unit_test(test_assign_export_bad_input_writes_nothing),
      cmocka_unit_test(test_rota_files_match_the_mip_command_and_the_checker),
      cmocka_unit_test(test_rota_previous_changes_are_in_the_file),
      cmocka_unit_test(test_rota_pinned_clash_exits_3_writing_nothing),
  };
  return cmocka_run_group_tests_name("export", tests, setup, teardown);
}
