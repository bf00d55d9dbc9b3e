/*
 * config.c — the JSON configuration file of config.h, generated from the
 * option table CPT_OPTIONS (options.h).
 *
 * Every behaviour here comes from the table: the defaults, the range
 * checks, the accepted JSON paths (a dotted path "a.b.c" is the nested
 * object {"a":{"b":{"c":…}}}; every proper prefix of a path is a group
 * that must be an object), --set, the effective config and the help text.
 * Adding an X(...) line to the table needs no change in this file.
 *
 * Parsing: cJSON_ParseWithLengthOpts builds the tree and its end pointer
 * locates syntax errors (never cJSON_GetErrorPtr, which is global).  cJSON
 * keeps no positions, so a second, tiny scanner walks the raw text in
 * lockstep with the tree (both visit members in document order) and hands
 * each member the position of its key and of its value; it only has to
 * skip strings, numbers, literals and brackets, because cJSON has already
 * accepted the text.  Each object member is then classified against the
 * table (leaf option, group, or unknown), duplicates are caught per object
 * through the first table index under the member, and every error found
 * is recorded — the walk never stops at the first one.  The file is parsed
 * into a copy of the config, which is written back only when there was no
 * error.
 *
 * Suggestions for unknown keys use the optimal-string-alignment edit
 * distance (insert, delete, substitute, swap two neighbours) between the
 * full dotted path and every known path and group: the closest within 2
 * wins if it is also smaller than the key's length (so "x" suggests
 * nothing), ties going to the first in table order; failing that, a known
 * path whose last segment is the key itself (a key at the wrong level).
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- the table, as data ------------------------------------------------ */

enum { CPT_KIND_REAL, CPT_KIND_INT };
enum { NUM_LEN = 40, RANGE_LEN = 2 * NUM_LEN + 16 }; /* formatted sizes */

enum {
#define CPT_X_INDEX(field, path, ctype, kind, def, lo, hi, help) OPT_##field,
  CPT_OPTIONS(CPT_X_INDEX)
#undef CPT_X_INDEX
  N_OPTS
};

typedef struct opt_desc {
  const char *path;
  int kind;
  double def, lo, hi;
  const char *help;
} opt_desc;

static const opt_desc opts[N_OPTS] = {
#define CPT_X_DESC(field, path, ctype, kind, def, lo, hi, help) \
  {path, CPT_KIND_##kind, (double)(def), (double)(lo), (double)(hi), help},
    CPT_OPTIONS(CPT_X_DESC)
#undef CPT_X_DESC
};

static double opt_get(const cpt_config *cfg, size_t i) {
  switch (i) {
#define CPT_X_GET(field, path, ctype, kind, def, lo, hi, help) \
  case OPT_##field: return (double)cfg->field;
    CPT_OPTIONS(CPT_X_GET)
#undef CPT_X_GET
  }
  CPT_REQUIRE(0, "option index out of range");
}

/* v has passed check_value, so the conversion is exact for INT kinds. */
static void opt_set(cpt_config *cfg, size_t i, double v) {
  switch (i) {
#define CPT_X_SET(field, path, ctype, kind, def, lo, hi, help) \
  case OPT_##field: cfg->field = (ctype)v; return;
    CPT_OPTIONS(CPT_X_SET)
#undef CPT_X_SET
  }
  CPT_REQUIRE(0, "option index out of range");
}

void cpt_config_init(cpt_config *cfg) {
  CPT_REQUIRE(cfg != NULL, "cpt_config_init: cfg is NULL");
#define CPT_X_INIT(field, path, ctype, kind, def, lo, hi, help) \
  cfg->field = (ctype)(def);
  CPT_OPTIONS(CPT_X_INIT)
#undef CPT_X_INIT
}

/* ---- values ------------------------------------------------------------ */

/* A number as people write it: integers without ".0", else up to 15
 * significant digits (so 0.1 prints as 0.1). */
static const char *fmt_num(int kind, double v, char *buf, size_t size) {
  if (kind == CPT_KIND_INT && fabs(v) < 9.2e18)
    snprintf(buf, size, "%" PRId64, (int64_t)v);
  else
    snprintf(buf, size, "%.15g", v);
  return buf;
}

/* "[lo, hi]", then " integer" for INT kinds when `kind` is set. */
static const char *fmt_range(size_t i, bool kind, char *buf, size_t size) {
  char lo[NUM_LEN], hi[NUM_LEN];
  snprintf(buf, size, "[%s, %s]%s",
           fmt_num(opts[i].kind, opts[i].lo, lo, sizeof lo),
           fmt_num(opts[i].kind, opts[i].hi, hi, sizeof hi),
           kind && opts[i].kind == CPT_KIND_INT ? " integer" : "");
  return buf;
}

/* 0 when v may be stored in option i; otherwise the complete message. */
static int check_value(size_t i, double v, char *msg, size_t size) {
  char num[NUM_LEN], range[RANGE_LEN];
  if (opts[i].kind == CPT_KIND_INT && isfinite(v) && v != floor(v)) {
    snprintf(msg, size, "'%s' must be an integer, got %.15g", opts[i].path, v);
    return 1;
  }
  if (!(v >= opts[i].lo && v <= opts[i].hi)) {
    snprintf(msg, size, "'%s' = %s is out of range %s", opts[i].path,
             fmt_num(CPT_KIND_REAL, v, num, sizeof num),
             fmt_range(i, false, range, sizeof range));
    return 1;
  }
  return 0;
}

/* ---- paths --------------------------------------------------------------- */

enum { MATCH_NONE, MATCH_LEAF, MATCH_GROUP };

/* Is `path` the member `key` (klen bytes) of the group `prefix` (plen bytes,
 * 0 for the top level) or below it? */
static int match_child(const char *path, const char *prefix, size_t plen,
                       const char *key, size_t klen) {
  if (plen) {
    if (strncmp(path, prefix, plen) != 0 || path[plen] != '.')
      return MATCH_NONE;
    path += plen + 1;
  }
  if (strncmp(path, key, klen) != 0) return MATCH_NONE;
  if (path[klen] == '\0') return MATCH_LEAF;
  if (path[klen] == '.') return MATCH_GROUP;
  return MATCH_NONE;
}

/* The first option at or below member `key` of group `prefix`, or N_OPTS.
 * A key holding '.' is never a member: paths are spelt as nested objects. */
static size_t classify(const char *prefix, size_t plen, const char *key,
                       int *match) {
  size_t klen = strlen(key);
  *match = MATCH_NONE;
  if (klen == 0 || memchr(key, '.', klen)) return N_OPTS;
  for (size_t i = 0; i < N_OPTS; i++) {
    *match = match_child(opts[i].path, prefix, plen, key, klen);
    if (*match != MATCH_NONE) return i;
  }
  return N_OPTS;
}

/* Whole path lookup: a leaf, a group or neither. */
static size_t lookup_path(const char *path, int *match) {
  size_t n = strlen(path);
  for (size_t i = 0; i < N_OPTS; i++) {
    *match = match_child(opts[i].path, "", 0, path, n);
    if (*match != MATCH_NONE) return i;
  }
  *match = MATCH_NONE;
  return N_OPTS;
}

enum { DIST_MAX_LEN = 120, DIST_FAR = 1000 };

/* Optimal string alignment distance; DIST_FAR when either string is long. */
static int edit_distance(const char *a, size_t na, const char *b, size_t nb) {
  if (na > DIST_MAX_LEN || nb > DIST_MAX_LEN) return DIST_FAR;
  int d[3][DIST_MAX_LEN + 1]; /* rows i-2, i-1, i (rolling) */
  for (size_t j = 0; j <= nb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= na; i++) {
    int *cur = d[i % 3], *prev = d[(i - 1) % 3], *prev2 = d[(i + 1) % 3];
    cur[0] = (int)i;
    for (size_t j = 1; j <= nb; j++) {
      int cost = a[i - 1] != b[j - 1];
      int best = prev[j - 1] + cost;
      if (prev[j] + 1 < best) best = prev[j] + 1;
      if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          prev2[j - 2] + 1 < best)
        best = prev2[j - 2] + 1;
      cur[j] = best;
    }
  }
  return d[na % 3][nb];
}

/* A known path or group close to `path`, copied into buf; NULL if none. */
static const char *suggest(const char *path, char *buf, size_t size) {
  size_t n = strlen(path);
  const char *last = strrchr(path, '.');
  last = last ? last + 1 : path;
  int best = 3;
  const char *best_at = NULL, *seg_at = NULL;
  size_t best_len = 0, seg_len = 0;
  for (size_t i = 0; i < N_OPTS; i++) {
    const char *p = opts[i].path;
    const char *seg = p;
    for (size_t k = 0;; k++) {
      if (p[k] != '.' && p[k] != '\0') continue;
      int d = edit_distance(path, n, p, k);
      if (d > 0 && d < best && (size_t)d < strlen(last)) {
        best = d;
        best_at = p;
        best_len = k;
      }
      size_t sl = (size_t)(p + k - seg);
      if (!seg_at && d > 0 && strlen(last) == sl &&
          strncmp(seg, last, sl) == 0) {
        seg_at = p;
        seg_len = k;
      }
      if (p[k] == '\0') break;
      seg = p + k + 1;
    }
  }
  if (!best_at) {
    best_at = seg_at;
    best_len = seg_len;
  }
  if (!best_at || best_len >= size) return NULL;
  memcpy(buf, best_at, best_len);
  buf[best_len] = '\0';
  return buf;
}

/* ---- locating errors in the text --------------------------------------- */

typedef struct parse_ctx {
  const char *name;
  const char *text, *end; /* the whole buffer */
  cpt_diags *diags;       /* may be NULL */
  size_t n_errors;
  bool lost; /* scanner and tree disagreed: stop giving positions */
  cpt_config *cfg;
  const char *lc_p;      /* line_col's resume point (errors come mostly */
  long lc_line, lc_col;  /* in document order), and its line and column */
} parse_ctx;

/* Is there room for one more kept message?  Beyond that, errors are only
 * counted, and nothing is spent on locating or explaining them. */
static bool keeps_more(const parse_ctx *c) {
  return c->diags && c->diags->n < c->diags->max_kept;
}

static bool has_bom(const char *text, const char *end) {
  return end - text >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
}

/* 1-based line and column (in UTF-8 characters; a BOM takes none) of
 * `at`; 0, 0 for NULL.  Counts on from the previous answer when `at` is
 * not before it, so locating errors in document order is linear. */
static void line_col(parse_ctx *c, const char *at, long *line, long *col) {
  *line = *col = 0;
  if (!at || at < c->text || at > c->end) return;
  const char *start = c->text + (has_bom(c->text, c->end) ? 3 : 0);
  if (!c->lc_p || at < c->lc_p) {
    c->lc_p = start;
    c->lc_line = c->lc_col = 1;
  }
  const char *p = c->lc_p;
  long l = c->lc_line, k = c->lc_col;
  for (; p < at; p++) {
    if (*p == '\n') {
      l++;
      k = 1;
    } else if (((unsigned char)*p & 0xC0) != 0x80) {
      k++;
    }
  }
  c->lc_p = p < start ? start : p;
  c->lc_line = *line = l;
  c->lc_col = *col = k;
}

static void err_at(parse_ctx *c, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err_at(parse_ctx *c, const char *at, const char *fmt, ...) {
  char msg[900];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  long line = 0, col = 0;
  if (keeps_more(c)) line_col(c, c->lost ? NULL : at, &line, &col);
  c->n_errors++;
  if (c->diags) cpt_diag_error(c->diags, c->name, line, col, "%s", msg);
}

/* Up to 20 bytes of the text at `at`, on one line, printable. */
static const char *snippet(const char *at, const char *end, char *buf,
                           size_t size) {
  size_t o = 0;
  const char *p = at;
  for (; p < end && p - at < 20 && *p != '\n' && *p != '\r'; p++) {
    unsigned char ch = (unsigned char)*p;
    if (o + 5 >= size) break;
    if (ch < 32 || ch == 127)
      o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
    else
      buf[o++] = (char)ch;
  }
  /* do not end inside a UTF-8 sequence */
  if (p < end && ((unsigned char)*p & 0xC0) == 0x80)
    while (o > 0 && ((unsigned char)buf[o - 1] & 0x80)) {
      bool lead = ((unsigned char)buf[o - 1] & 0xC0) == 0xC0;
      o--;
      if (lead) break;
    }
  buf[o] = '\0';
  if (p < end && *p != '\n' && *p != '\r' && o + 4 < size) strcat(buf, "...");
  return buf;
}

static bool is_json_ws(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* A syntax error at cJSON's end pointer.  cJSON reports the last byte when
 * it ran out of text, which is indistinguishable from an error on that
 * byte; a bracket scan tells the two apart for a better message. */
static void report_syntax(parse_ctx *c, const char *at) {
  if (!at || at < c->text || at > c->end) at = c->text;
  /* Where a key was due, cJSON points one past the offending byte. */
  if (at > c->text && at[-1] != '"' && (unsigned char)at[-1] > 32) {
    const char *q = at - 1;
    while (q > c->text && (unsigned char)q[-1] <= 32) q--;
    if (q > c->text && (q[-1] == '{' || q[-1] == ',')) at--;
  }
  enum { STACK = 1024 };
  char stack[STACK];
  size_t depth = 0;
  bool mismatch = false;
  const char *open_quote = NULL, *last = NULL;
  for (const char *p = c->text; p < c->end && !mismatch; p++) {
    if (!is_json_ws(*p)) last = p;
    if (open_quote) {
      if (*p == '\\' && p + 1 < c->end)
        p++;
      else if (*p == '"')
        open_quote = NULL;
    } else if (*p == '"') {
      open_quote = p;
    } else if (*p == '{' || *p == '[') {
      if (depth == STACK) mismatch = true; /* give up: plain message */
      else stack[depth++] = *p == '{' ? '}' : ']';
    } else if (*p == '}' || *p == ']') {
      if (depth == 0 || stack[depth - 1] != *p) mismatch = true;
      else depth--;
    }
  }
  char near[128];
  if (!mismatch && open_quote) {
    err_at(c, open_quote, "invalid JSON: unterminated string");
  } else if (!mismatch && depth > 0 && last && at >= last) {
    err_at(c, last + 1, "invalid JSON: unexpected end of file (missing '%c')",
           stack[depth - 1]);
  } else if (at >= c->end) {
    err_at(c, at, "invalid JSON: unexpected end of file");
  } else {
    err_at(c, at, "invalid JSON near '%s'",
           snippet(at, c->end, near, sizeof near));
  }
}

/* ---- the lockstep scanner -------------------------------------------- */

/* cJSON's whitespace: every byte up to and including ' '. */
static const char *skip_ws(const char *p, const char *end) {
  while (p < end && (unsigned char)*p <= 32) p++;
  return p;
}

static const char *skip_string(const char *p, const char *end) {
  for (p++; p < end && *p != '"'; p++)
    if (*p == '\\' && p + 1 < end) p++;
  return p < end ? p + 1 : end;
}

/* Past one value of text that cJSON has accepted. */
static const char *skip_value(const char *p, const char *end) {
  if (p >= end) return end;
  if (*p == '"') return skip_string(p, end);
  if (*p == '{' || *p == '[') {
    size_t depth = 0;
    while (p < end) {
      if (*p == '"') {
        p = skip_string(p, end);
        continue;
      }
      if (*p == '{' || *p == '[') depth++;
      if ((*p == '}' || *p == ']') && --depth == 0) return p + 1;
      p++;
    }
    return end;
  }
  while (p < end && (unsigned char)*p > 32 && *p != ',' && *p != '}' &&
         *p != ']')
    p++;
  return p;
}

/* Does the raw key text at `at` (a '"') spell `key`?  Keys written with
 * escapes or holding a NUL byte (where cJSON's C string ends) are taken
 * on trust. */
static bool key_agrees(const char *at, const char *end, const char *key) {
  const char *close = skip_string(at, end);
  if (close <= at + 1 || close[-1] != '"') return false;
  size_t n = (size_t)(close - at - 2);
  if (memchr(at + 1, '\\', n) || memchr(at + 1, '\0', n)) return true;
  return strlen(key) == n && memcmp(at + 1, key, n) == 0;
}

static const char *json_type_name(const cJSON *v) {
  if (cJSON_IsObject(v)) return "an object";
  if (cJSON_IsArray(v)) return "an array";
  if (cJSON_IsString(v)) return "a string";
  if (cJSON_IsTrue(v)) return "true";
  if (cJSON_IsFalse(v)) return "false";
  if (cJSON_IsNull(v)) return "null";
  if (cJSON_IsNumber(v)) return "a number";
  return "an invalid value";
}

static void report_unknown(parse_ctx *c, const char *key_at,
                           const char *prefix, size_t plen, const char *key) {
  size_t klen = strlen(key);
  char *path = keeps_more(c) ? malloc(plen + klen + 2) : NULL;
  if (!path) { /* out of memory, or the message would not be kept */
    err_at(c, key_at, "unknown key");
    return;
  }
  if (plen) {
    memcpy(path, prefix, plen);
    path[plen] = '.';
    memcpy(path + plen + 1, key, klen + 1);
  } else {
    memcpy(path, key, klen + 1);
  }
  /* raw or \u-escaped control characters must not reach the terminal */
  for (char *q = path; *q; q++)
    if ((unsigned char)*q < 32 || *q == 127) *q = '?';
  int match;
  char hint[128];
  if (memchr(key, '.', klen) && lookup_path(path, &match) < N_OPTS) {
    const char *dot = strchr(key, '.');
    err_at(c, key_at,
           "unknown key '%.200s' (a key is not a dotted path: write "
           "{\"%.*s\": {\"%.100s\": ...}})",
           path, (int)(dot - key), key, dot + 1);
  } else if (suggest(path, hint, sizeof hint)) {
    err_at(c, key_at, "unknown key '%.200s' (did you mean '%s'?)", path,
           hint);
  } else {
    err_at(c, key_at, "unknown key '%.200s'", path);
  }
  free(path);
}

static void walk_object(parse_ctx *c, const char *p, const cJSON *obj,
                        const char *prefix, size_t plen);

static void check_member(parse_ctx *c, const cJSON *child, const char *key_at,
                         const char *val_at, const char *prefix, size_t plen,
                         const char **seen) {
  const char *key = child->string ? child->string : "";
  int match;
  size_t i = classify(prefix, plen, key, &match);
  if (i == N_OPTS) {
    report_unknown(c, key_at, prefix, plen, key);
    return;
  }
  size_t len = (plen ? plen + 1 : 0) + strlen(key); /* of the member's path */
  if (seen[i]) {
    long line = 0, col;
    if (keeps_more(c)) line_col(c, c->lost ? NULL : seen[i], &line, &col);
    if (line)
      err_at(c, key_at, "duplicate key '%.*s' (first given on line %ld)",
             (int)len, opts[i].path, line);
    else
      err_at(c, key_at, "duplicate key '%.*s'", (int)len, opts[i].path);
    return;
  }
  seen[i] = key_at ? key_at : c->text;
  if (match == MATCH_GROUP) {
    if (cJSON_IsObject(child))
      walk_object(c, val_at, child, opts[i].path, len);
    else
      err_at(c, val_at, "'%.*s' is a group of options and must be an object "
                        "{...}, got %s", (int)len, opts[i].path,
             json_type_name(child));
    return;
  }
  if (!cJSON_IsNumber(child)) {
    err_at(c, val_at, "'%s' must be %s, got %s", opts[i].path,
           opts[i].kind == CPT_KIND_INT ? "an integer" : "a number",
           json_type_name(child));
    return;
  }
  char msg[300];
  if (check_value(i, child->valuedouble, msg, sizeof msg))
    err_at(c, val_at, "%s", msg);
  else
    opt_set(c->cfg, i, child->valuedouble);
}

/* p is at the '{' of obj's text (or NULL once positions are lost). */
static void walk_object(parse_ctx *c, const char *p, const cJSON *obj,
                        const char *prefix, size_t plen) {
  const char *seen[N_OPTS] = {0}; /* key position by first index below it */
  const char *end = c->end;
  if (!p || p >= end || *p != '{') c->lost = true;
  if (!c->lost) p = skip_ws(p + 1, end);
  for (const cJSON *child = obj->child; child; child = child->next) {
    const char *key_at = NULL, *val_at = NULL;
    if (!c->lost && p < end && *p == '"' &&
        key_agrees(p, end, child->string ? child->string : "")) {
      key_at = p;
      p = skip_ws(skip_string(p, end), end);
      if (p < end && *p == ':') p = skip_ws(p + 1, end);
      val_at = p;
      p = skip_ws(skip_value(p, end), end);
      if (p < end && *p == ',') p = skip_ws(p + 1, end);
    } else {
      c->lost = true;
    }
    check_member(c, child, key_at, val_at, prefix, plen, seen);
  }
}

/* ---- public entry points ----------------------------------------------- */

cpt_status cpt_config_parse(const char *name, const char *buf, size_t len,
                            cpt_config *cfg, cpt_diags *diags) {
  CPT_REQUIRE(cfg != NULL, "cpt_config_parse: cfg is NULL");
  CPT_REQUIRE(buf != NULL || len == 0, "cpt_config_parse: buf is NULL");
  static const char empty[] = "";
  if (!buf) buf = empty;
  cpt_config work = *cfg;
  parse_ctx c = {.name = name ? name : "config",
                 .text = buf,
                 .end = buf + len,
                 .diags = diags,
                 .cfg = &work};
  const char *start = buf + (has_bom(buf, c.end) ? 3 : 0);
  start = skip_ws(start, c.end);
  if (start == c.end) {
    err_at(&c, NULL, "empty config file: expected a JSON object such as {}");
    return CPT_EINPUT;
  }
  const char *parse_end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &parse_end, 0);
  if (!root) {
    report_syntax(&c, parse_end);
    return CPT_EINPUT;
  }
  if (!cJSON_IsObject(root))
    err_at(&c, start,
           "a config file must be a JSON object {...}, got %s at the top",
           json_type_name(root));
  else
    walk_object(&c, start, root, "", 0);
  const char *rest = parse_end && parse_end >= buf ? parse_end : c.end;
  while (rest < c.end && is_json_ws(*rest)) rest++;
  if (rest < c.end) {
    char near[128];
    c.lost = false;
    err_at(&c, rest, "unexpected text after the JSON object: '%s'",
           snippet(rest, c.end, near, sizeof near));
  }
  cJSON_Delete(root);
  if (c.n_errors) return CPT_EINPUT;
  *cfg = work;
  return CPT_OK;
}

cpt_status cpt_config_load(const char *path, cpt_config *cfg,
                           cpt_diags *diags) {
  CPT_REQUIRE(path != NULL, "cpt_config_load: path is NULL");
  cpt_status st = CPT_OK;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    if (diags) cpt_diag_error(diags, path, 0, 0, "cannot open: %s",
                              strerror(errno));
    return CPT_EIO;
  }
  for (;;) {
    if (len == cap) {
      size_t ncap = cap ? 2 * cap : 4096;
      char *nbuf = realloc(buf, ncap);
      if (!nbuf) {
        st = CPT_ENOMEM;
        if (diags) cpt_diag_error(diags, path, 0, 0, "out of memory");
        goto done;
      }
      buf = nbuf;
      cap = ncap;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    st = CPT_EIO;
    if (diags) cpt_diag_error(diags, path, 0, 0, "cannot read: %s",
                              strerror(errno));
    goto done;
  }
  st = cpt_config_parse(path, buf, len, cfg, diags);
done:
  fclose(f);
  free(buf);
  return st;
}

/* Strict command-line number: [+-] digits [('.'|',') digits] [e [+-]
 * digits], at least one mantissa digit, nothing else.  Written into out
 * in JSON's spelling; false when malformed. */
static bool normalize_number(const char *s, char *out) {
  size_t o = 0;
  bool digits = false;
  if (*s == '+' || *s == '-') {
    if (*s == '-') out[o++] = '-';
    s++;
  }
  if (*s == '.' || *s == ',') out[o++] = '0';
  while (*s >= '0' && *s <= '9') {
    out[o++] = *s++;
    digits = true;
  }
  if (*s == '.' || *s == ',') {
    s++;
    out[o++] = '.';
    if (!(*s >= '0' && *s <= '9')) out[o++] = '0';
    while (*s >= '0' && *s <= '9') {
      out[o++] = *s++;
      digits = true;
    }
  }
  if (!digits) return false;
  if (*s == 'e' || *s == 'E') {
    out[o++] = *s++;
    if (*s == '+' || *s == '-') out[o++] = *s++;
    if (!(*s >= '0' && *s <= '9')) return false;
    while (*s >= '0' && *s <= '9') out[o++] = *s++;
  }
  out[o] = '\0';
  return *s == '\0';
}

cpt_status cpt_config_set(cpt_config *cfg, const char *key,
                          const char *value, cpt_diags *diags) {
  CPT_REQUIRE(cfg != NULL, "cpt_config_set: cfg is NULL");
  const char *who = "command line";
  char msg[400];
  if (!key) key = "";
  int match;
  size_t i = lookup_path(key, &match);
  if (match != MATCH_LEAF) {
    char hint[128];
    if (match == MATCH_GROUP)
      snprintf(msg, sizeof msg,
               "'%.100s' is a group of options, not an option (e.g. '%s')",
               key, opts[i].path);
    else if (suggest(key, hint, sizeof hint))
      snprintf(msg, sizeof msg, "unknown option '%.200s' (did you mean '%s'?)",
               key, hint);
    else
      snprintf(msg, sizeof msg, "unknown option '%.200s'", key);
    goto fail;
  }
  size_t n = value ? strlen(value) : 0;
  char *num = malloc(n + 4);
  if (!num) {
    if (diags) cpt_diag_error(diags, who, 0, 0, "out of memory");
    return CPT_ENOMEM;
  }
  cJSON *j = NULL;
  if (value && normalize_number(value, num))
    j = cJSON_ParseWithLength(num, strlen(num));
  free(num);
  if (!cJSON_IsNumber(j)) {
    cJSON_Delete(j);
    snprintf(msg, sizeof msg, "'%s' must be %s, got '%.100s'", opts[i].path,
             opts[i].kind == CPT_KIND_INT ? "an integer" : "a number",
             value ? value : "");
    goto fail;
  }
  double v = j->valuedouble;
  cJSON_Delete(j);
  if (check_value(i, v, msg, sizeof msg)) goto fail;
  opt_set(cfg, i, v);
  return CPT_OK;
fail:
  if (diags) cpt_diag_error(diags, who, 0, 0, "%s", msg);
  return CPT_EINPUT;
}

cpt_status cpt_config_check(const cpt_config *cfg, cpt_diags *diags) {
  CPT_REQUIRE(cfg != NULL, "cpt_config_check: cfg is NULL");
  cpt_status st = CPT_OK;
  char msg[300];
  for (size_t i = 0; i < N_OPTS; i++) {
    if (check_value(i, opt_get(cfg, i), msg, sizeof msg)) {
      if (diags) cpt_diag_error(diags, NULL, 0, 0, "option %s", msg);
      st = CPT_EINPUT;
    }
  }
  return st;
}

/* cJSON prints a number that is not an int with at most 15 significant
 * digits when that reads back within an ulp, which would turn the seed
 * 9007199254740991 into ...990.  Integers of 16 digits or more therefore
 * become raw number text (valuedouble still set); all others are plain
 * cJSON numbers. */
static cJSON *number_node(int kind, double v) {
  if (kind != CPT_KIND_INT || fabs(v) < 1e15) return cJSON_CreateNumber(v);
  char digits[NUM_LEN];
  cJSON *n = cJSON_CreateRaw(fmt_num(kind, v, digits, sizeof digits));
  if (n) {
    n->valuedouble = v;
    n->valueint = v >= INT_MAX ? INT_MAX : v <= INT_MIN ? INT_MIN : (int)v;
  }
  return n;
}

cJSON *cpt_config_to_json(const cpt_config *cfg) {
  CPT_REQUIRE(cfg != NULL, "cpt_config_to_json: cfg is NULL");
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  for (size_t i = 0; i < N_OPTS; i++) {
    cJSON *parent = root;
    const char *seg = opts[i].path;
    for (const char *dot; (dot = strchr(seg, '.')) != NULL; seg = dot + 1) {
      char name[64];
      size_t n = (size_t)(dot - seg);
      CPT_REQUIRE(n < sizeof name, "option path segment too long");
      memcpy(name, seg, n);
      name[n] = '\0';
      cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, name);
      if (!o) o = cJSON_AddObjectToObject(parent, name);
      if (!o) goto oom;
      CPT_REQUIRE(cJSON_IsObject(o), "option path is both leaf and group");
      parent = o;
    }
    cJSON *num = number_node(opts[i].kind, opt_get(cfg, i));
    if (!num) goto oom;
    if (!cJSON_AddItemToObject(parent, seg, num)) {
      cJSON_Delete(num);
      goto oom;
    }
  }
  return root;
oom:
  cJSON_Delete(root);
  return NULL;
}

void cpt_config_print_help(FILE *out) {
  char def[N_OPTS][NUM_LEN], range[N_OPTS][RANGE_LEN];
  int wp = (int)strlen("option"), wd = (int)strlen("default");
  int wr = (int)strlen("range");
  for (size_t i = 0; i < N_OPTS; i++) {
    fmt_num(opts[i].kind, opts[i].def, def[i], sizeof def[i]);
    fmt_range(i, true, range[i], sizeof range[i]);
    if ((int)strlen(opts[i].path) > wp) wp = (int)strlen(opts[i].path);
    if ((int)strlen(def[i]) > wd) wd = (int)strlen(def[i]);
    if ((int)strlen(range[i]) > wr) wr = (int)strlen(range[i]);
  }
  fprintf(out, "%-*s  %-*s  %-*s  %s\n", wp, "option", wd, "default", wr,
          "range", "description");
  for (size_t i = 0; i < N_OPTS; i++)
    fprintf(out, "%-*s  %-*s  %-*s  %s\n", wp, opts[i].path, wd, def[i], wr,
            range[i], opts[i].help);
}
