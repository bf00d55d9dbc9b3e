/*
 * gap_lns.c — one large-neighbourhood unit of the GAP core: a GLPK
 * sub-MIP over a few agents (gap_lns_unit, see gap_internal.h).
 *
 * Neighbourhood: a random agent i0 (with candidates) and the `agents − 1`
 * agents closest to it among those sharing a candidate class with the
 * classes on i0 — by distance along agent_xy when given (geographic
 * neighbours for the MT model), otherwise by the number of shared classes
 * (ties broken at random).  Call that set A.  Every class with units on
 * A, or with unassigned units and a candidate on A, is freed (in agent
 * then entry order, until about max_cols columns); its units elsewhere
 * stay where they are.  The sub-MIP, over the freed classes F:
 *
 *   min Σ_{k: j∈F, a(k)∈A} c_k·x_k + Σ_{j∈F} u_j·y_j + Σ_{i∈A} p_i·o_i
 *   s.t. Σ_{k∈K(j), a(k)∈A} x_k + y_j = n_j − (units of j outside A)   j ∈ F
 *        Σ_{k: j∈F, a(k)=i} w_k·x_k − o_i ≤ s_i − (load of i not freed) i ∈ A
 *        0 ≤ o_i ≤ b_i − s_i,  x, y ∈ ℤ≥0  (y only with the option, o only
 *        with a positive soft penalty; otherwise the row's bound is b_i)
 *
 * is solved by cpt_mip_solve with the incumbent as start and a time
 * limit; a strictly better answer is written back through gap_set (so the
 * change is logged).  The calling thread must call cpt_mip_thread_done()
 * before it ends (gap_rounds.c does).
 */
#include "gap_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mip.h"
#include "rng.h"

static double unif(uint64_t *rng) {
  return (double)(cpt_splitmix64(rng) >> 11) * 0x1.0p-53;
}

/* Choose A into w->alist (marked in w->amark); returns |A|. */
static int32_t choose_agents(const gap_ctx *c, gap_work *w,
                             const gap_state *s, uint64_t *rng, int agents) {
  const cpt_gap *g = c->g;
  int32_t i0 = -1;
  for (int t = 0; t < 16 && i0 < 0; t++) {
    int32_t i = (int32_t)(cpt_splitmix64(rng) % (uint64_t)g->m);
    if (c->astart[i + 1] > c->astart[i])
      i0 = i;
  }
  if (i0 < 0)
    return 0;
  double *score = calloc((size_t)g->m + 1, sizeof *score);
  int32_t *cand = malloc(((size_t)g->m + 1) * sizeof *cand);
  int32_t nc = 0, na = 0;
  w->alist[na++] = i0;
  w->amark[i0] = 1;
  if (!score || !cand)
    goto done;
  for (int64_t t = c->astart[i0]; t < c->astart[i0 + 1]; t++) {
    int64_t k0 = c->aent[t];
    int32_t j = c->job[k0];
    if (s->x[k0] <= 0 && s->y[j] <= 0)
      continue;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      int32_t i = g->agent[k];
      if (i == i0)
        continue;
      if (score[i] == 0.0)
        cand[nc++] = i;
      score[i] += 1.0;
    }
  }
  for (int32_t t = 0; t < nc; t++) {
    int32_t i = cand[t];
    if (g->agent_xy) {
      double dx = g->agent_xy[2 * i] - g->agent_xy[2 * i0];
      double dy = g->agent_xy[2 * i + 1] - g->agent_xy[2 * i0 + 1];
      score[i] = -(dx * dx + dy * dy) - 1e-12 * unif(rng);
    } else {
      score[i] += 0.5 * unif(rng);
    }
  }
  while (na < agents && nc > 0) {
    int32_t bt = 0;
    for (int32_t t = 1; t < nc; t++)
      if (score[cand[t]] > score[cand[bt]])
        bt = t;
    int32_t i = cand[bt];
    cand[bt] = cand[--nc];
    w->alist[na++] = i;
    w->amark[i] = 1;
  }
done:
  free(score);
  free(cand);
  return na;
}

int gap_lns_unit(const gap_ctx *c, gap_work *w, gap_state *s, uint64_t *rng,
                 int agents, int32_t max_cols, double sub_time_s,
                 const atomic_int *stop, int *hit_limit, char *err,
                 size_t errsize) {
  const cpt_gap *g = c->g;
  int rc = 0;
  *hit_limit = 0;
  if (g->m == 0 || g->n == 0)
    return 0;
  int32_t na = choose_agents(c, w, s, rng, agents);
  int32_t nf = 0, ncols = 0;
  for (int32_t a = 0; a < na && ncols < max_cols; a++) {
    int32_t i = w->alist[a];
    for (int64_t t = c->astart[i]; t < c->astart[i + 1] && ncols < max_cols;
         t++) {
      int64_t k = c->aent[t];
      int32_t j = c->job[k];
      if (w->inq[j] || (s->x[k] <= 0 && s->y[j] <= 0))
        continue;
      w->inq[j] = 1;
      w->list[nf++] = j;
      for (int64_t q = g->start[j]; q < g->start[j + 1]; q++)
        ncols += w->amark[g->agent[q]];
      ncols += g->unassigned != NULL;
    }
  }
  cpt_mip *m = NULL;
  int64_t *colk = malloc(((size_t)ncols + (size_t)na + 1) * sizeof *colk);
  double *start = malloc(((size_t)ncols + (size_t)na + 1) * sizeof *start);
  int *idx = malloc(((size_t)ncols + 1) * sizeof *idx);
  double *val = malloc(((size_t)ncols + 1) * sizeof *val);
  int64_t *fixed = malloc(((size_t)na + 1) * sizeof *fixed);
  cpt_mip_result res;
  memset(&res, 0, sizeof res);
  if (!colk || !start || !idx || !val || !fixed || !(m = cpt_mip_new(0))) {
    cpt_gap_set_err(err, errsize, "gap lns: out of memory");
    rc = -1;
    goto done;
  }
  double cur = 0.0;
  int nc = 0;
  for (int32_t a = 0; a < na; a++)
    fixed[a] = s->load[w->alist[a]];
  for (int32_t f = 0; f < nf; f++) {
    int32_t j = w->list[f];
    int64_t rhs = CPT_GAP_COUNT(g, j);
    int first = nc;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      int32_t i = g->agent[k];
      if (!w->amark[i]) {
        rhs -= s->x[k];
        continue;
      }
      for (int32_t a = 0; a < na; a++)
        if (w->alist[a] == i)
          fixed[a] -= g->weight[k] * s->x[k];
      colk[nc] = k;
      start[nc] = (double)s->x[k];
      cur += g->cost[k] * (double)s->x[k];
      cpt_mip_add_col(m, NULL, 0.0, (double)CPT_GAP_COUNT(g, j), g->cost[k],
                      1);
      nc++;
    }
    if (g->unassigned) {
      colk[nc] = -1 - (int64_t)j;
      start[nc] = (double)s->y[j];
      cur += g->unassigned[j] * (double)s->y[j];
      cpt_mip_add_col(m, NULL, 0.0, (double)CPT_GAP_COUNT(g, j),
                      g->unassigned[j], 1);
      nc++;
    }
    for (int t = first; t < nc; t++) {
      idx[t - first] = t;
      val[t - first] = 1.0;
      cpt_mip_set_col_bounds(m, t, 0.0, (double)rhs);
    }
    if (cpt_mip_add_row(m, NULL, (double)rhs, (double)rhs, nc - first, idx,
                        val) < 0) {
      cpt_gap_set_err(err, errsize, "gap lns: cannot add a row");
      rc = -1;
      goto done;
    }
  }
  int nx = nc;
  for (int32_t a = 0; a < na; a++) {
    int32_t i = w->alist[a];
    int nr = 0;
    for (int t = 0; t < nx; t++)
      if (colk[t] >= 0 && g->agent[colk[t]] == i && g->weight[colk[t]] != 0) {
        idx[nr] = t;
        val[nr++] = (double)g->weight[colk[t]];
      }
    double ub = (double)(g->cap[i] - fixed[a]);
    if (c->soft && g->soft_pen[i] > 0 && g->soft[i] < g->cap[i]) {
      int64_t o = s->load[i] > g->soft[i] ? s->load[i] - g->soft[i] : 0;
      int col = cpt_mip_add_col(m, NULL, 0.0,
                                (double)(g->cap[i] - g->soft[i]),
                                g->soft_pen[i], 0);
      colk[nc] = INT64_MIN;
      start[nc++] = (double)o;
      cur += g->soft_pen[i] * (double)o;
      idx[nr] = col;
      val[nr++] = -1.0;
      ub = (double)(g->soft[i] - fixed[a]);
    }
    if (nr > 0 && cpt_mip_add_row(m, NULL, -HUGE_VAL, ub, nr, idx, val) < 0) {
      cpt_gap_set_err(err, errsize, "gap lns: cannot add a row");
      rc = -1;
      goto done;
    }
  }
  if (nc == 0)
    goto done;
  cpt_mip_params mp;
  cpt_mip_params_init(&mp);
  mp.time_limit_s = sub_time_s;
  mp.mip_gap = 1e-9;
  mp.start = start;
  mp.stop = stop;
  if (cpt_mip_solve(m, &mp, &res, err, errsize) != CPT_OK) {
    rc = -1;
    goto done;
  }
  if (res.status == CPT_SOLVE_FEASIBLE && !(stop && atomic_load(stop)))
    *hit_limit = 1;
  if (!res.x || !(res.objective < cur - 1e-9 * fmax(1.0, fabs(s->obj))))
    goto done;
  for (int t = 0; t < nx; t++) {
    int64_t v = llround(res.x[t]);
    if (colk[t] >= 0)
      gap_set(c, s, c->job[colk[t]], colk[t], v);
    else
      gap_set(c, s, (int32_t)(-1 - colk[t]), CPT_GAP_NONE, v);
  }
  rc = 1;
done:
  cpt_mip_result_free(&res);
  cpt_mip_free(m);
  for (int32_t f = 0; f < nf; f++)
    w->inq[w->list[f]] = 0;
  for (int32_t a = 0; a < na; a++)
    w->amark[w->alist[a]] = 0;
  free(colk);
  free(start);
  free(idx);
  free(val);
  free(fixed);
  return rc;
}
