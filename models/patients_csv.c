/*
 * patients_csv.c — the patients file reader (readers.h, SPEC §4).
 *
 * Columns: id (required, unique), commune | lat+lon, age (required,
 * 0–120), ald, precarity, home_visit (flags, default 0), household,
 * prev_doctor (optional strings), max_km (> 0, empty = config default).
 * Parsing, header and row checks are csv_table.c's; the location rules are
 * location_csv.c's.  Rows go into one growing array and their strings into
 * the table's pool.  Ids, households and previous doctors are personal
 * data: no message echoes them.
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
  P_ID,
  P_COMMUNE,
  P_LAT,
  P_LON,
  P_AGE,
  P_ALD,
  P_PRECARITY,
  P_HOME_VISIT,
  P_HOUSEHOLD,
  P_PREV_DOCTOR,
  P_MAX_KM,
  P_NCOLS
};

static const cpt_csv_col cols[P_NCOLS] = {
    [P_ID] = {"id", CPT_CSV_REQUIRED | CPT_CSV_NONEMPTY | CPT_CSV_UNIQUE},
    [P_COMMUNE] = {"commune", 0},
    [P_LAT] = {"lat", 0},
    [P_LON] = {"lon", 0},
    [P_AGE] = {"age", CPT_CSV_REQUIRED | CPT_CSV_NONEMPTY},
    [P_ALD] = {"ald", 0},
    [P_PRECARITY] = {"precarity", 0},
    [P_HOME_VISIT] = {"home_visit", 0},
    [P_HOUSEHOLD] = {"household", 0},
    [P_PREV_DOCTOR] = {"prev_doctor", 0},
    [P_MAX_KM] = {"max_km", 0},
};

static const cpt_csv_schema schema = {
    cols, P_NCOLS,
    "id, commune | lat+lon, age, ald, precarity, home_visit, household, "
    "prev_doctor, max_km",
    false};

static const cpt_loc_cols loc_cols = {P_COMMUNE, P_LAT, P_LON};

typedef struct ctx {
  cpt_patients *t;
  size_t cap;
  const cpt_communes *communes;
} ctx;

/* Room for every row at once: the array then grows without copying. */
static void reserve(ctx *c, size_t rows) {
  if (rows == 0 || rows > SIZE_MAX / sizeof(cpt_patient)) return;
  cpt_patient *v = malloc(rows * sizeof *v);
  if (!v) return; /* grow as rows come */
  c->t->v = v;
  c->cap = rows;
}

static cpt_status on_header(cpt_csv *r, void *vctx) {
  reserve(vctx, cpt_csv_rows_hint(r));
  return cpt_loc_check_header(r, loc_cols);
}

/* A pooled copy of an optional string column, NULL when empty. */
static bool opt_str(cpt_csv *r, int col, cpt_strpool *pool,
                    const char **out) {
  const char *s;
  size_t len;
  *out = NULL;
  if (cpt_csv_str(r, col, &s, &len) != CPT_FIELD_OK) return true;
  *out = cpt_strpool_dup(pool, s, len);
  return *out != NULL;
}

static cpt_status on_row(cpt_csv *r, void *vctx) {
  ctx *c = vctx;
  cpt_patient p;
  memset(&p, 0, sizeof p);
  p.line = cpt_csv_line(r);
  p.max_km = NAN;
  const char *id;
  size_t idlen;
  cpt_field kid = cpt_csv_str(r, P_ID, &id, &idlen);
  cpt_loc_read(r, loc_cols, c->communes, &p.loc);
  int64_t age = 0;
  cpt_csv_int(r, P_AGE, 0, 120, &age);
  p.age = (int32_t)age;
  cpt_csv_flag(r, P_ALD, &p.ald);
  cpt_csv_flag(r, P_PRECARITY, &p.precarity);
  cpt_csv_flag(r, P_HOME_VISIT, &p.home_visit);
  cpt_csv_real(r, P_MAX_KM, 0, INFINITY, true, false, &p.max_km);
  if (cpt_csv_failed(r) || kid != CPT_FIELD_OK)
    return CPT_OK; /* the table will be discarded; keep checking */
  cpt_patients *t = c->t;
  if (!(p.id = cpt_strpool_dup(t->pool, id, idlen)) ||
      !opt_str(r, P_HOUSEHOLD, t->pool, &p.household) ||
      !opt_str(r, P_PREV_DOCTOR, t->pool, &p.prev_doctor))
    return CPT_ENOMEM;
  if (t->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 1024;
    cpt_patient *v = realloc(t->v, cap * sizeof *v);
    if (!v) return CPT_ENOMEM;
    t->v = v;
    c->cap = cap;
  }
  t->v[t->n++] = p;
  return CPT_OK;
}

cpt_status cpt_patients_parse(const char *name, const char *buf, size_t len,
                              const cpt_communes *communes,
                              cpt_patients **out, cpt_diags *diags) {
  *out = NULL;
  ctx c = {calloc(1, sizeof(cpt_patients)), 0, communes};
  if (!c.t || !(c.t->pool = cpt_strpool_new())) {
    cpt_patients_free(c.t);
    return CPT_ENOMEM;
  }
  cpt_status st =
      cpt_csv_read(name, buf, len, &schema, on_header, on_row, &c, diags);
  if (st != CPT_OK) {
    cpt_patients_free(c.t);
    return st;
  }
  *out = c.t;
  return CPT_OK;
}

cpt_status cpt_patients_load(const char *path, const cpt_communes *communes,
                             cpt_patients **out, cpt_diags *diags) {
  cpt_csv_bytes f;
  *out = NULL;
  cpt_status st = cpt_csv_bytes_open(path, &f, diags);
  if (st != CPT_OK) return st;
  st = cpt_patients_parse(path, f.data, f.len, communes, out, diags);
  cpt_csv_bytes_close(&f);
  return st;
}
