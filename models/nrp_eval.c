/*
 * nrp_eval.c — rosters of the nurse-rostering benchmark (nrp.h): the
 * evaluator of the benchmark's hard rules and objective, and the roster
 * text format (read and write).
 *
 * The evaluator makes one pass per staff member and rule over the row of
 * the roster, so that violations come out grouped by staff, then by rule,
 * then by day.  Runs of worked days and of days off are the maximal
 * blocks of the row; the horizon's edges follow the benchmark's boundary
 * conventions stated in nrp.h (a run touching day 0 or day H−1 is never
 * too short; max consecutive shifts counts the run as it stands).  The
 * objective is split in its four terms, each a sum of integer weights.
 */
#include "nrp.h"

#include <stdlib.h>
#include <string.h>

/* --- Rosters ------------------------------------------------------------ */

cpt_nrp_roster *cpt_nrp_roster_new(const cpt_nrp_instance *inst) {
  cpt_nrp_roster *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  size_t n = (size_t)inst->n_staff * inst->horizon;
  r->shift = malloc((n + 1) * sizeof *r->shift);
  if (!r->shift) {
    free(r);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) r->shift[i] = CPT_NRP_OFF;
  r->n_staff = inst->n_staff;
  r->horizon = inst->horizon;
  return r;
}

void cpt_nrp_roster_free(cpt_nrp_roster *r) {
  if (!r) return;
  free(r->shift);
  free(r);
}

static int roster_fits(const cpt_nrp_instance *inst,
                       const cpt_nrp_roster *r) {
  if (!r || r->n_staff != inst->n_staff || r->horizon != inst->horizon)
    return 0;
  size_t n = (size_t)r->n_staff * r->horizon;
  for (size_t i = 0; i < n; i++)
    if (r->shift[i] < CPT_NRP_OFF || r->shift[i] >= inst->n_shifts) return 0;
  return 1;
}

static char *trim_spaces(char *s) {
  while (*s == ' ' || *s == '\r') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r')) s[--n] = '\0';
  return s;
}

static int blank_line(const char *s) {
  for (; *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\r') return *s == '#';
  return 1;
}

/* s, echoed into a message, with its control characters shown as '?'
 * (in place) so that none reaches a terminal. */
static const char *shown(char *s) {
  for (char *q = s; *q; q++)
    if ((unsigned char)*q < 0x20 || *q == 0x7F) *q = '?';
  return s;
}

cpt_status cpt_nrp_roster_parse(const cpt_nrp_instance *inst,
                                const char *file, const char *text,
                                size_t len, cpt_nrp_roster **out,
                                cpt_diags *diags) {
  CPT_REQUIRE(inst != NULL && out != NULL, "cpt_nrp_roster_parse: NULL");
  *out = NULL;
  cpt_diags local;
  cpt_diags_init(&local);
  cpt_diags *d = diags ? diags : &local;
  size_t errors = 0;
  int H = inst->horizon;
  cpt_nrp_roster *r = cpt_nrp_roster_new(inst);
  long *seen = calloc((size_t)inst->n_staff + 1, sizeof *seen);
  char *buf = malloc(len + 1);
  if (!r || !seen || !buf) {
    cpt_diag_error(d, file, 0, 0, "out of memory");
    cpt_nrp_roster_free(r);
    free(seen);
    free(buf);
    cpt_diags_free(&local);
    return CPT_ENOMEM;
  }
  if (len) memcpy(buf, text, len);
  buf[len] = '\0';
  if (strlen(buf) != len) {
    cpt_diag_error(d, file, 0, 0, "the file contains a NUL byte");
    errors++;
  }
  long no = 0;
  for (char *s = buf; s;) {
    char *nl = strchr(s, '\n');
    if (nl) *nl = '\0';
    char *line = s;
    s = nl ? nl + 1 : NULL;
    no++;
    if (blank_line(line)) continue;
    char *id = line, *rest = strchr(line, '\t');
    if (rest) *rest++ = '\0';
    id = trim_spaces(id);
    int st = cpt_nrp_staff_index(inst, id);
    if (st < 0) {
      cpt_diag_error(d, file, no, 1, "unknown staff '%s'", shown(id));
      errors++;
      continue;
    }
    if (seen[st]) {
      cpt_diag_error(d, file, no, 1,
                     "second line for staff '%s' (first at line %ld)", id,
                     seen[st]);
      errors++;
      continue;
    }
    seen[st] = no;
    int nf = 0;
    for (const char *c = rest; c && *c; c++) nf += *c == '\t';
    nf += rest != NULL;
    if (nf != H) {
      cpt_diag_error(d, file, no, 0,
                     "staff '%s': expected %d tab-separated day fields "
                     "after the id, got %d",
                     id, H, nf);
      errors++;
      continue;
    }
    for (int day = 0; day < H; day++) {
      char *tab = strchr(rest, '\t');
      if (tab) *tab = '\0';
      char *f = trim_spaces(rest);
      rest = tab ? tab + 1 : NULL;
      if (!*f) continue;
      int t = cpt_nrp_shift_index(inst, f);
      if (t < 0) {
        cpt_diag_error(d, file, no, day + 2,
                       "staff '%s' day %d: unknown shift '%s'", id, day,
                       shown(f));
        errors++;
        continue;
      }
      r->shift[(size_t)st * H + day] = t;
    }
  }
  for (int st = 0; st < inst->n_staff; st++)
    if (!seen[st]) {
      cpt_diag_error(d, file, 0, 0, "no line for staff '%s'",
                     inst->staff[st].id);
      errors++;
    }
  free(seen);
  free(buf);
  cpt_diags_free(&local);
  if (errors) {
    cpt_nrp_roster_free(r);
    return CPT_EINPUT;
  }
  *out = r;
  return CPT_OK;
}

cpt_status cpt_nrp_roster_write(const cpt_nrp_instance *inst,
                                const cpt_nrp_roster *r, FILE *out) {
  if (!inst || !out || !roster_fits(inst, r)) return CPT_EPARAM;
  for (int s = 0; s < inst->n_staff; s++) {
    fputs(inst->staff[s].id, out);
    for (int d = 0; d < inst->horizon; d++) {
      int t = r->shift[(size_t)s * inst->horizon + d];
      fputc('\t', out);
      if (t >= 0) fputs(inst->shifts[t].id, out);
    }
    fputc('\n', out);
  }
  return ferror(out) ? CPT_EIO : CPT_OK;
}

/* --- Evaluation --------------------------------------------------------- */

typedef struct nrp_vlist {
  cpt_nrp_eval *ev;
  size_t cap;
  int nomem;
} nrp_vlist;

static void add(nrp_vlist *l, cpt_nrp_rule rule, int staff, int day,
                int shift, long value, long limit) {
  cpt_nrp_eval *ev = l->ev;
  ev->by_rule[rule]++;
  if (l->nomem) return;
  if (ev->n_violations == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 16;
    cpt_nrp_violation *v = realloc(ev->violations, cap * sizeof *v);
    if (!v) {
      l->nomem = 1;
      return;
    }
    ev->violations = v;
    l->cap = cap;
  }
  cpt_nrp_violation *v = &ev->violations[ev->n_violations++];
  v->rule = rule;
  v->staff = staff;
  v->day = day;
  v->shift = shift;
  v->value = value;
  v->limit = limit;
}

/* Runs of worked days (work = 1) or days off (work = 0) of row: calls
 * check for each with its first day and length. */
static void runs(nrp_vlist *l, const cpt_nrp_instance *in, int s,
                 const int *row, int work, cpt_nrp_rule rule) {
  const cpt_nrp_staff *st = &in->staff[s];
  int H = in->horizon;
  for (int a = 0; a < H;) {
    if ((row[a] >= 0) != work) {
      a++;
      continue;
    }
    int b = a;
    while (b + 1 < H && (row[b + 1] >= 0) == work) b++;
    int len = b - a + 1, inner = a > 0 && b < H - 1;
    if (rule == CPT_NRP_MAX_CONSEC && len > st->max_consecutive_shifts)
      add(l, rule, s, a, -1, len, st->max_consecutive_shifts);
    else if (rule == CPT_NRP_MIN_CONSEC && inner &&
             len < st->min_consecutive_shifts)
      add(l, rule, s, a, -1, len, st->min_consecutive_shifts);
    else if (rule == CPT_NRP_MIN_DAYS_OFF && inner &&
             len < st->min_consecutive_days_off)
      add(l, rule, s, a, -1, len, st->min_consecutive_days_off);
    a = b + 1;
  }
}

static void eval_staff(nrp_vlist *l, const cpt_nrp_instance *in, int s,
                       const int *row, long *count) {
  const cpt_nrp_staff *st = &in->staff[s];
  int H = in->horizon, ns = in->n_shifts;
  for (int d = 1; d < H; d++)
    if (row[d - 1] >= 0 && row[d] >= 0 &&
        in->forbid[(size_t)row[d - 1] * ns + row[d]])
      add(l, CPT_NRP_SUCCESSION, s, d, row[d], row[d - 1], 0);
  long minutes = 0;
  for (int t = 0; t < ns; t++) count[t] = 0;
  for (int d = 0; d < H; d++)
    if (row[d] >= 0) {
      count[row[d]]++;
      minutes += in->shifts[row[d]].minutes;
    }
  for (int t = 0; t < ns; t++)
    if (count[t] > st->max_shifts[t])
      add(l, CPT_NRP_MAX_SHIFTS, s, -1, t, count[t], st->max_shifts[t]);
  if (minutes > st->max_total_minutes)
    add(l, CPT_NRP_MAX_MINUTES, s, -1, -1, minutes, st->max_total_minutes);
  if (minutes < st->min_total_minutes)
    add(l, CPT_NRP_MIN_MINUTES, s, -1, -1, minutes, st->min_total_minutes);
  runs(l, in, s, row, 1, CPT_NRP_MAX_CONSEC);
  runs(l, in, s, row, 1, CPT_NRP_MIN_CONSEC);
  runs(l, in, s, row, 0, CPT_NRP_MIN_DAYS_OFF);
  long weekends = 0;
  for (int sat = 5; sat < H; sat += 7)
    weekends += row[sat] >= 0 || (sat + 1 < H && row[sat + 1] >= 0);
  if (weekends > st->max_weekends)
    add(l, CPT_NRP_MAX_WEEKENDS, s, -1, -1, weekends, st->max_weekends);
  if (in->day_off)
    for (int d = 0; d < H; d++)
      if (row[d] >= 0 && in->day_off[(size_t)s * H + d])
        add(l, CPT_NRP_DAY_OFF, s, d, row[d], 0, 0);
}

cpt_status cpt_nrp_evaluate(const cpt_nrp_instance *inst,
                            const cpt_nrp_roster *r, cpt_nrp_eval *ev) {
  CPT_REQUIRE(inst != NULL && ev != NULL, "cpt_nrp_evaluate: NULL");
  memset(ev, 0, sizeof *ev);
  if (!roster_fits(inst, r)) return CPT_EPARAM;
  int H = inst->horizon, ns = inst->n_shifts;
  long *count = malloc(((size_t)ns + 1) * sizeof *count);
  long *cover = calloc((size_t)H * ns + 1, sizeof *cover);
  if (!count || !cover) {
    free(count);
    free(cover);
    return CPT_ENOMEM;
  }
  nrp_vlist l = {ev, 0, 0};
  for (int s = 0; s < inst->n_staff; s++) {
    const int *row = r->shift + (size_t)s * H;
    eval_staff(&l, inst, s, row, count);
    for (int d = 0; d < H; d++)
      if (row[d] >= 0) cover[(size_t)d * ns + row[d]]++;
  }
  for (size_t i = 0; i < inst->n_on; i++) {
    const cpt_nrp_request *q = &inst->on[i];
    if (r->shift[(size_t)q->staff * H + q->day] != q->shift)
      ev->on_requests += q->weight;
  }
  for (size_t i = 0; i < inst->n_off; i++) {
    const cpt_nrp_request *q = &inst->off[i];
    if (r->shift[(size_t)q->staff * H + q->day] == q->shift)
      ev->off_requests += q->weight;
  }
  for (size_t i = 0; i < inst->n_cover; i++) {
    const cpt_nrp_cover *c = &inst->cover[i];
    long n = cover[(size_t)c->day * ns + c->shift];
    if (n < c->requirement)
      ev->under_cover += (long long)c->weight_under * (c->requirement - n);
    else
      ev->over_cover += (long long)c->weight_over * (n - c->requirement);
  }
  ev->objective =
      ev->on_requests + ev->off_requests + ev->under_cover + ev->over_cover;
  free(count);
  free(cover);
  return l.nomem ? CPT_ENOMEM : CPT_OK;
}

void cpt_nrp_eval_free(cpt_nrp_eval *ev) {
  if (!ev) return;
  free(ev->violations);
  ev->violations = NULL;
  ev->n_violations = 0;
}

const char *cpt_nrp_rule_name(cpt_nrp_rule rule) {
  static const char *const name[CPT_NRP_N_RULES] = {
      "succession",  "max_shifts", "max_minutes",  "min_minutes",
      "max_consecutive_shifts",    "min_consecutive_shifts",
      "min_consecutive_days_off",  "max_weekends", "day_off"};
  return (unsigned)rule < CPT_NRP_N_RULES ? name[rule] : "unknown";
}

char *cpt_nrp_violation_format(const cpt_nrp_instance *inst,
                               const cpt_nrp_violation *v, char *buf,
                               size_t size) {
  const char *who = inst->staff[v->staff].id;
  const char *sh = v->shift >= 0 ? inst->shifts[v->shift].id : "";
  long end = v->day + v->value - 1;
  switch (v->rule) {
  case CPT_NRP_SUCCESSION:
    snprintf(buf, size, "staff %s day %d: shift %s cannot follow %s", who,
             v->day, sh, inst->shifts[v->value].id);
    break;
  case CPT_NRP_MAX_SHIFTS:
    snprintf(buf, size, "staff %s: %ld shifts %s, at most %ld", who,
             v->value, sh, v->limit);
    break;
  case CPT_NRP_MAX_MINUTES:
    snprintf(buf, size, "staff %s: %ld minutes worked, at most %ld", who,
             v->value, v->limit);
    break;
  case CPT_NRP_MIN_MINUTES:
    snprintf(buf, size, "staff %s: %ld minutes worked, at least %ld", who,
             v->value, v->limit);
    break;
  case CPT_NRP_MAX_CONSEC:
    snprintf(buf, size,
             "staff %s days %d..%ld: %ld consecutive shifts, at most %ld",
             who, v->day, end, v->value, v->limit);
    break;
  case CPT_NRP_MIN_CONSEC:
    snprintf(buf, size,
             "staff %s days %d..%ld: %ld consecutive shifts, at least %ld",
             who, v->day, end, v->value, v->limit);
    break;
  case CPT_NRP_MIN_DAYS_OFF:
    snprintf(buf, size,
             "staff %s days %d..%ld: %ld consecutive days off, at least "
             "%ld",
             who, v->day, end, v->value, v->limit);
    break;
  case CPT_NRP_MAX_WEEKENDS:
    snprintf(buf, size, "staff %s: %ld weekends worked, at most %ld", who,
             v->value, v->limit);
    break;
  case CPT_NRP_DAY_OFF:
    snprintf(buf, size, "staff %s day %d: shift %s on a day off", who,
             v->day, sh);
    break;
  default:
    snprintf(buf, size, "staff %s: unknown rule", who);
  }
  return buf;
}
