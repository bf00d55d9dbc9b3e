/*
 * cmd_import_rpps.c — `cptsopt import-rpps`: read the public RPPS extract
 * (PS_LibreAcces_Personne_activite_*.txt), keep the general practitioners
 * whose practice site lies in a territory (models/rpps.h), and write them
 * as a doctors CSV (models/readers.h) atomically, one row per practitioner
 * and site.  The extract gives no list sizes: capacity and current are
 * written as 0 for the CPTS coordinator to fill in, children and
 * home_visits as 1.  Names are never written; the summary gives counts.
 *
 * Exit codes (SPEC §5): 0 written, 2 bad usage or input, 4 internal error.
 */
#include "cmd_import_rpps.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../models/rpps.h"
#include "../models/territory.h"
#include "cli.h"
#include "outfile.h"

static void usage(FILE *out) {
  fputs(
      "usage: cptsopt import-rpps FILE --territory T [--out doctors.csv]\n"
      "                           [--communes FILE] [--include-salaried]\n"
      "\n"
      "Read the public RPPS extract of the Annuaire santé\n"
      "(PS_LibreAcces_Personne_activite_*.txt, '|'-separated; FILE may be -\n"
      "for standard input) and write the general practitioners of a\n"
      "territory as a doctors CSV: médecins (Code profession 10) in general\n"
      "medicine (savoir-faire SM26, SM53 or SM54), libéral (Code mode\n"
      "exercice L), whose practice commune is in the territory.  One row per\n"
      "practitioner and site: id RPPS<Identifiant PP>, then -2, -3 for\n"
      "further sites; site S<identifiant technique de la structure>, else\n"
      "SIRET<numéro SIRET>, else A<commune>-<address hash>.\n"
      "\n"
      "  --territory T       communes: département codes (88, 2A), INSEE codes\n"
      "                      (88160), \"france\" or a bundled territory name;\n"
      "                      comma-separated\n"
      "  --out FILE          doctors CSV (id,commune,lat,lon,site,capacity,\n"
      "                      current,max_new,children,home_visits);\n"
      "                      default: standard output\n"
      "  --communes FILE     communes table (default: the bundled one)\n"
      "  --include-salaried  also keep salaried practice (mode S), e.g.\n"
      "                      health centres\n"
      "  --quiet             no summary on stderr\n"
      "  --help, --version\n"
      "\n"
      "The extract gives no list sizes: capacity and current are written as\n"
      "0, children and home_visits as 1.  Fill in each doctor's list capacity\n"
      "and current médecin-traitant patients before `cptsopt assign`.\n"
      "Names of practitioners are not written.\n"
      "\n"
      "Exit: 0 written, 2 bad usage or input, 4 internal error.\n",
      out);
}

enum { O_TERRITORY = 256, O_OUT, O_COMMUNES, O_SALARIED, O_QUIET, O_HELP,
       O_VERSION };

static const struct option long_opts[] = {
    {"territory", required_argument, 0, O_TERRITORY},
    {"out", required_argument, 0, O_OUT},
    {"communes", required_argument, 0, O_COMMUNES},
    {"include-salaried", no_argument, 0, O_SALARIED},
    {"quiet", no_argument, 0, O_QUIET},
    {"help", no_argument, 0, O_HELP},
    {"version", no_argument, 0, O_VERSION},
    {0, 0, 0, 0}};

typedef struct args {
  const char *file, *territory, *out, *communes;
  bool salaried, quiet;
} args;

#define ME "cptsopt import-rpps"

/* Returns −1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, args *a) {
  memset(a, 0, sizeof *a);
  optind = 0; /* glibc: full re-initialisation (tests call us repeatedly) */
  opterr = 0;
  int o;
  while ((o = getopt_long(argc, argv, ":", long_opts, NULL)) != -1) {
    switch (o) {
    case O_TERRITORY: a->territory = optarg; break;
    case O_OUT: a->out = optarg; break;
    case O_COMMUNES: a->communes = optarg; break;
    case O_SALARIED: a->salaried = true; break;
    case O_QUIET: a->quiet = true; break;
    case O_HELP: usage(stdout); return 0;
    case O_VERSION: cpt_cli_print_version(stdout); return 0;
    case ':':
      fprintf(stderr, ME ": %s needs a value\n", argv[optind - 1]);
      return 2;
    default:
      fprintf(stderr, ME ": unknown option '%s' (see --help)\n",
              argv[optind - 1]);
      return 2;
    }
  }
  if (optind < argc) a->file = argv[optind++];
  if (optind < argc) {
    fprintf(stderr, ME ": unexpected argument '%s' (see --help)\n",
            argv[optind]);
    return 2;
  }
  if (!a->file || !a->territory) {
    fprintf(stderr, ME ": an extract FILE and --territory are required "
                    "(see --help)\n");
    return 2;
  }
  return -1;
}

static void write_doctors(FILE *out, const cpt_rpps_result *r) {
  fputs("id,commune,lat,lon,site,capacity,current,max_new,children,"
        "home_visits\n",
        out);
  for (size_t i = 0; i < r->n; i++)
    fprintf(out, "%s,%s,,,%s,0,0,,1,1\n", r->v[i].id, r->v[i].insee,
            r->v[i].site);
}

static void print_summary(FILE *out, const args *a, const cpt_territory *t,
                          const cpt_rpps_result *r) {
  const cpt_rpps_stats *s = &r->stats;
  fprintf(out,
          ME ": %ld lines read: %ld of médecins, %ld in general medicine\n",
          s->lines, s->doctors, s->gp);
  fprintf(out, ME ": %zu site%s of %zu general practitioner%s in %s (%zu "
               "commune%s) -> %s\n",
          r->n, r->n == 1 ? "" : "s", s->practitioners,
          s->practitioners == 1 ? "" : "s", t->name, t->n,
          t->n == 1 ? "" : "s", a->out ? a->out : "standard output");
  fprintf(out, ME ": general-medicine lines not kept: %ld outside the "
               "territory, %ld salaried%s, %ld other mode, %ld replacement "
               "or non-care, %ld without commune, %ld unknown commune; %ld "
               "duplicate lines merged\n",
          s->outside, s->salaried,
          s->salaried && !a->salaried ? " (--include-salaried keeps them)"
                                      : "",
          s->other_mode, s->replacement, s->no_commune, s->unknown_commune,
          s->duplicates);
  if (r->n == 0)
    fprintf(out, ME ": warning: no general practitioner in %s\n", t->name);
  fprintf(out, ME ": capacity and current are 0 in every row: fill in each "
               "doctor's list capacity and current médecin-traitant patients "
               "before `cptsopt assign`\n");
}

int cpt_cmd_import_rpps(int argc, char **argv) {
  args a;
  int rc = parse_args(argc, argv, &a);
  if (rc >= 0) return rc;

  cpt_diags diags;
  cpt_diags_init(&diags);
  cpt_communes *communes = NULL;
  cpt_territory *t = NULL;
  cpt_rpps_result *r = NULL;
  cpt_outset outs;
  cpt_outset_init(&outs);

  cpt_status st = cpt_cli_load_communes(a.communes, &communes, &diags);
  if (st != CPT_OK) goto fail;
  if (!communes) {
    cpt_diag_error(&diags, NULL, 0, 0,
                   "no communes table found: give --communes FILE or set "
                   "CPTSOPT_COMMUNES");
    st = CPT_EINPUT;
    goto fail;
  }
  char tdir[4096];
  st = cpt_territory_resolve(a.territory, communes,
                             cpt_cli_data_path("territories", tdir, sizeof tdir),
                             &t, &diags);
  if (st != CPT_OK) goto fail;

  /* open the output before reading: a bad path fails fast */
  FILE *fout = cpt_outset_open(&outs, a.out ? a.out : "-", &diags);
  if (!fout) {
    st = CPT_EIO;
    goto fail;
  }
  cpt_rpps_params p;
  cpt_rpps_params_init(&p);
  p.communes = communes;
  p.territory = t->communes;
  p.n_territory = t->n;
  p.include_salaried = a.salaried;
  st = cpt_rpps_load(a.file, &p, &r, &diags);
  if (st != CPT_OK) goto fail;

  write_doctors(fout, r);
  st = cpt_outset_commit(&outs, &diags);
  if (st != CPT_OK) goto fail;
  if (!a.quiet) {
    cpt_diags_print(&diags, stderr);
    print_summary(stderr, &a, t, r);
  }
  rc = 0;
  goto done;

fail:
  rc = cpt_cli_fail("import-rpps", &outs, &diags, st, NULL);
done:
  cpt_rpps_result_free(r);
  cpt_territory_free(t);
  cpt_communes_free(communes);
  cpt_diags_free(&diags);
  return rc;
}
