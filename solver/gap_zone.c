/*
 * gap_zone.c — the local search of a whole solution, in parallel by zones
 * of agents (gap_zone_search, see gap_internal.h).
 *
 * The agents, in the order of gap_agent_order (component by component,
 * along the coordinate of larger spread: for the MT model, strips of the
 * territory), are cut into Z zones of about equal numbers of entries, Z
 * a function of the instance only (one zone per ZONE_NNZ entries, up to
 * ZONE_MAX, unless the caller sets Z).  Each class belongs to the zone holding
 * most of its placed units (none placed: the zone of its cheapest entry).  A
 * zone's local search (shifts and ejection chains, gap_local_search under the
 * zone restriction of gap_state) moves only its own classes, and only between
 * its own agents and the unassigned option, so two zones change disjoint
 * x, y and loads: each zone runs on its thread's copy of the incumbent,
 * records its changes and undoes them; the logs of the zones that
 * improved are then replayed on the incumbent and on every copy in zone
 * order, and their gains add up exactly.  The result does not depend on
 * the thread count.  Passes alternate between the cut and the cut shifted
 * by half a zone, so that agents on either side of a border share a zone
 * every other pass; they stop after two passes in a row without a gain,
 * on the deadline or on stop.  With Z = 1 (by default below 2·ZONE_NNZ
 * entries) it is the sequential local search over every class.
 */
#include "gap_internal.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define ZONE_NNZ 100000
#define ZONE_MAX 16

typedef struct zone_cut {
  int32_t *za[2];  /* m: zone of each agent, cut 0 and shifted cut 1 */
  int32_t nz[2];   /* zones of each cut */
  int32_t *zj;     /* n: zone of each class in the current pass */
  int32_t *zstart; /* nz + 1: classes of zone z at zlist[zstart[z] ..] */
  int32_t *zlist;  /* n */
  gap_log *logs;   /* nlogs = nz[1]: each zone's changes */
  int32_t nlogs;
  unsigned char *imp; /* nz: the zone improved */
} zone_cut;

static void zones_free(zone_cut *z) {
  free(z->za[0]);
  free(z->za[1]);
  free(z->zj);
  free(z->zstart);
  free(z->zlist);
  if (z->logs)
    for (int32_t t = 0; t < z->nlogs; t++)
      gap_log_free(&z->logs[t]);
  free(z->logs);
  free(z->imp);
}

/* The two cuts of the agent order into Z zones of about nnz/Z entries. */
static int zones_init(zone_cut *z, const gap_ctx *c, int32_t Z) {
  const cpt_gap *g = c->g;
  memset(z, 0, sizeof *z);
  size_t m1 = (size_t)g->m + 1, n1 = (size_t)g->n + 1;
  int32_t *order = malloc(m1 * sizeof *order);
  int32_t *comp_end = malloc(m1 * sizeof *comp_end);
  z->za[0] = malloc(m1 * sizeof *z->za[0]);
  z->za[1] = malloc(m1 * sizeof *z->za[1]);
  z->zj = malloc(n1 * sizeof *z->zj);
  z->zstart = calloc((size_t)Z + 2, sizeof *z->zstart);
  z->zlist = malloc(n1 * sizeof *z->zlist);
  z->logs = calloc((size_t)Z + 1, sizeof *z->logs);
  z->nlogs = z->logs ? Z + 1 : 0;
  z->imp = calloc((size_t)Z + 1, 1);
  int ok = order && comp_end && z->za[0] && z->za[1] && z->zj && z->zstart &&
           z->zlist && z->logs && z->imp &&
           gap_agent_order(c, order, comp_end) >= 0;
  free(comp_end);
  if (!ok) {
    free(order);
    zones_free(z);
    return -1;
  }
  double size = (double)c->nnz / Z;
  int64_t before = 0;
  for (int32_t q = 0; q < g->m; q++) {
    int32_t a = order[q];
    int32_t z0 = (int32_t)((double)before / size);
    int32_t z1 = (int32_t)(((double)before + 0.5 * size) / size);
    z->za[0][a] = z0 < Z ? z0 : Z - 1;
    z->za[1][a] = z1 < Z + 1 ? z1 : Z;
    before += c->astart[a + 1] - c->astart[a];
  }
  free(order);
  z->nz[0] = Z;
  z->nz[1] = Z + 1;
  return 0;
}

/* Each class's zone under agent zones za (see the file comment), and the
 * classes listed by zone. */
static void assign_classes(const gap_ctx *c, const gap_state *s, zone_cut *z,
                           const int32_t *za, int32_t nz) {
  const cpt_gap *g = c->g;
  memset(z->zstart, 0, ((size_t)nz + 1) * sizeof *z->zstart);
  for (int32_t j = 0; j < g->n; j++) {
    int32_t best = -1;
    int64_t best_units = 0;
    int64_t cheapest = -1;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      if (cheapest < 0 || g->cost[k] < g->cost[cheapest])
        cheapest = k;
      if (s->x[k] <= 0)
        continue;
      /* units of j in zone za[agent[k]]: summed over its entries there */
      int32_t zk = za[g->agent[k]];
      int64_t units = 0;
      for (int64_t t = g->start[j]; t < g->start[j + 1]; t++)
        if (za[g->agent[t]] == zk)
          units += s->x[t];
      if (units > best_units || (units == best_units && zk < best)) {
        best = zk;
        best_units = units;
      }
    }
    if (best < 0)
      best = cheapest >= 0 ? za[g->agent[cheapest]] : 0;
    z->zj[j] = best;
    z->zstart[best + 1]++;
  }
  for (int32_t t = 0; t < nz; t++)
    z->zstart[t + 1] += z->zstart[t];
  for (int32_t j = 0; j < g->n; j++)
    z->zlist[z->zstart[z->zj[j]]++] = j;
  for (int32_t t = nz; t > 0; t--)
    z->zstart[t] = z->zstart[t - 1];
  z->zstart[0] = 0;
}

/* One pass over the zones of cut `cut`; returns the number of zones whose
 * changes were applied to s. */
static int32_t zone_pass(const gap_ctx *c, gap_state *s, zone_cut *z, int cut,
                         gap_work *w, int nt, double deadline,
                         const atomic_int *stop) {
  const int32_t *za = z->za[cut];
  int32_t nz = z->nz[cut];
  assign_classes(c, s, z, za, nz);
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
  for (int32_t q = 0; q < nz; q++) {
    gap_work *wt = &w[omp_get_thread_num() % nt];
    gap_state *ws = &wt->s;
    gap_log *lg = &z->logs[q];
    gap_log_clear(lg);
    ws->log = lg;
    ws->zone_agent = za;
    ws->zone_job = z->zj;
    ws->zone = q;
    int32_t n = z->zstart[q + 1] - z->zstart[q];
    gap_local_search(c, wt, ws, z->zlist + z->zstart[q], n, n, deadline, stop);
    z->imp[q] = !lg->oom && gap_better(ws->excess, ws->obj, s->excess, s->obj);
    ws->log = NULL;
    gap_rewind(c, ws, lg);
    ws->zone_agent = ws->zone_job = NULL;
  }
  int32_t applied = 0;
  for (int32_t q = 0; q < nz; q++) {
    if (!z->imp[q])
      continue;
    gap_replay(c, s, &z->logs[q]);
    for (int t = 0; t < nt; t++)
      gap_replay(c, &w[t].s, &z->logs[q]);
    applied++;
  }
  return applied;
}

cpt_status gap_zone_search(const gap_ctx *c, gap_state *s, int threads,
                           int zones, double deadline, const atomic_int *stop) {
  int64_t Z = zones > 0 ? zones : c->nnz / ZONE_NNZ;
  if (Z > ZONE_MAX && zones <= 0)
    Z = ZONE_MAX;
  if (Z < 2) {
    gap_work w;
    if (gap_work_init(&w, c, NULL) != 0)
      return CPT_ENOMEM;
    gap_local_search(c, &w, s, NULL, 0, 0, deadline, stop);
    gap_work_free(&w);
    return CPT_OK;
  }
  zone_cut z;
  if (zones_init(&z, c, (int32_t)Z) != 0)
    return CPT_ENOMEM;
  int nt = threads < (int)Z ? threads : (int)Z;
  if (nt < 1)
    nt = 1;
  gap_work *w = calloc((size_t)nt, sizeof *w);
  cpt_status st = w ? CPT_OK : CPT_ENOMEM;
  for (int t = 0; t < nt && st == CPT_OK; t++)
    if (gap_work_init(&w[t], c, s) != 0)
      st = CPT_ENOMEM;
  int idle = 0;
  for (int pass = 0; st == CPT_OK && idle < 2 && !gap_timed_out(deadline, stop);
       pass++) {
    if (zone_pass(c, s, &z, pass & 1, w, nt, deadline, stop) > 0)
      idle = 0;
    else
      idle++;
  }
  if (w)
    for (int t = 0; t < nt; t++)
      gap_work_free(&w[t]);
  free(w);
  zones_free(&z);
  return st;
}
