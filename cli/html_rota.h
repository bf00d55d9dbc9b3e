/*
 * html_rota.h — the --html report of `rota`: one self-contained page
 * (inline SVG and CSS, no script) with the week grid (days × slots, the
 * doctors of each slot, uncovered places marked with their reason) and
 * each doctor's load against target.
 */
#ifndef CPT_HTML_ROTA_H
#define CPT_HTML_ROTA_H

#include <stdio.h>

#include "report_rota.h"

/* Write the page to f.  Returns CPT_OK or CPT_ENOMEM (write errors
 * surface when the output set is committed). */
cpt_status cpt_html_rota(FILE *f, const struct cpt_doctors *D,
                         const cpt_slots *S, const cpt_rota *R,
                         const cpt_rota_solution *sol,
                         const cpt_rota_report_info *info);

#endif
