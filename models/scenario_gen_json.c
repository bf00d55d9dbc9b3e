/*
 * scenario_gen_json.c — scenario.json: everything needed to reproduce and
 * to judge a generated scenario (scenario_gen.h).
 *
 * Layout: generator, seed, territory (name, communes, population),
 * parameters (scale, departures, week), counts (what the files hold),
 * shares (realised proportions, next to the expected share without MT),
 * leaving (ids of the departing doctors), files, normalisers (the national
 * means of the density model) and figures (every figure of
 * datasets/PARAMETERS.md, under the same names).  Nothing depends on the
 * clock or the machine, so the file is byte-identical across runs.
 * Ratios are rounded to 6 decimals.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>

#include "scenario_gen_internal.h"

#define TOP_KEYS 11 /* the keys listed above */

static double r6(double x) { return round(x * 1e6) / 1e6; }

static double ratio(int64_t a, int64_t b) {
  return b > 0 ? r6((double)a / (double)b) : 0.0;
}

static void num(cJSON *o, const char *key, double v) {
  cJSON_AddNumberToObject(o, key, v);
}

static void arr(cJSON *o, const char *key, const double *v, int n) {
  cJSON *a = cJSON_AddArrayToObject(o, key);
  for (int i = 0; a && i < n; i++)
    cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
}

static void iarr(cJSON *o, const char *key, const int *v, int n) {
  double d[16];
  for (int i = 0; i < n && i < 16; i++)
    d[i] = v[i];
  arr(o, key, d, n);
}

static cJSON *figures_json(const cpt_gen_figures *f) {
  cJSON *o = cJSON_CreateObject();
  if (!o)
    return NULL;
  double d[CPT_GEN_SIZE_CLASSES];
  num(o, "gp_per_100k", f->gp_per_100k);
  for (int i = 0; i < CPT_GEN_SIZE_CLASSES; i++)
    d[i] = (double)f->size_class_min[i];
  arr(o, "size_class_min", d, CPT_GEN_SIZE_CLASSES);
  arr(o, "size_class_factor", f->size_class_factor, CPT_GEN_SIZE_CLASSES);
  num(o, "practice_min_population", (double)f->practice_min_population);
  num(o, "cell_lat_deg", f->cell_lat_deg);
  num(o, "cell_lon_deg", f->cell_lon_deg);
  num(o, "no_mt_share", f->no_mt_share);
  num(o, "no_mt_elasticity", f->no_mt_elasticity);
  num(o, "no_mt_min", f->no_mt_min);
  num(o, "no_mt_max", f->no_mt_max);
  arr(o, "list_quantile", f->list_quantile, 11);
  num(o, "closed_share", f->closed_share);
  num(o, "room_min_frac", f->room_min_frac);
  num(o, "room_max_frac", f->room_max_frac);
  num(o, "small_list", f->small_list);
  num(o, "small_room_min", f->small_room_min);
  num(o, "small_room_max", f->small_room_max);
  num(o, "no_children_share", f->no_children_share);
  num(o, "no_home_visits_share", f->no_home_visits_share);
  arr(o, "site_size_p", f->site_size_p, CPT_GEN_SITE_SIZES);
  iarr(o, "age_lo", f->age_lo, CPT_GEN_AGE_BANDS + 1);
  arr(o, "age_share", f->age_share, CPT_GEN_AGE_BANDS);
  arr(o, "no_mt_age_weight", f->no_mt_age_weight, CPT_GEN_AGE_BANDS);
  arr(o, "ald_prevalence", f->ald_prevalence, CPT_GEN_AGE_BANDS);
  arr(o, "home_visit_p", f->home_visit_p, CPT_GEN_AGE_BANDS);
  num(o, "list_child_share", f->list_child_share);
  num(o, "no_mt_ald_share", f->no_mt_ald_share);
  num(o, "precarity_share", f->precarity_share);
  num(o, "precarity_93", f->precarity_93);
  num(o, "precarity_59", f->precarity_59);
  arr(o, "household_p", f->household_p, CPT_GEN_HH_SIZES);
  num(o, "household_whole_share", f->household_whole_share);
  num(o, "large_list", f->large_list);
  num(o, "departure_radius_km", f->departure_radius_km);
  num(o, "departure_decay_km", f->departure_decay_km);
  num(o, "snp_per_1000_week", f->snp_per_1000_week);
  num(o, "appointments_per_slot", f->appointments_per_slot);
  arr(o, "day_share", f->day_share, 7);
  arr(o, "weekday_profile", f->weekday_profile, 6);
  arr(o, "saturday_profile", f->saturday_profile, 2);
  num(o, "winter_factor", f->winter_factor);
  num(o, "sector_max_doctors", f->sector_max_doctors);
  num(o, "sector_max_km", f->sector_max_km);
  num(o, "rota_participation", f->rota_participation);
  num(o, "max_slots_lo", f->max_slots_lo);
  num(o, "max_slots_hi", f->max_slots_hi);
  num(o, "absent_week_p", f->absent_week_p);
  num(o, "day_off_p", f->day_off_p);
  arr(o, "day_off_weight", f->day_off_weight, 5);
  num(o, "preferred_p", f->preferred_p);
  num(o, "blocked_p", f->blocked_p);
  num(o, "saturday_p", f->saturday_p);
  num(o, "saturday_preferred_p", f->saturday_preferred_p);
  return o;
}

static void counts_json(cJSON *o, const cpt_gen_counts *k) {
  static const struct {
    const char *key;
    size_t off;
  } fields[] = {
#define F(x) {#x, offsetof(cpt_gen_counts, x)}
      F(communes),
      F(doctors),
      F(sites),
      F(sectors),
      F(patients),
      F(households),
      F(in_households),
      F(children),
      F(age70),
      F(ald),
      F(precarity),
      F(home_visit),
      F(no_children),
      F(no_home_visits),
      F(capacity_room),
      F(current_total),
      F(rota_doctors),
      F(slots),
      F(need_total),
      F(availability_rows),
      F(departure_patients),
      F(departure_households),
#undef F
  };
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    num(o, fields[i].key,
        (double)*(const int64_t *)((const char *)k + fields[i].off));
}

static void shares_json(cJSON *o, const cpt_gen_counts *k) {
  double pop = k->population;
  num(o, "no_mt", pop > 0 ? r6((double)k->patients / pop) : 0);
  num(o, "no_mt_expected", r6(k->no_mt_expected));
  num(o, "gp_per_100k", pop > 0 ? r6((double)k->doctors / pop * 1e5) : 0);
  num(o, "gp_per_100k_expected",
      pop > 0 ? r6(k->doctors_expected / pop * 1e5) : 0);
  num(o, "ald", ratio(k->ald, k->patients));
  num(o, "children", ratio(k->children, k->patients));
  num(o, "age70", ratio(k->age70, k->patients));
  num(o, "precarity", ratio(k->precarity, k->patients));
  num(o, "home_visit", ratio(k->home_visit, k->patients));
  num(o, "in_households", ratio(k->in_households, k->patients));
  num(o, "room_per_patient", ratio(k->capacity_room, k->patients));
}

cJSON *cpt_gen_scenario_json(const cpt_gen_params *p, const cpt_territory *t,
                             const cpt_gen_result *r) {
  cJSON *o = cJSON_CreateObject();
  if (!o)
    return NULL;
  cJSON_AddStringToObject(o, "generator", "cptsopt generate");
  num(o, "seed", (double)p->seed);
  cJSON *ter = cJSON_AddObjectToObject(o, "territory");
  if (ter) {
    cJSON_AddStringToObject(ter, "name", t->name);
    num(ter, "communes", (double)t->n);
    num(ter, "population", (double)t->population);
  }
  cJSON *par = cJSON_AddObjectToObject(o, "parameters");
  if (par) {
    char week[16];
    snprintf(week, sizeof week, "%04d-%02d-%02d", p->week_y, p->week_m,
             p->week_d);
    num(par, "scale", p->scale);
    num(par, "departures", p->departures);
    cJSON_AddStringToObject(par, "week", week);
    cJSON_AddStringToObject(par, "week_start", r->week_start);
    cJSON_AddStringToObject(par, "week_end", r->week_end);
    cJSON_AddBoolToObject(par, "winter_epidemic", r->winter);
    num(par, "population_scaled", round(r->counts.population));
  }
  cJSON *cnt = cJSON_AddObjectToObject(o, "counts");
  if (cnt)
    counts_json(cnt, &r->counts);
  cJSON *sh = cJSON_AddObjectToObject(o, "shares");
  if (sh)
    shares_json(sh, &r->counts);
  cJSON *lv = cJSON_AddArrayToObject(o, "leaving");
  for (size_t i = 0; lv && i < r->n_leaving; i++)
    cJSON_AddItemToArray(lv, cJSON_CreateString(r->leaving[i]));
  cJSON *files = cJSON_AddObjectToObject(o, "files");
  if (files) {
    cJSON_AddStringToObject(files, "doctors", "doctors.csv");
    cJSON_AddStringToObject(files, "patients", "patients.csv");
    cJSON_AddStringToObject(files, "slots", "slots.csv");
    cJSON_AddStringToObject(files, "availability", "availability.csv");
    if (p->departures > 0)
      cJSON_AddStringToObject(files, "departure_patients",
                              "departure_patients.csv");
  }
  cJSON *nm = cJSON_AddObjectToObject(o, "normalisers");
  if (nm) {
    num(nm, "size_factor_mean", r6(r->f_mean));
    num(nm, "no_mt_mean", r6(r->s_mean));
  }
  cJSON *fig = figures_json(cpt_gen_figures_default());
  if (fig)
    cJSON_AddItemToObject(o, "figures", fig);
  cJSON_AddStringToObject(o, "parameters_sheet", "datasets/PARAMETERS.md");
  /* an allocation failure above left a key out: report it as a failure */
  if (cJSON_GetArraySize(o) != TOP_KEYS) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}
