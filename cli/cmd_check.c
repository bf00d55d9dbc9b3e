/*
 * cmd_check.c — `cptsopt check`: read and validate every input file given
 * (doctors, patients, slots, availability, history, pinned, a previous
 * rota, the config and the communes table) without solving; print every
 * diagnostic located as FILE:LINE:COL with what was expected, then one
 * summary line per file ("doctors.csv: 120 rows, 0 errors, 1 warning").
 *
 * The files are read by the readers the solving commands use, each into
 * its own diagnostics list (so every file shows up to --max-errors entries
 * and exact counts); then the cross-file rules run:
 *   - rota (doctors and slots given): cpt_rota_prepare, as `rota` does —
 *     availability, history and pinned rows naming an unknown doctor,
 *     pinned rows naming an unknown slot (errors); pinned pairs the doctor
 *     may not take, repeated pinned pairs (warnings); then the pinned
 *     pairs against the hard rules, with the model builder's check (a
 *     clash, which makes `rota` exit 3, is an error here); then --previous
 *     against the doctors and slots (cpt_cli_load_previous);
 *   - assign (doctors and patients given): the two warnings of the assign
 *     preparation, located at their rows here: a prev_doctor absent from
 *     the doctors file (no same-site bonus), a current list above capacity
 *     (no room).
 * Each cross-file diagnostic is filed under the file it points into.
 * Exit 0 when no file has an error (warnings allowed), 2 otherwise.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../models/csv_table.h"
#include "../models/readers.h"
#include "../models/rota.h"
#include "../models/rota_model.h"
#include "../solver/mip.h"
#include "cli.h"
#include "cmd_tools.h"
#include "inputs.h"

static void usage(FILE *out) {
  fputs(
      "usage: cptsopt check [--doctors D.csv] [--patients P.csv]\n"
      "                     [--slots S.csv] [--availability A.csv]\n"
      "                     [--history H.csv] [--pinned PIN.csv]\n"
      "                     [--previous ROTA.csv] [--config C.json] [options]\n"
      "\n"
      "Read and validate the input files without solving: every error and\n"
      "warning with its file, line and column and what was expected, the\n"
      "checks across files that assign and rota make before solving\n"
      "(unknown doctor or slot ids, prev_doctor not in the doctors file,\n"
      "...), then one summary line per file.  At least one file is needed.\n"
      "\n"
      "  --doctors, --patients, --slots, --availability, --history,\n"
      "  --pinned, --previous FILE   the files of assign and rota\n"
      "  --config FILE       JSON config (see `cptsopt config-help`)\n"
      "  --set KEY=VALUE     a config option, checked as well\n"
      "  --communes FILE     communes table (default: the bundled one)\n"
      "  --max-errors N      diagnostics shown per file (default 50; all are\n"
      "                      counted)\n"
      "  --quiet             only the summary lines\n"
      "  --help, --version\n"
      "\n"
      "Output on standard output.  Exit: 0 no error (warnings allowed),\n"
      "2 some file has an error (or bad usage), 4 internal error.\n",
      out);
}

enum { F_CONFIG, F_COMMUNES, F_DOCTORS, F_PATIENTS, F_SLOTS, F_AVAIL,
       F_HISTORY, F_PINNED, F_PREVIOUS, F_N };

enum { O_SET = 256 + F_N, O_MAXERR, O_QUIET, O_HELP, O_VERSION };

static const struct option opts[] = {
    {"config", required_argument, 0, 256 + F_CONFIG},
    {"communes", required_argument, 0, 256 + F_COMMUNES},
    {"doctors", required_argument, 0, 256 + F_DOCTORS},
    {"patients", required_argument, 0, 256 + F_PATIENTS},
    {"slots", required_argument, 0, 256 + F_SLOTS},
    {"availability", required_argument, 0, 256 + F_AVAIL},
    {"history", required_argument, 0, 256 + F_HISTORY},
    {"pinned", required_argument, 0, 256 + F_PINNED},
    {"previous", required_argument, 0, 256 + F_PREVIOUS},
    {"set", required_argument, 0, O_SET},
    {"max-errors", required_argument, 0, O_MAXERR},
    {"quiet", no_argument, 0, O_QUIET},
    {"help", no_argument, 0, O_HELP},
    {"version", no_argument, 0, O_VERSION},
    {0, 0, 0, 0}};

/* One input file: where it is, its diagnostics, its data rows (−1 when it
 * is not a table, i.e. the config). */
typedef struct file_rec {
  const char *path;
  cpt_diags diags;
  long rows;
} file_rec;

typedef struct check_args {
  const char *path[F_N];
  cpt_cli_overrides ov;
  long max_errors;
  bool quiet;
} check_args;

/* Returns −1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, check_args *a) {
  memset(a, 0, sizeof *a);
  a->max_errors = 50;
  optind = 0; /* glibc: full re-initialisation (tests call us repeatedly) */
  opterr = 0;
  int o;
  while ((o = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
    if (o >= 256 && o < 256 + F_N) {
      a->path[o - 256] = optarg;
      continue;
    }
    switch (o) {
    case O_SET:
      if (!cpt_cli_add_set(&a->ov, "check", NULL, optarg)) return 2;
      break;
    case O_MAXERR:
      if (!cpt_cli_parse_long(optarg, &a->max_errors) || a->max_errors < 1) {
        fprintf(stderr, "cptsopt check: --max-errors: expected an integer "
                        "≥ 1, got \"%s\"\n", optarg);
        return 2;
      }
      break;
    case O_QUIET: a->quiet = true; break;
    case O_HELP: usage(stdout); return 0;
    case O_VERSION: cpt_cli_print_version(stdout); return 0;
    case ':':
      fprintf(stderr, "cptsopt check: %s needs a value\n", argv[optind - 1]);
      return 2;
    default:
      fprintf(stderr, "cptsopt check: unknown option '%s' (see --help)\n",
              argv[optind - 1]);
      return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "cptsopt check: unexpected argument '%s' (see --help)\n",
            argv[optind]);
    return 2;
  }
  bool any = false;
  for (int f = 0; f < F_N; f++) any = any || a->path[f];
  if (!any) {
    fprintf(stderr, "cptsopt check: give at least one file to check (see "
                    "--help)\n");
    return 2;
  }
  return -1;
}

/* --- Row counts of files that did not load ------------------------------ */

static const cpt_csv_col any_col[1] = {{"\x01", 0}};
static const cpt_csv_schema any_schema = {any_col, 1, NULL, true};

static cpt_status count_row(cpt_csv *r, void *arg) {
  (void)r;
  (*(long *)arg)++;
  return CPT_OK;
}

/* The data rows of a file that a reader rejected (so its table is gone):
 * rows with the header's field count, read again by the same CSV layer. */
static long count_rows(const char *path) {
  cpt_diags scratch;
  cpt_diags_init(&scratch);
  long n = 0;
  cpt_csv_read_file(path, &any_schema, NULL, count_row, &n, &scratch);
  cpt_diags_free(&scratch);
  return n;
}

/* --- Cross-file rules of assign ----------------------------------------- */

static int cmp_str(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static cpt_status assign_refs(const cpt_doctors *D, const cpt_patients *P,
                              file_rec *fd, file_rec *fp) {
  const char **ids = malloc((D->n ? D->n : 1) * sizeof *ids);
  if (!ids) return CPT_ENOMEM;
  for (size_t d = 0; d < D->n; d++) ids[d] = D->v[d].id;
  qsort(ids, D->n, sizeof *ids, cmp_str);
  for (size_t i = 0; i < P->n; i++) {
    const char *prev = P->v[i].prev_doctor;
    if (!prev || !*prev) continue;
    if (!bsearch(&prev, ids, D->n, sizeof *ids, cmp_str))
      cpt_diag_warn(&fp->diags, fp->path, (long)P->v[i].line, 0,
                    "column 'prev_doctor': not a doctor of %s (no "
                    "same-site bonus)", fd->path);
  }
  for (size_t d = 0; d < D->n; d++)
    if (D->v[d].current > D->v[d].capacity)
      cpt_diag_warn(&fd->diags, fd->path, (long)D->v[d].line, 0,
                    "current list %d above capacity %d (no room)",
                    (int)D->v[d].current, (int)D->v[d].capacity);
  free(ids);
  return CPT_OK;
}

/* Pinned pairs that contradict the hard rules (a pair the doctor may not
 * take, two pinned slots in conflict, more pinned slots than a limit): the
 * check of the rota model, which `rota` reports as infeasible (exit 3).
 * Each clash is an error of the pinned file. */
static cpt_status pinned_clashes(const cpt_rota *R, const cpt_doctors *D,
                                 const cpt_slots *S, const cpt_config *cfg,
                                 file_rec *fpin) {
  cpt_rota_solve_params sp;
  cpt_rota_solve_params_init(&sp);
  cpt_cli_rota_solve_params(cfg, &sp);
  cpt_diags x;
  cpt_diags_init(&x);
  x.max_kept = (size_t)-1;
  cpt_mip *m = NULL;
  cpt_status st = cpt_rota_build_mip(R, D, S, &sp, &m, &x);
  for (size_t i = 0; st == CPT_OK && !m && i < x.n; i++)
    if (x.v[i].level == CPT_DIAG_ERROR)
      cpt_diag_error(&fpin->diags, fpin->path, 0, 0,
                     "%s (the rota would be infeasible)", x.v[i].msg);
  cpt_mip_free(m);
  cpt_diags_free(&x);
  return st;
}

/* File every entry of x under the file it names (else under other). */
static void dispatch(const cpt_diags *x, file_rec *files, cpt_diags *other) {
  for (size_t i = 0; i < x->n; i++) {
    const cpt_diag *e = &x->v[i];
    cpt_diags *to = other;
    for (int f = 0; f < F_N; f++)
      if (files[f].path && e->file && !strcmp(files[f].path, e->file)) {
        to = &files[f].diags;
        break;
      }
    if (e->level == CPT_DIAG_ERROR)
      cpt_diag_error(to, e->file, e->line, e->col, "%s", e->msg);
    else
      cpt_diag_warn(to, e->file, e->line, e->col, "%s", e->msg);
  }
}

static const char *plural(size_t n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

int cpt_cmd_check(int argc, char **argv) {
  check_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc >= 0) return rc;

  file_rec files[F_N];
  cpt_diags other, cross;
  cpt_diags_init(&other);
  cpt_diags_init(&cross);
  cross.max_kept = (size_t)-1; /* re-filed below, under each file's cap */
  for (int f = 0; f < F_N; f++) {
    files[f].path = a.path[f];
    files[f].rows = -1;
    cpt_diags_init(&files[f].diags);
    files[f].diags.max_kept = (size_t)a.max_errors;
  }
  cpt_config cfg;
  cpt_config_init(&cfg);
  cpt_communes *communes = NULL;
  cpt_doctors *D = NULL;
  cpt_patients *P = NULL;
  cpt_slots *S = NULL;
  cpt_avails *A = NULL;
  cpt_hists *H = NULL;
  cpt_pins *Pn = NULL;
  cpt_rota *R = NULL;
  uint8_t *prev = NULL;
  bool internal = false;
  cpt_status st;

  /* the config (file and --set), the communes table */
  st = cpt_cli_load_config(a.path[F_CONFIG], &a.ov, &cfg,
                           a.path[F_CONFIG] ? &files[F_CONFIG].diags : &other);
  internal = internal || st == CPT_ENOMEM || st == CPT_EINTERNAL;
  st = cpt_cli_load_communes(a.path[F_COMMUNES], &communes,
                             a.path[F_COMMUNES] ? &files[F_COMMUNES].diags
                                                : &other);
  internal = internal || st == CPT_ENOMEM || st == CPT_EINTERNAL;
  if (a.path[F_COMMUNES])
    files[F_COMMUNES].rows =
        communes ? (long)cpt_communes_count(communes)
                 : count_rows(a.path[F_COMMUNES]);

  /* every table with the readers of assign and rota */
  cpt_status sts[F_N] = {CPT_OK};
#define READ(F, call) \
  if (a.path[F]) sts[F] = (call)
  READ(F_DOCTORS, cpt_doctors_load(a.path[F_DOCTORS], communes, &D,
                                   &files[F_DOCTORS].diags));
  READ(F_PATIENTS, cpt_patients_load(a.path[F_PATIENTS], communes, &P,
                                     &files[F_PATIENTS].diags));
  READ(F_SLOTS, cpt_slots_load(a.path[F_SLOTS], &S, &files[F_SLOTS].diags));
  READ(F_AVAIL, cpt_avails_load(a.path[F_AVAIL], &A, &files[F_AVAIL].diags));
  READ(F_HISTORY,
       cpt_hists_load(a.path[F_HISTORY], &H, &files[F_HISTORY].diags));
  READ(F_PINNED, cpt_pins_load(a.path[F_PINNED], &Pn, &files[F_PINNED].diags));
#undef READ
  size_t loaded[F_N] = {0};
  loaded[F_DOCTORS] = D ? D->n : 0;
  loaded[F_PATIENTS] = P ? P->n : 0;
  loaded[F_SLOTS] = S ? S->n : 0;
  loaded[F_AVAIL] = A ? A->n : 0;
  loaded[F_HISTORY] = H ? H->n : 0;
  loaded[F_PINNED] = Pn ? Pn->n : 0;
  for (int f = F_DOCTORS; f <= F_PINNED; f++) {
    if (!a.path[f]) continue;
    internal = internal || sts[f] == CPT_ENOMEM || sts[f] == CPT_EINTERNAL;
    files[f].rows = sts[f] == CPT_OK ? (long)loaded[f] : count_rows(a.path[f]);
  }

  /* across files */
  if (D && P && assign_refs(D, P, &files[F_DOCTORS], &files[F_PATIENTS]) !=
                     CPT_OK)
    internal = true;
  if (D && S) {
    cpt_rota_prep_params pp;
    cpt_rota_prep_params_init(&pp);
    pp.min_rest_h = cfg.rota_min_rest_h;
    pp.max_per_day = (int32_t)cfg.rota_max_per_day;
    st = cpt_rota_prepare(D, S, A, H, Pn, &pp, &R, &cross);
    internal = internal || st == CPT_ENOMEM || st == CPT_EINTERNAL;
    if (a.path[F_PREVIOUS]) {
      st = cpt_cli_load_previous(a.path[F_PREVIOUS], D, S, &prev,
                                 &files[F_PREVIOUS].diags);
      internal = internal || st == CPT_ENOMEM;
      files[F_PREVIOUS].rows = count_rows(a.path[F_PREVIOUS]);
    }
  }
  dispatch(&cross, files, &other);
  if (R && Pn && pinned_clashes(R, D, S, &cfg, &files[F_PINNED]) != CPT_OK)
    internal = true;
  const char *skipped = NULL;
  if ((A || H || Pn || a.path[F_PREVIOUS]) && !(D && S))
    skipped = "the availability, history, pinned and previous files are "
              "checked against the doctors and slots only when both are "
              "given and valid";

  /* report */
  size_t errors = other.n_errors, warnings = other.n_warnings;
  if (!a.quiet) cpt_diags_print(&other, stdout);
  for (int f = 0; f < F_N; f++) {
    file_rec *r = &files[f];
    if (!r->path) continue;
    if (!a.quiet) cpt_diags_print(&r->diags, stdout);
    size_t ne = r->diags.n_errors, nw = r->diags.n_warnings;
    if (f == F_PREVIOUS && !(D && S)) {
      printf("%s: not checked\n", r->path);
      continue;
    }
    errors += ne;
    warnings += nw;
    if (r->rows >= 0)
      printf("%s: %ld %s, %zu %s, %zu %s\n", r->path, r->rows,
             plural((size_t)r->rows, "row", "rows"), ne,
             plural(ne, "error", "errors"), nw,
             plural(nw, "warning", "warnings"));
    else
      printf("%s: %zu %s, %zu %s\n", r->path, ne, plural(ne, "error", "errors"),
             nw, plural(nw, "warning", "warnings"));
  }
  if (skipped && !a.quiet) printf("note: %s\n", skipped);
  printf("check: %zu %s, %zu %s: %s\n", errors,
         plural(errors, "error", "errors"), warnings, plural(warnings, "warning", "warnings"),
         errors ? "fix the errors above" : "ready to solve");
  fflush(stdout);
  rc = internal ? CPT_EXIT_INTERNAL : errors ? CPT_EXIT_INPUT : 0;

  free(prev);
  cpt_rota_free(R);
  cpt_pins_free(Pn);
  cpt_hists_free(H);
  cpt_avails_free(A);
  cpt_slots_free(S);
  cpt_patients_free(P);
  cpt_doctors_free(D);
  cpt_communes_free(communes);
  for (int f = 0; f < F_N; f++) cpt_diags_free(&files[f].diags);
  cpt_diags_free(&cross);
  cpt_diags_free(&other);
  return rc;
}
