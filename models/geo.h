/*
 * geo.h — distances between locations (SPEC §1).
 *
 *   dist(p,d) = haversine(p,d) · detour        (Earth radius 6371.0 km)
 *   dist(p,d) = intra_commune_km               when neither location has
 *                                              explicit coordinates and both
 *                                              are in the same commune
 * (intra_commune_km is the distance itself: it is not multiplied by detour).
 */
#ifndef CPT_GEO_H
#define CPT_GEO_H

#include "instance.h"

#define CPT_EARTH_RADIUS_KM 6371.0

/* Great-circle distance in km between two points given in degrees. */
double cpt_haversine_km(double lat1, double lon1, double lat2, double lon2);

/* dist(a,b) as above. */
double cpt_dist_km(const cpt_loc *a, const cpt_loc *b, double detour,
                   double intra_commune_km);

#endif
