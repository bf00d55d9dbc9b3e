/*
 * cmd_generate.c — `cptsopt generate`: resolve a territory, generate a
 * scenario for it (models/scenario_gen.h) and write DIR/doctors.csv,
 * patients.csv, slots.csv, availability.csv, departure_patients.csv (with
 * --departures) and scenario.json, all or nothing (cli/outfile.h).
 *
 * Exit codes (SPEC §5): 0 written, 2 bad usage or input (unknown
 * territory, bad number, unwritable directory), 4 internal error.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../models/scenario_gen.h"
#include "../models/territory.h"
#include "../solver/clock.h"
#include "cli.h"
#include "cmd_generate.h"
#include "outfile.h"

#define ME "cptsopt generate"

static void usage(FILE *out) {
  fputs(
      "usage: cptsopt generate --territory T --out DIR [options]\n"
      "\n"
      "Generate a realistic synthetic scenario for a territory: its GPs\n"
      "(sites, list sizes, capacities), the inhabitants without a médecin\n"
      "traitant (households, ages, ALD, precarity), the SNP rota inputs of\n"
      "one week and, with --departures, the lists of doctors who leave.\n"
      "Every figure and its source: datasets/PARAMETERS.md.\n"
      "\n"
      "  --territory T       \"france\", a département (\"88\", \"2A\"), an "
      "INSEE\n"
      "                      commune code (\"88160\"), a bundled territory\n"
      "                      (\"cpts-sud-tarn\"), or a comma-separated mix\n"
      "  --out DIR           output directory (created if missing): "
      "doctors.csv,\n"
      "                      patients.csv, slots.csv, availability.csv,\n"
      "                      scenario.json [, departure_patients.csv]\n"
      "  --seed N            random seed, 0 … 2^53 (default 1); the same seed\n"
      "                      gives the same files byte for byte\n"
      "  --scale X           population multiplier, (0, 100] (default 1;\n"
      "                      0.1 for quick tests)\n"
      "  --departures K      K doctors with large lists leave: their lists go\n"
      "                      to departure_patients.csv (default 0)\n"
      "  --week YYYY-MM-DD   a day of the rota week (its Monday to Saturday;\n"
      "                      default 2026-03-09)\n"
      "  --communes FILE     communes table (default: the bundled one)\n"
      "  --territories DIR   bundled territory files (default: the installed\n"
      "                      datasets/territories)\n"
      "  --quiet             no summary on stderr\n"
      "  --help, --version\n"
      "\n"
      "Exit: 0 written, 2 bad usage or input, 4 internal error.\n",
      out);
}

enum {
  O_TERRITORY = 256,
  O_OUT,
  O_SEED,
  O_SCALE,
  O_DEPARTURES,
  O_WEEK,
  O_COMMUNES,
  O_TERRITORIES,
  O_QUIET,
  O_HELP,
  O_VERSION
};

static const struct option long_opts[] = {
    {"territory", required_argument, 0, O_TERRITORY},
    {"out", required_argument, 0, O_OUT},
    {"seed", required_argument, 0, O_SEED},
    {"scale", required_argument, 0, O_SCALE},
    {"departures", required_argument, 0, O_DEPARTURES},
    {"week", required_argument, 0, O_WEEK},
    {"communes", required_argument, 0, O_COMMUNES},
    {"territories", required_argument, 0, O_TERRITORIES},
    {"quiet", no_argument, 0, O_QUIET},
    {"help", no_argument, 0, O_HELP},
    {"version", no_argument, 0, O_VERSION},
    {0, 0, 0, 0}};

typedef struct args {
  const char *territory, *out, *communes, *territories;
  cpt_gen_params p;
  bool quiet;
} args;

static int bad(const char *opt, const char *expected, const char *got) {
  fprintf(stderr, ME ": %s: expected %s, got \"%s\"\n", opt, expected, got);
  return 2;
}

/* Returns −1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, args *a) {
  memset(a, 0, sizeof *a);
  cpt_gen_params_init(&a->p);
  optind = 0; /* glibc: full re-initialisation (tests call us repeatedly) */
  opterr = 0;
  int o;
  while ((o = getopt_long(argc, argv, ":", long_opts, NULL)) != -1) {
    double x;
    long n;
    switch (o) {
    case O_TERRITORY:
      a->territory = optarg;
      break;
    case O_OUT:
      a->out = optarg;
      break;
    case O_COMMUNES:
      a->communes = optarg;
      break;
    case O_TERRITORIES:
      a->territories = optarg;
      break;
    case O_QUIET:
      a->quiet = true;
      break;
    case O_HELP:
      usage(stdout);
      return 0;
    case O_VERSION:
      cpt_cli_print_version(stdout);
      return 0;
    case O_SEED: {
      char *end;
      errno = 0;
      unsigned long long v = strtoull(optarg, &end, 10);
      if (!*optarg || *end || errno || optarg[0] == '-' ||
          (double)v > CPT_GEN_MAX_SEED)
        return bad("--seed", "an integer 0 … 2^53", optarg);
      a->p.seed = (uint64_t)v;
      break;
    }
    case O_SCALE:
      if (!cpt_cli_parse_double(optarg, &x) || !(x > 0 && x <= 100))
        return bad("--scale", "a number in (0, 100]", optarg);
      a->p.scale = x;
      break;
    case O_DEPARTURES:
      if (!cpt_cli_parse_long(optarg, &n) || n < 0 || n > 100000)
        return bad("--departures", "an integer 0 … 100000", optarg);
      a->p.departures = (int32_t)n;
      break;
    case O_WEEK:
      if (!cpt_gen_parse_date(optarg, &a->p.week_y, &a->p.week_m, &a->p.week_d))
        return bad("--week", "a date YYYY-MM-DD", optarg);
      break;
    case ':':
      fprintf(stderr, ME ": %s needs a value\n", argv[optind - 1]);
      return 2;
    default:
      fprintf(stderr, ME ": unknown option '%s' (see --help)\n",
              argv[optind - 1]);
      return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, ME ": unexpected argument '%s' (see --help)\n",
            argv[optind]);
    return 2;
  }
  if (!a->territory || !a->out || !*a->territory || !*a->out) {
    fprintf(stderr, ME ": --territory and --out are required (see --help)\n");
    return 2;
  }
  return -1;
}

static bool make_dir(const char *dir, cpt_diags *diags) {
  struct stat sb;
  if (mkdir(dir, 0777) == 0)
    return true;
  if (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
    return true;
  cpt_diag_error(diags, dir, 0, 0, "cannot create output directory: %s",
                 errno == EEXIST ? "not a directory" : strerror(errno));
  return false;
}

static FILE *open_in(cpt_outset *outs, const char *dir, const char *name,
                     cpt_diags *diags) {
  char path[4096];
  if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
    cpt_diag_error(diags, dir, 0, 0, "path too long");
    return NULL;
  }
  return cpt_outset_open(outs, path, diags);
}

static void summary(const args *a, const cpt_territory *t,
                    const cpt_gen_result *r, double secs) {
  const cpt_gen_counts *k = &r->counts;
  fprintf(stderr,
          ME ": %s: %zu communes, %.0f inhabitants (scale %g)\n"
             "  %lld doctors at %lld sites, %lld SNP sectors\n"
             "  %lld patients without MT (%.1f%%), %lld households of 2+\n"
             "  %lld slots (need %lld), %lld availability rows\n",
          t->name, t->n, k->population, a->p.scale, (long long)k->doctors,
          (long long)k->sites, (long long)k->sectors, (long long)k->patients,
          k->population > 0 ? 100.0 * (double)k->patients / k->population : 0,
          (long long)k->households, (long long)k->slots,
          (long long)k->need_total, (long long)k->availability_rows);
  if (r->n_leaving)
    fprintf(stderr, "  %zu leaving doctors, %lld patients to place\n",
            r->n_leaving, (long long)k->departure_patients);
  fprintf(stderr, "  written to %s in %.2f s\n", a->out, secs);
}

int cpt_cmd_generate(int argc, char **argv) {
  args a;
  int rc = parse_args(argc, argv, &a);
  if (rc >= 0)
    return rc;

  double t0 = cpt_now_s();
  cpt_diags diags;
  cpt_diags_init(&diags);
  cpt_communes *communes = NULL;
  cpt_territory *t = NULL;
  cpt_gen_result *r = NULL;
  cJSON *json = NULL;
  char *text = NULL;
  cpt_outset outs;
  cpt_outset_init(&outs);

  cpt_status st = cpt_cli_load_communes(a.communes, &communes, &diags);
  if (st == CPT_OK && !communes) {
    cpt_diag_error(&diags, "communes", 0, 0,
                   "no communes table found: give --communes FILE");
    st = CPT_EINPUT;
  }
  char tdir[4096];
  if (!a.territories)
    a.territories = cpt_cli_data_path("territories", tdir, sizeof tdir);
  if (st == CPT_OK)
    st =
        cpt_territory_resolve(a.territory, communes, a.territories, &t, &diags);
  if (st != CPT_OK)
    goto fail;
  if (!make_dir(a.out, &diags)) {
    st = CPT_EIO;
    goto fail;
  }
  cpt_gen_streams s = {
      open_in(&outs, a.out, "doctors.csv", &diags),
      open_in(&outs, a.out, "patients.csv", &diags),
      open_in(&outs, a.out, "slots.csv", &diags),
      open_in(&outs, a.out, "availability.csv", &diags),
      a.p.departures > 0
          ? open_in(&outs, a.out, "departure_patients.csv", &diags)
          : NULL};
  FILE *fjson = open_in(&outs, a.out, "scenario.json", &diags);
  if (!s.doctors || !s.patients || !s.slots || !s.availability || !fjson ||
      (a.p.departures > 0 && !s.departure_patients)) {
    st = CPT_EIO;
    goto fail;
  }
  st = cpt_gen_run(communes, t, &a.p, &s, &r, &diags);
  if (st != CPT_OK)
    goto fail;
  json = cpt_gen_scenario_json(&a.p, t, r);
  cJSON *ter =
      json ? cJSON_GetObjectItemCaseSensitive(json, "territory") : NULL;
  if (ter) {
    cJSON_AddStringToObject(ter, "spec", a.territory);
    cJSON_AddStringToObject(ter, "communes_table",
                            a.communes ? a.communes : "bundled");
  }
  if (json)
    cJSON_AddStringToObject(json, "version", CPT_VERSION);
  text = json ? cJSON_Print(json) : NULL;
  if (!text) {
    cpt_diag_error(&diags, "scenario.json", 0, 0, "out of memory");
    st = CPT_ENOMEM;
    goto fail;
  }
  fputs(text, fjson);
  fputc('\n', fjson);
  st = cpt_outset_commit(&outs, &diags);
  if (st != CPT_OK)
    goto fail;
  cpt_diags_print(&diags, stderr); /* warnings */
  if (!a.quiet)
    summary(&a, t, r, cpt_now_s() - t0);
  rc = 0;
  goto done;

fail:
  cpt_outset_abort(&outs);
  cpt_diags_print(&diags, stderr);
  rc = cpt_cli_exit_for(st);
  fprintf(stderr, ME ": nothing written\n");
done:
  cJSON_free(text);
  cJSON_Delete(json);
  cpt_gen_result_free(r);
  cpt_territory_free(t);
  cpt_communes_free(communes);
  cpt_diags_free(&diags);
  return rc;
}
