/*
 * gap_solve.c — cpt_gap_solve and cpt_gap_bound (see gap.h): the phases of
 * a solve.
 *
 *  1. Capacity dual.  When the weights allow (gap_flow.c: an unassigned
 *     option and one weight per class, the MT model), exactly, as a
 *     transportation problem with pricing, for at most 0.4·T: its λ is
 *     optimal and is only evaluated; cut short after a first network,
 *     the subgradient goes on from its λ (or from lambda0 when L is
 *     higher there) until 0.5·T.  Otherwise by the
 *     subgradient method (gap_bound.c) from lambda0 when given, else
 *     λ = 0: at most bound_iterations iterations (default 1000, 200
 *     beyond a million candidate entries), and with a time limit T at
 *     most until 0.15·T.
 *  2. A start: the flow rounded down to whole jobs, filled (gap_fill) and
 *     improved by the local search by zones (gap_zone.c, in parallel,
 *     until no move improves or 0.5·T), or the caller's when that is
 *     better; without the flow, the caller's, or by regions (gap_split.c)
 *     when the instance is large, or the regret construction under the
 *     best multipliers λ followed by local search.
 *  3. For a plain GAP, the assignment dual (per-agent knapsacks) steered
 *     by the start's objective, until 0.35·T.
 *  4. Improvement rounds (gap_rounds.c) until 0.6·T; then both duals again
 *     with the incumbent as the Polyak target, warm-started, until 0.7·T
 *     (not after an exact flow: λ is optimal already); then rounds until
 *     T.  Without a time limit: rounds until they stall, the duals again,
 *     and rounds again until they stall.
 *
 * The bound reported is the larger of the two duals, rounded up to the
 * next integer when every cost, unassigned cost and soft penalty is an
 * integer (the objective is then an integer).  Status: OPTIMAL when
 * objective − bound ≤ 1e-9·max(1, |objective|), FEASIBLE otherwise,
 * NOSOLUTION when no feasible assignment was found, INTERRUPTED on the
 * stop flag (with the best solution, if any).  Only the time limit (and
 * the time caps of the duals and of the sub-MIPs) can make a result
 * depend on the machine; the thread count never does.
 */
#include "gap.h"
#include "gap_internal.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

static int cap_iterations(const cpt_gap_params *p, int64_t nnz) {
  if (p && p->bound_iterations > 0)
    return p->bound_iterations;
  return nnz > 1000000 ? 200 : 1000;
}

static int asg_iterations(const cpt_gap_params *p) {
  return p && p->bound_iterations > 0 ? p->bound_iterations : 300;
}

#define ASG_MAX_CELLS 3e8

cpt_status cpt_gap_bound(const cpt_gap *g, double ub, int iterations,
                         double *bound, double *lambda) {
  if (!bound || iterations < 0)
    return CPT_EPARAM;
  *bound = -INFINITY;
  cpt_status st = cpt_gap_validate(g, NULL, 0);
  if (st != CPT_OK)
    return st;
  gap_ctx c;
  if (gap_ctx_init(&c, g) != 0)
    return CPT_ENOMEM;
  c.threads = omp_get_num_procs();
  double *lam = calloc((size_t)g->m + 1, sizeof *lam);
  if (!lam) {
    gap_ctx_free(&c);
    return CPT_ENOMEM;
  }
  int cut, oom;
  double lc = -INFINITY, la = NAN;
  int its = iterations > 0 ? iterations : 1000;
  if (gap_bound_capacity(&c, ub, its, 0, lam, &lc, &cut) < 0)
    st = CPT_ENOMEM;
  if (st == CPT_OK) {
    gap_bound_assignment(&c, ub, its, 0, lam, ASG_MAX_CELLS, &la, &cut, &oom);
    if (oom)
      st = CPT_ENOMEM;
  }
  if (st == CPT_OK) {
    *bound = gap_round_bound(&c, isnan(la) ? lc : fmax(lc, la));
    if (lambda)
      memcpy(lambda, lam, (size_t)g->m * sizeof *lambda);
  }
  free(lam);
  gap_ctx_free(&c);
  return st;
}

static cpt_status check_params(const cpt_gap_params *p, char *err,
                               size_t errsize) {
  if (p->threads < 0 || !isfinite(p->time_limit_s) || p->time_limit_s < 0 ||
      !isfinite(p->target_gap) || p->target_gap < 0 ||
      p->bound_iterations < 0 || p->max_rounds < 0 || p->stall_rounds < 0 ||
      p->units_per_round < 0 || p->region_nnz < -1) {
    cpt_gap_set_err(err, errsize,
                    "gap: invalid parameters (threads, bound_iterations, "
                    "max_rounds, stall_rounds, units_per_round ≥ 0; finite "
                    "time_limit_s and target_gap ≥ 0; region_nnz ≥ −1)");
    return CPT_EPARAM;
  }
  return CPT_OK;
}

/* Load the caller's start into s; CPT_EPARAM when it is not feasible. */
static cpt_status load_start(const gap_ctx *c, const cpt_gap_sol *in,
                             gap_state *s, char *err, size_t errsize) {
  const cpt_gap *g = c->g;
  if (!in->x || (!in->y && g->unassigned)) {
    cpt_gap_set_err(err, errsize, "gap: start solution without arrays");
    return CPT_EPARAM;
  }
  memcpy(s->x, in->x, (size_t)c->nnz * sizeof *s->x);
  if (in->y)
    memcpy(s->y, in->y, (size_t)g->n * sizeof *s->y);
  int feasible;
  cpt_gap_sol tmp = {s->x, s->y};
  cpt_gap_eval(g, &tmp, &feasible);
  if (!feasible) {
    cpt_gap_set_err(err, errsize, "gap: the start solution is infeasible");
    return CPT_EPARAM;
  }
  gap_state_recompute(s, c);
  return CPT_OK;
}

/* The caller's lambda0 as multipliers: negative or non-finite values
 * read as 0. */
static void read_lambda0(const double *lambda0, int32_t m, double *out) {
  for (int32_t i = 0; i < m; i++)
    out[i] = isfinite(lambda0[i]) && lambda0[i] > 0 ? lambda0[i] : 0.0;
}

/* lambda0 instead of lambda when L is higher there. */
static cpt_status keep_better_lambda(const gap_ctx *c, const double *lambda0,
                                     double *lambda) {
  int32_t m = c->g->m;
  double *l0 = malloc(((size_t)m + 1) * sizeof *l0), a, b;
  if (!l0)
    return CPT_ENOMEM;
  read_lambda0(lambda0, m, l0);
  int cut;
  if (gap_bound_capacity(c, INFINITY, 1, 0, l0, &a, &cut) < 0 ||
      gap_bound_capacity(c, INFINITY, 1, 0, lambda, &b, &cut) < 0) {
    free(l0);
    return CPT_ENOMEM;
  }
  if (a > b)
    memcpy(lambda, l0, (size_t)m * sizeof *lambda);
  free(l0);
  return CPT_OK;
}

/* The caller's start instead of s when it is better (CPT_EPARAM when it
 * is infeasible). */
static cpt_status better_start(const gap_ctx *c, const cpt_gap_sol *in,
                               gap_state *s, char *err, size_t errsize) {
  gap_state t;
  if (gap_state_init(&t, c) != 0)
    return CPT_ENOMEM;
  cpt_status st = load_start(c, in, &t, err, errsize);
  if (st == CPT_OK && gap_better(t.excess, t.obj, s->excess, s->obj)) {
    gap_state tmp = *s;
    *s = t;
    t = tmp;
  }
  gap_state_free(&t);
  return st;
}

/* Both duals; updates lambda, *lc, *la and the run's bound.  cap_its > 0
 * caps the capacity dual's iterations (1: evaluate L(lambda) only). */
static cpt_status duals(const gap_ctx *c, const cpt_gap_params *p, double ub,
                        int with_asg, double t_cap, double t_asg,
                        double *lambda, double *lc, double *la, long *iters,
                        gap_run *run, char *err, size_t errsize, int cap_its) {
  int cut, oom;
  double b;
  long it = gap_bound_capacity(
      c, ub, cap_its > 0 ? cap_its : cap_iterations(p, c->nnz), t_cap, lambda,
      &b, &cut);
  if (it < 0) {
    cpt_gap_set_err(err, errsize, "gap: out of memory");
    return CPT_ENOMEM;
  }
  *iters += it;
  if (!(*lc >= b))
    *lc = b;
  if (with_asg) {
    it = gap_bound_assignment(c, ub, asg_iterations(p), t_asg, lambda,
                              ASG_MAX_CELLS, &b, &cut, &oom);
    if (oom) {
      cpt_gap_set_err(err, errsize, "gap: out of memory");
      return CPT_ENOMEM;
    }
    *iters += it;
    if (!isnan(b) && (isnan(*la) || b > *la))
      *la = b;
  }
  run->bound = gap_round_bound(c, isnan(*la) ? *lc : fmax(*lc, *la));
  return CPT_OK;
}

static void say(const cpt_gap_params *p, const gap_run *r, const gap_state *s,
                const char *phase) {
  if (!p->verbose)
    return;
  FILE *log = p->log ? p->log : stderr;
  double t = cpt_now_s() - r->t0;
  if (!s)
    fprintf(log, "gap %s: bound = %.10g, time = %.2f s\n", phase, r->bound, t);
  else if (s->excess > 0)
    fprintf(log, "gap %s: overload = %lld, objective = %.10g, time = %.2f s\n",
            phase, (long long)s->excess, s->obj, t);
  else
    fprintf(log,
            "gap %s: objective = %.10g, bound = %.10g, gap = %.4f%%, "
            "time = %.2f s\n",
            phase, s->obj, r->bound,
            100.0 * (s->obj - r->bound) / fmax(1.0, fabs(s->obj)), t);
}

/* Time limit T > 0 and t (a cpt_now_s instant) passed. */
static int past(const gap_run *r, double t) {
  return r->deadline > 0 && cpt_now_s() >= t;
}

static int stopped(const cpt_gap_params *p) {
  return p->stop && atomic_load(p->stop);
}

cpt_status cpt_gap_solve(const cpt_gap *g, const cpt_gap_params *p,
                         cpt_gap_result *res, char *err, size_t errsize) {
  double t0 = cpt_now_s();
  if (!res) {
    cpt_gap_set_err(err, errsize, "cpt_gap_solve: no result");
    return CPT_EPARAM;
  }
  memset(res, 0, sizeof *res);
  res->objective = NAN;
  res->bound = res->lagr_capacity = -INFINITY;
  res->lagr_assignment = NAN;
  res->gap = INFINITY;
  res->regions = 1;
  res->status = CPT_SOLVE_NOSOLUTION;
  if (!p || !g) {
    cpt_gap_set_err(err, errsize, "cpt_gap_solve: missing argument");
    return CPT_EPARAM;
  }
  cpt_status st = check_params(p, err, errsize);
  if (st == CPT_OK)
    st = cpt_gap_validate(g, err, errsize);
  if (st != CPT_OK)
    return st;
  gap_ctx c;
  gap_state s;
  memset(&s, 0, sizeof s);
  double *lambda = NULL;
  double lc = -INFINITY, la = NAN;
  if (gap_ctx_init(&c, g) != 0) {
    cpt_gap_set_err(err, errsize, "gap: out of memory");
    return CPT_ENOMEM;
  }
  c.threads = p->threads > 0 ? p->threads : omp_get_num_procs();
  double T = p->time_limit_s;
  gap_run run = {&c, p, NULL, t0, T > 0 ? t0 + T : 0, -INFINITY, c.threads};
  gap_run_stats rs;
  memset(&rs, 0, sizeof rs);
  lambda = calloc((size_t)g->m + 1, sizeof *lambda);
  if (!lambda || gap_state_init(&s, &c) != 0) {
    st = CPT_ENOMEM;
    cpt_gap_set_err(err, errsize, "gap: out of memory");
    goto done;
  }
  run.lambda = lambda;
  if (p->lambda0)
    read_lambda0(p->lambda0, g->m, lambda);
  for (int32_t j = 0; j < g->n; j++)
    if (g->start[j] == g->start[j + 1] && !g->unassigned) {
      res->bound = res->lagr_capacity = INFINITY; /* provably infeasible */
      goto done;
    }

  /* 1. Capacity dual: exactly by the flow when the weights allow (then
   * its λ needs one evaluation of L and no refinement), else by the
   * subgradient method. */
  int lp_exact = 0, flowed = 0;
  double t_sub = 0.15; /* the subgradient's share without a flow */
  if (gap_flow_applicable(g)) {
    flowed = gap_flow_relax(&c, T > 0 ? t0 + 0.4 * T : 0, p->stop,
                            p->verbose ? (p->log ? p->log : stderr) : NULL,
                            lambda, &s, &lp_exact);
    if (flowed < 0) {
      st = CPT_ENOMEM;
      cpt_gap_set_err(err, errsize, "gap: out of memory");
      goto done;
    }
    t_sub = 0.5; /* after a flow cut short, until 0.5·T */
    if (flowed == 1 && !lp_exact && p->lambda0) {
      st = keep_better_lambda(&c, p->lambda0, lambda);
      if (st != CPT_OK) {
        cpt_gap_set_err(err, errsize, "gap: out of memory");
        goto done;
      }
    }
  }
  st = duals(&c, p, INFINITY, 0, T > 0 ? t0 + t_sub * T : 0, 0, lambda, &lc,
             &la, &res->iterations, &run, err, errsize, lp_exact ? 1 : 0);
  if (st != CPT_OK)
    goto done;
  say(p, &run, NULL,
      lp_exact ? "capacity dual (flow)"
      : flowed ? "capacity dual (restricted flow, then subgradient)"
               : "capacity dual");

  /* 2. Start: the rounded flow after local search, or the caller's when
   * it is better; else by regions, or by the regret construction. */
  if (flowed) {
    say(p, &run, &s, "flow rounded down");
    gap_fill(&c, &s, lambda);
    say(p, &run, &s, "filled");
    st = gap_zone_search(&c, &s, c.threads, 0, T > 0 ? t0 + 0.5 * T : 0,
                         p->stop);
    say(p, &run, &s, "local search by zones");
    if (st == CPT_OK && p->start)
      st = better_start(&c, p->start, &s, err, errsize);
    if (st != CPT_OK) {
      if (st == CPT_ENOMEM)
        cpt_gap_set_err(err, errsize, "gap: out of memory");
      goto done;
    }
  } else if (p->start) {
    st = load_start(&c, p->start, &s, err, errsize);
    if (st != CPT_OK)
      goto done;
  } else {
    st = gap_split_solve(&run, &s, &res->regions, &rs, err, errsize);
    if (st != CPT_OK)
      goto done;
    if (res->regions <= 1) {
      gap_work w;
      if (gap_work_init(&w, &c, NULL) != 0) {
        st = CPT_ENOMEM;
        cpt_gap_set_err(err, errsize, "gap: out of memory");
        goto done;
      }
      gap_construct(&c, &w, &s, lambda, NULL, 0.0);
      say(p, &run, &s, "construction");
      gap_local_search(&c, &w, &s, NULL, 0, 0, T > 0 ? t0 + 0.25 * T : 0,
                       p->stop);
      gap_work_free(&w);
    }
  }
  rs.time_to_best = cpt_now_s() - t0;
  say(p, &run, &s, "start");

  /* 3. Assignment dual, 4. rounds, duals again, rounds. */
  if (!stopped(p) && !past(&run, t0 + 0.35 * T)) {
    double tc = T > 0 ? t0 + 0.35 * T : 0;
    int cut, oom;
    double b;
    res->iterations += gap_bound_assignment(
        &c, s.excess == 0 ? s.obj : INFINITY, asg_iterations(p), tc, lambda,
        ASG_MAX_CELLS, &b, &cut, &oom);
    if (oom) {
      st = CPT_ENOMEM;
      cpt_gap_set_err(err, errsize, "gap: out of memory");
      goto done;
    }
    la = b;
    run.bound = gap_round_bound(&c, isnan(la) ? lc : fmax(lc, la));
    if (!isnan(la))
      say(p, &run, &s, "assignment dual");
  }
  for (int phase = 0; phase < 2 && !stopped(p); phase++) {
    if (past(&run, run.deadline)) {
      rs.hit_time_limit = 1;
      break; /* not even the copies of the incumbent a round needs */
    }
    gap_run r1 = run;
    if (phase == 0 && T > 0)
      r1.deadline = t0 + 0.6 * T;
    st = gap_improve(&r1, &s, &rs, err, errsize);
    if (st != CPT_OK)
      goto done;
    if (phase == 0 && rs.hit_time_limit && T > 0)
      rs.hit_time_limit = 0; /* only the intermediate deadline */
    if (phase == 1 || rs.interrupted)
      break;
    if (s.excess == 0 && isfinite(run.bound) &&
        (s.obj - run.bound) / fmax(1.0, fabs(s.obj)) <=
            fmax(p->target_gap, 1e-9))
      break;
    if (past(&run, t0 + 0.65 * T) || lp_exact)
      continue; /* no time for a pass over the entries, or λ is already
                   optimal (the assignment dual needs no unassigned
                   option, so it does not apply): rounds again */
    st = duals(&c, p, s.excess == 0 ? s.obj : INFINITY, 1,
               T > 0 ? t0 + 0.65 * T : 0, T > 0 ? t0 + 0.7 * T : 0, lambda, &lc,
               &la, &res->iterations, &run, err, errsize, 0);
    if (st != CPT_OK)
      goto done;
    say(p, &run, &s, "duals refined");
  }

done:
  res->lagr_capacity = fmax(res->lagr_capacity, gap_round_bound(&c, lc));
  if (st == CPT_OK) {
    res->lagr_assignment = isnan(la) ? NAN : gap_round_bound(&c, la);
    res->bound = isnan(res->lagr_assignment)
                     ? res->lagr_capacity
                     : fmax(res->lagr_capacity, res->lagr_assignment);
    res->hit_time_limit = rs.hit_time_limit || rs.sub_limit_hits > 0;
    res->lns_rounds = rs.rounds;
    res->improvements = rs.improvements;
    res->time_to_best_s = rs.time_to_best;
    if (s.x && s.excess == 0 && res->bound < INFINITY) {
      res->sol.x = malloc(((size_t)c.nnz + 1) * sizeof *res->sol.x);
      res->sol.y = malloc(((size_t)g->n + 1) * sizeof *res->sol.y);
      if (!res->sol.x || !res->sol.y) {
        cpt_gap_result_free(res);
        st = CPT_ENOMEM;
        cpt_gap_set_err(err, errsize, "gap: out of memory");
      } else {
        memcpy(res->sol.x, s.x, (size_t)c.nnz * sizeof *s.x);
        memcpy(res->sol.y, s.y, (size_t)g->n * sizeof *s.y);
        int feasible;
        res->objective = cpt_gap_eval(g, &res->sol, &feasible);
        if (!feasible) {
          cpt_gap_result_free(res);
          res->objective = NAN;
        }
      }
    }
    if (res->sol.x) {
      res->gap =
          (res->objective - res->bound) / fmax(1.0, fabs(res->objective));
      res->status =
          res->objective - res->bound <= 1e-9 * fmax(1.0, fabs(res->objective))
              ? CPT_SOLVE_OPTIMAL
              : CPT_SOLVE_FEASIBLE;
    } else {
      res->status = CPT_SOLVE_NOSOLUTION;
    }
    if (stopped(p) && res->status == CPT_SOLVE_FEASIBLE)
      res->status = CPT_SOLVE_INTERRUPTED;
    if (p->verbose)
      fprintf(p->log ? p->log : stderr,
              "gap done: %s, objective = %.10g, bound = %.10g, gap = "
              "%.4f%%, rounds = %ld, sub-MIPs cut by time = %ld, time = "
              "%.2f s\n",
              cpt_solve_status_name(res->status), res->objective, res->bound,
              100.0 * res->gap, res->lns_rounds, rs.sub_limit_hits,
              cpt_now_s() - t0);
  }
  res->time_s = cpt_now_s() - t0;
  gap_state_free(&s);
  free(lambda);
  gap_ctx_free(&c);
  return st;
}
