/*
 * fuzz_rpps.c — libFuzzer target for the RPPS extract reader
 * (models/rpps.c): the input is the whole extract, read through a stream
 * on memory (fmemopen) by cpt_rpps_read with the embedded communes table
 * and the territory Épinal + Saint-Dié (as tests/test_rpps.c), salaried
 * doctors included; then the reader's contract is checked (fuzz_common.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../models/rpps.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const cpt_communes *c = cpt_fuzz_communes();
  int32_t territory[2] = {cpt_communes_find(c, "88160"),
                          cpt_communes_find(c, "88413")};
  if (territory[0] > territory[1]) {
    int32_t t = territory[0];
    territory[0] = territory[1];
    territory[1] = t;
  }
  cpt_rpps_params p;
  cpt_rpps_params_init(&p);
  p.communes = c;
  p.territory = territory;
  p.n_territory = 2;
  p.include_salaried = true;
  /* glibc's fmemopen accepts a zero size, but not every libc does. */
  FILE *f = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");
  if (!f) {
    perror("fuzz: fmemopen");
    abort();
  }
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_rpps_result *r = NULL;
  cpt_status st = cpt_rpps_read(f, "extract.txt", &p, &r, &d);
  fclose(f);
  cpt_fuzz_check("cpt_rpps_read", st, r != NULL, &d, data, size);
  cpt_rpps_result_free(r);
  cpt_diags_free(&d);
  return 0;
}
