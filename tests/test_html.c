/*
 * test_html.c — the --html reports of assign, depart and rota, in process.
 *
 * Each page is read back and its data-* counts are checked against figures
 * the test recomputes from the inputs and the CSV outputs (patients and
 * placements per location group, distinct (group, doctor) lines, patients
 * by category, slots and doctors of the rota); every string from the input
 * files is escaped; no patient identifier appears; nothing is fetched; a
 * failed run writes no HTML.  Then, when Debian's `chromium` (or
 * `chromium-browser`) is on PATH, the page is rendered headless: one call
 * per page type dumps the DOM (the browser's own parse must hold the same
 * counts) and takes a screenshot (a real PNG of some size).  Without
 * chromium the browser tests fail when CI is set and are skipped otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../cli/cmd_rota.h"
#include "../models/readers.h"

#define EX "datasets/examples/"
#define ROTA "tests/data/rota_cli/"

static char dir[64];

static void path(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "%s/%s", dir, name);
}

static char *slurp(const char *p, size_t *len) {
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

static char *read_out(const char *name) {
  char p[256];
  path(p, sizeof p, name);
  return slurp(p, NULL);
}

static bool exists(const char *name) {
  char p[256];
  path(p, sizeof p, name);
  return access(p, F_OK) == 0;
}

static void write_file(const char *name, const char *text) {
  char p[256];
  path(p, sizeof p, name);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Run a command (NULL-terminated arguments; '@name' = a file in the
 * temporary directory) with stdout and stderr sent to files there. */
static int run(int (*cmd)(int, char **), const char *name, const char *first,
               ...) {
  char *argv[64];
  static char store[64][256];
  int argc = 0;
  argv[argc++] = (char *)name;
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
  char po[256], pe[256];
  path(po, sizeof po, "stdout.txt");
  path(pe, sizeof pe, "stderr.txt");
  fflush(stdout);
  fflush(stderr);
  int so = dup(1), se = dup(2);
  int fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(fo, 1);
  dup2(fe, 2);
  int rc = cmd(argc, argv);
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

/* --- Reading the page back ------------------------------------------------ */

static size_t count(const char *hay, const char *needle) {
  size_t n = 0, l = strlen(needle);
  for (const char *p = strstr(hay, needle); p; p = strstr(p + l, needle)) n++;
  return n;
}

/* The numeric value of attribute attr in the tag that starts at tag. */
static double attr_at(const char *tag, const char *attr) {
  const char *end = strchr(tag, '>');
  assert_non_null(end);
  char key[64];
  snprintf(key, sizeof key, " %s=\"", attr);
  const char *a = strstr(tag, key);
  assert_true(a && a < end);
  return strtod(a + strlen(key), NULL);
}

/* attr of the first tag starting with `start`. */
static double attr(const char *html, const char *start, const char *attr) {
  const char *t = strstr(html, start);
  if (!t) fail_msg("no %s in the page", start);
  return attr_at(t, attr);
}

/* Σ attr over every tag starting with `start` in html. */
static double sum_attr(const char *html, const char *start,
                       const char *attr) {
  double s = 0;
  for (const char *t = strstr(html, start); t; t = strstr(t + 1, start))
    s += attr_at(t, attr);
  return s;
}

/* A copy of the element that starts at `start`, up to `close`. */
static char *section(const char *html, const char *start, const char *close) {
  const char *a = strstr(html, start);
  if (!a) fail_msg("no %s in the page", start);
  const char *b = strstr(a, close);
  assert_non_null(b);
  size_t n = (size_t)(b - a);
  char *s = malloc(n + 1);
  assert_non_null(s);
  memcpy(s, a, n);
  s[n] = '\0';
  return s;
}

/* Nothing fetched, nothing run. */
static void assert_self_contained(const char *html) {
  assert_non_null(strstr(html, "<!DOCTYPE html>"));
  assert_null(strstr(html, "<script"));
  assert_null(strstr(html, "src="));
  assert_null(strstr(html, "href="));
  assert_null(strstr(html, "url("));
  assert_null(strstr(html, "@import"));
  assert_non_null(strstr(html, "@media print"));
  /* the SVG namespace is the only URL */
  assert_int_equal(count(html, "http"),
                   count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
}

/* --- Chromium ------------------------------------------------------------- */

static bool on_path(const char *exe) {
  const char *p = getenv("PATH");
  if (!p) return false;
  char buf[1024];
  while (*p) {
    size_t l = strcspn(p, ":");
    snprintf(buf, sizeof buf, "%.*s/%s", (int)l, p, exe);
    if (l && access(buf, X_OK) == 0) return true;
    p += l + (p[l] == ':');
  }
  return false;
}

/* Render page NAME.html headless: its DOM as the browser parsed it
 * (caller frees) and a screenshot NAME.png, checked to be a PNG of some
 * size.  Fails under CI without chromium, skips otherwise. */
static char *browse(const char *name) {
  const char *exe = on_path("chromium")           ? "chromium"
                    : on_path("chromium-browser") ? "chromium-browser"
                                                  : NULL;
  if (!exe) {
    if (getenv("CI")) fail_msg("chromium is not on PATH and CI is set");
    skip();
  }
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "timeout 180 %s --headless --no-sandbox --disable-gpu "
           "--no-first-run --disable-background-networking "
           "--user-data-dir=%s/chromium-%s --window-size=1200,1600 "
           "--screenshot=%s/%s.png --dump-dom file://%s/%s.html "
           ">%s/%s.dom 2>%s/%s.log",
           exe, dir, name, dir, name, dir, name, dir, name, dir, name);
  int rc = system(cmd);
  if (rc != 0) {
    char lp[256], ln[64];
    snprintf(ln, sizeof ln, "%s.log", name);
    path(lp, sizeof lp, ln);
    char *log = slurp(lp, NULL);
    fprintf(stderr, "%s\n", log ? log : "");
    free(log);
    fail_msg("chromium exited with %d", rc);
  }
  char p[256], n[64];
  snprintf(n, sizeof n, "%s.png", name);
  path(p, sizeof p, n);
  size_t len = 0;
  char *png = slurp(p, &len);
  assert_non_null(png);
  assert_true(len > 20000);
  assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
  free(png);
  snprintf(n, sizeof n, "%s.dom", name);
  path(p, sizeof p, n);
  char *dom = slurp(p, NULL);
  assert_non_null(dom);
  return dom;
}

/* --- assign and depart ---------------------------------------------------- */

/* What the test recomputes: groups of patients by location (commune, or
 * 0.01° cell), distinct (group, doctor) pairs of the placements. */
typedef struct expect {
  size_t patients, placed, groups, pairs;
  size_t cat_n[4], cat_placed[4];
} expect;

static void recompute(const char *patients_csv, const char *out_csv,
                      const char *only_prev, expect *e) {
  memset(e, 0, sizeof *e);
  cpt_diags dg;
  cpt_diags_init(&dg);
  cpt_communes *C = NULL;
  cpt_patients *P = NULL;
  assert_int_equal(cpt_cli_load_communes(NULL, &C, &dg), CPT_OK);
  assert_int_equal(cpt_patients_load(patients_csv, C, &P, &dg), CPT_OK);
  char *out = read_out(out_csv);
  assert_non_null(out);
  /* rows of the CSV in patient order (of the patients placed by the run) */
  size_t cap = P->n + 1, ng = 0, np = 0;
  long(*gk)[3] = calloc(cap, sizeof *gk);
  char(*pair)[80] = calloc(cap, sizeof *pair);
  assert_non_null(gk);
  assert_non_null(pair);
  char *line = strchr(out, '\n') + 1;
  for (size_t i = 0; i < P->n; i++) {
    const cpt_patient *pt = &P->v[i];
    if (only_prev && (!pt->prev_doctor || strcmp(pt->prev_doctor, only_prev)))
      continue;
    assert_true(*line);
    char *nl = strchr(line, '\n');
    *nl = '\0';
    char *c1 = strchr(line, ',');
    *c1 = '\0';
    assert_string_equal(line, pt->id);
    char *doctor = c1 + 1, *c2 = strchr(doctor, ',');
    *c2 = '\0';
    bool placed = *doctor != '\0';
    e->patients++;
    e->placed += placed;
    unsigned cats = cpt_patient_categories(pt);
    for (int b = 0; b < 4; b++)
      if (cats & (1u << b)) {
        e->cat_n[b]++;
        e->cat_placed[b] += placed;
      }
    long k[3];
    if (!pt->loc.explicit_coords && pt->loc.commune >= 0)
      k[0] = pt->loc.commune, k[1] = k[2] = 0;
    else
      k[0] = -1, k[1] = (long)floor(pt->loc.lat / 0.01),
      k[2] = (long)floor(pt->loc.lon / 0.01);
    size_t g = 0;
    while (g < ng && memcmp(gk[g], k, sizeof k)) g++;
    if (g == ng) memcpy(gk[ng++], k, sizeof k);
    if (placed) {
      char key[80];
      snprintf(key, sizeof key, "%zu/%s", g, doctor);
      size_t j = 0;
      while (j < np && strcmp(pair[j], key)) j++;
      if (j == np) snprintf(pair[np++], sizeof pair[0], "%s", key);
    }
    line = nl + 1;
  }
  assert_false(*line); /* every row matched */
  e->groups = ng;
  e->pairs = np;
  free(gk);
  free(pair);
  free(out);
  cpt_patients_free(P);
  cpt_communes_free(C);
  cpt_diags_free(&dg);
}

/* The checks shared by assign and depart pages. */
static void check_assign_page(const char *html, const expect *e,
                              size_t doctors) {
  assert_self_contained(html);
  assert_int_equal(attr(html, "<dl class=\"kv\" id=\"summary\"",
                        "data-patients"), e->patients);
  assert_int_equal(attr(html, "id=\"summary\"", "data-placed"), e->placed);
  assert_int_equal(attr(html, "id=\"summary\"", "data-unplaced"),
                   e->patients - e->placed);
  /* map: one circle per group, all patients, lines per (group, doctor) */
  char *map = section(html, "<svg id=\"map\"", "</svg>");
  assert_int_equal(attr(map, "<svg", "data-communes"), e->groups);
  assert_int_equal(count(map, "<circle class=\"commune\""), e->groups);
  assert_int_equal(sum_attr(map, "<circle class=\"commune\"",
                            "data-patients"), e->patients);
  assert_int_equal(sum_attr(map, "<circle class=\"commune\"", "data-placed"),
                   e->placed);
  assert_int_equal(attr(map, "<svg", "data-pairs"), e->pairs);
  assert_int_equal(attr(map, "<svg", "data-lines"), e->pairs);
  assert_int_equal(count(map, "<line "), e->pairs);
  assert_int_equal(sum_attr(map, "<circle class=\"ring\"", "data-count"),
                   e->patients - e->placed);
  assert_int_equal(attr(map, "<svg", "data-doctors"), doctors);
  assert_int_equal(count(map, "<rect class=\"doctor"), doctors);
  free(map);
  /* categories */
  assert_int_equal(attr(html, "<tr data-category=\"all\"", "data-placed"),
                   e->placed);
  static const char *cat[4] = {"child", "age70", "ald", "precarity"};
  for (int b = 0; b < 4; b++) {
    char t[64];
    snprintf(t, sizeof t, "<tr data-category=\"%s\"", cat[b]);
    assert_int_equal(attr(html, t, "data-patients"), e->cat_n[b]);
    assert_int_equal(attr(html, t, "data-placed"), e->cat_placed[b]);
  }
  assert_int_equal(sum_attr(html, "<tr data-reason=", "data-count"),
                   e->patients - e->placed);
  /* distances: every placed patient in one bin */
  char *dist = section(html, "<svg id=\"distances\"", "</svg>");
  assert_int_equal(sum_attr(dist, "<rect data-series=\"0\"", "data-value"),
                   e->placed);
  free(dist);
  /* per-doctor bars: new patients add up when every doctor is shown */
  size_t with_new = (size_t)attr(html, "<svg id=\"doctor-loads\"",
                                 "data-with-new");
  if (with_new <= 40)
    assert_int_equal(sum_attr(html, "<g class=\"dload\"", "data-new"),
                     e->placed);
}

static void assert_no_patient_id(const char *html, const char *patients_csv) {
  char *csv = slurp(patients_csv, NULL);
  assert_non_null(csv);
  size_t n = 0;
  for (char *l = strchr(csv, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
    char id[64];
    size_t k = strcspn(l + 1, ",;\n");
    snprintf(id, sizeof id, "%.*s", (int)k, l + 1);
    if (!*id) continue;
    if (strstr(html, id)) fail_msg("patient id %s in the page", id);
    n++;
  }
  assert_true(n > 100);
  free(csv);
}

static void test_assign_html_counts_match_the_placements(void **state) {
  (void)state;
  assert_int_equal(run(cpt_cmd_assign, "assign", "--doctors",
                       EX "doctors.csv", "--patients", EX "patients.csv",
                       "--out", "@a.csv", "--html", "@assign.html",
                       "--threads", "1", NULL),
                   0);
  expect e;
  recompute(EX "patients.csv", "a.csv", NULL, &e);
  assert_int_equal(e.patients, 600);
  assert_true(e.placed > 0 && e.placed < e.patients);
  char *html = read_out("assign.html");
  assert_non_null(html);
  check_assign_page(html, &e, 26);
  assert_no_patient_id(html, EX "patients.csv");
  /* utilisation histogram: every doctor with a capacity, before and after */
  char *u = section(html, "<svg id=\"utilisation\"", "</svg>");
  assert_int_equal(sum_attr(u, "<rect data-series=\"0\"", "data-value"), 26);
  assert_int_equal(sum_attr(u, "<rect data-series=\"1\"", "data-value"), 26);
  free(u);
  free(html); /* browse() may skip: nothing left to free then */

  char *dom = browse("assign");
  char *map = section(dom, "<svg id=\"map\"", "</svg>");
  assert_int_equal(count(map, "class=\"commune\""), e.groups);
  assert_int_equal(count(map, "<line "), e.pairs);
  assert_int_equal(count(map, "class=\"doctor"), 26);
  assert_int_equal(count(dom, "<tr data-category="), 5);
  free(map);
  free(dom);
}

static void test_depart_html_shows_the_leaving_doctor_and_waves(
    void **state) {
  (void)state;
  assert_int_equal(run(cpt_cmd_depart, "depart", "--doctors",
                       EX "doctors.csv", "--patients", EX "patients.csv",
                       "--leaving", "D11", "--waves", "2",
                       "--max-new-per-wave", "10", "--out", "@d.csv",
                       "--html", "@depart.html", "--threads", "1", NULL),
                   0);
  expect e;
  recompute(EX "patients.csv", "d.csv", "D11", &e);
  assert_int_equal(e.patients, 63);
  char *html = read_out("depart.html");
  assert_non_null(html);
  check_assign_page(html, &e, 26);
  assert_int_equal(count(html, "<rect class=\"doctor leaving\" "
                               "data-doctor=\"D11\""), 1);
  assert_int_equal(count(html, "<rect class=\"doctor leaving\""), 1);
  assert_non_null(strstr(html, "<dd id=\"leaving\">D11</dd>"));
  assert_int_equal(count(html, "<tr data-wave="), 2);
  assert_int_equal(sum_attr(html, "<tr data-wave=", "data-placed"), e.placed);
  assert_int_equal(attr(html, "<svg id=\"doctor-loads\"", "data-doctors") > 0,
                   e.placed > 0);
  free(html);
}

/* Patients located by coordinates over a wide area: the grid coarsens
 * (0.01° → 0.02°) to at most 4000 cells, and every patient is still in
 * exactly one circle. */
static void test_assign_html_coarsens_the_grid_of_scattered_patients(
    void **state) {
  (void)state;
  char p[256];
  path(p, sizeof p, "sd.csv");
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs("id,lat,lon,capacity,current\n", f);
  for (int d = 0; d < 25; d++)
    fprintf(f, "S%02d,%.3f,%.3f,2000,1000\n", d, 48.1 + 0.2 * (d % 5),
            6.1 + 0.2 * (d / 5));
  fclose(f);
  path(p, sizeof p, "sp.csv");
  f = fopen(p, "w");
  assert_non_null(f);
  fputs("id,lat,lon,age\n", f);
  uint64_t s = 7;
  for (int i = 0; i < 6000; i++) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    fprintf(f, "Q%05d,%.5f,%.5f,%d\n", i,
            48.0 + (double)(s >> 40) / (double)(1ULL << 24),
            6.0 + (double)((s >> 16) & 0xffffff) / (double)(1ULL << 24),
            (int)(s % 90));
  }
  fclose(f);
  assert_int_equal(run(cpt_cmd_assign, "assign", "--doctors", "@sd.csv",
                       "--patients", "@sp.csv", "--out", "@s.csv", "--html",
                       "@s.html", "--threads", "1", NULL),
                   0);
  char *html = read_out("s.html");
  assert_non_null(html);
  char *map = section(html, "<svg id=\"map\"", "</svg>");
  size_t groups = (size_t)attr(map, "<svg", "data-communes");
  assert_true(groups > 1000 && groups <= 4000);
  assert_int_equal(count(map, "<circle class=\"commune\""), groups);
  assert_int_equal(sum_attr(map, "<circle class=\"commune\"",
                            "data-patients"), 6000);
  assert_non_null(strstr(html, "by 0.02° grid cell"));
  assert_null(strstr(html, "Q0")); /* no patient id */
  free(map);
  free(html);
}

/* Ids and names from the input files are data, never markup. */
static void test_assign_html_escapes_every_input_string(void **state) {
  (void)state;
  write_file("ed.csv", "id,lat,lon,capacity,current\n"
                       "\"D<i>&\"\"1'\",48.10,6.40,100,10\n"
                       "\"<script>x</script>\",48.20,6.50,100,100\n");
  write_file("ep.csv", "id,lat,lon,age\n"
                       "\"p<b>1\",48.11,6.41,40\n"
                       "p2,48.12,6.42,75\n"
                       "p3,49.90,8.90,30\n");
  assert_int_equal(run(cpt_cmd_assign, "assign", "--doctors", "@ed.csv",
                       "--patients", "@ep.csv", "--out", "@e.csv", "--html",
                       "@e.html", NULL),
                   0);
  char *html = read_out("e.html");
  assert_non_null(html);
  assert_self_contained(html);
  assert_null(strstr(html, "<i>"));
  assert_null(strstr(html, "<script>"));
  assert_null(strstr(html, "p<b>1"));
  assert_null(strstr(html, "p&lt;b&gt;1")); /* no patient id, escaped or not */
  assert_non_null(strstr(html, "data-doctor=\"D&lt;i&gt;&amp;&quot;1&#39;\""));
  assert_non_null(strstr(html, "&lt;script&gt;x&lt;/script&gt;"));
  assert_int_equal(attr(html, "id=\"summary\"", "data-placed"), 2);
  assert_int_equal(count(html, "<circle class=\"ring\" "
                               "data-reason=\"no_doctor_in_range\""), 1);
  free(html);
}

static void test_failed_runs_write_no_html(void **state) {
  (void)state;
  assert_int_equal(run(cpt_cmd_assign, "assign", "--doctors",
                       EX "doctors.csv", "--patients",
                       "tests/data/malformed/patients/bad_flag.csv", "--out",
                       "@f.csv", "--html", "@f.html", NULL),
                   2);
  assert_false(exists("f.html"));
  assert_false(exists("f.csv"));
  /* an HTML path that cannot be written: no other output either */
  assert_int_equal(run(cpt_cmd_assign, "assign", "--doctors",
                       EX "doctors.csv", "--patients", EX "patients.csv",
                       "--out", "@g.csv", "--html", "@missing/g.html", NULL),
                   2);
  assert_false(exists("g.csv"));
  assert_int_equal(run(cpt_cmd_rota, "rota", "--doctors", ROTA "doctors.csv",
                       "--slots", ROTA "slots.csv", "--availability",
                       ROTA "availability.csv", "--pinned",
                       ROTA "pinned_clash.csv", "--out", "@h.csv", "--html",
                       "@h.html", NULL),
                   3);
  assert_false(exists("h.html"));
  assert_false(exists("h.csv"));
}

/* --- rota ----------------------------------------------------------------- */

static void test_rota_html_grid_has_one_cell_per_slot(void **state) {
  (void)state;
  assert_int_equal(run(cpt_cmd_rota, "rota", "--doctors", ROTA "doctors.csv",
                       "--slots", ROTA "slots.csv", "--availability",
                       ROTA "availability.csv", "--history",
                       ROTA "history.csv", "--pinned", ROTA "pinned.csv",
                       "--out", "@r.csv", "--html", "@rota.html",
                       "--threads", "1", NULL),
                   0);
  char *html = read_out("rota.html");
  char *csv = read_out("r.csv");
  assert_non_null(html);
  assert_non_null(csv);
  assert_self_contained(html);
  char *grid = section(html, "<table id=\"grid\"", "</table>");
  assert_int_equal(count(grid, "<td class=\"slot"), 9);
  assert_int_equal(attr(grid, "<table", "data-slots"), 9);
  assert_int_equal(attr(grid, "<table", "data-days"), 2);
  static const char *ids[9] = {"s1", "s2", "s3", "s4", "s5",
                               "s6", "s7", "s8", "s9"};
  for (int i = 0; i < 9; i++) {
    char t[32];
    snprintf(t, sizeof t, "data-slot=\"%s\"", ids[i]);
    assert_int_equal(count(grid, t), 1);
  }
  /* the CSV: a row per assignment, a blank-doctor row per missing one */
  size_t rows = count(csv, "\n") - 1, blank = count(csv, ",\n");
  assert_int_equal(sum_attr(grid, "<td class=\"slot", "data-covered"),
                   rows - blank);
  assert_int_equal(count(grid, "<td class=\"slot uncovered"), blank);
  assert_int_equal(blank, 1);
  assert_non_null(strstr(grid, "<td class=\"slot uncovered\" data-slot=\"s9\""
                               " data-need=\"1\" data-covered=\"0\" "
                               "data-reason=\"nobody_available\""));
  assert_int_equal(attr(html, "id=\"summary\"", "data-missing"), blank);
  /* loads: per doctor, as many slots as rows of the CSV name */
  static const char *docs[4] = {"D1", "D2", "D3", "D4"};
  size_t total = 0;
  for (int i = 0; i < 4; i++) {
    char t[40];
    snprintf(t, sizeof t, "<tr data-doctor=\"%s\"", docs[i]);
    size_t load = (size_t)attr(html, t, "data-load");
    snprintf(t, sizeof t, ",%s\n", docs[i]);
    assert_int_equal(load, count(csv, t));
    total += load;
  }
  assert_int_equal(total, rows - blank);
  assert_int_equal(count(html, "<table id=\"uncovered\" data-count=\"1\""), 1);
  free(grid);
  free(csv);
  free(html);

  char *dom = browse("rota");
  char *dg = section(dom, "<table id=\"grid\"", "</table>");
  assert_int_equal(count(dg, "class=\"slot"), 9);
  assert_int_equal(count(dg, "class=\"slot uncovered"), 1);
  assert_int_equal(count(dom, "<tr data-doctor="), 4);
  free(dg);
  free(dom);
}

static void test_rota_html_escapes_ids_and_lanes_same_time_slots(
    void **state) {
  (void)state;
  write_file("rd.csv", "id,lat,lon,capacity\n"
                       "\"D<i>1\",48.1,6.4,100\n"
                       "D&2,48.1,6.4,100\n");
  /* two slots with the same site and times on one day: two lanes */
  write_file("rs.csv", "id,date,start,end,site,need\n"
                       "\"a<b>\",2024-03-04,08:00,12:00,\"m<s>p\",1\n"
                       "b,2024-03-04,08:00,12:00,\"m<s>p\",1\n"
                       "c,2024-03-05,08:00,12:00,\"m<s>p\",1\n");
  write_file("ra.csv", "doctor,date,start,end,level\n"
                       "\"D<i>1\",2024-03-04,00:00,24:00,available\n"
                       "D&2,2024-03-04,00:00,24:00,available\n");
  assert_int_equal(run(cpt_cmd_rota, "rota", "--doctors", "@rd.csv",
                       "--slots", "@rs.csv", "--availability", "@ra.csv",
                       "--out", "@rr.csv", "--html", "@rr.html", "--threads",
                       "1", NULL),
                   0);
  char *html = read_out("rr.html");
  assert_non_null(html);
  assert_null(strstr(html, "<i>"));
  assert_null(strstr(html, "<b>"));
  assert_null(strstr(html, "<s>"));
  assert_non_null(strstr(html, "data-slot=\"a&lt;b&gt;\""));
  assert_non_null(strstr(html, "D&lt;i&gt;1"));
  assert_non_null(strstr(html, "D&amp;2"));
  assert_non_null(strstr(html, "m&lt;s&gt;p"));
  char *grid = section(html, "<table id=\"grid\"", "</table>");
  assert_int_equal(count(grid, "<td class=\"slot"), 3);
  assert_int_equal(attr(grid, "<table", "data-rows"), 2);
  assert_int_equal(count(grid, "<td class=\"empty\""), 1);
  assert_int_equal(count(grid, "<td class=\"slot uncovered\" data-slot=\"c\""),
                   1);
  free(grid);
  free(html);
}

/* Beyond 80 doctors the per-doctor bars give way to a histogram of
 * deviations from target; the table still lists every doctor. */
static void test_rota_html_many_doctors_get_a_deviation_histogram(
    void **state) {
  (void)state;
  char p[256];
  path(p, sizeof p, "md.csv");
  FILE *fd = fopen(p, "w");
  path(p, sizeof p, "ma.csv");
  FILE *fa = fopen(p, "w");
  assert_non_null(fd);
  assert_non_null(fa);
  fputs("id,lat,lon,capacity\n", fd);
  fputs("doctor,date,start,end,level\n", fa);
  for (int d = 0; d < 90; d++) {
    fprintf(fd, "G%02d,48.1,6.4,100\n", d);
    fprintf(fa, "G%02d,2024-03-04,00:00,24:00,available\n", d);
  }
  fclose(fd);
  fclose(fa);
  write_file("ms.csv", "id,date,start,end,site,need\n"
                       "m1,2024-03-04,08:00,12:00,,3\n"
                       "m2,2024-03-04,14:00,18:00,,2\n");
  assert_int_equal(run(cpt_cmd_rota, "rota", "--doctors", "@md.csv",
                       "--slots", "@ms.csv", "--availability", "@ma.csv",
                       "--out", "@mr.csv", "--html", "@mr.html", "--threads",
                       "1", NULL),
                   0);
  char *html = read_out("mr.html");
  assert_non_null(html);
  assert_null(strstr(html, "id=\"rota-load-bars\""));
  char *h = section(html, "<svg id=\"rota-deviation\"", "</svg>");
  assert_int_equal(sum_attr(h, "<rect data-series=\"0\"", "data-value"), 90);
  free(h);
  assert_int_equal(count(html, "<tr data-doctor="), 90);
  assert_int_equal(sum_attr(html, "<tr data-doctor=", "data-load"), 5);
  free(html);
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/cptsopt-html-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_assign_html_counts_match_the_placements),
      cmocka_unit_test(test_depart_html_shows_the_leaving_doctor_and_waves),
      cmocka_unit_test(test_assign_html_coarsens_the_grid_of_scattered_patients),
      cmocka_unit_test(test_assign_html_escapes_every_input_string),
      cmocka_unit_test(test_failed_runs_write_no_html),
      cmocka_unit_test(test_rota_html_grid_has_one_cell_per_slot),
      cmocka_unit_test(test_rota_html_escapes_ids_and_lanes_same_time_slots),
      cmocka_unit_test(test_rota_html_many_doctors_get_a_deviation_histogram),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
