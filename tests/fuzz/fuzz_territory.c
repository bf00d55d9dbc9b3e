/*
 * fuzz_territory.c — libFuzzer target for the bundled-territory JSON
 * reader (models/territory.c): the input is written as fuzz.json in a
 * private directory and resolved as the territory "fuzz" against the
 * embedded communes table; then the reader's contract is checked
 * (fuzz_common.h) and an accepted territory must list valid communes in
 * ascending order.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../models/territory.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const cpt_communes *c = cpt_fuzz_communes();
  cpt_fuzz_temp_file("fuzz.json", data, size);
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_territory *t = NULL;
  cpt_status st = cpt_territory_resolve("fuzz", c, cpt_fuzz_temp_dir(), &t, &d);
  cpt_fuzz_check("cpt_territory_resolve", st, t != NULL, &d, data, size);
  for (size_t i = 0; t && i < t->n; i++)
    if (t->communes[i] < 0 || (size_t)t->communes[i] >= cpt_communes_count(c) ||
        (i > 0 && t->communes[i] <= t->communes[i - 1])) {
      fprintf(stderr, "fuzz: territory communes not ascending indices\n");
      abort();
    }
  cpt_territory_free(t);
  cpt_diags_free(&d);
  return 0;
}
