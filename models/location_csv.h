/*
 * location_csv.h — the location columns shared by the doctors and patients
 * files (SPEC §1, §4): a commune's INSEE code, or explicit lat+lon.
 *
 * Rules, per row:
 *   - lat and lon come together (one without the other is an error);
 *     lat ∈ [−90, 90], lon ∈ [−180, 180] (degrees, WGS84);
 *   - with lat/lon, the location is explicit; a commune code given too is
 *     kept as loc.commune when it exists in the table (an unknown one is a
 *     warning, since it is not used for the location);
 *   - without lat/lon, the commune code must exist in the communes table;
 *     its centroid is the location; with no communes table, a row that
 *     needs one is an error;
 *   - a row with neither is an error.
 * In the header: the file must have 'commune', or both 'lat' and 'lon'.
 */
#ifndef CPT_LOCATION_CSV_H
#define CPT_LOCATION_CSV_H

#include <stdbool.h>

#include "communes.h"
#include "csv_table.h"
#include "instance.h"

/* The reader's column indices of the three location columns. */
typedef struct cpt_loc_cols {
  int commune, lat, lon;
} cpt_loc_cols;

/* For on_header: CPT_OK, or CPT_EINPUT after recording an error at the
 * header line. */
cpt_status cpt_loc_check_header(cpt_csv *r, cpt_loc_cols c);

/* For on_row: fill *loc; returns false after recording the row's
 * location errors.  communes may be NULL. */
bool cpt_loc_read(cpt_csv *r, cpt_loc_cols c, const cpt_communes *communes,
                  cpt_loc *loc);

#endif
