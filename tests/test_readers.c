/*
 * test_readers.c — the doctors and patients CSV readers (readers.h) and the
 * CSV layer under them (csv_table.h).
 *
 * Good files in both dialects (',' with '.' decimals; ';' with decimal
 * commas, a BOM and CRLF), columns in any order, quoted fields, blank
 * lines; then a table of malformed files, one per defect, under
 * tests/data/malformed/{patients,doctors}/: each must give CPT_EINPUT, a
 * NULL table, the exact FILE:LINE:COL and a key phrase of the message.
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

#include "../models/communes.h"
#include "../models/csv_table.h"
#include "../models/readers.h"

#define COMMUNES "tests/data/communes_small.csv"
#define GOOD "tests/data/good/"
#define BAD "tests/data/malformed/"

static cpt_communes *load_communes(void) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *c = NULL;
  assert_int_equal(cpt_communes_load(COMMUNES, &c, &d), CPT_OK);
  assert_non_null(c);
  cpt_diags_free(&d);
  return c;
}

static const cpt_diag *first_error(const cpt_diags *d) {
  for (size_t i = 0; i < d->n; i++)
    if (d->v[i].level == CPT_DIAG_ERROR) return &d->v[i];
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

/* --- Good files --------------------------------------------------------- */

static void test_patients_comma_dialect_resolves_communes_and_flags(
    void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  assert_int_equal(cpt_patients_load(GOOD "patients_comma.csv", c, &p, &d),
                   CPT_OK);
  assert_int_equal(d.n_errors + d.n_warnings, 0);
  assert_int_equal(p->n, 4);
  const cpt_patient *v = p->v;
  int32_t epinal = cpt_communes_find(c, "88160");
  int32_t stdie = cpt_communes_find(c, "88413");
  int32_t ajaccio = cpt_communes_find(c, "2A004");
  /* p1: commune only -> its centroid */
  assert_string_equal(v[0].id, "p1");
  assert_int_equal(v[0].loc.commune, epinal);
  assert_false(v[0].loc.explicit_coords);
  assert_float_equal(v[0].loc.lat, 48.1725, 1e-12);
  assert_float_equal(v[0].loc.lon, 6.4497, 1e-12);
  assert_int_equal(v[0].age, 34);
  assert_false(v[0].ald || v[0].precarity || v[0].home_visit);
  assert_null(v[0].household);
  assert_null(v[0].prev_doctor);
  assert_true(isnan(v[0].max_km));
  assert_int_equal(v[0].line, 2);
  /* p2: lat/lon only */
  assert_int_equal(v[1].loc.commune, -1);
  assert_true(v[1].loc.explicit_coords);
  assert_float_equal(v[1].loc.lat, 48.2, 1e-12);
  assert_float_equal(v[1].loc.lon, 6.5, 1e-12);
  assert_true(v[1].ald && v[1].home_visit && !v[1].precarity);
  assert_string_equal(v[1].household, "h1");
  assert_string_equal(v[1].prev_doctor, "d1");
  assert_float_equal(v[1].max_km, 15.5, 1e-12);
  /* p3: both: coordinates win, the commune is kept */
  assert_true(v[2].loc.explicit_coords);
  assert_int_equal(v[2].loc.commune, stdie);
  assert_float_equal(v[2].loc.lat, 48.3, 1e-12);
  assert_true(v[2].ald && !v[2].precarity && v[2].home_visit);
  assert_int_equal(cpt_patient_categories(&v[2]), CPT_CAT_CHILD | CPT_CAT_ALD);
  /* p4: lower-case Corsican code */
  assert_int_equal(v[3].loc.commune, ajaccio);
  assert_true(v[3].ald && v[3].precarity && !v[3].home_visit);
  assert_int_equal(v[3].line, 5);
  assert_int_equal(cpt_patient_categories(&v[1]),
                   CPT_CAT_AGE70 | CPT_CAT_ALD);
  cpt_patients_free(p);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_patients_semicolon_dialect_with_bom_crlf_decimal_comma(
    void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  assert_int_equal(cpt_patients_load(GOOD "patients_semicolon_bom_crlf.csv",
                                     NULL, &p, &d),
                   CPT_OK);
  assert_int_equal(d.n_errors + d.n_warnings, 0);
  assert_int_equal(p->n, 2);
  assert_string_equal(p->v[0].id, "p1");
  assert_float_equal(p->v[0].loc.lat, 48.1725, 1e-12);
  assert_float_equal(p->v[0].loc.lon, 6.4497, 1e-12);
  assert_float_equal(p->v[0].max_km, 12.5, 1e-12);
  assert_true(p->v[0].ald);
  assert_string_equal(p->v[1].id, "p2");
  assert_float_equal(p->v[1].loc.lat, 45.764, 1e-12);
  assert_int_equal(p->v[1].age, 80);
  assert_true(isnan(p->v[1].max_km));
  assert_int_equal(p->v[1].line, 3);
  cpt_patients_free(p);
  cpt_diags_free(&d);
}

static void test_patients_quoted_fields_keep_separators_and_line_numbers(
    void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  assert_int_equal(cpt_patients_load(GOOD "patients_quoted.csv", c, &p, &d),
                   CPT_OK);
  assert_int_equal(p->n, 3);
  assert_string_equal(p->v[0].id, "p,1");
  assert_string_equal(p->v[0].household, "Dupont, Martin");
  assert_string_equal(p->v[1].household, "line one\nline two");
  assert_string_equal(p->v[2].household, "say \"hi\"");
  assert_int_equal(p->v[0].line, 2);
  assert_int_equal(p->v[1].line, 3);
  assert_int_equal(p->v[2].line, 5);
  cpt_patients_free(p);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_patients_spaces_and_blank_lines_are_ignored(void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  assert_int_equal(
      cpt_patients_load(GOOD "patients_spaces_blank_lines.csv", c, &p, &d),
      CPT_OK);
  assert_int_equal(p->n, 2);
  assert_string_equal(p->v[0].id, "p1");
  assert_int_equal(p->v[0].line, 3);
  assert_int_equal(p->v[1].age, 40);
  assert_int_equal(p->v[1].line, 5);
  assert_int_equal(p->v[1].loc.commune, cpt_communes_find(c, "69123"));
  cpt_patients_free(p);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_unknown_column_is_a_warning_only(void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  const char *f = GOOD "patients_unknown_column.csv";
  assert_int_equal(cpt_patients_load(f, c, &p, &d), CPT_OK);
  assert_int_equal(p->n, 1);
  assert_int_equal(d.n_errors, 0);
  assert_int_equal(d.n_warnings, 1);
  assert_int_equal(d.v[0].level, CPT_DIAG_WARNING);
  assert_diag(&d.v[0], f, 1, 4, "unknown column \"favourite_colour\"");
  cpt_patients_free(p);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_header_only_file_is_valid_and_empty(void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  assert_int_equal(
      cpt_patients_load(GOOD "patients_header_only.csv", c, &p, &d), CPT_OK);
  assert_non_null(p);
  assert_int_equal(p->n, 0);
  assert_int_equal(d.n_errors + d.n_warnings, 0);
  cpt_patients_free(p);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_last_row_without_newline_is_read(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  assert_int_equal(
      cpt_patients_load(GOOD "patients_no_final_newline.csv", NULL, &p, &d),
      CPT_OK);
  assert_int_equal(p->n, 1);
  assert_int_equal(p->v[0].age, 34);
  cpt_patients_free(p);
  cpt_diags_free(&d);
}

static void test_cr_only_line_endings_count_lines(void **state) {
  (void)state;
  const char buf[] = "id,lat,lon,age\rp1,48.1,6.4,34\rp2,48.1,6.4,x\r";
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  assert_int_equal(
      cpt_patients_parse("mac.csv", buf, sizeof buf - 1, NULL, &p, &d),
      CPT_EINPUT);
  assert_null(p);
  assert_diag(first_error(&d), "mac.csv", 3, 4, "column 'age'");
  cpt_diags_free(&d);
}

static void test_doctors_comma_dialect_defaults_and_flags(void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_doctors *t = NULL;
  assert_int_equal(cpt_doctors_load(GOOD "doctors_comma.csv", c, &t, &d),
                   CPT_OK);
  assert_int_equal(d.n_errors + d.n_warnings, 0);
  assert_int_equal(t->n, 2);
  assert_false(t->has_rota_columns);
  const cpt_doctor *a = &t->v[0], *b = &t->v[1];
  assert_string_equal(a->id, "d1");
  assert_string_equal(a->site, "msp-epinal");
  assert_int_equal(a->capacity, 1500);
  assert_int_equal(a->current, 1200);
  assert_int_equal(a->max_new, -1);
  assert_true(a->children && a->home_visits);
  assert_int_equal(a->loc.commune, cpt_communes_find(c, "88160"));
  assert_null(a->sites);
  assert_int_equal(a->max_slots, -1);
  assert_int_equal(a->max_per_day, -1);
  assert_true(isnan(a->target));
  assert_int_equal(a->line, 2);
  assert_null(b->site);
  assert_int_equal(b->max_new, 50);
  assert_false(b->children);
  assert_false(b->home_visits);
  assert_true(b->loc.explicit_coords);
  assert_float_equal(b->loc.lat, 48.29, 1e-12);
  cpt_doctors_free(t);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_doctors_rota_columns_in_semicolon_dialect(void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_doctors *t = NULL;
  assert_int_equal(
      cpt_doctors_load(GOOD "doctors_rota_semicolon.csv", c, &t, &d), CPT_OK);
  assert_int_equal(d.n_errors + d.n_warnings, 0);
  assert_true(t->has_rota_columns);
  assert_int_equal(t->n, 2);
  assert_string_equal(t->v[0].sites, "msp-epinal|msp-golbey");
  assert_int_equal(t->v[0].max_slots, 4);
  assert_int_equal(t->v[0].max_per_day, 2);
  assert_float_equal(t->v[0].target, 3.5, 1e-12);
  assert_int_equal(t->v[0].current, 0);
  assert_true(t->v[0].children && t->v[0].home_visits);
  assert_null(t->v[1].sites);
  assert_int_equal(t->v[1].max_slots, -1);
  assert_int_equal(t->v[1].max_per_day, -1);
  assert_true(isnan(t->v[1].target));
  cpt_doctors_free(t);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_doctors_column_names_match_in_any_case(void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_doctors *t = NULL;
  assert_int_equal(cpt_doctors_load(GOOD "doctors_minimal.csv", c, &t, &d),
                   CPT_OK);
  assert_int_equal(t->n, 1);
  assert_int_equal(t->v[0].capacity, 2000);
  assert_int_equal(t->v[0].loc.commune, cpt_communes_find(c, "75056"));
  cpt_doctors_free(t);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_unknown_commune_beside_coordinates_is_a_warning(
    void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  const char buf[] = "id,commune,lat,lon,age\np1,99999,48.1,6.4,30\n";
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  assert_int_equal(
      cpt_patients_parse("w.csv", buf, sizeof buf - 1, c, &p, &d), CPT_OK);
  assert_int_equal(p->n, 1);
  assert_int_equal(p->v[0].loc.commune, -1);
  assert_true(p->v[0].loc.explicit_coords);
  assert_int_equal(d.n_errors, 0);
  assert_int_equal(d.n_warnings, 1);
  assert_diag(&d.v[0], "w.csv", 2, 2, "unknown commune code \"99999\"");
  cpt_patients_free(p);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

/* --- Errors not tied to one malformed file ------------------------------ */

static void test_commune_code_without_communes_table_is_an_error(
    void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  const char *f = GOOD "patients_comma.csv";
  assert_int_equal(cpt_patients_load(f, NULL, &p, &d), CPT_EINPUT);
  assert_null(p);
  /* p1 and p4 need the table; p2 and p3 have coordinates */
  assert_int_equal(d.n_errors, 2);
  assert_diag(&d.v[0], f, 2, 2, "no communes table was loaded");
  assert_diag(&d.v[1], f, 5, 2, "no communes table was loaded");
  cpt_diags_free(&d);
}

static void test_missing_file_is_an_io_error(void **state) {
  (void)state;
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_doctors *t = NULL;
  const char *f = "tests/data/no/such/doctors.csv";
  assert_int_equal(cpt_doctors_load(f, NULL, &t, &d), CPT_EIO);
  assert_null(t);
  assert_diag(first_error(&d), f, 0, 0, "cannot open");
  cpt_diags_free(&d);
}

static void test_all_bad_rows_are_listed(void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  const char *f = BAD "patients/three_bad_rows.csv";
  assert_int_equal(cpt_patients_load(f, c, &p, &d), CPT_EINPUT);
  assert_null(p);
  assert_int_equal(d.n_errors, 3);
  assert_int_equal(d.n, 3);
  assert_diag(&d.v[0], f, 2, 3, "expected an integer 0\xE2\x80\x93" "120, got \"x\"");
  assert_diag(&d.v[1], f, 4, 2, "unknown commune code \"99999\"");
  assert_diag(&d.v[2], f, 5, 3, "got \"200\"");
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_errors_beyond_the_cap_are_counted(void **state) {
  (void)state;
  enum { ROWS = 100 };
  char *buf = malloc(64 * (ROWS + 1));
  assert_non_null(buf);
  size_t len = (size_t)sprintf(buf, "id,lat,lon,age\n");
  for (int i = 0; i < ROWS; i++)
    len += (size_t)sprintf(buf + len, "p%d,48.1,6.4,old\n", i);
  cpt_diags d;
  cpt_diags_init(&d);
  d.max_kept = 10;
  cpt_patients *p = NULL;
  assert_int_equal(cpt_patients_parse("many.csv", buf, len, NULL, &p, &d),
                   CPT_EINPUT);
  assert_null(p);
  assert_int_equal(d.n_errors, ROWS);
  assert_int_equal(d.n, 10);
  assert_int_equal(d.dropped, ROWS - 10);
  assert_diag(&d.v[9], "many.csv", 11, 4, "got \"old\"");
  free(buf);
  cpt_diags_free(&d);
}

static void test_duplicate_message_does_not_echo_the_id(void **state) {
  (void)state;
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  assert_int_equal(cpt_patients_load(BAD "patients/duplicate_id.csv", c, &p,
                                     &d),
                   CPT_EINPUT);
  assert_int_equal(d.n_errors, 1);
  assert_null(strstr(d.v[0].msg, "SECRET"));
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

static void test_duplicates_among_many_rows_are_all_found(void **state) {
  (void)state;
  enum { ROWS = 5000 };
  char *buf = malloc(40 * (ROWS + 1));
  assert_non_null(buf);
  size_t len = (size_t)sprintf(buf, "id,lat,lon,age\n");
  /* every 1000th row repeats the id of row 7 (line 9) */
  for (int i = 0; i < ROWS; i++)
    len += (size_t)sprintf(buf + len, "p%d,48.1,6.4,30\n",
                           i % 1000 == 999 ? 7 : i);
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_patients *p = NULL;
  assert_int_equal(cpt_patients_parse("dups.csv", buf, len, NULL, &p, &d),
                   CPT_EINPUT);
  assert_int_equal(d.n_errors, 5);
  for (size_t k = 0; k < 5; k++)
    assert_diag(&d.v[k], "dups.csv", 1001 + 1000 * (long)k, 1,
                "duplicate value (first seen at line 9)");
  free(buf);
  cpt_diags_free(&d);
}

static void test_echo_is_escaped_and_cut(void **state) {
  (void)state;
  char out[256];
  cpt_csv_echo("a\"b\\c\nd", 7, out, sizeof out);
  assert_string_equal(out, "\"a\\\"b\\\\c\\nd\"");
  char longv[100];
  memset(longv, 'z', sizeof longv);
  cpt_csv_echo(longv, sizeof longv, out, sizeof out);
  assert_int_equal(strlen(out), 2 + CPT_CSV_ECHO_MAX + 3);
  /* never cut inside a UTF-8 sequence */
  char acc[60];
  for (int i = 0; i < 30; i++) memcpy(acc + 2 * i, "\xC3\xA9", 2);
  cpt_csv_echo(acc, sizeof acc, out, sizeof out);
  assert_string_equal(out + 1 + CPT_CSV_ECHO_MAX, "\"\xE2\x80\xA6");
}

/* --- Malformed files ---------------------------------------------------- */

typedef enum { PATIENTS, DOCTORS } kind;

typedef struct bad_case {
  kind k;
  const char *name; /* file under tests/data/malformed/<kind>/, no .csv */
  size_t n_errors;  /* errors expected in all */
  long line, col;   /* of the first error */
  const char *phrase;
} bad_case;

#define DASH "\xE2\x80\x93"
#define GE "\xE2\x89\xA5"

static const bad_case bad_cases[] = {
    {PATIENTS, "missing_age_column", 1, 1, 0,
     "missing column 'age' (expected: id, commune | lat+lon, age"},
    {PATIENTS, "missing_location_columns", 1, 1, 0,
     "missing location columns: 'commune', or 'lat' and 'lon'"},
    {PATIENTS, "lat_column_without_lon", 1, 1, 0,
     "column 'lat' without column 'lon'"},
    {PATIENTS, "bad_age_letter_o", 1, 3, 3,
     "column 'age': expected an integer 0" DASH "120, got \"7O\""},
    {PATIENTS, "age_out_of_range", 1, 2, 3,
     "column 'age': expected an integer 0" DASH "120, got \"121\""},
    {PATIENTS, "negative_age", 1, 2, 3, "got \"-1\""},
    {PATIENTS, "empty_age", 1, 2, 3,
     "column 'age': expected an integer 0" DASH "120, got an empty field"},
    {PATIENTS, "duplicate_id", 1, 4, 1,
     "column 'id': duplicate value (first seen at line 2)"},
    {PATIENTS, "empty_id", 1, 2, 1, "column 'id': expected a value"},
    {PATIENTS, "unknown_commune", 1, 2, 2,
     "column 'commune': unknown commune code \"99999\""},
    {PATIENTS, "commune_lost_leading_zero", 1, 2, 2,
     "was a leading 0 lost?"},
    {PATIENTS, "empty_file", 1, 0, 0, "empty file: expected a header row"},
    {PATIENTS, "blank_lines_only", 1, 0, 0, "empty file"},
    {PATIENTS, "bom_only", 1, 0, 0, "empty file"},
    {PATIENTS, "ragged_row_short", 1, 3, 0,
     "expected 4 fields (as in the header), found 3"},
    {PATIENTS, "ragged_row_long", 1, 3, 5,
     "expected 4 fields (as in the header), found 5"},
    {PATIENTS, "invalid_utf8", 1, 2, 14, "invalid UTF-8 (byte 0xE9)"},
    {PATIENTS, "utf16_bom", 1, 1, 1, "UTF-16"},
    {PATIENTS, "nul_byte", 1, 2, 11, "NUL byte"},
    {PATIENTS, "huge_field", 1, 2, 4,
     "field too long (2000 bytes, at most 1024)"},
    {PATIENTS, "header_field_too_long", 1, 1, 4,
     "field too long (1500 bytes, at most 1024)"},
    {PATIENTS, "lat_without_lon", 1, 2, 3,
     "column 'lon': empty while 'lat' is given"},
    {PATIENTS, "lat_out_of_range", 1, 2, 2,
     "column 'lat': expected a number from -90 to 90, got \"91.5\""},
    {PATIENTS, "lon_not_a_number", 1, 2, 3,
     "column 'lon': expected a number from -180 to 180, got \"east\""},
    {PATIENTS, "bad_flag", 1, 2, 4,
     "column 'ald': expected a flag (0/1, yes/no, oui/non, true/false), "
     "got \"maybe\""},
    {PATIENTS, "decimal_comma_with_comma_separator", 2, 2, 2,
     "a decimal comma is accepted only with the ';' separator"},
    {PATIENTS, "max_km_not_positive", 1, 2, 4,
     "column 'max_km': expected a number > 0, got \"0\""},
    {PATIENTS, "duplicate_column", 1, 1, 4,
     "duplicate column \"Age\" (also column 3)"},
    {PATIENTS, "misplaced_quote", 1, 3, 1, "misplaced quote"},
    {PATIENTS, "unterminated_quote", 1, 2, 4,
     "unterminated quoted field"},
    {PATIENTS, "no_location", 1, 2, 2, "no location: each row needs a commune code"},
    {PATIENTS, "bad_age_after_multiline_field", 1, 5, 3,
     "got \"abc\""},
    {PATIENTS, "bad_field_after_multiline_field_in_row", 1, 3, 4,
     "got \"bad\""},
    {DOCTORS, "missing_capacity_column", 1, 1, 0,
     "missing column 'capacity' (expected: id, commune | lat+lon, site, "
     "capacity"},
    {DOCTORS, "missing_id_and_capacity_columns", 1, 1, 0,
     "missing columns 'id', 'capacity'"},
    {DOCTORS, "capacity_out_of_range", 1, 2, 3,
     "column 'capacity': expected an integer 0" DASH "100000, got \"100001\""},
    {DOCTORS, "empty_capacity", 1, 2, 3, "got an empty field"},
    {DOCTORS, "negative_current", 1, 2, 4,
     "column 'current': expected an integer " GE " 0, got \"-3\""},
    {DOCTORS, "max_new_letters", 1, 2, 4,
     "column 'max_new': expected an integer " GE " 0, got \"ten\""},
    {DOCTORS, "max_per_day_zero", 1, 2, 4,
     "column 'max_per_day': expected an integer 1" DASH "48, got \"0\""},
    {DOCTORS, "negative_target", 1, 2, 4,
     "column 'target': expected a number " GE " 0, got \"-1\""},
    {DOCTORS, "bad_children_flag", 1, 2, 4,
     "column 'children': expected a flag"},
    {DOCTORS, "duplicate_id", 1, 4, 1,
     "column 'id': duplicate value (first seen at line 2)"},
    {DOCTORS, "unknown_commune", 1, 3, 2, "unknown commune code \"12345\""},
    {DOCTORS, "lon_without_lat", 1, 2, 2,
     "column 'lat': empty while 'lon' is given"},
    {DOCTORS, "ragged_row", 1, 2, 0,
     "expected 3 fields (as in the header), found 2"},
};

static void run_bad_case(void **state) {
  const bad_case *bc = *state;
  char path[256];
  snprintf(path, sizeof path, BAD "%s/%s.csv",
           bc->k == PATIENTS ? "patients" : "doctors", bc->name);
  cpt_communes *c = load_communes();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_status st;
  if (bc->k == PATIENTS) {
    cpt_patients *p = (cpt_patients *)&d; /* must be reset to NULL */
    st = cpt_patients_load(path, c, &p, &d);
    assert_null(p);
  } else {
    cpt_doctors *t = (cpt_doctors *)&d;
    st = cpt_doctors_load(path, c, &t, &d);
    assert_null(t);
  }
  if (st != CPT_EINPUT || d.n_errors != bc->n_errors) {
    cpt_diags_print(&d, stderr);
    fail_msg("%s: status %d, %zu error(s); want CPT_EINPUT, %zu", path,
             (int)st, d.n_errors, bc->n_errors);
  }
  assert_diag(first_error(&d), path, bc->line, bc->col, bc->phrase);
  cpt_communes_free(c);
  cpt_diags_free(&d);
}

int main(void) {
  static const struct CMUnitTest fixed[] = {
      cmocka_unit_test(
          test_patients_comma_dialect_resolves_communes_and_flags),
      cmocka_unit_test(
          test_patients_semicolon_dialect_with_bom_crlf_decimal_comma),
      cmocka_unit_test(
          test_patients_quoted_fields_keep_separators_and_line_numbers),
      cmocka_unit_test(test_patients_spaces_and_blank_lines_are_ignored),
      cmocka_unit_test(test_unknown_column_is_a_warning_only),
      cmocka_unit_test(test_header_only_file_is_valid_and_empty),
      cmocka_unit_test(test_last_row_without_newline_is_read),
      cmocka_unit_test(test_cr_only_line_endings_count_lines),
      cmocka_unit_test(test_doctors_comma_dialect_defaults_and_flags),
      cmocka_unit_test(test_doctors_rota_columns_in_semicolon_dialect),
      cmocka_unit_test(test_doctors_column_names_match_in_any_case),
      cmocka_unit_test(test_unknown_commune_beside_coordinates_is_a_warning),
      cmocka_unit_test(test_commune_code_without_communes_table_is_an_error),
      cmocka_unit_test(test_missing_file_is_an_io_error),
      cmocka_unit_test(test_all_bad_rows_are_listed),
      cmocka_unit_test(test_errors_beyond_the_cap_are_counted),
      cmocka_unit_test(test_duplicate_message_does_not_echo_the_id),
      cmocka_unit_test(test_duplicates_among_many_rows_are_all_found),
      cmocka_unit_test(test_echo_is_escaped_and_cut),
  };
  enum {
    N_FIXED = sizeof fixed / sizeof fixed[0],
    N_BAD = sizeof bad_cases / sizeof bad_cases[0]
  };
  /* One group (tests/run.sh counts one summary per suite): the fixed
   * tests, then one named test per malformed file. */
  struct CMUnitTest tests[N_FIXED + N_BAD];
  char names[N_BAD][128];
  memcpy(tests, fixed, sizeof fixed);
  for (size_t i = 0; i < N_BAD; i++) {
    snprintf(names[i], sizeof names[i], "malformed_%s_%s",
             bad_cases[i].k == PATIENTS ? "patients" : "doctors",
             bad_cases[i].name);
    tests[N_FIXED + i] = (struct CMUnitTest){
        names[i], run_bad_case, NULL, NULL, (void *)&bad_cases[i]};
  }
  return _cmocka_run_group_tests("readers", tests, N_FIXED + N_BAD, NULL,
                                 NULL);
}
