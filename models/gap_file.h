/*
 * gap_file.h — the OR-Library generalized-assignment text format (SPEC §3),
 * read into the GAP core's representation (solver/gap.h), one cpt_gap per
 * problem.
 *
 * Two layouts of whitespace-separated tokens (spaces, tabs, newlines, CRLF
 * all alike; line breaks carry no meaning):
 *
 *   multi-problem (OR-Library gap1 … gap12):
 *       P                                number of problems
 *       P times:  m n                    agents, jobs
 *                 c_11 … c_1n … c_m1 … c_mn    costs, agent by agent
 *                 w_11 … w_mn                  weights, agent by agent
 *                 b_1 … b_m                    capacities
 *   single-problem (OR-Library gapa … gapd, Yagiura's types C, D, E):
 *       m n, costs, weights, capacities as above.
 *
 * The layout is told from the token count T: single when T = 2 + 2mn + m
 * with m, n the first two tokens, else multi when T = 1 + Σ_p (2 + 2m_p·n_p
 * + m_p) walking the problems.  When neither fits, the first line hints
 * (one token: P alone, multi; two integers: m n, single), else the layout
 * whose count is nearer is assumed, and the mismatch is reported (a
 * truncated file, extra tokens, fewer problems than announced).
 *
 * Values: m, n (and P) positive integers with m·n ≤ CPT_GAP_FILE_MAX_CELLS;
 * weights and capacities non-negative integers ≤ CPT_GAP_FILE_MAX_INT;
 * costs finite decimals (integers in the published files), |c| ≤ 1e12.
 * Every error names file:line:column of the token and what was expected,
 *   gap1.txt:4:7: error: problem 1: expected a non-negative integer weight
 *   for agent 2, job 3, got "x"
 * and every error of the file is recorded (up to diags->max_kept).
 *
 * The problem read is  min Σ_ij c_ij·x_ij  s.t. Σ_i x_ij = 1 every job j,
 * Σ_j w_ij·x_ij ≤ b_i every agent i, x binary: in cpt_gap terms, job j is a
 * class of count 1 whose candidate list is every agent in order
 * (entries j·m … j·m + m − 1), with no unassigned option and no soft
 * capacity.  A maximization (the OR-Library optima of gap1–12 are
 * maxima) is solved as the minimization of −c: cpt_gap_file_negate.
 */
#ifndef CPT_GAP_FILE_H
#define CPT_GAP_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "../solver/diag.h"
#include "../solver/gap.h"
#include "../solver/status.h"

#define CPT_GAP_FILE_MAX_CELLS 100000000LL /* m·n: memory guard */
#define CPT_GAP_FILE_MAX_INT 1000000000LL  /* weights, capacities */
#define CPT_GAP_FILE_MAX_COST 1e12

typedef struct cpt_gap_file {
  int multi;      /* 1 = multi-problem layout, 0 = single */
  size_t n;       /* problems */
  cpt_gap **v;    /* n problems, owned */
  long *line;     /* n: line of each problem's "m n" header */
} cpt_gap_file;

/* Read a file (path) or a buffer of len bytes named name.  On success *out
 * is the caller's (cpt_gap_file_free); on any error *out is NULL, every
 * error is in diags and the status is CPT_EINPUT (bad content), CPT_EIO
 * (cannot read) or CPT_ENOMEM. */
cpt_status cpt_gap_file_load(const char *path, cpt_gap_file **out,
                             cpt_diags *diags);
cpt_status cpt_gap_file_parse(const char *name, const char *buf, size_t len,
                              cpt_gap_file **out, cpt_diags *diags);
void cpt_gap_file_free(cpt_gap_file *f); /* NULL-safe */

/* Negate every cost (maximize c = minimize −c). */
void cpt_gap_file_negate(cpt_gap *g);

/* A proof that a plain GAP (every count 1, no unassigned option) has no
 * feasible assignment: job j fits no agent (w_k > b_agent(k) for every
 * candidate k), or the jobs' smallest fitting weights add up to more than
 * the total capacity.  Returns 1 with the reason in why (e.g. "job 7 fits
 * no agent: its smallest weight 31 exceeds every capacity"; jobs and
 * agents numbered from 1 as in the file), 0 when neither proof applies
 * (which does not mean the problem is feasible). */
int cpt_gap_file_infeasible(const cpt_gap *g, char *why, size_t whysize);

#endif
