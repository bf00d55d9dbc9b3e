/*
 * geo.c — distances of SPEC §1: haversine great-circle distance on a sphere
 * of radius 6371.0 km, times a detour factor, with the intra-commune rule
 * for two places of one commune known only by their commune code.
 */
#include "geo.h"

#include <math.h>

#define DEG2RAD (3.14159265358979323846 / 180.0)

double cpt_haversine_km(double lat1, double lon1, double lat2, double lon2) {
  double p1 = lat1 * DEG2RAD, p2 = lat2 * DEG2RAD;
  double dp = p2 - p1, dl = (lon2 - lon1) * DEG2RAD;
  double s1 = sin(dp / 2), s2 = sin(dl / 2);
  double h = s1 * s1 + cos(p1) * cos(p2) * s2 * s2;
  if (h > 1.0) h = 1.0;
  return 2.0 * CPT_EARTH_RADIUS_KM * asin(sqrt(h));
}

double cpt_dist_km(const cpt_loc *a, const cpt_loc *b, double detour,
                   double intra_commune_km) {
  if (!a->explicit_coords && !b->explicit_coords && a->commune >= 0 &&
      a->commune == b->commune)
    return intra_commune_km;
  return cpt_haversine_km(a->lat, a->lon, b->lat, b->lon) * detour;
}
