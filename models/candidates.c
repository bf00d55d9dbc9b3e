/*
 * candidates.c — eligible (class, doctor) pairs of the MT model, found
 * through a spatial grid instead of an all-pairs loop.
 *
 * Doctors (leaving ones excluded) are bucketed in a regular latitude/
 * longitude grid whose cells are r₀ = max_km/detour kilometres high, and
 * sorted by cell.  A class at latitude φ with radius r = max_km_p/detour
 * scans the rows of cells within φ ± r/R and, in each row, the cells within
 * λ ± asin(sin(r/R)/cos φ) — the exact longitude extent of a spherical cap,
 * so no doctor within range is missed — each row being one binary search
 * and a contiguous run of the sorted doctors.  (The grid does not wrap at
 * the antimeridian; no French commune lies near it.)
 *
 * Two passes over the classes, each in parallel with OpenMP: count, then
 * fill the CSR arrays; each class's list is sorted by doctor index, so the
 * result is the same whatever the number of threads.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "assign_internal.h"
#include "geo.h"

#define DEG (180.0 / 3.14159265358979323846)

typedef struct grid {
  double cs;       /* cell size in degrees */
  int64_t nj;      /* cells per row */
  size_t n;        /* doctors in the grid */
  int64_t *key;    /* sorted cell keys */
  int32_t *doc;    /* doctor of each entry */
  double *phi, *lam, *cphi; /* entry's latitude, longitude (radians), cos φ */
} grid;

typedef struct gentry { int64_t key; int32_t doc; } gentry;

static int cmp_gentry(const void *x, const void *y) {
  const gentry *a = x, *b = y;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  return (a->doc > b->doc) - (a->doc < b->doc);
}

static int64_t cell_i(const grid *g, double lat) {
  return (int64_t)floor((lat + 90.0) / g->cs);
}
static int64_t cell_j(const grid *g, double lon) {
  return (int64_t)floor((lon + 180.0) / g->cs);
}

static cpt_status grid_build(grid *g, const cpt_assign_ctx *c) {
  const cpt_config *cfg = c->cfg;
  double r0 = cfg->assign_max_km / cfg->assign_detour;
  g->cs = r0 / CPT_EARTH_RADIUS_KM * DEG;
  if (g->cs < 0.005) g->cs = 0.005;
  if (g->cs > 45) g->cs = 45;
  g->nj = (int64_t)ceil(360.0 / g->cs) + 2;
  gentry *e = malloc((c->nd ? c->nd : 1) * sizeof *e);
  if (!e) return CPT_ENOMEM;
  size_t n = 0;
  for (size_t d = 0; d < c->nd; d++) {
    if (c->leaving[d]) continue;
    const cpt_loc *l = &c->doctors->v[d].loc;
    e[n].key = cell_i(g, l->lat) * g->nj + cell_j(g, l->lon);
    e[n].doc = (int32_t)d;
    n++;
  }
  qsort(e, n, sizeof *e, cmp_gentry);
  g->n = n;
  size_t n1 = n ? n : 1;
  g->key = malloc(n1 * sizeof *g->key);
  g->doc = malloc(n1 * sizeof *g->doc);
  g->phi = malloc(n1 * sizeof *g->phi);
  g->lam = malloc(n1 * sizeof *g->lam);
  g->cphi = malloc(n1 * sizeof *g->cphi);
  if (!g->key || !g->doc || !g->phi || !g->lam || !g->cphi) {
    free(e);
    return CPT_ENOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    const cpt_loc *l = &c->doctors->v[e[i].doc].loc;
    g->key[i] = e[i].key;
    g->doc[i] = e[i].doc;
    g->phi[i] = l->lat / DEG;
    g->lam[i] = l->lon / DEG;
    g->cphi[i] = cos(g->phi[i]);
  }
  free(e);
  return CPT_OK;
}

static void grid_free(grid *g) {
  free(g->key);
  free(g->doc);
  free(g->phi);
  free(g->lam);
  free(g->cphi);
}

static size_t lower_bound(const int64_t *v, size_t n, int64_t x) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid] < x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

typedef struct cand { int32_t doc; double dist; } cand;

static int cmp_cand(const void *x, const void *y) {
  const cand *a = x, *b = y;
  return (a->doc > b->doc) - (a->doc < b->doc);
}

/* Scan the grid for class k.  Writes eligible candidates to out (if not
 * NULL, sorted by doctor, with their distance) and returns their number;
 * sets the range and need flags.  The range test compares the haversine
 * term h = sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2) with sin²(r/2R), which is
 * monotone in the distance, so no asin is taken for rejected doctors; near
 * the boundary (and for every accepted pair) the distance itself is
 * computed by cpt_dist_km, the function the objective uses. */
static size_t scan_class(const cpt_assign_ctx *c, const grid *g, size_t k,
                         cand *out, uint8_t *in_range, uint8_t *need_ok) {
  const cpt_config *cfg = c->cfg;
  const cpt_patient *p = &c->patients->v[c->perm[c->cls_start[k]]];
  double max_km = isnan(p->max_km) ? cfg->assign_max_km : p->max_km;
  bool child = p->age < 16, home = p->home_visit;
  double r = max_km / cfg->assign_detour;
  double theta = r / CPT_EARTH_RADIUS_KM * (1 + 1e-9) + 1e-12;
  double dlat = theta * DEG;
  double lat = p->loc.lat, lon = p->loc.lon;
  double phi = lat / DEG, lam = lon / DEG, cphi = cos(phi);
  double sh = sin(fmin(theta, 3.14159265358979323846) / 2);
  double hmax = sh * sh, hlo = hmax * (1 - 1e-7), hhi = hmax * (1 + 1e-7);
  bool commune_only = !p->loc.explicit_coords && p->loc.commune >= 0;
  int64_t j0, j1;
  if (fabs(lat) + dlat >= 89.0 || theta >= 1.0) {
    j0 = 0;
    j1 = g->nj - 1;
  } else {
    double s = sin(theta) / cphi;
    double dlon = (s >= 1.0 ? 180.0 : asin(s) * DEG) * (1 + 1e-9) + 1e-12;
    j0 = cell_j(g, lon - dlon);
    j1 = cell_j(g, lon + dlon);
    if (j0 < 0) j0 = 0;
    if (j1 > g->nj - 1) j1 = g->nj - 1;
  }
  int64_t i0 = cell_i(g, lat - dlat), i1 = cell_i(g, lat + dlat);
  if (i0 < 0) i0 = 0;
  size_t n = 0;
  *in_range = *need_ok = 0;
  for (int64_t i = i0; i <= i1; i++) {
    size_t a = lower_bound(g->key, g->n, i * g->nj + j0);
    int64_t last = i * g->nj + j1;
    for (size_t e = a; e < g->n && g->key[e] <= last; e++) {
      int32_t d = g->doc[e];
      const cpt_doctor *doc = &c->doctors->v[d];
      double dist = -1;
      if (commune_only && !doc->loc.explicit_coords &&
          doc->loc.commune == p->loc.commune) {
        dist = cfg->assign_intra_commune_km;
        if (!(dist <= max_km)) continue;
      } else {
        double s1 = sin((g->phi[e] - phi) / 2), s2 = sin((g->lam[e] - lam) / 2);
        double h = s1 * s1 + cphi * g->cphi[e] * s2 * s2;
        if (h > hhi) continue;
        if (h >= hlo || out) {
          dist = cpt_dist_km(&p->loc, &doc->loc, cfg->assign_detour,
                             cfg->assign_intra_commune_km);
          if (!(dist <= max_km)) continue;
        }
      }
      *in_range = 1;
      if (child && !doc->children) continue;
      if (home && !doc->home_visits) continue;
      *need_ok = 1;
      if (out) {
        out[n].doc = d;
        out[n].dist = dist;
      }
      n++;
    }
  }
  if (out && n > 1) qsort(out, n, sizeof *out, cmp_cand);
  return n;
}

cpt_status cpt_assign_candidates(cpt_assign_ctx *c) {
  grid g = {0};
  cpt_status st = grid_build(&g, c);
  if (st != CPT_OK) {
    grid_free(&g);
    return st;
  }
  size_t nc = c->nc;
  int nt = c->cfg->solver_threads > 0 ? (int)c->cfg->solver_threads
                                      : omp_get_max_threads();
  c->cand_start = calloc(nc + 1, sizeof *c->cand_start);
  c->cls_in_range = calloc(nc ? nc : 1, 1);
  c->cls_need_ok = calloc(nc ? nc : 1, 1);
  if (!c->cand_start || !c->cls_in_range || !c->cls_need_ok) {
    grid_free(&g);
    return CPT_ENOMEM;
  }
  /* A stop (SIGINT) skips the remaining classes and leaves every list
   * empty: the caller sees the flag and reports the solve interrupted. */
  const atomic_int *stop = c->params ? c->params->stop : NULL;
  /* pass 1: counts */
#pragma omp parallel for schedule(dynamic, 64) num_threads(nt)
  for (size_t k = 0; k < nc; k++)
    if (!(stop && atomic_load(stop)))
      c->cand_start[k + 1] = scan_class(c, &g, k, NULL, &c->cls_in_range[k],
                                        &c->cls_need_ok[k]);
  if (stop && atomic_load(stop)) {
    memset(c->cand_start, 0, (nc + 1) * sizeof *c->cand_start);
    grid_free(&g);
    return CPT_OK;
  }
  for (size_t k = 0; k < nc; k++) c->cand_start[k + 1] += c->cand_start[k];
  size_t total = c->cand_start[nc];
  c->cand_doc = malloc((total ? total : 1) * sizeof *c->cand_doc);
  c->cand_dist = malloc((total ? total : 1) * sizeof *c->cand_dist);
  cand *buf = malloc((total ? total : 1) * sizeof *buf);
  if (!c->cand_doc || !c->cand_dist || !buf) {
    free(buf);
    grid_free(&g);
    return CPT_ENOMEM;
  }
  /* pass 2: fill */
#pragma omp parallel for schedule(dynamic, 64) num_threads(nt)
  for (size_t k = 0; k < nc; k++) {
    if (stop && atomic_load(stop)) continue;
    uint8_t r, n;
    size_t s = c->cand_start[k];
    size_t m = scan_class(c, &g, k, buf + s, &r, &n);
    CPT_REQUIRE(m == c->cand_start[k + 1] - s, "candidate count changed");
    for (size_t i = 0; i < m; i++) {
      c->cand_doc[s + i] = buf[s + i].doc;
      c->cand_dist[s + i] = buf[s + i].dist;
    }
  }
  free(buf);
  grid_free(&g);
  if (stop && atomic_load(stop)) /* lists half filled: none at all */
    memset(c->cand_start, 0, (nc + 1) * sizeof *c->cand_start);
  return CPT_OK;
}

double cpt_assign_value(const cpt_assign_ctx *c, size_t k, int32_t d,
                        double dist) {
  const cpt_config *cfg = c->cfg;
  int32_t rep = c->perm[c->cls_start[k]];
  double v = c->pi[rep] - cfg->assign_cost_per_km * dist;
  int32_t ps = c->prev_site[rep];
  if (ps >= 0 && c->site[d] == ps) v += cfg->assign_same_site_bonus;
  return v;
}
