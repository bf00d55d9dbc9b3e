/*
 * scenario_gen.h — synthetic but realistic scenarios for a territory:
 * doctors, inhabitants without a médecin traitant (MT), the SNP rota
 * inputs of one week, and optionally the lists of departing doctors.
 *
 * Every figure comes from datasets/PARAMETERS.md (sources in DOMAIN.md;
 * "[est]" marks inferences); cpt_gen_figures_default() returns them and
 * cpt_gen_scenario_json() echoes them.  The model, per commune c of the
 * territory (population N_c, scaled by `scale`):
 *
 *   size factor  f_c = f(class of N_c) / f̄      (f̄: national mean, so that
 *                                                  France has 78 GPs /100k)
 *   local density  D_c = 78 · Σ_B N·f / Σ_B N     (B: the 3×3 grid cells
 *                                                  around c, whole table)
 *   no-MT share  s_c = clamp(0.11 · (D_c/78)^(−α) / s̄)  (s̄: national
 *                                                  mean, so France has 11%)
 *   GPs          Σ_c scale·N_c·78e-5·f_c, placed by systematic sampling in
 *                communes of ≥ 1,000 inhabitants (the weight of smaller
 *                communes goes to such communes of their grid block)
 *   patients     stochastic rounding of scale·N_c·s_c, in household groups
 *
 * Doctors get CNAM list sizes (`current`), a capacity slightly above it,
 * a site (1–6 doctors) and an SNP sector (sites grouped by recursive
 * bisection into sectors of at most sector_max_doctors and
 * sector_max_km).  Each sector has
 * one SNP site with 2-hour slots Monday–Friday 8h–20h and Saturday
 * 8h–12h, whose need follows the weekly load (Monday heaviest).
 *
 * Determinism: one 64-bit generator per stream (doctors, each commune's
 * patients, each departing list, the rota), seeded from the seed and the
 * stream index; fixed formats, no locale: the same inputs give the same
 * bytes.  Patients are streamed (memory grows with doctors, not patients).
 */
#ifndef CPT_SCENARIO_GEN_H
#define CPT_SCENARIO_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../solver/diag.h"
#include "../solver/status.h"
#include "communes.h"
#include "territory.h"

struct cJSON;

#define CPT_GEN_MAX_SEED 9007199254740992.0 /* 2^53: exact in JSON */

typedef struct cpt_gen_params {
  uint64_t seed;              /* 0 … 2^53 */
  double scale;               /* population multiplier, (0, 100] (default 1) */
  int32_t departures;         /* doctors leaving (default 0) */
  int week_y, week_m, week_d; /* any day of the rota week (its Monday is
                                 used); default 2026-03-09 */
} cpt_gen_params;

void cpt_gen_params_init(cpt_gen_params *p);

/* Parse "YYYY-MM-DD" (a real calendar date, years 1900–2999). */
bool cpt_gen_parse_date(const char *s, int *y, int *m, int *d);

/* The figures of PARAMETERS.md.  Age bands are [age_lo[i], age_lo[i+1]). */
#define CPT_GEN_AGE_BANDS 8
#define CPT_GEN_SIZE_CLASSES 5
#define CPT_GEN_HH_SIZES 7
#define CPT_GEN_SITE_SIZES 6
typedef struct cpt_gen_figures {
  double gp_per_100k;                           /* 78 */
  int64_t size_class_min[CPT_GEN_SIZE_CLASSES]; /* lower bounds */
  double size_class_factor[CPT_GEN_SIZE_CLASSES];
  int64_t practice_min_population;   /* 1,000 */
  double cell_lat_deg, cell_lon_deg; /* density grid */
  double no_mt_share, no_mt_elasticity, no_mt_min, no_mt_max;
  double list_quantile[11];            /* P0, P10 … P100 */
  double closed_share;                 /* capacity = current */
  double room_min_frac, room_max_frac; /* room = frac · current + 5 */
  double small_list;                   /* below: building a list */
  double small_room_min, small_room_max;
  double no_children_share, no_home_visits_share;
  double site_size_p[CPT_GEN_SITE_SIZES];
  int age_lo[CPT_GEN_AGE_BANDS + 1];
  double age_share[CPT_GEN_AGE_BANDS]; /* population */
  double no_mt_age_weight[CPT_GEN_AGE_BANDS];
  double ald_prevalence[CPT_GEN_AGE_BANDS]; /* population, → 18% */
  double home_visit_p[CPT_GEN_AGE_BANDS];
  double list_child_share; /* under 16 in an MT list */
  double no_mt_ald_share;  /* 10.6% */
  double precarity_share;  /* C2S, most départements */
  double precarity_93, precarity_59;
  double household_p[CPT_GEN_HH_SIZES]; /* sizes 1 … 7 */
  double household_whole_share;         /* whole household without MT */
  double large_list;                    /* departing: list ≥ this */
  double departure_radius_km, departure_decay_km;
  double snp_per_1000_week; /* SNP appointments handled */
  double appointments_per_slot;
  double day_share[7]; /* Monday … Sunday */
  double weekday_profile[6], saturday_profile[2];
  double winter_factor;
  int sector_max_doctors;
  double sector_max_km; /* bounding box side */
  double rota_participation;
  int max_slots_lo, max_slots_hi;
  double absent_week_p, day_off_p, day_off_weight[5];
  double preferred_p, blocked_p, saturday_p, saturday_preferred_p;
} cpt_gen_figures;

const cpt_gen_figures *cpt_gen_figures_default(void);

/* Where the files go.  Every stream is the caller's (opened and closed by
 * it); departure_patients is required when departures > 0. */
typedef struct cpt_gen_streams {
  FILE *doctors, *patients, *slots, *availability, *departure_patients;
} cpt_gen_streams;

typedef struct cpt_gen_counts {
  int64_t communes, doctors, sites, sectors;
  int64_t patients, households, in_households;
  int64_t children, age70, ald, precarity, home_visit;
  int64_t no_children, no_home_visits, capacity_room, current_total;
  int64_t slots, need_total, availability_rows, rota_doctors;
  int64_t departure_patients, departure_households;
  double population;       /* territory population × scale */
  double doctors_expected; /* Σ scale·N·78e-5·f */
  double no_mt_expected;   /* Σ scale·N·s / population */
} cpt_gen_counts;

typedef struct cpt_gen_result {
  cpt_gen_counts counts;
  char **leaving; /* ids of the departing doctors, sorted */
  size_t n_leaving;
  char week_start[11], week_end[11]; /* Monday, Saturday */
  bool winter;                       /* epidemic factor applied */
  double f_mean, s_mean;             /* national normalisers */
} cpt_gen_result;

/* Generate the scenario into the streams.  Returns CPT_OK with *out set
 * (free with cpt_gen_result_free); else *out is NULL and diags say why:
 * CPT_EPARAM (bad parameter, e.g. more departures than doctors),
 * CPT_ENOMEM.  Write errors are left in the streams (ferror). */
cpt_status cpt_gen_run(const cpt_communes *communes, const cpt_territory *t,
                       const cpt_gen_params *p, const cpt_gen_streams *out,
                       cpt_gen_result **res, cpt_diags *diags);
void cpt_gen_result_free(cpt_gen_result *r); /* NULL-safe */

/* scenario.json: parameters, seed, territory, counts, shares, leaving
 * ids, figures.  Caller frees with cJSON_Delete; NULL when out of
 * memory. */
struct cJSON *cpt_gen_scenario_json(const cpt_gen_params *p,
                                    const cpt_territory *t,
                                    const cpt_gen_result *r);

#endif
