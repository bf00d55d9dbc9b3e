/*
 * glpk_info.c — facts about the linked GLPK, so that nothing outside
 * solver/ includes glpk.h.
 */
#include <glpk.h>

#include "mip.h"

const char *cpt_mip_glpk_version(void) { return glp_version(); }
