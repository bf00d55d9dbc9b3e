/*
 * gap_heur.c — construction and local search for the GAP core (see
 * gap_internal.h).
 *
 * Construction: each class j gets the regret ρ_j = r_(2) − r_(1) of its
 * two cheapest options under the reduced costs r_k = c_k + λ_{a(k)}·w_k
 * (r = u_j for the unassigned option; ρ = ∞ with a single option); the
 * classes are placed in decreasing regret, each unit on the option with
 * room of least r_k + marginal soft penalty, or unassigned when that is
 * cheaper or nothing has room; with no unassigned option and no room, on
 * the option that overloads least (the local search then repairs).
 *
 * Local search compares (E, objective) lexicographically, E the total
 * overload.  Shift: move q units of a class between two of its options
 * (q ∈ {1, all, what fits under b_i, what stays under s_i}), best move
 * per class, passes until none improves.  Ejection chain of length two:
 * move one unit of class j1 to agent i2 even though it overloads i2 or
 * gains nothing alone, then move one unit of some class j2 off i2 to any
 * of its options (i1 included: a swap); the first improving pair is kept.
 * Classes on an agent are listed once per ejection pass (stale entries are
 * skipped), so a pass costs O(Σ_j1 deg(j1)·|on i2|·deg(j2)).
 *
 * Ruin and recreate: take the classes on a random agent and on a few
 * agents that share candidates with them (up to `size` classes), remove
 * all their units, rebuild them in random order on the cheapest marginal
 * options (reduced costs when λ is given, with probability 1/2), then run
 * the local search on them and on the classes of the agents touched (at
 * most 4·size + 64 classes in all; ejection chains from the rebuilt ones,
 * at most 4 passes).
 */
#include "gap_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "rng.h"

static double pen(const cpt_gap *g, int32_t i, int64_t L) {
  if (!g->soft || !g->soft_pen || L <= g->soft[i])
    return 0.0;
  return g->soft_pen[i] * (double)(L - g->soft[i]);
}

static int64_t ex(const cpt_gap *g, int32_t i, int64_t L) {
  return L > g->cap[i] ? L - g->cap[i] : 0;
}

static double unif(uint64_t *rng) {
  return (double)(cpt_splitmix64(rng) >> 11) * 0x1.0p-53;
}

/* Delta of moving q units of class j from option a to option b. */
static void move_delta(const gap_ctx *c, const gap_state *s, int32_t j,
                       int64_t a, int64_t b, int64_t q, int64_t *dE,
                       double *dO) {
  const cpt_gap *g = c->g;
  int64_t e = 0;
  double o = 0.0;
  if (a == CPT_GAP_NONE) {
    o -= g->unassigned ? g->unassigned[j] * (double)q : 0.0;
  } else {
    int32_t i = g->agent[a];
    int64_t L0 = s->load[i], L1 = L0 - g->weight[a] * q;
    o += -g->cost[a] * (double)q + pen(g, i, L1) - pen(g, i, L0);
    e += ex(g, i, L1) - ex(g, i, L0);
  }
  if (b == CPT_GAP_NONE) {
    o += g->unassigned ? g->unassigned[j] * (double)q : 0.0;
  } else {
    int32_t i = g->agent[b];
    int64_t L0 = s->load[i], L1 = L0 + g->weight[b] * q;
    o += g->cost[b] * (double)q + pen(g, i, L1) - pen(g, i, L0);
    e += ex(g, i, L1) - ex(g, i, L0);
  }
  *dE = e;
  *dO = o;
}

static int64_t amount(const gap_state *s, int32_t j, int64_t k) {
  return k == CPT_GAP_NONE ? s->y[j] : s->x[k];
}

static void apply_move(const gap_ctx *c, gap_state *s, int32_t j, int64_t a,
                       int64_t b, int64_t q) {
  gap_set(c, s, j, a, amount(s, j, a) - q);
  gap_set(c, s, j, b, amount(s, j, b) + q);
}

static int improving(int64_t dE, double dO, double tol) {
  return dE < 0 || (dE == 0 && dO < -tol);
}

static double tol_of(const gap_state *s) {
  return 1e-9 * fmax(1.0, fabs(s->obj));
}

/* Option k usable under s's zone restriction (gap_internal.h). */
static int in_zone(const gap_ctx *c, const gap_state *s, int64_t k) {
  return k == CPT_GAP_NONE || !s->zone_agent ||
         s->zone_agent[c->g->agent[k]] == s->zone;
}

/* The best improving shift of class j, applied.  Returns 1 if one was. */
static int shift_class(const gap_ctx *c, gap_state *s, int32_t j) {
  const cpt_gap *g = c->g;
  int64_t s0 = g->start[j], s1 = g->start[j + 1];
  int has_u = g->unassigned != NULL;
  double tol = tol_of(s);
  int64_t bE = 0, ba = 0, bb = 0, bq = 0;
  double bO = 0.0;
  int found = 0;
  for (int64_t a = s0 - 1; a < s1; a++) {
    int64_t ka = a < s0 ? CPT_GAP_NONE : a;
    int64_t xa = amount(s, j, ka);
    if (xa <= 0 || !in_zone(c, s, ka))
      continue;
    for (int64_t b = s0 - 1; b < s1; b++) {
      int64_t kb = b < s0 ? CPT_GAP_NONE : b;
      if (kb == ka || (kb == CPT_GAP_NONE && !has_u) || !in_zone(c, s, kb))
        continue;
      int64_t qs[4] = {1, xa, 0, 0};
      int nq = xa > 1 ? 2 : 1;
      if (xa > 1 && kb != CPT_GAP_NONE && g->weight[kb] > 0) {
        int32_t i = g->agent[kb];
        int64_t room = (g->cap[i] - s->load[i]) / g->weight[kb];
        if (room > 1 && room < xa)
          qs[nq++] = room;
        if (g->soft && s->load[i] < g->soft[i]) {
          int64_t sr = (g->soft[i] - s->load[i]) / g->weight[kb];
          if (sr > 1 && sr < xa)
            qs[nq++] = sr;
        }
      }
      for (int t = 0; t < nq; t++) {
        int64_t dE;
        double dO;
        move_delta(c, s, j, ka, kb, qs[t], &dE, &dO);
        if (!improving(dE, dO, tol))
          continue;
        if (!found || dE < bE || (dE == bE && dO < bO)) {
          found = 1;
          bE = dE, bO = dO, ba = ka, bb = kb, bq = qs[t];
        }
      }
    }
  }
  if (found)
    apply_move(c, s, j, ba, bb, bq);
  return found;
}

/* Per-agent lists of the entries in use (x > 0), CSR over agents. */
typedef struct on_agent {
  int64_t *start, *ent;
  double *bestd; /* per listed entry: cheapest objective change of moving
                    one unit to an option where it fits (at build time) */
} on_agent;

static int on_agent_build(const gap_ctx *c, const gap_state *s, on_agent *o) {
  const cpt_gap *g = c->g;
  int64_t used = 0;
  o->start = calloc((size_t)g->m + 2, sizeof *o->start);
  if (!o->start)
    return -1;
  for (int32_t i = 0; i < g->m; i++)
    if (!s->zone_agent || s->zone_agent[i] == s->zone)
      for (int64_t t = c->astart[i]; t < c->astart[i + 1]; t++)
        if (s->x[c->aent[t]] > 0) {
          o->start[i + 1]++;
          used++;
        }
  o->ent = malloc(((size_t)used + 1) * sizeof *o->ent);
  o->bestd = malloc(((size_t)used + 1) * sizeof *o->bestd);
  if (!o->ent || !o->bestd) {
    free(o->start);
    free(o->ent);
    free(o->bestd);
    return -1;
  }
  for (int32_t i = 0; i < g->m; i++)
    o->start[i + 1] += o->start[i];
  for (int32_t i = 0; i < g->m; i++) {
    int64_t f = o->start[i];
    if (s->zone_agent && s->zone_agent[i] != s->zone)
      continue;
    for (int64_t t = c->astart[i]; t < c->astart[i + 1]; t++) {
      int64_t k = c->aent[t];
      if (s->x[k] <= 0)
        continue;
      int32_t j = c->job[k];
      double best = INFINITY;
      for (int64_t b = g->start[j] - 1; b < g->start[j + 1]; b++) {
        int64_t kb = b < g->start[j] ? CPT_GAP_NONE : b;
        if (kb == k || (kb == CPT_GAP_NONE && !g->unassigned) ||
            !in_zone(c, s, kb))
          continue;
        int64_t dE;
        double dO;
        move_delta(c, s, j, k, kb, 1, &dE, &dO);
        if (dE <= 0 && dO < best)
          best = dO;
      }
      o->bestd[f] = best;
      o->ent[f++] = k;
    }
  }
  return 0;
}

/* The first improving ejection chain starting from class j1, applied. */
static int eject_class(const gap_ctx *c, gap_state *s, int32_t j1,
                       const on_agent *o) {
  const cpt_gap *g = c->g;
  int64_t s0 = g->start[j1], s1 = g->start[j1 + 1];
  double tol = tol_of(s);
  gap_log *save = s->log;
  for (int64_t a = s0 - 1; a < s1; a++) {
    int64_t ka = a < s0 ? CPT_GAP_NONE : a;
    if (amount(s, j1, ka) <= 0 || !in_zone(c, s, ka))
      continue;
    for (int64_t kb = s0; kb < s1; kb++) {
      if (kb == ka || !in_zone(c, s, kb))
        continue;
      int64_t dE1;
      double dO1;
      move_delta(c, s, j1, ka, kb, 1, &dE1, &dO1);
      if (!(dE1 < 0 || dO1 < -tol))
        continue;
      int32_t i2 = g->agent[kb];
      s->log = NULL;
      apply_move(c, s, j1, ka, kb, 1);
      int64_t hit2 = -1, hitb = 0;
      for (int64_t t = o->start[i2]; t < o->start[i2 + 1] && hit2 < 0; t++) {
        int64_t k2 = o->ent[t];
        int32_t j2 = c->job[k2];
        if (j2 == j1 || s->x[k2] <= 0 ||
            (s->zone_job && s->zone_job[j2] != s->zone))
          continue;
        int64_t back = ka == CPT_GAP_NONE ? -1 : gap_find(c, j2, g->agent[ka]);
        if (back >= 0) { /* swap */
          int64_t dE2;
          double dO2;
          move_delta(c, s, j2, k2, back, 1, &dE2, &dO2);
          if (improving(dE1 + dE2, dO1 + dO2, tol)) {
            hit2 = k2;
            hitb = back;
            break;
          }
        }
        if (o->bestd[t] + dO1 >= -tol && dE1 <= 0)
          continue; /* no move of j2 that fits is cheap enough */
        for (int64_t b2 = g->start[j2] - 1; b2 < g->start[j2 + 1]; b2++) {
          int64_t kb2 = b2 < g->start[j2] ? CPT_GAP_NONE : b2;
          if (kb2 == k2 || (kb2 == CPT_GAP_NONE && !g->unassigned) ||
              !in_zone(c, s, kb2))
            continue;
          int64_t dE2;
          double dO2;
          move_delta(c, s, j2, k2, kb2, 1, &dE2, &dO2);
          if (improving(dE1 + dE2, dO1 + dO2, tol)) {
            hit2 = k2;
            hitb = kb2;
            break;
          }
        }
      }
      apply_move(c, s, j1, kb, ka, 1);
      s->log = save;
      if (hit2 >= 0) {
        apply_move(c, s, j1, ka, kb, 1);
        apply_move(c, s, c->job[hit2], hit2, hitb, 1);
        return 1;
      }
    }
  }
  return 0;
}

int gap_timed_out(double deadline, const atomic_int *stop) {
  if (stop && atomic_load(stop))
    return 1;
  return deadline > 0 && cpt_now_s() >= deadline;
}

void gap_local_search(const gap_ctx *c, gap_work *w, gap_state *s,
                      const int32_t *list, int32_t n_list, int32_t n_eject,
                      double deadline, const atomic_int *stop) {
  const cpt_gap *g = c->g;
  int32_t nl = list ? n_list : g->n;
  int32_t ne = list ? (n_eject < nl ? n_eject : nl) : g->n;
  int zoned = s->zone_agent != NULL;
  int max_pass = list && !zoned ? 4 : 1000;
  for (int pass = 0; pass < max_pass; pass++) {
    int moved = 0;
    for (int32_t t = 0; t < nl; t++) {
      int32_t j = list ? list[t] : t;
      for (int r = 0; r < 8 && shift_class(c, s, j); r++)
        moved = 1;
      if ((t & 1023) == 1023 && gap_timed_out(deadline, stop))
        return;
    }
    if (moved)
      continue;
    if (!list || zoned || c->nnz <= 4000000) {
      on_agent o;
      if (on_agent_build(c, s, &o) != 0)
        return;
      for (int32_t t = 0; t < ne; t++) {
        int32_t j = list ? list[t] : t;
        if (eject_class(c, s, j, &o))
          moved = 1;
        if ((t & 255) == 255 && gap_timed_out(deadline, stop))
          break;
      }
      free(o.start);
      free(o.ent);
      free(o.bestd);
    }
    if (!moved || gap_timed_out(deadline, stop))
      return;
  }
  (void)w;
}

/* ---------------------------------------------------------- construction */

/* Place the r missing units of class j (see the file comment). */
static void place_units(const gap_ctx *c, gap_state *s, int32_t j, int64_t r,
                        const double *lambda, uint64_t *rng, double noise) {
  const cpt_gap *g = c->g;
  while (r > 0) {
    int64_t bk = -1, ok = -1;
    double bs = INFINITY;
    int64_t be = INT64_MAX;
    double bos = INFINITY;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      int32_t i = g->agent[k];
      int64_t w = g->weight[k], L = s->load[i];
      double sc = g->cost[k] + (lambda ? lambda[i] * (double)w
                                       : pen(g, i, L + w) - pen(g, i, L));
      if (rng && noise > 0)
        sc += noise * (2.0 * unif(rng) - 1.0) * fmax(1.0, fabs(sc));
      if (L + w <= g->cap[i]) {
        if (sc < bs) {
          bs = sc;
          bk = k;
        }
      } else {
        int64_t e = L + w - g->cap[i] - ex(g, i, L);
        if (e < be || (e == be && sc < bos)) {
          be = e;
          bos = sc;
          ok = k;
        }
      }
    }
    if (g->unassigned && (bk < 0 || g->unassigned[j] <= bs)) {
      gap_set(c, s, j, CPT_GAP_NONE, s->y[j] + r);
      return;
    }
    if (bk < 0) {
      if (ok < 0) { /* no option at all: left unplaced (infeasible) */
        gap_set(c, s, j, CPT_GAP_NONE, s->y[j] + r);
        return;
      }
      gap_set(c, s, j, ok, s->x[ok] + r);
      return;
    }
    int32_t i = g->agent[bk];
    int64_t w = g->weight[bk], q = r;
    if (w > 0) {
      int64_t room = (g->cap[i] - s->load[i]) / w;
      if (room < q)
        q = room;
      if (c->soft && s->load[i] < g->soft[i]) {
        int64_t sr = (g->soft[i] - s->load[i] + w - 1) / w;
        if (sr < q)
          q = sr;
      }
    }
    if (q < 1)
      q = 1;
    gap_set(c, s, j, bk, s->x[bk] + q);
    r -= q;
  }
}

typedef struct keyed {
  double key;
  int32_t j;
} keyed;

static int by_key_desc(const void *pa, const void *pb) {
  const keyed *a = pa, *b = pb;
  if (a->key != b->key)
    return a->key > b->key ? -1 : 1;
  return (a->j > b->j) - (a->j < b->j);
}

static double regret(const gap_ctx *c, int32_t j, const double *lambda) {
  const cpt_gap *g = c->g;
  double r1 = g->unassigned ? g->unassigned[j] : INFINITY, r2 = INFINITY;
  for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
    double r = g->cost[k] +
               (lambda ? lambda[g->agent[k]] * (double)g->weight[k] : 0.0);
    if (r < r1) {
      r2 = r1;
      r1 = r;
    } else if (r < r2) {
      r2 = r;
    }
  }
  return isfinite(r2) ? r2 - r1 : INFINITY;
}

/* Place the classes of order[0..n) in decreasing key order. */
static void place_in_order(const gap_ctx *c, gap_state *s, keyed *ord,
                           int32_t n, const double *lambda, uint64_t *rng,
                           double noise) {
  qsort(ord, (size_t)n, sizeof *ord, by_key_desc);
  for (int32_t t = 0; t < n; t++) {
    int32_t j = ord[t].j;
    int64_t r = gap_missing(c, s, j);
    if (r > 0)
      place_units(c, s, j, r, lambda, rng, noise);
  }
}

void gap_construct(const gap_ctx *c, gap_work *w, gap_state *s,
                   const double *lambda, uint64_t *rng, double noise) {
  const cpt_gap *g = c->g;
  (void)w;
  keyed *ord = malloc(((size_t)g->n + 1) * sizeof *ord);
  if (!ord) { /* degrade: class order */
    for (int32_t j = 0; j < g->n; j++)
      place_units(c, s, j, gap_missing(c, s, j), lambda, rng, noise);
    return;
  }
  for (int32_t j = 0; j < g->n; j++) {
    double k = regret(c, j, lambda);
    if (rng && noise > 0 && isfinite(k))
      k *= 1.0 + noise * (2.0 * unif(rng) - 1.0);
    ord[j] = (keyed){k, j};
  }
  place_in_order(c, s, ord, g->n, lambda, rng, noise);
  free(ord);
}

void gap_fill(const gap_ctx *c, gap_state *s, const double *lambda) {
  const cpt_gap *g = c->g;
  if (!g->unassigned)
    return;
  int32_t n = 0;
  for (int32_t j = 0; j < g->n; j++)
    n += s->y[j] > 0 && g->start[j] < g->start[j + 1];
  keyed *ord = malloc(((size_t)n + 1) * sizeof *ord);
  if (!ord)
    return; /* s stays as it is: feasible */
  n = 0;
  for (int32_t j = 0; j < g->n; j++) {
    if (s->y[j] <= 0 || g->start[j] == g->start[j + 1])
      continue;
    double best = INFINITY;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      best = fmin(best, g->cost[k] + (lambda ? lambda[g->agent[k]] : 0.0) *
                                         (double)g->weight[k]);
    double w =
        (double)(g->weight[g->start[j]] > 0 ? g->weight[g->start[j]] : 1);
    ord[n++] = (keyed){(g->unassigned[j] - best) / w, j};
  }
  qsort(ord, (size_t)n, sizeof *ord, by_key_desc);
  for (int32_t t = 0; t < n; t++) {
    int32_t j = ord[t].j;
    int64_t r = s->y[j];
    gap_set(c, s, j, CPT_GAP_NONE, 0);
    place_units(c, s, j, r, NULL, NULL, 0.0);
  }
  free(ord);
}

/* ------------------------------------------------------ ruin and recreate */

static void add_class(gap_work *w, int32_t *n, int32_t j) {
  if (!w->inq[j]) {
    w->inq[j] = 1;
    w->list[(*n)++] = j;
  }
}

static void add_agent(gap_work *w, int32_t *na, int32_t i) {
  if (!w->amark[i]) {
    w->amark[i] = 1;
    w->alist[(*na)++] = i;
  }
}

void gap_ruin_recreate(const gap_ctx *c, gap_work *w, gap_state *s,
                       uint64_t *rng, int32_t size, const double *lambda,
                       double deadline, const atomic_int *stop) {
  const cpt_gap *g = c->g;
  if (g->m == 0 || g->n == 0)
    return;
  int32_t nl = 0, na = 0, nseed = 0;
  /* Seed agents: a random one, then agents sharing candidates with the
   * classes taken so far, until `size` classes or 8 agents. */
  int32_t i = (int32_t)(cpt_splitmix64(rng) % (uint64_t)g->m);
  for (int tries = 0; tries < 64 && nseed < 8 && nl < size; tries++) {
    if (!w->amark[i]) {
      add_agent(w, &na, i);
      nseed++;
      for (int64_t t = c->astart[i]; t < c->astart[i + 1] && nl < size; t++) {
        int64_t k = c->aent[t];
        int32_t j = c->job[k];
        if (s->x[k] > 0 || s->y[j] > 0)
          add_class(w, &nl, j);
      }
    }
    if (nl == 0) {
      i = (int32_t)(cpt_splitmix64(rng) % (uint64_t)g->m);
      continue;
    }
    int32_t j = w->list[cpt_splitmix64(rng) % (uint64_t)nl];
    int64_t deg = g->start[j + 1] - g->start[j];
    if (deg == 0)
      break;
    i = g->agent[g->start[j] + (int64_t)(cpt_splitmix64(rng) % (uint64_t)deg)];
  }
  /* Ruin. */
  keyed *ord = malloc(((size_t)nl + 1) * sizeof *ord);
  for (int32_t t = 0; t < nl; t++) {
    int32_t j = w->list[t];
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      if (s->x[k] > 0) {
        add_agent(w, &na, g->agent[k]);
        gap_set(c, s, j, k, 0);
      }
    gap_set(c, s, j, CPT_GAP_NONE, 0);
  }
  /* Recreate. */
  const double *lam = (cpt_splitmix64(rng) & 1) ? lambda : NULL;
  if (ord) {
    for (int32_t t = 0; t < nl; t++)
      ord[t] = (keyed){unif(rng), w->list[t]};
    place_in_order(c, s, ord, nl, lam, rng, 0.05);
    free(ord);
  } else {
    for (int32_t t = 0; t < nl; t++)
      place_units(c, s, w->list[t], gap_missing(c, s, w->list[t]), lam, rng,
                  0.05);
  }
  /* Local search: shifts on the rebuilt classes and the classes of the
   * agents touched, ejection chains from the rebuilt classes. */
  int32_t n_rebuilt = nl, cap_list = 4 * nl + 64;
  for (int32_t a = 0; a < na && nl < cap_list; a++) {
    int32_t ag = w->alist[a];
    for (int64_t t = c->astart[ag]; t < c->astart[ag + 1] && nl < cap_list; t++)
      if (s->x[c->aent[t]] > 0)
        add_class(w, &nl, c->job[c->aent[t]]);
  }
  for (int32_t a = 0; a < na; a++)
    w->amark[w->alist[a]] = 0;
  for (int32_t t = 0; t < nl; t++)
    w->inq[w->list[t]] = 0;
  gap_local_search(c, w, s, w->list, nl, n_rebuilt, deadline, stop);
}
