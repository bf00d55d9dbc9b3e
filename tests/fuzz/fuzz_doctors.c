/*
 * fuzz_doctors.c — libFuzzer target for the doctors CSV reader (SPEC §4,
 * models/doctors_csv.c): the input is the whole file, parsed in memory, with
 * the embedded communes table and without one, by cpt_doctors_parse, then the
 * reader's contract is checked (fuzz_common.h).
 */
#include "../../models/readers.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* with the communes table, then without (lat/lon only) */
  for (int pass = 0; pass < 2; pass++) {
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_doctors *t = NULL;
    cpt_status st =
        cpt_doctors_parse("doctors.csv", (const char *)data, size,
                          pass ? NULL : cpt_fuzz_communes(), &t, &d);
    cpt_fuzz_check("cpt_doctors_parse", st, t != NULL, &d, data, size);
    cpt_doctors_free(t);
    cpt_diags_free(&d);
  }
  return 0;
}
