/*
 * checker.c — the independent check of an MT assignment (see checker.h).
 *
 * The instance is reduced once to P×D tables (distance, eligibility, value
 * of each pair) and per-doctor room and fairness threshold; an assignment
 * is then checked in O(P + D): index range, eligibility, room, households,
 * and the objective summed patient by patient in file order, minus the
 * fairness penalties doctor by doctor.  Nothing here calls the library
 * (no cpt_dist_km, no cpt_priority): the point is to disagree with it when
 * it is wrong.
 */
#include "checker.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/assign.h"

#define CHK_PI 3.14159265358979323846

double cpt_check_haversine_km(double lat1, double lon1, double lat2,
                              double lon2) {
  double r = CHK_PI / 180.0;
  double p1 = lat1 * r, p2 = lat2 * r;
  double dp = (lat2 - lat1) * r, dl = (lon2 - lon1) * r;
  double s1 = sin(dp / 2), s2 = sin(dl / 2);
  double a = s1 * s1 + cos(p1) * cos(p2) * s2 * s2;
  if (a > 1) a = 1;
  return 2.0 * 6371.0 * asin(sqrt(a));
}

double cpt_check_dist_km(const cpt_loc *a, const cpt_loc *b, double detour,
                         double intra_commune_km) {
  if (!a->explicit_coords && !b->explicit_coords && a->commune >= 0 &&
      a->commune == b->commune)
    return intra_commune_km;
  return detour * cpt_check_haversine_km(a->lat, a->lon, b->lat, b->lon);
}

static void say(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t size, const char *fmt, ...) {
  if (!why || size == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, size, fmt, ap);
  va_end(ap);
}

static bool nonempty(const char *s) { return s && s[0]; }

static double priority_of(const cpt_patient *p, const cpt_config *cfg) {
  double v = cfg->assign_priority_base;
  if (p->ald) v += cfg->assign_priority_ald;
  if (p->age >= 70) v += cfg->assign_priority_age70;
  if (p->age < 16) v += cfg->assign_priority_child;
  if (p->precarity) v += cfg->assign_priority_precarity;
  return v;
}

void cpt_check_ctx_free(cpt_check_ctx *c) {
  if (!c) return;
  free(c->dist);
  free(c->max_km);
  free(c->in_range);
  free(c->eligible);
  free(c->value);
  free(c->priority);
  free(c->bonus);
  free(c->leaving);
  free(c->room);
  free(c->t);
  free(c->hh);
  free(c->hh_size);
  free(c->load);
  free(c->hh_doc);
  memset(c, 0, sizeof *c);
}

int cpt_check_ctx_init(cpt_check_ctx *c, const cpt_doctors *doctors,
                       const cpt_patients *patients, const cpt_config *cfg,
                       const char *const *leaving, size_t n_leaving,
                       char *why, size_t why_size) {
  memset(c, 0, sizeof *c);
  size_t np = patients->n, nd = doctors->n;
  size_t pd = np * nd > 0 ? np * nd : 1;
  c->doctors = doctors;
  c->patients = patients;
  c->np = np;
  c->nd = nd;
  c->penalty = cfg->assign_fairness_penalty;
  c->dist = calloc(pd, sizeof *c->dist);
  c->max_km = calloc(np + 1, sizeof *c->max_km);
  c->in_range = calloc(pd, 1);
  c->eligible = calloc(pd, 1);
  c->value = calloc(pd, sizeof *c->value);
  c->priority = calloc(np + 1, sizeof *c->priority);
  c->bonus = calloc(pd, 1);
  c->leaving = calloc(nd + 1, 1);
  c->room = calloc(nd + 1, sizeof *c->room);
  c->t = calloc(nd + 1, sizeof *c->t);
  c->hh = calloc(np + 1, sizeof *c->hh);
  c->hh_size = calloc(np + 1, sizeof *c->hh_size);
  c->load = calloc(nd + 1, sizeof *c->load);
  c->hh_doc = calloc(np + 1, sizeof *c->hh_doc);
  if (!c->dist || !c->max_km || !c->in_range || !c->eligible || !c->value ||
      !c->priority || !c->bonus || !c->leaving || !c->room || !c->t ||
      !c->hh || !c->hh_size || !c->load || !c->hh_doc) {
    cpt_check_ctx_free(c);
    say(why, why_size, "checker: out of memory");
    return -1;
  }

  for (size_t k = 0; k < n_leaving; k++) {
    bool found = false;
    for (size_t d = 0; d < nd; d++)
      if (strcmp(doctors->v[d].id, leaving[k]) == 0) {
        c->leaving[d] = 1;
        found = true;
      }
    if (!found) {
      say(why, why_size, "leaving id '%s' is not in the doctors file",
          leaving[k]);
      cpt_check_ctx_free(c);
      return -1;
    }
  }

  for (size_t d = 0; d < nd; d++) {
    const cpt_doctor *doc = &doctors->v[d];
    int32_t room = doc->capacity - doc->current;
    if (room < 0) room = 0;
    if (doc->max_new >= 0 && doc->max_new < room) room = doc->max_new;
    c->room[d] = room;
    /* ⌊threshold·cap⌋ of the decimal numbers the user wrote: a product
     * such as 0.29·100 = 28.999999999999996 in binary must give 29. */
    double th = floor(cfg->assign_fairness_threshold * doc->capacity + 1e-9);
    double t = th - doc->current;
    c->t[d] = t > 0 ? (int32_t)t : 0;
  }

  for (size_t p = 0; p < np; p++) {
    const cpt_patient *pat = &patients->v[p];
    c->priority[p] = priority_of(pat, cfg);
    c->max_km[p] = isnan(pat->max_km) ? cfg->assign_max_km : pat->max_km;
    const char *prev_site = NULL;
    if (pat->prev_doctor)
      for (size_t d = 0; d < nd; d++)
        if (strcmp(doctors->v[d].id, pat->prev_doctor) == 0)
          prev_site = doctors->v[d].site;
    for (size_t d = 0; d < nd; d++) {
      const cpt_doctor *doc = &doctors->v[d];
      size_t i = p * nd + d;
      double dist = cpt_check_dist_km(&pat->loc, &doc->loc, cfg->assign_detour,
                                      cfg->assign_intra_commune_km);
      c->dist[i] = dist;
      c->in_range[i] = !c->leaving[d] && dist <= c->max_km[p];
      c->eligible[i] = c->in_range[i] && (pat->age >= 16 || doc->children) &&
                       (!pat->home_visit || doc->home_visits);
      c->bonus[i] = nonempty(prev_site) && nonempty(doc->site) &&
                    strcmp(prev_site, doc->site) == 0;
      c->value[i] = c->priority[p] - cfg->assign_cost_per_km * dist +
                    (c->bonus[i] ? cfg->assign_same_site_bonus : 0.0);
    }
  }

  /* Households: group by id, in order of first appearance. */
  for (size_t p = 0; p < np; p++) {
    c->hh[p] = -1;
    const char *h = patients->v[p].household;
    if (!h) continue;
    for (size_t q = 0; q < p; q++)
      if (patients->v[q].household &&
          strcmp(patients->v[q].household, h) == 0) {
        c->hh[p] = c->hh[q];
        break;
      }
    if (c->hh[p] < 0) c->hh[p] = (int32_t)c->n_hh++;
    c->hh_size[c->hh[p]]++;
  }
  return 0;
}

static const char *ineligible_why(const cpt_check_ctx *c, size_t p, size_t d,
                                  char *buf, size_t size) {
  const cpt_patient *pat = &c->patients->v[p];
  const cpt_doctor *doc = &c->doctors->v[d];
  size_t i = p * c->nd + d;
  if (c->leaving[d])
    snprintf(buf, size, "the doctor is leaving");
  else if (!c->in_range[i])
    snprintf(buf, size, "distance %.6f km > max_km %.6f", c->dist[i],
             c->max_km[p]);
  else if (pat->age < 16 && !doc->children)
    snprintf(buf, size, "patient aged %d, doctor takes no children",
             (int)pat->age);
  else
    snprintf(buf, size, "patient needs home visits, doctor makes none");
  return buf;
}

int cpt_check_eval(cpt_check_ctx *c, const int32_t *doctor_of,
                   double *objective, char *why, size_t why_size) {
  const cpt_patients *pats = c->patients;
  const cpt_doctors *docs = c->doctors;
  char buf[160];
  for (size_t d = 0; d < c->nd; d++) c->load[d] = 0;
  for (size_t h = 0; h < c->n_hh; h++) c->hh_doc[h] = -2;

  double obj = 0;
  for (size_t p = 0; p < c->np; p++) {
    int32_t d = doctor_of[p];
    if (d < -1 || d >= (int32_t)c->nd) {
      say(why, why_size, "patient %zu (%s): doctor index %d out of range "
          "[-1, %zu)", p, pats->v[p].id, (int)d, c->nd);
      return -1;
    }
    if (c->hh[p] >= 0) {
      int32_t *hd = &c->hh_doc[c->hh[p]];
      if (*hd == -2) {
        *hd = d;
      } else if (*hd != d) {
        say(why, why_size, "household '%s' split: patient %zu (%s) on %d, "
            "an earlier member on %d", pats->v[p].household, p,
            pats->v[p].id, (int)d, (int)*hd);
        return -1;
      }
    }
    if (d < 0) continue;
    size_t i = p * c->nd + (size_t)d;
    if (!c->eligible[i]) {
      if (why)
        say(why, why_size, "patient %zu (%s) on doctor %d (%s) not eligible: "
            "%s", p, pats->v[p].id, (int)d, docs->v[d].id,
            ineligible_why(c, p, (size_t)d, buf, sizeof buf));
      return -1;
    }
    c->load[d]++;
    obj += c->value[i];
  }
  for (size_t d = 0; d < c->nd; d++) {
    const cpt_doctor *doc = &docs->v[d];
    if (c->load[d] > c->room[d]) {
      say(why, why_size, "doctor %zu (%s) gets %d new patients, room %d "
          "(capacity %d, current %d, max_new %d)", d, doc->id,
          (int)c->load[d], (int)c->room[d], (int)doc->capacity,
          (int)doc->current, (int)doc->max_new);
      return -1;
    }
    int32_t over = c->load[d] - c->t[d];
    if (over > 0) obj -= c->penalty * over;
  }
  if (objective) *objective = obj;
  return 0;
}

int cpt_check_assign(const cpt_doctors *doctors, const cpt_patients *patients,
                     const cpt_config *cfg, const char *const *leaving,
                     size_t n_leaving, const int32_t *doctor_of,
                     double *objective, char *why, size_t why_size) {
  cpt_check_ctx c;
  if (cpt_check_ctx_init(&c, doctors, patients, cfg, leaving, n_leaving, why,
                         why_size) != 0)
    return -1;
  int rc = cpt_check_eval(&c, doctor_of, objective, why, why_size);
  cpt_check_ctx_free(&c);
  return rc;
}

unsigned cpt_check_allowed_reasons(const cpt_check_ctx *c,
                                   const int32_t *doctor_of, size_t p) {
  if (doctor_of[p] >= 0) return 1u << CPT_REASON_ASSIGNED;
  size_t nd = c->nd;
  bool any_range = false, any_elig = false, r1 = false;
  for (size_t d = 0; d < nd; d++) {
    size_t i = p * nd + d;
    any_range |= c->in_range[i] != 0;
    if (c->eligible[i]) {
      any_elig = true;
      if (c->room[d] - c->load[d] >= 1) r1 = true;
    }
  }
  if (!any_range) return 1u << CPT_REASON_NO_DOCTOR_IN_RANGE;
  if (!any_elig) return 1u << CPT_REASON_NO_DOCTOR_FOR_NEED;
  int32_t h = c->hh[p];
  if (h < 0 || c->hh_size[h] < 2)
    return 1u << (r1 ? CPT_REASON_NOT_WORTHWHILE
                     : CPT_REASON_CAPACITY_EXHAUSTED);
  int32_t size = c->hh_size[h];
  bool fits = false, fitted = false;
  for (size_t d = 0; d < nd; d++) {
    bool all = true;
    for (size_t q = 0; q < c->np && all; q++)
      if (c->hh[q] == h && !c->eligible[q * nd + d]) all = false;
    if (!all) continue;
    if (c->room[d] - c->load[d] >= size) fits = true;
    if (c->room[d] >= size) fitted = true;
  }
  if (fits) return 1u << CPT_REASON_NOT_WORTHWHILE;
  if (r1 && !fitted) return 1u << CPT_REASON_HOUSEHOLD_SPLIT;
  if (!r1 && fitted) return 1u << CPT_REASON_CAPACITY_EXHAUSTED;
  return (1u << CPT_REASON_HOUSEHOLD_SPLIT) |
         (1u << CPT_REASON_CAPACITY_EXHAUSTED);
}
