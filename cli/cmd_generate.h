/*
 * cmd_generate.h — `cptsopt generate`: a synthetic scenario for a
 * territory (models/scenario_gen.h).
 */
#ifndef CPT_CMD_GENERATE_H
#define CPT_CMD_GENERATE_H

/* argc/argv start at the subcommand's name; returns the exit code of
 * SPEC §5 (0 written, 2 bad usage or input, 4 internal error). */
int cpt_cmd_generate(int argc, char **argv);

#endif
