/*
 * cmd_gap.c — `cptsopt gap FILE`: read an OR-Library generalized-assignment
 * file (multi- or single-problem layout, models/gap_file.h), solve each
 * problem with the GAP core (Lagrangian bound, parallel deterministic
 * heuristic; solver/gap.h), print one line per problem and a total, and
 * write the JSON report, all or nothing.
 *
 * The core minimizes; --maximize negates the costs before solving and the
 * objective and bound after, so a maximization reports its best value and
 * an upper bound.  Before solving, a problem is checked for a proof of
 * infeasibility (a job that fits no agent, or more total weight than
 * total capacity): such a problem is "infeasible" (exit 3) and not
 * solved.  Each solution returned is re-evaluated here (cpt_gap_eval):
 * an infeasible one or a different objective is an internal error (4).
 * --time-limit applies to each problem.
 *
 * Exit codes (SPEC §5): 0 every problem optimal (or within --target-gap),
 * 1 some problem not proven (time limit, interrupted, no solution found),
 * 2 bad usage or input, 3 some problem proven infeasible, 4 internal.
 */
#include "cmd_gap.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../models/gap_file.h"
#include "../solver/clock.h"
#include "../solver/gap.h"
#include "cli.h"
#include "outfile.h"

enum { O_MAX = 256, O_TIME, O_THREADS, O_SEED, O_TARGET, O_REPORT,
       O_CONFIG, O_SET, O_QUIET, O_HELP, O_VERSION };

static void usage(FILE *out) {
  fputs(
      "usage: cptsopt gap FILE [--maximize] [--time-limit S] [--threads N]\n"
      "                        [--report R.json] [options]\n"
      "\n"
      "Solve the generalized assignment problems of an OR-Library file:\n"
      "assign every job j to one agent i, within each agent's capacity b_i\n"
      "(Σ_j w_ij·x_ij ≤ b_i), at least total cost Σ c_ij·x_ij.  FILE holds\n"
      "either several problems (the number of problems, then per problem:\n"
      "m n, the m×n costs agent by agent, the m×n weights, the m\n"
      "capacities; OR-Library gap1–gap12) or one (m n, costs, weights,\n"
      "capacities; gapa–gapd and the C, D, E instances of Yagiura et al.).\n"
      "Prints per problem the cost, the proven bound, the LP bound (GLPK, up\n"
      "to 500,000 job-agent pairs, outside the problem's time), the gap and\n"
      "the time.\n"
      "\n"
      "  --maximize          maximize the total (OR-Library gap1–12 optima are\n"
      "                      maxima); the bound is then an upper bound\n"
      "  --time-limit S      seconds per problem (solver.time_limit_s; 0 = none)\n"
      "  --target-gap G      stop a problem once (cost − bound)/|cost| ≤ G;\n"
      "                      counts as solved (solver.mip_gap)\n"
      "  --threads N         worker threads (solver.threads; 0 = all cores)\n"
      "  --seed N            random seed (solver.seed); the results depend on\n"
      "                      it, never on --threads\n"
      "  --report FILE       JSON report: status, objective, bound, gap, time_s,\n"
      "                      ... and \"problems\": one entry per problem\n"
      "  --config FILE, --set KEY=VALUE   as for the other commands\n"
      "  --quiet             print nothing but errors\n"
      "  -v, --verbose       the solver's progress lines\n"
      "  --help, --version\n"
      "\n"
      "Exit: 0 every problem optimal (or within the target gap), 1 some not\n"
      "proven (time limit, interrupted), 2 bad usage or input, 3 a problem\n"
      "proven infeasible (a job fits no agent, or the weights exceed the\n"
      "total capacity), 4 internal error.\n",
      out);
}

static const struct option opts[] = {
    {"maximize", no_argument, 0, O_MAX},
    {"time-limit", required_argument, 0, O_TIME},
    {"threads", required_argument, 0, O_THREADS},
    {"seed", required_argument, 0, O_SEED},
    {"target-gap", required_argument, 0, O_TARGET},
    {"report", required_argument, 0, O_REPORT},
    {"config", required_argument, 0, O_CONFIG},
    {"set", required_argument, 0, O_SET},
    {"quiet", no_argument, 0, O_QUIET},
    {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, O_HELP},
    {"version", no_argument, 0, O_VERSION},
    {0, 0, 0, 0}};

typedef struct gap_args {
  const char *file, *report, *config;
  cpt_cli_overrides ov;
  int maximize, quiet, verbose;
} gap_args;

/* Returns −1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, gap_args *a) {
  memset(a, 0, sizeof *a);
  optind = 0; /* glibc: full re-initialisation (tests call us repeatedly) */
  opterr = 0;
  int o;
  while ((o = getopt_long(argc, argv, ":hv", opts, NULL)) != -1) {
    const char *key = NULL;
    switch (o) {
    case O_MAX: a->maximize = 1; break;
    case O_REPORT: a->report = optarg; break;
    case O_CONFIG: a->config = optarg; break;
    case O_QUIET: a->quiet = 1; break;
    case 'v': a->verbose++; break;
    case 'h':
    case O_HELP: usage(stdout); return 0;
    case O_VERSION: cpt_cli_print_version(stdout); return 0;
    case O_TIME: key = "solver.time_limit_s"; break;
    case O_THREADS: key = "solver.threads"; break;
    case O_SEED: key = "solver.seed"; break;
    case O_TARGET: key = "solver.mip_gap"; break;
    case O_SET:
      if (!cpt_cli_add_set(&a->ov, "gap", NULL, optarg)) return 2;
      break;
    case ':':
      fprintf(stderr, "cptsopt gap: %s needs a value\n", argv[optind - 1]);
      return 2;
    default:
      fprintf(stderr, "cptsopt gap: unknown option '%s' (see --help)\n",
              argv[optind - 1]);
      return 2;
    }
    if (key && !cpt_cli_add_set(&a->ov, "gap", key, optarg)) return 2;
  }
  if (optind + 1 != argc) {
    fprintf(stderr, "cptsopt gap: expected one instance file (see --help)\n");
    return 2;
  }
  a->file = argv[optind];
  return -1;
}

/* --- One row per problem --------------------------------------------------- */

typedef struct gap_row {
  char name[128];
  int32_t m, n;
  cpt_solve_status status;
  double objective, bound, gap, time_s, time_to_best_s;
  double lagr_capacity, lagr_assignment; /* the two Lagrangian bounds */
  double lp_bound, lp_time_s; /* GLPK's LP relaxation (NAN: not solved) */
  int solved; /* within the target: counts as proven */
} gap_row;

/* The file's base name without directory and extension. */
static void base_name(const char *path, char *buf, size_t size) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  snprintf(buf, size, "%s", b);
  char *dot = strrchr(buf, '.');
  if (dot && dot != buf) *dot = '\0';
}

static int64_t nnz_of(const cpt_gap *g) { return g->start[g->n]; }

/* Solve one problem into row r; CPT_OK unless the core failed or returned
 * an inconsistent solution (then err says what). */
static cpt_status solve_one(cpt_gap *g, const gap_args *a,
                            const cpt_config *cfg, gap_row *r, char *err,
                            size_t errsize) {
  double sign = a->maximize ? -1.0 : 1.0;
  r->m = g->m;
  r->n = g->n;
  r->objective = r->bound = r->gap = NAN;
  r->time_to_best_s = r->lagr_capacity = r->lagr_assignment = NAN;
  r->lp_bound = r->lp_time_s = NAN;
  char why[256];
  if (cpt_gap_file_infeasible(g, why, sizeof why)) {
    r->status = CPT_SOLVE_INFEASIBLE;
    r->time_s = 0;
    fprintf(stderr, "cptsopt gap: %s: infeasible: %s\n", r->name, why);
    return CPT_OK;
  }
  if (atomic_load(&cpt_cli_stop)) {
    r->status = CPT_SOLVE_INTERRUPTED;
    r->time_s = 0;
    return CPT_OK;
  }
  if (a->maximize) cpt_gap_file_negate(g);
  cpt_gap_params p;
  cpt_gap_params_init(&p);
  p.threads = (int)cfg->solver_threads;
  p.seed = (uint64_t)cfg->solver_seed;
  p.time_limit_s = cfg->solver_time_limit_s;
  p.target_gap = cfg->solver_mip_gap;
  p.stop = &cpt_cli_stop;
  p.verbose = a->quiet ? 0 : a->verbose;
  p.log = stderr;
  cpt_gap_result res;
  memset(&res, 0, sizeof res);
  cpt_status st = cpt_gap_solve(g, &p, &res, err, errsize);
  if (st != CPT_OK) goto done;
  r->status = res.status;
  r->time_s = res.time_s;
  r->bound = sign * res.bound;
  r->lagr_capacity = sign * res.lagr_capacity;
  r->lagr_assignment = sign * res.lagr_assignment;
  if (res.sol.x && res.sol.y) {
    int feasible = 0;
    double obj = cpt_gap_eval(g, &res.sol, &feasible);
    int64_t assigned = 0;
    for (int64_t k = 0; k < nnz_of(g); k++) assigned += res.sol.x[k];
    if (!feasible || assigned != g->n ||
        fabs(obj - res.objective) > 1e-6 * fmax(1.0, fabs(obj))) {
      snprintf(err, errsize,
               "the solver's assignment is %s (objective %.10g, reported "
               "%.10g)",
               feasible ? "inconsistent" : "infeasible", obj, res.objective);
      st = CPT_EINTERNAL;
      goto done;
    }
    if (res.bound > obj + 1e-6 * fmax(1.0, fabs(obj))) {
      snprintf(err, errsize, "the solver's bound %.10g exceeds its "
               "objective %.10g", res.bound, obj);
      st = CPT_EINTERNAL;
      goto done;
    }
    r->objective = sign * obj;
    r->time_to_best_s = res.time_to_best_s;
    r->gap = r->status == CPT_SOLVE_OPTIMAL
                 ? 0.0
                 : fabs(r->objective - r->bound) /
                       fmax(1.0, fabs(r->objective));
    r->solved = r->status == CPT_SOLVE_OPTIMAL ||
                (cfg->solver_mip_gap > 0 && r->gap <= cfg->solver_mip_gap);
  } else if (r->status == CPT_SOLVE_OPTIMAL || r->status ==
                                                   CPT_SOLVE_FEASIBLE) {
    snprintf(err, errsize, "the solver reported %s without a solution",
             cpt_solve_status_name(r->status));
    st = CPT_EINTERNAL;
  } else if (r->status != CPT_SOLVE_INTERRUPTED) {
    r->status = CPT_SOLVE_NOSOLUTION;
  }
  /* The LP bound beside the Lagrangian ones, outside the solve's time. */
  if (st == CPT_OK && !atomic_load(&cpt_cli_stop)) {
    double t0 = cpt_now_s(), lp;
    st = cpt_gap_lp_bound(g, CPT_GAP_LP_MAX_ENTRIES, cfg->solver_time_limit_s,
                          &cpt_cli_stop, &lp, err, errsize);
    if (st == CPT_OK && !isnan(lp)) {
      r->lp_bound = sign * lp;
      r->lp_time_s = cpt_now_s() - t0;
    }
  }
done:
  if (a->maximize) cpt_gap_file_negate(g);
  cpt_gap_result_free(&res);
  return st;
}

static void print_num(FILE *out, const char *label, double v) {
  if (isfinite(v))
    fprintf(out, "  %s %-12.10g", label, v);
  else
    fprintf(out, "  %s %-12s", label, "-");
}

static void print_row(FILE *out, const gap_row *r) {
  fprintf(out, "%-14s %4d agents %6d jobs", r->name, (int)r->m, (int)r->n);
  print_num(out, "cost", r->objective);
  print_num(out, "bound", r->bound);
  print_num(out, "LP", r->lp_bound);
  if (isfinite(r->gap))
    fprintf(out, "  gap %8.4f%%", 100.0 * r->gap);
  else
    fprintf(out, "  gap %9s", "-");
  fprintf(out, "  %8.2f s  %s\n", r->time_s,
          cpt_solve_status_name(r->status));
}

/* --- Report ---------------------------------------------------------------- */

static void add_num(cJSON *o, const char *key, double v) {
  if (isfinite(v))
    cJSON_AddNumberToObject(o, key, v);
  else
    cJSON_AddNullToObject(o, key);
}

/* The worst status first: infeasible, interrupted, no_solution, feasible,
 * optimal. */
static int severity(cpt_solve_status s) {
  switch (s) {
  case CPT_SOLVE_INFEASIBLE: return 4;
  case CPT_SOLVE_INTERRUPTED: return 3;
  case CPT_SOLVE_NOSOLUTION: return 2;
  case CPT_SOLVE_FEASIBLE: return 1;
  default: return 0;
  }
}

typedef struct gap_total {
  cpt_solve_status status;
  double objective, bound, gap, time_s;
  size_t optimal, unproven, infeasible;
} gap_total;

static gap_total totals(const gap_row *rows, size_t n, double time_s) {
  gap_total t = {CPT_SOLVE_OPTIMAL, 0, 0, 0, time_s, 0, 0, 0};
  for (size_t i = 0; i < n; i++) {
    const gap_row *r = &rows[i];
    if (severity(r->status) > severity(t.status)) t.status = r->status;
    t.objective += r->objective; /* NaN when one is missing */
    t.bound += r->bound;
    if (r->status == CPT_SOLVE_INFEASIBLE)
      t.infeasible++;
    else if (r->solved)
      t.optimal++;
    else
      t.unproven++;
  }
  t.gap = t.status == CPT_SOLVE_OPTIMAL
              ? 0.0
              : fabs(t.objective - t.bound) / fmax(1.0, fabs(t.objective));
  return t;
}

static cJSON *report_json(const gap_args *a, const cpt_config *cfg,
                          const cpt_gap_file *f, const gap_row *rows,
                          const gap_total *t) {
  cJSON *root = cJSON_CreateObject();
  cJSON *c = cpt_config_to_json(cfg);
  if (!root || !c) {
    cJSON_Delete(root);
    cJSON_Delete(c);
    return NULL;
  }
  cJSON_AddStringToObject(root, "status", cpt_solve_status_name(t->status));
  add_num(root, "objective", t->objective);
  add_num(root, "bound", t->bound);
  add_num(root, "gap", t->gap);
  cJSON_AddNumberToObject(root, "time_s", t->time_s);
  cJSON_AddStringToObject(root, "method", "lagrangian+heuristic");
  cJSON_AddNumberToObject(root, "threads", cpt_cli_threads(cfg));
  cJSON_AddNumberToObject(root, "seed", (double)cfg->solver_seed);
  cJSON_AddItemToObject(root, "config", c);
  cJSON_AddStringToObject(root, "version", CPT_VERSION);
  cJSON_AddStringToObject(root, "instance", a->file);
  cJSON_AddStringToObject(root, "layout", f->multi ? "multi" : "single");
  cJSON_AddStringToObject(root, "sense", a->maximize ? "max" : "min");
  cJSON *probs = cJSON_AddArrayToObject(root, "problems");
  if (!probs) {
    cJSON_Delete(root);
    return NULL;
  }
  for (size_t i = 0; i < f->n; i++) {
    const gap_row *r = &rows[i];
    cJSON *o = cJSON_CreateObject();
    if (!o) {
      cJSON_Delete(root);
      return NULL;
    }
    cJSON_AddItemToArray(probs, o);
    cJSON_AddStringToObject(o, "name", r->name);
    add_num(o, "objective", r->objective);
    add_num(o, "bound", r->bound);
    add_num(o, "gap", r->gap);
    cJSON_AddNumberToObject(o, "time_s", r->time_s);
    add_num(o, "time_to_best_s", r->time_to_best_s);
    add_num(o, "lagr_capacity", r->lagr_capacity);
    add_num(o, "lagr_assignment", r->lagr_assignment);
    add_num(o, "lp_bound", r->lp_bound);
    add_num(o, "lp_time_s", r->lp_time_s);
    cJSON_AddStringToObject(o, "status", cpt_solve_status_name(r->status));
    cJSON_AddNumberToObject(o, "agents", r->m);
    cJSON_AddNumberToObject(o, "jobs", r->n);
  }
  return root;
}

/* --- The command ----------------------------------------------------------- */

int cpt_cmd_gap(int argc, char **argv) {
  gap_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc >= 0) return rc;

  double t0 = cpt_now_s();
  cpt_diags diags;
  cpt_diags_init(&diags);
  cpt_config cfg;
  cpt_config_init(&cfg);
  cpt_gap_file *f = NULL;
  gap_row *rows = NULL;
  cpt_outset outs;
  cpt_outset_init(&outs);
  cJSON *report = NULL;
  char *text = NULL;

  cpt_status st = cpt_cli_load_config(a.config, &a.ov, &cfg, &diags);
  if (st != CPT_OK) goto fail;
  st = cpt_gap_file_load(a.file, &f, &diags);
  if (st != CPT_OK) goto fail;
  FILE *frep = a.report ? cpt_outset_open(&outs, a.report, &diags) : NULL;
  if (a.report && !frep) {
    st = CPT_EIO;
    goto fail;
  }
  rows = calloc(f->n, sizeof *rows);
  if (!rows) {
    st = CPT_ENOMEM;
    cpt_diag_error(&diags, a.file, 0, 0, "out of memory");
    goto fail;
  }
  char base[96];
  base_name(a.file, base, sizeof base);
  cpt_cli_catch_signals();
  for (size_t i = 0; i < f->n; i++) {
    gap_row *r = &rows[i];
    if (f->multi)
      snprintf(r->name, sizeof r->name, "%s-%zu", base, i + 1);
    else
      snprintf(r->name, sizeof r->name, "%s", base);
    char err[512] = "";
    st = solve_one(f->v[i], &a, &cfg, r, err, sizeof err);
    if (st != CPT_OK) {
      cpt_diag_error(&diags, a.file, f->line[i], 0, "%s: solver: %s",
                     r->name, err[0] ? err : cpt_status_name(st));
      if (st == CPT_EPARAM || st == CPT_EINPUT) st = CPT_EINTERNAL;
      goto fail;
    }
    if (!a.quiet) {
      print_row(stdout, r);
      fflush(stdout);
    }
  }
  gap_total t = totals(rows, f->n, cpt_now_s() - t0);
  if (frep) {
    report = report_json(&a, &cfg, f, rows, &t);
    text = report ? cJSON_Print(report) : NULL;
    if (!text) {
      st = CPT_ENOMEM;
      cpt_diag_error(&diags, a.report, 0, 0, "out of memory");
      goto fail;
    }
    fputs(text, frep);
    fputc('\n', frep);
  }
  st = cpt_outset_commit(&outs, &diags);
  if (st != CPT_OK) goto fail;
  if (!a.quiet) {
    cpt_diags_print(&diags, stderr);
    printf("total: %zu problem%s, %zu %s, %zu not proven, %zu infeasible;",
           f->n, f->n == 1 ? "" : "s", t.optimal,
           cfg.solver_mip_gap > 0 ? "within the target" : "optimal",
           t.unproven, t.infeasible);
    if (isfinite(t.objective))
      printf(" cost %.10g, bound %.10g,", t.objective, t.bound);
    printf(" %.2f s\n", t.time_s);
    fflush(stdout);
  }
  rc = t.infeasible ? CPT_EXIT_INFEASIBLE
       : t.unproven ? CPT_EXIT_NOT_PROVEN
                    : CPT_EXIT_SOLVED;
  goto done;

fail:
  rc = cpt_cli_fail("gap", &outs, &diags, st, NULL);
done:
  cJSON_free(text);
  cJSON_Delete(report);
  free(rows);
  cpt_gap_file_free(f);
  cpt_diags_free(&diags);
  return rc;
}
