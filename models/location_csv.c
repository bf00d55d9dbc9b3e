/*
 * location_csv.c — reading the "commune | lat+lon" location of a row
 * (location_csv.h).  Coordinates take precedence over the commune code;
 * the code is upper-cased before lookup ("2a004" is Ajaccio) and a 4-digit
 * code gets a hint, since spreadsheets drop the leading zero of "01001".
 */
#include "location_csv.h"

#include <stdio.h>
#include <string.h>

cpt_status cpt_loc_check_header(cpt_csv *r, cpt_loc_cols c) {
  bool has_c = cpt_csv_has(r, c.commune);
  bool has_la = cpt_csv_has(r, c.lat), has_lo = cpt_csv_has(r, c.lon);
  if (has_la != has_lo) {
    cpt_csv_header_error(r, "column '%s' without column '%s' (expected: %s)",
                         has_la ? "lat" : "lon", has_la ? "lon" : "lat",
                         cpt_csv_expected(r));
    return CPT_EINPUT;
  }
  if (!has_c && !has_la) {
    cpt_csv_header_error(r,
                         "missing location columns: 'commune', or 'lat' and "
                         "'lon' (expected: %s)",
                         cpt_csv_expected(r));
    return CPT_EINPUT;
  }
  return CPT_OK;
}

/* Resolve a commune code; returns false after recording an error. */
static bool read_commune(cpt_csv *r, int col, const cpt_communes *communes,
                         bool have_coords, cpt_loc *loc) {
  const char *s;
  size_t len;
  cpt_field k = cpt_csv_str(r, col, &s, &len);
  if (k != CPT_FIELD_OK) return k != CPT_FIELD_BAD;
  char echo[256];
  cpt_csv_echo(s, len, echo, sizeof echo);
  if (!communes) {
    if (have_coords) return true;
    cpt_csv_error(r, col,
                  "commune code %s cannot be resolved: no communes table "
                  "was loaded (give lat and lon, or load the communes)",
                  echo);
    return false;
  }
  char code[8];
  int32_t idx = -1;
  if (len < sizeof code) {
    for (size_t i = 0; i <= len; i++)
      code[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A')
                                             : s[i];
    idx = cpt_communes_find(communes, code);
  }
  if (idx >= 0) {
    loc->commune = idx;
    if (!have_coords) {
      const cpt_commune *cm = cpt_communes_get(communes, idx);
      loc->lat = cm->lat;
      loc->lon = cm->lon;
    }
    return true;
  }
  bool four = len == 4 && strspn(s, "0123456789") == 4;
  const char *hint =
      four ? " (INSEE codes have 5 characters: was a leading 0 lost?)" : "";
  if (have_coords) {
    cpt_csv_warn(r, col, "unknown commune code %s%s, ignored: lat/lon given",
                 echo, hint);
    return true;
  }
  cpt_csv_error(r, col, "unknown commune code %s%s", echo, hint);
  return false;
}

bool cpt_loc_read(cpt_csv *r, cpt_loc_cols c, const cpt_communes *communes,
                  cpt_loc *loc) {
  loc->lat = loc->lon = 0.0;
  loc->commune = -1;
  loc->explicit_coords = false;
  double la = 0, lo = 0;
  cpt_field kla = cpt_csv_real(r, c.lat, -90, 90, false, false, &la);
  cpt_field klo = cpt_csv_real(r, c.lon, -180, 180, false, false, &lo);
  bool ok = kla != CPT_FIELD_BAD && klo != CPT_FIELD_BAD;
  if (kla == CPT_FIELD_OK && klo == CPT_FIELD_OK) {
    loc->lat = la;
    loc->lon = lo;
    loc->explicit_coords = true;
  } else if (kla == CPT_FIELD_OK && klo == CPT_FIELD_EMPTY) {
    cpt_csv_error(r, c.lon, "empty while 'lat' is given (give both lat and "
                            "lon, or a commune)");
    ok = false;
  } else if (kla == CPT_FIELD_EMPTY && klo == CPT_FIELD_OK) {
    cpt_csv_error(r, c.lat, "empty while 'lon' is given (give both lat and "
                            "lon, or a commune)");
    ok = false;
  }
  bool have_coords = loc->explicit_coords || !ok;
  const char *s;
  size_t len;
  bool has_code = cpt_csv_has(r, c.commune) &&
                  cpt_csv_raw(r, c.commune, &s, &len, NULL, NULL) !=
                      CPT_FIELD_EMPTY;
  if (has_code) {
    if (!read_commune(r, c.commune, communes, have_coords, loc)) ok = false;
  } else if (ok && !loc->explicit_coords) {
    cpt_csv_error(r, cpt_csv_has(r, c.commune) ? c.commune : c.lat,
                  "no location: each row needs a commune code, or lat and "
                  "lon");
    ok = false;
  }
  return ok;
}
