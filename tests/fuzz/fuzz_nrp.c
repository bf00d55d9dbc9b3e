/*
 * fuzz_nrp.c — libFuzzer target for the NRP instance reader (models/nrp.c,
 * the sectioned text format of nrp.h): the input is the whole file, parsed
 * in memory by cpt_nrp_parse, then the reader's contract is checked
 * (fuzz_common.h).
 */
#include "../../models/nrp.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_nrp_instance *inst = NULL;
  cpt_status st =
      cpt_nrp_parse("instance.txt", (const char *)data, size, &inst, &d);
  cpt_fuzz_check("cpt_nrp_parse", st, inst != NULL, &d, data, size);
  cpt_nrp_free(inst);
  cpt_diags_free(&d);
  return 0;
}
