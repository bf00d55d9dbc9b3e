/*
 * test_rota_data.c — the rota data layer: time arithmetic (rota_time.c),
 * the slots / availability / history / pinned readers (rota_csv.c) and the
 * preparation of the per-(doctor, slot) facts (rota_prep.c).
 *
 * Good files in both dialects under tests/data/rota/good/; a table of
 * malformed files, one per defect, under tests/data/rota/malformed/, each
 * giving CPT_EINPUT, a NULL table, the exact FILE:LINE:COL and a key
 * phrase; hand-made cases for the open / preferred rule of SPEC §2
 * "Precisely", the conflicts, the targets and the cross-file checks.
 * Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../models/instance.h"
#include "../models/readers.h"
#include "../models/rota.h"

#define GOOD "tests/data/rota/good/"
#define BAD "tests/data/rota/malformed/"
#define DASH "\xE2\x80\x93"
#define GE "\xE2\x89\xA5"

static const cpt_diag *first_error(const cpt_diags *d) {
  for (size_t i = 0; i < d->n; i++)
    if (d->v[i].level == CPT_DIAG_ERROR) return &d->v[i];
  return NULL;
}

static const cpt_diag *find_diag(const cpt_diags *d, cpt_diag_level lv,
                                 long line, const char *phrase) {
  for (size_t i = 0; i < d->n; i++)
    if (d->v[i].level == lv && d->v[i].line == line &&
        strstr(d->v[i].msg, phrase))
      return &d->v[i];
  return NULL;
}

static void assert_diag(const cpt_diag *e, const char *file, long line,
                        long col, const char *phrase) {
  assert_non_null(e);
  char buf[1400];
  cpt_diag_format(e, buf, sizeof buf);
  if (!e->file || strcmp(e->file, file) != 0 || e->line != line ||
      e->col != col || !strstr(e->msg, phrase))
    fail_msg("got  %s\nwant %s:%ld:%ld: ... %s", buf, file, line, col,
             phrase);
}

static int64_t at(int y, int m, int d, int h, int min) {
  return cpt_rota_minutes(cpt_rota_days(y, m, d), h * 60 + min);
}

/* --- Time arithmetic ---------------------------------------------------- */

static void test_days_count_from_2000_across_leap_years(void **state) {
  (void)state;
  static const struct {
    int y, m, d;
    int64_t days;
  } cases[] = {
      {2000, 1, 1, 0},      {2000, 1, 31, 30},   {2000, 2, 1, 31},
      {2000, 2, 29, 59},    {2000, 3, 1, 60},    {2000, 12, 31, 365},
      {2001, 1, 1, 366},    {1999, 12, 31, -1},  {1900, 3, 1, -36465},
      {2024, 2, 29, 8825},  {2024, 3, 1, 8826},  {2025, 1, 1, 9132},
      {2100, 3, 1, 36584},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t got = cpt_rota_days(cases[i].y, cases[i].m, cases[i].d);
    if (got != cases[i].days)
      fail_msg("%04d-%02d-%02d: got %lld, want %lld", cases[i].y, cases[i].m,
               cases[i].d, (long long)got, (long long)cases[i].days);
  }
}

static void test_civil_inverts_days_over_three_centuries(void **state) {
  (void)state;
  int py = 1899, pm = 12, pd = 31;
  for (int64_t z = cpt_rota_days(1900, 1, 1); z <= cpt_rota_days(2200, 1, 1);
       z++) {
    int y, m, d;
    cpt_rota_civil(z, &y, &m, &d);
    assert_true(cpt_rota_valid_date(y, m, d));
    assert_int_equal(cpt_rota_days(y, m, d), z);
    /* the next calendar day of the previous one */
    bool same_month = y == py && m == pm && d == pd + 1;
    bool next_month = d == 1 && ((m == pm + 1 && y == py) ||
                                 (m == 1 && pm == 12 && y == py + 1));
    assert_true(same_month || next_month);
    py = y, pm = m, pd = d;
  }
}

static void test_valid_date_knows_month_lengths_and_leap_rules(
    void **state) {
  (void)state;
  assert_true(cpt_rota_valid_date(2024, 2, 29));
  assert_false(cpt_rota_valid_date(2023, 2, 29));
  assert_true(cpt_rota_valid_date(2000, 2, 29));  /* divisible by 400 */
  assert_false(cpt_rota_valid_date(1900, 2, 29)); /* by 100, not 400 */
  assert_false(cpt_rota_valid_date(2024, 4, 31));
  assert_true(cpt_rota_valid_date(2024, 12, 31));
  assert_false(cpt_rota_valid_date(2024, 13, 1));
  assert_false(cpt_rota_valid_date(2024, 0, 1));
  assert_false(cpt_rota_valid_date(2024, 1, 0));
}

static void test_time_syntax_table(void **state) {
  (void)state;
  static const struct {
    const char *s;
    bool allow_24, ok;
    int mod;
  } cases[] = {
      {"08:00", false, true, 480},  {"8:00", false, true, 480},
      {"00:00", false, true, 0},    {"23:59", false, true, 1439},
      {"08:30:00", false, true, 510}, {"8:30:00", false, true, 510},
      {"24:00", true, true, 1440},  {"24:00", false, false, 0},
      {"24:00:00", true, true, 1440}, {"24:01", true, false, 0},
      {"25:00", true, false, 0},    {"08:60", false, false, 0},
      {"08:30:15", false, false, 0}, {"8:5", false, false, 0},
      {"800", false, false, 0},     {"", false, false, 0},
      {"-1:00", false, false, 0},   {"123:00", false, false, 0},
      {"8h00", false, false, 0},    {"08:00 ", false, false, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int mod = -1;
    bool ok = cpt_rota_parse_time(cases[i].s, strlen(cases[i].s),
                                  cases[i].allow_24, &mod);
    if (ok != cases[i].ok || (ok && mod != cases[i].mod))
      fail_msg("\"%s\" (24:00 %s): got %d/%d, want %d/%d", cases[i].s,
               cases[i].allow_24 ? "allowed" : "refused", ok, mod,
               cases[i].ok, cases[i].mod);
  }
}

static void test_date_syntax_table(void **state) {
  (void)state;
  static const struct {
    const char *s;
    bool ok;
  } cases[] = {
      {"2024-02-29", true},  {"2023-02-29", false}, {"2024-2-29", false},
      {"24-02-29", false},   {"2024/02/29", false}, {"29-02-2024", false},
      {"1899-12-31", false}, {"1900-01-01", true},  {"2999-12-31", true},
      {"3000-01-01", false}, {"2024-02-29x", false}, {"", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t days;
    if (cpt_rota_parse_date(cases[i].s, strlen(cases[i].s), &days) !=
        cases[i].ok)
      fail_msg("\"%s\": want %s", cases[i].s, cases[i].ok ? "ok" : "bad");
  }
}

static void test_interval_ends_next_day_when_end_not_after_start(
    void **state) {
  (void)state;
  int64_t s, e;
  char d[11], t[6];
  /* same day */
  cpt_rota_interval(cpt_rota_days(2024, 3, 4), 480, 600, &s, &e);
  assert_int_equal(e - s, 120);
  /* crossing midnight at a year's end */
  cpt_rota_interval(cpt_rota_days(2024, 12, 31), 22 * 60, 2 * 60, &s, &e);
  assert_int_equal(e - s, 240);
  assert_string_equal(cpt_rota_fmt_date(e, d), "2025-01-01");
  assert_string_equal(cpt_rota_fmt_time(e, t), "02:00");
  /* crossing midnight into a leap day, and out of it */
  cpt_rota_interval(cpt_rota_days(2024, 2, 28), 20 * 60, 8 * 60, &s, &e);
  assert_string_equal(cpt_rota_fmt_date(e, d), "2024-02-29");
  cpt_rota_interval(cpt_rota_days(2024, 2, 29), 20 * 60, 8 * 60, &s, &e);
  assert_string_equal(cpt_rota_fmt_date(e, d), "2024-03-01");
  /* end 00:00 and end 24:00 are the same next midnight */
  int64_t e2;
  cpt_rota_interval(cpt_rota_days(2024, 3, 31), 20 * 60, 0, &s, &e);
  cpt_rota_interval(cpt_rota_days(2024, 3, 31), 20 * 60, 1440, &s, &e2);
  assert_int_equal(e, e2);
  assert_string_equal(cpt_rota_fmt_date(e, d), "2024-04-01");
  assert_string_equal(cpt_rota_fmt_time(e, t), "00:00");
  /* equal start and end: 24 hours */
  cpt_rota_interval(cpt_rota_days(2024, 3, 4), 480, 480, &s, &e);
  assert_int_equal(e - s, 1440);
  /* before 2000: negative minutes still format */
  assert_string_equal(cpt_rota_fmt_date(at(1999, 12, 31, 23, 59), d),
                      "1999-12-31");
  assert_string_equal(cpt_rota_fmt_time(at(1999, 12, 31, 23, 59), t),
                      "23:59");
}

/* --- Readers: good files ------------------------------------------------ */

static void check_good_slots(const char *path, size_t warnings) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_slots *t = NULL;
  assert_int_equal(cpt_slots_load(path, &t, &d), CPT_OK);
  assert_int_equal(d.n_errors, 0);
  assert_int_equal(d.n_warnings, warnings);
  assert_non_null(t);
  assert_string_equal(t->file, path);
  assert_int_equal(t->n, 4);
  const cpt_slot *v = t->v;
  assert_string_equal(v[0].id, "s1");
  assert_int_equal(v[0].start, at(2024, 2, 28, 8, 0));
  assert_int_equal(v[0].end, at(2024, 2, 28, 10, 0));
  assert_string_equal(v[0].site, "msp-a");
  assert_int_equal(v[0].need, 2);
  assert_int_equal(v[0].kind, CPT_SLOT_SNP);
  assert_int_equal(v[0].line, 2);
  /* crossing midnight, empty site, pdsa */
  assert_int_equal(v[1].start, at(2024, 2, 28, 20, 0));
  assert_int_equal(v[1].end, at(2024, 2, 29, 8, 0));
  assert_null(v[1].site);
  assert_int_equal(v[1].kind, CPT_SLOT_PDSA);
  /* H:MM, 24:00, defaults need 1 and kind snp */
  assert_int_equal(v[2].start, at(2024, 2, 29, 8, 0));
  assert_int_equal(v[2].end, at(2024, 3, 1, 0, 0));
  assert_int_equal(v[2].need, 1);
  assert_int_equal(v[2].kind, CPT_SLOT_SNP);
  /* across the year, need 0, kind in capitals */
  assert_int_equal(v[3].end, at(2025, 1, 1, 2, 0));
  assert_int_equal(v[3].need, 0);
  assert_int_equal(v[3].kind, CPT_SLOT_SNP);
  cpt_slots_free(t);
  cpt_diags_free(&d);
}

static void test_slots_comma_dialect(void **state) {
  (void)state;
  check_good_slots(GOOD "slots_comma.csv", 0);
}

static void test_slots_semicolon_dialect_with_bom_crlf_unknown_column(
    void **state) {
  (void)state;
  check_good_slots(GOOD "slots_semicolon.csv", 1);
}

static void check_good_avails(const char *path) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_avails *t = NULL;
  assert_int_equal(cpt_avails_load(path, &t, &d), CPT_OK);
  assert_int_equal(d.n_errors + d.n_warnings, 0);
  assert_int_equal(t->n, 3);
  assert_string_equal(t->v[0].doctor, "d1");
  assert_int_equal(t->v[0].level, CPT_AVAIL_AVAILABLE);
  assert_int_equal(t->v[0].start, at(2024, 2, 28, 8, 0));
  assert_int_equal(t->v[0].end, at(2024, 2, 28, 12, 0));
  assert_int_equal(t->v[1].level, CPT_AVAIL_PREFERRED);
  assert_int_equal(t->v[2].level, CPT_AVAIL_UNAVAILABLE);
  assert_int_equal(t->v[2].end, at(2024, 2, 29, 8, 0));
  assert_int_equal(t->v[2].line, 4);
  assert_true(t->doctor_col >= 1);
  cpt_avails_free(t);
  cpt_diags_free(&d);
}

static void test_availability_both_dialects(void **state) {
  (void)state;
  check_good_avails(GOOD "availability_comma.csv");
  check_good_avails(GOOD "availability_semicolon.csv");
}

static void test_history_and_pinned_both_dialects(void **state) {
  (void)state;
  static const char *const hist[] = {GOOD "history_comma.csv",
                                     GOOD "history_semicolon.csv"};
  static const char *const pins[] = {GOOD "pinned_comma.csv",
                                     GOOD "pinned_semicolon.csv"};
  static const int32_t doctor_col[] = {1, 2};
  for (int i = 0; i < 2; i++) {
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_hists *h = NULL;
    assert_int_equal(cpt_hists_load(hist[i], &h, &d), CPT_OK);
    assert_int_equal(h->n, 2);
    assert_string_equal(h->v[0].doctor, "d1");
    assert_int_equal(h->v[0].slots, 3);
    assert_int_equal(h->v[1].slots, 0);
    assert_int_equal(h->doctor_col, doctor_col[i]);
    cpt_pins *p = NULL;
    assert_int_equal(cpt_pins_load(pins[i], &p, &d), CPT_OK);
    assert_int_equal(p->n, 2);
    assert_string_equal(p->v[1].doctor, "d2");
    assert_string_equal(p->v[1].slot, "s2");
    assert_int_equal(p->doctor_col, doctor_col[i]);
    assert_int_equal(p->slot_col, 3 - doctor_col[i]);
    assert_int_equal(d.n_errors + d.n_warnings, 0);
    cpt_hists_free(h);
    cpt_pins_free(p);
    cpt_diags_free(&d);
  }
}

static void test_header_only_files_are_empty_tables(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_slots *s = NULL;
  const char *h = "id,date,start,end\n";
  assert_int_equal(cpt_slots_parse("s.csv", h, strlen(h), &s, &d), CPT_OK);
  assert_int_equal(s->n, 0);
  cpt_slots_free(s);
  cpt_slots_free(NULL);
  cpt_avails_free(NULL);
  cpt_hists_free(NULL);
  cpt_pins_free(NULL);
  cpt_diags_free(&d);
}

static void test_missing_file_is_an_io_error(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_pins *p = (cpt_pins *)&d; /* must be reset to NULL */
  assert_int_equal(cpt_pins_load(BAD "no_such_file.csv", &p, &d), CPT_EIO);
  assert_null(p);
  cpt_diags_free(&d);
}

/* --- Readers: malformed files ------------------------------------------- */

typedef enum { SLOTS, AVAIL, HIST, PINS } table_kind;

typedef struct bad_case {
  table_kind k;
  const char *name; /* tests/data/rota/malformed/NAME.csv */
  size_t n_errors;
  long line, col; /* of the first error */
  const char *phrase;
} bad_case;

static const bad_case bad_cases[] = {
    {SLOTS, "slots_february_30", 1, 2, 2,
     "column 'date': expected a date YYYY-MM-DD, got \"2024-02-30\""},
    {SLOTS, "slots_february_29_not_leap", 1, 2, 2, "got \"2023-02-29\""},
    {SLOTS, "slots_date_not_iso", 1, 2, 2, "got \"28/02/2024\""},
    {SLOTS, "slots_empty_date", 1, 2, 2,
     "column 'date': expected a date YYYY-MM-DD, got an empty field"},
    {SLOTS, "slots_hour_25", 1, 2, 3,
     "column 'start': expected a time HH:MM 00:00" DASH "23:59, got "
     "\"25:00\""},
    {SLOTS, "slots_start_24h", 1, 2, 3, "got \"24:00\""},
    {SLOTS, "slots_minute_60", 1, 2, 4,
     "column 'end': expected a time HH:MM 00:00" DASH "24:00, got "
     "\"10:60\""},
    {SLOTS, "slots_time_with_h", 1, 2, 3, "got \"8h00\""},
    {SLOTS, "slots_negative_need", 1, 2, 6,
     "column 'need': expected an integer " GE " 0, got \"-1\""},
    {SLOTS, "slots_fractional_need", 1, 2, 6, "got \"1.5\""},
    {SLOTS, "slots_unknown_kind", 1, 2, 7,
     "column 'kind': expected snp or pdsa, got \"garde\""},
    {SLOTS, "slots_duplicate_id", 1, 4, 1,
     "column 'id': duplicate value (first seen at line 2)"},
    {SLOTS, "slots_missing_end_column", 1, 1, 0,
     "missing column 'end' (expected: id, date, start, end, site, need, "
     "kind)"},
    {SLOTS, "slots_several_errors", 3, 2, 2, "got \"2024-02-30\""},
    {AVAIL, "availability_unknown_level", 1, 2, 5,
     "column 'level': expected unavailable, available or preferred, got "
     "\"maybe\""},
    {AVAIL, "availability_empty_level", 1, 2, 5, "got an empty field"},
    {AVAIL, "availability_missing_level_column", 1, 1, 0,
     "missing column 'level'"},
    {AVAIL, "availability_empty_doctor", 1, 2, 1,
     "column 'doctor': expected a value"},
    {AVAIL, "availability_month_13", 1, 2, 2, "got \"2024-13-01\""},
    {HIST, "history_duplicate_doctor", 1, 4, 1,
     "column 'doctor': duplicate value (first seen at line 2)"},
    {HIST, "history_negative_slots", 1, 2, 2, "got \"-3\""},
    {HIST, "history_empty_slots", 1, 2, 2,
     "column 'slots': expected an integer"},
    {PINS, "pinned_missing_slot_column", 1, 1, 0, "missing column 'slot'"},
    {PINS, "pinned_empty_slot", 1, 2, 2, "column 'slot': expected a value"},
};

static void run_bad_case(void **state) {
  const bad_case *c = *state;
  char path[256];
  snprintf(path, sizeof path, BAD "%s.csv", c->name);
  cpt_diags d;
  cpt_diags_init(&d);
  void *t = &d; /* must come back NULL */
  cpt_status st = CPT_OK;
  switch (c->k) {
  case SLOTS: st = cpt_slots_load(path, (cpt_slots **)&t, &d); break;
  case AVAIL: st = cpt_avails_load(path, (cpt_avails **)&t, &d); break;
  case HIST: st = cpt_hists_load(path, (cpt_hists **)&t, &d); break;
  case PINS: st = cpt_pins_load(path, (cpt_pins **)&t, &d); break;
  }
  assert_int_equal(st, CPT_EINPUT);
  assert_null(t);
  if (d.n_errors != c->n_errors) {
    cpt_diags_print(&d, stderr);
    fail_msg("%s: %zu errors, want %zu", c->name, d.n_errors, c->n_errors);
  }
  assert_diag(first_error(&d), path, c->line, c->col, c->phrase);
  cpt_diags_free(&d);
}

/* --- Preparation -------------------------------------------------------- */

/* Tables parsed from strings, for hand-made cases. */
typedef struct fixture {
  cpt_doctors *doctors;
  cpt_slots *slots;
  cpt_avails *avail;
  cpt_hists *hist;
  cpt_pins *pins;
  cpt_diags diags;
  cpt_rota *rota;
} fixture;

#define DOCTORS_HEAD "id,lat,lon,capacity,sites,max_slots,max_per_day,target\n"

static cpt_status prepare(fixture *f, const char *doctors, const char *slots,
                          const char *avail, const char *hist,
                          const char *pins, const cpt_rota_prep_params *p) {
  memset(f, 0, sizeof *f);
  cpt_diags_init(&f->diags);
  cpt_diags *d = &f->diags;
  assert_int_equal(cpt_doctors_parse("doctors.csv", doctors, strlen(doctors),
                                     NULL, &f->doctors, d),
                   CPT_OK);
  assert_int_equal(
      cpt_slots_parse("slots.csv", slots, strlen(slots), &f->slots, d),
      CPT_OK);
  if (avail)
    assert_int_equal(cpt_avails_parse("availability.csv", avail,
                                      strlen(avail), &f->avail, d),
                     CPT_OK);
  if (hist)
    assert_int_equal(
        cpt_hists_parse("history.csv", hist, strlen(hist), &f->hist, d),
        CPT_OK);
  if (pins)
    assert_int_equal(
        cpt_pins_parse("pinned.csv", pins, strlen(pins), &f->pins, d),
        CPT_OK);
  assert_int_equal(d->n_errors + d->n_warnings, 0);
  cpt_rota_prep_params def;
  cpt_rota_prep_params_init(&def);
  return cpt_rota_prepare(f->doctors, f->slots, f->avail, f->hist, f->pins,
                          p ? p : &def, &f->rota, d);
}

static void release(fixture *f) {
  cpt_rota_free(f->rota);
  cpt_doctors_free(f->doctors);
  cpt_slots_free(f->slots);
  cpt_avails_free(f->avail);
  cpt_hists_free(f->hist);
  cpt_pins_free(f->pins);
  cpt_diags_free(&f->diags);
}

static unsigned flags(const fixture *f, size_t d, size_t s) {
  return f->rota->ds[d * f->rota->n_slots + s];
}

static void test_open_and_preferred_follow_the_precise_rule(void **state) {
  (void)state;
  /* One slot, 2024-03-04 10:00–12:00; doctor d1's rows vary; d2 always
   * has a covering row, so that rows of another doctor are seen not to
   * count. */
  static const struct {
    const char *what, *rows;
    bool open, preferred;
  } cases[] = {
      {"available row covering exactly",
       "d1,2024-03-04,10:00,12:00,available\n", true, false},
      {"window one minute short at the end",
       "d1,2024-03-04,10:00,11:59,available\n", false, false},
      {"window one minute short at the start",
       "d1,2024-03-04,10:01,12:00,available\n", false, false},
      {"unavailable touching the end (half-open)",
       "d1,2024-03-04,08:00,20:00,available\n"
       "d1,2024-03-04,12:00,14:00,unavailable\n",
       true, false},
      {"unavailable touching the start (half-open)",
       "d1,2024-03-04,08:00,20:00,available\n"
       "d1,2024-03-04,08:00,10:00,unavailable\n",
       true, false},
      {"unavailable overlapping by one minute",
       "d1,2024-03-04,08:00,20:00,available\n"
       "d1,2024-03-04,11:59,13:00,unavailable\n",
       false, false},
      {"unavailable inside the slot",
       "d1,2024-03-04,08:00,20:00,available\n"
       "d1,2024-03-04,10:30,11:00,unavailable\n",
       false, false},
      {"preferred row covering", "d1,2024-03-04,10:00,12:00,preferred\n",
       true, true},
      {"preferred row not covering, available covering",
       "d1,2024-03-04,08:00,20:00,available\n"
       "d1,2024-03-04,09:00,11:00,preferred\n",
       true, false},
      {"two rows each covering half do not cover",
       "d1,2024-03-04,08:00,11:00,available\n"
       "d1,2024-03-04,11:00,13:00,available\n",
       false, false},
      {"preferred but blocked: preferred, not open",
       "d1,2024-03-04,10:00,12:00,preferred\n"
       "d1,2024-03-04,11:00,11:30,unavailable\n",
       false, true},
      {"no row at all", "", false, false},
      {"night window crossing midnight covers the morning",
       "d1,2024-03-03,20:00,12:00,available\n", true, false},
      {"night unavailability crossing midnight overlaps",
       "d1,2024-03-04,08:00,20:00,available\n"
       "d1,2024-03-03,22:00,10:01,unavailable\n",
       false, false},
      {"row on another date", "d1,2024-03-05,10:00,12:00,available\n", false,
       false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char avail[512];
    snprintf(avail, sizeof avail,
             "doctor,date,start,end,level\n%s"
             "d2,2024-03-04,00:00,24:00,preferred\n",
             cases[i].rows);
    fixture f;
    assert_int_equal(prepare(&f, DOCTORS_HEAD "d1,48,6,0,,,,\nd2,48,6,0,,,,\n",
                             "id,date,start,end\ns,2024-03-04,10:00,12:00\n",
                             avail, NULL, NULL, NULL),
                     CPT_OK);
    unsigned g = flags(&f, 0, 0);
    if (!!(g & CPT_DS_OPEN) != cases[i].open ||
        !!(g & CPT_DS_PREFERRED) != cases[i].preferred ||
        !!(g & CPT_DS_ALLOWED) != cases[i].open)
      fail_msg("%s: flags %#x", cases[i].what, g);
    assert_int_equal(flags(&f, 1, 0) & CPT_DS_ALLOWED, CPT_DS_ALLOWED);
    release(&f);
  }
}

static void test_sites_rule_table(void **state) {
  (void)state;
  static const struct {
    const char *sites, *site;
    bool serves;
  } cases[] = {
      {NULL, "a", true},        {"", "a", true},        {"a", "a", true},
      {"a|b", "b", true},       {"a|b", "c", false},    {" a | b ", "b", true},
      {"ab", "a", false},       {"a", "ab", false},     {"A", "a", false},
      {"a|b", NULL, true},      {"|", "z", true},       {"a||b", "b", true},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (cpt_rota_serves(cases[i].sites, cases[i].site) != cases[i].serves)
      fail_msg("sites \"%s\", site \"%s\": want %d",
               cases[i].sites ? cases[i].sites : "(null)",
               cases[i].site ? cases[i].site : "(null)", cases[i].serves);
}

static void test_slot_at_a_site_not_served_is_open_but_not_allowed(
    void **state) {
  (void)state;
  fixture f;
  assert_int_equal(
      prepare(&f, DOCTORS_HEAD "d1,48,6,0,msp-a|msp-b,,,\nd2,48,6,0,,,,\n",
              "id,date,start,end,site\n"
              "a,2024-03-04,10:00,12:00,msp-a\n"
              "c,2024-03-04,10:00,12:00,msp-c\n"
              "n,2024-03-04,10:00,12:00,\n",
              "doctor,date,start,end,level\n"
              "d1,2024-03-04,08:00,20:00,available\n"
              "d2,2024-03-04,08:00,20:00,available\n",
              NULL, NULL, NULL),
      CPT_OK);
  assert_int_equal(flags(&f, 0, 0),
                   CPT_DS_OPEN | CPT_DS_SITE | CPT_DS_ALLOWED);
  assert_int_equal(flags(&f, 0, 1), CPT_DS_OPEN);
  assert_int_equal(flags(&f, 0, 2),
                   CPT_DS_OPEN | CPT_DS_SITE | CPT_DS_ALLOWED);
  for (size_t s = 0; s < 3; s++)
    assert_true(flags(&f, 1, s) & CPT_DS_ALLOWED);
  release(&f);
}

static bool has_conflict(const cpt_rota *r, int32_t s, int32_t t,
                         unsigned kind) {
  for (size_t i = 0; i < r->n_conflicts; i++)
    if (r->conflicts[i].s == s && r->conflicts[i].t == t)
      return r->conflicts[i].kind == kind;
  return false;
}

static const char conflict_slots[] =
    "id,date,start,end\n"
    "a,2024-03-04,08:00,10:00\n" /* 0 */
    "b,2024-03-04,09:00,11:00\n" /* 1 overlaps a */
    "c,2024-03-04,10:00,12:00\n" /* 2 touches a, overlaps b */
    "n,2024-03-04,20:00,22:00\n" /* 3 ends at 22:00: not a night slot */
    "m,2024-03-04,22:00,23:00\n" /* 4 night: ends after 22:00 */
    "x,2024-03-05,08:00,10:00\n" /* 5 9 h after m: rest */
    "y,2024-03-05,10:00,12:00\n" /* 6 exactly 11 h after m: no conflict */
    "h,2024-03-07,18:00,18:30\n" /* 7 10 h after g: rest (listed first) */
    "g,2024-03-06,20:00,08:00\n" /* 8 night: crosses midnight */
    "i,2024-03-07,19:00,20:00\n"; /* 9 exactly 11 h after g */

static void test_conflicts_overlap_and_rest_after_night_slots(void **state) {
  (void)state;
  fixture f;
  assert_int_equal(prepare(&f, DOCTORS_HEAD "d1,48,6,0,,,,\n", conflict_slots,
                           NULL, NULL, NULL, NULL),
                   CPT_OK);
  const cpt_rota *r = f.rota;
  assert_true(has_conflict(r, 0, 1, CPT_CONFLICT_OVERLAP));
  assert_true(has_conflict(r, 1, 2, CPT_CONFLICT_OVERLAP));
  assert_true(has_conflict(r, 4, 5, CPT_CONFLICT_REST));
  assert_true(has_conflict(r, 7, 8, CPT_CONFLICT_REST));
  assert_int_equal(r->n_conflicts, 4);
  for (size_t i = 1; i < r->n_conflicts; i++) /* sorted by (s, t) */
    assert_true(r->conflicts[i - 1].s < r->conflicts[i].s ||
                (r->conflicts[i - 1].s == r->conflicts[i].s &&
                 r->conflicts[i - 1].t < r->conflicts[i].t));
  assert_false(cpt_rota_is_night(&f.slots->v[3]));
  assert_true(cpt_rota_is_night(&f.slots->v[4]));
  assert_true(cpt_rota_is_night(&f.slots->v[8]));
  release(&f);

  /* No rest: only overlaps remain.  A longer rest reaches y. */
  cpt_rota_prep_params p;
  cpt_rota_prep_params_init(&p);
  p.min_rest_h = 0;
  assert_int_equal(prepare(&f, DOCTORS_HEAD "d1,48,6,0,,,,\n", conflict_slots,
                           NULL, NULL, NULL, &p),
                   CPT_OK);
  assert_int_equal(f.rota->n_conflicts, 2);
  release(&f);
  p.min_rest_h = 11.5;
  assert_int_equal(prepare(&f, DOCTORS_HEAD "d1,48,6,0,,,,\n", conflict_slots,
                           NULL, NULL, NULL, &p),
                   CPT_OK);
  assert_true(has_conflict(f.rota, 4, 6, CPT_CONFLICT_REST));
  assert_true(has_conflict(f.rota, 8, 9, CPT_CONFLICT_REST));
  assert_int_equal(f.rota->n_conflicts, 6);
  release(&f);
}

static void test_slot_ending_at_midnight_is_a_night_slot(void **state) {
  (void)state;
  fixture f;
  assert_int_equal(prepare(&f, DOCTORS_HEAD "d1,48,6,0,,,,\n",
                           "id,date,start,end\n"
                           "e,2024-03-04,20:00,24:00\n"
                           "z,2024-03-04,21:00,22:01\n"
                           "m,2024-03-05,09:00,12:00\n",
                           NULL, NULL, NULL, NULL),
                   CPT_OK);
  assert_true(cpt_rota_is_night(&f.slots->v[0]));
  assert_true(cpt_rota_is_night(&f.slots->v[1]));
  assert_true(has_conflict(f.rota, 0, 1, CPT_CONFLICT_OVERLAP));
  assert_true(has_conflict(f.rota, 0, 2, CPT_CONFLICT_REST));
  assert_true(has_conflict(f.rota, 1, 2, CPT_CONFLICT_REST));
  release(&f);
}

static void test_slots_are_grouped_by_start_date(void **state) {
  (void)state;
  fixture f;
  assert_int_equal(prepare(&f, DOCTORS_HEAD "d1,48,6,0,,,,\n", conflict_slots,
                           NULL, NULL, NULL, NULL),
                   CPT_OK);
  const cpt_rota *r = f.rota;
  assert_int_equal(r->n_days, 4); /* 03-04, 03-05, 03-06, 03-07 */
  assert_int_equal(r->days[0], cpt_rota_days(2024, 3, 4));
  assert_int_equal(r->days[2], cpt_rota_days(2024, 3, 6));
  static const int32_t want[] = {0, 1, 2, 3, 4, 5, 6, 8, 7, 9};
  static const size_t first[] = {0, 5, 7, 8, 10};
  for (size_t k = 0; k <= 4; k++) assert_int_equal(r->day_first[k], first[k]);
  for (size_t i = 0; i < 10; i++) assert_int_equal(r->day_slots[i], want[i]);
  assert_int_equal(r->slot_day[8], 2); /* g counts on its start date */
  assert_int_equal(r->slot_day[7], 3);
  release(&f);
}

static void test_targets_history_and_limits_per_doctor(void **state) {
  (void)state;
  cpt_rota_prep_params p;
  cpt_rota_prep_params_init(&p);
  p.max_per_day = 3;
  fixture f;
  assert_int_equal(prepare(&f,
                           DOCTORS_HEAD "d1,48,6,0,,5,,\n"
                                        "d2,48,6,0,,,1,\n"
                                        "d3,48,6,0,,,,4.5\n",
                           "id,date,start,end,need\n"
                           "a,2024-03-04,08:00,10:00,2\n"
                           "b,2024-03-04,10:00,12:00,\n"
                           "c,2024-03-04,12:00,14:00,0\n",
                           NULL, "doctor,slots\nd2,4\nd3,0\n", NULL, &p),
                   CPT_OK);
  const cpt_rota *r = f.rota;
  /* (Σ need 3 + Σ hist 4) / 3 doctors */
  assert_float_equal(r->equal_share, 7.0 / 3.0, 1e-12);
  assert_float_equal(r->target[0], 7.0 / 3.0, 1e-12);
  assert_float_equal(r->target[1], 7.0 / 3.0, 1e-12);
  assert_float_equal(r->target[2], 4.5, 1e-12);
  assert_int_equal(r->hist[0], 0);
  assert_int_equal(r->hist[1], 4);
  assert_int_equal(r->max_slots[0], 5);
  assert_int_equal(r->max_slots[1], -1);
  assert_int_equal(r->max_per_day[0], 3);
  assert_int_equal(r->max_per_day[1], 1);
  release(&f);
}

static void test_unknown_names_in_other_files_are_located_errors(
    void **state) {
  (void)state;
  fixture f;
  assert_int_equal(prepare(&f, DOCTORS_HEAD "d1,48,6,0,,,,\n",
                           "id,date,start,end\ns1,2024-03-04,08:00,10:00\n",
                           "level,doctor,date,start,end\n"
                           "available,d1,2024-03-04,08:00,12:00\n"
                           "available,dx,2024-03-04,08:00,12:00\n",
                           "doctor,slots\nd1,1\nd9,2\n",
                           "slot,doctor\ns1,d1\ns7,d1\ns1,dz\n", NULL),
                   CPT_EINPUT);
  assert_null(f.rota);
  const cpt_diags *d = &f.diags;
  assert_int_equal(d->n_errors, 4);
  assert_diag(find_diag(d, CPT_DIAG_ERROR, 3, "\"dx\""), "availability.csv",
              3, 2, "column 'doctor': expected a doctor id from the doctors "
                    "file, got \"dx\"");
  assert_diag(find_diag(d, CPT_DIAG_ERROR, 3, "\"d9\""), "history.csv", 3, 1,
              "column 'doctor'");
  assert_diag(find_diag(d, CPT_DIAG_ERROR, 3, "\"s7\""), "pinned.csv", 3, 1,
              "column 'slot': expected a slot id from the slots file");
  assert_diag(find_diag(d, CPT_DIAG_ERROR, 4, "\"dz\""), "pinned.csv", 4, 2,
              "column 'doctor'");
  release(&f);
}

static void test_pinned_pairs_are_kept_even_when_closed(void **state) {
  (void)state;
  fixture f;
  assert_int_equal(prepare(&f, DOCTORS_HEAD "d1,48,6,0,a,,,\nd2,48,6,0,,,,\n",
                           "id,date,start,end,site\n"
                           "s1,2024-03-04,08:00,10:00,a\n"
                           "s2,2024-03-04,10:00,12:00,b\n"
                           "s3,2024-03-04,12:00,14:00,a\n",
                           "doctor,date,start,end,level\n"
                           "d1,2024-03-04,08:00,20:00,available\n",
                           NULL,
                           "doctor,slot\nd1,s1\nd2,s1\nd1,s2\nd1,s1\n", NULL),
                   CPT_OK);
  const cpt_rota *r = f.rota;
  assert_int_equal(r->n_pinned, 3);
  assert_int_equal(r->pinned[0].doctor, 0);
  assert_int_equal(r->pinned[0].slot, 0);
  assert_int_equal(r->pinned[1].doctor, 1);
  assert_int_equal(r->pinned[2].slot, 1);
  assert_true(flags(&f, 1, 0) & CPT_DS_PINNED);
  assert_false(flags(&f, 1, 0) & CPT_DS_ALLOWED);
  assert_false(flags(&f, 0, 2) & CPT_DS_PINNED);
  assert_int_equal(f.diags.n_errors, 0);
  assert_int_equal(f.diags.n_warnings, 3);
  assert_diag(find_diag(&f.diags, CPT_DIAG_WARNING, 3, "not open"),
              "pinned.csv", 3, 0, "pinned to slot \"s1\"");
  assert_diag(find_diag(&f.diags, CPT_DIAG_WARNING, 4, "site"), "pinned.csv",
              4, 0, "do not serve its site");
  assert_diag(find_diag(&f.diags, CPT_DIAG_WARNING, 5, "more than once"),
              "pinned.csv", 5, 0, "doctor \"d1\"");
  release(&f);
}

static void test_bad_parameters_are_refused(void **state) {
  (void)state;
  cpt_rota_prep_params p;
  cpt_rota_prep_params_init(&p);
  assert_float_equal(p.min_rest_h, 11, 0);
  assert_int_equal(p.max_per_day, 2);
  p.min_rest_h = -1;
  fixture f;
  assert_int_equal(prepare(&f, DOCTORS_HEAD "d1,48,6,0,,,,\n",
                           "id,date,start,end\n", NULL, NULL, NULL, &p),
                   CPT_EPARAM);
  assert_null(f.rota);
  release(&f);
  cpt_rota_prep_params_init(&p);
  p.max_per_day = 0;
  assert_int_equal(prepare(&f, DOCTORS_HEAD "d1,48,6,0,,,,\n",
                           "id,date,start,end\n", NULL, NULL, NULL, &p),
                   CPT_EPARAM);
  release(&f);
  cpt_rota_free(NULL);
}

static void test_no_doctors_and_no_slots_give_an_empty_rota(void **state) {
  (void)state;
  fixture f;
  assert_int_equal(prepare(&f, DOCTORS_HEAD, "id,date,start,end\n", NULL,
                           NULL, NULL, NULL),
                   CPT_OK);
  assert_int_equal(f.rota->n_doctors, 0);
  assert_int_equal(f.rota->n_slots, 0);
  assert_int_equal(f.rota->n_days, 0);
  assert_float_equal(f.rota->equal_share, 0, 0);
  release(&f);
}

int main(void) {
  const struct CMUnitTest fixed[] = {
      cmocka_unit_test(test_days_count_from_2000_across_leap_years),
      cmocka_unit_test(test_civil_inverts_days_over_three_centuries),
      cmocka_unit_test(test_valid_date_knows_month_lengths_and_leap_rules),
      cmocka_unit_test(test_time_syntax_table),
      cmocka_unit_test(test_date_syntax_table),
      cmocka_unit_test(test_interval_ends_next_day_when_end_not_after_start),
      cmocka_unit_test(test_slots_comma_dialect),
      cmocka_unit_test(
          test_slots_semicolon_dialect_with_bom_crlf_unknown_column),
      cmocka_unit_test(test_availability_both_dialects),
      cmocka_unit_test(test_history_and_pinned_both_dialects),
      cmocka_unit_test(test_header_only_files_are_empty_tables),
      cmocka_unit_test(test_missing_file_is_an_io_error),
      cmocka_unit_test(test_open_and_preferred_follow_the_precise_rule),
      cmocka_unit_test(test_sites_rule_table),
      cmocka_unit_test(test_slot_at_a_site_not_served_is_open_but_not_allowed),
      cmocka_unit_test(test_conflicts_overlap_and_rest_after_night_slots),
      cmocka_unit_test(test_slot_ending_at_midnight_is_a_night_slot),
      cmocka_unit_test(test_slots_are_grouped_by_start_date),
      cmocka_unit_test(test_targets_history_and_limits_per_doctor),
      cmocka_unit_test(test_unknown_names_in_other_files_are_located_errors),
      cmocka_unit_test(test_pinned_pairs_are_kept_even_when_closed),
      cmocka_unit_test(test_bad_parameters_are_refused),
      cmocka_unit_test(test_no_doctors_and_no_slots_give_an_empty_rota),
  };
  enum {
    N_FIXED = sizeof fixed / sizeof fixed[0],
    N_BAD = sizeof bad_cases / sizeof bad_cases[0]
  };
  struct CMUnitTest tests[N_FIXED + N_BAD];
  char names[N_BAD][128];
  memcpy(tests, fixed, sizeof fixed);
  for (size_t i = 0; i < N_BAD; i++) {
    snprintf(names[i], sizeof names[i], "malformed_%s", bad_cases[i].name);
    tests[N_FIXED + i] = (struct CMUnitTest){
        names[i], run_bad_case, NULL, NULL, (void *)&bad_cases[i]};
  }
  return _cmocka_run_group_tests("rota_data", tests, N_FIXED + N_BAD, NULL,
                                 NULL);
}
