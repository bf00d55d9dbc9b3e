/*
 * main.c — the cptsopt command: dispatch to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "../models/config.h"
#include "cli.h"
#include "cmd_gap.h"
#include "cmd_generate.h"
#include "cmd_import_rpps.h"
#include "cmd_rota.h"
#include "cmd_tools.h"

static void usage(FILE *out) {
  fputs("usage: cptsopt COMMAND [options]\n"
        "\n"
        "Plan primary care for a CPTS (communauté professionnelle territoriale\n"
        "de santé).\n"
        "\n"
        "commands:\n"
        "  assign        find a médecin traitant for patients without one\n"
        "  depart        a doctor leaves: place their patients with colleagues\n"
        "  generate      a synthetic scenario on a real French territory\n"
        "  import-rpps   doctors.csv from the public RPPS extract\n"
        "  rota          the weekly same-day care (SNP) rota, solved exactly\n"
        "  nrp           a nurse-rostering benchmark instance (schedulingbenchmarks.org)\n"
        "  check         validate the input files without solving\n"
        "  export        write the MIP of assign or rota as LP or MPS\n"
        "  gap           generalized assignment problems (OR-Library format)\n"
        "  config-help   list every config option with its default and range\n"
        "\n"
        "`cptsopt COMMAND --help` describes a command.  --version prints the\n"
        "version.  Exit codes: 0 solved, 1 not proven optimal, 2 bad usage or\n"
        "input, 3 infeasible, 4 internal error.\n",
        out);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version")) {
    cpt_cli_print_version(stdout);
    return 0;
  }
  if (!strcmp(cmd, "assign")) return cpt_cmd_assign(argc - 1, argv + 1);
  if (!strcmp(cmd, "depart")) return cpt_cmd_depart(argc - 1, argv + 1);
  if (!strcmp(cmd, "generate")) return cpt_cmd_generate(argc - 1, argv + 1);
  if (!strcmp(cmd, "rota")) return cpt_cmd_rota(argc - 1, argv + 1);
  if (!strcmp(cmd, "nrp")) return cpt_cmd_nrp(argc - 1, argv + 1);
  if (!strcmp(cmd, "check")) return cpt_cmd_check(argc - 1, argv + 1);
  if (!strcmp(cmd, "export")) return cpt_cmd_export(argc - 1, argv + 1);
  if (!strcmp(cmd, "gap")) return cpt_cmd_gap(argc - 1, argv + 1);
  if (!strcmp(cmd, "import-rpps"))
    return cpt_cmd_import_rpps(argc - 1, argv + 1);
  if (!strcmp(cmd, "config-help")) {
    cpt_config_print_help(stdout);
    return 0;
  }
  fprintf(stderr, "cptsopt: unknown command '%s' (see cptsopt --help)\n", cmd);
  return 2;
}
