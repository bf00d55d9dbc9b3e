/*
 * html_assign.c — the --html page of `assign` and `depart` (html_assign.h).
 *
 * Map.  Patients are aggregated by location: a commune (location given by
 * commune code) or a cell of a regular lat/lon grid (explicit coordinates;
 * step 0.01° ≈ 1 km, doubled until there are at most MAX_CELLS cells), the
 * cell drawn at its centre, so that no exact address appears.  The
 * projection is equirectangular on the bounding box of the groups and the
 * doctors: x = (lon − lon_min)·cos(φ̄)·k, y = (lat_max − lat)·k, with φ̄ the
 * mean latitude of the box and k the largest scale that fits the box in
 * MAP_W × MAP_HMAX.  A group is a circle of area ∝ its patients (radius
 * R_MAX·√(n/n_max)); a doctor a square; a line joins a group to each doctor
 * its patients went to, stroke width ∝ the patients of that (group, doctor)
 * pair.  At most MAX_LINES lines are drawn, the heaviest first.  Unplaced
 * patients are rings around their group, one per reason, coloured by
 * reason.
 *
 * Loads.  A histogram of utilisation (list / capacity) before and after
 * for every doctor who stays, and, for the doctors who received the most
 * new patients (all of them up to SHOW_DOCTORS), a bar per doctor:
 * current list, new patients stacked on it, capacity outlined.
 */
#include "html_assign.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

#define MAX_CELLS 4000
#define MAX_LINES 20000
#define SHOW_DOCTORS 40
#define MAP_W 900.0
#define MAP_HMAX 1000.0
#define MAP_M 20.0
#define R_MAX 16.0
#define LINE_WMAX 5.0

static const char *const reason_colour[CPT_N_REASONS] = {
    "#2c7bb6", "#d62728", "#9467bd", "#ff7f0e",
    "#8c564b", "#7f7f7f", "#17becf", "#bcbd22"};

static const char *const reason_text[CPT_N_REASONS] = {
    "placed",
    "no doctor within the patient's maximum distance",
    "doctors in range, but none takes children / makes home visits as "
    "needed",
    "eligible doctors exist, all are full",
    "a doctor could take the patient, none the whole household",
    "placing the patient would lower the objective (weights)",
    "the solve stopped before a plan",
    "the per-wave intake limits leave no wave"};

/* --- Location groups and (group, doctor) pairs ---------------------------- */

typedef struct pkey {
  int32_t commune, qlat, qlon;
  uint32_t p;
} pkey;

static int cmp_pkey(const void *x, const void *y) {
  const pkey *a = x, *b = y;
  if (a->commune != b->commune) return a->commune < b->commune ? -1 : 1;
  if (a->qlat != b->qlat) return a->qlat < b->qlat ? -1 : 1;
  if (a->qlon != b->qlon) return a->qlon < b->qlon ? -1 : 1;
  return (a->p > b->p) - (a->p < b->p);
}

static int cmp_u64(const void *x, const void *y) {
  uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
  return (a > b) - (a < b);
}

typedef struct grp {
  double lat, lon;
  int32_t commune; /* −1: a grid cell */
  size_t n, placed;
  size_t why[CPT_N_REASONS];
} grp;

typedef struct map {
  grp *g;
  size_t ng;
  uint32_t *gix;   /* per patient: its group */
  uint64_t *pairs; /* (group << 32) | doctor, sorted, distinct */
  uint32_t *pair_n;
  size_t npairs;
  double step; /* grid step of explicit coordinates, degrees */
} map;

static void map_free(map *m) {
  free(m->g);
  free(m->gix);
  free(m->pairs);
  free(m->pair_n);
}

static bool by_commune(const cpt_loc *l) {
  return !l->explicit_coords && l->commune >= 0;
}

static void make_keys(const cpt_patients *P, double step, pkey *k) {
  for (size_t p = 0; p < P->n; p++) {
    const cpt_loc *l = &P->v[p].loc;
    if (by_commune(l))
      k[p] = (pkey){l->commune, 0, 0, (uint32_t)p};
    else
      k[p] = (pkey){-1, (int32_t)floor(l->lat / step),
                    (int32_t)floor(l->lon / step), (uint32_t)p};
  }
  qsort(k, P->n, sizeof *k, cmp_pkey);
}

static bool same_key(const pkey *a, const pkey *b) {
  return a->commune == b->commune && a->qlat == b->qlat && a->qlon == b->qlon;
}

static cpt_status build_map(const cpt_patients *P, const cpt_assign_result *r,
                            map *m) {
  memset(m, 0, sizeof *m);
  size_t n = P->n, one = n ? n : 1;
  pkey *k = malloc(one * sizeof *k);
  m->gix = malloc(one * sizeof *m->gix);
  m->g = calloc(one, sizeof *m->g);
  m->pairs = malloc(one * sizeof *m->pairs);
  m->pair_n = malloc(one * sizeof *m->pair_n);
  if (!k || !m->gix || !m->g || !m->pairs || !m->pair_n) {
    free(k);
    map_free(m);
    return CPT_ENOMEM;
  }
  for (m->step = 0.01;; m->step *= 2) {
    make_keys(P, m->step, k);
    size_t cells = 0;
    for (size_t i = 0; i < n; i++)
      cells += k[i].commune < 0 && (i == 0 || !same_key(&k[i - 1], &k[i]));
    if (cells <= MAX_CELLS || m->step > 1) break;
  }
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || !same_key(&k[i - 1], &k[i])) {
      grp *g = &m->g[m->ng++];
      const cpt_loc *l = &P->v[k[i].p].loc;
      g->commune = k[i].commune;
      g->lat = g->commune >= 0 ? l->lat : (k[i].qlat + 0.5) * m->step;
      g->lon = g->commune >= 0 ? l->lon : (k[i].qlon + 0.5) * m->step;
    }
    grp *g = &m->g[m->ng - 1];
    size_t p = k[i].p;
    m->gix[p] = (uint32_t)(m->ng - 1);
    g->n++;
    if (r->doctor_of[p] >= 0)
      g->placed++;
    else
      g->why[r->reason[p]]++;
  }
  free(k);
  size_t np = 0;
  for (size_t p = 0; p < n; p++)
    if (r->doctor_of[p] >= 0)
      m->pairs[np++] = (uint64_t)m->gix[p] << 32 | (uint32_t)r->doctor_of[p];
  qsort(m->pairs, np, sizeof *m->pairs, cmp_u64);
  for (size_t i = 0; i < np; i++) {
    if (m->npairs && m->pairs[m->npairs - 1] == m->pairs[i]) {
      m->pair_n[m->npairs - 1]++;
    } else {
      m->pairs[m->npairs] = m->pairs[i];
      m->pair_n[m->npairs++] = 1;
    }
  }
  return CPT_OK;
}

/* --- Projection ----------------------------------------------------------- */

typedef struct proj {
  double lon0, lat1, kx, k, w, h;
} proj;

static void bbox_add(double lat, double lon, double *b) {
  if (!isfinite(lat) || !isfinite(lon)) return;
  if (lat < b[0]) b[0] = lat;
  if (lat > b[1]) b[1] = lat;
  if (lon < b[2]) b[2] = lon;
  if (lon > b[3]) b[3] = lon;
}

static proj make_proj(const map *m, const cpt_doctors *D) {
  double b[4] = {INFINITY, -INFINITY, INFINITY, -INFINITY};
  for (size_t i = 0; i < m->ng; i++) bbox_add(m->g[i].lat, m->g[i].lon, b);
  for (size_t d = 0; d < D->n; d++)
    bbox_add(D->v[d].loc.lat, D->v[d].loc.lon, b);
  if (b[0] > b[1]) b[0] = b[1] = b[2] = b[3] = 0; /* nothing located */
  double pad = 0.005;
  b[0] -= pad, b[1] += pad, b[2] -= pad, b[3] += pad;
  proj pr;
  pr.kx = cos((b[0] + b[1]) / 2 * 3.14159265358979323846 / 180);
  if (pr.kx < 0.05) pr.kx = 0.05;
  pr.lon0 = b[2];
  pr.lat1 = b[1];
  double dx = (b[3] - b[2]) * pr.kx, dy = b[1] - b[0];
  double kw = (MAP_W - 2 * MAP_M) / dx, kh = (MAP_HMAX - 2 * MAP_M) / dy;
  pr.k = kw < kh ? kw : kh;
  pr.w = dx * pr.k + 2 * MAP_M;
  pr.h = dy * pr.k + 2 * MAP_M;
  return pr;
}

static double px(const proj *pr, double lon) {
  return MAP_M + (lon - pr->lon0) * pr->kx * pr->k;
}
static double py(const proj *pr, double lat) {
  return MAP_M + (pr->lat1 - lat) * pr->k;
}

/* --- Counts --------------------------------------------------------------- */

typedef struct counts {
  size_t n[1 + CPT_N_CATS], placed[1 + CPT_N_CATS]; /* [0] = all */
  size_t why[1 + CPT_N_CATS][CPT_N_REASONS];
} counts;

static void count(const cpt_patients *P, const cpt_assign_result *r,
                  counts *c) {
  memset(c, 0, sizeof *c);
  for (size_t p = 0; p < P->n; p++) {
    unsigned cats = cpt_patient_categories(&P->v[p]);
    bool placed = r->doctor_of[p] >= 0;
    for (int i = 0; i <= CPT_N_CATS; i++)
      if (i == 0 || (cats & (1u << (i - 1)))) {
        c->n[i]++;
        c->placed[i] += placed;
        if (!placed) c->why[i][r->reason[p]]++;
      }
  }
}

/* --- Sections ------------------------------------------------------------- */

static void put_group_title(FILE *f, const grp *g, const cpt_communes *C,
                            double step) {
  fputs("<title>", f);
  const cpt_commune *cm = g->commune >= 0 && C ? cpt_communes_get(C, g->commune)
                                               : NULL;
  if (cm) {
    cpt_html_esc(f, cm->name);
    fputs(" (", f);
    cpt_html_esc(f, cm->insee);
    fputc(')', f);
  } else {
    fprintf(f, "%.3f, %.3f (±%.3f°)", g->lat, g->lon, step / 2);
  }
  fprintf(f, ": %zu patients, %zu placed", g->n, g->placed);
  for (int k = 1; k < CPT_N_REASONS; k++)
    if (g->why[k]) fprintf(f, ", %zu %s", g->why[k], cpt_reason_name(k));
  fputs("</title>", f);
}

static int cmp_u32_desc(const void *x, const void *y) {
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return (a < b) - (a > b);
}

static void put_doctor(FILE *f, const proj *pr, const cpt_doctors *D,
                       const cpt_assign_result *r, size_t d) {
  const cpt_doctor *doc = &D->v[d];
  double side = r->leaving[d] ? 8 : 5;
  fprintf(f, "<rect class=\"doctor%s\" data-doctor=\"",
          r->leaving[d] ? " leaving" : "");
  cpt_html_esc(f, doc->id);
  fprintf(f, "\" x=\"%.1f\" y=\"%.1f\" width=\"%g\" height=\"%g\" "
             "fill=\"%s\"><title>",
          px(pr, doc->loc.lon) - side / 2, py(pr, doc->loc.lat) - side / 2,
          side, side, r->leaving[d] ? "#d62728" : "#222");
  cpt_html_esc(f, doc->id);
  if (r->leaving[d])
    fputs(" (leaving)", f);
  else
    fprintf(f, ": %d + %d new / %d", doc->current, r->new_load[d],
            doc->capacity);
  fputs("</title></rect>\n", f);
}

static cpt_status put_map(FILE *f, const cpt_doctors *D,
                          const cpt_assign_result *r, const cpt_communes *C,
                          const map *m, size_t unplaced) {
  proj pr = make_proj(m, D);
  /* the lines drawn: the heaviest MAX_LINES pairs (ties in pair order) */
  uint8_t *draw = malloc(m->npairs ? m->npairs : 1);
  if (!draw) return CPT_ENOMEM;
  memset(draw, 1, m->npairs);
  if (m->npairs > MAX_LINES) {
    uint32_t *v = malloc(m->npairs * sizeof *v);
    if (!v) {
      free(draw);
      return CPT_ENOMEM;
    }
    memcpy(v, m->pair_n, m->npairs * sizeof *v);
    qsort(v, m->npairs, sizeof *v, cmp_u32_desc);
    uint32_t thr = v[MAX_LINES - 1];
    free(v);
    size_t quota = MAX_LINES;
    for (size_t i = 0; i < m->npairs; i++) quota -= m->pair_n[i] > thr;
    for (size_t i = 0; i < m->npairs; i++)
      draw[i] = m->pair_n[i] > thr ||
                (m->pair_n[i] == thr && quota > 0 && quota--);
  }
  size_t nmax = 1, lmax = 1, nlines = 0;
  for (size_t i = 0; i < m->ng; i++)
    if (m->g[i].n > nmax) nmax = m->g[i].n;
  for (size_t i = 0; i < m->npairs; i++) {
    if (m->pair_n[i] > lmax) lmax = m->pair_n[i];
    nlines += draw[i];
  }
  fprintf(f, "<h2>Map</h2>\n<p class=\"note\">Patients grouped by commune "
             "(or by %.2f° grid cell when located by coordinates): circle "
             "area ∝ patients; squares: doctors; lines: where a group's "
             "patients were placed, width ∝ patients.",
          m->step);
  if (nlines < m->npairs)
    fprintf(f, " The %zu heaviest of %zu lines are drawn.", nlines,
            m->npairs);
  fputs("</p>\n", f);
  fprintf(f, "<svg id=\"map\" data-communes=\"%zu\" data-doctors=\"%zu\" "
             "data-lines=\"%zu\" data-pairs=\"%zu\" data-unplaced=\"%zu\" "
             "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
             "role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">\n"
             "<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\" "
             "stroke=\"#ccc\"/>\n",
          m->ng, D->n, nlines, m->npairs, unplaced, ceil(pr.w), ceil(pr.h),
          ceil(pr.w), ceil(pr.h));
  fputs("<g id=\"lines\" stroke=\"#2c7bb6\" stroke-opacity=\".35\" "
        "stroke-linecap=\"round\">\n",
        f);
  for (size_t i = 0; i < m->npairs; i++) {
    if (!draw[i]) continue;
    const grp *g = &m->g[m->pairs[i] >> 32];
    const cpt_doctor *d = &D->v[m->pairs[i] & 0xffffffffu];
    double w = LINE_WMAX * m->pair_n[i] / (double)lmax;
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
               "stroke-width=\"%.2f\"/>\n",
            px(&pr, g->lon), py(&pr, g->lat), px(&pr, d->loc.lon),
            py(&pr, d->loc.lat), w < 0.4 ? 0.4 : w);
  }
  free(draw);
  fputs("</g>\n<g id=\"communes\" fill=\"#6baed6\" fill-opacity=\".55\" "
        "stroke=\"#08519c\" stroke-width=\".5\">\n",
        f);
  for (size_t i = 0; i < m->ng; i++) {
    const grp *g = &m->g[i];
    double rad = R_MAX * sqrt((double)g->n / (double)nmax);
    fprintf(f, "<circle class=\"commune\" data-patients=\"%zu\" "
               "data-placed=\"%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\">",
            g->n, g->placed, px(&pr, g->lon), py(&pr, g->lat),
            rad < 1.2 ? 1.2 : rad);
    put_group_title(f, g, C, m->step);
    fputs("</circle>\n", f);
  }
  fputs("</g>\n<g id=\"unplaced\" fill=\"none\" stroke-width=\"2\">\n", f);
  for (size_t i = 0; i < m->ng; i++) {
    const grp *g = &m->g[i];
    double rad = R_MAX * sqrt((double)g->n / (double)nmax);
    int j = 0;
    for (int k = 1; k < CPT_N_REASONS; k++) {
      if (!g->why[k]) continue;
      fprintf(f, "<circle class=\"ring\" data-reason=\"%s\" "
                 "data-count=\"%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
                 "stroke=\"%s\"><title>%zu unplaced: %s</title></circle>\n",
              cpt_reason_name(k), g->why[k], px(&pr, g->lon),
              py(&pr, g->lat), (rad < 1.2 ? 1.2 : rad) + 2.5 + 2.5 * j,
              reason_colour[k], g->why[k], cpt_reason_name(k));
      j++;
    }
  }
  fputs("</g>\n<g id=\"doctors\" stroke=\"#fff\" stroke-width=\".4\">\n", f);
  for (int pass = 0; pass < 2; pass++) /* leaving doctors on top */
    for (size_t d = 0; d < D->n; d++)
      if (r->leaving[d] == pass) put_doctor(f, &pr, D, r, d);
  fputs("</g>\n</svg>\n", f);
  const char *names[3 + CPT_N_REASONS], *colours[3 + CPT_N_REASONS];
  char buf[CPT_N_REASONS][96];
  size_t n = 0;
  names[n] = "doctor";
  colours[n++] = "#222";
  names[n] = "patients (circle)";
  colours[n++] = "#6baed6";
  for (size_t d = 0; d < D->n; d++)
    if (r->leaving[d]) {
      names[n] = "leaving doctor";
      colours[n++] = "#d62728";
      break;
    }
  size_t tot[CPT_N_REASONS] = {0};
  for (size_t i = 0; i < m->ng; i++)
    for (int k = 1; k < CPT_N_REASONS; k++) tot[k] += m->g[i].why[k];
  for (int k = 1; k < CPT_N_REASONS; k++)
    if (tot[k]) {
      snprintf(buf[k], sizeof buf[k], "unplaced: %s (%zu)",
               cpt_reason_name(k), tot[k]);
      names[n] = buf[k];
      colours[n++] = reason_colour[k];
    }
  cpt_html_legend(f, n, names, colours);
  return CPT_OK;
}

/* Utilisation bins: 20 of 5 % below full, exactly full, over capacity. */
#define UBINS 22
static int ubin(double u) {
  if (u > 1 + 1e-9) return UBINS - 1;
  if (u >= 1 - 1e-9) return UBINS - 2;
  int b = (int)floor(u * 20);
  return b < 0 ? 0 : b > 19 ? 19 : b;
}

typedef struct dnew {
  int32_t d, n;
} dnew;

static int cmp_dnew(const void *x, const void *y) {
  const dnew *a = x, *b = y;
  if (a->n != b->n) return a->n < b->n ? 1 : -1;
  return (a->d > b->d) - (a->d < b->d);
}

static cpt_status put_loads(FILE *f, const cpt_doctors *D,
                            const cpt_assign_result *r) {
  double before[UBINS] = {0}, after[UBINS] = {0};
  char lab[UBINS][16];
  const char *labels[UBINS];
  for (int b = 0; b < UBINS; b++) {
    if (b < 20)
      snprintf(lab[b], sizeof lab[b], "%d–%d%%", 5 * b, 5 * b + 5);
    else
      snprintf(lab[b], sizeof lab[b], b == 20 ? "full" : "over");
    labels[b] = lab[b];
  }
  size_t staying = 0, with_new = 0;
  long long cur = 0, add = 0, cap = 0;
  for (size_t d = 0; d < D->n; d++) {
    const cpt_doctor *doc = &D->v[d];
    if (r->leaving[d] || doc->capacity <= 0) continue;
    staying++;
    with_new += r->new_load[d] > 0;
    cur += doc->current;
    add += r->new_load[d];
    cap += doc->capacity;
    before[ubin((double)doc->current / doc->capacity)]++;
    after[ubin((double)(doc->current + r->new_load[d]) / doc->capacity)]++;
  }
  fprintf(f, "<h2>Doctors' load</h2>\n<p class=\"note\">%zu doctors who stay "
             "(with a capacity): lists %lld before, %lld after (+%lld), "
             "capacity %lld; %zu received new patients.  Utilisation = list "
             "/ capacity.</p>\n",
          staying, cur, cur + add, add, cap, with_new);
  cpt_html_series s[2] = {{"before", "#9ecae1", before},
                          {"after", "#08519c", after}};
  cpt_html_bars(f, "utilisation", UBINS, labels, 2, s, "utilisation",
                "doctors");

  dnew *v = malloc((D->n ? D->n : 1) * sizeof *v);
  if (!v) return CPT_ENOMEM;
  size_t n = 0;
  for (size_t d = 0; d < D->n; d++)
    if (r->new_load[d] > 0) v[n++] = (dnew){(int32_t)d, r->new_load[d]};
  qsort(v, n, sizeof *v, cmp_dnew);
  size_t show = n < SHOW_DOCTORS ? n : SHOW_DOCTORS;
  if (!show) {
    fputs("<p>No doctor received new patients.</p>\n", f);
    free(v);
    return CPT_OK;
  }
  double vmax = 1;
  for (size_t i = 0; i < show; i++) {
    const cpt_doctor *doc = &D->v[v[i].d];
    double hi = doc->capacity > doc->current + v[i].n
                    ? doc->capacity : doc->current + v[i].n;
    if (hi > vmax) vmax = hi;
  }
  fprintf(f, "<p class=\"note\">%s %zu doctors who received the most new "
             "patients: current list, new patients, capacity (outline).</p>\n",
          show < n ? "The" : "All", show);
  enum { LX = 150, BWID = 600, RH = 16 };
  fprintf(f, "<svg id=\"doctor-loads\" data-doctors=\"%zu\" "
             "data-with-new=\"%zu\" viewBox=\"0 0 900 %zu\" width=\"900\" "
             "height=\"%zu\" role=\"img\" "
             "xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">\n",
          show, n, show * RH + 8, show * RH + 8);
  for (size_t i = 0; i < show; i++) {
    const cpt_doctor *doc = &D->v[v[i].d];
    double y = 4 + (double)i * RH, k = BWID / vmax;
    fputs("<g class=\"dload\" data-doctor=\"", f);
    cpt_html_esc(f, doc->id);
    fprintf(f, "\" data-before=\"%d\" data-new=\"%d\" data-capacity=\"%d\">"
               "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
            doc->current, v[i].n, doc->capacity, LX - 6, y + 11);
    cpt_html_esc(f, doc->id);
    fprintf(f, "</text><rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" "
               "height=\"12\" fill=\"#9ecae1\"/>"
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" "
               "fill=\"#fd8d3c\"/>"
               "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"12\" "
               "fill=\"none\" stroke=\"#333\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">%d + %d / %d</text></g>\n",
            LX, y, doc->current * k, LX + doc->current * k, y, v[i].n * k,
            LX, y, doc->capacity * k, LX + BWID + 8.0, y + 11, doc->current,
            v[i].n, doc->capacity);
  }
  fputs("</svg>\n", f);
  const char *names[3] = {"current list", "new patients", "capacity"};
  const char *colours[3] = {"#9ecae1", "#fd8d3c", "#fff"};
  cpt_html_legend(f, 3, names, colours);
  free(v);
  return CPT_OK;
}

static void put_categories(FILE *f, const counts *c) {
  fputs("<h2>Placed and unplaced by priority category</h2>\n"
        "<table id=\"categories\">\n<thead><tr><th>category</th>"
        "<th>patients</th><th>placed</th><th>unplaced</th><th>placed %</th>",
        f);
  for (int k = 1; k < CPT_N_REASONS; k++)
    if (c->why[0][k]) fprintf(f, "<th>%s</th>", cpt_reason_name(k));
  fputs("</tr></thead>\n<tbody>\n", f);
  for (int i = 0; i <= CPT_N_CATS; i++) {
    const char *name = i ? cpt_category_name(i - 1) : "all";
    size_t un = c->n[i] - c->placed[i];
    fprintf(f, "<tr data-category=\"%s\" data-patients=\"%zu\" "
               "data-placed=\"%zu\" data-unplaced=\"%zu\"><td>%s</td>"
               "<td>%zu</td><td>%zu</td><td>%zu</td><td>",
            name, c->n[i], c->placed[i], un, name, c->n[i], c->placed[i],
            un);
    if (c->n[i])
      fprintf(f, "%.1f", 100.0 * (double)c->placed[i] / (double)c->n[i]);
    else
      fputs("–", f);
    fputs("</td>", f);
    for (int k = 1; k < CPT_N_REASONS; k++)
      if (c->why[0][k]) fprintf(f, "<td>%zu</td>", c->why[i][k]);
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table>\n<p class=\"note\">A patient may be in several "
        "categories (an ALD patient over 70 counts in both).</p>\n"
        "<table id=\"reasons\">\n<thead><tr><th>unplaced because</th>"
        "<th>patients</th><th style=\"text-align:left\">meaning</th></tr></thead>\n<tbody>\n",
        f);
  for (int k = 1; k < CPT_N_REASONS; k++)
    fprintf(f, "<tr data-reason=\"%s\" data-count=\"%zu\"><td><i class=\"sw\" "
               "style=\"background:%s\"></i>%s</td><td>%zu</td>"
               "<td style=\"text-align:left\">%s</td></tr>\n",
            cpt_reason_name(k), c->why[0][k], reason_colour[k],
            cpt_reason_name(k), c->why[0][k], reason_text[k]);
  fputs("</tbody></table>\n", f);
}

static void put_distances(FILE *f, const cpt_patients *P,
                          const cpt_assign_result *r, size_t placed) {
  double dmax = 0, sum = 0;
  for (size_t p = 0; p < P->n; p++)
    if (r->doctor_of[p] >= 0 && isfinite(r->distance_km[p])) {
      sum += r->distance_km[p];
      if (r->distance_km[p] > dmax) dmax = r->distance_km[p];
    }
  static const double steps[] = {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500};
  double step = 1000;
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
    if (dmax / steps[i] < 30) {
      step = steps[i];
      break;
    }
  size_t nb = (size_t)floor(dmax / step) + 1;
  if (nb > 40) nb = 40;
  double v[40] = {0};
  char lab[40][40];
  const char *labels[40];
  for (size_t b = 0; b < nb; b++) {
    snprintf(lab[b], sizeof lab[b], "%g–%g", step * (double)b,
             step * (double)(b + 1));
    labels[b] = lab[b];
  }
  for (size_t p = 0; p < P->n; p++)
    if (r->doctor_of[p] >= 0 && isfinite(r->distance_km[p])) {
      size_t b = (size_t)floor(r->distance_km[p] / step);
      v[b < nb ? b : nb - 1]++;
    }
  fprintf(f, "<h2>Distance to the doctor</h2>\n<figure id=\"distance-figure\" "
             "data-placed=\"%zu\" style=\"margin:0\">\n"
             "<p class=\"note\">Placed patients by distance to their new "
             "doctor (bins of %g km); mean ",
          placed, step);
  cpt_html_num(f, placed ? sum / (double)placed : 0, 1);
  fputs(" km, max ", f);
  cpt_html_num(f, dmax, 1);
  fputs(" km.</p>\n", f);
  cpt_html_series s = {"patients", "#2c7bb6", v};
  cpt_html_bars(f, "distances", nb, labels, 1, &s, "km", "patients");
  fputs("</figure>\n", f);
}

static void put_summary(FILE *f, const cpt_doctors *D, const cpt_patients *P,
                        const cpt_assign_result *r, const counts *c,
                        const cpt_assign_report_info *info) {
  size_t staying = 0;
  for (size_t d = 0; d < D->n; d++) staying += !r->leaving[d];
  fprintf(f, "<dl class=\"kv\" id=\"summary\" data-patients=\"%zu\" "
             "data-placed=\"%zu\" data-unplaced=\"%zu\" data-doctors=\"%zu\">"
             "\n<dt>status</dt><dd>%s (method %s, %.2f s)</dd>\n"
             "<dt>objective</dt><dd>",
          P->n, c->placed[0], c->n[0] - c->placed[0], D->n,
          cpt_solve_status_name(r->status), cpt_assign_method_name(r->method),
          r->time_s);
  cpt_html_num(f, r->objective, 2);
  fputs(" (bound ", f);
  cpt_html_num(f, r->bound, 2);
  fprintf(f, ", gap %.4f %%)</dd>\n<dt>patients to place</dt><dd>%zu</dd>\n"
             "<dt>placed</dt><dd>%zu (%.1f %%)</dd>\n"
             "<dt>unplaced</dt><dd>%zu</dd>\n"
             "<dt>doctors</dt><dd>%zu (%zu staying)</dd>\n",
          100.0 * r->gap, P->n, c->placed[0],
          P->n ? 100.0 * (double)c->placed[0] / (double)P->n : 0.0,
          c->n[0] - c->placed[0], D->n, staying);
  if (info->n_leaving) {
    fputs("<dt>leaving</dt><dd id=\"leaving\">", f);
    for (size_t i = 0; i < info->n_leaving; i++) {
      if (i) fputs(", ", f);
      cpt_html_esc(f, info->leaving[i]);
    }
    fputs("</dd>\n", f);
  }
  fputs("</dl>\n", f);
  if (info->waves > 1) {
    fputs("<table id=\"waves\"><thead><tr><th>wave</th><th>placed</th></tr>"
          "</thead><tbody>\n",
          f);
    for (int32_t w = 1; w <= info->waves; w++) {
      size_t n = 0;
      for (size_t p = 0; p < P->n; p++) n += r->wave[p] == w;
      fprintf(f, "<tr data-wave=\"%d\" data-placed=\"%zu\"><td>%d</td>"
                 "<td>%zu</td></tr>\n",
              w, n, w, n);
    }
    fputs("</tbody></table>\n", f);
  }
}

cpt_status cpt_html_assign(FILE *f, const cpt_doctors *D,
                           const cpt_patients *P, const cpt_assign_result *r,
                           const cpt_communes *communes,
                           const cpt_assign_report_info *info) {
  counts c;
  count(P, r, &c);
  map m;
  cpt_status st = build_map(P, r, &m);
  if (st != CPT_OK) return st;
  char title[64];
  snprintf(title, sizeof title, "cptsopt %s — report", info->command);
  cpt_html_begin(f, title);
  put_summary(f, D, P, r, &c, info);
  st = put_map(f, D, r, communes, &m, c.n[0] - c.placed[0]);
  if (st == CPT_OK) st = put_loads(f, D, r);
  if (st == CPT_OK) {
    put_categories(f, &c);
    put_distances(f, P, r, c.placed[0]);
    cpt_html_end(f);
  }
  map_free(&m);
  return st;
}
