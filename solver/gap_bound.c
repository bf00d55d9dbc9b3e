/*
 * gap_bound.c — Lagrangian lower bounds for the GAP core (see gap.h).
 *
 * Capacity dual.  Write each agent's load as a part up to s_i plus an
 * overflow o_i ∈ [0, b_i − s_i] charged p_i per unit (s_i = b_i, p_i = 0
 * without soft capacities) and relax load_i − o_i ≤ s_i with λ_i ≥ 0:
 *   L(λ) = Σ_j n_j·min(u_j, min_{k∈K(j)} c_k + λ_{a(k)}·w_k)
 *          − Σ_i [λ_i·s_i + max(0, λ_i − p_i)·(b_i − s_i)],
 * with subgradient g_i = Σ_{j→i} n_j·w_k − s_i − [λ_i > p_i]·(b_i − s_i).
 * One evaluation is one pass over the candidate entries, cut into 64
 * fixed chunks (OpenMP) whose partial sums are added in chunk order and
 * whose integer loads are added atomically, so the result does not depend
 * on the thread count.
 *
 * Assignment dual (plain GAP: every count 1, no unassigned option, no
 * soft capacity with a positive penalty).  Relaxing Σ_k x_k = 1 with free μ_j,
 *   L(μ) = Σ_j μ_j − Σ_i KP_i(μ),
 *   KP_i(μ) = max Σ_{k on i} (μ_j − c_k)·x_k  s.t.  Σ w_k·x_k ≤ b_i, x ∈ {0,1},
 * each knapsack solved exactly by dynamic programming over the capacity
 * (items with positive profit only; a bit table recovers the choice);
 * g_j = 1 − (number of agents taking j).  It starts from
 * μ_j = min_k c_k + λ_{a(k)}·w_k, where L(μ) ≥ L(λ) already (every profit
 * μ_j − c_k is at most λ_i·w_k, so KP_i ≤ λ_i·b_i).
 *
 * Both are maximized by a projected subgradient method: Polyak steps
 * t = θ·(T − L)/‖d‖² towards the target T (the best known upper bound, or
 * 1% above the best L while none is known), along d = 0.7·g + 0.3·d_prev
 * (a volume-style average of the subgradients), θ halved after 20
 * iterations without progress.  Any L is a valid bound: the best is kept.
 */
#include "gap_internal.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

#define CHUNKS 64
#ifndef OVERSHOOT
#define OVERSHOOT 0.01
#endif

typedef struct polyak {
  double theta, best, target_ub;
  int stall;
  double overshoot; /* target above the best L while no UB is known */
} polyak;

static double step_target(const polyak *s) {
  if (isfinite(s->target_ub) && s->target_ub > s->best)
    return s->target_ub;
  return s->best + fmax(1.0, fabs(s->best)) * s->overshoot;
}

/* Record L; returns 1 when it improved the best. */
static int polyak_update(polyak *s, double L) {
  if (isinf(s->best) || L > s->best + 1e-12 * fmax(1.0, fabs(s->best))) {
    s->best = L;
    s->stall = 0;
    return 1;
  }
  if (++s->stall >= 20) {
    s->theta *= 0.5;
    s->stall = 0;
  }
  return 0;
}

static int nthreads(const gap_ctx *c) {
  return c->threads < 1 ? 1 : c->threads;
}

/* L(λ) and the loads of the minimizing choice. */
static double eval_capacity(const gap_ctx *c, const double *lambda,
                            int64_t *load) {
  const cpt_gap *g = c->g;
  double part[CHUNKS];
  memset(load, 0, (size_t)g->m * sizeof *load);
  int32_t n = g->n;
#pragma omp parallel for schedule(static, 1) num_threads(nthreads(c)) \
    if (c->nnz > 200000)
  for (int ch = 0; ch < CHUNKS; ch++) {
    int32_t lo = (int32_t)((int64_t)n * ch / CHUNKS);
    int32_t hi = (int32_t)((int64_t)n * (ch + 1) / CHUNKS);
    double sum = 0.0;
    for (int32_t j = lo; j < hi; j++) {
      double best = g->unassigned ? g->unassigned[j] : INFINITY;
      int64_t bk = -1;
      for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
        double r = g->cost[k] + lambda[g->agent[k]] * (double)g->weight[k];
        if (r < best) {
          best = r;
          bk = k;
        }
      }
      int64_t cnt = CPT_GAP_COUNT(g, j);
      sum += best * (double)cnt;
      if (bk >= 0 && g->weight[bk] != 0) {
#pragma omp atomic
        load[g->agent[bk]] += g->weight[bk] * cnt;
      }
    }
    part[ch] = sum;
  }
  double L = 0.0;
  for (int ch = 0; ch < CHUNKS; ch++)
    L += part[ch];
  for (int32_t i = 0; i < g->m; i++) {
    double s = g->soft ? (double)g->soft[i] : (double)g->cap[i];
    double p = g->soft_pen && g->soft ? g->soft_pen[i] : 0.0;
    L -= lambda[i] * s + fmax(0.0, lambda[i] - p) * ((double)g->cap[i] - s);
  }
  return L;
}

long gap_bound_capacity(const gap_ctx *c, double ub, int iterations,
                        double deadline, double *lambda, double *bound,
                        int *cut_by_time) {
  const cpt_gap *g = c->g;
  size_t M = (size_t)g->m + 1;
  *cut_by_time = 0;
  for (int32_t j = 0; j < g->n; j++)
    if (g->start[j] == g->start[j + 1] && !g->unassigned) {
      *bound = INFINITY; /* a class with no option: infeasible */
      return 0;
    }
  int64_t *load = malloc(M * sizeof *load);
  double *lam = malloc(M * sizeof *lam), *d = calloc(M, sizeof *d);
  double *gr = malloc(M * sizeof *gr);
  if (!load || !lam || !d || !gr) {
    free(load);
    free(lam);
    free(d);
    free(gr);
    return -1;
  }
  memcpy(lam, lambda, (size_t)g->m * sizeof *lam);
  polyak ps = {2.0, -INFINITY, ub, 0, OVERSHOOT};
  long it = 0;
  for (; it < iterations; it++) {
    if (deadline > 0 && it > 0 && cpt_now_s() >= deadline) {
      *cut_by_time = 1;
      break;
    }
    double L = eval_capacity(c, lam, load);
    if (polyak_update(&ps, L))
      memcpy(lambda, lam, (size_t)g->m * sizeof *lam);
    if (isfinite(ub) && ps.best >= ub - 1e-9 * fmax(1.0, fabs(ub)))
      break;
    if (c->integer_obj && isfinite(ub) && gap_round_bound(c, ps.best) >= ub)
      break;
    double norm = 0.0, gnorm = 0.0;
    for (int32_t i = 0; i < g->m; i++) {
      double s = g->soft ? (double)g->soft[i] : (double)g->cap[i];
      double p = g->soft_pen && g->soft ? g->soft_pen[i] : 0.0;
      double o = lam[i] > p ? (double)g->cap[i] - s : 0.0;
      double gi = (double)load[i] - s - o;
      if (lam[i] <= 0 && gi < 0)
        gi = 0;
      gr[i] = gi;
      gnorm += gi * gi;
      d[i] = 0.7 * gi + 0.3 * d[i];
      norm += d[i] * d[i];
    }
    if (gnorm <= 0 || norm <= 0 || ps.theta < 1e-6)
      break; /* λ optimal (projected subgradient 0) or no progress */
    double t = ps.theta * (step_target(&ps) - L) / norm;
    for (int32_t i = 0; i < g->m; i++)
      lam[i] = fmax(0.0, lam[i] + t * d[i]);
  }
  *bound = ps.best;
  free(load);
  free(lam);
  free(d);
  free(gr);
  return it;
}

/* ------------------------------------------------------- assignment dual */

/* max Σ profit·x s.t. Σ w·x ≤ cap over the items of agent i with positive
 * profit; marks the chosen entries in take[k].  dp and keep are scratch
 * (cap + 1 doubles, items·(cap + 1) bits).  Returns the optimum, or NAN
 * when the scratch is too small (never with the sizes computed below). */
static double knapsack(const gap_ctx *c, int32_t i, const double *mu,
                       unsigned char *take, double *dp, unsigned char *keep,
                       int64_t *items) {
  const cpt_gap *g = c->g;
  int64_t cap = g->cap[i], ni = 0;
  double base = 0.0;
  for (int64_t t = c->astart[i]; t < c->astart[i + 1]; t++) {
    int64_t k = c->aent[t];
    take[k] = 0;
    double pr = mu[c->job[k]] - g->cost[k];
    if (pr <= 0 || g->weight[k] > cap)
      continue;
    if (g->weight[k] == 0) {
      take[k] = 1;
      base += pr;
      continue;
    }
    items[ni++] = k;
  }
  size_t row = (size_t)(cap + 1 + 7) / 8;
  for (int64_t q = 0; q <= cap; q++)
    dp[q] = 0.0;
  memset(keep, 0, row * (size_t)ni);
  for (int64_t t = 0; t < ni; t++) {
    int64_t k = items[t], w = g->weight[k];
    double pr = mu[c->job[k]] - g->cost[k];
    unsigned char *kb = keep + row * (size_t)t;
    for (int64_t q = cap; q >= w; q--)
      if (dp[q - w] + pr > dp[q]) {
        dp[q] = dp[q - w] + pr;
        kb[q >> 3] |= (unsigned char)(1u << (q & 7));
      }
  }
  int64_t q = cap;
  for (int64_t t = ni - 1; t >= 0; t--) {
    unsigned char *kb = keep + row * (size_t)t;
    if (kb[q >> 3] & (1u << (q & 7))) {
      take[items[t]] = 1;
      q -= g->weight[items[t]];
    }
  }
  return base + dp[cap];
}

long gap_bound_assignment(const gap_ctx *c, double ub, int iterations,
                          double deadline, const double *lambda,
                          double max_cells, double *bound, int *cut_by_time,
                          int *out_of_memory) {
  const cpt_gap *g = c->g;
  *bound = NAN;
  *cut_by_time = 0;
  *out_of_memory = 0;
  if (g->unassigned || c->soft || g->n == 0 || g->m == 0)
    return 0;
  if (g->count)
    for (int32_t j = 0; j < g->n; j++)
      if (g->count[j] != 1)
        return 0;
  double cells = 0.0;
  int64_t maxcap = 0, maxdeg = 0;
  for (int32_t i = 0; i < g->m; i++) {
    int64_t deg = c->astart[i + 1] - c->astart[i];
    cells += (double)deg * (double)(g->cap[i] + 1);
    if (g->cap[i] > maxcap)
      maxcap = g->cap[i];
    if (deg > maxdeg)
      maxdeg = deg;
  }
  if (cells > max_cells || maxcap > 100000000)
    return 0;
  for (int32_t j = 0; j < g->n; j++)
    if (g->start[j] == g->start[j + 1]) {
      *bound = INFINITY;
      return 0;
    }
  int nt = nthreads(c);
  size_t N = (size_t)g->n + 1, M = (size_t)g->m + 1;
  size_t row = (size_t)(maxcap + 1 + 7) / 8;
  double *mu = malloc(N * sizeof *mu), *d = calloc(N, sizeof *d);
  double *kp = malloc(M * sizeof *kp);
  int32_t *hits = malloc(N * sizeof *hits);
  unsigned char *take = malloc((size_t)c->nnz + 1);
  double **dp = calloc((size_t)nt, sizeof *dp);
  unsigned char **keep = calloc((size_t)nt, sizeof *keep);
  int64_t **items = calloc((size_t)nt, sizeof *items);
  long it = 0;
  int ok = mu && d && kp && hits && take && dp && keep && items;
  for (int t = 0; ok && t < nt; t++) {
    dp[t] = malloc(((size_t)maxcap + 1) * sizeof **dp);
    keep[t] = malloc(row * ((size_t)maxdeg + 1));
    items[t] = malloc(((size_t)maxdeg + 1) * sizeof **items);
    ok = dp[t] && keep[t] && items[t];
  }
  if (!ok) {
    *out_of_memory = 1;
    goto done;
  }
  for (int32_t j = 0; j < g->n; j++) {
    double best = INFINITY;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      best = fmin(best, g->cost[k] + (lambda ? lambda[g->agent[k]] : 0.0) *
                                         (double)g->weight[k]);
    mu[j] = best;
  }
  polyak ps = {1.0, -INFINITY, ub, 0, OVERSHOOT};
  for (; it < iterations; it++) {
    if (deadline > 0 && it > 0 && cpt_now_s() >= deadline) {
      *cut_by_time = 1;
      break;
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) if (cells > 1e6)
    for (int32_t i = 0; i < g->m; i++) {
      int t = omp_get_thread_num();
      kp[i] = knapsack(c, i, mu, take, dp[t], keep[t], items[t]);
    }
    double L = 0.0;
    for (int32_t j = 0; j < g->n; j++)
      L += mu[j];
    for (int32_t i = 0; i < g->m; i++)
      L -= kp[i];
    polyak_update(&ps, L);
    if (isfinite(ub) && ps.best >= ub - 1e-9 * fmax(1.0, fabs(ub)))
      break;
    if (c->integer_obj && isfinite(ub) && gap_round_bound(c, ps.best) >= ub)
      break;
    memset(hits, 0, (size_t)g->n * sizeof *hits);
    for (int64_t k = 0; k < c->nnz; k++)
      hits[c->job[k]] += take[k];
    double norm = 0.0, gnorm = 0.0;
    for (int32_t j = 0; j < g->n; j++) {
      gnorm += (1.0 - hits[j]) * (1.0 - hits[j]);
      d[j] = 0.7 * (1.0 - hits[j]) + 0.3 * d[j];
      norm += d[j] * d[j];
    }
    if (gnorm <= 0 || norm <= 0 || ps.theta < 1e-6)
      break;
    double t = ps.theta * (step_target(&ps) - L) / norm;
    for (int32_t j = 0; j < g->n; j++)
      mu[j] += t * d[j];
  }
  *bound = ps.best;
done:
  for (int t = 0; t < nt; t++) {
    if (dp)
      free(dp[t]);
    if (keep)
      free(keep[t]);
    if (items)
      free(items[t]);
  }
  free(dp);
  free(keep);
  free(items);
  free(mu);
  free(d);
  free(kp);
  free(hits);
  free(take);
  return it;
}

double gap_round_bound(const gap_ctx *c, double bound) {
  if (!c->integer_obj || !isfinite(bound))
    return bound;
  return ceil(bound - 1e-7 * fmax(1.0, fabs(bound)));
}
