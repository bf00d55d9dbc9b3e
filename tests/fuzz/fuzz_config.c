/*
 * fuzz_config.c — libFuzzer target for the JSON config reader
 * (models/config.c): the input is the whole file, parsed in memory over
 * the defaults by cpt_config_parse; then the reader's contract is checked
 * (fuzz_common.h) and an accepted config goes through the range check and
 * back to JSON, which must succeed.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "../../models/config.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_config cfg;
  cpt_config_init(&cfg);
  cpt_status st =
      cpt_config_parse("config.json", (const char *)data, size, &cfg, &d);
  cpt_fuzz_check("cpt_config_parse", st, st == CPT_OK, &d, data, size);
  if (st == CPT_OK) {
    cpt_config_check(&cfg, &d);
    cJSON *j = cpt_config_to_json(&cfg);
    if (!j) {
      fprintf(stderr, "fuzz: cpt_config_to_json failed on a parsed config\n");
      abort();
    }
    cJSON_Delete(j);
  }
  cpt_diags_free(&d);
  return 0;
}
