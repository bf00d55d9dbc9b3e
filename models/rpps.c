/*
 * rpps.c — general practitioners of a territory from the RPPS extract
 * (rpps.h).
 *
 * One pass over the file.  A line reader refills a fixed buffer with fread
 * and hands out lines (memchr for '\n'), so memory does not depend on the
 * size of the extract; a line longer than the buffer is an error and is
 * skipped.  Each data line is cut at every '|' into (offset, length)
 * fields, its field count checked against the header's, then the filters
 * of rpps.h run cheapest first (profession, savoir-faire, mode, genre,
 * commune, territory), so that the ~98% of lines that are not GPs cost one
 * scan and two comparisons.  Kept (practitioner, site) pairs are merged
 * through a keyset; at the end they are sorted and numbered.  Errors stop
 * the reading once params.max_errors have been recorded.
 */
#include "rpps.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "keyset.h"
#include "strpool.h"

enum {
  C_PP,
  C_PROFESSION,
  C_SAVOIR_FAIRE,
  C_MODE,
  C_COMMUNE,
  C_TECH_ID,
  C_SIRET,
  C_GENRE,
  C_NUM_VOIE,
  C_INDICE,
  C_TYPE_VOIE,
  C_VOIE,
  C_POSTAL,
  C_NCOLS
};

static const struct {
  const char *name;
  bool required;
} cols[C_NCOLS] = {
    [C_PP] = {"Identifiant PP", true},
    [C_PROFESSION] = {"Code profession", true},
    [C_SAVOIR_FAIRE] = {"Code savoir-faire", true},
    [C_MODE] = {"Code mode exercice", true},
    [C_COMMUNE] = {"Code commune (coord. structure)", true},
    [C_TECH_ID] = {"Identifiant technique de la structure", false},
    [C_SIRET] = {"Numéro SIRET site", false},
    [C_GENRE] = {"Code genre activité", false},
    [C_NUM_VOIE] = {"Numéro Voie (coord. structure)", false},
    [C_INDICE] = {"Indice répétition voie (coord. structure)", false},
    [C_TYPE_VOIE] = {"Code type de voie (coord. structure)", false},
    [C_VOIE] = {"Libellé Voie (coord. structure)", false},
    [C_POSTAL] = {"Code postal (coord. structure)", false},
};

/* Spécialités ordinales of general medicine (NOS TRE_R38). */
static const char *const gp_codes[] = {"SM26", "SM53", "SM54"};

#define NAME_KEY_MAX 128
#define ECHO_MAX 40

/* ---- line reader ---------------------------------------------------- */

typedef struct lines {
  FILE *f;
  char *buf;
  size_t beg, end, cap;
  bool eof;
} lines;

typedef enum { L_LINE, L_TOO_LONG, L_EOF, L_ERROR } line_kind;

/* Next line in [*s, *s + *n) without its '\n'. */
static line_kind next_line(lines *l, const char **s, size_t *n) {
  bool too_long = false;
  for (;;) {
    char *nl = l->end > l->beg
                   ? memchr(l->buf + l->beg, '\n', l->end - l->beg)
                   : NULL;
    if (nl) {
      *s = l->buf + l->beg;
      *n = (size_t)(nl - *s);
      l->beg += *n + 1;
      return too_long ? L_TOO_LONG : L_LINE;
    }
    if (l->eof) {
      if (l->beg == l->end) return too_long ? L_TOO_LONG : L_EOF;
      *s = l->buf + l->beg;
      *n = l->end - l->beg;
      l->beg = l->end;
      return too_long ? L_TOO_LONG : L_LINE;
    }
    if (l->end - l->beg == l->cap) { /* a line that does not fit */
      too_long = true;
      l->beg = l->end = 0;
    } else if (l->beg > 0) {
      memmove(l->buf, l->buf + l->beg, l->end - l->beg);
      l->end -= l->beg;
      l->beg = 0;
    }
    size_t got = fread(l->buf + l->end, 1, l->cap - l->end, l->f);
    l->end += got;
    if (got == 0) {
      if (ferror(l->f)) return L_ERROR;
      l->eof = true;
    }
  }
}

/* ---- fields ---------------------------------------------------------- */

typedef struct field {
  const char *s;
  size_t n;
} field;

/* Cut s at every '|' into at most max fields; returns the number of
 * fields there are (which may exceed max: only max are stored). */
static size_t split(const char *s, size_t n, field *f, size_t max) {
  size_t k = 0;
  const char *end = s + n;
  for (;;) {
    const char *bar = memchr(s, '|', (size_t)(end - s));
    const char *e = bar ? bar : end;
    if (k < max) f[k] = (field){s, (size_t)(e - s)};
    k++;
    if (!bar) return k;
    s = bar + 1;
  }
}

static field trim(field f) {
  while (f.n && (f.s[0] == ' ' || f.s[0] == '\t')) f.s++, f.n--;
  while (f.n && (f.s[f.n - 1] == ' ' || f.s[f.n - 1] == '\t')) f.n--;
  return f;
}

static bool field_is(field f, const char *lit) {
  size_t n = strlen(lit);
  return f.n == n && memcmp(f.s, lit, n) == 0;
}

/* Letters, digits and "-_." only (identifiers go into CSV ids). */
static bool is_ident(field f) {
  if (f.n == 0) return false;
  for (size_t i = 0; i < f.n; i++) {
    unsigned char c = (unsigned char)f.s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
          (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.'))
      return false;
  }
  return true;
}

/* A printable, escaped, cut copy of f for messages. */
static const char *echo(field f, char *buf, size_t size) {
  size_t o = 0;
  for (size_t i = 0; i < f.n && o + 5 < size; i++) {
    unsigned char c = (unsigned char)f.s[i];
    if (i == ECHO_MAX) {
      memcpy(buf + o, "...", 3);
      o += 3;
      break;
    }
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\')
      o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
    else
      buf[o++] = (char)c;
  }
  buf[o] = '\0';
  return buf;
}

/* Header names compare by their ASCII letters, digits and punctuation,
 * lower-cased, with runs of spaces made one and non-ASCII bytes dropped:
 * "Numéro SIRET site" matches in UTF-8 and Latin-1 alike. */
static void name_key(const char *s, size_t n, char *out) {
  size_t o = 0;
  bool space = false;
  for (size_t i = 0; i < n && o + 2 < NAME_KEY_MAX; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) continue;
    if (c == ' ' || c == '\t') {
      space = o > 0;
      continue;
    }
    if (space) out[o++] = ' ';
    space = false;
    out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  out[o] = '\0';
}

/* ---- communes -------------------------------------------------------- */

/* The city of an arrondissement municipal (Paris, Lyon, Marseille). */
static const char *city_of(const char *code) {
  if (strlen(code) != 5) return NULL;
  int k = atoi(code + 3);
  if (!strncmp(code, "751", 3) && k >= 1 && k <= 20) return "75056";
  if (!strncmp(code, "6938", 4) && k >= 81 && k <= 89) return "69123";
  if (!strncmp(code, "132", 3) && k >= 1 && k <= 16) return "13055";
  return NULL;
}

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

static bool in_territory(const cpt_rpps_params *p, int32_t idx) {
  if (!p->territory) return true;
  return bsearch(&idx, p->territory, p->n_territory, sizeof idx, cmp_i32) !=
         NULL;
}

/* ---- the reader ------------------------------------------------------ */

typedef struct reader {
  const char *name;
  const cpt_rpps_params *p;
  cpt_diags *diags;
  int col[C_NCOLS]; /* field index, −1 when absent */
  size_t nf;        /* fields of the header */
  long line;
  size_t errors, max_errors;
  cpt_rpps_result *r;
  size_t cap;
  cpt_keyset *seen;
  field *f; /* CPT_RPPS_MAX_FIELDS + 1 */
  long unknown_line;
  char unknown_code[16];
  long n_unknown_codes;
} reader;

static void error(reader *rd, long col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error(reader *rd, long col, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  rd->errors++;
  if (rd->errors == rd->max_errors) /* the last one says why reading stops */
    cpt_diag_error(rd->diags, rd->name, rd->line, col,
                   "%s; stopped reading after %zu errors", msg, rd->errors);
  else
    cpt_diag_error(rd->diags, rd->name, rd->line, col, "%s", msg);
}

static field get(const reader *rd, int c) {
  int i = rd->col[c];
  if (i < 0) return (field){"", 0};
  return trim(rd->f[i]);
}

static cpt_status read_header(reader *rd, const char *s, size_t n) {
  if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) s += 3, n -= 3;
  size_t k = split(s, n, rd->f, CPT_RPPS_MAX_FIELDS + 1);
  /* the trailing '|'; from the text, as k may exceed the fields stored */
  if (k > 1 && s[n - 1] == '|') k--;
  if (k > CPT_RPPS_MAX_FIELDS) {
    error(rd, 0, "header has %zu columns; at most %d expected", k,
          CPT_RPPS_MAX_FIELDS);
    return CPT_EINPUT;
  }
  rd->nf = k;
  char want[C_NCOLS][NAME_KEY_MAX], have[NAME_KEY_MAX];
  for (int c = 0; c < C_NCOLS; c++) {
    rd->col[c] = -1;
    name_key(cols[c].name, strlen(cols[c].name), want[c]);
  }
  for (size_t i = 0; i < k; i++) {
    field f = trim(rd->f[i]);
    name_key(f.s, f.n, have);
    for (int c = 0; c < C_NCOLS; c++)
      if (rd->col[c] < 0 && !strcmp(have, want[c])) rd->col[c] = (int)i;
  }
  char missing[512] = "";
  size_t o = 0, nmiss = 0;
  for (int c = 0; c < C_NCOLS; c++)
    if (cols[c].required && rd->col[c] < 0 && o < sizeof missing) {
      o += (size_t)snprintf(missing + o, sizeof missing - o, "%s'%s'",
                            nmiss ? ", " : "", cols[c].name);
      nmiss++;
    }
  if (nmiss) {
    error(rd, 0,
          "missing column%s %s (expected the '|'-separated header of "
          "PS_LibreAcces_Personne_activite_*.txt)",
          nmiss > 1 ? "s" : "", missing);
    return CPT_EINPUT;
  }
  return CPT_OK;
}

static bool is_gp_code(field f) {
  for (size_t i = 0; i < sizeof gp_codes / sizeof *gp_codes; i++)
    if (field_is(f, gp_codes[i])) return true;
  return false;
}

/* Append f to buf at *o, upper-cased, spaces collapsed. */
static void put_norm(char *buf, size_t size, size_t *o, field f) {
  bool space = false;
  for (size_t i = 0; i < f.n && *o + 2 < size; i++) {
    unsigned char c = (unsigned char)f.s[i];
    if (c == ' ' || c == '\t') {
      space = i > 0;
      continue;
    }
    if (space) buf[(*o)++] = ' ';
    space = false;
    buf[(*o)++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  if (*o + 1 < size) buf[(*o)++] = '|';
}

/* FNV-1a, 64 bits: fixed here so that site ids never change. */
static uint64_t fnv1a(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

/* The site id of the current line into buf; false after an error. */
static bool site_id(reader *rd, const char *insee, char *buf, size_t size) {
  char e[64];
  field tech = get(rd, C_TECH_ID), siret = get(rd, C_SIRET);
  if (tech.n) {
    if (!is_ident(tech) || tech.n + 2 > size) {
      error(rd, rd->col[C_TECH_ID] + 1,
            "column 'Identifiant technique de la structure': expected "
            "letters and digits, got \"%s\"",
            echo(tech, e, sizeof e));
      return false;
    }
    snprintf(buf, size, "S%.*s", (int)tech.n, tech.s);
    return true;
  }
  if (siret.n) {
    bool digits = siret.n <= 20;
    for (size_t i = 0; i < siret.n && digits; i++)
      digits = siret.s[i] >= '0' && siret.s[i] <= '9';
    if (!digits) {
      error(rd, rd->col[C_SIRET] + 1,
            "column 'Numéro SIRET site': expected digits, got \"%s\"",
            echo(siret, e, sizeof e));
      return false;
    }
    snprintf(buf, size, "SIRET%.*s", (int)siret.n, siret.s);
    return true;
  }
  char addr[1024];
  size_t o = 0;
  static const int parts[] = {C_NUM_VOIE, C_INDICE, C_TYPE_VOIE, C_VOIE,
                              C_POSTAL};
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
    put_norm(addr, sizeof addr, &o, get(rd, parts[i]));
  put_norm(addr, sizeof addr, &o, (field){insee, strlen(insee)});
  uint64_t h = fnv1a(addr, o);
  snprintf(buf, size, "A%s-%012llx", insee,
           (unsigned long long)(h & 0xFFFFFFFFFFFFull));
  return true;
}

static cpt_status keep(reader *rd, field pp, const char *site,
                       const char *insee, int32_t commune) {
  char key[256];
  int kn = snprintf(key, sizeof key, "%.*s\x1f%s", (int)pp.n, pp.s, site);
  if (kn < 0 || (size_t)kn >= sizeof key) return CPT_EINTERNAL;
  const char *st = cpt_keyset_stash(rd->seen, key, (size_t)kn);
  if (!st) return CPT_ENOMEM;
  long prev = cpt_keyset_insert(rd->seen, cpt_keyset_hash(st, (size_t)kn), st,
                                rd->line);
  if (prev < 0) return CPT_ENOMEM;
  if (prev > 0) {
    rd->r->stats.duplicates++;
    return CPT_OK;
  }
  cpt_rpps_result *r = rd->r;
  if (r->n == rd->cap) {
    size_t cap = rd->cap ? 2 * rd->cap : 256;
    cpt_rpps_site *v = realloc(r->v, cap * sizeof *v);
    if (!v) return CPT_ENOMEM;
    r->v = v;
    rd->cap = cap;
  }
  cpt_rpps_site *s = &r->v[r->n];
  memset(s, 0, sizeof *s);
  s->pp = cpt_strpool_dup(r->pool, pp.s, pp.n);
  s->site = cpt_strpool_dup(r->pool, site, strlen(site));
  if (!s->pp || !s->site) return CPT_ENOMEM;
  snprintf(s->insee, sizeof s->insee, "%s", insee);
  s->commune = commune;
  s->line = rd->line;
  r->n++;
  return CPT_OK;
}

/* Filter one data line; CPT_OK also when the line is dropped or bad. */
static cpt_status data_line(reader *rd, const char *s, size_t n) {
  cpt_rpps_stats *st = &rd->r->stats;
  size_t k = split(s, n, rd->f, CPT_RPPS_MAX_FIELDS + 1);
  /* a trailing '|'; from the text, as k may exceed the fields stored */
  bool bar = k > 1 && s[n - 1] == '|';
  if (bar && k == rd->nf + 1) k--;
  st->lines++;
  if (k != rd->nf) {
    error(rd, 0, "expected %zu '|'-separated fields as in the header, got %zu",
          rd->nf, bar ? k - 1 : k);
    return CPT_OK;
  }
  if (!field_is(get(rd, C_PROFESSION), "10")) return CPT_OK;
  st->doctors++;
  if (!is_gp_code(get(rd, C_SAVOIR_FAIRE))) return CPT_OK;
  st->gp++;
  field mode = get(rd, C_MODE);
  if (field_is(mode, "S")) {
    if (!rd->p->include_salaried) {
      st->salaried++;
      return CPT_OK;
    }
  } else if (!field_is(mode, "L")) {
    st->other_mode++;
    return CPT_OK;
  }
  field genre = get(rd, C_GENRE);
  if (genre.n && !field_is(genre, "GENR01")) {
    st->replacement++;
    return CPT_OK;
  }
  field com = get(rd, C_COMMUNE);
  if (com.n == 0) {
    st->no_commune++;
    return CPT_OK;
  }
  char insee[8];
  int32_t idx = -1;
  if (com.n < sizeof insee) {
    memcpy(insee, com.s, com.n);
    insee[com.n] = '\0';
    idx = cpt_communes_find(rd->p->communes, insee);
  }
  if (idx < 0) {
    if (rd->n_unknown_codes++ == 0) {
      rd->unknown_line = rd->line;
      echo(com, rd->unknown_code, sizeof rd->unknown_code);
    }
    st->unknown_commune++;
    return CPT_OK;
  }
  if (!in_territory(rd->p, idx)) {
    const char *city = city_of(insee);
    int32_t ci = city ? cpt_communes_find(rd->p->communes, city) : -1;
    if (ci < 0 || !in_territory(rd->p, ci)) {
      st->outside++;
      return CPT_OK;
    }
  }
  field pp = get(rd, C_PP);
  if (!is_ident(pp) || pp.n > 64) {
    char e[64];
    error(rd, rd->col[C_PP] + 1,
          "column 'Identifiant PP': expected letters and digits, got \"%s\"",
          echo(pp, e, sizeof e));
    return CPT_OK;
  }
  char site[128];
  if (!site_id(rd, insee, site, sizeof site)) return CPT_OK;
  return keep(rd, pp, site, insee, idx);
}

static int cmp_site(const void *a, const void *b) {
  const cpt_rpps_site *x = a, *y = b;
  int k = strcmp(x->pp, y->pp);
  return k ? k : strcmp(x->site, y->site);
}

/* Sort, number the sites of each practitioner, count practitioners. */
static cpt_status finish(cpt_rpps_result *r) {
  if (r->n) qsort(r->v, r->n, sizeof *r->v, cmp_site);
  size_t rank = 0;
  for (size_t i = 0; i < r->n; i++) {
    bool first = i == 0 || strcmp(r->v[i].pp, r->v[i - 1].pp) != 0;
    rank = first ? 1 : rank + 1;
    if (first) r->stats.practitioners++;
    char id[96];
    int n = rank == 1 ? snprintf(id, sizeof id, "RPPS%s", r->v[i].pp)
                      : snprintf(id, sizeof id, "RPPS%s-%zu", r->v[i].pp, rank);
    r->v[i].id = cpt_strpool_dup(r->pool, id, (size_t)n);
    if (!r->v[i].id) return CPT_ENOMEM;
  }
  return CPT_OK;
}

void cpt_rpps_params_init(cpt_rpps_params *p) {
  memset(p, 0, sizeof *p);
  p->max_errors = 50;
}

void cpt_rpps_result_free(cpt_rpps_result *r) {
  if (!r) return;
  free(r->v);
  cpt_strpool_free(r->pool);
  free(r);
}

cpt_status cpt_rpps_read(FILE *f, const char *name, const cpt_rpps_params *p,
                         cpt_rpps_result **out, cpt_diags *diags) {
  *out = NULL;
  if (!p->communes) {
    cpt_diag_error(diags, name, 0, 0,
                   "no communes table: cannot place practitioners");
    return CPT_EPARAM;
  }
  reader rd;
  memset(&rd, 0, sizeof rd);
  rd.name = name;
  rd.p = p;
  rd.diags = diags;
  lines l = {f, NULL, 0, 0, CPT_RPPS_MAX_LINE, false};
  cpt_status st = CPT_ENOMEM;
  l.buf = malloc(l.cap);
  rd.f = malloc((CPT_RPPS_MAX_FIELDS + 1) * sizeof *rd.f);
  rd.r = calloc(1, sizeof *rd.r);
  rd.seen = cpt_keyset_new(1024);
  if (!l.buf || !rd.f || !rd.r || !rd.seen) goto done;
  rd.r->pool = cpt_strpool_new();
  if (!rd.r->pool) goto done;

  rd.max_errors = p->max_errors ? p->max_errors : 50;
  bool header = false;
  st = CPT_OK;
  for (;;) {
    const char *s;
    size_t n;
    line_kind kind = next_line(&l, &s, &n);
    if (kind == L_EOF) break;
    rd.line++;
    if (kind == L_ERROR) {
      cpt_diag_error(diags, name, rd.line, 0, "read error: %s",
                     strerror(errno));
      st = CPT_EIO;
      break;
    }
    if (kind == L_TOO_LONG) {
      error(&rd, 0, "line longer than %d bytes", CPT_RPPS_MAX_LINE);
    } else {
      if (n && s[n - 1] == '\r') n--;
      if (!header) {
        header = true;
        st = read_header(&rd, s, n);
        if (st != CPT_OK) break;
      } else if (n > 0) {
        st = data_line(&rd, s, n);
        if (st != CPT_OK) break;
      }
    }
    if (rd.errors >= rd.max_errors) break;
  }
  if (st == CPT_OK && !header) {
    cpt_diag_error(diags, name, 0, 0,
                   "empty file: expected the header line of "
                   "PS_LibreAcces_Personne_activite_*.txt");
    rd.errors++;
  }
  if (st == CPT_OK && rd.n_unknown_codes)
    cpt_diag_warn(diags, name, rd.unknown_line, rd.col[C_COMMUNE] + 1,
                  "%ld general-practitioner line%s skipped: commune code "
                  "not in the communes table (first: \"%s\")",
                  rd.n_unknown_codes, rd.n_unknown_codes > 1 ? "s" : "",
                  rd.unknown_code);
  if (st == CPT_OK && rd.errors) st = CPT_EINPUT;
  if (st == CPT_OK) st = finish(rd.r);
  if (st == CPT_OK) {
    *out = rd.r;
    rd.r = NULL;
  }
done:
  if (st == CPT_ENOMEM) cpt_diag_error(diags, name, 0, 0, "out of memory");
  cpt_rpps_result_free(rd.r);
  cpt_keyset_free(rd.seen);
  free(rd.f);
  free(l.buf);
  return st;
}

cpt_status cpt_rpps_load(const char *path, const cpt_rpps_params *p,
                         cpt_rpps_result **out, cpt_diags *diags) {
  *out = NULL;
  bool std_in = !strcmp(path, "-");
  FILE *f = std_in ? stdin : fopen(path, "rb");
  if (!f) {
    cpt_diag_error(diags, path, 0, 0, "cannot open: %s", strerror(errno));
    return CPT_EIO;
  }
  cpt_status st = cpt_rpps_read(f, std_in ? "<stdin>" : path, p, out, diags);
  if (!std_in) fclose(f);
  return st;
}
