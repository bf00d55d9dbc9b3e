/*
 * cmd_import_rpps.h — `cptsopt import-rpps`: the general practitioners of
 * a territory from the public RPPS extract, as a doctors CSV.
 */
#ifndef CPT_CMD_IMPORT_RPPS_H
#define CPT_CMD_IMPORT_RPPS_H

/* argc/argv start at the subcommand's name; returns the exit code of
 * SPEC §5 (0 ok, 2 bad usage or input, 4 internal error). */
int cpt_cmd_import_rpps(int argc, char **argv);

#endif
