/*
 * assign_jobs.c — households as job classes, shared by the integer program
 * (assign_mip.c) and the generalized-assignment heuristic (assign_gap.c).
 *
 * A job is a unit of cpt_assign_units: a household (placed whole on one
 * doctor or not at all) or a patient alone.  Its composition is the sorted
 * multiset of its members' patient classes.  Jobs of one composition are
 * interchangeable (same eligible doctors, same value on each), so they form
 * a job class J with size s_J (members) and count n_J (jobs).  With E_J the
 * doctors eligible for every member and room_d ≥ s_J, J's value on d is
 *   v_Jd = Σ_(members m) value(class(m), d).
 * Job classes are numbered in the order of their compositions (length,
 * then classes); within a class the jobs are in the order of their
 * smallest patient id, which is the deterministic disaggregation order:
 * a solver that puts z_Jd jobs of J on d, doctors in index order, gives
 * them the next z_Jd jobs of that order (cpt_jobs_place).
 */
#include <stdlib.h>
#include <string.h>

#include "assign_internal.h"

static int cmp_i32(const void *x, const void *y) {
  int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
  return (a > b) - (a < b);
}

static int cmp_job_comp(const cpt_jobs *J, int32_t a, int32_t b) {
  size_t la = J->start[a + 1] - J->start[a], lb = J->start[b + 1] - J->start[b];
  if (la != lb) return la < lb ? -1 : 1;
  for (size_t i = 0; i < la; i++) {
    int32_t x = J->comp[J->start[a] + i], y = J->comp[J->start[b] + i];
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

typedef struct jref { const cpt_jobs *J; const cpt_patients *P; int32_t j; } jref;

static int cmp_jref(const void *x, const void *y) {
  const jref *a = x, *b = y;
  int r = cmp_job_comp(a->J, a->j, b->j);
  if (r) return r;
  return strcmp(a->P->v[a->J->pat[a->J->start[a->j]]].id,
                b->P->v[b->J->pat[b->J->start[b->j]]].id);
}

void cpt_jobs_free(cpt_jobs *J) {
  if (!J) return;
  free(J->start);
  free(J->pat);
  free(J->comp);
  free(J->order);
  free(J->jc_start);
  memset(J, 0, sizeof *J);
}

cpt_status cpt_jobs_build(const cpt_assign_ctx *c, cpt_jobs *J) {
  const cpt_patients *P = c->patients;
  size_t np = c->np;
  memset(J, 0, sizeof *J);
  cpt_units u;
  cpt_status st = cpt_assign_units(c, &u);
  if (st != CPT_OK) return st;
  /* take over the units' arrays: jobs are the units */
  J->start = u.start;
  J->pat = u.pat;
  J->nj = u.n;
  free(u.unit_of);
  size_t nj = J->nj;
  J->comp = malloc((np ? np : 1) * sizeof *J->comp);
  if (!J->comp) return CPT_ENOMEM;
  for (size_t i = 0; i < np; i++) J->comp[i] = c->class_of[J->pat[i]];
  for (size_t j = 0; j < nj; j++)
    qsort(J->comp + J->start[j], J->start[j + 1] - J->start[j],
          sizeof *J->comp, cmp_i32);

  jref *jr = malloc((nj ? nj : 1) * sizeof *jr);
  J->order = malloc((nj ? nj : 1) * sizeof *J->order);
  J->jc_start = malloc((nj + 1) * sizeof *J->jc_start);
  if (!jr || !J->order || !J->jc_start) {
    free(jr);
    return CPT_ENOMEM;
  }
  for (size_t j = 0; j < nj; j++) {
    jr[j].J = J;
    jr[j].P = P;
    jr[j].j = (int32_t)j;
  }
  qsort(jr, nj, sizeof *jr, cmp_jref);
  size_t njc = 0;
  for (size_t j = 0; j < nj; j++) {
    if (j == 0 || cmp_job_comp(J, jr[j].j, jr[j - 1].j) != 0)
      J->jc_start[njc++] = j;
    J->order[j] = jr[j].j;
  }
  J->jc_start[njc] = nj;
  J->njc = njc;
  free(jr);
  return CPT_OK;
}

size_t cpt_jobs_max_pairs(const cpt_assign_ctx *c, const cpt_jobs *J,
                          size_t *max_size) {
  size_t n = 0, ms = 1;
  for (size_t jc = 0; jc < J->njc; jc++) {
    int32_t j0 = J->order[J->jc_start[jc]];
    int32_t k0 = J->comp[J->start[j0]];
    n += c->cand_start[k0 + 1] - c->cand_start[k0];
    if (J->start[j0 + 1] - J->start[j0] > ms) ms = J->start[j0 + 1] - J->start[j0];
  }
  if (max_size) *max_size = ms;
  return n;
}

size_t cpt_jobs_doctors(const cpt_assign_ctx *c, const cpt_jobs *J, size_t jc,
                        size_t *pos, int32_t *doc, double *val) {
  int32_t j0 = J->order[J->jc_start[jc]];
  size_t a = J->start[j0], b = J->start[j0 + 1], s = b - a;
  int32_t k0 = J->comp[a];
  size_t n = 0;
  for (size_t m = a; m < b; m++) pos[m - a] = c->cand_start[J->comp[m]];
  for (size_t i = c->cand_start[k0]; i < c->cand_start[k0 + 1]; i++) {
    int32_t d = c->cand_doc[i];
    if (c->room[d] < (int32_t)s) continue;
    double v = 0;
    bool all = true;
    for (size_t m = a; m < b && all; m++) {
      int32_t k = J->comp[m];
      size_t *p = &pos[m - a];
      while (*p < c->cand_start[k + 1] && c->cand_doc[*p] < d) (*p)++;
      if (*p < c->cand_start[k + 1] && c->cand_doc[*p] == d)
        v += cpt_assign_value(c, (size_t)k, d, c->cand_dist[*p]);
      else
        all = false;
    }
    if (!all) continue;
    doc[n] = d;
    val[n] = v;
    n++;
  }
  return n;
}

void cpt_jobs_place(const cpt_jobs *J, size_t jc, size_t *next, int64_t n,
                    int32_t d, int32_t *doctor_of) {
  for (int64_t u = 0; u < n; u++) {
    CPT_REQUIRE(*next < J->jc_start[jc + 1], "more placed than jobs");
    int32_t j = J->order[(*next)++];
    for (size_t q = J->start[j]; q < J->start[j + 1]; q++)
      doctor_of[J->pat[q]] = d;
  }
}
