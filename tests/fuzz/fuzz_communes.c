/*
 * fuzz_communes.c — libFuzzer target for the communes table CSV reader
 * (models/communes.c): the input is the whole file, parsed in memory by
 * cpt_communes_parse, then the reader's contract is checked (fuzz_common.h).
 */
#include "../../models/communes.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_communes *t = NULL;
  cpt_status st =
      cpt_communes_parse("communes.csv", (const char *)data, size, &t, &d);
  cpt_fuzz_check("cpt_communes_parse", st, t != NULL, &d, data, size);
  cpt_communes_free(t);
  cpt_diags_free(&d);
  return 0;
}
