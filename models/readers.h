/*
 * readers.h — CSV readers for the doctors and patients files (SPEC §4).
 *
 * Common rules (csv_table.c): UTF-8 (a leading BOM is skipped; invalid
 * UTF-8 is an error with its line), header row required, separator ',' or
 * ';' detected from the header, decimal comma accepted when the separator
 * is ';', column order free, unknown columns ignored with a warning, flags
 * 0/1 yes/no oui/non true/false (any case).  Every error names
 * file:line:column, the column's name and what was expected, e.g.
 *   patients.csv:17:3: error: column 'age': expected an integer 0–120, got "7O"
 * All errors of a file are recorded (up to diags->max_kept, the rest
 * counted); on any error *out is NULL and CPT_EINPUT is returned.
 *
 * Doctors:  id, commune | lat+lon, site, capacity, current, max_new,
 *           children, home_visits  (+ sites, max_slots, max_per_day, target)
 *           required: id, location, capacity; current defaults to 0.
 * Patients: id, commune | lat+lon, age, ald, precarity, home_visit,
 *           household, prev_doctor, max_km
 *           required: id, location, age.
 * A location is lat+lon (both, in degrees) or commune (an INSEE code that
 * must exist in the communes table; communes may be NULL only when every
 * row gives lat/lon).  Ids must be unique within the file.
 */
#ifndef CPT_READERS_H
#define CPT_READERS_H

#include <stddef.h>

#include "../solver/diag.h"
#include "../solver/status.h"
#include "communes.h"
#include "instance.h"

cpt_status cpt_doctors_load(const char *path, const cpt_communes *communes,
                            cpt_doctors **out, cpt_diags *diags);
cpt_status cpt_doctors_parse(const char *name, const char *buf, size_t len,
                             const cpt_communes *communes, cpt_doctors **out,
                             cpt_diags *diags);

cpt_status cpt_patients_load(const char *path, const cpt_communes *communes,
                             cpt_patients **out, cpt_diags *diags);
cpt_status cpt_patients_parse(const char *name, const char *buf, size_t len,
                              const cpt_communes *communes,
                              cpt_patients **out, cpt_diags *diags);

#endif
