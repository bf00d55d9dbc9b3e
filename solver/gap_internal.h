/*
 * gap_internal.h — what the files of the GAP core share (gap.c,
 * gap_state.c, gap_bound.c, gap_flow.c, gap_heur.c, gap_lns.c,
 * gap_lp.c, gap_rounds.c, gap_split.c, gap_zone.c, gap_solve.c); not part
 * of the library's API.
 *
 * A working solution (gap_state) keeps x, y, the agents' loads, its
 * objective and its infeasibility E = Σ_i max(0, load_i − b_i), all
 * updated incrementally by gap_set.  Solutions are compared
 * lexicographically on (E, objective), so the same local search repairs
 * an overloaded construction and then improves a feasible one.  When a
 * state has a log, every change is recorded (old and new value): a work
 * unit applies its moves to its thread's copy of the incumbent, hands its
 * log to the merge and undoes it; the winning log is then replayed on the
 * incumbent and on every copy, so no copy of the whole solution is made
 * per unit.
 */
#ifndef CPT_GAP_INTERNAL_H
#define CPT_GAP_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "gap.h"

#define CPT_GAP_COUNT(g, j) ((g)->count ? (g)->count[j] : (int64_t)1)
#define CPT_GAP_NONE ((int64_t)-1) /* the "unassigned" option */

void cpt_gap_set_err(char *err, size_t errsize, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Read-only data derived from the instance, shared by all threads. */
typedef struct gap_ctx {
  const cpt_gap *g;
  int64_t nnz;
  int32_t *job;    /* nnz: job class of each entry */
  int64_t *astart; /* m + 1: agent i's entries are aent[astart[i] ..] */
  int64_t *aent;   /* nnz */
  int64_t *sorted; /* nnz: each class's entries ordered by agent */
  int soft;        /* soft capacities with a positive penalty exist */
  int integer_obj; /* every cost, penalty and unassigned cost integral */
  int threads;     /* for the parallel loops of the bounds (≥ 1) */
} gap_ctx;

int gap_ctx_init(gap_ctx *c, const cpt_gap *g); /* 0, or −1 out of memory */
void gap_ctx_free(gap_ctx *c);
/* Entry of class j on agent a, or −1. */
int64_t gap_find(const gap_ctx *c, int32_t j, int32_t a);

typedef struct gap_change {
  int64_t k; /* entry, or CPT_GAP_NONE for y_j */
  int32_t j;
  int64_t from, to;
} gap_change;

typedef struct gap_log {
  gap_change *v;
  size_t n, cap;
  int oom; /* an append failed: the log is incomplete */
} gap_log;

typedef struct gap_state {
  int64_t *x, *y, *load;
  double obj;
  int64_t excess;
  gap_log *log; /* NULL = not recorded */
  /* Zone restriction of the local search (gap_zone.c), NULL = none: only
   * the classes j with zone_job[j] = zone move, and only between the
   * unassigned option and agents a with zone_agent[a] = zone. */
  const int32_t *zone_agent, *zone_job;
  int32_t zone;
} gap_state;

/* All zero (every job unplaced: not a solution until filled). */
int gap_state_init(gap_state *s, const gap_ctx *c);
void gap_state_free(gap_state *s);
void gap_state_copy(gap_state *dst, const gap_state *src, const gap_ctx *c);
void gap_state_recompute(gap_state *s, const gap_ctx *c);
/* Set x_k (or y_j when k = CPT_GAP_NONE) to v, updating everything. */
void gap_set(const gap_ctx *c, gap_state *s, int32_t j, int64_t k, int64_t v);
/* Units of class j not placed anywhere (n_j − Σ x − y). */
int64_t gap_missing(const gap_ctx *c, const gap_state *s, int32_t j);
/* Undo the changes of s->log from position `from` on, and truncate. */
void gap_undo(const gap_ctx *c, gap_state *s, size_t from);
/* Apply a log recorded on an identical state. */
void gap_replay(const gap_ctx *c, gap_state *s, const gap_log *log);
/* Undo a log just recorded on s, keeping the log (s->log must not be it). */
void gap_rewind(const gap_ctx *c, gap_state *s, const gap_log *log);
void gap_log_clear(gap_log *l);
void gap_log_free(gap_log *l);
/* (e1, o1) strictly better than (e2, o2) (objective beyond 1e-9 rel.). */
int gap_better(int64_t e1, double o1, int64_t e2, double o2);

/* One thread's scratch space for the heuristics. */
typedef struct gap_work {
  gap_state s;
  gap_log log;
  unsigned char *inq;   /* n: class listed in `list` (cleared after use) */
  int32_t *list;        /* n */
  unsigned char *amark; /* m: agent listed in `alist` (cleared after use) */
  int32_t *alist;       /* m */
} gap_work;

int gap_work_init(gap_work *w, const gap_ctx *c, const gap_state *inc);
void gap_work_free(gap_work *w);

/* gap_heur.c */
/* Fill an empty state: classes in decreasing regret of the reduced costs
 * c_k + λ_i·w_k (λ may be NULL), perturbed by noise·U(−1, 1) relative
 * when rng is given; each unit goes to the cheapest option with room,
 * or, when none has room and there is no unassigned option, to the
 * option that overloads least. */
void gap_construct(const gap_ctx *c, gap_work *w, gap_state *s,
                   const double *lambda, uint64_t *rng, double noise);
/* Place the unassigned units of a feasible state where they gain: classes
 * in decreasing (u_j − min_k r_k)/w_j (reduced costs r under λ, NULL =
 * 0), each unit on its cheapest marginal option with room when that beats
 * u_j.  O(entries of those classes); stays feasible. */
void gap_fill(const gap_ctx *c, gap_state *s, const double *lambda);
/* The stop flag is set or the deadline (cpt_now_s, 0 = none) passed. */
int gap_timed_out(double deadline, const atomic_int *stop);
/* Local search (shifts of the classes in list, NULL = all; then
 * ejection chains of length two, of which swaps are a case, from the
 * first n_eject of them), until no move improves (E, objective), the
 * deadline (cpt_now_s, 0 = none) or stop.  With a list it makes at most
 * 4 passes (and no ejection chains beyond 4 M entries) unless s has a
 * zone restriction, which it honours. */
void gap_local_search(const gap_ctx *c, gap_work *w, gap_state *s,
                      const int32_t *list, int32_t n_list, int32_t n_eject,
                      double deadline, const atomic_int *stop);
/* Ruin about `size` classes around a random agent and rebuild them
 * (cheapest marginal option, randomized order), then local search. */
void gap_ruin_recreate(const gap_ctx *c, gap_work *w, gap_state *s,
                       uint64_t *rng, int32_t size, const double *lambda,
                       double deadline, const atomic_int *stop);

/* gap_bound.c */
/* Capacity dual: lambda (m values, in: start, out: best) and the best
 * L(λ).  iterations ≥ 1; deadline 0 = none.  Returns iterations run. */
long gap_bound_capacity(const gap_ctx *c, double ub, int iterations,
                        double deadline, double *lambda, double *bound,
                        int *cut_by_time);
/* Assignment dual (plain GAP only: every count 1, no unassigned option,
 * no soft capacity with a positive penalty): NAN when not applicable or too
 * large (the DP tables would pass max_cells).  Returns iterations run (0 when
 * not run). */
long gap_bound_assignment(const gap_ctx *c, double ub, int iterations,
                          double deadline, const double *lambda,
                          double max_cells, double *bound, int *cut_by_time,
                          int *out_of_memory);
/* Round a bound up to the next integer when the objective is integral. */
double gap_round_bound(const gap_ctx *c, double bound);

/* gap_flow.c */
/* 1 when there is an unassigned option and every class's candidates share
 * one weight w_j ≥ 1 (the MT model: household sizes): the capacity
 * relaxation is then a transportation problem in units of weight. */
int gap_flow_applicable(const cpt_gap *g);
/* Solve it by the network simplex with pricing (see gap_flow.c) until
 * deadline (cpt_now_s, 0 = none) or stop, a line per network on log when
 * not NULL: lambda (m values) = the agents'
 * duals, an optimal λ of the capacity Lagrangian when *exact is set
 * (evaluate L(λ) for the bound); s, if non-NULL, = the flow rounded down
 * to whole jobs, the rest unassigned (feasible).  1 when at least one
 * network was solved (*exact: the last one is the full optimum), 0 when
 * none was (lambda and s untouched), −1 out of memory. */
int gap_flow_relax(const gap_ctx *c, double deadline, const atomic_int *stop,
                   FILE *log, double *lambda, gap_state *s, int *exact);

/* gap_lns.c */
/* A GLPK sub-MIP over a few agents that share candidate classes, around
 * a random agent, applied to s when it improves it.  Returns 1 when it
 * did, 0 when not, −1 on error (err filled).  *hit_limit is set when the
 * sub-MIP stopped on its time limit. */
int gap_lns_unit(const gap_ctx *c, gap_work *w, gap_state *s, uint64_t *rng,
                 int agents, int32_t max_cols, double sub_time_s,
                 const atomic_int *stop, int *hit_limit, char *err,
                 size_t errsize);

/* gap_solve.c */
typedef struct gap_run {
  const gap_ctx *c;
  const cpt_gap_params *p;
  const double *lambda; /* may be NULL */
  double t0, deadline;  /* cpt_now_s; deadline 0 = none */
  double bound;         /* for the target gap; −INFINITY if unknown */
  int threads;
} gap_run;

typedef struct gap_run_stats {
  long rounds, improvements; /* rounds: including the regions' */
  long own_rounds;           /* rounds on the whole instance (max_rounds) */
  int hit_time_limit, interrupted;
  long sub_limit_hits; /* sub-MIPs stopped by their time limit */
  double time_to_best;
} gap_run_stats;

/* The improvement rounds on s (a filled state). */
cpt_status gap_improve(const gap_run *r, gap_state *s, gap_run_stats *st,
                       char *err, size_t errsize);

/* gap_zone.c */
/* Local search of the whole of s (shifts and ejection chains) by zones
 * of agents in parallel, deterministic whatever `threads` (see
 * gap_zone.c), until no move improves, the deadline or stop.  zones: 0 =
 * by the instance's size, else that many (1 = sequential). */
cpt_status gap_zone_search(const gap_ctx *c, gap_state *s, int threads,
                           int zones, double deadline,
                           const atomic_int *stop);

/* gap_split.c */
/* Agents in component-then-BFS (or coordinate) order into order[] (m);
 * comp_end[c] marks where component c ends.  Returns the number of
 * components, or −1 when out of memory. */
int32_t gap_agent_order(const gap_ctx *c, int32_t *order, int32_t *comp_end);
/* Solve by regions when the instance is large enough (see gap.h); fills s
 * and *regions (1 = not split, s untouched). */
cpt_status gap_split_solve(const gap_run *r, gap_state *s, int *regions,
                           gap_run_stats *st, char *err, size_t errsize);

#endif
