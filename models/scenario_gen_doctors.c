/*
 * scenario_gen_doctors.c — the GPs of a generated territory, their sites,
 * the doctors who leave, and doctors.csv.
 *
 * Placement: systematic sampling over the expected GPs per commune
 * (ctx->expect, from scenario_gen_density.c): with one uniform u, commune
 * k gets the integers j ≥ 0 with u + j in [E_k, E_k + e_k), E_k the
 * cumulated expectation before it — so every commune gets floor or ceil
 * of its expectation and the total is within one of Σ e.
 * Sites: the doctors of a commune are cut into sites whose sizes follow
 * site_size_p (1–6 doctors), the last one truncated.  Each doctor draws a
 * list size from the CNAM deciles (linear between deciles), a capacity
 * (closed with closed_share, else a little room above the list, more for
 * small lists being built), the children and home-visit flags, and
 * whether and how much it takes part in the SNP rota.
 * Departures: among the doctors with a large list (≥ large_list, CNAM
 * P70), a seeded partial Fisher–Yates picks K; when fewer have one, the
 * largest remaining lists complete the pick.  They take no rota slots.
 */
#include <stdlib.h>

#include "scenario_gen_internal.h"

static int32_t draw_list(cpt_gen_rng *r, const cpt_gen_figures *f) {
  double x = cpt_gen_unif(r) * 10.0;
  int i = (int)x;
  if (i > 9)
    i = 9;
  double v = f->list_quantile[i] +
             (x - i) * (f->list_quantile[i + 1] - f->list_quantile[i]);
  return (int32_t)lround(v);
}

static int32_t draw_room(cpt_gen_rng *r, const cpt_gen_figures *f,
                         int32_t current) {
  if (cpt_gen_bernoulli(r, f->closed_share))
    return 0;
  double u = cpt_gen_unif(r);
  if (current < f->small_list)
    return (int32_t)lround(f->small_room_min +
                           u * (f->small_room_max - f->small_room_min));
  double frac = f->room_min_frac + u * (f->room_max_frac - f->room_min_frac);
  return (int32_t)lround(current * frac) + 5;
}

static void draw_doctor(cpt_gen_ctx *c, cpt_gen_rng *r, cpt_gen_doctor *d) {
  const cpt_gen_figures *f = c->f;
  d->current = draw_list(r, f);
  d->capacity = d->current + draw_room(r, f, d->current);
  d->children = !cpt_gen_bernoulli(r, f->no_children_share);
  d->home_visits = !cpt_gen_bernoulli(r, f->no_home_visits_share);
  d->rota = cpt_gen_bernoulli(r, f->rota_participation);
  d->max_slots =
      d->rota ? f->max_slots_lo +
                    (int32_t)cpt_gen_below(
                        r, (uint32_t)(f->max_slots_hi - f->max_slots_lo + 1))
              : 0;
}

cpt_status cpt_gen_doctors(cpt_gen_ctx *c, cpt_diags *diags) {
  (void)diags;
  const cpt_territory *t = c->t;
  cpt_gen_rng r;
  cpt_gen_rng_seed(&r, c->p->seed, CPT_GEN_STREAM_DOCTORS, 0);
  double u = cpt_gen_unif(&r), cum = 0;
  int32_t *count = malloc((t->n ? t->n : 1) * sizeof *count);
  if (!count)
    return CPT_ENOMEM;
  size_t nd = 0;
  for (size_t k = 0; k < t->n; k++) {
    double lo = ceil(cum - u), hi = ceil(cum + c->expect[k] - u);
    count[k] = (int32_t)(hi - lo);
    cum += c->expect[k];
    nd += (size_t)count[k];
  }
  c->doc = calloc(nd ? nd : 1, sizeof *c->doc);
  c->site = calloc(nd ? nd : 1, sizeof *c->site);
  if (!c->doc || !c->site) {
    free(count);
    return CPT_ENOMEM;
  }
  double site_cdf[CPT_GEN_SITE_SIZES], acc = 0;
  for (int i = 0; i < CPT_GEN_SITE_SIZES; i++)
    site_cdf[i] = (acc += c->f->site_size_p[i]);
  site_cdf[CPT_GEN_SITE_SIZES - 1] = 1.0;

  char dep[4] = "";
  int num = 0;
  for (size_t k = 0; k < t->n; k++) {
    if (!count[k])
      continue;
    const cpt_commune *m = cpt_communes_get(c->communes, t->communes[k]);
    const char *dc = m->dep[0] ? m->dep : "00";
    if (strcmp(dc, dep)) {
      snprintf(dep, sizeof dep, "%s", dc);
      num = 0;
    }
    int32_t left = count[k];
    for (int s = 1; left > 0; s++) {
      int32_t size =
          (int32_t)cpt_gen_pick(&r, site_cdf, CPT_GEN_SITE_SIZES) + 1;
      if (size > left)
        size = left;
      cpt_gen_site *st = &c->site[c->ns];
      snprintf(st->id, sizeof st->id, "S%s-%03d", m->insee, s);
      st->commune = t->communes[k];
      st->first = (int32_t)c->nd;
      st->n = size;
      for (int32_t i = 0; i < size; i++) {
        cpt_gen_doctor *d = &c->doc[c->nd++];
        snprintf(d->id, sizeof d->id, "G%s%04d", dep, ++num);
        d->commune = t->communes[k];
        d->site = (int32_t)c->ns;
        draw_doctor(c, &r, d);
      }
      c->ns++;
      left -= size;
    }
  }
  free(count);
  cpt_gen_counts *q = &c->res->counts;
  q->doctors = (int64_t)c->nd;
  q->sites = (int64_t)c->ns;
  return CPT_OK;
}

static int by_id(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct by_size {
  int32_t current, index;
} by_size;

/* Largest list first; ties by index. */
static int by_list(const void *a, const void *b) {
  const by_size *x = a, *y = b;
  if (x->current != y->current)
    return x->current > y->current ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

cpt_status cpt_gen_pick_leaving(cpt_gen_ctx *c, cpt_diags *diags) {
  size_t k = (size_t)c->p->departures;
  if (!k)
    return CPT_OK;
  if (k > c->nd) {
    cpt_diag_error(diags, "generate", 0, 0,
                   "departures: %zu doctors cannot leave: the territory "
                   "has %zu at this scale",
                   k, c->nd);
    return CPT_EPARAM;
  }
  by_size *v = malloc(c->nd * sizeof *v);
  c->res->leaving = calloc(k, sizeof *c->res->leaving);
  if (!v || !c->res->leaving) {
    free(v);
    return CPT_ENOMEM;
  }
  size_t nc = 0, no = c->nd;
  for (size_t i = 0; i < c->nd; i++) { /* large lists first, others after */
    by_size e = {c->doc[i].current, (int32_t)i};
    if (c->doc[i].current >= c->f->large_list)
      v[nc++] = e;
    else
      v[--no] = e;
  }
  if (nc >= k) {
    cpt_gen_rng r;
    cpt_gen_rng_seed(&r, c->p->seed, CPT_GEN_STREAM_PICK, 0);
    for (size_t i = 0; i < k; i++) {
      size_t j = i + cpt_gen_below(&r, (uint32_t)(nc - i));
      by_size tmp = v[i];
      v[i] = v[j];
      v[j] = tmp;
    }
  } else
    qsort(v + nc, c->nd - nc, sizeof *v, by_list);
  for (size_t i = 0; i < k; i++)
    c->doc[v[i].index].leaving = true;
  free(v);
  for (size_t i = 0; i < c->nd; i++) {
    cpt_gen_doctor *d = &c->doc[i];
    if (!d->leaving)
      continue;
    d->rota = false;
    d->max_slots = 0;
    char *id = strdup(d->id);
    if (!id)
      return CPT_ENOMEM;
    c->res->leaving[c->res->n_leaving++] = id;
  }
  qsort(c->res->leaving, c->res->n_leaving, sizeof *c->res->leaving, by_id);
  return CPT_OK;
}

cpt_status cpt_gen_write_doctors(cpt_gen_ctx *c, FILE *f) {
  cpt_gen_out *o = cpt_gen_out_new(f);
  if (!o)
    return CPT_ENOMEM;
  cpt_gen_out_str(o, "id,commune,site,capacity,current,max_new,children,"
                     "home_visits,sites,max_slots,max_per_day,target\n");
  cpt_gen_counts *q = &c->res->counts;
  for (size_t i = 0; i < c->nd; i++) {
    const cpt_gen_doctor *d = &c->doc[i];
    const cpt_gen_site *s = &c->site[d->site];
    const cpt_gen_site *snp = &c->site[c->sector[s->sector].snp_site];
    cpt_gen_out_reserve(o);
    cpt_gen_out_str(o, d->id);
    cpt_gen_out_char(o, ',');
    cpt_gen_out_str(o, cpt_communes_get(c->communes, d->commune)->insee);
    cpt_gen_out_char(o, ',');
    cpt_gen_out_str(o, s->id);
    cpt_gen_out_char(o, ',');
    cpt_gen_out_int(o, d->capacity, 1);
    cpt_gen_out_char(o, ',');
    cpt_gen_out_int(o, d->current, 1);
    cpt_gen_out_str(o, d->children ? ",,1," : ",,0,");
    cpt_gen_out_str(o, d->home_visits ? "1," : "0,");
    cpt_gen_out_str(o, snp->id);
    cpt_gen_out_char(o, ',');
    cpt_gen_out_int(o, d->max_slots, 1);
    cpt_gen_out_str(o, ",,\n");
    q->no_children += !d->children;
    q->no_home_visits += !d->home_visits;
    q->capacity_room += d->capacity - d->current;
    q->current_total += d->current;
    q->rota_doctors += d->rota;
  }
  cpt_gen_out_free(o);
  return CPT_OK;
}
