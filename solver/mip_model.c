/*
 * mip_model.c — building a cpt_mip (mip.h): columns and rows in 0-based
 * growable arrays, each entry checked as it is added (finite values,
 * lb ≤ ub, a column at most once per row), so that the adapter can hand the
 * model to GLPK without further checks.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mip_internal.h"

/* ---------------------------------------------------------------- model */

static char *dup_str(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c) memcpy(c, s, n);
  return c;
}

cpt_mip *cpt_mip_new(int maximize) {
  cpt_mip *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->maximize = maximize != 0;
  m->rbeg = malloc(sizeof *m->rbeg);
  if (!m->rbeg) {
    free(m);
    return NULL;
  }
  m->rbeg[0] = 0;
  return m;
}

void cpt_mip_free(cpt_mip *m) {
  if (!m) return;
  for (int j = 0; j < m->n; j++) free(m->cname[j]);
  for (int i = 0; i < m->m; i++) free(m->rname[i]);
  free(m->cname);
  free(m->clb);
  free(m->cub);
  free(m->cobj);
  free(m->cint);
  free(m->cmark);
  free(m->rname);
  free(m->rlb);
  free(m->rub);
  free(m->rbeg);
  free(m->zcol);
  free(m->zval);
  free(m);
}

/* Grow *p (elements of size sz) to hold cap elements; 0 on success. */
static int grow(void **p, size_t cap, size_t sz) {
  if (cap > SIZE_MAX / sz) return -1;
  void *q = realloc(*p, cap * sz);
  if (!q) return -1;
  *p = q;
  return 0;
}

static int reserve_cols(cpt_mip *m) {
  if (m->n < m->ccap) return 0;
  if (m->ccap >= INT_MAX / 2) return -1;
  int cap = m->ccap ? 2 * m->ccap : 16;
  size_t c = (size_t)cap;
  if (grow((void **)&m->cname, c, sizeof *m->cname) ||
      grow((void **)&m->clb, c, sizeof *m->clb) ||
      grow((void **)&m->cub, c, sizeof *m->cub) ||
      grow((void **)&m->cobj, c, sizeof *m->cobj) ||
      grow((void **)&m->cint, c, sizeof *m->cint) ||
      grow((void **)&m->cmark, c, sizeof *m->cmark))
    return -1;
  m->ccap = cap;
  return 0;
}

static int reserve_rows(cpt_mip *m) {
  if (m->m < m->rcap) return 0;
  if (m->rcap >= INT_MAX / 2) return -1;
  int cap = m->rcap ? 2 * m->rcap : 16;
  size_t c = (size_t)cap;
  if (grow((void **)&m->rname, c, sizeof *m->rname) ||
      grow((void **)&m->rlb, c, sizeof *m->rlb) ||
      grow((void **)&m->rub, c, sizeof *m->rub) ||
      grow((void **)&m->rbeg, c + 1, sizeof *m->rbeg))
    return -1;
  m->rcap = cap;
  return 0;
}

/* Bounds a model accepts: no NaN, lb < +inf, ub > −inf, lb ≤ ub. */
static int bounds_ok(double lb, double ub) {
  return !isnan(lb) && !isnan(ub) && lb < HUGE_VAL && ub > -HUGE_VAL &&
         lb <= ub;
}

int cpt_mip_add_col(cpt_mip *m, const char *name, double lb, double ub,
                    double obj, int is_integer) {
  if (!m || !bounds_ok(lb, ub) || !isfinite(obj)) return -1;
  if (reserve_cols(m)) return -1;
  char *nm = NULL;
  if (name && !(nm = dup_str(name))) return -1;
  int j = m->n++;
  m->cname[j] = nm;
  m->clb[j] = lb;
  m->cub[j] = ub;
  m->cobj[j] = obj;
  m->cint[j] = is_integer != 0;
  m->cmark[j] = 0;
  return j;
}

int cpt_mip_add_row(cpt_mip *m, const char *name, double lb, double ub,
                    int nnz, const int *cols, const double *vals) {
  if (!m || !bounds_ok(lb, ub) || nnz < 0 || (nnz > 0 && (!cols || !vals)))
    return -1;
  if ((size_t)nnz > (size_t)INT_MAX - 1 - m->nnz) return -1; /* GLPK's ne */
  int row_id = m->m + 1;
  for (int k = 0; k < nnz; k++) {
    int j = cols[k];
    if (j < 0 || j >= m->n || !isfinite(vals[k]) || m->cmark[j] == row_id) {
      while (k-- > 0) m->cmark[cols[k]] = 0; /* row_id will be reused */
      return -1;
    }
    m->cmark[j] = row_id;
  }
  if (reserve_rows(m)) return -1;
  if (m->nnz + (size_t)nnz > m->zcap) {
    size_t cap = m->zcap ? 2 * m->zcap : 64;
    while (cap < m->nnz + (size_t)nnz) cap *= 2;
    if (grow((void **)&m->zcol, cap, sizeof *m->zcol) ||
        grow((void **)&m->zval, cap, sizeof *m->zval))
      return -1;
    m->zcap = cap;
  }
  char *nm = NULL;
  if (name && !(nm = dup_str(name))) return -1;
  int i = m->m++;
  m->rname[i] = nm;
  m->rlb[i] = lb;
  m->rub[i] = ub;
  for (int k = 0; k < nnz; k++) {
    if (vals[k] == 0.0) continue; /* GLPK stores no zeros either */
    m->zcol[m->nnz] = cols[k];
    m->zval[m->nnz] = vals[k];
    m->nnz++;
  }
  m->rbeg[i + 1] = m->nnz;
  return i;
}

void cpt_mip_set_obj_const(cpt_mip *m, double c0) {
  CPT_REQUIRE(m && isfinite(c0), "objective constant must be finite");
  m->c0 = c0;
}

void cpt_mip_add_obj(cpt_mip *m, int col, double delta) {
  CPT_REQUIRE(m && col >= 0 && col < m->n && isfinite(delta),
              "cpt_mip_add_obj: bad column or coefficient");
  m->cobj[col] += delta;
}

int cpt_mip_n_cols(const cpt_mip *m) { return m ? m->n : 0; }
int cpt_mip_n_rows(const cpt_mip *m) { return m ? m->m : 0; }
size_t cpt_mip_n_nz(const cpt_mip *m) { return m ? m->nnz : 0; }

void cpt_mip_params_init(cpt_mip_params *p) {
  memset(p, 0, sizeof *p);
  p->time_limit_s = 0.0;
  p->mip_gap = 0.0;
  p->presolve = 1;
  p->verbose = 0;
  p->log = stderr;
  p->start = NULL;
  p->stop = NULL;
}

void cpt_mip_result_free(cpt_mip_result *res) {
  if (!res) return;
  free(res->x);
  res->x = NULL;
}

/* ------------------------------------------------------- GLPK plumbing */

/* The bounds GLPK gets for column j: integer columns rounded inward (a
 * tolerance of 1e-9 keeps 2.9999999999 from becoming 2).  0 if empty. */

static void *dup_mem(const void *src, size_t n) {
  void *d = malloc(n ? n : 1);
  if (d && n) memcpy(d, src, n);
  return d;
}

cpt_mip *cpt_mip_copy(const cpt_mip *m) {
  cpt_mip *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  *c = *m;
  c->ccap = m->n;
  c->rcap = m->m;
  c->zcap = m->nnz;
  c->cname = calloc((size_t)m->n + 1, sizeof *c->cname);
  c->rname = calloc((size_t)m->m + 1, sizeof *c->rname);
  c->clb = dup_mem(m->clb, (size_t)m->n * sizeof *m->clb);
  c->cub = dup_mem(m->cub, (size_t)m->n * sizeof *m->cub);
  c->cobj = dup_mem(m->cobj, (size_t)m->n * sizeof *m->cobj);
  c->cint = dup_mem(m->cint, (size_t)m->n * sizeof *m->cint);
  c->cmark = dup_mem(m->cmark, (size_t)m->n * sizeof *m->cmark);
  c->rlb = dup_mem(m->rlb, (size_t)m->m * sizeof *m->rlb);
  c->rub = dup_mem(m->rub, (size_t)m->m * sizeof *m->rub);
  c->rbeg = dup_mem(m->rbeg, ((size_t)m->m + 1) * sizeof *m->rbeg);
  c->zcol = dup_mem(m->zcol, m->nnz * sizeof *m->zcol);
  c->zval = dup_mem(m->zval, m->nnz * sizeof *m->zval);
  int ok = c->cname && c->rname && c->clb && c->cub && c->cobj && c->cint &&
           c->cmark && c->rlb && c->rub && c->rbeg && c->zcol && c->zval;
  for (int j = 0; ok && j < m->n; j++)
    if (m->cname[j] && !(c->cname[j] = dup_str(m->cname[j]))) ok = 0;
  for (int i = 0; ok && i < m->m; i++)
    if (m->rname[i] && !(c->rname[i] = dup_str(m->rname[i]))) ok = 0;
  if (!ok) {
    if (!c->cname) c->n = 0; /* cpt_mip_free walks the name arrays */
    if (!c->rname) c->m = 0;
    cpt_mip_free(c);
    return NULL;
  }
  return c;
}

int cpt_mip_set_col_bounds(cpt_mip *m, int col, double lb, double ub) {
  if (col < 0 || col >= m->n || !bounds_ok(lb, ub)) return -1;
  m->clb[col] = lb;
  m->cub[col] = ub;
  return 0;
}

double cpt_mip_col_obj(const cpt_mip *m, int col) {
  CPT_REQUIRE(col >= 0 && col < m->n, "column out of range");
  return m->cobj[col];
}

void cpt_mip_col_bounds(const cpt_mip *m, int col, double *lb, double *ub) {
  CPT_REQUIRE(col >= 0 && col < m->n, "column out of range");
  *lb = m->clb[col];
  *ub = m->cub[col];
}

int cpt_mip_col_is_integer(const cpt_mip *m, int col) {
  CPT_REQUIRE(col >= 0 && col < m->n, "column out of range");
  return m->cint[col];
}

int cpt_mip_is_maximize(const cpt_mip *m) { return m->maximize; }
