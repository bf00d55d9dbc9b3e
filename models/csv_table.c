/*
 * csv_table.c — reading a CSV file for a reader: encoding, separator,
 * libcsv parsing with line tracking, header checks, row checks (csv_table.h).
 *
 * Passes over the buffer:
 *   1. UTF-8 validation (csv_text.c); a file with bad bytes is not parsed
 *      further.
 *   2. Separator detection on the first non-blank line (csv_text.c), and a
 *      line count that sizes the tables.
 *   3. libcsv (strict) is fed one physical line at a time.  Its field
 *      callback fires when a delimiter or terminator is seen, which is on
 *      the line being fed, so the line where field k+1 starts is the line
 *      being fed when field k ended; a record starts on the first non-blank
 *      line fed while no record is open.  A quoting error is reported and
 *      the parser restarts on the next line.
 * The first record is the header; each later record is checked (field
 * count, unique keys) and handed to the reader's callback.  Row fields are
 * copied into one reusable buffer.  Keys of UNIQUE columns are checked in
 * batches of BATCH rows whose hash slots are prefetched together
 * (keyset.h); the batch is flushed before any other message is recorded,
 * so messages stay in file order.
 */
#include "csv_table.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_text.h"
#include "keyset.h"

enum { BATCH = 64 };

typedef struct field {
  size_t off, len; /* in r->buf; NUL-terminated there */
  long line;       /* line where the field starts */
  bool bad;        /* rejected (too long); reported already */
} field;

typedef struct pending_key {
  uint64_t h;
  const char *s; /* stashed in the column's key set */
  long line, fcol;
  int col;       /* schema column */
} pending_key;

struct cpt_csv {
  const char *name;
  const cpt_csv_schema *schema;
  cpt_diags *diags;
  size_t errors0; /* diags->n_errors when the reading began */
  cpt_csv_fn on_header, on_row;
  void *ctx;
  char sep;
  struct csv_parser p;
  long cur_line;        /* physical line being fed */
  long rec_line;        /* line where the open record starts */
  long next_field_line; /* line where the next field starts */
  long header_line;
  bool pending;         /* a record is open */
  bool have_header;
  bool stop;
  cpt_status st;        /* CPT_ENOMEM or a callback's abort status */
  char *buf;            /* fields of the open record */
  size_t blen, bcap;
  field *f;
  size_t nf, fcap;
  size_t n_file_cols;
  size_t rows_hint;     /* line breaks in the file ≥ data rows */
  int *pos;             /* schema column -> file column, or -1 */
  cpt_keyset **keys;    /* per schema column (UNIQUE ones), lazily */
  pending_key q[BATCH]; /* keys not yet checked, in file order */
  size_t nq;
  char *expected_built;
};

/* --- Unique keys -------------------------------------------------------- */

static void fail(cpt_csv *r, cpt_status st) {
  r->st = st;
  r->stop = true;
}

/* Check the queued keys in order; duplicates are reported here. */
static void flush_keys(cpt_csv *r) {
  size_t n = r->nq;
  r->nq = 0;
  for (size_t i = 0; i < n && r->st == CPT_OK; i++) {
    const pending_key *k = &r->q[i];
    long first = cpt_keyset_insert(r->keys[k->col], k->h, k->s, k->line);
    if (first < 0)
      fail(r, CPT_ENOMEM);
    else if (first > 0)
      cpt_diag_error(r->diags, r->name, k->line, k->fcol,
                     "column '%s': duplicate value (first seen at line %ld)",
                     r->schema->cols[k->col].name, first);
  }
}

static void queue_key(cpt_csv *r, int col, const field *f) {
  if (!r->keys[col] && !(r->keys[col] = cpt_keyset_new(r->rows_hint))) {
    fail(r, CPT_ENOMEM);
    return;
  }
  const char *s = r->buf + f->off;
  pending_key *k = &r->q[r->nq];
  k->h = cpt_keyset_hash(s, f->len);
  k->s = cpt_keyset_stash(r->keys[col], s, f->len);
  k->line = f->line;
  k->fcol = r->pos[col] + 1;
  k->col = col;
  if (!k->s) {
    fail(r, CPT_ENOMEM);
    return;
  }
  cpt_keyset_prefetch(r->keys[col], k->h);
  if (++r->nq == BATCH) flush_keys(r);
}

/* --- Diagnostics -------------------------------------------------------- */

static void record(cpt_csv *r, bool err, long line, long col,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void vrecord(cpt_csv *r, bool err, long line, long col,
                    const char *prefix, const char *fmt, va_list ap) {
  char msg[900];
  vsnprintf(msg, sizeof msg, fmt, ap);
  flush_keys(r);
  if (err)
    cpt_diag_error(r->diags, r->name, line, col, "%s%s", prefix, msg);
  else
    cpt_diag_warn(r->diags, r->name, line, col, "%s%s", prefix, msg);
}

static void record(cpt_csv *r, bool err, long line, long col,
                   const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vrecord(r, err, line, col, "", fmt, ap);
  va_end(ap);
}

static void located(cpt_csv *r, bool err, int col, const char *fmt,
                    va_list ap) {
  if (col < 0 || (size_t)col >= r->schema->n_cols) {
    vrecord(r, err, r->rec_line, 0, "", fmt, ap);
    return;
  }
  char prefix[160];
  snprintf(prefix, sizeof prefix, "column '%s': ",
           r->schema->cols[col].name);
  int fc = r->pos ? r->pos[col] : -1;
  if (fc < 0 || (size_t)fc >= r->nf)
    vrecord(r, err, r->rec_line, 0, prefix, fmt, ap);
  else
    vrecord(r, err, r->f[fc].line, fc + 1, prefix, fmt, ap);
}

void cpt_csv_error(cpt_csv *r, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  located(r, true, col, fmt, ap);
  va_end(ap);
}

void cpt_csv_warn(cpt_csv *r, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  located(r, false, col, fmt, ap);
  va_end(ap);
}

void cpt_csv_header_error(cpt_csv *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vrecord(r, true, r->header_line, 0, "", fmt, ap);
  va_end(ap);
}

/* --- Accessors ---------------------------------------------------------- */

long cpt_csv_line(const cpt_csv *r) { return r->rec_line; }
size_t cpt_csv_rows_hint(const cpt_csv *r) { return r->rows_hint; }
char cpt_csv_sep(const cpt_csv *r) { return r->sep; }
const char *cpt_csv_name(const cpt_csv *r) { return r->name; }
bool cpt_csv_failed(const cpt_csv *r) {
  return r->diags->n_errors > r->errors0;
}

const char *cpt_csv_expected(const cpt_csv *r) {
  return r->schema->expected ? r->schema->expected
                             : (r->expected_built ? r->expected_built : "");
}

bool cpt_csv_has(const cpt_csv *r, int col) {
  return col >= 0 && (size_t)col < r->schema->n_cols && r->pos &&
         r->pos[col] >= 0;
}

const char *cpt_csv_col_name(const cpt_csv *r, int col) {
  if (col < 0 || (size_t)col >= r->schema->n_cols) return "";
  return r->schema->cols[col].name;
}

unsigned cpt_csv_col_flags(const cpt_csv *r, int col) {
  if (col < 0 || (size_t)col >= r->schema->n_cols) return 0;
  return r->schema->cols[col].flags;
}

cpt_field cpt_csv_raw(const cpt_csv *r, int col, const char **s, size_t *len,
                      long *line, long *fcol) {
  *s = "";
  *len = 0;
  if (line) *line = r->rec_line;
  if (fcol) *fcol = 0;
  if (!cpt_csv_has(r, col)) return CPT_FIELD_EMPTY;
  int fc = r->pos[col];
  if ((size_t)fc >= r->nf) return CPT_FIELD_EMPTY;
  const field *f = &r->f[fc];
  if (line) *line = f->line;
  if (fcol) *fcol = fc + 1;
  if (f->bad) return CPT_FIELD_BAD;
  if (f->len == 0) return CPT_FIELD_EMPTY;
  *s = r->buf + f->off;
  *len = f->len;
  return CPT_FIELD_OK;
}

/* --- Header and rows ---------------------------------------------------- */

static bool name_eq(const char *a, size_t alen, const char *b) {
  size_t i = 0;
  for (; i < alen && b[i]; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x >= 'A' && x <= 'Z') x = (unsigned char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (unsigned char)(y - 'A' + 'a');
    if (x != y) return false;
  }
  return i == alen && b[i] == '\0';
}

static void match_columns(cpt_csv *r) {
  const cpt_csv_schema *sc = r->schema;
  char echo[256];
  for (size_t i = 0; i < r->nf; i++) {
    const field *f = &r->f[i];
    const char *nm = r->buf + f->off;
    long col = (long)i + 1;
    if (f->bad) continue;
    if (f->len == 0) {
      if (!sc->silent_unknown)
        record(r, false, f->line, col, "column %ld has no name; ignored",
               col);
      continue;
    }
    size_t k = 0;
    while (k < i && (r->f[k].bad || r->f[k].len != f->len ||
                     !name_eq(nm, f->len, r->buf + r->f[k].off)))
      k++;
    if (k < i) {
      record(r, true, f->line, col, "duplicate column %s (also column %zu)",
             cpt_csv_echo(nm, f->len, echo, sizeof echo), k + 1);
      continue;
    }
    size_t s = 0;
    while (s < sc->n_cols && !name_eq(nm, f->len, sc->cols[s].name)) s++;
    if (s < sc->n_cols)
      r->pos[s] = (int)i;
    else if (!sc->silent_unknown)
      record(r, false, f->line, col,
             "unknown column %s is ignored (expected: %s)",
             cpt_csv_echo(nm, f->len, echo, sizeof echo),
             cpt_csv_expected(r));
  }
}

static void do_header(cpt_csv *r) {
  const cpt_csv_schema *sc = r->schema;
  size_t e0 = r->diags->n_errors;
  r->header_line = r->rec_line;
  r->have_header = true;
  r->n_file_cols = r->nf;
  match_columns(r);
  char missing[600];
  size_t m = 0, nmiss = 0;
  missing[0] = '\0';
  for (size_t s = 0; s < sc->n_cols; s++) {
    if (!(sc->cols[s].flags & CPT_CSV_REQUIRED) || r->pos[s] >= 0) continue;
    int k = snprintf(missing + m, sizeof missing - m, "%s'%s'",
                     nmiss ? ", " : "", sc->cols[s].name);
    if (k > 0 && (size_t)k < sizeof missing - m) m += (size_t)k;
    nmiss++;
  }
  if (nmiss)
    record(r, true, r->header_line, 0, "missing column%s %s (expected: %s)",
           nmiss > 1 ? "s" : "", missing, cpt_csv_expected(r));
  if (r->diags->n_errors > e0) {
    r->stop = true;
    return;
  }
  if (r->on_header) {
    cpt_status st = r->on_header(r, r->ctx);
    if (st == CPT_EINPUT)
      r->stop = true;
    else if (st != CPT_OK)
      fail(r, st);
  }
}

static void do_row(cpt_csv *r) {
  if (r->nf != r->n_file_cols) {
    long col = r->nf > r->n_file_cols ? (long)r->n_file_cols + 1 : 0;
    record(r, true, r->rec_line, col,
           "expected %zu fields (as in the header), found %zu",
           r->n_file_cols, r->nf);
    return;
  }
  for (size_t s = 0; s < r->schema->n_cols && !r->stop; s++) {
    if (!(r->schema->cols[s].flags & CPT_CSV_UNIQUE) || r->pos[s] < 0)
      continue;
    const field *f = &r->f[r->pos[s]];
    if (!f->bad && f->len > 0) queue_key(r, (int)s, f);
  }
  if (r->stop) return;
  cpt_status st = r->on_row(r, r->ctx);
  if (st != CPT_OK) fail(r, st);
}

/* --- libcsv callbacks --------------------------------------------------- */

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static void too_long(cpt_csv *r, const field *f, const char *s, size_t len) {
  const char *hint =
      memchr(s, '\n', len) ? "; is a closing quote missing?" : "";
  int fc = (int)r->nf - 1, sc = -1;
  for (size_t k = 0; r->have_header && k < r->schema->n_cols; k++)
    if (r->pos[k] == fc) sc = (int)k;
  if (sc >= 0)
    record(r, true, f->line, fc + 1,
           "column '%s': field too long (%zu bytes, at most %d)%s",
           r->schema->cols[sc].name, len, CPT_CSV_MAX_FIELD, hint);
  else
    record(r, true, f->line, fc + 1,
           "field too long (%zu bytes, at most %d)%s", len,
           CPT_CSV_MAX_FIELD, hint);
}

static void on_field(void *data, size_t len, void *vr) {
  cpt_csv *r = vr;
  if (r->stop) return;
  const char *s = data ? data : "";
  while (len && is_blank(*s)) s++, len--;
  while (len && is_blank(s[len - 1])) len--;
  if (!r->pending) {
    r->pending = true;
    r->rec_line = r->next_field_line = r->cur_line;
  }
  if (r->nf == r->fcap) {
    size_t cap = r->fcap ? 2 * r->fcap : 32;
    field *f = realloc(r->f, cap * sizeof *f);
    if (!f) {
      fail(r, CPT_ENOMEM);
      return;
    }
    r->f = f;
    r->fcap = cap;
  }
  field *f = &r->f[r->nf++];
  f->line = r->next_field_line;
  r->next_field_line = r->cur_line;
  f->bad = len > CPT_CSV_MAX_FIELD;
  if (f->bad) {
    too_long(r, f, s, len);
    len = 0;
  }
  if (r->bcap - r->blen < len + 1) {
    size_t cap = r->bcap ? r->bcap : 4096;
    while (cap - r->blen < len + 1) cap *= 2;
    char *b = realloc(r->buf, cap);
    if (!b) {
      fail(r, CPT_ENOMEM);
      return;
    }
    r->buf = b;
    r->bcap = cap;
  }
  f->off = r->blen;
  f->len = len;
  memcpy(r->buf + r->blen, s, len);
  r->buf[r->blen + len] = '\0';
  r->blen += len + 1;
}

static void on_record(int c, void *vr) {
  cpt_csv *r = vr;
  (void)c;
  if (!r->stop) {
    if (!r->have_header)
      do_header(r);
    else
      do_row(r);
  }
  r->nf = 0;
  r->blen = 0;
  r->pending = false;
}

/* --- Passes over the buffer --------------------------------------------- */

static bool blank_line(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_blank(s[i]) && s[i] != '\r' && s[i] != '\n') return false;
  return true;
}

static int parser_init(cpt_csv *r) {
  if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) return -1;
  csv_set_delim(&r->p, (unsigned char)r->sep);
  return 0;
}

/* Feed the buffer to libcsv line by line; finishes and frees the parser. */
static void parse_lines(cpt_csv *r, const char *s, size_t n, char eol) {
  size_t at = 0;
  r->cur_line = 1;
  while (at < n && !r->stop) {
    const char *nl = memchr(s + at, eol, n - at);
    size_t end = nl ? (size_t)(nl - s) + 1 : n;
    if (!r->pending && !blank_line(s + at, end - at)) {
      r->pending = true;
      r->rec_line = r->next_field_line = r->cur_line;
    }
    size_t used = csv_parse(&r->p, s + at, end - at, on_field, on_record, r);
    if (used < end - at && !r->stop) {
      if (csv_error(&r->p) != CSV_EPARSE) {
        fail(r, CPT_ENOMEM);
        break;
      }
      record(r, true, r->next_field_line, (long)r->nf + 1,
             "misplaced quote: quote a whole field, and double the quotes "
             "inside it (\"\")");
      if (!r->have_header) r->stop = true;
      csv_free(&r->p);
      if (parser_init(r) != 0) {
        fail(r, CPT_ENOMEM);
        return; /* no live parser left to free */
      }
      r->nf = r->blen = 0;
      r->pending = false;
    }
    at = end;
    r->cur_line++;
  }
  if (!r->stop && csv_fini(&r->p, on_field, on_record, r) != 0) {
    if (csv_error(&r->p) == CSV_ENOMEM) {
      fail(r, CPT_ENOMEM);
    } else {
      record(r, true, r->next_field_line, (long)r->nf + 1,
             "unterminated quoted field: the closing quote is missing");
      r->stop = !r->have_header;
    }
  }
  csv_free(&r->p);
}

/* --- Entry points ------------------------------------------------------- */

static cpt_status setup(cpt_csv *r) {
  const cpt_csv_schema *sc = r->schema;
  size_t n = sc->n_cols ? sc->n_cols : 1;
  r->pos = malloc(n * sizeof *r->pos);
  r->keys = calloc(n, sizeof *r->keys);
  if (!r->pos || !r->keys) return CPT_ENOMEM;
  for (size_t s = 0; s < sc->n_cols; s++) r->pos[s] = -1;
  if (!sc->expected) {
    size_t need = 1;
    for (size_t s = 0; s < sc->n_cols; s++)
      need += strlen(sc->cols[s].name) + 2;
    r->expected_built = malloc(need);
    if (!r->expected_built) return CPT_ENOMEM;
    r->expected_built[0] = '\0';
    for (size_t s = 0; s < sc->n_cols; s++) {
      if (s) strcat(r->expected_built, ", ");
      strcat(r->expected_built, sc->cols[s].name);
    }
  }
  return CPT_OK;
}

static void teardown(cpt_csv *r) {
  if (r->keys)
    for (size_t s = 0; s < r->schema->n_cols; s++)
      cpt_keyset_free(r->keys[s]);
  free(r->keys);
  free(r->pos);
  free(r->buf);
  free(r->f);
  free(r->expected_built);
}

cpt_status cpt_csv_read(const char *name, const char *buf, size_t len,
                        const cpt_csv_schema *schema, cpt_csv_fn on_header,
                        cpt_csv_fn on_row, void *ctx, cpt_diags *diags) {
  if (!schema || !on_row || !diags || (!buf && len)) return CPT_EPARAM;
  cpt_csv r;
  memset(&r, 0, sizeof r);
  r.name = name;
  r.schema = schema;
  r.diags = diags;
  r.errors0 = diags->n_errors;
  r.on_header = on_header;
  r.on_row = on_row;
  r.ctx = ctx;
  r.st = setup(&r);
  if (!buf) buf = "";
  if (r.st != CPT_OK) goto done;

  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) buf += 3, len -= 3;
  char eol = '\n';
  if (!memchr(buf, '\n', len) && memchr(buf, '\r', len)) eol = '\r';
  if (len >= 2 && (memcmp(buf, "\xFF\xFE", 2) == 0 ||
                   memcmp(buf, "\xFE\xFF", 2) == 0)) {
    record(&r, true, 1, 1, "the file is UTF-16; save it as UTF-8");
    goto done;
  }
  if (cpt_csv_check_utf8(name, buf, len, eol, diags) > 0) goto done;
  r.sep = cpt_csv_detect_sep(buf, len);
  for (const char *p = buf, *e = buf + len;
       (p = memchr(p, eol, (size_t)(e - p))) != NULL; p++)
    r.rows_hint++;
  if (parser_init(&r) != 0) {
    r.st = CPT_ENOMEM;
    goto done;
  }
  parse_lines(&r, buf, len, eol);
  flush_keys(&r);
  if (r.st == CPT_OK && !r.have_header && !r.stop)
    record(&r, true, 0, 0, "empty file: expected a header row");
done:
  teardown(&r);
  if (r.st != CPT_OK) return r.st;
  return diags->n_errors > r.errors0 ? CPT_EINPUT : CPT_OK;
}

cpt_status cpt_csv_read_file(const char *path, const cpt_csv_schema *schema,
                             cpt_csv_fn on_header, cpt_csv_fn on_row,
                             void *ctx, cpt_diags *diags) {
  cpt_csv_bytes f;
  cpt_status st = cpt_csv_bytes_open(path, &f, diags);
  if (st != CPT_OK) return st;
  st = cpt_csv_read(path, f.data, f.len, schema, on_header, on_row, ctx,
                    diags);
  cpt_csv_bytes_close(&f);
  return st;
}
