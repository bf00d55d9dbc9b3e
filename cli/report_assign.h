/*
 * report_assign.h — what `assign` (and `depart`) write: the assignments CSV,
 * the JSON report and the human summary.
 */
#ifndef CPT_REPORT_ASSIGN_H
#define CPT_REPORT_ASSIGN_H

#include <stdio.h>

#include "../models/assign.h"

struct cJSON;

typedef struct cpt_assign_report_info {
  const char *command;     /* "assign" or "depart" */
  int threads;             /* effective thread count */
  double read_s;           /* time spent reading inputs */
  const cpt_diags *warnings;
  const char *const *leaving; /* depart: the leaving doctors' ids */
  size_t n_leaving;
  int32_t waves;              /* depart: number of waves (1 = none) */
} cpt_assign_report_info;

/* patient,doctor,distance_km,reason — one row per patient, file order;
 * then wave when there are waves, and alt_1,alt_1_km,… when r has
 * alternatives. */
void cpt_assign_write_csv(FILE *f, const cpt_doctors *D,
                          const cpt_patients *P, const cpt_assign_result *r,
                          const cpt_assign_report_info *info);

/* The JSON report (SPEC §4); caller frees with cJSON_Delete. */
struct cJSON *cpt_assign_report_json(const cpt_doctors *D,
                                     const cpt_patients *P,
                                     const cpt_assign_result *r,
                                     const cpt_config *cfg,
                                     const cpt_assign_report_info *info);

/* Human summary (stderr): placed by category, unplaced by reason,
 * distances, most loaded doctors. */
void cpt_assign_print_summary(FILE *out, const cpt_doctors *D,
                              const cpt_patients *P,
                              const cpt_assign_result *r,
                              const cpt_assign_report_info *info);

#endif
