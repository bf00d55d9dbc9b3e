/*
 * instance.c — ownership and categories of the MT model's tables
 * (instance.h): freeing doctors and patients tables with their string
 * pools, and the patient categories of SPEC §1 (child: age < 16, age70:
 * age ≥ 70, ald, precarity) used for priorities and reporting.
 */
#include "instance.h"

#include <stdlib.h>

#include "strpool.h"

void cpt_doctors_free(cpt_doctors *d) {
  if (!d) return;
  free(d->v);
  cpt_strpool_free(d->pool);
  free(d);
}

void cpt_patients_free(cpt_patients *p) {
  if (!p) return;
  free(p->v);
  cpt_strpool_free(p->pool);
  free(p);
}

unsigned cpt_patient_categories(const cpt_patient *p) {
  unsigned c = 0;
  if (p->age < 16) c |= CPT_CAT_CHILD;
  if (p->age >= 70) c |= CPT_CAT_AGE70;
  if (p->ald) c |= CPT_CAT_ALD;
  if (p->precarity) c |= CPT_CAT_PRECARITY;
  return c;
}

const char *cpt_category_name(int bit_index) {
  static const char *const names[CPT_N_CATS] = {"child", "age70", "ald",
                                                "precarity"};
  if (bit_index < 0 || bit_index >= CPT_N_CATS) return "?";
  return names[bit_index];
}
