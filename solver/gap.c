/*
 * gap.c — the generalized assignment representation (see gap.h): its
 * allocation, its invariants, the objective of a solution, the parameter
 * defaults and the result's ownership.
 *
 * cpt_gap_eval recomputes from scratch
 *   Σ_k c_k·x_k + Σ_j u_j·y_j + Σ_i p_i·max(0, load_i − s_i)
 * and checks Σ_{k∈K(j)} x_k + y_j = n_j, x, y ≥ 0, y_j = 0 without an
 * unassigned option and load_i ≤ b_i; it is the reference every faster,
 * incremental evaluation in the solver is compared with.
 */
#include "gap.h"
#include "gap_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cpt_gap_set_err(char *err, size_t errsize, const char *fmt, ...) {
  if (!err || errsize == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errsize, fmt, ap);
  va_end(ap);
}

cpt_gap *cpt_gap_new(int32_t m, int32_t n, int64_t nnz, int with_soft,
                     int with_count, int with_unassigned, int with_xy) {
  if (m < 0 || n < 0 || nnz < 0)
    return NULL;
  cpt_gap *g = calloc(1, sizeof *g);
  if (!g)
    return NULL;
  size_t M = (size_t)m + 1, N = (size_t)n + 1, K = (size_t)nnz + 1;
  g->m = m;
  g->n = n;
  g->cap = calloc(M, sizeof *g->cap);
  g->start = calloc(N, sizeof *g->start);
  g->agent = calloc(K, sizeof *g->agent);
  g->cost = calloc(K, sizeof *g->cost);
  g->weight = calloc(K, sizeof *g->weight);
  int ok = g->cap && g->start && g->agent && g->cost && g->weight;
  if (with_soft) {
    g->soft = calloc(M, sizeof *g->soft);
    g->soft_pen = calloc(M, sizeof *g->soft_pen);
    ok = ok && g->soft && g->soft_pen;
  }
  if (with_count) {
    g->count = calloc(N, sizeof *g->count);
    ok = ok && g->count;
  }
  if (with_unassigned) {
    g->unassigned = calloc(N, sizeof *g->unassigned);
    ok = ok && g->unassigned;
  }
  if (with_xy) {
    g->agent_xy = calloc(2 * M, sizeof *g->agent_xy);
    ok = ok && g->agent_xy;
  }
  if (!ok) {
    cpt_gap_free(g);
    return NULL;
  }
  g->start[n] = nnz;
  return g;
}

void cpt_gap_free(cpt_gap *g) {
  if (!g)
    return;
  free(g->cap);
  free(g->soft);
  free(g->soft_pen);
  free(g->count);
  free(g->unassigned);
  free(g->start);
  free(g->agent);
  free(g->cost);
  free(g->weight);
  free(g->agent_xy);
  free(g);
}

cpt_status cpt_gap_validate(const cpt_gap *g, char *err, size_t errsize) {
#define BAD(...)                                                              \
  do {                                                                        \
    cpt_gap_set_err(err, errsize, __VA_ARGS__);                               \
    st = CPT_EPARAM;                                                          \
    goto done;                                                                \
  } while (0)
  cpt_status st = CPT_OK;
  int32_t *seen = NULL;
  if (!g)
    BAD("gap: no instance");
  if (g->m < 0 || g->n < 0)
    BAD("gap: m = %d and n = %d must be ≥ 0", (int)g->m, (int)g->n);
  if (!g->cap || !g->start || (g->n > 0 && g->start[g->n] > 0 &&
                               (!g->agent || !g->cost || !g->weight)))
    BAD("gap: missing array (cap, start, agent, cost or weight)");
  if (g->soft_pen && !g->soft)
    BAD("gap: soft_pen given without soft");
  for (int32_t i = 0; i < g->m; i++) {
    if (g->cap[i] < 0)
      BAD("gap: agent %d has capacity %lld < 0", (int)i, (long long)g->cap[i]);
    if (g->soft && (g->soft[i] < 0 || g->soft[i] > g->cap[i]))
      BAD("gap: agent %d has soft capacity %lld outside [0, %lld]", (int)i,
          (long long)g->soft[i], (long long)g->cap[i]);
    if (g->soft_pen && (!isfinite(g->soft_pen[i]) || g->soft_pen[i] < 0))
      BAD("gap: agent %d has soft penalty %g (expected finite ≥ 0)", (int)i,
          g->soft_pen[i]);
    if (g->agent_xy &&
        (!isfinite(g->agent_xy[2 * i]) || !isfinite(g->agent_xy[2 * i + 1])))
      BAD("gap: agent %d has non-finite coordinates", (int)i);
  }
  if (g->start[0] != 0)
    BAD("gap: start[0] = %lld (expected 0)", (long long)g->start[0]);
  seen = malloc(((size_t)g->m + 1) * sizeof *seen);
  if (!seen) {
    cpt_gap_set_err(err, errsize, "gap: out of memory");
    return CPT_ENOMEM;
  }
  for (int32_t i = 0; i < g->m; i++)
    seen[i] = -1;
  for (int32_t j = 0; j < g->n; j++) {
    if (g->start[j + 1] < g->start[j])
      BAD("gap: start[%d] = %lld < start[%d] = %lld (offsets must not "
          "decrease)",
          (int)j + 1, (long long)g->start[j + 1], (int)j,
          (long long)g->start[j]);
    if (g->count && g->count[j] < 1)
      BAD("gap: job class %d has count %lld (expected ≥ 1)", (int)j,
          (long long)g->count[j]);
    if (g->unassigned && !isfinite(g->unassigned[j]))
      BAD("gap: job class %d has a non-finite unassigned cost", (int)j);
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      int32_t a = g->agent[k];
      if (a < 0 || a >= g->m)
        BAD("gap: entry %lld (job class %d) has agent %d outside [0, %d)",
            (long long)k, (int)j, (int)a, (int)g->m);
      if (seen[a] == j)
        BAD("gap: job class %d lists agent %d twice", (int)j, (int)a);
      seen[a] = j;
      if (!isfinite(g->cost[k]))
        BAD("gap: entry %lld (job class %d) has a non-finite cost",
            (long long)k, (int)j);
      if (g->weight[k] < 0)
        BAD("gap: entry %lld (job class %d) has weight %lld < 0",
            (long long)k, (int)j, (long long)g->weight[k]);
    }
  }
done:
  free(seen);
  return st;
#undef BAD
}

double cpt_gap_eval(const cpt_gap *g, const cpt_gap_sol *s, int *feasible) {
  int ok = 1;
  double obj = 0.0;
  int64_t *load = calloc((size_t)g->m + 1, sizeof *load);
  if (!load) {
    if (feasible)
      *feasible = 0;
    return NAN;
  }
  for (int32_t j = 0; j < g->n; j++) {
    int64_t tot = s->y ? s->y[j] : 0;
    if (tot < 0 || (tot > 0 && !g->unassigned))
      ok = 0;
    if (g->unassigned)
      obj += g->unassigned[j] * (double)tot;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      int64_t v = s->x[k];
      if (v < 0)
        ok = 0;
      tot += v;
      obj += g->cost[k] * (double)v;
      load[g->agent[k]] += g->weight[k] * v;
    }
    if (tot != CPT_GAP_COUNT(g, j))
      ok = 0;
  }
  for (int32_t i = 0; i < g->m; i++) {
    if (load[i] > g->cap[i])
      ok = 0;
    if (g->soft && g->soft_pen && load[i] > g->soft[i])
      obj += g->soft_pen[i] * (double)(load[i] - g->soft[i]);
  }
  free(load);
  if (feasible)
    *feasible = ok;
  return obj;
}

void cpt_gap_params_init(cpt_gap_params *p) {
  memset(p, 0, sizeof *p);
  p->threads = 0;
  p->seed = 1;
  p->time_limit_s = 0.0;
  p->target_gap = 0.0;
  p->bound_iterations = 0;
  p->lns = 1;
  p->start = NULL;
  p->lambda0 = NULL;
  p->stop = NULL;
  p->verbose = 0;
  p->log = stderr;
  p->max_rounds = 0;
  p->stall_rounds = 0;
  p->units_per_round = 0;
  p->region_nnz = 0;
}

void cpt_gap_result_free(cpt_gap_result *r) {
  if (!r)
    return;
  free(r->sol.x);
  free(r->sol.y);
  r->sol.x = NULL;
  r->sol.y = NULL;
}
