/*
 * instance.h — the domain data of the médecin-traitant (MT) model (SPEC §1).
 *
 * Doctors and patients as read from their CSV files (SPEC §4), with
 * locations resolved: either explicit lat/lon, or the centroid of an INSEE
 * commune from the communes table.  Strings live in a per-table pool and
 * are freed with the table.
 */
#ifndef CPT_INSTANCE_H
#define CPT_INSTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A resolved location.  commune is the row index in the communes table the
 * table was read with, or −1; explicit is true when lat/lon were given in
 * the file (they take precedence over a commune code given alongside).
 * Two locations with !explicit and the same commune are
 * intra_commune_km apart (SPEC §1). */
typedef struct cpt_loc {
  double lat, lon; /* degrees (WGS84) */
  int32_t commune; /* −1 when none */
  bool explicit_coords;
} cpt_loc;

typedef struct cpt_doctor {
  const char *id;      /* unique, non-empty */
  cpt_loc loc;
  const char *site;    /* practice / MSP id; NULL when empty */
  int32_t capacity;    /* max MT list size, ≥ 0 */
  int32_t current;     /* current list size, ≥ 0 */
  int32_t max_new;     /* −1 when not given, else ≥ 0 */
  bool children;       /* takes patients under 16 (default true) */
  bool home_visits;    /* makes home visits (default true) */
  /* rota columns (SPEC §4); unused by assign */
  const char *sites;   /* '|'-separated sites served; NULL = all */
  int32_t max_slots;   /* −1 = no weekly limit */
  int32_t max_per_day; /* −1 = config default */
  double target;       /* NAN = equal share */
  int64_t line;        /* line in the file, for messages */
} cpt_doctor;

typedef struct cpt_patient {
  const char *id;          /* unique, non-empty */
  cpt_loc loc;
  int32_t age;             /* 0–120 */
  bool ald, precarity;
  bool home_visit;         /* needs home visits (default false) */
  const char *household;   /* NULL when not in a household */
  const char *prev_doctor; /* NULL when none */
  double max_km;           /* NAN = config default */
  int64_t line;
} cpt_patient;

struct cpt_strpool;

typedef struct cpt_doctors {
  cpt_doctor *v;
  size_t n;
  struct cpt_strpool *pool; /* owns the strings */
  bool has_rota_columns;
} cpt_doctors;

typedef struct cpt_patients {
  cpt_patient *v;
  size_t n;
  struct cpt_strpool *pool;
} cpt_patients;

void cpt_doctors_free(cpt_doctors *d);   /* NULL-safe; frees d too */
void cpt_patients_free(cpt_patients *p); /* NULL-safe; frees p too */

/* Categories of SPEC §1, used for priority and reporting. */
enum {
  CPT_CAT_CHILD = 1 << 0,     /* age < 16 */
  CPT_CAT_AGE70 = 1 << 1,     /* age ≥ 70 */
  CPT_CAT_ALD = 1 << 2,       /* ALD flag */
  CPT_CAT_PRECARITY = 1 << 3, /* precarity flag */
  CPT_N_CATS = 4
};
unsigned cpt_patient_categories(const cpt_patient *p);
const char *cpt_category_name(int bit_index); /* "child", "age70", ... */

#endif
