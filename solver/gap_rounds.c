/*
 * gap_rounds.c — the parallel, deterministic improvement rounds of the GAP
 * core (gap_improve, see gap_internal.h).
 *
 * Each round runs U fixed work units (U = units_per_round, by default
 * 8·(1 + n/20000), 32·(1 + n/20000) with counts or an unassigned
 * option, up to 64: a function of the instance, never of the
 * thread count) over OpenMP,
 * one unit per iteration of a dynamic loop.  Unit u of round r seeds its
 * splitmix64 generator from (seed, r, u) and works on its thread's copy of
 * the incumbent, recording its changes: units u with u mod 4 ≠ 0 run a
 * GLPK sub-MIP over 2–3 agents and at most 240 columns for a plain GAP,
 * 3–6 agents and 2000 columns with counts or an unassigned option
 * (gap_lns_unit, when the LNS is on and the incumbent is feasible), the others a ruin and recreate of 4–60 classes
 * followed by local search.  The unit keeps its change log when it ends strictly
 * better than the incumbent in (E, objective), then undoes its changes.
 * The merge goes through the improving units by (E, objective, unit
 * index) and replays each log on the incumbent and on every thread's
 * copy unless it touches a class or an agent that an earlier replayed
 * log touched: units with disjoint classes and agents change disjoint
 * terms of the objective and disjoint loads, so their gains add up (on a
 * large instance most units of a round are merged).  Results therefore
 * depend on the seed and never on the thread count; the time limit is
 * checked between rounds only (and bounds each sub-MIP).
 *
 * The rounds stop on the deadline, the stop flag, max_rounds,
 * stall_rounds rounds without improvement, or once the incumbent is
 * feasible and within target_gap of the bound (or at the bound).
 */
#include "gap_internal.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "mip.h"
#include "rng.h"

#define ERRLEN 256

typedef struct unit_out {
  int improved, hit_limit, failed;
  int64_t excess;
  double obj;
  gap_log log;
  char err[ERRLEN];
} unit_out;

static int log_copy(gap_log *dst, const gap_log *src) {
  if (dst->cap < src->n) {
    gap_change *v = realloc(dst->v, (src->n + 1) * sizeof *v);
    if (!v)
      return -1;
    dst->v = v;
    dst->cap = src->n + 1;
  }
  if (src->n)
    memcpy(dst->v, src->v, src->n * sizeof *dst->v);
  dst->n = src->n;
  dst->oom = 0;
  return 0;
}

static int target_reached(const gap_run *r, const gap_state *s) {
  if (s->excess > 0 || !isfinite(r->bound))
    return 0;
  double gap = (s->obj - r->bound) / fmax(1.0, fabs(s->obj));
  return gap <= fmax(r->p->target_gap, 1e-9);
}

static void run_unit(const gap_run *r, gap_work *w, const gap_state *inc,
                     long round, int u, unit_out *out) {
  const gap_ctx *c = r->c;
  const cpt_gap_params *p = r->p;
  out->improved = out->hit_limit = out->failed = 0;
  uint64_t rng = p->seed ^ ((uint64_t)(round + 1) * 0x9E3779B97F4A7C15ULL) ^
                 ((uint64_t)(u + 1) * 0xBF58476D1CE4E5B9ULL);
  cpt_splitmix64(&rng);
  gap_log_clear(&w->log);
  w->s.log = &w->log;
  if (p->lns && (u % 4 != 0) && inc->excess == 0) {
    /* Plain GAP sub-MIPs are hard for GLPK beyond a few hundred binaries;
     * with counts (the MT model) the LP is nearly integral and larger
     * neighbourhoods pay. */
    int big = c->g->count != NULL || c->g->unassigned != NULL;
    int agents = (big ? 3 : 2) + (int)(cpt_splitmix64(&rng) % (big ? 4 : 2));
    int32_t max_cols = big ? 2000 : 240;
    double sub = 0.5;
    if (r->deadline > 0)
      sub = fmin(sub, fmax(0.05, r->deadline - cpt_now_s()));
    int rc = gap_lns_unit(c, w, &w->s, &rng, agents, max_cols, sub, p->stop,
                          &out->hit_limit, out->err, sizeof out->err);
    if (rc < 0)
      out->failed = 1;
  } else {
    int32_t size = 4 + (int32_t)(cpt_splitmix64(&rng) % 57);
    gap_ruin_recreate(c, w, &w->s, &rng, size, r->lambda, r->deadline,
                      p->stop);
  }
  out->excess = w->s.excess;
  out->obj = w->s.obj;
  if (!out->failed && !w->log.oom &&
      gap_better(w->s.excess, w->s.obj, inc->excess, inc->obj)) {
    if (log_copy(&out->log, &w->log) == 0)
      out->improved = 1;
  }
  gap_undo(c, &w->s, 0);
  w->s.log = NULL;
}

cpt_status gap_improve(const gap_run *r, gap_state *s, gap_run_stats *st,
                       char *err, size_t errsize) {
  const gap_ctx *c = r->c;
  const cpt_gap_params *p = r->p;
  FILE *log = p->log ? p->log : stderr;
  /* With counts or an unassigned option (the MT model) units are long
   * sub-MIPs of uneven length: more per round keep the threads busy. */
  int big = c->g->count != NULL || c->g->unassigned != NULL;
  int U = p->units_per_round > 0 ? p->units_per_round
                                 : (big ? 32 : 8) * (1 + c->g->n / 20000);
  if (U > 64 && p->units_per_round <= 0)
    U = 64;
  int nt = r->threads < U ? r->threads : U;
  if (nt < 1)
    nt = 1;
  int stall_max = p->stall_rounds > 0 ? p->stall_rounds
                  : r->deadline > 0   ? 0
                                      : 300;
  cpt_status status = CPT_OK;
  gap_work *w = calloc((size_t)nt, sizeof *w);
  unit_out *units = calloc((size_t)U, sizeof *units);
  int *order = malloc((size_t)U * sizeof *order);
  long *astamp = calloc((size_t)c->g->m + 1, sizeof *astamp);
  long *jstamp = calloc((size_t)c->g->n + 1, sizeof *jstamp);
  long stamp = 0;
  if (!w || !units || !order || !astamp || !jstamp) {
    free(w);
    free(units);
    free(order);
    free(astamp);
    free(jstamp);
    cpt_gap_set_err(err, errsize, "gap: out of memory");
    return CPT_ENOMEM;
  }
  for (int t = 0; t < nt; t++)
    if (gap_work_init(&w[t], c, s) != 0) {
      status = CPT_ENOMEM;
      cpt_gap_set_err(err, errsize, "gap: out of memory");
      goto done;
    }
  int stall = 0;
  for (;;) {
    long round = st->own_rounds; /* numbers every round of the solve */
    if (p->stop && atomic_load(p->stop)) {
      st->interrupted = 1;
      break;
    }
    if (r->deadline > 0 && cpt_now_s() >= r->deadline) {
      st->hit_time_limit = 1;
      break;
    }
    if ((p->max_rounds > 0 && st->own_rounds >= p->max_rounds) ||
        (stall_max > 0 && stall >= stall_max) || target_reached(r, s))
      break;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
    for (int u = 0; u < U; u++) {
      int t = omp_get_thread_num();
      run_unit(r, &w[t < nt ? t : 0], s, round, u, &units[u]);
    }
    st->rounds++;
    st->own_rounds++;
    int n_imp = 0;
    for (int u = 0; u < U; u++) {
      if (units[u].failed) {
        cpt_gap_set_err(err, errsize, "%s", units[u].err);
        status = CPT_EINTERNAL;
        goto done;
      }
      if (units[u].hit_limit && !(p->stop && atomic_load(p->stop)))
        st->sub_limit_hits++;
      if (units[u].improved)
        order[n_imp++] = u;
    }
    if (n_imp == 0) {
      stall++;
      continue;
    }
    /* insertion sort by (E, objective, unit) */
    for (int a = 1; a < n_imp; a++)
      for (int b = a; b > 0; b--) {
        const unit_out *x = &units[order[b]], *y = &units[order[b - 1]];
        if (!gap_better(x->excess, x->obj, y->excess, y->obj))
          break;
        int tmp = order[b];
        order[b] = order[b - 1];
        order[b - 1] = tmp;
      }
    stamp++;
    int merged = 0;
    for (int a = 0; a < n_imp; a++) {
      const gap_log *lg = &units[order[a]].log;
      int clash = 0;
      for (size_t t = 0; t < lg->n && !clash; t++) {
        const gap_change *ch = &lg->v[t];
        clash = jstamp[ch->j] == stamp ||
                (ch->k >= 0 && astamp[c->g->agent[ch->k]] == stamp);
      }
      if (clash)
        continue;
      for (size_t t = 0; t < lg->n; t++) {
        jstamp[lg->v[t].j] = stamp;
        if (lg->v[t].k >= 0)
          astamp[c->g->agent[lg->v[t].k]] = stamp;
      }
      gap_replay(c, s, lg);
      for (int t = 0; t < nt; t++)
        gap_replay(c, &w[t].s, lg);
      merged++;
    }
    stall = 0;
    st->improvements += merged;
    st->time_to_best = cpt_now_s() - r->t0;
    if (p->verbose) {
      if (s->excess > 0)
        fprintf(log, "* round %ld: overload = %lld, objective = %.10g, "
                     "time = %.2f s\n",
                round + 1, (long long)s->excess, s->obj, st->time_to_best);
      else
        fprintf(log, "* round %ld: objective = %.10g, gap = %.4f%%, "
                     "units merged = %d, time = %.2f s\n",
                round + 1, s->obj,
                isfinite(r->bound)
                    ? 100.0 * (s->obj - r->bound) / fmax(1.0, fabs(s->obj))
                    : INFINITY,
                merged, st->time_to_best);
    }
  }
done:
#pragma omp parallel num_threads(nt)
  cpt_mip_thread_done();
  for (int t = 0; t < nt; t++)
    gap_work_free(&w[t]);
  for (int u = 0; u < U; u++)
    gap_log_free(&units[u].log);
  free(w);
  free(units);
  free(order);
  free(astamp);
  free(jstamp);
  return status;
}
