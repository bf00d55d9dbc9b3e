/*
 * fuzz_gap.c — libFuzzer target for the OR-Library GAP file reader
 * (models/gap_file.h; SPEC §3: number of problems, then per problem m n,
 * m×n costs, m×n weights, m capacities; or the single-instance variant):
 * the input is the whole file, parsed in memory by cpt_gap_file_parse;
 * then the reader's contract is checked (fuzz_common.h), and every
 * problem of an accepted file must satisfy the GAP core's invariants
 * (cpt_gap_validate) and go through the infeasibility proof.
 *
 * Built only when models/gap_file.h exists (tests/fuzz/fuzz.mk).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../models/gap_file.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_gap_file *g = NULL;
  cpt_status st =
      cpt_gap_file_parse("gap.txt", (const char *)data, size, &g, &d);
  cpt_fuzz_check("cpt_gap_file_parse", st, g != NULL, &d, data, size);
  for (size_t i = 0; g && i < g->n; i++) {
    char err[256];
    if (cpt_gap_validate(g->v[i], err, sizeof err) != CPT_OK) {
      fprintf(stderr, "fuzz: problem %zu of an accepted file: %s\n", i + 1,
              err);
      abort();
    }
    cpt_gap_file_infeasible(g->v[i], err, sizeof err);
  }
  cpt_gap_file_free(g);
  cpt_diags_free(&d);
  return 0;
}
