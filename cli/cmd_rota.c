/*
 * cmd_rota.c — `cptsopt rota`: read doctors, slots, availability (and
 * history, pinned assignments, a previously published rota), prepare the
 * (doctor, slot) facts, solve the SNP integer program of SPEC §2 with
 * GLPK, and write the rota CSV, the JSON report and one iCalendar file per
 * doctor, all or nothing; print the week grid.
 *
 * `cptsopt nrp`: read a schedulingbenchmarks.org nurse-rostering instance,
 * solve it exactly, print the objective by term and write the roster text
 * and the report.
 *
 * Exit codes (SPEC §5): 0 optimal, 1 not proven optimal (time limit,
 * interrupted), 2 bad usage or input, 3 infeasible (pinned assignments
 * that contradict hard rules), 4 internal error.
 */
#include "cmd_rota.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../models/nrp.h"
#include "../models/nrp_model.h"
#include "../models/readers.h"
#include "../models/rota.h"
#include "../models/rota_model.h"
#include "../solver/clock.h"
#include "cli.h"
#include "html_rota.h"
#include "inputs.h"
#include "outfile.h"
#include "report_rota.h"

/* --- Options shared by both commands -------------------------------------- */

enum { O_DOCTORS = 256, O_SLOTS, O_AVAIL, O_HISTORY, O_PINNED, O_PREVIOUS,
       O_CONFIG, O_SET, O_OUT, O_REPORT, O_ICS, O_TIME, O_GAP, O_THREADS,
       O_SEED, O_METHOD, O_QUIET, O_HELP, O_VERSION, O_COMMUNES,
       O_SOLUTION, O_HTML };

/* Print a JSON document to f; CPT_ENOMEM when it cannot be printed. */
static cpt_status put_json(FILE *f, const cJSON *j) {
  char *text = j ? cJSON_Print(j) : NULL;
  if (!text) return CPT_ENOMEM;
  fputs(text, f);
  fputc('\n', f);
  cJSON_free(text);
  return CPT_OK;
}

/* --- rota ----------------------------------------------------------------- */

static void usage_rota(FILE *out) {
  fputs(
      "usage: cptsopt rota --doctors D.csv --slots S.csv --availability A.csv\n"
      "                    --out ROTA.csv [options]\n"
      "\n"
      "Staff the SNP (soins non programmés) and PDSA slots of a CPTS: each\n"
      "slot gets the doctors it needs among those available and serving its\n"
      "site, with no overlap, a rest after night slots, weekly and daily\n"
      "limits, preferred windows honoured and the load shared fairly across\n"
      "weeks.  The model is SPEC §2.\n"
      "\n"
      "  --doctors FILE      doctors CSV (id, commune | lat+lon, capacity, ...\n"
      "                      and the rota columns sites, max_slots,\n"
      "                      max_per_day, target)\n"
      "  --slots FILE        slots CSV (id, date, start, end, site, need, kind)\n"
      "  --availability FILE availability CSV (doctor, date, start, end,\n"
      "                      level: unavailable | available | preferred)\n"
      "  --history FILE      slots done in earlier weeks (doctor, slots)\n"
      "  --pinned FILE       published assignments to keep (doctor, slot)\n"
      "  --previous FILE     a rota CSV of this command (slot, doctor columns):\n"
      "                      re-plan with few changes (rota.w_change per change)\n"
      "  --config FILE       JSON config (see `cptsopt config-help`)\n"
      "  --set KEY=VALUE     any config option, e.g. --set rota.w_fair=20\n"
      "  --out FILE          rota CSV: slot,date,start,end,site,doctor, one row\n"
      "                      per assignment by slot start, slot id, doctor id;\n"
      "                      a slot short of k doctors also gets k rows with\n"
      "                      an empty doctor (required; - = standard output)\n"
      "  --report FILE       JSON report (status, objective by term, load per\n"
      "                      doctor vs target, uncovered slots with reasons)\n"
      "  --ics DIR           one DOCTOR.ics per doctor with a slot (created)\n"
      "  --html FILE         self-contained HTML report: week grid, uncovered\n"
      "                      slots with reasons, load vs target per doctor\n"
      "  --method M          auto (default), mip or heuristic: mip solves the\n"
      "                      integer program in GLPK; heuristic runs a\n"
      "                      parallel large-neighbourhood search (same plan\n"
      "                      for any --threads with one --seed), then GLPK\n"
      "                      from its plan for a bound; auto = mip up to\n"
      "                      200000 assignable (doctor, slot) pairs\n"
      "  --time-limit S      seconds (solver.time_limit_s; 0 = none)\n"
      "  --mip-gap G         relative gap at which to stop (solver.mip_gap)\n"
      "  --threads N         worker threads (solver.threads; 0 = all cores)\n"
      "  --seed N            random seed (solver.seed)\n"
      "  --communes FILE     communes table (default: the bundled one)\n"
      "  --quiet             no week grid on stdout, no summary on stderr\n"
      "  -v, --verbose       the solver's log\n"
      "  --help, --version\n"
      "\n"
      "Exit: 0 optimal, 1 not proven optimal (time limit, interrupted),\n"
      "2 bad usage or input, 3 infeasible (pinned assignments clash with a\n"
      "hard rule), 4 internal error.\n",
      out);
}

static const struct option rota_opts[] = {
    {"doctors", required_argument, 0, O_DOCTORS},
    {"slots", required_argument, 0, O_SLOTS},
    {"availability", required_argument, 0, O_AVAIL},
    {"history", required_argument, 0, O_HISTORY},
    {"pinned", required_argument, 0, O_PINNED},
    {"previous", required_argument, 0, O_PREVIOUS},
    {"config", required_argument, 0, O_CONFIG},
    {"set", required_argument, 0, O_SET},
    {"out", required_argument, 0, O_OUT},
    {"report", required_argument, 0, O_REPORT},
    {"ics", required_argument, 0, O_ICS},
    {"html", required_argument, 0, O_HTML},
    {"method", required_argument, 0, O_METHOD},
    {"time-limit", required_argument, 0, O_TIME},
    {"mip-gap", required_argument, 0, O_GAP},
    {"threads", required_argument, 0, O_THREADS},
    {"seed", required_argument, 0, O_SEED},
    {"communes", required_argument, 0, O_COMMUNES},
    {"quiet", no_argument, 0, O_QUIET},
    {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, O_HELP},
    {"version", no_argument, 0, O_VERSION},
    {0, 0, 0, 0}};

typedef struct rota_args {
  const char *doctors, *slots, *avail, *history, *pinned, *previous;
  const char *config, *out, *report, *ics, *html, *communes;
  cpt_cli_overrides ov;
  bool quiet;
  int verbose;
  const char *method; /* "auto", "mip" or "heuristic" */
} rota_args;

/* Returns −1 to go on, else an exit code. */
static int parse_rota(int argc, char **argv, rota_args *a) {
  memset(a, 0, sizeof *a);
  optind = 0; /* glibc: full re-initialisation (tests call us repeatedly) */
  opterr = 0;
  int o;
  while ((o = getopt_long(argc, argv, ":v", rota_opts, NULL)) != -1) {
    const char *key = NULL;
    switch (o) {
    case O_DOCTORS: a->doctors = optarg; break;
    case O_SLOTS: a->slots = optarg; break;
    case O_AVAIL: a->avail = optarg; break;
    case O_HISTORY: a->history = optarg; break;
    case O_PINNED: a->pinned = optarg; break;
    case O_PREVIOUS: a->previous = optarg; break;
    case O_CONFIG: a->config = optarg; break;
    case O_OUT: a->out = optarg; break;
    case O_REPORT: a->report = optarg; break;
    case O_ICS: a->ics = optarg; break;
    case O_HTML: a->html = optarg; break;
    case O_COMMUNES: a->communes = optarg; break;
    case O_QUIET: a->quiet = true; break;
    case 'v': a->verbose++; break;
    case O_HELP: usage_rota(stdout); return 0;
    case O_VERSION: cpt_cli_print_version(stdout); return 0;
    case O_METHOD:
      if (strcmp(optarg, "auto") && strcmp(optarg, "mip") &&
          strcmp(optarg, "heuristic")) {
        fprintf(stderr, "cptsopt rota: --method: expected auto, mip or "
                        "heuristic, got \"%s\"\n", optarg);
        return 2;
      }
      a->method = optarg;
      break;
    case O_TIME: key = "solver.time_limit_s"; break;
    case O_GAP: key = "solver.mip_gap"; break;
    case O_THREADS: key = "solver.threads"; break;
    case O_SEED: key = "solver.seed"; break;
    case O_SET:
      if (!cpt_cli_add_set(&a->ov, "rota", NULL, optarg)) return 2;
      break;
    case ':':
      fprintf(stderr, "cptsopt rota: %s needs a value\n", argv[optind - 1]);
      return 2;
    default:
      fprintf(stderr, "cptsopt rota: unknown option '%s' (see --help)\n",
              argv[optind - 1]);
      return 2;
    }
    if (key && !cpt_cli_add_set(&a->ov, "rota", key, optarg)) return 2;
  }
  if (optind < argc) {
    fprintf(stderr, "cptsopt rota: unexpected argument '%s' (see --help)\n",
            argv[optind]);
    return 2;
  }
  if (!a->doctors || !a->slots || !a->avail || !a->out) {
    fprintf(stderr, "cptsopt rota: --doctors, --slots, --availability and "
                    "--out are required (see --help)\n");
    return 2;
  }
  return -1;
}

/* ---- --ics ---- */

/* Open DIR/<doctor>.ics for every doctor with a slot, in the run's output
 * set (so they appear together with the rota CSV, or not at all), and
 * write it. */
static cpt_status write_ics_dir(const char *dir, const cpt_doctors *D,
                                const cpt_slots *S,
                                const cpt_rota_solution *sol, cpt_outset *outs,
                                cpt_diags *diags) {
  size_t n = 0;
  for (size_t d = 0; d < D->n; d++) n += sol->load[d] > 0;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    cpt_diag_error(diags, dir, 0, 0, "cannot create directory: %s",
                   strerror(errno));
    return CPT_EIO;
  }
  struct stat sb;
  if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
    cpt_diag_error(diags, dir, 0, 0, "not a directory");
    return CPT_EIO;
  }
  char (*names)[256] = calloc(n ? n : 1, sizeof *names);
  if (!names) return CPT_ENOMEM;
  int32_t *dord = cpt_rota_doctor_order(D);
  if (!dord) {
    free(names);
    return CPT_ENOMEM;
  }
  cpt_status st = CPT_OK;
  size_t k = 0;
  for (size_t j = 0; j < D->n && st == CPT_OK; j++) {
    size_t d = (size_t)dord[j];
    if (sol->load[d] <= 0) continue;
    cpt_rota_ics_name(D->v[d].id, names[k], sizeof names[k]);
    for (size_t i = 0; i < k; i++) /* two ids sanitized alike */
      if (!strcmp(names[i], names[k])) {
        size_t l = strlen(names[k]) - 4; /* drop ".ics" */
        snprintf(names[k] + l, sizeof names[k] - l, "-%zu.ics", d + 1);
        break;
      }
    size_t plen = strlen(dir) + strlen(names[k]) + 2;
    char *p = malloc(plen);
    if (!p) {
      st = CPT_ENOMEM;
      break;
    }
    snprintf(p, plen, "%s/%s", dir, names[k]);
    FILE *f = cpt_outset_open(outs, p, diags);
    free(p);
    if (!f) {
      st = CPT_EIO;
      break;
    }
    st = cpt_rota_write_ics(f, D, S, sol, d);
    if (st != CPT_OK)
      cpt_diag_error(diags, dir, 0, 0, "calendar of doctor %s: %s",
                     D->v[d].id, cpt_status_name(st));
    k++;
  }
  free(dord);
  free(names);
  return st;
}


static void print_rota_summary(FILE *out, const cpt_slots *S,
                               const cpt_rota_solution *sol) {
  size_t need = 0, cov = 0, missing = 0;
  for (size_t s = 0; s < S->n; s++) {
    need += (size_t)S->v[s].need;
    cov += (size_t)sol->covered[s];
    missing += (size_t)sol->under[s];
  }
  fprintf(out,
          "rota: %s, objective %.6g (bound %.6g, gap %.3g%%), %.2f s\n"
          "  %zu slots, %zu doctors needed, %zu assigned, %zu missing\n"
          "  terms: under %.6g, over %.6g, preferred %.6g, fair %.6g, "
          "change %.6g\n",
          cpt_solve_status_name(sol->status), sol->objective, sol->bound,
          sol->status == CPT_SOLVE_OPTIMAL ? 0.0 : 100.0 * sol->gap,
          sol->time_s, S->n, need, cov, missing, sol->term_under,
          sol->term_over, sol->term_preferred, sol->term_fair,
          sol->term_change);
}

/* --method: auto means the exact MIP up to AUTO_MAX_PAIRS y columns (the
 * ALLOWED pairs), the heuristic beyond. */
#define AUTO_MAX_PAIRS 200000
static bool use_heuristic(const char *method, const cpt_rota *R) {
  if (method && !strcmp(method, "heuristic")) return true;
  if (method && !strcmp(method, "mip")) return false;
  size_t n = 0, DS = R->n_doctors * R->n_slots;
  for (size_t i = 0; i < DS; i++) n += (R->ds[i] & CPT_DS_ALLOWED) != 0;
  return n > AUTO_MAX_PAIRS;
}

int cpt_cmd_rota(int argc, char **argv) {
  rota_args a;
  int rc = parse_rota(argc, argv, &a);
  if (rc >= 0) return rc;

  double t0 = cpt_now_s();
  cpt_diags diags;
  cpt_diags_init(&diags);
  cpt_config cfg;
  cpt_config_init(&cfg);
  cpt_communes *communes = NULL;
  cpt_doctors *D = NULL;
  cpt_slots *S = NULL;
  cpt_avails *A = NULL;
  cpt_hists *H = NULL;
  cpt_pins *P = NULL;
  cpt_rota *R = NULL;
  uint8_t *prev = NULL;
  cpt_rota_solution *sol = NULL;
  cpt_outset outs;
  cpt_outset_init(&outs);
  cJSON *report = NULL;
  bool infeasible = false;

  cpt_status st = cpt_cli_load_config(a.config, &a.ov, &cfg, &diags);
  if (st != CPT_OK) goto fail;
  st = cpt_cli_load_communes(a.communes, &communes, &diags);
  if (st != CPT_OK) goto fail;
  /* read every file even when one is bad: list every error */
  cpt_status sts[5] = {
      cpt_doctors_load(a.doctors, communes, &D, &diags),
      cpt_slots_load(a.slots, &S, &diags),
      cpt_avails_load(a.avail, &A, &diags),
      a.history ? cpt_hists_load(a.history, &H, &diags) : CPT_OK,
      a.pinned ? cpt_pins_load(a.pinned, &P, &diags) : CPT_OK};
  for (int i = 0; i < 5; i++)
    if (sts[i] != CPT_OK) {
      st = sts[i];
      goto fail;
    }
  cpt_rota_prep_params pp;
  cpt_rota_prep_params_init(&pp);
  pp.min_rest_h = cfg.rota_min_rest_h;
  pp.max_per_day = (int32_t)cfg.rota_max_per_day;
  st = cpt_rota_prepare(D, S, A, H, P, &pp, &R, &diags);
  if (st != CPT_OK) goto fail;
  if (a.previous) {
    st = cpt_cli_load_previous(a.previous, D, S, &prev, &diags);
    if (st != CPT_OK) goto fail;
  }
  double read_s = cpt_now_s() - t0;

  /* from here a signal stops the solve (and no temporary output is
   * left behind by a signal's default action) */
  cpt_cli_catch_signals();
  /* open outputs before solving: a bad path fails fast */
  bool to_stdout = !strcmp(a.out, "-");
  FILE *fout = cpt_outset_open(&outs, a.out, &diags);
  FILE *frep = a.report ? cpt_outset_open(&outs, a.report, &diags) : NULL;
  FILE *fhtml = a.html ? cpt_outset_open(&outs, a.html, &diags) : NULL;
  if (!fout || (a.report && !frep) || (a.html && !fhtml)) {
    st = CPT_EIO;
    goto fail;
  }

  cpt_rota_solve_params sp;
  cpt_rota_solve_params_init(&sp);
  cpt_cli_rota_solve_params(&cfg, &sp);
  sp.previous = prev;
  sp.stop = &cpt_cli_stop;
  sp.verbose = a.quiet ? 0 : a.verbose;
  sp.log = stderr;
  st = use_heuristic(a.method, R) ? cpt_rota_solve_heuristic(R, S, &sp, &sol,
                                                             &diags)
                                  : cpt_rota_solve_mip(R, S, &sp, &sol, &diags);
  if (st != CPT_OK) goto fail;
  if (sol->status == CPT_SOLVE_INFEASIBLE) {
    infeasible = true;
    goto fail;
  }
  if (sol->status == CPT_SOLVE_NOSOLUTION) {
    cpt_outset_abort(&outs);
    cpt_diags_print(&diags, stderr);
    fprintf(stderr, "cptsopt rota: stopped before a first solution was "
                    "found; nothing written\n");
    rc = CPT_EXIT_NOT_PROVEN;
    goto done;
  }

  cpt_rota_report_info info = {sol->method, cpt_cli_threads(&cfg), read_s,
                               &diags, a.previous};
  st = cpt_rota_write_csv(fout, D, S, sol);
  if (st != CPT_OK) goto fail;
  if (frep) {
    report = cpt_rota_report_json(D, S, R, sol, &cfg, &info);
    st = put_json(frep, report);
    if (st != CPT_OK) goto fail;
  }
  if (a.ics) {
    st = write_ics_dir(a.ics, D, S, sol, &outs, &diags);
    if (st != CPT_OK) goto fail;
  }
  if (fhtml) {
    st = cpt_html_rota(fhtml, D, S, R, sol, &info);
    if (st != CPT_OK) goto fail;
  }
  st = cpt_outset_commit(&outs, &diags);
  if (st != CPT_OK) goto fail;
  if (!a.quiet) {
    cpt_diags_print(&diags, stderr);
    FILE *grid = to_stdout ? stderr : stdout;
    if (cpt_rota_print_grid(grid, D, S, R, sol) != CPT_OK)
      fputs("cptsopt rota: out of memory printing the grid\n", stderr);
    fflush(grid);
    print_rota_summary(stderr, S, sol);
  }
  rc = cpt_cli_exit_for_solve(sol->status);
  goto done;

fail:
  rc = cpt_cli_fail("rota", &outs, &diags, st,
                    infeasible ? "infeasible: the pinned assignments "
                                 "contradict the hard rules above"
                               : NULL);
done:
  cJSON_Delete(report);
  cpt_rota_solution_free(sol);
  free(prev);
  cpt_rota_free(R);
  cpt_pins_free(P);
  cpt_hists_free(H);
  cpt_avails_free(A);
  cpt_slots_free(S);
  cpt_doctors_free(D);
  cpt_communes_free(communes);
  cpt_diags_free(&diags);
  return rc;
}

/* --- nrp ------------------------------------------------------------------ */

static void usage_nrp(FILE *out) {
  fputs(
      "usage: cptsopt nrp INSTANCE.txt [options]\n"
      "\n"
      "Solve a nurse-rostering instance of schedulingbenchmarks.org (the\n"
      "SECTION_HORIZON ... SECTION_COVER text format) exactly with the\n"
      "benchmark's hard rules and objective; print the objective by term.\n"
      "\n"
      "  --solution FILE     the roster: one line per staff member, the id\n"
      "                      then one tab-separated shift id (or nothing) a day\n"
      "  --report FILE       JSON report (status, objective, bound, gap,\n"
      "                      time_s, terms)\n"
      "  --time-limit S      seconds (solver.time_limit_s; 0 = none)\n"
      "  --mip-gap G         relative gap at which to stop (solver.mip_gap)\n"
      "  --threads N         worker threads (solver.threads; 0 = all cores)\n"
      "  --seed N            heuristic seed (solver.seed)\n"
      "  --method M          auto (default), mip or heuristic: mip solves the\n"
      "                      model with GLPK alone; heuristic runs a\n"
      "                      deterministic LNS then GLPK for a bound; auto\n"
      "                      picks mip up to 20000 shift variables\n"
      "  --config FILE, --set KEY=VALUE   as for the other commands\n"
      "  --quiet             print nothing but errors\n"
      "  -v, --verbose       the solver's log\n"
      "  --help, --version\n"
      "\n"
      "Exit: 0 optimal, 1 not proven optimal (time limit, interrupted),\n"
      "2 bad usage or input, 3 infeasible, 4 internal error.\n",
      out);
}

static const struct option nrp_opts[] = {
    {"method", required_argument, 0, O_METHOD},
    {"solution", required_argument, 0, O_SOLUTION},
    {"report", required_argument, 0, O_REPORT},
    {"time-limit", required_argument, 0, O_TIME},
    {"mip-gap", required_argument, 0, O_GAP},
    {"threads", required_argument, 0, O_THREADS},
    {"seed", required_argument, 0, O_SEED},
    {"config", required_argument, 0, O_CONFIG},
    {"set", required_argument, 0, O_SET},
    {"quiet", no_argument, 0, O_QUIET},
    {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, O_HELP},
    {"version", no_argument, 0, O_VERSION},
    {0, 0, 0, 0}};

typedef struct nrp_args {
  const char *instance, *solution, *report, *config;
  const char *method; /* "auto", "mip" or "heuristic" */
  cpt_cli_overrides ov;
  bool quiet;
  int verbose;
} nrp_args;

static int parse_nrp(int argc, char **argv, nrp_args *a) {
  memset(a, 0, sizeof *a);
  optind = 0;
  opterr = 0;
  int o;
  while ((o = getopt_long(argc, argv, ":v", nrp_opts, NULL)) != -1) {
    const char *key = NULL;
    switch (o) {
    case O_SOLUTION: a->solution = optarg; break;
    case O_REPORT: a->report = optarg; break;
    case O_CONFIG: a->config = optarg; break;
    case O_QUIET: a->quiet = true; break;
    case 'v': a->verbose++; break;
    case O_HELP: usage_nrp(stdout); return 0;
    case O_METHOD:
      if (strcmp(optarg, "auto") && strcmp(optarg, "mip") &&
          strcmp(optarg, "heuristic")) {
        fprintf(stderr, "cptsopt nrp: --method: expected auto, mip or "
                        "heuristic, got \"%s\"\n", optarg);
        return 2;
      }
      a->method = optarg;
      break;
    case O_VERSION: cpt_cli_print_version(stdout); return 0;
    case O_TIME: key = "solver.time_limit_s"; break;
    case O_GAP: key = "solver.mip_gap"; break;
    case O_THREADS: key = "solver.threads"; break;
    case O_SEED: key = "solver.seed"; break;
    case O_SET:
      if (!cpt_cli_add_set(&a->ov, "nrp", NULL, optarg)) return 2;
      break;
    case ':':
      fprintf(stderr, "cptsopt nrp: %s needs a value\n", argv[optind - 1]);
      return 2;
    default:
      fprintf(stderr, "cptsopt nrp: unknown option '%s' (see --help)\n",
              argv[optind - 1]);
      return 2;
    }
    if (key && !cpt_cli_add_set(&a->ov, "nrp", key, optarg)) return 2;
  }
  if (optind + 1 != argc) {
    fprintf(stderr, "cptsopt nrp: expected one instance file (see --help)\n");
    return 2;
  }
  a->instance = argv[optind];
  return -1;
}

/* --method: auto means the exact MIP up to NRP_AUTO_MAX_X x columns (the
 * (staff, day, shift) triples not ruled out by a day off or a zero
 * maximum), the heuristic beyond. */
#define NRP_AUTO_MAX_X 20000
static bool nrp_use_heuristic(const char *method,
                              const cpt_nrp_instance *in) {
  if (method && !strcmp(method, "heuristic")) return true;
  if (method && !strcmp(method, "mip")) return false;
  size_t n = 0;
  for (int s = 0; s < in->n_staff; s++)
    for (int d = 0; d < in->horizon; d++) {
      if (in->day_off && in->day_off[(size_t)s * in->horizon + d]) continue;
      for (int t = 0; t < in->n_shifts; t++)
        n += in->staff[s].max_shifts[t] > 0;
    }
  return n > NRP_AUTO_MAX_X;
}

int cpt_cmd_nrp(int argc, char **argv) {
  nrp_args a;
  int rc = parse_nrp(argc, argv, &a);
  if (rc >= 0) return rc;

  cpt_diags diags;
  cpt_diags_init(&diags);
  cpt_config cfg;
  cpt_config_init(&cfg);
  cpt_nrp_instance *inst = NULL;
  cpt_nrp_solution *sol = NULL;
  cpt_nrp_eval ev;
  memset(&ev, 0, sizeof ev);
  cpt_outset outs;
  cpt_outset_init(&outs);
  cJSON *report = NULL;
  bool infeasible = false;

  cpt_status st = cpt_cli_load_config(a.config, &a.ov, &cfg, &diags);
  if (st != CPT_OK) goto fail;
  st = cpt_nrp_load(a.instance, &inst, &diags);
  if (st != CPT_OK) goto fail;
  /* from here a signal stops the solve (and no temporary output is
   * left behind by a signal's default action) */
  cpt_cli_catch_signals();
  FILE *fsol = a.solution ? cpt_outset_open(&outs, a.solution, &diags) : NULL;
  FILE *frep = a.report ? cpt_outset_open(&outs, a.report, &diags) : NULL;
  if ((a.solution && !fsol) || (a.report && !frep)) {
    st = CPT_EIO;
    goto fail;
  }

  cpt_nrp_solve_params sp;
  cpt_nrp_solve_params_init(&sp);
  sp.time_limit_s = cfg.solver_time_limit_s;
  sp.mip_gap = cfg.solver_mip_gap;
  sp.stop = &cpt_cli_stop;
  sp.verbose = a.quiet ? 0 : a.verbose;
  sp.log = stderr;
  sp.threads = (int)cfg.solver_threads;
  sp.seed = (uint64_t)cfg.solver_seed;
  const char *method = nrp_use_heuristic(a.method, inst) ? "heuristic" : "mip";
  st = strcmp(method, "mip") ? cpt_nrp_solve_heuristic(inst, &sp, &sol, &diags)
                             : cpt_nrp_solve_mip(inst, &sp, &sol, &diags);
  if (st != CPT_OK) goto fail;
  if (sol->status == CPT_SOLVE_INFEASIBLE) {
    infeasible = true;
    goto fail;
  }
  if (!sol->roster) {
    cpt_outset_abort(&outs);
    cpt_diags_print(&diags, stderr);
    fprintf(stderr, "cptsopt nrp: %s before a first solution; nothing "
                    "written\n", cpt_solve_status_name(sol->status));
    rc = CPT_EXIT_NOT_PROVEN;
    goto done;
  }
  st = cpt_nrp_evaluate(inst, sol->roster, &ev);
  if (st != CPT_OK) goto fail;
  if (ev.n_violations) {
    cpt_diag_error(&diags, a.instance, 0, 0,
                   "internal: the solver's roster breaks %zu hard rule(s)",
                   ev.n_violations);
    st = CPT_EINTERNAL;
    goto fail;
  }
  bool proven = sol->status == CPT_SOLVE_OPTIMAL;
  double gap = proven ? 0.0 : sol->gap;
  if (fsol) {
    st = cpt_nrp_roster_write(inst, sol->roster, fsol);
    if (st != CPT_OK) goto fail;
  }
  if (frep) {
    report = cJSON_CreateObject();
    cJSON *terms = report ? cJSON_AddObjectToObject(report, "terms") : NULL;
    cJSON *c = cpt_config_to_json(&cfg);
    if (!terms || !c) {
      cJSON_Delete(c);
      st = CPT_ENOMEM;
      goto fail;
    }
    cJSON_AddStringToObject(report, "status",
                            cpt_solve_status_name(sol->status));
    cJSON_AddNumberToObject(report, "objective", (double)ev.objective);
    cJSON_AddNumberToObject(report, "bound", sol->bound);
    cJSON_AddNumberToObject(report, "gap", gap);
    cJSON_AddNumberToObject(report, "time_s", sol->time_s);
    cJSON_AddStringToObject(report, "method", method);
    cJSON_AddNumberToObject(report, "threads", cpt_cli_threads(&cfg));
    cJSON_AddNumberToObject(report, "seed", (double)cfg.solver_seed);
    cJSON_AddItemToObject(report, "config", c);
    cJSON_AddStringToObject(report, "version", CPT_VERSION);
    cJSON_AddStringToObject(report, "instance", a.instance);
    cJSON_AddNumberToObject(terms, "on_requests", (double)ev.on_requests);
    cJSON_AddNumberToObject(terms, "off_requests", (double)ev.off_requests);
    cJSON_AddNumberToObject(terms, "under_cover", (double)ev.under_cover);
    cJSON_AddNumberToObject(terms, "over_cover", (double)ev.over_cover);
    cJSON_AddNumberToObject(report, "staff", inst->n_staff);
    cJSON_AddNumberToObject(report, "horizon", inst->horizon);
    cJSON_AddNumberToObject(report, "rows", (double)sol->rows);
    cJSON_AddNumberToObject(report, "cols", (double)sol->cols);
    cJSON_AddNumberToObject(report, "nodes", (double)sol->nodes);
    st = put_json(frep, report);
    if (st != CPT_OK) goto fail;
  }
  st = cpt_outset_commit(&outs, &diags);
  if (st != CPT_OK) goto fail;
  if (!a.quiet) {
    cpt_diags_print(&diags, stderr);
    printf("status        %s\n"
           "objective     %lld\n"
           "  on requests   %lld\n"
           "  off requests  %lld\n"
           "  under cover   %lld\n"
           "  over cover    %lld\n"
           "bound         %.6g\n"
           "gap           %.4g%%\n"
           "time_s        %.2f\n",
           cpt_solve_status_name(sol->status), ev.objective, ev.on_requests,
           ev.off_requests, ev.under_cover, ev.over_cover, sol->bound,
           100.0 * gap, sol->time_s);
    fflush(stdout);
  }
  rc = cpt_cli_exit_for_solve(sol->status);
  goto done;

fail:
  rc = cpt_cli_fail("nrp", &outs, &diags, st,
                    infeasible ? "the instance is infeasible" : NULL);
done:
  cJSON_Delete(report);
  cpt_nrp_eval_free(&ev);
  cpt_nrp_solution_free(sol);
  cpt_nrp_free(inst);
  cpt_diags_free(&diags);
  return rc;
}
