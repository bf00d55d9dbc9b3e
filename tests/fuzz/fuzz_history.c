/*
 * fuzz_history.c — libFuzzer target for the rota history CSV reader
 * (models/rota_csv.c): the input is the whole file, parsed in memory by
 * cpt_hists_parse, then the reader's contract is checked (fuzz_common.h).
 */
#include "../../models/rota.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_hists *t = NULL;
  cpt_status st =
      cpt_hists_parse("history.csv", (const char *)data, size, &t, &d);
  cpt_fuzz_check("cpt_hists_parse", st, t != NULL, &d, data, size);
  cpt_hists_free(t);
  cpt_diags_free(&d);
  return 0;
}
