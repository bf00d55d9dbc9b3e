/*
 * report_rota.h — the outputs of `cptsopt rota` (SPEC §4): the rota CSV,
 * the JSON report, one iCalendar file per doctor and the week grid printed
 * on the terminal.  Every writer is deterministic: slots go in the order
 * of cpt_rota_slot_order (start, then id), doctors by id within a slot.
 */
#ifndef CPT_REPORT_ROTA_H
#define CPT_REPORT_ROTA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../models/rota.h"
#include "../models/rota_model.h"
#include "../solver/diag.h"
#include "../solver/status.h"

struct cJSON;
struct cpt_config;
struct cpt_doctors;

typedef struct cpt_rota_report_info {
  const char *method; /* "mip" or "heuristic" */
  int threads;
  double read_s;
  const cpt_diags *diags;
  const char *previous; /* the --previous file, or NULL */
} cpt_rota_report_info;

/* Slot indices sorted by (start, id); n_slots entries, caller frees.
 * NULL when out of memory. */
int32_t *cpt_rota_slot_order(const cpt_slots *S);
/* Doctor indices sorted by id; caller frees; NULL when out of memory. */
int32_t *cpt_rota_doctor_order(const struct cpt_doctors *D);

/* The rota CSV: header `slot,date,start,end,site,doctor`, one row per
 * assignment in slot order, doctors by id; then, for a slot with
 * under = k > 0, k rows with an empty doctor (one per missing doctor).
 * Returns CPT_ENOMEM or CPT_OK (write errors surface at commit). */
cpt_status cpt_rota_write_csv(FILE *f, const struct cpt_doctors *D,
                              const cpt_slots *S,
                              const cpt_rota_solution *sol);

/* The JSON report: SPEC §4 keys (status, objective, bound, gap, time_s,
 * method, threads, seed, config, version) plus "terms", "doctors" (load,
 * history, target, deviation), "uncovered" (need, covered, reason) and
 * "counts".  Caller frees with cJSON_Delete; NULL when out of memory. */
struct cJSON *cpt_rota_report_json(const struct cpt_doctors *D,
                                   const cpt_slots *S, const cpt_rota *R,
                                   const cpt_rota_solution *sol,
                                   const struct cpt_config *cfg,
                                   const cpt_rota_report_info *info);

/* The calendar of doctor d (its slots in slot order) written with
 * cpt_ics_write.  CPT_ENOMEM, CPT_EPARAM, CPT_EIO or CPT_OK. */
cpt_status cpt_rota_write_ics(FILE *f, const struct cpt_doctors *D,
                              const cpt_slots *S,
                              const cpt_rota_solution *sol, size_t d);

/* A file name for a doctor id: every octet outside [A-Za-z0-9._-] becomes
 * '_', a name made of dots only gets a leading '_', an empty id is "_";
 * then ".ics".  Written into buf (truncated to size−1). */
void cpt_rota_ics_name(const char *id, char *buf, size_t size);

/* The week grid: one column per day, one row per (site, start–end) with
 * the doctors' ids in the cells, "—" and an abbreviated reason for a
 * missing doctor ("—nobody", "—rest", "—limit", "—cost"). */
cpt_status cpt_rota_print_grid(FILE *out, const struct cpt_doctors *D,
                               const cpt_slots *S, const cpt_rota *R,
                               const cpt_rota_solution *sol);

#endif
