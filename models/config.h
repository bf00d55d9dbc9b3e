/*
 * config.h — the JSON configuration file (SPEC §4), generated from the
 * option table in options.h.
 *
 * Every field is optional; unknown keys (at any level) are errors naming
 * the key's full path and its line; a value of the wrong type or out of
 * range is an error naming the key, the expected form and the range.
 * Command-line options override the file (cpt_config_set).
 */
#ifndef CPT_CONFIG_H
#define CPT_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../solver/diag.h"
#include "../solver/status.h"
#include "options.h"

typedef struct cpt_config {
#define CPT_X_FIELD(field, path, ctype, kind, def, lo, hi, help) ctype field;
  CPT_OPTIONS(CPT_X_FIELD)
#undef CPT_X_FIELD
} cpt_config;

struct cJSON;

/* Fill every field with its default. */
void cpt_config_init(cpt_config *cfg);

/* Read a JSON config file over cfg (fields absent from the file keep their
 * current value).  All errors go to diags with file and line; returns
 * CPT_EINPUT (cfg then unspecified), CPT_EIO (cannot read) or CPT_OK. */
cpt_status cpt_config_load(const char *path, cpt_config *cfg,
                           cpt_diags *diags);
cpt_status cpt_config_parse(const char *name, const char *buf, size_t len,
                            cpt_config *cfg, cpt_diags *diags);

/* Set one option by its JSON path from a command-line string, e.g.
 * ("assign.max_km", "15").  Unknown key, bad number or out of range →
 * CPT_EINPUT with a message in diags (file "command line"). */
cpt_status cpt_config_set(cpt_config *cfg, const char *key,
                          const char *value, cpt_diags *diags);

/* Range-check every field; CPT_EINPUT with one message per bad field. */
cpt_status cpt_config_check(const cpt_config *cfg, cpt_diags *diags);

/* The effective config as a nested JSON object (SPEC §4 layout); caller
 * frees with cJSON_Delete.  NULL when out of memory. */
struct cJSON *cpt_config_to_json(const cpt_config *cfg);

/* One line per option: path, default, range, help. */
void cpt_config_print_help(FILE *out);

#endif
