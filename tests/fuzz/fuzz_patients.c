/*
 * fuzz_patients.c — libFuzzer target for the patients CSV reader (SPEC §4,
 * models/patients_csv.c): the input is the whole file, parsed in memory, with
 * the embedded communes table and without one, by cpt_patients_parse, then the
 * reader's contract is checked (fuzz_common.h).
 */
#include "../../models/readers.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* with the communes table, then without (lat/lon only) */
  for (int pass = 0; pass < 2; pass++) {
    cpt_diags d;
    cpt_diags_init(&d);
    cpt_patients *t = NULL;
    cpt_status st =
        cpt_patients_parse("patients.csv", (const char *)data, size,
                           pass ? NULL : cpt_fuzz_communes(), &t, &d);
    cpt_fuzz_check("cpt_patients_parse", st, t != NULL, &d, data, size);
    cpt_patients_free(t);
    cpt_diags_free(&d);
  }
  return 0;
}
