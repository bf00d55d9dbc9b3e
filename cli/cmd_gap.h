/*
 * cmd_gap.h — `cptsopt gap`: solve the problems of an OR-Library
 * generalized-assignment file (SPEC §3) with the GAP core.
 */
#ifndef CPT_CMD_GAP_H
#define CPT_CMD_GAP_H

/* argc/argv start at the subcommand's name; return the exit code of
 * SPEC §5: 0 every problem optimal (or within --target-gap), 1 some
 * problem not proven (time limit, interrupted, no solution found), 2 bad
 * usage or input, 3 a problem proven infeasible, 4 internal error. */
int cpt_cmd_gap(int argc, char **argv);

#endif
