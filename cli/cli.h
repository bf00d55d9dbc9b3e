/*
 * cli.h — what the subcommands of the cptsopt command share: entry points,
 * the interrupt flag, loading of the input files with their diagnostics,
 * and small option parsers.  Nothing outside cli/ includes this.
 */
#ifndef CPT_CLI_H
#define CPT_CLI_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "../models/communes.h"
#include "../models/config.h"
#include "../models/instance.h"
#include "../solver/diag.h"

/* Subcommands: argc/argv start at the subcommand's name; return the exit
 * code of SPEC §5. */
int cpt_cmd_assign(int argc, char **argv);
int cpt_cmd_depart(int argc, char **argv);

/* Set by SIGINT/SIGTERM once cpt_cli_catch_signals() has run. */
extern atomic_int cpt_cli_stop;
void cpt_cli_catch_signals(void);

/* "cptsopt 0.1.0 (git …), gcc …, GLPK …" */
void cpt_cli_print_version(FILE *out);

/* The communes table: explicit path, else $CPTSOPT_COMMUNES, else the
 * installed/built-in datasets/communes/communes.csv.  An explicit path
 * that cannot be read is an error; a missing default is not (then *out is
 * NULL and a commune code in an input file is reported as an error). */
cpt_status cpt_cli_load_communes(const char *path, cpt_communes **out,
                                 cpt_diags *diags);

/* A file or directory of the bundled data (rel: "communes/communes.csv",
 * "territories"): PREFIX/share/cptsopt/rel when the binary runs from
 * PREFIX/bin (make install), else the source tree's datasets/rel (the
 * build-time CPT_DATADIR), else ./datasets/rel; the first readable one,
 * written into buf, or NULL. */
const char *cpt_cli_data_path(const char *rel, char *buf, size_t n);

/* Config overrides from the command line: --set KEY=VALUE, and options
 * such as --time-limit that stand for a config key. */
#define CPT_CLI_MAX_SETS 64
typedef struct cpt_cli_overrides {
  const char *sets[CPT_CLI_MAX_SETS][2];
  int n;
} cpt_cli_overrides;

/* Record key=value, or, with key NULL, a "KEY=VALUE" string (split in
 * place); false with a message on stderr when malformed or full. */
bool cpt_cli_add_set(cpt_cli_overrides *o, const char *cmd, const char *key,
                     char *value);
/* Defaults, then the file (if path), then the overrides, then the range
 * check; every error in diags. */
cpt_status cpt_cli_load_config(const char *path, const cpt_cli_overrides *o,
                               cpt_config *cfg, cpt_diags *diags);

struct cpt_outset;
/* The failure path of a command: remove every temporary output, print
 * the diagnostics, then "cptsopt CMD: INFEASIBLE; nothing written" and
 * exit code 3 when infeasible is not NULL, else "cptsopt CMD: N error(s);
 * nothing written" (when there are errors) and the exit code of st. */
int cpt_cli_fail(const char *cmd, struct cpt_outset *outs, cpt_diags *diags,
                 cpt_status st, const char *infeasible);

/* Exit code of SPEC §5 for a solve status (0, 1 or 3). */
int cpt_cli_exit_for_solve(cpt_solve_status s);
/* The thread count in force: solver.threads, or all cores when 0. */
int cpt_cli_threads(const cpt_config *cfg);

/* Parse a whole-string number; false when malformed. */
bool cpt_cli_parse_double(const char *s, double *v);
bool cpt_cli_parse_long(const char *s, long *v);

/* Exit code for a library status (CPT_EINPUT → 2, others → 4). */
int cpt_cli_exit_for(cpt_status st);

#endif
