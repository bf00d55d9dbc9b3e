/*
 * cmd_rota.h — `cptsopt rota` (the SNP rota of SPEC §2) and `cptsopt nrp`
 * (the nurse-rostering benchmark front end of the same engine).
 */
#ifndef CPT_CMD_ROTA_H
#define CPT_CMD_ROTA_H

/* argc/argv start at the subcommand's name; return the exit code of
 * SPEC §5: 0 optimal, 1 feasible or interrupted, 2 bad usage or input,
 * 3 infeasible, 4 internal error. */
int cpt_cmd_rota(int argc, char **argv);
int cpt_cmd_nrp(int argc, char **argv);

#endif
