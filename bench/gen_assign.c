/*
 * gen_assign.c — seeded generator of synthetic médecin-traitant (MT)
 * assignment instances for the benchmark harness (bench/run.sh).
 *
 *   gen_assign --patients N --doctors M [--households SHARE] [--spare F]
 *              [--seed S] --out DIR
 *
 * writes DIR/doctors.csv and DIR/patients.csv in the format of SPEC §4 with
 * explicit lat/lon.  The territory is built from the figures of DOMAIN.md:
 * the N patients without an MT are ≈ 11 % of the population (CNAM 2021), so
 * the territory has N / 0.11 inhabitants at 120 inhabitants per km² (France
 * metropolitan mean); it is a square centred on 47° N 2.5° E cut into
 * synthetic communes of about 16 km² each (France: ~35,000 communes over
 * ~550,000 km²) placed uniformly at random, with lognormal populations
 * (σ = 1.5: median ≈ a third of the mean, as for French communes).
 * Patients are spread over communes in proportion to population by the
 * largest-remainder rule and all patients of one commune share its centroid
 * exactly (this is what makes aggregation into classes effective); doctors
 * follow population times a lognormal "attractiveness" noise (some
 * communes are under-served), grouped in practice sites of 1–5 doctors,
 * each site jittered up to 1.5 km from the centroid.
 *
 * Patients: age bands < 16 / 16–69 / 70–79 / 80+ = 18 / 67 / 8.9 / 6.1 %,
 * ALD probability rising with age (≈ 18 % overall), precarity (C2S) 11 %
 * per household, home-visit need mostly at 80+ (≈ 2 % overall), a previous
 * doctor (a doctor of the commune or of the nearest commune with doctors)
 * for 3 % of households, a personal max_km for 2 % of single patients.
 * With --households SHARE, that share of the patients live in households
 * of 2–5 (INSEE 2021 sizes among multi-person households: 2 / 3–4 / 5+ =
 * 32 / 23 / 5) inside one commune: couples, or adults with children.
 * Doctors: current list from the CNAM distribution of MT list sizes
 * (P10 198 … P90 1,844, mean 1,060) by piecewise-linear quantiles; 20 %
 * closed to new patients, the others share a total spare capacity of
 * F·N (default F = 0.5, so capacity binds) with exponential weights;
 * 5 % take no children, 5 % make no home visits, 10 % have a max_new.
 *
 * Randomness comes from xoshiro256** seeded by splitmix64, one stream per
 * concern (communes, doctors, patients), so the output is byte-identical
 * for the same arguments; numbers are printed with fixed formats.  Files
 * are written through a large buffer to DIR/x.csv.tmp and renamed.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define KM_PER_DEG_LAT 111.19492664455873 /* 6371.0 km · π / 180 */
#define CENTRE_LAT 47.0
#define CENTRE_LON 2.5
#define SHARE_WITHOUT_MT 0.11
#define DENSITY_PER_KM2 120.0
#define KM2_PER_COMMUNE 16.0
#define COMMUNE_SIGMA 1.5
#define DOCTOR_NOISE_SIGMA 0.5
#define SITE_JITTER_KM 1.5
#define PI_D 3.14159265358979323846

/* ---------------------------------------------------------------- RNG -- */

typedef struct cpt_rng {
  uint64_t s[4];
} cpt_rng;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void rng_seed(cpt_rng *r, uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static uint64_t rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(cpt_rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl64(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl64(s[3], 45);
  return result;
}

/* Uniform in [0, 1). */
static double rng_unif(cpt_rng *r) {
  return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n ≥ 1, without modulo bias. */
static uint64_t rng_below(cpt_rng *r, uint64_t n) {
  uint64_t lim = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = rng_next(r);
  while (x >= lim);
  return x % n;
}

static int rng_int(cpt_rng *r, int lo, int hi) { /* inclusive */
  return lo + (int)rng_below(r, (uint64_t)(hi - lo + 1));
}

static int rng_bern(cpt_rng *r, double p) { return rng_unif(r) < p; }

/* Standard normal by Box–Muller (one value per call). */
static double rng_normal(cpt_rng *r) {
  double u1 = 1.0 - rng_unif(r); /* (0, 1] */
  double u2 = rng_unif(r);
  return sqrt(-2.0 * log(u1)) * cos(2.0 * PI_D * u2);
}

/* ------------------------------------------------------------- output -- */

enum { OUT_BUF = 1 << 20 };

typedef struct out_file {
  FILE *f;
  char *buf;
  size_t n;
  int err;
} out_file;

static void out_flush(out_file *o) {
  if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n) o->err = 1;
  o->n = 0;
}

static void out_reserve(out_file *o, size_t k) {
  if (o->n + k > OUT_BUF) out_flush(o);
}

static void out_str(out_file *o, const char *s) {
  size_t k = strlen(s);
  out_reserve(o, k);
  memcpy(o->buf + o->n, s, k);
  o->n += k;
}

static void out_char(out_file *o, char c) {
  out_reserve(o, 1);
  o->buf[o->n++] = c;
}

static void out_u64(out_file *o, uint64_t v) {
  char tmp[24];
  int k = 0;
  do {
    tmp[k++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  out_reserve(o, (size_t)k);
  while (k) o->buf[o->n++] = tmp[--k];
}

static void out_id(out_file *o, char prefix, uint64_t v) {
  out_char(o, prefix);
  out_u64(o, v);
}

/* ------------------------------------------------------------ helpers -- */

static void die(const char *msg, const char *arg) {
  fprintf(stderr, "gen_assign: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
  exit(1);
}

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) die("out of memory", NULL);
  return p;
}

typedef struct frac_ix {
  double frac;
  size_t ix;
} frac_ix;

static int cmp_frac_desc(const void *x, const void *y) {
  const frac_ix *a = x, *b = y;
  if (a->frac != b->frac) return a->frac < b->frac ? 1 : -1;
  return (a->ix > b->ix) - (a->ix < b->ix);
}

/* Split total into out[0..n) proportionally to w (largest remainder, ties by
 * index), so that the parts sum to total exactly. */
static void apportion(const double *w, size_t n, uint64_t total, uint64_t *out) {
  double sum = 0;
  for (size_t i = 0; i < n; i++) sum += w[i];
  frac_ix *fr = xcalloc(n, sizeof *fr);
  uint64_t given = 0;
  for (size_t i = 0; i < n; i++) {
    double q = sum > 0 ? (double)total * w[i] / sum : 0.0;
    double fl = floor(q);
    out[i] = (uint64_t)fl;
    given += out[i];
    fr[i].frac = q - fl;
    fr[i].ix = i;
  }
  qsort(fr, n, sizeof *fr, cmp_frac_desc);
  for (size_t k = 0; given < total; k = (k + 1) % n, given++) out[fr[k].ix]++;
  free(fr);
}

static void mkdir_p(const char *dir) {
  char *p = xcalloc(strlen(dir) + 1, 1);
  strcpy(p, dir);
  for (char *s = p + 1;; s++) {
    if (*s == '/' || *s == '\0') {
      char c = *s;
      *s = '\0';
      if (mkdir(p, 0777) != 0 && errno != EEXIST) die("cannot create directory", p);
      *s = c;
      if (!c) break;
    }
  }
  free(p);
}

/* ------------------------------------------------------- the territory -- */

typedef struct commune {
  double x, y;            /* km from the centre */
  double pop;             /* relative population weight */
  uint64_t n_pat, n_doc;  /* patients and doctors placed here */
  size_t first_doc;       /* index of its first doctor */
  size_t near;            /* itself if it has doctors, else the nearest commune that has */
  char lat[16], lon[16];  /* centroid, "%.5f" */
} commune;

typedef struct doctor {
  char lat[16], lon[16];
  uint64_t site;
  int current, spare, max_new; /* max_new −1 = none */
  int children, home_visits;
} doctor;

typedef struct gen {
  uint64_t n_pat, n_doc, seed;
  double hh_share, spare_frac;
  const char *out_dir;
  double side_km, km_per_deg_lon;
  size_t nc;
  commune *c;
  doctor *d;
  uint64_t n_sites;
} gen;

static void to_latlon(const gen *g, double x, double y, char *lat, char *lon) {
  snprintf(lat, 16, "%.5f", CENTRE_LAT + y / KM_PER_DEG_LAT);
  snprintf(lon, 16, "%.5f", CENTRE_LON + x / g->km_per_deg_lon);
}

static void make_communes(gen *g) {
  cpt_rng r;
  rng_seed(&r, g->seed, 1);
  double inhabitants = (double)g->n_pat / SHARE_WITHOUT_MT;
  double area = inhabitants / DENSITY_PER_KM2;
  g->side_km = sqrt(area);
  g->km_per_deg_lon = KM_PER_DEG_LAT * cos(CENTRE_LAT * PI_D / 180.0);
  double k = floor(area / KM2_PER_COMMUNE + 0.5);
  g->nc = k < 1 ? 1 : (size_t)k;
  g->c = xcalloc(g->nc, sizeof *g->c);
  double *w = xcalloc(g->nc, sizeof *w);
  uint64_t *cnt = xcalloc(g->nc, sizeof *cnt);
  for (size_t i = 0; i < g->nc; i++) {
    commune *c = &g->c[i];
    c->x = (rng_unif(&r) - 0.5) * g->side_km;
    c->y = (rng_unif(&r) - 0.5) * g->side_km;
    c->pop = exp(COMMUNE_SIGMA * rng_normal(&r));
    to_latlon(g, c->x, c->y, c->lat, c->lon);
  }
  for (size_t i = 0; i < g->nc; i++) w[i] = g->c[i].pop;
  apportion(w, g->nc, g->n_pat, cnt);
  for (size_t i = 0; i < g->nc; i++) g->c[i].n_pat = cnt[i];
  for (size_t i = 0; i < g->nc; i++)
    w[i] = g->c[i].pop * exp(DOCTOR_NOISE_SIGMA * rng_normal(&r));
  apportion(w, g->nc, g->n_doc, cnt);
  size_t first = 0;
  for (size_t i = 0; i < g->nc; i++) {
    g->c[i].n_doc = cnt[i];
    g->c[i].first_doc = first;
    first += cnt[i];
  }
  free(w);
  free(cnt);
}

/* For each commune, the nearest commune with doctors (itself when it has
 * some), by ring search on a grid of 4 km cells. */
static void find_nearest_doctor_communes(gen *g) {
  const double cell = 4.0;
  size_t gs = (size_t)ceil(g->side_km / cell);
  if (gs < 1) gs = 1;
  size_t ncell = gs * gs;
  size_t *start = xcalloc(ncell + 1, sizeof *start);
  size_t *item = xcalloc(g->nc, sizeof *item);
  size_t *cellof = xcalloc(g->nc, sizeof *cellof);
  for (size_t i = 0; i < g->nc; i++) {
    double fx = (g->c[i].x / g->side_km + 0.5) * (double)gs;
    double fy = (g->c[i].y / g->side_km + 0.5) * (double)gs;
    size_t cx = fx < 0 ? 0 : (size_t)fx, cy = fy < 0 ? 0 : (size_t)fy;
    if (cx >= gs) cx = gs - 1;
    if (cy >= gs) cy = gs - 1;
    cellof[i] = cy * gs + cx;
    if (g->c[i].n_doc) start[cellof[i] + 1]++;
  }
  for (size_t k = 0; k < ncell; k++) start[k + 1] += start[k];
  size_t *fill = xcalloc(ncell, sizeof *fill);
  for (size_t i = 0; i < g->nc; i++)
    if (g->c[i].n_doc) item[start[cellof[i]] + fill[cellof[i]]++] = i;
  for (size_t i = 0; i < g->nc; i++) {
    commune *c = &g->c[i];
    if (c->n_doc) {
      c->near = i;
      continue;
    }
    long cx = (long)(cellof[i] % gs), cy = (long)(cellof[i] / gs);
    double best = INFINITY;
    size_t best_i = i;
    for (long rad = 0; rad <= (long)gs; rad++) {
      for (long yy = cy - rad; yy <= cy + rad; yy++) {
        if (yy < 0 || yy >= (long)gs) continue;
        for (long xx = cx - rad; xx <= cx + rad; xx++) {
          if (xx < 0 || xx >= (long)gs) continue;
          if (labs(xx - cx) != rad && labs(yy - cy) != rad) continue;
          size_t k = (size_t)yy * gs + (size_t)xx;
          for (size_t t = start[k]; t < start[k + 1]; t++) {
            const commune *o = &g->c[item[t]];
            double dx = o->x - c->x, dy = o->y - c->y, d2 = dx * dx + dy * dy;
            if (d2 < best || (d2 == best && item[t] < best_i)) {
              best = d2;
              best_i = item[t];
            }
          }
        }
      }
      double reach = (double)rad * g->side_km / (double)gs;
      if (best <= reach * reach) break;
    }
    c->near = best_i;
  }
  free(start);
  free(item);
  free(cellof);
  free(fill);
}

/* CNAM 31/12/2021 MT list size per GP: P10 … P90 (DOMAIN.md); P0 and P100
 * are set so that the piecewise-linear distribution has mean ≈ 1,060. */
static int draw_current_list(cpt_rng *r) {
  static const double q[] = {0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0};
  static const double v[] = {20, 198, 532, 731, 1020, 1318, 1524, 1844, 2750};
  double u = rng_unif(r);
  int k = 0;
  while (k < 7 && u >= q[k + 1]) k++;
  double t = (u - q[k]) / (q[k + 1] - q[k]);
  return (int)floor(v[k] + t * (v[k + 1] - v[k]) + 0.5);
}

static int draw_site_size(cpt_rng *r) {
  double u = rng_unif(r);
  return u < 0.35 ? 1 : u < 0.55 ? 2 : u < 0.75 ? 3 : u < 0.90 ? 4 : 5;
}

static void make_doctors(gen *g) {
  cpt_rng r;
  rng_seed(&r, g->seed, 2);
  g->d = xcalloc(g->n_doc, sizeof *g->d);
  double *w = xcalloc(g->n_doc, sizeof *w);
  uint64_t *spare = xcalloc(g->n_doc, sizeof *spare);
  for (size_t i = 0; i < g->nc; i++) {
    const commune *c = &g->c[i];
    uint64_t placed = 0;
    while (placed < c->n_doc) {
      uint64_t size = (uint64_t)draw_site_size(&r);
      if (size > c->n_doc - placed) size = c->n_doc - placed;
      double rad = SITE_JITTER_KM * sqrt(rng_unif(&r));
      double ang = 2.0 * PI_D * rng_unif(&r);
      char lat[16], lon[16];
      to_latlon(g, c->x + rad * cos(ang), c->y + rad * sin(ang), lat, lon);
      g->n_sites++;
      for (uint64_t k = 0; k < size; k++, placed++) {
        doctor *d = &g->d[c->first_doc + placed];
        memcpy(d->lat, lat, sizeof lat);
        memcpy(d->lon, lon, sizeof lon);
        d->site = g->n_sites;
        d->current = draw_current_list(&r);
        d->children = !rng_bern(&r, 0.05);
        d->home_visits = !rng_bern(&r, 0.05);
        d->max_new = rng_bern(&r, 0.10) ? -2 : -1; /* −2: to draw below */
        w[c->first_doc + placed] = rng_bern(&r, 0.20) ? 0.0 : -log(1.0 - rng_unif(&r));
      }
    }
  }
  {
    double sum = 0;
    for (size_t j = 0; j < g->n_doc; j++) sum += w[j];
    if (sum <= 0) w[0] = 1.0; /* keep at least one doctor open */
  }
  apportion(w, g->n_doc, (uint64_t)floor(g->spare_frac * (double)g->n_pat + 0.5), spare);
  for (size_t j = 0; j < g->n_doc; j++) {
    doctor *d = &g->d[j];
    d->spare = (int)spare[j];
    if (d->max_new == -2)
      d->max_new = (int)floor((double)d->spare * (0.2 + 0.5 * rng_unif(&r)));
  }
  free(w);
  free(spare);
}

/* ------------------------------------------------------------ writing -- */

static void open_out(out_file *o, const char *dir, const char *name, char **tmp,
                     char **final) {
  size_t k = strlen(dir) + strlen(name) + 8;
  *final = xcalloc(k, 1);
  *tmp = xcalloc(k, 1);
  snprintf(*final, k, "%s/%s", dir, name);
  snprintf(*tmp, k, "%s/%s.tmp", dir, name);
  o->f = fopen(*tmp, "wb");
  if (!o->f) die("cannot write", *tmp);
  o->buf = xcalloc(OUT_BUF, 1);
  o->n = 0;
  o->err = 0;
}

static void close_out(out_file *o, char *tmp, char *final) {
  out_flush(o);
  if (fclose(o->f) != 0) o->err = 1;
  if (o->err) {
    remove(tmp);
    die("write error", tmp);
  }
  if (rename(tmp, final) != 0) die("cannot rename", tmp);
  free(o->buf);
  free(tmp);
  free(final);
}

static void write_doctors(const gen *g) {
  out_file o;
  char *tmp, *final;
  open_out(&o, g->out_dir, "doctors.csv", &tmp, &final);
  out_str(&o, "id,lat,lon,site,capacity,current,max_new,children,home_visits\n");
  for (size_t j = 0; j < g->n_doc; j++) {
    const doctor *d = &g->d[j];
    out_id(&o, 'D', j + 1);
    out_char(&o, ',');
    out_str(&o, d->lat);
    out_char(&o, ',');
    out_str(&o, d->lon);
    out_char(&o, ',');
    out_id(&o, 'S', d->site);
    out_char(&o, ',');
    out_u64(&o, (uint64_t)(d->current + d->spare));
    out_char(&o, ',');
    out_u64(&o, (uint64_t)d->current);
    out_char(&o, ',');
    if (d->max_new >= 0) out_u64(&o, (uint64_t)d->max_new);
    out_str(&o, d->children ? ",1," : ",0,");
    out_str(&o, d->home_visits ? "1\n" : "0\n");
  }
  close_out(&o, tmp, final);
}

/* Patients: age, ALD and home visits by age band. */
typedef struct person {
  int age, ald, home;
} person;

typedef struct pstats {
  uint64_t n, child, age70, ald, prec, home, in_hh, n_hh, prev, maxkm;
} pstats;

static int draw_age(cpt_rng *r, int min_age) {
  for (;;) {
    double u = rng_unif(r);
    int a;
    if (u < 0.18) a = rng_int(r, 0, 15);
    else if (u < 0.47) a = rng_int(r, 16, 39);
    else if (u < 0.73) a = rng_int(r, 40, 59);
    else if (u < 0.85) a = rng_int(r, 60, 69);
    else if (u < 0.939) a = rng_int(r, 70, 79);
    else {
      a = 80 + (int)floor(-7.0 * log(1.0 - rng_unif(r)));
      if (a > 104) a = 104;
    }
    if (a >= min_age) return a;
  }
}

static person make_person(cpt_rng *r, int age) {
  static const int lim[] = {16, 40, 60, 70, 80, 1000};
  static const double ald[] = {0.03, 0.07, 0.17, 0.30, 0.42, 0.55};
  static const double home[] = {0.002, 0.002, 0.002, 0.002, 0.03, 0.25};
  int b = 0;
  while (age >= lim[b]) b++;
  person p;
  p.age = age;
  p.ald = rng_bern(r, ald[b]);
  p.home = rng_bern(r, home[b]);
  return p;
}

static int clamp_int(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Household sizes among multi-person households (INSEE 2021: 2 / 3–4 / 5+
 * = 32 / 23 / 5 % of all households). */
static int draw_household_size(cpt_rng *r) {
  double u = rng_unif(r) * 60.0;
  return u < 32.0 ? 2 : u < 43.5 ? 3 : u < 55.0 ? 4 : 5;
}

static void make_household(cpt_rng *r, int size, person *m) {
  if (size == 2 && rng_bern(r, 0.7)) { /* a couple */
    int a = draw_age(r, 20);
    m[0] = make_person(r, a);
    m[1] = make_person(r, clamp_int(a + rng_int(r, -5, 5), 18, 104));
    return;
  }
  int a = rng_int(r, 25, 50); /* adults with children */
  int adults = size == 2 ? 1 : 2;
  m[0] = make_person(r, a);
  if (adults == 2) m[1] = make_person(r, clamp_int(a + rng_int(r, -4, 4), 20, 60));
  for (int k = adults; k < size; k++) m[k] = make_person(r, rng_int(r, 0, clamp_int(a - 18, 0, 17)));
}

static void write_patient(out_file *o, pstats *st, uint64_t id, const commune *c,
                          const person *p, int prec, uint64_t hh, uint64_t prev,
                          int max_km) {
  out_id(o, 'P', id);
  out_char(o, ',');
  out_str(o, c->lat);
  out_char(o, ',');
  out_str(o, c->lon);
  out_char(o, ',');
  out_u64(o, (uint64_t)p->age);
  out_str(o, p->ald ? ",1" : ",0");
  out_str(o, prec ? ",1" : ",0");
  out_str(o, p->home ? ",1," : ",0,");
  if (hh) out_id(o, 'H', hh);
  out_char(o, ',');
  if (prev) out_id(o, 'D', prev);
  out_char(o, ',');
  if (max_km) out_u64(o, (uint64_t)max_km);
  out_char(o, '\n');
  st->n++;
  st->child += p->age < 16;
  st->age70 += p->age >= 70;
  st->ald += (uint64_t)p->ald;
  st->prec += (uint64_t)prec;
  st->home += (uint64_t)p->home;
  st->in_hh += hh != 0;
  st->prev += prev != 0;
  st->maxkm += max_km != 0;
}

/* A previous doctor near commune c: one of the doctors of the nearest
 * commune that has doctors (1-based id), or 0 for none. */
static uint64_t draw_prev(const gen *g, cpt_rng *r, const commune *c) {
  if (!rng_bern(r, 0.03)) return 0;
  const commune *n = &g->c[c->near];
  return n->first_doc + rng_below(r, n->n_doc) + 1;
}

static void write_patients(const gen *g, pstats *st) {
  static const int km_choices[] = {5, 8, 10, 15};
  cpt_rng r;
  rng_seed(&r, g->seed, 3);
  out_file o;
  char *tmp, *final;
  open_out(&o, g->out_dir, "patients.csv", &tmp, &final);
  out_str(&o, "id,lat,lon,age,ald,precarity,home_visit,household,prev_doctor,max_km\n");
  uint64_t id = 0, cum = 0, hh_target_done = 0, hh = 0;
  memset(st, 0, sizeof *st);
  for (size_t i = 0; i < g->nc; i++) {
    const commune *c = &g->c[i];
    if (!c->n_pat) continue;
    cum += c->n_pat;
    uint64_t target = (uint64_t)floor(g->hh_share * (double)cum + 0.5);
    uint64_t want = target > hh_target_done ? target - hh_target_done : 0;
    if (want > c->n_pat) want = c->n_pat;
    uint64_t members = 0;
    while (want - members >= 2) {
      uint64_t size = (uint64_t)draw_household_size(&r);
      if (size > want - members) size = want - members;
      person m[5];
      make_household(&r, (int)size, m);
      int prec = rng_bern(&r, 0.11);
      uint64_t prev = draw_prev(g, &r, c);
      hh++;
      for (uint64_t k = 0; k < size; k++) write_patient(&o, st, ++id, c, &m[k], prec, hh, prev, 0);
      members += size;
    }
    hh_target_done += members;
    for (uint64_t k = members; k < c->n_pat; k++) {
      person p = make_person(&r, draw_age(&r, 0));
      int prec = rng_bern(&r, 0.11);
      uint64_t prev = draw_prev(g, &r, c);
      int max_km = rng_bern(&r, 0.02) ? km_choices[rng_below(&r, 4)] : 0;
      write_patient(&o, st, ++id, c, &p, prec, 0, prev, max_km);
    }
  }
  st->n_hh = hh;
  close_out(&o, tmp, final);
}

/* ---------------------------------------------------------------- main -- */

static void usage(FILE *f) {
  fputs("usage: gen_assign --patients N --doctors M [--households SHARE]\n"
        "                  [--spare FRACTION] [--seed S] --out DIR\n"
        "Writes DIR/doctors.csv and DIR/patients.csv (SPEC §4, explicit lat/lon):\n"
        "a synthetic territory whose N patients without a médecin traitant are 11%\n"
        "of the population (120 inhabitants/km², communes of ~16 km²).\n"
        "  --households SHARE  share of patients in households of 2-5 (default 0)\n"
        "  --spare FRACTION    total spare capacity of the doctors / N (default 0.5)\n"
        "  --seed S            RNG seed (default 1); same arguments, same bytes\n",
        f);
}

static uint64_t parse_u64(const char *opt, const char *s) {
  char *end;
  errno = 0;
  if (!s || *s == '-' || *s == '\0') die("expected a non-negative integer for", opt);
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end) die("expected a non-negative integer for", opt);
  return (uint64_t)v;
}

static double parse_frac(const char *opt, const char *s, double hi) {
  char *end;
  if (!s || *s == '\0') die("expected a number for", opt);
  errno = 0;
  double v = strtod(s, &end);
  if (errno || *end || !(v >= 0.0 && v <= hi)) die("value out of range for", opt);
  return v;
}

int main(int argc, char **argv) {
  gen g;
  memset(&g, 0, sizeof g);
  g.seed = 1;
  g.spare_frac = 0.5;
  int have_p = 0, have_d = 0;
  for (int i = 1; i < argc; i += 2) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    }
    if (!v) {
      usage(stderr);
      die("missing value or unknown option", a);
    }
    if (!strcmp(a, "--patients")) g.n_pat = parse_u64(a, v), have_p = 1;
    else if (!strcmp(a, "--doctors")) g.n_doc = parse_u64(a, v), have_d = 1;
    else if (!strcmp(a, "--households")) g.hh_share = parse_frac(a, v, 1.0);
    else if (!strcmp(a, "--spare")) g.spare_frac = parse_frac(a, v, 100.0);
    else if (!strcmp(a, "--seed")) g.seed = parse_u64(a, v);
    else if (!strcmp(a, "--out")) g.out_dir = v;
    else {
      usage(stderr);
      die("unknown option", a);
    }
  }
  if (!have_p || !have_d || !g.out_dir) {
    usage(stderr);
    die("--patients, --doctors and --out are required", NULL);
  }
  if (g.n_pat < 1 || g.n_pat > 100000000) die("--patients must be in 1..100000000", NULL);
  if (g.n_doc < 1 || g.n_doc > 10000000) die("--doctors must be in 1..10000000", NULL);

  mkdir_p(g.out_dir);
  make_communes(&g);
  find_nearest_doctor_communes(&g);
  make_doctors(&g);
  write_doctors(&g);
  pstats st;
  write_patients(&g, &st);

  double n = (double)st.n;
  fprintf(stderr,
          "gen_assign: %llu patients, %llu doctors in %llu sites, %zu communes, "
          "square of %.1f km; spare %.0f%% of patients; child %.1f%%, 70+ %.1f%%, "
          "ALD %.1f%%, precarity %.1f%%, home visit %.1f%%, prev_doctor %.1f%%, "
          "max_km %.1f%%, in households %.1f%% (%llu households)\n",
          (unsigned long long)st.n, (unsigned long long)g.n_doc,
          (unsigned long long)g.n_sites, g.nc, g.side_km, 100.0 * g.spare_frac,
          100.0 * (double)st.child / n, 100.0 * (double)st.age70 / n,
          100.0 * (double)st.ald / n, 100.0 * (double)st.prec / n,
          100.0 * (double)st.home / n, 100.0 * (double)st.prev / n,
          100.0 * (double)st.maxkm / n, 100.0 * (double)st.in_hh / n,
          (unsigned long long)st.n_hh);
  free(g.c);
  free(g.d);
  return 0;
}
