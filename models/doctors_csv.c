/*
 * doctors_csv.c — the doctors file reader (readers.h, SPEC §4).
 *
 * Columns: id (required, unique), commune | lat+lon, site, capacity
 * (required, 0–100000), current (≥ 0, default 0), max_new (≥ 0, empty =
 * none), children, home_visits (flags, default 1), and the rota columns
 * sites ('|'-separated), max_slots (≥ 0, empty = no limit), max_per_day
 * (1–48, empty = config default), target (≥ 0, empty = equal share).
 * Parsing, header and row checks are csv_table.c's; the location rules are
 * location_csv.c's.  Rows go into one array, strings into the pool.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "location_csv.h"
#include "readers.h"
#include "strpool.h"

enum {
  D_ID,
  D_COMMUNE,
  D_LAT,
  D_LON,
  D_SITE,
  D_CAPACITY,
  D_CURRENT,
  D_MAX_NEW,
  D_CHILDREN,
  D_HOME_VISITS,
  D_SITES,
  D_MAX_SLOTS,
  D_MAX_PER_DAY,
  D_TARGET,
  D_NCOLS
};

static const cpt_csv_col cols[D_NCOLS] = {
    [D_ID] = {"id", CPT_CSV_REQUIRED | CPT_CSV_NONEMPTY | CPT_CSV_UNIQUE},
    [D_COMMUNE] = {"commune", 0},
    [D_LAT] = {"lat", 0},
    [D_LON] = {"lon", 0},
    [D_SITE] = {"site", 0},
    [D_CAPACITY] = {"capacity", CPT_CSV_REQUIRED | CPT_CSV_NONEMPTY},
    [D_CURRENT] = {"current", 0},
    [D_MAX_NEW] = {"max_new", 0},
    [D_CHILDREN] = {"children", 0},
    [D_HOME_VISITS] = {"home_visits", 0},
    [D_SITES] = {"sites", 0},
    [D_MAX_SLOTS] = {"max_slots", 0},
    [D_MAX_PER_DAY] = {"max_per_day", 0},
    [D_TARGET] = {"target", 0},
};

static const cpt_csv_schema schema = {
    cols, D_NCOLS,
    "id, commune | lat+lon, site, capacity, current, max_new, children, "
    "home_visits, sites, max_slots, max_per_day, target",
    false};

static const cpt_loc_cols loc_cols = {D_COMMUNE, D_LAT, D_LON};

typedef struct ctx {
  cpt_doctors *t;
  size_t cap;
  const cpt_communes *communes;
} ctx;

/* Room for every row at once: the array then grows without copying. */
static void reserve(ctx *c, size_t rows) {
  if (rows == 0 || rows > SIZE_MAX / sizeof(cpt_doctor)) return;
  cpt_doctor *v = malloc(rows * sizeof *v);
  if (!v) return; /* grow as rows come */
  c->t->v = v;
  c->cap = rows;
}

static cpt_status on_header(cpt_csv *r, void *vctx) {
  ctx *c = vctx;
  reserve(c, cpt_csv_rows_hint(r));
  c->t->has_rota_columns =
      cpt_csv_has(r, D_SITES) || cpt_csv_has(r, D_MAX_SLOTS) ||
      cpt_csv_has(r, D_MAX_PER_DAY) || cpt_csv_has(r, D_TARGET);
  return cpt_loc_check_header(r, loc_cols);
}

static bool opt_str(cpt_csv *r, int col, cpt_strpool *pool,
                    const char **out) {
  const char *s;
  size_t len;
  *out = NULL;
  if (cpt_csv_str(r, col, &s, &len) != CPT_FIELD_OK) return true;
  *out = cpt_strpool_dup(pool, s, len);
  return *out != NULL;
}

/* An int32 column; keeps *out (the default) when empty. */
static void int_col(cpt_csv *r, int col, int64_t min, int64_t max,
                    int32_t *out) {
  int64_t v;
  if (cpt_csv_int(r, col, min, max, &v) == CPT_FIELD_OK) *out = (int32_t)v;
}

static cpt_status on_row(cpt_csv *r, void *vctx) {
  ctx *c = vctx;
  cpt_doctor d;
  memset(&d, 0, sizeof d);
  d.line = cpt_csv_line(r);
  d.max_new = d.max_slots = d.max_per_day = -1;
  d.children = d.home_visits = true;
  d.target = NAN;
  const char *id;
  size_t idlen;
  cpt_field kid = cpt_csv_str(r, D_ID, &id, &idlen);
  cpt_loc_read(r, loc_cols, c->communes, &d.loc);
  int_col(r, D_CAPACITY, 0, 100000, &d.capacity);
  int_col(r, D_CURRENT, 0, INT32_MAX, &d.current);
  int_col(r, D_MAX_NEW, 0, INT32_MAX, &d.max_new);
  cpt_csv_flag(r, D_CHILDREN, &d.children);
  cpt_csv_flag(r, D_HOME_VISITS, &d.home_visits);
  int_col(r, D_MAX_SLOTS, 0, INT32_MAX, &d.max_slots);
  int_col(r, D_MAX_PER_DAY, 1, 48, &d.max_per_day);
  cpt_csv_real(r, D_TARGET, 0, INFINITY, false, false, &d.target);
  if (cpt_csv_failed(r) || kid != CPT_FIELD_OK)
    return CPT_OK; /* the table will be discarded; keep checking */
  cpt_doctors *t = c->t;
  if (!(d.id = cpt_strpool_dup(t->pool, id, idlen)) ||
      !opt_str(r, D_SITE, t->pool, &d.site) ||
      !opt_str(r, D_SITES, t->pool, &d.sites))
    return CPT_ENOMEM;
  if (t->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 64;
    cpt_doctor *v = realloc(t->v, cap * sizeof *v);
    if (!v) return CPT_ENOMEM;
    t->v = v;
    c->cap = cap;
  }
  t->v[t->n++] = d;
  return CPT_OK;
}

cpt_status cpt_doctors_parse(const char *name, const char *buf, size_t len,
                             const cpt_communes *communes, cpt_doctors **out,
                             cpt_diags *diags) {
  *out = NULL;
  ctx c = {calloc(1, sizeof(cpt_doctors)), 0, communes};
  if (!c.t || !(c.t->pool = cpt_strpool_new())) {
    cpt_doctors_free(c.t);
    return CPT_ENOMEM;
  }
  cpt_status st =
      cpt_csv_read(name, buf, len, &schema, on_header, on_row, &c, diags);
  if (st != CPT_OK) {
    cpt_doctors_free(c.t);
    return st;
  }
  *out = c.t;
  return CPT_OK;
}

cpt_status cpt_doctors_load(const char *path, const cpt_communes *communes,
                            cpt_doctors **out, cpt_diags *diags) {
  cpt_csv_bytes f;
  *out = NULL;
  cpt_status st = cpt_csv_bytes_open(path, &f, diags);
  if (st != CPT_OK) return st;
  st = cpt_doctors_parse(path, f.data, f.len, communes, out, diags);
  cpt_csv_bytes_close(&f);
  return st;
}
