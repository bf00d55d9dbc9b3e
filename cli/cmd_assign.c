/*
 * cmd_assign.c — `cptsopt assign` and `cptsopt depart`: read doctors and
 * patients, solve the médecin-traitant model of SPEC §1, write the
 * assignments CSV and the JSON report atomically, print a summary.
 *
 * depart is the same model with leaving doctors removed; the patients to
 * place are those whose prev_doctor is a leaving doctor (or the whole file
 * when none is), optionally in waves and with ranked alternatives.
 *
 * Exit codes (SPEC §5): 0 optimal, 1 not proven optimal (time limit,
 * interrupted), 2 bad usage or input, 4 internal error.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../models/assign.h"
#include "../models/readers.h"
#include "../solver/clock.h"
#include "cli.h"
#include "html_assign.h"
#include "inputs.h"
#include "outfile.h"
#include "report_assign.h"

static void usage(FILE *out, bool depart) {
  if (depart)
    fputs(
        "usage: cptsopt depart --doctors D.csv --patients P.csv --leaving ID[,ID...]\n"
        "                      [--waves K] [--max-new-per-wave M] [--proposals K] [options]\n"
        "\n"
        "A doctor leaves (retirement, death): place their patients with the\n"
        "colleagues who have room, priority patients first, the same practice\n"
        "preferred, households together.  The patients to place are those of\n"
        "the patients file whose prev_doctor is a leaving doctor (the whole\n"
        "file when none is).\n"
        "\n"
        "  --leaving IDS       the leaving doctors' ids, comma-separated (required)\n"
        "  --waves K           spread the intake over K periods (e.g. months)\n"
        "  --max-new-per-wave M  at most M new patients per doctor per wave; a\n"
        "                      doctor's max_new also counts per wave\n"
        "  --proposals K       list the chosen doctor and up to K-1 alternatives\n"
        "                      that still have room (the CPTS proposes 2-3 names)\n"
        "\n"
        "and every option of assign:\n",
        out);
  else
    fputs(
      "usage: cptsopt assign --doctors D.csv --patients P.csv [options]\n"
      "\n"
      "Find a médecin traitant for patients who have none: each patient goes\n"
      "to at most one doctor with spare list capacity, by priority (ALD, 70+,\n"
      "children, precarity), distance, continuity of practice and fair load;\n"
      "households stay together.  The model is SPEC §1.\n"
      "\n",
      out);
  fputs(
      "  --doctors FILE      doctors CSV (id, commune | lat+lon, site, capacity,\n"
      "                      current, max_new, children, home_visits)\n"
      "  --patients FILE     patients CSV (id, commune | lat+lon, age, ald,\n"
      "                      precarity, home_visit, household, prev_doctor, max_km)\n"
      "  --config FILE       JSON config (see `cptsopt config-help`)\n"
      "  --out FILE          assignments CSV (patient,doctor,distance_km,reason);\n"
      "                      default: standard output\n"
      "  --report FILE       JSON report (status, objective, bound, gap, loads...)\n"
      "  --html FILE         self-contained HTML report: map, loads, categories,\n"
      "                      distances (no script; opens offline, prints)\n"
      "  --method M          auto (default): flow without households; with\n"
      "                      them, when small, repair then mip from its\n"
      "                      plan; heuristic when large\n"
      "                      flow: exact network model (no households)\n"
      "                      mip: the integer program in GLPK alone\n"
      "                      repair: flow relaxation + household repair\n"
      "                      heuristic: GAP core (LP bound by a flow, local\n"
      "                      search, LNS), for large territories\n"
      "  --time-limit S      seconds (solver.time_limit_s; 0 = none)\n"
      "  --mip-gap G         relative gap at which mip or heuristic stops\n"
      "                      (solver.mip_gap)\n"
      "  --threads N         worker threads (solver.threads; 0 = all cores)\n"
      "  --seed N            random seed (solver.seed)\n"
      "  --set KEY=VALUE     any config option, e.g. --set assign.max_km=15\n"
      "  --communes FILE     communes table (default: the bundled one)\n"
      "  --quiet             no summary or progress on stderr\n"
      "  -v, --verbose       progress lines; twice: the solver's own log\n"
      "  --help, --version\n"
      "\n"
      "Exit: 0 optimal, 1 not proven optimal (time limit, interrupted),\n"
      "2 bad usage or input, 4 internal error.\n",
      out);
}

typedef struct progress_ctx { double t0; bool tty; int verbose; } progress_ctx;

static void on_progress(void *arg, const char *phase, const char *detail) {
  progress_ctx *p = arg;
  double t = cpt_now_s() - p->t0;
  if (p->verbose)
    fprintf(stderr, "* %7.2f s  %s: %s\n", t, phase, detail);
  else if (p->tty)
    fprintf(stderr, "\r\033[K[%6.1f s] %s: %s", t, phase, detail);
}

enum { O_DOCTORS = 256, O_PATIENTS, O_CONFIG, O_OUT, O_REPORT, O_METHOD,
       O_TIME, O_GAP, O_THREADS, O_SEED, O_SET, O_COMMUNES, O_QUIET, O_HELP,
       O_VERSION, O_LEAVING, O_WAVES, O_PERWAVE, O_PROPOSALS, O_HTML };

static const struct option long_opts[] = {
    {"doctors", required_argument, 0, O_DOCTORS},
    {"patients", required_argument, 0, O_PATIENTS},
    {"config", required_argument, 0, O_CONFIG},
    {"out", required_argument, 0, O_OUT},
    {"report", required_argument, 0, O_REPORT},
    {"html", required_argument, 0, O_HTML},
    {"method", required_argument, 0, O_METHOD},
    {"time-limit", required_argument, 0, O_TIME},
    {"mip-gap", required_argument, 0, O_GAP},
    {"threads", required_argument, 0, O_THREADS},
    {"seed", required_argument, 0, O_SEED},
    {"set", required_argument, 0, O_SET},
    {"communes", required_argument, 0, O_COMMUNES},
    {"quiet", no_argument, 0, O_QUIET},
    {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, O_HELP},
    {"version", no_argument, 0, O_VERSION},
    {"leaving", required_argument, 0, O_LEAVING},
    {"waves", required_argument, 0, O_WAVES},
    {"max-new-per-wave", required_argument, 0, O_PERWAVE},
    {"proposals", required_argument, 0, O_PROPOSALS},
    {0, 0, 0, 0}};

#define MAX_LEAVING 4096

typedef struct args {
  bool depart;
  const char *cmd; /* "assign" or "depart" */
  const char *doctors, *patients, *config, *out, *report, *html, *communes;
  cpt_cli_overrides ov;
  const char *leaving[MAX_LEAVING];
  size_t nleaving;
  long waves, per_wave, proposals;
  cpt_assign_method method;
  bool quiet;
  int verbose;
} args;

/* A whole-number option value in [lo, hi]; false with a message if not. */
static bool int_opt(const char *cmd, const char *name, const char *v, long lo,
                    long hi, long *out) {
  if (cpt_cli_parse_long(v, out) && *out >= lo && *out <= hi) return true;
  fprintf(stderr, "cptsopt %s: %s: expected an integer %ld-%ld, got \"%s\"\n",
          cmd, name, lo, hi, v);
  return false;
}

/* Returns −1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, bool depart, args *a) {
  memset(a, 0, sizeof *a);
  a->depart = depart;
  a->cmd = depart ? "depart" : "assign";
  a->waves = 1;
  a->per_wave = -1;
  a->proposals = 1;
  const char *cmd = a->cmd;
  optind = 0; /* glibc: full re-initialisation (tests call us repeatedly) */
  opterr = 0;
  int o;
  while ((o = getopt_long(argc, argv, ":v", long_opts, NULL)) != -1) {
    const char *key = NULL;
    switch (o) {
    case O_DOCTORS: a->doctors = optarg; break;
    case O_PATIENTS: a->patients = optarg; break;
    case O_CONFIG: a->config = optarg; break;
    case O_OUT: a->out = optarg; break;
    case O_REPORT: a->report = optarg; break;
    case O_HTML: a->html = optarg; break;
    case O_COMMUNES: a->communes = optarg; break;
    case O_QUIET: a->quiet = true; break;
    case 'v': a->verbose++; break;
    case O_HELP: usage(stdout, depart); return 0;
    case O_VERSION: cpt_cli_print_version(stdout); return 0;
    case O_METHOD:
      if (cpt_assign_method_parse(optarg, &a->method) != 0) {
        fprintf(stderr, "cptsopt %s: --method: expected auto, flow, mip, "
                        "repair or heuristic, got \"%s\"\n", cmd, optarg);
        return 2;
      }
      break;
    case O_LEAVING:
      if (!depart) goto depart_only;
      for (char *t = strtok(optarg, ","); t; t = strtok(NULL, ",")) {
        if (a->nleaving == MAX_LEAVING) {
          fprintf(stderr, "cptsopt depart: --leaving: at most %d doctors\n",
                  MAX_LEAVING);
          return 2;
        }
        if (*t) a->leaving[a->nleaving++] = t;
      }
      break;
    case O_WAVES:
      if (!depart) goto depart_only;
      if (!int_opt(cmd, "--waves", optarg, 1, 120, &a->waves)) return 2;
      break;
    case O_PERWAVE:
      if (!depart) goto depart_only;
      if (!int_opt(cmd, "--max-new-per-wave", optarg, 0, 100000, &a->per_wave))
        return 2;
      break;
    case O_PROPOSALS:
      if (!depart) goto depart_only;
      if (!int_opt(cmd, "--proposals", optarg, 1, 10, &a->proposals)) return 2;
      break;
    case O_TIME: key = "solver.time_limit_s"; break;
    case O_GAP: key = "solver.mip_gap"; break;
    case O_THREADS: key = "solver.threads"; break;
    case O_SEED: key = "solver.seed"; break;
    case O_SET:
      if (!cpt_cli_add_set(&a->ov, cmd, NULL, optarg)) return 2;
      break;
    case ':':
      fprintf(stderr, "cptsopt %s: %s needs a value\n", cmd, argv[optind - 1]);
      return 2;
    default:
      fprintf(stderr, "cptsopt %s: unknown option '%s' (see --help)\n", cmd,
              argv[optind - 1]);
      return 2;
    depart_only:
      fprintf(stderr, "cptsopt assign: --leaving, --waves, --max-new-per-wave "
                      "and --proposals are options of cptsopt depart\n");
      return 2;
    }
    if (key && !cpt_cli_add_set(&a->ov, cmd, key, optarg)) return 2;
  }
  if (optind < argc) {
    fprintf(stderr, "cptsopt %s: unexpected argument '%s' (see --help)\n",
            cmd, argv[optind]);
    return 2;
  }
  if (!a->doctors || !a->patients) {
    fprintf(stderr, "cptsopt %s: --doctors and --patients are required "
                    "(see --help)\n", cmd);
    return 2;
  }
  if (depart && !a->nleaving) {
    fprintf(stderr, "cptsopt depart: --leaving is required (see --help)\n");
    return 2;
  }
  return -1;
}

static int run(int argc, char **argv, bool depart) {
  args a;
  int rc = parse_args(argc, argv, depart, &a);
  if (rc >= 0) return rc;

  double t0 = cpt_now_s();
  cpt_diags diags;
  cpt_diags_init(&diags);
  cpt_config cfg;
  cpt_config_init(&cfg);
  cpt_communes *communes = NULL;
  cpt_doctors *D = NULL;
  cpt_patients *P = NULL, *Pall = NULL;
  cpt_assign_result *r = NULL;
  cpt_outset outs;
  cpt_outset_init(&outs);
  cJSON *report = NULL;
  rc = CPT_EXIT_INPUT;

  cpt_status st = cpt_cli_load_config(a.config, &a.ov, &cfg, &diags);
  if (st != CPT_OK) goto fail;

  st = cpt_cli_load_communes(a.communes, &communes, &diags);
  if (st != CPT_OK) goto fail;
  /* read both files even when the first is bad: list every error */
  cpt_status sd = cpt_doctors_load(a.doctors, communes, &D, &diags);
  cpt_status sp = cpt_patients_load(a.patients, communes, &Pall, &diags);
  if (sd != CPT_OK || sp != CPT_OK) {
    st = sd != CPT_OK ? sd : sp;
    goto fail;
  }
  bool whole_file = true;
  if (depart) {
    P = cpt_cli_select_departing(Pall, a.leaving, a.nleaving, &whole_file);
    if (!P) {
      st = CPT_ENOMEM;
      goto fail;
    }
    if (whole_file)
      cpt_diag_warn(&diags, a.patients, 0, 0,
                    "no patient names a leaving doctor as prev_doctor: "
                    "placing every patient of the file");
  } else {
    P = Pall;
    Pall = NULL;
  }
  double read_s = cpt_now_s() - t0;

  /* from here a signal stops the solve (and no temporary output is
   * left behind by a signal's default action) */
  cpt_cli_catch_signals();
  /* open outputs before solving: a bad path fails fast */
  FILE *fout = cpt_outset_open(&outs, a.out ? a.out : "-", &diags);
  FILE *frep = a.report ? cpt_outset_open(&outs, a.report, &diags) : NULL;
  FILE *fhtml = a.html ? cpt_outset_open(&outs, a.html, &diags) : NULL;
  if (!fout || (a.report && !frep) || (a.html && !fhtml)) {
    st = CPT_EIO;
    goto fail;
  }

  progress_ctx pc = {t0, !a.quiet && isatty(2), a.quiet ? 0 : a.verbose};
  cpt_assign_params ap;
  cpt_assign_params_init(&ap);
  ap.method = a.method;
  ap.leaving = a.leaving;
  ap.n_leaving = a.nleaving;
  ap.waves = (int32_t)a.waves;
  ap.max_new_per_wave = (int32_t)a.per_wave;
  ap.proposals = (int32_t)a.proposals;
  ap.stop = &cpt_cli_stop;
  ap.verbose = a.quiet ? 0 : a.verbose;
  ap.log = stderr;
  ap.progress = on_progress;
  ap.progress_arg = &pc;
  st = cpt_assign_solve(D, P, &cfg, &ap, &r, &diags);
  if (pc.tty && !pc.verbose) fputs("\r\033[K", stderr);
  if (st != CPT_OK) goto fail;

  int threads = cpt_cli_threads(&cfg);
  cpt_assign_report_info info = {a.cmd,      threads,     read_s,
                                 &diags,     a.leaving,   a.nleaving,
                                 (int32_t)a.waves};
  cpt_assign_write_csv(fout, D, P, r, &info);
  if (frep) {
    report = cpt_assign_report_json(D, P, r, &cfg, &info);
    char *text = report ? cJSON_Print(report) : NULL;
    if (!text) {
      st = CPT_ENOMEM;
      goto fail;
    }
    fputs(text, frep);
    fputc('\n', frep);
    cJSON_free(text);
  }
  if (fhtml) {
    st = cpt_html_assign(fhtml, D, P, r, communes, &info);
    if (st != CPT_OK) goto fail;
  }
  st = cpt_outset_commit(&outs, &diags);
  if (st != CPT_OK) goto fail;
  if (!a.quiet) {
    cpt_diags_print(&diags, stderr);
    cpt_assign_print_summary(stderr, D, P, r, &info);
  }
  rc = cpt_cli_exit_for_solve(r->status);
  goto done;

fail:
  rc = cpt_cli_fail(a.cmd, &outs, &diags, st, NULL);
done:
  cJSON_Delete(report);
  cpt_assign_result_free(r);
  cpt_doctors_free(D);
  cpt_patients_free(P);
  cpt_patients_free(Pall);
  cpt_communes_free(communes);
  cpt_diags_free(&diags);
  return rc;
}

int cpt_cmd_assign(int argc, char **argv) { return run(argc, argv, false); }
int cpt_cmd_depart(int argc, char **argv) { return run(argc, argv, true); }
