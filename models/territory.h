/*
 * territory.h — a territory: a set of communes of the communes table.
 *
 * A territory specification is one of, or a comma-separated mix of:
 *   - a département code: "88", "2A", "974"       (all its communes)
 *   - an INSEE commune code: "88160", "69387"     (that commune)
 *   - "france": every commune of the table (arrondissements municipaux
 *     excluded where their parent commune is present, so no population is
 *     counted twice)
 *   - the name of a bundled territory: "cpts-sud-tarn", read from
 *     TERRITORIES_DIR/<name>.json
 * A bundled territory file is JSON:
 *   { "name": "CPTS Sud-Tarn", "kind": "cpts" | "departement" | "zone",
 *     "seat": "81004",                       (optional INSEE code)
 *     "departements": ["67"],                (optional, whole départements)
 *     "communes": ["81004", "81065", ...],   (optional INSEE codes)
 *     "population_stated": 121000,           (optional, from the source)
 *     "source": "ARS Occitanie, ...", "note": "..." }
 * Unknown codes are errors naming the code.
 */
#ifndef CPT_TERRITORY_H
#define CPT_TERRITORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../solver/diag.h"
#include "../solver/status.h"
#include "communes.h"

typedef struct cpt_territory {
  char *name;          /* display name (the spec itself when not bundled) */
  int32_t *communes;   /* indices into the communes table, ascending */
  size_t n;
  int64_t population;  /* Σ population of the communes */
} cpt_territory;

/* Resolve spec against the communes table; territories_dir is where the
 * bundled <name>.json files live (NULL: the built-in datasets/territories).
 * *out is NULL on error (messages in diags, file "territory", or the
 * bundled file's path with its line for an error inside that file). */
cpt_status cpt_territory_resolve(const char *spec, const cpt_communes *communes,
                                 const char *territories_dir,
                                 cpt_territory **out, cpt_diags *diags);
void cpt_territory_free(cpt_territory *t); /* NULL-safe */

/* When commune is an arrondissement municipal of Paris, Lyon or Marseille
 * (75101–75120, 69381–69389, 13201–13216), the index of its city (75056,
 * 69123, 13055) in the table, or −1 when the city is not in the table;
 * −1 for any other commune. */
int32_t cpt_territory_arrondissement_city(const cpt_communes *communes,
                                          int32_t commune);

/* Binary search in t->communes. */
bool cpt_territory_contains(const cpt_territory *t, int32_t commune);

#endif
