/*
 * fuzz_nrp_roster.c — libFuzzer target for the NRP roster reader
 * (cpt_nrp_roster_parse in models/nrp.c): the input is a roster file for
 * the embedded instance tests/data/nrp/small.txt (7 days, staff A B C,
 * shifts E L).  The reader's contract is checked (fuzz_common.h), and an
 * accepted roster must fit the instance: cpt_nrp_evaluate returns OK.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../models/nrp.h"
#include "fuzz_common.h"

static const char small_txt[] = "SECTION_HORIZON\n7\n\n"
                                "SECTION_SHIFTS\nE,480,\nL,480,E\n\n"
                                "SECTION_STAFF\n"
                                "A,E=7|L=7,2400,960,3,2,2,0\n"
                                "B,E=7|L=0,1920,960,5,2,2,1\n"
                                "C,E=7|L=7,2400,960,5,2,2,1\n\n"
                                "SECTION_DAYS_OFF\nA,4\nC,0,1\n\n"
                                "SECTION_SHIFT_ON_REQUESTS\n"
                                "A,0,E,2\nA,5,E,4\nB,3,E,3\nC,6,L,1\n\n"
                                "SECTION_SHIFT_OFF_REQUESTS\n"
                                "A,2,L,3\nB,4,E,5\nB,6,E,2\n\n"
                                "SECTION_COVER\n"
                                "0,E,1,100,1\n0,L,1,100,1\n1,E,1,100,1\n"
                                "1,L,1,100,1\n2,E,1,100,1\n2,L,1,100,1\n"
                                "3,E,1,100,1\n3,L,1,100,1\n4,E,1,100,1\n"
                                "4,L,1,100,1\n5,E,1,100,1\n5,L,1,100,1\n"
                                "6,E,1,100,1\n6,L,1,100,1\n";

static cpt_nrp_instance *instance(void) {
  static cpt_nrp_instance *inst;
  if (inst)
    return inst;
  cpt_diags d;
  cpt_diags_init(&d);
  if (cpt_nrp_parse("small.txt", small_txt, sizeof small_txt - 1, &inst, &d) !=
      CPT_OK) {
    cpt_diags_print(&d, stderr);
    fprintf(stderr, "fuzz: the embedded NRP instance does not parse\n");
    abort();
  }
  cpt_diags_free(&d);
  return inst;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const cpt_nrp_instance *inst = instance();
  cpt_diags d;
  cpt_diags_init(&d);
  cpt_nrp_roster *r = NULL;
  cpt_status st = cpt_nrp_roster_parse(inst, "roster.txt", (const char *)data,
                                       size, &r, &d);
  cpt_fuzz_check("cpt_nrp_roster_parse", st, r != NULL, &d, data, size);
  if (r) {
    cpt_nrp_eval ev;
    if (cpt_nrp_evaluate(inst, r, &ev) != CPT_OK) {
      fprintf(stderr, "fuzz: an accepted roster does not fit its instance\n");
      abort();
    }
    cpt_nrp_eval_free(&ev);
  }
  cpt_nrp_roster_free(r);
  cpt_diags_free(&d);
  return 0;
}
