/*
 * assign_mip.c — the MT model with households as an integer program solved
 * by GLPK (solver/mip.h).
 *
 * Households are jobs: a household is placed whole on one doctor or not at
 * all (x_pd = x_qd for all d).  Jobs with the same multiset of patient
 * classes are interchangeable, so they are aggregated into job classes J
 * of size s_J (members) and count n_J (households); a singleton patient is
 * a job of size 1.  With E_J the doctors eligible for every member:
 *
 *   maximize   Σ_J Σ_(d∈E_J) v_Jd z_Jd − penalty · Σ_d e_d
 *   subject to Σ_d z_Jd ≤ n_J                      (each job at most once)
 *              Σ_J s_J z_Jd ≤ room_d                (capacity, max_new)
 *              Σ_J s_J z_Jd − e_d ≤ t_d             (fairness)
 *              z_Jd ∈ {0, …, min(n_J, ⌊room_d/s_J⌋)},  e_d ≥ 0
 *
 * with v_Jd the sum of the members' values.  Rows that cannot bind are
 * left out.  No start is offered (a start turns GLPK's presolver off);
 * when a time limit leaves no plan, assign.c falls back to the empty plan,
 * which is always feasible.  z is split among the jobs of J in the
 * order of their smallest patient id.  The aggregation into job classes
 * is shared with the heuristic (assign_jobs.c).
 *
 * The same builder serves the solve (unnamed columns and rows) and
 * cpt_assign_build_mip, which returns the program with readable names for
 * `cptsopt export` (see zname below).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/mip.h"
#include "assign_internal.h"

/* One column z_Jd. */
typedef struct zcol { int32_t jc, doc, size, col; } zcol;

/* The MIP columns' values for the plan in r->doctor_of: z_Jd counts the
 * jobs of class J placed whole with d, e_d the load above t_d.  A job the
 * plan splits, or a pair without a column, makes the start unusable: the
 * adapter checks every start against bounds and rows and ignores a bad one. */
static double *start_vector(const cpt_assign_ctx *c, const cpt_jobs *J,
                            const zcol *cols, const size_t *jc_cols,
                            const int *ecol, int ncols, const int32_t *plan) {
  double *x = calloc((size_t)ncols + 1, sizeof *x);
  int32_t *load = calloc(c->nd ? c->nd : 1, sizeof *load);
  if (!x || !load) {
    free(x);
    free(load);
    return NULL;
  }
  for (size_t jc = 0; jc < J->njc; jc++)
    for (size_t q = J->jc_start[jc]; q < J->jc_start[jc + 1]; q++) {
      int32_t j = J->order[q];
      int32_t d = plan[J->pat[J->start[j]]];
      if (d < 0) continue;
      size_t lo = jc_cols[jc], hi = jc_cols[jc + 1];
      while (lo < hi) { /* columns of a job class are by doctor */
        size_t mid = lo + (hi - lo) / 2;
        if (cols[mid].doc < d)
          lo = mid + 1;
        else
          hi = mid;
      }
      if (lo < jc_cols[jc + 1] && cols[lo].doc == d) x[cols[lo].col] += 1;
      load[d] += (int32_t)(J->start[j + 1] - J->start[j]);
    }
  for (size_t d = 0; d < c->nd; d++)
    if (ecol[d] >= 0 && load[d] > c->thr[d]) x[ecol[d]] = load[d] - c->thr[d];
  free(load);
  return x;
}

/* The built program: the z columns (by job class, then doctor; jc_cols[jc]
 * is the first of class jc) and each doctor's e column (−1 when none). */
typedef struct built {
  cpt_mip *m;
  zcol *cols;
  size_t nz;
  size_t *jc_cols;
  int *ecol;
} built;

static void built_free(built *b) {
  cpt_mip_free(b->m);
  free(b->cols);
  free(b->jc_cols);
  free(b->ecol);
  memset(b, 0, sizeof *b);
}

/* Names for export (NULL when !named): a job class of one job of one
 * patient is that patient's pair x_<patient>_<doctor> with the row
 * one_<patient>; of one household, h_<household>_<doctor> and
 * hh_<household>; else the aggregated class z_C<k>_<doctor> (k = 1-based
 * job class) and n_C<k>.  Doctors' rows are cap_<doctor>, fair_<doctor>,
 * with the excess column e_<doctor>. */
static const char *zname(const cpt_assign_ctx *c, const cpt_jobs *J, size_t jc,
                         const char *doctor, bool row, char *buf,
                         size_t size) {
  int32_t j0 = J->order[J->jc_start[jc]];
  size_t cnt = J->jc_start[jc + 1] - J->jc_start[jc];
  size_t s = J->start[j0 + 1] - J->start[j0];
  const cpt_patient *p = &c->patients->v[J->pat[J->start[j0]]];
  const char *sep = doctor ? "_" : "", *d = doctor ? doctor : "";
  if (cnt == 1 && s == 1)
    snprintf(buf, size, "%s_%s%s%s", row ? "one" : "x", p->id, sep, d);
  else if (cnt == 1 && p->household)
    snprintf(buf, size, "%s_%s%s%s", row ? "hh" : "h", p->household, sep, d);
  else
    snprintf(buf, size, "%s_C%zu%s%s", row ? "n" : "z", jc + 1, sep, d);
  return buf;
}

static const char *dname(const cpt_assign_ctx *c, bool named,
                         const char *prefix, size_t d, char *buf,
                         size_t size) {
  if (!named) return NULL;
  snprintf(buf, size, "%s_%s", prefix, c->doctors->v[d].id);
  return buf;
}

/* Build the program of the file's opening comment into b. */
static cpt_status build(const cpt_assign_ctx *c, const cpt_jobs *J, bool named,
                        built *b) {
  memset(b, 0, sizeof *b);
  cpt_status st = CPT_OK;
  size_t *pos = NULL, *dstart = NULL, *dlist = NULL;
  int *ri = NULL;
  double *rv = NULL, *vals = NULL;
  int32_t *docs = NULL;
  char nm[600];
  /* a job class's doctors ⊆ the candidates of its first member class */
  size_t maxs = 1, maxcols = cpt_jobs_max_pairs(c, J, &maxs);
  b->cols = malloc((maxcols ? maxcols : 1) * sizeof *b->cols);
  vals = malloc((maxcols ? maxcols : 1) * sizeof *vals);
  docs = malloc((maxcols ? maxcols : 1) * sizeof *docs);
  pos = malloc(maxs * sizeof *pos);
  b->jc_cols = malloc((J->njc + 1) * sizeof *b->jc_cols);
  cpt_mip *m = b->m = cpt_mip_new(1);
  if (!b->cols || !vals || !docs || !pos || !b->jc_cols || !m) {
    st = CPT_ENOMEM;
    goto done;
  }
  zcol *cols = b->cols;
  /* z columns, job class by job class */
  size_t nz = 0;
  for (size_t jc = 0; jc < J->njc; jc++) {
    b->jc_cols[jc] = nz;
    size_t n = cpt_jobs_doctors(c, J, jc, pos, docs + nz, vals + nz);
    int32_t j0 = J->order[J->jc_start[jc]];
    for (size_t i = nz; i < nz + n; i++) {
      cols[i].jc = (int32_t)jc;
      cols[i].doc = docs[i];
      cols[i].size = (int32_t)(J->start[j0 + 1] - J->start[j0]);
    }
    int64_t cnt = (int64_t)(J->jc_start[jc + 1] - J->jc_start[jc]);
    int64_t sum_ub = 0;
    for (size_t i = nz; i < nz + n; i++) {
      int64_t ub = c->room[cols[i].doc] / cols[i].size;
      if (ub > cnt) ub = cnt;
      const char *name =
          named ? zname(c, J, jc, c->doctors->v[cols[i].doc].id, false, nm,
                        sizeof nm)
                : NULL;
      cols[i].col = cpt_mip_add_col(m, name, 0, (double)ub, vals[i], 1);
      if (cols[i].col < 0) {
        st = CPT_ENOMEM;
        goto done;
      }
      sum_ub += ub;
    }
    if (sum_ub > cnt) {
      int *ix = malloc(n * sizeof *ix);
      double *one = malloc(n * sizeof *one);
      int row = -1;
      if (ix && one) {
        for (size_t i = 0; i < n; i++) {
          ix[i] = cols[nz + i].col;
          one[i] = 1.0;
        }
        const char *name =
            named ? zname(c, J, jc, NULL, true, nm, sizeof nm) : NULL;
        row = cpt_mip_add_row(m, name, -HUGE_VAL, (double)cnt, (int)n, ix, one);
      }
      free(ix);
      free(one);
      if (row < 0) {
        st = CPT_ENOMEM;
        goto done;
      }
    }
    nz += n;
  }
  b->jc_cols[J->njc] = nz;
  b->nz = nz;
  /* per-doctor lists of columns (counting sort by doctor) */
  dstart = calloc(c->nd + 1, sizeof *dstart);
  dlist = malloc((nz ? nz : 1) * sizeof *dlist);
  ri = malloc((nz + 1) * sizeof *ri);
  rv = malloc((nz + 1) * sizeof *rv);
  int *ecol = b->ecol = malloc((c->nd ? c->nd : 1) * sizeof *ecol);
  if (!dstart || !dlist || !ri || !rv || !ecol) {
    st = CPT_ENOMEM;
    goto done;
  }
  for (size_t i = 0; i < nz; i++) dstart[cols[i].doc + 1]++;
  for (size_t d = 0; d < c->nd; d++) dstart[d + 1] += dstart[d];
  {
    size_t *fill = malloc((c->nd ? c->nd : 1) * sizeof *fill);
    if (!fill) {
      st = CPT_ENOMEM;
      goto done;
    }
    memcpy(fill, dstart, c->nd * sizeof *fill);
    for (size_t i = 0; i < nz; i++) dlist[fill[cols[i].doc]++] = i;
    free(fill);
  }
  double pen = c->cfg->assign_fairness_penalty;
  for (size_t d = 0; d < c->nd; d++) {
    ecol[d] = -1;
    /* row entries, and an upper bound of the load: Σ s·ub */
    int64_t load_ub = 0;
    int nnz = 0;
    for (size_t q = dstart[d]; q < dstart[d + 1]; q++) {
      zcol *z = &cols[dlist[q]];
      int64_t cnt = (int64_t)(J->jc_start[z->jc + 1] - J->jc_start[z->jc]);
      int64_t ub = c->room[d] / z->size;
      ri[nnz] = z->col;
      rv[nnz] = z->size;
      nnz++;
      load_ub += (int64_t)z->size * (ub < cnt ? ub : cnt);
    }
    if (!nnz) continue;
    if (load_ub > c->room[d] &&
        cpt_mip_add_row(m, dname(c, named, "cap", d, nm, sizeof nm),
                        -HUGE_VAL, c->room[d], nnz, ri, rv) < 0) {
      st = CPT_ENOMEM;
      goto done;
    }
    if (pen > 0 && load_ub > c->thr[d]) {
      ecol[d] = cpt_mip_add_col(m, dname(c, named, "e", d, nm, sizeof nm), 0,
                                c->room[d] - c->thr[d], -pen, 0);
      if (ecol[d] < 0) {
        st = CPT_ENOMEM;
        goto done;
      }
      ri[nnz] = ecol[d];
      rv[nnz] = -1.0;
      if (cpt_mip_add_row(m, dname(c, named, "fair", d, nm, sizeof nm),
                          -HUGE_VAL, c->thr[d], nnz + 1, ri, rv) < 0) {
        st = CPT_ENOMEM;
        goto done;
      }
    }
  }
done:
  free(vals);
  free(docs);
  free(pos);
  free(dstart);
  free(dlist);
  free(ri);
  free(rv);
  if (st != CPT_OK) built_free(b);
  return st;
}

cpt_status cpt_assign_solve_mip(const cpt_assign_ctx *c, cpt_assign_result *r,
                                bool start_from_plan, cpt_diags *diags) {
  double t0 = cpt_now_s();
  cpt_jobs J;
  built b = {0};
  double *start = NULL;
  cpt_mip_result res = {0};
  cpt_status st = cpt_jobs_build(c, &J);
  if (st != CPT_OK) goto done;
  r->stats.n_jobs = J.njc;
  st = build(c, &J, false, &b);
  if (st != CPT_OK) goto done;
  cpt_mip *m = b.m;
  r->stats.n_rows = (size_t)cpt_mip_n_rows(m);
  r->stats.n_cols = (size_t)cpt_mip_n_cols(m);
  r->stats.n_nz = cpt_mip_n_nz(m);
  double t1 = cpt_now_s();
  r->stats.t_build_s = t1 - t0;

  if (start_from_plan) {
    start = start_vector(c, &J, b.cols, b.jc_cols, b.ecol, cpt_mip_n_cols(m),
                         r->doctor_of);
    if (!start) {
      st = CPT_ENOMEM;
      goto done;
    }
  }
  cpt_mip_params mp;
  cpt_mip_params_init(&mp);
  mp.start = start;
  mp.time_limit_s = c->time_limit_s;
  mp.mip_gap = c->cfg->solver_mip_gap;
  mp.stop = c->params ? c->params->stop : NULL;
  mp.verbose = c->params && c->params->verbose >= 2;
  mp.log = c->params ? c->params->log : NULL;
  char err[256] = "";
  st = cpt_mip_solve(m, &mp, &res, err, sizeof err);
  double t2 = cpt_now_s();
  r->stats.t_solve_s = t2 - t1;
  r->stats.nodes = res.nodes;
  if (st != CPT_OK) {
    cpt_diag_error(diags, NULL, 0, 0, "MIP solver failed: %s", err);
    goto done;
  }
  r->status = res.status;
  r->bound = res.bound;
  if (!res.x) goto done; /* no plan: assign.c reports the empty plan */
  for (size_t p = 0; p < c->np; p++) r->doctor_of[p] = -1; /* GLPK's plan */
  {
    /* disaggregate: walk columns in creation order (job class, doctor) */
    const zcol *cols = b.cols;
    size_t i = 0, nz = b.nz;
    for (size_t jc = 0; jc < J.njc; jc++) {
      size_t next = J.jc_start[jc];
      for (; i < nz && (size_t)cols[i].jc == jc; i++)
        cpt_jobs_place(&J, jc, &next, lround(res.x[cols[i].col]), cols[i].doc,
                       r->doctor_of);
    }
  }
  r->stats.t_extract_s = cpt_now_s() - t2;
done:
  cpt_mip_result_free(&res);
  built_free(&b);
  cpt_jobs_free(&J);
  free(start);
  return st;
}

cpt_status cpt_assign_build_mip(const cpt_doctors *doctors,
                                const cpt_patients *patients,
                                const cpt_config *cfg,
                                const cpt_assign_params *params,
                                cpt_mip **out, cpt_diags *diags) {
  *out = NULL;
  cpt_status st = cpt_config_check(cfg, diags);
  if (st != CPT_OK) return st;
  cpt_assign_params defaults;
  if (!params) {
    cpt_assign_params_init(&defaults);
    params = &defaults;
  }
  cpt_assign_ctx c;
  cpt_jobs J;
  built b = {0};
  memset(&J, 0, sizeof J);
  st = cpt_assign_prepare(&c, doctors, patients, cfg, params, diags);
  if (st == CPT_OK) st = cpt_assign_candidates(&c);
  if (st == CPT_OK) st = cpt_jobs_build(&c, &J);
  if (st == CPT_OK) st = build(&c, &J, true, &b);
  if (st == CPT_OK) {
    *out = b.m;
    b.m = NULL;
  }
  built_free(&b);
  cpt_jobs_free(&J);
  cpt_assign_ctx_free(&c);
  return st;
}
