/*
 * test_geo.c — distances (SPEC §1) and the candidate grid: the grid must
 * find exactly the eligible pairs an all-pairs scan finds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../models/assign_internal.h"
#include "../models/geo.h"

static void test_haversine_matches_known_distances(void **state) {
  (void)state;
  /* Paris (Notre-Dame) – Lyon (Bellecour): 392 km great circle */
  double d = cpt_haversine_km(48.8530, 2.3499, 45.7578, 4.8320);
  assert_float_equal(d, 392.2, 1.0);
  /* one degree of latitude = R·π/180 */
  assert_float_equal(cpt_haversine_km(10, 20, 11, 20),
                     CPT_EARTH_RADIUS_KM * 3.14159265358979323846 / 180, 1e-9);
  /* antipodes: half the circumference */
  assert_float_equal(cpt_haversine_km(45, 0, -45, 180),
                     CPT_EARTH_RADIUS_KM * 3.14159265358979323846, 1e-6);
  assert_float_equal(cpt_haversine_km(48.1, 6.4, 48.1, 6.4), 0, 0);
  assert_float_equal(cpt_haversine_km(48.1, 6.4, 45.0, 2.0),
                     cpt_haversine_km(45.0, 2.0, 48.1, 6.4), 1e-12);
}

static void test_distance_applies_detour_and_intra_commune_rule(void **state) {
  (void)state;
  cpt_loc a = {48.17, 6.45, 7, false}, b = {48.17, 6.45, 7, false};
  /* same commune, no coordinates: intra_commune_km, no detour */
  assert_float_equal(cpt_dist_km(&a, &b, 1.3, 2.0), 2.0, 0);
  /* explicit coordinates on either side: haversine × detour */
  b.explicit_coords = true;
  assert_float_equal(cpt_dist_km(&a, &b, 1.3, 2.0), 0, 0);
  cpt_loc c = {48.27, 6.45, 8, false};
  double h = cpt_haversine_km(48.17, 6.45, 48.27, 6.45);
  assert_float_equal(cpt_dist_km(&a, &c, 1.3, 2.0), 1.3 * h, 1e-12);
}

/* Random instance spread over metropolitan France and La Réunion, with
 * personal max_km from 1 to 300 km, commune-only places, children and
 * home-visit needs; the grid's candidates must equal the all-pairs set. */
static void test_grid_candidates_equal_all_pairs_scan(void **state) {
  (void)state;
  uint64_t s = 7;
#define RND() (s = s * 6364136223846793005ULL + 1442695040888963407ULL, \
               (double)(s >> 11) / 9007199254740992.0)
  for (int round = 0; round < 20; round++) {
    size_t nd = 60, np = 400;
    cpt_doctor *dv = calloc(nd, sizeof *dv);
    cpt_patient *pv = calloc(np, sizeof *pv);
    char (*ids)[16] = calloc(nd + np, 16);
    /* a commune-only place is its commune's centroid, as the readers make it */
    double clat[5], clon[5];
    for (int q = 0; q < 5; q++) {
      clat[q] = q == 4 ? -21.0 : 42 + 9 * RND();
      clon[q] = q == 4 ? 55.5 : -4 + 12 * RND();
    }
    for (size_t d = 0; d < nd; d++) {
      bool reunion = RND() < 0.2;
      dv[d].loc.lat = reunion ? -21.1 + 0.3 * RND() : 42 + 9 * RND();
      dv[d].loc.lon = reunion ? 55.3 + 0.4 * RND() : -4 + 12 * RND();
      dv[d].loc.commune = (int32_t)(RND() * 5);
      dv[d].loc.explicit_coords = RND() < 0.5;
      if (!dv[d].loc.explicit_coords) {
        dv[d].loc.lat = clat[dv[d].loc.commune];
        dv[d].loc.lon = clon[dv[d].loc.commune];
      }
      dv[d].capacity = 10;
      dv[d].children = RND() < 0.8;
      dv[d].home_visits = RND() < 0.8;
      dv[d].max_new = -1;
      snprintf(ids[d], 16, "D%zu", d);
      dv[d].id = ids[d];
    }
    for (size_t p = 0; p < np; p++) {
      size_t near = (size_t)(RND() * nd);
      pv[p].loc = dv[near].loc; /* often the same commune as a doctor */
      pv[p].loc.lat += (RND() - 0.5) * 0.8;
      pv[p].loc.lon += (RND() - 0.5) * 0.8;
      pv[p].loc.explicit_coords = RND() < 0.5;
      if (!pv[p].loc.explicit_coords) {
        pv[p].loc.lat = clat[pv[p].loc.commune];
        pv[p].loc.lon = clon[pv[p].loc.commune];
      }
      pv[p].age = (int32_t)(RND() * 95);
      pv[p].home_visit = RND() < 0.1;
      pv[p].max_km = RND() < 0.3 ? 1 + 299 * RND() : NAN;
      snprintf(ids[nd + p], 16, "P%zu", p);
      pv[p].id = ids[nd + p];
    }
    cpt_doctors D = {.v = dv, .n = nd};
    cpt_patients P = {.v = pv, .n = np};
    cpt_config cfg;
    cpt_config_init(&cfg);
    cfg.assign_max_km = 5 + 40 * RND();
    cpt_assign_params ap;
    cpt_assign_params_init(&ap);
    const char *leaving[] = {"D3"};
    ap.leaving = leaving;
    ap.n_leaving = 1;
    cpt_diags dg;
    cpt_diags_init(&dg);
    cpt_assign_ctx c;
    assert_int_equal(cpt_assign_prepare(&c, &D, &P, &cfg, &ap, &dg), CPT_OK);
    assert_int_equal(cpt_assign_candidates(&c), CPT_OK);
    for (size_t p = 0; p < np; p++) {
      size_t k = (size_t)c.class_of[p];
      double mk = isnan(pv[p].max_km) ? cfg.assign_max_km : pv[p].max_km;
      size_t i = c.cand_start[k];
      bool any_range = false, any_need = false;
      for (size_t d = 0; d < nd; d++) {
        if (d == 3) continue; /* leaving */
        double dist = cpt_dist_km(&pv[p].loc, &dv[d].loc, cfg.assign_detour,
                                  cfg.assign_intra_commune_km);
        if (!(dist <= mk)) continue;
        any_range = true;
        if (pv[p].age < 16 && !dv[d].children) continue;
        if (pv[p].home_visit && !dv[d].home_visits) continue;
        any_need = true;
        assert_true(i < c.cand_start[k + 1]);
        assert_int_equal(c.cand_doc[i], (int32_t)d);
        assert_float_equal(c.cand_dist[i], dist, 0);
        i++;
      }
      assert_int_equal(i, c.cand_start[k + 1]);
      assert_int_equal(c.cls_in_range[k], any_range);
      assert_int_equal(c.cls_need_ok[k], any_need);
    }
    cpt_assign_ctx_free(&c);
    cpt_diags_free(&dg);
    free(dv);
    free(pv);
    free(ids);
  }
#undef RND
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_haversine_matches_known_distances),
      cmocka_unit_test(test_distance_applies_detour_and_intra_commune_rule),
      cmocka_unit_test(test_grid_candidates_equal_all_pairs_scan),
  };
  return cmocka_run_group_tests_name("geo", tests, NULL, NULL);
}
