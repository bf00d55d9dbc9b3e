/*
 * assign_prep.c — preparation of an MT assignment instance (SPEC §1):
 * doctors' room and fairness threshold, leaving doctors, site ids, patients'
 * priority and previous site, and the aggregation of patients into classes
 * of interchangeable patients (see assign_internal.h).
 *
 * Classes come from one sort of the patients by (location, child, home
 * visit need, max_km, π, previous site, id): equal keys are one class, and
 * the id tie-break gives the deterministic disaggregation order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assign_internal.h"

typedef struct pkey {
  double lat, lon;     /* explicit coordinates, or 0 */
  int32_t commune;     /* for commune-only locations, else −1 */
  uint8_t explicit_coords, child, home;
  double max_km, pi;
  int32_t prev_site;
  int32_t idx;
  const char *id;
} pkey;

static int cmp_double(double a, double b) { return (a > b) - (a < b); }

static int cmp_pkey_class(const pkey *a, const pkey *b) {
  int r;
  if ((r = (int)a->explicit_coords - (int)b->explicit_coords)) return r;
  if (a->explicit_coords) {
    if ((r = cmp_double(a->lat, b->lat))) return r;
    if ((r = cmp_double(a->lon, b->lon))) return r;
  } else if ((r = (a->commune > b->commune) - (a->commune < b->commune))) {
    return r;
  }
  if ((r = (int)a->child - (int)b->child)) return r;
  if ((r = (int)a->home - (int)b->home)) return r;
  if ((r = cmp_double(a->max_km, b->max_km))) return r;
  if ((r = cmp_double(a->pi, b->pi))) return r;
  return (a->prev_site > b->prev_site) - (a->prev_site < b->prev_site);
}

static int cmp_pkey(const void *x, const void *y) {
  const pkey *a = x, *b = y;
  int r = cmp_pkey_class(a, b);
  return r ? r : strcmp(a->id, b->id);
}

/* Doctor indices sorted by a string field, for lookups by id and site. */
typedef struct { const char *s; int32_t idx; } strix;

static int cmp_strix(const void *x, const void *y) {
  const strix *a = x, *b = y;
  int r = strcmp(a->s, b->s);
  return r ? r : (a->idx > b->idx) - (a->idx < b->idx);
}

static int32_t find_id(const strix *v, size_t n, const char *s) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int r = strcmp(v[mid].s, s);
    if (r == 0) return v[mid].idx;
    if (r < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

double cpt_priority(const cpt_patient *p, const cpt_config *cfg) {
  double pi = cfg->assign_priority_base;
  if (p->ald) pi += cfg->assign_priority_ald;
  if (p->age >= 70) pi += cfg->assign_priority_age70;
  if (p->age < 16) pi += cfg->assign_priority_child;
  if (p->precarity) pi += cfg->assign_priority_precarity;
  return pi;
}

static cpt_status prepare_doctors(cpt_assign_ctx *c, strix *by_id,
                                  cpt_diags *diags) {
  const cpt_doctors *D = c->doctors;
  const cpt_config *cfg = c->cfg;
  size_t nd = c->nd;
  for (size_t d = 0; d < nd; d++) {
    by_id[d].s = D->v[d].id;
    by_id[d].idx = (int32_t)d;
  }
  qsort(by_id, nd, sizeof *by_id, cmp_strix);

  cpt_status st = CPT_OK;
  const cpt_assign_params *pp = c->params;
  for (size_t i = 0; pp && i < pp->n_leaving; i++) {
    int32_t d = find_id(by_id, nd, pp->leaving[i]);
    if (d < 0) {
      cpt_diag_error(diags, "command line", 0, 0,
                     "leaving doctor '%s' is not in the doctors file",
                     pp->leaving[i]);
      st = CPT_EINPUT;
    } else {
      c->leaving[d] = 1;
    }
  }

  /* Site ids: distinct non-empty site strings, numbered in sorted order. */
  strix *sites = malloc((nd ? nd : 1) * sizeof *sites);
  if (!sites) return CPT_ENOMEM;
  size_t ns = 0;
  for (size_t d = 0; d < nd; d++) {
    c->site[d] = -1;
    if (D->v[d].site && D->v[d].site[0]) {
      sites[ns].s = D->v[d].site;
      sites[ns].idx = (int32_t)d;
      ns++;
    }
  }
  qsort(sites, ns, sizeof *sites, cmp_strix);
  int32_t sid = -1;
  for (size_t i = 0; i < ns; i++) {
    if (i == 0 || strcmp(sites[i].s, sites[i - 1].s) != 0) sid++;
    c->site[sites[i].idx] = sid;
  }
  free(sites);

  size_t over = 0;
  for (size_t d = 0; d < nd; d++) {
    const cpt_doctor *doc = &D->v[d];
    int64_t room = (int64_t)doc->capacity - doc->current;
    if (room < 0) {
      room = 0;
      over++;
    }
    int64_t waves = pp && pp->waves > 1 ? pp->waves : 1;
    int64_t per = doc->max_new; /* per wave when there are waves */
    if (pp && pp->max_new_per_wave >= 0 && (per < 0 || pp->max_new_per_wave < per))
      per = pp->max_new_per_wave;
    if (per >= 0 && waves * per < room) room = waves * per;
    if (c->leaving[d]) room = 0;
    /* ⌊threshold·cap⌋ of the decimal product: 0.57·100 is 56.999… in
     * binary, so a relative epsilon keeps it at 57 */
    double prod = cfg->assign_fairness_threshold * (double)doc->capacity;
    int64_t t = (int64_t)floor(prod * (1 + 1e-12) + 1e-9) - doc->current;
    if (t < 0) t = 0;
    if (t > room) t = room;
    c->room[d] = (int32_t)room;
    c->thr[d] = (int32_t)t;
  }
  if (over)
    cpt_diag_warn(diags, NULL, 0, 0,
                  "%zu doctor(s) have a current list above their capacity "
                  "(no room)", over);
  return st;
}

static cpt_status prepare_classes(cpt_assign_ctx *c, const strix *by_id,
                                  cpt_diags *diags) {
  const cpt_patients *P = c->patients;
  const cpt_config *cfg = c->cfg;
  size_t np = c->np;
  pkey *keys = malloc((np ? np : 1) * sizeof *keys);
  if (!keys) return CPT_ENOMEM;
  size_t unknown_prev = 0;
  for (size_t i = 0; i < np; i++) {
    const cpt_patient *p = &P->v[i];
    c->pi[i] = cpt_priority(p, cfg);
    int32_t ps = -1;
    if (p->prev_doctor && p->prev_doctor[0]) {
      int32_t d = find_id(by_id, c->nd, p->prev_doctor);
      if (d < 0)
        unknown_prev++;
      else
        ps = c->site[d];
    }
    c->prev_site[i] = ps;
    pkey *k = &keys[i];
    k->explicit_coords = p->loc.explicit_coords;
    k->lat = p->loc.explicit_coords ? p->loc.lat : 0;
    k->lon = p->loc.explicit_coords ? p->loc.lon : 0;
    k->commune = p->loc.explicit_coords ? -1 : p->loc.commune;
    k->child = p->age < 16;
    k->home = p->home_visit;
    k->max_km = isnan(p->max_km) ? cfg->assign_max_km : p->max_km;
    k->pi = c->pi[i];
    k->prev_site = ps;
    k->idx = (int32_t)i;
    k->id = p->id;
  }
  if (unknown_prev)
    cpt_diag_warn(diags, NULL, 0, 0,
                  "%zu patient(s) name a prev_doctor absent from the doctors "
                  "file (no same-site bonus for them)", unknown_prev);
  qsort(keys, np, sizeof *keys, cmp_pkey);

  size_t nc = 0;
  for (size_t i = 0; i < np; i++)
    if (i == 0 || cmp_pkey_class(&keys[i], &keys[i - 1]) != 0) nc++;
  c->nc = nc;
  c->cls_start = malloc((nc + 1) * sizeof *c->cls_start);
  if (!c->cls_start) {
    free(keys);
    return CPT_ENOMEM;
  }
  size_t k = 0;
  for (size_t i = 0; i < np; i++) {
    if (i == 0 || cmp_pkey_class(&keys[i], &keys[i - 1]) != 0)
      c->cls_start[k++] = i;
    c->perm[i] = keys[i].idx;
    c->class_of[keys[i].idx] = (int32_t)(k - 1);
  }
  c->cls_start[nc] = np;
  free(keys);
  return CPT_OK;
}

cpt_status cpt_assign_prepare(cpt_assign_ctx *c, const cpt_doctors *d,
                              const cpt_patients *p, const cpt_config *cfg,
                              const cpt_assign_params *params,
                              cpt_diags *diags) {
  memset(c, 0, sizeof *c);
  c->doctors = d;
  c->patients = p;
  c->cfg = cfg;
  c->params = params;
  c->time_limit_s = cfg->solver_time_limit_s;
  c->nd = d->n;
  c->np = p->n;
  size_t nd1 = c->nd ? c->nd : 1, np1 = c->np ? c->np : 1;
  c->leaving = calloc(nd1, 1);
  c->room = malloc(nd1 * sizeof *c->room);
  c->thr = malloc(nd1 * sizeof *c->thr);
  c->site = malloc(nd1 * sizeof *c->site);
  c->pi = malloc(np1 * sizeof *c->pi);
  c->prev_site = malloc(np1 * sizeof *c->prev_site);
  c->class_of = malloc(np1 * sizeof *c->class_of);
  c->perm = malloc(np1 * sizeof *c->perm);
  strix *by_id = malloc(nd1 * sizeof *by_id);
  cpt_status st = CPT_ENOMEM;
  if (c->leaving && c->room && c->thr && c->site && c->pi && c->prev_site &&
      c->class_of && c->perm && by_id) {
    st = prepare_doctors(c, by_id, diags);
    if (st == CPT_OK) st = prepare_classes(c, by_id, diags);
  }
  free(by_id);
  return st;
}

void cpt_assign_ctx_free(cpt_assign_ctx *c) {
  if (!c) return;
  free(c->leaving);
  free(c->room);
  free(c->thr);
  free(c->site);
  free(c->pi);
  free(c->prev_site);
  free(c->class_of);
  free(c->perm);
  free(c->cls_start);
  free(c->cand_start);
  free(c->cand_doc);
  free(c->cand_dist);
  free(c->cls_in_range);
  free(c->cls_need_ok);
  memset(c, 0, sizeof *c);
}

typedef struct hkey { const char *h; const char *id; int32_t idx; } hkey;

static int cmp_hkey(const void *x, const void *y) {
  const hkey *a = x, *b = y;
  int r;
  if (a->h && b->h) {
    if ((r = strcmp(a->h, b->h))) return r;
  } else if (a->h || b->h) {
    return a->h ? -1 : 1;
  }
  return strcmp(a->id, b->id);
}

cpt_status cpt_assign_units(const cpt_assign_ctx *c, cpt_units *u) {
  const cpt_patients *P = c->patients;
  size_t np = c->np;
  memset(u, 0, sizeof *u);
  hkey *hk = malloc((np ? np : 1) * sizeof *hk);
  u->start = malloc((np + 1) * sizeof *u->start);
  u->pat = malloc((np ? np : 1) * sizeof *u->pat);
  u->unit_of = malloc((np ? np : 1) * sizeof *u->unit_of);
  if (!hk || !u->start || !u->pat || !u->unit_of) {
    free(hk);
    cpt_units_free(u);
    return CPT_ENOMEM;
  }
  for (size_t i = 0; i < np; i++) {
    const char *h = P->v[i].household;
    hk[i].h = (h && h[0]) ? h : NULL;
    hk[i].id = P->v[i].id;
    hk[i].idx = (int32_t)i;
  }
  qsort(hk, np, sizeof *hk, cmp_hkey);
  size_t n = 0;
  for (size_t i = 0; i < np; i++) {
    bool same = i > 0 && hk[i].h && hk[i - 1].h && !strcmp(hk[i].h, hk[i - 1].h);
    if (!same) u->start[n++] = i;
    u->pat[i] = hk[i].idx;
    u->unit_of[hk[i].idx] = (int32_t)(n - 1);
  }
  u->start[n] = np;
  u->n = n;
  free(hk);
  return CPT_OK;
}

void cpt_units_free(cpt_units *u) {
  if (!u) return;
  free(u->start);
  free(u->pat);
  free(u->unit_of);
  memset(u, 0, sizeof *u);
}
