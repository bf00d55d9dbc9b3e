/*
 * communes.c — the communes reference table (communes.h).
 *
 * Read through csv_table.c (unknown columns ignored silently), then sorted
 * by INSEE code so that lookups are binary searches.  Codes must have the
 * INSEE form (two characters of department, "2A"/"2B" for Corsica, then
 * three digits); a duplicate code is an error naming the line of the first
 * occurrence; lat and lon are required and checked against their ranges.
 * Names live in a string pool owned by the table.
 */
#include "communes.h"

#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "strpool.h"

struct cpt_communes {
  cpt_commune *v; /* sorted by insee */
  size_t n, cap;
  cpt_strpool *pool;
};

enum { C_INSEE, C_NAME, C_DEP, C_POPULATION, C_LAT, C_LON, C_NCOLS };

static const cpt_csv_col cols[C_NCOLS] = {
    [C_INSEE] = {"insee", CPT_CSV_REQUIRED | CPT_CSV_NONEMPTY | CPT_CSV_UNIQUE},
    [C_NAME] = {"name", 0},
    [C_DEP] = {"dep", 0},
    [C_POPULATION] = {"population", 0},
    [C_LAT] = {"lat", CPT_CSV_REQUIRED | CPT_CSV_NONEMPTY},
    [C_LON] = {"lon", CPT_CSV_REQUIRED | CPT_CSV_NONEMPTY},
};

static const cpt_csv_schema schema = {
    cols, C_NCOLS, "insee, name, dep, population, lat, lon", true};

static bool insee_form(const char *s, size_t len) {
  if (len != 5) return false;
  bool dep_ok = (s[0] >= '0' && s[0] <= '9') &&
                ((s[1] >= '0' && s[1] <= '9') ||
                 (s[0] == '2' && (s[1] == 'A' || s[1] == 'B')));
  return dep_ok && strspn(s + 2, "0123456789") == 3;
}

static cpt_status on_row(cpt_csv *r, void *vctx) {
  cpt_communes *t = vctx;
  cpt_commune c;
  memset(&c, 0, sizeof c);
  const char *s;
  size_t len;
  char echo[256];
  if (cpt_csv_str(r, C_INSEE, &s, &len) == CPT_FIELD_OK) {
    if (insee_form(s, len))
      memcpy(c.insee, s, len + 1);
    else
      cpt_csv_error(r, C_INSEE,
                    "expected an INSEE code of 5 characters (\"01001\", "
                    "\"2A004\"), got %s",
                    cpt_csv_echo(s, len, echo, sizeof echo));
  }
  if (cpt_csv_str(r, C_DEP, &s, &len) == CPT_FIELD_OK) {
    if (len < sizeof c.dep)
      memcpy(c.dep, s, len + 1);
    else
      cpt_csv_error(r, C_DEP,
                    "expected a department code of at most 3 characters, "
                    "got %s",
                    cpt_csv_echo(s, len, echo, sizeof echo));
  }
  int64_t pop = 0;
  cpt_csv_int(r, C_POPULATION, 0, INT64_MAX, &pop);
  c.population = pop;
  cpt_csv_real(r, C_LAT, -90, 90, false, false, &c.lat);
  cpt_csv_real(r, C_LON, -180, 180, false, false, &c.lon);
  const char *name = "";
  size_t nlen = 0;
  cpt_csv_str(r, C_NAME, &name, &nlen);
  if (cpt_csv_failed(r)) return CPT_OK; /* the table will be discarded */
  c.name = cpt_strpool_dup(t->pool, name, nlen);
  if (!c.name) return CPT_ENOMEM;
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 1024;
    cpt_commune *v = realloc(t->v, cap * sizeof *v);
    if (!v) return CPT_ENOMEM;
    t->v = v;
    t->cap = cap;
  }
  t->v[t->n++] = c;
  return CPT_OK;
}

static int by_code(const void *a, const void *b) {
  return strcmp(((const cpt_commune *)a)->insee,
                ((const cpt_commune *)b)->insee);
}

cpt_status cpt_communes_parse(const char *name, const char *buf, size_t len,
                              cpt_communes **out, cpt_diags *diags) {
  *out = NULL;
  cpt_communes *t = calloc(1, sizeof *t);
  if (!t || !(t->pool = cpt_strpool_new())) {
    cpt_communes_free(t);
    return CPT_ENOMEM;
  }
  cpt_status st =
      cpt_csv_read(name, buf, len, &schema, NULL, on_row, t, diags);
  if (st != CPT_OK) {
    cpt_communes_free(t);
    return st;
  }
  if (t->n) qsort(t->v, t->n, sizeof *t->v, by_code);
  *out = t;
  return CPT_OK;
}

cpt_status cpt_communes_load(const char *path, cpt_communes **out,
                             cpt_diags *diags) {
  cpt_csv_bytes f;
  *out = NULL;
  cpt_status st = cpt_csv_bytes_open(path, &f, diags);
  if (st != CPT_OK) return st;
  st = cpt_communes_parse(path, f.data, f.len, out, diags);
  cpt_csv_bytes_close(&f);
  return st;
}

void cpt_communes_free(cpt_communes *c) {
  if (!c) return;
  free(c->v);
  cpt_strpool_free(c->pool);
  free(c);
}

size_t cpt_communes_count(const cpt_communes *c) { return c ? c->n : 0; }

const cpt_commune *cpt_communes_get(const cpt_communes *c, int32_t index) {
  if (!c || index < 0 || (size_t)index >= c->n) return NULL;
  return &c->v[index];
}

int32_t cpt_communes_find(const cpt_communes *c, const char *insee) {
  if (!c || !insee) return -1;
  size_t lo = 0, hi = c->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int k = strcmp(c->v[mid].insee, insee);
    if (k == 0) return (int32_t)mid;
    if (k < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}
