/*
 * csv_table.h — the CSV layer shared by every reader (SPEC §4, §5).
 *
 * A reader describes its columns in a schema and receives one callback per
 * data row; this layer does everything else, the same way for every file:
 *
 *   - reads the whole file (or takes a buffer), skips a UTF-8 BOM and
 *     rejects invalid UTF-8 and NUL bytes (FILE:LINE:BYTE of each bad line);
 *   - detects the separator from the header line: ';' when it has more
 *     semicolons than commas outside quotes, else ',';
 *   - parses with libcsv in strict mode (quotes must be balanced and
 *     doubled inside quoted fields), line by line so that every record and
 *     every field knows the physical line where it starts (a quoted field
 *     may span lines); blank lines are skipped; spaces and tabs around every
 *     field are trimmed; a field is at most CPT_CSV_MAX_FIELD bytes;
 *   - checks the header: column names match the schema case-insensitively
 *     after trimming; a duplicate name is an error; a REQUIRED column that
 *     is missing is an error listing what was expected; an unknown column
 *     is a warning (or ignored silently when the schema says so);
 *   - checks every data row: a row whose field count differs from the
 *     header's is an error and is not passed on; a UNIQUE column's
 *     non-empty values must be distinct (the message gives the line of the
 *     first occurrence and never echoes the value, which may be health
 *     data).
 *
 * Field accessors parse typed values and record errors of the form
 *   FILE:LINE:COL: error: column 'age': expected an integer 0–120, got "7O"
 * where LINE is the line where the field starts and COL its 1-based field
 * index in the file.  Echoed values are escaped and cut to
 * CPT_CSV_ECHO_MAX bytes.  Errors never stop the reading of a file: every
 * row is checked, so all errors are listed (diags keeps up to its cap and
 * counts the rest).  A file with a header and no rows is valid.
 *
 * Nothing here is global: two threads may read two files at once.
 * Implemented by csv_table.c (parsing, header, rows), csv_field.c (typed
 * accessors), csv_text.c (UTF-8, separator), csv_file.c (file bytes) and
 * keyset.c (unique keys).
 */
#ifndef CPT_CSV_TABLE_H
#define CPT_CSV_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../solver/diag.h"
#include "../solver/status.h"

#define CPT_CSV_MAX_FIELD 1024 /* bytes in one field, after trimming */
#define CPT_CSV_ECHO_MAX 40    /* bytes of a bad value echoed in messages */

/* Column flags. */
enum {
  CPT_CSV_REQUIRED = 1u << 0, /* the header must have this column */
  CPT_CSV_NONEMPTY = 1u << 1, /* accessors reject an empty value */
  CPT_CSV_UNIQUE = 1u << 2    /* non-empty values are distinct */
};

typedef struct cpt_csv_col {
  const char *name; /* lower case, as written in messages */
  unsigned flags;
} cpt_csv_col;

typedef struct cpt_csv_schema {
  const cpt_csv_col *cols; /* indexed by the reader's column enum */
  size_t n_cols;
  const char *expected;    /* the columns as listed in messages, e.g.
                              "id, commune | lat+lon, age"; NULL = the
                              names joined with ", " */
  bool silent_unknown;     /* unknown columns: no warning */
} cpt_csv_schema;

/* The state of one reading, passed to the callbacks. */
typedef struct cpt_csv cpt_csv;

/* What an accessor found. */
typedef enum cpt_field {
  CPT_FIELD_OK = 0, /* a value, stored in *out */
  CPT_FIELD_EMPTY,  /* empty field or column absent; *out untouched */
  CPT_FIELD_BAD     /* an error was recorded; *out untouched */
} cpt_field;

/* Callbacks.  on_header runs once after a header without errors (a place
 * for checks across columns, such as "commune or lat+lon"); on_row runs
 * for each data row with the right field count.  Return CPT_OK to go on;
 * from on_header, CPT_EINPUT stops the reading (record the errors first);
 * any other status (CPT_ENOMEM) aborts it and is returned as is. */
typedef cpt_status (*cpt_csv_fn)(cpt_csv *r, void *ctx);

/* Read a file held in memory; name is used in messages.  buf need not be
 * NUL-terminated.  on_header may be NULL.  Returns CPT_OK when no error was
 * recorded, CPT_EINPUT when some were (all in diags), CPT_ENOMEM, or the
 * status a callback aborted with. */
cpt_status cpt_csv_read(const char *name, const char *buf, size_t len,
                        const cpt_csv_schema *schema, cpt_csv_fn on_header,
                        cpt_csv_fn on_row, void *ctx, cpt_diags *diags);

/* The same for a file on disk; name in messages = path.  CPT_EIO (with a
 * located message in diags) when it cannot be read. */
cpt_status cpt_csv_read_file(const char *path, const cpt_csv_schema *schema,
                             cpt_csv_fn on_header, cpt_csv_fn on_row,
                             void *ctx, cpt_diags *diags);

/* A file's bytes: mapped read-only when it is a regular file, else read
 * into memory (a pipe).  data is never NULL (an empty file gives "", 0).
 * Open gives CPT_EIO / CPT_ENOMEM with a message in diags; close releases
 * (NULL-safe). */
typedef struct cpt_csv_bytes {
  const char *data;
  size_t len;
  void *map;   /* private: the mapping, or NULL */
  size_t map_len;
  char *owned; /* private: the malloc'ed copy, or NULL */
} cpt_csv_bytes;

cpt_status cpt_csv_bytes_open(const char *path, cpt_csv_bytes *f,
                              cpt_diags *diags);
void cpt_csv_bytes_close(cpt_csv_bytes *f);

/* --- Inside callbacks --------------------------------------------------- */

long cpt_csv_line(const cpt_csv *r);      /* line where the row starts */
/* At least the number of data rows (the file's line count − 1, or a
 * little more): for reserving a table in on_header. */
size_t cpt_csv_rows_hint(const cpt_csv *r);
char cpt_csv_sep(const cpt_csv *r);       /* ',' or ';' */
const char *cpt_csv_name(const cpt_csv *r);
const char *cpt_csv_expected(const cpt_csv *r); /* schema's column list */
bool cpt_csv_has(const cpt_csv *r, int col);    /* column in the header */
const char *cpt_csv_col_name(const cpt_csv *r, int col);
unsigned cpt_csv_col_flags(const cpt_csv *r, int col); /* CPT_CSV_... */
/* True once any error was recorded for this file: a reader may stop
 * building its table (it will be discarded) but should go on checking.
 * Duplicate keys are checked in batches, so one may be reported a few
 * rows late for this purpose; the status cpt_csv_read returns is exact. */
bool cpt_csv_failed(const cpt_csv *r);

/* The raw field: trimmed, NUL-terminated, valid until the callback
 * returns.  EMPTY when empty or absent, BAD when the field was already
 * rejected (too long).  line and fcol (may be NULL) receive its position. */
cpt_field cpt_csv_raw(const cpt_csv *r, int col, const char **s, size_t *len,
                      long *line, long *fcol);

/* Record an error / a warning about column col of the current row:
 * "column 'NAME': MESSAGE" at the field's line and column.  col < 0: about
 * the whole row ("MESSAGE" at the row's line, column 0). */
void cpt_csv_error(cpt_csv *r, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cpt_csv_warn(cpt_csv *r, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error about the header (in on_header): at the header line, col 0. */
void cpt_csv_header_error(cpt_csv *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Typed accessors (csv_field.c).  Each returns OK with the value, EMPTY
 * (nothing recorded) when the field is empty or the column absent — unless
 * the column is NONEMPTY, in which case an empty value is an error — or BAD
 * after recording "column 'C': expected WHAT, got "VALUE"". */

/* A non-empty string (*s valid until the callback returns). */
cpt_field cpt_csv_str(cpt_csv *r, int col, const char **s, size_t *len);
/* An integer in [min, max]: optional sign, decimal digits.  A max of
 * INT32_MAX or more is written "≥ min" in messages. */
cpt_field cpt_csv_int(cpt_csv *r, int col, int64_t min, int64_t max,
                      int64_t *out);
/* A finite real in the range; -INFINITY / INFINITY leave a side open;
 * open_min / open_max exclude the bound.  Decimal point '.', and ',' too
 * when the separator is ';'; an exponent is accepted. */
cpt_field cpt_csv_real(cpt_csv *r, int col, double min, double max,
                       bool open_min, bool open_max, double *out);
/* A flag: 0/1, yes/no, oui/non, true/false, any case. */
cpt_field cpt_csv_flag(cpt_csv *r, int col, bool *out);

/* Write s (len bytes) as a quoted, escaped echo for messages, cut to
 * CPT_CSV_ECHO_MAX source bytes on a UTF-8 boundary with "…" when longer.
 * Returns out. */
char *cpt_csv_echo(const char *s, size_t len, char *out, size_t size);

#endif
