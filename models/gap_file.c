/*
 * gap_file.c — reader of the OR-Library generalized-assignment files
 * (multi- and single-problem layouts, gap_file.h) into cpt_gap.
 *
 * Two passes over the bytes, no token table:
 *  1. count the tokens T while walking the multi-problem headers (P, then
 *     m_p n_p every 2 + 2m_p·n_p + m_p tokens); decide the layout from T
 *     (exact fit first, else the nearer count);
 *  2. read the chosen layout value by value, recording every bad value
 *     with its line and column, then the structural mismatch (the file
 *     ends too early, or tokens follow the last problem).
 * A problem's arrays are allocated only when all its tokens are present,
 * so a short file that announces huge sizes cannot exhaust memory.
 */
#include "gap_file.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- Lexer ----------------------------------------------------------------- */

typedef struct tok {
  const char *s;
  size_t len;
  long line, col;
} tok;

typedef struct lexer {
  const char *buf;
  size_t len, pos, line_start;
  long line;
  tok last; /* the last token returned (for end-of-file positions) */
} lexer;

static void lex_init(lexer *lx, const char *buf, size_t len) {
  memset(lx, 0, sizeof *lx);
  lx->buf = buf;
  lx->len = len;
  lx->line = 1;
  lx->last.line = 1;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

/* 1 and the next token in *t, or 0 at the end. */
static int lex_next(lexer *lx, tok *t) {
  while (lx->pos < lx->len && is_space(lx->buf[lx->pos])) {
    if (lx->buf[lx->pos] == '\n') {
      lx->line++;
      lx->line_start = lx->pos + 1;
    }
    lx->pos++;
  }
  if (lx->pos >= lx->len) return 0;
  t->s = lx->buf + lx->pos;
  t->line = lx->line;
  t->col = (long)(lx->pos - lx->line_start) + 1;
  while (lx->pos < lx->len && !is_space(lx->buf[lx->pos])) lx->pos++;
  t->len = (size_t)(lx->buf + lx->pos - t->s);
  lx->last = *t;
  return 1;
}

/* The token as printed in a message: at most 32 bytes, non-printable
 * bytes as '?', "…" when cut. */
static const char *shown(const tok *t, char *buf, size_t size) {
  size_t n = t->len < 32 ? t->len : 32;
  if (n + 4 > size) n = size - 4;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)t->s[i];
    buf[i] = (c < 32 || c == 127) ? '?' : (char)c;
  }
  if (n < t->len) {
    memcpy(buf + n, "...", 3);
    n += 3;
  }
  buf[n] = '\0';
  return buf;
}

/* --- Values ---------------------------------------------------------------- */

enum { V_OK, V_BAD, V_NEG, V_BIG };

/* A decimal integer without sign (a leading '+' is accepted). */
static int parse_int(const tok *t, long long max, long long *v) {
  size_t i = 0;
  if (t->len && (t->s[0] == '+' || t->s[0] == '-')) i = 1;
  if (i == t->len) return V_BAD;
  long long x = 0;
  int big = 0;
  for (size_t k = i; k < t->len; k++) {
    char c = t->s[k];
    if (c < '0' || c > '9') return V_BAD;
    if (!big && x > (max - (c - '0')) / 10)
      big = 1;
    else if (!big)
      x = 10 * x + (c - '0');
  }
  if (t->s[0] == '-' && (x != 0 || big)) return V_NEG;
  if (big) return V_BIG;
  *v = x;
  return V_OK;
}

static int parse_cost(const tok *t, double *v) {
  char tmp[64];
  if (t->len == 0 || t->len >= sizeof tmp) return V_BAD;
  for (size_t k = 0; k < t->len; k++)
    if (!strchr("0123456789+-.eE", t->s[k])) return V_BAD;
  memcpy(tmp, t->s, t->len);
  tmp[t->len] = '\0';
  char *end;
  errno = 0;
  double x = strtod(tmp, &end);
  if (end == tmp || *end) return V_BAD;
  if (!isfinite(x) || fabs(x) > CPT_GAP_FILE_MAX_COST) return V_BIG;
  *v = x;
  return V_OK;
}

/* --- Pass 1: the layout ---------------------------------------------------- */

typedef struct header_ok {
  long long m, n;
  int ok;
} header_ok;

/* Whether (m, n) tokens make a usable problem header. */
static header_ok check_header(const tok *tm, const tok *tn) {
  header_ok h = {0, 0, 0};
  if (parse_int(tm, CPT_GAP_FILE_MAX_CELLS, &h.m) != V_OK || h.m < 1)
    return h;
  if (parse_int(tn, CPT_GAP_FILE_MAX_CELLS, &h.n) != V_OK || h.n < 1)
    return h;
  h.ok = h.m * h.n <= CPT_GAP_FILE_MAX_CELLS;
  return h;
}

typedef struct layout {
  long long T;           /* tokens in the file */
  int single_ok;         /* first two tokens make a header */
  long long single_need; /* 2 + 2mn + m */
  int multi_ok;          /* P valid */
  long long P;
  long long multi_done;  /* problems whose header was valid */
  int multi_bad;         /* a problem header (or P) is invalid */
  long long multi_need;  /* tokens up to the end of the walked problems */
  long long multi_good;  /* tokens before the first invalid header */
  int first_line_n;      /* tokens on the first token's line */
  int single_ints;       /* the first two tokens are unsigned integers */
} layout;

static void scan_layout(const char *buf, size_t len, layout *L) {
  memset(L, 0, sizeof *L);
  lexer lx;
  lex_init(&lx, buf, len);
  tok t, first = {0}, prev = {0};
  long long next = 1; /* token index of the next multi header */
  for (long long i = 0; lex_next(&lx, &t); i++) {
    if (i == 0) {
      first = t;
      long long P;
      if (parse_int(&t, CPT_GAP_FILE_MAX_CELLS, &P) == V_OK && P >= 1) {
        L->multi_ok = 1;
        L->P = P;
      } else {
        L->multi_bad = 1;
      }
    }
    if (t.line == first.line) L->first_line_n++;
    if (i == 1) {
      long long v;
      int r0 = parse_int(&first, CPT_GAP_FILE_MAX_CELLS, &v);
      int r1 = parse_int(&t, CPT_GAP_FILE_MAX_CELLS, &v);
      L->single_ints = (r0 == V_OK || r0 == V_BIG) &&
                       (r1 == V_OK || r1 == V_BIG);
      header_ok h = check_header(&first, &t);
      L->single_ok = h.ok;
      if (h.ok) L->single_need = 2 + 2 * h.m * h.n + h.m;
    }
    if (L->multi_ok && !L->multi_bad && L->multi_done < L->P &&
        i == next + 1) {
      header_ok h = check_header(&prev, &t);
      if (!h.ok) {
        L->multi_bad = 1;
        L->multi_good = next;
      } else {
        L->multi_done++;
        next += 2 + 2 * h.m * h.n + h.m;
      }
    }
    prev = t;
    L->T = i + 1;
  }
  if (L->multi_ok && !L->multi_bad)
    L->multi_need = next + 2 * (L->P - L->multi_done);
}

/* 1 = multi, 0 = single.  An exact count decides; for a broken file, the
 * first line hints (OR-Library puts P alone on the first line, m n
 * together), then the nearer count. */
static int choose_multi(const layout *L) {
  if (L->single_ok && L->single_need == L->T) return 0;
  if (L->multi_ok && !L->multi_bad && L->multi_need == L->T) return 1;
  if (L->first_line_n == 1 && L->multi_ok) return 1;
  if (L->first_line_n == 2 && L->single_ints) return 0;
  const long long inf = 0x7fffffffffffffffLL;
  long long ss = L->single_ok ? llabs(L->T - L->single_need) : inf;
  long long sm = inf;
  if (L->multi_ok && !L->multi_bad)
    sm = llabs(L->T - L->multi_need);
  else if (L->multi_ok && L->multi_done >= 1)
    sm = L->T - L->multi_good; /* a bad header after good problems */
  return sm < ss;
}

/* --- Pass 2: the values ---------------------------------------------------- */

typedef struct parser {
  const char *file;
  cpt_diags *d;
  size_t errors;
  int nomem;
  lexer lx;
  int multi;
  long long p, P; /* problem number (from 1), problems announced */
  long long tokens_left; /* tokens not yet read */
} parser;

#define ERR(ps, line, col, ...)                                     \
  do {                                                              \
    (ps)->errors++;                                                 \
    cpt_diag_error((ps)->d, (ps)->file, (line), (col), __VA_ARGS__); \
  } while (0)

/* "problem 3: " in a multi-problem file, "" otherwise. */
static const char *pfx(const parser *ps, char *buf, size_t size) {
  if (!ps->multi) return "";
  snprintf(buf, size, "problem %lld: ", ps->p);
  return buf;
}

static int next(parser *ps, tok *t) {
  int got = lex_next(&ps->lx, t);
  if (got) ps->tokens_left--;
  return got;
}

/* The file ends where `what` was expected, `more` tokens short (0: not
 * said). */
static void err_eof(parser *ps, const char *what, long long more) {
  char pb[48], mb[48] = "";
  const tok *l = &ps->lx.last;
  if (more > 0)
    snprintf(mb, sizeof mb, " (%lld more token%s)", more,
             more == 1 ? "" : "s");
  ERR(ps, l->line, l->len ? l->col + (long)l->len : 0,
      "%sthe file ends here: expected %s%s", pfx(ps, pb, sizeof pb), what,
      mb);
}

static void err_value(parser *ps, const tok *t, const char *what, int why) {
  char pb[48], sb[48];
  const char *limit = why == V_BIG ? " (too large)" : "";
  ERR(ps, t->line, t->col, "%sexpected %s, got \"%s\"%s",
      pfx(ps, pb, sizeof pb), what, shown(t, sb, sizeof sb), limit);
}

/* Header m n of the current problem; 0 when bad or missing (reported). */
static int read_header(parser *ps, int32_t *m, int32_t *n) {
  tok tm, tn;
  if (!next(ps, &tm)) {
    char what[128];
    if (ps->multi)
      snprintf(what, sizeof what, "the number of agents m and of jobs n "
               "(the first token announces %lld problems)", ps->P);
    else
      snprintf(what, sizeof what, "the number of agents m and of jobs n");
    err_eof(ps, what, 0);
    return 0;
  }
  if (!next(ps, &tn)) {
    err_eof(ps, "the number of jobs n", 1);
    return 0;
  }
  long long vm = 0, vn = 0;
  int rm = parse_int(&tm, CPT_GAP_FILE_MAX_CELLS, &vm);
  int rn = parse_int(&tn, CPT_GAP_FILE_MAX_CELLS, &vn);
  int ok = 1;
  if (rm != V_OK || vm < 1) {
    err_value(ps, &tm, "a positive integer number of agents m", rm);
    ok = 0;
  }
  if (rn != V_OK || vn < 1) {
    err_value(ps, &tn, "a positive integer number of jobs n", rn);
    ok = 0;
  }
  if (ok && vm * vn > CPT_GAP_FILE_MAX_CELLS) {
    char pb[48];
    ERR(ps, tm.line, tm.col,
        "%sm·n = %lld × %lld agent-job pairs is more than this reader "
        "accepts (%lld)",
        pfx(ps, pb, sizeof pb), vm, vn, (long long)CPT_GAP_FILE_MAX_CELLS);
    ok = 0;
  }
  *m = (int32_t)vm;
  *n = (int32_t)vn;
  return ok;
}

/* What was expected at value (part, i, j): part 0 costs, 1 weights, 2
 * capacities; agents and jobs from 0. */
static const char *expected(int part, int32_t i, int32_t j, char *buf,
                            size_t size) {
  if (part == 2)
    snprintf(buf, size, "a non-negative integer capacity for agent %d",
             (int)i + 1);
  else
    snprintf(buf, size, "a %s for agent %d, job %d",
             part ? "non-negative integer weight" : "numeric cost",
             (int)i + 1, (int)j + 1);
  return buf;
}

/* The values of one problem after its header: into g when g is not NULL
 * (else only checked).  0 when the file ended (reported). */
static int read_values(parser *ps, int32_t m, int32_t n, cpt_gap *g) {
  char what[96];
  tok t;
  long long left = 2LL * m * n + m; /* tokens of this problem still due */
  for (int part = 0; part < 3; part++)
    for (int32_t i = 0; i < m; i++)
      for (int32_t j = 0; j < (part == 2 ? 1 : n); j++, left--) {
        size_t k = (size_t)j * (size_t)m + (size_t)i;
        if (!next(ps, &t)) {
          err_eof(ps, expected(part, i, j, what, sizeof what), left);
          return 0;
        }
        int r;
        if (part == 0) {
          double c = 0;
          r = parse_cost(&t, &c);
          if (g) g->cost[k] = c;
        } else {
          long long v = 0;
          r = parse_int(&t, CPT_GAP_FILE_MAX_INT, &v);
          if (g && part == 1) g->weight[k] = v;
          if (g && part == 2) g->cap[i] = v;
        }
        if (r != V_OK)
          err_value(ps, &t, expected(part, i, j, what, sizeof what), r);
      }
  return 1;
}

/* Read problem ps->p: header and values; appended to f when valid.  0
 * when reading cannot go on (a bad header, the end of the file, out of
 * memory), all reported. */
static int read_problem(parser *ps, cpt_gap_file *f) {
  int32_t m, n;
  size_t before = ps->errors;
  if (!read_header(ps, &m, &n)) return 0;
  long line = ps->lx.last.line;
  long long need = 2LL * m * n + m;
  cpt_gap *g = NULL;
  if (ps->tokens_left >= need) {
    g = cpt_gap_new(m, n, (int64_t)m * n, 0, 0, 0, 0);
    if (!g) {
      ps->nomem = 1;
      return 0;
    }
    for (int32_t j = 0; j <= n; j++) g->start[j] = (int64_t)j * m;
    for (int32_t j = 0; j < n; j++)
      for (int32_t i = 0; i < m; i++) g->agent[(size_t)j * m + i] = i;
  }
  int ok = read_values(ps, m, n, g);
  if (!ok || ps->errors != before) {
    cpt_gap_free(g);
    return ok;
  }
  f->v[f->n] = g;
  f->line[f->n] = line;
  f->n++;
  return 1;
}

cpt_status cpt_gap_file_parse(const char *name, const char *buf, size_t len,
                              cpt_gap_file **out, cpt_diags *diags) {
  CPT_REQUIRE(name && buf && out && diags, "cpt_gap_file_parse: NULL");
  *out = NULL;
  layout L;
  scan_layout(buf, len, &L);
  if (L.T == 0) {
    cpt_diag_error(diags, name, 0, 0,
                   "empty file: expected a GAP instance (m n, costs, "
                   "weights, capacities) or a number of problems");
    return CPT_EINPUT;
  }
  parser ps;
  memset(&ps, 0, sizeof ps);
  ps.file = name;
  ps.d = diags;
  ps.multi = choose_multi(&L);
  ps.tokens_left = L.T;
  lex_init(&ps.lx, buf, len);
  long long P = 1;
  tok t = {0};
  if (ps.multi) {
    next(&ps, &t);
    P = ps.P = L.P;
  }
  /* a file can hold at most T/5 problems: no larger allocation */
  size_t cap = (size_t)(P < L.T / 5 + 1 ? P : L.T / 5 + 1);
  cpt_gap_file *f = calloc(1, sizeof *f);
  if (f) {
    f->multi = ps.multi;
    f->v = calloc(cap, sizeof *f->v);
    f->line = calloc(cap, sizeof *f->line);
  }
  if (!f || !f->v || !f->line) {
    ps.nomem = 1;
    goto done;
  }
  /* every problem read whole has ≥ 5 tokens: f->n < cap */
  int stopped = 0;
  for (ps.p = 1; ps.p <= P && !stopped; ps.p++)
    stopped = !read_problem(&ps, f);
  if (!stopped && next(&ps, &t)) {
    char sb[48], after[96], more[48] = "";
    if (ps.multi)
      snprintf(after, sizeof after, "problem %lld (the first token "
               "announces %lld problem%s)", P, P, P == 1 ? "" : "s");
    else
      snprintf(after, sizeof after, "the capacities");
    if (ps.tokens_left > 0)
      snprintf(more, sizeof more, " and %lld more token%s", ps.tokens_left,
               ps.tokens_left == 1 ? "" : "s");
    ERR(&ps, t.line, t.col, "expected the end of the file after %s, got "
        "\"%s\"%s", after, shown(&t, sb, sizeof sb), more);
  }
done:
  if (ps.nomem) {
    cpt_diag_error(diags, name, 0, 0, "out of memory");
    cpt_gap_file_free(f);
    return CPT_ENOMEM;
  }
  if (ps.errors) {
    cpt_gap_file_free(f);
    return CPT_EINPUT;
  }
  *out = f;
  return CPT_OK;
}

/* --- Files, helpers -------------------------------------------------------- */

cpt_status cpt_gap_file_load(const char *path, cpt_gap_file **out,
                             cpt_diags *diags) {
  CPT_REQUIRE(path && out && diags, "cpt_gap_file_load: NULL");
  *out = NULL;
  FILE *in = fopen(path, "rb");
  if (!in) {
    cpt_diag_error(diags, path, 0, 0, "cannot open: %s", strerror(errno));
    return CPT_EIO;
  }
  char *buf = NULL;
  size_t len = 0, cap = 0;
  cpt_status st = CPT_OK;
  for (;;) {
    if (len + 1 >= cap) {
      size_t ncap = cap ? 2 * cap : 65536;
      char *nb = realloc(buf, ncap);
      if (!nb) {
        st = CPT_ENOMEM;
        cpt_diag_error(diags, path, 0, 0, "out of memory");
        break;
      }
      buf = nb;
      cap = ncap;
    }
    size_t got = fread(buf + len, 1, cap - len - 1, in);
    len += got;
    if (got == 0) break;
  }
  if (st == CPT_OK && ferror(in)) {
    st = CPT_EIO;
    cpt_diag_error(diags, path, 0, 0, "cannot read: %s", strerror(errno));
  }
  fclose(in);
  if (st == CPT_OK) st = cpt_gap_file_parse(path, buf, len, out, diags);
  free(buf);
  return st;
}

void cpt_gap_file_free(cpt_gap_file *f) {
  if (!f) return;
  for (size_t i = 0; i < f->n; i++) cpt_gap_free(f->v[i]);
  free(f->v);
  free(f->line);
  free(f);
}

void cpt_gap_file_negate(cpt_gap *g) {
  for (int64_t k = 0; k < g->start[g->n]; k++) g->cost[k] = -g->cost[k];
}

int cpt_gap_file_infeasible(const cpt_gap *g, char *why, size_t whysize) {
  int64_t need = 0, total = 0;
  for (int32_t i = 0; i < g->m; i++) total += g->cap[i];
  for (int32_t j = 0; j < g->n; j++) {
    int64_t best = -1, wmin = -1;
    for (int64_t k = g->start[j]; k < g->start[j + 1]; k++) {
      int64_t w = g->weight[k];
      if (wmin < 0 || w < wmin) wmin = w;
      if (w <= g->cap[g->agent[k]] && (best < 0 || w < best)) best = w;
    }
    if (best < 0) {
      if (wmin < 0)
        snprintf(why, whysize, "job %d has no agent", (int)j + 1);
      else
        snprintf(why, whysize,
                 "job %d fits no agent: its weight exceeds the capacity "
                 "of every agent (smallest weight %lld)",
                 (int)j + 1, (long long)wmin);
      return 1;
    }
    need += best;
  }
  if (need > total) {
    snprintf(why, whysize,
             "the jobs' smallest fitting weights add up to %lld, more than "
             "the total capacity %lld",
             (long long)need, (long long)total);
    return 1;
  }
  return 0;
}
