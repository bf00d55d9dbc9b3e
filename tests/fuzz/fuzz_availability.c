/*
 * fuzz_availability.c — libFuzzer target for the rota availability CSV reader
 * (models/rota_csv.c): the input is the whole file, parsed in memory by
 * cpt_avails_parse, then the reader's contract is checked (fuzz_common.h).
 */
#include "../../models/rota.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_avails *t = NULL;
  cpt_status st =
      cpt_avails_parse("availability.csv", (const char *)data, size, &t, &d);
  cpt_fuzz_check("cpt_avails_parse", st, t != NULL, &d, data, size);
  cpt_avails_free(t);
  cpt_diags_free(&d);
  return 0;
}
