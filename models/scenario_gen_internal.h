/*
 * scenario_gen_internal.h — what the files of the scenario generator
 * share (scenario_gen*.c): the random generator, a buffered line writer,
 * the doctors, sites and sectors built in memory, and the context.
 *
 * Random numbers: xoshiro256** (Blackman & Vigna), seeded by splitmix64
 * from (seed, stream, index), so every stream — the doctors, the patients
 * of one commune, one departing list, the rota — is reproducible on its
 * own and independent of the order in which others are drawn.
 */
#ifndef CPT_SCENARIO_GEN_INTERNAL_H
#define CPT_SCENARIO_GEN_INTERNAL_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/rng.h"

#include "scenario_gen.h"

/* ---------------------------------------------------------------- rng -- */

enum {
  CPT_GEN_STREAM_DOCTORS = 1,
  CPT_GEN_STREAM_PATIENTS,
  CPT_GEN_STREAM_DEPARTURE,
  CPT_GEN_STREAM_PICK,
  CPT_GEN_STREAM_AVAIL
};

typedef struct cpt_gen_rng {
  uint64_t s[4];
} cpt_gen_rng;

static inline void cpt_gen_rng_seed(cpt_gen_rng *r, uint64_t seed,
                                    uint64_t stream, uint64_t index) {
  uint64_t x = seed;
  x = cpt_splitmix64(&x) ^ (stream * 0xD1B54A32D192ED03ull);
  x = cpt_splitmix64(&x) ^ (index * 0xAEF17502108EF2D9ull);
  for (int i = 0; i < 4; i++)
    r->s[i] = cpt_splitmix64(&x);
}

static inline uint64_t cpt_gen_rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

static inline uint64_t cpt_gen_next(cpt_gen_rng *r) {
  uint64_t *s = r->s;
  uint64_t out = cpt_gen_rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = cpt_gen_rotl(s[3], 45);
  return out;
}

/* Uniform in [0, 1). */
static inline double cpt_gen_unif(cpt_gen_rng *r) {
  return (double)(cpt_gen_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n ≥ 1 (multiply-shift; bias < n / 2^32). */
static inline uint32_t cpt_gen_below(cpt_gen_rng *r, uint32_t n) {
  return (uint32_t)(((cpt_gen_next(r) >> 32) * (uint64_t)n) >> 32);
}

static inline bool cpt_gen_bernoulli(cpt_gen_rng *r, double p) {
  return cpt_gen_unif(r) < p;
}

/* floor(x) + [u < frac(x)]: an integer with expectation x ≥ 0. */
static inline int64_t cpt_gen_round(cpt_gen_rng *r, double x) {
  double fl = floor(x);
  return (int64_t)fl + (cpt_gen_unif(r) < x - fl);
}

/* Index drawn from a cumulative distribution cdf[0..n-1] (cdf[n-1] = 1). */
static inline int cpt_gen_pick(cpt_gen_rng *r, const double *cdf, int n) {
  double u = cpt_gen_unif(r);
  for (int i = 0; i < n - 1; i++)
    if (u < cdf[i])
      return i;
  return n - 1;
}

/* ------------------------------------------------------------- writer -- */

#define CPT_GEN_OUTBUF 65536

typedef struct cpt_gen_out {
  FILE *f;
  size_t len;
  char buf[CPT_GEN_OUTBUF];
} cpt_gen_out;

static inline void cpt_gen_out_flush(cpt_gen_out *o) {
  if (o->len)
    fwrite(o->buf, 1, o->len, o->f);
  o->len = 0;
}

/* A writer on f (NULL when out of memory); free flushes. */
static inline cpt_gen_out *cpt_gen_out_new(FILE *f) {
  cpt_gen_out *o = malloc(sizeof *o);
  if (o) {
    o->f = f;
    o->len = 0;
  }
  return o;
}

static inline void cpt_gen_out_free(cpt_gen_out *o) {
  if (!o)
    return;
  cpt_gen_out_flush(o);
  free(o);
}

/* Room for one line (lines are far shorter than this). */
static inline void cpt_gen_out_reserve(cpt_gen_out *o) {
  if (o->len > CPT_GEN_OUTBUF - 512)
    cpt_gen_out_flush(o);
}

static inline void cpt_gen_out_str(cpt_gen_out *o, const char *s) {
  size_t n = strlen(s);
  if (n > 256)
    n = 256;
  memcpy(o->buf + o->len, s, n);
  o->len += n;
}

static inline void cpt_gen_out_char(cpt_gen_out *o, char c) {
  o->buf[o->len++] = c;
}

/* Decimal, at least `width` digits (zero-padded), v ≥ 0. */
static inline void cpt_gen_out_int(cpt_gen_out *o, int64_t v, int width) {
  char tmp[24];
  int n = 0;
  uint64_t u = (uint64_t)(v < 0 ? 0 : v);
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  while (n < width)
    tmp[n++] = '0';
  while (n)
    o->buf[o->len++] = tmp[--n];
}

/* -------------------------------------------------------------- model -- */

typedef struct cpt_gen_doctor {
  char id[16];
  int32_t commune; /* index in the communes table */
  int32_t site;    /* index in ctx->site */
  int32_t current, capacity, max_slots;
  bool children, home_visits, rota, leaving;
} cpt_gen_doctor;

typedef struct cpt_gen_site {
  char id[24];
  int32_t commune;
  int32_t first, n; /* its doctors: ctx->doc[first .. first+n) */
  int32_t sector;
} cpt_gen_site;

typedef struct cpt_gen_sector {
  int32_t snp_site; /* the site that hosts the sector's slots */
  int32_t n_doctors;
} cpt_gen_sector;

/* Age distributions prepared from the figures. */
typedef struct cpt_gen_ages {
  double cdf[CPT_GEN_AGE_BANDS];
  double ald[CPT_GEN_AGE_BANDS]; /* ALD probability per band */
} cpt_gen_ages;

typedef struct cpt_gen_ctx {
  const cpt_communes *communes;
  const cpt_territory *t;
  const cpt_gen_params *p;
  const cpt_gen_figures *f;
  cpt_gen_result *res;
  double *share;  /* per territory commune (t->communes order): s_c */
  double *expect; /* per territory commune: expected doctors serving it */
  cpt_gen_doctor *doc;
  size_t nd;
  cpt_gen_site *site;
  size_t ns;
  cpt_gen_sector *sector;
  size_t nsec;
  cpt_gen_ages no_mt, list; /* without an MT; on a GP's list */
  double hh_cdf[CPT_GEN_HH_SIZES];
  int64_t next_patient, next_household;
  int mon_days; /* days since 1970-01-01 of the rota's Monday */
} cpt_gen_ctx;

/* scenario_gen_density.c: s_c and expected doctors per territory commune
 * (ctx->share, ctx->expect) and the national normalisers. */
cpt_status cpt_gen_density(cpt_gen_ctx *c);

/* scenario_gen_doctors.c: doctors and sites; the departing doctors. */
cpt_status cpt_gen_doctors(cpt_gen_ctx *c, cpt_diags *diags);
cpt_status cpt_gen_pick_leaving(cpt_gen_ctx *c, cpt_diags *diags);
cpt_status cpt_gen_write_doctors(cpt_gen_ctx *c, FILE *f);

/* scenario_gen_patients.c: the prepared distributions; the patients
 * without MT; the lists of the departing doctors. */
void cpt_gen_prepare_people(cpt_gen_ctx *c);
cpt_status cpt_gen_write_patients(cpt_gen_ctx *c, FILE *f);
cpt_status cpt_gen_write_departures(cpt_gen_ctx *c, FILE *f);

/* scenario_gen_rota.c: sectors (before the doctors file is written: it
 * names each doctor's SNP site), slots and availability. */
cpt_status cpt_gen_sectors(cpt_gen_ctx *c);
cpt_status cpt_gen_write_rota(cpt_gen_ctx *c, FILE *slots, FILE *availability);

/* Days since 1970-01-01 of a civil date, and back ("YYYY-MM-DD"). */
int cpt_gen_days(int y, int m, int d);
void cpt_gen_date(int days, char out[11]);

#endif
