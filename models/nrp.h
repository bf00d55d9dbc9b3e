/*
 * nrp.h — the nurse-rostering benchmark of schedulingbenchmarks.org
 * (Curtois & Qu, "Instance1.txt" … "Instance24.txt"): the instance reader
 * (nrp.c), the roster evaluator and the roster text format (nrp_eval.c).
 *
 * Instance text format.  Lines are read one by one; '#' starts a comment
 * line, blank lines are skipped, CRLF and trailing blanks are accepted,
 * fields are ','-separated and trimmed.  Seven sections, each introduced
 * by its name on a line of its own, each exactly once, in any order:
 *
 *   SECTION_HORIZON             one line: the horizon length in days.
 *                               Day 0 is a Monday.
 *   SECTION_SHIFTS              ShiftID, Length in mins, Shifts which
 *                               cannot follow this shift ('|'-separated,
 *                               may be empty: "E,480,")
 *   SECTION_STAFF               ID, MaxShifts, MaxTotalMinutes,
 *                               MinTotalMinutes, MaxConsecutiveShifts,
 *                               MinConsecutiveShifts, MinConsecutiveDaysOff,
 *                               MaxWeekends; MaxShifts is
 *                               "ShiftID=max|ShiftID=max" ("E=14|L=0")
 *   SECTION_DAYS_OFF            EmployeeID, DayIndexes (one or more)
 *   SECTION_SHIFT_ON_REQUESTS   EmployeeID, Day, ShiftID, Weight
 *   SECTION_SHIFT_OFF_REQUESTS  EmployeeID, Day, ShiftID, Weight
 *   SECTION_COVER               Day, ShiftID, Requirement, Weight for
 *                               under, Weight for over
 *
 * Ids are strings (no ',', '|', '=', tab; not empty), numbers are
 * non-negative decimal integers.  A shift type left out of MaxShifts is
 * unlimited (its max is the horizon).  The last four sections may be
 * empty; a (day, shift) without a cover row has no cover term.
 *
 * Model (x_sdt = 1 iff staff s works shift t on day d; w_sd = Σ_t x_sdt):
 *   hard  Σ_t x_sdt ≤ 1                    (structural: one shift a day)
 *         x_s,d−1,t + x_s,d,u ≤ 1          u cannot follow t
 *         Σ_d x_sdt ≤ maxshifts_st
 *         minmin_s ≤ Σ_dt len_t x_sdt ≤ maxmin_s
 *         every run of worked days ≤ maxcons_s
 *         every run of worked days ≥ mincons_s, runs touching day 0 or
 *           day H−1 excepted
 *         every run of days off ≥ minoff_s, runs touching day 0 or day
 *           H−1 excepted
 *         #{weekends k : w_s,7k+5 + w_s,7k+6 ≥ 1} ≤ maxweekends_s
 *         w_sd = 0 on the days off of s
 *   min   Σ_on  weight·(1 − x_sdt) + Σ_off weight·x_sdt
 *       + Σ_cover (wunder·max(0, req − n_dt) + wover·max(0, n_dt − req)),
 *         n_dt = Σ_s x_sdt.
 * The boundary rules are the benchmark's own: max consecutive shifts and
 * shift rotation assume the days just before and after the horizon are
 * days off; min consecutive shifts assumes "an infinite number of
 * consecutive shifts assigned at the end of the previous planning period
 * and at the start of the next", min consecutive days off the same with
 * days off — so a run touching the start or the end is never too short.
 * A weekend is days 5 and 6 of each week (a last Saturday alone counts).
 */
#ifndef CPT_NRP_H
#define CPT_NRP_H

#include <stddef.h>
#include <stdio.h>

#include "../solver/diag.h"
#include "../solver/status.h"

#define CPT_NRP_OFF (-1)          /* roster entry: no shift that day */
#define CPT_NRP_MAX_HORIZON 36600 /* days; larger horizons are rejected */

typedef struct cpt_nrp_shift {
  char *id;
  int minutes;
} cpt_nrp_shift;

typedef struct cpt_nrp_staff {
  char *id;
  int *max_shifts; /* [n_shifts]; the horizon when not given */
  int max_total_minutes, min_total_minutes;
  int max_consecutive_shifts, min_consecutive_shifts;
  int min_consecutive_days_off;
  int max_weekends;
} cpt_nrp_staff;

typedef struct cpt_nrp_request {
  int staff, day, shift, weight;
} cpt_nrp_request;

typedef struct cpt_nrp_cover {
  int day, shift, requirement, weight_under, weight_over;
} cpt_nrp_cover;

typedef struct cpt_nrp_instance {
  int horizon;
  int n_shifts;
  cpt_nrp_shift *shifts;
  unsigned char *forbid; /* [a*n_shifts+b] = 1: b cannot follow a */
  int n_staff;
  cpt_nrp_staff *staff;
  unsigned char *day_off; /* [s*horizon+d] = 1: s must not work on d */
  size_t n_on, n_off, n_cover;
  cpt_nrp_request *on, *off;
  cpt_nrp_cover *cover; /* at most one row per (day, shift) */
} cpt_nrp_instance;

/* Parse len bytes of text (file names the diagnostics).  On CPT_OK *out
 * is a new instance the caller frees with cpt_nrp_free; otherwise *out is
 * NULL and every error (up to the cap of diags) is in diags with its line
 * and field: CPT_EINPUT, or CPT_ENOMEM. */
cpt_status cpt_nrp_parse(const char *file, const char *text, size_t len,
                         cpt_nrp_instance **out, cpt_diags *diags);
/* Read and parse a file; CPT_EIO when it cannot be read. */
cpt_status cpt_nrp_load(const char *path, cpt_nrp_instance **out,
                        cpt_diags *diags);
void cpt_nrp_free(cpt_nrp_instance *inst); /* NULL is a no-op */

/* Index of a shift / staff id, or −1. */
int cpt_nrp_shift_index(const cpt_nrp_instance *inst, const char *id);
int cpt_nrp_staff_index(const cpt_nrp_instance *inst, const char *id);

/* --- Rosters ------------------------------------------------------------ */

typedef struct cpt_nrp_roster {
  int n_staff, horizon;
  int *shift; /* [s*horizon+d]: shift index, or CPT_NRP_OFF */
} cpt_nrp_roster;

/* A roster of the instance's size with every day off; NULL when out of
 * memory.  Free with cpt_nrp_roster_free (NULL-safe). */
cpt_nrp_roster *cpt_nrp_roster_new(const cpt_nrp_instance *inst);
void cpt_nrp_roster_free(cpt_nrp_roster *r);

/* Roster text: one line per staff member, the staff id then one
 * tab-separated field per day holding the shift id or nothing.  Blank
 * lines and '#' comment lines are skipped, CRLF accepted, lines in any
 * order; every staff member needs exactly one line.  Same ownership and
 * statuses as cpt_nrp_parse. */
cpt_status cpt_nrp_roster_parse(const cpt_nrp_instance *inst,
                                const char *file, const char *text,
                                size_t len, cpt_nrp_roster **out,
                                cpt_diags *diags);
cpt_status cpt_nrp_roster_load(const cpt_nrp_instance *inst,
                               const char *path, cpt_nrp_roster **out,
                               cpt_diags *diags);
/* Write in instance staff order; CPT_EIO on a write error, CPT_EPARAM
 * when the roster does not fit the instance. */
cpt_status cpt_nrp_roster_write(const cpt_nrp_instance *inst,
                                const cpt_nrp_roster *r, FILE *out);

/* --- Evaluation --------------------------------------------------------- */

typedef enum cpt_nrp_rule {
  CPT_NRP_SUCCESSION,   /* day: the day whose shift may not follow */
  CPT_NRP_MAX_SHIFTS,   /* shift: the type over its max; day −1 */
  CPT_NRP_MAX_MINUTES,  /* day −1 */
  CPT_NRP_MIN_MINUTES,  /* day −1 */
  CPT_NRP_MAX_CONSEC,   /* day: first day of the run; value: its length */
  CPT_NRP_MIN_CONSEC,   /* day: first day of the run; value: its length */
  CPT_NRP_MIN_DAYS_OFF, /* day: first day off of the run; value: length */
  CPT_NRP_MAX_WEEKENDS, /* day −1; value: weekends worked */
  CPT_NRP_DAY_OFF,      /* day: the day off worked */
  CPT_NRP_N_RULES
} cpt_nrp_rule;

typedef struct cpt_nrp_violation {
  cpt_nrp_rule rule;
  int staff;
  int day;   /* −1 when the rule is about the whole horizon */
  int shift; /* the shift involved, or −1 */
  long value, limit;
} cpt_nrp_violation;

typedef struct cpt_nrp_eval {
  long long on_requests;  /* Σ weight of shift-on requests not met */
  long long off_requests; /* Σ weight of shift-off requests violated */
  long long under_cover;  /* Σ weight_under × shortfall */
  long long over_cover;   /* Σ weight_over × excess */
  long long objective;    /* the sum of the four */
  size_t n_violations;    /* hard-rule violations, by staff then rule */
  cpt_nrp_violation *violations; /* owned; cpt_nrp_eval_free */
  size_t by_rule[CPT_NRP_N_RULES];
} cpt_nrp_eval;

/* Evaluate roster r of inst into *ev (overwritten; free with
 * cpt_nrp_eval_free even on error).  CPT_EPARAM when r does not fit inst
 * (size or a shift index out of range), CPT_ENOMEM. */
cpt_status cpt_nrp_evaluate(const cpt_nrp_instance *inst,
                            const cpt_nrp_roster *r, cpt_nrp_eval *ev);
void cpt_nrp_eval_free(cpt_nrp_eval *ev); /* NULL is a no-op */

/* "succession", "max_shifts", ... (static strings). */
const char *cpt_nrp_rule_name(cpt_nrp_rule rule);
/* One sentence naming the rule, staff, day and shift: "staff A day 3:
 * shift E cannot follow L"; returns buf. */
char *cpt_nrp_violation_format(const cpt_nrp_instance *inst,
                               const cpt_nrp_violation *v, char *buf,
                               size_t size);

#endif
