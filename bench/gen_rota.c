/*
 * gen_rota.c — generator of synthetic rota instances for `cptsopt rota`.
 *
 *   gen_rota --kind snp-week|pdsa-month --doctors N [--sites K] [--seed S]
 *            [--start YYYY-MM-DD] --out DIR
 *
 * writes DIR/doctors.csv, DIR/slots.csv, DIR/availability.csv and
 * DIR/history.csv in the format of SPEC §4 (rota columns of SPEC §2).
 *
 * snp-week: a CPTS of N doctors (default 100) in K sites (default N/10),
 * one week Monday–Saturday (--start is moved back to the Monday of its
 * week; default 2024-03-04).  SNP/SAS hours (DOMAIN.md): weekdays 8h–20h,
 * Saturday 8h–12h, cut per site and day into sessions of 2–4 h of which
 * some are staffed, 0.8·N slots in the week, spread over the days with
 * Monday heaviest (22 / 18 / 15 / 15 / 18 / 12 %); need 1–2 (2 with
 * probability 0.45 on Monday, 0.2 on other weekdays, 0.1 on Saturday).
 * 75 % of the doctors take part: they serve their site (20 % also a
 * neighbouring one), declare an available window on most days (some
 * preferred sub-windows, some unavailable hours or days), max_slots 2–4,
 * max_per_day 1 for 30 % (else the default), history 0–6 and a
 * cumulative target = history + their equal share of the week.  The others
 * declare nothing, with max_slots 0, history 0 and target 0.
 *
 * pdsa-month: a département's PDSA over 28 days (default start 2024-04-29,
 * which holds 1, 8, 9 and 20 May), N doctors (default 600) in K on-call
 * sectors (default N/24): per sector every night 20:00–08:00 (crossing
 * midnight), Saturday 12:00–20:00 and Sunday / public holiday 08:00–20:00,
 * need 1, kind pdsa.  Each doctor serves their sector (10 % also the next
 * one), declares 80 % of the nights available (15 % of those preferred),
 * half of the weekend / holiday day slots, 15 % take a week of holiday
 * (7 unavailable days); max_slots 6 for the month, max_per_day default,
 * history 0–20, target empty (equal share).
 *
 * Output bytes depend only on the arguments: xoshiro256** seeded with
 * splitmix64 (one stream per part), integer arithmetic only, files written
 * to *.tmp and renamed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* ---------------------------------------------------------------- RNG -- */

typedef struct rng {
  uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static uint64_t rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r) {
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

static uint64_t rng_below(rng *r, uint64_t n) {
  uint64_t lim = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = rng_next(r);
  while (x >= lim);
  return x % n;
}

static int rng_int(rng *r, int lo, int hi) { /* inclusive */
  return lo + (int)rng_below(r, (uint64_t)(hi - lo + 1));
}

/* Bernoulli with probability pm/1000 (integer, so the bytes never depend
 * on floating point). */
static int rng_permil(rng *r, int pm) { return (int)rng_below(r, 1000) < pm; }

/* ---------------------------------------------------------- calendar -- */

static int64_t days_from_civil(int y, int m, int d) {
  int64_t yy = (int64_t)y - (m <= 2);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468; /* 1970-01-01 = 0 */
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
static int weekday(int64_t z) { return (int)(((z % 7) + 7 + 3) % 7); }

static void fmt_date(int64_t z, char buf[16]) {
  int y, m, d;
  civil_from_days(z, &y, &m, &d);
  snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
}

/* Easter Sunday (anonymous Gregorian algorithm). */
static int64_t easter(int y) {
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31, day = ((h + l - 7 * m + 114) % 31) + 1;
  return days_from_civil(y, month, day);
}

/* French public holidays (jours fériés, metropolitan). */
static int is_holiday(int64_t z) {
  int y, m, d;
  civil_from_days(z, &y, &m, &d);
  static const int fixed[][2] = {{1, 1},  {5, 1},   {5, 8},   {7, 14},
                                 {8, 15}, {11, 1},  {11, 11}, {12, 25}};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    if (m == fixed[i][0] && d == fixed[i][1]) return 1;
  int64_t e = easter(y);
  return z == e + 1 || z == e + 39 || z == e + 50; /* Easter Monday, Ascension, Whit Monday */
}

/* ------------------------------------------------------------- output -- */

typedef struct out {
  FILE *f;
  char path[4096], tmp[4200];
} out;

static int out_open(out *o, const char *dir, const char *name) {
  snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
  snprintf(o->tmp, sizeof o->tmp, "%s.tmp", o->path);
  o->f = fopen(o->tmp, "w");
  if (!o->f) {
    fprintf(stderr, "gen_rota: cannot write %s: %s\n", o->tmp, strerror(errno));
    return -1;
  }
  return 0;
}

static int out_close(out *o) {
  int bad = ferror(o->f);
  if (fclose(o->f) != 0) bad = 1;
  if (bad || rename(o->tmp, o->path) != 0) {
    fprintf(stderr, "gen_rota: cannot write %s\n", o->path);
    remove(o->tmp);
    return -1;
  }
  return 0;
}

static int mkdir_p(const char *dir) {
  char buf[4096];
  size_t n = strlen(dir);
  if (n == 0 || n >= sizeof buf) return -1;
  memcpy(buf, dir, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] == '/' || buf[i] == '\0') {
      char c = buf[i];
      buf[i] = '\0';
      if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
      buf[i] = c;
    }
  }
  return 0;
}

/* ------------------------------------------------------------ options -- */

typedef struct opts {
  int kind; /* 0 snp-week, 1 pdsa-month */
  int doctors, sites;
  uint64_t seed;
  int64_t start;
  int has_start;
  const char *out;
} opts;

static void usage(FILE *f) {
  fprintf(f, "usage: gen_rota --kind snp-week|pdsa-month --doctors N [--sites K]\n"
             "                [--seed S] [--start YYYY-MM-DD] --out DIR\n");
}

static int parse_int(const char *s, long lo, long hi, long *v) {
  char *end;
  errno = 0;
  long x = strtol(s, &end, 10);
  if (errno || end == s || *end || x < lo || x > hi) return -1;
  *v = x;
  return 0;
}

static int parse_args(int argc, char **argv, opts *o) {
  memset(o, 0, sizeof *o);
  o->kind = -1;
  o->seed = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      exit(0);
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "gen_rota: %s needs a value\n", a);
      return -1;
    }
    const char *v = argv[++i];
    long x;
    if (!strcmp(a, "--kind")) {
      if (!strcmp(v, "snp-week")) o->kind = 0;
      else if (!strcmp(v, "pdsa-month")) o->kind = 1;
      else {
        fprintf(stderr, "gen_rota: unknown kind '%s'\n", v);
        return -1;
      }
    } else if (!strcmp(a, "--doctors")) {
      if (parse_int(v, 1, 1000000, &x)) goto bad;
      o->doctors = (int)x;
    } else if (!strcmp(a, "--sites")) {
      if (parse_int(v, 1, 100000, &x)) goto bad;
      o->sites = (int)x;
    } else if (!strcmp(a, "--seed")) {
      char *end;
      errno = 0;
      unsigned long long s = strtoull(v, &end, 10);
      if (errno || end == v || *end || *v == '-') goto bad;
      o->seed = (uint64_t)s;
    } else if (!strcmp(a, "--start")) {
      int y, m, d;
      char tail;
      if (sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 ||
          d > 31 || y < 1900 || y > 2999)
        goto bad;
      int64_t z = days_from_civil(y, m, d);
      int yy, mm, dd;
      civil_from_days(z, &yy, &mm, &dd);
      if (yy != y || mm != m || dd != d) goto bad;
      o->start = z;
      o->has_start = 1;
    } else if (!strcmp(a, "--out")) {
      o->out = v;
    } else {
      fprintf(stderr, "gen_rota: unknown option %s\n", a);
      usage(stderr);
      return -1;
    }
    continue;
  bad:
    fprintf(stderr, "gen_rota: bad value for %s: '%s'\n", a, v);
    return -1;
  }
  if (o->kind < 0 || !o->out) {
    usage(stderr);
    return -1;
  }
  if (!o->doctors) o->doctors = o->kind == 0 ? 100 : 600;
  if (!o->sites) {
    o->sites = (o->doctors + (o->kind == 0 ? 5 : 12)) / (o->kind == 0 ? 10 : 24);
    if (o->sites < 1) o->sites = 1;
  }
  if (!o->has_start) o->start = o->kind == 0 ? days_from_civil(2024, 3, 4) : days_from_civil(2024, 4, 29);
  if (o->kind == 0) o->start -= weekday(o->start);
  return 0;
}

/* ------------------------------------------------------------- common -- */

typedef struct files {
  out doc, slot, av, hist;
} files;

static int open_all(files *f, const char *dir) {
  if (mkdir_p(dir)) {
    fprintf(stderr, "gen_rota: cannot create %s: %s\n", dir, strerror(errno));
    return -1;
  }
  if (out_open(&f->doc, dir, "doctors.csv")) return -1;
  if (out_open(&f->slot, dir, "slots.csv")) return -1;
  if (out_open(&f->av, dir, "availability.csv")) return -1;
  if (out_open(&f->hist, dir, "history.csv")) return -1;
  fputs("id,lat,lon,capacity,current,sites,max_slots,max_per_day,target\n", f->doc.f);
  fputs("id,date,start,end,site,need,kind\n", f->slot.f);
  fputs("doctor,date,start,end,level\n", f->av.f);
  fputs("doctor,slots\n", f->hist.f);
  return 0;
}

static int close_all(files *f) {
  int r = 0;
  r |= out_close(&f->doc);
  r |= out_close(&f->slot);
  r |= out_close(&f->av);
  r |= out_close(&f->hist);
  return r;
}

/* A plausible practice location: a grid of sites around 47° N 2.5° E,
 * in micro-degrees, jittered per doctor (integers only). */
static void location(rng *r, int site, int nsites, long *lat_u, long *lon_u) {
  int side = 1;
  while (side * side < nsites) side++;
  long step = nsites > 200 ? 150000 : 60000; /* ≈ 17 km / 7 km */
  *lat_u = 47000000 + (long)(site / side - side / 2) * step + rng_int(r, -15000, 15000);
  *lon_u = 2500000 + (long)(site % side - side / 2) * step + rng_int(r, -20000, 20000);
}

static void write_doctor(files *f, rng *r, int i, int site, int nsites, const char *sites,
                         const char *max_slots, const char *max_per_day, const char *target) {
  long lat, lon;
  location(r, site, nsites, &lat, &lon);
  int current = rng_int(r, 200, 1800);
  int capacity = current + rng_int(r, 0, 300);
  fprintf(f->doc.f, "D%04d,%ld.%06ld,%ld.%06ld,%d,%d,%s,%s,%s,%s\n", i + 1, lat / 1000000,
          lat % 1000000, lon / 1000000, lon % 1000000, capacity, current, sites, max_slots,
          max_per_day, target);
}

static void hm(int minutes, char buf[16]) {
  snprintf(buf, 16, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
}

static void avail(files *f, int doc, int64_t day, int from_h, int to_h, const char *level) {
  char date[16], a[16], b[16];
  fmt_date(day, date);
  hm(from_h * 60, a);
  hm(to_h * 60, b);
  fprintf(f->av.f, "D%04d,%s,%s,%s,%s\n", doc + 1, date, a, b, level);
}

/* ----------------------------------------------------------- snp-week -- */

static int gen_snp(const opts *o) {
  files f;
  if (open_all(&f, o->out)) return 1;
  int nd = o->doctors, ns = o->sites;
  rng rs, rd, ra;
  rng_seed(&rs, o->seed, 1);
  rng_seed(&rd, o->seed, 2);
  rng_seed(&ra, o->seed, 3);

  /* Slots: per day a total of 0.8·N·w_day (permil weights), split over
   * the sites, each site's day cut into sessions of 2–4 h. */
  static const int w[6] = {220, 180, 150, 150, 180, 120};
  int total = (nd * 8 + 5) / 10;
  if (total < 1) total = 1;
  int nslots = 0, needsum = 0;
  for (int day = 0; day < 6; day++) {
    int64_t z = o->start + day;
    char date[16];
    fmt_date(z, date);
    int lo = 8 * 60, hi = day == 5 ? 12 * 60 : 20 * 60;
    long per_day = (long)total * w[day]; /* in permil */
    for (int s = 0; s < ns; s++) {
      /* site s gets floor or ceil of its share */
      long share = per_day / ns;
      int cnt = (int)(share / 1000) + rng_permil(&rs, (int)(share % 1000));
      /* tile [lo, hi) with sessions of 2–4 h */
      int st[8], en[8], nt = 0;
      for (int t = lo; t < hi && nt < 8;) {
        int len = rng_int(&rs, 2, 4) * 60;
        if (hi - (t + len) < 120) len = hi - t; /* no remnant under 2 h */
        if (len > 240 && hi - t > 240) len = hi - t - 120 < 240 ? hi - t - 120 : 240;
        st[nt] = t;
        en[nt] = t + len;
        nt++;
        t += len;
      }
      if (cnt > nt) cnt = nt;
      /* choose cnt sessions of nt (selection sampling keeps the order) */
      int left = cnt;
      for (int k = 0; k < nt && left > 0; k++) {
        if ((int)rng_below(&rs, (uint64_t)(nt - k)) >= left) continue;
        left--;
        int pm = day == 0 ? 450 : day == 5 ? 100 : 200;
        int need = 1 + rng_permil(&rs, pm);
        char a[16], b[16];
        hm(st[k], a);
        hm(en[k], b);
        fprintf(f.slot.f, "S%03d-%d-%d,%s,%s,%s,site-%02d,%d,snp\n", nslots + 1, day + 1, s + 1,
                date, a, b, s + 1, need);
        nslots++;
        needsum += need;
      }
    }
  }

  /* Doctors. */
  int *part = calloc((size_t)nd, sizeof *part), *hist = calloc((size_t)nd, sizeof *hist);
  if (!part || !hist) {
    fprintf(stderr, "gen_rota: out of memory\n");
    return 1;
  }
  int npart = 0, histsum = 0;
  for (int i = 0; i < nd; i++) {
    part[i] = rng_permil(&rd, 750);
    if (part[i]) {
      npart++;
      hist[i] = rng_int(&rd, 0, 6);
      histsum += hist[i];
    }
  }
  /* equal cumulative share of the participants, in hundredths */
  long share_c = npart ? ((long)(needsum + histsum) * 100 + npart / 2) / npart : 0;
  for (int i = 0; i < nd; i++) {
    int site = (int)(((long)i * ns) / nd);
    char sites[40], ms[16], mpd[16], tg[48];
    if (ns > 1 && rng_permil(&rd, 200))
      snprintf(sites, sizeof sites, "site-%02d|site-%02d", site + 1, (site + 1) % ns + 1);
    else
      snprintf(sites, sizeof sites, "site-%02d", site + 1);
    if (part[i]) {
      snprintf(ms, sizeof ms, "%d", rng_int(&rd, 2, 4));
      snprintf(mpd, sizeof mpd, "%s", rng_permil(&rd, 300) ? "1" : "");
      /* own target: the equal share ± up to 1 slot of commitment */
      long t = share_c + rng_int(&rd, -100, 100);
      if (t < 0) t = 0;
      snprintf(tg, sizeof tg, "%ld.%02ld", t / 100, t % 100);
    } else {
      snprintf(ms, sizeof ms, "0");
      mpd[0] = '\0';
      snprintf(tg, sizeof tg, "0");
    }
    write_doctor(&f, &rd, i, site, ns, sites, ms, mpd, tg);
    fprintf(f.hist.f, "D%04d,%d\n", i + 1, hist[i]);

    if (!part[i]) continue;
    /* Availability: each day, with probability 65 % (30 % on Saturday),
     * an available window; else with 15 % an explicit unavailable day. */
    for (int day = 0; day < 6; day++) {
      int64_t z = o->start + day;
      int sat = day == 5;
      if (!rng_permil(&ra, sat ? 300 : 650)) {
        if (rng_permil(&ra, 150)) avail(&f, i, z, 0, 24, "unavailable");
        continue;
      }
      int a, b;
      if (sat) {
        a = 8;
        b = 12;
      } else {
        switch (rng_int(&ra, 0, 3)) {
        case 0: a = 8, b = 20; break;
        case 1: a = 8, b = 14; break;
        case 2: a = 12, b = 20; break;
        default: a = 10, b = 18; break;
        }
      }
      avail(&f, i, z, a, b, "available");
      if (rng_permil(&ra, 300)) { /* a preferred sub-window of 2–4 h */
        int len = rng_int(&ra, 2, b - a < 4 ? b - a : 4);
        int p = a + rng_int(&ra, 0, b - a - len);
        avail(&f, i, z, p, p + len, "preferred");
      }
      if (rng_permil(&ra, 150)) { /* an unavailable hour or two */
        int len = rng_int(&ra, 1, 2);
        int p = a + rng_int(&ra, 0, b - a - len);
        avail(&f, i, z, p, p + len, "unavailable");
      }
    }
  }
  free(part);
  free(hist);
  if (close_all(&f)) return 1;
  fprintf(stderr, "gen_rota: snp-week %d doctors (%d taking part), %d sites, %d slots, need %d\n",
          nd, npart, ns, nslots, needsum);
  return 0;
}

/* --------------------------------------------------------- pdsa-month -- */

static int gen_pdsa(const opts *o) {
  files f;
  if (open_all(&f, o->out)) return 1;
  int nd = o->doctors, ns = o->sites, ndays = 28;
  rng rs, rd, ra;
  rng_seed(&rs, o->seed, 11);
  rng_seed(&rd, o->seed, 12);
  rng_seed(&ra, o->seed, 13);
  (void)rs;

  int nslots = 0, nhol = 0;
  for (int day = 0; day < ndays; day++) {
    int64_t z = o->start + day;
    int wd = weekday(z), hol = is_holiday(z);
    nhol += hol;
    char date[16];
    fmt_date(z, date);
    for (int s = 0; s < ns; s++) {
      if (wd == 6 || hol) {
        fprintf(f.slot.f, "P%02d-%s-D,%s,08:00,20:00,sector-%02d,1,pdsa\n", s + 1, date, date,
                s + 1);
        nslots++;
      } else if (wd == 5) {
        fprintf(f.slot.f, "P%02d-%s-A,%s,12:00,20:00,sector-%02d,1,pdsa\n", s + 1, date, date,
                s + 1);
        nslots++;
      }
      fprintf(f.slot.f, "P%02d-%s-N,%s,20:00,08:00,sector-%02d,1,pdsa\n", s + 1, date, date,
              s + 1);
      nslots++;
    }
  }

  for (int i = 0; i < nd; i++) {
    int sec = (int)(((long)i * ns) / nd);
    char sites[40];
    if (ns > 1 && rng_permil(&rd, 100))
      snprintf(sites, sizeof sites, "sector-%02d|sector-%02d", sec + 1, (sec + 1) % ns + 1);
    else
      snprintf(sites, sizeof sites, "sector-%02d", sec + 1);
    write_doctor(&f, &rd, i, sec, ns, sites, "6", "", "");
    fprintf(f.hist.f, "D%04d,%d\n", i + 1, rng_int(&rd, 0, 20));

    int vac = rng_permil(&ra, 150) ? rng_int(&ra, 0, ndays - 7) : -100;
    for (int day = 0; day < ndays; day++) {
      int64_t z = o->start + day;
      int wd = weekday(z), hol = is_holiday(z);
      if (day >= vac && day < vac + 7) {
        avail(&f, i, z, 0, 24, "unavailable");
        continue;
      }
      if (wd == 6 || hol) {
        if (rng_permil(&ra, 500)) avail(&f, i, z, 8, 20, "available");
      } else if (wd == 5) {
        if (rng_permil(&ra, 500)) avail(&f, i, z, 12, 20, "available");
      }
      if (rng_permil(&ra, 800)) {
        avail(&f, i, z, 20, 8, rng_permil(&ra, 150) ? "preferred" : "available");
      } else if (rng_permil(&ra, 500)) {
        avail(&f, i, z, 20, 8, "unavailable");
      }
    }
  }
  if (close_all(&f)) return 1;
  fprintf(stderr, "gen_rota: pdsa-month %d doctors, %d sectors, %d days (%d holidays), %d slots\n",
          nd, ns, ndays, nhol, nslots);
  return 0;
}

int main(int argc, char **argv) {
  opts o;
  if (parse_args(argc, argv, &o)) return 2;
  return o.kind == 0 ? gen_snp(&o) : gen_pdsa(&o);
}
