/*
 * gap_split.c — regional decomposition of large GAP instances
 * (gap_split_solve, see gap_internal.h).
 *
 * When the instance has more candidate entries than region_nnz (default
 * 4,000,000; −1 never splits), the agents are ordered component by
 * component of the agent–job graph (components in order of their smallest
 * agent; inside a component along the coordinate of agent_xy with the
 * larger spread when given, else in breadth-first order from its smallest
 * agent), and that order is cut into regions of about region_nnz entries
 * each (a small component never straddles two regions unless it alone
 * passes the size).  Each job class goes to the region of its cheapest
 * candidate and keeps only its candidates inside that region, so a
 * region's solution is feasible for the whole instance (capacities are
 * per agent and every agent lies in exactly one region).
 *
 * The regions are solved as independent cpt_gap instances, in parallel
 * (OpenMP, one region per iteration of a dynamic loop, each with one
 * thread, its own seed derived from (seed, region) and its share of half
 * of the remaining time, ⌈regions/threads⌉ regions running one after the
 * other on each thread; a region is built, solved, copied into the whole
 * solution and freed in its iteration, so at most `threads` sub-instances
 * exist at once); the whole solution is
 * then repaired across the borders by the local search on every class
 * (shifts and ejection chains over the full candidate lists, for at most
 * 15% of the time left), and the
 * caller's improvement rounds continue on the whole instance.  If some
 * region finds no feasible solution, the split is abandoned (regions = 1)
 * and the caller builds a start on the whole instance.
 */
#include "gap_internal.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "mip.h"

typedef struct keyed_agent {
  double key;
  int32_t a;
} keyed_agent;

static int by_key(const void *pa, const void *pb) {
  const keyed_agent *a = pa, *b = pb;
  if (a->key != b->key)
    return a->key < b->key ? -1 : 1;
  return (a->a > b->a) - (a->a < b->a);
}

/* See gap_internal.h. */
int32_t gap_agent_order(const gap_ctx *c, int32_t *order, int32_t *comp_end) {
  const cpt_gap *g = c->g;
  unsigned char *seen_a = calloc((size_t)g->m + 1, 1);
  unsigned char *seen_j = calloc((size_t)g->n + 1, 1);
  keyed_agent *tmp = malloc(((size_t)g->m + 1) * sizeof *tmp);
  if (!seen_a || !seen_j || !tmp) {
    free(seen_a);
    free(seen_j);
    free(tmp);
    return -1;
  }
  int32_t n_order = 0, n_comp = 0;
  for (int32_t a0 = 0; a0 < g->m; a0++) {
    if (seen_a[a0])
      continue;
    int32_t head = n_order;
    order[n_order++] = a0;
    seen_a[a0] = 1;
    for (int32_t q = head; q < n_order; q++) {
      int32_t a = order[q];
      for (int64_t t = c->astart[a]; t < c->astart[a + 1]; t++) {
        int32_t j = c->job[c->aent[t]];
        if (seen_j[j])
          continue;
        seen_j[j] = 1;
        for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
          if (!seen_a[g->agent[k]]) {
            seen_a[g->agent[k]] = 1;
            order[n_order++] = g->agent[k];
          }
      }
    }
    if (g->agent_xy && n_order - head > 1) {
      double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
      for (int32_t q = head; q < n_order; q++)
        for (int d = 0; d < 2; d++) {
          lo[d] = fmin(lo[d], g->agent_xy[2 * order[q] + d]);
          hi[d] = fmax(hi[d], g->agent_xy[2 * order[q] + d]);
        }
      int d = hi[1] - lo[1] > hi[0] - lo[0];
      for (int32_t q = head; q < n_order; q++)
        tmp[q - head] = (keyed_agent){g->agent_xy[2 * order[q] + d], order[q]};
      qsort(tmp, (size_t)(n_order - head), sizeof *tmp, by_key);
      for (int32_t q = head; q < n_order; q++)
        order[q] = tmp[q - head].a;
    }
    comp_end[n_comp++] = n_order;
  }
  free(seen_a);
  free(seen_j);
  free(tmp);
  return n_comp;
}

typedef struct region {
  cpt_gap *g;
  int32_t *jglob;  /* local class → global class */
  int64_t *kglob;  /* local entry → global entry */
  cpt_gap_result res; /* its arrays are freed at once */
  cpt_status st;
  int has_sol;
  char err[256];
} region;

/* Build region r's instance from the agents with reg[a] = r and the
 * classes with jreg[j] = r. */
static int build_region(const gap_ctx *c, const int32_t *reg,
                        const int32_t *jreg, int32_t r, int32_t *aloc,
                        region *R) {
  const cpt_gap *g = c->g;
  int32_t m = 0, n = 0;
  int64_t nnz = 0;
  for (int32_t a = 0; a < g->m; a++)
    aloc[a] = reg[a] == r ? m++ : -1;
  for (int32_t j = 0; j < g->n; j++)
    if (jreg[j] == r) {
      n++;
      for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
        nnz += reg[g->agent[k]] == r;
    }
  R->g = cpt_gap_new(m, n, nnz, g->soft != NULL, g->count != NULL,
                     g->unassigned != NULL, g->agent_xy != NULL);
  R->jglob = malloc(((size_t)n + 1) * sizeof *R->jglob);
  R->kglob = malloc(((size_t)nnz + 1) * sizeof *R->kglob);
  if (!R->g || !R->jglob || !R->kglob)
    return -1;
  cpt_gap *h = R->g;
  for (int32_t a = 0; a < g->m; a++) {
    int32_t i = aloc[a];
    if (i < 0)
      continue;
    h->cap[i] = g->cap[a];
    if (g->soft) {
      h->soft[i] = g->soft[a];
      h->soft_pen[i] = g->soft_pen ? g->soft_pen[a] : 0.0;
    }
    if (g->agent_xy) {
      h->agent_xy[2 * i] = g->agent_xy[2 * a];
      h->agent_xy[2 * i + 1] = g->agent_xy[2 * a + 1];
    }
  }
  int32_t jl = 0;
  int64_t kl = 0;
  for (int32_t j = 0; j < g->n; j++) {
    if (jreg[j] != r)
      continue;
    h->start[jl] = kl;
    if (g->count)
      h->count[jl] = g->count[j];
    if (g->unassigned)
      h->unassigned[jl] = g->unassigned[j];
    R->jglob[jl++] = j;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      if (reg[g->agent[k]] == r) {
        h->agent[kl] = aloc[g->agent[k]];
        h->cost[kl] = g->cost[k];
        h->weight[kl] = g->weight[k];
        R->kglob[kl++] = k;
      }
  }
  h->start[n] = kl;
  return 0;
}

cpt_status gap_split_solve(const gap_run *r, gap_state *s, int *regions,
                           gap_run_stats *st, char *err, size_t errsize) {
  const gap_ctx *c = r->c;
  const cpt_gap *g = c->g;
  const cpt_gap_params *p = r->p;
  *regions = 1;
  int64_t limit = p->region_nnz == 0 ? 4000000 : p->region_nnz;
  if (limit < 0 || c->nnz <= limit || g->m < 2)
    return CPT_OK;
  cpt_status status = CPT_OK;
  int32_t *order = malloc(((size_t)g->m + 1) * sizeof *order);
  int32_t *comp_end = malloc(((size_t)g->m + 1) * sizeof *comp_end);
  int32_t *reg = malloc(((size_t)g->m + 1) * sizeof *reg);
  int32_t *jreg = malloc(((size_t)g->n + 1) * sizeof *jreg);
  region *R = NULL;
  int32_t nr = 0;
  if (!order || !comp_end || !reg || !jreg)
    goto nomem;
  int32_t nc = gap_agent_order(c, order, comp_end);
  if (nc < 0)
    goto nomem;
  /* Cut the order into regions of about `limit` entries; a component
   * starts a new region when it would not fit in the current one. */
  int64_t fill = 0;
  int32_t q = 0;
  for (int32_t ci = 0; ci < nc; ci++) {
    int64_t size = 0;
    for (int32_t t = q; t < comp_end[ci]; t++)
      size += c->astart[order[t] + 1] - c->astart[order[t]];
    if (fill > 0 && fill + size > limit) {
      nr++;
      fill = 0;
    }
    for (; q < comp_end[ci]; q++) {
      int64_t d = c->astart[order[q] + 1] - c->astart[order[q]];
      if (fill > 0 && fill + d > limit) {
        nr++;
        fill = 0;
      }
      reg[order[q]] = nr;
      fill += d;
    }
  }
  nr++;
  if (nr < 2)
    goto cleanup;
  for (int32_t j = 0; j < g->n; j++) {
    int64_t best = -1;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++)
      if (best < 0 || g->cost[k] < g->cost[best] ||
          (g->cost[k] == g->cost[best] && g->agent[k] < g->agent[best]))
        best = k;
    jreg[j] = best < 0 ? 0 : reg[g->agent[best]];
  }
  R = calloc((size_t)nr, sizeof *R);
  if (!R)
    goto nomem;
  double sub_limit = 0.0;
  if (r->deadline > 0)
    sub_limit = fmax(0.01, 0.5 * (r->deadline - cpt_now_s()) /
                               ceil((double)nr / (double)r->threads));
  if (p->verbose)
    fprintf(p->log ? p->log : stderr,
            "gap split: %d regions, %.2f s each at most\n", (int)nr,
            sub_limit);
  /* Each region is built, solved, written into s (regions own disjoint
   * classes and entries) and freed inside its iteration, so that only
   * `threads` regions are in memory at once. */
#pragma omp parallel for schedule(dynamic, 1) num_threads(r->threads)
  for (int32_t t = 0; t < nr; t++) {
    region *Rt = &R[t];
    int32_t *al = malloc(((size_t)g->m + 1) * sizeof *al);
    if (!al || build_region(c, reg, jreg, t, al, Rt) != 0) {
      Rt->st = CPT_ENOMEM;
      snprintf(Rt->err, sizeof Rt->err, "gap split: out of memory");
    } else {
      cpt_gap_params sp = *p;
      /* the region starts from the whole instance's multipliers */
      double *l0 = r->lambda ? malloc(((size_t)Rt->g->m + 1) * sizeof *l0)
                             : NULL;
      if (l0)
        for (int32_t a = 0; a < g->m; a++)
          if (al[a] >= 0)
            l0[al[a]] = r->lambda[a];
      sp.lambda0 = l0;
      sp.threads = 1;
      sp.seed = p->seed ^ ((uint64_t)(t + 1) * 0xD1B54A32D192ED03ULL);
      sp.time_limit_s = sub_limit;
      sp.region_nnz = -1;
      sp.start = NULL;
      sp.verbose = 0;
      Rt->st = cpt_gap_solve(Rt->g, &sp, &Rt->res, Rt->err, sizeof Rt->err);
      free(l0);
      cpt_mip_thread_done();
    }
    if (Rt->st == CPT_OK && Rt->res.sol.x) {
      const cpt_gap *h = Rt->g;
      for (int32_t jl = 0; jl < h->n; jl++) {
        int32_t j = Rt->jglob[jl];
        if (Rt->res.sol.y)
          s->y[j] = Rt->res.sol.y[jl];
        for (int64_t kl = h->start[jl]; kl < h->start[jl + 1]; kl++)
          s->x[Rt->kglob[kl]] = Rt->res.sol.x[kl];
      }
    }
    cpt_gap_result_free(&Rt->res);
    Rt->has_sol = Rt->st == CPT_OK && Rt->res.status != CPT_SOLVE_NOSOLUTION;
    cpt_gap_free(Rt->g);
    free(Rt->jglob);
    free(Rt->kglob);
    Rt->g = NULL;
    Rt->jglob = NULL;
    Rt->kglob = NULL;
    free(al);
  }
  int all_ok = 1;
  for (int32_t t = 0; t < nr; t++) {
    if (R[t].st != CPT_OK) {
      status = R[t].st;
      cpt_gap_set_err(err, errsize, "%s", R[t].err);
      goto cleanup;
    }
    st->rounds += R[t].res.lns_rounds;
    st->sub_limit_hits += R[t].res.hit_time_limit;
    all_ok &= R[t].has_sol;
  }
  if (!all_ok) {
    if (p->verbose)
      fprintf(p->log ? p->log : stderr,
              "gap split: a region found no solution, solving whole\n");
    memset(s->x, 0, (size_t)c->nnz * sizeof *s->x);
    memset(s->y, 0, (size_t)g->n * sizeof *s->y);
    gap_state_recompute(s, c);
    goto cleanup;
  }
  gap_state_recompute(s, c);
  *regions = (int)nr;
  if (p->verbose)
    fprintf(p->log ? p->log : stderr,
            "gap split: merged objective = %.10g, time = %.2f s\n", s->obj,
            cpt_now_s() - r->t0);
  gap_work w;
  if (gap_work_init(&w, c, NULL) != 0)
    goto nomem;
  double ls_end = 0.0;
  if (r->deadline > 0)
    ls_end = cpt_now_s() + 0.15 * fmax(0.0, r->deadline - cpt_now_s());
  gap_local_search(c, &w, s, NULL, 0, 0, ls_end, p->stop);
  gap_work_free(&w);
  goto cleanup;
nomem:
  status = CPT_ENOMEM;
  cpt_gap_set_err(err, errsize, "gap split: out of memory");
cleanup:
  if (R)
    for (int32_t t = 0; t < nr; t++) {
      cpt_gap_result_free(&R[t].res);
      cpt_gap_free(R[t].g);
      free(R[t].jglob);
      free(R[t].kglob);
    }
  free(R);
  free(order);
  free(comp_end);
  free(reg);
  free(jreg);
  return status;
}
