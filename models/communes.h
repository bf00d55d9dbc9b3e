/*
 * communes.h — the communes reference table (datasets/communes/communes.csv).
 *
 * Columns (header required, order free, extra columns ignored):
 *   insee, name, dep, population, lat, lon
 * INSEE codes are 5 characters ("01001", "2A004", "75056"); they are kept
 * as strings.  Lookup is by binary search on the sorted codes.
 */
#ifndef CPT_COMMUNES_H
#define CPT_COMMUNES_H

#include <stddef.h>
#include <stdint.h>

#include "../solver/diag.h"
#include "../solver/status.h"

typedef struct cpt_commune {
  char insee[8];
  const char *name;
  char dep[4];
  int64_t population;
  double lat, lon;
} cpt_commune;

typedef struct cpt_communes cpt_communes;

/* Load the table; *out is NULL on error (all errors in diags). */
cpt_status cpt_communes_load(const char *path, cpt_communes **out,
                             cpt_diags *diags);
/* Same from a buffer; name is used in messages. */
cpt_status cpt_communes_parse(const char *name, const char *buf, size_t len,
                              cpt_communes **out, cpt_diags *diags);
void cpt_communes_free(cpt_communes *c); /* NULL-safe */

size_t cpt_communes_count(const cpt_communes *c);
const cpt_commune *cpt_communes_get(const cpt_communes *c, int32_t index);
/* Index of the commune with this code, or −1. */
int32_t cpt_communes_find(const cpt_communes *c, const char *insee);

#endif
