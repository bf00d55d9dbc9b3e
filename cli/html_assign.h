/*
 * html_assign.h — the --html report of `assign` and `depart`: one
 * self-contained page (inline SVG and CSS, no script) with the map of the
 * territory, the doctors' loads against capacity, placed and unplaced
 * patients by priority category and reason, and the distance
 * distribution.  Patients appear only aggregated by location, never by
 * identifier.
 */
#ifndef CPT_HTML_ASSIGN_H
#define CPT_HTML_ASSIGN_H

#include <stdio.h>

#include "../models/assign.h"
#include "report_assign.h"

/* Write the page to f.  communes (may be NULL) names the commune of a
 * location.  Returns CPT_OK or CPT_ENOMEM (write errors surface when the
 * output set is committed). */
cpt_status cpt_html_assign(FILE *f, const cpt_doctors *D,
                           const cpt_patients *P, const cpt_assign_result *r,
                           const cpt_communes *communes,
                           const cpt_assign_report_info *info);

#endif
