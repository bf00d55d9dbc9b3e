/*
 * cmd_export.c — `cptsopt export assign|rota`: read the inputs exactly as
 * `assign` / `rota` do, build the integer program that `--method mip`
 * solves (cpt_assign_build_mip, cpt_rota_build_mip), and write it in CPLEX
 * LP or free MPS format (GLPK's writers, solver/mip.h) with readable row
 * and column names, so that CBC, HiGHS or a commercial solver can solve
 * the same model.
 *
 * Conventions of the files (cpt_mip_write): the objective constant is the
 * column "const" fixed at 1; MPS has no objective sense, so the assign
 * model (a maximization) is written there as the minimization of −f; the
 * LP file keeps "Maximize".  The file is written to a temporary file next
 * to the target and renamed (cli/outfile.h): nothing half-written.
 *
 * Exit codes: 0 written, 2 bad usage or input or the file cannot be
 * written, 3 the pinned assignments contradict the hard rules (no model),
 * 4 internal error.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../models/assign.h"
#include "../models/readers.h"
#include "../models/rota.h"
#include "../models/rota_model.h"
#include "../solver/mip.h"
#include "cli.h"
#include "cmd_tools.h"
#include "inputs.h"
#include "outfile.h"

static void usage(FILE *out) {
  fputs(
      "usage: cptsopt export assign --doctors D.csv --patients P.csv\n"
      "                      [--leaving ID[,ID...]] --format lp|mps\n"
      "                      --out FILE [options]\n"
      "       cptsopt export rota --doctors D.csv --slots S.csv\n"
      "                      --availability A.csv [--history H.csv]\n"
      "                      [--pinned PIN.csv] [--previous ROTA.csv]\n"
      "                      --format lp|mps --out FILE [options]\n"
      "\n"
      "Write the integer program that `--method mip` solves, for another\n"
      "solver (CBC, HiGHS, a commercial one), in CPLEX LP or free MPS format\n"
      "with readable names (cap_D12, x_P17_D12, cover_S3, y_D12_S3, ...;\n"
      "see the README).  The objective constant is the column \"const\"\n"
      "fixed at 1; MPS has no objective sense, so the assign model (a\n"
      "maximization) is written there as minimize -f.\n"
      "\n"
      "  --format F          lp or mps (default: from the --out extension)\n"
      "  --out FILE          the model file (required)\n"
      "  --doctors, --patients, --slots, --availability, --history,\n"
      "  --pinned, --previous FILE   the inputs, as for assign and rota\n"
      "  --leaving IDS       assign: the model of `cptsopt depart` (the\n"
      "                      leaving doctors take nobody; the patients are\n"
      "                      those whose prev_doctor leaves, as in depart)\n"
      "  --config FILE       JSON config (weights; see `cptsopt config-help`)\n"
      "  --set KEY=VALUE     any config option\n"
      "  --communes FILE     communes table (default: the bundled one)\n"
      "  --quiet             no summary on stderr\n"
      "  --help, --version\n"
      "\n"
      "Exit: 0 written, 2 bad usage or input, 3 pinned assignments clash\n"
      "with a hard rule (no model), 4 internal error.\n",
      out);
}

enum { O_DOCTORS = 256, O_PATIENTS, O_SLOTS, O_AVAIL, O_HISTORY, O_PINNED,
       O_PREVIOUS, O_CONFIG, O_SET, O_COMMUNES, O_FORMAT, O_OUT, O_QUIET,
       O_HELP, O_VERSION, O_LEAVING };

static const struct option opts[] = {
    {"doctors", required_argument, 0, O_DOCTORS},
    {"patients", required_argument, 0, O_PATIENTS},
    {"slots", required_argument, 0, O_SLOTS},
    {"availability", required_argument, 0, O_AVAIL},
    {"history", required_argument, 0, O_HISTORY},
    {"pinned", required_argument, 0, O_PINNED},
    {"previous", required_argument, 0, O_PREVIOUS},
    {"config", required_argument, 0, O_CONFIG},
    {"set", required_argument, 0, O_SET},
    {"communes", required_argument, 0, O_COMMUNES},
    {"format", required_argument, 0, O_FORMAT},
    {"out", required_argument, 0, O_OUT},
    {"quiet", no_argument, 0, O_QUIET},
    {"help", no_argument, 0, O_HELP},
    {"version", no_argument, 0, O_VERSION},
    {"leaving", required_argument, 0, O_LEAVING},
    {0, 0, 0, 0}};

#define MAX_LEAVING 4096

typedef struct export_args {
  bool rota; /* else assign */
  const char *doctors, *patients, *slots, *avail, *history, *pinned,
      *previous, *config, *communes, *out;
  char format; /* 'l' or 'm' */
  const char *leaving[MAX_LEAVING];
  size_t nleaving;
  cpt_cli_overrides ov;
  bool quiet;
} export_args;

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  if (n < k) return false;
  for (size_t i = 0; i < k; i++)
    if ((s[n - k + i] | 0x20) != suffix[i]) return false;
  return true;
}

/* Returns −1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, export_args *a) {
  memset(a, 0, sizeof *a);
  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    usage(stdout);
    return 0;
  }
  if (argc < 2 || (strcmp(argv[1], "assign") && strcmp(argv[1], "rota"))) {
    fprintf(stderr, "cptsopt export: expected the model, assign or rota, "
                    "first (see --help)\n");
    return 2;
  }
  a->rota = !strcmp(argv[1], "rota");
  argc--;
  argv++;
  optind = 0; /* glibc: full re-initialisation (tests call us repeatedly) */
  opterr = 0;
  const char *format = NULL;
  int o;
  while ((o = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
    const char *rota_only = NULL, *assign_only = NULL;
    switch (o) {
    case O_DOCTORS: a->doctors = optarg; break;
    case O_PATIENTS: a->patients = optarg; assign_only = "--patients"; break;
    case O_LEAVING:
      assign_only = "--leaving";
      for (char *t = strtok(optarg, ","); t; t = strtok(NULL, ",")) {
        if (a->nleaving == MAX_LEAVING) {
          fprintf(stderr, "cptsopt export: --leaving: at most %d doctors\n",
                  MAX_LEAVING);
          return 2;
        }
        if (*t) a->leaving[a->nleaving++] = t;
      }
      break;
    case O_SLOTS: a->slots = optarg; rota_only = "--slots"; break;
    case O_AVAIL: a->avail = optarg; rota_only = "--availability"; break;
    case O_HISTORY: a->history = optarg; rota_only = "--history"; break;
    case O_PINNED: a->pinned = optarg; rota_only = "--pinned"; break;
    case O_PREVIOUS: a->previous = optarg; rota_only = "--previous"; break;
    case O_CONFIG: a->config = optarg; break;
    case O_COMMUNES: a->communes = optarg; break;
    case O_OUT: a->out = optarg; break;
    case O_FORMAT: format = optarg; break;
    case O_QUIET: a->quiet = true; break;
    case O_HELP: usage(stdout); return 0;
    case O_VERSION: cpt_cli_print_version(stdout); return 0;
    case O_SET:
      if (!cpt_cli_add_set(&a->ov, "export", NULL, optarg)) return 2;
      break;
    case ':':
      fprintf(stderr, "cptsopt export: %s needs a value\n", argv[optind - 1]);
      return 2;
    default:
      fprintf(stderr, "cptsopt export: unknown option '%s' (see --help)\n",
              argv[optind - 1]);
      return 2;
    }
    if ((rota_only && !a->rota) || (assign_only && a->rota)) {
      fprintf(stderr, "cptsopt export: %s is an option of export %s\n",
              rota_only ? rota_only : assign_only,
              rota_only ? "rota" : "assign");
      return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "cptsopt export: unexpected argument '%s' (see --help)\n",
            argv[optind]);
    return 2;
  }
  if (!a->out || !strcmp(a->out, "-")) {
    fprintf(stderr, "cptsopt export: --out FILE is required (a file: the "
                    "model is written by GLPK)\n");
    return 2;
  }
  if (!format)
    format = ends_with(a->out, ".lp")    ? "lp"
             : ends_with(a->out, ".mps") ? "mps"
                                         : NULL;
  if (!format || (strcmp(format, "lp") && strcmp(format, "mps"))) {
    fprintf(stderr, "cptsopt export: --format: expected lp or mps%s%s%s\n",
            format ? ", got \"" : " (or an --out ending in .lp or .mps)",
            format ? format : "", format ? "\"" : "");
    return 2;
  }
  a->format = format[0] == 'l' ? 'l' : 'm';
  if (!a->doctors || (a->rota ? !a->slots || !a->avail : !a->patients)) {
    fprintf(stderr, "cptsopt export: %s are required (see --help)\n",
            a->rota ? "--doctors, --slots and --availability"
                    : "--doctors and --patients");
    return 2;
  }
  return -1;
}

/* The assign program of the files. */
static cpt_status build_assign(const export_args *a, const cpt_config *cfg,
                               const cpt_communes *communes, cpt_mip **m,
                               cpt_diags *diags) {
  cpt_doctors *D = NULL;
  cpt_patients *P = NULL;
  /* read both files even when the first is bad: list every error */
  cpt_status sd = cpt_doctors_load(a->doctors, communes, &D, diags);
  cpt_status sp = cpt_patients_load(a->patients, communes, &P, diags);
  cpt_status st = sd != CPT_OK ? sd : sp;
  cpt_patients *sel = NULL;
  if (st == CPT_OK && a->nleaving) {
    bool whole_file;
    sel = cpt_cli_select_departing(P, a->leaving, a->nleaving, &whole_file);
    if (!sel)
      st = CPT_ENOMEM;
    else if (whole_file)
      cpt_diag_warn(diags, a->patients, 0, 0,
                    "no patient names a leaving doctor as prev_doctor: "
                    "placing every patient of the file");
  }
  cpt_assign_params ap;
  cpt_assign_params_init(&ap);
  ap.leaving = a->leaving;
  ap.n_leaving = a->nleaving;
  if (st == CPT_OK)
    st = cpt_assign_build_mip(D, sel ? sel : P, cfg, &ap, m, diags);
  cpt_patients_free(sel);
  cpt_patients_free(P);
  cpt_doctors_free(D);
  return st;
}

/* The rota program of the files; *m NULL with CPT_OK when the pinned
 * pairs clash (errors in diags). */
static cpt_status build_rota(const export_args *a, const cpt_config *cfg,
                             const cpt_communes *communes, cpt_mip **m,
                             cpt_diags *diags) {
  cpt_doctors *D = NULL;
  cpt_slots *S = NULL;
  cpt_avails *A = NULL;
  cpt_hists *H = NULL;
  cpt_pins *P = NULL;
  cpt_rota *R = NULL;
  uint8_t *prev = NULL;
  cpt_status sts[5] = {
      cpt_doctors_load(a->doctors, communes, &D, diags),
      cpt_slots_load(a->slots, &S, diags),
      cpt_avails_load(a->avail, &A, diags),
      a->history ? cpt_hists_load(a->history, &H, diags) : CPT_OK,
      a->pinned ? cpt_pins_load(a->pinned, &P, diags) : CPT_OK};
  cpt_status st = CPT_OK;
  for (int i = 0; i < 5 && st == CPT_OK; i++) st = sts[i];
  if (st == CPT_OK) {
    cpt_rota_prep_params pp;
    cpt_rota_prep_params_init(&pp);
    pp.min_rest_h = cfg->rota_min_rest_h;
    pp.max_per_day = (int32_t)cfg->rota_max_per_day;
    st = cpt_rota_prepare(D, S, A, H, P, &pp, &R, diags);
  }
  if (st == CPT_OK && a->previous)
    st = cpt_cli_load_previous(a->previous, D, S, &prev, diags);
  if (st == CPT_OK) {
    cpt_rota_solve_params sp;
    cpt_rota_solve_params_init(&sp);
    cpt_cli_rota_solve_params(cfg, &sp);
    sp.previous = prev;
    st = cpt_rota_build_mip(R, D, S, &sp, m, diags);
  }
  free(prev);
  cpt_rota_free(R);
  cpt_pins_free(P);
  cpt_hists_free(H);
  cpt_avails_free(A);
  cpt_slots_free(S);
  cpt_doctors_free(D);
  return st;
}

int cpt_cmd_export(int argc, char **argv) {
  export_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc >= 0) return rc;

  cpt_diags diags;
  cpt_diags_init(&diags);
  cpt_config cfg;
  cpt_config_init(&cfg);
  cpt_communes *communes = NULL;
  cpt_mip *m = NULL;
  cpt_outset outs;
  cpt_outset_init(&outs);
  bool infeasible = false;

  cpt_status st = cpt_cli_load_config(a.config, &a.ov, &cfg, &diags);
  if (st != CPT_OK) goto fail;
  st = cpt_cli_load_communes(a.communes, &communes, &diags);
  if (st != CPT_OK) goto fail;
  st = a.rota ? build_rota(&a, &cfg, communes, &m, &diags)
              : build_assign(&a, &cfg, communes, &m, &diags);
  if (st != CPT_OK) goto fail;
  if (!m) {
    infeasible = true;
    goto fail;
  }
  /* GLPK writes the temporary file by name; the outset renames it */
  if (!cpt_outset_open(&outs, a.out, &diags)) {
    st = CPT_EIO;
    goto fail;
  }
  st = cpt_mip_write(m, outs.v[outs.n - 1].tmp, a.format);
  if (st != CPT_OK) {
    cpt_diag_error(&diags, a.out, 0, 0, "cannot write the model: %s",
                   cpt_status_name(st));
    goto fail;
  }
  st = cpt_outset_commit(&outs, &diags);
  if (st != CPT_OK) goto fail;
  if (!a.quiet) {
    cpt_diags_print(&diags, stderr);
    int ni = 0;
    for (int j = 0; j < cpt_mip_n_cols(m); j++)
      ni += cpt_mip_col_is_integer(m, j);
    fprintf(stderr,
            "export %s: %d columns (%d integer), %d rows, %zu nonzeros "
            "written to %s (%s%s)\n",
            a.rota ? "rota" : "assign", cpt_mip_n_cols(m), ni,
            cpt_mip_n_rows(m), cpt_mip_n_nz(m), a.out,
            a.format == 'l' ? "CPLEX LP" : "free MPS",
            a.format == 'm' && cpt_mip_is_maximize(m)
                ? ", maximization written as minimize -f"
                : "");
  }
  rc = 0;
  goto done;

fail:
  rc = cpt_cli_fail("export", &outs, &diags, st,
                    infeasible ? "infeasible: the pinned assignments "
                                 "contradict the hard rules above"
                               : NULL);
done:
  cpt_mip_free(m);
  cpt_communes_free(communes);
  cpt_diags_free(&diags);
  return rc;
}
