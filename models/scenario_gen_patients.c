/*
 * scenario_gen_patients.c — the people of a generated scenario: the
 * inhabitants without a médecin traitant (patients.csv, streamed commune
 * by commune) and the whole lists of the departing doctors
 * (departure_patients.csv).
 *
 * Counts: commune c gets stochastic_round(scale·N_c·s_c) patients without
 * MT, drawn from its own stream (seed, commune index); a departing doctor
 * hands over exactly its `current` list, spread over the communes of the
 * territory within departure_radius_km of its own, with weights
 * N·exp(−d/departure_decay_km), by systematic sampling.
 * Households: people come in groups.  A group draws a household size k
 * from INSEE's distribution; the whole household is in the file with
 * probability household_whole_share, else 1 … k−1 of its members (the
 * others have an MT).  Groups of two or more share a household id; the
 * last group of a commune is cut to the count.
 * People: an age band from the prepared distribution (without MT: the
 * population's bands reweighted by no_mt_age_weight; on a list: the
 * population with list_child_share under 16), a uniform age in the band,
 * at least one adult in a group of two or more; ALD by band (without MT
 * scaled so that the share is no_mt_ald_share); home visits by band;
 * precarity (C2S) drawn once per group, by département.
 */
#include <stdlib.h>

#include "geo.h"
#include "scenario_gen_internal.h"

#define MAX_GROUP 16

static void prepare(const cpt_gen_figures *f, const double *share,
                    double ald_mean, cpt_gen_ages *a) {
  double tot = 0, prev = 0;
  for (int b = 0; b < CPT_GEN_AGE_BANDS; b++) {
    tot += share[b];
    prev += share[b] * f->ald_prevalence[b];
  }
  double k = ald_mean > 0 && prev > 0 ? ald_mean * tot / prev : 1.0;
  double acc = 0;
  for (int b = 0; b < CPT_GEN_AGE_BANDS; b++) {
    a->cdf[b] = (acc += share[b] / tot);
    double p = k * f->ald_prevalence[b];
    a->ald[b] = p > 1 ? 1 : p;
  }
  a->cdf[CPT_GEN_AGE_BANDS - 1] = 1.0;
}

void cpt_gen_prepare_people(cpt_gen_ctx *c) {
  const cpt_gen_figures *f = c->f;
  double w[CPT_GEN_AGE_BANDS];
  for (int b = 0; b < CPT_GEN_AGE_BANDS; b++)
    w[b] = f->age_share[b] * f->no_mt_age_weight[b];
  prepare(f, w, f->no_mt_ald_share, &c->no_mt);
  double rest = (1 - f->list_child_share) / (1 - f->age_share[0]);
  for (int b = 0; b < CPT_GEN_AGE_BANDS; b++)
    w[b] = b == 0 ? f->list_child_share : f->age_share[b] * rest;
  prepare(f, w, 0, &c->list); /* ALD at its population prevalence */
  double acc = 0;
  for (int i = 0; i < CPT_GEN_HH_SIZES; i++)
    c->hh_cdf[i] = (acc += f->household_p[i]);
  c->hh_cdf[CPT_GEN_HH_SIZES - 1] = 1.0;
}

static double precarity_of(const cpt_gen_figures *f, const cpt_commune *m) {
  if (!strcmp(m->dep, "93"))
    return f->precarity_93;
  if (!strcmp(m->dep, "59"))
    return f->precarity_59;
  return f->precarity_share;
}

/* People of one group in the file (at most `left`). */
static int group_size(cpt_gen_ctx *c, cpt_gen_rng *r, int64_t left) {
  int k = cpt_gen_pick(r, c->hh_cdf, CPT_GEN_HH_SIZES) + 1;
  int m = k;
  if (k > 1 && !cpt_gen_bernoulli(r, c->f->household_whole_share))
    m = 1 + (int)cpt_gen_below(r, (uint32_t)(k - 1));
  return m > left ? (int)left : m;
}

typedef struct tally {
  int64_t patients, households, in_households;
  int64_t children, age70, ald, precarity, home_visit;
} tally;

static void write_group(cpt_gen_ctx *c, cpt_gen_out *o, cpt_gen_rng *r,
                        const cpt_gen_ages *ages, const cpt_commune *m,
                        int size, const char *prev, tally *t) {
  const cpt_gen_figures *f = c->f;
  int band[MAX_GROUP], age[MAX_GROUP];
  bool adult = false;
  for (int i = 0; i < size; i++) {
    band[i] = cpt_gen_pick(r, ages->cdf, CPT_GEN_AGE_BANDS);
    int lo = f->age_lo[band[i]], hi = f->age_lo[band[i] + 1];
    age[i] = lo + (int)cpt_gen_below(r, (uint32_t)(hi - lo));
    adult |= age[i] >= 18;
  }
  if (size > 1 && !adult) { /* a group of minors has a parent with it */
    age[0] = 20 + (int)cpt_gen_below(r, 40);
    band[0] = age[0] < f->age_lo[3] ? 2 : 3;
  }
  bool prec = cpt_gen_bernoulli(r, precarity_of(f, m));
  int64_t hh = size > 1 ? ++c->next_household : 0;
  if (hh) {
    t->households++;
    t->in_households += size;
  }
  for (int i = 0; i < size; i++) {
    bool ald = cpt_gen_bernoulli(r, ages->ald[band[i]]);
    bool hv = cpt_gen_bernoulli(r, f->home_visit_p[band[i]]);
    cpt_gen_out_reserve(o);
    cpt_gen_out_char(o, 'P');
    cpt_gen_out_int(o, ++c->next_patient, 7);
    cpt_gen_out_char(o, ',');
    cpt_gen_out_str(o, m->insee);
    cpt_gen_out_char(o, ',');
    cpt_gen_out_int(o, age[i], 1);
    cpt_gen_out_str(o, ald ? ",1" : ",0");
    cpt_gen_out_str(o, prec ? ",1" : ",0");
    cpt_gen_out_str(o, hv ? ",1," : ",0,");
    if (hh) {
      cpt_gen_out_char(o, 'H');
      cpt_gen_out_int(o, hh, 6);
    }
    cpt_gen_out_char(o, ',');
    if (prev)
      cpt_gen_out_str(o, prev);
    cpt_gen_out_char(o, '\n');
    t->patients++;
    t->children += age[i] < 16;
    t->age70 += age[i] >= 70;
    t->ald += ald;
    t->precarity += prec;
    t->home_visit += hv;
  }
}

static void write_people(cpt_gen_ctx *c, cpt_gen_out *o, cpt_gen_rng *r,
                         const cpt_gen_ages *ages, const cpt_commune *m,
                         int64_t n, const char *prev, tally *t) {
  while (n > 0) {
    int size = group_size(c, r, n);
    write_group(c, o, r, ages, m, size, prev, t);
    n -= size;
  }
}

static const char header[] =
    "id,commune,age,ald,precarity,home_visit,household,prev_doctor\n";

cpt_status cpt_gen_write_patients(cpt_gen_ctx *c, FILE *f) {
  cpt_gen_out *o = cpt_gen_out_new(f);
  if (!o)
    return CPT_ENOMEM;
  cpt_gen_out_str(o, header);
  tally t = {0};
  for (size_t k = 0; k < c->t->n; k++) {
    int32_t i = c->t->communes[k];
    const cpt_commune *m = cpt_communes_get(c->communes, i);
    cpt_gen_rng r;
    cpt_gen_rng_seed(&r, c->p->seed, CPT_GEN_STREAM_PATIENTS, (uint64_t)i);
    double expect = (double)m->population * c->p->scale * c->share[k];
    write_people(c, o, &r, &c->no_mt, m, cpt_gen_round(&r, expect), NULL, &t);
  }
  cpt_gen_out_free(o);
  cpt_gen_counts *q = &c->res->counts;
  q->patients = t.patients;
  q->households = t.households;
  q->in_households = t.in_households;
  q->children = t.children;
  q->age70 = t.age70;
  q->ald = t.ald;
  q->precarity = t.precarity;
  q->home_visit = t.home_visit;
  return CPT_OK;
}

/* The list of departing doctor d, over the communes around it. */
static void write_list(cpt_gen_ctx *c, cpt_gen_out *o, const cpt_gen_doctor *d,
                       size_t index, double *w, tally *t) {
  const cpt_gen_figures *f = c->f;
  const cpt_commune *home = cpt_communes_get(c->communes, d->commune);
  double total = 0;
  for (size_t k = 0; k < c->t->n; k++) {
    const cpt_commune *m = cpt_communes_get(c->communes, c->t->communes[k]);
    double km = c->t->communes[k] == d->commune
                    ? 0
                    : cpt_haversine_km(home->lat, home->lon, m->lat, m->lon);
    w[k] = km <= f->departure_radius_km
               ? (double)m->population * exp(-km / f->departure_decay_km)
               : 0;
    if (c->t->communes[k] == d->commune && w[k] <= 0)
      w[k] = 1; /* empty */
    total += w[k];
  }
  cpt_gen_rng r;
  cpt_gen_rng_seed(&r, c->p->seed, CPT_GEN_STREAM_DEPARTURE, index);
  size_t last = 0;
  for (size_t k = 0; k < c->t->n; k++)
    if (w[k] > 0)
      last = k;
  double u = cpt_gen_unif(&r), cum = 0, scale = d->current / total;
  int64_t placed = 0;
  for (size_t k = 0; k <= last; k++) {
    if (w[k] <= 0)
      continue;
    double e = w[k] * scale;
    int64_t n = k == last ? d->current - placed
                          : (int64_t)(ceil(cum + e - u) - ceil(cum - u));
    if (n > d->current - placed)
      n = d->current - placed;
    cum += e;
    placed += n;
    const cpt_commune *m = cpt_communes_get(c->communes, c->t->communes[k]);
    write_people(c, o, &r, &c->list, m, n, d->id, t);
  }
}

cpt_status cpt_gen_write_departures(cpt_gen_ctx *c, FILE *f) {
  cpt_gen_out *o = cpt_gen_out_new(f);
  double *w = malloc((c->t->n ? c->t->n : 1) * sizeof *w);
  if (!o || !w) {
    free(o);
    free(w);
    return CPT_ENOMEM;
  }
  cpt_gen_out_str(o, header);
  tally t = {0};
  for (size_t i = 0; i < c->nd; i++)
    if (c->doc[i].leaving)
      write_list(c, o, &c->doc[i], i, w, &t);
  cpt_gen_out_free(o);
  free(w);
  c->res->counts.departure_patients = t.patients;
  c->res->counts.departure_households = t.households;
  return CPT_OK;
}
