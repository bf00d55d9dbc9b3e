/*
 * rota_csv.c — the readers of the rota files: slots, availability,
 * history, pinned (rota.h, SPEC §4).
 *
 * Parsing, header checks, field counts and unique keys are csv_table.c's;
 * this file adds the typed fields of the rota (dates, times, levels,
 * kinds) with the same located messages as csv_field.c ("column 'start':
 * expected a time HH:MM 00:00–23:59, got "25:00"") and stores the rows.
 * A row with any error is not stored; once a file has an error its table
 * is discarded at the end, but every row is still checked.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_table.h"
#include "rota.h"
#include "strpool.h"

#define WANT_DATE "a date YYYY-MM-DD"
#define WANT_START "a time HH:MM 00:00–23:59"
#define WANT_END "a time HH:MM 00:00–24:00"

/* --- Shared field helpers ----------------------------------------------- */

/* The raw field, or an error "expected WHAT, got an empty field" when the
 * column is NONEMPTY.  Returns the accessor verdict. */
static cpt_field raw(cpt_csv *r, int col, const char *what, const char **s,
                     size_t *len) {
  cpt_field k = cpt_csv_raw(r, col, s, len, NULL, NULL);
  if (k == CPT_FIELD_EMPTY && cpt_csv_has(r, col) &&
      (cpt_csv_col_flags(r, col) & CPT_CSV_NONEMPTY)) {
    cpt_csv_error(r, col, "expected %s, got an empty field", what);
    return CPT_FIELD_BAD;
  }
  return k;
}

static cpt_field bad(cpt_csv *r, int col, const char *what, const char *s,
                     size_t len) {
  char echo[256];
  cpt_csv_error(r, col, "expected %s, got %s", what,
                cpt_csv_echo(s, len, echo, sizeof echo));
  return CPT_FIELD_BAD;
}

static cpt_field date_col(cpt_csv *r, int col, int64_t *days) {
  const char *s;
  size_t len;
  cpt_field k = raw(r, col, WANT_DATE, &s, &len);
  if (k != CPT_FIELD_OK) return k;
  return cpt_rota_parse_date(s, len, days) ? CPT_FIELD_OK
                                           : bad(r, col, WANT_DATE, s, len);
}

static cpt_field time_col(cpt_csv *r, int col, bool is_end, int *mod) {
  const char *s, *what = is_end ? WANT_END : WANT_START;
  size_t len;
  cpt_field k = raw(r, col, what, &s, &len);
  if (k != CPT_FIELD_OK) return k;
  return cpt_rota_parse_time(s, len, is_end, mod) ? CPT_FIELD_OK
                                                  : bad(r, col, what, s, len);
}

/* One of words[] (any case): its index in *out. */
static cpt_field word_col(cpt_csv *r, int col, const char *what,
                          const char *const *words, int n, int *out) {
  const char *s;
  size_t len;
  cpt_field k = raw(r, col, what, &s, &len);
  if (k != CPT_FIELD_OK) return k;
  for (int i = 0; i < n; i++)
    if (strlen(words[i]) == len && strncasecmp(s, words[i], len) == 0) {
      *out = i;
      return CPT_FIELD_OK;
    }
  return bad(r, col, what, s, len);
}

/* Date + start + end → [start, end); false when any of them is bad or
 * missing (the errors are recorded). */
static bool interval_cols(cpt_csv *r, int c_date, int c_start, int c_end,
                          int64_t *start, int64_t *end) {
  int64_t days = 0;
  int smod = 0, emod = 0;
  bool ok = date_col(r, c_date, &days) == CPT_FIELD_OK;
  ok &= time_col(r, c_start, false, &smod) == CPT_FIELD_OK;
  ok &= time_col(r, c_end, true, &emod) == CPT_FIELD_OK;
  if (ok) cpt_rota_interval(days, smod, emod, start, end);
  return ok;
}

/* A string column into the pool: *out NULL when empty.  False only when
 * out of memory. */
static bool pool_str(cpt_csv *r, int col, struct cpt_strpool *pool,
                     const char **out) {
  const char *s;
  size_t len;
  *out = NULL;
  if (cpt_csv_str(r, col, &s, &len) != CPT_FIELD_OK) return true;
  *out = cpt_strpool_dup(pool, s, len);
  return *out != NULL;
}

static int32_t field_index(cpt_csv *r, int col) {
  const char *s;
  size_t len;
  long fcol = 0;
  if (!cpt_csv_has(r, col)) return 0;
  cpt_csv_raw(r, col, &s, &len, NULL, &fcol);
  return (int32_t)fcol;
}

/* Append row to table t (a cpt_slots, cpt_avails, ...) whose capacity is
 * *cap; returns CPT_ENOMEM from the enclosing callback on failure. */
#define PUSH(t, cap, row)                                                 \
  do {                                                                    \
    if ((t)->n == *(cap)) {                                               \
      size_t nc_ = *(cap) ? 2 * *(cap) : 64;                              \
      void *nv_ = realloc((t)->v, nc_ * sizeof *(t)->v);                  \
      if (!nv_) return CPT_ENOMEM;                                        \
      (t)->v = nv_;                                                       \
      *(cap) = nc_;                                                       \
    }                                                                     \
    (t)->v[(t)->n++] = (row);                                             \
  } while (0)

/* The common body of the four public readers. */
#define READER(T, schema_, on_row_, name, buf, len, out, diags)           \
  do {                                                                    \
    *(out) = NULL;                                                        \
    T *t_ = calloc(1, sizeof *t_);                                        \
    if (!t_ || !(t_->pool = cpt_strpool_new()) ||                         \
        !(t_->file = cpt_strpool_dup(t_->pool, name, strlen(name)))) {    \
      if (t_) cpt_strpool_free(t_->pool);                                 \
      free(t_);                                                           \
      return CPT_ENOMEM;                                                  \
    }                                                                     \
    size_t cap_ = 0;                                                      \
    void *ctx_[2] = {t_, &cap_};                                          \
    cpt_status st_ = cpt_csv_read(name, buf, len, &(schema_), NULL,       \
                                  on_row_, ctx_, diags);                  \
    if (st_ != CPT_OK) {                                                  \
      cpt_strpool_free(t_->pool);                                         \
      free(t_->v);                                                        \
      free(t_);                                                           \
      return st_;                                                         \
    }                                                                     \
    *(out) = t_;                                                          \
    return CPT_OK;                                                        \
  } while (0)

#define LOADER(parse, path, out, diags)                                   \
  do {                                                                    \
    cpt_csv_bytes f_;                                                     \
    *(out) = NULL;                                                        \
    cpt_status st_ = cpt_csv_bytes_open(path, &f_, diags);                \
    if (st_ != CPT_OK) return st_;                                        \
    st_ = parse(path, f_.data, f_.len, out, diags);                       \
    cpt_csv_bytes_close(&f_);                                             \
    return st_;                                                           \
  } while (0)

#define REQ (CPT_CSV_REQUIRED | CPT_CSV_NONEMPTY)

/* --- Slots -------------------------------------------------------------- */

enum { S_ID, S_DATE, S_START, S_END, S_SITE, S_NEED, S_KIND, S_NCOLS };

static const cpt_csv_col slot_cols[S_NCOLS] = {
    [S_ID] = {"id", REQ | CPT_CSV_UNIQUE},
    [S_DATE] = {"date", REQ},
    [S_START] = {"start", REQ},
    [S_END] = {"end", REQ},
    [S_SITE] = {"site", 0},
    [S_NEED] = {"need", 0},
    [S_KIND] = {"kind", 0},
};
static const cpt_csv_schema slot_schema = {
    slot_cols, S_NCOLS, "id, date, start, end, site, need, kind", false};

static const char *const kinds[] = {"snp", "pdsa"};

static cpt_status slot_row(cpt_csv *r, void *vctx) {
  void **c = vctx;
  cpt_slots *t = c[0];
  cpt_slot s = {.need = 1, .kind = CPT_SLOT_SNP, .line = cpt_csv_line(r)};
  const char *id;
  size_t idlen;
  cpt_field kid = cpt_csv_str(r, S_ID, &id, &idlen);
  interval_cols(r, S_DATE, S_START, S_END, &s.start, &s.end);
  int64_t need;
  if (cpt_csv_int(r, S_NEED, 0, INT32_MAX, &need) == CPT_FIELD_OK)
    s.need = (int32_t)need;
  int kind;
  if (word_col(r, S_KIND, "snp or pdsa", kinds, 2, &kind) == CPT_FIELD_OK)
    s.kind = (cpt_slot_kind)kind;
  if (cpt_csv_failed(r) || kid != CPT_FIELD_OK) return CPT_OK;
  if (!(s.id = cpt_strpool_dup(t->pool, id, idlen)) ||
      !pool_str(r, S_SITE, t->pool, &s.site))
    return CPT_ENOMEM;
  PUSH(t, (size_t *)c[1], s);
  return CPT_OK;
}

cpt_status cpt_slots_parse(const char *name, const char *buf, size_t len,
                           cpt_slots **out, cpt_diags *diags) {
  READER(cpt_slots, slot_schema, slot_row, name, buf, len, out, diags);
}

cpt_status cpt_slots_load(const char *path, cpt_slots **out,
                          cpt_diags *diags) {
  LOADER(cpt_slots_parse, path, out, diags);
}

/* --- Availability ------------------------------------------------------- */

enum { A_DOCTOR, A_DATE, A_START, A_END, A_LEVEL, A_NCOLS };

static const cpt_csv_col avail_cols[A_NCOLS] = {
    [A_DOCTOR] = {"doctor", REQ},
    [A_DATE] = {"date", REQ},
    [A_START] = {"start", REQ},
    [A_END] = {"end", REQ},
    [A_LEVEL] = {"level", REQ},
};
static const cpt_csv_schema avail_schema = {
    avail_cols, A_NCOLS, "doctor, date, start, end, level", false};

static const char *const levels[] = {"unavailable", "available",
                                     "preferred"};

static cpt_status avail_row(cpt_csv *r, void *vctx) {
  void **c = vctx;
  cpt_avails *t = c[0];
  cpt_avail a = {.line = cpt_csv_line(r)};
  const char *doc;
  size_t dlen;
  cpt_field kd = cpt_csv_str(r, A_DOCTOR, &doc, &dlen);
  interval_cols(r, A_DATE, A_START, A_END, &a.start, &a.end);
  int level;
  if (word_col(r, A_LEVEL, "unavailable, available or preferred", levels,
               3, &level) == CPT_FIELD_OK)
    a.level = (cpt_avail_level)level;
  if (cpt_csv_failed(r) || kd != CPT_FIELD_OK) return CPT_OK;
  t->doctor_col = field_index(r, A_DOCTOR);
  if (!(a.doctor = cpt_strpool_dup(t->pool, doc, dlen))) return CPT_ENOMEM;
  PUSH(t, (size_t *)c[1], a);
  return CPT_OK;
}

cpt_status cpt_avails_parse(const char *name, const char *buf, size_t len,
                            cpt_avails **out, cpt_diags *diags) {
  READER(cpt_avails, avail_schema, avail_row, name, buf, len, out, diags);
}

cpt_status cpt_avails_load(const char *path, cpt_avails **out,
                           cpt_diags *diags) {
  LOADER(cpt_avails_parse, path, out, diags);
}

/* --- History ------------------------------------------------------------ */

enum { H_DOCTOR, H_SLOTS, H_NCOLS };

static const cpt_csv_col hist_cols[H_NCOLS] = {
    [H_DOCTOR] = {"doctor", REQ | CPT_CSV_UNIQUE},
    [H_SLOTS] = {"slots", REQ},
};
static const cpt_csv_schema hist_schema = {hist_cols, H_NCOLS,
                                           "doctor, slots", false};

static cpt_status hist_row(cpt_csv *r, void *vctx) {
  void **c = vctx;
  cpt_hists *t = c[0];
  cpt_hist h = {.line = cpt_csv_line(r)};
  const char *doc;
  size_t dlen;
  cpt_field kd = cpt_csv_str(r, H_DOCTOR, &doc, &dlen);
  cpt_csv_int(r, H_SLOTS, 0, INT32_MAX, &h.slots);
  if (cpt_csv_failed(r) || kd != CPT_FIELD_OK) return CPT_OK;
  t->doctor_col = field_index(r, H_DOCTOR);
  if (!(h.doctor = cpt_strpool_dup(t->pool, doc, dlen))) return CPT_ENOMEM;
  PUSH(t, (size_t *)c[1], h);
  return CPT_OK;
}

cpt_status cpt_hists_parse(const char *name, const char *buf, size_t len,
                           cpt_hists **out, cpt_diags *diags) {
  READER(cpt_hists, hist_schema, hist_row, name, buf, len, out, diags);
}

cpt_status cpt_hists_load(const char *path, cpt_hists **out,
                          cpt_diags *diags) {
  LOADER(cpt_hists_parse, path, out, diags);
}

/* --- Pinned ------------------------------------------------------------- */

enum { P_DOCTOR, P_SLOT, P_NCOLS };

static const cpt_csv_col pin_cols[P_NCOLS] = {
    [P_DOCTOR] = {"doctor", REQ},
    [P_SLOT] = {"slot", REQ},
};
static const cpt_csv_schema pin_schema = {pin_cols, P_NCOLS, "doctor, slot",
                                          false};

static cpt_status pin_row(cpt_csv *r, void *vctx) {
  void **c = vctx;
  cpt_pins *t = c[0];
  cpt_pin p = {.line = cpt_csv_line(r)};
  const char *doc, *slot;
  size_t dlen, slen;
  cpt_field kd = cpt_csv_str(r, P_DOCTOR, &doc, &dlen);
  cpt_field ks = cpt_csv_str(r, P_SLOT, &slot, &slen);
  if (cpt_csv_failed(r) || kd != CPT_FIELD_OK || ks != CPT_FIELD_OK)
    return CPT_OK;
  t->doctor_col = field_index(r, P_DOCTOR);
  t->slot_col = field_index(r, P_SLOT);
  if (!(p.doctor = cpt_strpool_dup(t->pool, doc, dlen)) ||
      !(p.slot = cpt_strpool_dup(t->pool, slot, slen)))
    return CPT_ENOMEM;
  PUSH(t, (size_t *)c[1], p);
  return CPT_OK;
}

cpt_status cpt_pins_parse(const char *name, const char *buf, size_t len,
                          cpt_pins **out, cpt_diags *diags) {
  READER(cpt_pins, pin_schema, pin_row, name, buf, len, out, diags);
}

cpt_status cpt_pins_load(const char *path, cpt_pins **out,
                         cpt_diags *diags) {
  LOADER(cpt_pins_parse, path, out, diags);
}

/* --- Free --------------------------------------------------------------- */

#define FREE_TABLE(t)                                                     \
  do {                                                                    \
    if (!(t)) return;                                                     \
    cpt_strpool_free((t)->pool);                                          \
    free((t)->v);                                                         \
    free(t);                                                              \
  } while (0)

void cpt_slots_free(cpt_slots *t) { FREE_TABLE(t); }
void cpt_avails_free(cpt_avails *t) { FREE_TABLE(t); }
void cpt_hists_free(cpt_hists *t) { FREE_TABLE(t); }
void cpt_pins_free(cpt_pins *t) { FREE_TABLE(t); }
