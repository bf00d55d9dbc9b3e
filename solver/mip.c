/*
 * mip.c — the one adapter from the sparse MIP of mip.h to GLPK.
 *
 * The model itself (0-based growable arrays, mip_model.c) is described in
 * mip_internal.h.  A solve validates the parameters, settles the trivial cases itself (no
 * columns; an integer column whose bounds, rounded inward, are empty), then
 * builds a fresh glp_prob (1-based arrays live only here), so a const model
 * can be solved by several threads at once.  With presolve, glp_intopt runs
 * GLPK's MIP presolver and solves the root LP itself; without it (or when a
 * start solution must be offered, since the branch-and-bound callback of a
 * presolved run sees GLPK's transformed columns, which the API cannot map
 * back) the root LP is solved by glp_simplex first.  glp_simplex polls
 * nothing but its time limit, so with a stop flag it runs in slices of 500
 * iterations resumed from the last basis, the flag looked at in between;
 * and a presolved run with a stop flag does GLPK's steps itself (glp_npp_*
 * preprocessing, sliced root LP, search without presolve, postprocessing),
 * since glp_intopt's own root LP cannot be stopped.  The callback polls the
 * stop flag and our own deadline (GLPK's tm_lim restarts for the search
 * after the root LP), records the best active node's bound and the tree
 * size, and offers the start once at GLP_IHEUR.  glp_ios_heur_sol checks
 * only integrality, so the start is checked here against bounds and rows
 * first; a feasible start is also the fallback answer when GLPK stops with
 * nothing better.  GLPK's terminal output goes through glp_term_hook (to
 * params->log when verbose, else nowhere), and glp_error_hook turns an
 * internal GLPK error into CPT_EINTERNAL instead of an abort.
 */
#include "mip.h"

#include <float.h>
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mip_internal.h"

static int col_bounds(const cpt_mip *m, int j, double *lb, double *ub) {
  *lb = m->clb[j];
  *ub = m->cub[j];
  if (m->cint[j]) {
    if (isfinite(*lb)) *lb = ceil(*lb - 1e-9) + 0.0; /* no −0 */
    if (isfinite(*ub)) *ub = floor(*ub + 1e-9);
  }
  return *lb <= *ub;
}

static int glp_type(double lb, double ub) {
  if (isinf(lb) && isinf(ub)) return GLP_FR;
  if (isinf(ub)) return GLP_LO;
  if (isinf(lb)) return GLP_UP;
  return lb == ub ? GLP_FX : GLP_DB;
}

/* Everything one solve or write owns, reachable after a longjmp out of a
 * GLPK error, so that nothing local to the setjmp caller is clobbered. */
typedef struct run_ctx {
  jmp_buf jb;
  const cpt_mip *m;
  const cpt_mip_params *p;
  glp_prob *P;
  glp_prob *Q;       /* P preprocessed, for an interruptible presolved run */
  glp_prep *prep;    /* GLPK's preprocessor workspace from P to Q */
  int *ia, *ja;
  double *ar;
  double *start1;    /* checked start, 1-based, or NULL */
  double start_obj;
  int start_offered;
  struct timespec t0;
  double deadline_s; /* 0 = none */
  int stop_reason;   /* 0, STOP_FLAG or STOP_TIME */
  double bound;      /* best bound seen in the callback, ±INFINITY if none */
  long nodes;
  double shown_obj;  /* last incumbent shown when verbose */
  char line[2][256]; /* GLPK's last two lines of output */
  int cur;           /* line being filled */
} run_ctx;

enum { STOP_FLAG = 1, STOP_TIME = 2 };

static double seconds_since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) +
         1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static double elapsed(const run_ctx *c) { return seconds_since(&c->t0); }

static int time_up(const run_ctx *c) {
  return c->deadline_s > 0 && elapsed(c) >= c->deadline_s;
}

static int term_hook(void *info, const char *s) {
  run_ctx *c = info;
  if (c->p && c->p->verbose) fputs(s, c->p->log ? c->p->log : stderr);
  /* Keep the last two non-empty lines for error messages. */
  for (; *s; s++) {
    char *ln = c->line[c->cur];
    size_t k = strlen(ln);
    if (*s == '\n') {
      if (k) {
        c->cur ^= 1;
        c->line[c->cur][0] = '\0';
      }
    } else if (k + 1 < sizeof c->line[0]) {
      ln[k] = *s;
      ln[k + 1] = '\0';
    }
  }
  return 1; /* GLPK prints nothing itself */
}

static void error_hook(void *info) {
  run_ctx *c = info;
  longjmp(c->jb, 1);
}

/* Message for a GLPK internal error: its last lines of output. */
static void glpk_error_message(const run_ctx *c, char *buf, size_t size) {
  const char *a = c->line[c->cur ^ 1], *b = c->line[c->cur];
  if (buf && size)
    snprintf(buf, size, "GLPK internal error: %s%s%s", a, *a && *b ? " " : "",
             b);
}

static void set_err(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *buf, size_t size, const char *fmt, ...) {
  if (!buf || !size) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, size, fmt, ap);
  va_end(ap);
}

/* Fill name (≥ 256 bytes) with s made valid for the CPLEX LP format:
 * characters outside [A-Za-z0-9_.] become '_', a leading digit or '.' and
 * the bound keywords get a prefix, and the result fits in 255 chars. */
static void lp_name(char *name, const char *s, char prefix, int idx) {
  char tmp[256];
  if (!s || !*s) {
    snprintf(name, 256, "%c%d", prefix, idx);
    return;
  }
  size_t k = 0;
  for (; s[k] && k < 255; k++) {
    unsigned char ch = (unsigned char)s[k];
    int ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
             (ch >= '0' && ch <= '9') || ch == '_' || ch == '.';
    tmp[k] = ok ? (char)ch : '_';
  }
  tmp[k] = '\0';
  int bad_start = (tmp[0] >= '0' && tmp[0] <= '9') || tmp[0] == '.';
  static const char *const kw[] = {"inf", "infinity", "free"};
  for (size_t w = 0; w < sizeof kw / sizeof kw[0]; w++) {
    const char *a = tmp, *b = kw[w];
    while (*a && *b && (*a | 0x20) == *b) a++, b++;
    if (!*a && !*b) bad_start = 1;
  }
  if (bad_start)
    snprintf(name, 256, "%c_%.252s", prefix, tmp);
  else
    memcpy(name, tmp, k + 1);
}

/* Give column (is_col) or row k of P the name base, made unique with a
 * "_<n>" suffix; the name index of P must exist. */
static void set_unique_name(glp_prob *P, int is_col, int k, const char *base) {
  char cand[256 + 16];
  snprintf(cand, sizeof cand, "%s", base);
  for (int t = 1;; t++) {
    int hit = is_col ? glp_find_col(P, cand) : glp_find_row(P, cand);
    if (!hit) break;
    snprintf(cand, sizeof cand, "%.240s_%d", base, t);
  }
  if (is_col)
    glp_set_col_name(P, k, cand);
  else
    glp_set_row_name(P, k, cand);
}

/* Build c->P from c->m for a solve (format 0) or a file ('l' or 'm').
 * Files get names, leave free rows out, and carry the objective constant as
 * a column "const" fixed at 1 (the LP format has no constant term, and MPS
 * readers disagree on its sign); a model without written rows gets the row
 * "one: const = 1", as GLPK writes no LP file without rows.  MPS has no
 * objective sense (GLPK reads every file as a minimization), so a maximum
 * is written as the minimum of the negated objective.  Returns 0, or −1
 * when out of memory. */
static int build(run_ctx *c, char format) {
  const cpt_mip *m = c->m;
  int for_write = format != 0;
  double sense = format == 'm' && m->maximize ? -1.0 : 1.0;
  glp_prob *P = c->P = glp_create_prob();
  glp_set_obj_dir(P, m->maximize && sense > 0 ? GLP_MAX : GLP_MIN);
  int n = m->n, rows = 0;
  if (n > 0) glp_add_cols(P, n);
  for (int j = 0; j < n; j++) {
    double lb, ub;
    if (!col_bounds(m, j, &lb, &ub)) lb = m->clb[j], ub = m->cub[j];
    glp_set_col_bnds(P, j + 1, glp_type(lb, ub), isinf(lb) ? 0.0 : lb,
                     isinf(ub) ? 0.0 : ub);
    glp_set_obj_coef(P, j + 1, sense * m->cobj[j]);
    if (m->cint[j]) glp_set_col_kind(P, j + 1, GLP_IV);
  }
  size_t ne = 0;
  for (int i = 0; i < m->m; i++) {
    if (for_write && isinf(m->rlb[i]) && isinf(m->rub[i])) continue;
    rows++;
    ne += m->rbeg[i + 1] - m->rbeg[i];
  }
  int cconst = 0, rone = 0;
  if (for_write && (m->c0 != 0.0 || rows == 0)) {
    cconst = glp_add_cols(P, 1);
    glp_set_col_bnds(P, cconst, GLP_FX, 1.0, 1.0);
    glp_set_obj_coef(P, cconst, sense * m->c0);
  } else {
    glp_set_obj_coef(P, 0, m->c0);
  }
  if (rows + (cconst && rows == 0) > 0)
    glp_add_rows(P, rows + (cconst && rows == 0));
  c->ia = malloc((ne + 2) * sizeof *c->ia);
  c->ja = malloc((ne + 2) * sizeof *c->ja);
  c->ar = malloc((ne + 2) * sizeof *c->ar);
  if (!c->ia || !c->ja || !c->ar) return -1;
  int r = 0, k = 0;
  for (int i = 0; i < m->m; i++) {
    double lb = m->rlb[i], ub = m->rub[i];
    if (for_write && isinf(lb) && isinf(ub)) continue;
    r++;
    glp_set_row_bnds(P, r, glp_type(lb, ub), isinf(lb) ? 0.0 : lb,
                     isinf(ub) ? 0.0 : ub);
    for (size_t z = m->rbeg[i]; z < m->rbeg[i + 1]; z++) {
      k++;
      c->ia[k] = r;
      c->ja[k] = m->zcol[z] + 1;
      c->ar[k] = m->zval[z];
    }
  }
  if (cconst && rows == 0) {
    rone = ++r;
    glp_set_row_bnds(P, rone, GLP_FX, 1.0, 1.0);
    k++;
    c->ia[k] = rone, c->ja[k] = cconst, c->ar[k] = 1.0;
  }
  glp_load_matrix(P, k, c->ia, c->ja, c->ar);
  if (!for_write) return 0;
  char name[256];
  glp_set_obj_name(P, "obj");
  glp_create_index(P);
  for (int j = 0; j < n; j++) {
    lp_name(name, m->cname[j], 'x', j);
    set_unique_name(P, 1, j + 1, name);
  }
  if (cconst) set_unique_name(P, 1, cconst, "const");
  r = 0;
  for (int i = 0; i < m->m; i++) {
    if (isinf(m->rlb[i]) && isinf(m->rub[i])) continue;
    lp_name(name, m->rname[i], 'r', i);
    set_unique_name(P, 0, ++r, name);
  }
  if (rone) set_unique_name(P, 0, rone, "one");
  return 0;
}

static void release(run_ctx *c) {
  if (c->P) glp_delete_prob(c->P);
  if (c->Q) glp_delete_prob(c->Q);
  if (c->prep) glp_npp_free_wksp(c->prep);
  c->P = c->Q = NULL;
  c->prep = NULL;
  free(c->ia);
  free(c->ja);
  free(c->ar);
  free(c->start1);
  c->ia = c->ja = NULL;
  c->ar = c->start1 = NULL;
}

/* Install the hooks for one guarded run, or remove them (c == NULL). */
static void hooks(run_ctx *c) {
  glp_term_hook(c ? term_hook : NULL, c);
  glp_error_hook(c ? error_hook : NULL, c);
}

/* ------------------------------------------------------------- solving */

/* The start, checked against bounds, integrality and rows (tolerance 1e-6
 * relative to the bound); NULL if it fails or memory runs out.  Integer
 * values are rounded and continuous ones clamped to their bounds. */
static double *check_start(const cpt_mip *m, const double *x, double *obj) {
  double *s = malloc(((size_t)m->n + 1) * sizeof *s);
  if (!s) return NULL;
  s[0] = 0.0;
  double f = m->c0;
  for (int j = 0; j < m->n; j++) {
    double v = x[j], lb, ub;
    col_bounds(m, j, &lb, &ub);
    if (!isfinite(v)) goto reject;
    if (m->cint[j]) {
      if (fabs(v - round(v)) > 1e-6) goto reject;
      v = round(v);
    }
    if (v < lb - 1e-6 * fmax(1.0, fabs(lb)) ||
        v > ub + 1e-6 * fmax(1.0, fabs(ub)))
      goto reject;
    v = fmin(fmax(v, lb), ub);
    s[j + 1] = v;
    f += m->cobj[j] * v;
  }
  for (int i = 0; i < m->m; i++) {
    double a = 0.0, lb = m->rlb[i], ub = m->rub[i];
    for (size_t z = m->rbeg[i]; z < m->rbeg[i + 1]; z++)
      a += m->zval[z] * s[m->zcol[z] + 1];
    if (a < lb - 1e-6 * fmax(1.0, fabs(lb)) ||
        a > ub + 1e-6 * fmax(1.0, fabs(ub)))
      goto reject;
  }
  *obj = f;
  return s;
reject:
  free(s);
  return NULL;
}

static void cb_func(glp_tree *T, void *info) {
  run_ctx *c = info;
  int reason = glp_ios_reason(T);
  int a_cnt, n_cnt, t_cnt;
  glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
  c->nodes = t_cnt;
  int best = glp_ios_best_node(T);
  if (best) {
    double b = glp_ios_node_bound(T, best);
    if (fabs(b) < DBL_MAX) /* ±DBL_MAX: the node's LP is not solved yet */
      c->bound = c->m->maximize ? fmin(c->bound, b) : fmax(c->bound, b);
  }
  if (reason == GLP_IHEUR && c->start1 && !c->start_offered) {
    c->start_offered = 1;
    glp_ios_heur_sol(T, c->start1);
  }
  glp_prob *mip = glp_ios_get_prob(T);
  if (c->p->verbose && glp_mip_status(mip) == GLP_FEAS &&
      glp_mip_obj_val(mip) != c->shown_obj) {
    /* One line per improvement, found by the search or a heuristic. */
    double obj = c->shown_obj = glp_mip_obj_val(mip);
    fprintf(c->p->log ? c->p->log : stderr,
            "* mip: obj = %.10g, bound = %.10g, gap = %.4g%%, nodes = %ld, "
            "time = %.2f s\n",
            obj, c->bound, 100.0 * fabs(c->bound - obj) / fmax(1, fabs(obj)),
            c->nodes, elapsed(c));
  }
  if (c->p->stop && atomic_load(c->p->stop)) {
    c->stop_reason = STOP_FLAG;
    glp_ios_terminate(T);
  } else if (time_up(c)) {
    c->stop_reason = STOP_TIME;
    glp_ios_terminate(T);
  }
}

/* Is the LP relaxation of c->P feasible?  1 yes, 0 no, −1 unknown. */
static int relaxation_feasible(run_ctx *c) {
  glp_prob *P = c->P;
  for (int j = 0; j <= glp_get_num_cols(P); j++) glp_set_obj_coef(P, j, 0.0);
  glp_smcp s;
  glp_init_smcp(&s);
  s.msg_lev = GLP_MSG_OFF;
  s.presolve = GLP_ON;
  int ret = glp_simplex(P, &s);
  if (ret == GLP_ENOPFS) return 0;
  if (ret != 0) return -1;
  int st = glp_get_status(P);
  return st == GLP_OPT ? 1 : st == GLP_NOFEAS ? 0 : -1;
}

static int ms_of(double s) {
  double ms = ceil(s * 1000.0);
  return ms < 1.0 ? 1 : ms > (double)INT_MAX ? INT_MAX : (int)ms;
}

/* glp_simplex polls nothing but its own time limit, and the root LP of a
 * large model takes many seconds.  When the solve can be stopped, the LP is
 * solved in slices of SLICE_IT iterations: each glp_simplex call resumes
 * from the basis the previous one left, and the stop flag is looked at in
 * between.  Slices are cut by iterations, never by time, so that the path
 * of the simplex (and so the optimal vertex among ties) does not depend on
 * the machine's speed.  Returns glp_simplex's code, GLP_ETMLIM with
 * c->stop_reason set when stopped. */
enum { SLICE_IT = 500 };

static int sliced_simplex(run_ctx *c, glp_prob *P, glp_smcp *s) {
  if (c->p->stop) s->it_lim = SLICE_IT;
  for (;;) {
    if (c->deadline_s > 0) s->tm_lim = ms_of(c->deadline_s - elapsed(c));
    int ret = glp_simplex(P, s);
    if (ret == GLP_ETMLIM) return c->stop_reason = STOP_TIME, ret;
    if (ret != GLP_EITLIM || !c->p->stop) return ret;
    if (atomic_load(c->p->stop)) return c->stop_reason = STOP_FLAG, GLP_ETMLIM;
  }
}

/* Outcome of GLPK's run before the result is filled in. */
typedef enum { R_OPT, R_GAP, R_STOPPED, R_INFEAS, R_UNBND, R_FAIL } run_out;

/* Run GLPK on c->P; sets *code to GLPK's code for R_FAIL. */
static run_out run_glpk(run_ctx *c, int *code) {
  const cpt_mip_params *p = c->p;
  int msg = p->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
  int presolve = p->presolve && !c->start1;
  glp_prob *P = c->P; /* the problem searched */
  int ret;
  *code = 0;
  /* building a model of millions of columns takes a while */
  if (p->stop && atomic_load(p->stop))
    return c->stop_reason = STOP_FLAG, R_STOPPED;
  if (presolve && p->stop) {
    /* GLPK's presolved run solves its root LP inside glp_intopt, where
     * nothing can stop it: run its steps here instead, GLPK's preprocessor
     * from P to Q, the root LP of Q in slices, the search on Q. */
    c->prep = glp_npp_alloc_wksp();
    glp_npp_load_prob(c->prep, c->P, GLP_MIP, GLP_OFF);
    ret = glp_npp_preprocess1(c->prep, GLP_ON);
    if (ret == GLP_ENOPFS) return R_INFEAS;
    if (ret == GLP_ENODFS)
      return relaxation_feasible(c) == 0 ? R_INFEAS : R_UNBND;
    if (atomic_load(p->stop)) return c->stop_reason = STOP_FLAG, R_STOPPED;
    c->Q = glp_create_prob();
    glp_npp_build_prob(c->prep, c->Q);
    /* an empty Q: nothing to interrupt, GLPK's own run settles it */
    if (glp_get_num_cols(c->Q) > 0) P = c->Q, presolve = 0;
  }
  if (!presolve) {
    if (p->stop && atomic_load(p->stop))
      return c->stop_reason = STOP_FLAG, R_STOPPED;
    glp_scale_prob(P, GLP_SF_AUTO);
    glp_adv_basis(P, 0);
    glp_smcp s;
    glp_init_smcp(&s);
    s.msg_lev = msg;
    ret = sliced_simplex(c, P, &s);
    if (ret == GLP_ETMLIM) return R_STOPPED;
    if (ret != 0) return *code = ret, R_FAIL;
    int st = glp_get_status(P);
    if (st == GLP_NOFEAS) return R_INFEAS;
    if (st == GLP_UNBND) return R_UNBND;
    if (st != GLP_OPT) return *code = -st, R_FAIL;
  }
  glp_iocp io;
  glp_init_iocp(&io);
  io.msg_lev = msg;
  io.presolve = presolve ? GLP_ON : GLP_OFF;
  io.mip_gap = p->mip_gap;
  io.cb_func = cb_func;
  io.cb_info = c;
  if (c->deadline_s > 0) io.tm_lim = ms_of(c->deadline_s - elapsed(c));
  ret = glp_intopt(P, &io);
  int st = glp_mip_status(P);
  if (P == c->Q && (st == GLP_OPT || st == GLP_FEAS)) {
    glp_npp_postprocess(c->prep, c->Q); /* Q's solution, back in P */
    glp_npp_obtain_sol(c->prep, c->P);
  }
  switch (ret) {
  case 0:
    if (st == GLP_OPT) return R_OPT;
    if (st == GLP_NOFEAS) return R_INFEAS;
    return *code = -st, R_FAIL;
  case GLP_EMIPGAP: return R_GAP;
  case GLP_ETMLIM:
    if (!c->stop_reason) c->stop_reason = STOP_TIME;
    return R_STOPPED;
  case GLP_ESTOP: return R_STOPPED;
  case GLP_ENOPFS: return R_INFEAS;
  case GLP_ENODFS: {
    int f = relaxation_feasible(c);
    return f == 0 ? R_INFEAS : R_UNBND;
  }
  case GLP_EFAIL: /* GLPK 5.0 reports a root LP out of time this way */
    if (time_up(c)) return c->stop_reason = STOP_TIME, R_STOPPED;
    return *code = ret, R_FAIL;
  default: return *code = ret, R_FAIL;
  }
}

static const char *glpk_code_name(int code) {
  switch (code) {
  case GLP_EBADB: return "GLP_EBADB";
  case GLP_ESING: return "GLP_ESING";
  case GLP_ECOND: return "GLP_ECOND";
  case GLP_EBOUND: return "GLP_EBOUND";
  case GLP_EFAIL: return "GLP_EFAIL";
  case GLP_EOBJLL: return "GLP_EOBJLL";
  case GLP_EOBJUL: return "GLP_EOBJUL";
  case GLP_EITLIM: return "GLP_EITLIM";
  case GLP_EROOT: return "GLP_EROOT";
  case -GLP_UNDEF: return "solution status GLP_UNDEF";
  case -GLP_FEAS: return "solution status GLP_FEAS";
  case -GLP_INFEAS: return "solution status GLP_INFEAS";
  case -GLP_NOFEAS: return "solution status GLP_NOFEAS";
  case -GLP_UNBND: return "solution status GLP_UNBND";
  }
  return "an unknown code";
}

/* Take x (1-based, GLPK's values, or the checked start) as the solution. */
static cpt_status take_solution(const cpt_mip *m, const double *x1,
                                glp_prob *P, cpt_mip_result *res) {
  size_t n = (size_t)m->n;
  res->x = malloc((n ? n : 1) * sizeof *res->x);
  if (!res->x) return CPT_ENOMEM;
  double f = m->c0;
  for (int j = 0; j < m->n; j++) {
    double v = x1 ? x1[j + 1] : glp_mip_col_val(P, j + 1);
    if (m->cint[j]) v = round(v);
    if (v == 0.0) v = 0.0; /* no −0 */
    res->x[j] = v;
    f += m->cobj[j] * v;
  }
  res->objective = f;
  return CPT_OK;
}

static double unknown_bound(const cpt_mip *m) {
  return m->maximize ? INFINITY : -INFINITY;
}

/* Fill res from GLPK's outcome; the caller's hooks are still installed. */
static cpt_status finish(run_ctx *c, run_out out, int code,
                         cpt_mip_result *res, char *errbuf, size_t errsize) {
  const cpt_mip *m = c->m;
  int has_sol = glp_mip_status(c->P) == GLP_OPT ||
                glp_mip_status(c->P) == GLP_FEAS;
  cpt_status st = CPT_OK;
  switch (out) {
  case R_FAIL:
    set_err(errbuf, errsize, "GLPK failed with %s (code %d)",
            glpk_code_name(code), code);
    return CPT_EINTERNAL;
  case R_UNBND:
    set_err(errbuf, errsize,
            "the MIP is unbounded: its LP relaxation has no finite optimum "
            "(GLP_ENODFS)");
    return CPT_EINTERNAL;
  case R_INFEAS:
    res->status = CPT_SOLVE_INFEASIBLE;
    return CPT_OK;
  case R_OPT:
  case R_GAP:
  case R_STOPPED:
    break;
  }
  if (out == R_STOPPED && c->start1) {
    double g = has_sol ? glp_mip_obj_val(c->P) : 0.0;
    if (!has_sol || (m->maximize ? c->start_obj > g : c->start_obj < g)) {
      st = take_solution(m, c->start1, NULL, res);
      has_sol = 1;
    }
  }
  if (has_sol && !res->x) st = take_solution(m, NULL, c->P, res);
  if (st != CPT_OK) return st;
  if (out == R_OPT) {
    res->status = CPT_SOLVE_OPTIMAL;
    res->bound = res->objective;
  } else {
    if (out == R_GAP)
      res->status = CPT_SOLVE_OPTIMAL;
    else if (c->stop_reason == STOP_FLAG)
      res->status = has_sol ? CPT_SOLVE_INTERRUPTED : CPT_SOLVE_NOSOLUTION;
    else
      res->status = has_sol ? CPT_SOLVE_FEASIBLE : CPT_SOLVE_NOSOLUTION;
    res->bound = c->bound;
    /* A node bound beyond the incumbent only lingers within GLPK's
     * tolerances: clamp it to the right side. */
    if (has_sol)
      res->bound = m->maximize ? fmax(res->bound, res->objective)
                               : fmin(res->bound, res->objective);
  }
  return CPT_OK;
}

/* Everything from the hooks to the result; a GLPK error lands in the
 * setjmp branch.  All state lives in *c, never in locals of this frame. */
static cpt_status guarded_solve(run_ctx *c, cpt_mip_result *res, char *errbuf,
                                size_t errsize) {
  if (setjmp(c->jb)) {
    glp_free_env(); /* GLPK's documented recovery; frees c->P too */
    c->P = c->Q = NULL;
    c->prep = NULL;
    glpk_error_message(c, errbuf, errsize);
    release(c);
    cpt_mip_result_free(res);
    return CPT_EINTERNAL;
  }
  hooks(c);
  cpt_status st;
  if (build(c, 0)) {
    st = CPT_ENOMEM;
  } else {
    int code;
    run_out out = run_glpk(c, &code);
    st = finish(c, out, code, res, errbuf, errsize);
  }
  hooks(NULL);
  release(c);
  return st;
}

cpt_status cpt_mip_solve(const cpt_mip *m, const cpt_mip_params *p,
                         cpt_mip_result *res, char *errbuf, size_t errsize) {
  if (errbuf && errsize) errbuf[0] = '\0';
  if (!res) {
    set_err(errbuf, errsize, "cpt_mip_solve: no result record");
    return CPT_EPARAM;
  }
  memset(res, 0, sizeof *res);
  res->status = CPT_SOLVE_NOSOLUTION;
  res->objective = NAN;
  res->bound = NAN;
  res->gap = INFINITY;
  cpt_mip_params defaults;
  if (!p) {
    cpt_mip_params_init(&defaults);
    p = &defaults;
  }
  if (!m) {
    set_err(errbuf, errsize, "cpt_mip_solve: no model");
    return CPT_EPARAM;
  }
  if (!isfinite(p->time_limit_s) || p->time_limit_s < 0 ||
      p->time_limit_s * 1000.0 > (double)INT_MAX) {
    set_err(errbuf, errsize,
            "time limit %g s: expected 0 (none) or a finite positive number "
            "of seconds up to %d ms",
            p->time_limit_s, INT_MAX);
    return CPT_EPARAM;
  }
  if (!(p->mip_gap >= 0.0 && p->mip_gap <= 1.0)) {
    set_err(errbuf, errsize, "mip gap %g: expected a number in [0, 1]",
            p->mip_gap);
    return CPT_EPARAM;
  }

  run_ctx *c = calloc(1, sizeof *c);
  if (!c) return CPT_ENOMEM;
  c->m = m;
  c->p = p;
  clock_gettime(CLOCK_MONOTONIC, &c->t0);
  struct timespec t0 = c->t0; /* res->time_s is measured once c is gone */
  c->deadline_s = p->time_limit_s;
  c->bound = unknown_bound(m);
  c->shown_obj = NAN;
  cpt_status st = CPT_OK;
  if (p->start) c->start1 = check_start(m, p->start, &c->start_obj);
  if (p->verbose && p->start && !c->start1)
    fprintf(p->log ? p->log : stderr,
            "mip: start solution infeasible or out of memory; ignored\n");

  int empty = 0;
  for (int j = 0; j < m->n; j++) {
    double lb, ub;
    if (!col_bounds(m, j, &lb, &ub)) empty = 1;
  }
  for (int i = 0; m->n == 0 && i < m->m; i++)
    if (m->rlb[i] > 1e-9 || m->rub[i] < -1e-9) empty = 1;

  if (empty) {
    res->status = CPT_SOLVE_INFEASIBLE;
  } else if (p->stop && atomic_load(p->stop)) {
    res->bound = unknown_bound(m);
    if (c->start1) {
      st = take_solution(m, c->start1, NULL, res);
      res->status = CPT_SOLVE_INTERRUPTED;
    }
  } else if (m->n == 0) {
    st = take_solution(m, NULL, NULL, res);
    res->status = CPT_SOLVE_OPTIMAL;
    res->bound = res->objective;
  } else {
    st = guarded_solve(c, res, errbuf, errsize);
    res->nodes = c->nodes;
  }
  free(c->start1);
  free(c);
  if (st != CPT_OK) {
    cpt_mip_result_free(res);
    res->status = CPT_SOLVE_NOSOLUTION;
    res->objective = res->bound = NAN;
    res->gap = INFINITY;
  } else if (res->x) {
    res->gap = res->status == CPT_SOLVE_OPTIMAL && res->bound == res->objective
                   ? 0.0
                   : fabs(res->bound - res->objective) /
                         fmax(1.0, fabs(res->objective));
    if (isnan(res->gap)) res->gap = INFINITY;
  }
  res->time_s = seconds_since(&t0);
  return st;
}

/* -------------------------------------------------------------- writing */

static cpt_status guarded_write(run_ctx *c, const char *path, char format) {
  if (setjmp(c->jb)) {
    glp_free_env();
    c->P = NULL;
    release(c);
    return CPT_EINTERNAL;
  }
  hooks(c);
  cpt_status st = CPT_OK;
  if (build(c, format)) {
    st = CPT_ENOMEM;
  } else {
    int ret = format == 'l' ? glp_write_lp(c->P, NULL, path)
                            : glp_write_mps(c->P, GLP_MPS_FILE, NULL, path);
    if (ret != 0) st = CPT_EIO;
  }
  hooks(NULL);
  release(c);
  return st;
}

cpt_status cpt_mip_write(const cpt_mip *m, const char *path, char format) {
  if (!m || !path || (format != 'l' && format != 'm')) return CPT_EPARAM;
  run_ctx *c = calloc(1, sizeof *c);
  if (!c) return CPT_ENOMEM;
  c->m = m;
  cpt_status st = guarded_write(c, path, format);
  free(c);
  return st;
}

void cpt_mip_thread_done(void) { glp_free_env(); }
