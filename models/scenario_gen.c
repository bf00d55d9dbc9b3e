/*
 * scenario_gen.c — the scenario generator's entry point (scenario_gen.h):
 * parameters and their checks, the figures of datasets/PARAMETERS.md, the
 * calendar of the rota week, and the order of the phases:
 *
 *   density (national normalisers, s_c, expected GPs per commune)
 *   → doctors and sites → SNP sectors → departing doctors
 *   → doctors.csv → patients.csv (streamed) → departure_patients.csv
 *   → slots.csv and availability.csv.
 *
 * Each phase lives in its own file (scenario_gen_*.c); they share the
 * context of scenario_gen_internal.h.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario_gen_internal.h"

/* Every figure, with its source, is listed in datasets/PARAMETERS.md. */
static const cpt_gen_figures defaults = {
    .gp_per_100k = 78.0,
    .size_class_min = {0, 1000, 5000, 20000, 100000},
    .size_class_factor = {0.70, 0.95, 1.10, 1.15, 1.20},
    .practice_min_population = 1000,
    .cell_lat_deg = 0.10,
    .cell_lon_deg = 0.14,
    .no_mt_share = 0.11,
    .no_mt_elasticity = 0.7,
    .no_mt_min = 0.03,
    .no_mt_max = 0.35,
    .list_quantile = {20, 198, 532, 731, 875, 1020, 1170, 1318, 1524, 1844,
                      3000},
    .closed_share = 0.35,
    .room_min_frac = 0.02,
    .room_max_frac = 0.10,
    .small_list = 532,
    .small_room_min = 100,
    .small_room_max = 400,
    .no_children_share = 0.05,
    .no_home_visits_share = 0.05,
    .site_size_p = {0.62, 0.14, 0.09, 0.07, 0.04, 0.04},
    .age_lo = {0, 16, 20, 40, 60, 70, 75, 80, 96},
    .age_share = {0.176, 0.057, 0.227, 0.263, 0.121, 0.052, 0.039, 0.065},
    .no_mt_age_weight = {1.0, 1.1, 1.5, 1.0, 0.6, 0.45, 0.4, 0.35},
    .ald_prevalence = {0.025, 0.035, 0.06, 0.155, 0.33, 0.42, 0.50, 0.60},
    .home_visit_p = {0.002, 0.002, 0.002, 0.005, 0.01, 0.03, 0.06, 0.15},
    .list_child_share = 0.094,
    .no_mt_ald_share = 0.106,
    .precarity_share = 0.104,
    .precarity_93 = 0.23,
    .precarity_59 = 0.19,
    .household_p = {0.40, 0.32, 0.125, 0.105, 0.032, 0.013, 0.005},
    .household_whole_share = 0.6,
    .large_list = 1318,
    .departure_radius_km = 10.0,
    .departure_decay_km = 4.0,
    .snp_per_1000_week = 8,
    .appointments_per_slot = 8,
    .day_share = {0.20, 0.18, 0.16, 0.16, 0.18, 0.11, 0.01},
    .weekday_profile = {1.25, 1.15, 0.6, 0.9, 1.0, 1.1},
    .saturday_profile = {1.0, 1.0},
    .winter_factor = 1.3,
    .sector_max_doctors = 80,
    .sector_max_km = 40,
    .rota_participation = 0.75,
    .max_slots_lo = 2,
    .max_slots_hi = 6,
    .absent_week_p = 0.08,
    .day_off_p = 0.7,
    .day_off_weight = {0.15, 0.15, 0.40, 0.15, 0.15},
    .preferred_p = 0.35,
    .blocked_p = 0.15,
    .saturday_p = 0.5,
    .saturday_preferred_p = 0.2,
};

const cpt_gen_figures *cpt_gen_figures_default(void) { return &defaults; }

void cpt_gen_params_init(cpt_gen_params *p) {
  memset(p, 0, sizeof *p);
  p->seed = 1;
  p->scale = 1.0;
  p->week_y = 2026;
  p->week_m = 3;
  p->week_d = 9;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int cpt_gen_days(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil(int z, int *y, int *m, int *d) {
  z += 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

void cpt_gen_date(int days, char out[11]) {
  int y, m, d;
  civil(days, &y, &m, &d);
  snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* A real calendar date of years 1900–2999 (it survives a round trip). */
static bool date_ok(int y, int m, int d) {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
    return false;
  int yb, mb, db;
  civil(cpt_gen_days(y, m, d), &yb, &mb, &db);
  return yb == y && mb == m && db == d;
}

bool cpt_gen_parse_date(const char *s, int *y, int *m, int *d) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return false;
  int yy = atoi(s), mm = atoi(s + 5), dd = atoi(s + 8);
  if (!date_ok(yy, mm, dd))
    return false;
  *y = yy;
  *m = mm;
  *d = dd;
  return true;
}

static bool check_params(const cpt_gen_params *p, const cpt_gen_streams *o,
                         cpt_diags *diags) {
  bool ok = true;
  if (!(p->scale > 0 && p->scale <= 100)) {
    cpt_diag_error(diags, "generate", 0, 0,
                   "scale: expected a number in (0, 100], got %g", p->scale);
    ok = false;
  }
  if (p->departures < 0) {
    cpt_diag_error(diags, "generate", 0, 0,
                   "departures: expected an integer ≥ 0, got %d",
                   (int)p->departures);
    ok = false;
  }
  if ((double)p->seed > CPT_GEN_MAX_SEED) {
    cpt_diag_error(diags, "generate", 0, 0, "seed: expected 0 … 2^53");
    ok = false;
  }
  if (!date_ok(p->week_y, p->week_m, p->week_d)) {
    cpt_diag_error(diags, "generate", 0, 0,
                   "week: expected a calendar date, got %d-%d-%d", p->week_y,
                   p->week_m, p->week_d);
    ok = false;
  }
  if (!o || !o->doctors || !o->patients || !o->slots || !o->availability ||
      (p->departures > 0 && !o->departure_patients)) {
    cpt_diag_error(diags, "generate", 0, 0, "an output stream is missing");
    ok = false;
  }
  return ok;
}

static void set_week(cpt_gen_ctx *c) {
  int days = cpt_gen_days(c->p->week_y, c->p->week_m, c->p->week_d);
  int wd = ((days + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday */
  c->mon_days = days - wd;
  cpt_gen_date(c->mon_days, c->res->week_start);
  cpt_gen_date(c->mon_days + 5, c->res->week_end);
  int y, m, d;
  civil(c->mon_days, &y, &m, &d);
  /* winter epidemics: about 9 weeks from mid-December to mid-February */
  c->res->winter = (m == 12 && d >= 15) || m == 1 || (m == 2 && d <= 15);
}

static void ctx_free(cpt_gen_ctx *c) {
  free(c->share);
  free(c->expect);
  free(c->doc);
  free(c->site);
  free(c->sector);
}

cpt_status cpt_gen_run(const cpt_communes *communes, const cpt_territory *t,
                       const cpt_gen_params *p, const cpt_gen_streams *out,
                       cpt_gen_result **res, cpt_diags *diags) {
  *res = NULL;
  if (!communes || !t || !p) {
    cpt_diag_error(diags, "generate", 0, 0,
                   "no communes table, territory or parameters");
    return CPT_EPARAM;
  }
  if (!check_params(p, out, diags))
    return CPT_EPARAM;
  cpt_gen_ctx c;
  memset(&c, 0, sizeof c);
  c.communes = communes;
  c.t = t;
  c.p = p;
  c.f = &defaults;
  c.res = calloc(1, sizeof *c.res);
  if (!c.res)
    goto nomem;
  c.res->counts.communes = (int64_t)t->n;
  set_week(&c);

  cpt_status st = cpt_gen_density(&c);
  if (st == CPT_OK)
    st = cpt_gen_doctors(&c, diags);
  if (st == CPT_OK)
    st = cpt_gen_sectors(&c);
  if (st == CPT_OK)
    st = cpt_gen_pick_leaving(&c, diags);
  if (st == CPT_ENOMEM)
    goto nomem;
  if (st != CPT_OK)
    goto fail;
  cpt_gen_prepare_people(&c);
  if (cpt_gen_write_doctors(&c, out->doctors) != CPT_OK ||
      cpt_gen_write_patients(&c, out->patients) != CPT_OK ||
      (p->departures > 0 &&
       cpt_gen_write_departures(&c, out->departure_patients) != CPT_OK) ||
      cpt_gen_write_rota(&c, out->slots, out->availability) != CPT_OK)
    goto nomem;
  ctx_free(&c);
  *res = c.res;
  return CPT_OK;

nomem:
  cpt_diag_error(diags, "generate", 0, 0, "out of memory");
  st = CPT_ENOMEM;
fail:
  ctx_free(&c);
  cpt_gen_result_free(c.res);
  return st;
}

void cpt_gen_result_free(cpt_gen_result *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->n_leaving; i++)
    free(r->leaving[i]);
  free(r->leaving);
  free(r);
}
