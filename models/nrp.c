/*
 * nrp.c — reader of the schedulingbenchmarks.org nurse-rostering instance
 * text format (format and model in nrp.h).
 *
 * Two passes over an owned copy of the text.  The first cuts it into
 * lines, trims them, drops comments and blank lines and files every data
 * line under the section header above it.  The second parses the sections
 * in dependency order (horizon, shifts, staff, then days off, requests and
 * cover, which refer to staff, shifts and days) so that forward references
 * cannot occur, whatever the order of the sections in the file.  Every
 * error is recorded with its line and field and parsing goes on; an id
 * that refers to a missing section, or a day when the horizon is unusable,
 * is not reported again, so one defect gives one diagnostic.
 */
#include "nrp.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  SEC_HORIZON,
  SEC_SHIFTS,
  SEC_STAFF,
  SEC_DAYS_OFF,
  SEC_ON,
  SEC_OFF,
  SEC_COVER,
  N_SEC
};

static const char *const sec_name[N_SEC] = {
    "SECTION_HORIZON",           "SECTION_SHIFTS",
    "SECTION_STAFF",             "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER"};

typedef struct nrp_line {
  char *s;
  long no;
} nrp_line;

typedef struct nrp_section {
  long header; /* line of the header; 0 = absent */
  nrp_line *v;
  size_t n, cap;
} nrp_section;

/* Open-addressing map from id (borrowed string) to index. */
typedef struct nrp_idmap {
  const char **key;
  int *val;
  size_t cap; /* power of two */
} nrp_idmap;

typedef struct nrp_parser {
  const char *file;
  cpt_diags *d;
  size_t errors;
  int nomem;
  nrp_section sec[N_SEC];
  cpt_nrp_instance *inst;
  int h_ok; /* horizon parsed */
  nrp_idmap shifts, staff;
  long *shift_line, *staff_line;
} nrp_parser;

/* Record an error.  Fields of the file are echoed into messages: their
 * control characters are shown as '?' so that none reaches a terminal. */
__attribute__((format(printf, 4, 5))) static void
nrp_err(nrp_parser *p, long line, long col, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  for (char *q = msg; *q; q++)
    if ((unsigned char)*q < 0x20 || *q == 0x7F) *q = '?';
  p->errors++;
  cpt_diag_error(p->d, p->file, line, col, "%s", msg);
}
#define ERR(p, line, col, ...) nrp_err((p), (line), (col), __VA_ARGS__)

/* --- Small helpers ------------------------------------------------------ */

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static int idmap_init(nrp_idmap *m, size_t expected) {
  size_t cap = 16;
  while (cap < 2 * expected + 1) cap *= 2;
  m->key = calloc(cap, sizeof *m->key);
  m->val = calloc(cap, sizeof *m->val);
  m->cap = cap;
  return m->key && m->val ? 0 : -1;
}

static void idmap_free(nrp_idmap *m) {
  free(m->key);
  free(m->val);
  memset(m, 0, sizeof *m);
}

/* Index of key, or −1. */
static int idmap_find(const nrp_idmap *m, const char *key) {
  if (!m->cap) return -1;
  size_t i = hash_str(key) & (m->cap - 1);
  while (m->key[i]) {
    if (strcmp(m->key[i], key) == 0) return m->val[i];
    i = (i + 1) & (m->cap - 1);
  }
  return -1;
}

/* Insert key → val (the map never fills: cap > 2 × entries).  Returns the
 * index already there, or −1 when inserted. */
static int idmap_add(nrp_idmap *m, const char *key, int val) {
  size_t i = hash_str(key) & (m->cap - 1);
  while (m->key[i]) {
    if (strcmp(m->key[i], key) == 0) return m->val[i];
    i = (i + 1) & (m->cap - 1);
  }
  m->key[i] = key;
  m->val[i] = val;
  return -1;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static char *trim(char *s) {
  while (is_blank(*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && is_blank(s[n - 1])) s[--n] = '\0';
  return s;
}

/* Split s in place on sep, trimming each field; the first max fields go
 * to f.  Returns the number of fields (may exceed max). */
static int split(char *s, char sep, char **f, int max) {
  int n = 0;
  for (;;) {
    char *e = strchr(s, sep);
    if (e) *e = '\0';
    if (n < max) f[n] = trim(s);
    n++;
    if (!e) return n;
    s = e + 1;
  }
}

/* A non-negative decimal integer ≤ INT_MAX: 0, or −1 when not a number
 * (a sign included), −2 when too large. */
static int parse_nat(const char *s, int *out) {
  if (!*s) return -1;
  long long v = 0;
  for (const char *c = s; *c; c++) {
    if (*c < '0' || *c > '9') return -1;
    v = 10 * v + (*c - '0');
    if (v > INT_MAX) return -2;
  }
  *out = (int)v;
  return 0;
}

/* Parse field f (column col, named what) into *out; reports and returns
 * −1 when it is not a non-negative integer. */
static int field_nat(nrp_parser *p, long line, int col, const char *what,
                     const char *f, int *out) {
  int rc = parse_nat(f, out);
  if (rc == -1)
    ERR(p, line, col, "%s: expected a non-negative integer, got '%s'", what,
        f);
  else if (rc == -2)
    ERR(p, line, col, "%s: '%s' is too large (at most %d)", what, f,
        INT_MAX);
  return rc ? -1 : 0;
}

static int valid_id(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == '|' || *s == '=' || *s == ',')
      return 0;
  return 1;
}

static int field_id(nrp_parser *p, long line, int col, const char *what,
                    const char *f) {
  if (valid_id(f)) return 0;
  if (!*f)
    ERR(p, line, col, "%s: expected an id, got an empty field", what);
  else
    ERR(p, line, col,
        "%s: '%s' is not a valid id (no '|', '=', tab or control "
        "characters)",
        what, f);
  return -1;
}

/* A day index in [0, horizon); −1 after reporting. */
static int field_day(nrp_parser *p, long line, int col, const char *f,
                     int *out) {
  if (field_nat(p, line, col, "day", f, out)) return -1;
  if (p->h_ok && *out >= p->inst->horizon) {
    ERR(p, line, col, "day %d is outside the horizon (days 0..%d)", *out,
        p->inst->horizon - 1);
    return -1;
  }
  return 0;
}

/* Shift index of f, −1 after reporting (silently when the shifts
 * section is absent). */
static int field_shift(nrp_parser *p, long line, int col, const char *f) {
  if (!valid_id(f)) {
    field_id(p, line, col, "ShiftID", f);
    return -1;
  }
  int t = idmap_find(&p->shifts, f);
  if (t < 0 && p->sec[SEC_SHIFTS].header)
    ERR(p, line, col, "unknown shift '%s' (not in SECTION_SHIFTS)", f);
  return t;
}

static int field_staff(nrp_parser *p, long line, int col, const char *f) {
  if (!valid_id(f)) {
    field_id(p, line, col, "EmployeeID", f);
    return -1;
  }
  int s = idmap_find(&p->staff, f);
  if (s < 0 && p->sec[SEC_STAFF].header)
    ERR(p, line, col, "unknown staff '%s' (not in SECTION_STAFF)", f);
  return s;
}

static int nfields_ok(nrp_parser *p, const nrp_line *l, int n, int want,
                      const char *sec, const char *cols) {
  if (n == want) return 1;
  ERR(p, l->no, 0, "%s: expected %d fields (%s), got %d", sec, want, cols,
      n);
  return 0;
}

static char *xstrdup(nrp_parser *p, const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (!c) {
    p->nomem = 1;
    return NULL;
  }
  memcpy(c, s, n);
  return c;
}

/* --- Pass 1: lines into sections ---------------------------------------- */

static int sec_push(nrp_parser *p, nrp_section *s, char *text, long no) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 16;
    nrp_line *v = realloc(s->v, cap * sizeof *v);
    if (!v) {
      p->nomem = 1;
      return -1;
    }
    s->v = v;
    s->cap = cap;
  }
  s->v[s->n].s = text;
  s->v[s->n].no = no;
  s->n++;
  return 0;
}

static void split_sections(nrp_parser *p, char *buf) {
  int cur = -1;       /* current section, −1 none */
  int skipping = 0;   /* inside a duplicated or unknown section */
  int reported = 0;   /* data before the first section reported */
  long no = 0;
  char *s = buf;
  if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
      (unsigned char)s[2] == 0xBF)
    s += 3;
  while (s && !p->nomem) {
    char *nl = strchr(s, '\n');
    if (nl) *nl = '\0';
    no++;
    char *t = trim(s);
    s = nl ? nl + 1 : NULL;
    if (!*t || *t == '#') continue;
    if (strncmp(t, "SECTION_", 8) == 0) {
      int k = 0;
      while (k < N_SEC && strcmp(t, sec_name[k]) != 0) k++;
      if (k == N_SEC) {
        ERR(p, no, 1,
            "unknown section '%s' (expected SECTION_HORIZON, "
            "SECTION_SHIFTS, SECTION_STAFF, SECTION_DAYS_OFF, "
            "SECTION_SHIFT_ON_REQUESTS, SECTION_SHIFT_OFF_REQUESTS or "
            "SECTION_COVER)",
            t);
        skipping = 1;
      } else if (p->sec[k].header) {
        ERR(p, no, 1, "%s appears twice (first at line %ld)", t,
            p->sec[k].header);
        skipping = 1;
      } else {
        p->sec[k].header = no;
        cur = k;
        skipping = 0;
      }
      continue;
    }
    if (skipping) continue;
    if (cur < 0) {
      if (!reported)
        ERR(p, no, 1, "data before the first section: expected a line "
                      "such as SECTION_HORIZON");
      reported = 1;
      continue;
    }
    sec_push(p, &p->sec[cur], t, no);
  }
  for (int k = 0; k < N_SEC; k++)
    if (!p->sec[k].header) ERR(p, 0, 0, "missing section %s", sec_name[k]);
}

/* --- Pass 2: sections --------------------------------------------------- */

static void parse_horizon(nrp_parser *p) {
  nrp_section *s = &p->sec[SEC_HORIZON];
  if (!s->header) return;
  if (s->n == 0) {
    ERR(p, s->header, 0,
        "SECTION_HORIZON: expected a line with the horizon length in days");
    return;
  }
  for (size_t i = 1; i < s->n; i++)
    ERR(p, s->v[i].no, 0,
        "SECTION_HORIZON: expected one line (the horizon length), got "
        "another");
  int h;
  char *f[1];
  int n = split(s->v[0].s, ',', f, 1);
  if (!nfields_ok(p, &s->v[0], n, 1, "SECTION_HORIZON", "length in days"))
    return;
  if (field_nat(p, s->v[0].no, 1, "horizon", f[0], &h)) return;
  if (h < 1 || h > CPT_NRP_MAX_HORIZON) {
    ERR(p, s->v[0].no, 1, "horizon: expected 1..%d days, got %d",
        CPT_NRP_MAX_HORIZON, h);
    return;
  }
  p->inst->horizon = h;
  p->h_ok = 1;
}

static void parse_shifts(nrp_parser *p) {
  nrp_section *s = &p->sec[SEC_SHIFTS];
  cpt_nrp_instance *in = p->inst;
  char **forbid = calloc(s->n + 1, sizeof *forbid);
  long *fline = calloc(s->n + 1, sizeof *fline);
  in->shifts = calloc(s->n + 1, sizeof *in->shifts);
  p->shift_line = calloc(s->n + 1, sizeof *p->shift_line);
  if (!forbid || !fline || !in->shifts || !p->shift_line ||
      idmap_init(&p->shifts, s->n)) {
    p->nomem = 1;
    goto done;
  }
  if (s->header && s->n == 0)
    ERR(p, s->header, 0, "SECTION_SHIFTS: expected at least one shift");
  for (size_t i = 0; i < s->n && !p->nomem; i++) {
    nrp_line *l = &s->v[i];
    char *f[3] = {NULL, NULL, NULL};
    int n = split(l->s, ',', f, 3);
    if (n == 2) f[2] = ""; /* "E,480" without the trailing comma */
    else if (!nfields_ok(p, l, n, 3, "SECTION_SHIFTS",
                         "ShiftID, Length in mins, Shifts which cannot "
                         "follow this shift"))
      continue;
    int len;
    if (field_id(p, l->no, 1, "ShiftID", f[0])) continue;
    int bad = field_nat(p, l->no, 2, "Length in mins", f[1], &len);
    int k = in->n_shifts;
    int prev = idmap_add(&p->shifts, f[0], k);
    if (prev >= 0) {
      ERR(p, l->no, 1, "duplicate shift id '%s' (first at line %ld)", f[0],
          p->shift_line[prev]);
      continue;
    }
    if (!(in->shifts[k].id = xstrdup(p, f[0]))) break;
    in->shifts[k].minutes = bad ? 0 : len;
    p->shift_line[k] = l->no;
    forbid[k] = f[2];
    fline[k] = l->no;
    in->n_shifts++;
  }
  if (p->nomem) goto done;
  int ns = in->n_shifts;
  in->forbid = calloc((size_t)ns * ns + 1, 1);
  if (!in->forbid) {
    p->nomem = 1;
    goto done;
  }
  for (int a = 0; a < ns; a++) {
    char *list = forbid[a];
    while (list && *list) {
      char *bar = strchr(list, '|');
      if (bar) *bar = '\0';
      char *id = trim(list);
      list = bar ? bar + 1 : NULL;
      if (!*id) continue;
      int b = idmap_find(&p->shifts, id);
      if (b < 0)
        ERR(p, fline[a], 3,
            "unknown shift '%s' among the shifts which cannot follow '%s'",
            id, in->shifts[a].id);
      else
        in->forbid[(size_t)a * ns + b] = 1;
    }
  }
done:
  free(forbid);
  free(fline);
}

/* MaxShifts "E=14|L=0" into max[]; shifts not named keep the horizon. */
static void parse_max_shifts(nrp_parser *p, long line, char *f, int *max) {
  int ns = p->inst->n_shifts;
  unsigned char *seen = calloc((size_t)ns + 1, 1);
  if (!seen) {
    p->nomem = 1;
    return;
  }
  while (f && *f) {
    char *bar = strchr(f, '|');
    if (bar) *bar = '\0';
    char *item = trim(f);
    f = bar ? bar + 1 : NULL;
    if (!*item) continue;
    char *eq = strchr(item, '=');
    if (!eq) {
      ERR(p, line, 2, "MaxShifts: expected ShiftID=max, got '%s'", item);
      continue;
    }
    *eq = '\0';
    char *id = trim(item), *num = trim(eq + 1);
    int t = field_shift(p, line, 2, id), v;
    if (field_nat(p, line, 2, "MaxShifts", num, &v) || t < 0) continue;
    if (seen[t]) {
      ERR(p, line, 2, "MaxShifts: shift '%s' given twice", id);
      continue;
    }
    seen[t] = 1;
    max[t] = v;
  }
  free(seen);
}

static void parse_staff(nrp_parser *p) {
  static const char *const what[8] = {
      "ID",        "MaxShifts",           "MaxTotalMinutes",
      "MinTotalMinutes",                  "MaxConsecutiveShifts",
      "MinConsecutiveShifts",             "MinConsecutiveDaysOff",
      "MaxWeekends"};
  nrp_section *s = &p->sec[SEC_STAFF];
  cpt_nrp_instance *in = p->inst;
  int ns = in->n_shifts;
  in->staff = calloc(s->n + 1, sizeof *in->staff);
  p->staff_line = calloc(s->n + 1, sizeof *p->staff_line);
  if (!in->staff || !p->staff_line || idmap_init(&p->staff, s->n)) {
    p->nomem = 1;
    return;
  }
  if (s->header && s->n == 0)
    ERR(p, s->header, 0, "SECTION_STAFF: expected at least one employee");
  for (size_t i = 0; i < s->n && !p->nomem; i++) {
    nrp_line *l = &s->v[i];
    char *f[8];
    int n = split(l->s, ',', f, 8);
    if (!nfields_ok(p, l, n, 8, "SECTION_STAFF",
                    "ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, "
                    "MaxConsecutiveShifts, MinConsecutiveShifts, "
                    "MinConsecutiveDaysOff, MaxWeekends"))
      continue;
    if (field_id(p, l->no, 1, "ID", f[0])) continue;
    int k = in->n_staff;
    int prev = idmap_add(&p->staff, f[0], k);
    if (prev >= 0) {
      ERR(p, l->no, 1, "duplicate staff id '%s' (first at line %ld)", f[0],
          p->staff_line[prev]);
      continue;
    }
    cpt_nrp_staff *st = &in->staff[k];
    st->id = xstrdup(p, f[0]);
    st->max_shifts = malloc(((size_t)ns + 1) * sizeof *st->max_shifts);
    if (!st->id || !st->max_shifts) {
      p->nomem = 1;
      in->n_staff++; /* so that cpt_nrp_free releases them */
      break;
    }
    for (int t = 0; t < ns; t++) st->max_shifts[t] = in->horizon;
    parse_max_shifts(p, l->no, f[1], st->max_shifts);
    int *dst[6] = {&st->max_total_minutes,      &st->min_total_minutes,
                   &st->max_consecutive_shifts, &st->min_consecutive_shifts,
                   &st->min_consecutive_days_off, &st->max_weekends};
    for (int c = 0; c < 6; c++)
      field_nat(p, l->no, c + 3, what[c + 2], f[c + 2], dst[c]);
    p->staff_line[k] = l->no;
    in->n_staff++;
  }
}

static void parse_days_off(nrp_parser *p) {
  nrp_section *s = &p->sec[SEC_DAYS_OFF];
  cpt_nrp_instance *in = p->inst;
  if (p->h_ok) {
    in->day_off = calloc((size_t)in->n_staff * in->horizon + 1, 1);
    if (!in->day_off) {
      p->nomem = 1;
      return;
    }
  }
  for (size_t i = 0; i < s->n; i++) {
    nrp_line *l = &s->v[i];
    int n = 1;
    for (const char *c = l->s; *c; c++) n += *c == ',';
    char **f = malloc((size_t)n * sizeof *f);
    if (!f) {
      p->nomem = 1;
      return;
    }
    split(l->s, ',', f, n);
    int last = n;
    while (last > 1 && !*f[last - 1]) last--; /* trailing commas */
    if (last < 2) {
      ERR(p, l->no, 0,
          "SECTION_DAYS_OFF: expected EmployeeID then at least one day "
          "index");
      free(f);
      continue;
    }
    int st = field_staff(p, l->no, 1, f[0]);
    for (int c = 1; c < last; c++) {
      int d;
      if (field_day(p, l->no, c + 1, f[c], &d)) continue;
      if (st >= 0 && in->day_off) in->day_off[(size_t)st * in->horizon + d] = 1;
    }
    free(f);
  }
}

static void parse_requests(nrp_parser *p, int which) {
  nrp_section *s = &p->sec[which];
  cpt_nrp_instance *in = p->inst;
  cpt_nrp_request *v = calloc(s->n + 1, sizeof *v);
  if (!v) {
    p->nomem = 1;
    return;
  }
  size_t k = 0;
  for (size_t i = 0; i < s->n; i++) {
    nrp_line *l = &s->v[i];
    char *f[4];
    int n = split(l->s, ',', f, 4);
    if (!nfields_ok(p, l, n, 4, sec_name[which],
                    "EmployeeID, Day, ShiftID, Weight"))
      continue;
    cpt_nrp_request r;
    r.staff = field_staff(p, l->no, 1, f[0]);
    int bad = field_day(p, l->no, 2, f[1], &r.day);
    r.shift = field_shift(p, l->no, 3, f[2]);
    bad |= field_nat(p, l->no, 4, "Weight", f[3], &r.weight);
    if (!bad && r.staff >= 0 && r.shift >= 0) v[k++] = r;
  }
  if (which == SEC_ON) {
    in->on = v;
    in->n_on = k;
  } else {
    in->off = v;
    in->n_off = k;
  }
}

static void parse_cover(nrp_parser *p) {
  nrp_section *s = &p->sec[SEC_COVER];
  cpt_nrp_instance *in = p->inst;
  long *first = NULL;
  in->cover = calloc(s->n + 1, sizeof *in->cover);
  if (p->h_ok)
    first = calloc((size_t)in->horizon * in->n_shifts + 1, sizeof *first);
  if (!in->cover || (p->h_ok && !first)) {
    p->nomem = 1;
    free(first);
    return;
  }
  for (size_t i = 0; i < s->n; i++) {
    nrp_line *l = &s->v[i];
    char *f[5];
    int n = split(l->s, ',', f, 5);
    if (!nfields_ok(p, l, n, 5, "SECTION_COVER",
                    "Day, ShiftID, Requirement, Weight for under, Weight "
                    "for over"))
      continue;
    cpt_nrp_cover c;
    int bad = field_day(p, l->no, 1, f[0], &c.day);
    c.shift = field_shift(p, l->no, 2, f[1]);
    bad |= field_nat(p, l->no, 3, "Requirement", f[2], &c.requirement);
    bad |= field_nat(p, l->no, 4, "Weight for under", f[3], &c.weight_under);
    bad |= field_nat(p, l->no, 5, "Weight for over", f[4], &c.weight_over);
    if (bad || c.shift < 0 || !first) continue;
    long *fl = &first[(size_t)c.day * in->n_shifts + c.shift];
    if (*fl) {
      ERR(p, l->no, 1, "duplicate cover for day %d shift '%s' (first at "
                       "line %ld)",
          c.day, f[1], *fl);
      continue;
    }
    *fl = l->no;
    in->cover[in->n_cover++] = c;
  }
  free(first);
}

/* --- Public ------------------------------------------------------------- */

cpt_status cpt_nrp_parse(const char *file, const char *text, size_t len,
                         cpt_nrp_instance **out, cpt_diags *diags) {
  CPT_REQUIRE(out != NULL, "cpt_nrp_parse: out is NULL");
  CPT_REQUIRE(text != NULL || len == 0, "cpt_nrp_parse: text is NULL");
  *out = NULL;
  cpt_diags local;
  cpt_diags_init(&local);
  nrp_parser p;
  memset(&p, 0, sizeof p);
  p.file = file;
  p.d = diags ? diags : &local;
  cpt_status st = CPT_OK;
  char *buf = malloc(len + 1);
  p.inst = calloc(1, sizeof *p.inst);
  if (!buf || !p.inst) {
    p.nomem = 1;
    goto done;
  }
  if (len) memcpy(buf, text, len);
  buf[len] = '\0';
  /* a NUL inside the text ends it: the rest is reported as one error */
  if (strlen(buf) != len)
    ERR(&p, 0, 0, "the file contains a NUL byte (not a text file)");
  split_sections(&p, buf);
  if (!p.nomem) parse_horizon(&p);
  if (!p.nomem) parse_shifts(&p);
  if (!p.nomem) parse_staff(&p);
  if (!p.nomem) parse_days_off(&p);
  if (!p.nomem) parse_requests(&p, SEC_ON);
  if (!p.nomem) parse_requests(&p, SEC_OFF);
  if (!p.nomem) parse_cover(&p);
done:
  if (p.nomem) {
    cpt_diag_error(p.d, file, 0, 0, "out of memory");
    st = CPT_ENOMEM;
  } else if (p.errors) {
    st = CPT_EINPUT;
  }
  if (st == CPT_OK) {
    *out = p.inst;
  } else {
    cpt_nrp_free(p.inst);
  }
  for (int k = 0; k < N_SEC; k++) free(p.sec[k].v);
  idmap_free(&p.shifts);
  idmap_free(&p.staff);
  free(p.shift_line);
  free(p.staff_line);
  free(buf);
  cpt_diags_free(&local);
  return st;
}

/* Read a whole file into *buf (owned by the caller, NUL-terminated). */
static cpt_status slurp(const char *path, char **buf, size_t *len,
                        cpt_diags *diags) {
  size_t cap = 0;
  cpt_status st = CPT_OK;
  *buf = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    if (diags) cpt_diag_error(diags, path, 0, 0, "cannot open: %s",
                              strerror(errno));
    return CPT_EIO;
  }
  for (;;) {
    if (*len + 1 >= cap) {
      size_t ncap = cap ? 2 * cap : 65536;
      char *nbuf = realloc(*buf, ncap);
      if (!nbuf) {
        st = CPT_ENOMEM;
        if (diags) cpt_diag_error(diags, path, 0, 0, "out of memory");
        break;
      }
      *buf = nbuf;
      cap = ncap;
    }
    size_t got = fread(*buf + *len, 1, cap - *len - 1, f);
    *len += got;
    if (got == 0) break;
  }
  if (st == CPT_OK && ferror(f)) {
    st = CPT_EIO;
    if (diags) cpt_diag_error(diags, path, 0, 0, "cannot read: %s",
                              strerror(errno));
  }
  fclose(f);
  if (st != CPT_OK) {
    free(*buf);
    *buf = NULL;
  }
  return st;
}

cpt_status cpt_nrp_load(const char *path, cpt_nrp_instance **out,
                        cpt_diags *diags) {
  CPT_REQUIRE(path != NULL && out != NULL, "cpt_nrp_load: NULL argument");
  *out = NULL;
  char *buf;
  size_t len;
  cpt_status st = slurp(path, &buf, &len, diags);
  if (st != CPT_OK) return st;
  st = cpt_nrp_parse(path, buf, len, out, diags);
  free(buf);
  return st;
}

cpt_status cpt_nrp_roster_load(const cpt_nrp_instance *inst,
                               const char *path, cpt_nrp_roster **out,
                               cpt_diags *diags) {
  CPT_REQUIRE(inst != NULL && path != NULL && out != NULL,
              "cpt_nrp_roster_load: NULL argument");
  *out = NULL;
  char *buf;
  size_t len;
  cpt_status st = slurp(path, &buf, &len, diags);
  if (st != CPT_OK) return st;
  st = cpt_nrp_roster_parse(inst, path, buf, len, out, diags);
  free(buf);
  return st;
}

void cpt_nrp_free(cpt_nrp_instance *inst) {
  if (!inst) return;
  for (int t = 0; t < inst->n_shifts; t++) free(inst->shifts[t].id);
  for (int s = 0; s < inst->n_staff; s++) {
    free(inst->staff[s].id);
    free(inst->staff[s].max_shifts);
  }
  free(inst->shifts);
  free(inst->forbid);
  free(inst->staff);
  free(inst->day_off);
  free(inst->on);
  free(inst->off);
  free(inst->cover);
  free(inst);
}

int cpt_nrp_shift_index(const cpt_nrp_instance *inst, const char *id) {
  for (int t = 0; t < inst->n_shifts; t++)
    if (strcmp(inst->shifts[t].id, id) == 0) return t;
  return -1;
}

int cpt_nrp_staff_index(const cpt_nrp_instance *inst, const char *id) {
  for (int s = 0; s < inst->n_staff; s++)
    if (strcmp(inst->staff[s].id, id) == 0) return s;
  return -1;
}
