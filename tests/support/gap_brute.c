/*
 * gap_brute.c — exhaustive optimiser for tiny GAP instances (see
 * gap_brute.h).
 */
#include "gap_brute.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct bctx {
  const cpt_gap *g;
  int64_t *x, *y, *load;
  int64_t *bx, *by;
  double best;
  long leaves;
  int too_big;
} bctx;

double cpt_gap_brute_eval(const cpt_gap *g, const int64_t *x,
                          const int64_t *y, int *feasible) {
  double obj = 0;
  int ok = 1;
  int64_t load[64] = {0};
  if (g->m > 64) {
    *feasible = 0;
    return NAN;
  }
  for (int32_t j = 0; j < g->n; j++) {
    int64_t want = g->count ? g->count[j] : 1, got = 0;
    int64_t yy = y ? y[j] : 0;
    if (yy != 0 && !g->unassigned)
      ok = 0;
    if (yy < 0)
      ok = 0;
    got += yy;
    if (g->unassigned)
      obj += (double)yy * g->unassigned[j];
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      if (x[k] < 0)
        ok = 0;
      got += x[k];
      obj += (double)x[k] * g->cost[k];
      load[g->agent[k]] += x[k] * g->weight[k];
    }
    if (got != want)
      ok = 0;
  }
  for (int32_t i = 0; i < g->m; i++) {
    if (load[i] > g->cap[i])
      ok = 0;
    if (g->soft && g->soft_pen && load[i] > g->soft[i])
      obj += g->soft_pen[i] * (double)(load[i] - g->soft[i]);
  }
  *feasible = ok;
  return obj;
}

static void leaf(bctx *b) {
  if (++b->leaves > CPT_GAP_BRUTE_MAX_LEAVES) {
    b->too_big = 1;
    return;
  }
  int ok;
  double v = cpt_gap_brute_eval(b->g, b->x, b->y, &ok);
  if (ok && v < b->best) {
    b->best = v;
    memcpy(b->bx, b->x, (size_t)b->g->start[b->g->n] * sizeof *b->x);
    memcpy(b->by, b->y, (size_t)b->g->n * sizeof *b->y);
  }
}

/* Distribute `left` units of class j from candidate position k on. */
static void rec(bctx *b, int32_t j, int64_t k, int64_t left) {
  const cpt_gap *g = b->g;
  if (b->too_big)
    return;
  if (j == g->n) {
    leaf(b);
    return;
  }
  if (k == g->start[j + 1]) {
    if (left > 0 && !g->unassigned)
      return;
    b->y[j] = left;
    int64_t nn = j + 1 < g->n ? (g->count ? g->count[j + 1] : 1) : 0;
    rec(b, j + 1, g->start[j + 1], nn);
    b->y[j] = 0;
    return;
  }
  int32_t i = g->agent[k];
  for (int64_t q = 0; q <= left; q++) {
    if (b->load[i] + q * g->weight[k] > g->cap[i])
      break;
    b->x[k] = q;
    b->load[i] += q * g->weight[k];
    rec(b, j, k + 1, left - q);
    b->load[i] -= q * g->weight[k];
    b->x[k] = 0;
  }
}

int cpt_gap_brute(const cpt_gap *g, double *best, int64_t *x, int64_t *y) {
  if (g->m > 64)
    return -1;
  int64_t nnz = g->start[g->n];
  bctx b;
  memset(&b, 0, sizeof b);
  b.g = g;
  b.best = INFINITY;
  b.x = calloc((size_t)nnz + 1, sizeof *b.x);
  b.y = calloc((size_t)g->n + 1, sizeof *b.y);
  b.bx = calloc((size_t)nnz + 1, sizeof *b.bx);
  b.by = calloc((size_t)g->n + 1, sizeof *b.by);
  b.load = calloc((size_t)g->m + 1, sizeof *b.load);
  int rc = -1;
  if (b.x && b.y && b.bx && b.by && b.load) {
    if (g->n == 0)
      leaf(&b);
    else
      rec(&b, 0, g->start[0], g->count ? g->count[0] : 1);
    if (!b.too_big) {
      rc = 0;
      *best = b.best;
      if (x && isfinite(b.best))
        memcpy(x, b.bx, (size_t)nnz * sizeof *x);
      if (y && isfinite(b.best))
        memcpy(y, b.by, (size_t)g->n * sizeof *y);
    }
  }
  free(b.x);
  free(b.y);
  free(b.bx);
  free(b.by);
  free(b.load);
  return rc;
}
