/*
 * html_rota.c — the --html page of `rota` (html_rota.h).
 *
 * Week grid.  As on the terminal (cpt_rota_print_grid): one column per
 * day of the rota, one row per (site, start minute of day, duration).  A
 * day may hold several slots with the same row key (same site and times,
 * different ids): they go to extra lanes of that row, so that every slot
 * is exactly one cell <td class="slot" data-slot="ID">.  A slot short of
 * doctors is class "uncovered" with data-reason and one "— reason" line
 * per missing doctor.
 *
 * Loads.  Per doctor (id order): history, slots of this rota, target
 * (cumulative, history included) and deviation = history + load − target;
 * a bar per doctor (history, then this rota, the target as a tick) up to
 * MAX_BARS doctors, a histogram of the deviations beyond.
 */
#include "html_rota.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../models/instance.h"
#include "html.h"

#define MAX_BARS 80

static const char *const weekday[7] = {"Mon", "Tue", "Wed", "Thu",
                                       "Fri", "Sat", "Sun"};

typedef struct rkey {
  const char *site; /* "" when none */
  int mod;          /* start minute of day */
  int64_t len;      /* duration, minutes */
  int32_t day;      /* day index of the rota */
  int64_t start;
  const char *id;
  int32_t s;
} rkey;

static int cmp_base(const rkey *a, const rkey *b) {
  int c = strcmp(a->site, b->site);
  if (c) return c;
  if (a->mod != b->mod) return a->mod < b->mod ? -1 : 1;
  if (a->len != b->len) return a->len < b->len ? -1 : 1;
  return 0;
}

static int cmp_rkey(const void *x, const void *y) {
  const rkey *a = x, *b = y;
  int c = cmp_base(a, b);
  if (c) return c;
  if (a->day != b->day) return a->day < b->day ? -1 : 1;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  return strcmp(a->id, b->id);
}

static const char *reason_label(uint8_t r) {
  switch (r) {
  case CPT_UNCOV_NOBODY_AVAILABLE: return "nobody available";
  case CPT_UNCOV_REST_RULE: return "rest / overlap rule";
  case CPT_UNCOV_AT_LIMIT: return "everyone at limit";
  case CPT_UNCOV_NOT_WORTHWHILE: return "not worthwhile";
  default: return "uncovered";
  }
}

static void put_slot_cell(FILE *f, const cpt_doctors *D, const int32_t *dord,
                          const cpt_slots *S, const cpt_rota_solution *sol,
                          size_t s) {
  const cpt_slot *sl = &S->v[s];
  bool un = sol->under[s] > 0;
  fprintf(f, "<td class=\"slot%s%s\" data-slot=\"", un ? " uncovered" : "",
          sl->kind == CPT_SLOT_PDSA ? " pdsa" : "");
  cpt_html_esc(f, sl->id);
  fprintf(f, "\" data-need=\"%d\" data-covered=\"%d\"", sl->need,
          sol->covered[s]);
  if (un)
    fprintf(f, " data-reason=\"%s\" data-missing=\"%d\"",
            cpt_uncovered_reason_name(sol->reason[s]), sol->under[s]);
  fputs("><span class=\"sid\">", f);
  cpt_html_esc(f, sl->id);
  if (sl->kind == CPT_SLOT_PDSA) fputs(" · pdsa", f);
  fputs("</span>", f);
  bool first = true;
  for (size_t j = 0; j < D->n; j++) {
    size_t d = (size_t)dord[j];
    if (!sol->y[d * S->n + s]) continue;
    if (!first) fputs("<br>", f);
    cpt_html_esc(f, D->v[d].id);
    first = false;
  }
  for (int32_t k = 0; k < sol->under[s]; k++) {
    if (!first) fputs("<br>", f);
    fprintf(f, "<span class=\"miss\">— %s</span>",
            reason_label(sol->reason[s]));
    first = false;
  }
  if (first) fputs("·", f); /* need 0 and nobody on it */
  fputs("</td>", f);
}

static cpt_status put_grid(FILE *f, const cpt_doctors *D, const cpt_slots *S,
                           const cpt_rota *R, const cpt_rota_solution *sol) {
  size_t ns = S->n, nd = R->n_days;
  fputs("<h2>Week grid</h2>\n", f);
  if (!ns) {
    fputs("<p>No slots.</p>\n<table id=\"grid\" data-slots=\"0\"></table>\n",
          f);
    return CPT_OK;
  }
  rkey *k = malloc(ns * sizeof *k);
  size_t *row_of = malloc(ns * sizeof *row_of);
  int32_t *cell = NULL, *dord = cpt_rota_doctor_order(D);
  cpt_status st = CPT_ENOMEM;
  if (!k || !row_of || !dord) goto done;
  for (size_t s = 0; s < ns; s++) {
    const cpt_slot *sl = &S->v[s];
    k[s] = (rkey){sl->site ? sl->site : "",
                  (int)(sl->start - cpt_rota_day_of(sl->start) *
                                        CPT_MIN_PER_DAY),
                  sl->end - sl->start, R->slot_day[s], sl->start, sl->id,
                  (int32_t)s};
  }
  qsort(k, ns, sizeof *k, cmp_rkey);
  /* rows: a new one for a new base key, or for the next lane of a day */
  size_t nrows = 0, base_first = 0, lane = 0;
  for (size_t i = 0; i < ns; i++) {
    if (i == 0 || cmp_base(&k[i - 1], &k[i])) {
      base_first = nrows;
      lane = 0;
      nrows++;
    } else if (k[i - 1].day == k[i].day) {
      lane++;
      if (base_first + lane == nrows) nrows++;
    } else {
      lane = 0;
    }
    row_of[i] = base_first + lane;
  }
  cell = malloc(nrows * (nd ? nd : 1) * sizeof *cell);
  if (!cell) goto done;
  for (size_t i = 0; i < nrows * nd; i++) cell[i] = -1;
  for (size_t i = 0; i < ns; i++)
    cell[row_of[i] * nd + (size_t)k[i].day] = (int32_t)i;
  fprintf(f, "<table id=\"grid\" data-slots=\"%zu\" data-days=\"%zu\" "
             "data-rows=\"%zu\">\n<thead><tr><th>site</th><th>time</th>",
          ns, nd, nrows);
  for (size_t d = 0; d < nd; d++) {
    int y, m, dd;
    cpt_rota_civil(R->days[d], &y, &m, &dd);
    int wd = (int)(((R->days[d] % 7) + 7 + 5) % 7); /* 2000-01-01: Sat */
    fprintf(f, "<th data-date=\"%04d-%02d-%02d\">%s %02d/%02d</th>", y, m, dd,
            weekday[wd], dd, m);
  }
  fputs("</tr></thead>\n<tbody>\n", f);
  for (size_t r = 0; r < nrows; r++) {
    const rkey *key = NULL; /* any slot of the row */
    for (size_t d = 0; d < nd && !key; d++)
      if (cell[r * nd + d] >= 0) key = &k[cell[r * nd + d]];
    const cpt_slot *sl = &S->v[key->s];
    char t0[6], t1[6];
    fputs("<tr><th>", f);
    cpt_html_esc(f, sl->site ? sl->site : "–");
    fprintf(f, "</th><th>%s–%s</th>", cpt_rota_fmt_time(sl->start, t0),
            cpt_rota_fmt_time(sl->end, t1));
    for (size_t d = 0; d < nd; d++) {
      int32_t i = cell[r * nd + d];
      if (i < 0)
        fputs("<td class=\"empty\"></td>", f);
      else
        put_slot_cell(f, D, dord, S, sol, (size_t)k[i].s);
    }
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table>\n", f);
  st = CPT_OK;
done:
  free(k);
  free(row_of);
  free(cell);
  free(dord);
  return st;
}

static cpt_status put_uncovered(FILE *f, const cpt_slots *S,
                                const cpt_rota_solution *sol) {
  int32_t *so = cpt_rota_slot_order(S);
  if (!so) return CPT_ENOMEM;
  size_t n = 0;
  for (size_t s = 0; s < S->n; s++) n += sol->under[s] > 0;
  fprintf(f, "<h2>Uncovered slots</h2>\n<table id=\"uncovered\" "
             "data-count=\"%zu\">\n<thead><tr><th>slot</th><th>date</th>"
             "<th>time</th><th>site</th><th>need</th><th>covered</th>"
             "<th>missing</th><th>reason</th></tr></thead>\n<tbody>\n",
          n);
  for (size_t i = 0; i < S->n; i++) {
    size_t s = (size_t)so[i];
    if (sol->under[s] <= 0) continue;
    const cpt_slot *sl = &S->v[s];
    char date[11], t0[6], t1[6];
    fprintf(f, "<tr data-reason=\"%s\"><td>",
            cpt_uncovered_reason_name(sol->reason[s]));
    cpt_html_esc(f, sl->id);
    fprintf(f, "</td><td>%s</td><td>%s–%s</td><td>",
            cpt_rota_fmt_date(sl->start, date),
            cpt_rota_fmt_time(sl->start, t0), cpt_rota_fmt_time(sl->end, t1));
    cpt_html_esc(f, sl->site ? sl->site : "–");
    fprintf(f, "</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td></tr>\n",
            sl->need, sol->covered[s], sol->under[s],
            reason_label(sol->reason[s]));
  }
  if (!n) fputs("<tr><td colspan=\"8\">none: every slot is staffed</td></tr>\n", f);
  fputs("</tbody></table>\n", f);
  free(so);
  return CPT_OK;
}

static void put_load_bars(FILE *f, const cpt_doctors *D, const int32_t *dord,
                          const cpt_rota *R, const cpt_rota_solution *sol) {
  double vmax = 1;
  for (size_t d = 0; d < D->n; d++) {
    double tot = (double)R->hist[d] + sol->load[d];
    if (tot > vmax) vmax = tot;
    if (R->target[d] > vmax) vmax = R->target[d];
  }
  enum { LX = 150, BWID = 600, RH = 16 };
  double k = BWID / vmax;
  fprintf(f, "<svg id=\"rota-load-bars\" data-doctors=\"%zu\" "
             "viewBox=\"0 0 900 %zu\" width=\"900\" height=\"%zu\" "
             "role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" "
             "font-size=\"11\">\n",
          D->n, D->n * RH + 8, D->n * RH + 8);
  for (size_t j = 0; j < D->n; j++) {
    size_t d = (size_t)dord[j];
    double y = 4 + (double)j * RH, h = (double)R->hist[d];
    double tx = LX + R->target[d] * k;
    fputs("<g><text x=\"144\" y=\"", f);
    cpt_html_num(f, y + 11, 1);
    fputs("\" text-anchor=\"end\">", f);
    cpt_html_esc(f, D->v[d].id);
    fprintf(f, "</text><rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" "
               "height=\"12\" fill=\"#c6dbef\"/><rect x=\"%.1f\" y=\"%.1f\" "
               "width=\"%.1f\" height=\"12\" fill=\"#08519c\"/>"
               "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
               "stroke=\"#d62728\" stroke-width=\"2\"/><text x=\"%d\" "
               "y=\"%.1f\">%lld + %d / ",
            LX, y, h * k, LX + h * k, y, sol->load[d] * k, tx, y - 1, tx,
            y + 13, LX + BWID + 8, y + 11, (long long)R->hist[d],
            sol->load[d]);
    cpt_html_num(f, R->target[d], 2);
    fputs("</text></g>\n", f);
  }
  fputs("</svg>\n", f);
  const char *names[3] = {"history", "this rota", "target"};
  const char *colours[3] = {"#c6dbef", "#08519c", "#d62728"};
  cpt_html_legend(f, 3, names, colours);
}

static void put_deviation_hist(FILE *f, const cpt_doctors *D,
                               const cpt_rota_solution *sol) {
  /* integer bins of deviation, ≤ −5 and ≥ 5 pooled */
  double v[11] = {0};
  char lab[11][16];
  const char *labels[11];
  for (int b = 0; b < 11; b++) {
    if (b == 0)
      snprintf(lab[b], sizeof lab[b], "≤ −5");
    else if (b == 10)
      snprintf(lab[b], sizeof lab[b], "≥ 5");
    else
      snprintf(lab[b], sizeof lab[b], "%d", b - 5);
    labels[b] = lab[b];
  }
  for (size_t d = 0; d < D->n; d++) {
    long b = lround(sol->deviation[d]) + 5;
    v[b < 0 ? 0 : b > 10 ? 10 : b]++;
  }
  cpt_html_series s = {"doctors", "#08519c", v};
  cpt_html_bars(f, "rota-deviation", 11, labels, 1, &s,
                "history + load − target (slots)", "doctors");
}

static cpt_status put_loads(FILE *f, const cpt_doctors *D, const cpt_rota *R,
                            const cpt_rota_solution *sol) {
  int32_t *dord = cpt_rota_doctor_order(D);
  if (!dord) return CPT_ENOMEM;
  fprintf(f, "<h2>Load against target</h2>\n<p class=\"note\">Target: "
             "the doctor's column, else an equal share (");
  cpt_html_num(f, R->equal_share, 2);
  fputs(" slots), history included.</p>\n", f);
  if (D->n <= MAX_BARS)
    put_load_bars(f, D, dord, R, sol);
  else
    put_deviation_hist(f, D, sol);
  fprintf(f, "<table id=\"rota-loads\" data-doctors=\"%zu\">\n<thead><tr>"
             "<th>doctor</th><th>history</th><th>this rota</th><th>target"
             "</th><th>deviation</th><th>max slots</th></tr></thead>\n"
             "<tbody>\n",
          D->n);
  for (size_t j = 0; j < D->n; j++) {
    size_t d = (size_t)dord[j];
    fputs("<tr data-doctor=\"", f);
    cpt_html_esc(f, D->v[d].id);
    fprintf(f, "\" data-load=\"%d\"><td>", sol->load[d]);
    cpt_html_esc(f, D->v[d].id);
    fprintf(f, "</td><td>%lld</td><td>%d</td><td>", (long long)R->hist[d],
            sol->load[d]);
    cpt_html_num(f, R->target[d], 2);
    fputs("</td><td>", f);
    cpt_html_num(f, sol->deviation[d], 2);
    fputs("</td><td>", f);
    if (R->max_slots[d] >= 0)
      fprintf(f, "%d", R->max_slots[d]);
    else
      fputs("–", f);
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody></table>\n", f);
  free(dord);
  return CPT_OK;
}

static void put_summary(FILE *f, const cpt_slots *S,
                        const cpt_rota_solution *sol,
                        const cpt_rota_report_info *info) {
  size_t need = 0, cov = 0, missing = 0, nun = 0;
  for (size_t s = 0; s < S->n; s++) {
    need += (size_t)S->v[s].need;
    cov += (size_t)sol->covered[s];
    missing += (size_t)sol->under[s];
    nun += sol->under[s] > 0;
  }
  fprintf(f, "<dl class=\"kv\" id=\"summary\" data-slots=\"%zu\" "
             "data-need=\"%zu\" data-assigned=\"%zu\" data-missing=\"%zu\" "
             "data-uncovered=\"%zu\">\n<dt>status</dt><dd>%s (method %s, "
             "%.2f s)</dd>\n<dt>objective</dt><dd>",
          S->n, need, cov, missing, nun, cpt_solve_status_name(sol->status),
          info->method, sol->time_s);
  cpt_html_num(f, sol->objective, 4);
  fputs(" (bound ", f);
  cpt_html_num(f, sol->bound, 4);
  fprintf(f, ", gap %.3f %%)</dd>\n<dt>slots</dt><dd>%zu, %zu doctors "
             "needed, %zu assigned, %zu missing in %zu slots</dd>\n"
             "<dt>terms</dt><dd>under ",
          sol->status == CPT_SOLVE_OPTIMAL ? 0.0 : 100.0 * sol->gap, S->n,
          need, cov, missing, nun);
  const double t[5] = {sol->term_under, sol->term_over, sol->term_preferred,
                       sol->term_fair, sol->term_change};
  const char *tn[5] = {"under", "over", "preferred", "fair", "change"};
  for (int i = 0; i < 5; i++) {
    if (i) fprintf(f, ", %s ", tn[i]);
    cpt_html_num(f, t[i], 4);
  }
  fputs("</dd>\n", f);
  if (info->previous) {
    fputs("<dt>re-planned from</dt><dd>", f);
    cpt_html_esc(f, info->previous);
    fputs("</dd>\n", f);
  }
  fputs("</dl>\n", f);
}

cpt_status cpt_html_rota(FILE *f, const cpt_doctors *D, const cpt_slots *S,
                         const cpt_rota *R, const cpt_rota_solution *sol,
                         const cpt_rota_report_info *info) {
  cpt_html_begin(f, "cptsopt rota — report");
  put_summary(f, S, sol, info);
  cpt_status st = put_grid(f, D, S, R, sol);
  if (st == CPT_OK) st = put_uncovered(f, S, sol);
  if (st == CPT_OK) st = put_loads(f, D, R, sol);
  if (st == CPT_OK) cpt_html_end(f);
  return st;
}
