/*
 * assign_internal.h — the prepared form of an MT assignment instance,
 * shared by the files that build and solve it (assign_prep.c,
 * candidates.c, assign_jobs.c, assign_flow.c, assign_mip.c, assign_gap.c,
 * assign.c).  Not installed.
 *
 * Preparation turns the raw tables into what the models need:
 *  - per doctor: leaving flag, room_d = min(max(0, cap − cur), max_new),
 *    fairness threshold t_d = max(0, ⌊threshold·cap⌋ − cur), site id;
 *  - per patient: π_p, effective max_km, previous doctor's site id;
 *  - patient classes: patients with the same location, child flag, home-
 *    visit need, max_km, π and previous site are interchangeable (same
 *    eligible doctors, same value for each); classes are numbered in the
 *    order of their first patient in the sorted order, and `perm` lists the
 *    patients class by class, by id (strcmp) within a class;
 *  - candidates: for each class, the eligible doctors in doctor index order
 *    with dist(p,d), found through a spatial grid (candidates.c).
 */
#ifndef CPT_ASSIGN_INTERNAL_H
#define CPT_ASSIGN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../solver/clock.h"
#include "assign.h"

typedef struct cpt_assign_ctx {
  const cpt_doctors *doctors;
  const cpt_patients *patients;
  const cpt_config *cfg;
  const cpt_assign_params *params;
  size_t nd, np;
  double time_limit_s; /* for the next solver call; 0 = none */
  double *flow_lambda; /* nd, or NULL: when set, cpt_assign_solve_flow
                          stores there each doctor's optimal dual (the
                          value of one more unit of room, ≥ 0, SPEC
                          units), or NAN when the flow did not finish */

  /* doctors */
  uint8_t *leaving;
  int32_t *room;
  int32_t *thr;       /* t_d clipped to [0, room_d] */
  int32_t *site;      /* site id, −1 when none */

  /* patients */
  double *pi;
  int32_t *prev_site; /* site id of prev doctor, −1 when none/unknown */
  int32_t *class_of;

  /* classes */
  size_t nc;
  int32_t *perm;      /* np patient indices, class by class */
  size_t *cls_start;  /* nc + 1 offsets into perm */

  /* candidates, CSR by class */
  size_t *cand_start; /* nc + 1 */
  int32_t *cand_doc;
  double *cand_dist;
  uint8_t *cls_in_range; /* some non-leaving doctor within max_km */
  uint8_t *cls_need_ok;  /* in range and some of them fit the needs */
} cpt_assign_ctx;

/* assign_prep.c: fill everything above but the candidates. */
cpt_status cpt_assign_prepare(cpt_assign_ctx *c, const cpt_doctors *d,
                              const cpt_patients *p, const cpt_config *cfg,
                              const cpt_assign_params *params,
                              cpt_diags *diags);
void cpt_assign_ctx_free(cpt_assign_ctx *c);

/* Households as units: a household is one unit of its members, any other
 * patient a unit of one.  Units are ordered by household id (patients
 * without one after, by id); members by id within a unit. */
typedef struct cpt_units {
  size_t n;
  size_t *start;    /* n + 1 offsets into pat */
  int32_t *pat;     /* members */
  int32_t *unit_of; /* per patient */
} cpt_units;
cpt_status cpt_assign_units(const cpt_assign_ctx *c, cpt_units *u);
void cpt_units_free(cpt_units *u);

/* assign_jobs.c: households as job classes (see the top of that file).
 * Jobs are the units; job class jc holds the jobs order[jc_start[jc]] …
 * order[jc_start[jc+1] − 1], in disaggregation order. */
typedef struct cpt_jobs {
  size_t nj;
  size_t *start;    /* nj + 1 offsets into pat and comp */
  int32_t *pat;     /* members, by id within a job */
  int32_t *comp;    /* members' classes, ascending within a job */
  int32_t *order;   /* jobs sorted by composition, then first member id */
  size_t njc;
  size_t *jc_start; /* njc + 1 offsets into order */
} cpt_jobs;
cpt_status cpt_jobs_build(const cpt_assign_ctx *c, cpt_jobs *J);
void cpt_jobs_free(cpt_jobs *J); /* NULL-safe, also after a failed build */
/* Σ over job classes of the candidate count of their first member class:
 * an upper bound of the pairs cpt_jobs_doctors returns in all; the largest
 * job size in *max_size (if not NULL). */
size_t cpt_jobs_max_pairs(const cpt_assign_ctx *c, const cpt_jobs *J,
                          size_t *max_size);
/* The doctors eligible for every member of job class jc with room for all
 * of them, in doctor index order, into doc, and v_Jd into val; returns
 * their number.  pos: scratch of max_size entries. */
size_t cpt_jobs_doctors(const cpt_assign_ctx *c, const cpt_jobs *J, size_t jc,
                        size_t *pos, int32_t *doc, double *val);
/* Give the next n jobs of class jc (from *next, which starts at
 * jc_start[jc] and is advanced) to doctor d in doctor_of. */
void cpt_jobs_place(const cpt_jobs *J, size_t jc, size_t *next, int64_t n,
                    int32_t d, int32_t *doctor_of);

/* candidates.c: fill cand_* and cls_* (OpenMP over classes; the result
 * does not depend on the thread count). */
cpt_status cpt_assign_candidates(cpt_assign_ctx *c);

/* Value of giving a patient of class k to doctor d (SPEC §1 objective,
 * without the fairness term). */
double cpt_assign_value(const cpt_assign_ctx *c, size_t k, int32_t d,
                        double dist);

/* The solvers fill doctor_of (per patient) and the status fields of r. */
cpt_status cpt_assign_solve_flow(const cpt_assign_ctx *c,
                                 cpt_assign_result *r, cpt_diags *diags);
/* mip: when start_from_plan, r->doctor_of (household-feasible) is offered
 * to GLPK as the first incumbent. */
cpt_status cpt_assign_solve_mip(const cpt_assign_ctx *c, cpt_assign_result *r,
                                bool start_from_plan, cpt_diags *diags);
/* assign_gap.c: households as a generalized assignment problem solved by
 * the GAP core (solver/gap.h), with ctx flow_lambda (when set) as the start
 * of its multipliers; sets r->bound to the core's bound. */
cpt_status cpt_assign_solve_gap(const cpt_assign_ctx *c, cpt_assign_result *r,
                                cpt_diags *diags);
/* assign_repair.c: flow relaxation of the households, repaired; sets
 * r->bound to the relaxation's optimum. */
cpt_status cpt_assign_solve_repair(const cpt_assign_ctx *c,
                                   cpt_assign_result *r, cpt_diags *diags);
/* SPEC §1 objective of a plan (every pair must be a candidate). */
double cpt_assign_plan_value(const cpt_assign_ctx *c, const int32_t *doctor_of);

#endif
