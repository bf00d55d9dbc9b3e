/*
 * report_rota.c — the rota CSV, the JSON report, the per-doctor iCalendar
 * files and the terminal week grid of `cptsopt rota` (see report_rota.h).
 *
 * Everything iterates slots in (start, id) order and doctors in id order,
 * so the outputs depend on the solution only, never on file order or on
 * the solver's thread count.
 */
#include "report_rota.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../models/config.h"
#include "../models/instance.h"
#include "ics.h"

/* --- Orders --------------------------------------------------------------- */

static const cpt_slots *sort_slots;
static const cpt_doctors *sort_doctors;

/* qsort has no context argument; these orders run on the main thread only
 * (before or after the parallel solve), never concurrently. */
static int cmp_slot(const void *a, const void *b) {
  const cpt_slot *s = &sort_slots->v[*(const int32_t *)a];
  const cpt_slot *t = &sort_slots->v[*(const int32_t *)b];
  if (s->start != t->start) return s->start < t->start ? -1 : 1;
  return strcmp(s->id, t->id);
}

static int cmp_doctor(const void *a, const void *b) {
  return strcmp(sort_doctors->v[*(const int32_t *)a].id,
                sort_doctors->v[*(const int32_t *)b].id);
}

int32_t *cpt_rota_slot_order(const cpt_slots *S) {
  int32_t *o = malloc((S->n ? S->n : 1) * sizeof *o);
  if (!o) return NULL;
  for (size_t i = 0; i < S->n; i++) o[i] = (int32_t)i;
  sort_slots = S;
  qsort(o, S->n, sizeof *o, cmp_slot);
  return o;
}

int32_t *cpt_rota_doctor_order(const cpt_doctors *D) {
  int32_t *o = malloc((D->n ? D->n : 1) * sizeof *o);
  if (!o) return NULL;
  for (size_t i = 0; i < D->n; i++) o[i] = (int32_t)i;
  sort_doctors = D;
  qsort(o, D->n, sizeof *o, cmp_doctor);
  return o;
}

/* --- CSV ------------------------------------------------------------------ */

static void csv_put(FILE *f, const char *s) {
  if (!s) return;
  if (!strpbrk(s, ",;\"\r\n")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static void csv_slot_prefix(FILE *f, const cpt_slot *s) {
  char date[11], t0[6], t1[6];
  csv_put(f, s->id);
  fprintf(f, ",%s,%s,%s,", cpt_rota_fmt_date(s->start, date),
          cpt_rota_fmt_time(s->start, t0), cpt_rota_fmt_time(s->end, t1));
  csv_put(f, s->site);
  fputc(',', f);
}

cpt_status cpt_rota_write_csv(FILE *f, const cpt_doctors *D,
                              const cpt_slots *S,
                              const cpt_rota_solution *sol) {
  int32_t *so = cpt_rota_slot_order(S), *dord = cpt_rota_doctor_order(D);
  if (!so || !dord) {
    free(so);
    free(dord);
    return CPT_ENOMEM;
  }
  fputs("slot,date,start,end,site,doctor\n", f);
  for (size_t i = 0; i < S->n; i++) {
    size_t s = (size_t)so[i];
    for (size_t j = 0; j < D->n; j++) {
      size_t d = (size_t)dord[j];
      if (!sol->y[d * S->n + s]) continue;
      csv_slot_prefix(f, &S->v[s]);
      csv_put(f, D->v[d].id);
      fputc('\n', f);
    }
    for (int32_t k = 0; k < sol->under[s]; k++) {
      csv_slot_prefix(f, &S->v[s]);
      fputc('\n', f);
    }
  }
  free(so);
  free(dord);
  return CPT_OK;
}

/* --- JSON report ---------------------------------------------------------- */

static void add_slot_fields(cJSON *o, const cpt_slot *s) {
  char date[11], t0[6], t1[6];
  cJSON_AddStringToObject(o, "slot", s->id);
  cJSON_AddStringToObject(o, "date", cpt_rota_fmt_date(s->start, date));
  cJSON_AddStringToObject(o, "start", cpt_rota_fmt_time(s->start, t0));
  cJSON_AddStringToObject(o, "end", cpt_rota_fmt_time(s->end, t1));
  if (s->site)
    cJSON_AddStringToObject(o, "site", s->site);
  else
    cJSON_AddNullToObject(o, "site");
  cJSON_AddStringToObject(o, "kind", s->kind == CPT_SLOT_PDSA ? "pdsa"
                                                                : "snp");
}

cJSON *cpt_rota_report_json(const cpt_doctors *D, const cpt_slots *S,
                            const cpt_rota *R, const cpt_rota_solution *sol,
                            const cpt_config *cfg,
                            const cpt_rota_report_info *info) {
  cJSON *root = cJSON_CreateObject();
  int32_t *so = cpt_rota_slot_order(S), *dord = cpt_rota_doctor_order(D);
  if (!root || !so || !dord) goto oom;
  bool proven = sol->status == CPT_SOLVE_OPTIMAL;
  cJSON_AddStringToObject(root, "status", cpt_solve_status_name(sol->status));
  cJSON_AddNumberToObject(root, "objective", sol->objective);
  cJSON_AddNumberToObject(root, "bound", sol->bound);
  cJSON_AddNumberToObject(root, "gap", proven ? 0.0 : sol->gap);
  cJSON_AddNumberToObject(root, "time_s", sol->time_s + info->read_s);
  cJSON_AddStringToObject(root, "method", info->method);
  cJSON_AddNumberToObject(root, "threads", info->threads);
  cJSON_AddNumberToObject(root, "seed", (double)cfg->solver_seed);
  cJSON *c = cpt_config_to_json(cfg);
  if (!c) goto oom;
  cJSON_AddItemToObject(root, "config", c);
  cJSON_AddStringToObject(root, "version", CPT_VERSION);

  cJSON *terms = cJSON_AddObjectToObject(root, "terms");
  if (!terms) goto oom;
  cJSON_AddNumberToObject(terms, "under", sol->term_under);
  cJSON_AddNumberToObject(terms, "over", sol->term_over);
  cJSON_AddNumberToObject(terms, "preferred", sol->term_preferred);
  cJSON_AddNumberToObject(terms, "fair", sol->term_fair);
  cJSON_AddNumberToObject(terms, "change", sol->term_change);

  size_t n_assign = 0, n_under = 0, n_uncov_slots = 0, need = 0;
  for (size_t s = 0; s < S->n; s++) {
    n_assign += (size_t)sol->covered[s];
    n_under += (size_t)sol->under[s];
    n_uncov_slots += sol->under[s] > 0;
    need += (size_t)S->v[s].need;
  }
  cJSON *counts = cJSON_AddObjectToObject(root, "counts");
  if (!counts) goto oom;
  cJSON_AddNumberToObject(counts, "doctors", (double)D->n);
  cJSON_AddNumberToObject(counts, "slots", (double)S->n);
  cJSON_AddNumberToObject(counts, "need", (double)need);
  cJSON_AddNumberToObject(counts, "assignments", (double)n_assign);
  cJSON_AddNumberToObject(counts, "missing", (double)n_under);
  cJSON_AddNumberToObject(counts, "uncovered_slots", (double)n_uncov_slots);
  cJSON_AddNumberToObject(counts, "pinned", (double)R->n_pinned);
  cJSON_AddNumberToObject(counts, "warnings",
                          (double)(info->diags ? info->diags->n_warnings : 0));
  cJSON_AddNumberToObject(root, "equal_share", R->equal_share);
  if (info->previous)
    cJSON_AddStringToObject(root, "previous", info->previous);
  else
    cJSON_AddNullToObject(root, "previous");

  cJSON *docs = cJSON_AddArrayToObject(root, "doctors");
  if (!docs) goto oom;
  for (size_t j = 0; j < D->n; j++) {
    size_t d = (size_t)dord[j];
    cJSON *o = cJSON_CreateObject();
    if (!o) goto oom;
    cJSON_AddItemToArray(docs, o);
    size_t pref = 0;
    for (size_t s = 0; s < S->n; s++)
      pref += sol->y[d * S->n + s] &&
              (R->ds[d * S->n + s] & CPT_DS_PREFERRED);
    cJSON_AddStringToObject(o, "id", D->v[d].id);
    cJSON_AddNumberToObject(o, "load", sol->load[d]);
    cJSON_AddNumberToObject(o, "history", (double)R->hist[d]);
    cJSON_AddNumberToObject(o, "target", R->target[d]);
    cJSON_AddNumberToObject(o, "deviation", sol->deviation[d]);
    cJSON_AddNumberToObject(o, "preferred", (double)pref);
    if (R->max_slots[d] >= 0)
      cJSON_AddNumberToObject(o, "max_slots", R->max_slots[d]);
    else
      cJSON_AddNullToObject(o, "max_slots");
    cJSON_AddNumberToObject(o, "max_per_day", R->max_per_day[d]);
  }

  cJSON *unc = cJSON_AddArrayToObject(root, "uncovered");
  if (!unc) goto oom;
  for (size_t i = 0; i < S->n; i++) {
    size_t s = (size_t)so[i];
    if (sol->under[s] <= 0) continue;
    cJSON *o = cJSON_CreateObject();
    if (!o) goto oom;
    cJSON_AddItemToArray(unc, o);
    add_slot_fields(o, &S->v[s]);
    cJSON_AddNumberToObject(o, "need", S->v[s].need);
    cJSON_AddNumberToObject(o, "covered", sol->covered[s]);
    cJSON_AddStringToObject(
        o, "reason",
        cpt_uncovered_reason_name((cpt_uncovered_reason)sol->reason[s]));
  }
  cJSON *stats = cJSON_AddObjectToObject(root, "model");
  if (!stats) goto oom;
  cJSON_AddNumberToObject(stats, "rows", (double)sol->rows);
  cJSON_AddNumberToObject(stats, "cols", (double)sol->cols);
  cJSON_AddNumberToObject(stats, "nodes", (double)sol->nodes);
  cJSON_AddNumberToObject(stats, "conflicts", (double)R->n_conflicts);
  free(so);
  free(dord);
  return root;
oom:
  free(so);
  free(dord);
  cJSON_Delete(root);
  return NULL;
}

/* --- iCalendar ------------------------------------------------------------ */

static cpt_ics_datetime to_ics(int64_t minutes) {
  cpt_ics_datetime t;
  int64_t day = cpt_rota_day_of(minutes);
  int mod = (int)(minutes - day * CPT_MIN_PER_DAY);
  cpt_rota_civil(day, &t.year, &t.month, &t.day);
  t.hour = mod / 60;
  t.minute = mod % 60;
  return t;
}

void cpt_rota_ics_name(const char *id, char *buf, size_t size) {
  if (!size) return;
  size_t n = 0;
  bool dots_only = true;
  for (const char *p = id; *p; p++) {
    char c = *p;
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (c != '.') dots_only = false;
    if (n + 1 < size) buf[n++] = ok ? c : '_';
  }
  buf[n] = '\0';
  char tmp[512];
  snprintf(tmp, sizeof tmp, "%s%s.ics", (n == 0 || dots_only) ? "_" : "",
           buf);
  snprintf(buf, size, "%s", tmp);
}

cpt_status cpt_rota_write_ics(FILE *f, const cpt_doctors *D,
                              const cpt_slots *S,
                              const cpt_rota_solution *sol, size_t d) {
  int32_t *so = cpt_rota_slot_order(S);
  size_t n = (size_t)sol->load[d];
  cpt_ics_event *ev = calloc(n ? n : 1, sizeof *ev);
  char (*summary)[160] = calloc(n ? n : 1, sizeof *summary);
  char (*descr)[160] = calloc(n ? n : 1, sizeof *descr);
  cpt_status st = CPT_ENOMEM;
  if (!so || !ev || !summary || !descr) goto done;
  size_t k = 0;
  for (size_t i = 0; i < S->n && k < n; i++) {
    size_t s = (size_t)so[i];
    if (!sol->y[d * S->n + s]) continue;
    const cpt_slot *sl = &S->v[s];
    const char *kind = sl->kind == CPT_SLOT_PDSA ? "PDSA" : "SNP";
    if (sl->site)
      snprintf(summary[k], sizeof summary[k], "%s — site %s", kind,
               sl->site);
    else
      snprintf(summary[k], sizeof summary[k], "%s", kind);
    snprintf(descr[k], sizeof descr[k], "slot %s", sl->id);
    ev[k].slot_id = sl->id;
    ev[k].doctor_id = D->v[d].id;
    ev[k].start = to_ics(sl->start);
    ev[k].end = to_ics(sl->end);
    ev[k].summary = summary[k];
    ev[k].location = sl->site;
    ev[k].description = descr[k];
    k++;
  }
  char name[300];
  snprintf(name, sizeof name, "SNP rota — Dr %s", D->v[d].id);
  cpt_ics_calendar cal = {0};
  cal.name = name;
  cal.events = ev;
  cal.n_events = k;
  st = cpt_ics_write(f, &cal);
done:
  free(so);
  free(ev);
  free(summary);
  free(descr);
  return st;
}

/* --- Week grid ------------------------------------------------------------ */

typedef struct sbuf {
  char *p;
  size_t n, cap;
  bool oom;
} sbuf;

static void sb_add(sbuf *b, const char *s) {
  size_t l = strlen(s);
  if (b->n + l + 1 > b->cap) {
    size_t cap = (b->cap ? b->cap * 2 : 32) + l;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = true;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, l + 1);
  b->n += l;
}

/* Terminal columns of a UTF-8 string: one per code point. */
static size_t width(const char *s) {
  size_t w = 0;
  for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
  return w;
}

static void pad(FILE *out, const char *s, size_t w) {
  fputs(s, out);
  for (size_t k = width(s); k < w; k++) fputc(' ', out);
}

static const char *abbrev(uint8_t reason) {
  switch (reason) {
  case CPT_UNCOV_NOBODY_AVAILABLE: return "—nobody";
  case CPT_UNCOV_REST_RULE: return "—rest";
  case CPT_UNCOV_AT_LIMIT: return "—limit";
  case CPT_UNCOV_NOT_WORTHWHILE: return "—cost";
  default: return "—";
  }
}

static int mod_of(int64_t m) {
  return (int)(m - cpt_rota_day_of(m) * CPT_MIN_PER_DAY);
}

/* The row key of a slot: site, then start and end minute of day. */
static int cmp_row(const cpt_slot *a, const cpt_slot *b) {
  const char *sa = a->site ? a->site : "", *sb = b->site ? b->site : "";
  int c = strcmp(sa, sb);
  if (c) return c;
  if (mod_of(a->start) != mod_of(b->start))
    return mod_of(a->start) < mod_of(b->start) ? -1 : 1;
  int64_t la = a->end - a->start, lb = b->end - b->start;
  if (la != lb) return la < lb ? -1 : 1;
  return 0;
}

static int cmp_row_idx(const void *a, const void *b) {
  const cpt_slot *s = &sort_slots->v[*(const int32_t *)a];
  const cpt_slot *t = &sort_slots->v[*(const int32_t *)b];
  int c = cmp_row(s, t);
  if (c) return c;
  if (s->start != t->start) return s->start < t->start ? -1 : 1;
  return strcmp(s->id, t->id);
}

static const char *const weekday[7] = {"Mon", "Tue", "Wed", "Thu",
                                       "Fri", "Sat", "Sun"};

cpt_status cpt_rota_print_grid(FILE *out, const cpt_doctors *D,
                               const cpt_slots *S, const cpt_rota *R,
                               const cpt_rota_solution *sol) {
  size_t ns = S->n, nd = R->n_days;
  if (!ns) {
    fputs("(no slots)\n", out);
    return CPT_OK;
  }
  int32_t *order = malloc(ns * sizeof *order);
  int32_t *dord = cpt_rota_doctor_order(D);
  size_t *row_of = malloc(ns * sizeof *row_of);
  size_t *row_first = malloc(ns * sizeof *row_first); /* a slot per row */
  char **cell = NULL, **label = NULL;
  size_t nrows = 0;
  cpt_status st = CPT_ENOMEM;
  if (!order || !dord || !row_of || !row_first) goto done;
  for (size_t i = 0; i < ns; i++) order[i] = (int32_t)i;
  sort_slots = S;
  qsort(order, ns, sizeof *order, cmp_row_idx);
  for (size_t i = 0; i < ns; i++) {
    size_t s = (size_t)order[i];
    if (!nrows || cmp_row(&S->v[row_first[nrows - 1]], &S->v[s]))
      row_first[nrows++] = s;
    row_of[s] = nrows - 1;
  }
  cell = calloc(nrows * nd, sizeof *cell);
  label = calloc(nrows * 2, sizeof *label);
  if (!cell || !label) goto done;
  sbuf b = {0};
  for (size_t i = 0; i < ns; i++) { /* fill cells in row, then start order */
    size_t s = (size_t)order[i];
    size_t c = row_of[s] * nd + (size_t)R->slot_day[s];
    b.n = 0;
    sb_add(&b, "");
    if (cell[c]) {
      sb_add(&b, cell[c]);
      sb_add(&b, " / ");
    }
    bool first = true;
    for (size_t j = 0; j < D->n; j++) {
      size_t d = (size_t)dord[j];
      if (!sol->y[d * ns + s]) continue;
      if (!first) sb_add(&b, "+");
      sb_add(&b, D->v[d].id);
      first = false;
    }
    for (int32_t k = 0; k < sol->under[s]; k++) {
      if (!first) sb_add(&b, "+");
      sb_add(&b, abbrev(sol->reason[s]));
      first = false;
    }
    if (first) sb_add(&b, "·"); /* need 0 and nobody on it */
    if (b.oom) {
      free(b.p);
      goto done;
    }
    free(cell[c]);
    cell[c] = strdup(b.p);
    if (!cell[c]) {
      free(b.p);
      goto done;
    }
  }
  free(b.p);
  for (size_t r = 0; r < nrows; r++) {
    const cpt_slot *sl = &S->v[row_first[r]];
    char t0[6], t1[6], tm[16];
    snprintf(tm, sizeof tm, "%s–%s", cpt_rota_fmt_time(sl->start, t0),
             cpt_rota_fmt_time(sl->end, t1));
    label[2 * r] = strdup(sl->site ? sl->site : "-");
    label[2 * r + 1] = strdup(tm);
    if (!label[2 * r] || !label[2 * r + 1]) goto done;
  }
  size_t w_site = width("site"), w_time = width("time");
  for (size_t r = 0; r < nrows; r++) {
    if (width(label[2 * r]) > w_site) w_site = width(label[2 * r]);
    if (width(label[2 * r + 1]) > w_time) w_time = width(label[2 * r + 1]);
  }
  char head[32];
  pad(out, "site", w_site);
  fputs("  ", out);
  pad(out, "time", w_time);
  size_t *w_day = calloc(nd ? nd : 1, sizeof *w_day);
  if (!w_day) goto done;
  for (size_t k = 0; k < nd; k++) {
    w_day[k] = 9; /* "Mon 26/02" */
    for (size_t r = 0; r < nrows; r++)
      if (cell[r * nd + k] && width(cell[r * nd + k]) > w_day[k])
        w_day[k] = width(cell[r * nd + k]);
  }
  for (size_t k = 0; k < nd; k++) {
    int y, m, d;
    cpt_rota_civil(R->days[k], &y, &m, &d);
    int wd = (int)(((R->days[k] % 7) + 7 + 5) % 7); /* 2000-01-01: Sat */
    snprintf(head, sizeof head, "%s %02d/%02d", weekday[wd], d, m);
    fputs(" | ", out);
    pad(out, head, k + 1 < nd ? w_day[k] : 0);
  }
  fputc('\n', out);
  size_t total = w_site + 2 + w_time;
  for (size_t k = 0; k < nd; k++) total += 3 + w_day[k];
  for (size_t k = 0; k < total; k++) fputc('-', out);
  fputc('\n', out);
  for (size_t r = 0; r < nrows; r++) {
    pad(out, label[2 * r], w_site);
    fputs("  ", out);
    pad(out, label[2 * r + 1], w_time);
    for (size_t k = 0; k < nd; k++) {
      fputs(" | ", out);
      const char *c = cell[r * nd + k] ? cell[r * nd + k] : "";
      pad(out, c, k + 1 < nd ? w_day[k] : 0);
    }
    fputc('\n', out);
  }
  free(w_day);
  st = CPT_OK;
done:
  if (cell)
    for (size_t i = 0; i < nrows * nd; i++) free(cell[i]);
  if (label)
    for (size_t i = 0; i < nrows * 2; i++) free(label[i]);
  free(cell);
  free(label);
  free(order);
  free(dord);
  free(row_of);
  free(row_first);
  return st;
}
