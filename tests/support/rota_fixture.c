/*
 * rota_fixture.c — see rota_fixture.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../models/readers.h"
#include "rota_fixture.h"

void rota_fixture_prepare(rota_fixture *f, const char *doctors,
                          const char *slots, const char *avail,
                          const char *hist, const char *pins,
                          double min_rest_h) {
  memset(f, 0, sizeof *f);
  cpt_diags_init(&f->diags);
  cpt_diags *d = &f->diags;
  assert_int_equal(cpt_doctors_parse("doctors.csv", doctors, strlen(doctors),
                                     NULL, &f->doctors, d),
                   CPT_OK);
  assert_int_equal(
      cpt_slots_parse("slots.csv", slots, strlen(slots), &f->slots, d),
      CPT_OK);
  if (avail)
    assert_int_equal(cpt_avails_parse("availability.csv", avail,
                                      strlen(avail), &f->avail, d),
                     CPT_OK);
  if (hist)
    assert_int_equal(
        cpt_hists_parse("history.csv", hist, strlen(hist), &f->hist, d),
        CPT_OK);
  if (pins)
    assert_int_equal(
        cpt_pins_parse("pinned.csv", pins, strlen(pins), &f->pins, d),
        CPT_OK);
  cpt_rota_prep_params p;
  cpt_rota_prep_params_init(&p);
  p.min_rest_h = min_rest_h;
  f->min_rest_h = min_rest_h;
  assert_int_equal(cpt_rota_prepare(f->doctors, f->slots, f->avail, f->hist,
                                    f->pins, &p, &f->rota, d),
                   CPT_OK);
  assert_int_equal(d->n_errors, 0);
  cpt_diags_free(d); /* warnings of prepare (pinned not allowed) */
  cpt_diags_init(d);
}

void rota_fixture_release(rota_fixture *f) {
  cpt_rota_free(f->rota);
  cpt_doctors_free(f->doctors);
  cpt_slots_free(f->slots);
  cpt_avails_free(f->avail);
  cpt_hists_free(f->hist);
  cpt_pins_free(f->pins);
  cpt_diags_free(&f->diags);
}
