/*
 * brute.c — exhaustive optimisation of tiny MT instances and their random
 * generator (see brute.h).
 *
 * The enumeration is an odometer over doctor_of ∈ {−1, 0..D−1}^P; each
 * vector goes through the checker's fast path (cpt_check_eval on a context
 * built once), so the optimum found is exactly the checker's notion of
 * feasible and of objective.  The generator draws from a splitmix64 stream
 * seeded by the test, so a failing seed reproduces on every machine.
 */
#include "brute.h"

#include <math.h>
#include <string.h>

#include "checker.h"

uint64_t cpt_test_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

int cpt_brute_assign(const cpt_doctors *doctors, const cpt_patients *patients,
                     const cpt_config *cfg, const char *const *leaving,
                     size_t n_leaving, cpt_brute_result *out, char *why,
                     size_t why_size) {
  size_t np = patients->n, nd = doctors->n;
  double vectors = pow((double)(nd + 1), (double)np);
  if (np > CPT_BRUTE_MAX_P || vectors > CPT_BRUTE_MAX_VECTORS) {
    if (why)
      snprintf(why, why_size, "brute force: %zu patients, %zu doctors is too "
               "large", np, nd);
    return -1;
  }
  cpt_check_ctx c;
  if (cpt_check_ctx_init(&c, doctors, patients, cfg, leaving, n_leaving, why,
                         why_size) != 0)
    return -1;

  memset(out, 0, sizeof *out);
  out->best = -INFINITY;
  out->second = -INFINITY;
  int32_t x[CPT_BRUTE_MAX_P];
  for (size_t p = 0; p < np; p++) x[p] = -1;
  for (;;) {
    double obj;
    if (cpt_check_eval(&c, x, &obj, NULL, 0) == 0) {
      out->n_feasible++;
      double tol = 1e-7 * fmax(1.0, fabs(out->best));
      if (obj > out->best) {
        out->second = out->best;
        out->n_optimal = obj > out->best + tol ? 1 : out->n_optimal + 1;
        out->best = obj;
        memcpy(out->doctor_of, x, np * sizeof *x);
      } else {
        if (obj >= out->best - tol) out->n_optimal++;
        if (obj > out->second) out->second = obj;
      }
    }
    size_t p = 0;
    while (p < np && x[p] == (int32_t)nd - 1) x[p++] = -1;
    if (p == np) break;
    x[p]++;
  }
  cpt_check_ctx_free(&c);
  return 0;
}

/* ---- tiny instances ---------------------------------------------------- */

static void fix_pointers(cpt_tiny *t) {
  t->doctors.v = t->dv;
  t->patients.v = t->pv;
  t->doctors.pool = NULL;
  t->patients.pool = NULL;
}

void cpt_tiny_init(cpt_tiny *t) {
  memset(t, 0, sizeof *t);
  fix_pointers(t);
#define CPT_X_DEFAULT(field, path, ctype, kind, def, lo, hi, help) \
  t->cfg.field = (ctype)(def);
  CPT_OPTIONS(CPT_X_DEFAULT)
#undef CPT_X_DEFAULT
}

void cpt_tiny_copy(cpt_tiny *dst, const cpt_tiny *src) {
  memcpy(dst, src, sizeof *dst);
  fix_pointers(dst);
}

cpt_doctor *cpt_tiny_add_doctor(cpt_tiny *t, const char *id, double lat,
                                double lon, int32_t capacity,
                                int32_t current) {
  if (t->doctors.n >= CPT_TINY_MAX_D) return NULL;
  cpt_doctor *d = &t->dv[t->doctors.n++];
  memset(d, 0, sizeof *d);
  d->id = id;
  d->loc = (cpt_loc){.lat = lat, .lon = lon, .commune = -1,
                     .explicit_coords = true};
  d->site = NULL;
  d->capacity = capacity;
  d->current = current;
  d->max_new = -1;
  d->children = true;
  d->home_visits = true;
  d->sites = NULL;
  d->max_slots = -1;
  d->max_per_day = -1;
  d->target = NAN;
  d->line = (int64_t)t->doctors.n + 1;
  return d;
}

cpt_patient *cpt_tiny_add_patient(cpt_tiny *t, const char *id, double lat,
                                  double lon, int32_t age) {
  if (t->patients.n >= CPT_TINY_MAX_P) return NULL;
  cpt_patient *p = &t->pv[t->patients.n++];
  memset(p, 0, sizeof *p);
  p->id = id;
  p->loc = (cpt_loc){.lat = lat, .lon = lon, .commune = -1,
                     .explicit_coords = true};
  p->age = age;
  p->household = NULL;
  p->prev_doctor = NULL;
  p->max_km = NAN;
  p->line = (int64_t)t->patients.n + 1;
  return p;
}

void cpt_tiny_remove_doctor(cpt_tiny *t, size_t i) {
  if (i >= t->doctors.n) return;
  memmove(&t->dv[i], &t->dv[i + 1], (t->doctors.n - i - 1) * sizeof t->dv[0]);
  t->doctors.n--;
}

void cpt_tiny_remove_patient(cpt_tiny *t, size_t i) {
  if (i >= t->patients.n) return;
  memmove(&t->pv[i], &t->pv[i + 1],
          (t->patients.n - i - 1) * sizeof t->pv[0]);
  t->patients.n--;
}

static const char *const doctor_ids[CPT_TINY_MAX_D] = {
    "D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7"};
static const char *const patient_ids[CPT_TINY_MAX_P] = {
    "P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10",
    "P11", "P12", "P13", "P14", "P15", "P16", "P17", "P18", "P19", "P20",
    "P21", "P22", "P23", "P24", "P25", "P26", "P27", "P28", "P29", "P30",
    "P31", "P32", "P33", "P34", "P35", "P36", "P37", "P38", "P39", "P40",
    "P41", "P42", "P43", "P44", "P45", "P46", "P47", "P48", "P49", "P50",
    "P51", "P52", "P53", "P54", "P55", "P56", "P57", "P58", "P59", "P60",
    "P61", "P62", "P63"};
static const char *const household_ids[16] = {
    "H0", "H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8", "H9", "H10",
    "H11", "H12", "H13", "H14", "H15"};

/* Two communes near the centre, given by their centroids. */
static const double commune_ll[2][2] = {{45.020, 4.010}, {44.970, 3.950}};

static uint64_t rnd(uint64_t *s, uint64_t n) {
  return cpt_test_splitmix64(s) % n;
}
static double unif(uint64_t *s) {
  return (double)(cpt_test_splitmix64(s) >> 11) * 0x1.0p-53;
}
static bool chance(uint64_t *s, double p) { return unif(s) < p; }

/* A point at most r_km from (45, 4), uniform in the disc. */
static void random_point(uint64_t *s, double r_km, double *lat, double *lon) {
  double r = r_km * sqrt(unif(s)), a = 2 * 3.14159265358979323846 * unif(s);
  double km_per_deg = 6371.0 * 3.14159265358979323846 / 180.0;
  *lat = 45.0 + r * cos(a) / km_per_deg;
  *lon = 4.0 + r * sin(a) / (km_per_deg * cos(45.0 * 3.14159265358979323846 /
                                              180.0));
}

static void commune_loc(cpt_loc *loc, int32_t k) {
  loc->lat = commune_ll[k][0];
  loc->lon = commune_ll[k][1];
  loc->commune = k;
  loc->explicit_coords = false;
}

static void generate(cpt_tiny *t, uint64_t seed, bool households,
                     size_t max_d, size_t max_p) {
  bool tiny = max_p <= 8;
  uint64_t s = seed ^ (households ? 0x5DEECE66Dull : 0x2545F4914F6CDD1Dull) ^
               (tiny ? 0 : 0x9E3779B97F4A7C15ull);
  size_t max_h = tiny ? 4 : 16;
  cpt_tiny_init(t);
  t->seed = seed;
  t->households = households;

  /* Weights: defaults most of the time, else one of a few variants that
   * make cost, fairness or the site bonus decide. */
  cpt_config *cfg = &t->cfg;
  switch (rnd(&s, 13)) {
  case 3: cfg->assign_cost_per_km = 5; break;
  case 4: cfg->assign_fairness_penalty = 50; break;
  case 5:
    cfg->assign_same_site_bonus = 40;
    cfg->assign_cost_per_km = 3;
    break;
  case 6:
    cfg->assign_fairness_threshold = 0.5;
    cfg->assign_fairness_penalty = 20;
    break;
  case 7:
    cfg->assign_priority_base = 10;
    cfg->assign_cost_per_km = 2;
    cfg->assign_max_km = 15;
    break;
  case 8:
    cfg->assign_priority_base = 20;
    cfg->assign_fairness_penalty = 150;
    cfg->assign_same_site_bonus = 0;
    break;
  case 9: /* every new patient is above the threshold */
    cfg->assign_fairness_threshold = 0;
    cfg->assign_fairness_penalty = 30;
    break;
  case 10: cfg->assign_fairness_threshold = 1.5; break; /* never */
  case 11: /* continuity decides */
    cfg->assign_cost_per_km = 0;
    cfg->assign_same_site_bonus = 1000;
    break;
  case 12:
    cfg->assign_priority_ald = 0;
    cfg->assign_priority_child = 200;
    cfg->assign_cost_per_km = 4;
    break;
  default: break;
  }
  if (chance(&s, 0.15)) cfg->assign_detour = 1.0;
  if (chance(&s, 0.15)) cfg->assign_intra_commune_km = 0.5;

  size_t nd, np;
  if (tiny) {
    nd = 1 + (size_t)rnd(&s, 3);
    np = chance(&s, 0.8) ? 4 + (size_t)rnd(&s, 5) : 1 + (size_t)rnd(&s, 8);
  } else {
    nd = 2 + (size_t)rnd(&s, max_d - 1);
    np = max_p / 2 + (size_t)rnd(&s, max_p - max_p / 2 + 1);
  }
  static const int32_t caps[][2] = {{10, 8}, {10, 9}, {10, 10}, {20, 16},
                                    {5, 7},  {100, 10}, {3, 0}, {4, 1}};
  static const char *const sites[] = {NULL, "S0", "S1", "S0"};
  for (size_t d = 0; d < nd; d++) {
    double lat, lon;
    random_point(&s, 10.0, &lat, &lon);
    const int32_t *cc = caps[rnd(&s, 8)];
    cpt_doctor *doc = cpt_tiny_add_doctor(t, doctor_ids[d], lat, lon, cc[0],
                                          cc[1]);
    if (chance(&s, 0.2)) commune_loc(&doc->loc, (int32_t)rnd(&s, 2));
    doc->site = sites[rnd(&s, 4)];
    if (chance(&s, 0.3)) doc->max_new = (int32_t)rnd(&s, 4);
    doc->children = !chance(&s, 0.25);
    doc->home_visits = !chance(&s, 0.25);
  }
  if (nd >= 2 && chance(&s, 0.2)) t->leaving[t->n_leaving++] =
      doctor_ids[rnd(&s, nd)];

  static const int32_t ages[] = {3, 10, 15, 16, 35, 52, 69, 70, 84};
  static const double max_kms[] = {5, 12, 30, 2.0};
  for (size_t p = 0; p < np; p++) {
    double lat, lon;
    random_point(&s, 22.0, &lat, &lon);
    cpt_patient *pat = cpt_tiny_add_patient(t, patient_ids[p], lat, lon,
                                            ages[rnd(&s, 9)]);
    double u = unif(&s);
    if (u < 0.25) {
      commune_loc(&pat->loc, (int32_t)rnd(&s, 2));
    } else if (u < 0.35) {
      pat->loc.commune = (int32_t)rnd(&s, 2); /* coordinates win */
    }
    pat->ald = chance(&s, 0.25);
    pat->precarity = chance(&s, 0.2);
    pat->home_visit = chance(&s, 0.15);
    u = unif(&s);
    if (t->n_leaving && u < 0.5)
      pat->prev_doctor = t->leaving[0];
    else if (u < 0.6)
      pat->prev_doctor = doctor_ids[rnd(&s, nd)];
    else if (u < 0.75)
      pat->prev_doctor = "DX"; /* not in the doctors file */
    if (chance(&s, 0.2)) pat->max_km = max_kms[rnd(&s, 4)];
    if (chance(&s, 0.05)) pat->loc = t->dv[rnd(&s, nd)].loc; /* 0 km */
    if (p > 0 && chance(&s, 0.25)) {
      /* A neighbour at the same place, often in the same categories, that
       * differs in its need, its limit or its previous doctor: a trap for
       * an aggregation that merges too much. */
      const cpt_patient *q = &t->pv[rnd(&s, p)];
      pat->loc = q->loc;
      if (chance(&s, 0.5)) {
        pat->age = q->age;
        pat->ald = q->ald;
        pat->precarity = q->precarity;
      }
    }
  }

  if (households && np >= 2) {
    size_t h = 0, p = 0;
    bool first = true;
    while (p + 1 < np && h < max_h) {
      if (!first && !chance(&s, 0.6)) {
        p++;
        continue;
      }
      first = false;
      size_t size = 2 + (size_t)rnd(&s, 2);
      if (p + size > np) size = np - p;
      bool together = chance(&s, 0.7);
      for (size_t k = 0; k < size; k++) {
        t->pv[p + k].household = household_ids[h];
        if (together && k > 0) t->pv[p + k].loc = t->pv[p].loc;
      }
      h++;
      p += size;
    }
    /* Now and then a household of one, which is no constraint at all. */
    if (h < max_h && p < np && chance(&s, 0.15))
      t->pv[np - 1].household = household_ids[h];
  }
}

void cpt_tiny_generate(cpt_tiny *t, uint64_t seed, bool households) {
  generate(t, seed, households, 3, 8);
}

void cpt_tiny_generate_medium(cpt_tiny *t, uint64_t seed, bool households,
                              size_t max_d, size_t max_p) {
  if (max_d < 2) max_d = 2;
  if (max_d > CPT_TINY_MAX_D) max_d = CPT_TINY_MAX_D;
  if (max_p < 2) max_p = 2;
  if (max_p > CPT_TINY_MAX_P) max_p = CPT_TINY_MAX_P;
  generate(t, seed, households, max_d, max_p);
}

static void print_loc(FILE *out, const cpt_loc *l) {
  if (l->explicit_coords)
    fprintf(out, "lat=%.6f lon=%.6f", l->lat, l->lon);
  else
    fprintf(out, "commune=%d (centroid %.6f %.6f)", (int)l->commune, l->lat,
            l->lon);
  if (l->explicit_coords && l->commune >= 0)
    fprintf(out, " commune=%d", (int)l->commune);
}

void cpt_tiny_print(const cpt_tiny *t, FILE *out) {
  const cpt_config *c = &t->cfg;
  fprintf(out, "instance seed=%llu households=%d\n",
          (unsigned long long)t->seed, (int)t->households);
  fprintf(out, "  cfg max_km=%g detour=%g intra=%g cost_per_km=%g "
          "prio=%g/%g/%g/%g/%g bonus=%g threshold=%g penalty=%g\n",
          c->assign_max_km, c->assign_detour, c->assign_intra_commune_km,
          c->assign_cost_per_km, c->assign_priority_base,
          c->assign_priority_ald, c->assign_priority_age70,
          c->assign_priority_child, c->assign_priority_precarity,
          c->assign_same_site_bonus, c->assign_fairness_threshold,
          c->assign_fairness_penalty);
  for (size_t k = 0; k < t->n_leaving; k++)
    fprintf(out, "  leaving %s\n", t->leaving[k]);
  for (size_t d = 0; d < t->doctors.n; d++) {
    const cpt_doctor *x = &t->dv[d];
    fprintf(out, "  doctor %zu %s ", d, x->id);
    print_loc(out, &x->loc);
    fprintf(out, " site=%s cap=%d cur=%d max_new=%d children=%d "
            "home_visits=%d\n", x->site ? x->site : "-", (int)x->capacity,
            (int)x->current, (int)x->max_new, (int)x->children,
            (int)x->home_visits);
  }
  for (size_t p = 0; p < t->patients.n; p++) {
    const cpt_patient *x = &t->pv[p];
    fprintf(out, "  patient %zu %s ", p, x->id);
    print_loc(out, &x->loc);
    fprintf(out, " age=%d ald=%d prec=%d home_visit=%d household=%s "
            "prev=%s max_km=%g\n", (int)x->age, (int)x->ald,
            (int)x->precarity, (int)x->home_visit,
            x->household ? x->household : "-",
            x->prev_doctor ? x->prev_doctor : "-", x->max_km);
  }
}
