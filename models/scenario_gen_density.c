/*
 * scenario_gen_density.c — where GPs are and who lacks a médecin traitant:
 * the local GP density of every commune and, from it, its share of
 * inhabitants without MT and the GPs expected to serve it.
 *
 * Size factor: each commune gets the relative GP density of its size class
 * (smaller communes are less well served), divided by the national mean
 * f̄ = Σ N·f / Σ N over the whole table, so that France as a whole has
 * gp_per_100k.  Local density: the communes are binned on a grid of
 * cell_lat_deg × cell_lon_deg (about 11 km × 11 km); the density around a
 * commune is 78 · Σ N·f / (f̄ · Σ N) over its 3 × 3 block of cells, i.e.
 * within about 15 km, computed over the whole table so that a commune's
 * figures do not depend on the territory it is generated in.  Share
 * without MT: s = no_mt_share · (D/78)^(−α) / s̄, s̄ the national
 * population-weighted mean of (D/78)^(−α), clamped to [no_mt_min,
 * no_mt_max].  The arrondissements of Paris, Lyon and Marseille are left
 * out of the national sums (their city counts them).
 *
 * Expected GPs: scale·N·gp_per_100k/1e5·f/f̄ for each commune of the
 * territory; communes under practice_min_population have no practice, so
 * their expectation moves to the communes of the territory that have one
 * in the same 3 × 3 block (in proportion to N·f), and stays put when there
 * is none.
 */
#include <stdlib.h>

#include "scenario_gen_internal.h"

typedef struct cell {
  int64_t key;
  int32_t item; /* commune index, or position in the territory */
} cell;

typedef struct cellsum {
  int64_t key;
  double nf, n; /* Σ N·f, Σ N */
} cellsum;

static int by_key(const void *a, const void *b) {
  const cell *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (x->item > y->item) - (x->item < y->item);
}

static int64_t key_of(const cpt_gen_figures *f, double lat, double lon, int di,
                      int dj) {
  int64_t i = (int64_t)floor(lat / f->cell_lat_deg) + di;
  int64_t j = (int64_t)floor(lon / f->cell_lon_deg) + dj;
  return (i + 4000) * 10000 + (j + 5000);
}

static double size_factor(const cpt_gen_figures *f, int64_t pop) {
  int k = 0;
  while (k + 1 < CPT_GEN_SIZE_CLASSES && pop >= f->size_class_min[k + 1])
    k++;
  return f->size_class_factor[k];
}

/* First index in sorted cells with key ≥ k. */
static size_t lower(const cell *v, size_t n, int64_t k) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid].key < k)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static const cellsum *find_sum(const cellsum *v, size_t n, int64_t k) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid].key == k)
      return &v[mid];
    if (v[mid].key < k)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* Local density relative to the national one, D/78, around commune i. */
static double rel_density(const cpt_gen_ctx *c, const cellsum *s, size_t ns,
                          int32_t i, double fbar) {
  const cpt_commune *m = cpt_communes_get(c->communes, i);
  double nf = 0, n = 0;
  for (int di = -1; di <= 1; di++)
    for (int dj = -1; dj <= 1; dj++) {
      const cellsum *q = find_sum(s, ns, key_of(c->f, m->lat, m->lon, di, dj));
      if (q) {
        nf += q->nf;
        n += q->n;
      }
    }
  return n > 0 ? nf / (n * fbar) : 1.0;
}

static double share_of(const cpt_gen_figures *f, double rel, double sbar) {
  double s = f->no_mt_share * pow(rel, -f->no_mt_elasticity) / sbar;
  return s < f->no_mt_min ? f->no_mt_min : s > f->no_mt_max ? f->no_mt_max : s;
}

/* Σ N·f over the practice communes (pc, sorted) in the 3 × 3 block of m;
 * with add, also add per·N·f to add[position] for each of them. */
static double block_weight(const cpt_gen_ctx *c, const cell *pc, size_t np,
                           const cpt_commune *m, const double *fac, double per,
                           double *add) {
  double total = 0;
  for (int di = -1; di <= 1; di++)
    for (int dj = -1; dj <= 1; dj++) {
      int64_t key = key_of(c->f, m->lat, m->lon, di, dj);
      for (size_t q = lower(pc, np, key); q < np && pc[q].key == key; q++) {
        int32_t pos = pc[q].item;
        const cpt_commune *o =
            cpt_communes_get(c->communes, c->t->communes[pos]);
        double w = (double)o->population * fac[pos];
        total += w;
        if (add)
          add[pos] += per * w;
      }
    }
  return total;
}

/* Move the expectation of communes without a practice to the practice
 * communes of their block. */
static cpt_status to_practices(cpt_gen_ctx *c, const double *fac) {
  const cpt_territory *t = c->t;
  const cpt_gen_figures *f = c->f;
  cell *pc = malloc((t->n ? t->n : 1) * sizeof *pc);
  double *moved = calloc(t->n ? t->n : 1, sizeof *moved);
  if (!pc || !moved) {
    free(pc);
    free(moved);
    return CPT_ENOMEM;
  }
  size_t np = 0;
  for (size_t k = 0; k < t->n; k++) {
    const cpt_commune *m = cpt_communes_get(c->communes, t->communes[k]);
    if (m->population >= f->practice_min_population)
      pc[np++] = (cell){key_of(f, m->lat, m->lon, 0, 0), (int32_t)k};
  }
  qsort(pc, np, sizeof *pc, by_key);
  for (size_t k = 0; k < t->n; k++) {
    const cpt_commune *m = cpt_communes_get(c->communes, t->communes[k]);
    if (m->population >= f->practice_min_population || np == 0) {
      moved[k] += c->expect[k];
      continue;
    }
    double total = block_weight(c, pc, np, m, fac, 0, NULL);
    if (total > 0)
      block_weight(c, pc, np, m, fac, c->expect[k] / total, moved);
    else
      moved[k] += c->expect[k]; /* no practice around: it stays */
  }
  for (size_t k = 0; k < t->n; k++)
    c->expect[k] = moved[k];
  free(pc);
  free(moved);
  return CPT_OK;
}

cpt_status cpt_gen_density(cpt_gen_ctx *c) {
  const cpt_gen_figures *f = c->f;
  size_t n = cpt_communes_count(c->communes), nt = c->t->n;
  cell *cells = malloc((n ? n : 1) * sizeof *cells);
  cellsum *sums = malloc((n ? n : 1) * sizeof *sums);
  double *fac = malloc((nt ? nt : 1) * sizeof *fac);
  c->share = malloc((nt ? nt : 1) * sizeof *c->share);
  c->expect = malloc((nt ? nt : 1) * sizeof *c->expect);
  if (!cells || !sums || !fac || !c->share || !c->expect) {
    free(cells);
    free(sums);
    free(fac);
    return CPT_ENOMEM;
  }
  /* national sums and the grid */
  double sum_n = 0, sum_nf = 0;
  size_t nc = 0;
  for (size_t i = 0; i < n; i++) {
    if (cpt_territory_arrondissement_city(c->communes, (int32_t)i) >= 0)
      continue;
    const cpt_commune *m = cpt_communes_get(c->communes, (int32_t)i);
    sum_n += (double)m->population;
    sum_nf += (double)m->population * size_factor(f, m->population);
    cells[nc++] = (cell){key_of(f, m->lat, m->lon, 0, 0), (int32_t)i};
  }
  double fbar = sum_n > 0 ? sum_nf / sum_n : 1.0;
  qsort(cells, nc, sizeof *cells, by_key);
  size_t ns = 0;
  for (size_t q = 0; q < nc; q++) {
    const cpt_commune *m = cpt_communes_get(c->communes, cells[q].item);
    if (!ns || sums[ns - 1].key != cells[q].key)
      sums[ns++] = (cellsum){cells[q].key, 0, 0};
    sums[ns - 1].n += (double)m->population;
    sums[ns - 1].nf += (double)m->population * size_factor(f, m->population);
  }
  double sum_r = 0;
  for (size_t q = 0; q < nc; q++) {
    const cpt_commune *m = cpt_communes_get(c->communes, cells[q].item);
    double rel = rel_density(c, sums, ns, cells[q].item, fbar);
    sum_r += (double)m->population * pow(rel, -f->no_mt_elasticity);
  }
  double sbar = sum_n > 0 ? sum_r / sum_n : 1.0;
  c->res->f_mean = fbar;
  c->res->s_mean = sbar;

  /* the territory */
  cpt_gen_counts *k = &c->res->counts;
  double no_mt = 0;
  for (size_t q = 0; q < nt; q++) {
    const cpt_commune *m = cpt_communes_get(c->communes, c->t->communes[q]);
    double pop = (double)m->population * c->p->scale;
    fac[q] = size_factor(f, m->population) / fbar;
    c->share[q] =
        share_of(f, rel_density(c, sums, ns, c->t->communes[q], fbar), sbar);
    c->expect[q] = pop * f->gp_per_100k / 1e5 * fac[q];
    k->population += pop;
    k->doctors_expected += c->expect[q];
    no_mt += pop * c->share[q];
  }
  k->no_mt_expected = k->population > 0 ? no_mt / k->population : 0;
  free(cells);
  free(sums);
  cpt_status st = to_practices(c, fac);
  free(fac);
  return st;
}
