/*
 * rota_fixture.h — a prepared rota built from CSV texts through the real
 * readers and cpt_rota_prepare, for the rota test suites (cmocka asserts
 * on every step).
 */
#ifndef CPT_TEST_ROTA_FIXTURE_H
#define CPT_TEST_ROTA_FIXTURE_H

#include "../../models/instance.h"
#include "../../models/rota.h"
#include "../../solver/diag.h"

typedef struct rota_fixture {
  cpt_doctors *doctors;
  cpt_slots *slots;
  cpt_avails *avail;
  cpt_hists *hist;
  cpt_pins *pins;
  cpt_diags diags;
  cpt_rota *rota;
  double min_rest_h;
} rota_fixture;

#define ROTA_DOCTORS_HEAD "id,lat,lon,capacity,sites,max_slots,max_per_day,target\n"
#define ROTA_SLOTS_HEAD "id,date,start,end,site,need\n"
#define ROTA_AVAIL_HEAD "doctor,date,start,end,level\n"

/* Parse the texts (availability, history, pinned may be NULL) and prepare
 * the rota with min_rest_h; fails the test on any error.  Warnings of the
 * preparation (a pinned pair not allowed) are cleared from f->diags. */
void rota_fixture_prepare(rota_fixture *f, const char *doctors,
                          const char *slots, const char *avail,
                          const char *hist, const char *pins,
                          double min_rest_h);
void rota_fixture_release(rota_fixture *f);

#endif
