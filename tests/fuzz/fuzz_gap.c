/*
 * fuzz_gap.c — libFuzzer target for the OR-Library GAP file reader
 * (models/gap_file.h; SPEC §3: number of problems, then per problem m n,
 * m×n costs, m×n weights, m capacities; or the single-instance variant).
 * The reader takes a path, so the input goes through a private temporary
 * file (fuzz_common.h); then the reader's contract is checked.
 *
 * Written against the expected API
 *   cpt_status cpt_gap_file_read(const char *path, cpt_gap_file **out,
 *                                cpt_diags *diags);
 *   void cpt_gap_file_free(cpt_gap_file *f);
 * and built only when models/gap_file.h exists (tests/fuzz/fuzz.mk).
 */
#include "../../models/gap_file.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = cpt_fuzz_temp_file("input.txt", data, size);
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_gap_file *g = NULL;
  cpt_status st = cpt_gap_file_read(path, &g, &d);
  cpt_fuzz_check("cpt_gap_file_read", st, g != NULL, &d, data, size);
  cpt_gap_file_free(g);
  cpt_diags_free(&d);
  return 0;
}
