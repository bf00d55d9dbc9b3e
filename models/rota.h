/*
 * rota.h — the domain data of the SNP rota model (SPEC §2, §4) and its
 * preparation into the per-(doctor, slot) facts the models need.
 *
 * Times.  A date YYYY-MM-DD and a local time HH:MM are combined into
 * minutes since 2000-01-01 00:00 local (cpt_rota_minutes), computed with a
 * proleptic Gregorian days-from-civil: no time zone, no DST, no locale.  A
 * slot or an availability window is the half-open interval [start, end);
 * "a slot whose end is not after its start ends on the next day", so
 * 20:00–08:00 lasts 12 h, 08:00–08:00 lasts 24 h, and an end of 00:00 (or
 * "24:00", accepted in end columns only) is the next midnight.
 *
 * Accepted time syntax: H:MM or HH:MM, hours 0–23, minutes 00–59, an
 * optional ":00" seconds suffix (spreadsheet exports write 08:00:00); end
 * columns also accept 24:00.  Dates: exactly YYYY-MM-DD, a real calendar
 * date, years 1900–2999.
 *
 * Readers (rota_csv.c) follow the rules of readers.h (BOM, ',' or ';',
 * free column order, unknown columns warned, every error located as
 * FILE:LINE:COL with the column and what was expected, all errors listed;
 * on any error *out is NULL and CPT_EINPUT is returned):
 *   slots:        id (required, unique), date, start, end (required),
 *                 site (empty = none), need (integer ≥ 0, default 1),
 *                 kind (snp | pdsa, any case, default snp)
 *   availability: doctor, date, start, end, level (all required;
 *                 level unavailable | available | preferred, any case)
 *   history:      doctor (required, unique), slots (required, integer ≥ 0)
 *   pinned:       doctor, slot (required); a repeated pair is a warning
 *                 and is kept once by cpt_rota_prepare
 * Names that refer to other files (doctor, slot) are checked by
 * cpt_rota_prepare, which knows every table.
 */
#ifndef CPT_ROTA_H
#define CPT_ROTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../solver/diag.h"
#include "../solver/status.h"

struct cpt_strpool;
struct cpt_doctors;

/* --- Time arithmetic ---------------------------------------------------- */

#define CPT_MIN_PER_DAY 1440

/* Days from 2000-01-01 to y-m-d (proleptic Gregorian; negative before). */
int64_t cpt_rota_days(int y, int m, int d);
/* The inverse. */
void cpt_rota_civil(int64_t days, int *y, int *m, int *d);
/* True when y-m-d is a real calendar date. */
bool cpt_rota_valid_date(int y, int m, int d);
/* Minutes since 2000-01-01 00:00 of day `days` at minute-of-day `mod`. */
int64_t cpt_rota_minutes(int64_t days, int mod);
/* The interval [start, end) of a window on date `days` from minute-of-day
 * start_mod to end_mod (0–1440): end is moved to the next day when it is
 * not after start. */
void cpt_rota_interval(int64_t days, int start_mod, int end_mod,
                       int64_t *start, int64_t *end);
/* The day (since 2000-01-01) of an absolute minute; floor division. */
int64_t cpt_rota_day_of(int64_t minutes);
/* "YYYY-MM-DD" and "HH:MM" of an absolute minute (buffers of 11 and 6). */
char *cpt_rota_fmt_date(int64_t minutes, char out[11]);
char *cpt_rota_fmt_time(int64_t minutes, char out[6]);

/* Parsers of the field syntax above (len bytes of s, not NUL-terminated):
 * true and the value on success.  allow_24 accepts "24:00" (= 1440). */
bool cpt_rota_parse_date(const char *s, size_t len, int64_t *days);
bool cpt_rota_parse_time(const char *s, size_t len, bool allow_24,
                         int *mod);

/* --- Tables ------------------------------------------------------------- */

typedef enum cpt_slot_kind { CPT_SLOT_SNP = 0, CPT_SLOT_PDSA } cpt_slot_kind;

typedef struct cpt_slot {
  const char *id;     /* unique, non-empty */
  const char *site;   /* NULL when empty (any doctor's sites match) */
  int64_t start, end; /* minutes since 2000-01-01, end > start */
  int32_t need;       /* doctors required, ≥ 0 (default 1) */
  cpt_slot_kind kind; /* default snp */
  int64_t line;
} cpt_slot;

typedef enum cpt_avail_level {
  CPT_AVAIL_UNAVAILABLE = 0,
  CPT_AVAIL_AVAILABLE,
  CPT_AVAIL_PREFERRED
} cpt_avail_level;

typedef struct cpt_avail {
  const char *doctor;
  int64_t start, end; /* end > start */
  cpt_avail_level level;
  int64_t line;
} cpt_avail;

typedef struct cpt_hist {
  const char *doctor;
  int64_t slots; /* ≥ 0 */
  int64_t line;
} cpt_hist;

typedef struct cpt_pin {
  const char *doctor, *slot;
  int64_t line;
} cpt_pin;

/* Every table: rows in file order, strings in the pool, the file name as
 * given to the reader (for cross-file messages) and the 1-based field
 * index of the columns that name other files' rows (0 when absent). */
#define CPT_ROTA_TABLE(T)                                                 \
  struct {                                                                \
    T *v;                                                                 \
    size_t n;                                                             \
    struct cpt_strpool *pool;                                             \
    const char *file;                                                     \
    int32_t doctor_col, slot_col;                                         \
  }

typedef CPT_ROTA_TABLE(cpt_slot) cpt_slots;
typedef CPT_ROTA_TABLE(cpt_avail) cpt_avails;
typedef CPT_ROTA_TABLE(cpt_hist) cpt_hists;
typedef CPT_ROTA_TABLE(cpt_pin) cpt_pins;

/* Readers: *out is a new table, freed by the caller with the matching
 * free (NULL-safe, frees the table too).  CPT_EINPUT (errors in diags,
 * *out NULL), CPT_EIO, CPT_ENOMEM. */
cpt_status cpt_slots_load(const char *path, cpt_slots **out,
                          cpt_diags *diags);
cpt_status cpt_slots_parse(const char *name, const char *buf, size_t len,
                           cpt_slots **out, cpt_diags *diags);
cpt_status cpt_avails_load(const char *path, cpt_avails **out,
                           cpt_diags *diags);
cpt_status cpt_avails_parse(const char *name, const char *buf, size_t len,
                            cpt_avails **out, cpt_diags *diags);
cpt_status cpt_hists_load(const char *path, cpt_hists **out,
                          cpt_diags *diags);
cpt_status cpt_hists_parse(const char *name, const char *buf, size_t len,
                           cpt_hists **out, cpt_diags *diags);
cpt_status cpt_pins_load(const char *path, cpt_pins **out, cpt_diags *diags);
cpt_status cpt_pins_parse(const char *name, const char *buf, size_t len,
                          cpt_pins **out, cpt_diags *diags);
void cpt_slots_free(cpt_slots *t);
void cpt_avails_free(cpt_avails *t);
void cpt_hists_free(cpt_hists *t);
void cpt_pins_free(cpt_pins *t);

/* --- Preparation (rota_prep.c) ------------------------------------------ */

typedef struct cpt_rota_prep_params {
  double min_rest_h;   /* rest after a night slot, hours ≥ 0 (11) */
  int32_t max_per_day; /* when the doctor's column is empty, ≥ 1 (2) */
} cpt_rota_prep_params;

void cpt_rota_prep_params_init(cpt_rota_prep_params *p);

/* Flags of the (doctor, slot) matrix. */
enum {
  CPT_DS_OPEN = 1u << 0,      /* covered by an available/preferred row of
                                 the doctor, overlapped by no unavailable */
  CPT_DS_PREFERRED = 1u << 1, /* covered by a preferred row */
  CPT_DS_SITE = 1u << 2,      /* the doctor serves the slot's site */
  CPT_DS_ALLOWED = 1u << 3,   /* OPEN and SITE: y_ds may be 1 */
  CPT_DS_PINNED = 1u << 4     /* a pinned row names the pair */
};

/* Why a pair of slots may not go to one doctor (a bit set). */
enum {
  CPT_CONFLICT_OVERLAP = 1u << 0, /* [s.start,s.end) ∩ [t.start,t.end) ≠ ∅ */
  CPT_CONFLICT_REST = 1u << 1     /* one is a night slot (ends after 22:00
                                     or crosses midnight) and the other
                                     starts at or after its end but less
                                     than min_rest_h later */
};

typedef struct cpt_rota_conflict {
  int32_t s, t;   /* slot indices, s < t */
  unsigned kind;  /* CPT_CONFLICT_... */
} cpt_rota_conflict;

typedef struct cpt_rota_pinned {
  int32_t doctor, slot; /* indices into the tables */
} cpt_rota_pinned;

/* The prepared rota.  Indices refer to the tables given to
 * cpt_rota_prepare (doctor d = doctors->v[d], slot s = slots->v[s]); the
 * tables stay the caller's and must outlive this only if the caller wants
 * to look names up.
 *
 *   ds[d * n_slots + s]  CPT_DS_... flags; y_ds may be 1 iff ALLOWED
 *   conflicts            pairs (s < t) with y_ds + y_dt ≤ 1 for every d,
 *                        sorted by (s, t)
 *   days                 the distinct start dates, ascending; the slots
 *                        starting on day k are
 *                        day_slots[day_first[k] .. day_first[k+1]), in
 *                        ascending index; slot_day[s] = k
 *   target[d]            cumulative target (history included): the
 *                        doctor's column, else equal_share
 *   equal_share          (Σ_s need_s + Σ_d hist_d) / |D| (0 when D = ∅)
 *   hist[d]              history slots, 0 when absent
 *   max_slots[d]         −1 = no weekly limit
 *   max_per_day[d]       the column, else the parameter
 *   pinned               distinct pairs in file order, kept even when not
 *                        ALLOWED (a warning then) */
typedef struct cpt_rota {
  size_t n_doctors, n_slots;
  uint8_t *ds;
  cpt_rota_conflict *conflicts;
  size_t n_conflicts;
  size_t n_days;
  int64_t *days;      /* days since 2000-01-01 */
  size_t *day_first;  /* n_days + 1 */
  int32_t *day_slots; /* n_slots */
  int32_t *slot_day;  /* n_slots */
  double *target;
  double equal_share;
  int64_t *hist;
  int32_t *max_slots;
  int32_t *max_per_day;
  cpt_rota_pinned *pinned;
  size_t n_pinned;
} cpt_rota;

/* Check the tables against each other and build *out (free with
 * cpt_rota_free, NULL-safe).  availability, history and pinned may be NULL
 * (no rows).  Errors, each at the referring file's line and column: an
 * availability, history or pinned row naming a doctor not in doctors, a
 * pinned row naming a slot not in slots.  Warnings: a pinned pair that is
 * not ALLOWED, a repeated pinned pair.  Returns CPT_OK, CPT_EINPUT (*out
 * NULL, all errors in diags), CPT_EPARAM (bad params), CPT_ENOMEM. */
cpt_status cpt_rota_prepare(const struct cpt_doctors *doctors,
                            const cpt_slots *slots,
                            const cpt_avails *availability,
                            const cpt_hists *history, const cpt_pins *pinned,
                            const cpt_rota_prep_params *params,
                            cpt_rota **out, cpt_diags *diags);
void cpt_rota_free(cpt_rota *r);

/* True when slot s is a night slot: it ends after 22:00 or on a later
 * day than it starts. */
bool cpt_rota_is_night(const cpt_slot *s);
/* True when doctor sites ('|'-separated, NULL or empty = all; spaces
 * around names ignored; exact, case-sensitive) include site (NULL = a slot
 * without site, which every doctor serves). */
bool cpt_rota_serves(const char *sites, const char *site);

#endif
