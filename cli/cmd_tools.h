/*
 * cmd_tools.h — the tool commands around the solvers: `cptsopt check`
 * (validate every input without solving) and `cptsopt export` (write the
 * integer program of --method mip in LP or MPS format for another solver).
 */
#ifndef CPT_CMD_TOOLS_H
#define CPT_CMD_TOOLS_H

/* argc/argv start at the subcommand's name.  check returns 0 when no file
 * has an error, 2 otherwise (or on bad usage), 4 on an internal error.
 * export returns 0 when written, 2 on bad usage or input (or when the file
 * cannot be written), 3 when pinned assignments contradict the hard rules
 * (no model to write), 4 on an internal error. */
int cpt_cmd_check(int argc, char **argv);
int cpt_cmd_export(int argc, char **argv);

#endif
