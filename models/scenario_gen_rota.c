/*
 * scenario_gen_rota.c — the SNP rota inputs of a generated scenario (SPEC
 * §2): sectors, slots.csv and availability.csv for one week.
 *
 * Sectors: the sites are cut by recursive bisection — along the wider of
 * the two extents (longitude scaled by cos(latitude)), at the doctor-
 * weighted median, ties by site order — until a part has at most
 * sector_max_doctors doctors and spans at most sector_max_km (or is one
 * site).  Each sector hosts its slots
 * at its largest site (ties: the first); every doctor serves that site.
 * Slots: 2-hour slots, Monday–Friday 8h–20h and Saturday 8h–12h (the SAS
 * hours), kind snp.  A sector handles snp_per_1000_week appointments per
 * 1,000 inhabitants (× winter_factor in an epidemic week), shared among
 * sectors by their doctors, over the days by day_share (Monday heaviest;
 * Sunday's share is PDSA, not this rota) and within a day by the profile;
 * need = max(1, round(appointments / appointments_per_slot)), rounded
 * to nearest so that a heavier day never needs less (Monday heaviest).
 * Availability: each doctor who takes part declares a week: away (every
 * day unavailable), else maybe one weekday off (unavailable), the other
 * weekdays available 8h–20h with now and then a preferred window or a
 * blocked (unavailable) one, and Saturday morning with saturday_p.
 */
#include <stdlib.h>

#include "scenario_gen_internal.h"

#define DEG 0.017453292519943295      /* radians per degree */
#define KM_PER_DEG 111.19492664455873 /* 6371 km · DEG */

typedef struct pt {
  double x, y;
  int32_t site, n;
} pt;

static int axis_x(const void *a, const void *b) {
  const pt *p = a, *q = b;
  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  return (p->site > q->site) - (p->site < q->site);
}

static int axis_y(const void *a, const void *b) {
  const pt *p = a, *q = b;
  if (p->y != q->y)
    return p->y < q->y ? -1 : 1;
  return (p->site > q->site) - (p->site < q->site);
}

static void new_sector(cpt_gen_ctx *c, const pt *v, size_t n, int32_t total) {
  cpt_gen_sector *s = &c->sector[c->nsec];
  s->n_doctors = total;
  s->snp_site = v[0].site;
  for (size_t i = 0; i < n; i++) {
    const cpt_gen_site *a = &c->site[v[i].site], *b = &c->site[s->snp_site];
    if (a->n > b->n || (a->n == b->n && v[i].site < s->snp_site))
      s->snp_site = v[i].site;
    c->site[v[i].site].sector = (int32_t)c->nsec;
  }
  c->nsec++;
}

static void bisect(cpt_gen_ctx *c, pt *v, size_t n, int32_t total) {
  double x0 = v[0].x, x1 = v[0].x, y0 = v[0].y, y1 = v[0].y;
  for (size_t i = 1; i < n; i++) {
    x0 = fmin(x0, v[i].x);
    x1 = fmax(x1, v[i].x);
    y0 = fmin(y0, v[i].y);
    y1 = fmax(y1, v[i].y);
  }
  double km = fmax(x1 - x0, y1 - y0) * KM_PER_DEG;
  if (n == 1 ||
      (total <= c->f->sector_max_doctors && km <= c->f->sector_max_km)) {
    new_sector(c, v, n, total);
    return;
  }
  qsort(v, n, sizeof *v, x1 - x0 >= y1 - y0 ? axis_x : axis_y);
  int32_t acc = 0;
  size_t i = 0;
  while (i < n - 1 && 2 * (acc + v[i].n) <= total)
    acc += v[i++].n;
  if (i == 0)
    acc += v[i++].n;
  bisect(c, v, i, acc);
  bisect(c, v + i, n - i, total - acc);
}

cpt_status cpt_gen_sectors(cpt_gen_ctx *c) {
  c->sector = calloc(c->ns ? c->ns : 1, sizeof *c->sector);
  pt *v = malloc((c->ns ? c->ns : 1) * sizeof *v);
  if (!c->sector || !v) {
    free(v);
    return CPT_ENOMEM;
  }
  for (size_t i = 0; i < c->ns; i++) {
    const cpt_commune *m = cpt_communes_get(c->communes, c->site[i].commune);
    v[i] = (pt){m->lon * cos(m->lat * DEG), m->lat, (int32_t)i, c->site[i].n};
  }
  if (c->ns)
    bisect(c, v, c->ns, (int32_t)c->nd);
  free(v);
  c->res->counts.sectors = (int64_t)c->nsec;
  return CPT_OK;
}

static void put_time(cpt_gen_out *o, int h) {
  cpt_gen_out_int(o, h, 2);
  cpt_gen_out_str(o, ":00");
}

static void write_slots(cpt_gen_ctx *c, cpt_gen_out *o) {
  const cpt_gen_figures *f = c->f;
  cpt_gen_counts *q = &c->res->counts;
  cpt_gen_out_str(o, "id,date,start,end,site,need,kind\n");
  double week = q->population * f->snp_per_1000_week / 1000.0 *
                (c->res->winter ? f->winter_factor : 1.0);
  double wd_sum = 0, sat_sum = 0;
  for (int k = 0; k < 6; k++)
    wd_sum += f->weekday_profile[k];
  for (int k = 0; k < 2; k++)
    sat_sum += f->saturday_profile[k];
  for (size_t s = 0; s < c->nsec; s++) {
    const cpt_gen_site *site = &c->site[c->sector[s].snp_site];
    double w = week * c->sector[s].n_doctors / (double)c->nd;
    for (int day = 0; day < 6; day++) {
      char date[11], compact[9];
      cpt_gen_date(c->mon_days + day, date);
      memcpy(compact, date, 4);
      memcpy(compact + 4, date + 5, 2);
      memcpy(compact + 6, date + 8, 3);
      int nslots = day < 5 ? 6 : 2;
      for (int k = 0; k < nslots; k++) {
        double prof = day < 5 ? f->weekday_profile[k] / wd_sum
                              : f->saturday_profile[k] / sat_sum;
        double appts = w * f->day_share[day] * prof;
        int64_t need = lround(appts / f->appointments_per_slot);
        if (need < 1)
          need = 1;
        int h = 8 + 2 * k;
        cpt_gen_out_reserve(o);
        cpt_gen_out_str(o, site->id);
        cpt_gen_out_char(o, '-');
        cpt_gen_out_str(o, compact);
        cpt_gen_out_char(o, '-');
        cpt_gen_out_int(o, h, 2);
        cpt_gen_out_char(o, ',');
        cpt_gen_out_str(o, date);
        cpt_gen_out_char(o, ',');
        put_time(o, h);
        cpt_gen_out_char(o, ',');
        put_time(o, h + 2);
        cpt_gen_out_char(o, ',');
        cpt_gen_out_str(o, site->id);
        cpt_gen_out_char(o, ',');
        cpt_gen_out_int(o, need, 1);
        cpt_gen_out_str(o, ",snp\n");
        q->slots++;
        q->need_total += need;
      }
    }
  }
}

static void avail_row(cpt_gen_ctx *c, cpt_gen_out *o, const char *doctor,
                      int day, int from, int to, const char *level) {
  char date[11];
  cpt_gen_date(c->mon_days + day, date);
  cpt_gen_out_reserve(o);
  cpt_gen_out_str(o, doctor);
  cpt_gen_out_char(o, ',');
  cpt_gen_out_str(o, date);
  cpt_gen_out_char(o, ',');
  put_time(o, from);
  cpt_gen_out_char(o, ',');
  put_time(o, to);
  cpt_gen_out_char(o, ',');
  cpt_gen_out_str(o, level);
  cpt_gen_out_char(o, '\n');
  c->res->counts.availability_rows++;
}

/* Windows a doctor may prefer, or block for its own patients. */
static const int preferred_win[][2] = {
    {8, 10}, {8, 12}, {12, 14}, {16, 20}, {18, 20}};
static const int blocked_win[][2] = {{8, 12}, {10, 12}, {14, 18}, {16, 18}};

static void write_week(cpt_gen_ctx *c, cpt_gen_out *o, size_t i) {
  const cpt_gen_figures *f = c->f;
  const char *id = c->doc[i].id;
  cpt_gen_rng r;
  cpt_gen_rng_seed(&r, c->p->seed, CPT_GEN_STREAM_AVAIL, i);
  if (cpt_gen_bernoulli(&r, f->absent_week_p)) {
    for (int day = 0; day < 6; day++)
      avail_row(c, o, id, day, 8, day < 5 ? 20 : 12, "unavailable");
    return;
  }
  int off = -1;
  if (cpt_gen_bernoulli(&r, f->day_off_p)) {
    double cdf[5], acc = 0, tot = 0;
    for (int d = 0; d < 5; d++)
      tot += f->day_off_weight[d];
    for (int d = 0; d < 5; d++)
      cdf[d] = (acc += f->day_off_weight[d] / tot);
    cdf[4] = 1.0;
    off = cpt_gen_pick(&r, cdf, 5);
  }
  for (int day = 0; day < 5; day++) {
    if (day == off) {
      avail_row(c, o, id, day, 8, 20, "unavailable");
      continue;
    }
    avail_row(c, o, id, day, 8, 20, "available");
    if (cpt_gen_bernoulli(&r, f->preferred_p)) {
      const int *w = preferred_win[cpt_gen_below(&r, 5)];
      avail_row(c, o, id, day, w[0], w[1], "preferred");
    } else if (cpt_gen_bernoulli(&r, f->blocked_p)) {
      const int *w = blocked_win[cpt_gen_below(&r, 4)];
      avail_row(c, o, id, day, w[0], w[1], "unavailable");
    }
  }
  if (cpt_gen_bernoulli(&r, f->saturday_p))
    avail_row(c, o, id, 5, 8, 12,
              cpt_gen_bernoulli(&r, f->saturday_preferred_p) ? "preferred"
                                                             : "available");
}

cpt_status cpt_gen_write_rota(cpt_gen_ctx *c, FILE *slots, FILE *availability) {
  cpt_gen_out *o = cpt_gen_out_new(slots);
  if (!o)
    return CPT_ENOMEM;
  write_slots(c, o);
  cpt_gen_out_free(o);
  o = cpt_gen_out_new(availability);
  if (!o)
    return CPT_ENOMEM;
  cpt_gen_out_str(o, "doctor,date,start,end,level\n");
  for (size_t i = 0; i < c->nd; i++)
    if (c->doc[i].rota)
      write_week(c, o, i);
  cpt_gen_out_free(o);
  return CPT_OK;
}
