/*
 * test_nrp.c — the nurse-rostering benchmark reader, evaluator and roster
 * text format (models/nrp.h).
 *
 * tests/data/nrp/small.txt is a hand-written 7-day instance (staff A, B,
 * C; shifts E and L, E may not follow L) in the benchmark's format; its
 * objective for small_roster.txt is computed by hand below.  small_crlf.txt
 * is the same instance with CRLF, trailing blanks, blank lines and the
 * sections out of order.  Each roster of the hard-rule table breaks one
 * rule exactly once.  tests/data/nrp/malformed/ holds one file per defect,
 * each checked for its exact FILE:LINE:FIELD and a key phrase.
 *
 * Format confirmation (not copied): the benchmark's Instance files open
 * with "# This is a comment. Comments start with #", then SECTION_HORIZON
 * ("# All instances start on a Monday" / "# The horizon length in days:" /
 * 14), SECTION_SHIFTS ("# ShiftID, Length in mins, Shifts which cannot
 * follow this shift | separated", rows like "E,480," and "L,480,E"),
 * SECTION_STAFF ("# ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes,
 * MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff,
 * MaxWeekends", rows like "A,E=14|L=14,5280,3360,5,2,2,2"),
 * SECTION_DAYS_OFF ("# EmployeeID, DayIndexes (start at zero)"), the two
 * request sections ("# EmployeeID, Day, ShiftID, Weight") and
 * SECTION_COVER ("# Day, ShiftID, Requirement, Weight for under, Weight
 * for over"), each followed by a blank line.
 * Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../models/nrp.h"

#define DIR "tests/data/nrp/"
#define BAD DIR "malformed/"

static cpt_nrp_instance *load_ok(const char *path) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_nrp_instance *in = NULL;
  cpt_status st = cpt_nrp_load(path, &in, &d);
  if (st != CPT_OK) {
    cpt_diags_print(&d, stderr);
    fail_msg("%s: %s", path, cpt_status_name(st));
  }
  assert_int_equal(d.n_errors, 0);
  cpt_diags_free(&d);
  return in;
}

/* rows[s] holds one character per day: a one-letter shift id, or '-'. */
static cpt_nrp_roster *roster_of(const cpt_nrp_instance *in,
                                 const char *const *rows) {
  cpt_nrp_roster *r = cpt_nrp_roster_new(in);
  assert_non_null(r);
  for (int s = 0; s < in->n_staff; s++) {
    assert_int_equal(strlen(rows[s]), in->horizon);
    for (int d = 0; d < in->horizon; d++) {
      char id[2] = {rows[s][d], '\0'};
      r->shift[s * in->horizon + d] =
          id[0] == '-' ? CPT_NRP_OFF : cpt_nrp_shift_index(in, id);
      if (id[0] != '-') assert_true(r->shift[s * in->horizon + d] >= 0);
    }
  }
  return r;
}

static const char *const GOOD[3] = {"EEE----", "--EEE--", "--LLLLL"};

/* --- Reader ------------------------------------------------------------- */

static void test_nrp_reads_every_section_of_a_small_instance(void **state) {
  (void)state;
  cpt_nrp_instance *in = load_ok(DIR "small.txt");
  assert_int_equal(in->horizon, 7);
  assert_int_equal(in->n_shifts, 2);
  assert_string_equal(in->shifts[0].id, "E");
  assert_string_equal(in->shifts[1].id, "L");
  assert_int_equal(in->shifts[1].minutes, 480);
  /* L,480,E: E cannot follow L; nothing else is forbidden */
  assert_int_equal(in->forbid[1 * 2 + 0], 1);
  assert_int_equal(in->forbid[0 * 2 + 0] + in->forbid[0 * 2 + 1] +
                       in->forbid[1 * 2 + 1],
                   0);
  assert_int_equal(in->n_staff, 3);
  const cpt_nrp_staff *b = &in->staff[1];
  assert_string_equal(b->id, "B");
  assert_int_equal(b->max_shifts[0], 7);
  assert_int_equal(b->max_shifts[1], 0);
  assert_int_equal(b->max_total_minutes, 1920);
  assert_int_equal(b->min_total_minutes, 960);
  assert_int_equal(b->max_consecutive_shifts, 5);
  assert_int_equal(b->min_consecutive_shifts, 2);
  assert_int_equal(b->min_consecutive_days_off, 2);
  assert_int_equal(b->max_weekends, 1);
  assert_int_equal(in->staff[0].max_consecutive_shifts, 3);
  assert_int_equal(in->staff[0].max_weekends, 0);
  int ndo = 0;
  for (int i = 0; i < 3 * 7; i++) ndo += in->day_off[i];
  assert_int_equal(ndo, 3);
  assert_true(in->day_off[0 * 7 + 4] && in->day_off[2 * 7 + 0] &&
              in->day_off[2 * 7 + 1]);
  assert_int_equal(in->n_on, 4);
  assert_int_equal(in->n_off, 3);
  assert_int_equal(in->on[1].staff, 0);
  assert_int_equal(in->on[1].day, 5);
  assert_int_equal(in->on[1].shift, 0);
  assert_int_equal(in->on[1].weight, 4);
  assert_int_equal(in->off[1].staff, 1);
  assert_int_equal(in->off[1].weight, 5);
  assert_int_equal(in->n_cover, 14);
  assert_int_equal(in->cover[3].day, 1);
  assert_int_equal(in->cover[3].shift, 1);
  assert_int_equal(in->cover[3].requirement, 1);
  assert_int_equal(in->cover[3].weight_under, 100);
  assert_int_equal(in->cover[3].weight_over, 1);
  assert_int_equal(cpt_nrp_staff_index(in, "C"), 2);
  assert_int_equal(cpt_nrp_staff_index(in, "Z"), -1);
  cpt_nrp_free(in);
}

static void test_nrp_crlf_blanks_comments_and_section_order_read_the_same(
    void **state) {
  (void)state;
  cpt_nrp_instance *a = load_ok(DIR "small.txt");
  cpt_nrp_instance *b = load_ok(DIR "small_crlf.txt");
  assert_int_equal(a->horizon, b->horizon);
  assert_int_equal(a->n_shifts, b->n_shifts);
  assert_int_equal(a->n_staff, b->n_staff);
  assert_memory_equal(a->forbid, b->forbid, 4);
  assert_memory_equal(a->day_off, b->day_off, 21);
  for (int s = 0; s < 3; s++) {
    assert_string_equal(a->staff[s].id, b->staff[s].id);
    assert_memory_equal(a->staff[s].max_shifts, b->staff[s].max_shifts,
                        2 * sizeof(int));
    assert_int_equal(a->staff[s].max_total_minutes,
                     b->staff[s].max_total_minutes);
    assert_int_equal(a->staff[s].max_weekends, b->staff[s].max_weekends);
  }
  assert_int_equal(a->n_on, b->n_on);
  assert_int_equal(a->n_off, b->n_off);
  assert_int_equal(a->n_cover, b->n_cover);
  assert_memory_equal(a->on, b->on, a->n_on * sizeof *a->on);
  assert_memory_equal(a->off, b->off, a->n_off * sizeof *a->off);
  assert_memory_equal(a->cover, b->cover, a->n_cover * sizeof *a->cover);
  cpt_nrp_free(a);
  cpt_nrp_free(b);
}

typedef struct bad_case {
  const char *file;
  long line, col;
  const char *phrase;
} bad_case;

static const bad_case BAD_CASES[] = {
    {"unknown_shift_in_request", 25, 3, "unknown shift 'X'"},
    {"request_day_out_of_horizon", 27, 2, "day 7 is outside the horizon"},
    {"negative_weight", 33, 4, "expected a non-negative integer, got '-5'"},
    {"missing_cover_section", 0, 0, "missing section SECTION_COVER"},
    {"duplicate_staff_id", 16, 1, "duplicate staff id 'A' (first at line 14)"},
    {"duplicate_shift_id", 10, 1, "duplicate shift id 'E' (first at line 9)"},
    {"maxshifts_without_equals", 15, 2, "expected ShiftID=max, got 'E7'"},
    {"maxshifts_unknown_shift", 15, 2, "unknown shift 'N'"},
    {"staff_wrong_field_count", 16, 0, "expected 8 fields"},
    {"unknown_forbidden_shift", 10, 3, "unknown shift 'X' among"},
    {"unknown_section", 18, 1, "unknown section 'SECTION_HOLIDAYS'"},
    {"duplicate_section", 30, 1,
     "SECTION_SHIFT_ON_REQUESTS appears twice (first at line 23)"},
    {"data_before_first_section", 3, 1, "data before the first section"},
    {"horizon_not_a_number", 5, 1, "got 'seven'"},
    {"horizon_zero", 5, 1, "expected 1..36600 days, got 0"},
    {"duplicate_cover", 45, 1, "duplicate cover for day 2 shift 'L'"},
    {"cover_day_out_of_horizon", 51, 1, "day 9 is outside the horizon"},
    {"unknown_staff_in_days_off", 21, 1, "unknown staff 'Z'"},
    {"days_off_day_out_of_horizon", 21, 3, "day 7 is outside the horizon"},
    {"days_off_without_days", 21, 0, "at least one day index"},
    {"number_too_large", 14, 3, "too large"},
    {"empty_staff_id", 15, 1, "expected an id, got an empty field"},
    {"empty_file", 0, 0, "missing section SECTION_HORIZON"},
    {"control_char_in_section_name", 18, 1,
     "unknown section 'SECTION_HOLI?[2JDAYS'"},
};

static void test_nrp_malformed_files_give_line_field_and_defect(
    void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof BAD_CASES / sizeof *BAD_CASES; i++) {
    const bad_case *c = &BAD_CASES[i];
    char path[256];
    snprintf(path, sizeof path, BAD "%s.txt", c->file);
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_nrp_instance *in = (cpt_nrp_instance *)1;
    cpt_status st = cpt_nrp_load(path, &in, &d);
    if (st != CPT_EINPUT || in != NULL || d.n == 0)
      fail_msg("%s: status %s, %zu diagnostics", c->file,
               cpt_status_name(st), d.n);
    const cpt_diag *e = &d.v[0];
    char buf[1400];
    cpt_diag_format(e, buf, sizeof buf);
    if (!e->file || strcmp(e->file, path) != 0 || e->line != c->line ||
        e->col != c->col || !strstr(e->msg, c->phrase))
      fail_msg("got  %s\nwant %s:%ld:%ld: ... %s", buf, path, c->line,
               c->col, c->phrase);
    cpt_diags_free(&d);
  }
}

static void test_nrp_one_defect_gives_one_diagnostic(void **state) {
  (void)state;
  /* an unusable horizon silences the day checks that depend on it */
  static const char *const single[] = {"horizon_not_a_number",
                                       "unknown_shift_in_request",
                                       "maxshifts_without_equals"};
  for (size_t i = 0; i < 3; i++) {
    char path[256];
    snprintf(path, sizeof path, BAD "%s.txt", single[i]);
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_nrp_instance *in = NULL;
    assert_int_equal(cpt_nrp_load(path, &in, &d), CPT_EINPUT);
    if (d.n_errors != 1) {
      cpt_diags_print(&d, stderr);
      fail_msg("%s: %zu errors", single[i], d.n_errors);
    }
    cpt_diags_free(&d);
  }
}

static void test_nrp_every_error_of_a_file_is_listed(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_nrp_instance *in = NULL;
  assert_int_equal(cpt_nrp_load(BAD "several_errors.txt", &in, &d),
                   CPT_EINPUT);
  assert_null(in);
  assert_int_equal(d.n_errors, 3);
  assert_int_equal(d.v[0].line, 25);
  assert_int_equal(d.v[1].line, 33);
  assert_int_equal(d.v[2].line, 51);
  cpt_diags_free(&d);
}

static void test_nrp_missing_file_is_an_io_error(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_nrp_instance *in = NULL;
  assert_int_equal(cpt_nrp_load(DIR "no_such_file.txt", &in, &d), CPT_EIO);
  assert_null(in);
  assert_int_equal(d.n_errors, 1);
  cpt_diags_free(&d);
}

static void test_nrp_parse_survives_arbitrary_bytes(void **state) {
  (void)state;
  /* truncations of a good file and a few hostile texts: never a crash */
  FILE *f = fopen(DIR "small.txt", "rb");
  assert_non_null(f);
  char text[4096];
  size_t len = fread(text, 1, sizeof text, f);
  fclose(f);
  for (size_t cut = 0; cut <= len; cut += 7) {
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_nrp_instance *in = NULL;
    cpt_status st = cpt_nrp_parse("cut", text, cut, &in, &d);
    assert_true(st == CPT_OK || st == CPT_EINPUT);
    assert_true((st == CPT_OK) == (in != NULL));
    cpt_nrp_free(in);
    cpt_diags_free(&d);
  }
  static const char *const hostile[] = {
      "SECTION_HORIZON\n\0\n", "SECTION_STAFF\n,,,,,,,,,,,,\n",
      "SECTION_SHIFTS\n|||,|,|\n", "SECTION_DAYS_OFF\n,\n,,\n",
      "SECTION_COVER\n-1,-1,-1,-1,-1\n", "SECTION_HORIZON\n2147483648\n"};
  for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
    cpt_nrp_instance *in = NULL;
    size_t n = strlen(hostile[i]) + (i == 0 ? 3 : 0);
    assert_int_equal(cpt_nrp_parse("h", hostile[i], n, &in, NULL),
                     CPT_EINPUT);
    assert_null(in);
  }
}

/* --- Evaluator ---------------------------------------------------------- */

static void test_nrp_known_roster_objective_by_term(void **state) {
  (void)state;
  cpt_nrp_instance *in = load_ok(DIR "small.txt");
  cpt_nrp_roster *r = roster_of(in, GOOD);
  cpt_nrp_eval ev;
  assert_int_equal(cpt_nrp_evaluate(in, r, &ev), CPT_OK);
  /* on: A,5,E unmet (A is off) 4; A,0,E B,3,E C,6,L met.
   * off: B,4,E violated 5; A,2,L B,6,E respected.
   * under: E on days 5, 6 and L on days 0, 1 → 4 × 100.
   * over: E on day 2 (A and B) → 1. */
  assert_int_equal(ev.on_requests, 4);
  assert_int_equal(ev.off_requests, 5);
  assert_int_equal(ev.under_cover, 400);
  assert_int_equal(ev.over_cover, 1);
  assert_int_equal(ev.objective, 410);
  if (ev.n_violations) {
    char buf[256];
    fail_msg("unexpected: %s",
             cpt_nrp_violation_format(in, &ev.violations[0], buf,
                                      sizeof buf));
  }
  cpt_nrp_eval_free(&ev);
  cpt_nrp_roster_free(r);
  cpt_nrp_free(in);
}

typedef struct rule_case {
  const char *what;
  int staff;
  const char *row;
  cpt_nrp_rule rule;
  int day, shift; /* shift as a letter, or 0 */
  long value, limit;
} rule_case;

static const rule_case RULE_CASES[] = {
    {"L then E", 2, "--LELLL", CPT_NRP_SUCCESSION, 3, 'E', 1, 0},
    {"B works L, max 0", 1, "--EEL--", CPT_NRP_MAX_SHIFTS, -1, 'L', 1, 0},
    {"B works 2400 min", 1, "--EEEEE", CPT_NRP_MAX_MINUTES, -1, 0, 2400,
     1920},
    {"B works 480 min", 1, "------E", CPT_NRP_MIN_MINUTES, -1, 0, 480, 960},
    {"A works 4 in a row", 0, "EEEE---", CPT_NRP_MAX_CONSEC, 0, 0, 4, 3},
    {"B works a lone day", 1, "--E--EE", CPT_NRP_MIN_CONSEC, 2, 0, 1, 2},
    {"B rests a lone day", 1, "--EE-EE", CPT_NRP_MIN_DAYS_OFF, 4, 0, 1, 2},
    {"A works the weekend", 0, "-----EE", CPT_NRP_MAX_WEEKENDS, -1, 0, 1, 0},
    {"A works its day off", 0, "---EE--", CPT_NRP_DAY_OFF, 4, 'E', 0, 0},
};

static void test_nrp_each_hard_rule_violated_once_is_named(void **state) {
  (void)state;
  cpt_nrp_instance *in = load_ok(DIR "small.txt");
  for (size_t i = 0; i < sizeof RULE_CASES / sizeof *RULE_CASES; i++) {
    const rule_case *c = &RULE_CASES[i];
    const char *rows[3] = {GOOD[0], GOOD[1], GOOD[2]};
    rows[c->staff] = c->row;
    cpt_nrp_roster *r = roster_of(in, rows);
    cpt_nrp_eval ev;
    assert_int_equal(cpt_nrp_evaluate(in, r, &ev), CPT_OK);
    char buf[256] = "";
    if (ev.n_violations != 1) {
      for (size_t k = 0; k < ev.n_violations; k++)
        fprintf(stderr, "  %s: %s\n", c->what,
                cpt_nrp_violation_format(in, &ev.violations[k], buf,
                                         sizeof buf));
      fail_msg("%s: %zu violations", c->what, ev.n_violations);
    }
    const cpt_nrp_violation *v = &ev.violations[0];
    char sh[2] = {(char)c->shift, '\0'};
    int shift = c->shift ? cpt_nrp_shift_index(in, sh) : -1;
    if (v->rule != c->rule || v->staff != c->staff || v->day != c->day ||
        v->shift != shift || v->value != c->value || v->limit != c->limit)
      fail_msg("%s: got %s staff %d day %d shift %d value %ld limit %ld",
               c->what, cpt_nrp_rule_name(v->rule), v->staff, v->day,
               v->shift, v->value, v->limit);
    assert_int_equal(ev.by_rule[c->rule], 1);
    cpt_nrp_eval_free(&ev);
    cpt_nrp_roster_free(r);
  }
  cpt_nrp_free(in);
}

static void test_nrp_runs_touching_the_horizon_edges_are_never_too_short(
    void **state) {
  (void)state;
  cpt_nrp_instance *in = load_ok(DIR "small.txt");
  /* B: lone shifts on day 0 and day 6 (min consecutive 2), Sunday only
   * worked (one weekend, max 1); C: off days 0-1 then a run to the end */
  const char *rows[3] = {GOOD[0], "E-----E", GOOD[2]};
  cpt_nrp_roster *r = roster_of(in, rows);
  cpt_nrp_eval ev;
  assert_int_equal(cpt_nrp_evaluate(in, r, &ev), CPT_OK);
  assert_int_equal(ev.n_violations, 0);
  cpt_nrp_eval_free(&ev);
  /* A lone day off at the start, or at the end, is not too short either */
  rows[1] = "-EEEEE-";
  cpt_nrp_roster_free(r);
  r = roster_of(in, rows);
  assert_int_equal(cpt_nrp_evaluate(in, r, &ev), CPT_OK);
  assert_int_equal(ev.by_rule[CPT_NRP_MIN_DAYS_OFF], 0);
  assert_int_equal(ev.by_rule[CPT_NRP_MIN_CONSEC], 0);
  cpt_nrp_eval_free(&ev);
  cpt_nrp_roster_free(r);
  cpt_nrp_free(in);
}

static void test_nrp_every_violation_is_listed_by_staff_then_rule(
    void **state) {
  (void)state;
  cpt_nrp_instance *in = load_ok(DIR "small.txt");
  /* A: 5 in a row (max 3; 2400 minutes is still allowed), works day 4
   * (its day off) and Saturday; C: L→E on day 3 and on day 5 */
  const char *rows[3] = {"-EEEEE-", GOOD[1], "--LELEL"};
  cpt_nrp_roster *r = roster_of(in, rows);
  cpt_nrp_eval ev;
  assert_int_equal(cpt_nrp_evaluate(in, r, &ev), CPT_OK);
  assert_int_equal(ev.n_violations, 5);
  static const struct {
    cpt_nrp_rule rule;
    int staff, day;
  } want[5] = {{CPT_NRP_MAX_CONSEC, 0, 1},   {CPT_NRP_MAX_WEEKENDS, 0, -1},
               {CPT_NRP_DAY_OFF, 0, 4},      {CPT_NRP_SUCCESSION, 2, 3},
               {CPT_NRP_SUCCESSION, 2, 5}};
  for (int k = 0; k < 5; k++) {
    assert_int_equal(ev.violations[k].rule, want[k].rule);
    assert_int_equal(ev.violations[k].staff, want[k].staff);
    assert_int_equal(ev.violations[k].day, want[k].day);
  }
  char buf[256];
  assert_string_equal(
      cpt_nrp_violation_format(in, &ev.violations[3], buf, sizeof buf),
      "staff C day 3: shift E cannot follow L");
  assert_string_equal(
      cpt_nrp_violation_format(in, &ev.violations[0], buf, sizeof buf),
      "staff A days 1..5: 5 consecutive shifts, at most 3");
  cpt_nrp_eval_free(&ev);
  cpt_nrp_roster_free(r);
  cpt_nrp_free(in);
}

static void test_nrp_evaluate_rejects_a_roster_that_does_not_fit(
    void **state) {
  (void)state;
  cpt_nrp_instance *in = load_ok(DIR "small.txt");
  cpt_nrp_roster *r = roster_of(in, GOOD);
  cpt_nrp_eval ev;
  r->shift[3] = 2; /* no shift 2 */
  assert_int_equal(cpt_nrp_evaluate(in, r, &ev), CPT_EPARAM);
  cpt_nrp_eval_free(&ev);
  r->shift[3] = CPT_NRP_OFF;
  r->horizon = 6;
  assert_int_equal(cpt_nrp_evaluate(in, r, &ev), CPT_EPARAM);
  cpt_nrp_eval_free(&ev);
  r->horizon = 7;
  cpt_nrp_roster_free(r);
  cpt_nrp_free(in);
}

/* --- Roster text -------------------------------------------------------- */

static void test_nrp_roster_text_round_trips_byte_for_byte(void **state) {
  (void)state;
  cpt_nrp_instance *in = load_ok(DIR "small.txt");
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_nrp_roster *r = NULL;
  assert_int_equal(cpt_nrp_roster_load(in, DIR "small_roster.txt", &r, &d),
                   CPT_OK);
  cpt_nrp_roster *want = roster_of(in, GOOD);
  assert_memory_equal(r->shift, want->shift, 21 * sizeof(int));
  char *out = NULL;
  size_t outlen = 0;
  FILE *mem = open_memstream(&out, &outlen);
  assert_non_null(mem);
  assert_int_equal(cpt_nrp_roster_write(in, r, mem), CPT_OK);
  fclose(mem);
  FILE *f = fopen(DIR "small_roster.txt", "rb");
  char orig[512];
  size_t n = fread(orig, 1, sizeof orig, f);
  fclose(f);
  assert_int_equal(outlen, n);
  assert_memory_equal(out, orig, n);
  cpt_nrp_roster *back = NULL;
  assert_int_equal(cpt_nrp_roster_parse(in, "mem", out, outlen, &back, &d),
                   CPT_OK);
  assert_memory_equal(back->shift, r->shift, 21 * sizeof(int));
  free(out);
  cpt_nrp_roster_free(back);
  cpt_nrp_roster_free(want);
  cpt_nrp_roster_free(r);
  cpt_diags_free(&d);
  cpt_nrp_free(in);
}

static void test_nrp_roster_text_accepts_crlf_comments_and_any_order(
    void **state) {
  (void)state;
  cpt_nrp_instance *in = load_ok(DIR "small.txt");
  const char *text = "# roster\r\n\r\nC\t\t\tL\tL\tL\tL\tL\r\n"
                     "A\tE\tE\tE\t\t\t\t\r\nB\t\t\tE \tE\tE\t\t\r\n";
  cpt_nrp_roster *r = NULL;
  assert_int_equal(
      cpt_nrp_roster_parse(in, "t", text, strlen(text), &r, NULL), CPT_OK);
  cpt_nrp_roster *want = roster_of(in, GOOD);
  assert_memory_equal(r->shift, want->shift, 21 * sizeof(int));
  cpt_nrp_roster_free(want);
  cpt_nrp_roster_free(r);
  cpt_nrp_free(in);
}

static void test_nrp_roster_text_errors_are_located(void **state) {
  (void)state;
  cpt_nrp_instance *in = load_ok(DIR "small.txt");
  static const struct {
    const char *text;
    long line, col;
    const char *phrase;
  } cases[] = {
      {"A\tE\tE\tE\t\t\t\t\nZ\t\t\t\t\t\t\t\n", 2, 1, "unknown staff 'Z'"},
      {"A\tE\tE\tX\t\t\t\t\n", 1, 4, "day 2: unknown shift 'X'"},
      {"A\tE\tE\tE\t\t\t\n", 1, 0, "expected 7 tab-separated day fields"},
      {"A\tE\tE\tE\t\t\t\t\nA\t\t\t\t\t\t\t\n", 2, 1,
       "second line for staff 'A' (first at line 1)"},
      {"A\tE\tE\tE\t\t\t\t\n", 0, 0, "no line for staff 'B'"},
      /* control characters are not echoed to the terminal */
      {"A\tE\tE\x7f\t\t\t\t\t\n", 1, 3, "day 1: unknown shift 'E?'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_nrp_roster *r = (cpt_nrp_roster *)1;
    assert_int_equal(cpt_nrp_roster_parse(in, "sol", cases[i].text,
                                          strlen(cases[i].text), &r, &d),
                     CPT_EINPUT);
    assert_null(r);
    assert_true(d.n > 0);
    const cpt_diag *e = &d.v[0];
    if (e->line != cases[i].line || e->col != cases[i].col ||
        !strstr(e->msg, cases[i].phrase))
      fail_msg("case %zu: got %ld:%ld %s", i, e->line, e->col, e->msg);
    cpt_diags_free(&d);
  }
  cpt_nrp_free(in);
}

/* Reproducers found by tests/fuzz/fuzz_nrp_roster.c. */
static void test_nrp_roster_malformed_files_are_located(void **state) {
  (void)state;
  cpt_nrp_instance *in = load_ok(DIR "small.txt");
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_nrp_roster *r = (cpt_nrp_roster *)1;
  assert_int_equal(
      cpt_nrp_roster_load(
          in, DIR "malformed_roster/control_char_in_staff_id.txt", &r, &d),
      CPT_EINPUT);
  assert_null(r);
  assert_int_equal(d.n_errors, 2); /* the unknown id, then no line for A */
  assert_int_equal(d.v[0].line, 1);
  assert_int_equal(d.v[0].col, 1);
  assert_string_equal(d.v[0].msg, "unknown staff 'A?[2J'");
  cpt_diags_free(&d);
  cpt_nrp_free(in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nrp_reads_every_section_of_a_small_instance),
      cmocka_unit_test(
          test_nrp_crlf_blanks_comments_and_section_order_read_the_same),
      cmocka_unit_test(test_nrp_malformed_files_give_line_field_and_defect),
      cmocka_unit_test(test_nrp_one_defect_gives_one_diagnostic),
      cmocka_unit_test(test_nrp_every_error_of_a_file_is_listed),
      cmocka_unit_test(test_nrp_missing_file_is_an_io_error),
      cmocka_unit_test(test_nrp_parse_survives_arbitrary_bytes),
      cmocka_unit_test(test_nrp_known_roster_objective_by_term),
      cmocka_unit_test(test_nrp_each_hard_rule_violated_once_is_named),
      cmocka_unit_test(
          test_nrp_runs_touching_the_horizon_edges_are_never_too_short),
      cmocka_unit_test(test_nrp_every_violation_is_listed_by_staff_then_rule),
      cmocka_unit_test(test_nrp_evaluate_rejects_a_roster_that_does_not_fit),
      cmocka_unit_test(test_nrp_roster_text_round_trips_byte_for_byte),
      cmocka_unit_test(
          test_nrp_roster_text_accepts_crlf_comments_and_any_order),
      cmocka_unit_test(test_nrp_roster_text_errors_are_located),
      cmocka_unit_test(test_nrp_roster_malformed_files_are_located),
  };
  return cmocka_run_group_tests_name("nrp", tests, NULL, NULL);
}
