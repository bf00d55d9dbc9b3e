/*
 * gap_state.c — the GAP core's working data (see gap_internal.h): the
 * derived indexes (entries by agent, each class's entries sorted by agent
 * for O(log deg) look-ups), the incremental solution state with its change
 * log, and the per-thread scratch space.
 *
 * gap_set keeps, for agent i with load L,
 *   pen_i(L) = p_i·max(0, L − s_i)   in the objective,
 *   ex_i(L)  = max(0, L − b_i)       in the infeasibility E,
 * so that every move costs O(1) to apply and to undo.
 */
#include "gap_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int gap_ctx_init(gap_ctx *c, const cpt_gap *g) {
  memset(c, 0, sizeof *c);
  c->g = g;
  c->threads = 1;
  c->nnz = g->start[g->n];
  size_t K = (size_t)c->nnz + 1;
  c->job = malloc(K * sizeof *c->job);
  c->astart = calloc((size_t)g->m + 2, sizeof *c->astart);
  c->aent = malloc(K * sizeof *c->aent);
  c->sorted = malloc(K * sizeof *c->sorted);
  if (!c->job || !c->astart || !c->aent || !c->sorted) {
    gap_ctx_free(c);
    return -1;
  }
  for (int32_t j = 0; j < g->n; j++)
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      c->job[k] = j;
      c->astart[g->agent[k] + 1]++;
    }
  for (int32_t i = 0; i < g->m; i++)
    c->astart[i + 1] += c->astart[i];
  /* Counting sort by agent, stable in k: aent lists each agent's entries
   * in class order, and walking aent agent by agent visits the classes'
   * entries in agent order, which fills `sorted`. */
  int64_t *pos = malloc(((size_t)g->m + 1) * sizeof *pos);
  int64_t *fill = malloc(((size_t)g->n + 1) * sizeof *fill);
  if (!pos || !fill) {
    free(pos);
    free(fill);
    gap_ctx_free(c);
    return -1;
  }
  memcpy(pos, c->astart, (size_t)g->m * sizeof *pos);
  for (int64_t k = 0; k < c->nnz; k++)
    c->aent[pos[g->agent[k]]++] = k;
  for (int32_t j = 0; j < g->n; j++)
    fill[j] = g->start[j];
  for (int64_t t = 0; t < c->nnz; t++) {
    int64_t k = c->aent[t];
    c->sorted[fill[c->job[k]]++] = k;
  }
  free(pos);
  free(fill);
  if (g->soft && g->soft_pen)
    for (int32_t i = 0; i < g->m && !c->soft; i++)
      c->soft = g->soft_pen[i] > 0 && g->soft[i] < g->cap[i];
  c->integer_obj = 1;
  for (int64_t k = 0; k < c->nnz && c->integer_obj; k++)
    c->integer_obj = g->cost[k] == floor(g->cost[k]);
  if (g->unassigned)
    for (int32_t j = 0; j < g->n && c->integer_obj; j++)
      c->integer_obj = g->unassigned[j] == floor(g->unassigned[j]);
  if (g->soft_pen)
    for (int32_t i = 0; i < g->m && c->integer_obj; i++)
      c->integer_obj = g->soft_pen[i] == floor(g->soft_pen[i]);
  return 0;
}

void gap_ctx_free(gap_ctx *c) {
  free(c->job);
  free(c->astart);
  free(c->aent);
  free(c->sorted);
  memset(c, 0, sizeof *c);
}

int64_t gap_find(const gap_ctx *c, int32_t j, int32_t a) {
  const cpt_gap *g = c->g;
  int64_t lo = g->start[j], hi = g->start[j + 1] - 1;
  while (lo <= hi) {
    int64_t mid = lo + (hi - lo) / 2;
    int32_t b = g->agent[c->sorted[mid]];
    if (b == a)
      return c->sorted[mid];
    if (b < a)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return -1;
}

int gap_state_init(gap_state *s, const gap_ctx *c) {
  memset(s, 0, sizeof *s);
  s->x = calloc((size_t)c->nnz + 1, sizeof *s->x);
  s->y = calloc((size_t)c->g->n + 1, sizeof *s->y);
  s->load = calloc((size_t)c->g->m + 1, sizeof *s->load);
  if (!s->x || !s->y || !s->load) {
    gap_state_free(s);
    return -1;
  }
  return 0;
}

void gap_state_free(gap_state *s) {
  free(s->x);
  free(s->y);
  free(s->load);
  s->x = s->y = s->load = NULL;
}

void gap_state_copy(gap_state *dst, const gap_state *src, const gap_ctx *c) {
  memcpy(dst->x, src->x, ((size_t)c->nnz + 1) * sizeof *dst->x);
  memcpy(dst->y, src->y, ((size_t)c->g->n + 1) * sizeof *dst->y);
  memcpy(dst->load, src->load, ((size_t)c->g->m + 1) * sizeof *dst->load);
  dst->obj = src->obj;
  dst->excess = src->excess;
}

static double pen(const cpt_gap *g, int32_t i, int64_t L) {
  if (!g->soft || !g->soft_pen || L <= g->soft[i])
    return 0.0;
  return g->soft_pen[i] * (double)(L - g->soft[i]);
}

static int64_t ex(const cpt_gap *g, int32_t i, int64_t L) {
  return L > g->cap[i] ? L - g->cap[i] : 0;
}

void gap_state_recompute(gap_state *s, const gap_ctx *c) {
  const cpt_gap *g = c->g;
  memset(s->load, 0, (size_t)g->m * sizeof *s->load);
  double obj = 0.0;
  for (int32_t j = 0; j < g->n; j++) {
    if (g->unassigned)
      obj += g->unassigned[j] * (double)s->y[j];
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      obj += g->cost[k] * (double)s->x[k];
      s->load[g->agent[k]] += g->weight[k] * s->x[k];
    }
  }
  int64_t e = 0;
  for (int32_t i = 0; i < g->m; i++) {
    obj += pen(g, i, s->load[i]);
    e += ex(g, i, s->load[i]);
  }
  s->obj = obj;
  s->excess = e;
}

static void raw_set(const gap_ctx *c, gap_state *s, int32_t j, int64_t k,
                    int64_t v) {
  const cpt_gap *g = c->g;
  if (k == CPT_GAP_NONE) {
    if (g->unassigned)
      s->obj += g->unassigned[j] * (double)(v - s->y[j]);
    s->y[j] = v;
    return;
  }
  int64_t d = v - s->x[k];
  if (d == 0)
    return;
  int32_t i = g->agent[k];
  int64_t L0 = s->load[i], L1 = L0 + g->weight[k] * d;
  s->obj += g->cost[k] * (double)d + pen(g, i, L1) - pen(g, i, L0);
  s->excess += ex(g, i, L1) - ex(g, i, L0);
  s->load[i] = L1;
  s->x[k] = v;
}

void gap_set(const gap_ctx *c, gap_state *s, int32_t j, int64_t k, int64_t v) {
  int64_t old = k == CPT_GAP_NONE ? s->y[j] : s->x[k];
  if (old == v)
    return;
  gap_log *l = s->log;
  if (l && !l->oom) {
    if (l->n == l->cap) {
      size_t nc = l->cap ? 2 * l->cap : 256;
      gap_change *nv = realloc(l->v, nc * sizeof *nv);
      if (!nv)
        l->oom = 1;
      else {
        l->v = nv;
        l->cap = nc;
      }
    }
    if (!l->oom)
      l->v[l->n++] = (gap_change){k, j, old, v};
  }
  raw_set(c, s, j, k, v);
}

int64_t gap_missing(const gap_ctx *c, const gap_state *s, int32_t j) {
  const cpt_gap *g = c->g;
  int64_t t = s->y[j];
  for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
    t += s->x[k];
  return CPT_GAP_COUNT(g, j) - t;
}

void gap_undo(const gap_ctx *c, gap_state *s, size_t from) {
  gap_log *l = s->log;
  while (l->n > from) {
    gap_change *ch = &l->v[--l->n];
    raw_set(c, s, ch->j, ch->k, ch->from);
  }
}

void gap_replay(const gap_ctx *c, gap_state *s, const gap_log *log) {
  for (size_t t = 0; t < log->n; t++)
    gap_set(c, s, log->v[t].j, log->v[t].k, log->v[t].to);
}

void gap_rewind(const gap_ctx *c, gap_state *s, const gap_log *log) {
  for (size_t t = log->n; t > 0; t--)
    gap_set(c, s, log->v[t - 1].j, log->v[t - 1].k, log->v[t - 1].from);
}

void gap_log_clear(gap_log *l) {
  l->n = 0;
  l->oom = 0;
}

void gap_log_free(gap_log *l) {
  free(l->v);
  memset(l, 0, sizeof *l);
}

int gap_better(int64_t e1, double o1, int64_t e2, double o2) {
  if (e1 != e2)
    return e1 < e2;
  return o1 < o2 - 1e-9 * fmax(1.0, fabs(o2));
}

int gap_work_init(gap_work *w, const gap_ctx *c, const gap_state *inc) {
  memset(w, 0, sizeof *w);
  size_t N = (size_t)c->g->n + 1, M = (size_t)c->g->m + 1;
  w->inq = calloc(N, 1);
  w->list = malloc(N * sizeof *w->list);
  w->amark = calloc(M, 1);
  w->alist = malloc(M * sizeof *w->alist);
  int ok = w->inq && w->list && w->amark && w->alist;
  if (ok && inc) {
    ok = gap_state_init(&w->s, c) == 0;
    if (ok)
      gap_state_copy(&w->s, inc, c);
  }
  if (!ok) {
    gap_work_free(w);
    return -1;
  }
  return 0;
}

void gap_work_free(gap_work *w) {
  gap_state_free(&w->s);
  gap_log_free(&w->log);
  free(w->inq);
  free(w->list);
  free(w->amark);
  free(w->alist);
  memset(w, 0, sizeof *w);
}
